"""Pengguna (admin): accounts, roles, provinces; add, disable, reset passwords."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import auth
from planner.errors import PlannerError
from planner.i18n import fmt_datetime

user = common.require_role("pengguna")
db = common.get_db()
st.title(tr("nav.pengguna"))

provinces = common.province_names(db)
left, right = st.columns(2)
with left.form("pengguna_add", clear_on_submit=True):
    st.subheader(tr("users.add"))
    username = st.text_input(tr("login.username"), key="pengguna_username")
    name = st.text_input(tr("users.display_name"), key="pengguna_name")
    # A new account starts with the role that can change nothing (leadership reads only).
    role = st.selectbox(tr("login.role"), auth.ROLES, index=auth.ROLES.index("leadership"), format_func=lambda r: tr(f"role.{r}"), key="pengguna_role")
    provs = st.multiselect(tr("users.provinces"), list(provinces), format_func=lambda c: f"{c} · {provinces[c]}", key="pengguna_provinces", select_all=False, placeholder=tr("sasaran.any"))
    staff_rows = auth.staff_records(db)
    staff_names = dict(zip(staff_rows["staff_id"], staff_rows["label"]))
    staff_id = st.selectbox(tr("users.staff_id"), [None, *staff_names], format_func=lambda s: tr("users.no_staff") if s is None else staff_names[s],
                            key="pengguna_staff", help=tr("users.staff_help"))
    password = st.text_input(tr("login.password"), type="password", key="pengguna_password", help=tr("users.password_help"))
    if st.form_submit_button(tr("users.add"), type="primary"):
        try:
            created = auth.add_user(db, user, username, password, role, provs, name, staff_id=staff_id, lang=common.lang())
        except PlannerError as exc:
            st.error(common.plain(exc))
        else:
            st.success(tr("users.added", username=created.username))

with right.form("pengguna_change"):
    st.subheader(tr("users.change"))
    names = [r["username"] for r in auth.list_users(db)]
    target = st.selectbox(tr("login.username"), names, index=None, placeholder=tr("users.pick"), key="pengguna_target")
    action = st.radio(tr("users.action"), ["disable", "enable", "passwd", "link"], format_func=lambda a: tr(f"users.{a}"), key="pengguna_action", horizontal=True)
    new_password = st.text_input(tr("users.new_password"), type="password", key="pengguna_new_password")
    link_to = st.selectbox(tr("users.link_to"), [None, *staff_names], format_func=lambda s: tr("users.no_staff") if s is None else staff_names[s],
                           key="pengguna_link_to")
    if st.form_submit_button(tr("users.apply")):
        try:
            if target is None:
                raise PlannerError(tr("users.pick_first"))
            if action == "passwd":
                auth.set_password(db, user, target, new_password, lang=common.lang())
            elif action == "link":
                auth.link_staff(db, user, target, link_to, lang=common.lang())
            else:
                auth.set_active(db, user, target, action == "enable", lang=common.lang())
        except PlannerError as exc:
            st.error(common.plain(exc))
        else:
            st.success(tr("users.applied", username=target))
st.subheader(tr("users.list"))
rows = pd.DataFrame(auth.list_users(db))
if not rows.empty:
    rows["active"] = rows["active"].map({1: "✓", 0: "–"})
    rows["role"] = rows["role"].map(lambda r: tr(f"role.{r}"))
    rows["provinces"] = rows["provinces"].fillna("").replace("", "–")
    rows["staff_id"] = rows["staff_id"].map(lambda s: staff_names.get(s, s) if isinstance(s, str) and s else "–")
    for col in ("locked_until", "last_login", "created_at"):
        rows[col] = rows[col].map(lambda v: fmt_datetime(v, common.lang()) if isinstance(v, str) and v else "–")
    # Who may do what, and whether the account is in use, first; the rest to the right.
    order = ["username", "display_name", "role", "provinces", "active", "last_login", "staff_id", "failed_logins", "locked_until", "created_at"]
    rows = rows[[c for c in order if c in rows.columns] + [c for c in rows.columns if c not in order]]
    widths = {"username": 120, "display_name": 190, "role": 90, "provinces": 80, "active": 60, "last_login": 165, "staff_id": 230}
    st.dataframe(
        common.styled(rows.rename(columns={c: tr(f"users.{c}") for c in rows.columns}), ints=[tr("users.failed_logins")]),
        hide_index=True,
        width="stretch",
        key="pengguna_table",
        column_config={tr(f"users.{c}"): st.column_config.Column(width=w) for c, w in widths.items()},
    )

db.conn.close()
