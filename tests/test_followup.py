"""Follow-up of leads: the list (overdue first, scoped), status changes, a registration
recorded on the list closes the lead and is credited to the event."""

from __future__ import annotations

import datetime as dt

import pytest

from planner import auth
from planner.db import connect
from planner.errors import PlannerError
from planner.reporting import followup as fu
from planner.reporting import reports as rp
from tests.conftest import copy_db

MANAGER = auth.User("manajer", "manager", (), "Manajer")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
OTHER = auth.User("staf.kalsel", "staff", ("63",), "Staf Kalsel")
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def with_leads(published_file, tmp_path):
    path, plan_id, _ = published_file
    db = connect(copy_db(path, tmp_path / "f.db"))
    made = []
    for eid, date in db.execute("SELECT event_id, event_date FROM events WHERE plan_id = ? ORDER BY event_date LIMIT 2", [plan_id]).fetchall():
        bids = [r[0] for r in db.execute("SELECT business_id FROM invitations WHERE event_id = ? ORDER BY business_id LIMIT 2", [eid])]
        rows = [rp.RawRow({"business_id": b, "registered": "0", "follow_up": "1"}, i + 2) for i, b in enumerate(bids)]
        rp.save(db, STAFF, [rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": "10"}, rows, row=2)], on=TODAY)
        made += [(eid, b) for b in bids]
    yield db, made
    db.conn.close()


def test_leads_are_listed_overdue_first_and_scoped(with_leads):
    db, made = with_leads
    df = fu.leads(db, STAFF, today=TODAY)
    assert len(df) == len(made) and df["overdue"].all()  # due a week after October events: all overdue by 30 Nov
    assert list(df["due_on"]) == sorted(df["due_on"])
    assert fu.leads(db, OTHER, today=TODAY).empty
    early = fu.leads(db, STAFF, today=dt.date(2026, 10, 1))
    assert not early["overdue"].any()


def test_a_registration_on_the_list_closes_the_lead_and_counts_for_the_event(with_leads):
    db, made = with_leads
    lead = fu.leads(db, STAFF, today=TODAY).iloc[0]
    eid, bid = lead["event_id"], lead["business_id"]
    size, workers = db.execute("SELECT size_class, workers FROM businesses WHERE business_id = ?", [bid]).fetchone()
    with pytest.raises(PlannerError, match="pekerja"):
        fu.update(db, STAFF, int(lead["followup_id"]), status="registered", lang="id", today=TODAY)  # workers needed
    fu.update(db, STAFF, int(lead["followup_id"]), status="registered", workers_registered=1, lang="id", today=TODAY)
    assert db.execute("SELECT status, closed_on FROM followups WHERE followup_id = ?", [int(lead["followup_id"])]).fetchone() == ("registered", TODAY.isoformat())
    assert db.execute("SELECT event_id, workers_registered, source FROM registrations WHERE business_id = ?", [bid]).fetchone() == (eid, 1, "followup")
    assert db.execute("SELECT enrolled FROM businesses WHERE business_id = ?", [bid]).fetchone()[0] == 1
    assert db.execute("SELECT enrolled, workers_enrolled FROM contacts WHERE event_id = ? AND business_id = ?", [eid, bid]).fetchone() == (1, 1)
    act = rp.actuals(db, int(db.execute("SELECT plan_id FROM events WHERE event_id = ?", [eid]).fetchone()[0]))
    assert int(act.set_index("event_id").loc[eid, "later_registrations"]) == 1
    assert len(fu.leads(db, STAFF, today=TODAY)) == len(made) - 1  # no longer open
    entry = db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 2").fetchall()
    assert {e[0] for e in entry} == {"followup.update", "registration.add"}


def test_status_note_and_due_date_changes_and_refusals(with_leads):
    db, made = with_leads
    lead = fu.leads(db, STAFF, today=TODAY).iloc[0]
    fid = int(lead["followup_id"])
    fu.update(db, STAFF, fid, status="promised", due_on="2026-12-07", note="datang ke kantor Senin")
    row = db.execute("SELECT status, due_on, note, updated_by FROM followups WHERE followup_id = ?", [fid]).fetchone()
    assert row == ("promised", "2026-12-07", "datang ke kantor Senin", "staf.sumsel")
    with pytest.raises(PlannerError, match="tidak dikenal"):
        fu.update(db, STAFF, fid, status="mungkin")
    with pytest.raises(PlannerError, match="YYYY-MM-DD"):
        fu.update(db, STAFF, fid, status="contacted", due_on="besok")
    with pytest.raises(auth.AccessDenied):
        fu.update(db, OTHER, fid, status="contacted")
    with pytest.raises(auth.AccessDenied):
        fu.update(db, auth.User("pimpinan", "leadership"), fid, status="contacted")
    fu.update(db, STAFF, fid, status="declined")
    assert db.execute("SELECT closed_on FROM followups WHERE followup_id = ?", [fid]).fetchone()[0] is not None


def test_a_corrected_report_that_registers_the_business_closes_its_lead(with_leads):
    db, made = with_leads
    eid, bid = made[0]
    date = db.execute("SELECT event_date FROM events WHERE event_id = ?", [eid]).fetchone()[0]
    others = [b for e, b in made if e == eid and b != bid]
    size, workers = db.execute("SELECT size_class, workers FROM businesses WHERE business_id = ?", [bid]).fetchone()
    from planner.vocabulary import mandatory_programmes

    rows = [rp.RawRow({"business_id": bid, "registered": "1", "workers_registered": "1", "programmes": ";".join(mandatory_programmes(size, workers))}, 2)]
    rows += [rp.RawRow({"business_id": b, "registered": "0", "follow_up": "1"}, 3) for b in others]
    rp.save(db, STAFF, [rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": "10"}, rows, row=2)], on=TODAY)
    assert db.execute("SELECT status FROM followups WHERE event_id = ? AND business_id = ?", [eid, bid]).fetchone()[0] == "registered"
