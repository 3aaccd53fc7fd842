"""AppTest: Agenda and Laporan as staff, manager and leadership (who reads, never writes)."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.common import SESSION_USER
from planner.auth import User
from planner.db import connect
from tests.conftest import ROOT, copy_db

MANAGER = User("manajer", "manager", (), "Manajer Kampanye")
LEADER = User("pimpinan", "leadership", (), "Pimpinan")


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def field(published_file, tmp_path, monkeypatch):
    path, plan_id, models = published_file
    copy = copy_db(path, tmp_path / "f.db")
    monkeypatch.setenv("PLANNER_DB", str(copy))
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    db = connect(copy)
    busy = db.execute("SELECT staff_id FROM events WHERE plan_id = ? GROUP BY staff_id ORDER BY COUNT(*) DESC, staff_id LIMIT 1", [plan_id]).fetchone()[0]
    yield db, plan_id, User("staf.sumsel", "staff", ("16",), "Staf Sumatera Selatan", staff_id=busy)
    db.conn.close()


def app(user) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state[SESSION_USER] = user
    return at


def test_staff_land_on_their_own_agenda(field):
    db, plan_id, staff = field
    at = app(staff).run()  # the default page for staff
    assert not at.exception and at.title[0].value.startswith("Agenda")
    assert at.selectbox(key="agenda_staff").value == staff.staff_id
    assert at.radio(key="agenda_window").value == "recent"  # the plan lies in the past: nothing upcoming
    table = at.dataframe(key="agenda_table").value
    mine = db.execute("SELECT COUNT(*) FROM events WHERE plan_id = ? AND staff_id = ?", [plan_id, staff.staff_id]).fetchone()[0]
    assert len(table) == mine
    assert any("belum dilaporkan" in w.value for w in at.warning)
    assert at.metric[0].label == "Mulai" and at.metric[0].value.endswith("WIB")
    invites = next(d.value for d in at.dataframe if "WhatsApp" in d.value.columns)
    assert invites["WhatsApp"].str.startswith("https://wa.me/62").all()
    assert len(at.get("download_button")) >= 3  # calendar, attendance sheet, report template
    assert any(b.key == "agenda_go_report" for b in at.button)


def test_the_report_button_opens_laporan_on_that_event(field):
    db, plan_id, staff = field
    at = app(staff).run()
    event_shown = at.markdown  # noqa: F841 (rendered)
    at.button(key="agenda_go_report").click().run()
    assert not at.exception and at.title[0].value == "Laporan acara"
    eid = at.selectbox(key="laporan_pick").value
    assert db.execute("SELECT staff_id FROM events WHERE event_id = ?", [eid]).fetchone()[0] == staff.staff_id


def test_staff_files_a_cancelled_report_and_sees_it_saved(field):
    db, plan_id, staff = field
    at = app(staff)
    at.run()
    at.switch_page("app_pages/laporan.py").run()
    assert not at.exception
    eid = at.selectbox(key="laporan_pick").value
    at.radio(key=f"laporan_status_{eid}").set_value("cancelled").run()
    at.selectbox(key=f"laporan_reason_{eid}").set_value("weather")  # inside the form: sent with the submit
    at.text_input(key=f"laporan_cnote_{eid}").input("Banjir di jalan menuju lokasi")
    at.button(key=f"FormSubmitter:laporan_form_{eid}-Simpan laporan").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    row = db.execute("SELECT status, cancel_reason, cancel_note, updated_by FROM event_reports WHERE event_id = ?", [eid]).fetchone()
    assert row == ("cancelled", "weather", "Banjir di jalan menuju lokasi", "staf.sumsel")
    assert any("Batal (cuaca buruk)" in i.value for i in at.info)


def test_a_cancelled_report_without_a_note_names_the_field(field):
    db, plan_id, staff = field
    at = app(staff)
    at.run()
    at.switch_page("app_pages/laporan.py").run()
    eid = at.selectbox(key="laporan_pick").value
    at.radio(key=f"laporan_status_{eid}").set_value("cancelled").run()
    at.button(key=f"FormSubmitter:laporan_form_{eid}-Simpan laporan").click().run()
    assert any("belum disimpan" in e.value for e in at.error)
    issues = next(d.value for d in at.dataframe if "Kolom" in d.value.columns)
    assert list(issues["Kolom"]) == ["Keterangan"] and "keterangan" in issues["Masalah"].iloc[0]
    assert "Keterangan" in issues["Perbaikan"].iloc[0]  # the fix names the field as the form labels it
    assert db.execute("SELECT COUNT(*) FROM event_reports").fetchone()[0] == 0


def test_managers_open_any_staff_agenda_and_report(field):
    db, plan_id, staff = field
    at = app(MANAGER).run()
    at.switch_page("app_pages/agenda.py").run()
    assert not at.exception
    assert at.selectbox(key="agenda_province").value == "16"
    at.selectbox(key="agenda_staff").set_value(staff.staff_id).run()
    assert not at.exception and len(at.dataframe(key="agenda_table").value) >= 1
    at.switch_page("app_pages/laporan.py").run()
    assert not at.exception and any(f.key and f.key.startswith("laporan_status_") for f in at.radio)


def test_leadership_reads_agenda_and_reports_but_writes_nothing(field):
    db, plan_id, staff = field
    at = app(LEADER).run()
    at.switch_page("app_pages/agenda.py").run()
    assert not at.exception and at.title[0].value.startswith("Agenda")
    assert not any(b.key == "agenda_go_report" for b in at.button)
    at.switch_page("app_pages/laporan.py").run()
    assert not at.exception
    assert not any((r.key or "").startswith("laporan_status_") for r in at.radio)  # no form
    assert not [b for b in at.button if (b.key or "").startswith("FormSubmitter:laporan")]


def test_agenda_in_english(field):
    db, plan_id, staff = field
    at = app(staff)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and at.title[0].value == "Agenda: my events"
    assert at.metric[0].label == "Starts"


def test_jadwal_shows_what_happened_next_to_what_was_expected(field):
    import datetime as dt

    from planner.reporting import reports as rp

    db, plan_id, staff = field
    eid, date = db.execute("SELECT event_id, event_date FROM events WHERE plan_id = ? ORDER BY event_date LIMIT 1", [plan_id]).fetchone()
    bid, workers, size = db.execute("SELECT i.business_id, b.workers, b.size_class FROM invitations i JOIN businesses b USING (business_id) "
                                    "WHERE i.event_id = ? LIMIT 1", [eid]).fetchone()
    from planner.vocabulary import mandatory_programmes

    rp.save(db, MANAGER, [rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": "17"},
                                       [rp.RawRow({"business_id": bid, "registered": "1", "workers_registered": str(workers),
                                                   "programmes": ";".join(mandatory_programmes(size, workers))}, 2)])],
            on=dt.date(2026, 11, 30))
    at = app(MANAGER).run()
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Acara dilaporkan"].startswith("1 / ") and metrics["Hadir (aktual)"] == "17"
    assert metrics["Pekerja terdaftar (aktual)"] == str(workers)
    table = next(d.value for d in at.dataframe if "Acara" in d.value.columns and "Hadir (aktual)" in d.value.columns)
    row = table[table["Acara"] == eid].iloc[0]
    assert row["Hadir (aktual)"] == 17 and row["Daftar (aktual)"] == 1 and "dilaporkan" in row["Laporan"]
