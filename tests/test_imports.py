"""Every import error kind, formats (CSV , ; BOM, XLSX), upserts, and no partial writes."""

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook

from planner import imports
from planner.errors import PlannerError
from planner.imports import ImportFailed, import_file
from planner.auth import system_user

ADMIN = system_user()

BIZ_HEADER = "business_id,name,regency_code,sector,size_class,workers,founded_year,has_nib,kur_recipient,coop_member,digital_payments,enrolled"
BIZ_ROW = "B1,Warung Bu Sri,16.71,G,mikro,3,2015,1,0,1,0,0"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def fingerprint(db) -> list:
    return [
        db.execute(f"SELECT COUNT(*), TOTAL(LENGTH(t.rowid)) FROM {t} t").fetchone()
        for t in ("businesses", "contacts", "partners", "staff", "potentials", "import_runs")
    ] + [db.execute("SELECT * FROM businesses ORDER BY business_id LIMIT 50").fetchall()]


def failure(db, kind: str, data: bytes, filename: str = "x.csv") -> ImportFailed:
    before = fingerprint(db)
    with pytest.raises(ImportFailed) as info:
        import_file(db, kind, data, filename=filename, actor=ADMIN)
    assert fingerprint(db) == before, "a rejected file must not change the database"
    return info.value


def only_issue(exc: ImportFailed):
    assert exc.total == len(exc.issues) == 1, [i.render() for i in exc.issues]
    return exc.issues[0]


# ------------------------------------------------------------------ happy paths
def test_csv_import_then_reimport_changes_nothing(ref_db):
    data = csv_bytes(BIZ_HEADER + ",omzet,phone", BIZ_ROW + ",12.5,0812345", "B2,Toko Maju,1671,g,Kecil,12,2001,0,1,0,1,1,7,0813")
    r1 = import_file(ref_db, "businesses", data, actor=ADMIN)
    assert (r1.rows, r1.inserted, r1.updated, r1.unchanged) == (2, 2, 0, 0)
    snapshot = ref_db.execute("SELECT * FROM businesses ORDER BY business_id").fetchall()
    r2 = import_file(ref_db, "businesses", data, actor=ADMIN)
    assert (r2.inserted, r2.updated, r2.unchanged) == (0, 0, 2)
    assert ref_db.execute("SELECT * FROM businesses ORDER BY business_id").fetchall() == snapshot
    b2 = ref_db.execute("SELECT regency_code, sector, size_class, attributes FROM businesses WHERE business_id='B2'").fetchone()
    assert b2[:3] == ("16.71", "G", "kecil")  # compact code, lower-case section, capitalised size all normalised
    assert json.loads(b2[3]) == {"omzet": 7, "phone": "0813"}  # extra columns kept; leading zero stays text


def test_changed_row_is_updated(ref_db):
    import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW), actor=ADMIN)
    r = import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW.replace(",3,2015", ",4,2015")), actor=ADMIN)
    assert (r.inserted, r.updated, r.unchanged) == (0, 1, 0)
    assert ref_db.execute("SELECT workers FROM businesses").fetchone()[0] == 4


def test_semicolon_bom_and_crlf(ref_db):
    data = ("\ufeff" + BIZ_HEADER.replace(",", ";") + "\r\n" + BIZ_ROW.replace(",", ";") + "\r\n").encode("utf-8")
    assert import_file(ref_db, "businesses", data, actor=ADMIN).inserted == 1


def test_xlsx_import(ref_db):
    wb = Workbook()
    ws = wb.active
    ws.append(BIZ_HEADER.split(","))
    ws.append(["B9", "Konveksi Ani", "16.71", "C", "kecil", 8, 2010, 1, 1, 0, 1, 0])
    buf = io.BytesIO()
    wb.save(buf)
    r = import_file(ref_db, "businesses", buf.getvalue(), filename="usaha.xlsx", actor=ADMIN)
    assert r.inserted == 1
    assert ref_db.execute("SELECT name, workers FROM businesses").fetchone() == ("Konveksi Ani", 8)


def test_every_kind_imports(ref_db):
    import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW), actor=ADMIN)
    files = {
        "potentials": csv_bytes("regency_code,sector,segment,eligible_workers,covered_workers,vulnerable_share,as_of", "16.71,G,bpu,1000,100,\"0,4\",2025-03-07"),
        "contacts": csv_bytes("business_id,contacted_on,channel,invited,enrolled,workers_enrolled", "B1,2025-04-01,sosialisasi,1,1,3"),
        "partners": csv_bytes("partner_id,name,type,regency_code,capacity_per_month,venue_capacity,cost_per_event,available_weekdays", "P1,Dinas Koperasi Palembang,dinas_koperasi,16.71,4,80,2500000,\"5,1,2\""),
        "staff": csv_bytes("staff_id,name,province_code,max_events_per_week", "S1,Budi Santoso,16,3"),
    }
    for kind, data in files.items():
        assert import_file(ref_db, kind, data, actor=ADMIN).inserted == 1, kind
    assert ref_db.execute("SELECT segment, vulnerable_share FROM potentials").fetchone() == ("BPU", 0.4)
    assert ref_db.execute("SELECT available_weekdays FROM partners").fetchone()[0] == "1;2;5"


# ------------------------------------------------------------------ whole-file errors
def test_empty_file(ref_db):
    assert "kosong" in only_issue(failure(ref_db, "businesses", b"")).problem
    assert "kosong" in only_issue(failure(ref_db, "businesses", b"\xef\xbb\xbf\n\n")).problem


def test_header_only(ref_db):
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER)))
    assert "tanpa baris data" in issue.problem


def test_not_utf8_names_the_row(ref_db):
    data = csv_bytes(BIZ_HEADER, BIZ_ROW) + "B2,Caf\u00e9,16.71,G,mikro,3,2015,1,0,1,0,0\n".encode("latin-1")
    issue = only_issue(failure(ref_db, "businesses", data))
    assert issue.row == 3 and "UTF-8" in issue.problem and "CSV UTF-8" in issue.fix


def test_damaged_xlsx(ref_db):
    issue = only_issue(failure(ref_db, "businesses", b"PK\x03\x04 not really a zip", filename="x.xlsx"))
    assert "CSV atau XLSX" in issue.problem


def test_too_many_fields_on_a_row(ref_db):
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW, BIZ_ROW.replace("B1", "B2") + ",extra,more")))
    assert issue.row == 3 and "(14)" in issue.problem and "(12)" in issue.problem


def test_missing_and_duplicate_columns(ref_db):
    exc = failure(ref_db, "businesses", csv_bytes("business_id,name,name", "B1,a,b"))
    problems = {(i.column, i.problem) for i in exc.issues}
    assert ("name", "nama kolom muncul lebih dari sekali") in problems
    assert any(c == "workers" and "tidak ada" in p for c, p in problems)
    assert all(i.row == 1 for i in exc.issues)


def test_unnamed_column_with_data(ref_db):
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER + ",", BIZ_ROW + ",isi")))
    assert issue.column == "#13" and "tanpa nama" in issue.problem


def test_unknown_kind(ref_db):
    with pytest.raises(PlannerError, match="jenis impor tidak dikenal"):
        import_file(ref_db, "pelanggan", csv_bytes("a", "b"), actor=ADMIN)


def test_too_many_rows(ref_db, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 1)
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW, BIZ_ROW.replace("B1", "B2"))))
    assert "terlalu besar" in issue.problem


# ------------------------------------------------------------------ cell errors: one per kind
CELL_CASES = [
    # (column to change, bad value, words in the problem)
    ("name", "", "wajib"),
    ("name", "x" * 201, "terlalu panjang"),
    ("workers", "tiga", "bukan bilangan bulat"),
    ("workers", "1.250", "bukan bilangan bulat"),
    ("workers", "-1", "lebih kecil"),
    ("founded_year", "3025", "lebih besar"),
    ("has_nib", "ya", "bukan 0 atau 1"),
    ("size_class", "besar", "tidak dikenal"),
    ("regency_code", "16.99", "kabupaten/kota"),
    ("regency_code", "16.1", "kabupaten/kota"),
    ("sector", "Z", "KBLI"),
]


@pytest.mark.parametrize("column, value, words", CELL_CASES)
def test_business_cell_errors_name_row_column_value_and_fix(ref_db, column, value, words):
    cols = BIZ_HEADER.split(",")
    cells = BIZ_ROW.split(",")
    bad = list(cells)
    bad[cols.index(column)] = value
    exc = failure(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW.replace("B1", "B0"), ",".join(bad)))
    issue = only_issue(exc)
    assert issue.row == 3 and issue.column == column
    assert issue.value == (value if len(value) <= 60 else value[:59] + "…")
    assert words in issue.problem and issue.fix
    line = issue.render()
    assert line.startswith("Baris 3, kolom " + column) and "Perbaikan:" in line


def test_messages_in_english(ref_db):
    with pytest.raises(ImportFailed) as info:
        import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW.replace(",3,", ",x,")), lang="en", actor=ADMIN)
    assert info.value.issues[0].render("en").startswith("Row 2, column workers, value 'x': not a whole number. Fix:")


def test_duplicate_key_points_at_first_row(ref_db):
    exc = failure(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW, BIZ_ROW.replace("B1", "B2"), BIZ_ROW))
    issue = only_issue(exc)
    assert issue.row == 4 and "baris 2" in issue.problem


def test_potentials_rules(ref_db):
    head = "regency_code,sector,segment,eligible_workers,covered_workers,vulnerable_share,as_of"
    exc = failure(
        ref_db,
        "potentials",
        csv_bytes(head, "16.71,G,PU,100,150,0.3,2025-03-07", "16.71,A,XX,100,10,35,2025-13-01"),
    )
    got = {(i.row, i.column): i.problem for i in exc.issues}
    assert "lebih besar dari eligible_workers" in got[(2, "covered_workers")]
    assert "tidak dikenal" in got[(3, "segment")]
    assert "proporsi" in got[(3, "vulnerable_share")]
    assert "tanggal" in got[(3, "as_of")]


def test_contacts_rules(ref_db):
    import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW), actor=ADMIN)
    head = "business_id,contacted_on,channel,invited,enrolled,workers_enrolled"
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    exc = failure(
        ref_db,
        "contacts",
        csv_bytes(head, "B404,2025-01-05,sosialisasi,1,0,", f"B1,{future},sosialisasi,1,0,", "B1,2025-01-06,wa,0,0,3"),
    )
    got = {(i.row, i.column): i.problem for i in exc.issues}
    assert "tidak ada di data usaha" in got[(2, "business_id")]
    assert "masa depan" in got[(3, "contacted_on")]
    assert "enrolled = 0" in got[(4, "workers_enrolled")]


def test_partner_and_staff_rules(ref_db):
    p_head = "partner_id,name,type,regency_code,capacity_per_month,venue_capacity,cost_per_event,available_weekdays"
    exc = failure(ref_db, "partners", csv_bytes(p_head, "P1,Bank X,bank_swasta,16.71,4,80,2500000,senin"))
    got = {i.column: i.problem for i in exc.issues}
    assert "tidak dikenal" in got["type"] and "hari ISO" in got["available_weekdays"]
    exc = failure(ref_db, "staff", csv_bytes("staff_id,name,province_code,max_events_per_week", "S1,Budi,99,3"))
    assert only_issue(exc).column == "province_code"


def test_errors_are_capped_but_counted(ref_db):
    rows = [BIZ_ROW.replace("B1", f"B{i}").replace(",3,", ",x,") for i in range(700)]
    exc = failure(ref_db, "businesses", csv_bytes(BIZ_HEADER, *rows))
    assert exc.total == 700 and len(exc.issues) == imports.MAX_ERRORS_KEPT
    assert "… dan" in str(exc)


def test_formula_and_html_text_is_stored_as_plain_text(ref_db):
    data = csv_bytes(BIZ_HEADER, BIZ_ROW.replace("Warung Bu Sri", "=HYPERLINK(\"http://x\")").replace("B1", "<b>B1</b>"))
    import_file(ref_db, "businesses", data, actor=ADMIN)
    assert ref_db.execute("SELECT business_id, name FROM businesses").fetchone() == ("<b>B1</b>", '=HYPERLINK("http://x")')


def test_staff_see_counts_and_import_history_of_their_own_provinces(ref_db):
    from planner.auth import User

    sumsel = User("staf.sumsel", "staff", ("16",), "Staf Sumsel")
    kalsel = User("staf.kalsel", "staff", ("63",), "Staf Kalsel")
    partners = "partner_id,name,type,regency_code,capacity_per_month,venue_capacity,cost_per_event,available_weekdays"
    import_file(ref_db, "partners", csv_bytes(partners, "P16-1,Koperasi A,koperasi,16.71,4,50,2500000,1;2", "P16-2,Koperasi B,koperasi,16.01,4,50,2500000,1"),
                filename="sumsel.csv", actor=sumsel)
    import_file(ref_db, "partners", csv_bytes(partners, "P63-1,Koperasi C,koperasi,63.71,4,50,2500000,3"), filename="kalsel.csv", actor=kalsel)
    assert imports.stored_counts(ref_db, sumsel)["partners"] == 2
    assert imports.stored_counts(ref_db, kalsel)["partners"] == 1
    assert imports.stored_counts(ref_db, ADMIN)["partners"] == 3  # managers and admins: everything
    assert list(imports.import_history(ref_db, sumsel)["filename"]) == ["sumsel.csv"]
    history = imports.import_history(ref_db, ADMIN)
    assert list(history["filename"]) == ["kalsel.csv", "sumsel.csv"] and list(history["actor"]) == ["staf.kalsel", "staf.sumsel"]
