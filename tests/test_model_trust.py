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


@pytest.fixture(autouse=True)
def _one_openmp_thread():
    """Fits here run on one OpenMP thread, as ``train`` runs them: on a machine whose
    other core is busy, scikit-learn's per-tree parallel regions wait for it (a fit of
    15 s took four minutes)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, "openmp"):
        yield


# --------------------------------------------------------------------------- A: no control group
def _invited_only(path: Path) -> None:
    db = connect(path)
    db.execute("DELETE FROM contacts WHERE invited = 0")
    db.conn.close()


def test_no_control_group_cli_train_and_score_exit_0_with_a_note(demo_db_path, tmp_path, monkeypatch, capsys):
    from planner.cli import main

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
from planner.scoring import features  # noqa: E402
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
    chunk, _ = scoring.batch._read_chunk(demo_db, keys, 0, 10**6)
    frame = scoring.batch._features_for_scoring(chunk, dt.date.today().year)
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


# --------------------------------------------------------------------------- B: honest reasons
def _synthetic(n: int = 4000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "coop_member": rng.integers(0, 2, n),
        "distance_km": np.round(rng.exponential(15, n), 1),
        "owner_age": rng.integers(20, 70, n),
        "size_class": rng.choice(["mikro", "kecil", "menengah"], n, p=[0.7, 0.2, 0.1]),
    })
    # Membership raises the score, distance lowers it, a medium business raises it.
    logit = -1.5 + 1.2 * frame["coop_member"] - 0.06 * frame["distance_km"] + 0.8 * (frame["size_class"] == "menengah")
    return frame, 1 / (1 + np.exp(-logit.to_numpy()))


def test_a_factor_that_lowers_a_business_score_is_never_its_reason():
    frame, p = _synthetic()
    spec = scoring.FeatureSpec(("size_class",), ("coop_member", "distance_km", "owner_age"), ())
    ex = scoring.Explainer.fit(spec, frame, p)
    assert ex.fidelity["r2_holdout"] > 0.9  # the surrogate reproduces this score
    reasons = ex.reasons(frame)
    far = frame["distance_km"] > frame["distance_km"].median() * 2
    not_member = frame["coop_member"] == 0
    # Far away and not a member lower the score: never named as a reason for anyone.
    assert not reasons.str.contains("jarak jauh").any()
    assert not reasons.str.contains("bukan anggota koperasi").any()
    # What raises it is named: membership for members, closeness for the close.
    assert reasons[~not_member].str.contains("anggota koperasi").mean() > 0.95
    assert reasons[frame["distance_km"] < 3].str.contains("dekat kantor cabang").mean() > 0.95
    assert not reasons[far & not_member & (frame["size_class"] != "menengah")].str.contains("koperasi|dekat|menengah").any()
    # Every named reason is a positive contribution of that business.
    C, codes, phrases = ex.contributions(frame)
    member_col = list(ex.numeric).index("coop_member")
    assert (C[~not_member.to_numpy(), member_col] > 0).all() and (C[not_member.to_numpy(), member_col] < 0).all()
    # English from the same catalogue.
    en = ex.reasons(frame, lang="en")
    assert en[~not_member].str.contains("cooperative member").mean() > 0.95 and not en.str.contains("far from").any()


def test_reasons_explain_the_uplift_when_the_list_is_sorted_by_uplift():
    """A factor that raises the chance to enrol but not the effect of an invitation (a
    sure thing) is not a reason when the reasons explain uplift."""
    frame, p = _synthetic()
    rng = np.random.default_rng(1)
    # The invitation works for those close by and not for medium businesses (who enrol anyway).
    uplift = 0.25 * (frame["distance_km"] < 10) * (frame["size_class"] != "menengah") + rng.normal(0, 0.01, len(frame))
    spec = scoring.FeatureSpec(("size_class",), ("coop_member", "distance_km", "owner_age"), ())
    by_uplift = scoring.Explainer.fit(spec, frame, uplift.to_numpy(), target="uplift")
    by_p = scoring.Explainer.fit(spec, frame, p, target="p_enroll")
    medium = frame["size_class"] == "menengah"
    assert by_p.reasons(frame)[medium].str.contains("usaha menengah").mean() > 0.9
    assert not by_uplift.reasons(frame)[medium].str.contains("usaha menengah").any()
    assert by_uplift.to_json()["target"] == "uplift" and by_uplift.fidelity["r2_holdout"] > 0.8


def test_trained_model_card_records_what_reasons_explain_and_how_faithfully(mid_world_small):
    db, models, result = mid_world_small
    ex = result.card["explainer"]
    assert result.card["uplift"]["available"] and ex["target"] == "uplift"
    assert 0.3 < ex["fidelity"]["r2_holdout"] <= 1 and ex["fidelity"]["rows"] > 1000
    assert "Reasons explain the uplift" in scoring.reasons_note(result.card, "en") and "R²" in scoring.reasons_note(result.card)
    scoring.score_all(db, ADMIN, models_dir=models)
    rows = db.execute("SELECT reasons, reasons_en FROM scores").fetchall()
    assert all(r[0] and r[1] for r in rows)
    assert any("cooperative member" in r[1] or "close to a branch office" in r[1] for r in rows)
    assert not any("koperasi" in r[1] or "kantor" in r[1] for r in rows)
    from planner.targets import targets

    en = targets(db, sort="uplift", limit=20, lang="en")
    assert en["reasons"].str.contains("cooperative|branch office|KUR|business|sector|region|NIB|owner|turnover|workers").all()


@pytest.fixture(scope="module")
def mid_world_small(tmp_path_factory):
    from planner import demo

    path = tmp_path_factory.mktemp("trust") / "mid.db"
    models = tmp_path_factory.mktemp("trust_models")
    db = connect(path)
    demo.create_demo(db, businesses=10_000, seed=11)
    result = scoring.train(db, ADMIN, models_dir=models, folds=3)
    yield db, models, result
    db.conn.close()


# --------------------------------------------------------------------------- D: uplift under targeting
def _world_and_histories(n: int = 20_000, seed: int = 3):
    """Demo businesses, one contact frame, and two histories of it: randomised (no
    propensity recorded, as an imported campaign) and threshold-targeted on an earlier
    score with 1% coin flips (each contact's chance recorded, as a plan records it)."""
    from faker import Faker

    from planner import demo
    from planner.reference import load_reference

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ref = connect(Path(tmp) / "ref.db")
        load_reference(ref)
        regs = demo._regencies(ref)
        ref.conn.close()
    rng = np.random.default_rng(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    biz = demo.build_businesses(n, regs, demo.build_potentials(regs, rng), rng, fake)
    frame = features.feature_frame(biz.drop(columns=["enrolled", "name"]), 2025)
    _, truth = demo.enrolment_model(biz)
    idx = np.flatnonzero((biz["enrolled"].to_numpy() == 0) & (rng.random(n) < 0.4))
    p_base, effect = demo.enrolment_model(biz.iloc[idx])
    draw = rng.random(len(idx))
    t_rand = (rng.random(len(idx)) < 0.5).astype(int)
    score = np.log(p_base / (1 - p_base)) + rng.normal(0, 0.3, len(idx))
    above = score > np.median(score)
    coin = rng.random(len(idx)) < 0.01
    t_targ = np.where(coin, rng.random(len(idx)) < 0.5, above).astype(int)
    e_targ = np.where(above, 0.995, 0.005)
    rows = frame.iloc[idx].reset_index(drop=True)

    def data(t, e):
        y = (draw < np.clip(p_base + t * effect, 0, 1)).astype(int)
        return scoring.TrainingData(rows, y, rows["regency_code"].to_numpy(), np.arange(len(idx)), t, e)

    open_ = np.flatnonzero(biz["enrolled"].to_numpy() == 0)
    return frame.iloc[open_], truth[open_], data(t_rand, np.full(len(idx), np.nan)), data(t_targ, e_targ)


def _capture(pred: np.ndarray, truth: np.ndarray, share: float = 0.2) -> float:
    top = np.argsort(-pred, kind="stable")[: int(len(pred) * share)]
    return float(truth[top].sum() / truth.sum())


def test_uplift_learned_from_a_targeted_history_uses_recorded_chances_and_says_where_it_extrapolates():
    from planner.scoring import propensity
    from planner.scoring import uplift as upl

    from threadpoolctl import threadpool_limits

    open_frame, truth, randomised, targeted = _world_and_histories()
    exclude = scoring.EXCLUDED_COLUMNS | {"owner_name", "phone"}
    with threadpool_limits(1, "openmp"):  # as train() does: OpenMP waits for busy cores
        fitted = scoring.fit_models(targeted, folds=3, exclude=exclude)
    up = fitted.card["uplift"]
    assert up["available"] and up["propensity"]["source"] == "recorded" and up["propensity"]["recorded"] == len(targeted.y)
    # Nobody could have gone either way except the coin flips: overlap is poor, said so
    # by group, and the weighted comparison (a few contacts with huge weights) is not trusted.
    assert up["overlap"]["share"] < 0.05 and up["overlap"]["no_overlap_groups"] > 0
    assert up["chosen_by"] == "poor_overlap" and up["chosen"] == "x"
    note = scoring.overlap_note(fitted.card, "en")
    assert "not random" in note and "extrapolated" in note and "X-learner" in note
    assert "tidak acak" in scoring.overlap_note(fitted.card)
    # It still ranks by effect, not by the base rate the targeting followed: close to what
    # the same learner learns from a randomised history of the same contacts.
    spec = scoring.FeatureSpec(tuple(fitted.card["features"]["categorical"]), tuple(fitted.card["features"]["numeric"]), ())
    X_open = scoring.model_input(open_frame, spec)
    got_targeted = _capture(upl.predict_uplift(fitted.uplift, X_open), truth)
    X = scoring.model_input(randomised.frame, spec)
    prop = propensity.propensities(spec, X, randomised.treated, randomised.propensity, folds=3)
    assert prop.source == "constant"  # an imported random campaign stays one
    with threadpool_limits(1, "openmp"):
        got_randomised = _capture(upl.predict_uplift(upl.fit_learner("x", spec, X, randomised.y, randomised.treated, prop.e), X_open), truth)
    oracle = _capture(truth + 1e-9 * np.random.default_rng(0).random(len(truth)), truth)
    assert got_randomised > 0.85 * oracle
    assert got_targeted > got_randomised - 0.06, (got_targeted, got_randomised)
    assert got_targeted > 2 * 0.2  # far above random scoring (0,2)


def test_propensities_recorded_fitted_or_constant_and_weighted_qini():
    from planner.scoring import propensity
    from planner.scoring import uplift as upl

    rng = np.random.default_rng(0)
    n = 3000
    frame = pd.DataFrame({"sector": rng.choice(list("ACG"), n), "workers": rng.integers(1, 20, n).astype(float)})
    spec = features.choose_features(frame, exclude=set())
    X = features.model_input(frame, spec)
    # Invitations that followed the features, nothing recorded: a fitted propensity model.
    t = (rng.random(n) < np.where(frame["workers"] > 10, 0.9, 0.1)).astype(int)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, "openmp"):
        prop = propensity.propensities(spec, X, t)
    assert prop.source == "fitted" and prop.e[frame["workers"] > 12].mean() > 0.75 and prop.e[frame["workers"] < 8].mean() < 0.25
    # Half recorded, half not: the recorded ones are used as they are.
    rec = np.where(np.arange(n) < n // 2, 0.3, np.nan)
    mixed = propensity.propensities(spec, X, t, rec)
    assert mixed.source == "mixed" and (mixed.e[: n // 2] == 0.3).all()
    # A random campaign: one constant.
    t2 = (rng.random(n) < 0.5).astype(int)
    assert propensity.propensities(spec, X, t2).source == "constant"
    # With a constant propensity the weighted Qini is the plain one.
    y = rng.integers(0, 2, n)
    u = rng.random(n)
    assert upl.qini_auc(y, u, t2, propensity.ipw_weights(t2, np.full(n, 0.5))) == pytest.approx(upl.qini_auc(y, u, t2))


# --------------------------------------------------------------------------- E: a model chosen by validation
def _labelled(kind: str, n: int = 4000, seed: int = 0) -> scoring.TrainingData:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(12)})
    frame["province"] = rng.choice(["16", "63", "31"], n)
    frame["sector"] = rng.choice(list("ACG"), n)
    frame["regency_code"] = frame["province"] + "." + pd.Series(rng.integers(1, 9, n)).astype(str).str.zfill(2)
    if kind == "additive":  # many weak straight effects: what a logistic model is made for
        logit = -1 + 0.35 * frame[[f"x{i}" for i in range(12)]].sum(axis=1)
    else:  # an interaction no additive model can draw
        logit = -1 + 2.5 * np.sign(frame["x0"] * frame["x1"]) + 1.5 * (frame["x2"] > 1)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return scoring.TrainingData(frame, y, frame["regency_code"].to_numpy(), np.arange(n), None)


@pytest.mark.parametrize("kind, expected", [("additive", "logit"), ("interaction", "hgb")])
def test_the_candidate_that_validates_best_is_kept_and_the_card_says_by_how_much(kind, expected):
    fitted = scoring.fit_models(_labelled(kind), folds=3, exclude={"regency_code"})
    choice = fitted.card["model_choice"]
    assert set(choice["candidates"]) == set(scoring.CANDIDATES)
    aucs = {k: v["roc_auc"] for k, v in choice["candidates"].items()}
    assert choice["winner"].startswith(expected), aucs
    assert choice["margin_over_next"] >= 0 and aucs[choice["winner"]] == max(aucs.values()) or choice["winner"] == scoring.DEFAULT_CANDIDATE
    last = fitted.model.calibrated_classifiers_[0].estimator[-1]
    assert type(last).__name__ == ("LogisticRegression" if choice["winner"] == "logit" else "HistGradientBoostingClassifier")
    # The validation reported is the winner's, and it beats the region x sector baseline.
    assert fitted.card["metrics"]["cv"]["model"]["roc_auc"] > fitted.card["metrics"]["cv"]["baseline"]["roc_auc"] + 0.1
    assert "ROC AUC" in scoring.choice_note(fitted.card, "en") and "kandidat" in scoring.choice_note(fitted.card)


def test_the_card_says_when_the_default_is_kept_because_no_candidate_beat_it_by_more_than_chance():
    card = {"model_choice": {"winner": "hgb", "margin_over_next": -0.001, "margin_over_default": 0.0,
                             "candidates": {"hgb": {"roc_auc": 0.681}, "logit": {"roc_auc": 0.682}, "hgb_small": {"roc_auc": 0.67}}}}
    en = scoring.choice_note(card, "en")
    assert "the default" in en and "is kept" in en and "logistic regression" in en and "0,001 higher" in en
    assert "tetap dipakai" in scoring.choice_note(card)
