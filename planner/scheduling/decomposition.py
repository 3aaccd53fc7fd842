"""A plan of many provinces, solved province by province with a proven national bound.

Above about 20.000 candidate slots one CP-SAT model of every province is too large, so
each province (a *part*) gets its own model. The provinces share nothing but the budget
(travel between provinces needs one model, see ``check_travel``), so the national plan is
the best choice of one plan per province whose costs fit the budget together.

**The bound (Lagrangian relaxation of the shared budget).** For any price λ ≥ 0 (objective
units per rupiah) and any national plan x that keeps the budget B,

    value(x) = Σ_p value_p(x_p) ≤ Σ_p [value_p(x_p) − λ·cost_p(x_p)] + λ·B
             ≤ Σ_p U_p(λ) + λ·B,

where U_p(λ) is CP-SAT's *proven* bound of province p's best value − λ·cost (each part
also keeps cost ≤ B, which every national plan does). So every priced round gives a valid
national bound, and the best of them is the one reported; a plan is called optimal only
when that bound proves it. Event costs are priced at floor(λ·cost) objective units, which
can only raise U_p, so rounding never makes the bound invalid.

**The plan.** A first price is estimated before any solve (the events each regency could
hold, cut to what each province's staff can lead, best value per rupiah first: the price
at which they fill the budget). If even they fit the budget, every province is solved
without a price (capped at B), and if those plans fit, that is the answer. Otherwise
priced rounds move the price towards where the provinces' plans spend the budget
(bisection with a secant step; a round whose provinces were stopped by the time is not
taken as "too expensive" but solved again from its plans). Every province's plan of every
round is kept as a *point* (cost, value), and plans that spend too much together are
also cut down to the budget (drop the event that loses least per rupiah, repeatedly: a
Lagrangian heuristic, no solving). A multiple-choice knapsack (one point per province,
total cost ≤ B, best total value; exact with CP-SAT, it is tiny) picks the national plan.
Points at different prices let it combine one province's expensive plan with another's
cheap one — what a fixed split of the budget before solving could not do (budget Rp 10
juta, province A one event worth 10 costing Rp 10 juta, province B one worth 8 costing
Rp 1 juta: A's plan alone is best). Then the budget left over is offered to every province
that could still gain, and exchanges between provinces are tried (a province whose better
plan does not fit against another solved with that much less); small plans (at most 60
events) are swept budget step by budget step. The knapsack chooses again after each.

**All cores.** The provinces of a round are solved by long-lived solver processes (one
per core, each CP-SAT search with cores // processes workers), largest first, each given
a share of the round's time by what it took last round (else by what it can reach),
recomputed when it starts so that time a province leaves is passed on; a province goes
back to the process that built its model, which is solved again under the next price or
budget limit. Every part, the diagnosis of an impossible province included, ends by the
solve's own deadline: nothing gets a minimum time of its own.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from planner.scheduling.diagnosis import _diagnose, conflicts_text
from planner.scheduling.explain import explain
from planner.scheduling.instance import Instance, Partner, Solution
from planner.scheduling.invitees import _events_from
from planner.scheduling.model import (SCALE, _build, _chosen, _full_relaxation, _hint, _objective, _pool_limits, _set_budget,
                                      _slots, _value_of)
from planner.scheduling.rules import month_key, week_key
from planner.errors import PlannerError
from planner.i18n import fmt_int, t

DEFAULT_DECOMPOSE_ABOVE = 20_000  # candidate slots (partner x working day) above which provinces are solved apart
MAX_PRICE_ROUNDS = 6  # priced rounds after round 0
PRICE_SHARE = 0.8  # of the time: the unpriced and priced rounds; the rest moves budget between provinces
FIRST_SHARE = 0.7  # of the time, for the first round: with little time it is the plan (60 s nationally:
# with a third of the time for it, provinces stopped early and the plan won 65.206 workers instead of 94.624)
MAX_REPAIR_ROUNDS = 6
SWEEP_MAX_EVENTS = 60  # plans of at most this many events are swept budget step by budget step
RESERVE = 0.03  # of the time limit, kept for turning the provinces' plans into events and words
# Travel between provinces needs one model with a variable per staff member x province x
# working day. Measured on the national demo (docs/benchmarks.md, "Scheduling province by
# province"), 120 s on 2 busy cores: 15.840 choices (6 provinces) 0,33% from the bound in
# 51 s; 31.185 (9) 0,43% in 80 s on a quiet machine but 75% under load; 70.620 (12) 95%.
MAX_TRAVEL_CHOICES = 20_000


def decompose_threshold(lang: str = "id") -> int:
    """Candidate slots above which a plan of several provinces is solved province by
    province (environment ``PLANNER_DECOMPOSE_ABOVE``, default 20.000; 0 always
    decomposes, which the tests use)."""
    raw = os.environ.get("PLANNER_DECOMPOSE_ABOVE", "").strip()
    try:
        return int(raw) if raw else DEFAULT_DECOMPOSE_ABOVE
    except ValueError:
        raise PlannerError(t("sched.decompose_above", lang, value=raw)) from None


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def default_processes() -> int:
    raw = os.environ.get("PLANNER_SOLVE_PROCESSES", "").strip()
    if raw.isdigit() and int(raw) >= 1:
        return int(raw)
    return cpu_count()


def travel_choices(inst: Instance, provinces: list[str]) -> int:
    """How many staff x province x working-day choices a plan with travel would model."""
    return len(inst.staff) * len(provinces) * len(inst.working_days())


def check_travel(inst: Instance, provinces: list[str], lang: str = "id") -> None:
    """Refuse travel between provinces when its one model would be too large, with the fix:
    turn travel off, or plan at most the number of provinces that fits."""
    n = travel_choices(inst, provinces)
    if n <= MAX_TRAVEL_CHOICES or len(provinces) <= 1:
        return
    per_province = max(1.0, len(inst.staff) / max(1, len(provinces)))
    days = max(1, len(inst.working_days()))
    k = 1
    while (k + 1) * (k + 1) * per_province * days <= MAX_TRAVEL_CHOICES:
        k += 1
    raise PlannerError(t("sched.travel_too_large", lang, provinces=fmt_int(len(provinces)), choices=fmt_int(n),
                         limit=fmt_int(MAX_TRAVEL_CHOICES), k=fmt_int(max(1, k))))


# --------------------------------------------------------------------------- parts
def part_instance(inst: Instance, provinces: list[str]) -> Instance:
    """The plan restricted to some provinces: their partners, staff, candidates, locked and
    cancelled events (a locked event belongs to its partner's province, with its staff
    member), and the other plans' events that touch them."""
    provs = set(provinces)
    partners = [p for p in inst.partners if p.province in provs]
    pids = {p.partner_id for p in partners}
    regencies = {p.regency for p in partners}
    staff = [s for s in inst.staff if s.province in provs]
    sids = {s.staff_id for s in staff}
    part = Instance(
        inst.rules, partners, staff, {r: p for r, p in inst.pools.items() if r in regencies}, inst.blocked,
        [f for f in inst.fixed if f.partner_id in pids],
        [b for b in inst.busy if b.partner_id in pids or (b.staff_id in sids) or b.regency in regencies],
        {(pid, d) for pid, d in inst.forbidden if pid in pids},
        {r: v for r, v in inst.attendance_rate.items() if r in regencies}, inst.default_attendance,
        {r: v for r, v in inst.regency_names.items() if r in regencies}, inst.province_names, inst.uplift_model)
    return part


def reach_units(part: Instance) -> int:
    """No plan of the part wins more than this (objective units): every candidate it could
    ever seat invited, at the value the model counts (rounded as ``_build`` rounds it), no
    penalty. The bound of a part that has none of its own yet."""
    slots = _slots(part, part.partners)
    total = 0
    for r, k in _pool_limits(part, part.partners, slots).items():
        pool = part.pools.get(r)
        if pool is not None and k > 0:
            total += int(np.rint(np.asarray(pool.value[:k], dtype=float) * SCALE).clip(min=0).sum())
    return total


def _filling_price(items: list[tuple[float, int]], room: float) -> float:
    """The value per rupiah of the event, among ``items`` (value per rupiah, cost) taken
    best first, that no longer fits in ``room``: the price at which they fill the budget
    (0 if they all fit, or if that event costs nothing)."""
    acc = 0
    for ratio, cost in sorted(items, key=lambda x: -x[0]):
        acc += cost
        if acc > room:
            return ratio if math.isfinite(ratio) else 0.0
    return 0.0


@dataclass
class Point:
    """One plan of one province: what it costs and wins (objective units)."""

    cost: int
    value: int
    chosen: dict
    status: str
    source: str  # "unpriced", "price", "mincost", "locked", "repair", "sweep"


@dataclass
class Part:
    key: str
    provinces: list[str]
    inst: Instance
    reach: float  # objective units: no plan of the part wins more
    points: list[Point] = field(default_factory=list)
    bounds: list[tuple[float, float]] = field(default_factory=list)  # (price, proven bound of best value - price x cost)
    seconds: float = 0.0
    solved: bool = False  # CP-SAT found at least one plan
    min_cost: float = 0.0  # proven: no plan of the part spends less
    last: Point | None = None  # the plan of the latest round, the next round's hint
    locked_point: bool = False  # the plan of only the locked events is among the points (its cost is the least)

    def bound_at(self, price: float) -> float:
        """A valid bound of best value - price x cost (CP-SAT's, else a weaker one)."""
        known = [u for lam, u in self.bounds if lam == price]
        if known:
            return min(known)
        zero = [u for lam, u in self.bounds if lam == 0.0]
        return min(zero + [self.reach])  # value - price x cost <= value <= bound at price 0

    def upper(self, cost: float) -> float:
        """A bound of the best value of the part when it spends ``cost``."""
        return min([u + lam * cost for lam, u in self.bounds] + [self.reach])

    def best_value(self) -> int | None:
        return max((p.value for p in self.points), default=None)


# --------------------------------------------------------------------------- one part (in a worker process or here)
_REGISTRY: dict[str, Instance] = {}  # parts of the running solve, inherited by forked workers
_STOP = None  # the running solve's stop flag, in a worker process
# Built models of the running solve's parts, by task key: a round solves the same part
# again under another price or budget limit, and building the 38 provinces of the
# national benchmark takes 4,9 s on a quiet core (a tenth of a round), far more under load.
_MODELS: dict[str, object] = {}


def _worker(conn, stop_event) -> None:
    """A solver process: solves the tasks it is sent, one at a time, until told to end.
    It keeps the parts it was sent (spawned workers) and their built models."""
    import traceback

    insts: dict[str, Instance] = {}
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            if "inst" in task:
                insts[task["key"]] = task.pop("inst")
            inst = insts.get(task["key"]) or _REGISTRY[task["key"]]
            conn.send(solve_one(inst, task, stop_event=stop_event))
        except BaseException:  # the parent raises it: a bug, not bad input
            conn.send({"error": traceback.format_exc()})


class _Workers:
    """Long-lived solver processes, one pipe each. Unlike a process pool, the parent
    chooses the process: a province goes back to the one that built its model last round,
    unless that one is busy and nothing else is left."""

    def __init__(self, n: int, parts: list[Part], solve_id: str) -> None:
        methods = mp.get_all_start_methods()
        # fork shares the parts without copying them; only from a process without threads
        self.fork = "fork" in methods and threading.active_count() == 1
        ctx = mp.get_context("fork" if self.fork else ("forkserver" if "forkserver" in methods else "spawn"))
        self.solve_id = solve_id
        if self.fork:
            for part in parts:
                _REGISTRY[f"{solve_id}:{part.key}"] = part.inst
        self.stop_event = ctx.Event()
        self.conns, self.procs = [], []
        for i in range(n):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(child, self.stop_event), name=f"jangkau-solver-{i + 1}", daemon=True)
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)
        self.busy: list[Part | None] = [None] * n
        self.knows: list[set[str]] = [set() for _ in range(n)]  # parts each process has built (or been sent)

    def free(self) -> list[int]:
        return [i for i, b in enumerate(self.busy) if b is None]

    def running(self) -> int:
        return sum(1 for b in self.busy if b is not None)

    def pick(self, i: int, queue: list) -> int:
        """Which queued task process ``i`` takes: its own part that is largest, else the
        largest part no other process knows, else the largest."""
        for j, item in enumerate(queue):
            if item[1].key in self.knows[i]:
                return j
        others = set().union(*(k for n, k in enumerate(self.knows) if n != i)) if len(self.knows) > 1 else set()
        for j, item in enumerate(queue):
            if item[1].key not in others:
                return j
        return 0

    def submit(self, i: int, part: Part, task: dict) -> None:
        if not self.fork and part.key not in self.knows[i]:
            task = dict(task, inst=part.inst)
        self.conns[i].send(task)
        self.busy[i] = part
        self.knows[i].add(part.key)

    def collect(self, timeout: float) -> list[tuple[Part, dict]]:
        from multiprocessing.connection import wait as wait_conns

        live = {self.conns[i]: i for i, b in enumerate(self.busy) if b is not None}
        out = []
        for conn in wait_conns(list(live), timeout=timeout):
            i = live[conn]
            try:
                res = conn.recv()
            except EOFError:
                raise RuntimeError(f"solver process {self.procs[i].name} ended unexpectedly (exit code {self.procs[i].exitcode})") from None
            if "error" in res:
                raise RuntimeError(f"solver process {self.procs[i].name} failed:\n{res['error']}")
            out.append((self.busy[i], res))
            self.busy[i] = None
        return out

    def close(self) -> None:
        self.stop_event.set()  # a process still solving stops at once
        for conn in self.conns:
            try:
                conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for conn in self.conns:
            conn.close()
        for k in [k for k in _REGISTRY if k.startswith(self.solve_id + ":")]:
            del _REGISTRY[k]


def solve_one(inst: Instance, task: dict, *, tick: Callable[[], bool] | None = None, stop_event=None) -> dict:
    """Solve one part as ``task`` says (mode, price, budget cap, hint, time) by its
    deadline, building the model included. Returns status, seconds, CP-SAT's bound of the
    objective solved, and the plan found with its value and cost."""
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    out = {"key": task["key"], "mode": task["mode"], "price": task["price"], "status": "NOT_RUN", "seconds": 0.0}
    if task["deadline"] - time.time() <= 0.02 or (stop_event is not None and stop_event.is_set()):
        return out
    built = _MODELS.get(task["key"]) if task["budget"] is not None else None
    if built is None:
        built = _build(inst, inst.partners, inst.staff, task["provinces"], task["budget"], price=task["price"], mode=task["mode"])
        if task["budget"] is not None:
            solve = task["key"].split(":")[0]
            for k in [k for k in _MODELS if not k.startswith(solve + ":")]:  # another solve's models
                del _MODELS[k]
            _MODELS[task["key"]] = built
    else:  # the same part again: only its budget limit, objective and hint change
        _set_budget(built, task["budget"])
        _objective(built, task["mode"], task["price"])
        built.model.clear_hints()
    if task.get("hint"):
        _hint(built, task["hint"])
    limit = min(task["limit"] - (time.perf_counter() - t0), task["deadline"] - time.time())
    if limit <= 0.01:
        out["seconds"] = time.perf_counter() - t0
        return out
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = limit
    prm.num_workers = max(1, int(task["workers"]))
    prm.relative_gap_limit = float(task["rel_gap"])
    if task.get("abs_gap"):
        prm.absolute_gap_limit = float(task["abs_gap"])
    prm.random_seed = 7
    _full_relaxation(prm)
    if tick is not None:
        prm.log_search_progress = True
        prm.log_to_stdout = False
        solver.log_callback = lambda _line: solver.stop_search() if tick() else None
    done = threading.Event()
    if stop_event is not None:
        def watch() -> None:
            while not done.is_set():
                if stop_event.wait(0.1):
                    solver.stop_search()
                    return

        threading.Thread(target=watch, name="stop-watch", daemon=True).start()
    try:
        status = solver.solve(built.model)
    finally:
        done.set()
    out.update(status=solver.status_name(status), seconds=time.perf_counter() - t0)
    if status == cp_model.MODEL_INVALID:  # a bug in the model, not bad input
        raise RuntimeError(f"CP-SAT model of part {task['key']} is invalid")
    if status == cp_model.INFEASIBLE:
        return out
    bound = solver.best_objective_bound
    # CP-SAT's bound is proven only with a plan found: stopped before (UNKNOWN), it can be
    # the default 0, which is no bound at all
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and math.isfinite(bound):
        out["bound"] = float(bound)
    if task["mode"] == "mincost":
        costs = [c for _, c in built.cost_terms if c]
        out["unit"] = math.gcd(*costs) if costs else 1
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out["chosen"] = _chosen(solver, built)
        out["value"] = _value_of(solver, built.value)
        out["cost"] = int(sum(c * solver.value(v) for v, c in built.cost_terms))
    return out


# --------------------------------------------------------------------------- the national solve
class _Decomposed:
    def __init__(self, inst: Instance, provinces: list[str], *, progress, should_stop, lang: str,
                 processes: int | None, part_workers: int | None, t_start: float) -> None:
        self.inst, self.rules, self.lang = inst, inst.rules, lang
        self.progress, self.should_stop = progress, should_stop
        self.t_start = t_start
        self.end = t_start + self.rules.time_limit * (1 - RESERVE)
        self.budget = self.rules.budget
        self.parts: list[Part] = []
        for prov in provinces:
            part = part_instance(inst, [prov])
            self.parts.append(Part(prov, [prov], part, reach_units(part)))
        self.parts.sort(key=lambda p: (-p.reach, p.key))  # largest first: they set the round's length
        cores = cpu_count()
        self.processes = max(1, min(int(processes or default_processes()), len(self.parts)))
        self.workers = max(1, int(part_workers or max(1, cores // self.processes)))
        self.pool: _Workers | None = None
        self.stop_event = None
        self.stopped = False
        self.abort = False  # the running round is stopped (a province is impossible)
        self.solve_id = uuid.uuid4().hex
        self.rounds: list[dict] = []
        self.best_bound: float | None = None  # objective units
        self.best: dict[str, Point] | None = None
        self.infeasible: tuple[Part, dict] | None = None
        self.proven_over_budget = False
        self.round_seconds = 0.0
        self.price = 0.0  # of the running priced round (objective units per rupiah)
        self.hi: float | None = None  # a price at which the provinces' plans fit the budget
        self.took: dict[str, float] = {}  # seconds each part's last full solve took

    # ---- time
    def now(self) -> float:
        return time.perf_counter()

    def wall(self, t: float) -> float:
        """A perf_counter instant as wall-clock time (for worker processes)."""
        return time.time() + (t - time.perf_counter())

    def left(self) -> float:
        return self.end - self.now()

    # ---- progress and stopping
    def _stop_requested(self) -> bool:
        if not self.stopped and self.should_stop and self.should_stop():
            self.stopped = True
            if self.stop_event is not None:
                self.stop_event.set()
        return self.stopped or self.abort

    def _abort_round(self) -> None:
        """A province cannot be planned at all: stop the round, so that explaining why
        gets the time that is left."""
        self.abort = True
        if self.stop_event is not None:
            self.stop_event.set()

    def _report(self, **info) -> None:
        if not self.progress:
            return
        kept = sum(f.value for f in self.inst.fixed)
        obj = None if self.best is None else sum(p.value for p in self.best.values()) / SCALE + kept
        bound = None if self.best_bound is None else self.best_bound / SCALE + kept
        self.progress({"fraction": min(1.0, (self.now() - self.t_start) / max(self.rules.time_limit, 1e-9)),
                       "objective": obj, "bound": bound, "price": self.price, **info})

    # ---- running a round of tasks
    def _workers(self) -> _Workers:
        if self.pool is None:
            self.pool = _Workers(self.processes, self.parts, self.solve_id)
            self.stop_event = self.pool.stop_event
            if self.stopped:
                self.stop_event.set()
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        for part in self.parts:
            _MODELS.pop(f"{self.solve_id}:{part.key}", None)

    def run_round(self, specs: list[tuple[Part, dict]], round_end: float, label: str, capped: bool = False) -> list[tuple[Part, dict]]:
        """Solve each (part, task) by ``round_end``, largest parts first; a task's time is
        its share of what is left when it starts (by reach, half in proportion and half
        equal), so time one leaves is passed on."""
        results: list[tuple[Part, dict]] = []
        if not specs:
            return results
        # shares by what each part took last time it was solved in full, else by its reach
        if all(p.key in self.took for p, _ in specs):
            size = {p.key: max(self.took[p.key], 0.05) for p, _ in specs}
        else:
            size = {p.key: p.reach for p, _ in specs}
        total = sum(size.values()) or 1.0
        queue = [(i, p, spec, 0.7 * size[p.key] / total + 0.3 / len(specs)) for i, (p, spec) in enumerate(specs)]
        queue.sort(key=lambda x: -x[3])
        done_n = [0]

        def make(item: tuple, running: int) -> dict:
            i, part, spec, w = item
            rest = sum(x[3] for x in queue) + w
            slots = min(self.processes, len(queue) + 1 + running)
            limit = max(0.0, round_end - self.now()) * min(1.0, slots * w / max(rest, 1e-12))
            task = dict(spec, key=f"{self.solve_id}:{part.key}", provinces=part.provinces, limit=limit, deadline=self.wall(round_end),
                        workers=self.workers)
            task.setdefault("rel_gap", self.rules.relative_gap)
            return task

        last = [specs[0][0].provinces]

        def finish(part: Part, res: dict) -> None:
            if res["status"] == "INFEASIBLE" and not capped:
                self._abort_round()
            res["key"] = part.key
            if not capped and res["status"] in ("OPTIMAL", "FEASIBLE"):
                self.took[part.key] = res["seconds"]
            results.append((part, res))
            part.seconds += res["seconds"]
            done_n[0] += 1
            last[0] = part.provinces
            self._report(part=done_n[0], parts=len(specs), round=label, provinces=last[0])

        if self.processes == 1:
            last_tick = [0.0]

            def tick() -> bool:
                if self.now() - last_tick[0] > 0.5:
                    last_tick[0] = self.now()
                    self._report(part=done_n[0], parts=len(specs), round=label, provinces=last[0])
                return self._stop_requested()

            while queue and not self._stop_requested():
                item = queue.pop(0)
                finish(item[1], solve_one(item[1].inst, make(item, 0), tick=tick if (self.progress or self.should_stop) else None))
            self.abort = False
            return results

        pool = self._workers()
        while queue or pool.running():
            for i in pool.free():
                if not queue or self._stop_requested():
                    break
                item = queue.pop(pool.pick(i, queue))
                pool.submit(i, item[1], make(item, pool.running()))
            if self.stopped or self.abort:
                queue.clear()
            if not pool.running():
                break
            finished = pool.collect(timeout=0.25)
            for part, res in finished:
                finish(part, res)
            if not finished:
                self._stop_requested()
                self._report(part=done_n[0], parts=len(specs), round=label, provinces=last[0])
        if self.abort:
            self.abort = False
            if not self.stopped:
                self.stop_event.clear()
        return results

    # ---- bookkeeping
    def absorb(self, results: list[tuple[Part, dict]], source: str, capped: bool = False) -> None:
        """Keep each result's plan as a point and its proven bound. ``capped``: the parts
        had less than the whole budget, so their bounds and infeasibility say nothing about
        the plan as a whole."""
        for part, res in results:
            if res["status"] == "INFEASIBLE":
                if not capped and self.infeasible is None:
                    self.infeasible = (part, res)
                continue
            mode, price = res["mode"], res["price"]
            if "bound" in res and not capped:
                if mode == "value":
                    part.bounds.append((0.0, res["bound"]))
                elif mode == "price":
                    part.bounds.append((price, res["bound"]))
                elif mode == "mincost":
                    part.min_cost = max(part.min_cost, -res["bound"] * res.get("unit", 1))
            if "chosen" in res:
                pt = Point(res["cost"], res["value"], res["chosen"], res["status"], source)
                part.points.append(pt)
                part.last = pt
                part.solved = True

    def add_locked_points(self) -> None:
        """The plan of only the locked events (no new event, nobody invited): a province's
        cheapest plan when there is no minimum of events per regency."""
        rules = self.rules
        if rules.min_events_per_regency > 0:
            return
        pf, pw, pl = (int(round(x * SCALE)) for x in (rules.penalty_friday, rules.penalty_weekend, rules.penalty_workload))
        for part in self.parts:
            inst = part.inst
            if not part.solved or part.locked_point or any(f.staff_id is None for f in inst.fixed):
                continue
            slots = [(f.partner_id, f.date) for f in inst.fixed]
            staff_days = [(f.staff_id, f.date, inst.partner(f.partner_id).province) for f in inst.fixed]
            fri = sum(1 for _, d in slots if d.isoweekday() == 5) if pf else 0
            wkd = sum(1 for _, d in slots if d.isoweekday() >= 6) if pw else 0
            load = max(Counter(s for s, _, _ in staff_days).values(), default=0) if pl else 0
            cost_pen = [max(1, round(inst.partner(pid).cost / 1_000_000)) for pid, _ in slots]
            penalties = {"friday": (fri, fri * pf / SCALE), "weekend": (wkd, wkd * pw / SCALE),
                         "workload": (load, load * pl / SCALE), "cost": (len(slots), sum(cost_pen) / SCALE)}
            value = -(fri * pf + wkd * pw + load * pl + sum(cost_pen))
            cost = sum(inst.partner(pid).cost for pid, _ in slots)
            part.points.append(Point(cost, value, {"slots": slots, "staff_days": staff_days, "invited": {}, "penalties": penalties},
                                     "FEASIBLE", "locked"))
            part.locked_point = True
            part.min_cost = max(part.min_cost, cost)  # every plan keeps the locked events

    def trim(self, plans: dict[str, Point]) -> None:
        """Plans that spend more than the budget together, cut to fit it (a Lagrangian
        heuristic, no solving): events are dropped one at a time, the one that loses least
        per rupiah first (its seats' invitees beyond what the regency's other events seat,
        less the penalties it carried); never a locked event, nor one a regency needs for
        its minimum. Each province's cut plan becomes a point for the knapsack."""
        import heapq

        spend = sum(q.cost for q in plans.values())
        if self.budget is None or spend <= self.budget:
            return
        rules = self.rules
        pf, pw = int(round(rules.penalty_friday * SCALE)), int(round(rules.penalty_weekend * SCALE))
        parts = {p.key: p for p in self.parts}
        state: dict[str, dict] = {}
        heap: list[tuple[float, str, str, tuple]] = []
        version: dict[tuple[str, str], int] = defaultdict(int)

        def loss(key: str, r: str, slot: tuple) -> float:
            st, inst = state[key], parts[key].inst
            p = inst.partner(slot[0])
            seats_after = st["seats"][r] - inst.seats(p)
            vals = st["vals"][r]  # invited values, best first
            lost = sum(vals[max(0, seats_after):])
            saved = (pf if slot[1].isoweekday() == 5 else 0) + (pw if slot[1].isoweekday() >= 6 else 0) + max(1, round(p.cost / 1_000_000))
            return (lost - saved) / max(p.cost, 1)

        for key, q in plans.items():
            inst = parts[key].inst
            fixed = {(f.partner_id, f.date): f for f in inst.fixed}
            seats: dict[str, int] = defaultdict(int)
            events: dict[str, list[tuple]] = defaultdict(list)
            for slot in q.chosen["slots"]:
                p = inst.partner(slot[0])
                f = fixed.get(slot)
                seats[p.regency] += inst.seats(p) - (len(f.invitees) if f else 0)
                if f is None:
                    events[p.regency].append(slot)
            vals = {r: sorted((int(np.rint(inst.pools[r].value[i] * SCALE)) for i in idx), reverse=True)
                    for r, idx in q.chosen["invited"].items() if r in inst.pools}
            state[key] = {"seats": seats, "events": events, "vals": defaultdict(list, vals),
                          "count": {r: sum(1 for slot in q.chosen["slots"] if inst.partner(slot[0]).regency == r) for r in events}}
            for r, slots in events.items():
                for slot in slots:
                    heapq.heappush(heap, (loss(key, r, slot), key, r, slot, 0))
        while spend > self.budget and heap:
            _, key, r, slot, ver = heapq.heappop(heap)
            st = state[key]
            if ver != version[(key, r)] or slot not in st["events"][r]:
                continue  # stale: the regency changed since
            if rules.min_events_per_regency and st["count"][r] <= rules.min_events_per_regency:
                continue
            inst = parts[key].inst
            p = inst.partner(slot[0])
            st["events"][r].remove(slot)
            st["count"][r] -= 1
            st["seats"][r] -= inst.seats(p)
            st["vals"][r] = st["vals"][r][: max(0, st["seats"][r])]
            spend -= p.cost
            version[(key, r)] += 1
            for other in st["events"][r]:
                heapq.heappush(heap, (loss(key, r, other), key, r, other, version[(key, r)]))
        if spend > self.budget:
            return
        for key, q in plans.items():
            st, inst = state[key], parts[key].inst
            fixed = {(f.partner_id, f.date) for f in inst.fixed}
            kept = set(s for slots in st["events"].values() for s in slots) | fixed
            slots = [s for s in q.chosen["slots"] if s in kept]
            if len(slots) == len(q.chosen["slots"]):
                continue
            # staff: one staff-day less per dropped event of that province and day (not a locked event's)
            fixed_staff = {(f.staff_id, f.date) for f in inst.fixed if f.staff_id}
            drop = Counter((inst.partner(s[0]).province, s[1]) for s in q.chosen["slots"] if s not in kept)
            staff_days = []
            load = Counter(sd[0] for sd in q.chosen["staff_days"])
            for sd in sorted(q.chosen["staff_days"], key=lambda sd: -load[sd[0]]):  # the busiest give up their day first
                k = (sd[2], sd[1])
                if drop[k] > 0 and (sd[0], sd[1]) not in fixed_staff:
                    drop[k] -= 1
                    continue
                staff_days.append(sd)
            invited = {}
            for r, idx in q.chosen["invited"].items():
                pool = inst.pools.get(r)
                n = max(0, st["seats"][r]) if r in st["seats"] else len(idx)
                invited[r] = sorted(sorted(idx, key=lambda i: -pool.value[i])[:n]) if pool is not None else []
            chosen = {"slots": slots, "staff_days": staff_days, "invited": invited}
            value, penalties = self.evaluate(inst, chosen)
            chosen["penalties"] = penalties
            parts[key].points.append(Point(sum(inst.partner(s[0]).cost for s in slots), value, chosen, "FEASIBLE", "trim"))

    def evaluate(self, inst: Instance, chosen: dict) -> tuple[int, dict]:
        """A plan's objective in objective units, as the model counts it, and its penalties."""
        rules = inst.rules
        pf, pw, pl = (int(round(x * SCALE)) for x in (rules.penalty_friday, rules.penalty_weekend, rules.penalty_workload))
        gain = sum(int(np.rint(inst.pools[r].value[i] * SCALE)) for r, idx in chosen["invited"].items() if r in inst.pools for i in idx)
        fri = sum(1 for _, d in chosen["slots"] if d.isoweekday() == 5) if pf else 0
        wkd = sum(1 for _, d in chosen["slots"] if d.isoweekday() >= 6) if pw else 0
        load = max(Counter(sd[0] for sd in chosen["staff_days"]).values(), default=0) if pl else 0
        cost_pen = sum(max(1, round(inst.partner(pid).cost / 1_000_000)) for pid, _ in chosen["slots"])
        penalties = {"friday": (fri, fri * pf / SCALE), "weekend": (wkd, wkd * pw / SCALE),
                     "workload": (load, load * pl / SCALE), "cost": (len(chosen["slots"]), cost_pen / SCALE)}
        return gain - fri * pf - wkd * pw - load * pl - cost_pen, penalties

    def choose(self) -> dict[str, Point] | None:
        """The best plan per province whose costs fit the budget together (multiple-choice
        knapsack, exact with CP-SAT: a few hundred Booleans). None if none fits."""
        with_points = [p for p in self.parts if p.points]
        if not with_points:
            return None
        if self.budget is None:
            return {p.key: max(p.points, key=lambda q: (q.value, -q.cost)) for p in with_points}
        # quick answer: every province's best plan fits
        greedy = {p.key: max(p.points, key=lambda q: (q.value, -q.cost)) for p in with_points}
        if sum(q.cost for q in greedy.values()) <= self.budget:
            return greedy
        from ortools.sat.python import cp_model

        m = cp_model.CpModel()
        costs = [q.cost for p in with_points for q in p.points if q.cost]
        unit = math.gcd(*costs) if costs else 1
        pick: dict[str, list] = {}
        spend, gain = [], []
        for p in with_points:
            vs = [m.new_bool_var(f"{p.key}|{i}") for i in range(len(p.points))]
            m.add_exactly_one(vs)
            pick[p.key] = vs
            for q, v in zip(p.points, vs):
                spend.append((q.cost // unit) * v)
                gain.append(q.value * v)
        m.add(sum(spend) <= self.budget // unit)
        m.maximize(sum(gain))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, min(5.0, 0.5 * self.left()))
        solver.parameters.num_workers = 1
        status = solver.solve(m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return {p.key: p.points[next(i for i, v in enumerate(pick[p.key]) if solver.value(v))] for p in with_points}

    def update_best(self) -> None:
        choice = self.choose()
        if choice is not None and (self.best is None or sum(q.value for q in choice.values()) > sum(q.value for q in self.best.values())):
            self.best = choice

    def national_bound(self, price: float) -> float:
        total = sum(p.bound_at(price) for p in self.parts)
        return total + (price * self.budget if self.budget is not None else 0.0)

    def gap(self) -> float:
        if self.best is None or self.best_bound is None:
            return float("inf")
        if any(p.key not in self.best for p in self.parts):
            return float("inf")
        primal = sum(q.value for q in self.best.values())
        return (self.best_bound - primal) / max(abs(self.best_bound), 1.0)

    # ---- prices
    def price_estimate(self) -> float:
        """A first price before any solve: the events each regency could hold (its partners'
        monthly capacity and weekdays, the minimum gap), each province's events cut to what
        its staff can lead, every event worth the best candidates its seats leave, best value
        per rupiah first; the price at which they fill the budget (0 if they all fit)."""
        items: list[tuple[float, int]] = []
        fixed_cost = 0
        for part in self.parts:
            inst, rules = part.inst, self.rules
            fixed_cost += sum(inst.partner(f.partner_id).cost for f in inst.fixed)
            work = inst.working_days()
            months = max(1, len({month_key(d) for d in work}))
            by_regency: dict[str, list[Partner]] = defaultdict(list)
            for q in inst.partners:
                by_regency[q.regency].append(q)
            mine: list[tuple[float, int]] = []
            for r, ps in by_regency.items():
                pool = inst.pools.get(r)
                if pool is None or not len(pool.value):
                    continue
                left = {q.partner_id: min(q.per_month * months, sum(1 for d in work if d.isoweekday() in q.weekdays)) for q in ps}
                n = math.ceil(len(inst.days) / rules.min_gap_days) if rules.min_gap_days >= 1 else sum(left.values())
                pos = 0
                for _ in range(n):
                    def worth(q: Partner) -> float:
                        return float(pool.value[pos:pos + inst.seats(q)].sum()) * SCALE / max(q.cost, 1)
                    free = [q for q in ps if left[q.partner_id] > 0 and inst.seats(q) > 0]
                    if not free or pos >= len(pool.value):
                        break
                    q = max(free, key=worth)
                    mine.append((worth(q), q.cost))
                    left[q.partner_id] -= 1
                    pos += inst.seats(q)
            weeks: dict[tuple[int, int], int] = defaultdict(int)
            for d in work:
                weeks[week_key(d)] += 1
            staff_cap = sum(min(st.per_week, n) for st in inst.staff for n in weeks.values())
            mine.sort(key=lambda x: -x[0])
            items += mine[:staff_cap]
        return _filling_price(items, (self.budget or 0) - fixed_cost)

    def price_guess(self, points: dict[str, Point]) -> float:
        """The price at which the events of ``points``, best value per rupiah first, would
        fill the budget (each event worth the invitees it seats)."""
        items: list[tuple[float, int]] = []
        fixed_cost = 0
        for part in self.parts:
            pt = points.get(part.key)
            if pt is None:
                continue
            inst = part.inst
            fixed = {(f.partner_id, f.date) for f in inst.fixed}
            by_regency: dict[str, list[Partner]] = defaultdict(list)
            for pid, d in pt.chosen["slots"]:
                if (pid, d) in fixed:
                    fixed_cost += inst.partner(pid).cost
                else:
                    by_regency[inst.partner(pid).regency].append(inst.partner(pid))
            for r, ps in by_regency.items():
                pool = inst.pools.get(r)
                idx = pt.chosen["invited"].get(r, [])
                vals = sorted((float(pool.value[i]) for i in idx), reverse=True) if pool is not None else []
                pos = 0
                for p in sorted(ps, key=lambda p: -inst.seats(p)):
                    s = inst.seats(p)
                    v = sum(vals[pos:pos + s]) * SCALE
                    pos += s
                    items.append((v / p.cost if p.cost else float("inf"), p.cost))
        return _filling_price(items, (self.budget or 0) - fixed_cost)

    # ---- the whole solve
    def run(self) -> Solution:
        try:
            return self._run()
        finally:
            self.close()

    def _run(self) -> Solution:
        budget = self.budget
        first = 0.0 if budget is None else self.price_estimate()
        if first > 0:
            # the budget binds even by the estimate: start priced (a round without a price
            # would plan far more than the budget, about a fifth of the national solve)
            self.price_rounds(first, 0.0, None)
        else:
            self.unpriced_round()
            last = {p.key: p.last for p in self.parts if p.last is not None}
            if budget is not None and not self.stopped and not self.infeasible and sum(q.cost for q in last.values()) > budget:
                guess = self.price_guess(last)
                if guess <= 0:  # no event stands out: start from the average value per rupiah
                    guess = max(1.0, sum(q.value for q in last.values())) / max(1, sum(q.cost for q in last.values()))
                self.price_rounds(guess, 0.0, sum(q.cost for q in last.values()))
        if budget is not None and not self.stopped and not self.proven_over_budget and not self.infeasible:
            self.repair()
            if not self.stopped and not self.proven_over_budget and not self.infeasible:
                self.sweep()
        if self.infeasible:
            return self.infeasible_solution()
        return self.solution()

    def unpriced_round(self) -> None:
        """Every province at its best, capped at the whole budget (when the budget may not
        bind, or there is none); provinces left without a plan by the time get another go."""
        budget = self.budget
        phase_end = self.end if budget is None else self.now() + PRICE_SHARE * max(0.0, self.left())
        r0_end = self.end if budget is None else self.now() + FIRST_SHARE * max(0.0, self.left())
        for label, parts, until in (("0", self.parts, r0_end), ("0+", None, phase_end)):
            parts = parts if parts is not None else [p for p in self.parts if not p.solved]
            if not parts or self.stopped or self.infeasible or self.left() <= 0.05:
                break
            t0 = self.now()
            res = self.run_round([(p, {"mode": "value", "price": 0.0, "budget": budget}) for p in parts], until, label)
            if label == "0":
                self.round_seconds = self.now() - t0  # what a round of every province takes here
            self.absorb(res, "unpriced")
            if self.infeasible:
                return
            self.add_locked_points()
            self.trim({p.key: p.last for p in self.parts if p.last is not None})
            bound = self.national_bound(0.0)
            self.best_bound = bound if self.best_bound is None else min(self.best_bound, bound)
            self.update_best()
            self.note_round(label, 0.0, "value", res)

    def note_round(self, label: str, price: float | None, mode: str, res: list) -> None:
        last = {p.key: p.last for p in self.parts if p.last is not None}
        self.rounds.append({"round": label, "price": price, "mode": mode, "cost": sum(q.cost for q in last.values()),
                            "statuses": dict(Counter(r["status"] for _, r in res)), "bound": self.best_bound,
                            "plan": None if self.best is None else sum(q.value for q in self.best.values()),
                            "seconds": self.now() - self.t_start})
        self._report(round=label)

    def price_rounds(self, price: float, lo: float, c_lo: int | None) -> None:
        """Priced rounds: each gives every province's plan at that price and a national
        bound; the price moves towards where the plans spend the budget (bisection with a
        secant step between a price that spends too much and one that spends too little)."""
        budget = self.budget
        price_end = self.now() + PRICE_SHARE * max(0.0, self.left())
        hi, c_hi = None, None
        mincost_done = halved = False
        hints: dict[str, dict] = {}  # plans at the same price, when a round is repeated
        for k in range(1, MAX_PRICE_ROUNDS + 1):
            if self.stopped or self.left() <= 0.05 or self.now() >= price_end or self.gap() <= self.rules.relative_gap:
                break
            if k > 1 and self.best is None and all(p.locked_point for p in self.parts) and sum(p.min_cost for p in self.parts) > budget:
                self.proven_over_budget = True  # the locked events alone cost more than the budget
                return
            if k > 1 and self.best is None and not mincost_done:
                mode = "mincost"  # no plan fits yet: what must each province spend at least?
            else:
                mode = "price"
                if k > 1 and not hints:
                    if hi is None:
                        price = max(price, 1.5 * lo)
                    elif c_lo is None:  # nothing spends too much yet: halve, then try no price at all
                        price = 0.5 * hi if not halved else 0.0
                        halved = True
                    else:
                        step = lo + (c_lo - budget) / max(c_lo - c_hi, 1) * (hi - lo)
                        price = min(max(step, lo + 0.25 * (hi - lo)), hi - 0.25 * (hi - lo))
            # a priced round takes about as long as a round without price (measured: hints do
            # not make it shorter); with less time than that for the rest, fewer rounds, each
            # long enough; the first round (no measure yet) gets FIRST_SHARE of the time
            room = max(0.0, price_end - self.now())
            if self.round_seconds > 0:
                if k > 1 and room < self.round_seconds:
                    break  # a round cut short misleads the price; moving budget is the better use
                rounds_left = max(1, min(MAX_PRICE_ROUNDS - k + 1, int(room // max(self.round_seconds, 1e-3))))
                round_end = self.now() + room / rounds_left
            else:
                round_end = self.now() + FIRST_SHARE * max(0.0, self.left())
            self.price = price if mode == "price" else 0.0
            specs = []
            for p in self.parts:
                # no hint from another price's plan: CP-SAT stayed near it (a Java province at price
                # 0,01 ended at the unpriced plan's Rp 1,7 miliar after 30 s; without, 9 s); a price
                # solved again starts from its own plans
                spec = {"mode": mode, "price": price if mode == "price" else 0.0, "budget": budget, "hint": hints.get(p.key)}
                if mode == "price":
                    best = p.best_value()
                    spec["abs_gap"] = max(1.0, 0.5 * self.rules.relative_gap * (best if best and best > 0 else p.reach))
                specs.append((p, spec))
            t0 = self.now()
            res = self.run_round(specs, round_end, str(k))
            if self.round_seconds <= 0:
                self.round_seconds = self.now() - t0
            self.absorb(res, "mincost" if mode == "mincost" else ("price" if price > 0 else "unpriced"))
            if self.infeasible:
                return
            self.add_locked_points()
            self.trim({p.key: p.last for p in self.parts if p.last is not None and p.last.source in ("price", "unpriced")})
            if mode == "mincost":
                mincost_done = True
                if sum(p.min_cost for p in self.parts) > budget + 1e-6:
                    self.proven_over_budget = True
                    return
            else:
                bound = self.national_bound(price)
                self.best_bound = bound if self.best_bound is None else min(self.best_bound, bound)
            self.update_best()
            self.note_round(str(k), price if mode == "price" else None, mode, res)
            if mode == "price":
                got = {p.key: p.last for p in self.parts if p.last is not None}
                spent = sum(q.cost for q in got.values())
                finished = all(r["status"] == "OPTIMAL" for _, r in res) and len(res) == len(self.parts)
                again = False
                if spent > budget:
                    lo, c_lo = price, spent
                    if hi is None:
                        price = max(self.price_guess(got), 1.5 * price)
                elif finished:
                    hi, c_hi = price, spent
                    self.hi = hi
                else:
                    # provinces stopped by the time spend less than their plans would: the
                    # price is not shown too high; the same price again, from these plans
                    again = True
                hints = {p.key: p.last.chosen for p in self.parts if again and p.last is not None and p.last.source == "price"}
                if hi is not None and hi - lo <= 1e-3 * hi:
                    break

    def repair(self) -> None:
        """Move budget between provinces. Each round offers (a) the budget left over to
        every province that could still gain, and (b) exchanges: where a province has a
        better plan that does not fit, another province is solved with that much less;
        the knapsack then picks the best combination of all plans found."""
        tried: set[tuple[str, int]] = set()
        idle = 0
        for k in range(MAX_REPAIR_ROUNDS):
            if self.best is None or self.stopped or self.left() <= 0.05 or self.gap() <= self.rules.relative_gap:
                return
            cur = self.best
            leftover = self.budget - sum(q.cost for q in cur.values())
            wanted: dict[tuple[str, int], float] = {}  # (part, cap) -> what it might win
            parts = {p.key: p for p in self.parts}
            for p in self.parts:
                q = cur.get(p.key)
                if q is None or not p.inst.partners:
                    continue
                cap = q.cost + leftover
                if leftover > 0 and p.upper(cap) > q.value + 0.5:
                    wanted[(p.key, cap)] = max(wanted.get((p.key, cap), 0.0), p.upper(cap) - q.value)
                better = [u for u in p.points if u.value > q.value and u.cost > q.cost + leftover]
                for u in {id(x): x for x in (min(better, key=lambda x: (x.cost, -x.value)), max(better, key=lambda x: (x.value, -x.cost)))}.values() if better else ():
                    short = u.cost - q.cost - leftover
                    gain = u.value - q.value
                    for o in self.parts:
                        oq = cur.get(o.key)
                        if o is p or oq is None or oq.cost - short < o.min_cost or oq.cost - short < 0:
                            continue
                        lose = oq.value - max((x.value for x in o.points if x.cost <= oq.cost - short), default=-math.inf)
                        if lose <= 0:
                            continue  # already known: the knapsack has it
                        potential = gain - max(0.0, oq.value - o.upper(oq.cost - short))
                        if potential > 0.5:
                            key = (o.key, oq.cost - short)
                            wanted[key] = max(wanted.get(key, 0.0), potential)
            todo = sorted(((v, key) for key, v in wanted.items() if key not in tried), reverse=True)
            todo = todo[: max(2 * self.processes, len(self.parts))]
            if not todo:
                return
            specs = []
            for _, (pk, cap) in todo:
                tried.add((pk, cap))
                part = parts[pk]
                fits = [x for x in part.points if x.cost <= cap]
                hint = max(fits, key=lambda x: x.value).chosen if fits else None
                specs.append((part, {"mode": "value", "price": 0.0, "budget": int(cap), "hint": hint}))
            before = sum(q.value for q in self.best.values())
            res = self.run_round(specs, self.end, f"+{k + 1}", capped=True)
            self.absorb(res, "repair", capped=True)
            self.update_best()
            self.rounds.append({"round": f"repair {k + 1}", "price": None, "mode": "repair", "tasks": len(specs),
                                "cost": sum(q.cost for q in self.best.values()), "bound": self.best_bound,
                                "plan": sum(q.value for q in self.best.values()), "seconds": self.now() - self.t_start})
            if sum(q.value for q in self.best.values()) <= before:
                idle += 1
                if idle >= 2:
                    return

    def sweep(self) -> None:
        """While the plan is not proven within the gap and time is left: each province's
        best plan at every budget, from its unconstrained plan down (each solve capped just
        below the cost of the plan found before), so that the knapsack can combine plans
        no price reaches — the budget steps of a province with a few events. Exact once
        every province is swept; on many provinces the price rounds leave little to gain."""
        if self.best is None or sum(len(q.chosen["slots"]) for q in self.best.values()) > SWEEP_MAX_EVENTS:
            return  # many events: the price rounds leave little to gain, and a sweep would take long
        nxt: dict[str, int] = {}
        unit: dict[str, int] = {}
        for p in self.parts:
            if not p.points or not p.inst.partners:
                continue
            costs = [q.cost for q in p.inst.partners if q.cost]
            unit[p.key] = math.gcd(*costs) if costs else 1
            unpriced = [q for q in p.points if q.source == "unpriced"]
            # from the part's best plan without a price, else from one capped at the whole budget
            nxt[p.key] = max(unpriced, key=lambda q: (q.value, -q.cost)).cost - unit[p.key] if unpriced else self.budget
        parts = {p.key: p for p in self.parts}
        while nxt and not self.stopped and self.left() > 0.05 and self.gap() > self.rules.relative_gap:
            todo = {k: cap for k, cap in nxt.items() if cap >= parts[k].min_cost and cap >= 0}
            if not todo:
                return
            specs = []
            for k, cap in todo.items():
                fits = [x for x in parts[k].points if x.cost <= cap]
                hint = max(fits, key=lambda x: x.value).chosen if fits else None
                specs.append((parts[k], {"mode": "value", "price": 0.0, "budget": int(cap), "hint": hint}))
            res = self.run_round(specs, self.end, "sweep", capped=True)
            self.absorb(res, "sweep", capped=True)
            nxt = {}
            for part, r in res:
                if "chosen" in r:
                    nxt[part.key] = r["cost"] - unit[part.key]
            self.update_best()
            self.rounds.append({"round": "sweep", "price": None, "mode": "sweep", "tasks": len(specs),
                                "cost": sum(q.cost for q in self.best.values()), "bound": self.best_bound,
                                "plan": sum(q.value for q in self.best.values()), "seconds": self.now() - self.t_start})

    # ---- answers
    def infeasible_solution(self) -> Solution:
        part, res = self.infeasible
        core = _diagnose(part.inst, part.inst.partners, part.inst.staff, part.provinces, self.budget, self.end - self.now())
        sol = Solution("INFEASIBLE", [], seconds=self.now() - self.t_start, core=core, core_budget=self.budget, conflict_source="core",
                           parts=[{"provinces": part.provinces, "status": "INFEASIBLE", "seconds": res["seconds"]}])
        sol.conflicts = conflicts_text(self.inst, sol, self.lang)
        return sol

    def over_budget_solution(self) -> Solution:
        """No plan fits: the locked events and the minimum per regency cost more than the
        budget in every province together (each province's least cost is proven)."""
        core: list[tuple] = [("budget",)]
        if self.rules.min_events_per_regency > 0:
            core += [("min_regency", r) for p in self.parts for r in sorted({q.regency for q in p.inst.partners})]
        core += [("locked", f.event_id) for f in self.inst.fixed]
        sol = Solution("INFEASIBLE", [], seconds=self.now() - self.t_start, core=core, core_budget=self.budget, conflict_source="core",
                           parts=self.part_info())
        sol.conflicts = conflicts_text(self.inst, sol, self.lang)
        return sol

    def part_info(self) -> list[dict]:
        out = []
        for p in self.parts:
            q = (self.best or {}).get(p.key)
            if q is None or not p.solved:
                out.append({"provinces": p.provinces, "status": "NOT_RUN", "objective": 0.0, "bound": p.reach / SCALE,
                            "seconds": round(p.seconds, 3), "budget": None, "spent": q.cost if q else 0})
                continue
            out.append({"provinces": p.provinces, "status": q.status, "objective": q.value / SCALE,
                        "bound": max(q.value, p.upper(q.cost)) / SCALE, "seconds": round(p.seconds, 3), "budget": q.cost,
                        "spent": q.cost, "plans": len(p.points), "source": q.source})
        return out

    def solution(self) -> Solution:
        if self.proven_over_budget:
            return self.over_budget_solution()
        if self.best is None or not any(p.solved for p in self.parts):
            sol = Solution("UNKNOWN", [], seconds=self.now() - self.t_start, parts=self.part_info(), conflict_source="timeout")
            sol.conflicts = conflicts_text(self.inst, sol, self.lang)
            return sol
        chosen = {k: q for k, q in self.best.items() if next(p for p in self.parts if p.key == k).solved}
        results = [(p.provinces, chosen[p.key].chosen) for p in self.parts if p.key in chosen]
        events = _events_from(self.inst, results)
        penalties: dict[str, tuple[int, float]] = {}
        for _, ch in results:
            for name, (cnt, w) in ch.get("penalties", {}).items():
                c0, w0 = penalties.get(name, (0, 0.0))
                penalties[name] = (c0 + cnt, w0 + w)
        primal = sum(q.value for q in chosen.values())
        unplanned = [p for p in self.parts if p.key not in chosen]
        # a province without a plan counts in the bound with what it could reach at most
        bound = self.best_bound if self.best_bound is not None else primal + sum(p.reach for p in unplanned)
        bound = max(math.floor(bound + 1e-9), primal)  # plans are whole objective units: so is the optimum
        status = "OPTIMAL" if not unplanned and bound <= primal else "FEASIBLE"
        kept = sum(f.value for f in self.inst.fixed)
        sol = Solution(status, events, objective=primal / SCALE + kept, bound=bound / SCALE + kept,
                           seconds=self.now() - self.t_start, penalties=penalties, parts=self.part_info())
        sol.rounds = self.rounds
        sol.findings = explain(self.inst, sol, self.lang)
        self._report(round="end")
        return sol


def solve_by_province(inst: Instance, provinces: list[str], *, progress=None, should_stop=None, lang: str = "id",
                      processes: int | None = None, part_workers: int | None = None, t_start: float | None = None) -> Solution:
    """Solve ``inst`` province by province (see the module's docstring)."""
    return _Decomposed(inst, provinces, progress=progress, should_stop=should_stop, lang=lang, processes=processes,
                       part_workers=part_workers, t_start=time.perf_counter() if t_start is None else t_start).run()
