"""AppTest: the Jadwal and Mitra & staf pages, started from streamlit_app.py."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.common import SESSION_USER
from planner import auth, plans
from planner import scheduling as sch
from planner.db import connect

ROOT = Path(__file__).resolve().parent.parent
MANAGER = auth.User("manajer", "manager", (), "Manajer Kampanye")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumatera Selatan")
LEADER = auth.User("pimpinan", "leadership", (), "Pimpinan")


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def app_as(user) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state[SESSION_USER] = user
    return at


def frame(at, column):
    """The first table on the page with ``column`` (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_manager_creates_a_plan_solves_it_and_works_with_the_events(scored_copy):
    at = app_as(MANAGER).run()
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception
    assert any("Belum ada rencana" in i.value for i in at.info)
    at.text_input(key="jadwal_new_name").set_value("Sumsel Januari 2027")
    at.date_input(key="jadwal_new_start").set_value(dt.date(2027, 1, 4))
    at.date_input(key="jadwal_new_end").set_value(dt.date(2027, 1, 29))
    at.number_input(key="jadwal_new_budget").set_value(40)  # Rp juta
    at.multiselect(key="jadwal_new_provinces").set_value(["16"])
    at.number_input(key="jadwal_new_time").set_value(10)
    at.button(key="FormSubmitter:jadwal_new_form-Simpan rencana").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Sumsel Januari 2027" in at.selectbox(key="jadwal_plan").format_func(at.selectbox(key="jadwal_plan").value)
    assert any("belum disusun" in i.value for i in at.info)
    assert any("Anggaran: Rp 40.000.000" in m.value for m in at.markdown)
    at.button(key="jadwal_solve").click().run()
    deadline = time.monotonic() + 120
    while not [m for m in at.metric if m.label == "Acara"] and time.monotonic() < deadline:
        time.sleep(1)
        at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Acara"].replace(".", "")) > 0
    assert "," in metrics["Biaya (Rp juta)"] or metrics["Biaya (Rp juta)"].isdigit()
    assert metrics["Mutu solusi"] in ("Optimal", "Layak")
    assert any("anggaran" in m.value.lower() or "Anggaran" in m.value for m in at.markdown)  # the plan explains itself
    calendar = next(m.value for m in at.markdown if "jk-cal" in m.value)
    assert "<th>Sen " in calendar and calendar.count("class='ev'") > 0  # a week of event cards
    events = frame(at, "Staf")
    assert {"Acara", "Mitra", "Staf", "Undangan", "Tambahan pekerja"} <= set(events.columns)
    invites = frame(at, "WhatsApp")
    assert len(invites) > 0 and invites["WhatsApp"].str.startswith("https://wa.me/").all()
    assert at.code and at.code[0].value.startswith("Yth. Bapak/Ibu")
    labels = {b.label for b in at.download_button}
    assert {"Acara (CSV)", "Acara (XLSX)", "Undangan (CSV)", "Unduh kalender (.ics)"} <= labels
    # lock the selected event, then solve again: it stays
    first = at.selectbox(key="jadwal_event").value
    at.button(key="jadwal_lock").click().run()
    assert "🔒" in set(frame(at, "Staf")[""])
    db = connect(scored_copy)
    try:
        assert db.execute("SELECT locked FROM events WHERE event_id = ?", [first]).fetchone()[0] == 1
    finally:
        db.conn.close()
    at.number_input(key="jadwal_control_share").set_value(20).run()  # hold back a fifth as the comparison group
    at.button(key="jadwal_publish").click().run()
    assert not at.exception
    assert "terbit" in at.selectbox(key="jadwal_plan").format_func(at.selectbox(key="jadwal_plan").value)
    assert any("kelompok pembanding" in s.value for s in at.success)
    db = connect(scored_copy)
    try:
        assert db.execute("SELECT control_share FROM plans WHERE status = 'published'").fetchone()[0] == 0.2
    finally:
        db.conn.close()


@pytest.fixture
def published(scored_copy):
    db = connect(scored_copy)
    rules = sch.Rules(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 29), provinces=("16", "63"), budget=80_000_000, time_limit=10)
    plan_id = plans.create_plan(db, MANAGER, "Sumsel dan Kalsel", rules)
    plans.solve_plan(db, MANAGER, plan_id)
    plans.publish_plan(db, MANAGER, plan_id)
    draft = plans.create_plan(db, MANAGER, "Draf rahasia", rules)
    db.conn.close()
    return plan_id, draft


def test_staff_see_only_published_events_of_their_province_and_cannot_plan(published):
    plan_id, draft = published
    at = app_as(STAFF).run()
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception
    assert at.selectbox(key="jadwal_plan").options == [f"#{plan_id} · Sumsel dan Kalsel · terbit"]  # not the draft
    assert not [b for b in at.button if b.key in ("jadwal_solve", "jadwal_publish", "jadwal_lock")]
    events = frame(at, "Staf")
    assert len(events) > 0
    regencies = set(events["Kabupaten/kota"])
    assert all("Banjar" not in r and "Tanah Laut" not in r for r in regencies)  # no Kalimantan Selatan events


def test_leadership_reads_the_plan_without_edit_controls(published):
    at = app_as(LEADER).run()
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception
    assert len(at.selectbox(key="jadwal_plan").options) == 2
    assert not [b for b in at.button if b.key in ("jadwal_solve", "jadwal_publish", "jadwal_lock", "jadwal_archive")]


def test_infeasible_plan_is_explained_on_the_page(scored_copy):
    db = connect(scored_copy)
    rules = sch.Rules(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 15), provinces=("16",), budget=5_000_000,
                      min_events_per_regency=1, time_limit=10)
    plan_id = plans.create_plan(db, MANAGER, "Terlalu hemat", rules)
    plans.solve_plan(db, MANAGER, plan_id)
    db.conn.close()
    at = app_as(MANAGER).run()
    at.switch_page("app_pages/jadwal.py").run()
    assert any("tidak mungkin dipenuhi" in e.value for e in at.error)
    text = " ".join(m.value for m in at.markdown)
    assert "Anggaran Rp 5\\.000\\.000 tidak cukup" in text and "Minimal 1 acara" in text


def test_mitra_page_adds_a_partner_and_lists_every_problem_of_a_bad_one(scored_copy):
    at = app_as(MANAGER).run()
    at.switch_page("app_pages/mitra.py").run()
    assert not at.exception
    partners = frame(at, "Kode mitra")
    assert len(partners) > 0 and {"Kode mitra", "Jenis", "Hari tersedia", "Biaya/acara (Rp)"} <= set(partners.columns)
    form = "mitra_partner_form_new"
    at.text_input(key="mitra_pid_new").set_value("M16-900")
    at.text_input(key="mitra_name_new").set_value("")
    at.multiselect(key="mitra_days_new").set_value([])
    at.button(key=f"FormSubmitter:{form}-Simpan").click().run()
    errors = frame(at, "Perbaikan")
    assert set(errors["Kolom"]) == {"Nama", "Hari tersedia"}  # as the form labels the fields
    assert all(errors["Perbaikan"].str.len() > 0)
    assert not errors["Perbaikan"].str.contains("'name'|'available_weekdays'").any(), list(errors["Perbaikan"])
    at.text_input(key="mitra_name_new").set_value("Koperasi <b>Baru</b> Palembang")
    at.selectbox(key="mitra_ptype_new").set_value("koperasi")
    at.multiselect(key="mitra_days_new").set_value([1, 3])
    at.button(key=f"FormSubmitter:{form}-Simpan").click().run()
    assert any("M16-900 ditambahkan" in s.value.replace("\\", "") for s in at.success), [e.value for e in at.error]  # shown as plain text
    db = connect(scored_copy)
    try:
        row = db.execute("SELECT name, type, available_weekdays, active FROM partners WHERE partner_id = 'M16-900'").fetchone()
    finally:
        db.conn.close()
    assert row == ("Koperasi <b>Baru</b> Palembang", "koperasi", "1;3", 1)


def test_staff_edit_partners_of_their_province_only_and_record_leave(scored_copy):
    at = app_as(STAFF).run()
    at.switch_page("app_pages/mitra.py").run()
    assert not at.exception
    assert at.selectbox(key="mitra_province").options == ["16 · Sumatera Selatan"]
    assert not [f for f in at.get("form") if getattr(f, "id", "").endswith("mitra_staff_form_new")]
    staff_ids = at.selectbox(key="mitra_leave_staff").options
    assert staff_ids and all("(S16-" in s for s in staff_ids)
    at.date_input(key="mitra_leave_start").set_value(dt.date(2027, 1, 5))
    at.date_input(key="mitra_leave_end").set_value(dt.date(2027, 1, 8))
    at.text_input(key="mitra_leave_reason").set_value("pelatihan")
    at.button(key="FormSubmitter:mitra_leave_form-Catat cuti").click().run()
    assert not at.exception and not at.error
    leave = frame(at, "Alasan")
    assert "pelatihan" in set(leave["Alasan"])


def test_a_plan_with_rules_outside_the_form_bounds_still_opens(demo_db_path, monkeypatch):
    """Rules that ``Rules.validate`` accepts but the edit form's inputs did not (a 3 s time
    limit from the CLI or API, more than 20 events per regency, a large travel cost or
    penalty): the page raised StreamlitValueBelowMinError / AboveMaxError for managers,
    who then could not open the plan at all. The form shows the stored values and saving
    it unchanged keeps them."""
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    db = connect(demo_db_path)
    rules = sch.Rules(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 29), provinces=("16",), budget=12_500_000, time_limit=3,
                      min_events_per_regency=25, travel_cost=150_000_000, penalty_friday=60.0, max_invitees=20_000)
    plan_id = plans.create_plan(db, MANAGER, "Dari CLI", rules)
    db.conn.close()
    at = app_as(MANAGER).run()
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception, [e.value for e in at.exception]
    prefix = f"jadwal_edit_{plan_id}"
    assert at.number_input(key=f"{prefix}_time").value == 3
    assert at.number_input(key=f"{prefix}_min_regency").value == 25
    assert at.selectbox(key=f"{prefix}_travel_cost").value == 150_000_000
    assert at.selectbox(key=f"{prefix}_p_friday").value == 60.0
    # written the Indonesian way, not 150000000 and 60.0
    assert "Rp 150.000.000" in at.selectbox(key=f"{prefix}_travel_cost").options
    assert at.selectbox(key=f"{prefix}_p_weekend").options[:4] == ["0", "0,05", "0,1", "0,25"]
    assert at.number_input(key=f"{prefix}_max_invitees").value == 20_000
    at.button(key=f"FormSubmitter:{prefix}_form-Simpan rencana").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    db = connect(demo_db_path)
    try:
        assert plans.get_plan(db, plan_id).rules == rules
    finally:
        db.conn.close()


def test_jadwal_sends_managers_to_scoring_first_when_nothing_is_scored(demo_db_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    at = app_as(MANAGER).run()
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception
    assert any("belum dinilai" in w.value for w in at.warning)


def test_partner_and_audit_counts_are_written_the_indonesian_way(scored_copy):
    import pandas as pd

    from planner.imports import import_frame

    admin = auth.User("admin", "admin", (), "Admin Demo")
    db = connect(scored_copy)
    try:
        for capacity in (4, 5):  # the second import changes every row: one audit entry each
            import_frame(db, "partners", pd.DataFrame({
                "partner_id": [f"M16-{i:04d}" for i in range(1200)], "name": [f"Koperasi {i}" for i in range(1200)],
                "type": "koperasi", "regency_code": "16.71", "capacity_per_month": capacity, "venue_capacity": 50,
                "cost_per_event": 2_500_000, "available_weekdays": "1;2;3;4;5",
            }), actor=admin)
        stored = db.execute("SELECT COUNT(*) FROM partners p JOIN regencies r ON r.code = p.regency_code "
                            "WHERE r.province_code = '16' AND p.active = 1").fetchone()[0]
        logged = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    finally:
        db.conn.close()
    at = app_as(MANAGER).run()
    at.switch_page("app_pages/mitra.py").run()
    expected = f"{stored:,}".replace(",", ".")
    assert stored >= 1200 and any(c.value == f"{expected} mitra" for c in at.caption), [c.value for c in at.caption]
    assert logged >= 1200
    at = app_as(admin).run()
    at.switch_page("app_pages/audit.py").run()
    assert "1.000 entri terbaru ditampilkan; unduhan berisi semua yang cocok." in [c.value for c in at.caption]
    assert len(at.dataframe[0].value) == 1000
