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
def holiday_calendar(start: dt.date, end: dt.date, lang: str = DEFAULT_LANG) -> dict[dt.date, str]:
    """National holidays and cuti bersama between ``start`` and ``end``, with their names
    in ``lang`` (``holidays`` package, categories ``public`` and ``government``)."""
    import holidays

    years = list(range(start.year, end.year + 1))
    cal = holidays.country_holidays("ID", years=years, categories=("public", "government"), language="en_US" if lang == "en" else "id")
    return {d: name for d, name in sorted(cal.items()) if start <= d <= end}


def ramadan_blackout(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """Ramadan (derived from Idul Fitri: the ``holidays`` package has no Ramadan entry)
    and the week after Idul Fitri: date -> ``"ramadan"`` or ``"idul_fitri"``."""
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
                out[d] = "ramadan" if d < f else "idul_fitri"
            d += dt.timedelta(days=1)
    return out


# Why a day is blocked: ``blocked_days`` keeps these codes (the planner's data is the same
# in every language); ``blocked_reason`` says them in the reader's language.
BLOCKED_KINDS = ("holiday", "weekend", "ramadan", "idul_fitri")


def blocked_days(rules: Rules) -> dict[dt.date, str]:
    """Every day of the horizon on which no event may be held, with the reason's code (one
    of ``BLOCKED_KINDS``; a holiday outranks a weekend, both outrank the blackout)."""
    out: dict[dt.date, str] = {}
    if rules.ramadan_blackout:
        out.update(ramadan_blackout(rules.start, rules.end))
    if not rules.allow_weekends:
        d = rules.start
        while d <= rules.end:
            if d.isoweekday() >= 6:
                out[d] = "weekend"
            d += dt.timedelta(days=1)
    out.update({d: "holiday" for d in holiday_calendar(rules.start, rules.end)})
    return out


def blocked_reason(day: dt.date, code: str, lang: str = DEFAULT_LANG) -> str:
    """Why no event may be held on ``day``, in words: "libur: Hari Raya Natal",
    "akhir pekan", "Ramadan (tanpa acara)" …"""
    if code == "holiday":
        name = holiday_calendar(day, day, lang).get(day, "")
        return t("sched.blocked.holiday", lang, name=name) if name else t("sched.blocked_kind.holiday", lang)
    return t(f"sched.blocked.{code}", lang)


def blocked_counts(blocked: dict[dt.date, str], lang: str = DEFAULT_LANG) -> str:
    """"libur 2, akhir pekan 2": how many days each reason blocks, in ``lang``."""
    counts = {kind: sum(1 for c in blocked.values() if c == kind) for kind in BLOCKED_KINDS}
    return ", ".join(f"{t(f'sched.blocked_kind.{kind}', lang)} {n}" for kind, n in counts.items() if n)


def week_key(d: dt.date) -> tuple[int, int]:
    iso = d.isocalendar()
    return (iso[0], iso[1])


def month_key(d: dt.date) -> tuple[int, int]:
    return (d.year, d.month)
