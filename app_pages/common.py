"""What every page shares: the database for this rerun, the language, formatting helpers.

A connection is opened per rerun (reruns run on new threads) and never kept in
session_state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import secrets
from pathlib import Path

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from planner import access, firstrun, reads, versions as dv
from planner import db as dbmod
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, LANGS, WIB, fmt_int, fmt_num, fmt_pct, t


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def tr(key: str, **params: object) -> str:
    return t(key, lang(), **params)


def db_path() -> Path:
    return dbmod.resolve_db_path(None)


def ensure_database() -> None:
    """First run: create the database with the demo world if it does not exist yet (once
    for all sessions and processes; ``planner.firstrun``), then start its history in the
    background."""
    path = db_path()
    if not firstrun.needs_database(path):
        return
    with st.spinner(tr("app.first_run")):
        firstrun.build_demo_database(path)
    firstrun.start_demo_history(path)


def demo_history_progress(db) -> dict | None:
    """The first start's background job while it runs (None once the demo is ready)."""
    return firstrun.demo_history_progress(db, db_path())


SESSION_USER = "_jangkau_user"  # tests seed a User here; browsers never can (server-side state)
from planner.auth import SESSION_COOKIE as COOKIE  # noqa: E402

PAGE_ROLES = access.PAGE_ROLES  # who may open which page (planner.access); every page checks again with ``require_role``


def current_user():
    """The signed-in user: from the session cookie, looked up server-side each rerun."""
    from planner import auth

    seeded = st.session_state.get(SESSION_USER)
    if seeded is not None:
        return seeded
    token = st.context.cookies.get(COOKIE) if st.context.cookies else None
    if not token:
        return None
    return with_db(auth.user_for_session, token)


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
        with_db(auth.set_password, user, user.username, first, lang=lang())
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
    if not access.may_open(user.role, page):
        st.error(tr("login.denied", role=tr(f"role.{user.role}")))
        st.stop()
    return user


def get_db():
    """A fresh connection for this rerun."""
    return dbmod.connect(db_path())


def with_db(fn, *args, **kwargs):
    """``fn(connection, *args, **kwargs)`` on a connection of its own, closed afterwards:
    for work outside the page's own connection (the session lookup, fragments on their
    own timer, downloads made on click)."""
    with dbmod.opened(db_path()) as conn:
        return fn(conn, *args, **kwargs)


def province_names(db) -> dict[str, str]:
    """The 38 provinces, code -> common name, in code order (cached until they change)."""
    return cached(db, reads.province_names)


def _name(fn) -> str:
    code = getattr(fn, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code else ""
    return f"{fn.__module__}.{fn.__qualname__}@{where}"


# Entries of older data versions are never asked for again; they go when the cache is
# full (least recently used first) or after an hour. Shared results can be large (a
# national plan's projection), so fewer of them are kept.
@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _cached_copy(path: str, name: str, stamp: tuple, args: tuple, kwargs: tuple, _fn, _db):
    return _fn(_db, *args, **dict(kwargs))


@st.cache_resource(show_spinner=False, max_entries=64, ttl=3600)
def _cached_shared(path: str, name: str, stamp: tuple, args: tuple, kwargs: tuple, _fn, _db, _read=None):
    return _fn(_db, *args, **dict(kwargs), **({"read": _read} if _read is not None else {}))


def _stamp(db, fn, topics) -> tuple:
    names = tuple(topics) if topics is not None else reads.topics(fn.__name__)
    return names, dv.versions(db, *names)


def version_of(db, *topics: str) -> tuple:
    """The database and the data versions of ``topics``: a key for things drawn from them."""
    return (str(db_path()), *dv.versions(db, *topics))


def cached(db, fn, *args, topics: tuple[str, ...] | None = None, **kwargs):
    """``fn(db, *args, **kwargs)``, computed once per database, arguments and version of
    the tables it reads (``topics``; by default ``planner.reads.READS[fn.__name__]``), in
    this process; every call returns its own copy. The versions are read from the
    database (one query), so a write by any process or the CLI is seen on the next rerun
    and only the reads of the written tables are done again. The acting user, when the
    result depends on who asks, is one of ``args`` (so it is part of the key). ``fn``
    must depend on nothing but its arguments and the tables named."""
    return _cached_copy(str(db_path()), _name(fn), _stamp(db, fn, topics), args, tuple(sorted(kwargs.items())), fn, db)


def shared(db, fn, *args, topics: tuple[str, ...] | None = None, parts: bool = False, **kwargs):
    """As ``cached``, but every caller gets the same object (no copy, for large results
    that are only read): the caller must not change it.

    ``parts``: ``fn`` reads its inputs through a ``read(part_fn, *args)`` argument
    (``planner.opportunity.rank``): each part is kept (shared) as well, until the tables
    ``planner.reads.READS`` names for it change. A new contact then redoes the ranking
    from its kept potentials and businesses instead of reading them again."""
    read = (lambda part, *part_args: shared(db, part, *part_args)) if parts else None
    return _cached_shared(str(db_path()), _name(fn), _stamp(db, fn, topics), args, tuple(sorted(kwargs.items())), fn, db, read)


@st.cache_resource(show_spinner=False, max_entries=256)
def _spec(name: str, deps: tuple, _make) -> dict:
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(_make())


def chart(make, deps: tuple, *, key: str, width="stretch") -> None:
    """An Altair chart whose Vega-Lite spec is built (and validated, about 15 ms a chart)
    once per ``deps`` — the data version, language and choices it is drawn from — instead
    of on every rerun. ``make()`` returns the Altair chart."""
    spec = _spec(_name(make), deps, make)
    fresh = dict(spec)  # Streamlit moves the datasets out of the spec it is given
    if "datasets" in spec:
        fresh["datasets"] = dict(spec["datasets"])
    st.vega_lite_chart(spec=fresh, width=width, key=key)


def lazy(make):
    """Data for a download button, made only when the button is clicked, on a connection of
    its own (the page's is closed by then). Building a spreadsheet of every row on each
    rerun took seconds (16,894 targets as XLSX: 3.3 s) that every click on the page paid."""
    return lambda: with_db(make)


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
    # On the first run of a session the widget takes its value from the address only as
    # it is drawn: its own label must read the address to be in the right language.
    current = lang() if "lang" in st.session_state else next((k for k, v in labels.items() if v == st.query_params.get("lang")), lang())
    st.sidebar.selectbox(
        t("app.language", current),
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


def _default_text(value) -> str:
    # pandas' Styler writes a float it has no format for with 6 decimals
    return f"{value:.6f}" if isinstance(value, float) else str(value)


def styled(df: pd.DataFrame, ints=(), pcts=(), decimals: dict[str, int] | None = None):
    """A table that writes numbers the Indonesian way while the cells stay sortable
    (what ``df.style.format(..., na_rep="–")`` shows, without its cost)."""
    fmt = {c: fmt_int for c in ints if c in df.columns}
    fmt.update({c: fmt_pct for c in pcts if c in df.columns})
    for c, d in (decimals or {}).items():
        if c in df.columns:
            fmt[c] = (lambda d: (lambda v: fmt_num(v, d)))(d)
    columns: list[tuple[int, list[str]]] = []
    for j, name in enumerate(df.columns):
        col = df.iloc[:, j]
        missing = col.isna().to_numpy()
        if name in fmt:
            f = fmt[name]
            texts = ["–" if m else f(v) for v, m in zip(col.tolist(), missing)]
        elif col.dtype.kind == "f":
            texts = ["–" if m else _default_text(v) for v, m in zip(col.tolist(), missing)]
        elif missing.any():
            texts = ["–" if m else _default_text(v) for v, m in zip(col.tolist(), missing)]
        else:
            continue  # shown as its own text
        columns.append((j, texts))
    cells = [[{"id": f"row{i}_col{j}", "display_value": texts[i]} for j, texts in columns] for i in range(len(df))]
    # Streamlit sends a Styler's data (numbers stay numbers, so columns sort as numbers)
    # with the text each cell shows. pandas renders that text cell by cell through its
    # HTML machinery, about 0,15 ms a cell (a 1.000-row table: 200 ms on every rerun);
    # here the formatted columns' texts are given, column at a time. Streamlit checks the
    # exact type, so this is a plain Styler whose two rendering steps are replaced.
    styler = Styler(df)
    styler._compute = lambda: styler
    styler._translate = lambda *args, **kwargs: {"body": cells}
    return styler


ALTAIR_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]},
}
