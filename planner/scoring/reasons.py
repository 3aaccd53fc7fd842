"""Reasons: which factors raise a business's score, named in words by a small surrogate
of the model (``Explainer``), stored as reason codes with each score."""

from __future__ import annotations

import csv
import numpy as np
import pandas as pd
from functools import lru_cache

from planner.db import ROOT
from planner.i18n import DEFAULT_LANG, STRINGS, t
from planner.scoring.features import FeatureSpec, SEED, as_category, as_number


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
