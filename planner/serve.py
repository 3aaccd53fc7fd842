"""``python -m planner serve``: the app on every core.

One Streamlit process runs every session's script on one core (the GIL), so a busy
office waits on one core while the others idle. ``serve`` starts N Streamlit processes
(default: one per core) on loopback ports and HAProxy in front of them on one port:

- **Sticky sessions.** A Streamlit session lives in the memory of the process that holds
  its websocket (its widgets, its uploads, its download files), so every request of a
  browser must reach the same process. HAProxy inserts an affinity cookie
  (``jangkau_server``) on the first answer and routes by it; websockets pass through as
  tunnels (``timeout tunnel``).
- **Nothing else is per process.** Sign-in sessions, users, background jobs and solves
  live in the one SQLite database (WAL mode), so a browser that lands on another
  process, after a restart or a crash, stays signed in and sees its jobs. Streamlit's
  own cookie secret is shared by every process (a file beside the database).
- **Health and restarts.** HAProxy checks ``/_stcore/health`` of every process and sends
  nobody to one that does not answer; a process that dies is started again (after a
  pause that grows while it keeps dying). ``SIGHUP`` reloads HAProxy and restarts the
  processes one at a time (each is taken out of HAProxy first), so the app stays up.
  ``SIGINT``/``SIGTERM`` stop HAProxy and every process.
- **Logs.** Each process writes to ``logs/serve-sN.log`` beside the database, HAProxy to
  ``logs/haproxy.log``, and everything (with the process name and time) also goes to
  ``logs/serve.log`` and to this command's output: ``serve --logs`` shows its end.
- **Memory.** Every process bounds its argon2 password checks (``PLANNER_ARGON2_SLOTS``,
  64 MiB each), so N processes take up to N × slots × 64 MiB in a sign-in rush; unless
  the operator sets it, ``serve`` gives each process ``max(1, 4 // N)`` slots.

The proxy is HAProxy from the operating system (``apt-get install haproxy``), configured
here; the supervision loop is one thread with ``select`` over the processes' output.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import fcntl
import json
import os
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from planner.db import ROOT, logs_dir
from planner.auth import ARGON2_MEMORY_MIB
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t

AFFINITY_COOKIE = "jangkau_server"
HEALTH_PATH = "/_stcore/health"
MAX_PROCESSES = 64
HAPROXY_DIRS = ("/usr/sbin", "/usr/local/sbin", "/sbin")  # Debian puts haproxy in /usr/sbin, often not on a user's PATH
INSTALL_HAPROXY = "sudo apt-get update && sudo apt-get install -y haproxy"
STARTUP_TIMEOUT = 90.0  # seconds for a Streamlit process to answer its health check
STOP_TIMEOUT = 10.0  # seconds a process gets to stop before it is killed
BACKOFF_MAX = 30.0  # longest pause before a process that keeps dying is started again
STABLE_AFTER = 30.0  # a process that ran this long before it died starts again at once


# --------------------------------------------------------------------------- settings
def default_processes() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def argon2_slots(processes: int) -> int:
    """Password checks at once per process when the operator has not chosen: about four in
    all (4 × ``ARGON2_MEMORY_MIB``), at least one per process."""
    return max(1, 4 // max(1, processes))


def find_haproxy(lang: str = DEFAULT_LANG) -> str:
    """The HAProxy binary, or a PlannerError that says how to install it."""
    search = os.pathsep.join([os.environ.get("PATH", ""), *HAPROXY_DIRS])
    found = shutil.which("haproxy", path=search)
    if not found:
        raise PlannerError(t("serve.no_haproxy", lang, command=INSTALL_HAPROXY))
    return found


def run_dir(db_path: Path) -> Path:
    """Runtime files of ``serve`` (HAProxy's configuration and control socket, the state
    file, the shared cookie secret): a ``run`` folder beside the database (not in git)."""
    folder = db_path.parent / "run"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cookie_secret(db_path: Path) -> str:
    """Streamlit's cookie secret, one for every process of this database (kept in
    ``run/cookie-secret``, readable by its owner only), so that a cookie Streamlit signs in
    one process is accepted by another, also after a restart."""
    path = run_dir(db_path) / "cookie-secret"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text(encoding="ascii").strip()
        if len(value) >= 32:
            return value
        path.unlink()
        return cookie_secret(db_path)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        value = secrets.token_hex(32)
        fh.write(value + "\n")
    return value


# --------------------------------------------------------------------------- HAProxy configuration
@dataclass(frozen=True)
class Backend:
    name: str  # s1, s2, ... (also the affinity cookie's value)
    port: int


def haproxy_config(address: str, port: int, backends: list[Backend], socket_path: Path | None = None) -> str:
    """HAProxy's configuration for ``serve``.

    - Affinity: HAProxy inserts ``jangkau_server=sN`` on the first answer and sends the
      browser to ``sN`` from then on (``indirect``: the app never sees the cookie;
      ``nocache``: no shared cache keeps one browser's affinity for another).
    - ``option redispatch``: a browser whose process is down goes to another one instead
      of getting an error; Jangkau's sign-in lives in the database, so it stays signed in.
    - Health: ``GET /_stcore/health`` every 2 s; two misses take a process out, one answer
      brings it back.
    - Websockets: HAProxy's default keep-alive mode passes the upgrade through; once
      upgraded the connection is a tunnel under ``timeout tunnel`` (a page open for hours
      is one websocket), not the short client/server timeouts. (``option
      http-server-close`` is not used: it would close every server connection after one
      request.)
    - Logs go to standard output, which ``serve`` writes to ``logs/haproxy.log``; only
      errors and unusual requests are logged, not every asset.
    """
    lines = [
        "# Written by `python -m planner serve` each time it starts; changes here are overwritten.",
        "global",
        "    log stdout format raw local0 info",
        "    maxconn 4096",
        "    hard-stop-after 60s",  # after a reload, the old process ends its websockets within a minute
    ]
    if socket_path is not None:
        lines.append(f"    stats socket {socket_path} mode 600 level admin")
    lines += [
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    option dontlognull",
        "    option dontlog-normal",
        "    option forwardfor",
        "    option redispatch",
        "    retries 3",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 60s",
        "    timeout http-request 15s",
        "    timeout http-keep-alive 15s",
        "    timeout queue 30s",
        "    timeout tunnel 1h",
        "    timeout client-fin 5s",
        "",
        "frontend jangkau",
        f"    bind {_bind(address)}:{port}",
        "    default_backend streamlit",
        "",
        "backend streamlit",
        "    balance leastconn",
        f"    cookie {AFFINITY_COOKIE} insert indirect nocache httponly attr \"SameSite=Lax\"",
        f"    option httpchk GET {HEALTH_PATH}",
        "    http-check expect status 200",
        "    default-server check inter 2s fall 2 rise 1",
    ]
    lines += [f"    server {b.name} 127.0.0.1:{b.port} cookie {b.name}" for b in backends]
    return "\n".join(lines) + "\n"


def _bind(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def check_config(haproxy: str, path: Path, lang: str = DEFAULT_LANG) -> None:
    """HAProxy's own check of a configuration file (``haproxy -c``)."""
    r = subprocess.run([haproxy, "-c", "-q", "-f", str(path)], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise PlannerError(t("serve.bad_config", lang, path=path, detail=(r.stderr or r.stdout).strip()[-2000:]))


# --------------------------------------------------------------------------- helpers
def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def _port_free(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=timeout) as r:
            return r.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl  # loaded before any fork: the child only calls it
except (OSError, AttributeError):
    _PRCTL = None


def _die_with_parent() -> None:
    """In a child before exec: end it if ``serve`` itself dies (even by SIGKILL), so that no
    Streamlit process or HAProxy outlives its supervisor."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def haproxy_command(sock: Path, command: str) -> str:
    """One command on HAProxy's runtime API (its stats socket)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(sock))
        s.sendall(command.encode() + b"\n")
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).decode(errors="replace")


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------- supervision
@dataclass
class Proc:
    """A supervised process: a Streamlit server or HAProxy."""

    name: str
    log: Path
    port: int | None = None
    popen: subprocess.Popen | None = None
    started: float = 0.0
    crashes: int = 0
    restart_at: float | None = None
    expected_exit: bool = False
    buffer: bytes = b""
    fh: object = None

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen is not None else None

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


@dataclass
class Server:
    """``serve``'s state: the processes, HAProxy, the logs and the signals received."""

    db_path: Path
    address: str
    port: int
    processes: int
    lang: str = DEFAULT_LANG
    echo: bool = True  # also print the combined log on standard output
    haproxy: str = ""
    children: list[Proc] = field(default_factory=list)
    proxy: Proc | None = None
    stopping: bool = False
    reload_requested: bool = False
    _selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    _combined: object = None
    _lock_fd: int | None = None

    # ----------------------------------------------------------------- paths
    @property
    def logs(self) -> Path:
        return logs_dir(self.db_path)

    @property
    def run(self) -> Path:
        return run_dir(self.db_path)

    @property
    def config_path(self) -> Path:
        return self.run / "haproxy.cfg"

    @property
    def socket_path(self) -> Path:
        return self.run / "haproxy.sock"

    @property
    def state_path(self) -> Path:
        return self.run / "serve.json"

    @property
    def url(self) -> str:
        return f"http://{_bind(self.address)}:{self.port}"

    # ----------------------------------------------------------------- logging
    def say(self, text: str, source: str = "serve") -> None:
        line = f"{_stamp()} {source:<7} | {text}\n"
        if self._combined is not None:
            self._combined.write(line)
            self._combined.flush()
        if self.echo:
            sys.stdout.write(line)
            sys.stdout.flush()

    def _drain(self, proc: Proc, final: bool = False) -> None:
        """Copy what a process wrote: raw to its own log, stamped to the combined log."""
        if proc.popen is None or proc.popen.stdout is None or proc.popen.stdout.closed:
            if final and proc.buffer:
                self.say(proc.buffer.decode(errors="replace"), proc.name)
                proc.buffer = b""
            return
        fd = proc.popen.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                break
            except OSError:
                data = b""
            if not data:
                self._unwatch(proc)
                break
            proc.fh.write(data)
            proc.fh.flush()
            proc.buffer += data
            *lines, proc.buffer = proc.buffer.split(b"\n")
            for raw in lines:
                text = raw.decode(errors="replace").rstrip("\r")
                if text.strip():
                    self.say(text, proc.name)
            if not final:
                break
        if final and proc.buffer:
            self.say(proc.buffer.decode(errors="replace"), proc.name)
            proc.buffer = b""

    def _unwatch(self, proc: Proc) -> None:
        if proc.popen is not None and proc.popen.stdout is not None and not proc.popen.stdout.closed:
            try:
                self._selector.unregister(proc.popen.stdout)
            except (KeyError, ValueError):
                pass
            proc.popen.stdout.close()

    # ----------------------------------------------------------------- starting
    def _spawn(self, proc: Proc, argv: list[str], env: dict[str, str]) -> None:
        if proc.fh is None:
            proc.fh = open(proc.log, "ab")
        proc.popen = subprocess.Popen(
            argv, cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            process_group=0, preexec_fn=_die_with_parent,
        )
        os.set_blocking(proc.popen.stdout.fileno(), False)
        self._selector.register(proc.popen.stdout, selectors.EVENT_READ, proc)
        proc.started = time.monotonic()
        proc.restart_at = None
        proc.expected_exit = False

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PLANNER_DB"] = str(self.db_path)
        env.setdefault("PLANNER_ARGON2_SLOTS", str(argon2_slots(self.processes)))
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret(self.db_path)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        return env

    def _start_child(self, proc: Proc) -> None:
        self._spawn(proc, app_command(proc.port), self._child_env())
        self.say(t("serve.child_started", self.lang, name=proc.name, pid=proc.pid, port=proc.port))

    def _start_proxy(self) -> None:
        self.proxy.expected_exit = False
        self._spawn(self.proxy, [self.haproxy, "-W", "-db", "-f", str(self.config_path)], dict(os.environ))
        self.say(t("serve.proxy_started", self.lang, pid=self.proxy.pid, url=self.url))

    def _wait(self, ready, timeout: float) -> bool:
        """Pump logs and signals until ``ready()`` or ``timeout``; False if it timed out or a
        stop was asked for."""
        deadline = time.monotonic() + timeout
        while not self.stopping:
            if ready():
                return True
            if time.monotonic() > deadline:
                return False
            self._pump(0.3)
        return False

    def _wait_healthy(self, proc: Proc) -> None:
        url = f"http://127.0.0.1:{proc.port}"
        ok = self._wait(lambda: not proc.alive() or healthy(url, 1.0), STARTUP_TIMEOUT)
        if self.stopping:
            return
        if not ok or not proc.alive():
            self._drain(proc, final=True)
            raise PlannerError(t("serve.child_failed", self.lang, name=proc.name, url=url + HEALTH_PATH,
                                 seconds=int(STARTUP_TIMEOUT), log=proc.log))

    def start(self) -> None:
        """Check everything an operator could have got wrong, then start the processes and
        HAProxy; a PlannerError (and everything stopped again) if any of it fails."""
        if not 1 <= self.processes <= MAX_PROCESSES:
            raise PlannerError(t("serve.bad_processes", self.lang, value=self.processes, max=MAX_PROCESSES))
        if not 1 <= self.port <= 65535:
            raise PlannerError(t("serve.bad_port", self.lang, value=self.port))
        self.haproxy = find_haproxy(self.lang)
        self._take_lock()
        if not _port_free(self.address, self.port):
            raise PlannerError(t("serve.port_busy", self.lang, address=self.address, port=self.port))
        self._combined = open(self.logs / "serve.log", "a", encoding="utf-8")
        slots = os.environ.get("PLANNER_ARGON2_SLOTS") or str(argon2_slots(self.processes))
        self.say(t("serve.starting", self.lang, n=self.processes, db=self.db_path, slots=slots,
                   mib=self.processes * int(slots) * ARGON2_MEMORY_MIB))
        self.children = [Proc(f"s{i}", self.logs / f"serve-s{i}.log", port=free_port()) for i in range(1, self.processes + 1)]
        self.proxy = Proc("haproxy", self.logs / "haproxy.log")
        self.write_config()
        check_config(self.haproxy, self.config_path, self.lang)
        for proc in self.children:
            self._start_child(proc)
        for proc in self.children:
            self._wait_healthy(proc)
        if self.stopping:
            return
        self._start_proxy()
        if not self._wait(lambda: not self.proxy.alive() or healthy(self.url, 1.0), 30):
            if not self.stopping:
                self._drain(self.proxy, final=True)
                raise PlannerError(t("serve.proxy_failed", self.lang, url=self.url, log=self.proxy.log))
        if not self.proxy.alive():
            self._drain(self.proxy, final=True)
            raise PlannerError(t("serve.proxy_failed", self.lang, url=self.url, log=self.proxy.log))
        self.write_state()
        self.say(t("serve.ready", self.lang, url=self.url, n=self.processes, log=self.logs / "serve.log", pid=os.getpid()))

    def _take_lock(self) -> None:
        """One ``serve`` per database folder: its runtime files and ports are its own."""
        fd = os.open(self.run / "serve.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise PlannerError(t("serve.already", self.lang, folder=self.db_path.parent, pid=other)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def write_config(self) -> None:
        sock = self.socket_path if len(str(self.socket_path)) < 100 else None  # a unix socket path holds at most 107 bytes
        text = haproxy_config(self.address, self.port, [Backend(p.name, p.port) for p in self.children], sock)
        tmp = self.config_path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.config_path)

    def write_state(self) -> None:
        """``run/serve.json``: who is who, for an operator (and the tests)."""
        state = {
            "pid": os.getpid(), "url": self.url, "db": str(self.db_path),
            "haproxy": {"pid": self.proxy.pid if self.proxy else None, "config": str(self.config_path)},
            "processes": [{"name": p.name, "pid": p.pid if p.alive() else None, "port": p.port, "log": str(p.log)} for p in self.children],
        }
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
        os.replace(tmp, self.state_path)

    # ----------------------------------------------------------------- running
    def _pump(self, timeout: float) -> None:
        for key, _ in self._selector.select(timeout):
            self._drain(key.data)
        self._reap()

    def _reap(self) -> None:
        """Start again, after a pause, every process that died without being asked to."""
        now = time.monotonic()
        changed = False
        for proc in [*self.children, self.proxy]:
            if proc is None or proc.popen is None:
                continue
            status = proc.popen.poll()
            if status is None or proc.expected_exit or self.stopping:
                continue
            if proc.restart_at is None:
                self._drain(proc, final=True)
                self._unwatch(proc)
                lived = now - proc.started
                proc.crashes = 0 if lived >= STABLE_AFTER else proc.crashes + 1
                delay = 0.0 if proc.crashes == 0 else min(BACKOFF_MAX, 2.0 ** (proc.crashes - 1))
                proc.restart_at = now + delay
                self.say(t("serve.exited", self.lang, name=proc.name, pid=proc.pid, status=status, delay=f"{delay:g}"))
            if now >= proc.restart_at:
                self._restart(proc)
                changed = True
        if changed:
            self.write_state()

    def _restart(self, proc: Proc) -> None:
        proc.restart_at = None
        if proc is self.proxy:
            self._start_proxy()
        else:
            self._start_child(proc)

    def loop(self) -> None:
        while not self.stopping:
            if self.reload_requested:
                self.reload_requested = False
                self.rolling_restart()
            self._pump(0.5)

    def rolling_restart(self) -> None:
        """SIGHUP: reload HAProxy (its master keeps the listening socket, so no connection is
        refused), then restart the Streamlit processes one at a time, each taken out of
        HAProxy first, so that the others serve meanwhile. Browsers on a restarted process
        reconnect to another one and stay signed in."""
        self.say(t("serve.reloading", self.lang))
        self.write_config()
        if self.proxy.alive():
            # The master starts a new worker and the old one leaves; wait until the control
            # socket answers from the new one, or a server taken out below would be taken out
            # of the old worker only.
            old = self._worker_pid()
            self.proxy.popen.send_signal(signal.SIGUSR2)
            self._wait(lambda: self._worker_pid() not in (None, old), 10)
        for proc in self.children:
            if self.stopping:
                return
            self._api(f"set server streamlit/{proc.name} state maint")
            self._api(f"shutdown sessions server streamlit/{proc.name}")
            self._stop_proc(proc)
            self._unwatch(proc)
            self._start_child(proc)
            try:
                self._wait_healthy(proc)
            except PlannerError as exc:
                # A process that does not come back (a broken update?) is left to the restart
                # with back-off and to HAProxy's health check; the others keep serving.
                self.say(str(exc))
                self._api(f"set server streamlit/{proc.name} state ready")
                self.write_state()
                return
            self._api(f"set server streamlit/{proc.name} state ready")
            self.write_state()
        self.say(t("serve.reloaded", self.lang))

    def _worker_pid(self) -> str | None:
        """The HAProxy worker that answers on the control socket (``show info``)."""
        info = self._api("show info") or ""
        return next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Pid:")), None)

    def _api(self, command: str) -> str | None:
        if not self.socket_path.exists():
            return None
        try:
            return haproxy_command(self.socket_path, command)
        except OSError:
            return None

    def _stop_proc(self, proc: Proc, sig: int = signal.SIGTERM) -> None:
        if not proc.alive():
            return
        proc.expected_exit = True
        proc.popen.send_signal(sig)
        deadline = time.monotonic() + STOP_TIMEOUT
        while proc.popen.poll() is None and time.monotonic() < deadline:
            self._drain(proc)
            time.sleep(0.05)
        if proc.popen.poll() is None:
            proc.popen.kill()
            proc.popen.wait(5)
        self._drain(proc, final=True)

    def stop(self) -> None:
        """HAProxy first (no new requests), then every Streamlit process; a process that
        does not stop within ``STOP_TIMEOUT`` seconds is killed."""
        self.stopping = True
        for proc in [self.proxy, *self.children]:
            if proc is not None and proc.alive():
                proc.expected_exit = True
                proc.popen.send_signal(signal.SIGTERM)
        for proc in [self.proxy, *self.children]:
            if proc is not None:
                self._stop_proc(proc)
                self._unwatch(proc)
                if proc.fh is not None:
                    proc.fh.close()
        if self.children:  # something had been started
            for path in (self.state_path, self.socket_path):
                path.unlink(missing_ok=True)
            self.say(t("serve.stopped", self.lang))
        if self._combined is not None:
            self._combined.close()
            self._combined = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def run(db_path: Path, *, processes: int | None = None, port: int = 8501, address: str = "127.0.0.1",
        lang: str = DEFAULT_LANG) -> int:
    """The body of ``python -m planner serve``: start, supervise until SIGINT/SIGTERM, stop."""
    server = Server(Path(os.path.abspath(db_path)), address, port, default_processes() if processes is None else processes, lang)

    def on_stop(signum, frame) -> None:
        server.stopping = True

    def on_hup(signum, frame) -> None:
        server.reload_requested = True

    previous = {s: signal.signal(s, h) for s, h in ((signal.SIGINT, on_stop), (signal.SIGTERM, on_stop), (signal.SIGHUP, on_hup))}
    try:
        server.start()
        server.loop()
    finally:
        server.stop()
        for s, h in previous.items():
            signal.signal(s, h)
    return 0


def show_logs(db_path: Path, lines: int = 100, follow: bool = False, lang: str = DEFAULT_LANG, out=None) -> int:
    """``serve --logs``: the end of the combined log (every process, HAProxy and ``serve``)."""
    out = out or sys.stdout
    path = logs_dir(db_path) / "serve.log"
    if not path.exists():
        raise PlannerError(t("serve.no_logs", lang, path=path))
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in deque(fh, maxlen=max(0, lines)):
            out.write(line)
        out.flush()
        while follow:
            line = fh.readline()
            if line:
                out.write(line)
                out.flush()
            else:
                time.sleep(0.5)
    return 0


# --------------------------------------------------------------------------- one app, started and waited for
# ``serve`` starts its processes with ``app_command``; the browser tests and the load
# benchmarks start one app with ``start_app`` (and ``serve`` itself with ``wait_serving``),
# so the command, the free port and the wait for the health check are written once.
def app_command(port: int, address: str = "127.0.0.1", *, watch_files: bool = True) -> list[str]:
    """``streamlit run streamlit_app.py`` on ``address:port``, headless, through
    ``app_pages.launch`` (the pages' libraries loaded before the health check answers).
    ``watch_files`` False: no file watcher (tests and benchmarks start many short-lived apps)."""
    argv = [
        sys.executable, "-m", "app_pages.launch", "run", str(ROOT / "streamlit_app.py"),
        "--server.headless", "true",
        "--server.address", address,
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    if not watch_files:
        argv += ["--server.fileWatcherType", "none"]
    return argv


def tail(path: Path, n: int = 40) -> str:
    """The last ``n`` lines of a log, for a message that says why something did not start."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def start_app(env: dict[str, str], log_path: Path, *, port: int | None = None, timeout: float = STARTUP_TIMEOUT,
              new_session: bool = False, lang: str = DEFAULT_LANG) -> tuple[subprocess.Popen, str]:
    """One Streamlit process of the app on a free port of 127.0.0.1 with ``env``, its output
    in ``log_path``; returns it and its URL once its health check answers. A PlannerError
    with the end of the log (and the process stopped) if it exits or stays silent."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(app_command(port, watch_files=False), cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=new_session)
    deadline = time.monotonic() + timeout
    while not healthy(url):
        if proc.poll() is not None:
            raise PlannerError(t("serve.app_exited", lang, status=proc.returncode, url=url, log=tail(log_path)))
        if time.monotonic() > deadline:
            stop_app(proc)
            raise PlannerError(t("serve.app_silent", lang, url=url + HEALTH_PATH, seconds=int(timeout), log=tail(log_path)))
        time.sleep(0.2)
    return proc, url


def stop_app(proc: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    """Stop a process ``start_app`` started: SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


def wait_serving(proc: subprocess.Popen, db_path: Path, url: str, log_path: Path, timeout: float = 120.0,
                 lang: str = DEFAULT_LANG) -> dict:
    """Wait until ``python -m planner serve`` (``proc``) serves ``url``: its state file
    names that URL. Returns the state; a PlannerError with the end of its log if it exits
    first or takes longer than ``timeout`` seconds."""
    state_path = db_path.parent / "run" / "serve.json"
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise PlannerError(t("serve.app_exited", lang, status=proc.returncode, url=url, log=tail(log_path, 60)))
        try:
            state = json.loads(state_path.read_text())
        except (OSError, ValueError):
            state = {}
        if state.get("url") == url:
            return state
        if time.monotonic() > deadline:
            raise PlannerError(t("serve.app_silent", lang, url=url, seconds=int(timeout), log=tail(log_path, 60)))
        time.sleep(0.25)
