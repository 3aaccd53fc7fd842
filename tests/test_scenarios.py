"""Scenarios: variants of a plan re-solved in the background and compared side by side."""

from __future__ import annotations

import pytest

from planner import auth, plans
from planner.db import connect
from planner.errors import PlannerError
from planner.projection import scenarios, uptake
from tests.conftest import copy_db

LEADER = auth.User("pimpinan", "leadership", (), "Pimpinan")
MANAGER = auth.User("manajer", "manager", (), "Manajer")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")


@pytest.fixture(scope="module")
def solved(published_file, tmp_path_factory):
    """The published Sumatera Selatan plan with four scenarios solved."""
    path, plan_id, _ = published_file
    copy = copy_db(path, tmp_path_factory.mktemp("scen") / "scen.db")
    db = connect(copy)
    ids = scenarios.start(db, MANAGER, plan_id, ["budget_down", "budget_up", "more_staff", "add_province"], add_province="63")
    for sid in ids:
        run = plans.latest_job(db, sid)
        assert plans.wait_job(db, run["run_id"], timeout=240)["status"] == "done", plans.job(db, run["run_id"])
    yield db, plan_id, ids, copy
    db.conn.close()


def test_each_variant_changes_what_it_says(solved):
    db, plan_id, ids, _ = solved
    base = plans.get_plan(db, plan_id)
    by_kind = {plans.get_plan(db, s).scenario["kind"]: plans.get_plan(db, s) for s in ids}
    cost = lambda pid: db.execute("SELECT SUM(event_cost + travel_cost) FROM events WHERE plan_id = ? AND status = 'planned'", [pid]).fetchone()[0]
    # the plan spends less than its budget: the variants move what it spends, not a limit it does not reach
    spent = cost(plan_id)
    assert spent < 0.95 * base.rules.budget
    assert by_kind["budget_down"].rules.budget == round(spent * 0.8, -3) and by_kind["budget_down"].scenario["basis"] == spent
    assert by_kind["budget_up"].rules.budget == round(spent * 1.2, -3)
    assert by_kind["more_staff"].rules.extra_staff == 1 and by_kind["more_staff"].rules.provinces == base.rules.provinces
    assert by_kind["add_province"].rules.provinces == ("16", "63")
    for kind in ("budget_down", "budget_up"):
        assert 0 < cost(by_kind[kind].plan_id) <= by_kind[kind].rules.budget
    provs = {r[0] for r in db.execute("SELECT DISTINCT g.province_code FROM events e JOIN regencies g ON g.code = e.regency_code WHERE e.plan_id = ?",
                                      [by_kind["add_province"].plan_id])}
    assert "63" in provs
    # the extra staff member leads events of their own, stored without a staff id
    extra = db.execute("SELECT COUNT(*) FROM events WHERE plan_id = ? AND staff_id IS NULL", [by_kind["more_staff"].plan_id]).fetchone()[0]
    assert extra > 0
    # a scenario competes neither with its (published) base plan: it may invite the same businesses
    shared = db.execute("SELECT COUNT(*) FROM invitations a JOIN invitations b ON a.business_id = b.business_id "
                        "WHERE a.plan_id = ? AND b.plan_id = ?", [plan_id, by_kind["budget_up"].plan_id]).fetchone()[0]
    assert shared > 0


def test_the_comparison_has_intervals_costs_and_what_changed(solved):
    db, plan_id, ids, _ = solved
    frame = scenarios.compare(db, LEADER, plan_id)
    assert list(frame["plan_id"]) == [plan_id, *ids]
    assert (frame["state"] == "ready").all()
    base = frame.iloc[0]
    proj = uptake.project(db, LEADER, plan_id)
    assert base["workers"] == pytest.approx(proj.total()["workers"]) and base["cost"] == proj.cost
    for r in frame.itertuples():
        assert r.workers_p10 <= r.workers <= r.workers_p90
        assert r.per_additional == pytest.approx(r.cost / r.additional)
    rows = frame.set_index("kind")
    assert rows.loc["budget_down", "cost"] < rows.loc["base", "cost"] <= rows.loc["budget_up", "cost"]
    assert rows.loc["budget_down", "additional"] < rows.loc["base", "additional"]
    assert rows.loc["base", "scenario"] == "Rencana ini" and rows.loc["budget_down", "scenario"].startswith("Anggaran −20% (Rp ")
    assert "kab/kota baru" in rows.loc["add_province", "changes"] and "Kalimantan Selatan" in rows.loc["add_province", "scenario"]
    assert "dipimpin staf tambahan" in rows.loc["more_staff", "changes"]
    en = scenarios.compare(db, LEADER, plan_id, lang="en").set_index("kind")
    assert en.loc["budget_down", "scenario"].startswith("Budget −20%") and "new regencies" in en.loc["add_province", "changes"]
    with pytest.raises(auth.AccessDenied):
        scenarios.compare(db, STAFF, plan_id)


def test_scenarios_stay_out_of_the_plan_lists_and_cannot_be_published(solved):
    db, plan_id, ids, _ = solved
    listed = set(plans.list_plans(db, MANAGER)["plan_id"])
    assert plan_id in listed and not listed & set(ids)
    with pytest.raises(PlannerError, match="skenario"):
        plans.publish_plan(db, MANAGER, ids[0])
    with pytest.raises(PlannerError, match="skenario"):
        scenarios.start(db, MANAGER, ids[0])


def test_bad_requests_are_refused_before_any_work(solved):
    db, plan_id, ids, _ = solved
    with pytest.raises(auth.AccessDenied):
        scenarios.start(db, LEADER, plan_id)
    with pytest.raises(PlannerError, match="minimal dua"):
        scenarios.start(db, MANAGER, plan_id, ["drop_province"], drop_province="16")
    with pytest.raises(PlannerError, match="di luar rencana"):
        scenarios.start(db, MANAGER, plan_id, ["add_province"], add_province="16")
    with pytest.raises(PlannerError, match="tidak dikenal"):
        scenarios.start(db, MANAGER, plan_id, ["budget_half"])
    assert scenarios.current(db, plan_id) == ids  # nothing was replaced


def _app(user, lang="id"):
    from streamlit.testing.v1 import AppTest

    from app_pages.common import SESSION_USER
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state[SESSION_USER] = user
    at.session_state["lang"] = lang
    return at


def _scenario_table(at, column: str):
    return next(d.value for d in at.dataframe if list(d.value.columns)[:1] == [column])


def test_leadership_reads_the_scenarios_side_by_side(solved, published_file, tmp_path, monkeypatch):
    import streamlit as st

    db, plan_id, ids, path = solved
    monkeypatch.setenv("PLANNER_DB", str(copy_db(path, tmp_path / "lead.db")))
    monkeypatch.setenv("PLANNER_MODELS", str(published_file[2]))
    st.cache_data.clear()
    for lang, heading, first in (("id", "Skenario", "Rencana ini"), ("en", "Scenarios", "This plan")):
        at = _app(LEADER, lang).run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert any(h.value.startswith(heading) for h in at.subheader)
        table = _scenario_table(at, "Skenario" if lang == "id" else "Scenario")
        assert len(table) == 1 + len(ids) and table.iloc[0, 0] == first
        assert table.iloc[1:, 3].str.contains(r"\(\d[\d.]*–\d[\d.]*\)").all()  # every variant with its 80% range
        assert not [b for b in at.button if b.key == "scen_start"]  # leadership changes nothing


def test_a_manager_starts_the_scenarios_and_sees_them_arrive(published_file, tmp_path, monkeypatch):
    import time

    import streamlit as st

    path, plan_id, models = published_file
    copy = copy_db(path, tmp_path / "mgr.db")
    monkeypatch.setenv("PLANNER_DB", str(copy))
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    st.cache_data.clear()
    at = _app(MANAGER).run()
    at.switch_page("app_pages/proyeksi.py").run()
    assert not at.exception
    assert any("Belum ada skenario" in i.value for i in at.info)
    at.multiselect(key="scen_kinds").set_value(["budget_down", "more_staff"])
    at.button(key="scen_start").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    db = connect(copy)
    try:
        live = scenarios.current(db, plan_id)
        assert len(live) == 2
        for sid in live:
            plans.wait_job(db, plans.latest_job(db, sid)["run_id"], timeout=240)
    finally:
        db.conn.close()
    time.sleep(0.2)
    at.run()
    table = _scenario_table(at, "Skenario")
    assert list(table.iloc[:, 0]) == ["Rencana ini", *[s for s in table.iloc[1:, 0]]] and len(table) == 3
    assert table.iloc[1, 0].startswith("Anggaran −20%") and table.iloc[2, 0] == "+1 staf per provinsi"
    changes = next(m.value for m in at.markdown if m.value.startswith("**Yang berubah"))
    assert changes.count("(siap") == 3 and "dipimpin staf tambahan" in changes  # each with how close to the best it is proven


def test_the_cli_starts_waits_and_compares(published_file, tmp_path, capsys):
    import json

    from planner.cli import main

    path = copy_db(published_file[0], tmp_path / "cli.db")
    plan_id = published_file[1]
    assert main(["--db", str(path), "scenarios", "--plan", str(plan_id), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1  # the plan alone
    assert main(["--db", str(path), "--lang", "en", "scenarios", "--plan", str(plan_id), "--start", "--kinds", "budget_down"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("Scenario | Events | Cost") and "Budget −20% (Rp " in out and "events, cost" in out
    assert main(["--db", str(path), "scenarios", "--plan", str(plan_id), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in rows] == ["base", "budget_down"] and rows[1]["state"] == "ready"
    assert rows[1]["workers_p10"] <= rows[1]["workers"] <= rows[1]["workers_p90"] and rows[1]["cost"] < rows[0]["cost"]
    assert main(["--db", str(path), "scenarios", "--plan", str(plan_id), "--start", "--kinds", "drop_province"]) == 2
    assert "minimal dua provinsi" in capsys.readouterr().err


def test_the_workbook_carries_the_scenarios(solved):
    import io

    import openpyxl

    from planner.projection import brief

    db, plan_id, ids, _ = solved
    book = openpyxl.load_workbook(io.BytesIO(brief.workbook(db, LEADER, plan_id)))
    rows = list(book["skenario"].values)
    assert len(rows) == 2 + len(ids) and "scenario" in rows[0] and rows[1][rows[0].index("scenario")] == "Rencana ini"


def test_the_cli_publishes_with_the_comparison_group_asked_for(scored_db_file, tmp_path, capsys):
    import datetime as dt

    from planner import scheduling as sch
    from planner.cli import main

    path = copy_db(scored_db_file[0], tmp_path / "pub.db")
    db = connect(path)
    plan_id = plans.create_plan(db, MANAGER, "Sumsel Februari", sch.Rules(start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 19),
                                                                           provinces=("16",), time_limit=5))
    plans.solve_plan(db, MANAGER, plan_id)
    assert main(["--db", str(path), "--lang", "en", "plans", "publish", str(plan_id), "--control-share", "0"]) == 0
    out = capsys.readouterr().out
    assert "0 businesses (0%) held back" in out and "cannot be measured" in out
    assert db.execute("SELECT status, control_share FROM plans WHERE plan_id = ?", [plan_id]).fetchone() == ("published", 0.0)
    db.conn.close()
