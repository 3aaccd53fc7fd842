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


def test_building_the_demo_again_is_not_real_data(tmp_path):
    from planner.db import has_real_data

    db = connect(tmp_path / "twice.db")
    demo.create_demo(db, businesses=200)
    demo.create_demo(db, businesses=200)  # init --demo run twice
    assert is_demo(db) and not has_real_data(db)


# ------------------------------------------------------------------ the field history
import datetime as dt  # noqa: E402

import pytest  # noqa: E402

from planner import auth  # noqa: E402
from planner.errors import PlannerError  # noqa: E402
from tests.conftest import copy_db, copy_scored  # noqa: E402

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def field_file(demo_db_file, tmp_path_factory):
    """The test demo (not yet trained) with its field history as of TODAY; returns the
    path, the summary and the steps the progress callback heard."""
    folder = tmp_path_factory.mktemp("field")
    path = copy_db(demo_db_file, folder / "field.db")
    db = connect(path)
    steps = []
    summary = demo.create_field_history(db, today=TODAY, models_dir=folder / "models", progress=lambda f, s: steps.append((f, s)))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path, summary, steps


@pytest.fixture
def field(field_file, tmp_path):
    db = connect(copy_db(field_file[0], tmp_path / "f.db"))
    yield db, field_file[1]
    db.conn.close()


def _history(db) -> dict:
    return {
        "reports": db.execute("SELECT event_id, status, held_on, attendance, present, registrations, workers_registered, cancel_reason, "
                              "source, reported_by FROM event_reports ORDER BY event_id").fetchall(),
        "rows": db.execute("SELECT * FROM report_rows ORDER BY event_id, business_id").fetchall(),
        "registrations": db.execute("SELECT * FROM registrations ORDER BY business_id, registered_on").fetchall(),
        "payments": db.execute("SELECT * FROM payments ORDER BY business_id, period").fetchall(),
        "leads": db.execute("SELECT event_id, business_id, status, due_on, note FROM followups ORDER BY event_id, business_id").fetchall(),
        "events": db.execute("SELECT event_id, event_date, partner_id, staff_id, invitees FROM events ORDER BY event_id").fetchall(),
    }


def test_the_field_history_is_the_same_for_the_same_seed_and_day(scored_db_file, tmp_path):
    runs = []
    for name, seed in (("a", demo.DEFAULT_SEED), ("b", demo.DEFAULT_SEED), ("c", 7)):
        path, models = copy_scored(scored_db_file, tmp_path / name)
        db = connect(path)
        summary = demo.create_field_history(db, seed=seed, today=TODAY, models_dir=models)
        runs.append(({k: v for k, v in summary.__dict__.items() if k != "seconds"}, _history(db)))
        db.conn.close()
    assert runs[0] == runs[1]
    assert runs[0][1]["payments"] and runs[0][1]["reports"]
    # the plan comes from the data; the outcomes, and which chosen businesses are held back
    # as the control group, from the seed
    assert [e[:4] for e in runs[2][1]["events"]] == [e[:4] for e in runs[0][1]["events"]]
    assert runs[2][1]["payments"] != runs[0][1]["payments"] and runs[2][1]["rows"] != runs[0][1]["rows"]


def test_past_events_are_mostly_reported_and_coming_ones_not(field, field_file):
    db, s = field
    past = db.execute("SELECT COUNT(*) FROM events WHERE plan_id = ? AND status = 'planned' AND event_date < ?", [s.plan_id, TODAY.isoformat()]).fetchone()[0]
    reported_past = db.execute("SELECT COUNT(*) FROM event_reports r JOIN events e USING (event_id) WHERE e.event_date < ?", [TODAY.isoformat()]).fetchone()[0]
    assert past == s.past_events and reported_past == s.reports and s.events > s.past_events
    assert 0 < s.unreported and reported_past >= 0.6 * past  # most, not all: staff still have events to report
    assert db.execute("SELECT COUNT(*) FROM event_reports r JOIN events e USING (event_id) WHERE e.event_date >= ?", [TODAY.isoformat()]).fetchone()[0] == 0
    assert db.execute("SELECT status FROM plans WHERE plan_id = ?", [s.plan_id]).fetchone()[0] == "published"
    # held on the planned day or a day or two later; cancelled ones say why
    for planned, held in db.execute("SELECT e.event_date, r.held_on FROM event_reports r JOIN events e USING (event_id) WHERE r.status = 'held'"):
        assert 0 <= (dt.date.fromisoformat(held) - dt.date.fromisoformat(planned)).days <= 2
    assert db.execute("SELECT COUNT(*) FROM event_reports WHERE status = 'cancelled' AND (cancel_reason IS NULL OR cancel_note = '')").fetchone()[0] == 0
    assert s.registrations == db.execute("SELECT COUNT(*) FROM report_rows WHERE registered = 1").fetchone()[0] > 0
    assert db.execute("SELECT COUNT(*) FROM report_rows WHERE walk_in = 1").fetchone()[0] > 0
    steps = [step for _, step in field_file[2]]
    assert steps == ["train", "plan", "reports", "registrations", "payments", "done"]
    assert [f for f, _ in field_file[2]] == sorted(f for f, _ in field_file[2])


def test_later_registrations_are_credited_and_close_their_leads(field):
    db, s = field
    later = db.execute("SELECT business_id, event_id, registered_on FROM registrations WHERE source = 'import'").fetchall()
    # how many register later depends on the small test world's draws (none, here and there);
    # tests/test_registrations.py and tests/test_followup.py pin the crediting itself
    assert len(later) == s.later_registrations and s.registrations + s.later_registrations > 0
    for bid, eid, on in later:
        if eid is None:
            continue  # a control group's registration: credited to no event (it was not invited)
        held = db.execute("SELECT held_on FROM event_reports WHERE event_id = ?", [eid]).fetchone()[0]
        assert held <= on <= TODAY.isoformat()
        assert db.execute("SELECT enrolled FROM businesses WHERE business_id = ?", [bid]).fetchone()[0] == 1
        assert db.execute("SELECT COUNT(*) FROM followups WHERE business_id = ? AND status IN ('to_contact', 'contacted', 'promised')",
                          [bid]).fetchone()[0] == 0
    statuses = dict(db.execute("SELECT status, COUNT(*) FROM followups GROUP BY status").fetchall())
    # every lead whose business registered later is closed as registered (how many there
    # are depends on the world's draws; tests/test_followup.py pins the mechanism itself)
    with_lead = db.execute("SELECT COUNT(*) FROM registrations g JOIN followups f ON f.business_id = g.business_id AND f.event_id = g.event_id "
                           "WHERE g.source = 'import'").fetchone()[0]
    assert statuses.get("registered", 0) >= with_lead
    assert sum(statuses.get(k, 0) for k in ("to_contact", "contacted", "promised")) == s.open_leads > 0


def test_some_registrations_lapse(field):
    from planner.reporting import retention

    db, s = field
    manager = auth.get_user(db, "manajer")
    plan = retention.summary(db, manager, "plan", plan_id=s.plan_id).iloc[0]
    assert plan["registrations"] > 0 and 0 < plan["first_paid_rate"] < 1
    events = retention.summary(db, manager, "event", plan_id=s.plan_id)
    known = events[events["known_3m"] > 0]
    assert (known["paying_3m"] <= known["first_paid"]).all()
    # The outreach history's registrations are old enough to know their third month.
    rows = db.execute(
        "SELECT c.business_id, substr(c.contacted_on, 1, 7) AS m, "
        "EXISTS (SELECT 1 FROM payments p WHERE p.business_id = c.business_id AND p.paid = 1 "
        "        AND p.period BETWEEN substr(c.contacted_on, 1, 7) AND strftime('%Y-%m', date(c.contacted_on, 'start of month', '+2 months'))), "
        "EXISTS (SELECT 1 FROM payments p WHERE p.business_id = c.business_id AND p.paid = 1 "
        "        AND p.period = strftime('%Y-%m', date(c.contacted_on, 'start of month', '+3 months'))) "
        "FROM contacts c WHERE c.enrolled = 1 AND c.event_id IS NULL AND c.contacted_on < '2026-08-01'").fetchall()
    first = sum(r[2] for r in rows) / len(rows)
    third = sum(r[3] for r in rows) / len(rows)
    assert len(rows) > 50 and 0.7 < first < 1 and third < first
    assert not db.execute("SELECT COUNT(*) FROM payments WHERE paid = 0 AND amount > 0").fetchone()[0]
    assert db.execute("SELECT MAX(period) FROM payments").fetchone()[0] == TODAY.strftime("%Y-%m")


def test_payments_follow_the_documented_process():
    import numpy as np
    import pandas as pd

    assert demo.contribution("BPU", 1, "JKK;JKM", 1_000_000) == 16_800  # the commonly quoted BPU minimum
    assert demo.contribution("BPU", 1, "JKK;JKM;JHT", 2_000_000) == 20_000 + 40_000 + 6_800
    assert demo.contribution("PU", 2, "JKK;JKM") == round(3_000_000 * 2 * (0.0054 + 0.003))
    n = 4000
    regs = pd.DataFrame({"business_id": [f"B{i}" for i in range(n)], "registered_on": "2025-06-10", "workers_registered": 1,
                         "programmes": None, "size_class": "mikro", "workers": np.where(np.arange(n) < n // 2, 1, 3)})
    pay = demo.build_payments(regs, TODAY, np.random.default_rng(1))
    assert len(pay) == n * 18 and set(pay["period"]) == {f"2025-{m:02d}" for m in range(6, 13)} | {f"2026-{m:02d}" for m in range(1, 12)}
    pay["bpu"] = pay["business_id"].str.slice(1).astype(int) < n // 2
    third = pay[pay["period"] == "2025-09"].groupby("bpu")["paid"].mean()
    first = pay[pay["period"].isin(["2025-06", "2025-07", "2025-08"])].groupby(["bpu", "business_id"])["paid"].max().groupby("bpu").mean()
    assert third[True] < third[False] < first[False] and third[True] < first[True] < first[False]  # BPU lapse more often
    assert abs(first[True] - demo.FIRST_PAYS["BPU"]) < 0.05 and abs(first[False] - demo.FIRST_PAYS["PU"]) < 0.05
    lapsed = pay.sort_values(["business_id", "period"]).groupby("business_id")["paid"].apply(lambda p: bool(p.iloc[:2].any() and not p.iloc[-6:].any()))
    assert lapsed.mean() > 0.1  # some paid at first and stopped


def test_the_demo_staff_accounts_have_events_on_their_agenda(field):
    from planner import plans
    from planner.reporting import agenda, reports

    db, s = field
    assert plans.plan_violations(db, s.plan_id) == []  # events given to the demo staff members keep every rule of the plan
    for username in ("staf.sumsel", "staf.kalsel"):
        user = auth.get_user(db, username)
        assert user.staff_id
        mine = agenda.agenda(db, user, staff_id=user.staff_id, today=TODAY)
        assert (mine["date"] >= TODAY.isoformat()).sum() >= demo.FIELD_MIN_FUTURE, username
        assert (mine["date"] < TODAY.isoformat()).sum() >= 1, username
        to_report = reports.events_to_report(db, user, today=TODAY, staff_id=user.staff_id)
        assert (to_report["report_status"].isna() & (to_report["date"] < TODAY.isoformat())).any(), username  # an event to report
        reported_by = {r[0] for r in db.execute("SELECT r.reported_by FROM event_reports r JOIN events e USING (event_id) WHERE e.staff_id = ?",
                                                 [user.staff_id])}
        assert reported_by <= {username}  # their events are reported by them


def test_the_field_history_stays_demo_data_and_is_built_once(field, tmp_path):
    from planner.db import has_real_data

    db, s = field
    assert is_demo(db) and not has_real_data(db)
    assert demo.field_history(db)["plan_id"] == s.plan_id
    before = _history(db)
    assert demo.create_field_history(db, today=TODAY) == s  # built already: the stored summary, nothing changed
    assert _history(db) == before
    with pytest.raises(PlannerError, match="setelah hari ini"):
        demo.create_field_history(db, today=dt.date.today() + dt.timedelta(days=1))  # reports and imports refuse the future
    ref = connect(tmp_path / "ref.db")
    with pytest.raises(PlannerError, match="demo"):
        demo.create_field_history(ref, today=TODAY)


def test_cli_init_field_needs_demo_and_status_shows_the_history(field_file, tmp_path, capsys):
    from planner.cli import main

    assert main(["--db", str(tmp_path / "x.db"), "init", "--field"]) == 2
    assert "--demo" in capsys.readouterr().err
    path = copy_db(field_file[0], tmp_path / "s.db")
    assert main(["--db", str(path), "status"]) == 0
    out = capsys.readouterr().out
    assert f"riwayat lapangan: rencana {field_file[1].plan_id}" in out and "payments" in out
    db = connect(path)
    before = _history(db) | {"businesses": db.execute("SELECT business_id, enrolled FROM businesses ORDER BY business_id").fetchall()}
    assert main(["--db", str(path), "init", "--demo", "--field"]) == 0  # again: nothing is rebuilt (it would undo the enrolments)
    assert "sudah ada" in capsys.readouterr().out
    assert _history(db) | {"businesses": db.execute("SELECT business_id, enrolled FROM businesses ORDER BY business_id").fetchall()} == before
    db.conn.close()
