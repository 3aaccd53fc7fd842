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
    ("founded_year", "3025", "masa depan"),
    ("founded_year", "1799", "lebih kecil"),
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


def test_a_small_file_looks_up_its_own_businesses_not_every_business(ref_db):
    """The business ids of a contacts file are looked up by key: a 3-row file on a big
    database reads three businesses, not the whole table (which cost about 0,1 s per
    20.000 businesses stored, whatever the file's size). Unknown ids, repeats and blanks
    are still told apart."""
    rows = [f"B{i},Usaha {i},16.71,G,mikro,2,2015,0,0,0,0,0" for i in range(1, 2001)]
    import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, *rows), actor=ADMIN)
    statements: list[str] = []
    ref_db.conn.set_trace_callback(statements.append)
    try:
        exc = failure(ref_db, "contacts", csv_bytes("business_id,contacted_on,channel,invited,enrolled",
                                                    "B7,2025-01-05,wa,1,0", "X404,2025-01-05,wa,1,0", "B7,2025-01-06,wa,1,0",
                                                    ",2025-01-06,wa,1,0"))
    finally:
        ref_db.conn.set_trace_callback(None)
    got = {(i.row, i.column): i.problem for i in exc.issues}
    assert set(got) == {(3, "business_id"), (5, "business_id")}  # X404 unknown, row 5 blank; B7 twice is fine
    assert "tidak ada di data usaha" in got[(3, "business_id")]
    reads = [q for q in statements if q.startswith("SELECT business_id FROM businesses")]
    assert reads and all("json_each" in q for q in reads), reads


def test_the_audit_entry_of_an_import_lists_the_keys_it_added(ref_db):
    """A second file with two stored rows and one new one: the import's audit entry names
    only the new key (the stored keys are matched in Arrow, not one by one)."""
    import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW, "B2,Toko,16.71,G,mikro,2,2016,0,0,0,0,0"), actor=ADMIN)
    import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW, "B2,Toko Baru,16.71,G,mikro,2,2016,0,0,0,0,0",
                                                "B3,Kios,16.71,G,mikro,1,2020,0,0,0,0,0"), filename="b2.csv", actor=ADMIN)
    detail = ref_db.execute("SELECT after FROM audit_log WHERE action = 'import.businesses' ORDER BY id DESC LIMIT 1").fetchone()[0]
    summary = json.loads(detail)
    assert summary["new_keys"] == ["B3"] and (summary["inserted"], summary["updated"], summary["unchanged"]) == (1, 1, 1)


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


def test_blank_optional_regency_is_stored_as_null(ref_db):
    """Found by the fuzzing: a blank home_regency was written as '' and failed the
    foreign key mid-write (a traceback) instead of being stored as NULL."""
    r = import_file(ref_db, "staff", csv_bytes("staff_id,name,province_code,max_events_per_week,active,home_regency", "S1,Budi,16,3,,"), actor=ADMIN)
    assert r.inserted == 1
    assert ref_db.execute("SELECT home_regency, active FROM staff").fetchone() == (None, 1)


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


# ------------------------------------------------------------------ hostile and implausible files
import re  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHEET = "xl/worksheets/sheet1.xml"
BIZ_VALUES = ["B9", "Konveksi Ani", "16.71", "C", "kecil", 8, 2010, 1, 1, 0, 1, 0]
QUICK = 5.0  # seconds: a guard that the refusal does not depend on what the file claims, not a benchmark


def xlsx_bytes(rows: dict[int, list] | None = None) -> bytes:
    """A real workbook: the businesses header on row 1 and ``rows`` at the given row numbers."""
    wb = Workbook()
    ws = wb.active
    ws.append(BIZ_HEADER.split(","))
    for number, values in (rows or {2: BIZ_VALUES}).items():
        for col, v in enumerate(values, start=1):
            ws.cell(row=number, column=col, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, sheet=None, extra: dict[str, bytes] | None = None, level: int = 6) -> bytes:
    """``data`` with its sheet XML rewritten by ``sheet(str) -> str`` and ``extra`` members added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for info in src.infolist():
            body = src.read(info)
            if sheet and info.filename == SHEET:
                body = sheet(body.decode()).encode()
            z.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def claim_whole_sheet(xml: str, last_row: str) -> str:
    """The probe's shape: a dimension of A1:XFD1048576 and one more row numbered 1048576."""
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
    assert "A1:XFD1048576" in xml
    return xml.replace("</sheetData>", f'<row r="1048576">{last_row}</row></sheetData>')


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """``data`` with ``member``'s uncompressed size in the zip directory set to ``size``
    (what a zip bomb declares), the member's bytes left as they are."""
    buf = bytearray(data)
    at = buf.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46 : at + 46 + name_len]).decode() == member:
            struct.pack_into("<L", buf, at + 24, size)
            return bytes(buf)
        at = buf.find(b"PK\x01\x02", at + 46)
    raise AssertionError(member)


def refused_quickly(db, data: bytes, kind: str = "businesses", filename: str = "x.xlsx") -> ImportFailed:
    t0 = time.perf_counter()
    exc = failure(db, kind, data, filename=filename)
    assert time.perf_counter() - t0 < QUICK
    return exc


def test_sheet_claiming_a_million_rows_of_16384_columns_costs_only_its_cells(ref_db):
    far = rezip(xlsx_bytes(), lambda x: claim_whole_sheet(x, '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'))
    issue = only_issue(refused_quickly(ref_db, far))
    assert (issue.row, issue.column, issue.value) == (1048576, "XFD", "x")
    assert "kolom ke-16.384" in issue.problem and "500" in issue.problem and "kanan tabel" in issue.fix
    # The same claim with the extra row inside the table: read as the real row 1048576.
    near = rezip(xlsx_bytes(), lambda x: claim_whole_sheet(x, '<c r="A1048576" t="inlineStr"><is><t>B10</t></is></c>'))
    exc = refused_quickly(ref_db, near)
    assert {i.row for i in exc.issues} == {1048576}
    assert {i.column for i in exc.issues} == set(BIZ_HEADER.split(",")) - {"business_id"}
    # The claim alone (an empty row 1048576): the workbook imports, at once.
    t0 = time.perf_counter()
    claim = rezip(xlsx_bytes(), lambda x: claim_whole_sheet(x, ""))
    assert import_file(ref_db, "businesses", claim, filename="x.xlsx", actor=ADMIN).rows == 1
    assert time.perf_counter() - t0 < QUICK


def test_zip_declared_to_unpack_beyond_the_limit_is_refused_from_its_directory(ref_db):
    data = declare_size(xlsx_bytes(), SHEET, 4_000_000_000)
    issue = only_issue(refused_quickly(ref_db, data))
    assert "mengembang menjadi 4.000,0 MB" in issue.problem and "1.500,0 MB" in issue.problem and "CSV" in issue.fix


def test_member_compressed_at_an_absurd_ratio_is_refused(ref_db):
    # A valid workbook: 10 MB of blanks inside the sheet data deflate to about 10 KB.
    data = rezip(xlsx_bytes(), lambda x: x.replace("</sheetData>", " " * 10_000_000 + "</sheetData>"), level=9)
    assert len(data) < 100_000
    issue = only_issue(refused_quickly(ref_db, data))
    assert SHEET in issue.problem and ":1" in issue.problem and "200:1" in issue.problem


def test_zip_with_too_many_members_is_refused(ref_db):
    data = rezip(xlsx_bytes(), extra={f"junk/{i}.xml": b"<a/>" for i in range(imports.MAX_ZIP_MEMBERS + 1)})
    issue = only_issue(refused_quickly(ref_db, data))
    assert "terlalu banyak bagian (1.010" in issue.problem


@pytest.mark.parametrize("damage", ["truncated", "crc"])
def test_damaged_zip_is_a_clear_error(ref_db, damage):
    data = xlsx_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:  # the sheet's bytes changed after it was written: its CRC check fails while reading
        data = rezip(data, level=0)
        at = data.find(b"<sheetData>")
        data = data[:at] + b"<sheetDatb>" + data[at + 11 :]
    issue = only_issue(refused_quickly(ref_db, data))
    assert "tidak dapat dibaca sebagai CSV atau XLSX" in issue.problem and issue.fix


def test_blank_rows_are_skipped_and_messages_name_the_real_row(ref_db):
    bad = list(BIZ_VALUES)
    bad[0], bad[5] = "B11", "tiga"
    data = xlsx_bytes({2: BIZ_VALUES, 6: [" ", None, ""], 9: bad})
    issue = only_issue(failure(ref_db, "businesses", data, filename="x.xlsx"))
    assert (issue.row, issue.column, issue.value) == (9, "workers", "tiga")
    dup = xlsx_bytes({2: BIZ_VALUES, 40: BIZ_VALUES})
    issue = only_issue(failure(ref_db, "businesses", dup, filename="x.xlsx"))
    assert issue.row == 40 and "baris 2" in issue.problem
    bad[5] = 4
    r = import_file(ref_db, "businesses", xlsx_bytes({2: BIZ_VALUES, 7: bad}), filename="x.xlsx", actor=ADMIN)
    assert r.rows == r.inserted == 2


def test_xlsx_header_not_on_row_1_and_cells_right_of_the_header(ref_db):
    wb = Workbook()
    wb.active.cell(row=3, column=1, value="business_id")
    buf = io.BytesIO()
    wb.save(buf)
    assert only_issue(failure(ref_db, "businesses", buf.getvalue(), filename="x.xlsx")).row == 1
    issue = only_issue(failure(ref_db, "businesses", xlsx_bytes({2: BIZ_VALUES, 5: BIZ_VALUES + [None, "catatan"]}), filename="x.xlsx"))
    assert (issue.row, issue.column) == (5, "#14") and "tanpa nama" in issue.problem


def test_xlsx_row_beyond_the_row_limit_and_rows_out_of_order(ref_db, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    issue = only_issue(refused_quickly(ref_db, xlsx_bytes({2: BIZ_VALUES, 7: ["B2"]})))
    assert issue.row == 7 and "baris ke-7" in issue.problem and "maksimum" not in issue.problem
    swapped = rezip(xlsx_bytes({2: BIZ_VALUES, 3: ["B2"]}), lambda x: x.replace('<row r="3"', '<row r="1"'))
    issue = only_issue(refused_quickly(ref_db, swapped))
    assert issue.row == 1 and "rusak" in issue.problem


def test_file_above_the_size_limit_is_refused_before_reading(ref_db, monkeypatch, tmp_path):
    data = csv_bytes(BIZ_HEADER, BIZ_ROW)
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", len(data) - 1)
    path = tmp_path / "usaha.csv"
    path.write_bytes(data)
    for source in (data, path, io.BytesIO(data)):
        issue = only_issue(failure(ref_db, "businesses", source))
        assert "terlalu besar (0,0 MB, maksimum 0,0 MB)" in issue.problem and "pecah berkas" in issue.fix
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 2_500_000)
    issue = only_issue(failure(ref_db, "businesses", data + b"," * 2_600_000))
    assert "(2,6 MB, maksimum 2,5 MB)" in issue.problem


def test_csv_column_and_row_limits(ref_db, monkeypatch):
    wide = csv_bytes(BIZ_HEADER + "".join(f",x{i}" for i in range(imports.MAX_COLUMNS)), BIZ_ROW)
    issue = only_issue(failure(ref_db, "businesses", wide))
    assert issue.row == 1 and "terlalu banyak kolom (512, maksimum 500)" in issue.problem
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    rows = [BIZ_ROW.replace("B1", f"B{i}") for i in range(50)]
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER, *rows)))
    assert "> 2 baris" in issue.problem


WIDE_CASES = [
    ("businesses", "workers", "３"),
    ("businesses", "founded_year", "２０１５"),
    ("businesses", "regency_code", "１６.７１"),
    ("businesses", "regency_code", "１６７１"),
    ("businesses", "regency_code", "١٦.٧١"),  # Arabic-Indic digits
    ("potentials", "as_of", "２０２４-０１-０１"),
    ("potentials", "vulnerable_share", "０.５"),
    ("contacts", "contacted_on", "2024-01-0１"),
    ("partners", "available_weekdays", "１;２"),
    ("staff", "province_code", "１６"),
    ("staff", "max_events_per_week", "٣"),
]
ROWS = {
    "businesses": (BIZ_HEADER, BIZ_ROW),
    "potentials": ("regency_code,sector,segment,eligible_workers,covered_workers,vulnerable_share,as_of", "16.71,G,PU,100,10,0.3,2025-03-07"),
    "contacts": ("business_id,contacted_on,channel,invited,enrolled", "B1,2025-01-05,sosialisasi,1,0"),
    "partners": ("partner_id,name,type,regency_code,capacity_per_month,venue_capacity,cost_per_event,available_weekdays",
                 "P1,Koperasi A,koperasi,16.71,4,50,2500000,1;2"),
    "staff": ("staff_id,name,province_code,max_events_per_week", "S1,Budi,16,3"),
}


def one_row(kind: str, column: str, value: str) -> bytes:
    header, row = ROWS[kind]
    cells = row.split(",")
    cells[header.split(",").index(column)] = value
    return csv_bytes(header, ",".join(cells))


@pytest.mark.parametrize("kind, column, value", WIDE_CASES)
def test_digits_other_than_0_to_9_are_refused(ref_db, kind, column, value):
    import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER, BIZ_ROW), actor=ADMIN)
    assert import_file(ref_db, kind, ROWS[kind][0].encode() + b"\n" + ROWS[kind][1].encode(), actor=ADMIN).rows == 1  # the row is valid as given
    issue = only_issue(failure(ref_db, kind, one_row(kind, column, value)))
    assert (issue.row, issue.column, issue.value) == (2, column, value)
    assert "angka selain 0–9" in issue.problem and "0–9" in issue.fix
    with pytest.raises(ImportFailed) as info:
        import_file(ref_db, kind, one_row(kind, column, value), actor=ADMIN, lang="en")
    assert "digits other than 0–9" in info.value.issues[0].problem


def test_years_and_dates_in_the_future_are_refused(ref_db):
    year = dt.date.today().year
    assert import_file(ref_db, "businesses", one_row("businesses", "founded_year", str(year)), actor=ADMIN).inserted == 1
    issue = only_issue(failure(ref_db, "businesses", one_row("businesses", "founded_year", str(year + 1))))
    assert issue.column == "founded_year" and f"setelah {year}" in issue.problem
    today, tomorrow = dt.date.today(), dt.date.today() + dt.timedelta(days=1)
    assert import_file(ref_db, "potentials", one_row("potentials", "as_of", today.isoformat()), actor=ADMIN).inserted == 1
    issue = only_issue(failure(ref_db, "potentials", one_row("potentials", "as_of", tomorrow.isoformat())))
    assert issue.column == "as_of" and "masa depan" in issue.problem and "as_of" in issue.fix


def test_extra_column_values_names_and_count_are_bounded(ref_db):
    limit = imports.MAX_ATTRIBUTE_CHARS
    ok = import_file(ref_db, "businesses", csv_bytes(BIZ_HEADER + ",catatan", BIZ_ROW + "," + "x" * limit), actor=ADMIN)
    assert ok.extra_columns == ("catatan",)
    long = "y" * (limit + 1)
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER + ",catatan", BIZ_ROW + "," + long)))
    assert (issue.row, issue.column, issue.value) == (2, "catatan", long[:59] + "…")
    assert "1.001 karakter, maksimum 1.000" in issue.problem
    many = ",".join(f"x{i}" for i in range(imports.MAX_EXTRA_COLUMNS + 1))
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER + "," + many, BIZ_ROW + "," * (imports.MAX_EXTRA_COLUMNS + 1))))
    assert issue.row == 1 and "(101, maksimum 100)" in issue.problem
    name = "n" * (imports.MAX_COLUMN_NAME + 1)
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER + "," + name, BIZ_ROW + ",1")))
    assert (issue.row, issue.column) == (1, name) and "65 karakter" in issue.problem
    issue = only_issue(failure(ref_db, "businesses", csv_bytes(BIZ_HEADER + ",warna\x1b[31m", BIZ_ROW + ",1")))
    assert issue.row == 1 and "karakter kendali" in issue.problem
    assert "\x1b" not in issue.render() and "warna\ufffd[31m" in issue.render()


def test_cli_refuses_the_dimension_bomb_at_once(tmp_path):
    db = tmp_path / "cli.db"
    good, bomb = tmp_path / "good.csv", tmp_path / "bomb.xlsx"
    good.write_bytes(csv_bytes(BIZ_HEADER, BIZ_ROW))
    bomb.write_bytes(rezip(xlsx_bytes(), lambda x: claim_whole_sheet(x, '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>')))

    def run(path):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "planner", "--db", str(db), "import", "businesses", str(path)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        return proc, time.perf_counter() - t0

    proc, start = run(good)  # interpreter start, imports and the reference data: the fixed cost
    assert proc.returncode == 0, proc.stderr
    proc, secs = run(bomb)
    assert proc.returncode == 2 and "Baris 1048576, kolom XFD" in proc.stderr and "Traceback" not in proc.stderr
    assert secs < start + QUICK
