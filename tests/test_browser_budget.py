"""The Budget page in Chromium: the year's answers sit above the fold at 1440x900 (DOMAIN §8).

Screenshots are saved under tests/artifacts/screenshots/ (budget-fold-*.png).
"""

from __future__ import annotations

import pytest

from ccm_analytics.store import Store

from .browser_support import launch_browser, running_app, visit, wait_drawn
from .conftest import ROOT, SAMPLE
from .conftest import browser_available as _browser_available
from .test_browser import ERROR_BOX

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CARDS = ["Budget 2018 (CHF)", "Spent to date (CHF)", "Projected year-end (CHF)", "Funding received (CHF)",
         "Funding gap (CHF)"]


@pytest.fixture(scope="module")
def budget_app(tmp_path_factory):
    _browser_available()
    from ccm_analytics.reading import read_paths

    db = tmp_path_factory.mktemp("budget") / "store.duckdb"
    Store(db).load(read_paths([SAMPLE]), user="sample", action="sample")
    with running_app(db=db) as url, launch_browser() as browser:
        yield url, browser


def bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_the_headline_and_every_flagged_line_are_above_the_fold_at_1440x900(budget_app):
    url, browser = budget_app
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        visit(page, url, "budget", as_of="2018-09-05")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "budget-fold-1440x900.png"))
        assert page.locator(ERROR_BOX).count() == 0
        metrics = page.locator(".ccm-metric")
        labels = [metrics.nth(i).locator(".ccm-metric-label").inner_text() for i in range(metrics.count())]
        assert labels[:5] == CARDS
        for i in range(5):
            assert bottom(metrics.nth(i)) <= 900, labels[i]
        assert bottom(page.get_by_text("No range yet", exact=False).first) <= 900  # the range (or why none), not in a tooltip
        assert bottom(page.get_by_text("Same day last year", exact=False).first) <= 900
        lines = page.locator(':is([data-testid="stDataFrame"], .ccm-table)').first  # every cost line with its outlook
        assert bottom(lines) <= 900
    finally:
        page.close()


def test_a_finished_year_says_actual_and_the_phone_layout_starts_with_the_figures(budget_app):
    url, browser = budget_app
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        visit(page, url, "budget", as_of="2018-09-05")
        page.locator("[data-testid=\"stButtonGroup\"] button").filter(has_text="2017").first.click()
        page.get_by_text("Actual year-end (CHF)").wait_for(timeout=30000)
        wait_drawn(page)
        assert page.get_by_text("Projected year-end (CHF)").count() == 0
    finally:
        page.close()
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        visit(phone, url, "budget", as_of="2018-09-05")
        collapse = phone.locator('[data-testid="stSidebarCollapseButton"] button')
        if collapse.count() and collapse.first.is_visible():
            collapse.first.click()
            phone.wait_for_timeout(500)
        phone.screenshot(path=str(SHOTS / "budget-fold-390x844.png"))
        assert phone.locator(ERROR_BOX).count() == 0
        first = phone.locator(".ccm-metric").first
        assert first.bounding_box()["y"] < 844  # the budget figure starts on the first screen
    finally:
        phone.close()


def test_a_table_downloads_as_csv_with_its_readable_headers(budget_app, tmp_path):
    """The CSV is written when the button is clicked (not on every run): same name, same content."""
    url, browser = budget_app
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        visit(page, url, "budget", as_of="2018-09-05")
        with page.expect_download(timeout=60000) as dl:
            page.get_by_role("button", name="Download CSV").first.click()
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        assert path.name == "ccm-budget-lines-2018-2018-09-05.csv"
        text = path.read_text(encoding="utf-8-sig")
        assert text.splitlines()[0].startswith("Cost line,Outlook,")
        # 2018-09-05: two past years, so no range; Social charges' year-end 63,194 is 0.3% under its 63,386
        assert "Salaries" in text and "Social charges,May end under budget" in text
    finally:
        page.close()
