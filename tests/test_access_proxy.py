"""The door behind a proxy: the app reached through a TCP forwarder on this machine (every visitor then
looks local, as behind a reverse proxy or an SSH tunnel) cannot change the data without the credential.

The test starts the app on loopback with no password and without CCM_OPEN_LOCAL (the shipped
default), puts a forwarder of its own in front of it on another loopback port, and drives Chromium
through the forwarder only.
"""

from __future__ import annotations

import pytest

from ccm_analytics.reading import read_paths
from ccm_analytics.store import Store

from .browser_support import forwarder, launch_browser, running_app, visit, wait_drawn
from .conftest import ROOT, SAMPLE
from .conftest import browser_available as _browser_available

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
TOKEN = "proxy-test-token-0123456789"
CODE = "proxy-test-link-code-0123456789"  # the one-use code of the printed link (DOMAIN §9)
UPLOADER = "[data-testid='stFileUploader'] input[type='file'][accept*='.xlsx']"


def test_behind_a_forwarder_the_data_cannot_change_without_the_credential(tmp_path):
    _browser_available()
    db = tmp_path / "store.duckdb"
    Store(db).load(read_paths([SAMPLE]), user="sample", action="sample")
    env = {"CCM_OPEN_LOCAL": "", "CCM_ADMIN_PASSWORD": "", "CCM_ADMIN_TOKEN": TOKEN, "CCM_LINK_CODE": CODE}
    with running_app(db=db, env=env) as url, forwarder(int(url.rsplit(":", 1)[1])) as (proxied, _), \
            launch_browser() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        visit(page, proxied, "data")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "data-behind-forwarder-locked.png"))
        restore = page.get_by_role("button", name="Restore the sample data")
        assert page.locator(UPLOADER).is_disabled() and restore.is_disabled()
        assert page.get_by_text("start-up token", exact=False).first.is_visible()

        visit(page, proxied, "data", query="code=not-the-code")
        assert page.get_by_text("is not valid for this server", exact=False).first.is_visible()
        assert page.locator(UPLOADER).is_disabled()
        assert Store(db).version() == 1

        visit(page, proxied, "data", query=f"code={CODE}")
        assert "code" not in page.url  # removed from the address (and the history entry) once used
        assert not page.locator(UPLOADER).is_disabled()
        page.get_by_role("button", name="Restore the sample data").click()
        page.get_by_text("Sample data restored as version 2").wait_for(timeout=30_000)
        wait_drawn(page)
        assert Store(db).version() == 2

        other = browser.new_page()  # another browser session through the same forwarder: locked again,
        visit(other, proxied, "data", query=f"code={CODE}")  # and the link works once only
        assert other.get_by_text("has been used already", exact=False).first.is_visible()
        assert other.locator(UPLOADER).is_disabled()
