"""Jangkau: the app shell. Language switch, first-run demo database, navigation; no logic."""

import streamlit as st

from app_pages import common

st.set_page_config(page_title="Jangkau", page_icon="🤝", layout="wide")

common.language_switch()
common.ensure_database()

pages = {
    common.tr("nav.section.plan"): [
        st.Page("app_pages/peluang.py", title=common.tr("nav.peluang"), icon=":material/travel_explore:", default=True),
        st.Page("app_pages/sasaran.py", title=common.tr("nav.sasaran"), icon=":material/target:"),
    ],
    common.tr("nav.section.data"): [
        st.Page("app_pages/impor.py", title=common.tr("nav.impor"), icon=":material/upload_file:"),
    ],
}
nav = st.navigation(pages)
st.sidebar.caption(f"{common.tr('app.tagline')} · {common.tr('app.db')}: `{common.db_path()}`")
nav.run()
