"""Issue 25 in Chromium: a day typed in the sidebar applies on Enter and on Tab (items 3); on a phone, table
captions wrap and wide tables say they scroll (item 7). Screenshots under /tmp/shots-frictions/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browser_support import visit

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


def test_on_a_phone_a_table_caption_wraps_whole_and_a_wide_table_says_it_scrolls(app_url, browser):
    url, _ = app_url
    phone = browser.new_page(viewport=PHONE)
    visit(phone, url, "budget", as_of="2018-09-05")
    box = phone.locator(".ccm-table-box").first
    caption = box.locator(".ccm-table-caption")
    # The Budget page's cost lines: "Cost lines: 3 lines off budget by more than 10.0% at year-end (listed first)."
    assert caption.is_visible()
    assert caption.inner_text().endswith("at year-end (listed first).")
    shape = caption.bounding_box()
    assert shape["x"] >= 0 and shape["x"] + shape["width"] <= PHONE["width"]  # wrapped within the screen
    assert shape["height"] > 30  # on more than one line
    phone.wait_for_selector(".ccm-table-box.ccm-scrolls .ccm-scroll-hint", state="visible", timeout=30_000)
    assert box.locator(".ccm-scroll-hint").inner_text() == "Swipe or scroll sideways to see the whole table →"
    caption.scroll_into_view_if_needed()
    shot(phone, "budget-table-390x844")
    phone.close()
    desk = browser.new_page(viewport=DESKTOP)  # the same table fits a desktop screen: no hint, the caption in place
    visit(desk, url, "budget", as_of="2018-09-05")
    first = desk.locator(".ccm-table-box").first
    assert not first.locator(".ccm-scroll-hint").is_visible() and not first.locator(".ccm-table-caption").is_visible()
    assert first.locator("caption").is_visible()
    first.scroll_into_view_if_needed()
    shot(desk, "budget-table-1440x900")
    desk.close()


def contrast(fore: str, back: str) -> float:
    def luminance(rgb: str) -> float:
        r, g, b = (int(x) / 255 for x in re.findall(r"\d+", rgb)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fore), luminance(back)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_is_worked_out_as_wcag_says():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 2) == 21.0
    assert round(contrast("rgb(86, 97, 109)", "rgb(255, 255, 255)"), 1) == 6.3  # #56616d on white


def test_the_hint_of_a_locked_uploader_is_readable(tmp_path, browser):
    from axe_playwright_python.sync_playwright import Axe

    from ccm_analytics.reading import read_paths
    from ccm_analytics.store import Store

    from .browser_support import running_app
    from .conftest import SAMPLE

    db = tmp_path / "store.duckdb"
    Store(db).load(read_paths([SAMPLE]), user="sample", action="sample")
    env = {"CCM_OPEN_LOCAL": "", "CCM_ADMIN_PASSWORD": "frictions-pass-0123", "CCM_ADMIN_TOKEN": ""}
    with running_app(db=db, env=env) as url:
        page = browser.new_page(viewport=DESKTOP)
        visit(page, url, "data", as_of="2018-09-05")
        zone = page.locator('[data-testid="stFileUploaderDropzone"][aria-disabled="true"]').first
        zone.scroll_into_view_if_needed()
        # axe-core skips a disabled element's text, so the contrast is measured here (WCAG 2.1 relative luminance)
        hint = zone.locator('[data-testid="stFileUploaderDropzoneInstructions"] [disabled]')
        colour, ground = hint.evaluate("""e => {
            let g = e, bg = 'rgba(0, 0, 0, 0)';
            while (g && (bg = getComputedStyle(g).backgroundColor) === 'rgba(0, 0, 0, 0)') g = g.parentElement;
            return [getComputedStyle(e).color, bg]; }""")
        assert colour == "rgb(86, 97, 109)"  # #56616d, the captions' grey, no longer faded to 40%
        assert contrast(colour, ground) >= 4.5, (colour, ground)
        bad = [v for v in Axe().run(page).response["violations"] if v["id"] == "color-contrast"]
        assert not bad, [(n["target"], n["any"][0]["message"]) for v in bad for n in v["nodes"]]
        shot(page, "locked-uploader-1440x900")
        page.close()
