"""Background jobs: a big import in its own process, with progress, a result, cancel
that leaves the database as it was, and a process that is reaped."""

from __future__ import annotations

import io
import os
import time

import pandas as pd
import pytest

from planner import auth, jobs
from planner.errors import PlannerError

MANAGER = auth.User("manajer", "manager", (), "Manajer Kampanye")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumatera Selatan")


def businesses_csv(n: int, regency: str = "16.71", bad_row: int | None = None) -> bytes:
    df = pd.DataFrame({
        "business_id": [f"JOB{i:07d}" for i in range(n)], "name": [f"Usaha {i}" for i in range(n)], "regency_code": regency,
        "sector": "G", "size_class": "mikro", "workers": "3", "founded_year": 2015, "has_nib": 1, "kur_recipient": 0,
        "coop_member": 0, "digital_payments": 1, "enrolled": 0,
    })
    if bad_row is not None:
        df.loc[bad_row, "workers"] = "banyak"
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue().encode()


def count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM businesses WHERE business_id LIKE 'JOB%'").fetchone()[0]


def test_an_import_job_reports_progress_and_its_result(demo_db):
    job_id = jobs.start(demo_db, MANAGER, "import", {"kind": "businesses", "filename": "besar.csv"}, payload=businesses_csv(20_000))
    seen = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = jobs.get(demo_db, MANAGER, job_id)
        seen.add(job["message"])
        if job["status"] not in jobs.ACTIVE:
            break
        time.sleep(0.05)
    assert job["status"] == "done", job
    assert job["result"]["inserted"] == 20_000 and count(demo_db) == 20_000
    assert job["progress"] == 1
    assert not (jobs.jobs_dir(demo_db) / f"{job_id}.input").exists()  # the upload is not kept
    # the child was reaped: no defunct process left behind
    time.sleep(0.5)
    pid = job["pid"]
    assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split(") ")[-1][:1] != "Z"
    with pytest.raises(PlannerError):
        jobs.get(demo_db, STAFF, job_id)  # another person's job is not theirs to see


def test_a_rejected_file_ends_the_job_with_its_problems_and_writes_nothing(demo_db):
    job_id = jobs.start(demo_db, MANAGER, "import", {"kind": "businesses", "filename": "salah.csv"}, payload=businesses_csv(5_000, bad_row=4321))
    job = jobs.wait(demo_db, MANAGER, job_id, timeout=120)
    assert job["status"] == "failed" and job["result"]["total"] == 1
    issue = job["result"]["issues"][0]
    assert issue["row"] == 4323 and issue["column"] == "workers" and issue["value"] == "banyak"
    assert count(demo_db) == 0


def test_staff_cannot_import_another_provinces_rows_through_a_job(demo_db):
    job_id = jobs.start(demo_db, STAFF, "import", {"kind": "businesses", "filename": "jatim.csv"}, payload=businesses_csv(100, regency="35.78"))
    job = jobs.wait(demo_db, STAFF, job_id, timeout=120)
    assert job["status"] == "failed" and "35" in job["error"] and count(demo_db) == 0
    with pytest.raises(auth.AccessDenied):
        jobs.start(demo_db, STAFF, "train", {})


def test_cancel_ends_the_job_and_leaves_the_database_as_it_was(demo_db):
    before = demo_db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0]
    job_id = jobs.start(demo_db, MANAGER, "import", {"kind": "businesses", "filename": "besar.csv"}, payload=businesses_csv(300_000))
    deadline = time.monotonic() + 60
    while jobs.get(demo_db, MANAGER, job_id)["status"] == "queued" and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # early in the import of 300.000 rows: a cancel that comes after the commit cannot undo it
    jobs.cancel(demo_db, MANAGER, job_id)
    job = jobs.wait(demo_db, MANAGER, job_id, timeout=60)
    assert job["status"] == "cancelled", job
    assert demo_db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0] == before
    assert demo_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # a second job may start once the first has ended
    again = jobs.start(demo_db, MANAGER, "import", {"kind": "businesses", "filename": "kecil.csv"}, payload=businesses_csv(10))
    assert jobs.wait(demo_db, MANAGER, again, timeout=120)["status"] == "done"
