"""Jejak audit (admin, leadership): search every recorded change and export it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import audit
from planner.exports import to_csv_bytes, to_xlsx_bytes
from planner.i18n import WIB, fmt_datetime, fmt_int

user = common.require_role("audit")
db = common.get_db()
common.demo_banner(db, user)
st.title(tr("nav.audit"))

c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
text = c1.text_input(tr("audit.text"), key="audit_text", placeholder=tr("audit.text_help"))
who = c2.text_input(tr("audit.who"), key="audit_who")
action = c3.text_input(tr("audit.action"), key="audit_action", placeholder="import, user., login")
since = c4.date_input(tr("audit.since"), value=common.today() - dt.timedelta(days=30), key="audit_since", format="DD/MM/YYYY")


SHOW = 1000
# The day starts at midnight WIB, the clock the times are shown in.
since_utc = dt.datetime.combine(since, dt.time(), WIB).astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def search(conn, limit: int = 1_000_000):
    return audit.search(conn, user, text=text or None, who=who or None, action=action or None, since=since_utc, limit=limit)


log = search(db, SHOW)
st.caption(tr("audit.count_more" if len(log) == SHOW else "audit.count", n=fmt_int(len(log))))
shown = log.assign(at=log["at"].map(lambda v: fmt_datetime(v, common.lang(), seconds=True)), role=log["role"].map(lambda r: tr(f"role.{r}")),
                   before=log["before"].fillna(""), after=log["after"].fillna(""), detail=log["detail"].fillna(""))
st.dataframe(
    shown.rename(columns={c: tr(f"audit.col.{c}") for c in shown.columns}),
    hide_index=True,
    width="stretch",
    key="audit_table",
    column_config={tr("audit.col.before"): st.column_config.TextColumn(width="medium"), tr("audit.col.after"): st.column_config.TextColumn(width="medium")},
)
e1, e2, _ = st.columns([1, 1, 4])
e1.download_button(tr("sasaran.export_csv"), common.lazy(lambda c: to_csv_bytes(search(c))), file_name="audit.csv", mime="text/csv", key="audit_csv", icon=":material/download:")
e2.download_button(tr("sasaran.export_xlsx"), common.lazy(lambda c: to_xlsx_bytes(search(c), "audit")), file_name="audit.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_xlsx", icon=":material/table:")
db.conn.close()
