"""The demo world: one seeded, deterministic source of data for the app, the tests and
``python -m planner init --demo``.

Everything is generated from ``numpy.random.default_rng(seed)`` and ``Faker("id_ID")``
seeded the same way, so the same seed always gives the same database. The method,
and how it reproduces the published 2025 national figures, is written up in
``docs/data.md``. ``enrolment_model`` exposes the true generative process of the
outreach history so that scoring and uplift models can be checked against the truth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import sqlite_utils
from faker import Faker

from planner.auth import create_demo_accounts, system_user
from planner.db import set_meta, transaction
from planner.imports import import_frame
from planner.reference import load_reference

DEFAULT_BUSINESSES = 50_000
DEFAULT_SEED = 20250307
AS_OF = "2025-03-07"  # BPJS Ketenagakerjaan release with the 2025 national split

# Published 2025 snapshot (news release 7 Mar 2025, data/published_figures.csv).
BPU_ELIGIBLE = 61_000_000
BPU_COVERED = 9_900_000
PU_ELIGIBLE = 40_700_000
PU_COVERED = round(PU_ELIGIBLE * 0.867)  # 35,286,900
# Sumatera Selatan: 3.63% BPU coverage (ANTARA, Jan 2020) -- kept as the province's rate.
SUMSEL = "16"
SUMSEL_BPU_RATE = 0.0363

SECTORS = list("ABCDEFGHIJKLMNOPQRSTU")
# Share of workers by KBLI section, informal (BPU) and wage (PU): shaped on Sakernas
# patterns (agriculture and trade dominate informal work; manufacturing, trade and
# public services dominate wage work). Normalised below.
BPU_SECTOR_SHARE = dict(zip(SECTORS, [
    0.36, 0.01, 0.09, 0.001, 0.002, 0.05, 0.22, 0.06, 0.08, 0.005,
    0.003, 0.002, 0.008, 0.01, 0.0, 0.01, 0.01, 0.01, 0.05, 0.02, 0.0,
]))
PU_SECTOR_SHARE = dict(zip(SECTORS, [
    0.10, 0.015, 0.21, 0.005, 0.005, 0.06, 0.17, 0.05, 0.05, 0.02,
    0.03, 0.01, 0.02, 0.04, 0.07, 0.08, 0.04, 0.01, 0.02, 0.01, 0.0005,
]))
# Coverage relative to the segment's average, by sector (transport riders and
# finance are well covered; farming and household work are not).
BPU_SECTOR_COVERAGE = dict(zip(SECTORS, [
    0.45, 0.9, 1.0, 1.0, 1.0, 1.2, 1.1, 2.4, 1.0, 1.4,
    1.6, 1.2, 1.2, 1.3, 1.0, 1.1, 1.1, 1.0, 1.2, 0.4, 1.0,
]))
PU_SECTOR_COVERAGE = dict(zip(SECTORS, [
    0.8, 1.05, 1.02, 1.1, 1.0, 0.9, 0.98, 1.0, 0.95, 1.08,
    1.12, 1.0, 1.05, 1.0, 1.12, 1.05, 1.08, 1.0, 0.9, 0.6, 1.0,
]))
# Cities have fewer farms and more trade and services.
CITY_SECTOR_FACTOR = dict(zip(SECTORS, [
    0.12, 0.3, 1.2, 1.5, 1.5, 1.3, 1.5, 1.4, 1.6, 2.5,
    2.5, 2.0, 2.0, 1.8, 1.3, 1.3, 1.5, 1.6, 1.4, 1.8, 1.0,
]))
EAST_ISLANDS = {"Papua", "Maluku", "Bali & Nusa Tenggara"}

PARTNER_PROFILE = {
    # type: (events per month, venue seats (lo, hi), cost per event rupiah (lo, hi), weekdays)
    "dinas_koperasi": (4, (40, 120), (2_500_000, 6_000_000), "1;2;3;4;5"),
    "koperasi": (2, (25, 80), (1_500_000, 4_000_000), "1;2;3;4;5;6"),
    "asosiasi_ritel": (3, (30, 100), (2_000_000, 5_000_000), "1;2;3;4;5;6"),
    "bank": (6, (30, 150), (3_000_000, 9_000_000), "1;2;3;4;5"),
    "perisai": (8, (15, 40), (750_000, 2_000_000), "1;2;3;4;5;6;7"),
    "pemda": (4, (50, 200), (2_000_000, 7_500_000), "1;2;3;4;5"),
    "oss_ptsp": (6, (20, 60), (1_000_000, 3_000_000), "1;2;3;4;5"),
    "ecommerce": (10, (50, 300), (4_000_000, 12_000_000), "1;2;3;4;5;6;7"),
    "asosiasi_industri": (2, (30, 120), (3_000_000, 8_000_000), "1;2;3;4;5"),
}
BANKS = ["BRI", "BNI", "Mandiri", "BSI", "BTN", "Bank Pembangunan Daerah"]
ECOMMERCE = ["Mitra Pasar Daring Nusantara", "Gerai Digital UMKM", "Mitra Pembayaran QRIS", "Toko Daring Rakyat"]

NAME_PATTERNS = {
    "A": ["Tani {w}", "Kebun {w}", "Tambak {p}", "Peternakan {w}", "Kelompok Tani {w}"],
    "B": ["Tambang Pasir {p}", "Galian C {w}"],
    "C": ["Konveksi {p}", "Kerupuk {p}", "Tahu Tempe {w}", "Mebel {w}", "Kerajinan {w}", "Roti {p}"],
    "D": ["Listrik Desa {w}"],
    "E": ["Bank Sampah {w}", "Air Isi Ulang {w}"],
    "F": ["Bangunan {w}", "Tukang {p}", "CV {w} Konstruksi"],
    "G": ["Toko {w}", "Warung {p}", "Toko Kelontong {w}", "Grosir {w}", "Kios {p}", "Toko Sembako {w}"],
    "H": ["Ojek {p}", "Angkutan {w}", "Bengkel {p}", "Ekspedisi {w}"],
    "I": ["Warung Makan {p}", "Rumah Makan {w}", "Kedai Kopi {w}", "Pempek {p}", "Katering {p}", "Bakso {p}"],
    "J": ["Percetakan {w}", "Warnet {w}", "Studio Foto {p}"],
    "K": ["KSP {w}", "BMT {w}"],
    "L": ["Kos {p}", "Kontrakan {p}"],
    "M": ["Jasa Desain {p}", "Konsultan {w}"],
    "N": ["Laundry {p}", "Rental {w}", "Jasa Kebersihan {w}"],
    "O": ["Unit Usaha Desa {w}"],
    "P": ["Bimbel {w}", "Kursus {p}", "PAUD {w}"],
    "Q": ["Klinik {w}", "Apotek {w}", "Bidan {p}"],
    "R": ["Sanggar {w}", "Futsal {w}"],
    "S": ["Salon {p}", "Penjahit {p}", "Pangkas Rambut {p}", "Servis HP {w}"],
    "T": ["Asisten Rumah Tangga {p}"],
    "U": ["Jasa {w}"],
}
GOOD_WORDS = [
    "Makmur", "Jaya", "Sejahtera", "Berkah", "Sentosa", "Mandiri", "Maju", "Abadi", "Barokah",
    "Lestari", "Sumber Rezeki", "Harapan", "Bersama", "Mulia", "Sinar", "Cahaya", "Indah",
    "Karya", "Bahagia", "Amanah", "Rukun", "Mekar", "Subur", "Setia",
]


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    potentials: int
    businesses: int
    contacts: int
    partners: int
    staff: int


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``weights`` that add up to exactly ``total``."""
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * total
    base = np.floor(raw).astype(np.int64)
    short = total - int(base.sum())
    if short:
        order = np.argsort(-(raw - base), kind="stable")
        base[order[:short]] += 1
    return base


def _regencies(db: sqlite_utils.Database) -> pd.DataFrame:
    return pd.DataFrame(
        db.query(
            "SELECT r.code, r.province_code, r.type, r.name, r.population, r.area_km2, "
            "p.island_group FROM regencies r JOIN provinces p ON p.code = r.province_code ORDER BY r.code"
        )
    )


# --------------------------------------------------------------------------- potentials
def build_potentials(regencies: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Eligible and covered workers per regency x sector x segment, summing exactly to
    the 2025 national figures, with province and sector variation in coverage."""
    n_reg = len(regencies)
    is_city = (regencies["type"] == "Kota").to_numpy()
    east = regencies["island_group"].isin(EAST_ISLANDS).to_numpy()
    pop = regencies["population"].to_numpy(dtype=float)
    provs = regencies["province_code"].to_numpy()
    prov_codes = np.unique(provs)
    # Province coverage factors (lognormal), eastern provinces lower on average.
    prov_factor = {p: float(np.exp(rng.normal(0, 0.35))) for p in prov_codes}
    prov_vuln = {p: float(np.clip(rng.normal(0, 0.06), -0.12, 0.12)) for p in prov_codes}
    frames = []
    for segment, share, cov_by_sector, eligible_total, covered_total in (
        ("BPU", BPU_SECTOR_SHARE, BPU_SECTOR_COVERAGE, BPU_ELIGIBLE, BPU_COVERED),
        ("PU", PU_SECTOR_SHARE, PU_SECTOR_COVERAGE, PU_ELIGIBLE, PU_COVERED),
    ):
        # Cities hold more wage work, rural regencies more informal work.
        seg_factor = np.where(is_city, 1.5, 0.9) if segment == "PU" else np.where(is_city, 0.8, 1.1)
        reg_weight = pop * seg_factor * np.exp(rng.normal(0, 0.15, n_reg))
        base_share = np.array([share[s] for s in SECTORS])
        city = np.array([CITY_SECTOR_FACTOR[s] for s in SECTORS])
        sector_w = np.where(is_city[:, None], base_share * city, base_share)
        sector_w = sector_w * rng.gamma(20, 1 / 20, size=sector_w.shape)
        sector_w = sector_w / sector_w.sum(axis=1, keepdims=True)
        cell_w = (reg_weight[:, None] * sector_w).ravel()
        eligible = _largest_remainder(cell_w, eligible_total)
        # Coverage rates per cell.
        national = covered_total / eligible_total
        pf = np.array([prov_factor[p] for p in provs]) * np.where(east, 0.75, 1.0) * np.where(is_city, 1.15, 1.0)
        if segment == "PU":
            pf = pf ** 0.25  # formal coverage varies far less between provinces
        sector_cov = np.array([cov_by_sector[s] for s in SECTORS])
        rate = (pf[:, None] * sector_cov[None, :] * np.exp(rng.normal(0, 0.1, (n_reg, len(SECTORS))))).ravel()
        cap = 0.985
        sumsel = np.repeat(provs == SUMSEL, len(SECTORS))
        if segment == "BPU":
            # Pin Sumatera Selatan to its published rate; scale the rest to the national total.
            s_rate = rate[sumsel] / np.average(rate[sumsel], weights=np.maximum(eligible[sumsel], 1)) * SUMSEL_BPU_RATE
            rate[sumsel] = s_rate
            fixed = sumsel
        else:
            fixed = np.zeros_like(sumsel)
        free = ~fixed
        target_free = covered_total - float((eligible[fixed] * rate[fixed]).sum())
        for _ in range(20):
            r = np.minimum(rate[free], cap)
            scale = target_free / float((eligible[free] * r).sum())
            rate[free] = np.minimum(rate[free] * scale, cap)
            if abs(scale - 1) < 1e-9:
                break
        expected = eligible * np.minimum(rate, cap)
        covered = _largest_remainder(np.maximum(expected, 1e-9), covered_total)
        covered = np.minimum(covered, eligible)
        # Put back anything clipped, into the cells with the most room (rare).
        missing = covered_total - int(covered.sum())
        while missing > 0:
            room = eligible - covered
            idx = np.argsort(-room)[:missing]
            add = np.minimum(room[idx], 1)
            covered[idx] += add
            missing -= int(add.sum())
        vuln_base = 0.50 if segment == "BPU" else 0.20
        vuln = (
            vuln_base
            + np.array([prov_vuln[p] for p in provs])[:, None]
            + np.where(east, 0.08, 0.0)[:, None]
            - np.where(is_city, 0.06, 0.0)[:, None]
            + rng.normal(0, 0.03, (n_reg, len(SECTORS)))
        ).ravel()
        frames.append(
            pd.DataFrame(
                {
                    "regency_code": np.repeat(regencies["code"].to_numpy(), len(SECTORS)),
                    "sector": np.tile(SECTORS, n_reg),
                    "segment": segment,
                    "eligible_workers": eligible,
                    "covered_workers": covered,
                    "vulnerable_share": np.round(np.clip(vuln, 0.02, 0.95), 3),
                    "as_of": AS_OF,
                    "source": "demo",
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out[out["eligible_workers"] > 0].reset_index(drop=True)


# --------------------------------------------------------------------------- businesses
def _name_pools(fake: Faker) -> tuple[np.ndarray, np.ndarray]:
    first = np.array(sorted({fake.first_name() for _ in range(1500)}))
    last = np.array(sorted({fake.last_name() for _ in range(800)}))
    return first, last


def build_businesses(n: int, regencies: pd.DataFrame, potentials: pd.DataFrame, rng: np.random.Generator, fake: Faker) -> pd.DataFrame:
    """``n`` micro, small and medium businesses placed where the workers are."""
    # Where: regency x sector cells weighted by uncovered workers (informal weighs more).
    pot = potentials.assign(uncovered=potentials.eligible_workers - potentials.covered_workers)
    pot = pot.groupby(["regency_code", "sector"], as_index=False)["uncovered"].sum()
    cell = rng.choice(len(pot), size=n, p=(pot.uncovered / pot.uncovered.sum()).to_numpy())
    regency = pot.regency_code.to_numpy()[cell]
    sector = pot.sector.to_numpy()[cell]
    reg = regencies.set_index("code")
    is_city = (reg.loc[regency, "type"] == "Kota").to_numpy()
    east = reg.loc[regency, "island_group"].isin(EAST_ISLANDS).to_numpy()

    size = rng.choice(np.array(["mikro", "kecil", "menengah"]), size=n, p=[0.88, 0.10, 0.02])
    workers = np.where(
        size == "mikro",
        rng.choice([1, 2, 3, 4], size=n, p=[0.42, 0.30, 0.17, 0.11]),
        np.where(size == "kecil", rng.integers(5, 20, size=n), rng.integers(20, 100, size=n)),
    )
    age = np.minimum(rng.geometric(1 / 9, size=n) - 1, 45)
    founded = 2025 - age
    sz = {"mikro": 0.0, "kecil": 1.0, "menengah": 2.0}
    szv = np.vectorize(sz.get)(size)

    def flag(logit: np.ndarray) -> np.ndarray:
        return (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)

    has_nib = flag(-0.6 + 1.1 * szv + 0.5 * is_city + 0.4 * (founded >= 2018))
    kur = flag(-1.6 + 0.9 * has_nib + 0.5 * (szv == 1) + 0.3 * np.isin(sector, ["A", "G", "C"]))
    coop = flag(-1.9 + 0.8 * (sector == "A") + 0.4 * ~is_city + 0.3 * kur)
    digital = flag(-1.2 + 0.8 * is_city + 0.6 * np.isin(sector, ["G", "I", "J", "S"]) + 0.5 * szv + 0.3 * has_nib - 0.02 * age)
    distance = np.round(rng.exponential(np.where(is_city, 6.0, 24.0) * np.where(east, 2.0, 1.0)), 1)
    owner_age = np.clip(np.round(rng.normal(44, 10, n)), 19, 80).astype(int)
    revenue = np.round(np.exp(rng.normal(np.log(np.where(size == "mikro", 8, np.where(size == "kecil", 120, 900))), 0.6)), 1)

    base = _base_logit(szv, has_nib, digital, coop, kur, distance, is_city, founded)
    enrolled = (rng.random(n) < 1 / (1 + np.exp(-base))).astype(int)

    first, last = _name_pools(fake)
    owner = np.char.add(np.char.add(first[rng.integers(0, len(first), n)], " "), last[rng.integers(0, len(last), n)])
    word = np.array(GOOD_WORDS)[rng.integers(0, len(GOOD_WORDS), n)]
    names = np.empty(n, dtype=object)
    pick = rng.random(n)
    for s, patterns in NAME_PATTERNS.items():
        m = sector == s
        if not m.any():
            continue
        pi = np.minimum((pick[m] * len(patterns)).astype(int), len(patterns) - 1)
        pat = np.array(patterns)[pi]
        person = np.array([o.split(" ")[0] for o in owner[m]])
        names[m] = [p.replace("{w}", w).replace("{p}", q) for p, w, q in zip(pat, word[m], person)]
    phone = np.char.add("08", rng.integers(110_000_000, 999_999_999, n).astype(str))
    width = max(6, len(str(n)))
    ids = np.char.add("U", np.char.zfill(np.arange(1, n + 1).astype(str), width))
    return pd.DataFrame(
        {
            "business_id": ids,
            "name": names,
            "regency_code": regency,
            "sector": sector,
            "size_class": size,
            "workers": workers,
            "founded_year": founded,
            "has_nib": has_nib,
            "kur_recipient": kur,
            "coop_member": coop,
            "digital_payments": digital,
            "enrolled": enrolled,
            "owner_name": owner,
            "phone": phone,
            "distance_km": distance,
            "owner_age": owner_age,
            "monthly_revenue_mio": revenue,
        }
    )


def _base_logit(szv, has_nib, digital, coop, kur, distance, is_city, founded) -> np.ndarray:
    """Log-odds that a business enrols without being invited."""
    return (
        -2.6
        + 0.9 * has_nib
        + 0.7 * szv
        + 0.5 * digital
        + 0.15 * coop
        + 0.1 * kur
        - 0.012 * distance
        + 0.2 * is_city
        - 0.01 * (2025 - founded)
    )


def enrolment_model(businesses: pd.DataFrame, regencies: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The true process behind the demo outreach history, for checking models.

    Returns ``(p_base, uplift)``: the chance a business enrols in a campaign window
    without an invitation, and how much an invitation adds. Persuadable businesses are
    cooperative members or KUR borrowers close to a branch office who are not yet
    registered with OSS; sure things (medium-sized or registered and paying digitally)
    and lost causes (far away, or long-established micro firms) gain little."""
    szv = businesses["size_class"].map({"mikro": 0.0, "kecil": 1.0, "menengah": 2.0}).to_numpy()
    attrs = businesses
    distance = attrs["distance_km"].to_numpy(dtype=float)
    has_nib = attrs["has_nib"].to_numpy(dtype=int)
    digital = attrs["digital_payments"].to_numpy(dtype=int)
    coop = attrs["coop_member"].to_numpy(dtype=int)
    kur = attrs["kur_recipient"].to_numpy(dtype=int)
    founded = attrs["founded_year"].to_numpy(dtype=int)
    is_city = attrs["regency_code"].str.slice(3, 4).isin(list("789")).to_numpy()  # kota codes are 71-99
    base = 1 / (1 + np.exp(-(_base_logit(szv, has_nib, digital, coop, kur, distance, is_city, founded) - 0.8)))
    sure = (szv == 2) | ((has_nib == 1) & (digital == 1))
    lost = (distance > 40) | ((szv == 0) & (founded < 2000))
    persuadable = ((coop == 1) | (kur == 1)) & (distance <= 20) & (has_nib == 0)
    uplift = np.where(sure, 0.01, np.where(lost, 0.0, np.where(persuadable, 0.30, 0.07)))
    uplift = np.where(persuadable & lost, 0.0, uplift)
    return base, uplift


def build_contacts(businesses: pd.DataFrame, rng: np.random.Generator, frame_share: float = 0.4) -> tuple[pd.DataFrame, np.ndarray]:
    """The outreach history, a randomised campaign: of the businesses not enrolled before
    it, ``frame_share`` were drawn into the campaign frame; each of those was invited
    (sosialisasi, WhatsApp or a visit) with probability one half, otherwise only
    observed (channel ``kontrol``). Enrolment follows ``enrolment_model``. Returns the
    contacts and the businesses' enrolled flags after the campaign."""
    n = len(businesses)
    eligible = businesses["enrolled"].to_numpy() == 0
    in_frame = eligible & (rng.random(n) < frame_share)
    idx = np.flatnonzero(in_frame)
    invited = (rng.random(len(idx)) < 0.5).astype(int)
    p_base, uplift = enrolment_model(businesses.iloc[idx])
    p = np.clip(p_base + invited * uplift, 0, 1)
    enrolled = (rng.random(len(idx)) < p).astype(int)
    attended = np.where(invited == 1, (rng.random(len(idx)) < 0.55 + 0.3 * enrolled).astype(int), 0)
    channel = np.where(
        invited == 1,
        rng.choice(np.array(["sosialisasi", "whatsapp", "kunjungan"]), size=len(idx), p=[0.5, 0.3, 0.2]),
        "kontrol",
    )
    start = np.datetime64("2025-01-06")
    days = rng.integers(0, 630, len(idx))
    dates = start + days.astype("timedelta64[D]")
    # Invitations fall on working days: move weekend dates to the Monday after.
    wd = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    dates = dates + np.where((invited == 1) & (wd >= 5), 7 - wd, 0).astype("timedelta64[D]")
    workers = businesses["workers"].to_numpy()[idx]
    contacts = pd.DataFrame(
        {
            "business_id": businesses["business_id"].to_numpy()[idx],
            "contacted_on": dates.astype(str),
            "channel": channel,
            "invited": invited,
            "enrolled": enrolled,
            "attended": np.where(invited == 1, attended.astype(str), ""),
            "workers_enrolled": np.where(enrolled == 1, workers, 0),
        }
    ).sort_values(["contacted_on", "business_id"], kind="stable")
    after = businesses["enrolled"].to_numpy().copy()
    after[idx[enrolled == 1]] = 1
    return contacts.reset_index(drop=True), after


# --------------------------------------------------------------------------- partners & staff
def build_partners(regencies: pd.DataFrame, rng: np.random.Generator, fake: Faker) -> pd.DataFrame:
    """Partners of every type in every province. Every regency has its own cooperative
    office (Dinas Koperasi), DPMPTSP (OSS desk), kelurahan/kecamatan and KUR bank unit,
    at least one cooperative, Perisai agents by population, and a retail association in
    cities and large regencies; e-commerce/payment partners and industry associations work
    province-wide from the largest regency."""
    rows = []

    def add(prov: str, counter: int, ptype: str, r: pd.Series) -> None:
        per_month, seats, cost, weekdays = PARTNER_PROFILE[ptype]
        place = r["name"].replace("Kabupaten ", "Kab. ")
        short = r["name"].replace("Kabupaten ", "").replace("Kota ", "")
        name = {
            "dinas_koperasi": f"Dinas Koperasi dan UKM {place}",
            "koperasi": f"Koperasi {rng.choice(['Simpan Pinjam', 'Serba Usaha', 'Produsen', 'Pedagang Pasar'])} {rng.choice(GOOD_WORDS)} {short}",
            "asosiasi_ritel": f"Asosiasi Pedagang {rng.choice(['Pasar', 'Kelontong', 'Ritel'])} {short}",
            "bank": f"{rng.choice(BANKS)} Unit {short} (penyalur KUR)",
            "perisai": f"Agen Perisai {fake.name()}",
            "pemda": f"{rng.choice(['Kelurahan', 'Kecamatan'])} {fake.city_name()} ({short})",
            "oss_ptsp": f"DPMPTSP {place}",
            "ecommerce": f"{rng.choice(ECOMMERCE)} {short}",
            "asosiasi_industri": f"Asosiasi Industri {rng.choice(['Kecil Menengah', 'Makanan Minuman', 'Kerajinan'])} {short}",
        }[ptype]
        rows.append(
            {
                "partner_id": f"M{prov}-{counter:03d}",
                "name": name,
                "type": ptype,
                "regency_code": r["code"],
                "capacity_per_month": per_month,
                "venue_capacity": int(rng.integers(seats[0], seats[1] + 1)),
                "cost_per_event": int(round(rng.integers(cost[0], cost[1] + 1), -5)),
                "available_weekdays": weekdays,
                "contact_phone": "08" + str(rng.integers(110_000_000, 999_999_999)),
            }
        )

    for prov, group in regencies.groupby("province_code", sort=True):
        counter = 0
        for _, r in group.sort_values("code").iterrows():
            pop = float(r["population"] or 0)
            local = ["dinas_koperasi", "oss_ptsp", "pemda", "bank"]
            local += ["koperasi"] * max(1, int(round(pop / 1_000_000)))
            local += ["perisai"] * int(round(pop / 700_000))
            if r["type"] == "Kota" or pop > 1_000_000:
                local.append("asosiasi_ritel")
            for ptype in local:
                counter += 1
                add(prov, counter, ptype, r)
        biggest = group.sort_values(["population", "code"], ascending=[False, True]).iloc[0]
        n_wide = int(np.clip(round(group["population"].sum() / 10_000_000), 1, 3))
        for ptype in ("ecommerce", "asosiasi_industri", "perisai", "asosiasi_ritel"):
            if ptype in ("perisai", "asosiasi_ritel") and any(x["type"] == ptype and x["partner_id"].startswith(f"M{prov}-") for x in rows):
                continue  # every province has every type
            for _ in range(n_wide):
                counter += 1
                add(prov, counter, ptype, biggest)
    return pd.DataFrame(rows)


def build_staff(regencies: pd.DataFrame, rng: np.random.Generator, fake: Faker) -> pd.DataFrame:
    """Regional outreach staff: about one per million residents, at least three a province."""
    rows = []
    for prov, group in regencies.groupby("province_code", sort=True):
        n = int(np.clip(round(group["population"].sum() / 1_000_000), 3, 30))
        for i in range(1, n + 1):
            home = group.iloc[rng.choice(len(group), p=group["population"].to_numpy() / group["population"].sum())]
            rows.append(
                {
                    "staff_id": f"S{prov}-{i:02d}",
                    "name": fake.name(),
                    "province_code": prov,
                    "max_events_per_week": int(rng.choice([2, 3, 3, 4])),
                    "home_regency": home["code"],
                }
            )
    return pd.DataFrame(rows)


def add_contact_details(partners: pd.DataFrame, staff: pd.DataFrame, seed: int) -> None:
    """Where a partner's events take place and whom to call there, and each staff
    member's phone: drawn from generators of their own (seed + 1), so that adding them
    changed nothing else the seed makes."""
    rng = np.random.default_rng(seed + 1)
    fake = Faker("id_ID")
    fake.seed_instance(seed + 1)
    partners["address"] = [fake.street_address() for _ in range(len(partners))]
    partners["contact_name"] = [fake.name() for _ in range(len(partners))]
    staff["phone"] = ["08" + str(x) for x in rng.integers(110_000_000, 999_999_999, len(staff))]


# --------------------------------------------------------------------------- entry point
def create_demo(db: sqlite_utils.Database, *, businesses: int = DEFAULT_BUSINESSES, seed: int = DEFAULT_SEED,
                lang: str = "id") -> DemoSummary:
    """Fill ``db`` with the demo world (reference data included). Deterministic per seed.
    Every table goes through the same validated import path as user files."""
    if businesses < 1 or businesses > 1_000_000:
        from planner.errors import PlannerError
        from planner.i18n import fmt_int, t

        raise PlannerError(t("demo.businesses_range", lang, value=fmt_int(businesses)))
    load_reference(db)
    rng = np.random.default_rng(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    regs = _regencies(db)
    potentials = build_potentials(regs, rng)
    biz = build_businesses(businesses, regs, potentials, rng, fake)
    contacts, enrolled_after = build_contacts(biz, rng)
    biz["enrolled"] = enrolled_after
    partners = build_partners(regs, rng, fake)
    staff = build_staff(regs, rng, fake)
    add_contact_details(partners, staff, seed)
    actor = system_user()
    with transaction(db):
        # generated: building the demo again (init --demo twice) is not a real-data import
        import_frame(db, "potentials", potentials, actor=actor, generated=True)
        import_frame(db, "businesses", biz, actor=actor, generated=True)
        import_frame(db, "contacts", contacts, actor=actor, generated=True)
        import_frame(db, "partners", partners, actor=actor, generated=True)
        import_frame(db, "staff", staff, actor=actor, generated=True)
        create_demo_accounts(db)
        set_meta(db, "demo", "1")
        set_meta(db, "demo_seed", str(seed))
        set_meta(db, "demo_created", dt.datetime.now().isoformat(timespec="seconds"))
    return DemoSummary(seed, len(potentials), len(biz), len(contacts), len(partners), len(staff))


# --------------------------------------------------------------------------- field history
# What happened after the demo's first plan: its events held (or cancelled) and reported,
# registrations on the spot and later, leads, and the contributions paid since. The method
# is written up in docs/data.md ("The field history"). Everything is drawn from
# ``numpy.random.default_rng([seed, today, FIELD_STREAM])`` in a fixed order, so the same
# seed and the same ``today`` give the same history.
FIELD_STREAM = 3  # the field history's own random stream (create_demo uses seed, seed + 1)
FIELD_WEEKS_BEFORE = 8
FIELD_WEEKS_AFTER = 4
FIELD_BUDGET = 150_000_000  # rupiah: a few dozen events of Rp 0,75–12 juta
FIELD_TIME_LIMIT = 120.0  # a ceiling only: the solve stops at its 0,5% gap long before, the same way every time (one worker)
FIELD_MIN_PAST = 3  # events a demo staff account gets in the past (to have reports)...
FIELD_MIN_FUTURE = 2  # ...and ahead (on its agenda)
# Outcomes at an event (docs/data.md): an invitee comes with probability ATTEND + ATTEND_IF_ENROLS
# if it enrols in the campaign window (as in the outreach history), registers on the spot
# with ON_THE_SPOT if it enrols and came, else later.
CANCEL_SHARE = 0.05
CANCEL_REASONS = {"weather": 0.25, "partner": 0.2, "staff": 0.15, "turnout": 0.15, "venue": 0.1, "disaster": 0.05, "other": 0.1}
CANCEL_NOTES = {
    "weather": ["Hujan deras dan banjir di jalan menuju lokasi.", "Cuaca buruk, peserta tidak bisa datang."],
    "partner": ["Mitra membatalkan karena ada kegiatan lain di tempat yang sama.", "Pengurus mitra berhalangan."],
    "staff": ["Petugas sakit, belum ada pengganti.", "Petugas ditugaskan ke acara kantor cabang."],
    "turnout": ["Hanya dua orang yang mengonfirmasi kehadiran.", "Bertepatan dengan hari pasar, pelaku usaha tidak bisa meninggalkan dagangan."],
    "venue": ["Aula dipakai untuk acara kelurahan.", "Listrik padam di lokasi."],
    "disaster": ["Banjir di kecamatan tersebut.", "Kabut asap, kegiatan di luar ruangan dihentikan."],
    "other": ["Diundur atas permintaan camat.", "Bentrok dengan kegiatan vaksinasi."],
}
HELD_LATE = (0.85, 0.10, 0.05)  # held on the planned day, one day later, two days later
ATTEND, ATTEND_IF_ENROLS = 0.55, 0.30
ON_THE_SPOT = 0.75
INTERESTED = 0.40  # came, did not enrol: asked to be followed up
LATER_DAYS = (3, 60)  # a later registration comes this many days after the event
WALK_INS = 1.0  # mean walk-ins per event held (Poisson)
WALK_IN_NEW = 0.4  # share of walk-ins not yet in Jangkau
WALK_IN_REGISTERS, WALK_IN_INTERESTED = 0.40, 0.30
RECENT_REPORTED = 0.4  # an event of the last seven days is already reported with this chance
LEAD_STATUS = {"contacted": 0.35, "promised": 0.15, "declined": 0.10}  # leads older than a week
LEAD_NOTES = {
    "contacted": ["Sudah ditelepon, minta dikirimi rincian iuran.", "Sudah dikirimi pesan WhatsApp."],
    "promised": ["Berjanji mendaftar setelah gajian.", "Akan datang ke kantor cabang minggu depan."],
    "declined": ["Belum berminat, usahanya sedang sepi.", "Sudah ikut asuransi lain."],
}
# Contributions (docs/data.md): BPU pay JKK 1% of a declared income plus JKM Rp 6.800 (and
# JHT 2% if chosen), PP 44/2015 as amended by PP 82/2019; PU pay a share of the wage per
# worker. No provincial minimum wage table ships yet, so PU wages are one flat assumption.
BPU_INCOMES = ((1_000_000, 0.55), (1_500_000, 0.20), (2_000_000, 0.12), (2_500_000, 0.07), (3_000_000, 0.06))
BPU_JKM = 6_800
BPU_RATES = {"JKK": 0.01, "JHT": 0.02}
PU_WAGE = 3_000_000  # rupiah per worker and month (assumption, see docs/data.md)
PU_RATES = {"JKK": 0.0054, "JKM": 0.003, "JHT": 0.057, "JP": 0.03}  # employer + worker shares
# Paying month by month: a registration starts paying with FIRST_PAYS; each later month it
# lapses with the early hazard in months 1-2 and the late one after; a paying registration
# misses a month now and then (MISSED). Once lapsed it stays lapsed.
FIRST_PAYS = {"BPU": 0.80, "PU": 0.92}
LAPSE_EARLY = {"BPU": 0.22, "PU": 0.07}
LAPSE_LATE = {"BPU": 0.07, "PU": 0.02}
MISSED = 0.03


@dataclass(frozen=True)
class FieldHistory:
    """What ``create_field_history`` made (also kept in meta ``field_history``)."""

    plan_id: int
    events: int
    past_events: int
    reports: int
    cancelled: int
    unreported: int
    registrations: int  # on the spot, in the reports
    later_registrations: int  # imported as registrations, credited to their events
    open_leads: int
    payments: int
    seconds: float


def field_history(db: sqlite_utils.Database) -> dict | None:
    """The field history's summary if one was built on this database, else None."""
    import json

    from planner.db import get_meta

    raw = get_meta(db, "field_history")
    return json.loads(raw) if raw else None


def create_field_history(
    db: sqlite_utils.Database,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    models_dir: Path | None = None,
    provinces: tuple[str, ...] = ("16", "63"),
    progress: Callable[[float, str], None] | None = None,
    lang: str = "id",
) -> FieldHistory:
    """Give a fresh demo database (after ``create_demo``) a past, so that every page has
    something to show on the first start: a published plan around ``today`` whose past
    events were held and reported, with registrations, leads and contributions since.

    - Trains and scores first if there is no active model (``scoring.retrain_and_score``
      as the system user; model files go to ``models_dir``).
    - One plan over ``provinces`` (the demo staff accounts' provinces), from the Monday
      about ``FIELD_WEEKS_BEFORE`` weeks before ``today`` to the Sunday about
      ``FIELD_WEEKS_AFTER`` weeks after, with a budget for a few dozen events, solved
      (one search worker, so the same data gives the same plan) and published by the
      manager account. A demo staff account's staff member who got fewer than
      ``FIELD_MIN_PAST`` past or ``FIELD_MIN_FUTURE`` coming events is given some of the
      province's (moved and locked before publishing).
    - Each past event is simulated from the demo's generative model (``enrolment_model``;
      docs/data.md) and saved through ``reporting.reports.save`` — the one validator —
      as the event's linked demo staff account, else the manager. Some events of the
      last week are left unreported (each demo staff account keeps its latest one), so
      staff have events to report.
    - Later registrations are imported as kind ``registrations`` (credited to their
      events, closing their leads), and monthly contributions for every registration
      (reports, later registrations, enrolled contacts of the outreach history) as kind
      ``payments``; both marked as generated, so the demo still counts as demo data.

    Deterministic for a seed and ``today`` (default today; never later than today, as
    reports and imports refuse the future). ``progress(fraction, step)`` hears of the steps
    ``train``, ``plan``, ``reports``, ``registrations``, ``payments``, ``done``. Everything
    after the solve is one transaction. Called again on a database that has its history,
    it returns the stored summary and changes nothing. On the default demo (50.000
    businesses, 2 cores) it takes about 17 s when it must train first (training and
    scoring 12,5 s, the plan 2,5 s, reports, registrations and payments 1 s), 4 s with a
    model already active."""
    import json
    import time

    # Imported here: the field history uses the later layers (scoring, plans, reporting),
    # which themselves never import the demo.
    from planner import plans, scoring
    from planner import scheduling as sch
    from planner.db import get_meta, has_real_data, is_demo
    from planner.errors import PlannerError
    from planner.i18n import t

    t0 = time.perf_counter()
    say = progress or (lambda fraction, step: None)
    if not is_demo(db) or has_real_data(db):
        raise PlannerError(t("field.not_demo", lang))
    now = dt.date.today()
    today = today or now
    if today > now:
        raise PlannerError(t("field.future_today", lang, today=today.isoformat(), now=now.isoformat()))
    done = field_history(db)
    if done is not None:
        return FieldHistory(**done)
    system = system_user()
    manager = _demo_account(db, "manajer") or system
    if not get_meta(db, "active_model"):
        say(0.02, "train")
        scoring.retrain_and_score(db, system, models_dir=models_dir)
    say(0.45, "plan")
    start = today - dt.timedelta(weeks=FIELD_WEEKS_BEFORE)
    start -= dt.timedelta(days=start.weekday())
    end = today + dt.timedelta(weeks=FIELD_WEEKS_AFTER)
    end += dt.timedelta(days=6 - end.weekday())
    rules = sch.Rules(start=start, end=end, budget=FIELD_BUDGET, provinces=tuple(provinces), time_limit=FIELD_TIME_LIMIT,
                      workers=1, relative_gap=0.01)
    plan_id = _field_plan(db, manager, rules)
    sol = plans.solve_plan(db, manager, plan_id)
    if not sol.events:
        raise PlannerError(t("field.no_events", lang, status=sol.status))
    rng = np.random.default_rng([seed, today.toordinal(), FIELD_STREAM])
    fake = Faker("id_ID")
    fake.seed_instance(seed + FIELD_STREAM)
    with transaction(db):
        _give_events_to_demo_staff(db, manager, plan_id, today)
        plans.publish_plan(db, manager, plan_id, seed=seed)  # the control group too is the same for the same seed
        say(0.6, "reports")
        later = _simulate_reports(db, plan_id, today, rng, fake, manager)
        say(0.75, "registrations")
        if len(later):
            import_frame(db, "registrations", later, actor=manager, generated=True)
        _work_leads(db, plan_id, today, rng, manager)
        say(0.85, "payments")
        payments = build_payments(_registrations_to_pay(db), today, rng)
        if len(payments):
            import_frame(db, "payments", payments, actor=manager, generated=True)
        summary = _field_summary(db, plan_id, today, len(later), len(payments), time.perf_counter() - t0)
        set_meta(db, "field_history", json.dumps(summary.__dict__))
    say(1.0, "done")
    return summary


def _demo_account(db: sqlite_utils.Database, username: str):
    from planner.auth import get_user

    if db.execute("SELECT 1 FROM users WHERE username = ? AND active = 1", [username]).fetchone() is None:
        return None
    return get_user(db, username)


def _field_plan(db: sqlite_utils.Database, manager, rules) -> int:
    """The field history's draft plan: the one a broken-off earlier run left, or a new one."""
    from planner import plans
    from planner.db import get_meta
    from planner.i18n import fmt_date, t

    old = get_meta(db, "field_history_plan")
    if old and db.execute("SELECT 1 FROM plans WHERE plan_id = ? AND status = 'draft'", [int(old)]).fetchone():
        plans.update_plan(db, manager, int(old), rules)
        return int(old)
    with transaction(db):
        plan_id = plans.create_plan(db, manager, t("field.plan_name", start=fmt_date(rules.start), end=fmt_date(rules.end)), rules)
        set_meta(db, "field_history_plan", str(plan_id))
    return plan_id


def _give_events_to_demo_staff(db: sqlite_utils.Database, manager, plan_id: int, today: dt.date) -> None:
    """The solver treats a province's staff as interchangeable, so the staff member a demo
    account is linked to may get no event at all. Move a few of the province's events to
    them (``plans.move_event``, which locks each): the most recent past ones and the
    soonest coming ones, on days and in weeks where they are free. A move that would break
    a rule of the plan is taken back."""
    from planner import plans

    linked = db.execute(
        "SELECT u.staff_id, s.province_code, s.max_events_per_week FROM users u JOIN staff s ON s.staff_id = u.staff_id "
        "WHERE u.active = 1 AND u.role = 'staff' ORDER BY u.username").fetchall()
    for sid, province, per_week in linked:
        events = pd.DataFrame(db.execute(
            "SELECT e.event_id, e.event_date, e.staff_id FROM events e JOIN regencies g ON g.code = e.regency_code "
            "WHERE e.plan_id = ? AND e.status = 'planned' AND g.province_code = ? ORDER BY e.event_date, e.event_id",
            [plan_id, province]).fetchall(), columns=["event_id", "date", "staff_id"])
        if events.empty:
            continue
        mine = events[events["staff_id"] == sid]
        past = events[(events["date"] < today.isoformat()) & (events["staff_id"] != sid)].iloc[::-1]
        ahead = events[(events["date"] >= today.isoformat()) & (events["staff_id"] != sid)]
        want_past = max(0, FIELD_MIN_PAST - int((mine["date"] < today.isoformat()).sum()))
        want_ahead = max(0, FIELD_MIN_FUTURE - int((mine["date"] >= today.isoformat()).sum()))
        days = set(mine["date"])
        weeks: dict[tuple[int, int], int] = {}
        for d in mine["date"]:
            weeks[dt.date.fromisoformat(d).isocalendar()[:2]] = weeks.get(dt.date.fromisoformat(d).isocalendar()[:2], 0) + 1
        for candidates, want in ((past, want_past), (ahead, want_ahead)):
            for r in candidates.itertuples():
                if want <= 0:
                    break
                week = dt.date.fromisoformat(r.date).isocalendar()[:2]
                if r.date in days or weeks.get(week, 0) >= per_week:
                    continue
                if plans.move_event(db, manager, r.event_id, staff_id=sid):
                    plans.move_event(db, manager, r.event_id, staff_id=r.staff_id)  # it broke a rule: back
                    continue
                days.add(r.date)
                weeks[week] = weeks.get(week, 0) + 1
                want -= 1


def _registration(rng: np.random.Generator, size_class: str, workers: int) -> tuple[int, str]:
    """Workers and programmes of a registration: a one-person business registers itself
    (JKK, JKM, and JHT one time in five); an employer usually all its workers (else some),
    in the programmes its size class requires, a micro firm adding JHT one time in four
    and a small one JP one time in ten."""
    from planner.vocabulary import mandatory_programmes, segment_of

    progs = list(mandatory_programmes(size_class, workers))
    if segment_of(workers) == "BPU":
        wr = 1
        extra = "JHT" if rng.random() < 0.2 else None
    else:
        wr = int(workers) if rng.random() < 0.6 else int(rng.integers(1, int(workers) + 1))
        extra = {"mikro": "JHT" if rng.random() < 0.25 else None, "kecil": "JP" if rng.random() < 0.1 else None}.get(size_class)
    if extra and extra not in progs:
        progs.append(extra)
    return wr, ";".join(p for p in ("JKK", "JKM", "JHT", "JP") if p in progs)


def _invitee_frame(db: sqlite_utils.Database, plan_id: int, table: str = "invitations") -> pd.DataFrame:
    """The plan's invitees (or its control group, ``table="controls"``) with what
    ``enrolment_model`` needs, one row per business."""
    cur = db.execute(
        "SELECT DISTINCT b.business_id, b.size_class, b.workers, b.has_nib, b.digital_payments, b.coop_member, b.kur_recipient, "
        "b.founded_year, b.regency_code, CAST(COALESCE(json_extract(b.attributes, '$.distance_km'), 0) AS REAL) AS distance_km "
        f"FROM {table} i JOIN businesses b ON b.business_id = i.business_id WHERE i.plan_id = ? ORDER BY b.business_id", [plan_id])
    df = pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    df["founded_year"] = df["founded_year"].fillna(2025).astype(int)
    return df.set_index("business_id", drop=False)


def _simulate_reports(db: sqlite_utils.Database, plan_id: int, today: dt.date, rng: np.random.Generator, fake: Faker,
                      manager) -> pd.DataFrame:
    """Report every past event of the plan as it went (docs/data.md), saved through the
    report validator by the event's staff account (or the manager). Returns the
    registrations that came later (business_id, registered_on, workers_registered,
    programmes), up to ``today``."""
    import uuid

    from planner.auth import get_user
    from planner.reporting import reports as rp

    events = db.execute(
        "SELECT event_id, event_date, regency_code, staff_id FROM events WHERE plan_id = ? AND status = 'planned' AND event_date < ? "
        "ORDER BY event_date, event_id", [plan_id, today.isoformat()]).fetchall()
    accounts = {sid: get_user(db, u) for u, sid in db.execute(
        "SELECT username, staff_id FROM users WHERE active = 1 AND staff_id IS NOT NULL ORDER BY username")}
    latest = {sid: eid for eid, _, _, sid in events if sid in accounts}  # each account keeps its latest event to report
    invited: dict[str, list[str]] = {}
    for eid, bid in db.execute("SELECT event_id, business_id FROM invitations WHERE plan_id = ? ORDER BY event_id, business_id", [plan_id]):
        invited.setdefault(eid, []).append(bid)
    biz = _invitee_frame(db, plan_id)
    p_base, uplift = enrolment_model(biz)
    p_enrol = dict(zip(biz.index, np.clip(p_base + uplift, 0, 1)))
    facts = dict(zip(biz.index, zip(biz["size_class"], biz["workers"])))
    used = set(biz.index)
    pool: dict[str, list[tuple[str, str, int]]] = {}
    sectors = np.array(SECTORS)
    sector_p = np.array([BPU_SECTOR_SHARE[s] for s in SECTORS])
    sector_p = sector_p / sector_p.sum()
    recent = (today - dt.timedelta(days=7)).isoformat()
    batches: dict[str, tuple[object, list]] = {}
    later: list[dict] = []
    held_on: dict[str, dt.date] = {}

    for eid, date, regency, sid in events:
        if eid in latest.values() or (date >= recent and rng.random() >= RECENT_REPORTED):
            continue  # not reported yet
        actor = accounts.get(sid, manager)
        reports = batches.setdefault(actor.username, (actor, []))[1]
        source = str(rng.choice(["form", "upload", "odk"], p=[0.6, 0.25, 0.15]))
        submission = f"uuid:{uuid.UUID(bytes=rng.bytes(16), version=4)}" if source == "odk" else None
        if rng.random() < CANCEL_SHARE:
            reason = str(rng.choice(list(CANCEL_REASONS), p=list(CANCEL_REASONS.values())))
            notes = CANCEL_NOTES[reason]
            reports.append(rp.RawReport(eid, {"status": "cancelled", "cancel_reason": reason, "cancel_note": notes[int(rng.integers(len(notes)))]},
                                        [], source=source, submission_id=submission))
            continue
        planned = dt.date.fromisoformat(date)
        held = planned + dt.timedelta(days=int(rng.choice(3, p=HELD_LATE)))
        if held >= today:
            held = planned
        held_on[eid] = held
        rows: list[dict] = []
        for bid in invited.get(eid, []):
            size, workers = facts[bid]
            enrols = rng.random() < p_enrol[bid]
            came = rng.random() < ATTEND + ATTEND_IF_ENROLS * enrols
            on_spot = bool(enrols and came and rng.random() < ON_THE_SPOT)
            if on_spot:
                wr, progs = _registration(rng, size, workers)
                rows.append({"business_id": bid, "registered": "1", "workers_registered": str(wr), "programmes": progs})
            elif came:
                rows.append({"business_id": bid, "registered": "0", "follow_up": "1" if enrols or rng.random() < INTERESTED else "0"})
            if enrols and not on_spot:
                on = held + dt.timedelta(days=int(rng.integers(LATER_DAYS[0], LATER_DAYS[1] + 1)))
                if on <= today:
                    wr, progs = _registration(rng, size, workers)
                    later.append({"business_id": bid, "registered_on": on.isoformat(), "workers_registered": wr, "programmes": progs})
        for _ in range(int(rng.poisson(WALK_INS))):
            if rng.random() < WALK_IN_NEW:
                sector = str(rng.choice(sectors, p=sector_p))
                patterns = NAME_PATTERNS[sector]
                name = patterns[int(rng.integers(len(patterns)))].replace("{w}", GOOD_WORDS[int(rng.integers(len(GOOD_WORDS)))]).replace(
                    "{p}", fake.first_name())
                size, workers = "mikro", int(rng.choice([1, 2, 3, 4], p=[0.5, 0.25, 0.15, 0.1]))
                row = {"name": name, "regency_code": regency, "sector": sector, "size_class": size, "workers": str(workers),
                       "phone": "08" + str(rng.integers(110_000_000, 999_999_999))}
            else:
                if regency not in pool:
                    pool[regency] = db.execute(
                        "SELECT business_id, size_class, workers FROM businesses WHERE regency_code = ? AND enrolled = 0 AND workers >= 1 "
                        "AND business_id NOT IN (SELECT business_id FROM invitations) "
                        "AND business_id NOT IN (SELECT business_id FROM controls) ORDER BY business_id", [regency]).fetchall()
                free = [b for b in pool[regency] if b[0] not in used]
                if not free:
                    continue
                bid, size, workers = free[int(rng.integers(len(free)))]
                used.add(bid)
                row = {"business_id": bid}
            if rng.random() < WALK_IN_REGISTERS:
                wr, progs = _registration(rng, size, int(workers))
                row.update(registered="1", workers_registered=str(wr), programmes=progs)
            else:
                row.update(registered="0", follow_up="1" if rng.random() < WALK_IN_INTERESTED else "0")
            rows.append(row)
        present = len(rows)
        attendance = present + int(rng.binomial(present, 0.3)) + int(rng.poisson(2))
        reports.append(rp.RawReport(eid, {"status": "held", "held_on": held.isoformat(), "attendance": str(attendance)},
                                    [rp.RawRow(r, i + 1) for i, r in enumerate(rows)], source=source, submission_id=submission))
    # The control group of each event held (chosen, then held back at random when the plan
    # was published): not invited, so each enrols with its base chance only, later.
    controls = _invitee_frame(db, plan_id, "controls")
    if len(controls):
        rng = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])  # a stream of its own: the other outcomes stay as they were
        c_base, _ = enrolment_model(controls)
        c_event = dict(db.execute("SELECT business_id, event_id FROM controls WHERE plan_id = ?", [plan_id]).fetchall())
        for bid, p0, size, workers in zip(controls.index, c_base, controls["size_class"], controls["workers"]):
            held = held_on.get(c_event.get(bid))
            if held is None or rng.random() >= p0:
                continue
            on = held + dt.timedelta(days=int(rng.integers(LATER_DAYS[0], LATER_DAYS[1] + 1)))
            if on <= today:
                wr, progs = _registration(rng, size, int(workers))
                later.append({"business_id": bid, "registered_on": on.isoformat(), "workers_registered": wr, "programmes": progs})
    for username in sorted(batches):
        actor, reports = batches[username]
        rp.save(db, actor, reports, on=today)
    return pd.DataFrame(later, columns=["business_id", "registered_on", "workers_registered", "programmes"])


def _work_leads(db: sqlite_utils.Database, plan_id: int, today: dt.date, rng: np.random.Generator, manager) -> None:
    """Staff have worked the leads due before today: some contacted, some promised, some
    declined (``followup.update``, by the lead's staff account or the manager)."""
    from planner.auth import get_user
    from planner.reporting import followup

    accounts = {sid: get_user(db, u) for u, sid in db.execute(
        "SELECT username, staff_id FROM users WHERE active = 1 AND staff_id IS NOT NULL ORDER BY username")}
    statuses = list(LEAD_STATUS) + ["to_contact"]
    probs = list(LEAD_STATUS.values()) + [1 - sum(LEAD_STATUS.values())]
    for fid, sid in db.execute(
            "SELECT f.followup_id, f.staff_id FROM followups f JOIN events e ON e.event_id = f.event_id WHERE e.plan_id = ? "
            "AND f.status = 'to_contact' AND f.due_on < ? ORDER BY f.followup_id", [plan_id, today.isoformat()]).fetchall():
        status = str(rng.choice(statuses, p=probs))
        if status == "to_contact":
            continue
        notes = LEAD_NOTES[status]
        followup.update(db, accounts.get(sid, manager), fid, status=status, note=notes[int(rng.integers(len(notes)))], today=today)


def _registrations_to_pay(db: sqlite_utils.Database) -> pd.DataFrame:
    """Every registration that pays contributions: on the spot at events, later ones, and
    the enrolled contacts of the outreach history (with the programmes their size class
    requires)."""
    cur = db.execute(
        "SELECT rr.business_id, er.held_on AS registered_on, rr.workers_registered, rr.programmes, b.size_class, b.workers "
        "FROM report_rows rr JOIN event_reports er ON er.event_id = rr.event_id JOIN businesses b ON b.business_id = rr.business_id "
        "WHERE rr.registered = 1 AND er.status = 'held' "
        "UNION ALL SELECT g.business_id, g.registered_on, g.workers_registered, g.programmes, b.size_class, b.workers "
        "FROM registrations g JOIN businesses b ON b.business_id = g.business_id "
        "UNION ALL SELECT c.business_id, c.contacted_on, c.workers_enrolled, NULL, b.size_class, b.workers "
        "FROM contacts c JOIN businesses b ON b.business_id = c.business_id WHERE c.enrolled = 1 AND c.event_id IS NULL")
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def contribution(segment: str, workers_registered: int, programmes: str, income: int = BPU_INCOMES[0][0]) -> int:
    """One month's contribution in rupiah: BPU JKK 1% of the declared income (plus JHT 2%
    if chosen) and JKM Rp 6.800; PU ``PU_WAGE`` per worker times the rates of the
    programmes registered (employer and worker shares together)."""
    progs = set(programmes.split(";"))
    if segment == "BPU":
        return int(round(income * sum(r for p, r in BPU_RATES.items() if p in progs))) + (BPU_JKM if "JKM" in progs else 0)
    return int(round(PU_WAGE * max(1, int(workers_registered)) * sum(r for p, r in PU_RATES.items() if p in progs)))


def build_payments(registrations: pd.DataFrame, today: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly contributions from each registration's month to ``today``'s month
    (``business_id, period, paid, amount``), one registration per business (its first).
    A registration starts paying with ``FIRST_PAYS``; from its second month on it lapses
    with ``LAPSE_EARLY`` in months two and three and ``LAPSE_LATE`` after, for good; a
    paying month is missed with ``MISSED``. BPU lapse more than PU (docs/data.md)."""
    from planner.vocabulary import mandatory_programmes

    cols = ["business_id", "period", "paid", "amount"]
    regs = registrations[registrations["registered_on"] <= today.isoformat()]
    regs = regs.sort_values(["registered_on", "business_id"], kind="stable").drop_duplicates("business_id").reset_index(drop=True)
    if regs.empty:
        return pd.DataFrame(columns=cols)
    workers = regs["workers"].fillna(1).astype(int).to_numpy()
    bpu = workers <= 1
    progs = [p if isinstance(p, str) and p else ";".join(mandatory_programmes(s, w)) for p, s, w in
             zip(regs["programmes"], regs["size_class"], workers)]
    incomes = np.array([v for v, _ in BPU_INCOMES])
    income = rng.choice(incomes, size=len(regs), p=[w for _, w in BPU_INCOMES])
    wr = regs["workers_registered"].fillna(1).astype(int).clip(lower=1).to_numpy()
    amount = np.array([contribution("BPU" if b else "PU", n, p, int(i)) for b, n, p, i in zip(bpu, wr, progs, income)], dtype=np.int64)
    first = rng.random(len(regs)) < np.where(bpu, FIRST_PAYS["BPU"], FIRST_PAYS["PU"])
    start = regs["registered_on"].str.slice(0, 4).astype(int).to_numpy() * 12 + regs["registered_on"].str.slice(5, 7).astype(int).to_numpy() - 1
    months = np.maximum(today.year * 12 + today.month - 1 - start + 1, 1)
    idx = np.repeat(np.arange(len(regs)), months)
    k = np.arange(len(idx)) - np.repeat(np.cumsum(months) - months, months)
    hazard = np.where(k <= 2, np.where(bpu, LAPSE_EARLY["BPU"], LAPSE_EARLY["PU"])[idx], np.where(bpu, LAPSE_LATE["BPU"], LAPSE_LATE["PU"])[idx])
    stays = (k == 0) | (rng.random(len(idx)) >= hazard)
    alive = pd.Series(stays.astype(np.int8)).groupby(idx).cummin().to_numpy().astype(bool) & first[idx]
    paid = alive & (rng.random(len(idx)) >= MISSED)
    month = start[idx] + k
    period = pd.Series(month // 12).astype(str).str.zfill(4) + "-" + pd.Series(month % 12 + 1).astype(str).str.zfill(2)
    return pd.DataFrame({"business_id": regs["business_id"].to_numpy()[idx], "period": period.to_numpy(), "paid": paid.astype(int),
                         "amount": np.where(paid, amount[idx], 0)}, columns=cols)


def _field_summary(db: sqlite_utils.Database, plan_id: int, today: dt.date, later: int, payments: int, seconds: float) -> FieldHistory:
    events, past = db.execute("SELECT COUNT(*), COALESCE(SUM(event_date < ?), 0) FROM events WHERE plan_id = ? AND status = 'planned'",
                              [today.isoformat(), plan_id]).fetchone()
    reports, cancelled, registrations = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(status = 'cancelled'), 0), COALESCE(SUM(registrations), 0) FROM event_reports WHERE plan_id = ?",
        [plan_id]).fetchone()
    leads = db.execute("SELECT COUNT(*) FROM followups f JOIN events e ON e.event_id = f.event_id WHERE e.plan_id = ? "
                       "AND f.status IN ('to_contact', 'contacted', 'promised')", [plan_id]).fetchone()[0]
    return FieldHistory(int(plan_id), int(events), int(past), int(reports), int(cancelled), int(past - reports), int(registrations),
                        int(later), int(leads), int(payments), round(seconds, 1))
