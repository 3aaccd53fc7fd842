"""Projection arithmetic against hand-computed cases, one source of truth with the
plan's figures, control groups held back at publication, measured lift."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from planner import auth, plans
from planner.db import connect
from planner.projection import lift, uptake
from planner.projection.simulate import Inputs, simulate
from planner.reporting import reports as rp
from planner.vocabulary import mandatory_programmes
from tests.conftest import copy_db

LEADER = auth.User("pimpinan", "leadership", (), "Pimpinan")
MANAGER = auth.User("manajer", "manager", (), "Manajer")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
TODAY = dt.date(2026, 11, 30)


# ---------------------------------------------------------------- interval arithmetic
def test_one_business_is_all_or_nothing():
    r = simulate(Inputs([0.5], [0.2], [10]), sims=4000, seed=1)
    t = r.total()
    assert t["workers"] == pytest.approx(5.0) and t["additional_workers"] == pytest.approx(2.0)
    # the outcome is 0 or 10 workers, each half the time: the 80% interval spans both
    assert (t["workers_p10"], t["workers_p90"]) == (0, 10)
    assert (t["workers_p2_5"], t["workers_p97_5"]) == (0, 10)
    # additional: 10 workers with probability 0.2 -> the 80% interval is 0..10, its lower 90% point is 0
    assert t["additional_workers_p10"] == 0 and t["additional_workers_p97_5"] == 10


def test_a_sure_and_an_impossible_business():
    r = simulate(Inputs([1.0, 0.0], [0.0, 0.0], [7, 100]), sims=500, seed=2)
    t = r.total()
    assert t["workers"] == 7 and t["workers_p2_5"] == 7 and t["workers_p97_5"] == 7
    assert t["businesses"] == 1 and t["additional_workers_p97_5"] == 0


def test_two_independent_businesses_hand_computed():
    # p = 0.5 each, 1 and 2 workers: outcomes 0,1,2,3 each with probability 1/4
    r = simulate(Inputs([0.5, 0.5], [0.0, 0.0], [1, 2]), sims=20000, seed=3)
    t = r.total()
    assert (t["workers_p10"], t["workers_p90"]) == (0, 3)
    draws_mean = t["workers"]
    assert draws_mean == pytest.approx(1.5)


def test_many_businesses_match_the_normal_approximation():
    rng = np.random.default_rng(4)
    n = 20_000
    p = rng.uniform(0.02, 0.3, n)
    w = rng.integers(1, 4, n).astype(float)
    r = simulate(Inputs(p, np.zeros(n), w), sims=3000, seed=5)
    t = r.total()
    mu, sd = (p * w).sum(), np.sqrt((p * (1 - p) * w * w).sum())
    assert t["workers"] == pytest.approx(mu)
    assert t["workers_p10"] == pytest.approx(mu - 1.2816 * sd, abs=0.15 * sd)
    assert t["workers_p97_5"] == pytest.approx(mu + 1.96 * sd, abs=0.2 * sd)


def test_model_uncertainty_widens_the_interval():
    n = 5000
    p = np.full(n, 0.1)
    alone = simulate(Inputs(p, np.zeros(n), np.ones(n)), sims=2000, seed=6).total()
    members = np.column_stack([p * f for f in (0.8, 0.9, 1.0, 1.1, 1.2)])
    mixed = simulate(Inputs(members, np.zeros_like(members), np.ones(n)), sims=2000, seed=6).total()
    assert mixed["workers_p97_5"] - mixed["workers_p2_5"] > 2 * (alone["workers_p97_5"] - alone["workers_p2_5"])


def test_breakdowns_add_up_to_the_total():
    rng = np.random.default_rng(7)
    n = 3000
    r = simulate(Inputs(rng.uniform(0, 0.4, n), rng.uniform(0, 0.1, n), rng.integers(1, 5, n), {"month": rng.integers(0, 3, n)}), sims=300)
    by = r.breakdown("month")
    assert by["workers"].sum() == pytest.approx(r.total()["workers"])
    assert (by["workers_p2_5"] <= by["workers"]).all() and (by["workers"] <= by["workers_p97_5"]).all()


def test_without_an_uplift_model_the_caused_part_is_unknown_not_zero():
    r = simulate(Inputs([0.3, 0.4], [np.nan, np.nan], [2, 3]), sims=200)
    t = r.total()
    assert np.isnan(t["additional_workers"]) and np.isnan(t["additional_workers_p10"]) and t["workers"] == pytest.approx(1.8)


def test_newcombe_interval_reproduces_the_published_examples():
    # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10
    d, lo, hi = lift.difference_interval(56, 70, 48, 80)
    assert (round(d, 4), round(lo, 4), round(hi, 4)) == (0.2, 0.0524, 0.3339)
    d, lo, hi = lift.difference_interval(9, 10, 3, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.1705, 0.8090)
    assert tuple(round(x, 4) for x in lift.wilson(15, 148)) == (0.0624, 0.1605)


# ---------------------------------------------------------------- on a plan
@pytest.fixture
def pub(published_file, tmp_path):
    path, plan_id, _ = published_file
    db = connect(copy_db(path, tmp_path / "proj.db"))
    yield db, plan_id
    db.conn.close()


def test_the_projection_and_the_plans_figures_are_one_source_of_truth(pub):
    db, plan_id = pub
    proj = uptake.project(db, LEADER, plan_id, sims=300)
    tot = proj.total()
    events = db.execute("SELECT SUM(expected_enrollments), SUM(expected_additional), COUNT(*) FROM events WHERE plan_id = ? AND status = 'planned'",
                        [plan_id]).fetchone()
    assert tot["workers"] == pytest.approx(events[0]) and tot["additional_workers"] == pytest.approx(events[1])
    assert proj.events == events[2] and proj.result.members > 1  # the model's own uncertainty is in
    assert tot["workers_p2_5"] <= tot["workers_p10"] <= tot["workers"] <= tot["workers_p90"] <= tot["workers_p97_5"]
    by_prov = proj.breakdown("province")
    assert set(by_prov["key"]) == {"16"} and by_prov["workers"].sum() == pytest.approx(tot["workers"])
    cov = uptake.coverage(db, proj)
    bpu = cov[(cov["province"] == "16") & (cov["segment"] == "BPU")].iloc[0]
    assert bpu["expected"] >= bpu["now"] and bpu["p97_5"] >= bpu["expected"]
    cost = uptake.cost_per(proj)
    assert cost["per_worker"] == pytest.approx(proj.cost / tot["workers"])
    with pytest.raises(auth.AccessDenied):
        uptake.project(db, STAFF, plan_id)


def test_publishing_holds_back_a_random_control_group_with_its_seed(scored_db_file, tmp_path):
    from planner import scheduling as sch

    db = connect(copy_db(scored_db_file[0], tmp_path / "c.db"))
    start = dt.date(2026, 10, 5)
    plan_id = plans.create_plan(db, MANAGER, "Kontrol", sch.Rules(start=start, end=start + dt.timedelta(days=27), provinces=("16",), time_limit=10))
    plans.solve_plan(db, MANAGER, plan_id)
    chosen = db.execute("SELECT COUNT(*) FROM invitations WHERE plan_id = ?", [plan_id]).fetchone()[0]
    before = db.execute("SELECT SUM(expected_additional) FROM events WHERE plan_id = ?", [plan_id]).fetchone()[0]
    out = plans.publish_plan(db, MANAGER, plan_id, control_share=0.2, seed=42)
    held = db.execute("SELECT COUNT(*) FROM controls WHERE plan_id = ?", [plan_id]).fetchone()[0]
    left = db.execute("SELECT COUNT(*) FROM invitations WHERE plan_id = ?", [plan_id]).fetchone()[0]
    assert out == {"controls": held, "share": 0.2, "seed": 42} and held + left == chosen and 0 < held < chosen
    assert db.execute("SELECT DISTINCT selection_prob FROM invitations WHERE plan_id = ?", [plan_id]).fetchall() == [(0.8,)]
    after = db.execute("SELECT SUM(expected_additional), SUM(invitees) FROM events WHERE plan_id = ?", [plan_id]).fetchone()
    assert after[0] < before and after[1] == left  # the events' figures are the invited ones only
    assert db.execute("SELECT control_share, control_seed FROM plans WHERE plan_id = ?", [plan_id]).fetchone() == (0.2, 42)
    # the same seed draws the same businesses again
    plans.reopen_plan(db, MANAGER, plan_id)
    assert db.execute("SELECT COUNT(*) FROM invitations WHERE plan_id = ?", [plan_id]).fetchone()[0] == chosen
    first = {r[0] for r in db.execute("SELECT business_id FROM invitations WHERE plan_id = ?", [plan_id])}
    plans.publish_plan(db, MANAGER, plan_id, control_share=0.2, seed=42)
    assert {r[0] for r in db.execute("SELECT business_id FROM controls WHERE plan_id = ?", [plan_id])} <= first
    assert db.execute("SELECT COUNT(*) FROM controls WHERE plan_id = ?", [plan_id]).fetchone()[0] == held
    with pytest.raises(Exception, match="0"):
        plans.reopen_plan(db, MANAGER, plan_id) or plans.publish_plan(db, MANAGER, plan_id, control_share=0.9)
    db.conn.close()


def test_measured_lift_is_invited_minus_controls_with_an_interval(pub):
    db, plan_id = pub
    assert db.execute("SELECT COUNT(*) FROM controls WHERE plan_id = ?", [plan_id]).fetchone()[0] > 0
    events = db.execute("SELECT event_id, event_date FROM events WHERE plan_id = ? AND status = 'planned'", [plan_id]).fetchall()
    reports = []
    for eid, date in events:
        inv = db.execute("SELECT i.business_id, b.size_class, b.workers FROM invitations i JOIN businesses b USING (business_id) WHERE i.event_id = ?",
                         [eid]).fetchall()
        rows = [rp.RawRow({"business_id": b, "registered": "1", "workers_registered": "1", "programmes": ";".join(mandatory_programmes(s, w))}, n + 2)
                for n, (b, s, w) in enumerate(inv[: max(1, len(inv) // 2)])]
        reports.append(rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": str(len(rows) + 5)}, rows, row=2))
    rp.save(db, STAFF, reports, on=TODAY)
    m = lift.measured(db, LEADER, plan_id)
    t = m["total"]
    invited = db.execute("SELECT COUNT(*) FROM invitations WHERE plan_id = ?", [plan_id]).fetchone()[0]
    controls = db.execute("SELECT COUNT(*) FROM controls WHERE plan_id = ?", [plan_id]).fetchone()[0]
    assert (t["invited"], t["controls"]) == (invited, controls)
    assert t["controls_enrolled"] == 0 and t["lift"] == pytest.approx(t["invited_rate"])
    # a control who registers later (a registrations import) counts for the controls
    from planner.imports import import_file

    cid, date, size, workers = db.execute("SELECT c.business_id, e.event_date, b.size_class, b.workers FROM controls c JOIN events e USING (event_id) "
                                          "JOIN businesses b USING (business_id) WHERE c.plan_id = ? LIMIT 1", [plan_id]).fetchone()
    later = (dt.date.fromisoformat(date) + dt.timedelta(days=10)).isoformat()
    csv = f"business_id,registered_on,workers_registered,programmes\n{cid},{later},1,{';'.join(mandatory_programmes(size, workers))}\n"
    import_file(db, "registrations", csv.encode(), filename="reg.csv", actor=MANAGER)
    again = lift.measured(db, LEADER, plan_id)["total"]
    assert again["controls_enrolled"] == 1 and again["lift"] < t["lift"]
    assert again["lift_lo"] < again["lift"] < again["lift_hi"]
    assert db.execute("SELECT enrolled FROM contacts WHERE business_id = ? AND invited = 0 AND event_id IS NOT NULL", [cid]).fetchone()[0] == 1
    assert not m["by_partner_type"].empty


# ---------------------------------------------------------------- the page, the brief, the CLI
@pytest.fixture
def field_app(published_file, tmp_path, monkeypatch):
    path, plan_id, models = published_file
    copy = copy_db(path, tmp_path / "page.db")
    monkeypatch.setenv("PLANNER_DB", str(copy))
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    import streamlit as st

    st.cache_data.clear()
    db = connect(copy)
    yield db, plan_id
    db.conn.close()


def _app(user, lang="id"):
    from streamlit.testing.v1 import AppTest

    from app_pages.common import SESSION_USER
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state[SESSION_USER] = user
    if lang == "en":
        at.session_state["lang"] = "en"
    return at


def test_leadership_starts_on_the_projection_and_reads_the_answer(field_app):
    db, plan_id = field_app
    at = _app(LEADER).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.title[0].value.startswith("Proyeksi")
    metrics = {m.label: m.value for m in at.metric}
    expected = db.execute("SELECT SUM(expected_enrollments) FROM events WHERE plan_id = ? AND status = 'planned'", [plan_id]).fetchone()[0]
    assert metrics["Pekerja baru terdaftar"] == f"{round(expected):,}".replace(",", ".")
    assert any("80%:" in c.value and "95%:" in c.value for c in at.caption)
    assert "Cakupan BPU nasional setelah rencana" in metrics and metrics["Cakupan BPU nasional setelah rencana"].endswith("%")
    assert any("Belum ada laporan" in i.value for i in at.info)  # an honest empty state until reports exist
    assert {b.label for b in at.download_button} >= {"Ringkasan PDF", "Semua tabel (XLSX)"}
    assert not [b for b in at.button if b.key and "publish" in b.key]  # nothing to change


def test_managers_see_the_projection_and_staff_may_not(field_app):
    db, plan_id = field_app
    at = _app(MANAGER).run()
    at.switch_page("app_pages/proyeksi.py").run()
    assert not at.exception and at.title[0].value.startswith("Proyeksi")
    at = _app(STAFF).run()
    at.switch_page("app_pages/proyeksi.py").run()  # registered hidden for staff: the page refuses in words
    assert any("tidak tersedia" in e.value for e in at.error) and not at.metric


def test_the_projection_in_english_with_reports(field_app):
    db, plan_id = field_app
    eid, date = db.execute("SELECT event_id, event_date FROM events WHERE plan_id = ? ORDER BY event_date LIMIT 1", [plan_id]).fetchone()
    rp.save(db, STAFF, [rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": "9"}, [], row=2)], on=TODAY)
    at = _app(LEADER, "en").run()
    assert not at.exception and at.title[0].value.startswith("Projection")
    assert any("events held" in s.value for s in [*at.success, *at.warning])
    text = " ".join([m.label for m in at.metric] + [c.value for c in at.caption])
    for word in ("Pekerja", "perkiraan", "juta", "poin", "rentang"):
        assert word not in text, word


def test_the_pdf_brief_renders_and_holds_the_headline(field_app, tmp_path):
    import shutil
    import subprocess

    from planner.projection import brief

    db, plan_id = field_app
    data = brief.pdf(db, LEADER, plan_id)
    assert data.startswith(b"%PDF")
    (tmp_path / "brief.pdf").write_bytes(data)
    assert shutil.which("pdftoppm") and shutil.which("pdftotext"), "poppler-utils is needed (installed by .ci/run)"
    pages = int(next(l.split()[-1] for l in subprocess.run(["pdfinfo", str(tmp_path / "brief.pdf")], capture_output=True, text=True).stdout.splitlines()
                     if l.startswith("Pages:")))
    assert 1 <= pages <= 3
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "brief.pdf"), "-"], capture_output=True, text=True).stdout
    tot = uptake.project(db, LEADER, plan_id).total()
    assert f"{round(tot['workers']):,}".replace(",", ".") in text and "80%:" in text and "95%:" in text
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(tmp_path / "brief.pdf"), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    img = Image.open(png).convert("L")
    assert img.size[0] > 300 and len(set(img.getdata())) > 20  # a real page with a chart, not a blank sheet
    wb = brief.workbook(db, LEADER, plan_id)
    from openpyxl import load_workbook
    import io

    names = load_workbook(io.BytesIO(wb), read_only=True).sheetnames
    assert "ringkasan" in names and "per provinsi" in names and "cakupan" in names


def test_the_cli_projects_a_plan_or_the_files_schedule_wrote(field_app, tmp_path, capsys):
    import json

    from planner.cli import main

    db, plan_id = field_app
    path = db.execute("PRAGMA database_list").fetchone()[2]
    assert main(["--db", path, "project", "--plan", str(plan_id), "--format", "json", "--sims", "300"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("expected_enrollments", "p10", "p90", "p2_5", "p97_5", "expected_additional", "by_month", "by_province"):
        assert key in data
    assert data["p2_5"] <= data["p10"] <= data["expected_enrollments"] <= data["p90"] <= data["p97_5"]
    from planner.plans import events_csv_frame, invitations_csv_frame

    events_csv_frame(db, plan_id).to_csv(tmp_path / "events.csv", index=False)
    invitations_csv_frame(db, plan_id).to_csv(tmp_path / "invitations.csv", index=False)
    assert main(["--db", path, "project", "--events", str(tmp_path / "events.csv"), "--invitations", str(tmp_path / "invitations.csv"),
                 "--format", "json", "--sims", "300"]) == 0
    assert json.loads(capsys.readouterr().out)["expected_enrollments"] == pytest.approx(data["expected_enrollments"])
    assert main(["--db", path, "project", "--events", str(tmp_path / "events.csv")]) == 2
    assert "--invitations" in capsys.readouterr().err
    assert main(["--db", path, "--lang", "en", "actuals", "--plan", str(plan_id)]) == 0
    assert "no reports" in capsys.readouterr().out
