"""Plans, events and invitations in the database: create, read, publish, reopen, archive;
lock, move and cancel events; the CSV frames. Every write checks the acting user and is
audited in its transaction."""

from __future__ import annotations

import datetime as dt
import json
import numpy as np
import pandas as pd
import sqlite_utils
from dataclasses import dataclass, replace

from planner import scheduling as sch
from planner.audit import record
from planner.auth import User, require
from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, fmt_int, fmt_pct, t


STATUSES = ("draft", "published", "archived")


EVENTS_COLUMNS = ["event_id", "date", "regency_code", "partner_id", "staff_id", "expected_attendance",
                  "expected_enrollments", "expected_additional", "cost"]


INVITATION_COLUMNS = ["event_id", "business_id", "p_enroll", "uplift"]


@dataclass(frozen=True)
class Plan:
    plan_id: int
    name: str
    status: str
    rules: sch.Rules
    result: dict | None
    created_by: str
    created_at: str
    updated_at: str
    published_by: str | None
    published_at: str | None
    scenario_of: int | None = None  # a scenario: the plan it is a variant of
    scenario: dict | None = None  # what the variant changes, e.g. {"kind": "budget", "factor": 0.8}

    @property
    def provinces(self) -> tuple[str, ...]:
        return self.rules.provinces


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _db_path(db: sqlite_utils.Database) -> str:
    return db.execute("PRAGMA database_list").fetchone()[2]


# --------------------------------------------------------------------------- plans
def _known_provinces(db: sqlite_utils.Database, provinces: tuple[str, ...]) -> tuple[str, ...]:
    known = {r[0] for r in db.execute("SELECT code FROM provinces")}
    unknown = [p for p in provinces if p not in known]
    if unknown:
        raise PlannerError(t("plan.unknown_provinces", DEFAULT_LANG, codes=", ".join(unknown)))
    return tuple(sorted(set(provinces)))


def create_plan(db: sqlite_utils.Database, actor: User, name: str, rules: sch.Rules, *, scenario_of: int | None = None,
                scenario: dict | None = None) -> int:
    """A new draft plan (managers and admins); with ``scenario_of``, a variant of that plan
    (see ``planner.projection.scenarios``)."""
    require(actor, "admin", "manager")
    rules.validate()
    name = (name or "").strip()
    if not name:
        raise PlannerError(t("plan.name_missing", DEFAULT_LANG))
    if len(name) > 120:
        raise PlannerError(t("plan.name_too_long", DEFAULT_LANG, length=len(name.strip())))
    rules = replace(rules, provinces=_known_provinces(db, rules.provinces))
    now = _now()
    with transaction(db):
        cur = db.execute(
            "INSERT INTO plans (name, status, start_date, end_date, provinces, budget, rules, created_by, created_at, updated_at, scenario_of, scenario) "
            "VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [name, rules.start.isoformat(), rules.end.isoformat(), ",".join(rules.provinces), rules.budget,
             json.dumps(rules.as_dict()), actor.username, now, now, scenario_of, json.dumps(scenario) if scenario else None],
        )
        plan_id = int(cur.lastrowid)
        record(db, actor, "plan.create", "plans", str(plan_id), None,
               {"name": name, **rules.as_dict(), **({"scenario_of": scenario_of, "scenario": scenario} if scenario_of else {})})
    return plan_id


def update_plan(db: sqlite_utils.Database, actor: User, plan_id: int, rules: sch.Rules, name: str | None = None) -> None:
    """Change a draft plan's rules (its events stay until it is solved again)."""
    require(actor, "admin", "manager")
    rules.validate()
    rules = replace(rules, provinces=_known_provinces(db, rules.provinces))
    with transaction(db):
        plan = get_plan(db, plan_id)
        _require_draft(plan)
        new_name = (name or plan.name).strip()
        db.execute(
            "UPDATE plans SET name = ?, start_date = ?, end_date = ?, provinces = ?, budget = ?, rules = ?, updated_at = ? WHERE plan_id = ?",
            [new_name, rules.start.isoformat(), rules.end.isoformat(), ",".join(rules.provinces), rules.budget,
             json.dumps(rules.as_dict()), _now(), plan_id],
        )
        record(db, actor, "plan.update", "plans", str(plan_id), {"name": plan.name, **plan.rules.as_dict()}, {"name": new_name, **rules.as_dict()})


def get_plan(db: sqlite_utils.Database, plan_id: int) -> Plan:
    rows = list(db.query("SELECT * FROM plans WHERE plan_id = ?", [int(plan_id)]))
    if not rows:
        raise PlannerError(t("plan.missing", DEFAULT_LANG, plan=plan_id))
    r = rows[0]
    return Plan(r["plan_id"], r["name"], r["status"], sch.Rules.from_dict(json.loads(r["rules"])),
                json.loads(r["result"]) if r["result"] else None, r["created_by"], r["created_at"], r["updated_at"],
                r["published_by"], r["published_at"], r.get("scenario_of"), json.loads(r["scenario"]) if r.get("scenario") else None)


def _visible(plan: Plan, actor: User | None) -> bool:
    if actor is None or actor.role in ("admin", "manager", "leadership"):
        return True
    if plan.status != "published":
        return False
    return not plan.provinces or bool(set(plan.provinces) & set(actor.provinces))


def plan_for(db: sqlite_utils.Database, actor: User, plan_id: int) -> Plan:
    """The plan, if ``actor`` may see it (staff: published plans of their provinces)."""
    plan = get_plan(db, plan_id)
    if not _visible(plan, actor):
        raise PlannerError(t("plan.not_visible", DEFAULT_LANG, plan=plan_id))
    return plan


def list_plans(db: sqlite_utils.Database, actor: User | None = None) -> pd.DataFrame:
    """Plans the actor may see, newest first, with their event counts and projections."""
    cur = db.execute(
        "SELECT p.plan_id, p.name, p.status, p.start_date, p.end_date, p.provinces, p.budget, p.created_by, p.updated_at, "
        "COUNT(e.event_id) AS events, COALESCE(SUM(e.expected_additional), 0) AS expected_additional, "
        "COALESCE(SUM(e.event_cost + e.travel_cost), 0) AS cost "
        "FROM plans p LEFT JOIN events e ON e.plan_id = p.plan_id AND e.status = 'planned' "
        "WHERE p.status != 'archived' AND p.scenario_of IS NULL GROUP BY p.plan_id ORDER BY p.plan_id DESC"
    )
    df = pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    if actor is not None and actor.role == "staff" and not df.empty:
        mine = set(actor.provinces)
        keep = (df["status"] == "published") & df["provinces"].map(lambda s: not s or bool(set(s.split(",")) & mine))
        df = df[keep].reset_index(drop=True)
    return df


def _require_draft(plan: Plan) -> None:
    if plan.status != "draft":
        raise PlannerError(t("plan.not_draft", DEFAULT_LANG, plan=plan.plan_id, status=_status_word(plan.status)))


def _status_word(status: str) -> str:
    return {"draft": "draf", "published": "diterbitkan", "archived": "diarsipkan"}.get(status, status)


DEFAULT_CONTROL_SHARE = 0.10  # of the businesses a plan chose, held back when it is published


MAX_CONTROL_SHARE = 0.5


def _refresh_event_figures(db: sqlite_utils.Database, plan_id: int) -> None:
    """Each event's invitees and expected figures from its invitations as they are now
    (after a control group was held back or returned); attendance scales with invitees."""
    db.execute(
        "UPDATE events SET expected_attendance = CASE WHEN invitees > 0 THEN expected_attendance * "
        "(SELECT COUNT(*) FROM invitations i WHERE i.event_id = events.event_id) / invitees ELSE 0 END WHERE plan_id = ?", [plan_id])
    db.execute(
        "UPDATE events SET invitees = (SELECT COUNT(*) FROM invitations i WHERE i.event_id = events.event_id), "
        "expected_enrollments = (SELECT COALESCE(SUM(i.p_enroll * i.workers), 0) FROM invitations i WHERE i.event_id = events.event_id), "
        "expected_additional = (SELECT COALESCE(SUM(i.expected_additional), 0) FROM invitations i WHERE i.event_id = events.event_id) "
        "WHERE plan_id = ? AND status = 'planned'", [plan_id])


def publish_plan(db: sqlite_utils.Database, actor: User, plan_id: int, *, control_share: float | None = None,
                 seed: int | None = None, lang: str = "id") -> dict:
    """Publish a draft: its events appear in the staff's agendas. A random
    ``control_share`` of the businesses the plan chose (default 10%) is held back as a
    control group — not invited, recorded with the seed — so that the lift the plan causes
    can be measured once outcomes arrive (invited minus controls). 0 is allowed: then the
    lift cannot be measured. Every invitation records the probability with which it was
    chosen (1 - share). Returns ``{"controls": n, "share": share, "seed": seed}``."""
    import secrets

    require(actor, "admin", "manager")
    share = DEFAULT_CONTROL_SHARE if control_share is None else float(control_share)
    if not 0 <= share <= MAX_CONTROL_SHARE:
        raise PlannerError(t("plan.control_share", lang, value=share, max=fmt_pct(MAX_CONTROL_SHARE, 0)))
    seed = int(seed) if seed is not None else secrets.randbits(31)
    with transaction(db):
        plan = get_plan(db, plan_id)
        _require_draft(plan)
        if plan.scenario_of is not None:
            raise PlannerError(t("scen.no_publish", lang, plan=plan.scenario_of))
        n = db.execute("SELECT COUNT(*) FROM events WHERE plan_id = ? AND status = 'planned'", [plan_id]).fetchone()[0]
        if n == 0:
            raise PlannerError(t("plan.no_events", lang))
        clash = db.execute(
            "SELECT COUNT(*) FROM invitations i JOIN plans p ON p.plan_id = i.plan_id "
            "WHERE p.status = 'published' AND i.business_id IN (SELECT business_id FROM invitations WHERE plan_id = ?)",
            [plan_id],
        ).fetchone()[0]
        if clash:
            raise PlannerError(t("plan.invited_elsewhere", lang, n=fmt_int(clash)))
        held = []
        if share > 0:
            rows = db.execute(
                "SELECT i.event_id, i.business_id FROM invitations i JOIN events e ON e.event_id = i.event_id "
                "WHERE i.plan_id = ? AND e.status = 'planned' ORDER BY i.business_id", [plan_id]).fetchall()
            draw = np.random.default_rng(seed).random(len(rows))
            held = [r for r, x in zip(rows, draw) if x < share]
        if held:
            db.execute("DROP TABLE IF EXISTS temp._held")
            db.execute("CREATE TEMP TABLE _held (business_id TEXT PRIMARY KEY)")
            db.conn.executemany("INSERT INTO temp._held VALUES (?)", [(b,) for _, b in held])
            db.execute(
                "INSERT INTO controls (plan_id, event_id, business_id, p_enroll, uplift, workers, expected_additional) "
                "SELECT plan_id, event_id, business_id, p_enroll, uplift, workers, expected_additional FROM invitations "
                "WHERE plan_id = ? AND business_id IN (SELECT business_id FROM temp._held)", [plan_id])
            db.execute("DELETE FROM invitations WHERE plan_id = ? AND business_id IN (SELECT business_id FROM temp._held)", [plan_id])
            db.execute("DROP TABLE temp._held")
            _refresh_event_figures(db, plan_id)
        db.execute("UPDATE invitations SET selection_prob = ? WHERE plan_id = ?", [1.0 - share, plan_id])
        now = _now()
        db.execute("UPDATE plans SET status = 'published', published_by = ?, published_at = ?, updated_at = ?, control_share = ?, "
                   "control_seed = ? WHERE plan_id = ?", [actor.username, now, now, share, seed, plan_id])
        record(db, actor, "plan.publish", "plans", str(plan_id), {"status": plan.status},
               {"status": "published", "events": n, "control_share": share, "control_seed": seed, "controls": len(held)})
    return {"controls": len(held), "share": share, "seed": seed}


def reopen_plan(db: sqlite_utils.Database, actor: User, plan_id: int) -> None:
    """Take a published plan back to draft (staff no longer see it) to change it; its
    control group is invited again (a new one is drawn when it is published again)."""
    require(actor, "admin", "manager")
    with transaction(db):
        plan = get_plan(db, plan_id)
        if plan.status != "published":
            raise PlannerError(t("plan.not_published", DEFAULT_LANG, plan=plan_id))
        back = db.execute(
            "INSERT INTO invitations (event_id, plan_id, business_id, p_enroll, uplift, workers, expected_additional, selection_prob) "
            "SELECT event_id, plan_id, business_id, p_enroll, uplift, workers, expected_additional, 1.0 FROM controls WHERE plan_id = ?",
            [plan_id]).rowcount
        db.execute("DELETE FROM controls WHERE plan_id = ?", [plan_id])
        db.execute("UPDATE invitations SET selection_prob = 1.0 WHERE plan_id = ?", [plan_id])
        if back:
            _refresh_event_figures(db, plan_id)
        db.execute("UPDATE plans SET status = 'draft', updated_at = ?, control_share = NULL, control_seed = NULL WHERE plan_id = ?", [_now(), plan_id])
        record(db, actor, "plan.reopen", "plans", str(plan_id), {"status": "published"}, {"status": "draft", "controls_invited_again": back})


def archive_plan(db: sqlite_utils.Database, actor: User, plan_id: int) -> None:
    require(actor, "admin", "manager")
    with transaction(db):
        plan = get_plan(db, plan_id)
        db.execute("UPDATE plans SET status = 'archived', updated_at = ? WHERE plan_id = ?", [_now(), plan_id])
        record(db, actor, "plan.archive", "plans", str(plan_id), {"status": plan.status}, {"status": "archived"})


# --------------------------------------------------------------------------- editing events
def _event(db: sqlite_utils.Database, event_id: str, lang: str = "id") -> dict:
    rows = list(db.query("SELECT * FROM events WHERE event_id = ?", [event_id]))
    if not rows:
        raise PlannerError(t("plan.event_missing", lang, event=event_id))
    return rows[0]


# --------------------------------------------------------------------------- reading
def plan_events(db: sqlite_utils.Database, plan_id: int, *, province: str | None = None, staff_id: str | None = None,
                start: str | None = None, end: str | None = None, include_cancelled: bool = False) -> pd.DataFrame:
    """The plan's events with partner, staff, regency and province names."""
    where, params = ["e.plan_id = ?"], [plan_id]
    if not include_cancelled:
        where.append("e.status = 'planned'")
    if province:
        where.append("g.province_code = ?")
        params.append(province)
    if staff_id:
        where.append("e.staff_id = ?")
        params.append(staff_id)
    if start:
        where.append("e.event_date >= ?")
        params.append(start)
    if end:
        where.append("e.event_date <= ?")
        params.append(end)
    cur = db.execute(
        "SELECT e.event_id, e.event_date AS date, e.regency_code, g.name AS regency, g.province_code, pv.name_common AS province, "
        "e.partner_id, p.name AS partner, p.type AS partner_type, e.staff_id, s.name AS staff, e.invitees, e.expected_attendance, "
        "e.expected_enrollments, e.expected_additional, e.event_cost + e.travel_cost AS cost, e.event_cost, e.travel_cost, "
        "e.locked, e.status, e.note, e.start_time, e.duration_minutes, p.address, p.contact_name, p.contact_phone, "
        "s.phone AS staff_phone, pv.timezone "
        "FROM events e JOIN regencies g ON g.code = e.regency_code JOIN provinces pv ON pv.code = g.province_code "
        "JOIN partners p ON p.partner_id = e.partner_id LEFT JOIN staff s ON s.staff_id = e.staff_id "
        f"WHERE {' AND '.join(where)} ORDER BY e.event_date, g.name, e.event_id",
        params,
    )
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def event_invitations(db: sqlite_utils.Database, event_id: str, lang: str = "id") -> pd.DataFrame:
    """Who is invited to an event, best first, with owner and phone for the invitation."""
    cur = db.execute(
        "SELECT i.business_id, b.name, json_extract(b.attributes, '$.owner_name') AS owner_name, "
        "json_extract(b.attributes, '$.phone') AS phone, b.size_class, b.workers, b.sector, i.p_enroll, i.uplift, i.expected_additional, "
        f"{'COALESCE(sc.reasons_en, sc.reasons)' if lang == 'en' else 'sc.reasons'} AS reasons "
        "FROM invitations i JOIN businesses b ON b.business_id = i.business_id "
        "LEFT JOIN scores sc ON sc.business_id = i.business_id WHERE i.event_id = ? ORDER BY i.expected_additional DESC, i.business_id",
        [event_id],
    )
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def events_csv_frame(db: sqlite_utils.Database, plan_id: int, *, names: bool = False) -> pd.DataFrame:
    """``event_id, date, regency_code, partner_id, staff_id, expected_attendance,
    expected_enrollments, expected_additional, cost`` (with names after them if asked)."""
    df = plan_events(db, plan_id)
    out = df[EVENTS_COLUMNS].copy()
    for c in ("expected_attendance", "expected_enrollments", "expected_additional"):
        out[c] = out[c].astype(float).round(3)
    if names:
        out = pd.concat([out, df[["regency", "province", "partner", "partner_type", "staff", "invitees", "locked"]]], axis=1)
    return out


def invitations_csv_frame(db: sqlite_utils.Database, plan_id: int) -> pd.DataFrame:
    cur = db.execute(
        "SELECT i.event_id, i.business_id, i.p_enroll, i.uplift FROM invitations i JOIN events e ON e.event_id = i.event_id "
        "WHERE i.plan_id = ? AND e.status = 'planned' ORDER BY e.event_date, i.event_id, i.expected_additional DESC, i.business_id",
        [plan_id],
    )
    df = pd.DataFrame(cur.fetchall(), columns=INVITATION_COLUMNS)
    df["p_enroll"] = df["p_enroll"].astype(float).round(6)
    df["uplift"] = pd.to_numeric(df["uplift"]).round(6)
    return df


def plan_events_one(db: sqlite_utils.Database, event_id: str) -> dict:
    ev = _event(db, event_id)
    df = plan_events(db, ev["plan_id"], include_cancelled=True)
    return df[df["event_id"] == event_id].iloc[0].to_dict()
