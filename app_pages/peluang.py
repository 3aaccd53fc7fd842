"""Peluang: where is the coverage gap largest? Read controls -> planner.opportunity.rank -> render."""

from __future__ import annotations

import altair as alt
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner.errors import PlannerError
from planner.exports import to_csv_bytes
from planner.i18n import fmt_int, fmt_num, fmt_pct
from planner.opportunity import BYS, COMPONENTS, LEVELS, SEGMENT_CHOICES, Weights, province_points, rank, totals


user = common.require_role("peluang")

@st.cache_data(show_spinner=False, max_entries=64)
def _rank_cached(version, level, by, segment, province, weights: tuple, lang):
    db = common.get_db()
    try:
        ranking = rank(db, level=level, by=by, segment=segment, province=province, weights=Weights(*weights), lang=lang)
        points = province_points(db, ranking) if level == "province" and by == "region" else None
    finally:
        db.conn.close()
    return ranking, points


db = common.get_db()
common.demo_banner(db, user)
provinces = common.province_names(db)
db.conn.close()

st.title(tr("peluang.title"))
st.caption(tr("peluang.intro"))

c1, c2, c3, c4 = st.columns([1, 1.2, 1.2, 1.4])
level = c1.radio(tr("peluang.level"), LEVELS, format_func=lambda v: tr(f"level.{v}"), key="peluang_level", horizontal=True)
by = c2.radio(tr("peluang.by"), BYS, format_func=lambda v: tr(f"by.{v}"), key="peluang_by", horizontal=True)
segment = c3.radio(tr("peluang.segment"), SEGMENT_CHOICES, format_func=lambda v: tr(f"segment.{v}"), key="peluang_segment", horizontal=True)

with st.expander(tr("peluang.weights"), icon=":material/tune:"):
    st.caption(tr("comp.help"))
    wcols = st.columns(len(COMPONENTS))
    defaults = Weights().as_dict()
    weights = tuple(
        # Whole numbers: a slider writes decimals with a point (3.00), never 3,0.
        float(wcols[i].slider(tr(f"comp.{comp}"), 0, 10, int(defaults[comp]), 1, key=f"peluang_w_{comp}"))
        for i, comp in enumerate(COMPONENTS)
    )

try:
    province = c4.selectbox(
        tr("peluang.province_filter"),
        [None, *provinces],
        format_func=lambda v: tr("peluang.all_provinces") if v is None else f"{v} · {provinces[v]}",
        key="peluang_province",
    )
    ranking, points = _rank_cached(common.data_version(), level, by, segment, province, weights, common.lang())
except PlannerError as exc:
    st.error(common.plain(exc))
    st.stop()

if ranking.empty:
    st.warning(tr("peluang.rows") + ": 0")
    st.stop()

tot = totals(ranking)
m1, m2, m3, m4 = st.columns(4)
m1.metric(tr("col.eligible"), fmt_int(tot["eligible"]))
m2.metric(tr("col.covered"), fmt_int(tot["covered"]))
m3.metric(tr("col.uncovered"), fmt_int(tot["uncovered"]))
m4.metric(tr("col.coverage_rate"), fmt_pct(tot["coverage_rate"]))

# One province at province level is a single row: the smallest choice must be 1.
top_n = st.number_input(tr("peluang.top"), min_value=1, max_value=max(1, len(ranking)), value=max(1, min(len(ranking), 38 if by == "region" else 20)),
                        step=5, key="peluang_top")
shown = ranking.head(int(top_n)).copy()

# Table: numbers stay numbers (sortable) and are displayed the Indonesian way.
comp_cols = [f"c_{c}" for c in COMPONENTS]
table = shown[["rank", "code", "name", "eligible", "covered", "uncovered", "coverage_rate", "score", *comp_cols]].copy()
table[comp_cols] = (table[comp_cols] * 100).round(0)
labels = {
    "rank": tr("col.rank"),
    "code": tr("col.code"),
    "name": tr("col.name"),
    "eligible": tr("col.eligible"),
    "covered": tr("col.covered"),
    "uncovered": tr("col.uncovered"),
    "coverage_rate": tr("col.coverage_rate"),
    "score": tr("col.score"),
    **{f"c_{c}": tr(f"comp.{c}") for c in COMPONENTS},
}
table = table.rename(columns=labels)
st.dataframe(
    common.styled(
        table,
        ints=[labels["eligible"], labels["covered"], labels["uncovered"], *[labels[c] for c in comp_cols]],
        pcts=[labels["coverage_rate"]],
        decimals={labels["score"]: 1},
    ),
    hide_index=True,
    width="stretch",
    height=min(len(table), 40) * 35 + 38,  # every province visible without scrolling
    key="peluang_table",
    column_config={
        labels["name"]: st.column_config.Column(width="medium"),
        **{labels[c]: st.column_config.Column(help=tr("comp.help")) for c in comp_cols},
    },
)
st.download_button(
    tr("peluang.download"),
    lambda: to_csv_bytes(ranking),
    file_name=f"peluang_{level}_{by}_{segment}.csv",
    mime="text/csv",
    key="peluang_download",
    icon=":material/download:",
)

chart_rows = shown.head(30).copy()
chart_rows["uncovered_txt"] = chart_rows["uncovered"].map(fmt_int)
chart_rows["coverage_txt"] = chart_rows["coverage_rate"].map(fmt_pct)
chart_rows["score_txt"] = chart_rows["score"].map(lambda v: fmt_num(v, 1))
tooltip = [
    alt.Tooltip("name:N", title=tr("col.name")),
    alt.Tooltip("uncovered_txt:N", title=tr("col.uncovered")),
    alt.Tooltip("coverage_txt:N", title=tr("col.coverage_rate")),
    alt.Tooltip("score_txt:N", title=tr("col.score")),
]
left, right = st.container(), (st.container() if points is not None else None)
with left:
    st.subheader(tr("peluang.chart"))
    st.caption(tr("peluang.chart_note", n=len(chart_rows)))
    bars = (
        alt.Chart(chart_rows)
        .mark_bar()
        .encode(
            x=alt.X("uncovered:Q", title=tr("col.uncovered"), axis=alt.Axis(format=",.0f")),
            y=alt.Y("name:N", sort=alt.SortField("score", order="descending"), title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color("score:Q", title=tr("col.score"), scale=alt.Scale(scheme="oranges")),
            tooltip=tooltip,
        )
        .properties(height=alt.Step(22))
        .configure(locale=common.ALTAIR_LOCALE)
    )
    st.altair_chart(bars, width="stretch", key="peluang_bars")

if points is not None and right is not None:
    with right:
        st.subheader(tr("peluang.map"))
        pts = points.copy()
        pts["uncovered_txt"] = pts["uncovered"].map(fmt_int)
        pts["coverage_txt"] = pts["coverage_rate"].map(fmt_pct)
        pts["score_txt"] = pts["score"].map(lambda v: fmt_num(v, 1))
        # No tiles and no boundary files: a graticule over Indonesia's extent and one dot per
        # province capital, so the map works without internet. The projection fits the layers.
        projection = {"type": "mercator"}
        grid = (
            alt.Chart(alt.graticule(extent=[[94, -11.5], [141.5, 6.5]], step=[5, 5]))
            .mark_geoshape(stroke="#e3e3e3", strokeWidth=0.6, fill=None)
            .project(**projection)
        )
        dots = (
            alt.Chart(pts)
            .mark_circle(opacity=0.8, stroke="#5b3000", strokeWidth=0.5)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                size=alt.Size("uncovered:Q", scale=alt.Scale(range=[30, 1600]), legend=None),
                color=alt.Color("coverage_rate:Q", title=tr("col.coverage_rate"), scale=alt.Scale(scheme="redyellowgreen", domain=[0.1, 0.7]), legend=alt.Legend(format=".0%")),
                tooltip=[alt.Tooltip("name:N", title=tr("col.name"))] + tooltip[1:],
            )
            .project(**projection)
        )
        # The top three carry their rank, not their name: the leaders are often neighbours on
        # Java, and three names there overlapped. Names are in the tooltip and the table.
        labels_layer = (
            alt.Chart(pts.nsmallest(3, "rank"))
            .mark_text(dy=-14, fontSize=12, fontWeight="bold", color="#333")
            .encode(longitude="lon:Q", latitude="lat:Q", text="rank:N")
            .project(**projection)
        )
        st.altair_chart(
            alt.layer(grid, dots, labels_layer).properties(height=380).configure(locale=common.ALTAIR_LOCALE).configure_view(stroke=None),
            width="stretch",
            key="peluang_map",
        )

st.caption(f"{fmt_int(len(ranking))} {tr('peluang.rows')}")
