"""Load benchmark: 20 people browsing the real app while 20 writers import and edit;
then 20 staff filing event reports and a burst of 100 sign-ins.

    python bench/bench_load.py                       # defaults below, about 6-7 minutes
    python bench/bench_load.py --duration 30 --light-duration 20 --ops 10   # shorter
    # about 5 minutes, every phase but solo and light:
    python bench/bench_load.py --solo-duration 0 --sessions 4 --duration 20 --ops 5 --flat-ops 2 --light-duration 0 --ws-sessions 10 --ws-duration 15 --light-ops 5

One run, bounded in time, only 127.0.0.1, stops by itself:

1. **Setup.** A fresh demo database of ``--businesses`` (20,000) businesses in
   ``bench/out/load/`` with its field history (``python -m planner init --demo --field``,
   which trains and scores; models in ``bench/out/load/models``; with
   ``--field-duration 0``: ``init --demo`` then ``train --score``), plus one account
   ``bench.wNN`` per writer for the account edits. The demo accounts get a password of
   the benchmark's own: once the writers have imported data, the database holds real
   data, and a sign-in with the public demo password opens only the page that changes it.
   Then one draft plan per writer, each on its own province (the first
   provinces in code order other than 16), 4-8 weeks in February-April 2027, Rp 100 M,
   solved with ``plans.solve_plan`` (``time_limit`` ``--plan-time-limit`` s) so it has
   events; writers never share a plan. And one plan for Sumatera Selatan (16), solved and
   published, so the staff account browsing (``staf.sumsel``) has a plan on *Jadwal*.
   Then ``streamlit run streamlit_app.py`` on a free port with ``PLANNER_DB`` pointing
   at it.
2. **solo**: one browser page alone (no writers) for ``--solo-duration`` s: the page
   times of an idle server, for reference.
3. **main**: ``--sessions`` (20) Playwright pages in ONE headless Chromium, each its own
   browser context signed in through the form at ``/masuk`` (the four demo accounts in
   turn), each looping Peluang (full load) -> Peluang segment filter -> Sasaran (sidebar)
   -> Sasaran sort filter -> Jadwal (sidebar; the newest plan, the published one) ->
   Jadwal plan selectbox (a writer's draft plan, not for staff, who see only published
   plans) for ``--duration`` s, with ``--think`` s between actions; every other session
   visits Jadwal before Sasaran. The pages sign in first, with no writers (on 2 cores 20
   Chromium pages need about a minute and a half just for that); once all have signed
   in, the writers are released and the pages browse for ``--duration`` s from then.
   Sign-ins under writes are in the light phase.
   During the browsing ``--writers`` (20) writer threads (in one child process, so their
   Python work does not stall the browser driver's event loop), each with its own
   ``planner.db.connect`` connection, make ``--ops`` writes each, Poisson-paced over the
   phase (all start together: a burst at t=0): contacts imports (20-200 rows), new
   partners (20-200 rows), partner re-imports that change ``capacity_per_month``,
   ``auth.set_active`` toggles of their own account, and (20 % of writes) edits of one
   planned event of their own plan: ``plans.set_locked`` (toggle), ``plans.move_event``
   (another weekday in the plan's horizon; the event becomes locked) or
   ``plans.cancel_event`` (only while the plan keeps more than 3 planned events). Every
   exception is recorded.
4. **flat-out**: the writers alone, ``--flat-ops`` writes each back to back: the write
   rate with 20 writers contending for the lock.
5. **light**: ``--light-browsers`` (5) browser pages plus ``--light-ws`` (15) sessions
   that speak Streamlit's websocket protocol directly (same server work, no rendering;
   same loop, Jadwal included), with the paced writers again, for ``--light-duration`` s.
6. **ws**: ``--ws-sessions`` (20) websocket sessions and no browser, with the paced
   writers (``--light-ops`` each), for ``--ws-duration`` s: 20 sessions whose client
   costs nothing, so the 2 cores go to the server and the writers.
7. **field**: ``--field-ws`` (10) websocket sessions, the paced writers (``--light-ops``
   each) and ``--report-writers`` (20) staff accounts ``bench.sNN`` (in a child process
   of their own, a thread and a connection each) filing ``--report-ops`` (6) reports each
   of the field history's past events, Poisson-paced, for ``--field-duration`` s: even
   writers through the Laporan form's path (``reports.form_rows``, the ticks and walk-in
   lines, ``reports.from_form``, ``reports.save`` with the version the form opened), odd
   ones by uploading a filled report template (``forms.template_frame`` of the event,
   filled, formula-safe CSV, ``forms.import_reports``). Writer *w* reports events *w*,
   *w* + 20, ...; with fewer events than writers some events have two writers (a form
   opened before the other's save is then refused, as designed). A third into the
   phase, ``--burst`` (100) sign-in attempts on ``/masuk`` at once (right passwords of
   the demo accounts and of ``bench.okN``, wrong ones of ``bench.lockN``, unknown
   accounts) while the server's VmRSS is sampled every 20 ms; after the phase the same
   burst again on the idle server. Peluang is opened at its own address (``/`` for
   admins and managers; ``/peluang`` for staff, who land on Agenda, and leadership, who
   land on Proyeksi).
8. **Verify**: every row each writer reported as written is in the database with the
   values it wrote (contacts by key; partners by id with the last capacity written;
   accounts with the last active flag; plan events with the date, locked flag and status
   of their last successful edit, every other event of the writers' plans as solved),
   failed writes left nothing behind, the ``import_runs`` and ``audit_log`` entries match
   the writes one for one (``event.lock``/``event.unlock``/``event.move``/``event.cancel``
   per event edit), cancelled events have no invitations, ``PRAGMA integrity_check`` is
   ok, ``foreign_key_check`` is empty, and "database is locked" appeared nowhere (writer
   exceptions, the server log, the pages). The reports: each report's version went up
   once per successful save, one audit entry per save (its note names the save), the
   stored report is the save its note names with exactly its rows, its contacts are every
   invitee, control and walk-in once, new walk-ins were created once, no lead twice. The
   bursts: nobody let in with a wrong password, no right one refused as wrong, sign-ins
   and refusals audited, the accounts hit with wrong passwords locked, the server's
   memory at most 192 MiB over its baseline during the burst alone.

**Page time** is measured inside the page: from navigation start (``performance.now()``
of the new document) or from the ``pointerdown`` of the click, until the app reports
``[data-testid=stApp][data-test-script-state=notRunning]`` with a ``stDataFrame`` or the
Jadwal week calendar ``table.jk-cal`` visible (a MutationObserver installed by an init
script stamps the moment; on Jadwal the dataframes sit in hidden tabs and the calendar is
the first thing shown). The driver's own view (command sent -> wait returned) is recorded
too. For websocket sessions: BackMsg sent -> ``script_finished`` received, with a
dataframe delta in the run (Jadwal's events table is one, in its tab).

Results: a markdown section in ``bench/out/load/RESULTS-load.md`` (``--results``), raw numbers in
``bench/out/load/bench_load.json``. Exit status 0 when nothing was lost, the database is
intact and no "database is locked" was seen; 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import math
import os
import random
import re
import shlex
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from _common import OUT, ROOT, machine, remove_db

LOAD_OUT = OUT / "load"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
# The demo accounts get this password at setup: once the writers have imported data, the
# database holds real data, and a sign-in with the public demo password opens only the
# page that changes it (auth.login), not the app.
PASSWORD = "jangkau-beban-uji"
BROWSE_USERS = ("manajer", "admin", "staf.sumsel", "pimpinan")
LOCKED = re.compile(r"database (table )?is locked", re.I)
ACTION_TIMEOUT_MS = 60_000
GATE_TIMEOUT_S = 240  # main phase: longest wait for all sessions to have signed in

# Stamps the moment the app is ready: script state notRunning with a dataframe (or the
# Jadwal calendar) visible.
# ``ready`` counts such moments; any other script state arms the next one.
OBSERVER_JS = """
(() => {
  const jk = window.__jk = {ready: 0, readyAt: null, clickAt: null, state: null, armed: true};
  const visible = sel => Array.from(document.querySelectorAll(sel)).some(d => {
    const r = d.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  });
  // Peluang and Sasaran: a dataframe; Jadwal: its week calendar (the dataframes are in hidden tabs)
  // An exception shown ends the wait too (PROBLEMS_JS then records it) instead of a 60 s timeout.
  const dfVisible = () => visible('[data-testid=stDataFrame]') || visible('table.jk-cal') || visible('[data-testid=stException]');
  const check = () => {
    const app = document.querySelector('[data-testid=stApp]');
    const st = app ? app.getAttribute('data-test-script-state') : null;
    if (st !== jk.state) { jk.state = st; if (st !== 'notRunning') jk.armed = true; }
    if (st === 'notRunning' && jk.armed && dfVisible()) { jk.armed = false; jk.ready++; jk.readyAt = performance.now(); }
  };
  new MutationObserver(check).observe(document, {attributes: true, childList: true, subtree: true});
  document.addEventListener('pointerdown', () => { jk.clickAt = performance.now(); }, true);
})();
"""
PROBLEMS_JS = """
() => ({
  exceptions: Array.from(document.querySelectorAll('[data-testid=stException]'), e => e.innerText.slice(0, 300)),
  errors: Array.from(document.querySelectorAll('[data-testid=stAlertContentError]'), e => e.innerText.slice(0, 300)),
})
"""
# Options other than the default (a click on the selected option starts no run); every
# loop starts with a full load, i.e. a new Streamlit session with default widgets.
PELUANG_SEGMENTS = ("PU (penerima upah)", "BPU (bukan penerima upah)")
SASARAN_SORTS = ("Peluang daftar", "Tambahan pekerja")
WS_SEGMENTS = PELUANG_SEGMENTS
WS_SORTS = SASARAN_SORTS
# Jadwal on a draft plan whose events break a rule shows this st.error above the list of
# rules: the app working as designed after a move, not a problem of the page.
VIOLATIONS_NOTICE = re.compile(r"^(Jadwal saat ini melanggar aturan|The current schedule breaks rules)")
BROWSE_PROVINCE = "16"  # staf.sumsel's province: the published plan browsed by everyone
PLAN_START = dt.date(2027, 2, 1)  # a Monday
PLAN_BUDGET = 100_000_000
WRITER_PLANS: list[int] = []  # plan ids of the writers' plans, for the Jadwal selectbox (set after setup)
EDIT_ACTIONS = {"event_lock": None, "event_move": "event.move", "event_cancel": "event.cancel"}  # lock: event.lock / event.unlock
# Field phase: staff filing event reports, and a burst of sign-ins on /masuk.
REPORT_WRITERS_FILE = "reports.json"  # setup -> the report writers' process: events, accounts
REPORT_PASSWORD = PASSWORD + "-lapor"
BURST_OK_PASSWORD = PASSWORD + "-masuk"  # accounts bench.okN: right passwords only
BURST_DEMO = ("admin", "manajer", "staf.sumsel", "staf.kalsel", "pimpinan")  # right passwords (never a wrong one: they browse)
BURST_OK = tuple(f"bench.ok{i}" for i in range(4))
BURST_LOCK = tuple(f"bench.lock{i}" for i in range(3))  # wrong passwords only: locked after auth.MAX_FAILURES
WRONG_MSG = re.compile(r"Nama pengguna atau kata sandi salah|Wrong user name or password")
BUSY_MSG = re.compile(r"Banyak orang sedang masuk bersamaan|Many people are signing in at once")
ARGON2_MIB = 19  # per argon2 check (auth.ARGON2_MEMORY_MIB), at most ARGON2_SLOTS (2) at once per process
RSS_HEADROOM_MIB = 2 * ARGON2_MIB + 64  # the burst's peak over the baseline: two checks plus 64 MiB for threads and buffers


# =========================================================================== small helpers
def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = (len(s) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def proc_tree_cpu() -> dict[int, tuple[int, str, float]]:
    """pid -> (ppid, command name, utime+stime seconds) for every process."""
    hz = os.sysconf("SC_CLK_TCK")
    out = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            rest = stat[stat.rindex(")") + 2 :].split()
            out[int(d.name)] = (int(rest[1]), comm, (int(rest[11]) + int(rest[12])) / hz)
        except (OSError, ValueError, IndexError):
            pass
    return out


def descendants(tree: dict, root: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in tree.items():
        kids.setdefault(ppid, []).append(pid)
    seen, stack = set(), [root]
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        stack.extend(kids.get(p, []))
    return seen


class CpuMeter:
    """CPU seconds used per group of processes between ``start`` and ``stop``: the
    Streamlit server, Chromium, the Playwright node driver, this driver, the writers, and
    everything else on the machine. A thread samples /proc every 0.5 s, so processes that
    exit during the phase (the writers' child, Chromium renderers of closed contexts) are
    counted up to their last sample."""

    GROUPS = ("streamlit server", "chromium", "playwright driver (node)", "benchmark driver (python)", "writers")

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.writer_pid: int | None = None
        self._stop = threading.Event()

    def _sample(self) -> None:
        tree = proc_tree_cpu()
        me = os.getpid()
        server = descendants(tree, self.server_pid) if self.server_pid in tree else set()
        writer = set()
        for wp in (self.writer_pid, *getattr(self, "extra_writer_pids", ())):
            if wp and wp in tree:
                writer |= descendants(tree, wp)
        mine = descendants(tree, me) - server - writer
        for pid in server | writer | mine:
            if pid not in tree:
                continue
            _, comm, cpu = tree[pid]
            if pid in server:
                g = "streamlit server"
            elif pid in writer:
                g = "writers"
            elif pid == me:
                g = "benchmark driver (python)"
            elif "chrom" in comm.lower() or "headless" in comm.lower():
                g = "chromium"
            elif comm.startswith("node"):
                g = "playwright driver (node)"
            else:
                g = "benchmark driver (python)"
            self.last[pid] = (g, cpu)

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    @staticmethod
    def _machine() -> tuple[float, float]:
        vals = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        hz = os.sysconf("SC_CLK_TCK")
        return sum(vals[:8]) / hz, (vals[3] + vals[4]) / hz

    @staticmethod
    def _pressure() -> float | None:
        try:
            line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
            return int(line.split("total=")[1]) / 1e6
        except (OSError, IndexError, ValueError):
            return None

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.base = {pid: cpu for pid, (_, _, cpu) in proc_tree_cpu().items()}
        self.last: dict[int, tuple[str, float]] = {}
        self.m0 = self._machine()
        self.p0 = self._pressure()
        self.l0 = Path("/proc/loadavg").read_text().split()[0]
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        self._sample()
        wall = time.monotonic() - self.t0
        m1 = self._machine()
        p1 = self._pressure()
        total, idle = m1[0] - self.m0[0], m1[1] - self.m0[1]
        ncpu = len(os.sched_getaffinity(0))
        busy = total - idle
        groups = {g: 0.0 for g in self.GROUPS}
        for pid, (g, cpu) in self.last.items():
            groups[g] += max(0.0, cpu - self.base.get(pid, 0.0))
        groups["other processes"] = max(0.0, busy - sum(groups.values()))
        return {
            "wall_s": round(wall, 1),
            "cores_busy": round(busy / wall, 2) if wall else None,
            "machine_busy_pct": round(100 * busy / total, 1) if total else None,
            "cpu_pressure_some_pct": round(100 * (p1 - self.p0) / wall, 1) if p1 is not None and self.p0 is not None else None,
            "loadavg_1m_start_end": f"{self.l0} / {Path('/proc/loadavg').read_text().split()[0]}",
            "ncpu": ncpu,
            "cpu_s": {k: round(v, 1) for k, v in groups.items()},
        }


class LockWatch:
    """Who holds SQLite's WAL write lock, sampled every 20 ms without touching it: the
    lock is a POSIX byte-range lock on byte 120 of the ``-shm`` file, and ``F_GETLK``
    names the process holding it (the Streamlit server or the writers' process). This
    process opens no connection to the database while it watches (closing a file would
    drop this process's own locks on it, and it has none)."""

    def __init__(self, db_path: Path, server_pid: int) -> None:
        self.shm = Path(str(db_path) + "-shm")
        self.server_pid = server_pid
        self.writer_pid: int | None = None
        self._stop = threading.Event()

    def _owner(self, fd: int) -> int | None:
        import fcntl
        import struct

        req = struct.pack("@hhqqixxxx", fcntl.F_WRLCK, 0, 120, 1, 0)
        l_type, _, _, _, pid = struct.unpack("@hhqqixxxx", fcntl.fcntl(fd, fcntl.F_GETLK, req))
        return None if l_type == fcntl.F_UNLCK else pid

    def _loop(self) -> None:
        fd = None
        last_t, last_who, run_start = time.monotonic(), None, time.monotonic()
        while not self._stop.wait(0.02):
            now = time.monotonic()
            try:
                if fd is None:
                    fd = os.open(self.shm, os.O_RDWR)
                pid = self._owner(fd)
            except OSError:
                pid = None
            who = (None if pid is None else "server" if pid == self.server_pid else "writers" if pid == self.writer_pid
                   else "report writers" if pid == getattr(self, "reporter_pid", None) else "other")
            dt_ = now - last_t
            if last_who is not None:
                self.held[last_who] = self.held.get(last_who, 0.0) + dt_
            if who != last_who:
                if last_who is not None:
                    self.runs.append((last_who, run_start - self.t0, now - run_start))
                run_start = now
            last_t, last_who = now, who
        if last_who is not None:
            self.runs.append((last_who, run_start - self.t0, time.monotonic() - run_start))
        if fd is not None:
            os.close(fd)

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.held: dict[str, float] = {}
        self.runs: list[tuple[str, float, float]] = []
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        wall = time.monotonic() - self.t0
        longest = {}
        for who, start, dur in self.runs:
            if dur > longest.get(who, (0, 0))[1]:
                longest[who] = (round(start, 1), round(dur, 2))
        server_long = [(round(st, 1), round(d, 1)) for who, st, d in self.runs if who == "server" and d >= 1.0]
        return {
            "wall_s": round(wall, 1),
            "held_pct": {k: round(100 * v / wall, 1) for k, v in self.held.items()} if wall else {},
            "longest": longest,  # who -> (start s, seconds)
            "server_holds_over_1s": server_long[:50],
            "server_holds_over_1s_total_s": round(sum(d for _, d in server_long), 1),
        }


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout
        return out.strip().split(" built on")[0]
    except (OSError, subprocess.SubprocessError):
        return "unknown"


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


def start_server(db_path: Path, port: int, env: dict, log_path: Path) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited with {proc.returncode}:\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"streamlit did not answer within 60 s:\n{tail(log_path)}")
        time.sleep(0.2)


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


# =========================================================================== writers (child process)
def _csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    buf.write(",".join(header) + "\n")
    for r in rows:
        buf.write(",".join("" if v is None else str(v) for v in r) + "\n")
    return buf.getvalue().encode("utf-8")


CONTACT_COLS = ["business_id", "contacted_on", "channel", "invited", "enrolled", "attended", "workers_enrolled"]
PARTNER_COLS = ["partner_id", "name", "type", "regency_code", "capacity_per_month", "venue_capacity", "cost_per_event", "available_weekdays", "active"]


def writer_thread(wid: int, args, ref: dict, barrier: threading.Barrier, t_start: list, ops_out: list) -> None:
    from planner import auth, imports, plans
    from planner import db as dbmod
    from planner.migrations import PARTNER_TYPES

    rng = random.Random(args.seed * 1000 + wid)
    tag = args.tag
    db = None
    try:
        db = dbmod.connect(args.db)  # one connection per writer, opened in its thread
        manager = auth.get_user(db, "manajer")
        admin = auth.get_user(db, "admin")
    except BaseException as exc:  # noqa: BLE001 - recorded, never hidden
        ops_out.append({"w": wid, "k": -1, "op": "connect", "ok": False, "err": f"{type(exc).__name__}: {exc}",
                        "locked": bool(LOCKED.search(str(exc))), "tb": traceback.format_exc(), "t0": 0, "t1": 0})
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return
    # Lock wait and hold, seen through SQLite's statement trace (the planner is not
    # touched): the trace fires as a statement starts, so "wait" runs from BEGIN
    # IMMEDIATE to the next statement (the lock is ours), "hold" from there to COMMIT.
    lock = {"begin": None, "acquired": None, "wait": 0.0, "hold": 0.0, "txns": 0}

    def trace(sql: str) -> None:
        now = time.monotonic()
        head = sql.lstrip()[:8].upper()
        if head.startswith("BEGIN"):
            lock["begin"], lock["acquired"] = now, None
        elif lock["begin"] is not None:
            if lock["acquired"] is None:
                lock["acquired"] = now
                lock["wait"] += now - lock["begin"]
            if head.startswith(("COMMIT", "ROLLBACK")):
                lock["hold"] += now - lock["acquired"]
                lock["txns"] += 1
                lock["begin"] = None

    db.conn.set_trace_callback(trace)
    partners: dict[str, list] = {}  # this writer's partners as last written successfully
    active = True  # bench.wNN starts active
    user = f"bench.w{wid:02d}"
    today = dt.date.today()
    # This writer's own plan: its events as they are now (earlier phases included); only
    # this writer edits them, so after each successful edit this is the stored state.
    my_plan = ref["plans"][wid]
    plan_id = my_plan["plan_id"]
    plan_start, plan_end = dt.date.fromisoformat(my_plan["start"]), dt.date.fromisoformat(my_plan["end"])
    events = {r[0]: [r[1], int(r[2]), r[3]] for r in db.execute(
        "SELECT event_id, event_date, locked, status FROM events WHERE plan_id = ? ORDER BY event_id", [plan_id])}
    weekdays = [plan_start + dt.timedelta(days=i) for i in range((plan_end - plan_start).days + 1)]
    weekdays = [d for d in weekdays if d.weekday() < 5]
    barrier.wait()
    t0 = t_start[0]
    gap = args.gap
    next_at = t0
    hard_stop = t0 + args.hard_limit
    for k in range(args.ops):
        now = time.monotonic()
        if now >= hard_stop:
            ops_out.append({"w": wid, "k": k, "op": "skipped", "ok": False, "err": "hard time limit", "locked": False, "t0": now - t0, "t1": now - t0})
            continue
        if next_at > now:
            time.sleep(min(next_at - now, hard_stop - now))
        if gap > 0:
            next_at += rng.expovariate(1.0 / gap)
        r = rng.random()
        planned = sorted(e for e, st_ in events.items() if st_[2] == "planned")
        if r >= 0.80 and planned:
            # 20 %: an edit of one planned event of the writer's own plan
            r2 = rng.random()
            op = "event_lock" if r2 < 0.45 else "event_move" if r2 < 0.80 or len(planned) <= 3 else "event_cancel"
        elif r < 0.36:
            op = "contacts"
        elif r < 0.56 or len(partners) < 20:
            op = "partners_new"
        elif r < 0.68:
            op = "partners_update"
        else:
            op = "user_toggle"
        if op == "user_toggle" and k == 0:
            op = "contacts"
        rec: dict = {"w": wid, "k": k, "op": op}
        lock.update(begin=None, acquired=None, wait=0.0, hold=0.0, txns=0)
        try:
            if op == "contacts":
                n = rng.randint(20, 200)
                channel = f"bench-{tag}-w{wid:02d}-{k:03d}"
                bids = rng.sample(ref["business_ids"], n)
                rows = []
                for b in bids:
                    date = (today - dt.timedelta(days=rng.randint(1, 700))).isoformat()
                    invited = rng.randint(0, 1)
                    enrolled = rng.randint(0, 1)
                    attended = rng.choice([None, 0, 1])
                    we = rng.randint(1, 9) if enrolled else rng.choice([None, 0])
                    rows.append([b, date, channel, invited, enrolled, attended, we])
                data = _csv(CONTACT_COLS, rows)
                fname = f"{channel}-contacts.csv"
                rec["rows"] = n
                rec["data"] = rows
                rec["t0"] = time.monotonic() - t0
                res = imports.import_file(db, "contacts", data, filename=fname, actor=manager)
            elif op == "partners_new":
                n = rng.randint(20, 200)
                rows = []
                for i in range(n):
                    pid = f"BENCH-{tag.upper()}-W{wid:02d}-{k:03d}-{i:03d}"
                    days = sorted(rng.sample(range(1, 8), rng.randint(1, 5)))
                    rows.append([pid, f"Mitra uji {wid:02d}-{k:03d}-{i:03d}", rng.choice(PARTNER_TYPES), rng.choice(ref["regencies"]),
                                 rng.randint(0, 1000), rng.randint(0, 5000), rng.randint(0, 50_000_000), ";".join(map(str, days)), 1])
                data = _csv(PARTNER_COLS, rows)
                fname = f"bench-{tag}-w{wid:02d}-{k:03d}-partners.csv"
                rec["rows"] = n
                rec["data"] = rows
                rec["t0"] = time.monotonic() - t0
                res = imports.import_file(db, "partners", data, filename=fname, actor=manager)
            elif op == "partners_update":
                n = min(len(partners), rng.randint(20, 200))
                ids = rng.sample(sorted(partners), n)
                rows = []
                for pid in ids:
                    row = list(partners[pid])
                    row[4] = (row[4] + rng.randint(1, 500)) % 1001  # capacity_per_month always changes
                    rows.append(row)
                data = _csv(PARTNER_COLS, rows)
                fname = f"bench-{tag}-w{wid:02d}-{k:03d}-partners-capacity.csv"
                rec["rows"] = n
                rec["data"] = rows
                rec["t0"] = time.monotonic() - t0
                res = imports.import_file(db, "partners", data, filename=fname, actor=manager)
            elif op == "user_toggle":
                rec["rows"] = 1
                rec["data"] = [user, int(not active)]
                rec["t0"] = time.monotonic() - t0
                auth.set_active(db, admin, user, not active)
                res = None
            else:
                eid = rng.choice(planned)
                before = list(events[eid])
                if op == "event_lock":
                    after = [before[0], 1 - before[1], "planned"]
                elif op == "event_move":
                    new_date = rng.choice([d for d in weekdays if d.isoformat() != before[0]])
                    after = [new_date.isoformat(), 1, "planned"]
                else:
                    after = [before[0], 0, "cancelled"]
                rec["rows"] = 1
                rec["data"] = {"plan_id": plan_id, "event_id": eid, "before": before, "after": after}
                rec["t0"] = time.monotonic() - t0
                if op == "event_lock":
                    plans.set_locked(db, manager, eid, bool(after[1]))
                elif op == "event_move":
                    rec["violations"] = len(plans.move_event(db, manager, eid, date=after[0]))
                else:
                    plans.cancel_event(db, manager, eid, note=f"bench {tag} w{wid:02d} {k:03d}")
                res = None
            rec["t1"] = time.monotonic() - t0
            rec["ok"] = True
            rec["err"] = None
            rec["locked"] = False
            if res is not None:
                rec["result"] = {"rows": res.rows, "inserted": res.inserted, "updated": res.updated, "unchanged": res.unchanged}
            if op in ("partners_new", "partners_update"):
                for row in rec["data"]:
                    partners[row[0]] = row
            elif op == "user_toggle":
                active = not active
            elif op in EDIT_ACTIONS:
                events[rec["data"]["event_id"]] = rec["data"]["after"]
        except BaseException as exc:  # noqa: BLE001 - every exception is a result
            rec.setdefault("t0", time.monotonic() - t0)
            rec["t1"] = time.monotonic() - t0
            rec["ok"] = False
            rec["err"] = f"{type(exc).__name__}: {exc}"
            rec["locked"] = bool(LOCKED.search(str(exc)) or LOCKED.search(traceback.format_exc()))
            rec["tb"] = traceback.format_exc()
            if lock["begin"] is not None and lock["acquired"] is None:  # BEGIN IMMEDIATE itself gave up
                lock["wait"] += time.monotonic() - lock["begin"]
        rec["lock_wait"], rec["lock_hold"], rec["txns"] = lock["wait"], lock["hold"], lock["txns"]
        ops_out.append(rec)
    try:
        db.conn.close()
    except Exception:  # noqa: BLE001
        pass


def report_content(ev: dict, tag: str, wid: int, k: int) -> dict:
    """What write ``k`` of report writer ``wid`` says of event ``ev``, as plain values: every
    write differs (present, registered and follow-up rotate with ``k``; one in seven is a
    cancellation), and its note names it, so the stored report shows which write won.
    Walk-ins are businesses new to Jangkau with ids of their own (``BW-<event>-<n>``, the
    form's walk-in id column): the first write that names one creates it."""
    from planner.vocabulary import mandatory_programmes

    eid = ev["event_id"]
    note = f"bench {tag} w{wid:02d} k{k:03d}"
    if k % 7 == 6:
        return {"event_id": eid, "status": "cancelled", "note": note, "rows": [], "walk_ins": []}
    rows = []
    for j, (bid, size, workers) in enumerate(ev["invitees"]):
        if (j + k) % 3 == 0:
            continue  # did not come
        reg = int((j + k) % 5 == 0 and int(workers) >= 1)
        rows.append({"business_id": bid, "registered": reg, "workers_registered": 1 if reg else 0,
                     "programmes": ";".join(mandatory_programmes(size, int(workers))) if reg else "",
                     "follow_up": int(not reg and (j + k) % 7 == 1), "walk_in": 0})
    walk = []
    for n in sorted({k % 3 + 1, (k + 1) % 3 + 1}):
        reg = int((k + n) % 2 == 0)
        walk.append({"business_id": f"BW-{eid}-{n}", "name": f"Warung Bench {eid} {n}", "regency_code": ev["regency"], "sector": "G",
                     "size_class": "mikro", "workers": 2, "phone": "081234567890", "registered": reg, "workers_registered": 2 if reg else 0,
                     "programmes": ";".join(mandatory_programmes("mikro", 2)) if reg else "", "follow_up": int(not reg), "walk_in": 1})
    return {"event_id": eid, "status": "held", "held_on": ev["date"], "attendance": len(rows) + len(walk) + 5 + k % 11, "note": note,
            "rows": rows, "walk_ins": walk}


def _report_by_form(db, user, c: dict) -> tuple:
    """The Laporan form's path: ``form_rows`` (what the form opens on, with its version),
    the person's ticks and walk-in lines, ``from_form``, ``reports.save``."""
    import pandas as pd

    from planner.reporting import reports as rp

    inv, walk, version = rp.form_rows(db, user, c["event_id"])
    if c["status"] == "cancelled":
        fields = {"status": "cancelled", "cancel_reason": "weather", "cancel_note": "Hujan deras, jalan banjir", "note": c["note"]}
        raw = rp.from_form(c["event_id"], fields, inv.iloc[0:0], walk.iloc[0:0], version=version)
    else:
        want = {r["business_id"]: r for r in c["rows"]}
        inv = inv.copy()
        got = [want.get(b) for b in inv["business_id"]]
        inv["present"] = [r is not None for r in got]
        inv["registered"] = [bool(r and r["registered"]) for r in got]
        inv["workers_registered"] = pd.array([r["workers_registered"] if r else 0 for r in got], dtype="Int64")
        inv["programmes"] = pd.array([r["programmes"] if r and r["registered"] else (p if pd.notna(p) else "") for r, p in zip(got, inv["programmes"])],
                                     dtype="string")
        inv["follow_up"] = [bool(r and r["follow_up"]) for r in got]
        walk = pd.DataFrame([{k: w[k] for k in ("business_id", "name", "regency_code", "sector", "size_class", "workers", "phone", "registered",
                                                 "workers_registered", "programmes", "follow_up")} | {"note": ""} for w in c["walk_ins"]])
        walk["registered"] = walk["registered"].astype(bool)
        walk["follow_up"] = walk["follow_up"].astype(bool)
        fields = {"status": "held", "held_on": c["held_on"], "attendance": c["attendance"], "note": c["note"]}
        raw = rp.from_form(c["event_id"], fields, inv, walk, version=version)
    return version, rp.save(db, user, [raw])


def _report_by_upload(db, user, c: dict) -> tuple:
    """A filled report template uploaded: ``template_frame`` of the event (pre-filled with
    its report, as downloaded), every line set to this write, the file as the formula-safe
    CSV, ``forms.import_reports``."""
    import pandas as pd

    from planner.exports import to_csv_bytes
    from planner.reporting import forms

    df = forms.template_frame(db, user, [c["event_id"]])
    version = db.execute("SELECT version FROM event_reports WHERE event_id = ?", [c["event_id"]]).fetchone()
    want = {r["business_id"]: r for r in c["rows"] + c["walk_ins"]}
    out, placed = [], set()
    outcome_cols = ("present", "registered", "workers_registered", "programmes", "follow_up", "row_note")
    for r in df.to_dict("records"):
        for f in ("status", "held_on", "attendance", "cancel_reason", "cancel_note", "note"):
            r[f] = ""
        bid = r["business_id"]
        w = want.get(bid) if bid else None
        if w is None and not bid:  # an empty walk-in line: the next walk-in of this write not yet placed
            w = next((x for x in c["walk_ins"] if x["business_id"] not in placed), None)
        if w is None:
            r.update(dict.fromkeys(outcome_cols, ""), present=0 if bid else "")
        else:
            placed.add(w["business_id"])
            r.update(business_id=w["business_id"], present=1, registered=w["registered"],
                     workers_registered=w["workers_registered"] if w["registered"] else "", programmes=w["programmes"],
                     follow_up=w["follow_up"], row_note="")
            if w["walk_in"]:
                r.update({k: w[k] for k in ("name", "regency_code", "sector", "size_class", "workers", "phone")})
        out.append(r)
    head = out[0]
    if c["status"] == "cancelled":
        head.update(status="cancelled", cancel_reason="weather", cancel_note="Hujan deras, jalan banjir", note=c["note"])
    else:
        head.update(status="held", held_on=c["held_on"], attendance=c["attendance"], note=c["note"])
    if len(placed) != len(want) and c["status"] == "held":
        raise RuntimeError(f"template of {c['event_id']}: placed {len(placed)} of {len(want)} lines")
    data = to_csv_bytes(pd.DataFrame(out, columns=list(forms.TEMPLATE_COLUMNS)))
    return (version[0] if version else 0), forms.import_reports(db, user, data, f"laporan-{c['event_id']}.csv")


def report_writer_thread(wid: int, args, ref: dict, barrier: threading.Barrier, t_start: list, ops_out: list) -> None:
    """One staff member filing reports of their events: even writers through the form,
    odd ones by uploading a filled template; ``args.ops`` writes, Poisson-paced."""
    from planner import auth
    from planner import db as dbmod
    from planner.imports import ImportFailed

    rng = random.Random(args.seed * 1000 + 500 + wid)
    path = "form" if wid % 2 == 0 else "upload"
    events = [ref["events"][j] for j in ref["owners"][str(wid)]]
    db = None
    try:
        db = dbmod.connect(args.db)
        user = auth.get_user(db, f"bench.s{wid:02d}")
    except BaseException as exc:  # noqa: BLE001
        ops_out.append({"w": wid, "k": -1, "op": "connect", "ok": False, "err": f"{type(exc).__name__}: {exc}",
                        "locked": bool(LOCKED.search(str(exc))), "tb": traceback.format_exc(), "t0": 0, "t1": 0})
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return
    barrier.wait()
    t0 = t_start[0]
    next_at = t0
    hard_stop = t0 + args.hard_limit
    for k in range(args.ops):
        now = time.monotonic()
        if now >= hard_stop:
            ops_out.append({"w": wid, "k": k, "op": "skipped", "ok": False, "err": "hard time limit", "locked": False, "t0": now - t0, "t1": now - t0})
            continue
        if next_at > now:
            time.sleep(min(next_at - now, hard_stop - now))
        if args.gap > 0:
            next_at += rng.expovariate(1.0 / args.gap)
        ev = events[k % len(events)]
        c = report_content(ev, args.tag, wid, k)
        rec: dict = {"w": wid, "k": k, "op": f"report_{path}", "event_id": ev["event_id"], "note": c["note"], "status": c["status"],
                     "rows": len(c["rows"]) + len(c["walk_ins"]),
                     "data": [[r["business_id"], r["registered"], r["workers_registered"], r["follow_up"], r["walk_in"]] for r in c["rows"] + c["walk_ins"]],
                     "t0": time.monotonic() - t0}
        try:
            version, res = (_report_by_form if path == "form" else _report_by_upload)(db, user, c)
            rec.update(ok=True, err=None, locked=False, conflict=False, version_from=version,
                       result={"reports": res.reports, "created": res.created, "updated": res.updated, "rows": res.rows,
                               "registrations": res.registrations, "walk_ins_new": res.walk_ins_new})
            if res.rows != rec["rows"] or res.reports != 1:
                rec.update(ok=False, err=f"saved {res.rows} rows of {rec['rows']}")
        except BaseException as exc:  # noqa: BLE001 - every exception is a result
            tb = traceback.format_exc()
            rec.update(ok=False, err=f"{type(exc).__name__}: {str(exc)[:500]}", locked=bool(LOCKED.search(str(exc)) or LOCKED.search(tb)), tb=tb)
            # Refused because another writer saved the same report after the form was opened: as designed.
            rec["conflict"] = isinstance(exc, ImportFailed) and path == "form" and "sudah diubah oleh" in str(exc)
        rec["t1"] = time.monotonic() - t0
        ops_out.append(rec)
    try:
        db.conn.close()
    except Exception:  # noqa: BLE001
        pass


def writers_main(args) -> None:
    """Child process: ``args.writers`` threads, results as JSON to ``args.out``."""
    sys.path.insert(0, str(ROOT))
    from planner import db as dbmod

    if args.kind == "reports":
        ref = json.loads((LOAD_OUT / REPORT_WRITERS_FILE).read_text())
        target = report_writer_thread
        import planner.exports  # noqa: F401 - warm the report paths
        import planner.reporting.forms  # noqa: F401
    else:
        db = dbmod.connect(args.db)
        ref = {
            "business_ids": [r[0] for r in db.execute("SELECT business_id FROM businesses ORDER BY business_id").fetchall()],
            "regencies": [r[0] for r in db.execute("SELECT code FROM regencies ORDER BY code").fetchall()],
            "plans": {p["writer"]: p for p in json.loads(Path(args.plans).read_text())["writers"]},
        }
        db.conn.close()
        target = writer_thread
    # Warm the imports' code paths (pandas, openpyxl stay unloaded: files are CSV).
    import planner.imports  # noqa: F401
    import planner.plans  # noqa: F401

    barrier = threading.Barrier(args.writers + 1)
    t_start = [0.0]
    results: list[list] = [[] for _ in range(args.writers)]
    threads = [threading.Thread(target=target, args=(w, args, ref, barrier, t_start, results[w]), daemon=True) for w in range(args.writers)]
    for t in threads:
        t.start()
    # Tell the parent we are ready, wait for its go (a line on stdin), then release all.
    print("READY", flush=True)
    sys.stdin.readline()
    t_start[0] = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join(timeout=args.hard_limit + 90)
    wall = time.monotonic() - t_start[0]
    alive = sum(t.is_alive() for t in threads)
    ops = [r for rs in results for r in list(rs)]
    Path(args.out).write_text(json.dumps({"tag": args.tag, "wall_s": wall, "threads_alive_at_end": alive, "ops": ops}))
    print("DONE", flush=True)


class WriterProc:
    """The writers' child process: started (and warmed up) first, released on ``go``."""

    def __init__(self, db_path: Path, tag: str, writers: int, ops: int, gap: float, hard_limit: float, seed: int, kind: str = "mixed") -> None:
        self.out = LOAD_OUT / f"writers_{tag}{'' if kind == 'mixed' else '_' + kind}.json"
        if self.out.exists():
            self.out.unlink()
        cmd = [sys.executable, str(Path(__file__).resolve()), "_writers", "--db", str(db_path), "--tag", tag,
               "--writers", str(writers), "--ops", str(ops), "--gap", str(gap), "--hard-limit", str(hard_limit),
               "--seed", str(seed), "--out", str(self.out), "--plans", str(LOAD_OUT / "plans.json"), "--kind", kind]
        self.hard_limit = hard_limit
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "READY":
            raise SystemExit(f"writer process failed to start: {line}{self.proc.stderr.read()}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def go(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def wait(self) -> dict:
        try:
            _, err = self.proc.communicate(timeout=self.hard_limit + 120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
            raise SystemExit(f"writer process hung; killed.\n{err[-3000:]}")
        if self.proc.returncode != 0 or not self.out.exists():
            raise SystemExit(f"writer process failed ({self.proc.returncode}):\n{err[-3000:]}")
        data = json.loads(self.out.read_text())
        data["stderr_tail"] = err[-2000:]
        return data

    async def wait_async(self) -> dict:
        return await asyncio.to_thread(self.wait)


# =========================================================================== browser sessions
class Recorder:
    def __init__(self) -> None:
        self.samples: list[dict] = []
        self.problems: list[dict] = []
        self.notices: list[dict] = []
        self.page_errors: list[str] = []

    def note_problems(self, who: str, phase: str, action: str, exceptions: list[str], errors: list[str]) -> None:
        """Exceptions and error messages shown by a page; the Jadwal notice that the plan
        breaks a rule (expected after a move) is counted apart."""
        notices = [e for e in errors if VIOLATIONS_NOTICE.match(e)]
        errors = [e for e in errors if not VIOLATIONS_NOTICE.match(e)]
        if notices:
            self.notices.append({"who": who, "phase": phase, "action": action})
        if exceptions or errors:
            self.problems.append({"who": who, "phase": phase, "action": action, "exceptions": exceptions, "errors": errors})

    def add(self, phase: str, kind: str, action: str, ms: float | None, driver_ms: float, ok: bool, t: float, who: str, err: str | None = None) -> None:
        self.samples.append({"phase": phase, "kind": kind, "action": action, "ms": ms, "driver_ms": driver_ms, "ok": ok, "t": t, "who": who, "err": err})


def peluang_path(user: str) -> str:
    """Peluang's address: the app's default page ("/") for admins and managers; staff land
    on their Agenda there and leadership on Proyeksi, and find Peluang at "/peluang" (for
    admins and managers that address is no page: Streamlit shows "Page not found")."""
    return "/" if user in ("admin", "manajer") else "/peluang"


async def _wait_ready(page, before: int) -> None:
    await page.wait_for_function("n => window.__jk && window.__jk.ready > n", arg=before, polling=100, timeout=ACTION_TIMEOUT_MS)


async def browser_session(browser, base: str, user: str, name: str, phase: str, start_at: float, deadline: list[float], think: float, rec: Recorder,
                          rng: random.Random, jadwal_first: bool = False, signed_in=None) -> None:
    """One person in a browser: sign in, then (after ``signed_in()``, the phase's gate)
    loop over the pages until ``deadline[0]``."""
    ctx = await browser.new_context(viewport=VIEWPORT, locale="id-ID", timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    await ctx.add_init_script(OBSERVER_JS)
    # Nothing may leave 127.0.0.1 (the favicon would go to fonts.gstatic.com).
    await ctx.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:)"), lambda route: route.abort())
    page = await ctx.new_page()
    page.on("pageerror", lambda exc: rec.page_errors.append(f"{name}: {exc}"))
    t_origin = time.monotonic()

    async def measure(action: str, do, *, navigation: bool) -> bool:
        t = time.monotonic()
        try:
            before = 0 if navigation else await page.evaluate("window.__jk.ready")
            await do()
            await _wait_ready(page, before)
            ready_at, click_at = await page.evaluate("[window.__jk.readyAt, window.__jk.clickAt]")
            driver_ms = (time.monotonic() - t) * 1000
            ms = ready_at if navigation else (ready_at - click_at if click_at is not None else None)
            probs = await page.evaluate(PROBLEMS_JS)
            rec.note_problems(name, phase, action, probs["exceptions"], probs["errors"])
            rec.add(phase, "browser", action, ms, driver_ms, True, t - start_at, name)
            return True
        except Exception as exc:  # noqa: BLE001 - a timeout or a crash is a result
            rec.add(phase, "browser", action, None, (time.monotonic() - t) * 1000, False, t - start_at, name, f"{type(exc).__name__}: {str(exc)[:300]}")
            return False

    try:
        # Sign in through the form; the server answers with a 303 and the session cookie.
        await page.goto(base + "/masuk")
        await page.fill("#username", user)
        await page.fill("#password", PASSWORD)
        async def submit() -> None:
            await page.click("button[type=submit]")
            await page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/$"))

        await measure("sign-in", submit, navigation=True)
        if signed_in is not None:
            await signed_in()
        seg_i = rng.randrange(2)
        sort_i = rng.randrange(2)

        async def pause() -> None:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))

        async def sasaran() -> bool:
            nonlocal sort_i
            ok = await measure("sasaran: open", lambda: page.locator("[data-testid=stSidebarNav] a", has_text="Sasaran").click(), navigation=False)
            await pause()
            if ok and time.monotonic() < deadline[0]:
                label = SASARAN_SORTS[sort_i % 2]
                sort_i += 1
                ok = await measure("sasaran: filter", lambda: page.locator(".st-key-sasaran_sort").get_by_text(label, exact=True).click(), navigation=False)
                await pause()
            return ok

        async def jadwal() -> bool:
            # a new session shows the newest plan: the published one for province 16
            ok = await measure("jadwal: open", lambda: page.locator("[data-testid=stSidebarNav] a", has_text="Jadwal").click(), navigation=False)
            await pause()
            if ok and time.monotonic() < deadline[0] and user != "staf.sumsel" and WRITER_PLANS:
                # a writer's draft plan, being edited meanwhile (staff see published plans only)
                pid = rng.choice(WRITER_PLANS)

                async def pick() -> None:
                    await page.locator(".st-key-jadwal_plan input").click()
                    await page.keyboard.type(f"#{pid} ·")
                    await page.get_by_role("option", name=re.compile(rf"^#{pid} · ")).click()

                ok = await measure("jadwal: plan", pick, navigation=False)
                await pause()
            return ok

        blocks = (jadwal, sasaran) if jadwal_first else (sasaran, jadwal)
        while time.monotonic() < deadline[0]:
            ok = await measure("peluang: load", lambda: page.goto(base + peluang_path(user)), navigation=True)
            await pause()
            if ok and time.monotonic() < deadline[0]:
                label = PELUANG_SEGMENTS[seg_i % 2]
                seg_i += 1
                ok = await measure("peluang: filter", lambda: page.locator(".st-key-peluang_segment").get_by_text(label, exact=True).click(), navigation=False)
                await pause()
            for block in blocks:
                if ok and time.monotonic() < deadline[0]:
                    ok = await block()
    finally:
        try:
            await ctx.close()
        except Exception:  # noqa: BLE001
            pass


# --------------------------------------------------------------------------- websocket sessions
def http_sign_in(base: str, user: str) -> str:
    """POST the login form without following the redirect; returns the session token."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **kw):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode({"username": user, "password": PASSWORD}).encode()
    req = urllib.request.Request(base + "/masuk", data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        resp = opener.open(req, timeout=60)
    except urllib.error.HTTPError as e:
        resp = e
    if resp.status != 303:
        raise RuntimeError(f"sign-in of {user} answered {resp.status}")
    cookie = resp.headers.get("set-cookie", "")
    m = re.search(r"jangkau_session=([^;]+)", cookie)
    if not m:
        raise RuntimeError(f"no session cookie for {user}: {cookie!r}")
    return m.group(1)


def _rerun_msg(page_hash: str, widgets: list, url: str, page_name: str = "") -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = ""
    cs.page_script_hash = page_hash
    cs.page_name = page_name  # a first run names its page by url path, as a browser opening that address
    cs.context_info.timezone = "Asia/Jakarta"
    cs.context_info.timezone_offset = -420
    cs.context_info.locale = "id-ID"
    cs.context_info.url = url
    for wid, value in widgets:
        w = cs.widget_states.widgets.add()
        w.id = wid
        w.string_value = value
    return msg.SerializeToString()


async def _ws_run(ws, payload: bytes, seen: dict) -> tuple[bool, list[str]]:
    """Send one rerun and read until the script finished. Returns (dataframe seen,
    problems). ``seen`` collects widget ids by key and the app's pages by url path."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await ws.send(payload)
    got_df = False
    problems: list[str] = []
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=ACTION_TIMEOUT_MS / 1000)
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        kind = fm.WhichOneof("type")
        if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            t = el.WhichOneof("type")
            if t == "dataframe":
                got_df = True
            elif t in ("radio", "selectbox"):
                wid = getattr(el, t).id
                key = wid.rsplit("-", 1)[-1]
                seen.setdefault("widgets", {})[key] = wid
                seen.setdefault("options", {})[key] = list(getattr(el, t).options)
            elif t == "exception":
                problems.append(f"exception: {el.exception.type}: {el.exception.message[:200]}")
            elif t == "alert" and el.alert.format == 1:  # ERROR
                problems.append(f"error: {el.alert.body[:200]}")
        elif kind == "navigation":
            seen["pages"] = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
        elif kind == "script_finished":
            if fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return got_df, problems


async def ws_session(base: str, user: str, name: str, phase: str, start_at: float, deadline: list[float], think: float, rec: Recorder,
                     rng: random.Random, jadwal_first: bool = False, signed_in=None) -> None:
    from websockets.asyncio.client import connect

    t = time.monotonic()
    try:
        token = await asyncio.to_thread(http_sign_in, base, user)
        rec.add(phase, "websocket", "sign-in", (time.monotonic() - t) * 1000, (time.monotonic() - t) * 1000, True, t - start_at, name)
    except Exception as exc:  # noqa: BLE001
        rec.add(phase, "websocket", "sign-in", None, (time.monotonic() - t) * 1000, False, t - start_at, name, f"{type(exc).__name__}: {exc}")
        if signed_in is not None:
            await signed_in()
        return
    if signed_in is not None:
        await signed_in()
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    seg_i, sort_i = rng.randrange(2), rng.randrange(2)

    async def step(ws, action: str, payload: bytes, seen: dict, t: float | None = None) -> bool:
        t = time.monotonic() if t is None else t
        try:
            got_df, problems = await _ws_run(ws, payload, seen)
            ms = (time.monotonic() - t) * 1000
            rec.note_problems(name, phase, action, [p for p in problems if p.startswith("exception")],
                              [p.removeprefix("error: ") for p in problems if p.startswith("error")])
            rec.add(phase, "websocket", action, ms if got_df else None, ms, got_df, t - start_at, name, None if got_df else "no dataframe in the run")
            return got_df
        except Exception as exc:  # noqa: BLE001
            rec.add(phase, "websocket", action, None, (time.monotonic() - t) * 1000, False, t - start_at, name, f"{type(exc).__name__}: {str(exc)[:300]}")
            return False

    while time.monotonic() < deadline[0]:
        seen: dict = {}
        t = time.monotonic()
        try:
            async with connect(ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": f"jangkau_session={token}"},
                               origin=base, max_size=None, open_timeout=60, ping_interval=None) as ws:
                # A full page load: a new connection (a new Streamlit session) and its first run.
                path = peluang_path(user)
                ok = await step(ws, "peluang: load", _rerun_msg("", [], base + path, path.strip("/")), seen, t)  # from before the connect
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                pages = seen.get("pages", {})
                peluang_hash = next((h for p, h in pages.items() if p in ("", "peluang")), "")
                if ok and time.monotonic() < deadline[0] and "peluang_segment" in seen.get("widgets", {}):
                    label = WS_SEGMENTS[seg_i % 2]
                    seg_i += 1
                    ok = await step(ws, "peluang: filter", _rerun_msg(peluang_hash, [(seen["widgets"]["peluang_segment"], label)], base + "/"), seen)
                    await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                async def sasaran(ok: bool) -> bool:
                    nonlocal sort_i
                    if ok and time.monotonic() < deadline[0] and "sasaran" in pages:
                        ok = await step(ws, "sasaran: open", _rerun_msg(pages["sasaran"], [], base + "/sasaran"), seen)
                        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                    if ok and time.monotonic() < deadline[0] and "sasaran_sort" in seen.get("widgets", {}):
                        label = WS_SORTS[sort_i % 2]
                        sort_i += 1
                        ok = await step(ws, "sasaran: filter", _rerun_msg(pages["sasaran"], [(seen["widgets"]["sasaran_sort"], label)], base + "/sasaran"), seen)
                        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                    return ok

                async def jadwal(ok: bool) -> bool:
                    if ok and time.monotonic() < deadline[0] and "jadwal" in pages:
                        ok = await step(ws, "jadwal: open", _rerun_msg(pages["jadwal"], [], base + "/jadwal"), seen)
                        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                    options = seen.get("options", {}).get("jadwal_plan", [])
                    if ok and time.monotonic() < deadline[0] and user != "staf.sumsel" and WRITER_PLANS and options:
                        pid = rng.choice(WRITER_PLANS)
                        label = next((o for o in options if o.startswith(f"#{pid} · ")), None)
                        if label is None:
                            rec.add(phase, "websocket", "jadwal: plan", None, 0.0, False, time.monotonic() - start_at, name, f"plan {pid} not among the options")
                            ok = False
                        else:
                            ok = await step(ws, "jadwal: plan", _rerun_msg(pages["jadwal"], [(seen["widgets"]["jadwal_plan"], label)], base + "/jadwal"), seen)
                        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                    return ok

                for block in ((jadwal, sasaran) if jadwal_first else (sasaran, jadwal)):
                    ok = await block(ok)
        except Exception as exc:  # noqa: BLE001
            rec.add(phase, "websocket", "connect", None, (time.monotonic() - t) * 1000, False, t - start_at, name, f"{type(exc).__name__}: {str(exc)[:300]}")
            await asyncio.sleep(1)


# --------------------------------------------------------------------------- the sign-in burst
class RssWatch:
    """Resident memory (VmRSS) of the server process every 20 ms, from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()

    def _rss(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def _loop(self) -> None:
        while not self._stop.wait(0.02):
            v = self._rss()
            if v is not None:
                self.samples.append((time.monotonic(), v))

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> list[tuple[float, float]]:
        self._stop.set()
        self._thread.join()
        return self.samples


def _sign_in_attempt(base: str, user: str, password: str) -> tuple[int, str, str]:
    """POST the login form once, without following the redirect: (status, outcome, error)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **kw):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode({"username": user, "password": password}).encode()
    req = urllib.request.Request(base + "/masuk", data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        resp = opener.open(req, timeout=120)
    except urllib.error.HTTPError as e:
        resp = e
    except (urllib.error.URLError, OSError) as e:
        return 0, "error", f"{type(e).__name__}: {e}"
    text = resp.read().decode("utf-8", "replace")
    if resp.status == 303:
        ok = "jangkau_session=" in (resp.headers.get("set-cookie") or "")
        return 303, "signed in" if ok else "303 without a cookie", ""
    if BUSY_MSG.search(text):
        return resp.status, "busy", ""
    if WRONG_MSG.search(text):
        return resp.status, "wrong", ""
    return resp.status, "other", text[:200]


def burst_attempts(n: int, seed: int) -> list[dict]:
    """``n`` sign-in attempts: about a quarter right passwords of the demo accounts (which
    the sessions browse with: never a wrong one for them), a fifth right passwords of
    ``bench.okN``, three tenths wrong passwords of ``bench.lockN`` (locked after five), the
    rest unknown accounts; shuffled."""
    rng = random.Random(seed)
    plan = []
    for i in range(n):
        r = i % 20
        if r < 5:
            plan.append({"user": BURST_DEMO[i % len(BURST_DEMO)], "password": PASSWORD, "kind": "right"})
        elif r < 9:
            plan.append({"user": BURST_OK[i % len(BURST_OK)], "password": BURST_OK_PASSWORD, "kind": "right"})
        elif r < 15:
            plan.append({"user": BURST_LOCK[i % len(BURST_LOCK)], "password": f"salah-{i:03d}-kata", "kind": "wrong"})
        else:
            plan.append({"user": f"tidak.ada.{i:03d}", "password": f"apa-saja-{i:03d}", "kind": "unknown"})
    rng.shuffle(plan)
    return plan


class SignInBurst:
    """``n`` parallel sign-in attempts on the real server's ``/masuk``, ``delay`` s into a
    phase, while the server's memory is sampled."""

    def __init__(self, base: str, server_pid: int, n: int, delay: float, seed: int) -> None:
        self.base, self.server_pid, self.n, self.delay, self.seed = base, server_pid, n, delay, seed

    def _fire(self, plan: list[dict]) -> tuple[float, list[dict]]:
        barrier = threading.Barrier(len(plan) + 1)
        out: list[dict | None] = [None] * len(plan)

        def one(i: int, a: dict) -> None:
            barrier.wait()
            t = time.monotonic()
            status, outcome, err = _sign_in_attempt(self.base, a["user"], a["password"])
            out[i] = {**{k: a[k] for k in ("user", "kind")}, "status": status, "outcome": outcome, "err": err,
                      "t0": t, "ms": (time.monotonic() - t) * 1000}

        threads = [threading.Thread(target=one, args=(i, a), daemon=True) for i, a in enumerate(plan)]
        for t in threads:
            t.start()
        barrier.wait()
        t0 = time.monotonic()
        for t in threads:
            t.join(timeout=180)
        return t0, [o for o in out if o is not None]

    async def run(self, start_at: float) -> dict:
        watch = RssWatch(self.server_pid)
        watch.start()
        await asyncio.sleep(self.delay)
        plan = burst_attempts(self.n, self.seed)
        at_utc = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        t0, results = await asyncio.to_thread(self._fire, plan)
        ended_utc = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        t_end = max((r["t0"] + r["ms"] / 1000 for r in results), default=t0)
        await asyncio.sleep(3)
        samples = watch.stop()
        before = [v for t, v in samples if t0 - 2 <= t < t0]
        during = [v for t, v in samples if t0 <= t <= t_end + 1]
        base_rss = statistics.median(before) if before else (samples[0][1] if samples else float("nan"))
        peak = max(during) if during else float("nan")
        return {"attempts": results, "planned": len(plan), "answered": len(results), "start_s": round(t0 - start_at, 1),
                "burst_s": round(t_end - t0, 1), "started_utc": at_utc, "ended_utc": ended_utc, "rss_before_mib": round(base_rss, 1), "rss_peak_mib": round(peak, 1),
                "rss_peak_over_mib": round(peak - base_rss, 1),
                "rss_series": [(round(t - start_at, 2), round(v, 1)) for t, v in samples[:: max(1, len(samples) // 400)]]}


def summarize_burst(b: dict) -> dict:
    att = b["attempts"]
    out = {"n": len(att), "planned": b["planned"], "by_kind": {}, "ms_p50": pct([a["ms"] for a in att], 0.5),
           "ms_p95": pct([a["ms"] for a in att], 0.95), "ms_max": max((a["ms"] for a in att), default=float("nan"))}
    for kind in ("right", "wrong", "unknown"):
        sel = [a for a in att if a["kind"] == kind]
        outcomes: dict[str, int] = {}
        for a in sel:
            outcomes[a["outcome"]] = outcomes.get(a["outcome"], 0) + 1
        out["by_kind"][kind] = {"n": len(sel), "outcomes": outcomes, "p50": pct([a["ms"] for a in sel], 0.5),
                                "p95": pct([a["ms"] for a in sel], 0.95)}
    signed = [a["ms"] for a in att if a["outcome"] == "signed in"]
    out["signed_in_p50"], out["signed_in_p95"] = pct(signed, 0.5), pct(signed, 0.95)
    out["wrong_let_in"] = sum(1 for a in att if a["kind"] != "right" and a["status"] == 303)
    out["right_refused_as_wrong"] = sum(1 for a in att if a["kind"] == "right" and a["outcome"] == "wrong")
    out["errors"] = sum(1 for a in att if a["outcome"] in ("error", "other", "303 without a cookie"))
    out["busy"] = sum(1 for a in att if a["outcome"] == "busy")
    return out


# =========================================================================== phases
async def browse_phase(pw_browser, base: str, phase: str, n_browser: int, n_ws: int, duration: float, think: float, rec: Recorder, seed: int,
                       writers: WriterProc | None, meter: CpuMeter, db_path: Path, gate: bool = False, reporters: WriterProc | None = None,
                       during=None) -> dict:
    """Start the sessions (staggered over 2 s), run for ``duration`` s after the last one
    started, with the writers released at the same moment as the sessions.

    ``gate``: the sessions sign in first, with no writers; once all have signed in (or
    after ``GATE_TIMEOUT_S``) the writers are released and the sessions browse for
    ``duration`` s from that moment. On 2 cores, 20 Chromium pages take about a minute and
    a half just to load the app and sign in; without the gate the phase's time is over
    before any page is browsed. CPU and lock are then measured for each part apart."""
    rng = random.Random(seed)
    start_at = time.monotonic()
    deadline = [start_at + 2 + duration + (GATE_TIMEOUT_S if gate else 0)]
    lockwatch = LockWatch(db_path, meter.server_pid)
    if writers:
        meter.writer_pid = writers.pid
        lockwatch.writer_pid = writers.pid
    meter.extra_writer_pids = [reporters.pid] if reporters else []
    lockwatch.reporter_pid = reporters.pid if reporters else None
    during_task = None
    meter.start()
    lockwatch.start()
    wal_max = [0]
    n = n_browser + n_ws
    done_signing = {"n": 0}
    all_signed, released = asyncio.Event(), asyncio.Event()
    gate_info: dict = {}

    async def watch_wal() -> None:
        wal = Path(str(db_path) + "-wal")
        while time.monotonic() < deadline[0] + 5:
            try:
                wal_max[0] = max(wal_max[0], wal.stat().st_size)
            except OSError:
                pass
            await asyncio.sleep(1)

    # Rig health: how late this driver's event loop wakes up (a blocked loop would delay
    # every session's reads), and how long the server takes to answer /_stcore/health
    # (served on its event loop: a blocked server loop stalls every session).
    lag: list[tuple[float, float]] = []
    health: list[tuple[float, float]] = []
    stop_probe = threading.Event()

    async def watch_lag() -> None:
        while time.monotonic() < deadline[0] + 5:
            t = time.monotonic()
            await asyncio.sleep(0.2)
            lag.append((t - start_at, time.monotonic() - t - 0.2))

    def probe_health() -> None:
        while not stop_probe.wait(0.5):
            t = time.monotonic()
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=60) as r:
                    r.read()
                health.append((t - start_at, time.monotonic() - t))
            except (urllib.error.URLError, OSError, TimeoutError):
                health.append((t - start_at, float("nan")))

    prober = threading.Thread(target=probe_health, daemon=True)
    prober.start()

    async def signed_in() -> None:
        done_signing["n"] += 1
        if done_signing["n"] >= n:
            all_signed.set()
        await released.wait()

    async def open_gate() -> None:
        try:
            await asyncio.wait_for(all_signed.wait(), timeout=GATE_TIMEOUT_S)
        except asyncio.TimeoutError:
            pass
        t = time.monotonic()
        gate_info.update(t=round(t - start_at, 1), signed=done_signing["n"], cpu=meter.stop(), lock=lockwatch.stop())
        deadline[0] = t + duration
        meter.start()
        lockwatch.start()
        if writers:
            writers.go()
        released.set()

    if gate:
        if n == 0:
            all_signed.set()
        gate_task = asyncio.create_task(open_gate())
    else:
        released.set()
        if writers:
            writers.go()
        if reporters:
            reporters.go()
        if during is not None:  # e.g. the sign-in burst, started with the writers
            during_task = asyncio.create_task(during(start_at))
    tasks = [asyncio.create_task(watch_wal()), asyncio.create_task(watch_lag())]
    for i in range(n):
        user = BROWSE_USERS[i % len(BROWSE_USERS)]
        delay = 2 * i / max(1, n)

        async def one(i=i, user=user, delay=delay) -> None:
            await asyncio.sleep(delay)
            r = random.Random(rng.random())
            hook = signed_in if gate else None
            if i < n_browser:
                # every other session visits Jadwal before Sasaran, so both get visits even when loops are slow
                await browser_session(pw_browser, base, user, f"b{i:02d}:{user}", phase, start_at, deadline, think, rec, r, jadwal_first=i % 2 == 1, signed_in=hook)
            else:
                await ws_session(base, user, f"w{i:02d}:{user}", phase, start_at, deadline, think, rec, r, jadwal_first=i % 2 == 1, signed_in=hook)

        tasks.append(asyncio.create_task(one()))
    writer_result = None
    if gate:
        await gate_task
    if writers:
        wtask = asyncio.create_task(writers.wait_async())
    if reporters:
        rtask = asyncio.create_task(reporters.wait_async())
    await asyncio.gather(*tasks[2:])
    browse_end = time.monotonic() - start_at
    if writers:
        writer_result = await wtask
    reporter_result = await rtask if reporters else None
    during_result = await during_task if during_task is not None else None
    cpu = meter.stop()
    lock = lockwatch.stop()
    for t in tasks[:2]:
        t.cancel()
    stop_probe.set()
    prober.join(timeout=70)
    lags = [d for _, d in lag]
    hs = [d for _, d in health if d == d]
    rig = {
        "loop_lag_max_s": round(max(lags), 2) if lags else None,
        "loop_lag_over_1s": [(round(t, 1), round(d, 1)) for t, d in lag if d > 1.0][:20],
        "health_n": len(health), "health_failed": sum(1 for _, d in health if d != d),
        "health_p50_ms": round(pct(hs, 0.5) * 1000) if hs else None, "health_p95_ms": round(pct(hs, 0.95) * 1000) if hs else None,
        "health_max_ms": round(max(hs) * 1000) if hs else None,
        "health_over_1s": [(round(t, 1), round(d, 1)) for t, d in health if d == d and d > 1.0][:20],
    }
    return {"browse_s": round(browse_end, 1), "cpu": cpu, "lock": lock, "wal_max_mib": round(wal_max[0] / 2**20, 1), "writers": writer_result,
            "reporters": reporter_result, "during": during_result, "gate": gate_info or None, "rig": rig}


def summarize_pages(samples: list[dict], phase: str) -> list[dict]:
    rows = []
    actions = ["sign-in", "peluang: load", "peluang: filter", "sasaran: open", "sasaran: filter", "jadwal: open", "jadwal: plan"]
    for kind in ("browser", "websocket"):
        ss = [s for s in samples if s["phase"] == phase and s["kind"] == kind]
        if not ss:
            continue
        for action in actions + ["all page actions"]:
            sel = [s for s in ss if (s["action"] == action if action != "all page actions" else s["action"] not in ("sign-in", "connect"))]
            if not sel:
                continue
            ms = [s["ms"] for s in sel if s["ok"] and s["ms"] is not None]
            drv = [s["driver_ms"] for s in sel if s["ok"]]
            rows.append({
                "kind": kind, "action": action, "n": len(ms), "failed": sum(not s["ok"] for s in sel),
                "p50": pct(ms, 0.5), "p95": pct(ms, 0.95), "max": max(ms) if ms else float("nan"),
                "driver_p50": pct(drv, 0.5), "driver_p95": pct(drv, 0.95),
            })
        conn_fail = [s for s in ss if s["action"] == "connect" and not s["ok"]]
        if conn_fail:
            rows.append({"kind": kind, "action": "connect", "n": 0, "failed": len(conn_fail), "p50": float("nan"), "p95": float("nan"),
                         "max": float("nan"), "driver_p50": float("nan"), "driver_p95": float("nan")})
    return rows


def summarize_writes(wr: dict) -> dict:
    ops = wr["ops"]
    real = [o for o in ops if o["op"] not in ("skipped", "connect")]
    ok = [o for o in real if o["ok"]]
    lat = [(o["t1"] - o["t0"]) * 1000 for o in ok]
    waits = [o.get("lock_wait", 0) * 1000 for o in ok]
    holds = [o.get("lock_hold", 0) * 1000 for o in ok]
    if ok:
        span = max(o["t1"] for o in ok) - min(o["t0"] for o in ok)
    else:
        span = float("nan")
    by_op: dict[str, dict] = {}
    for o in real:
        d = by_op.setdefault(o["op"], {"ok": 0, "failed": 0, "rows": 0, "lat": []})
        if o["ok"]:
            d["ok"] += 1
            d["rows"] += o.get("rows", 0)
            d["lat"].append((o["t1"] - o["t0"]) * 1000)
        else:
            d["failed"] += 1
    return {
        "ops": len(real),
        "ok": len(ok),
        "failed": len(real) - len(ok),
        "skipped": sum(o["op"] == "skipped" for o in ops),
        "connect_failed": sum(o["op"] == "connect" for o in ops),
        "locked": sum(bool(o.get("locked")) for o in ops),
        "rows": sum(o.get("rows", 0) for o in ok),
        "span_s": span,
        "writes_per_s": len(ok) / span if span and span == span and span > 0 else float("nan"),
        "rows_per_s": sum(o.get("rows", 0) for o in ok) / span if span and span == span and span > 0 else float("nan"),
        "lat_p50": pct(lat, 0.5), "lat_p95": pct(lat, 0.95), "lat_max": max(lat) if lat else float("nan"),
        "wait_p50": pct(waits, 0.5), "wait_p95": pct(waits, 0.95), "wait_max": max(waits) if waits else float("nan"),
        "hold_p50": pct(holds, 0.5), "hold_p95": pct(holds, 0.95), "hold_max": max(holds) if holds else float("nan"),
        "by_op": {k: {"ok": v["ok"], "failed": v["failed"], "rows": v["rows"], "lat_p50": pct(v["lat"], 0.5), "lat_max": max(v["lat"]) if v["lat"] else float("nan")} for k, v in by_op.items()},
        "errors": sorted({o["err"] for o in ops if o.get("err") and o["op"] != "skipped"})[:20],
        "threads_alive_at_end": wr.get("threads_alive_at_end"),
    }


# =========================================================================== verification
def verify(db_path: Path, phases: dict[str, dict], before: dict, plan_setup: dict, report_events: list[str] | None = None) -> dict:
    """Every write a writer reported is in the database; failed writes left nothing."""
    con = sqlite3.connect(str(db_path), timeout=30)
    out: dict = {"checks": [], "ok": True}

    def check(name: str, passed: bool, detail: str = "") -> None:
        out["checks"].append({"check": name, "ok": bool(passed), "detail": detail})
        out["ok"] &= bool(passed)

    all_ops = [o for ph in phases.values() for o in ph["ops"]]
    ok_ops = [o for o in all_ops if o.get("ok")]
    failed_ops = [o for o in all_ops if not o.get("ok") and o["op"] not in ("skipped", "connect")]

    # ---- contacts: every row by key, with its values
    want = [tuple(r) for o in ok_ops if o["op"] == "contacts" for r in o["data"]]
    con.execute("CREATE TEMP TABLE want_contacts (business_id, contacted_on, channel, invited, enrolled, attended, workers_enrolled)")
    con.executemany("INSERT INTO want_contacts VALUES (?,?,?,?,?,?,?)", want)
    found = con.execute(
        "SELECT COUNT(*) FROM want_contacts w JOIN contacts c USING (business_id, contacted_on, channel) "
        "WHERE c.invited = w.invited AND c.enrolled = w.enrolled AND c.attended IS w.attended AND c.workers_enrolled IS w.workers_enrolled"
    ).fetchone()[0]
    check("contacts written are stored, by key and value", found == len(want), f"{found:,} of {len(want):,} rows")
    stored = con.execute("SELECT COUNT(*) FROM contacts WHERE channel LIKE 'bench-%'").fetchone()[0]
    check("no other bench contacts stored (failed imports wrote nothing)", stored == len(want), f"{stored:,} stored with a bench channel, {len(want):,} reported")
    if report_events:  # the report writers rewrite their events' contacts: count the others
        q = ",".join("?" * len(report_events))
        total = con.execute(f"SELECT COUNT(*) FROM contacts WHERE event_id IS NULL OR event_id NOT IN ({q})", list(report_events)).fetchone()[0]
        base = before["contacts_outside_reports"]
        label = "contacts count (outside the reported events) = before + inserted"
    else:
        total, base = con.execute("SELECT COUNT(*) FROM contacts").fetchone()[0], before["contacts"]
        label = "contacts count = before + inserted"
    check(label, total == base + len(want), f"{base:,} + {len(want):,} = {base + len(want):,}; stored {total:,}")

    # ---- partners: last successful write per partner wins (each writer owns its partners)
    # Order within a writer is its op index k (sequential); writers never share partners.
    last: dict[str, list] = {}
    by_writer: dict[tuple, list] = {}
    for ph_name, ph in phases.items():
        for o in ph["ops"]:
            if o.get("ok") and o["op"] in ("partners_new", "partners_update"):
                by_writer.setdefault((ph_name, o["w"]), []).append(o)
    for ops in by_writer.values():
        for o in sorted(ops, key=lambda o: o["k"]):
            for row in o["data"]:
                last[row[0]] = row
    con.execute("CREATE TEMP TABLE want_partners (partner_id, name, type, regency_code, capacity_per_month, venue_capacity, cost_per_event, available_weekdays, active)")
    con.executemany("INSERT INTO want_partners VALUES (?,?,?,?,?,?,?,?,?)", [tuple(r) for r in last.values()])
    found = con.execute(
        "SELECT COUNT(*) FROM want_partners w JOIN partners p USING (partner_id) WHERE p.capacity_per_month = w.capacity_per_month "
        "AND p.regency_code = w.regency_code AND p.name = w.name AND p.type = w.type AND p.available_weekdays = w.available_weekdays"
    ).fetchone()[0]
    check("partners written are stored with the last capacity written", found == len(last), f"{found:,} of {len(last):,} partners")
    stored = con.execute("SELECT COUNT(*) FROM partners WHERE partner_id LIKE 'BENCH-%'").fetchone()[0]
    check("no other bench partners stored", stored == len(last), f"{stored:,} stored, {len(last):,} reported")
    n_upd = sum(o["result"]["updated"] for o in ok_ops if o["op"] == "partners_update")
    n_upd_rows = sum(o["rows"] for o in ok_ops if o["op"] == "partners_update")
    check("every capacity re-import reported each row as updated", n_upd == n_upd_rows, f"{n_upd:,} updated of {n_upd_rows:,} rows")
    n_ins = sum(o["result"]["inserted"] for o in ok_ops if o["op"] in ("contacts", "partners_new"))
    n_ins_rows = sum(o["rows"] for o in ok_ops if o["op"] in ("contacts", "partners_new"))
    check("every new-row import reported each row as inserted", n_ins == n_ins_rows, f"{n_ins:,} inserted of {n_ins_rows:,} rows")

    # ---- accounts: the last active flag set
    # Phases run one after another on the same accounts: replay them in phase order.
    final: dict[str, int] = {}
    toggles = 0
    for ph in phases.values():
        for o in sorted((o for o in ph["ops"] if o.get("ok") and o["op"] == "user_toggle"), key=lambda o: (o["w"], o["k"])):
            final[o["data"][0]] = o["data"][1]
            toggles += 1
    stored_flags = dict(con.execute("SELECT username, active FROM users WHERE username LIKE 'bench.w%'").fetchall())
    wrong = {u: (v, stored_flags.get(u)) for u, v in final.items() if stored_flags.get(u) != v}
    check("account flags are the last ones set", not wrong, f"{len(final)} accounts toggled {toggles} times; mismatches: {wrong or 'none'}")

    # ---- import_runs and audit trail, one for one
    ok_imports = [o for o in ok_ops if o["op"] in ("contacts", "partners_new", "partners_update")]
    runs = con.execute("SELECT COUNT(*), COALESCE(SUM(inserted),0), COALESCE(SUM(updated),0) FROM import_runs WHERE filename LIKE 'bench-%'").fetchone()
    check("import_runs has one row per successful import", runs[0] == len(ok_imports), f"{runs[0]} runs, {len(ok_imports)} imports")
    check("import_runs counts match the results", (runs[1], runs[2]) == (n_ins, n_upd), f"inserted {runs[1]:,}/{n_ins:,}, updated {runs[2]:,}/{n_upd:,}")
    audit_files = con.execute("SELECT COUNT(*) FROM audit_log WHERE action IN ('import.contacts','import.partners') AND entity_key LIKE 'bench-%'").fetchone()[0]
    check("audit_log has one entry per successful import", audit_files == len(ok_imports), f"{audit_files} entries")
    audit_rows = con.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'import.partners.update' AND detail LIKE 'bench-%'").fetchone()[0]
    check("audit_log has one before/after entry per updated partner row", audit_rows == n_upd, f"{audit_rows:,} entries, {n_upd:,} rows updated")
    audit_users = con.execute("SELECT COUNT(*) FROM audit_log WHERE action IN ('user.enable','user.disable') AND entity_key LIKE 'bench.w%'").fetchone()[0]
    check("audit_log has one entry per account toggle", audit_users == toggles, f"{audit_users} entries, {toggles} toggles")

    # ---- plan events: the last successful edit of each event, every other event as solved
    # Writers never share a plan; within a writer, edits are sequential (op index k), and
    # the phases ran one after another: replay in that order over the solved state.
    expected: dict[str, list] = {}
    plan_ids = [p["plan_id"] for p in plan_setup["writers"]]
    for p in plan_setup["writers"]:
        expected.update({e: list(v) for e, v in p["states"].items()})
    edited: set[str] = set()
    want_audit: dict[tuple[str, str], int] = {}
    edits = 0
    for ph in phases.values():
        for o in sorted((o for o in ph["ops"] if o.get("ok") and o["op"] in EDIT_ACTIONS), key=lambda o: (o["w"], o["k"])):
            d = o["data"]
            expected[d["event_id"]] = d["after"]
            edited.add(d["event_id"])
            action = EDIT_ACTIONS[o["op"]] or ("event.lock" if d["after"][1] else "event.unlock")
            want_audit[(action, d["event_id"])] = want_audit.get((action, d["event_id"]), 0) + 1
            edits += 1
    ph_ = ",".join("?" * len(plan_ids))
    stored_events = {r[0]: [r[1], int(r[2]), r[3]] for r in con.execute(
        f"SELECT event_id, event_date, locked, status FROM events WHERE plan_id IN ({ph_})", plan_ids)}
    ok_edited = sum(1 for e in edited if stored_events.get(e) == expected[e])
    wrong = [(e, expected[e], stored_events.get(e)) for e in sorted(edited) if stored_events.get(e) != expected[e]]
    check("edited events hold their last successful edit (date, locked, status)", ok_edited == len(edited),
          f"{ok_edited:,} of {len(edited):,} events ({edits:,} successful edits); wrong: {wrong[:3] or 'none'}")
    untouched = [e for e in expected if e not in edited]
    ok_untouched = sum(1 for e in untouched if stored_events.get(e) == expected[e])
    failed_edits = [o for o in failed_ops if o["op"] in EDIT_ACTIONS]
    check("events without a successful edit are as solved (failed edits changed nothing)", ok_untouched == len(untouched),
          f"{ok_untouched:,} of {len(untouched):,} events; {len(failed_edits)} failed edits")
    check("the writers' plans have exactly their solved events (none lost or added)", set(stored_events) == set(expected),
          f"{len(stored_events):,} stored, {len(expected):,} solved")
    got_audit = {(a, k): n for a, k, n in con.execute(
        f"SELECT action, entity_key, COUNT(*) FROM audit_log WHERE action IN ('event.lock','event.unlock','event.move','event.cancel') "
        f"AND entity_key IN (SELECT event_id FROM events WHERE plan_id IN ({ph_})) GROUP BY action, entity_key", plan_ids)}
    n_got = sum(got_audit.values())
    diff = sorted(k for k in set(got_audit) | set(want_audit) if got_audit.get(k, 0) != want_audit.get(k, 0))
    check("audit_log has one event.lock/unlock/move/cancel entry per successful edit, and none for failed ones", not diff,
          f"{n_got:,} entries, {edits:,} edits; mismatches: {diff[:3] or 'none'}")
    bad_inv = con.execute(
        f"SELECT COUNT(*) FROM events e WHERE e.plan_id IN ({ph_}) AND e.invitees != (SELECT COUNT(*) FROM invitations i WHERE i.event_id = e.event_id)",
        plan_ids).fetchone()[0]
    cancelled = sum(1 for v in stored_events.values() if v[2] == "cancelled")
    check("each event's invitations match its invitee count (cancelled events: none)", bad_inv == 0,
          f"{bad_inv} events differ; {cancelled} cancelled")

    # ---- failed writes left nothing
    leftovers = 0
    for o in failed_ops:
        if o["op"] == "contacts":
            leftovers += con.execute("SELECT COUNT(*) FROM contacts WHERE channel = ?", [o["data"][0][2]]).fetchone()[0]
        elif o["op"] == "partners_new":
            leftovers += con.execute("SELECT COUNT(*) FROM partners WHERE partner_id = ?", [o["data"][0][0]]).fetchone()[0]
    check("failed writes left no rows behind", leftovers == 0, f"{len(failed_ops)} failed writes, {leftovers} rows left")

    # ---- the file itself
    ic = con.execute("PRAGMA integrity_check").fetchall()
    check("PRAGMA integrity_check", ic == [("ok",)], str(ic[:5]))
    fk = con.execute("PRAGMA foreign_key_check").fetchall()
    check("PRAGMA foreign_key_check is empty", not fk, str(fk[:5]))
    con.close()
    return out


def verify_reports(db_path: Path, ops: list[dict], setup: dict) -> list[dict]:
    """The report writers' work: every successful write applied once and audited once,
    the stored report of each event the one write that won (its note names it) with
    exactly its rows and contacts, failed writes left nothing, walk-ins created once."""
    con = sqlite3.connect(str(db_path), timeout=30)
    checks: list[dict] = []

    def check(name: str, passed: bool, detail: str = "") -> None:
        checks.append({"check": name, "ok": bool(passed), "detail": detail})

    events = {e["event_id"]: e for e in setup["events"]}
    real = [o for o in ops if o["op"] not in ("skipped", "connect")]
    ok_ops = [o for o in real if o.get("ok")]
    conflicts = [o for o in real if not o.get("ok") and o.get("conflict")]
    failed = [o for o in real if not o.get("ok") and not o.get("conflict")]
    by_event: dict[str, list[dict]] = {}
    for o in ok_ops:
        by_event.setdefault(o["event_id"], []).append(o)
    check("report writes: every one saved or refused as designed (a form opened before another save of the same report)", not failed,
          f"{len(ok_ops)} saved ({sum(o['op'] == 'report_form' for o in ok_ops)} by the form, {sum(o['op'] == 'report_upload' for o in ok_ops)} "
          f"by upload), {len(conflicts)} refused as changed meanwhile, {len(failed)} failed" + (f": {failed[0]['err'][:200]}" if failed else ""))
    # versions: one step per successful save
    wrong_version = []
    for eid, e in events.items():
        row = con.execute("SELECT version FROM event_reports WHERE event_id = ?", [eid]).fetchone()
        want = e["version_before"] + len(by_event.get(eid, []))
        if (row[0] if row else 0) != want:
            wrong_version.append((eid, row[0] if row else None, want))
    check("each report's version = before + successful saves (none lost, none twice)", not wrong_version,
          f"{len(events)} events, {len(ok_ops)} saves; mismatches: {wrong_version[:3] or 'none'}")
    # audit: one entry per successful save (its note), none for a refused or failed one
    got: dict[str, list[str]] = {}
    q = ",".join("?" * len(events))
    for eid, note in con.execute(f"SELECT entity_key, json_extract(after, '$.note') FROM audit_log WHERE entity = 'event_reports' "
                                 f"AND action IN ('report.create', 'report.update') AND entity_key IN ({q})", list(events)):
        if note and note.startswith("bench "):
            got.setdefault(eid, []).append(note)
    want_notes = {eid: sorted(o["note"] for o in os_) for eid, os_ in by_event.items()}
    diff = [eid for eid in events if sorted(got.get(eid, [])) != want_notes.get(eid, [])]
    n_audit = sum(len(v) for v in got.values())
    check("audit_log: one report entry per successful save, with its content, none for refused or failed ones", not diff,
          f"{n_audit} entries for {len(ok_ops)} saves; events that differ: {diff[:3] or 'none'}")
    # the stored report of each event: the write its note names, exactly
    bad_rows, bad_contacts, bad_status, n_rows, n_contacts = [], [], [], 0, 0
    for eid, os_ in by_event.items():
        stored = con.execute("SELECT note, status, present FROM event_reports WHERE event_id = ?", [eid]).fetchone()
        winner = next((o for o in os_ if o["note"] == stored[0]), None) if stored else None
        if winner is None or winner["status"] != stored[1]:
            bad_status.append((eid, stored))
            continue
        rows = sorted(tuple(r) for r in con.execute(
            "SELECT business_id, registered, workers_registered, follow_up, walk_in FROM report_rows WHERE event_id = ?", [eid]))
        if rows != sorted(tuple(r) for r in winner["data"]) or stored[2] != len(rows):
            bad_rows.append(eid)
        n_rows += len(rows)
        c = con.execute("SELECT COUNT(*), COUNT(DISTINCT business_id), COALESCE(SUM(attended), 0), COALESCE(SUM(walk_in), 0) FROM contacts "
                        "WHERE event_id = ?", [eid]).fetchone()
        invitees = con.execute("SELECT COUNT(*) FROM invitations WHERE event_id = ?", [eid]).fetchone()[0]
        controls = con.execute("SELECT COUNT(*) FROM controls WHERE event_id = ?", [eid]).fetchone()[0]  # held back: their outcome is a contact too
        walk = sum(1 for r in winner["data"] if r[4])
        n = invitees + walk + controls
        want_c = (n, n, len(rows), walk) if winner["status"] == "held" else (0, 0, 0, 0)
        if tuple(c) != want_c:
            bad_contacts.append((eid, tuple(c), want_c))
        n_contacts += c[0]
    check("each reported event holds the report of one successful save (named by its note), status as saved", not bad_status,
          f"{len(by_event)} events; wrong: {bad_status[:3] or 'none'}")
    check("report rows: exactly those of the winning save, each business once", not bad_rows,
          f"{n_rows:,} rows in {len(by_event)} reports; events that differ: {bad_rows[:3] or 'none'}")
    check("contacts of each event: every invitee, control and walk-in exactly once, attended = present (none for a cancelled event)", not bad_contacts,
          f"{n_contacts:,} contacts; events that differ: {bad_contacts[:3] or 'none'}")
    # walk-ins: each new business once, only those of successful saves
    named = {r[0] for o in ok_ops for r in o["data"] if r[4]}
    stored_bw = {r[0] for r in con.execute("SELECT business_id FROM businesses WHERE business_id LIKE 'BW-%'")}
    check("walk-ins new to Jangkau: each created once, none from a refused or failed save", stored_bw == named,
          f"{len(stored_bw)} stored, {len(named)} named by successful saves")
    # leads: no business twice for one event; every follow-up of a stored held report has one
    dup = con.execute(f"SELECT COUNT(*) FROM (SELECT event_id, business_id FROM followups WHERE event_id IN ({q}) "
                      f"GROUP BY event_id, business_id HAVING COUNT(*) > 1)", list(events)).fetchone()[0]
    missing = con.execute(f"SELECT COUNT(*) FROM report_rows r WHERE r.event_id IN ({q}) AND r.follow_up = 1 AND r.registered = 0 AND NOT EXISTS "
                          f"(SELECT 1 FROM followups f WHERE f.event_id = r.event_id AND f.business_id = r.business_id)", list(events)).fetchone()[0]
    check("follow-up leads: none twice for one event, one for every follow-up row", dup == 0 and missing == 0, f"{dup} duplicated, {missing} missing")
    con.close()
    return checks


def verify_burst(db_path: Path, burst: dict) -> list[dict]:
    """The burst's answers and its audit entries: nobody let in with a wrong password, the
    right ones signed in (or told to try again shortly), each sign-in audited once, each
    attempt on a locked-out account audited, the accounts hit with wrong passwords locked."""
    con = sqlite3.connect(str(db_path), timeout=30)
    checks: list[dict] = []

    def check(name: str, passed: bool, detail: str = "") -> None:
        checks.append({"check": name, "ok": bool(passed), "detail": detail})

    att = burst["attempts"]
    since, until = burst["started_utc"], burst["ended_utc"]
    tag = burst.get("label", "sign-in burst")
    sm = summarize_burst(burst)
    check(f"{tag}: every attempt answered", len(att) == burst["planned"] and sm["errors"] == 0,
          f"{len(att)} of {burst['planned']} answered; {sm['errors']} errors or unexpected answers")
    check(f"{tag}: no wrong password or unknown account let in", sm["wrong_let_in"] == 0, f"{sm['wrong_let_in']}")
    check(f"{tag}: no right password refused as wrong", sm["right_refused_as_wrong"] == 0,
          f"{sm['right_refused_as_wrong']} (told to try again shortly: {sm['by_kind']['right']['outcomes'].get('busy', 0)})")
    ok_users = {u: sum(1 for a in att if a["user"] == u and a["status"] == 303) for u in BURST_OK}
    audited = dict(con.execute(f"SELECT entity_key, COUNT(*) FROM audit_log WHERE action = 'login' AND at BETWEEN ? AND ? AND entity_key IN "
                               f"({','.join('?' * len(BURST_OK))}) GROUP BY entity_key", [since, until, *BURST_OK]).fetchall())
    check(f"{tag}: one `login` audit entry per sign-in (bench.okN)", all(audited.get(u, 0) == n for u, n in ok_users.items()),
          f"signed in {sum(ok_users.values())}, audited {sum(audited.values())}")
    details, fine = [], True
    for u in BURST_LOCK:
        tries = sum(1 for a in att if a["user"] == u)
        busy = sum(1 for a in att if a["user"] == u and a["outcome"] == "busy")
        failed, refused = (con.execute("SELECT COUNT(*) FROM audit_log WHERE action = ? AND at BETWEEN ? AND ? AND entity_key = ?",
                                       [a, since, until, u]).fetchone()[0]
                           for a in ("login.failed", "login.refused"))
        locked = con.execute("SELECT locked_until IS NOT NULL AND locked_until > ? FROM users WHERE username = ?",
                             [dt.datetime.now(dt.timezone.utc).isoformat(), u]).fetchone()[0]
        # a refused attempt is audited before its (dummy) check, which may then answer "busy"
        fine &= bool(locked) and failed <= 5 and tries - busy <= failed + refused <= tries
        details.append(f"{u}: {tries} tries, {failed} login.failed + {refused} login.refused, {busy} busy, locked {bool(locked)}")
    check(f"{tag}: wrong passwords audited (failed, then refused once locked) and the account locked", fine, "; ".join(details))
    con.close()
    return checks


# =========================================================================== report
def fmt(v: float, d: int = 0) -> str:
    if v is None or v != v:
        return "–"
    return f"{v:,.{d}f}"


def render_markdown(res: dict) -> str:
    m = res["machine"]
    a = res["args"]
    L: list[str] = []
    L.append("## Load: 20 sessions browsing, 20 writers")
    L.append("")
    L.append(f"Measured {m['date']} by `bench/bench_load.py`, one run:")
    L.append("")
    L.append("```")
    L.append(res["command"])
    L.append("```")
    L.append("")
    v = res["verify"]
    locked_total = res["locked_total"]
    verdict = "PASS" if v["ok"] and locked_total == 0 and res["write_errors_total"] == 0 and res["server_tracebacks"] == 0 else "FAIL"
    L.append(f"**Verdict: {verdict}** — lost writes (rows and event edits): **{res['lost_rows']}**, \"database is locked\": **{locked_total}** "
             f"(writers {res['locked_writers']}, server log {res['locked_server_log']}, pages {res['locked_pages']}), "
             f"failed writes: **{res['write_errors_total']}** (plus {res['write_skipped_total']} not started before the time limit), `integrity_check`: **{next(c['detail'] for c in v['checks'] if c['check'] == 'PRAGMA integrity_check')}**.")
    L.append("")
    L.append("### Machine")
    L.append("")
    L.append("| | |")
    L.append("|---|---|")
    for k in ("nproc", "cpu", "ram", "os", "python", "sqlite", "chromium", "playwright", "streamlit", "pandas", "sqlite-utils", "loadavg at start"):
        if k in m:
            L.append(f"| {k} | {m[k]} |")
    L.append("")
    L.append("### Setup")
    L.append("")
    s = res["setup"]
    c0 = s["counts_before"]
    if s.get("reports"):
        L.append(f"- Database: fresh demo world, {a['businesses']:,} businesses, with its field history (`init --demo --field`, which trains, scores, "
                 f"plans, publishes and reports: {s['init_s']} s; {s['init_out']}), "
                 f"{c0['contacts']:,} contacts, {c0['partners']:,} partners, {c0['scores']:,} scores, {c0['event_reports']:,} event reports; "
                 f"{a['writers']} extra accounts `bench.wNN` for the account edits.")
    else:
        L.append(f"- Database: fresh demo world, {a['businesses']:,} businesses (`init --demo`: {s['init_s']} s; `train --score`: {s['train_score_s']} s), "
                 f"{c0['contacts']:,} contacts, {c0['partners']:,} partners, {c0['scores']:,} scores; "
                 f"{a['writers']} extra accounts `bench.wNN` for the account edits.")
    pw = s["plans"]["writers"]
    pb = s["plans"]["browse"]
    statuses = {}
    for p in pw:
        statuses[p["status"]] = statuses.get(p["status"], 0) + 1
    L.append(f"- Plans ({s['plans_s']} s): one draft plan per writer, each on one province (the first {len(pw)} province codes other than 16: "
             f"{pw[0]['province']}–{pw[-1]['province']}), 4–8 weeks from {PLAN_START.isoformat()} (starts staggered by 0–3 weeks), Rp {PLAN_BUDGET:,}, "
             f"`solve_plan` with `time_limit` {a['plan_time_limit']:g} s: {', '.join(f'{n} {k}' for k, n in sorted(statuses.items()))}, "
             f"{sum(p['events'] for p in pw):,} events ({min(p['events'] for p in pw)}–{max(p['events'] for p in pw)} per plan), "
             f"{sum(p['invitations'] for p in pw):,} invitations, {min(p['solve_s'] for p in pw):.1f}–{max(p['solve_s'] for p in pw):.1f} s per solve. "
             f"Plus plan {pb['plan_id']} for province 16 ({pb['start']} – {pb['end']}, {pb['events']} events, {pb['invitations']:,} invitations), "
             f"published: the newest plan, so *Jadwal* opens on it, and the one plan `staf.sumsel` may see.")
    L.append(f"- Server: one `streamlit run streamlit_app.py --server.headless true --server.port P --server.address 127.0.0.1 "
             f"--browser.gatherUsageStats false --server.fileWatcherType none` with `PLANNER_DB` set (peak RSS {res.get('server_rss_mib', '?')} MiB).")
    L.append(f"- Browser sessions: Playwright {m.get('playwright')} pages in one headless Chromium ({m.get('chromium')}), one browser context each, "
             f"signed in through `/masuk` as {', '.join(BROWSE_USERS)} in turn; viewport 1400×1000; think time {a['think']} s ×U(0.5, 1.5) between actions; "
             f"loop: Peluang full load (`goto /`) → Peluang segment radio → Sasaran via the sidebar → Sasaran sort radio → Jadwal via the sidebar "
             f"(the published plan) → Jadwal plan selectbox: a random writer's draft plan, typed into the box and its option clicked (not for `staf.sumsel`, "
             f"who sees published plans only); every other session visits Jadwal before Sasaran. Main phase: the pages sign in first with no writers "
             f"(done after {res.get('main_gate_s', '?')} s); then the writers start and the pages browse for {a['duration']:g} s. "
             f"Light phase: the sessions sign in while the writers already write.")
    L.append(f"- Page time: in the page, from navigation start or the click's `pointerdown` (for the plan selectbox: the option's) to "
             f"`stApp[data-test-script-state=notRunning]` with a `stDataFrame` or, on Jadwal, the week calendar `table.jk-cal` visible (MutationObserver; "
             f"Jadwal's dataframes are in tabs not shown). \"driver\" columns: the same action seen from Python (command sent → wait returned, polling 100 ms).")
    L.append(f"- Websocket sessions (light and ws phases): Streamlit's own protocol (BackMsg `rerun_script` → ForwardMsg `script_finished`, a dataframe delta "
             f"required) over `/_stcore/stream` with the session cookie from a POST to `/masuk`; same loop including both Jadwal steps "
             f"(the selectbox value is the option's label), a new connection per \"load\".")
    L.append(f"- Writers: {a['writers']} threads in one child process, one `planner.db.connect` connection each, actor `manajer` (`admin` for account edits). "
             f"Mix per write: 36 % contacts import (20–200 rows, past dates, existing businesses), 20 % new partners (20–200 rows), "
             f"12 % partner re-import changing `capacity_per_month` of 20–200 of the writer's own partners, 12 % `auth.set_active` toggle of the writer's own account "
             f"(new partners until a writer has 20), 20 % an edit of one planned event of the writer's own plan: 45 % `set_locked` toggle (`event_lock`), "
             f"35 % `move_event` to another weekday of the plan's horizon (`event_move`; the event becomes locked; the rules the plan then breaks are returned, "
             f"not an error), 20 % `cancel_event` (`event_cancel`, only while the plan keeps more than 3 planned events; otherwise a move). "
             f"Paced phases: {a['ops']} writes per writer in main, {a['light_ops']} in light and ws; Poisson arrivals, mean gap = phase length / writes, "
             f"all writers start together. Flat-out: {a['flat_ops']} writes per writer back to back.")
    L.append("")
    L.append("### Page times (ms)")
    L.append("")
    L.append("| phase | sessions | action | n | failed | p50 | p95 | max | driver p50 | driver p95 |")
    L.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for ph in res["phases"]:
        for r in ph["pages"]:
            label = f"{ph['label']}"
            L.append(f"| {label} | {r['kind']} | {r['action']} | {r['n']} | {r['failed']} | {fmt(r['p50'])} | {fmt(r['p95'])} | {fmt(r['max'])} | {fmt(r['driver_p50'])} | {fmt(r['driver_p95'])} |")
    L.append("")
    L.append("### Writes")
    L.append("")
    L.append("| phase | writes ok / tried | failed | locked | not started (time limit) | rows | span s | writes/s | rows/s | latency p50 / p95 / max ms |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for ph in res["phases"]:
        w = ph.get("writes")
        if not w:
            continue
        L.append(f"| {ph['label']} | {w['ok']} / {w['ops']} | {w['failed']} | {w['locked']} | {w['skipped']} | {w['rows']:,} | {fmt(w['span_s'], 1)} | {fmt(w['writes_per_s'], 1)} | "
                 f"{fmt(w['rows_per_s'])} | {fmt(w['lat_p50'])} / {fmt(w['lat_p95'])} / {fmt(w['lat_max'])} |")
    L.append("")
    L.append("Latency is one whole write as the writer sees it: reading and validating the file, waiting for the write lock (`BEGIN IMMEDIATE`, 30 s busy timeout), writing, audit entries, commit.")
    L.append("")
    L.append("| phase | lock wait p50 / p95 / max ms | lock held p50 / p95 / max ms |")
    L.append("|---|---:|---:|")
    for ph in res["phases"]:
        w = ph.get("writes")
        if w:
            L.append(f"| {ph['label']} | {fmt(w['wait_p50'])} / {fmt(w['wait_p95'])} / {fmt(w['wait_max'])} | {fmt(w['hold_p50'])} / {fmt(w['hold_p95'])} / {fmt(w['hold_max'])} |")
    L.append("")
    L.append("Lock wait and hold come from SQLite's statement trace on each writer's connection (`BEGIN IMMEDIATE` start → next statement; → `COMMIT`). "
             "All writers are threads of one process: the hold includes time the holding thread waited for the GIL, and so every other writer's wait.")
    L.append("")
    L.append("| phase | write | ok | failed | rows | latency p50 / max ms |")
    L.append("|---|---|---:|---:|---:|---:|")
    for ph in res["phases"]:
        w = ph.get("writes")
        if not w:
            continue
        for op, d in sorted(w["by_op"].items()):
            L.append(f"| {ph['label']} | {op} | {d['ok']} | {d['failed']} | {d['rows']:,} | {fmt(d['lat_p50'])} / {fmt(d['lat_max'])} |")
    L.append("")
    L.append("### Where the CPU went")
    L.append("")
    L.append("| phase | wall s | cores busy (of 2) | CPU pressure | load avg start / end | server | Chromium | Playwright node | driver | writers | other processes |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for ph in res["phases"]:
        c = ph["cpu"]
        g = c["cpu_s"]
        L.append(f"| {ph['label']} | {c['wall_s']} | {c['cores_busy']} | {fmt(c['cpu_pressure_some_pct'])} % | {c['loadavg_1m_start_end']} | {g['streamlit server']} s | {g['chromium']} s | "
                 f"{g['playwright driver (node)']} s | {g['benchmark driver (python)']} s | {g['writers']} s | {g['other processes']} s |")
    L.append("")
    L.append("CPU seconds per group of processes over the phase, sampled from /proc every 0.5 s; \"other processes\" is everything else the machine ran meanwhile (the VM is shared). "
             "Largest WAL file seen: " + ", ".join(f"{ph['name']} {fmt(ph.get('wal_max_mib'), 1)} MiB" for ph in res["phases"] if ph.get("wal_max_mib") is not None) + ".")
    L.append("")
    L.append("### Rig health")
    L.append("")
    L.append("| phase | driver event-loop lag max | lags > 1 s (at s: lag s) | server `/_stcore/health` p50 / p95 / max ms | health answers > 1 s (at s: s) | failed |")
    L.append("|---|---:|---|---:|---|---:|")
    for ph in res["phases"]:
        rg = ph.get("rig")
        if not rg:
            continue
        lags = ", ".join(f"{a:.0f}: {b:.1f}" for a, b in rg["loop_lag_over_1s"][:8]) or "none"
        slow = ", ".join(f"{a:.0f}: {b:.1f}" for a, b in rg["health_over_1s"][:8]) or "none"
        L.append(f"| {ph['label']} | {fmt(rg['loop_lag_max_s'], 2)} s | {lags} | {fmt(rg['health_p50_ms'])} / {fmt(rg['health_p95_ms'])} / {fmt(rg['health_max_ms'])} | {slow} | {rg['health_failed']} of {rg['health_n']} |")
    L.append("")
    L.append("The driver's lag: a task that sleeps 0.2 s and notes how late it wakes (every session of the driver waits for that loop). "
             "The health check, every 0.5 s from a thread of the driver, is answered by the server's event loop, which also carries every session's messages: "
             "slow answers mean the server stalled all sessions at once.")
    L.append("")
    L.append("### Who held the write lock")
    L.append("")
    L.append("| phase | held by writers | held by report writers | held by the Streamlit server | longest server hold | server holds ≥ 1 s (start s: length s) |")
    L.append("|---|---:|---:|---:|---:|---|")
    for ph in res["phases"]:
        lk = ph.get("lock")
        if not lk:
            continue
        hp = lk["held_pct"]
        ls = lk["longest"].get("server")
        holds = ", ".join(f"{a:.0f}: {b:.1f}" for a, b in lk["server_holds_over_1s"][:12]) or "none"
        L.append(f"| {ph['label']} | {fmt(hp.get('writers', 0.0), 1)} % | {fmt(hp.get('report writers', 0.0), 1)} % | {fmt(hp.get('server', 0.0), 1)} % | "
                 f"{(str(ls[1]) + ' s at ' + str(ls[0]) + ' s') if ls else '–'} | {holds} |")
    L.append("")
    L.append("The WAL write lock is a POSIX lock on byte 120 of the `-shm` file; `F_GETLK` every 20 ms names the process holding it, without taking it. "
             "The server writes only when someone signs in (`auth.login`: `authenticate`, `create_session`, the audit entry) or a session's idle window is extended.")
    L.append("")
    if res.get("field"):
        L += render_field(res)
    L.append("### Verification")
    L.append("")
    L.append("| check | result | detail |")
    L.append("|---|---|---|")
    for c in v["checks"]:
        L.append(f"| {c['check']} | {'ok' if c['ok'] else '**FAIL**'} | {c['detail']} |")
    L.append(f"| \"database is locked\" anywhere | {'ok' if locked_total == 0 else '**FAIL**'} | writers {res['locked_writers']}, server log {res['locked_server_log']}, pages {res['locked_pages']} |")
    L.append(f"| tracebacks in the server log | {'ok' if res['server_tracebacks'] == 0 else '**FAIL**'} | {res['server_tracebacks']} |")
    L.append(f"| exceptions / errors shown in pages | {'ok' if res['page_problems'] == 0 else '**FAIL**'} | {res['page_problems']} (uncaught frontend errors: {res['page_errors']}) |")
    L.append(f"| Jadwal's \"the schedule breaks rules\" notice (expected after moves, not an error) | info | shown {res['violation_notices']} times; "
             f"{res['moves_with_violations']} of {res['moves_ok']} successful moves left the plan breaking a rule |")
    L.append("")
    if res.get("notes"):
        L.append("### Notes")
        L.append("")
        for n in res["notes"]:
            L.append(f"- {n}")
        L.append("")
    return "\n".join(L) + "\n"


def render_field(res: dict) -> list[str]:
    """The field phase: staff filing reports and the sign-in burst."""
    a, f = res["args"], res["field"]
    ph = next(p for p in res["phases"] if p["name"] == "field")
    rs = res["setup"]["reports"]
    L = ["### Field phase: staff filing reports, and a burst of sign-ins", ""]
    L.append(f"For {a['field_duration']:g} s: {a['field_ws']} websocket sessions browsing (the loop above), the {a['writers']} writers "
             f"({a['light_ops']} writes each, paced), and {a['report_writers']} staff accounts `bench.sNN` (provinces {', '.join(rs['provinces'])}) "
             f"filing reports of the field history's {f['report_events']} past events ({f['report_events_shared']} of them shared by two writers), "
             f"{a['report_ops']} each, Poisson-paced, in their own process (a thread and a connection each): even writers through the form's path "
             f"(`reports.form_rows` → ticks and walk-in lines → `reports.from_form` → `reports.save`, with the version the form opened), "
             f"odd ones by uploading a filled template (`forms.template_frame` of the event, as downloaded, filled → formula-safe CSV → "
             f"`forms.import_reports`). Each write differs: two thirds of the invitees present, every fifth of them registered, two walk-ins new "
             f"to Jangkau (ids `BW-<event>-<n>` of their own), every seventh write a cancellation; its note names it. "
             f"A third into the phase, {a['burst']} sign-in attempts are sent to `/masuk` at once (100 threads of the driver, each its own "
             f"connection, released by a barrier): right passwords of the five demo accounts and of `bench.ok0`–`3`, wrong passwords of "
             f"`bench.lock0`–`2` (locked after five), and unknown accounts; the server's VmRSS is read from /proc every 20 ms.")
    L.append("")
    w = f["reports"]
    L.append("| report writes | saved / tried | refused: changed meanwhile | failed | \"database is locked\" | rows | latency p50 / p95 / max ms | lock wait p50 / p95 / max ms |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    L.append(f"| all | {w['ok']} / {w['ops']} | {f['report_conflicts']} | {f['report_failed']} | {f['report_locked']} | {w['rows']:,} | "
             f"{fmt(w['lat_p50'])} / {fmt(w['lat_p95'])} / {fmt(w['lat_max'])} | {fmt(w['wait_p50'])} / {fmt(w['wait_p95'])} / {fmt(w['wait_max'])} |")
    for op, d in sorted(w["by_op"].items()):
        L.append(f"| {op.replace('report_', 'by ')} | {d['ok']} / {d['ok'] + d['failed']} | | | | {d['rows']:,} | {fmt(d['lat_p50'])} / – / {fmt(d['lat_max'])} | |")
    L.append("")
    L.append("Latency: one whole report as the staff member's side sees it (reading the form or template, building it, validating, "
             "waiting for the write lock, writing rows, contacts, leads and the audit entry). The lock wait column is empty for reports "
             "(their connections are not traced).")
    L.append("")
    if f.get("burst"):
        L.append("| sign-in attempts | n | signed in | refused (wrong) | \"try again shortly\" (argon2 slots busy) | p50 ms | p95 ms | max ms |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, b in (("under load", f.get("burst")), ("alone", f.get("burst_alone"))):
            if not b:
                continue
            for kind, label in (("right", "right password"), ("wrong", "wrong password"), ("unknown", "unknown account")):
                k = b["by_kind"][kind]
                o = k["outcomes"]
                L.append(f"| {name}: {label} | {k['n']} | {o.get('signed in', 0)} | {o.get('wrong', 0)} | {o.get('busy', 0)} | {fmt(k['p50'])} | {fmt(k['p95'])} | |")
            L.append(f"| **{name}: all** | {b['n']} | | | {b['busy']} | {fmt(b['ms_p50'])} | **{fmt(b['ms_p95'])}** | {fmt(b['ms_max'])} |")
        L.append("")
        L.append("Sign-in time: from the barrier's release to the answer (the server's 303 or 401), each attempt on its own connection. "
                 "\"Alone\": the same burst again after the phase, on the idle server (the lockN accounts are locked by then: their attempts are refused "
                 "after the same dummy check).")
        L.append("")
        L.append("| server memory (VmRSS, every 20 ms) | burst began at s | last answer after s | before MiB | peak MiB | peak − before MiB |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for name, r in (("burst under load", f.get("rss")), ("burst alone", f.get("rss_alone"))):
            if r:
                L.append(f"| {name} | {r['start_s']} | {r['burst_s']} | {r['rss_before_mib']} | {r['rss_peak_mib']} | **+{r['rss_peak_over_mib']}** |")
        L.append("")
        L.append(f"Bound: {RSS_HEADROOM_MIB} MiB over the baseline (at most two argon2 checks of {ARGON2_MIB} MiB at once per process, "
                 "plus 64 MiB for threads and buffers), checked on the burst alone; under load the sessions' reruns and the writers share those seconds.")
        L.append("")
    pg = [r for r in ph["pages"] if r["action"] == "all page actions"]
    if pg:
        L.append(f"Page times of the phase's websocket sessions (all page actions): p50 {fmt(pg[0]['p50'])} ms, p95 **{fmt(pg[0]['p95'])} ms**, "
                 f"max {fmt(pg[0]['max'])} ms, {pg[0]['n']} actions, {pg[0]['failed']} failed (table above, phase \"field\").")
        L.append("")
    return L


# =========================================================================== main
async def run_browser_phases(args, base: str, db_path: Path, server: subprocess.Popen, rec: Recorder) -> dict:
    from playwright.async_api import async_playwright

    meter = CpuMeter(server.pid)
    phases: dict[str, dict] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # ---- solo reference: one page, then one websocket session, nothing else
            if args.solo_duration > 0:
                print(f"[solo] 1 browser page, no writers, {args.solo_duration:.0f} s; then 1 websocket session", flush=True)
                phases["solo"] = await browse_phase(browser, base, "solo", 1, 0, args.solo_duration, args.think, rec, args.seed, None, meter, db_path)
                phases["solo"]["label"] = "solo: 1 page, no writers"
                phases["solo-ws"] = await browse_phase(browser, base, "solo-ws", 0, 1, args.solo_duration / 2, args.think, rec, args.seed, None, meter, db_path)
                phases["solo-ws"]["label"] = "solo: 1 websocket session, no writers"
            # ---- main: 20 browser pages + 20 paced writers
            wp = WriterProc(db_path, "main", args.writers, args.ops, (args.duration + 2) / args.ops, args.duration + 60, args.seed)
            print(f"[main] {args.sessions} browser pages + {args.writers} writers x {args.ops} writes, {args.duration:.0f} s", flush=True)
            main = await browse_phase(browser, base, "main", args.sessions, 0, args.duration, args.think, rec, args.seed + 1, wp, meter, db_path, gate=True)
            g = main.pop("gate")
            # the sign-in part (no writers yet) and the browsing part are measured apart
            phases["main-signin"] = {"label": f"main, signing in: {args.sessions} pages, writers not started", "cpu": g["cpu"], "lock": g["lock"],
                                     "browse_s": g["t"], "wal_max_mib": None, "writers": None, "signed": g["signed"]}
            phases["main"] = main
            phases["main"]["label"] = f"main: {args.sessions} pages + {args.writers} writers"
            phases["main"]["gate_s"] = g["t"]
            # ---- flat-out writers alone
            if args.flat_ops > 0:
                wp = WriterProc(db_path, "flat", args.writers, args.flat_ops, 0.0, 120, args.seed + 2)
                print(f"[flat] {args.writers} writers x {args.flat_ops} writes back to back, no sessions", flush=True)
                meter.writer_pid = wp.pid
                lockwatch = LockWatch(db_path, server.pid)
                lockwatch.writer_pid = wp.pid
                meter.start()
                lockwatch.start()
                wp.go()
                wr = await wp.wait_async()
                phases["flat"] = {"label": f"flat-out: {args.writers} writers alone", "cpu": meter.stop(), "lock": lockwatch.stop(), "writers": wr, "browse_s": 0, "wal_max_mib": None}
            # ---- light variant
            if args.light_duration > 0:
                wp = WriterProc(db_path, "light", args.writers, args.light_ops, (args.light_duration + 2) / args.light_ops, args.light_duration + 60, args.seed + 3)
                print(f"[light] {args.light_browsers} browser pages + {args.light_ws} websocket sessions + {args.writers} writers x {args.light_ops}, {args.light_duration:.0f} s", flush=True)
                phases["light"] = await browse_phase(browser, base, "light", args.light_browsers, args.light_ws, args.light_duration, args.think, rec, args.seed + 4, wp, meter, db_path)
                phases["light"]["label"] = f"light: {args.light_browsers} pages + {args.light_ws} websocket + {args.writers} writers"
            # ---- websocket only: 20 sessions with no browser rendering on the same 2 cores
            if args.ws_duration > 0:
                wp = WriterProc(db_path, "ws", args.writers, args.light_ops, (args.ws_duration + 2) / args.light_ops, args.ws_duration + 60, args.seed + 5)
                print(f"[ws] {args.ws_sessions} websocket sessions + {args.writers} writers x {args.light_ops}, {args.ws_duration:.0f} s", flush=True)
                phases["ws"] = await browse_phase(browser, base, "ws", 0, args.ws_sessions, args.ws_duration, args.think, rec, args.seed + 6, wp, meter, db_path)
                phases["ws"]["label"] = f"ws: {args.ws_sessions} websocket + {args.writers} writers"
            # ---- field: staff filing reports (form and upload) with everything else, and a burst of sign-ins
            if args.field_duration > 0:
                wp = WriterProc(db_path, "field", args.writers, args.light_ops, (args.field_duration + 2) / args.light_ops, args.field_duration + 60, args.seed + 7)
                rw = WriterProc(db_path, "field", args.report_writers, args.report_ops, (args.field_duration + 2) / args.report_ops,
                                args.field_duration + 90, args.seed + 8, kind="reports")
                burst = SignInBurst(base, server.pid, args.burst, args.field_duration / 3, args.seed + 9)
                print(f"[field] {args.field_ws} websocket sessions + {args.writers} writers x {args.light_ops} + {args.report_writers} staff filing "
                      f"reports x {args.report_ops} + {args.burst} sign-ins at once after {args.field_duration / 3:.0f} s, {args.field_duration:.0f} s", flush=True)
                phases["field"] = await browse_phase(browser, base, "field", 0, args.field_ws, args.field_duration, args.think, rec, args.seed + 10, wp,
                                                     meter, db_path, reporters=rw, during=burst.run)
                phases["field"]["label"] = (f"field: {args.field_ws} websocket + {args.writers} writers + {args.report_writers} staff reporting "
                                            f"+ {args.burst} sign-ins")
                if args.burst > 0:  # the same burst on the idle server: what the sign-ins themselves take
                    print(f"[burst] {args.burst} sign-ins at once, nothing else running", flush=True)
                    await asyncio.sleep(5)
                    phases["field"]["during_alone"] = await SignInBurst(base, server.pid, args.burst, 3.0, args.seed + 11).run(time.monotonic())
        finally:
            await browser.close()
    return phases


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_writers":
        ap = argparse.ArgumentParser()
        ap.add_argument("_writers")
        ap.add_argument("--db", required=True)
        ap.add_argument("--tag", required=True)
        ap.add_argument("--writers", type=int, required=True)
        ap.add_argument("--ops", type=int, required=True)
        ap.add_argument("--gap", type=float, required=True)
        ap.add_argument("--hard-limit", type=float, required=True)
        ap.add_argument("--seed", type=int, required=True)
        ap.add_argument("--out", required=True)
        ap.add_argument("--plans", required=True)
        ap.add_argument("--kind", choices=("mixed", "reports"), default="mixed")
        writers_main(ap.parse_args())
        return 0

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--businesses", type=int, default=20_000)
    ap.add_argument("--sessions", type=int, default=20, help="browser pages in the main phase")
    ap.add_argument("--writers", type=int, default=20)
    ap.add_argument("--ops", type=int, default=20, help="writes per writer in the main phase")
    ap.add_argument("--duration", type=float, default=60, help="seconds of browsing in the main phase (after the sessions started)")
    ap.add_argument("--think", type=float, default=1.0, help="mean pause between a session's actions, seconds")
    ap.add_argument("--solo-duration", type=float, default=30, help="one browser page alone (then one websocket session for half as long); 0: skip")
    ap.add_argument("--flat-ops", type=int, default=10, help="writes per writer, back to back, writers alone (0: skip)")
    ap.add_argument("--light-browsers", type=int, default=5)
    ap.add_argument("--light-ws", type=int, default=15)
    ap.add_argument("--light-duration", type=float, default=40, help="0: skip the light variant")
    ap.add_argument("--light-ops", type=int, default=10, help="writes per writer in the light and ws phases")
    ap.add_argument("--ws-sessions", type=int, default=20, help="websocket sessions in the ws phase")
    ap.add_argument("--ws-duration", type=float, default=40, help="0: skip the ws phase (websocket sessions only, with the paced writers)")
    ap.add_argument("--field-duration", type=float, default=40,
                    help="0: skip the field phase (and build the database without the field history)")
    ap.add_argument("--field-ws", type=int, default=10, help="websocket sessions in the field phase")
    ap.add_argument("--report-writers", type=int, default=20, help="staff filing reports in the field phase (half form, half upload)")
    ap.add_argument("--report-ops", type=int, default=6, help="reports filed per staff writer in the field phase")
    ap.add_argument("--burst", type=int, default=100, help="parallel sign-in attempts on /masuk, a third into the field phase")
    ap.add_argument("--plan-time-limit", type=float, default=3.0, help="solver time limit for each plan of the setup, seconds")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "out" / "load" / "RESULTS-load.md")
    args = ap.parse_args()

    LOAD_OUT.mkdir(parents=True, exist_ok=True)
    t_run = time.monotonic()
    info = machine()
    from importlib.metadata import version

    info["chromium"] = chromium_version()
    info["playwright"] = version("playwright")
    info["streamlit"] = version("streamlit")
    print("machine:", json.dumps(info), flush=True)

    db_path = LOAD_OUT / "load.db"
    env = {**os.environ, "PLANNER_DB": str(db_path), "PLANNER_MODELS": str(LOAD_OUT / "models"), "PYTHONUNBUFFERED": "1"}
    os.environ["PLANNER_MODELS"] = env["PLANNER_MODELS"]
    print(f"[setup] demo database of {args.businesses:,} businesses at {db_path}", flush=True)
    setup = setup_database(db_path, args.businesses, args.writers, env, args.plan_time_limit, field=args.field_duration > 0,
                           report_writers=args.report_writers)
    ps = setup["plans"]
    WRITER_PLANS[:] = [p["plan_id"] for p in ps["writers"]]
    print(f"[setup] init {setup['init_s']} s, train --score {setup['train_score_s']} s, plans {setup['plans_s']} s; counts {setup['counts_before']}", flush=True)
    for p in ps["writers"] + [ps["browse"]]:
        print(f"[setup] plan {p['plan_id']} {p['name']}: {p['start']} – {p['end']}, {p['status']} in {p['solve_s']} s, {p['events']} events, {p['invitations']} invitations", flush=True)

    port = free_port()
    log_path = LOAD_OUT / "streamlit.log"
    server = start_server(db_path, port, env, log_path)
    base = f"http://127.0.0.1:{port}"
    rec = Recorder()
    server_rss = None
    try:
        phases = asyncio.run(run_browser_phases(args, base, db_path, server, rec))
        try:
            for line in Path(f"/proc/{server.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    server_rss = round(int(line.split()[1]) / 1024)
        except OSError:
            pass
    finally:
        stop_server(server)

    writer_phases = {k: v["writers"] for k, v in phases.items() if v.get("writers")}
    print("[verify]", flush=True)
    report_setup = json.loads((LOAD_OUT / REPORT_WRITERS_FILE).read_text()) if setup.get("reports") else None
    report_ops = [o for v in phases.values() if v.get("reporters") for o in v["reporters"]["ops"]]
    ver = verify(db_path, writer_phases, setup["counts_before"], setup["plans"],
                 report_events=[e["event_id"] for e in report_setup["events"]] if report_setup and report_ops else None)
    field_ph = phases.get("field")
    field_res = None
    if field_ph and report_setup:
        rchecks = verify_reports(db_path, report_ops, report_setup)
        bursts = [(label, field_ph.get(k)) for label, k in (("sign-in burst under load", "during"), ("sign-in burst alone", "during_alone"))
                  if field_ph.get(k)]
        bchecks = []
        for label, b_ in bursts:
            b_["label"] = label
            bchecks += verify_burst(db_path, b_)
        for c in rchecks + bchecks:
            ver["checks"].append(c)
            ver["ok"] &= c["ok"]
        b = field_ph.get("during")
        b2 = field_ph.get("during_alone")
        rss_keys = ("rss_before_mib", "rss_peak_mib", "rss_peak_over_mib", "start_s", "burst_s")
        field_res = {"reports": summarize_writes(field_ph["reporters"]), "report_ops": len(report_ops),
                     "report_conflicts": sum(1 for o in report_ops if o.get("conflict")),
                     "report_failed": sum(1 for o in report_ops if not o.get("ok") and not o.get("conflict") and o["op"] != "skipped"),
                     "report_locked": sum(1 for o in report_ops if o.get("locked")),
                     "report_events": len(report_setup["events"]), "report_events_shared": sum(1 for e in report_setup["events"] if len(e.get("writers", [])) > 1),
                     "burst": summarize_burst(b) if b else None, "burst_alone": summarize_burst(b2) if b2 else None,
                     "rss": {k: b[k] for k in rss_keys} if b else None, "rss_alone": {k: b2[k] for k in rss_keys} if b2 else None}
        # The bound is the sign-ins' own: checked on the burst alone (under load the sessions' and
        # the writers' own work moves the server's memory in the same seconds; reported beside it).
        judged = b2 or b
        field_res["rss_ok"] = bool(judged) and judged["rss_peak_over_mib"] <= RSS_HEADROOM_MIB
        ver["checks"].append({"check": f"server memory, {judged['label'] if judged else 'burst'}: peak at most {RSS_HEADROOM_MIB} MiB over the baseline "
                                       f"(2 argon2 checks of {ARGON2_MIB} MiB + 64 MiB)", "ok": field_res["rss_ok"],
                              "detail": (f"baseline {judged['rss_before_mib']} MiB, peak {judged['rss_peak_mib']} MiB (+{judged['rss_peak_over_mib']} MiB)"
                                         if judged else "no burst")})
        if b and b2:
            ver["checks"].append({"check": "server memory, sign-in burst under load (info: sessions and writers share those seconds)", "ok": True,
                                  "detail": f"baseline {b['rss_before_mib']} MiB, peak {b['rss_peak_mib']} MiB (+{b['rss_peak_over_mib']} MiB)"})
        ver["ok"] &= field_res["rss_ok"]
    log_text = log_path.read_text(errors="replace")
    locked_server = len(LOCKED.findall(log_text))
    tracebacks = log_text.count("Traceback")
    locked_pages = sum(bool(LOCKED.search(json.dumps(p))) for p in rec.problems)
    locked_writers = sum(1 for ph in writer_phases.values() for o in ph["ops"] if o.get("locked")) + sum(1 for o in report_ops if o.get("locked"))
    write_errors = sum(1 for ph in writer_phases.values() for o in ph["ops"] if not o.get("ok") and o["op"] != "skipped")
    write_skipped = sum(1 for ph in writer_phases.values() for o in ph["ops"] if o["op"] == "skipped")
    want_rows = sum(o["rows"] for ph in writer_phases.values() for o in ph["ops"] if o.get("ok") and o["op"] in ("contacts", "partners_new"))
    lost = 0
    for c in ver["checks"]:
        m = re.match(r"([\d,]+) of ([\d,]+)", c["detail"])
        if m and c["check"].endswith(("by key and value", "last capacity written", "last successful edit (date, locked, status)")):
            lost += int(m.group(2).replace(",", "")) - int(m.group(1).replace(",", ""))

    out_phases = []
    for k, ph in phases.items():
        entry = {"name": k, "label": ph["label"], "cpu": ph["cpu"], "lock": ph.get("lock"), "wal_max_mib": ph.get("wal_max_mib"), "browse_s": ph.get("browse_s"),
                 "rig": ph.get("rig"),
                 "pages": summarize_pages(rec.samples, k)}
        if ph.get("writers"):
            entry["writes"] = summarize_writes(ph["writers"])
        if ph.get("reporters"):
            entry["report_writes"] = summarize_writes(ph["reporters"])
        out_phases.append(entry)

    notes = []
    main_ph = next((p for p in out_phases if p["name"] == "main"), None)
    if main_ph:
        c = main_ph["cpu"]
        notes.append(f"main phase: the machine was {c['machine_busy_pct']} % busy ({c['cores_busy']} of 2 cores); "
                     f"Chromium used {c['cpu_s']['chromium']} CPU s, the Streamlit server {c['cpu_s']['streamlit server']} s, the writers {c['cpu_s']['writers']} s "
                     f"in {c['wall_s']} s.")
    if rec.page_errors:
        notes.append(f"{len(rec.page_errors)} uncaught frontend errors, first: {rec.page_errors[0][:200]}")
    for p in rec.problems[:5]:
        notes.append(f"page problem ({p['phase']}, {p['who']}, {p['action']}): {json.dumps(p['exceptions'] + p['errors'], ensure_ascii=False)[:300]}")
    fails = [s for s in rec.samples if not s["ok"]]
    for s in fails[:5]:
        notes.append(f"failed action ({s['phase']}, {s['who']}, {s['action']}): {s['err']}")
    if len(fails) > 5:
        notes.append(f"... {len(fails) - 5} more failed actions (see bench/out/load/bench_load.json)")
    for ph in out_phases:
        w = ph.get("writes")
        if w and w["errors"]:
            notes.append(f"{ph['name']} writer errors: {w['errors'][:5]}")
        # Were the locked errors during the sign-ins (every sign-in is a write transaction)?
        signs = [s for s in rec.samples if s["phase"] == ph["name"] and s["action"] == "sign-in"]
        wr = phases[ph["name"]].get("writers")
        if signs and wr:
            lo, hi = min(s["t"] for s in signs), max(s["t"] + s["driver_ms"] / 1000 for s in signs)
            locked = [o for o in wr["ops"] if o.get("locked")]
            inside = sum(1 for o in locked if o["t1"] >= lo and o["t0"] <= hi)
            ph["signin_window_s"] = [round(lo, 1), round(hi, 1)]
            if locked:
                notes.append(f"{ph['name']}: {len(locked)} writes failed with \"database is locked\" (BEGIN IMMEDIATE gave up after the 30 s busy timeout; "
                             "started at " + ", ".join(str(round(o["t0"])) for o in sorted(locked, key=lambda o: o["t0"])) + f" s); {inside} of them overlap the "
                             f"{len(signs)} sign-ins, which ran from {lo:.0f} s to {hi:.0f} s of the phase.")

    command = "python bench/bench_load.py" + ("" if len(sys.argv) == 1 else " " + " ".join(shlex.quote(a) for a in sys.argv[1:]))
    res = {
        "command": command, "args": vars(args) | {"results": str(args.results)}, "machine": info, "setup": setup, "phases": out_phases, "verify": ver,
        "locked_total": locked_writers + locked_server + locked_pages, "locked_writers": locked_writers, "locked_server_log": locked_server,
        "locked_pages": locked_pages, "write_errors_total": write_errors, "write_skipped_total": write_skipped, "lost_rows": lost, "rows_reported": want_rows,
        "server_tracebacks": tracebacks, "page_problems": len(rec.problems), "page_errors": len(rec.page_errors), "server_rss_mib": server_rss,
        "violation_notices": len(rec.notices), "main_gate_s": phases.get("main", {}).get("gate_s"),
        "moves_with_violations": sum(1 for ph in writer_phases.values() for o in ph["ops"] if o.get("ok") and o["op"] == "event_move" and o.get("violations")),
        "moves_ok": sum(1 for ph in writer_phases.values() for o in ph["ops"] if o.get("ok") and o["op"] == "event_move"),
        "notes": notes, "total_s": round(time.monotonic() - t_run, 1), "field": field_res,
    }
    md = render_markdown(res)
    res["markdown"] = md
    (LOAD_OUT / "bench_load.json").write_text(json.dumps({**res, "samples": rec.samples, "problems": rec.problems, "notices": rec.notices,
                                                          "page_errors_list": rec.page_errors[:100],
                                                          "burst_attempts": field_ph["during"]["attempts"] if field_ph and field_ph.get("during") else None,
                                                          "burst_rss_series": field_ph["during"]["rss_series"] if field_ph and field_ph.get("during") else None},
                                                         indent=1, default=str))
    args.results.write_text(md)
    print(md)
    print(f"total {res['total_s']} s; raw numbers in {LOAD_OUT / 'bench_load.json'}")
    ok = ver["ok"] and res["locked_total"] == 0 and write_errors == 0 and tracebacks == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
