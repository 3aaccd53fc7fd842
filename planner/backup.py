"""Backups with SQLite's online backup API: a consistent copy while the app is in use.

Restore: stop the app, then copy the backup file over the database (or start the app
with ``PLANNER_DB`` pointing at it). ``restore`` does the copy through the same API
and checks the result.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from planner.errors import PlannerError


def backup(source: str | Path, target: str | Path) -> int:
    """Copy ``source`` to ``target`` page by page; returns the page count. The target is
    written under a temporary name and renamed when complete."""
    source, target = Path(source), Path(target)
    if not source.exists():
        raise PlannerError(f"Basis data {source} tidak ada.")
    if target.resolve() == source.resolve():
        raise PlannerError("Berkas cadangan tidak boleh sama dengan basis datanya.")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst, pages=1024)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise PlannerError(f"Cadangan gagal diperiksa: {ok}")
    tmp.replace(target)
    return pages


def restore(backup_file: str | Path, database: str | Path) -> int:
    """Replace ``database`` with the contents of ``backup_file`` (the app must be stopped)."""
    backup_file = Path(backup_file)
    src = sqlite3.connect(backup_file)
    try:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise PlannerError(f"{backup_file} rusak; pilih cadangan lain.")
    finally:
        src.close()
    return backup(backup_file, database)
