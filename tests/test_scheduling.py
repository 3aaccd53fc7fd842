"""The CP-SAT scheduler on hand-made instances: known optima, every hard rule shown to
hold, infeasible requests explained, locked events kept, the greedy yardstick."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from planner import scheduling as sch
from planner.scheduling import model as sch_model
from planner.errors import PlannerError

MON = dt.date(2026, 11, 30)  # a Monday with no holiday that week
WEEKDAYS = frozenset({1, 2, 3, 4, 5})
EVERY_DAY = frozenset(range(1, 8))


def pool(regency: str, values, workers=None) -> sch.Pool:
    v = np.array(sorted(values, reverse=True), dtype=float)
    n = len(v)
    return sch.Pool(regency, np.array([f"{regency}-B{i}" for i in range(n)], dtype=object), v, np.full(n, 0.5), v,
                    np.ones(n, dtype=int) if workers is None else np.array(workers), np.zeros(n, dtype=int))


def partner(pid, regency, seats=2, cost=1_000_000, per_month=10, weekdays=WEEKDAYS, province=None, ptype="koperasi") -> sch.Partner:
    return sch.Partner(pid, f"Mitra {pid}", ptype, regency, province or regency[:2], per_month, seats, cost, weekdays)


def staff(sid, province="16", per_week=5, leave=(), home=None) -> sch.Staff:
    return sch.Staff(sid, f"Staf {sid}", province, per_week, home, frozenset(leave))


def instance(rules: sch.Rules, partners, staff_, pools, fixed=(), busy=(), forbidden=()) -> sch.Instance:
    return sch.Instance(rules, list(partners), list(staff_), {p.regency: p for p in pools}, sch.blocked_days(rules), list(fixed),
                        list(busy), set(forbidden), {}, 0.5, {}, {}, True)


def rules(start=MON, days=5, **kw) -> sch.Rules:
    base = dict(min_gap_days=0, penalty_friday=0.0, penalty_weekend=0.0, penalty_workload=0.0, time_limit=20, workers=1)
    base.update(kw)
    return sch.Rules(start=start, end=start + dt.timedelta(days=days - 1), **base)


def solved(inst: sch.Instance) -> sch.Solution:
    sol = sch.solve(inst)
    assert sol.status in ("OPTIMAL", "FEASIBLE"), sol.conflicts
    assert sch.check_plan(inst, sol.events) == []  # every hard rule holds
    return sol


# --------------------------------------------------------------------------- known optima
def test_one_staff_one_event_takes_the_better_regency():
    # A: seats 2 of values 5, 4, 3 -> 9; B: one seat, value 10 -> 10. One event a week.
    inst = instance(rules(), [partner("A", "16.71", seats=2), partner("B", "16.72", seats=1)], [staff("S1", per_week=1)],
                    [pool("16.71", [5, 4, 3]), pool("16.72", [10])])
    sol = solved(inst)
    assert sol.status == "OPTIMAL"
    assert sol.expected_additional == pytest.approx(10.0)
    assert sol.objective == pytest.approx(10.0, abs=0.01) and sol.bound == pytest.approx(sol.objective) and sol.gap == 0.0
    assert [e.partner_id for e in sol.events] == ["B"] and sol.events[0].invitees == ("16.72-B0",)


def test_two_events_and_diminishing_returns_within_a_regency():
    # Two events allowed; A's second event only reaches value 3 and 0, B has 10: best 5+4 + 10 = 19.
    inst = instance(rules(), [partner("A", "16.71", seats=2), partner("B", "16.72", seats=1)], [staff("S1", per_week=2)],
                    [pool("16.71", [5, 4, 3]), pool("16.72", [10])])
    sol = solved(inst)
    assert sol.expected_additional == pytest.approx(19.0)
    assert sorted(e.partner_id for e in sol.events) == ["A", "B"]
    a = next(e for e in sol.events if e.partner_id == "A")
    assert set(a.invitees) == {"16.71-B0", "16.71-B1"}  # the two best of A's regency


@pytest.mark.parametrize(("budget", "expected", "partners"), [(3_500_000, 15.0, ["B"]), (2_000_000, 12.0, ["A"]), (5_000_000, 27.0, ["A", "B"])])
def test_budget_picks_the_best_affordable_events(budget, expected, partners):
    # A (Rp 1 juta) seats all of its regency: 12; B (Rp 3 juta) is worth 15; both cost Rp 4 juta
    inst = instance(rules(budget=budget), [partner("A", "16.71", seats=3, cost=1_000_000), partner("B", "16.72", seats=1, cost=3_000_000)],
                    [staff("S1", per_week=5)], [pool("16.71", [5, 4, 3]), pool("16.72", [15])])
    sol = solved(inst)
    assert sol.expected_additional == pytest.approx(expected)
    assert sorted({e.partner_id for e in sol.events}) == partners
    assert sol.cost <= budget


def test_seats_beyond_the_candidates_add_nothing_and_values_use_workers():
    # workers scale the value: one candidate with uplift 0.2 and 10 workers is worth 2 workers
    inst = instance(rules(), [partner("A", "16.71", seats=50)], [staff("S1")], [pool("16.71", [2.0, 0.5])])
    sol = solved(inst)
    assert sol.expected_additional == pytest.approx(2.5)
    assert len(sol.events) == 1  # a second event in the regency would find nobody left to invite


def test_candidates_of_equal_value_are_one_count_and_the_best_ranked_are_invited():
    # 4 seats over values 3,3,3,2,2,1 (ties in pool order): the three 3s and the first 2
    p = sch.Pool("16.71", np.array(["c", "a", "e", "b", "d", "f"], dtype=object), np.array([3.0, 3.0, 3.0, 2.0, 2.0, 1.0]),
                 np.full(6, 0.5), np.array([3.0, 3.0, 3.0, 2.0, 2.0, 1.0]), np.ones(6, dtype=int), np.zeros(6, dtype=int))
    inst = instance(rules(days=1), [partner("A", "16.71", seats=4)], [staff("S1")], [p])
    built = sch_model._build(inst, inst.partners, inst.staff, ["16"], None)
    assert [len(idx) for idx, _ in built.z["16.71"]] == [3, 1]  # one variable per value, of the 4 best (4 seats at most)
    sol = solved(inst)
    assert sol.expected_additional == pytest.approx(11.0)
    assert sol.events[0].invitees == ("c", "a", "e", "b")


def test_few_workers_prove_bounds_with_the_full_linear_relaxation():
    from ortools.sat.python import cp_model

    for workers, ignored, extra, level in ((1, [], [], 2), (2, ["default_lp"], ["max_lp"], 1), (8, [], [], 1)):
        params = cp_model.CpSolver().parameters
        params.num_workers = workers
        sch_model._full_relaxation(params)
        assert (list(params.ignore_subsolvers), list(params.extra_subsolvers), params.linearization_level) == (ignored, extra, level)


# --------------------------------------------------------------------------- hard rules
def test_no_event_on_national_holidays_or_cuti_bersama():
    # 24-25 Dec 2026: cuti bersama and Christmas; 23 Dec is a working Wednesday
    r = rules(start=dt.date(2026, 12, 21), days=5)
    cal = sch.holiday_calendar(r.start, r.end)
    assert dt.date(2026, 12, 25) in cal and dt.date(2026, 12, 24) in cal  # government category included
    inst = instance(r, [partner("A", "16.71", seats=1, per_month=20)], [staff("S1", per_week=5)], [pool("16.71", [1] * 20)])
    sol = solved(inst)
    dates = {e.date for e in sol.events}
    assert dates == {dt.date(2026, 12, 21), dt.date(2026, 12, 22), dt.date(2026, 12, 23)}


def test_weekends_only_when_allowed():
    inst = instance(rules(days=7), [partner("A", "16.71", seats=1, weekdays=EVERY_DAY)], [staff("S1", per_week=7)], [pool("16.71", [1] * 20)])
    assert all(e.date.isoweekday() <= 5 for e in solved(inst).events)
    inst = instance(rules(days=7, allow_weekends=True), [partner("A", "16.71", seats=1, weekdays=EVERY_DAY)], [staff("S1", per_week=7)],
                    [pool("16.71", [1] * 20)])
    assert {e.date.isoweekday() for e in solved(inst).events} == set(range(1, 8))


def test_partner_weekdays_and_monthly_capacity():
    # partner only on Tuesdays and Thursdays, at most 3 events in December
    r = rules(start=dt.date(2026, 12, 1), days=21)
    inst = instance(r, [partner("A", "16.71", seats=1, per_month=3, weekdays=frozenset({2, 4}))], [staff("S1", per_week=5)], [pool("16.71", [1] * 30)])
    sol = solved(inst)
    assert len(sol.events) == 3
    assert all(e.date.isoweekday() in (2, 4) for e in sol.events)


def test_staff_one_event_a_day_and_weekly_limit():
    partners = [partner(f"P{i}", f"16.7{i}", seats=1) for i in range(1, 5)]
    pools = [pool(f"16.7{i}", [1] * 10) for i in range(1, 5)]
    inst = instance(rules(days=12), partners, [staff("S1", per_week=3)], pools)
    sol = solved(inst)
    days = [e.date for e in sol.events]
    assert len(days) == len(set(days))  # never two events on one day for the only staff member
    per_week = {}
    for d in days:
        per_week[sch.week_key(d)] = per_week.get(sch.week_key(d), 0) + 1
    assert max(per_week.values()) == 3 and len(sol.events) == 6


def test_staff_leave_is_respected():
    leave = [MON + dt.timedelta(days=i) for i in range(4)]  # Monday to Thursday off
    inst = instance(rules(), [partner("A", "16.71", seats=1)], [staff("S1", leave=leave)], [pool("16.71", [1] * 10)])
    sol = solved(inst)
    assert [e.date for e in sol.events] == [MON + dt.timedelta(days=4)]


def test_minimum_gap_between_events_in_one_regency():
    r = rules(days=14, min_gap_days=4)
    inst = instance(r, [partner("A", "16.71", seats=1), partner("B", "16.71", seats=1)], [staff("S1"), staff("S2")], [pool("16.71", [1] * 30)])
    sol = solved(inst)
    dates = sorted(e.date for e in sol.events)
    assert all((b - a).days >= 4 for a, b in zip(dates, dates[1:]))
    assert len(dates) == 3  # 14 days with a 4-day gap over weekdays: Mon, Fri, Thu … at most 3 here


def test_staff_stay_in_their_province_unless_travel_is_allowed():
    partners = [partner("A", "16.71", seats=1), partner("K", "63.71", seats=1)]
    pools = [pool("16.71", [1] * 10), pool("63.71", [3] * 10)]
    inst = instance(rules(), partners, [staff("S1", province="16")], pools)
    sol = solved(inst)
    assert {e.regency[:2] for e in sol.events} == {"16"} and all(e.travel_cost == 0 for e in sol.events)
    inst = instance(rules(allow_travel=True, travel_cost=500_000), partners, [staff("S1", province="16", per_week=5)], pools)
    sol = solved(inst)
    assert {e.regency[:2] for e in sol.events} == {"63"}  # worth travelling for
    assert all(e.travel_cost == 500_000 for e in sol.events) and sol.cost == sum(1_500_000 for _ in sol.events)


def test_each_business_is_invited_at_most_once_and_seats_are_kept():
    partners = [partner(f"A{i}", "16.71", seats=3) for i in range(3)]
    inst = instance(rules(days=5), partners, [staff("S1"), staff("S2")], [pool("16.71", list(range(20, 0, -1)))])
    sol = solved(inst)
    invited = [b for e in sol.events for b in e.invitees]
    assert len(invited) == len(set(invited))
    assert all(len(e.invitees) <= 3 for e in sol.events)
    assert sol.expected_additional == pytest.approx(sum(range(20, 20 - len(invited), -1)))


def test_events_of_other_published_plans_occupy_staff_partner_and_invitees():
    busy = [sch.Busy("E9-0001", MON + dt.timedelta(days=d), "A", "S1", "16.71") for d in range(4)]
    inst = instance(rules(), [partner("A", "16.71", seats=1)], [staff("S1", per_week=5)], [pool("16.71", [1] * 10)], busy=busy)
    sol = solved(inst)
    assert [e.date for e in sol.events] == [MON + dt.timedelta(days=4)]  # Friday is the only free day left (4 of 5 used)


def test_ramadan_blackout_covers_ramadan_and_the_week_after_idul_fitri():
    r = sch.Rules(start=dt.date(2027, 2, 1), end=dt.date(2027, 3, 31), ramadan_blackout=True)
    blocked = sch.blocked_days(r)
    fitri = dt.date(2027, 3, 10)  # Eid al-Fitr 2027 (estimated by the holidays package)
    assert blocked[fitri - dt.timedelta(days=30)] == "ramadan"
    assert blocked[fitri + dt.timedelta(days=7)] in ("idul_fitri", "holiday")
    assert blocked.get(dt.date(2027, 3, 25)) in (None, "holiday")
    assert blocked.get(dt.date(2027, 2, 5)) in (None, "holiday")


# --------------------------------------------------------------------------- soft rules
def test_friday_penalty_moves_an_event_off_friday_when_it_costs_nothing():
    inst = instance(rules(penalty_friday=0.5), [partner("A", "16.71", seats=1, weekdays=frozenset({4, 5}))], [staff("S1", per_week=1)],
                    [pool("16.71", [2])])
    sol = solved(inst)
    assert sol.events[0].date.isoweekday() == 4
    assert sol.expected_additional == pytest.approx(2.0)


def test_workload_penalty_spreads_events_over_staff():
    partners = [partner(f"P{i}", f"16.7{i}", seats=1) for i in range(1, 5)]
    pools = [pool(f"16.7{i}", [1] * 5) for i in range(1, 5)]
    inst = instance(rules(days=2, penalty_workload=0.1), partners, [staff("S1"), staff("S2"), staff("S3"), staff("S4")], pools)
    sol = solved(inst)
    per_staff = {}
    for e in sol.events:
        per_staff[e.staff_id] = per_staff.get(e.staff_id, 0) + 1
    assert max(per_staff.values()) == 2 and len(sol.events) == 8  # four staff, two days, balanced
    assert sol.penalties["workload"] == (2, pytest.approx(0.2))


# --------------------------------------------------------------------------- infeasible and empty requests
def test_infeasible_request_names_the_conflicting_rules():
    partners = [partner("A", "16.71", cost=3_000_000), partner("B", "16.72", cost=3_000_000)]
    inst = instance(rules(budget=4_000_000, min_events_per_regency=1), partners, [staff("S1")], [pool("16.71", [1]), pool("16.72", [1])])
    sol = sch.solve(inst)
    assert sol.status == "INFEASIBLE" and sol.events == []
    text = " ".join(sol.conflicts)
    assert "Anggaran Rp 4.000.000" in text and "Minimal 1 acara" in text
    assert "staf" not in text.lower()  # staff are not part of the conflict
    assert any("budget" in c.lower() for c in sch.conflicts_text(inst, sol, "en"))


def test_locked_event_on_a_holiday_is_named():
    r = rules(start=dt.date(2026, 12, 21), days=5)
    fixed = [sch.FixedEvent("E1-0001", dt.date(2026, 12, 25), "A", "S1")]
    inst = instance(r, [partner("A", "16.71")], [staff("S1")], [pool("16.71", [1])], fixed=fixed)
    sol = sch.solve(inst)
    assert sol.status == "INFEASIBLE"
    assert any("E1-0001" in c and "Hari Raya Natal" in c for c in sol.conflicts)


def test_locked_events_that_break_the_weekly_limit_together_are_named():
    fixed = [sch.FixedEvent(f"E1-000{i}", MON + dt.timedelta(days=i), f"P{i}", "S1") for i in range(3)]
    partners = [partner(f"P{i}", f"16.7{i + 1}") for i in range(3)]
    inst = instance(rules(), partners, [staff("S1", per_week=2)], [pool(f"16.7{i + 1}", [1]) for i in range(3)], fixed=fixed)
    sol = sch.solve(inst)
    assert sol.status == "INFEASIBLE"
    text = " ".join(sol.conflicts)
    assert "Staf S1 paling banyak 2 acara di minggu 49" in text and "Acara terkunci" in text


def test_no_working_day_gives_an_empty_plan_with_the_reason():
    r = rules(start=dt.date(2026, 12, 24), days=4)  # Thu 24 cuti bersama, Fri 25 Christmas, weekend
    inst = instance(r, [partner("A", "16.71")], [staff("S1")], [pool("16.71", [1])])
    sol = sch.solve(inst)
    assert sol.status == "EMPTY" and sol.events == []
    assert "libur 2" in sol.findings[0].text and "akhir pekan 2" in sol.findings[0].text


def test_blocked_days_are_explained_in_the_readers_language():
    r = rules(start=dt.date(2026, 12, 24), days=4)  # Thu 24 cuti bersama, Fri 25 Christmas, weekend
    blocked = sch.blocked_days(r)
    assert set(blocked.values()) <= set(sch.BLOCKED_KINDS)  # codes, the same in every language
    assert sch.blocked_reason(dt.date(2026, 12, 25), blocked[dt.date(2026, 12, 25)], "id") == "libur: Hari Raya Natal"
    assert sch.blocked_reason(dt.date(2026, 12, 25), blocked[dt.date(2026, 12, 25)], "en") == "holiday: Christmas Day"
    assert sch.blocked_reason(dt.date(2026, 12, 26), blocked[dt.date(2026, 12, 26)], "en") == "weekend"
    inst = instance(r, [partner("A", "16.71")], [staff("S1")], [pool("16.71", [1])])
    text = sch.explain_empty(inst, "en")[0].text
    assert "holidays 2" in text and "weekend days 2" in text and "libur" not in text and "akhir pekan" not in text
    fixed = [sch.FixedEvent("E1-0001", dt.date(2026, 12, 25), "A", "S1")]
    conflicts = sch.check_fixed(instance(r, [partner("A", "16.71")], [staff("S1")], [pool("16.71", [1])], fixed=fixed), "en")
    assert any("holiday: Christmas Day" in c for c in conflicts), conflicts


def test_bad_rules_are_refused_with_the_fix():
    with pytest.raises(PlannerError, match="tukar keduanya"):
        sch.Rules(start=MON, end=MON - dt.timedelta(days=1)).validate()
    with pytest.raises(PlannerError, match="366"):
        sch.Rules(start=MON, end=MON + dt.timedelta(days=400)).validate()
    with pytest.raises(PlannerError, match="negatif"):
        sch.Rules(start=MON, end=MON, budget=-1).validate()


# --------------------------------------------------------------------------- re-planning
def test_locked_event_is_kept_and_the_rest_planned_around_it():
    fixed = [sch.FixedEvent("E1-0001", MON + dt.timedelta(days=2), "A", "S1", ("16.71-B9",), 0.5, 0.25)]
    pools = [pool("16.71", [5, 4, 3]), pool("16.72", [10, 9])]
    inst = instance(rules(), [partner("A", "16.71", seats=2), partner("B", "16.72", seats=2)], [staff("S1", per_week=2)], pools, fixed=fixed)
    sol = solved(inst)
    locked = [e for e in sol.events if e.locked]
    assert len(locked) == 1 and locked[0].event_id == "E1-0001" and locked[0].date == MON + dt.timedelta(days=2)
    assert locked[0].invitees[0] == "16.71-B9" and len(locked[0].invitees) == 2  # kept, plus the one seat it had left
    other = [e for e in sol.events if not e.locked]
    assert [e.partner_id for e in other] == ["B"]  # the second event of the week goes to the best remaining regency
    assert sol.expected_additional == pytest.approx(0.5 + 5 + 19)


def test_cancelled_slot_is_not_proposed_again():
    inst = instance(rules(days=1), [partner("A", "16.71", seats=1), partner("B", "16.72", seats=1)], [staff("S1", per_week=1)],
                    [pool("16.71", [5]), pool("16.72", [1])], forbidden={("A", MON)})
    sol = solved(inst)
    assert [e.partner_id for e in sol.events] == ["B"]


def test_check_plan_names_each_broken_rule():
    inst = instance(rules(budget=1_000_000), [partner("A", "16.71", per_month=1)], [staff("S1", per_week=1)], [pool("16.71", [1, 1])])
    events = [sch.PlannedEvent("E1", MON, "16.71", "A", "S1", ("16.71-B0",), 0, 0, 1, 1_000_000, 0),
              sch.PlannedEvent("E2", MON, "16.71", "A", "S1", ("16.71-B0",), 0, 0, 1, 1_000_000, 0)]
    problems = " | ".join(sch.check_plan(inst, events))
    for expected in ("hanya bisa satu acara", "diundang dua kali", "2 acara di minggu", "kapasitasnya 1", "melebihi anggaran"):
        assert expected in problems


# --------------------------------------------------------------------------- the greedy yardstick
def test_greedy_plan_keeps_every_rule_and_the_solver_beats_it():
    rng = np.random.default_rng(3)
    partners = [partner(f"P{i}", f"16.7{i % 4 + 1}", seats=int(rng.integers(3, 8)), cost=int(rng.integers(1, 5)) * 1_000_000) for i in range(8)]
    pools = [pool(f"16.7{r}", rng.exponential(1.0, 40).tolist()) for r in range(1, 5)]
    inst = instance(rules(days=14, budget=12_000_000, min_gap_days=3), partners, [staff("S1", per_week=3), staff("S2", per_week=2)], pools)
    from bench.baselines import greedy_plan  # the yardstick lives with the benchmarks, not in the product

    greedy = greedy_plan(inst)
    assert greedy.events and sch.check_plan(inst, greedy.events) == []
    # It invites by the solver's own value (uplift x workers): in each regency, the
    # invitees are the best-valued candidates.
    for r, p in inst.pools.items():
        invited = {b for e in greedy.events if e.regency == r for b in e.invitees}
        if invited:
            value = dict(zip(p.business_ids.tolist(), p.value.tolist()))
            assert min(value[b] for b in invited) >= max((v for b, v in value.items() if b not in invited), default=0)
    best = solved(inst)
    assert best.expected_additional >= greedy.expected_additional - 1e-9


def test_province_by_province_keeps_what_was_solved_when_stopped():
    partners = [partner("A", "16.71", seats=2), partner("K", "63.71", seats=2)]
    pools = [pool("16.71", [5, 4]), pool("63.71", [3, 2])]
    inst = instance(rules(), partners, [staff("S1", province="16"), staff("S2", province="63")], pools)
    inst.province_names = {"16": "Sumatera Selatan", "63": "Kalimantan Selatan"}
    whole = sch.solve(inst, by_province=True)
    assert whole.status in ("OPTIMAL", "FEASIBLE") and {e.regency[:2] for e in whole.events} == {"16", "63"}
    assert whole.expected_additional == pytest.approx(14.0)
    parts_done = []  # the manager presses stop once the first province is planned (one process: one province at a time)
    sol = sch.solve(inst, by_province=True, processes=1, progress=lambda info: parts_done.append(info) if info.get("part") else None,
                    should_stop=lambda: bool(parts_done))
    assert sol.status == "FEASIBLE"
    assert {e.regency[:2] for e in sol.events} == {"16"}  # the richer province is solved first
    assert sol.bound >= whole.objective - 1e-6  # the unplanned province still counts in the bound
    assert any(f.rule == "unplanned" and "Kalimantan" in f.text for f in sol.findings)
    assert sch.check_plan(inst, sol.events) == []
