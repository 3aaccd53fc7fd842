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


# --------------------------------------------------------------------------- C: no leakage, one feature path
from planner import features  # noqa: E402
from planner.imports import import_frame  # noqa: E402


def _contact_today(db, business_id: str) -> str:
    today = dt.date.today().isoformat()
    import_frame(db, "contacts", pd.DataFrame([{"business_id": business_id, "contacted_on": today, "channel": "whatsapp",
                                                "invited": 1, "enrolled": 0}]), actor=ADMIN)
    return today


def test_a_business_yields_identical_features_for_training_and_scoring(demo_db):
    bid = demo_db.execute("SELECT business_id FROM businesses WHERE enrolled = 0 AND attributes IS NOT NULL "
                          "AND business_id NOT IN (SELECT business_id FROM contacts) ORDER BY business_id LIMIT 1").fetchone()[0]
    today = _contact_today(demo_db, bid)
    data = scoring.training_data(demo_db)
    spec = features.choose_features(data.frame, exclude=scoring.EXCLUDED_COLUMNS)
    assert {"distance_km", "owner_age", "business_age", "province", "has_nib"} <= set(spec.columns)
    at = np.flatnonzero((data.frame["business_id"] == bid).to_numpy() & (data.dates == today))
    assert len(at) == 1
    trained = features.model_input(data.frame, spec).iloc[at].reset_index(drop=True)
    keys = [c for c in spec.columns if c not in features.BUSINESS_COLUMNS and c not in features.DERIVED]
    rows, _ = features.business_rows(demo_db, keys, 0, 10, where="business_id = ?", params=[bid])
    scored = features.model_input(features.feature_frame(rows, dt.date.today()), spec).reset_index(drop=True)
    pd.testing.assert_frame_equal(trained, scored)
    # The scoring run itself builds the same frame.
    chunk, _ = scoring._read_chunk(demo_db, keys, 0, 10**6)
    frame = scoring._features_for_scoring(chunk, dt.date.today().year)
    same = features.model_input(frame[frame["business_id"] == bid], spec).reset_index(drop=True)
    pd.testing.assert_frame_equal(trained, same)


def test_training_sees_each_business_as_it_was_at_the_contact(demo_db):
    row = demo_db.execute("SELECT business_id, founded_year FROM businesses WHERE enrolled = 0 AND has_nib = 0 AND founded_year < 2020 "
                          "AND business_id NOT IN (SELECT business_id FROM contacts) ORDER BY business_id LIMIT 1").fetchone()
    bid, founded = row
    import_frame(demo_db, "contacts", pd.DataFrame([{"business_id": bid, "contacted_on": "2025-03-03", "channel": "kunjungan",
                                                     "invited": 1, "enrolled": 1}]), actor=ADMIN)
    # After the contact: the business gets its NIB, hires, and a new column arrives.
    demo_db.execute("UPDATE businesses SET has_nib = 1, workers = workers + 40, "
                    "attributes = json_set(attributes, '$.distance_km', 999, '$.new_after', 'x') WHERE business_id = ?", [bid])
    data = scoring.training_data(demo_db)
    mine = data.frame[(data.frame["business_id"] == bid).to_numpy()]
    assert len(mine) == 1
    seen = mine.iloc[0]
    assert seen["has_nib"] == 0 and seen["distance_km"] != 999
    assert seen["business_age"] == 2025 - founded  # at the contact's date, not this year
    assert "new_after" not in data.frame.columns or pd.isna(seen.get("new_after"))
    assert "enrolled" not in data.frame.columns
    assert bool(data.kept[(data.frame["business_id"] == bid).to_numpy()][0])
    # Contacts recorded before snapshots were kept fall back to today's row, and say so.
    demo_db.execute("UPDATE contacts SET business_state = '{}' WHERE business_id = ?", [bid])
    data = scoring.training_data(demo_db)
    seen = data.frame[(data.frame["business_id"] == bid).to_numpy()].iloc[0]
    assert seen["has_nib"] == 1 and not data.kept[(data.frame["business_id"] == bid).to_numpy()][0]


def test_walk_ins_never_enter_training(demo_db):
    n = len(scoring.training_data(demo_db).y)
    demo_db.execute("UPDATE contacts SET walk_in = 1 WHERE id IN (SELECT id FROM contacts WHERE invited = 0 LIMIT 50)")
    assert len(scoring.training_data(demo_db).y) == n - 50


def test_a_planted_leaky_column_is_refused_by_name_until_excluded(demo_db, tmp_path):
    # A "status" column filled in after the outcome, present when the contacts were recorded.
    demo_db.execute(
        "UPDATE businesses SET attributes = json_set(attributes, '$.status_peserta', "
        "CASE WHEN business_id IN (SELECT business_id FROM contacts WHERE enrolled = 1) THEN 'terdaftar' ELSE 'belum' END)")
    demo_db.execute("UPDATE contacts SET business_state = NULL")
    features.snapshot_new_contacts(demo_db)
    with pytest.raises(PlannerError, match="status_peserta") as err:
        scoring.train(demo_db, ADMIN, models_dir=tmp_path, folds=2)
    assert "--exclude" in str(err.value)
    with pytest.raises(PlannerError, match="status_peserta"):
        scoring.train(demo_db, ADMIN, models_dir=tmp_path, folds=2, lang="en")
    assert scoring.exclude_columns(demo_db, ADMIN, ["status_peserta"]) == ["status_peserta"]
    result = scoring.train(demo_db, ADMIN, models_dir=tmp_path, folds=2)
    assert result.kind == "hgb" and "status_peserta" not in result.card["features"]["categorical"]
    assert result.card["excluded_by_user"] == ["status_peserta"]
    assert max(result.card["single_feature_auc"].values()) < features.LEAK_AUC
    assert result.card["history"]["state_at_contact"] == result.card["history"]["contacts"]


def test_a_leaky_number_is_refused_too():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 2000)
    frame = pd.DataFrame({"sector": rng.choice(list("ACG"), 2000), "owner_age": rng.integers(20, 70, 2000),
                          "workers_after": np.where(y == 1, rng.integers(5, 10, 2000), rng.integers(0, 4, 2000))})
    spec = features.choose_features(frame, exclude=set())
    with pytest.raises(PlannerError, match="workers_after") as err:
        features.check_leakage(features.model_input(frame, spec), spec, y)
    assert "owner_age" not in str(err.value) and "sector" not in str(err.value)
