"""One catalogue: every page in English shows no Indonesian words of its own, and the
command line speaks the language of ``--lang`` (numbers Indonesian-style in both).

The pages are rendered through AppTest on the demo world with its field history (a
published plan around today, reports, registrations, payments), signed in as each role
that can open them. Text is gathered from the page's own words: titles, headers,
markdown, captions, alerts, buttons, widget labels, metric labels, expanders, tabs and
table headers; not table cells or the options of pickers, which hold data (regions,
businesses, partners, staff).
"""

from __future__ import annotations

import os
import re
import string

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.common import PAGE_ROLES, SESSION_USER
from planner.auth import User
from planner.cli import main
from planner.db import connect
from planner.i18n import STRINGS
from tests.conftest import ROOT, copy_db, copy_scored

# Common Indonesian words that never appear in an English sentence, a region's or a
# demo business's name (so "kota", "kabupaten", "koperasi" and "ketenagakerjaan", which
# are parts of names, are left out).
INDONESIAN = (
    "dan", "yang", "untuk", "dengan", "belum", "tidak", "acara", "usaha", "rencana", "pekerja", "peserta",
    "mitra", "staf", "undangan", "terdaftar", "laporan", "bulan", "minggu", "tanggal", "semua", "pilih",
    "unduh", "simpan", "sudah", "dari", "atau", "ke", "pada", "ini", "itu", "baris", "kolom", "berkas",
    "nilai", "jumlah", "biaya", "anggaran", "dibuat", "ditulis", "diimpor", "dinilai", "detik", "halaman",
    "bukan", "harus", "periksa", "gunakan", "masuk", "keluar", "perkiraan", "rentang", "sasaran", "peluang",
    "jadwal", "diterbitkan", "kontak", "wilayah", "cakupan", "skor", "hadir", "daftar", "juta", "miliar", "triliun",
    "saya", "orang", "hari",
)
_WORDS = re.compile(r"(?<![\w-])(" + "|".join(INDONESIAN) + r")(?![\w-])", re.IGNORECASE)


def indonesian_words(text: str, data: re.Pattern[str] | None = None) -> list[str]:
    """The common Indonesian words in ``text`` (empty for English), leaving out the data
    values ``data`` matches (names of regions, businesses, partners, staff, accounts)."""
    if data is not None:
        text = data.sub(" ", text)
    text = re.sub(r"<[^>]*>|\]\([^)]*\)|https?://\S+", " ", text)  # tags, link targets and addresses are not words
    return [m.group(0) for m in _WORDS.finditer(text)]


def test_the_word_check_finds_indonesian_and_passes_english():
    assert indonesian_words("Rencana 3: 12 acara, biaya Rp 16.800") == ["Rencana", "acara", "biaya"]
    assert indonesian_words("Plan 3: 12 events, cost Rp 16.800 (Kota Palembang, Sumatera Selatan)") == []


# --------------------------------------------------------------------------- the catalogue
def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_every_key_has_indonesian_and_english_text_with_the_same_placeholders():
    """tests/test_i18n.py checks that both languages are there; this checks that neither
    is blank (``t`` would show an empty line) and that the placeholders match, with
    positional or repeated fields included."""
    for key, entry in STRINGS.items():
        assert entry["id"].strip() and entry["en"].strip(), key
        assert _fields(entry["id"]) == _fields(entry["en"]), key


def test_no_key_is_defined_twice():
    """Blocks appended by different changes must not silently replace each other's text."""
    import ast

    from planner import i18n

    tree = ast.parse(open(i18n.__file__, encoding="utf-8").read())
    seen: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for k in node.keys:
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value not in ("id", "en"):
                    assert k.value not in seen, f"{k.value} at lines {seen[k.value]} and {k.lineno}"
                    seen[k.value] = k.lineno


# --------------------------------------------------------------------------- pages in English
# Data values a page may show inside its own sentences: they are names, not words.
DATA_NAMES = (
    "SELECT name FROM provinces", "SELECT name FROM regencies", "SELECT name FROM businesses", "SELECT name FROM partners",
    "SELECT address FROM partners", "SELECT contact_name FROM partners", "SELECT name FROM staff", "SELECT display_name FROM users",
    "SELECT name FROM plans",
)


@pytest.fixture(scope="module")
def field_world(scored_db_file, tmp_path_factory):
    """The scored demo with its field history, as a first start leaves it."""
    from planner import demo

    folder = tmp_path_factory.mktemp("catalogue")
    path, models = copy_scored(scored_db_file, folder)
    db = connect(path)
    demo.create_field_history(db, models_dir=models)
    staff_id = db.execute("SELECT staff_id FROM users WHERE username = 'staf.sumsel'").fetchone()[0]
    names = {r[0] for sql in DATA_NAMES for r in db.execute(sql) if r[0]} | {u.display_name for u in _users(staff_id).values()}
    data = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path, models, staff_id, data


@pytest.fixture
def world(field_world, tmp_path, monkeypatch):
    path, models, staff_id, data = field_world
    monkeypatch.setenv("PLANNER_DB", str(copy_db(path, tmp_path / "w.db")))
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    st.cache_data.clear()
    st.cache_resource.clear()
    return staff_id, data


def _users(staff_id: str) -> dict[str, User]:
    return {
        "manager": User("manajer", "manager", (), "Manajer Kampanye"),
        "staff": User("staf.sumsel", "staff", ("16",), "Staf Sumatera Selatan", staff_id=staff_id),
        "leadership": User("pimpinan", "leadership", (), "Pimpinan"),
        "admin": User("admin", "admin", (), "Admin Demo"),
    }


def page_texts(at: AppTest) -> list[str]:
    """Every text of the page's own words (see the module docstring)."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error", "success", "toast"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("button", "selectbox", "multiselect", "radio", "text_input", "text_area", "number_input", "date_input",
                 "slider", "select_slider", "checkbox", "toggle", "time_input", "metric", "expander", "tabs", "segmented_control",
                 "pills"):
        out += [str(e.label) for e in getattr(at, kind)]
    for kind in ("download_button", "link_button", "page_link", "file_uploader"):
        out += [e.proto.label for e in at.get(kind)]
    out += [e.help for e in at.metric if getattr(e, "help", None)]
    out += [str(o) for r in at.radio for o in r.options]  # a radio's choices are the page's words
    for df in at.dataframe:
        out += [str(c) for c in df.value.columns]
    return [text for text in out if text]


# (role, page): every page, as each role it is meant for first; staff see their own
# agenda and reports, leadership reads the projection and the audit trail.
PAGES = [
    ("manager", "peluang"), ("manager", "sasaran"), ("manager", "jadwal"), ("manager", "mitra"), ("manager", "impor"),
    ("manager", "agenda"), ("manager", "laporan"), ("manager", "proyeksi"),
    ("staff", "agenda"), ("staff", "laporan"), ("staff", "mitra"), ("staff", "impor"),
    ("leadership", "proyeksi"), ("leadership", "audit"), ("leadership", "jadwal"),
    ("admin", "pengguna"), ("admin", "audit"),
]


def test_every_page_is_covered():
    assert {p for _, p in PAGES} == set(PAGE_ROLES)
    assert all(role in PAGE_ROLES[p] for role, p in PAGES)


def render(user: User, page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.session_state[SESSION_USER] = user
    at.session_state["lang"] = lang
    # One run, straight on the page: a second run would send the widgets' values back
    # through their labels, which AppTest formats outside the session (in Indonesian).
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("role, page", PAGES, ids=[f"{r}-{p}" for r, p in PAGES])
def test_page_in_english_has_no_indonesian_words(world, role, page):
    staff_id, data = world
    at = render(_users(staff_id)[role], page, "en")
    assert at.title and at.title[0].value != "Jangkau"  # the page itself, not the sign-in prompt
    texts = page_texts(at)
    assert len(texts) > 5  # the page rendered its words
    if os.environ.get("CATALOGUE_DUMP"):  # to read a page's words by eye
        with open(os.environ["CATALOGUE_DUMP"], "a", encoding="utf-8") as fh:
            fh.write(f"===== {role} {page}\n" + "\n".join(data.sub("<data>", x)[:400] for x in texts) + "\n")
    leaks = {text[:300]: words for text in texts if (words := indonesian_words(text, data))}
    assert not leaks, leaks


def test_the_page_check_sees_indonesian(world):
    """The same gathering on a page in Indonesian finds the words: the check above looks
    where the words are."""
    staff_id, data = world
    texts = page_texts(render(_users(staff_id)["manager"], "jadwal", "id"))
    assert sum(bool(indonesian_words(text, data)) for text in texts) > 10


# --------------------------------------------------------------------------- the command line
def cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


BAD_PARTNERS = (
    "partner_id,name,type,regency_code,capacity_per_month,venue_capacity,cost_per_event,available_weekdays\n"
    "P1,Mitra Uji,bank,16.71,4,80,abc,1;2\n"
)


def test_cli_bad_import_speaks_the_language_asked_and_writes_nothing(demo_db_path, tmp_path, capsys):
    bad = tmp_path / "partners.csv"
    bad.write_text(BAD_PARTNERS, encoding="utf-8")
    status, out, err = cli(capsys, "--db", str(demo_db_path), "--lang", "en", "import", "partners", str(bad))
    assert status == 2 and "Traceback" not in err
    assert "Row 2, column cost_per_event, value 'abc'" in err and "Fix:" in err and "Nothing was saved" in err
    assert indonesian_words(out + err) == []
    status, _, err_id = cli(capsys, "--db", str(demo_db_path), "import", "partners", str(bad))
    assert status == 2 and "Baris 2, kolom cost_per_event, nilai 'abc'" in err_id and "Perbaikan" in err_id
    assert indonesian_words(err_id)
    # a missing column names the column and how to fix the header
    bad.write_text("partner_id,name,type\nP1,X,bank\n", encoding="utf-8")
    status, _, err = cli(capsys, "--db", str(demo_db_path), "--lang", "en", "import", "partners", str(bad))
    assert status == 2 and "column regency_code" in err and "add a 'regency_code' column" in err
    assert indonesian_words(err) == []
    assert connect(demo_db_path).execute("SELECT COUNT(*) FROM partners WHERE partner_id = 'P1'").fetchone()[0] == 0


def test_cli_errors_of_the_domain_follow_lang(demo_db_path, tmp_path, capsys):
    """Messages raised deep in planner/ (opportunity, accounts, exports) come in English
    with --lang en, and still name the value and the fix."""
    db = str(demo_db_path)
    for argv, english in (
        (["rank", "--province", "99"], "Province code '99' is unknown"),
        (["users", "disable", "nobody"], "User nobody does not exist"),
        (["export", "partners", "--out", str(tmp_path / "p.txt")], "must be a .csv or .xlsx file"),
        (["import", "staff", str(tmp_path / "none.csv")], "does not exist; check its path"),
        (["plans", "ics", "1"], "plans ics needs --staff"),
    ):
        status, out, err = cli(capsys, "--db", db, "--lang", "en", *argv)
        assert status == 2 and english in err, (argv, err)
        assert indonesian_words(out + err) == [], (argv, err)
        status, _, err_id = cli(capsys, "--db", db, *argv)
        assert status == 2 and indonesian_words(err_id), (argv, err_id)


def test_cli_train_prints_english_progress_and_results(demo_db_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLANNER_MODELS", str(tmp_path / "models"))
    db = str(demo_db_path)
    status, out, err = cli(capsys, "--db", db, "--lang", "en", "train", "--folds", "2", "--score")
    assert status == 0, err
    assert "validation" in out and "calibration (predicted → observed, rows):" in out and "businesses rescored in" in out
    assert indonesian_words(out + err) == [], out
    status, out_id, _ = cli(capsys, "--db", db, "train", "--folds", "2", "--score")
    assert status == 0 and "validasi" in out_id and "kalibrasi" in out_id and "dinilai ulang" in out_id
    assert "Perubahan dari m" in out_id  # the second version says what changed
    status, out, _ = cli(capsys, "--db", db, "--lang", "en", "models")
    assert status == 0 and "contacts  AUC" in out and indonesian_words(out) == []
    # numbers stay Indonesian-style in English: thousands with '.', decimals with ','
    status, out, _ = cli(capsys, "--db", db, "--lang", "en", "score")
    assert status == 0 and re.fullmatch(r"\d{1,3}(\.\d{3})* businesses scored with model \S+ in \d+,\d seconds\.", out.splitlines()[0])
    assert int(out.split()[0].replace(".", "")) > 999  # the demo's 3.000 businesses, most not yet enrolled


def test_a_page_opened_with_lang_in_its_address_is_english_from_the_first_run(world):
    """A bookmark or a sign-in in English opens the app with ``?lang=English``: the very
    first run, language selector included, is in English."""
    staff_id, _ = world
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.session_state[SESSION_USER] = _users(staff_id)["manager"]
    at.query_params["lang"] = "English"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="lang").label == "Language" and at.selectbox(key="lang").value == "en"
    assert at.title[0].value.startswith("Opportunity")
