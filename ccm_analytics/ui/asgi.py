"""The server's door: an ASGI middleware in front of Streamlit (``st.App``), started by ``serve.py``.

``python -m ccm_analytics serve`` (and ``make run``) start ``streamlit run serve.py``, whose
``st.App`` runs the page script ``app.py`` behind :class:`Door`. The door sees every request and
WebSocket before Streamlit does:

- **who is asking**: ``scope["client"]`` becomes the client the lockout counts
  (:func:`ccm_analytics.access.client_address`): the TCP peer, or, when the peer is a proxy named in
  ``CCM_TRUSTED_PROXIES``, the right-most untrusted address of ``X-Forwarded-For``. The page
  script reads it back with ``st.context.ip_address`` (``context.client_id``).
  Uvicorn rewrites ``scope["client"]`` from ``X-Forwarded-For`` itself for loopback peers unless
  ``FORWARDED_ALLOW_IPS`` is empty; so the launcher empties it, and :func:`check_startup` refuses
  to start when it is not (the peer would be lost before the door sees it).
- **response headers** on every answer (:data:`HEADERS`): ``Referrer-Policy: no-referrer`` (a page
  opened with the one-use ``?code=`` must not send its address to anyone, not even to the same origin),
  ``X-Content-Type-Options: nosniff``, and no framing by other sites.
"""

from __future__ import annotations

import os
import sys
import re
from urllib.parse import parse_qs, urlencode

from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route
from starlette.datastructures import MutableHeaders

from .. import access
from ..errors import CcmError, UsageError
from ..i18n import _
from ..users import COOKIE, SESSION_SECONDS, Sessions, UsersFile

HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
}

_ACTIVE: list[bool] = []


def active() -> bool:
    """Whether this process serves the pages through the door (``serve.py``), not ``streamlit run app.py``."""
    return bool(_ACTIVE)


class Door:
    """ASGI middleware: the client the lockout counts in ``scope["client"]``, and :data:`HEADERS` on answers.

    Args:
        app: The application behind the door.
        proxies: The trusted reverse proxies (:func:`ccm_analytics.access.trusted_proxies`).
    """

    def __init__(self, app, proxies: tuple = ()):
        self.app, self.proxies = app, tuple(proxies)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        peer = scope.get("client")
        forwarded = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-forwarded-for"]
        client = access.client_address(peer[0] if peer else None, forwarded, self.proxies)
        if peer and client != peer[0]:
            scope = {**scope, "client": (client, 0)}
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def startup_problem(environ=os.environ, argv=sys.argv) -> None:
    """Raise UsageError when the server must not start: a bad ``CCM_TRUSTED_PROXIES``, or uvicorn set to
    take the client from ``X-Forwarded-For`` itself (``FORWARDED_ALLOW_IPS`` not empty)."""
    access.trusted_proxies(environ)
    if environ.get("FORWARDED_ALLOW_IPS") != "" and "--no-proxy-headers" not in argv:
        raise UsageError(_("Uvicorn would take the client's address from the X-Forwarded-For header, which anyone "
                           "can write, so the lockout could be avoided. Start the app with 'python -m ccm_analytics "
                           "serve', or set FORWARDED_ALLOW_IPS to an empty value; name reverse proxies in {name}.")
                         .format(name=access.TRUSTED_PROXIES_ENV))


def check_startup(environ=os.environ, argv=sys.argv) -> tuple:
    """The trusted proxies, or exit 2 with the reason (no traceback) when the server must not start."""
    try:
        startup_problem(environ, argv)
        return access.trusted_proxies(environ)
    except CcmError as e:
        print(_("CCM Analytics cannot start: {reason}").format(reason=e), file=sys.stderr, flush=True)
        raise SystemExit(2) from e


def middleware(proxies: tuple) -> list:
    """The middleware ``st.App`` runs in front of Streamlit's own; marks this process as served through it."""

    _ACTIVE.append(True)
    return [Middleware(Door, proxies=proxies)]


# --- Sign-in with the local users file (DOMAIN.md section 9): the server sets the session cookie ---

SIGNIN_PATH, SIGNOUT_PATH = "/signin", "/signout"
MAX_FORM_BYTES = 4096


def _back_to(value: str | None) -> str:
    """Where to send the browser after signing in or out: a page of this app (a path such as ``/data``),
    never another site (``//evil.example``, ``https://...``)."""

    value = value or ""
    return value if re.fullmatch(r"/[A-Za-z0-9_-]*", value) else "/data"


def _same_origin(request) -> bool:
    """A form posted from this app's own pages: browsers say where a request comes from in ``Sec-Fetch-Site``
    (``Origin`` is "null" here, as every page is served with ``Referrer-Policy: no-referrer``). Requests that
    say neither (old browsers, scripts) are accepted: the session cookie is ``SameSite=Lax``, so another
    site's form cannot use it anyway."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None:
        return site in ("same-origin", "none")
    return origin in (None, "null") or origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


async def _form(request) -> dict[str, str]:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return {}
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


def _redirect(path: str, **params):
    return RedirectResponse(path + (f"?{urlencode(params)}" if params else ""), status_code=303)


async def signin(request):
    """``POST /signin`` (username, password, back): check the password against the users file, with the lockout;
    on success set the signed session cookie and go back to the page; else back with ``?signin=wrong|locked``."""

    if not _same_origin(request):
        return PlainTextResponse(_("Sign in from the app's own Data page."), status_code=403)
    form = await _form(request)
    back = _back_to(form.get("back"))
    # cycle: context -> asgi (and context pulls Streamlit into the door)
    from .context import sign_in_mode

    try:
        if sign_in_mode() != "local":  # the identity provider was chosen: the users file does not sign anyone in
            return _redirect(back, signin="unavailable")
    except CcmError:
        return _redirect(back, signin="unavailable")
    client = request.client.host if request.client else "local"
    if access.LOCKOUT.seconds_locked(client) > 0:
        return _redirect(back, signin="locked")
    try:
        users = UsersFile()
        entry = await run_in_threadpool(users.verify, form.get("username", "").strip(), form.get("password", ""))
        cookie = Sessions(users).issue(entry) if entry else None
    except CcmError:
        return _redirect(back, signin="unavailable")
    if entry is None:
        access.LOCKOUT.failure(client)
        return _redirect(back, signin="locked" if access.LOCKOUT.seconds_locked(client) > 0 else "wrong")
    access.LOCKOUT.success(client)
    response = _redirect(back)
    response.set_cookie(COOKIE, cookie, max_age=SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    return response


async def signout(request):
    """``POST /signout``: forget the session cookie and go back to the page."""

    form = await _form(request)
    response = _redirect(_back_to(form.get("back")), signin="out")
    response.delete_cookie(COOKIE, path="/")
    return response


def routes() -> list:
    """The door's own routes, beside Streamlit's: sign in and sign out (local users file)."""

    return [Route(SIGNIN_PATH, signin, methods=["POST"]), Route(SIGNOUT_PATH, signout, methods=["POST"])]
