"""What the enrolment model learns from (``TrainingData``: contacts joined to businesses)
and how it is validated the way it is used: folds grouped by regency and a time-ordered
80/20 split, next to the smoothed-rates baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlite_utils
from dataclasses import dataclass
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold, StratifiedKFold

from planner.scoring.estimators import (
    CANDIDATES,
    DEFAULT_CANDIDATE,
    RateModel,
    build_model,
    build_pipeline,
    evaluate,
    few_valued_columns,
)
from planner.scoring.features import FeatureSpec, SEED, contact_rows, feature_frame, model_input


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
