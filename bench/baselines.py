"""Baselines for the benchmarks: what a careful person would do without a solver.

Not part of the product (``planner/`` never imports this): the greedy plan is the
yardstick ``bench/bench_schedule.py`` holds CP-SAT against (``docs/benchmarks.md``,
section 5), and ``tests/test_scheduling.py`` checks that it keeps every rule and that
the solver is never worse.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the repo, on the path
    sys.path.insert(0, str(ROOT))

from planner.scheduling import Instance, Partner, PlannedEvent, Solution, Staff, month_key, week_key  # noqa: E402


def greedy_plan(inst: Instance, *, by: str = "value") -> Solution:
    """The simple way, as a yardstick for the benchmark: regencies in order of uncovered
    potential (``inst.regency_priority``, else their number of candidates), each regency's
    partners cheapest first, the first free date that keeps every hard rule, invitees by
    the solver's own value — uplift x workers (enrolment chance x workers without an
    uplift model) — so that the yardstick is an honest one (``by="p_enroll"``: the old,
    weaker yardstick that ranked invitees by enrolment chance alone)."""
    t0 = time.perf_counter()
    rules = inst.rules
    priority = getattr(inst, "regency_priority", None) or {r: len(p.value) for r, p in inst.pools.items()}
    work = inst.working_days()
    used_staff_day: set[tuple[str, dt.date]] = {(b.staff_id, b.date) for b in inst.busy if b.staff_id}
    per_sw: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    per_pm: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    per_r: dict[str, list[dt.date]] = defaultdict(list)
    for b in inst.busy:
        if b.staff_id:
            per_sw[(b.staff_id, week_key(b.date))] += 1
        per_pm[(b.partner_id, month_key(b.date))] += 1
        per_r[b.regency].append(b.date)
    spend = 0
    events: list[PlannedEvent] = []
    invited: set[str] = set()
    by_regency: dict[str, list[Partner]] = defaultdict(list)
    for p in inst.partners:
        by_regency[p.regency].append(p)
    staff_by_prov: dict[str, list[Staff]] = defaultdict(list)
    for s in inst.staff:
        staff_by_prov[s.province].append(s)
    order = sorted(by_regency, key=lambda r: (-priority.get(r, 0), r))
    progress = True
    while progress:
        progress = False
        for r in order:
            pool = inst.pools.get(r)
            if pool is None or not len(pool.value):
                continue
            rank = np.argsort(-(pool.p_enroll if by == "p_enroll" else pool.value), kind="stable")
            for p in sorted(by_regency[r], key=lambda p: (p.cost, p.partner_id)):
                if rules.budget is not None and spend + p.cost > rules.budget:
                    continue
                slot = None
                for d in work:
                    if d.isoweekday() not in p.weekdays or (p.partner_id, d) in inst.forbidden:
                        continue
                    if per_pm[(p.partner_id, month_key(d))] >= p.per_month:
                        continue
                    if any(abs((d - x).days) < rules.min_gap_days for x in per_r[r]):
                        continue
                    staff = next((s for s in staff_by_prov.get(p.province, []) if (s.staff_id, d) not in used_staff_day
                                  and d not in s.leave and per_sw[(s.staff_id, week_key(d))] < s.per_week), None)
                    if staff is None:
                        continue
                    slot = (d, staff)
                    break
                if slot is None:
                    continue
                d, staff = slot
                cap = inst.seats(p)
                pick = [i for i in rank if pool.business_ids[i] not in invited][:cap]
                ix = np.array(pick, dtype=int)
                ids = tuple(pool.business_ids[ix].tolist())
                invited.update(ids)
                rate = inst.attendance_rate.get(r, inst.default_attendance)
                events.append(PlannedEvent(None, d, r, p.partner_id, staff.staff_id, ids, round(len(ids) * rate, 1),
                                           float((pool.p_enroll[ix] * pool.workers[ix]).sum()), float(pool.value[ix].sum()), p.cost, 0))
                used_staff_day.add((staff.staff_id, d))
                per_sw[(staff.staff_id, week_key(d))] += 1
                per_pm[(p.partner_id, month_key(d))] += 1
                per_r[r].append(d)
                spend += p.cost
                progress = True
                break  # next regency: round robin over regencies in priority order
    events.sort(key=lambda e: (e.date, e.regency, e.partner_id))
    sol = Solution("FEASIBLE", events, objective=sum(e.expected_additional for e in events), seconds=time.perf_counter() - t0)
    return sol
