import sqlite3

import pytest

from planner import db as dbmod
from planner.migrations import migrations


def test_path_resolution_order(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    assert dbmod.resolve_db_path(None) == dbmod.ROOT / "data" / "planner.db"
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "env.db"))
    assert dbmod.resolve_db_path(None) == tmp_path / "env.db"
    assert dbmod.resolve_db_path(tmp_path / "cli.db") == tmp_path / "cli.db"


def test_connect_sets_wal_foreign_keys_and_busy_timeout(tmp_path):
    db = dbmod.connect(tmp_path / "a.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == dbmod.BUSY_TIMEOUT_MS


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "a.db"
    dbmod.connect(path).conn.close()
    db = dbmod.connect(path)  # second open: nothing pending
    assert migrations.pending(db) == []
    names = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations").fetchall()]
    assert names == [m.name for m in migrations._migrations] and names[0] == "0001_foundation"
    assert {"potentials", "businesses", "contacts", "partners", "staff"} <= set(db.table_names())


def test_transaction_rolls_back_everything_on_error(tmp_path):
    db = dbmod.connect(tmp_path / "a.db")
    with pytest.raises(RuntimeError):
        with dbmod.transaction(db):
            dbmod.set_meta(db, "a", "1")
            dbmod.set_meta(db, "b", "2")
            raise RuntimeError("boom")
    assert db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 0
    with dbmod.transaction(db):
        dbmod.set_meta(db, "a", "1")
    assert dbmod.get_meta(db, "a") == "1"


def test_transaction_takes_the_write_lock_at_once(tmp_path):
    path = tmp_path / "a.db"
    db1 = dbmod.connect(path)
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    with dbmod.transaction(db1):
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")


def test_foreign_keys_are_enforced(ref_db):
    with pytest.raises(sqlite3.IntegrityError):
        ref_db.execute(
            "INSERT INTO staff (staff_id, name, province_code, max_events_per_week) VALUES ('s', 'x', '99', 3)"
        )
