"""What a plan gives people: the week grid, WhatsApp invitation texts and links, and
calendar (ICS) files."""

from __future__ import annotations

import datetime as dt
import pandas as pd
import sqlite_utils
import urllib.parse

from planner import scheduling as sch
from planner.i18n import fmt_date, fmt_int, fmt_num, fmt_rupiah, t
from planner.plans.storage import event_invitations, get_plan, plan_events, plan_events_one


def week_grid(events: pd.DataFrame, monday: dt.date, lang: str = "id", weekends: bool = True) -> pd.DataFrame:
    """A week as a table: one row per regency, one column per day (Saturday and Sunday
    only when weekends are allowed), each cell the events of that day: partner (short),
    staff member's first name, expected additional workers; 🔒 for a locked event."""
    days = [monday + dt.timedelta(days=i) for i in range(7 if weekends else 5)]
    cols = [f"{sch.WEEKDAY_NAMES[lang][d.weekday()][:3]} {d.day:02d}/{d.month:02d}" for d in days]
    if events.empty:
        return pd.DataFrame(columns=["regency", *cols])
    wk = events[(events["date"] >= days[0].isoformat()) & (events["date"] <= (monday + dt.timedelta(days=6)).isoformat())]

    def short(text: str, n: int = 40) -> str:
        text = str(text or "–")
        return text if len(text) <= n else text[: n - 1].rstrip() + "…"

    rows = []
    for (reg_name, _code), g in wk.groupby(["regency", "regency_code"], sort=True):
        row = {"regency": reg_name.replace("Kabupaten ", "Kab. ")}
        for d, c in zip(days, cols):
            cell = g[g["date"] == d.isoformat()]
            row[c] = "\n".join(
                f"{'🔒 ' if r.locked else ''}{short(r.partner)} · {str(r.staff or '–').split()[0]} · +{fmt_num(r.expected_additional, 1)}"
                for r in cell.itertuples()
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=["regency", *cols])


# --------------------------------------------------------------------------- invitations by WhatsApp
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def programme_phrase(size_class: str, workers: int, lang: str = "id") -> str:
    """What the business would join (Perpres 109/2013 phasing; BPU for one-person firms)."""
    from planner.vocabulary import mandatory_programmes, segment_of

    if segment_of(workers) == "BPU":
        return t("wa.programmes_bpu", lang)
    names = list(mandatory_programmes(size_class, workers))
    listed = ", ".join(names[:-1]) + t("wa.and", lang) + names[-1]
    return t("wa.programmes_pu", lang, programmes=listed)


def whatsapp_text(*, owner: str | None, business: str, partner: str, regency: str, date: dt.date, staff: str | None,
                  size_class: str, workers: int, lang: str = "id", start_time: str | None = None, zone: str | None = None,
                  address: str | None = None, staff_phone: str | None = None) -> str:
    """A ready-to-send invitation (the catalogue's ``wa.invitation``): day, date and start
    time with its zone, the place with its address, what the business would join, and
    whom to answer, with the staff member's phone."""
    day = sch.WEEKDAY_NAMES[lang][date.weekday()]
    when = f"{day}, {fmt_date(date, lang)}"
    if start_time:
        when += " " + t("wa.at_time", lang, time=start_time, zone=zone or "WIB")
    place = ", ".join(x for x in (partner, (address or "").strip(), regency) if x)
    contact = staff or "BPJS Ketenagakerjaan"
    if staff_phone:
        contact += f" ({staff_phone})"
    return t("wa.invitation", lang, who=owner or business, business=business, partner=partner, when=when, place=place,
             programmes=programme_phrase(size_class, workers, lang), contact=contact)


def whatsapp_link(phone: str | None, text: str) -> str | None:
    """``https://wa.me/62…?text=…`` for an Indonesian mobile number (08… or 62…), else None."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.startswith("62") or not 10 <= len(digits) <= 15:
        return None
    return f"https://wa.me/{digits}?text={urllib.parse.quote(text)}"


def invitation_messages(db: sqlite_utils.Database, event_id: str, lang: str = "id") -> pd.DataFrame:
    """Every invitee of an event with its WhatsApp text and link."""
    ev = plan_events_one(db, event_id)
    inv = event_invitations(db, event_id, lang)
    if inv.empty:
        return inv.assign(message=[], link=[])
    d = dt.date.fromisoformat(ev["date"])
    texts = [whatsapp_text(owner=r.owner_name, business=r.name, partner=ev["partner"], regency=ev["regency"], date=d, staff=ev["staff"],
                           size_class=r.size_class, workers=r.workers, lang=lang, start_time=ev["start_time"], zone=ev["timezone"],
                           address=ev["address"], staff_phone=ev["staff_phone"]) for r in inv.itertuples()]
    return inv.assign(message=texts, link=[whatsapp_link(p, t) for p, t in zip(inv["phone"], texts)])


# --------------------------------------------------------------------------- calendar files
def events_ics(events: pd.DataFrame, calendar_name: str, lang: str = "id") -> bytes:
    """An iCalendar file of events (rows as ``plan_events`` gives them): each at its start
    time in its province's zone (WIB, WITA, WIT), for its duration, with the partner's
    address as the place and what to expect in the description."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Jangkau//BPJS Ketenagakerjaan sosialisasi//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", calendar_name)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for r in events.itertuples():
        zone = ZoneInfo(ZONES.get(r.timezone or "WIB", "Asia/Jakarta"))
        hh, mm = (int(x) for x in str(r.start_time or "09:00").split(":"))
        begin = dt.datetime.combine(dt.date.fromisoformat(r.date), dt.time(hh, mm), tzinfo=zone)
        ev = Event()
        ev.add("uid", f"{r.event_id}@jangkau")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", begin)
        ev.add("dtend", begin + dt.timedelta(minutes=int(r.duration_minutes or 120)))
        ev.add("summary", t("ics.summary", lang, partner=r.partner))
        ev.add("location", ", ".join(x for x in (r.partner, r.address or "", r.regency, r.province) if x))
        ev.add("description", t("ics.description", lang, event=r.event_id, invitees=fmt_int(r.invitees),
                                attendance=fmt_num(r.expected_attendance, 0), additional=fmt_num(r.expected_additional, 1),
                                contact=", ".join(x for x in (r.contact_name or "", r.contact_phone or "") if x) or "–",
                                cost=fmt_rupiah(r.cost)))
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def staff_ics(db: sqlite_utils.Database, plan_id: int, staff_id: str, lang: str = "id") -> bytes:
    """One staff member's events in the plan as an iCalendar file."""
    plan = get_plan(db, plan_id)
    return events_ics(plan_events(db, plan_id, staff_id=staff_id), f"Jangkau – {plan.name}", lang)
