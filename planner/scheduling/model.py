"""The CP-SAT model of a plan (or of one part of it) and its solve. The scheduler as a whole: which events, with which partner, led by whom, on which day,
and whom to invite, to win the most additional enrolled workers.

The model (OR-Tools CP-SAT), exact for the rules below:

- ``y[p, d]`` — partner ``p`` hosts an event on day ``d``. Created only for days the rules
  allow: inside the horizon, not a national holiday or cuti bersama (``holidays``,
  ``government`` category), not a weekend unless allowed, not in the Ramadan/Idul Fitri
  blackout when it is on, and on one of the partner's weekdays.
- ``w[s, d, P]`` — staff member ``s`` leads an event in province ``P`` on day ``d``. Staff
  of one province are interchangeable for an event of that province, so per province and
  day the number of events equals the number of staff working there; which staff member
  takes which event of the day is settled afterwards (locked events keep theirs). This is
  exact, and far smaller than a variable per partner x staff x day.
- ``z[b]`` — business ``b`` is invited. A business may attend an event of its own regency;
  the value of an invitation does not depend on which event of the regency it goes to,
  so the regency's invitations are bounded by the seats of its events (venue capacity),
  and each business is invited at most once. Only businesses with a positive expected
  gain are candidates, and only as many per regency as its events could ever seat.
  Candidates of one regency with the same value are interchangeable, so the model holds
  one count per regency and value (how many of them are invited, best-ranked first)
  rather than a variable per business: exact, and thousands of symmetric choices fewer.

Objective: expected additional enrolled workers (uplift x workers where an uplift model
exists, else p_enroll x workers) of the invitees, minus named soft-rule penalties.

Hard rules, each with a name so a plan can explain itself: holidays and cuti bersama,
weekends, Ramadan/Idul Fitri blackout, partner weekdays, partner monthly capacity,
one event a day per staff member, staff weekly limit, staff leave, staff in their own
province (or travel at a cost, when allowed), total budget (event cost + travel), a
minimum gap in days between events in one regency, each business invited at most once,
an optional minimum number of events per regency, and locked events. Events of other
published plans occupy their staff, partners and dates.

Soft rules (named penalties in expected workers): an event on a Friday (Friday prayers
shorten the working day), an event on a weekend (when weekends are allowed), and the
workload of the busiest staff member (spreads events over the team).

Every solve runs under a time limit (explaining an impossible request included) and
reports status, objective, best bound and gap. A request that cannot be met is explained
by the rules that conflict: CP-SAT is asked again with one assumption literal per rule,
and its infeasible core is put into words.

A plan too large for one model (many provinces) is solved province by province in
parallel processes, with a proven national bound: ``planner.scheduling.decomposition``.
"""


from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from planner.scheduling.instance import Instance, Partner, Staff
from planner.scheduling.rules import month_key, week_key

SCALE = 1000  # objective units per expected worker (CP-SAT needs integers)


# --------------------------------------------------------------------------- model
@dataclass
class _Model:
    model: object
    y: dict[tuple[str, dt.date], object]
    w: dict[tuple[str, dt.date, str], object]
    z: dict[str, list[tuple[np.ndarray, object]]]  # regency -> [(pool indices of one value, best first; count invited)]
    maxload: object | None
    assumptions: dict[object, tuple]  # literal -> rule key (diagnosis mode only)
    penalty_terms: dict[str, list[tuple[object, int]]]
    value: object = 0  # the plan's objective (expected workers minus penalties, objective units)
    cost_terms: list[tuple[object, int]] = field(default_factory=list)  # (variable, rupiah): what the plan spends
    budget_ct: object | None = None  # the budget rule (its limit can be changed to solve the same part again)


def _slots(inst: Instance, partners: list[Partner]) -> dict[tuple[str, dt.date], Partner]:
    """Every (partner, day) an event may be held on, plus the slots of locked events."""
    work = inst.working_days()
    busy_partner = defaultdict(int)
    for b in inst.busy:
        busy_partner[(b.partner_id, b.date)] += 1
    out: dict[tuple[str, dt.date], Partner] = {}
    for p in partners:
        for d in work:
            if d.isoweekday() in p.weekdays and (p.partner_id, d) not in inst.forbidden and not busy_partner.get((p.partner_id, d)):
                out[(p.partner_id, d)] = p
    for f in inst.fixed:
        if f.partner_id in inst._partners:
            out[(f.partner_id, f.date)] = inst.partner(f.partner_id)
    return out


def _pool_limits(inst: Instance, partners: list[Partner], slots) -> dict[str, int]:
    """How many invitees a regency could ever seat: an upper bound used to prune pools."""
    per_regency: dict[str, list[int]] = defaultdict(list)
    for (pid, _d), p in slots.items():
        per_regency[p.regency].append(inst.seats(p))
    n_days = len(inst.days)
    gap = max(1, inst.rules.min_gap_days)
    limits = {}
    for r, seats in per_regency.items():
        max_events = min(len(seats), math.ceil(n_days / gap) + len([f for f in inst.fixed if inst.partner(f.partner_id).regency == r]))
        limits[r] = int(sum(sorted(seats, reverse=True)[:max_events]))
    return limits


def _build(inst: Instance, partners: list[Partner], staff: list[Staff], provinces: list[str], budget: int | None,
           diagnose: bool = False, *, price: float = 0.0, mode: str = "value") -> _Model:
    """The CP-SAT model of a part. ``mode`` "value" maximises the plan's objective;
    "price" maximises it minus ``price`` objective units per rupiah spent (rounded down
    per event, so that the part's proven bound stays a bound of the priced objective:
    the Lagrangian relaxation of a shared budget, see ``planner.scheduling.decomposition``);
    "mincost" minimises what the plan spends (its bound proves the least a part must
    spend)."""
    from ortools.sat.python import cp_model

    rules = inst.rules
    m = cp_model.CpModel()
    assumptions: dict[object, tuple] = {}
    lit_of: dict[tuple, object] = {}

    def lits(key: tuple) -> list:
        if not diagnose:
            return []
        if key not in lit_of:
            lit = m.new_bool_var("rule:" + "|".join(map(str, key)))
            lit_of[key] = lit
            assumptions[lit] = key
        return [lit_of[key]]

    def add(ct, key: tuple) -> None:
        c = m.add(ct)
        if diagnose:
            c.only_enforce_if(lits(key))

    slots = _slots(inst, partners)
    y = {k: m.new_bool_var(f"y|{k[0]}|{k[1]}") for k in slots}

    # ---- staff variables: who works where on which day
    fixed_staff_days = {(f.staff_id, f.date) for f in inst.fixed if f.staff_id}
    busy_staff = defaultdict(int)
    for b in inst.busy:
        if b.staff_id:
            busy_staff[(b.staff_id, b.date)] += 1
    event_days_by_prov: dict[str, set[dt.date]] = defaultdict(set)
    for (pid, d), p in slots.items():
        event_days_by_prov[p.province].add(d)
    w: dict[tuple[str, dt.date, str], object] = {}
    for s in staff:
        where = [s.province] if not rules.allow_travel else provinces
        for prov in where:
            if prov != s.province and prov not in provinces:
                continue
            for d in sorted(event_days_by_prov.get(prov, ())):
                fixed_here = (s.staff_id, d) in fixed_staff_days
                if not fixed_here and (d in s.leave or busy_staff.get((s.staff_id, d)) or s.per_week <= 0):
                    continue
                w[(s.staff_id, d, prov)] = m.new_bool_var(f"w|{s.staff_id}|{d}|{prov}")
    # locked events: their staff member on their day in their province
    for f in inst.fixed:
        p = inst.partner(f.partner_id)
        add(y[(f.partner_id, f.date)] == 1, ("locked", f.event_id))
        if f.staff_id:
            key = (f.staff_id, f.date, p.province)
            if key not in w:
                w[key] = m.new_bool_var(f"w|{key}")
            add(w[key] == 1, ("locked", f.event_id))
            s = inst._staff.get(f.staff_id)
            if s is not None and s.province != p.province and not rules.allow_travel:
                add(w[key] == 0, ("own_province", f.staff_id))
            if s is not None and f.date in s.leave:
                add(w[key] == 0, ("leave", f.staff_id, f.date))
            if busy_staff.get((f.staff_id, f.date)):
                add(w[key] == 0, ("staff_day", f.staff_id, f.date))

    # ---- per province and day: events = staff working there
    ev_by_pd: dict[tuple[str, dt.date], list] = defaultdict(list)
    for (pid, d), var in y.items():
        ev_by_pd[(slots[(pid, d)].province, d)].append(var)
    st_by_pd: dict[tuple[str, dt.date], list] = defaultdict(list)
    for (sid, d, prov), var in w.items():
        st_by_pd[(prov, d)].append(var)
    for key in sorted(set(ev_by_pd) | set(st_by_pd)):  # sorted: the same model, hence the same plan, in every process
        m.add(sum(ev_by_pd.get(key, [])) == sum(st_by_pd.get(key, [])))  # structure, not a rule: every event has its leader

    # ---- staff: one event a day, weekly limit
    by_sd: dict[tuple[str, dt.date], list] = defaultdict(list)
    by_sw: dict[tuple[str, tuple[int, int]], list] = defaultdict(list)
    for (sid, d, prov), var in w.items():
        by_sd[(sid, d)].append(var)
        by_sw[(sid, week_key(d))].append(var)
    for (sid, d), vars_ in by_sd.items():
        if len(vars_) > 1:
            add(sum(vars_) <= 1, ("staff_day", sid, d))
    busy_week = defaultdict(int)
    for b in inst.busy:
        if b.staff_id:
            busy_week[(b.staff_id, week_key(b.date))] += 1
    staff_by_id = {s.staff_id: s for s in staff}
    for (sid, wk), vars_ in by_sw.items():
        limit = staff_by_id[sid].per_week - busy_week.get((sid, wk), 0) if sid in staff_by_id else 0
        if len(vars_) > limit:
            add(sum(vars_) <= max(0, limit), ("staff_week", sid, wk))

    # ---- partners: monthly capacity
    busy_month = defaultdict(int)
    for b in inst.busy:
        busy_month[(b.partner_id, month_key(b.date))] += 1
    by_pm: dict[tuple[str, tuple[int, int]], list] = defaultdict(list)
    for (pid, d), var in y.items():
        by_pm[(pid, month_key(d))].append(var)
    for (pid, mk), vars_ in by_pm.items():
        limit = inst.partner(pid).per_month - busy_month.get((pid, mk), 0)
        if len(vars_) > limit:
            add(sum(vars_) <= max(0, limit), ("partner_month", pid, mk))

    # ---- regency: minimum gap between events (at most one event in any window of g days)
    g = rules.min_gap_days
    by_regency_day: dict[str, dict[dt.date, list]] = defaultdict(lambda: defaultdict(list))
    for (pid, d), var in y.items():
        by_regency_day[slots[(pid, d)].regency][d].append(var)
    busy_regency: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for b in inst.busy:
        busy_regency[b.regency][b.date] += 1
    if g >= 1:
        for r, per_day in by_regency_day.items():
            days = sorted(per_day)
            busy_days = sorted(busy_regency.get(r, {}))
            starts = sorted({d - dt.timedelta(days=k) for d in days for k in range(g)})
            seen: set[tuple] = set()
            for t in starts:
                window_vars = [v for k in range(g) for v in per_day.get(t + dt.timedelta(days=k), [])]
                occupied = sum(busy_regency[r].get(t + dt.timedelta(days=k), 0) for k in range(g)) if busy_days else 0
                if not window_vars or (len(window_vars) + occupied <= 1):
                    continue
                sig = tuple(sorted(id(v) for v in window_vars))
                if sig in seen:
                    continue
                seen.add(sig)
                add(sum(window_vars) <= max(0, 1 - occupied), ("gap", r))

    # ---- minimum events per regency (regencies with a partner only)
    if rules.min_events_per_regency > 0:
        for r, per_day in by_regency_day.items():
            add(sum(v for vs in per_day.values() for v in vs) >= rules.min_events_per_regency, ("min_regency", r))

    # ---- budget
    travel_terms = []
    for (sid, d, prov), var in w.items():
        s = staff_by_id.get(sid) or inst._staff.get(sid)
        if s is not None and s.province != prov:
            travel_terms.append((var, rules.travel_cost))
    budget_ct = None
    if budget is not None:
        spend = sum(slots[k].cost * v for k, v in y.items()) + sum(c * v for v, c in travel_terms)
        if diagnose:
            add(spend <= budget, ("budget",))
        else:
            budget_ct = m.add(spend <= budget)

    # ---- invitations: each business at most once, seats of its regency's events
    fixed_slots = {(f.partner_id, f.date) for f in inst.fixed}
    limits = _pool_limits(inst, partners, slots)
    seats_by_regency: dict[str, list] = defaultdict(list)
    for (pid, d), var in y.items():
        if (pid, d) not in fixed_slots:
            seats_by_regency[slots[(pid, d)].regency].append(inst.seats(slots[(pid, d)]) * var)
    for f in inst.fixed:  # a locked event keeps its invitees; seats it has left are offered to others
        p = inst.partner(f.partner_id)
        free = inst.seats(p) - len(f.invitees)
        if free > 0:
            seats_by_regency[p.regency].append(free)
    z: dict[str, list[tuple[np.ndarray, object]]] = {}
    objective_terms = []
    for r, per_day in by_regency_day.items():
        pool = inst.pools.get(r)
        if pool is None or not len(pool.value):
            continue
        k = min(len(pool.value), limits.get(r, 0))
        if k <= 0:
            continue
        # Candidates of equal value (in objective units) are interchangeable, so the model
        # counts how many of each value are invited instead of a variable per business:
        # exact, and the demo's province of 18,000 candidates has under 900 values. With a
        # variable per business CP-SAT spent its presolve on dominance between thousands of
        # symmetric choices and found no plan better than 27% from its bound in 60 s. The
        # best-ranked (pool order) of each value are the ones invited.
        coef = np.rint(np.asarray(pool.value[:k], dtype=float) * SCALE).astype(np.int64)
        order = np.lexsort((np.arange(k), -coef))  # by value, then pool order
        cuts = np.flatnonzero(np.diff(coef[order])) + 1
        zs = []
        for g, idx in enumerate(np.split(order, cuts)):
            c = int(coef[idx[0]])
            var = m.new_bool_var(f"z|{r}|{g}") if len(idx) == 1 else m.new_int_var(0, len(idx), f"z|{r}|{g}")
            zs.append((idx, var))
            if c:
                objective_terms.append(c * var)
        z[r] = zs
        seat_terms = seats_by_regency.get(r, [])
        m.add(sum(v for _, v in zs) <= sum(seat_terms))  # structure: invitees need seats

    # ---- soft rules
    penalty_terms: dict[str, list[tuple[object, int]]] = {"friday": [], "weekend": [], "workload": [], "cost": []}
    pf = int(round(rules.penalty_friday * SCALE))
    pw = int(round(rules.penalty_weekend * SCALE))
    for (pid, d), var in y.items():
        if d.isoweekday() == 5 and pf:
            penalty_terms["friday"].append((var, pf))
        if d.isoweekday() >= 6 and pw:
            penalty_terms["weekend"].append((var, pw))
    maxload = None
    pl = int(round(rules.penalty_workload * SCALE))
    if pl and w:
        per_staff: dict[str, list] = defaultdict(list)
        for (sid, d, prov), var in w.items():
            per_staff[sid].append(var)
        maxload = m.new_int_var(0, max(len(v) for v in per_staff.values()), "maxload")
        for vars_ in per_staff.values():
            m.add(maxload >= sum(vars_))
        penalty_terms["workload"].append((maxload, pl))
    # Ties go to the cheaper plan, and an event that wins nobody is never held: each
    # Rp 1 juta of event cost counts as 0,001 expected workers (at least that per event).
    for (pid, d), var in y.items():
        penalty_terms["cost"].append((var, max(1, round(slots[(pid, d)].cost / 1_000_000))))
    for var, c in travel_terms:
        penalty_terms["cost"].append((var, max(1, round(c / 1_000_000))))
    penalty = [c * v for terms in penalty_terms.values() for v, c in terms]
    value = sum(objective_terms) - sum(penalty)
    cost_terms = [(v, slots[k].cost) for k, v in y.items()] + list(travel_terms)
    built = _Model(m, y, w, z, maxload, assumptions, penalty_terms, value, cost_terms, budget_ct)
    if diagnose:
        m.add_assumptions(list(assumptions))
    else:
        _objective(built, mode, price)
    return built


def _objective(built: _Model, mode: str = "value", price: float = 0.0) -> None:
    """Set what the model maximises (see ``_build``); a built model can be solved again
    under another price or mode without being built again."""
    m, cost_terms = built.model, built.cost_terms
    if mode == "mincost":
        unit = math.gcd(*[c for _, c in cost_terms if c]) if any(c for _, c in cost_terms) else 1
        m.maximize(-sum((c // unit) * v for v, c in cost_terms if c))
    elif mode == "price" and price > 0:
        m.maximize(built.value - sum(math.floor(price * c) * v for v, c in cost_terms if math.floor(price * c)))
    else:
        m.maximize(built.value)


def _set_budget(built: _Model, budget: int) -> None:
    """Change the budget rule's limit (the model must have been built with a budget)."""
    dom = built.budget_ct.proto.linear.domain
    dom[len(dom) - 1] = int(budget)


def _hint(built: _Model, chosen: dict) -> None:
    """Start CP-SAT from a known plan of the same part (a complete assignment)."""
    slots, staff_days = set(chosen["slots"]), set(chosen["staff_days"])
    m = built.model
    for k, v in built.y.items():
        m.add_hint(v, k in slots)
    for k, v in built.w.items():
        m.add_hint(v, k in staff_days)
    for r, zs in built.z.items():
        invited = set(chosen["invited"].get(r, ()))
        for idx, v in zs:
            m.add_hint(v, sum(1 for i in idx if int(i) in invited))
    if built.maxload is not None:
        load: dict[str, int] = defaultdict(int)
        for sid, _d, _p in staff_days:
            load[sid] += 1
        m.add_hint(built.maxload, max(load.values(), default=0))


def _chosen(solver, built: _Model) -> dict:
    """The plan CP-SAT found: event slots, staff-days, invitees per regency, penalties."""
    return {
        "slots": [k for k, v in built.y.items() if solver.value(v)],
        "staff_days": [k for k, v in built.w.items() if solver.value(v)],
        "invited": {r: sorted(int(i) for idx, v in zs for i in idx[: solver.value(v)]) for r, zs in built.z.items()},
        "penalties": {name: (sum(int(solver.value(v)) for v, _ in terms), sum(c * int(solver.value(v)) for v, c in terms) / SCALE)
                      for name, terms in built.penalty_terms.items()},
    }


def _value_of(solver, expr) -> int:
    return int(expr) if isinstance(expr, (int, float)) else int(solver.value(expr))


# --------------------------------------------------------------------------- solving
class _Progress:
    """Relays CP-SAT's progress (new solutions and bounds) and stops on request."""

    def __init__(self, callback: Callable[[dict], None] | None, should_stop: Callable[[], bool] | None, offset: float, share: float, total: float) -> None:
        self.callback, self.should_stop = callback, should_stop
        self.offset, self.share, self.total = offset, share, total
        self.t0 = time.perf_counter()
        self.objective: float | None = None
        self.bound: float | None = None
        self.solver = None

    def tick(self) -> None:
        if self.should_stop and self.should_stop() and self.solver is not None:
            self.solver.stop_search()
        if self.callback:
            elapsed = time.perf_counter() - self.t0
            frac = min(1.0, (self.offset + min(elapsed, self.share)) / max(self.total, 1e-9))
            self.callback({"fraction": frac, "objective": self.objective, "bound": self.bound, "elapsed": elapsed})


def _full_relaxation(params) -> None:
    """Prove bounds with the full linear relaxation. Below six workers CP-SAT's portfolio
    has no ``max_lp`` worker, and its ``default_lp`` worker (linearization level 1) did
    not even reach the root LP bound on these models: with a budget for a few events per
    province the bound stayed 20-30% above the best plan for the whole time limit. One
    worker: the same search at linearization level 2; two to five: ``max_lp`` in place of
    ``default_lp`` (the other workers are unchanged)."""
    if params.num_workers <= 1:
        params.linearization_level = 2
    elif params.num_workers < 6:
        params.ignore_subsolvers.append("default_lp")
        params.extra_subsolvers.append("max_lp")


TIME_RESERVE = 0.02  # of the time limit, kept for turning the answer into events and words


def _solve_part(inst: Instance, partners: list[Partner], staff: list[Staff], provinces: list[str], budget: int | None,
                time_limit: float, progress: _Progress | None) -> tuple[str, dict, float, float, float]:
    """Solve one part (the whole plan) within ``time_limit`` seconds, building the model
    included. Returns status, the chosen slots and staff-days and invitees, objective,
    bound and seconds; "UNKNOWN" without solving when no time is left."""
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    built = _build(inst, partners, staff, provinces, budget)
    limit = time_limit - (time.perf_counter() - t0)
    if limit <= 0.01:
        return "UNKNOWN", {}, 0.0, 0.0, time.perf_counter() - t0
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = max(1, int(inst.rules.workers))
    solver.parameters.relative_gap_limit = float(inst.rules.relative_gap)
    solver.parameters.random_seed = 7
    _full_relaxation(solver.parameters)
    if progress is not None:
        progress.solver = solver

        class _CB(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                progress.objective = self.objective_value / SCALE
                progress.bound = self.best_objective_bound / SCALE
                progress.tick()

        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        solver.log_callback = lambda _line: progress.tick()
        status = solver.solve(built.model, _CB())
    else:
        status = solver.solve(built.model)
    secs = time.perf_counter() - t0
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, {}, 0.0, (solver.best_objective_bound / SCALE if status != cp_model.INFEASIBLE else 0.0), secs
    return name, _chosen(solver, built), solver.objective_value / SCALE, solver.best_objective_bound / SCALE, secs


def candidate_slots(inst: Instance) -> float:
    """About how many (partner, day) an event may take: the size that decides whether a
    plan is solved as one model or province by province."""
    return sum(len(p.weekdays) for p in inst.partners) * len(inst.working_days()) / 7


def _reachable_value(inst: Instance, partners: Iterable[Partner]) -> float:
    """What a set of partners could win with no budget limit: the best invitees of their
    regencies up to the seats they could offer. Used to share time and budget."""
    partners = list(partners)
    slots = _slots(inst, partners)
    limits = _pool_limits(inst, partners, slots)
    total = 0.0
    for r, k in limits.items():
        pool = inst.pools.get(r)
        if pool is not None:
            total += float(pool.value[:k].sum())
    return total
