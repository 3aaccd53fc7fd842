"""The sessions: Playwright pages and Streamlit-websocket sessions that sign in and browse
Peluang, Sasaran and Jadwal, the server's memory watched, and the burst of sign-ins."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import re
import statistics
import threading
import time
import urllib.request
from pathlib import Path

from load import common  # common.PASSWORD is read at each sign-in: bench_serve sets it
from load.common import (
    ACTION_TIMEOUT_MS,
    BURST_DEMO,
    BURST_LOCK,
    BURST_OK,
    BURST_OK_PASSWORD,
    BUSY_MSG,
    OBSERVER_JS,
    PELUANG_SEGMENTS,
    PROBLEMS_JS,
    SASARAN_SORTS,
    VIEWPORT,
    VIOLATIONS_NOTICE,
    WRITER_PLANS,
    WRONG_MSG,
    WS_SEGMENTS,
    WS_SORTS,
    pct,
)

from planner.auth import SESSION_COOKIE  # after load.common: its _common puts the repository on sys.path


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
    return "/" if common.role_of(user) in ("admin", "manager") else "/peluang"


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
        await page.fill("#password", common.PASSWORD)
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
            if ok and time.monotonic() < deadline[0] and common.role_of(user) != "staff" and WRITER_PLANS:
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
    body = urllib.parse.urlencode({"username": user, "password": common.PASSWORD}).encode()
    req = urllib.request.Request(base + "/masuk", data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        resp = opener.open(req, timeout=60)
    except urllib.error.HTTPError as e:
        resp = e
    if resp.status != 303:
        raise RuntimeError(f"sign-in of {user} answered {resp.status}")
    cookie = resp.headers.get("set-cookie", "")
    m = re.search(rf"{SESSION_COOKIE}=([^;]+)", cookie)
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
            async with connect(ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": f"{SESSION_COOKIE}={token}"},
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
                    if ok and time.monotonic() < deadline[0] and common.role_of(user) != "staff" and WRITER_PLANS and options:
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
        ok = f"{SESSION_COOKIE}=" in (resp.headers.get("set-cookie") or "")
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
            plan.append({"user": BURST_DEMO[i % len(BURST_DEMO)], "password": common.PASSWORD, "kind": "right"})
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
