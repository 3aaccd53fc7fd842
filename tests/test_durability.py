"""A process killed in the middle of an import leaves the database consistent and
unchanged; the same file imported to the end is complete."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.db import connect
from planner.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
ROWS = 200_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "business_id": [f"K{i:07d}" for i in range(ROWS)],
            "name": "Warung Uji",
            "regency_code": rng.choice(["16.71", "16.02", "31.71", "63.71"], ROWS),
            "sector": rng.choice(list("ACGI"), ROWS),
            "size_class": "mikro",
            "workers": rng.integers(1, 5, ROWS),
            "founded_year": rng.integers(1990, 2025, ROWS),
            "has_nib": rng.integers(0, 2, ROWS),
            "kur_recipient": rng.integers(0, 2, ROWS),
            "coop_member": rng.integers(0, 2, ROWS),
            "digital_payments": rng.integers(0, 2, ROWS),
            "enrolled": 0,
            "distance_km": rng.random(ROWS).round(2) * 50,
        }
    )
    path = tmp_path_factory.mktemp("big") / "usaha.csv"
    df.to_csv(path, index=False)
    return path


def state(path: Path) -> tuple:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return tuple(con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("businesses", "import_runs", "audit_log"))
    finally:
        con.close()


def test_killed_import_leaves_database_unchanged(big_csv, tmp_path):
    db_path = tmp_path / "p.db"
    db = connect(db_path)
    load_reference(db)
    db.conn.close()
    before = state(db_path)
    wal = Path(str(db_path) + "-wal")
    killed_mid_write = 0
    for attempt in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner", "--db", str(db_path), "import", "businesses", str(big_csv)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        start_size = wal.stat().st_size if wal.exists() else 0
        deadline = time.time() + 120
        # Wait until the import is writing its transaction (the WAL grows), then kill it.
        while proc.poll() is None and time.time() < deadline:
            if wal.exists() and wal.stat().st_size > start_size + 2_000_000:
                os.kill(proc.pid, signal.SIGKILL)
                killed_mid_write += 1
                break
            time.sleep(0.01)
        proc.wait(timeout=60)
        assert state(db_path) == before, f"attempt {attempt}: a killed import changed the database"
    assert killed_mid_write >= 1, "the import finished before it could be killed mid-write"
    # The same file, left alone, imports completely.
    done = subprocess.run([sys.executable, "-m", "planner", "--db", str(db_path), "import", "businesses", str(big_csv)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert state(db_path)[0] == ROWS
