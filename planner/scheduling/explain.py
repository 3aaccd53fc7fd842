"""A plan explained: which rules bind it and which leave room, and why nothing at all
could be planned."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from planner.i18n import fmt_num, fmt_pct, fmt_rupiah, t
from planner.scheduling.instance import Finding, Instance, Solution
from planner.scheduling.rules import blocked_counts, month_key, week_key

def explain_empty(inst: Instance, lang: str = "id") -> list[Finding]:
    """Why no event at all is possible: no working day, no partner, no staff, no budget,
    nobody to invite."""
    out = []
    if not inst.working_days():
        out.append(Finding("calendar", t("sched.empty.no_days", lang, reasons=blocked_counts(inst.blocked, lang))))
    if not inst.partners:
        out.append(Finding("partners", t("sched.empty.no_partners", lang)))
    if not inst.staff:
        out.append(Finding("staff", t("sched.empty.no_staff", lang)))
    if inst.partners and inst.rules.budget is not None and inst.rules.budget < min(p.cost for p in inst.partners):
        out.append(Finding("budget", t("sched.empty.budget", lang, budget=fmt_rupiah(inst.rules.budget), cheapest=fmt_rupiah(min(p.cost for p in inst.partners)))))
    if not any(len(p.value) for p in inst.pools.values()):
        out.append(Finding("pool", t("sched.empty.no_pool", lang)))
    return out


def explain(inst: Instance, sol: Solution, lang: str = "id") -> list[Finding]:
    """Which rules bind the plan (and which leave room), in words: budget used, staff at
    their weekly limit, partners at monthly capacity, regencies at their gap limit,
    regencies whose candidate invitees ran out, days taken by holidays."""
    rules = inst.rules
    out: list[Finding] = []
    events = sol.events
    if not events:
        return explain_empty(inst, lang) or [Finding("none", t("sched.explain.none", lang), False)]
    cost = sum(e.cost for e in events)
    if rules.budget is not None:
        cheapest = min((p.cost for p in inst.partners), default=0)
        binding = rules.budget - cost < cheapest
        out.append(Finding("budget", t("sched.explain.budget", lang, used=fmt_pct(cost / rules.budget if rules.budget else 1.0),
                                        spent=fmt_rupiah(cost), budget=fmt_rupiah(rules.budget)), binding))
    # staff weekly limits
    per_sw: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    for e in events:
        if e.staff_id:
            per_sw[(e.staff_id, week_key(e.date))] += 1
    for b in inst.busy:
        if b.staff_id:
            per_sw[(b.staff_id, week_key(b.date))] += 1
    at_limit = [(sid, wk, n) for (sid, wk), n in sorted(per_sw.items()) if sid in inst._staff and n >= inst.staff_member(sid).per_week]
    if at_limit:
        shown = "; ".join(t("sched.explain.staff_week_item", lang, staff=inst.staff_member(sid).name, week=wk[1], n=n, limit=inst.staff_member(sid).per_week)
                          for sid, wk, n in at_limit[:6])
        more = len(at_limit) - 6
        out.append(Finding("staff_week", t("sched.explain.staff_week", lang, n=len(at_limit), items=shown) + (t("sched.explain.more", lang, n=more) if more > 0 else "")))
    else:
        out.append(Finding("staff_week", t("sched.explain.staff_room", lang), False))
    # partner monthly capacity
    per_pm: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    for e in events:
        per_pm[(e.partner_id, month_key(e.date))] += 1
    full = [(pid, mk, n) for (pid, mk), n in sorted(per_pm.items()) if n >= inst.partner(pid).per_month]
    if full:
        shown = "; ".join(f"{inst.partner(pid).name} ({mk[1]:02d}/{mk[0]}: {n}/{inst.partner(pid).per_month})" for pid, mk, n in full[:4])
        out.append(Finding("partner_month", t("sched.explain.partner_month", lang, n=len(full), items=shown)))
    # regency gap
    if rules.min_gap_days >= 2:
        per_r: dict[str, list[dt.date]] = defaultdict(list)
        for e in events:
            per_r[e.regency].append(e.date)
        span = len(inst.days)
        tight = [r for r, ds in per_r.items() if len(ds) >= math.ceil(span / rules.min_gap_days) or
                 all((b - a).days < 2 * rules.min_gap_days for a, b in zip(sorted(ds), sorted(ds)[1:])) and len(ds) >= 2]
        if tight:
            names = ", ".join(inst.regency_name(r) for r in tight[:6]) + (" …" if len(tight) > 6 else "")
            out.append(Finding("gap", t("sched.explain.gap", lang, days=rules.min_gap_days, n=len(tight), regencies=names)))
    # pools exhausted
    invited = defaultdict(int)
    for e in events:
        invited[e.regency] += len(e.invitees)
    exhausted = [r for r, n in invited.items() if r in inst.pools and n >= len(inst.pools[r].value) and len(inst.pools[r].value)]
    if exhausted:
        names = ", ".join(inst.regency_name(r) for r in exhausted[:6]) + (" …" if len(exhausted) > 6 else "")
        out.append(Finding("pool", t("sched.explain.pool", lang, n=len(exhausted), regencies=names)))
    # calendar
    if inst.blocked:
        holidays_n = sum(1 for r in inst.blocked.values() if r == "holiday")
        blackout_n = sum(1 for r in inst.blocked.values() if r in ("ramadan", "idul_fitri"))
        out.append(Finding("calendar", t("sched.explain.calendar", lang, work=len(inst.working_days()), total=len(inst.days),
                                          holidays=holidays_n, blackout=blackout_n), False))
    unplanned = [p for part in sol.parts if part.get("status") not in ("OPTIMAL", "FEASIBLE") for p in part.get("provinces", [])]
    if unplanned:
        names = ", ".join(inst.province_names.get(p, p) for p in unplanned[:8]) + (" …" if len(unplanned) > 8 else "")
        out.append(Finding("unplanned", t("sched.explain.unplanned", lang, n=len(unplanned), provinces=names)))
    for name, (count, workers) in sol.penalties.items():
        if count and workers and name != "cost":
            out.append(Finding(f"penalty_{name}", t(f"sched.explain.penalty_{name}", lang, n=count, workers=fmt_num(workers, 1)), False))
    return out
