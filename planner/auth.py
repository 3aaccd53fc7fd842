"""Users, roles, region scope, passwords, sessions and the permission checks every write
function makes.

Roles:
- ``admin``: everything, including users and the audit trail;
- ``manager``: plans and data for every province (imports, models, schedules);
- ``staff``: reports and data of their own province(s) only;
- ``leadership``: reads everything, writes nothing.

Passwords are hashed with argon2id (argon2-cffi). After ``MAX_FAILURES`` wrong
passwords in a row an account is locked for ``LOCK_MINUTES``. Sessions are held
server-side: the browser keeps only a random token in an http-only, SameSite=Strict
cookie; the database keeps its SHA-256, the user and the expiry.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from planner.db import transaction
from planner.errors import PlannerError
from planner.i18n import DEFAULT_LANG, t
from planner.identity import User
from planner.trail import record

ROLES = ("admin", "manager", "staff", "leadership")
MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_IDLE = dt.timedelta(hours=8)
SESSION_MAX = dt.timedelta(hours=24)
SESSION_COOKIE = "jangkau_session"  # the browser cookie that carries a session token (HttpOnly, set by app_pages.web)
MIN_PASSWORD = 10
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

# argon2id with OWASP's recommended parameters (Password Storage Cheat Sheet: 19 MiB,
# 2 passes, 1 lane): about 20 ms of one core per check, so 40 people signing in within two
# seconds cost under a second of CPU. The library's defaults (64 MiB, 3 passes, 4 lanes)
# took 190 ms each, 7,5 s of CPU for the same 40. Hashes made with other parameters still
# verify and are replaced at their next successful sign-in (``check_needs_rehash``).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
ARGON2_MEMORY_MIB = _hasher.memory_cost // 1024
# argon2 calls at once per process: each holds ARGON2_MEMORY_MIB while it runs.
ARGON2_SLOTS = max(1, int(os.environ.get("PLANNER_ARGON2_SLOTS", "2")))
ARGON2_WAIT = 10.0  # seconds an attempt may wait for a slot before "try again shortly"
_ARGON2_SLOTS = threading.BoundedSemaphore(ARGON2_SLOTS)
_DUMMY: str | None = None


class AccessDenied(PlannerError):
    """The acting user may not do this (wrong role or another province)."""


class LoginFailed(PlannerError):
    """A sign-in that did not succeed. ``reason`` is ``wrong`` for every failure that
    concerns the account (unknown name, wrong password, locked or disabled: one answer,
    so the form never tells which accounts exist) or ``busy`` when the server has no
    free password-checking slot; the message is the ``login.fail.<reason>`` text, and
    ``reason`` and ``params`` let a sign-in page say it in the reader's language."""

    def __init__(self, reason: str = "wrong") -> None:
        params = {"failures": MAX_FAILURES, "minutes": LOCK_MINUTES} if reason == "wrong" else {}
        super().__init__(t(f"login.fail.{reason}", DEFAULT_LANG, **params))
        self.reason = reason
        self.params = params


def system_user() -> User:
    """The operator at the command line: full rights, named after the OS account so the
    audit trail says who ran it."""
    try:
        who = getpass.getuser()
    except Exception:  # no user name in a container
        who = "unknown"
    return User(f"cli:{who}", "admin", (), "Command line")


# --------------------------------------------------------------------------- permission checks
def require(actor: User | None, *roles: str, lang: str = DEFAULT_LANG) -> User:
    """``actor`` must be signed in and hold one of ``roles``."""
    if actor is None:
        raise AccessDenied(t("auth.sign_in_first", lang))
    if actor.role not in roles:
        raise AccessDenied(t("auth.role_denied", lang, role=actor.role, user=actor.username, roles=", ".join(roles)))
    return actor


def require_provinces(actor: User, provinces: Iterable[str], what: str = "data", lang: str = DEFAULT_LANG) -> None:
    """Every province in ``provinces`` must be within the actor's region. ``what`` names the
    kind of data (``scope.<what>`` in the catalogue: data, partners, staff or an import kind)."""
    outside = sorted({p for p in provinces if not actor.covers(p)})
    if outside:
        raise AccessDenied(t("auth.province_denied", lang, user=actor.username, what=t(f"scope.{what}", lang),
                             mine=", ".join(actor.provinces) or "-", outside=", ".join(outside[:10])))


# --------------------------------------------------------------------------- users
def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _iso(t: dt.datetime) -> str:
    return t.isoformat()


def _check_password(password: str, lang: str = DEFAULT_LANG) -> None:
    if len(password) < MIN_PASSWORD:
        raise PlannerError(t("auth.password_short", lang, n=MIN_PASSWORD))


def _row_to_user(row: dict) -> User:
    provinces = tuple(p for p in (row.get("provinces") or "").split(",") if p)
    return User(row["username"], row["role"], provinces, row.get("display_name") or "", staff_id=row.get("staff_id"))


def _check_staff(db: sqlite_utils.Database, staff_id: str | None, role: str, provinces: tuple[str, ...],
                 lang: str = DEFAULT_LANG) -> tuple[str, ...]:
    """A login linked to a staff record: the record exists, is linked to no other login,
    and its province is one of the login's (a staff login without provinces gets it)."""
    if staff_id is None:
        return provinces
    row = db.execute("SELECT province_code FROM staff WHERE staff_id = ?", [staff_id]).fetchone()
    if row is None:
        raise PlannerError(t("users.staff_unknown", lang, staff=staff_id))
    if role == "staff" and not provinces:
        return (row[0],)
    if role == "staff" and row[0] not in provinces:
        raise PlannerError(t("users.staff_province", lang, staff=staff_id, province=row[0], provinces=", ".join(provinces)))
    return provinces


def _check_role_and_provinces(db: sqlite_utils.Database, role: str, provinces: Iterable[str],
                              lang: str = DEFAULT_LANG) -> tuple[str, ...]:
    if role not in ROLES:
        raise PlannerError(t("auth.role_unknown", lang, role=role, roles=", ".join(ROLES)))
    provinces = tuple(sorted({p.strip() for p in provinces if p and p.strip()}))
    known = {r[0] for r in db.execute("SELECT code FROM provinces").fetchall()}
    unknown = [p for p in provinces if p not in known]
    if unknown:
        raise PlannerError(t("auth.province_unknown", lang, codes=", ".join(unknown)))
    if role == "staff" and not provinces:
        raise PlannerError(t("auth.staff_needs_province", lang))
    return provinces


def add_user(db: sqlite_utils.Database, actor: User, username: str, password: str, role: str,
             provinces: Iterable[str] = (), display_name: str = "", staff_id: str | None = None,
             lang: str = DEFAULT_LANG) -> User:
    """Create an account (admin only); ``staff_id`` links it to a staff record."""

    require(actor, "admin", lang=lang)
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise PlannerError(t("auth.username_bad", lang, value=username))
    staff_id = (staff_id or "").strip() or None
    provinces = tuple(sorted({p.strip() for p in provinces if p and p.strip()}))
    if staff_id and role == "staff" and not provinces:
        provinces = _check_staff(db, staff_id, role, (), lang)
    provs = _check_role_and_provinces(db, role, provinces, lang)
    _check_staff(db, staff_id, role, provs, lang)
    _check_password(password, lang)
    hashed = _hash(password)  # slow on purpose: before the write lock, not under it
    with transaction(db):
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise PlannerError(t("auth.user_exists", lang, user=username))
        _staff_free(db, staff_id, username, lang)
        db.execute(
            "INSERT INTO users (username, display_name, role, provinces, password_hash, active, failed_logins, created_at, staff_id) "
            "VALUES (?,?,?,?,?,1,0,?,?)",
            [username, display_name, role, ",".join(provs), hashed, _iso(_now()), staff_id],
        )
        record(db, actor, "user.add", "users", username, None,
               {"role": role, "provinces": list(provs), "display_name": display_name, "staff_id": staff_id})
    return User(username, role, provs, display_name, staff_id=staff_id)


def _staff_free(db: sqlite_utils.Database, staff_id: str | None, username: str, lang: str = DEFAULT_LANG) -> None:
    if staff_id is None:
        return
    other = db.execute("SELECT username FROM users WHERE staff_id = ? AND username != ?", [staff_id, username]).fetchone()
    if other:
        raise PlannerError(t("users.staff_taken", lang, staff=staff_id, other=other[0]))


def link_staff(db: sqlite_utils.Database, actor: User, username: str, staff_id: str | None, lang: str = DEFAULT_LANG) -> None:
    """Link an account to a staff record (or unlink it with ``None``), so that its agenda
    and reports are that staff member's (admin only)."""

    require(actor, "admin", lang=lang)
    staff_id = (staff_id or "").strip() or None
    with transaction(db):
        row = _get_row(db, username, lang)
        provinces = tuple(p for p in (row["provinces"] or "").split(",") if p)
        new_provinces = _check_staff(db, staff_id, row["role"], provinces, lang)
        _staff_free(db, staff_id, username, lang)
        db.execute("UPDATE users SET staff_id = ?, provinces = ? WHERE username = ?", [staff_id, ",".join(new_provinces), username])
        record(db, actor, "user.link_staff", "users", username, {"staff_id": row.get("staff_id")}, {"staff_id": staff_id})


def set_password(db: sqlite_utils.Database, actor: User, username: str, password: str, lang: str = DEFAULT_LANG) -> None:
    """Change a password (admin, or the user themself); unlocks the account."""

    if actor.username != username:
        require(actor, "admin", lang=lang)
    _check_password(password, lang)
    if password == DEMO_PASSWORD:
        raise PlannerError(t("pw.not_demo", lang))
    hashed = _hash(password)  # before the write lock
    with transaction(db):
        _get_row(db, username, lang)
        db.execute(
            "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
            [hashed, username],
        )
        db.execute("DELETE FROM sessions WHERE username = ?", [username])
        record(db, actor, "user.passwd", "users", username, None, None)


def set_active(db: sqlite_utils.Database, actor: User, username: str, active: bool, lang: str = DEFAULT_LANG) -> None:
    """Disable (or re-enable) an account; disabling ends its sessions."""

    require(actor, "admin", lang=lang)
    with transaction(db):
        row = _get_row(db, username, lang)
        if not active and row["username"] == actor.username:
            raise PlannerError(t("auth.disable_self", lang))
        if not active and row["role"] == "admin" and row["active"]:
            others = db.execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND username != ?", [username]).fetchone()[0]
            if others == 0:
                raise PlannerError(t("auth.last_admin", lang, user=username))
        db.execute("UPDATE users SET active = ? WHERE username = ?", [int(active), username])
        if not active:
            db.execute("DELETE FROM sessions WHERE username = ?", [username])
        record(db, actor, "user.enable" if active else "user.disable", "users", username, {"active": row["active"]}, {"active": int(active)})


def _get_row(db: sqlite_utils.Database, username: str, lang: str = DEFAULT_LANG) -> dict:
    rows = list(db.query("SELECT * FROM users WHERE username = ?", [username]))
    if not rows:
        raise PlannerError(t("auth.user_unknown", lang, user=username))
    return rows[0]


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return list(
        db.query(
            "SELECT username, display_name, role, provinces, staff_id, active, failed_logins, locked_until, last_login, created_at "
            "FROM users ORDER BY username"
        )
    )


def staff_records(db: sqlite_utils.Database) -> "pd.DataFrame":
    """Active staff records to link accounts to: ``staff_id, label`` (name, id, province)."""
    import pandas as pd

    cur = db.execute("SELECT staff_id, name || ' (' || staff_id || ', ' || province_code || ')' FROM staff WHERE active = 1 ORDER BY province_code, name")
    return pd.DataFrame(cur.fetchall(), columns=["staff_id", "label"])


def get_user(db: sqlite_utils.Database, username: str, lang: str = DEFAULT_LANG) -> User:
    return _row_to_user(_get_row(db, username, lang))


# --------------------------------------------------------------------------- login and sessions
def _argon2(fn, *args):
    """Run one argon2 call (hash or verify) in one of ``ARGON2_SLOTS`` slots.

    Each call takes ``ARGON2_MEMORY_MIB`` of memory for its duration, so the slots put a
    ceiling on what a burst of sign-ins can take (a burst of parallel attempts took the
    server from 143 MB to 1.55 GB before). An attempt that finds no free slot within
    ``ARGON2_WAIT`` seconds is answered "try again shortly" instead of queueing forever."""
    if not _ARGON2_SLOTS.acquire(timeout=ARGON2_WAIT):
        raise LoginFailed("busy")
    try:
        return fn(*args)
    finally:
        _ARGON2_SLOTS.release()


def _hash(password: str) -> str:
    return _argon2(_hasher.hash, password)


def _dummy_hash() -> str:
    """A hash of a random password with the same parameters, verified in place of a real
    one for unknown, disabled and locked accounts: the same work, the same answer."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = _hash(secrets.token_urlsafe(16))
    return _DUMMY


def _verify(hash_: str, password: str) -> bool:
    def check() -> bool:
        try:
            return bool(_hasher.verify(hash_, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return _argon2(check)


def authenticate(db: sqlite_utils.Database, username: str, password: str, *, now: dt.datetime | None = None,
                 then: Callable[[User], object] | None = None) -> User:
    """Check a password. Every failure gives the same answer (``LoginFailed("wrong")``)
    after the same work, whether the user name is unknown, the account disabled or
    locked, or the password wrong: the form never tells which accounts exist.

    The attempt is counted *before* the password is checked, in one short write
    transaction: parallel attempts each take the next number, and once the count
    reaches ``MAX_FAILURES`` the account is locked and later attempts are refused without
    looking at their password. (Counting after the check let 29 parallel wrong attempts
    all be checked, and the right one that followed cleared the lock.) A correct password
    resets the count. The slow argon2 check itself runs outside any lock. ``then(user)``
    runs inside the success write (``login`` opens the session there)."""

    now = now or _now()
    username = (username or "").strip().lower()
    with transaction(db):
        row = db.execute(
            "SELECT password_hash, active, failed_logins, locked_until, role, provinces, display_name FROM users WHERE username = ?",
            [username],
        ).fetchone()
        attempt = None
        if row is not None and row[1]:
            locked = row[3] is not None and dt.datetime.fromisoformat(row[3]) > now
            if locked:
                record(db, _row_to_user({"username": username, "role": row[4], "provinces": row[5], "display_name": row[6]}),
                       "login.refused", "users", username, None, {"locked_until": row[3]})
            else:
                attempt = (0 if row[3] else row[2]) + 1  # a lock that has run out starts a new count
                lock = _iso(now + dt.timedelta(minutes=LOCK_MINUTES)) if attempt >= MAX_FAILURES else None
                db.execute("UPDATE users SET failed_logins = ?, locked_until = ? WHERE username = ?", [attempt, lock, username])
    if attempt is None:
        _verify(_dummy_hash(), password or "")
        raise LoginFailed("wrong")
    stored_hash = row[0]
    ok = _verify(stored_hash, password or "")
    rehash = _hash(password) if ok and _hasher.check_needs_rehash(stored_hash) else None
    user = _row_to_user({"username": username, "role": row[4], "provinces": row[5], "display_name": row[6]})
    with transaction(db):
        if ok:
            # Only if the password is still the one checked and the account still active.
            done = db.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login = ?, password_hash = COALESCE(?, password_hash) "
                "WHERE username = ? AND password_hash = ? AND active = 1",
                [_iso(now), rehash, username, stored_hash],
            ).rowcount
            ok = done == 1
            if ok and then is not None:
                then(user)  # e.g. opening the session: in the same write, one lock instead of two
        if not ok:
            record(db, user, "login.failed", "users", username, None, {"failures": attempt, "locked": attempt >= MAX_FAILURES})
    if not ok:
        raise LoginFailed("wrong")
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(db: sqlite_utils.Database, user: User, *, now: dt.datetime | None = None, must_change_password: bool = False) -> str:
    """A new session for ``user``; returns the token for the cookie (kept nowhere else)."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with transaction(db):
        db.execute("DELETE FROM sessions WHERE expires_at < ? OR idle_until < ?", [_iso(now), _iso(now)])
        db.execute(
            "INSERT INTO sessions (token_hash, username, created_at, idle_until, expires_at, must_change_password) VALUES (?,?,?,?,?,?)",
            [_token_hash(token), user.username, _iso(now), _iso(now + SESSION_IDLE), _iso(now + SESSION_MAX), int(must_change_password)],
        )
    return token


def login(db: sqlite_utils.Database, username: str, password: str) -> tuple[User, str]:
    """Authenticate and open a session: ``(user, token)``. Signing in with the public
    demo password on a database that holds real data opens a session that can only
    change that password."""
    from planner.db import has_real_data

    opened: dict = {}

    def open_session(user: User) -> None:
        # Inside authenticate's success write: a sign-in takes the database's write lock
        # twice (the attempt, then success and session together), not three times, which
        # matters when many people sign in at once.
        must_change = password == DEMO_PASSWORD and has_real_data(db)
        opened["token"] = create_session(db, user, must_change_password=must_change)
        opened["must_change"] = must_change
        record(db, user, "login", "users", user.username, None, {"must_change_password": True} if must_change else None)

    user = authenticate(db, username, password, then=open_session)
    return replace(user, must_change_password=opened["must_change"]), opened["token"]


def user_for_session(db: sqlite_utils.Database, token: str | None, *, now: dt.datetime | None = None) -> User | None:
    """The signed-in user for a cookie token, or None (unknown, expired, or disabled).
    Each use extends the idle window, never past the absolute expiry."""
    if not token:
        return None
    now = now or _now()
    rows = list(
        db.query(
            "SELECT u.*, s.idle_until, s.expires_at, s.must_change_password FROM sessions s JOIN users u ON u.username = s.username "
            "WHERE s.token_hash = ?",
            [_token_hash(token)],
        )
    )
    if not rows:
        return None
    row = rows[0]
    if not row["active"] or row["expires_at"] < _iso(now) or row["idle_until"] < _iso(now):
        return None
    new_idle = min(now + SESSION_IDLE, dt.datetime.fromisoformat(row["expires_at"]))
    if dt.datetime.fromisoformat(row["idle_until"]) < new_idle - dt.timedelta(minutes=5):
        with transaction(db):
            db.execute("UPDATE sessions SET idle_until = ? WHERE token_hash = ?", [_iso(new_idle), _token_hash(token)])
    return replace(_row_to_user(row), must_change_password=bool(row["must_change_password"]))


def logout(db: sqlite_utils.Database, token: str | None) -> None:
    if token:
        with transaction(db):
            db.execute("DELETE FROM sessions WHERE token_hash = ?", [_token_hash(token)])


# --------------------------------------------------------------------------- demo accounts
DEMO_PASSWORD = "jangkau-demo"
DEMO_ACCOUNTS = (
    ("admin", "admin", (), "Admin Demo"),
    ("manajer", "manager", (), "Manajer Kampanye"),
    ("staf.sumsel", "staff", ("16",), "Staf Sumatera Selatan"),
    ("staf.kalsel", "staff", ("63",), "Staf Kalimantan Selatan"),
    ("pimpinan", "leadership", (), "Pimpinan"),
)


def create_demo_accounts(db: sqlite_utils.Database) -> None:
    """The demo world's accounts (all with ``DEMO_PASSWORD``); listed on the login page
    only while the database holds demo data. Each staff account is linked to the first
    staff record of its province, whose name it takes."""
    actor = system_user()
    for username, role, provinces, name in DEMO_ACCOUNTS:
        if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            continue
        staff = None
        if role == "staff":
            row = db.execute("SELECT staff_id, name FROM staff WHERE province_code = ? ORDER BY staff_id LIMIT 1", [provinces[0]]).fetchone()
            if row:
                staff, name = row[0], row[1]
        add_user(db, actor, username, DEMO_PASSWORD, role, provinces, name, staff_id=staff)
