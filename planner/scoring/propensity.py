"""Propensities: each contact's chance of having been invited (recorded by a plan, or
estimated by a classifier of invitation kept only where it beats the invited share out
of fold), the inverse-propensity weights, and where the history overlaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
from dataclasses import dataclass
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from planner.scoring.estimators import _classifier
from planner.scoring.features import FeatureSpec, SEED


CLIP = 0.05  # propensities used as weights stay within [CLIP, 1 - CLIP]


OVERLAP = (0.05, 0.95)  # a contact with a propensity in this range could have gone either way


NO_OVERLAP_SHARE = 0.10  # a group with fewer of its contacts in overlap is named in the card


MIN_GROUP_ROWS = 30


# --------------------------------------------------------------------------- propensities
@dataclass(frozen=True)
class Propensity:
    """Each contact's chance of having been invited, and where it came from."""

    e: np.ndarray  # per contact (not clipped)
    source: str  # "recorded" (all), "mixed", "fitted" or "constant" for the rows without a record
    recorded: int  # contacts with a recorded chance
    logloss_model: float | None = None  # out of fold, for the rows without a record
    logloss_constant: float | None = None

    def card(self) -> dict:
        return {"source": self.source, "recorded": self.recorded, "estimated": int(len(self.e) - self.recorded),
                "logloss_model": self.logloss_model, "logloss_constant": self.logloss_constant,
                "quantiles": [float(q) for q in np.quantile(self.e, [0.0, 0.05, 0.5, 0.95, 1.0])] if len(self.e) else []}


def _logloss(t: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(t * np.log(p) + (1 - t) * np.log(1 - p)).mean())


def propensities(spec: FeatureSpec, X: pd.DataFrame, t: np.ndarray, recorded: np.ndarray | None = None, folds: int = 5) -> Propensity:
    """Recorded propensities where known; for the rest, a classifier of invitation on the
    features (out of fold), kept only where it clearly beats the invited share out of
    fold — otherwise the history is taken as randomised (one constant propensity)."""
    t = np.asarray(t, dtype=int)
    rec = np.full(len(t), np.nan) if recorded is None else np.asarray(recorded, dtype=float)
    known = np.isfinite(rec) & (rec > 0) & (rec < 1)
    e = np.where(known, rec, np.nan)
    if known.all():
        return Propensity(e, "recorded", int(known.sum()))
    unknown = ~known
    folds = max(2, min(folds, int(np.bincount(t).min()) if len(np.unique(t)) == 2 else 2))
    fitted = np.zeros(len(t))
    constant = np.zeros(len(t))
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED).split(X, t):
        constant[test] = t[train].mean()
        model = clone(_classifier(spec)).fit(X.iloc[train], t[train])
        fitted[test] = model.predict_proba(X.iloc[test])[:, 1]
    ll_model, ll_const = _logloss(t[unknown], fitted[unknown]), _logloss(t[unknown], constant[unknown])
    use_model = ll_model < ll_const - 0.005  # clearly better: invitations followed the features
    e[unknown] = fitted[unknown] if use_model else t[unknown].mean()
    source = ("fitted" if use_model else "constant") if not known.any() else "mixed"
    return Propensity(e, source, int(known.sum()), ll_model, ll_const)


def ipw_weights(t: np.ndarray, e: np.ndarray | None) -> np.ndarray | None:
    """Inverse-propensity weights, scaled so that a constant propensity gives every
    contact weight 1 (then every weighted measure is the plain one)."""
    if e is None:
        return None
    t = np.asarray(t, dtype=float)
    ec = np.clip(np.asarray(e, dtype=float), CLIP, 1 - CLIP)
    share = t.mean()
    return t * share / ec + (1 - t) * (1 - share) / (1 - ec)


def overlap(e: np.ndarray, frame: pd.DataFrame, columns: tuple[str, ...] = ("province", "size_class", "sector")) -> dict:
    """Where the history can show what an invitation does: the share of contacts whose
    propensity lies within ``OVERLAP``, and the groups (by province, size class, sector)
    with at least ``MIN_GROUP_ROWS`` contacts of which fewer than ``NO_OVERLAP_SHARE``
    could have gone either way — there uplift is extrapolated, not learned."""
    e = np.asarray(e, dtype=float)
    inside = (e >= OVERLAP[0]) & (e <= OVERLAP[1])
    groups = []
    for c in columns:
        if c not in frame.columns:
            continue
        g = pd.DataFrame({"v": frame[c].astype(str).to_numpy(), "inside": inside}).groupby("v")["inside"].agg(["size", "mean"])
        for v, row in g.iterrows():
            if row["size"] >= MIN_GROUP_ROWS and row["mean"] < NO_OVERLAP_SHARE:
                groups.append({"column": c, "value": str(v), "rows": int(row["size"]), "share": float(row["mean"])})
    groups.sort(key=lambda d: -d["rows"])
    return {"limits": list(OVERLAP), "share": float(inside.mean()) if len(e) else 0.0, "rows": int(len(e)),
            "outside": int((~inside).sum()), "no_overlap": groups[:20], "no_overlap_groups": len(groups)}
