"""The world the load benchmark runs in: a fresh demo database with its field history,
accounts for the writers, and one plan per writer (plus a published one to browse)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, remove_db

from load.common import (
    BROWSE_PROVINCE,
    BURST_LOCK,
    BURST_OK,
    BURST_OK_PASSWORD,
    LOAD_OUT,
    PASSWORD,
    PLAN_BUDGET,
    PLAN_START,
    REPORT_PASSWORD,
    REPORT_WRITERS_FILE,
)


# =========================================================================== setup
def run_cli(*args: str, env: dict) -> str:
    cmd = [sys.executable, "-m", "planner", *args]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{res.stdout}\n{res.stderr}")
    return res.stdout + res.stderr


def _event_states(db, plan_id: int) -> dict[str, list]:
    """event_id -> [date, locked, status] of a plan's events."""
    return {r[0]: [r[1], int(r[2]), r[3]] for r in db.execute(
        "SELECT event_id, event_date, locked, status FROM events WHERE plan_id = ? ORDER BY event_id", [plan_id])}


def setup_plans(db, writers: int, time_limit: float) -> dict:
    """One draft plan per writer, each on its own province, solved; and a published plan
    for province 16 that every session browses first on Jadwal."""
    from planner import auth, plans
    from planner import scheduling as sch

    manager = auth.get_user(db, "manajer")
    provinces = [r[0] for r in db.execute("SELECT code FROM provinces WHERE code != ? ORDER BY code", [BROWSE_PROVINCE])]
    if writers > len(provinces):
        raise SystemExit(f"{writers} writers but only {len(provinces)} provinces for their plans")
    out: list[dict] = []

    def one(name: str, province: str, weeks: int, offset_weeks: int) -> dict:
        start = PLAN_START + dt.timedelta(weeks=offset_weeks)
        rules = sch.Rules(start=start, end=start + dt.timedelta(days=7 * weeks - 1), provinces=(province,), budget=PLAN_BUDGET, time_limit=time_limit)
        pid = plans.create_plan(db, manager, name, rules)
        t = time.perf_counter()
        sol = plans.solve_plan(db, manager, pid)
        secs = time.perf_counter() - t
        states = _event_states(db, pid)
        inv = db.execute("SELECT COUNT(*) FROM invitations WHERE plan_id = ?", [pid]).fetchone()[0]
        return {"plan_id": pid, "name": name, "province": province, "start": rules.start.isoformat(), "end": rules.end.isoformat(),
                "weeks": weeks, "status": sol.status, "solve_s": round(secs, 2), "events": len(states), "invitations": inv, "states": states}

    for w in range(writers):
        out.append(one(f"Bench w{w:02d} · {provinces[w]}", provinces[w], 4 + w % 5, w % 4) | {"writer": w})
    browse = one("Bench Sumsel (terbit)", BROWSE_PROVINCE, 8, 0)
    plans.publish_plan(db, manager, browse["plan_id"])
    browse["published"] = True
    return {"writers": out, "browse": browse}


def setup_reports(db, writers: int) -> dict:
    """The field phase's report writers: one staff account ``bench.sNN`` each (the field
    history's provinces), the past events of the field history they report (writer *w*
    the events *w*, *w* + writers, ...; when there are fewer events than writers, writer
    *w* takes event *w* mod their number, shared with another writer), and each event's
    invitees and report version before the phase. Plus the burst's accounts."""
    from planner import auth
    from planner.demo import field_history
    from planner.reporting.reports import today

    actor = auth.system_user()
    h = field_history(db)
    if h is None:
        raise SystemExit("no field history in the load database")
    provinces = tuple(sorted({r[0] for r in db.execute(
        "SELECT DISTINCT g.province_code FROM events e JOIN regencies g ON g.code = e.regency_code WHERE e.plan_id = ?", [h["plan_id"]])}))
    for w in range(writers):
        auth.add_user(db, actor, f"bench.s{w:02d}", REPORT_PASSWORD, "staff", provinces, f"Bench staf {w:02d}")
    for name in BURST_OK:
        auth.add_user(db, actor, name, BURST_OK_PASSWORD, "leadership", (), f"Bench masuk {name[-1]}")
    for name in BURST_LOCK:
        auth.add_user(db, actor, name, BURST_OK_PASSWORD, "leadership", (), f"Bench kunci {name[-1]}")
    rows = db.execute(
        "SELECT e.event_id, e.event_date, e.regency_code, g.province_code FROM events e JOIN regencies g ON g.code = e.regency_code "
        "WHERE e.plan_id = ? AND e.status = 'planned' AND e.event_date < ? ORDER BY e.event_date, e.event_id",
        [h["plan_id"], today().isoformat()]).fetchall()
    events = []
    for eid, date, regency, province in rows:
        inv = db.execute("SELECT i.business_id, b.size_class, b.workers FROM invitations i JOIN businesses b USING (business_id) "
                         "WHERE i.event_id = ? ORDER BY i.business_id", [eid]).fetchall()
        ver = db.execute("SELECT version, status FROM event_reports WHERE event_id = ?", [eid]).fetchone()
        audits = db.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'event_reports' AND entity_key = ?", [eid]).fetchone()[0]
        events.append({"event_id": eid, "date": date, "regency": regency, "province": province, "invitees": [list(r) for r in inv],
                       "version_before": ver[0] if ver else 0, "status_before": ver[1] if ver else None, "audits_before": audits})
    if not events:
        raise SystemExit("the field history has no past event to report")
    owners: dict[int, list[int]] = {w: [j for j in range(len(events)) if j % writers == w] or [w % len(events)] for w in range(writers)}
    for w, js in owners.items():
        for j in js:
            events[j].setdefault("writers", []).append(w)
    return {"plan_id": h["plan_id"], "provinces": provinces, "events": events, "owners": {str(w): js for w, js in owners.items()}}


def setup_database(db_path: Path, businesses: int, writers: int, env: dict, plan_time_limit: float, field: bool = True,
                   report_writers: int = 20) -> dict:
    remove_db(db_path)
    t0 = time.perf_counter()
    # With the field history (a published plan for provinces 16 and 63, its past events
    # reported), which trains and scores the model itself; without it, `train --score`.
    init_out = run_cli("--db", str(db_path), "init", "--demo", "--businesses", str(businesses), *(("--field",) if field else ()), env=env)
    t1 = time.perf_counter()
    train_out = "" if field else run_cli("--db", str(db_path), "train", "--score", env=env)
    t2 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from planner import auth
    from planner import db as dbmod

    db = dbmod.connect(db_path)
    try:
        actor = auth.system_user()
        for username, *_ in auth.DEMO_ACCOUNTS:
            auth.set_password(db, actor, username, PASSWORD)
        for w in range(writers):
            auth.add_user(db, actor, f"bench.w{w:02d}", PASSWORD + "-bench", "leadership", (), f"Bench writer {w:02d}")
        t3 = time.perf_counter()
        plan_setup = setup_plans(db, writers, plan_time_limit)
        t4 = time.perf_counter()
        report_setup = setup_reports(db, report_writers) if field else None
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("businesses", "contacts", "partners", "scores", "audit_log", "import_runs", "users", "plans", "events", "invitations",
                            "event_reports", "report_rows", "followups")}
        # contacts the report writers do not touch (theirs are rewritten with every report)
        eids = [e["event_id"] for e in report_setup["events"]] if report_setup else []
        counts["contacts_outside_reports"] = db.execute(
            f"SELECT COUNT(*) FROM contacts WHERE event_id IS NULL OR event_id NOT IN ({','.join('?' * len(eids))})", eids).fetchone()[0]
    finally:
        db.conn.close()
    (LOAD_OUT / "plans.json").write_text(json.dumps(plan_setup))
    if report_setup:
        (LOAD_OUT / REPORT_WRITERS_FILE).write_text(json.dumps(report_setup))
    return {"init_s": round(t1 - t0, 1), "train_score_s": round(t2 - t1, 1), "plans_s": round(t4 - t3, 1),
            "init_out": " / ".join(init_out.strip().splitlines()[-2:]),
            "train_out": train_out.strip().splitlines()[-1] if train_out.strip() else "(trained and scored by the field history)",
            "counts_before": counts, "plans": plan_setup,
            "reports": None if report_setup is None else {k: v for k, v in report_setup.items() if k != "events"} | {
                "events": [{k: v for k, v in e.items() if k != "invitees"} | {"invitees": len(e["invitees"])} for e in report_setup["events"]]}}
