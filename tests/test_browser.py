"""Browser tests: the real app (``streamlit run``) driven by Debian's Chromium through Playwright.

Why a browser as well as AppTest: AppTest never renders. Only a browser shows that the
ranking table really draws 38 provinces with Indonesian number formats, that a file can
be uploaded through the form, and that the page does not crash in the frontend.

One Streamlit server per module, on a free port, over a throw-away demo database made by
the CLI (``python -m planner init --demo``), so ``data/planner.db`` is never touched.

``st.dataframe`` draws on a canvas. Its cells are also in an accessible DOM table
(``[role=gridcell]``), but that table holds the *raw* values (``18560221``,
``0.4991...``), not what the canvas shows; so the displayed text is read by recording
every ``fillText`` call on a canvas (an init script), and compared with the raw cells.

Screenshots go to ``test-artifacts/`` (git-ignored) for a human to look at.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner import serve as servemod
from planner.errors import PlannerError

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT = 60  # seconds for the server to answer /_stcore/health
UI_TIMEOUT = 30_000  # ms for one element to appear
VIEWPORT = {"width": 1400, "height": 1000}

# Indonesian thousands grouping, as the app promises (1.234.567).
ID_INT = re.compile(r"^\d{1,3}(\.\d{3})+$")
# What a number looks like when it was *not* formatted: 18560221 or 0.49917525227743786.
RAW_NUMBER = re.compile(r"^-?\d{5,}$|^-?\d+\.\d{4,}$")

if not CHROMIUM.exists():
    # In CI (.ci/run installs chromium) a missing browser is a failure, not a skip.
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
expect.set_options(timeout=15_000)  # a slow CI runner needs more than the default 5 s

# Records the text of every fillText on any canvas: what the data grid really displays.
CANVAS_TEXT_HOOK = """
(() => {
  const seen = new Set();
  window.__canvasText = seen;
  const orig = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    seen.add(String(text));
    return orig.call(this, text, ...rest);
  };
})();
"""

# Rows of an accessible grid table: a list of the cell texts of each body row.
READ_GRID_JS = """
grid => Array.from(grid.querySelectorAll('[role=row]'))
  .map(r => Array.from(r.querySelectorAll('[role=gridcell]')).map(c => c.textContent.trim()))
  .filter(cells => cells.length > 0)
"""
READ_HEADERS_JS = """
grid => Array.from(grid.querySelectorAll('[role=columnheader]')).map(c => c.textContent.trim())
"""


# --------------------------------------------------------------------------- fixtures
@contextlib.contextmanager
def serve(env: dict[str, str], tmp: Path) -> Iterator[str]:
    """``streamlit run streamlit_app.py`` on a free port of 127.0.0.1 with ``env``
    (``planner.serve.start_app``); yields its URL once ``/_stcore/health`` answers, and
    stops the server afterwards. The log goes to ``tmp/streamlit.log`` and is shown when
    the server does not come up."""
    try:
        proc, url = servemod.start_app(env, tmp / "streamlit.log", timeout=STARTUP_TIMEOUT)
    except PlannerError as exc:
        pytest.fail(str(exc))
    try:
        yield url
    finally:
        servemod.stop_app(proc)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Streamlit server over a fresh 3.000-business demo database; yields its URL."""
    tmp = tmp_path_factory.mktemp("browser")
    db_path = tmp / "planner.db"
    env = {**os.environ, "PLANNER_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
    init = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db_path), "init", "--demo", "--businesses", "3000"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert init.returncode == 0, f"demo database not created:\n{init.stdout}\n{init.stderr}"

    with serve(env, tmp) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser, app_url: str) -> Iterator[object]:
    """A fresh page; requests leaving 127.0.0.1 are refused (CI may be offline, and the
    test must not wait on DNS); uncaught frontend errors fail the test."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(UI_TIMEOUT)
    context.add_init_script(CANVAS_TEXT_HOOK)
    # (The only such request today is the favicon: page_icon=":material/..." is fetched
    # from fonts.gstatic.com.)
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:)"), lambda route: route.abort())
    pg = context.new_page()
    js_errors: list[str] = []
    pg.on("pageerror", lambda exc: js_errors.append(str(exc)))
    try:
        yield pg
        assert not js_errors, f"uncaught errors in the page: {js_errors}"
    finally:
        context.close()


# --------------------------------------------------------------------------- helpers
def _screenshot(pg, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to it."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = pg.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]'), e => e.scrollHeight), 600)"
    )
    pg.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 40, 8000)})
    pg.wait_for_timeout(500)  # charts re-lay out after the resize
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path))
    pg.set_viewport_size(VIEWPORT)
    return path


def _assert_no_exception(pg) -> None:
    exc = pg.locator("[data-testid=stException]")
    assert exc.count() == 0, f"the app shows a traceback:\n{exc.first.inner_text()}"


def _read_grid(pg, grid, key_column: int, want_rows: int) -> list[list[str]]:
    """Body rows of a data grid's accessible table. The grid is virtualised: if some rows
    are not in the DOM, scroll it with the wheel and collect rows until none are new."""
    rows: dict[str, list[str]] = {}
    for attempt in range(40):
        before = len(rows)
        for cells in grid.evaluate(READ_GRID_JS):
            rows.setdefault(cells[key_column], cells)
        if len(rows) >= want_rows or (attempt > 0 and len(rows) == before):
            break
        grid.hover()
        pg.mouse.wheel(0, 400)
        pg.wait_for_timeout(150)
    return list(rows.values())


def _province_names() -> list[str]:
    with open(ROOT / "data" / "provinces.csv", newline="", encoding="utf-8") as f:
        return [r["name_common"] for r in csv.DictReader(f)]


def _id_int(raw: str) -> str:
    return f"{int(float(raw)):,}".replace(",", ".")


def _dataframe(pg, column: str):
    """The st.dataframe with this column header (dataframes get no st-key-* class)."""
    return pg.locator("[data-testid=stDataFrame]", has=pg.locator("[role=columnheader]", has_text=column))


def _metric(pg, label: str):
    """The value of the metric with this label, ignoring a stale copy left from the last run."""
    fresh = pg.locator("[data-testid=stElementContainer]:not([data-stale=true]) [data-testid=stMetric]")
    return fresh.filter(has=pg.locator("[data-testid=stMetricLabel]", has_text=label)).locator("[data-testid=stMetricValue]")


def _settled(pg) -> None:
    """Wait until the script run is over. While it runs, elements of the previous run stay
    on the page (stale) next to new ones, so the same metric can be there twice."""
    pg.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(state="attached")


# --------------------------------------------------------------------------- tests
def _sign_in(page, app_url: str, username: str = "manajer") -> None:
    """Sign in through the real form (the server sets the session cookie)."""
    page.goto(app_url.rstrip("/") + "/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("jangkau-demo")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/$"))


def test_sign_in_survives_a_reload_and_sign_out_ends_it(page, app_url: str) -> None:
    page.goto(app_url)  # no session: the server sends the browser to the login form
    page.wait_for_url(re.compile(r"/masuk$"))
    expect(page.get_by_role("heading", name="Akun demo")).to_be_visible()  # demo mode lists the demo accounts
    page.get_by_label("Nama pengguna").fill("manajer")
    page.get_by_label("Kata sandi").fill("salah-sandi")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("salah")
    _sign_in(page, app_url)
    expect(page.get_by_text("Masuk sebagai Manajer Kampanye")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "jangkau_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("jangkau_session") < 0  # page scripts cannot read it
    page.reload()
    expect(page.get_by_text("Masuk sebagai Manajer Kampanye")).to_be_visible()
    expect(page.locator("[data-testid=stSidebarNav] a", has_text="Pengguna")).to_have_count(0)  # not for managers
    page.get_by_role("link", name="Keluar").click()
    page.wait_for_url(re.compile(r"/masuk$"))
    page.goto(app_url)
    page.wait_for_url(re.compile(r"/masuk$"))  # the old cookie no longer opens the app


def test_the_first_start_creates_the_demo_world_and_leads_to_sign_in(browser, tmp_path) -> None:
    """The README's first command on a fresh machine: no database yet. The first page
    creates the demo world, says so, and leads to the sign-in form."""
    db_path = tmp_path / "fresh" / "planner.db"
    env = {**os.environ, "PLANNER_DB": str(db_path), "PLANNER_MODELS": str(tmp_path / "models"), "PYTHONUNBUFFERED": "1"}
    with serve(env, tmp_path) as url:
        context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
        context.set_default_timeout(UI_TIMEOUT)
        try:
            pg = context.new_page()
            pg.goto(url)
            link = pg.get_by_role("link", name="Masuk")
            expect(link).to_be_visible(timeout=120_000)  # the demo world takes seconds
            assert db_path.exists() and not (db_path.parent / "planner.db.building").exists()
            assert not (db_path.parent / "planner.db.building.lock").exists()
            link.click()
            pg.wait_for_url(re.compile(r"/masuk$"))
            expect(pg.get_by_role("heading", name="Akun demo")).to_be_visible()
            pg.get_by_label("Nama pengguna").fill("pimpinan")
            pg.get_by_label("Kata sandi").fill("jangkau-demo")
            pg.get_by_role("button", name="Masuk").click()
            pg.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/$"))
            expect(pg.get_by_role("heading", name=re.compile("^Proyeksi"))).to_be_visible()  # leadership starts on the projection
            expect(pg.get_by_text("Data demo")).to_be_visible()
            _assert_no_exception(pg)
            # Meanwhile the model is trained and a plan made and reported in the background,
            # with its progress on every page; once done, the newcomer can plan at once.
            expect(pg.get_by_text("Menyiapkan dunia demo di latar belakang")).to_be_visible()
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                pg.goto(url + "/sasaran")
                expect(pg.get_by_role("heading", name=re.compile("^Sasaran"))).to_be_visible()  # the page has run, not just loaded
                _settled(pg)
                try:  # still building if the notice shows within a few seconds (elements render after the run's state changes)
                    pg.get_by_text("Menyiapkan dunia demo di latar belakang").first.wait_for(state="visible", timeout=5000)
                except sync_api.TimeoutError:
                    break
                pg.wait_for_timeout(3000)
            import sqlite3

            con = sqlite3.connect(db_path)
            job = con.execute("SELECT job_id, status, error FROM jobs WHERE kind = 'demo_history' ORDER BY job_id DESC LIMIT 1").fetchone()
            con.close()
            log = (db_path.parent / "logs" / f"job-{job[0]}.log").read_text(errors="replace")[-3000:] if job else ""
            assert job and job[1] == "done", f"the first start's background job did not finish: {job}\n{log}"
            expect(pg.get_by_role("heading", name=re.compile("^Sasaran"))).to_be_visible()
            expect(pg.get_by_text("Belum ada skor")).to_have_count(0)
            expect(pg.locator("[data-testid=stDataFrame]").first).to_be_visible()
            pg.goto(url + "/jadwal")
            _settled(pg)
            expect(pg.get_by_text("Terbit").or_(pg.get_by_text("diterbitkan")).first).to_be_visible()
            _assert_no_exception(pg)
            assert not list((db_path.parent / "jobs").glob("*.input")) if (db_path.parent / "jobs").exists() else True
        finally:
            context.close()


def test_english_is_kept_from_sign_in_through_filters_and_a_reload(page, app_url: str) -> None:
    page.goto(app_url.rstrip("/") + "/masuk")
    page.get_by_role("link", name="English").click()
    page.get_by_label("User name").fill("manajer")
    page.get_by_label("Password").fill("jangkau-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/\?lang=English$"))
    expect(page.get_by_role("heading", name=re.compile("^Opportunity"))).to_be_visible()
    _settled(page)
    page.locator(".st-key-peluang_level").get_by_text("Regency/city").click()
    _settled(page)
    page.locator(".st-key-peluang_province").click()
    page.get_by_role("option", name=re.compile(r"^16 · Sumatera Selatan")).click()
    _settled(page)
    grid = _dataframe(page, "Name")
    expect(grid.locator("[role=row]")).to_have_count(18)  # header + 17 regencies of Sumatera Selatan

    # Bahasa Indonesia: the choices stay (by value, although every label changed).
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").click()
    page.get_by_role("option", name="Bahasa Indonesia").click()
    expect(page.get_by_role("heading", name=re.compile("^Peluang"))).to_be_visible()
    _settled(page)
    expect(page.locator(".st-key-peluang_level input:checked")).to_have_count(1)
    expect(page.locator(".st-key-peluang_level label", has=page.locator("input:checked"))).to_have_text("Kabupaten/kota")
    expect(page.get_by_role("combobox", name="Provinsi")).to_have_value(re.compile(r"^16 · Sumatera Selatan"))
    expect(_dataframe(page, "Nama").locator("[role=row]")).to_have_count(18)

    # English again, then a reload: the address keeps the language.
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").click()
    page.get_by_role("option", name="English").click()
    page.wait_for_url(re.compile(r"lang=English"))
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("^Opportunity"))).to_be_visible()
    _assert_no_exception(page)


def test_peluang_lists_all_38_provinces_in_indonesian_numbers(page, app_url: str) -> None:
    provinces = _province_names()
    assert len(provinces) == 38

    _sign_in(page, app_url)
    grid = _dataframe(page, "Nama")
    # The accessible table is present but not "visible" (it sits under the canvas).
    grid.locator("[role=gridcell]").first.wait_for(state="attached")
    expect(page.get_by_role("heading", name=re.compile("^Peluang"))).to_be_visible()
    expect(grid.locator("[role=row]")).to_have_count(39)  # header + every province
    _settled(page)
    headers = grid.evaluate(READ_HEADERS_JS)
    name_col, eligible_col = headers.index("Nama"), headers.index("Pekerja layak")

    rows = _read_grid(page, grid, key_column=name_col, want_rows=len(provinces))
    shown = [r[name_col] for r in rows]
    missing = sorted(set(provinces) - set(shown))
    assert not missing, f"provinces missing from the table: {missing}"
    assert sorted(shown) == sorted(provinces), "the table lists a province twice or one that does not exist"

    # What the canvas drew: every province's eligible workers, the Indonesian way.
    page.wait_for_function("() => window.__canvasText && window.__canvasText.has('Jawa Barat')")
    drawn = set(page.evaluate("() => Array.from(window.__canvasText)"))
    eligible = {r[name_col]: r[eligible_col] for r in rows}
    assert all(re.fullmatch(r"\d+", v) for v in eligible.values()), eligible
    not_drawn = {name: _id_int(v) for name, v in eligible.items() if _id_int(v) not in drawn}
    assert not not_drawn, f"eligible workers not drawn as 1.234.567: {not_drawn}"
    assert any(ID_INT.fullmatch(t) for t in drawn)
    raw = sorted(t for t in drawn if RAW_NUMBER.fullmatch(t))
    assert not raw, f"the table shows unformatted numbers: {raw[:10]}"
    assert any(re.fullmatch(r"\d{1,2},\d%", t) for t in drawn), "coverage is not drawn as 49,9%"

    # The headline metrics and the bar chart's axis follow the same convention.
    for label in ("Pekerja layak", "Terlindungi", "Belum terdaftar"):
        expect(_metric(page, label)).to_have_text(ID_INT)
    expect(_metric(page, "Cakupan")).to_have_text(re.compile(r"^\d{1,2},\d%$"))
    charts = page.locator("[data-testid=stVegaLiteChart]")
    expect(charts).to_have_count(2)  # bars, then the map
    bars, province_map = charts.nth(0), charts.nth(1)
    expect(bars.locator("svg text").filter(has_text=ID_INT).first).to_be_attached()

    # Every bar keeps its province label (Vega hides labels that overlap: it once showed
    # only every other province).
    expect(bars.locator("g.role-axis-label text", has_text="Jawa Barat")).to_be_attached()
    labels = bars.evaluate(
        "c => Array.from(c.querySelectorAll('g.role-axis-label text'), t => [t.textContent, t.getAttribute('opacity')])"
    )
    named = {text: opacity for text, opacity in labels if text in provinces}
    assert len(named) >= 20, f"bar chart labels: {labels}"
    hidden = sorted(text for text, opacity in named.items() if opacity == "0")
    assert not hidden, f"bars without a visible province label: {hidden}"

    # One labelled square per province, all inside the map, every short name drawn on its
    # square and no two names overlapping: the map reads without hovering.
    tiles = province_map.locator("g.mark-rect.role-mark path")
    expect(tiles).to_have_count(len(provinces))
    outside = province_map.evaluate(
        """c => {
          const box = c.querySelector('svg').getBoundingClientRect();
          return Array.from(c.querySelectorAll('g.mark-rect.role-mark path')).filter(p => {
            const b = p.getBoundingClientRect();
            return b.left < box.left || b.right > box.right || b.top < box.top || b.bottom > box.bottom;
          }).length;
        }"""
    )
    assert outside == 0, f"{outside} of {len(provinces)} province squares lie outside the map"
    from planner.reference import province_tiles

    short = {t["label"] for t in province_tiles()}
    boxes = province_map.evaluate(
        "c => Array.from(c.querySelectorAll('g.mark-text.role-mark text'), t => { const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.right, b.top, b.bottom]; })"
    )
    names = [b for b in boxes if b[0] in short]
    assert sorted(b[0] for b in names) == sorted(short), boxes
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert a[2] <= b[1] or b[2] <= a[1] or a[4] <= b[3] or b[4] <= a[3], f"map labels overlap: {a} {b}"
    values = [b[0] for b in boxes if b[0] not in short]
    assert len(values) == len(provinces) and all(re.fullmatch(r"\d+(,\d)? (jt|rb)|\d+", v) for v in values), values

    _assert_no_exception(page)
    _screenshot(page, "peluang")


BUSINESS_HEADER = "business_id,name,regency_code,sector,size_class,workers,founded_year,has_nib,kur_recipient,coop_member,digital_payments,enrolled\n"


def _upload(page, name: str, text: str) -> None:
    """Choose a file and wait until the browser has sent it (the form submit only sends
    the file's id, so submitting before the upload finished would submit nothing)."""
    sent = lambda r: "/_stcore/upload_file/" in r.url and r.request.method == "PUT"  # noqa: E731
    with page.expect_response(sent) as response:
        page.locator(".st-key-impor_file input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
        )
    assert response.value.ok, f"upload failed: HTTP {response.value.status}"
    expect(page.locator(".st-key-impor_file [data-testid=stFileChipName]")).to_have_text(name)


def test_impor_rejects_a_bad_file_then_imports_a_good_one(page, app_url: str) -> None:
    _sign_in(page, app_url)
    page.locator("[data-testid=stSidebarNav] a", has_text="Impor data").click()
    submit = page.get_by_role("button", name="Periksa dan impor")
    expect(submit).to_be_visible()
    expect(page).to_have_url(re.compile(r"/impor$"))

    kind = page.get_by_role("combobox", name="Jenis data")
    kind.click()
    page.get_by_role("option", name="Usaha", exact=True).click()
    expect(kind).to_have_value("Usaha")
    expect(page.locator("code", has_text="business_id")).to_be_visible()
    _settled(page)
    expect(_metric(page, "Usaha")).to_have_text("3.000")

    # A bad file: unknown regency and a non-number; nothing may be saved.
    bad = BUSINESS_HEADER + "UJI-0001,Warung Uji Rusak,99.99,G,mikro,abc,2015,1,0,0,1,0\n"
    _upload(page, "usaha_rusak.csv", bad)
    submit.click()
    error = page.locator("[data-testid=stAlertContentError]")
    expect(error).to_contain_text("Berkas ditolak: 2 kesalahan")
    expect(error).to_contain_text("Tidak ada data yang disimpan")
    _settled(page)
    issues = _dataframe(page, "Masalah")
    expect(issues.locator("[role=row]")).to_have_count(3)  # header + one row per problem
    headers = issues.evaluate(READ_HEADERS_JS)
    assert headers == ["Baris", "Kolom", "Nilai", "Masalah", "Perbaikan"], headers
    problems = {tuple(r[:4]) for r in issues.evaluate(READ_GRID_JS)}
    assert problems == {
        ("2", "regency_code", "99.99", "kode kabupaten/kota Kemendagri tidak dikenal"),
        ("2", "workers", "abc", "bukan bilangan bulat"),
    }, problems
    expect(_metric(page, "Usaha")).to_have_text("3.000")
    _assert_no_exception(page)
    _screenshot(page, "impor_ditolak")

    # A good file (the compact regency code 1671 is accepted for 16.71).
    good = BUSINESS_HEADER + "UJI-0002,Warung Uji Baik,1671,G,mikro,4,2015,1,0,0,1,0\n"
    _upload(page, "usaha_baik.csv", good)
    submit.click()
    ok = page.locator("[data-testid=stAlertContentSuccess]")
    expect(ok).to_contain_text("1 baris diimpor: 1 baru, 0 diperbarui, 0 tidak berubah")
    _settled(page)
    expect(page.locator("[data-testid=stAlertContentError]")).to_have_count(0)
    expect(_metric(page, "Usaha")).to_have_text("3.001")
    # The import history lists the file (its headers are not translated yet, so find it by the cell).
    expect(page.locator("[data-testid=stDataFrame] [role=gridcell]", has_text="usaha_baik.csv")).to_be_attached()
    _assert_no_exception(page)
    _screenshot(page, "impor_berhasil")


def test_an_error_shows_an_incident_number_and_no_traceback_or_path(browser, tmp_path) -> None:
    """Break the database under a running app (a table disappears) and open a page: the
    person sees an apology with a number, never a traceback or a server path; the server
    log has the traceback under that number."""
    import sqlite3

    db_path = tmp_path / "planner.db"
    env = {**os.environ, "PLANNER_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
    init = subprocess.run([sys.executable, "-m", "planner", "--db", str(db_path), "init", "--demo", "--businesses", "600"],
                          cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    with serve(env, tmp_path) as url:
        context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
        context.set_default_timeout(UI_TIMEOUT)
        try:
            pg = context.new_page()
            _sign_in(pg, url)
            expect(pg.get_by_text("Masuk sebagai Manajer Kampanye")).to_be_visible()
            con = sqlite3.connect(db_path)
            # The table every page reads on each rerun (its data versions; what it shows comes
            # from caches keyed by them), so the very next rerun meets the broken database.
            con.execute("ALTER TABLE data_versions RENAME TO data_versions_gone")
            con.commit()
            con.close()
            pg.reload()
            alert = pg.locator("[data-testid=stAlertContentError]").filter(has_text="nomor kejadian")
            expect(alert).to_be_visible()
            _settled(pg)
            _assert_no_exception(pg)
            text = pg.locator("[data-testid=stApp]").inner_text()
            assert "Traceback" not in text and "OperationalError" not in text
            assert str(ROOT) not in text and str(tmp_path) not in text and ".py" not in text
            number = re.search(r"nomor kejadian ([0-9A-F]{6})", alert.inner_text()).group(1)
            _screenshot(pg, "incident")
        finally:
            context.close()
    log = (tmp_path / "streamlit.log").read_text(errors="replace")
    assert f"incident {number}" in log and "Traceback" in log
