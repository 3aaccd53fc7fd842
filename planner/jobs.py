"""Background jobs: long work (a big import, retraining) in a process of its own.

The app's script thread must stay free (one Streamlit process serves every session), and
a person must be able to leave the page, come back, see progress, and cancel. A job is a
row in ``jobs`` plus a child process ``python -m planner job ID``; the child writes its
progress to the row, the page reads it. Cancelling asks the child to stop and, for work
that is one transaction (an import), ends the process: SQLite rolls the open transaction
back, so a cancelled import leaves the database exactly as it was.

Children are reaped by a thread of the parent (no defunct processes), write their output
to ``data/logs/job-ID.log``, and their input file (an upload) lives in ``data/jobs/``
until the job ends.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from planner.audit import record
from planner.auth import User, get_user, require, system_user
from planner.db import ROOT, logs_dir, resolve_db_path, transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t
from planner.processes import process_alive

KINDS = ("import", "train", "demo_history")
ACTIVE = ("queued", "running")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _db_file(db: sqlite_utils.Database) -> str:
    return db.execute("PRAGMA database_list").fetchone()[2]


def jobs_dir(db: sqlite_utils.Database) -> Path:
    folder = Path(_db_file(db)).parent / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _may_start(actor: User, kind: str, lang: str = DEFAULT_LANG) -> None:
    if kind == "import":
        require(actor, "admin", "manager", "staff", lang=lang)
    elif kind in ("train", "demo_history"):
        require(actor, "admin", "manager", lang=lang)
    else:
        raise PlannerError(t("job.unknown_kind", lang, kind=kind))


def start(db: sqlite_utils.Database, actor: User, kind: str, params: dict, *, payload: bytes | None = None,
          lang: str = DEFAULT_LANG) -> int:
    """Record a job and start its process; returns the job number. One running job of a
    kind per person (a second click does not start a second import)."""
    _may_start(actor, kind, lang)
    with transaction(db):
        running = db.execute("SELECT job_id FROM jobs WHERE kind = ? AND requested_by = ? AND status IN ('queued', 'running')",
                             [kind, actor.username]).fetchone()
        if running and _alive(db, running[0]):
            raise PlannerError(t("job.already_running", lang, kind=t(f"job.kind.{kind}", lang), job=running[0]))
        cur = db.execute(
            "INSERT INTO jobs (kind, status, params, requested_by, role, provinces, lang, started_at) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?)",
            [kind, json.dumps(params, ensure_ascii=False), actor.username, actor.role, ",".join(actor.provinces), lang, _now()],
        )
        job_id = int(cur.lastrowid)
        record(db, actor, f"job.{kind}.start", "jobs", str(job_id), None, {k: v for k, v in params.items() if k != "payload"})
    if payload is not None:
        path = jobs_dir(db) / f"{job_id}.input"
        path.write_bytes(payload)
        with transaction(db):
            db.execute("UPDATE jobs SET input_path = ? WHERE job_id = ?", [str(path), job_id])
    _spawn(db, job_id)
    return job_id


def _spawn(db: sqlite_utils.Database, job_id: int) -> None:
    path = _db_file(db)
    log = logs_dir(path) / f"job-{job_id}.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner", "--db", path, "job", str(job_id)],
            cwd=str(ROOT), stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
        )
    threading.Thread(target=proc.wait, name=f"reap-job-{job_id}", daemon=True).start()
    with transaction(db):
        db.execute("UPDATE jobs SET pid = ? WHERE job_id = ? AND pid IS NULL", [proc.pid, job_id])


class Cancelled(Exception):
    """Raised inside a job when cancellation was asked for."""


class Context:
    """What a job's body gets: who asked, the language, progress and cancellation."""

    def __init__(self, db: sqlite_utils.Database, job_id: int, actor: User, lang: str, input_path: str | None) -> None:
        self.db, self.job_id, self.actor, self.lang, self.input_path = db, job_id, actor, lang, input_path
        self._last = 0.0

    def progress(self, fraction: float, message: str = "", *, force: bool = False) -> None:
        """Record progress (at most twice a second) and stop here if cancelled."""
        now = time.monotonic()
        if not force and now - self._last < 0.5:
            return
        self._last = now
        with transaction(self.db):
            db_row = self.db.execute("SELECT cancel_requested FROM jobs WHERE job_id = ?", [self.job_id]).fetchone()
            self.db.execute("UPDATE jobs SET progress = ?, message = ? WHERE job_id = ?", [max(0.0, min(1.0, fraction)), message, self.job_id])
        if db_row and db_row[0]:
            raise Cancelled()


def _raise_cancelled(signum, frame) -> None:
    raise Cancelled()


def _actor(db: sqlite_utils.Database, row: dict) -> User:
    if row["requested_by"].startswith("cli:"):
        return system_user()
    return get_user(db, row["requested_by"])


BODIES: dict[str, Callable[[Context, dict], dict]] = {}


def body(kind: str):
    def register(fn):
        BODIES[kind] = fn
        return fn

    return register


def run(db: sqlite_utils.Database, job_id: int, lang: str = DEFAULT_LANG) -> None:
    """The body of ``python -m planner job ID``: run the job and record how it ended."""
    rows = list(db.query("SELECT * FROM jobs WHERE job_id = ?", [job_id]))
    if not rows:
        raise PlannerError(t("job.unknown", lang, job=job_id))
    row = rows[0]
    with transaction(db):
        db.execute("UPDATE jobs SET status = 'running', pid = ? WHERE job_id = ?", [os.getpid(), job_id])
    ctx = Context(db, job_id, _actor(db, row), row["lang"] or DEFAULT_LANG, row["input_path"])
    # A cancel ends the process with SIGTERM: turn it into Cancelled, so that the open
    # transaction rolls back and the job still records how it ended.
    signal.signal(signal.SIGTERM, _raise_cancelled)
    status, result, error = "done", None, None
    try:
        result = BODIES[row["kind"]](ctx, json.loads(row["params"] or "{}"))
    except Cancelled:
        status = "cancelled"
    except PlannerError as exc:
        status, error, result = "failed", str(exc), getattr(exc, "job_result", None)
    except Exception:
        import secrets
        import traceback

        number = secrets.token_hex(3).upper()
        print(f"incident {number}", file=sys.stderr)
        traceback.print_exc()
        status, error = "failed", t("app.incident", ctx.lang, number=number)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if row["input_path"]:
            Path(row["input_path"]).unlink(missing_ok=True)
    with transaction(db):
        db.execute(
            "UPDATE jobs SET status = ?, progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END, result = ?, error = ?, finished_at = ? "
            "WHERE job_id = ?",
            [status, status, json.dumps(result, ensure_ascii=False, default=str) if result is not None else None, error, _now(), job_id],
        )


def _alive(db: sqlite_utils.Database, job_id: int) -> bool:
    row = db.execute("SELECT pid, status, started_at FROM jobs WHERE job_id = ?", [job_id]).fetchone()
    if row is None or row[1] not in ACTIVE:
        return False
    return process_alive(row[0], row[2])


def get(db: sqlite_utils.Database, actor: User, job_id: int, lang: str = DEFAULT_LANG) -> dict:
    """A job's state, for the person who started it (or an admin); a job whose process
    died without a word is marked failed."""
    rows = list(db.query("SELECT * FROM jobs WHERE job_id = ?", [job_id]))
    if not rows or (rows[0]["requested_by"] != actor.username and actor.role != "admin" and not actor.username.startswith("cli:")):
        raise PlannerError(t("job.unknown", lang, job=job_id))
    r = rows[0]
    if r["status"] in ACTIVE and not _alive(db, job_id):
        ended, error = ("cancelled", None) if r["cancel_requested"] else ("failed", t("job.died", r["lang"] or DEFAULT_LANG))
        with transaction(db):
            db.execute("UPDATE jobs SET status = ?, error = COALESCE(error, ?), finished_at = ? WHERE job_id = ? AND status IN ('queued', 'running')",
                       [ended, error, _now(), job_id])
        r = next(iter(db.query("SELECT * FROM jobs WHERE job_id = ?", [job_id])))
    r["result"] = json.loads(r["result"]) if r["result"] else None
    r["params"] = json.loads(r["params"]) if r["params"] else {}
    return r


def latest_system(db: sqlite_utils.Database, kind: str) -> dict | None:
    """The newest job of ``kind`` started by the app itself (not by a person): its state
    only, for every page to show (the first start's demo history)."""
    row = db.execute("SELECT MAX(job_id) FROM jobs WHERE kind = ? AND requested_by LIKE 'cli:%'", [kind]).fetchone()
    if not row or not row[0]:
        return None
    return get(db, system_user(), row[0])


def latest(db: sqlite_utils.Database, actor: User, kind: str) -> dict | None:
    """The newest job of ``kind`` that ``actor`` started, or None."""
    row = db.execute("SELECT MAX(job_id) FROM jobs WHERE kind = ? AND requested_by = ?", [kind, actor.username]).fetchone()
    return get(db, actor, row[0]) if row and row[0] else None


def cancel(db: sqlite_utils.Database, actor: User, job_id: int, lang: str = DEFAULT_LANG) -> None:
    """Ask a job to stop. The process is ended at once: every job body writes in one
    transaction, which SQLite rolls back, so nothing is half-written."""
    job = get(db, actor, job_id, lang)
    if job["status"] not in ACTIVE:
        return
    with transaction(db):
        db.execute("UPDATE jobs SET cancel_requested = 1 WHERE job_id = ?", [job_id])
        record(db, actor, f"job.{job['kind']}.cancel", "jobs", str(job_id), None, None)
    if job["pid"]:
        try:
            os.kill(int(job["pid"]), signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass


def wait(db: sqlite_utils.Database, actor: User, job_id: int, timeout: float = 600) -> dict:
    """Block until a job ends (tests and scripts)."""
    t0 = time.monotonic()
    while True:
        j = get(db, actor, job_id)
        if j["status"] not in ACTIVE or time.monotonic() - t0 > timeout:
            return j
        time.sleep(0.2)


def db_path_of(db: sqlite_utils.Database) -> Path:
    return resolve_db_path(_db_file(db))


# --------------------------------------------------------------------------- job bodies
@body("import")
def _import(ctx: Context, params: dict) -> dict:
    """An import of an uploaded file, through exactly the checks and write of a direct
    import. A rejected file ends the job as failed with its problems in the result."""
    from planner.imports import ImportFailed, import_file

    ctx.progress(0.05, "read", force=True)
    data = Path(ctx.input_path).read_bytes()
    try:
        r = import_file(ctx.db, params["kind"], data, actor=ctx.actor, filename=params.get("filename"), lang=ctx.lang,
                        progress=lambda fraction, step: ctx.progress(fraction, step))
    except ImportFailed as exc:
        exc.job_result = {"total": exc.total, "issues": [i.__dict__ for i in exc.issues]}
        raise
    return {"rows": r.rows, "inserted": r.inserted, "updated": r.updated, "unchanged": r.unchanged, "extra_columns": list(r.extra_columns),
            "credited": r.credited}


@body("train")
def _train(ctx: Context, params: dict) -> dict:
    """Retrain and rescore (the *Latih ulang* button), with progress."""
    from planner import scoring

    ctx.progress(0.02, "train", force=True)
    result = scoring.train(ctx.db, ctx.actor)
    ctx.progress(0.6, "score", force=True)
    run = scoring.score_all(ctx.db, ctx.actor, progress=lambda done, total: ctx.progress(0.6 + 0.4 * done / max(total, 1), "score"))
    return {"version": result.version, "message": result.message, "scored": run.scored, "with_uplift": run.with_uplift,
            "note": run.note(ctx.lang) if run.absent else "", "uplift_note": run.uplift_note(ctx.lang) or ""}


@body("demo_history")
def _demo_history(ctx: Context, params: dict) -> dict:
    """The first start's second half: train and score the demo world, plan, and give it a
    field history (``planner.demo.create_field_history``), with progress."""
    from planner import demo
    from planner.db import set_meta, transaction as tx

    result = demo.create_field_history(ctx.db, progress=lambda fraction, step: ctx.progress(fraction, step), lang=ctx.lang)
    with tx(ctx.db):
        set_meta(ctx.db, "demo_history_pending", "0")
    return {k: v for k, v in result.__dict__.items() if isinstance(v, (int, float, str))}
