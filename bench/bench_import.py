"""Benchmark: importing a large businesses CSV through ``planner.imports.import_file``.

Target (issue): the import reaches at least half the rows per second of a plain
``sqlite3`` ``executemany`` of the same rows (the same typed tuples, already in memory,
attributes JSON included) into an identical fresh ``businesses`` table, measured in the
same process.

    python bench/bench_import.py                # 1,000,000 rows, 3 repeats
    python bench/bench_import.py --rows 100000 --repeat 1 --skip-insert-all

What is measured, each into a freshly migrated database with the reference data loaded
and opened with ``planner.db.connect`` (WAL, synchronous=NORMAL, foreign keys on):

1. baseline: ``conn.executemany("INSERT INTO businesses ... VALUES (?, ...)", tuples)``
   in one ``BEGIN IMMEDIATE`` transaction; the tuples are built before the clock starts;
2. ``import_file(db, "businesses", csv)``: read + validate + upsert, end to end;
3. the same file again into the database of 2 (every row already there, unchanged);
4. for context, sqlite-utils ``db["businesses"].insert_all(dicts)`` with its defaults;
5. peak memory (``ru_maxrss``) of a child process that only runs ``import_file`` once.

1 and 2 alternate ``--repeat`` times; the ratio is median(import rows/s) over
median(executemany rows/s). The two resulting tables are compared row for row
(``EXCEPT`` both ways), so the baseline really writes the same rows.

The CSV is generated once with the demo generator (``bench/out/businesses_<rows>.csv``)
and reused; ``--regenerate`` forces a new one.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import subprocess
import sys
import time
from pathlib import Path

from _common import OUT, demo_businesses, fmt_rate, fresh_db, machine, maxrss_mib, median, print_machine, remove_db, vm_hwm_mib

REQUIRED = [
    "business_id", "name", "regency_code", "sector", "size_class", "workers", "founded_year",
    "has_nib", "kur_recipient", "coop_member", "digital_payments", "enrolled",
]
EXTRAS = ["owner_name", "phone", "distance_km", "owner_age", "monthly_revenue_mio"]
COLS = REQUIRED + ["attributes"]
INSERT_SQL = f"INSERT INTO businesses ({', '.join(COLS)}) VALUES ({', '.join('?' for _ in COLS)})"


def _num(v: float) -> int | float:
    """How the import stores a numeric attribute: whole numbers as integers."""
    return int(v) if float(v).is_integer() else float(v)


def build_tuples(biz) -> list[tuple]:
    """The rows as the import writes them: typed values plus one JSON attributes string."""
    owner = biz["owner_name"].tolist()
    phone = biz["phone"].tolist()
    dist = biz["distance_km"].tolist()
    age = biz["owner_age"].tolist()
    rev = biz["monthly_revenue_mio"].tolist()
    attrs = [
        json.dumps({"owner_name": o, "phone": p, "distance_km": _num(d), "owner_age": int(a), "monthly_revenue_mio": _num(r)})
        for o, p, d, a, r in zip(owner, phone, dist, age, rev)
    ]
    columns = [biz[c].tolist() for c in REQUIRED]
    return list(zip(*columns, attrs))


def csv_path_for(rows: int) -> Path:
    return OUT / f"businesses_{rows}.csv"


def write_csv(rows: int) -> None:
    """Generate the demo businesses and write them as CSV (run in a child process, so
    the frame does not inflate the parent's memory)."""
    path = csv_path_for(rows)
    t0 = time.perf_counter()
    biz = demo_businesses(rows)
    tmp = path.with_suffix(".tmp")
    biz[REQUIRED + EXTRAS].to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(path)
    print(f"generated {path} ({rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")


def run_executemany(tuples: list[tuple], dbpath: Path) -> float:
    db = fresh_db(dbpath)
    conn = db.conn
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(INSERT_SQL, tuples)
    conn.execute("COMMIT")
    secs = time.perf_counter() - t0
    assert conn.execute("SELECT COUNT(*) FROM businesses").fetchone()[0] == len(tuples)
    conn.close()
    return secs


def run_executemany_raw(tuples: list[tuple], dbpath: Path) -> float:
    """The same insert on a connection opened with sqlite3 defaults (foreign keys off,
    synchronous FULL; the migrated file stays in WAL mode), for context only."""
    import sqlite3

    fresh_db(dbpath).conn.close()
    conn = sqlite3.connect(dbpath)
    t0 = time.perf_counter()
    with conn:
        conn.executemany(INSERT_SQL, tuples)
    secs = time.perf_counter() - t0
    conn.close()
    return secs


def run_import(csv_path: Path, dbpath: Path, *, fresh: bool = True, profile: Path | None = None):
    from planner.auth import system_user
    from planner.db import connect
    from planner.imports import import_file

    db = fresh_db(dbpath) if fresh else connect(dbpath)
    prof = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    result = import_file(db, "businesses", csv_path, actor=system_user())
    if prof:
        prof.disable()
    secs = time.perf_counter() - t0
    db.conn.close()
    if prof:
        prof.dump_stats(str(profile))
        stats = pstats.Stats(str(profile))
        stats.sort_stats("cumulative").print_stats(25)
    return secs, result


def run_insert_all(tuples: list[tuple], dbpath: Path) -> float:
    dicts = [dict(zip(COLS, t)) for t in tuples]
    db = fresh_db(dbpath)
    t0 = time.perf_counter()
    db["businesses"].insert_all(dicts)
    secs = time.perf_counter() - t0
    assert db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0] == len(tuples)
    db.conn.close()
    return secs


def same_rows(a: Path, b: Path) -> tuple[int, int]:
    """Rows of a.businesses missing from b.businesses and the other way round."""
    import sqlite3

    conn = sqlite3.connect(a)
    conn.execute("ATTACH DATABASE ? AS other", [str(b)])
    cols = ", ".join(COLS)
    only_a = conn.execute(f"SELECT COUNT(*) FROM (SELECT {cols} FROM main.businesses EXCEPT SELECT {cols} FROM other.businesses)").fetchone()[0]
    only_b = conn.execute(f"SELECT COUNT(*) FROM (SELECT {cols} FROM other.businesses EXCEPT SELECT {cols} FROM main.businesses)").fetchone()[0]
    conn.close()
    return only_a, only_b


def child_import(csv_path: Path, dbpath: Path) -> None:
    """Run in a fresh process: one import, report time and peak memory as JSON."""
    import pandas  # noqa: F401  (count library memory as "before")

    import planner.imports  # noqa: F401

    before, hwm_before = maxrss_mib(), vm_hwm_mib()
    secs, result = run_import(csv_path, dbpath)
    print(json.dumps({"secs": secs, "rows": result.rows, "maxrss_before_mib": before, "maxrss_mib": maxrss_mib(),
                      "vmhwm_before_mib": hwm_before, "vmhwm_mib": vm_hwm_mib()}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="alternating executemany/import runs (median reported)")
    ap.add_argument("--regenerate", action="store_true", help="write the CSV again even if it exists")
    ap.add_argument("--skip-insert-all", action="store_true", help="skip the (slow) sqlite-utils insert_all run")
    ap.add_argument("--profile", action="store_true", help="also profile one import with cProfile (bench/out/import.prof)")
    ap.add_argument("--child", nargs=2, metavar=("CSV", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_import(Path(args.child[0]), Path(args.child[1]))
        return 0
    if args.generate:
        write_csv(args.rows)
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    print("machine:")
    print_machine(info)
    print(f"command: python bench/bench_import.py {' '.join(sys.argv[1:])}".rstrip())

    csv_path = csv_path_for(args.rows)
    if args.regenerate or not csv_path.exists():
        subprocess.run([sys.executable, __file__, "--generate", "--rows", str(args.rows)], check=True)
    else:
        print(f"reusing {csv_path} ({csv_path.stat().st_size / 1e6:,.0f} MB)")
    base_db, imp_db, ins_db, child_db, raw_db = (
        OUT / f"{name}_{args.rows}.db" for name in ("executemany", "import", "insert_all", "import_child", "executemany_raw")
    )

    # Peak memory first, while this process is still small: on Linux a child's ru_maxrss
    # starts from the parent's RSS at fork time.
    proc = subprocess.run([sys.executable, __file__, "--child", str(csv_path), str(child_db)], capture_output=True, text=True, check=True)
    child = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"  import alone in a fresh process: {child['secs']:.2f} s, peak RSS {child['maxrss_mib']:,.0f} MiB ru_maxrss / "
          f"{child['vmhwm_mib']:,.0f} MiB VmHWM ({child['maxrss_before_mib']:,.0f} MiB after library imports)")
    remove_db(child_db)

    t0 = time.perf_counter()
    biz = demo_businesses(args.rows)
    tuples = build_tuples(biz)
    del biz
    print(f"built {len(tuples):,} tuples from the demo generator in {time.perf_counter() - t0:.1f} s (not timed)")
    n = len(tuples)

    em_secs: list[float] = []
    imp_secs: list[float] = []
    for i in range(args.repeat):
        s = run_executemany(tuples, base_db)
        em_secs.append(s)
        print(f"  run {i + 1}: executemany        {s:7.2f} s  {fmt_rate(n, s):>12} rows/s")
        s, result = run_import(csv_path, imp_db)
        imp_secs.append(s)
        assert (result.rows, result.inserted, result.updated, result.unchanged) == (n, n, 0, 0), result
        print(f"  run {i + 1}: import_file        {s:7.2f} s  {fmt_rate(n, s):>12} rows/s")

    only_base, only_import = same_rows(base_db, imp_db)
    print(f"rows only in executemany table: {only_base}, only in imported table: {only_import}")

    re_secs, re_result = run_import(csv_path, imp_db, fresh=False)
    assert (re_result.inserted, re_result.updated, re_result.unchanged) == (0, 0, n), re_result
    print(f"  re-import (unchanged)    {re_secs:7.2f} s  {fmt_rate(n, re_secs):>12} rows/s")

    ia_secs = None
    if not args.skip_insert_all:
        ia_secs = run_insert_all(tuples, ins_db)
        print(f"  sqlite-utils insert_all  {ia_secs:7.2f} s  {fmt_rate(n, ia_secs):>12} rows/s")
    raw_secs = run_executemany_raw(tuples, raw_db)
    print(f"  executemany, bare sqlite3.connect() (context)  {raw_secs:7.2f} s  {fmt_rate(n, raw_secs):>12} rows/s")
    main_rss = maxrss_mib()
    del tuples

    if args.profile:
        run_import(csv_path, imp_db, profile=OUT / "import.prof")

    em, imp = median(em_secs), median(imp_secs)
    ratio = (n / imp) / (n / em)
    ok = ratio >= 0.5 and only_base == 0 and only_import == 0
    summary = {
        "machine": info,
        "command": "python bench/bench_import.py " + " ".join(sys.argv[1:]),
        "rows": n,
        "csv_mb": round(csv_path.stat().st_size / 1e6, 1),
        "executemany_secs": em_secs,
        "import_secs": imp_secs,
        "reimport_secs": re_secs,
        "executemany_bare_connect_secs": raw_secs,
        "insert_all_secs": ia_secs,
        "executemany_rows_per_s": n / em,
        "import_rows_per_s": n / imp,
        "reimport_rows_per_s": n / re_secs,
        "insert_all_rows_per_s": n / ia_secs if ia_secs else None,
        "ratio_import_to_executemany": ratio,
        "rows_differ": [only_base, only_import],
        "child_import": child,
        "main_process_maxrss_mib": main_rss,
        "target_pass": ok,
    }
    (OUT / f"bench_import_{args.rows}.json").write_text(json.dumps(summary, indent=1))

    print()
    print("| measurement | median s | rows/s | vs executemany |")
    print("|---|---:|---:|---:|")
    print(f"| sqlite3 executemany (baseline) | {em:.2f} | {fmt_rate(n, em)} | 1.00 |")
    print(f"| import_file, fresh DB | {imp:.2f} | {fmt_rate(n, imp)} | {ratio:.2f} |")
    print(f"| import_file again (upsert, unchanged) | {re_secs:.2f} | {fmt_rate(n, re_secs)} | {em / re_secs:.2f} |")
    print(f"| sqlite3 executemany, bare `sqlite3.connect()` (1 run, context) | {raw_secs:.2f} | {fmt_rate(n, raw_secs)} | {em / raw_secs:.2f} |")
    if ia_secs:
        print(f"| sqlite-utils insert_all (dicts) | {ia_secs:.2f} | {fmt_rate(n, ia_secs)} | {em / ia_secs:.2f} (1/{ia_secs / em:.1f}) |")
    print()
    print(f"TARGET import >= 0.5 x executemany: ratio {ratio:.2f} -> {'PASS' if ok else 'FAIL'}")
    remove_db(base_db, ins_db, raw_db, OUT / "reference_scratch.db")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
