"""Serve benchmark: the same websocket load on one Streamlit process (``streamlit run``),
on ``python -m planner serve --processes 1`` (one process behind HAProxy) and on
``serve --processes 2``, in one run, so the ratio says what the second core buys.

    python bench/bench_serve.py                   # defaults below, about 6 minutes
    python bench/bench_serve.py --duration 20 --rounds 1   # shorter

One run, bounded in time, only 127.0.0.1, stops by itself:

1. **Setup.** A demo database of ``--businesses`` (20,000) businesses with its field
   history (``python -m planner init --demo --field``: trained and scored) in
   ``bench/out/serve/``.
2. **Modes**, each ``--rounds`` (2) times, interleaved (direct, serve 1, serve 2, direct,
   ...) so that a drift of the shared machine's load hits every mode alike: the server is
   started, one session loads every page once (warm caches), then ``--sessions`` (12)
   websocket sessions (``load.sessions.ws_session``: Streamlit's own protocol, no
   rendering; each signs in at ``/masuk`` through the proxy, then loops Peluang load ->
   Peluang filter -> Sasaran -> Sasaran filter -> Jadwal, ``--think`` s between
   actions) run for ``--duration`` s; then the server is stopped. The demo accounts take
   turns (manajer, admin, staf.sumsel, pimpinan).
3. **Numbers** per mode: script runs finished with their table per second (throughput),
   page time median and p95 (BackMsg sent -> ``script_finished``), failed actions, and
   the CPU seconds the server's processes used (HAProxy included) per second of the
   phase, i.e. how many cores the server kept busy.

Results: a markdown section in ``bench/out/serve/RESULTS-serve.md`` and raw numbers in
``bench/out/serve/bench_serve.json``. Exit status 0 when no action failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import OUT, ROOT, machine, remove_db

from load import common
from load.sessions import Recorder, ws_session
from load.common import BROWSE_USERS, descendants, pct, proc_tree_cpu

SERVE_OUT = OUT / "serve"


def run_cli(*args: str, env: dict) -> str:
    r = subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        raise SystemExit(f"planner {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def start(mode: str, db_path: Path, env: dict, tag: str) -> tuple[subprocess.Popen, str]:
    """``direct``: streamlit run; ``serve-N``: python -m planner serve --processes N."""
    from planner import serve as servemod
    from planner.errors import PlannerError

    log = SERVE_OUT / f"{tag}.log"
    try:
        if mode == "direct":
            return servemod.start_app(env, log, timeout=60, new_session=True)
        port = servemod.free_port()
        url = f"http://127.0.0.1:{port}"
        with open(log, "wb") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "planner", "--db", str(db_path), "serve", "--processes", mode.split("-")[1], "--port", str(port)],
                                    cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            servemod.wait_serving(proc, db_path, url, log)
        except PlannerError:
            if proc.poll() is None:
                proc.kill()
            raise
        return proc, url
    except PlannerError as exc:
        raise SystemExit(str(exc)) from None


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def server_cpu(pid: int) -> float:
    tree = proc_tree_cpu()
    return sum(tree[p][2] for p in descendants(tree, pid) if p in tree)


async def load(url: str, sessions: int, duration: float, think: float, seed: int, phase: str) -> Recorder:
    rec = Recorder()
    start_at = time.monotonic()
    deadline = [start_at + duration]
    rng = random.Random(seed)
    tasks = [ws_session(url, BROWSE_USERS[i % len(BROWSE_USERS)], f"ws{i:02d}", phase, start_at, deadline, think, rec,
                           random.Random(rng.random()), jadwal_first=bool(i % 2)) for i in range(sessions)]
    await asyncio.gather(*tasks)
    return rec


def measure(mode: str, db_path: Path, env: dict, args, round_no: int) -> dict:
    tag = f"{mode}-r{round_no}"
    proc, url = start(mode, db_path, env, tag)
    try:
        asyncio.run(load(url, 1, 1, 0.0, args.seed, "warm"))  # every page once: caches warm, pages imported
        cpu0, t0, me0 = server_cpu(proc.pid), time.monotonic(), resource.getrusage(resource.RUSAGE_SELF)
        rec = asyncio.run(load(url, args.sessions, args.duration, args.think, args.seed + round_no, tag))
        elapsed = time.monotonic() - t0
        cpu1, me1 = server_cpu(proc.pid), resource.getrusage(resource.RUSAGE_SELF)
    finally:
        stop(proc)
    runs = [s for s in rec.samples if s["action"] != "sign-in"]
    ok = [s["ms"] for s in runs if s["ok"] and s["ms"] is not None]
    failed = [s for s in rec.samples if not s["ok"]]
    return {
        "mode": mode, "round": round_no, "elapsed_s": round(elapsed, 1), "runs_ok": len(ok), "failed": len(failed),
        "failures": [f"{s['action']}: {s['err']}" for s in failed[:5]], "problems": rec.problems[:5],
        "throughput": len(ok) / elapsed, "median_ms": statistics.median(ok) if ok else float("nan"), "p95_ms": pct(ok, 0.95),
        "server_cores": (cpu1 - cpu0) / elapsed,
        "driver_cores": ((me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime)) / elapsed,
    }


def summarize(rows: list[dict], modes: list[str]) -> dict[str, dict]:
    """Per mode over all its rounds: page runs per second, the median of the rounds'
    medians, the worst round's p95, and the throughput's ratio to ``serve-1`` (else the
    first mode)."""
    summary = {}
    for mode in modes:
        rs = [r for r in rows if r["mode"] == mode]
        total_runs, total_s = sum(r["runs_ok"] for r in rs), sum(r["elapsed_s"] for r in rs)
        summary[mode] = {"throughput": total_runs / total_s, "median_ms": statistics.median(r["median_ms"] for r in rs),
                         "p95_ms": max(r["p95_ms"] for r in rs)}
    base = summary.get("serve-1", next(iter(summary.values())))["throughput"]
    for s in summary.values():
        s["ratio"] = s["throughput"] / base if base else float("nan")
    return summary


def render(res: dict) -> str:
    a = res["args"]
    L = [f"Measured {res['machine']['date']} on {res['machine']['nproc']} cores ({res['machine']['cpu']}), "
         f"load average at start {res['machine']['loadavg at start']}; {a['businesses']:,} businesses (demo with field history), "
         f"{a['sessions']} websocket sessions, {a['duration']:g} s per mode and round, think {a['think']:g} s, {a['rounds']} rounds interleaved.",
         "",
         "| mode | round | page runs/s | median ms | p95 ms | failed | server cores busy | driver cores |",
         "|---|---|---|---|---|---|---|---|"]
    for r in res["rows"]:
        L.append(f"| {r['mode']} | {r['round']} | {r['throughput']:.2f} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} | {r['failed']} | "
                 f"{r['server_cores']:.2f} | {r['driver_cores']:.2f} |")
    L += ["", "| mode | page runs/s (all rounds) | median ms | p95 ms | ratio to serve-1 |", "|---|---|---|---|---|"]
    for m, s in res["summary"].items():
        L.append(f"| {m} | {s['throughput']:.2f} | {s['median_ms']:.0f} | {s['p95_ms']:.0f} | {s['ratio']:.2f} |")
    return "\n".join(L) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--businesses", type=int, default=20_000)
    ap.add_argument("--sessions", type=int, default=12)
    ap.add_argument("--duration", type=float, default=40)
    ap.add_argument("--think", type=float, default=0.2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--modes", default="direct,serve-1,serve-2")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = ap.parse_args()
    SERVE_OUT.mkdir(parents=True, exist_ok=True)
    db_path = SERVE_OUT / "planner.db"
    env = {**os.environ, "PLANNER_DB": str(db_path), "PLANNER_MODELS": str(SERVE_OUT / "models"), "PYTHONUNBUFFERED": "1"}
    env.pop("PLANNER_ARGON2_SLOTS", None)
    common.PASSWORD = "jangkau-demo"  # the demo accounts as shipped (this database gets no imports)
    if not (args.reuse and db_path.exists()):
        remove_db(db_path)
        t = time.perf_counter()
        run_cli("--db", str(db_path), "init", "--demo", "--businesses", str(args.businesses), "--field", env=env)
        print(f"setup: {time.perf_counter() - t:.0f} s", flush=True)
    res = {"machine": machine(), "args": vars(args), "rows": []}
    modes = args.modes.split(",")
    for round_no in range(1, args.rounds + 1):
        for mode in modes:
            row = measure(mode, db_path, env, args, round_no)
            res["rows"].append(row)
            print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()}), flush=True)
    res["summary"] = summarize(res["rows"], modes)
    (SERVE_OUT / "bench_serve.json").write_text(json.dumps(res, indent=2, default=str))
    text = render(res)
    (SERVE_OUT / "RESULTS-serve.md").write_text(text)
    print(text)
    return 0 if all(r["failed"] == 0 for r in res["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
