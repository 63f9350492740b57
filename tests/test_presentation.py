"""Presentation rules (DOMAIN.md §10) without a browser: the sample-data notice, a bad day in the
address, empty cells, chart data as a table, long titles, and the status colours."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pandas as pd
import plotly.graph_objects as go

from ccm_analytics import formatting as fmt
from ccm_analytics import provenance as prov
from ccm_analytics.figures import wrap_title
from ccm_analytics.ui import chart_tables, tables
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.frame import address_day_problem

from .conftest import ROOT

EARLIEST, LATEST = dt.date(2008, 12, 3), dt.date(2099, 12, 31)


def test_the_notice_names_only_the_illustrative_sample_datasets_a_page_shows():
    # Budget shows budget, spend, contributions; the user stored their own spend, so the sample
    # supplies budget and contributions (both illustrative); states is sample but public.
    shown = ("budget", "spend", "contributions")
    assert prov.illustrative_shown(shown, ("states", "budget", "contributions", "reports")) == ("budget", "contributions")
    # all three the user's own: no notice
    assert prov.illustrative_shown(shown, ("states", "reports")) == ()
    # Deadlines shows only public facts of the sample
    assert prov.illustrative_shown(("states", "obligations", "extensions"), ("states", "obligations", "extensions")) == ()


def test_a_day_in_the_address_must_be_written_year_month_day_within_the_covered_days():
    assert address_day_problem(None, EARLIEST, LATEST) is None
    assert address_day_problem("", EARLIEST, LATEST) is None
    assert address_day_problem("2018-09-05", EARLIEST, LATEST) is None
    # 05/09/2018 read day first: 5 September 2018
    message = address_day_problem("05/09/2018", EARLIEST, LATEST)
    assert "05/09/2018" in message and "YYYY-MM-DD" in message and "as_of=2018-09-05" in message
    # a real day before the Convention was adopted (3 December 2008)
    assert "outside the days" in address_day_problem("1999-01-01", EARLIEST, LATEST)
    # 30 February does not exist: no suggestion, but said
    message = address_day_problem("2018-02-30", EARLIEST, LATEST)
    assert "not a day" in message and "Did you mean" not in message


def test_cells_without_a_value_become_a_dash_in_the_columns_own_format():
    frame = pd.DataFrame({
        "completed_on": [pd.Timestamp("2015-11-25"), pd.NaT],
        "days_remaining": [391.0, float("nan")],
        "amount": [1234.6, None],
        "notes": ["Monitor 2017", ""],
        "article": [3, 4],
    })
    config = {"completed_on": w.date_col("Completed"), "days_remaining": w.int_col("Days remaining"),
              "amount": w.chf_col("Amount"), "notes": "Notes", "article": w.int_col("Article")}
    shown, new = tables.null_free(frame, config)
    assert shown["completed_on"].tolist() == ["25 Nov 2015", "–"]
    assert shown["days_remaining"].tolist() == ["391", "–"]  # "%,d"
    assert shown["amount"].tolist() == ["1,235", "–"]  # "%,.0f": 1234.6 rounds to 1,235
    assert shown["notes"].tolist() == ["Monitor 2017", "–"]
    assert shown["article"].tolist() == [3, 4]  # nothing missing: left as numbers
    assert new["days_remaining"]["label"] == "Days remaining"
    assert new["amount"]["label"] == "Amount (CHF)"
    assert new["article"] is config["article"]


def test_a_day_by_day_charts_table_gives_each_months_end_the_as_of_day_and_the_first_and_last_day():
    from ccm_analytics.figures import _layout

    days = pd.date_range("2018-01-01", "2018-03-31")  # 90 days; y is the day of the year (1 Jan = 1)
    fig = go.Figure(go.Scatter(x=days, y=list(range(1, 91)), name="Spent"))
    _layout(fig, "Spend", pd.Timestamp("2018-02-10"), daily="dates")
    header, rows = chart_tables.chart_table_rows(fig.to_plotly_json())
    assert header == ["Day", "Spent"]
    # 31 Jan is day 31, 10 Feb day 41, 28 Feb day 59, 31 Mar day 90
    assert rows == [["1 Jan 2018", "1"], ["31 Jan 2018", "31"], ["10 Feb 2018", "41"], ["28 Feb 2018", "59"],
                    ["31 Mar 2018", "90"]]
    assert "(table: each month's end and the as-of day)" in chart_tables.chart_table_html(fig.to_plotly_json())


def test_a_one_calendar_charts_table_names_days_without_the_calendars_year_and_keeps_each_series_month_end():
    from ccm_analytics.figures import _layout

    # cumulative spend drawn on one calendar (the year 2000, a leap year): 2016 has a 29 February, 2017 not
    fig = go.Figure()
    leap = pd.date_range("2000-01-01", "2000-03-01")  # 61 days
    fig.add_scatter(x=leap, y=list(range(61)), name="2016")
    fig.add_scatter(x=leap.delete(59), y=list(range(60)), name="2017")  # no 29 Feb
    _layout(fig, "Spend", pd.Timestamp("2017-02-10"), daily="days_of_year")
    header, rows = chart_tables.chart_table_rows(fig.to_plotly_json())
    assert header == ["Day of the year", "2016", "2017"]
    # 31 Jan: 30 in both; 10 Feb: 40; 28 Feb: 58 in both (2017's month end); 29 Feb: 2016's month end, 59;
    # 1 Mar: the last day, 60 in 2016 and 59 in 2017 (one day fewer before it)
    assert rows == [["1 Jan", "0", "0"], ["31 Jan", "30", "30"], ["10 Feb", "40", "40"], ["28 Feb", "58", "58"],
                    ["29 Feb", "59", "–"], ["1 Mar", "60", "59"]]


def test_spend_by_day_of_year_is_drawn_by_its_steps_and_its_table_still_reads_every_month_end():
    from ccm_analytics.figures import spend_by_day_of_year

    def year(y, steps, leap):
        days = pd.date_range("2000-01-01", "2000-03-01")
        days = days if leap else days.delete(59)  # no 29 February
        total = [sum(v for d, v in steps if day >= pd.Timestamp(d)) for day in days]
        return pd.DataFrame({"year": y, "position": days, "date": [d.replace(year=y) for d in days], "cumulative": total})

    # 2016 spends 50 on 31 Jan and 30 on 29 Feb; 2017 spends 100 on 31 Jan and 200 on 28 Feb
    by_day = pd.concat([year(2016, [("2000-01-31", 50), ("2000-02-29", 30)], True),
                        year(2017, [("2000-01-31", 100), ("2000-02-28", 200)], False)])
    fig = spend_by_day_of_year(by_day, 1000, 2017, pd.Timestamp("2017-02-10")).to_plotly_json()
    drawn = {t["name"]: [pd.Timestamp(x).strftime("%d %b") for x in t["x"]] for t in fig["data"]}
    assert drawn == {"2016": ["01 Jan", "31 Jan", "29 Feb", "01 Mar"], "2017": ["01 Jan", "31 Jan", "28 Feb", "01 Mar"]}
    assert {t["line"]["shape"] for t in fig["data"]} == {"hv"}
    header, rows = chart_tables.chart_table_rows(fig)
    assert header == ["Day of the year", "2016", "2017"]
    assert rows == [["1 Jan", "0", "0"], ["31 Jan", "50", "100"], ["10 Feb", "50", "100"], ["28 Feb", "50", "300"],
                    ["29 Feb", "80", "–"], ["1 Mar", "80", "300"]]


def test_a_day_by_day_line_is_drawn_through_its_corners_only():
    from ccm_analytics.figures import _corners

    # flat, +5 on day 3, flat, +4 on day 7, flat: the same polyline through days 0, 2, 3, 6, 7 and 9
    assert _corners([0, 0, 0, 5, 5, 5, 5, 9, 9, 9]) == [0, 2, 3, 6, 7, 9]
    assert _corners([465440 * k / 365 for k in range(1, 366)]) == [0, 364]  # the linear plan: two points
    assert _corners([float("nan"), 1, 2, 3]) == [1, 3]  # a projection starts at the as-of day
    assert _corners([0, 0, 5, float("nan"), float("nan")]) == [0, 1, 2]  # spend stops at the as-of day
    assert _corners([1, float("nan"), 3, 4]) == [0, 2, 3]  # a gap: every point kept, as drawn


def test_a_headline_numbers_comparison_is_coloured_by_whether_up_is_good():
    def tone(delta, colour="normal", arrow=True):
        html = w.metric_html(w.Metric("Label", "1", delta=delta, delta_color=colour, delta_arrow=arrow), "k")
        return re.search(r"class='ccm-delta ccm-delta-(\w+)'>(.*?)</p>", html).groups()

    assert tone("+26 vs target") == ("good", "<span aria-hidden='true'>↑</span> +26 vs target")
    assert tone("-26 vs target") == ("bad", "<span aria-hidden='true'>↓</span> -26 vs target")
    # a year-end above the budget is bad news, below it good news
    assert tone("+0.3% vs budget", "inverse") == ("bad", "<span aria-hidden='true'>↑</span> +0.3% vs budget")
    assert tone("-2.0% vs budget", "inverse") == ("good", "<span aria-hidden='true'>↓</span> -2.0% vs budget")
    assert tone("65.0% of the budget", "off", arrow=False) == ("off", "65.0% of the budget")


def test_a_headline_numbers_help_is_a_labelled_button_described_by_its_text_and_everything_is_escaped():
    html = w.metric_html(w.Metric("Spent <CHF>", "1,000", caption="**Slower** than 2017 & 2016",
                                  help="Counted from the ledger."), "ccm-m-x-0")
    assert "<span>Spent &lt;CHF&gt;</span>" in html
    assert ("<button type='button' class='ccm-help' aria-label='Help for Spent &lt;CHF&gt;' "
            "aria-describedby='ccm-m-x-0-help'>?</button>") in html
    assert "<span role='tooltip' id='ccm-m-x-0-help' class='ccm-tip'>Counted from the ledger.</span>" in html
    assert "<p class='ccm-metric-caption'><strong>Slower</strong> than 2017 &amp; 2016</p>" in html
    assert "ccm-delta" not in html and "<a " not in html  # no comparison, no link: none drawn


def test_a_charts_data_reads_as_one_row_per_category_and_one_column_per_series():
    fig = go.Figure()
    fig.add_bar(x=[2017, 2018], y=[1, 2], name="On time")
    fig.add_bar(x=[2017, 2018], y=[3, 4], name="Late")
    fig.update_xaxes(title="Year covered")
    header, rows = chart_tables.chart_table_rows(fig.to_plotly_json())
    assert header == ["Year covered", "On time", "Late"]
    assert rows == [["2017", "1", "3"], ["2018", "2", "4"]]
    html = chart_tables.chart_table_html(fig.update_layout(title="Reports by year").to_plotly_json())
    assert "The data of Reports by year (table)" in html and "<th scope='row'>2017</th>" in html


def test_a_long_chart_title_is_broken_into_lines_of_at_most_forty_characters():
    # "Annual reports: compliance and" is 30 characters; adding " submission" makes 41.
    assert wrap_title("Annual reports: compliance and submission rates by year") == (
        "Annual reports: compliance and<br>submission rates by year")
    assert wrap_title("New States Parties per year") == "New States Parties per year"


def test_report_statuses_stay_apart_for_colour_blind_readers():
    sys.path.insert(0, str(ROOT / "scripts"))
    from check_palette import smallest_difference

    colours = {k: fmt.STATUS_COLOURS[k] for k in ("on_time", "late", "overdue", "not_due")}
    # A CIEDE2000 difference of 20 is plainly visible; orange and vermillion were 12.5 apart
    # with deuteranopia.
    for vision, (difference, pair) in smallest_difference(colours).items():
        assert difference >= 20, (vision, pair, difference)


def test_every_chart_minimum_width_has_its_rule_in_the_screen_stylesheet():
    # figures.py declares min_width per chart; screen.css keeps it only with a rule for that width
    widths = set(re.findall(r"min_width=(\d+)", (ROOT / "ccm_analytics" / "figures.py").read_text()))
    css = (ROOT / "ccm_analytics" / "ui" / "assets" / "screen.css").read_text()
    assert widths >= {"480", "560", "600", "680", "720"}
    for width in widths:
        assert f'[class*="st-key-wide-chart-w{width}-"] > div {{ min-width: {width}px; }}' in css, width


def test_a_figure_is_found_again_from_the_copy_a_cached_view_hands_out():
    """The brief's figures are made once per distinct figure: the key must not change when the
    figure dict comes back unpickled (as ``st.cache_data`` hands it out), and must change with it."""
    import hashlib
    import pickle

    import numpy as np

    fig = go.Figure(go.Scatter(x=pd.date_range("2018-01-01", periods=40), y=np.arange(40.0), name="Spent"))
    fig.update_layout(title_text="Spend", width=340)
    built = fig.to_plotly_json()

    def key(f):
        h = hashlib.blake2b(digest_size=16)
        w._digest(f, h)
        return h.hexdigest()

    copy = pickle.loads(pickle.dumps(built))
    assert key(copy) == key(built)
    changed = pickle.loads(pickle.dumps(built))
    changed["data"][0]["y"] = np.arange(40.0) + 1
    assert key(changed) != key(built)


def test_a_table_caption_keeps_its_bold_and_names_the_table_for_a_screen_reader():
    out = tables.html_table(pd.DataFrame({"cost_line": ["Travel"]}), {"cost_line": "Cost line"},
                       caption="**Cost lines**: 1 line <off> budget")
    assert "<caption><strong>Cost lines</strong>: 1 line &lt;off&gt; budget</caption>" in out
    assert "role='region' aria-label='Cost lines: 1 line &lt;off&gt; budget'" in out
