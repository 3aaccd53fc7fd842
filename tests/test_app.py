"""AppTest: every page, started from streamlit_app.py, on a private copy of the demo database."""

import os
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.common import SESSION_USER
from planner.auth import User

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


MANAGER = User("manajer", "manager", (), "Manajer Kampanye")
ADMIN = User("admin", "admin", (), "Admin Demo")
STAFF = User("staf.sumsel", "staff", ("16",), "Staf Sumatera Selatan")
LEADER = User("pimpinan", "leadership", (), "Pimpinan")


def as_user(at: AppTest, user: User | None) -> AppTest:
    """Sign in the way the cookie lookup would (AppTest cannot carry cookies)."""
    if user is not None:
        at.session_state[SESSION_USER] = user
    return at


@pytest.fixture
def app(demo_db_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    return as_user(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60), MANAGER)


def table(at):
    """The first st.dataframe on the page, as the DataFrame it shows."""
    assert len(at.dataframe) >= 1
    return at.dataframe[0].value


def submit_import(at):
    at.button(key="FormSubmitter:impor_form-Periksa dan impor").click().run()


def test_peluang_is_the_default_page_with_all_provinces(app):
    at = app.run()
    assert not at.exception
    assert at.title[0].value.startswith("Peluang")
    df = table(at)
    assert len(df) == 38 and "Jawa Barat" in set(df["Nama"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pekerja layak"] == "101.700.000"  # national 2025 snapshot, Indonesian digits
    assert metrics["Cakupan"].endswith("%") and "," in metrics["Cakupan"]
    assert any("Data demo" in i.value for i in at.info)


def test_peluang_controls_change_the_ranking(app):
    at = app.run()
    at.radio(key="peluang_level").set_value("regency").run()
    at.selectbox(key="peluang_province").set_value("16").run()
    df = table(at)
    assert len(df) == 17 and set(df["Kode"]).issubset({f"16.{i:02d}" for i in range(1, 100)})
    at.radio(key="peluang_level").set_value("province").run()  # one province: a single row
    assert not at.exception, at.exception
    assert list(table(at)["Nama"]) == ["Sumatera Selatan"]
    at.radio(key="peluang_level").set_value("regency").run()
    at.radio(key="peluang_by").set_value("sector").run()
    df = table(at)
    assert set(df["Kode"]) <= set("ABCDEFGHIJKLMNOPQRSTU")
    first_before = df.iloc[0]["Kode"]
    for comp in ("uncovered", "vulnerable", "partners", "conversion"):
        at.slider(key=f"peluang_w_{comp}").set_value(0)
    at.slider(key="peluang_w_density").set_value(5).run()
    df = table(at)
    assert df.iloc[0]["Skor"] == pytest.approx(100.0)
    assert not at.exception
    assert first_before in set(df["Kode"])


def test_language_switch_to_english(app):
    at = app.run()
    at.selectbox(key="lang").set_value("en").run()
    assert at.title[0].value.startswith("Opportunity")
    assert "Name" in table(at).columns
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Eligible"] == "101.700.000"  # numbers stay Indonesian style


def test_impor_page_rejects_bad_file_and_imports_good_one(app):
    at = app.run()
    at.switch_page("app_pages/impor.py").run()
    assert not at.exception
    # The limits, with the upload limit read from .streamlit/config.toml and the way round it.
    import tomllib

    upload_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert upload_mb == 100
    limits = [c.value for c in at.caption if c.value.startswith("Batas:")]
    assert len(limits) == 1 and f"paling besar {upload_mb} MB" in limits[0] and "python -m planner import" in limits[0]
    assert "2.000.000 baris" in limits[0] and "1.000 karakter" in limits[0] and "300 MB" in limits[0]
    at.selectbox(key="impor_kind").set_value("staff").run()
    bad = b"staff_id,name,province_code,max_events_per_week\nS1,Budi,99,3\nS2,,16,x\n"
    at.file_uploader(key="impor_file").set_value(("staf.csv", bad, "text/csv"))
    submit_import(at)
    assert any("Berkas ditolak" in e.value for e in at.error)
    issues = table(at)
    assert {"Baris", "Kolom", "Nilai", "Masalah", "Perbaikan"} <= set(issues.columns)
    assert set(issues["Kolom"]) == {"province_code", "name", "max_events_per_week"}
    good = b"staff_id,name,province_code,max_events_per_week\nS1,Budi,16,3\n"
    at.file_uploader(key="impor_file").set_value(("staf.csv", good, "text/csv"))
    submit_import(at)
    assert any("1 baris diimpor: 1 baru" in s.value for s in at.success)
    history = at.dataframe[-1].value
    assert history.iloc[0]["Oleh"] == "manajer" and history.iloc[0]["Berkas"] == "staf.csv"
    generated = history[history["Berkas"] == "(dibuat otomatis)"]  # the demo world, made by Jangkau itself
    assert len(generated) and (generated["Oleh"] == "Jangkau (data demo)").all()

    # A sheet that claims A1:XFD1048576 (19 minutes of padding before) is refused at once.
    import time

    from tests.test_imports import claim_whole_sheet, rezip, xlsx_bytes

    bomb = rezip(xlsx_bytes(), lambda x: claim_whole_sheet(x, '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'))
    at.selectbox(key="impor_kind").set_value("businesses").run()
    at.file_uploader(key="impor_file").set_value(("usaha.xlsx", bomb, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    t0 = time.perf_counter()
    submit_import(at)
    assert time.perf_counter() - t0 < 5
    assert any("Berkas ditolak: 1 kesalahan" in e.value for e in at.error)
    assert table(at).iloc[0]["Baris"] == 1048576 and table(at).iloc[0]["Kolom"] == "XFD"

    # Staff see their province's rows and their own imports, not the manager's.
    at.session_state[SESSION_USER] = STAFF
    at.switch_page("app_pages/impor.py").run()
    assert not at.exception
    assert "Isi basis data di provinsi Anda" in [h.value for h in at.subheader]
    metrics = {m.label: int(m.value.replace(".", "")) for m in at.metric}
    assert 0 < metrics["Usaha"] < 50_000 and not [d for d in at.dataframe if "Oleh" in d.value.columns]


@pytest.fixture
def scored_app(scored_copy):
    return as_user(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120), MANAGER)


def sumsel_regencies() -> set[str]:
    import os

    from planner.db import connect

    db = connect(os.environ["PLANNER_DB"])
    try:
        return {r[0] for r in db.execute("SELECT name FROM regencies WHERE province_code = '16'")}
    finally:
        db.conn.close()


def test_sasaran_lists_scored_businesses_with_filters_and_model_card(scored_app):
    at = scored_app.run()
    at.switch_page("app_pages/sasaran.py").run()
    assert not at.exception
    df = table(at)
    assert {"ID usaha", "Peluang daftar", "Uplift", "Alasan"} <= set(df.columns)
    assert df["Uplift"].is_monotonic_decreasing
    assert df["Alasan"].str.len().gt(0).all()
    assert list(df.columns[:5]) == ["ID usaha", "Nama", "Peluang daftar", "Uplift", "Tambahan pekerja"]  # scores first
    at.selectbox(key="sasaran_province").set_value("16").run()
    assert "Provinsi" not in table(at).columns  # one province: no column repeating it
    assert set(table(at)["Kabupaten/kota"]) <= sumsel_regencies()
    at.radio(key="sasaran_segment").set_value("BPU").run()
    assert (table(at)["Pekerja"] <= 1).all()
    at.radio(key="sasaran_sort").set_value("p_enroll").run()
    assert table(at)["Peluang daftar"].is_monotonic_decreasing
    assert any("Kartu model" in s.value for s in at.subheader)
    metrics = at.dataframe[1].value
    assert {"ROC AUC", "PR AUC", "Brier"} <= set(metrics.columns)
    assert {"Unduh CSV", "Unduh XLSX"} <= {b.label for b in at.download_button}


def test_sasaran_first_training_from_the_button(app, monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_MODELS", str(tmp_path / "models"))
    at = app.run()
    at.switch_page("app_pages/sasaran.py").run()
    assert any("Belum ada skor" in i.value for i in at.info)
    at.button(key="sasaran_retrain_first").click().run()
    assert not at.exception
    # the training runs in a background job: the page shows its progress, not a frozen run
    from planner import jobs
    from planner.db import connect

    db = connect(os.environ["PLANNER_DB"])
    try:
        job = jobs.latest(db, MANAGER, "train")
        assert job is not None and not [b for b in at.button if b.key == "sasaran_retrain_first"]
        assert jobs.wait(db, MANAGER, job["job_id"], timeout=300)["status"] == "done"
    finally:
        db.conn.close()
    at.run()
    assert any("usaha dinilai" in s.value for s in at.success)
    assert len(table(at)) > 100
    at.run()  # said once
    assert not any("usaha dinilai" in s.value for s in at.success)


# ---------------------------------------------------------------- sign-in and roles
def test_without_a_session_only_the_sign_in_prompt_shows(demo_db_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Silakan masuk" in i.value for i in at.info)
    assert len(at.dataframe) == 0
    at.switch_page("app_pages/peluang.py").run()  # asking for a page directly does not help
    assert any("Silakan masuk" in i.value for i in at.info) and len(at.dataframe) == 0


ROLE_ID = {"admin": "admin", "manager": "manajer", "staff": "staf", "leadership": "pimpinan"}


@pytest.mark.parametrize(
    "user, visible, hidden",
    [
        (ADMIN, ["peluang", "sasaran", "jadwal", "mitra", "impor", "pengguna", "audit"], []),
        (MANAGER, ["peluang", "sasaran", "jadwal", "mitra", "impor"], ["pengguna", "audit"]),
        (STAFF, ["peluang", "sasaran", "jadwal", "mitra", "impor"], ["pengguna", "audit"]),
        (LEADER, ["peluang", "sasaran", "jadwal", "mitra", "audit"], ["impor", "pengguna"]),
    ],
)
def test_navigation_follows_the_role(demo_db_path, monkeypatch, user, visible, hidden):
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    at = as_user(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60), user).run()
    for page in visible:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page
        assert not at.error, (page, [e.value for e in at.error])
        if page != "pengguna":  # the demo notice points to the import page only for those who have it
            banner = next(i.value for i in at.info if "Data demo" in i.value)
            assert ("halaman Impor" in banner) == ("impor" in visible), (page, banner)
    for page in hidden:
        # Not in the menu; a direct link opens the page's own refusal, in Bahasa Indonesia.
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page
        assert [e.value for e in at.error] == [f"Halaman ini tidak tersedia untuk peran {ROLE_ID[user.role]}."], page
        assert not at.dataframe and not at.button, page


def test_pages_check_the_role_themselves(demo_db_path, monkeypatch):
    """A page reached without st.navigation (e.g. by URL) still refuses the wrong role."""
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    at = as_user(AppTest.from_file(str(ROOT / "app_pages" / "pengguna.py"), default_timeout=60), STAFF).run()
    assert any("tidak tersedia" in e.value for e in at.error)
    assert len(at.dataframe) == 0


def test_staff_import_kinds_and_leadership_cannot_retrain(scored_app):
    scored_app.session_state[SESSION_USER] = STAFF
    at = scored_app.run()
    at.switch_page("app_pages/impor.py").run()
    assert set(at.selectbox(key="impor_kind").options) == {"Usaha", "Riwayat kontak", "Mitra", "Pembayaran iuran", "Pendaftaran"}
    at.switch_page("app_pages/sasaran.py").run()
    assert at.selectbox(key="sasaran_province").options == ["16 · Sumatera Selatan"]
    assert set(table(at)["Kabupaten/kota"]) <= sumsel_regencies()
    assert not [b for b in at.button if b.key == "sasaran_retrain"]  # staff cannot retrain
    at.session_state[SESSION_USER] = LEADER
    at.switch_page("app_pages/sasaran.py").run()
    assert not [b for b in at.button if b.key == "sasaran_retrain"]


def test_admin_adds_a_user_and_sees_it_in_the_audit_trail(demo_db_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    from planner import auth
    from planner.db import connect

    db = connect(demo_db_path)
    try:  # one account has signed in, the others never have: the column holds text and gaps
        auth.authenticate(db, "manajer", "jangkau-demo")
    finally:
        db.conn.close()
    at = as_user(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60), ADMIN).run()
    at.switch_page("app_pages/pengguna.py").run()
    at.text_input(key="pengguna_username").set_value("dewi")
    at.text_input(key="pengguna_name").set_value("<b>Dewi</b>")
    at.selectbox(key="pengguna_role").set_value("staff")
    at.multiselect(key="pengguna_provinces").set_value(["63"])
    at.text_input(key="pengguna_password").set_value("kata-sandi-dewi-1")
    at.button(key="FormSubmitter:pengguna_add-Tambah pengguna").click().run()
    assert any("dewi" in s.value for s in at.success), [e.value for e in at.error]
    at.button(key="FormSubmitter:pengguna_change-Terapkan").click().run()  # nobody chosen: nothing happens
    assert any("Pilih dulu pengguna yang akan diubah" in e.value for e in at.error), [e.value for e in at.error]
    users = table(at)
    assert set(users["Aktif"]) == {"✓"}
    assert "<b>Dewi</b>" in set(users["Nama"])  # shown as text, not HTML
    dewi = users.set_index("Nama pengguna").loc["dewi"]
    assert dewi["Peran"] == "staf" and dewi["Provinsi"] == "63"
    assert dewi["Dibuat"].endswith(" WIB") and dewi["Terakhir masuk"] == "–"
    assert users.set_index("Nama pengguna").loc["manajer", "Terakhir masuk"].endswith(" WIB")
    at.switch_page("app_pages/audit.py").run()
    log = table(at)
    assert "Pengguna ditambahkan" in set(log["Tindakan"]) and "dewi" in set(log["Kunci"])
    assert log["Waktu"].str.fullmatch(r"\d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d WIB").all(), log["Waktu"].head()
    assert not any("None" in c for c in log["Perubahan"])  # nothing recorded shows nothing
    assert {"Unduh CSV", "Unduh XLSX"} <= {b.label for b in at.download_button}


def test_an_unexpected_error_shows_an_incident_number_not_a_traceback(app, monkeypatch, caplog):
    import planner.opportunity

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/jangkau/planner/opportunity.py secret detail")

    monkeypatch.setattr(planner.opportunity, "rank", broken)
    with caplog.at_level("ERROR", logger="jangkau"):
        at = app.run()
    assert not at.exception  # nothing reached Streamlit's own error box
    shown = " ".join(e.value for e in at.error)
    assert "nomor kejadian" in shown and "secret detail" not in shown and "Traceback" not in shown
    number = shown.split("nomor kejadian ")[1].split()[0]
    assert len(number) == 6
    logged = [r for r in caplog.records if number in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the server log carries the traceback under that number


def test_a_demo_password_on_real_data_must_be_changed_first(app, demo_db_path):
    from dataclasses import replace

    from planner import auth
    from planner.db import connect

    at = app
    at.session_state[SESSION_USER] = replace(MANAGER, must_change_password=True)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Ganti kata sandi demo" and not at.dataframe  # no page of data behind it
    at.text_input(key="pw_new").input("sandi-baru-yang-panjang")
    at.text_input(key="pw_again").input("sandi-baru-yang-panjang")
    at.button(key="FormSubmitter:pw_form-Simpan kata sandi").click().run()
    assert any("Kata sandi diganti" in s.value for s in at.success)
    db = connect(demo_db_path)
    assert auth.authenticate(db, "manajer", "sandi-baru-yang-panjang").username == "manajer"
    db.conn.close()


def test_admin_links_an_account_to_a_staff_record_and_new_accounts_start_read_only(demo_db_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    from planner import auth
    from planner.db import connect

    at = as_user(AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60), ADMIN).run()
    at.switch_page("app_pages/pengguna.py").run()
    assert at.selectbox(key="pengguna_role").value == "leadership"  # the least privileged role
    db = connect(demo_db_path)
    sid = db.execute("SELECT staff_id FROM staff WHERE province_code = '63' ORDER BY staff_id LIMIT 1 OFFSET 1").fetchone()[0]
    at.text_input(key="pengguna_username").set_value("eka")
    at.selectbox(key="pengguna_role").set_value("staff")
    at.selectbox(key="pengguna_staff").set_value(sid)
    at.text_input(key="pengguna_password").set_value("kata-sandi-eka-12")
    at.button(key="FormSubmitter:pengguna_add-Tambah pengguna").click().run()
    assert any("eka" in s.value for s in at.success), [e.value for e in at.error]
    eka = auth.get_user(db, "eka")
    assert eka.staff_id == sid and eka.provinces == ("63",)  # the staff record's province came with it
    at.selectbox(key="pengguna_target").set_value("eka")
    at.radio(key="pengguna_action").set_value("link")
    at.selectbox(key="pengguna_link_to").set_value(None)
    at.button(key="FormSubmitter:pengguna_change-Terapkan").click().run()
    assert auth.get_user(db, "eka").staff_id is None
    db.conn.close()
