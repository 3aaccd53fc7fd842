"""``python -m planner serve``: the HAProxy configuration it writes, its settings and the
errors an operator can act on, and background jobs that outlive the process that
started them. (The real thing, two processes behind HAProxy in a browser, is in
tests/test_browser_serve.py.)"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planner import jobs, serve
from planner.cli import main
from planner.db import connect

ROOT = Path(__file__).resolve().parents[1]
HAPROXY = shutil.which("haproxy", path=os.pathsep.join([os.environ.get("PATH", ""), *serve.HAPROXY_DIRS]))
needs_haproxy = pytest.mark.skipif(
    HAPROXY is None and not os.environ.get("CI"),  # .ci/run installs it: in CI a missing haproxy fails
    reason="haproxy is not installed (apt-get install haproxy)",
)


def _sections(config: str) -> dict[str, list[str]]:
    """The configuration as {section header: its directive lines}."""
    out: dict[str, list[str]] = {}
    current = None
    for line in config.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            current = line.strip()
            out[current] = []
        else:
            out[current].append(" ".join(line.split()))
    return out


def _seconds(value: str) -> float:
    number, unit = re.fullmatch(r"(\d+)(ms|s|m|h|d)?", value).groups()
    return int(number) * {"ms": 0.001, "s": 1, None: 0.001, "m": 60, "h": 3600, "d": 86400}[unit]


def test_the_haproxy_config_is_sticky_checks_health_and_keeps_websockets_open(tmp_path):
    backends = [serve.Backend("s1", 40001), serve.Backend("s2", 40002)]
    config = serve.haproxy_config("127.0.0.1", 8501, backends, tmp_path / "haproxy.sock")
    sections = _sections(config)
    backend = sections["backend streamlit"]
    # Sticky: a cookie inserted by HAProxy, one value per server, each server carries it.
    cookie = next(d for d in backend if d.startswith("cookie "))
    assert cookie.split()[1:3] == [serve.AFFINITY_COOKIE, "insert"] and "indirect" in cookie and "nocache" in cookie
    servers = [d for d in backend if d.startswith("server ")]
    assert servers == ["server s1 127.0.0.1:40001 cookie s1", "server s2 127.0.0.1:40002 cookie s2"]
    # Health: Streamlit's own endpoint, and every server is checked.
    assert "option httpchk GET /_stcore/health" in backend
    assert "http-check expect status 200" in backend
    assert any(d.startswith("default-server") and " check" in f" {d} " for d in backend)
    # Websockets: a long tunnel timeout, no mode that closes server connections per request;
    # a browser whose process is down goes to another one.
    defaults = sections["defaults"]
    timeouts = {d.split()[1]: _seconds(d.split()[2]) for d in defaults if d.startswith("timeout ")}
    assert timeouts["tunnel"] >= 3600 and timeouts["client"] < timeouts["tunnel"]
    assert "mode http" in defaults and "option redispatch" in defaults
    assert "http-server-close" not in config and "httpclose" not in config
    assert sections["frontend jangkau"][0] == "bind 127.0.0.1:8501"
    assert f"stats socket {tmp_path / 'haproxy.sock'} mode 600 level admin" in sections["global"]
    assert "bind [::1]:9000" in serve.haproxy_config("::1", 9000, backends)


@needs_haproxy
def test_haproxy_itself_accepts_the_config(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(serve.haproxy_config("127.0.0.1", 8501, [serve.Backend("s1", 40001), serve.Backend("s2", 40002)],
                                         tmp_path / "haproxy.sock"))
    serve.check_config(HAPROXY, path)  # raises with HAProxy's complaint if it refuses
    path.write_text(path.read_text().replace("balance leastconn", "balance nonsense"))
    with pytest.raises(serve.PlannerError, match="HAProxy"):
        serve.check_config(HAPROXY, path)


def test_without_haproxy_serve_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(serve, "HAPROXY_DIRS", ())
    status = main(["--db", str(tmp_path / "planner.db"), "serve", "--processes", "2"])
    err = capsys.readouterr().err
    assert status == 2
    assert "HAProxy tidak terpasang" in err and "apt-get install -y haproxy" in err
    assert "Traceback" not in err
    assert not (tmp_path / "planner.db").exists()  # nothing started, nothing created
    status = main(["--db", str(tmp_path / "planner.db"), "--lang", "en", "serve"])
    assert status == 2 and "HAProxy is not installed" in capsys.readouterr().err


def test_the_command_line_without_haproxy_exits_2_without_a_traceback(tmp_path):
    """The same through the real entry point, as an operator would see it."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    script = textwrap.dedent("""
        import sys
        from planner import serve
        serve.HAPROXY_DIRS = ()
        from planner.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    r = subprocess.run([sys.executable, "-c", script, "--db", str(tmp_path / "x.db"), "--lang", "en", "serve"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert "sudo apt-get update && sudo apt-get install -y haproxy" in r.stderr and "Traceback" not in r.stderr


@needs_haproxy
def test_wrong_settings_are_refused_before_anything_starts(tmp_path, capsys):
    db = str(tmp_path / "planner.db")
    assert main(["--db", db, "serve", "--processes", "0"]) == 2
    assert "--processes 0" in capsys.readouterr().err
    assert main(["--db", db, "serve", "--port", "70000"]) == 2
    assert "--port 70000" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--db", db, "serve", "--processes", "1", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"Port {port}" in err and "--port" in err and "Traceback" not in err
    assert not (tmp_path / "logs" / "serve-s1.log").exists()  # no Streamlit process was started


@needs_haproxy
def test_a_second_serve_for_the_same_database_is_refused(tmp_path, capsys):
    import fcntl

    lock = serve.run_dir(tmp_path / "planner.db") / "serve.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    os.write(fd, b"4242\n")
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a running serve holds it
    try:
        assert main(["--db", str(tmp_path / "planner.db"), "serve", "--processes", "1"]) == 2
    finally:
        os.close(fd)
    err = capsys.readouterr().err
    assert "sudah berjalan" in err and "4242" in err


def test_password_check_slots_shrink_with_the_processes_unless_the_operator_sets_them(tmp_path, monkeypatch):
    assert [serve.argon2_slots(n) for n in (1, 2, 3, 4, 8)] == [4, 2, 1, 1, 1]
    monkeypatch.delenv("PLANNER_ARGON2_SLOTS", raising=False)
    server = serve.Server(tmp_path / "planner.db", "127.0.0.1", 8501, 2)
    env = server._child_env()
    assert env["PLANNER_ARGON2_SLOTS"] == "2"
    assert env["PLANNER_DB"] == str(tmp_path / "planner.db")
    monkeypatch.setenv("PLANNER_ARGON2_SLOTS", "3")
    assert server._child_env()["PLANNER_ARGON2_SLOTS"] == "3"


def test_every_process_gets_the_same_cookie_secret_kept_private(tmp_path):
    db = tmp_path / "planner.db"
    a = serve.Server(db, "127.0.0.1", 8501, 2)._child_env()["STREAMLIT_SERVER_COOKIE_SECRET"]
    b = serve.Server(db, "127.0.0.1", 8501, 3)._child_env()["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert a == b and len(a) == 64
    path = serve.run_dir(db) / "cookie-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other = serve.cookie_secret(tmp_path / "other" / "planner.db")
    assert other != a  # another database, another secret


def test_logs_shows_the_end_of_the_combined_log(tmp_path, capsys):
    db = str(tmp_path / "planner.db")
    assert main(["--db", db, "serve", "--logs"]) == 2
    assert "serve belum pernah berjalan" in capsys.readouterr().err
    log = tmp_path / "logs" / "serve.log"
    log.write_text("".join(f"2026-11-30 10:00:{i:02d} s{1 + i % 2}      | baris {i}\n" for i in range(50)))
    assert main(["--db", db, "serve", "--logs", "--lines", "3"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2026-11-30 10:00:47 s2      | baris 47", "2026-11-30 10:00:48 s1      | baris 48", "2026-11-30 10:00:49 s2      | baris 49",
    ]


def test_a_background_job_outlives_the_process_that_started_it_and_is_seen_from_another(demo_db_path):
    """Process A of ``serve`` starts an import job and is then restarted (here: it simply
    exits); the job runs on and another process sees how it ended, from the database."""
    from tests.test_jobs import MANAGER, businesses_csv, count

    starter = textwrap.dedent("""
        import sys
        from planner import auth, jobs
        from planner.db import connect
        db = connect(sys.argv[1])
        manager = auth.User("manajer", "manager", (), "Manajer Kampanye")
        payload = open(sys.argv[2], "rb").read()
        print(jobs.start(db, manager, "import", {"kind": "businesses", "filename": "dari-proses-a.csv"}, payload=payload))
    """)
    payload = demo_db_path.parent / "upload.csv"
    payload.write_bytes(businesses_csv(2_000))
    r = subprocess.run([sys.executable, "-c", starter, str(demo_db_path), str(payload)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    job_id = int(r.stdout.strip())
    db = connect(demo_db_path)
    try:
        job = jobs.wait(db, MANAGER, job_id, timeout=120)
        assert job["status"] == "done", job
        assert job["result"]["inserted"] == 2_000 and count(db) == 2_000
        assert jobs.latest(db, MANAGER, "import")["job_id"] == job_id
    finally:
        db.conn.close()


def test_serve_is_a_verb_of_the_command_line():
    r = subprocess.run([sys.executable, "-m", "planner", "serve", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    for option in ("--processes", "--port", "--address", "--logs"):
        assert option in r.stdout


def test_each_process_loads_the_pages_libraries_before_it_answers_its_health_check():
    """``serve`` (and ``start_app``) run Streamlit through ``app_pages.launch``, which loads
    what the pages import first: the first person on a fresh process, after a start or a
    rolling restart, no longer waits for scikit-learn, SciPy and Altair to load."""
    argv = serve.app_command(8599)
    assert argv[1:4] == ["-m", "app_pages.launch", "run"] and argv[4].endswith("streamlit_app.py")
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from app_pages.launch import WARM, warm\n"
        "failed = warm()\n"
        "print(failed, [m for m in WARM if m not in sys.modules], 'sklearn' in sys.modules and 'sklearn' not in before, 'altair' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=180, cwd=serve.ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[] [] True True"
    assert "No runtime found" not in out.stderr  # the pages' caches are declared quietly
