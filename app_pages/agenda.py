"""Agenda: a staff member's events of published plans, with everything needed on the day:
start time, place and address, whom to call at the partner, the invitation list with
ready WhatsApp texts, the calendar file, the attendance sheet and the report template."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner.i18n import fmt_date, fmt_int, fmt_num, fmt_pct
from planner.reporting import agenda as ag
from planner.reporting import forms
from planner.reporting import followup as fu

user = common.require_role("agenda")
lang = common.lang()
db = common.get_db()
common.demo_banner(db, user)
st.title(tr("agenda.title" if user.role == "staff" else "agenda.title_others"))
st.caption(tr("agenda.intro"))
today = common.today()

provinces = common.province_names(db)
c1, c2, c3 = st.columns([2, 3, 2])
if user.role == "staff":
    province = user.provinces[0] if len(user.provinces) == 1 else c1.selectbox(
        tr("peluang.province_filter"), list(user.provinces), format_func=lambda v: f"{v} · {provinces[v]}", key="agenda_province")
    if len(user.provinces) == 1:
        c1.markdown(f"**{tr('peluang.province_filter')}**  \n{common.plain(provinces[province])}")
else:
    province = c1.selectbox(tr("peluang.province_filter"), list(provinces), index=list(provinces).index("16") if "16" in provinces else 0,
                            format_func=lambda v: f"{v} · {provinces[v]}", key="agenda_province")
people = common.cached(db, ag.staff_choices, user, province)
names = dict(zip(people["staff_id"], people["name"]))
options = [None, *names] if user.role != "staff" or not user.staff_id else list(names)
default = options.index(user.staff_id) if user.staff_id in options else 0
staff_id = c2.selectbox(tr("agenda.staff"), options, index=default, key="agenda_staff",
                        format_func=lambda v: tr("agenda.all_staff") if v is None else f"{names[v]} ({v})" + (tr("agenda.me") if v == user.staff_id else ""))
leads = common.cached(db, fu.leads, user, staff_id=staff_id, province=province, today=today)
tab_events, tab_leads = st.tabs([tr("agenda.tab_events"), tr("agenda.tab_leads", n=fmt_int(len(leads)), late=fmt_int(int(leads["overdue"].sum())))])


@common.guarded
def follow_up() -> None:
    """The leads of this staff member (or province): overdue first; a change is saved per lead."""
    if leads.empty:
        st.info(tr("fu.none"), icon=":material/task_alt:")
        return
    st.caption(tr("fu.intro"))
    table = pd.DataFrame({
        "followup_id": leads["followup_id"], "overdue": leads["overdue"].map({True: "⚠", False: ""}),
        "name": leads["name"], "phone": leads["phone"], "event": [f"{fmt_date(d, lang)} · {p}" for d, p in zip(leads["event_date"], leads["partner"])],
        "status": leads["status"], "due_on": pd.to_datetime(leads["due_on"]).dt.date, "note": leads["note"],
        "workers_registered": pd.array([None] * len(leads), dtype="Int64"), "programmes": pd.array([None] * len(leads), dtype="string"),
    })
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key="agenda_leads", num_rows="fixed", disabled=["followup_id", "overdue", "name", "phone", "event"],
        column_order=["overdue", "name", "phone", "event", "status", "due_on", "note", "workers_registered", "programmes"],
        column_config={
            "overdue": st.column_config.TextColumn("", width="small", help=tr("fu.overdue_help")),
            "name": st.column_config.TextColumn(tr("col.business"), width="medium"),
            "phone": st.column_config.TextColumn(tr("agenda.col.phone")),
            "event": st.column_config.TextColumn(tr("fu.col.event"), width="medium"),
            "status": st.column_config.SelectboxColumn(tr("fu.col.status"), options=list(fu.STATUSES), required=True, help=tr("fu.status_help"),
                                                     format_func=lambda v: tr(f"fu.status.{v}")),
            "due_on": st.column_config.DateColumn(tr("fu.col.due"), format="DD/MM/YYYY"),
            "note": st.column_config.TextColumn(tr("laporan.col.note"), max_chars=1000),
            "workers_registered": st.column_config.NumberColumn(tr("laporan.col.workers_registered"), min_value=1, step=1, help=tr("fu.workers_help")),
            "programmes": st.column_config.TextColumn(tr("laporan.col.programmes"), help=tr("laporan.programmes_help")),
        },
    )
    if user.can_write and st.button(tr("fu.save"), key="agenda_leads_save", type="primary", icon=":material/save:"):
        changed = 0
        for before, after in zip(table.to_dict("records"), edited.to_dict("records")):
            keys = ("status", "due_on", "note")
            if all(before[k] == after[k] for k in keys):
                continue
            fu.update(db, user, int(after["followup_id"]), status=after["status"], due_on=after["due_on"], note=after["note"] or "",
                      workers_registered=None if pd.isna(after["workers_registered"]) else int(after["workers_registered"]),
                      programmes=None if pd.isna(after["programmes"]) else after["programmes"], lang=lang, today=today)
            changed += 1
        st.session_state["agenda_leads_saved"] = changed
        st.rerun()
    if "agenda_leads_saved" in st.session_state:
        st.success(tr("fu.saved", n=fmt_int(st.session_state.pop("agenda_leads_saved"))), icon=":material/check_circle:")


with tab_leads:
    follow_up()

events = common.cached(db, ag.agenda, user, staff_id=staff_id, province=province, today=today)
upcoming = events[events["date"] >= today.isoformat()]
with tab_events:
    # Start on what needs doing: the coming events, or the past ones when nothing is coming.
    window = c3.radio(tr("agenda.window"), ["upcoming", "recent"], format_func=lambda v: tr(f"agenda.{v}"), key="agenda_window", horizontal=True,
                      index=0 if len(upcoming) or events.empty else 1)
    shown = upcoming if window == "upcoming" else events[events["date"] < today.isoformat()].iloc[::-1]
    if events.empty or shown.empty:
        st.info(tr("agenda.none_" + window), icon=":material/event_available:")
        db.conn.close()
        st.stop()

    to_report = int((events["past"] & events["report_status"].isna()).sum())
    if to_report:
        st.warning(tr("agenda.to_report", n=fmt_int(to_report)), icon=":material/assignment_late:")


    def status_word(r) -> str:
        if isinstance(r.report_status, str):
            return tr(f"agenda.status.{r.report_status}")
        return tr("agenda.status.due") if r.past else tr("agenda.status.planned")


    table = pd.DataFrame({
        tr("agenda.col.date"): [f"{fmt_date(d, lang)} · {s} {z}" for d, s, z in zip(shown["date"], shown["start_time"], shown["timezone"])],
        tr("agenda.col.partner"): shown["partner"],
        tr("agenda.col.regency"): shown["regency"].str.replace("Kabupaten ", "Kab. "),
        tr("agenda.col.staff"): shown["staff"].fillna("–"),
        tr("agenda.col.invitees"): shown["invitees"],
        tr("agenda.col.report"): [status_word(r) for r in shown.itertuples()],
    })
    pick = st.dataframe(table, hide_index=True, width="stretch", key="agenda_table", on_select="rerun", selection_mode="single-row",
                        column_config={tr("agenda.col.invitees"): st.column_config.NumberColumn(format="localized")})
    rows = [r for r in (pick.selection.rows if pick and pick.selection else []) if r < len(shown)]  # a pick from before the list changed
    ev = shown.iloc[rows[0]] if rows else shown.iloc[0]
    event_id = ev["event_id"]

    # ---------------------------------------------------------------- one event
    st.divider()
    st.subheader(tr("agenda.event_title", partner=common.plain(ev["partner"]), date=fmt_date(ev["date"], lang)))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(tr("agenda.m_time"), f"{ev['start_time']} {ev['timezone']}", help=tr("agenda.m_time_help", minutes=fmt_int(ev["duration_minutes"])))
    m2.metric(tr("agenda.m_invitees"), fmt_int(ev["invitees"]))
    m3.metric(tr("agenda.m_attendance"), fmt_num(ev["expected_attendance"], 0), help=tr("agenda.m_attendance_help"))
    m4.metric(tr("agenda.m_enrol"), fmt_num(ev["expected_enrollments"], 1), help=tr("agenda.m_enrol_help"))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('agenda.where')}**  \n{common.plain(ev['partner'])} ({tr('ptype.' + ev['partner_type'])})  \n"
                    f"{common.plain(ev['address'] or tr('agenda.no_address'))}  \n{common.plain(ev['regency'])}, {common.plain(ev['province'])}")
    with right:
        contact = ", ".join(x for x in (ev["contact_name"] or "", ev["contact_phone"] or "") if x) or "–"
        st.markdown(f"**{tr('agenda.partner_contact')}**  \n{common.plain(contact)}  \n"
                    f"**{tr('agenda.staff_contact')}**  \n{common.plain(ev['staff'] or '–')} · {common.plain(ev['staff_phone'] or '–')}")
    if isinstance(ev["report_status"], str):
        st.success(tr("agenda.reported", status=tr(f"agenda.status.{ev['report_status']}")), icon=":material/task_alt:")
    if user.can_write and (ev["past"] or ev["date"] == today.isoformat()):
        if st.button(tr("agenda.go_report"), key="agenda_go_report", type="primary", icon=":material/assignment_turned_in:"):
            st.session_state["laporan_event"] = event_id
            st.switch_page("app_pages/laporan.py")

    invites = common.cached(db, ag.invitations, user, event_id, lang)
    st.markdown(f"**{tr('agenda.invitations', n=fmt_int(len(invites)))}**")
    if not invites.empty:
        # Whom to write to and why first (a 1440-pixel screen shows these whole); size,
        # workers and the chances follow; a row picked shows its reasons and message whole.
        view = pd.DataFrame({
            tr("col.business"): invites["name"],
            tr("agenda.col.owner"): invites["owner_name"].fillna("–"),
            tr("agenda.col.phone"): invites["phone"].fillna("–"),
            "WhatsApp": invites["link"],
            tr("col.reasons"): invites["reasons"].fillna("–"),
            tr("col.size_class"): invites["size_class"].map(lambda s: tr(f"size.{s}")),
            tr("col.workers"): invites["workers"],
            tr("col.p_enroll"): invites["p_enroll"].map(fmt_pct),
            tr("col.uplift"): invites["uplift"].map(lambda v: fmt_pct(v) if pd.notna(v) else "–"),
        })
        chosen = st.dataframe(view, hide_index=True, width="stretch", key="agenda_invites", on_select="rerun", selection_mode="single-row",
                              column_config={tr("col.business"): st.column_config.TextColumn(width=170),
                                             tr("agenda.col.owner"): st.column_config.TextColumn(width=150),
                                             tr("agenda.col.phone"): st.column_config.TextColumn(width=115),
                                             "WhatsApp": st.column_config.LinkColumn(display_text=tr("agenda.send"), width=85),
                                             tr("col.reasons"): st.column_config.TextColumn(width=420),
                                             tr("col.workers"): st.column_config.NumberColumn(format="localized")})
        rows = [r for r in (chosen.selection.rows if chosen and chosen.selection else []) if r < len(invites)]
        if rows:
            one = invites.iloc[rows[0]]
            st.markdown(f"**{common.plain(one['name'])}** · {common.plain(one['owner_name'] or '–')} · {common.plain(one['phone'] or '–')}  \n"
                        f"{tr('col.reasons')}: {common.plain(one['reasons'] or '–')}")
            st.text(one["message"])
        else:
            st.caption(tr("agenda.pick_invitee"))
            with st.expander(tr("agenda.message_example")):
                st.text(invites["message"].iloc[0])

    d1, d2, d3, d4 = st.columns(4)
    if staff_id:
        d1.download_button(tr("agenda.ics"), common.lazy(lambda c: ag.ics(c, user, staff_id, lang, today=today)), file_name=f"agenda_{staff_id}.ics",
                           mime="text/calendar", key="agenda_ics", icon=":material/calendar_add_on:")
    if user.can_write:  # the sheet and the template are for those who run and report the event
        d2.download_button(tr("agenda.sheet"), common.lazy(lambda c: forms.attendance_sheet(c, user, event_id, lang)),
                           file_name=f"daftar_hadir_{event_id}.pdf", mime="application/pdf", key="agenda_sheet", icon=":material/print:")
        d3.download_button(tr("agenda.template"), common.lazy(lambda c: forms.report_template(c, user, [event_id], fmt="xlsx", lang=lang)),
                           file_name=f"laporan_{event_id}.xlsx", key="agenda_template", icon=":material/table:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if user.can_write and not ev["past"]:  # a past event's time is what happened; the report says when it was held
        with d4.popover(tr("agenda.change_time"), icon=":material/schedule:"):
            with st.form("agenda_time_form"):
                hh, mm = (int(x) for x in str(ev["start_time"]).split(":"))
                new_time = st.time_input(tr("agenda.start_time"), dt.time(hh, mm), key="agenda_time", step=dt.timedelta(minutes=15))
                minutes = st.number_input(tr("agenda.duration"), 15, 720, int(ev["duration_minutes"]), step=15, key="agenda_duration")
                if st.form_submit_button(tr("agenda.save_time")):
                    ag.set_time(db, user, event_id, new_time.strftime("%H:%M"), int(minutes), lang)
                    st.rerun()
db.conn.close()
