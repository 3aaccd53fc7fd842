"""Shared helpers for the benchmarks: paths, machine description, timing, the demo CSV.

Not a test: these scripts measure the planner at scale and print the numbers that go
into ``docs/benchmarks.md``. Scratch files (CSV, databases, profiles, JSON results) go
under ``bench/out/``, which git ignores.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the repo, on the path
    sys.path.insert(0, str(ROOT))


def machine() -> dict[str, str]:
    """What the numbers were measured on (nproc, CPU, RAM, Python, SQLite, libraries)."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import numpy
    import pandas
    import sqlite_utils  # noqa: F401
    from importlib.metadata import version

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "sqlite-utils": version("sqlite-utils"),
        "loadavg at start": " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "unknown",
    }


def print_machine(info: dict[str, str]) -> None:
    for k, v in info.items():
        print(f"  {k:<13} {v}")


def maxrss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_hwm_mib() -> float | None:
    """Peak RSS of this process image from /proc (unlike ``ru_maxrss``, not inherited
    from the parent across fork + exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def remove_db(*paths: Path) -> None:
    """Delete each database file with its WAL and shared-memory files, if they exist."""
    for path in paths:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def copy_db(source: Path, target: Path) -> Path:
    """A copy of a database through SQLite's online backup (WAL included, checked, renamed
    into place when complete: ``planner.backup.backup``); an older copy and its WAL go first."""
    from planner.backup import backup

    remove_db(target)
    backup(source, target)
    return target


def fresh_db(path: Path):
    """A new, migrated database at ``path`` (old file and WAL removed) with the reference
    data loaded, opened the way the app opens it (WAL, synchronous=NORMAL, foreign keys)."""
    from planner.db import connect
    from planner.reference import load_reference

    remove_db(path)
    db = connect(path)
    load_reference(db)
    return db


def demo_businesses(rows: int, seed: int | None = None):
    """The demo generator's businesses (12 required columns plus owner_name, phone,
    distance_km, owner_age, monthly_revenue_mio), drawn exactly as ``create_demo`` draws
    them (same seed, potentials first)."""
    import numpy as np
    from faker import Faker

    from planner import demo

    seed = demo.DEFAULT_SEED if seed is None else seed
    scratch = fresh_db(OUT / "reference_scratch.db")
    regs = demo._regencies(scratch)
    scratch.conn.close()
    rng = np.random.default_rng(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    potentials = demo.build_potentials(regs, rng)
    return demo.build_businesses(rows, regs, potentials, rng, fake)


def fmt_rate(rows: int, secs: float) -> str:
    return f"{rows / secs:,.0f}"
