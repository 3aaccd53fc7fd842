"""Backup and restore with SQLite's online backup API.

``backup`` copies the database page by page into a consistent snapshot; it is safe while
the app runs (readers and writers carry on, the copy sees one committed state).

``restore`` replaces the database with a backup, and is built so that it cannot destroy
or corrupt the data it replaces:

* it checks the backup first and refuses, with a message that says what and how to fix
  it, a missing file, a file that is not SQLite (the 16-byte header), a SQLite file that
  is not a Jangkau database (no "jangkau" migrations, missing core tables), a backup made
  by a newer Jangkau (a migration this code does not know), a backup that fails
  ``PRAGMA integrity_check`` or cannot be read at all, and the database itself. An older
  schema is fine: the migrations bring it up to date when the database is next opened;
* it refuses while another process has the database open (the app, a background solve,
  another CLI command): they hold a shared lock on ``<db>.lock`` (see ``planner.db``) and
  restore needs it exclusively;
* it keeps a copy of the current database beside it
  (``<db>.before-restore-YYYYMMDD-HHMMSS.db``), made with the backup API;
* it writes into the live database file through SQLite rather than swapping files:
  opening it recovers the WAL a crashed process left behind (committed data, rightly part
  of the kept copy), switching it to ``journal_mode=DELETE`` folds the WAL in and removes
  the ``-wal``/``-shm`` files, so no stale WAL can be replayed over the restored pages
  (copying a file over the database left the old ``-wal`` beside it, which SQLite then
  replayed: "database disk image is malformed"). The copy runs as one rollback-journal
  transaction (a restore killed half-way leaves the old data), is checked with
  ``integrity_check``, and the database is switched back to WAL. Writing in place also
  keeps the file's owner and permissions.

A current database SQLite cannot read at all (not a database, malformed) is moved aside
together with its ``-wal``/``-shm`` under the kept-copy name, and the backup is restored
into a fresh file.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from planner import db as dbmod
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t

HEADER = b"SQLite format 3\x00"
MIGRATION_SET = "jangkau"
MIGRATIONS_TABLE = "_sqlite_migrations"
CORE_TABLES = ("meta", "provinces", "businesses")
KEPT_INFIX = ".before-restore-"
BUSY_SECONDS = 5.0  # a non-Jangkau reader (e.g. the sqlite3 shell) gets this long to let go
_UNREADABLE = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}


def backup(source: str | Path, target: str | Path, *, lang: str = DEFAULT_LANG) -> int:
    """Copy ``source`` to ``target`` page by page; returns the page count. The target is
    written under a temporary name and renamed when complete."""
    source, target = Path(source), Path(target)
    if not source.exists():
        raise PlannerError(t("backup.missing", lang, path=source))
    if target.resolve() == source.resolve():
        raise PlannerError(t("backup.same", lang, path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst, pages=1024)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        ok = _integrity(dst)
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise PlannerError(t("backup.failed_check", lang, detail=ok))
    tmp.replace(target)
    return pages


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: pages written, where the previous database was kept (None when
    there was none), whether it was moved aside unreadable rather than copied, and the
    migrations the next open will apply (an older backup)."""

    pages: int
    kept: Path | None
    kept_unreadable: bool
    pending_migrations: tuple[str, ...]


def restore(backup_file: str | Path, database: str | Path, *, lang: str = DEFAULT_LANG,
            now: dt.datetime | None = None) -> RestoreResult:
    """Replace ``database`` with the contents of ``backup_file`` after checking both (see
    the module docstring). Raises PlannerError, with the database untouched, when the
    backup is unfit or the database is in use."""
    backup_file, database = Path(backup_file), Path(database)
    if _same_file(backup_file, database):
        raise PlannerError(t("restore.same", lang, path=backup_file))
    src = open_backup(backup_file, lang=lang)
    try:
        pending = _check_schema(src, backup_file, lang)
        _check_integrity(src, backup_file, lang)
        database.parent.mkdir(parents=True, exist_ok=True)
        with dbmod.exclusive_lock(database, lang=lang):
            pages, kept, unreadable = _replace(src, database, now or dt.datetime.now(), lang)
    finally:
        src.close()
    return RestoreResult(pages, kept, unreadable, pending)


# --------------------------------------------------------------------------- checking the backup
def open_backup(path: Path, *, lang: str = DEFAULT_LANG) -> sqlite3.Connection:
    """A read connection to a would-be backup, or a PlannerError if it is missing, not a
    file, unreadable, empty, not SQLite, or not readable as a database."""
    if not path.exists():
        raise PlannerError(t("restore.missing", lang, path=path, folder=path.parent))
    if not path.is_file():
        raise PlannerError(t("restore.not_file", lang, path=path))
    try:
        head = _header(path)
    except OSError as exc:
        raise PlannerError(t("restore.unreadable", lang, path=path, detail=exc.strerror or exc)) from None
    if not head:
        raise PlannerError(t("restore.empty", lang, path=path))
    if head != HEADER:
        raise PlannerError(t("restore.not_sqlite", lang, path=path))
    # Without a -wal beside it the file alone is the backup: open it immutable, so that
    # reading it creates no -wal/-shm files next to it. With one (a database copied with its
    # WAL), open it normally so SQLite reads the committed changes in that WAL too.
    wal = Path(str(path) + "-wal")
    try:
        if wal.exists():
            conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
        else:
            uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
    except sqlite3.DatabaseError as exc:
        raise PlannerError(t("restore.damaged", lang, path=path, detail=exc)) from None
    return conn


def _check_schema(src: sqlite3.Connection, path: Path, lang: str) -> tuple[str, ...]:
    """Refuse a foreign or newer database; return the migrations an older one lacks."""
    from planner.migrations import migrations

    try:
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied: list[str] = []
        if MIGRATIONS_TABLE in tables:
            applied = [r[0] for r in src.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])]
    except sqlite3.DatabaseError as exc:
        raise PlannerError(t("restore.damaged", lang, path=path, detail=exc)) from None
    if not applied:
        raise PlannerError(t("restore.foreign", lang, path=path, detail=t("restore.no_migrations", lang)))
    missing = [name for name in CORE_TABLES if name not in tables]
    if missing:
        raise PlannerError(t("restore.foreign", lang, path=path, detail=t("restore.no_tables", lang, tables=", ".join(missing))))
    known = [m.name for m in migrations._migrations]  # sqlite-utils has no public list of a set's names
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise PlannerError(t("restore.newer", lang, path=path, names=", ".join(unknown)))
    return tuple(name for name in known if name not in applied)


def _check_integrity(src: sqlite3.Connection, path: Path, lang: str) -> None:
    try:
        ok = _integrity(src)
    except sqlite3.DatabaseError as exc:
        raise PlannerError(t("restore.damaged", lang, path=path, detail=exc)) from None
    if ok != "ok":
        raise PlannerError(t("restore.integrity", lang, path=path, detail=ok))


def _integrity(conn: sqlite3.Connection) -> str:
    """``ok``, or the first few problems ``PRAGMA integrity_check`` found."""
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
    return "; ".join(rows) if rows else "?"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


# --------------------------------------------------------------------------- replacing the data
def kept_path(database: Path, now: dt.datetime) -> Path:
    """``planner.db.before-restore-YYYYMMDD-HHMMSS.db`` beside the database (``-2``, ``-3``…
    when two restores fall in one second)."""
    stem = f"{database.name}{KEPT_INFIX}{now:%Y%m%d-%H%M%S}"
    path, n = database.with_name(stem + ".db"), 1
    while path.exists():
        n += 1
        path = database.with_name(f"{stem}-{n}.db")
    return path


def _replace(src: sqlite3.Connection, database: Path, now: dt.datetime, lang: str) -> tuple[int, Path | None, bool]:
    """Under the exclusive lock: keep a copy of the current database, then copy ``src``
    into it in place. Returns (pages, kept copy, whether the old file was unreadable)."""
    existed = database.exists() and database.stat().st_size > 0
    kept: Path | None = None
    unreadable = copying = False
    try:
        if existed and _live_header(database, lang) != HEADER:
            # Not SQLite at all: move it aside before SQLite opens it (which may delete a
            # -wal beside a file it takes for empty).
            raise _Unreadable
        dst = _open_live(database, lang)
    except _Unreadable:
        kept, unreadable = _move_aside(database, now), True
        dst = _open_live(database, lang)
    try:
        if existed and not unreadable:
            try:
                kept = _keep_copy(dst, database, now)
                # Folds any WAL into the file and removes -wal/-shm: from here on nothing
                # can replay old frames over the restored pages.
                mode = dst.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                if getattr(exc, "sqlite_errorname", "") not in _UNREADABLE:
                    raise
                dst.close()
                if kept is not None:
                    kept.unlink(missing_ok=True)
                kept, unreadable = _move_aside(database, now), True
                dst = _open_live(database, lang)
                mode = dst.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        else:
            mode = dst.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if mode != "delete":
            raise PlannerError(dbmod.in_use_message(database, dbmod.lock_holders(database), lang))
        copying = True
        src.backup(dst)  # one transaction under the rollback journal: all pages or none
        ok = _integrity(dst)
        if ok != "ok":
            if kept is not None and not unreadable:
                _copy_back(kept, dst)
            raise PlannerError(t("restore.result_damaged", lang, path=database, detail=ok, kept=kept or "-"))
        dst.execute("PRAGMA journal_mode = WAL").fetchall()
        # A read first opens the new WAL: a checkpoint issued straight after the switch
        # failed with "database table is locked" (SQLite 3.40, after integrity_check).
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except BaseException as exc:
        if kept is not None and not unreadable and not copying:
            kept.unlink(missing_ok=True)  # refused before anything changed: no copy to explain
        if not isinstance(exc, sqlite3.Error):
            raise
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise PlannerError(dbmod.in_use_message(database, dbmod.lock_holders(database), lang)) from None
        raise PlannerError(t("restore.current_error", lang, path=database, detail=exc)) from None
    finally:
        dst.close()
    return pages, kept, unreadable


class _Unreadable(Exception):
    pass


def _header(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(len(HEADER))


def _live_header(database: Path, lang: str) -> bytes:
    try:
        return _header(database)
    except OSError as exc:
        raise PlannerError(t("restore.current_error", lang, path=database, detail=exc.strerror or exc)) from None


def _open_live(database: Path, lang: str) -> sqlite3.Connection:
    """The live database, opened by SQLite so that a crashed process's WAL (or hot
    journal) is recovered into it. Raises _Unreadable when SQLite cannot read the file."""
    try:
        conn = sqlite3.connect(database, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise PlannerError(t("restore.current_error", lang, path=database, detail=exc)) from None
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") in _UNREADABLE:
            raise _Unreadable(str(exc)) from None
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise PlannerError(dbmod.in_use_message(database, dbmod.lock_holders(database), lang)) from None
        raise PlannerError(t("restore.current_error", lang, path=database, detail=exc)) from None
    return conn


def _keep_copy(live: sqlite3.Connection, database: Path, now: dt.datetime) -> Path:
    """The current data (with any recovered WAL) copied beside the database, written under
    a temporary name and renamed when complete."""
    kept = kept_path(database, now)
    tmp = kept.with_name(kept.name + ".tmp")
    tmp.unlink(missing_ok=True)
    out = sqlite3.connect(tmp)
    try:
        live.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")  # a self-contained file, no -wal beside it
    finally:
        out.close()
    tmp.replace(kept)
    return kept


def _move_aside(database: Path, now: dt.datetime) -> Path:
    """An unreadable current database, with its -wal/-shm/-journal, renamed to the kept
    name (evidence for whoever repairs it). The sidecars go first: a database file must
    never sit beside a WAL that is not its own."""
    kept = kept_path(database, now)
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(str(database) + suffix)
        if side.exists():
            side.replace(Path(str(kept) + suffix))
    database.replace(kept)
    return kept


def _copy_back(kept: Path, dst: sqlite3.Connection) -> None:
    src = sqlite3.connect(kept)
    try:
        src.backup(dst)
    finally:
        src.close()
