"""A staff member's agenda: their events of published plans, with everything needed on
the day (start time, place and address, whom to call at the partner, the invitation list
with ready WhatsApp texts) and whether each event has been reported.

Reads take the acting user and return only what that user may see: staff their own
province(s), everyone else any province; leadership reads.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlite_utils

from planner.auth import AccessDenied, User, require
from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t

RECENT_DAYS = 90  # past events stay on the agenda as long as they can be reported (reports.LATEST_DAYS)
AHEAD_DAYS = 120


def _scope(actor: User) -> tuple[str, list]:
    if actor.role == "staff":
        return f" AND g.province_code IN ({','.join('?' * len(actor.provinces))})", list(actor.provinces)
    return "", []


def staff_choices(db: sqlite_utils.Database, actor: User, province: str | None = None) -> pd.DataFrame:
    """Staff members whose agenda ``actor`` may open (``staff_id, name, province_code``),
    with the actor's own record first."""
    require(actor, "admin", "manager", "staff", "leadership")
    where, params = ["s.active = 1"], []
    if actor.role == "staff":
        where.append(f"s.province_code IN ({','.join('?' * len(actor.provinces))})")
        params += list(actor.provinces)
    if province:
        where.append("s.province_code = ?")
        params.append(province)
    cur = db.execute(f"SELECT s.staff_id, s.name, s.province_code FROM staff s WHERE {' AND '.join(where)} ORDER BY s.staff_id", params)
    df = pd.DataFrame(cur.fetchall(), columns=["staff_id", "name", "province_code"])
    if actor.staff_id and actor.staff_id in set(df["staff_id"]):
        df = pd.concat([df[df["staff_id"] == actor.staff_id], df[df["staff_id"] != actor.staff_id]], ignore_index=True)
    return df


def agenda(db: sqlite_utils.Database, actor: User, *, staff_id: str | None = None, province: str | None = None,
           since: dt.date | None = None, until: dt.date | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """Events of published plans for one staff member (or a whole province), from
    ``RECENT_DAYS`` ago to ``AHEAD_DAYS`` ahead by default, soonest first; with the
    report's status where one exists."""
    require(actor, "admin", "manager", "staff", "leadership")
    today = today or dt.date.today()
    since = since or today - dt.timedelta(days=RECENT_DAYS)
    until = until or today + dt.timedelta(days=AHEAD_DAYS)
    scope, params = _scope(actor)
    where = "p.status = 'published' AND e.status = 'planned' AND e.event_date BETWEEN ? AND ?" + scope
    args: list = [since.isoformat(), until.isoformat(), *params]
    if staff_id:
        where += " AND e.staff_id = ?"
        args.append(staff_id)
    if province:
        where += " AND g.province_code = ?"
        args.append(province)
    cur = db.execute(
        "SELECT e.event_id, e.plan_id, p.name AS plan, e.event_date AS date, e.start_time, e.duration_minutes, pv.timezone, "
        "e.regency_code, g.name AS regency, g.province_code, pv.name_common AS province, e.partner_id, pa.name AS partner, "
        "pa.type AS partner_type, pa.address, pa.contact_name, pa.contact_phone, e.staff_id, s.name AS staff, s.phone AS staff_phone, "
        "e.invitees, e.expected_attendance, e.expected_enrollments, e.expected_additional, e.event_cost + e.travel_cost AS cost, "
        "r.status AS report_status, r.held_on, r.attendance, r.present, r.registrations, r.workers_registered, r.version AS report_version "
        "FROM events e JOIN plans p ON p.plan_id = e.plan_id JOIN regencies g ON g.code = e.regency_code "
        "JOIN provinces pv ON pv.code = g.province_code JOIN partners pa ON pa.partner_id = e.partner_id "
        "LEFT JOIN staff s ON s.staff_id = e.staff_id LEFT JOIN event_reports r ON r.event_id = e.event_id "
        f"WHERE {where} ORDER BY e.event_date, e.start_time, e.event_id",
        args,
    )
    df = pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    df["past"] = df["date"] < today.isoformat() if len(df) else pd.Series(dtype=bool)
    return df


def event(db: sqlite_utils.Database, actor: User, event_id: str, lang: str = DEFAULT_LANG) -> dict:
    """One event of a published plan as the agenda shows it, if ``actor`` may see it."""
    require(actor, "admin", "manager", "staff", "leadership", lang=lang)
    row = db.execute(
        "SELECT e.event_date, g.province_code, p.status, e.plan_id FROM events e JOIN regencies g ON g.code = e.regency_code "
        "JOIN plans p ON p.plan_id = e.plan_id WHERE e.event_id = ?", [event_id]
    ).fetchone()
    if row is None:
        raise PlannerError(t("rep.event_unknown", lang) + f": {event_id}")
    if actor.role == "staff" and not actor.covers(row[1]):
        raise AccessDenied(t("agenda.not_yours", lang, event=event_id))
    if row[2] != "published":
        raise PlannerError(t("rep.event_draft", lang, plan=row[3]))
    d = dt.date.fromisoformat(row[0])
    df = agenda(db, actor, since=d, until=d, today=d)
    match = df[df["event_id"] == event_id]
    if match.empty:
        raise PlannerError(t("rep.event_unknown", lang) + f": {event_id}")
    return match.iloc[0].to_dict()


def set_time(db: sqlite_utils.Database, actor: User, event_id: str, start_time: str, duration_minutes: int,
             lang: str = DEFAULT_LANG) -> None:
    """Change when an event starts and how long it lasts (managers any event; staff the
    published events of their province, which they arrange with the partner)."""
    import re

    from planner.audit import record

    require(actor, "admin", "manager", "staff", lang=lang)
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", str(start_time or "")):
        raise PlannerError(t("agenda.bad_time", lang, value=start_time))
    if not 15 <= int(duration_minutes) <= 720:
        raise PlannerError(t("agenda.bad_duration", lang, value=duration_minutes))
    with transaction(db):
        row = db.execute(
            "SELECT e.start_time, e.duration_minutes, g.province_code, p.status FROM events e JOIN regencies g ON g.code = e.regency_code "
            "JOIN plans p ON p.plan_id = e.plan_id WHERE e.event_id = ?", [event_id]
        ).fetchone()
        if row is None:
            raise PlannerError(t("rep.event_unknown", lang) + f": {event_id}")
        if actor.role == "staff" and (not actor.covers(row[2]) or row[3] != "published"):
            raise AccessDenied(t("agenda.not_yours", lang, event=event_id))
        if (row[0], row[1]) == (start_time, int(duration_minutes)):
            return
        db.execute("UPDATE events SET start_time = ?, duration_minutes = ? WHERE event_id = ?", [start_time, int(duration_minutes), event_id])
        record(db, actor, "event.time", "events", event_id, {"start_time": row[0], "duration_minutes": row[1]},
               {"start_time": start_time, "duration_minutes": int(duration_minutes)})


def invitations(db: sqlite_utils.Database, actor: User, event_id: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The invitation list of an event the actor may see, with reasons and a ready
    WhatsApp text and link each (time, address and the staff member's phone in it)."""
    from planner import plans

    event(db, actor, event_id)  # access check
    return plans.invitation_messages(db, event_id, lang)


def ics(db: sqlite_utils.Database, actor: User, staff_id: str, lang: str = DEFAULT_LANG, today: dt.date | None = None) -> bytes:
    """The agenda of one staff member as an iCalendar file, every event at its start time."""
    from planner import plans

    events = agenda(db, actor, staff_id=staff_id, today=today)
    name = events["staff"].iloc[0] if len(events) else staff_id
    return plans.events_ics(events.assign(cost=events["cost"]), f"Jangkau – {name}", lang)
