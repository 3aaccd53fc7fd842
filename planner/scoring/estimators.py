"""The candidate estimators of the enrolment chance (gradient boosting of three sizes and a
regularised logistic regression), the smoothed-rates baseline and the ranking metrics
they are compared by; also the boosting pipelines the uplift learners and propensities use."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

from planner.scoring.features import FeatureSpec, SEED


PRIOR_WEIGHT = 20.0  # pseudo-contacts pulling a region x sector rate to the overall rate


# Candidate models for the enrolment chance, compared by the same grouped validation on
# every training (``compare_candidates``); the best out-of-fold ROC AUC is kept. The first
# is the long-standing default; the others are gradient boosting smaller and larger, and
# a regularised logistic regression on one-hot categories and a smooth curve of each
# number's rank.
CANDIDATES: dict[str, dict] = {
    "hgb": {"learning_rate": 0.06, "max_leaf_nodes": 15, "min_samples_leaf": 40, "l2_regularization": 1.0},
    "hgb_small": {"learning_rate": 0.1, "max_leaf_nodes": 7, "min_samples_leaf": 80, "l2_regularization": 3.0},
    "hgb_large": {"learning_rate": 0.04, "max_leaf_nodes": 31, "min_samples_leaf": 20, "l2_regularization": 0.3},
    "logit": {"C": 1.0, "degree": 3},
}


DEFAULT_CANDIDATE = "hgb"


FEW_VALUES = 12  # a numeric column with at most this many values is one-hot encoded by the logistic model


def build_pipeline(spec: FeatureSpec, n: int = 10_000, candidate: str = DEFAULT_CANDIDATE, few_valued: tuple[str, ...] = ()) -> Pipeline:
    """The (uncalibrated) pipeline of ``candidate``. ``few_valued``: numeric columns with
    few distinct values (flags, small counts), which the logistic model one-hot encodes
    instead of drawing a curve through a handful of points."""
    params = CANDIDATES[candidate]
    if candidate == "logit":
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures, QuantileTransformer

        few = [c for c in spec.numeric if c in few_valued]
        many = [c for c in spec.numeric if c not in few_valued]
        parts = [("cat", OneHotEncoder(handle_unknown="ignore", min_frequency=10), list(spec.categorical) + few)]
        # Each number by its rank (a missing one, MISSING_NUMBER, ranks lowest, as in the
        # trees), then a smooth curve of it (a cubic of the rank, one per column): a
        # straight effect and a bent one both fit. (Not SplineTransformer: its fitted
        # state holds scipy objects and functions that model files should not load.)
        parts += [(f"num{i}", Pipeline([("rank", QuantileTransformer(n_quantiles=200, random_state=SEED)),
                                        ("curve", PolynomialFeatures(degree=params["degree"], include_bias=False))]), [c])
                  for i, c in enumerate(many)]
        return Pipeline([("prep", ColumnTransformer(parts)), ("lr", LogisticRegression(C=params["C"], max_iter=2000))])
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
        **params,
        max_iter=300,
        categorical_features=list(range(n_cat)),
        # Stop when log-loss on a held-out 15% stops improving: outreach data is noisy,
        # and long runs only fit the noise (and cost time).
        early_stopping=True,
        validation_fraction=0.15,
        n_iter_no_change=15,
        random_state=SEED,
    )
    return Pipeline([("prep", prep), ("hgb", hgb)])


def build_model(spec: FeatureSpec, n: int, candidate: str = DEFAULT_CANDIDATE, few_valued: tuple[str, ...] = ()) -> CalibratedClassifierCV:
    """Calibrated pipeline; isotonic when there is enough data, else Platt scaling.

    The calibration folds are shuffled (stratified by outcome). Unshuffled folds of a
    table in date order are time blocks: each inner model then learns two periods and is
    calibrated on a third with another base rate, and the calibrators can flatten or
    even reverse the ranking (bank-full: 5-fold ROC AUC 0.73 with isotonic and 0.27 with
    sigmoid, against 0.80 with shuffled folds)."""
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
    return CalibratedClassifierCV(build_pipeline(spec, n, candidate, few_valued), method="isotonic" if n >= 2000 else "sigmoid", cv=folds)


def few_valued_columns(X: pd.DataFrame, spec: FeatureSpec) -> tuple[str, ...]:
    """Numeric columns with at most ``FEW_VALUES`` distinct values in ``X``."""
    return tuple(c for c in spec.numeric if X[c].nunique() <= FEW_VALUES)


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


# --------------------------------------------------------------------------- uplift and propensity estimators
def _prep(spec: FeatureSpec) -> ColumnTransformer:
    return ColumnTransformer(
        [
            ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan), list(spec.categorical)),
            ("num", "passthrough", list(spec.numeric)),
        ]
    )


def _boosted(estimator, spec: FeatureSpec) -> Pipeline:
    """The prepared features into gradient-boosted trees of ``estimator``'s kind, with the
    one set of settings the classifier and the regressor share."""
    return Pipeline(
        [
            ("prep", _prep(spec)),
            ("hgb", estimator(
                learning_rate=0.05, max_iter=150, max_leaf_nodes=8, min_samples_leaf=60, l2_regularization=1.0,
                early_stopping=False,
                categorical_features=list(range(len(spec.categorical))), random_state=SEED)),
        ]
    )


def _classifier(spec: FeatureSpec) -> Pipeline:
    return _boosted(HistGradientBoostingClassifier, spec)


def _regressor(spec: FeatureSpec) -> Pipeline:
    return _boosted(HistGradientBoostingRegressor, spec)
