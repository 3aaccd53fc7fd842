"""Solving in the background: a plan solved in a separate process (``python -m planner
solve-job RUN``) with progress, cancelling and its state in ``solve_runs``."""

from __future__ import annotations

import os
import sqlite_utils
import subprocess
import sys
import time

from planner.audit import record
from planner.auth import User, require
from planner.db import ROOT, transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t
from planner.plans.adapter import solve_plan
from planner.plans.storage import _db_path, _now, _require_draft, get_plan
from planner.processes import process_alive


# --------------------------------------------------------------------------- background solving
def start_solve(db: sqlite_utils.Database, actor: User, plan_id: int, *, lang: str = "id") -> int:
    """Solve a plan in a separate process (the app stays responsive); progress goes to
    ``solve_runs``, where ``job`` reads it. One running solve per plan."""
    return start_solves(db, actor, [plan_id], lang=lang)[0]


def start_solves(db: sqlite_utils.Database, actor: User, plan_ids: list[int], *, lang: str = "id") -> list[int]:
    """Solve several plans one after another in one separate process (each solve gets every
    core, as when it runs alone); every plan has its own run in ``solve_runs``, queued until
    its turn. Returns the run ids in the order given."""
    require(actor, "admin", "manager")
    runs = []
    with transaction(db):
        for plan_id in plan_ids:
            plan = get_plan(db, plan_id)
            _require_draft(plan)
            running = db.execute("SELECT run_id FROM solve_runs WHERE plan_id = ? AND status IN ('queued', 'running')", [plan_id]).fetchone()
            if running and _alive(db, running[0]):
                raise PlannerError(t("plan.solve_running", lang, run=running[0]))
            cur = db.execute("INSERT INTO solve_runs (plan_id, status, message, requested_by, started_at) VALUES (?, 'queued', '', ?, ?)",
                             [plan_id, actor.username, _now()])
            runs.append(int(cur.lastrowid))
            record(db, actor, "plan.solve.start", "solve_runs", str(runs[-1]), None, {"plan_id": plan_id, "time_limit": plan.rules.time_limit})
    from planner.db import logs_dir

    log = logs_dir(_db_path(db)) / f"solve-{runs[0]}.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner", "--db", _db_path(db), "--lang", lang, "solve-job", *map(str, runs), "--as", actor.username,
             "--role", actor.role],
            cwd=str(ROOT), stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
        )
    # Wait for the child in the background so that it is reaped when it ends (an
    # unwaited child stays behind as a defunct process).
    import threading

    threading.Thread(target=proc.wait, name=f"reap-solve-{runs[0]}", daemon=True).start()
    with transaction(db):
        db.execute(f"UPDATE solve_runs SET pid = ? WHERE run_id IN ({','.join('?' * len(runs))}) AND pid IS NULL", [proc.pid, *runs])
    return runs


def run_job(db: sqlite_utils.Database, run_id: int, actor: User, lang: str = "id") -> None:
    """The body of a background solve (``python -m planner solve-job RUN``)."""
    row = db.execute("SELECT plan_id, status FROM solve_runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        raise PlannerError(t("plan.run_missing", lang, run=run_id))
    plan_id = row[0]
    if db.execute("SELECT cancel_requested FROM solve_runs WHERE run_id = ?", [run_id]).fetchone()[0]:
        with transaction(db):  # stopped while it waited for its turn
            db.execute("UPDATE solve_runs SET status = 'cancelled', finished_at = ? WHERE run_id = ?", [_now(), run_id])
        return
    with transaction(db):
        db.execute("UPDATE solve_runs SET status = 'running', pid = ?, message = ? WHERE run_id = ?",
                   [os.getpid(), t("plan.run_reading", lang), run_id])
    last = [0.0]
    cancelled = [False]

    def should_stop() -> bool:
        if cancelled[0]:
            return True
        if time.monotonic() - last[0] > 0.5:
            flag = db.execute("SELECT cancel_requested FROM solve_runs WHERE run_id = ?", [run_id]).fetchone()[0]
            cancelled[0] = bool(flag)
        return cancelled[0]

    def progress(info: dict) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and info.get("fraction", 0) < 1:
            return
        last[0] = now
        msg = ""
        if info.get("parts"):
            msg = t("plan.run_part", lang, part=info["part"], parts=info["parts"])
        with transaction(db):
            db.execute("UPDATE solve_runs SET progress = ?, objective = ?, bound = ?, message = ? WHERE run_id = ?",
                       [float(info.get("fraction") or 0), info.get("objective"), info.get("bound"), msg, run_id])

    try:
        sol = solve_plan(db, actor, plan_id, progress=progress, should_stop=should_stop, lang=lang)
    except Exception as exc:  # the job must always end with a status
        if isinstance(exc, PlannerError):
            error = str(exc)
        else:  # the traceback goes to the job's log under a number; the page shows the number only
            import secrets
            import traceback

            number = secrets.token_hex(3).upper()
            print(f"incident {number}", file=sys.stderr)
            traceback.print_exc()
            error = t("app.incident", lang, number=number)
        with transaction(db):
            db.execute("UPDATE solve_runs SET status = 'failed', error = ?, finished_at = ? WHERE run_id = ?", [error, _now(), run_id])
        raise
    status = "cancelled" if cancelled[0] else "done"
    with transaction(db):
        db.execute("UPDATE solve_runs SET status = ?, progress = 1, objective = ?, bound = ?, message = ?, finished_at = ? WHERE run_id = ?",
                   [status, sol.objective, sol.bound, sol.status, _now(), run_id])


def _alive(db: sqlite_utils.Database, run_id: int) -> bool:
    row = db.execute("SELECT pid, status, started_at FROM solve_runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None or row[1] not in ("queued", "running"):
        return False
    return process_alive(row[0], row[2])


def job(db: sqlite_utils.Database, run_id: int) -> dict:
    """A solve run's state; a run whose process died is marked failed."""
    rows = list(db.query("SELECT * FROM solve_runs WHERE run_id = ?", [run_id]))
    if not rows:
        raise PlannerError(t("plan.run_missing", DEFAULT_LANG, run=run_id))
    r = rows[0]
    if r["status"] in ("queued", "running") and not _alive(db, run_id):
        with transaction(db):
            db.execute("UPDATE solve_runs SET status = 'failed', error = COALESCE(error, ?), finished_at = ? "
                       "WHERE run_id = ? AND status IN ('queued', 'running')", [t("plan.run_died", DEFAULT_LANG), _now(), run_id])
        r = next(iter(db.query("SELECT * FROM solve_runs WHERE run_id = ?", [run_id])))
    return r


def latest_job(db: sqlite_utils.Database, plan_id: int) -> dict | None:
    row = db.execute("SELECT MAX(run_id) FROM solve_runs WHERE plan_id = ?", [plan_id]).fetchone()
    return job(db, row[0]) if row and row[0] else None


def cancel_job(db: sqlite_utils.Database, actor: User, run_id: int) -> None:
    """Ask a running solve to stop; it saves the best plan found so far."""
    require(actor, "admin", "manager")
    with transaction(db):
        db.execute("UPDATE solve_runs SET cancel_requested = 1 WHERE run_id = ?", [run_id])
        record(db, actor, "plan.solve.cancel", "solve_runs", str(run_id), None, None)


def wait_job(db: sqlite_utils.Database, run_id: int, timeout: float = 600) -> dict:
    """Block until a run ends (tests and scripts)."""
    t0 = time.monotonic()
    while True:
        j = job(db, run_id)
        if j["status"] not in ("queued", "running"):
            return j
        if time.monotonic() - t0 > timeout:
            return j
        time.sleep(0.3)
