"""Intervals for sums of chance outcomes, weighted by workers.

A plan invites businesses i = 1..n. If invited, business i enrols with probability p_i
and brings w_i workers; the invitation causes that with probability u_i (its uplift):
without it, the business would have enrolled with probability p_i - u_i. Two sources of
uncertainty go into every interval:

1. *chance in outcomes*: which businesses do enrol. Each simulation draws one uniform
   number U_i per business: it enrols if U_i < p_i, and the enrolment is additional (would
   not have happened without the invitation) if p_i - u_i <= U_i < p_i. Drawing both from
   the same U_i is the usual monotonicity assumption (an invitation never stops a business
   that would have enrolled) and keeps "additional" a part of "enrolled" in every draw;
2. *the model's own uncertainty*: each simulation first picks one member k of an
   ensemble of plausible models (p_ik, u_ik), so the spread between members — a biased
   level for a size class, say — widens the interval as it should. With one member the
   interval covers chance only, and says so.

The totals of every group (month, province, ...) are accumulated for all simulations at
once, in chunks of businesses (a sparse group matrix times the chunk's outcomes), and
their quantiles are the interval bounds. A quantile is taken as the smallest simulated
value whose share of draws at or below it reaches the level (``inverted_cdf``), which for
discrete outcomes keeps the central interval's coverage at least its level.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

LEVELS = {"p2_5": 0.025, "p10": 0.10, "p90": 0.90, "p97_5": 0.975}
MEASURES = ("workers", "businesses", "additional_workers", "additional_businesses")
CHUNK = 4096


@dataclass
class Inputs:
    """Per invited business: ``p`` (n, K) enrolment probability per ensemble member,
    ``u`` (n, K) uplift per member (NaN where unknown: no uplift model), ``w`` (n,)
    workers, and ``groups``: breakdown name -> label per business."""

    p: np.ndarray
    u: np.ndarray
    w: np.ndarray
    groups: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.p = np.atleast_2d(np.asarray(self.p, dtype=np.float32).T).T if np.ndim(self.p) == 1 else np.asarray(self.p, dtype=np.float32)
        self.u = np.atleast_2d(np.asarray(self.u, dtype=np.float32).T).T if np.ndim(self.u) == 1 else np.asarray(self.u, dtype=np.float32)
        self.w = np.asarray(self.w, dtype=np.float32)
        n = len(self.w)
        if self.p.shape[0] != n or self.u.shape[0] != n or self.p.shape[1] != self.u.shape[1]:
            raise ValueError("p, u and w must describe the same businesses and members")

    @property
    def members(self) -> int:
        return int(self.p.shape[1])

    @property
    def has_uplift(self) -> bool:
        return bool(len(self.u)) and not np.isnan(self.u).all()


@dataclass
class Result:
    """Expected values and interval bounds: ``table`` has one row per (breakdown, key)
    with, for each measure, ``<measure>`` (expected) and ``<measure>_<level>`` bounds;
    the breakdown ``total`` has the key ``all``."""

    table: pd.DataFrame
    sims: int
    members: int
    has_uplift: bool

    def total(self) -> dict:
        return self.table[self.table["breakdown"] == "total"].iloc[0].to_dict()

    def breakdown(self, name: str) -> pd.DataFrame:
        return self.table[self.table["breakdown"] == name].drop(columns="breakdown").reset_index(drop=True)


def _group_index(inputs: Inputs) -> tuple[np.ndarray, list[tuple[str, object]]]:
    """Each business's row in the group matrix per breakdown: (n, B) indices and the
    (breakdown, key) of every row."""
    names = ["total", *inputs.groups]
    n = len(inputs.w)
    rows = np.zeros((n, len(names)), dtype=np.int64)
    keys: list[tuple[str, object]] = [("total", "all")]
    for j, name in enumerate(names[1:], start=1):
        codes, uniques = pd.factorize(pd.Series(inputs.groups[name]).astype(object).fillna("–"), sort=True)
        rows[:, j] = codes + len(keys)
        keys += [(name, u) for u in uniques]
    return rows, keys


def simulate(inputs: Inputs, *, sims: int = 600, seed: int = 0, workers: int = 2) -> Result:
    """Expected values and 80% and 95% intervals of enrolled and additional workers and
    businesses, in total and per group, from ``sims`` simulations.

    The simulations are ordered by ensemble member, so each chunk of businesses compares
    its uniforms with one member's probabilities at a time (a broadcast, no gather), and
    the four measures of a chunk go through one sparse product with the group matrix."""
    n, K = inputs.p.shape
    rows, keys = _group_index(inputs)
    G, B = len(keys), rows.shape[1]
    rng = np.random.default_rng(seed)
    counts = np.bincount(rng.integers(0, K, sims), minlength=K)  # simulations per member
    uplift = inputs.has_uplift
    u = np.nan_to_num(inputs.u, nan=0.0).astype(np.float32)
    starts = list(range(0, n, CHUNK))
    seeds = rng.integers(0, 2**63 - 1, len(starts))
    n_out = 4 if uplift else 2

    def chunk(j: int) -> np.ndarray:
        a = starts[j]
        b = min(n, a + CHUNK)
        m = b - a
        r = np.random.default_rng(seeds[j])
        w = inputs.w[a:b, None]
        X = np.empty((m, n_out * sims), dtype=np.float32)
        col = 0
        for k in np.flatnonzero(counts):
            c = int(counts[k])
            U = r.random((m, c), dtype=np.float32)
            p1 = inputs.p[a:b, k, None]
            enrolled = U < p1
            X[:, col : col + c] = enrolled * w
            X[:, sims + col : sims + col + c] = enrolled
            if uplift:
                p0 = p1 - u[a:b, k, None]
                # additional if p0 <= U < p1; a negative uplift loses one with p1 <= U < p0
                effect = (enrolled & (U >= p0)).astype(np.float32) - ((U < p0) & ~enrolled)
                X[:, 2 * sims + col : 2 * sims + col + c] = effect * w
                X[:, 3 * sims + col : 3 * sims + col + c] = effect
            col += c
        gm = sp.csr_matrix((np.ones(m * B, np.float32), (rows[a:b].ravel(), np.repeat(np.arange(m), B))), shape=(G, m))
        return gm @ X

    acc = np.zeros((G, n_out * sims), dtype=np.float64)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for part in pool.map(chunk, range(len(starts))):
            acc += part
    # Expected values are exact sums over businesses and members (not simulated).
    gm_all = sp.csr_matrix((np.ones(n * B), (rows.ravel(), np.repeat(np.arange(n), B))), shape=(G, n))
    p_mean = inputs.p.mean(axis=1).astype(np.float64)
    u_mean = u.mean(axis=1).astype(np.float64)
    w = inputs.w.astype(np.float64)
    expected = [gm_all @ (p_mean * w), gm_all @ p_mean, gm_all @ (u_mean * w), gm_all @ u_mean]
    table = pd.DataFrame({"breakdown": [k[0] for k in keys], "key": [k[1] for k in keys]})
    for mi, measure in enumerate(MEASURES):
        if mi >= n_out:
            table[measure] = np.nan
            for name in LEVELS:
                table[f"{measure}_{name}"] = np.nan
            continue
        table[measure] = expected[mi]
        draws = acc[:, mi * sims : (mi + 1) * sims]
        for name, q in LEVELS.items():
            table[f"{measure}_{name}"] = np.quantile(draws, q, axis=1, method="inverted_cdf")
    return Result(table, sims, K, uplift)
