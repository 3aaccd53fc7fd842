"""Enrolment model: training, validation, cold start, model files."""

import json

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from planner import scoring
from planner.errors import PlannerError
from planner.imports import import_frame


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
    result = scoring.train(demo_db, models_dir=tmp_path, folds=3)
    assert result.kind == "hgb"
    card = json.loads((tmp_path / f"{result.version}.json").read_text())
    for key in ("sklearn_version", "features", "data_hash", "metrics", "created", "rows"):
        assert card[key], key
    assert "distance_km" in card["features"]["numeric"]  # an attribute column became a feature
    cv = card["metrics"]["grouped_cv"]
    assert cv["group"] == "regency_code"
    assert cv["model"]["roc_auc"] > cv["baseline"]["roc_auc"]
    assert len(cv["model"]["calibration"]) >= 5
    assert card["metrics"]["time_split"]["model"]["rows"] > 0
    loaded_card, model = scoring.load_model(result.version, tmp_path)
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
    import_frame(ref_db, "businesses", biz)
    contacts = pd.DataFrame({"business_id": biz.business_id, "contacted_on": "2025-05-05", "channel": "sosialisasi",
                             "invited": 1, "enrolled": [1] * 5 + [0] * 25})
    import_frame(ref_db, "contacts", contacts)
    result = scoring.train(ref_db, models_dir=tmp_path)
    assert result.kind == "rates" and "30 kontak berlabel" in result.message
    card, model = scoring.load_model(result.version, tmp_path)
    p = model.predict_proba(pd.DataFrame({"province": ["16"], "sector": ["G"]}))[0, 1]
    assert p == pytest.approx(5 / 30)


def test_no_contacts_at_all_is_a_cold_start_not_a_crash(ref_db, tmp_path):
    result = scoring.train(ref_db, models_dir=tmp_path)
    assert result.kind == "rates" and "0 kontak" in result.message


class NotOurs:
    pass


def test_model_files_from_elsewhere_are_refused(demo_db, tmp_path):
    result = scoring.train(demo_db, models_dir=tmp_path, folds=2)
    card_path = tmp_path / f"{result.version}.json"
    model_path = tmp_path / f"{result.version}.skops"
    card = json.loads(card_path.read_text())
    # Another scikit-learn version.
    card_path.write_text(json.dumps({**card, "sklearn_version": "0.24.2"}))
    with pytest.raises(PlannerError, match="scikit-learn 0.24.2"):
        scoring.load_model(result.version, tmp_path)
    card_path.write_text(json.dumps(card))
    # A file with foreign types.
    sio.dump(NotOurs(), model_path)
    with pytest.raises(PlannerError, match="tidak ditulis Jangkau"):
        scoring.load_model(result.version, tmp_path)
    # Not a model file at all.
    model_path.write_bytes(b"not a zip")
    with pytest.raises(PlannerError, match="bukan model"):
        scoring.load_model(result.version, tmp_path)
    with pytest.raises(PlannerError, match="tidak ada"):
        scoring.load_model("m-nope", tmp_path)
    with pytest.raises(PlannerError, match="tidak dikenal"):
        scoring.activate(demo_db, "m-nope")
