"""Every hard rule checked without a solver: locked events before a solve
(``check_fixed``) and a finished or hand-edited plan (``check_plan``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from planner.i18n import fmt_date, fmt_rupiah, t
from planner.scheduling.instance import Instance, PlannedEvent
from planner.scheduling.rules import WEEKDAY_NAMES, blocked_reason, month_key, week_key

def check_fixed(inst: Instance, lang: str = "id") -> list[str]:
    """Locked events that break a rule on their own (a holiday, the partner's weekday,
    staff leave, ...): named one by one before any solving."""
    out = []
    rules = inst.rules
    for f in inst.fixed:
        if f.partner_id not in inst._partners:
            out.append(t("sched.conflict.partner_inactive", lang, event=f.event_id, partner=f.partner_id))
            continue
        p = inst.partner(f.partner_id)
        if not rules.start <= f.date <= rules.end:
            out.append(t("sched.conflict.outside", lang, event=f.event_id, date=fmt_date(f.date, lang)))
        elif f.date in inst.blocked:
            out.append(t("sched.conflict.blocked", lang, event=f.event_id, date=fmt_date(f.date, lang), reason=blocked_reason(f.date, inst.blocked[f.date], lang)))
        if f.date.isoweekday() not in p.weekdays:
            out.append(t("sched.conflict.weekday", lang, event=f.event_id, partner=p.name, day=WEEKDAY_NAMES[lang][f.date.weekday()]))
        if (f.partner_id, f.date) in {(b.partner_id, b.date) for b in inst.busy}:
            out.append(t("sched.conflict.partner_busy", lang, event=f.event_id, partner=p.name, date=fmt_date(f.date, lang)))
        if f.staff_id:
            s = inst._staff.get(f.staff_id)
            if s is None:
                out.append(t("sched.conflict.staff_inactive", lang, event=f.event_id, staff=f.staff_id))
                continue
            if f.date in s.leave:
                out.append(t("sched.conflict.leave", lang, event=f.event_id, staff=s.name, date=fmt_date(f.date, lang)))
            if s.province != p.province and not rules.allow_travel:
                out.append(t("sched.conflict.province", lang, event=f.event_id, staff=s.name, province=inst.province_names.get(p.province, p.province)))
            if any(b.staff_id == f.staff_id and b.date == f.date for b in inst.busy):
                out.append(t("sched.conflict.staff_busy", lang, event=f.event_id, staff=s.name, date=fmt_date(f.date, lang)))
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
            out.append(t("sched.conflict.partner_inactive", lang, event=name, partner=e.partner_id))
            continue
        if e.date in inst.blocked:
            out.append(t("sched.conflict.blocked", lang, event=name, date=fmt_date(e.date, lang), reason=blocked_reason(e.date, inst.blocked[e.date], lang)))
        if not rules.start <= e.date <= rules.end:
            out.append(t("sched.conflict.outside", lang, event=name, date=fmt_date(e.date, lang)))
        if e.date.isoweekday() not in p.weekdays:
            out.append(t("sched.conflict.weekday", lang, event=name, partner=p.name, day=WEEKDAY_NAMES[lang][e.date.weekday()]))
        if e.staff_id is None:
            out.append(t("sched.violation.no_staff", lang, event=name))
        else:
            s = inst._staff.get(e.staff_id)
            if s is None:
                out.append(t("sched.conflict.staff_inactive", lang, event=name, staff=e.staff_id))
            else:
                if e.date in s.leave:
                    out.append(t("sched.conflict.leave", lang, event=name, staff=s.name, date=fmt_date(e.date, lang)))
                if s.province != p.province and not rules.allow_travel:
                    out.append(t("sched.conflict.province", lang, event=name, staff=s.name, province=inst.province_names.get(p.province, p.province)))
            per_sd[(e.staff_id, e.date)].append(name)
            per_sw[(e.staff_id, week_key(e.date))] += 1
        per_pm[(e.partner_id, month_key(e.date))] += 1
        per_r[p.regency].append(e.date)
        spend += e.cost
        if len(e.invitees) > inst.seats(p) and not e.locked:
            out.append(t("sched.violation.seats", lang, event=name, n=len(e.invitees), seats=inst.seats(p)))
        for b in e.invitees:
            if b in seen_business:
                out.append(t("sched.violation.invited_twice", lang, business=b, first=seen_business[b], second=name))
            seen_business[b] = name
    for (sid, d), names in per_sd.items():
        if len(names) > 1:
            s = inst._staff.get(sid)
            out.append(t("sched.conflict.staff_day", lang, staff=s.name if s else sid, date=fmt_date(d, lang)) + f" ({', '.join(names)})")
    for (sid, wk), n in per_sw.items():
        s = inst._staff.get(sid)
        if s is not None and n > s.per_week:
            out.append(t("sched.violation.staff_week", lang, staff=s.name, week=wk[1], n=n, limit=s.per_week))
    for (pid, mk), n in per_pm.items():
        p = inst._partners.get(pid)
        if p is not None and n > p.per_month:
            out.append(t("sched.violation.partner_month", lang, partner=p.name, month=f"{mk[1]:02d}/{mk[0]}", n=n, limit=p.per_month))
    if rules.min_gap_days >= 1:
        for r, ds in per_r.items():
            ds = sorted(ds)
            for a, b in zip(ds, ds[1:]):
                if (b - a).days < rules.min_gap_days:
                    out.append(t("sched.violation.gap", lang, regency=inst.regency_name(r), a=fmt_date(a, lang), b=fmt_date(b, lang), days=rules.min_gap_days))
    if rules.budget is not None and spend > rules.budget:
        out.append(t("sched.violation.budget", lang, spent=fmt_rupiah(spend), budget=fmt_rupiah(rules.budget)))
    return out
