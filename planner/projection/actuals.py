"""Plan against actual, and what works.

*Plan against actual*: for the events already held, what their invitees actually did
(registered at the event or later, credited to it) against what the projection expected
for those same invitees, with its 80% and 95% intervals, by month, province and partner
type; an actual outside the 95% interval is flagged. Walk-ins are counted beside it:
the projection never counted them.

*What works*: registrations per event held and per Rp 1 juta spent, by partner type, and
the enrolment rate of invited businesses by channel in the contact history. A type with
two events must not top the list by luck, so every rate is shrunk towards the overall
rate (empirical Bayes: a Gamma prior worth ``PRIOR_EVENTS`` events for counts, a Beta
prior worth ``PRIOR_CONTACTS`` contacts for rates), with the posterior's 80% interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlite_utils
from scipy import stats

from planner.scoring import calibration
from planner.auth import User, require
from planner.projection.simulate import Inputs, simulate
from planner.projection.uptake import _card, plan_frame

PRIOR_EVENTS = 5.0  # events' worth of the overall rate in a partner type's shrunk rate
PRIOR_CONTACTS = 50.0  # contacts' worth of the overall rate in a channel's shrunk rate
BY = ("month", "province", "partner_type")


def _held(db: sqlite_utils.Database, plan_id: int) -> pd.DataFrame:
    cur = db.execute(
        "SELECT e.event_id, substr(COALESCE(r.held_on, e.event_date), 1, 7) AS month, g.province_code AS province, pa.type AS partner_type, "
        "e.event_cost + e.travel_cost AS cost FROM events e JOIN event_reports r ON r.event_id = e.event_id AND r.status = 'held' "
        "JOIN regencies g ON g.code = e.regency_code JOIN partners pa ON pa.partner_id = e.partner_id WHERE e.plan_id = ?",
        [int(plan_id)],
    )
    return pd.DataFrame(cur.fetchall(), columns=["event_id", "month", "province", "partner_type", "cost"])


def plan_vs_actual(db: sqlite_utils.Database, actor: User, plan_id: int, *, sims: int | None = None) -> dict:
    """``{"events_held", "events_reported", "total": {...}, "by_month"|"by_province"|
    "by_partner_type": frame}``: per group the invitees' actual registrations and
    workers registered, the projection's expected values and intervals for the same
    invitees, the walk-ins' registrations, and ``flag`` ("below", "above" or "")."""
    require(actor, "admin", "manager", "leadership")
    held = _held(db, plan_id)
    reported = db.execute("SELECT COUNT(*) FROM event_reports r JOIN events e ON e.event_id = r.event_id WHERE e.plan_id = ?",
                          [int(plan_id)]).fetchone()[0]
    out = {"events_held": len(held), "events_reported": int(reported)}
    if held.empty:
        return out
    frame = plan_frame(db, plan_id)
    frame = frame[frame["event_id"].isin(set(held["event_id"]))].merge(held[["event_id", "month"]], on="event_id")
    # what the invitees did: registered at the event, or later with the registration credited to it
    acts = pd.DataFrame(db.execute(
        "SELECT i.event_id, i.business_id, MAX(COALESCE(x.registered, 0), CASE WHEN g.business_id IS NULL THEN 0 ELSE 1 END) AS registered, "
        "MAX(COALESCE(x.workers_registered, 0), COALESCE(g.workers_registered, 0)) AS workers_registered "
        "FROM invitations i JOIN event_reports r ON r.event_id = i.event_id AND r.status = 'held' "
        "LEFT JOIN report_rows x ON x.event_id = i.event_id AND x.business_id = i.business_id "
        "LEFT JOIN registrations g ON g.event_id = i.event_id AND g.business_id = i.business_id WHERE i.plan_id = ?", [int(plan_id)]).fetchall(),
        columns=["event_id", "business_id", "registered", "workers_registered"])
    frame = frame.merge(acts, on=["event_id", "business_id"], how="left").fillna({"registered": 0, "workers_registered": 0})
    walk = pd.DataFrame(db.execute(
        "SELECT x.event_id, SUM(x.registered) AS walk_ins FROM report_rows x JOIN events e ON e.event_id = x.event_id "
        "WHERE e.plan_id = ? AND x.walk_in = 1 GROUP BY x.event_id", [int(plan_id)]).fetchall(), columns=["event_id", "walk_ins"])
    version, card = _card(db)
    p = frame["p_enroll"].to_numpy(dtype=float)
    members = calibration.member_probabilities(card.get("size_calibration"), frame["size_class"].to_numpy(), p)
    groups = {"month": frame["month"].to_numpy(), "province": frame["province_code"].to_numpy(), "partner_type": frame["partner_type"].to_numpy()}
    # Registrations are businesses; the workers a registration brings are what it registered,
    # so the projection's measure here is businesses (and workers for the business's size).
    res = simulate(Inputs(members, np.full_like(members, np.nan), frame["workers"].to_numpy(dtype=float), groups), sims=sims, seed=int(plan_id))
    frame["_month"], frame["_province"], frame["_partner_type"] = frame["month"], frame["province_code"], frame["partner_type"]
    held_walk = held.merge(walk, on="event_id", how="left").fillna({"walk_ins": 0})

    def table(name: str) -> pd.DataFrame:
        exp = res.breakdown(name)[["key", "businesses", "businesses_p2_5", "businesses_p10", "businesses_p90", "businesses_p97_5"]]
        act = frame.groupby(f"_{name}").agg(registered=("registered", "sum"), workers_registered=("workers_registered", "sum"),
                                             invitees=("business_id", "count")).reset_index().rename(columns={f"_{name}": "key"})
        w = held_walk.groupby(name).agg(events=("event_id", "count"), walk_ins=("walk_ins", "sum")).reset_index().rename(columns={name: "key"})
        t = exp.merge(act, on="key", how="outer").merge(w, on="key", how="left").fillna(0)
        t["flag"] = np.where(t["registered"] < t["businesses_p2_5"], "below", np.where(t["registered"] > t["businesses_p97_5"], "above", ""))
        t["outside_80"] = (t["registered"] < t["businesses_p10"]) | (t["registered"] > t["businesses_p90"])
        return t.sort_values("key").reset_index(drop=True)

    for name in BY:
        out[f"by_{name}"] = table(name)
    total = res.total()
    out["total"] = {"registered": int(frame["registered"].sum()), "expected": total["businesses"], "p2_5": total["businesses_p2_5"],
                    "p10": total["businesses_p10"], "p90": total["businesses_p90"], "p97_5": total["businesses_p97_5"],
                    "walk_ins": int(held_walk["walk_ins"].sum()), "invitees": len(frame)}
    return out


def _gamma_rate(count: np.ndarray, exposure: np.ndarray, prior_rate: float, prior_weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = count + prior_rate * prior_weight
    b = exposure + prior_weight
    return a / b, stats.gamma.ppf(0.1, a, scale=1 / b), stats.gamma.ppf(0.9, a, scale=1 / b)


def what_works(db: sqlite_utils.Database, actor: User, plan_id: int | None = None) -> dict:
    """Partner types by registrations per event and per Rp 1 juta (events held, every
    published plan or one), and channels by enrolment rate among invited contacts, each
    shrunk towards the overall rate with an 80% interval."""
    require(actor, "admin", "manager", "leadership")
    where, params = "", []
    if plan_id is not None:
        where, params = " AND e.plan_id = ?", [int(plan_id)]
    ev = pd.DataFrame(db.execute(
        "SELECT pa.type AS partner_type, COUNT(*) AS events, SUM(r.registrations) + COALESCE(SUM((SELECT COUNT(*) FROM registrations g "
        "WHERE g.event_id = e.event_id)), 0) AS registrations, SUM(e.event_cost + e.travel_cost) AS cost "
        "FROM events e JOIN event_reports r ON r.event_id = e.event_id AND r.status = 'held' JOIN partners pa ON pa.partner_id = e.partner_id "
        "JOIN plans p ON p.plan_id = e.plan_id WHERE p.status = 'published'" + where + " GROUP BY pa.type", params).fetchall(),
        columns=["partner_type", "events", "registrations", "cost"])
    out: dict = {}
    if not ev.empty:
        per_event = ev["registrations"].sum() / ev["events"].sum()
        r, lo, hi = _gamma_rate(ev["registrations"].to_numpy(float), ev["events"].to_numpy(float), per_event, PRIOR_EVENTS)
        ev["per_event"], ev["per_event_lo"], ev["per_event_hi"] = r, lo, hi
        ev["per_event_raw"] = ev["registrations"] / ev["events"]
        juta = ev["cost"].to_numpy(float) / 1e6
        overall_juta = ev["registrations"].sum() / max(juta.sum(), 1e-9)
        mean_cost = juta.sum() / ev["events"].sum()
        r, lo, hi = _gamma_rate(ev["registrations"].to_numpy(float), juta, overall_juta, PRIOR_EVENTS * mean_cost)
        ev["per_juta"], ev["per_juta_lo"], ev["per_juta_hi"] = r, lo, hi
        out["partner_types"] = ev.sort_values("per_juta", ascending=False).reset_index(drop=True)
    ch = pd.DataFrame(db.execute(
        "SELECT channel, COUNT(*) AS contacts, SUM(enrolled) AS enrolled FROM contacts WHERE invited = 1 GROUP BY channel").fetchall(),
        columns=["channel", "contacts", "enrolled"])
    if not ch.empty:
        overall = ch["enrolled"].sum() / ch["contacts"].sum()
        a = ch["enrolled"] + overall * PRIOR_CONTACTS
        b = ch["contacts"] - ch["enrolled"] + (1 - overall) * PRIOR_CONTACTS
        ch["rate"] = a / (a + b)
        ch["rate_lo"], ch["rate_hi"] = stats.beta.ppf(0.1, a, b), stats.beta.ppf(0.9, a, b)
        ch["rate_raw"] = ch["enrolled"] / ch["contacts"]
        out["channels"] = ch.sort_values("rate", ascending=False).reset_index(drop=True)
    return out
