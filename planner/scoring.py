"""Enrolment model: who is likely to enrol when invited.

Learns from ``contacts`` (invited businesses) joined to ``businesses``, every column
included (extra import columns arrive as the ``attributes`` JSON). The estimator is a
scikit-learn Pipeline of an OrdinalEncoder and a HistGradientBoostingClassifier with
native categorical splits, wrapped in isotonic calibration.

Validation matches use: folds grouped by regency (the model is used on businesses in
places it has not seen contacts from) and a time-ordered 80/20 split (it is used on the
next campaign, not a shuffled past). Both are reported next to a baseline of smoothed
region x sector enrolment rates.

Models are saved with skops (``models/<version>.skops``) next to a JSON model card,
never plain pickle. ``train`` records the SHA-256 of every file it writes in
``model_runs.files``; loading refuses a file whose hash differs from that record, and
then any file holding a type outside ``MODEL_TYPES`` (the exact types Jangkau's own
pipelines contain), before anything in it is built. With fewer than
``MIN_LABELLED`` labelled contacts, or only one outcome, training falls back to the
smoothed rates and says so.
"""

from __future__ import annotations

import contextlib
import csv
import warnings
import datetime as dt
import hashlib
import io
import json
import math
import os
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import sqlite_utils
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

from planner.audit import record
from planner.auth import User, require
from planner.db import ROOT, get_meta, set_meta, transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, STRINGS, fmt_int, fmt_num, fmt_pct, t

MODELS_DIR = ROOT / "models"


def models_home() -> Path:
    """Where model files live: ``$PLANNER_MODELS`` if set, else ``models/``."""
    return Path(os.environ.get("PLANNER_MODELS") or MODELS_DIR)

MIN_LABELLED = 200
PRIOR_WEIGHT = 20.0  # pseudo-contacts pulling a region x sector rate to the overall rate
SEED = 0



# --------------------------------------------------------------------------- features
# One feature builder for training and scoring lives in planner.features; these names
# stay importable from here for the code and benchmarks that use them.
from planner.features import (  # noqa: E402,F401
    BUSINESS_COLUMNS,
    MISSING_NUMBER,
    FeatureSpec,
    as_category,
    as_number,
    attribute_sql,
    business_rows,
    check_leakage,
    choose_features,
    contact_rows,
    feature_frame,
    model_input,
)
from planner.features import _category_text  # noqa: E402,F401


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


def compare_candidates(data: "TrainingData", spec: FeatureSpec, X: pd.DataFrame, splits: list) -> dict:
    """Every candidate's out-of-fold ROC AUC and log loss on the same folds (uncalibrated:
    calibration hardly moves the ranking and triples the fits). The winner is the best
    ROC AUC; the default stays unless another beats it by more than 0.002 (noise)."""
    from sklearn.metrics import log_loss

    few = few_valued_columns(X, spec)
    scores = {}
    for name in CANDIDATES:
        oof = np.full(len(data.y), float(data.y.mean()))
        for train, test in splits:
            if len(np.unique(data.y[train])) < 2:
                continue
            model = build_pipeline(spec, len(train), name, few).fit(X.iloc[train], data.y[train])
            oof[test] = model.predict_proba(X.iloc[test])[:, 1]
        two = len(np.unique(data.y)) == 2
        scores[name] = {"roc_auc": float(roc_auc_score(data.y, oof)) if two else float("nan"),
                        "log_loss": float(log_loss(data.y, np.clip(oof, 1e-6, 1 - 1e-6), labels=[0, 1]))}
    best = max(scores, key=lambda k: (scores[k]["roc_auc"], k == DEFAULT_CANDIDATE))
    if best != DEFAULT_CANDIDATE and scores[best]["roc_auc"] - scores[DEFAULT_CANDIDATE]["roc_auc"] <= 0.002:
        best = DEFAULT_CANDIDATE
    others = [scores[k]["roc_auc"] for k in scores if k != best]
    return {"winner": best, "few_valued": list(few), "candidates": scores,
            "margin_over_next": float(scores[best]["roc_auc"] - max(others)) if others else 0.0,
            "margin_over_default": float(scores[best]["roc_auc"] - scores[DEFAULT_CANDIDATE]["roc_auc"])}


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
    """Labelled rows for the generic training path: any table of business-like rows."""

    frame: pd.DataFrame  # features, one row per labelled contact
    y: np.ndarray  # enrolled (1) or not (0)
    groups: np.ndarray | None = None  # e.g. regency codes: folds never split a group
    dates: np.ndarray | None = None  # contact dates (or row order) for the time split
    treated: np.ndarray | None = None  # invited (1) or not (0); None = all invited
    # The recorded chance each row had of being invited (a plan's selection
    # probability); NaN where unknown (an imported history), None when nothing is known.
    propensity: np.ndarray | None = None
    kept: np.ndarray | None = None  # True where the business's state at the contact was kept

    def subset(self, mask: np.ndarray) -> "TrainingData":
        pick = lambda a: None if a is None else a[mask]
        return TrainingData(self.frame.loc[mask].reset_index(drop=True), self.y[mask], pick(self.groups), pick(self.dates),
                            pick(self.treated), pick(self.propensity), pick(self.kept))

    @property
    def invited(self) -> "TrainingData":
        return self if self.treated is None else self.subset(self.treated == 1)


EXCLUDED_COLUMNS = {"business_id", "regency_code", "founded_year", "name"}


def training_data(db: sqlite_utils.Database) -> TrainingData:
    """Every contact (walk-ins aside) with its business as it was when the contact was
    recorded, seen at the contact's date, in date order (``planner.features``)."""
    h = contact_rows(db)
    if not len(h.enrolled):
        empty = np.array([], dtype=int)
        return TrainingData(pd.DataFrame({"province": [], "sector": []}), empty, np.array([]), np.array([]), empty,
                            np.array([], dtype=float), np.array([], dtype=bool))
    frame = feature_frame(h.rows, h.dates)
    return TrainingData(frame, h.enrolled, frame["regency_code"].to_numpy(), h.dates, h.invited, h.selection_prob, h.kept)


def _splits(data: TrainingData, X: pd.DataFrame, folds: int):
    if data.groups is not None and len(np.unique(data.groups)) >= 2:
        k = max(2, min(folds, len(np.unique(data.groups))))
        return "grouped", k, list(GroupKFold(n_splits=k).split(X, data.y, data.groups))
    k = max(2, min(folds, int(np.bincount(data.y).min()) if len(np.unique(data.y)) == 2 else 2))
    return "stratified", k, list(StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED).split(X, data.y))


def _has_rates_columns(frame: pd.DataFrame) -> bool:
    return {"province", "sector"} <= set(frame.columns)


def cross_validate(data: TrainingData, spec: FeatureSpec, folds: int = 5, candidate: str = DEFAULT_CANDIDATE,
                   few_valued: tuple[str, ...] = ()) -> dict:
    """Out-of-fold scores (folds grouped by region when regions are known, stratified
    otherwise) and a time-ordered 80/20 split, for the model and, where the data has
    regions and sectors, the region x sector baseline."""
    X = model_input(data.frame, spec)
    how, k, splits = _splits(data, X, folds)
    baseline = _has_rates_columns(data.frame)
    oof = np.zeros(len(data.y))
    oof_base = np.zeros(len(data.y))
    for train, test in splits:
        if len(np.unique(data.y[train])) < 2:
            oof[test] = oof_base[test] = data.y[train].mean()
            continue
        model = build_model(spec, len(train), candidate, few_valued).fit(X.iloc[train], data.y[train])
        oof[test] = model.predict_proba(X.iloc[test])[:, 1]
        if baseline:
            oof_base[test] = RateModel().fit(data.frame.iloc[train], data.y[train]).predict_proba(data.frame.iloc[test])[:, 1]
    out = {"cv": {"protocol": how, "folds": k, "group": "regency_code" if how == "grouped" else None, "model": evaluate(data.y, oof)},
           "_oof": oof}  # out-of-fold predictions, for the size-class calibration (not stored)
    if baseline:
        out["cv"]["baseline"] = evaluate(data.y, oof_base)
    order = np.argsort(data.dates, kind="stable") if data.dates is not None else np.arange(len(data.y))
    cut = int(len(data.y) * 0.8)
    tr_idx, te_idx = order[:cut], order[cut:]
    if len(np.unique(data.y[tr_idx])) == 2 and len(np.unique(data.y[te_idx])) == 2:
        m = build_model(spec, len(tr_idx), candidate, few_valued).fit(X.iloc[tr_idx], data.y[tr_idx])
        block = {
            "cutoff": str(data.dates[order[cut]]) if data.dates is not None else f"row {cut}",
            "model": evaluate(data.y[te_idx], m.predict_proba(X.iloc[te_idx])[:, 1]),
        }
        if baseline:
            b = RateModel().fit(data.frame.iloc[tr_idx], data.y[tr_idx])
            block["baseline"] = evaluate(data.y[te_idx], b.predict_proba(data.frame.iloc[te_idx])[:, 1])
        out["time_split"] = block
    return out


@dataclass
class Fitted:
    """What the generic training path produces (nothing written yet)."""

    kind: str  # "hgb" or "rates"
    card: dict
    model: object  # CalibratedClassifierCV or RateModel
    uplift: dict | None  # a fitted T-/X-learner, or None
    message: str


def fit_models(data: TrainingData, *, folds: int = 5, exclude: set[str] = EXCLUDED_COLUMNS, lang: str = DEFAULT_LANG) -> Fitted:
    """The generic training path: propensity model on the invited rows (with validation
    and a baseline), and, where invited and not-invited rows exist, the better of a T-
    and an X-learner for uplift. Falls back to smoothed rates when data is too thin."""
    from planner import uplift as upl

    invited = data.invited
    card: dict = {
        "sklearn_version": sklearn.__version__,
        "target": "enrolled after an invitation",
        "rows": int(len(invited.y)),
        "positives": int(invited.y.sum()) if len(invited.y) else 0,
        "data_hash": _data_hash(data),
    }
    if data.kept is not None and len(data.kept):
        # How many contacts were learned from the business as it was at the contact,
        # and how many from today's row (recorded before Jangkau kept snapshots).
        card["history"] = {"contacts": int(len(data.kept)), "state_at_contact": int(np.sum(data.kept)),
                           "state_today": int(len(data.kept) - np.sum(data.kept)), "age_at": "contact date"}
    if len(invited.y) < MIN_LABELLED or len(np.unique(invited.y)) < 2:
        reason = (
            f"hanya {len(invited.y)} kontak berlabel (minimal {MIN_LABELLED})"
            if len(invited.y) < MIN_LABELLED
            else "semua kontak punya hasil yang sama"
        )
        rates = RateModel().fit(invited.frame, invited.y)
        card.update(kind="rates", cold_start_reason=reason, rates=rates.to_json(), metrics={},
                    features={"categorical": ["province", "sector"], "numeric": [], "dropped": []})
        message = f"Data belum cukup untuk melatih model ({reason}); memakai tingkat pendaftaran wilayah × sektor yang dihaluskan."
        return Fitted("rates", card, rates, None, message)

    from planner import calibration

    spec = choose_features(invited.frame, exclude=exclude)
    X_inv = model_input(invited.frame, spec)
    card["single_feature_auc"] = check_leakage(X_inv, spec, invited.y, lang)
    _, _, splits = _splits(invited, X_inv, folds)
    with warnings.catch_warnings():
        # a rank transform of a column with fewer distinct values than quantiles says so
        warnings.filterwarnings("ignore", message="n_quantiles .* is greater than the total number of samples")
        chosen = compare_candidates(invited, spec, X_inv, splits)
        few = tuple(chosen["few_valued"])
        metrics = cross_validate(invited, spec, folds, chosen["winner"], few)
        oof = metrics.pop("_oof")
        model = build_model(spec, len(invited.y), chosen["winner"], few).fit(X_inv, invited.y)
    card["model_choice"] = chosen
    card.update(
        kind="hgb",
        features={"categorical": list(spec.categorical), "numeric": list(spec.numeric), "dropped": list(spec.dropped)},
        metrics=metrics,
    )
    if "size_class" in invited.frame.columns:
        card["size_calibration"] = calibration.size_calibration(invited.frame["size_class"].to_numpy(), oof, invited.y)
    m = metrics["cv"]["model"]
    message = f"Model dilatih dari {fmt_int(len(invited.y))} kontak: ROC AUC {fmt_num(m['roc_auc'], 3)}"
    if "baseline" in metrics["cv"]:
        message += f" (baseline wilayah × sektor {fmt_num(metrics['cv']['baseline']['roc_auc'], 3)})"
    message += f", lift 10% teratas {fmt_num(m['lift_10'], 2)}×."

    learner = None
    if data.treated is not None:
        why_not = upl.can_learn(data.treated, data.y)
        if why_not:
            card["uplift"] = {"available": False, "why": why_not, "reason": _why_text(why_not, "id")}
            message += " " + t("uplift.not_learned", "id", reason=_why_text(why_not, "id"))
        else:
            X_all = model_input(data.frame, spec)
            prop = upl.propensities(spec, X_all, data.treated, data.propensity, folds=min(folds, 5))
            evals = upl.compare_learners(spec, data.frame, data.y, data.treated, data.groups, folds=min(folds, 5), e=prop.e)
            region = upl.overlap(prop.e, data.frame)
            chosen, why_chosen = upl.choose_learner(evals, region["share"])
            best = evals[chosen]
            pseudo = upl.dr_pseudo_outcomes(spec, X_all, data.y, data.treated, prop.e) if best.learner == "dr" else None
            learner = upl.fit_learner(best.learner, spec, X_all, data.y, data.treated, prop.e, pseudo)
            card["uplift"] = {
                "available": True,
                "chosen": best.learner,
                "chosen_by": why_chosen,
                "calibration": calibration.uplift_ratios(data.y, data.treated, best.oof, w=upl.ipw_weights(data.treated, prop.e)),
                "learners": {k: {"qini": e.qini, "uplift_at_30": e.uplift_at_30, "curve_x": e.curve_x, "curve_y": e.curve_y} for k, e in evals.items()},
                "rows": int(len(data.y)),
                "invited": int(data.treated.sum()),
                "propensity": prop.card(),
                "overlap": region,
            }
            message += f" Uplift: {best.learner.upper()}-learner, Qini {fmt_num(best.qini, 3)}."
    # The reasons explain what the list is sorted by: the uplift where there is one.
    if learner is not None:
        explainer = Explainer.fit(spec, data.frame, upl.predict_uplift(learner, X_all), target="uplift")
    else:
        explainer = Explainer.fit(spec, invited.frame, model.predict_proba(X_inv)[:, 1], target="p_enroll")
    card["explainer"] = explainer.to_json()
    return Fitted("hgb", card, model, learner, message)


def _why_text(why: dict, lang: str) -> str:
    """A stored reason (i18n key and parameters) in ``lang``; numbers the Indonesian way."""
    params = {k: fmt_int(v) if isinstance(v, (int, np.integer)) else v for k, v in (why.get("params") or {}).items()}
    return t(why["key"], lang, **params)


def uplift_reason(card: dict, lang: str = DEFAULT_LANG) -> str:
    """Why the model has no uplift part, in ``lang`` ("" when it has one)."""
    up = card.get("uplift") or {}
    if up.get("available"):
        return ""
    if card.get("kind") == "rates":
        return t("uplift.why.cold", lang)
    if up.get("why"):
        return _why_text(up["why"], lang)
    return up.get("reason") or t("uplift.why.cold", lang)


def choice_note(card: dict, lang: str = DEFAULT_LANG) -> str:
    """Which candidate model won the validation and by how much ("" for older cards)."""
    ch = card.get("model_choice")
    if not ch:
        return ""
    w = ch["winner"]
    if ch["margin_over_next"] < 0:  # the default kept: no other beat it by more than the noise limit
        other = max((k for k in ch["candidates"] if k != w), key=lambda k: ch["candidates"][k]["roc_auc"])
        return t("model.choice_default", lang, n=len(ch["candidates"]), winner=t(f"model.candidate.{w}", lang),
                 auc=fmt_num(ch["candidates"][w]["roc_auc"], 3), other=t(f"model.candidate.{other}", lang),
                 diff=fmt_num(-ch["margin_over_next"], 3))
    return t("model.choice", lang, n=len(ch["candidates"]), winner=t(f"model.candidate.{w}", lang),
             auc=fmt_num(ch["candidates"][w]["roc_auc"], 3), margin=fmt_num(ch["margin_over_next"], 3),
             over_default=fmt_num(ch["margin_over_default"], 3))


def reasons_note(card: dict, lang: str = DEFAULT_LANG) -> str:
    """What the reasons explain and how faithfully ("" for a model without reasons)."""
    ex = card.get("explainer") or {}
    fidelity = ex.get("fidelity") or {}
    if "r2_holdout" not in fidelity:
        return ""
    target = t(f"reason.target.{ex.get('target', 'p_enroll')}", lang)
    return t("model.reasons_line", lang, target=target, r2=fmt_pct(max(0.0, fidelity["r2_holdout"]), 0))


def overlap_note(card: dict, lang: str = DEFAULT_LANG) -> str:
    """Where the uplift is extrapolated rather than learned ("" when the history could
    show the effect of an invitation nearly everywhere)."""
    up = card.get("uplift") or {}
    region = up.get("overlap") if up.get("available") else None
    if not region or (region["share"] >= 0.9 and not region.get("no_overlap")):
        return ""
    share = fmt_pct(region["share"], 0)
    names = []
    for g in region.get("no_overlap", [])[:6]:
        v = _province_names().get(g["value"], g["value"]) if g["column"] == "province" else (
            t(f"size.{g['value']}", lang) if g["column"] == "size_class" and f"size.{g['value']}" in STRINGS else g["value"])
        names.append(t(f"uplift.group.{g['column']}", lang, v=v))
    more = region.get("no_overlap_groups", len(names)) - len(names)
    if more > 0:
        names.append(f"+{fmt_int(more)}")
    text = t("uplift.overlap_note", lang, share=share, groups=", ".join(names)) if names else t("uplift.overlap_share_only", lang, share=share)
    if up.get("chosen_by") == "poor_overlap":
        text += " " + t("uplift.poor_overlap_learner", lang)
    return text


def uplift_note(card: dict, lang: str = DEFAULT_LANG) -> str:
    """What a person should know when the model has no uplift part ("" when it has one):
    why not, and that targets and plans then rank by enrolment chance x workers.

    Shown on Sasaran and Jadwal and printed by ``score`` and ``schedule``: without it a
    list sorted by "uplift" silently sorts by something else."""
    reason = uplift_reason(card, lang)
    return t("uplift.fallback", lang, reason=reason) if reason else ""


@dataclass(frozen=True)
class TrainResult:
    version: str
    kind: str  # "hgb" or "rates" (cold start)
    card: dict
    message: str


def _data_hash(data: TrainingData) -> str | None:
    if not len(data.y):
        return None
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(data.frame.astype(str), index=False).to_numpy().tobytes())
    h.update(np.asarray(data.y, dtype=np.int8).tobytes())
    if data.treated is not None:
        h.update(np.asarray(data.treated, dtype=np.int8).tobytes())
    return h.hexdigest()


def excluded_columns(db: sqlite_utils.Database) -> list[str]:
    """Columns a person has told training never to use (``train --exclude``)."""
    raw = get_meta(db, "model_exclude")
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        value = []
    return sorted(str(v) for v in value) if isinstance(value, list) else []


def exclude_columns(db: sqlite_utils.Database, actor: User, columns: list[str]) -> list[str]:
    """Add ``columns`` to those training never uses (kept for every later training, in
    the app too: a column refused as leaking stays out). Returns the whole list."""
    require(actor, "admin", "manager")
    with transaction(db):
        before = excluded_columns(db)
        after = sorted(set(before) | {c.strip() for c in columns if c.strip()})
        if after != before:
            set_meta(db, "model_exclude", json.dumps(after, ensure_ascii=False))
            record(db, actor, "model.exclude", "meta", "model_exclude", {"columns": before}, {"columns": after})
    return after


def train(db: sqlite_utils.Database, actor: User, *, models_dir: Path | None = None, folds: int = 5, activate: bool = True,
          lang: str = DEFAULT_LANG) -> TrainResult:
    """Train on the stored contact history, save ``models/<version>.skops`` (+ uplift)
    and its JSON card, record the run and (by default) make it the active version.
    Managers and admins only.

    Tree building runs on one OpenMP thread: on a shared machine, scikit-learn's
    per-tree parallel regions wait for every core, and a fit that takes a second alone
    took minutes with one core busy elsewhere."""
    from threadpoolctl import threadpool_limits

    require(actor, "admin", "manager")
    models_dir = Path(models_dir or models_home())
    models_dir.mkdir(parents=True, exist_ok=True)
    with threadpool_limits(limits=1, user_api="openmp"):
        user_excluded = excluded_columns(db)
        fitted = fit_models(training_data(db), folds=folds, exclude=EXCLUDED_COLUMNS | set(user_excluded), lang=lang)
    if user_excluded:
        fitted.card["excluded_by_user"] = user_excluded
    version = dt.datetime.now().strftime("m%Y%m%d-%H%M%S-%f")[:-3]
    card = {"version": version, "created": dt.datetime.now().isoformat(timespec="seconds"), **fitted.card}
    import skops.io as sio

    files: dict[str, str] = {}  # file name -> SHA-256, recorded with the run

    def write(name: str, data: bytes) -> None:
        (models_dir / name).write_bytes(data)
        files[name] = _sha256(data)

    if fitted.kind == "hgb":
        write(f"{version}.skops", sio.dumps(fitted.model))
        if fitted.uplift is not None:
            write(f"{version}-uplift.skops", sio.dumps(fitted.uplift))
    write(f"{version}.json", json.dumps(card, indent=1, ensure_ascii=False).encode("utf-8"))
    auc = card.get("metrics", {}).get("cv", {}).get("model", {}).get("roc_auc")
    with transaction(db):
        db.execute(
            "INSERT INTO model_runs (version, kind, created, rows, roc_auc, card, files) VALUES (?,?,?,?,?,?,?)",
            [version, card["kind"], card["created"], card["rows"], auc, json.dumps(card), json.dumps(files, sort_keys=True)],
        )
        before = get_meta(db, "active_model")
        if activate:
            set_meta(db, "active_model", version)
        record(db, actor, "model.train", "model_runs", version, {"active_model": before},
               {"kind": card["kind"], "rows": card["rows"], "roc_auc": auc, "active_model": version if activate else before, "files": files})
    return TrainResult(version, fitted.kind, card, f"{version}: {fitted.message}")


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
        raise PlannerError(f"Versi model {version} tidak dikenal; lihat daftar dengan python -m planner models.")
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
        raise PlannerError(f"Kartu model {card_path} rusak (bukan JSON); latih ulang model.") from None
    if card.get("kind") == "rates":
        return card, RateModel.from_json(card["rates"])
    if card.get("sklearn_version") != sklearn.__version__:
        raise PlannerError(
            f"Model {version} dilatih dengan scikit-learn {card.get('sklearn_version')}, sedangkan yang terpasang {sklearn.__version__}; "
            "latih ulang model (python -m planner train)."
        )
    return card, _load_skops(models_dir / f"{version}.skops", files, version, lang)


def load_uplift(db: sqlite_utils.Database, version: str, models_dir: Path | None = None, *, lang: str = DEFAULT_LANG) -> dict | None:
    """The uplift learner saved with ``version``, or None if ``train`` wrote none. A file
    in its place that ``train`` did not record is refused, not ignored."""
    path = Path(models_dir or models_home()) / f"{version}-uplift.skops"
    files = _expected_files(db, version, lang)
    if path.name not in files and not path.exists():
        return None
    return _load_skops(path, files, version, lang)


def card_of(db: sqlite_utils.Database, version: str) -> dict:
    row = db.execute("SELECT card FROM model_runs WHERE version = ?", [version]).fetchone()
    if row is None:
        raise PlannerError(f"Versi model {version} tidak dikenal; lihat daftar dengan python -m planner models.")
    return json.loads(row[0])


def compare_versions(db: sqlite_utils.Database, new: str, old: str) -> dict:
    """What changed from ``old`` to ``new``: data size, features, and each metric."""
    a, b = card_of(db, old), card_of(db, new)
    feats = lambda c: set(c.get("features", {}).get("categorical", [])) | set(c.get("features", {}).get("numeric", []))
    metrics = []
    for block in ("cv", "time_split"):
        for name in ("roc_auc", "pr_auc", "brier", "lift_10", "lift_20"):
            va = a.get("metrics", {}).get(block, {}).get("model", {}).get(name)
            vb = b.get("metrics", {}).get(block, {}).get("model", {}).get(name)
            if va is not None or vb is not None:
                metrics.append({"validation": block, "metric": name, "old": va, "new": vb,
                                "change": (vb - va) if va is not None and vb is not None else None})
    qini = lambda c: (c.get("uplift", {}).get("learners", {}).get(c.get("uplift", {}).get("chosen"), {}) or {}).get("qini")
    return {
        "old": old, "new": new,
        "rows": (a.get("rows"), b.get("rows")),
        "positives": (a.get("positives"), b.get("positives")),
        "kind": (a.get("kind"), b.get("kind")),
        "features_added": sorted(feats(b) - feats(a)),
        "features_removed": sorted(feats(a) - feats(b)),
        "data_changed": a.get("data_hash") != b.get("data_hash"),
        "metrics": metrics,
        "qini": (qini(a), qini(b)),
    }


def list_models(db: sqlite_utils.Database) -> pd.DataFrame:
    active = get_meta(db, "active_model")
    df = pd.DataFrame(db.query("SELECT version, kind, created, rows, roc_auc FROM model_runs ORDER BY id DESC"))
    if not df.empty:
        df["active"] = df["version"] == active
    return df


def activate(db: sqlite_utils.Database, actor: User, version: str) -> None:
    """Make ``version`` the active model (managers and admins)."""
    require(actor, "admin", "manager")
    if db.execute("SELECT 1 FROM model_runs WHERE version = ?", [version]).fetchone() is None:
        raise PlannerError(f"Versi model {version} tidak dikenal; lihat daftar dengan python -m planner models.")
    with transaction(db):
        before = get_meta(db, "active_model")
        set_meta(db, "active_model", version)
        record(db, actor, "model.activate", "meta", "active_model", {"active_model": before}, {"active_model": version})


# --------------------------------------------------------------------------- explanations
# Features with their own phrases (i18n ``reason.<feature>.hi`` / ``.lo``: the business's
# value above or below the average); any other number uses ``reason.num.hi`` / ``.lo``.
REASON_FEATURES = ("has_nib", "kur_recipient", "coop_member", "digital_payments", "workers", "business_age",
                   "distance_km", "owner_age", "monthly_revenue_mio")
REASON_CATEGORIES = ("size_class", "sector", "province")  # ``reason.cat.<column>``; others ``reason.cat.other``
REASON_LANGS = ("id", "en")
MAX_BINS = 8  # a numeric feature's surrogate is a step function of at most this many steps


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    with open(ROOT / "data" / "provinces.csv", encoding="utf-8") as fh:
        return {r["kemendagri_code"]: r["name_common"] for r in csv.DictReader(fh)}


def _numeric_phrase(column: str, side: str, lang: str) -> str:
    """The phrase for a number above ("hi") or below ("lo") average, or missing ("na")."""
    if side == "na":
        return t("reason.missing", lang, col=column)
    if column in REASON_FEATURES:
        return t(f"reason.{column}.{side}", lang)
    return t(f"reason.num.{side}", lang, col=column)


def _category_phrase(column: str, value: str, lang: str) -> str:
    if value == "":
        return t("reason.missing", lang, col=column)
    if column == "sector":
        shown = t(f"reason.sector.{value}", lang) if f"reason.sector.{value}" in STRINGS else value
    elif column == "province":
        shown = _province_names().get(value, value)
    elif column == "size_class":
        shown = t(f"size.{value}", lang) if f"size.{value}" in STRINGS else value
    else:
        shown = value
    key = f"reason.cat.{column}" if column in REASON_CATEGORIES else "reason.cat.other"
    return t(key, lang, v=shown, col=column)


def _category_phrase_list(column: str, values, lang: str = DEFAULT_LANG) -> list[str]:
    """Phrase per distinct value, in the order of ``values``."""
    return [_category_phrase(column, str(v), lang) for v in values]


class Explainer:
    """Names the factors that raise a business's score, and only those.

    A surrogate of the score the list is sorted by — the uplift where an uplift model
    exists, else the log-odds of the enrolment chance — as a sum of one step function
    per feature (numbers cut at their training quantiles, missing its own step; each
    category its own value), fitted by ridge regression on the training rows. Each
    business's contribution of a feature is its step's value minus the average
    business's, so its sign says whether that factor pushes *this* business above or
    below the average; reasons are the largest positive contributions. How much of the
    score the surrogate reproduces (R², also on rows held out of its fit) is stored with
    it and shown on the model card. Vectorised: a million businesses in about a second."""

    def __init__(self, target: str, numeric: dict, categorical: dict, fidelity: dict | None = None, legacy: dict | None = None) -> None:
        self.target = target  # "uplift" or "p_enroll"
        self.numeric = numeric  # name -> {"edges": [...], "values": [...], "missing": v, "mean": m}
        self.categorical = categorical  # name -> {"map": {value: v}, "other": v}
        self.fidelity = fidelity or {}
        self.legacy = legacy  # an explainer stored by an older version: linear, refitted never

    # ------------------------------------------------------------------ fitting
    @classmethod
    def fit(cls, spec: FeatureSpec, frame: pd.DataFrame, score: np.ndarray, *, target: str = "p_enroll", seed: int = SEED) -> "Explainer":
        """Fit the surrogate to ``score``: uplift values (``target="uplift"``) or
        enrolment probabilities (``"p_enroll"``, explained on the log-odds scale)."""
        score = np.nan_to_num(np.asarray(score, dtype=float), nan=0.0)
        if target != "uplift":
            p = np.clip(np.where(np.isfinite(score), score, 0.5), 1e-4, 1 - 1e-4)
            score = np.log(p / (1 - p))
        n = len(score)
        blocks, layout = [], []  # one-hot blocks, and (feature, kind, labels) per block
        numeric: dict[str, dict] = {}
        for c in spec.numeric:
            x = as_number(frame[c]).to_numpy(dtype=float)
            seen = x[np.isfinite(x)]
            edges = np.unique(np.quantile(seen, np.linspace(0, 1, MAX_BINS + 1)[1:-1])) if len(seen) else np.array([])
            numeric[c] = {"edges": edges.tolist(), "mean": float(seen.mean()) if len(seen) else 0.0}
            blocks.append(cls._numeric_bins(x, edges))
            layout.append((c, "num", len(edges) + 2))  # bins + missing
        categorical: dict[str, dict] = {}
        for c in spec.categorical:
            key = as_category(frame[c])
            code, uniques = pd.factorize(key, use_na_sentinel=False)
            categorical[c] = {"values": [str(u) for u in uniques]}
            blocks.append(code.astype(np.int64))
            layout.append((c, "cat", len(uniques)))
        if not blocks:
            return cls(target, {}, {}, {"r2": 0.0, "r2_holdout": 0.0, "rows": int(n)})
        design = cls._design(blocks, [k for _, _, k in layout], n)
        rng = np.random.default_rng(seed)
        hold = rng.random(n) < 0.2
        fidelity = {"rows": int(n)}
        if hold.sum() >= 20 and (~hold).sum() >= 20:
            part = cls._ridge(design[~hold], score[~hold])
            fidelity["r2_holdout"] = _r2(score[hold], design[hold] @ part[1:] + part[0])
        coef = cls._ridge(design, score)
        fitted = design @ coef[1:] + coef[0]
        fidelity["r2"] = _r2(score, fitted)
        fidelity.setdefault("r2_holdout", fidelity["r2"])
        # Centre each feature's steps on its average over the training rows: a
        # contribution is then relative to the average business.
        pos = 1
        for (c, kind, k), b in zip(layout, blocks):
            steps = coef[pos:pos + k]
            pos += k
            centred = steps - float(steps[b].mean())
            if kind == "num":
                numeric[c].update(values=centred[:-1].tolist(), missing=float(centred[-1]))
            else:
                categorical[c] = {"map": dict(zip(categorical[c]["values"], centred.tolist())), "other": float(-steps[b].mean())}
        return cls(target, numeric, categorical, fidelity)

    @staticmethod
    def _numeric_bins(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
        """Step index of each value: 0..len(edges) for numbers, len(edges) + 1 for missing."""
        idx = np.searchsorted(edges, np.where(np.isfinite(x), x, 0.0), side="right")
        return np.where(np.isfinite(x), idx, len(edges) + 1).astype(np.int64)

    @staticmethod
    def _design(blocks: list[np.ndarray], sizes: list[int], n: int):
        from scipy import sparse

        offsets = np.cumsum([0] + sizes[:-1])
        cols = np.concatenate([b + o for b, o in zip(blocks, offsets)])
        rows = np.tile(np.arange(n), len(blocks))
        return sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n, int(sum(sizes))))

    @staticmethod
    def _ridge(design, y: np.ndarray) -> np.ndarray:
        from sklearn.linear_model import Ridge

        m = Ridge(alpha=1.0).fit(design, y)
        return np.r_[m.intercept_, m.coef_]

    # ------------------------------------------------------------------ storage
    def to_json(self) -> dict:
        return {"target": self.target, "numeric": self.numeric, "categorical": self.categorical, "fidelity": self.fidelity}

    @classmethod
    def from_json(cls, data: dict) -> "Explainer":
        if "coef" in data:  # stored by a version before reasons followed the sign
            return cls("p_enroll", {}, {}, {}, legacy=data)
        return cls(data.get("target", "p_enroll"), data["numeric"], data["categorical"], data.get("fidelity"))

    # ------------------------------------------------------------------ contributions
    def contributions(self, frame: pd.DataFrame) -> tuple[np.ndarray, list[np.ndarray], list[list[tuple]]]:
        """Per row and feature, the contribution to the explained score; with each
        feature's phrase code per row and the phrase identities those codes stand for."""
        contrib, codes, phrases = [], [], []
        if self.legacy is not None:
            return self._legacy_contributions(frame)
        for c, info in self.numeric.items():
            x = as_number(frame[c]).to_numpy(dtype=float)
            b = self._numeric_bins(x, np.asarray(info["edges"], dtype=float))
            steps = np.r_[np.asarray(info["values"], dtype=float), info["missing"]]
            contrib.append(steps[b])
            codes.append(np.where(~np.isfinite(x), 2, np.where(x > info["mean"], 0, 1)))
            phrases.append([("num", c, "hi"), ("num", c, "lo"), ("num", c, "na")])
        for c, info in self.categorical.items():
            v = as_category(frame[c])
            code, uniques = pd.factorize(v, use_na_sentinel=False)
            steps = pd.Series(uniques, dtype=object).map(info["map"]).astype(float).fillna(info.get("other", 0.0)).to_numpy()
            contrib.append(steps[code])
            codes.append(code)
            phrases.append([("cat", c, str(u)) for u in uniques])
        if not contrib:
            return np.zeros((len(frame), 0)), [], []
        return np.column_stack(contrib), codes, phrases

    def _legacy_contributions(self, frame: pd.DataFrame):
        data = self.legacy
        contrib, codes, phrases = [], [], []
        for c, info in data["numeric"].items():
            x = as_number(frame[c]).fillna(info["fill"]).to_numpy()
            contrib.append(data["coef"].get(c, 0.0) * (x - info["mean"]) / info["scale"])
            codes.append(np.where(x > info["mean"], 0, 1))
            phrases.append([("num", c, "hi"), ("num", c, "lo")])
        for c, info in data["categorical"].items():
            v = as_category(frame[c])
            code, uniques = pd.factorize(v, use_na_sentinel=False)
            enc = pd.Series(uniques, dtype=object).map(info["map"]).astype(float).fillna(info["mean"]).to_numpy()
            contrib.append(data["coef"].get(c, 0.0) * (enc[code] - info["mean"]))
            codes.append(code)
            phrases.append([("cat", c, str(u)) for u in uniques])
        if not contrib:
            return np.zeros((len(frame), 0)), [], []
        return np.column_stack(contrib), codes, phrases

    @staticmethod
    def _phrase(identity: tuple, lang: str) -> str:
        kind, column, value = identity
        return _numeric_phrase(column, value, lang) if kind == "num" else _category_phrase(column, value, lang)

    # ------------------------------------------------------------------ reasons
    def reasons(self, frame: pd.DataFrame, top: int = 3, lang: str = DEFAULT_LANG) -> pd.Series:
        """Per row, up to ``top`` factors that raise its score most, in ``lang``."""
        codes, texts = self.reason_codes(frame, top, langs=(lang,))
        return pd.Series(np.array(texts[lang], dtype=object)[codes], index=frame.index).astype(str)

    def reason_codes(self, frame: pd.DataFrame, top: int = 3, langs: tuple[str, ...] = REASON_LANGS) -> tuple[np.ndarray, dict[str, list[str]]]:
        """The reasons as ``(codes, {lang: texts})``: row i's text is ``texts[lang][codes[i]]``.

        A factor is a reason only where its contribution is positive (it raises this
        business's score above the average business's), largest first. Set-at-a-time:
        every phrase a factor can produce gets a number, each row picks the numbers of
        its ``top`` factors, and a text is built once per distinct combination (a few
        thousand), not once per row; ``score_all`` stores the codes and joins the texts
        in SQL, so a million rows never become a million Python strings."""
        C, feature_codes, feature_phrases = self.contributions(frame)
        n = len(frame)
        if not feature_codes:
            return np.zeros(n, dtype=np.int64), {lang: [t("reason.none", lang)] for lang in langs}
        identities: list[tuple] = []
        K = []
        for code, ph in zip(feature_codes, feature_phrases):
            K.append(np.asarray(code, dtype=np.int64) + len(identities))
            identities += ph
        K = np.column_stack(K)
        # Tiny positive contributions are noise of the fit, not reasons.
        eps = 1e-3 * (float(np.abs(C).max()) if C.size else 0.0) + 1e-12
        k = min(top, C.shape[1])
        order = np.argsort(-C, axis=1, kind="stable")[:, :k]
        rows = np.arange(n)[:, None]
        picked = np.where(C[rows, order] > eps, K[rows, order], -1)  # -1: no further reason
        base = len(identities) + 1
        if base ** k < 2**62:  # one integer per combination
            key = picked[:, 0] + 1
            for j in range(1, k):
                key = key * base + picked[:, j] + 1
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        else:
            _, first, inverse = np.unique(picked, axis=0, return_index=True, return_inverse=True)
        texts: dict[str, list[str]] = {}
        for lang in langs:
            cache: dict[int, str] = {}

            def phrase(i: int) -> str:
                if i not in cache:
                    cache[i] = self._phrase(identities[i], lang)
                return cache[i]

            texts[lang] = [", ".join(phrase(i) for i in picked[r] if i >= 0) or t("reason.none", lang) for r in first]
        return inverse.ravel().astype(np.int64), texts


def _r2(y: np.ndarray, fitted: np.ndarray) -> float:
    """Share of the variance of ``y`` that ``fitted`` reproduces (1 = all; may be < 0)."""
    y, fitted = np.asarray(y, dtype=float), np.asarray(fitted, dtype=float)
    sst = float(((y - y.mean()) ** 2).sum())
    return float(1 - ((y - fitted) ** 2).sum() / sst) if sst > 0 else 1.0


# --------------------------------------------------------------------------- scoring
SCORE_CHUNK = 100_000


@dataclass(frozen=True)
class ScoreRun:
    version: str
    scored: int
    with_uplift: bool
    seconds: float
    # Attribute columns the model uses that no open business has: scored as missing
    # (the trees route missing values like any other value, the explanation fills the
    # training median), and named so the person can import them or retrain.
    absent: tuple[str, ...] = ()
    card: dict | None = field(default=None, repr=False, compare=False)  # the model card scored with

    def note(self, lang: str = DEFAULT_LANG) -> str:
        """What the person should know about this run beyond the count ("" if nothing)."""
        if not self.absent:
            return ""
        return t("model.absent_columns", lang, version=self.version, columns=", ".join(self.absent))

    def uplift_note(self, lang: str = DEFAULT_LANG) -> str:
        """Why no uplift was scored and what ranks instead ("" when uplift was scored)."""
        return "" if self.with_uplift or self.card is None else uplift_note(self.card, lang)


def _attribute_present(db: sqlite_utils.Database, key: str) -> bool:
    """Whether any business not yet enrolled has a value for attribute ``key``."""
    sql, params = _attribute_sql(key)
    return bool(db.execute(f"SELECT EXISTS (SELECT 1 FROM businesses WHERE enrolled = 0 AND {sql} IS NOT NULL)", params).fetchone()[0])


def active_version(db: sqlite_utils.Database) -> str:
    version = get_meta(db, "active_model")
    if not version:
        raise PlannerError("Belum ada model aktif; latih dulu dengan python -m planner train (atau tombol Latih ulang).")
    return version


def _attribute_keys(card: dict) -> list[str]:
    feats = card.get("features", {})
    base = set(BUSINESS_COLUMNS) | {"province", "business_age"}
    return [c for c in feats.get("categorical", []) + feats.get("numeric", []) if c not in base]


def _attribute_sql(key: str) -> tuple[str, list[str]]:
    return attribute_sql(key)


def _read_chunk(db: sqlite_utils.Database, attr_keys: list[str], after_rowid: int, limit: int) -> tuple[pd.DataFrame, int]:
    """Businesses not yet enrolled, as they are now (``planner.features.business_rows``)."""
    return business_rows(db, attr_keys, after_rowid, limit)


def _features_for_scoring(chunk: pd.DataFrame, reference_year: int) -> pd.DataFrame:
    """The same builder training uses, seen at this year."""
    return feature_frame(chunk, reference_year)


@contextlib.contextmanager
def _temp_transaction(db: sqlite_utils.Database):
    """A transaction for writes to the temp schema only: a deferred ``BEGIN`` takes no
    lock on the database file (``transaction`` would take its write lock for nothing).
    Joins a transaction that is already open."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def scoring_workers() -> int:
    """Threads that score chunks side by side: the CPUs this process may use, at most 4."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    return max(1, min(4, n))


def _one_openmp_thread() -> None:
    """Initialiser of a scoring worker thread: tree prediction in this thread uses one
    OpenMP thread (``omp_set_num_threads`` is per thread; other threads keep theirs).

    Parallelism comes from scoring chunks side by side instead. Inside one
    ``predict_proba``, every tree is an OpenMP parallel region, and a region ends only
    when all its threads have finished: when another process holds one of the cores, each
    region waits a scheduler slice for the thread that lost it. With 100,000-row chunks
    that made scoring twice as slow as one call on all rows, and 20,000-row chunks ten
    times; one thread per chunk and one chunk per core has no such wait."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="openmp")


def _shared_encoding(model, learner: dict | None):
    """One encoding pass per chunk for every pipeline that scores it.

    The propensity model holds three calibrated ``encoder -> HistGradientBoosting``
    pipelines and the uplift learner two more; fitted on parts of one table, their
    encoders normally hold the same columns and categories. Then a chunk is encoded
    once and each boosting step reads that matrix: the same operations on the same
    numbers as each pipeline encoding for itself, with one encoding pass instead of five.

    Returns ``(encoder, model_on_encoded, learner_on_encoded)``: shallow copies whose
    pipelines are replaced by their last step (the loaded objects are not changed), or
    ``(None, model, learner)`` when the encoders differ or the model is of another shape."""
    import copy

    from planner.uplift import _encoder_state

    if not isinstance(model, CalibratedClassifierCV) or not hasattr(model, "calibrated_classifiers_"):
        return None, model, learner
    pipes = [cc.estimator for cc in model.calibrated_classifiers_]
    if learner is not None:
        pipes += [v for v in learner.values() if isinstance(v, Pipeline)]
    if not all(isinstance(pp, Pipeline) and len(pp) == 2 for pp in pipes):
        return None, model, learner
    state = _encoder_state(pipes[0])
    if state is None or any(_encoder_state(pp) != state for pp in pipes[1:]):
        return None, model, learner
    fast = copy.copy(model)
    fast.calibrated_classifiers_ = []
    for cc in model.calibrated_classifiers_:
        c = copy.copy(cc)
        c.estimator = cc.estimator[-1]
        fast.calibrated_classifiers_.append(c)
    fast_learner = None if learner is None else {k: v[-1] if isinstance(v, Pipeline) else v for k, v in learner.items()}
    return pipes[0][0], fast, fast_learner


@dataclass(frozen=True)
class _ChunkScorer:
    """Scores one chunk of businesses; runs in a worker thread and touches no database."""

    card: dict
    model: object
    learner: dict | None
    explainer: Explainer | None
    spec: FeatureSpec
    year: int
    encoder: object | None = None  # see _shared_encoding: model and learner then take its output

    def __call__(self, chunk: pd.DataFrame) -> tuple[list, list, list, np.ndarray, dict[str, list[str]]]:
        from planner.uplift import predict_uplift

        frame = _features_for_scoring(chunk, self.year)
        codes, texts = np.zeros(len(frame), dtype=np.int64), {lang: [""] for lang in REASON_LANGS}
        if self.card["kind"] == "rates":
            p = self.model.predict_proba(frame)[:, 1]
            u = np.full(len(frame), np.nan)
            texts = {lang: [t("reason.rates", lang)] for lang in REASON_LANGS}
        else:
            X = model_input(frame, self.spec)
            if self.encoder is not None:
                X = self.encoder.transform(X)
            from planner import calibration

            # Corrected where training found a size class off (one source of truth: the
            # stored score is what plans and projections use).
            p = calibration.apply(self.card.get("size_calibration"), frame["size_class"].to_numpy(), self.model.predict_proba(X)[:, 1])
            u = predict_uplift(self.learner, X) if self.learner is not None else np.full(len(frame), np.nan)
            u = calibration.apply_uplift((self.card.get("uplift") or {}).get("calibration"), u)
            if self.explainer:
                codes, texts = self.explainer.reason_codes(frame)
        u_list = [None if np.isnan(v) else float(v) for v in u] if np.isnan(u).any() else u.tolist()
        return frame["business_id"].tolist(), p.tolist(), u_list, codes, texts


def score_all(
    db: sqlite_utils.Database,
    actor: User,
    *,
    models_dir: Path | None = None,
    chunk_size: int = SCORE_CHUNK,
    progress=None,
    workers: int | None = None,
    lang: str = DEFAULT_LANG,
) -> ScoreRun:
    """Score every business not yet enrolled with the active model: ``p_enroll``,
    ``uplift`` (where an uplift model exists) and ``reasons``. Streams in chunks, writes
    to a staging table, and swaps it in at the end in one short transaction, so a failed
    run leaves the previous scores untouched.

    This thread reads the chunks and writes the results, in order; ``workers`` threads
    (default: ``scoring_workers()``) compute the features and predictions of up to
    ``workers + 1`` chunks at a time. Each row's scores depend only on that row, so the
    result is the same whatever the number of workers."""
    import collections
    import time
    from concurrent.futures import ThreadPoolExecutor

    require(actor, "admin", "manager")
    t0 = time.perf_counter()
    version = active_version(db)
    card, model = load_model(db, version, models_dir, lang=lang)
    learner = load_uplift(db, version, models_dir, lang=lang) if card["kind"] == "hgb" else None
    explainer = Explainer.from_json(card["explainer"]) if card.get("explainer") else None
    spec = FeatureSpec(tuple(card["features"]["categorical"]), tuple(card["features"]["numeric"]), ())
    attr_keys = _attribute_keys(card)
    absent = tuple(k for k in attr_keys if not _attribute_present(db, k))
    encoder, model, learner = _shared_encoding(model, learner) if card["kind"] == "hgb" else (None, model, learner)
    scorer = _ChunkScorer(card, model, learner, explainer, spec, dt.date.today().year, encoder)
    workers = max(1, workers or scoring_workers())
    total = db.execute("SELECT COUNT(*) FROM businesses WHERE enrolled = 0").fetchone()[0]
    # The staging tables are TEMP tables: private to this connection, written without
    # the database's write lock or its WAL, and gone if the process dies. Only the swap
    # at the end writes to the database itself. Reasons are staged as numbers into a
    # table of distinct texts (a few thousand) and joined back in the swap.
    db.execute("DROP TABLE IF EXISTS temp.scores_staging")
    db.execute("DROP TABLE IF EXISTS temp.scores_reasons")
    db.execute("CREATE TEMP TABLE scores_staging (business_id TEXT, p_enroll REAL, uplift REAL, reason INTEGER)")
    db.execute("CREATE TEMP TABLE scores_reasons (id INTEGER PRIMARY KEY, text TEXT, text_en TEXT)")
    reason_ids: dict[tuple[str, str], int] = {}
    done = 0
    stamp = dt.datetime.now().isoformat(timespec="seconds")

    def write(result) -> None:
        nonlocal done
        business_ids, p, u, codes, texts = result
        pairs = list(zip(texts["id"], texts["en"]))  # one reason in both languages
        new = [(reason_ids.setdefault(x, len(reason_ids)), *x) for x in dict.fromkeys(pairs) if x not in reason_ids]
        ids = np.array([reason_ids[x] for x in pairs], dtype=np.int64)[codes]
        with _temp_transaction(db):
            db.conn.executemany("INSERT INTO temp.scores_reasons (id, text, text_en) VALUES (?, ?, ?)", new)
            db.conn.executemany(
                "INSERT INTO temp.scores_staging (business_id, p_enroll, uplift, reason) VALUES (?,?,?,?)",
                zip(business_ids, p, u, ids.tolist()),
            )
        done += len(business_ids)
        if progress:
            progress(done, total)

    pool = ThreadPoolExecutor(max_workers=workers, initializer=_one_openmp_thread, thread_name_prefix="score")
    try:
        pending: collections.deque = collections.deque()
        last = 0
        while True:
            chunk, last = _read_chunk(db, attr_keys, last, chunk_size)
            if chunk.empty:
                break
            pending.append(pool.submit(scorer, chunk))
            if len(pending) > workers:  # at most workers + 1 chunks in memory
                write(pending.popleft().result())
        while pending:
            write(pending.popleft().result())
        _swap_scores(db, version, stamp, actor)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        db.execute("DROP TABLE IF EXISTS temp.scores_staging")
        db.execute("DROP TABLE IF EXISTS temp.scores_reasons")
    return ScoreRun(version, done, learner is not None, time.perf_counter() - t0, absent, card)


def _referenced_by(db: sqlite_utils.Database, table: str) -> bool:
    """Whether any table has a foreign key to ``table``."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    return any(
        r[0] == table
        for name in names
        for r in db.execute("SELECT \"table\" FROM pragma_foreign_key_list(?)", [name]).fetchall()
    )


def _swap_scores(db: sqlite_utils.Database, version: str, stamp: str, actor: User) -> None:
    """Replace the stored scores by the staged ones in one write transaction.

    Only businesses that still exist get a score (the join to ``businesses``). That join
    is the check the foreign key of ``scores`` makes, so the constraint is switched off
    for this one transaction where that is safe: with it on, SQLite deletes the old
    scores row by row (``scores`` is a child table) and looks up every new row's business
    a second time, which at a million rows held the write lock two to three times as long.
    It stays on when another table references ``scores`` (the DELETE must then run that
    key's actions) or a transaction is already open (the pragma does nothing inside one)."""
    conn = db.conn
    fk_on = conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    switch = fk_on and not conn.in_transaction and not _referenced_by(db, "scores")
    if switch:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(db):
            before = {"scored_version": get_meta(db, "scored_version"), "rows": db.execute("SELECT COUNT(*) FROM scores").fetchone()[0]}
            db.execute("DELETE FROM scores")
            db.execute(
                "INSERT INTO scores (business_id, p_enroll, uplift, reasons, reasons_en, model_version, scored_at) "
                "SELECT s.business_id, s.p_enroll, s.uplift, r.text, r.text_en, ?, ? "
                "FROM temp.scores_staging s JOIN businesses b ON b.business_id = s.business_id "
                "JOIN temp.scores_reasons r ON r.id = s.reason ORDER BY s.rowid",
                [version, stamp],
            )
            set_meta(db, "scored_version", version)
            set_meta(db, "scored_at", stamp)
            after = {"scored_version": version, "rows": db.execute("SELECT COUNT(*) FROM scores").fetchone()[0]}
            record(db, actor, "scores.refresh", "scores", version, before, after)
    finally:
        if switch:
            conn.execute("PRAGMA foreign_keys = ON")


def export_scores(db: sqlite_utils.Database) -> pd.DataFrame:
    """The stored scores as ``business_id, p_enroll, uplift, reasons`` (best first).

    ``p_enroll`` and ``uplift`` are always float columns: without an uplift model every
    uplift is missing (NaN), never a column of None that arithmetic chokes on."""
    df = pd.DataFrame(
        db.execute("SELECT business_id, p_enroll, uplift, reasons FROM scores ORDER BY COALESCE(uplift, p_enroll) DESC, business_id").fetchall(),
        columns=["business_id", "p_enroll", "uplift", "reasons"],
    )
    for c in ("p_enroll", "uplift"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def retrain_and_score(db: sqlite_utils.Database, actor: User, *, models_dir: Path | None = None, progress=None, lang: str = DEFAULT_LANG) -> tuple[TrainResult, ScoreRun]:
    """One step for the manager's button and the CLI: train a new version, make it
    active, and rescore every open business with it."""
    result = train(db, actor, models_dir=models_dir, lang=lang)
    run = score_all(db, actor, models_dir=models_dir, progress=progress, lang=lang)
    return result, run


def previous_version(db: sqlite_utils.Database, version: str) -> str | None:
    row = db.execute(
        "SELECT version FROM model_runs WHERE id < (SELECT id FROM model_runs WHERE version = ?) ORDER BY id DESC LIMIT 1",
        [version],
    ).fetchone()
    return row[0] if row else None
