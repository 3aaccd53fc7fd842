"""Browser test of the leadership flow in Debian's Chromium: ``pimpinan`` signs in, lands
on *Proyeksi*, chooses a plan, reads the projection with its 80% and 95% ranges, and
downloads the PDF brief, which is a real PDF of one to three pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_browser import _assert_no_exception, _screenshot, _settled, _sign_in, browser, serve  # noqa: F401

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
ROOT = Path(__file__).resolve().parents[1]


def test_leadership_reads_the_projection_and_takes_the_brief(browser, tmp_path) -> None:
    db_path = tmp_path / "planner.db"
    env = {**os.environ, "PLANNER_DB": str(db_path), "PLANNER_MODELS": str(tmp_path / "models"), "PYTHONUNBUFFERED": "1"}
    init = subprocess.run([sys.executable, "-m", "planner", "--db", str(db_path), "init", "--demo", "--businesses", "3000", "--field"],
                          cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    # a second plan, a draft, so that choosing a plan is a real choice
    draft = subprocess.run([sys.executable, "-m", "planner", "--db", str(db_path), "schedule", "--start", "2027-02-01", "--end", "2027-02-26",
                            "--provinces", "63", "--time-limit", "10", "--name", "Kalsel Februari", "--out", str(tmp_path / "e.csv")],
                           cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert draft.returncode == 0, draft.stderr
    with serve(env, tmp_path) as url:
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID", accept_downloads=True)
        context.set_default_timeout(60_000)
        try:
            pg = context.new_page()
            _sign_in(pg, url, "pimpinan")
            expect(pg.get_by_role("heading", name=re.compile("^Proyeksi"))).to_be_visible()
            # the reader's toolbar: the running indicator and menu are there, no Deploy button
            # (the "minimal" toolbar hid the running indicator too)
            expect(pg.get_by_test_id("stMainMenu")).to_have_count(1)
            expect(pg.get_by_test_id("stAppDeployButton")).to_have_count(0)
            _settled(pg)
            # choose the draft plan, then back to the published one
            box = pg.get_by_test_id("stSelectbox").filter(has_text="Rencana").first
            box.click()
            pg.get_by_role("option", name=re.compile("Kalsel Februari")).click()
            _settled(pg)
            expect(pg.get_by_text("Rencana ini belum terbit")).to_be_visible()
            box.click()
            pg.get_by_role("option", name=re.compile("terbit")).first.click()
            _settled(pg)
            metric = pg.locator("[data-testid=stMetric]").filter(has_text="Pekerja baru terdaftar")
            expect(metric).to_be_visible()
            ranges = pg.locator("[data-testid=stCaptionContainer]").filter(has_text=re.compile(r"80%: [\d.]+–[\d.]+ · 95%: [\d.]+–[\d.]+"))
            expect(ranges.first).to_be_visible()
            expect(pg.get_by_text("Rencana dibanding kenyataan")).to_be_visible()
            expect(pg.get_by_text(re.compile(r"acara diadakan"))).to_be_visible()  # the field history's reports
            expect(pg.get_by_text("Dampak terukur").first).to_be_visible()
            _assert_no_exception(pg)
            text = pg.locator("[data-testid=stApp]").inner_text()
            assert "Traceback" not in text
            _screenshot(pg, "proyeksi_pimpinan")
            assert pg.get_by_role("button", name=re.compile("Terbitkan|Susun")).count() == 0  # leadership changes nothing
            with pg.expect_download(timeout=120_000) as dl:
                pg.get_by_role("button", name="Ringkasan PDF").click()
            pdf = tmp_path / "brief.pdf"
            dl.value.save_as(pdf)
            assert pdf.read_bytes().startswith(b"%PDF")
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
            assert 1 <= pages <= 3
            body = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            assert "Proyeksi rencana" in body and "80%:" in body
            # the start page's own link (shared in a message, bookmarked) opens it, not "Page not found"
            pg.goto(f"{url}/proyeksi")
            _settled(pg)
            expect(pg.get_by_role("heading", name=re.compile("^Proyeksi"))).to_be_visible()
            assert "Page not found" not in pg.locator("body").inner_text()
        finally:
            context.close()
        # a manager computes the scenarios of the published plan; they arrive side by side
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="id-ID")
        context.set_default_timeout(60_000)
        try:
            pg = context.new_page()
            _sign_in(pg, url, "manajer")
            pg.goto(f"{url}/proyeksi")
            _settled(pg)
            box = pg.get_by_test_id("stSelectbox").filter(has_text="Rencana").first
            box.click()
            pg.get_by_role("option", name=re.compile("terbit")).first.click()
            _settled(pg)
            expect(pg.get_by_text("Belum ada skenario untuk rencana ini.")).to_be_visible()
            pg.get_by_role("button", name="Hitung di latar belakang").click()
            table = pg.locator("[data-testid=stDataFrame]").filter(has_text="Tambahan karena undangan")
            expect(table).to_be_visible(timeout=240_000)
            changes = pg.locator("[data-testid=stMarkdownContainer]").filter(has_text="Yang berubah dibanding rencana ini")
            expect(changes.get_by_text(re.compile(r"Anggaran −20%"))).to_be_visible()
            expect(changes.get_by_text(re.compile(r"\+1 staf per provinsi"))).to_be_visible()
            expect(pg.get_by_text(re.compile(r"Menyusun skenario"))).to_have_count(0, timeout=240_000)
            _settled(pg)
            expect(changes.get_by_text(re.compile(r"Anggaran −20%.*\(siap"))).to_be_visible()
            _assert_no_exception(pg)
            _screenshot(pg, "proyeksi_skenario")
        finally:
            context.close()
