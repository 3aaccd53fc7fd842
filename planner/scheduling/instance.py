"""The records a solve works on: partners, staff, candidate invitees (pools), locked
events, other plans' events, the instance that holds them, and the planned events,
findings and solution a solve returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from planner.scheduling.rules import Rules, blocked_days

# Which businesses a partner type reaches best: used only to seat invitees at the event
# of their regency that suits them (the value of an invitation does not depend on it).
AFFINITY = {
    "bank": "kur_recipient",
    "koperasi": "coop_member",
    "dinas_koperasi": "coop_member",
    "oss_ptsp": "has_nib",
    "ecommerce": "digital_payments",
}
AFFINITY_BITS = {"kur_recipient": 1, "coop_member": 2, "has_nib": 4, "digital_payments": 8}



@dataclass(frozen=True)
class Partner:
    partner_id: str
    name: str
    type: str
    regency: str
    province: str
    per_month: int
    seats: int
    cost: int
    weekdays: frozenset[int]  # ISO 1 = Monday … 7 = Sunday


@dataclass(frozen=True)
class Staff:
    staff_id: str
    name: str
    province: str
    per_week: int
    home_regency: str | None = None
    leave: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class Pool:
    """The candidate invitees of one regency, best first."""

    regency: str
    business_ids: np.ndarray  # str
    value: np.ndarray  # expected additional workers if invited (> 0)
    p_enroll: np.ndarray
    uplift: np.ndarray  # nan where no uplift model exists
    workers: np.ndarray
    affinity: np.ndarray  # bit flags, see AFFINITY_BITS


@dataclass(frozen=True)
class FixedEvent:
    """An event the solver must keep as it is (locked by a manager)."""

    event_id: str
    date: dt.date
    partner_id: str
    staff_id: str | None
    invitees: tuple[str, ...] = ()
    value: float = 0.0  # expected additional workers of its invitees
    enrollments: float = 0.0


@dataclass(frozen=True)
class Busy:
    """An event of another published plan: it occupies a staff member, a partner and a date."""

    event_id: str
    date: dt.date
    partner_id: str
    staff_id: str | None
    regency: str


@dataclass
class Instance:
    rules: Rules
    partners: list[Partner]
    staff: list[Staff]
    pools: dict[str, Pool]
    blocked: dict[dt.date, str] = field(default_factory=dict)  # date -> reason (holiday name, weekend, Ramadan)
    fixed: list[FixedEvent] = field(default_factory=list)
    busy: list[Busy] = field(default_factory=list)
    forbidden: set[tuple[str, dt.date]] = field(default_factory=set)  # (partner, day) cancelled by a manager
    attendance_rate: dict[str, float] = field(default_factory=dict)  # regency -> share of invitees who come
    default_attendance: float = 0.55
    regency_names: dict[str, str] = field(default_factory=dict)
    province_names: dict[str, str] = field(default_factory=dict)
    uplift_model: bool = True

    @property
    def days(self) -> list[dt.date]:
        n = (self.rules.end - self.rules.start).days + 1
        return [self.rules.start + dt.timedelta(days=i) for i in range(n)]

    def working_days(self) -> list[dt.date]:
        return [d for d in self.days if d not in self.blocked]

    def partner(self, pid: str) -> Partner:
        return self._partners[pid]

    def staff_member(self, sid: str) -> Staff:
        return self._staff[sid]

    def __post_init__(self) -> None:
        self._partners = {p.partner_id: p for p in self.partners}
        self._staff = {s.staff_id: s for s in self.staff}

    def seats(self, p: Partner) -> int:
        cap = p.seats if self.rules.max_invitees is None else min(p.seats, self.rules.max_invitees)
        return max(0, int(cap))

    def regency_name(self, code: str) -> str:
        return self.regency_names.get(code, code)


@dataclass(frozen=True)
class PlannedEvent:
    event_id: str | None  # None for a new event (numbered when saved)
    date: dt.date
    regency: str
    partner_id: str
    staff_id: str | None
    invitees: tuple[str, ...]
    expected_attendance: float
    expected_enrollments: float
    expected_additional: float
    event_cost: int
    travel_cost: int
    locked: bool = False

    @property
    def cost(self) -> int:
        return self.event_cost + self.travel_cost


@dataclass(frozen=True)
class Finding:
    """One sentence of an explanation, with the rule it is about."""

    rule: str
    text: str
    binding: bool = True


@dataclass
class Solution:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN (no plan found in time), EMPTY (nothing possible)
    events: list[PlannedEvent]
    objective: float = 0.0  # expected additional workers minus penalties
    bound: float = 0.0  # CP-SAT's proven upper bound of the objective
    seconds: float = 0.0
    penalties: dict[str, tuple[int, float]] = field(default_factory=dict)  # name -> (count, workers)
    findings: list[Finding] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # why an infeasible request is so, in words
    parts: list[dict] = field(default_factory=list)  # per solved part (province or whole plan)
    core: list[tuple] | None = None  # the conflicting rules of an infeasible request (rule keys)
    core_budget: int | None = None  # the budget the conflicting part had
    conflict_source: str = ""  # "precheck" (locked events alone), "core" (CP-SAT), "timeout"
    rounds: list[dict] = field(default_factory=list)  # province by province: each round's price, spending and bounds

    @property
    def gap(self) -> float:
        if self.status not in ("OPTIMAL", "FEASIBLE"):
            return float("nan")
        if self.bound <= 1e-9:
            return 0.0
        return max(0.0, (self.bound - self.objective) / max(abs(self.bound), 1e-9))

    @property
    def expected_additional(self) -> float:
        return float(sum(e.expected_additional for e in self.events))

    @property
    def expected_enrollments(self) -> float:
        return float(sum(e.expected_enrollments for e in self.events))

    @property
    def cost(self) -> int:
        return int(sum(e.cost for e in self.events))

    @property
    def feasible(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE", "EMPTY")


def with_rules(inst: Instance, **changes) -> Instance:
    """The same instance under changed rules (used for what-if comparisons and tests)."""
    rules = replace(inst.rules, **changes)
    new = Instance(rules, inst.partners, inst.staff, inst.pools, blocked_days(rules) if {"start", "end", "allow_weekends", "ramadan_blackout"} & set(changes) else inst.blocked,
                   inst.fixed, inst.busy, inst.forbidden, inst.attendance_rate, inst.default_attendance, inst.regency_names, inst.province_names, inst.uplift_model)
    return new
