"""Who enrols *because of* an invitation: uplift models and the Qini curve.

Learned from the outreach history where part of the businesses were invited and part
were not (``contacts.invited``). Two meta-learners on gradient boosting are compared on
out-of-fold Qini area and the better one is kept:

- **T-learner**: one classifier for the invited, one for the not invited;
  uplift = P(enrol | invited) - P(enrol | not invited).
- **X-learner** (Künzel et al. 2019): the T-learner's models impute each business's
  individual effect, two regressors learn those effects, and their mix weighted by the
  invitation propensity is the uplift.

Sure things (who enrol anyway) and lost causes (who do not enrol either way) get an
uplift near zero; persuadables get the highest.

The Qini area is normalised as scikit-uplift's ``qini_auc_score`` does: the model's
area above the random line over the perfect model's area above it (random ~ 0,
perfect = 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

from planner.scoring import SEED, FeatureSpec, model_input

LEARNERS = ("t", "x")
MIN_PER_ARM = 100


def _prep(spec: FeatureSpec) -> ColumnTransformer:
    return ColumnTransformer(
        [
            ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan), list(spec.categorical)),
            ("num", "passthrough", list(spec.numeric)),
        ]
    )


def _classifier(spec: FeatureSpec) -> Pipeline:
    return Pipeline(
        [
            ("prep", _prep(spec)),
            ("hgb", HistGradientBoostingClassifier(
                learning_rate=0.05, max_iter=150, max_leaf_nodes=8, min_samples_leaf=60, l2_regularization=1.0,
                early_stopping=False,
                categorical_features=list(range(len(spec.categorical))), random_state=SEED)),
        ]
    )


def _regressor(spec: FeatureSpec) -> Pipeline:
    return Pipeline(
        [
            ("prep", _prep(spec)),
            ("hgb", HistGradientBoostingRegressor(
                learning_rate=0.05, max_iter=150, max_leaf_nodes=8, min_samples_leaf=60, l2_regularization=1.0,
                early_stopping=False,
                categorical_features=list(range(len(spec.categorical))), random_state=SEED)),
        ]
    )


def fit_learner(kind: str, spec: FeatureSpec, X: pd.DataFrame, y: np.ndarray, t: np.ndarray) -> dict:
    """Fit a T- or X-learner; the result is a plain dict of scikit-learn estimators, so
    it saves with skops without custom types."""
    y = np.asarray(y, dtype=int)
    t = np.asarray(t, dtype=int)
    treated, control = t == 1, t == 0
    m1 = clone(_classifier(spec)).fit(X[treated], y[treated])
    m0 = clone(_classifier(spec)).fit(X[control], y[control])
    if kind == "t":
        return {"kind": "t", "treated": m1, "control": m0}
    if kind != "x":
        raise ValueError(kind)
    d1 = y[treated] - m0.predict_proba(X[treated])[:, 1]
    d0 = m1.predict_proba(X[control])[:, 1] - y[control]
    tau1 = clone(_regressor(spec)).fit(X[treated], d1)
    tau0 = clone(_regressor(spec)).fit(X[control], d0)
    return {"kind": "x", "tau1": tau1, "tau0": tau0, "propensity": float(treated.mean()), "treated": m1, "control": m0}


def _encoder_state(pipe: Pipeline) -> tuple | None:
    """What a fitted pipeline's column transformer does, comparably (None if unknown)."""
    try:
        prep = pipe[0]
        cat = prep.named_transformers_["cat"]
        return (
            repr([(name, cols) for name, _, cols in prep.transformers_]),
            repr(sorted(cat.get_params().items())),
            [list(c) for c in cat.categories_],
        )
    except (AttributeError, KeyError, TypeError):
        return None


def _shared_input(a: Pipeline, b: Pipeline, X: pd.DataFrame):
    """The encoded matrix when both pipelines encode identically (same columns, same
    categories: always so for learners fitted on one table), else None. Encoding once
    instead of twice gives the same numbers and saves a pass over the object columns."""
    sa = _encoder_state(a)
    if sa is None or sa != _encoder_state(b) or len(a) != 2 or len(b) != 2:
        return None
    return a[0].transform(X)


def predict_uplift(learner: dict, X: pd.DataFrame) -> np.ndarray:
    """Uplift of each row. The learner's models are the fitted pipelines (``X`` is the
    feature matrix) or, as ``score_all`` passes them after encoding a chunk once, their
    last steps (``X`` is then the encoded matrix)."""
    if learner["kind"] == "t":
        m1, m0 = learner["treated"], learner["control"]
        Z = _shared_input(m1, m0, X)
        if Z is None:
            return m1.predict_proba(X)[:, 1] - m0.predict_proba(X)[:, 1]
        return m1[-1].predict_proba(Z)[:, 1] - m0[-1].predict_proba(Z)[:, 1]
    e = learner["propensity"]
    tau0, tau1 = learner["tau0"], learner["tau1"]
    Z = _shared_input(tau0, tau1, X)
    if Z is None:
        return e * tau0.predict(X) + (1 - e) * tau1.predict(X)
    return e * tau0[-1].predict(Z) + (1 - e) * tau1[-1].predict(Z)


# --------------------------------------------------------------------------- Qini
def qini_curve(y: np.ndarray, uplift: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative incremental responders when targeting by descending uplift (x = number
    targeted, y = treated responders - control responders scaled to the treated count)."""
    y, uplift, t = (np.asarray(a, dtype=float) for a in (y, uplift, t))
    order = np.argsort(-uplift, kind="mergesort")
    y, uplift, t = y[order], uplift[order], t[order]
    distinct = np.where(np.diff(uplift))[0]
    idx = np.r_[distinct, len(uplift) - 1]
    n_t = np.cumsum(t)[idx]
    n_all = idx + 1
    n_c = n_all - n_t
    y_t = np.cumsum(y * t)[idx]
    y_c = np.cumsum(y * (1 - t))[idx]
    curve = y_t - y_c * np.divide(n_t, n_c, out=np.zeros_like(n_t), where=n_c != 0)
    return np.r_[0, n_all], np.r_[0, curve]


def qini_auc(y: np.ndarray, uplift: np.ndarray, t: np.ndarray) -> float:
    """Normalised Qini area (scikit-uplift's ``qini_auc_score`` with negative effects)."""
    x_model, y_model = qini_curve(y, uplift, t)
    y_arr, t_arr = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    perfect = y_arr * t_arr - y_arr * (1 - t_arr)
    x_perf, y_perf = qini_curve(y, perfect, t)
    x_base, y_base = np.array([0, x_perf[-1]]), np.array([0, y_perf[-1]])
    area = lambda x, v: float(np.trapezoid(v, x))
    random_area = area(x_base, y_base)
    denom = area(x_perf, y_perf) - random_area
    return (area(x_model, y_model) - random_area) / denom if denom else 0.0


def uplift_at(y: np.ndarray, uplift: np.ndarray, t: np.ndarray, share: float = 0.3) -> float:
    """Enrolment rate of the invited minus the not invited among the top ``share`` by uplift."""
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    k = max(1, int(round(len(y) * share)))
    top = np.argsort(-np.asarray(uplift), kind="mergesort")[:k]
    yt, tt = y[top], t[top]
    if tt.sum() == 0 or (1 - tt).sum() == 0:
        return float("nan")
    return float(yt[tt == 1].mean() - yt[tt == 0].mean())


@dataclass(frozen=True)
class UpliftEvaluation:
    learner: str
    qini: float
    uplift_at_30: float
    curve_x: list[float]
    curve_y: list[float]
    oof: np.ndarray | None = field(default=None, repr=False, compare=False)  # out-of-fold uplift per row


def _curve_points(x: np.ndarray, v: np.ndarray, n: int = 51) -> tuple[list[float], list[float]]:
    grid = np.linspace(0, x[-1], n)
    return [float(g / x[-1]) for g in grid], [float(val) for val in np.interp(grid, x, v)]


def compare_learners(spec: FeatureSpec, frame: pd.DataFrame, y: np.ndarray, t: np.ndarray, groups: np.ndarray | None = None, folds: int = 5) -> dict[str, UpliftEvaluation]:
    """Out-of-fold uplift for each learner (folds grouped when ``groups`` is given,
    stratified by arm x outcome otherwise), scored by normalised Qini and uplift@30%."""
    X = model_input(frame, spec)
    y, t = np.asarray(y, dtype=int), np.asarray(t, dtype=int)
    strata = 2 * t + y
    if groups is not None and len(np.unique(groups)) >= folds:
        splits = list(GroupKFold(n_splits=folds).split(X, y, groups))
    else:
        splits = list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED).split(X, strata))
    out = {}
    for kind in LEARNERS:
        oof = np.zeros(len(y))
        for train, test in splits:
            learner = fit_learner(kind, spec, X.iloc[train], y[train], t[train])
            oof[test] = predict_uplift(learner, X.iloc[test])
        x_c, y_c = qini_curve(y, oof, t)
        cx, cy = _curve_points(x_c, y_c)
        out[kind] = UpliftEvaluation(kind, qini_auc(y, oof, t), uplift_at(y, oof, t, 0.3), cx, cy, oof)
    return out


def can_learn(t: np.ndarray, y: np.ndarray) -> dict | None:
    """Why an uplift model cannot be learned from this history (None if it can), as an
    i18n key and its parameters, so the card can say it in either language.

    No control group at all (every contact was invited) is its own case: nothing in
    such a history says what would have happened without an invitation."""
    t, y = np.asarray(t, dtype=int), np.asarray(y, dtype=int)
    n1, n0 = int(t.sum()), int((1 - t).sum())
    if n0 == 0:
        return {"key": "uplift.why.no_control", "params": {"invited": n1}}
    if n1 < MIN_PER_ARM or n0 < MIN_PER_ARM:
        return {"key": "uplift.why.few", "params": {"min": MIN_PER_ARM, "invited": n1, "not_invited": n0}}
    if len(np.unique(y[t == 1])) < 2 or len(np.unique(y[t == 0])) < 2:
        return {"key": "uplift.why.one_outcome", "params": {}}
    return None
