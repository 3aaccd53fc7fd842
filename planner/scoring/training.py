"""Training: fit the enrolment model (and the uplift learner where the history allows),
write the model files with their SHA-256, record the run and make it active."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import numpy as np
import pandas as pd
import sklearn
import sqlite_utils
import warnings
from dataclasses import dataclass
from pathlib import Path

from planner.audit import record
from planner.auth import User, require
from planner.db import get_meta, set_meta, transaction
from planner.i18n import DEFAULT_LANG, fmt_int, fmt_num, t
from planner.scoring import calibration
from planner.scoring import propensity
from planner.scoring import uplift as upl
from planner.scoring.estimators import RateModel, build_model
from planner.scoring.features import check_leakage, choose_features, model_input
from planner.scoring.files import _sha256
from planner.scoring.notes import _why_text
from planner.scoring.reasons import Explainer
from planner.scoring.registry import models_home
from planner.scoring.validation import EXCLUDED_COLUMNS, TrainingData, _splits, compare_candidates, cross_validate, training_data


MIN_LABELLED = 200


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
        few = len(invited.y) < MIN_LABELLED
        why = ("model.cold.few", {"n": len(invited.y), "min": MIN_LABELLED}) if few else ("model.cold.same", {})
        reason = t(why[0], "id", **why[1])  # the card keeps the Indonesian words, as before
        rates = RateModel().fit(invited.frame, invited.y)
        card.update(kind="rates", cold_start_reason=reason, rates=rates.to_json(), metrics={},
                    features={"categorical": ["province", "sector"], "numeric": [], "dropped": []})
        message = t("model.cold.message", lang, reason=t(why[0], lang, **why[1]))
        return Fitted("rates", card, rates, None, message)

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
    message = t("model.trained", lang, n=fmt_int(len(invited.y)), auc=fmt_num(m["roc_auc"], 3))
    if "baseline" in metrics["cv"]:
        message += t("model.trained_baseline", lang, auc=fmt_num(metrics["cv"]["baseline"]["roc_auc"], 3))
    message += t("model.trained_lift", lang, lift=fmt_num(m["lift_10"], 2))

    learner = None
    if data.treated is not None:
        why_not = upl.can_learn(data.treated, data.y)
        if why_not:
            card["uplift"] = {"available": False, "why": why_not, "reason": _why_text(why_not, "id")}
            message += " " + t("uplift.not_learned", lang, reason=_why_text(why_not, lang))
        else:
            X_all = model_input(data.frame, spec)
            prop = propensity.propensities(spec, X_all, data.treated, data.propensity, folds=min(folds, 5))
            evals = upl.compare_learners(spec, data.frame, data.y, data.treated, data.groups, folds=min(folds, 5), e=prop.e)
            region = propensity.overlap(prop.e, data.frame)
            chosen, why_chosen = upl.choose_learner(evals, region["share"])
            best = evals[chosen]
            pseudo = upl.dr_pseudo_outcomes(spec, X_all, data.y, data.treated, prop.e) if best.learner == "dr" else None
            learner = upl.fit_learner(best.learner, spec, X_all, data.y, data.treated, prop.e, pseudo)
            card["uplift"] = {
                "available": True,
                "chosen": best.learner,
                "chosen_by": why_chosen,
                "calibration": calibration.uplift_ratios(data.y, data.treated, best.oof, w=propensity.ipw_weights(data.treated, prop.e)),
                "learners": {k: {"qini": e.qini, "uplift_at_30": e.uplift_at_30, "curve_x": e.curve_x, "curve_y": e.curve_y} for k, e in evals.items()},
                "rows": int(len(data.y)),
                "invited": int(data.treated.sum()),
                "propensity": prop.card(),
                "overlap": region,
            }
            message += t("model.trained_uplift", lang, learner=best.learner.upper(), qini=fmt_num(best.qini, 3))
    # The reasons explain what the list is sorted by: the uplift where there is one.
    if learner is not None:
        explainer = Explainer.fit(spec, data.frame, upl.predict_uplift(learner, X_all), target="uplift")
    else:
        explainer = Explainer.fit(spec, invited.frame, model.predict_proba(X_inv)[:, 1], target="p_enroll")
    card["explainer"] = explainer.to_json()
    return Fitted("hgb", card, model, learner, message)


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
