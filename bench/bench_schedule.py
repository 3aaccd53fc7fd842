"""Benchmark: the CP-SAT sosialisasi scheduler (``planner.scheduling.solve``) at scale.

Targets (issue "Sosialisasi scheduler", item 7):

1. One province (Sumatera Selatan, code 16): about 20,000 open scored businesses, 60
   partners, 15 staff, 90 days. The plan's objective is within 2% of CP-SAT's proven
   bound in 60 s (time limit 60 s, 2 workers), and it wins at least 1.3 times the
   expected additional enrolled workers of the greedy baseline
   (``bench/baselines.greedy_plan``: invitees by uplift x workers, the solver's own
   value) measured in the same run.
2. National (38 provinces, every active partner and staff member): solved province by
   province in under 10 minutes on 2 cores, with a progress bar on stderr.

    python bench/bench_schedule.py                      # build/reuse the database, both targets
    python bench/bench_schedule.py --only province      # target 1 only
    python bench/bench_schedule.py --only national --national-time-limit 540
    python bench/bench_schedule.py --rebuild            # make the database again
    python bench/bench_schedule.py --scheduler bench/out/scheduling_before.py   # another scheduling.py (before/after)

The database is the demo world at ``--businesses`` (default 650,000) businesses, built
once into ``bench/out/schedule_<N>.db`` and reused. Scores are not trained (training at
that scale takes long and the scheduler does not care where scores come from): the
``scores`` table is written from the demo's true generative model,
``planner.demo.enrolment_model``: ``uplift`` = true uplift of an invitation and
``p_enroll`` = clip(p_base + uplift, 0, 1), the chance to enrol when invited, for every
business with ``enrolled = 0`` (vectorised, one ``executemany``).

Results go to stdout and ``bench/out/bench_schedule.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import pstats
import sys
import time
from dataclasses import replace
from pathlib import Path

from _common import OUT, machine, maxrss_mib, print_machine, remove_db
from baselines import greedy_plan

PROVINCE = "16"  # Sumatera Selatan
START = dt.date(2027, 1, 4)  # a Monday
END = START + dt.timedelta(days=89)  # 90 days: 2027-01-04 .. 2027-04-03
N_PARTNERS = 60
N_STAFF = 15
PROVINCE_BUDGET = 300_000_000
NATIONAL_BUDGET = 6_000_000_000


# --------------------------------------------------------------------------- database
def build_db(path: Path, businesses: int) -> None:
    """The demo world plus scores from the true enrolment model."""
    from planner.db import connect
    from planner.demo import create_demo

    remove_db(path)
    db = connect(path)
    t0 = time.perf_counter()
    s = create_demo(db, businesses=businesses)
    print(f"built {path.name} in {time.perf_counter() - t0:.1f} s: {s.businesses:,} businesses, {s.contacts:,} contacts, "
          f"{s.partners:,} partners, {s.staff:,} staff", flush=True)
    t0 = time.perf_counter()
    n = write_true_scores(db)
    print(f"wrote {n:,} scores from the true enrolment model in {time.perf_counter() - t0:.1f} s", flush=True)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()


def write_true_scores(db) -> int:
    """``scores`` for every open business from ``demo.enrolment_model`` (the truth):
    uplift = true uplift, p_enroll = clip(p_base + uplift, 0, 1)."""
    import numpy as np
    import pandas as pd

    from planner.db import transaction
    from planner.demo import enrolment_model

    cur = db.execute(
        "SELECT business_id, regency_code, size_class, has_nib, kur_recipient, coop_member, digital_payments, founded_year, "
        "CAST(json_extract(attributes, '$.distance_km') AS REAL) FROM businesses WHERE enrolled = 0"
    )
    df = pd.DataFrame(cur.fetchall(), columns=["business_id", "regency_code", "size_class", "has_nib", "kur_recipient", "coop_member",
                                               "digital_payments", "founded_year", "distance_km"])
    p_base, uplift = enrolment_model(df)
    p_enroll = np.clip(p_base + uplift, 0.0, 1.0)
    stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    rows = zip(df["business_id"].tolist(), p_enroll.round(6).tolist(), uplift.astype(float).tolist(),
               [None] * len(df), ["demo-truth"] * len(df), [stamp] * len(df))
    with transaction(db):
        db.execute("DELETE FROM scores")
        db.conn.executemany("INSERT INTO scores (business_id, p_enroll, uplift, reasons, model_version, scored_at) VALUES (?,?,?,?,?,?)", rows)
    return len(df)


# --------------------------------------------------------------------------- instances
def pick_partners(partners, n: int):
    """``n`` partners spread over the regencies and the partner types: round robin over
    the regencies (by code); each turn a regency gives its partner of the type picked
    least often so far (ties: the type order below, then partner id). Deterministic."""
    from collections import defaultdict

    order = ["dinas_koperasi", "bank", "koperasi", "oss_ptsp", "pemda", "perisai", "asosiasi_ritel", "ecommerce", "asosiasi_industri"]
    by_reg = defaultdict(list)
    for p in sorted(partners, key=lambda p: p.partner_id):
        by_reg[p.regency].append(p)
    used: dict[str, int] = defaultdict(int)
    out = []
    regs = sorted(by_reg)
    while len(out) < n and any(by_reg.values()):
        for r in regs:
            if by_reg[r] and len(out) < n:
                p = min(by_reg[r], key=lambda p: (used[p.type], order.index(p.type) if p.type in order else 99, p.partner_id))
                by_reg[r].remove(p)
                used[p.type] += 1
                out.append(p)
    return sorted(out, key=lambda p: p.partner_id)


def extra_staff(inst, n: int):
    """Staff records added to reach ``n`` in the province (same pattern as the demo:
    weekly limits 2/3/3/4, home regency in turn)."""
    from planner import scheduling as sch

    have = [s for s in inst.staff if s.province == PROVINCE]
    regs = sorted({p.regency for p in inst.partners})
    limits = [2, 3, 3, 4]
    return [sch.Staff(f"SB{PROVINCE}-{i:02d}", f"Staf tambahan {i}", PROVINCE, limits[i % 4], regs[i % len(regs)])
            for i in range(1, n - len(have) + 1)]


def province_instance(db, time_limit: float, budget: int):
    from planner import plans
    from planner import scheduling as sch

    rules = sch.Rules(start=START, end=END, budget=budget, provinces=(PROVINCE,), time_limit=time_limit, workers=2)
    t0 = time.perf_counter()
    full = plans.build_instance(db, rules)
    t_build = time.perf_counter() - t0
    partners = pick_partners(full.partners, N_PARTNERS)
    staff = list(full.staff) + extra_staff(full, N_STAFF)
    inst = sch.Instance(rules, partners, staff, full.pools, full.blocked, full.fixed, full.busy, full.forbidden, full.attendance_rate,
                        full.default_attendance, full.regency_names, full.province_names, full.uplift_model)
    inst.regency_priority = full.regency_priority
    return inst, full, t_build


def pool_stats(db, inst, provinces=None) -> dict:
    ph = ""
    params: list = []
    if provinces:
        ph = f" AND g.province_code IN ({','.join('?' * len(provinces))})"
        params = list(provinces)
    scored_open = db.execute(
        "SELECT COUNT(*) FROM scores s JOIN businesses b ON b.business_id = s.business_id JOIN regencies g ON g.code = b.regency_code "
        f"WHERE b.enrolled = 0{ph}", params).fetchone()[0]
    cands = sum(len(p.value) for p in inst.pools.values())
    value = sum(float(p.value.sum()) for p in inst.pools.values())
    return {"scored_open": scored_open, "candidates": cands, "candidate_value": value, "regencies_with_pool": len(inst.pools)}


def staff_capacity(inst) -> int:
    """Events the staff could lead in the horizon: per staff member and ISO week, the
    weekly limit or the working days of that week off leave, whichever is smaller."""
    from collections import defaultdict

    from planner import scheduling as sch

    work = inst.working_days()
    total = 0
    for s in inst.staff:
        per_week = defaultdict(int)
        for d in work:
            if d not in s.leave:
                per_week[sch.week_key(d)] += 1
        total += sum(min(s.per_week, n) for n in per_week.values())
    return total


# --------------------------------------------------------------------------- reporting
def plan_row(inst, sol) -> dict:
    from planner import scheduling as sch

    violations = sch.check_plan(inst, sol.events)
    return {
        "status": sol.status, "objective": sol.objective, "bound": sol.bound, "gap": None if sol.gap != sol.gap else sol.gap,
        "seconds": sol.seconds, "events": len(sol.events), "invitees": sum(len(e.invitees) for e in sol.events),
        "expected_additional": sol.expected_additional, "expected_enrollments": sol.expected_enrollments, "cost": sol.cost,
        "violations": len(violations), "violations_first": violations[:3],
        "staff_days": len({(e.staff_id, e.date) for e in sol.events}),
        "regencies": len({e.regency for e in sol.events}),
        "penalties": {k: list(v) for k, v in sol.penalties.items()},
    }


class Bar:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str, width: int = 30) -> None:
        self.label, self.width = label, width
        self.t0 = time.perf_counter()
        self.last = 0.0
        self.part = ""
        self.events: list[dict] = []

    def __call__(self, info: dict) -> None:
        now = time.perf_counter()
        if "part" in info:
            self.part = f" {info['part']}/{info['parts']} parts done (last: {','.join(info['provinces'])})"
            self.events.append({"t": now - self.t0, **{k: v for k, v in info.items() if k != "provinces"}, "provinces": info["provinces"]})
        elif info.get("objective") is not None:
            last = next((e for e in reversed(self.events) if "part" not in e), None)
            if last is None or (last["objective"], last["bound"]) != (info["objective"], info["bound"]):
                self.events.append({"t": now - self.t0, "objective": info["objective"], "bound": info["bound"]})
        if now - self.last < 0.5 and "part" not in info and info.get("fraction", 0) < 1:
            return
        self.last = now
        frac = max(0.0, min(1.0, float(info.get("fraction", 0.0))))
        filled = int(round(frac * self.width))
        obj, bnd = info.get("objective"), info.get("bound")
        tail = f" obj {obj:,.0f} bound {bnd:,.0f}" if obj is not None and bnd is not None else ""
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {frac:5.1%} {now - self.t0:6.1f}s{self.part}{tail}\033[K")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_pressure() -> str:
    try:
        return Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return "n/a"


# --------------------------------------------------------------------------- targets
def run_province(db, args) -> dict:
    from planner import scheduling as sch
    from planner.scheduling import model as sch_model

    inst, full, t_inst = province_instance(db, args.time_limit, args.budget)
    stats = pool_stats(db, inst, [PROVINCE])
    types = {}
    for p in inst.partners:
        types[p.type] = types.get(p.type, 0) + 1
    print(f"\n== one province ({PROVINCE}): build_instance {t_inst:.1f} s; partners {len(inst.partners)} of {len(full.partners)} active "
          f"in {len({p.regency for p in inst.partners})} regencies {types}; staff {len(inst.staff)} ({len(full.staff)} from the demo); "
          f"open scored businesses {stats['scored_open']:,}, candidates with value > 0 {stats['candidates']:,} "
          f"(total value {stats['candidate_value']:,.0f} workers); working days {len(inst.working_days())} of {len(inst.days)}; "
          f"budget Rp {args.budget:,}", flush=True)

    # model building alone (the solve builds it again)
    t0 = time.perf_counter()
    built = sch_model._build(inst, inst.partners, inst.staff, [PROVINCE], inst.rules.budget)
    t_model = time.perf_counter() - t0
    proto = built.model.proto
    model_size = {"variables": len(proto.variables), "constraints": len(proto.constraints), "y": len(built.y), "w": len(built.w),
                  "z": sum(len(v) for v in built.z.values()), "seconds": t_model}
    print(f"model: {model_size['variables']:,} variables ({model_size['y']:,} y, {model_size['w']:,} w, {model_size['z']:,} z), "
          f"{model_size['constraints']:,} constraints, built in {t_model:.2f} s", flush=True)
    del built

    load0 = loadavg()
    t0 = time.perf_counter()
    greedy = greedy_plan(inst)
    t_greedy = time.perf_counter() - t0
    g = plan_row(inst, greedy)
    g["seconds"] = t_greedy
    cap = staff_capacity(inst)
    runs = []
    sol = None
    for rep in range(args.repeat):
        bar = Bar(f"province 16 run {rep + 1}/{args.repeat}")
        if args.profile and rep == 0:
            prof = cProfile.Profile()
            prof.enable()
        t0 = time.perf_counter()
        sol = sch.solve(inst, progress=bar)
        wall = time.perf_counter() - t0
        if args.profile and rep == 0:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        bar.done()
        c = plan_row(inst, sol)
        c["wall_seconds"] = wall
        c["ratio"] = sol.expected_additional / greedy.expected_additional if greedy.expected_additional else float("inf")
        c["timeline"] = [e for e in bar.events if "part" not in e and e.get("bound") is not None]
        c["loadavg"] = loadavg()
        runs.append(c)
        print(f"CP-SAT run {rep + 1}: {c['status']} objective {c['objective']:,.1f} bound {c['bound']:,.1f} gap {100 * (c['gap'] or 0):.2f}% "
              f"in {wall:.1f} s; events {c['events']}, invitees {c['invitees']:,}, expected additional {c['expected_additional']:,.1f}, "
              f"expected enrolments {c['expected_enrollments']:,.1f}, cost Rp {c['cost']:,} ({c['cost'] / args.budget:.1%} of budget), "
              f"staff-events {c['events']} of {cap} possible; check_plan violations {c['violations']}; ratio {c['ratio']:.2f}; "
              f"load {c['loadavg']}", flush=True)
        tl = c["timeline"]
        for e in (tl if len(tl) <= 20 else tl[:: len(tl) // 19 + 1] + tl[-1:]):
            gp = (e["bound"] - e["objective"]) / e["bound"] if e["bound"] else 0
            print(f"   t={e['t']:6.1f}s objective {e['objective']:10,.1f} bound {e['bound']:10,.1f} gap {100 * gp:6.2f}%")
    load1 = loadavg()
    print(f"greedy : events {g['events']}, invitees {g['invitees']:,}, expected additional {g['expected_additional']:,.1f}, "
          f"expected enrolments {g['expected_enrollments']:,.1f}, cost Rp {g['cost']:,} ({g['cost'] / args.budget:.1%} of budget), "
          f"{t_greedy:.2f} s; check_plan violations {g['violations']}")
    findings = [f.text for f in sch.explain(inst, sol, "en")]
    print("findings (last run): " + " | ".join(findings))

    # context: the same instance without a budget (does the budget bind?)
    free = sch.Instance(replace(inst.rules, budget=None), inst.partners, inst.staff, inst.pools, inst.blocked, inst.fixed, inst.busy,
                        inst.forbidden, inst.attendance_rate, inst.default_attendance, inst.regency_names, inst.province_names, inst.uplift_model)
    free.regency_priority = inst.regency_priority
    t0 = time.perf_counter()
    nb = sch.solve(free)
    nb_row = plan_row(free, nb)
    nb_row["wall_seconds"] = time.perf_counter() - t0
    print(f"without a budget (context): {nb.status} objective {nb.objective:,.1f} bound {nb.bound:,.1f} gap {100 * nb.gap:.2f}% in "
          f"{nb_row['wall_seconds']:.1f} s; events {nb_row['events']} of {cap} staff-events possible, cost Rp {nb_row['cost']:,}, "
          f"expected additional {nb.expected_additional:,.1f}")

    gap_ok = all(c["gap"] is not None and c["gap"] <= 0.02 and c["wall_seconds"] <= 60.0 and c["violations"] == 0 for c in runs)
    ratio_ok = all(c["ratio"] >= 1.3 for c in runs) and g["violations"] == 0
    verdict_gap = "PASS" if gap_ok else "FAIL"
    verdict_ratio = "PASS" if ratio_ok else "FAIL"
    print(f"target 1a (gap <= 2% within the 60 s limit, every run): {verdict_gap}; target 1b (>= 1.3x greedy, every run): {verdict_ratio}; "
          f"load {load0} -> {load1}", flush=True)
    return {"instance": {"build_instance_s": t_inst, "partners": len(inst.partners), "partner_types": types,
                         "partner_regencies": len({p.regency for p in inst.partners}), "active_partners": len(full.partners),
                         "staff": len(inst.staff), "demo_staff": len(full.staff), "staff_capacity": cap, "working_days": len(inst.working_days()),
                         "days": len(inst.days), "budget": args.budget, **stats},
            "model": model_size, "runs": runs, "greedy": g, "no_budget": nb_row, "findings": findings,
            "load_before": load0, "load_after": load1, "verdict_gap": verdict_gap, "verdict_ratio": verdict_ratio}


def run_national(db, args) -> dict:
    from planner import plans
    from planner import scheduling as sch

    rules = sch.Rules(start=START, end=END, budget=args.national_budget, time_limit=args.national_time_limit, workers=2)
    load0 = loadavg()
    t0 = time.perf_counter()
    inst = plans.build_instance(db, rules)
    t_inst = time.perf_counter() - t0
    stats = pool_stats(db, inst)
    provinces = sorted({p.province for p in inst.partners})
    print(f"\n== national: build_instance {t_inst:.1f} s; {len(provinces)} provinces, {len(inst.partners):,} partners, {len(inst.staff)} staff, "
          f"open scored businesses {stats['scored_open']:,}, candidates {stats['candidates']:,}; budget Rp {args.national_budget:,}; "
          f"time limit {args.national_time_limit:.0f} s", flush=True)
    t1 = time.perf_counter()
    greedy = greedy_plan(inst)
    t_greedy = time.perf_counter() - t1
    bar = Bar("national")
    t1 = time.perf_counter()
    sol = sch.solve(inst, progress=bar)
    t_solve = time.perf_counter() - t1
    bar.done()
    total = t_inst + t_solve
    load1 = loadavg()
    c = plan_row(inst, sol)
    g = plan_row(inst, greedy)
    g["seconds"] = t_greedy
    parts = []
    for p in sol.parts:
        gap = (p["bound"] - p["objective"]) / p["bound"] if p.get("bound") else 0.0
        parts.append({**p, "gap": max(0.0, gap)})
    worst = max(parts, key=lambda p: p["gap"]) if parts else None
    slowest = max(parts, key=lambda p: p["seconds"]) if parts else None
    statuses = {}
    for p in parts:
        statuses[p["status"]] = statuses.get(p["status"], 0) + 1
    print(f"national: {c['status']} objective {c['objective']:,.1f} bound {c['bound']:,.1f} gap {100 * (c['gap'] or 0):.2f}%; "
          f"build_instance {t_inst:.1f} s + solve {t_solve:.1f} s = {total:.1f} s; parts {len(parts)} {statuses}; "
          f"events {c['events']:,}, expected additional {c['expected_additional']:,.1f}, expected enrolments {c['expected_enrollments']:,.1f}, "
          f"cost Rp {c['cost']:,} ({c['cost'] / args.national_budget:.1%}); violations {c['violations']}")
    print(f"greedy (context): events {g['events']:,}, expected additional {g['expected_additional']:,.1f}, cost Rp {g['cost']:,}, "
          f"{t_greedy:.1f} s; violations {g['violations']}")
    if worst:
        print(f"worst gap: province {','.join(worst['provinces'])} {100 * worst['gap']:.2f}% ({worst['status']}); slowest: province "
              f"{','.join(slowest['provinces'])} {slowest['seconds']:.1f} s")
    for p in parts:
        print(f"   {','.join(p['provinces']):>3} {p['status']:<8} obj {p['objective']:9,.1f} bound {p['bound']:9,.1f} gap {100 * p['gap']:5.2f}% "
              f"solve {p['seconds']:6.1f} s budget {p['budget'] or 0:>13,} spent {p['spent']:>13,}")
    verdict = "PASS" if total < 600 and sol.status in ("OPTIMAL", "FEASIBLE") and c["violations"] == 0 else "FAIL"
    print(f"target 2 (national < 10 min): {verdict}; load {load0} -> {load1}", flush=True)
    return {"build_instance_s": t_inst, "solve_s": t_solve, "total_s": total, "provinces": len(provinces), "partners": len(inst.partners),
            "staff": len(inst.staff), **stats, "cpsat": c, "greedy": g, "parts": parts, "statuses": statuses,
            "worst_gap": worst, "slowest": slowest, "load_before": load0, "load_after": load1, "verdict": verdict,
            "budget": args.national_budget, "time_limit": args.national_time_limit}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--businesses", type=int, default=650_000)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--only", choices=("province", "national"))
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--budget", type=int, default=PROVINCE_BUDGET)
    ap.add_argument("--national-time-limit", type=float, default=540.0)
    ap.add_argument("--national-budget", type=int, default=NATIONAL_BUDGET)
    ap.add_argument("--repeat", type=int, default=3, help="province solves (the greedy plan is deterministic, run once)")
    ap.add_argument("--profile", action="store_true", help="cProfile the first province solve")
    ap.add_argument("--scheduler", type=Path, help="use this file as planner/scheduling.py (e.g. the previous commit's, "
                    "`git show HEAD~1:planner/scheduling.py > bench/out/scheduling_before.py`), to measure before and after with one script")
    ap.add_argument("--json", type=Path, default=OUT / "bench_schedule.json")
    args = ap.parse_args()

    from importlib.metadata import version

    if args.scheduler:
        import importlib.util

        import planner

        spec = importlib.util.spec_from_file_location("planner.scheduling", args.scheduler)
        mod = importlib.util.module_from_spec(spec)
        sys.modules["planner.scheduling"] = mod
        spec.loader.exec_module(mod)
        planner.scheduling = mod
    from planner.db import connect

    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["ortools"] = version("ortools")
    info["cpu pressure"] = cpu_pressure()
    print("machine:")
    print_machine(info)
    path = OUT / f"schedule_{args.businesses}.db"
    if args.rebuild or not path.exists():
        build_db(path, args.businesses)
    db = connect(path)
    out: dict = {"machine": info, "businesses": args.businesses, "db": str(path), "scheduler": str(args.scheduler or "planner/scheduling.py")}
    print(f"scheduler: {out['scheduler']}")
    if args.only in (None, "province"):
        out["province"] = run_province(db, args)
    if args.only in (None, "national"):
        out["national"] = run_national(db, args)
    out["loadavg_end"] = loadavg()
    out["cpu_pressure_end"] = cpu_pressure()
    out["maxrss_mib"] = maxrss_mib()
    print(f"\nload average at end {out['loadavg_end']}; {out['cpu_pressure_end']}; peak RSS {out['maxrss_mib']:,.0f} MiB")
    args.json.write_text(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
