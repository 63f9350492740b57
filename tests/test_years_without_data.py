"""Years without data (issue 25, item 6): as at 7 December 2026 the sample has no budget or spend for 2026 (its
budgets cover 2016-2020); the pages say so and name the year shown, and the brief draws no chart of nothing."""

from __future__ import annotations

import pytest

import pandas as pd
from streamlit.testing.v1 import AppTest

from ccm_analytics.outputs.brief import build_brief

from .conftest import ROOT

pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # AppTest runs as on a server

DAY = pd.Timestamp("2026-12-07")


def test_the_brief_says_the_year_has_no_budget_and_draws_no_spend_chart(sample_data):
    brief = build_brief(sample_data.as_at(DAY), DAY)
    assert len(brief.charts) == 1  # the reporting chart only: no "Spend 2026" flat line
    assert "Spend" not in brief.charts[0]["layout"]["title"]["text"]
    assert "No budget is loaded for 2026; the latest budget loaded is for 2020." in brief.messages


def test_the_brief_reporting_chart_labels_every_other_year_when_there_are_many(sample_data):
    brief = build_brief(sample_data.as_at(DAY), DAY)
    x = brief.charts[0]["layout"]["xaxis"]
    # Annual reports fall due from 2011 (covering 2010) to 2026 (covering 2025): 16 years, labelled 2011, 2013, ...
    assert x["dtick"] == 2 and x["tick0"] == 2011


def test_a_brief_in_a_year_with_a_budget_keeps_both_charts(sample_data):
    brief = build_brief(sample_data.as_at("2018-09-05"), "2018-09-05")
    assert len(brief.charts) == 2 and "Spend 2018" in brief.charts[1]["layout"]["title"]["text"]
    assert brief.charts[0]["layout"]["xaxis"]["dtick"] == 1  # 2011-2018: eight years, every one labelled


def test_the_budget_page_says_the_as_of_year_has_no_budget_and_which_year_it_shows(read_only_store):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["as_of"] = DAY.date().isoformat()
    at.switch_page("pages/budget.py")
    at.run()
    assert not at.exception
    said = " ".join(i.value for i in at.info)
    assert "No budget is loaded for 2026, the year of the as-of day; this page shows 2020." in said
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["as_of"] = "2018-09-05"
    at.switch_page("pages/budget.py")
    at.run()
    assert "No budget is loaded for" not in " ".join(i.value for i in at.info)
