"""The first start: build the demo database if there is none, then give it a history in
the background. Called by the app on every page (cheap once the database exists).

Several Streamlit processes (``python -m planner serve``) and several sessions of one
process may arrive at once: the database is built under another name and renamed when
complete, under a thread lock and an exclusive ``flock`` beside the database, so that a
second browser waits instead of finding half a database, and only one background job
trains, plans and reports the demo world.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from planner import db as dbmod
from planner.i18n import DEFAULT_LANG, t

_FIRST_RUN = threading.Lock()
_DEMO_JOB = threading.Lock()


@contextlib.contextmanager
def across_processes(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` beside the database while first-run work is done: with
    ``python -m planner serve`` several Streamlit processes share one database, and two
    browsers landing on two of them at once must not both build it (or both start the
    demo history). The lock file stays (data/*.lock is not in git)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".first-run.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def needs_database(path: Path) -> bool:
    """Whether the first start still has to build the database at ``path``."""
    return not path.exists()


def build_demo_database(path: Path) -> bool:
    """Create the database at ``path`` with the demo world unless it exists (returns
    whether this call built it). Training, a plan and its field history follow in the
    background (``start_demo_history``), so that the first page opens in seconds."""
    from planner.demo import create_demo

    with _FIRST_RUN, across_processes(path):
        if path.exists():  # another session made it while this one waited
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        building = path.with_name(path.name + ".building")
        for leftover in (building, Path(str(building) + "-wal"), Path(str(building) + "-shm")):
            leftover.unlink(missing_ok=True)
        db = dbmod.connect(building)
        try:
            create_demo(db)
            dbmod.set_meta(db, "demo_history_pending", "1")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.conn.close()
            dbmod.release_shared_lock(building)  # never opened again under this name
        os.replace(building, path)
        dbmod.lock_path(building).unlink(missing_ok=True)
    return True


def start_demo_history(path: Path) -> None:
    """Start (once) the background job that trains, plans and reports the demo world: on
    the first start, and again after a restart that broke it off."""
    from planner import auth, jobs

    with _DEMO_JOB, across_processes(path):
        with dbmod.opened(path) as db:
            if dbmod.get_meta(db, "demo_history_pending") != "1":
                return
            job = jobs.latest_system(db, "demo_history")
            if job is not None and job["status"] in jobs.ACTIVE:
                return
            jobs.start(db, auth.system_user(), "demo_history", {})


def demo_history_progress(db, path: Path) -> dict | None:
    """The first start's background job while it runs (None once the demo is ready); a
    job broken off by a restart is started again."""
    from planner import jobs

    if dbmod.get_meta(db, "demo_history_pending") != "1":
        return None
    job = jobs.latest_system(db, "demo_history")
    if job is not None and job["status"] == "failed" and job["error"] != t("job.died", job["lang"] or DEFAULT_LANG):
        return None  # a real failure (its log says why): not started again and again
    if job is None or job["status"] not in jobs.ACTIVE:
        start_demo_history(path)
        job = jobs.latest_system(db, "demo_history")
    return job if job is not None and job["status"] in jobs.ACTIVE else None
