"""Jadwal: plan sosialisasi events. Pick or create a plan -> solve in the background ->
calendar, staff agendas, events with invitations and WhatsApp texts, edits, exports."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import plans, reads
from planner import scheduling as sch
from planner.errors import PlannerError
from planner.exports import to_csv_bytes, to_xlsx_bytes
from planner.i18n import fmt_date, fmt_int, fmt_num, fmt_pct, fmt_rupiah

user = common.require_role("jadwal")
can_plan = user.role in ("admin", "manager")
lang = common.lang()
db = common.get_db()
common.demo_banner(db, user)
st.title(tr("jadwal.title"))
st.caption(tr("jadwal.intro"))

provinces = common.province_names(db)


def within(lo, hi, value):
    """An input's usual range, widened to hold ``value``. ``Rules.validate`` accepts more
    than the form offers (a plan made with the CLI or the API may have a 3 s time limit or
    30 events per regency), and a value outside a number_input's range raises, which
    stopped the page before the plan could be seen."""
    return min(lo, value), max(hi, value)


TRAVEL_COSTS = [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 4_000_000, 5_000_000, 7_500_000, 10_000_000]
PENALTIES = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0]


def choices(options: list, value) -> list:
    """The usual choices, with the plan's own value among them (a plan from the CLI may
    have any)."""
    return sorted({*options, value})


def rules_form(prefix: str, rules: sch.Rules | None, name: str) -> tuple[str, sch.Rules] | None:
    """The plan's rules as a form; returns (name, rules) when submitted."""
    today = common.today()
    r = rules or sch.Rules(start=today + dt.timedelta(days=7), end=today + dt.timedelta(days=7 + 89))
    time_limit = max(1, int(r.time_limit))
    with st.form(f"{prefix}_form"):
        new_name = st.text_input(tr("jadwal.name"), value=name, key=f"{prefix}_name", placeholder=tr("jadwal.name_placeholder"))
        c1, c2, c3 = st.columns(3)
        start = c1.date_input(tr("jadwal.start"), value=r.start, key=f"{prefix}_start", format="DD/MM/YYYY")
        end = c2.date_input(tr("jadwal.end"), value=r.end, key=f"{prefix}_end", format="DD/MM/YYYY")
        # In millions: a number input cannot group thousands, and 100000000 is hard to read.
        current_juta = round((r.budget or 0) / 1_000_000)
        budget_juta = c3.number_input(tr("jadwal.budget_juta"), min_value=0, value=current_juta, step=5, key=f"{prefix}_budget",
                                      help=tr("jadwal.budget_help", now=fmt_rupiah(r.budget) if r.budget else tr("jadwal.no_budget")))
        provs = st.multiselect(tr("jadwal.provinces"), list(provinces), default=list(r.provinces), key=f"{prefix}_provinces", select_all=False,
                               format_func=lambda c: f"{c} · {provinces[c]}", placeholder=tr("jadwal.all_provinces"))
        d1, d2, d3 = st.columns(3)
        gap = d1.number_input(tr("jadwal.gap"), 0, 60, int(r.min_gap_days), key=f"{prefix}_gap", help=tr("jadwal.gap_help"))
        min_reg = d2.number_input(tr("jadwal.min_regency"), *within(0, 20, int(r.min_events_per_regency)), int(r.min_events_per_regency), key=f"{prefix}_min_regency", help=tr("jadwal.min_regency_help"))
        limit = d3.number_input(tr("jadwal.time_limit"), *within(5, 3600, time_limit), time_limit, step=5, key=f"{prefix}_time", help=tr("jadwal.time_limit_help"))
        g1, g2, _ = st.columns(3)
        hh, mm = (int(x) for x in str(r.start_time).split(":"))
        start_time = g1.time_input(tr("jadwal.start_time"), dt.time(hh, mm), step=dt.timedelta(minutes=15), key=f"{prefix}_start_time",
                                   help=tr("jadwal.start_time_help"))
        duration = g2.number_input(tr("agenda.duration"), *within(15, 720, int(r.duration_minutes)), int(r.duration_minutes), step=15,
                                   key=f"{prefix}_duration")
        e1, e2, e3 = st.columns(3)
        weekends = e1.checkbox(tr("jadwal.weekends"), value=r.allow_weekends, key=f"{prefix}_weekends")
        ramadan = e2.checkbox(tr("jadwal.ramadan"), value=r.ramadan_blackout, key=f"{prefix}_ramadan", help=tr("jadwal.ramadan_help"))
        travel = e3.checkbox(tr("jadwal.travel"), value=r.allow_travel, key=f"{prefix}_travel", help=tr("jadwal.travel_help"))
        with st.expander(tr("jadwal.advanced")):
            f1, f2, f3, f4 = st.columns(4)
            # Choices written the Indonesian way (a number input shows 2500000 and 0.50).
            travel_cost = f1.selectbox(tr("jadwal.travel_cost"), choices(TRAVEL_COSTS, int(r.travel_cost)), format_func=fmt_rupiah,
                                       index=choices(TRAVEL_COSTS, int(r.travel_cost)).index(int(r.travel_cost)), key=f"{prefix}_travel_cost")
            p_fri, p_we, p_load = (
                col.selectbox(tr(f"jadwal.penalty_{name}"), choices(PENALTIES, value), index=choices(PENALTIES, value).index(value),
                              format_func=lambda v: fmt_num(v, 2).rstrip("0").rstrip(","), key=f"{prefix}_p_{name}", help=tr("jadwal.penalty_help"))
                for col, name, value in ((f2, "friday", float(r.penalty_friday)), (f3, "weekend", float(r.penalty_weekend)),
                                         (f4, "workload", float(r.penalty_workload)))
            )
            max_inv = st.number_input(tr("jadwal.max_invitees"), *within(0, 10_000, int(r.max_invitees or 0)), int(r.max_invitees or 0), key=f"{prefix}_max_invitees", help=tr("jadwal.max_invitees_help"))
        submitted = st.form_submit_button(tr("jadwal.save_rules"), type="primary", icon=":material/save:")
    if not submitted:
        return None
    # An unchanged field keeps the exact budget (a plan from the CLI may have Rp 12.500.000).
    budget = r.budget if r.budget and int(budget_juta) == current_juta else int(budget_juta) * 1_000_000
    return new_name, sch.Rules(
        start=start, end=end, budget=budget or None, provinces=tuple(provs), allow_weekends=weekends,
        ramadan_blackout=ramadan, min_gap_days=int(gap), allow_travel=travel, travel_cost=int(travel_cost),
        max_invitees=int(max_inv) or None, min_events_per_regency=int(min_reg), time_limit=float(limit),
        penalty_friday=float(p_fri), penalty_weekend=float(p_we), penalty_workload=float(p_load),
        start_time=start_time.strftime("%H:%M"), duration_minutes=int(duration),
    )


def calendar_html(grid: pd.DataFrame) -> str:
    """The week as an HTML table of event cards. Every text is escaped: partner and staff
    names are user data and must never become markup."""
    import html

    head = "".join(f"<th>{html.escape(c)}</th>" for c in [tr("col.regency"), *grid.columns[1:]])
    body = []
    for row in grid.itertuples(index=False):
        cells = [f"<th class='reg'>{html.escape(str(row[0]))}</th>"]
        for text in row[1:]:
            cards = "".join(f"<div class='ev'>{html.escape(item)}</div>" for item in str(text or "").split("\n") if item)
            cells.append(f"<td>{cards}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f"<tr><td colspan='{len(grid.columns)}' class='none'>{html.escape(tr('jadwal.week_empty'))}</td></tr>")
    style = (
        "<style>.jk-cal{width:100%;border-collapse:collapse;table-layout:fixed;font-size:0.82rem}"
        ".jk-cal th,.jk-cal td{border:1px solid rgba(49,51,63,.15);padding:4px;vertical-align:top;text-align:left}"
        ".jk-cal thead th{background:rgba(49,51,63,.05);font-weight:600}.jk-cal th.reg{width:16%;font-weight:500}"
        ".jk-cal .ev{background:#e8f1fb;border-left:3px solid #1f77b4;border-radius:3px;padding:2px 4px;margin-bottom:3px;"
        "overflow-wrap:anywhere}.jk-cal td.none{color:#888;text-align:center}</style>"
    )
    return f"{style}<table class='jk-cal'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# ---------------------------------------------------------------- choose or create a plan
if can_plan and not common.cached(db, reads.has_scores):
    st.warning(tr("jadwal.no_scores"), icon=":material/model_training:")
    st.page_link("app_pages/sasaran.py", label=tr("jadwal.to_sasaran"), icon=":material/target:")
listed = common.cached(db, reads.plan_list, user)
if can_plan:
    with st.expander(tr("jadwal.new"), icon=":material/add:", expanded=listed.empty):
        got = rules_form("jadwal_new", None, "")
        if got:
            try:
                new_id = plans.create_plan(db, user, got[0], got[1])
            except PlannerError as exc:
                st.error(common.plain(exc))
            else:
                st.session_state["jadwal_plan"] = new_id
                st.rerun()
if listed.empty:
    st.info(tr("jadwal.no_plans" if can_plan else "jadwal.no_published"), icon=":material/event_busy:")
    db.conn.close()
    st.stop()

labels = {int(r.plan_id): f"#{r.plan_id} · {r.name} · {tr('plan.' + r.status)}" for r in listed.itertuples()}
if st.session_state.get("jadwal_plan") not in labels:
    st.session_state["jadwal_plan"] = next(iter(labels))
plan_id = st.selectbox(tr("jadwal.plan"), list(labels), format_func=labels.get, key="jadwal_plan")
try:
    plan = common.shared(db, reads.plan, user, plan_id)
except PlannerError as exc:
    st.error(common.plain(exc))
    st.stop()
rules = plan.rules
draft = plan.status == "draft"
scope = ", ".join(f"{p} · {provinces.get(p, p)}" for p in rules.provinces) or tr("jadwal.all_provinces")
st.markdown(
    f"**{tr('plan.' + plan.status)}** · {fmt_date(rules.start, lang)} – {fmt_date(rules.end, lang)} · {scope} · "
    f"{tr('jadwal.budget').removesuffix(' (Rp)')}: {fmt_rupiah(rules.budget) if rules.budget is not None else tr('jadwal.no_budget')}"
)

# ---------------------------------------------------------------- actions
run = plans.latest_job(db, plan_id)
running = run is not None and run["status"] in ("queued", "running")
if can_plan:
    b1, b2, b3, b4 = st.columns(4)
    if draft and not running and b1.button(tr("jadwal.solve"), type="primary", key="jadwal_solve", icon=":material/auto_awesome:", help=tr("jadwal.solve_help")):
        try:
            plans.start_solve(db, user, plan_id, lang=lang)
        except PlannerError as exc:
            st.error(common.plain(exc))
        else:
            st.rerun()
    if draft and not running:
        with b2.popover(tr("jadwal.publish"), icon=":material/campaign:"):
            share = st.number_input(tr("jadwal.control_share"), 0, 50, int(round(plans.DEFAULT_CONTROL_SHARE * 100)), step=5,
                                    key="jadwal_control_share", help=tr("jadwal.control_help"))
            if share == 0:
                st.warning(tr("jadwal.control_zero"), icon=":material/warning:")
            if st.button(tr("jadwal.publish_go"), key="jadwal_publish", type="primary"):
                try:
                    out = plans.publish_plan(db, user, plan_id, control_share=share / 100, lang=lang)
                except PlannerError as exc:
                    st.error(common.plain(exc))
                else:
                    st.session_state["jadwal_published"] = out
                    st.rerun()
    if "jadwal_published" in st.session_state:
        out = st.session_state.pop("jadwal_published")
        st.success(tr("jadwal.published", controls=fmt_int(out["controls"]), share=fmt_pct(out["share"], 0), seed=out["seed"]),
                   icon=":material/campaign:")
    if plan.status == "published" and b2.button(tr("jadwal.reopen"), key="jadwal_reopen", icon=":material/edit_calendar:"):
        try:
            plans.reopen_plan(db, user, plan_id)
        except PlannerError as exc:
            st.error(common.plain(exc))
        else:
            st.rerun()
    if not running and b3.button(tr("jadwal.archive"), key="jadwal_archive", icon=":material/archive:"):
        try:
            plans.archive_plan(db, user, plan_id)
        except PlannerError as exc:
            st.error(common.plain(exc))
        else:
            st.session_state.pop("jadwal_plan", None)
            st.rerun()
    if draft:
        with st.expander(tr("jadwal.edit_rules"), icon=":material/tune:"):
            got = rules_form(f"jadwal_edit_{plan_id}", rules, plan.name)
            if got:
                try:
                    plans.update_plan(db, user, plan_id, got[1], got[0])
                except PlannerError as exc:
                    st.error(common.plain(exc))
                else:
                    st.rerun()


@st.fragment(run_every=1.0)
@common.guarded
def solve_progress(run_id: int) -> None:
    j = common.with_db(plans.job, run_id)
    if j["status"] in ("queued", "running"):
        obj = fmt_num(j["objective"], 1) if j["objective"] is not None else "–"
        bound = fmt_num(j["bound"], 1) if j["bound"] is not None else "–"
        st.progress(min(1.0, float(j["progress"] or 0)), text=tr("jadwal.progress", objective=obj, bound=bound, message=j["message"] or ""))
        if st.button(tr("jadwal.stop"), key="jadwal_stop", icon=":material/stop_circle:"):
            common.with_db(plans.cancel_job, user, run_id)
    else:
        st.rerun()


if running:
    solve_progress(int(run["run_id"]))
elif run is not None and run["status"] == "failed" and can_plan:
    st.error(tr("jadwal.failed", error=common.plain(run["error"] or "")), icon=":material/error:")

# ---------------------------------------------------------------- result
result = plan.result or {}
texts = (result.get("texts") or {}).get(lang, {})
if result:
    status = result["status"]
    if status == "INFEASIBLE":
        st.error(tr("jadwal.infeasible"), icon=":material/block:")
        for c in texts.get("conflicts", []):
            st.markdown(f"- {common.plain(c)}")
    elif status == "UNKNOWN":
        st.warning(common.plain(" ".join(texts.get("conflicts", []))), icon=":material/hourglass_empty:")
    if result.get("uplift_model") is False:
        st.info(tr("plan.no_uplift"), icon=":material/info:")
try:
    events = common.cached(db, reads.plan_event_view, user, plan_id)  # with each event's report figures
except PlannerError as exc:
    st.error(common.plain(exc))
    st.stop()
if events.empty:
    if not result:
        st.info(tr("jadwal.not_solved") if can_plan else tr("jadwal.no_events"), icon=":material/calendar_month:")
    elif result.get("status") not in ("INFEASIBLE", "UNKNOWN"):
        st.info(tr("jadwal.no_events"))
        for f in texts.get("findings", []):
            st.markdown(f"- {common.plain(f['text'])}")
    db.conn.close()
    st.stop()

m1, m2, m3, m4, m5 = st.columns(5)
m1.metric(tr("jadwal.m_events"), fmt_int(len(events)))
m2.metric(tr("jadwal.m_additional"), fmt_num(events["expected_additional"].sum(), 1), help=tr("jadwal.m_additional_help"))
m3.metric(tr("jadwal.m_enrollments"), fmt_num(events["expected_enrollments"].sum(), 1), help=tr("jadwal.m_enrollments_help"))
cost = int(events["cost"].sum())
m4.metric(tr("jadwal.m_cost"), fmt_num(cost / 1e6, 1), help=fmt_rupiah(cost), delta=(tr("jadwal.m_budget_share", share=fmt_pct(cost / rules.budget)) if rules.budget else None), delta_color="off", delta_arrow="off")
if result.get("status") in ("OPTIMAL", "FEASIBLE"):
    gap = result.get("gap")
    m5.metric(tr("jadwal.m_quality"), tr(f"solve.{result['status']}"), delta=tr("jadwal.m_gap", gap=fmt_pct(gap or 0.0, 2)), delta_color="off", delta_arrow="off",
              help=tr("jadwal.m_quality_help", objective=fmt_num(result["objective"], 1), bound=fmt_num(result["bound"], 1), seconds=fmt_num(result["seconds"], 1)))
reported = events["report_status"].notna()
if plan.status == "published" and reported.any():
    held = events["report_status"] == "held"
    workers_actual = int(events["workers_registered"].fillna(0).sum() + events["later_workers"].fillna(0).sum())
    expected_there = float(events.loc[held, "expected_enrollments"].sum())
    a1, a2, a3, a4 = st.columns(4)
    a1.metric(tr("jadwal.a_reported"), f"{fmt_int(reported.sum())} / {fmt_int(len(events))}",
              delta=tr("jadwal.a_cancelled", n=fmt_int((events["report_status"] == "cancelled").sum())), delta_color="off", delta_arrow="off")
    a2.metric(tr("jadwal.a_attendance"), fmt_int(events.loc[held, "attendance"].sum()),
              delta=tr("jadwal.a_expected", value=fmt_num(events.loc[held, "expected_attendance"].sum(), 0)), delta_color="off", delta_arrow="off")
    a3.metric(tr("jadwal.a_registrations"), fmt_int(events["registrations"].fillna(0).sum() + events["later_registrations"].fillna(0).sum()))
    a4.metric(tr("jadwal.a_workers"), fmt_int(workers_actual), delta=tr("jadwal.a_expected", value=fmt_num(expected_there, 1)), delta_color="off", delta_arrow="off",
              help=tr("jadwal.a_workers_help"))
findings = texts.get("findings", [])
if findings:
    with st.expander(tr("jadwal.why"), icon=":material/lightbulb:", expanded=True):
        for f in findings:
            icon = ":red[:material/error:]" if f["binding"] else ":gray[:material/info:]"
            st.markdown(f"{icon} {common.plain(f['text'])}")
        st.caption(tr("jadwal.why_help"))
if draft and result.get("solved_at") and plan.updated_at > result["solved_at"]:
    st.warning(tr("jadwal.changed_since"), icon=":material/update:")
problems = common.cached(db, reads.plan_problems, user, plan_id, lang) if draft and can_plan else []
if problems:
    st.error(tr("jadwal.violations"), icon=":material/rule:")
    for p in problems[:20]:
        st.markdown(f"- {common.plain(p)}")

# ---------------------------------------------------------------- views
tab_cal, tab_staff, tab_list, tab_export = st.tabs([tr("jadwal.tab_calendar"), tr("jadwal.tab_staff"), tr("jadwal.tab_events"), tr("jadwal.tab_export")])

with tab_cal:
    weekly = events.assign(week=pd.to_datetime(events["date"]).dt.to_period("W-SUN").dt.start_time.dt.date)

    def weeks_chart():
        per_week = weekly.groupby("week", as_index=False).agg(events=("event_id", "count"), additional=("expected_additional", "sum"))
        # Every week of the horizon, so a week without events shows as a gap of zero, not as nothing.
        first_monday = rules.start - dt.timedelta(days=rules.start.weekday())
        horizon = pd.DataFrame({"week": [first_monday + dt.timedelta(weeks=i) for i in range((rules.end - first_monday).days // 7 + 1)]})
        per_week = horizon.merge(per_week, on="week", how="outer").fillna({"events": 0, "additional": 0.0}).sort_values("week")
        one_year = per_week["week"].map(lambda d: d.year).nunique() <= 1
        per_week["label"] = per_week["week"].map(lambda d: fmt_date(d, lang).rsplit(" ", 1)[0] if one_year else fmt_date(d, lang))
        chart = alt.Chart(per_week).mark_bar(color="#1f77b4").encode(
            x=alt.X("label:N", sort=None, title=tr("jadwal.week_of"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("additional:Q", title=tr("jadwal.m_additional")),
            tooltip=[alt.Tooltip("label:N", title=tr("jadwal.week_of")), alt.Tooltip("events:Q", title=tr("jadwal.m_events")),
                     alt.Tooltip("additional:Q", title=tr("jadwal.m_additional"), format=",.1f")],
        )
        return chart.properties(height=220).configure(locale=common.ALTAIR_LOCALE)

    common.chart(weeks_chart, (common.version_of(db, *reads.topics("plan_event_view")), user, plan_id, lang), key="jadwal_weeks_chart")
    weeks = sorted(weekly["week"].unique())
    c1, c2 = st.columns([1, 1])
    monday = c1.selectbox(tr("jadwal.week"), weeks, format_func=lambda d: f"{fmt_date(d, lang)} – {fmt_date(d + dt.timedelta(days=6), lang)}", key="jadwal_week")
    provs_here = sorted(events["province_code"].unique())
    prov = c2.selectbox(tr("jadwal.region"), [None, *provs_here], format_func=lambda v: tr("jadwal.all_provinces") if v is None else f"{v} · {provinces.get(v, v)}",
                        key="jadwal_cal_province")
    grid = common.cached(db, reads.week_view, user, plan_id, monday, prov, lang, rules.allow_weekends)
    st.markdown(calendar_html(grid), unsafe_allow_html=True)
    st.caption(tr("jadwal.grid_help"))

with tab_staff:
    staff_names = events.dropna(subset=["staff_id"]).drop_duplicates("staff_id").sort_values("staff")[["staff_id", "staff"]]
    staff_options = dict(zip(staff_names["staff_id"], staff_names["staff"]))
    if staff_options:
        sid = st.selectbox(tr("jadwal.staff"), list(staff_options), format_func=lambda s: f"{staff_options[s]} ({s})", key="jadwal_staff")
        agenda = events[events["staff_id"] == sid]
        view = pd.DataFrame({
            tr("col.date"): agenda["date"].map(lambda d: f"{sch.WEEKDAY_NAMES[lang][dt.date.fromisoformat(d).weekday()]}, {fmt_date(d, lang)}"),
            tr("col.event"): agenda["event_id"], tr("col.partner"): agenda["partner"], tr("col.regency"): agenda["regency"],
            tr("col.invitees"): agenda["invitees"], tr("col.attendance"): agenda["expected_attendance"],
            tr("col.expected_additional"): agenda["expected_additional"],
        })
        st.dataframe(common.styled(view, ints=[tr("col.invitees"), tr("col.attendance")], decimals={tr("col.expected_additional"): 1}),
                     hide_index=True, width="stretch", key="jadwal_agenda")
        st.download_button(tr("jadwal.ics"), common.lazy(lambda c: plans.staff_ics(c, plan_id, sid)), file_name=f"jadwal_{sid}.ics", mime="text/calendar",
                           key="jadwal_ics", icon=":material/event:")

with tab_list:
    view = events.assign(
        day=events["date"].map(lambda d: fmt_date(d, lang)),
        lock=events["locked"].map({1: "🔒", 0: ""}),
        report=events["report_status"].map(lambda v: tr(f"agenda.status.{v}") if isinstance(v, str) else "–"),
        actual_workers=pd.to_numeric(events["workers_registered"]) + pd.to_numeric(events["later_workers"]).fillna(0),
        attendance=pd.to_numeric(events["attendance"]),
        registrations=pd.to_numeric(events["registrations"]) + pd.to_numeric(events["later_registrations"]).fillna(0),
    )
    # What a person reads first fits a 1440-pixel screen: the event, when, where, with whom,
    # and (once reports arrive) what happened; staff, the other expectations and the cost
    # follow to the right and are in the line under the table for the event chosen.
    cols = {"lock": "", "event_id": tr("col.event"), "day": tr("col.date"), "regency": tr("col.regency"), "partner": tr("col.partner")}
    if reported.any():  # what happened, next to what was expected
        cols.update({"report": tr("agenda.col.report"), "attendance": tr("jadwal.a_col_attendance"), "actual_workers": tr("jadwal.a_col_workers"),
                     "expected_additional": tr("col.expected_additional"), "registrations": tr("jadwal.a_col_registrations")})
    cols.update({"invitees": tr("col.invitees"), "expected_additional": tr("col.expected_additional"), "cost": tr("col.cost"), "staff": tr("col.staff"),
                 "expected_attendance": tr("col.attendance"), "expected_enrollments": tr("col.expected_enrollments")})
    table = view.assign(regency=view["regency"].map(common.short_regency))[list(cols)].rename(columns=cols)
    # A row picked in the table chooses the event below (as the list under it does).
    picked_rows = st.session_state.get("jadwal_events", {}).get("selection", {}).get("rows", [])
    if picked_rows and picked_rows != st.session_state.get("jadwal_events_applied") and picked_rows[0] < len(events):
        st.session_state["jadwal_event"] = events["event_id"].iloc[picked_rows[0]]
    st.session_state["jadwal_events_applied"] = picked_rows
    st.dataframe(
        common.styled(table, ints=[tr("col.invitees"), tr("col.attendance"), tr("col.cost"), tr("jadwal.a_col_attendance"),
                                   tr("jadwal.a_col_registrations"), tr("jadwal.a_col_workers")],
                      decimals={tr("col.expected_enrollments"): 1, tr("col.expected_additional"): 1}),
        hide_index=True, width="stretch", height=320, key="jadwal_events", on_select="rerun", selection_mode="single-row",
        column_config={
            "": st.column_config.TextColumn(width=32),
            tr("col.event"): st.column_config.TextColumn(width=78, pinned=True),  # stays in view beside the columns at the right
            tr("col.date"): st.column_config.TextColumn(width=95),
            tr("col.regency"): st.column_config.TextColumn(width=150),
            tr("col.partner"): st.column_config.TextColumn(width=190),
            tr("agenda.col.report"): st.column_config.TextColumn(width=150),
            tr("jadwal.a_col_attendance"): st.column_config.NumberColumn(width=115),
            tr("jadwal.a_col_workers"): st.column_config.NumberColumn(tr("jadwal.col_workers_short"), width=115, help=tr("jadwal.a_col_workers")),
        },
    )
    by_id = events.set_index("event_id")
    event_labels = {e: f"{e} · {p} · {fmt_date(d, lang)}" for e, p, d in zip(by_id.index, by_id["partner"], by_id["date"])}
    event_id = st.selectbox(tr("jadwal.event"), list(events["event_id"]), key="jadwal_event", format_func=lambda e: event_labels.get(e, e))
    ev = by_id.loc[event_id]
    st.markdown(f"**{event_id}** · {common.plain(ev['partner'])} ({tr('ptype.' + ev['partner_type'])}) · {common.plain(ev['regency'])} · "
                f"{fmt_date(ev['date'], lang)} · {tr('col.staff')}: {common.plain(ev['staff'] or '–')}"
                + (f" · 🔒 {tr('jadwal.locked')}" if ev["locked"] else ""))
    st.caption(tr("jadwal.event_numbers", invitees=fmt_int(ev["invitees"]), attendance=fmt_num(ev["expected_attendance"], 0),
                  enrollments=fmt_num(ev["expected_enrollments"], 1), additional=fmt_num(ev["expected_additional"], 1), cost=fmt_rupiah(ev["cost"])))
    if can_plan and draft:
        a1, a2 = st.columns(2)
        if a1.button(tr("jadwal.unlock") if ev["locked"] else tr("jadwal.lock"), key="jadwal_lock", icon=":material/lock:"):
            try:
                plans.set_locked(db, user, event_id, not bool(ev["locked"]), lang=lang)
            except PlannerError as exc:
                st.error(common.plain(exc))
            else:
                st.rerun()
        with a2.popover(tr("jadwal.cancel"), icon=":material/event_busy:"):
            note = st.text_input(tr("jadwal.cancel_note"), key="jadwal_cancel_note")
            if st.button(tr("jadwal.cancel_confirm"), key="jadwal_cancel_go", type="primary"):
                try:
                    plans.cancel_event(db, user, event_id, note, lang=lang)
                except PlannerError as exc:
                    st.error(common.plain(exc))
                else:
                    st.rerun()
        with st.expander(tr("jadwal.move"), icon=":material/open_with:"):
            partners_here, staff_here = common.cached(db, reads.move_choices, user, ev["province_code"], lang)
            with st.form(f"jadwal_move_{event_id}"):
                new_date = st.date_input(tr("col.date"), value=dt.date.fromisoformat(ev["date"]), min_value=rules.start, max_value=rules.end,
                                         key=f"jadwal_move_date_{event_id}", format="DD/MM/YYYY")
                p_ids = list(partners_here["partner_id"]) if not partners_here.empty else [ev["partner_id"]]
                p_names = dict(zip(partners_here["partner_id"], partners_here["name"])) if not partners_here.empty else {}
                new_partner = st.selectbox(tr("col.partner"), p_ids, index=p_ids.index(ev["partner_id"]) if ev["partner_id"] in p_ids else 0,
                                           format_func=lambda p: p_names.get(p, p), key=f"jadwal_move_partner_{event_id}")
                s_ids = list(staff_here["staff_id"]) if not staff_here.empty else []
                s_names = dict(zip(staff_here["staff_id"], staff_here["name"])) if not staff_here.empty else {}
                new_staff = st.selectbox(tr("col.staff"), s_ids, index=s_ids.index(ev["staff_id"]) if ev["staff_id"] in s_ids else 0,
                                         format_func=lambda s: f"{s_names.get(s, s)} ({s})", key=f"jadwal_move_staff_{event_id}")
                if st.form_submit_button(tr("jadwal.move_save"), type="primary"):
                    try:
                        broken = plans.move_event(db, user, event_id, date=new_date, partner_id=new_partner, staff_id=new_staff, lang=lang)
                    except PlannerError as exc:
                        st.error(common.plain(exc))
                    else:
                        st.session_state["jadwal_moved"] = broken
                        st.rerun()
        if "jadwal_moved" in st.session_state:
            broken = st.session_state.pop("jadwal_moved")
            if broken:
                st.warning(tr("jadwal.moved_broken"))
            else:
                st.success(tr("jadwal.moved_ok"))
    invites = common.cached(db, reads.invitation_view, user, event_id, lang)
    st.markdown(f"**{tr('jadwal.invitations', n=fmt_int(len(invites)))}**")
    if not invites.empty:
        iv = pd.DataFrame({
            tr("col.business_id"): invites["business_id"], tr("col.name"): invites["name"], tr("jadwal.owner"): invites["owner_name"],
            tr("col.workers"): invites["workers"], tr("col.p_enroll"): invites["p_enroll"], tr("col.uplift"): invites["uplift"],
            tr("col.expected_additional"): invites["expected_additional"], tr("jadwal.whatsapp"): invites["link"],
        })
        st.dataframe(
            common.styled(iv, ints=[tr("col.workers")], pcts=[tr("col.p_enroll"), tr("col.uplift")], decimals={tr("col.expected_additional"): 2}),
            hide_index=True, width="stretch", height=300, key="jadwal_invites",
            column_config={tr("jadwal.whatsapp"): st.column_config.LinkColumn(display_text=tr("jadwal.send"))},
        )
        invitee_labels = {i: f"{n} ({b})" for i, n, b in zip(invites.index, invites["name"], invites["business_id"])}
        who = st.selectbox(tr("jadwal.message_for"), list(invites.index), format_func=lambda i: invitee_labels.get(i, i), key=f"jadwal_msg_{event_id}")
        st.code(invites.loc[who, "message"], language=None, wrap_lines=True)
        st.download_button(tr("jadwal.messages_csv"), lambda: to_csv_bytes(invites[["business_id", "name", "owner_name", "phone", "message", "link"]]),
                           file_name=f"undangan_{event_id}.csv", mime="text/csv", key="jadwal_msgs_csv", icon=":material/download:")

def events_for_download(conn) -> pd.DataFrame:
    frame = plans.events_csv_frame(conn, plan_id, names=True)
    if user.role == "staff":
        frame = frame[frame["regency_code"].str[:2].isin(user.provinces)]
    return frame


def invitations_for_download(conn) -> pd.DataFrame:
    frame = plans.invitations_csv_frame(conn, plan_id)
    return frame[frame["event_id"].isin(visible_events)]


visible_events = set(events["event_id"])
with tab_export:
    x1, x2, x3 = st.columns(3)
    x1.download_button(tr("jadwal.events_csv"), common.lazy(lambda c: to_csv_bytes(events_for_download(c))), file_name=f"acara_rencana_{plan_id}.csv",
                       mime="text/csv", key="jadwal_events_csv", icon=":material/download:")
    x2.download_button(tr("jadwal.events_xlsx"), common.lazy(lambda c: to_xlsx_bytes(events_for_download(c), "acara")), file_name=f"acara_rencana_{plan_id}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="jadwal_events_xlsx", icon=":material/table:")
    x3.download_button(tr("jadwal.invitations_csv"), common.lazy(lambda c: to_csv_bytes(invitations_for_download(c))), file_name=f"undangan_rencana_{plan_id}.csv",
                       mime="text/csv", key="jadwal_invitations_csv", icon=":material/download:")
    st.caption(tr("jadwal.export_help"))
db.conn.close()
