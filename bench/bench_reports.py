"""Benchmark: importing a 50,000-row event report file next to a 50,000-row businesses CSV.

Target (issue): parsing and saving a report file (``planner.reporting.forms.import_reports``
of a filled report template: ``parse_report_file`` then ``reports.save``) reaches at least
a third of the rows per second of ``planner.imports.import_file`` of a businesses CSV
with as many rows, measured in the same run on the same machine.

    python bench/bench_reports.py                     # 50,000 rows, 3 repeats
    python bench/bench_reports.py --rows 10000 --repeat 1 --profile

Setup (not timed): a demo database (``create_demo``, ``--businesses`` businesses), one
published plan of synthetic events in the past: per regency, events of
``--per-event`` invitees drawn from its businesses, until the invitees reach ``--rows``
minus one walk-in per event. The report file is the plan's report template
(``forms.template_frame``, written with the formula-safe CSV writer) filled in as staff
would: every event held, every invitee present, every third one registered with the
programmes its size class needs, every fifth marked for follow-up, and one new business
per event on the first walk-in row; unused walk-in rows are dropped, so every row of the
file is a business present (a row of ``report_rows``).

Measured, each on a fresh copy of that database (``--repeat`` times, median):
1. ``import_reports(db, admin, csv_bytes, "report.csv")``: read, parse, validate, write;
2. ``import_file(db, "businesses", csv)`` of a demo businesses CSV of ``--rows`` rows into
   a freshly migrated database with the reference data (as ``bench/bench_import.py``).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import pstats
import subprocess
import sys
import time
from pathlib import Path

from _common import OUT, copy_db, fmt_rate, fresh_db, machine, median, print_machine, remove_db

HERE = Path(__file__).resolve().parent


def build_world(path: Path, businesses: int, rows: int, per_event: int) -> dict:
    """The demo database with one published plan whose invitees and walk-ins add up to
    ``rows``; returns what the report file needs."""
    from planner.db import connect, transaction
    from planner.demo import create_demo

    remove_db(path)
    db = connect(path)
    t0 = time.perf_counter()
    create_demo(db, businesses=businesses)
    print(f"  demo world of {businesses:,} businesses in {time.perf_counter() - t0:.1f} s (not timed)")
    today = dt.date.today()
    day = today - dt.timedelta(days=20)
    partners = {}
    for pid, reg in db.execute("SELECT partner_id, regency_code FROM partners ORDER BY partner_id"):
        partners.setdefault(reg, pid)
    staff = {}
    for sid, prov in db.execute("SELECT staff_id, province_code FROM staff ORDER BY staff_id"):
        staff.setdefault(prov, sid)
    by_regency: dict[str, list[str]] = {}
    for bid, reg in db.execute("SELECT business_id, regency_code FROM businesses ORDER BY business_id"):
        if reg in partners:
            by_regency.setdefault(reg, []).append(bid)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    events, invitations = [], []
    budget = rows
    n = 0
    while budget > 1:
        progressed = False
        for reg, ids in sorted(by_regency.items()):
            if budget <= 1 or len(ids) < 2:
                continue
            take = min(per_event, len(ids), budget - 1)  # one row per event is its walk-in
            chosen, by_regency[reg] = ids[:take], ids[take:]
            n += 1
            eid = f"E9-{n:05d}"
            events.append((eid, day.isoformat(), reg, partners[reg], staff.get(reg[:2]), take))
            invitations += [(eid, b) for b in chosen]
            budget -= take + 1
            progressed = True
        if not progressed:
            raise SystemExit(f"not enough businesses for {rows:,} rows; raise --businesses")
    with transaction(db):
        cur = db.execute(
            "INSERT INTO plans (name, status, start_date, end_date, provinces, budget, rules, created_by, created_at, updated_at, "
            "published_by, published_at) VALUES ('Bench', 'published', ?, ?, '', NULL, ?, 'bench', ?, ?, 'bench', ?)",
            [day.isoformat(), day.isoformat(), json.dumps({"start": day.isoformat(), "end": day.isoformat()}), now, now, now],
        )
        plan_id = cur.lastrowid
        db.conn.executemany("INSERT INTO events (event_id, plan_id, event_date, regency_code, partner_id, staff_id, invitees) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", [(e[0], plan_id, *e[1:]) for e in events])
        db.conn.executemany("INSERT INTO invitations (event_id, plan_id, business_id) VALUES (?, ?, ?)",
                            [(e, plan_id, b) for e, b in invitations])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    info = {"plan_id": plan_id, "events": [e[0] for e in events], "held_on": day.isoformat(), "invitations": len(invitations)}
    db.conn.close()
    return info


def report_file(path: Path, info: dict) -> bytes:
    """The plan's report template, filled in (see the module docstring)."""
    import pandas as pd

    from planner.auth import system_user
    from planner.db import connect
    from planner.exports import to_csv_bytes
    from planner.reporting import forms
    from planner.vocabulary import mandatory_programmes

    db = connect(path)
    df = forms.template_frame(db, system_user(), info["events"])
    sizes = dict(db.execute("SELECT business_id, size_class || ':' || workers FROM businesses WHERE business_id IN "
                            "(SELECT business_id FROM invitations)").fetchall())
    regency = dict(db.execute("SELECT event_id, regency_code FROM events").fetchall())
    db.conn.close()
    out = []
    first_of: set[str] = set()
    walked: set[str] = set()
    k = 0
    for r in df.to_dict("records"):
        eid = r["event_id"]
        if r["business_id"]:
            k += 1
            r["present"] = 1
            if k % 3 == 0:
                size, workers = sizes[r["business_id"]].split(":")
                r.update(registered=1, workers_registered=1, programmes=";".join(mandatory_programmes(size, int(workers))))
            elif k % 5 == 0:
                r.update(registered=0, follow_up=1, row_note="minta brosur")
        elif eid not in walked:
            walked.add(eid)
            r.update(name=f"Warung Datang {eid}", regency_code=regency[eid], sector="G", size_class="mikro", workers=2,
                     phone="081234567890", present=1, registered=1, workers_registered=2, programmes="JKK;JKM")
        else:
            continue  # an unused walk-in row
        if eid not in first_of:
            first_of.add(eid)
            r.update(status="held", held_on=info["held_on"], attendance=200)
        out.append(r)
    return to_csv_bytes(pd.DataFrame(out, columns=list(forms.TEMPLATE_COLUMNS)))


def run_reports(base: Path, work: Path, data: bytes, profile: Path | None = None):
    from planner.auth import system_user
    from planner.db import connect
    from planner.reporting.forms import import_reports

    copy_db(base, work)
    db = connect(work)
    prof = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    result = import_reports(db, system_user(), data, "report.csv")
    if prof:
        prof.disable()
    secs = time.perf_counter() - t0
    db.conn.close()
    if prof:
        prof.dump_stats(str(profile))
        pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(30)
    return secs, result


def businesses_csv(rows: int) -> Path:
    path = OUT / f"businesses_{rows}.csv"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "bench_import.py"), "--generate", "--rows", str(rows)], check=True)
    return path


def run_businesses(csv_path: Path, dbpath: Path):
    from planner.auth import system_user
    from planner.imports import import_file

    db = fresh_db(dbpath)
    t0 = time.perf_counter()
    result = import_file(db, "businesses", csv_path, actor=system_user())
    secs = time.perf_counter() - t0
    db.conn.close()
    return secs, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--businesses", type=int, default=None, help="demo businesses (default: 1.6 x rows)")
    ap.add_argument("--per-event", type=int, default=40, help="invitees per event (default 40)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="also profile one report import (bench/out/reports.prof)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    print("machine:")
    print_machine(info)
    print(f"command: python bench/bench_reports.py {' '.join(sys.argv[1:])}".rstrip())

    base = OUT / f"reports_base_{args.rows}.db"
    world = build_world(base, args.businesses or int(args.rows * 1.6), args.rows, args.per_event)
    t0 = time.perf_counter()
    data = report_file(base, world)
    n = data.count(b"\n") - 1
    print(f"  report file: {n:,} rows ({len(world['events']):,} events, {world['invitations']:,} invitees present, "
          f"{len(data) / 1e6:.1f} MB) built in {time.perf_counter() - t0:.1f} s (not timed)")
    csv_path = businesses_csv(args.rows)

    rep_secs, biz_secs = [], []
    work, biz_db = OUT / "reports_work.db", OUT / "reports_businesses.db"
    for i in range(args.repeat):
        s, res = run_reports(base, work, data)
        assert res.rows == n and res.reports == len(world["events"]) and res.walk_ins_new == len(world["events"]), res
        rep_secs.append(s)
        print(f"  run {i + 1}: report import      {s:7.2f} s  {fmt_rate(n, s):>10} rows/s  ({res.reports:,} reports, "
              f"{res.registrations:,} registrations)")
        s, bres = run_businesses(csv_path, biz_db)
        assert bres.rows == args.rows, bres
        biz_secs.append(s)
        print(f"  run {i + 1}: businesses import  {s:7.2f} s  {fmt_rate(args.rows, s):>10} rows/s")
    if args.profile:
        run_reports(base, work, data, profile=OUT / "reports.prof")

    rep, biz = median(rep_secs), median(biz_secs)
    ratio = (n / rep) / (args.rows / biz)
    ok = ratio >= 1 / 3
    summary = {"machine": info, "command": "python bench/bench_reports.py " + " ".join(sys.argv[1:]), "report_rows": n,
               "events": len(world["events"]), "report_secs": rep_secs, "businesses_rows": args.rows, "businesses_secs": biz_secs,
               "report_rows_per_s": n / rep, "businesses_rows_per_s": args.rows / biz, "ratio": ratio, "target_pass": ok}
    (OUT / f"bench_reports_{args.rows}.json").write_text(json.dumps(summary, indent=1))
    print()
    print("| measurement | median s | rows/s |")
    print("|---|---:|---:|")
    print(f"| report file ({n:,} rows, {len(world['events']):,} events): parse + validate + save | {rep:.2f} | {fmt_rate(n, rep)} |")
    print(f"| businesses CSV ({args.rows:,} rows): import_file | {biz:.2f} | {fmt_rate(args.rows, biz)} |")
    print()
    print(f"TARGET report rows/s >= 1/3 x businesses rows/s: ratio {ratio:.2f} -> {'PASS' if ok else 'FAIL'}")
    remove_db(work, biz_db)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
