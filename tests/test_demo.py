import numpy as np
import pandas as pd

from planner import demo
from planner.db import connect, is_demo


def test_potentials_reproduce_the_2025_national_snapshot(demo_db):
    rows = dict(
        (seg, (e, c))
        for seg, e, c in demo_db.execute(
            "SELECT segment, SUM(eligible_workers), SUM(covered_workers) FROM potentials GROUP BY segment"
        )
    )
    assert rows["BPU"] == (61_000_000, 9_900_000)  # 16.2% covered
    assert rows["PU"][0] == 40_700_000
    assert abs(rows["PU"][1] / rows["PU"][0] - 0.867) < 1e-6
    assert demo_db.execute("SELECT COUNT(*) FROM potentials WHERE covered_workers > eligible_workers").fetchone()[0] == 0


def test_sumatera_selatan_bpu_coverage_far_below_national(demo_db):
    e, c = demo_db.execute(
        "SELECT SUM(eligible_workers), SUM(covered_workers) FROM potentials p JOIN regencies r ON r.code = p.regency_code "
        "WHERE r.province_code = '16' AND p.segment = 'BPU'"
    ).fetchone()
    assert abs(c / e - 0.0363) < 0.0005


def test_population_drives_eligible_workers(demo_db):
    df = pd.DataFrame(
        demo_db.query(
            "SELECT r.population, SUM(p.eligible_workers) AS eligible FROM potentials p JOIN regencies r ON r.code = p.regency_code GROUP BY r.code"
        )
    )
    assert np.corrcoef(df.population, df.eligible)[0, 1] > 0.9


def test_demo_world_has_every_partner_type_in_every_province_and_staff(demo_db):
    missing = demo_db.execute(
        "SELECT COUNT(*) FROM (SELECT r.province_code, COUNT(DISTINCT p.type) AS n FROM partners p "
        "JOIN regencies r ON r.code = p.regency_code GROUP BY r.province_code) WHERE n < 9"
    ).fetchone()[0]
    assert missing == 0
    assert demo_db.execute("SELECT COUNT(DISTINCT province_code) FROM staff").fetchone()[0] == 38
    assert is_demo(demo_db)


def test_outreach_history_is_a_randomised_experiment_with_an_effect(demo_db):
    df = pd.DataFrame(demo_db.query("SELECT invited, enrolled, channel FROM contacts"))
    share_invited = df.invited.mean()
    assert 0.45 < share_invited < 0.55
    assert set(df[df.invited == 0].channel) == {"kontrol"}
    lift = df[df.invited == 1].enrolled.mean() - df[df.invited == 0].enrolled.mean()
    assert lift > 0.03


def test_true_uplift_separates_persuadables_from_sure_things_and_lost_causes():
    b = pd.DataFrame(
        {
            "size_class": ["mikro", "menengah", "mikro"],
            "distance_km": [5.0, 5.0, 80.0],
            "has_nib": [0, 1, 0],
            "digital_payments": [0, 1, 0],
            "coop_member": [1, 0, 1],
            "kur_recipient": [0, 0, 0],
            "founded_year": [2020, 2010, 2020],
            "regency_code": ["16.02", "16.71", "16.02"],
        }
    )
    base, uplift = demo.enrolment_model(b)
    assert uplift[0] > uplift[1] and uplift[0] > uplift[2]
    assert base[1] > base[0]  # the medium firm is a sure thing


def test_same_seed_same_world_other_seed_other_world(tmp_path):
    def fingerprint(seed):
        db = connect(tmp_path / f"{seed}-{np.random.rand()}.db")
        demo.create_demo(db, businesses=300, seed=seed)
        rows = db.execute("SELECT business_id, name, regency_code, workers, enrolled FROM businesses ORDER BY business_id").fetchall()
        contacts = db.execute("SELECT COUNT(*), SUM(enrolled) FROM contacts").fetchone()
        db.conn.close()
        return rows, contacts

    assert fingerprint(7) == fingerprint(7)
    assert fingerprint(7) != fingerprint(8)


def test_demo_refuses_impossible_sizes(ref_db):
    import pytest

    from planner.errors import PlannerError

    with pytest.raises(PlannerError, match="businesses"):
        demo.create_demo(ref_db, businesses=0)
