"""Enrolment model: who is likely to enrol when invited.

Learns from ``contacts`` (invited businesses) joined to ``businesses``, every column
included (extra import columns arrive as the ``attributes`` JSON). The estimator is a
scikit-learn Pipeline of an OrdinalEncoder and a HistGradientBoostingClassifier with
native categorical splits, wrapped in isotonic calibration.

Validation matches use: folds grouped by regency (the model is used on businesses in
places it has not seen contacts from) and a time-ordered 80/20 split (it is used on the
next campaign, not a shuffled past). Both are reported next to a baseline of smoothed
region x sector enrolment rates.

Models are saved with skops (``models/<version>.skops``) next to a JSON model card;
loading accepts only the types Jangkau writes, never plain pickle. With fewer than
``MIN_LABELLED`` labelled contacts, or only one outcome, training falls back to the
smoothed rates and says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import sqlite_utils
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

from planner.db import ROOT, get_meta, set_meta, transaction
from planner.errors import PlannerError
from planner.i18n import fmt_int, fmt_num

MODELS_DIR = ROOT / "models"
MIN_LABELLED = 200
PRIOR_WEIGHT = 20.0  # pseudo-contacts pulling a region x sector rate to the overall rate
MAX_CATEGORIES = 50  # text columns with more distinct values (names, phones) are not features
SEED = 0

BASE_CATEGORICAL = ["province", "sector", "size_class"]
BASE_NUMERIC = ["workers", "business_age", "has_nib", "kur_recipient", "coop_member", "digital_payments"]


# --------------------------------------------------------------------------- features
def business_frame(rows: pd.DataFrame, reference_year: int | None = None) -> pd.DataFrame:
    """Businesses as model input: base columns plus every attribute, with derived
    ``province`` (from the Kemendagri regency code) and ``business_age``."""
    year = reference_year or dt.date.today().year
    out = rows.copy()
    out["province"] = out["regency_code"].str.slice(0, 2)
    out["business_age"] = (year - pd.to_numeric(out["founded_year"], errors="coerce")).clip(lower=0)
    if "attributes" in out.columns:
        attrs = pd.DataFrame.from_records(
            [json.loads(a) if a else {} for a in out["attributes"]], index=out.index
        )
        for c in attrs.columns:
            if c not in out.columns:
                out[c] = attrs[c]
        out = out.drop(columns=["attributes"])
    return out


@dataclass(frozen=True)
class FeatureSpec:
    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    dropped: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return list(self.categorical) + list(self.numeric)


def choose_features(frame: pd.DataFrame, exclude: set[str]) -> FeatureSpec:
    """Every usable column: numbers as numbers, text with few distinct values as
    categories; identifiers and free text (names, phone numbers) are dropped."""
    cats, nums, dropped = [], [], []
    for c in frame.columns:
        if c in exclude:
            continue
        s = frame[c]
        if c in BASE_CATEGORICAL:
            cats.append(c)
        elif pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            nums.append(c)
        else:
            numeric = pd.to_numeric(s, errors="coerce")
            if numeric.notna().mean() > 0.98 and not s.astype(str).str.match(r"^0\d").any():
                nums.append(c)
            elif s.nunique(dropna=True) <= MAX_CATEGORIES:
                cats.append(c)
            else:
                dropped.append(c)
    return FeatureSpec(tuple(cats), tuple(nums), tuple(dropped))


def model_input(frame: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """The feature matrix for ``spec``: missing columns are an error, categories are
    strings, numbers are floats (unparseable values become missing)."""
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise PlannerError(
            f"Kolom yang dipakai model tidak ada di data: {', '.join(missing)}. "
            "Impor ulang data dengan kolom itu, atau latih ulang model (python -m planner train)."
        )
    X = pd.DataFrame(index=frame.index)
    for c in spec.categorical:
        X[c] = frame[c].astype("string").fillna("").astype(object)
    for c in spec.numeric:
        X[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    return X


def build_pipeline(spec: FeatureSpec, n: int = 10_000) -> Pipeline:
    n_cat = len(spec.categorical)
    prep = ColumnTransformer(
        [
            (
                "cat",
                OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan),
                list(spec.categorical),
            ),
            ("num", "passthrough", list(spec.numeric)),
        ]
    )
    hgb = HistGradientBoostingClassifier(
        learning_rate=0.06,
        max_iter=250 if n >= 5000 else 120,  # small histories overfit long boosting runs
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        categorical_features=list(range(n_cat)),
        early_stopping=False,
        random_state=SEED,
    )
    return Pipeline([("prep", prep), ("hgb", hgb)])


def build_model(spec: FeatureSpec, n: int) -> CalibratedClassifierCV:
    """Calibrated pipeline; isotonic when there is enough data, else Platt scaling."""
    return CalibratedClassifierCV(build_pipeline(spec, n), method="isotonic" if n >= 2000 else "sigmoid", cv=3)


# --------------------------------------------------------------------------- baseline
class RateModel:
    """Smoothed region x sector enrolment rates: the baseline and the cold-start model."""

    def __init__(self, prior_weight: float = PRIOR_WEIGHT) -> None:
        self.prior_weight = prior_weight
        self.overall_ = 0.0
        self.province_: dict[str, float] = {}
        self.cell_: dict[str, float] = {}

    def fit(self, frame: pd.DataFrame, y: np.ndarray) -> "RateModel":
        y = np.asarray(y, dtype=float)
        self.overall_ = float(y.mean()) if len(y) else 0.0
        if not len(y):
            return self
        df = pd.DataFrame({"p": frame["province"].to_numpy(), "s": frame["sector"].to_numpy(), "y": y})
        k = self.prior_weight
        prov = df.groupby("p")["y"].agg(["sum", "count"])
        self.province_ = ((prov["sum"] + k * self.overall_) / (prov["count"] + k)).to_dict()
        cell = df.groupby(["p", "s"])["y"].agg(["sum", "count"]).reset_index()
        prior = cell["p"].map(self.province_).fillna(self.overall_)
        rates = (cell["sum"] + k * prior) / (cell["count"] + k)
        self.cell_ = dict(zip(cell["p"] + "/" + cell["s"], rates))
        return self

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        key = frame["province"].astype(str) + "/" + frame["sector"].astype(str)
        p = key.map(self.cell_)
        p = p.fillna(frame["province"].map(self.province_)).fillna(self.overall_).to_numpy(dtype=float)
        return np.column_stack([1 - p, p])

    def to_json(self) -> dict:
        return {"prior_weight": self.prior_weight, "overall": self.overall_, "province": self.province_, "cell": self.cell_}

    @classmethod
    def from_json(cls, data: dict) -> "RateModel":
        m = cls(data["prior_weight"])
        m.overall_, m.province_, m.cell_ = data["overall"], data["province"], data["cell"]
        return m


# --------------------------------------------------------------------------- metrics
def lift_at(y: np.ndarray, p: np.ndarray, share: float) -> float:
    """Enrolment rate among the top ``share`` by score, over the overall rate."""
    y = np.asarray(y, dtype=float)
    if y.mean() == 0:
        return float("nan")
    k = max(1, int(round(len(y) * share)))
    top = np.argsort(-np.asarray(p), kind="stable")[:k]
    return float(y[top].mean() / y.mean())


def evaluate(y: np.ndarray, p: np.ndarray) -> dict:
    y = np.asarray(y, dtype=int)
    p = np.clip(np.asarray(p, dtype=float), 0, 1)
    two = len(np.unique(y)) == 2
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="quantile") if two else ([], [])
    bins = pd.qcut(p, q=10, duplicates="drop") if two else None
    counts = pd.Series(p).groupby(bins, observed=True).size().tolist() if two else []
    return {
        "rows": int(len(y)),
        "positives": int(y.sum()),
        "roc_auc": float(roc_auc_score(y, p)) if two else float("nan"),
        "pr_auc": float(average_precision_score(y, p)) if two else float("nan"),
        "brier": float(brier_score_loss(y, p)),
        "lift_10": lift_at(y, p, 0.10),
        "lift_20": lift_at(y, p, 0.20),
        "calibration": [
            {"predicted": float(a), "observed": float(b), "rows": int(c)}
            for a, b, c in zip(prob_pred, prob_true, counts)
        ],
    }


@dataclass(frozen=True)
class TrainingData:
    frame: pd.DataFrame  # business features, one row per labelled contact
    y: np.ndarray
    groups: np.ndarray  # regency codes
    dates: np.ndarray  # contacted_on


def training_data(db: sqlite_utils.Database, invited: int | None = 1) -> TrainingData:
    where = "" if invited is None else f"WHERE c.invited = {int(invited)}"
    df = pd.DataFrame(
        db.query(
            f"""SELECT c.contacted_on, c.invited, c.enrolled AS y, b.*
            FROM contacts c JOIN businesses b ON b.business_id = c.business_id {where}
            ORDER BY c.contacted_on, c.id"""
        )
    )
    if df.empty:
        return TrainingData(pd.DataFrame(), np.array([], dtype=int), np.array([]), np.array([]))
    y = df.pop("y").to_numpy(dtype=int)
    dates = df.pop("contacted_on").to_numpy()
    df = df.drop(columns=["invited", "enrolled"])
    frame = business_frame(df)
    return TrainingData(frame, y, frame["regency_code"].to_numpy(), dates)


def cross_validate(data: TrainingData, spec: FeatureSpec, folds: int = 5) -> dict:
    """Out-of-fold scores with folds grouped by regency, and a time-ordered 80/20 split,
    for the model and the region x sector baseline."""
    X = model_input(data.frame, spec)
    n_groups = len(np.unique(data.groups))
    k = max(2, min(folds, n_groups))
    oof = np.zeros(len(data.y))
    oof_base = np.zeros(len(data.y))
    for train, test in GroupKFold(n_splits=k).split(X, data.y, data.groups):
        if len(np.unique(data.y[train])) < 2:
            oof[test] = oof_base[test] = data.y[train].mean()
            continue
        model = build_model(spec, len(train)).fit(X.iloc[train], data.y[train])
        oof[test] = model.predict_proba(X.iloc[test])[:, 1]
        oof_base[test] = RateModel().fit(data.frame.iloc[train], data.y[train]).predict_proba(data.frame.iloc[test])[:, 1]
    cut = int(len(data.y) * 0.8)
    order = np.argsort(data.dates, kind="stable")
    tr_idx, te_idx = order[:cut], order[cut:]
    time_split: dict = {}
    if len(np.unique(data.y[tr_idx])) == 2 and len(te_idx):
        m = build_model(spec, len(tr_idx)).fit(X.iloc[tr_idx], data.y[tr_idx])
        b = RateModel().fit(data.frame.iloc[tr_idx], data.y[tr_idx])
        time_split = {
            "cutoff": str(data.dates[order[cut]]) if cut < len(order) else None,
            "model": evaluate(data.y[te_idx], m.predict_proba(X.iloc[te_idx])[:, 1]),
            "baseline": evaluate(data.y[te_idx], b.predict_proba(data.frame.iloc[te_idx])[:, 1]),
        }
    return {
        "grouped_cv": {
            "folds": k,
            "group": "regency_code",
            "model": evaluate(data.y, oof),
            "baseline": evaluate(data.y, oof_base),
        },
        "time_split": time_split,
    }


# --------------------------------------------------------------------------- train / save / load
@dataclass(frozen=True)
class TrainResult:
    version: str
    kind: str  # "hgb" or "rates" (cold start)
    card: dict
    message: str


def _data_hash(data: TrainingData) -> str:
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(data.frame.drop(columns=[c for c in data.frame.columns if data.frame[c].dtype == object and c not in BASE_CATEGORICAL], errors="ignore"), index=False).to_numpy().tobytes())
    h.update(np.asarray(data.y, dtype=np.int8).tobytes())
    return h.hexdigest()


def train(db: sqlite_utils.Database, *, models_dir: Path | None = None, folds: int = 5, activate: bool = True) -> TrainResult:
    """Train, validate, save and (by default) activate a new model version."""
    models_dir = Path(models_dir or MODELS_DIR)
    models_dir.mkdir(parents=True, exist_ok=True)
    data = training_data(db)
    version = dt.datetime.now().strftime("m%Y%m%d-%H%M%S-%f")[:-3]
    card: dict = {
        "version": version,
        "created": dt.datetime.now().isoformat(timespec="seconds"),
        "sklearn_version": sklearn.__version__,
        "target": "enrolled after an invitation (contacts.invited = 1)",
        "rows": int(len(data.y)),
        "positives": int(data.y.sum()) if len(data.y) else 0,
        "data_hash": _data_hash(data) if len(data.y) else None,
    }
    one_class = len(np.unique(data.y)) < 2
    if len(data.y) < MIN_LABELLED or one_class:
        reason = (
            f"hanya {len(data.y)} kontak berlabel (minimal {MIN_LABELLED})"
            if len(data.y) < MIN_LABELLED
            else "semua kontak punya hasil yang sama"
        )
        frame = data.frame if len(data.y) else pd.DataFrame({"province": [], "sector": []})
        rates = RateModel().fit(frame, data.y)
        card.update(
            kind="rates",
            features={"categorical": ["province", "sector"], "numeric": [], "dropped": []},
            cold_start_reason=reason,
            rates=rates.to_json(),
            metrics={},
        )
        message = f"Data belum cukup untuk melatih model ({reason}); memakai tingkat pendaftaran wilayah × sektor yang dihaluskan."
    else:
        spec = choose_features(data.frame, exclude={"business_id", "regency_code", "founded_year", "name"})
        metrics = cross_validate(data, spec, folds)
        model = build_model(spec, len(data.y)).fit(model_input(data.frame, spec), data.y)
        import skops.io as sio

        sio.dump(model, models_dir / f"{version}.skops")
        card.update(
            kind="hgb",
            features={"categorical": list(spec.categorical), "numeric": list(spec.numeric), "dropped": list(spec.dropped)},
            metrics=metrics,
        )
        m = metrics["grouped_cv"]["model"]
        b = metrics["grouped_cv"]["baseline"]
        message = (
            f"Model {version} dilatih dari {fmt_int(len(data.y))} kontak: ROC AUC {fmt_num(m['roc_auc'], 3)} "
            f"(baseline wilayah × sektor {fmt_num(b['roc_auc'], 3)}), lift 10% teratas {fmt_num(m['lift_10'], 2)}×."
        )
    (models_dir / f"{version}.json").write_text(json.dumps(card, indent=1, ensure_ascii=False), encoding="utf-8")
    with transaction(db):
        db.execute(
            "INSERT INTO model_runs (version, kind, created, rows, roc_auc, card) VALUES (?,?,?,?,?,?)",
            [version, card["kind"], card["created"], card["rows"],
             card.get("metrics", {}).get("grouped_cv", {}).get("model", {}).get("roc_auc"), json.dumps(card)],
        )
        if activate:
            set_meta(db, "active_model", version)
    return TrainResult(version, card["kind"], card, message)


# Everything a Jangkau model file may contain; anything else is refused.
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.")
TRUSTED_EXACT = {"functools.partial"}


def load_model(version: str, models_dir: Path | None = None):
    """Load a saved model after checking its card and the types in the file."""
    models_dir = Path(models_dir or MODELS_DIR)
    card_path = models_dir / f"{version}.json"
    if not card_path.exists():
        raise PlannerError(f"Kartu model {card_path} tidak ada; latih model dengan python -m planner train.")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise PlannerError(f"Kartu model {card_path} rusak (bukan JSON); latih ulang model.") from None
    if card.get("kind") == "rates":
        return card, RateModel.from_json(card["rates"])
    if card.get("sklearn_version") != sklearn.__version__:
        raise PlannerError(
            f"Model {version} dilatih dengan scikit-learn {card.get('sklearn_version')}, sedangkan yang terpasang {sklearn.__version__}; "
            "latih ulang model (python -m planner train)."
        )
    import skops.io as sio

    path = models_dir / f"{version}.skops"
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # not a zip, not a skops file
        raise PlannerError(f"Berkas {path.name} bukan model yang ditulis Jangkau ({type(exc).__name__}); latih ulang model.") from None
    foreign = [t for t in untrusted if not (t.startswith(TRUSTED_PREFIXES) or t in TRUSTED_EXACT)]
    if foreign:
        raise PlannerError(f"Berkas {path.name} memuat tipe yang tidak ditulis Jangkau: {', '.join(foreign[:5])}; berkas ditolak.")
    try:
        model = sio.load(path, trusted=untrusted)
    except Exception as exc:
        raise PlannerError(f"Berkas {path.name} tidak dapat dibaca sebagai model ({type(exc).__name__}); latih ulang model.") from None
    return card, model


def list_models(db: sqlite_utils.Database) -> pd.DataFrame:
    active = get_meta(db, "active_model")
    df = pd.DataFrame(db.query("SELECT version, kind, created, rows, roc_auc FROM model_runs ORDER BY id DESC"))
    if not df.empty:
        df["active"] = df["version"] == active
    return df


def activate(db: sqlite_utils.Database, version: str) -> None:
    if db.execute("SELECT 1 FROM model_runs WHERE version = ?", [version]).fetchone() is None:
        raise PlannerError(f"Versi model {version} tidak dikenal; lihat daftar dengan python -m planner models.")
    with transaction(db):
        set_meta(db, "active_model", version)
