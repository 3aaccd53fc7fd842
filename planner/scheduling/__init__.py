"""The sosialisasi scheduler: which events, with which partner, led by whom, on which day,
and whom to invite, to win the most additional enrolled workers.

One job a module, each importing only those above it in this list:

- ``rules``: what a manager asks (``Rules``) and the calendar (holidays, blackout, weekdays).
- ``instance``: the records a solve works on and returns (partners, staff, pools, events).
- ``check``: every hard rule checked without a solver (locked events, finished plans).
- ``model``: the CP-SAT model of a plan or a part of it, and one part's solve.
- ``diagnosis``: an impossible request's conflicting rules, in words.
- ``invitees``: CP-SAT's answer turned into events (staff matched, invitees seated).
- ``explain``: which rules bind a plan, and why nothing could be planned.
- ``decomposition``: a large plan solved province by province with a national bound.
- ``solver``: ``solve``, the entry point (one model or province by province).

``from planner import scheduling as sch; sch.solve(...)`` is the way in; the names below
are the public API.
"""

from planner.i18n import fmt_int
from planner.scheduling.check import check_fixed, check_plan
from planner.scheduling.diagnosis import conflicts_text, describe_conflict
from planner.scheduling.explain import explain, explain_empty
from planner.scheduling.instance import (AFFINITY, AFFINITY_BITS, Busy, Finding, FixedEvent, Instance, Partner,
                                         PlannedEvent, Pool, Solution, Staff, with_rules)
from planner.scheduling.model import SCALE, candidate_slots
from planner.scheduling.rules import (BLOCKED_KINDS, MAX_HORIZON_DAYS, WEEKDAY_NAMES, Rules, blocked_counts, blocked_days,
                                      blocked_reason, holiday_calendar, month_key, ramadan_blackout, week_key)
from planner.scheduling.solver import solve

__all__ = [
    "Rules", "Partner", "Staff", "Pool", "FixedEvent", "Busy", "Instance", "PlannedEvent", "Solution", "Finding",
    "solve", "check_plan", "check_fixed", "explain", "explain_empty", "conflicts_text", "describe_conflict",
    "blocked_days", "blocked_reason", "blocked_counts", "BLOCKED_KINDS", "holiday_calendar", "ramadan_blackout", "week_key", "month_key", "with_rules", "candidate_slots",
    "SCALE", "WEEKDAY_NAMES", "MAX_HORIZON_DAYS", "AFFINITY", "AFFINITY_BITS",
    "fmt_int",
]
