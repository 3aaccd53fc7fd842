"""One phase of the benchmark (sessions and writers together for a while) and its
summaries: page times and write rates."""

from __future__ import annotations

import asyncio
import random
import threading
import time
import urllib.request
from pathlib import Path

from load import common
from load.common import CpuMeter, GATE_TIMEOUT_S, LockWatch, pct
from load.sessions import Recorder, browser_session, ws_session
from load.writers import WriterProc


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
        user = common.BROWSE_USERS[i % len(common.BROWSE_USERS)]
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
