"""``python -m planner serve --processes 2`` in a browser: two Streamlit processes behind
HAProxy on free ports. A person signed in on one process (an upload through the proxy
works) stays signed in when the other one serves them (their affinity cookie naming it),
when that one is killed, after serve has started it again, and after a rolling restart
(SIGHUP); SIGTERM stops HAProxy and every process, leaving none behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner import serve as servemod
from tests.test_browser import (  # noqa: F401
    BUSINESS_HEADER, UI_TIMEOUT, VIEWPORT, _assert_no_exception, _settled, _sign_in, _upload, browser,
)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

ROOT = Path(__file__).resolve().parents[1]
SIGNED_IN = "Masuk sebagai Manajer Kampanye"

if not os.environ.get("CI"):  # .ci/run installs haproxy: in CI a missing one fails the test
    try:
        servemod.find_haproxy()
    except servemod.PlannerError:
        pytest.skip("haproxy is not installed (apt-get install haproxy)", allow_module_level=True)


def _state(run: Path) -> dict:
    try:
        return json.loads((run / "serve.json").read_text())
    except (OSError, ValueError):
        return {}


def _until(what: str, check, timeout: float, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"{what} within {timeout:.0f}s; serve's log:\n{servemod.tail(log, 60)}")


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent is not)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(") ", 1)[-1][:1] != "Z"
    except OSError:
        return False


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parents[int(proc.name)] = int((proc / "stat").read_text().rsplit(") ", 1)[-1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _up_in_haproxy(run: Path, name: str) -> bool:
    """Whether HAProxy's health check counts server ``name`` as up (its runtime API)."""
    try:
        stats = servemod.haproxy_command(run / "haproxy.sock", "show stat")
    except OSError:
        return False
    header, *rows = [line.lstrip("# ").split(",") for line in stats.splitlines() if line.strip()]
    col = {k: i for i, k in enumerate(header)}
    return any(r[col["pxname"]] == "streamlit" and r[col["svname"]] == name and r[col["status"]] == "UP" for r in rows)


def _server_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == servemod.AFFINITY_COOKIE), None)


def _signed_in(pg) -> None:
    expect(pg.get_by_text(SIGNED_IN)).to_be_visible()
    _settled(pg)
    _assert_no_exception(pg)
    assert "/masuk" not in pg.url


def test_two_processes_behind_haproxy_keep_a_person_signed_in(browser, tmp_path) -> None:
    db_path = tmp_path / "planner.db"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PLANNER_ARGON2_SLOTS", None)
    init = subprocess.run([sys.executable, "-m", "planner", "--db", str(db_path), "init", "--demo", "--businesses", "600"],
                          cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    port = servemod.free_port()
    url = f"http://127.0.0.1:{port}"
    out = tmp_path / "serve.out"
    run = tmp_path / "run"
    with open(out, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "planner", "--db", str(db_path), "serve", "--processes", "2", "--port", str(port)],
                                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT)
    seen: set[int] = set()  # every process serve started, to check that none is left
    try:
        state = servemod.wait_serving(proc, db_path, url, out)
        assert proc.poll() is None, servemod.tail(out)
        assert servemod.healthy(url)
        names = [p["name"] for p in state["processes"]]
        assert names == ["s1", "s2"]
        pids = {p["name"]: p["pid"] for p in state["processes"]}
        seen |= {proc.pid, state["haproxy"]["pid"], *pids.values()} | _descendants(proc.pid)
        for p in state["processes"]:  # each process got its share of password checks: 4 // 2
            environ = Path(f"/proc/{p['pid']}/environ").read_bytes().split(b"\0")
            assert b"PLANNER_ARGON2_SLOTS=2" in environ

        context = browser.new_context(viewport=VIEWPORT, locale="id-ID", timezone_id="Asia/Jakarta")
        context.set_default_timeout(UI_TIMEOUT)
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:)"), lambda route: route.abort())
        pg = context.new_page()
        js_errors: list[str] = []
        pg.on("pageerror", lambda exc: js_errors.append(str(exc)))
        try:
            # Signed in through the proxy: HAProxy pinned this browser to one process.
            _sign_in(pg, url)
            _signed_in(pg)
            first = _server_cookie(context)
            assert first in names, context.cookies()
            other = next(n for n in names if n != first)

            # An upload through the proxy: the file goes (with Streamlit's XSRF token) to the
            # process that holds this page's websocket, and the import sees it.
            pg.locator("[data-testid=stSidebarNav] a", has_text="Impor data").click()
            kind = pg.get_by_role("combobox", name="Jenis data")
            kind.click()
            pg.get_by_role("option", name="Usaha", exact=True).click()
            expect(kind).to_have_value("Usaha")
            _settled(pg)
            _upload(pg, "usaha_proxy.csv", BUSINESS_HEADER + "UJI-0003,Warung Lewat Proxy,1671,G,mikro,4,2015,1,0,0,1,0\n")
            pg.get_by_role("button", name="Periksa dan impor").click()
            expect(pg.locator("[data-testid=stAlertContentSuccess]")).to_contain_text("1 baris diimpor: 1 baru")
            _settled(pg)
            assert _server_cookie(context) == first

            # Sent to the other process (the affinity cookie names it): still signed in, from
            # the database. HAProxy kept the cookie, so that process answered (a browser it
            # sends elsewhere gets a new one).
            context.add_cookies([{"name": servemod.AFFINITY_COOKIE, "value": other, "url": url}])
            pg.reload()
            _signed_in(pg)
            assert _server_cookie(context) == other

            # That process dies: the next load goes to the remaining one (or to the killed one
            # once serve has started it again) and is still signed in.
            os.kill(pids[other], signal.SIGKILL)
            pg.reload()
            _signed_in(pg)
            assert _server_cookie(context) in names

            # serve starts the killed process again; sent to it, still signed in.
            state = _until(f"serve did not start {other} again",
                           lambda: (s := _state(run)) and all(p["pid"] for p in s["processes"])
                           and {p["name"]: p["pid"] for p in s["processes"]}[other] != pids[other] and s, 60, out)
            restarted = next(p for p in state["processes"] if p["name"] == other)
            _until(f"{other} did not answer", lambda: servemod.healthy(f"http://127.0.0.1:{restarted['port']}"), 60, out)
            seen |= {restarted["pid"]}
            _until(f"HAProxy did not see {other} up again", lambda: _up_in_haproxy(run, other), 60, out)
            context.add_cookies([{"name": servemod.AFFINITY_COOKIE, "value": other, "url": url}])
            pg.reload()
            _signed_in(pg)
            assert _server_cookie(context) == other  # HAProxy kept the browser on the restarted process

            # A rolling restart (SIGHUP): both processes are replaced one by one; the person
            # stays signed in.
            before = {p["name"]: p["pid"] for p in state["processes"]}
            os.kill(proc.pid, signal.SIGHUP)
            state = _until("the rolling restart did not finish",
                           lambda: (s := _state(run)) and all(p["pid"] and p["pid"] != before[p["name"]] for p in s["processes"]) and s,
                           120, out)
            assert "Semua proses sudah dimulai ulang" in _until("no end of the rolling restart in the log",
                                                               lambda: "sudah dimulai ulang" in out.read_text() and out.read_text(), 60, out)
            seen |= {p["pid"] for p in state["processes"]} | _descendants(proc.pid)
            pg.reload()
            _signed_in(pg)
            assert not js_errors, js_errors
        finally:
            context.close()

        # Logs: one per process, HAProxy's, and the combined one that --logs shows.
        logs = tmp_path / "logs"
        for name in ("serve-s1.log", "serve-s2.log", "haproxy.log", "serve.log"):
            assert (logs / name).stat().st_size > 0, name
        shown = subprocess.run([sys.executable, "-m", "planner", "--db", str(db_path), "serve", "--logs", "--lines", "400"],
                               cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0
        assert re.search(rf"{other}\s+\| .*You can now view", shown.stdout)
        assert f"{other} (pid {pids[other]})" in shown.stdout and "-9" in shown.stdout  # the kill was logged with its signal
    finally:
        seen |= _descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert status == 0, servemod.tail(out)
    assert "HAProxy dan semua proses Streamlit berhenti" in out.read_text()
    time.sleep(0.5)
    left = sorted(pid for pid in seen if _alive(pid))
    assert not left, f"processes left after serve stopped: {left}"
    assert not servemod.healthy(url)
    assert not (run / "serve.json").exists()
