"""Reference facts shipped in ``data/``: provinces, regencies, KBLI sections, programme rules.

Kemendagri codes (``16``, ``16.71``) are the keys everywhere; BPS codes are kept in their
own columns because the two systems disagree (Papua, and most regency numbers).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from planner.db import DATA_DIR, transaction


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _num(value: str, kind: type = float):
    return kind(value) if value not in ("", None) else None


@lru_cache(maxsize=1)
def _province_populations() -> dict[str, tuple[int, float]]:
    pop: dict[str, int] = {}
    area: dict[str, float] = {}
    for r in _read("regencies.csv"):
        p = r["kemendagri_prov_code"]
        pop[p] = pop.get(p, 0) + int(r["population_registered_2024_12"])
        area[p] = area.get(p, 0.0) + float(r["area_km2_big"])
    return {p: (pop[p], area[p]) for p in pop}


def load_reference(db: sqlite_utils.Database) -> dict[str, int]:
    """Write (or refresh) all reference tables in one transaction; returns row counts."""
    provinces = _read("provinces.csv")
    regencies = _read("regencies.csv")
    sectors = _read("kbli_sections.csv")
    rules = _read("programme_rules.csv")
    poparea = _province_populations()
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO provinces (code, bps_code, name, name_common, island_group, capital, "
            "capital_lat, capital_lon, timezone, population, area_km2, source) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET "
            "bps_code=excluded.bps_code, name=excluded.name, name_common=excluded.name_common, "
            "island_group=excluded.island_group, capital=excluded.capital, "
            "capital_lat=excluded.capital_lat, capital_lon=excluded.capital_lon, "
            "timezone=excluded.timezone, population=excluded.population, "
            "area_km2=excluded.area_km2, source=excluded.source",
            [
                (
                    p["kemendagri_code"], p["bps_code"], p["name"], p["name_common"],
                    p["island_group"], p["capital"], _num(p["capital_lat"]),
                    _num(p["capital_lon"]), p["timezone"],
                    poparea[p["kemendagri_code"]][0], round(poparea[p["kemendagri_code"]][1], 3),
                    p["source"],
                )
                for p in provinces
            ],
        )
        db.conn.executemany(
            "INSERT INTO regencies (code, code_compact, province_code, type, name, bps_code, "
            "bps_code_2020, population, area_km2, source) VALUES (?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(code) DO UPDATE SET code_compact=excluded.code_compact, "
            "province_code=excluded.province_code, type=excluded.type, name=excluded.name, "
            "bps_code=excluded.bps_code, bps_code_2020=excluded.bps_code_2020, "
            "population=excluded.population, area_km2=excluded.area_km2, source=excluded.source",
            [
                (
                    r["kemendagri_code"], r["kemendagri_code_compact"], r["kemendagri_prov_code"],
                    r["type"], r["name"], r["bps_code"], r["bps_code_2020"],
                    _num(r["population_registered_2024_12"], int), _num(r["area_km2_big"]),
                    r["source"],
                )
                for r in regencies
            ],
        )
        db.conn.executemany(
            "INSERT INTO sectors (code, name_id, name_en, division_from, division_to, source) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET name_id=excluded.name_id, "
            "name_en=excluded.name_en, division_from=excluded.division_from, "
            "division_to=excluded.division_to, source=excluded.source",
            [
                (s["section"], s["name_id"], s["name_en"], s["division_from"], s["division_to"], s["source"])
                for s in sectors
            ],
        )
        db.execute("DELETE FROM programme_rules")
        db.conn.executemany(
            "INSERT INTO programme_rules (rule_group, segment, item, value, unit, legal_basis, "
            "source, confidence, note) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (r["rule_group"], r["segment"], r["item"], r["value"], r["unit"],
                 r["legal_basis"], r["source"], r["confidence"], r["note"])
                for r in rules
            ],
        )
    return {
        "provinces": len(provinces),
        "regencies": len(regencies),
        "sectors": len(sectors),
        "programme_rules": len(rules),
    }


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    province_code: str


def provinces(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM provinces ORDER BY code"))


def regencies(db: sqlite_utils.Database, province_code: str | None = None) -> list[dict]:
    if province_code:
        return list(db.query("SELECT * FROM regencies WHERE province_code = ? ORDER BY code", [province_code]))
    return list(db.query("SELECT * FROM regencies ORDER BY code"))


def sectors(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM sectors ORDER BY code"))


def mandatory_programmes(db: sqlite_utils.Database, size_class: str) -> list[str]:
    """Programmes a business of this size must join (Perpres 109/2013 Pasal 6):
    mikro JKK+JKM, kecil JKK+JHT+JKM, menengah JKK+JHT+JP+JKM."""
    segment = {"mikro": "usaha_mikro", "kecil": "usaha_kecil", "menengah": "usaha_menengah"}[size_class]
    row = db.execute(
        "SELECT value FROM programme_rules WHERE rule_group='phasing' AND segment=? AND item='mandatory_programmes'",
        [segment],
    ).fetchone()
    return row[0].split(";") if row else []


@lru_cache(maxsize=1)
def minimum_wages() -> dict[str, int]:
    """Provincial minimum wage (UMP) 2025 per province, rupiah a month
    (``data/ump_2025.csv``, source S90 in ``data/SOURCES.md``)."""
    return {r["kemendagri_code"]: int(r["ump_2025_rupiah"]) for r in _read("ump_2025.csv")}


def is_loaded(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT COUNT(*) FROM regencies").fetchone()[0] > 0


def data_dir() -> Path:
    return DATA_DIR


def sector_labels(db: sqlite_utils.Database, lang: str = "id") -> dict[str, str]:
    """KBLI section letter -> 'G · Perdagangan Besar dan Eceran; …' (English titles in
    English): a letter alone means nothing to most readers, a name alone hides the code
    that import files use."""
    column = "name_en" if lang == "en" else "name_id"
    return {r["code"]: f"{r['code']} · {r[column]}" for r in db.query(f"SELECT code, {column} FROM sectors ORDER BY code")}


@lru_cache(maxsize=1)
def province_tiles() -> list[dict]:
    """The tile-grid map of the provinces (``data/province_tiles.csv``): per province its
    short label and its square's column and row, laid out like the archipelago (west to
    east, north to south), so a map can be drawn offline and read without hovering."""
    return [{"code": r["kemendagri_code"], "label": r["label"], "col": int(r["col"]), "row": int(r["row"])}
            for r in _read("province_tiles.csv")]
