"""Partners and staff, one record at a time: list, add, edit, deactivate; staff leave.

Forms go through the same checks as imports (``imports.validate_frame``: every problem
named by column, value and fix), then one transaction writes the row and its audit entry
with the values before and after. Staff may change partners and leave of their own
province(s); managers and admins everything; leadership nothing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlite_utils

from planner.audit import record
from planner.auth import User, require, require_provinces
from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t
from planner.imports import SPECS, validate_frame

PARTNER_COLUMNS = ["partner_id", "name", "type", "regency_code", "capacity_per_month", "venue_capacity",
                   "cost_per_event", "available_weekdays", "active"]
STAFF_COLUMNS = ["staff_id", "name", "province_code", "max_events_per_week", "active", "home_regency"]


def _province_filter(actor: User | None, column: str) -> tuple[str, list]:
    if actor is not None and actor.role == "staff":
        return f" AND {column} IN ({','.join('?' * len(actor.provinces))})", list(actor.provinces)
    return "", []


def list_partners(db: sqlite_utils.Database, actor: User | None = None, *, province: str | None = None,
                  active: bool | None = None, ptype: str | None = None) -> pd.DataFrame:
    """Partners with their regency and province names (staff see their provinces only)."""
    where, params = "", []
    extra, p2 = _province_filter(actor, "r.province_code")
    where += extra
    params += p2
    if province:
        where += " AND r.province_code = ?"
        params.append(province)
    if active is not None:
        where += " AND p.active = ?"
        params.append(int(active))
    if ptype:
        where += " AND p.type = ?"
        params.append(ptype)
    cur = db.execute(
        "SELECT p.partner_id, p.name, p.type, p.regency_code, r.name AS regency, r.province_code, pr.name_common AS province, "
        "p.capacity_per_month, p.venue_capacity, p.cost_per_event, p.available_weekdays, p.active "
        "FROM partners p JOIN regencies r ON r.code = p.regency_code JOIN provinces pr ON pr.code = r.province_code "
        f"WHERE 1 = 1 {where} ORDER BY p.partner_id",
        params,
    )
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def list_staff(db: sqlite_utils.Database, actor: User | None = None, *, province: str | None = None,
               active: bool | None = None) -> pd.DataFrame:
    where, params = "", []
    extra, p2 = _province_filter(actor, "s.province_code")
    where += extra
    params += p2
    if province:
        where += " AND s.province_code = ?"
        params.append(province)
    if active is not None:
        where += " AND s.active = ?"
        params.append(int(active))
    cur = db.execute(
        "SELECT s.staff_id, s.name, s.province_code, pr.name_common AS province, s.home_regency, r.name AS home_regency_name, "
        "s.max_events_per_week, s.active, "
        "(SELECT COUNT(*) FROM staff_leave l WHERE l.staff_id = s.staff_id AND l.end_date >= date('now')) AS leave_periods "
        "FROM staff s JOIN provinces pr ON pr.code = s.province_code LEFT JOIN regencies r ON r.code = s.home_regency "
        f"WHERE 1 = 1 {where} ORDER BY s.staff_id",
        params,
    )
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def _stored(db: sqlite_utils.Database, table: str, key: str, value: str) -> dict | None:
    rows = list(db.query(f"SELECT * FROM {table} WHERE {key} = ?", [value]))
    return rows[0] if rows else None


def _write(db: sqlite_utils.Database, actor: User, table: str, key: str, entity: str, columns, rec: dict, before: dict | None,
           *, action: str = "update") -> str:
    """Insert ``rec`` or update the columns that differ from ``before``, with one audit
    entry (``<entity>.add`` or ``<entity>.<action>``, before and after). Call inside the
    transaction. Returns "added", "updated" or "unchanged"."""
    cols = [c for c in columns if c in rec]
    if before is None:
        db.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", [rec[c] for c in cols])
        record(db, actor, f"{entity}.add", table, rec[key], None, {c: rec[c] for c in cols})
        return "added"
    changed = {c: rec[c] for c in cols if before.get(c) != rec[c]}
    if changed:
        db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changed)} WHERE {key} = ?", [*changed.values(), rec[key]])
        record(db, actor, f"{entity}.{action}", table, rec[key], {c: before.get(c) for c in changed}, changed)
    return "updated" if changed else "unchanged"


def _clean_record(db: sqlite_utils.Database, kind: str, values: dict, lang: str) -> dict:
    """One record checked exactly like a row of an import file."""
    names = [c.name for c in SPECS[kind].columns]
    frame = pd.DataFrame([{k: "" if values.get(k) is None else str(values.get(k)) for k in names if k in values}])
    clean, _ = validate_frame(db, kind, frame, lang=lang)
    row = clean.iloc[0].to_dict()
    out = {}
    for k in names:
        if k not in row:
            continue
        v = row[k]
        if v is not None and not isinstance(v, str):
            try:
                v = None if pd.isna(v) else v
            except (TypeError, ValueError):
                pass
        if hasattr(v, "item"):
            v = v.item()
        out[k] = v
    return out


def save_partner(db: sqlite_utils.Database, actor: User, values: dict, *, lang: str = "id") -> str:
    """Add a partner or change one (by ``partner_id``). Returns "added" or "updated"."""
    require(actor, "admin", "manager", "staff", lang=lang)
    rec = _clean_record(db, "partners", {**{"active": "1"}, **values}, lang)
    with transaction(db):
        before = _stored(db, "partners", "partner_id", rec["partner_id"])
        provinces = {rec["regency_code"][:2]} | ({before["regency_code"][:2]} if before else set())
        require_provinces(actor, provinces, "partners", lang=lang)
        return _write(db, actor, "partners", "partner_id", "partner", PARTNER_COLUMNS, rec, before)


def set_partner_active(db: sqlite_utils.Database, actor: User, partner_id: str, active: bool, lang: str = DEFAULT_LANG) -> None:
    require(actor, "admin", "manager", "staff", lang=lang)
    with transaction(db):
        before = _stored(db, "partners", "partner_id", partner_id)
        if before is None:
            raise PlannerError(t("res.partner_unknown", lang, partner=partner_id))
        require_provinces(actor, {before["regency_code"][:2]}, "partners", lang=lang)
        _write(db, actor, "partners", "partner_id", "partner", ("active",), {"partner_id": partner_id, "active": int(active)}, before,
               action="enable" if active else "disable")


def save_staff(db: sqlite_utils.Database, actor: User, values: dict, *, lang: str = "id") -> str:
    """Add a staff member or change one (managers and admins)."""
    require(actor, "admin", "manager", lang=lang)
    rec = _clean_record(db, "staff", {**{"active": "1"}, **values}, lang)
    with transaction(db):
        before = _stored(db, "staff", "staff_id", rec["staff_id"])
        return _write(db, actor, "staff", "staff_id", "staff", STAFF_COLUMNS, rec, before)


def set_staff_active(db: sqlite_utils.Database, actor: User, staff_id: str, active: bool, lang: str = DEFAULT_LANG) -> None:
    require(actor, "admin", "manager", lang=lang)
    with transaction(db):
        before = _stored(db, "staff", "staff_id", staff_id)
        if before is None:
            raise PlannerError(t("res.staff_unknown", lang, staff=staff_id))
        _write(db, actor, "staff", "staff_id", "staff", ("active",), {"staff_id": staff_id, "active": int(active)}, before,
               action="enable" if active else "disable")


def _parse_date(value: str | dt.date, what: str, lang: str = DEFAULT_LANG) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PlannerError(t("res.bad_date", lang, what=t(what, lang), value=value)) from None


def add_leave(db: sqlite_utils.Database, actor: User, staff_id: str, start: str | dt.date, end: str | dt.date, reason: str = "",
              lang: str = DEFAULT_LANG) -> int:
    """Record a period a staff member cannot lead events (leave, training, sick)."""
    require(actor, "admin", "manager", "staff", lang=lang)
    a, b = _parse_date(start, "res.leave_start", lang), _parse_date(end, "res.leave_end", lang)
    if b < a:
        raise PlannerError(t("res.leave_reversed", lang, start=a, end=b))
    if (b - a).days > 366:
        raise PlannerError(t("res.leave_too_long", lang))
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise PlannerError(t("res.leave_reason_long", lang, n=len(reason)))
    with transaction(db):
        staff = _stored(db, "staff", "staff_id", staff_id)
        if staff is None:
            raise PlannerError(t("res.staff_unknown", lang, staff=staff_id))
        require_provinces(actor, {staff["province_code"]}, "staff", lang=lang)
        cur = db.execute("INSERT INTO staff_leave (staff_id, start_date, end_date, reason) VALUES (?,?,?,?)",
                         [staff_id, a.isoformat(), b.isoformat(), reason])
        leave_id = cur.lastrowid
        record(db, actor, "staff.leave.add", "staff_leave", str(leave_id), None,
               {"staff_id": staff_id, "start_date": a.isoformat(), "end_date": b.isoformat(), "reason": reason})
    return int(leave_id)


def delete_leave(db: sqlite_utils.Database, actor: User, leave_id: int, lang: str = DEFAULT_LANG) -> None:
    require(actor, "admin", "manager", "staff", lang=lang)
    with transaction(db):
        rows = list(db.query("SELECT l.*, s.province_code FROM staff_leave l JOIN staff s USING (staff_id) WHERE l.id = ?", [int(leave_id)]))
        if not rows:
            raise PlannerError(t("res.leave_unknown", lang, leave=leave_id))
        row = rows[0]
        require_provinces(actor, {row["province_code"]}, "staff", lang=lang)
        db.execute("DELETE FROM staff_leave WHERE id = ?", [int(leave_id)])
        record(db, actor, "staff.leave.delete", "staff_leave", str(leave_id),
               {k: row[k] for k in ("staff_id", "start_date", "end_date", "reason")}, None)


def list_leave(db: sqlite_utils.Database, actor: User | None = None, *, staff_id: str | None = None, since: str | None = None) -> pd.DataFrame:
    where, params = "", []
    extra, p2 = _province_filter(actor, "s.province_code")
    where += extra
    params += p2
    if staff_id:
        where += " AND l.staff_id = ?"
        params.append(staff_id)
    if since:
        where += " AND l.end_date >= ?"
        params.append(since)
    cur = db.execute(
        "SELECT l.id, l.staff_id, s.name, l.start_date, l.end_date, l.reason FROM staff_leave l JOIN staff s USING (staff_id) "
        f"WHERE 1 = 1 {where} ORDER BY l.start_date, l.staff_id",
        params,
    )
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
