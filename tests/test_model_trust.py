"""A model you can trust: no control group, honest reasons, no leakage, uplift under
targeting, candidates chosen by validation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import scoring
from planner.auth import system_user
from planner.db import connect
from planner.errors import PlannerError

ADMIN = system_user()
ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- A: no control group
def _invited_only(path: Path) -> None:
    db = connect(path)
    db.execute("DELETE FROM contacts WHERE invited = 0")
    db.conn.close()


def test_no_control_group_cli_train_and_score_exit_0_with_a_note(demo_db_path, tmp_path, monkeypatch, capsys):
    from planner.__main__ import main

    _invited_only(demo_db_path)
    monkeypatch.setenv("PLANNER_MODELS", str(tmp_path / "models"))
    assert main(["--db", str(demo_db_path), "train", "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "Model uplift belum bisa dilatih" in out and "tidak diundang" in out
    out_file = tmp_path / "skor.csv"
    assert main(["--db", str(demo_db_path), "score", "--out", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert "Uplift dibiarkan kosong" in out and "peluang mendaftar × pekerja" in out
    df = pd.read_csv(out_file, encoding="utf-8-sig")
    assert len(df) > 100 and df["uplift"].isna().all() and df["p_enroll"].between(0, 1).all()
    assert main(["--db", str(demo_db_path), "--lang", "en", "score"]) == 0
    assert "Uplift is left empty" in capsys.readouterr().out


def test_no_control_group_is_said_on_sasaran_and_the_targets_rank_by_enrolment_chance(demo_db_path, tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from app_pages.common import SESSION_USER
    from planner.auth import User
    from planner.targets import targets

    _invited_only(demo_db_path)
    db = connect(demo_db_path)
    models = tmp_path / "models"
    scoring.retrain_and_score(db, ADMIN, models_dir=models)
    from planner import plans
    from planner import scheduling as sch

    manager = User("manajer", "manager", (), "Manajer")
    rules = sch.Rules(start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 15), provinces=("16",), budget=30_000_000, time_limit=5)
    plan_id = plans.create_plan(db, manager, "Tanpa uplift", rules)
    plans.solve_plan(db, manager, plan_id)
    assert plans.get_plan(db, plan_id).result["uplift_model"] is False
    found = targets(db, sort="uplift")
    assert found["uplift"].isna().all()
    expected = found["p_enroll"] * found["workers"]
    assert np.allclose(found["expected_additional"].astype(float), expected)
    assert found["p_enroll"].is_monotonic_decreasing
    db.conn.close()
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state[SESSION_USER] = User("manajer", "manager", (), "Manajer")
    at.run()
    at.switch_page("app_pages/sasaran.py").run()
    assert not at.exception
    assert any("Uplift dibiarkan kosong" in i.value for i in at.info)
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception
    assert any("peluang mendaftar × pekerja" in i.value for i in at.info)
