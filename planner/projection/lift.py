"""Measured lift, by design: invited against the control group held back at random when
the plan was published.

For every event that was held, the invited businesses and the event's controls are
contacts tied to the event (the report writes both). A business *enrolled* if its
contact says so (registered at the event, or a registration credited later), or a
registration within ``WINDOW_DAYS`` of the event, or a paid contribution in the event's
month or the three after it, is on record. The measured lift is the enrolment rate of the
invited minus that of the controls, with a 95% interval (Newcombe's hybrid score
interval for a difference of two proportions, which stays honest for small groups and
rates near 0), next to what the model predicted for the same businesses (their mean
uplift). Because the controls were drawn at random from the businesses the plan chose,
the difference estimates what the invitation caused for them — nothing else is needed.
"""

from __future__ import annotations

import math

import pandas as pd
import sqlite_utils

from planner.auth import User, require

WINDOW_DAYS = 90
Z95 = 1.959963984540054

_OUTCOMES = f"""
SELECT c.business_id, c.invited, e.event_id, pa.type AS partner_type, e.plan_id,
    (c.enrolled = 1
     OR EXISTS (SELECT 1 FROM registrations g WHERE g.business_id = c.business_id
                AND g.registered_on BETWEEN c.contacted_on AND date(c.contacted_on, '+{WINDOW_DAYS} days'))
     OR EXISTS (SELECT 1 FROM payments p WHERE p.business_id = c.business_id AND p.paid = 1
                AND p.period BETWEEN substr(c.contacted_on, 1, 7) AND strftime('%Y-%m', date(c.contacted_on, 'start of month', '+3 months')))
    ) AS enrolled,
    COALESCE(i.uplift, k.uplift) AS predicted
FROM contacts c JOIN events e ON e.event_id = c.event_id JOIN partners pa ON pa.partner_id = e.partner_id
LEFT JOIN invitations i ON i.event_id = c.event_id AND i.business_id = c.business_id
LEFT JOIN controls k ON k.event_id = c.event_id AND k.business_id = c.business_id
WHERE c.walk_in = 0 AND (i.business_id IS NOT NULL OR k.business_id IS NOT NULL)
"""


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if n == 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(x1: int, n1: int, x0: int, n0: int, z: float = Z95) -> tuple[float, float, float]:
    """(p1 - p0, lower, upper): Newcombe's hybrid score interval (method 10)."""
    if n1 == 0 or n0 == 0:
        return float("nan"), float("nan"), float("nan")
    p1, p0 = x1 / n1, x0 / n0
    l1, u1 = wilson(x1, n1, z)
    l0, u0 = wilson(x0, n0, z)
    d = p1 - p0
    lower = d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return d, lower, upper


def _summarise(df: pd.DataFrame) -> dict:
    inv, ctl = df[df["invited"] == 1], df[df["invited"] == 0]
    x1, n1, x0, n0 = int(inv["enrolled"].sum()), len(inv), int(ctl["enrolled"].sum()), len(ctl)
    d, lo, hi = difference_interval(x1, n1, x0, n0)
    pred = pd.to_numeric(df["predicted"], errors="coerce")
    return {"invited": n1, "invited_enrolled": x1, "invited_rate": x1 / n1 if n1 else float("nan"),
            "controls": n0, "controls_enrolled": x0, "controls_rate": x0 / n0 if n0 else float("nan"),
            "lift": d, "lift_lo": lo, "lift_hi": hi, "predicted": float(pred.mean()) if pred.notna().any() else float("nan")}


def measured(db: sqlite_utils.Database, actor: User, plan_id: int) -> dict:
    """The plan's measured lift (``total``) and per partner type (``by_partner_type``, a
    frame), from the events held so far; ``share`` and ``seed`` of its control group."""
    require(actor, "admin", "manager", "leadership")
    plan = db.execute("SELECT control_share, control_seed FROM plans WHERE plan_id = ?", [int(plan_id)]).fetchone()
    df = pd.DataFrame(db.execute(_OUTCOMES + " AND e.plan_id = ?", [int(plan_id)]).fetchall(),
                      columns=["business_id", "invited", "event_id", "partner_type", "plan_id", "enrolled", "predicted"])
    by_type = pd.DataFrame([{"partner_type": t, **_summarise(g)} for t, g in df.groupby("partner_type", sort=True)]) if len(df) else pd.DataFrame()
    return {"share": plan[0] if plan else None, "seed": plan[1] if plan else None, "events_held": int(df["event_id"].nunique()) if len(df) else 0,
            "total": _summarise(df), "by_partner_type": by_type}
