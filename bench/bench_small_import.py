"""Benchmark: a small contacts file against a large database.

A staff member's file of 100 contacts must not cost more because the database holds a
million businesses. Each contacts import checks that its business ids exist; this
measures, in one process, on databases of ``--sizes`` businesses (synthetic rows written
with ``executemany`` into a freshly migrated database with the reference data):

1. ``import_file(db, "contacts", <100 rows>)`` end to end (CPU seconds, median of
   ``--repeat``);
2. the check as it was before (every business id read, then pandas ``isin``), on the same
   database and the same file, as the baseline in the same process.

    python bench/bench_small_import.py                     # 20.000 and 1.000.000 businesses
    python bench/bench_small_import.py --sizes 20000,200000 --repeat 3
"""

from __future__ import annotations

import argparse
import io
import csv
import random
import sys
import time
from pathlib import Path

from _common import OUT, fresh_db, machine, median, print_machine, remove_db


def fill(db, n: int) -> list[str]:
    """``n`` businesses in Sumatera Selatan's regencies (only what the contacts check reads)."""
    regs = [r[0] for r in db.execute("SELECT code FROM regencies WHERE province_code = '16'")]
    ids = [f"B{i:07d}" for i in range(n)]
    db.execute("BEGIN IMMEDIATE")
    db.conn.executemany(
        "INSERT INTO businesses (business_id, name, regency_code, sector, size_class, workers, founded_year, has_nib, kur_recipient, "
        "coop_member, digital_payments, enrolled) VALUES (?, ?, ?, 'G', 'mikro', 2, 2015, 0, 0, 0, 0, 0)",
        ((b, f"Usaha {b}", regs[i % len(regs)]) for i, b in enumerate(ids)),
    )
    db.execute("COMMIT")
    return ids


def contacts_file(ids: list[str], rows: int, tag: str, rng: random.Random) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["business_id", "contacted_on", "channel", "invited", "enrolled"])
    for b in rng.sample(ids, rows):
        w.writerow([b, "2026-11-02", tag, 1, 0])
    return buf.getvalue().encode()


def old_check(db, data: bytes) -> float:
    """The check as it was: every business id read into a set, then pandas' ``isin``."""
    import pandas as pd

    s = pd.read_csv(io.BytesIO(data), dtype=str)["business_id"].str.strip()
    t = time.process_time()
    known = {r[0] for r in db.execute("SELECT business_id FROM businesses").fetchall()}
    s.isin(known).to_numpy()
    return time.process_time() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="20000,1000000", help="businesses in the database, comma-separated")
    ap.add_argument("--rows", type=int, default=100, help="contacts in the file")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from planner import auth, imports
    import planner.scoring.features  # noqa: F401 - the contacts snapshot's libraries, as a running server has them

    info = machine()
    print_machine(info)
    rng = random.Random(7)
    lines = [f"| businesses | import of {args.rows} contacts, CPU ms (median) | the old id check alone, CPU ms (median) | import / old check |",
             "|---:|---:|---:|---:|"]
    for n in (int(x) for x in args.sizes.split(",") if x.strip()):
        path = OUT / f"small_import_{n}.db"
        remove_db(path)
        db = fresh_db(path)
        try:
            ids = fill(db, n)
            manager = auth.system_user()
            imports.import_file(db, "contacts", contacts_file(ids, args.rows, "warm", rng), filename="warm.csv", actor=manager)
            new, old = [], []
            for i in range(args.repeat):
                data = contacts_file(ids, args.rows, f"run{i}", rng)
                old.append(old_check(db, data))
                t = time.process_time()
                imports.import_file(db, "contacts", data, filename=f"run{i}.csv", actor=manager)
                new.append(time.process_time() - t)
            lines.append(f"| {n:,} | {median(new) * 1000:.1f} | {median(old) * 1000:.1f} | {median(new) / median(old):.3f} |".replace(",", "."))
            print(lines[-1], flush=True)
        finally:
            db.conn.close()
            remove_db(path)
    text = f"Measured {info['date']} on {info['nproc']} cores ({info['cpu']}).\n\n" + "\n".join(lines) + "\n"
    (OUT / "RESULTS-small-import.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
