"""The app in a real browser (Debian's Chromium through Playwright): every page draws, no error box,
the as-of day survives navigation, and an upload changes the numbers.

Screenshots of every page are saved under tests/artifacts/screenshots/. Without Chromium the
tests are skipped, except in CI (``CI`` set), where a missing browser is a failure.
"""

from __future__ import annotations


import pytest

from ccm_analytics.reading import read_paths
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.store import Store

from .browser_support import PAGES, visit, wait_drawn
from .conftest import copy_store, EXAMPLES, ROOT, SAMPLE

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
ERROR_BOX = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def test_every_page_draws_without_an_error(app_url, page):
    url, _ = app_url
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in PAGES.items():
        seconds = visit(page, url, path, as_of="2018-09-05", query="state=BGR" if name == "state" else "")
        assert page.locator(ERROR_BOX).count() == 0, f"error box on {name}"
        assert "5 September 2018" in page.inner_text('[data-testid="stMain"]'), name
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        assert seconds < 60


def test_the_state_page_reads_the_state_from_the_address(app_url, page):
    url, _ = app_url
    visit(page, url, "state", as_of="2018-09-05", query="state=BGR")
    main = page.inner_text('[data-testid="stMain"]')
    assert "Bulgaria" in main and "1 Oct 2011" in main


def test_the_as_of_day_is_kept_when_moving_between_pages(app_url, page):
    url, _ = app_url
    visit(page, url, "", as_of="2018-09-05")
    page.get_by_role("link", name="Deadlines").first.click()
    page.wait_for_url("**/deadlines**")
    wait_drawn(page)
    assert "as_of=2018-09-05" in page.url
    assert "5 September 2018" in page.inner_text('[data-testid="stMain"]')


def test_an_upload_through_the_data_page_changes_the_numbers(app_url, page, tmp_path):
    url, db = app_url
    backup = tmp_path / "before.duckdb"
    copy_store(db, backup)
    expected = Store(db).version() + 1
    try:
        visit(page, url, "budget", as_of="2018-09-05")
        sample_spent = compute_metrics(read_paths([SAMPLE]).data, "2018-09-05")["budget"]["spent"]
        assert f"{sample_spent:,.0f}" in page.inner_text('[data-testid="stMain"]')  # "Spent to date (CHF)"
        visit(page, url, "data", as_of="2018-09-05")
        page.set_input_files("[data-testid='stFileUploader'] input[type='file']", str(EXAMPLES / "tiny.xlsx"))
        page.get_by_text("The files are valid").wait_for(timeout=30000)
        page.get_by_role("button", name="Store this data").click()
        page.get_by_text(f"Stored as version {expected}").wait_for(timeout=30000)
        visit(page, url, "budget", as_of="2018-09-05")
        assert "284,929" in page.inner_text('[data-testid="stMain"]')
        page.screenshot(path=str(SHOTS / "budget-after-upload.png"))
    finally:
        Store(db).rollback(to=expected - 1)


def test_a_broken_upload_shows_the_cell_and_changes_nothing(app_url, page, tmp_path):
    url, db = app_url
    before = Store(db).version()
    bad = tmp_path / "spend.csv"
    bad.write_text("date,cost_line,amount\n2018-01-31,Salaries,100\n03/04/2018,Salaries,5\n")
    visit(page, url, "data", as_of="2018-09-05")
    page.set_input_files("[data-testid='stFileUploader'] input[type='file']", str(bad))
    page.get_by_text("Not loaded").wait_for(timeout=30000)
    page.screenshot(path=str(SHOTS / "data-upload-error.png"))
    assert Store(db).version() == before


def test_the_overview_builds_the_deck_and_the_sidebar_the_workbook(app_url, page, tmp_path):
    import io

    from openpyxl import load_workbook
    from pptx import Presentation

    url, _ = app_url
    visit(page, url, "", as_of="2018-09-05")
    page.get_by_label("Meeting title (first slide)").fill("Eighth Meeting of States Parties")
    page.keyboard.press("Enter")
    wait_drawn(page)
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="Download the meeting deck (.pptx)").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.name == "ccm-meeting-deck-2018-09-05.pptx"
    prs = Presentation(io.BytesIO(path.read_bytes()))
    assert prs.slides[0].shapes.title.text == "Eighth Meeting of States Parties"
    assert prs.slides[2].shapes.title.text == "Universalization: 104 States Parties"  # after the key messages
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="All tables (.xlsx)").click()
    book = tmp_path / dl.value.suggested_filename
    dl.value.save_as(book)
    assert book.name == "ccm-analysis-2018-09-05.xlsx"
    assert load_workbook(book)["About"]["B2"].value.date().isoformat() == "2018-09-05"


def test_several_sessions_at_once_while_loads_commit(app_url, browser):
    import threading

    from ccm_analytics.data import CcmData
    from ccm_analytics.reading.load import LoadResult

    from .crash_worker import frames

    url, db = app_url
    start_version = Store(db).version()
    stop, committed = threading.Event(), threading.Event()
    loads, failures = [0], []

    def loader():
        store = Store(db)
        marker = 1.0
        while not stop.is_set():
            try:
                f = frames(marker, 2000)
                store.load(LoadResult(f, CcmData.from_frames(f), [], []), user="concurrency test")
                loads[0] += 1
                committed.set()
            except Exception as e:  # noqa: BLE001
                failures.append(e)
            marker += 1
            stop.wait(1.0)  # a load a second at most while the pages are read (returns at once when stopped)

    contexts = [browser.new_context(viewport={"width": 1280, "height": 1200}) for _ in range(3)]
    pages = [c.new_page() for c in contexts]
    thread = threading.Thread(target=loader)
    thread.start()
    try:
        for path in ("budget", "reports"):
            committed.clear()
            for p in pages:
                p.goto(f"{url}/{path}?as_of=2018-09-05", wait_until="commit")
            for p in pages:
                wait_drawn(p)
                assert p.locator(ERROR_BOX).count() == 0, p.inner_text('[data-testid="stMain"]')[:500]
            # a load committed while this round's pages were read, or (if they were quicker) just after
            assert committed.wait(60) or failures, "no load committed"
    finally:
        stop.set()
        thread.join(timeout=60)
        for c in contexts:
            c.close()
        Store(db).rollback(to=start_version)
    assert not failures, failures[:3]
    assert loads[0] >= 2
