"""In the browser: overdue by State shows each State once; a contact logged on the page is stored."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from .browser_support import launch_browser, running_app, visit, wait_drawn
from .test_working_groups import EXTENSIONS, FOLLOWUPS, MEETINGS, OBLIGATIONS, REPORTS, STATES, _load

pytestmark = pytest.mark.browser

GRID_TEXT = ("() => [...document.querySelectorAll('[data-testid=stDataFrame] td, .ccm-table td, .ccm-table tbody th')]"
             ".map(e => e.textContent)")


def test_overdue_by_state_shows_malawi_once_and_a_contact_logged_there_is_stored(tmp_path):
    from ccm_analytics.store import Store

    # Hand-made data (tests/test_working_groups.py): on 2014-09-05 Malawi owes its initial report
    # and the annual reports for 2012 and 2013, three overdue reports.
    store = Store(tmp_path / "wg.duckdb")
    _load(store, states=STATES, reports=REPORTS, followups=FOLLOWUPS, obligations=OBLIGATIONS,
          extensions=EXTENSIONS, meetings=MEETINGS)
    with running_app(db=store.path) as url, launch_browser() as browser:
        page = browser.new_context(viewport={"width": 1440, "height": 1400}).new_page()
        visit(page, url, "reports", "2014-09-05", "reports_tab=overdue")
        cells = page.evaluate(GRID_TEXT)
        assert cells.count("Malawi") == 1
        assert "Initial; Annual 2012, 2013" in cells
        assert "Missed: 31 Aug 2014" in cells
        visit(page, url, "reports", "2014-09-05", "reports_tab=overdue&od_view=Each+report")
        assert page.evaluate(GRID_TEXT).count("Malawi") == 3  # the second view: one row per report
        visit(page, url, "reports", "2014-09-05", "reports_tab=overdue")
        # the reminder letters download at once (the button does not rerun the page): one per State
        with page.expect_download(timeout=60000) as dl:
            page.get_by_role("button", name="Download 2 letters in English (.zip)").click()
        assert dl.value.suggested_filename == "ccm-article7-reminders-2014-09-05-en.zip"
        with zipfile.ZipFile(dl.value.path()) as z:
            assert sorted(n[:3] for n in z.namelist()) == ["MWI", "ZMB"]
            assert all(n.endswith(".docx") for n in z.namelist())
        page.get_by_label("By", exact=True).first.fill("Co-chair")
        page.get_by_role("button", name="Log the contact").click()
        page.get_by_text("Logged: follow-up with 2 States").wait_for(timeout=30000)
        wait_drawn(page)
        f = store.data().followups
        new = f[f["by"] == "Co-chair"]
        assert sorted(new["iso3"]) == ["MWI", "ZMB"]
        assert set(new["date"]) == {pd.Timestamp("2014-09-05")} and set(new["channel"]) == {"letter"}
        assert page.evaluate(GRID_TEXT).count("5 Sep 2014 · letter") == 2

        # the State picker finds a State by its other usual name
        visit(page, url, "state", "2014-09-05")
        page.locator("[data-testid=stSelectbox]").filter(has_text="State").locator("input").click()
        page.keyboard.type("Ivory Coast")
        page.get_by_role("option", name="Côte d'Ivoire (Ivory Coast)").click()
        page.get_by_role("heading", name="Côte d'Ivoire").wait_for(timeout=30000)
        assert "state=CIV" in page.url
