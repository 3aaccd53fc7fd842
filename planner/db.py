"""Opening the SQLite database: path resolution, pragmas, migrations, transactions.

One connection per caller (a Streamlit rerun, a CLI command, a test). Connections are
opened in driver autocommit mode so that transactions are explicit: a write that reads
first starts with ``BEGIN IMMEDIATE`` (see ``transaction``), which takes the write lock up
front instead of failing with "database is locked" when two writers race.

Every process that connects holds a SHARED ``flock`` on a sidecar ``<db>.lock`` for as
long as it lives (one descriptor per database path, kept in ``_LOCKS``), and ``restore``
takes it EXCLUSIVE: so a restore can tell that the app, a background solve or another
CLI command still has the database open, and a connect() never opens a database while
a restore is replacing it. flock locks vanish with their process (also on kill -9), so a
crashed app never blocks a restore.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "planner.db"
BUSY_TIMEOUT_MS = 30_000
LOCK_TIMEOUT_S = 30.0  # how long connect() waits for a restore to finish
LOCK_SUFFIX = ".lock"

_LOCKS: dict[str, int] = {}  # lock file -> descriptor holding this process's shared lock
_LOCKS_MUTEX = threading.Lock()


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: ``--db`` if given, else ``$PLANNER_DB``, else ``data/planner.db``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("PLANNER_DB")
    if env:
        return Path(env)
    return DEFAULT_DB


def logs_dir(db_path: str | os.PathLike[str] | None = None) -> Path:
    """Where the server, background jobs and the command line write their logs: a
    ``logs`` folder beside the database (not in git)."""
    folder = resolve_db_path(db_path).parent / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The sidecar lock file of a database: ``<db>.lock`` beside the real file (symlinks
    and relative paths resolved, so every spelling of one database shares one lock)."""
    return Path(os.path.realpath(path) + LOCK_SUFFIX)


def _open_lock(lock: Path) -> int:
    # Read-only is enough for flock, and still works when another user (root running a
    # restore) created the lock file.
    return os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)


def hold_shared_lock(path: str | os.PathLike[str], *, lang: str = DEFAULT_LANG) -> None:
    """Take this process's shared lock on the database at ``path`` (once; later calls
    return at once). Waits up to ``LOCK_TIMEOUT_S`` while a restore holds it exclusively,
    then raises a PlannerError instead of opening a database that is being replaced."""
    lock = lock_path(path)
    key = str(lock)
    with _LOCKS_MUTEX:
        if key in _LOCKS:
            return
    try:
        fd = _open_lock(lock)
    except OSError:
        return  # a folder we cannot write to: SQLite reports its own error when it opens the file
    deadline = time.monotonic() + LOCK_TIMEOUT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise PlannerError(t("db.restoring", lang, path=path, seconds=int(LOCK_TIMEOUT_S))) from None
            time.sleep(0.05)
    with _LOCKS_MUTEX:
        if key in _LOCKS:
            os.close(fd)  # another thread got there first; its lock stands
        else:
            _LOCKS[key] = fd


def release_shared_lock(path: str | os.PathLike[str]) -> None:
    """Give up this process's shared lock on ``path`` (for a database this process will
    not open again, such as the first run's build file, or before a restore)."""
    with _LOCKS_MUTEX:
        fd = _LOCKS.pop(str(lock_path(path)), None)
    if fd is not None:
        os.close(fd)


def lock_holders(path: str | os.PathLike[str]) -> list[int]:
    """Best effort: the ids of other processes that have the lock file of ``path`` open
    (from /proc/*/fd; processes of other users are not visible without root)."""
    lock = str(lock_path(path))
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        pid = int(proc.name)
        if pid == os.getpid():
            continue
        try:
            if any(os.readlink(fd) == lock for fd in (proc / "fd").iterdir()):
                pids.append(pid)
        except OSError:
            continue
    return sorted(pids)


@contextlib.contextmanager
def exclusive_lock(path: str | os.PathLike[str], *, lang: str = DEFAULT_LANG) -> Iterator[None]:
    """Hold the database at ``path`` exclusively (for a restore), or raise a PlannerError
    naming the processes that have it open and how to stop them. This process's own
    shared lock is given up first, so a process that connected earlier may still restore."""
    release_shared_lock(path)
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = _open_lock(lock)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PlannerError(in_use_message(path, lock_holders(path), lang)) from None
        yield
    finally:
        os.close(fd)


def in_use_message(path: str | os.PathLike[str], pids: list[int], lang: str = DEFAULT_LANG) -> str:
    who = t("db.pids", lang, pids=", ".join(str(p) for p in pids)) if pids else t("db.pid_unknown", lang)
    return t("db.in_use", lang, path=path, pids=who)


def connect(
    path: str | os.PathLike[str] | None = None, *, migrate: bool = True, lang: str = DEFAULT_LANG
) -> sqlite_utils.Database:
    """Open (and create if needed) the database with WAL, foreign keys and a busy timeout,
    and bring its schema up to date. The process keeps a shared lock on it (see above)."""
    p = resolve_db_path(path)
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
        hold_shared_lock(p, lang=lang)
    conn = sqlite3.connect(
        str(p), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn)
    if migrate:
        from planner.migrations import migrate as run_migrations

        run_migrations(db)
    return db


@contextlib.contextmanager
def opened(path: str | os.PathLike[str] | None = None, **kwargs) -> Iterator[sqlite_utils.Database]:
    """``connect(path, **kwargs)`` for the length of a ``with`` block, closed after it
    whatever happens inside."""
    db = connect(path, **kwargs)
    try:
        yield db
    finally:
        db.conn.close()


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database, *, immediate: bool = True) -> Iterator[sqlite_utils.Database]:
    """One write transaction that takes the write lock at once (``BEGIN IMMEDIATE``).

    Everything inside commits together or not at all; sqlite-utils calls made inside
    nest as savepoints. A transaction already open is joined, not restarted.

    ``immediate=False`` begins a deferred transaction, for writes to the ``temp`` schema
    only (scoring's staging tables): it takes no lock on the database file, where
    ``BEGIN IMMEDIATE`` would take the write lock for nothing."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def get_meta(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def is_demo(db: sqlite_utils.Database) -> bool:
    """True when the database holds the generated demo world rather than real data."""
    return get_meta(db, "demo") == "1"


def has_real_data(db: sqlite_utils.Database) -> bool:
    """True once a file has been imported into the database after it was created (for a
    demo database: it now holds real data too, so the demo accounts, whose password
    is public, must not stay open)."""
    return get_meta(db, "real_data") == "1"


def shows_demo_accounts(db: sqlite_utils.Database) -> bool:
    """Whether the sign-in page may list the demo accounts and their shared password."""
    return is_demo(db) and not has_real_data(db)
