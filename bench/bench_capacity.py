"""Capacity benchmark: how many active people ``python -m planner serve`` holds on this
machine at a human pace, what a rush of sign-ins costs, and what the second process buys.

    python bench/bench_capacity.py                         # defaults below, about 15 minutes
    python bench/bench_capacity.py --sessions 40 --duration 40 --ratio-rounds 1   # shorter

One run, bounded in time, only 127.0.0.1, stops by itself:

1. **Setup.** A demo database of ``--businesses`` (20,000) businesses with its field
   history (trained and scored, as the first start builds it), the demo accounts with the
   benchmark's password, one account and one draft plan per writer
   (``load.world.setup_database``), in ``bench/out/capacity/``.
2. **Human pace** (``--sessions``, 40 then 80): ``python -m planner serve --processes
   --processes`` (2) behind HAProxy; N websocket sessions (Streamlit's own protocol, no
   rendering: ``load.sessions.ws_session``) arrive within two seconds, each signs in at
   ``/masuk`` through the proxy and loops Peluang -> Peluang filter -> Sasaran -> Sasaran
   sort -> Jadwal -> Jadwal plan with ``--think`` (10) s between actions (0.5–1.5× at
   random) for ``--duration`` s; ``--writers`` (10) writers (imports, partner edits,
   account toggles, plan-event edits: ``load.writers.WriterProc``) write Poisson-paced
   through the phase. **Page time**: BackMsg sent -> ``script_finished`` with the page's
   table in the run. **Sign-in rush**: for each session, from its arrival to its first
   page drawn (POST ``/masuk`` with argon2, the redirect's cookie, a new websocket
   session and the start page's first run).
3. **Throughput ratio**: ``serve --processes 1`` and ``--processes 2`` alternately
   (``--ratio-rounds`` each), ``--ratio-sessions`` (16) sessions with 0.2 s think time so
   the server is saturated: page runs per second, 2 processes over 1 (``bench_serve``'s
   measure).
4. **Verify** (``load.verify.verify``): every write a writer reported is in the database
   with its values, failed writes left nothing, audit entries match, integrity and
   foreign keys hold, no "database is locked" anywhere.

Results: ``bench/out/capacity/RESULTS-capacity.md`` and ``bench_capacity.json``. Exit status
0 when nothing was lost and no action failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bench_serve as bs
from _common import OUT, machine

from load import common, world, writers
from load.common import WRITER_PLANS, CpuMeter, pct
from load.phases import browse_phase
from load.sessions import Recorder
from load.verify import verify

CAP_OUT = OUT / "capacity"
NEVER = 999.0  # a session that never got its first page (counted as this many seconds)


def first_pages(samples: list[dict]) -> list[float]:
    """Per session: seconds from its arrival (the sign-in POST) to its first page drawn."""
    by_who: dict[str, list[dict]] = {}
    for s in samples:
        by_who.setdefault(s["who"], []).append(s)
    out = []
    for ss in by_who.values():
        sign = next((s for s in ss if s["action"] == "sign-in"), None)
        load = next((s for s in ss if s["action"] == "peluang: load"), None)
        if sign is None or load is None or not sign["ok"] or not load["ok"]:
            out.append(NEVER)
            continue
        out.append(load["t"] + load["driver_ms"] / 1000 - sign["t"])
    return out


async def human_phase(base: str, n: int, args, db_path: Path, server_pid: int, seed: int) -> dict:
    # Each session signs in on a thread (urllib): give every arriving person their own, as a
    # crowd of browsers would be. asyncio's default pool has min(32, cores + 4) threads, 6
    # here, so 40 arrivals would queue in this client, not in the server.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=n + 8))
    rec = Recorder()
    meter = CpuMeter(server_pid)
    wp = writers.WriterProc(db_path, f"cap{n}", args.writers, args.ops, (args.duration + 2) / args.ops, args.duration + 60, seed,
                            together=args.writers_together)
    ph = await browse_phase(None, base, f"cap{n}", 0, n, args.duration, args.think, rec, seed, wp, meter, db_path)
    pages = [s for s in rec.samples if s["action"] != "sign-in"]
    ok = [s["ms"] / 1000 for s in pages if s["ok"] and s["ms"] is not None]
    rush = first_pages(rec.samples)
    signin = [s["ms"] / 1000 for s in rec.samples if s["action"] == "sign-in" and s["ok"]]
    cpu = ph["cpu"]
    return {
        "sessions": n, "browse_s": ph["browse_s"], "actions": len(pages), "ok": len(ok),
        "failed": [f"{s['action']}: {s['err']}" for s in rec.samples if not s["ok"]][:10],
        "n_failed": sum(1 for s in rec.samples if not s["ok"]), "problems": rec.problems[:5],
        "p50_s": statistics.median(ok) if ok else float("nan"), "p95_s": pct(ok, 0.95) if ok else float("nan"),
        "max_s": max(ok) if ok else float("nan"),
        "rush_p50_s": statistics.median(rush) if rush else float("nan"), "rush_p95_s": pct(rush, 0.95) if rush else float("nan"),
        "rush_max_s": max(rush) if rush else float("nan"), "signin_p95_s": pct(signin, 0.95) if signin else float("nan"),
        "server_cores": cpu["cpu_s"]["streamlit server"] / cpu["wall_s"], "driver_cores": cpu["cpu_s"]["benchmark driver (python)"] / cpu["wall_s"],
        "cores_busy": cpu["cores_busy"], "cpu": cpu,
        "writers": ph["writers"], "lock": ph["lock"], "rig": ph["rig"],
    }


PEOPLE_ROLES = ("manager", "admin", "staff", "leadership")


def add_people(db_path: Path, n: int) -> None:
    """One account per session (``bench.pNN``: managers, admins, Sumatera Selatan staff
    and leadership in turn), as a crowd of different people signs in: several parallel
    sign-ins of ONE account count as attempts against its lock (five at once lock it)."""
    from planner import auth
    from planner.db import connect

    db = connect(db_path)
    try:
        actor = auth.system_user()
        names = []
        for i in range(n):
            role = PEOPLE_ROLES[i % len(PEOPLE_ROLES)]
            name = f"bench.p{i:02d}"
            auth.add_user(db, actor, name, common.PASSWORD, role, ("16",) if role == "staff" else (), f"Bench person {i:02d}")
            common.ROLES[name] = role
            names.append(name)
    finally:
        db.conn.close()
    common.BROWSE_USERS = tuple(names)


def render(res: dict) -> str:
    a, m = res["args"], res["machine"]
    L = [f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}, {m['ram']}), load average at start {m['loadavg at start']}; "
         f"{a['businesses']:,} businesses (demo with field history), `serve --processes {a['processes']}`, think {a['think']:g} s, "
         f"{a['writers']} writers × {a['ops']} writes per phase ({'the first all at once, with the rush' if a.get('writers_together') else 'Poisson-paced'}), "
         f"{a['duration']:g} s per phase.", "",
         "| sessions | page runs | p50 s | p95 s | max s | first page after sign-in p50 / p95 / max s | failed | server cores | driver cores | machine cores busy |",
         "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    for r in res["human"]:
        L.append(f"| {r['sessions']} | {r['ok']} | {r['p50_s']:.2f} | {r['p95_s']:.2f} | {r['max_s']:.2f} | "
                 f"{r['rush_p50_s']:.2f} / {r['rush_p95_s']:.2f} / {r['rush_max_s']:.2f} | {r['n_failed']} | {r['server_cores']:.2f} | "
                 f"{r['driver_cores']:.2f} | {r['cores_busy']:.2f} |")
    if res.get("ratio"):
        L += ["", "| mode | page runs/s (all rounds) | median ms | p95 ms | ratio to 1 process |", "|---|---:|---:|---:|---:|"]
        for mode, s in res["ratio"]["summary"].items():
            L.append(f"| {mode} | {s['throughput']:.2f} | {s['median_ms']:.0f} | {s['p95_ms']:.0f} | {s['ratio']:.2f} |")
        L += ["", "| mode | round | page runs/s | server cores busy | driver cores |", "|---|---:|---:|---:|---:|"]
        for r in res["ratio"]["rows"]:
            L.append(f"| {r['mode']} | {r['round']} | {r['throughput']:.2f} | {r['server_cores']:.2f} | {r['driver_cores']:.2f} |")
    v = res.get("verify")
    if v:
        L += ["", f"Writes verified: **{'all checks pass' if v['ok'] else 'FAILED'}**", ""]
        for c in v["checks"]:
            L.append(f"- {'ok' if c['ok'] else 'FAIL'}: {c['check']} ({c['detail']})")
    return "\n".join(L) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--businesses", type=int, default=20_000)
    ap.add_argument("--sessions", default="40,80", help="active sessions per human-pace phase, comma-separated")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--think", type=float, default=10.0)
    ap.add_argument("--duration", type=float, default=90.0)
    ap.add_argument("--writers", type=int, default=10)
    ap.add_argument("--ops", type=int, default=10, help="writes per writer per phase")
    ap.add_argument("--writers-together", action="store_true",
                    help="every writer's first write at the phase's first instant, with the sign-in rush (default: Poisson-paced from the start)")
    ap.add_argument("--ratio-sessions", type=int, default=16)
    ap.add_argument("--ratio-duration", type=float, default=40.0)
    ap.add_argument("--ratio-rounds", type=int, default=2, help="0: skip the throughput ratio")
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()

    CAP_OUT.mkdir(parents=True, exist_ok=True)
    common.LOAD_OUT = world.LOAD_OUT = writers.LOAD_OUT = CAP_OUT  # the writers' plans and results live with this run
    bs.SERVE_OUT = CAP_OUT
    db_path = CAP_OUT / "capacity.db"
    env = {**os.environ, "PLANNER_DB": str(db_path), "PLANNER_MODELS": str(CAP_OUT / "models"), "PYTHONUNBUFFERED": "1"}
    env.pop("PLANNER_ARGON2_SLOTS", None)
    os.environ["PLANNER_MODELS"] = env["PLANNER_MODELS"]
    t = time.perf_counter()
    setup = world.setup_database(db_path, args.businesses, args.writers, env, 3.0, field=True, report_writers=0)
    print(f"[setup] {time.perf_counter() - t:.0f} s", flush=True)
    WRITER_PLANS[:] = [p["plan_id"] for p in setup["plans"]["writers"]]
    add_people(db_path, max(int(x) for x in args.sessions.split(",") if x.strip()))
    res: dict = {"machine": machine(), "args": vars(args), "human": []}
    writer_phases: dict[str, dict] = {}
    for i, n in enumerate(int(x) for x in args.sessions.split(",") if x.strip()):
        proc, url = bs.start(f"serve-{args.processes}", db_path, env, f"human-{n}")
        try:
            asyncio.run(bs.load(url, 1, 1, 0.0, args.seed, "warm"))
            print(f"[human] {n} sessions, think {args.think:g} s, {args.writers} writers, {args.duration:g} s", flush=True)
            row = asyncio.run(human_phase(url, n, args, db_path, proc.pid, args.seed + 10 * i))
        finally:
            bs.stop(proc)
        writer_phases[f"cap{n}"] = row.pop("writers")
        res["human"].append(row)
        print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items() if k not in ("cpu", "lock", "rig")}), flush=True)
    if args.ratio_rounds > 0:
        rargs = argparse.Namespace(sessions=args.ratio_sessions, duration=args.ratio_duration, think=0.2, seed=args.seed)
        rows = []
        for round_no in range(1, args.ratio_rounds + 1):
            for mode in ("serve-1", "serve-2"):
                row = bs.measure(mode, db_path, env, rargs, round_no)
                rows.append(row)
                print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()}), flush=True)
        res["ratio"] = {"rows": rows, "summary": bs.summarize(rows, ["serve-1", "serve-2"])}
    print("[verify]", flush=True)
    res["verify"] = verify(db_path, writer_phases, setup["counts_before"], setup["plans"])
    locked = [str(o.get("err")) for ph in writer_phases.values() for o in ph["ops"] if "database is locked" in str(o.get("err") or "")]
    locked += [f"{p.name}" for p in CAP_OUT.glob("*.log") if "database is locked" in p.read_text(errors="replace")]
    locked += [f"page: {pr}" for r in res["human"] for pr in r["problems"] if "database is locked" in str(pr)]
    res["verify"]["checks"].append({"check": "no \"database is locked\" (writers, server logs, pages)", "ok": not locked,
                                    "detail": "; ".join(locked[:5]) or "none"})
    res["verify"]["ok"] &= not locked
    (CAP_OUT / "bench_capacity.json").write_text(json.dumps(res, indent=2, default=str))
    text = render(res)
    (CAP_OUT / "RESULTS-capacity.md").write_text(text)
    print(text)
    failed = sum(r["n_failed"] for r in res["human"]) + sum(r["failed"] for r in res.get("ratio", {}).get("rows", []))
    return 0 if res["verify"]["ok"] and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
