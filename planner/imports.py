"""CSV/XLSX imports: read the whole file, validate every cell, then write in one transaction.

Nothing is written unless the whole file is valid. Every problem names the row (as a
spreadsheet shows it: the header is row 1), the column, the value and the fix. Rows are
upserted by key, so importing the same file twice changes nothing.

Validation is vectorised with pandas and the write is one ``executemany`` of an
``INSERT ... ON CONFLICT DO UPDATE`` (a plain ``INSERT`` into an empty table) inside
``BEGIN IMMEDIATE``: a million rows import at about 0.6 times the speed of a bare
``executemany`` of the same rows (``docs/benchmarks.md``, ``bench/bench_import.py``).

Hostile files are refused before they cost much: a file above ``MAX_FILE_BYTES`` is not
read at all; an XLSX (a zip) is refused from its zip directory alone when its members
would unpack to more than ``MAX_UNPACKED_BYTES``, are compressed at an absurd ratio or
are too many; and its sheet is read row by row as stored, so a sheet that *claims* a
million rows of 16,384 columns costs only the cells it really holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib
import io
import json
import os
import re
import struct
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import sqlite_utils

from planner.auth import AccessDenied, User, require, require_provinces
from planner.db import has_real_data, is_demo, set_meta, transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, fmt_int, fmt_num, t
from planner.vocabulary import PARTNER_TYPES, SEGMENTS, SIZE_CLASSES
from planner.vocabulary import PROGRAMMES, parse_programmes

MAX_TEXT = 200
MAX_ROWS = 2_000_000
MAX_ERRORS_KEPT = 500
# Limits that keep a hostile or mistaken file from costing minutes or gigabytes. Each is
# above what a real import needs: a million demo businesses with five extra columns are
# a 96 MB CSV, or a 95 MB XLSX (as openpyxl and pandas write it) whose members unpack to
# 763 MB, so MAX_UNPACKED_BYTES lets through about the MAX_ROWS rows of such a file.
MAX_FILE_BYTES = 300_000_000  # the file as uploaded or named on the command line
MAX_COLUMNS = 500  # columns of the header, and the furthest column a cell may hold a value in
MAX_EXTRA_COLUMNS = 100  # extra columns kept as attributes (businesses, partners, staff)
MAX_COLUMN_NAME = 64  # characters of an extra column's name
MAX_ATTRIBUTE_CHARS = 1_000  # characters of one extra-column value
MAX_UNPACKED_BYTES = 1_500_000_000  # an XLSX's members, as declared in its zip directory
MAX_ZIP_MEMBERS = 1_000  # an XLSX from Excel or LibreOffice has a dozen or two
MAX_ZIP_RATIO = 200  # uncompressed : compressed, for a member over ZIP_RATIO_FROM bytes
ZIP_RATIO_FROM = 4_000_000
_WRITE_CHUNK = 50_000  # rows converted to Python values at a time for executemany


# --------------------------------------------------------------------------- specs
@dataclass(frozen=True)
class Column:
    """One column of an import: its name, how to check it, and whether it may be empty."""

    name: str
    kind: str  # text | int | share | flag | date | period | choice | regency | province | sector | business | event | programmes | weekdays
    required: bool = True
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    default: str | None = None  # what a blank optional cell means
    # For dates and years: the problem reported for a value after today (or after this
    # year); ``None`` lets the future through.
    future: str | None = None


@dataclass(frozen=True)
class Spec:
    kind: str
    table: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    keeps_attributes: bool = False  # extra columns go to the JSON ``attributes`` column
    # Columns written with a constant on insert and never changed by a later import (the
    # registrations' ``source``: a registration recorded on the follow-up list stays so).
    fixed: tuple[tuple[str, str], ...] = ()
    # Optional columns whose blank cell keeps what is stored instead of clearing it (the
    # event a registration was credited to: the membership file does not know it, and
    # importing the same file again must change nothing).
    keep_stored: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _this_year() -> int:
    return dt.date.today().year


SPECS: dict[str, Spec] = {
    "potentials": Spec(
        "potentials",
        "potentials",
        ("regency_code", "sector", "segment"),
        (
            Column("regency_code", "regency"),
            Column("sector", "sector"),
            Column("segment", "choice", choices=SEGMENTS),
            Column("eligible_workers", "int", min=0),
            Column("covered_workers", "int", min=0),
            Column("vulnerable_share", "share", required=False),
            Column("as_of", "date", future="future_as_of"),
            Column("source", "text", required=False),
        ),
    ),
    "businesses": Spec(
        "businesses",
        "businesses",
        ("business_id",),
        (
            Column("business_id", "text"),
            Column("name", "text"),
            Column("regency_code", "regency"),
            Column("sector", "sector"),
            Column("size_class", "choice", choices=SIZE_CLASSES),
            Column("workers", "int", min=0, max=100_000),
            Column("founded_year", "int", min=1800, future="future_year"),
            Column("has_nib", "flag"),
            Column("kur_recipient", "flag"),
            Column("coop_member", "flag"),
            Column("digital_payments", "flag"),
            Column("enrolled", "flag"),
        ),
        keeps_attributes=True,
    ),
    "contacts": Spec(
        "contacts",
        "contacts",
        ("business_id", "contacted_on", "channel"),
        (
            Column("business_id", "business"),
            Column("contacted_on", "date", future="future_date"),
            Column("channel", "text"),
            Column("invited", "flag"),
            Column("enrolled", "flag"),
            Column("attended", "flag", required=False),
            Column("workers_enrolled", "int", required=False, min=0),
            # The chance the business had of being invited, where the campaign knew it
            # (a random draw: the draw's share; targeted by a rule: that rule's chance);
            # the uplift model weights contacts by it (planner.scoring.uplift).
            Column("selection_prob", "share", required=False),
        ),
    ),
    "partners": Spec(
        "partners",
        "partners",
        ("partner_id",),
        (
            Column("partner_id", "text"),
            Column("name", "text"),
            Column("type", "choice", choices=PARTNER_TYPES),
            Column("regency_code", "regency"),
            Column("capacity_per_month", "int", min=0, max=1000),
            Column("venue_capacity", "int", min=0, max=100_000),
            Column("cost_per_event", "int", min=0),
            Column("available_weekdays", "weekdays"),
            Column("active", "flag", required=False, default="1"),
            Column("address", "text", required=False),
            Column("contact_name", "text", required=False),
            Column("contact_phone", "text", required=False),
        ),
        keeps_attributes=True,
    ),
    "staff": Spec(
        "staff",
        "staff",
        ("staff_id",),
        (
            Column("staff_id", "text"),
            Column("name", "text"),
            Column("province_code", "province"),
            Column("max_events_per_week", "int", min=0, max=14),
            Column("active", "flag", required=False, default="1"),
            Column("home_regency", "regency", required=False),
            Column("phone", "text", required=False),
        ),
        keeps_attributes=True,
    ),
    # Contributions per business and month, from BPJS Ketenagakerjaan's membership system:
    # what retention (first contribution, still paying three months on) is measured by.
    "payments": Spec(
        "payments",
        "payments",
        ("business_id", "period"),
        (
            Column("business_id", "business"),
            Column("period", "period", future="future_period"),
            Column("paid", "flag"),
            Column("amount", "int", required=False, min=0, max=10_000_000_000, default="0"),
        ),
    ),
    # Registrations recorded after an event (the membership system's new members): each is
    # credited to the event that brought the business in, which closes its lead.
    "registrations": Spec(
        "registrations",
        "registrations",
        ("business_id", "registered_on"),
        (
            Column("business_id", "business"),
            Column("registered_on", "date", future="future_registration"),
            Column("workers_registered", "int", min=1, max=100_000),
            Column("programmes", "programmes"),
            Column("event_id", "event", required=False),
        ),
        fixed=(("source", "import"),),
        keep_stored=("event_id",),
    ),
}
KINDS = tuple(SPECS)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ImportIssue:
    """One problem in a file: where it is, what is wrong, how to fix it."""

    row: int | None  # spreadsheet row (header = 1); None for whole-file problems
    column: str | None
    value: str
    problem: str
    fix: str

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """One line for a person; control characters from the file are shown as \ufffd."""
        return _CONTROL.sub("\ufffd", t(
            "imp.line",
            lang,
            row=self.row if self.row is not None else "–",
            column=self.column or "–",
            value=_clip(self.value),
            problem=self.problem,
            fix=self.fix,
        ))


class ImportFailed(PlannerError):
    """The file was rejected; ``issues`` lists (up to 500 of) its problems, ``total`` all."""

    def __init__(self, kind: str, issues: list[ImportIssue], total: int, lang: str = DEFAULT_LANG) -> None:
        self.kind = kind
        self.issues = issues
        self.total = total
        lines = [i.render(lang) for i in issues[:50]]
        if total > len(lines):
            lines.append(t("imp.errors_more", lang, n=total - len(lines)))
        super().__init__(t("imp.rejected", lang, kind=kind, n=total), details=lines)


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    extra_columns: tuple[str, ...] = field(default_factory=tuple)
    credited: int | None = None  # registrations: how many of the file's are credited to an event


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clip(value: object, n: int = 60) -> str:
    """A value as a message quotes it: one line, at most ``n`` characters, and control
    characters shown as \ufffd (a message is printed to terminals, where an escape
    sequence from a file could rewrite the screen)."""
    s = "" if value is None else str(value)
    s = s.replace("\n", " ").replace("\r", " ")
    s = s if len(s) <= n else s[: n - 1] + "…"
    return _CONTROL.sub("\ufffd", s)


def _mb(size: int) -> str:
    """A byte count as a person reads it: '96,3 MB' (decimal megabytes, like file managers)."""
    return fmt_num(size / 1e6) + " MB"


# --------------------------------------------------------------------------- reading
def _is_xlsx(data: bytes, filename: str | None) -> bool:
    if filename and filename.lower().endswith((".xlsx", ".xlsm")):
        return True
    return data[:4] == b"PK\x03\x04"


def _issue(lang: str, problem: str, row: int | None = None, column: str | None = None, value: object = "", **params) -> ImportIssue:
    return ImportIssue(row, column, _clip(value), t("imp." + problem, lang, **params), t("fix." + problem, lang, **params))


def _fail(kind: str, issues: list[ImportIssue], lang: str) -> ImportFailed:
    return ImportFailed(kind, issues[:MAX_ERRORS_KEPT], len(issues), lang)


def _load(source: str | os.PathLike[str] | bytes | BinaryIO, filename: str | None, kind: str, lang: str) -> tuple[bytes, str | None]:
    """The file's bytes (and its name), refusing one above ``MAX_FILE_BYTES`` before it is
    read: a path by its size on disk, a stream by its length or by reading one byte past
    the limit."""
    if isinstance(source, (str, os.PathLike)):
        filename = filename or str(source)
        try:
            size = Path(source).stat().st_size
            _check_size(size, kind, lang)
            return Path(source).read_bytes(), filename
        except OSError as exc:
            raise PlannerError(t("cli.file_unreadable", lang, file=source, reason=exc.strerror)) from None
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        _check_size(len(data), kind, lang)
        return data, filename
    try:
        if source.seekable():
            here = source.tell()
            _check_size(source.seek(0, io.SEEK_END) - here, kind, lang)
            source.seek(here)
    except (AttributeError, OSError):
        pass  # not every stream can tell its length; reading past the limit still tells
    data = source.read(MAX_FILE_BYTES + 1)
    _check_size(len(data), kind, lang)
    return data, filename


def _check_size(size: int, kind: str, lang: str) -> None:
    if size > MAX_FILE_BYTES:
        raise _fail(kind, [_issue(lang, "file_too_large", size=_mb(size), max=_mb(MAX_FILE_BYTES))], lang)


def _decode(data: bytes, kind: str, lang: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _fail(kind, [_issue(lang, "encoding", row=line, value=data[exc.start : exc.start + 8].hex(" "))], lang) from None


def _sniff_delimiter(header_line: str) -> str:
    """``;`` if the header has more semicolons than commas (Excel in Indonesian locale), else ``,``."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _read_csv(data: bytes, kind: str, lang: str) -> pd.DataFrame:
    text = _decode(data, kind, lang)
    if not text.strip():
        raise _fail(kind, [_issue(lang, "empty_file")], lang)
    first = re.split(r"\r\n|\n|\r", text, maxsplit=1)[0]  # a lone \r also ends a line (old Mac files)
    if not first.strip():
        raise _fail(kind, [_issue(lang, "no_header", row=1)], lang)
    sep = _sniff_delimiter(first)
    try:
        header = next(csv.reader([first], delimiter=sep))
    except csv.Error as exc:
        raise _fail(kind, [_issue(lang, "not_table", row=1, detail=str(exc))], lang) from None
    if len(header) > MAX_COLUMNS:
        raise _fail(kind, [_issue(lang, "too_many_columns", row=1, n=fmt_int(len(header)), max=fmt_int(MAX_COLUMNS))], lang)
    _refuse_header(kind, header, lang)
    try:
        # One spare column catches a row with one cell too many (pandas would otherwise
        # take that row's first cell as an index); more than one raises ParserError.
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                header=None,
                skiprows=1,
                names=range(len(header) + 1),
                index_col=False,
                engine="c",
                skip_blank_lines=False,
                nrows=MAX_ROWS + 1,  # enough to know the file is too long, without reading all of it
            )
    except pd.errors.EmptyDataError:
        raise _fail(kind, [_issue(lang, "no_rows", row=2)], lang) from None
    except pd.errors.ParserWarning:
        second = text.split("\n", 2)[1] if text.count("\n") else ""
        found = len(next(csv.reader([second], delimiter=sep), []))
        raise _fail(kind, [_issue(lang, "field_count", row=2, expected=len(header), found=found)], lang) from None
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            _, line, found = m.groups()
            raise _fail(
                kind,
                [_issue(lang, "field_count", row=int(line), expected=len(header), found=found)],
                lang,
            ) from None
        raise _fail(kind, [_issue(lang, "not_table", detail=_clip(exc, 120))], lang) from None
    spare = df.iloc[:, -1].to_numpy() != ""
    if spare.any():
        row = int(np.flatnonzero(spare)[0])
        raise _fail(kind, [_issue(lang, "field_count", row=row + 2, expected=len(header), found=len(header) + 1)], lang)
    if len(df) > MAX_ROWS:
        raise _fail(kind, [_issue(lang, "too_many_rows", rows="> " + fmt_int(MAX_ROWS), max=fmt_int(MAX_ROWS))], lang)
    df = df.iloc[:, :-1]
    df.columns = header
    return df


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def check_zip(data: bytes, kind: str, lang: str = DEFAULT_LANG, *, max_members: int = MAX_ZIP_MEMBERS,
              max_bytes: int = MAX_UNPACKED_BYTES) -> zipfile.ZipFile:
    """``data`` opened as a zip, once its directory alone shows it is not a zip bomb (an
    XLSX is a zip; so is an ODK Central submissions export): at most ``max_members``
    members declaring at most ``max_bytes`` unpacked together, none compressed absurdly.

    Python's zip reader never inflates more of a member than the size the directory
    declares for it (a member that holds more fails its CRC check), so the declared sizes
    bound the work a reader can be made to do. The end record is read first: zipfile
    builds one object per directory entry, and a directory of millions would cost seconds
    and gigabytes before the entries could be counted."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end >= 0 and len(data) - end >= 22:
        entries, directory_size = struct.unpack_from("<HL", data, end + 10)
        if entries > max_members or directory_size > max_members * 1_000:
            n = entries if entries != 0xFFFF else directory_size // 46  # 46 bytes: the smallest entry
            raise _fail(kind, [_issue(lang, "zip_members", n=fmt_int(max(n, max_members + 1)), max=fmt_int(max_members))], lang)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error) as exc:
        raise _fail(kind, [_issue(lang, "not_table", detail=_clip(f"{type(exc).__name__}: {exc}", 120))], lang) from None
    if len(members) > max_members:
        raise _fail(kind, [_issue(lang, "zip_members", n=fmt_int(len(members)), max=fmt_int(max_members))], lang)
    total = sum(m.file_size for m in members)
    if total > max_bytes:
        raise _fail(kind, [_issue(lang, "zip_too_large", size=_mb(total), max=_mb(max_bytes))], lang)
    for m in members:
        if m.file_size > ZIP_RATIO_FROM and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            ratio = fmt_int(m.file_size / max(m.compress_size, 1))
            raise _fail(kind, [_issue(lang, "zip_ratio", value=m.filename, member=_clip(m.filename), ratio=ratio, max=MAX_ZIP_RATIO)], lang)
    return zf


def sheet_names(data: bytes, kind: str, lang: str = DEFAULT_LANG) -> list[str]:
    """The worksheet names of an XLSX, in order (after the same zip checks as reading it)."""
    from openpyxl import load_workbook

    check_zip(data, kind, lang).close()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _fail(kind, [_issue(lang, "not_table", detail=_clip(f"{type(exc).__name__}: {exc}", 120))], lang) from None
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _sheet_rows(wb, ws) -> Iterator[tuple[int, dict[int, str]]]:
    """Each row of the sheet that holds a value, as ``(row number, {column: text})``, in
    the order the sheet's XML stores them.

    openpyxl's own ``iter_rows`` pads every row to the sheet's declared ``dimension`` and
    yields a filler row for every row number skipped, so a 2 KB sheet that claims
    ``A1:XFD1048576`` makes it produce 17 billion cells. Its sheet parser, used here
    directly, yields only the rows and cells the XML holds."""
    from openpyxl.worksheet._reader import WorkSheetParser

    with wb._archive.open(ws._worksheet_path) as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for number, cells in parser.parse():
            values: dict[int, str] = {}
            for cell in cells:
                if cell["value"] is not None:
                    text = _cell_text(cell["value"])
                    if text.strip():
                        values[cell["column"]] = text
            if values:
                yield number, values


def _read_xlsx(data: bytes, kind: str, lang: str, sheet: int | str = 0) -> pd.DataFrame:
    """A sheet (the first, or ``sheet`` by index or name) as a frame of strings, indexed
    by spreadsheet row number minus 2 (so messages name the row a spreadsheet shows);
    blank rows are skipped."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    check_zip(data, kind, lang).close()

    def damaged(exc: BaseException) -> ImportFailed:  # openpyxl raises many types for a damaged file
        return _fail(kind, [_issue(lang, "not_table", detail=_clip(f"{type(exc).__name__}: {exc}", 120))], lang)

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise damaged(exc) from None
    header: list[str] | None = None
    columns: list[list[str]] = []
    index: list[int] = []
    try:
        if not wb.worksheets:
            raise _fail(kind, [_issue(lang, "empty_file")], lang)
        try:
            ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
        except (IndexError, KeyError):
            raise _fail(kind, [_issue(lang, "not_table", detail=_clip(f"sheet {sheet!r}", 120))], lang) from None
        previous = 0
        for number, values in _sheet_rows(wb, ws):
            if number <= previous:
                raise _fail(kind, [_issue(lang, "xlsx_row_order", row=number, number=number, previous=previous)], lang)
            previous = number
            far = max(values)
            if far > MAX_COLUMNS:
                letter = get_column_letter(min(far, 18_278))  # openpyxl names columns up to ZZZ
                raise _fail(kind, [_issue(lang, "xlsx_far_column", row=number, column=letter, value=values[far],
                                          n=fmt_int(far), max=fmt_int(MAX_COLUMNS))], lang)
            if number > MAX_ROWS + 1:
                raise _fail(kind, [_issue(lang, "xlsx_far_row", row=number, value=next(iter(values.values())),
                                          n=fmt_int(number), max=fmt_int(MAX_ROWS + 1))], lang)
            if header is None:
                if number != 1:
                    raise _fail(kind, [_issue(lang, "no_header", row=1)], lang)
                header = [values.get(c, "") for c in range(1, far + 1)]
                _refuse_header(kind, header, lang)
                columns = [[] for _ in header]
                continue
            if far > len(header):
                raise _fail(kind, [_issue(lang, "blank_column", row=number, column=f"#{far}", value=values[far])], lang)
            for c, cells in enumerate(columns, start=1):
                cells.append(values.get(c, ""))
            index.append(number - 2)
    except PlannerError:
        raise
    except Exception as exc:
        raise damaged(exc) from None
    finally:
        wb.close()
    if header is None:
        raise _fail(kind, [_issue(lang, "empty_file")], lang)
    df = pd.DataFrame(dict(enumerate(columns)), index=pd.Index(index, dtype="int64"), columns=range(len(header)), dtype=str)
    df.columns = header
    return df


def read_table(source: str | os.PathLike[str] | bytes | BinaryIO, kind: str, *, filename: str | None = None, lang: str = DEFAULT_LANG,
               sheet: int | str = 0) -> pd.DataFrame:
    """Read a CSV or XLSX into a DataFrame of strings (header as given, no validation);
    of an XLSX its first worksheet, or ``sheet`` (an index or a name).

    The index is each row's spreadsheet row number minus 2 (the header is row 1), so
    ``index + 2`` names the row in messages even after blank rows are skipped."""
    data, filename = _load(source, filename, kind, lang)
    if not data or not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise _fail(kind, [_issue(lang, "empty_file")], lang)
    df = _read_xlsx(data, kind, lang, sheet) if _is_xlsx(data, filename) else _read_csv(data, kind, lang)
    # Drop rows blank in every cell (trailing lines from spreadsheets); the index keeps
    # each row's position in the file, so error row numbers stay right.
    if len(df) and df.shape[1]:
        mask = np.ones(len(df), dtype=bool)
        for c in range(df.shape[1]):
            mask &= df.iloc[:, c].fillna("").str.strip().str.len().to_numpy() == 0
            if not mask.any():  # a row with any non-blank cell so far stays
                break
        if mask.any():
            df = df.loc[~mask]
    return df


# --------------------------------------------------------------------------- validation
class _Collector:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.issues: list[ImportIssue] = []
        self.total = 0

    def add_mask(self, df: pd.DataFrame, mask: np.ndarray, colname: str, problem: str, values: pd.Series | None = None, **params) -> None:
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        self.total += len(idx)
        room = MAX_ERRORS_KEPT - len(self.issues)
        if room <= 0:
            return
        vals = (values if values is not None else df[colname]).to_numpy()
        rows = df["__row"].to_numpy()
        for i in idx[:room]:
            self.issues.append(
                ImportIssue(int(rows[i]), colname, _clip(vals[i]), t("imp." + problem, self.lang, **params), t("fix." + problem, self.lang, **params))
            )

    def add(self, issue: ImportIssue) -> None:
        self.total += 1
        if len(self.issues) < MAX_ERRORS_KEPT:
            self.issues.append(issue)


# Digits are 0-9 only: ``\d`` also matches every other script's digits (fullwidth ２,
# Arabic-Indic ٢, …), which Python's int() then reads as numbers.
_INT_RE = r"^[+-]?[0-9]+$"
_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# A month: YYYY-MM, or the first of it as a spreadsheet turns "2026-03" into a date.
_PERIOD_RE = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])(-01)?$"


def _wide(s: pd.Series, bad: np.ndarray) -> np.ndarray:
    """Which of the ``bad`` cells hold a digit other than 0-9. They get their own message:
    '２０２４' (typed with a fullwidth or Japanese/Chinese input method) looks like a number
    to whoever typed it. Only the bad cells are looked at, so a clean file pays nothing."""
    wide = np.zeros(len(s), dtype=bool)
    if bad.any():
        wide[bad] = s[bad].map(lambda v: any(ch.isdecimal() and not "0" <= ch <= "9" for ch in v)).to_numpy(dtype=bool)
    return wide


def _name_problem(name: str) -> str | None:
    """Why an extra column's name cannot be kept (it becomes an attribute key and is shown
    on pages and printed by the CLI), or ``None``."""
    if len(name) > MAX_COLUMN_NAME:
        return "column_name_long"
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        return "column_name_control"
    return None


def _normalise_header(names) -> list[str]:
    return [str(h).strip().lstrip("\ufeff").strip().lower() for h in names]


def _header_issues(spec: Spec, norm: list[str], lang: str) -> list[ImportIssue]:
    """What is wrong with a (normalised) header on its own: repeated or missing columns,
    extra columns' names and number. Checked again by the readers as soon as the header
    is read, so a file with a hopeless header is refused before its body is parsed."""
    issues: list[ImportIssue] = []
    seen: dict[str, int] = {}
    for h in norm:
        seen[h] = seen.get(h, 0) + 1
    for h, n in seen.items():
        if n > 1 and h:
            issues.append(ImportIssue(1, h, h, t("imp.duplicate_column", lang), t("fix.duplicate_column", lang, column=h)))
    for name in spec.required_names:
        if name not in seen:
            issues.append(ImportIssue(1, name, "", t("imp.missing_column", lang), t("fix.missing_column", lang, column=name)))
    known = set(spec.names)
    extra = [h for h in seen if h and h not in known]
    for h in extra:
        problem = _name_problem(h)
        if problem:
            issues.append(_issue(lang, problem, row=1, column=h, value=h, length=fmt_int(len(h)), max=MAX_COLUMN_NAME))
    if spec.keeps_attributes and len(extra) > MAX_EXTRA_COLUMNS:
        issues.append(_issue(lang, "too_many_extras", row=1, value=", ".join(extra), n=fmt_int(len(extra)), max=MAX_EXTRA_COLUMNS))
    return issues


def _refuse_header(kind: str, header: list[str], lang: str) -> None:
    """Raise at once if the header alone is wrong (see ``_header_issues``)."""
    if kind in SPECS:
        issues = _header_issues(SPECS[kind], _normalise_header(header), lang)
        if issues:
            raise _fail(kind, issues, lang)


def _to_int(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values, ok) for a column of strings; blanks are not ok."""
    ok = s.str.fullmatch(_INT_RE).to_numpy(dtype=bool, copy=True) & (s.str.len().to_numpy() <= 15)
    vals = np.zeros(len(s), dtype=np.int64)
    if ok.any():
        vals[ok] = s[ok].astype(np.int64).to_numpy()
    return vals, ok


def _is_in(values: pd.Series, allowed: pd.Series) -> np.ndarray:
    """``values.isin(allowed)`` for text, hashed in Arrow: pandas' own ``isin`` on Arrow
    strings converts ``allowed`` one value at a time (5 s for a million keys, inside the
    import's write transaction; 0,5 s this way)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.is_in(pa.array(values.to_numpy(dtype=object), type=pa.string()),
                    value_set=pa.array(allowed.to_numpy(dtype=object), type=pa.string())).to_numpy(zero_copy_only=False)


def _known_keys(db: sqlite_utils.Database, table: str, key: str, s: pd.Series) -> np.ndarray:
    """Which values of ``s`` are keys of ``table``: the file's distinct values looked up by
    key (a query per 100.000), not the whole table read. Reading every business id and
    matching through pandas took about 0,1 s per 20.000 businesses stored, whatever the
    file's size: a 100-row file against a million businesses spent seconds on it."""
    values = s.to_numpy(dtype=object)
    distinct = pd.unique(values)
    found: set[str] = set()
    for i in range(0, len(distinct), 100_000):
        part = json.dumps([str(v) for v in distinct[i:i + 100_000]])
        found.update(r[0] for r in db.execute(f"SELECT {key} FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))", [part]))
    return np.fromiter((v in found for v in values), dtype=bool, count=len(values))


def _validate(db: sqlite_utils.Database, spec: Spec, df: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str], _Collector]:
    col = _Collector(lang)
    # ---- header
    norm = _normalise_header(df.columns)
    seen = set(norm)
    for issue in _header_issues(spec, norm, lang):
        col.add(issue)
    df = df.copy()
    df.columns = norm
    if "" in seen:
        blank_cols = [i for i, h in enumerate(norm) if h == ""]
        for i in blank_cols:
            if (df.iloc[:, i].str.strip() != "").any():
                col.add(ImportIssue(1, f"#{i + 1}", "", t("imp.blank_column", lang), t("fix.blank_column", lang)))
    if col.total:
        return df, [], col
    if "" in seen:
        df = df.loc[:, [h != "" for h in df.columns]]
    if len(df) == 0:
        col.add(_issue(lang, "no_rows", row=2))
        return df, [], col
    if len(df) > MAX_ROWS:
        col.add(_issue(lang, "too_many_rows", rows=fmt_int(len(df)), max=fmt_int(MAX_ROWS)))
        return df, [], col

    df["__row"] = df.index.to_numpy() + 2
    out: dict[str, object] = {}
    known = set(spec.names)
    extras = [h for h in df.columns if h not in known and h != "__row"]

    lookups: dict[str, set[str]] = {}

    def lookup(sql: str) -> set[str]:
        if sql not in lookups:
            lookups[sql] = {r[0] for r in db.execute(sql).fetchall()}
        return lookups[sql]

    for c in spec.columns:
        if c.name not in df.columns:
            out[c.name] = None
            continue
        s = df[c.name].str.strip()
        if c.default is not None:
            s = s.where(s != "", c.default)
        blank = (s == "").to_numpy()
        if c.required:
            col.add_mask(df, blank, c.name, "required", s, column=c.name)
        present = ~blank
        if c.kind == "text":
            lengths = s.str.len().to_numpy()
            col.add_mask(df, present & (lengths > MAX_TEXT), c.name, "too_long", s, length=int(lengths.max()) if len(lengths) else 0, max=MAX_TEXT)
            out[c.name] = s.where(present, None)
        elif c.kind == "int":
            vals, ok = _to_int(s)
            wide = _wide(s, present & ~ok)
            col.add_mask(df, present & ~ok & ~wide, c.name, "not_int", s)
            col.add_mask(df, wide, c.name, "wide_digits", s)
            if c.min is not None:
                col.add_mask(df, present & ok & (vals < c.min), c.name, "below_min", s, min=c.min)
            if c.max is not None:
                col.add_mask(df, present & ok & (vals > c.max), c.name, "above_max", s, max=c.max)
            if c.future:
                year = _this_year()
                col.add_mask(df, present & ok & (vals > year), c.name, c.future, s, year=year)
            out[c.name] = pd.Series(vals, dtype="int64").astype(object).where(present, None).to_numpy() if not present.all() else vals
        elif c.kind == "share":
            nums = pd.to_numeric(s.str.replace(",", ".", regex=False), errors="coerce").to_numpy(dtype=float)
            bad = present & ~((nums >= 0) & (nums <= 1))
            wide = _wide(s, bad)
            col.add_mask(df, bad & ~wide, c.name, "not_share", s)
            col.add_mask(df, wide, c.name, "wide_digits", s)
            out[c.name] = np.where(present, nums, np.nan)
        elif c.kind == "flag":
            bad = present & ~s.isin(["0", "1"]).to_numpy()
            col.add_mask(df, bad, c.name, "not_flag", s)
            vals = (s == "1").to_numpy().astype(np.int64)
            out[c.name] = vals if present.all() else pd.Series(vals).astype(object).where(present, None).to_numpy()
        elif c.kind == "date":
            shaped = s.str.fullmatch(_DATE_RE).to_numpy(dtype=bool)
            parsed = pd.to_datetime(s.where(shaped, None), format="%Y-%m-%d", errors="coerce")
            bad = present & (~shaped | parsed.isna().to_numpy())
            wide = _wide(s, bad)
            col.add_mask(df, bad & ~wide, c.name, "not_date", s)
            col.add_mask(df, wide, c.name, "wide_digits", s)
            out[c.name] = s.where(present, None)
            if c.future:
                today = dt.date.today().isoformat()
                col.add_mask(df, present & ~bad & (s > today).to_numpy(), c.name, c.future, s, today=today)
        elif c.kind == "period":
            shaped = s.str.fullmatch(_PERIOD_RE).to_numpy(dtype=bool)
            bad = present & ~shaped
            wide = _wide(s, bad)
            col.add_mask(df, bad & ~wide, c.name, "not_period", s)
            col.add_mask(df, wide, c.name, "wide_digits", s)
            month = s.str.slice(0, 7)
            out[c.name] = month.where(present, None)
            if c.future:
                now = dt.date.today().strftime("%Y-%m")
                col.add_mask(df, present & ~bad & (month > now).to_numpy(), c.name, c.future, s, month=now)
        elif c.kind == "programmes":
            # Parsed once per distinct text (a file holds a handful: JKK;JKM, JKK;JHT;JKM, ...).
            codes, uniques = pd.factorize(s)
            parsed = [parse_programmes(u) for u in uniques]
            canon = np.array([";".join(known) for known, _ in parsed] or [""], dtype=object)[codes]
            unknown = np.array([", ".join(u) for _, u in parsed] or [""], dtype=object)[codes]
            bad = present & (unknown != "")
            for text in sorted(set(unknown[bad])):
                col.add_mask(df, bad & (unknown == text), c.name, "programme_unknown", s, unknown=text, choices=", ".join(PROGRAMMES))
            out[c.name] = pd.Series(canon, index=df.index).where(present & ~bad, None)
        elif c.kind == "choice":
            low = s.str.upper() if c.choices == SEGMENTS else s.str.lower()
            bad = present & ~low.isin(c.choices).to_numpy()
            col.add_mask(df, bad, c.name, "not_choice", s, choices=", ".join(c.choices))
            out[c.name] = low
        elif c.kind == "regency":
            # Accept the compact form 1671 for 16.71.
            fixed = s.where(~s.str.fullmatch(r"[0-9]{4}"), s.str[:2] + "." + s.str[2:])
            bad = present & ~fixed.isin(lookup("SELECT code FROM regencies")).to_numpy()
            wide = _wide(s, bad)
            col.add_mask(df, bad & ~wide, c.name, "unknown_regency", s)
            col.add_mask(df, wide, c.name, "wide_digits", s)
            out[c.name] = fixed
        elif c.kind == "province":
            bad = present & ~s.isin(lookup("SELECT code FROM provinces")).to_numpy()
            wide = _wide(s, bad)
            col.add_mask(df, bad & ~wide, c.name, "unknown_province", s)
            col.add_mask(df, wide, c.name, "wide_digits", s)
            out[c.name] = s
        elif c.kind == "sector":
            up = s.str.upper()
            bad = present & ~up.isin(lookup("SELECT code FROM sectors")).to_numpy()
            col.add_mask(df, bad, c.name, "unknown_sector", s)
            out[c.name] = up
        elif c.kind == "business":
            bad = present & ~_known_keys(db, "businesses", "business_id", s)
            col.add_mask(df, bad, c.name, "unknown_business", s)
            out[c.name] = s
        elif c.kind == "event":
            bad = present & ~_known_keys(db, "events", "event_id", s)
            col.add_mask(df, bad, c.name, "unknown_event", s)
            out[c.name] = s
        elif c.kind == "weekdays":
            norm_days = s.str.replace(r"[\s,|/]+", ";", regex=True).str.strip(";")
            bad = present & ~norm_days.str.fullmatch(r"[1-7](;[1-7])*").to_numpy(dtype=bool)
            wide = _wide(s, bad)
            col.add_mask(df, bad & ~wide, c.name, "not_weekdays", s)
            col.add_mask(df, wide, c.name, "wide_digits", s)
            out[c.name] = norm_days.map(lambda v: ";".join(sorted(set(v.split(";")), key=int)) if v and re.fullmatch(r"[1-7](;[1-7])*", v) else v)
        else:  # pragma: no cover - a spec typo
            raise AssertionError(c.kind)
        if not c.required and isinstance(out[c.name], pd.Series) and not present.all():
            # A blank optional cell is stored as NULL, never as '' (which a column that
            # references another table, like home_regency, would refuse mid-write).
            out[c.name] = out[c.name].where(present, None)

    # ---- keys and cross-field rules
    if all(k in df.columns for k in spec.key):
        key_frame = pd.DataFrame({k: out[k] if isinstance(out[k], pd.Series) else pd.Series(out[k]) for k in spec.key})
        key_frame.index = df.index
        # Blank keys are already reported as missing values; only whole keys can repeat.
        complete = key_frame.notna().all(axis=1).to_numpy()
        dup = key_frame.duplicated(keep="first").to_numpy() & complete
        if dup.any():
            first_rows = key_frame.assign(__row=df["__row"].to_numpy()).groupby(list(spec.key), sort=False, dropna=False)["__row"].transform("first").to_numpy()
            idx = np.flatnonzero(dup)
            keyname = " + ".join(spec.key)
            for i in idx:
                col.add(ImportIssue(int(df["__row"].iloc[i]), keyname, " / ".join(str(key_frame.iloc[i][k]) for k in spec.key), t("imp.duplicate_key", lang, first=int(first_rows[i])), t("fix.duplicate_key", lang, key=keyname)))
                if len(col.issues) >= MAX_ERRORS_KEPT:
                    col.total += len(idx) - 1 - int(np.searchsorted(idx, i))
                    break
    if spec.kind == "potentials" and "covered_workers" in df.columns and "eligible_workers" in df.columns:
        cov, okc = _to_int(df["covered_workers"].str.strip())
        eli, oke = _to_int(df["eligible_workers"].str.strip())
        col.add_mask(df, okc & oke & (cov > eli), "covered_workers", "covered_gt_eligible")
    if spec.kind == "contacts" and "workers_enrolled" in df.columns:
        we, okw = _to_int(df["workers_enrolled"].str.strip())
        enr = (df["enrolled"].str.strip() == "0").to_numpy()
        col.add_mask(df, okw & (we > 0) & enr, "workers_enrolled", "workers_not_enrolled")

    if spec.kind == "payments" and "amount" in df.columns:
        amount, oka = _to_int(df["amount"].str.strip())
        unpaid = (df["paid"].str.strip() == "0").to_numpy()
        col.add_mask(df, oka & (amount > 0) & unpaid, "amount", "amount_not_paid")
    if spec.kind == "registrations":
        _check_registrations(db, df, out, col)

    if spec.kind == "staff" and "home_regency" in df.columns and "province_code" in df.columns:
        home = pd.Series(out["home_regency"], index=df.index).fillna("").astype(str)
        prov = pd.Series(out["province_code"], index=df.index).fillna("").astype(str)
        known = home.isin(lookup("SELECT code FROM regencies")).to_numpy()
        col.add_mask(df, known & (home.str[:2] != prov).to_numpy(), "home_regency", "home_outside_province", home)

    if spec.keeps_attributes:
        for name in extras:
            raw = df[name]
            long = (raw.str.len() > MAX_ATTRIBUTE_CHARS).to_numpy(dtype=bool)
            if long.any():  # rare: only then strip the column and measure again
                stripped = raw.str.strip()
                long = long & (stripped.str.len() > MAX_ATTRIBUTE_CHARS).to_numpy(dtype=bool)
                if long.any():
                    col.add_mask(df, long, name, "attribute_long", stripped,
                                 length=fmt_int(int(stripped.str.len().max())), max=fmt_int(MAX_ATTRIBUTE_CHARS))

    clean = pd.DataFrame({k: v for k, v in out.items()}, index=df.index) if not col.total else df
    if extras and not col.total:
        clean["attributes"] = _attributes_json(df[extras]) if spec.keeps_attributes else None
    return clean, extras, col


def _business_facts(db: sqlite_utils.Database, ids: pd.Series) -> pd.DataFrame:
    """``size_class`` and ``workers`` of the businesses ``ids`` name, indexed like ``ids``
    (through a temporary key table: a file may name a million businesses)."""
    distinct = ids.drop_duplicates()
    db.execute("DROP TABLE IF EXISTS temp._import_ids")
    db.execute("CREATE TEMP TABLE _import_ids (business_id TEXT PRIMARY KEY)")
    db.conn.executemany("INSERT INTO temp._import_ids VALUES (?)", ((v,) for v in distinct))
    cur = db.execute("SELECT b.business_id, b.size_class, b.workers FROM businesses b JOIN temp._import_ids k USING (business_id)")
    facts = pd.DataFrame(cur.fetchall(), columns=["business_id", "size_class", "workers"]).set_index("business_id")
    db.execute("DROP TABLE temp._import_ids")
    return facts.reindex(ids.to_numpy()).set_axis(ids.index)


def _check_registrations(db: sqlite_utils.Database, df: pd.DataFrame, out: dict, col: _Collector) -> None:
    """A registration follows the same rules as one recorded in an event report: no more
    workers than the business has, the programmes its size class requires (Perpres
    109/2013) and no JP for a one-person (BPU) business; and it cannot be credited to an
    event held after it. Each message names what is missing for which kind of business.
    Rows whose own cells are wrong are left to those cells' messages."""
    from planner.vocabulary import excluded_programmes, mandatory_programmes

    facts = _business_facts(db, df["business_id"].str.strip())
    known = facts["workers"].notna().to_numpy()
    workers = facts["workers"].fillna(0).astype(np.int64).to_numpy()
    wr, ok_wr = _to_int(df["workers_registered"].str.strip())
    over = known & ok_wr & (wr >= 1) & (wr > workers)
    for n in sorted(set(workers[over].tolist())):
        col.add_mask(df, over & (workers == n), "workers_registered", "workers_registered_max", workers=fmt_int(n))
    progs = pd.Series(out["programmes"], index=df.index)
    checkable = known & progs.notna().to_numpy()
    bpu = workers <= 1
    groups = pd.DataFrame({"p": progs.fillna("").astype(str).to_numpy(), "size": facts["size_class"].fillna("").to_numpy(), "bpu": bpu})
    for (text, size, is_bpu), rows in groups[checkable].groupby(["p", "size", "bpu"], sort=True).indices.items():
        mask = np.zeros(len(df), dtype=bool)
        mask[np.flatnonzero(checkable)[rows]] = True
        have = set(text.split(";")) - {""}
        need = mandatory_programmes(size, 1 if is_bpu else 2)
        lacking = [p for p in need if p not in have]
        if lacking:
            who = t(f"rep.who.{'bpu' if is_bpu else size}", col.lang)
            col.add_mask(df, mask, "programmes", "programme_mandatory", df["programmes"], who=who, lacking=", ".join(lacking), need=";".join(need))
        if [p for p in excluded_programmes(1 if is_bpu else 2) if p in have]:
            col.add_mask(df, mask, "programmes", "programme_bpu_jp", df["programmes"])
    if "event_id" not in df.columns:
        return
    events = df["event_id"].str.strip()
    dates = dict(db.execute("SELECT event_id, event_date FROM events WHERE event_id IN (SELECT value FROM json_each(?))",
                            [json.dumps(sorted(set(events[events != ""])))]).fetchall())
    held = events.map(dates)
    reg = df["registered_on"].str.strip()
    valid = reg.str.fullmatch(_DATE_RE).fillna(False).to_numpy(dtype=bool, copy=True)
    valid &= pd.to_datetime(reg.where(valid, None), format="%Y-%m-%d", errors="coerce").notna().to_numpy()
    early = valid & held.notna().to_numpy() & (reg < held.fillna("")).to_numpy()
    pairs = pd.DataFrame({"e": events.to_numpy(), "d": held.fillna("").to_numpy()})[early]
    for (eid, date), rows in pairs.groupby(["e", "d"], sort=True).indices.items():
        mask = np.zeros(len(df), dtype=bool)
        mask[np.flatnonzero(early)[rows]] = True
        col.add_mask(df, mask, "registered_on", "registered_before_event", event=eid, date=date)


def _attributes_json(extra: pd.DataFrame) -> pd.Series:
    """Extra columns as one JSON object per row; numeric-looking columns are stored as numbers.

    The same text, value for value, as ``json.dumps`` of each cell joined into
    ``{"name": value, ...}`` (``_attributes_json_cells``, which frames with missing cells
    still use), built faster: a numeric column's distinct values are parsed and encoded
    once (a million rows hold a few thousand distinct ages or distances), text goes
    through the json module's C string encoder, and a row is one ``%`` format."""
    stripped = {name: extra[name].str.strip() for name in extra.columns}
    if any(s.isna().any() for s in stripped.values()):  # never from a file: a short row reads as blanks
        return _attributes_json_cells(extra)
    encoded: list[np.ndarray] = []
    for s in stripped.values():
        blank = (s == "").to_numpy()
        # Codes with a leading zero (phone numbers, postcodes) stay text; otherwise a
        # column whose every filled cell is a number is stored as numbers. The first
        # cells usually settle it for a text column without parsing the rest.
        numeric = not s.str.match(r"^[+-]?0[0-9]").any()
        if numeric:
            probe = s.iloc[:1000]
            numeric = bool((pd.to_numeric(probe.where(probe != "", None), errors="coerce").notna() | (probe == "")).all())
        if numeric:
            codes, uniques = pd.factorize(s)
            distinct = pd.Series(uniques, dtype=s.dtype)
            distinct_blank = distinct == ""
            nums = pd.to_numeric(distinct.where(~distinct_blank, None), errors="coerce")
            numeric = bool(((nums.notna() & np.isfinite(nums.astype(float))) | distinct_blank).all())
        if numeric:
            table = ["null" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v))) for v in nums]
            enc = np.array(table, dtype=object)[codes]
        else:
            enc = np.array([_json_str(v) for v in s.to_numpy(dtype=object)], dtype=object)
            enc[blank] = "null"
        encoded.append(enc)
    template = "{" + ", ".join(json.dumps(str(name)).replace("%", "%%") + ": %s" for name in extra.columns) + "}"
    # Object dtype: the column is only turned back into Python strings for the write.
    return pd.Series([template % row for row in zip(*encoded)], index=extra.index, dtype=object)


# What ``json.dumps`` returns for a str (with its default ensure_ascii=True).
_json_str = json.encoder.encode_basestring_ascii


def _attributes_json_cells(extra: pd.DataFrame) -> pd.Series:
    """``_attributes_json`` cell by cell, for frames with missing cells (which files never
    produce: a short row reads as blanks)."""
    parts: list[pd.Series] = []
    for name in extra.columns:
        s = extra[name].str.strip()
        blank = s == ""
        nums = pd.to_numeric(s.where(~blank, None), errors="coerce")
        finite = nums.notna() & np.isfinite(nums.astype(float))
        if (finite | blank).all() and not s.str.match(r"^[+-]?0[0-9]").any():
            enc = nums.map(lambda v: "null" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v))))
        else:
            enc = s.map(json.dumps).where(~blank, "null")
        parts.append(json.dumps(str(name)) + ": " + enc)
    joined = parts[0]
    for p in parts[1:]:
        joined = joined + ", " + p
    return "{" + joined + "}"


# --------------------------------------------------------------------------- writing
def _rows(clean: pd.DataFrame, cols: list[str]) -> Iterator[tuple]:
    """The rows to write as tuples of Python values, missing values as ``None``.

    Built column by column (far cheaper than casting the frame and iterating rows) and
    streamed in chunks to ``executemany``, so only one chunk of Python objects is alive
    at a time instead of a million tuples."""
    for start in range(0, len(clean), _WRITE_CHUNK):
        part = clean.iloc[start : start + _WRITE_CHUNK]
        columns = []
        for c in cols:
            s = part[c]
            values = s.to_numpy(dtype=object)
            if not (isinstance(s.dtype, np.dtype) and s.dtype.kind in "iub"):  # numpy ints/bools cannot be missing
                missing = s.isna().to_numpy()
                if missing.any():
                    values = values.copy()  # may be a read-only view of the frame
                    values[missing] = None
            columns.append(values)
        yield from zip(*columns)


def _insert_sql(spec: Spec, cols: list[str]) -> str:
    return f"INSERT INTO {spec.table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"


def _upsert_sql(spec: Spec, cols: list[str]) -> str:
    fixed = {name for name, _ in spec.fixed}
    updates = [c for c in cols if c not in spec.key and c not in fixed]
    changed = " OR ".join(f"(excluded.{c} IS NOT NULL AND {c} IS NOT excluded.{c})" if c in spec.keep_stored else f"{c} IS NOT excluded.{c}"
                          for c in updates)
    set_clause = ", ".join(f"{c} = COALESCE(excluded.{c}, {c})" if c in spec.keep_stored else f"{c} = excluded.{c}" for c in updates)
    return (
        f"INSERT INTO {spec.table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
        f"ON CONFLICT({', '.join(spec.key)}) DO UPDATE SET {set_clause} WHERE {changed}"
    )


def _count(db: sqlite_utils.Database, spec: Spec) -> int:
    """Rows stored in the import's table. An upsert never deletes, so within the write
    transaction the growth of this count is exactly the number of inserted rows (the
    file's keys are unique), and the rest of the file's rows were already stored."""
    return db.execute(f"SELECT COUNT(*) FROM {spec.table}").fetchone()[0]


def validate_frame(db: sqlite_utils.Database, kind: str, df: pd.DataFrame, *, lang: str = DEFAULT_LANG) -> tuple[pd.DataFrame, list[str]]:
    """Check a frame of strings; returns the typed rows and the extra columns, or raises
    ``ImportFailed`` listing every problem."""
    spec = _spec(kind, lang)
    clean, extras, col = _validate(db, spec, df, lang)
    if col.total:
        issues = sorted(col.issues, key=lambda i: (i.row or 0, spec.names.index(i.column) if i.column in spec.names else 99))
        raise ImportFailed(kind, issues, col.total, lang)
    return clean, extras


def _spec(kind: str, lang: str) -> Spec:
    if kind not in SPECS:
        raise PlannerError(
            t("imp.unknown_kind", lang, kind=kind) + ". " + t("fix.unknown_kind", lang, choices=", ".join(KINDS))
        )
    return SPECS[kind]


def import_file(
    db: sqlite_utils.Database,
    kind: str,
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    actor: User,
    filename: str | None = None,
    lang: str = DEFAULT_LANG,
    after_write: Callable[[sqlite_utils.Database], None] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ImportResult:
    """Validate the whole file, check that ``actor`` may write every row of it, then
    upsert it in one transaction together with its audit entries. Raises
    ``ImportFailed`` or ``AccessDenied`` (nothing written) otherwise. ``progress(fraction,
    step)`` hears of each step (``read``, ``check``, ``write``)."""
    require(actor, "admin", "manager", "staff", lang=lang)
    _spec(kind, lang)
    source, filename = _load(source, filename, kind, lang)
    digest = hashlib.sha256(source).hexdigest()
    if progress:
        progress(0.1, "read")
    df = read_table(source, kind, filename=filename, lang=lang)
    return _import_df(db, kind, df, actor=actor, filename=filename, digest=digest, lang=lang, after_write=after_write, progress=progress)


STAFF_KINDS = ("businesses", "contacts", "partners", "payments", "registrations")
# Kinds whose rows belong to a business, and so to the business's province.
BUSINESS_KINDS = ("contacts", "payments", "registrations")
NEW_KEYS_LISTED = 10_000  # new rows listed by key in the import's audit entry, up to this many


# How each kind's rows reach a province, for the counts staff see.
_PROVINCE_OF = {
    "potentials": "FROM potentials t JOIN regencies r ON r.code = t.regency_code WHERE r.province_code IN ({q})",
    "businesses": "FROM businesses t JOIN regencies r ON r.code = t.regency_code WHERE r.province_code IN ({q})",
    "contacts": "FROM contacts t JOIN businesses b ON b.business_id = t.business_id JOIN regencies r ON r.code = b.regency_code "
                "WHERE r.province_code IN ({q})",
    "partners": "FROM partners t JOIN regencies r ON r.code = t.regency_code WHERE r.province_code IN ({q})",
    "staff": "FROM staff t WHERE t.province_code IN ({q})",
    "payments": "FROM payments t JOIN businesses b ON b.business_id = t.business_id JOIN regencies r ON r.code = b.regency_code "
                "WHERE r.province_code IN ({q})",
    "registrations": "FROM registrations t JOIN businesses b ON b.business_id = t.business_id JOIN regencies r ON r.code = b.regency_code "
                     "WHERE r.province_code IN ({q})",
}


def stored_counts(db: sqlite_utils.Database, actor: User) -> dict[str, int]:
    """Rows stored per kind: everything for managers, admins and leadership; for staff,
    the rows of their own provinces."""
    if actor.role != "staff":
        return {k: db.execute(f"SELECT COUNT(*) FROM {SPECS[k].table}").fetchone()[0] for k in KINDS}
    provinces = list(actor.provinces)
    q = ", ".join("?" * len(provinces))
    return {k: db.execute("SELECT COUNT(*) " + _PROVINCE_OF[k].format(q=q), provinces).fetchone()[0] for k in KINDS}


def import_history(db: sqlite_utils.Database, actor: User, limit: int = 20) -> pd.DataFrame:
    """The latest imports, newest first: all of them, or for staff their own."""
    where, params = ("WHERE actor = ?", [actor.username]) if actor.role == "staff" else ("", [])
    return pd.DataFrame(
        db.execute(f"SELECT imported_at, actor, kind, filename, rows, inserted, updated, unchanged FROM import_runs {where} "
                   f"ORDER BY id DESC LIMIT {int(limit)}", params).fetchall(),
        columns=["imported_at", "actor", "kind", "filename", "rows", "inserted", "updated", "unchanged"],
    )


def allowed_kinds(user: User) -> tuple[str, ...]:
    """What ``user`` may import: managers and admins everything; staff the data of their
    own region (businesses, contacts, partners, and the payments and registrations of
    their businesses); leadership nothing."""
    if user.role in ("admin", "manager"):
        return KINDS
    if user.role == "staff":
        return STAFF_KINDS
    return ()


def _key_strings(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    out = frame[key[0]].astype(str)
    for k in key[1:]:
        out = out + "|" + frame[k].astype(str)
    return out


def _stored_rows(db: sqlite_utils.Database, spec: Spec, keys: pd.DataFrame) -> pd.DataFrame:
    """The stored rows whose keys appear in ``keys`` (through a temporary key table)."""
    db.execute("DROP TABLE IF EXISTS temp._import_keys")
    db.execute(f"CREATE TEMP TABLE _import_keys ({', '.join(spec.key)})")
    db.conn.executemany(
        f"INSERT INTO temp._import_keys VALUES ({', '.join('?' for _ in spec.key)})",
        keys[list(spec.key)].itertuples(index=False, name=None),
    )
    cur = db.execute(f"SELECT t.* FROM {spec.table} t JOIN temp._import_keys k USING ({', '.join(spec.key)})")
    cols = [d[0] for d in cur.description]
    stored = pd.DataFrame(cur.fetchall(), columns=cols)
    db.execute("DROP TABLE temp._import_keys")
    return stored


def _authorize(db: sqlite_utils.Database, actor: User, spec: Spec, clean: pd.DataFrame, stored: pd.DataFrame,
               lang: str = DEFAULT_LANG) -> None:
    """Staff may only write rows of their own province(s), in the file and as stored."""
    if actor.role != "staff":
        return
    if spec.kind not in STAFF_KINDS:
        raise AccessDenied(t("imp.staff_kind_denied", lang, kind=spec.kind, kinds=", ".join(STAFF_KINDS)))
    if spec.kind in BUSINESS_KINDS:  # a row belongs to its business's province
        ids = clean["business_id"].drop_duplicates().to_frame()
        owners = _stored_rows(db, SPECS["businesses"], ids)
        provinces = set(owners["regency_code"].str.slice(0, 2))
    else:
        provinces = set(clean["regency_code"].str.slice(0, 2))
        if not stored.empty:
            provinces |= set(stored["regency_code"].str.slice(0, 2))  # no taking over another province's rows
    require_provinces(actor, provinces, spec.kind, lang=lang)


def _audit_rows(spec: Spec, before: pd.DataFrame, after: pd.DataFrame) -> list[tuple[str, dict, dict]]:
    """(key, before, after) for every stored row the import changed."""
    if before.empty:
        return []
    cols = [c for c in before.columns if c != "id"]
    b = before[cols].set_index(_key_strings(before, spec.key))
    a = after[cols].set_index(_key_strings(after, spec.key)).reindex(b.index)
    differs = ~((b == a) | (b.isna() & a.isna())).all(axis=1)
    out = []
    for key in b.index[differs.to_numpy()]:
        old, new = b.loc[key].to_dict(), a.loc[key].to_dict()
        changed = [c for c in cols if not (old[c] == new[c] or (pd.isna(old[c]) and pd.isna(new[c])))]
        out.append((key, {c: old[c] for c in changed}, {c: new[c] for c in changed}))
    return out


def _import_df(
    db: sqlite_utils.Database,
    kind: str,
    df: pd.DataFrame,
    *,
    actor: User,
    filename: str | None,
    digest: str,
    lang: str,
    after_write: Callable[[sqlite_utils.Database], None] | None = None,
    progress: Callable[[float, str], None] | None = None,
    generated: bool = False,
) -> ImportResult:
    from planner.audit import record, record_many

    require(actor, "admin", "manager", "staff", lang=lang)
    spec = _spec(kind, lang)
    if progress:
        progress(0.3, "check")
    clean, extras = validate_frame(db, kind, df, lang=lang)
    if progress:
        progress(0.6, "write")
    cols = [c.name for c in spec.columns if c.name in df.columns.str.strip().str.lower()]
    if spec.keeps_attributes and extras:
        cols.append("attributes")
    for name, value in spec.fixed:
        clean[name] = value
        cols.append(name)
    n = len(clean)
    rows = _rows(clean, cols)
    for module in _AFTER_WRITE_NEEDS.get(kind, ()):
        # Loaded before the write lock is taken: the first import of a process would
        # otherwise load scikit-learn (over a second) while every other writer waits.
        importlib.import_module(module)
    with transaction(db):
        stored_before = _count(db, spec)
        before = _stored_rows(db, spec, clean) if stored_before else pd.DataFrame()
        _authorize(db, actor, spec, clean, before, lang)
        # Into an empty table every row is new and the file's keys are unique, so a
        # plain INSERT writes exactly what the upsert would, without its per-row conflict
        # check (about 40% of the write time for a million businesses).
        sql = _insert_sql(spec, cols) if stored_before == 0 else _upsert_sql(spec, cols)
        # The rows this statement wrote (rowcount counts neither the rows a trigger writes,
        # such as the table's data version, nor upserts whose WHERE found no change).
        changed = db.conn.executemany(sql, rows).rowcount
        inserted = _count(db, spec) - stored_before
        updated = changed - inserted
        name = Path(filename).name if filename else None
        db.execute(
            "INSERT INTO import_runs (kind, filename, rows, inserted, updated, unchanged, imported_at, actor) VALUES (?,?,?,?,?,?,?,?)",
            [kind, name, n, inserted, updated, n - changed, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), actor.username],
        )
        # Audit: one entry for the file (with the keys of new rows), one per changed row.
        keys = _key_strings(clean, spec.key)
        new_keys = keys[~_is_in(keys, _key_strings(before, spec.key))] if not before.empty else keys
        summary = {"rows": n, "inserted": inserted, "updated": updated, "unchanged": n - changed, "sha256": digest}
        if len(new_keys) <= NEW_KEYS_LISTED:
            summary["new_keys"] = new_keys.tolist()
        else:
            summary["new_keys_first_last"] = [new_keys.iloc[0], new_keys.iloc[-1]]
        record(db, actor, f"import.{kind}", spec.table, name, None, summary)
        if updated:
            after = _stored_rows(db, spec, clean)
            record_many(db, actor, f"import.{kind}.update", spec.table, _audit_rows(spec, before, after), detail=name)
        if is_demo(db) and not has_real_data(db) and not generated:
            set_meta(db, "real_data", "1")
            record(db, actor, "demo.real_data", "meta", "real_data", None, {"real_data": 1, "first_import": kind})
        credited = _AFTER_WRITE[kind](db, actor, clean, name) if kind in _AFTER_WRITE else None
        if after_write:
            after_write(db)
    return ImportResult(kind, n, inserted, updated, n - inserted - updated, tuple(extras), credited)


def _after_registrations(db: sqlite_utils.Database, actor: User, clean: pd.DataFrame, name: str | None) -> int:
    """What a registration means besides its row: credited to the event that brought the
    business in, the business enrolled, its open lead closed and the event's contact told
    (``followup.after_registrations_import``, set at a time, inside the import's
    transaction). Returns how many of the file's registrations are credited to an event."""
    from planner.audit import record
    from planner.reporting.followup import after_registrations_import

    keys = list(zip(clean["business_id"].astype(str), clean["registered_on"].astype(str)))
    credited = after_registrations_import(db, actor, keys)
    record(db, actor, "import.registrations.credit", "registrations", name, None, {"rows": len(keys), "credited": credited})
    return credited


def _after_contacts(db: sqlite_utils.Database, actor: User, clean: pd.DataFrame, name: str | None) -> None:
    """New contacts keep a snapshot of their business as it is now, so the model later
    learns from the business as it was at the contact (``planner.scoring.features``)."""
    from planner.scoring.features import snapshot_new_contacts

    snapshot_new_contacts(db)
    return None


# What an import of a kind does after its rows are written, in the same transaction, and
# the modules that needs (loaded before the transaction starts).
_AFTER_WRITE_NEEDS: dict[str, tuple[str, ...]] = {
    "registrations": ("planner.audit", "planner.reporting.followup"),
    "contacts": ("planner.scoring.features",),
}
_AFTER_WRITE: dict[str, Callable[[sqlite_utils.Database, User, pd.DataFrame, str | None], int | None]] = {
    "registrations": _after_registrations,
    "contacts": _after_contacts,
}


def import_frame(db: sqlite_utils.Database, kind: str, frame: pd.DataFrame, *, actor: User, lang: str = DEFAULT_LANG,
                 generated: bool = False) -> ImportResult:
    """Import an in-memory table through the same checks and write path as a file.
    ``generated``: rows made by the demo generator, which do not make a demo database one
    that holds real data (its public demo passwords stay usable)."""
    as_text = frame.astype(object).where(pd.notna(frame), "").astype(str)
    as_text = as_text.reset_index(drop=True)
    digest = hashlib.sha256(pd.util.hash_pandas_object(as_text, index=False).to_numpy().tobytes()).hexdigest()
    return _import_df(db, kind, as_text, actor=actor, filename=None, digest=digest, lang=lang, generated=generated)


def template_csv(kind: str) -> str:
    """A header line (and nothing else) for ``kind``: what the import page offers to download."""
    return ",".join(SPECS[kind].names) + "\n"
