"""Plans of sosialisasi events in the database: create, solve (in the foreground or as a
background job with progress), save, lock, move, cancel, publish; events, invitations,
calendars, WhatsApp invitations and exports.

A plan is a draft until a manager publishes it; staff see published plans of their
province. Solving keeps the plan's locked events (and their invitees), drops its other
planned events and fills the calendar again around them. Cancelled events stay on record
and their partner and day are not proposed again. Events of other published plans occupy
their staff, partners and dates, and their invitees are not invited twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import sqlite_utils

from planner import scheduling as sch
from planner.audit import record
from planner.auth import User, require
from planner.db import ROOT, transaction
from planner.errors import PlannerError
from planner.i18n import fmt_date, fmt_int, fmt_num, fmt_pct, fmt_rupiah, t

STATUSES = ("draft", "published", "archived")
ATTENDANCE_PRIOR = 20  # contacts of weight given to the overall attendance rate per regency
DEFAULT_ATTENDANCE = 0.55
EXTRA_STAFF_PREFIX = "+"  # a scenario's extra staff members: "+16-1" (never stored in events)
DEFAULT_STAFF_PER_WEEK = 3
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
        raise PlannerError(f"Kode provinsi tidak dikenal: {', '.join(unknown)}; gunakan kode Kemendagri seperti 16 (Sumatera Selatan).")
    return tuple(sorted(set(provinces)))


def create_plan(db: sqlite_utils.Database, actor: User, name: str, rules: sch.Rules, *, scenario_of: int | None = None,
                scenario: dict | None = None) -> int:
    """A new draft plan (managers and admins); with ``scenario_of``, a variant of that plan
    (see ``planner.projection.scenarios``)."""
    require(actor, "admin", "manager")
    rules.validate()
    name = (name or "").strip()
    if not name:
        raise PlannerError("Beri nama rencana, mis. 'Sosialisasi Sumsel Q1 2027'.")
    if len(name) > 120:
        raise PlannerError("Nama rencana paling panjang 120 karakter.")
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
        raise PlannerError(f"Rencana {plan_id} tidak ada; lihat daftar rencana di halaman Jadwal.")
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
        raise PlannerError(f"Rencana {plan_id} belum diterbitkan atau bukan untuk provinsi Anda.")
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
        raise PlannerError(f"Rencana {plan.plan_id} sudah {_status_word(plan.status)}; buka kembali sebagai draf dulu untuk mengubahnya.")


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
            raise PlannerError("Rencana ini belum punya acara; susun jadwal dulu.")
        clash = db.execute(
            "SELECT COUNT(*) FROM invitations i JOIN plans p ON p.plan_id = i.plan_id "
            "WHERE p.status = 'published' AND i.business_id IN (SELECT business_id FROM invitations WHERE plan_id = ?)",
            [plan_id],
        ).fetchone()[0]
        if clash:
            raise PlannerError(f"{fmt_int(clash)} usaha di rencana ini sudah diundang di rencana lain yang terbit; susun ulang jadwal dulu.")
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
            raise PlannerError(f"Rencana {plan_id} bukan rencana terbit.")
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


# --------------------------------------------------------------------------- instance
def _weekdays(text: str) -> frozenset[int]:
    return frozenset(int(x) for x in str(text).split(";") if x.strip().isdigit())


def build_instance(db: sqlite_utils.Database, rules: sch.Rules, plan_id: int | None = None, *, with_pools: bool = True) -> sch.Instance:
    """Everything the solver needs, read from the database: active partners and staff of
    the plan's provinces (with leave), the scored businesses not yet enrolled or invited,
    the plan's locked and cancelled events, and other published plans' events.
    ``with_pools=False`` skips the candidate invitees (enough to check a plan's rules)."""
    rules.validate()
    provinces = rules.provinces or tuple(r[0] for r in db.execute("SELECT code FROM provinces ORDER BY code"))
    provinces = _known_provinces(db, provinces)
    ph = ",".join("?" * len(provinces))
    start, end = rules.start.isoformat(), rules.end.isoformat()
    margin = dt.timedelta(days=max(rules.min_gap_days, 7))
    wide_start, wide_end = (rules.start - margin).isoformat(), (rules.end + margin).isoformat()

    partners = [
        sch.Partner(r[0], r[1], r[2], r[3], r[4], int(r[5]), int(r[6]), int(r[7]), _weekdays(r[8]))
        for r in db.execute(
            "SELECT p.partner_id, p.name, p.type, p.regency_code, g.province_code, p.capacity_per_month, p.venue_capacity, "
            f"p.cost_per_event, p.available_weekdays FROM partners p JOIN regencies g ON g.code = p.regency_code "
            f"WHERE p.active = 1 AND g.province_code IN ({ph}) ORDER BY p.partner_id",
            provinces,
        )
    ]
    leave: dict[str, set[dt.date]] = {}
    for sid, a, b in db.execute("SELECT staff_id, start_date, end_date FROM staff_leave WHERE end_date >= ? AND start_date <= ?", [start, end]):
        d, last = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        while d <= last:
            leave.setdefault(sid, set()).add(d)
            d += dt.timedelta(days=1)
    staff = [
        sch.Staff(r[0], r[1], r[2], int(r[3]), r[4], frozenset(leave.get(r[0], ())))
        for r in db.execute(
            f"SELECT staff_id, name, province_code, max_events_per_week, home_regency FROM staff WHERE active = 1 AND province_code IN ({ph}) ORDER BY staff_id",
            provinces,
        )
    ]
    if rules.extra_staff:  # a scenario's extra staff: like the province's typical member, no leave, no home regency
        for prov in provinces:
            own = sorted(s.per_week for s in staff if s.province == prov) or [DEFAULT_STAFF_PER_WEEK]
            staff += [sch.Staff(f"{EXTRA_STAFF_PREFIX}{prov}-{i}", f"+{i} ({prov})", prov, own[len(own) // 2])
                      for i in range(1, int(rules.extra_staff) + 1)]

    # ---- this plan's locked and cancelled events
    fixed: list[sch.FixedEvent] = []
    forbidden: set[tuple[str, dt.date]] = set()
    fixed_invitees: set[str] = set()
    if plan_id is not None:
        inv: dict[str, list[tuple]] = {}
        for eid, bid, add, p, workers in db.execute(
            "SELECT i.event_id, i.business_id, i.expected_additional, i.p_enroll, i.workers FROM invitations i "
            "JOIN events e ON e.event_id = i.event_id WHERE e.plan_id = ? AND e.locked = 1 AND e.status = 'planned' ORDER BY i.business_id",
            [plan_id],
        ):
            inv.setdefault(eid, []).append((bid, add or 0.0, (p or 0.0) * (workers or 0)))
        for eid, d, pid, sid, locked, status in db.execute(
            "SELECT event_id, event_date, partner_id, staff_id, locked, status FROM events WHERE plan_id = ? ORDER BY event_id", [plan_id]
        ):
            if status == "cancelled":
                forbidden.add((pid, dt.date.fromisoformat(d)))
            elif locked:
                items = inv.get(eid, [])
                fixed.append(sch.FixedEvent(eid, dt.date.fromisoformat(d), pid, sid, tuple(b for b, _, _ in items),
                                            float(sum(a for _, a, _ in items)), float(sum(e for _, _, e in items))))
                fixed_invitees.update(b for b, _, _ in items)
    # a locked event's partner or staff may have been deactivated since: keep them in the model
    # only if still active; check_fixed names the event otherwise

    # ---- other published plans (a scenario competes with neither its base plan nor its siblings)
    base = db.execute("SELECT scenario_of FROM plans WHERE plan_id = ?", [plan_id]).fetchone() if plan_id is not None else None
    base_id = base[0] if base and base[0] is not None else plan_id
    busy = [
        sch.Busy(r[0], dt.date.fromisoformat(r[1]), r[2], r[3], r[4])
        for r in db.execute(
            "SELECT e.event_id, e.event_date, e.partner_id, e.staff_id, e.regency_code FROM events e JOIN plans p ON p.plan_id = e.plan_id "
            "WHERE p.status = 'published' AND e.status = 'planned' AND e.plan_id IS NOT ? AND e.plan_id IS NOT ? AND e.event_date BETWEEN ? AND ?",
            [plan_id, base_id, wide_start, wide_end],
        )
    ]
    taken = {r[0] for r in db.execute(
        "SELECT i.business_id FROM invitations i JOIN plans p ON p.plan_id = i.plan_id JOIN events e ON e.event_id = i.event_id "
        "WHERE p.status = 'published' AND e.status = 'planned' AND i.plan_id IS NOT ? AND i.plan_id IS NOT ?", [plan_id, base_id])}
    taken |= fixed_invitees

    # ---- candidate invitees per regency
    pools: dict[str, sch.Pool] = {}
    uplift_model = False
    if with_pools:
        pools, uplift_model = _pools(db, provinces, taken)

    # ---- attendance per regency, smoothed towards the overall rate
    att = pd.DataFrame(
        db.execute(
            "SELECT b.regency_code, COUNT(*), SUM(c.attended) FROM contacts c JOIN businesses b ON b.business_id = c.business_id "
            f"JOIN regencies g ON g.code = b.regency_code WHERE c.invited = 1 AND c.attended IS NOT NULL AND g.province_code IN ({ph}) "
            "GROUP BY b.regency_code",
            provinces,
        ).fetchall(),
        columns=["regency", "n", "attended"],
    )
    overall = float(att["attended"].sum() / att["n"].sum()) if len(att) and att["n"].sum() else DEFAULT_ATTENDANCE
    rates = {r.regency: float((r.attended + ATTENDANCE_PRIOR * overall) / (r.n + ATTENDANCE_PRIOR)) for r in att.itertuples()}

    names = {r[0]: r[1] for r in db.execute(f"SELECT code, name FROM regencies WHERE province_code IN ({ph})", provinces)}
    pnames = {r[0]: r[1] for r in db.execute("SELECT code, name_common FROM provinces")}
    inst = sch.Instance(rules, partners, staff, pools, sch.blocked_days(rules), fixed, busy, forbidden, rates, overall, names, pnames, uplift_model)
    inst.regency_priority = {r[0]: r[1] for r in db.execute(
        f"SELECT p.regency_code, SUM(p.eligible_workers - p.covered_workers) FROM potentials p JOIN regencies g ON g.code = p.regency_code "
        f"WHERE g.province_code IN ({ph}) GROUP BY p.regency_code", provinces)}
    return inst


def _pools(db: sqlite_utils.Database, provinces: tuple[str, ...], taken: set[str]) -> tuple[dict[str, sch.Pool], bool]:
    """Candidate invitees per regency, best first: scored businesses not yet enrolled and
    not invited elsewhere, with a positive expected gain (uplift x workers, or p_enroll x
    workers without an uplift model)."""
    ph = ",".join("?" * len(provinces))
    cur = db.execute(
        "SELECT b.business_id, b.regency_code, s.p_enroll, s.uplift, b.workers, b.kur_recipient, b.coop_member, b.has_nib, b.digital_payments "
        "FROM scores s JOIN businesses b ON b.business_id = s.business_id JOIN regencies g ON g.code = b.regency_code "
        f"WHERE b.enrolled = 0 AND g.province_code IN ({ph})",
        provinces,
    )
    df = pd.DataFrame(cur.fetchall(), columns=["business_id", "regency", "p_enroll", "uplift", "workers", "kur", "coop", "nib", "digital"])
    uplift_model = bool(len(df)) and bool(df["uplift"].notna().any())
    pools: dict[str, sch.Pool] = {}
    if len(df):
        if taken:
            df = df[~df["business_id"].isin(taken)]
        up = pd.to_numeric(df["uplift"], errors="coerce")
        p = pd.to_numeric(df["p_enroll"], errors="coerce").fillna(0.0)
        workers = pd.to_numeric(df["workers"], errors="coerce").fillna(0).clip(lower=1)
        df = df.assign(value=np.where(up.notna(), up.fillna(0.0), p) * workers, p_enroll=p, uplift=up, workers=workers,
                       affinity=(df["kur"].astype(int) * sch.AFFINITY_BITS["kur_recipient"] + df["coop"].astype(int) * sch.AFFINITY_BITS["coop_member"]
                                 + df["nib"].astype(int) * sch.AFFINITY_BITS["has_nib"] + df["digital"].astype(int) * sch.AFFINITY_BITS["digital_payments"]))
        df = df[df["value"] > 1e-6].sort_values(["regency", "value", "business_id"], ascending=[True, False, True], kind="stable")
        for reg, g in df.groupby("regency", sort=False):
            pools[reg] = sch.Pool(reg, g["business_id"].to_numpy(dtype=object), g["value"].to_numpy(float), g["p_enroll"].to_numpy(float),
                                  g["uplift"].to_numpy(float), g["workers"].to_numpy(int), g["affinity"].to_numpy(int))

    return pools, uplift_model


# --------------------------------------------------------------------------- solving and saving
def solve_plan(db: sqlite_utils.Database, actor: User, plan_id: int, *, progress: Callable[[dict], None] | None = None,
               should_stop: Callable[[], bool] | None = None, lang: str = "id", time_limit: float | None = None) -> sch.Solution:
    """Solve a draft plan around its locked events and save the result (one transaction)."""
    require(actor, "admin", "manager")
    plan = get_plan(db, plan_id)
    _require_draft(plan)
    rules = plan.rules if time_limit is None else replace(plan.rules, time_limit=float(time_limit))
    inst = build_instance(db, rules, plan_id)
    stamp = plan.updated_at
    sol = sch.solve(inst, progress=progress, should_stop=should_stop, lang=lang)
    save_solution(db, actor, plan_id, inst, sol, expected_updated_at=stamp)
    return sol


def _texts(inst: sch.Instance, sol: sch.Solution) -> dict:
    """Findings and conflicts in both languages, so the page follows the language switch."""
    out = {}
    for lang in ("id", "en"):
        conflicts = sch.conflicts_text(inst, sol, lang) if sol.status in ("INFEASIBLE", "UNKNOWN") else []
        findings = [f.__dict__ for f in (sch.explain(inst, sol, lang) if sol.feasible else [])]
        out[lang] = {"findings": findings, "conflicts": conflicts}
    return out


def save_solution(db: sqlite_utils.Database, actor: User, plan_id: int, inst: sch.Instance, sol: sch.Solution,
                  *, expected_updated_at: str | None = None) -> None:
    """Replace the plan's unlocked events with the solution's (locked events keep theirs
    and gain the invitees added around them). An infeasible or unfinished solve changes
    no event, only the plan's last result. Refused if the plan changed during the solve."""
    require(actor, "admin", "manager")
    summary = {
        "status": sol.status, "objective": sol.objective, "bound": sol.bound,
        "gap": None if np.isnan(sol.gap) else sol.gap, "seconds": round(sol.seconds, 2),
        "events": len(sol.events), "expected_additional": sol.expected_additional,
        "expected_enrollments": sol.expected_enrollments, "cost": sol.cost,
        "penalties": {k: list(v) for k, v in sol.penalties.items()}, "parts": sol.parts,
        "solved_at": _now(), "solved_by": actor.username, "texts": _texts(inst, sol),
        "uplift_model": inst.uplift_model,
    }
    with transaction(db):
        plan = get_plan(db, plan_id)
        _require_draft(plan)
        if expected_updated_at is not None and plan.updated_at != expected_updated_at:
            raise PlannerError("Rencana diubah orang lain selama jadwal disusun; susun ulang agar perubahan itu ikut.")
        before = {k: (plan.result or {}).get(k) for k in ("status", "events", "expected_additional", "cost")}
        if sol.status in ("OPTIMAL", "FEASIBLE", "EMPTY"):
            db.execute(
                "DELETE FROM invitations WHERE event_id IN (SELECT event_id FROM events WHERE plan_id = ? AND locked = 0 AND status = 'planned')",
                [plan_id],
            )
            db.execute("DELETE FROM events WHERE plan_id = ? AND locked = 0 AND status = 'planned'", [plan_id])
            seq = db.execute(
                "SELECT COALESCE(MAX(CAST(substr(event_id, instr(event_id, '-') + 1) AS INTEGER)), 0) FROM events WHERE plan_id = ?", [plan_id]
            ).fetchone()[0]
            pools_index = {r: {b: i for i, b in enumerate(p.business_ids)} for r, p in inst.pools.items()}
            ev_rows, inv_rows = [], []
            for e in sol.events:
                if e.event_id is None:
                    seq += 1
                    eid = f"E{plan_id}-{seq:04d}"
                    staff_id = None if (e.staff_id or "").startswith(EXTRA_STAFF_PREFIX) else e.staff_id  # a scenario's extra staff
                    ev_rows.append((eid, plan_id, e.date.isoformat(), e.regency, e.partner_id, staff_id, len(e.invitees),
                                    e.expected_attendance, e.expected_enrollments, e.expected_additional, e.event_cost, e.travel_cost,
                                    plan.rules.start_time, plan.rules.duration_minutes))
                else:
                    eid = e.event_id
                    db.execute(
                        "UPDATE events SET staff_id = ?, invitees = ?, expected_attendance = ?, expected_enrollments = ?, "
                        "expected_additional = ?, event_cost = ?, travel_cost = ? WHERE event_id = ?",
                        [e.staff_id, len(e.invitees), e.expected_attendance, e.expected_enrollments, e.expected_additional,
                         e.event_cost, e.travel_cost, eid],
                    )
                pool = inst.pools.get(e.regency)
                index = pools_index.get(e.regency, {})
                for b in e.invitees:
                    i = index.get(b)
                    if i is None:
                        continue  # a locked event's own invitee: already stored
                    up = pool.uplift[i]
                    inv_rows.append((eid, plan_id, b, float(pool.p_enroll[i]), None if np.isnan(up) else float(up),
                                     int(pool.workers[i]), float(pool.value[i]), 1.0))
            db.conn.executemany(
                "INSERT INTO events (event_id, plan_id, event_date, regency_code, partner_id, staff_id, invitees, expected_attendance, "
                "expected_enrollments, expected_additional, event_cost, travel_cost, start_time, duration_minutes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ev_rows,
            )
            db.conn.executemany(
                "INSERT INTO invitations (event_id, plan_id, business_id, p_enroll, uplift, workers, expected_additional, selection_prob) "
                "VALUES (?,?,?,?,?,?,?,?)",
                inv_rows,
            )
        db.execute("UPDATE plans SET result = ?, updated_at = ? WHERE plan_id = ?", [json.dumps(summary, default=str), _now(), plan_id])
        record(db, actor, "plan.solve", "plans", str(plan_id), before,
               {k: summary[k] for k in ("status", "events", "expected_additional", "cost", "gap", "seconds")})


# --------------------------------------------------------------------------- editing events
def _event(db: sqlite_utils.Database, event_id: str, lang: str = "id") -> dict:
    rows = list(db.query("SELECT * FROM events WHERE event_id = ?", [event_id]))
    if not rows:
        raise PlannerError(t("plan.event_missing", lang, event=event_id))
    return rows[0]


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


def _planned_events(db: sqlite_utils.Database, plan_id: int) -> list[sch.PlannedEvent]:
    inv: dict[str, list[str]] = {}
    for eid, bid in db.execute("SELECT i.event_id, i.business_id FROM invitations i WHERE i.plan_id = ?", [plan_id]):
        inv.setdefault(eid, []).append(bid)
    out = []
    for r in db.query("SELECT * FROM events WHERE plan_id = ? AND status = 'planned' ORDER BY event_date, event_id", [plan_id]):
        out.append(sch.PlannedEvent(r["event_id"], dt.date.fromisoformat(r["event_date"]), r["regency_code"], r["partner_id"], r["staff_id"],
                                    tuple(inv.get(r["event_id"], ())), r["expected_attendance"], r["expected_enrollments"],
                                    r["expected_additional"], r["event_cost"], r["travel_cost"], bool(r["locked"])))
    return out


def plan_violations(db: sqlite_utils.Database, plan_id: int, lang: str = "id") -> list[str]:
    """The hard rules the plan's current events break, in words (none for a valid plan)."""
    plan = get_plan(db, plan_id)
    inst = build_instance(db, plan.rules, plan_id, with_pools=False)
    events = _planned_events(db, plan_id)
    return sch.check_plan(inst, events, lang)  # a deactivated partner or staff member is named as such


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


def week_grid(events: pd.DataFrame, monday: dt.date, lang: str = "id", weekends: bool = True) -> pd.DataFrame:
    """A week as a table: one row per regency, one column per day (Saturday and Sunday
    only when weekends are allowed), each cell the events of that day: partner (short),
    staff member's first name, expected additional workers; 🔒 for a locked event."""
    days = [monday + dt.timedelta(days=i) for i in range(7 if weekends else 5)]
    cols = [f"{sch.WEEKDAY_NAMES[lang][d.weekday()][:3]} {d.day:02d}/{d.month:02d}" for d in days]
    if events.empty:
        return pd.DataFrame(columns=["regency", *cols])
    wk = events[(events["date"] >= days[0].isoformat()) & (events["date"] <= (monday + dt.timedelta(days=6)).isoformat())]

    def short(text: str, n: int = 40) -> str:
        text = str(text or "–")
        return text if len(text) <= n else text[: n - 1].rstrip() + "…"

    rows = []
    for (reg_name, _code), g in wk.groupby(["regency", "regency_code"], sort=True):
        row = {"regency": reg_name.replace("Kabupaten ", "Kab. ")}
        for d, c in zip(days, cols):
            cell = g[g["date"] == d.isoformat()]
            row[c] = "\n".join(
                f"{'🔒 ' if r.locked else ''}{short(r.partner)} · {str(r.staff or '–').split()[0]} · +{fmt_num(r.expected_additional, 1)}"
                for r in cell.itertuples()
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=["regency", *cols])


# --------------------------------------------------------------------------- invitations by WhatsApp
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def programme_phrase(size_class: str, workers: int, lang: str = "id") -> str:
    """What the business would join (Perpres 109/2013 phasing; BPU for one-person firms)."""
    from planner.vocabulary import mandatory_programmes, segment_of

    if segment_of(workers) == "BPU":
        return t("wa.programmes_bpu", lang)
    names = list(mandatory_programmes(size_class, workers))
    listed = ", ".join(names[:-1]) + t("wa.and", lang) + names[-1]
    return t("wa.programmes_pu", lang, programmes=listed)


def whatsapp_text(*, owner: str | None, business: str, partner: str, regency: str, date: dt.date, staff: str | None,
                  size_class: str, workers: int, lang: str = "id", start_time: str | None = None, zone: str | None = None,
                  address: str | None = None, staff_phone: str | None = None) -> str:
    """A ready-to-send invitation (the catalogue's ``wa.invitation``): day, date and start
    time with its zone, the place with its address, what the business would join, and
    whom to answer, with the staff member's phone."""
    day = sch.WEEKDAY_NAMES[lang][date.weekday()]
    when = f"{day}, {fmt_date(date, lang)}"
    if start_time:
        when += " " + t("wa.at_time", lang, time=start_time, zone=zone or "WIB")
    place = ", ".join(x for x in (partner, (address or "").strip(), regency) if x)
    contact = staff or "BPJS Ketenagakerjaan"
    if staff_phone:
        contact += f" ({staff_phone})"
    return t("wa.invitation", lang, who=owner or business, business=business, partner=partner, when=when, place=place,
             programmes=programme_phrase(size_class, workers, lang), contact=contact)


def whatsapp_link(phone: str | None, text: str) -> str | None:
    """``https://wa.me/62…?text=…`` for an Indonesian mobile number (08… or 62…), else None."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.startswith("62") or not 10 <= len(digits) <= 15:
        return None
    return f"https://wa.me/{digits}?text={urllib.parse.quote(text)}"


def invitation_messages(db: sqlite_utils.Database, event_id: str, lang: str = "id") -> pd.DataFrame:
    """Every invitee of an event with its WhatsApp text and link."""
    ev = plan_events_one(db, event_id)
    inv = event_invitations(db, event_id, lang)
    if inv.empty:
        return inv.assign(message=[], link=[])
    d = dt.date.fromisoformat(ev["date"])
    texts = [whatsapp_text(owner=r.owner_name, business=r.name, partner=ev["partner"], regency=ev["regency"], date=d, staff=ev["staff"],
                           size_class=r.size_class, workers=r.workers, lang=lang, start_time=ev["start_time"], zone=ev["timezone"],
                           address=ev["address"], staff_phone=ev["staff_phone"]) for r in inv.itertuples()]
    return inv.assign(message=texts, link=[whatsapp_link(p, t) for p, t in zip(inv["phone"], texts)])


def plan_events_one(db: sqlite_utils.Database, event_id: str) -> dict:
    ev = _event(db, event_id)
    df = plan_events(db, ev["plan_id"], include_cancelled=True)
    return df[df["event_id"] == event_id].iloc[0].to_dict()


# --------------------------------------------------------------------------- calendar files
def events_ics(events: pd.DataFrame, calendar_name: str, lang: str = "id") -> bytes:
    """An iCalendar file of events (rows as ``plan_events`` gives them): each at its start
    time in its province's zone (WIB, WITA, WIT), for its duration, with the partner's
    address as the place and what to expect in the description."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Jangkau//BPJS Ketenagakerjaan sosialisasi//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", calendar_name)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for r in events.itertuples():
        zone = ZoneInfo(ZONES.get(r.timezone or "WIB", "Asia/Jakarta"))
        hh, mm = (int(x) for x in str(r.start_time or "09:00").split(":"))
        begin = dt.datetime.combine(dt.date.fromisoformat(r.date), dt.time(hh, mm), tzinfo=zone)
        ev = Event()
        ev.add("uid", f"{r.event_id}@jangkau")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", begin)
        ev.add("dtend", begin + dt.timedelta(minutes=int(r.duration_minutes or 120)))
        ev.add("summary", t("ics.summary", lang, partner=r.partner))
        ev.add("location", ", ".join(x for x in (r.partner, r.address or "", r.regency, r.province) if x))
        ev.add("description", t("ics.description", lang, event=r.event_id, invitees=fmt_int(r.invitees),
                                attendance=fmt_num(r.expected_attendance, 0), additional=fmt_num(r.expected_additional, 1),
                                contact=", ".join(x for x in (r.contact_name or "", r.contact_phone or "") if x) or "–",
                                cost=fmt_rupiah(r.cost)))
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def staff_ics(db: sqlite_utils.Database, plan_id: int, staff_id: str, lang: str = "id") -> bytes:
    """One staff member's events in the plan as an iCalendar file."""
    plan = get_plan(db, plan_id)
    return events_ics(plan_events(db, plan_id, staff_id=staff_id), f"Jangkau – {plan.name}", lang)


# --------------------------------------------------------------------------- background solving
def start_solve(db: sqlite_utils.Database, actor: User, plan_id: int, *, lang: str = "id") -> int:
    """Solve a plan in a separate process (the app stays responsive); progress goes to
    ``solve_runs``, where ``job`` reads it. One running solve per plan."""
    return start_solves(db, actor, [plan_id], lang=lang)[0]


def start_solves(db: sqlite_utils.Database, actor: User, plan_ids: list[int], *, lang: str = "id") -> list[int]:
    """Solve several plans one after another in one separate process (each solve gets every
    core, as when it runs alone); every plan has its own run in ``solve_runs``, queued until
    its turn. Returns the run ids in the order given."""
    require(actor, "admin", "manager")
    runs = []
    with transaction(db):
        for plan_id in plan_ids:
            plan = get_plan(db, plan_id)
            _require_draft(plan)
            running = db.execute("SELECT run_id FROM solve_runs WHERE plan_id = ? AND status IN ('queued', 'running')", [plan_id]).fetchone()
            if running and _alive(db, running[0]):
                raise PlannerError(f"Jadwal rencana ini sedang disusun (proses {running[0]}); tunggu atau hentikan dulu.")
            cur = db.execute("INSERT INTO solve_runs (plan_id, status, message, requested_by, started_at) VALUES (?, 'queued', '', ?, ?)",
                             [plan_id, actor.username, _now()])
            runs.append(int(cur.lastrowid))
            record(db, actor, "plan.solve.start", "solve_runs", str(runs[-1]), None, {"plan_id": plan_id, "time_limit": plan.rules.time_limit})
    from planner.db import logs_dir

    log = logs_dir(_db_path(db)) / f"solve-{runs[0]}.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner", "--db", _db_path(db), "--lang", lang, "solve-job", *map(str, runs), "--as", actor.username,
             "--role", actor.role],
            cwd=str(ROOT), stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
        )
    # Wait for the child in the background so that it is reaped when it ends (an
    # unwaited child stays behind as a defunct process).
    import threading

    threading.Thread(target=proc.wait, name=f"reap-solve-{runs[0]}", daemon=True).start()
    with transaction(db):
        db.execute(f"UPDATE solve_runs SET pid = ? WHERE run_id IN ({','.join('?' * len(runs))}) AND pid IS NULL", [proc.pid, *runs])
    return runs


def run_job(db: sqlite_utils.Database, run_id: int, actor: User, lang: str = "id") -> None:
    """The body of a background solve (``python -m planner solve-job RUN``)."""
    row = db.execute("SELECT plan_id, status FROM solve_runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        raise PlannerError(f"Proses penyusunan {run_id} tidak ada.")
    plan_id = row[0]
    if db.execute("SELECT cancel_requested FROM solve_runs WHERE run_id = ?", [run_id]).fetchone()[0]:
        with transaction(db):  # stopped while it waited for its turn
            db.execute("UPDATE solve_runs SET status = 'cancelled', finished_at = ? WHERE run_id = ?", [_now(), run_id])
        return
    with transaction(db):
        db.execute("UPDATE solve_runs SET status = 'running', pid = ?, message = ? WHERE run_id = ?",
                   [os.getpid(), "membaca data", run_id])
    last = [0.0]
    cancelled = [False]

    def should_stop() -> bool:
        if cancelled[0]:
            return True
        if time.monotonic() - last[0] > 0.5:
            flag = db.execute("SELECT cancel_requested FROM solve_runs WHERE run_id = ?", [run_id]).fetchone()[0]
            cancelled[0] = bool(flag)
        return cancelled[0]

    def progress(info: dict) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and info.get("fraction", 0) < 1:
            return
        last[0] = now
        msg = ""
        if info.get("parts"):
            msg = f"bagian {info['part']}/{info['parts']}"
        with transaction(db):
            db.execute("UPDATE solve_runs SET progress = ?, objective = ?, bound = ?, message = ? WHERE run_id = ?",
                       [float(info.get("fraction") or 0), info.get("objective"), info.get("bound"), msg, run_id])

    try:
        sol = solve_plan(db, actor, plan_id, progress=progress, should_stop=should_stop, lang=lang)
    except Exception as exc:  # the job must always end with a status
        if isinstance(exc, PlannerError):
            error = str(exc)
        else:  # the traceback goes to the job's log under a number; the page shows the number only
            import secrets
            import traceback

            number = secrets.token_hex(3).upper()
            print(f"incident {number}", file=sys.stderr)
            traceback.print_exc()
            error = t("app.incident", lang, number=number)
        with transaction(db):
            db.execute("UPDATE solve_runs SET status = 'failed', error = ?, finished_at = ? WHERE run_id = ?", [error, _now(), run_id])
        raise
    status = "cancelled" if cancelled[0] else "done"
    with transaction(db):
        db.execute("UPDATE solve_runs SET status = ?, progress = 1, objective = ?, bound = ?, message = ?, finished_at = ? WHERE run_id = ?",
                   [status, sol.objective, sol.bound, sol.status, _now(), run_id])


def _alive(db: sqlite_utils.Database, run_id: int) -> bool:
    row = db.execute("SELECT pid, status, started_at FROM solve_runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None or row[1] not in ("queued", "running"):
        return False
    pid = row[0]
    if pid is None:
        started = dt.datetime.fromisoformat(row[2])
        return (dt.datetime.now(dt.timezone.utc) - started).total_seconds() < 30
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a finished child that nobody waited for is a zombie: not alive
        with open(f"/proc/{int(pid)}/stat") as fh:
            return fh.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def job(db: sqlite_utils.Database, run_id: int) -> dict:
    """A solve run's state; a run whose process died is marked failed."""
    rows = list(db.query("SELECT * FROM solve_runs WHERE run_id = ?", [run_id]))
    if not rows:
        raise PlannerError(f"Proses penyusunan {run_id} tidak ada.")
    r = rows[0]
    if r["status"] in ("queued", "running") and not _alive(db, run_id):
        with transaction(db):
            db.execute("UPDATE solve_runs SET status = 'failed', error = COALESCE(error, 'proses berhenti tanpa hasil'), finished_at = ? "
                       "WHERE run_id = ? AND status IN ('queued', 'running')", [_now(), run_id])
        r = next(iter(db.query("SELECT * FROM solve_runs WHERE run_id = ?", [run_id])))
    return r


def latest_job(db: sqlite_utils.Database, plan_id: int) -> dict | None:
    row = db.execute("SELECT MAX(run_id) FROM solve_runs WHERE plan_id = ?", [plan_id]).fetchone()
    return job(db, row[0]) if row and row[0] else None


def cancel_job(db: sqlite_utils.Database, actor: User, run_id: int) -> None:
    """Ask a running solve to stop; it saves the best plan found so far."""
    require(actor, "admin", "manager")
    with transaction(db):
        db.execute("UPDATE solve_runs SET cancel_requested = 1 WHERE run_id = ?", [run_id])
        record(db, actor, "plan.solve.cancel", "solve_runs", str(run_id), None, None)


def wait_job(db: sqlite_utils.Database, run_id: int, timeout: float = 600) -> dict:
    """Block until a run ends (tests and scripts)."""
    t0 = time.monotonic()
    while True:
        j = job(db, run_id)
        if j["status"] not in ("queued", "running"):
            return j
        if time.monotonic() - t0 > timeout:
            return j
        time.sleep(0.3)
