"""Property-based tests: every import kind fed malformed files gives a clear error (row,
column, problem, fix) or a clean import, never a traceback and never a partial write."""

import codecs
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from planner.auth import system_user
from planner.errors import PlannerError
from planner.imports import SPECS, ImportFailed, import_file

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
    tables = ["potentials", "businesses", "contacts", "partners", "staff", "import_runs", "audit_log"]
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
