"""What the pages read, scoped to the acting user, in one place.

Pages hold no SQL (a test checks): every query a page needs is a function here or in
the module that owns the data, taking the acting ``User`` where what it returns depends
on who asks (staff see their own provinces only; the scoping is done here, not in the
page). Each function names the tables it reads in ``READS`` so that a page can cache
its result keyed on their data versions (``planner.versions``).
"""

from __future__ import annotations

import pandas as pd
import sqlite_utils

from planner.auth import User
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t

# function name -> the tables (data-version topics) whose writes change its result
READS: dict[str, tuple[str, ...]] = {
    "province_names": ("provinces",),
    "sector_names": ("sectors",),
    "regency_names": ("regencies",),
    "has_scores": ("scores",),
    "plan_events": ("plans", "events", "partners", "staff", "regencies", "provinces"),
    "event_actuals": ("events", "event_reports", "registrations"),
    "plan_list": ("plans", "events"),
    "plan": ("plans",),
    "plan_event_view": ("plans", "events", "partners", "staff", "regencies", "provinces", "event_reports", "registrations"),
    "plan_problems": ("plans", "events", "invitations", "partners", "staff", "staff_leave", "regencies", "scores"),
    "week_view": ("plans", "events", "partners", "staff", "regencies", "provinces"),
    "projection": ("plans", "events", "invitations", "regencies", "provinces", "businesses", "partners", "meta", "model_runs"),
    "coverage": ("plans", "events", "invitations", "regencies", "provinces", "businesses", "partners", "meta", "model_runs", "potentials"),
    "outcomes": ("plans", "events", "invitations", "controls", "event_reports", "report_rows", "registrations", "payments", "contacts",
                 "partners", "regencies", "staff", "scores"),
    "scenario_hints": ("plans", "events", "partners", "staff", "regencies", "provinces", "potentials"),
    # planner.reporting.agenda, followup and reports: the reads of Agenda and Laporan
    "staff_choices": ("staff",),
    "agenda": ("plans", "events", "partners", "staff", "regencies", "provinces", "event_reports", "invitations"),
    "leads": ("followups", "events", "regencies", "partners", "businesses", "staff"),
    "invitations": ("plans", "events", "invitations", "partners", "staff", "regencies", "provinces", "businesses", "scores"),
    "events_to_report": ("plans", "events", "partners", "staff", "regencies", "provinces", "event_reports"),
    "report_for": ("events", "regencies", "event_reports", "report_rows", "businesses"),
    "form_rows": ("events", "regencies", "invitations", "event_reports", "report_rows", "businesses", "programme_rules"),
    "invitation_view": ("events", "invitations", "partners", "staff", "regencies", "provinces", "businesses", "scores"),
    "move_choices": ("partners", "staff", "regencies"),
    "report_inputs": ("event_reports", "registrations", "payments", "report_rows"),
    "target_page": ("scores", "businesses", "regencies", "provinces"),
    "model_summary": ("model_runs", "meta"),
    # planner.opportunity: the parts of a ranking, each kept until its own tables change
    "potential_cells": ("potentials", "regencies"),
    "business_cells": ("businesses",),
    "conversion_cells": ("contacts", "businesses"),
    "partner_counts": ("partners", "regencies"),
}


def topics(name: str) -> tuple[str, ...]:
    """The data-version topics behind the read function ``name``."""
    return READS[name]


def province_names(db: sqlite_utils.Database) -> dict[str, str]:
    """The 38 provinces, code -> common name, in code order (reference data: everyone
    may read it)."""
    return dict(db.execute("SELECT code, name_common FROM provinces ORDER BY code").fetchall())


def sector_names(db: sqlite_utils.Database, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """KBLI sections, letter -> name in ``lang``, in letter order."""
    column = "name_id" if lang == "id" else "name_en"
    return dict(db.execute(f"SELECT code, {column} FROM sectors ORDER BY code").fetchall())


def regency_names(db: sqlite_utils.Database, province: str | None = None) -> dict[str, str]:
    """Regencies (of ``province``, or all), code -> name, in code order."""
    if province is None:
        return dict(db.execute("SELECT code, name FROM regencies ORDER BY code").fetchall())
    return dict(db.execute("SELECT code, name FROM regencies WHERE province_code = ? ORDER BY code", [province]).fetchall())


def has_scores(db: sqlite_utils.Database) -> bool:
    """Whether any business has been scored (planning needs scores)."""
    return db.execute("SELECT EXISTS (SELECT 1 FROM scores)").fetchone()[0] == 1


def check_province(actor: User, province: str | None, lang: str = DEFAULT_LANG) -> None:
    """Refuse a staff member a province that is not theirs (``None``: all provinces, which
    staff may not ask for either)."""
    if actor.role == "staff" and province not in actor.provinces:
        raise PlannerError(t("reads.not_your_province", lang, province=province or "–", mine=", ".join(actor.provinces) or "–"))


def plan_events(db: sqlite_utils.Database, actor: User, plan_id: int) -> pd.DataFrame:
    """The plan's planned events as ``plans.plan_events`` gives them, if the actor may see
    the plan; staff get their own provinces' events only."""
    from planner import plans

    plans.plan_for(db, actor, plan_id)  # access check: raises for a plan the actor may not see
    events = plans.plan_events(db, plan_id)
    if actor.role == "staff":
        events = events[events["province_code"].isin(actor.provinces)].reset_index(drop=True)
    return events


def event_actuals(db: sqlite_utils.Database, actor: User, plan_id: int) -> pd.DataFrame:
    """Per event of the plan the actor may see: its report's figures (``reports.actuals``)."""
    from planner import plans
    from planner.reporting import reports

    plans.plan_for(db, actor, plan_id)
    return reports.actuals(db, plan_id)


def move_choices(db: sqlite_utils.Database, actor: User, province: str, lang: str = DEFAULT_LANG) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where an event of ``province`` may move: the province's active partners and active
    staff (partner_id, name; staff_id, name), by name."""
    check_province(actor, province, lang)
    partners = pd.DataFrame(
        db.execute(
            "SELECT p.partner_id, p.name FROM partners p JOIN regencies g ON g.code = p.regency_code "
            "WHERE p.active = 1 AND g.province_code = ? ORDER BY p.name",
            [province],
        ).fetchall(),
        columns=["partner_id", "name"],
    )
    staff = pd.DataFrame(
        db.execute("SELECT staff_id, name FROM staff WHERE active = 1 AND province_code = ? ORDER BY name", [province]).fetchall(),
        columns=["staff_id", "name"],
    )
    return partners, staff


def active_users(db: sqlite_utils.Database) -> int:
    """How many accounts may sign in (the sign-in page says so when there is none)."""
    return db.execute("SELECT COUNT(*) FROM users WHERE active = 1").fetchone()[0]


def model_summary(db: sqlite_utils.Database, actor: User) -> dict | None:
    """The active scoring model for the Sasaran page: its version and card, the version
    before it and what changed since (None before the first training). Cards are read by
    everyone who may see targets."""
    from planner import scoring
    from planner.db import get_meta

    version = get_meta(db, "active_model")
    if not version:
        return None
    previous = scoring.previous_version(db, version)
    return {"version": version, "card": scoring.card_of(db, version), "previous": previous,
            "diff": scoring.compare_versions(db, version, previous) if previous else None}


# --------------------------------------------------------------------------- Jadwal
def plan_list(db: sqlite_utils.Database, actor: User) -> pd.DataFrame:
    """The plans the actor may see (``plans.list_plans``)."""
    from planner import plans

    return plans.list_plans(db, actor)


def plan(db: sqlite_utils.Database, actor: User, plan_id: int):
    """The plan, if the actor may see it (``plans.plan_for``)."""
    from planner import plans

    return plans.plan_for(db, actor, plan_id)


def plan_event_view(db: sqlite_utils.Database, actor: User, plan_id: int) -> pd.DataFrame:
    """The plan's events the actor may see, each with its report's figures (what Jadwal
    lists, counts and draws)."""
    from planner.reporting import reports

    events = plan_events(db, actor, plan_id)
    return events.merge(reports.actuals(db, plan_id), on="event_id", how="left")


def plan_problems(db: sqlite_utils.Database, actor: User, plan_id: int, lang: str = DEFAULT_LANG) -> list[str]:
    """The hard rules a plan's current events break (``plans.plan_violations``), for those
    who plan."""
    from planner import plans
    from planner.auth import require

    require(actor, "admin", "manager")
    return plans.plan_violations(db, plan_id, lang)


def week_view(db: sqlite_utils.Database, actor: User, plan_id: int, monday, province: str | None, lang: str = DEFAULT_LANG,
              weekends: bool = True) -> pd.DataFrame:
    """One week of the plan as Jadwal's calendar draws it (``plans.week_grid``): the
    events the actor may see, of ``province`` or all."""
    from planner import plans

    events = plan_events(db, actor, plan_id)
    if province is not None:
        events = events[events["province_code"] == province]
    return plans.week_grid(events, monday, lang, weekends=weekends)


def invitation_view(db: sqlite_utils.Database, actor: User, event_id: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """An event's invitees with their WhatsApp texts (``plans.invitation_messages``), if
    the actor may see the event."""
    from planner import plans

    ev = db.execute("SELECT e.plan_id, g.province_code FROM events e JOIN regencies g ON g.code = e.regency_code WHERE e.event_id = ?",
                    [event_id]).fetchone()
    if ev is None:
        raise PlannerError(t("reads.no_event", lang, event=event_id))
    plans.plan_for(db, actor, ev[0])
    check_province(actor, ev[1], lang)
    return plans.invitation_messages(db, event_id, lang)


# --------------------------------------------------------------------------- Proyeksi
def projection(db: sqlite_utils.Database, actor: User, plan_id: int, lang: str = DEFAULT_LANG):
    """The plan's projected uptake with its intervals (``uptake.project``): seconds of
    simulation, so pages keep it until the plan, its invitees or the model change."""
    from planner.projection import uptake

    return uptake.project(db, actor, plan_id, lang=lang)


def coverage(db: sqlite_utils.Database, actor: User, plan_id: int, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Coverage today and after the plan (``uptake.coverage`` of its projection)."""
    from planner.projection import uptake

    return uptake.coverage(db, projection(db, actor, plan_id, lang))


def outcomes(db: sqlite_utils.Database, actor: User, plan_id: int) -> dict:
    """What the reports say of a plan: plan against actual, the measured lift against its
    comparison group, what works by partner type and channel, and the funnel (invited ->
    paying after three months)."""
    from planner.projection import actuals, lift
    from planner.reporting import retention

    pva = actuals.plan_vs_actual(db, actor, plan_id)
    return {"pva": pva, "measured": lift.measured(db, actor, plan_id), "works": actuals.what_works(db, actor),
            "funnel": retention.funnel(db, actor, plan_id) if pva["events_held"] else None}


def scenario_hints(db: sqlite_utils.Database, actor: User, plan_id: int) -> dict:
    """Which scenarios make sense for the plan (``scenarios.suggestions``)."""
    from planner.projection import scenarios

    return scenarios.suggestions(db, actor, plan_id)
