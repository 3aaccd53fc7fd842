"""What every page shares: the database for this rerun, the language, formatting helpers.

A connection is opened per rerun (reruns run on new threads) and never kept in
session_state.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from planner import db as dbmod
from planner.i18n import DEFAULT_LANG, LANGS, fmt_int, fmt_num, fmt_pct, t


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def db_path() -> Path:
    return dbmod.resolve_db_path(None)


def ensure_database() -> None:
    """First run: create the database with the demo world if the file does not exist yet."""
    path = db_path()
    if path.exists():
        return
    from planner.demo import create_demo

    with st.spinner(tr("app.first_run")):
        db = dbmod.connect(path)
        try:
            create_demo(db)
        finally:
            db.conn.close()


def get_db():
    """A fresh connection for this rerun."""
    return dbmod.connect(db_path())


def data_version() -> tuple[int, int]:
    """Changes whenever the database file (or its WAL) is written: a cache key."""
    path = db_path()
    wal = Path(str(path) + "-wal")
    return (
        os.stat(path).st_mtime_ns if path.exists() else 0,
        os.stat(wal).st_mtime_ns if wal.exists() else 0,
    )


def language_switch() -> str:
    labels = {"id": "Bahasa Indonesia", "en": "English"}
    st.sidebar.selectbox(
        t("app.language", lang()),
        LANGS,
        format_func=labels.get,
        key="lang",
    )
    return lang()


def demo_banner(db) -> None:
    if dbmod.is_demo(db):
        st.info(tr("app.demo_banner"), icon=":material/science:")


def styled(df: pd.DataFrame, ints=(), pcts=(), decimals: dict[str, int] | None = None):
    """A Styler that writes numbers the Indonesian way while the cells stay sortable."""
    fmt = {c: fmt_int for c in ints if c in df.columns}
    fmt.update({c: fmt_pct for c in pcts if c in df.columns})
    for c, d in (decimals or {}).items():
        if c in df.columns:
            fmt[c] = (lambda d: (lambda v: fmt_num(v, d)))(d)
    return df.style.format(fmt, na_rep="–")


ALTAIR_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]},
}
