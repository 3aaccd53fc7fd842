"""Data versions: one number per table that changes with every write to it, read in one
cheap query, so that a page can cache what it reads and know when the cache is stale.

The numbers live in the database (``data_versions``, migration 0014) and are bumped by
triggers inside the writing transaction, so they are right across processes: a write
in one ``serve`` process, a CLI command or a background job is seen by every other
process on its next rerun, and only the caches that read the written table are rebuilt
(a sign-in or a job's progress, which write every second, bump nothing a page caches).

The bulk tables have no trigger (about 6 µs a row inserted: 2 s more on a 300.000-row
import). Every code path that writes them also writes a versioned table in the same
transaction, and ``BULK`` says which: an import records an ``import_runs`` row (which
also bumps the version of its kind, ``import_runs:contacts``, migration 0015), a report
saves ``event_reports``, a follow-up or a registrations file writes ``followups`` or
``registrations``, scoring sets ``meta.scored_version``. A reader of a bulk table names
the bulk table; ``versions`` reads the tables behind it.
"""

from __future__ import annotations

import sqlite_utils

from planner.migrations import VERSIONED_TABLES

BULK: dict[str, tuple[str, ...]] = {
    # Imports of businesses write businesses; a registrations file enrols them (and writes
    # ``registrations``); reports add walk-ins and enrol those who registered.
    "businesses": ("import_runs:businesses", "event_reports", "registrations", "followups", "meta"),
    # Imports of contacts; reports record their invitees; registrations and follow-ups
    # mark contacts enrolled.
    "contacts": ("import_runs:contacts", "event_reports", "registrations", "followups", "meta"),
    "potentials": ("import_runs:potentials", "meta"),
    "scores": ("meta", "import_runs"),
}
IMPORT_TOPIC = "import_runs:"  # + an import kind: bumped by that kind's imports only


def expand(topics: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The versioned tables behind ``topics`` (bulk tables replaced by their writers' tables),
    sorted and without repeats."""
    out: set[str] = set()
    for topic in topics:
        if topic in BULK:
            out.update(BULK[topic])
        elif topic in VERSIONED_TABLES or topic.startswith(IMPORT_TOPIC):
            out.add(topic)
        else:
            raise ValueError(f"no data version for '{topic}'; versioned tables: {', '.join(VERSIONED_TABLES)}")
    return tuple(sorted(out))


def versions(db: sqlite_utils.Database, *topics: str) -> tuple[int, ...]:
    """The current versions of ``topics`` (a cache key): one indexed query."""
    names = expand(topics)
    rows = dict(db.execute(f"SELECT topic, version FROM data_versions WHERE topic IN ({','.join('?' * len(names))})", names).fetchall())
    return tuple(rows.get(n, 0) for n in names)
