"""Opening the SQLite database: path resolution, pragmas, migrations, transactions.

One connection per caller (a Streamlit rerun, a CLI command, a test). Connections are
opened in driver autocommit mode so that transactions are explicit: a write that reads
first starts with ``BEGIN IMMEDIATE`` (see ``transaction``), which takes the write lock up
front instead of failing with "database is locked" when two writers race.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "planner.db"
BUSY_TIMEOUT_MS = 30_000


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


def connect(path: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (and create if needed) the database with WAL, foreign keys and a busy timeout,
    and bring its schema up to date."""
    p = resolve_db_path(path)
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
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
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction that takes the write lock at once (``BEGIN IMMEDIATE``).

    Everything inside commits together or not at all; sqlite-utils calls made inside
    nest as savepoints. A transaction already open is joined, not restarted."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
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
