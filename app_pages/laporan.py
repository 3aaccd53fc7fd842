"""Laporan: report what happened at an event (held or cancelled, who came, who
registered, walk-ins, leads), or upload reports filled offline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import reads
from planner.errors import PlannerError
from planner.i18n import fmt_date, fmt_int
from planner.imports import ImportFailed
from planner.reporting import forms
from planner.reporting import reports as rp
from planner.vocabulary import SIZE_CLASSES

user = common.require_role("laporan")
lang = common.lang()
db = common.get_db()
common.demo_banner(db, user)
st.title(tr("laporan.title"))
st.caption(tr("laporan.intro" if user.can_write else "laporan.intro_read"))
today = common.today()

def show_issues(exc: ImportFailed) -> None:
    st.error(tr("laporan.rejected", n=fmt_int(exc.total)), icon=":material/error:")
    st.dataframe(
        pd.DataFrame([{tr("err.row"): "–" if i.row is None else fmt_int(i.row), tr("err.column"): i.column, tr("err.value"): i.value,
                       tr("err.problem"): i.problem, tr("err.fix"): i.fix} for i in exc.issues]),
        hide_index=True, width="stretch", key="laporan_issues",
        column_config={tr("err.fix"): st.column_config.TextColumn(width="large"), tr("err.problem"): st.column_config.TextColumn(width="large"),
                       tr("err.row"): st.column_config.TextColumn(width="small")},
    )


events = common.cached(db, rp.events_to_report, user, today=today)
if events.empty:
    st.info(tr("laporan.no_events"), icon=":material/event_busy:")
    db.conn.close()
    st.stop()

labels = {r.event_id: f"{fmt_date(r.date, lang)} {r.start_time} · {r.partner} · {r.regency.replace('Kabupaten ', 'Kab. ')}"
          + ("" if r.report_status is None or r.report_status != r.report_status else f" · {tr('agenda.status.' + r.report_status)}")
          + (f" · {r.staff}" if user.role != "staff" or r.staff_id != user.staff_id else "")
          for r in events.itertuples()}
wanted = st.session_state.pop("laporan_event", None)
if wanted in labels:
    st.session_state["laporan_pick"] = wanted
event_id = st.selectbox(tr("laporan.event"), list(labels), format_func=lambda e: labels[e], key="laporan_pick")
ev = events[events["event_id"] == event_id].iloc[0]
saved = common.cached(db, rp.report_for, user, event_id)
if "laporan_saved" in st.session_state:  # set by the save before its rerun
    st.success(st.session_state.pop("laporan_saved"), icon=":material/check_circle:")
if saved:
    st.info(rp.describe(saved, lang), icon=":material/history:")

if not user.can_write:  # leadership reads
    if saved is None:
        st.info(tr("laporan.read_none"), icon=":material/hourglass_empty:")
    elif not saved["rows"].empty:
        rows = saved["rows"]
        yes = lambda v: "✓" if v else ""
        st.dataframe(pd.DataFrame({
            tr("laporan.col.name"): rows["name"], tr("laporan.col.size_class"): rows["size_class"].map(lambda c: tr(f"size.{c}")),
            tr("laporan.col.workers"): rows["workers"], tr("laporan.read_how"): rows["walk_in"].map(lambda w: tr("laporan.read_walk_in") if w else tr("laporan.read_invited")),
            tr("laporan.col.registered"): rows["registered"].map(yes), tr("laporan.col.workers_registered"): rows["workers_registered"],
            tr("laporan.col.programmes"): rows["programmes"], tr("laporan.col.follow_up"): rows["follow_up"].map(yes), tr("laporan.col.note"): rows["note"],
        }), hide_index=True, width="stretch", key="laporan_read")
    db.conn.close()
    st.stop()

planned = dt.date.fromisoformat(ev["date"])
if planned > today:
    st.warning(tr("laporan.not_yet", date=fmt_date(planned, lang)), icon=":material/schedule:")

tab_form, tab_file = st.tabs([tr("laporan.tab_form"), tr("laporan.tab_file")])
with tab_form:
    status = st.radio(tr("laporan.status"), rp.STATUSES, format_func=lambda s: tr(f"laporan.status.{s}"), horizontal=True,
                      index=rp.STATUSES.index(saved["status"]) if saved else 0, key=f"laporan_status_{event_id}")
    inv, walk, version = common.cached(db, rp.form_rows, user, event_id)
    cols = {k: tr(f"laporan.col.{k}") for k in ("business_id", "name", "owner_name", "phone", "size_class", "workers", "present", "registered",
                                                   "workers_registered", "programmes", "follow_up", "note", "regency_code", "sector")}
    regencies = {code: f"{code} · {name}" for code, name in common.cached(db, reads.regency_names, ev["province_code"]).items()}
    sectors = {code: f"{code} · {name}" for code, name in common.cached(db, reads.sector_names, lang).items()}
    walk["regency_code"] = walk["regency_code"].map(regencies)
    walk["sector"] = walk["sector"].map(sectors)
    extra_key = f"laporan_extra_{event_id}"
    with st.form(f"laporan_form_{event_id}"):
        if status == "held":
            a, b = st.columns(2)
            held_default = dt.date.fromisoformat(saved["held_on"]) if saved and saved.get("held_on") else min(planned, today)
            held_on = a.date_input(tr("laporan.held_on"), held_default, max_value=today, format="DD/MM/YYYY", key=f"laporan_held_{event_id}",
                                   help=tr("laporan.held_on_help"))
            attendance = b.number_input(tr("laporan.attendance"), 0, 100_000, int(saved["attendance"]) if saved else 0, key=f"laporan_att_{event_id}",
                                        help=tr("laporan.attendance_help"))
            st.markdown(f"**{tr('laporan.invitees', n=fmt_int(len(inv)))}**")
            st.caption(tr("laporan.invitees_help"))
            edited = st.data_editor(
                inv, hide_index=True, width="stretch", key=f"laporan_inv_{event_id}", num_rows="fixed",
                disabled=["business_id", "name", "owner_name", "phone", "size_class"],
                column_order=["name", "present", "registered", "workers_registered", "programmes", "follow_up", "note", "workers", "owner_name", "phone", "size_class"],
                column_config={
                    "name": st.column_config.TextColumn(cols["name"], width="medium"),
                    "owner_name": st.column_config.TextColumn(cols["owner_name"]),
                    "phone": st.column_config.TextColumn(cols["phone"]),
                    "size_class": st.column_config.TextColumn(cols["size_class"]),
                    "workers": st.column_config.NumberColumn(cols["workers"], min_value=1, step=1, help=tr("laporan.workers_help")),
                    "present": st.column_config.CheckboxColumn(cols["present"]),
                    "registered": st.column_config.CheckboxColumn(cols["registered"]),
                    "workers_registered": st.column_config.NumberColumn(cols["workers_registered"], min_value=0, step=1),
                    "programmes": st.column_config.TextColumn(cols["programmes"], help=tr("laporan.programmes_help")),
                    "follow_up": st.column_config.CheckboxColumn(cols["follow_up"], help=tr("laporan.follow_up_help")),
                    "note": st.column_config.TextColumn(cols["note"], max_chars=rp.MAX_TEXT),
                },
            )
            st.markdown(f"**{tr('laporan.walk_ins')}**")
            st.caption(tr("laporan.walk_ins_help"))
            start_walk = pd.concat([walk, st.session_state.get(extra_key, walk.iloc[0:0])], ignore_index=True)
            walked = st.data_editor(
                start_walk, hide_index=True, width="stretch", key=f"laporan_walk_{event_id}", num_rows="dynamic",
                column_order=["name", "regency_code", "sector", "size_class", "workers", "registered", "workers_registered", "programmes",
                              "follow_up", "phone", "note", "business_id"],
                column_config={
                    "business_id": st.column_config.TextColumn(cols["business_id"], help=tr("laporan.walk_id_help")),
                    "name": st.column_config.TextColumn(cols["name"], width="medium"),
                    "regency_code": st.column_config.SelectboxColumn(cols["regency_code"], options=list(regencies.values()), width="medium"),
                    "sector": st.column_config.SelectboxColumn(cols["sector"], options=list(sectors.values()), width="medium"),
                    "size_class": st.column_config.SelectboxColumn(cols["size_class"], options=list(SIZE_CLASSES), format_func=lambda v: tr(f"size.{v}"), width="small"),
                    "workers": st.column_config.NumberColumn(cols["workers"], min_value=1, step=1, width="small"),
                    "phone": st.column_config.TextColumn(cols["phone"], width="small"),
                    "registered": st.column_config.CheckboxColumn(cols["registered"]),
                    "workers_registered": st.column_config.NumberColumn(cols["workers_registered"], min_value=0, step=1),
                    "programmes": st.column_config.TextColumn(cols["programmes"], help=tr("laporan.programmes_help")),
                    "follow_up": st.column_config.CheckboxColumn(cols["follow_up"]),
                    "note": st.column_config.TextColumn(cols["note"], max_chars=rp.MAX_TEXT),
                },
            )
            fields = {"status": "held", "attendance": attendance, "held_on": held_on.isoformat() if held_on else ""}
        else:
            a, b = st.columns(2)
            reason = a.selectbox(tr("laporan.cancel_reason"), rp.CANCEL_REASONS, format_func=lambda r: tr(f"cancel.{r}"),
                                 index=rp.CANCEL_REASONS.index(saved["cancel_reason"]) if saved and saved.get("cancel_reason") in rp.CANCEL_REASONS else 0,
                                 key=f"laporan_reason_{event_id}")
            cancel_note = b.text_input(tr("laporan.cancel_note"), saved["cancel_note"] if saved else "", max_chars=rp.MAX_TEXT, key=f"laporan_cnote_{event_id}")
            edited, walked = inv.iloc[0:0], walk.iloc[0:0]
            fields = {"status": "cancelled", "cancel_reason": reason, "cancel_note": cancel_note}
        fields["note"] = st.text_area(tr("laporan.note"), saved["note"] if saved else "", max_chars=rp.MAX_TEXT, key=f"laporan_note_{event_id}")
        submitted = st.form_submit_button(tr("laporan.save"), type="primary", icon=":material/save:")
    if submitted:
        raw = rp.from_form(event_id, fields, edited, walked, version=version,
                           labels={**cols, "status": tr("laporan.status"), "held_on": tr("laporan.held_on"), "attendance": tr("laporan.attendance"),
                                   "cancel_reason": tr("laporan.cancel_reason"), "cancel_note": tr("laporan.cancel_note"), "note": tr("laporan.note"),
                                   "event_id": tr("laporan.event")})
        try:
            result = rp.save(db, user, [raw], lang=lang, on=today)
        except ImportFailed as exc:
            show_issues(exc)
        else:
            st.session_state.pop(extra_key, None)
            st.session_state["laporan_saved"] = tr("laporan.saved", registrations=fmt_int(result.registrations), rows=fmt_int(result.rows))
            st.rerun()

    if status == "held":
        with st.expander(tr("laporan.find_business"), icon=":material/person_search:"):
            text = st.text_input(tr("laporan.find"), key=f"laporan_find_{event_id}", placeholder=tr("laporan.find_placeholder"))
            found = rp.search_businesses(db, user, ev["province_code"], text)
            if not found.empty:
                choice = st.selectbox(tr("laporan.found"), list(found["business_id"]), key=f"laporan_found_{event_id}",
                                      format_func=lambda b: " · ".join(str(x) for x in found[found["business_id"] == b].iloc[0][["name", "regency", "business_id"]]))
                if st.button(tr("laporan.add_walk_in"), key=f"laporan_add_{event_id}", icon=":material/person_add:"):
                    row = found[found["business_id"] == choice].iloc[0]
                    extra = st.session_state.get(extra_key, walk.iloc[0:0])
                    add = pd.DataFrame([{"business_id": row["business_id"], "name": row["name"], "size_class": row["size_class"],
                                         "workers": int(row["workers"]), "registered": False, "follow_up": False, "note": "", "programmes": ""}])
                    st.session_state[extra_key] = pd.concat([extra, add], ignore_index=True)
                    st.rerun()
            elif len(text.strip()) >= 2:
                st.caption(tr("laporan.found_none"))

with tab_file:
    st.caption(tr("laporan.file_intro" if user.role == "staff" else "laporan.file_intro_cli"))
    mine = events[events["report_status"].isna()]["event_id"].tolist() or [event_id]
    f1, f2 = st.columns(2)
    f1.download_button(tr("laporan.template_all", n=fmt_int(len(mine))), common.lazy(lambda c: forms.report_template(c, user, mine, fmt="xlsx", lang=lang)),
                       file_name="laporan_acara.xlsx", key="laporan_template", icon=":material/table:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    f2.download_button(tr("laporan.xlsform"), common.lazy(lambda c: forms.xlsform(c, user, staff_id=user.staff_id, plan_id=None if user.staff_id else int(ev["plan_id"]), lang=lang)),
                       file_name="jangkau_laporan_xlsform.xlsx", key="laporan_xlsform", icon=":material/smartphone:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", help=tr("laporan.xlsform_help"))
    with st.form("laporan_upload_form"):
        upload = st.file_uploader(tr("laporan.upload"), type=["csv", "xlsx", "zip"], key="laporan_upload")
        go = st.form_submit_button(tr("laporan.upload_go"), type="primary", icon=":material/upload:")
    if go and upload is None:
        st.warning(tr("impor.no_file"))
    elif go:
        try:
            result = forms.import_reports(db, user, upload.getvalue(), upload.name, lang)
        except ImportFailed as exc:
            show_issues(exc)
        except PlannerError as exc:
            st.error(common.plain(exc))
        else:
            st.success(tr("laporan.uploaded", reports=fmt_int(result.reports), created=fmt_int(result.created), updated=fmt_int(result.updated),
                          registrations=fmt_int(result.registrations)), icon=":material/check_circle:")
db.conn.close()
