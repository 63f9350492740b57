"""DOMAIN §8: the seasonal projection, its backtest, the same day of earlier years, pledges and cash.

Every expected figure is worked out by hand from the definitions; the working is in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ccm_analytics import narrative
from ccm_analytics.analysis import budget as b
from ccm_analytics.analysis import funding as fd
from ccm_analytics.analysis import projection as pj
from ccm_analytics.data import CcmData
from ccm_analytics.metrics import compute_metrics

# cumulative days at the end of January ... November of a common year
MONTH_END_DAYS = [31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]


def ledger(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime([r[0] for r in rows]).astype("datetime64[us]"),
                         "cost_line": [r[1] for r in rows], "amount": [float(r[2]) for r in rows],
                         "description": [None] * len(rows)})


def budget_frame(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame({"year": [r[0] for r in rows], "cost_line": [r[1] for r in rows],
                         "amount": [float(r[2]) for r in rows], "currency": "CHF"})


def month_ends(year: int, amounts: list[float], line: str = "Salaries") -> list[tuple[str, str, float]]:
    ends = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="ME")
    return [(str(d.date()), line, a) for d, a in zip(ends, amounts)]


# -- the seasonal projection on a two-year ledger ---------------------------------------------------------

def two_year_ledger():
    spend = ledger(
        month_ends(2017, [1000] * 12)                                  # Salaries 2017: 12,000
        + [("2017-03-15", "Travel", 1000), ("2017-09-15", "Travel", 3000)]  # Travel 2017: 4,000
        + [("2017-12-10", "Communication", 2000)]                      # all of it in December
        + month_ends(2018, [1100] * 6)                                 # Salaries 2018 to 30 June: 6,600
        + [("2018-03-20", "Travel", 1500), ("2018-02-01", "Communication", 100), ("2018-05-05", "Other", 50)])
    budget = budget_frame([(2017, "Salaries", 12000), (2017, "Travel", 4000), (2017, "Communication", 2000),
                           (2018, "Salaries", 13000), (2018, "Travel", 5000), (2018, "Communication", 2000),
                           (2018, "Other", 500)])
    return budget, spend


def test_the_seasonal_projection_divides_each_line_by_last_years_share_by_the_same_day():
    budget, spend = two_year_ledger()
    p = pj.projection(budget, spend, 2018, pd.Timestamp("2018-06-30"))
    lines = p.lines.set_index("cost_line")
    # Salaries: 2017 had spent 6,000 of 12,000 by 30 June (share 0.5); 2018 spent 6,600 -> 13,200
    assert lines.loc["Salaries", "share"] == pytest.approx(0.5)
    assert lines.loc["Salaries", "seasonal"] == pytest.approx(13200)
    # Travel: 1,000 of 4,000 by 30 June 2017 (0.25); 1,500 in 2018 -> 6,000
    assert lines.loc["Travel", "seasonal"] == pytest.approx(6000)
    # Communication: nothing by 30 June 2017 (share 0 < 5%): the straight line, 100 x 365 / 181
    assert lines.loc["Communication", "seasonal_fallback"]
    assert lines.loc["Communication", "seasonal"] == pytest.approx(100 * 365 / 181)
    # Other: no past year at all: the straight line, 50 x 365 / 181
    assert lines.loc["Other", "seasonal"] == pytest.approx(50 * 365 / 181)
    # total: 13,200 + 6,000 + (100 + 50) x 365 / 181 = 19,502.49; linear: 8,250 x 365 / 181 = 16,636.74
    assert p.seasonal_year_end == pytest.approx(19200 + 150 * 365 / 181)
    assert p.linear_year_end == pytest.approx(8250 * 365 / 181)
    # one past year: nothing to replay, so the straight line is the default and there is no range
    assert p.backtest is None and p.method == "linear" and p.year_end == pytest.approx(8250 * 365 / 181)
    assert p.low is None and p.high is None


# -- the backtest on a three-year ledger -------------------------------------------------------------------

def three_year_ledger():
    spend = ledger(month_ends(2017, [100] * 11 + [1100])     # 2,200: a bonus in December
                   + month_ends(2018, [110] * 11 + [1210])   # 2,420: the same shape, 10% more
                   + month_ends(2019, [100] * 12)            # 1,200: no bonus this time
                   + month_ends(2020, [100, 100]))           # 2020 so far: 31 Jan and 29 Feb
    budget = budget_frame([(y, "Salaries", 2000) for y in (2017, 2018, 2019, 2020)])
    return budget, spend


def test_the_backtest_replays_both_methods_at_every_month_end_of_the_complete_years():
    budget, spend = three_year_ledger()
    p = pj.projection(budget, spend, 2020, pd.Timestamp("2020-03-10"))
    bt = p.backtest
    # 2017 has no earlier year, so 2018 and 2019 are replayed, 12 month-ends each (24 projections)
    assert bt.years == (2018, 2019) and len(bt.errors) == 24
    # seasonal, 2018 (shares of 2017): by month-end m < 12 2017 had spent 100m of 2,200; 2018 spent 110m,
    #   projected 110m x 2,200 / 100m = 2,420 = the actual: error 0. At 31 Dec every method is exact.
    # seasonal, 2019 (pooled 2017+2018): (100m + 110m) / 4,620 = m/22; 2019 spent 100m -> 2,200, actual
    #   1,200: error +1,000 at month-ends February to November (10).
    # January: the share is 1/22 = 4.5% < 5% in both years, so the straight line is used there:
    #   2018: 110 x 365/31 - 2,420 = -1,124.84; 2019: 100 x 365/31 - 1,200 = -22.58.
    # MAE = (1,124.84 + 22.58 + 10 x 1,000) / 24 = 464.48
    january = abs(110 * 365 / 31 - 2420) + abs(100 * 365 / 31 - 1200)
    assert bt.seasonal_mae == pytest.approx((january + 10 * 1000) / 24)
    # linear at month-end m (c days elapsed of 365): 2018: 110m x 365/c - 2,420; 2019: 100m x 365/c - 1,200
    lin = [abs(110 * m * 365 / c - 2420) + abs(100 * m * 365 / c - 1200)
           for m, c in enumerate(MONTH_END_DAYS, start=1)]
    assert bt.linear_mae == pytest.approx(sum(lin) / 24)  # 505.72
    assert bt.linear_mae > bt.seasonal_mae and p.method == "seasonal"
    # the projection for 2020 on 10 March: 200 spent; the pooled share by 10 March of 2017-2019 is
    # (200 + 220 + 200) / (2,200 + 2,420 + 1,200) = 620 / 5,820 -> 200 x 5,820 / 620 = 1,877.42
    assert p.year_end == pytest.approx(200 * 5820 / 620)
    # its range: the past cases are 2017, 2018 and 2019 replayed on 10 March, 3 of them; an 80% range needs
    # ceil((n + 1) x 0.8) <= n, 4 cases at least: no range, and it says why (DOMAIN §8)
    assert p.range.cases == 3 and p.range.reason == "few_cases"
    assert p.low is None and p.high is None


def test_a_finished_year_shows_its_actual_spend_not_a_projection():
    budget, spend = three_year_ledger()
    p = pj.projection(budget, spend, 2019, pd.Timestamp("2020-03-10"))
    assert p.method == "actual" and p.is_actual and p.year_end == pytest.approx(1200)
    assert pj.projection(budget, spend, 2021, pd.Timestamp("2020-03-10")).method is None  # not started


# -- the same day of earlier years, across a leap year ------------------------------------------------------

def leap_data():
    spend = ledger([("2015-02-28", "Salaries", 500), ("2015-03-01", "Salaries", 700),
                    ("2016-02-28", "Salaries", 200), ("2016-02-29", "Salaries", 300), ("2016-03-01", "Salaries", 400),
                    ("2017-02-28", "Salaries", 600)])
    budget = budget_frame([(2015, "Salaries", 10000), (2016, "Salaries", 10000), (2017, "Salaries", 12000)])
    contributions = pd.DataFrame({"date": pd.to_datetime(["2016-02-15", "2016-03-01"]).astype("datetime64[us]"),
                                  "donor": ["Norway", "Ireland"], "amount": [1000.0, 2000.0],
                                  "year": pd.array([2016, 2016], dtype="Int64")})
    return budget, spend, contributions


def totals(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["cost_line"] == "Total"].set_index("year")


def test_29_february_is_compared_with_28_february_of_a_common_year():
    budget, spend, contributions = leap_data()
    t = totals(b.same_day_comparison(budget, spend, contributions, 2016, pd.Timestamp("2016-02-29")))
    assert list(t.index) == [2016, 2015]
    assert t.loc[2015, "day"] == pd.Timestamp("2015-02-28") and t.loc[2015, "spent"] == 500
    assert t.loc[2016, "spent"] == 500                                  # 200 + 300
    assert t.loc[2016, "elapsed_fraction"] == pytest.approx(60 / 366)
    assert t.loc[2015, "elapsed_fraction"] == pytest.approx(59 / 365)
    assert t.loc[2016, "burn_rate"] == pytest.approx(0.05)
    assert t.loc[2016, "received"] == 1000                              # the 1 March payment is not yet in


def test_the_last_day_of_february_of_a_common_year_includes_the_leap_day():
    budget, spend, contributions = leap_data()
    t = totals(b.same_day_comparison(budget, spend, contributions, 2017, pd.Timestamp("2017-02-28")))
    assert t.loc[2016, "day"] == pd.Timestamp("2016-02-29") and t.loc[2016, "spent"] == 500
    assert t.loc[2017, "spent"] == 600 and t.loc[2017, "burn_rate"] == pytest.approx(600 / 12000)
    later = totals(b.same_day_comparison(budget, spend, contributions, 2017, pd.Timestamp("2017-03-01")))
    assert later.loc[2016, "spent"] == 900 and later.loc[2015, "spent"] == 1200


def test_a_past_year_is_compared_at_the_same_day_as_the_as_of_day():
    budget, spend, contributions = leap_data()
    t = totals(b.same_day_comparison(budget, spend, contributions, 2016, pd.Timestamp("2017-03-01")))
    assert t.loc[2016, "day"] == pd.Timestamp("2016-03-01") and t.loc[2016, "spent"] == 900
    assert 2017 not in t.index  # only the chosen year and earlier ones


def test_the_chart_lines_up_each_year_on_one_calendar():
    budget, spend, _ = leap_data()
    c = b.cumulative_by_day_of_year(spend, 2016, pd.Timestamp("2016-03-01"))
    assert c.groupby("year")["date"].max().to_dict() == {2015: pd.Timestamp("2015-12-31"),
                                                          2016: pd.Timestamp("2016-03-01")}
    last_2016 = c[c["year"] == 2016].iloc[-1]
    assert last_2016["position"] == pd.Timestamp("2000-03-01") and last_2016["cumulative"] == 900


# -- pledges and cash --------------------------------------------------------------------------------------

def test_pledges_not_yet_received_are_counted_per_donor_and_never_below_zero():
    pledges = pd.DataFrame({
        "donor": ["Norway", "Ireland", "Austria", "Norway", "Spain"],
        "year": pd.array([2018, 2018, 2018, 2018, 2019], dtype="Int64"),
        "amount": [30000.0, 20000.0, 10000.0, 5000.0, 7000.0],
        "pledged_on": pd.to_datetime(["2018-01-10", "2018-02-01", "2018-10-01", "2018-03-01", "2018-03-01"])})
    contributions = pd.DataFrame({
        "date": pd.to_datetime(["2018-04-01", "2018-05-01", "2018-06-01"]).astype("datetime64[us]"),
        "donor": ["Norway", "Ireland", "Japan"], "amount": [30000.0, 25000.0, 8000.0],
        "year": pd.array([2018, 2018, 2018], dtype="Int64")})
    p = fd.pledges_status(pledges, contributions, 100000.0, 2018, pd.Timestamp("2018-09-05"))
    # pledged by 5 Sep for 2018: Norway 30,000 + 5,000, Ireland 20,000 (Austria pledges in October) = 55,000
    assert p.pledged == 55000 and p.received == 63000
    # outstanding: Norway 35,000 - 30,000 = 5,000; Ireland paid more than pledged: 0 (not -5,000)
    assert p.outstanding == 5000
    assert p.gap_after_pledges == 100000 - 63000 - 5000
    assert list(p.by_donor["donor"]) == ["Norway", "Ireland"]


def test_the_cash_balance_is_measured_in_months_of_spend_at_the_current_rate():
    # 63,000 received, 60,000 spent by 5 Sep 2018 (248 of 365 days): 60,000 / (248/365 x 12) a month
    c = fd.cash_status(63000.0, 60000.0, 248 / 365)
    assert c.balance == 3000
    assert c.monthly_rate == pytest.approx(60000 / (248 / 365 * 12))
    assert c.months_covered == pytest.approx(3000 * 248 * 12 / (60000 * 365))  # 0.41 months
    assert fd.cash_status(1000.0, 5000.0, 0.5).months_covered == 0  # nothing left
    assert fd.cash_status(1000.0, 0.0, 0.5).months_covered is None  # no rate yet


# -- words and the sample -------------------------------------------------------------------------------------

def test_the_pace_is_said_in_words_with_one_decimal():
    assert narrative.pace_words(0.92) == "spending 8.0% slower than the calendar"
    assert narrative.pace_words(1.125) == "spending 12.5% faster than the calendar"
    assert narrative.pace_words(1.0004) == "spending in step with the calendar"


def test_hot_lines_come_first_on_the_outlook():
    budget, spend = two_year_ledger()
    day = pd.Timestamp("2018-06-30")
    status = b.budget_status(budget, spend, spend.iloc[:0].rename(columns={"cost_line": "donor"}).assign(
        year=pd.array([], dtype="Int64")), 2018, day)
    o = narrative.with_outlook_words(pj.line_outlook(status, pj.projection(budget, spend, 2018, day)))
    # linear year-ends against the budget: Salaries 6,600 x 365/181 = 13,309 (+2.4%), Travel 1,500 x 365/181
    # = 3,025 (-39.5%), Communication 202 (-89.9%), Other 101 (-79.8%): three flagged, largest miss first
    assert list(o["cost_line"]) == ["Communication", "Other", "Travel", "Salaries"]
    assert list(o["flag"]) == [True, True, True, False]
    assert o.loc[2, "outlook"] == "under budget by 39.5% (flagged)"


def test_the_samples_seasonal_projection_beats_the_straight_line_in_the_backtest(sample_data, capsys):
    m = compute_metrics(sample_data, "2018-09-05")["budget"]["projection"]
    bt = m["backtest"]
    with capsys.disabled():
        print(f"\nsample 2018 as at 5 Sep: backtest {bt['years']} linear MAE CHF {bt['linear_mae']:,.0f}, "
              f"seasonal MAE CHF {bt['seasonal_mae']:,.0f}; seasonal year-end CHF {m['seasonal_year_end']:,.0f} "
              f"(linear {m['linear_year_end']:,.0f})")
    assert bt["seasonal_mae"] < bt["linear_mae"] and m["method"] == "seasonal"
    # two past years (2016, 2017): two past cases, fewer than the 4 an 80% range needs (DOMAIN §8)
    assert m["low"] is None and m["high"] is None
    assert m["range"] == {"coverage": 0.8, "cases": 2, "inside": 0, "spread": None, "no_range": "few_cases"}


def test_metrics_say_null_where_the_projection_cannot_be_computed():
    data = CcmData.empty()
    assert compute_metrics(data, "2018-09-05")["budget"]["projection"] == {
        "method": "linear", "year_end": 0.0, "low": None, "high": None, "linear_year_end": 0.0,
        "seasonal_year_end": None, "backtest": {"linear_mae": None, "seasonal_mae": None, "years": []},
        "range": {"coverage": 0.8, "cases": 0, "inside": 0, "spread": None, "no_range": "few_years"},
        "outlook": "on_budget", "flagged": False, "flagged_lines": []}


def test_metrics_say_actual_for_a_finished_year_and_null_before_a_year_starts(sample_data):
    done = compute_metrics(sample_data, "2018-09-05", budget_year=2017)["budget"]
    assert done["projection"]["method"] == "actual"
    assert done["projection"]["year_end"] == pytest.approx(done["spent"])  # the whole of 2017, known by then
    assert compute_metrics(sample_data, "2018-09-05", budget_year=2019)["budget"]["projection"] is None
