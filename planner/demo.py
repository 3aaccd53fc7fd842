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
from dataclasses import dataclass

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
def create_demo(db: sqlite_utils.Database, *, businesses: int = DEFAULT_BUSINESSES, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Fill ``db`` with the demo world (reference data included). Deterministic per seed.
    Every table goes through the same validated import path as user files."""
    if businesses < 1 or businesses > 1_000_000:
        from planner.errors import PlannerError

        raise PlannerError(f"--businesses must be between 1 and 1.000.000, not {businesses}.")
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
        import_frame(db, "potentials", potentials, actor=actor)
        import_frame(db, "businesses", biz, actor=actor)
        import_frame(db, "contacts", contacts, actor=actor)
        import_frame(db, "partners", partners, actor=actor)
        import_frame(db, "staff", staff, actor=actor)
        create_demo_accounts(db)
        set_meta(db, "demo", "1")
        set_meta(db, "demo_seed", str(seed))
        set_meta(db, "demo_created", dt.datetime.now().isoformat(timespec="seconds"))
    return DemoSummary(seed, len(potentials), len(biz), len(contacts), len(partners), len(staff))
