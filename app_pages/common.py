"""What every page shares: the database for this rerun, the language, formatting helpers.

A connection is opened per rerun (reruns run on new threads) and never kept in
session_state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import secrets
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from planner import db as dbmod
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, LANGS, WIB, fmt_int, fmt_num, fmt_pct, t


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def db_path() -> Path:
    return dbmod.resolve_db_path(None)


_FIRST_RUN = threading.Lock()


@contextlib.contextmanager
def _across_processes(path: Path):
    """Hold an exclusive ``flock`` beside the database while first-run work is done: with
    ``python -m planner serve`` several Streamlit processes share one database, and two
    browsers landing on two of them at once must not both build it (or both start the
    demo history). The lock file stays (data/*.lock is not in git)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".first-run.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def ensure_database() -> None:
    """First run: create the database with the demo world if it does not exist yet. It is
    built under another name and renamed when complete, once for all sessions of this
    server (and of every other process of ``serve``): a second browser opening the app
    meanwhile waits instead of finding half a database."""
    path = db_path()
    if path.exists():
        return
    from planner.demo import create_demo

    with st.spinner(tr("app.first_run")), _FIRST_RUN, _across_processes(path):
        if path.exists():  # another session made it while this one waited
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        building = path.with_name(path.name + ".building")
        for leftover in (building, Path(str(building) + "-wal"), Path(str(building) + "-shm")):
            leftover.unlink(missing_ok=True)
        db = dbmod.connect(building)
        try:
            create_demo(db)
            # Training, a plan and its field history follow in the background (a job), so
            # that the first page opens in seconds and is ready to plan soon after.
            dbmod.set_meta(db, "demo_history_pending", "1")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.conn.close()
            dbmod.release_shared_lock(building)  # never opened again under this name
        os.replace(building, path)
        dbmod.lock_path(building).unlink(missing_ok=True)
    _start_demo_history()


_DEMO_JOB = threading.Lock()


def _start_demo_history() -> None:
    """Start (once) the background job that trains, plans and reports the demo world: on
    the first start, and again after a restart that broke it off."""
    from planner import auth, jobs

    with _DEMO_JOB, _across_processes(db_path()):
        db = get_db()
        try:
            if dbmod.get_meta(db, "demo_history_pending") != "1":
                return
            job = jobs.latest_system(db, "demo_history")
            if job is not None and job["status"] in jobs.ACTIVE:
                return
            jobs.start(db, auth.system_user(), "demo_history", {})
        finally:
            db.conn.close()


def demo_history_progress(db) -> dict | None:
    """The first start's background job while it runs (None once the demo is ready)."""
    from planner import jobs

    if dbmod.get_meta(db, "demo_history_pending") != "1":
        return None
    job = jobs.latest_system(db, "demo_history")
    if job is not None and job["status"] == "failed" and job["error"] != t("job.died", job["lang"] or DEFAULT_LANG):
        return None  # a real failure (its log says why): not started again and again
    if job is None or job["status"] not in jobs.ACTIVE:
        _start_demo_history()  # broken off by a restart: start it again
        job = jobs.latest_system(db, "demo_history")
    return job if job is not None and job["status"] in jobs.ACTIVE else None


SESSION_USER = "_jangkau_user"  # tests seed a User here; browsers never can (server-side state)
from planner.auth import SESSION_COOKIE as COOKIE  # noqa: E402

# Which roles see which page; every page checks again with ``require_role``.
PAGE_ROLES = {
    "peluang": ("admin", "manager", "staff", "leadership"),
    "sasaran": ("admin", "manager", "staff", "leadership"),
    "impor": ("admin", "manager", "staff"),
    "pengguna": ("admin",),
    "audit": ("admin", "leadership"),
    "jadwal": ("admin", "manager", "staff", "leadership"),
    "mitra": ("admin", "manager", "staff", "leadership"),
    "agenda": ("admin", "manager", "staff", "leadership"),
    "laporan": ("admin", "manager", "staff", "leadership"),
    "proyeksi": ("admin", "manager", "leadership"),
}


def current_user():
    """The signed-in user: from the session cookie, looked up server-side each rerun."""
    from planner import auth

    seeded = st.session_state.get(SESSION_USER)
    if seeded is not None:
        return seeded
    token = st.context.cookies.get(COOKIE) if st.context.cookies else None
    if not token:
        return None
    db = get_db()
    try:
        return auth.user_for_session(db, token)
    finally:
        db.conn.close()


def password_change_required(user) -> None:
    """The only thing a session opened with the public demo password may do on a
    database that holds real data: choose a new password (then sign in again)."""
    from planner import auth

    st.title(tr("pw.title"))
    st.warning(tr("pw.why"), icon=":material/lock_reset:")
    with st.form("pw_form"):
        first = st.text_input(tr("pw.new"), type="password", key="pw_new", help=tr("users.password_help"))
        second = st.text_input(tr("pw.again"), type="password", key="pw_again")
        done = st.form_submit_button(tr("pw.save"), type="primary")
    if done:
        if first != second:
            st.error(tr("pw.differ"))
            return
        db = get_db()
        try:
            auth.set_password(db, user, user.username, first, lang=lang())
        finally:
            db.conn.close()
        st.success(tr("pw.changed"), icon=":material/check_circle:")
        same_tab_link(tr("login.go"), "/masuk?lang=en" if lang() == "en" else "/masuk")


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def plain(text: object) -> str:
    """User text (names, notes, messages) for st.markdown, shown literally: every
    markdown and HTML character is escaped, so a name can never format or link."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text if text is not None else ""))


log = logging.getLogger("jangkau")


def incident_number() -> str:
    """A short code a person can read out on the phone; the server log carries it with
    the traceback."""
    return secrets.token_hex(3).upper()


@contextlib.contextmanager
def guard():
    """Run page code so that no traceback reaches a person: a ``PlannerError`` becomes its
    message, anything else a short apology with an incident number, and the traceback
    goes to the server log under that number. (Streamlit's own stop and rerun signals
    are not ``Exception`` and pass through.)"""
    try:
        yield
    except PlannerError as exc:
        st.error(plain(exc), icon=":material/error:")
    except Exception:
        number = incident_number()
        log.exception("incident %s on page %s", number, st.session_state.get("_jangkau_page", "?"))
        st.error(tr("app.incident", number=number), icon=":material/support_agent:")


def guarded(fn):
    """``guard`` for a function that Streamlit runs on its own (a fragment, a callback)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with guard():
            return fn(*args, **kwargs)

    return run


def same_tab_link(label: str, href: str) -> None:
    """A link that stays in this tab (st.link_button opens a new one). ``label`` and
    ``href`` are our own constants, never user text."""
    import html

    st.markdown(
        f'<a href="{html.escape(href)}" target="_self" class="jangkau-link">{html.escape(label)}</a>',
        unsafe_allow_html=True,
    )


def require_role(page: str):
    """Stop the page unless the signed-in user's role may see it."""
    user = current_user()
    if user is None:
        st.warning(tr("login.prompt"))
        same_tab_link(tr("login.go"), "/masuk")
        st.stop()
    if user.role not in PAGE_ROLES[page]:
        st.error(tr("login.denied", role=tr(f"role.{user.role}")))
        st.stop()
    return user


def get_db():
    """A fresh connection for this rerun."""
    return dbmod.connect(db_path())


def province_names(db) -> dict[str, str]:
    """The 38 provinces, code -> common name, in code order."""
    return {r["code"]: r["name_common"] for r in db.query("SELECT code, name_common FROM provinces ORDER BY code")}


def lazy(make):
    """Data for a download button, made only when the button is clicked, on a connection of
    its own (the page's is closed by then). Building a spreadsheet of every row on each
    rerun took seconds (16,894 targets as XLSX: 3.3 s) that every click on the page paid."""

    def run() -> bytes:
        conn = get_db()
        try:
            return make(conn)
        finally:
            conn.conn.close()

    return run


def data_version() -> tuple[int, int]:
    """Changes whenever the database file (or its WAL) is written: a cache key."""
    path = db_path()
    wal = Path(str(path) + "-wal")
    return (
        os.stat(path).st_mtime_ns if path.exists() else 0,
        os.stat(wal).st_mtime_ns if wal.exists() else 0,
    )


PAGE_KEY_PREFIXES = ("peluang_", "sasaran_", "jadwal_", "mitra_", "impor_", "audit_", "pengguna_", "agenda_", "laporan_", "proyeksi_")


def _keep_choices_across_languages() -> None:
    """Streamlit remembers a radio's, selectbox's or multiselect's choice by its *label*;
    a label in the other language matches no option, and the widget came back empty. So
    when the language changes, every choice on the page is set again by value, and a
    choice of "all" (None) goes back to the widget's default, which is "all"."""
    for key in list(st.session_state.keys()):
        if not (isinstance(key, str) and key.startswith(PAGE_KEY_PREFIXES)):
            continue
        value = st.session_state[key]
        if value is None:
            del st.session_state[key]
        elif isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool):
            st.session_state[key] = value
        elif isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            st.session_state[key] = value


def language_switch() -> str:
    """The language selector; the choice is kept in the address (``?lang=English``), so a
    reload or a bookmark keeps it."""
    labels = {"id": "Bahasa Indonesia", "en": "English"}
    st.sidebar.selectbox(
        t("app.language", lang()),
        LANGS,
        format_func=labels.get,
        key="lang",
        on_change=_keep_choices_across_languages,
        bind="query-params",
    )
    return lang()


def demo_banner(db, user) -> None:
    """The notice that the data are generated; ``user`` is the page's signed-in user.
    While the first start still trains, plans and reports the demo world in the
    background, it shows how far that is."""
    if dbmod.is_demo(db):
        key = "app.demo_banner_read" if user.role == "leadership" else "app.demo_banner"
        st.info(tr(key), icon=":material/science:")
        job = demo_history_progress(db)
        if job is not None:
            step = job["message"] or "train"
            st.progress(float(job["progress"] or 0), text=tr("app.demo_building", step=tr(f"app.demo_step.{step}")))


def today() -> dt.date:
    """Today in WIB, the clock the app shows times in (the server may run on UTC)."""
    return dt.datetime.now(WIB).date()


def short_regency(name: object) -> str:
    """'Kabupaten Ogan Komering Ulu Selatan' -> 'Kab. Ogan Komering Ulu Selatan': the word
    every second regency starts with, shortened the way Indonesians write it, so tables
    keep room for their numbers."""
    text = "" if name is None or (isinstance(name, float) and name != name) else str(name)
    return "Kab. " + text[len("Kabupaten "):] if text.startswith("Kabupaten ") else (text or "–")


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
