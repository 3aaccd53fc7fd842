"""Browser tests of the planning flows in Debian's Chromium: a manager narrows the target
list on *Sasaran* to a province and downloads it; creates a plan on
*Jadwal*, solves it (the solver runs in a background process while the page shows its
progress), sees the events on the week calendar, opens an event's invitations with a
WhatsApp text; and adds a partner on *Mitra & staf*.

The server runs over a copy of the session's scored demo database (tests/conftest.py),
so there are scores to plan with. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_scored
from tests.test_browser import (  # noqa: F401  (fixtures shared with the first browser module)
    _assert_no_exception,
    _screenshot,
    _settled,
    _sign_in,
    browser,
    page,
    serve,
)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def app_url(scored_db_file, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Streamlit server over a copy of the scored demo database."""
    tmp = tmp_path_factory.mktemp("browser_plan")
    db_path, models = copy_scored(scored_db_file, tmp, "planner.db")
    env = {**os.environ, "PLANNER_DB": str(db_path), "PLANNER_MODELS": str(models), "PYTHONUNBUFFERED": "1"}
    with serve(env, tmp) as url:
        yield url


def _fill_date(page, key: str, ddmmyyyy: str) -> None:
    """Type a date into st.date_input: its field is a row of day/month/year spinbuttons
    (react-aria); typing the digits into the first one moves through the others."""
    page.locator(f".st-key-{key} [role=spinbutton]").first.click()
    page.keyboard.type(ddmmyyyy.replace("/", ""))
    page.keyboard.press("Tab")
    expect(page.locator(f".st-key-{key} input[type=date]")).to_have_value(
        f"{ddmmyyyy[6:]}-{ddmmyyyy[3:5]}-{ddmmyyyy[:2]}")


def test_manager_solves_a_plan_and_sees_events_on_the_calendar(page, app_url: str) -> None:
    _sign_in(page, app_url)
    page.locator("[data-testid=stSidebarNav] a", has_text="Jadwal").click()
    expect(page.get_by_role("heading", name="Jadwal sosialisasi")).to_be_visible()
    expect(page.get_by_text("Belum ada rencana")).to_be_visible()
    _settled(page)

    page.locator(".st-key-jadwal_new_name input").fill("Sumsel Januari 2027")
    _fill_date(page, "jadwal_new_start", "04/01/2027")
    _fill_date(page, "jadwal_new_end", "29/01/2027")
    budget = page.locator(".st-key-jadwal_new_budget input")
    budget.fill("40")  # Rp juta
    provinces = page.locator(".st-key-jadwal_new_provinces")
    provinces.click()
    page.get_by_role("option", name=re.compile(r"^16 · Sumatera Selatan")).click()
    page.keyboard.press("Escape")
    page.locator(".st-key-jadwal_new_time input").fill("10")
    page.get_by_role("button", name="Simpan rencana").click()
    expect(page.get_by_text("belum disusun")).to_be_visible()
    expect(page.get_by_role("combobox", name="Rencana")).to_have_value(re.compile("Sumsel Januari 2027"))

    page.get_by_role("button", name="Susun jadwal").click()
    # the solve runs in another process: the page shows its progress, then the result
    events_metric = page.locator("[data-testid=stMetric]", has=page.locator("[data-testid=stMetricLabel]", has_text=re.compile("^Acara$")))
    expect(events_metric).to_be_visible(timeout=120_000)
    _settled(page)
    count = events_metric.locator("[data-testid=stMetricValue]").inner_text()
    assert int(count.replace(".", "")) > 0
    expect(page.get_by_text("Anggaran terpakai")).to_be_visible()  # the plan explains itself

    calendar = page.locator("table.jk-cal")
    expect(calendar).to_be_visible()
    expect(calendar.locator("thead th").nth(1)).to_have_text(re.compile(r"^Sen \d\d/01$"))
    # some week of the plan has events: step through the weeks until the calendar shows one
    week = page.get_by_role("combobox", name="Minggu")
    for i in range(5):
        if calendar.locator(".ev").count() > 0:
            break
        week.click()
        options = page.get_by_role("option")
        if i + 1 >= options.count():
            break
        options.nth(i + 1).click()
        _settled(page)
    cards = calendar.locator(".ev")
    assert cards.count() > 0
    assert re.search(r" · \+\d+,\d$", cards.first.inner_text())  # partner · staff · +expected workers
    _assert_no_exception(page)
    _screenshot(page, "jadwal_kalender")

    page.get_by_role("tab", name="Acara & undangan").click()
    expect(page.locator("[data-testid=stCode]").first).to_contain_text("Yth. Bapak/Ibu")
    expect(page.get_by_role("button", name="Kunci acara")).to_be_visible()
    _assert_no_exception(page)
    _screenshot(page, "jadwal_undangan")


def test_manager_adds_a_partner_and_sees_the_fix_for_a_missing_name(page, app_url: str) -> None:
    _sign_in(page, app_url)
    page.locator("[data-testid=stSidebarNav] a", has_text="Mitra & staf").click()
    expect(page.get_by_role("heading", name="Mitra & staf")).to_be_visible()
    _settled(page)
    page.locator(".st-key-mitra_pid_new input").fill("M16-777")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tidak disimpan")).to_be_visible()
    expect(page.locator("[data-testid=stDataFrame]", has=page.locator("[role=columnheader]", has_text="Perbaikan"))).to_be_visible()
    page.locator(".st-key-mitra_name_new input").fill("Koperasi Uji Peramban")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("M16-777 ditambahkan")).to_be_visible()
    _assert_no_exception(page)
    _screenshot(page, "mitra")


def test_manager_filters_targets_to_a_province_and_downloads_them_as_xlsx(page, app_url: str, tmp_path: Path) -> None:
    import openpyxl

    _sign_in(page, app_url)
    page.locator("[data-testid=stSidebarNav] a", has_text="Sasaran").click()
    expect(page.get_by_role("heading", name=re.compile("^Sasaran"))).to_be_visible()
    _settled(page)
    caption = page.get_by_text(re.compile(r"usaha cocok; [\d.]+ teratas ditampilkan"))
    expect(caption).to_be_visible()
    everyone = int(re.match(r"([\d.]+) usaha", caption.inner_text()).group(1).replace(".", ""))

    page.locator(".st-key-sasaran_province").click()
    page.get_by_role("option", name=re.compile(r"^16 · Sumatera Selatan")).click()
    expect(caption).not_to_have_text(re.compile(rf"^{everyone:,}".replace(",", r"\.") + " usaha"))
    _settled(page)
    in_province = int(re.match(r"([\d.]+) usaha", caption.inner_text()).group(1).replace(".", ""))
    assert 0 < in_province < everyone

    # The file is built when the button is clicked, with the filters the page shows.
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh XLSX").click()
    path = tmp_path / "sasaran.xlsx"
    dl.value.save_as(path)
    assert dl.value.suggested_filename == "sasaran.xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == in_province
    assert {r[header.index("province")] for r in body} == {"Sumatera Selatan"}
    uplift = [r[header.index("uplift")] for r in body]
    assert uplift == sorted(uplift, reverse=True)  # the default order: uplift, largest first
    _assert_no_exception(page)
    _screenshot(page, "sasaran_sumsel")
