"""Why a request cannot be planned: CP-SAT's core of conflicting rules (one assumption
literal per named rule), made minimal, and put into words."""

from __future__ import annotations

import time
from collections import defaultdict

from planner.i18n import fmt_date, fmt_num, fmt_rupiah, t
from planner.scheduling.check import check_fixed
from planner.scheduling.instance import Instance, Partner, Solution, Staff
from planner.scheduling.model import _build

def _diagnose(inst: Instance, partners: list[Partner], staff: list[Staff], provinces: list[str], budget: int | None,
              time_limit: float) -> list[tuple]:
    """The rules that together make the request impossible (CP-SAT's core of assumption
    literals, one literal per named rule), found within ``time_limit`` seconds — what is
    left of the solve's own limit, so that explaining never makes a solve late. Empty
    when no core was found in time."""
    from ortools.sat.python import cp_model

    deadline = time.perf_counter() + time_limit
    if time_limit <= 0.05:
        return []
    built = _build(inst, partners, staff, provinces, budget, diagnose=True)
    left = deadline - time.perf_counter()
    if left <= 0.02:
        return []
    solver = cp_model.CpSolver()
    # the first core may take most of the time; what is left makes it smaller
    solver.parameters.max_time_in_seconds = max(0.01, min(30.0, 0.7 * left))
    solver.parameters.num_workers = 1  # the core of assumptions comes from the single-thread search
    status = solver.solve(built.model)
    if status != cp_model.INFEASIBLE:
        return []
    by_index = {v.index: v for v in built.assumptions}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    # CP-SAT's core is sufficient, not minimal: drop each rule in turn and keep it out if
    # the rest still conflict, so the explanation names only rules that matter.
    i = 0
    while i < len(core) and len(core) > 1 and deadline - time.perf_counter() > 0.02:
        trial = core[:i] + core[i + 1:]
        built.model.clear_assumptions()
        built.model.add_assumptions(trial)
        probe = cp_model.CpSolver()
        probe.parameters.max_time_in_seconds = max(0.01, min(5.0, deadline - time.perf_counter() - 0.01))
        probe.parameters.num_workers = 1
        if probe.solve(built.model) == cp_model.INFEASIBLE:
            kept = {j for j in probe.sufficient_assumptions_for_infeasibility()}
            core = [v for v in trial if v.index in kept] or trial  # strictly smaller: the loop ends
        else:
            i += 1
    return [built.assumptions[v] for v in core]


def conflicts_text(inst: Instance, sol: Solution, lang: str = "id") -> list[str]:
    """Why a request could not be planned, in ``lang``."""
    if sol.conflict_source == "precheck":
        return check_fixed(inst, lang)
    if sol.conflict_source == "core":
        return describe_conflict(inst, sol.core or [], lang, budget=sol.core_budget)
    if sol.conflict_source == "timeout":
        return [t("sched.solve.no_solution", lang, seconds=fmt_num(inst.rules.time_limit, 0))]
    return list(sol.conflicts)


def describe_conflict(inst: Instance, core: list[tuple], lang: str = "id", budget: int | None = None) -> list[str]:
    """CP-SAT's core of conflicting rules, in words."""
    rules = inst.rules
    out: list[str] = []
    locked = sorted(k[1] for k in core if k[0] == "locked")
    groups: dict[str, list[tuple]] = defaultdict(list)
    for k in core:
        groups[k[0]].append(k)
    for kind, keys in groups.items():
        if kind == "locked":
            continue
        if kind == "budget":
            out.append(t("sched.conflict.budget", lang, budget=fmt_rupiah(budget if budget is not None else rules.budget)))
        elif kind == "min_regency":
            names = ", ".join(inst.regency_name(k[1]) for k in keys[:8]) + (" …" if len(keys) > 8 else "")
            out.append(t("sched.conflict.min_regency", lang, n=rules.min_events_per_regency, regencies=names))
        elif kind == "staff_week":
            for k in keys[:5]:
                s = inst._staff.get(k[1])
                out.append(t("sched.conflict.staff_week", lang, staff=s.name if s else k[1], week=k[2][1], limit=s.per_week if s else 0))
        elif kind == "staff_day":
            for k in keys[:5]:
                s = inst._staff.get(k[1])
                out.append(t("sched.conflict.staff_day", lang, staff=s.name if s else k[1], date=fmt_date(k[2], lang)))
        elif kind == "partner_month":
            for k in keys[:5]:
                p = inst._partners.get(k[1])
                out.append(t("sched.conflict.partner_month", lang, partner=p.name if p else k[1], month=f"{k[2][1]:02d}/{k[2][0]}", limit=p.per_month if p else 0))
        elif kind == "gap":
            names = ", ".join(inst.regency_name(k[1]) for k in keys[:5])
            out.append(t("sched.conflict.gap", lang, days=rules.min_gap_days, regencies=names))
        elif kind == "staff_cover":
            for k in keys[:5]:
                out.append(t("sched.conflict.staff_cover", lang, province=inst.province_names.get(k[1], k[1]), date=fmt_date(k[2], lang)))
        elif kind == "seats":
            continue
        else:
            out.append(t(f"sched.conflict.{kind}", lang, **{"staff": keys[0][1] if len(keys[0]) > 1 else ""}))
    if locked:
        out.append(t("sched.conflict.locked", lang, events=", ".join(locked[:10]) + (" …" if len(locked) > 10 else "")))
    return out or [t("sched.conflict.unknown", lang)]
