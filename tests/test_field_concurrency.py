"""Many hands at once: 20 staff file reports at the same time, through the form and by
uploading a filled template, on one database: nothing lost, nothing duplicated, every
write audited; two people editing one report get a conflict, not an overwrite."""

from __future__ import annotations

import datetime as dt
import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from planner import auth
from planner.db import connect
from planner.imports import ImportFailed
from planner.reporting import forms
from planner.reporting import reports as rp
from planner.vocabulary import mandatory_programmes
from tests.conftest import copy_db

TODAY = dt.date(2026, 11, 30)
WRITERS = 20


def staff(i: int) -> auth.User:
    return auth.User(f"staf{i:02d}", "staff", ("16",), f"Staf {i}")


def test_twenty_staff_filing_at_once_lose_and_duplicate_nothing(published_file, tmp_path):
    path, plan_id, _ = published_file
    db_path = copy_db(path, tmp_path / "busy.db")
    db = connect(db_path)
    events = db.execute("SELECT event_id, event_date, regency_code FROM events WHERE plan_id = ? AND status = 'planned' ORDER BY event_id",
                        [plan_id]).fetchall()
    invitees = {eid: db.execute("SELECT i.business_id, b.size_class, b.workers FROM invitations i JOIN businesses b USING (business_id) "
                                "WHERE i.event_id = ? ORDER BY i.business_id", [eid]).fetchall() for eid, _, _ in events}
    audit_before = db.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'event_reports'").fetchone()[0]
    businesses_before = db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0]

    def rows_for(eid: str, regency: str) -> list[dict]:
        first = invitees[eid][:1]
        rows = [{"business_id": b, "registered": "1", "workers_registered": "1", "programmes": ";".join(mandatory_programmes(s, w))}
                for b, s, w in first]
        rows.append({"name": f"Walk-in {eid}", "regency_code": regency, "sector": "G", "size_class": "mikro", "workers": "2",
                     "registered": "0", "follow_up": "1"})
        return rows

    start = threading.Barrier(WRITERS)

    def writer(i: int) -> str:
        eid, date, regency = events[i % len(events)]
        conn = connect(db_path)
        try:
            start.wait()
            if i % 2 == 0:  # the form
                rp.save(conn, staff(i), [rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": "12"},
                                                       [rp.RawRow(r, n + 1) for n, r in enumerate(rows_for(eid, regency))])], on=TODAY)
            else:  # a filled template, uploaded
                frame = forms.template_frame(conn, staff(i), [eid])
                frame = frame[frame["business_id"].isin([b for b, _, _ in invitees[eid][:1]])].copy()
                frame["status"], frame["held_on"], frame["attendance"] = "held", date, "12"
                frame["present"], frame["registered"], frame["workers_registered"] = "1", "1", "1"
                if invitees[eid]:
                    b, s, w = invitees[eid][0]
                    frame["programmes"] = ";".join(mandatory_programmes(s, w))
                walk = {c: "" for c in frame.columns}
                walk.update(event_id=eid, name=f"Walk-in {eid}", regency_code=regency, sector="G", size_class="mikro", workers="2",
                            present="1", registered="0", follow_up="1", status="held", held_on=date, attendance="12")
                frame = pd.concat([frame, pd.DataFrame([walk])], ignore_index=True)
                buf = io.StringIO()
                frame.to_csv(buf, index=False)
                forms.import_reports(conn, staff(i), buf.getvalue().encode(), "laporan.csv", on=TODAY)
            return eid
        finally:
            conn.conn.close()

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        done = list(pool.map(writer, range(WRITERS)))
    assert len(done) == WRITERS
    n = len(events)
    assert db.execute("SELECT COUNT(*) FROM event_reports").fetchone()[0] == n  # one report per event, none lost
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'event_reports'").fetchone()[0] - audit_before == WRITERS  # every write audited
    for eid, _, _ in events:
        rows = db.execute("SELECT COUNT(*), SUM(walk_in), SUM(registered) FROM report_rows WHERE event_id = ?", [eid]).fetchone()
        expected = (2, 1, 1) if invitees[eid] else (1, 1, 0)  # an event whose only invitee was held back as a control has none
        assert rows == expected, (eid, rows)
        contacts = db.execute("SELECT COUNT(*), COUNT(DISTINCT business_id) FROM contacts WHERE event_id = ?", [eid]).fetchone()
        controls = db.execute("SELECT COUNT(*) FROM controls WHERE event_id = ?", [eid]).fetchone()[0]
        assert contacts[0] == contacts[1] == len(invitees[eid]) + 1 + controls, (eid, contacts)
    # A walk-in reported twice for the same event (once by each path) is one business, not two.
    assert db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0] - businesses_before == n
    assert db.execute("SELECT COUNT(*) FROM followups").fetchone()[0] == n
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.conn.close()


def test_two_people_saving_one_report_at_once_one_wins_the_other_is_told(published_file, tmp_path):
    path, plan_id, _ = published_file
    db_path = copy_db(path, tmp_path / "two.db")
    db = connect(db_path)
    eid, date = db.execute("SELECT event_id, event_date FROM events WHERE plan_id = ? ORDER BY event_id LIMIT 1", [plan_id]).fetchone()
    start = threading.Barrier(2)

    def save(i: int):
        conn = connect(db_path)
        try:
            report = rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": str(10 + i)}, [], source="form")
            report.expected_version = 0  # both opened the empty form
            start.wait()
            try:
                rp.save(conn, staff(i), [report], on=TODAY)
                return "saved"
            except ImportFailed as exc:
                return str(exc)
        finally:
            conn.conn.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(save, range(2)))
    assert results.count("saved") == 1, results
    loser = next(r for r in results if r != "saved")
    assert "sudah diubah oleh staf" in loser and "muat ulang" in loser
    assert db.execute("SELECT version FROM event_reports WHERE event_id = ?", [eid]).fetchone()[0] == 1
    db.conn.close()
