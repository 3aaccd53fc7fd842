"""Every write function of planner/ for every role: who may, who may not, and that a
refused call changes nothing. Staff are scoped to their province (16 here); a staff
member of another province (63) is refused on province 16's data."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from planner import auth, plans, resources, scoring
from planner import scheduling as sch
from planner.imports import import_file

ADMIN = auth.User("admin", "admin", (), "Admin")
MANAGER = auth.User("manajer", "manager", (), "Manajer")
STAFF16 = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
STAFF63 = auth.User("staf.kalsel", "staff", ("63",), "Staf Kalsel")
LEADER = auth.User("pimpinan", "leadership", (), "Pimpinan")
ROLES = {"admin": ADMIN, "manager": MANAGER, "staff16": STAFF16, "staff63": STAFF63, "leadership": LEADER}

PLANNERS = {"admin", "manager"}
SUMSEL_EDITORS = {"admin", "manager", "staff16"}
ADMINS = {"admin"}


@pytest.fixture
def world(demo_db, tmp_path):
    """A draft plan with one event in province 16, a leave period, a finished solve run."""
    db = demo_db
    rules = sch.Rules(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 29), provinces=("16",), time_limit=5)
    plan_id = plans.create_plan(db, MANAGER, "Uji izin", rules)
    partner = db.execute("SELECT partner_id, regency_code FROM partners WHERE regency_code LIKE '16.%' ORDER BY partner_id LIMIT 1").fetchone()
    staff = db.execute("SELECT staff_id FROM staff WHERE province_code = '16' ORDER BY staff_id LIMIT 1").fetchone()[0]
    with db.conn:
        db.execute("INSERT INTO events (event_id, plan_id, event_date, regency_code, partner_id, staff_id) VALUES (?, ?, '2027-01-05', ?, ?, ?)",
                   [f"E{plan_id}-0001", plan_id, partner[1], partner[0], staff])
        run = db.execute("INSERT INTO solve_runs (plan_id, status, requested_by, started_at) VALUES (?, 'done', 'manajer', '2027-01-01')", [plan_id]).lastrowid
    leave = resources.add_leave(db, MANAGER, staff, "2027-02-01", "2027-02-03", "cuti")
    return {"db": db, "models": tmp_path / "models", "plan": plan_id, "event": f"E{plan_id}-0001", "partner": partner[0], "staff": staff, "leave": leave, "run": run, "rules": rules}


def _partner_values(w) -> dict:
    return {"partner_id": w["partner"], "name": "Mitra Diubah", "type": "koperasi", "regency_code": "16.71", "capacity_per_month": 3,
            "venue_capacity": 40, "cost_per_event": 1_000_000, "available_weekdays": "1;2"}


CALLS = {
    # name: (who may, call(actor, world))
    "auth.add_user": (ADMINS, lambda a, w: auth.add_user(w["db"], a, "baru", "kata-sandi-panjang", "manager")),
    "auth.set_active": (ADMINS, lambda a, w: auth.set_active(w["db"], a, "manajer", False)),
    "auth.set_password (another user)": (ADMINS, lambda a, w: auth.set_password(w["db"], a, "manajer" if a.username != "manajer" else "pimpinan", "kata-sandi-panjang-2")),
    "imports.import_file partners (16)": (SUMSEL_EDITORS, lambda a, w: import_file(
        w["db"], "partners", io.BytesIO(b"partner_id,name,type,regency_code,capacity_per_month,venue_capacity,cost_per_event,available_weekdays\n"
                                         b"PX-1,Koperasi X,koperasi,16.71,2,30,1000000,1;2\n"), filename="p.csv", actor=a)),
    "imports.import_file staff": ({"admin", "manager"}, lambda a, w: import_file(
        w["db"], "staff", io.BytesIO(b"staff_id,name,province_code,max_events_per_week\nSX-1,Budi,16,3\n"), filename="s.csv", actor=a)),
    "resources.save_partner (16)": (SUMSEL_EDITORS, lambda a, w: resources.save_partner(w["db"], a, _partner_values(w))),
    "resources.set_partner_active (16)": (SUMSEL_EDITORS, lambda a, w: resources.set_partner_active(w["db"], a, w["partner"], False)),
    "resources.save_staff": (PLANNERS, lambda a, w: resources.save_staff(w["db"], a, {"staff_id": "SX-2", "name": "Sari", "province_code": "16", "max_events_per_week": 3})),
    "resources.set_staff_active": (PLANNERS, lambda a, w: resources.set_staff_active(w["db"], a, w["staff"], False)),
    "resources.add_leave (16)": (SUMSEL_EDITORS, lambda a, w: resources.add_leave(w["db"], a, w["staff"], "2027-03-01", "2027-03-02", "x")),
    "resources.delete_leave (16)": (SUMSEL_EDITORS, lambda a, w: resources.delete_leave(w["db"], a, w["leave"])),
    "plans.create_plan": (PLANNERS, lambda a, w: plans.create_plan(w["db"], a, "Lain", w["rules"])),
    "plans.update_plan": (PLANNERS, lambda a, w: plans.update_plan(w["db"], a, w["plan"], w["rules"], "Ganti nama")),
    "plans.solve_plan": (PLANNERS, lambda a, w: plans.solve_plan(w["db"], a, w["plan"])),
    "plans.set_locked": (PLANNERS, lambda a, w: plans.set_locked(w["db"], a, w["event"], True)),
    "plans.move_event": (PLANNERS, lambda a, w: plans.move_event(w["db"], a, w["event"], date=dt.date(2027, 1, 6))),
    "plans.cancel_event": (PLANNERS, lambda a, w: plans.cancel_event(w["db"], a, w["event"])),
    "plans.publish_plan": (PLANNERS, lambda a, w: plans.publish_plan(w["db"], a, w["plan"])),
    "plans.archive_plan": (PLANNERS, lambda a, w: plans.archive_plan(w["db"], a, w["plan"])),
    "plans.cancel_job": (PLANNERS, lambda a, w: plans.cancel_job(w["db"], a, w["run"])),
    "scoring.activate": (PLANNERS, lambda a, w: scoring.activate(w["db"], a, "tidak-ada")),
    "scoring.train": (PLANNERS, lambda a, w: scoring.train(w["db"], a, models_dir=w["models"], folds=2, activate=False)),
    "scoring.score_all": (PLANNERS, lambda a, w: scoring.score_all(w["db"], a, models_dir=w["models"])),
}

# tables whose content a refused call must leave exactly as it was
WATCHED = ("users", "partners", "staff", "staff_leave", "plans", "events", "invitations", "solve_runs", "audit_log", "meta", "model_runs")


def _snapshot(db) -> dict:
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in WATCHED}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("name", list(CALLS))
def test_write_functions_check_role_and_province(world, name, role):
    allowed, call = CALLS[name]
    actor = ROLES[role]
    if role in allowed:
        try:
            call(actor, world)
        except auth.AccessDenied as exc:  # pragma: no cover - the assertion message says which
            pytest.fail(f"{name} refused {role}: {exc}")
        except Exception as exc:  # allowed, but the call may fail for its own reasons (e.g. no such model)
            assert not isinstance(exc, auth.AccessDenied)
    else:
        before = _snapshot(world["db"])
        with pytest.raises(auth.AccessDenied):
            call(actor, world)
        assert _snapshot(world["db"]) == before, f"{name} by {role} changed data although refused"


def test_staff_may_not_take_over_another_provinces_partner(world):
    db = world["db"]
    kalsel = db.execute("SELECT partner_id FROM partners WHERE regency_code LIKE '63.%' LIMIT 1").fetchone()[0]
    values = _partner_values(world) | {"partner_id": kalsel}  # moving a Kalsel partner into Sumsel
    with pytest.raises(auth.AccessDenied):
        resources.save_partner(db, STAFF16, values)


def test_nobody_signed_in_may_write(world):
    with pytest.raises(auth.AccessDenied):
        plans.create_plan(world["db"], None, "x", world["rules"])
