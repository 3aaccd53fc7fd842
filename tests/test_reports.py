"""Event reports: every validation rule, the outcomes that flow back (contacts, enrolled
businesses, walk-ins, leads), updates instead of duplicates, conflicts, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from planner import auth, plans
from planner import scheduling as sch
from planner.db import connect
from planner.imports import ImportFailed
from planner.reporting import reports as rp
from tests.conftest import copy_db

MANAGER = auth.User("manajer", "manager", (), "Manajer")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
OTHER = auth.User("staf.kalsel", "staff", ("63",), "Staf Kalsel")
LEADER = auth.User("pimpinan", "leadership", (), "Pimpinan")
START = dt.date(2026, 10, 5)  # a Monday, in the past
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def pub(published_file, tmp_path):
    path, plan_id, _ = published_file
    db = connect(copy_db(path, tmp_path / "p.db"))
    yield db, plan_id
    db.conn.close()


def event_with_invitees(db, plan_id, n=3):
    row = db.execute(
        "SELECT e.event_id FROM events e WHERE e.plan_id = ? AND e.status = 'planned' AND "
        "(SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.event_id) >= ? ORDER BY e.event_date LIMIT 1", [plan_id, n]
    ).fetchone()
    eid = row[0]
    inv = db.execute("SELECT i.business_id, b.workers, b.size_class FROM invitations i JOIN businesses b ON b.business_id = i.business_id "
                     "WHERE i.event_id = ? ORDER BY i.business_id", [eid]).fetchall()
    date = db.execute("SELECT event_date FROM events WHERE event_id = ?", [eid]).fetchone()[0]
    return eid, date, inv


def programmes_for(size, workers):
    from planner.vocabulary import mandatory_programmes

    return ";".join(mandatory_programmes(size, workers))


def held(eid, date, rows, attendance=30, **kw):
    return rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": str(attendance), **kw},
                        [rp.RawRow(r, i + 2) for i, r in enumerate(rows)], row=2, source=kw.pop("source", "upload") if "source" in kw else "upload")


def problems(exc) -> list[tuple]:
    return [(i.row, i.column, i.problem) for i in exc.value.issues]


def test_a_held_report_flows_back_as_contacts_enrolment_walk_ins_and_leads(pub):
    db, plan_id = pub
    eid, date, inv = event_with_invitees(db, plan_id)
    (b1, w1, s1), (b2, w2, s2), (b3, _, _) = inv[:3]
    walk_known = db.execute("SELECT business_id FROM businesses WHERE regency_code LIKE '16.%' AND business_id NOT IN "
                            "(SELECT business_id FROM invitations) LIMIT 1").fetchone()[0]
    regency = db.execute("SELECT regency_code FROM events WHERE event_id = ?", [eid]).fetchone()[0]
    rows = [
        {"business_id": b1, "registered": "1", "workers_registered": str(w1), "programmes": programmes_for(s1, w1)},
        {"business_id": b2, "registered": "0", "follow_up": "1", "note": "minta brosur"},
        {"business_id": walk_known, "registered": "0"},
        {"name": "Warung Baru Jaya", "regency_code": regency, "sector": "G", "size_class": "mikro", "workers": "1",
         "phone": "081234567890", "registered": "1", "workers_registered": "1", "programmes": "JKK;JKM"},
    ]
    res = rp.save(db, STAFF, [held(eid, date, rows, attendance=12)], on=TODAY)
    assert (res.reports, res.created, res.rows, res.registrations, res.walk_ins_new) == (1, 1, 4, 2, 1)
    rep = db.execute("SELECT status, held_on, attendance, present, registrations, workers_registered, version FROM event_reports WHERE event_id = ?", [eid]).fetchone()
    assert rep == ("held", date, 12, 4, 2, w1 + 1, 1)
    # every invitee is a contact of the event; walk-ins too, marked as such
    n_inv = len(inv)
    c = {r[0]: r[1:] for r in db.execute("SELECT business_id, invited, attended, enrolled, walk_in, workers_enrolled, selection_prob FROM contacts WHERE event_id = ?", [eid])}
    controls = {r[0] for r in db.execute("SELECT business_id FROM controls WHERE event_id = ?", [eid])}
    assert len(c) == n_inv + 2 + len(controls)  # the event's control group too: not invited, not present
    assert all(c[k][:5] == (0, 0, 0, 0, 0) for k in controls)
    share = db.execute("SELECT control_share FROM plans WHERE plan_id = ?", [plan_id]).fetchone()[0]
    assert c[b1][:5] == (1, 1, 1, 0, w1) and c[b1][5] == pytest.approx(1 - share)  # chosen, then not held back
    assert c[b2][:3] == (1, 1, 0) and c[b3][:3] == (1, 0, 0)  # b3 was invited and did not come
    assert c[walk_known][:4] == (0, 1, 0, 1)
    new_id = f"W{eid}-001"
    assert c[new_id][:4] == (0, 1, 1, 1)
    assert db.execute("SELECT enrolled FROM businesses WHERE business_id = ?", [b1]).fetchone()[0] == 1
    assert db.execute("SELECT name, enrolled, regency_code FROM businesses WHERE business_id = ?", [new_id]).fetchone() == ("Warung Baru Jaya", 1, regency)
    lead = db.execute("SELECT business_id, status, due_on, staff_id FROM followups WHERE event_id = ?", [eid]).fetchall()
    staff_id = db.execute("SELECT staff_id FROM events WHERE event_id = ?", [eid]).fetchone()[0]
    assert lead == [(b2, "to_contact", (dt.date.fromisoformat(date) + dt.timedelta(days=7)).isoformat(), staff_id)]
    # audited with before and after
    entry = db.execute("SELECT action, before, after, actor FROM audit_log WHERE entity = 'event_reports' ORDER BY id DESC LIMIT 1").fetchone()
    assert entry[0] == "report.create" and entry[1] is None and '"registrations": 2' in entry[2] and entry[3] == "staf.sumsel"


def test_the_same_report_twice_updates_and_never_duplicates(pub):
    db, plan_id = pub
    eid, date, inv = event_with_invitees(db, plan_id)
    (b1, w1, s1) = inv[0]
    first = [{"business_id": b1, "registered": "1", "workers_registered": "1", "programmes": programmes_for(s1, w1)}]
    rp.save(db, STAFF, [held(eid, date, first)], on=TODAY)
    before = db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    res = rp.save(db, STAFF, [held(eid, date, first)], on=TODAY)
    assert (res.created, res.updated) == (0, 1)
    assert db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0] == before
    assert db.execute("SELECT COUNT(*) FROM report_rows WHERE event_id = ?", [eid]).fetchone()[0] == 1
    assert db.execute("SELECT version FROM event_reports WHERE event_id = ?", [eid]).fetchone()[0] == 2
    # a correction: b1 did not register after all; its enrolment is taken back
    was = db.execute("SELECT was_enrolled FROM report_rows WHERE event_id = ?", [eid]).fetchone()[0]
    rp.save(db, STAFF, [held(eid, date, [{"business_id": b1, "registered": "0"}])], on=TODAY)
    assert db.execute("SELECT enrolled FROM businesses WHERE business_id = ?", [b1]).fetchone()[0] == was
    # cancelled after all: its contacts go, the report says why
    rp.save(db, STAFF, [rp.RawReport(eid, {"status": "cancelled", "cancel_reason": "weather", "cancel_note": "banjir"}, [], row=2)], on=TODAY)
    assert db.execute("SELECT COUNT(*) FROM contacts WHERE event_id = ?", [eid]).fetchone()[0] == 0
    assert db.execute("SELECT status, cancel_reason, present FROM event_reports WHERE event_id = ?", [eid]).fetchone() == ("cancelled", "weather", 0)


def test_two_people_editing_one_report_get_a_conflict_not_an_overwrite(pub):
    db, plan_id = pub
    eid, date, inv = event_with_invitees(db, plan_id)
    ani = held(eid, date, [], attendance=10)
    ani.expected_version = 0
    rp.save(db, STAFF, [ani], on=TODAY)
    budi = held(eid, date, [], attendance=99)
    budi.expected_version = 0  # loaded the form before Ani saved
    with pytest.raises(ImportFailed) as exc:
        rp.save(db, MANAGER, [budi], on=TODAY)
    assert "sudah diubah oleh staf.sumsel pukul" in str(exc.value) and "muat ulang" in str(exc.value)
    assert db.execute("SELECT attendance FROM event_reports WHERE event_id = ?", [eid]).fetchone()[0] == 10
    budi.expected_version = 1
    rp.save(db, MANAGER, [budi], on=TODAY)
    assert db.execute("SELECT attendance, version, updated_by FROM event_reports WHERE event_id = ?", [eid]).fetchone() == (99, 2, "manajer")


def test_every_validation_rule_names_row_column_and_fix_and_writes_nothing(pub):
    db, plan_id = pub
    eid, date, inv = event_with_invitees(db, plan_id)
    (b1, w1, s1), (b2, w2, s2) = inv[:2]
    # businesses not invited to this event (the solver's choice of invitees varies from run to run; one of them here
    # would make its row a duplicate of rows 2-3 instead of the case it stands for)
    others = "AND business_id NOT IN (SELECT business_id FROM invitations WHERE event_id = ?)"
    micro = db.execute(f"SELECT business_id, workers FROM businesses WHERE size_class = 'kecil' AND workers > 1 {others} LIMIT 1",
                       [eid]).fetchone()
    bpu = db.execute(f"SELECT business_id FROM businesses WHERE workers = 1 AND regency_code LIKE '16.%' {others} LIMIT 1", [eid]).fetchone()[0]
    rows = [
        {"business_id": b1, "registered": "1", "workers_registered": str(w1 + 5), "programmes": programmes_for(s1, w1)},  # 2
        {"business_id": b2, "registered": "2"},  # 3
        {"business_id": micro[0], "registered": "1", "workers_registered": "1", "programmes": "JKK;JKM"},  # 4: small needs JHT
        {"business_id": bpu, "registered": "1", "workers_registered": "1", "programmes": "JKK;JKM;JP"},  # 5: BPU no JP
        {"business_id": "TIDAK-ADA"},  # 6
        {"name": "Tanpa Wilayah", "sector": "G", "size_class": "mikro", "workers": "2"},  # 7: walk-in needs regency
        {"business_id": b1, "registered": "0"},  # 8: twice
        {"business_id": bpu, "registered": "0", "workers_registered": "1"},  # 9 twice as well
        {"name": "Salah Sektor", "regency_code": "16.71", "sector": "Z", "size_class": "raksasa", "workers": "3"},  # 10
        {"name": "Beda Provinsi", "regency_code": "35.78", "sector": "G", "size_class": "mikro", "workers": "3"},  # 11
        {"name": "Program Asing", "regency_code": "16.71", "sector": "G", "size_class": "mikro", "workers": "3", "registered": "1",
         "workers_registered": "2", "programmes": "JKK;XYZ"},  # 12
        {"name": "Daftar Tapi Ikut", "regency_code": "16.71", "sector": "G", "size_class": "mikro", "workers": "3", "registered": "1",
         "workers_registered": "2", "programmes": "JKK;JKM", "follow_up": "1"},  # 13
    ]
    before = (db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0], db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0])
    with pytest.raises(ImportFailed) as exc:
        rp.save(db, STAFF, [held(eid, date, rows, attendance=3)], on=TODAY)
    got = problems(exc)
    want = {
        (2, "workers_registered"), (3, "registered"), (4, "programmes"), (5, "programmes"), (6, "business_id"), (7, "regency_code"),
        (8, "business_id"), (9, "business_id"), (10, "sector"), (10, "size_class"), (11, "regency_code"), (12, "programmes"),
        (13, "follow_up"), (2, "attendance"),
    }
    assert want <= {(r, c) for r, c, _ in got}, got
    text = str(exc.value)
    assert "JHT" in text and "JP" in text and "Perpres 109/2013" in text
    for issue in exc.value.issues:
        assert issue.fix and issue.problem
    assert (db.execute("SELECT COUNT(*) FROM contacts").fetchone()[0], db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0]) == before
    assert db.execute("SELECT COUNT(*) FROM event_reports").fetchone()[0] == 0


@pytest.mark.parametrize(
    "fields, column, words",
    [
        ({"status": "terjadi"}, "status", "held"),
        ({"status": "held", "attendance": "5"}, "held_on", "kosong"),
        ({"status": "held", "held_on": "2026-12-25", "attendance": "5"}, "held_on", "masa depan"),
        ({"status": "held", "held_on": "2025-01-01", "attendance": "5"}, "held_on", "terlalu jauh"),
        ({"status": "held", "held_on": "01/10/2026", "attendance": "5"}, "held_on", "YYYY-MM-DD"),
        ({"status": "held", "held_on": "２０２６-１０-０６", "attendance": "5"}, "held_on", "YYYY-MM-DD"),
        ({"status": "held", "held_on": "{date}", "attendance": "banyak"}, "attendance", "bilangan bulat"),
        ({"status": "cancelled", "cancel_reason": "malas", "cancel_note": "x"}, "cancel_reason", "alasan"),
        ({"status": "cancelled", "cancel_reason": "weather"}, "cancel_note", "keterangan"),
    ],
)
def test_report_fields(pub, fields, column, words):
    db, plan_id = pub
    eid, date, _ = event_with_invitees(db, plan_id)
    fields = {k: v.replace("{date}", date) for k, v in fields.items()}
    with pytest.raises(ImportFailed) as exc:
        rp.save(db, STAFF, [rp.RawReport(eid, fields, [], row=2)], on=TODAY)
    assert any(c == column for _, c, _ in problems(exc)), problems(exc)
    assert words in str(exc.value)


def test_who_may_report_what(pub):
    db, plan_id = pub
    eid, date, _ = event_with_invitees(db, plan_id)
    with pytest.raises(ImportFailed, match="provinsi 16, bukan provinsi Anda"):
        rp.save(db, OTHER, [held(eid, date, [])], on=TODAY)
    with pytest.raises(auth.AccessDenied):
        rp.save(db, LEADER, [held(eid, date, [])], on=TODAY)
    with pytest.raises(ImportFailed, match="tidak ada"):
        rp.save(db, STAFF, [held("E999-0001", date, [])], on=TODAY)
    draft = plans.create_plan(db, MANAGER, "Draf", sch.Rules(start=START, end=START + dt.timedelta(days=6), provinces=("16",), time_limit=5))
    plans.solve_plan(db, MANAGER, draft)
    draft_event = db.execute("SELECT event_id, event_date FROM events WHERE plan_id = ? LIMIT 1", [draft]).fetchone()
    if draft_event:
        with pytest.raises(ImportFailed, match="belum diterbitkan"):
            rp.save(db, STAFF, [held(draft_event[0], draft_event[1], [])], on=TODAY)
    rp.save(db, MANAGER, [held(eid, date, [])], on=TODAY)  # managers report any province
    assert rp.report_for(db, LEADER, eid)["updated_by"] == "manajer"  # leadership reads
    with pytest.raises(auth.AccessDenied):
        rp.report_for(db, OTHER, eid)


def test_a_report_of_a_hundred_businesses_saves_well_under_a_second(pub):
    import time

    db, plan_id = pub
    eid, date, inv = event_with_invitees(db, plan_id)
    regency = db.execute("SELECT regency_code FROM events WHERE event_id = ?", [eid]).fetchone()[0]
    rows = [{"business_id": b, "registered": "1", "workers_registered": "1", "programmes": programmes_for(s, w)} for b, w, s in inv]
    rows += [{"name": f"Usaha Datang {i}", "regency_code": regency, "sector": "G", "size_class": "mikro", "workers": "2",
              "registered": str(i % 2), "workers_registered": str(i % 2), "programmes": "JKK;JKM" if i % 2 else ""}
             for i in range(100 - len(rows))]
    t0 = time.perf_counter()
    res = rp.save(db, STAFF, [held(eid, date, rows, attendance=120)], on=TODAY)
    assert res.rows == 100 and time.perf_counter() - t0 < 5  # a guard; the benchmark measures it


def test_a_report_saved_by_another_connection_between_check_and_write_is_not_overwritten(pub, monkeypatch):
    """``save`` checks a batch before taking the write lock and reads again under it only
    if another connection committed meanwhile: then Budi's stale form is refused."""
    db, plan_id = pub
    eid, date, _ = event_with_invitees(db, plan_id)
    other = connect(db.execute("PRAGMA database_list").fetchone()[2])
    real_check, real_load = rp._check, rp._load_context
    loads = []
    monkeypatch.setattr(rp, "_load_context", lambda *a: loads.append(1) or real_load(*a))
    rp.save(db, STAFF, [held(eid, date, [], attendance=5)], on=TODAY)
    assert len(loads) == 1  # nobody else wrote: read and checked once

    def check_then_someone_else_saves(ctx, actor, reports, on, lang):
        out = real_check(ctx, actor, reports, on, lang)
        if actor.username == "staf.sumsel":
            monkeypatch.setattr(rp, "_check", real_check)
            rp.save(other, MANAGER, [held(eid, date, [], attendance=99)], on=TODAY)
        return out

    monkeypatch.setattr(rp, "_check", check_then_someone_else_saves)
    budi = held(eid, date, [], attendance=10)
    budi.expected_version = 1  # the version he loaded
    with pytest.raises(ImportFailed, match="sudah diubah oleh manajer"):
        rp.save(db, STAFF, [budi], on=TODAY)
    assert db.execute("SELECT attendance, version FROM event_reports WHERE event_id = ?", [eid]).fetchone() == (99, 2)
    other.conn.close()


def test_a_batch_writes_exactly_what_its_reports_write_one_by_one(published_file, tmp_path):
    """The set-at-a-time writer: two events (invitees, a walk-in, registrations, a lead)
    saved in one batch, then corrected in one batch, leave the database as saving each
    report alone would."""
    path, plan_id, _ = published_file
    together, alone = (connect(copy_db(path, tmp_path / f"{n}.db")) for n in ("together", "alone"))
    eid1, d1, inv1 = event_with_invitees(together, plan_id, 2)
    eid2 = together.execute("SELECT e.event_id FROM events e WHERE e.plan_id = ? AND e.event_id != ? AND "
                            "(SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.event_id) >= 2 ORDER BY e.event_date LIMIT 1",
                            [plan_id, eid1]).fetchone()[0]
    d2 = together.execute("SELECT event_date FROM events WHERE event_id = ?", [eid2]).fetchone()[0]
    inv2 = together.execute("SELECT i.business_id, b.workers, b.size_class FROM invitations i JOIN businesses b "
                            "ON b.business_id = i.business_id WHERE i.event_id = ? ORDER BY i.business_id", [eid2]).fetchall()
    regency = together.execute("SELECT regency_code FROM events WHERE event_id = ?", [eid1]).fetchone()[0]

    def version(n):
        (a, wa, sa), (b, _, _) = inv1[:2]
        (c, wc, sc) = inv2[0]
        first = [{"business_id": a, "registered": str(n % 2), "workers_registered": str(n % 2),
                  "programmes": programmes_for(sa, wa) if n % 2 else ""},
                 {"business_id": b, "registered": "0", "follow_up": str(n % 2)},
                 {"name": "Warung Batch", "regency_code": regency, "sector": "G", "size_class": "mikro", "workers": "2",
                  "registered": "1", "workers_registered": "1", "programmes": "JKK;JKM"}]
        second = [{"business_id": c, "registered": str(1 - n % 2), "workers_registered": str(1 - n % 2),
                   "programmes": programmes_for(sc, wc) if not n % 2 else ""}]
        return held(eid1, d1, first, attendance=20 + n), held(eid2, d2, second, attendance=10 + n)

    def state(db):
        return [db.execute(q).fetchall() for q in (
            "SELECT event_id, status, held_on, attendance, present, registrations, workers_registered, version FROM event_reports ORDER BY 1",
            "SELECT * FROM report_rows ORDER BY event_id, business_id",
            "SELECT business_id, contacted_on, invited, attended, enrolled, workers_enrolled, programmes, event_id, walk_in, selection_prob "
            "FROM contacts WHERE event_id IS NOT NULL ORDER BY 1, 2",
            "SELECT business_id, enrolled, workers FROM businesses ORDER BY 1",
            "SELECT event_id, business_id, status, due_on FROM followups ORDER BY 1, 2",
            "SELECT action, entity_key, before IS NULL, after FROM audit_log WHERE entity = 'event_reports' ORDER BY entity_key, id")]

    for n in (1, 2):
        r1, r2 = version(n)
        rp.save(together, STAFF, [r1, r2], on=TODAY)
        r1, r2 = version(n)
        rp.save(alone, STAFF, [r1], on=TODAY)
        rp.save(alone, STAFF, [r2], on=TODAY)
        assert state(together) == state(alone)
    assert together.execute("SELECT COUNT(*) FROM report_rows").fetchone()[0] == 4
    together.conn.close()
    alone.conn.close()


def test_a_new_walk_in_never_takes_the_id_of_an_earlier_one(pub):
    """Walk-ins without an id are numbered per event: the same walk-in again keeps its id
    (the same report twice creates it once), a different one takes the next number."""
    db, plan_id = pub
    eid, date, inv = event_with_invitees(db, plan_id)
    regency = db.execute("SELECT regency_code FROM events WHERE event_id = ?", [eid]).fetchone()[0]
    first = {"name": "Toko Pertama", "regency_code": regency, "sector": "G", "size_class": "mikro", "workers": "2", "registered": "0"}
    rp.save(db, STAFF, [held(eid, date, [first])], on=TODAY)
    rp.save(db, STAFF, [held(eid, date, [dict(first, name="toko pertama ")])], on=TODAY)  # the same walk-in, written a little differently
    assert db.execute("SELECT COUNT(*) FROM businesses WHERE business_id LIKE ?", [f"W{eid}-%"]).fetchone()[0] == 1
    second = dict(first, name="Bengkel Kedua", sector="S", workers="1")
    rp.save(db, STAFF, [held(eid, date, [second])], on=TODAY)  # a correction that leaves the first out and adds another
    made = dict(db.execute("SELECT business_id, name FROM businesses WHERE business_id LIKE ?", [f"W{eid}-%"]).fetchall())
    assert made == {f"W{eid}-001": "Toko Pertama", f"W{eid}-002": "Bengkel Kedua"}
    rows = db.execute("SELECT business_id FROM report_rows WHERE event_id = ?", [eid]).fetchall()
    assert rows == [(f"W{eid}-002",)]
    both = [first, second]
    rp.save(db, STAFF, [held(eid, date, both)], on=TODAY)
    assert {r[0] for r in db.execute("SELECT business_id FROM report_rows WHERE event_id = ?", [eid])} == set(made)
