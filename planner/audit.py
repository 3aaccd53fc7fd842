"""The audit trail: who changed what, when, with the values before and after.

Every write function records here inside its own transaction, so a change and its
record are committed together or not at all. Bulk imports record one entry per file
(kind, file name and SHA-256, counts) and one entry per row they changed, with the row
before and after; rows that are new are listed by key in the file entry.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import sqlite_utils

from planner.auth import require
from planner.identity import User
# record and record_many are written in planner.trail (below auth, which records user changes);
# every write module imports them from here, the audit trail's one home.
from planner.trail import record, record_many  # noqa: F401


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


# --------------------------------------------------------------------------- in words
# The trail stores actions, tables and fields by their code names (``plan.publish``,
# ``solve_runs``, ``cost_per_event``) and values as JSON, which is exact but unreadable
# for the people who check it. What follows writes an entry in words, in either
# language; the stored entry itself is never changed.

# Actions whose name carries a kind: ``import.<kind>``, ``import.<kind>.update``,
# ``job.<kind>.start``, ``job.<kind>.cancel``.
_KIND_ACTIONS = (("import.", ".update", "audit.action.import_update"), ("import.", "", "audit.action.import_file"),
                 ("job.", ".start", "audit.action.job_start"), ("job.", ".cancel", "audit.action.job_cancel"))

_RUPIAH = {"cost", "cost_per_event", "budget", "travel_cost", "amount"}
_SHARES = {"control_share", "gap", "relative_gap", "vulnerable_share", "p_enroll", "uplift"}
_FLAGS = {"active", "locked", "enrolled", "registered", "follow_up", "invited", "walk_in", "attended", "paid", "has_nib",
          "kur_recipient", "coop_member", "digital_payments", "allow_weekends", "allow_travel", "ramadan_blackout",
          "must_change_password", "real_data"}
_HASHES = {"sha256"}
_CODES = {"control_seed", "seed", "founded_year", "version", "plan_id", "scenario_of", "scenario", "period"}  # numbers that are names: no grouping
_FIRST = ("status", "name")  # read first; the rest in the stored (alphabetical) order
# Where a value is a code with its own words in the catalogue: field -> key prefixes tried in order.
_VALUE_KEYS = {
    "role": ("role.",), "type": ("ptype.",), "size_class": ("size.",), "cancel_reason": ("cancel.",), "segment": ("segment.",),
    "first_import": ("kind.",), "kinds": ("scen.kindname_",), "kind": ("kind.", "job.kind."), "source": ("audit.source.",),
}
_STATUS_KEYS = {
    "plans": ("solve.", "plan."), "event_reports": ("laporan.status.",), "followups": ("fu.status.",),
    "events": ("agenda.status.", "plan."),
}
LIST_SHOWN = 5  # items of a list written out; the rest is counted
TEXT_SHOWN = 120  # characters of one value in the summary


def _key_text(key: str, lang: str) -> str | None:
    from planner.i18n import STRINGS, t

    return t(key, lang) if key in STRINGS else None


def action_text(action: str, lang: str = "id") -> str:
    """``plan.publish`` -> 'Rencana diterbitkan' ('Plan published'); an action without
    words in the catalogue stays as it is stored."""
    from planner.i18n import STRINGS, t

    key = f"audit.action.{action}"
    if key in STRINGS:
        return t(key, lang)
    for head, tail, template in _KIND_ACTIONS:
        if action.startswith(head) and action.endswith(tail) and action.count(".") == 1 + tail.count("."):
            kind = action[len(head):len(action) - len(tail)] if tail else action[len(head):]
            words = _key_text(f"kind.{kind}", lang) or _key_text(f"job.kind.{kind}", lang) or _key_text(f"audit.job.{kind}", lang) or kind
            return t(template, lang, kind=words)
    return action


def entity_text(entity: str | None, lang: str = "id") -> str:
    """A table name in words: ``solve_runs`` -> 'Penyusunan jadwal' ('Schedule solves')."""
    if not entity:
        return "–"
    return _key_text(f"audit.entity.{entity}", lang) or entity


def field_text(name: str, lang: str = "id") -> str:
    """A field name in words where the catalogue has them, else as stored."""
    return _key_text(f"audit.field.{name}", lang) or name


def actor_text(actor: str | None, lang: str = "id") -> str:
    """Who: the account name; the command line (``cli:root``) in words."""
    from planner.i18n import t

    actor = str(actor or "")
    return t("audit.cli", lang, user=actor[4:]) if actor.startswith("cli:") else (actor or "–")


def _shorten(text: str, limit: int | None) -> str:
    return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def value_text(field: str, value: Any, lang: str = "id", *, entity: str | None = None,
               sectors: dict[str, str] | None = None, limit: int | None = TEXT_SHOWN) -> str:
    """One stored value the way the app writes it: Indonesian digits (1.234.567;
    Rp 2.500.000; 10,0%), dates as 21 Nov 2026, yes/no, codes with words where the
    catalogue has them (roles, partner types, statuses, sectors), long lists counted."""
    from planner.i18n import fmt_date, fmt_datetime, fmt_int, fmt_num, fmt_pct, fmt_rupiah, t

    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "–"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return t("audit.rows", lang, n=fmt_int(len(value)))
        shown = [value_text(field, v, lang, entity=entity, sectors=sectors, limit=40) for v in value[:LIST_SHOWN]]
        text = ", ".join(shown) if shown else "–"
        if len(value) > LIST_SHOWN:
            text = t("audit.list_more", lang, items=text, n=fmt_int(len(value)))
        return _shorten(text, limit)
    if isinstance(value, dict):
        return _shorten(", ".join(str(k) for k in value), limit)
    if isinstance(value, bool) or (field in _FLAGS and value in (0, 1)):
        return t("audit.yes" if value else "audit.no", lang)
    if field in _CODES and isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    if field in _RUPIAH and isinstance(value, (int, float)):
        return fmt_rupiah(value)
    if field in _SHARES and isinstance(value, (int, float)):
        return fmt_pct(value)
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return fmt_int(value)
        return fmt_num(value, 2).rstrip("0").rstrip(",")
    text = str(value)
    if field in _HASHES:
        return text[:12] + "…"
    if field == "sector" and sectors and text in sectors:
        return _shorten(sectors[text], limit)
    if field == "available_weekdays":
        from planner.scheduling import WEEKDAY_NAMES
        from planner.vocabulary import parse_weekdays

        days = sorted(parse_weekdays(text))
        return ", ".join(WEEKDAY_NAMES.get(lang, WEEKDAY_NAMES["id"])[d - 1][:3] for d in days) or text
    prefixes = _STATUS_KEYS.get(entity or "", ()) if field == "status" else _VALUE_KEYS.get(field, ())
    for prefix in prefixes:
        words = _key_text(prefix + text, lang)
        if words:
            return words
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return fmt_date(text, lang)
        except ValueError:
            pass
    if len(text) > 18 and text[4] == "-" and text[10] == "T":
        try:
            return fmt_datetime(text, lang)
        except ValueError:
            pass
    return _shorten(text, limit)


def _parse(stored: Any) -> Any:
    if stored is None or (isinstance(stored, float) and stored != stored) or stored == "":
        return None
    try:
        return json.loads(stored)
    except (TypeError, ValueError):
        return stored


def change_lines(before: Any, after: Any, lang: str = "id", *, entity: str | None = None,
                 sectors: dict[str, str] | None = None, limit: int | None = TEXT_SHOWN) -> list[str]:
    """An entry's before and after (as stored: JSON text) as lines 'field: old → new'
    for what changed, 'field: value' for what was only recorded on one side (a new row,
    a count), in the stored field order; fields that did not change are left out."""
    old, new = _parse(before), _parse(after)
    if old is None and new is None:
        return []
    if not isinstance(old, dict) or not isinstance(new, dict):
        if not isinstance(old, dict) and not isinstance(new, dict):
            return [f"{value_text('', old, lang, limit=limit)} → {value_text('', new, lang, limit=limit)}"]
        old = old if isinstance(old, dict) else {}
        new = new if isinstance(new, dict) else {}
    words = lambda field, v: value_text(field, v, lang, entity=entity, sectors=sectors, limit=limit)  # noqa: E731
    lines = []
    fields = list(dict.fromkeys([*old, *new]))
    for field in sorted(fields, key=lambda f: (_FIRST.index(f) if f in _FIRST else len(_FIRST), fields.index(f))):
        label = field_text(field, lang)
        one_side = new.get(field) if field in new else old.get(field)
        if (field not in old or field not in new) and one_side in (None, "", []):
            continue  # nothing recorded on the one side there is
        if field in old and field in new:
            if old[field] == new[field]:
                continue
            lines.append(f"{label}: {words(field, old[field])} → {words(field, new[field])}")
        elif field in new:
            lines.append(f"{label}: {words(field, new[field])}")
        else:
            lines.append(f"{label}: {words(field, old[field])} → –")
    return lines


def in_words(log: pd.DataFrame, lang: str = "id", *, sectors: dict[str, str] | None = None,
             summary_chars: int = 240) -> pd.DataFrame:
    """``search``'s entries with their action, table, actor and change written in words:
    adds ``action_text``, ``entity_text``, ``actor_text``, ``role_text`` and ``changes``
    (the change lines joined, cut at ``summary_chars``) for a table a person reads."""
    from planner.i18n import t

    out = log.copy()
    out["action_text"] = [action_text(a, lang) for a in log["action"]]
    out["entity_text"] = [entity_text(e, lang) for e in log["entity"]]
    out["actor_text"] = [actor_text(a, lang) for a in log["actor"]]
    out["role_text"] = [t(f"role.{r}", lang) if r else "–" for r in log["role"]]
    out["detail_text"] = [(_key_text(f"audit.source.{d}", lang) or d) if isinstance(d, str) and d else "–" for d in log["detail"]]
    out["changes"] = [_shorten("; ".join(change_lines(b, a, lang, entity=e, sectors=sectors, limit=60)), summary_chars)
                      for b, a, e in zip(log["before"], log["after"], log["entity"])]
    return out
