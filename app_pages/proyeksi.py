"""Proyeksi: how many workers will this plan bring in, how sure are we, what does it cost
per worker, what does it mean for coverage, is it on track, what works, and what did it
measurably cause. Reads top to bottom as an answer; leadership changes nothing."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import reads
from planner.errors import PlannerError
from planner.i18n import fmt_date, fmt_int, fmt_month, fmt_num, fmt_pct, fmt_points, fmt_rupiah, fmt_rupiah_short, fmt_share
from planner.projection import brief, scenarios, uptake

user = common.require_role("proyeksi")
lang = common.lang()
db = common.get_db()
common.demo_banner(db, user)
st.title(tr("proj.title"))
st.caption(tr("proj.intro"))

listed = common.cached(db, reads.plan_list, user)
listed = listed[listed["events"] > 0]
if listed.empty:
    st.info(tr("proj.no_plans"), icon=":material/event_busy:")
    db.conn.close()
    st.stop()
labels = {r.plan_id: f"{r.name} · {tr('plan.' + r.status)} · {fmt_date(r.start_date, lang)} – {fmt_date(r.end_date, lang)}"
          for r in listed.itertuples()}
published = [p for p in labels if listed.set_index("plan_id").loc[p, "status"] == "published"]
plan_id = st.selectbox(tr("proj.plan"), list(labels), format_func=lambda p: labels[p], key="proyeksi_plan",
                       index=list(labels).index(published[0]) if published else 0)
with st.spinner(tr("proj.computing")):
    # Shared, not copied: computed once per version of the plan, its invitees and the model.
    proj = common.shared(db, reads.projection, user, plan_id, lang)
tot = proj.total()
cost = uptake.cost_per(proj)


def rng80(prefix: str, d: dict, f=fmt_int) -> str:
    return tr("proj.range", lo=f(d[f"{prefix}_p10"]), hi=f(d[f"{prefix}_p90"]), lo95=f(d[f"{prefix}_p2_5"]), hi95=f(d[f"{prefix}_p97_5"]))


# ---------------------------------------------------------------- the answer
m1, m2, m3, m4 = st.columns(4)
m1.metric(tr("proj.m_workers"), fmt_int(tot["workers"]), help=tr("proj.m_workers_help"))
m1.caption(rng80("workers", tot))
if proj.result.has_uplift:
    m2.metric(tr("proj.m_additional"), fmt_int(tot["additional_workers"]), help=tr("proj.m_additional_help"))
    m2.caption(rng80("additional_workers", tot))
else:
    m2.metric(tr("proj.m_additional"), "–", help=tr("proj.no_uplift"))
m3.metric(tr("proj.m_cost_worker"), fmt_rupiah_short(cost["per_worker"], lang), help=tr("proj.m_cost_help", cost=fmt_rupiah(proj.cost)))
m3.caption(tr("proj.cost_range", lo=fmt_rupiah_short(cost["per_worker_lo"], lang), hi=fmt_rupiah_short(cost["per_worker_hi"], lang),
              add=fmt_rupiah_short(cost["per_additional"], lang)))
m4.metric(tr("proj.m_contrib"), fmt_rupiah_short(tot["contributions"], lang), help=tr("proj.m_contrib_help"))
m4.caption(tr("proj.contrib_range", lo=fmt_rupiah_short(tot["contributions_p10"], lang), hi=fmt_rupiah_short(tot["contributions_p90"], lang)))
st.caption(tr("proj.sentence", events=fmt_int(proj.events), invitations=fmt_int(proj.invitations), businesses=fmt_int(tot["businesses"]),
              blo=fmt_int(tot["businesses_p10"]), bhi=fmt_int(tot["businesses_p90"]), members=fmt_int(proj.result.members),
              sims=fmt_int(proj.result.sims)))
if proj.calibrated_classes:
    st.caption(tr("proj.calibrated", classes=", ".join(tr(f"size.{c}") for c in proj.calibrated_classes)))

# ---------------------------------------------------------------- by month
months = proj.breakdown("month")
if not months.empty:
    st.subheader(tr("proj.by_month"))

    def month_chart():
        chart_df = months.rename(columns={"key": "month"}).sort_values("month")
        chart_df["month"] = [fmt_month(m, lang) for m in chart_df["month"]]
        base = alt.Chart(chart_df).encode(x=alt.X("month:N", title=tr("proj.month"), sort=list(chart_df["month"]), axis=alt.Axis(labelAngle=0)))
        bars = base.mark_bar(color="#4c78a8", opacity=0.85).encode(
            y=alt.Y("workers:Q", title=tr("proj.m_workers")),
            tooltip=[alt.Tooltip("month:N", title=tr("proj.month")), alt.Tooltip("workers:Q", title=tr("proj.expected"), format=",.0f"),
                     alt.Tooltip("workers_p10:Q", title="10%", format=",.0f"), alt.Tooltip("workers_p90:Q", title="90%", format=",.0f")])
        r95 = base.mark_rule(color="#333", strokeWidth=1).encode(y="workers_p2_5:Q", y2="workers_p97_5:Q")
        r80 = base.mark_rule(color="#111", strokeWidth=5).encode(y="workers_p10:Q", y2="workers_p90:Q")
        return (bars + r95 + r80).properties(height=260).configure(locale=common.ALTAIR_LOCALE)

    common.chart(month_chart, (common.version_of(db, *reads.topics("projection")), user, plan_id, lang), key="proyeksi_month_chart")
    st.caption(tr("proj.chart_help"))

# ---------------------------------------------------------------- what it means
st.subheader(tr("proj.meaning"))
cov = common.shared(db, reads.coverage, user, plan_id, lang)
nat = cov[cov["province"] == "ID"].set_index("segment")
c1, c2 = st.columns(2)
for col, seg in ((c1, "BPU"), (c2, "PU")):
    r = nat.loc[seg]
    col.metric(tr(f"proj.cov_{seg}"), fmt_share(r["expected"], r["now"]), delta=fmt_points(r["change"], lang), delta_color="off", delta_arrow="off",
               help=tr("proj.cov_help", now=fmt_share(r["now"]), lo=fmt_share(r["p2_5"], r["now"]), hi=fmt_share(r["p97_5"], r["now"])))
target = st.number_input(tr("proj.target"), min_value=0.0, max_value=100.0, value=20.0, step=0.5, key="proyeksi_target", help=tr("proj.target_help"))
goal = uptake.against_target(cov, target / 100.0, "BPU", "ID")
seg_bpu = proj.breakdown("segment").set_index("key")
bpu_workers = float(seg_bpu.loc["BPU", "workers"]) if "BPU" in seg_bpu.index else 0.0
st.markdown(common.plain(tr("proj.target_line", target=fmt_num(target, 1), now=fmt_share(goal["now"]), needed=fmt_int(goal["workers_needed"]),
                            plan=fmt_int(bpu_workers), share=fmt_share(bpu_workers / goal["workers_needed"], 0.0) if goal["workers_needed"] else "–")))
provs = cov[cov["province"].isin(set(proj.breakdown("province")["key"]))]
if not provs.empty:
    names = common.province_names(db)
    table = pd.DataFrame({
        tr("col.name"): provs["province"].map(names), tr("peluang.segment"): provs["segment"],
        tr("proj.col_now"): [fmt_share(v) for v in provs["now"]],
        tr("proj.col_after"): [fmt_share(e, n) for e, n in zip(provs["expected"], provs["now"])],
        tr("proj.col_change"): [fmt_points(v, lang) for v in provs["change"]],
        tr("proj.col_workers"): provs["workers"].round(1),
        tr("proj.col_range80"): [f"{fmt_int(a)}–{fmt_int(b)}" for a, b in zip(provs["workers_p10"], provs["workers_p90"])],
    })
    st.dataframe(common.styled(table, decimals={tr("proj.col_workers"): 1}), hide_index=True, width="stretch", key="proyeksi_coverage")

# ---------------------------------------------------------------- breakdowns
st.subheader(tr("proj.breakdowns"))
tabs = st.tabs([tr(f"proj.tab_{b}") for b in ("province", "regency", "sector", "segment", "partner_type")])
names = {"province": common.province_names(db), "regency": common.cached(db, reads.regency_names),
         "sector": common.cached(db, reads.sector_names, lang), "partner_type": None, "segment": None}
for tab, b in zip(tabs, ("province", "regency", "sector", "segment", "partner_type")):
    with tab:
        df = proj.breakdown(b).sort_values("workers", ascending=False)
        label = df["key"].map(lambda k: tr(f"ptype.{k}") if b == "partner_type" else tr(f"segment.{k}") if b == "segment" else names[b].get(k, k))
        view = pd.DataFrame({
            tr("col.name"): label, tr("proj.col_workers"): df["workers"].round(1),
            tr("proj.col_range80"): [f"{fmt_int(a)}–{fmt_int(c)}" for a, c in zip(df["workers_p10"], df["workers_p90"])],
            tr("proj.col_range95"): [f"{fmt_int(a)}–{fmt_int(c)}" for a, c in zip(df["workers_p2_5"], df["workers_p97_5"])],
            tr("proj.col_additional"): df["additional_workers"].round(1),
            tr("proj.col_businesses"): df["businesses"].round(1),
        })
        st.dataframe(common.styled(view, decimals={tr("proj.col_workers"): 1, tr("proj.col_additional"): 1, tr("proj.col_businesses"): 1}),
                     hide_index=True, width="stretch", key=f"proyeksi_{b}")

# ---------------------------------------------------------------- scenarios
st.subheader(tr("scen.title"))
st.caption(tr("scen.intro"))
can_plan = user.role in ("admin", "manager")
live = scenarios.current(db, plan_id)
if can_plan:
    hints = common.cached(db, reads.scenario_hints, user, plan_id)
    with st.expander(tr("scen.setup"), icon=":material/alt_route:", expanded=not live):
        kinds = st.multiselect(tr("scen.kinds"), hints["kinds"], default=hints["kinds"], format_func=lambda k: tr(f"scen.kindname_{k}"),
                               key="scen_kinds")
        pnames = common.province_names(db)
        s1, s2, s3 = st.columns(3)
        add = s1.selectbox(tr("scen.add_province"), hints["add"], format_func=lambda c: pnames.get(c, c), key="scen_add",
                           disabled="add_province" not in kinds) if hints["add"] else None
        drop = s2.selectbox(tr("scen.drop_province"), hints["drop"], format_func=lambda c: pnames.get(c, c), key="scen_drop",
                            disabled="drop_province" not in kinds) if len(hints["drop"]) > 1 else None
        extra = s3.number_input(tr("scen.extra_staff"), 1, 20, 1, key="scen_extra", disabled="more_staff" not in kinds)
        if st.button(tr("scen.start"), key="scen_start", type="primary", icon=":material/play_arrow:", help=tr("scen.start_help")):
            try:
                ids = scenarios.start(db, user, plan_id, kinds, add_province=add, drop_province=drop, extra_staff=int(extra), lang=lang)
            except PlannerError as exc:
                st.error(common.plain(exc))
            else:
                st.toast(tr("scen.started", n=fmt_int(len(ids))), icon=":material/alt_route:")
                st.rerun()


def scenario_projection(pid: int):
    return common.shared(db, reads.projection, user, pid, lang)


def scenario_table(frame: pd.DataFrame) -> None:
    def rng(v, lo, hi):
        return "–" if v != v else f"{fmt_int(v)} ({fmt_int(lo)}–{fmt_int(hi)})"

    def state(r) -> str:
        if r.state == "solving":
            return tr("scen.state_solving", progress=fmt_pct(r.progress or 0, 0))
        if r.state == "ready" and r.solver == "OPTIMAL":
            return tr("scen.state_optimal")
        if r.state == "ready" and r.gap is not None and r.gap == r.gap:
            return tr("scen.state_gap", gap=fmt_pct(r.gap, 1))
        return tr(f"scen.state_{r.state}") + (f": {common.plain(r.error)}" if r.error else "")

    view = pd.DataFrame({
        tr("scen.col_scenario"): [s + (" *" if stale else "") for s, stale in zip(frame["scenario"], frame["stale"])],
        tr("scen.col_events"): [fmt_int(v) if v == v else "–" for v in frame["events"]],
        tr("scen.col_cost"): [fmt_rupiah(v) if v == v else "–" for v in frame["cost"]],
        tr("scen.col_workers"): [rng(*v) for v in zip(frame["workers"], frame["workers_p10"], frame["workers_p90"])],
        tr("scen.col_additional"): [rng(*v) for v in zip(frame["additional"], frame["additional_p10"], frame["additional_p90"])],
        tr("scen.col_per_additional"): [fmt_rupiah(v) if v == v else "–" for v in frame["per_additional"]],
    })
    st.dataframe(view, hide_index=True, width="stretch", key="proyeksi_scenarios")
    st.markdown(f"**{tr('scen.col_changes')}**\n\n" + "\n".join(
        f"- **{r.scenario}** ({state(r)}){': ' + r.changes if r.changes else ''}" for r in frame.itertuples()))
    if frame["stale"].any():
        st.caption(tr("scen.stale"))
    ready = frame[frame["state"] == "ready"]
    metric = "additional" if ready["additional"].notna().all() else "workers"
    if len(ready) > 1:
        chart = ready.assign(order=range(len(ready)))
        title = tr("scen.chart_title") if metric == "additional" else tr("scen.chart_workers")
        base = alt.Chart(chart).encode(y=alt.Y("scenario:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320)))
        line = base.mark_rule(strokeWidth=4, color="#4c78a8").encode(x=alt.X(f"{metric}_p10:Q", title=title), x2=f"{metric}_p90:Q")
        dot = base.mark_point(filled=True, size=90, color="#111").encode(
            x=f"{metric}:Q", tooltip=[alt.Tooltip("scenario:N", title=tr("scen.col_scenario")),
                                      alt.Tooltip(f"{metric}:Q", title=title, format=",.0f"),
                                      alt.Tooltip(f"{metric}_p10:Q", title="10%", format=",.0f"),
                                      alt.Tooltip(f"{metric}_p90:Q", title="90%", format=",.0f")])
        st.altair_chart((line + dot).properties(height=40 + 34 * len(chart)).configure(locale=common.ALTAIR_LOCALE), width="stretch",
                        key="proyeksi_scenario_chart")
        st.caption(tr("scen.chart_help"))


@st.fragment(run_every=2.0)
def scenario_progress() -> None:
    states = common.with_db(lambda conn: [scenarios.running(conn, sid) for sid in scenarios.current(conn, plan_id)])
    if any(states):
        st.progress(1 - sum(states) / len(states), text=tr("scen.solving", done=fmt_int(len(states) - sum(states)), n=fmt_int(len(states))))
    else:
        st.rerun()


if not live:
    st.info(tr("scen.none") if can_plan else tr("scen.none_leader"), icon=":material/alt_route:")
else:
    if any(scenarios.running(db, sid) for sid in live):
        scenario_progress()
    scenario_table(scenarios.compare(db, user, plan_id, lang=lang, projector=scenario_projection))

# ---------------------------------------------------------------- plan against actual, what works, measured lift
reported = common.shared(db, reads.outcomes, user, plan_id)
pva, measured, works = reported["pva"], reported["measured"], reported["works"]
st.subheader(tr("proj.actual"))
if not pva["events_held"]:
    st.info(tr("proj.no_actual", reported=fmt_int(pva["events_reported"])), icon=":material/hourglass_empty:")
else:
    t_ = pva["total"]
    verdict = "ok" if t_["p2_5"] <= t_["registered"] <= t_["p97_5"] else ("below" if t_["registered"] < t_["p2_5"] else "above")
    (st.success if verdict == "ok" else st.warning)(tr(f"proj.actual_{verdict}", held=fmt_int(pva["events_held"]), registered=fmt_int(t_["registered"]),
                                                     expected=fmt_num(t_["expected"], 1), lo=fmt_int(t_["p2_5"]), hi=fmt_int(t_["p97_5"]),
                                                     walk_ins=fmt_int(t_["walk_ins"])))
    by = st.radio(tr("proj.actual_by"), ["month", "province", "partner_type"], format_func=lambda v: tr(f"proj.tab_{v}"), horizontal=True,
                  key="proyeksi_actual_by")
    df = pva[f"by_{by}"]
    label = df["key"].map(lambda k: tr(f"ptype.{k}") if by == "partner_type" else names["province"].get(k, k) if by == "province" else fmt_month(k, lang))
    st.dataframe(pd.DataFrame({
        tr("col.name"): label, tr("proj.col_events"): df["events"].astype(int), tr("proj.col_registered"): df["registered"].astype(int),
        tr("proj.col_expected"): [fmt_num(v, 1) for v in df["businesses"]],
        tr("proj.col_range95"): [f"{fmt_int(a)}–{fmt_int(c)}" for a, c in zip(df["businesses_p2_5"], df["businesses_p97_5"])],
        tr("proj.col_flag"): df["flag"].map({"below": tr("proj.flag_below"), "above": tr("proj.flag_above"), "": "✓"}),
        tr("proj.col_walk_ins"): df["walk_ins"].astype(int),
    }), hide_index=True, width="stretch", key="proyeksi_actual_table")
    f = reported["funnel"]

    def funnel_chart():
        steps = ["invited", "attended", "registered", "first_paid", "paying_3m"]
        funnel = pd.DataFrame({"step": [tr(f"proj.funnel_{s}") for s in steps], "n": [f[s] for s in steps], "order": range(5)})
        return alt.Chart(funnel).mark_bar(color="#54a24b").encode(
            y=alt.Y("step:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320)), x=alt.X("n:Q", title=tr("proj.funnel_n")),
            tooltip=[alt.Tooltip("step:N", title=""), alt.Tooltip("n:Q", title=tr("proj.funnel_n"), format=",")]).properties(height=180).configure(
            locale=common.ALTAIR_LOCALE)

    common.chart(funnel_chart, (common.version_of(db, *reads.topics("outcomes")), user, plan_id, lang), key="proyeksi_funnel")
    st.caption(tr("proj.funnel_help", known=fmt_int(f["known_3m"])))

st.subheader(tr("proj.works"))
if "partner_types" not in works:
    st.info(tr("proj.no_works"), icon=":material/hourglass_empty:")
else:
    pt = works["partner_types"]
    view = pd.DataFrame({
        tr("proj.col_type"): pt["partner_type"].map(lambda k: tr(f"ptype.{k}")), tr("proj.col_events"): pt["events"],
        tr("proj.col_registered"): pt["registrations"],
        tr("proj.col_per_event"): [f"{fmt_num(r, 1)} ({fmt_num(a, 1)}–{fmt_num(b, 1)})" for r, a, b in zip(pt["per_event"], pt["per_event_lo"], pt["per_event_hi"])],
        tr("proj.col_per_juta"): [f"{fmt_num(r, 2)} ({fmt_num(a, 2)}–{fmt_num(b, 2)})" for r, a, b in zip(pt["per_juta"], pt["per_juta_lo"], pt["per_juta_hi"])],
    })
    st.dataframe(view, hide_index=True, width="stretch", key="proyeksi_works")
    st.caption(tr("proj.works_help"))
if "channels" in works:
    ch = works["channels"]
    st.dataframe(pd.DataFrame({
        tr("proj.col_channel"): ch["channel"], tr("proj.col_contacts"): ch["contacts"],
        tr("proj.col_rate"): [f"{fmt_pct(r)} ({fmt_pct(a)}–{fmt_pct(b)})" for r, a, b in zip(ch["rate"], ch["rate_lo"], ch["rate_hi"])],
    }), hide_index=True, width="stretch", key="proyeksi_channels")

st.subheader(tr("proj.lift"))
m = measured["total"]
if measured["share"] is None:
    st.info(tr("proj.lift_draft"), icon=":material/science:")
elif not measured["share"]:
    st.warning(tr("proj.lift_zero"), icon=":material/warning:")
elif not m["controls"] or not m["invited"]:
    st.info(tr("proj.lift_wait", share=fmt_pct(measured["share"], 0)), icon=":material/hourglass_empty:")
else:
    l1, l2, l3 = st.columns(3)
    l1.metric(tr("proj.lift_measured"), fmt_points(m["lift"], lang), help=tr("proj.lift_help"))
    l1.caption(tr("proj.lift_range", lo=fmt_points(m["lift_lo"], lang), hi=fmt_points(m["lift_hi"], lang)))
    l2.metric(tr("proj.lift_predicted"), fmt_points(m["predicted"], lang))
    l3.metric(tr("proj.lift_groups"), f"{fmt_pct(m['invited_rate'])} / {fmt_pct(m['controls_rate'])}",
              help=tr("proj.lift_groups_help", invited=fmt_int(m["invited"]), controls=fmt_int(m["controls"]), seed=measured["seed"]))
    bpt = measured["by_partner_type"]
    if not bpt.empty:
        st.dataframe(pd.DataFrame({
            tr("proj.col_type"): bpt["partner_type"].map(lambda k: tr(f"ptype.{k}")), tr("proj.col_invited"): bpt["invited"],
            tr("proj.col_controls"): bpt["controls"],
            tr("proj.lift_measured"): [f"{fmt_points(v, lang)} ({fmt_points(a, lang)} – {fmt_points(b, lang)})" if v == v else tr("proj.lift_none")
                                       for v, a, b in zip(bpt["lift"], bpt["lift_lo"], bpt["lift_hi"])],
            tr("proj.lift_predicted"): [fmt_points(v, lang) for v in bpt["predicted"]],
        }), hide_index=True, width="stretch", key="proyeksi_lift")

# ---------------------------------------------------------------- take it to the meeting
st.divider()
d1, d2 = st.columns(2)
d1.download_button(tr("proj.pdf"), common.lazy(lambda c: brief.pdf(c, user, plan_id, lang=lang)), file_name=f"proyeksi_rencana_{plan_id}.pdf",
                   mime="application/pdf", key="proyeksi_pdf", icon=":material/picture_as_pdf:", type="primary")
d2.download_button(tr("proj.xlsx"), common.lazy(lambda c: brief.workbook(c, user, plan_id, lang=lang)), file_name=f"proyeksi_rencana_{plan_id}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="proyeksi_xlsx", icon=":material/table:")
db.conn.close()
