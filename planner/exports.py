"""Safe files out: CSV and XLSX in which no cell can run as a spreadsheet formula.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets strip before reading a formula) gets a leading apostrophe, the
OWASP-recommended neutralisation. Numbers are left alone, so -5 stays a number.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot start a formula."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so that Excel opens Indonesian names correctly."""
    return neutralise(df).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        neutralise(df).to_excel(xw, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


EXPORT_KINDS = ("businesses", "targets", "partners", "staff", "contacts", "events", "invitations", "audit")


def export_frame(db, actor, kind: str, plan: int | None = None) -> pd.DataFrame:
    """The list ``kind`` as the app shows it, limited to what ``actor`` may see."""
    from planner.auth import require
    from planner.errors import PlannerError

    require(actor, "admin", "manager", "staff", "leadership")
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
        raise PlannerError(f"Jenis ekspor '{kind}' tidak dikenal; gunakan salah satu dari: {', '.join(EXPORT_KINDS)}.")
    cur = db.execute(sql, provs if staff_scope else [])
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def export_table(db, actor, kind: str, out, plan: int | None = None) -> int:
    """Write ``kind`` to ``out`` (.csv or .xlsx, decided by the suffix); returns the rows."""
    from pathlib import Path

    from planner.errors import PlannerError

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise PlannerError(f"Berkas keluaran harus .csv atau .xlsx, bukan '{out.name}'.")
    df = export_frame(db, actor, kind, plan=plan)
    data = to_csv_bytes(df) if suffix == ".csv" else to_xlsx_bytes(df, kind)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)  # never a half-written file under the real name
    return len(df)
