import csv

from planner.db import DATA_DIR
from planner.reference import load_reference, mandatory_programmes


def test_reference_counts_and_codes(ref_db):
    assert ref_db.execute("SELECT COUNT(*) FROM provinces").fetchone()[0] == 38
    assert ref_db.execute("SELECT COUNT(*) FROM regencies").fetchone()[0] == 514
    assert ref_db.execute("SELECT COUNT(*) FROM sectors").fetchone()[0] == 21
    assert [r[0] for r in ref_db.execute("SELECT code FROM sectors ORDER BY code")] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert ref_db.execute("SELECT name FROM regencies WHERE code = '16.71'").fetchone()[0] == "Kota Palembang"
    # Kemendagri and BPS codes differ in Papua: Kemendagri 91 Papua is BPS 94.
    assert ref_db.execute("SELECT bps_code, name FROM provinces WHERE code = '91'").fetchone() == ("94", "Papua")


def test_every_regency_belongs_to_a_province_and_population_adds_up(ref_db):
    orphans = ref_db.execute(
        "SELECT COUNT(*) FROM regencies r LEFT JOIN provinces p ON p.code = r.province_code WHERE p.code IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    total = ref_db.execute("SELECT SUM(population) FROM provinces").fetchone()[0]
    assert total == 284_973_643  # Dukcapil, December 2024 (SOURCES.md S01)


def test_reload_is_idempotent(ref_db):
    before = ref_db.execute("SELECT COUNT(*) FROM programme_rules").fetchone()[0]
    load_reference(ref_db)
    assert ref_db.execute("SELECT COUNT(*) FROM programme_rules").fetchone()[0] == before
    assert ref_db.execute("SELECT COUNT(*) FROM regencies").fetchone()[0] == 514


def test_programme_phasing_by_size(ref_db):
    assert mandatory_programmes(ref_db, "mikro") == ["JKK", "JKM"]
    assert mandatory_programmes(ref_db, "kecil") == ["JKK", "JHT", "JKM"]
    assert mandatory_programmes(ref_db, "menengah") == ["JKK", "JHT", "JP", "JKM"]


def test_shipped_files_keep_sources_and_licence_notice():
    for name in ("provinces.csv", "regencies.csv", "kbli_sections.csv", "programme_rules.csv"):
        with open(DATA_DIR / name, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert all(r["source"] for r in rows), name
    notice = (DATA_DIR / "NOTICE.md").read_text(encoding="utf-8")
    assert "MIT License" in notice and "Cahya DSN" in notice
