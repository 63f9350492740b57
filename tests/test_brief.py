"""Key messages, the one-page brief's content, the Brief page and the deck form (AppTest)."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccm_analytics import narrative
from ccm_analytics.analysis import reporting as rp
from ccm_analytics.data import CcmData
from ccm_analytics.outputs.brief import CHART_WIDTH, build_brief
from ccm_analytics.views import overview_view

from .conftest import ROOT, shown_metrics

DAY = pd.Timestamp("2018-09-05")


def values(v):
    """A Plotly array, plain or binary-encoded (``{"dtype": ..., "bdata": ...}``)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
    return np.asarray(v, dtype=float)


def test_the_budget_pace_is_said_in_the_words_of_domain_8_while_the_year_runs(tiny_data):
    # tiny example on 5 Sep 2018: 284,929 / 465,440 = 0.612171 spent, 248/365 = 0.679452 of the year gone;
    # pace 0.900978, |pace - 1| = 0.099022 -> "9.9% slower" (DOMAIN §8: one decimal)
    assert narrative.pace_phrase(overview_view(tiny_data, DAY)) == "spending 9.9% slower than the calendar"
    # on 31 December the year is over: no pace is said (DOMAIN §11)
    assert narrative.pace_phrase(overview_view(tiny_data, pd.Timestamp("2018-12-31"))) is None
    # no budget for 2019 in the example: nothing to say
    assert narrative.pace_phrase(overview_view(tiny_data, pd.Timestamp("2019-06-01"))) is None


def test_the_key_messages_of_the_worked_example(tiny_data):
    ov = overview_view(tiny_data, DAY)
    messages = narrative.key_messages(ov, rp.overdue_by_state(ov.snap.statuses, DAY))
    # Worked by hand from tests/data/spec_examples/tiny/input as at 5 September 2018 (DOMAIN.md sections 6, 8, 11),
    # percentages with one decimal (DOMAIN §8):
    # - States Parties: Albania, UK, Bulgaria, Lithuania, Madagascar, Palestine = 6; 130 - 6 = 124 to go;
    #   Indonesia signed and has not ratified.
    # - 2017 annual reports: 5 due, 2 on time (40.0%), 1 late, so 3 submitted (60.0%); 24 reports overdue in all,
    #   owed by 6 States, the oldest the annual reports for 2012, due 30 April 2013.
    # - Art. 3 (DOMAIN §6 counts): Bulgaria, UK and Lithuania hold stocks = 3 stockpiled; UK destroyed them on
    #   2013-12-17 = 1 destroyed; Bulgaria (completed 2023, after D) and Lithuania still to destroy = 2; no
    #   quantity recorded, so no submunitions figure. Art. 4: Albania cleared on 2009-11-25 (before its entry into
    #   force, 1 Aug 2010: counts as completed, never outstanding) = 1 of 1, no State still to clear.
    #   Overdue: none (Lithuania's deadline is EIF 1 Sep 2011 + 8 years = 1 Sep 2019, 361 days away, so due
    #   within 12 months and the next; Bulgaria's 1 Oct 2019, its extensions granted after D).
    # - Spend to D: 8 x 28,754.50 + 2 x 15,846.50 + 6,200 + 1,850 + 9,100 - 350 + 4,300 + 2,100 = 284,929 of
    #   465,440 (61.2%); 248 of 365 days gone (67.9%); pace 0.612171 / 0.679452 = 0.901, "9.9% slower".
    #   Projection (DOMAIN §8): the example has spend for 2018 only, so no past complete year and no backtest:
    #   the straight line is used, without a range: 284,929 x 365 / 248 = 419,351.1; 465,440 - 419,351 = 46,089
    #   under budget.
    # - Contributions for 2018 by D: 90,000 + 60,000 + 45,000 = 195,000 (195,000 / 465,440 = 41.9%);
    #   gap 465,440 - 195,000 = 270,440.
    assert messages == [
        "The Convention has 6 States Parties (124 to go to the target of 130 by 2020) and 1 signatory still "
        "to ratify.",
        "40.0% of the 2017 annual reports came on time and 60.0% have been submitted; 6 States Parties owe "
        "24 reports, the oldest due on 30 April 2013.",
        "Article 3: 1 of 3 States Parties that stockpiled cluster munitions has destroyed them, 2 still to destroy; "
        "Article 4: 1 of 1 contaminated has completed clearance, no State still to clear; no State overdue and 1 due "
        "within 12 months; the next deadline is Lithuania's (Article 3) on 1 September 2019.",
        "The ISU has spent 61.2% of its 2018 budget with 67.9% of the year gone, spending 9.9% slower than the "
        "calendar; the projected year-end is CHF 419,351 (straight line): CHF 46,089 under budget; no range yet: "
        "fewer than two past years.",
        "Contributions for 2018: CHF 195,000 received, 41.9% of the budget; the funding gap is CHF 270,440.",
    ]


def test_without_a_budget_for_the_year_the_fourth_message_says_so_and_names_the_latest_budget(tiny_data):
    ov = overview_view(tiny_data, pd.Timestamp("2025-06-01"))  # the example has a budget for 2018 only
    messages = narrative.key_messages(ov, rp.overdue_by_state(ov.snap.statuses, ov.snap.as_of))
    assert len(messages) == 4 and not any("budget" in m for m in messages[:3])
    assert messages[3] == "No budget is loaded for 2025; the latest budget loaded is for 2018."


def test_the_brief_has_four_headlines_two_fixed_size_charts_and_the_key_messages(tiny_data):
    brief = build_brief(tiny_data, DAY, illustrative=("reports", "spend"))
    assert brief.heading == "State of play as at 5 September 2018"
    assert [(h.label, h.value) for h in brief.headlines] == [
        # one decimal (DOMAIN §8); Art. 3 from the record (DOMAIN §6): UK destroyed, of UK, Bulgaria, Lithuania
        ("States Parties", "6"), ("2017 annual reports on time", "40.0%"),
        ("States that destroyed their stockpiles (Art. 3)", "1 of 3"), ("Budget 2018 spent", "61.2%")]
    assert [h.illustrative for h in brief.headlines] == [False, True, False, True]
    assert "spending 9.9% slower than the calendar" in brief.headlines[3].detail
    assert ("The projected year-end is CHF 419,351 (straight line): CHF 46,089 under budget; no range yet: fewer than "
            "two past years") in brief.headlines[3].detail
    assert brief.headlines[2].detail.startswith("2 still to destroy. Clearance (Art. 4): 1 of 1 completed")
    assert len(brief.messages) == 5
    assert [c["layout"]["width"] for c in brief.charts] == [CHART_WIDTH, CHART_WIDTH]
    assert brief.illustrative == ("Illustrative data: the report submission dates and spend in this brief are "
                                  "sample figures, not real records.")
    # the charts show the same numbers: 2017's on-time rate and the spend to date
    on_time = [t for t in brief.charts[0]["data"] if t["name"].startswith("Compliance")][0]
    assert values(on_time["y"])[-1] == pytest.approx(0.4)
    spent = [t for t in brief.charts[1]["data"] if t["name"] == "Spent (cumulative)"][0]
    assert pd.Series(values(spent["y"])).max() == pytest.approx(284929)


def test_the_brief_of_the_sample_projects_the_year_end_as_the_budget_page_does(sample_data):
    from ccm_analytics.metrics import compute_metrics

    brief = build_brief(sample_data, DAY, illustrative=("spend",))
    p = compute_metrics(sample_data, DAY)["budget"]["projection"]
    # two complete earlier years (2016, 2017): 2017 is replayed and the seasonal method wins (DOMAIN §8)
    assert p["method"] == "seasonal" and p["seasonal_year_end"] != p["linear_year_end"]
    line = [t for t in brief.charts[1]["data"] if t["name"] == "Projected to year-end"][0]
    assert pd.Series(values(line["y"])).dropna().iloc[-1] == pytest.approx(p["year_end"])
    # two past years (2016, 2017) are too few for an 80% range (DOMAIN §8); 0.3% over is no "over budget"
    assert (f"CHF {p['year_end']:,.0f} (seasonal projection): it may end over budget (CHF "
            f"{p['year_end'] - 465440:,.0f} over as projected); no range yet: only 2 past years, at least 4 are "
            "needed") in brief.headlines[3].detail
    # Article 3 from the record, as the metrics count it (DOMAIN §6)
    st = compute_metrics(sample_data, DAY)["stockpiles"]
    assert brief.headlines[2].value == f"{st['destroyed']} of {st['stockpiled']}"


def test_a_brief_of_real_data_names_nothing_illustrative(tiny_data):
    brief = build_brief(tiny_data, DAY)
    assert brief.illustrative is None and not any(h.illustrative for h in brief.headlines)


def test_an_empty_store_gives_a_brief_that_says_so():
    brief = build_brief(CcmData.empty(), DAY)
    assert brief.headlines[3].detail == "No budget is loaded for 2018."
    assert brief.headlines[2].detail == "No Article 3 or 4 obligation is recorded."


# -- in the app --------------------------------------------------------------------------------------

@pytest.fixture
def app(store_path, navigation_not_folder):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["as_of"] = "2018-09-05"
    return at.run()


def test_the_brief_page_shows_the_headlines_and_marks_illustrative_figures(app, sample_data):
    from ccm_analytics.metrics import compute_metrics

    app.switch_page("pages/brief.py").run()
    assert not app.exception
    m = compute_metrics(sample_data, DAY)
    on_time, spent = m["reporting"]["annual"]["compliance_rate"], m["budget"]["burn_rate"]
    stock = m["stockpiles"]
    assert [x.value for x in shown_metrics(app)] == ["104", f"{on_time:.1%}", f"{stock['destroyed']} of {stock['stockpiled']}",
                                             f"{spent:.1%}"]
    captions = " ".join(m.caption for m in shown_metrics(app))
    assert "Illustrative sample figure" in captions
    assert any("Illustrative data" in m.value for m in app.markdown)
    assert len(app.get("plotly_chart")) == 2


def test_the_deck_form_uses_the_title_as_typed(app):
    title = app.text_input(key="deck_title")
    title.input("Eighth Meeting of States Parties")  # typed, not yet submitted
    assert not app.get("download_button") or all("meeting deck" not in b.label for b in app.get("download_button"))
    next(b for b in app.button if b.label == "Prepare the deck").click().run()
    assert not app.exception
    assert any("First slide: **Eighth Meeting of States Parties**" in c.value for c in app.caption)
    assert any(b.label == "Download the meeting deck (.pptx)" for b in app.get("download_button"))
