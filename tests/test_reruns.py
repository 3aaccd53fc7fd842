"""Cheap reruns: data versions bumped by the writes that change the data (and only
those), page caches keyed on them and right across processes, and no SQL in pages."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.common import SESSION_USER
from planner import auth, reads, versions
from planner.auth import User
from planner.db import connect
from planner.migrations import IMPORT_KINDS_0015, VERSIONED_TABLES

ROOT = Path(__file__).resolve().parent.parent
MANAGER = User("manajer", "manager", (), "Manajer")


# --------------------------------------------------------------------------- data versions
def test_every_versioned_table_has_triggers_and_a_row(demo_db):
    triggers = {r[0] for r in demo_db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dv_%'")}
    assert triggers == {f"dv_{t}_{op}" for t in VERSIONED_TABLES for op in ("insert", "update", "delete")} | {"dv_import_runs_kind"}
    rows = dict(demo_db.execute("SELECT topic, version FROM data_versions").fetchall())
    assert set(rows) == set(VERSIONED_TABLES) | {f"import_runs:{kind}" for kind in IMPORT_KINDS_0015}


def test_an_import_changes_the_versions_of_what_it_writes_only(demo_db):
    """Each import kind has its own version: readers of businesses, contacts and
    potentials follow only the imports that write them (after the first import has made
    the demo database one with real data, which changes every reader once)."""
    from planner.imports import import_file

    manager = auth.get_user(demo_db, "manajer")
    ids = [r[0] for r in demo_db.execute("SELECT business_id FROM businesses WHERE enrolled = 0 ORDER BY business_id LIMIT 4")]
    contacts = "business_id,contacted_on,channel,invited,enrolled\n" + "".join(f"{b},2026-11-02,pameran,1,0\n" for b in ids)
    import_file(demo_db, "contacts", contacts.encode(), filename="first.csv", actor=manager)  # demo -> real data: meta
    topics = ("businesses", "contacts", "potentials", "partners", "import_runs")
    before = {t: versions.versions(demo_db, t) for t in topics}
    import_file(demo_db, "contacts", contacts.replace("2026-11-02", "2026-11-03").encode(), filename="c.csv", actor=manager)
    after = {t: versions.versions(demo_db, t) for t in topics}
    assert {t for t in topics if after[t] != before[t]} == {"contacts", "import_runs"}
    cols = "partner_id,name,type,regency_code,venue_capacity,cost_per_event,available_weekdays"
    partner = demo_db.execute(f"SELECT {cols} FROM partners LIMIT 1").fetchone()
    import_file(demo_db, "partners", (cols + ",capacity_per_month\n" + ",".join(map(str, partner)) + ",7\n").encode(), filename="p.csv",
                actor=manager)
    again = {t: versions.versions(demo_db, t) for t in topics}
    assert {t for t in topics if again[t] != after[t]} == {"partners", "import_runs"}


def test_a_write_bumps_its_table_only_and_rolls_back_with_it(demo_db):
    from planner import resources

    names = versions.expand(VERSIONED_TABLES)  # the order versions() answers in
    before = dict(zip(names, versions.versions(demo_db, *names)))
    partner = demo_db.execute("SELECT partner_id FROM partners LIMIT 1").fetchone()[0]
    demo_db.execute("UPDATE partners SET cost_per_event = cost_per_event + 1 WHERE partner_id = ?", [partner])
    after = dict(zip(names, versions.versions(demo_db, *names)))
    assert after["partners"] == before["partners"] + 1
    assert {t for t in VERSIONED_TABLES if after[t] != before[t]} == {"partners"}
    # a write that fails changes nothing, its version included
    with pytest.raises(Exception):
        resources.save_partner(demo_db, MANAGER, {"partner_id": partner, "name": "", "type": "bogus"})
    assert versions.versions(demo_db, "partners") == (after["partners"],)


def test_sign_ins_and_job_progress_bump_nothing_a_page_caches(demo_db):
    """Sessions and jobs are written every second or on every sign-in: caching on them
    would rebuild every cache all the time."""
    before = versions.versions(demo_db, *VERSIONED_TABLES)
    auth.login(demo_db, "manajer", auth.DEMO_PASSWORD)
    assert versions.versions(demo_db, *VERSIONED_TABLES) == before


def test_bulk_tables_follow_their_writers(demo_db):
    """A business import (no trigger on businesses: it would cost 6 µs a row) still changes the
    version of every reader of businesses, through the import's own record."""
    from planner.imports import import_file

    before = versions.versions(demo_db, "businesses")
    row = demo_db.execute("SELECT business_id, name, regency_code, sector, size_class, workers, founded_year, has_nib, kur_recipient, "
                          "coop_member, digital_payments FROM businesses WHERE enrolled = 0 LIMIT 1").fetchone()
    csv = ("business_id,name,regency_code,sector,size_class,workers,founded_year,has_nib,kur_recipient,coop_member,digital_payments,enrolled\n"
           + ",".join(str(v) for v in row) + ",1\n").encode()
    import_file(demo_db, "businesses", csv, filename="b.csv", actor=auth.system_user())
    assert versions.versions(demo_db, "businesses") != before
    with pytest.raises(ValueError, match="no data version"):
        versions.versions(demo_db, "sessions")


# --------------------------------------------------------------------------- caches across processes
def _count(at) -> int:
    text = next(c.value for c in at.caption if re.match(r"^[\d.]+ usaha", c.value))
    return int(text.split()[0].replace(".", ""))


def test_a_write_in_another_process_shows_on_the_next_rerun(scored_copy):
    """Sasaran's list is cached per user and data version; a business enrolled by another
    process (here: the CLI's import in a child process) leaves the list on this process's
    next rerun, with no restart and no cache cleared by hand."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.session_state[SESSION_USER] = MANAGER
    at.run()
    at.switch_page("app_pages/sasaran.py").run()
    assert not at.exception
    first = _count(at)
    top = at.dataframe[0].value.iloc[0]
    at.run()
    assert _count(at) == first and at.dataframe[0].value.iloc[0]["ID usaha"] == top["ID usaha"]

    code = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(ROOT)!r})
        from planner.db import connect
        from planner.imports import import_file
        from planner.auth import system_user
        db = connect({str(scored_copy)!r})
        row = db.execute("SELECT business_id, name, regency_code, sector, size_class, workers, founded_year, has_nib, kur_recipient, "
                         "coop_member, digital_payments FROM businesses WHERE business_id = ?", [{top['ID usaha']!r}]).fetchone()
        csv = ("business_id,name,regency_code,sector,size_class,workers,founded_year,has_nib,kur_recipient,coop_member,digital_payments,enrolled\\n"
               + ",".join(str(v) for v in row) + ",1\\n").encode()
        import_file(db, "businesses", csv, filename="b.csv", actor=system_user())
    """)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    at.run()
    assert not at.exception
    assert _count(at) == first - 1
    assert top["ID usaha"] not in set(at.dataframe[0].value["ID usaha"])


PARTS = ("potential_cells", "business_cells", "conversion_cells", "partner_counts")


def test_peluang_after_new_contacts_reads_only_the_contacts_again(scored_copy, monkeypatch):
    """Peluang's ranking is kept in parts, each until its own tables change: after an
    import of contacts the page reads the conversion cells again and reuses the
    potentials, businesses and partner counts it kept; and it shows what a page with no
    cache at all shows."""
    import streamlit as st

    from planner import opportunity
    from planner.imports import import_file

    db = connect(scored_copy)
    try:
        ids = [r[0] for r in db.execute("SELECT business_id FROM businesses WHERE regency_code LIKE '16.%' AND enrolled = 0 LIMIT 300")]
        manager = auth.get_user(db, "manajer")
        import_file(db, "contacts", f"business_id,contacted_on,channel,invited,enrolled\n{ids[0]},2026-11-01,pameran,1,0\n".encode(),
                    filename="first.csv", actor=manager)  # the demo's first real import changes every reader once (meta)
    finally:
        db.conn.close()
    calls: dict[str, int] = {}
    for name in PARTS:
        def counted(db, *args, _real=getattr(opportunity, name), _name=name):
            calls[_name] = calls.get(_name, 0) + 1
            return _real(db, *args)
        counted.__name__ = counted.__qualname__ = name  # the cache and planner.reads know a part by its name
        monkeypatch.setattr(opportunity, name, counted)

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.session_state[SESSION_USER] = MANAGER
    at.run()  # Peluang is the manager's start page
    assert not at.exception
    assert calls == dict.fromkeys(PARTS, 1)
    before = at.dataframe[0].value.copy()

    db = connect(scored_copy)
    try:
        rows = "".join(f"{b},2026-11-02,pameran,1,1\n" for b in ids)
        import_file(db, "contacts", ("business_id,contacted_on,channel,invited,enrolled\n" + rows).encode(), filename="c.csv", actor=manager)
    finally:
        db.conn.close()
    calls.clear()
    at.run()
    assert not at.exception
    assert calls == {"conversion_cells": 1}  # potentials, businesses and partners were kept
    after = at.dataframe[0].value.copy()
    assert not after.equals(before)  # 300 invited and enrolled in Sumatera Selatan moved its conversion

    st.cache_resource.clear()
    st.cache_data.clear()
    at.run()
    assert set(calls) == set(PARTS)  # everything read afresh ...
    assert at.dataframe[0].value.equals(after)  # ... gives the same table


def test_staff_reads_are_scoped_in_the_planner(scored_copy):
    from planner.errors import PlannerError
    from planner.targets import target_page

    db = connect(scored_copy)
    try:
        staff = User("s", "staff", ("16",), "S")
        n, rows = target_page(db, staff, limit=10, province="16")
        assert n > 0 and (rows["regency_code"].str[:2] == "16").all()
        with pytest.raises(PlannerError, match="bukan provinsi Anda"):
            target_page(db, staff, limit=10, province="63")
        with pytest.raises(PlannerError, match="bukan provinsi Anda"):
            target_page(db, staff, limit=10)
        with pytest.raises(PlannerError, match="bukan provinsi Anda"):
            reads.move_choices(db, staff, "63")
    finally:
        db.conn.close()


# --------------------------------------------------------------------------- no SQL in pages
SQL = re.compile(r"^\s*(SELECT\s+\S|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|PRAGMA\s+\w|WITH\s+\w+\s+AS|"
                 r"(CREATE|DROP)\s+(TEMP\s+)?(TABLE|INDEX|TRIGGER|VIEW)|ALTER\s+TABLE)", re.IGNORECASE)


def sql_in(path: Path) -> list[str]:
    """Every SQL string and every ``.execute(`` / ``.query(`` (and executemany/
    executescript) call in a page script, as 'file:line what'."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            found.append(f"{path.name}:{node.lineno} SQL text {node.value[:40]!r}")
        elif isinstance(node, ast.JoinedStr):
            head = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if SQL.match(head):
                found.append(f"{path.name}:{node.lineno} SQL f-string {head[:40]!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                "execute", "executemany", "executescript", "query"):
            found.append(f"{path.name}:{node.lineno} .{node.func.attr}(")
    return found


def test_pages_hold_no_sql():
    pages = sorted((ROOT / "app_pages").glob("*.py")) + [ROOT / "streamlit_app.py"]
    assert len(pages) > 10
    assert [hit for page in pages for hit in sql_in(page)] == []


def test_the_sql_scan_finds_what_it_looks_for(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('db.execute("SELECT 1")\nrows = db.query(sql)\nx = f"DELETE FROM t WHERE a = {a}"\ny = "pragma wal_checkpoint"\n'
                    'conn.conn.executemany(q, rows)\nz = "Selected rows"\n')
    hits = sql_in(page)
    assert len(hits) == 7 and not any("Selected" in h for h in hits)  # line 1: the call and its SQL


# --------------------------------------------------------------------------- Jadwal: planner errors in words
def test_jadwal_shows_a_planner_refusal_as_an_error_not_a_traceback(published_file, tmp_path, monkeypatch):
    """An edit the planner refuses (another person published the plan meanwhile, the event
    was cancelled, …) is the catalogue's message on the page, never a traceback."""
    from planner import plans
    from planner.errors import PlannerError
    from tests.conftest import copy_db

    path, plan_id, models = published_file
    copy = copy_db(path, tmp_path / "j.db")
    monkeypatch.setenv("PLANNER_DB", str(copy))
    monkeypatch.setenv("PLANNER_MODELS", str(models))
    db = connect(copy)
    try:
        plans.reopen_plan(db, MANAGER, plan_id)  # a draft with events: lock, cancel and archive are offered
    finally:
        db.conn.close()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.session_state[SESSION_USER] = MANAGER
    at.run()
    at.switch_page("app_pages/jadwal.py").run()
    assert not at.exception and not at.error

    def refuse(*args, **kwargs):
        raise PlannerError("Rencana ini sudah diterbitkan orang lain; muat ulang halaman.")

    for name, button in (("set_locked", "jadwal_lock"), ("archive_plan", "jadwal_archive"), ("cancel_event", "jadwal_cancel_go")):
        monkeypatch.setattr(plans, name, refuse)
        at.button(key=button).click().run()
        assert not at.exception, name
        assert [re.sub(r"\\(.)", r"\1", e.value) for e in at.error] == ["Rencana ini sudah diterbitkan orang lain; muat ulang halaman."], name
