"""The projection to take to a meeting: a PDF brief of one to three pages (headline
numbers with their intervals, the monthly chart, the province table, plan against actual
and the measured lift) and an XLSX workbook of every table.

Charts are Altair specifications rendered to PNG offline by vl-convert (no browser, no
network); the PDF is laid out with fpdf2 in DejaVu Sans so Indonesian names print.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import altair as alt
import pandas as pd
import sqlite_utils

from planner import plans
from planner.auth import User, require
from planner.exports import neutralise
from planner.i18n import DEFAULT_LANG, WIB, fmt_date, fmt_int, fmt_month, fmt_num, fmt_pct, fmt_points, fmt_rupiah, fmt_share, t
from planner.projection import actuals, lift, uptake

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
ALTAIR_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]}}


def _collect(db: sqlite_utils.Database, actor: User, plan_id: int, lang: str) -> dict:
    require(actor, "admin", "manager", "leadership", lang=lang)
    proj = uptake.project(db, actor, plan_id, lang=lang)
    return {
        "plan": plans.get_plan(db, plan_id), "proj": proj, "cov": uptake.coverage(db, proj), "cost": uptake.cost_per(proj),
        "actual": actuals.plan_vs_actual(db, actor, plan_id), "lift": lift.measured(db, actor, plan_id),
        "works": actuals.what_works(db, actor), "provinces": dict(db.execute("SELECT code, name_common FROM provinces").fetchall()),
    }


def month_chart(months: pd.DataFrame, lang: str) -> alt.Chart:
    """Expected newly enrolled workers per month, with the 80% (thick) and 95% (thin) ranges."""
    df = months.rename(columns={"key": "month"}).sort_values("month")
    df["month"] = [fmt_month(m, lang) for m in df["month"]]
    base = alt.Chart(df).encode(x=alt.X("month:N", title=t("proj.month", lang), sort=list(df["month"]), axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(color="#4c78a8", opacity=0.85).encode(y=alt.Y("workers:Q", title=t("proj.m_workers", lang)))
    r95 = base.mark_rule(color="#333", strokeWidth=1).encode(y="workers_p2_5:Q", y2="workers_p97_5:Q")
    r80 = base.mark_rule(color="#111", strokeWidth=5).encode(y="workers_p10:Q", y2="workers_p90:Q")
    return (bars + r95 + r80).properties(width=460, height=200).configure(locale=ALTAIR_LOCALE)


def chart_png(chart: alt.Chart, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def pdf(db: sqlite_utils.Database, actor: User, plan_id: int, *, lang: str = DEFAULT_LANG, font_dir: Path | None = None) -> bytes:
    """The brief as PDF bytes (one to three A4 pages)."""
    from fpdf import FPDF

    d = _collect(db, actor, plan_id, lang)
    proj, tot, cost, plan = d["proj"], d["proj"].total(), d["cost"], d["plan"]
    folder = font_dir or FONT_DIR
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    unicode_font = regular.is_file() and bold.is_file()
    family = "DejaVu" if unicode_font else "helvetica"

    def txt(s: object) -> str:
        s = "" if s is None else str(s)
        return s if unicode_font else s.encode("latin-1", "replace").decode("latin-1")

    class Brief(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(family, "", 7.5)
            self.cell(0, 5, txt(t("brief.footer", lang, page=self.page_no(), n="{nb}", model=proj.model_version or "–",
                                  sims=fmt_int(proj.result.sims), members=fmt_int(proj.result.members))), align="C")

    doc = Brief(orientation="P", unit="mm", format="A4")
    doc.set_margins(14, 12, 14)
    doc.set_auto_page_break(True, margin=16)
    doc.alias_nb_pages()
    doc.set_title(txt(t("brief.title", lang, plan=plan.name)))
    doc.set_creator("Jangkau")
    if unicode_font:
        doc.add_font("DejaVu", "", str(regular))
        doc.add_font("DejaVu", "B", str(bold))
    doc.add_page()

    def heading(s: str, size: float = 12) -> None:
        doc.set_font(family, "B", size)
        doc.multi_cell(0, size * 0.5, txt(s), new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    def para(s: str, size: float = 9.5) -> None:
        doc.set_font(family, "", size)
        doc.multi_cell(0, size * 0.48, txt(s), new_x="LMARGIN", new_y="NEXT")
        doc.ln(1.5)

    def table(head: list[str], rows: list[list[str]], widths: list[float]) -> None:
        doc.set_font(family, "B", 8)
        for h, w in zip(head, widths):
            doc.cell(w, 6, txt(h), border="B")
        doc.ln()
        doc.set_font(family, "", 8)
        for r in rows:
            for v, w in zip(r, widths):
                doc.cell(w, 5.2, txt(v))
            doc.ln()
        doc.ln(2)

    doc.set_font(family, "B", 16)
    doc.cell(0, 8, txt(t("brief.title", lang, plan=plan.name)), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(family, "", 9)
    doc.cell(0, 5, txt(t("brief.subtitle", lang, start=fmt_date(plan.rules.start, lang), end=fmt_date(plan.rules.end, lang),
                         status=t(f"plan.{plan.status}", lang), today=fmt_date(dt.datetime.now(WIB).date(), lang))),
             new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    heading(t("brief.answer", lang))
    add = tot["additional_workers"]
    para(t("brief.headline", lang, workers=fmt_int(tot["workers"]), lo=fmt_int(tot["workers_p10"]), hi=fmt_int(tot["workers_p90"]),
           lo95=fmt_int(tot["workers_p2_5"]), hi95=fmt_int(tot["workers_p97_5"]), businesses=fmt_int(tot["businesses"]),
           events=fmt_int(proj.events), invitations=fmt_int(proj.invitations), cost=fmt_rupiah(proj.cost)))
    if add == add:
        para(t("brief.additional", lang, additional=fmt_int(add), lo=fmt_int(tot["additional_workers_p10"]), hi=fmt_int(tot["additional_workers_p90"]),
               per=fmt_rupiah(cost["per_additional"])))
    para(t("brief.cost", lang, per=fmt_rupiah(cost["per_worker"]), lo=fmt_rupiah(cost["per_worker_lo"]), hi=fmt_rupiah(cost["per_worker_hi"]),
           contrib=fmt_rupiah(tot["contributions"]), clo=fmt_rupiah(tot["contributions_p10"]), chi=fmt_rupiah(tot["contributions_p90"])))
    nat = d["cov"][d["cov"]["province"] == "ID"].set_index("segment")
    if "BPU" in nat.index:
        r = nat.loc["BPU"]
        para(t("brief.coverage", lang, now=fmt_share(r["now"]), after=fmt_share(r["expected"], r["now"]), change=fmt_points(r["change"], lang)))
    para(t("brief.intervals", lang))
    months = proj.breakdown("month")
    if len(months):
        heading(t("proj.by_month", lang), 11)
        png = chart_png(month_chart(months, lang))
        doc.image(io.BytesIO(png), w=150)
        doc.ln(2)
    heading(t("brief.provinces", lang), 11)
    cov = d["cov"]
    rows = []
    for _, r in proj.breakdown("province").sort_values("workers", ascending=False).iterrows():
        bpu = cov[(cov["province"] == r["key"]) & (cov["segment"] == "BPU")]
        change = fmt_points(bpu["change"].iloc[0], lang) if len(bpu) else "–"
        rows.append([d["provinces"].get(r["key"], r["key"]), fmt_num(r["workers"], 1), f"{fmt_int(r['workers_p10'])}–{fmt_int(r['workers_p90'])}",
                     f"{fmt_int(r['workers_p2_5'])}–{fmt_int(r['workers_p97_5'])}", fmt_num(r["additional_workers"], 1), change])
    table([t("col.name", lang), t("proj.col_workers", lang), t("proj.col_range80", lang), t("proj.col_range95", lang),
           t("proj.col_additional", lang), t("brief.col_bpu_change", lang)], rows[:25], [46, 24, 26, 26, 26, 32])
    heading(t("proj.actual", lang), 11)
    a = d["actual"]
    if not a["events_held"]:
        para(t("proj.no_actual", lang, reported=fmt_int(a["events_reported"])))
    else:
        ta = a["total"]
        para(t("proj.cli_actual", lang, plan=plan.plan_id, held=fmt_int(a["events_held"]), registered=fmt_int(ta["registered"]),
               expected=fmt_num(ta["expected"], 1), p10=fmt_int(ta["p10"]), p90=fmt_int(ta["p90"]), p2_5=fmt_int(ta["p2_5"]),
               p97_5=fmt_int(ta["p97_5"]), walk_ins=fmt_int(ta["walk_ins"])))
        rows = [[fmt_month(r.key, lang), fmt_int(r.registered), fmt_num(r.businesses, 1), f"{fmt_int(r.businesses_p2_5)}–{fmt_int(r.businesses_p97_5)}",
                 {"below": t("proj.flag_below", lang), "above": t("proj.flag_above", lang)}.get(r.flag, "✓")] for r in a["by_month"].itertuples()]
        table([t("proj.month", lang), t("proj.col_registered", lang), t("proj.col_expected", lang), t("proj.col_range95", lang),
               t("proj.col_flag", lang)], rows, [30, 30, 30, 40, 50])
    m = d["lift"]["total"]
    heading(t("proj.lift", lang), 11)
    if d["lift"]["share"] and m["controls"] and m["invited"]:
        para(t("brief.lift", lang, lift=fmt_points(m["lift"], lang), lo=fmt_points(m["lift_lo"], lang), hi=fmt_points(m["lift_hi"], lang),
               predicted=fmt_points(m["predicted"], lang), invited=fmt_int(m["invited"]), controls=fmt_int(m["controls"])))
    else:
        para(t("proj.lift_draft" if d["lift"]["share"] is None else "proj.lift_zero" if not d["lift"]["share"] else "proj.lift_wait", lang,
               share=fmt_pct(d["lift"]["share"] or 0, 0)))
    return bytes(doc.output())


def workbook(db: sqlite_utils.Database, actor: User, plan_id: int, *, lang: str = DEFAULT_LANG) -> bytes:
    """Every table of the projection in one XLSX (formula-safe)."""
    d = _collect(db, actor, plan_id, lang)
    proj = d["proj"]
    sheets = {t("brief.sheet_total", lang): pd.DataFrame([proj.total()])}
    for b in uptake.BREAKDOWNS:
        sheets[t(f"brief.sheet_{b}", lang)] = proj.breakdown(b)
    sheets[t("brief.sheet_coverage", lang)] = d["cov"]
    for k in ("by_month", "by_province", "by_partner_type"):
        if k in d["actual"]:
            sheets[t(f"brief.sheet_actual_{k}", lang)] = d["actual"][k]
    for k, df in d["works"].items():
        sheets[t(f"brief.sheet_works_{k}", lang)] = df
    sheets[t("brief.sheet_lift", lang)] = pd.DataFrame([d["lift"]["total"]])
    if not d["lift"]["by_partner_type"].empty:
        sheets[t("brief.sheet_lift_types", lang)] = d["lift"]["by_partner_type"]
    from planner.projection import scenarios

    if scenarios.current(db, plan_id):
        sheets[t("scen.sheet", lang)] = scenarios.compare(db, actor, plan_id, lang=lang)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            neutralise(df).to_excel(xw, index=False, sheet_name=name[:31])
    return buf.getvalue()
