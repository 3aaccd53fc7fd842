"""Mitra & staf: partners and staff with their availability. List -> form -> planner.resources."""

from __future__ import annotations


import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import reads, resources
from planner.errors import PlannerError
from planner.i18n import fmt_date, fmt_int, fmt_rupiah
from planner.imports import ImportFailed
from planner.vocabulary import PARTNER_TYPES, parse_weekdays
from planner.scheduling import WEEKDAY_NAMES

user = common.require_role("mitra")
lang = common.lang()
can_edit_partners = user.role in ("admin", "manager", "staff")
can_edit_staff = user.role in ("admin", "manager")
db = common.get_db()
common.demo_banner(db, user)
st.title(tr("mitra.title"))
st.caption(tr("mitra.intro"))

provinces = common.province_names(db)
province_options = list(user.provinces) if user.role == "staff" else list(provinces)


# The import columns behind each form field: a rejected form names the field as the form
# labels it ("Kode mitra"), not by its column in an import file ("partner_id").
FIELD_LABELS = {
    "partner_id": "mitra.partner_id", "staff_id": "mitra.staff_id", "name": "col.name", "type": "mitra.type",
    "regency_code": "col.regency", "capacity_per_month": "mitra.per_month", "venue_capacity": "mitra.seats",
    "cost_per_event": "mitra.cost", "available_weekdays": "mitra.weekdays", "home_regency": "mitra.home",
    "max_events_per_week": "mitra.per_week", "active": "mitra.active",
}


def field_label(column: str | None) -> str:
    return tr(FIELD_LABELS[column]) if column in FIELD_LABELS else (column or "")


def in_form_words(text: str) -> str:
    for column, key in FIELD_LABELS.items():
        text = text.replace(f"'{column}'", f"'{tr(key)}'")
    return text


def show_errors(exc: Exception) -> None:
    """A rejected form: every problem with its field, value and fix."""
    if isinstance(exc, ImportFailed):
        st.error(tr("mitra.rejected"), icon=":material/error:")
        st.dataframe(
            pd.DataFrame([{tr("err.column"): field_label(i.column), tr("err.value"): i.value, tr("err.problem"): in_form_words(i.problem),
                           tr("err.fix"): in_form_words(i.fix)} for i in exc.issues]),
            hide_index=True, width="stretch", key=f"mitra_errors_{id(exc)}",
        )
    else:
        st.error(common.plain(exc))


def save(write, values: dict, flash: str, ident: str) -> None:
    """Save a form through ``write`` (resources.save_partner / save_staff): on success
    remember the message for after the rerun, which shows the saved row in the table."""
    try:
        outcome = write(db, user, values, lang=lang)
    except (PlannerError, ImportFailed) as exc:
        show_errors(exc)
    else:
        st.session_state[flash] = tr(f"mitra.{outcome}", id=ident)
        st.rerun()


def show_saved(flash: str) -> None:
    if flash in st.session_state:
        st.success(common.plain(st.session_state.pop(flash)), icon=":material/check_circle:")


def weekdays_text(value: str) -> str:
    """'1;2;3;4;5' -> 'Sen–Jum', '1;3;5' -> 'Sen, Rab, Jum': runs of days written as a
    range, so the column stays narrow enough for the table to fit the screen."""
    days = sorted(parse_weekdays(value))
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    name = lambda d: WEEKDAY_NAMES[lang][d - 1][:3]  # noqa: E731
    return ", ".join(f"{name(r[0])}–{name(r[-1])}" if len(r) > 2 else ", ".join(name(d) for d in r) for r in runs) or "–"


tab_p, tab_s, tab_l = st.tabs([tr("mitra.tab_partners"), tr("mitra.tab_staff"), tr("mitra.tab_leave")])

# ---------------------------------------------------------------- partners
with tab_p:
    f1, f2, f3 = st.columns(3)
    prov = f1.selectbox(tr("peluang.province_filter"), province_options, index=province_options.index("16") if "16" in province_options else 0,
                        format_func=lambda c: f"{c} · {provinces[c]}", key="mitra_province")
    ptype = f2.selectbox(tr("mitra.type"), [None, *PARTNER_TYPES], format_func=lambda v: tr("sasaran.any") if v is None else tr(f"ptype.{v}"), key="mitra_type")
    active = f3.radio(tr("mitra.status"), [True, False, None], format_func=lambda v: tr({True: "mitra.active", False: "mitra.inactive", None: "sasaran.any"}[v]),
                      horizontal=True, key="mitra_active")
    partners = resources.list_partners(db, user, province=prov, active=active, ptype=ptype)
    st.caption(tr("mitra.count", n=fmt_int(len(partners))))
    if not partners.empty:
        view = pd.DataFrame({
            tr("mitra.partner_id"): partners["partner_id"], tr("col.name"): partners["name"],
            tr("mitra.type"): partners["type"].map(lambda v: tr(f"ptype.{v}")), tr("col.regency"): partners["regency"].map(common.short_regency),
            tr("mitra.per_month"): partners["capacity_per_month"], tr("mitra.seats"): partners["venue_capacity"],
            tr("mitra.cost"): partners["cost_per_event"], tr("mitra.weekdays"): partners["available_weekdays"].map(weekdays_text),
            **({tr("mitra.status"): partners["active"].map({1: "✓", 0: "–"})} if active is None else {}),  # the filter says it otherwise
        })
        # A partner picked in the table opens in the form below.
        picked_rows = st.session_state.get("mitra_partners", {}).get("selection", {}).get("rows", [])
        if can_edit_partners and picked_rows and picked_rows != st.session_state.get("mitra_partners_applied") and picked_rows[0] < len(partners):
            st.session_state["mitra_pick"] = partners["partner_id"].iloc[picked_rows[0]]
        st.session_state["mitra_partners_applied"] = picked_rows
        st.dataframe(common.styled(view, ints=[tr("mitra.per_month"), tr("mitra.seats"), tr("mitra.cost")]), hide_index=True, width="stretch",
                     height=360, key="mitra_partners", on_select="rerun" if can_edit_partners else "ignore", selection_mode="single-row",
                     column_config={tr("mitra.partner_id"): st.column_config.TextColumn(width=75),
                                    tr("col.name"): st.column_config.TextColumn(width=205),
                                    tr("mitra.type"): st.column_config.TextColumn(width=140),
                                    tr("col.regency"): st.column_config.TextColumn(width=150),
                                    tr("mitra.per_month"): st.column_config.NumberColumn(width=92),
                                    tr("mitra.seats"): st.column_config.NumberColumn(width=55),
                                    tr("mitra.cost"): st.column_config.NumberColumn(width=105),
                                    tr("mitra.weekdays"): st.column_config.TextColumn(width=90),
                                    tr("mitra.status"): st.column_config.TextColumn(width=55)})
    if can_edit_partners:
        st.subheader(tr("mitra.edit_partner"))
        all_here = resources.list_partners(db, user, province=prov)
        choices = [None, *all_here["partner_id"]]
        names = dict(zip(all_here["partner_id"], all_here["name"]))
        pick = st.selectbox(tr("mitra.pick_partner"), choices, format_func=lambda v: tr("mitra.new_partner") if v is None else f"{v} · {names[v]}", key="mitra_pick")
        cur = all_here.set_index("partner_id").loc[pick].to_dict() if pick else {}
        regs = common.cached(db, reads.regency_names, prov)
        k = pick or "new"
        with st.form(f"mitra_partner_form_{k}"):
            c1, c2 = st.columns(2)
            pid = c1.text_input(tr("mitra.partner_id"), value=pick or "", disabled=bool(pick), key=f"mitra_pid_{k}", help=tr("mitra.partner_id_help"))
            name = c2.text_input(tr("col.name"), value=cur.get("name", ""), key=f"mitra_name_{k}")
            c3, c4 = st.columns(2)
            t_index = PARTNER_TYPES.index(cur["type"]) if cur.get("type") in PARTNER_TYPES else 0
            new_type = c3.selectbox(tr("mitra.type"), PARTNER_TYPES, index=t_index, format_func=lambda v: tr(f"ptype.{v}"), key=f"mitra_ptype_{k}")
            reg_codes = list(regs)
            regency = c4.selectbox(tr("col.regency"), reg_codes, index=reg_codes.index(cur["regency_code"]) if cur.get("regency_code") in reg_codes else 0,
                                   format_func=lambda c: f"{c} · {regs[c]}", key=f"mitra_regency_{k}")
            c5, c6, c7 = st.columns(3)
            per_month = c5.number_input(tr("mitra.per_month"), 0, 1000, int(cur.get("capacity_per_month", 4)), key=f"mitra_per_month_{k}")
            seats = c6.number_input(tr("mitra.seats"), 0, 100_000, int(cur.get("venue_capacity", 50)), key=f"mitra_seats_{k}")
            cost = c7.number_input(tr("mitra.cost"), 0, 10_000_000_000, int(cur.get("cost_per_event", 2_500_000)), step=100_000, key=f"mitra_cost_{k}",
                                   help=fmt_rupiah(int(cur.get("cost_per_event", 2_500_000))))
            current_days = sorted(parse_weekdays(cur.get("available_weekdays", "1;2;3;4;5")))
            days = st.multiselect(tr("mitra.weekdays"), list(range(1, 8)), default=current_days, format_func=lambda d: WEEKDAY_NAMES[lang][d - 1],
                                  key=f"mitra_days_{k}", select_all=False)
            is_active = st.checkbox(tr("mitra.active"), value=bool(cur.get("active", 1)), key=f"mitra_is_active_{k}", help=tr("mitra.active_help"))
            if st.form_submit_button(tr("mitra.save"), type="primary", icon=":material/save:"):
                save(resources.save_partner, {
                    "partner_id": pick or pid.strip(), "name": name, "type": new_type, "regency_code": regency,
                    "capacity_per_month": per_month, "venue_capacity": seats, "cost_per_event": cost,
                    "available_weekdays": ";".join(str(d) for d in sorted(days)), "active": "1" if is_active else "0",
                }, "mitra_saved", pick or pid.strip())
    show_saved("mitra_saved")

# ---------------------------------------------------------------- staff
with tab_s:
    sprov = st.selectbox(tr("peluang.province_filter"), province_options, index=province_options.index("16") if "16" in province_options else 0,
                         format_func=lambda c: f"{c} · {provinces[c]}", key="mitra_staff_province")
    staff = resources.list_staff(db, user, province=sprov)
    if not staff.empty:
        view = pd.DataFrame({
            tr("mitra.staff_id"): staff["staff_id"], tr("col.name"): staff["name"], tr("mitra.home"): staff["home_regency_name"].map(common.short_regency),
            tr("mitra.per_week"): staff["max_events_per_week"], tr("mitra.leave_periods"): staff["leave_periods"],
            tr("mitra.status"): staff["active"].map({1: "✓", 0: "–"}),
        })
        st.dataframe(common.styled(view, ints=[tr("mitra.per_week"), tr("mitra.leave_periods")]), hide_index=True, width="stretch", key="mitra_staff")
    if can_edit_staff:
        st.subheader(tr("mitra.edit_staff"))
        ids = [None, *staff["staff_id"]]
        snames = dict(zip(staff["staff_id"], staff["name"]))
        spick = st.selectbox(tr("mitra.pick_staff"), ids, format_func=lambda v: tr("mitra.new_staff") if v is None else f"{v} · {snames[v]}", key="mitra_spick")
        scur = staff.set_index("staff_id").loc[spick].to_dict() if spick else {}
        regs = common.cached(db, reads.regency_names, sprov)
        k = spick or "new"
        with st.form(f"mitra_staff_form_{k}"):
            c1, c2 = st.columns(2)
            sid = c1.text_input(tr("mitra.staff_id"), value=spick or "", disabled=bool(spick), key=f"mitra_sid_{k}")
            sname = c2.text_input(tr("col.name"), value=scur.get("name", ""), key=f"mitra_sname_{k}")
            c3, c4 = st.columns(2)
            home_codes = [None, *regs]
            home = c3.selectbox(tr("mitra.home"), home_codes, index=home_codes.index(scur.get("home_regency")) if scur.get("home_regency") in home_codes else 0,
                                format_func=lambda c: "–" if c is None else f"{c} · {regs[c]}", key=f"mitra_home_{k}")
            per_week = c4.number_input(tr("mitra.per_week"), 0, 14, int(scur.get("max_events_per_week", 3)), key=f"mitra_per_week_{k}")
            s_active = st.checkbox(tr("mitra.active"), value=bool(scur.get("active", 1)), key=f"mitra_s_active_{k}")
            if st.form_submit_button(tr("mitra.save"), type="primary", icon=":material/save:"):
                save(resources.save_staff, {
                    "staff_id": spick or sid.strip(), "name": sname, "province_code": sprov, "max_events_per_week": per_week,
                    "active": "1" if s_active else "0", "home_regency": home or "",
                }, "mitra_staff_saved", spick or sid.strip())
    show_saved("mitra_staff_saved")

# ---------------------------------------------------------------- leave
with tab_l:
    st.caption(tr("mitra.leave_intro"))
    leave = resources.list_leave(db, user, since=common.today().isoformat())
    if not leave.empty:
        view = pd.DataFrame({
            "#": leave["id"], tr("mitra.staff_id"): leave["staff_id"], tr("col.name"): leave["name"],
            tr("mitra.from"): leave["start_date"].map(lambda d: fmt_date(d, lang)),
            tr("mitra.to"): leave["end_date"].map(lambda d: fmt_date(d, lang)), tr("mitra.reason"): leave["reason"],
        })
        st.dataframe(view, hide_index=True, width="stretch", key="mitra_leave")
    else:
        st.info(tr("mitra.no_leave"))
    if can_edit_partners:
        everyone = resources.list_staff(db, user, active=True)
        staff_ids = list(everyone["staff_id"])
        who_names = dict(zip(everyone["staff_id"], everyone["name"]))
        with st.form("mitra_leave_form", clear_on_submit=True):
            c1, c2, c3 = st.columns([2, 1, 1])
            who = c1.selectbox(tr("mitra.staff_id"), staff_ids, format_func=lambda s: f"{who_names[s]} ({s})", key="mitra_leave_staff")
            start = c2.date_input(tr("mitra.from"), value=common.today(), key="mitra_leave_start", format="DD/MM/YYYY")
            end = c3.date_input(tr("mitra.to"), value=common.today(), key="mitra_leave_end", format="DD/MM/YYYY")
            reason = st.text_input(tr("mitra.reason"), key="mitra_leave_reason", max_chars=200)
            if st.form_submit_button(tr("mitra.add_leave"), type="primary", icon=":material/event_busy:"):
                try:
                    resources.add_leave(db, user, who, start, end, reason, lang=lang)
                except PlannerError as exc:
                    show_errors(exc)
                else:
                    st.rerun()
        if not leave.empty:
            c1, c2 = st.columns([2, 1])
            gone = c1.selectbox(tr("mitra.delete_leave"), list(leave["id"]), key="mitra_leave_delete",
                                format_func=lambda i: f"#{i} · {leave.set_index('id').loc[i, 'name']} · {leave.set_index('id').loc[i, 'start_date']}")
            if c2.button(tr("mitra.delete"), key="mitra_leave_delete_go", icon=":material/delete:"):
                try:
                    resources.delete_leave(db, user, int(gone), lang=lang)
                except PlannerError as exc:
                    show_errors(exc)
                else:
                    st.rerun()
db.conn.close()
