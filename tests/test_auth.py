"""Users, passwords, lockout, sessions, audit entries, backups and exports."""

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner import audit, auth
from planner.backup import backup, restore
from planner.errors import PlannerError
from planner.exports import export_table

ROOT = Path(__file__).resolve().parent.parent
PW = "kata-sandi-yang-panjang"


@pytest.fixture
def users_db(ref_db):
    admin = auth.system_user()
    auth.add_user(ref_db, admin, "ani", PW, "manager", display_name="Ani")
    auth.add_user(ref_db, admin, "budi", PW, "staff", ["16"], "Budi")
    auth.add_user(ref_db, admin, "citra", PW, "leadership")
    return ref_db


def test_passwords_are_argon2_hashes_never_plain(users_db):
    stored = users_db.execute("SELECT password_hash FROM users WHERE username = 'ani'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PW not in stored
    assert auth.authenticate(users_db, "ANI ", PW).role == "manager"  # user names are case-insensitive


def test_hashes_use_owasp_parameters_and_older_ones_are_upgraded_at_sign_in(users_db):
    from argon2 import PasswordHasher
    from argon2.exceptions import VerifyMismatchError

    stored = users_db.execute("SELECT password_hash FROM users WHERE username = 'ani'").fetchone()[0]
    assert "$m=19456,t=2,p=1$" in stored  # 19 MiB, 2 passes, 1 lane: about 20 ms per check
    # An account stored with the library's heavier defaults (64 MiB, 3 passes, 4 lanes)
    # still signs in, and its hash is replaced by one with today's parameters.
    old = PasswordHasher().hash(PW)
    users_db.execute("UPDATE users SET password_hash = ? WHERE username = 'ani'", [old])
    users_db.conn.commit()
    assert auth.authenticate(users_db, "ani", PW).role == "manager"
    upgraded = users_db.execute("SELECT password_hash FROM users WHERE username = 'ani'").fetchone()[0]
    assert upgraded != old and "$m=19456,t=2,p=1$" in upgraded
    assert PasswordHasher().verify(upgraded, PW)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(upgraded, "salah")


def test_wrong_password_and_unknown_user_say_the_same(users_db):
    with pytest.raises(auth.LoginFailed) as a:
        auth.authenticate(users_db, "ani", "salah-salah-salah")
    with pytest.raises(auth.LoginFailed) as b:
        auth.authenticate(users_db, "tidak-ada", "salah-salah-salah")
    assert str(a.value) == str(b.value)


def test_lockout_after_repeated_failures_then_expiry(users_db):
    t0 = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.timezone.utc)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.LoginFailed, match="salah"):
            auth.authenticate(users_db, "ani", "salah", now=t0)
    assert users_db.execute("SELECT locked_until FROM users WHERE username = 'ani'").fetchone()[0] is not None
    with pytest.raises(auth.LoginFailed, match="dikunci"):
        auth.authenticate(users_db, "ani", PW, now=t0 + dt.timedelta(minutes=1))  # even the right password waits
    later = t0 + dt.timedelta(minutes=auth.LOCK_MINUTES + 1)
    assert auth.authenticate(users_db, "ani", PW, now=later).username == "ani"
    failures = audit.search(users_db, auth.system_user(), action="login.failed")
    assert len(failures) == auth.MAX_FAILURES
    assert len(audit.search(users_db, auth.system_user(), action="login.refused")) == 1
    # after the lock ran out the count starts again: four more wrong ones do not lock
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(auth.LoginFailed):
            auth.authenticate(users_db, "ani", "salah", now=later)
    assert auth.authenticate(users_db, "ani", PW, now=later).username == "ani"


class _CountingHasher:
    """The real hasher, counting verify calls against each hash and the most at once."""

    def __init__(self, real, pause: float = 0.0):
        import threading

        self.real, self.pause = real, pause
        self.calls: dict[str, int] = {}
        self.running = self.most = 0
        self.lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self.real, name)

    def verify(self, hash_, password):
        import time

        with self.lock:
            self.calls[hash_] = self.calls.get(hash_, 0) + 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self.pause)
            return self.real.verify(hash_, password)
        finally:
            with self.lock:
                self.running -= 1


def test_unknown_locked_disabled_and_wrong_get_the_same_answer_after_the_same_work(users_db, monkeypatch):
    spy = _CountingHasher(auth._hasher)
    monkeypatch.setattr(auth, "_hasher", spy)
    auth.set_active(users_db, auth.system_user(), "budi", False)
    users_db.execute("UPDATE users SET locked_until = '2999-01-01T00:00:00+00:00' WHERE username = 'citra'")
    answers = []
    for name, password in [("ani", "salah-salah"), ("tidak-ada", "salah-salah"), ("budi", PW), ("citra", PW)]:
        before = sum(spy.calls.values())
        with pytest.raises(auth.LoginFailed) as exc:
            auth.authenticate(users_db, name, password)
        answers.append((str(exc.value), exc.value.reason))
        assert sum(spy.calls.values()) - before == 1, name  # one argon2 check each, real or stand-in
    assert len(set(answers)) == 1, answers
    # the disabled and locked accounts' real hashes were never checked
    for name in ("budi", "citra"):
        stored = users_db.execute("SELECT password_hash FROM users WHERE username = ?", [name]).fetchone()[0]
        assert spy.calls.get(stored, 0) == 0


def test_parallel_wrong_passwords_cannot_pass_the_lock(users_db, monkeypatch):
    """29 wrong passwords at once, then the right one: only MAX_FAILURES of them reach
    the account's hash, the lock holds, and the right password is refused."""
    from concurrent.futures import ThreadPoolExecutor

    from planner import db as dbmod

    path = users_db.execute("PRAGMA database_list").fetchone()[2]
    spy = _CountingHasher(auth._hasher, pause=0.05)
    monkeypatch.setattr(auth, "_hasher", spy)
    monkeypatch.setattr(auth, "ARGON2_WAIT", 120.0)  # a loaded machine must not turn a queue into "busy"
    stored = users_db.execute("SELECT password_hash FROM users WHERE username = 'ani'").fetchone()[0]

    def attempt(password):
        conn = dbmod.connect(path)
        try:
            auth.authenticate(conn, "ani", password)
            return "ok"
        except auth.LoginFailed as exc:
            return exc.reason
        finally:
            conn.conn.close()

    with ThreadPoolExecutor(max_workers=29) as pool:
        results = list(pool.map(attempt, [f"salah-{i}" for i in range(29)]))
    assert results == ["wrong"] * 29
    assert spy.calls.get(stored, 0) == auth.MAX_FAILURES
    assert spy.most <= auth.ARGON2_SLOTS  # the argon2 work (and its memory) is bounded
    assert attempt(PW) == "wrong"
    assert spy.calls[stored] == auth.MAX_FAILURES  # not even checked
    row = users_db.execute("SELECT failed_logins, locked_until FROM users WHERE username = 'ani'").fetchone()
    assert row[0] == auth.MAX_FAILURES and row[1] is not None


def test_no_free_password_slot_answers_try_again(users_db, monkeypatch):
    import threading

    monkeypatch.setattr(auth, "_ARGON2_SLOTS", threading.BoundedSemaphore(1))
    monkeypatch.setattr(auth, "ARGON2_WAIT", 0.2)
    auth._ARGON2_SLOTS.acquire()  # another sign-in holds the only slot
    try:
        with pytest.raises(auth.LoginFailed) as exc:
            auth.authenticate(users_db, "ani", PW)
        assert exc.value.reason == "busy" and "coba lagi" in str(exc.value)
    finally:
        auth._ARGON2_SLOTS.release()
    assert auth.authenticate(users_db, "ani", PW).username == "ani"


def test_sessions_survive_lookups_and_expire(users_db):
    t0 = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.timezone.utc)
    user = auth.get_user(users_db, "budi")
    token = auth.create_session(users_db, user, now=t0)
    stored = users_db.execute("SELECT token_hash FROM sessions").fetchone()[0]
    assert token not in stored  # only the hash is kept
    assert auth.user_for_session(users_db, token, now=t0 + dt.timedelta(hours=1)) == user
    assert auth.user_for_session(users_db, token, now=t0 + auth.SESSION_MAX + dt.timedelta(minutes=1)) is None
    assert auth.user_for_session(users_db, "made-up-token", now=t0) is None
    token2 = auth.create_session(users_db, user, now=t0)
    auth.logout(users_db, token2)
    assert auth.user_for_session(users_db, token2, now=t0) is None


def test_disabling_or_new_password_ends_sessions(users_db):
    user = auth.get_user(users_db, "budi")
    token = auth.create_session(users_db, user)
    auth.set_active(users_db, auth.system_user(), "budi", False)
    assert auth.user_for_session(users_db, token) is None
    with pytest.raises(auth.LoginFailed, match="dinonaktifkan"):
        auth.authenticate(users_db, "budi", PW)  # the one answer for every failure names this case too
    auth.set_active(users_db, auth.system_user(), "budi", True)
    token = auth.create_session(users_db, user)
    auth.set_password(users_db, user, "budi", "kata-sandi-baru-panjang")  # users may change their own
    assert auth.user_for_session(users_db, token) is None
    assert auth.authenticate(users_db, "budi", "kata-sandi-baru-panjang").username == "budi"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(username="x", role="staff", provinces=["16"]), "Nama pengguna"),
        (dict(username="dewi", role="raja", provinces=[]), "Peran"),
        (dict(username="dewi", role="staff", provinces=[]), "minimal satu provinsi"),
        (dict(username="dewi", role="staff", provinces=["99"]), "tidak dikenal"),
        (dict(username="ani", role="manager", provinces=[]), "sudah ada"),
    ],
)
def test_add_user_validation(users_db, kwargs, message):
    with pytest.raises(PlannerError, match=message):
        auth.add_user(users_db, auth.system_user(), password=PW, **kwargs)
    with pytest.raises(PlannerError, match="minimal"):
        auth.add_user(users_db, auth.system_user(), "eko", "pendek", "manager")


@pytest.mark.parametrize("who", ["ani", "budi", "citra"])
def test_only_admins_manage_users(users_db, who):
    actor = auth.get_user(users_db, who)
    with pytest.raises(auth.AccessDenied):
        auth.add_user(users_db, actor, "dewi", PW, "manager")
    with pytest.raises(auth.AccessDenied):
        auth.set_active(users_db, actor, "ani" if who != "ani" else "budi", False)
    with pytest.raises(auth.AccessDenied):
        auth.set_password(users_db, actor, "ani" if who != "ani" else "budi", PW + "x")
    assert users_db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 3


def test_every_user_change_is_audited_with_before_and_after(users_db):
    auth.set_active(users_db, auth.system_user(), "budi", False)
    log = audit.search(users_db, auth.system_user())
    assert list(log["action"])[:4] == ["user.disable", "user.add", "user.add", "user.add"]
    row = log.iloc[0]
    assert row["before"] == '{"active": 1}' and row["after"] == '{"active": 0}' and row["actor"].startswith("cli:")
    with pytest.raises(auth.AccessDenied):
        audit.search(users_db, auth.get_user(users_db, "budi"))
    assert len(audit.search(users_db, auth.get_user(users_db, "citra"), who="cli:" + row["actor"][4:])) == 4


def test_backup_while_in_use_and_restore(users_db, tmp_path):
    src_path = Path(users_db.execute("PRAGMA database_list").fetchone()[2])
    users_db.execute("BEGIN IMMEDIATE")  # a writer holds the lock: the backup still works
    users_db.execute("INSERT INTO meta (key, value) VALUES ('uncommitted', '1')")
    target = tmp_path / "copy.db"
    backup(src_path, target)
    users_db.execute("ROLLBACK")
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 3
    assert copy.execute("SELECT COUNT(*) FROM meta WHERE key = 'uncommitted'").fetchone()[0] == 0
    copy.close()
    auth.set_active(users_db, auth.system_user(), "ani", False)
    users_db.conn.close()
    restore(target, src_path)
    again = sqlite3.connect(src_path)
    assert again.execute("SELECT active FROM users WHERE username = 'ani'").fetchone()[0] == 1
    with pytest.raises(PlannerError, match="tidak boleh sama"):
        backup(src_path, src_path)


def test_exports_are_formula_safe_and_scoped(demo_db, tmp_path):
    demo_db.execute("UPDATE partners SET name = '=1+1' WHERE partner_id = (SELECT MIN(partner_id) FROM partners)")
    n = export_table(demo_db, auth.system_user(), "partners", tmp_path / "mitra.csv")
    text = (tmp_path / "mitra.csv").read_text(encoding="utf-8-sig")
    assert n == demo_db.execute("SELECT COUNT(*) FROM partners").fetchone()[0]
    assert "'=1+1" in text and "\n=1+1" not in text and ",=1+1" not in text
    staff = auth.User("budi", "staff", ("16",))
    export_table(demo_db, staff, "businesses", tmp_path / "usaha.xlsx")
    df = pd.read_excel(tmp_path / "usaha.xlsx", dtype=str)
    assert len(df) > 0 and df["regency_code"].str.startswith("16.").all()
    with pytest.raises(PlannerError, match=".csv atau .xlsx"):
        export_table(demo_db, staff, "businesses", tmp_path / "usaha.txt")


def test_users_cli_with_password_from_stdin(tmp_path):
    db = tmp_path / "u.db"
    run = lambda *a, stdin="": subprocess.run([sys.executable, "-m", "planner", "--db", str(db), *a], cwd=ROOT, input=stdin, capture_output=True, text=True)
    assert run("init").returncode == 0
    r = run("users", "add", "budi", "--role", "staff", "--province", "16", "--password-stdin", stdin=PW + "\n")
    assert r.returncode == 0 and "budi" in r.stdout
    r = run("users", "add", "eko", "--role", "staff", "--password-stdin", stdin=PW + "\n")
    assert r.returncode == 2 and "provinsi" in r.stderr
    assert "budi" in run("users", "list").stdout
    assert run("users", "passwd", "budi", "--password-stdin", stdin="lain-lagi-panjang\n").returncode == 0
    assert run("users", "disable", "budi").returncode == 0
    assert "nonaktif" in run("users", "list").stdout
    assert run("backup", str(tmp_path / "b.db")).returncode == 0
    assert run("export", "audit", "--out", str(tmp_path / "audit.csv")).returncode == 0
    assert "user.disable" in (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")


def test_password_check_holds_no_write_lock(users_db, monkeypatch, tmp_path):
    """argon2 is slow on purpose; while it runs another writer must get the lock at once."""
    from planner import db as dbmod

    path = users_db.execute("PRAGMA database_list").fetchone()[2]
    other = dbmod.connect(path)
    other.conn.execute("PRAGMA busy_timeout = 0")
    seen = []
    real = auth._hasher

    class Spy:
        def __getattr__(self, name):
            return getattr(real, name)

        def verify(self, hash_, password):
            seen.append(users_db.conn.in_transaction)
            other.conn.execute("BEGIN IMMEDIATE")  # raises "database is locked" if it is held
            other.conn.execute("ROLLBACK")
            return real.verify(hash_, password)

    monkeypatch.setattr(auth, "_hasher", Spy())
    assert auth.authenticate(users_db, "ani", PW).username == "ani"
    with pytest.raises(auth.LoginFailed):
        auth.authenticate(users_db, "ani", "salah-salah-salah")
    assert seen == [False, False]
    assert users_db.execute("SELECT failed_logins FROM users WHERE username = 'ani'").fetchone()[0] == 1


def test_an_admin_cannot_disable_their_own_account_or_the_last_admin(users_db):
    root = auth.system_user()
    auth.add_user(users_db, root, "dewi", PW, "admin", display_name="Dewi")
    dewi = auth.get_user(users_db, "dewi")
    with pytest.raises(PlannerError, match="akun Anda sendiri"):
        auth.set_active(users_db, dewi, "dewi", False)
    with pytest.raises(PlannerError, match="admin aktif terakhir"):
        auth.set_active(users_db, root, "dewi", False)  # from the command line too: nobody could manage users
    assert users_db.execute("SELECT active FROM users WHERE username = 'dewi'").fetchone()[0] == 1
    auth.add_user(users_db, root, "eko", PW, "admin", display_name="Eko")
    auth.set_active(users_db, auth.get_user(users_db, "eko"), "dewi", False)  # another admin remains
    assert users_db.execute("SELECT active FROM users WHERE username = 'dewi'").fetchone()[0] == 0


def test_an_account_is_linked_to_one_staff_record(demo_db):
    root = auth.system_user()
    staf = auth.get_user(demo_db, "staf.sumsel")
    first = demo_db.execute("SELECT staff_id, name FROM staff WHERE province_code = '16' ORDER BY staff_id LIMIT 1").fetchone()
    assert staf.staff_id == first[0] and staf.display_name == first[1]  # the demo links its staff accounts
    other = demo_db.execute("SELECT staff_id FROM staff WHERE province_code = '16' ORDER BY staff_id LIMIT 1 OFFSET 1").fetchone()[0]
    u = auth.add_user(demo_db, root, "rina", PW, "staff", (), "Rina", staff_id=other)
    assert u.provinces == ("16",) and u.staff_id == other  # the staff record's province comes with it
    with pytest.raises(PlannerError, match="sudah terhubung dengan akun rina"):
        auth.link_staff(demo_db, root, "staf.sumsel", other)
    jatim = demo_db.execute("SELECT staff_id FROM staff WHERE province_code = '35' LIMIT 1").fetchone()[0]
    with pytest.raises(PlannerError, match="provinsi 35"):
        auth.link_staff(demo_db, root, "rina", jatim)
    with pytest.raises(PlannerError, match="tidak ada"):
        auth.link_staff(demo_db, root, "rina", "S99-99")
    with pytest.raises(auth.AccessDenied):
        auth.link_staff(demo_db, auth.get_user(demo_db, "manajer"), "rina", None)
    auth.link_staff(demo_db, root, "rina", None)
    assert auth.get_user(demo_db, "rina").staff_id is None
    assert audit.search(demo_db, root, action="user.link_staff").iloc[0]["after"] == '{"staff_id": null}'


def test_users_link_cli(demo_db_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "planner", "--db", str(demo_db_path), *a], cwd=ROOT, capture_output=True, text=True)
    sid = sqlite3.connect(demo_db_path).execute("SELECT staff_id FROM staff WHERE province_code = '63' ORDER BY staff_id LIMIT 1 OFFSET 2").fetchone()[0]
    r = subprocess.run([sys.executable, "-m", "planner", "--db", str(demo_db_path), "users", "add", "dina", "--role", "staff", "--staff", sid,
                        "--password-stdin"], cwd=ROOT, input=PW + "\n", capture_output=True, text=True)
    assert r.returncode == 0 and f"staf {sid}" in r.stdout and "provinsi 63" in r.stdout
    assert run("users", "link", "dina", "--none").returncode == 0
    r = run("users", "link", "dina", "--staff", "S00-00")
    assert r.returncode == 2 and "tidak ada" in r.stderr
    assert run("users", "link", "dina", "--staff", sid).returncode == 0
    assert sid in run("users", "list").stdout
