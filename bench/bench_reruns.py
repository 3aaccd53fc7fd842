"""Server CPU per action: one rerun after an interaction on each busy page.

Builds (or reuses) the world the first start builds — ``create_demo`` with its default
size, then ``create_field_history`` (trained model, scored businesses, a published plan
around today in Sumatera Selatan and Kalimantan Selatan with its past events reported,
leads and payments) — signs in as the role that uses each page (AppTest with the user
seeded in session_state, as the page tests do), performs a typical action per page and
measures the script run of each rerun: CPU (``time.process_time``, every thread of the
process) and wall time.

Actions (each cycles through its values; one warm-up cycle is not counted, so the
numbers are what a person clicking back and forth pays, not the first visit):

- Peluang (manager): the map's measure (uncovered / score / coverage).
- Sasaran (manager): the sort order.
- Jadwal (manager): the calendar week.
- Agenda (staff.sumsel): upcoming / recent events.
- Laporan (staff.sumsel): the event to report (three events).
- Proyeksi (leadership): the coverage target (20 / 25 / 30%).

AppTest compiles every page script anew on every run (a new ``ScriptCache`` per run);
a server compiles a script once. The bench shares one cache, as a server does
(``BENCH_FRESH_BYTECODE=1`` measures AppTest as it comes).

    python bench/bench_reruns.py [--reruns 18] [--rebuild] [--baseline COMMIT] [--pages peluang,jadwal] [--profile]

``--profile`` runs the reruns under cProfile instead and reports, per page, where a
rerun's time goes (SQL, pandas' Styler rendering, st.dataframe, Altair spec building,
cache lookups, opening the connection), in ms per rerun with the profiler's own
overhead (about 2-3x) included: for comparing before with after, not as absolute times.

``--baseline COMMIT`` also runs the same actions on that commit's code (exported with
``git archive`` into bench/out/reruns/), on a copy of the same world, in a second
process, and prints both. The world is copied for every run so that no run sees another's
writes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import OUT, ROOT, machine

FOLDER = OUT / "reruns"
PAGES = ("peluang", "sasaran", "jadwal", "agenda", "laporan", "proyeksi")
ROLE = {"peluang": "manajer", "sasaran": "manajer", "jadwal": "manajer", "agenda": "staf.sumsel", "laporan": "staf.sumsel",
        "proyeksi": "pimpinan"}


def build_world(rebuild: bool) -> tuple[Path, Path]:
    """The first start's world at bench/out/reruns/world.db (models beside it)."""
    path, models = FOLDER / "world.db", FOLDER / "world-models"
    if path.exists() and not rebuild:
        return path, models
    from planner.db import connect
    from planner.demo import create_demo, create_field_history

    FOLDER.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(models, ignore_errors=True)
    t0 = time.perf_counter()
    db = connect(path)
    create_demo(db)
    create_field_history(db, models_dir=models)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    print(f"world built in {time.perf_counter() - t0:.0f} s: {path}", flush=True)
    return path, models


def export_commit(commit: str) -> Path:
    """The code of ``commit`` in a folder of its own (kept between runs)."""
    target = FOLDER / f"code-{commit[:10]}"
    if not (target / "streamlit_app.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def run_worker(code: Path, world: Path, models: Path, label: str, pages: list[str], reruns: int, profile: bool = False) -> dict:
    """Run the pages of ``code`` in a fresh process on a copy of the world."""
    copy = FOLDER / f"run-{label}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    shutil.copy(world, copy)
    env = {**os.environ, "PLANNER_DB": str(copy), "PLANNER_MODELS": str(models), "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", str(code), "--pages", ",".join(pages),
                          "--reruns", str(reruns), *(["--profile"] if profile else [])], cwd=code, env=env, check=True, capture_output=True, text=True)
    sys.stderr.write(out.stderr[-3000:] if out.returncode else "")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _user(db, username: str):
    from planner.auth import User

    row = db.execute("SELECT username, role, provinces, display_name, staff_id FROM users WHERE username = ?", [username]).fetchone()
    provinces = tuple(p for p in (row[2] or "").split(",") if p)
    return User(row[0], row[1], provinces, row[3] or "", staff_id=row[4])


def _actions(page: str, at) -> list:
    """The values the page's typical action cycles through, as functions of the AppTest."""
    if page == "peluang":
        return [lambda v=v: at.radio(key="peluang_map_measure").set_value(v) for v in ("uncovered", "score", "coverage_rate")]
    if page == "sasaran":
        from planner.targets import SORTS

        return [lambda v=v: at.radio(key="sasaran_sort").set_value(v) for v in SORTS]
    if page in ("jadwal", "laporan"):
        key = {"jadwal": "jadwal_week", "laporan": "laporan_pick"}[page]
        n = min(3, len(at.selectbox(key=key).options))
        return [lambda i=i: at.selectbox(key=key).select_index(i) for i in range(n)]
    if page == "agenda":
        return [lambda v=v: at.radio(key="agenda_window").set_value(v) for v in ("upcoming", "recent")]
    if page == "proyeksi":
        return [lambda v=v: at.number_input(key="proyeksi_target").set_value(v) for v in (20.0, 25.0, 30.0)]
    raise ValueError(page)


# cost -> (function as pstats names it, "tt" own time or "ct" with callees)
COSTS = {
    "SQL (execute + fetch)": [("{method 'execute' of 'sqlite3.Connection' objects}", "tt"), ("{method 'execute' of 'sqlite3.Cursor' objects}", "tt"),
                              ("{method 'fetchall' of 'sqlite3.Cursor' objects}", "tt"), ("{method 'fetchone' of 'sqlite3.Cursor' objects}", "tt")],
    "pandas Styler rendering": [("style_render.py:_translate", "ct"), ("style.py:_compute", "ct")],
    "st.dataframe / st.data_editor": [("arrow.py:dataframe", "ct"), ("data_editor.py:data_editor", "ct")],
    "Altair spec (to_dict, validation)": [("vega_charts.py:_convert_altair_to_vega_lite_spec", "ct")],
    "st.cache lookups": [("cache_utils.py:__call__", "ct")],
    "connect() (pragmas, migration check)": [("db.py:connect", "ct")],
}


def _costs(stats, reruns: int) -> dict:
    def total(spec: str, kind: str) -> float:
        out = 0.0
        for (fn, _line, name), (_cc, _nc, tt, ct, _callers) in stats.items():
            label = "{" + name[1:-1] + "}" if name.startswith("<") else f"{os.path.basename(fn)}:{name}"
            if label == spec:
                out += tt if kind == "tt" else ct
        return out

    row = {"rerun": max(ct for (_fn, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items() if name == "_run_script")}
    row.update({cost: sum(total(s, k) for s, k in specs) for cost, specs in COSTS.items()})
    return {k: round(v * 1000 / reruns, 1) for k, v in row.items()}


def worker(code: Path, pages: list[str], reruns: int, profile: bool = False) -> dict:
    sys.path.insert(0, str(code))
    import streamlit.testing.v1.local_script_runner as lsr
    from streamlit.testing.v1 import AppTest

    if os.environ.get("BENCH_FRESH_BYTECODE") != "1":
        # AppTest gives every run a new ScriptCache, so it compiles each page script again
        # on every rerun (20-40 ms a page); a server compiles it once. Share one, as a server does.
        import streamlit.testing.v1.app_test as apt

        one = lsr.ScriptCache()
        lsr.ScriptCache = apt.ScriptCache = lambda: one

    from app_pages.common import SESSION_USER
    from planner.db import connect

    db = connect(os.environ["PLANNER_DB"])
    users = {name: _user(db, name) for name in set(ROLE.values())}
    db.conn.close()
    result = {}
    for page in pages:
        at = AppTest.from_file(str(code / "streamlit_app.py"), default_timeout=600)
        at.session_state[SESSION_USER] = users[ROLE[page]]
        at.run()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        actions = _actions(page, at)
        for act in actions:  # warm-up cycle
            act()
            at.run()
        if profile:
            import cProfile
            import pstats

            from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

            profiler, original = cProfile.Profile(), ScriptRunner._run_script

            def measured(self, *args, **kwargs):
                profiler.enable()
                try:
                    return original(self, *args, **kwargs)
                finally:
                    profiler.disable()

            ScriptRunner._run_script = measured
            for i in range(reruns):
                actions[i % len(actions)]()
                at.run()
            ScriptRunner._run_script = original
            result[page] = _costs(pstats.Stats(profiler).stats, reruns)
            continue
        cpu, wall = [], []
        for i in range(reruns):
            actions[i % len(actions)]()
            c0, w0 = time.process_time(), time.perf_counter()
            at.run()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            assert not at.exception, (page, at.exception)
            assert not at.error or page == "laporan", (page, [e.value for e in at.error])
        q = statistics.quantiles(cpu, n=10)
        result[page] = {"cpu_median_ms": statistics.median(cpu) * 1000, "cpu_p90_ms": q[-1] * 1000,
                        "wall_median_ms": statistics.median(wall) * 1000, "wall_p90_ms": statistics.quantiles(wall, n=10)[-1] * 1000,
                        "reruns": reruns}
    return result


def render(runs: dict[str, dict]) -> str:
    labels = list(runs)
    head = "| page | " + " | ".join(f"{lab} CPU median / p90 | {lab} wall median" for lab in labels) + " |"
    lines = [head, "|---|" + "---:|---:|" * len(labels)]
    for page in next(iter(runs.values())):
        cells = []
        for lab in labels:
            r = runs[lab][page]
            cells.append(f"{r['cpu_median_ms']:.0f} / {r['cpu_p90_ms']:.0f} ms | {r['wall_median_ms']:.0f} ms")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_costs(runs: dict[str, dict]) -> str:
    labels = list(runs)
    lines = ["| page | cost | " + " | ".join(labels) + " |", "|---|---|" + "---:|" * len(labels)]
    for page in next(iter(runs.values())):
        for cost in ("rerun", *COSTS):
            lines.append(f"| {page} | {cost} | " + " | ".join(f"{runs[lab][page][cost]:.1f}" for lab in labels) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reruns", type=int, default=18)
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--rebuild", action="store_true", help="build the world again")
    ap.add_argument("--baseline", help="also measure this commit's code (e.g. fb2f31e)")
    ap.add_argument("--profile", action="store_true", help="where a rerun's time goes (cProfile) instead of CPU and wall")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    pages = [p for p in args.pages.split(",") if p]
    if args.worker:
        print(json.dumps(worker(Path(args.worker), pages, args.reruns, args.profile)))
        return
    info = machine()
    world, models = build_world(args.rebuild)
    runs = {}
    if args.baseline:
        runs[f"before ({args.baseline[:7]})"] = run_worker(export_commit(args.baseline), world, models, "before", pages, args.reruns, args.profile)
    runs["after"] = run_worker(ROOT, world, models, "after", pages, args.reruns, args.profile)
    print(json.dumps({"machine": info, "runs": runs}, indent=1))
    print(render_costs(runs) if args.profile else render(runs))
    (FOLDER / ("profile.json" if args.profile else "result.json")).write_text(json.dumps({"machine": info, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
