"""In Chromium: a visitor who may not change data cannot upload a letterhead (DOMAIN.md §7, §9). A module of
its own: it starts its own app behind a forwarder and its own browser."""

from __future__ import annotations

import pytest

from ccm_analytics.reading import read_paths
from ccm_analytics.store import Store

from .browser_support import forwarder, launch_browser, running_app, visit
from .conftest import ROOT, SAMPLE
from .conftest import browser_available as _browser_available

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"


def test_a_visitor_who_may_not_change_data_cannot_upload_a_letterhead(tmp_path):
    _browser_available()
    db = tmp_path / "store.duckdb"
    Store(db).load(read_paths([SAMPLE]), user="sample", action="sample")
    env = {"CCM_OPEN_LOCAL": "", "CCM_ADMIN_PASSWORD": ""}
    with running_app(db=db, env=env) as url, forwarder(int(url.rsplit(":", 1)[1])) as (proxied, _), \
            launch_browser() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        visit(page, proxied, "reports", as_of="2018-09-05", query="reports_tab=overdue")
        page.get_by_text("Use your own letterhead", exact=False).first.click()
        page.get_by_text("Only an editor or an admin can set a letterhead", exact=False).first.wait_for(
            timeout=30_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "letterhead-visitor.png"))
        assert page.locator("[data-testid='stFileUploader'] input[type='file'][accept*='.docx']").count() == 0
