"""The payments and registrations imports: every rule by row, column, value and fix,
idempotence, staff scope, and what a registration does after it is written (credited to
its event, lead closed, contact told) and how payments reach retention."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from planner import auth, imports
from planner.cli import main
from planner.db import connect, is_demo, has_real_data
from planner.exports import export_table
from planner.imports import ImportFailed, import_file
from planner.reporting import reports as rp
from planner.reporting import retention
from tests.conftest import copy_db
from tests.test_imports import BIZ_HEADER, csv_bytes, only_issue

ADMIN = auth.system_user()
MANAGER = auth.User("manajer", "manager", (), "Manajer")
STAFF = auth.User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
OTHER = auth.User("staf.kalsel", "staff", ("63",), "Staf Kalsel")
TODAY = dt.date(2026, 11, 30)
PAY = "business_id,period,paid,amount"
REG = "business_id,registered_on,workers_registered,programmes"
# one business of each kind the programme rules tell apart, and one in Kalimantan Selatan
BUSINESSES = [
    "B1,Warung Sri,16.71,G,mikro,1,2015,0,0,0,0,0",  # one person: BPU
    "B2,Toko Maju,16.71,G,mikro,3,2015,0,0,0,0,0",
    "B3,Konveksi Ani,16.01,C,kecil,8,2010,1,0,0,0,0",
    "B4,Mebel Jaya,16.01,C,menengah,30,2001,1,0,0,0,0",
    "K1,Toko Banjar,63.71,G,mikro,2,2018,0,0,0,0,0",
]


@pytest.fixture
def biz(ref_db):
    import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, *BUSINESSES), actor=ADMIN)
    return ref_db


def failure(db, kind, data, actor=ADMIN, lang="id") -> ImportFailed:
    before = [db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in ("payments", "registrations", "businesses", "import_runs")]
    with pytest.raises(ImportFailed) as info:
        import_file(db, kind, data, filename="x.csv", actor=actor, lang=lang)
    after = [db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in ("payments", "registrations", "businesses", "import_runs")]
    assert after == before, "a rejected file must not change the database"
    return info.value


def this_month(k: int = 0) -> str:
    d = dt.date.today().replace(day=1)
    y, m = divmod(d.month - 1 + k, 12)
    return f"{d.year + y}-{m + 1:02d}"


# ------------------------------------------------------------------ payments
def test_payments_import_then_again_changes_nothing(biz):
    data = csv_bytes(PAY, "B1,2026-01,1,16800", "B1,2026-02,0,", "B3,2026-01,1,1250000", "B2, 2026-03 ,1")
    r = import_file(biz, "payments", data, actor=ADMIN)
    assert (r.rows, r.inserted, r.updated, r.unchanged, r.credited) == (4, 4, 0, 0, None)
    stored = biz.execute("SELECT business_id, period, paid, amount FROM payments ORDER BY business_id, period").fetchall()
    assert stored == [("B1", "2026-01", 1, 16800), ("B1", "2026-02", 0, 0), ("B2", "2026-03", 1, 0), ("B3", "2026-01", 1, 1250000)]
    again = import_file(biz, "payments", data, actor=ADMIN)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    changed = import_file(biz, "payments", csv_bytes(PAY, "B1,2026-02,1,16800"), actor=ADMIN)
    assert (changed.inserted, changed.updated) == (0, 1)
    assert biz.execute("SELECT paid, amount FROM payments WHERE business_id = 'B1' AND period = '2026-02'").fetchone() == (1, 16800)


@pytest.mark.parametrize("value, words", [
    ("2026-13", "bukan bulan YYYY-MM"),
    ("2026-00", "bukan bulan YYYY-MM"),
    ("2026-3", "bukan bulan YYYY-MM"),
    ("26-03", "bukan bulan YYYY-MM"),
    ("Maret 2026", "bukan bulan YYYY-MM"),
    ("2026-03-15", "bukan bulan YYYY-MM"),  # a day in the month is not a month; only the 1st (a spreadsheet's date) is
    ("２０２６-03", "angka selain 0–9"),
    ("", "wajib diisi"),
])
def test_a_period_is_a_real_month_written_yyyy_mm(biz, value, words):
    issue = only_issue(failure(biz, "payments", csv_bytes(PAY, f"B1,{value},1,16800")))
    assert (issue.row, issue.column, issue.value) == (2, "period", value)
    assert words in issue.problem and issue.fix


def test_a_period_may_not_be_after_this_month(biz):
    assert import_file(biz, "payments", csv_bytes(PAY, f"B1,{this_month()},1,16800"), actor=ADMIN).inserted == 1
    issue = only_issue(failure(biz, "payments", csv_bytes(PAY, f"B1,{this_month(1)},1,16800")))
    assert issue.column == "period" and f"setelah {this_month()}" in issue.problem and this_month() in issue.fix


def test_a_spreadsheet_date_on_the_first_is_read_as_its_month(biz):
    wb = Workbook()
    wb.active.append(PAY.split(","))
    wb.active.append(["B1", dt.datetime(2026, 4, 1), 1, 16800])  # Excel turns a typed 2026-04 into this
    buf = io.BytesIO()
    wb.save(buf)
    assert import_file(biz, "payments", buf.getvalue(), filename="iuran.xlsx", actor=ADMIN).inserted == 1
    assert biz.execute("SELECT period FROM payments").fetchone()[0] == "2026-04"


def test_payment_cells_and_rows(biz):
    exc = failure(biz, "payments", csv_bytes(PAY, "B9,2026-01,1,100", "B1,2026-01,2,100", "B1,2026-02,1,-5", "B1,2026-03,0,16800",
                                             "B1,2026-04,1,1.5", "B2,2026-01,1,1", "B2,2026-01,1,1"))
    got = {(i.row, i.column): i for i in exc.issues}
    assert "business_id tidak ada" in got[(2, "business_id")].problem and "businesses" in got[(2, "business_id")].fix
    assert "bukan 0 atau 1" in got[(3, "paid")].problem
    assert "lebih kecil dari 0" in got[(4, "amount")].problem
    assert "paid = 0" in got[(5, "amount")].problem and "paid = 1" in got[(5, "amount")].fix
    assert "bilangan bulat" in got[(6, "amount")].problem
    assert "sama dengan baris 7" in got[(8, "business_id + period")].problem
    assert exc.total == 6
    english = failure(biz, "payments", csv_bytes(PAY, "B1,2026-03,0,16800"), lang="en")
    assert "amount is above 0 while paid = 0" in only_issue(english).problem


# ------------------------------------------------------------------ registrations
def test_registrations_import_then_again_changes_nothing(biz):
    data = csv_bytes(REG, "B1,2026-01-05,1,JKK;JKM", "B2,2026-01-05,2,jkk jkm jht", "B3,2026-02-01,8,JKK;JHT;JKM",
                     "B4,2026-02-01,30,JKK;JHT;JP;JKM")
    r = import_file(biz, "registrations", data, actor=ADMIN)
    assert (r.inserted, r.updated, r.credited) == (4, 0, 0)  # no event invited them: nothing to credit
    rows = biz.execute("SELECT business_id, workers_registered, programmes, event_id, source FROM registrations ORDER BY business_id").fetchall()
    assert rows[1] == ("B2", 2, "JKK;JKM;JHT", None, "import")  # programmes written in the agency's order
    assert biz.execute("SELECT COUNT(*) FROM businesses WHERE enrolled = 1").fetchone()[0] == 4  # registered means enrolled
    again = import_file(biz, "registrations", data, actor=ADMIN)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)


def test_workers_registered_are_at_least_one_and_at_most_the_business_has(biz):
    exc = failure(biz, "registrations", csv_bytes(REG, "B2,2026-01-05,4,JKK;JKM", "B3,2026-01-05,0,JKK;JHT;JKM", "B3,2026-01-06,9,JKK;JHT;JKM",
                                                  "B1,2026-01-05,dua,JKK;JKM"))
    got = {(i.row, i.column): i for i in exc.issues}
    assert "lebih banyak dari 3 pekerja" in got[(2, "workers_registered")].problem and "businesses" in got[(2, "workers_registered")].fix
    assert "lebih kecil dari 1" in got[(3, "workers_registered")].problem
    assert "lebih banyak dari 8 pekerja" in got[(4, "workers_registered")].problem
    assert "bilangan bulat" in got[(5, "workers_registered")].problem
    assert exc.total == 4


@pytest.mark.parametrize("business, workers, programmes, problem, fix", [
    ("B1", 1, "JKK", "pekerja mandiri (BPU): kurang JKM", "JKK;JKM"),
    ("B2", 1, "JKM", "usaha mikro: kurang JKK", "JKK;JKM"),
    ("B3", 1, "JKK;JKM", "usaha kecil: kurang JHT", "JKK;JKM;JHT"),
    ("B4", 1, "JKK;JKM", "usaha menengah: kurang JHT, JP", "JKK;JKM;JHT;JP"),
])
def test_programmes_must_include_what_the_size_class_requires(biz, business, workers, programmes, problem, fix):
    issue = only_issue(failure(biz, "registrations", csv_bytes(REG, f"{business},2026-01-05,{workers},{programmes}")))
    assert (issue.row, issue.column, issue.value) == (2, "programmes", programmes)
    assert problem in issue.problem and fix in issue.fix and "Perpres 109/2013" in issue.fix


def test_no_jp_for_a_one_person_business_and_no_unknown_programme(biz):
    issue = only_issue(failure(biz, "registrations", csv_bytes(REG, "B1,2026-01-05,1,JKK;JKM;JP")))
    assert issue.column == "programmes" and "tidak bisa ikut JP" in issue.problem and "hapus JP" in issue.fix
    assert import_file(biz, "registrations", csv_bytes(REG, "B2,2026-01-05,3,JKK;JKM;JP"), actor=ADMIN).inserted == 1  # an employer may
    issue = only_issue(failure(biz, "registrations", csv_bytes(REG, "B3,2026-01-05,2,JKK;JHT;JKM;BPJS")))
    assert "program tidak dikenal: BPJS" in issue.problem and "JKK, JKM, JHT, JP" in issue.fix
    issue = only_issue(failure(biz, "registrations", csv_bytes(REG, "B1,2026-01-05,1,JKK;JKM;JP"), lang="en"))
    assert "cannot join JP" in issue.problem


def test_registration_dates_and_businesses(biz):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    exc = failure(biz, "registrations", csv_bytes(REG, f"B1,{tomorrow},1,JKK;JKM", "B1,2026-02-30,1,JKK;JKM", "B9,2026-01-05,1,JKK;JKM",
                                                  "B2,2026-01-05,1,JKK;JKM", "B2,2026-01-05,2,JKK;JKM"))
    got = {(i.row, i.column): i for i in exc.issues}
    assert "di masa depan" in got[(2, "registered_on")].problem
    assert "bukan tanggal" in got[(3, "registered_on")].problem
    assert "business_id tidak ada" in got[(4, "business_id")].problem
    assert "sama dengan baris 5" in got[(6, "business_id + registered_on")].problem


def test_staff_import_payments_and_registrations_of_their_own_provinces_only(biz):
    assert {"payments", "registrations"} <= set(imports.allowed_kinds(STAFF))
    assert import_file(biz, "payments", csv_bytes(PAY, "B1,2026-01,1,16800"), actor=STAFF).inserted == 1
    assert import_file(biz, "registrations", csv_bytes(REG, "B2,2026-01-05,3,JKK;JKM"), actor=STAFF).inserted == 1
    before = biz.execute("SELECT COUNT(*) FROM payments").fetchone()[0], biz.execute("SELECT COUNT(*) FROM registrations").fetchone()[0]
    with pytest.raises(auth.AccessDenied, match="63"):
        import_file(biz, "payments", csv_bytes(PAY, "B1,2026-02,1,16800", "K1,2026-02,1,30000"), actor=STAFF)
    with pytest.raises(auth.AccessDenied):
        import_file(biz, "registrations", csv_bytes(REG, "B2,2026-02-05,3,JKK;JKM"), actor=OTHER)
    assert (biz.execute("SELECT COUNT(*) FROM payments").fetchone()[0], biz.execute("SELECT COUNT(*) FROM registrations").fetchone()[0]) == before
    import_file(biz, "payments", csv_bytes(PAY, "K1,2026-02,1,30000"), actor=OTHER)
    assert imports.stored_counts(biz, STAFF)["payments"] == 1 and imports.stored_counts(biz, OTHER)["payments"] == 1
    assert imports.stored_counts(biz, ADMIN)["payments"] == 2 and imports.stored_counts(biz, STAFF)["registrations"] == 1
    with pytest.raises(auth.AccessDenied):
        import_file(biz, "payments", csv_bytes(PAY, "B1,2026-03,1,16800"), actor=auth.User("pimpinan", "leadership"))


def test_templates_and_exports_import_again_unchanged(biz, tmp_path):
    assert imports.template_csv("payments") == PAY + "\n"
    assert imports.template_csv("registrations") == REG + ",event_id\n"
    import_file(biz, "payments", csv_bytes(PAY, "B1,2026-01,1,16800", "B1,2026-02,0,0"), actor=ADMIN)
    import_file(biz, "registrations", csv_bytes(REG, "B1,2026-01-05,1,JKK;JKM"), actor=ADMIN)
    for kind, n in (("payments", 2), ("registrations", 1)):
        assert export_table(biz, STAFF, kind, tmp_path / f"{kind}.csv") == n
        again = import_file(biz, kind, tmp_path / f"{kind}.csv", actor=ADMIN)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, n), kind
    assert export_table(biz, OTHER, "payments", tmp_path / "other.csv") == 0  # another province's staff see none


# ------------------------------------------------------------------ on a published plan
@pytest.fixture
def pub(published_file, tmp_path):
    path, plan_id, _ = published_file
    db = connect(copy_db(path, tmp_path / "r.db"))
    yield db, plan_id
    db.conn.close()


def _two_events_with_a_lead(db, plan_id):
    """The first two events with invitees, each reported with two invitees present and
    asked to be followed up; returns [(event_id, date, [business ids])]."""
    out = []
    for eid, date in db.execute("SELECT e.event_id, e.event_date FROM events e WHERE e.plan_id = ? AND "
                                "(SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.event_id) >= 2 ORDER BY e.event_date, e.event_id LIMIT 2",
                                [plan_id]).fetchall():
        bids = [r[0] for r in db.execute("SELECT business_id FROM invitations WHERE event_id = ? ORDER BY business_id LIMIT 2", [eid])]
        rows = [rp.RawRow({"business_id": b, "registered": "0", "follow_up": "1"}, i + 2) for i, b in enumerate(bids)]
        rp.save(db, STAFF, [rp.RawReport(eid, {"status": "held", "held_on": date, "attendance": "10"}, rows, row=2)], on=TODAY)
        out.append((eid, date, bids))
    return out


def _mandatory(db, bid) -> str:
    from planner.vocabulary import mandatory_programmes

    size, workers = db.execute("SELECT size_class, workers FROM businesses WHERE business_id = ?", [bid]).fetchone()
    return ";".join(mandatory_programmes(size, workers))


def test_an_imported_registration_is_credited_to_its_event_and_closes_the_lead(pub):
    db, plan_id = pub
    (e1, d1, (a, b)), (e2, d2, (c, _)) = _two_events_with_a_lead(db, plan_id)
    assert db.execute("SELECT status FROM followups WHERE business_id = ?", [a]).fetchone()[0] == "to_contact"
    on_a = (dt.date.fromisoformat(d1) + dt.timedelta(days=10)).isoformat()
    on_c = (dt.date.fromisoformat(d2) + dt.timedelta(days=3)).isoformat()
    data = csv_bytes(REG, f"{a},{on_a},1,{_mandatory(db, a)}", f"{c},{on_c},1,{_mandatory(db, c)}")
    r = import_file(db, "registrations", data, actor=STAFF, filename="pendaftaran.csv")
    assert (r.inserted, r.credited) == (2, 2)
    assert dict(db.execute("SELECT business_id, event_id FROM registrations").fetchall()) == {a: e1, c: e2}
    for bid, eid, on in ((a, e1, on_a), (c, e2, on_c)):
        assert db.execute("SELECT status, closed_on FROM followups WHERE business_id = ?", [bid]).fetchone() == ("registered", on)
        assert db.execute("SELECT enrolled FROM businesses WHERE business_id = ?", [bid]).fetchone()[0] == 1
        assert db.execute("SELECT enrolled, workers_enrolled, programmes FROM contacts WHERE event_id = ? AND business_id = ?",
                          [eid, bid]).fetchone() == (1, 1, _mandatory(db, bid))
    assert db.execute("SELECT status FROM followups WHERE business_id = ?", [b]).fetchone()[0] == "to_contact"  # not registered: still open
    act = rp.actuals(db, plan_id).set_index("event_id")
    assert int(act.loc[e1, "later_registrations"]) == 1 and int(act.loc[e2, "later_registrations"]) == 1
    actions = [x[0] for x in db.execute("SELECT action FROM audit_log WHERE action LIKE 'import.%' ORDER BY id DESC LIMIT 2")]
    assert actions == ["import.registrations.credit", "import.registrations"]
    again = import_file(db, "registrations", data, actor=STAFF)  # the credited event stays, nothing changes
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(db.execute("SELECT business_id, event_id FROM registrations").fetchall()) == {a: e1, c: e2}


def test_an_event_given_in_the_file_must_exist_and_come_before_the_registration(pub):
    db, plan_id = pub
    (e1, d1, (a, _)), _ = _two_events_with_a_lead(db, plan_id)
    header = REG + ",event_id"
    before = (dt.date.fromisoformat(d1) - dt.timedelta(days=1)).isoformat()
    exc = failure(db, "registrations", csv_bytes(header, f"{a},{d1},1,{_mandatory(db, a)},E999-0001",
                                                 f"{a},{before},1,{_mandatory(db, a)},{e1}"))
    got = {(i.row, i.column): i for i in exc.issues}
    assert "event_id tidak ada" in got[(2, "event_id")].problem and "Agenda" in got[(2, "event_id")].fix
    assert f"sebelum acara {e1} ({d1})" in got[(3, "registered_on")].problem
    r = import_file(db, "registrations", csv_bytes(header, f"{a},{d1},1,{_mandatory(db, a)},{e1}"), actor=MANAGER)
    assert r.credited == 1 and db.execute("SELECT event_id FROM registrations").fetchone()[0] == e1


def test_retention_counts_payments_imported_through_the_payments_kind(pub):
    db, plan_id = pub
    (e1, d1, (a, b)), _ = _two_events_with_a_lead(db, plan_id)
    on = (dt.date.fromisoformat(d1) + dt.timedelta(days=5)).isoformat()
    import_file(db, "registrations", csv_bytes(REG, f"{a},{on},1,{_mandatory(db, a)}", f"{b},{on},1,{_mandatory(db, b)}"), actor=STAFF)
    m = on[:7]
    nxt = (dt.date.fromisoformat(on[:8] + "01") + dt.timedelta(days=32)).strftime("%Y-%m")
    import_file(db, "payments", csv_bytes(PAY, f"{a},{m},1,16800", f"{a},{nxt},1,16800", f"{b},{m},0,0"), actor=STAFF)
    row = retention.summary(db, STAFF, "event", plan_id=plan_id).set_index("key").loc[e1]
    assert (row["registrations"], row["first_paid"]) == (2, 1) and row["first_paid_rate"] == pytest.approx(0.5)
    assert row["known_3m"] == 0  # the newest period is a month later: the third month is not known yet


def test_a_registration_recorded_on_the_follow_up_list_keeps_its_source_when_imported_again(pub):
    from planner.reporting import followup as fu

    db, plan_id = pub
    (e1, d1, (a, _)), _ = _two_events_with_a_lead(db, plan_id)
    lead = int(db.execute("SELECT followup_id FROM followups WHERE business_id = ?", [a]).fetchone()[0])
    fu.update(db, STAFF, lead, status="registered", workers_registered=1, today=TODAY)
    r = import_file(db, "registrations", csv_bytes(REG, f"{a},{TODAY.isoformat()},1,{_mandatory(db, a)}"), actor=STAFF)
    assert (r.inserted, r.updated, r.unchanged) == (0, 0, 1)
    assert db.execute("SELECT source, event_id FROM registrations WHERE business_id = ?", [a]).fetchone() == ("followup", e1)


def test_cli_imports_registrations_and_says_how_many_were_credited(pub, tmp_path, capsys):
    db, plan_id = pub
    (e1, d1, (a, _)), _ = _two_events_with_a_lead(db, plan_id)
    path = db.execute("PRAGMA database_list").fetchone()[2]
    f = tmp_path / "pendaftaran.csv"
    f.write_bytes(csv_bytes(REG, f"{a},{d1},1,{_mandatory(db, a)}"))
    assert main(["--db", path, "import", "registrations", str(f)]) == 0
    out = capsys.readouterr().out
    assert "registrations: 1 baris (1 baru" in out and "1 dari 1 pendaftaran dikreditkan" in out
    bad = tmp_path / "salah.csv"
    bad.write_bytes(csv_bytes(REG, f"{a},{d1},1,JKK;JKM;JP;XX"))
    assert main(["--db", path, "import", "registrations", str(bad)]) == 2
    assert "XX" in capsys.readouterr().err


def test_a_demo_keeps_its_demo_accounts_when_the_generator_imports(demo_db):
    from planner.imports import import_frame

    import pandas as pd

    bid = demo_db.execute("SELECT business_id FROM businesses ORDER BY business_id LIMIT 1").fetchone()[0]
    import_frame(demo_db, "payments", pd.DataFrame({"business_id": [bid], "period": ["2026-01"], "paid": [1], "amount": [16800]}),
                 actor=ADMIN, generated=True)
    assert is_demo(demo_db) and not has_real_data(demo_db)
    import_file(demo_db, "payments", csv_bytes(PAY, f"{bid},2026-02,1,16800"), actor=ADMIN)  # a person's file is real data
    assert has_real_data(demo_db)
