"""In Chromium: the State profile as at a day before a ratification (DOMAIN.md §3a)."""

from __future__ import annotations

import pytest

from .browser_support import visit
from .conftest import ROOT

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
