"""Issue 25 in Chromium: a day typed in the sidebar applies on Enter and on Tab (items 3); on a phone, table
captions wrap and wide tables say they scroll (item 7). Screenshots under /tmp/shots-frictions/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser_support import visit
from .test_browser import app_url, browser  # noqa: F401  (the sample's app, Chromium)

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots-frictions")
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DAY_PARTS = '[data-testid="stDateInput"] [role="spinbutton"]'
CALENDAR = '[data-testid="stDateInputCalendar"]'


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("key", ["Enter", "Tab"])
def test_a_day_typed_in_the_sidebar_applies_on_enter_and_on_tab_and_the_calendar_closes(app_url, browser, key):
    url, _ = app_url
    page = browser.new_page(viewport=DESKTOP)
    visit(page, url, "budget", as_of="2018-09-05")
    page.locator(DAY_PARTS).first.click()
    assert page.locator(CALENDAR).count() == 1  # clicking the day opens the calendar
    page.keyboard.type("05102018")
    page.keyboard.press(key)
    page.wait_for_url(re.compile(r"as_of=2018-10-05"), timeout=30_000)
    page.wait_for_function("document.querySelector('[data-testid=stMain]').innerText.includes("
                           "'Figures as at 5 October 2018')", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector(CALENDAR, state="detached", timeout=30_000)
    assert "Figures as at 5 October 2018" in page.inner_text("[data-testid=stMain]")
    assert "Showing 5 October 2018" in page.inner_text("[data-testid=stSidebar]")
    if key == "Tab":  # the focus went on to the control after the field, not into the calendar
        assert page.evaluate("!document.activeElement.closest('[data-testid=stDateInput]')")
    shot(page, f"day-typed-{key.lower()}-1440x900")
    page.close()
