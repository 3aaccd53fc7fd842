"""Jejak audit (admin, leadership): search every recorded change, read it in words, export it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import audit
from planner.exports import to_csv_bytes, to_xlsx_bytes
from planner.i18n import WIB, fmt_datetime, fmt_int
from planner.reference import sector_labels

user = common.require_role("audit")
lang = common.lang()
db = common.get_db()
common.demo_banner(db, user)
st.title(tr("nav.audit"))

# What a person looks for, by the beginning of the stored action name.
GROUPS = ("login", "user.", "import.", "plan.", "event.", "report.", "followup.", "registration.", "business.", "partner.", "staff.",
          "model.", "scores.", "job.")

c1, c2, c3, c4 = st.columns([2, 1, 1.3, 1])
text = c1.text_input(tr("audit.text"), key="audit_text", placeholder=tr("audit.text_help"))
who = c2.text_input(tr("audit.who"), key="audit_who")
action = c3.selectbox(tr("audit.action"), [None, *GROUPS], key="audit_action",
                      format_func=lambda g: tr("audit.group.all") if g is None else tr(f"audit.group.{g.rstrip('.')}"))
since = c4.date_input(tr("audit.since"), value=common.today() - dt.timedelta(days=30), key="audit_since", format="DD/MM/YYYY")


SHOW = 1000
# The day starts at midnight WIB, the clock the times are shown in.
since_utc = dt.datetime.combine(since, dt.time(), WIB).astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def search(conn, limit: int = 1_000_000):
    return audit.search(conn, user, text=text or None, who=who or None, action=action or None, since=since_utc, limit=limit)


log = search(db, SHOW)
sectors = sector_labels(db, lang)
st.caption(tr("audit.count_more" if len(log) == SHOW else "audit.count", n=fmt_int(len(log))))
words = audit.in_words(log, lang, sectors=sectors)
# The columns a person reads first; the whole entry is below, for the row they pick.
table = words.assign(at=log["at"].map(lambda v: fmt_datetime(v, lang, seconds=True)), entity_key=log["entity_key"].fillna("–"))
columns = {"at": tr("audit.col.at"), "actor_text": tr("audit.col.actor"), "action_text": tr("audit.col.action"),
           "entity_text": tr("audit.col.entity"), "entity_key": tr("audit.col.entity_key"), "changes": tr("audit.col.changes")}
table = table[list(columns)].rename(columns=columns)
picked = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="audit_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config={
        columns["at"]: st.column_config.TextColumn(width=165),
        columns["actor_text"]: st.column_config.TextColumn(width=105),
        columns["action_text"]: st.column_config.TextColumn(width=190),
        columns["entity_text"]: st.column_config.TextColumn(width=115),
        columns["entity_key"]: st.column_config.TextColumn(width=90),
        columns["changes"]: st.column_config.TextColumn(width="large"),
    },
)
rows = [r for r in (picked.selection.rows if picked and picked.selection else []) if r < len(words)]  # a pick from before a new filter
if rows:
    entry = words.iloc[rows[0]]
    st.markdown(f"**{common.plain(entry['action_text'])}** · {fmt_datetime(entry['at'], lang, seconds=True)}")
    st.caption(tr("audit.detail_meta", n=int(entry["id"]), actor=common.plain(entry["actor_text"]), role=entry["role_text"],
                  entity=entry["entity_text"], entity_key=common.plain(entry["entity_key"] or "–"), note=common.plain(entry["detail_text"])))
    lines = audit.change_lines(entry["before"], entry["after"], lang, entity=entry["entity"], sectors=sectors, limit=None)
    if lines:
        st.markdown("\n".join(f"- {common.plain(line)}" for line in lines))
    else:
        st.caption(tr("audit.no_values"))
elif not log.empty:
    st.caption(tr("audit.pick"))
e1, e2, _ = st.columns([1, 1, 4])
e1.download_button(tr("sasaran.export_csv"), common.lazy(lambda c: to_csv_bytes(search(c))), file_name="audit.csv", mime="text/csv", key="audit_csv", icon=":material/download:")
e2.download_button(tr("sasaran.export_xlsx"), common.lazy(lambda c: to_xlsx_bytes(search(c), "audit")), file_name="audit.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_xlsx", icon=":material/table:")
db.conn.close()
