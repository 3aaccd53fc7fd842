"""Impor data: upload a CSV/XLSX, check the whole file, import it or list every problem."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import tr
from planner import jobs
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

INLINE_BYTES = 1_000_000  # larger files are checked and imported as a background job


def show_issues(total: int, issues: list[dict]) -> None:
    st.error(tr("impor.failed", n=fmt_int(total)), icon=":material/error:")
    table = pd.DataFrame(
        [{tr("err.row"): i["row"], tr("err.column"): i["column"], tr("err.value"): i["value"], tr("err.problem"): i["problem"],
          tr("err.fix"): i["fix"]} for i in issues]
    )
    st.dataframe(
        common.styled(table, ints=[tr("err.row")]),  # row 1.048.576, the Indonesian way
        hide_index=True,
        width="stretch",
        key="impor_issues",
        # The problem and its fix are what a person acts on: they get the room.
        column_config={tr("err.row"): st.column_config.NumberColumn(width=80), tr("err.column"): st.column_config.TextColumn(width=130),
                       tr("err.value"): st.column_config.TextColumn(width=120), tr("err.problem"): st.column_config.TextColumn(width=310),
                       tr("err.fix"): st.column_config.TextColumn(width=330)},
    )


def show_result(r: dict) -> None:
    st.success(
        tr("impor.ok", rows=fmt_int(r["rows"]), inserted=fmt_int(r["inserted"]), updated=fmt_int(r["updated"]), unchanged=fmt_int(r["unchanged"])),
        icon=":material/check_circle:",
    )
    if r.get("credited") is not None:
        st.info(tr("impor.credited", credited=fmt_int(r["credited"]), rows=fmt_int(r["rows"])), icon=":material/event_available:")


if submitted and upload is None:
    st.warning(tr("impor.no_file"), icon=":material/upload_file:")
elif submitted and upload is not None:
    data = upload.getvalue()
    st.session_state.pop("impor_job", None)
    if len(data) > INLINE_BYTES:
        try:
            st.session_state["impor_job"] = jobs.start(db, user, "import", {"kind": kind, "filename": upload.name}, payload=data, lang=common.lang())
        except PlannerError as exc:
            st.error(common.plain(exc))
    else:
        try:
            result = import_file(db, kind, data, filename=upload.name, lang=common.lang(), actor=user)
        except ImportFailed as exc:
            show_issues(exc.total, [i.__dict__ for i in exc.issues])
        except PlannerError as exc:
            st.error(common.plain(exc))
        else:
            show_result(result.__dict__)


@st.fragment(run_every=1.0)
@common.guarded
def import_progress(job_id: int) -> None:
    """A running background import: progress and a cancel button; the whole page runs
    again when it ends (its counts and history change)."""
    job = common.with_db(jobs.get, user, job_id)
    if job["status"] not in jobs.ACTIVE:
        st.rerun()
    name = common.plain(job["params"].get("filename") or "")
    st.progress(job["progress"], text=tr("impor.job_running", file=name, step=tr(f"impor.step.{job['message'] or 'read'}")))
    if st.button(tr("impor.job_cancel"), key="impor_job_cancel", icon=":material/cancel:"):
        common.with_db(jobs.cancel, user, job_id)


if "impor_job" in st.session_state:
    job = jobs.get(db, user, st.session_state["impor_job"])
    name = common.plain(job["params"].get("filename") or "")
    if job["status"] in jobs.ACTIVE:
        import_progress(job["job_id"])
    elif job["status"] == "done":
        show_result(job["result"])
    elif job["status"] == "cancelled":
        st.info(tr("impor.job_cancelled", file=name), icon=":material/cancel:")
    elif job["result"] and "issues" in job["result"]:
        show_issues(job["result"]["total"], job["result"]["issues"])
    else:
        st.error(common.plain(job["error"] or ""), icon=":material/error:")

st.subheader(tr("impor.counts_own") if user.role == "staff" else tr("impor.counts"))
counts = {tr(f"kind.{k}"): fmt_int(n) for k, n in stored_counts(db, user).items()}
cols = st.columns(len(counts))
for col, (label, value) in zip(cols, counts.items()):
    col.metric(label, value)

history = import_history(db, user)
if not history.empty:
    # The command line acts as "cli:<system account>"; what Jangkau generated itself (the
    # demo world) has no file.
    history["actor"] = [tr("hist.generated_by") if (pd.isna(f) or not f) and str(a or "").startswith("cli:") else
                        tr("hist.cli", user=str(a)[4:]) if str(a or "").startswith("cli:") else (a or "–")
                        for a, f in zip(history["actor"], history["filename"])]
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
