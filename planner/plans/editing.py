"""A manager's edits of a planned event: lock or unlock it, move it (the plan is then
checked against every rule and what it breaks is named), cancel it. Each edit is audited."""

from __future__ import annotations

import datetime as dt
import sqlite_utils

from planner.audit import record
from planner.auth import User, require
from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import fmt_date, t
from planner.plans.adapter import plan_violations
from planner.plans.storage import Plan, _event, _now, get_plan


def _editable_event(db: sqlite_utils.Database, event_id: str, lang: str, *, cancelled_ok: bool = False) -> tuple[dict, Plan]:
    """The event and its plan, if the event may be changed: its plan is a draft and it is
    not cancelled; otherwise an error naming the event and the fix."""
    ev = _event(db, event_id, lang)
    plan = get_plan(db, ev["plan_id"])
    if plan.status != "draft":
        raise PlannerError(t("plan.event_not_draft", lang, event=event_id, plan=plan.plan_id, status=t(f"plan.{plan.status}", lang)))
    if ev["status"] != "planned" and not cancelled_ok:
        raise PlannerError(t("plan.event_cancelled", lang, event=event_id))
    return ev, plan


def set_locked(db: sqlite_utils.Database, actor: User, event_id: str, locked: bool, lang: str = "id") -> None:
    """Lock an event (the next solve keeps it and its invitees) or unlock it."""
    require(actor, "admin", "manager")
    with transaction(db):
        ev, _plan = _editable_event(db, event_id, lang)
        if ev["locked"] != int(locked):
            db.execute("UPDATE events SET locked = ? WHERE event_id = ?", [int(locked), event_id])
            db.execute("UPDATE plans SET updated_at = ? WHERE plan_id = ?", [_now(), ev["plan_id"]])
            record(db, actor, "event.lock" if locked else "event.unlock", "events", event_id, {"locked": ev["locked"]}, {"locked": int(locked)})


def move_event(db: sqlite_utils.Database, actor: User, event_id: str, *, date: dt.date | str | None = None,
               partner_id: str | None = None, staff_id: str | None = None, lang: str = "id") -> list[str]:
    """Move an event to another day, partner or staff member; it becomes locked. Returns
    the rules the plan now breaks (empty when it is still valid) so the manager can see
    them at once; the next solve refuses a plan that breaks a rule and says which."""
    require(actor, "admin", "manager")
    with transaction(db):
        ev, plan = _editable_event(db, event_id, lang)
        changes: dict[str, object] = {}
        if date is not None:
            try:
                d = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date).strip())
            except ValueError:
                raise PlannerError(t("plan.move_bad_date", lang, event=event_id, value=date)) from None
            if not plan.rules.start <= d <= plan.rules.end:
                raise PlannerError(t("plan.move_outside", lang, event=event_id, date=fmt_date(d, lang), start=fmt_date(plan.rules.start, lang),
                                     end=fmt_date(plan.rules.end, lang)))
            changes["event_date"] = d.isoformat()
        if partner_id is not None and partner_id != ev["partner_id"]:
            row = db.execute("SELECT p.regency_code, p.cost_per_event, p.active FROM partners p WHERE partner_id = ?", [partner_id]).fetchone()
            if row is None:
                raise PlannerError(t("plan.move_partner_missing", lang, event=event_id, partner=partner_id))
            if not row[2]:
                raise PlannerError(t("plan.move_partner_inactive", lang, event=event_id, partner=partner_id))
            changes.update(partner_id=partner_id, event_cost=row[1])
            if row[0] != ev["regency_code"]:
                # invitees belong to the regency: a move to another regency starts with none
                changes["regency_code"] = row[0]
                db.execute("DELETE FROM invitations WHERE event_id = ?", [event_id])
                changes.update(invitees=0, expected_attendance=0, expected_enrollments=0, expected_additional=0)
        if staff_id is not None and staff_id != ev["staff_id"]:
            if db.execute("SELECT 1 FROM staff WHERE staff_id = ? AND active = 1", [staff_id]).fetchone() is None:
                raise PlannerError(t("plan.move_staff_missing", lang, event=event_id, staff=staff_id))
            changes["staff_id"] = staff_id
        changes["locked"] = 1
        db.execute(f"UPDATE events SET {', '.join(f'{k} = ?' for k in changes)} WHERE event_id = ?", [*changes.values(), event_id])
        db.execute("UPDATE plans SET updated_at = ? WHERE plan_id = ?", [_now(), plan.plan_id])
        record(db, actor, "event.move", "events", event_id, {k: ev.get(k) for k in changes}, changes)
    return plan_violations(db, plan.plan_id, lang)


def cancel_event(db: sqlite_utils.Database, actor: User, event_id: str, note: str = "", lang: str = "id") -> None:
    """Cancel an event: its invitees are free again and its partner and day are not
    proposed again by the next solve."""
    require(actor, "admin", "manager")
    note = (note or "").strip()[:200]
    with transaction(db):
        ev, _plan = _editable_event(db, event_id, lang, cancelled_ok=True)
        if ev["status"] == "cancelled":
            return
        n = db.execute("DELETE FROM invitations WHERE event_id = ?", [event_id]).rowcount
        db.execute("UPDATE events SET status = 'cancelled', locked = 0, note = ?, invitees = 0, expected_attendance = 0, "
                   "expected_enrollments = 0, expected_additional = 0 WHERE event_id = ?", [note, event_id])
        db.execute("UPDATE plans SET updated_at = ? WHERE plan_id = ?", [_now(), ev["plan_id"]])
        record(db, actor, "event.cancel", "events", event_id,
               {"status": ev["status"], "invitees": ev["invitees"], "expected_additional": ev["expected_additional"]},
               {"status": "cancelled", "invitations_removed": n, "note": note})
