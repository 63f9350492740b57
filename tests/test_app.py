"""Every page runs under Streamlit's AppTest against the sample data and shows the metrics' numbers."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import numpy as np

import pytest
from streamlit.testing.v1 import AppTest

from ccm_analytics import formatting as fmt
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.store import Store

from .conftest import EXAMPLES, ROOT, shown_metrics, shown_tables

PAGES = ["overview", "budget", "meetings", "reports", "deadlines", "universalization", "state", "workplan", "data"]
DAY = dt.date(2018, 9, 5)
pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # conftest: AppTest without a pages/ folder


def app(as_of: dt.date | None = DAY) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if as_of:
        at.query_params["as_of"] = as_of.isoformat()
    return at


def values(v) -> list:
    """Plotly JSON values: plain lists, or base64 typed arrays ({"dtype", "bdata"})."""
    if isinstance(v, dict) and "bdata" in v:
        return list(np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]))
    return list(v)


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in shown_metrics(at) if m.label == label]
    assert found, f"no metric {label!r} in {[m.label for m in shown_metrics(at)]}"
    return found[0]


def no_failure(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# Pages showing only the sample's public facts (States, treaty dates, Article 3/4 deadlines and
# extensions) carry no illustrative-data notice; every other page shows an illustrative dataset.
PUBLIC_ONLY = {"deadlines", "universalization"}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_sample_data(read_only_store, page):
    at = app()
    at.switch_page(f"pages/{page}.py").run()
    no_failure(at)
    assert at.title[0].value
    noticed = any("illustrative" in i.value for i in at.info)
    assert noticed == (page not in PUBLIC_ONLY), "the sample-data notice is missing or out of place"


def test_overview_shows_the_numbers_of_the_metrics_command(read_only_store, sample_data):
    at = app().run()
    no_failure(at)
    m = compute_metrics(sample_data, DAY)
    assert metric(at, "States Parties") == "104"
    assert metric(at, "Annual reports for 2017 on time") == fmt.pct(m["reporting"]["annual"]["compliance_rate"])
    assert metric(at, "Reports overdue now") == str(len(m["reporting"]["overdue"]))
    assert metric(at, "Budget 2018 spent") == fmt.pct(m["budget"]["burn_rate"])
    assert "As at 5 September 2018" in " ".join(x.value for x in at.markdown)


def test_the_navigation_is_one_list_per_section_marks_the_page_shown_and_carries_the_day(read_only_store):
    at = app().run()
    at.switch_page(str(ROOT / "pages/reports.py")).run()
    no_failure(at)
    pages = next(h.value for h in at.sidebar if h.type == "html" and "<nav class='ccm-nav'" in h.value)
    languages = next(h.value for h in at.sidebar if h.type == "html" and "<nav class='ccm-langs'" in h.value)
    assert pages.count("<ul aria-labelledby='ccm-nav-") == 5 and pages.count("<li>") == 10
    assert pages.count("aria-current='page'") == 1
    assert "<a href='./reports?as_of=2018-09-05' data-ccm-nav='reports' aria-current='page'>" in pages
    assert "<a href='./?as_of=2018-09-05' data-ccm-nav=''>" in pages  # the Overview, at the app's root
    # the same page in each language, each name in its own language, English without ?lang
    assert languages.count("<li>") == 3 and languages.count("aria-current='true'") == 1
    assert "<a href='./reports?as_of=2018-09-05' hreflang='en' lang='en' data-ccm-lang='en' aria-current='true'>" \
           "English</a>" in languages
    assert "<a href='./reports?as_of=2018-09-05&amp;lang=fr' hreflang='fr' lang='fr' data-ccm-lang='fr'>Français</a>" \
           in languages


def test_the_overview_cards_link_to_their_pages_with_the_day_and_the_tab_to_open(read_only_store):
    at = app().run()
    cards = next(h.value for h in at.main if h.type == "html" and "ccm-metrics" in h.value)
    assert cards.count("class='ccm-metric ccm-card'") == 6
    assert "href='./reports?as_of=2018-09-05&amp;reports_tab=overdue' data-ccm-nav='reports'>Who is overdue, by State" in cards


def test_the_as_of_day_changes_the_numbers(read_only_store):
    at = app().run()
    assert metric(at, "States Parties") == "104"
    at.date_input(key="as_of").set_value(dt.date(2017, 6, 1)).run()
    assert metric(at, "States Parties") == "101"  # Madagascar, deposited 2017-05-20, was the 101st
    at.switch_page("pages/universalization.py").run()
    assert metric(at, "States Parties") == "101"  # the day holds across pages


def test_budget_page_agrees_with_metrics(read_only_store, sample_data):
    at = app()
    at.switch_page("pages/budget.py").run()
    no_failure(at)
    b = compute_metrics(sample_data, DAY)["budget"]
    # the cards name the currency in their label: "Spent to date (CHF)" 302,494
    assert metric(at, "Budget 2018 (CHF)") == f"{b['budget']:,.0f}"
    assert metric(at, "Spent to date (CHF)") == f"{b['spent']:,.0f}"
    assert metric(at, "Projected year-end (CHF)") == f"{b['projection']['year_end']:,.0f}"
    assert metric(at, "Funding received (CHF)") == f"{b['received']:,.0f}"
    assert metric(at, "Funding gap (CHF)") == f"{b['funding_gap']:,.0f}"
    lines = shown_tables(at)[0]  # the cost lines, flagged (hot) lines first
    flagged = b["projection"]["flagged_lines"]
    assert list(lines["cost_line"])[:len(flagged)] == flagged
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)  # year against year: 2018 ends at D's spend
    this_year = next(tr for tr in figure["data"] if tr["name"] == "2018")
    assert values(this_year["y"])[-1] == pytest.approx(b["spent"])


def test_reports_and_deadlines_pages_agree_with_metrics(read_only_store, sample_data):
    m = compute_metrics(sample_data, DAY)
    at = app()
    at.switch_page("pages/reports.py").run()
    no_failure(at)
    assert metric(at, "Annual 2017: on time") == fmt.pct(m["reporting"]["annual"]["compliance_rate"])
    assert metric(at, "Reports overdue now") == str(len(m["reporting"]["overdue"]))
    at.switch_page("pages/deadlines.py").run()
    assert metric(at, "Destroyed") == str(m["stockpiles"]["destroyed"])
    assert metric(at, "Still to destroy") == str(m["stockpiles"]["still_to_destroy"])
    assert metric(at, "Destruction overdue") == str(m["stockpiles"]["overdue"])
    assert metric(at, "Completed clearance") == str(m["clearance"]["completed"])
    assert metric(at, "Clearance overdue") == str(m["clearance"]["overdue"])


def test_the_state_profile_shows_a_chosen_state(read_only_store):
    at = app()
    at.switch_page("pages/state.py").run()
    at.selectbox(key="state").set_value("BGR").run()
    no_failure(at)
    assert at.header[0].value == "Bulgaria"
    assert metric(at, "Entry into force") == "1 Oct 2011"
    assert metric(at, "Initial report due") == "29 Mar 2012"


def test_an_empty_store_shows_helpful_empty_states(tmp_path, monkeypatch):
    monkeypatch.setenv("CCM_DB", str(tmp_path / "empty.duckdb"))
    for page in PAGES:
        at = app()
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])


def upload(at: AppTest, name: str, data: bytes, mime: str) -> AppTest:
    key = next(k for k in [f"upload-{i}" for i in range(5)] if at.get("file_uploader") and
               any(getattr(u, "key", None) == k for u in at.get("file_uploader")))
    return at.file_uploader(key=key).upload(name, data, mime).run()


def test_a_broken_upload_shows_the_located_error_and_stores_nothing(store_path):
    at = app()
    at.switch_page("pages/data.py").run()
    bad = b"date,cost_line,amount\n2018-01-31,Salaries,100\n03/04/2018,Salaries,5\n"
    at = upload(at, "spend.csv", bad, "text/csv")
    assert any("Not loaded" in e.value for e in at.error)
    problems = shown_tables(at)[1]  # the problems table follows "What is loaded"
    assert list(problems["cell"]) == ["A3"] and "ambiguous" in problems["message"][0]
    assert not any(b.label == "Store this data" for b in at.button)
    assert Store(store_path).version() == 1


def test_a_valid_upload_is_previewed_then_stored_on_confirmation(store_path):
    at = app()
    at.switch_page("pages/data.py").run()
    good = (EXAMPLES / "input" / "spend.csv").read_bytes()
    at = upload(at, "spend.csv", good, "text/csv")
    no_failure(at)
    assert Store(store_path).version() == 1  # previewed only
    preview = shown_tables(at)[1]
    assert int(preview.set_index("dataset").loc["spend", "rows"]) == 17
    next(b for b in at.button if b.label == "Store this data").click().run()
    assert Store(store_path).version() == 2
    assert any("Stored as version 2" in s.value for s in at.success)
    at.switch_page("pages/budget.py").run()
    assert metric(at, "Spent to date (CHF)") == "284,929"  # the worked example's spend, now in the store


def test_the_data_page_rolls_back_after_confirmation(store_path, sample_data):
    at = app()
    at.switch_page("pages/data.py").run()
    at = upload(at, "spend.csv", (EXAMPLES / "input" / "spend.csv").read_bytes(), "text/csv")
    next(b for b in at.button if b.label == "Store this data").click().run()
    assert Store(store_path).version() == 2
    assert next(b for b in at.button if b.label == "Roll back").disabled  # not before confirming
    at.checkbox(key=f"confirm_rollback-{at.session_state['upload_round']}").check().run()
    # once confirmed, what the rollback would change (dataops.rollback_notes): each of the worked example's 17
    # spend rows goes, removed or changed back into a sample row with the same key
    notes = [m.value for m in at.markdown if m.value.startswith("- spend")]
    found = re.fullmatch(r"- spend\\: rows added [\d,]+, removed (\d+), changed (\d+)\\.", notes[0])
    assert found and int(found[1]) + int(found[2]) == 17, notes
    next(b for b in at.button if b.label == "Roll back").click().run()
    assert any("Rolled back: version 3 holds restored version 1" in s.value for s in at.success)
    at.switch_page("pages/budget.py").run()
    sample_spent = compute_metrics(sample_data, DAY)["budget"]["spent"]
    assert metric(at, "Spent to date (CHF)") == f"{sample_spent:,.0f}"  # the sample's spend again


def test_a_finished_year_shows_its_actual_year_end_not_a_projection(store_path, sample_data):
    at = app()
    at.switch_page("pages/budget.py").run()
    at.session_state["budget_year"] = 2017
    at.run()
    no_failure(at)
    labels = [m.label for m in shown_metrics(at)]
    assert "Actual year-end (CHF)" in labels and "Projected year-end (CHF)" not in labels
    spent_2017 = compute_metrics(sample_data, DAY, budget_year=2017)["budget"]["spent"]
    assert metric(at, "Actual year-end (CHF)") == f"{spent_2017:,.0f}"


def test_the_data_page_previews_an_append_and_lists_the_skipped_duplicates(store_path, sample_data):
    at = app()
    at.switch_page("pages/data.py").run()
    at.checkbox(key="upload_append").check().run()
    first = sample_data.spend.iloc[0]  # a row the sample already holds, and a new one
    csv = ("date,cost_line,amount,description\n"
           f"{first['date']:%Y-%m-%d},{first['cost_line']},{first['amount']:.2f},{first['description']}\n"
           "2018-09-01,Travel,1234.00,Taxi to the airport\n").encode()
    at = upload(at, "spend.csv", csv, "text/csv")
    no_failure(at)
    assert any("1 spend row added to the stored spend; 1 row skipped" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Store this data").click().run()
    assert len(Store(store_path).data().spend) == len(sample_data.spend) + 1


def test_the_universalization_page_measures_against_the_plan_in_force_on_the_day(read_only_store):
    # 2018-09-05: the Dubrovnik Action Plan's target (130 by 2020), 104 States Parties: 26 to go.
    at = app()
    at.switch_page("pages/universalization.py").run()
    no_failure(at)
    assert metric(at, "To the target of 130 (2020)") == "26"
    # 2024-06-01: the Lausanne Action Plan (no count target): Nigeria and South Sudan since 21 Sep 2021.
    at.date_input(key="as_of").set_value(dt.date(2024, 6, 1)).run()
    no_failure(at)
    labels = [m.label for m in shown_metrics(at)]
    assert not any("target" in label.lower() for label in labels)
    assert metric(at, "Became parties since the Lausanne Action Plan (2021–2026) (21 Sep 2021)") == "2"
    overview = app(dt.date(2024, 6, 1)).run()
    card = next(m for m in shown_metrics(overview) if m.label == "States Parties")
    assert "vs target" not in (card.delta or "") and "130" not in card.help + (card.caption or "")
