"""Uncovered potential and the opportunity ranking.

Uncovered = eligible - covered workers, summed from ``potentials``. The opportunity
score is a weighted mean of five components, each scaled to 0-1 by dividing by the
largest value among the rows being ranked (1 = the best row on that component):

- ``uncovered``:  uncovered workers;
- ``vulnerable``: share of the uncovered who are vulnerable (desil 1-4), weighted by
  uncovered workers;
- ``density``:    businesses not yet enrolled per km2 of the region;
- ``partners``:   active partners in the region;
- ``conversion``: past enrolment rate of invited businesses, smoothed towards the
  overall rate (``CONVERSION_PRIOR_WEIGHT`` pseudo-contacts) so that a region with three
  contacts does not top the list.

score = 100 * sum(w_i * c_i) / sum(w_i).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import sqlite_utils

from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t

LEVELS = ("province", "regency")
BYS = ("region", "sector", "region-sector")
SEGMENT_CHOICES = ("all", "PU", "BPU")
COMPONENTS = ("uncovered", "vulnerable", "density", "partners", "conversion")
CONVERSION_PRIOR_WEIGHT = 20.0
OUTPUT_COLUMNS = ["code", "name", "eligible", "covered", "uncovered", "coverage_rate", "score"]


@dataclass(frozen=True)
class Weights:
    """How much each component counts in the score (any non-negative numbers)."""

    uncovered: float = 3.0
    vulnerable: float = 1.0
    density: float = 1.0
    partners: float = 1.0
    conversion: float = 1.0

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def check(self, lang: str = DEFAULT_LANG) -> None:
        values = self.as_dict()
        bad = {k: v for k, v in values.items() if not np.isfinite(v) or v < 0}
        if bad:
            raise PlannerError(t("opp.weights_bad", lang, names=", ".join(bad)))
        if sum(values.values()) <= 0:
            raise PlannerError(t("opp.weights_zero", lang))


def _check(level: str, by: str, segment: str, lang: str = DEFAULT_LANG) -> None:
    if level not in LEVELS:
        raise PlannerError(t("opp.level_unknown", lang, value=level, choices=", ".join(LEVELS)))
    if by not in BYS:
        raise PlannerError(t("opp.by_unknown", lang, value=by, choices=", ".join(BYS)))
    if segment not in SEGMENT_CHOICES:
        raise PlannerError(t("opp.segment_unknown", lang, value=segment, choices=", ".join(SEGMENT_CHOICES)))


# The ranking's inputs, each read on its own so that a caller may keep each one until the
# tables it reads change (``rank``'s ``read``; ``planner.reads.READS`` names them): a new
# contact redoes the conversion cells, a partner edit the partner counts, and neither the
# potentials nor the businesses.
def potential_cells(db: sqlite_utils.Database, segment: str, province: str | None) -> pd.DataFrame:
    """Per regency x sector: eligible, covered and vulnerable uncovered workers."""
    seg_sql = "" if segment == "all" else "AND p.segment = :segment"
    prov_sql = "AND r.province_code = :province" if province else ""
    return pd.DataFrame(
        db.execute(
            f"""SELECT p.regency_code, p.sector, r.province_code,
                   SUM(p.eligible_workers) AS eligible, SUM(p.covered_workers) AS covered,
                   SUM(COALESCE(p.vulnerable_share, 0) * (p.eligible_workers - p.covered_workers)) AS vulnerable_uncovered
            FROM potentials p JOIN regencies r ON r.code = p.regency_code
            WHERE 1 = 1 {seg_sql} {prov_sql}
            GROUP BY p.regency_code, p.sector""",
            {"segment": segment, "province": province},
        ).fetchall(),
        columns=["regency_code", "sector", "province_code", "eligible", "covered", "vulnerable_uncovered"],
    )


def _province_range(province: str | None) -> tuple[str, dict]:
    return ("WHERE regency_code >= :lo AND regency_code < :hi", {"lo": f"{province}.", "hi": f"{province}/"}) if province else ("", {})


def business_cells(db: sqlite_utils.Database, province: str | None) -> pd.DataFrame:
    """Per regency x sector: businesses not yet enrolled."""
    where, params = _province_range(province)
    return pd.DataFrame(
        db.execute(f"SELECT regency_code, sector, COUNT(*) - SUM(enrolled) FROM businesses {where} GROUP BY regency_code, sector", params).fetchall(),
        columns=["regency_code", "sector", "open_businesses"],
    )


def conversion_cells(db: sqlite_utils.Database, province: str | None) -> pd.DataFrame:
    """Per regency x sector: invited contacts and how many of them enrolled."""
    _, params = _province_range(province)
    if province:
        # SQLite walks the province's businesses (region index) and finds their contacts.
        conv_sql = """SELECT b.regency_code, b.sector, COUNT(*), SUM(c.enrolled)
            FROM contacts c JOIN businesses b ON b.business_id = c.business_id
            WHERE c.invited = 1 AND b.regency_code >= :lo AND b.regency_code < :hi
            GROUP BY b.regency_code, b.sector"""
    else:
        # Nationally every invited contact needs its business's region and sector: looking
        # them up in business_id order walks the businesses index and table in order
        # instead of jumping around them (0.4 s instead of 0.65 s for 175,000 invitations
        # among a million businesses). The sums do not depend on the order.
        conv_sql = """SELECT b.regency_code, b.sector, COUNT(*), SUM(c.enrolled)
            FROM (SELECT business_id, enrolled FROM contacts WHERE invited = 1 ORDER BY business_id) c
            JOIN businesses b ON b.business_id = c.business_id
            GROUP BY b.regency_code, b.sector"""
    return pd.DataFrame(db.execute(conv_sql, params).fetchall(), columns=["regency_code", "sector", "invited", "invited_enrolled"])


def partner_counts(db: sqlite_utils.Database, level: str) -> pd.DataFrame:
    """Active partners per province or regency."""
    if level == "province":
        sql = ("SELECT r.province_code, COUNT(*) FROM partners p JOIN regencies r ON r.code = p.regency_code "
               "WHERE p.active = 1 GROUP BY r.province_code")
    else:
        sql = "SELECT regency_code, COUNT(*) FROM partners WHERE active = 1 GROUP BY regency_code"
    return pd.DataFrame(db.execute(sql).fetchall(), columns=["province_code" if level == "province" else "regency_code", "partners"])


def read_directly(db: sqlite_utils.Database):
    """``read(fn, *args)`` -> ``fn(db, *args)``: every part read afresh."""
    return lambda fn, *args: fn(db, *args)


def _cells(read, segment: str, province: str | None) -> pd.DataFrame:
    """Per regency x sector: potentials, businesses, contacts (all set-at-a-time SQL).
    The parts ``read`` returns may be shared with other callers: only new frames are
    changed here."""
    pot = read(potential_cells, segment, province)
    biz = read(business_cells, province)
    conv = read(conversion_cells, province)
    cells = pot.merge(biz, on=["regency_code", "sector"], how="left").merge(conv, on=["regency_code", "sector"], how="left")
    for c in ("open_businesses", "invited", "invited_enrolled"):
        cells[c] = cells[c].fillna(0).astype(np.int64)
    return cells


def rank(
    db: sqlite_utils.Database,
    *,
    level: str = "province",
    by: str = "region",
    segment: str = "all",
    province: str | None = None,
    weights: Weights = Weights(),
    top: int | None = None,
    lang: str = "id",
    read=None,
) -> pd.DataFrame:
    """Rank regions, sectors or region x sector cells by opportunity score (best first).

    Returns ``code, name, eligible, covered, uncovered, coverage_rate, score``, the five
    components ``c_<name>`` (0-1) and the raw values behind them. ``read(fn, *args)``
    reads one part (``potential_cells``, ``business_cells``, ``conversion_cells``,
    ``partner_counts``; ``planner.reads.READS`` names their tables): by default afresh;
    a page passes one that keeps each part until its own tables change."""
    _check(level, by, segment, lang)
    weights.check(lang)
    if province and db.execute("SELECT 1 FROM provinces WHERE code = ?", [province]).fetchone() is None:
        raise PlannerError(t("opp.province_unknown", lang, value=province))
    read = read or read_directly(db)
    cells = _cells(read, segment, province)
    region_col = "province_code" if level == "province" else "regency_code"
    keys = {"region": [region_col], "sector": ["sector"], "region-sector": [region_col, "sector"]}[by]
    if cells.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS + [f"c_{c}" for c in COMPONENTS])

    g = cells.groupby(keys, as_index=False)[["eligible", "covered", "vulnerable_uncovered", "open_businesses", "invited", "invited_enrolled"]].sum()
    g["uncovered"] = g["eligible"] - g["covered"]
    g["coverage_rate"] = np.where(g["eligible"] > 0, g["covered"] / g["eligible"].where(g["eligible"] > 0, 1), 0.0)
    g["vulnerable_share"] = np.where(g["uncovered"] > 0, g["vulnerable_uncovered"] / g["uncovered"].where(g["uncovered"] > 0, 1), 0.0)

    # Area and partners per region (for sector rows: of the whole scope).
    area_sql = "SELECT code AS province_code, area_km2 FROM provinces" if level == "province" else "SELECT code AS regency_code, area_km2 FROM regencies"
    areas = pd.DataFrame(db.query(area_sql))
    partners = read(partner_counts, level)
    if region_col in keys:
        g = g.merge(areas, on=region_col, how="left").merge(partners, on=region_col, how="left")
        g["partners"] = g["partners"].fillna(0).astype(np.int64)
    else:
        scope_regions = cells[region_col].unique()
        g["area_km2"] = float(areas[areas[region_col].isin(scope_regions)]["area_km2"].sum())
        g["partners"] = int(partners[partners[region_col].isin(scope_regions)]["partners"].sum())
    g["density"] = g["open_businesses"] / g["area_km2"].where(g["area_km2"] > 0, np.nan)
    g["density"] = g["density"].fillna(0.0)
    total_inv = g["invited"].sum()
    prior = g["invited_enrolled"].sum() / total_inv if total_inv else 0.0
    g["conversion_rate"] = (g["invited_enrolled"] + CONVERSION_PRIOR_WEIGHT * prior) / (g["invited"] + CONVERSION_PRIOR_WEIGHT)

    raw = {
        "uncovered": g["uncovered"].astype(float),
        "vulnerable": g["vulnerable_share"],
        "density": g["density"],
        "partners": g["partners"].astype(float),
        "conversion": g["conversion_rate"],
    }
    w = weights.as_dict()
    total_w = sum(w.values())
    score = np.zeros(len(g))
    for comp, values in raw.items():
        top_value = float(values.max()) if len(values) else 0.0
        g[f"c_{comp}"] = values / top_value if top_value > 0 else 0.0
        score += w[comp] * g[f"c_{comp}"].to_numpy()
    g["score"] = 100.0 * score / total_w

    g = _label(db, g, level, by, region_col, lang)
    g = g.sort_values(["score", "uncovered", "code"], ascending=[False, False, True], kind="stable").reset_index(drop=True)
    g.insert(0, "rank", np.arange(1, len(g) + 1))
    if top:
        g = g.head(int(top))
    extra = ["vulnerable_share", "open_businesses", "area_km2", "density", "partners", "invited", "invited_enrolled", "conversion_rate"]
    cols = ["rank"] + OUTPUT_COLUMNS + [f"c_{c}" for c in COMPONENTS] + extra
    if "province_code" in g.columns and level == "province" and by != "sector":
        cols.append("province_code")
    return g[cols]


def _label(db: sqlite_utils.Database, g: pd.DataFrame, level: str, by: str, region_col: str, lang: str) -> pd.DataFrame:
    from planner.reference import sector_labels

    sector_names = sector_labels(db, lang)  # 'G · Perdagangan Besar dan Eceran; …': the letter alone says nothing
    if level == "province":
        region_names = {r["code"]: r["name_common"] for r in db.query("SELECT code, name_common FROM provinces")}
    else:
        region_names = {r["code"]: r["name"] for r in db.query("SELECT code, name FROM regencies")}
    if by == "region":
        g["code"] = g[region_col]
        g["name"] = g[region_col].map(region_names)
    elif by == "sector":
        g["code"] = g["sector"]
        g["name"] = g["sector"].map(sector_names)
    else:
        g["code"] = g[region_col] + "/" + g["sector"]
        g["name"] = g[region_col].map(region_names) + " — " + g["sector"].map(sector_names)
    return g


def totals(df: pd.DataFrame) -> dict[str, float]:
    """Eligible, covered, uncovered and coverage rate over the rows of a ranking."""
    eligible = float(df["eligible"].sum())
    covered = float(df["covered"].sum())
    return {
        "eligible": eligible,
        "covered": covered,
        "uncovered": eligible - covered,
        "coverage_rate": covered / eligible if eligible else 0.0,
    }


def province_tiles(db: sqlite_utils.Database, ranking: pd.DataFrame) -> pd.DataFrame:
    """Every province's square on the tile-grid map (``data/province_tiles.csv``: short
    label, column, row) with its row of a province ranking; provinces outside the
    ranking (one province chosen) keep their square with empty measures, so the map
    always shows the whole archipelago."""
    from planner.reference import province_tiles as layout

    tiles = pd.DataFrame(layout())
    names = pd.DataFrame(db.query("SELECT code, name_common AS province FROM provinces"))
    return tiles.merge(names, on="code", how="left").merge(ranking, on="code", how="left")


# What ``ranked_view`` reads: the tables whose writes change a ranking (data versions).
VIEW_TOPICS = ("potentials", "businesses", "contacts", "partners", "regencies", "provinces", "sectors")


def ranked_view(db: sqlite_utils.Database, level: str, by: str, segment: str, province: str | None, weights: tuple[float, ...],
                lang: str = "id", read=None) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """What the Peluang page draws for one choice of its controls: the ranking, and the
    province tiles when provinces are ranked by region (None otherwise). ``read``: as
    ``rank``'s."""
    ranking = rank(db, level=level, by=by, segment=segment, province=province, weights=Weights(*weights), lang=lang, read=read)
    points = province_tiles(db, ranking) if level == "province" and by == "region" else None
    return ranking, points
