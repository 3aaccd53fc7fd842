"""The login routes served next to Streamlit: cookie flags, errors, logout, demo list."""

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app_pages import web
from planner import auth
from planner.db import connect


@pytest.fixture
def client(demo_db_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    return TestClient(Starlette(routes=web.routes()), base_url="https://testserver")


def test_login_page_lists_demo_accounts_only_for_demo_data(client, demo_db_path):
    page = client.get("/masuk")
    assert page.status_code == 200 and "Nama pengguna" in page.text
    assert "staf.sumsel" in page.text and auth.DEMO_PASSWORD in page.text
    assert "<script" not in page.text.lower()
    db = connect(demo_db_path)
    db.execute("UPDATE meta SET value = '0' WHERE key = 'demo'")
    db.conn.close()
    assert "staf.sumsel" not in client.get("/masuk").text
    assert "Sign in" in client.get("/masuk?lang=en").text


def test_good_login_sets_an_http_only_strict_cookie_for_a_server_side_session(client, demo_db_path):
    r = client.post("/masuk", data={"username": "staf.sumsel", "password": auth.DEMO_PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("jangkau_session=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    db = connect(demo_db_path)
    assert auth.user_for_session(db, token).username == "staf.sumsel"
    db.conn.close()
    out = client.get("/keluar", follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/masuk"
    assert 'jangkau_session=""' in out.headers["set-cookie"] or "Max-Age=0" in out.headers["set-cookie"]
    db = connect(demo_db_path)
    assert auth.user_for_session(db, token) is None
    db.conn.close()


def test_bad_login_is_401_with_the_reason_and_no_cookie(client):
    r = client.post("/masuk", data={"username": "manajer", "password": "salah"}, follow_redirects=False)
    assert r.status_code == 401 and "set-cookie" not in r.headers
    assert "Nama pengguna atau kata sandi salah" in r.text
    assert 'value="manajer"' in r.text  # the user name is kept, escaped
    r = client.post("/masuk", data={"username": '"><script>alert(1)</script>', "password": "x"})
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text


def test_lockout_shows_on_the_form(client):
    for _ in range(auth.MAX_FAILURES):
        r = client.post("/masuk", data={"username": "pimpinan", "password": "salah"})
    assert "dikunci" in r.text
    r = client.post("/masuk", data={"username": "pimpinan", "password": auth.DEMO_PASSWORD})
    assert r.status_code == 401 and "dikunci" in r.text
    r = client.post("/masuk?lang=en", data={"username": "pimpinan", "password": auth.DEMO_PASSWORD})
    assert r.status_code == 401 and "an account is locked for 15 minutes" in r.text and "dikunci" not in r.text


def test_sign_in_in_english_answers_in_english_and_opens_the_app_in_english(client):
    r = client.post("/masuk?lang=en", data={"username": "manajer", "password": "wrong-password"})
    assert r.status_code == 401 and "Wrong user name or password" in r.text
    page = client.get("/masuk?lang=en").text
    assert "<td>manager</td>" in page and "<th>Name</th>" in page  # roles and headers in the page's language
    assert "<td>manajer</td>" in client.get("/masuk").text
    r = client.post("/masuk?lang=en", data={"username": "manajer", "password": auth.DEMO_PASSWORD}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?lang=English"
    r = client.post("/masuk", data={"username": "manajer", "password": auth.DEMO_PASSWORD}, follow_redirects=False)
    assert r.headers["location"] == "/"
    r = client.get("/keluar?lang=en", follow_redirects=False)  # signing out keeps the language too
    assert r.status_code == 303 and r.headers["location"] == "/masuk?lang=en"


def test_login_page_asks_for_an_admin_when_there_are_no_users(ref_db, monkeypatch, tmp_path):
    path = ref_db.execute("PRAGMA database_list").fetchone()[2]
    monkeypatch.setenv("PLANNER_DB", path)
    client = TestClient(Starlette(routes=web.routes()))
    assert "users add admin --role admin" in client.get("/masuk").text


def test_the_very_first_start_reaches_the_app_instead_of_going_round_in_circles(tmp_path, monkeypatch):
    """No database yet: the gate lets the page through (the app creates the demo world);
    the form still sends a browser without a database to the app. Once the database
    exists, a browser without a session goes to the form."""
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    path = tmp_path / "planner.db"
    monkeypatch.setenv("PLANNER_DB", str(path))
    app = Starlette(routes=[*web.routes(), Route("/", lambda request: PlainTextResponse("the app"))], middleware=[Middleware(web.SessionGate)])
    client = TestClient(app, base_url="https://testserver")
    html = {"accept": "text/html"}
    r = client.get("/", headers=html, follow_redirects=False)
    assert r.status_code == 200 and r.text == "the app"
    r = client.get("/masuk", headers=html, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    connect(path).conn.close()  # the app has made the database
    r = client.get("/", headers=html, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/masuk"


def test_the_cookie_is_secure_whenever_the_browser_came_over_https(demo_db_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(demo_db_path))
    form = {"username": "manajer", "password": auth.DEMO_PASSWORD}

    def cookie(base_url, headers=None):
        c = TestClient(Starlette(routes=web.routes()), base_url=base_url)
        r = c.post("/masuk", data=form, headers=headers or {}, follow_redirects=False)
        assert r.status_code == 303
        return r.headers["set-cookie"]

    assert "Secure" in cookie("https://testserver")
    assert "Secure" not in cookie("http://testserver")
    # a proxy that says https only counts when it is on this machine
    assert "Secure" not in cookie("http://testserver", {"x-forwarded-proto": "https"})
    monkeypatch.setenv("PLANNER_COOKIE_SECURE", "1")
    assert "Secure" in cookie("http://testserver")


def test_a_forwarded_https_request_from_a_local_proxy_is_secure():
    from starlette.requests import Request

    def request(client, proto):
        return Request({"type": "http", "method": "POST", "path": "/masuk", "scheme": "http", "server": ("127.0.0.1", 8501),
                        "client": (client, 5555), "headers": [(b"x-forwarded-proto", proto.encode())], "query_string": b""})

    assert web.secure_request(request("127.0.0.1", "https"))
    assert not web.secure_request(request("10.1.2.3", "https"))
    assert not web.secure_request(request("127.0.0.1", "http"))


def test_real_imports_end_the_demo_accounts_open_door(client, demo_db_path):
    from planner.imports import import_file

    assert "staf.sumsel" in client.get("/masuk").text
    db = connect(demo_db_path)
    import_file(db, "partners", b"partner_id,name,type,regency_code,capacity_per_month,venue_capacity,cost_per_event,available_weekdays\n"
                b"PX1,Koperasi Nyata,koperasi,16.71,2,40,500000,1;2\n", filename="mitra.csv", actor=auth.system_user())
    db.conn.close()
    page = client.get("/masuk").text
    assert "staf.sumsel" not in page and auth.DEMO_PASSWORD not in page
    r = client.post("/masuk", data={"username": "manajer", "password": auth.DEMO_PASSWORD}, follow_redirects=False)
    assert r.status_code == 303  # may sign in, but only to change the password
    token = r.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    db = connect(demo_db_path)
    assert auth.user_for_session(db, token).must_change_password
    with pytest.raises(Exception, match="demo"):
        auth.set_password(db, auth.get_user(db, "manajer"), "manajer", auth.DEMO_PASSWORD)
    db.conn.close()
