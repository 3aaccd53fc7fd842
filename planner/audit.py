"""The audit trail: who changed what, when, with the values before and after.

Every write function records here inside its own transaction, so a change and its
record are committed together or not at all. Bulk imports record one entry per file
(kind, file name and SHA-256, counts) and one entry per row they changed, with the row
before and after; rows that are new are listed by key in the file entry.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import sqlite_utils

from planner.auth import User, require


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def record(db: sqlite_utils.Database, actor: User, action: str, entity: str, key: str | None,
           before: Any = None, after: Any = None, detail: str | None = None) -> None:
    """Add one entry. Call inside the transaction of the change it describes."""
    db.execute(
        "INSERT INTO audit_log (at, actor, role, action, entity, entity_key, before, after, detail) VALUES (?,?,?,?,?,?,?,?,?)",
        [dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), actor.username, actor.role, action, entity,
         key, _json(before), _json(after), detail],
    )


def record_many(db: sqlite_utils.Database, actor: User, action: str, entity: str,
                rows: list[tuple[str, Any, Any]], detail: str | None = None) -> None:
    """Many entries at once: ``rows`` of (key, before, after)."""
    if not rows:
        return
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    db.conn.executemany(
        "INSERT INTO audit_log (at, actor, role, action, entity, entity_key, before, after, detail) VALUES (?,?,?,?,?,?,?,?,?)",
        [(at, actor.username, actor.role, action, entity, k, _json(b), _json(a), detail) for k, b, a in rows],
    )


def search(db: sqlite_utils.Database, actor: User, *, text: str | None = None, who: str | None = None,
           action: str | None = None, since: str | None = None, until: str | None = None, limit: int = 1000) -> pd.DataFrame:
    """Audit entries, newest first (admin and leadership only)."""
    require(actor, "admin", "leadership")
    where, params = [], []
    if text:
        where.append("(entity_key LIKE ? OR before LIKE ? OR after LIKE ? OR detail LIKE ?)")
        params += [f"%{text}%"] * 4
    if who:
        where.append("actor = ?")
        params.append(who)
    if action:
        where.append("action LIKE ?")
        params.append(f"{action}%")
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until)
    sql = "SELECT id, at, actor, role, action, entity, entity_key, before, after, detail FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY id DESC LIMIT {int(limit)}"
    return pd.DataFrame(db.execute(sql, params).fetchall(),
                        columns=["id", "at", "actor", "role", "action", "entity", "entity_key", "before", "after", "detail"])
