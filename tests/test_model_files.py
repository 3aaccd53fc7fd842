"""Model files: loaded only if they are the bytes ``train`` recorded, and hold only the
exact types Jangkau's own pipelines contain."""

import copy
import functools
import hashlib
import json
import os
import re
import shutil

import numpy as np
import pytest
import skops.io as sio
import sqlite_utils
from threadpoolctl import threadpool_limits

from planner import scoring
from planner.scoring import uplift
from planner.auth import system_user
from planner.db import connect
from planner.errors import PlannerError
from planner.migrations import migrations
from tests.conftest import copy_db

ADMIN = system_user()


@pytest.fixture(scope="module")
def trained_twice(demo_db_file, tmp_path_factory):
    """The small demo world with two versions trained on it (the second one active)."""
    folder = tmp_path_factory.mktemp("files")
    path = copy_db(demo_db_file, folder / "planner.db")
    db = connect(path)
    first = scoring.train(db, ADMIN, models_dir=folder / "models", folds=2)
    second = scoring.train(db, ADMIN, models_dir=folder / "models", folds=2)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    assert first.version != second.version
    return path, folder / "models", first.version, second.version


@pytest.fixture
def world(trained_twice, tmp_path):
    """A private copy: (db, models folder, first version, second version)."""
    path, models, v1, v2 = trained_twice
    shutil.copytree(models, tmp_path / "models")
    db = connect(copy_db(path, tmp_path / "planner.db"))
    yield db, tmp_path / "models", v1, v2
    db.conn.close()


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ the type list
def test_files_train_writes_hold_only_the_listed_types(world):
    db, models, v1, v2 = world
    files = scoring.recorded_files(db, v2)
    assert set(files) == {f"{v2}.skops", f"{v2}-uplift.skops", f"{v2}.json"}  # the demo world trains uplift
    for name in files:
        if name.endswith(".skops"):
            found = scoring.model_file_types((models / name).read_bytes())
            assert found <= scoring.MODEL_TYPES, sorted(found - scoring.MODEL_TYPES)
            assert not any(t.startswith("functools.partial(") for t in found)  # partials wrap check_array only


def test_the_type_list_is_exactly_what_every_kind_of_model_holds(demo_db):
    """Each kind train can write — sigmoid (under 2.000 contacts) and isotonic calibration,
    T-, X- and DR-learner, and the logistic candidate — saved and read back: together they hold every listed type and
    nothing else. A scikit-learn or skops upgrade that adds a type fails here, and so does
    a type left on the list that Jangkau no longer writes."""
    data = scoring.training_data(demo_db)
    invited = data.invited
    spec = scoring.choose_features(invited.frame, scoring.EXCLUDED_COLUMNS)
    X_inv = scoring.model_input(invited.frame, spec)
    X_all = scoring.model_input(data.frame, spec)
    with threadpool_limits(limits=1, user_api="openmp"):  # as train fits them
        objects = {
            "sigmoid": scoring.build_model(spec, 500).fit(X_inv, invited.y),
            "isotonic": scoring.build_model(spec, 2000).fit(X_inv, invited.y),
            "t-learner": uplift.fit_learner("t", spec, X_all, data.y, data.treated),
            "x-learner": uplift.fit_learner("x", spec, X_all, data.y, data.treated),
            "dr-learner": uplift.fit_learner("dr", spec, X_all, data.y, data.treated),
            "logit": scoring.build_model(spec, 2000, "logit", scoring.few_valued_columns(X_inv, spec)).fit(X_inv, invited.y),
        }
    found = {name: scoring.model_file_types(sio.dumps(obj)) for name, obj in objects.items()}
    for name, types in found.items():
        assert types <= scoring.MODEL_TYPES, (name, sorted(types - scoring.MODEL_TYPES))
    assert set().union(*found.values()) == scoring.MODEL_TYPES
    assert "sklearn.calibration._SigmoidCalibration" in found["sigmoid"] and "sklearn.isotonic.IsotonicRegression" in found["isotonic"]
    # Why functools.partial is on the list: gradient boosting with categorical features
    # wraps check_array in a partial inside its own fitted preprocessor.
    hgb = objects["isotonic"].calibrated_classifiers_[0].estimator[-1]
    func = hgb._preprocessor.named_transformers_["numerical"].func
    assert isinstance(func, functools.partial) and func.func.__name__ == "check_array"


# ------------------------------------------------------------------ hostile files
def _swap_in(db, models, version, obj) -> None:
    """Put ``obj`` in place of ``version``'s model file and record its hash as if train
    had written it: the type check must stop it on its own."""
    path = models / f"{version}.skops"
    sio.dump(obj, path)
    files = scoring.recorded_files(db, version)
    files[path.name] = sha(path)
    db.execute("UPDATE model_runs SET files = ? WHERE version = ?", [json.dumps(files), version])


def _with_preprocessor_func(model, func):
    """A copy of the trained model whose boosting preprocessor calls ``func`` on every
    batch it scores: where a hostile file hides code that runs at prediction time."""
    bad = copy.deepcopy(model)
    for cc in bad.calibrated_classifiers_:
        cc.estimator[-1]._preprocessor.named_transformers_["numerical"].func = func
    return bad


def _refused_without_running(db, models, version, marker, type_name) -> None:
    with pytest.raises(PlannerError) as exc:
        scoring.load_model(db, version, models)
    assert type_name in str(exc.value) and "tidak ditulis Jangkau" in str(exc.value) and "python -m planner train" in str(exc.value)
    with pytest.raises(PlannerError, match=re.escape(type_name)):
        scoring.score_all(db, ADMIN, models_dir=models)
    assert not marker.exists() and not marker.with_suffix(".npy").exists()


OLD_PREFIXES = ("sklearn.", "numpy.", "scipy.")  # the trust rule this replaces


def _assert_live(db, version, bad, marker) -> None:
    """The payload is real: the old rule (any type named sklearn.*, numpy.*, scipy.*, plus
    functools.partial) let it through, and once loaded, scoring runs it."""
    data = sio.dumps(bad)
    untrusted = sio.get_untrusted_types(data=data)
    assert all(t.startswith(OLD_PREFIXES) or t == "functools.partial" for t in untrusted)
    live = sio.loads(data, trusted=untrusted)
    card = scoring.card_of(db, version)
    spec = scoring.FeatureSpec(tuple(card["features"]["categorical"]), tuple(card["features"]["numeric"]), ())
    with pytest.raises(Exception):  # the payload's return value breaks the prediction, after it ran
        live.predict_proba(scoring.model_input(scoring.training_data(db).frame.head(5), spec))
    assert marker.exists()
    marker.unlink()


def test_a_numpy_function_in_a_model_file_is_refused_without_running_it(world, tmp_path):
    """``numpy.save`` placed in the boosting preprocessor writes a file the moment the
    model scores anything."""
    db, models, v1, v2 = world
    _, model = scoring.load_model(db, v2, models)
    marker = tmp_path / "written.npy"
    bad = _with_preprocessor_func(model, functools.partial(np.save, str(marker)))
    _assert_live(db, v2, bad, marker)
    _swap_in(db, models, v2, bad)
    _refused_without_running(db, models, v2, marker, "numpy.save")


def test_a_scikit_learn_test_helper_in_a_model_file_is_refused(world, tmp_path):
    """The reported attack: sklearn.utils._testing runs any Python source in a
    subprocess, and its name starts with 'sklearn.'."""
    from sklearn.utils._testing import assert_run_python_script_without_output

    db, models, v1, v2 = world
    _, model = scoring.load_model(db, v2, models)
    marker = tmp_path / "ran.txt"
    payload = functools.partial(assert_run_python_script_without_output, f"open({str(marker)!r}, 'w').close()")
    bad = _with_preprocessor_func(model, payload)
    _assert_live(db, v2, bad, marker)
    _swap_in(db, models, v2, bad)
    _refused_without_running(db, models, v2, marker, "sklearn.utils._testing.assert_run_python_script_without_output")


def test_a_pipeline_step_that_calls_the_shell_is_refused(world, tmp_path):
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    db, models, v1, v2 = world
    marker = tmp_path / "shell.txt"
    shell = functools.partial(os.system, f"touch {marker}")
    _swap_in(db, models, v2, Pipeline([("run", FunctionTransformer(shell))]))
    name = f"{os.system.__module__}.system"  # posix.system
    _refused_without_running(db, models, v2, marker, f"functools.partial({name})")


def test_a_type_skops_trusts_by_default_but_jangkau_never_writes_is_refused(world):
    from sklearn.tree import DecisionTreeClassifier  # LogisticRegression is one of ours since the logistic candidate

    db, models, v1, v2 = world
    _swap_in(db, models, v2, DecisionTreeClassifier())
    with pytest.raises(PlannerError, match="DecisionTreeClassifier"):
        scoring.load_model(db, v2, models)


# ------------------------------------------------------------------ recorded hashes
def test_the_normal_path_scores(world):
    db, models, v1, v2 = world
    files = scoring.recorded_files(db, v2)
    assert all(sha(models / name) == digest for name, digest in files.items())
    run = scoring.score_all(db, ADMIN, models_dir=models)
    assert run.version == v2 and run.scored > 0 and run.with_uplift
    audit = json.loads(db.execute("SELECT after FROM audit_log WHERE action = 'model.train' ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert audit["files"] == files


@pytest.mark.parametrize("suffix", [".skops", "-uplift.skops", ".json"])
def test_one_changed_byte_is_refused_with_the_hashes_and_the_fix(world, suffix, capsys, monkeypatch):
    db, models, v1, v2 = world
    path = models / f"{v2}{suffix}"
    expected = scoring.recorded_files(db, v2)[path.name]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    found = sha(path)
    with pytest.raises(PlannerError) as exc:
        scoring.score_all(db, ADMIN, models_dir=models)
    text = str(exc.value)
    assert path.name in text and expected[:12] in text and found[:12] in text
    assert "python -m planner train" in text and "Latih ulang" in text
    en = pytest.raises(PlannerError, scoring.score_all, db, ADMIN, models_dir=models, lang="en")
    assert "does not match" in str(en.value) and "Retrain" in str(en.value)
    # The CLI says the same and exits 2, not with a traceback.
    from planner.cli import main

    monkeypatch.setenv("PLANNER_MODELS", str(models))
    assert main(["--db", db.conn.execute("PRAGMA database_list").fetchone()[2], "score"]) == 2
    assert expected[:12] in capsys.readouterr().err


def test_files_swapped_between_versions_are_refused(world):
    db, models, v1, v2 = world
    shutil.copyfile(models / f"{v1}.skops", models / f"{v2}.skops")
    with pytest.raises(PlannerError, match=rf"{v2}\.skops.*tidak cocok"):
        scoring.load_model(db, v2, models)
    # ... and the card of one version under the other's name
    shutil.copyfile(models / f"{v1}.json", models / f"{v2}.json")
    with pytest.raises(PlannerError, match=rf"{v2}\.json"):
        scoring.load_model(db, v2, models)
    # The first version is untouched and still loads.
    card, _ = scoring.load_model(db, v1, models)
    assert card["version"] == v1


def test_a_file_without_a_recorded_hash_is_refused(world):
    db, models, v1, v2 = world
    files = scoring.recorded_files(db, v2)
    # An uplift file next to a version recorded without one: refused, not ignored.
    del files[f"{v2}-uplift.skops"]
    db.execute("UPDATE model_runs SET files = ? WHERE version = ?", [json.dumps(files), v2])
    with pytest.raises(PlannerError, match=rf"{v2}-uplift\.skops tidak tercatat"):
        scoring.score_all(db, ADMIN, models_dir=models)
    (models / f"{v2}-uplift.skops").unlink()
    assert scoring.load_uplift(db, v2, models) is None  # none recorded, none there
    # A recorded file that is gone.
    (models / f"{v2}.skops").unlink()
    with pytest.raises(PlannerError, match="tidak ada.*python -m planner train"):
        scoring.load_model(db, v2, models)


def test_a_version_without_recorded_hashes_is_refused_with_the_retrain_message(world):
    db, models, v1, v2 = world
    db.execute("UPDATE model_runs SET files = NULL WHERE version = ?", [v2])
    with pytest.raises(PlannerError) as exc:
        scoring.score_all(db, ADMIN, models_dir=models)
    assert v2 in str(exc.value) and "sebelum Jangkau mencatat" in str(exc.value) and "python -m planner train" in str(exc.value)
    # Retraining records them again.
    result = scoring.train(db, ADMIN, models_dir=models, folds=2)
    assert scoring.score_all(db, ADMIN, models_dir=models).version == result.version


def test_versions_trained_before_the_migration_have_no_hashes(tmp_path):
    """A database from before 0007: its model runs get a NULL ``files`` and are refused."""
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="0007_model_files")
    assert "files" not in old["model_runs"].columns_dict
    card = {"version": "m-old", "kind": "rates", "rates": scoring.RateModel().to_json()}
    old.execute("INSERT INTO model_runs (version, kind, created, rows, roc_auc, card) VALUES ('m-old', 'rates', '2026-01-01', 0, NULL, ?)", [json.dumps(card)])
    old.conn.commit()
    old.conn.close()
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m-old.json").write_text(json.dumps(card))
    db = connect(path)  # migrates
    assert scoring.recorded_files(db, "m-old") is None
    with pytest.raises(PlannerError, match="m-old.*sebelum Jangkau mencatat.*Latih ulang"):
        scoring.load_model(db, "m-old", tmp_path / "models")
    db.conn.close()
