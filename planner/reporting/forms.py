"""The offline paths of event reports: a template to fill in a spreadsheet, an XLSForm for
ODK Collect / KoboCollect, the exports of their submissions, and a printed attendance sheet.

Staff often report from a village hall with poor signal. They either
- download a **report template** of their events (one row per invitee, pre-filled, with
  empty rows for businesses that came uninvited), fill it offline and upload it; or
- fill the **XLSForm** on a phone with ODK Collect or KoboCollect, and a manager (or they)
  import the **CSV export of the submissions** from ODK Central or KoboToolbox; and
- take a printed **attendance sheet** to the event, to tick who came and who registered.

Every path ends in ``planner.reporting.reports.save``, the one validator and writer of
reports: the readers here only turn files into ``RawReport`` values (keeping the file's
row numbers and column names for messages), and refuse, with every issue named, what is
not a report. Files are read with ``planner.imports.read_table`` (and zips checked with
``planner.imports.check_zip``), so every upload has the same limits.

Public functions (the pages *Agenda* and *Laporan* and the CLI call these):
``report_template``, ``parse_report_file``, ``xlsform``, ``check_xlsform``,
``parse_submissions``, ``import_reports``, ``attendance_sheet``, ``describe_result``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import sqlite_utils

from planner.auth import AccessDenied, User, require
from planner.errors import PlannerError
from planner.exports import FORMULA_START, neutralise, neutralise_cell, to_csv_bytes
from planner.i18n import DEFAULT_LANG, fmt_date, fmt_int, t
from planner.imports import MAX_ERRORS_KEPT, ImportFailed, ImportIssue, check_zip, read_table, sheet_names
from planner.reporting import reports as rp
from planner.vocabulary import BPU_EXCLUDED, BPU_MANDATORY, MANDATORY, PROGRAMMES, SIZE_CLASSES

# --------------------------------------------------------------------------- columns
#: The template's columns, in order. Where a name is a field of ``reports.REPORT_FIELDS``
#: or ``reports.ROW_FIELDS`` it means exactly that field; ``present`` and ``row_note``
#: are the template's own (``row_note`` is a row's ``note``).
TEMPLATE_COLUMNS = (
    "event_id", "status", "held_on", "attendance", "cancel_reason", "cancel_note", "note",
    "business_id", "name", "present", "registered", "workers_registered", "programmes", "follow_up", "row_note",
    "regency_code", "sector", "size_class", "workers", "phone",
)
REQUIRED_COLUMNS = ("event_id", "status", "held_on", "attendance", "business_id", "present", "registered",
                    "workers_registered", "programmes")
WALK_IN_FIELDS = ("regency_code", "sector", "size_class", "workers", "phone")  # filled only for a business not in Jangkau
OUTCOME_FIELDS = ("registered", "workers_registered", "programmes", "follow_up")
WALK_IN_ROWS = 5  # empty rows after each event's invitees, for businesses that came uninvited
MAX_REPORT_ROWS = 500_000  # rows of one report file (a year of a province's events is far less)
MAX_SUBMISSION_ZIP_BYTES = 256 << 20  # what the CSVs of a submissions export may declare unpacked
TEXT_COLUMNS = ("event_id", "business_id", "regency_code", "phone", "programmes", "held_on")
_YES = {"1", "ya", "yes", "y", "true", "x", "v", "✓", "✔", "√"}
_NO = {"0", "tidak", "no", "n", "false", ""}

SOURCE_TEMPLATE = "upload"
SOURCE_SUBMISSIONS = "odk"


def _kind(lang: str) -> str:
    return t("kind.reports", lang)


class _Issues:
    """Issues of one file, named by row, column and value (like ``reports._Issues``)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.items: list[ImportIssue] = []
        self.total = 0

    def add(self, row: int | None, column: str | None, value: object, problem: str, /, **params: object) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS_KEPT:
            v = "" if value is None else str(value).replace("\n", " ")
            self.items.append(ImportIssue(row, column, v if len(v) <= 60 else v[:59] + "…",
                                          t("frm." + problem, self.lang, **params), t("ffix." + problem, self.lang, **params)))

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportFailed(_kind(self.lang), sorted(self.items, key=lambda i: (i.row or 0)), self.total, self.lang)


def _cell(value: object) -> str:
    """A cell as text: stripped, and without the apostrophe our own exports put before a
    text that starts like a formula (so a downloaded template reads back as written)."""
    if value is None:
        return ""
    s = str(value).strip()
    if len(s) > 1 and s[0] == "'" and s[1] in FORMULA_START:
        s = s[1:]
    return s


_FLAGS = {"1": 1, "0": 0, "": 0}  # the usual cells, looked up before ``_flag``


def _column_series(column: pd.Series) -> pd.Series:
    """A column's cells as ``_cell`` gives them, column at a time."""
    s = column.fillna("").astype(str).str.strip()
    if s.str.startswith("'").any():
        s = s.str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)
    return s


class _Cells(dict):
    """A column's cells by row position, holding only the rows that may be filled in."""

    def __missing__(self, key: int) -> str:
        return ""


def _any_filled(columns: list[pd.Series]) -> list[bool]:
    filled = columns[0] != ""
    for c in columns[1:]:
        filled |= c != ""
    return filled.tolist()


def _flag(value: str) -> int | None:
    v = value.strip().lower()
    if v in _YES:
        return 1
    if v in _NO:
        return 0
    return None


# --------------------------------------------------------------------------- which events
@dataclass(frozen=True)
class EventInfo:
    """What the offline paths print about an event."""

    event_id: str
    plan_id: int
    plan_name: str
    date: str
    start_time: str
    duration_minutes: int
    timezone: str
    regency_code: str
    regency: str
    province_code: str
    province: str
    partner_id: str
    partner: str
    address: str | None
    staff_id: str | None
    staff: str | None


_EVENT_SQL = (
    "SELECT e.event_id, e.plan_id, p.name AS plan_name, e.event_date AS date, e.start_time, e.duration_minutes, "
    "COALESCE(pv.timezone, 'WIB') AS timezone, e.regency_code, g.name AS regency, g.province_code, pv.name_common AS province, "
    "e.partner_id, pa.name AS partner, pa.address, e.staff_id, s.name AS staff, e.status AS event_status, p.status AS plan_status "
    "FROM events e JOIN plans p ON p.plan_id = e.plan_id JOIN regencies g ON g.code = e.regency_code "
    "JOIN provinces pv ON pv.code = g.province_code JOIN partners pa ON pa.partner_id = e.partner_id "
    "LEFT JOIN staff s ON s.staff_id = e.staff_id "
)
_INFO_FIELDS = tuple(EventInfo.__dataclass_fields__)


def _chunks(items: Sequence, n: int = 500) -> Iterable[Sequence]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _events(db: sqlite_utils.Database, actor: User, event_ids: Iterable[str], lang: str) -> list[EventInfo]:
    """The events, in date order, once ``actor`` may report every one of them: events of
    published plans, not cancelled in the plan, in the actor's provinces (managers and
    admins: any). Refuses the whole request naming each event that may not be reported."""
    require(actor, "admin", "manager", "staff", lang=lang)
    if isinstance(event_ids, str):  # one event id, not its characters
        event_ids = [event_ids]
    ids = list(dict.fromkeys(str(e).strip() for e in event_ids if str(e).strip()))
    if not ids:
        raise PlannerError(t("frm.no_events", lang))
    found: dict[str, dict] = {}
    for chunk in _chunks(ids):
        q = ",".join("?" * len(chunk))
        for r in db.query(_EVENT_SQL + f"WHERE e.event_id IN ({q})", list(chunk)):
            found[r["event_id"]] = r
    refused: list[str] = []
    other_province = False
    for eid in ids:
        ev = found.get(eid)
        if ev is None:
            problem, params = "event_unknown", {}
        elif ev["plan_status"] != "published":
            problem, params = "event_draft", {"plan": ev["plan_id"]}
        elif ev["event_status"] != "planned":
            problem, params = "event_cancelled_in_plan", {}
        elif not actor.covers(ev["province_code"]):
            problem, params = "event_other_province", {"province": ev["province_code"], "mine": ", ".join(actor.provinces) or "-"}
            other_province = True
        else:
            continue
        refused.append(f"{eid}: {t('rep.' + problem, lang, **params)}; {t('rfix.' + problem, lang, **params)}")
    if refused:
        cls = AccessDenied if other_province else PlannerError
        raise cls(t("frm.events_refused", lang, n=len(refused)), details=refused)
    infos = [EventInfo(**{k: found[e][k] for k in _INFO_FIELDS}) for e in ids]
    return sorted(infos, key=lambda e: (e.date, e.start_time, e.event_id))


def _event_ids_of(db: sqlite_utils.Database, actor: User, plan_id: int | None, staff_id: str | None,
                  on: dt.date, lang: str) -> list[str]:
    """Events of a published plan, or of one staff member across published plans (from
    ``reports.LATEST_DAYS`` ago on, the oldest still reportable), within the actor's
    provinces."""
    require(actor, "admin", "manager", "staff", lang=lang)
    if (plan_id is None) == (staff_id is None):
        raise PlannerError(t("frm.plan_or_staff", lang))
    where = ["p.status = 'published'", "e.status = 'planned'"]
    params: list = []
    if plan_id is not None:
        plan = db.execute("SELECT status FROM plans WHERE plan_id = ?", [int(plan_id)]).fetchone()
        if plan is None:
            raise PlannerError(t("frm.plan_unknown", lang, plan=plan_id))
        if plan[0] != "published":
            raise PlannerError(t("frm.plan_draft", lang, plan=plan_id))
        where.append("e.plan_id = ?")
        params.append(int(plan_id))
    else:
        if db.execute("SELECT 1 FROM staff WHERE staff_id = ?", [staff_id]).fetchone() is None:
            raise PlannerError(t("frm.staff_unknown", lang, staff=staff_id))
        where += ["e.staff_id = ?", "e.event_date >= ?"]
        params += [staff_id, (on - dt.timedelta(days=rp.LATEST_DAYS)).isoformat()]
    if actor.role == "staff":
        where.append(f"g.province_code IN ({','.join('?' * len(actor.provinces)) or 'NULL'})")
        params += list(actor.provinces)
    ids = [r[0] for r in db.execute(
        "SELECT e.event_id FROM events e JOIN plans p ON p.plan_id = e.plan_id JOIN regencies g ON g.code = e.regency_code "
        f"WHERE {' AND '.join(where)} ORDER BY e.event_date, e.event_id", params)]
    if not ids:
        raise PlannerError(t("frm.no_events_for", lang, what=f"plan {plan_id}" if plan_id is not None else f"staff {staff_id}"))
    return ids


def _invitees(db: sqlite_utils.Database, event_ids: Sequence[str]) -> pd.DataFrame:
    frames = []
    for chunk in _chunks(list(event_ids)):
        q = ",".join("?" * len(chunk))
        cur = db.execute(
            "SELECT i.event_id, i.business_id, b.name, json_extract(b.attributes, '$.owner_name') AS owner, "
            "json_extract(b.attributes, '$.phone') AS phone, b.size_class, b.workers FROM invitations i "
            f"JOIN businesses b ON b.business_id = i.business_id WHERE i.event_id IN ({q}) ORDER BY i.event_id, b.name, i.business_id",
            list(chunk),
        )
        frames.append(pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description]))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _weekday(date: dt.date, lang: str) -> str:
    return t("frm.weekdays", lang).split(",")[date.weekday()]


def long_date(value: str | dt.date, lang: str = DEFAULT_LANG) -> str:
    """'Senin, 5 Oktober 2026' (Indonesian style; 'Monday, 5 October 2026' in English)."""
    d = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{_weekday(d, lang)}, {d.day} {t('frm.months', lang).split(',')[d.month - 1]} {d.year}"


def clock(start_time: str, timezone: str, lang: str = DEFAULT_LANG) -> str:
    """'09.00 WIB' (Indonesian style writes a dot between hours and minutes)."""
    hhmm = (start_time or "09:00")[:5]
    return f"{hhmm.replace(':', '.') if lang == 'id' else hhmm} {timezone or 'WIB'}"


# --------------------------------------------------------------------------- 1. template
def template_frame(db: sqlite_utils.Database, actor: User, event_ids: Iterable[str], lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The template's rows (all ``TEMPLATE_COLUMNS``): per event its invitees, pre-filled
    from the event's report if there is one (so a downloaded template can be corrected
    and uploaded again), then the walk-ins already reported, then ``WALK_IN_ROWS`` empty
    rows for new walk-ins. The report's own fields are on the event's first row."""
    events = _events(db, actor, event_ids, lang)
    ids = [e.event_id for e in events]
    inv = _invitees(db, ids)
    reports: dict[str, dict] = {}
    rows_of: dict[str, dict[str, dict]] = {}
    walk_ins: dict[str, list[dict]] = {}
    for chunk in _chunks(ids):
        q = ",".join("?" * len(chunk))
        for r in db.query(f"SELECT * FROM event_reports WHERE event_id IN ({q})", list(chunk)):
            reports[r["event_id"]] = r
        for r in db.query(f"SELECT r.*, b.name FROM report_rows r JOIN businesses b ON b.business_id = r.business_id "
                          f"WHERE r.event_id IN ({q}) ORDER BY r.event_id, b.name", list(chunk)):
            rows_of.setdefault(r["event_id"], {})[r["business_id"]] = r
            if not r["invited"]:
                walk_ins.setdefault(r["event_id"], []).append(r)
    by_event = {k: g for k, g in inv.groupby("event_id", sort=False)} if not inv.empty else {}
    out: list[dict] = []

    def outcome(r: dict | None, reported: bool) -> dict:
        if r is None:
            return {"present": 0 if reported else ""}
        return {"present": 1, "registered": int(r["registered"]),
                "workers_registered": int(r["workers_registered"]) if r["registered"] else "",
                "programmes": r["programmes"] or "", "follow_up": int(r["follow_up"]), "row_note": r["note"] or ""}

    for ev in events:
        rep = reports.get(ev.event_id)
        head = {"event_id": ev.event_id}
        if rep is not None:
            head.update({"status": rep["status"], "held_on": rep["held_on"] or "",
                         "attendance": int(rep["attendance"]) if rep["status"] == "held" else "",
                         "cancel_reason": rep["cancel_reason"] or "", "cancel_note": rep["cancel_note"] or "", "note": rep["note"] or ""})
        lines: list[dict] = []
        reported = rows_of.get(ev.event_id, {})
        g = by_event.get(ev.event_id)
        if g is not None:
            for bid, name in zip(g["business_id"].tolist(), g["name"].tolist()):
                lines.append({"event_id": ev.event_id, "business_id": bid, "name": name,
                              **outcome(reported.get(bid), rep is not None and rep["status"] == "held")})
        for r in walk_ins.get(ev.event_id, []):
            lines.append({"event_id": ev.event_id, "business_id": r["business_id"], "name": r["name"], **outcome(r, True)})
        if not lines:
            lines.append({"event_id": ev.event_id})
        lines[0] = {**lines[0], **head}
        lines += [{"event_id": ev.event_id} for _ in range(WALK_IN_ROWS)]
        out += lines
    blank = dict.fromkeys(TEMPLATE_COLUMNS, "")
    return pd.DataFrame([{**blank, **r} for r in out], columns=list(TEMPLATE_COLUMNS), dtype=object)


def report_template(db: sqlite_utils.Database, actor: User, event_ids: Iterable[str], fmt: str = "xlsx",
                    lang: str = DEFAULT_LANG) -> bytes:
    """A report template of one or more events, as XLSX (with dropdowns and a sheet of
    instructions in ``lang``) or CSV: one row per invitee, then empty rows for walk-ins.
    Staff get templates of their provinces' events only; leadership none. Every text
    cell is formula-safe. ``parse_report_file`` reads it back."""
    if fmt not in ("xlsx", "csv"):
        raise PlannerError(t("frm.format", lang, fmt=fmt))
    df = template_frame(db, actor, event_ids, lang)
    if fmt == "csv":
        return to_csv_bytes(df)
    provinces = sorted({str(p) for p in db.execute(
        f"SELECT DISTINCT g.province_code FROM events e JOIN regencies g ON g.code = e.regency_code "
        f"WHERE e.event_id IN ({','.join('?' * len(set(df['event_id'])))})", sorted(set(df["event_id"])))})
    return _template_xlsx(db, df, provinces, lang)


def _template_xlsx(db: sqlite_utils.Database, df: pd.DataFrame, provinces: list[str], lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = t("frm.sheet.report", lang)[:31]
    safe = neutralise(df)
    ws.append(list(TEMPLATE_COLUMNS))
    for row in safe.itertuples(index=False, name=None):
        ws.append([None if isinstance(v, str) and v == "" else v for v in row])
    n = len(safe) + 1
    last = n + 200  # room for rows a person adds
    col = {c: get_column_letter(i + 1) for i, c in enumerate(TEMPLATE_COLUMNS)}
    for c in TEXT_COLUMNS:
        for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=TEMPLATE_COLUMNS.index(c) + 1, max_col=TEMPLATE_COLUMNS.index(c) + 1):
            cell.number_format = "@" if c != "held_on" else "yyyy-mm-dd"
    head_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    report_fill = PatternFill("solid", fgColor="FFF2CC")
    walk_fill = PatternFill("solid", fgColor="E2EFDA")
    for i, c in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = head_font
        cell.fill = report_fill if c in rp.REPORT_FIELDS or c == "status" else (walk_fill if c in WALK_IN_FIELDS else fill)
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(36, len(c) + 4 if c != "name" else 34))
    ws.freeze_panes = "B2"

    # lists for the dropdowns, on a sheet of their own
    lst = wb.create_sheet(t("frm.sheet.lists", lang)[:31])
    sectors = db.execute("SELECT code, name_id, name_en FROM sectors ORDER BY code").fetchall()
    regencies = db.execute(
        f"SELECT code, name FROM regencies WHERE province_code IN ({','.join('?' * len(provinces)) or 'NULL'}) ORDER BY code", provinces
    ).fetchall()
    columns = {
        "status": [(s, t(f"frm.status.{s}", lang)) for s in rp.STATUSES],
        "flag": [("1", t("frm.yes", lang)), ("0", t("frm.no", lang))],
        "cancel_reason": [(r, t(f"cancel.{r}", lang)) for r in rp.CANCEL_REASONS],
        "size_class": [(s, t(f"frm.size.{s}", lang)) for s in SIZE_CLASSES],
        "sector": [(c, name_id if lang == "id" else name_en) for c, name_id, name_en in sectors],
        "regency_code": [(c, name) for c, name in regencies],
    }
    ranges = {}
    for j, (name, items) in enumerate(columns.items()):
        a, b = get_column_letter(2 * j + 1), get_column_letter(2 * j + 2)
        lst.cell(row=1, column=2 * j + 1, value=name).font = head_font
        lst.cell(row=1, column=2 * j + 2, value=t("frm.meaning", lang)).font = head_font
        for i, (code, meaning) in enumerate(items, start=2):
            lst.cell(row=i, column=2 * j + 1, value=code).number_format = "@"
            lst.cell(row=i, column=2 * j + 2, value=neutralise_cell(meaning))
        lst.column_dimensions[a].width = 14
        lst.column_dimensions[b].width = 34
        ranges[name] = f"'{lst.title}'!${a}$2:${a}${max(2, len(items) + 1)}"

    def dropdown(column: str, source: str) -> None:
        dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                            errorTitle=t("frm.dv_title", lang), error=t("frm.dv_list", lang, column=column))
        dv.add(f"{col[column]}2:{col[column]}{last}")
        ws.add_data_validation(dv)

    dropdown("status", ranges["status"])
    for c in ("present", "registered", "follow_up"):
        dropdown(c, ranges["flag"])
    dropdown("cancel_reason", ranges["cancel_reason"])
    dropdown("size_class", ranges["size_class"])
    dropdown("sector", ranges["sector"])
    if regencies:
        dropdown("regency_code", ranges["regency_code"])
    for c, low in (("attendance", 0), ("workers_registered", 0), ("workers", 1)):
        dv = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(rp.MAX_WORKERS), allow_blank=True,
                            showErrorMessage=True, errorTitle=t("frm.dv_title", lang), error=t("frm.dv_whole", lang, column=c, low=low))
        dv.add(f"{col[c]}2:{col[c]}{last}")
        ws.add_data_validation(dv)

    # instructions
    info = wb.create_sheet(t("frm.sheet.help", lang)[:31], 1)
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    lines: list[tuple[str, str]] = [(t("frm.help.title", lang), "")]
    lines += [("", t(f"frm.help.{k}", lang)) for k in ("rows", "present", "walk_in", "cancelled", "twice", "upload")]
    lines += [("", ""), (t("frm.help.columns", lang), "")]
    lines += [(c, t(f"frm.col.{c}", lang)) for c in TEMPLATE_COLUMNS]
    lines += [("", ""), (t("frm.help.programmes", lang), "")]
    for size in SIZE_CLASSES:
        lines.append((size, t("frm.help.programme_rule", lang, who=t(f"rep.who.{size}", lang), need=";".join(MANDATORY[size]))))
    lines.append(("BPU", t("frm.help.programme_bpu", lang, need=";".join(BPU_MANDATORY), no=", ".join(BPU_EXCLUDED))))
    for i, (a, b) in enumerate(lines, start=1):
        ca = info.cell(row=i, column=1, value=neutralise_cell(a) or None)
        cb = info.cell(row=i, column=2, value=neutralise_cell(b) or None)
        cb.alignment = wrap
        if a and not b or i == 1:
            ca.font = Font(bold=True, size=13 if i == 1 else 11)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- 2. reading a filled template
def parse_report_file(data: bytes, filename: str | None = None, lang: str = DEFAULT_LANG) -> list[rp.RawReport]:
    """The reports in a filled template (CSV or XLSX, read with ``imports.read_table``).

    Rows are grouped by ``event_id``. An event's own fields (status, held_on, attendance,
    cancel_reason, cancel_note, note) may be on every row of the event or only on one;
    two rows that disagree are an issue naming both. A row is a business present when
    ``present`` is 1 (or blank while the row holds a walk-in's details or a registration);
    a row with ``present`` 0 or blank and nothing else is an invitee who did not come.
    A row without ``business_id`` with a walk-in's details is a new business. An event
    with only its own fields is held with nobody recorded, or cancelled; an event with
    nothing filled in is not reported by this file. Raises ``ImportFailed`` with every
    issue; row numbers are the spreadsheet's (header = row 1)."""
    df = read_table(data, _kind(lang), filename=filename, lang=lang)
    return _parse_template_frame(df, lang)


def _normalised_columns(df: pd.DataFrame, issues: _Issues) -> dict[str, str]:
    """Template field -> the column's name as written in the file (case and spaces as the
    person left them); a column twice is an issue."""
    out: dict[str, str] = {}
    for name in df.columns:
        key = str(name).strip().lower()
        if key in TEMPLATE_COLUMNS:
            if key in out:
                issues.add(1, str(name), str(name), "column_twice", column=key)
            out[key] = str(name)
    return out


def _parse_template_frame(df: pd.DataFrame, lang: str) -> list[rp.RawReport]:
    issues = _Issues(lang)
    cols = _normalised_columns(df, issues)
    if not cols:
        shown = ", ".join(str(c) for c in df.columns[:6]) + (", …" if len(df.columns) > 6 else "")
        issues.add(1, None, shown, "not_report_file", columns=", ".join(REQUIRED_COLUMNS))
    else:
        for c in REQUIRED_COLUMNS:
            if c not in cols:
                issues.add(1, c, "", "column_missing", column=c)
    if len(df) > MAX_REPORT_ROWS:
        issues.add(None, None, fmt_int(len(df)), "too_many_rows", n=fmt_int(len(df)), max=fmt_int(MAX_REPORT_ROWS))
    issues.raise_if_any()
    n = len(df)
    rows = (df.index.to_numpy() + 2).tolist()
    empty = pd.Series([""] * n, index=df.index, dtype=object)
    series = {c: (_column_series(df.iloc[:, list(df.columns).index(cols[c])]) if c in cols else empty) for c in TEMPLATE_COLUMNS}
    # which rows hold any of the event's own fields, or a walk-in's details (column at a time)
    has_report = _any_filled([series[f] for f in rp.REPORT_FIELDS])
    walk_any = _any_filled([series[c] for c in WALK_IN_FIELDS])
    # every row's cells of the columns every row needs; of the others only the rows that use them
    # (an event's own fields are on one row of it; a walk-in's details on a few)
    dense = ("event_id", "business_id", "present", "registered", "workers_registered", "programmes", "follow_up", "row_note")
    values: dict[str, list[str] | _Cells] = {c: series[c].tolist() for c in dense}
    no_business = [not b for b in values["business_id"]]
    for group, mask in ((rp.REPORT_FIELDS, has_report), (WALK_IN_FIELDS + ("name",), [a or b for a, b in zip(walk_any, no_business)])):
        at = [i for i, m in enumerate(mask) if m]
        for c in group:
            values[c] = _Cells(zip(at, series[c].iloc[at].tolist()))
    order: list[str] = []
    groups: dict[str, dict] = {}
    folded = {"status", "cancel_reason"}
    row_columns = {"note": cols.get("row_note", "row_note")}  # one dict shared by every row
    report_values = [(f, values[f]) for f in rp.REPORT_FIELDS]
    V = values
    for i, (r, eid, bid, raw_present, registered, workers_registered, programmes, follow_up, row_note) in enumerate(
            zip(rows, *(values[c] for c in dense))):
        if not eid:
            if any(values[c][i] for c in TEMPLATE_COLUMNS if c != "event_id"):
                issues.add(r, cols["event_id"], "", "event_missing")
            continue
        g = groups.get(eid)
        if g is None:
            g = groups[eid] = {"fields": {}, "where": {}, "rows": [], "first": r}
            order.append(eid)
        for f, column in report_values if has_report[i] else ():
            v = column[i]
            if not v:
                continue
            if f not in g["fields"]:
                g["fields"][f], g["where"][f] = v, r
            else:
                old = g["fields"][f]
                if not (old.lower() == v.lower() if f in folded else old == v):
                    issues.add(r, cols.get(f, f), v, "disagree", column=cols.get(f, f), event=eid, first=g["where"][f], a=old, b=v)
        present = _FLAGS.get(raw_present)
        if present is None:
            present = _flag(raw_present)
            if present is None:
                issues.add(r, cols["present"], raw_present, "present", column=cols["present"])
                continue
        walk_in = walk_any[i] or (not bid and bool(V["name"][i]))
        reg = _FLAGS.get(registered)
        fu = _FLAGS.get(follow_up)
        outcome = ((reg if reg is not None else _flag(registered)) == 1 or (fu if fu is not None else _flag(follow_up)) == 1
                   or workers_registered not in ("", "0") or bool(programmes))
        if present == 0 and raw_present:  # written 0
            if walk_in or outcome:
                issues.add(r, cols["present"], raw_present, "present_zero_with_data", column=cols["present"])
            continue
        if not present and not walk_in and not outcome:
            continue  # an invitee who did not come, or an empty walk-in row
        if not bid and not walk_in:
            issues.add(r, cols["business_id"], "", "row_without_business", column=cols["business_id"])
            continue
        if walk_in:
            v = {"business_id": bid, "registered": registered, "workers_registered": workers_registered, "programmes": programmes,
                 "follow_up": follow_up, "note": row_note, "name": V["name"][i], "regency_code": V["regency_code"][i],
                 "sector": V["sector"][i], "size_class": V["size_class"][i], "workers": V["workers"][i], "phone": V["phone"][i]}
        else:  # an invitee (or a known business): its name is printed for the reader, not reported
            v = {"business_id": bid, "registered": registered, "workers_registered": workers_registered, "programmes": programmes,
                 "follow_up": follow_up, "note": row_note}
        g["rows"].append(rp.RawRow(v, r, row_columns))
    issues.raise_if_any()
    out = []
    for eid in order:
        g = groups[eid]
        if not g["fields"] and not g["rows"]:
            continue  # nothing filled in for this event: not reported by this file
        where = [g["where"][f] for f in ("status", "held_on", "attendance") if f in g["where"]]
        out.append(rp.RawReport(eid, dict(g["fields"]), g["rows"], row=where[0] if where else g["first"],
                                columns={c: cols.get(c, c) for c in TEMPLATE_COLUMNS if c != "row_note"}, source=SOURCE_TEMPLATE))
    if not out:
        issues.add(None, None, "", "nothing_reported")
        issues.raise_if_any()
    return out


# --------------------------------------------------------------------------- 3. XLSForm
LANG_ID = "Bahasa Indonesia (id)"
LANG_EN = "English (en)"
_LANG_NAMES = {"id": LANG_ID, "en": LANG_EN}
REPEAT_INVITEE = "invitee"
REPEAT_WALK_IN = "walkin"
_SAFE_CHOICE = re.compile(r"[A-Za-z0-9._:\-]+")


def choice_name(business_id: str) -> str:
    """A business id as an XLSForm choice name: as it is when it holds no space or other
    character a select_multiple cannot carry, else ``_x`` + its UTF-8 in hex (and so is
    any id that itself starts with ``_x``), which ``business_of_choice`` undoes."""
    if _SAFE_CHOICE.fullmatch(business_id) and not business_id.startswith("_x"):
        return business_id
    return "_x" + business_id.encode("utf-8").hex()


def business_of_choice(name: str) -> str:
    if name.startswith("_x"):
        try:
            return bytes.fromhex(name[2:]).decode("utf-8")
        except ValueError:
            return name
    return name


def form_id(plan_id: int | None = None, staff_id: str | None = None) -> str:
    """The XLSForm's id: one per plan (``jangkau_rencana_3``) or per staff member
    (``jangkau_staf_S16_04``), so a new version replaces the old one on the server."""
    if plan_id is not None:
        return f"jangkau_rencana_{int(plan_id)}"
    return "jangkau_staf_" + re.sub(r"[^A-Za-z0-9_]", "_", str(staff_id))


def _labels(key: str, **params: object) -> list[str]:
    return [t(key, "id", **params), t(key, "en", **params)]


def xlsform(db: sqlite_utils.Database, actor: User, plan_id: int | None = None, staff_id: str | None = None,
            lang: str = DEFAULT_LANG, *, on: dt.date | None = None) -> bytes:
    """An XLSForm (XLSX) for ODK Collect / KoboCollect to report the events of a
    published plan, or of one staff member across published plans (from
    ``reports.LATEST_DAYS`` days ago), offline. Labels in Bahasa Indonesia with English
    as a second language (``lang`` is the form's default). The form id is stable per
    plan or staff member and its version changes whenever the events or invitees do.
    The form is converted with pyxform before it is returned (``check_xlsform``)."""
    on = on or rp.today()
    ids = _event_ids_of(db, actor, plan_id, staff_id, on, lang)
    events = _events(db, actor, ids, lang)
    inv = _invitees(db, [e.event_id for e in events])
    provinces = sorted({e.province_code for e in events})
    regencies = db.execute(
        f"SELECT code, name, province_code FROM regencies WHERE province_code IN ({','.join('?' * len(provinces))}) ORDER BY code", provinces
    ).fetchall()
    sectors = db.execute("SELECT code, name_id, name_en FROM sectors ORDER BY code").fetchall()

    L_ID, L_EN = f"label::{LANG_ID}", f"label::{LANG_EN}"
    H_ID, H_EN = f"hint::{LANG_ID}", f"hint::{LANG_EN}"
    C_ID, C_EN = f"constraint_message::{LANG_ID}", f"constraint_message::{LANG_EN}"
    s_cols = ["type", "name", L_ID, L_EN, H_ID, H_EN, "required", "relevant", "constraint", C_ID, C_EN, "calculation",
              "repeat_count", "choice_filter", "appearance", "default"]

    def q(type_: str, name: str, label: str | None = None, hint: str | None = None, **kw: str) -> list:
        row = dict.fromkeys(s_cols, None)
        row.update({"type": type_, "name": name})
        if label:
            row[L_ID], row[L_EN] = _labels(label)
        if hint:
            row[H_ID], row[H_EN] = _labels(hint)
        if "constraint_message" in kw:
            row[C_ID], row[C_EN] = _labels(kw.pop("constraint_message"))
        row.update(kw)
        return [row[c] for c in s_cols]

    held, cancelled = "${status} = 'held'", "${status} = 'cancelled'"
    survey = [
        q("select_one events", "event_id", "frm.x.event", "frm.x.event_hint", required="yes", appearance="autocomplete"),
        q("calculate", "event_province", calculation="instance('events')/root/item[name = ${event_id}]/province"),
        q("select_one status", "status", "frm.x.status", required="yes"),
        q("date", "held_on", "frm.x.held_on", "frm.x.held_on_hint", required="yes", relevant=held, constraint=". <= today()",
          constraint_message="frm.x.held_on_future"),
        q("integer", "attendance", "frm.x.attendance", "frm.x.attendance_hint", required="yes", relevant=held, constraint=". >= 0",
          constraint_message="frm.x.not_negative"),
        q("select_one cancel_reasons", "cancel_reason", "frm.x.cancel_reason", required="yes", relevant=cancelled),
        q("text", "cancel_note", "frm.x.cancel_note", required="yes", relevant=cancelled),
        q("select_multiple invitees", "present", "frm.x.present", "frm.x.present_hint", relevant=held, choice_filter="event = ${event_id}"),
        q("begin_repeat", REPEAT_INVITEE, "frm.x.invitee", relevant=held, repeat_count="count-selected(${present})"),
        q("calculate", "business_id", calculation="selected-at(${present}, position(..) - 1)"),
        q("calculate", "business_label", calculation="jr:choice-name(selected-at(${present}, position(..) - 1), '${present}')"),
        q("note", "business_note", "frm.x.business_note"),
        q("select_one yes_no", "registered", "frm.x.registered", required="yes"),
        q("integer", "workers_registered", "frm.x.workers_registered", required="yes", relevant="../registered = 'yes'",
          constraint=". >= 1", constraint_message="frm.x.at_least_one"),
        q("select_multiple programmes", "programmes", "frm.x.programmes", "frm.x.programmes_hint", required="yes",
          relevant="../registered = 'yes'"),
        q("select_one yes_no", "follow_up", "frm.x.follow_up", relevant="../registered = 'no'"),
        q("text", "row_note", "frm.x.row_note"),
        q("end_repeat", ""),
        q("integer", "walkin_count", "frm.x.walkin_count", "frm.x.walkin_count_hint", required="yes", relevant=held,
          constraint=". >= 0 and . <= 200", constraint_message="frm.x.walkin_count_range", default="0"),
        q("begin_repeat", REPEAT_WALK_IN, "frm.x.walkin", relevant=held, repeat_count="${walkin_count}"),
        q("text", "name", "frm.x.name", required="yes"),
        q("select_one regencies", "regency_code", "frm.x.regency", required="yes", choice_filter="province = ${event_province}",
          appearance="autocomplete"),
        q("select_one sectors", "sector", "frm.x.sector", required="yes", appearance="minimal"),
        q("select_one size_classes", "size_class", "frm.x.size_class", required="yes"),
        q("integer", "workers", "frm.x.workers", "frm.x.workers_hint", required="yes", constraint=". >= 1",
          constraint_message="frm.x.at_least_one"),
        q("text", "phone", "frm.x.phone", constraint="regex(., '^\\+?[0-9][0-9 \\-]{6,18}[0-9]$')", constraint_message="frm.x.phone_format",
          appearance="numbers"),
        q("select_one yes_no", "registered", "frm.x.registered", required="yes"),
        q("integer", "workers_registered", "frm.x.workers_registered", required="yes", relevant="../registered = 'yes'",
          constraint=". >= 1 and . <= ../workers", constraint_message="frm.x.workers_registered_range"),
        q("select_multiple programmes", "programmes", "frm.x.programmes", "frm.x.programmes_hint", required="yes",
          relevant="../registered = 'yes'"),
        q("select_one yes_no", "follow_up", "frm.x.follow_up", relevant="../registered = 'no'"),
        q("text", "row_note", "frm.x.row_note"),
        q("end_repeat", ""),
        q("text", "note", "frm.x.note", appearance="multiline"),
    ]

    c_cols = ["list_name", "name", L_ID, L_EN, "event", "province"]
    choices: list[list] = []

    def choice(list_name: str, name: str, label_id: str, label_en: str, event: str | None = None, province: str | None = None) -> None:
        choices.append([list_name, name, label_id, label_en, event, province])

    for e in events:
        where = [e.partner, e.regency]
        choice("events", e.event_id, *(" · ".join([f"{_weekday(dt.date.fromisoformat(e.date), lg)[:3]}, "
                                                    f"{fmt_date(e.date, lg)} {clock(e.start_time, e.timezone, lg)}", *where, e.event_id])
                                       for lg in ("id", "en")), province=e.province_code)
    for s in rp.STATUSES:
        choice("status", s, *_labels(f"frm.status.{s}"))
    for r in rp.CANCEL_REASONS:
        choice("cancel_reasons", r, *_labels(f"cancel.{r}"))
    choice("yes_no", "yes", *_labels("frm.yes"))
    choice("yes_no", "no", *_labels("frm.no"))
    for p in PROGRAMMES:
        choice("programmes", p, *_labels(f"frm.programme.{p}"))
    if not inv.empty:
        for eid, bid, name, owner in zip(inv["event_id"], inv["business_id"], inv["name"], inv["owner"]):
            label = f"{name} ({owner})" if owner else str(name)
            choice("invitees", choice_name(str(bid)), label, label, event=eid)
    else:
        choice("invitees", "_none", *_labels("frm.x.nobody"), event="-")
    for code, name, prov in regencies:
        choice("regencies", code, f"{name} ({code})", f"{name} ({code})", province=prov)
    for code, name_id, name_en in sectors:
        choice("sectors", code, f"{code} – {name_id}", f"{code} – {name_en}")
    for s in SIZE_CLASSES:
        choice("size_classes", s, *_labels(f"frm.size.{s}"))

    fid = form_id(plan_id, staff_id)
    fingerprint = json.dumps(
        [[e.event_id, e.date, e.start_time, e.partner_id, e.regency_code, e.staff_id] for e in events]
        + (inv[["event_id", "business_id", "name"]].astype(str).values.tolist() if not inv.empty else []),
        ensure_ascii=False,
    )
    version = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:12]
    title = t("frm.x.title_plan", lang, plan=events[0].plan_name) if plan_id is not None else t(
        "frm.x.title_staff", lang, staff=events[0].staff or staff_id)
    settings = [["form_title", "form_id", "version", "default_language", "instance_name"],
                [title, fid, version, _LANG_NAMES.get(lang, LANG_ID), "concat(${event_id}, ' ', ${status})"]]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(s_cols)
    for r in survey:
        ws.append(r)
    ws = wb.create_sheet("choices")
    ws.append(c_cols)
    for r in choices:
        ws.append([neutralise_cell(v) if isinstance(v, str) else v for v in r])
    ws = wb.create_sheet("settings")
    for r in settings:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    check_xlsform(data, lang)
    return data


@dataclass(frozen=True)
class XFormCheck:
    """What pyxform made of an XLSForm: the XForm XML and its warnings."""

    xml: str
    warnings: tuple[str, ...]


def check_xlsform(data: bytes, lang: str = DEFAULT_LANG) -> XFormCheck:
    """Convert an XLSForm with pyxform (its own checks; ODK Validate needs Java, which
    is not assumed) and return the XForm; raises ``PlannerError`` naming pyxform's error."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    try:
        result = convert(xlsform=data, warnings=warnings, file_type=".xlsx")
    except PyXFormError as exc:
        raise PlannerError(t("frm.xlsform_invalid", lang, detail=str(exc)[:300])) from None
    return XFormCheck(result.xform, tuple(warnings))


# --------------------------------------------------------------------------- 4. submissions exports
class ParsedReports(list):
    """``RawReport`` values read from a file, with ``notes``: the submissions left out
    (an older one for the same event, or one rejected on the server), in words."""

    notes: list[str]

    def __init__(self, items: Iterable[rp.RawReport] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(items)
        self.notes = list(notes)


_SUBMISSION_MARKERS = {"KEY", "SubmissionDate", "_uuid", "_submission_time", "instanceID", "_id", "_index"}
_META = {"KEY", "PARENT_KEY", "SubmissionDate", "_uuid", "_submission_time", "_index", "_parent_index", "_parent_table_name",
         "_submission__uuid", "_submission__submission_time", "ReviewState", "_validation_status", "_id", "_submission__id"}
_SUBMISSION_FIELDS = set(rp.REPORT_FIELDS) | {"event_id", "present", "instanceID", "business_id", "registered", "workers_registered",
                                               "programmes", "follow_up", "row_note", "name", "regency_code", "sector", "size_class",
                                               "workers", "phone"}
_MULTI = {"present", "programmes"}


def _field_of(header: str) -> str | None:
    """What a column of an export holds: ODK Central joins group names with ``-``
    (``meta-instanceID``), KoboToolbox with ``/`` (``meta/instanceID``); either may leave
    them out. A split select_multiple column (``present/U000123``) is none of ours."""
    h = str(header).strip()
    if h in _META:
        return h
    parts = [p for p in re.split(r"[/\-]", h) if p]
    if not parts:
        return None
    if len(parts) >= 2 and any(p in _MULTI for p in parts[:-1]):
        return None
    return parts[-1] if parts[-1] in _SUBMISSION_FIELDS else None


@dataclass
class _Table:
    name: str
    df: pd.DataFrame
    cols: dict[str, str]  # field -> header
    at: dict[str, int]  # field -> position of that header (a header may be written twice)

    def values(self, field: str) -> list[str]:
        if field not in self.cols:
            return [""] * len(self.df)
        return [_cell(v) for v in self.df.iloc[:, self.at[field]].tolist()]

    @property
    def rows(self) -> list[int]:
        return (self.df.index.to_numpy() + 2).tolist()


def _table(name: str, df: pd.DataFrame) -> _Table:
    cols: dict[str, str] = {}
    at: dict[str, int] = {}
    for i, h in enumerate(df.columns):
        f = _field_of(h)
        if f is None:
            continue
        if f not in cols or len(str(h)) < len(cols[f]):  # the plainest header wins (``status`` over ``x/status``)
            cols[f], at[f] = str(h), i
    return _Table(name, df, cols, at)


def _is_plain_zip(data: bytes, filename: str | None) -> bool:
    if data[:4] != b"PK\x03\x04":
        return False
    if filename and filename.lower().endswith(".zip"):
        return True
    if filename and filename.lower().endswith((".xlsx", ".xlsm")):
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return "[Content_Types].xml" not in names


def _is_xlsx(data: bytes, filename: str | None) -> bool:
    return (bool(filename) and filename.lower().endswith((".xlsx", ".xlsm"))) or (data[:4] == b"PK\x03\x04" and not _is_plain_zip(data, filename))


def _read_tables(data: bytes, filename: str | None, lang: str) -> list[_Table]:
    """Every table of an upload: the CSVs of a zip (ODK Central's export: main table and
    one per repeat; media files are skipped), the sheets of an XLSX (KoboToolbox: one per
    repeat), or one CSV."""
    kind = _kind(lang)
    if not data:
        return [_table(filename or "", read_table(data, kind, filename=filename, lang=lang))]
    if _is_plain_zip(data, filename):
        zf = check_zip(data, kind, lang, max_bytes=MAX_SUBMISSION_ZIP_BYTES)
        tables = []
        for info in zf.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".csv") or "/media/" in "/" + info.filename:
                continue
            try:
                member = zf.read(info)
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, OSError, EOFError, ValueError) as exc:
                issues = _Issues(lang)
                issues.add(None, None, info.filename, "zip_member", file=info.filename, detail=f"{type(exc).__name__}: {exc}"[:120])
                issues.raise_if_any()
            name = Path(info.filename).name
            tables.append(_table(name, read_table(member, kind, filename=name, lang=lang)))
        if not tables:
            issues = _Issues(lang)
            issues.add(None, None, filename or "", "zip_no_csv")
            issues.raise_if_any()
        return tables
    if _is_xlsx(data, filename):
        first = _table("", read_table(data, kind, filename=filename or "x.xlsx", lang=lang))
        if _detect([first]) == "template":
            return [first]  # a template's other sheets are its instructions and choices
        names = sheet_names(data, kind, lang)
        first.name = names[0]
        return [first] + [_table(s, read_table(data, kind, filename=filename or "x.xlsx", lang=lang, sheet=s)) for s in names[1:]]
    return [_table(filename or "", read_table(data, kind, filename=filename, lang=lang))]


def parse_submissions(data: bytes, filename: str | None = None, lang: str = DEFAULT_LANG) -> ParsedReports:
    """The reports in an export of XLSForm submissions (``source="odk"``, submission id =
    the submission's ``meta/instanceID``):

    - ODK Central: the zip of CSVs (``<form>.csv`` with ``SubmissionDate``,
      ``meta-instanceID`` and ``KEY``, and one ``<form>-<repeat>.csv`` per repeat linked
      by ``PARENT_KEY``), or its main CSV alone;
    - KoboToolbox: the CSV (``;`` or ``,``; ``meta/instanceID`` or ``_uuid``,
      ``_submission_time``) or the XLSX with one sheet per repeat (linked by
      ``_submission__uuid`` or ``_parent_index``), exported with XML values and headers.

    Without the repeats, the invitees ticked as present are reported present, without
    registrations. Of two submissions for one event the newer (``SubmissionDate`` /
    ``_submission_time``) wins; the other, and any rejected on the server, are named in
    the result's ``notes``. Raises ``ImportFailed`` for a file that is not such an export."""
    tables = _read_tables(data, filename, lang)
    return _parse_submission_tables(tables, lang)


def _time(value: str) -> dt.datetime | None:
    v = value.strip()
    if not v:
        return None
    try:
        d = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return d.astimezone(dt.timezone.utc).replace(tzinfo=None) if d.tzinfo else d


def _parse_submission_tables(tables: list[_Table], lang: str) -> ParsedReports:
    issues = _Issues(lang)
    mains = [tb for tb in tables if "event_id" in tb.cols and not ({"PARENT_KEY", "_parent_index"} & set(tb.cols))]
    if not mains:
        seen = ", ".join(f"{tb.name}: {', '.join(map(str, tb.df.columns[:8]))}" for tb in tables[:3])
        issues.add(1, "event_id", seen, "export_no_main")
        issues.raise_if_any()
    main = mains[0]
    label = lambda tb, f: f"{tb.name}: {tb.cols.get(f, f)}" if len(tables) > 1 else tb.cols.get(f, f)  # noqa: E731
    ids = main.values("instanceID")
    uuids = main.values("_uuid")
    keys = main.values("KEY")
    if "instanceID" not in main.cols and "_uuid" not in main.cols and "KEY" not in main.cols:
        issues.add(1, "meta/instanceID", "", "export_no_instance")
        issues.raise_if_any()
    times = main.values("SubmissionDate") if "SubmissionDate" in main.cols else main.values("_submission_time")
    review = main.values("ReviewState")
    validation = main.values("_validation_status")
    index = main.values("_index")
    rows = main.rows
    subs: list[dict] = []
    link: dict[str, int] = {}
    notes: list[str] = []
    for i in range(len(main.df)):
        sid = ids[i] or (f"uuid:{uuids[i]}" if uuids[i] and not uuids[i].startswith("uuid:") else uuids[i]) or keys[i]
        if not sid:
            issues.add(rows[i], label(main, "instanceID"), "", "submission_no_id")
            continue
        if review[i].lower() == "rejected" or validation[i] == "validation_status_not_approved":
            notes.append(t("frm.skipped_rejected", lang, row=rows[i], submission=sid))
            continue
        raw_time = times[i]
        when = _time(raw_time)
        if raw_time and when is None:
            issues.add(rows[i], label(main, "SubmissionDate" if "SubmissionDate" in main.cols else "_submission_time"), raw_time,
                       "submission_time")
        sub = {"i": i, "row": rows[i], "id": sid, "when": when, "rows": [], "covered": set()}
        subs.append(sub)
        for k in {keys[i], uuids[i], sid, ("uuid:" + uuids[i]) if uuids[i] else "", ("index:" + index[i]) if index[i] else ""} - {""}:
            link[k] = len(subs) - 1
    issues.raise_if_any()

    # repeats: invitees present, walk-ins
    for tb in tables:
        if tb is main:
            continue
        if not ({"PARENT_KEY", "_parent_index", "_submission__uuid"} & set(tb.cols)):
            continue
        low = tb.name.lower().rsplit(".", 1)[0]
        is_invitee = low.endswith(REPEAT_INVITEE) or ("business_id" in tb.cols and "regency_code" not in tb.cols)
        is_walk_in = low.endswith(REPEAT_WALK_IN) or ("regency_code" in tb.cols and "business_id" not in tb.cols)
        if not (is_invitee or is_walk_in):
            continue
        parents = tb.values("PARENT_KEY")
        sub_uuids = tb.values("_submission__uuid")
        parent_index = tb.values("_parent_index")
        trows = tb.rows
        fields = {f: tb.values(f) for f in ("business_id", "registered", "workers_registered", "programmes", "follow_up", "row_note",
                                           "name", "regency_code", "sector", "size_class", "workers", "phone")}
        columns = {f: label(tb, f) for f in fields}
        columns["note"] = columns.pop("row_note")
        for j in range(len(tb.df)):
            key = parents[j] or sub_uuids[j] and ("uuid:" + sub_uuids[j] if not sub_uuids[j].startswith("uuid:") else sub_uuids[j])
            s = link.get(key) if key else None
            if s is None and parent_index[j]:
                s = link.get("index:" + parent_index[j])
            if s is None:
                issues.add(trows[j], label(tb, "PARENT_KEY" if "PARENT_KEY" in tb.cols else "_parent_index"),
                           parents[j] or sub_uuids[j] or parent_index[j], "repeat_orphan", table=tb.name)
                continue
            v = {f: fields[f][j] for f in fields}
            v["note"] = v.pop("row_note")
            if is_invitee:
                v["business_id"] = business_of_choice(v["business_id"])
                for f in ("name",) + WALK_IN_FIELDS:
                    v[f] = ""
                subs[s]["covered"].add(v["business_id"])
            else:
                v["business_id"] = ""
            subs[s]["rows"].append(rp.RawRow(v, trows[j], columns))
    issues.raise_if_any()

    fields_of = {f: main.values(f) for f in rp.REPORT_FIELDS}
    events = main.values("event_id")
    present = main.values("present")
    by_event: dict[str, list[dict]] = {}
    for sub in subs:
        by_event.setdefault(events[sub["i"]], []).append(sub)
    out = ParsedReports(notes=notes)
    cols = {f: label(main, f) for f in ("event_id", *rp.REPORT_FIELDS)}
    cols["submission_id"] = label(main, "instanceID" if "instanceID" in main.cols else ("_uuid" if "_uuid" in main.cols else "KEY"))
    for sub in subs:
        eid = events[sub["i"]]
        rivals = by_event[eid] if eid else [sub]
        if len(rivals) > 1:
            newest = max(rivals, key=lambda s: (s["when"] or dt.datetime.min, s["row"]))
            if newest is not sub:
                notes.append(t("frm.superseded", lang, row=sub["row"], submission=sub["id"], event=eid, by=newest["id"], by_row=newest["row"]))
                continue
        i = sub["i"]
        rows_ = list(sub["rows"])
        for choice_ in present[i].split():
            bid = business_of_choice(choice_)
            if bid not in sub["covered"] and bid != "_none":
                rows_.append(rp.RawRow({"business_id": bid}, sub["row"], {"business_id": label(main, "present")}))
                sub["covered"].add(bid)
        rows_.sort(key=lambda r: (r.values.get("business_id") == "", r.row or 0))
        out.append(rp.RawReport(eid, {f: fields_of[f][i] for f in rp.REPORT_FIELDS}, rows_, row=sub["row"], columns=cols,
                                submission_id=sub["id"], source=SOURCE_SUBMISSIONS))
    out.notes = notes
    if not out and not notes:
        issues.add(None, None, "", "nothing_reported")
    issues.raise_if_any()
    return out


# --------------------------------------------------------------------------- 5. one entry point
def detect(data: bytes, filename: str | None = None, lang: str = DEFAULT_LANG) -> str:
    """``"template"`` or ``"submissions"``: what an uploaded report file is."""
    return _detect(_read_tables(data, filename, lang))


def _detect(tables: list[_Table]) -> str:
    if len(tables) > 1:
        return "submissions"
    headers = {str(h).strip() for h in tables[0].df.columns}
    fields = set(tables[0].cols)
    if headers & _SUBMISSION_MARKERS or "instanceID" in fields:
        return "submissions"
    return "template"


def import_reports(db: sqlite_utils.Database, actor: User, data: bytes, filename: str | None = None, lang: str = DEFAULT_LANG,
                   *, on: dt.date | None = None) -> rp.SaveResult:
    """Import a filled report template or a submissions export (whichever ``data`` is)
    through ``reports.save``: all of it, or nothing with every issue named. The result's
    ``superseded`` lists the submissions left out in favour of newer ones."""
    require(actor, "admin", "manager", "staff", lang=lang)
    tables = _read_tables(data, filename, lang)
    if _detect(tables) == "submissions":
        parsed = _parse_submission_tables(tables, lang)
        notes = tuple(parsed.notes)
    else:
        parsed = _parse_template_frame(tables[0].df, lang)
        notes = ()
    if not parsed:
        return rp.SaveResult(0, 0, 0, 0, 0, 0, notes)
    result = rp.save(db, actor, parsed, lang=lang, on=on)
    return replace(result, superseded=notes)


def describe_result(result: rp.SaveResult, lang: str = DEFAULT_LANG) -> str:
    """One line for an import: how many reports, rows, registrations and new businesses."""
    return t("frm.result", lang, reports=fmt_int(result.reports), created=fmt_int(result.created), updated=fmt_int(result.updated),
             rows=fmt_int(result.rows), registrations=fmt_int(result.registrations), new=fmt_int(result.walk_ins_new))


# --------------------------------------------------------------------------- 6. attendance sheet
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
ROWS_PER_PAGE = 25
MIN_WALK_IN_ROWS = 10


def attendance_pages(invitees: int) -> int:
    """Pages of an attendance sheet: ``ROWS_PER_PAGE`` numbered rows a page, invitees
    first; then the blank rows for walk-ins fill the rest of the last page when at least
    ``MIN_WALK_IN_ROWS`` fit there under their heading, else a page of their own
    (``ROWS_PER_PAGE`` blank rows). 60 invitees: 3 pages (25, 25, 10 + 14 blank)."""
    full, rest = divmod(invitees, ROWS_PER_PAGE)
    if rest == 0:
        return full + 1
    return full + 1 if ROWS_PER_PAGE - rest - 1 >= MIN_WALK_IN_ROWS else full + 2


def attendance_sheet(db: sqlite_utils.Database, actor: User, event_id: str, lang: str = DEFAULT_LANG, *,
                     font_dir: Path | None = None) -> bytes:
    """A printable attendance sheet (PDF, A4) of an event: the event (id, date the
    Indonesian way, start time in the province's zone, partner and address, staff
    member), then its invitees, ``ROWS_PER_PAGE`` a page (No., business, owner, phone,
    boxes *Hadir* and *Daftar*, signature), then numbered blank rows for walk-ins (see
    ``attendance_pages``), and "Halaman 1 dari N" on every page. Names print in any
    script DejaVu Sans covers; without that font the sheet still prints, in a core font
    with the characters it lacks replaced by '?'."""
    from fpdf import FPDF

    (ev,) = _events(db, actor, [event_id], lang)
    inv = _invitees(db, [event_id])
    folder = font_dir or FONT_DIR
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    unicode_font = regular.is_file() and bold.is_file()
    family = "DejaVu" if unicode_font else "helvetica"

    def text(s: object) -> str:
        s = "" if s is None else str(s)
        return s if unicode_font else s.encode("latin-1", "replace").decode("latin-1")

    class Sheet(FPDF):
        def footer(self) -> None:
            self.set_y(-13)
            self.set_font(family, "", 8)
            self.cell(0, 6, text(t("frm.pdf.page", lang, page=self.page_no(), n="{nb}")), align="C")

    pdf = Sheet(orientation="P", unit="mm", format="A4")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(False)
    pdf.alias_nb_pages()
    pdf.set_title(text(f"{t('frm.pdf.title', lang)} {ev.event_id}"))
    pdf.set_creator("Jangkau")
    if unicode_font:
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
    widths = (10, 56, 40, 28, 14, 14, 28)  # 190 mm between the margins
    heads = [t(f"frm.pdf.{k}", lang) for k in ("no", "business", "owner", "phone", "present", "registered", "signature")]
    row_h = 7.5

    def page_header(walk_ins_only: bool) -> None:
        pdf.add_page()
        pdf.set_font(family, "B", 13)
        pdf.cell(0, 7, text(t("frm.pdf.org", lang)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "B", 11)
        pdf.cell(0, 6, text(f"{t('frm.pdf.title', lang)} · {ev.event_id}"), new_x="LMARGIN", new_y="NEXT")
        facts = [
            (t("frm.pdf.when", lang), f"{long_date(ev.date, lang)}, {clock(ev.start_time, ev.timezone, lang)}"),
            (t("frm.pdf.partner", lang), ev.partner),
            (t("frm.pdf.address", lang), ev.address or f"{ev.regency}, {ev.province}"),
            (t("frm.pdf.staff", lang), ev.staff or "–"),
        ]
        for k, v in facts:
            pdf.set_font(family, "B", 9)
            pdf.cell(30, 5, text(k))
            pdf.set_font(family, "", 9)
            pdf.cell(0, 5, text(_fit(pdf, text(v), 158)), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        if walk_ins_only:
            sub_heading()
        pdf.set_font(family, "B", 8.5)
        pdf.set_fill_color(221, 235, 247)
        for w, h in zip(widths, heads):
            pdf.cell(w, row_h, text(h), border=1, align="C", fill=True)
        pdf.ln(row_h)
        pdf.set_font(family, "", 8.5)

    def sub_heading() -> None:
        pdf.set_font(family, "B", 9)
        pdf.cell(0, row_h, text(t("frm.pdf.walk_ins", lang)), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 8.5)

    def line(no: int, name: str = "", owner: str = "", phone: str = "") -> None:
        y, x = pdf.get_y(), pdf.l_margin
        for k, (w, v) in enumerate(zip(widths, (str(no), name, owner, phone, "", "", ""))):
            pdf.set_xy(x, y)
            pdf.cell(w, row_h, text(_fit(pdf, text(v), w - 2)), border=1, align="C" if k == 0 else "L")
            if k in (4, 5):
                pdf.rect(x + w / 2 - 2.25, y + row_h / 2 - 2.25, 4.5, 4.5)
            x += w
        pdf.set_xy(pdf.l_margin, y + row_h)

    records = list(zip(inv["name"], inv["owner"], inv["phone"])) if not inv.empty else []
    pages = attendance_pages(len(records))
    no = 0
    for page in range(pages):
        chunk = records[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]
        page_header(walk_ins_only=not chunk)
        for name, owner, phone in chunk:
            no += 1
            line(no, name, owner or "", phone or "")
        if page == pages - 1:
            blank = ROWS_PER_PAGE
            if chunk:
                sub_heading()
                blank = ROWS_PER_PAGE - len(chunk) - 1
            for _ in range(blank):
                no += 1
                line(no)
            pdf.ln(4)
            pdf.set_font(family, "", 9)
            pdf.cell(0, 5, text(t("frm.pdf.sign", lang, staff=ev.staff or "")), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _fit(pdf, s: str, width: float) -> str:
    """``s`` cut with an ellipsis to fit ``width`` mm in the current font."""
    if not s or pdf.get_string_width(s) <= width:
        return s
    while s and pdf.get_string_width(s + "…") > width:
        s = s[:-1]
    return s + "…"


__all__ = [
    "TEMPLATE_COLUMNS", "REQUIRED_COLUMNS", "EventInfo", "ParsedReports", "XFormCheck", "attendance_pages", "attendance_sheet",
    "business_of_choice", "check_xlsform", "choice_name", "clock", "describe_result", "detect", "form_id", "import_reports",
    "long_date", "parse_report_file", "parse_submissions", "report_template", "template_frame", "xlsform",
]
