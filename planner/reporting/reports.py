"""Event reports: held or cancelled, who came, who registered; and what follows from them.

Every way a report arrives (the form on *Laporan*, a filled report template, the CSV
export of ODK/Kobo submissions) is turned into ``RawReport`` values of plain text and
goes through ``validate`` and ``save``: the whole batch is checked first, every problem
is named by row, column, value and fix, and nothing is written unless every report in
it is valid. Saving the same report again updates it (a report is keyed by its event,
a submission by its instance id), never duplicates it.

A saved report is the ground truth of the loop plan -> event -> report -> learning:
- each business present is a row of the report (invited, or a walk-in: an existing
  business or a new one, which becomes a business);
- every invitee and walk-in becomes a contact tied to the event (attended or not,
  enrolled, workers enrolled, programmes, the probability with which the plan chose to
  invite it), which the next ``train`` learns from;
- a business that registered is marked enrolled; one that needs follow-up becomes a
  lead on the follow-up list of the event's staff member;
- the event's actuals (held, attendance, businesses present, registrations, workers)
  are stored with the report and shown next to the plan's expected figures.

Two people editing one report: each save names the version it started from; a save
from an older version is refused with who changed it and when (no silent overwrite).
Every write is audited with the report before and after.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
import sqlite_utils

from planner.auth import AccessDenied, User, require
from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, WIB, fmt_date, fmt_datetime, fmt_int, t
from planner.imports import MAX_ERRORS_KEPT, ImportFailed, ImportIssue
from planner.vocabulary import PROGRAMMES, SIZE_CLASSES, excluded_programmes, mandatory_programmes, parse_programmes

STATUSES = ("held", "cancelled")
CANCEL_REASONS = ("weather", "partner", "staff", "turnout", "venue", "disaster", "other")
SOURCES = ("form", "upload", "odk")
MAX_TEXT = 1000  # characters of a note or cancellation text
MAX_NAME = 200
EARLIEST_DAYS = 31  # an event may have been held this many days before its planned date...
LATEST_DAYS = 90  # ...or this many days after it
FOLLOW_UP_DAYS = 7  # a lead is due this many days after the event
MAX_WORKERS = 100_000
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")
REPORT_FIELDS = ("status", "held_on", "attendance", "cancel_reason", "cancel_note", "note")
ROW_FIELDS = ("business_id", "registered", "workers_registered", "programmes", "follow_up", "note",
              "name", "regency_code", "sector", "size_class", "workers", "phone")
_BLANK_ROW = dict.fromkeys(ROW_FIELDS, "")
NEW_BUSINESS_FIELDS = ("name", "regency_code", "sector", "size_class", "workers")


def today() -> dt.date:
    """Today in WIB, the agency's clock (a report cannot be for a day after it)."""
    return dt.datetime.now(WIB).date()


# --------------------------------------------------------------------------- input
@dataclass
class RawRow:
    """One business present, as text from its source; ``row`` is where it is in the
    source (a spreadsheet row, a form line) for messages."""

    values: dict[str, object]
    row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> column name, where it differs from the report's

    def column(self, name: str, report: RawReport) -> str:
        """Where ``name`` of this row is in the source: a row of another table (a repeat
        of a submissions export) or a column named apart from the report's field of the
        same name (the template's ``row_note``) says so here."""
        return self.columns.get(name) or report.column(name)


@dataclass
class RawReport:
    """One event's report, as text from its source."""

    event_id: str
    fields: dict[str, object]
    rows: list[RawRow] = field(default_factory=list)
    row: int | None = None  # where the report's own fields are in the source
    columns: dict[str, str] = field(default_factory=dict)  # field -> column name in the source
    expected_version: int | None = None  # the version the person started from (form)
    submission_id: str | None = None  # ODK/Kobo meta/instanceID
    source: str = "form"

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


class CleanRow(NamedTuple):
    """One checked row (a named tuple: a report file has tens of thousands of them)."""

    business_id: str
    new_business: dict | None  # a walk-in not yet in the database: its record
    invited: int
    walk_in: int
    registered: int
    workers_registered: int
    programmes: str
    follow_up: int
    note: str
    workers_update: int | None  # the business's workers as reported, where they changed


@dataclass(frozen=True)
class CleanReport:
    event_id: str
    plan_id: int
    status: str
    held_on: str | None
    attendance: int
    cancel_reason: str | None
    cancel_note: str
    note: str
    rows: tuple[CleanRow, ...]
    expected_version: int | None
    submission_id: str | None
    source: str

    @property
    def present(self) -> int:
        return len(self.rows)

    @property
    def registrations(self) -> int:
        return sum(r.registered for r in self.rows)

    @property
    def workers_registered(self) -> int:
        return sum(r.workers_registered for r in self.rows)


# --------------------------------------------------------------------------- validation
class _Issues:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.items: list[ImportIssue] = []
        self.total = 0

    def add(self, row: int | None, column: str | None, value: object, problem: str, **params: object) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS_KEPT:
            v = "" if value is None else str(value)
            v = v.replace("\n", " ")
            self.items.append(ImportIssue(row, column, v if len(v) <= 60 else v[:59] + "…",
                                          t("rep." + problem, self.lang, **params), t("rfix." + problem, self.lang, **params)))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


_INT = re.compile(r"^[+]?[0-9]{1,9}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _int(value: str) -> int | None:
    return int(value) if _INT.match(value) else None


_FLAGS = {"1": 1, "0": 0, "": 0, "yes": 1, "no": 0}  # the usual cells, looked up before ``_flag``


def _flag(value: str) -> int | None:
    v = value.lower()
    if v in ("1", "ya", "yes", "y", "true"):
        return 1
    if v in ("0", "tidak", "no", "n", "false", ""):
        return 0
    return None


@dataclass
class _Context:
    """What validation needs from the database, read once per batch."""

    events: dict[str, dict]
    invited: dict[str, dict[str, float | None]]  # event -> business -> selection probability
    businesses: dict[str, dict]
    regencies: dict[str, str]  # code -> province
    sectors: set[str]
    versions: dict[str, tuple[int, str, str]]  # event -> (version, updated_by, updated_at)
    submissions: dict[str, str]  # instance id -> event id
    walk_ins: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)  # event -> (name, regency) -> id
    walk_in_max: dict[str, int] = field(default_factory=dict)  # event -> highest number of its walk-in ids


def _load_context(db: sqlite_utils.Database, reports: list[RawReport]) -> _Context:
    ids = sorted({r.event_id for r in reports if r.event_id})
    events: dict[str, dict] = {}
    invited: dict[str, dict[str, float | None]] = {}
    versions: dict[str, tuple[int, str, str]] = {}
    wanted = {x.strip() if type(x) is str else _text(x)
              for r in reports for row in r.rows if (x := row.values.get("business_id"))} - {""}
    businesses: dict[str, dict] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        q = ",".join("?" * len(chunk))
        cur = db.execute(
            "SELECT e.event_id, e.plan_id, e.event_date, e.status AS event_status, e.staff_id, e.regency_code, g.province_code, "
            f"p.status AS plan_status FROM events e JOIN plans p ON p.plan_id = e.plan_id JOIN regencies g ON g.code = e.regency_code "
            f"WHERE e.event_id IN ({q})", chunk,
        )
        names = [d[0] for d in cur.description]
        for row in cur.fetchall():
            events[row[0]] = dict(zip(names, row))
        for eid, bid, prob in db.execute(f"SELECT event_id, business_id, selection_prob FROM invitations WHERE event_id IN ({q})", chunk):
            invited.setdefault(eid, {})[bid] = prob
        for eid, v, by, at in db.execute(f"SELECT event_id, version, updated_by, updated_at FROM event_reports WHERE event_id IN ({q})", chunk):
            versions[eid] = (v, by, at)
    # Walk-ins new to Jangkau that earlier reports of these events made (ids W<event>-NNN):
    # the same walk-in again (same name and regency) keeps its id, a new one takes the next.
    walk_ins: dict[str, dict[tuple[str, str], str]] = {}
    walk_in_max: dict[str, int] = {}
    for eid in ids:
        prefix = f"W{eid}-"  # a range on the key (an index seek); "." is the character after "-"
        for bid, name, regency in db.execute("SELECT business_id, name, regency_code FROM businesses WHERE business_id >= ? AND business_id < ?",
                                             [prefix, prefix[:-1] + "."]):
            tail = bid[len(eid) + 2:]
            if tail.isdigit():
                walk_ins.setdefault(eid, {})[(name.strip().lower(), regency)] = bid
                walk_in_max[eid] = max(walk_in_max.get(eid, 0), int(tail))
    rest = sorted(wanted)  # in key order: each chunk reads neighbouring pages
    for chunk in (rest[i : i + 500] for i in range(0, len(rest), 500)):
        q = ",".join("?" * len(chunk))
        for bid, size, workers, enrolled in db.execute(
                f"SELECT business_id, size_class, workers, enrolled FROM businesses WHERE business_id IN ({q})", chunk):
            businesses[bid] = {"size_class": size, "workers": workers, "enrolled": enrolled}
    regencies = {r[0]: r[1] for r in db.execute("SELECT code, province_code FROM regencies")}
    sectors = {r[0] for r in db.execute("SELECT code FROM sectors")}
    subs = [r.submission_id for r in reports if r.submission_id]
    submissions = {}
    for chunk in (subs[i : i + 500] for i in range(0, len(subs), 500)):
        q = ",".join("?" * len(chunk))
        submissions.update({r[0]: r[1] for r in db.execute(f"SELECT instance_id, event_id FROM report_submissions WHERE instance_id IN ({q})", chunk)})
    return _Context(events, invited, businesses, regencies, sectors, versions, submissions, walk_ins, walk_in_max)


@functools.lru_cache(maxsize=256)
def _programmes(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``parse_programmes``, remembered: a file repeats a handful of programme lists."""
    if not text:
        return (), ()
    known, unknown = parse_programmes(text)
    return tuple(known), tuple(unknown)


def _regency(code: str) -> str:
    return code[:2] + "." + code[2:] if re.fullmatch(r"[0-9]{4}", code) else code


def validate(db: sqlite_utils.Database, actor: User, reports: Iterable[RawReport], *, lang: str = DEFAULT_LANG,
             on: dt.date | None = None) -> list[CleanReport]:
    """Check every report of a batch; returns them clean, or raises ``ImportFailed``
    naming every problem (row, column, value, fix). ``on`` is today (tests)."""
    require(actor, "admin", "manager", "staff", lang=lang)
    reports = list(reports)
    return _check(_load_context(db, reports), actor, reports, on or today(), lang)


def _check(ctx: _Context, actor: User, reports: list[RawReport], on: dt.date, lang: str) -> list[CleanReport]:
    """``validate`` on a context already read: the result depends on nothing else."""
    issues = _Issues(lang)
    clean: list[CleanReport] = []
    seen_events: dict[str, int | None] = {}
    seen_subs: set[str] = set()
    for rep in reports:
        before = issues.total
        c = _validate_one(rep, ctx, actor, on, issues, seen_events, seen_subs)
        if c is not None and issues.total == before:
            clean.append(c)
    if issues.total:
        raise ImportFailed(t("kind.reports", lang), sorted(issues.items, key=lambda i: (i.row or 0)), issues.total, lang)
    return clean


def _validate_one(rep: RawReport, ctx: _Context, actor: User, on: dt.date, issues: _Issues,
                  seen_events: dict[str, int | None], seen_subs: set[str]) -> CleanReport | None:
    eid = _text(rep.event_id)
    col = rep.column
    ev = ctx.events.get(eid)
    if not eid:
        issues.add(rep.row, col("event_id"), "", "event_missing", field=col("event_id"))
        return None
    if ev is None:
        issues.add(rep.row, col("event_id"), eid, "event_unknown")
        return None
    if ev["plan_status"] != "published":
        issues.add(rep.row, col("event_id"), eid, "event_draft", plan=ev["plan_id"])
        return None
    if ev["event_status"] != "planned":
        issues.add(rep.row, col("event_id"), eid, "event_cancelled_in_plan")
        return None
    if not actor.covers(ev["province_code"]):
        issues.add(rep.row, col("event_id"), eid, "event_other_province", province=ev["province_code"],
                   mine=", ".join(actor.provinces) or "-")
        return None
    if eid in seen_events:
        issues.add(rep.row, col("event_id"), eid, "event_twice", first=seen_events[eid] or "-")
        return None
    seen_events[eid] = rep.row
    sub = _text(rep.submission_id) or None
    if sub:
        if sub in seen_subs:
            issues.add(rep.row, col("submission_id"), sub, "submission_twice")
        seen_subs.add(sub)
        if sub in ctx.submissions and ctx.submissions[sub] != eid:
            issues.add(rep.row, col("submission_id"), sub, "submission_other_event", event=ctx.submissions[sub])
    if rep.expected_version is not None and eid in ctx.versions and ctx.versions[eid][0] != rep.expected_version:
        _, by, at = ctx.versions[eid]
        issues.add(rep.row, col("event_id"), eid, "conflict", who=by, when=fmt_datetime(at, issues.lang))
        return None
    if rep.expected_version is not None and rep.expected_version > 0 and eid not in ctx.versions:
        issues.add(rep.row, col("event_id"), eid, "conflict_deleted")
        return None

    f = {k: _text(rep.fields.get(k)) for k in REPORT_FIELDS}
    status = f["status"].lower()
    status = {"diadakan": "held", "terlaksana": "held", "batal": "cancelled", "dibatalkan": "cancelled"}.get(status, status)
    if status not in STATUSES:
        issues.add(rep.row, col("status"), f["status"], "status", choices="held, cancelled")
        return None
    for k in ("note", "cancel_note"):
        if len(f[k]) > MAX_TEXT:
            issues.add(rep.row, col(k), f[k], "too_long", max=fmt_int(MAX_TEXT))
    planned = dt.date.fromisoformat(ev["event_date"])
    held_on = None
    attendance = 0
    cancel_reason = None
    if status == "cancelled":
        reason = f["cancel_reason"].lower()
        if reason not in CANCEL_REASONS:
            issues.add(rep.row, col("cancel_reason"), f["cancel_reason"], "cancel_reason", choices=", ".join(CANCEL_REASONS))
        if not f["cancel_note"]:
            issues.add(rep.row, col("cancel_note"), "", "cancel_note", field=col("cancel_note"))
        if rep.rows:
            issues.add(rep.rows[0].row, rep.rows[0].column("business_id", rep), _text(rep.rows[0].values.get("business_id")),
                       "cancelled_with_rows", status=col("status"))
        cancel_reason = reason
    else:
        if not f["held_on"]:
            issues.add(rep.row, col("held_on"), "", "held_on_missing", planned=planned.isoformat(), field=col("held_on"))
        elif not _DATE.match(f["held_on"]):
            issues.add(rep.row, col("held_on"), f["held_on"], "held_on_format")
        else:
            try:
                d = dt.date.fromisoformat(f["held_on"])
            except ValueError:
                issues.add(rep.row, col("held_on"), f["held_on"], "held_on_format")
            else:
                if d > on:
                    issues.add(rep.row, col("held_on"), f["held_on"], "held_on_future", today=on.isoformat())
                elif not planned - dt.timedelta(days=EARLIEST_DAYS) <= d <= planned + dt.timedelta(days=LATEST_DAYS):
                    issues.add(rep.row, col("held_on"), f["held_on"], "held_on_range", planned=planned.isoformat(),
                               first=(planned - dt.timedelta(days=EARLIEST_DAYS)).isoformat(),
                               last=(planned + dt.timedelta(days=LATEST_DAYS)).isoformat())
                else:
                    held_on = d.isoformat()
        att = _int(f["attendance"])
        if f["attendance"] == "" or att is None:
            issues.add(rep.row, col("attendance"), f["attendance"], "attendance")
        else:
            attendance = att

    invited = ctx.invited.get(eid, {})
    rows: list[CleanRow] = []
    seen_rows: dict[str, int | None] = {}
    new_ids = 0
    for raw in rep.rows:
        v = {**_BLANK_ROW, **raw.values}
        for k, x in raw.values.items():  # as text, stripped (the common case, clean text, costs one look)
            if type(x) is not str:
                v[k] = _text(x)
            elif x and (x[0].isspace() or x[-1].isspace()):
                v[k] = x.strip()
        r = raw.row
        col = (lambda name, _raw=raw: _raw.column(name, rep)) if raw.columns else rep.column  # noqa: E731
        bid = v["business_id"]
        known = ctx.businesses.get(bid) if bid else None
        new_business = None
        if known is None:
            missing = [k for k in NEW_BUSINESS_FIELDS if not v[k]]
            if bid and missing and len(missing) == len(NEW_BUSINESS_FIELDS):
                issues.add(r, col("business_id"), bid, "business_unknown")
                continue
            for k in missing:
                issues.add(r, col(k), "", "walk_in_field", field=col(k))
            if missing:
                continue
            if len(v["name"]) > MAX_NAME:
                issues.add(r, col("name"), v["name"], "too_long", max=fmt_int(MAX_NAME))
            regency = _regency(v["regency_code"])
            if regency not in ctx.regencies:
                issues.add(r, col("regency_code"), v["regency_code"], "regency")
            elif ctx.regencies[regency] != ev["province_code"]:
                issues.add(r, col("regency_code"), v["regency_code"], "regency_province", province=ev["province_code"])
            sector = v["sector"].upper()
            if sector not in ctx.sectors:
                issues.add(r, col("sector"), v["sector"], "sector")
            size = v["size_class"].lower()
            if size not in SIZE_CLASSES:
                issues.add(r, col("size_class"), v["size_class"], "size_class", choices=", ".join(SIZE_CLASSES))
            w = _int(v["workers"])
            if w is None or w < 1 or w > MAX_WORKERS:
                issues.add(r, col("workers"), v["workers"], "workers", max=fmt_int(MAX_WORKERS))
                continue
            if v["phone"] and not PHONE_RE.match(v["phone"]):
                issues.add(r, col("phone"), v["phone"], "phone")
            if not bid:
                bid = ctx.walk_ins.get(eid, {}).get((v["name"].strip().lower(), regency))
                if bid is None:
                    new_ids += 1
                    bid = f"W{eid}-{ctx.walk_in_max.get(eid, 0) + new_ids:03d}"
            elif len(bid) > 60 or not re.fullmatch(r"[A-Za-z0-9._\-/]+", bid):
                issues.add(r, col("business_id"), bid, "business_id_format")
            new_business = {"business_id": bid, "name": v["name"], "regency_code": regency, "sector": sector,
                            "size_class": size, "workers": w, "phone": v["phone"] or None}
            size_class, workers_now = size, w
            workers_update = None
        else:
            size_class = known["size_class"]
            workers_now = int(known["workers"])
            workers_update = None
            if v["workers"]:
                w = _int(v["workers"])
                if w is None or w < 1 or w > MAX_WORKERS:
                    issues.add(r, col("workers"), v["workers"], "workers", max=fmt_int(MAX_WORKERS))
                    continue
                if w != workers_now:
                    workers_update, workers_now = w, w
        if bid in seen_rows:
            issues.add(r, col("business_id"), bid, "row_twice", first=seen_rows[bid] or "-")
            continue
        seen_rows[bid] = r
        reg = _FLAGS.get(v["registered"])
        if reg is None:
            reg = _flag(v["registered"])
        if reg is None:
            issues.add(r, col("registered"), v["registered"], "flag", field=col("registered"))
            continue
        fu = _FLAGS.get(v["follow_up"])
        if fu is None:
            fu = _flag(v["follow_up"])
        if fu is None:
            issues.add(r, col("follow_up"), v["follow_up"], "flag", field=col("follow_up"))
            fu = 0
        wr = _int(v["workers_registered"]) if v["workers_registered"] else (0 if not reg else None)
        progs, unknown = _programmes(v["programmes"])
        if unknown:
            issues.add(r, col("programmes"), v["programmes"], "programme_unknown", choices=", ".join(PROGRAMMES))
        if reg:
            if wr is None or wr < 1:
                issues.add(r, col("workers_registered"), v["workers_registered"], "workers_registered_missing", field=col("workers_registered"))
            elif wr > workers_now:
                issues.add(r, col("workers_registered"), v["workers_registered"], "workers_registered_max",
                           workers=fmt_int(workers_now), workers_column=col("workers"))
            need = mandatory_programmes(size_class, workers_now)
            lacking = [p for p in need if p not in progs]
            if not unknown and lacking:
                issues.add(r, col("programmes"), v["programmes"], "programme_mandatory", need=";".join(need),
                           who=t(f"rep.who.{'bpu' if workers_now <= 1 else size_class}", issues.lang), lacking=", ".join(lacking))
            banned = [p for p in excluded_programmes(workers_now) if p in progs]
            if banned:
                issues.add(r, col("programmes"), v["programmes"], "programme_bpu_jp")
            if fu:
                issues.add(r, col("follow_up"), v["follow_up"], "follow_up_registered", field=col("follow_up"))
        else:
            if wr:
                issues.add(r, col("workers_registered"), v["workers_registered"], "workers_not_registered", field=col("workers_registered"), registered=col("registered"))
            if progs:
                issues.add(r, col("programmes"), v["programmes"], "programmes_not_registered", field=col("programmes"), registered=col("registered"))
        if len(v["note"]) > MAX_TEXT:
            issues.add(r, col("note"), v["note"], "too_long", max=fmt_int(MAX_TEXT))
        is_invited = bid in invited
        rows.append(CleanRow(bid, new_business, int(is_invited), int(not is_invited), reg, wr or 0, ";".join(progs) if reg else "",
                             fu, v["note"], workers_update))

    col = rep.column
    if status == "held" and attendance is not None:
        regs = sum(x.registered for x in rows)
        if len(rows) > attendance:
            issues.add(rep.row, col("attendance"), f["attendance"], "attendance_below_present", present=fmt_int(len(rows)))
        if regs > len(rows):  # cannot happen row by row; kept for the rule as stated
            issues.add(rep.row, col("attendance"), f["attendance"], "registrations_above_present")
    if rep.source not in SOURCES:
        raise AssertionError(rep.source)
    return CleanReport(eid, int(ev["plan_id"]), status, held_on, attendance if status == "held" else 0, cancel_reason,
                       f["cancel_note"], f["note"], tuple(rows), rep.expected_version, sub, rep.source)


# --------------------------------------------------------------------------- writing
@dataclass(frozen=True)
class SaveResult:
    reports: int
    created: int
    updated: int
    rows: int
    registrations: int
    walk_ins_new: int
    superseded: tuple[str, ...] = ()  # submissions left out in favour of a newer one for the same event, in words


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def save(db: sqlite_utils.Database, actor: User, reports: Iterable[RawReport], *, lang: str = DEFAULT_LANG,
         on: dt.date | None = None) -> SaveResult:
    """Validate a batch of reports, then write them all in one transaction (or nothing).

    The batch is checked before the write lock is taken (a bad file never holds it), and
    what the check read is read again under the lock: if anything it depended on changed
    meanwhile (a report saved by someone else, an event cancelled, a business added), the
    batch is checked again, so a report changed between a form's load and its save is
    refused, not overwritten. The write is set-at-a-time: a few statements for the whole
    batch, however many events and rows it holds."""
    require(actor, "admin", "manager", "staff", lang=lang)
    reports = list(reports)
    on = on or today()
    seen = _data_version(db)
    ctx = _load_context(db, reports)
    clean = _check(ctx, actor, reports, on, lang)  # cheap refusal before taking the lock
    with transaction(db):
        if _data_version(db) != seen:  # another connection committed meanwhile: read again, check again if it matters
            now_ctx = _load_context(db, reports)
            if now_ctx != ctx:
                ctx, clean = now_ctx, _check(now_ctx, actor, reports, on, lang)
        created, new_biz = _write(db, actor, clean, ctx)
    return SaveResult(len(clean), created, len(clean) - created, sum(len(r.rows) for r in clean),
                      sum(r.registrations for r in clean), new_biz)


def _data_version(db: sqlite_utils.Database) -> int:
    """SQLite's count of commits by other connections to this database, as this
    connection sees it (``PRAGMA data_version``): unchanged means nobody else wrote."""
    return db.execute("PRAGMA data_version").fetchone()[0]


_SNAPSHOT_FIELDS = ("status", "held_on", "attendance", "present", "registrations", "workers_registered", "cancel_reason", "cancel_note",
                    "note", "source", "version")
_SNAPSHOT_ROW_FIELDS = ("business_id", "invited", "walk_in", "registered", "workers_registered", "programmes", "follow_up", "note")


def _in_chunks(db: sqlite_utils.Database, sql: str, ids: list, extra: list | None = None, n: int = 500) -> list[tuple]:
    """``sql`` (with ``{q}`` for the placeholders) run for ``ids`` 500 at a time."""
    out: list[tuple] = []
    for i in range(0, len(ids), n):
        chunk = ids[i : i + n]
        out += db.execute(sql.format(q=",".join("?" * len(chunk))), [*chunk, *(extra or [])]).fetchall()
    return out


def _write(db: sqlite_utils.Database, actor: User, clean: list[CleanReport], ctx: _Context) -> tuple[int, int]:
    """Write a checked batch (inside the caller's transaction, ``ctx`` read in it or
    unchanged since); returns (reports created, businesses created). Per report, as if
    saved alone: its previous version's rows, contacts and enrolments are undone, the new
    ones written, its leads synced, and an audit entry keeps it before and after."""
    from planner.audit import record_many

    if not clean:
        return 0, 0
    now = _now()
    eids = [r.event_id for r in clean]
    # before: the stored reports and their rows
    cols = ", ".join(("event_id",) + _SNAPSHOT_FIELDS)
    stored = {r[0]: dict(zip(_SNAPSHOT_FIELDS, r[1:])) for r in _in_chunks(db, f"SELECT {cols} FROM event_reports WHERE event_id IN ({{q}})", eids)}
    old_rows: dict[str, list[dict]] = {}
    undo: set[str] = set()
    rcols = ", ".join(("event_id",) + _SNAPSHOT_ROW_FIELDS + ("was_enrolled",))
    if stored:
        for r in _in_chunks(db, f"SELECT {rcols} FROM report_rows WHERE event_id IN ({{q}}) ORDER BY event_id, business_id", sorted(stored)):
            old_rows.setdefault(r[0], []).append(dict(zip(_SNAPSHOT_ROW_FIELDS, r[1:-1])))
            if r[4] and not r[-1]:  # registered by that version, and not enrolled before it
                undo.add(r[1])
    staff_of = dict(_in_chunks(db, "SELECT event_id, staff_id FROM events WHERE event_id IN ({q})", eids))
    batch = set(eids)
    if undo:
        # Undo the previous versions' enrolments: unless a registration, or a report of an
        # event outside this batch, says the business registered.
        others = {b for b, e in _in_chunks(db, "SELECT business_id, event_id FROM report_rows WHERE registered = 1 AND business_id IN ({q})",
                                           sorted(undo)) if e not in batch}
        others |= {r[0] for r in _in_chunks(db, "SELECT business_id FROM registrations WHERE business_id IN ({q})", sorted(undo))}
        undone = undo - others
        db.conn.executemany("UPDATE businesses SET enrolled = 0 WHERE business_id = ?", [(b,) for b in sorted(undone)])
    else:
        undone = set()
    db.conn.executemany("DELETE FROM report_rows WHERE event_id = ?", [(e,) for e in eids])
    db.conn.executemany("DELETE FROM contacts WHERE event_id = ?", [(e,) for e in eids])
    versions = {e: (stored[e]["version"] if e in stored else 0) + 1 for e in eids}
    db.conn.executemany(
        "INSERT INTO event_reports (event_id, plan_id, status, held_on, attendance, present, registrations, workers_registered, "
        "cancel_reason, cancel_note, note, source, version, reported_by, reported_at, updated_by, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(event_id) DO UPDATE SET status = excluded.status, "
        "held_on = excluded.held_on, attendance = excluded.attendance, present = excluded.present, registrations = excluded.registrations, "
        "workers_registered = excluded.workers_registered, cancel_reason = excluded.cancel_reason, cancel_note = excluded.cancel_note, "
        "note = excluded.note, source = excluded.source, version = excluded.version, updated_by = excluded.updated_by, "
        "updated_at = excluded.updated_at",
        [(r.event_id, r.plan_id, r.status, r.held_on, r.attendance, r.present, r.registrations, r.workers_registered, r.cancel_reason,
          r.cancel_note, r.note, r.source, versions[r.event_id], actor.username, now, actor.username, now) for r in clean],
    )
    # walk-ins new to Jangkau become businesses (once: the same file again finds them)
    new = {x.new_business["business_id"]: (r.event_id, x.new_business) for r in clean for x in r.rows if x.new_business is not None}
    exists = {b for (b,) in _in_chunks(db, "SELECT business_id FROM businesses WHERE business_id IN ({q})", sorted(new))}
    fresh = [(eid, b) for bid, (eid, b) in new.items() if bid not in exists]
    db.conn.executemany(
        "INSERT INTO businesses (business_id, name, regency_code, sector, size_class, workers, founded_year, has_nib, kur_recipient, "
        "coop_member, digital_payments, enrolled, attributes) VALUES (?,?,?,?,?,?,NULL,0,0,0,0,0,?)",
        [(b["business_id"], b["name"], b["regency_code"], b["sector"], b["size_class"], b["workers"],
          json.dumps({"source": "walk_in", "event_id": eid, **({"phone": b["phone"]} if b["phone"] else {})}, ensure_ascii=False))
         for eid, b in fresh],
    )
    changes = [(r.event_id, x.business_id, x.workers_update) for r in clean for x in r.rows if x.workers_update is not None]
    if changes:
        old = dict(_in_chunks(db, "SELECT business_id, workers FROM businesses WHERE business_id IN ({q})", sorted({c[1] for c in changes})))
        db.conn.executemany("UPDATE businesses SET workers = ? WHERE business_id = ?", [(w, b) for _, b, w in changes])
        for eid, b, w in changes:
            record_many(db, actor, "business.workers", "businesses", [(b, {"workers": old.get(b)}, {"workers": w})], detail=eid)
            old[b] = w
    # whether each business was enrolled before this report (``ctx`` holds those the batch named)
    unknown = sorted({x.business_id for r in clean for x in r.rows} - ctx.businesses.keys())
    enrolled_now = {b: v["enrolled"] for b, v in ctx.businesses.items()}
    enrolled_now.update(_in_chunks(db, "SELECT business_id, enrolled FROM businesses WHERE business_id IN ({q})", unknown))
    enrolled_now.update(dict.fromkeys(undone, 0))
    db.conn.executemany(
        "INSERT INTO report_rows (event_id, business_id, invited, walk_in, registered, workers_registered, programmes, follow_up, note, was_enrolled) "
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        sorted([(r.event_id, b, invited, walk_in, registered, workers, programmes, follow_up, note, int(enrolled_now.get(b, 0)))
                for r in clean for (b, _, invited, walk_in, registered, workers, programmes, follow_up, note, _) in r.rows],
               key=operator.itemgetter(1)),
    )
    db.conn.executemany("UPDATE businesses SET enrolled = 1 WHERE business_id = ?",  # those not enrolled yet
                        [(b,) for b in sorted({x.business_id for r in clean for x in r.rows if x.registered}) if not enrolled_now.get(b)])
    # contacts: every invitee of a held event (came or not), and every walk-in, built in SQL from the
    # rows just written; in the unique index's order (far fewer pages touched), then the batch's
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _report_batch (event_id TEXT PRIMARY KEY, pos INTEGER NOT NULL, held_on TEXT NOT NULL)")
    db.execute("DELETE FROM temp._report_batch")
    db.conn.executemany("INSERT INTO temp._report_batch (event_id, pos, held_on) VALUES (?,?,?)",
                        [(r.event_id, i, r.held_on) for i, r in enumerate(clean) if r.status == "held"])
    db.execute(
        "INSERT INTO contacts (business_id, contacted_on, channel, invited, attended, enrolled, workers_enrolled, programmes, event_id, "
        "walk_in, selection_prob) SELECT business_id, contacted_on, 'sosialisasi', invited, attended, enrolled, workers, programmes, "
        "event_id, walk_in, prob FROM ("
        "SELECT i.business_id, t.held_on AS contacted_on, 1 AS invited, x.business_id IS NOT NULL AS attended, "
        "COALESCE(x.registered, 0) AS enrolled, COALESCE(x.workers_registered, 0) AS workers, NULLIF(x.programmes, '') AS programmes, "
        "i.event_id, 0 AS walk_in, i.selection_prob AS prob, t.pos, 0 AS k FROM temp._report_batch t "
        "JOIN invitations i ON i.event_id = t.event_id LEFT JOIN report_rows x ON x.event_id = i.event_id AND x.business_id = i.business_id "
        "UNION ALL SELECT x.business_id, t.held_on, 0, 1, x.registered, x.workers_registered, NULLIF(x.programmes, ''), x.event_id, 1, NULL, "
        "t.pos, 1 FROM temp._report_batch t JOIN report_rows x ON x.event_id = t.event_id WHERE x.walk_in = 1 "
        "AND x.business_id NOT IN (SELECT business_id FROM controls c WHERE c.event_id = x.event_id) "
        # the event's control group (chosen, then held back at random): not invited; came anyway only as a walk-in
        "UNION ALL SELECT c.business_id, t.held_on, 0, x.business_id IS NOT NULL, COALESCE(x.registered, 0), COALESCE(x.workers_registered, 0), "
        "NULLIF(x.programmes, ''), c.event_id, 0, (SELECT 1 - COALESCE(p.control_share, 0) FROM plans p WHERE p.plan_id = c.plan_id), t.pos, 2 "
        "FROM temp._report_batch t JOIN controls c ON c.event_id = t.event_id "
        "LEFT JOIN report_rows x ON x.event_id = c.event_id AND x.business_id = c.business_id"
        ") WHERE true ORDER BY business_id, contacted_on, pos, k "
        "ON CONFLICT(business_id, contacted_on, channel) DO UPDATE SET "
        "invited = excluded.invited, attended = excluded.attended, enrolled = excluded.enrolled, workers_enrolled = excluded.workers_enrolled, "
        "programmes = excluded.programmes, event_id = excluded.event_id, walk_in = excluded.walk_in, selection_prob = excluded.selection_prob"
    )
    db.execute("DELETE FROM temp._report_batch")
    from planner.scoring.features import snapshot_new_contacts

    snapshot_new_contacts(db)  # the businesses as they are at the report (new walk-ins included)
    _sync_followups(db, actor, clean, staff_of, now)
    db.conn.executemany("INSERT INTO report_submissions (instance_id, event_id, imported_by, imported_at) VALUES (?,?,?,?) "
                        "ON CONFLICT(instance_id) DO UPDATE SET imported_by = excluded.imported_by, imported_at = excluded.imported_at",
                        [(r.submission_id, r.event_id, actor.username, now) for r in clean if r.submission_id])
    # audit: each report before and after (after = exactly what was written above)
    entries: dict[tuple[str, str], list[tuple[str, dict | None, dict]]] = {}
    for r in clean:
        before = None
        if r.event_id in stored:
            before = {**stored[r.event_id], "rows": old_rows.get(r.event_id, [])}
        after = {"status": r.status, "held_on": r.held_on, "attendance": r.attendance, "present": r.present,
                 "registrations": r.registrations, "workers_registered": r.workers_registered, "cancel_reason": r.cancel_reason,
                 "cancel_note": r.cancel_note, "note": r.note, "source": r.source, "version": versions[r.event_id],
                 "rows": [{"business_id": x.business_id, "invited": x.invited, "walk_in": x.walk_in, "registered": x.registered,
                           "workers_registered": x.workers_registered, "programmes": x.programmes, "follow_up": x.follow_up,
                           "note": x.note} for x in sorted(r.rows, key=operator.itemgetter(0))]}
        action = "report.create" if before is None else "report.update"
        entries.setdefault((action, r.source), []).append((r.event_id, before, after))
    for (action, source), rows in entries.items():
        record_many(db, actor, action, "event_reports", rows, detail=source)
    return sum(1 for r in clean if r.event_id not in stored), len(fresh)


def _sync_followups(db: sqlite_utils.Database, actor: User, clean: list[CleanReport], staff_of: dict[str, str | None], now: str) -> None:
    """Leads of these events: a business marked for follow-up gets one (due a week after
    the event); one that registered closes its lead; a lead nobody has touched yet goes
    when the report no longer asks for it."""
    existing: dict[str, dict[str, tuple]] = {}
    for fid, eid, bid, status, note in _in_chunks(db, "SELECT followup_id, event_id, business_id, status, note FROM followups "
                                                      "WHERE event_id IN ({q})", [r.event_id for r in clean]):
        existing.setdefault(eid, {})[bid] = (fid, status, note)
    inserts, closes, deletes = [], [], []
    for rep in clean:
        wanted = {x.business_id for x in rep.rows if x.follow_up and not x.registered}
        registered = {x.business_id for x in rep.rows if x.registered}
        due = (dt.date.fromisoformat(rep.held_on) + dt.timedelta(days=FOLLOW_UP_DAYS)).isoformat() if rep.held_on else None
        have = existing.get(rep.event_id, {})
        inserts += [(rep.event_id, bid, staff_of.get(rep.event_id), "to_contact", due, "", actor.username, now)
                    for bid in sorted(wanted - set(have))]
        for bid, (fid, status, note) in have.items():
            if bid in registered and status != "registered":
                closes.append((rep.held_on, actor.username, now, fid))
            elif bid not in wanted and bid not in registered and status == "to_contact" and note == "":
                deletes.append((fid,))
    db.conn.executemany("INSERT INTO followups (event_id, business_id, staff_id, status, due_on, note, updated_by, updated_at) "
                        "VALUES (?,?,?,?,?,?,?,?)", inserts)
    db.conn.executemany("UPDATE followups SET status = 'registered', closed_on = ?, updated_by = ?, updated_at = ? WHERE followup_id = ?",
                        closes)
    db.conn.executemany("DELETE FROM followups WHERE followup_id = ?", deletes)


# --------------------------------------------------------------------------- reading
def report_for(db: sqlite_utils.Database, actor: User, event_id: str, lang: str = DEFAULT_LANG) -> dict | None:
    """An event's report with its rows (names included), or None; for anyone who may
    see the event (leadership reads)."""
    require(actor, "admin", "manager", "staff", "leadership", lang=lang)
    ev = db.execute("SELECT g.province_code FROM events e JOIN regencies g ON g.code = e.regency_code WHERE e.event_id = ?", [event_id]).fetchone()
    if ev is None:
        raise PlannerError(t("rep.event_unknown", lang) + ": " + event_id)
    if actor.role == "staff" and not actor.covers(ev[0]):
        raise AccessDenied(t("rep.event_other_province", lang, province=ev[0], mine=", ".join(actor.provinces)))
    rows = list(db.query("SELECT * FROM event_reports WHERE event_id = ?", [event_id]))
    if not rows:
        return None
    rep = rows[0]
    rep["rows"] = pd.DataFrame(
        db.execute(
            "SELECT r.business_id, b.name, b.size_class, b.workers, r.invited, r.walk_in, r.registered, r.workers_registered, r.programmes, "
            "r.follow_up, r.note FROM report_rows r JOIN businesses b ON b.business_id = r.business_id WHERE r.event_id = ? "
            "ORDER BY r.walk_in, b.name", [event_id],
        ).fetchall(),
        columns=["business_id", "name", "size_class", "workers", "invited", "walk_in", "registered", "workers_registered", "programmes",
                 "follow_up", "note"],
    )
    return rep


def actuals(db: sqlite_utils.Database, plan_id: int) -> pd.DataFrame:
    """Per event of a plan: its report's figures (empty where none yet), with later
    registrations credited to the event counted in."""
    cur = db.execute(
        "SELECT e.event_id, r.status AS report_status, r.held_on, r.attendance, r.present, r.registrations, r.workers_registered, "
        "(SELECT COUNT(*) FROM registrations g WHERE g.event_id = e.event_id) AS later_registrations, "
        "(SELECT COALESCE(SUM(g.workers_registered), 0) FROM registrations g WHERE g.event_id = e.event_id) AS later_workers "
        "FROM events e LEFT JOIN event_reports r ON r.event_id = e.event_id WHERE e.plan_id = ?",
        [plan_id],
    )
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def describe(rep: dict, lang: str = DEFAULT_LANG) -> str:
    """One line for a saved report: what, when, by whom."""
    if rep["status"] == "cancelled":
        return t("rep.line_cancelled", lang, reason=t(f"cancel.{rep['cancel_reason']}", lang), who=rep["updated_by"],
                 when=fmt_datetime(rep["updated_at"], lang))
    return t("rep.line_held", lang, date=fmt_date(rep["held_on"], lang), attendance=fmt_int(rep["attendance"]),
             present=fmt_int(rep["present"]), registrations=fmt_int(rep["registrations"]), workers=fmt_int(rep["workers_registered"]),
             who=rep["updated_by"], when=fmt_datetime(rep["updated_at"], lang))


# --------------------------------------------------------------------------- the form on Laporan
def form_rows(db: sqlite_utils.Database, actor: User, event_id: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """What the report form starts from: the invitees (with what the saved report says of
    each, or nothing yet), the walk-ins the saved report holds, and its version (0 when
    there is none). Programmes start at what the business's size class requires."""
    from planner.vocabulary import mandatory_programmes

    report_for(db, actor, event_id)  # access check
    inv = pd.DataFrame(
        db.execute(
            "SELECT i.business_id, b.name, json_extract(b.attributes, '$.owner_name') AS owner_name, "
            "json_extract(b.attributes, '$.phone') AS phone, b.size_class, b.workers, "
            "r.business_id IS NOT NULL AS present, COALESCE(r.registered, 0) AS registered, "
            "COALESCE(r.workers_registered, 0) AS workers_registered, r.programmes, COALESCE(r.follow_up, 0) AS follow_up, "
            "COALESCE(r.note, '') AS note FROM invitations i JOIN businesses b ON b.business_id = i.business_id "
            "LEFT JOIN report_rows r ON r.event_id = i.event_id AND r.business_id = i.business_id "
            "WHERE i.event_id = ? ORDER BY b.name, i.business_id", [event_id],
        ).fetchall(),
        columns=["business_id", "name", "owner_name", "phone", "size_class", "workers", "present", "registered", "workers_registered",
                 "programmes", "follow_up", "note"],
    )
    walk = pd.DataFrame(
        db.execute(
            "SELECT r.business_id, b.name, b.regency_code, b.sector, b.size_class, b.workers, json_extract(b.attributes, '$.phone') AS phone, "
            "r.registered, r.workers_registered, r.programmes, r.follow_up, r.note FROM report_rows r "
            "JOIN businesses b ON b.business_id = r.business_id WHERE r.event_id = ? AND r.walk_in = 1 ORDER BY b.name", [event_id],
        ).fetchall(),
        columns=["business_id", "name", "regency_code", "sector", "size_class", "workers", "phone", "registered", "workers_registered",
                 "programmes", "follow_up", "note"],
    )
    for df in (inv, walk):
        for c in ("present", "registered", "follow_up"):
            if c in df:
                df[c] = df[c].astype(bool)
        df["programmes"] = pd.Series([p if isinstance(p, str) and p else ";".join(mandatory_programmes(s, w)) for p, s, w in
                                      zip(df["programmes"], df["size_class"], df["workers"])], index=df.index, dtype=object)
    for df in (inv, walk):  # the form's editors need each column's type, also when a table is empty
        for c in df.columns:
            if c in ("present", "registered", "follow_up"):
                df[c] = df[c].astype(bool)
            elif c in ("workers", "workers_registered"):
                df[c] = pd.to_numeric(df[c]).astype("Int64")
            else:
                df[c] = df[c].astype("string").fillna("")  # an empty cell reads empty, not "None"
    row = db.execute("SELECT version FROM event_reports WHERE event_id = ?", [event_id]).fetchone()
    return inv, walk, int(row[0]) if row else 0


def from_form(event_id: str, fields: dict, invitees: pd.DataFrame, walk_ins: pd.DataFrame, *, version: int,
              labels: dict[str, str] | None = None) -> RawReport:
    """The report form's state as a ``RawReport``: invitees ticked as present, and every
    walk-in line with a name or a business id. Rows are numbered as the person sees the
    lines (invitees 1…, walk-ins after them) and columns named by their labels, so a
    message points at the cell to fix."""
    rows: list[RawRow] = []

    def val(r, k):
        v = r.get(k)
        if isinstance(v, bool):
            return "1" if v else "0"
        return v

    for i, r in enumerate(invitees.to_dict("records"), start=1):
        if not r.get("present"):
            continue
        registered = bool(r.get("registered"))
        rows.append(RawRow({"business_id": r["business_id"], "registered": val(r, "registered"), "workers": val(r, "workers"),
                            "workers_registered": val(r, "workers_registered") if registered else "",
                            "programmes": r.get("programmes") if registered else "", "follow_up": val(r, "follow_up"),
                            "note": r.get("note") or ""}, i))
    start = len(invitees)
    for j, r in enumerate(walk_ins.to_dict("records"), start=1):
        if not (_text(r.get("name")) or _text(r.get("business_id"))):
            continue
        registered = bool(r.get("registered"))
        values = {k: val(r, k) for k in ("business_id", "name", "regency_code", "sector", "size_class", "workers", "phone", "follow_up", "note")}
        for k in ("regency_code", "sector"):  # choices are shown as "code · name"
            values[k] = _text(values[k]).split(" · ")[0]
        values.update(registered=val(r, "registered"), workers_registered=val(r, "workers_registered") if registered else "",
                      programmes=r.get("programmes") if registered else "")
        rows.append(RawRow(values, start + j))
    return RawReport(event_id, fields, rows, row=None, columns=dict(labels or {}), expected_version=version, source="form")


def search_businesses(db: sqlite_utils.Database, actor: User, province: str, text: str, limit: int = 20,
                      lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Businesses of ``province`` whose name or id contains ``text`` (for a walk-in who is
    already in Jangkau)."""
    require(actor, "admin", "manager", "staff", lang=lang)
    if actor.role == "staff" and not actor.covers(province):
        raise AccessDenied(t("rep.event_other_province", lang, province=province, mine=", ".join(actor.provinces)))
    text = (text or "").strip()
    if len(text) < 2:
        return pd.DataFrame(columns=["business_id", "name", "regency", "size_class", "workers"])
    like = "%" + text.replace("%", "").replace("_", "") + "%"
    cur = db.execute(
        "SELECT b.business_id, b.name, g.name AS regency, b.size_class, b.workers FROM businesses b JOIN regencies g ON g.code = b.regency_code "
        "WHERE g.province_code = ? AND (b.name LIKE ? OR b.business_id LIKE ?) ORDER BY b.name LIMIT ?",
        [province, like, like, int(limit)],
    )
    return pd.DataFrame(cur.fetchall(), columns=["business_id", "name", "regency", "size_class", "workers"])


def events_to_report(db: sqlite_utils.Database, actor: User, *, today: dt.date | None = None, staff_id: str | None = None) -> pd.DataFrame:
    """Events of published plans that the actor may report, those already held and not
    yet reported first, then the reported ones, newest first."""
    from planner.reporting.agenda import agenda

    today = today or dt.date.today()
    df = agenda(db, actor, staff_id=staff_id, since=today - dt.timedelta(days=LATEST_DAYS), until=today + dt.timedelta(days=EARLIEST_DAYS), today=today)
    if df.empty:
        return df
    df = df[df["date"] <= (today + dt.timedelta(days=EARLIEST_DAYS)).isoformat()]
    df["order"] = df["report_status"].isna() & (df["date"] <= today.isoformat())
    return df.sort_values(["order", "date"], ascending=[False, False]).drop(columns="order").reset_index(drop=True)
