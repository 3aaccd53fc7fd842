"""A plan's projected uptake: how many workers and businesses it brings in, how many of
them because of it, by month, province, regency, sector, segment and partner type, each
with 80% and 95% intervals; and what that means — coverage against today's and against
a target, monthly contributions, cost per enrolment.

One source of truth: the probabilities are the ones stored with the plan's invitations
(the scores the scheduler used, corrected per size class at scoring), so the expected
totals here are exactly the sums of the plan's event figures. The intervals add the
chance in outcomes and the model's own uncertainty (``planner.scoring.calibration`` members).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlite_utils

from planner.scoring import calibration
from planner.auth import User, require
from planner.db import get_meta
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t
from planner.projection.simulate import Inputs, Result, simulate
from planner.reference import minimum_wages
from planner.vocabulary import SEGMENT_SQL, mandatory_programmes

BREAKDOWNS = ("month", "province", "regency", "sector", "segment", "partner_type", "province_segment")
SIMS = None  # simulate.sims_for(invitations)

# Monthly contributions of one enrolled worker (rupiah): BPU pay JKK 1% of a declared
# income plus JKM Rp 6.800 (data/programme_rules.csv); the lowest declared income of
# Rp 1.000.000 gives the commonly quoted minimum of Rp 16.800. A PU worker's employer and
# worker pay the programme rates of the wage, taken as the province's minimum wage.
BPU_DECLARED_INCOME = 1_000_000
BPU_JKK_RATE = 0.01
BPU_JKM = 6_800
PU_RATES = {"JKK": 0.0054, "JKM": 0.003, "JHT": 0.057, "JP": 0.03}  # JKK: risk class 2 of 5; JHT 3,7% + 2%; JP 2% + 1%
JP_WAGE_CAP = 10_547_400


def contribution_per_worker(size_class: str, workers: int, province: str) -> float:
    """Expected monthly contribution of one enrolled worker of this business (rupiah)."""
    if int(workers or 0) <= 1:
        return BPU_JKK_RATE * BPU_DECLARED_INCOME + BPU_JKM
    wage = minimum_wages().get(province, 0)
    total = 0.0
    for prog in mandatory_programmes(size_class, workers):
        total += PU_RATES[prog] * (min(wage, JP_WAGE_CAP) if prog == "JP" else wage)
    return total


def plan_frame(db: sqlite_utils.Database, plan_id: int) -> pd.DataFrame:
    """Every invitation of the plan's planned events, with what the breakdowns need."""
    cur = db.execute(
        "SELECT i.business_id, i.event_id, i.p_enroll, i.uplift, i.workers, e.event_date AS date, e.regency_code, "
        "g.province_code, b.sector, b.size_class, "
        f"{SEGMENT_SQL.format(workers='i.workers')} AS segment, pa.type AS partner_type "
        "FROM events e JOIN invitations i ON i.event_id = e.event_id JOIN regencies g ON g.code = e.regency_code "
        "JOIN businesses b ON b.business_id = i.business_id "
        "JOIN partners pa ON pa.partner_id = e.partner_id WHERE e.plan_id = ? AND e.status = 'planned' ORDER BY i.event_id, i.business_id",
        [int(plan_id)],
    )
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])


def contributions(frame: pd.DataFrame) -> np.ndarray:
    """``contribution_per_worker`` of every row, computed once per distinct business shape."""
    if frame.empty:
        return np.zeros(0)
    keys = frame[["size_class", "workers", "province_code"]]
    shapes = keys.drop_duplicates()
    rate = [contribution_per_worker(s, k, pv) for s, k, pv in shapes.itertuples(index=False)]
    return keys.merge(shapes.assign(_rate=rate), how="left", on=["size_class", "workers", "province_code"])["_rate"].to_numpy(dtype=float)


@dataclass
class Projection:
    plan_id: int
    plan_version: str
    model_version: str | None
    result: Result
    invitations: int
    events: int
    cost: int
    calibrated_classes: list[str]

    def total(self) -> dict:
        return self.result.total()

    def breakdown(self, name: str) -> pd.DataFrame:
        return self.result.breakdown(name)


def _card(db: sqlite_utils.Database) -> tuple[str | None, dict]:
    version = get_meta(db, "scored_version") or get_meta(db, "active_model")
    if not version:
        return None, {}
    row = db.execute("SELECT card FROM model_runs WHERE version = ?", [version]).fetchone()
    return version, json.loads(row[0]) if row else {}


def project(db: sqlite_utils.Database, actor: User, plan_id: int, *, sims: int | None = SIMS, seed: int | None = None,
            lang: str = DEFAULT_LANG) -> Projection:
    """The plan's projected uptake with its intervals (managers, admins, leadership)."""
    require(actor, "admin", "manager", "leadership", lang=lang)
    plan = db.execute("SELECT updated_at FROM plans WHERE plan_id = ?", [int(plan_id)]).fetchone()
    if plan is None:
        raise PlannerError(t("proj.no_plan", lang, plan=plan_id))
    frame = plan_frame(db, plan_id)
    version, card = _card(db)
    size = frame["size_class"].to_numpy()
    p = frame["p_enroll"].to_numpy(dtype=float)
    members = calibration.member_probabilities(card.get("size_calibration"), size, p)
    u = pd.to_numeric(frame["uplift"], errors="coerce").to_numpy(dtype=float)
    ratios = (card.get("uplift") or {}).get("calibration", {}).get("members")
    u_members = calibration.uplift_members(ratios, u)
    if u_members.shape[1] != members.shape[1]:  # one member set for both: repeat the shorter
        K = max(u_members.shape[1], members.shape[1])
        members = np.resize(members.T, (K, len(p))).T
        u_members = np.resize(u_members.T, (K, len(p))).T
    w = frame["workers"].to_numpy(dtype=float)
    rate = contributions(frame)
    groups = {
        "month": frame["date"].str.slice(0, 7).to_numpy(),
        "province": frame["province_code"].to_numpy(),
        "regency": frame["regency_code"].to_numpy(),
        "sector": frame["sector"].to_numpy(),
        "segment": frame["segment"].to_numpy(),
        "partner_type": frame["partner_type"].to_numpy(),
        "province_segment": (frame["province_code"] + "|" + frame["segment"]).to_numpy(),
    }
    result = simulate(Inputs(members, u_members, w, groups, weights={"contributions": rate * w}), sims=sims,
                      seed=int(plan_id) if seed is None else seed)
    ev = db.execute("SELECT COUNT(*), COALESCE(SUM(event_cost + travel_cost), 0) FROM events WHERE plan_id = ? AND status = 'planned'",
                    [int(plan_id)]).fetchone()
    corrected = [c for c, info in (card.get("size_calibration") or {}).get("classes", {}).items() if info.get("corrected")]
    return Projection(int(plan_id), plan[0], version, result, len(frame), int(ev[0]), int(ev[1]), corrected)


def coverage(db: sqlite_utils.Database, proj: Projection) -> pd.DataFrame:
    """Coverage today and after the plan, by province and segment and nationally:
    ``province, segment, eligible, covered, now, expected, p10, p90, p2_5, p97_5, change``
    (shares of the eligible workers)."""
    pot = pd.DataFrame(
        db.execute("SELECT g.province_code AS province, p.segment, SUM(p.eligible_workers) AS eligible, SUM(p.covered_workers) AS covered "
                   "FROM potentials p JOIN regencies g ON g.code = p.regency_code GROUP BY g.province_code, p.segment").fetchall(),
        columns=["province", "segment", "eligible", "covered"],
    )
    by = proj.breakdown("province_segment")
    by[["province", "segment"]] = by["key"].str.split("|", expand=True)
    out = pot.merge(by, on=["province", "segment"], how="left")
    cols = ["workers", "workers_p2_5", "workers_p10", "workers_p90", "workers_p97_5"]
    out[cols] = out[cols].fillna(0.0)
    nat = out.groupby("segment", as_index=False)[["eligible", "covered"]].sum()
    # national bounds: the plan's own total per segment (summing province bounds would overstate)
    seg = proj.breakdown("segment").rename(columns={"key": "segment"})
    nat = nat.merge(seg[["segment", *cols]], on="segment", how="left").fillna(0.0)
    nat["province"] = "ID"
    out = pd.concat([out[["province", "segment", "eligible", "covered", *cols]], nat[["province", "segment", "eligible", "covered", *cols]]],
                    ignore_index=True)
    share = lambda x: (out["covered"] + x) / out["eligible"].where(out["eligible"] > 0)
    out["now"] = out["covered"] / out["eligible"].where(out["eligible"] > 0)
    out["expected"] = share(out["workers"])
    for q in ("p2_5", "p10", "p90", "p97_5"):
        out[q] = share(out[f"workers_{q}"])
    out["change"] = out["expected"] - out["now"]
    return out


def against_target(cov: pd.DataFrame, target: float, segment: str = "BPU", province: str = "ID") -> dict:
    """How far a coverage target is from today and from the plan's projection."""
    row = cov[(cov["province"] == province) & (cov["segment"] == segment)].iloc[0]
    needed = max(0.0, target * row["eligible"] - row["covered"])
    return {"target": target, "now": row["now"], "expected": row["expected"], "p10": row["p10"], "p90": row["p90"],
            "workers_needed": needed, "plan_share_of_needed": (row["workers"] / needed) if needed else float("nan")}


def cost_per(proj: Projection) -> dict:
    """Rupiah per expected enrolled worker and per expected additional worker, with the
    range the 80% interval of the workers gives."""
    tot = proj.total()
    div = lambda a, b: a / b if b and b == b and b > 0 else float("nan")
    return {
        "cost": proj.cost,
        "per_worker": div(proj.cost, tot["workers"]), "per_worker_lo": div(proj.cost, tot["workers_p90"]),
        "per_worker_hi": div(proj.cost, tot["workers_p10"]),
        "per_additional": div(proj.cost, tot["additional_workers"]), "per_additional_lo": div(proj.cost, tot["additional_workers_p90"]),
        "per_additional_hi": div(proj.cost, tot["additional_workers_p10"]),
    }


def as_json(proj: Projection) -> dict:
    """What ``python -m planner project --format json`` prints."""
    tot = proj.total()
    def block(df: pd.DataFrame) -> list[dict]:
        keep = ["key", "workers", "workers_p10", "workers_p90", "workers_p2_5", "workers_p97_5", "additional_workers", "businesses"]
        return [{("p10" if k == "workers_p10" else "p90" if k == "workers_p90" else "p2_5" if k == "workers_p2_5" else "p97_5" if k == "workers_p97_5"
                  else "expected_enrollments" if k == "workers" else "expected_additional" if k == "additional_workers" else
                  "expected_businesses" if k == "businesses" else k): (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
                for r in df[keep].to_dict("records")]
    nan = lambda v: None if isinstance(v, float) and v != v else v
    return {
        "plan_id": proj.plan_id, "model_version": proj.model_version, "events": proj.events, "invitations": proj.invitations,
        "cost": proj.cost, "simulations": proj.result.sims, "model_members": proj.result.members,
        "expected_enrollments": tot["workers"], "p10": tot["workers_p10"], "p90": tot["workers_p90"],
        "p2_5": tot["workers_p2_5"], "p97_5": tot["workers_p97_5"],
        "expected_businesses": tot["businesses"], "expected_additional": nan(tot["additional_workers"]),
        "expected_additional_p10": nan(tot["additional_workers_p10"]), "expected_additional_p90": nan(tot["additional_workers_p90"]),
        "monthly_contributions": tot["contributions"], "monthly_contributions_p10": tot["contributions_p10"],
        "monthly_contributions_p90": tot["contributions_p90"],
        "by_month": block(proj.breakdown("month")), "by_province": block(proj.breakdown("province")),
        "by_segment": block(proj.breakdown("segment")), "by_partner_type": block(proj.breakdown("partner_type")),
    }
