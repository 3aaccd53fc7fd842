"""Benchmark: a national plan solved province by province (``planner.scheduling.decomposition``).

Targets (issue 13, item 3):

1. A national plan on 2 cores takes at most 0.6x the time of solving the provinces one
   after another in the same run, with its gap against the proven national bound within
   1%. Both runs solve the same instance with the same settings per province (one CP-SAT
   worker each) and stop when the plan is proven within 1% (``Rules.relative_gap=0.01``);
   the only difference is ``processes=2`` against ``processes=1``.
2. The default solve (0,5% gap, time limit 540 s) keeps its time limit (+5%).
3. Travel between provinces needs one model of every staff member x province x day:
   measured for growing numbers of provinces, to set ``MAX_TRAVEL_CHOICES`` (above it a
   plan with travel is refused with the fix); the national request is refused.

    python bench/bench_decomposition.py                     # all (about 40 minutes on 2 busy cores)
    python bench/bench_decomposition.py --only ratio
    python bench/bench_decomposition.py --only limit --time-limits 540,120,60
    python bench/bench_decomposition.py --only travel

The instance is the national one of ``bench/bench_schedule.py`` (demo world at 650,000
businesses, scores from the true enrolment model, ``bench/out/schedule_650000.db``, built
once and reused): 2027-01-04 to 2027-04-03, budget Rp 6,000,000,000, every active partner
(3,266) and staff member (269) of the 38 provinces. Results go to stdout and
``bench/out/bench_decomposition.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time
from pathlib import Path

from _common import OUT, machine, maxrss_mib, print_machine

START = dt.date(2027, 1, 4)
END = START + dt.timedelta(days=89)
BUDGET = 6_000_000_000


def national_instance(businesses: int, relative_gap: float, time_limit: float):
    from bench_schedule import build_db

    from planner import plans
    from planner import scheduling as sch
    from planner.db import connect

    path = OUT / f"schedule_{businesses}.db"
    if not path.exists():
        build_db(path, businesses)
    db = connect(path)
    rules = sch.Rules(start=START, end=END, budget=BUDGET, time_limit=time_limit, relative_gap=relative_gap)
    t0 = time.perf_counter()
    inst = plans.build_instance(db, rules)
    print(f"build_instance {time.perf_counter() - t0:.1f} s: {len({p.province for p in inst.partners})} provinces, "
          f"{len(inst.partners):,} partners, {len(inst.staff)} staff, {sum(len(p.value) for p in inst.pools.values()):,} candidates, "
          f"{sch.candidate_slots(inst):,.0f} candidate slots", flush=True)
    db.conn.close()
    return inst


class Timeline:
    """Progress events: when the plan first came within 1% (and 0,5%) of the bound."""

    def __init__(self, label: str) -> None:
        self.label, self.t0, self.last, self.round = label, time.perf_counter(), 0.0, None
        self.first: dict[float, float] = {}
        self.rounds: list[dict] = []

    def __call__(self, info: dict) -> None:
        now = time.perf_counter() - self.t0
        obj, bnd = info.get("objective"), info.get("bound")
        if obj is not None and bnd:
            gap = (bnd - obj) / bnd
            for level in (0.01, 0.005):
                if gap <= level and level not in self.first:
                    self.first[level] = now
        if info.get("round") != self.round or now - self.last > 60:
            self.round, self.last = info.get("round"), now
            print(f"  [{self.label} {now:7.1f}s] round {info.get('round')} price {info.get('price', 0):.6f} "
                  f"part {info.get('part')}/{info.get('parts')} plan {obj or 0:,.1f} bound {bnd or 0:,.1f}", flush=True)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the solver processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def solve_row(inst, label: str, **kw) -> dict:
    from planner import scheduling as sch

    tl = Timeline(label)
    load0, cpu0 = loadavg(), cpu_seconds()
    t0 = time.perf_counter()
    sol = sch.solve(inst, progress=tl, **kw)
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    violations = sch.check_plan(inst, sol.events)
    row = {"label": label, **kw, "status": sol.status, "objective": sol.objective, "bound": sol.bound, "gap": sol.gap,
           "wall_s": wall, "cpu_s": cpu, "seconds": sol.seconds, "events": len(sol.events), "cost": sol.cost,
           "expected_additional": sol.expected_additional, "violations": len(violations),
           "first_within_1pct_s": tl.first.get(0.01), "first_within_05pct_s": tl.first.get(0.005),
           "load_before": load0, "load_after": loadavg(), "rounds": sol.rounds, "parts": sol.parts}
    print(f"{label}: {sol.status} plan {sol.objective:,.1f} bound {sol.bound:,.1f} gap {100 * sol.gap:.2f}% in {wall:.1f} s "
          f"(CPU {cpu:.1f} s; limit {inst.rules.time_limit:.0f} s); events {len(sol.events):,}, cost Rp {sol.cost:,}; violations {len(violations)}; "
          f"load {load0} -> {row['load_after']}", flush=True)
    for r in sol.rounds:
        print(f"    {r}")
    return row


def run_ratio(args) -> dict:
    """Pairs run one after the other (parallel, then one by one), so that both see much
    the same load from whatever else the machine runs; the verdict is on the median."""
    import statistics

    inst = national_instance(args.businesses, 0.01, args.ratio_time_limit)
    pairs = []
    for n in range(args.pairs):
        par = solve_row(inst, f"pair {n + 1}: parallel (2 processes x 1 worker)", processes=2, part_workers=1)
        seq = solve_row(inst, f"pair {n + 1}: one after another (1 process x 1 worker)", processes=1, part_workers=1)
        ratio = par["wall_s"] / seq["wall_s"]
        same = [round(par["objective"], 6), round(par["bound"], 6)] == [round(seq["objective"], 6), round(seq["bound"], 6)]
        pairs.append({"parallel": par, "sequential": seq, "ratio": ratio, "same_plan": same})
        print(f"pair {n + 1}: {par['wall_s']:.1f} s / {seq['wall_s']:.1f} s = {ratio:.2f}; same plan and bound: {same}", flush=True)
    ratio = statistics.median(p["ratio"] for p in pairs)
    gap = max(p["parallel"]["gap"] for p in pairs)
    ok = ratio <= 0.6 and gap <= 0.01 and all(p["parallel"]["violations"] == 0 for p in pairs)
    print(f"target 1: median ratio {ratio:.2f} (<= 0.6), worst gap {100 * gap:.2f}% (<= 1%): {'PASS' if ok else 'FAIL'}", flush=True)
    return {"pairs": pairs, "median_ratio": ratio, "worst_gap": gap, "verdict": "PASS" if ok else "FAIL"}


def run_limit(args) -> dict:
    """The default gap (0,5%) under each time limit: the whole solve within the limit +5%."""
    rows = []
    for limit in args.time_limits:
        inst = national_instance(args.businesses, 0.005, limit)
        row = solve_row(inst, f"default gap 0,5%, limit {limit:.0f} s")
        row["limit"] = limit
        row["within"] = row["wall_s"] <= 1.05 * limit and row["violations"] == 0
        rows.append(row)
        print(f"  {row['wall_s']:.1f} s of {limit:.0f} s (+5%: {1.05 * limit:.0f}): {'ok' if row['within'] else 'OVER'}", flush=True)
    ok = all(r["within"] for r in rows)
    print(f"target 2: every solve within its limit +5%: {'PASS' if ok else 'FAIL'}", flush=True)
    return {"runs": rows, "verdict": "PASS" if ok else "FAIL"}


def run_travel(args) -> dict:
    from dataclasses import replace

    from planner.scheduling import decomposition as dec
    from planner import scheduling as sch
    from planner.scheduling import model as sch_model
    from planner.errors import PlannerError

    inst = national_instance(args.businesses, 0.005, args.travel_time_limit)
    provinces = sorted({p.province for p in inst.partners})
    try:
        sch.solve(sch.with_rules(inst, allow_travel=True))
        national = "solved"
    except PlannerError as exc:
        national = str(exc)
    print(f"national with travel: {national}", flush=True)
    # provinces in code order (neighbours: 11-19 Sumatra, 31-36 Java, ...), travel on
    rows = []
    for k in args.travel_provinces:
        chosen = provinces[:k]
        part = dec.part_instance(inst, chosen)
        part = sch.Instance(replace(inst.rules, allow_travel=True, time_limit=args.travel_time_limit, provinces=tuple(chosen)), part.partners,
                            part.staff, part.pools, part.blocked, part.fixed, part.busy, part.forbidden, part.attendance_rate,
                            part.default_attendance, part.regency_names, part.province_names, part.uplift_model)
        # the same provinces' budget share as in the national plan: budget x their share of partners
        budget = int(BUDGET * len(part.partners) / len(inst.partners))
        part = sch.with_rules(part, budget=budget)
        choices = dec.travel_choices(part, chosen)
        t0 = time.perf_counter()
        built = sch_model._build(part, part.partners, part.staff, chosen, budget)
        t_build = time.perf_counter() - t0
        size = len(built.model.proto.variables)
        del built
        refused = None
        try:
            dec.check_travel(part, chosen)
        except PlannerError as exc:
            refused = str(exc)
            print(f"  {k} provinces: Jangkau refuses: {exc}; measured anyway", flush=True)
        limit, dec.MAX_TRAVEL_CHOICES = dec.MAX_TRAVEL_CHOICES, 10**12  # measure beyond the limit too
        try:
            t0 = time.perf_counter()
            sol = sch.solve(part, decompose_above=10**12)
            wall = time.perf_counter() - t0
        finally:
            dec.MAX_TRAVEL_CHOICES = limit
        no_travel = sch.solve(sch.with_rules(part, allow_travel=False), decompose_above=10**12)
        row = {"provinces": k, "codes": chosen, "staff": len(part.staff), "partners": len(part.partners), "choices": choices,
               "variables": size, "build_s": t_build, "status": sol.status, "objective": sol.objective, "bound": sol.bound,
               "gap": sol.gap, "wall_s": wall, "travel_events": sum(1 for e in sol.events if e.travel_cost),
               "no_travel_objective": no_travel.objective, "no_travel_gap": no_travel.gap, "maxrss_mib": maxrss_mib(), "refused": refused}
        rows.append(row)
        print(f"  {k:2} provinces ({','.join(chosen)}): {choices:,} choices, {size:,} variables built in {t_build:.1f} s; "
              f"{sol.status} plan {sol.objective:,.1f} bound {sol.bound:,.1f} gap {100 * sol.gap:.2f}% in {wall:.1f} s "
              f"({row['travel_events']} events with travel); without travel {no_travel.objective:,.1f} (gap {100 * no_travel.gap:.2f}%); "
              f"peak RSS {row['maxrss_mib']:.0f} MiB", flush=True)
    return {"national": national, "limit": dec.MAX_TRAVEL_CHOICES, "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--businesses", type=int, default=650_000)
    ap.add_argument("--only", choices=("ratio", "limit", "travel"))
    ap.add_argument("--ratio-time-limit", type=float, default=3600.0, help="generous: both runs should stop at the 1%% gap")
    ap.add_argument("--pairs", type=int, default=2, help="parallel / one-after-another pairs for target 1")
    ap.add_argument("--time-limits", type=lambda s: [float(x) for x in s.split(",")], default=[540.0, 120.0, 60.0])
    ap.add_argument("--travel-time-limit", type=float, default=120.0)
    ap.add_argument("--travel-provinces", type=lambda s: [int(x) for x in s.split(",")], default=[2, 4, 6, 9])
    ap.add_argument("--json", type=Path, default=OUT / "bench_decomposition.json")
    args = ap.parse_args()
    info = machine()
    from importlib.metadata import version

    info["ortools"] = version("ortools")
    print("machine:")
    print_machine(info)
    out: dict = {"machine": info, "businesses": args.businesses}
    if args.only in (None, "ratio"):
        out["ratio"] = run_ratio(args)
    if args.only in (None, "limit"):
        out["limit"] = run_limit(args)
    if args.only in (None, "travel"):
        out["travel"] = run_travel(args)
    out["loadavg_end"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    if args.json.exists():  # keep the other parts of an earlier run
        old = json.loads(args.json.read_text())
        old.update(out)
        out = old
    args.json.write_text(json.dumps(out, indent=1, default=str))
    print(f"results in {args.json}")


if __name__ == "__main__":
    main()
