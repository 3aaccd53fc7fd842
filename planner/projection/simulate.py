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
CHUNK = 4096


@dataclass
class Inputs:
    """Per invited business: ``p`` (n, K) enrolment probability per ensemble member,
    ``u`` (n, K) uplift per member (NaN where unknown: no uplift model), ``w`` (n,)
    workers, ``groups``: breakdown name -> label per business, and ``weights``: further
    measures to sum for an enrolment besides workers and businesses (for example a
    business's monthly contributions), name -> value per business."""

    p: np.ndarray
    u: np.ndarray
    w: np.ndarray
    groups: dict[str, np.ndarray] = field(default_factory=dict)
    weights: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        as2d = lambda a: np.asarray(a, dtype=np.float32).reshape(len(a), -1)
        self.p, self.u = as2d(self.p), as2d(self.u)
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

    def measures(self) -> list[tuple[str, np.ndarray]]:
        """(name, weight) of every enrolment measure: workers, businesses, then the extras."""
        return [("workers", self.w), ("businesses", np.ones_like(self.w)),
                *((k, np.asarray(v, dtype=np.float32)) for k, v in self.weights.items())]


@dataclass
class Result:
    """Expected values and interval bounds: ``table`` has one row per (breakdown, key)
    with, for each measure (and the ``additional_`` twins of workers and businesses),
    ``<measure>`` (expected) and
    ``<measure>_<level>`` bounds; the breakdown ``total`` has the key ``all``."""

    table: pd.DataFrame
    sims: int
    members: int
    has_uplift: bool
    _parts: dict = field(default_factory=dict, repr=False, compare=False)

    def total(self) -> dict:
        return self.breakdown("total").iloc[0].to_dict()

    def breakdown(self, name: str) -> pd.DataFrame:
        """The rows of one breakdown (split once, then copied: a page reads them on every rerun)."""
        if not self._parts:
            self._parts.update({k: g.drop(columns="breakdown").reset_index(drop=True) for k, g in self.table.groupby("breakdown", sort=False)})
        part = self._parts.get(name)
        return part.copy() if part is not None else self.table.iloc[0:0].drop(columns="breakdown")


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


def sims_for(n: int) -> int:
    """Simulations for ``n`` businesses: many for a small plan, whose tails are lumpy and
    cheap to sample (4.000 for up to ~40.000 invitees), fewer for a national one, where
    the outcome's chance is small beside the model's uncertainty and time matters
    (600 at 250.000)."""
    return int(min(4000, max(600, 150_000_000 // max(n, 1))))


def simulate(inputs: Inputs, *, sims: int | None = None, seed: int = 0, workers: int = 2) -> Result:
    """Expected values and 80% and 95% intervals of every measure (enrolled and additional
    workers, businesses and extras), in total and per group, from ``sims`` simulations.

    The simulations are ordered by ensemble member, so each chunk of businesses compares
    its uniforms with one member's probabilities at a time (a broadcast, no gather), and
    all measures of a chunk go through one sparse product with the group matrix."""
    n, K = inputs.p.shape
    sims = sims or sims_for(n)
    rows, keys = _group_index(inputs)
    G, B = len(keys), rows.shape[1]
    # Businesses that share every group (same month, regency, sector, ...) form a cell. Each
    # chunk first sums its businesses' outcomes per cell, then the few cells into groups:
    # far fewer operations than adding every business into each of its B groups. Sorting
    # the businesses by cell keeps a chunk's cells few and contiguous.
    cells, cell_of = np.unique(rows, axis=0, return_inverse=True)
    cell_of = cell_of.ravel()
    order = np.argsort(cell_of, kind="stable")
    cell_of = cell_of[order]
    rng = np.random.default_rng(seed)
    counts = np.bincount(rng.integers(0, K, sims), minlength=K)  # simulations per member
    uplift = inputs.has_uplift
    u = np.nan_to_num(inputs.u, nan=0.0).astype(np.float32)
    measures = inputs.measures()
    M = len(measures)
    E = 2 if uplift else 0  # additional (caused) workers and businesses; extras have none
    n_out = M + E
    starts = list(range(0, n, CHUNK))
    seeds = rng.integers(0, 2**63 - 1, len(starts))

    def chunk(j: int) -> np.ndarray:
        a = starts[j]
        b = min(n, a + CHUNK)
        m = b - a
        r = np.random.default_rng(seeds[j])
        idx = order[a:b]
        chunk_weights = [weight[idx, None] for _, weight in measures]
        X = np.empty((m, n_out * sims), dtype=np.float32)
        col = 0
        for k in np.flatnonzero(counts):
            c = int(counts[k])
            U = r.random((m, c), dtype=np.float32)
            p1 = inputs.p[idx, k, None]
            enrolled = U < p1
            if uplift:
                p0 = p1 - u[idx, k, None]
                # additional (+1) if p0 <= U < p1; a negative uplift loses one (-1) with p1 <= U < p0
                effect = (U >= p0).view(np.int8) - (~enrolled).view(np.int8)
            for mi, wv in enumerate(chunk_weights):
                np.multiply(enrolled, wv, out=X[:, mi * sims + col : mi * sims + col + c])
                if mi < E:
                    np.multiply(effect, wv, out=X[:, (M + mi) * sims + col : (M + mi) * sims + col + c])
            col += c
        first, last = int(cell_of[a]), int(cell_of[b - 1])
        nc = last - first + 1
        local = sp.csr_matrix((np.ones(m, np.float32), (cell_of[a:b] - first, np.arange(m))), shape=(nc, m))
        gm = sp.csr_matrix((np.ones(nc * B, np.float32), (cells[first : last + 1].ravel(), np.repeat(np.arange(nc), B))), shape=(G, nc))
        return gm @ (local @ X)

    acc = np.zeros((G, n_out * sims), dtype=np.float64)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for part in pool.map(chunk, range(len(starts))):
            acc += part
    # Expected values are exact sums over businesses and members (not simulated).
    gm_all = sp.csr_matrix((np.ones(n * B), (rows.ravel(), np.repeat(np.arange(n), B))), shape=(G, n))
    p_mean = inputs.p.mean(axis=1).astype(np.float64)
    u_mean = u.mean(axis=1).astype(np.float64)
    table = pd.DataFrame({"breakdown": [k[0] for k in keys], "key": [k[1] for k in keys]})
    columns: dict[str, np.ndarray] = {}
    for mi, (name, weight) in enumerate(measures):
        weight = weight.astype(np.float64)
        for prefix, mean, block in (("", p_mean, mi), ("additional_", u_mean, M + mi)):
            col = prefix + name
            if prefix and mi >= 2:
                continue  # no additional twin for the extra measures
            if prefix and not uplift:
                columns[col] = np.full(G, np.nan)
                for level in LEVELS:
                    columns[f"{col}_{level}"] = np.full(G, np.nan)
                continue
            columns[col] = gm_all @ (mean * weight)
            draws = acc[:, block * sims : (block + 1) * sims]
            for level, q in LEVELS.items():
                columns[f"{col}_{level}"] = np.quantile(draws, q, axis=1, method="inverted_cdf")
    table = pd.concat([table, pd.DataFrame(columns)], axis=1)
    return Result(table, sims, K, uplift)
