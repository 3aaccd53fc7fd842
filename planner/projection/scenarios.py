"""Scenarios: the current plan next to variants that the scheduler re-solves in the
background — the budget 20% lower or higher, more staff in each province, a province
added or removed — compared side by side (events, cost, expected workers with their
intervals, cost per worker) with what changed.

A scenario is a draft plan that points at its base plan (``plans.scenario_of``) with what
it varies (``plans.scenario``). It is solved like any plan (``plans.start_solve``), never
published, and kept out of the plan lists; it competes neither with its base plan nor with
its siblings for businesses, partners or staff. Starting a new set of scenarios for a plan
archives the previous set."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import numpy as np
import pandas as pd
import sqlite_utils

from planner import plans
from planner.auth import User, require
from planner.audit import record
from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, fmt_int, fmt_rupiah, t
from planner.projection import uptake

KINDS = ("budget_down", "budget_up", "more_staff", "add_province", "drop_province")
BUDGET_STEP = 0.20
RUNNING = ("queued", "running")


def _province_codes(db: sqlite_utils.Database, rules) -> list[str]:
    return list(rules.provinces) or [r[0] for r in db.execute("SELECT code FROM provinces ORDER BY code")]


def suggestions(db: sqlite_utils.Database, actor: User, plan_id: int) -> dict:
    """What the variants would change by default: the province outside the plan with the
    most uncovered workers (to add), the plan's province whose events bring the fewest
    additional workers (to remove), and which kinds apply to this plan."""
    require(actor, "admin", "manager", "leadership")
    plan = plans.get_plan(db, plan_id)
    inside = _province_codes(db, plan.rules)
    outside = [r[0] for r in db.execute(
        "SELECT g.province_code FROM potentials p JOIN regencies g ON g.code = p.regency_code "
        "GROUP BY g.province_code ORDER BY SUM(p.eligible_workers - p.covered_workers) DESC").fetchall() if r[0] not in inside]
    per_province = dict(db.execute(
        "SELECT g.province_code, SUM(e.expected_additional) FROM events e JOIN regencies g ON g.code = e.regency_code "
        "WHERE e.plan_id = ? AND e.status = 'planned' GROUP BY g.province_code", [plan_id]).fetchall())
    weakest = sorted(inside, key=lambda p: (per_province.get(p, 0.0) or 0.0, p))
    kinds = ["budget_down", "budget_up", "more_staff"]
    if outside:
        kinds.append("add_province")
    if len(inside) > 1:
        kinds.append("drop_province")
    return {"kinds": kinds, "add": outside, "drop": weakest, "inside": inside}


def _variant(db: sqlite_utils.Database, plan: plans.Plan, kind: str, *, province: str | None, extra_staff: int,
             cost: int, lang: str) -> tuple:
    # the variants are solved one after another, each with every core (a single search
    # worker often finds no schedule at all once a budget binds)
    rules = replace(plan.rules, workers=max(plan.rules.workers, min(8, os.cpu_count() or 2)))
    if kind in ("budget_down", "budget_up"):
        factor = 1 - BUDGET_STEP if kind == "budget_down" else 1 + BUDGET_STEP
        # what the plan spends, when its budget does not limit it (a cut of a budget that is
        # not spent would change nothing); its budget otherwise
        budget = plan.rules.budget
        base = budget if budget is not None and cost >= 0.95 * budget else cost
        if not base:
            raise PlannerError(t("scen.no_budget", lang))
        budget = int(round(base * factor, -3))
        return replace(rules, budget=budget), {"kind": kind, "factor": factor, "budget": budget, "basis": int(base)}
    if kind == "more_staff":
        return replace(rules, extra_staff=int(extra_staff)), {"kind": kind, "staff": int(extra_staff)}
    inside = _province_codes(db, plan.rules)
    if kind == "add_province":
        if not province or province in inside:
            raise PlannerError(t("scen.bad_add", lang, province=province or "–"))
        return replace(rules, provinces=tuple(sorted(set(inside) | {province}))), {"kind": kind, "province": province}
    if kind == "drop_province":
        if not province or province not in inside or len(inside) < 2:
            raise PlannerError(t("scen.bad_drop", lang, province=province or "–"))
        return replace(rules, provinces=tuple(p for p in inside if p != province)), {"kind": kind, "province": province}
    raise PlannerError(t("scen.bad_kind", lang, kind=kind, kinds=", ".join(KINDS)))


def start(db: sqlite_utils.Database, actor: User, plan_id: int, kinds: list[str] | tuple[str, ...] | None = None, *,
          add_province: str | None = None, drop_province: str | None = None, extra_staff: int = 1,
          lang: str = DEFAULT_LANG) -> list[int]:
    """Create the variants of a solved plan and start solving each in the background
    (managers and admins). The previous scenarios of the plan are archived. Returns the
    scenarios' plan ids."""
    require(actor, "admin", "manager", lang=lang)
    plan = plans.get_plan(db, plan_id)
    if plan.scenario_of is not None:
        raise PlannerError(t("scen.of_scenario", lang, plan=plan.scenario_of))
    if plan.status == "archived":
        raise PlannerError(t("scen.archived", lang, plan=plan_id))
    events, cost = db.execute("SELECT COUNT(*), COALESCE(SUM(event_cost + travel_cost), 0) FROM events WHERE plan_id = ? AND status = 'planned'",
                              [plan_id]).fetchone()
    if not events:
        raise PlannerError(t("scen.unsolved", lang))
    hints = suggestions(db, actor, plan_id)
    kinds = list(kinds) if kinds else list(hints["kinds"])
    if not kinds:
        raise PlannerError(t("scen.none_chosen", lang))
    if not 1 <= int(extra_staff) <= 20:
        raise PlannerError(t("scen.bad_staff", lang, value=extra_staff))
    if any(running(db, k) for k in current(db, plan_id)):
        raise PlannerError(t("scen.busy", lang))
    variants = []
    for kind in dict.fromkeys(kinds):
        province = (add_province or (hints["add"][0] if hints["add"] else None)) if kind == "add_province" else \
            (drop_province or (hints["drop"][0] if hints["drop"] else None)) if kind == "drop_province" else None
        variants.append(_variant(db, plan, kind, province=province, extra_staff=extra_staff, cost=int(cost), lang=lang))
    ids = []
    with transaction(db):
        db.execute("UPDATE plans SET status = 'archived', updated_at = ? WHERE scenario_of = ? AND status != 'archived'",
                   [plans.storage._now(), plan_id])
        for rules, scenario in variants:
            scenario = {**scenario, "base_version": plan.updated_at}
            ids.append(plans.create_plan(db, actor, f"{plan.name} · {scenario['kind']}"[:120], rules, scenario_of=plan_id, scenario=scenario))
        record(db, actor, "plan.scenarios", "plans", str(plan_id), None, {"scenarios": ids, "kinds": [s["kind"] for _, s in variants]})
    plans.start_solves(db, actor, ids, lang=lang)  # one after another, each with every core
    return ids


def current(db: sqlite_utils.Database, plan_id: int) -> list[int]:
    """The plan's live scenarios, in the order they were made."""
    return [r[0] for r in db.execute("SELECT plan_id FROM plans WHERE scenario_of = ? AND status != 'archived' ORDER BY plan_id", [plan_id])]


def running(db: sqlite_utils.Database, scenario_id: int) -> bool:
    job = plans.latest_job(db, scenario_id)
    return job is not None and job["status"] in RUNNING


def version(db: sqlite_utils.Database, plan_id: int) -> tuple:
    """Changes whenever the base plan or any of its scenarios changes (a cache key)."""
    return tuple(db.execute("SELECT plan_id, updated_at, status FROM plans WHERE plan_id = ? OR scenario_of = ? ORDER BY plan_id",
                            [plan_id, plan_id]).fetchall())


def label(scenario: dict | None, names: dict[str, str], lang: str = DEFAULT_LANG) -> str:
    """The variant in words: "Anggaran −20% (Rp 40.000.000)", "+1 staf per provinsi"..."""
    if not scenario:
        return t("scen.base", lang)
    kind = scenario["kind"]
    if kind in ("budget_down", "budget_up"):
        return t(f"scen.kind_{kind}", lang, budget=fmt_rupiah(scenario["budget"]))
    if kind == "more_staff":
        return t("scen.kind_more_staff", lang, staff=fmt_int(scenario["staff"]))
    return t(f"scen.kind_{kind}", lang, province=names.get(scenario["province"], scenario["province"]))


def _regencies(db: sqlite_utils.Database, plan_id: int) -> dict[str, int]:
    return dict(db.execute("SELECT regency_code, COUNT(*) FROM events WHERE plan_id = ? AND status = 'planned' GROUP BY regency_code",
                           [plan_id]).fetchall())


def changes(db: sqlite_utils.Database, base_id: int, scenario_id: int, lang: str = DEFAULT_LANG) -> str:
    """What the scenario's schedule does differently from the base plan, in one line:
    events and cost, regencies gained and lost, events led by the extra staff."""
    names = dict(db.execute("SELECT code, name FROM regencies").fetchall())
    a, b = _regencies(db, base_id), _regencies(db, scenario_id)
    cost = lambda pid: db.execute("SELECT COALESCE(SUM(event_cost + travel_cost), 0) FROM events WHERE plan_id = ? AND status = 'planned'",
                                  [pid]).fetchone()[0]
    d_events, d_cost = sum(b.values()) - sum(a.values()), int(cost(scenario_id)) - int(cost(base_id))
    sign = lambda v: "+" if v > 0 else "−" if v < 0 else "±"
    parts = [t("scen.ch_events", lang, n=sign(d_events) + fmt_int(abs(d_events)), cost=sign(d_cost) + fmt_rupiah(abs(d_cost)))]
    gained = sorted((r for r in b if r not in a), key=lambda r: names.get(r, r))
    lost = sorted((r for r in a if r not in b), key=lambda r: names.get(r, r))

    def some(codes: list[str]) -> str:
        shown = ", ".join(names.get(r, r) for r in codes[:3])
        return shown + (t("scen.ch_more", lang, n=fmt_int(len(codes) - 3)) if len(codes) > 3 else "")

    if gained:
        parts.append(t("scen.ch_gained", lang, n=fmt_int(len(gained)), names=some(gained)))
    if lost:
        parts.append(t("scen.ch_lost", lang, n=fmt_int(len(lost)), names=some(lost)))
    plan = plans.get_plan(db, scenario_id)
    if plan.rules.extra_staff:
        extra = db.execute("SELECT COUNT(*) FROM events WHERE plan_id = ? AND status = 'planned' AND staff_id IS NULL", [scenario_id]).fetchone()[0]
        parts.append(t("scen.ch_extra_staff", lang, n=fmt_int(extra)))
    if not gained and not lost and d_events == 0 and d_cost == 0:
        parts.append(t("scen.ch_same_regencies", lang))
    return "; ".join(parts)


def compare(db: sqlite_utils.Database, actor: User, plan_id: int, *, lang: str = DEFAULT_LANG,
            projector=None) -> pd.DataFrame:
    """The plan and its live scenarios side by side: one row each with its state (solving,
    ready, no feasible plan, failed), events, cost, expected enrolled and additional
    workers with their 80% intervals, cost per additional worker, and what changed.
    ``projector(plan_id)`` returns a projection (the page passes its cache)."""
    require(actor, "admin", "manager", "leadership", lang=lang)
    projector = projector or (lambda pid: uptake.project(db, actor, pid, lang=lang))
    base = plans.get_plan(db, plan_id)
    names = dict(db.execute("SELECT code, name_common FROM provinces").fetchall())
    rows = []
    for pid in [plan_id, *current(db, plan_id)]:
        plan = base if pid == plan_id else plans.get_plan(db, pid)
        job = plans.latest_job(db, pid) if pid != plan_id else None
        result = plan.result or {}
        row = {"plan_id": pid, "scenario": label(plan.scenario, names, lang), "kind": (plan.scenario or {}).get("kind", "base"),
               "state": "ready", "progress": None, "events": np.nan, "cost": np.nan, "workers": np.nan, "workers_p10": np.nan,
               "workers_p90": np.nan, "additional": np.nan, "additional_p10": np.nan, "additional_p90": np.nan,
               "per_additional": np.nan, "per_worker": np.nan, "solver": result.get("status"), "gap": result.get("gap"), "changes": "", "error": "",
               "stale": bool(plan.scenario and plan.scenario.get("base_version") != base.updated_at)}
        if job is not None and job["status"] in RUNNING:
            row.update(state="solving", progress=float(job["progress"] or 0))
        elif job is not None and job["status"] == "failed":
            row.update(state="failed", error=job["error"] or "")
        elif pid != plan_id and result.get("status") in ("INFEASIBLE", "UNKNOWN", None):
            row.update(state="infeasible" if result.get("status") == "INFEASIBLE" else "failed")
        if row["state"] == "ready":
            proj = projector(pid)
            tot, per = proj.total(), uptake.cost_per(proj)
            row.update(events=proj.events, cost=proj.cost, workers=tot["workers"], workers_p10=tot["workers_p10"], workers_p90=tot["workers_p90"],
                       per_worker=per["per_worker"], per_additional=per["per_additional"])
            if proj.result.has_uplift:
                row.update(additional=tot["additional_workers"], additional_p10=tot["additional_workers_p10"],
                           additional_p90=tot["additional_workers_p90"])
            if pid != plan_id:
                row["changes"] = changes(db, plan_id, pid, lang)
        rows.append(row)
    return pd.DataFrame(rows)


def as_json(frame: pd.DataFrame) -> list[dict]:
    """The comparison for the CLI (``--format json``)."""
    return json.loads(frame.to_json(orient="records"))
