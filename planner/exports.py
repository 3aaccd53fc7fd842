"""Safe files out: CSV and XLSX in which no cell can turn into something else.

- A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
  which some spreadsheets strip before reading a formula) gets a leading apostrophe, the
  OWASP-recommended neutralisation; so does such a start right after a ``,`` or ``;``
  inside the text, because a spreadsheet that splits the line on that character (``;``
  is the list separator of Indonesian-locale spreadsheets) would start a cell there.
  Numbers are left alone, so -5 stays a number.
- Control characters are removed (one in a name made every XLSX export fail); tabs
  become spaces and line breaks become ``\n``.
- In CSV, every text field that holds a ``,``, ``;``, quote or line break is quoted, so
  the file reads the same with either separator.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from planner.i18n import DEFAULT_LANG, t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_AFTER_SEPARATOR = re.compile(r"([,;])(\s*)([=+\-@])")
_NEEDS_QUOTES = re.compile(r'[,;"\n]')


def clean_text(value: str) -> str:
    """``value`` without control characters, tabs as spaces, line breaks as ``\n``."""
    if not value:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", value)


def neutralise_cell(value: object) -> object:
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    value = clean_text(value)
    if ("," in value or ";" in value) and _AFTER_SEPARATOR.search(value):
        value = _AFTER_SEPARATOR.sub(r"\1\2'\3", value)
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot start a formula or hold control characters."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if _NEEDS_QUOTES.search(value) else value


def _csv_column(s: pd.Series) -> pd.Series:
    """One column as CSV fields: numbers as pandas writes them, text quoted when needed."""
    if s.dtype != object and not pd.api.types.is_string_dtype(s):
        text = s.to_frame().to_csv(index=False, header=False, lineterminator="\n")
        return pd.Series(text.split("\n")[:-1], index=s.index, dtype=object)
    values = s.to_numpy(dtype=object)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and v != v):
            out[i] = ""
        elif isinstance(v, str):
            out[i] = _csv_field(v)
        else:
            out[i] = _csv_field(str(v))
    return pd.Series(out, index=s.index, dtype=object)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so that Excel opens Indonesian names correctly; ``,`` separated."""
    safe = neutralise(df)
    header = ",".join(_csv_field(str(c)) for c in safe.columns)
    if safe.empty or not len(safe.columns):
        return (header + "\n").encode("utf-8-sig")
    lines = _csv_column(safe.iloc[:, 0])
    for i in range(1, safe.shape[1]):
        lines = lines + "," + _csv_column(safe.iloc[:, i])
    return (header + "\n" + "\n".join(lines.tolist()) + "\n").encode("utf-8-sig")


XLSX_CELL_MAX = 32_767  # characters a spreadsheet cell holds


def _fit_cell(value: object) -> object:
    if isinstance(value, str) and len(value) > XLSX_CELL_MAX:
        mark = " … [" + str(len(value)) + "]"  # says the cell was cut, and how long the whole was
        return value[: XLSX_CELL_MAX - len(mark)] + mark
    return value


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An XLSX of ``df``; a text longer than a cell holds is cut visibly (ending in
    ``… [its length]``), never silently."""
    safe = neutralise(df)
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = safe[c].map(_fit_cell)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        safe.to_excel(xw, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


EXPORT_KINDS = ("businesses", "targets", "partners", "staff", "contacts", "events", "invitations", "payments", "registrations", "audit")


def export_frame(db, actor, kind: str, plan: int | None = None, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The list ``kind`` as the app shows it, limited to what ``actor`` may see."""
    from planner.auth import require
    from planner.errors import PlannerError

    require(actor, "admin", "manager", "staff", "leadership", lang=lang)
    staff_scope = actor.role == "staff"
    provs = list(actor.provinces)
    scope = ""
    if staff_scope:
        scope = " WHERE r.province_code IN (%s)" % ",".join("?" * len(provs))
    if kind == "businesses":
        sql = "SELECT b.* FROM businesses b JOIN regencies r ON r.code = b.regency_code" + scope + " ORDER BY b.business_id"
    elif kind == "partners":
        sql = "SELECT p.* FROM partners p JOIN regencies r ON r.code = p.regency_code" + scope + " ORDER BY p.partner_id"
    elif kind == "contacts":
        sql = ("SELECT c.business_id, c.contacted_on, c.channel, c.invited, c.attended, c.enrolled, c.workers_enrolled "
               "FROM contacts c JOIN businesses b ON b.business_id = c.business_id JOIN regencies r ON r.code = b.regency_code"
               + scope + " ORDER BY c.contacted_on, c.id")
    elif kind == "payments":  # the columns of the import, so an export can be imported again
        sql = ("SELECT t.business_id, t.period, t.paid, t.amount FROM payments t JOIN businesses b ON b.business_id = t.business_id "
               "JOIN regencies r ON r.code = b.regency_code" + scope + " ORDER BY t.business_id, t.period")
    elif kind == "registrations":
        sql = ("SELECT t.business_id, t.registered_on, t.workers_registered, t.programmes, t.event_id, t.source FROM registrations t "
               "JOIN businesses b ON b.business_id = t.business_id JOIN regencies r ON r.code = b.regency_code" + scope
               + " ORDER BY t.registered_on, t.business_id")
    elif kind == "staff":
        sql = "SELECT s.* FROM staff s" + (" WHERE s.province_code IN (%s)" % ",".join("?" * len(provs)) if staff_scope else "") + " ORDER BY s.staff_id"
    elif kind == "targets":
        from planner.targets import targets

        frames = [targets(db, province=p) for p in provs] if staff_scope else [targets(db)]
        return pd.concat(frames, ignore_index=True).drop(columns=["regency_code"])
    elif kind in ("events", "invitations"):
        # events of every plan that is not archived (staff: published plans, their provinces)
        where = ["pl.status != 'archived'"]
        params: list = []
        if plan is not None:
            where.append("pl.plan_id = ?")
            params.append(int(plan))
        if staff_scope:
            where.append("pl.status = 'published'")
            where.append("r.province_code IN (%s)" % ",".join("?" * len(provs)))
            params += provs
        if kind == "events":
            sql = ("SELECT e.event_id, e.plan_id, pl.name AS plan, pl.status AS plan_status, e.event_date AS date, e.regency_code, "
                   "r.name AS regency, e.partner_id, p.name AS partner, e.staff_id, s.name AS staff, e.invitees, e.expected_attendance, "
                   "e.expected_enrollments, e.expected_additional, e.event_cost + e.travel_cost AS cost, e.locked, e.status, e.note "
                   "FROM events e JOIN plans pl ON pl.plan_id = e.plan_id JOIN regencies r ON r.code = e.regency_code "
                   "JOIN partners p ON p.partner_id = e.partner_id LEFT JOIN staff s ON s.staff_id = e.staff_id "
                   f"WHERE {' AND '.join(where)} ORDER BY e.event_date, e.event_id")
        else:
            sql = ("SELECT i.event_id, i.plan_id, e.event_date AS date, i.business_id, b.name, i.p_enroll, i.uplift, i.workers, "
                   "i.expected_additional FROM invitations i JOIN events e ON e.event_id = i.event_id JOIN plans pl ON pl.plan_id = i.plan_id "
                   "JOIN businesses b ON b.business_id = i.business_id JOIN regencies r ON r.code = e.regency_code "
                   f"WHERE e.status = 'planned' AND {' AND '.join(where)} ORDER BY e.event_date, i.event_id, i.business_id")
        cur = db.execute(sql, params)
        return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    elif kind == "audit":
        from planner.audit import search

        return search(db, actor, limit=1_000_000)
    else:
        raise PlannerError(t("export.kind_unknown", lang, kind=kind, choices=", ".join(EXPORT_KINDS)))
    cur = db.execute(sql, provs if staff_scope else [])
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def export_table(db, actor, kind: str, out, plan: int | None = None, lang: str = DEFAULT_LANG) -> int:
    """Write ``kind`` to ``out`` (.csv or .xlsx, decided by the suffix); returns the rows."""
    from pathlib import Path

    from planner.errors import PlannerError

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise PlannerError(t("cli.out_suffix", lang, option="--out", file=out.name))
    df = export_frame(db, actor, kind, plan=plan, lang=lang)
    data = to_csv_bytes(df) if suffix == ".csv" else to_xlsx_bytes(df, kind)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)  # never a half-written file under the real name
    return len(df)
