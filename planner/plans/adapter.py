"""Between the database and the scheduler: the rules and the instance a plan is solved on
(partners, staff, candidate invitees, locked and other plans' events), the solve, and the
solution saved back as events and invitations."""

from __future__ import annotations

import datetime as dt
import json
import numpy as np
import pandas as pd
import sqlite_utils
from collections.abc import Callable
from dataclasses import replace

from planner import scheduling as sch
from planner.audit import record
from planner.auth import User, require
from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t
from planner.vocabulary import parse_weekdays
from planner.plans.storage import _known_provinces, _now, _require_draft, get_plan


ATTENDANCE_PRIOR = 20  # contacts of weight given to the overall attendance rate per regency


DEFAULT_ATTENDANCE = 0.55


EXTRA_STAFF_PREFIX = "+"  # a scenario's extra staff members: "+16-1" (never stored in events)


DEFAULT_STAFF_PER_WEEK = 3


# --------------------------------------------------------------------------- instance
def build_instance(db: sqlite_utils.Database, rules: sch.Rules, plan_id: int | None = None, *, with_pools: bool = True) -> sch.Instance:
    """Everything the solver needs, read from the database: active partners and staff of
    the plan's provinces (with leave), the scored businesses not yet enrolled or invited,
    the plan's locked and cancelled events, and other published plans' events.
    ``with_pools=False`` skips the candidate invitees (enough to check a plan's rules)."""
    rules.validate()
    provinces = rules.provinces or tuple(r[0] for r in db.execute("SELECT code FROM provinces ORDER BY code"))
    provinces = _known_provinces(db, provinces)
    ph = ",".join("?" * len(provinces))
    start, end = rules.start.isoformat(), rules.end.isoformat()
    margin = dt.timedelta(days=max(rules.min_gap_days, 7))
    wide_start, wide_end = (rules.start - margin).isoformat(), (rules.end + margin).isoformat()

    partners = [
        sch.Partner(r[0], r[1], r[2], r[3], r[4], int(r[5]), int(r[6]), int(r[7]), parse_weekdays(r[8]))
        for r in db.execute(
            "SELECT p.partner_id, p.name, p.type, p.regency_code, g.province_code, p.capacity_per_month, p.venue_capacity, "
            f"p.cost_per_event, p.available_weekdays FROM partners p JOIN regencies g ON g.code = p.regency_code "
            f"WHERE p.active = 1 AND g.province_code IN ({ph}) ORDER BY p.partner_id",
            provinces,
        )
    ]
    leave: dict[str, set[dt.date]] = {}
    for sid, a, b in db.execute("SELECT staff_id, start_date, end_date FROM staff_leave WHERE end_date >= ? AND start_date <= ?", [start, end]):
        d, last = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        while d <= last:
            leave.setdefault(sid, set()).add(d)
            d += dt.timedelta(days=1)
    staff = [
        sch.Staff(r[0], r[1], r[2], int(r[3]), r[4], frozenset(leave.get(r[0], ())))
        for r in db.execute(
            f"SELECT staff_id, name, province_code, max_events_per_week, home_regency FROM staff WHERE active = 1 AND province_code IN ({ph}) ORDER BY staff_id",
            provinces,
        )
    ]
    if rules.extra_staff:  # a scenario's extra staff: like the province's typical member, no leave, no home regency
        for prov in provinces:
            own = sorted(s.per_week for s in staff if s.province == prov) or [DEFAULT_STAFF_PER_WEEK]
            staff += [sch.Staff(f"{EXTRA_STAFF_PREFIX}{prov}-{i}", f"+{i} ({prov})", prov, own[len(own) // 2])
                      for i in range(1, int(rules.extra_staff) + 1)]

    # ---- this plan's locked and cancelled events
    fixed: list[sch.FixedEvent] = []
    forbidden: set[tuple[str, dt.date]] = set()
    fixed_invitees: set[str] = set()
    if plan_id is not None:
        inv: dict[str, list[tuple]] = {}
        for eid, bid, add, p, workers in db.execute(
            "SELECT i.event_id, i.business_id, i.expected_additional, i.p_enroll, i.workers FROM invitations i "
            "JOIN events e ON e.event_id = i.event_id WHERE e.plan_id = ? AND e.locked = 1 AND e.status = 'planned' ORDER BY i.business_id",
            [plan_id],
        ):
            inv.setdefault(eid, []).append((bid, add or 0.0, (p or 0.0) * (workers or 0)))
        for eid, d, pid, sid, locked, status in db.execute(
            "SELECT event_id, event_date, partner_id, staff_id, locked, status FROM events WHERE plan_id = ? ORDER BY event_id", [plan_id]
        ):
            if status == "cancelled":
                forbidden.add((pid, dt.date.fromisoformat(d)))
            elif locked:
                items = inv.get(eid, [])
                fixed.append(sch.FixedEvent(eid, dt.date.fromisoformat(d), pid, sid, tuple(b for b, _, _ in items),
                                            float(sum(a for _, a, _ in items)), float(sum(e for _, _, e in items))))
                fixed_invitees.update(b for b, _, _ in items)
    # a locked event's partner or staff may have been deactivated since: keep them in the model
    # only if still active; check_fixed names the event otherwise

    # ---- other published plans (a scenario competes with neither its base plan nor its siblings)
    base = db.execute("SELECT scenario_of FROM plans WHERE plan_id = ?", [plan_id]).fetchone() if plan_id is not None else None
    base_id = base[0] if base and base[0] is not None else plan_id
    busy = [
        sch.Busy(r[0], dt.date.fromisoformat(r[1]), r[2], r[3], r[4])
        for r in db.execute(
            "SELECT e.event_id, e.event_date, e.partner_id, e.staff_id, e.regency_code FROM events e JOIN plans p ON p.plan_id = e.plan_id "
            "WHERE p.status = 'published' AND e.status = 'planned' AND e.plan_id IS NOT ? AND e.plan_id IS NOT ? AND e.event_date BETWEEN ? AND ?",
            [plan_id, base_id, wide_start, wide_end],
        )
    ]
    taken = {r[0] for r in db.execute(
        "SELECT i.business_id FROM invitations i JOIN plans p ON p.plan_id = i.plan_id JOIN events e ON e.event_id = i.event_id "
        "WHERE p.status = 'published' AND e.status = 'planned' AND i.plan_id IS NOT ? AND i.plan_id IS NOT ?", [plan_id, base_id])}
    taken |= fixed_invitees

    # ---- candidate invitees per regency
    pools: dict[str, sch.Pool] = {}
    uplift_model = False
    if with_pools:
        pools, uplift_model = _pools(db, provinces, taken)

    # ---- attendance per regency, smoothed towards the overall rate
    att = pd.DataFrame(
        db.execute(
            "SELECT b.regency_code, COUNT(*), SUM(c.attended) FROM contacts c JOIN businesses b ON b.business_id = c.business_id "
            f"JOIN regencies g ON g.code = b.regency_code WHERE c.invited = 1 AND c.attended IS NOT NULL AND g.province_code IN ({ph}) "
            "GROUP BY b.regency_code",
            provinces,
        ).fetchall(),
        columns=["regency", "n", "attended"],
    )
    overall = float(att["attended"].sum() / att["n"].sum()) if len(att) and att["n"].sum() else DEFAULT_ATTENDANCE
    rates = {r.regency: float((r.attended + ATTENDANCE_PRIOR * overall) / (r.n + ATTENDANCE_PRIOR)) for r in att.itertuples()}

    names = {r[0]: r[1] for r in db.execute(f"SELECT code, name FROM regencies WHERE province_code IN ({ph})", provinces)}
    pnames = {r[0]: r[1] for r in db.execute("SELECT code, name_common FROM provinces")}
    inst = sch.Instance(rules, partners, staff, pools, sch.blocked_days(rules), fixed, busy, forbidden, rates, overall, names, pnames, uplift_model)
    inst.regency_priority = {r[0]: r[1] for r in db.execute(
        f"SELECT p.regency_code, SUM(p.eligible_workers - p.covered_workers) FROM potentials p JOIN regencies g ON g.code = p.regency_code "
        f"WHERE g.province_code IN ({ph}) GROUP BY p.regency_code", provinces)}
    return inst


def _pools(db: sqlite_utils.Database, provinces: tuple[str, ...], taken: set[str]) -> tuple[dict[str, sch.Pool], bool]:
    """Candidate invitees per regency, best first: scored businesses not yet enrolled and
    not invited elsewhere, with a positive expected gain (uplift x workers, or p_enroll x
    workers without an uplift model)."""
    ph = ",".join("?" * len(provinces))
    cur = db.execute(
        "SELECT b.business_id, b.regency_code, s.p_enroll, s.uplift, b.workers, b.kur_recipient, b.coop_member, b.has_nib, b.digital_payments "
        "FROM scores s JOIN businesses b ON b.business_id = s.business_id JOIN regencies g ON g.code = b.regency_code "
        f"WHERE b.enrolled = 0 AND g.province_code IN ({ph})",
        provinces,
    )
    df = pd.DataFrame(cur.fetchall(), columns=["business_id", "regency", "p_enroll", "uplift", "workers", "kur", "coop", "nib", "digital"])
    uplift_model = bool(len(df)) and bool(df["uplift"].notna().any())
    pools: dict[str, sch.Pool] = {}
    if len(df):
        if taken:
            df = df[~df["business_id"].isin(taken)]
        up = pd.to_numeric(df["uplift"], errors="coerce")
        p = pd.to_numeric(df["p_enroll"], errors="coerce").fillna(0.0)
        workers = pd.to_numeric(df["workers"], errors="coerce").fillna(0).clip(lower=1)
        df = df.assign(value=np.where(up.notna(), up.fillna(0.0), p) * workers, p_enroll=p, uplift=up, workers=workers,
                       affinity=(df["kur"].astype(int) * sch.AFFINITY_BITS["kur_recipient"] + df["coop"].astype(int) * sch.AFFINITY_BITS["coop_member"]
                                 + df["nib"].astype(int) * sch.AFFINITY_BITS["has_nib"] + df["digital"].astype(int) * sch.AFFINITY_BITS["digital_payments"]))
        df = df[df["value"] > 1e-6].sort_values(["regency", "value", "business_id"], ascending=[True, False, True], kind="stable")
        for reg, g in df.groupby("regency", sort=False):
            pools[reg] = sch.Pool(reg, g["business_id"].to_numpy(dtype=object), g["value"].to_numpy(float), g["p_enroll"].to_numpy(float),
                                  g["uplift"].to_numpy(float), g["workers"].to_numpy(int), g["affinity"].to_numpy(int))

    return pools, uplift_model


# --------------------------------------------------------------------------- solving and saving
def solve_plan(db: sqlite_utils.Database, actor: User, plan_id: int, *, progress: Callable[[dict], None] | None = None,
               should_stop: Callable[[], bool] | None = None, lang: str = "id", time_limit: float | None = None) -> sch.Solution:
    """Solve a draft plan around its locked events and save the result (one transaction)."""
    require(actor, "admin", "manager")
    plan = get_plan(db, plan_id)
    _require_draft(plan)
    rules = plan.rules if time_limit is None else replace(plan.rules, time_limit=float(time_limit))
    inst = build_instance(db, rules, plan_id)
    stamp = plan.updated_at
    sol = sch.solve(inst, progress=progress, should_stop=should_stop, lang=lang)
    save_solution(db, actor, plan_id, inst, sol, expected_updated_at=stamp)
    return sol


def _texts(inst: sch.Instance, sol: sch.Solution) -> dict:
    """Findings and conflicts in both languages, so the page follows the language switch."""
    out = {}
    for lang in ("id", "en"):
        conflicts = sch.conflicts_text(inst, sol, lang) if sol.status in ("INFEASIBLE", "UNKNOWN") else []
        findings = [f.__dict__ for f in (sch.explain(inst, sol, lang) if sol.feasible else [])]
        out[lang] = {"findings": findings, "conflicts": conflicts}
    return out


def save_solution(db: sqlite_utils.Database, actor: User, plan_id: int, inst: sch.Instance, sol: sch.Solution,
                  *, expected_updated_at: str | None = None) -> None:
    """Replace the plan's unlocked events with the solution's (locked events keep theirs
    and gain the invitees added around them). An infeasible or unfinished solve changes
    no event, only the plan's last result. Refused if the plan changed during the solve."""
    require(actor, "admin", "manager")
    summary = {
        "status": sol.status, "objective": sol.objective, "bound": sol.bound,
        "gap": None if np.isnan(sol.gap) else sol.gap, "seconds": round(sol.seconds, 2),
        "events": len(sol.events), "expected_additional": sol.expected_additional,
        "expected_enrollments": sol.expected_enrollments, "cost": sol.cost,
        "penalties": {k: list(v) for k, v in sol.penalties.items()}, "parts": sol.parts,
        "solved_at": _now(), "solved_by": actor.username, "texts": _texts(inst, sol),
        "uplift_model": inst.uplift_model,
    }
    with transaction(db):
        plan = get_plan(db, plan_id)
        _require_draft(plan)
        if expected_updated_at is not None and plan.updated_at != expected_updated_at:
            raise PlannerError(t("plan.stale_solve", DEFAULT_LANG))
        before = {k: (plan.result or {}).get(k) for k in ("status", "events", "expected_additional", "cost")}
        if sol.status in ("OPTIMAL", "FEASIBLE", "EMPTY"):
            db.execute(
                "DELETE FROM invitations WHERE event_id IN (SELECT event_id FROM events WHERE plan_id = ? AND locked = 0 AND status = 'planned')",
                [plan_id],
            )
            db.execute("DELETE FROM events WHERE plan_id = ? AND locked = 0 AND status = 'planned'", [plan_id])
            seq = db.execute(
                "SELECT COALESCE(MAX(CAST(substr(event_id, instr(event_id, '-') + 1) AS INTEGER)), 0) FROM events WHERE plan_id = ?", [plan_id]
            ).fetchone()[0]
            pools_index = {r: {b: i for i, b in enumerate(p.business_ids)} for r, p in inst.pools.items()}
            ev_rows, inv_rows = [], []
            for e in sol.events:
                if e.event_id is None:
                    seq += 1
                    eid = f"E{plan_id}-{seq:04d}"
                    staff_id = None if (e.staff_id or "").startswith(EXTRA_STAFF_PREFIX) else e.staff_id  # a scenario's extra staff
                    ev_rows.append((eid, plan_id, e.date.isoformat(), e.regency, e.partner_id, staff_id, len(e.invitees),
                                    e.expected_attendance, e.expected_enrollments, e.expected_additional, e.event_cost, e.travel_cost,
                                    plan.rules.start_time, plan.rules.duration_minutes))
                else:
                    eid = e.event_id
                    db.execute(
                        "UPDATE events SET staff_id = ?, invitees = ?, expected_attendance = ?, expected_enrollments = ?, "
                        "expected_additional = ?, event_cost = ?, travel_cost = ? WHERE event_id = ?",
                        [e.staff_id, len(e.invitees), e.expected_attendance, e.expected_enrollments, e.expected_additional,
                         e.event_cost, e.travel_cost, eid],
                    )
                pool = inst.pools.get(e.regency)
                index = pools_index.get(e.regency, {})
                for b in e.invitees:
                    i = index.get(b)
                    if i is None:
                        continue  # a locked event's own invitee: already stored
                    up = pool.uplift[i]
                    inv_rows.append((eid, plan_id, b, float(pool.p_enroll[i]), None if np.isnan(up) else float(up),
                                     int(pool.workers[i]), float(pool.value[i]), 1.0))
            db.conn.executemany(
                "INSERT INTO events (event_id, plan_id, event_date, regency_code, partner_id, staff_id, invitees, expected_attendance, "
                "expected_enrollments, expected_additional, event_cost, travel_cost, start_time, duration_minutes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ev_rows,
            )
            db.conn.executemany(
                "INSERT INTO invitations (event_id, plan_id, business_id, p_enroll, uplift, workers, expected_additional, selection_prob) "
                "VALUES (?,?,?,?,?,?,?,?)",
                inv_rows,
            )
        db.execute("UPDATE plans SET result = ?, updated_at = ? WHERE plan_id = ?", [json.dumps(summary, default=str), _now(), plan_id])
        record(db, actor, "plan.solve", "plans", str(plan_id), before,
               {k: summary[k] for k in ("status", "events", "expected_additional", "cost", "gap", "seconds")})


def _planned_events(db: sqlite_utils.Database, plan_id: int) -> list[sch.PlannedEvent]:
    inv: dict[str, list[str]] = {}
    for eid, bid in db.execute("SELECT i.event_id, i.business_id FROM invitations i WHERE i.plan_id = ?", [plan_id]):
        inv.setdefault(eid, []).append(bid)
    out = []
    for r in db.query("SELECT * FROM events WHERE plan_id = ? AND status = 'planned' ORDER BY event_date, event_id", [plan_id]):
        out.append(sch.PlannedEvent(r["event_id"], dt.date.fromisoformat(r["event_date"]), r["regency_code"], r["partner_id"], r["staff_id"],
                                    tuple(inv.get(r["event_id"], ())), r["expected_attendance"], r["expected_enrollments"],
                                    r["expected_additional"], r["event_cost"], r["travel_cost"], bool(r["locked"])))
    return out


def plan_violations(db: sqlite_utils.Database, plan_id: int, lang: str = "id") -> list[str]:
    """The hard rules the plan's current events break, in words (none for a valid plan)."""
    plan = get_plan(db, plan_id)
    inst = build_instance(db, plan.rules, plan_id, with_pools=False)
    events = _planned_events(db, plan_id)
    return sch.check_plan(inst, events, lang)  # a deactivated partner or staff member is named as such
