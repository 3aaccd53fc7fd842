"""Whether a background process still runs: the child of a plan solve (``solve_runs``) or
of a job (``jobs``), known by the pid its row records."""

from __future__ import annotations

import datetime as dt
import os

START_GRACE_S = 30.0  # a row whose child has not yet written its pid counts as alive this long


def process_alive(pid: int | None, started_at: str) -> bool:
    """The row's child is running: no pid yet but started less than ``START_GRACE_S`` ago,
    or a process with that pid exists and is not a zombie (a finished child nobody waited
    for). A pid of another user's process counts as alive."""
    if pid is None:
        started = dt.datetime.fromisoformat(started_at)
        return (dt.datetime.now(dt.timezone.utc) - started).total_seconds() < START_GRACE_S
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a finished child that nobody waited for is a zombie: not alive
        with open(f"/proc/{int(pid)}/stat") as fh:
            return fh.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True
