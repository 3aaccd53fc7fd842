"""Peluang: where is the coverage gap largest? Read controls -> planner.opportunity.rank -> render."""

from __future__ import annotations

import altair as alt
import numpy as np
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner.errors import PlannerError
from planner.exports import to_csv_bytes
from planner.i18n import fmt_int, fmt_num, fmt_pct
from planner.opportunity import BYS, COMPONENTS, LEVELS, SEGMENT_CHOICES, VIEW_TOPICS, Weights, ranked_view, totals


user = common.require_role("peluang")

db = common.get_db()
common.demo_banner(db, user)
provinces = common.province_names(db)

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
    # Shared, not copied: the page only reads the ranking and the tiles.
    # Each part of the ranking (potentials, businesses, contacts, partners) is kept until
    # its own tables change: an import of contacts does not read the businesses again.
    ranking, points = common.shared(db, ranked_view, level, by, segment, province, weights, common.lang(), topics=VIEW_TOPICS, parts=True)
    version = common.version_of(db, *VIEW_TOPICS)
except PlannerError as exc:
    st.error(common.plain(exc))
    st.stop()
finally:
    db.conn.close()
drawn = (version, level, by, segment, province, weights, common.lang())  # what the charts are drawn from

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
    # A sector's letter starts its name ('G · Perdagangan …'): no second column for it.
    column_order=[c for c in table.columns if not (by == "sector" and c == labels["code"])],
    column_config={
        labels["name"]: st.column_config.Column(width="medium" if by == "region" else "large"),  # sector names are long
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

def bars_chart():
    """The top rows (at most 30) as bars."""
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
    return (
        alt.Chart(chart_rows)
        .mark_bar()
        .encode(
            x=alt.X("uncovered:Q", title=tr("col.uncovered"), axis=alt.Axis(format=",.0f")),
            # Sorted by what the bars draw (the longest first), so the eye can run down them;
            # the rows were chosen by score, which the colour shows.
            y=alt.Y("name:N", sort=alt.SortField("uncovered", order="descending"), title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color("score:Q", title=tr("col.score"), scale=alt.Scale(scheme="oranges")),
            tooltip=tooltip,
        )
        .properties(height=alt.Step(22))
        .configure(locale=common.ALTAIR_LOCALE)
    )


st.subheader(tr("peluang.chart"))
st.caption(tr("peluang.chart_sorted", n=min(30, len(shown))))
common.chart(bars_chart, (*drawn, int(top_n)), key="peluang_bars")


def short_count(value: float) -> str:
    """9.295.418 -> '9,3 jt' ('9,3 mn'): a number that fits on a map tile."""
    if value >= 1e6:
        return tr("peluang.tile_million", n=fmt_num(value / 1e6, 1))
    if value >= 1e3:
        return tr("peluang.tile_thousand", n=fmt_int(value / 1e3))
    return fmt_int(value)


# measure -> (colour scheme, how a tile writes it, legend format); the darker colour is
# the larger opportunity: more uncovered workers, a higher score, a lower coverage.
# Uncovered workers on a square-root scale: Java's millions would otherwise leave every
# other province the same pale colour.
MEASURES = {
    "uncovered": ("oranges", short_count, ",.0f", False, "sqrt"),
    "score": ("purples", lambda v: fmt_num(v, 0), ",.0f", False, "linear"),
    "coverage_rate": ("reds", lambda v: fmt_pct(v, 0), ".0%", True, "linear"),
}


def tile_map(points, measure: str):
    """The 38 provinces as squares laid out like the archipelago, each with its short
    name and its value written on it, coloured by ``measure``: read without hovering,
    drawn offline (no tiles, no boundary files)."""
    scheme, write, legend_format, reverse, kind = MEASURES[measure]
    tiles = points.copy()
    has = tiles[measure].notna()
    tiles["value_txt"] = [write(v) if ok else "–" for v, ok in zip(tiles[measure], has)]
    tiles["uncovered_txt"] = tiles["uncovered"].map(lambda v: fmt_int(v) if v == v else "–")
    tiles["coverage_txt"] = tiles["coverage_rate"].map(lambda v: fmt_pct(v) if v == v else "–")
    tiles["score_txt"] = tiles["score"].map(lambda v: fmt_num(v, 1) if v == v else "–")
    lo, hi = (float(tiles.loc[has, measure].min()), float(tiles.loc[has, measure].max())) if has.any() else (0.0, 1.0)
    if hi <= lo:
        hi = lo + 1.0
    # Writing stays readable on the darkest third of the colour scale: white there.
    shape = np.sqrt if kind == "sqrt" else (lambda v: v)
    share = (shape(tiles[measure]) - shape(lo)) / (shape(hi) - shape(lo))
    dark = (1 - share if reverse else share) > 0.62
    tiles["ink"] = ["#ffffff" if d and ok else "#262730" for d, ok in zip(dark, has)]
    tiles["measure"] = tiles[measure]
    step = 66
    x = alt.X("col:O", axis=None, scale=alt.Scale(paddingInner=0.08))
    y = alt.Y("row:O", axis=None, scale=alt.Scale(paddingInner=0.08))
    hover = [alt.Tooltip("province:N", title=tr("col.name")), alt.Tooltip("uncovered_txt:N", title=tr("col.uncovered")),
             alt.Tooltip("coverage_txt:N", title=tr("col.coverage_rate")), alt.Tooltip("score_txt:N", title=tr("col.score"))]
    base = alt.Chart(tiles).encode(x=x, y=y, tooltip=hover)
    squares = base.mark_rect(cornerRadius=3).encode(
        color=alt.condition(
            "isValid(datum.measure)",
            alt.Color("measure:Q", title=tr(f"peluang.measure.{measure}"),
                      scale=alt.Scale(type=kind, scheme=scheme, domain=[lo, hi], reverse=reverse),
                      legend=alt.Legend(format=legend_format, orient="bottom", gradientLength=260, titleLimit=400)),
            alt.value("#eceff3"),
        )
    )
    names = base.mark_text(fontSize=11, fontWeight="bold", dy=-8).encode(text="label:N", fill=alt.Fill("ink:N", scale=None))
    values = base.mark_text(fontSize=10.5, dy=8).encode(text="value_txt:N", fill=alt.Fill("ink:N", scale=None))
    return (
        alt.layer(squares, names, values)
        .properties(width=alt.Step(step), height=alt.Step(step))
        .configure(locale=common.ALTAIR_LOCALE)
        .configure_view(stroke=None)
    )


if points is not None:
    st.subheader(tr("peluang.tiles_title"))
    measure = st.radio(tr("peluang.measure"), list(MEASURES), format_func=lambda m: tr(f"peluang.measure.{m}"), horizontal=True,
                       key="peluang_map_measure")
    st.caption(tr("peluang.tiles_help"))
    common.chart(lambda: tile_map(points, measure), (*drawn, measure), key="peluang_map", width="content")

st.caption(f"{fmt_int(len(ranking))} {tr('peluang.rows')}")
