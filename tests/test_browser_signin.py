"""Signing in, in Chromium (DOMAIN.md section 9, "Roles and signing in"), with the server as
``python -m ccm_analytics serve`` starts it (``serve.py``: the door's /signin and /signout routes):

- the local users file: an editor signs in on the Data page, stays signed in across a reload and a
  new tab, logs a contact that the history names them for, and signs out; a wrong password, the
  lockout, an expired sign-in and a viewer's refused contact change nothing;
- the organisation's identity provider (OpenID Connect through ``st.login``), played by
  ``oidc-provider-mock`` started here: alice signs in on the provider's page and comes back an editor.

Each server has its own store, users file and secrets (in a temporary folder, never the repository's
``.streamlit/``), and its own lockout (the lockout lives in the server's process).
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ccm_analytics.reading import read_paths
from ccm_analytics.store import Store
from ccm_analytics.users import COOKIE, SESSION_SECONDS, Sessions, UsersFile

from .browser_support import free_port, launch_browser, running_app, stop, visit, wait_drawn, wait_http
from .conftest import ROOT, SAMPLE
from .conftest import browser_available as _browser_available

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
MAIN = "[data-testid='stMain']"
SIDEBAR = "[data-testid='stSidebar']"
WAIT = 120.0  # seconds: a loaded two-core machine may take long to run a page, never this long
DAY = "2018-09-05"  # the sample's day: the follow-up page lists overdue reports
PASSWORDS = {"vic": "viewer's own passphrase", "ed": "editor's own passphrase", "ada": "admin's own passphrase"}
ROLES = {"vic": "viewer", "ed": "editor", "ada": "admin"}


def _sample_store(folder: Path) -> Path:
    db = folder / "store.duckdb"
    Store(db).load(read_paths([SAMPLE]), user="sample", action="sample")
    return db


def _door_env(users: Path) -> dict:
    """The server's environment: no open door, no admin password, its own users file and tokens."""
    return {"CCM_OPEN_LOCAL": "", "CCM_ADMIN_PASSWORD": "", "CCM_ADMIN_TOKEN": secrets.token_urlsafe(24),
            "CCM_LINK_CODE": secrets.token_urlsafe(24), "FORWARDED_ALLOW_IPS": "", "CCM_USERS_FILE": str(users)}


def _main_text(page) -> str:
    return page.inner_text(MAIN)


def assert_signed_in_across_reload_and_tab(context, page, url: str, who: str) -> None:
    """The sign-in lasts: the page reloaded and a new tab of the same browser still say who is signed in."""
    page.reload()
    wait_drawn(page, timeout=WAIT)
    assert f"Signed in as {who}." in _main_text(page)
    tab = context.new_page()
    visit(tab, url, "data", timeout=WAIT)
    assert f"Signed in as {who}." in _main_text(tab)
    tab.close()


def _submit(page, button) -> None:
    """Press a button that posts a plain form (a new page loads), and wait until the app has drawn it."""
    with page.expect_navigation(timeout=WAIT * 1000):
        button.click()
    wait_drawn(page, timeout=WAIT)


def sign_in(page, url: str | None, name: str, password: str) -> None:
    """Type a name and password in the Data page's sign-in form and press Sign in (``url`` None: the page
    shows the form already)."""
    if url is not None:
        visit(page, url, "data", timeout=WAIT)
    main = page.locator(MAIN)
    main.get_by_label("Name", exact=True).fill(name)
    main.get_by_label("Password", exact=True).fill(password)
    _submit(page, main.get_by_role("button", name="Sign in", exact=True))


def session_cookies(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == COOKIE]


def log_contact(page, url: str, by: str) -> None:
    """Log a contact with the States overdue on the follow-up page, typing ``by`` in "By"."""
    visit(page, url, "reports", DAY, "reports_tab=overdue", timeout=WAIT)
    page.get_by_label("By", exact=True).first.fill(by)
    page.get_by_role("button", name="Log the contact").click()
    page.get_by_text("Logged: ").first.wait_for(timeout=WAIT * 1000)
    wait_drawn(page, timeout=WAIT)


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module (one Playwright per process)."""
    _browser_available()
    with launch_browser() as browser:
        yield browser


# --- A. The local users file -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def local_app(tmp_path_factory, chromium):
    """The sample's app served through the door, with a viewer, an editor and an admin in its users file;
    the door trusts 127.0.0.1 as a proxy, so that a test's browser context can be a client of its own
    (``X-Forwarded-For``) for the lockout. Yields (URL, store, users file, browser)."""
    folder = tmp_path_factory.mktemp("signin-local")
    db = _sample_store(folder)
    users = UsersFile(folder / "users.json")
    for name, role in ROLES.items():
        users.add(name, role, PASSWORDS[name])
    env = {**_door_env(users.path), "CCM_SIGN_IN": "local", "CCM_TRUSTED_PROXIES": "127.0.0.1"}
    with running_app(db=db, env=env, app="serve.py") as url:
        yield url, db, users, chromium


def _context(browser, client: str, width: int = 1440, height: int = 900, **options):
    """A browser context (its own cookies) that the door counts as ``client``."""
    return browser.new_context(viewport={"width": width, "height": height},
                               extra_http_headers={"X-Forwarded-For": client}, **options)


def test_an_editor_signs_in_stays_signed_in_is_named_in_the_history_and_signs_out(local_app):
    url, db, _users, browser = local_app
    context = _context(browser, "198.51.100.1")
    page = context.new_page()
    sign_in(page, url, "ed", PASSWORDS["ed"])
    assert "Signed in as ed (editor)." in _main_text(page)
    (cookie,) = session_cookies(context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"  # the page's scripts cannot read it

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "signin-editor-1440x900.png"))
    assert "ed (editor)" in page.inner_text(SIDEBAR)  # every page's sidebar says who is signed in

    assert_signed_in_across_reload_and_tab(context, page, url, "ed (editor)")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.add_cookies([{"name": COOKIE, "value": cookie["value"], "url": url}])
    small = phone.new_page()
    visit(small, url, "data", timeout=WAIT)
    small.get_by_test_id("stExpandSidebarButton").click()  # a phone starts with the sidebar folded
    small.locator(SIDEBAR).get_by_text("ed (editor)").wait_for(timeout=WAIT * 1000)
    small.screenshot(path=str(SHOTS / "signin-editor-390x844.png"))
    phone.close()

    before = Store(db).version()
    log_contact(page, url, by="Ana (co-chair)")  # who made the contact, typed; the history names the user
    store = Store(db)
    assert store.version() == before + 1
    assert store.history()[0].user == "ed"
    assert set(store.data().followups.query("by == 'Ana (co-chair)'")["by"]) == {"Ana (co-chair)"}

    visit(page, url, "data", timeout=WAIT)
    loaded = [row.split("\t") for row in page.locator(f"{MAIN} table").first.locator("tr").all_inner_texts()]
    assert [r[4] for r in loaded if r[0] == "followups"] == ["ed"]  # the Data page: "By" of the follow-up log
    _submit(page, page.locator(MAIN).get_by_role("button", name="Sign out", exact=True))
    text = _main_text(page)
    assert "You are signed out." in text and "Signed in as" not in text
    assert session_cookies(context) == []
    page.reload()
    wait_drawn(page, timeout=WAIT)
    assert "Signed in as" not in _main_text(page)
    assert page.locator(MAIN).get_by_role("button", name="Sign in", exact=True).is_visible()
    context.close()


def test_a_wrong_password_says_so_sets_no_cookie_and_changes_nothing(local_app):
    url, db, users, browser = local_app
    before, users_before = Store(db).version(), users.path.read_bytes()
    context = _context(browser, "198.51.100.2", width=390, height=844, is_mobile=True, has_touch=True)  # a phone
    page = context.new_page()
    sign_in(page, url, "ed", "not the editor's passphrase")
    text = _main_text(page)
    assert "Unknown name or wrong password. Nothing was changed." in text and "Signed in as" not in text
    page.locator("form.ccm-signin").scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "signin-wrong-password-390x844.png"))
    assert session_cookies(context) == []
    assert Store(db).version() == before and users.path.read_bytes() == users_before
    context.close()


def _post_sign_in(url: str, client: str, name: str, password: str) -> str:
    """Post the sign-in form as a script would; the door's answer: where it sends the browser."""

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    body = urllib.parse.urlencode({"username": name, "password": password, "back": "/data"}).encode()
    request = urllib.request.Request(f"{url}/signin", data=body, headers={"X-Forwarded-For": client})
    try:
        urllib.request.build_opener(Stay).open(request, timeout=WAIT)
    except urllib.error.HTTPError as e:
        assert e.code == 303 and "set-cookie" not in {k.lower() for k in e.headers}
        return e.headers["Location"]
    raise AssertionError("the door did not answer with a redirect")


def test_six_wrong_passwords_lock_the_form_even_for_the_right_one(local_app):
    url, db, _users, browser = local_app
    client = "198.51.100.3"
    # Five wrong tries posted directly (each is a page load otherwise): the fifth locks; the sixth in the page.
    assert [_post_sign_in(url, client, "ed", f"guess number {n}") for n in range(1, 6)] == \
        ["/data?signin=wrong"] * 4 + ["/data?signin=locked"]
    context = _context(browser, client)
    page = context.new_page()
    locked = "Too many wrong attempts from this computer: the form is locked for a while"
    sign_in(page, url, "ed", "guess number 6")
    assert locked in _main_text(page)
    sign_in(page, None, "ed", PASSWORDS["ed"])  # the right password, during the lock
    assert locked in _main_text(page) and "Signed in as" not in _main_text(page)
    page.locator("form.ccm-signin").scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "signin-locked-1440x900.png"))
    assert session_cookies(context) == []
    context.close()
    # another computer is not locked out by this one
    assert _post_sign_in(url, "198.51.100.4", "ed", "a wrong one again") == "/data?signin=wrong"


def test_an_expired_sign_in_says_so_and_the_session_is_a_viewer(local_app):
    url, db, users, browser = local_app
    issued = time.time() - SESSION_SECONDS - 60  # a cookie the server signed 12 hours and a minute ago
    cookie = Sessions(users, clock=lambda: issued).issue(users.require("ada"))
    context = _context(browser, "198.51.100.5")
    context.add_cookies([{"name": COOKIE, "value": cookie, "url": url}])
    page = context.new_page()
    visit(page, url, "data", timeout=WAIT)
    text = _main_text(page)
    assert "Your sign-in has expired (it lasts 12 hours): sign in again." in text
    assert "Signed in as" not in text and "This needs the admin role: sign in on the Data page." in text
    assert page.locator("[data-testid='stFileUploader'] input[type='file']").first.is_disabled()
    context.close()


def test_a_viewer_is_refused_logging_a_contact_and_nothing_is_stored(local_app):
    url, db, _users, browser = local_app
    before = Store(db).version()
    context = _context(browser, "198.51.100.6")
    page = context.new_page()
    sign_in(page, url, "vic", PASSWORDS["vic"])
    assert "Signed in as vic (viewer)." in _main_text(page)
    visit(page, url, "reports", DAY, "reports_tab=overdue", timeout=WAIT)
    assert "This needs the editor role; vic is signed in as viewer. Ask an admin for the role." in _main_text(page)
    button = page.get_by_role("button", name="Log the contact")
    assert button.is_disabled()
    button.click(force=True)  # a click on the disabled button does nothing
    wait_drawn(page, timeout=WAIT)
    assert Store(db).version() == before
    context.close()


# --- B. The organisation's identity provider (OpenID Connect) ------------------------------------------

@pytest.fixture(scope="module")
def oidc_app(tmp_path_factory, chromium):
    """A local OpenID Connect provider that knows alice, and the sample's app signing in with it: its
    secrets (``[auth]``, ``[ccm] sign_in = "oidc"``, alice an editor) in a temporary file given with
    ``--secrets.files``. Yields (URL, store, browser)."""
    folder = tmp_path_factory.mktemp("signin-oidc")
    db = _sample_store(folder)
    provider_port, app_port = free_port(), free_port()
    provider = subprocess.Popen(
        [str(Path(sys.executable).with_name("oidc-provider-mock")), "-p", str(provider_port),
         "--user-claims", json.dumps({"sub": "alice", "email": "alice@isu.example"})],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{provider_port}"
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "ccm-analytics-test"\n'
        'client_secret = "any secret: the mock does not ask clients to register"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        "\n[ccm]\n"
        'sign_in = "oidc"\n'
        "\n[ccm.roles]\n"
        '"alice@isu.example" = "editor"\n', encoding="utf-8")
    env = {**_door_env(folder / "users.json"), "CCM_SIGN_IN": ""}
    try:
        wait_http(f"{issuer}/.well-known/openid-configuration", provider, "oidc-provider-mock", WAIT)
        with running_app(db=db, env=env, app="serve.py", port=app_port,
                         args=(f"--secrets.files={secrets_file}",)) as url:
            yield url, db, chromium
    finally:
        stop(provider)


def test_alice_signs_in_with_the_identity_provider_is_an_editor_named_in_the_history_and_signs_out(oidc_app):
    url, db, browser = oidc_app
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    visit(page, url, "data", timeout=WAIT)
    assert "Signed in as" not in _main_text(page)
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.get_by_role("heading", name="Authenticate predefined users").wait_for(timeout=WAIT * 1000)
    with page.expect_navigation(url=f"{url}/**", timeout=WAIT * 1000):
        page.get_by_role("button", name="alice", exact=True).click()
    wait_drawn(page, timeout=WAIT)

    visit(page, url, "data", timeout=WAIT)
    assert "Signed in as alice@isu.example (editor)." in _main_text(page)
    assert_signed_in_across_reload_and_tab(context, page, url, "alice@isu.example (editor)")

    before = Store(db).version()
    log_contact(page, url, by="alice@isu.example")
    store = Store(db)
    assert store.version() == before + 1 and store.history()[0].user == "alice@isu.example"

    visit(page, url, "data", timeout=WAIT)
    page.locator(MAIN).get_by_role("button", name="Sign out", exact=True).click()
    # Streamlit forgets its sign-in, then asks the provider to end its session too, which comes back to the app
    page.get_by_role("heading", name="End Session").wait_for(timeout=WAIT * 1000)
    with page.expect_navigation(url=f"{url}/**", timeout=WAIT * 1000):
        page.get_by_role("button", name="End session").click()
    visit(page, url, "data", timeout=WAIT)
    assert "Signed in as" not in _main_text(page) + page.inner_text(SIDEBAR)
    assert page.get_by_role("button", name="Sign in with your organisation's account").is_visible()
    context.close()
