"""Retention: did the registrations an event brought in pay, and do they keep paying?

Payments come from BPJS Ketenagakerjaan's membership system as a file of
``business_id, period (YYYY-MM), paid (0/1), amount`` (``python -m planner import
payments FILE``). For every registration credited to an event — on the spot (the event's
report) or later (a registration credited to it) — with registration month m:

- *first contribution*: a payment with ``paid = 1`` for a period from m to m + 2;
- *still paying after three months*: ``paid = 1`` for period m + 3. A registration
  whose month m + 3 lies after the newest period in the payments data is not counted
  either way (not yet known), so a recent event is not shown as a failure.
"""

from __future__ import annotations

import pandas as pd
import sqlite_utils

from planner.auth import User, require

BY = ("event", "partner_type", "partner", "staff", "plan")

_REGISTRATIONS = """
WITH regs AS (
    SELECT rr.business_id, er.held_on AS registered_on, rr.event_id, rr.workers_registered
    FROM report_rows rr JOIN event_reports er ON er.event_id = rr.event_id
    WHERE rr.registered = 1 AND er.status = 'held'
    UNION ALL
    SELECT business_id, registered_on, event_id, workers_registered FROM registrations WHERE event_id IS NOT NULL
),
latest AS (SELECT MAX(period) AS period FROM payments),
scored AS (
    SELECT r.*,
        EXISTS (SELECT 1 FROM payments p WHERE p.business_id = r.business_id AND p.paid = 1
                AND p.period BETWEEN substr(r.registered_on, 1, 7) AND strftime('%Y-%m', date(r.registered_on, 'start of month', '+2 months')))
            AS first_paid,
        (SELECT period FROM latest) >= strftime('%Y-%m', date(r.registered_on, 'start of month', '+3 months')) AS known_3m,
        EXISTS (SELECT 1 FROM payments p WHERE p.business_id = r.business_id AND p.paid = 1
                AND p.period = strftime('%Y-%m', date(r.registered_on, 'start of month', '+3 months'))) AS paying_3m
    FROM regs r
)
"""

_GROUP = {
    "event": ("e.event_id", "e.event_id || ' · ' || pa.name"),
    "partner_type": ("pa.type", "pa.type"),
    "partner": ("pa.partner_id", "pa.name"),
    "staff": ("COALESCE(e.staff_id, '-')", "COALESCE(s.name, '-')"),
    "plan": ("e.plan_id", "pl.name"),
}


def summary(db: sqlite_utils.Database, actor: User, by: str = "event", *, plan_id: int | None = None) -> pd.DataFrame:
    """Registrations and how many paid, per ``by`` (event, partner type, partner, staff
    member or plan): ``key, label, registrations, workers, first_paid, known_3m,
    paying_3m`` and the two rates (``first_paid_rate``; ``paying_3m_rate`` among those
    whose third month is known). Staff see their provinces only."""
    require(actor, "admin", "manager", "staff", "leadership")
    if by not in _GROUP:
        raise ValueError(by)
    key, label = _GROUP[by]
    where, params = [], []
    if plan_id is not None:
        where.append("e.plan_id = ?")
        params.append(int(plan_id))
    if actor.role == "staff":
        where.append(f"g.province_code IN ({','.join('?' * len(actor.provinces))})")
        params += list(actor.provinces)
    sql = (
        _REGISTRATIONS
        + f"SELECT {key} AS key, {label} AS label, COUNT(*) AS registrations, SUM(x.workers_registered) AS workers, "
        "SUM(x.first_paid) AS first_paid, SUM(x.known_3m) AS known_3m, SUM(x.known_3m AND x.paying_3m) AS paying_3m "
        "FROM scored x JOIN events e ON e.event_id = x.event_id JOIN partners pa ON pa.partner_id = e.partner_id "
        "JOIN regencies g ON g.code = e.regency_code JOIN plans pl ON pl.plan_id = e.plan_id LEFT JOIN staff s ON s.staff_id = e.staff_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" GROUP BY {key} ORDER BY registrations DESC, key"
    )
    cur = db.execute(sql, params)
    df = pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    if df.empty:
        return df.assign(first_paid_rate=pd.Series(dtype=float), paying_3m_rate=pd.Series(dtype=float))
    df["first_paid_rate"] = df["first_paid"] / df["registrations"]
    df["paying_3m_rate"] = df["paying_3m"] / df["known_3m"].where(df["known_3m"] > 0)
    return df


def funnel(db: sqlite_utils.Database, actor: User, plan_id: int) -> dict:
    """The plan's funnel: invited -> attended -> registered -> first contribution -> still
    paying after three months (with how many are known for the last step)."""
    require(actor, "admin", "manager", "staff", "leadership")
    scope, params = "", [int(plan_id)]
    if actor.role == "staff":
        scope = f" AND g.province_code IN ({','.join('?' * len(actor.provinces))})"
        params += list(actor.provinces)
    invited = db.execute(
        "SELECT COUNT(*) FROM invitations i JOIN events e ON e.event_id = i.event_id JOIN regencies g ON g.code = e.regency_code "
        "JOIN event_reports r ON r.event_id = e.event_id WHERE e.plan_id = ? AND r.status = 'held'" + scope, params).fetchone()[0]
    attended = db.execute(
        "SELECT COUNT(*) FROM report_rows rr JOIN events e ON e.event_id = rr.event_id JOIN regencies g ON g.code = e.regency_code "
        "WHERE e.plan_id = ?" + scope, params).fetchone()[0]
    per_plan = summary(db, actor, "plan", plan_id=plan_id)
    row = per_plan.iloc[0] if len(per_plan) else None
    return {
        "invited": int(invited),
        "attended": int(attended),
        "registered": int(row["registrations"]) if row is not None else 0,
        "first_paid": int(row["first_paid"]) if row is not None else 0,
        "known_3m": int(row["known_3m"]) if row is not None else 0,
        "paying_3m": int(row["paying_3m"]) if row is not None else 0,
    }
