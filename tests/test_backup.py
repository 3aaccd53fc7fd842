"""Restore refuses every unfit backup with the database untouched, keeps a copy of what it
replaces, refuses while another process has the database open, and leaves no WAL of a
killed process to be replayed over the restored data."""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlite_utils

from planner import db as dbmod
from planner.backup import HEADER, backup, restore
from planner.errors import PlannerError
from planner.migrations import migrations

from conftest import copy_db

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- helpers
def digest(path: Path) -> dict[str, str]:
    """Row count and a checksum of every table, read with plain sqlite3 (no lock taken)."""
    con = sqlite3.connect(path)
    try:
        out = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            h = hashlib.sha256()
            n = 0
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                h.update(repr(row).encode())
                n += 1
            out[table] = f"{n}:{h.hexdigest()}"
        return out
    finally:
        con.close()


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept_copies(db: Path) -> list[Path]:
    return sorted(db.parent.glob(db.name + ".before-restore-*"))


@pytest.fixture
def live(demo_db_file, tmp_path) -> Path:
    """The database being restored: a copy of the demo world with one marker row, made
    with plain sqlite3 so that this test process holds no lock on it."""
    path = copy_db(demo_db_file, tmp_path / "planner.db")
    con = sqlite3.connect(path)
    con.execute("INSERT INTO meta (key, value) VALUES ('marker', 'live')")
    con.commit()
    con.close()
    return path


@pytest.fixture
def good_backup(demo_db_file, tmp_path) -> Path:
    """A proper backup: the demo world as ``backup`` writes it, with a different marker."""
    folder = tmp_path / "backups"
    src = copy_db(demo_db_file, tmp_path / "source.db")
    con = sqlite3.connect(src)
    con.execute("INSERT INTO meta (key, value) VALUES ('marker', 'backup')")
    con.execute("DELETE FROM contacts WHERE rowid % 3 = 0")  # so that the page layout differs from the live one
    con.commit()
    con.close()
    backup(src, folder / "jangkau-backup.db")
    return folder / "jangkau-backup.db"


def refused(live: Path, bad: Path, match: str) -> PlannerError:
    """Restore ``bad`` onto ``live``: it must raise, and the database stays byte-for-byte
    the same with no copy made and no journal files left."""
    before = file_hash(live)
    with pytest.raises(PlannerError, match=match) as info:
        restore(bad, live)
    assert file_hash(live) == before
    assert kept_copies(live) == []
    assert not any(Path(str(live) + s).exists() for s in ("-wal", "-shm", "-journal"))
    return info.value


# --------------------------------------------------------------------------- refusals
def test_missing_file_is_refused(live, tmp_path):
    err = refused(live, tmp_path / "no-such-file.db", "tidak ada")
    assert "no-such-file.db" in str(err)
    err = pytest.raises(PlannerError, restore, tmp_path / "no-such-file.db", live, lang="en").value
    assert "does not exist" in str(err) and "check the file name" in str(err)


def test_folder_is_refused(live, tmp_path):
    refused(live, tmp_path, "folder")


def test_empty_file_is_refused(live, tmp_path):
    bad = tmp_path / "empty.db"
    bad.write_bytes(b"")
    refused(live, bad, "kosong")


@pytest.mark.parametrize("content", [b"SQLite", b"id,name\n1,Warung\n" * 50, b"\x00" * 4096], ids=["short", "csv", "zeros"])
def test_file_that_is_not_sqlite_is_refused(live, tmp_path, content):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(content)
    err = refused(live, bad, "bukan basis data SQLite")
    assert "python -m planner backup" in str(err)


def test_garbage_after_a_valid_header_is_refused(live, tmp_path):
    bad = tmp_path / "garbage.db"
    bad.write_bytes(HEADER + os.urandom(8192))
    refused(live, bad, "rusak")


def test_truncated_backup_is_refused(live, good_backup, tmp_path):
    bad = tmp_path / "truncated.db"
    bad.write_bytes(good_backup.read_bytes()[: 40 * 4096])
    refused(live, bad, "rusak|integritas")


def test_foreign_sqlite_file_is_refused(live, tmp_path):
    bad = tmp_path / "other-app.db"
    con = sqlite3.connect(bad)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    con.execute("INSERT INTO notes (text) VALUES ('halo')")
    con.commit()
    con.close()
    err = refused(live, bad, "bukan basis data Jangkau")
    assert "_sqlite_migrations" in str(err)


def test_jangkau_migrations_without_core_tables_are_refused(live, good_backup, tmp_path):
    bad = copy_db(good_backup, tmp_path / "no-businesses.db")
    con = sqlite3.connect(bad)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("DROP TABLE businesses")
    con.commit()
    con.close()
    refused(live, bad, "tabel inti tidak ada: businesses")


def test_backup_from_a_newer_jangkau_is_refused(live, good_backup, tmp_path):
    bad = copy_db(good_backup, tmp_path / "newer.db")
    con = sqlite3.connect(bad)
    con.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('jangkau', '9999_from_the_future', '2030-01-01')")
    con.commit()
    con.close()
    err = refused(live, bad, "Jangkau yang lebih baru")
    assert "9999_from_the_future" in str(err) and "perbarui Jangkau dulu" in str(err)
    err = pytest.raises(PlannerError, restore, bad, live, lang="en").value
    assert "made by a newer Jangkau" in str(err) and "update Jangkau first" in str(err)


def test_backup_failing_the_integrity_check_is_refused(live, good_backup, tmp_path):
    bad = copy_db(good_backup, tmp_path / "damaged.db")
    con = sqlite3.connect(bad)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    leaves = [r[0] for r in con.execute(
        "SELECT pageno FROM dbstat WHERE name LIKE 'idx_businesses%' AND pagetype = 'leaf' ORDER BY pageno")]
    con.close()
    page = leaves[len(leaves) // 2]
    with open(bad, "r+b") as fh:  # overwrite bytes in the middle of an index page
        fh.seek((page - 1) * page_size + page_size // 2)
        fh.write(b"\xff" * 64)
    assert integrity(bad) != "ok"
    err = refused(live, bad, "gagal pemeriksaan integritas")
    assert f"page {page}" in str(err)


def test_restoring_the_database_onto_itself_is_refused(live, tmp_path):
    refused(live, live, "basis data itu sendiri")
    link = tmp_path / "link.db"
    link.symlink_to(live)
    refused(live, link, "basis data itu sendiri")


# --------------------------------------------------------------------------- a good restore
def test_restore_keeps_a_copy_of_the_previous_data(live, good_backup):
    before = digest(live)
    result = restore(good_backup, live)
    assert result.kept is not None and result.kept.name.startswith("planner.db.before-restore-") and result.kept.suffix == ".db"
    assert kept_copies(live) == [result.kept] and not result.kept_unreadable
    assert digest(result.kept) == before  # the copy is the data as it was
    assert digest(live) == digest(good_backup)
    assert integrity(live) == "ok" and result.pending_migrations == ()
    assert not Path(str(live) + "-wal").exists() and not Path(str(result.kept) + "-wal").exists()
    db = dbmod.connect(live)  # the app opens it as usual
    assert dbmod.get_meta(db, "marker") == "backup"
    db.conn.close()


def test_older_schema_restores_and_is_migrated_on_next_open(live, tmp_path):
    last = migrations._migrations[-1].name
    old = tmp_path / "old.db"
    odb = sqlite_utils.Database(old)
    migrations.apply(odb, stop_before=last)
    odb.execute("INSERT INTO meta (key, value) VALUES ('marker', 'old')")
    odb.conn.commit()
    odb.close()
    result = restore(old, live)
    assert result.pending_migrations == (last,)
    db = dbmod.connect(live)
    assert not migrations.pending(db)
    assert [m.name for m in migrations.applied(db)][-1] == last
    assert dbmod.get_meta(db, "marker") == "old"
    db.conn.close()
    assert integrity(live) == "ok"


def test_restore_onto_a_database_that_does_not_exist_yet(good_backup, tmp_path):
    target = tmp_path / "new" / "planner.db"
    result = restore(good_backup, target)
    assert result.kept is None and digest(target) == digest(good_backup)


def test_unreadable_current_database_is_moved_aside_with_its_wal(good_backup, tmp_path):
    target = tmp_path / "planner.db"
    target.write_bytes(b"this was never a database" * 100)
    Path(str(target) + "-wal").write_bytes(b"stale")
    result = restore(good_backup, target)
    assert result.kept_unreadable and result.kept.read_bytes() == b"this was never a database" * 100
    assert Path(str(result.kept) + "-wal").read_bytes() == b"stale"
    assert digest(target) == digest(good_backup) and integrity(target) == "ok"


def test_restore_after_this_process_connected_earlier(live, good_backup):
    db = dbmod.connect(live)  # holds this process's shared lock
    db.conn.close()
    restore(good_backup, live)  # gives it up first, so it is not "in use" by itself
    assert digest(live) == digest(good_backup)


def test_backup_copied_together_with_its_wal_restores_the_wal_too(live, good_backup, tmp_path):
    """A database copied with ``cp`` while open: its last commits are only in the -wal."""
    open_db = copy_db(good_backup, tmp_path / "open.db")
    con = sqlite3.connect(open_db, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("INSERT INTO meta (key, value) VALUES ('only-in-wal', '1')")
    copied = tmp_path / "copied.db"
    for suffix in ("", "-wal"):
        Path(str(copied) + suffix).write_bytes(Path(str(open_db) + suffix).read_bytes())
    con.close()
    restore(copied, live)
    db = dbmod.connect(live)
    assert dbmod.get_meta(db, "only-in-wal") == "1" and dbmod.get_meta(db, "marker") == "backup"
    db.conn.close()


def test_restore_is_refused_while_a_plain_sqlite_reader_holds_the_database(live, good_backup, monkeypatch):
    """A reader that takes no Jangkau lock (the sqlite3 shell, another tool): SQLite's own
    locks still stop the restore before anything changes, and the copy is not left behind."""
    import planner.backup as backup_mod

    monkeypatch.setattr(backup_mod, "BUSY_SECONDS", 0.2)
    reader = sqlite3.connect(live, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM businesses").fetchone()
    before = digest(live)
    try:
        with pytest.raises(PlannerError, match="sedang dipakai"):
            restore(good_backup, live)
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert digest(live) == before and kept_copies(live) == []


def test_connect_keeps_one_lock_per_database_per_process(live):
    lock = str(dbmod.lock_path(live))
    for _ in range(5):
        dbmod.connect(live).conn.close()
    fds = [fd for fd in Path("/proc/self/fd").iterdir() if os.path.exists(fd) and os.readlink(fd) == lock]
    assert len(fds) == 1 and lock in dbmod._LOCKS
    dbmod.release_shared_lock(live)
    assert lock not in dbmod._LOCKS


# --------------------------------------------------------------------------- other processes
HOLDER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from planner.db import connect
    db = connect({path!r})
    db.execute("SELECT COUNT(*) FROM businesses").fetchone()
    print("ready", flush=True)
    sys.stdin.read()  # hold the connection until the test closes stdin
    """
)


def test_restore_is_refused_while_another_process_has_the_database(live, good_backup, tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER.format(root=str(ROOT), path=str(live))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        before = digest(live)
        with pytest.raises(PlannerError, match="sedang dipakai proses lain") as info:
            restore(good_backup, live)
        assert f"pid {proc.pid}" in str(info.value) and "systemctl stop jangkau" in str(info.value)
        assert digest(live) == before and kept_copies(live) == []
        r = subprocess.run([sys.executable, "-m", "planner", "--db", str(live), "--lang", "en", "restore", str(good_backup)],
                           cwd=ROOT, capture_output=True, text=True)
        assert r.returncode == 2 and "in use by another process" in r.stderr and str(proc.pid) in r.stderr
        assert "Traceback" not in r.stderr and digest(live) == before
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    restore(good_backup, live)  # the holder has gone: now it works
    assert digest(live) == digest(good_backup)


def test_connect_waits_for_a_restore_then_refuses_clearly(live, monkeypatch):
    lock = dbmod.lock_path(live)
    hold = textwrap.dedent(f"""
        import fcntl, os, sys
        fd = os.open({str(lock)!r}, os.O_RDONLY | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("ready", flush=True)
        sys.stdin.read()
    """)
    proc = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        monkeypatch.setattr(dbmod, "LOCK_TIMEOUT_S", 0.3)
        t0 = time.monotonic()
        with pytest.raises(PlannerError, match="sedang dipulihkan"):
            dbmod.connect(live)
        assert time.monotonic() - t0 >= 0.3
        assert str(lock) not in dbmod._LOCKS
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    db = dbmod.connect(live)  # the lock is free again
    assert dbmod.get_meta(db, "marker") == "live"
    db.conn.close()


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from planner.db import connect
    db = connect({path!r})
    db.execute("PRAGMA wal_autocheckpoint = 0")  # committed pages stay in the -wal
    for i in range(2000):
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ["ghost-%d" % i, "x" * 200])
    db.execute("UPDATE businesses SET name = name || ' (hantu)'")
    db.execute("DELETE FROM contacts WHERE rowid % 2 = 0")
    print("ready", flush=True)
    time.sleep(600)
    """
)


def test_restore_after_a_killed_process_left_a_live_wal(live, good_backup):
    wal, shm = Path(str(live) + "-wal"), Path(str(live) + "-shm")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER.format(root=str(ROOT), path=str(live))],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert wal.stat().st_size > 1_000_000 and shm.exists()  # the dead process's committed data is only in the WAL

    result = restore(good_backup, live)

    assert not wal.exists() or wal.stat().st_size == 0
    assert integrity(live) == "ok"
    assert digest(live) == digest(good_backup)  # exactly the backup: nothing of the old WAL replayed
    # The kept copy holds what the dead process had committed (SQLite recovered its WAL).
    kept = sqlite3.connect(result.kept)
    assert kept.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'ghost-%'").fetchone()[0] == 2000
    kept.close()
    db = dbmod.connect(live)  # and the app's own way of opening it agrees
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'ghost-%'").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM businesses WHERE name LIKE '%(hantu)'").fetchone()[0] == 0
    assert dbmod.get_meta(db, "marker") == "backup"
    db.conn.close()


# --------------------------------------------------------------------------- the CLI, end to end
def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_missing_file_exits_2_and_leaves_the_database(live, tmp_path):
    before = file_hash(live)
    r = cli("--db", str(live), "restore", str(tmp_path / "no-such-file.db"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no-such-file.db tidak ada" in r.stderr and r.stdout == ""
    assert file_hash(live) == before and kept_copies(live) == []
    r = cli("--db", str(live), "--lang", "en", "restore", str(tmp_path / "no-such-file.db"))
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_cli_not_a_database_exits_2_without_traceback(live, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("bukan basis data\n" * 100)
    r = cli("--db", str(live), "restore", str(bad))
    assert r.returncode == 2 and "bukan basis data SQLite" in r.stderr and "Traceback" not in r.stderr


def test_cli_restore_prints_where_the_copy_is(live, good_backup):
    r = cli("--db", str(live), "--lang", "en", "restore", str(good_backup))
    assert r.returncode == 0, r.stderr
    [kept] = kept_copies(live)
    assert f"kept at {kept}" in r.stdout and "integrity check ok" in r.stdout
    assert digest(live) == digest(good_backup)
