"""Provenance per row (issue 25, item 5; DOMAIN §3b): each stored row says whether it is the bundled sample's,
kept when real rows join (a logged contact, appended spend) and on rollback; the pages say how much of what
they show is illustrative."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccm_analytics import dataops
from ccm_analytics import provenance as prov
from ccm_analytics.data import SAMPLE_COLUMN
from ccm_analytics.reading import read_paths
from ccm_analytics.store import Store

from .conftest import ROOT
pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # AppTest runs as on a server

SAMPLE_CONTACTS = 72  # the sample workbook's Followups sheet, all dated up to 21 September 2020
SAMPLE_SPEND = 176  # its Spend sheet: one row per day and cost line, up to 31 December 2020
# Three payments of 20 December 2020, a day the sample's ledger has none (spend must fall in a budget year,
# and the sample's budgets end with 2020).
LATE_DECEMBER = ("date,cost_line,amount,description\n"
                 "2020-12-20,Communication,480.00,Printing of the annual report\n"
                 "2020-12-20,Salaries,1200.00,Overtime\n"
                 "2020-12-20,Social charges,120.00,Overtime charges\n")


@pytest.fixture
def store(store_path):
    """A copy of the sample store (conftest's), set as CCM_DB."""
    return Store(store_path)


def with_one_real_contact(store: Store) -> None:
    dataops.add_followup(store, "GTM", dt.date(2020, 10, 1), "call", note="Report promised", by="Desk officer")


def with_late_december_spend(store: Store) -> None:
    check = dataops.check_upload(store, [("spend.csv", LATE_DECEMBER.encode())], today=pd.Timestamp("2021-02-15"),
                                 append=True)
    assert check.ok and check.appended.added == 3
    dataops.store_upload(store, check, user="me")


def test_every_row_of_the_bundled_sample_is_marked_and_a_users_own_file_is_not(store, tmp_path):
    data = store.snapshot()[1]
    assert data.followups[SAMPLE_COLUMN].all() and data.states[SAMPLE_COLUMN].all()
    own = tmp_path / "meetings.csv"
    own.write_text("meeting,start_date,end_date,location,kind,sponsored_delegates,sponsored_states,sponsorship_cost\n"
                   "Workshop,2021-03-01,2021-03-02,Geneva,Workshop,0,0,0\n", encoding="utf-8")
    store.load(read_paths([own]), user="me")
    data = store.snapshot()[1]
    assert not data.meetings[SAMPLE_COLUMN].any() and data.followups[SAMPLE_COLUMN].all()


def test_one_real_contact_logged_on_the_sample_leaves_the_sample_contacts_illustrative(store):
    with_one_real_contact(store)
    log = store.snapshot()[1].followups
    assert len(log) == SAMPLE_CONTACTS + 1
    real = log[~log[SAMPLE_COLUMN]]
    assert list(real["iso3"]) == ["GTM"] and list(real["channel"]) == ["call"]
    counts = prov.sample_rows(store.snapshot()[1])
    assert counts["followups"] == (72, 73)
    assert prov.sample_share("followups", counts) == "72 of 73 rows are illustrative sample rows"
    store.rollback()  # back to the sample alone: its rows are still the sample's
    assert prov.sample_rows(store.snapshot()[1])["followups"] == (72, 72)
    assert prov.sample_share("followups", prov.sample_rows(store.snapshot()[1])) == ""


def test_spend_appended_to_the_sample_ledger_is_the_users_and_the_rest_stays_illustrative(store):
    with_late_december_spend(store)
    rows = store.snapshot()[1].spend
    assert len(rows) == SAMPLE_SPEND + 3
    assert rows.loc[rows["date"] == "2020-12-20", SAMPLE_COLUMN].tolist() == [False, False, False]
    assert rows.loc[rows["date"] != "2020-12-20", SAMPLE_COLUMN].all()
    daily = store.snapshot(ledger="daily")[1]  # what the pages read: the same flags per day and cost line
    assert prov.sample_rows(daily)["spend"] == (176, 179)
    # As at 19 December 2020 the appended payments are not yet knowable: every spend row shown is the sample's.
    n, total = prov.sample_rows(daily.as_at(pd.Timestamp("2020-12-19")))["spend"]
    assert n == total == SAMPLE_SPEND - 2  # the sample's two rows of 31 December are after the day


def test_a_store_made_before_rows_knew_their_provenance_is_marked_from_its_history(store):
    import duckdb

    with_one_real_contact(store)
    from ccm_analytics.store import settle

    settle()
    con = duckdb.connect(str(store.path))
    con.execute("UPDATE followups SET _sample = NULL")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()
    counts = prov.sample_rows(Store(store.path).snapshot()[1])
    # Version 1 (the sample) wrote the first revision of the log: all 72 rows; version 2 (the contact) wrote a
    # new revision, every row of which was written by the user's load: none is marked (the history cannot
    # tell them apart).
    assert "followups" not in counts
    assert Store(store.path).snapshot(1)[1].followups[SAMPLE_COLUMN].all()


def page(path: str, day: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["as_of"] = day
    at.switch_page(path)
    return at.run()


def notices(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def test_the_reports_page_says_how_many_follow_up_rows_are_illustrative_after_a_real_contact(store):
    with_one_real_contact(store)
    text = notices(page("pages/reports.py", "2020-12-01"))
    assert "the follow-up log of contacts: 72 of 73 rows are illustrative sample rows" in text


def test_the_budget_page_says_how_much_spend_is_illustrative_after_appended_payments(store):
    with_late_december_spend(store)
    text = notices(page("pages/budget.py", "2020-12-31"))
    assert "spend: 176 of 179 rows are illustrative sample rows" in text
    text = notices(page("pages/budget.py", "2020-12-19"))  # before the appended payments: all the sample's
    assert "**illustrative**" in text and "rows are illustrative sample rows" not in text
