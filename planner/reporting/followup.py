"""Follow-up: leads from events (businesses interested but not registered) on the list of
the event's staff member, and registrations recorded after the event.

A lead moves through ``to_contact -> contacted -> promised -> registered | declined``,
with a due date and a note. A registration recorded later — on the follow-up list, by a
corrected report, or by a registrations import — closes the lead and is credited to the
event that brought the business in (the latest event within ``CREDIT_DAYS`` before the
registration at which the business was invited or present), so that the event's actuals
and the plan's record count it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlite_utils

from planner.audit import record
from planner.auth import AccessDenied, User, require
from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t
from planner.vocabulary import PROGRAMMES, excluded_programmes, mandatory_programmes, parse_programmes

STATUSES = ("to_contact", "contacted", "promised", "registered", "declined")
OPEN = ("to_contact", "contacted", "promised")
CREDIT_DAYS = 90  # a registration is credited to an event at most this many days after it


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def leads(db: sqlite_utils.Database, actor: User, *, staff_id: str | None = None, province: str | None = None,
          open_only: bool = True, today: dt.date | None = None) -> pd.DataFrame:
    """Leads the actor may see (staff: their provinces), overdue first, then by due date."""
    require(actor, "admin", "manager", "staff", "leadership")
    today = today or dt.date.today()
    where, params = [], []
    if actor.role == "staff":
        where.append(f"g.province_code IN ({','.join('?' * len(actor.provinces))})")
        params += list(actor.provinces)
    if staff_id:
        where.append("f.staff_id = ?")
        params.append(staff_id)
    if province:
        where.append("g.province_code = ?")
        params.append(province)
    if open_only:
        where.append(f"f.status IN ({','.join('?' * len(OPEN))})")
        params += list(OPEN)
    cur = db.execute(
        "SELECT f.followup_id, f.event_id, e.event_date, pa.name AS partner, f.business_id, b.name, "
        "json_extract(b.attributes, '$.owner_name') AS owner_name, json_extract(b.attributes, '$.phone') AS phone, b.size_class, b.workers, "
        "f.staff_id, s.name AS staff, f.status, f.due_on, f.note, f.updated_by, f.updated_at, f.closed_on "
        "FROM followups f JOIN events e ON e.event_id = f.event_id JOIN regencies g ON g.code = e.regency_code "
        "JOIN partners pa ON pa.partner_id = e.partner_id JOIN businesses b ON b.business_id = f.business_id "
        "LEFT JOIN staff s ON s.staff_id = f.staff_id"
        + (" WHERE " + " AND ".join(where) if where else ""),
        params,
    )
    df = pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    df["overdue"] = df["status"].isin(OPEN) & (df["due_on"] < today.isoformat())
    return df.sort_values(["overdue", "due_on", "name"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def _lead(db: sqlite_utils.Database, actor: User, followup_id: int, lang: str) -> dict:
    rows = list(db.query(
        "SELECT f.*, g.province_code, e.event_date FROM followups f JOIN events e ON e.event_id = f.event_id "
        "JOIN regencies g ON g.code = e.regency_code WHERE f.followup_id = ?", [int(followup_id)]))
    if not rows:
        raise PlannerError(t("fu.unknown", lang, id=followup_id))
    lead = rows[0]
    if actor.role == "staff" and not actor.covers(lead["province_code"]):
        raise AccessDenied(t("rep.event_other_province", lang, province=lead["province_code"], mine=", ".join(actor.provinces)))
    return lead


def update(db: sqlite_utils.Database, actor: User, followup_id: int, *, status: str, due_on: str | dt.date | None = None,
           note: str | None = None, workers_registered: int | None = None, programmes: str | None = None,
           lang: str = DEFAULT_LANG, today: dt.date | None = None) -> None:
    """Change a lead. Marking it ``registered`` records the registration (workers and
    programmes, checked like a report's) and credits it to the lead's event."""
    require(actor, "admin", "manager", "staff", lang=lang)
    today = today or dt.date.today()
    if status not in STATUSES:
        raise PlannerError(t("fu.status", lang, value=status, choices=", ".join(STATUSES)))
    if due_on is not None and not isinstance(due_on, dt.date):
        try:
            due_on = dt.date.fromisoformat(str(due_on))
        except ValueError:
            raise PlannerError(t("fu.due", lang, value=due_on)) from None
    note = (note or "").strip()
    if len(note) > 1000:
        raise PlannerError(t("fu.note_long", lang))
    with transaction(db):
        lead = _lead(db, actor, followup_id, lang)
        before = {k: lead[k] for k in ("status", "due_on", "note")}
        after = {"status": status, "due_on": (due_on or dt.date.fromisoformat(lead["due_on"])).isoformat(), "note": note if note is not None else lead["note"]}
        closed = None
        if status == "registered" and lead["status"] != "registered":
            _register(db, actor, lead["business_id"], today, workers_registered, programmes, "followup", lang, event_id=lead["event_id"])
            closed = today.isoformat()
        elif status == "declined":
            closed = today.isoformat()
        db.execute("UPDATE followups SET status = ?, due_on = ?, note = ?, updated_by = ?, updated_at = ?, closed_on = COALESCE(?, closed_on) "
                   "WHERE followup_id = ?", [after["status"], after["due_on"], after["note"], actor.username, _now(), closed, int(followup_id)])
        record(db, actor, "followup.update", "followups", str(followup_id), before, after, detail=lead["event_id"])


def check_registration(size_class: str, workers: int, workers_registered: int | None, programmes: str | None, lang: str) -> tuple[int, str]:
    """The same rules as a report's registration; returns (workers, programmes)."""
    if workers_registered is None or int(workers_registered) < 1:
        raise PlannerError(t("rep.workers_registered_missing", lang) + ". " + t("rfix.workers_registered_missing", lang, field=t("laporan.col.workers_registered", lang)))
    if int(workers_registered) > int(workers):
        raise PlannerError(t("rep.workers_registered_max", lang, workers=workers) + ".")
    progs, unknown = parse_programmes(programmes or ";".join(mandatory_programmes(size_class, workers)))
    if unknown:
        raise PlannerError(t("rep.programme_unknown", lang) + ": " + ", ".join(unknown) + ". " + t("rfix.programme_unknown", lang, choices=", ".join(PROGRAMMES)))
    lacking = [p for p in mandatory_programmes(size_class, workers) if p not in progs]
    if lacking:
        need = ";".join(mandatory_programmes(size_class, workers))
        raise PlannerError(t("rfix.programme_mandatory", lang, need=need))
    if any(p in progs for p in excluded_programmes(workers)):
        raise PlannerError(t("rep.programme_bpu_jp", lang))
    return int(workers_registered), ";".join(progs)


def credit_event(db: sqlite_utils.Database, business_id: str, registered_on: str) -> str | None:
    """The event a registration on ``registered_on`` is credited to: the latest one within
    ``CREDIT_DAYS`` before it at which the business was invited or present."""
    since = (dt.date.fromisoformat(registered_on) - dt.timedelta(days=CREDIT_DAYS)).isoformat()
    row = db.execute(
        "SELECT e.event_id FROM events e JOIN plans p ON p.plan_id = e.plan_id WHERE p.status = 'published' AND e.status = 'planned' "
        "AND e.event_date BETWEEN ? AND ? AND (e.event_id IN (SELECT event_id FROM invitations WHERE business_id = ?) "
        "OR e.event_id IN (SELECT event_id FROM report_rows WHERE business_id = ?)) ORDER BY e.event_date DESC, e.event_id DESC LIMIT 1",
        [since, registered_on, business_id, business_id],
    ).fetchone()
    return row[0] if row else None


def _register(db: sqlite_utils.Database, actor: User, business_id: str, on: dt.date, workers_registered: int | None,
              programmes: str | None, source: str, lang: str, event_id: str | None = None) -> str | None:
    b = db.execute("SELECT size_class, workers, enrolled FROM businesses WHERE business_id = ?", [business_id]).fetchone()
    if b is None:
        raise PlannerError(t("rep.business_unknown", lang) + f": {business_id}")
    workers, progs = check_registration(b[0], b[1], workers_registered, programmes, lang)
    event_id = event_id or credit_event(db, business_id, on.isoformat())
    db.execute(
        "INSERT INTO registrations (business_id, registered_on, workers_registered, programmes, event_id, source) VALUES (?,?,?,?,?,?) "
        "ON CONFLICT(business_id, registered_on) DO UPDATE SET workers_registered = excluded.workers_registered, "
        "programmes = excluded.programmes, event_id = excluded.event_id, source = excluded.source",
        [business_id, on.isoformat(), workers, progs, event_id, source],
    )
    db.execute("UPDATE businesses SET enrolled = 1 WHERE business_id = ?", [business_id])
    if event_id:  # the event's contact learns that the invitation worked after all
        db.execute("UPDATE contacts SET enrolled = 1, workers_enrolled = ?, programmes = ? WHERE event_id = ? AND business_id = ?",
                   [workers, progs, event_id, business_id])
    db.execute("UPDATE followups SET status = 'registered', closed_on = ?, updated_by = ?, updated_at = ? "
               "WHERE business_id = ? AND status IN ('to_contact', 'contacted', 'promised')", [on.isoformat(), actor.username, _now(), business_id])
    record(db, actor, "registration.add", "registrations", f"{business_id}|{on.isoformat()}", {"enrolled": b[2]},
           {"workers_registered": workers, "programmes": progs, "event_id": event_id, "source": source})
    return event_id


def after_registrations_import(db: sqlite_utils.Database, actor: User, keys: list[tuple[str, str]]) -> int:
    """What an import of registrations does besides storing them, set at a time: credit
    each registration without an event to the latest event within ``CREDIT_DAYS`` before
    it that invited the business or saw it present; mark the businesses enrolled; close
    their open leads; and tell each credited event's contact that the invitation worked.
    ``keys`` are the imported (business_id, registered_on). Returns how many registrations
    are credited to an event. Runs inside the import's transaction."""
    db.execute("DROP TABLE IF EXISTS temp._reg_keys")
    db.execute("CREATE TEMP TABLE _reg_keys (business_id TEXT, registered_on TEXT, PRIMARY KEY (business_id, registered_on))")
    db.conn.executemany("INSERT OR IGNORE INTO temp._reg_keys VALUES (?, ?)", keys)
    db.execute(
        "UPDATE registrations SET event_id = ("
        " SELECT e.event_id FROM events e JOIN plans p ON p.plan_id = e.plan_id"
        " WHERE p.status = 'published' AND e.status = 'planned'"
        " AND e.event_date BETWEEN date(registrations.registered_on, ?) AND registrations.registered_on"
        " AND (e.event_id IN (SELECT event_id FROM invitations i WHERE i.business_id = registrations.business_id)"
        "      OR e.event_id IN (SELECT event_id FROM report_rows r WHERE r.business_id = registrations.business_id))"
        " ORDER BY e.event_date DESC, e.event_id DESC LIMIT 1) "
        "WHERE event_id IS NULL AND (business_id, registered_on) IN (SELECT business_id, registered_on FROM temp._reg_keys)",
        [f"-{CREDIT_DAYS} days"],
    )
    db.execute(
        "UPDATE contacts SET enrolled = 1, workers_enrolled = r.workers_registered, programmes = r.programmes "
        "FROM registrations r JOIN temp._reg_keys k ON k.business_id = r.business_id AND k.registered_on = r.registered_on "
        "WHERE contacts.event_id = r.event_id AND contacts.business_id = r.business_id"
    )
    # a control's (or any uncredited contact's) outcome within 90 days of its event: what lift is measured from
    db.execute(
        "UPDATE contacts SET enrolled = 1, workers_enrolled = r.workers_registered, programmes = r.programmes "
        "FROM registrations r JOIN temp._reg_keys k ON k.business_id = r.business_id AND k.registered_on = r.registered_on "
        "WHERE contacts.business_id = r.business_id AND contacts.event_id IS NOT NULL AND contacts.enrolled = 0 "
        "AND r.registered_on BETWEEN contacts.contacted_on AND date(contacts.contacted_on, ?)",
        [f"+{CREDIT_DAYS} days"],
    )
    db.execute("UPDATE businesses SET enrolled = 1 WHERE enrolled = 0 AND business_id IN (SELECT business_id FROM temp._reg_keys)")
    db.execute(
        "UPDATE followups SET status = 'registered', updated_by = ?, updated_at = ?, "
        "closed_on = (SELECT MIN(registered_on) FROM temp._reg_keys k WHERE k.business_id = followups.business_id) "
        "WHERE status IN ('to_contact', 'contacted', 'promised') AND business_id IN (SELECT business_id FROM temp._reg_keys)",
        [actor.username, _now()],
    )
    credited = db.execute(
        "SELECT COUNT(*) FROM registrations r JOIN temp._reg_keys k USING (business_id, registered_on) WHERE r.event_id IS NOT NULL"
    ).fetchone()[0]
    db.execute("DROP TABLE temp._reg_keys")
    return credited
