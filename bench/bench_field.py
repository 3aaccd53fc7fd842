"""Benchmark: field work on the default demo (50,000 businesses) with its field history.

    python bench/bench_field.py                      # all three parts, about 6-8 minutes
    python bench/bench_field.py --part save --saves 30
    python bench/bench_field.py --part pages --reruns 30 --profile
    python bench/bench_field.py --part import        # runs bench/bench_reports.py
    python bench/bench_field.py --rebuild            # build the world again

Targets (issue "field work"):

a. **save**: a report of 100 businesses present (invitees and walk-ins, some of them
   registered) saved through ``planner.reporting.reports.save`` as a staff account:
   median of at least 20 saves **under 1 s**. Saves alternate between the ``--events``
   (6) past events of province 16 with the most invitees (up to 70 of them
   present, the rest walk-ins: known businesses of the regency and new ones); each save is a real write
   of a changed report (attendance and the registered rows rotate, so enrolments are
   set and undone, contacts and leads rewritten), with the version the form would send.
b. **import**: the 50,000-row report file import reaches **at least 1/3** of the rows/s
   of a 50,000-row businesses import: ``bench/bench_reports.py`` is run as it is (its own
   world: 80,000 businesses, one published plan of synthetic past events), its JSON read.
c. **pages**: the *Agenda* and *Laporan* pages' rerun for a staff member with 50 events
   of published plans, **under 300 ms** (median of at least 20 reruns per page, with and
   without a selected event), in Streamlit's ``AppTest`` (the script's server-side time;
   no browser). Wall time and CPU time (``time.process_time``) per rerun; a page over
   the target is profiled (cProfile over its reruns, top costs printed and written to
   ``bench/out/field/``).

The world (built once into ``bench/out/field/field.db``, reused; ``--rebuild`` builds it
again):

1. ``python -m planner init --demo --field`` (models in ``bench/out/field/models``): the
   default demo and its field history (a published plan for provinces 16 and 63 around
   today, its past events reported). Part (a) saves as ``staf.sumsel`` on its events.
2. A staff member with 50 events. Province 16's valuable invitees are nearly all invited
   by the field history's plan (a second plan for it got 17 events of 144 invitees in
   all), so the 50 events are in the demo's largest province, Jawa Barat (32): a second
   published plan there, from the Monday 12 weeks before today to the Sunday 6 weeks
   after, no budget limit, at most 40 invitees an event, solved with ``plans.solve_plan``; the province's first staff member
   with the highest weekly limit is linked to a new staff account ``bench.staf32``
   (``auth.add_user``), and as many of the plan's events as they lack of 50 are moved to
   them with ``plans.move_event`` before ``plans.publish_plan`` (one a day, on days
   they are free, spread round robin over the weeks, within their weekly limit where possible). The plan's past events are
   then reported the way the field history reports its own (``demo._simulate_reports``:
   through ``reports.save`` by the events' staff accounts, else the manager; the latest
   past event of each account and some of the last week left unreported). Part (c)
   browses as ``bench.staf32``.

Every part works on its own copy of that file.

Each result is printed with the load average before and after; raw numbers go to
``bench/out/field/bench_field.json``. Exit status 0 when every target measured passed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import OUT, ROOT, copy_db, machine, median, print_machine, remove_db

FIELD_OUT = OUT / "field"
WORLD = FIELD_OUT / "field.db"
WORLD_INFO = FIELD_OUT / "world.json"
MODELS = FIELD_OUT / "models"
STAFF_ACCOUNT = "staf.sumsel"  # (a): the demo's staff account of province 16, on the field history's events
AGENDA_PROVINCE = "32"  # (c): Jawa Barat, the demo's largest province
AGENDA_ACCOUNT = "bench.staf32"
AGENDA_BUDGET = None  # rupiah for the second plan: no limit...
AGENDA_MAX_INVITEES = 40  # ...and at most 40 invitees an event (else a few big events take the whole pool): enough events
WANT_EVENTS = 50
PRESENT = 100
SAVE_TARGET_S = 1.0
PAGE_TARGET_MS = 300.0
IMPORT_TARGET_RATIO = 1 / 3


# --------------------------------------------------------------------------- small helpers
def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def spread(xs: list[float]) -> dict:
    """Median, min, max, p90 and the interquartile range of a sample."""
    s = sorted(xs)
    q = statistics.quantiles(s, n=4) if len(s) >= 2 else [s[0]] * 3
    return {"n": len(s), "median": statistics.median(s), "min": s[0], "max": s[-1], "q1": q[0], "q3": q[2],
            "p90": statistics.quantiles(s, n=10)[-1] if len(s) >= 2 else s[0]}


def wib_today() -> dt.date:
    from planner.reporting.reports import today

    return today()


# --------------------------------------------------------------------------- the world
def give_staff_events(db, want: int = WANT_EVENTS, time_limit: float = 30.0) -> dict:
    """Give a demo staff member ``want`` events of published plans in the agenda's window,
    and an account: see the module docstring. Returns what it did."""
    import numpy as np
    from faker import Faker

    from planner import auth, demo, plans
    from planner import scheduling as sch
    from planner.reporting import agenda as ag

    manager = auth.get_user(db, "manajer")
    sid, name = db.execute("SELECT staff_id, name FROM staff WHERE province_code = ? AND active = 1 "
                           "ORDER BY max_events_per_week DESC, staff_id LIMIT 1", [AGENDA_PROVINCE]).fetchone()
    user = auth.add_user(db, auth.system_user(), AGENDA_ACCOUNT, "bench-" + AGENDA_ACCOUNT, "staff", (AGENDA_PROVINCE,), name, staff_id=sid)
    today = wib_today()
    start = today - dt.timedelta(weeks=12)
    start -= dt.timedelta(days=start.weekday())
    end = today + dt.timedelta(weeks=6)
    end += dt.timedelta(days=6 - end.weekday())
    rules = sch.Rules(start=start, end=end, provinces=(AGENDA_PROVINCE,), budget=AGENDA_BUDGET,
                      max_invitees=AGENDA_MAX_INVITEES, time_limit=time_limit)
    plan_id = plans.create_plan(db, manager, f"Bench agenda {AGENDA_PROVINCE}", rules)
    t0 = time.perf_counter()
    sol = plans.solve_plan(db, manager, plan_id)
    solve_s = time.perf_counter() - t0
    per_week = db.execute("SELECT max_events_per_week FROM staff WHERE staff_id = ?", [sid]).fetchone()[0]
    mine = db.execute("SELECT event_date FROM events WHERE plan_id = ? AND staff_id = ? AND status = 'planned'", [plan_id, sid]).fetchall()
    busy = {d for (d,) in mine}
    week_of = lambda d: dt.date.fromisoformat(d).isocalendar()[:2]  # noqa: E731
    weeks: dict[tuple, int] = {}
    for d in busy:
        weeks[week_of(d)] = weeks.get(week_of(d), 0) + 1
    candidates = db.execute("SELECT event_id, event_date FROM events WHERE plan_id = ? AND status = 'planned' AND staff_id != ? "
                            "ORDER BY event_date, event_id", [plan_id, sid]).fetchall()
    need = want - len(mine)
    by_week: dict[tuple, list] = {}
    for eid, d in candidates:
        by_week.setdefault(week_of(d), []).append((eid, d))
    moved: list[str] = []
    over_limit = 0
    # Round robin over the weeks (one event a week per round), so the events spread over
    # the plan's past and coming weeks as a staff member's would; within the weekly limit
    # first, past it only if still short.
    for limit in (per_week, 7):
        for round_ in range(1, limit + 1):
            for week in sorted(by_week):
                if len(moved) >= need:
                    break
                if weeks.get(week, 0) >= round_:
                    continue
                pick = next(((eid, d) for eid, d in by_week[week] if eid not in moved and d not in busy), None)
                if pick is None:
                    continue
                plans.move_event(db, manager, pick[0], staff_id=sid)
                moved.append(pick[0])
                busy.add(pick[1])
                weeks[week] = weeks.get(week, 0) + 1
                over_limit += limit != per_week
    violations = plans.plan_violations(db, plan_id)
    plans.publish_plan(db, manager, plan_id, seed=1)
    # The province's past events reported as the field history reports its own (same
    # simulation, saved through reports.save by the events' staff accounts, else the manager).
    rng = np.random.default_rng([demo.DEFAULT_SEED, today.toordinal(), 32])
    fake = Faker("id_ID")
    fake.seed_instance(demo.DEFAULT_SEED + 32)
    demo._simulate_reports(db, plan_id, today, rng, fake, manager)
    agenda = ag.agenda(db, user, staff_id=sid, today=today)
    return {"plan_id": plan_id, "province": AGENDA_PROVINCE, "account": AGENDA_ACCOUNT, "staff_id": sid, "per_week": per_week,
            "start": start.isoformat(), "end": end.isoformat(), "budget": AGENDA_BUDGET, "status": sol.status, "solve_s": round(solve_s, 1),
            "plan_events": len(candidates) + len(mine), "solver_gave_them": len(mine), "moved": len(moved),
            "moved_past_weekly_limit": over_limit, "violations_after_moves": violations, "staff_events": len(agenda),
            "staff_past": int(agenda["past"].sum()), "staff_reported": int(agenda["report_status"].notna().sum()),
            "province_reports": db.execute("SELECT COUNT(*) FROM event_reports r JOIN events e USING (event_id) WHERE e.plan_id = ?",
                                           [plan_id]).fetchone()[0]}


def build_world(rebuild: bool) -> dict:
    """The default demo with its field history and a staff member with 50 events (once)."""
    FIELD_OUT.mkdir(parents=True, exist_ok=True)
    if WORLD.exists() and WORLD_INFO.exists() and not rebuild:
        info = json.loads(WORLD_INFO.read_text())
        print(f"  world: reusing {WORLD} (built {info['built']}; --rebuild to build it again)")
        return info
    remove_db(WORLD)
    WORLD_INFO.unlink(missing_ok=True)
    env = {**os.environ, "PLANNER_MODELS": str(MODELS)}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "planner", "--db", str(WORLD), "init", "--demo", "--field"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    init_s = time.perf_counter() - t0
    print("  " + "\n  ".join(out.stdout.strip().splitlines()))
    from planner.db import connect

    db = connect(WORLD)
    try:
        t0 = time.perf_counter()
        agenda = give_staff_events(db)
        agenda_s = time.perf_counter() - t0
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("businesses", "contacts", "events", "invitations", "event_reports", "report_rows", "followups", "payments")}
    finally:
        db.conn.close()
    info = {"built": dt.datetime.now().isoformat(timespec="seconds"), "today_wib": wib_today().isoformat(), "init_field_s": round(init_s, 1),
            "agenda_setup_s": round(agenda_s, 1), "agenda": agenda, "counts": counts, "init_out": out.stdout.strip().splitlines()}
    WORLD_INFO.write_text(json.dumps(info, indent=1))
    print(f"  world built: init --demo --field {init_s:.1f} s; plan {agenda['plan_id']} for province {agenda['province']} "
          f"({agenda['plan_events']} events, {agenda['status']} in {agenda['solve_s']} s); {agenda['moved']} events moved to "
          f"{agenda['staff_id']} ({agenda['moved_past_weekly_limit']} past their weekly limit of {agenda['per_week']}): "
          f"{agenda['staff_events']} events on their agenda, {agenda['staff_past']} past, {agenda['staff_reported']} reported; "
          f"{agenda['province_reports']} reports in the plan; {counts}")
    return info


# --------------------------------------------------------------------------- a. saving a report
def save_events(db, user, k: int) -> list[dict]:
    """The ``k`` past events of published plans in ``user``'s province with the most
    invitees, each with what a 100-business report of it needs."""
    today = wib_today()
    rows = db.execute(
        "SELECT e.event_id, e.event_date, e.regency_code, e.invitees FROM events e JOIN plans p ON p.plan_id = e.plan_id "
        "JOIN regencies g ON g.code = e.regency_code WHERE p.status = 'published' AND e.status = 'planned' AND e.event_date <= ? "
        "AND g.province_code = ? ORDER BY e.invitees DESC, e.event_id LIMIT ?", [today.isoformat(), user.provinces[0], k]).fetchall()
    out = []
    for eid, date, regency, n in rows:
        inv = db.execute("SELECT i.business_id, b.size_class, b.workers FROM invitations i JOIN businesses b USING (business_id) "
                         "WHERE i.event_id = ? ORDER BY i.business_id", [eid]).fetchall()
        present = inv[: min(len(inv), 70)]
        n_walk = PRESENT - len(present)
        n_new = max(1, n_walk // 4)
        known = db.execute(
            "SELECT b.business_id, b.size_class, b.workers FROM businesses b WHERE b.regency_code = ? AND b.workers >= 1 "
            "AND b.business_id NOT IN (SELECT business_id FROM invitations WHERE event_id = ?) ORDER BY b.business_id LIMIT ?",
            [regency, eid, n_walk - n_new]).fetchall()
        if len(known) < n_walk - n_new:
            n_new = n_walk - len(known)
        out.append({"event_id": eid, "date": date, "regency": regency, "invitees": len(inv), "present": [list(r) for r in present],
                    "walk_known": [list(r) for r in known], "walk_new": n_new})
    return out


def report_of(ev: dict, i: int):
    """Save number ``i`` of event ``ev``: 100 rows; which rows registered and which need a
    follow-up rotates with ``i``, the attendance and the note change every time."""
    from planner.reporting import reports as rp
    from planner.vocabulary import mandatory_programmes

    rows = []

    def flags(j: int, size: str, workers: int) -> dict:
        if (j + i) % 4 == 0:
            return {"registered": "1", "workers_registered": str(max(1, workers // 2)), "programmes": ";".join(mandatory_programmes(size, workers))}
        return {"registered": "0", "follow_up": "1" if (j + i) % 5 == 1 else "0", "note": "minta brosur" if (j + i) % 7 == 0 else ""}

    j = 0
    for bid, size, workers in ev["present"] + ev["walk_known"]:
        j += 1
        rows.append(rp.RawRow({"business_id": bid, **flags(j, size, int(workers))}, j))
    for n in range(ev["walk_new"]):
        j += 1
        workers = 1 + n % 4
        # A new walk-in with an id of its own (the form's walk-in id column): an id left to
        # the validator, W<event>-NNN, can name a walk-in an earlier report of the event
        # already holds (see docs/benchmarks.md, "Field work").
        rows.append(rp.RawRow({"business_id": f"BW-{ev['event_id']}-{n + 1:03d}", "name": f"Warung Datang {ev['event_id']} {n + 1}", "regency_code": ev["regency"], "sector": "G",
                               "size_class": "mikro", "workers": str(workers), "phone": f"0812{n:08d}", **flags(j, "mikro", workers)}, j))
    fields = {"status": "held", "held_on": ev["date"], "attendance": str(PRESENT + 20 + i), "note": f"simpan ke-{i}"}
    return rp.RawReport(ev["event_id"], fields, rows, source="form")


def part_save(n_saves: int, n_events: int, profile: bool) -> dict:
    from planner import auth
    from planner.db import connect
    from planner.reporting import reports as rp

    work = copy_db(WORLD, FIELD_OUT / "work_save.db")
    db = connect(work)
    user = auth.get_user(db, STAFF_ACCOUNT)
    events = save_events(db, user, n_events)
    if len(events) < 2:
        raise SystemExit("fewer than 2 past events to alternate between")
    audit0 = db.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'event_reports'").fetchone()[0]
    print(f"  {len(events)} events ({', '.join(e['event_id'] + ' ' + str(e['invitees']) + ' invitees' for e in events)}); "
          f"each save: {PRESENT} present = up to 70 invitees + walk-ins (known businesses and new ones); {n_saves} saves as {user.username}")
    load0 = loadavg()
    walls, cpus, kinds = [], [], []
    prof = cProfile.Profile() if profile else None
    for i in range(n_saves):
        ev = events[i % len(events)]
        row = db.execute("SELECT version FROM event_reports WHERE event_id = ?", [ev["event_id"]]).fetchone()
        report = report_of(ev, i)
        report.expected_version = int(row[0]) if row else 0  # what the form sends: the version it was opened on
        if prof:
            prof.enable()
        c0, t0 = time.process_time(), time.perf_counter()
        res = rp.save(db, user, [report])
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if prof:
            prof.disable()
        assert res.rows == PRESENT and res.reports == 1, res
        walls.append(wall)
        cpus.append(cpu)
        kinds.append("create" if res.created else "update")
    load1 = loadavg()
    # every report present once, with its 100 rows; one audit entry per save
    for ev in events:
        got = db.execute("SELECT present, version FROM event_reports WHERE event_id = ?", [ev["event_id"]]).fetchone()
        n_rows = db.execute("SELECT COUNT(*) FROM report_rows WHERE event_id = ?", [ev["event_id"]]).fetchone()[0]
        assert got[0] == PRESENT and n_rows == PRESENT, (ev["event_id"], got, n_rows)
        # contacts: every invitee (came or not), every member of the control group and every walk-in, once
        contacts = db.execute("SELECT COUNT(*), COUNT(DISTINCT business_id) FROM contacts WHERE event_id = ?", [ev["event_id"]]).fetchone()
        n_inv = db.execute("SELECT COUNT(*) FROM invitations WHERE event_id = ?", [ev["event_id"]]).fetchone()[0]
        ctl = {b for (b,) in db.execute("SELECT business_id FROM controls WHERE event_id = ?", [ev["event_id"]])}
        walk = [b for b, _, _ in ev["walk_known"]] + [f"BW-{ev['event_id']}-{n + 1:03d}" for n in range(ev["walk_new"])]
        want = n_inv + len(ctl) + sum(b not in ctl for b in walk)  # a control who came anyway is one contact (a control, attended)
        assert contacts[0] == contacts[1] == want, (ev["event_id"], contacts, want)
    audits = db.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'event_reports'").fetchone()[0] - audit0
    assert audits == n_saves, (audits, n_saves)
    db.conn.close()
    if prof:
        path = FIELD_OUT / "save.prof"
        prof.dump_stats(str(path))
        pstats.Stats(str(path)).sort_stats("cumulative").print_stats(25)
    s = spread(walls)
    result = {"saves": n_saves, "events": [e["event_id"] for e in events], "invitees": [e["invitees"] for e in events],
              "creates": kinds.count("create"), "updates": kinds.count("update"), "wall_s": walls, "cpu_s": cpus,
              "wall": s, "cpu": spread(cpus), "update_wall_median": median([w for w, k in zip(walls, kinds) if k == "update"] or [float("nan")]),
              "create_wall_median": median([w for w, k in zip(walls, kinds) if k == "create"] or [float("nan")]),
              "audit_entries": audits, "loadavg": f"{load0} -> {load1}", "target_s": SAVE_TARGET_S, "pass": s["median"] < SAVE_TARGET_S}
    remove_db(work)
    return result


# --------------------------------------------------------------------------- b. the report file import
def part_import(repeat: int) -> dict:
    load0 = loadavg()
    t0 = time.perf_counter()
    cmd = [sys.executable, str(ROOT / "bench" / "bench_reports.py"), "--repeat", str(repeat)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    print("  " + "\n  ".join(proc.stdout.strip().splitlines()[-12:]))
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench_reports.py failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    data = json.loads((OUT / "bench_reports_50000.json").read_text())
    return {"command": "python bench/bench_reports.py --repeat " + str(repeat), "report_rows": data["report_rows"], "events": data["events"],
            "report_secs": data["report_secs"], "businesses_secs": data["businesses_secs"], "report_rows_per_s": data["report_rows_per_s"],
            "businesses_rows_per_s": data["businesses_rows_per_s"], "ratio": data["ratio"], "target": IMPORT_TARGET_RATIO,
            "pass": data["ratio"] >= IMPORT_TARGET_RATIO, "loadavg": f"{load0} -> {loadavg()}", "total_s": round(secs, 1)}


# --------------------------------------------------------------------------- c. Agenda and Laporan reruns
def _select_row(at, key: str, row: int):
    """Rerun with row ``row`` of the dataframe ``key`` selected, as a click in the browser
    sends it (AppTest has no API for a dataframe selection: the widget state is added to
    the ones AppTest sends)."""
    ws = at._tree.get_widget_states()
    df = at.dataframe(key=key)
    w = ws.widgets.add()
    w.id = df.proto.id
    w.string_value = json.dumps({"selection": {"rows": [row], "columns": [], "cells": []}})  # value_type "string_value"
    return at._run(ws)


def _page_session(page: str, user, selected: str | None, events: dict):
    """A session on ``page`` (warmed up by its first run), set to the wanted state."""
    from streamlit.testing.v1 import AppTest

    from app_pages.common import SESSION_USER

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state[SESSION_USER] = user
    at.run()
    if page == "laporan":
        at.switch_page("app_pages/laporan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    rerun = at.run
    if selected and page == "agenda":
        table = at.dataframe(key="agenda_table").value
        row = events["agenda_row"]
        _select_row(at, "agenda_table", row)
        assert not at.exception, [e.value for e in at.exception]
        shown = at.subheader[0].value
        assert events["agenda_partner"] in shown.replace("\\", ""), (shown, events["agenda_partner"], len(table))
        rerun = lambda: _select_row(at, "agenda_table", row)  # noqa: E731 - the selection is sent on every rerun, as the browser does
    elif selected and page == "laporan":
        at.selectbox(key="laporan_pick").set_value(selected).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.selectbox(key="laporan_pick").value == selected
    return at, rerun


def _what_shows(at, page: str) -> dict:
    """What the rerun drew (to check that the timed reruns render the whole page)."""
    tables = {}
    for d in at.dataframe:  # a st.dataframe without selection has no key under AppTest: named by a column
        v = d.value
        tables[d.key or ("invitations" if "WhatsApp" in v.columns else f"#{len(tables)}")] = len(v)
    out = {"title": at.title[0].value if at.title else None, "tables": tables, "exceptions": len(at.exception), "errors": len(at.error)}
    if page == "laporan":
        out["event"] = at.selectbox(key="laporan_pick").value
        out["events_listed"] = len(at.selectbox(key="laporan_pick").options)
    return out


def part_pages(reruns: int, warmup: int, profile: bool, info: dict) -> dict:
    import logging

    import streamlit as st

    from planner import auth
    from planner.db import connect
    from planner.reporting import agenda as ag
    from planner.reporting import reports as rp

    work = copy_db(WORLD, FIELD_OUT / "work_pages.db")
    os.environ["PLANNER_DB"] = str(work)
    os.environ["PLANNER_MODELS"] = str(MODELS)
    # AppTest outside `streamlit run`: Streamlit warns on every rerun that there is no runtime.
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    db = connect(work)
    user = auth.get_user(db, AGENDA_ACCOUNT)
    today = wib_today()
    agenda = ag.agenda(db, user, staff_id=user.staff_id, today=today)
    upcoming = agenda[agenda["date"] >= today.isoformat()].reset_index(drop=True)
    to_report = rp.events_to_report(db, user, today=today)
    # Selected: on Agenda the coming event with the longest invitation list (row of the
    # table as shown); on Laporan the staff member's reported event with the most
    # businesses present (its saved report, invitees and walk-ins fill the form).
    big = upcoming["invitees"].astype(int).idxmax()
    mine = to_report[(to_report["staff_id"] == user.staff_id) & (to_report["report_status"] == "held")]
    pick = mine.sort_values(["present", "event_id"], ascending=[False, True]).iloc[0]
    events = {"agenda_row": int(big), "agenda_partner": upcoming.loc[big, "partner"], "agenda_event": upcoming.loc[big, "event_id"],
              "agenda_invitees": int(upcoming.loc[big, "invitees"]), "laporan_event": pick["event_id"], "laporan_invitees": int(pick["invitees"]),
              "laporan_present": int(pick["present"])}
    db.conn.close()
    print(f"  {user.username} ({user.staff_id}): {len(agenda)} events on the agenda ({len(upcoming)} coming, "
          f"{int((agenda['past'] & agenda['report_status'].isna()).sum())} past and not reported), Laporan lists {len(to_report)} events "
          f"of province {user.provinces[0]}")
    print(f"  selected: Agenda row {events['agenda_row']} ({events['agenda_event']}, {events['agenda_invitees']} invitees); "
          f"Laporan {events['laporan_event']} ({events['laporan_invitees']} invitees, reported: {events['laporan_present']} present)")
    results = []
    for page in ("agenda", "laporan"):
        for selected in (None, events[f"{page}_event"]):
            st.cache_data.clear()
            st.cache_resource.clear()
            at, rerun = _page_session(page, user, selected, events)
            for _ in range(warmup):
                rerun()
            load0 = loadavg()
            walls, cpus = [], []
            prof = cProfile.Profile() if profile else None
            for _ in range(reruns):
                if prof:
                    prof.enable()
                c0, t0 = time.process_time(), time.perf_counter()
                rerun()
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                if prof:
                    prof.disable()
                walls.append(wall * 1000)
                cpus.append(cpu * 1000)
            assert not at.exception and not at.error, ([e.value for e in at.exception], [e.value for e in at.error])
            shows = _what_shows(at, page)
            if page == "agenda":  # the table of events shown and the selected (or first) event's invitations
                assert shows["tables"]["agenda_table"] == len(upcoming), shows
                want = events["agenda_invitees"] if selected else int(upcoming["invitees"].iloc[0])
                assert shows["tables"].get("invitations") == want, (shows, want)
            else:  # the form's invitee editor of the event picked
                want = int(to_report.set_index("event_id").loc[shows["event"], "invitees"])
                assert shows["tables"][f"laporan_inv_{shows['event']}"] == want, (shows, want)
            label = f"{page}: {'selected event' if selected else 'default (no event selected)'}"
            s = spread(walls)
            r = {"page": page, "selected": selected, "label": label, "shows": shows, "wall_ms": walls, "cpu_ms": cpus, "wall": s, "cpu": spread(cpus),
                 "loadavg": f"{load0} -> {loadavg()}", "target_ms": PAGE_TARGET_MS, "pass": s["median"] < PAGE_TARGET_MS}
            print(f"  {label}: shows {shows}")
            print(f"  {label:<45} wall median {s['median']:6.0f} ms (min {s['min']:.0f}, max {s['max']:.0f}), "
                  f"CPU median {r['cpu']['median']:6.0f} ms; load {r['loadavg']} -> {'PASS' if r['pass'] else 'FAIL'}")
            if prof is None and not r["pass"]:  # over the target: profile the same reruns
                prof = cProfile.Profile()
                prof.enable()
                for _ in range(reruns):
                    rerun()
                prof.disable()
            if prof is not None:
                path = FIELD_OUT / f"pages_{page}_{'selected' if selected else 'default'}.prof"
                prof.dump_stats(str(path))
                buf = io.StringIO()
                st_ = pstats.Stats(str(path), stream=buf)
                st_.sort_stats("cumulative").print_stats(40)
                st_.sort_stats("tottime").print_stats(25)
                (path.with_suffix(".txt")).write_text(buf.getvalue())
                r["profile"] = str(path.with_suffix(".txt").relative_to(ROOT))
                r["profile_top"] = _top_costs(path, reruns)
                for line in r["profile_top"][:15]:
                    print("    " + line)
            results.append(r)
    remove_db(work)
    return {"staff": user.username, "staff_id": user.staff_id, "events": len(agenda), "coming": len(upcoming), "laporan_list": len(to_report),
            "selected": events, "reruns": reruns, "warmup": warmup, "runs": results, "pass": all(r["pass"] for r in results),
            "agenda_setup": info.get("agenda")}


def _top_costs(path: Path, reruns: int) -> list[str]:
    """The functions of the project (and the biggest library ones) by cumulative time per rerun."""
    stats = pstats.Stats(str(path))
    rows = []
    for (file, line, fn), (cc, nc, tt, ct, callers) in stats.stats.items():
        rows.append((ct, tt, nc, file, line, fn))
    rows.sort(reverse=True)
    out = []
    for ct, tt, nc, file, line, fn in rows:
        rel = file.replace(str(ROOT) + "/", "")
        ours = rel.startswith(("planner/", "app_pages/", "streamlit_app"))
        if ours or ct / reruns > 0.02:
            short = rel if ours else "/".join(rel.split("/")[-2:])
            out.append(f"{ct / reruns * 1000:7.1f} ms cum {tt / reruns * 1000:6.1f} ms own  {nc // max(1, reruns):5d} calls  {short}:{line} {fn}")
        if len(out) >= 40:
            break
    return out


# --------------------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=("all", "save", "import", "pages"), default="all")
    ap.add_argument("--saves", type=int, default=24, help="saves of a 100-row report (a), at least 20")
    ap.add_argument("--events", type=int, default=6, help="events the saves alternate between (a)")
    ap.add_argument("--import-repeat", type=int, default=3, help="repeats of bench_reports.py (b)")
    ap.add_argument("--reruns", type=int, default=25, help="timed reruns per page and state (c), at least 20")
    ap.add_argument("--warmup", type=int, default=3, help="reruns before timing (c)")
    ap.add_argument("--profile", action="store_true", help="profile every measured part (always done for a page over its target)")
    ap.add_argument("--rebuild", action="store_true", help="build the world again")
    args = ap.parse_args()
    FIELD_OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    print("machine:")
    print_machine(info)
    command = "python bench/bench_field.py " + " ".join(sys.argv[1:])
    print(f"command: {command.rstrip()}")
    world = build_world(args.rebuild)
    res: dict = {"machine": info, "command": command.rstrip(), "world": world}
    ok = True
    if args.part in ("all", "save"):
        print("\n[a] saving a 100-business report through reports.save, as staff")
        r = part_save(args.saves, args.events, args.profile)
        res["save"] = r
        ok &= r["pass"]
        print(f"  median {r['wall']['median'] * 1000:.0f} ms (min {r['wall']['min'] * 1000:.0f}, q1 {r['wall']['q1'] * 1000:.0f}, "
              f"q3 {r['wall']['q3'] * 1000:.0f}, max {r['wall']['max'] * 1000:.0f}); CPU median {r['cpu']['median'] * 1000:.0f} ms; "
              f"{r['creates']} creates, {r['updates']} updates; load {r['loadavg']}")
        print(f"TARGET save of a 100-business report < {SAVE_TARGET_S:g} s: {r['wall']['median']:.3f} s -> {'PASS' if r['pass'] else 'FAIL'}")
    if args.part in ("all", "import"):
        print("\n[b] a 50,000-row report file vs a 50,000-row businesses import (bench/bench_reports.py)")
        r = part_import(args.import_repeat)
        res["import"] = r
        ok &= r["pass"]
        print(f"TARGET report rows/s >= 1/3 of businesses rows/s: {r['ratio']:.2f} -> {'PASS' if r['pass'] else 'FAIL'}; load {r['loadavg']}")
    if args.part in ("all", "pages"):
        print("\n[c] Agenda and Laporan reruns (AppTest) for a staff member with 50 events")
        r = part_pages(args.reruns, args.warmup, args.profile, world)
        res["pages"] = r
        ok &= r["pass"]
        for x in r["runs"]:
            print(f"TARGET {x['label']} < {PAGE_TARGET_MS:g} ms: {x['wall']['median']:.0f} ms -> {'PASS' if x['pass'] else 'FAIL'}")
    out = FIELD_OUT / f"bench_field_{args.part}.json"
    out.write_text(json.dumps(res, indent=1, default=str))
    print(f"\nraw numbers in {out.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
