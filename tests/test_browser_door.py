"""The door over HTTP (serve.py, as 'python -m ccm_analytics serve' starts it): the page answers with
Referrer-Policy: no-referrer, a new X-Forwarded-For on every try through a forwarder does not avoid the
lock (the issue's attack), and the start-up token is not a Back away once used."""

from __future__ import annotations

import urllib.request

import pytest

from ccm_analytics.reading import read_paths
from ccm_analytics.store import Store

from .browser_support import forwarder, launch_browser, running_app, visit
from .conftest import SAMPLE
from .conftest import browser_available as _browser_available

pytestmark = pytest.mark.browser
TOKEN = "door-test-token-0123456789"
CODE = "door-test-link-code-0123456789"


def test_the_door_sends_no_referrer_counts_the_real_peer_and_drops_the_token_from_history(tmp_path):
    _browser_available()
    db = tmp_path / "store.duckdb"
    Store(db).load(read_paths([SAMPLE]), user="sample", action="sample")
    env = {"CCM_OPEN_LOCAL": "", "CCM_ADMIN_PASSWORD": "", "CCM_ADMIN_TOKEN": TOKEN, "CCM_LINK_CODE": CODE,
           "FORWARDED_ALLOW_IPS": ""}
    with running_app(db=db, env=env, app="serve.py") as url, forwarder(int(url.rsplit(":", 1)[1])) as (proxied, _), \
            launch_browser() as browser:
        with urllib.request.urlopen(f"{proxied}/data?code=guess", timeout=30) as r:
            assert r.headers["Referrer-Policy"] == "no-referrer" and r.headers["X-Content-Type-Options"] == "nosniff"

        # The one-use link code: unlocked, out of the address, and Back does not return to it.
        page = browser.new_page()
        page.goto("about:blank")
        visit(page, proxied, "data", query=f"code={CODE}")
        assert page.url == f"{proxied}/data"
        assert not page.locator("[data-testid='stFileUploader'] input[type='file']").first.is_disabled()
        page.go_back()
        assert page.url == "about:blank"

        # Five wrong tries, each from a "new" client per X-Forwarded-For: the fifth locks the forwarder's address.
        messages = []
        for n in range(6):
            context = browser.new_context(extra_http_headers={"X-Forwarded-For": f"203.0.113.{n}"})
            guesser = context.new_page()
            visit(guesser, proxied, "data", query=f"code=guess-{n}" if n < 5 else f"code={CODE}")
            messages.append(guesser.locator("[data-testid='stAlertContentError']").first.inner_text())
            context.close()
        assert "locked for 60 seconds" in messages[4]
        assert "Too many wrong attempts" in messages[5]  # even the right code, from a sixth "address"
