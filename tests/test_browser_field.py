"""Browser test of the field loop in Debian's Chromium: a staff member signs in, finds the
event on *Agenda*, reports it on *Laporan* through the form (an invitee ticked present and
registered, a walk-in added as a new business), and a manager then sees the event's actual
figures on *Jadwal*. The database is checked as well, so the test fails if the page only
pretended to save.

The server runs over a database made by the CLI (``init --demo --field``): a published
plan around today in provinces 16 and 63 with a field history, where ``staf.sumsel`` has
at least one past event without a report.

How the report form's ``st.data_editor`` is driven (glide-data-grid draws on a canvas):
- the grid's accessible table (``[role=columnheader]``, ``tr[aria-rowindex]``,
  ``td[aria-colindex]``, ``aria-selected``) says which cell is selected and what each
  cell holds; it holds only the columns scrolled into view;
- a cell is selected by clicking the first column of its row inside the canvas (rows
  are 35 px, under a 35 px header), waiting until the accessible table marks that cell
  selected, then pressing ArrowRight up to the wanted column;
- a checkbox is toggled with Space; text and numbers are typed after Enter opens the
  cell's editor (``.gdg-input``) and committed with Enter; a Selectbox column opens a
  list on Enter, is filtered by typing and chosen with Enter;
- the accessible table redraws a toggled checkbox only when the selection changes, so
  Escape (clear the selection) comes before reading it back;
- a dynamic editor gets a new row by clicking its trailing empty row, which opens the
  editor of the row's first cell.

Screenshots go to ``test-artifacts/`` for a human to look at.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.i18n import WIB, fmt_date, fmt_int, t
from planner.reporting.agenda import RECENT_DAYS
from tests.test_browser import (  # noqa: F401  (fixtures shared with the first browser module)
    READ_GRID_JS,
    READ_HEADERS_JS,
    _assert_no_exception,
    _metric,
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

STAFF_USER, STAFF_ID = "staf.sumsel", "S16-01"
ROW_PX = 35  # st.data_editor / st.dataframe row and header height
WALK_IN = {"name": "Warung Uji Peramban", "regency": "16.71 · Kota Palembang", "sector": "G", "size": "mikro", "workers": "3"}
ATTENDANCE = 5


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def field_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A 3.000-business demo database with a published plan and its field history, made
    by the CLI; returns its path and the environment for the server (own model folder)."""
    tmp = tmp_path_factory.mktemp("browser_field")
    db_path = tmp / "planner.db"
    env = {**os.environ, "PLANNER_DB": str(db_path), "PLANNER_MODELS": str(tmp / "models"), "PYTHONUNBUFFERED": "1"}
    init = subprocess.run(
        [sys.executable, "-m", "planner", "--db", str(db_path), "init", "--demo", "--businesses", "3000", "--field"],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert init.returncode == 0, f"field demo database not created:\n{init.stdout}\n{init.stderr}"
    return db_path, env


@pytest.fixture(scope="module")
def app_url(field_db) -> Iterator[str]:
    db_path, env = field_db
    with serve(env, db_path.parent) as url:
        yield url


def _query(db_path: Path, sql: str, params=()) -> list[tuple]:
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# --------------------------------------------------------------------------- the data grid
HEADER_INDEX_JS = """
g => Object.fromEntries(Array.from(g.querySelectorAll('[role=columnheader]'),
                                   c => [c.textContent.trim(), +c.getAttribute('aria-colindex')]))
"""
ROWS_BY_INDEX_JS = """
g => Array.from(g.querySelectorAll('tbody tr[aria-rowindex]'), r => [+r.getAttribute('aria-rowindex'),
     Object.fromEntries(Array.from(r.querySelectorAll('td[aria-colindex]'), c => [+c.getAttribute('aria-colindex'), c.textContent]))])
"""


def _col(grid, column: str) -> int:
    """The aria-colindex of a column (it must be scrolled into view)."""
    index = grid.evaluate(HEADER_INDEX_JS)
    assert column in index, f"column {column!r} not in view: {sorted(index)}"
    return index[column]


def _cell(grid, row: int, column: str):
    """A body cell of the accessible table; ``row`` counts from 0."""
    return grid.locator(f"tbody tr[aria-rowindex='{row + 2}'] td[aria-colindex='{_col(grid, column)}']")


def _select_cell(pg, grid, row: int, column: str) -> None:
    """Select one cell with the mouse and the arrow keys (see the module docstring)."""
    first = min(grid.evaluate(HEADER_INDEX_JS).values())
    target = _col(grid, column)
    pg.keyboard.press("Escape")  # leave any cell editor and clear the selection
    grid.scroll_into_view_if_needed()
    box = grid.locator("canvas").first.bounding_box()
    pg.mouse.click(box["x"] + 60, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)  # first column is "Nama usaha", wide
    expect(grid.locator(f"tbody tr[aria-rowindex='{row + 2}'] td[aria-colindex='{first}']")).to_have_attribute("aria-selected", "true")
    for _ in range(target - first):
        pg.keyboard.press("ArrowRight")
    expect(_cell(grid, row, column)).to_have_attribute("aria-selected", "true")


def _tick(pg, grid, row: int, column: str) -> None:
    _select_cell(pg, grid, row, column)
    expect(_cell(grid, row, column)).to_have_text("false")
    pg.keyboard.press("Space")
    pg.keyboard.press("Escape")  # the accessible table shows the new value once the selection changes
    expect(_cell(grid, row, column)).to_have_text("true")


def _type(pg, grid, row: int, column: str, text: str) -> None:
    _select_cell(pg, grid, row, column)
    pg.keyboard.press("Enter")
    editor = pg.locator(".gdg-input")
    editor.fill(text)
    pg.keyboard.press("Enter")
    expect(editor).to_have_count(0)
    expect(_cell(grid, row, column)).to_have_text(text)


def _choose(pg, grid, row: int, column: str, typed: str, option: str | re.Pattern) -> None:
    """Pick an option of a Selectbox column: Enter opens the list, typing filters it."""
    _select_cell(pg, grid, row, column)
    pg.keyboard.press("Enter")
    expect(pg.get_by_role("option").first).to_be_visible()
    pg.keyboard.type(typed)
    expect(pg.get_by_role("option")).to_have_count(1)
    expect(pg.get_by_role("option")).to_have_text(option)
    pg.keyboard.press("Enter")
    expect(pg.get_by_role("option")).to_have_count(0)
    expect(_cell(grid, row, column)).to_have_text(option)


def _add_row(pg, grid, rows_now: int, first_value: str) -> None:
    """Add a row to a dynamic editor by clicking its trailing empty row, and type the
    row's first cell into the editor that opens."""
    grid.scroll_into_view_if_needed()
    box = grid.locator("canvas").first.bounding_box()
    pg.mouse.click(box["x"] + 60, box["y"] + ROW_PX * (rows_now + 1) + ROW_PX / 2)
    editor = pg.locator(".gdg-input")
    expect(editor).to_be_visible()
    editor.fill(first_value)
    pg.keyboard.press("Enter")
    expect(editor).to_have_count(0)
    expect(grid.locator("tbody tr")).to_have_count(rows_now + 1)


def _pinned(pg, header: str):
    """The st.dataframe showing ``header`` now, by its position on the page: a locator that
    still finds it once that column has been scrolled out of view (and out of the DOM)."""
    grids = pg.locator("[data-testid=stDataFrame]")
    grids.filter(has=pg.locator("[role=columnheader]", has_text=header)).first.wait_for(state="attached")
    found = grids.evaluate_all(
        "(gs, header) => gs.findIndex(g => Array.from(g.querySelectorAll('[role=columnheader]')).some(h => h.textContent.trim() === header))",
        header,
    )
    assert found >= 0, header
    return grids.nth(found)


SCROLLED_JS = "g => { const s = g.querySelector('.dvn-scroller'); return s.scrollLeft + ',' + s.scrollTop; }"
IN_VIEW_JS = """
g => Array.from(g.querySelectorAll('[role=columnheader]'), c => c.getAttribute('aria-colindex')).join(',') + '/'
     + Array.from(g.querySelectorAll('tbody tr[aria-rowindex]'), r => r.getAttribute('aria-rowindex')).join(',')
"""


def _wheel(pg, grid, dx: int, dy: int) -> bool:
    """Scroll a grid with the mouse wheel; False when it did not move (the end). The
    accessible table follows the view a few hundred ms later: wait until the columns or
    rows in it change (a step may bring no new column in, so not forever)."""
    moved, shown = grid.evaluate(SCROLLED_JS), grid.evaluate(IN_VIEW_JS)
    grid.hover()
    pg.mouse.wheel(dx, dy)
    try:
        pg.wait_for_function(f"([g, before]) => ({SCROLLED_JS})(g) !== before", arg=[grid.element_handle(), moved], timeout=5000)
    except sync_api.TimeoutError:
        return False
    with contextlib.suppress(sync_api.TimeoutError):
        pg.wait_for_function(f"([g, before]) => ({IN_VIEW_JS})(g) !== before", arg=[grid.element_handle(), shown], timeout=3000)
    return True


def _scroll_right_to(pg, grid, columns: list[str]) -> dict[str, int]:
    """Scroll a grid right until ``columns`` are in view; their aria-colindex."""
    grid.scroll_into_view_if_needed()
    while True:
        index = grid.evaluate(HEADER_INDEX_JS)
        if all(c in index for c in columns):
            return index
        assert _wheel(pg, grid, 200, 0), f"columns {columns} never came into view: {sorted(index)}"


def _row_cells(pg, grid, key_column: str, key: str, columns: list[str]) -> dict[str, str]:
    """The cells ``columns`` of the row whose ``key_column`` is ``key`` in a read-only
    grid that scrolls both ways: scroll down until the row is in view, then right until
    the columns are (the key column may then leave the DOM; the row index stays)."""
    grid.scroll_into_view_if_needed()
    key_col = str(_col(grid, key_column))
    while True:
        rows = grid.evaluate(ROWS_BY_INDEX_JS)
        row_index = next((i for i, cells in rows if cells.get(key_col) == key), None)
        if row_index:
            break
        assert _wheel(pg, grid, 0, ROW_PX * 3), f"no row with {key_column} = {key}: {rows}"
    index = _scroll_right_to(pg, grid, columns)
    row = dict(grid.evaluate(ROWS_BY_INDEX_JS)).get(row_index, {})
    return {c: row.get(str(index[c]), "") for c in columns}


def _no_error_shown(pg) -> None:
    _settled(pg)
    _assert_no_exception(pg)
    text = pg.locator("[data-testid=stApp]").inner_text()
    assert "Traceback" not in text and "nomor kejadian" not in text, text[-2000:]


# --------------------------------------------------------------------------- the test
def test_staff_reports_an_event_and_the_manager_sees_its_actuals(page, app_url: str, field_db) -> None:
    db_path, _ = field_db
    today = dt.datetime.now(WIB).date()  # the app's clock
    plan_id, = _query(db_path, "SELECT plan_id FROM plans WHERE status = 'published'")[0]
    mine = _query(
        db_path,
        "SELECT e.event_id, e.event_date, pa.name, r.status FROM events e JOIN plans p ON p.plan_id = e.plan_id "
        "JOIN partners pa ON pa.partner_id = e.partner_id LEFT JOIN event_reports r ON r.event_id = e.event_id "
        "WHERE p.status = 'published' AND e.status = 'planned' AND e.staff_id = ? AND e.event_date BETWEEN ? AND ? "
        "ORDER BY e.event_date, e.start_time, e.event_id",
        (STAFF_ID, (today - dt.timedelta(days=RECENT_DAYS)).isoformat(), today.isoformat()),
    )
    past = [r for r in mine if r[1] < today.isoformat()][::-1]  # the page lists them newest first
    due = [r for r in past if r[3] is None]
    done = [r for r in past if r[3] is not None]
    assert due and done, f"the demo field history should give {STAFF_ID} reported and unreported past events: {past}"
    event_id, event_date, partner, _ = due[0]
    invitees = _query(db_path, "SELECT b.business_id, b.name FROM invitations i JOIN businesses b ON b.business_id = i.business_id "
                               "WHERE i.event_id = ? ORDER BY b.name, i.business_id", (event_id,))
    assert invitees
    before = dict(zip(("reported", "attendance", "registrations"), _query(
        db_path, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'held' THEN attendance END), 0), COALESCE(SUM(registrations), 0) "
                 "FROM event_reports WHERE plan_id = ?", (plan_id,))[0]))
    later = _query(db_path, "SELECT COUNT(*) FROM registrations g JOIN events e ON e.event_id = g.event_id WHERE e.plan_id = ?", (plan_id,))[0][0]
    events_in_plan = _query(db_path, "SELECT COUNT(*) FROM events WHERE plan_id = ?", (plan_id,))[0][0]

    # ---------------------------------------------------------------- Agenda
    _sign_in(page, app_url, STAFF_USER)  # staff start on their agenda
    expect(page.get_by_role("heading", name=t("agenda.title", "id"))).to_be_visible()
    _settled(page)
    expect(page.get_by_text(t("agenda.to_report", "id", n=fmt_int(len(due))))).to_be_visible()
    page.locator(".st-key-agenda_window").get_by_text(t("agenda.recent", "id")).click()
    table = page.locator("[data-testid=stDataFrame]", has=page.locator("[role=columnheader]", has_text=t("agenda.col.report", "id"))).first
    expect(table.locator("tbody tr")).to_have_count(len(past))
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text(re.compile("^" + re.escape(fmt_date(past[0][1], "id"))))
    _settled(page)
    headers = table.evaluate(READ_HEADERS_JS)
    rows = table.evaluate(READ_GRID_JS)
    assert [r[headers.index(t("agenda.col.partner", "id"))] for r in rows] == [r[2] for r in past]
    status = [r[headers.index(t("agenda.col.report", "id"))] for r in rows]
    assert status == [t("agenda.status.due" if r[3] is None else f"agenda.status.{r[3]}", "id") for r in past], status

    def pick(row: int, name: str) -> None:
        """Select a row of the agenda table by its row marker (on_select reruns the page)."""
        table.scroll_into_view_if_needed()
        box = table.locator("canvas").first.bounding_box()
        page.mouse.click(box["x"] + 15, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
        expect(table.locator(f"tbody tr[aria-rowindex='{row + 2}']")).to_have_attribute("aria-selected", "true")
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        _settled(page)

    # A reported event first: its details say so; then the one still due.
    reported = past.index(done[0])
    pick(reported, t("agenda.event_title", "id", partner=done[0][2], date=fmt_date(done[0][1], "id")))
    expect(page.locator("[data-testid=stAlertContentSuccess]")).to_contain_text(t(f"agenda.status.{done[0][3]}", "id"))
    pick(past.index(due[0]), t("agenda.event_title", "id", partner=partner, date=fmt_date(event_date, "id")))
    expect(page.locator("[data-testid=stAlertContentSuccess]")).to_have_count(0)
    expect(_metric(page, t("agenda.m_invitees", "id"))).to_have_text(fmt_int(len(invitees)))
    expect(page.get_by_text(t("agenda.invitations", "id", n=fmt_int(len(invitees))))).to_be_visible()
    invites = _pinned(page, t("agenda.col.owner", "id"))
    expect(invites.locator("tbody tr")).to_have_count(len(invitees))
    inv_headers = invites.evaluate(READ_HEADERS_JS)
    inv_rows = invites.evaluate(READ_GRID_JS)
    assert sorted(r[inv_headers.index(t("col.business", "id"))] for r in inv_rows) == sorted(n for _, n in invitees)
    _no_error_shown(page)
    _screenshot(page, "field_agenda")
    links = _scroll_right_to(page, invites, ["WhatsApp"])["WhatsApp"]  # the last column: scrolled out of view at 1400 px
    sent = invites.locator(f"tbody td[aria-colindex='{links}']").all_text_contents()
    assert len(sent) == len(invitees) and all(x.startswith("https://wa.me/") for x in sent), sent

    # ---------------------------------------------------------------- Laporan
    page.get_by_role("button", name=t("agenda.go_report", "id")).click()
    page.wait_for_url(re.compile(r"/laporan$"))
    expect(page.get_by_role("heading", name=t("laporan.title", "id"))).to_be_visible()
    expect(page.get_by_role("combobox", name=t("laporan.event", "id"))).to_have_value(re.compile(re.escape(partner)))
    _settled(page)
    inv = page.locator(f".st-key-laporan_inv_{event_id} [data-testid=stDataFrame]")
    expect(inv.locator("tbody tr")).to_have_count(len(invitees))
    name_col = t("laporan.col.name", "id")
    who = _cell(inv, 0, name_col).inner_text()
    business_id = next(b for b, n in invitees if n == who)
    _tick(page, inv, 0, t("laporan.col.present", "id"))
    _tick(page, inv, 0, t("laporan.col.registered", "id"))
    _type(page, inv, 0, t("laporan.col.workers_registered", "id"), "1")
    programmes = _cell(inv, 0, t("laporan.col.programmes", "id")).inner_text()
    assert programmes, "the form should start with the programmes the business must join"

    walk = page.locator(f".st-key-laporan_walk_{event_id} [data-testid=stDataFrame]")
    expect(walk.locator("tbody tr")).to_have_count(0)
    _add_row(page, walk, 0, WALK_IN["name"])
    _choose(page, walk, 0, t("laporan.col.regency_code", "id"), WALK_IN["regency"].split(" · ")[1], WALK_IN["regency"])
    _choose(page, walk, 0, t("laporan.col.sector", "id"), f"{WALK_IN['sector']} · ", re.compile(f"^{WALK_IN['sector']} · "))
    _choose(page, walk, 0, t("laporan.col.size_class", "id"), t(f"size.{WALK_IN['size']}", "id"), t(f"size.{WALK_IN['size']}", "id"))
    _type(page, walk, 0, t("laporan.col.workers", "id"), WALK_IN["workers"])
    attendance = page.locator(f".st-key-laporan_att_{event_id} input")
    attendance.fill(str(ATTENDANCE))
    attendance.press("Tab")
    _assert_no_exception(page)
    _screenshot(page, "field_laporan_filled")

    page.get_by_role("button", name=t("laporan.save", "id")).click()
    # What the page shows once saved: the report's line with its figures, and no error.
    # (Not the "laporan.saved" message: the page reruns straight after showing it, so it
    # never stays on screen.)
    line = t("rep.line_held", "id", date=fmt_date(event_date, "id"), attendance=fmt_int(ATTENDANCE), present="2", registrations="1",
             workers="1", who=STAFF_USER, when="\0")
    saved_line = page.locator("[data-testid=stAlertContentInfo]", has_text=line.split("\0")[0])
    expect(saved_line).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid=stAlertContentError]")).to_have_count(0)
    _no_error_shown(page)
    _screenshot(page, "field_laporan_saved")

    # The database holds the report: one invited row, one walk-in row (a new business).
    report = _query(db_path, "SELECT status, held_on, attendance, present, registrations, workers_registered, source, reported_by "
                             "FROM event_reports WHERE event_id = ?", (event_id,))
    assert report == [("held", event_date, ATTENDANCE, 2, 1, 1, "form", STAFF_USER)], report
    rows_saved = _query(db_path, "SELECT business_id, invited, walk_in, registered, workers_registered, programmes FROM report_rows "
                                 "WHERE event_id = ? ORDER BY walk_in", (event_id,))
    assert len(rows_saved) == 2, rows_saved
    # The same programmes, in the agency's order (JKK;JKM;JHT;JP), as the form showed them.
    assert rows_saved[0][:5] == (business_id, 1, 0, 1, 1) and rows_saved[0][5] == programmes, rows_saved
    walk_id = rows_saved[1][0]
    assert rows_saved[1][1:4] == (0, 1, 0), rows_saved
    business = _query(db_path, "SELECT name, regency_code, sector, size_class, workers FROM businesses WHERE business_id = ?", (walk_id,))
    assert business == [(WALK_IN["name"], WALK_IN["regency"].split(" · ")[0], WALK_IN["sector"], WALK_IN["size"], int(WALK_IN["workers"]))]
    assert _query(db_path, "SELECT enrolled FROM businesses WHERE business_id = ?", (business_id,)) == [(1,)]

    # ---------------------------------------------------------------- Jadwal, as the manager
    page.get_by_role("link", name=t("login.logout", "id")).click()
    page.wait_for_url(re.compile(r"/masuk$"))
    _sign_in(page, app_url, "manajer")
    page.locator("[data-testid=stSidebarNav] a", has_text=t("nav.jadwal", "id")).click()
    expect(page.get_by_role("heading", name=t("jadwal.title", "id"))).to_be_visible()
    _settled(page)
    expect(page.get_by_role("combobox", name=t("jadwal.plan", "id"))).to_have_value(re.compile(rf"^#{plan_id} · "))
    expect(_metric(page, t("jadwal.a_reported", "id"))).to_have_text(f"{fmt_int(before['reported'] + 1)} / {fmt_int(events_in_plan)}")
    expect(_metric(page, t("jadwal.a_attendance", "id"))).to_have_text(fmt_int(before["attendance"] + ATTENDANCE))
    expect(_metric(page, t("jadwal.a_registrations", "id"))).to_have_text(fmt_int(before["registrations"] + later + 1))

    page.get_by_role("tab", name=t("jadwal.tab_events", "id")).click()
    events_table = _pinned(page, t("col.event", "id"))
    actual = _row_cells(page, events_table, t("col.event", "id"), event_id,
                        [t("agenda.col.report", "id"), t("jadwal.a_col_attendance", "id"), t("jadwal.a_col_registrations", "id"),
                         t("jadwal.col_workers_short", "id")])
    assert actual == {t("agenda.col.report", "id"): t("agenda.status.held", "id"), t("jadwal.a_col_attendance", "id"): str(ATTENDANCE),
                      t("jadwal.a_col_registrations", "id"): "1", t("jadwal.col_workers_short", "id"): "1"}, actual
    _no_error_shown(page)
    _screenshot(page, "field_jadwal_actuals")
