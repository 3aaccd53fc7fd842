"""The sosialisasi scheduler: which events, with which partner, led by whom, on which day,
and whom to invite, to win the most additional enrolled workers.

The model (OR-Tools CP-SAT), exact for the rules below:

- ``y[p, d]`` — partner ``p`` hosts an event on day ``d``. Created only for days the rules
  allow: inside the horizon, not a national holiday or cuti bersama (``holidays``,
  ``government`` category), not a weekend unless allowed, not in the Ramadan/Idul Fitri
  blackout when it is on, and on one of the partner's weekdays.
- ``w[s, d, P]`` — staff member ``s`` leads an event in province ``P`` on day ``d``. Staff
  of one province are interchangeable for an event of that province, so per province and
  day the number of events equals the number of staff working there; which staff member
  takes which event of the day is settled afterwards (locked events keep theirs). This is
  exact, and far smaller than a variable per partner x staff x day.
- ``z[b]`` — business ``b`` is invited. A business may attend an event of its own regency;
  the value of an invitation does not depend on which event of the regency it goes to,
  so the regency's invitations are bounded by the seats of its events (venue capacity),
  and each business is invited at most once. Only businesses with a positive expected
  gain are candidates, and only as many per regency as its events could ever seat.
  Candidates of one regency with the same value are interchangeable, so the model holds
  one count per regency and value (how many of them are invited, best-ranked first)
  rather than a variable per business: exact, and thousands of symmetric choices fewer.

Objective: expected additional enrolled workers (uplift x workers where an uplift model
exists, else p_enroll x workers) of the invitees, minus named soft-rule penalties.

Hard rules, each with a name so a plan can explain itself: holidays and cuti bersama,
weekends, Ramadan/Idul Fitri blackout, partner weekdays, partner monthly capacity,
one event a day per staff member, staff weekly limit, staff leave, staff in their own
province (or travel at a cost, when allowed), total budget (event cost + travel), a
minimum gap in days between events in one regency, each business invited at most once,
an optional minimum number of events per regency, and locked events. Events of other
published plans occupy their staff, partners and dates.

Soft rules (named penalties in expected workers): an event on a Friday (Friday prayers
shorten the working day), an event on a weekend (when weekends are allowed), and the
workload of the busiest staff member (spreads events over the team).

Every solve runs under a time limit (explaining an impossible request included) and
reports status, objective, best bound and gap. A request that cannot be met is explained
by the rules that conflict: CP-SAT is asked again with one assumption literal per rule,
and its infeasible core is put into words.

A plan too large for one model (many provinces) is solved province by province in
parallel processes, with a proven national bound: ``planner.decomposition``.
"""

from __future__ import annotations

import datetime as dt
import re
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from planner.errors import PlannerError
from planner.i18n import fmt_date, fmt_int, fmt_num, fmt_pct, fmt_rupiah

SCALE = 1000  # objective units per expected worker (CP-SAT needs integers)
WEEKDAY_NAMES = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MAX_HORIZON_DAYS = 366
RAMADAN_DAYS = 30  # Ramadan ends the day before Idul Fitri; 1 Ramadan is 29-30 days before it
AFTER_LEBARAN_DAYS = 7  # the week of cuti bersama and halalbihalal after Idul Fitri

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


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Rules:
    """What a manager asks for. Money in rupiah, penalties in expected workers."""

    start: dt.date
    end: dt.date
    budget: int | None = None  # None: no budget limit
    provinces: tuple[str, ...] = ()  # empty: every province
    allow_weekends: bool = False
    ramadan_blackout: bool = False
    min_gap_days: int = 7  # two events in one regency are at least this many days apart
    allow_travel: bool = False  # staff may lead events in another province of the plan
    travel_cost: int = 2_500_000  # per event led outside the staff member's own province
    max_invitees: int | None = None  # per event; default the partner's venue capacity
    min_events_per_regency: int = 0  # in every regency that has an active partner
    time_limit: float = 60.0  # seconds for the whole solve
    relative_gap: float = 0.005  # stop early once proven this close to the optimum
    workers: int = 2  # CP-SAT search workers
    penalty_friday: float = 0.5
    penalty_weekend: float = 1.0
    penalty_workload: float = 0.1  # per event of the busiest staff member
    start_time: str = "09:00"  # every event's default start (WIB), editable per event
    duration_minutes: int = 120
    extra_staff: int = 0  # scenarios: this many more staff members in each province of the plan

    def validate(self) -> None:
        """Bad requests are refused with the fix, before any work."""
        if self.end < self.start:
            raise PlannerError(f"Tanggal akhir {self.end} sebelum tanggal mulai {self.start}; tukar keduanya.")
        if (self.end - self.start).days + 1 > MAX_HORIZON_DAYS:
            raise PlannerError(f"Rentang {(self.end - self.start).days + 1} hari terlalu panjang; paling lama {MAX_HORIZON_DAYS} hari — pecah menjadi beberapa rencana.")
        if self.budget is not None and self.budget < 0:
            raise PlannerError(f"Anggaran {self.budget} negatif; tulis 0 atau lebih (rupiah), atau kosongkan untuk tanpa batas.")
        if not 0 <= self.min_gap_days <= 60:
            raise PlannerError(f"Jarak minimal antaracara {self.min_gap_days} hari di luar 0–60.")
        if self.time_limit <= 0 or self.time_limit > 3600:
            raise PlannerError(f"Batas waktu {self.time_limit} detik di luar 1–3600.")
        if self.max_invitees is not None and self.max_invitees < 1:
            raise PlannerError("Undangan per acara minimal 1 (atau kosongkan untuk kapasitas tempat).")
        if self.min_events_per_regency < 0:
            raise PlannerError("Minimal acara per kabupaten/kota tidak boleh negatif.")
        if not 0 <= int(self.extra_staff) <= 20:
            raise PlannerError(f"Staf tambahan {self.extra_staff} per provinsi di luar 0–20.")
        if self.travel_cost < 0:
            raise PlannerError("Biaya perjalanan tidak boleh negatif.")
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", str(self.start_time)):
            raise PlannerError(f"Jam mulai '{self.start_time}' tidak berbentuk JJ:MM (00:00–23:59); tulis mis. 09:00.")
        if not 15 <= int(self.duration_minutes) <= 12 * 60:
            raise PlannerError(f"Lama acara {self.duration_minutes} menit di luar 15–720 menit.")
        for name in ("penalty_friday", "penalty_weekend", "penalty_workload"):
            if getattr(self, name) < 0:
                raise PlannerError(f"Bobot penalti {name} tidak boleh negatif.")

    def as_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["start"], d["end"] = self.start.isoformat(), self.end.isoformat()
        d["provinces"] = list(self.provinces)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Rules:
        d = dict(d)
        d["start"], d["end"] = dt.date.fromisoformat(d["start"]), dt.date.fromisoformat(d["end"])
        d["provinces"] = tuple(d.get("provinces") or ())
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


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


# --------------------------------------------------------------------------- calendar rules
def holiday_calendar(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """National holidays and cuti bersama between ``start`` and ``end``, with their
    Indonesian names (``holidays`` package, categories ``public`` and ``government``)."""
    import holidays

    years = list(range(start.year, end.year + 1))
    cal = holidays.country_holidays("ID", years=years, categories=("public", "government"), language="id")
    return {d: name for d, name in sorted(cal.items()) if start <= d <= end}


def ramadan_blackout(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Ramadan (derived from Idul Fitri: the ``holidays`` package has no Ramadan entry)
    and the week after Idul Fitri."""
    import holidays

    out: dict[dt.date, str] = {}
    years = list(range(start.year, end.year + 2))
    cal = holidays.country_holidays("ID", years=years, categories=("public",), language="en_US")
    fitri = sorted({d for d, n in cal.items() if n.startswith("Eid al-Fitr") and "Second" not in n})
    for f in fitri:
        first = f - dt.timedelta(days=RAMADAN_DAYS)
        last = f + dt.timedelta(days=AFTER_LEBARAN_DAYS)
        d = first
        while d <= last:
            if start <= d <= end:
                out[d] = "Ramadan" if d < f else "Idul Fitri"
            d += dt.timedelta(days=1)
    return out


def blocked_days(rules: Rules) -> dict[dt.date, str]:
    """Every day of the horizon on which no event may be held, with the reason."""
    out: dict[dt.date, str] = {}
    if rules.ramadan_blackout:
        out.update({d: f"blackout {n}" for d, n in ramadan_blackout(rules.start, rules.end).items()})
    if not rules.allow_weekends:
        d = rules.start
        while d <= rules.end:
            if d.isoweekday() >= 6:
                out[d] = "akhir pekan"
            d += dt.timedelta(days=1)
    out.update({d: f"libur: {n}" for d, n in holiday_calendar(rules.start, rules.end).items()})
    return out


def week_key(d: dt.date) -> tuple[int, int]:
    iso = d.isocalendar()
    return (iso[0], iso[1])


def month_key(d: dt.date) -> tuple[int, int]:
    return (d.year, d.month)


# --------------------------------------------------------------------------- model
@dataclass
class _Model:
    model: object
    y: dict[tuple[str, dt.date], object]
    w: dict[tuple[str, dt.date, str], object]
    z: dict[str, list[tuple[np.ndarray, object]]]  # regency -> [(pool indices of one value, best first; count invited)]
    maxload: object | None
    assumptions: dict[object, tuple]  # literal -> rule key (diagnosis mode only)
    penalty_terms: dict[str, list[tuple[object, int]]]
    value: object = 0  # the plan's objective (expected workers minus penalties, objective units)
    cost_terms: list[tuple[object, int]] = field(default_factory=list)  # (variable, rupiah): what the plan spends
    budget_ct: object | None = None  # the budget rule (its limit can be changed to solve the same part again)


def _slots(inst: Instance, partners: list[Partner]) -> dict[tuple[str, dt.date], Partner]:
    """Every (partner, day) an event may be held on, plus the slots of locked events."""
    work = inst.working_days()
    busy_partner = defaultdict(int)
    for b in inst.busy:
        busy_partner[(b.partner_id, b.date)] += 1
    out: dict[tuple[str, dt.date], Partner] = {}
    for p in partners:
        for d in work:
            if d.isoweekday() in p.weekdays and (p.partner_id, d) not in inst.forbidden and not busy_partner.get((p.partner_id, d)):
                out[(p.partner_id, d)] = p
    for f in inst.fixed:
        if f.partner_id in inst._partners:
            out[(f.partner_id, f.date)] = inst.partner(f.partner_id)
    return out


def _pool_limits(inst: Instance, partners: list[Partner], slots) -> dict[str, int]:
    """How many invitees a regency could ever seat: an upper bound used to prune pools."""
    per_regency: dict[str, list[int]] = defaultdict(list)
    for (pid, _d), p in slots.items():
        per_regency[p.regency].append(inst.seats(p))
    n_days = len(inst.days)
    gap = max(1, inst.rules.min_gap_days)
    limits = {}
    for r, seats in per_regency.items():
        max_events = min(len(seats), math.ceil(n_days / gap) + len([f for f in inst.fixed if inst.partner(f.partner_id).regency == r]))
        limits[r] = int(sum(sorted(seats, reverse=True)[:max_events]))
    return limits


def _build(inst: Instance, partners: list[Partner], staff: list[Staff], provinces: list[str], budget: int | None,
           diagnose: bool = False, *, price: float = 0.0, mode: str = "value") -> _Model:
    """The CP-SAT model of a part. ``mode`` "value" maximises the plan's objective;
    "price" maximises it minus ``price`` objective units per rupiah spent (rounded down
    per event, so that the part's proven bound stays a bound of the priced objective:
    the Lagrangian relaxation of a shared budget, see ``planner.decomposition``);
    "mincost" minimises what the plan spends (its bound proves the least a part must
    spend)."""
    from ortools.sat.python import cp_model

    rules = inst.rules
    m = cp_model.CpModel()
    assumptions: dict[object, tuple] = {}
    lit_of: dict[tuple, object] = {}

    def lits(key: tuple) -> list:
        if not diagnose:
            return []
        if key not in lit_of:
            lit = m.new_bool_var("rule:" + "|".join(map(str, key)))
            lit_of[key] = lit
            assumptions[lit] = key
        return [lit_of[key]]

    def add(ct, key: tuple) -> None:
        c = m.add(ct)
        if diagnose:
            c.only_enforce_if(lits(key))

    slots = _slots(inst, partners)
    y = {k: m.new_bool_var(f"y|{k[0]}|{k[1]}") for k in slots}

    # ---- staff variables: who works where on which day
    fixed_staff_days = {(f.staff_id, f.date) for f in inst.fixed if f.staff_id}
    busy_staff = defaultdict(int)
    for b in inst.busy:
        if b.staff_id:
            busy_staff[(b.staff_id, b.date)] += 1
    event_days_by_prov: dict[str, set[dt.date]] = defaultdict(set)
    for (pid, d), p in slots.items():
        event_days_by_prov[p.province].add(d)
    w: dict[tuple[str, dt.date, str], object] = {}
    for s in staff:
        where = [s.province] if not rules.allow_travel else provinces
        for prov in where:
            if prov != s.province and prov not in provinces:
                continue
            for d in sorted(event_days_by_prov.get(prov, ())):
                fixed_here = (s.staff_id, d) in fixed_staff_days
                if not fixed_here and (d in s.leave or busy_staff.get((s.staff_id, d)) or s.per_week <= 0):
                    continue
                w[(s.staff_id, d, prov)] = m.new_bool_var(f"w|{s.staff_id}|{d}|{prov}")
    # locked events: their staff member on their day in their province
    for f in inst.fixed:
        p = inst.partner(f.partner_id)
        add(y[(f.partner_id, f.date)] == 1, ("locked", f.event_id))
        if f.staff_id:
            key = (f.staff_id, f.date, p.province)
            if key not in w:
                w[key] = m.new_bool_var(f"w|{key}")
            add(w[key] == 1, ("locked", f.event_id))
            s = inst._staff.get(f.staff_id)
            if s is not None and s.province != p.province and not rules.allow_travel:
                add(w[key] == 0, ("own_province", f.staff_id))
            if s is not None and f.date in s.leave:
                add(w[key] == 0, ("leave", f.staff_id, f.date))
            if busy_staff.get((f.staff_id, f.date)):
                add(w[key] == 0, ("staff_day", f.staff_id, f.date))

    # ---- per province and day: events = staff working there
    ev_by_pd: dict[tuple[str, dt.date], list] = defaultdict(list)
    for (pid, d), var in y.items():
        ev_by_pd[(slots[(pid, d)].province, d)].append(var)
    st_by_pd: dict[tuple[str, dt.date], list] = defaultdict(list)
    for (sid, d, prov), var in w.items():
        st_by_pd[(prov, d)].append(var)
    for key in sorted(set(ev_by_pd) | set(st_by_pd)):  # sorted: the same model, hence the same plan, in every process
        m.add(sum(ev_by_pd.get(key, [])) == sum(st_by_pd.get(key, [])))  # structure, not a rule: every event has its leader

    # ---- staff: one event a day, weekly limit
    by_sd: dict[tuple[str, dt.date], list] = defaultdict(list)
    by_sw: dict[tuple[str, tuple[int, int]], list] = defaultdict(list)
    for (sid, d, prov), var in w.items():
        by_sd[(sid, d)].append(var)
        by_sw[(sid, week_key(d))].append(var)
    for (sid, d), vars_ in by_sd.items():
        if len(vars_) > 1:
            add(sum(vars_) <= 1, ("staff_day", sid, d))
    busy_week = defaultdict(int)
    for b in inst.busy:
        if b.staff_id:
            busy_week[(b.staff_id, week_key(b.date))] += 1
    staff_by_id = {s.staff_id: s for s in staff}
    for (sid, wk), vars_ in by_sw.items():
        limit = staff_by_id[sid].per_week - busy_week.get((sid, wk), 0) if sid in staff_by_id else 0
        if len(vars_) > limit:
            add(sum(vars_) <= max(0, limit), ("staff_week", sid, wk))

    # ---- partners: monthly capacity
    busy_month = defaultdict(int)
    for b in inst.busy:
        busy_month[(b.partner_id, month_key(b.date))] += 1
    by_pm: dict[tuple[str, tuple[int, int]], list] = defaultdict(list)
    for (pid, d), var in y.items():
        by_pm[(pid, month_key(d))].append(var)
    for (pid, mk), vars_ in by_pm.items():
        limit = inst.partner(pid).per_month - busy_month.get((pid, mk), 0)
        if len(vars_) > limit:
            add(sum(vars_) <= max(0, limit), ("partner_month", pid, mk))

    # ---- regency: minimum gap between events (at most one event in any window of g days)
    g = rules.min_gap_days
    by_regency_day: dict[str, dict[dt.date, list]] = defaultdict(lambda: defaultdict(list))
    for (pid, d), var in y.items():
        by_regency_day[slots[(pid, d)].regency][d].append(var)
    busy_regency: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for b in inst.busy:
        busy_regency[b.regency][b.date] += 1
    if g >= 1:
        for r, per_day in by_regency_day.items():
            days = sorted(per_day)
            busy_days = sorted(busy_regency.get(r, {}))
            starts = sorted({d - dt.timedelta(days=k) for d in days for k in range(g)})
            seen: set[tuple] = set()
            for t in starts:
                window_vars = [v for k in range(g) for v in per_day.get(t + dt.timedelta(days=k), [])]
                occupied = sum(busy_regency[r].get(t + dt.timedelta(days=k), 0) for k in range(g)) if busy_days else 0
                if not window_vars or (len(window_vars) + occupied <= 1):
                    continue
                sig = tuple(sorted(id(v) for v in window_vars))
                if sig in seen:
                    continue
                seen.add(sig)
                add(sum(window_vars) <= max(0, 1 - occupied), ("gap", r))

    # ---- minimum events per regency (regencies with a partner only)
    if rules.min_events_per_regency > 0:
        for r, per_day in by_regency_day.items():
            add(sum(v for vs in per_day.values() for v in vs) >= rules.min_events_per_regency, ("min_regency", r))

    # ---- budget
    travel_terms = []
    for (sid, d, prov), var in w.items():
        s = staff_by_id.get(sid) or inst._staff.get(sid)
        if s is not None and s.province != prov:
            travel_terms.append((var, rules.travel_cost))
    budget_ct = None
    if budget is not None:
        spend = sum(slots[k].cost * v for k, v in y.items()) + sum(c * v for v, c in travel_terms)
        if diagnose:
            add(spend <= budget, ("budget",))
        else:
            budget_ct = m.add(spend <= budget)

    # ---- invitations: each business at most once, seats of its regency's events
    fixed_slots = {(f.partner_id, f.date) for f in inst.fixed}
    limits = _pool_limits(inst, partners, slots)
    seats_by_regency: dict[str, list] = defaultdict(list)
    for (pid, d), var in y.items():
        if (pid, d) not in fixed_slots:
            seats_by_regency[slots[(pid, d)].regency].append(inst.seats(slots[(pid, d)]) * var)
    for f in inst.fixed:  # a locked event keeps its invitees; seats it has left are offered to others
        p = inst.partner(f.partner_id)
        free = inst.seats(p) - len(f.invitees)
        if free > 0:
            seats_by_regency[p.regency].append(free)
    z: dict[str, list[tuple[np.ndarray, object]]] = {}
    objective_terms = []
    for r, per_day in by_regency_day.items():
        pool = inst.pools.get(r)
        if pool is None or not len(pool.value):
            continue
        k = min(len(pool.value), limits.get(r, 0))
        if k <= 0:
            continue
        # Candidates of equal value (in objective units) are interchangeable, so the model
        # counts how many of each value are invited instead of a variable per business:
        # exact, and the demo's province of 18,000 candidates has under 900 values. With a
        # variable per business CP-SAT spent its presolve on dominance between thousands of
        # symmetric choices and found no plan better than 27% from its bound in 60 s. The
        # best-ranked (pool order) of each value are the ones invited.
        coef = np.rint(np.asarray(pool.value[:k], dtype=float) * SCALE).astype(np.int64)
        order = np.lexsort((np.arange(k), -coef))  # by value, then pool order
        cuts = np.flatnonzero(np.diff(coef[order])) + 1
        zs = []
        for g, idx in enumerate(np.split(order, cuts)):
            c = int(coef[idx[0]])
            var = m.new_bool_var(f"z|{r}|{g}") if len(idx) == 1 else m.new_int_var(0, len(idx), f"z|{r}|{g}")
            zs.append((idx, var))
            if c:
                objective_terms.append(c * var)
        z[r] = zs
        seat_terms = seats_by_regency.get(r, [])
        m.add(sum(v for _, v in zs) <= sum(seat_terms))  # structure: invitees need seats

    # ---- soft rules
    penalty_terms: dict[str, list[tuple[object, int]]] = {"friday": [], "weekend": [], "workload": [], "cost": []}
    pf = int(round(rules.penalty_friday * SCALE))
    pw = int(round(rules.penalty_weekend * SCALE))
    for (pid, d), var in y.items():
        if d.isoweekday() == 5 and pf:
            penalty_terms["friday"].append((var, pf))
        if d.isoweekday() >= 6 and pw:
            penalty_terms["weekend"].append((var, pw))
    maxload = None
    pl = int(round(rules.penalty_workload * SCALE))
    if pl and w:
        per_staff: dict[str, list] = defaultdict(list)
        for (sid, d, prov), var in w.items():
            per_staff[sid].append(var)
        maxload = m.new_int_var(0, max(len(v) for v in per_staff.values()), "maxload")
        for vars_ in per_staff.values():
            m.add(maxload >= sum(vars_))
        penalty_terms["workload"].append((maxload, pl))
    # Ties go to the cheaper plan, and an event that wins nobody is never held: each
    # Rp 1 juta of event cost counts as 0,001 expected workers (at least that per event).
    for (pid, d), var in y.items():
        penalty_terms["cost"].append((var, max(1, round(slots[(pid, d)].cost / 1_000_000))))
    for var, c in travel_terms:
        penalty_terms["cost"].append((var, max(1, round(c / 1_000_000))))
    penalty = [c * v for terms in penalty_terms.values() for v, c in terms]
    value = sum(objective_terms) - sum(penalty)
    cost_terms = [(v, slots[k].cost) for k, v in y.items()] + list(travel_terms)
    built = _Model(m, y, w, z, maxload, assumptions, penalty_terms, value, cost_terms, budget_ct)
    if diagnose:
        m.add_assumptions(list(assumptions))
    else:
        _objective(built, mode, price)
    return built


def _objective(built: _Model, mode: str = "value", price: float = 0.0) -> None:
    """Set what the model maximises (see ``_build``); a built model can be solved again
    under another price or mode without being built again."""
    m, cost_terms = built.model, built.cost_terms
    if mode == "mincost":
        unit = math.gcd(*[c for _, c in cost_terms if c]) if any(c for _, c in cost_terms) else 1
        m.maximize(-sum((c // unit) * v for v, c in cost_terms if c))
    elif mode == "price" and price > 0:
        m.maximize(built.value - sum(math.floor(price * c) * v for v, c in cost_terms if math.floor(price * c)))
    else:
        m.maximize(built.value)


def _set_budget(built: _Model, budget: int) -> None:
    """Change the budget rule's limit (the model must have been built with a budget)."""
    dom = built.budget_ct.proto.linear.domain
    dom[len(dom) - 1] = int(budget)


def _hint(built: _Model, chosen: dict) -> None:
    """Start CP-SAT from a known plan of the same part (a complete assignment)."""
    slots, staff_days = set(chosen["slots"]), set(chosen["staff_days"])
    m = built.model
    for k, v in built.y.items():
        m.add_hint(v, k in slots)
    for k, v in built.w.items():
        m.add_hint(v, k in staff_days)
    for r, zs in built.z.items():
        invited = set(chosen["invited"].get(r, ()))
        for idx, v in zs:
            m.add_hint(v, sum(1 for i in idx if int(i) in invited))
    if built.maxload is not None:
        load: dict[str, int] = defaultdict(int)
        for sid, _d, _p in staff_days:
            load[sid] += 1
        m.add_hint(built.maxload, max(load.values(), default=0))


def _chosen(solver, built: _Model) -> dict:
    """The plan CP-SAT found: event slots, staff-days, invitees per regency, penalties."""
    return {
        "slots": [k for k, v in built.y.items() if solver.value(v)],
        "staff_days": [k for k, v in built.w.items() if solver.value(v)],
        "invited": {r: sorted(int(i) for idx, v in zs for i in idx[: solver.value(v)]) for r, zs in built.z.items()},
        "penalties": {name: (sum(int(solver.value(v)) for v, _ in terms), sum(c * int(solver.value(v)) for v, c in terms) / SCALE)
                      for name, terms in built.penalty_terms.items()},
    }


def _value_of(solver, expr) -> int:
    return int(expr) if isinstance(expr, (int, float)) else int(solver.value(expr))


# --------------------------------------------------------------------------- solving
class _Progress:
    """Relays CP-SAT's progress (new solutions and bounds) and stops on request."""

    def __init__(self, callback: Callable[[dict], None] | None, should_stop: Callable[[], bool] | None, offset: float, share: float, total: float) -> None:
        self.callback, self.should_stop = callback, should_stop
        self.offset, self.share, self.total = offset, share, total
        self.t0 = time.perf_counter()
        self.objective: float | None = None
        self.bound: float | None = None
        self.solver = None

    def tick(self) -> None:
        if self.should_stop and self.should_stop() and self.solver is not None:
            self.solver.stop_search()
        if self.callback:
            elapsed = time.perf_counter() - self.t0
            frac = min(1.0, (self.offset + min(elapsed, self.share)) / max(self.total, 1e-9))
            self.callback({"fraction": frac, "objective": self.objective, "bound": self.bound, "elapsed": elapsed})


def _full_relaxation(params) -> None:
    """Prove bounds with the full linear relaxation. Below six workers CP-SAT's portfolio
    has no ``max_lp`` worker, and its ``default_lp`` worker (linearization level 1) did
    not even reach the root LP bound on these models: with a budget for a few events per
    province the bound stayed 20-30% above the best plan for the whole time limit. One
    worker: the same search at linearization level 2; two to five: ``max_lp`` in place of
    ``default_lp`` (the other workers are unchanged)."""
    if params.num_workers <= 1:
        params.linearization_level = 2
    elif params.num_workers < 6:
        params.ignore_subsolvers.append("default_lp")
        params.extra_subsolvers.append("max_lp")


TIME_RESERVE = 0.02  # of the time limit, kept for turning the answer into events and words


def _solve_part(inst: Instance, partners: list[Partner], staff: list[Staff], provinces: list[str], budget: int | None,
                time_limit: float, progress: _Progress | None) -> tuple[str, dict, float, float, float]:
    """Solve one part (the whole plan) within ``time_limit`` seconds, building the model
    included. Returns status, the chosen slots and staff-days and invitees, objective,
    bound and seconds; "UNKNOWN" without solving when no time is left."""
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    built = _build(inst, partners, staff, provinces, budget)
    limit = time_limit - (time.perf_counter() - t0)
    if limit <= 0.01:
        return "UNKNOWN", {}, 0.0, 0.0, time.perf_counter() - t0
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = max(1, int(inst.rules.workers))
    solver.parameters.relative_gap_limit = float(inst.rules.relative_gap)
    solver.parameters.random_seed = 7
    _full_relaxation(solver.parameters)
    if progress is not None:
        progress.solver = solver

        class _CB(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                progress.objective = self.objective_value / SCALE
                progress.bound = self.best_objective_bound / SCALE
                progress.tick()

        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        solver.log_callback = lambda _line: progress.tick()
        status = solver.solve(built.model, _CB())
    else:
        status = solver.solve(built.model)
    secs = time.perf_counter() - t0
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return name, {}, 0.0, (solver.best_objective_bound / SCALE if status != cp_model.INFEASIBLE else 0.0), secs
    return name, _chosen(solver, built), solver.objective_value / SCALE, solver.best_objective_bound / SCALE, secs


def _diagnose(inst: Instance, partners: list[Partner], staff: list[Staff], provinces: list[str], budget: int | None,
              time_limit: float) -> list[tuple]:
    """The rules that together make the request impossible (CP-SAT's core of assumption
    literals, one literal per named rule), found within ``time_limit`` seconds — what is
    left of the solve's own limit, so that explaining never makes a solve late. Empty
    when no core was found in time."""
    from ortools.sat.python import cp_model

    deadline = time.perf_counter() + time_limit
    if time_limit <= 0.05:
        return []
    built = _build(inst, partners, staff, provinces, budget, diagnose=True)
    left = deadline - time.perf_counter()
    if left <= 0.02:
        return []
    solver = cp_model.CpSolver()
    # the first core may take most of the time; what is left makes it smaller
    solver.parameters.max_time_in_seconds = max(0.01, min(30.0, 0.7 * left))
    solver.parameters.num_workers = 1  # the core of assumptions comes from the single-thread search
    status = solver.solve(built.model)
    if status != cp_model.INFEASIBLE:
        return []
    by_index = {v.index: v for v in built.assumptions}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    # CP-SAT's core is sufficient, not minimal: drop each rule in turn and keep it out if
    # the rest still conflict, so the explanation names only rules that matter.
    i = 0
    while i < len(core) and len(core) > 1 and deadline - time.perf_counter() > 0.02:
        trial = core[:i] + core[i + 1:]
        built.model.clear_assumptions()
        built.model.add_assumptions(trial)
        probe = cp_model.CpSolver()
        probe.parameters.max_time_in_seconds = max(0.01, min(5.0, deadline - time.perf_counter() - 0.01))
        probe.parameters.num_workers = 1
        if probe.solve(built.model) == cp_model.INFEASIBLE:
            kept = {j for j in probe.sufficient_assumptions_for_infeasibility()}
            core = [v for v in trial if v.index in kept] or trial  # strictly smaller: the loop ends
        else:
            i += 1
    return [built.assumptions[v] for v in core]


def solve(inst: Instance, *, progress: Callable[[dict], None] | None = None, should_stop: Callable[[], bool] | None = None,
          lang: str = "id", by_province: bool | None = None, decompose_above: int | None = None,
          processes: int | None = None, part_workers: int | None = None) -> Solution:
    """Plan the events of ``inst`` within ``rules.time_limit`` seconds, explaining an
    impossible request included. Small plans are one model; above ``decompose_above``
    candidate slots (partner x working day; default 20.000, environment
    ``PLANNER_DECOMPOSE_ABOVE``) a plan of several provinces is solved province by
    province in parallel processes with a proven national bound
    (``planner.decomposition``); ``by_province`` forces either way. Travel between
    provinces needs one model of every staff member x province x day, refused with the
    fix when it would be too large. ``processes`` (default one per core, environment
    ``PLANNER_SOLVE_PROCESSES``) and ``part_workers`` (CP-SAT workers per province) tune
    the decomposed solve."""
    rules = inst.rules
    rules.validate()
    from ortools.sat.python import cp_model  # noqa: F401  loading OR-Tools (once per process) is not the solve's time

    t_start = time.perf_counter()
    precheck = check_fixed(inst, lang)
    if precheck:
        return Solution("INFEASIBLE", [], conflicts=precheck, seconds=time.perf_counter() - t_start, conflict_source="precheck")
    provinces = sorted({p.province for p in inst.partners})
    work = inst.working_days()
    if not work and not inst.fixed:
        return Solution("EMPTY", [], findings=explain_empty(inst, lang), seconds=time.perf_counter() - t_start)
    from planner import decomposition

    size = candidate_slots(inst)
    limit = decomposition.decompose_threshold() if decompose_above is None else int(decompose_above)
    decompose = len(provinces) > 1 and (size > limit if by_province is None else bool(by_province))
    if rules.allow_travel:
        decomposition.check_travel(inst, provinces, lang)  # refused with the fix when too large
        decompose = False  # staff may cross provinces: one model
    if decompose:
        return decomposition.solve_by_province(inst, provinces, progress=progress, should_stop=should_stop, lang=lang,
                                               processes=processes, part_workers=part_workers, t_start=t_start)
    return _solve_joint(inst, provinces, progress, should_stop, lang, t_start)


def candidate_slots(inst: Instance) -> float:
    """About how many (partner, day) an event may take: the size that decides whether a
    plan is solved as one model or province by province."""
    return sum(len(p.weekdays) for p in inst.partners) * len(inst.working_days()) / 7


def _solve_joint(inst: Instance, provinces: list[str], progress: Callable[[dict], None] | None,
                 should_stop: Callable[[], bool] | None, lang: str, t_start: float) -> Solution:
    """The whole plan as one CP-SAT model; its diagnosis, if impossible, takes what is
    left of the time limit."""
    rules = inst.rules
    end = t_start + rules.time_limit * (1 - TIME_RESERVE)
    prog = (_Progress(progress, should_stop, offset=time.perf_counter() - t_start, share=end - time.perf_counter(), total=rules.time_limit)
            if (progress or should_stop) else None)
    status, chosen, obj, bnd, secs = _solve_part(inst, list(inst.partners), list(inst.staff), provinces, rules.budget,
                                                 end - time.perf_counter(), prog)
    spent = 0
    if chosen:
        spent = sum(inst.partner(pid).cost for pid, _ in chosen["slots"]) + sum(
            rules.travel_cost for sid, d, prov in chosen["staff_days"] if inst.staff_member(sid).province != prov)
    part_info = [{"provinces": provinces, "status": status, "objective": obj, "bound": bnd, "seconds": secs,
                  "budget": rules.budget, "spent": spent}]
    if status == "INFEASIBLE":
        core = _diagnose(inst, list(inst.partners), list(inst.staff), provinces, rules.budget, end - time.perf_counter())
        sol = Solution("INFEASIBLE", [], seconds=time.perf_counter() - t_start, core=core, core_budget=rules.budget,
                       conflict_source="core", parts=part_info)
        sol.conflicts = conflicts_text(inst, sol, lang)
        return sol
    if status not in ("OPTIMAL", "FEASIBLE"):
        sol = Solution("UNKNOWN", [], seconds=time.perf_counter() - t_start, parts=part_info, conflict_source="timeout")
        sol.conflicts = conflicts_text(inst, sol, lang)
        return sol
    events = _events_from(inst, [(provinces, chosen)])
    if progress:
        progress({"fraction": 1.0, "objective": obj, "bound": bnd})
    # CP-SAT also says OPTIMAL when it stops at the relative gap limit; call a plan optimal
    # only when it meets the proven bound.
    status = "OPTIMAL" if status == "OPTIMAL" and bnd - obj <= 1e-6 else "FEASIBLE"
    kept = sum(f.value for f in inst.fixed)  # locked events' invitees are not decisions but count in the plan
    sol = Solution(status, events, objective=obj + kept, bound=max(bnd, obj) + kept, seconds=time.perf_counter() - t_start,
                   penalties=dict(chosen.get("penalties", {})), parts=part_info)
    sol.findings = explain(inst, sol, lang)
    return sol


def _reachable_value(inst: Instance, partners: Iterable[Partner]) -> float:
    """What a set of partners could win with no budget limit: the best invitees of their
    regencies up to the seats they could offer. Used to share time and budget."""
    partners = list(partners)
    slots = _slots(inst, partners)
    limits = _pool_limits(inst, partners, slots)
    total = 0.0
    for r, k in limits.items():
        pool = inst.pools.get(r)
        if pool is not None:
            total += float(pool.value[:k].sum())
    return total


def _events_from(inst: Instance, results: list[tuple[list[str], dict]]) -> list[PlannedEvent]:
    """Turn chosen slots, staff-days and invitees into events: staff matched to the day's
    events (locked events keep theirs, then home regency first), invitees seated at the
    event of their regency that suits them (see AFFINITY), best first."""
    rules = inst.rules
    fixed_by_slot = {(f.partner_id, f.date): f for f in inst.fixed}
    events: list[PlannedEvent] = []
    for _, chosen in results:
        if not chosen:
            continue
        staff_by_pd: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
        for sid, d, prov in chosen["staff_days"]:
            staff_by_pd[(prov, d)].append(sid)
        slots_by_pd: dict[tuple[str, dt.date], list[tuple[str, dt.date]]] = defaultdict(list)
        for pid, d in chosen["slots"]:
            slots_by_pd[(inst.partner(pid).province, d)].append((pid, d))
        assigned: dict[tuple[str, dt.date], str | None] = {}
        for key, slots in slots_by_pd.items():
            free = sorted(staff_by_pd.get(key, []))
            rest = []
            for slot in sorted(slots):
                f = fixed_by_slot.get(slot)
                if f is not None and f.staff_id in free:
                    assigned[slot] = f.staff_id
                    free.remove(f.staff_id)
                else:
                    rest.append(slot)
            for slot in rest:  # same home regency first, else the first free
                reg = inst.partner(slot[0]).regency
                pick = next((s for s in free if inst.staff_member(s).home_regency == reg), free[0] if free else None)
                assigned[slot] = pick
                if pick is not None:
                    free.remove(pick)
        # invitees
        by_regency: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
        for slot in chosen["slots"]:
            by_regency[inst.partner(slot[0]).regency].append(slot)
        seated: dict[tuple[str, dt.date], list[int]] = {}
        for r, slots in by_regency.items():
            pool = inst.pools.get(r)
            idx = sorted(chosen["invited"].get(r, []))
            if pool is None:
                for s in slots:
                    seated[s] = []
                continue
            remaining = list(idx)  # best first (pools are sorted)
            # locked events first (they keep their invitees and fill only the seats left)
            for slot in sorted(slots, key=lambda s: (s not in fixed_by_slot, s[1], s[0])):
                p = inst.partner(slot[0])
                cap = inst.seats(p) - (len(fixed_by_slot[slot].invitees) if slot in fixed_by_slot else 0)
                if cap <= 0:
                    seated[slot] = []
                    continue
                bit = AFFINITY_BITS.get(AFFINITY.get(p.type, ""), 0)
                pick = [i for i in remaining if bit and pool.affinity[i] & bit][:cap] if bit else []
                if len(pick) < cap:
                    chosen_set = set(pick)
                    pick += [i for i in remaining if i not in chosen_set][: cap - len(pick)]
                taken = set(pick)
                remaining = [i for i in remaining if i not in taken]
                seated[slot] = sorted(pick)
        for slot in chosen["slots"]:
            pid, d = slot
            p = inst.partner(pid)
            sid = assigned.get(slot)
            travel = rules.travel_cost if sid and inst.staff_member(sid).province != p.province else 0
            f = fixed_by_slot.get(slot)
            rate = inst.attendance_rate.get(p.regency, inst.default_attendance)
            pool = inst.pools.get(p.regency)
            ids = seated.get(slot, [])
            if pool is not None and ids:
                ix = np.array(ids, dtype=int)
                inv = tuple(pool.business_ids[ix].tolist())
                add = float(pool.value[ix].sum())
                enr = float((pool.p_enroll[ix] * pool.workers[ix]).sum())
            else:
                inv, add, enr = (), 0.0, 0.0
            if f is not None:
                inv, add, enr = f.invitees + inv, f.value + add, f.enrollments + enr
            events.append(PlannedEvent(f.event_id if f else None, d, p.regency, pid, sid, inv, round(len(inv) * rate, 1), enr, add, p.cost, travel, f is not None))
    events.sort(key=lambda e: (e.date, e.regency, e.partner_id))
    return events


# --------------------------------------------------------------------------- checks and explanations
def check_fixed(inst: Instance, lang: str = "id") -> list[str]:
    """Locked events that break a rule on their own (a holiday, the partner's weekday,
    staff leave, ...): named one by one before any solving."""
    out = []
    rules = inst.rules
    for f in inst.fixed:
        if f.partner_id not in inst._partners:
            out.append(_t(lang, "conflict.partner_inactive", event=f.event_id, partner=f.partner_id))
            continue
        p = inst.partner(f.partner_id)
        if not rules.start <= f.date <= rules.end:
            out.append(_t(lang, "conflict.outside", event=f.event_id, date=fmt_date(f.date, lang)))
        elif f.date in inst.blocked:
            out.append(_t(lang, "conflict.blocked", event=f.event_id, date=fmt_date(f.date, lang), reason=inst.blocked[f.date]))
        if f.date.isoweekday() not in p.weekdays:
            out.append(_t(lang, "conflict.weekday", event=f.event_id, partner=p.name, day=WEEKDAY_NAMES[lang][f.date.weekday()]))
        if (f.partner_id, f.date) in {(b.partner_id, b.date) for b in inst.busy}:
            out.append(_t(lang, "conflict.partner_busy", event=f.event_id, partner=p.name, date=fmt_date(f.date, lang)))
        if f.staff_id:
            s = inst._staff.get(f.staff_id)
            if s is None:
                out.append(_t(lang, "conflict.staff_inactive", event=f.event_id, staff=f.staff_id))
                continue
            if f.date in s.leave:
                out.append(_t(lang, "conflict.leave", event=f.event_id, staff=s.name, date=fmt_date(f.date, lang)))
            if s.province != p.province and not rules.allow_travel:
                out.append(_t(lang, "conflict.province", event=f.event_id, staff=s.name, province=inst.province_names.get(p.province, p.province)))
            if any(b.staff_id == f.staff_id and b.date == f.date for b in inst.busy):
                out.append(_t(lang, "conflict.staff_busy", event=f.event_id, staff=s.name, date=fmt_date(f.date, lang)))
    return out


def conflicts_text(inst: Instance, sol: Solution, lang: str = "id") -> list[str]:
    """Why a request could not be planned, in ``lang``."""
    if sol.conflict_source == "precheck":
        return check_fixed(inst, lang)
    if sol.conflict_source == "core":
        return describe_conflict(inst, sol.core or [], lang, budget=sol.core_budget)
    if sol.conflict_source == "timeout":
        return [_t(lang, "solve.no_solution", seconds=fmt_num(inst.rules.time_limit, 0))]
    return list(sol.conflicts)


def describe_conflict(inst: Instance, core: list[tuple], lang: str = "id", budget: int | None = None) -> list[str]:
    """CP-SAT's core of conflicting rules, in words."""
    rules = inst.rules
    out: list[str] = []
    locked = sorted(k[1] for k in core if k[0] == "locked")
    groups: dict[str, list[tuple]] = defaultdict(list)
    for k in core:
        groups[k[0]].append(k)
    for kind, keys in groups.items():
        if kind == "locked":
            continue
        if kind == "budget":
            out.append(_t(lang, "conflict.budget", budget=fmt_rupiah(budget if budget is not None else rules.budget)))
        elif kind == "min_regency":
            names = ", ".join(inst.regency_name(k[1]) for k in keys[:8]) + (" …" if len(keys) > 8 else "")
            out.append(_t(lang, "conflict.min_regency", n=rules.min_events_per_regency, regencies=names))
        elif kind == "staff_week":
            for k in keys[:5]:
                s = inst._staff.get(k[1])
                out.append(_t(lang, "conflict.staff_week", staff=s.name if s else k[1], week=k[2][1], limit=s.per_week if s else 0))
        elif kind == "staff_day":
            for k in keys[:5]:
                s = inst._staff.get(k[1])
                out.append(_t(lang, "conflict.staff_day", staff=s.name if s else k[1], date=fmt_date(k[2], lang)))
        elif kind == "partner_month":
            for k in keys[:5]:
                p = inst._partners.get(k[1])
                out.append(_t(lang, "conflict.partner_month", partner=p.name if p else k[1], month=f"{k[2][1]:02d}/{k[2][0]}", limit=p.per_month if p else 0))
        elif kind == "gap":
            names = ", ".join(inst.regency_name(k[1]) for k in keys[:5])
            out.append(_t(lang, "conflict.gap", days=rules.min_gap_days, regencies=names))
        elif kind == "staff_cover":
            for k in keys[:5]:
                out.append(_t(lang, "conflict.staff_cover", province=inst.province_names.get(k[1], k[1]), date=fmt_date(k[2], lang)))
        elif kind == "seats":
            continue
        else:
            out.append(_t(lang, f"conflict.{kind}", **{"staff": keys[0][1] if len(keys[0]) > 1 else ""}))
    if locked:
        out.append(_t(lang, "conflict.locked", events=", ".join(locked[:10]) + (" …" if len(locked) > 10 else "")))
    return out or [_t(lang, "conflict.unknown")]


def explain_empty(inst: Instance, lang: str = "id") -> list[Finding]:
    """Why no event at all is possible: no working day, no partner, no staff, no budget,
    nobody to invite."""
    out = []
    if not inst.working_days():
        reasons = defaultdict(int)
        for r in inst.blocked.values():
            reasons[r.split(":")[0]] += 1
        out.append(Finding("calendar", _t(lang, "empty.no_days", reasons=", ".join(f"{k} {v}" for k, v in reasons.items()))))
    if not inst.partners:
        out.append(Finding("partners", _t(lang, "empty.no_partners")))
    if not inst.staff:
        out.append(Finding("staff", _t(lang, "empty.no_staff")))
    if inst.partners and inst.rules.budget is not None and inst.rules.budget < min(p.cost for p in inst.partners):
        out.append(Finding("budget", _t(lang, "empty.budget", budget=fmt_rupiah(inst.rules.budget), cheapest=fmt_rupiah(min(p.cost for p in inst.partners)))))
    if not any(len(p.value) for p in inst.pools.values()):
        out.append(Finding("pool", _t(lang, "empty.no_pool")))
    return out


def explain(inst: Instance, sol: Solution, lang: str = "id") -> list[Finding]:
    """Which rules bind the plan (and which leave room), in words: budget used, staff at
    their weekly limit, partners at monthly capacity, regencies at their gap limit,
    regencies whose candidate invitees ran out, days taken by holidays."""
    rules = inst.rules
    out: list[Finding] = []
    events = sol.events
    if not events:
        return explain_empty(inst, lang) or [Finding("none", _t(lang, "explain.none"), False)]
    cost = sum(e.cost for e in events)
    if rules.budget is not None:
        cheapest = min((p.cost for p in inst.partners), default=0)
        binding = rules.budget - cost < cheapest
        out.append(Finding("budget", _t(lang, "explain.budget", used=fmt_pct(cost / rules.budget if rules.budget else 1.0),
                                        spent=fmt_rupiah(cost), budget=fmt_rupiah(rules.budget)), binding))
    # staff weekly limits
    per_sw: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    for e in events:
        if e.staff_id:
            per_sw[(e.staff_id, week_key(e.date))] += 1
    for b in inst.busy:
        if b.staff_id:
            per_sw[(b.staff_id, week_key(b.date))] += 1
    at_limit = [(sid, wk, n) for (sid, wk), n in sorted(per_sw.items()) if sid in inst._staff and n >= inst.staff_member(sid).per_week]
    if at_limit:
        shown = "; ".join(_t(lang, "explain.staff_week_item", staff=inst.staff_member(sid).name, week=wk[1], n=n, limit=inst.staff_member(sid).per_week)
                          for sid, wk, n in at_limit[:6])
        more = len(at_limit) - 6
        out.append(Finding("staff_week", _t(lang, "explain.staff_week", n=len(at_limit), items=shown) + (_t(lang, "explain.more", n=more) if more > 0 else "")))
    else:
        out.append(Finding("staff_week", _t(lang, "explain.staff_room"), False))
    # partner monthly capacity
    per_pm: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    for e in events:
        per_pm[(e.partner_id, month_key(e.date))] += 1
    full = [(pid, mk, n) for (pid, mk), n in sorted(per_pm.items()) if n >= inst.partner(pid).per_month]
    if full:
        shown = "; ".join(f"{inst.partner(pid).name} ({mk[1]:02d}/{mk[0]}: {n}/{inst.partner(pid).per_month})" for pid, mk, n in full[:4])
        out.append(Finding("partner_month", _t(lang, "explain.partner_month", n=len(full), items=shown)))
    # regency gap
    if rules.min_gap_days >= 2:
        per_r: dict[str, list[dt.date]] = defaultdict(list)
        for e in events:
            per_r[e.regency].append(e.date)
        span = len(inst.days)
        tight = [r for r, ds in per_r.items() if len(ds) >= math.ceil(span / rules.min_gap_days) or
                 all((b - a).days < 2 * rules.min_gap_days for a, b in zip(sorted(ds), sorted(ds)[1:])) and len(ds) >= 2]
        if tight:
            names = ", ".join(inst.regency_name(r) for r in tight[:6]) + (" …" if len(tight) > 6 else "")
            out.append(Finding("gap", _t(lang, "explain.gap", days=rules.min_gap_days, n=len(tight), regencies=names)))
    # pools exhausted
    invited = defaultdict(int)
    for e in events:
        invited[e.regency] += len(e.invitees)
    exhausted = [r for r, n in invited.items() if r in inst.pools and n >= len(inst.pools[r].value) and len(inst.pools[r].value)]
    if exhausted:
        names = ", ".join(inst.regency_name(r) for r in exhausted[:6]) + (" …" if len(exhausted) > 6 else "")
        out.append(Finding("pool", _t(lang, "explain.pool", n=len(exhausted), regencies=names)))
    # calendar
    if inst.blocked:
        holidays_n = sum(1 for r in inst.blocked.values() if r.startswith("libur"))
        blackout_n = sum(1 for r in inst.blocked.values() if r.startswith("blackout"))
        out.append(Finding("calendar", _t(lang, "explain.calendar", work=len(inst.working_days()), total=len(inst.days),
                                          holidays=holidays_n, blackout=blackout_n), False))
    unplanned = [p for part in sol.parts if part.get("status") not in ("OPTIMAL", "FEASIBLE") for p in part.get("provinces", [])]
    if unplanned:
        names = ", ".join(inst.province_names.get(p, p) for p in unplanned[:8]) + (" …" if len(unplanned) > 8 else "")
        out.append(Finding("unplanned", _t(lang, "explain.unplanned", n=len(unplanned), provinces=names)))
    for name, (count, workers) in sol.penalties.items():
        if count and workers and name != "cost":
            out.append(Finding(f"penalty_{name}", _t(lang, f"explain.penalty_{name}", n=count, workers=fmt_num(workers, 1)), False))
    return out


def check_plan(inst: Instance, events: list[PlannedEvent], lang: str = "id") -> list[str]:
    """Every hard rule checked on a finished plan; returns the violations in words (none
    for a valid plan). Used after a manager moves events, and by the tests."""
    rules = inst.rules
    out = []
    busy = inst.busy
    seen_business: dict[str, str] = {}
    per_sd = defaultdict(list)
    per_sw = defaultdict(int)
    per_pm = defaultdict(int)
    per_r: dict[str, list[dt.date]] = defaultdict(list)
    for b in busy:
        if b.staff_id:
            per_sd[(b.staff_id, b.date)].append(b.event_id)
            per_sw[(b.staff_id, week_key(b.date))] += 1
        per_pm[(b.partner_id, month_key(b.date))] += 1
        per_r[b.regency].append(b.date)
    spend = 0
    for e in events:
        name = e.event_id or f"{e.partner_id}@{e.date}"
        p = inst._partners.get(e.partner_id)
        if p is None:
            out.append(_t(lang, "conflict.partner_inactive", event=name, partner=e.partner_id))
            continue
        if e.date in inst.blocked:
            out.append(_t(lang, "conflict.blocked", event=name, date=fmt_date(e.date, lang), reason=inst.blocked[e.date]))
        if not rules.start <= e.date <= rules.end:
            out.append(_t(lang, "conflict.outside", event=name, date=fmt_date(e.date, lang)))
        if e.date.isoweekday() not in p.weekdays:
            out.append(_t(lang, "conflict.weekday", event=name, partner=p.name, day=WEEKDAY_NAMES[lang][e.date.weekday()]))
        if e.staff_id is None:
            out.append(_t(lang, "violation.no_staff", event=name))
        else:
            s = inst._staff.get(e.staff_id)
            if s is None:
                out.append(_t(lang, "conflict.staff_inactive", event=name, staff=e.staff_id))
            else:
                if e.date in s.leave:
                    out.append(_t(lang, "conflict.leave", event=name, staff=s.name, date=fmt_date(e.date, lang)))
                if s.province != p.province and not rules.allow_travel:
                    out.append(_t(lang, "conflict.province", event=name, staff=s.name, province=inst.province_names.get(p.province, p.province)))
            per_sd[(e.staff_id, e.date)].append(name)
            per_sw[(e.staff_id, week_key(e.date))] += 1
        per_pm[(e.partner_id, month_key(e.date))] += 1
        per_r[p.regency].append(e.date)
        spend += e.cost
        if len(e.invitees) > inst.seats(p) and not e.locked:
            out.append(_t(lang, "violation.seats", event=name, n=len(e.invitees), seats=inst.seats(p)))
        for b in e.invitees:
            if b in seen_business:
                out.append(_t(lang, "violation.invited_twice", business=b, first=seen_business[b], second=name))
            seen_business[b] = name
    for (sid, d), names in per_sd.items():
        if len(names) > 1:
            s = inst._staff.get(sid)
            out.append(_t(lang, "conflict.staff_day", staff=s.name if s else sid, date=fmt_date(d, lang)) + f" ({', '.join(names)})")
    for (sid, wk), n in per_sw.items():
        s = inst._staff.get(sid)
        if s is not None and n > s.per_week:
            out.append(_t(lang, "violation.staff_week", staff=s.name, week=wk[1], n=n, limit=s.per_week))
    for (pid, mk), n in per_pm.items():
        p = inst._partners.get(pid)
        if p is not None and n > p.per_month:
            out.append(_t(lang, "violation.partner_month", partner=p.name, month=f"{mk[1]:02d}/{mk[0]}", n=n, limit=p.per_month))
    if rules.min_gap_days >= 1:
        for r, ds in per_r.items():
            ds = sorted(ds)
            for a, b in zip(ds, ds[1:]):
                if (b - a).days < rules.min_gap_days:
                    out.append(_t(lang, "violation.gap", regency=inst.regency_name(r), a=fmt_date(a, lang), b=fmt_date(b, lang), days=rules.min_gap_days))
    if rules.budget is not None and spend > rules.budget:
        out.append(_t(lang, "violation.budget", spent=fmt_rupiah(spend), budget=fmt_rupiah(rules.budget)))
    return out


# --------------------------------------------------------------------------- text
_TEXT = {
    "conflict.unknown": {"id": "Permintaan tidak dapat dipenuhi, tetapi aturan penyebabnya tidak dapat dipastikan dalam batas waktu; longgarkan anggaran atau buka kunci acara.",
                         "en": "The request cannot be met, but the rules causing it could not be pinned down in time; loosen the budget or unlock events."},
    "conflict.budget": {"id": "Anggaran {budget} tidak cukup", "en": "The budget of {budget} is not enough"},
    "conflict.min_regency": {"id": "Minimal {n} acara di setiap kabupaten/kota yang punya mitra ({regencies})",
                             "en": "At least {n} events in every regency with a partner ({regencies})"},
    "conflict.staff_week": {"id": "Staf {staff} paling banyak {limit} acara di minggu {week}", "en": "Staff {staff} has at most {limit} events in week {week}"},
    "conflict.staff_day": {"id": "Staf {staff} hanya bisa satu acara pada {date}", "en": "Staff {staff} can lead only one event on {date}"},
    "conflict.partner_month": {"id": "Mitra {partner} paling banyak {limit} acara di bulan {month}", "en": "Partner {partner} hosts at most {limit} events in {month}"},
    "conflict.gap": {"id": "Jarak minimal {days} hari antaracara di satu kabupaten/kota ({regencies})", "en": "At least {days} days between events in one regency ({regencies})"},
    "conflict.staff_cover": {"id": "Tidak ada cukup staf {province} yang bebas pada {date}", "en": "Not enough free staff in {province} on {date}"},
    "conflict.locked": {"id": "Acara terkunci: {events}", "en": "Locked events: {events}"},
    "conflict.own_province": {"id": "Staf hanya bekerja di provinsinya sendiri (izinkan perjalanan untuk melonggarkan)", "en": "Staff work only in their own province (allow travel to loosen this)"},
    "conflict.leave": {"id": "Acara {event}: staf {staff} cuti pada {date}", "en": "Event {event}: staff {staff} is on leave on {date}"},
    "conflict.outside": {"id": "Acara {event} pada {date} di luar rentang rencana", "en": "Event {event} on {date} is outside the plan's dates"},
    "conflict.blocked": {"id": "Acara {event} pada {date}: hari itu tidak boleh ({reason})", "en": "Event {event} on {date}: no events that day ({reason})"},
    "conflict.weekday": {"id": "Acara {event}: mitra {partner} tidak tersedia hari {day}", "en": "Event {event}: partner {partner} is not available on {day}"},
    "conflict.partner_busy": {"id": "Acara {event}: mitra {partner} sudah punya acara rencana lain pada {date}", "en": "Event {event}: partner {partner} already has an event of another plan on {date}"},
    "conflict.staff_busy": {"id": "Acara {event}: staf {staff} sudah bertugas di rencana lain pada {date}", "en": "Event {event}: staff {staff} already works for another plan on {date}"},
    "conflict.partner_inactive": {"id": "Acara {event}: mitra {partner} tidak aktif atau di luar provinsi rencana", "en": "Event {event}: partner {partner} is inactive or outside the plan's provinces"},
    "conflict.staff_inactive": {"id": "Acara {event}: staf {staff} tidak aktif atau di luar provinsi rencana", "en": "Event {event}: staff {staff} is inactive or outside the plan's provinces"},
    "conflict.province": {"id": "Acara {event}: staf {staff} bukan staf {province} (izinkan perjalanan atau ganti staf)", "en": "Event {event}: staff {staff} does not work in {province} (allow travel or change staff)"},
    "solve.no_solution": {"id": "Belum ada jadwal yang ditemukan dalam {seconds} detik; tambah batas waktu atau persempit rencana.", "en": "No schedule found within {seconds} seconds; raise the time limit or narrow the plan."},
    "violation.no_staff": {"id": "Acara {event} tanpa staf", "en": "Event {event} has no staff"},
    "violation.seats": {"id": "Acara {event}: {n} undangan melebihi {seats} kursi", "en": "Event {event}: {n} invitations exceed {seats} seats"},
    "violation.invited_twice": {"id": "Usaha {business} diundang dua kali ({first}, {second})", "en": "Business {business} is invited twice ({first}, {second})"},
    "violation.staff_week": {"id": "Staf {staff}: {n} acara di minggu {week}, batasnya {limit}", "en": "Staff {staff}: {n} events in week {week}, the limit is {limit}"},
    "violation.partner_month": {"id": "Mitra {partner}: {n} acara di bulan {month}, kapasitasnya {limit}", "en": "Partner {partner}: {n} events in {month}, capacity {limit}"},
    "violation.gap": {"id": "{regency}: acara {a} dan {b} berjarak kurang dari {days} hari", "en": "{regency}: events on {a} and {b} are less than {days} days apart"},
    "violation.budget": {"id": "Biaya {spent} melebihi anggaran {budget}", "en": "Cost {spent} exceeds the budget of {budget}"},
    "empty.no_days": {"id": "Tidak ada hari kerja dalam rentang ini ({reasons}).", "en": "No working day in this range ({reasons})."},
    "empty.no_partners": {"id": "Tidak ada mitra aktif di provinsi rencana; tambahkan mitra di halaman Mitra & Staf.", "en": "No active partner in the plan's provinces; add partners on the Partners & Staff page."},
    "empty.no_staff": {"id": "Tidak ada staf aktif di provinsi rencana; tambahkan staf di halaman Mitra & Staf.", "en": "No active staff in the plan's provinces; add staff on the Partners & Staff page."},
    "empty.budget": {"id": "Anggaran {budget} di bawah biaya acara termurah ({cheapest}).", "en": "The budget of {budget} is below the cheapest event ({cheapest})."},
    "empty.no_pool": {"id": "Belum ada usaha bernilai untuk diundang: latih model dan nilai usaha di halaman Sasaran.", "en": "No business worth inviting yet: train the model and score businesses on the Targets page."},
    "explain.none": {"id": "Tidak ada acara yang menambah pendaftaran dengan aturan ini.", "en": "No event adds enrolments under these rules."},
    "explain.budget": {"id": "Anggaran terpakai {used} ({spent} dari {budget})", "en": "Budget used {used} ({spent} of {budget})"},
    "explain.staff_week_item": {"id": "{staff} minggu {week}: {n} dari {limit}", "en": "{staff} week {week}: {n} of {limit}"},
    "explain.staff_week": {"id": "{n} minggu-staf penuh — {items}", "en": "Staff-weeks at their limit: {n} — {items}"},
    "explain.more": {"id": " … dan {n} lagi", "en": " … and {n} more"},
    "explain.staff_room": {"id": "Tidak ada staf yang mencapai batas mingguannya", "en": "No staff member reaches their weekly limit"},
    "explain.partner_month": {"id": "{n} kali mitra mencapai kapasitas bulanannya — {items}", "en": "Partners reach their monthly capacity {n} times — {items}"},
    "explain.gap": {"id": "Jarak minimal {days} hari membatasi {n} kabupaten/kota: {regencies}", "en": "The {days}-day minimum gap limits {n} regencies: {regencies}"},
    "explain.pool": {"id": "Semua calon undangan bernilai sudah diundang di {n} kabupaten/kota: {regencies}", "en": "Every worthwhile invitee is already invited in {n} regencies: {regencies}"},
    "explain.calendar": {"id": "{work} dari {total} hari bisa dipakai ({holidays} hari libur/cuti bersama, {blackout} hari blackout Ramadan/Idul Fitri)",
                         "en": "{work} of {total} days can be used ({holidays} holidays/joint leave days, {blackout} Ramadan/Idul Fitri blackout days)"},
    "explain.unplanned": {"id": "{n} provinsi belum terjadwal dalam batas waktu ({provinces}); tambah batas waktu lalu susun ulang",
                          "en": "{n} provinces were not planned within the time limit ({provinces}); raise the time limit and solve again"},
    "explain.penalty_friday": {"id": "Penalti Jumat: {n} acara (−{workers} pekerja)", "en": "Friday penalty: {n} events (−{workers} workers)"},
    "explain.penalty_weekend": {"id": "Penalti akhir pekan: {n} acara (−{workers} pekerja)", "en": "Weekend penalty: {n} events (−{workers} workers)"},
    "explain.penalty_workload": {"id": "Penalti beban staf: staf tersibuk {n} acara (−{workers} pekerja)", "en": "Workload penalty: the busiest staff member has {n} events (−{workers} workers)"},
}


def _t(lang: str, key: str, **params: object) -> str:
    entry = _TEXT.get(key)
    if entry is None:
        return key
    return entry.get(lang, entry["id"]).format(**params)


def with_rules(inst: Instance, **changes) -> Instance:
    """The same instance under changed rules (used for what-if comparisons and tests)."""
    rules = replace(inst.rules, **changes)
    new = Instance(rules, inst.partners, inst.staff, inst.pools, blocked_days(rules) if {"start", "end", "allow_weekends", "ramadan_blackout"} & set(changes) else inst.blocked,
                   inst.fixed, inst.busy, inst.forbidden, inst.attendance_rate, inst.default_attendance, inst.regency_names, inst.province_names, inst.uplift_model)
    return new


__all__ = [
    "Rules", "Partner", "Staff", "Pool", "FixedEvent", "Busy", "Instance", "PlannedEvent", "Solution", "Finding",
    "solve", "check_plan", "check_fixed", "explain", "blocked_days", "holiday_calendar", "ramadan_blackout",
    "fmt_int",
]
