"""The audit trail's writer: one entry per change (who, what, when, the values before and
after), added inside the transaction of the change it describes. Below ``planner.auth``
(which records user changes) and re-exported by ``planner.audit``, which also reads the
trail and puts it into words."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlite_utils

from planner.identity import User


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
