"""Plans in the database: solve and save, lock/move/cancel and solve again, publish,
permissions and audit, exports (CSV, ICS), WhatsApp invitations, background jobs, CLI."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner import auth, plans, resources
from planner import scheduling as sch
from planner.db import connect
from planner.errors import PlannerError
from tests.conftest import copy_db

ROOT = Path(__file__).resolve().parent.parent
MANAGER = auth.User("manajer", "manager", (), "Manajer")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
LEADER = auth.User("pimpinan", "leadership", (), "Pimpinan")
START = dt.date(2027, 1, 4)  # a Monday


@pytest.fixture
def scored(scored_db_file, tmp_path):
    db = connect(copy_db(scored_db_file[0], tmp_path / "plan.db"))
    yield db
    db.conn.close()


def sumsel_rules(**kw) -> sch.Rules:
    base = dict(start=START, end=START + dt.timedelta(days=27), provinces=("16",), budget=60_000_000, time_limit=15)
    base.update(kw)
    return sch.Rules(**base)


def solved_plan(db, **kw) -> tuple[int, sch.Solution]:
    plan_id = plans.create_plan(db, MANAGER, "Sumsel Januari", sumsel_rules(**kw))
    sol = plans.solve_plan(db, MANAGER, plan_id)
    assert sol.status in ("OPTIMAL", "FEASIBLE"), sol.conflicts
    return plan_id, sol


def test_solve_saves_events_and_invitations_that_keep_every_rule(scored):
    plan_id, sol = solved_plan(scored)
    events = plans.plan_events(scored, plan_id)
    assert len(events) == len(sol.events) > 0
    assert set(events["province_code"]) == {"16"}
    assert events["event_id"].str.fullmatch(rf"E{plan_id}-\d{{4}}").all()
    assert events["cost"].sum() <= 60_000_000
    inv = plans.invitations_csv_frame(scored, plan_id)
    assert inv["business_id"].is_unique and len(inv) == events["invitees"].sum()
    # invitees are open businesses of the event's own regency
    check = scored.execute(
        "SELECT COUNT(*) FROM invitations i JOIN events e USING (event_id) JOIN businesses b ON b.business_id = i.business_id "
        "WHERE i.plan_id = ? AND (b.regency_code != e.regency_code OR b.enrolled = 1)", [plan_id]).fetchone()[0]
    assert check == 0
    assert plans.plan_violations(scored, plan_id) == []
    assert events["expected_additional"].sum() == pytest.approx(sol.expected_additional)
    result = plans.get_plan(scored, plan_id).result
    assert result["status"] == sol.status and result["texts"]["en"]["findings"] and result["texts"]["id"]["findings"]


def test_csv_columns_are_exactly_the_documented_ones(scored):
    plan_id, _ = solved_plan(scored)
    assert list(plans.events_csv_frame(scored, plan_id).columns) == [
        "event_id", "date", "regency_code", "partner_id", "staff_id", "expected_attendance", "expected_enrollments", "expected_additional", "cost"]
    assert list(plans.invitations_csv_frame(scored, plan_id).columns) == ["event_id", "business_id", "p_enroll", "uplift"]


def test_lock_move_cancel_and_solve_again_around_them(scored):
    plan_id, _ = solved_plan(scored)
    events = plans.plan_events(scored, plan_id)
    keep, gone = events.iloc[0], events.iloc[1]
    kept_invitees = set(plans.event_invitations(scored, keep["event_id"])["business_id"])
    plans.set_locked(scored, MANAGER, keep["event_id"], True)
    plans.cancel_event(scored, MANAGER, gone["event_id"], "mitra berhalangan")
    assert scored.execute("SELECT COUNT(*) FROM invitations WHERE event_id = ?", [gone["event_id"]]).fetchone()[0] == 0
    plans.solve_plan(scored, MANAGER, plan_id)
    after = plans.plan_events(scored, plan_id, include_cancelled=True)
    locked = after[after["event_id"] == keep["event_id"]].iloc[0]
    assert locked["locked"] == 1 and locked["date"] == keep["date"] and locked["partner_id"] == keep["partner_id"]
    assert kept_invitees <= set(plans.event_invitations(scored, keep["event_id"])["business_id"])
    cancelled = after[after["event_id"] == gone["event_id"]].iloc[0]
    assert cancelled["status"] == "cancelled" and cancelled["note"] == "mitra berhalangan"
    planned = after[after["status"] == "planned"]
    assert not ((planned["partner_id"] == gone["partner_id"]) & (planned["date"] == gone["date"])).any()  # not proposed again
    assert plans.plan_violations(scored, plan_id) == []


def test_moving_onto_a_holiday_is_reported_then_refused_by_the_solver(scored):
    plan_id, _ = solved_plan(scored, start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 26))
    ev = plans.plan_events(scored, plan_id).iloc[0]
    broken = plans.move_event(scored, MANAGER, ev["event_id"], date=dt.date(2027, 2, 6) if False else dt.date(2027, 2, 5))
    # 5 Feb 2027 is cuti bersama Tahun Baru Imlek
    assert any(ev["event_id"] in b and "Imlek" in b for b in broken)
    sol = plans.solve_plan(scored, MANAGER, plan_id)
    assert sol.status == "INFEASIBLE"
    assert any(ev["event_id"] in c for c in sol.conflicts)
    assert len(plans.plan_events(scored, plan_id)) > 1  # a failed solve leaves the saved events alone


def test_published_plans_are_for_staff_and_locked_against_changes(scored):
    plan_id, _ = solved_plan(scored)
    assert plans.list_plans(scored, STAFF).empty  # a draft is not shown to staff
    plans.publish_plan(scored, MANAGER, plan_id)
    assert list(plans.list_plans(scored, STAFF)["plan_id"]) == [plan_id]
    with pytest.raises(PlannerError, match="buka kembali"):
        plans.solve_plan(scored, MANAGER, plan_id)
    ev = plans.plan_events(scored, plan_id).iloc[0]["event_id"]
    with pytest.raises(PlannerError, match="buka kembali"):
        plans.cancel_event(scored, MANAGER, ev)
    plans.reopen_plan(scored, MANAGER, plan_id)
    plans.cancel_event(scored, MANAGER, ev)


def test_a_second_plan_does_not_invite_the_first_ones_businesses_or_double_book(scored):
    first, _ = solved_plan(scored, budget=8_000_000)  # leaves businesses for the second plan
    plans.publish_plan(scored, MANAGER, first)
    second, _ = solved_plan(scored)
    a = set(plans.invitations_csv_frame(scored, first)["business_id"])
    b = set(plans.invitations_csv_frame(scored, second)["business_id"])
    assert b and not (a & b)
    ev1, ev2 = plans.plan_events(scored, first), plans.plan_events(scored, second)
    both = pd.concat([ev1, ev2])
    assert not both.duplicated(["staff_id", "date"]).any()
    assert not both.duplicated(["partner_id", "date"]).any()


@pytest.mark.parametrize("who", [STAFF, LEADER])
def test_only_managers_and_admins_plan(scored, who):
    plan_id, _ = solved_plan(scored)
    ev = plans.plan_events(scored, plan_id).iloc[0]["event_id"]
    for call in (lambda: plans.create_plan(scored, who, "x", sumsel_rules()), lambda: plans.solve_plan(scored, who, plan_id),
                 lambda: plans.set_locked(scored, who, ev, True), lambda: plans.move_event(scored, who, ev, date=START),
                 lambda: plans.cancel_event(scored, who, ev), lambda: plans.publish_plan(scored, who, plan_id),
                 lambda: plans.start_solve(scored, who, plan_id), lambda: plans.archive_plan(scored, who, plan_id)):
        with pytest.raises(auth.AccessDenied):
            call()


def test_every_plan_change_is_in_the_audit_trail(scored):
    from planner import audit

    plan_id, _ = solved_plan(scored)
    ev = plans.plan_events(scored, plan_id).iloc[0]["event_id"]
    plans.set_locked(scored, MANAGER, ev, True)
    plans.move_event(scored, MANAGER, ev, date=START + dt.timedelta(days=1))
    trail = audit.search(scored, auth.system_user(), who="manajer")
    assert {"plan.create", "plan.solve", "event.lock", "event.move"} <= set(trail["action"])
    move = trail[trail["action"] == "event.move"].iloc[0]
    assert "event_date" in move["before"] and "event_date" in move["after"]


def test_staff_calendar_file_is_valid_icalendar(scored):
    from icalendar import Calendar

    plan_id, _ = solved_plan(scored)
    ev = plans.plan_events(scored, plan_id)
    sid = ev["staff_id"].iloc[0]
    cal = Calendar.from_ical(plans.staff_ics(scored, plan_id, sid))
    vevents = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(vevents) == (ev["staff_id"] == sid).sum()
    first = vevents[0]
    assert str(first["uid"]).endswith("@jangkau") and "Sosialisasi" in str(first["summary"])
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    assert start.date().isoformat() in set(ev["date"]) and (start.hour, start.minute) == (9, 0)  # at its start time, not all day
    assert str(start.tzinfo) == "Asia/Jakarta" and end - start == dt.timedelta(minutes=120)  # Sumatera Selatan is WIB
    assert any(c.name == "VTIMEZONE" for c in cal.walk())
    assert ev["address"].iloc[0] in str(first["location"]).replace("\\", "")


def test_whatsapp_invitations_are_ready_to_send(scored):
    plan_id, _ = solved_plan(scored)
    ev = plans.plan_events(scored, plan_id).iloc[0]
    msgs = plans.invitation_messages(scored, ev["event_id"])
    assert len(msgs) == ev["invitees"]
    text = msgs["message"].iloc[0]
    assert text.startswith("Yth. Bapak/Ibu") and ev["partner"] in text and "BPJS Ketenagakerjaan" in text
    assert "pukul 09:00 WIB" in text and ev["address"] in text and ev["staff_phone"] in text  # time, place and whom to call
    assert msgs["link"].str.startswith("https://wa.me/628").all()
    assert plans.whatsapp_link("0812-3456-7890", "x") == "https://wa.me/6281234567890?text=x"
    assert plans.whatsapp_link("12", "x") is None
    assert "JKK, JKM dan JHT" in plans.programme_phrase("kecil", 5) and "Rp16.800" in plans.programme_phrase("mikro", 1)
    assert plans.programme_phrase("menengah", 30, "en") == "for your workers: JKK, JKM, JHT and JP"


def test_background_solve_reports_progress_and_saves(scored):
    plan_id = plans.create_plan(scored, MANAGER, "Latar belakang", sumsel_rules(time_limit=8))
    run_id = plans.start_solve(scored, MANAGER, plan_id)
    with pytest.raises(PlannerError, match="sedang disusun"):
        plans.start_solve(scored, MANAGER, plan_id)
    job = plans.wait_job(scored, run_id, timeout=120)
    assert job["status"] == "done", job["error"]
    assert job["progress"] == 1 and job["objective"] > 0
    assert len(plans.plan_events(scored, plan_id)) > 0


def test_a_dead_background_job_is_marked_failed(scored):
    plan_id = plans.create_plan(scored, MANAGER, "Mati", sumsel_rules())
    with scored.conn:
        scored.execute("INSERT INTO solve_runs (plan_id, status, requested_by, started_at, pid) VALUES (?, 'running', 'manajer', ?, 999999)",
                       [plan_id, dt.datetime.now(dt.timezone.utc).isoformat()])
    job = plans.latest_job(scored, plan_id)
    assert job["status"] == "failed" and "berhenti" in job["error"]


def test_plan_with_a_deactivated_partner_names_it(scored):
    plan_id, _ = solved_plan(scored)
    ev = plans.plan_events(scored, plan_id).iloc[0]
    plans.set_locked(scored, MANAGER, ev["event_id"], True)
    resources.set_partner_active(scored, MANAGER, ev["partner_id"], False)
    assert any(ev["event_id"] in p and "tidak aktif" in p for p in plans.plan_violations(scored, plan_id))


def test_cli_schedule_writes_events_and_invitations(scored, tmp_path):
    path = scored.execute("PRAGMA database_list").fetchone()[2]
    out, inv = tmp_path / "events.csv", tmp_path / "invitations.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "--db", path, "schedule", "--start", "2027-01-04", "--end", "2027-01-29", "--budget", "40000000",
         "--provinces", "16", "--time-limit", "10", "--out", str(out), "--invitations", str(inv)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    events = pd.read_csv(out, encoding="utf-8-sig")
    invitations = pd.read_csv(inv, encoding="utf-8-sig")
    assert list(events.columns) == plans.EVENTS_COLUMNS and len(events) > 0
    assert events["cost"].sum() <= 40_000_000
    assert set(invitations["event_id"]) <= set(events["event_id"]) and invitations["business_id"].is_unique
    assert "acara" in proc.stdout and "batas terbukti" in proc.stdout


def test_cli_schedule_rejects_bad_input_with_exit_2(scored, tmp_path):
    path = scored.execute("PRAGMA database_list").fetchone()[2]
    before = scored.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
    for args, message in (
        (["--start", "2027-02-30", "--end", "2027-03-01"], "bukan tanggal"),
        (["--start", "2027-03-01", "--end", "2027-02-01"], "tukar keduanya"),
        (["--start", "2027-03-01", "--end", "2027-03-05", "--provinces", "99"], "tidak dikenal"),
    ):
        proc = subprocess.run([sys.executable, "-m", "planner", "--db", path, "schedule", *args, "--out", str(tmp_path / "e.csv")],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert scored.execute("SELECT COUNT(*) FROM plans").fetchone()[0] == before
    assert not (tmp_path / "e.csv").exists()


def test_cli_infeasible_request_exits_2_and_names_the_rules(scored, tmp_path):
    path = scored.execute("PRAGMA database_list").fetchone()[2]
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "--db", path, "schedule", "--start", "2027-01-04", "--end", "2027-01-15", "--budget", "5000000",
         "--provinces", "16", "--min-events-per-regency", "1", "--time-limit", "10", "--out", str(tmp_path / "e.csv")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Anggaran Rp 5.000.000 tidak cukup" in proc.stderr and "Minimal 1 acara" in proc.stderr


def test_events_start_at_the_plans_time_and_can_be_moved_per_event(scored):
    from planner.reporting import agenda

    plan_id, _ = solved_plan(scored, start_time="13:30", duration_minutes=90)
    times = set(scored.execute("SELECT start_time, duration_minutes FROM events WHERE plan_id = ?", [plan_id]).fetchall())
    assert times == {("13:30", 90)}
    eid = scored.execute("SELECT event_id FROM events WHERE plan_id = ? LIMIT 1", [plan_id]).fetchone()[0]
    agenda.set_time(scored, MANAGER, eid, "08:00", 150)
    assert scored.execute("SELECT start_time, duration_minutes FROM events WHERE event_id = ?", [eid]).fetchone() == ("08:00", 150)
    with pytest.raises(PlannerError, match="JJ:MM"):
        agenda.set_time(scored, MANAGER, eid, "25:00", 60)
    with pytest.raises(PlannerError, match="JJ:MM"):
        sch.Rules(start=START, end=START, start_time="9 pagi").validate()
    with pytest.raises(auth.AccessDenied):
        agenda.set_time(scored, LEADER, eid, "09:00", 60)
