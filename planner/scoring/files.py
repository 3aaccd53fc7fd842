"""Model files: skops only, never plain pickle. Loading checks each file's SHA-256
against the run's record and refuses any type outside ``MODEL_TYPES`` before anything
in it is built."""

from __future__ import annotations

import hashlib
import io
import json
import sklearn
import sqlite_utils
import zipfile
from pathlib import Path

from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t
from planner.scoring.estimators import RateModel
from planner.scoring.registry import models_home


# Every type a model file Jangkau writes contains, by its full name: the propensity
# model (isotonic or sigmoid calibration) and the T- and X-learner of uplift, as listed by
# ``model_file_types`` on freshly trained ones with scikit-learn 1.9 and skops 0.16.
# Loading refuses a file holding any other type, including types skops itself trusts by
# default, before building anything in it. ``tests/test_model_files.py`` trains each
# kind and checks that its files hold nothing else, so a scikit-learn upgrade that adds
# a type fails there, loudly, instead of loosening this list.
MODEL_TYPES = frozenset({
    "builtins.dict",
    "builtins.list",
    "builtins.slice",
    "builtins.str",
    "builtins.tuple",
    # HistGradientBoosting with native categorical splits builds, when fitted, a column
    # transformer whose numeric branch is FunctionTransformer(partial(check_array,
    # dtype=[float64], ensure_all_finite=False)) (gradient_boosting.py, _preprocess_X).
    # The only way to avoid it is to give up the categorical splits, so the partial is
    # allowed around check_array and nothing else (MODEL_PARTIAL_FUNCTIONS).
    "functools.partial",
    "numpy.float64",
    "numpy.ndarray",
    "numpy.random._generator.Generator",
    "numpy.uint64",
    "sklearn._loss._loss.CyHalfBinomialLoss",
    "sklearn._loss._loss.CyHalfSquaredError",
    "sklearn._loss.link.IdentityLink",
    "sklearn._loss.link.Interval",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.loss.HalfSquaredError",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingRegressor",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.isotonic.IsotonicRegression",
    # the logistic candidate: one-hot categories, a cubic curve of each number's rank
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.preprocessing._data.QuantileTransformer",
    "sklearn.preprocessing._encoders.OneHotEncoder",
    "sklearn.preprocessing._polynomial.PolynomialFeatures",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._encoders.OrdinalEncoder",
    "sklearn.preprocessing._function_transformer.FunctionTransformer",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.utils.validation.check_array",
})


MODEL_PARTIAL_FUNCTIONS = frozenset({"sklearn.utils.validation.check_array"})


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorded_files(db: sqlite_utils.Database, version: str) -> dict[str, str] | None:
    """The SHA-256 of each file ``train`` wrote for ``version`` (file name -> hex digest),
    or None for a version trained before Jangkau recorded them."""
    row = db.execute("SELECT files FROM model_runs WHERE version = ?", [version]).fetchone()
    if row is None:
        raise PlannerError(t("model.unknown_version", DEFAULT_LANG, version=version))
    return json.loads(row[0]) if row[0] else None


def _expected_files(db: sqlite_utils.Database, version: str, lang: str) -> dict[str, str]:
    files = recorded_files(db, version)
    if files is None:
        raise PlannerError(t("model.no_hashes", lang, version=version) + " " + t("model.retrain", lang))
    return files


def _read_verified(path: Path, files: dict[str, str], version: str, lang: str) -> bytes:
    """The bytes of ``path`` if their SHA-256 is the one recorded for it; read once, so
    what is checked is what is then parsed (no window to swap the file in between)."""
    expected = files.get(path.name)
    if expected is None:
        raise PlannerError(t("model.file_unrecorded", lang, file=path.name, version=version) + " " + t("model.retrain", lang))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlannerError(t("model.file_missing", lang, file=path) + " " + t("model.retrain", lang)) from None
    found = _sha256(data)
    if found != expected:
        raise PlannerError(
            t("model.file_changed", lang, file=path.name, expected=expected[:12], found=found[:12]) + " " + t("model.retrain", lang)
        )
    return data


def model_file_types(data: bytes) -> set[str]:
    """Every type named in a skops file (``module.name``), read from its ``schema.json``
    without importing or building anything.

    Every object skops builds is a node of the schema with ``__module__`` and
    ``__class__``; this collects all of them, including the ones skops trusts by
    default. A ``functools.partial`` is listed as ``functools.partial(<function>)``
    when its function is not in ``MODEL_PARTIAL_FUNCTIONS``. Raises ValueError (or
    zipfile.BadZipFile, KeyError) for a file that is not a skops file."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        schema = json.loads(zf.read("schema.json"))
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node or "__module__" in node:
                name = f"{node.get('__module__')}.{node.get('__class__')}"
                found.add(name)
                if name == "functools.partial":
                    content = node.get("content")
                    func = content.get("func") if isinstance(content, dict) else None
                    fname = f"{func.get('__module__')}.{func.get('__class__')}" if isinstance(func, dict) else repr(func)
                    if fname not in MODEL_PARTIAL_FUNCTIONS:
                        found.add(f"functools.partial({fname})")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _load_skops(path: Path, files: dict[str, str], version: str, lang: str = DEFAULT_LANG):
    """A model file, loaded only if its hash is the recorded one and every type in it is
    in ``MODEL_TYPES``."""
    import skops.io as sio

    data = _read_verified(path, files, version, lang)
    try:
        types = model_file_types(data)
    except Exception as exc:  # not a zip, no schema, not JSON
        raise PlannerError(t("model.not_a_model", lang, file=path.name, error=type(exc).__name__) + " " + t("model.retrain", lang)) from None
    foreign = sorted(types - MODEL_TYPES)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" (+{len(foreign) - 5})" if len(foreign) > 5 else "")
        raise PlannerError(t("model.foreign_types", lang, file=path.name, types=shown) + " " + t("model.retrain", lang))
    try:
        return sio.loads(data, trusted=sorted(types))
    except Exception as exc:
        raise PlannerError(t("model.unreadable", lang, file=path.name, error=type(exc).__name__) + " " + t("model.retrain", lang)) from None


def load_model(db: sqlite_utils.Database, version: str, models_dir: Path | None = None, *, lang: str = DEFAULT_LANG):
    """Load a saved propensity model: its card and model file must be the bytes ``train``
    recorded (SHA-256 in ``model_runs.files``), the card must name the installed
    scikit-learn, and the file may hold only ``MODEL_TYPES``. Returns ``(card, model)``."""
    models_dir = Path(models_dir or models_home())
    files = _expected_files(db, version, lang)
    card_path = models_dir / f"{version}.json"
    raw = _read_verified(card_path, files, version, lang)
    try:
        card = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PlannerError(t("model.card_broken", lang, path=card_path)) from None
    if card.get("kind") == "rates":
        return card, RateModel.from_json(card["rates"])
    if card.get("sklearn_version") != sklearn.__version__:
        raise PlannerError(t("model.sklearn_version", lang, version=version, trained=card.get("sklearn_version"), installed=sklearn.__version__))
    return card, _load_skops(models_dir / f"{version}.skops", files, version, lang)


def load_uplift(db: sqlite_utils.Database, version: str, models_dir: Path | None = None, *, lang: str = DEFAULT_LANG) -> dict | None:
    """The uplift learner saved with ``version``, or None if ``train`` wrote none. A file
    in its place that ``train`` did not record is refused, not ignored."""
    path = Path(models_dir or models_home()) / f"{version}-uplift.skops"
    files = _expected_files(db, version, lang)
    if path.name not in files and not path.exists():
        return None
    return _load_skops(path, files, version, lang)
