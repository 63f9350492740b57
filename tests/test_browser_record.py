"""The Article 3 and 4 record in a real browser: as at a day, no page tells of later events."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccm_analytics.reading import read_paths
from ccm_analytics.store import Store

from .browser_support import CHROMIUM, launch_browser, running_app, visit, wait_drawn
from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
MAIN = "[data-testid='stMain']"


@pytest.fixture(scope="module")
def record_app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (make browser).")
        pytest.skip("Chromium is not installed (make browser installs it).")
    SHOTS.mkdir(parents=True, exist_ok=True)
    db = tmp_path_factory.mktemp("record") / "store.duckdb"
    Store(db).load(read_paths([SAMPLE]), user="sample", action="sample")
    with running_app(db=db) as url, launch_browser() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 2000})
        yield url, page
        page.close()


def every_tab_text(page) -> str:
    """The page's text with each of its tabs opened in turn."""
    text = page.inner_text(MAIN)
    for tab in page.get_by_role("tab").all():
        tab.click()
        wait_drawn(page)
        text += "\n" + page.inner_text(MAIN)
    return text


def test_deadlines_and_the_state_profile_as_at_2018_tell_nothing_of_2023(record_app):
    url, page = record_app
    visit(page, url, "deadlines", as_of="2018-09-05")
    text = every_tab_text(page)
    assert "Still to destroy" in text and "Guinea-Bissau (Art. 3, 1 May 2019)" in text
    assert "2023" not in text  # Bulgaria completed in June 2023, Peru in December 2023
    page.get_by_role("tab", name="Timeline").click()
    wait_drawn(page)
    page.screenshot(path=str(SHOTS / "deadlines-2018-09-05.png"))

    visit(page, url, "state", as_of="2018-09-05", query="state=BGR")
    text = page.inner_text(MAIN)
    assert "The Convention binds it: it must destroy its stockpiled cluster munitions by 1 October 2019" in text
    assert "2023" not in text
    assert "Requested an extension" not in text  # Bulgaria asked first in April 2019


def test_the_same_profile_later_tells_the_whole_story_with_its_sources(record_app):
    url, page = record_app
    visit(page, url, "state", as_of="2024-06-30", query="state=BGR")
    text = page.inner_text(MAIN)
    assert "Stockpile destruction completed in June 2023: 186,349 submunitions destroyed" in text
    assert text.index("Requested an extension to 1 April 2021") < text.index("Extension granted at the 9MSP")
    links = page.locator(f"{MAIN} a[href^='http']").evaluate_all("els => els.map(e => e.href)")
    assert any("the-monitor.org/en-gb/reports/2023/bulgaria" in h for h in links)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "state-bgr-2024-06-30.png"))
