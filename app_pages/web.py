"""HTTP routes served next to the Streamlit app: the login form and logout.

The session cookie is set here, by the server, as ``HttpOnly; SameSite=Strict``: page
scripts never see the token, and other sites cannot send it. Streamlit pages read it
from the websocket request (``st.context.cookies``) and look the session up in the
database. No JavaScript runs on the login page.
"""

from __future__ import annotations

import html
import os

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from planner import auth, reads
from planner.auth import SESSION_COOKIE as COOKIE
from planner import db as dbmod
from planner.errors import PlannerError
from planner.i18n import t

LOGIN_PATH = "/masuk"
LOGOUT_PATH = "/keluar"


def _page(lang: str, error: str = "", username: str = "", demo_accounts: list[tuple[str, str, str]] | None = None, status: int = 200) -> HTMLResponse:
    e = html.escape
    other = "en" if lang == "id" else "id"
    demo = ""
    if demo_accounts:
        rows = "".join(f"<tr><td><code>{e(u)}</code></td><td>{e(t(f'role.{role}', lang))}</td><td>{e(name)}</td></tr>" for u, role, name in demo_accounts)
        demo = (
            f"<section class='demo'><h2>{e(t('login.demo_title', lang))}</h2>"
            f"<p>{e(t('login.demo_text', lang, password=auth.DEMO_PASSWORD))}</p>"
            f"<table><tr><th>{e(t('login.username', lang))}</th><th>{e(t('login.role', lang))}</th><th>{e(t('login.name', lang))}</th></tr>{rows}</table></section>"
        )
    body = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(t('login.title', lang))} · Jangkau</title>
<style>
body {{ font-family: "Source Sans Pro", system-ui, sans-serif; background: #f6f6f4; color: #262730; margin: 0; }}
main {{ max-width: 420px; margin: 8vh auto; background: #fff; padding: 2rem 2.2rem; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }}
h1 {{ margin: 0 0 .2rem; font-size: 1.8rem; }} p.tag {{ margin: 0 0 1.5rem; color: #6b6f76; }}
label {{ display: block; margin: .8rem 0 .3rem; font-weight: 600; }}
input {{ width: 100%; box-sizing: border-box; padding: .6rem .7rem; border: 1px solid #d4d4d8; border-radius: 8px; font-size: 1rem; }}
button {{ margin-top: 1.3rem; width: 100%; padding: .7rem; border: 0; border-radius: 8px; background: #c0392b; color: #fff; font-size: 1rem; font-weight: 600; cursor: pointer; }}
.error {{ background: #fdecea; color: #8a1c12; padding: .7rem .8rem; border-radius: 8px; margin-bottom: .5rem; }}
.demo {{ margin-top: 1.6rem; font-size: .92rem; }} .demo h2 {{ font-size: 1rem; margin-bottom: .3rem; }}
.demo table {{ width: 100%; border-collapse: collapse; }} .demo td, .demo th {{ text-align: left; padding: .2rem .3rem; border-bottom: 1px solid #eee; }}
.lang {{ float: right; font-size: .9rem; }}
</style></head>
<body><main>
<a class="lang" href="{LOGIN_PATH}?lang={other}">{'English' if other == 'en' else 'Bahasa Indonesia'}</a>
<h1>Jangkau</h1><p class="tag">{e(t('app.tagline', lang))}</p>
{f'<div class="error" role="alert">{e(error)}</div>' if error else ''}
<form method="post" action="{LOGIN_PATH}?lang={lang}">
<label for="username">{e(t('login.username', lang))}</label>
<input id="username" name="username" autocomplete="username" required value="{e(username)}" autofocus>
<label for="password">{e(t('login.password', lang))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{e(t('login.submit', lang))}</button>
</form>{demo}
</main></body></html>"""
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "id"


def _demo_accounts(db) -> list[tuple[str, str, str]] | None:
    if not dbmod.shows_demo_accounts(db):
        return None
    return [(u, role, name) for u, role, _, name in auth.DEMO_ACCOUNTS]


def login_page(request: Request) -> Response:
    if not dbmod.resolve_db_path().exists():
        return RedirectResponse("/", status_code=303)  # the app creates the database first
    with dbmod.opened() as db:
        lang = _lang(request)
        no_users = reads.active_users(db) == 0
        return _page(lang, error=t("login.no_users", lang) if no_users else "", demo_accounts=_demo_accounts(db))


async def login_submit(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username", ""))[:100]
    password = str(form.get("password", ""))[:1000]
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_login, _lang(request), username, password, secure_request(request))


LOOPBACK = ("127.0.0.1", "::1")


def secure_request(request: Request) -> bool:
    """Whether the browser reached us over HTTPS: directly, or through a reverse proxy on
    this machine that says so (``X-Forwarded-Proto: https``), or because the operator
    says every request does (``PLANNER_COOKIE_SECURE=1``). The session cookie is then
    marked ``Secure`` so that it never travels over plain HTTP."""
    if os.environ.get("PLANNER_COOKIE_SECURE") == "1" or request.url.scheme == "https":
        return True
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return forwarded == "https" and (request.client.host if request.client else "") in LOOPBACK


def _login(lang: str, username: str, password: str, secure: bool = False) -> Response:
    with dbmod.opened() as db:
        try:
            _, token = auth.login(db, username, password)
        except auth.LoginFailed as exc:
            message = t(f"login.fail.{exc.reason}", lang, **exc.params)  # one answer for every account failure
            return _page(lang, error=message, username=username, demo_accounts=_demo_accounts(db), status=401)
        except PlannerError as exc:
            return _page(lang, error=str(exc), username=username, demo_accounts=_demo_accounts(db), status=401)
    # The app's language selector is bound to ?lang= (its option label): keep the choice.
    response = RedirectResponse("/?lang=English" if lang == "en" else "/", status_code=303)
    response.set_cookie(
        COOKIE, token, max_age=int(auth.SESSION_MAX.total_seconds()), path="/", httponly=True, samesite="strict", secure=secure,
    )
    return response


def logout(request: Request) -> Response:
    with dbmod.opened() as db:
        auth.logout(db, request.cookies.get(COOKIE))
    response = RedirectResponse(LOGIN_PATH + ("?lang=en" if _lang(request) == "en" else ""), status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=secure_request(request))
    return response


def routes() -> list[Route]:
    return [
        Route(LOGIN_PATH, login_page, methods=["GET"]),
        Route(LOGIN_PATH, login_submit, methods=["POST"]),
        Route(LOGOUT_PATH, logout, methods=["GET", "POST"]),
    ]


OPEN_PREFIXES = (LOGIN_PATH, LOGOUT_PATH, "/_stcore/", "/static/", "/media/", "/component/", "/favicon")


class SessionGate:
    """ASGI middleware: a browser asking for an app page without a valid session is sent
    to the login form before any Streamlit code runs. (Each page checks the user again
    over the websocket; this only keeps strangers from loading the app at all.)"""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope["path"].startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if "text/html" not in request.headers.get("accept", "") or not dbmod.resolve_db_path().exists():
            # No database yet (the very first start): the app page creates the demo world and
            # then offers the sign-in link. Sending it to the form, which sends a browser
            # without a database back to the app, went round in circles.
            await self.app(scope, receive, send)
            return
        from starlette.concurrency import run_in_threadpool

        if not await run_in_threadpool(_has_session, request.cookies.get(COOKIE)):
            await RedirectResponse(LOGIN_PATH, status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _has_session(token: str | None) -> bool:
    if not token or not dbmod.resolve_db_path().exists():
        return False
    with dbmod.opened() as db:
        return auth.user_for_session(db, token) is not None


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(SessionGate)]
