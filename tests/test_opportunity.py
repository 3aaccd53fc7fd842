"""Ranking arithmetic against hand-computed cases on a tiny, fully known database."""

import pandas as pd
import pytest

from planner.errors import PlannerError
from planner.imports import import_frame
from planner.opportunity import Weights, rank, totals
from planner.auth import system_user

ADMIN = system_user()

AREA_16 = 86771.918  # Sumatera Selatan, km2 (BIG 2024, summed over regencies)
AREA_31 = 661.53  # DKI Jakarta


@pytest.fixture
def tiny(ref_db):
    import_frame(
        ref_db,
        "potentials",
        pd.DataFrame(
            [
                ("16.71", "G", "PU", 1000, 400, 0.5, "2025-03-07"),
                ("16.71", "A", "BPU", 500, 100, 0.8, "2025-03-07"),
                ("31.71", "G", "BPU", 2000, 1800, 0.1, "2025-03-07"),
            ],
            columns=["regency_code", "sector", "segment", "eligible_workers", "covered_workers", "vulnerable_share", "as_of"],
        ), actor=ADMIN)
    biz = pd.DataFrame(
        [
            ("B1", "Toko A", "16.71", "G", 0),
            ("B2", "Toko B", "16.71", "G", 0),
            ("B3", "Toko C", "16.71", "G", 1),
            ("B4", "Toko D", "31.71", "G", 0),
        ],
        columns=["business_id", "name", "regency_code", "sector", "enrolled"],
    ).assign(size_class="mikro", workers=2, founded_year=2015, has_nib=0, kur_recipient=0, coop_member=0, digital_payments=0)
    import_frame(ref_db, "businesses", biz, actor=ADMIN)
    import_frame(
        ref_db,
        "contacts",
        pd.DataFrame(
            [
                ("B1", "2025-02-01", "sosialisasi", 1, 1),
                ("B2", "2025-02-01", "sosialisasi", 1, 0),
                ("B3", "2025-02-01", "kontrol", 0, 1),
                ("B4", "2025-02-02", "whatsapp", 1, 0),
            ],
            columns=["business_id", "contacted_on", "channel", "invited", "enrolled"],
        ), actor=ADMIN)
    import_frame(
        ref_db,
        "partners",
        pd.DataFrame(
            [
                ("P1", "Dinas Koperasi Palembang", "dinas_koperasi", "16.71", 1),
                ("P2", "Bank Jakarta Pusat", "bank", "31.71", 1),
                ("P3", "OSS Jakarta Pusat", "oss_ptsp", "31.71", 1),
                ("P4", "Koperasi tutup", "koperasi", "31.71", 0),
            ],
            columns=["partner_id", "name", "type", "regency_code", "active"],
        ).assign(capacity_per_month=4, venue_capacity=50, cost_per_event=2_000_000, available_weekdays="1;2;3;4;5"), actor=ADMIN)
    return ref_db


def test_province_ranking_matches_hand_computation(tiny):
    df = rank(tiny, level="province", by="region", segment="all").set_index("code")
    assert list(df.index) == ["16", "31"]
    assert df.loc["16", ["eligible", "covered", "uncovered"]].tolist() == [1500, 500, 1000]
    assert df.loc["31", ["eligible", "covered", "uncovered"]].tolist() == [2000, 1800, 200]
    assert df.loc["16", "coverage_rate"] == pytest.approx(500 / 1500)
    # Vulnerable share among the uncovered: (600*0.5 + 400*0.8) / 1000.
    assert df.loc["16", "vulnerable_share"] == pytest.approx(0.62)
    assert df.loc["31", "open_businesses"] == 1 and df.loc["16", "open_businesses"] == 2
    assert df.loc["31", "partners"] == 2  # the inactive partner does not count
    prior = 1 / 3  # 1 enrolled of 3 invited overall; the control contact is ignored
    conv16 = (1 + 20 * prior) / (2 + 20)
    conv31 = (0 + 20 * prior) / (1 + 20)
    assert df.loc["16", "conversion_rate"] == pytest.approx(conv16)
    d16, d31 = 2 / AREA_16, 1 / AREA_31
    expected = {
        "16": dict(c_uncovered=1.0, c_vulnerable=1.0, c_density=d16 / d31, c_partners=0.5, c_conversion=1.0),
        "31": dict(c_uncovered=0.2, c_vulnerable=0.1 / 0.62, c_density=1.0, c_partners=1.0, c_conversion=conv31 / conv16),
    }
    for code, comps in expected.items():
        for name, value in comps.items():
            assert df.loc[code, name] == pytest.approx(value, rel=1e-4), (code, name)
        score = 100 * (3 * comps["c_uncovered"] + comps["c_vulnerable"] + comps["c_density"] + comps["c_partners"] + comps["c_conversion"]) / 7
        assert df.loc[code, "score"] == pytest.approx(score, rel=1e-4)


def test_weights_change_the_order(tiny):
    only_density = Weights(uncovered=0, vulnerable=0, density=1, partners=0, conversion=0)
    df = rank(tiny, weights=only_density)
    assert df["code"].tolist() == ["31", "16"]
    assert df.iloc[0]["score"] == pytest.approx(100.0)


def test_segment_filter_and_sector_grouping(tiny):
    bpu = rank(tiny, by="sector", segment="BPU").set_index("code")
    assert bpu.loc["A", "uncovered"] == 400 and bpu.loc["G", "uncovered"] == 200
    pu = rank(tiny, by="sector", segment="PU")
    assert pu["code"].tolist() == ["G"] and pu.iloc[0]["uncovered"] == 600


def test_regency_sector_cells_and_province_filter(tiny):
    cells = rank(tiny, level="regency", by="region-sector")
    assert set(cells["code"]) == {"16.71/G", "16.71/A", "31.71/G"}
    assert cells.set_index("code").loc["16.71/A", "name"] == "Kota Palembang — A · Pertanian, Kehutanan dan Perikanan"
    only16 = rank(tiny, level="regency", by="region", province="16")
    assert only16["code"].tolist() == ["16.71"]
    assert totals(only16)["uncovered"] == 1000


def test_top_limits_rows_and_ranks_are_consecutive(tiny):
    df = rank(tiny, level="regency", by="region-sector", top=2)
    assert len(df) == 2 and df["rank"].tolist() == [1, 2]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(level="desa"), "Tingkat"),
        (dict(by="kbli"), "Pengelompokan"),
        (dict(segment="XX"), "Segmen"),
        (dict(province="99"), "provinsi"),
        (dict(weights=Weights(uncovered=-1)), "Bobot"),
        (dict(weights=Weights(0, 0, 0, 0, 0)), "bobot"),
    ],
)
def test_bad_arguments_are_clear_errors(tiny, kwargs, message):
    with pytest.raises(PlannerError, match=message):
        rank(tiny, **kwargs)


def test_demo_world_ranks_all_38_provinces_and_514_regencies(demo_db):
    assert len(rank(demo_db)) == 38
    assert len(rank(demo_db, level="regency")) == 514
