"""Calibration per size class, and the model's own uncertainty for projections.

A worker-weighted total is dominated by the rare large businesses, of which the history
holds few; a model calibrated overall can still be off for small or medium businesses.
From the out-of-fold predictions of training (every contact predicted by a model that
did not see it), this module checks each size class — predicted against observed
enrolments, with a bootstrap 95% interval of their ratio — and, where the interval
excludes 1, corrects that class with a logistic recalibration
``logit p' = logit p + a + b (logit p - c)`` (ridge-shrunk towards no change).

The same bootstrap gives the *members* that projections use for the model's own
uncertainty: each member is one resample's recalibration, as a deviation from the one
applied, so the members spread around the stored probabilities (the plan's figures and
the projection's expected totals stay the same numbers) by as much as the history allows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize

MEMBERS = 20  # bootstrap resamples, and ensemble members of a projection
MIN_ROWS = 50  # a class with fewer out-of-fold rows is not corrected
RIDGE = 2.0  # pulls a and b towards 0 (no change); in units of log-likelihood
EPS = 1e-5


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return np.log(p / (1 - p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _fit(z: np.ndarray, y: np.ndarray, center: float) -> tuple[float, float]:
    """(a, b) of ``logit p' = z + a + b (z - center)`` by penalised maximum likelihood."""
    d = z - center

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = theta
        q = _sigmoid(z + a + b * d)
        q = np.clip(q, EPS, 1 - EPS)
        ll = -(y * np.log(q) + (1 - y) * np.log(1 - q)).sum() + RIDGE * (a * a + b * b)
        r = q - y
        return ll, np.array([r.sum() + 2 * RIDGE * a, (r * d).sum() + 2 * RIDGE * b])

    res = minimize(loss, np.zeros(2), jac=True, method="L-BFGS-B", bounds=[(-4, 4), (-0.9, 3)])
    return float(res.x[0]), float(res.x[1])


def size_calibration(size: np.ndarray, oof: np.ndarray, y: np.ndarray, *, members: int = MEMBERS, seed: int = 0) -> dict:
    """Check and (where off) correct each size class; bootstrap members for projections.
    Returns the JSON-able block stored in the model card."""
    size = pd.Series(size).astype(str).to_numpy()
    oof = np.asarray(oof, dtype=float)
    y = np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    classes: dict[str, dict] = {}
    boot: list[dict[str, list[float]]] = [{} for _ in range(members)]
    for c in sorted(set(size)):
        idx = np.flatnonzero(size == c)
        z, yc = _logit(oof[idx]), y[idx]
        center = float(z.mean())
        predicted, observed = float(oof[idx].mean()), float(yc.mean())
        ratios, fits = [], []
        for _ in range(members):
            s = rng.integers(0, len(idx), len(idx))
            ratios.append(yc[s].mean() / max(oof[idx][s].mean(), EPS))
            fits.append(_fit(z[s], yc[s], center))  # also for a small class: its spread is the widest
        lo, hi = (float(x) for x in np.quantile(ratios, [0.025, 0.975]))
        off = len(idx) >= MIN_ROWS and not lo <= 1.0 <= hi
        a, b = _fit(z, yc, center) if off else (0.0, 0.0)
        after = float(_sigmoid(z + a + b * (z - center)).mean())
        classes[c] = {"rows": int(len(idx)), "predicted": predicted, "observed": observed, "ratio": observed / max(predicted, EPS),
                      "ratio_lo": lo, "ratio_hi": hi, "corrected": bool(off), "a": a, "b": b, "center": center, "predicted_after": after}
        for k, (ak, bk) in enumerate(fits):
            # the member's deviation from what is applied, in the applied model's terms
            boot[k][c] = [ak - a, bk - b]
    return {"classes": classes, "members": boot}


def apply(cal: dict | None, size: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The corrected probabilities (unchanged for classes not corrected)."""
    p = np.asarray(p, dtype=float)
    if not cal:
        return p
    out = p.copy()
    size = pd.Series(size).astype(str).to_numpy()
    for c, info in cal.get("classes", {}).items():
        if not info.get("corrected"):
            continue
        m = size == c
        if m.any():
            z = _logit(p[m])
            out[m] = _sigmoid(z + info["a"] + info["b"] * (z - info["center"]))
    return out


def member_probabilities(cal: dict | None, size: np.ndarray, p: np.ndarray) -> np.ndarray:
    """(n, K) probabilities, one column per member, spread around ``p`` (already
    corrected) as the bootstrap resamples of the history spread; one column (``p``
    itself) when the model card has no members."""
    p = np.asarray(p, dtype=float)
    members = (cal or {}).get("members") or []
    if not members:
        return p[:, None]
    size = pd.Series(size).astype(str).to_numpy()
    z = _logit(p)
    out = np.empty((len(p), len(members)), dtype=float)
    centers = {c: info["center"] for c, info in cal.get("classes", {}).items()}
    for k, member in enumerate(members):
        da = np.zeros(len(p))
        db = np.zeros(len(p))
        center = np.zeros(len(p))
        for c, (dak, dbk) in member.items():
            m = size == c
            da[m], db[m], center[m] = dak, dbk, centers.get(c, 0.0)
        out[:, k] = _sigmoid(z + da + db * (z - center))
    # Centre the members on the stored probabilities, so that the projection's expected
    # totals are the plan's own figures; the members keep their relative spread.
    mean = out.mean(axis=1, keepdims=True)
    return np.clip(out * np.divide(p[:, None], mean, out=np.ones_like(mean), where=mean > 0), 0.0, 1.0)


def uplift_members(ratios: list[float] | None, u: np.ndarray) -> np.ndarray:
    """(n, K) uplifts: ``u`` scaled by each bootstrap resample's ratio of the effect seen
    in the history to the effect predicted, relative to the full history's ratio."""
    u = np.asarray(u, dtype=float)
    if not ratios:
        return u[:, None]
    r = np.asarray(ratios, dtype=float)
    return u[:, None] * r[None, :]


def uplift_ratios(y: np.ndarray, t: np.ndarray, oof_uplift: np.ndarray, *, members: int = MEMBERS, seed: int = 0,
                  top_share: float = 0.3, w: np.ndarray | None = None) -> dict:
    """How the effect seen in a (randomised) history compares with the effect the uplift
    model predicts out of fold, among the ``top_share`` of contacts it ranks highest —
    the part a plan invites, where a model that ranks on its own noise overstates most.
    With inverse-propensity weights ``w`` (a targeted history) the effect seen is the
    weighted difference of enrolment rates.
    The ratio's bootstrap members (normalised to mean 1) carry the uncertainty; where the
    ratio's 95% interval excludes 1, ``factor`` corrects the stored uplift by it."""
    y, t, u = (np.asarray(a, dtype=float) for a in (y, t, oof_uplift))
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=float)
    rng = np.random.default_rng(seed)
    top = np.argsort(-u, kind="stable")[: max(1, int(round(len(u) * top_share)))]

    def ratio(s: np.ndarray) -> float:
        yt, tt, ut, wt = y[s], t[s], u[s], w[s]
        if tt.sum() == 0 or (1 - tt).sum() == 0 or abs(ut.mean()) < EPS:
            return 1.0
        seen = np.average(yt[tt == 1], weights=wt[tt == 1]) - np.average(yt[tt == 0], weights=wt[tt == 0])
        return float(seen / ut.mean())

    whole = ratio(top)
    draws = np.array([ratio(top[rng.integers(0, len(top), len(top))]) for _ in range(members)])
    lo, hi = float(np.quantile(draws, 0.025)), float(np.quantile(draws, 0.975))
    factor = float(np.clip(whole, 0.2, 2.0)) if not lo <= 1.0 <= hi else 1.0
    mean = draws.mean() if abs(draws.mean()) > EPS else 1.0
    return {"ratio": whole, "ratio_lo": lo, "ratio_hi": hi, "top_share": top_share, "factor": factor, "corrected": factor != 1.0,
            "members": (draws / mean).tolist()}


def apply_uplift(info: dict | None, u: np.ndarray) -> np.ndarray:
    """The stored uplift: the model's, times the correction training found (if any)."""
    return np.asarray(u, dtype=float) * float((info or {}).get("factor", 1.0))
