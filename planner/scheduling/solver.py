"""The entry point of a solve: one CP-SAT model for the whole plan, or province by province
(``planner.scheduling.decomposition``) when the plan is too large for one, within the
rules' time limit; an impossible request comes back explained."""

from __future__ import annotations

import time
from collections.abc import Callable

from planner.scheduling import decomposition
from planner.scheduling.check import check_fixed
from planner.scheduling.diagnosis import _diagnose, conflicts_text
from planner.scheduling.explain import explain, explain_empty
from planner.scheduling.instance import Instance, Solution
from planner.scheduling.invitees import _events_from
from planner.scheduling.model import TIME_RESERVE, _Progress, _solve_part, candidate_slots

def solve(inst: Instance, *, progress: Callable[[dict], None] | None = None, should_stop: Callable[[], bool] | None = None,
          lang: str = "id", by_province: bool | None = None, decompose_above: int | None = None,
          processes: int | None = None, part_workers: int | None = None) -> Solution:
    """Plan the events of ``inst`` within ``rules.time_limit`` seconds, explaining an
    impossible request included. Small plans are one model; above ``decompose_above``
    candidate slots (partner x working day; default 20.000, environment
    ``PLANNER_DECOMPOSE_ABOVE``) a plan of several provinces is solved province by
    province in parallel processes with a proven national bound
    (``planner.scheduling.decomposition``); ``by_province`` forces either way. Travel between
    provinces needs one model of every staff member x province x day, refused with the
    fix when it would be too large. ``processes`` (default one per core, environment
    ``PLANNER_SOLVE_PROCESSES``) and ``part_workers`` (CP-SAT workers per province) tune
    the decomposed solve."""
    rules = inst.rules
    rules.validate(lang)
    from ortools.sat.python import cp_model  # noqa: F401  loading OR-Tools (once per process) is not the solve's time

    t_start = time.perf_counter()
    precheck = check_fixed(inst, lang)
    if precheck:
        return Solution("INFEASIBLE", [], conflicts=precheck, seconds=time.perf_counter() - t_start, conflict_source="precheck")
    provinces = sorted({p.province for p in inst.partners})
    work = inst.working_days()
    if not work and not inst.fixed:
        return Solution("EMPTY", [], findings=explain_empty(inst, lang), seconds=time.perf_counter() - t_start)
    size = candidate_slots(inst)
    limit = decomposition.decompose_threshold(lang) if decompose_above is None else int(decompose_above)
    decompose = len(provinces) > 1 and (size > limit if by_province is None else bool(by_province))
    if rules.allow_travel:
        decomposition.check_travel(inst, provinces, lang)  # refused with the fix when too large
        decompose = False  # staff may cross provinces: one model
    if decompose:
        return decomposition.solve_by_province(inst, provinces, progress=progress, should_stop=should_stop, lang=lang,
                                               processes=processes, part_workers=part_workers, t_start=t_start)
    return _solve_joint(inst, provinces, progress, should_stop, lang, t_start)


def _solve_joint(inst: Instance, provinces: list[str], progress: Callable[[dict], None] | None,
                 should_stop: Callable[[], bool] | None, lang: str, t_start: float) -> Solution:
    """The whole plan as one CP-SAT model; its diagnosis, if impossible, takes what is
    left of the time limit."""
    rules = inst.rules
    end = t_start + rules.time_limit * (1 - TIME_RESERVE)
    prog = (_Progress(progress, should_stop, offset=time.perf_counter() - t_start, share=end - time.perf_counter(), total=rules.time_limit)
            if (progress or should_stop) else None)
    status, chosen, obj, bnd, secs = _solve_part(inst, list(inst.partners), list(inst.staff), provinces, rules.budget,
                                                 end - time.perf_counter(), prog)
    spent = 0
    if chosen:
        spent = sum(inst.partner(pid).cost for pid, _ in chosen["slots"]) + sum(
            rules.travel_cost for sid, d, prov in chosen["staff_days"] if inst.staff_member(sid).province != prov)
    part_info = [{"provinces": provinces, "status": status, "objective": obj, "bound": bnd, "seconds": secs,
                  "budget": rules.budget, "spent": spent}]
    if status == "INFEASIBLE":
        core = _diagnose(inst, list(inst.partners), list(inst.staff), provinces, rules.budget, end - time.perf_counter())
        sol = Solution("INFEASIBLE", [], seconds=time.perf_counter() - t_start, core=core, core_budget=rules.budget,
                       conflict_source="core", parts=part_info)
        sol.conflicts = conflicts_text(inst, sol, lang)
        return sol
    if status not in ("OPTIMAL", "FEASIBLE"):
        sol = Solution("UNKNOWN", [], seconds=time.perf_counter() - t_start, parts=part_info, conflict_source="timeout")
        sol.conflicts = conflicts_text(inst, sol, lang)
        return sol
    events = _events_from(inst, [(provinces, chosen)])
    if progress:
        progress({"fraction": 1.0, "objective": obj, "bound": bnd})
    # CP-SAT also says OPTIMAL when it stops at the relative gap limit; call a plan optimal
    # only when it meets the proven bound.
    status = "OPTIMAL" if status == "OPTIMAL" and bnd - obj <= 1e-6 else "FEASIBLE"
    kept = sum(f.value for f in inst.fixed)  # locked events' invitees are not decisions but count in the plan
    sol = Solution(status, events, objective=obj + kept, bound=max(bnd, obj) + kept, seconds=time.perf_counter() - t_start,
                   penalties=dict(chosen.get("penalties", {})), parts=part_info)
    sol.findings = explain(inst, sol, lang)
    return sol
