"""Impor data: upload a CSV/XLSX, check the whole file, import it or list every problem."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner.errors import PlannerError
from planner.i18n import fmt_datetime, fmt_int
from planner.imports import (
    KINDS,
    MAX_ATTRIBUTE_CHARS,
    MAX_COLUMNS,
    MAX_EXTRA_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SPECS,
    ImportFailed,
    allowed_kinds,
    import_file,
    import_history,
    stored_counts,
    template_csv,
)

user = common.require_role("impor")
db = common.get_db()
common.demo_banner(db, user)

st.title(tr("impor.title"))
st.caption(tr("impor.intro"))
st.caption(
    tr(
        "impor.limits",
        upload=fmt_int(st.get_option("server.maxUploadSize")),
        rows=fmt_int(MAX_ROWS),
        columns=fmt_int(MAX_COLUMNS),
        extras=fmt_int(MAX_EXTRA_COLUMNS),
        chars=fmt_int(MAX_ATTRIBUTE_CHARS),
        file_max=f"{fmt_int(MAX_FILE_BYTES // 1_000_000)} MB",
    )
)

kinds = [k for k in KINDS if k in allowed_kinds(user)]
kind = st.selectbox(tr("impor.kind"), kinds, format_func=lambda k: tr(f"kind.{k}"), key="impor_kind")
spec = SPECS[kind]
st.markdown(f"**{tr('impor.columns')}:** " + ", ".join(f"`{c.name}`" for c in spec.columns if c.required))
optional = [c.name for c in spec.columns if not c.required]
if optional:
    st.markdown(f"**{tr('impor.optional')}:** " + ", ".join(f"`{n}`" for n in optional))
if spec.keeps_attributes:
    st.caption(tr("impor.extras"))
st.download_button(
    tr("impor.template"),
    template_csv(kind).encode("utf-8"),
    file_name=f"templat_{kind}.csv",
    mime="text/csv",
    key="impor_template",
    icon=":material/download:",
)

with st.form("impor_form", clear_on_submit=False):
    upload = st.file_uploader(tr("impor.file"), type=["csv", "xlsx"], key="impor_file")
    submitted = st.form_submit_button(tr("impor.run"), type="primary", icon=":material/fact_check:")

if submitted and upload is None:
    st.warning(tr("impor.no_file"), icon=":material/upload_file:")
elif submitted and upload is not None:
    try:
        result = import_file(db, kind, upload.getvalue(), filename=upload.name, lang=common.lang(), actor=user)
    except ImportFailed as exc:
        st.error(tr("impor.failed", n=fmt_int(exc.total)), icon=":material/error:")
        issues = pd.DataFrame(
            [
                {
                    tr("err.row"): i.row,
                    tr("err.column"): i.column,
                    tr("err.value"): i.value,
                    tr("err.problem"): i.problem,
                    tr("err.fix"): i.fix,
                }
                for i in exc.issues
            ]
        )
        st.dataframe(
            issues,
            hide_index=True,
            width="stretch",
            key="impor_issues",
            column_config={tr("err.fix"): st.column_config.TextColumn(width="large"), tr("err.problem"): st.column_config.TextColumn(width="medium")},
        )
    except PlannerError as exc:
        st.error(common.plain(exc))
    else:
        st.success(
            tr(
                "impor.ok",
                rows=fmt_int(result.rows),
                inserted=fmt_int(result.inserted),
                updated=fmt_int(result.updated),
                unchanged=fmt_int(result.unchanged),
            ),
            icon=":material/check_circle:",
        )

st.subheader(tr("impor.counts_own") if user.role == "staff" else tr("impor.counts"))
counts = {tr(f"kind.{k}"): fmt_int(n) for k, n in stored_counts(db, user).items()}
cols = st.columns(len(counts))
for col, (label, value) in zip(cols, counts.items()):
    col.metric(label, value)

history = import_history(db, user)
if not history.empty:
    history["actor"] = history["actor"].fillna("–")
    st.subheader(tr("impor.history"))
    history["imported_at"] = history["imported_at"].map(lambda v: fmt_datetime(v, common.lang()))
    history["kind"] = history["kind"].map(lambda k: tr(f"kind.{k}"))
    history["filename"] = history["filename"].fillna(tr("impor.generated"))
    names = {c: tr(f"hist.{c}") for c in history.columns}
    history = history.rename(columns=names)
    st.dataframe(
        common.styled(history, ints=[names[c] for c in ("rows", "inserted", "updated", "unchanged")]),
        hide_index=True,
        width="stretch",
        key="impor_history",
    )
db.conn.close()
