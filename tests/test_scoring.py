"""Enrolment model: training, validation, cold start, model files."""

import json

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from planner import scoring
from planner.errors import PlannerError
from planner.imports import import_frame
from planner.auth import system_user

ADMIN = system_user()


def test_lift_and_rate_model_by_hand():
    y = np.array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    p = np.array([0.9, 0.8, 0.1, 0.1, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1])
    assert scoring.lift_at(y, p, 0.10) == pytest.approx(1.0 / 0.2)  # top 1 row: 100% vs 20%
    assert scoring.lift_at(y, p, 0.20) == pytest.approx(0.5 / 0.2)
    frame = pd.DataFrame({"province": ["16", "16", "16", "31"], "sector": ["G", "G", "A", "G"]})
    m = scoring.RateModel(prior_weight=2).fit(frame, np.array([1, 1, 0, 0]))
    overall = 0.5
    prov16 = (2 + 2 * overall) / (3 + 2)  # 0.6
    assert m.province_["16"] == pytest.approx(prov16)
    assert m.cell_["16/G"] == pytest.approx((2 + 2 * prov16) / (2 + 2))
    unseen = m.predict_proba(pd.DataFrame({"province": ["99"], "sector": ["Z"]}))[0, 1]
    assert unseen == pytest.approx(overall)


def test_feature_choice_drops_identifiers_and_free_text():
    frame = pd.DataFrame(
        {
            "sector": ["G"] * 100,
            "owner_name": [f"Nama {i}" for i in range(100)],
            "phone": [f"0812{i:06d}" for i in range(100)],
            "distance_km": np.linspace(0, 10, 100),
            "channel_pref": ["wa", "telp"] * 50,
        }
    )
    spec = scoring.choose_features(frame, exclude=set())
    assert "distance_km" in spec.numeric and "channel_pref" in spec.categorical
    assert set(spec.dropped) == {"owner_name", "phone"}
    with pytest.raises(PlannerError, match="distance_km"):
        scoring.model_input(frame.drop(columns=["distance_km"]), spec)


def test_train_saves_card_and_model_and_beats_baseline(demo_db, tmp_path):
    result = scoring.train(demo_db, ADMIN, models_dir=tmp_path, folds=3)
    assert result.kind == "hgb"
    card = json.loads((tmp_path / f"{result.version}.json").read_text())
    for key in ("sklearn_version", "features", "data_hash", "metrics", "created", "rows"):
        assert card[key], key
    assert "distance_km" in card["features"]["numeric"]  # an attribute column became a feature
    cv = card["metrics"]["cv"]
    assert cv["protocol"] == "grouped" and cv["group"] == "regency_code"
    assert cv["model"]["roc_auc"] > cv["baseline"]["roc_auc"]
    assert len(cv["model"]["calibration"]) >= 5
    assert card["metrics"]["time_split"]["model"]["rows"] > 0
    loaded_card, model = scoring.load_model(demo_db, result.version, tmp_path)
    X = scoring.model_input(scoring.training_data(demo_db).frame, scoring.FeatureSpec(
        tuple(card["features"]["categorical"]), tuple(card["features"]["numeric"]), ()))
    p = model.predict_proba(X)[:, 1]
    assert ((p >= 0) & (p <= 1)).all() and p.std() > 0
    listed = scoring.list_models(demo_db)
    assert listed.iloc[0]["version"] == result.version and bool(listed.iloc[0]["active"])


def test_cold_start_falls_back_to_rates_and_says_so(ref_db, tmp_path):
    biz = pd.DataFrame(
        {"business_id": [f"B{i}" for i in range(30)], "name": "Warung", "regency_code": "16.71", "sector": "G",
         "size_class": "mikro", "workers": 2, "founded_year": 2019, "has_nib": 0, "kur_recipient": 0,
         "coop_member": 0, "digital_payments": 0, "enrolled": 0}
    )
    import_frame(ref_db, "businesses", biz, actor=ADMIN)
    contacts = pd.DataFrame({"business_id": biz.business_id, "contacted_on": "2025-05-05", "channel": "sosialisasi",
                             "invited": 1, "enrolled": [1] * 5 + [0] * 25})
    import_frame(ref_db, "contacts", contacts, actor=ADMIN)
    result = scoring.train(ref_db, ADMIN, models_dir=tmp_path)
    assert result.kind == "rates" and "30 kontak berlabel" in result.message
    card, model = scoring.load_model(ref_db, result.version, tmp_path)
    p = model.predict_proba(pd.DataFrame({"province": ["16"], "sector": ["G"]}))[0, 1]
    assert p == pytest.approx(5 / 30)


def test_no_contacts_at_all_is_a_cold_start_not_a_crash(ref_db, tmp_path):
    result = scoring.train(ref_db, ADMIN, models_dir=tmp_path)
    assert result.kind == "rates" and "0 kontak" in result.message


class NotOurs:
    pass


def _record_hashes(db, version, folder):
    """Record the current files' hashes as if train had written them: the checks behind
    the hash check (card, types) must hold on their own too."""
    import hashlib

    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob(f"{version}*")}
    db.execute("UPDATE model_runs SET files = ? WHERE version = ?", [json.dumps(files), version])


def test_model_files_from_elsewhere_are_refused(demo_db, tmp_path):
    result = scoring.train(demo_db, ADMIN, models_dir=tmp_path, folds=2)
    card_path = tmp_path / f"{result.version}.json"
    model_path = tmp_path / f"{result.version}.skops"
    card = json.loads(card_path.read_text())
    # Another scikit-learn version.
    card_path.write_text(json.dumps({**card, "sklearn_version": "0.24.2"}))
    with pytest.raises(PlannerError, match="tidak cocok"):  # not the card train wrote
        scoring.load_model(demo_db, result.version, tmp_path)
    _record_hashes(demo_db, result.version, tmp_path)
    with pytest.raises(PlannerError, match="scikit-learn 0.24.2"):
        scoring.load_model(demo_db, result.version, tmp_path)
    card_path.write_text(json.dumps(card))
    # A file with foreign types.
    sio.dump(NotOurs(), model_path)
    _record_hashes(demo_db, result.version, tmp_path)
    with pytest.raises(PlannerError, match="tidak ditulis Jangkau.*NotOurs"):
        scoring.load_model(demo_db, result.version, tmp_path)
    # Not a model file at all.
    model_path.write_bytes(b"not a zip")
    _record_hashes(demo_db, result.version, tmp_path)
    with pytest.raises(PlannerError, match="bukan model"):
        scoring.load_model(demo_db, result.version, tmp_path)
    with pytest.raises(PlannerError, match="tidak dikenal"):
        scoring.load_model(demo_db, "m-nope", tmp_path)
    with pytest.raises(PlannerError, match="tidak dikenal"):
        scoring.activate(demo_db, ADMIN, "m-nope")


# ---------------------------------------------------------------- uplift and scoring
from planner import demo  # noqa: E402
from planner.scoring import uplift  # noqa: E402
from planner.db import connect  # noqa: E402


def test_qini_by_hand_and_its_extremes():
    y = np.array([1, 0, 1, 0, 0, 1, 0, 0])
    t = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    x, curve = uplift.qini_curve(y, np.array([8, 7, 6, 5, 4, 3, 2, 1]), t)
    # Top 4 are all treated (2 responders, no controls yet), then controls eat into it.
    assert list(x) == [0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert curve[4] == pytest.approx(2.0)
    assert curve[-1] == pytest.approx(2 - 1 * 4 / 4)
    perfect = y * t - y * (1 - t)
    assert uplift.qini_auc(y, perfect, t) == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    big_y, big_t = rng.integers(0, 2, 20000), rng.integers(0, 2, 20000)
    assert abs(uplift.qini_auc(big_y, rng.random(20000), big_t)) < 0.05
    # Top half by score is all treated: no control to compare with.
    assert np.isnan(uplift.uplift_at(y, np.array([8, 7, 6, 5, 4, 3, 2, 1]), t, 0.5))
    # Top 5: treated rate 2/4 minus control rate 0/1; top 6: 2/4 minus 1/2.
    assert uplift.uplift_at(y, np.array([8, 7, 6, 5, 4, 3, 2, 1]), t, 0.625) == pytest.approx(0.5)
    assert uplift.uplift_at(y, np.array([8, 7, 6, 5, 4, 3, 2, 1]), t, 0.75) == pytest.approx(0.0)


@pytest.fixture(scope="module")
def mid_world(tmp_path_factory):
    """A demo world large enough for uplift (about 5.800 contacts), trained once."""
    path = tmp_path_factory.mktemp("mid") / "mid.db"
    models = tmp_path_factory.mktemp("models")
    db = connect(path)
    demo.create_demo(db, businesses=16_000, seed=11)
    result = scoring.train(db, ADMIN, models_dir=models, folds=3)
    yield db, models, result
    db.conn.close()


def test_uplift_ranks_persuadables_above_sure_things_and_lost_causes(mid_world):
    db, models, result = mid_world
    card = result.card["uplift"]
    assert card["available"] and card["chosen"] in ("t", "x", "dr")
    assert set(card["learners"]) == {"t", "x", "dr"}
    # An imported random campaign: no propensity recorded, none learnable, overlap everywhere.
    assert card["propensity"]["source"] == "constant" and card["overlap"]["share"] == 1.0 and card["chosen_by"] == "qini"
    assert all(v["qini"] > 0.05 for v in card["learners"].values())
    learner = scoring.load_uplift(db, result.version, models)
    data = scoring.training_data(db)
    spec = scoring.FeatureSpec(tuple(result.card["features"]["categorical"]), tuple(result.card["features"]["numeric"]), ())
    u = uplift.predict_uplift(learner, scoring.model_input(data.frame, spec))
    _, truth = demo.enrolment_model(data.frame)
    persuadable, sure, lost = u[truth == 0.30].mean(), u[truth == 0.01].mean(), u[truth == 0.0].mean()
    assert persuadable > sure + 0.08 and persuadable > lost + 0.08
    # Pairwise: a random persuadable outranks a random sure thing or lost cause most of the time.
    rng = np.random.default_rng(0)
    p_idx = rng.choice(np.flatnonzero(truth == 0.30), 2000)
    o_idx = rng.choice(np.flatnonzero((truth == 0.01) | (truth == 0.0)), 2000)
    assert (u[p_idx] > u[o_idx]).mean() > 0.75


def test_score_all_writes_scores_reasons_and_csv(mid_world, tmp_path, capsys):
    db, models, result = mid_world
    run = scoring.score_all(db, ADMIN, models_dir=models, chunk_size=3000)
    open_count = db.execute("SELECT COUNT(*) FROM businesses WHERE enrolled = 0").fetchone()[0]
    assert run.scored == open_count and run.with_uplift
    assert db.execute("SELECT COUNT(*) FROM scores").fetchone()[0] == open_count
    joined = db.execute("SELECT COUNT(*) FROM scores s JOIN businesses b USING (business_id) WHERE b.enrolled = 1").fetchone()[0]
    assert joined == 0
    df = scoring.export_scores(db)
    assert list(df.columns) == ["business_id", "p_enroll", "uplift", "reasons"]
    assert df["p_enroll"].between(0, 1).all() and df["uplift"].notna().all()
    assert df["reasons"].str.count(", ").le(2).all() and df["reasons"].str.count(", ").eq(2).mean() > 0.5
    assert df["reasons"].str.contains("koperasi|KUR|NIB|jarak|dekat|usaha|sektor|wilayah|pekerja|omzet|pemilik|digital|tidak ada faktor").all()


def test_failed_scoring_keeps_previous_scores(mid_world, tmp_path):
    db, models, result = mid_world
    scoring.score_all(db, ADMIN, models_dir=models)
    before = db.execute("SELECT COUNT(*), SUM(p_enroll) FROM scores").fetchone()
    model_file = models / f"{result.version}.skops"
    good = model_file.read_bytes()
    (models / f"{result.version}-uplift.skops").rename(tmp_path / "saved.skops")
    model_file.write_bytes(b"broken")
    try:
        with pytest.raises(PlannerError, match="tidak cocok"):
            scoring.score_all(db, ADMIN, models_dir=models)
    finally:  # the model is shared by the tests below
        model_file.write_bytes(good)
        (tmp_path / "saved.skops").rename(models / f"{result.version}-uplift.skops")
    assert db.execute("SELECT COUNT(*), SUM(p_enroll) FROM scores").fetchone() == before
    assert "scores_staging" not in db.table_names()


def _stored_scores(db):
    return db.execute("SELECT business_id, p_enroll, uplift, reasons FROM scores ORDER BY business_id").fetchall()


def test_scores_do_not_depend_on_workers_or_chunk_size(mid_world):
    db, models, result = mid_world
    scoring.score_all(db, ADMIN, models_dir=models, workers=1, chunk_size=100_000)
    one_chunk = _stored_scores(db)
    scoring.score_all(db, ADMIN, models_dir=models, workers=3, chunk_size=700)  # many chunks, out of step
    assert _stored_scores(db) == one_chunk
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_scoring_worker_threads_predict_on_one_openmp_thread_each():
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_info

    def omp_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp"]

    before = omp_threads()
    assert before  # scikit-learn's tree prediction is OpenMP
    with ThreadPoolExecutor(1, initializer=scoring.batch._one_openmp_thread) as pool:
        assert pool.submit(omp_threads).result() == [1] * len(before)
    assert omp_threads() == before  # the calling thread keeps its own setting


def test_one_encoding_pass_gives_the_same_numbers_as_each_pipeline(mid_world):
    import copy

    from sklearn.pipeline import Pipeline

    from threadpoolctl import threadpool_limits

    db, models, result = mid_world
    card, _ = scoring.load_model(db, result.version, models)
    learner = scoring.load_uplift(db, result.version, models)
    spec = scoring.FeatureSpec(tuple(card["features"]["categorical"]), tuple(card["features"]["numeric"]), ())
    data = scoring.training_data(db)
    X = scoring.model_input(data.frame, spec)
    X_inv = scoring.model_input(data.invited.frame, spec)
    with threadpool_limits(1, "openmp"):  # each candidate's calibrated model, fitted as train fits it
        model = scoring.build_model(spec, len(X_inv), "hgb").fit(X_inv, data.invited.y)
        logit = scoring.build_model(spec, len(X_inv), "logit", scoring.few_valued_columns(X_inv, spec)).fit(X_inv, data.invited.y)
    # The logistic candidate's rank transforms differ between its calibration fits: never shared.
    assert scoring.batch._shared_encoding(logit, learner) == (None, logit, learner)
    encoder, fast_model, fast_learner = scoring.batch._shared_encoding(model, learner)
    assert encoder is not None
    Z = encoder.transform(X)
    assert np.array_equal(fast_model.predict_proba(Z), model.predict_proba(X))
    assert np.array_equal(uplift.predict_uplift(fast_learner, Z), uplift.predict_uplift(learner, X))
    assert all(isinstance(cc.estimator, Pipeline) for cc in model.calibrated_classifiers_)  # loaded model untouched
    # An encoder that knows other categories: every pipeline encodes for itself.
    other = copy.deepcopy(learner)
    pipe = next(v for v in other.values() if isinstance(v, Pipeline))
    cats = pipe[0].named_transformers_["cat"].categories_
    cats[0] = cats[0][1:]
    assert scoring.batch._shared_encoding(model, other) == (None, model, other)


def test_swap_keeps_only_existing_businesses_and_runs_foreign_key_actions(mid_world):
    db, models, result = mid_world
    scoring.score_all(db, ADMIN, models_dir=models)
    real = db.execute("SELECT business_id FROM scores ORDER BY business_id LIMIT 1").fetchone()[0]

    def stage(ids):
        db.execute("DROP TABLE IF EXISTS temp.scores_staging")
        db.execute("DROP TABLE IF EXISTS temp.scores_reasons")
        db.execute("CREATE TEMP TABLE scores_staging (business_id TEXT, p_enroll REAL, uplift REAL, reason INTEGER)")
        db.execute("CREATE TEMP TABLE scores_reasons (id INTEGER PRIMARY KEY, text TEXT, text_en TEXT)")
        db.execute("INSERT INTO temp.scores_reasons VALUES (0, 'alasan', 'reason')")
        db.conn.executemany("INSERT INTO temp.scores_staging VALUES (?, 0.5, 0.1, 0)", [(i,) for i in ids])

    try:
        # A business deleted after it was read gets no score (and the swap does not fail).
        stage([real, "TIDAK-ADA"])
        scoring.batch._swap_scores(db, "v-test", "2026-01-01T00:00:00", ADMIN)
        assert db.execute("SELECT business_id, reasons FROM scores").fetchall() == [(real, "alasan")]
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        # A table that references scores: its ON DELETE CASCADE still runs.
        db.execute("CREATE TABLE score_notes (business_id TEXT REFERENCES scores(business_id) ON DELETE CASCADE)")
        db.execute("INSERT INTO score_notes VALUES (?)", [real])
        assert scoring.batch._referenced_by(db, "scores")
        stage([real])
        scoring.batch._swap_scores(db, "v-test", "2026-01-01T00:00:00", ADMIN)
        assert db.execute("SELECT COUNT(*) FROM score_notes").fetchone()[0] == 0
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        db.execute("DROP TABLE IF EXISTS score_notes")
        db.execute("DROP TABLE IF EXISTS temp.scores_staging")
        db.execute("DROP TABLE IF EXISTS temp.scores_reasons")
        scoring.score_all(db, ADMIN, models_dir=models)


def test_scoring_copes_with_unknown_categories_and_scores_absent_columns_as_missing(demo_db, tmp_path):
    scoring.train(demo_db, ADMIN, models_dir=tmp_path, folds=2)
    import_frame(
        demo_db,
        "businesses",
        pd.DataFrame([{"business_id": "NEW1", "name": "Toko Baru", "regency_code": "96.01", "sector": "U", "size_class": "menengah",
                       "workers": 50, "founded_year": 2024, "has_nib": 1, "kur_recipient": 0, "coop_member": 0,
                       "digital_payments": 1, "enrolled": 0, "distance_km": 3, "owner_age": 30, "monthly_revenue_mio": 5}]), actor=ADMIN)
    scoring.score_all(demo_db, ADMIN, models_dir=tmp_path)
    p = demo_db.execute("SELECT p_enroll FROM scores WHERE business_id = 'NEW1'").fetchone()[0]
    assert 0 <= p <= 1
    # A column the model uses that no open business has any more (e.g. every business
    # re-imported from a source without it): scored as missing, and said so. This used
    # to refuse to score at all, although gradient boosting routes missing values at
    # every split and the explanation fills them with the training median.
    demo_db.execute("UPDATE businesses SET attributes = json_remove(attributes, '$.distance_km')")
    run = scoring.score_all(demo_db, ADMIN, models_dir=tmp_path)
    open_count = demo_db.execute("SELECT COUNT(*) FROM businesses WHERE enrolled = 0").fetchone()[0]
    assert run.scored == open_count and run.absent == ("distance_km",)
    assert "distance_km" in run.note() and "distance_km" in run.note("en")
    assert demo_db.execute("SELECT COUNT(*) FROM scores WHERE p_enroll BETWEEN 0 AND 1").fetchone()[0] == open_count


def test_cli_train_and_score(demo_db_path, tmp_path, monkeypatch, capsys):
    from planner.cli import main

    monkeypatch.setattr(scoring.registry, "MODELS_DIR", tmp_path)
    assert main(["--db", str(demo_db_path), "train", "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "ROC AUC" in out and "kalibrasi" in out
    assert main(["--db", str(demo_db_path), "score", "--out", str(tmp_path / "skor.csv")]) == 0
    lines = (tmp_path / "skor.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "business_id,p_enroll,uplift,reasons" and len(lines) > 100
    assert main(["--db", str(demo_db_path), "models"]) == 0
    assert capsys.readouterr().out.count("*") >= 1
    # Retraining in one command, with what changed since the previous version.
    assert main(["--db", str(demo_db_path), "train", "--folds", "2", "--score"]) == 0
    out = capsys.readouterr().out
    assert "Perubahan dari m" in out and "(data sama)" in out and "dinilai ulang" in out
