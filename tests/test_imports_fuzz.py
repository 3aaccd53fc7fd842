"""Property-based tests: every import kind fed malformed files gives a clear error (row,
column, problem, fix) or a clean import, never a traceback and never a partial write."""

import codecs
import csv
import io
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from planner.auth import system_user
from planner.errors import PlannerError
from planner.imports import MAX_COLUMNS, SPECS, ImportFailed, import_file

ADMIN = system_user()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = st.sampled_from([
    "", " ", "=1+1", "+62812", "-5", "@SUM(A1)", "<script>alert(1)</script>", "<b>tebal</b>", "'; DROP TABLE businesses;--",
    "16.71", "1671", "16.1", "99.99", "G", "z", "mikro", "KECIL", "1", "0", "2", "-1", "1.250", "3,5", "2025-02-30",
    "2025-03-07", "1;2;3", "8", "x" * 5000, "\u0000", "Bu Sri \u2013 Warung", "\ufeff", "PU", "bpu", "nan", "NULL", "1e9",
])
CELL = st.one_of(NASTY, st.text(max_size=30))
ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def snapshot(db):
    tables = ["potentials", "businesses", "contacts", "partners", "staff", "payments", "registrations", "followups", "import_runs", "audit_log"]
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def check(db, kind, data, filename="f.csv"):
    before = snapshot(db)
    try:
        result = import_file(db, kind, data, filename=filename, actor=ADMIN)
    except ImportFailed as exc:
        assert exc.total >= 1 and exc.issues
        for issue in exc.issues:
            assert issue.problem and issue.fix
            text = issue.render()
            assert text.startswith("Baris") and "Perbaikan:" in text
        assert snapshot(db) == before, "a rejected file changed the database"
        return None
    except PlannerError:
        assert snapshot(db) == before
        return None
    # Accepted: importing it again changes nothing.
    again = import_file(db, kind, data, filename=filename, actor=ADMIN)
    assert again.inserted == 0 and again.updated == 0 and again.unchanged == result.rows
    return result


@st.composite
def csv_files(draw, kind):
    spec = SPECS[kind]
    names = [c.name for c in spec.columns]
    header = draw(st.lists(st.sampled_from(names + ["extra", "", "Name ", "BUSINESS_ID"]), min_size=0, max_size=len(names) + 3))
    if draw(st.booleans()):
        header = names + header  # usually a full header plus noise
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 2), max_size=6))
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))

    def quote(v):
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',;"\n\r') else v

    text = "\n".join(sep.join(quote(v) for v in line) for line in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


@pytest.mark.parametrize("kind", list(SPECS))
@SETTINGS
@given(data=st.data())
def test_malformed_csv_never_crashes_or_half_writes(ref_db, kind, data):
    check(ref_db, kind, data.draw(csv_files(kind)))


# Payments and registrations need businesses to refer to: one of each kind the programme
# rules tell apart. Cells are drawn from values near the rules' edges and from NASTY, so
# that files are accepted about as often as refused.
BUSINESSES = ["B1,Warung Sri,16.71,G,mikro,1,2015,0,0,0,0,0", "B2,Toko Maju,16.71,G,mikro,3,2015,0,0,0,0,0",
              "B3,Konveksi Ani,16.01,C,kecil,8,2010,1,0,0,0,0", "B4,Mebel Jaya,16.01,C,menengah,30,2001,1,0,0,0,0"]
NEAR = {
    "business_id": ["B1", "B2", "B3", "B4", "B9", " B2 "],
    "period": ["2026-01", "2025-12", "2026-03-01", "2026-13", "2026-1", "2099-01", "２０２６-01", "1899-12"],
    "paid": ["0", "1", "2", "ya"],
    "amount": ["", "0", "16800", "-5", "1.5", "99999999999"],
    "registered_on": ["2026-01-05", "2025-11-30", "2025-02-30", "2099-01-01", "05/01/2026"],
    "workers_registered": ["1", "2", "3", "8", "30", "31", "0", "-1"],
    "programmes": ["JKK;JKM", "JKK;JHT;JKM", "JKK;JHT;JP;JKM", "jkk, jkm, jp", "JKK", "JKK;JKM;XX", "JKK/JKM/JHT"],
    "event_id": ["", "E1-0001"],
}


@st.composite
def near_files(draw, kind):
    names = [c.name for c in SPECS[kind].columns]
    header = draw(st.permutations(names))
    if draw(st.booleans()):
        header = [h for h in header if h not in ("amount", "event_id")]
    cell = {h: st.one_of(st.sampled_from(NEAR[h]), NASTY) if draw(st.booleans()) else st.sampled_from(NEAR[h]) for h in header}
    rows = draw(st.lists(st.tuples(*[cell[h] for h in header]), min_size=1, max_size=6))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def with_businesses(ref_db):
    header = "business_id,name,regency_code,sector,size_class,workers,founded_year,has_nib,kur_recipient,coop_member,digital_payments,enrolled"
    import_file(ref_db, "businesses", ("\n".join([header, *BUSINESSES]) + "\n").encode(), actor=ADMIN)
    return ref_db


@pytest.mark.parametrize("kind", ["payments", "registrations"])
@SETTINGS
@given(data=st.data())
def test_payments_and_registrations_near_the_rules_import_whole_or_not_at_all(with_businesses, kind, data):
    check(with_businesses, kind, data.draw(near_files(kind)))


@SETTINGS
@given(blob=st.binary(max_size=2000))
def test_random_bytes_are_rejected_cleanly(ref_db, blob):
    check(ref_db, "businesses", blob)
    check(ref_db, "partners", blob, filename="x.xlsx")


@SETTINGS
@given(rows=st.lists(st.lists(st.one_of(CELL, st.integers(-10, 10**6), st.floats(allow_nan=True), st.booleans(), st.none()), max_size=14), max_size=5))
def test_malformed_xlsx_is_rejected_or_imported_cleanly(ref_db, rows):
    wb = Workbook()
    ws = wb.active
    ws.append([c.name for c in SPECS["staff"].columns])
    for r in rows:
        # openpyxl cannot store control characters at all: a spreadsheet never holds them.
        ws.append([ILLEGAL_XLSX.sub("", v) if isinstance(v, str) else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    check(ref_db, "staff", buf.getvalue(), filename="staf.xlsx")


def test_huge_field_and_bom_only_and_empty(ref_db):
    header = ",".join(c.name for c in SPECS["staff"].columns)
    exc = pytest.raises(ImportFailed, import_file, ref_db, "staff", (header + "\nS1," + "x" * 1_000_000 + ",16,3\n").encode(), actor=ADMIN)
    assert "terlalu panjang" in exc.value.issues[0].problem
    for data in (b"", codecs.BOM_UTF8, b"\n\n\n", codecs.BOM_UTF8 + b"\r\n"):
        with pytest.raises(ImportFailed):
            import_file(ref_db, "staff", data, actor=ADMIN)


@pytest.mark.parametrize("blob", [b"\r\x00", b"business_id,name\r1,x\r", b"\r\r\n"])
def test_lone_carriage_returns_are_line_ends_not_crashes(ref_db, blob):
    """Found by the property above: a header line with a lone \\r crashed the header parser."""
    with pytest.raises(ImportFailed):
        import_file(ref_db, "businesses", blob, filename="mac.csv", actor=system_user())
    assert ref_db.execute("SELECT COUNT(*) FROM businesses").fetchone()[0] == 0


# ------------------------------------------------------------------ hostile XLSX shapes
from tests.test_imports import SHEET, declare_size, rezip  # noqa: E402

STAFF = [c.name for c in SPECS["staff"].columns]
STAFF_ROW = ["S1", "Budi", "16", 3]
QUICK = 5.0  # seconds; a sheet's claims must not make the work grow


def timed_check(db, kind, data, filename):
    t0 = time.perf_counter()
    result = check(db, kind, data, filename=filename)
    assert time.perf_counter() - t0 < QUICK * 2  # an accepted file is imported twice
    return result


def filled(v) -> bool:
    """Whether a value written with openpyxl reads back as a non-blank cell (a text that
    starts with = is stored as a formula, which has no value until Excel computes it)."""
    return not isinstance(v, str) or (v.strip() != "" and not v.startswith("="))


@SETTINGS
@given(
    rows=st.dictionaries(st.integers(2, 1_048_576), st.lists(st.one_of(CELL, st.integers(0, 20)), max_size=6), max_size=4),
    far=st.one_of(st.none(), st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384), CELL)),
    dimension=st.sampled_from(["A1:XFD1048576", "A1:A1", "B2:ZZ999999", "XFD1048576", "A0:A0", None]),
)
def test_xlsx_sheet_shapes_are_read_as_stored(ref_db, rows, far, dimension):
    """Rows anywhere up to 1,048,576, a far cell anywhere up to column XFD, any claimed
    dimension: read in seconds, every message names a row the sheet really has, and an
    accepted sheet imports exactly its non-blank rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(STAFF)
    rows = {n: [ILLEGAL_XLSX.sub("", v) if isinstance(v, str) else v for v in r] for n, r in rows.items()}
    for number, values in rows.items():
        for col, v in enumerate(values, start=1):
            ws.cell(row=number, column=col, value=v)
    if far:
        far = (far[0], far[1], ILLEGAL_XLSX.sub("", far[2]))
        ws.cell(row=far[0], column=far[1], value=far[2])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if dimension:
        data = rezip(data, lambda x: re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', x))
    result = timed_check(ref_db, "staff", data, "staf.xlsx")
    if result is not None:
        data_rows = {n for n, r in rows.items() if any(filled(v) for v in r)}
        if far and filled(far[2]) and far[0] > 1:
            data_rows.add(far[0])
        assert result.rows == len(data_rows)
        return
    with pytest.raises(ImportFailed) as info:
        import_file(ref_db, "staff", data, filename="staf.xlsx", actor=ADMIN)
    exc = info.value
    real = {1, *rows, *([far[0]] if far else [])}
    named = {i.row for i in exc.issues if "tanpa baris data" not in i.problem}  # "no rows" names row 2
    assert named <= real | {None}, [i.render() for i in exc.issues]
    if far and far[1] > MAX_COLUMNS and filled(far[2]):
        assert exc.total == 1 and (exc.issues[0].row, exc.issues[0].column) == (far[0], get_column_letter(far[1]))


@SETTINGS
@given(size=st.integers(0, 2**32 - 1), member=st.sampled_from([SHEET, "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"]))
def test_any_declared_member_size_is_refused_or_read_quickly(ref_db, size, member):
    """A zip directory that lies about a member's size: refused from the directory, or the
    read stops at the declared size and fails its check; never a long unpack."""
    wb = Workbook()
    wb.active.append(STAFF)
    wb.active.append(STAFF_ROW)
    buf = io.BytesIO()
    wb.save(buf)
    timed_check(ref_db, "staff", declare_size(buf.getvalue(), member, size), "staf.xlsx")
