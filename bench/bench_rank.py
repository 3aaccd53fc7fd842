"""Benchmark: ``planner.opportunity.rank`` over a database of a million businesses.

Target (issue): a ranking answers in under a second with 1,000,000 businesses.

    python bench/bench_rank.py                  # 1,000,000 businesses, 7 runs per case
    python bench/bench_rank.py --rows 100000 --runs 3

The database is the demo world (``create_demo(db, businesses=N)``: potentials, N
businesses, their contact history, partners, staff), built once into
``bench/out/rank_<rows>.db`` and reused; ``--rebuild`` makes it again.

Each case is timed on one open connection: the first call, then the median, min and max
of ``--runs`` more calls; then, as a Streamlit rerun does it, ``connect()`` + ``rank()``
on a new connection each time (median). A case passes when both medians are under 1 s. The baseline in the same process is the cheapest question the
ranking has to ask of the businesses table, ``SELECT regency_code, sector, COUNT(*) FROM
businesses GROUP BY regency_code, sector``; "x baseline" is rank's median over it.
``--save-results DIR`` writes every ranking as a pickle (to compare versions).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

from _common import OUT, machine, maxrss_mib, median, print_machine, remove_db

MAIN_CASES = [  # (level, by, segment, province)
    ("province", "region", "all", None),
    ("regency", "region", "all", None),
    ("province", "sector", "all", None),
    ("regency", "region-sector", "all", None),
    ("province", "region-sector", "all", None),
    ("regency", "sector", "all", None),
]
EXTRA_CASES = [
    ("province", "region", "PU", None),
    ("province", "region", "BPU", None),
    ("regency", "region-sector", "BPU", None),
    ("regency", "region", "all", "16"),
    ("regency", "region-sector", "all", "16"),
    ("regency", "region", "all", "32"),
]
BASELINES = {
    "COUNT(*) GROUP BY regency_code, sector": "SELECT regency_code, sector, COUNT(*) FROM businesses GROUP BY regency_code, sector",
    "COUNT(*)": "SELECT COUNT(*) FROM businesses",
}


def build(path: Path, rows: int) -> None:
    from planner.db import connect
    from planner.demo import create_demo

    remove_db(path)
    db = connect(path)
    t0 = time.perf_counter()
    s = create_demo(db, businesses=rows)
    print(f"built {path} in {time.perf_counter() - t0:.1f} s: {s.businesses:,} businesses, {s.contacts:,} contacts, "
          f"{s.potentials:,} potentials, {s.partners:,} partners, {s.staff:,} staff")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()


def label(case) -> str:
    level, by, segment, province = case
    return f"{level} / {by} / {segment}" + (f" / province {province}" if province else "")


def time_calls(fn, runs: int) -> tuple[float, list[float]]:
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return first, times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="demo businesses (at most 1,000,000)")
    ap.add_argument("--runs", type=int, default=7, help="timed calls per case after the first")
    ap.add_argument("--rebuild", action="store_true", help="build the demo database again")
    ap.add_argument("--profile", action="store_true", help="cProfile one call of the slowest main case")
    ap.add_argument("--save-results", type=Path, metavar="DIR", help="pickle every ranking into DIR")
    args = ap.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    print("machine:")
    print_machine(info)
    print(f"command: python bench/bench_rank.py {' '.join(sys.argv[1:])}".rstrip())

    path = OUT / f"rank_{args.rows}.db"
    if args.rebuild or not path.exists():
        build(path, args.rows)
    else:
        print(f"reusing {path}")

    from planner.db import connect
    from planner.opportunity import rank

    db = connect(path)
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("businesses", "contacts", "potentials", "partners")}
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    base: dict[str, dict] = {}
    for name, sql in BASELINES.items():
        first, times = time_calls(lambda sql=sql: db.execute(sql).fetchall(), args.runs)
        base[name] = {"first": first, "median": median(times), "min": min(times), "max": max(times)}
        print(f"  baseline {name:<40} first {first:6.3f} s  median {median(times):6.3f} s")
    ref = base["COUNT(*) GROUP BY regency_code, sector"]["median"]

    results = []
    for case in MAIN_CASES + EXTRA_CASES:
        level, by, segment, province = case
        call = lambda: rank(db, level=level, by=by, segment=segment, province=province)  # noqa: E731
        first, times = time_calls(call, args.runs)
        out = call()
        if args.save_results:
            args.save_results.mkdir(parents=True, exist_ok=True)
            out.to_pickle(args.save_results / (label(case).replace(" / ", "_").replace(" ", "") + ".pkl"))
        m = median(times)

        def fresh_call():  # as a Streamlit rerun does it: a new connection, then rank
            conn_db = connect(path)
            try:
                rank(conn_db, level=level, by=by, segment=segment, province=province)
            finally:
                conn_db.conn.close()

        _, fresh_times = time_calls(fresh_call, max(3, args.runs // 2))
        fm = median(fresh_times)
        r = {"case": label(case), "main": case in MAIN_CASES, "rows_out": len(out), "first": first, "median": m,
             "min": min(times), "max": max(times), "x_baseline": m / ref, "connect_rank_median": fm,
             "pass": m < 1.0 and fm < 1.0}
        results.append(r)
        print(f"  {r['case']:<45} {len(out):>5} rows  first {first:6.3f} s  median {m:6.3f} s  "
              f"({m / ref:5.1f} x baseline)  new connection {fm:6.3f} s  {'PASS' if r['pass'] else 'FAIL'}")

    if args.profile:
        worst = max((r for r in results if r["main"]), key=lambda r: r["median"])
        case = next(c for c in MAIN_CASES if label(c) == worst["case"])
        prof = cProfile.Profile()
        prof.enable()
        rank(db, level=case[0], by=case[1], segment=case[2], province=case[3])
        prof.disable()
        prof.dump_stats(str(OUT / "rank.prof"))
        pstats.Stats(str(OUT / "rank.prof")).sort_stats("cumulative").print_stats(20)

    ok = all(r["pass"] for r in results)
    (OUT / f"bench_rank_{args.rows}.json").write_text(json.dumps(
        {"machine": info, "command": "python bench/bench_rank.py " + " ".join(sys.argv[1:]), "counts": counts,
         "baselines": base, "results": results, "maxrss_mib": maxrss_mib(), "target_pass": ok}, indent=1))
    print()
    print("| case (level / by / segment) | rows out | first call s | median s (min–max) | x baseline | connect() + rank, median s | < 1 s |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for r in results:
        print(f"| {r['case']}{'' if r['main'] else ' (extra)'} | {r['rows_out']} | {r['first']:.3f} | "
              f"{r['median']:.3f} ({r['min']:.3f}–{r['max']:.3f}) | {r['x_baseline']:.1f} | {r['connect_rank_median']:.3f} | {'PASS' if r['pass'] else 'FAIL'} |")
    for name, b in base.items():
        print(f"| baseline: `{name}` | | {b['first']:.3f} | {b['median']:.3f} ({b['min']:.3f}–{b['max']:.3f}) | 1.0 | | |" if name.startswith("COUNT(*) GROUP")
              else f"| baseline: `{name}` | | {b['first']:.3f} | {b['median']:.3f} ({b['min']:.3f}–{b['max']:.3f}) | {b['median'] / ref:.1f} | | |")
    print()
    print(f"TARGET rank < 1 s at {counts['businesses']:,} businesses: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
