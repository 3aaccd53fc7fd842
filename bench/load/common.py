"""The load benchmark's settings (accounts, timeouts, page texts it waits for) and small
measuring tools: percentiles, CPU of a process tree, SQLite lock waits, Chromium's version."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import subprocess
import threading
import time
from pathlib import Path

from _common import OUT


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
# The role of each browsing account (what it lands on, whether it sees draft plans);
# a benchmark that adds accounts of its own adds them here.
ROLES: dict[str, str] = {"manajer": "manager", "admin": "admin", "staf.sumsel": "staff", "pimpinan": "leadership"}


def role_of(user: str) -> str:
    return ROLES.get(user, "manager")


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

