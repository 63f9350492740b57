"""In Chromium: the State profile as at a day before a ratification (DOMAIN.md §3a), and a visitor who may
not change data cannot upload a letterhead (DOMAIN.md §7, §9)."""

from __future__ import annotations

import pytest

from ccm_analytics.io import read_paths
from ccm_analytics.store import Store

from .browser_support import forwarder, launch_browser, running_app, visit
from .conftest import ROOT, SAMPLE
from .conftest import browser_available as _browser_available

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
MAIN = '[data-testid="stMain"]'


def test_a_state_that_ratified_after_d_shows_as_a_signatory_with_no_later_date(app_url, page):
    # Peru signed on 3 Dec 2008 and deposited on 26 Sep 2012 (in force 1 Mar 2013): on 1 June 2012 it is a
    # signatory, and neither later day is on the page.
    url, _ = app_url
    visit(page, url, "state", as_of="2012-06-01", query="state=PER")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "state-peru-2012-06-01.png"))
    main = page.inner_text(MAIN)
    assert "Peru" in main and "Signatory" in main and "3 Dec 2008" in main
    for later in ("26 Sep 2012", "1 Mar 2013", "2012-09-26", "2013-03-01", "26 September 2012", "1 March 2013"):
        assert later not in main, later
    visit(page, url, "state", as_of="2012-10-01", query="state=PER")
    main = page.inner_text(MAIN)
    assert "26 Sep 2012" in main and "1 Mar 2013" in main  # known from the deposit on


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
