"""What a manager asks of a plan (``Rules``) and the calendar it runs on: national
holidays and cuti bersama, the Ramadan/Idul Fitri blackout, weekends, the days on which
no event may be held, weekday names and the week/month keys the limits count by."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t

WEEKDAY_NAMES = {
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MAX_HORIZON_DAYS = 366
RAMADAN_DAYS = 30  # Ramadan ends the day before Idul Fitri; 1 Ramadan is 29-30 days before it
AFTER_LEBARAN_DAYS = 7  # the week of cuti bersama and halalbihalal after Idul Fitri


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

    def validate(self, lang: str = DEFAULT_LANG) -> None:
        """Bad requests are refused with the fix, before any work."""
        if self.end < self.start:
            raise PlannerError(t("sched.rules.end_before_start", lang, end=self.end, start=self.start))
        if (self.end - self.start).days + 1 > MAX_HORIZON_DAYS:
            raise PlannerError(t("sched.rules.too_long", lang, days=(self.end - self.start).days + 1, max=MAX_HORIZON_DAYS))
        if self.budget is not None and self.budget < 0:
            raise PlannerError(t("sched.rules.budget_negative", lang, budget=self.budget))
        if not 0 <= self.min_gap_days <= 60:
            raise PlannerError(t("sched.rules.gap_range", lang, days=self.min_gap_days))
        if self.time_limit <= 0 or self.time_limit > 3600:
            raise PlannerError(t("sched.rules.time_limit_range", lang, seconds=self.time_limit))
        if self.max_invitees is not None and self.max_invitees < 1:
            raise PlannerError(t("sched.rules.max_invitees", lang, value=self.max_invitees))
        if self.min_events_per_regency < 0:
            raise PlannerError(t("sched.rules.min_regency_negative", lang, value=self.min_events_per_regency))
        if not 0 <= int(self.extra_staff) <= 20:
            raise PlannerError(t("sched.rules.extra_staff_range", lang, value=self.extra_staff))
        if self.travel_cost < 0:
            raise PlannerError(t("sched.rules.travel_negative", lang, value=self.travel_cost))
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", str(self.start_time)):
            raise PlannerError(t("sched.rules.start_time", lang, value=self.start_time))
        if not 15 <= int(self.duration_minutes) <= 12 * 60:
            raise PlannerError(t("sched.rules.duration_range", lang, value=self.duration_minutes))
        for name in ("penalty_friday", "penalty_weekend", "penalty_workload"):
            if getattr(self, name) < 0:
                raise PlannerError(t("sched.rules.penalty_negative", lang, name=name, value=getattr(self, name)))

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
