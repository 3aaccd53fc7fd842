"""Who enrols *because of* an invitation: uplift models and the Qini curve.

Learned from the outreach history where part of the businesses were invited and part
were not (``contacts.invited``). Once Jangkau's own plans choose whom to invite, that
history is no longer a random experiment, so every contact carries the chance it had of
being invited (its *propensity*): recorded where a plan chose it (``selection_prob``: a
plan's control group is drawn at random among the businesses it chose), and where not
recorded (an imported history), estimated by a classifier of invitation on the
business's features — kept only if it predicts invitation better out of fold than the
overall invited share (a randomised history then stays one). Three meta-learners on
gradient boosting are fitted:

- **T-learner**: one classifier for the invited, one for the not invited;
  uplift = P(enrol | invited) - P(enrol | not invited).
- **X-learner** (Künzel et al. 2019): the T-learner's models impute each business's
  individual effect, two regressors learn those effects, and their mix weighted by the
  invited share is the uplift.
- **DR-learner** (Kennedy 2023): cross-fitted outcome models and the propensities give
  each contact a doubly robust pseudo-effect, which one regressor learns; unbiased where
  invitations were targeted, as long as each contact had a fair chance of going the
  other way. Propensities are kept within [5%, 95%] as weights.

Overlap is checked: the share of contacts whose propensity lies within [5%, 95%], and
the provinces, size classes and sectors where (nearly) all contacts were invited or
(nearly) none. There the uplift is an extrapolation, not something the history shows,
and the model card says so. With good overlap (at least half the contacts) the learners
are compared on out-of-fold Qini area, each contact weighted by its inverse propensity
(with a constant propensity: the plain Qini), and the best is kept. With poor overlap
that comparison rests on a handful of heavily weighted contacts and cannot be trusted;
the X-learner is kept then (it learns each effect where its arm's data are, which
``bench/bench_uplift_targeting.py`` found the most robust on a threshold-targeted
history).

Sure things (who enrol anyway) and lost causes (who do not enrol either way) get an
uplift near zero; persuadables get the highest.

The Qini area is normalised as scikit-uplift's ``qini_auc_score`` does: the model's
area above the random line over the perfect model's area above it (random ~ 0,
perfect = 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dataclasses import dataclass, field
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline

from planner.scoring.estimators import _classifier, _regressor
from planner.scoring.features import FeatureSpec, SEED, model_input
from planner.scoring.propensity import CLIP, ipw_weights


LEARNERS = ("t", "x", "dr")


MIN_PER_ARM = 100


GOOD_OVERLAP = 0.5  # below this share of contacts in overlap, the weighted comparison is not trusted


ROBUST_LEARNER = "x"


# --------------------------------------------------------------------------- learners
def dr_pseudo_outcomes(spec: FeatureSpec, X: pd.DataFrame, y: np.ndarray, t: np.ndarray, e: np.ndarray, folds: int = 3) -> np.ndarray:
    """Doubly robust pseudo-effects: outcome models fitted on other folds (cross-fitting,
    so a contact's own outcome never shapes its prediction) corrected by the weighted
    residual of the arm the contact was in."""
    y, t = np.asarray(y, dtype=int), np.asarray(t, dtype=int)
    mu0, mu1 = np.zeros(len(y)), np.zeros(len(y))
    strata = 2 * t + y
    counts = np.bincount(strata, minlength=4)
    k = max(2, min(folds, int(counts[counts > 0].min())))
    for train, test in StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED).split(X, strata):
        a, b = train[t[train] == 1], train[t[train] == 0]
        mu1[test] = clone(_classifier(spec)).fit(X.iloc[a], y[a]).predict_proba(X.iloc[test])[:, 1]
        mu0[test] = clone(_classifier(spec)).fit(X.iloc[b], y[b]).predict_proba(X.iloc[test])[:, 1]
    ec = np.clip(np.asarray(e, dtype=float), CLIP, 1 - CLIP)
    return mu1 - mu0 + t * (y - mu1) / ec - (1 - t) * (y - mu0) / (1 - ec)


def fit_learner(kind: str, spec: FeatureSpec, X: pd.DataFrame, y: np.ndarray, t: np.ndarray, e: np.ndarray | None = None,
                pseudo: np.ndarray | None = None) -> dict:
    """Fit a T-, X- or DR-learner; the result is a plain dict of scikit-learn
    estimators, so it saves with skops without custom types. ``e``: the propensities
    (the DR-learner's weights; default: the invited share); ``pseudo``: DR pseudo-effects
    already computed for these rows."""
    y = np.asarray(y, dtype=int)
    t = np.asarray(t, dtype=int)
    if kind == "dr":
        if pseudo is None:
            pseudo = dr_pseudo_outcomes(spec, X, y, t, np.full(len(t), t.mean()) if e is None else e)
        return {"kind": "dr", "tau": clone(_regressor(spec)).fit(X, pseudo)}
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
        if any(name != "cat" and not (isinstance(trans, str) and trans == "passthrough") for name, trans, _ in prep.transformers):
            return None  # a fitted numeric step (bins) differs between fits: never shared
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
    if learner["kind"] == "dr":
        return learner["tau"].predict(X)
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
def qini_curve(y: np.ndarray, uplift: np.ndarray, t: np.ndarray, w: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative incremental responders when targeting by descending uplift (x = number
    targeted, y = treated responders - control responders scaled to the treated count).
    With weights ``w`` (``ipw_weights``), every count is a weighted count: each contact
    stands for the businesses like it that went the other way."""
    y, uplift, t = (np.asarray(a, dtype=float) for a in (y, uplift, t))
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=float)
    order = np.argsort(-uplift, kind="mergesort")
    y, uplift, t, w = y[order], uplift[order], t[order], w[order]
    distinct = np.where(np.diff(uplift))[0]
    idx = np.r_[distinct, len(uplift) - 1]
    n_t = np.cumsum(t * w)[idx]
    n_c = np.cumsum((1 - t) * w)[idx]
    n_all = idx + 1
    y_t = np.cumsum(y * t * w)[idx]
    y_c = np.cumsum(y * (1 - t) * w)[idx]
    curve = y_t - y_c * np.divide(n_t, n_c, out=np.zeros_like(n_t), where=n_c != 0)
    return np.r_[0, n_all], np.r_[0, curve]


def qini_auc(y: np.ndarray, uplift: np.ndarray, t: np.ndarray, w: np.ndarray | None = None) -> float:
    """Normalised Qini area (scikit-uplift's ``qini_auc_score`` with negative effects),
    weighted by ``w`` when given."""
    x_model, y_model = qini_curve(y, uplift, t, w)
    y_arr, t_arr = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    perfect = y_arr * t_arr - y_arr * (1 - t_arr)
    x_perf, y_perf = qini_curve(y, perfect, t, w)
    x_base, y_base = np.array([0, x_perf[-1]]), np.array([0, y_perf[-1]])
    area = lambda x, v: float(np.trapezoid(v, x))
    random_area = area(x_base, y_base)
    denom = area(x_perf, y_perf) - random_area
    return (area(x_model, y_model) - random_area) / denom if denom else 0.0


def uplift_at(y: np.ndarray, uplift: np.ndarray, t: np.ndarray, share: float = 0.3, w: np.ndarray | None = None) -> float:
    """Enrolment rate of the invited minus the not invited among the top ``share`` by
    uplift (weighted rates when ``w`` is given)."""
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=float)
    k = max(1, int(round(len(y) * share)))
    top = np.argsort(-np.asarray(uplift), kind="mergesort")[:k]
    yt, tt, wt = y[top], t[top], w[top]
    if tt.sum() == 0 or (1 - tt).sum() == 0:
        return float("nan")
    return float(np.average(yt[tt == 1], weights=wt[tt == 1]) - np.average(yt[tt == 0], weights=wt[tt == 0]))


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


def compare_learners(spec: FeatureSpec, frame: pd.DataFrame, y: np.ndarray, t: np.ndarray, groups: np.ndarray | None = None, folds: int = 5,
                     e: np.ndarray | None = None) -> dict[str, UpliftEvaluation]:
    """Out-of-fold uplift for each learner (folds grouped when ``groups`` is given,
    stratified by arm x outcome otherwise), scored by normalised Qini and uplift@30%,
    weighted by inverse propensity when ``e`` is given. The DR-learner's pseudo-effects
    are cross-fitted once on all rows; each fold then fits only its final regressor."""
    X = model_input(frame, spec)
    y, t = np.asarray(y, dtype=int), np.asarray(t, dtype=int)
    e = np.full(len(t), t.mean()) if e is None else np.asarray(e, dtype=float)
    w = ipw_weights(t, e)
    strata = 2 * t + y
    if groups is not None and len(np.unique(groups)) >= folds:
        splits = list(GroupKFold(n_splits=folds).split(X, y, groups))
    else:
        splits = list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED).split(X, strata))
    pseudo = dr_pseudo_outcomes(spec, X, y, t, e)
    out = {}
    for kind in LEARNERS:
        oof = np.zeros(len(y))
        for train, test in splits:
            learner = fit_learner(kind, spec, X.iloc[train], y[train], t[train], e[train], pseudo[train] if kind == "dr" else None)
            oof[test] = predict_uplift(learner, X.iloc[test])
        x_c, y_c = qini_curve(y, oof, t, w)
        cx, cy = _curve_points(x_c, y_c)
        out[kind] = UpliftEvaluation(kind, qini_auc(y, oof, t, w), uplift_at(y, oof, t, 0.3, w), cx, cy, oof)
    return out


def choose_learner(evals: dict[str, UpliftEvaluation], overlap_share: float) -> tuple[str, str]:
    """The learner to keep and why: the best weighted Qini where overlap is good; the
    X-learner where it is poor (the weighted comparison then rests on a few contacts
    with huge weights and picks by noise)."""
    if overlap_share >= GOOD_OVERLAP:
        return max(evals.values(), key=lambda ev: ev.qini).learner, "qini"
    return ROBUST_LEARNER, "poor_overlap"


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
