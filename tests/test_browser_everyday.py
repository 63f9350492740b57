"""Everyday use in a real browser (issue 10): offline, honest notices, phones, accessibility, speed.

One crawl visits every page and every tab at 1440x900 and keeps what a user and a screen
reader get (text, table cells, chart titles, every request, axe-core's findings); the tests
below each check one promise on it. Other tests drive one flow each (typing a day, a bad
address, an upload, a roll-back, a phone). Screenshots go to tests/artifacts/screenshots/everyday/.
"""

from __future__ import annotations

import getpass

import re

import pytest

from ccm_analytics.reading import read_paths
from ccm_analytics.store import Store

from .browser_support import PAGES, forwarder, rerun, running_app, visit, wait_drawn
from .conftest import EXAMPLES, ROOT, SAMPLE

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots" / "everyday"
SHOTS.mkdir(parents=True, exist_ok=True)
DAY = "2018-09-05"
MAIN = '[data-testid="stMain"]'
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# Words a blank cell or a failed conversion leaves behind.
BLANK_WORDS = re.compile(r"\b(None|nan|NaN|NaT)\b")


def _query(name: str) -> str:
    return "state=BGR" if name == "state" else ""


def _landed(page, path: str) -> None:
    """Wait until the browser's address shows the page (``page.url`` can lag behind a pushState)."""
    page.wait_for_function(f"() => location.pathname.replace(/\\/$/, '').endsWith('/{path}')", timeout=15000)
    wait_drawn(page)


def _nav(page, title: str):
    return page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title, exact=True)


def _sample_store(path):
    Store(path).load(read_paths([SAMPLE]), user="sample", action="sample")
    return path


def _observe(page, where: str, requests: list[str]) -> dict:
    """What a user and a screen reader get from the page as drawn now."""
    from axe_playwright_python.sync_playwright import Axe

    seen = page.evaluate(r"""() => {
      const main = document.querySelector('[data-testid="stMain"]');
      const squash = t => (t || "").replace(/\s+/g, "");
      const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => {
        const title = (c.querySelector('.gtitle') || {}).textContent || '';
        // the folded table under the chart names the chart's title in its summary
        let node = c, table = false;
        for (let up = 0; up < 6 && node && !table; up++, node = node.parentElement) {
          let next = node.nextElementSibling;
          for (let i = 0; i < 2 && next && !table; i++, next = next.nextElementSibling) {
            const d = next.matches('details.ccm-chart-data') ? next : next.querySelector('details.ccm-chart-data');
            table = !!(d && d.querySelector('table') && squash(d.querySelector('summary').textContent).includes(squash(title)));
          }
        }
        return {title, table};
      });
      const cells = [...main.querySelectorAll('[data-testid="stDataFrame"] td, .ccm-table td, .ccm-table tbody th')]
        .map(td => td.textContent);
      const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
        .filter(h => h.offsetParent !== null).map(h => Number(h.tagName[1]));
      return {charts, cells, headings, text: document.body.innerText};
    }""")
    axe = Axe().run(page).response["violations"]
    seen.update(where=where, requests=list(requests), violations=[
        (v["id"], v["impact"], len(v["nodes"])) for v in axe])
    requests.clear()
    return seen


@pytest.fixture(scope="module")
def crawl(app_url, browser):
    """Every page, and every tab of it, as at 5 September 2018 on a laptop screen."""
    url, _ = app_url
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    views = []
    for name, path in PAGES.items():
        visit(page, url, path, as_of=DAY, query=_query(name))
        tabs = page.locator(f'{MAIN} [data-testid="stTab"]')
        labels = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())]
        views.append(_observe(page, f"{name} ({labels[0] if labels else 'page'})", requests))
        page.screenshot(path=str(SHOTS / f"{name}-1440.png"))
        for i, label in enumerate(labels[1:], start=1):
            with rerun(page):  # the tab is in the address: choosing one runs the page again
                tabs.nth(i).click()
            page.wait_for_function(f"() => document.querySelectorAll('{MAIN} [data-testid=stTab]')[{i}]"
                                   ".getAttribute('aria-selected') === 'true'")
            views.append(_observe(page, f"{name} ({label})", requests))
    context.close()
    return url, views


def test_no_request_leaves_the_machine_on_any_page(crawl):
    url, views = crawl
    # Every request of every page and tab goes to the app itself (or is an inline data/blob URL):
    # the tab icon used to come from fonts.gstatic.com and failed offline.
    for v in views:
        away = [r for r in v["requests"] if not r.startswith((url + "/", "data:", "blob:"))]
        assert not away, (v["where"], away)
    assert sum(len(v["requests"]) for v in views) > 0  # the recorder did record


def test_there_is_no_deploy_button_on_any_page(crawl):
    _, views = crawl
    for v in views:
        assert "Deploy" not in v["text"], v["where"]


def test_no_page_shows_none_nan_or_nat_in_its_text_or_tables(crawl):
    _, views = crawl
    checked_cells = 0
    for v in views:
        assert not BLANK_WORDS.findall(v["text"]), (v["where"], BLANK_WORDS.findall(v["text"]))
        # A table cell without a value is drawn "None" by Streamlit; ours say "–" instead, so an
        # empty cell in the table's accessible copy means a missing value got through.
        assert all(c.strip() for c in v["cells"]), (v["where"], "an empty table cell (drawn as None)")
        assert not any(BLANK_WORDS.fullmatch(c.strip()) for c in v["cells"]), v["where"]
        checked_cells += len(v["cells"])
    assert checked_cells > 500  # the deadlines, reports, budget, meetings ... tables were all read


def test_every_page_passes_axe_with_no_serious_or_critical_violation_and_headings_in_order(crawl):
    _, views = crawl
    for v in views:
        bad = [x for x in v["violations"] if x[1] in ("serious", "critical") or x[0] == "heading-order"]
        assert not bad, (v["where"], bad)
        levels = v["headings"]
        assert levels and levels[0] == 1, (v["where"], levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (v["where"], levels)


def test_every_chart_has_a_title_and_its_data_as_a_table(crawl):
    _, views = crawl
    charts = [(v["where"], c) for v in views for c in v["charts"]]
    assert len(charts) >= 15  # every page's charts, tab by tab
    for where, c in charts:
        assert c["title"].strip(), where
        assert c["table"], (where, c["title"], "no data table under the chart")


def test_a_day_typed_then_enter_then_a_click_on_another_page_lands_there(app_url, page):
    url, _ = app_url
    for attempt, with_enter in enumerate((True, True, False)):
        visit(page, url, "", as_of=DAY)
        page.locator('[data-testid="stDateInput"] [data-type="day"]').first.click()
        page.keyboard.type("05102018")
        if with_enter:
            page.keyboard.press("Enter")
        _nav(page, "Deadlines").click()
        _landed(page, "deadlines")
        main = page.inner_text(MAIN)
        assert page.locator("h1").first.inner_text() == "Deadlines", attempt
        assert "5 October 2018" in main, attempt  # the typed day was kept, too


def test_a_day_typed_then_a_click_at_once_lands_there_even_when_the_server_answers_late(app_url, browser):
    """The same, with the server's answers held back by a second (a busy server, or a slow network):
    the click comes before the rerun that commits the day has drawn the links anew, and still lands
    on the page clicked, as at the day typed."""
    url, _ = app_url
    page = browser.new_page(viewport=DESKTOP)
    with forwarder(int(url.rsplit(":", 1)[1])) as (proxied, lag):
        for attempt, with_enter in enumerate((True, False)):
            visit(page, proxied, "", as_of=DAY)
            page.locator('[data-testid="stDateInput"] [data-type="day"]').first.click()
            page.keyboard.type("05102018")
            lag.seconds = 1.0
            if with_enter:
                page.keyboard.press("Enter")
            _nav(page, "Deadlines").click()
            _landed(page, "deadlines")
            lag.seconds = 0.0
            wait_drawn(page)
            assert page.locator("h1").first.inner_text() == "Deadlines", attempt
            assert "5 October 2018" in page.inner_text(MAIN), attempt
            assert "as_of=2018-10-05" in page.url, attempt
    page.close()


def test_a_bad_day_in_the_address_is_said_on_the_page_not_silently_replaced(app_url, page):
    url, _ = app_url
    page.goto(f"{url}/reports?as_of=05/09/2018")
    wait_drawn(page)
    warning = page.locator(f'{MAIN} [data-testid="stAlertContentWarning"]').first.inner_text()
    assert "05/09/2018" in warning and "YYYY-MM-DD" in warning
    assert "as_of=2018-09-05" in warning  # read day first, as the sidebar writes days
    page.screenshot(path=str(SHOTS / "bad-address-day.png"))
    page.goto(f"{url}/reports?as_of=1999-01-01")  # a real day, before the Convention existed
    wait_drawn(page)
    assert "outside the days" in page.locator(f'{MAIN} [data-testid="stAlertContentWarning"]').first.inner_text()


def test_who_is_overdue_on_the_overview_opens_the_overdue_list(app_url, page):
    url, _ = app_url
    visit(page, url, "", as_of=DAY)
    page.get_by_role("link", name="Who is overdue").click()
    _landed(page, "reports")
    selected = page.locator(f'{MAIN} [data-testid="stTab"][aria-selected="true"]').inner_text()
    assert selected.strip() == "Overdue"
    assert "as_of=2018-09-05" in page.evaluate("location.search")
    assert "with reports overdue as at 5 Sep 2018, the longest overdue first" in page.inner_text(MAIN)


def test_the_donor_chart_label_is_not_clipped(app_url, page):
    url, _ = app_url
    visit(page, url, "budget", as_of=DAY, query="budget_tab=money")
    chart = page.locator(f'{MAIN} [data-testid="stPlotlyChart"]').filter(has_text="by donor").first
    # Every bar's amount label ("CHF 117k") ends inside the chart's drawing, and inside what the
    # screen shows of it (a chart that scrolls sideways would hide its right edge).
    edges = chart.evaluate("""c => {
        const svg = c.querySelector('.main-svg').getBoundingClientRect();
        const shown = (c.closest('[class*="st-key-wide-chart-"]') || c).getBoundingClientRect();
        return [...c.querySelectorAll('.bartext')].map(t => [t.getBoundingClientRect().right,
                                                             Math.min(svg.right, shown.right), t.textContent]); }""")
    assert edges, "no bar labels found"
    for right, limit, text in edges:
        assert right <= limit, text
        assert re.fullmatch(r"CHF [\d,.]+[km]?", text), text


def test_the_sample_notice_names_the_page_datasets_and_is_absent_when_all_are_the_users_own(tmp_path, browser):
    # The user's own budget, spend, contributions (the tiny example's CSVs) and pledges on top of the
    # sample: Budget shows only those four, so it carries no notice; Reports still shows the sample's
    # illustrative submission dates; Deadlines shows only the sample's public facts.
    db = _sample_store(tmp_path / "own.duckdb")
    pledges = tmp_path / "pledges.csv"  # the Budget page shows pledges too: the user's own, here
    pledges.write_text("donor,year,amount,pledged_on\nNorway,2018,10000,2018-01-15\n")
    own = [EXAMPLES / "input" / f"{n}.csv" for n in ("budget", "spend", "contributions")] + [pledges]
    Store(db).load(read_paths(own), user="ISU")
    with running_app(db=db) as url:
        page = browser.new_page(viewport=DESKTOP)
        try:
            visit(page, url, "budget", as_of=DAY)
            assert "illustrative" not in page.inner_text(MAIN)
            page.screenshot(path=str(SHOTS / "budget-own-data-no-notice.png"))
            visit(page, url, "reports", as_of=DAY)
            notice = page.locator(f'{MAIN} [data-testid="stAlertContentInfo"]').first.inner_text()
            assert "report submission dates" in notice and "illustrative" in notice
            assert "spend" not in notice and "contributions" not in notice
            visit(page, url, "", as_of=DAY)  # the overview shows reports (sample) and budget (own)
            notice = page.locator(f'{MAIN} [data-testid="stAlertContentInfo"]').first.inner_text()
            assert "report submission dates" in notice and "spend" not in notice
            visit(page, url, "deadlines", as_of=DAY)  # public facts: no notice at the top of the page...
            assert not page.locator(f'{MAIN} [data-testid="stAlertContentInfo"]').filter(has_text="illustrative").count()
            # ...and its Coming-up list (a tab, reached by the link under the deadlines) labels the
            # sample's meetings exactly where it shows them
            page.get_by_role("link", name="Everything that falls due").click()
            page.get_by_text("Meetings other than the Meetings of States Parties are the sample's: illustrative").wait_for()
            assert page.locator('[role="tab"][aria-selected="true"]').inner_text() == "Coming up"
            assert "dl_tab=coming" in page.url and f"as_of={DAY}" in page.url
        finally:
            page.close()


def test_the_history_says_who_rolled_back_even_without_a_name(tmp_path, browser):
    db = _sample_store(tmp_path / "rollback.duckdb")
    Store(db).load(read_paths([EXAMPLES / "input" / f"{n}.csv" for n in ("budget", "spend")]), user="ISU")
    with running_app(db=db) as url:
        page = browser.new_page(viewport=DESKTOP)
        try:
            visit(page, url, "data", as_of=DAY)
            page.get_by_text("I want to roll back the last change").click()
            wait_drawn(page)
            page.get_by_role("button", name="Roll back").click()
            page.get_by_text("Rolled back").wait_for(timeout=30000)
            wait_drawn(page)
            assert Store(db).history()[0].user == f"{getpass.getuser()} (CCM_OPEN_LOCAL)"
            history = page.locator(f'{MAIN} :is([data-testid="stDataFrame"], .ccm-table)').nth(1)
            cells = history.evaluate("t => [...t.querySelectorAll('tr')].map(r => [...r.children].map(c => c.textContent))")
            header = cells[0]
            newest = next(r for r in cells[1:] if r and "rollback" in r)
            assert newest[header.index("By")] == f"{getpass.getuser()} (CCM_OPEN_LOCAL)"
        finally:
            page.close()


def test_a_corrected_file_replaces_the_bad_one_instead_of_joining_it(app_url, page, tmp_path):
    url, db = app_url
    before = Store(db).version()
    bad, good = tmp_path / "bad" / "spend.csv", tmp_path / "good" / "spend.csv"
    bad.parent.mkdir()
    good.parent.mkdir()
    bad.write_text("date,cost_line,amount\n2018-01-31,Salaries,100\n03/04/2018,Salaries,5\n")
    good.write_text("date,cost_line,amount\n2018-01-31,Salaries,100\n2018-04-03,Salaries,5\n")
    visit(page, url, "data", as_of=DAY)
    uploader = "[data-testid='stFileUploader'] input[type='file']"
    page.set_input_files(uploader, str(bad))
    page.get_by_text("Not loaded").wait_for(timeout=30000)
    page.set_input_files(uploader, str(good))  # added to the list, as a user adding a file does
    page.get_by_text("The files are valid").wait_for(timeout=30000)
    main = page.inner_text(MAIN)
    assert "given twice" not in main and "Not loaded" not in main
    assert "replaced" in main
    page.screenshot(path=str(SHOTS / "data-corrected-upload.png"))
    assert Store(db).version() == before


# -- phones --------------------------------------------------------------------------------------

@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def _sidebar_collapsed(page) -> bool:
    return page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"


def test_on_a_phone_the_sidebar_starts_closed_and_closes_after_choosing_a_page(app_url, phone):
    url, _ = app_url
    visit(phone, url, "", as_of=DAY)
    assert _sidebar_collapsed(phone)
    phone.screenshot(path=str(SHOTS / "phone-overview.png"))
    phone.locator('[data-testid="stExpandSidebarButton"]').click()
    _nav(phone, "Deadlines").wait_for()
    assert not _sidebar_collapsed(phone)
    phone.screenshot(path=str(SHOTS / "phone-sidebar-open.png"))
    _nav(phone, "Deadlines").click()
    _landed(phone, "deadlines")
    phone.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').dataset.collapsed === 'true'",
                            timeout=5000)
    assert phone.locator("h1").first.inner_text() == "Deadlines"
    phone.screenshot(path=str(SHOTS / "phone-after-choosing.png"))


def test_on_a_phone_wide_charts_keep_a_readable_size_and_scroll_sideways(app_url, phone):
    url, _ = app_url
    for name, query in (("deadlines", ""), ("reports", "reports_tab=repeat"), ("budget", "")):
        visit(phone, url, name, as_of=DAY, query=query)
        if name == "reports":  # the state x year grid sits in an expander under the ranked list
            phone.get_by_text("Every State Party, every report (grid)").click()
            phone.locator(f'{MAIN} [data-testid="stPlotlyChart"] .nsewdrag').first.wait_for()
        chart = phone.locator(f'{MAIN} [data-testid="stPlotlyChart"]').first
        chart.scroll_into_view_if_needed()
        plot = chart.evaluate("""c => { const r = c.querySelector('.nsewdrag').getBoundingClientRect();
            const box = c.closest('[class*="st-key-wide-chart-"]');
            return {w: r.width, h: r.height, scrolls: box ? box.scrollWidth > box.clientWidth : false}; }""")
        # The deadline timeline was squeezed to a 78 px wide plot at 390 px; a plot area of at
        # least 300 x 200 px is readable, and the chart scrolls sideways to show it all.
        assert plot["w"] >= 300 and plot["h"] >= 200, (name, plot)
        assert plot["scrolls"], name
        phone.screenshot(path=str(SHOTS / f"phone-{name}-chart.png"))


def test_on_a_phone_tabs_wrap_inside_the_screen(app_url, phone):
    url, _ = app_url
    for name in ("reports", "budget", "meetings", "universalization"):
        visit(phone, url, name, as_of=DAY)
        tabs = phone.locator(f'{MAIN} [data-testid="stTab"]')
        for i in range(tabs.count()):
            box = tabs.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, tabs.nth(i).inner_text())
        phone.locator(f'{MAIN} [role="tablist"]').first.scroll_into_view_if_needed()
        phone.screenshot(path=str(SHOTS / f"phone-{name}-tabs.png"))


def test_on_a_phone_no_request_leaves_the_machine_and_axe_finds_nothing_serious(app_url, phone):
    from axe_playwright_python.sync_playwright import Axe

    url, _ = app_url
    requests: list[str] = []
    phone.on("request", lambda r: requests.append(r.url))
    for name, path in PAGES.items():
        visit(phone, url, path, as_of=DAY, query=_query(name))
        bad = [(v["id"], v["impact"]) for v in Axe().run(phone).response["violations"]
               if v["impact"] in ("serious", "critical")]
        assert not bad, (name, bad)
    assert not [r for r in requests if not r.startswith((url + "/", "data:", "blob:"))]
