"""Load benchmark: 20 people browsing the real app while 20 writers import and edit.

    python bench/bench_load.py                       # defaults below, about 4-5 minutes
    python bench/bench_load.py --duration 30 --light-duration 20 --ops 10   # shorter

One run, bounded in time, only 127.0.0.1, stops by itself:

1. **Setup.** A fresh demo database of ``--businesses`` (20,000) businesses in
   ``bench/out/load/`` (``python -m planner init --demo`` then ``train --score``, models
   in ``bench/out/load/models``), plus one account ``bench.wNN`` per writer for the
   account edits. Then one draft plan per writer, each on its own province (the first
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
7. **Verify**: every row each writer reported as written is in the database with the
   values it wrote (contacts by key; partners by id with the last capacity written;
   accounts with the last active flag; plan events with the date, locked flag and status
   of their last successful edit, every other event of the writers' plans as solved),
   failed writes left nothing behind, the ``import_runs`` and ``audit_log`` entries match
   the writes one for one (``event.lock``/``event.unlock``/``event.move``/``event.cancel``
   per event edit), cancelled events have no invitations, ``PRAGMA integrity_check`` is
   ok, ``foreign_key_check`` is empty, and "database is locked" appeared nowhere (writer
   exceptions, the server log, the pages).

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
PASSWORD = "jangkau-demo"
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
        writer = descendants(tree, self.writer_pid) if self.writer_pid and self.writer_pid in tree else set()
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
            who = None if pid is None else "server" if pid == self.server_pid else "writers" if pid == self.writer_pid else "other"
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


def setup_database(db_path: Path, businesses: int, writers: int, env: dict, plan_time_limit: float) -> dict:
    remove_db(db_path)
    t0 = time.perf_counter()
    init_out = run_cli("--db", str(db_path), "init", "--demo", "--businesses", str(businesses), env=env)
    t1 = time.perf_counter()
    train_out = run_cli("--db", str(db_path), "train", "--score", env=env)
    t2 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from planner import auth
    from planner import db as dbmod

    db = dbmod.connect(db_path)
    try:
        actor = auth.system_user()
        for w in range(writers):
            auth.add_user(db, actor, f"bench.w{w:02d}", PASSWORD + "-bench", "leadership", (), f"Bench writer {w:02d}")
        t3 = time.perf_counter()
        plan_setup = setup_plans(db, writers, plan_time_limit)
        t4 = time.perf_counter()
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("businesses", "contacts", "partners", "scores", "audit_log", "import_runs", "users", "plans", "events", "invitations")}
    finally:
        db.conn.close()
    (LOAD_OUT / "plans.json").write_text(json.dumps(plan_setup))
    return {"init_s": round(t1 - t0, 1), "train_score_s": round(t2 - t1, 1), "plans_s": round(t4 - t3, 1), "init_out": init_out.strip().splitlines()[-1],
            "train_out": train_out.strip().splitlines()[-1], "counts_before": counts, "plans": plan_setup}


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


def writers_main(args) -> None:
    """Child process: ``args.writers`` threads, results as JSON to ``args.out``."""
    sys.path.insert(0, str(ROOT))
    from planner import db as dbmod

    db = dbmod.connect(args.db)
    ref = {
        "business_ids": [r[0] for r in db.execute("SELECT business_id FROM businesses ORDER BY business_id").fetchall()],
        "regencies": [r[0] for r in db.execute("SELECT code FROM regencies ORDER BY code").fetchall()],
        "plans": {p["writer"]: p for p in json.loads(Path(args.plans).read_text())["writers"]},
    }
    db.conn.close()
    # Warm the imports' code paths (pandas, openpyxl stay unloaded: files are CSV).
    import planner.imports  # noqa: F401
    import planner.plans  # noqa: F401

    barrier = threading.Barrier(args.writers + 1)
    t_start = [0.0]
    results: list[list] = [[] for _ in range(args.writers)]
    threads = [threading.Thread(target=writer_thread, args=(w, args, ref, barrier, t_start, results[w]), daemon=True) for w in range(args.writers)]
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

    def __init__(self, db_path: Path, tag: str, writers: int, ops: int, gap: float, hard_limit: float, seed: int) -> None:
        self.out = LOAD_OUT / f"writers_{tag}.json"
        if self.out.exists():
            self.out.unlink()
        cmd = [sys.executable, str(Path(__file__).resolve()), "_writers", "--db", str(db_path), "--tag", tag,
               "--writers", str(writers), "--ops", str(ops), "--gap", str(gap), "--hard-limit", str(hard_limit),
               "--seed", str(seed), "--out", str(self.out), "--plans", str(LOAD_OUT / "plans.json")]
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
            ok = await measure("peluang: load", lambda: page.goto(base + "/"), navigation=True)
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


def _rerun_msg(page_hash: str, widgets: list, url: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = ""
    cs.page_script_hash = page_hash
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
                ok = await step(ws, "peluang: load", _rerun_msg("", [], base + "/"), seen, t)  # from before the connect
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


# =========================================================================== phases
async def browse_phase(pw_browser, base: str, phase: str, n_browser: int, n_ws: int, duration: float, think: float, rec: Recorder, seed: int,
                       writers: WriterProc | None, meter: CpuMeter, db_path: Path, gate: bool = False) -> dict:
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
    await asyncio.gather(*tasks[2:])
    browse_end = time.monotonic() - start_at
    if writers:
        writer_result = await wtask
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
            "gate": gate_info or None, "rig": rig}


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
def verify(db_path: Path, phases: dict[str, dict], before: dict, plan_setup: dict) -> dict:
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
    total = con.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    check("contacts count = before + inserted", total == before["contacts"] + len(want), f"{before['contacts']:,} + {len(want):,} = {before['contacts'] + len(want):,}; stored {total:,}")

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
    verdict = "PASS" if v["ok"] and locked_total == 0 and res["write_errors_total"] == 0 else "FAIL"
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
    L.append("| phase | held by writers | held by the Streamlit server | longest server hold | server holds ≥ 1 s (start s: length s) |")
    L.append("|---|---:|---:|---:|---|")
    for ph in res["phases"]:
        lk = ph.get("lock")
        if not lk:
            continue
        hp = lk["held_pct"]
        ls = lk["longest"].get("server")
        holds = ", ".join(f"{a:.0f}: {b:.1f}" for a, b in lk["server_holds_over_1s"][:12]) or "none"
        L.append(f"| {ph['label']} | {fmt(hp.get('writers', 0.0), 1)} % | {fmt(hp.get('server', 0.0), 1)} % | "
                 f"{(str(ls[1]) + ' s at ' + str(ls[0]) + ' s') if ls else '–'} | {holds} |")
    L.append("")
    L.append("The WAL write lock is a POSIX lock on byte 120 of the `-shm` file; `F_GETLK` every 20 ms names the process holding it, without taking it. "
             "The server writes only when someone signs in (`auth.login`: `authenticate`, `create_session`, the audit entry) or a session's idle window is extended.")
    L.append("")
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
    setup = setup_database(db_path, args.businesses, args.writers, env, args.plan_time_limit)
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
    ver = verify(db_path, writer_phases, setup["counts_before"], setup["plans"])
    log_text = log_path.read_text(errors="replace")
    locked_server = len(LOCKED.findall(log_text))
    tracebacks = log_text.count("Traceback")
    locked_pages = sum(bool(LOCKED.search(json.dumps(p))) for p in rec.problems)
    locked_writers = sum(1 for ph in writer_phases.values() for o in ph["ops"] if o.get("locked"))
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
        "notes": notes, "total_s": round(time.monotonic() - t_run, 1),
    }
    md = render_markdown(res)
    res["markdown"] = md
    (LOAD_OUT / "bench_load.json").write_text(json.dumps({**res, "samples": rec.samples, "problems": rec.problems, "notices": rec.notices,
                                                          "page_errors_list": rec.page_errors[:100]}, indent=1, default=str))
    args.results.write_text(md)
    print(md)
    print(f"total {res['total_s']} s; raw numbers in {LOAD_OUT / 'bench_load.json'}")
    ok = ver["ok"] and res["locked_total"] == 0 and write_errors == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
