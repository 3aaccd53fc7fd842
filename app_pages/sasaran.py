"""Sasaran: who to invite. Filters -> planner.targets -> table, model card, exports."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import jobs, reads, scoring
from planner.errors import PlannerError
from planner.exports import to_csv_bytes, to_xlsx_bytes
from planner.i18n import fmt_date, fmt_int, fmt_num
from planner.targets import SORTS, target_page, targets
from planner.vocabulary import SIZE_CLASSES

SHOW = 1000  # rows in the table; the downloads hold every row

user = common.require_role("sasaran")
db = common.get_db()
common.demo_banner(db, user)
st.title(tr("sasaran.title"))
st.caption(tr("sasaran.intro"))


can_train = user.role in ("admin", "manager")


def retrain() -> None:
    """Retrain and rescore in a background job: the page stays usable, and the work
    finishes even when the person leaves the page (they see its progress when back)."""
    try:
        st.session_state["sasaran_job"] = jobs.start(db, user, "train", {}, lang=common.lang())
    except PlannerError as exc:
        st.error(common.plain(exc))
    else:
        st.rerun()


@st.fragment(run_every=1.0)
@common.guarded
def train_progress(job_id: int) -> None:
    job = common.with_db(jobs.get, user, job_id)
    if job["status"] not in jobs.ACTIVE:
        st.rerun()
    st.progress(float(job["progress"] or 0), text=tr("sasaran.scoring_bg") if job["message"] == "score" else tr("sasaran.training"))


training = jobs.latest(db, user, "train") if can_train else None
if training is not None and training["status"] in jobs.ACTIVE:
    train_progress(training["job_id"])
elif training is not None and st.session_state.get("sasaran_job") == training["job_id"]:
    st.session_state.pop("sasaran_job")  # say how it ended once
    if training["status"] == "done":
        out = training["result"] or {}
        st.success(common.plain(tr("sasaran.done", n=fmt_int(out.get("scored", 0)), version=out.get("version", "")) + " " + out.get("message", "")))
        if out.get("note"):
            st.warning(common.plain(out["note"]))
        if out.get("uplift_note"):
            st.info(common.plain(out["uplift_note"]))
    else:
        st.error(common.plain(training["error"] or ""), icon=":material/error:")
busy = training is not None and training["status"] in jobs.ACTIVE


if not common.cached(db, reads.has_scores):
    st.info(tr("sasaran.no_scores"), icon=":material/model_training:")
    if can_train and not busy and st.button(tr("sasaran.retrain"), type="primary", key="sasaran_retrain_first", icon=":material/model_training:"):
        retrain()
    if not common.cached(db, reads.has_scores):
        db.conn.close()
        st.stop()

provinces = common.province_names(db)
sectors = common.cached(db, reads.sector_names, common.lang())
f1, f2, f3 = st.columns(3)
# Staff see their own province(s) only; everyone else may pick any or all.
province_options = list(user.provinces) if user.role == "staff" else [None, *provinces]
province = f1.selectbox(tr("peluang.province_filter"), province_options, format_func=lambda v: tr("peluang.all_provinces") if v is None else f"{v} · {provinces[v]}", key="sasaran_province")
regencies = common.cached(db, reads.regency_names, province) if province else {}
regency = f2.selectbox(tr("sasaran.regency"), [None, *regencies], format_func=lambda v: tr("sasaran.all_regencies") if v is None else f"{v} · {regencies[v]}", key="sasaran_regency", disabled=not province)
chosen_sectors = f3.multiselect(tr("sasaran.sectors"), list(sectors), format_func=lambda v: f"{v} · {sectors[v]}", key="sasaran_sectors", select_all=False, placeholder=tr("sasaran.any"))
g1, g2, g3 = st.columns(3)
sizes = g1.multiselect(tr("sasaran.sizes"), SIZE_CLASSES, key="sasaran_sizes", select_all=False, placeholder=tr("sasaran.any"))
segment = g2.radio(tr("sasaran.segment"), [None, "PU", "BPU"], format_func=lambda v: tr("sasaran.segment_any") if v is None else tr(f"segment.{v}"), horizontal=True, key="sasaran_segment")
sort = g3.radio(tr("sasaran.sort"), SORTS, format_func=lambda v: tr(f"sort.{v}"), horizontal=True, key="sasaran_sort")

try:
    total, found = common.cached(db, target_page, user, limit=SHOW, lang=common.lang(), province=province, regency=regency,
                                 sectors=tuple(chosen_sectors), sizes=tuple(sizes), segment=segment, sort=sort)
    model = common.shared(db, reads.model_summary, user)
    if model is None:
        scoring.active_version(db)  # says there is no active model yet, and how to train one
except PlannerError as exc:
    st.error(common.plain(exc))
    st.stop()

st.caption(tr("sasaran.count", n=fmt_int(total), shown=fmt_int(min(total, SHOW))))
active_card = model["card"]
fallback = scoring.uplift_note(active_card, common.lang())
if fallback:
    st.info(common.plain(fallback), icon=":material/info:")
extrapolated = scoring.overlap_note(active_card, common.lang())
if extrapolated:
    st.warning(common.plain(extrapolated), icon=":material/warning:")
# The scores next to the name, where the eye starts: on a laptop the last columns of a wide
# table are off screen. The province only when the list spans more than one.
order = ["business_id", "name", "p_enroll", "uplift", "expected_additional", "regency", "sector", "size_class", "workers", "segment",
         *([] if province else ["province"]), "reasons"]
labels = {c: tr(f"col.{c}") for c in order}
shown = found[order].rename(columns=labels)
st.dataframe(
    common.styled(shown, ints=[labels["workers"]], pcts=[labels["p_enroll"], labels["uplift"]], decimals={labels["expected_additional"]: 1}),
    hide_index=True,
    width="stretch",
    height=420,
    key="sasaran_table",
    column_config={labels["reasons"]: st.column_config.TextColumn(width="large"), labels["name"]: st.column_config.TextColumn(width="medium")},
)
e1, e2, _ = st.columns([1, 1, 4])

def export(conn) -> pd.DataFrame:
    return targets(conn, province=province, regency=regency, sectors=chosen_sectors, sizes=sizes, segment=segment, sort=sort,
                   lang=common.lang()).drop(columns=["regency_code"])


e1.download_button(tr("sasaran.export_csv"), common.lazy(lambda c: to_csv_bytes(export(c))), file_name="sasaran.csv", mime="text/csv", key="sasaran_csv", icon=":material/download:")
e2.download_button(tr("sasaran.export_xlsx"), common.lazy(lambda c: to_xlsx_bytes(export(c), "sasaran")), file_name="sasaran.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="sasaran_xlsx", icon=":material/table:")

# ---------------------------------------------------------------- model card
st.divider()
st.subheader(tr("sasaran.model"))
version = model["version"]
card = model["card"]
st.write(
    tr(
        "sasaran.model_line",
        version=version,
        kind=card["kind"],
        created=fmt_date(card["created"], common.lang()),
        rows=fmt_int(card["rows"]),
        positives=fmt_int(card["positives"]),
        sk=card["sklearn_version"],
    )
)
if card["kind"] == "rates":
    st.warning(tr("sasaran.cold", reason=common.plain(card.get("cold_start_reason", ""))))
else:
    feats = card["features"]
    st.caption(f"{tr('sasaran.features')}: " + common.plain(", ".join(feats["categorical"] + feats["numeric"])))  # column names come from imported files
    if scoring.choice_note(card, common.lang()):
        st.caption(scoring.choice_note(card, common.lang()))
    if scoring.reasons_note(card, common.lang()):
        st.caption(scoring.reasons_note(card, common.lang()))
    rows = []
    for block in ("cv", "time_split"):
        for who in ("model", "baseline"):
            m = card["metrics"].get(block, {}).get(who)
            if m:
                rows.append({tr("metric.validation"): tr(f"val.{block}"), tr("metric.who"): tr(f"who.{who}"),
                             "ROC AUC": fmt_num(m["roc_auc"], 3), "PR AUC": fmt_num(m["pr_auc"], 3), "Brier": fmt_num(m["brier"], 4),
                             "Lift 10%": fmt_num(m["lift_10"], 2) + "×", "Lift 20%": fmt_num(m["lift_20"], 2) + "×"})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="sasaran_metrics")
    c1, c2 = st.columns(2)
    cal = pd.DataFrame(card["metrics"]["cv"]["model"]["calibration"])
    if not cal.empty:
        with c1:
            st.markdown(f"**{tr('sasaran.calibration')}**")

            def calibration_chart():
                diag = alt.Chart(pd.DataFrame({"x": [0, cal[["predicted", "observed"]].max().max()]})).mark_line(strokeDash=[4, 4], color="#999").encode(x="x:Q", y="x:Q")
                pts = alt.Chart(cal).mark_line(point=True, color="#d35400").encode(
                    x=alt.X("predicted:Q", title=tr("col.p_enroll"), axis=alt.Axis(format=".0%")),
                    y=alt.Y("observed:Q", title=tr("cal.observed"), axis=alt.Axis(format=".0%")),
                    tooltip=[alt.Tooltip("predicted:Q", format=".1%"), alt.Tooltip("observed:Q", format=".1%"), alt.Tooltip("rows:Q", format=",")],
                )
                return (diag + pts).properties(height=260).configure(locale=common.ALTAIR_LOCALE)

            common.chart(calibration_chart, (common.db_path(), version, common.lang()), key="sasaran_cal")
    up = card.get("uplift", {})
    with c2:
        if up.get("available"):
            st.markdown(f"**{tr('sasaran.qini')}**")

            def qini_chart():
                curves = pd.concat(
                    [pd.DataFrame({"x": v["curve_x"], "y": v["curve_y"], "learner": f"{k.upper()}-learner (Qini {fmt_num(v['qini'], 3)})"}) for k, v in up["learners"].items()]
                    + [pd.DataFrame({"x": [0, 1], "y": [0, list(up["learners"].values())[0]["curve_y"][-1]], "learner": tr("qini.random")})]
                )
                chart = alt.Chart(curves).mark_line().encode(
                    x=alt.X("x:Q", title=tr("qini.x"), axis=alt.Axis(format=".0%")),
                    y=alt.Y("y:Q", title=tr("qini.y")),
                    color=alt.Color("learner:N", title=None, legend=alt.Legend(orient="bottom")),
                )
                return chart.properties(height=260).configure(locale=common.ALTAIR_LOCALE)

            common.chart(qini_chart, (common.db_path(), version, common.lang()), key="sasaran_qini")
        elif up:
            st.info(tr("sasaran.no_uplift", reason=common.plain(scoring.uplift_reason(card, common.lang()))))

previous = model["previous"]
if previous:
    diff = model["diff"]
    with st.expander(tr("sasaran.changes", old=previous)):
        st.write(
            tr(
                "sasaran.diff_line",
                old_rows=fmt_int(diff["rows"][0] or 0),
                new_rows=fmt_int(diff["rows"][1] or 0),
                added=common.plain(", ".join(diff["features_added"]) or "–"),
                removed=common.plain(", ".join(diff["features_removed"]) or "–"),
            )
        )
        st.dataframe(
            pd.DataFrame(diff["metrics"]).assign(
                old=lambda d: d["old"].map(lambda v: fmt_num(v, 3)), new=lambda d: d["new"].map(lambda v: fmt_num(v, 3)),
                change=lambda d: d["change"].map(lambda v: ("+" if v and v > 0 else "") + fmt_num(v, 3)),
            ),
            hide_index=True,
            width="stretch",
            key="sasaran_diff",
        )

if can_train and not busy and st.button(tr("sasaran.retrain"), key="sasaran_retrain", help=tr("sasaran.retrain_help"), icon=":material/model_training:"):
    retrain()
db.conn.close()
