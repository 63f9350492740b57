"""DOMAIN §8: the year-end's 80% range (its coverage measured on simulated years), its words, the verdict that
follows it, and one projected year-end for the page, the deck, the brief and the metrics.

Expected figures are worked out from the definitions (the sample's past errors with plain pandas); the
calibration test generates its own seasonal ledgers with fixed seeds.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from ccm_analytics import narrative
from ccm_analytics.analysis import projection as pj
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.views import budget_view, overview_view

from .test_budget_outlook import (
    budget_frame,
    ledger,
    month_ends,
    three_year_ledger,
    two_year_ledger,
)

# -- the rule on small numbers ------------------------------------------------------------------------------

def test_the_spread_is_the_kth_smallest_past_error_with_k_the_finite_sample_rank():
    # k = ceil((n + 1) x 0.8): n = 4 -> 4, n = 9 -> 8, n = 10 -> ceil(8.8) = 9, n = 3 -> ceil(3.2) = 4 > 3
    assert [pj.conformal_rank(n) for n in (3, 4, 9, 10, 20)] == [4, 4, 8, 9, 17]
    # 5 past errors 1%, 4%, 2%, 8%, 3%: k = ceil(4.8) = 5, the largest, 8%; 1,000 x (1 +/- 0.08)
    r = pj.year_end_range(1000.0, np.array([0.01, 0.04, 0.02, 0.08, 0.03]))
    assert (r.low, r.high, r.spread, r.cases, r.inside) == pytest.approx((920.0, 1080.0, 0.08, 5, 5))
    # 9 past errors 1% ... 9%: k = 8, 8%: 8 of the 9 past years ended within it
    r = pj.year_end_range(2000.0, np.arange(1, 10) / 100)
    assert (r.low, r.high, r.inside, r.cases) == pytest.approx((1840.0, 2160.0, 8, 9))
    assert pj.year_end_range(1000.0, np.array([0.01, 0.02, 0.03])).reason == "few_cases"


def test_a_past_projection_of_nothing_that_missed_leaves_no_range():
    # relative errors: |0 - 50| / 0 is infinite; 0 projected and 0 spent is no case at all
    r = pj.relative_errors(np.array([100.0, 0.0, 0.0, 80.0]), np.array([110.0, 50.0, 0.0, 80.0]))
    assert list(r) == [0.1, math.inf, 0.0]
    assert pj.year_end_range(100.0, np.array([0.1, 0.2, math.inf, math.inf, math.inf])).reason == "too_wide"


# -- bad input: a clear statement, never a misleading number -------------------------------------------------

def test_fewer_than_two_past_years_give_no_range_and_say_so():
    budget, spend = two_year_ledger()  # 2017 is the only past year
    p = pj.projection(budget, spend, 2018, pd.Timestamp("2018-06-30"))
    assert p.range.reason == "few_years" and p.low is None and p.high is None
    assert narrative.range_words(p.range, "CHF") == "no range yet: fewer than two past years"


def test_a_year_with_no_spend_yet_gives_no_range():
    budget, spend = three_year_ledger()
    budget = pd.concat([budget, budget_frame([(2021, "Salaries", 2000)])], ignore_index=True)
    p = pj.projection(budget, spend, 2021, pd.Timestamp("2021-01-20"))  # nothing spent in 2021 by 20 January
    assert p.year_end == 0 and p.range.reason == "no_spend" and p.low is None
    assert narrative.range_words(p.range, "CHF") == "no range yet: nothing spent this year"


def test_a_line_with_no_past_spend_has_no_range_of_its_own():
    # Salaries at every month-end of 2014-2018 (1,000, 1,050, ...): five past years; "Other" is new in 2019
    spend = ledger([r for y in range(2014, 2020) for r in month_ends(y, [1000 + 50 * (y - 2014)] * 12)]
                   + [("2019-05-05", "Other", 300)])
    budget = budget_frame([(2019, "Salaries", 14000), (2019, "Other", 500)])
    p = pj.projection(budget, spend, 2019, pd.Timestamp("2019-06-30"))
    lines = p.lines.set_index("cost_line")
    assert lines.loc["Other", "no_range"] == "no_past_spend" and pd.isna(lines.loc["Other", "low"])
    assert narrative.range_words(pj.Range.none("no_past_spend"), "CHF") == "no range yet: no past spend on this line"
    # Salaries: each past year on 30 June had spent exactly half, so every past error is 0 and so is the spread
    assert lines.loc["Salaries", "cases"] == 5 and lines.loc["Salaries", "low"] == pytest.approx(6 * 1250 * 2)


def test_few_past_years_give_no_range_and_say_how_many_are_needed():
    r = pj.Range.none("few_cases", 2)
    assert narrative.range_words(r, "CHF") == "no range yet: only 2 past years, at least 4 are needed"


# -- the verdict follows the range ----------------------------------------------------------------------------

@pytest.mark.parametrize("low, high, year_end, expected", [
    (1010, 1200, 1100, ("over_budget", True)),       # the whole range over 1,000, 10% over: flagged
    (1001, 1005, 1003, ("over_budget", False)),      # surely over, by 0.3%: said, not flagged
    (990, 1020, 1003, ("may_end_over", False)),      # the range holds the budget: no flag, "may end over"
    (800, 1100, 950, ("may_end_under", False)),      # 5% under, but the range holds the budget
    (800, 900, 850, ("under_budget", True)),
    (None, None, 1003, ("may_end_over", False)),     # no range: off by 5% or less is uncertain
    (None, None, 1100, ("over_budget", True)),       # no range: more than 5% off, as before
    (990, 1010, 1000.4, ("on_budget", False)),       # 0.04% rounds to 0.0%
])
def test_over_budget_is_said_only_when_the_whole_range_is_over_it(low, high, year_end, expected):
    assert pj.outlook(year_end, low, high, 1000.0, pj.TOTAL_FLAG_THRESHOLD) == expected


# -- the sample ---------------------------------------------------------------------------------------------

def by_hand_linear(spend: pd.DataFrame, year: int, month: int, day: int) -> tuple[float, float]:
    """A year's straight-line projection on its own (month, day) and its actual year-end, with plain pandas."""
    s = spend[spend["date"].dt.year == year]
    d = pd.Timestamp(year, month, day)
    days = 366 if d.is_leap_year else 365
    return float(s.loc[s["date"] <= d, "amount"].sum()) * days / d.day_of_year, float(s["amount"].sum())


def test_the_sample_on_31_august_2018_has_two_past_years_and_says_it_has_no_range_yet(sample_data):
    day = pd.Timestamp("2018-08-31")
    ov = overview_view(sample_data, day)
    p = ov.snap.projection
    # 2016 and 2017 are the past years: 2 cases, fewer than 4
    assert p.range.cases == 2 and p.range.reason == "few_cases" and p.low is None
    # 467,050 against 465,440 is 0.3% over: without a range that is no "over budget", and no flag
    assert pj.total_outlook(ov.snap.budget, p) == ("may_end_over", False)
    assert narrative.year_end_words(ov) == (
        f"the projected year-end is CHF {p.year_end:,.0f} (seasonal projection): it may end over budget "
        f"(CHF {p.year_end - 465440:,.0f} over as projected); no range yet: only 2 past years, at least 4 are needed")


def test_the_sample_on_31_august_2020_has_its_range_worked_out_by_hand(sample_data):
    day = pd.Timestamp("2020-08-31")
    p = pj.projection(sample_data.budget, sample_data.spend, 2020, day)
    assert p.method == "linear"  # the straight line won the backtest of 2017-2019 (DOMAIN §8)
    spend = sample_data.spend
    # each past year's straight line on its own 31 August against its actual year-end
    errors = []
    for year in (2016, 2017, 2018, 2019):
        projected, actual = by_hand_linear(spend, year, 8, 31)
        errors.append(abs(projected - actual) / projected)
    # n = 4 cases: k = ceil(5 x 0.8) = 4, the largest error
    spread = max(errors)
    year_end, _ = by_hand_linear(spend, 2020, 8, 31)
    assert p.year_end == pytest.approx(year_end)
    assert (p.low, p.high) == pytest.approx((year_end * (1 - spread), year_end * (1 + spread)))
    assert p.range.cases == 4 and p.range.inside == 4
    assert narrative.range_words(p.range, "CHF") == (
        f"in 4 of 4 past years, the year ended within {spread * 100:.1f}% of its projection on the same day: "
        f"here, CHF {year_end * (1 - spread):,.0f} to CHF {year_end * (1 + spread):,.0f}")


def test_the_page_the_deck_the_brief_and_the_metrics_give_one_year_end_and_one_range(sample_data):
    from pptx import Presentation

    from ccm_analytics.outputs.brief import build_brief
    from ccm_analytics.outputs.deck import build_deck

    day = pd.Timestamp("2020-08-31")
    m = compute_metrics(sample_data, "2020-08-31")["budget"]
    v = budget_view(sample_data, day, 2020)
    assert m["projected_year_end"] == m["projection"]["year_end"] == v.projection.year_end
    assert (m["projection"]["low"], m["projection"]["high"]) == (v.projection.low, v.projection.high)
    assert m["projection"]["outlook"] == v.total_outlook
    # the straight line is chosen here; the budget lines' year-ends add up to the total
    assert sum(r["projected_year_end"] for r in m["lines"]) == pytest.approx(m["projected_year_end"])
    year_end = f"CHF {m['projected_year_end']:,.0f}"
    range_end = f"CHF {m['projection']['low']:,.0f} to CHF {m['projection']['high']:,.0f}"
    brief = build_brief(sample_data, day)
    assert year_end in brief.headlines[3].detail and range_end in brief.headlines[3].detail
    prs = Presentation(io.BytesIO(build_deck(sample_data, day, "Meeting", "test data")[0]))
    slide = next(s for s in prs.slides if s.shapes.title.text.startswith("Budget 2020"))
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert year_end in text and range_end in text


# -- calibration: the range holds the year-end 8 times in 10 ---------------------------------------------------

MEETINGS = [(5, 9), (3, 11), (6, 12)]      # the two yearly meetings of each shape (months)
PUBLICITY = [(10, 11, 12), (11, 12), (10, 12)]  # communication in Q4


def simulated_ledger(seed: int, shape: int, years: list[int]) -> pd.DataFrame:
    """Monthly salaries (growing by a random 2% +/- 2% a year), quarterly social charges, travel around two
    yearly meetings, communication in Q4, and random one-off costs; every amount with random noise."""
    rng = np.random.default_rng(seed)
    dates, lines, amounts = [], [], []

    def add(ds, line, amts):
        dates.append(np.asarray(ds, dtype="datetime64[D]"))
        lines.append(np.full(len(dates[-1]), line, dtype=object))
        amounts.append(np.asarray(amts, dtype="float64"))

    salary = rng.uniform(20000, 40000)
    for y in years:
        salary *= 1 + rng.normal(0.02, 0.02)
        ends = np.arange(f"{y}-02", f"{y + 1}-02", dtype="datetime64[M]").astype("datetime64[D]") - 1
        add(ends, "Salaries", salary * rng.normal(1, 0.01, 12))
        add(ends[2::3], "Social charges", 0.45 * salary * rng.normal(1, 0.03, 4))
        for m in MEETINGS[shape]:
            k = int(rng.integers(2, 6))
            mid = np.datetime64(f"{y}-{m:02d}-15")
            add(np.clip(mid + rng.integers(-25, 25, k), np.datetime64(f"{y}-01-01"), np.datetime64(f"{y}-12-31")),
                "Travel", rng.lognormal(np.log(0.15 * salary), 0.4, k))
        months = PUBLICITY[shape]
        add([np.datetime64(f"{y}-{m:02d}-01") + int(rng.integers(0, 27)) for m in months], "Communication",
            rng.lognormal(np.log(0.1 * salary), 0.5, len(months)))
        k = int(rng.poisson(3))
        add(np.datetime64(f"{y}-01-01") + rng.integers(0, 365, k), "Other", rng.lognormal(np.log(0.2 * salary), 0.8, k))
    return pd.DataFrame({"date": np.concatenate(dates).astype("datetime64[us]"), "cost_line": np.concatenate(lines),
                         "amount": np.concatenate(amounts), "description": None})


@pytest.mark.slow  # 210 simulated years replayed at three points each: a measurement, in make test
def test_the_range_holds_the_real_year_end_8_times_in_10_at_three_points_of_the_year():
    # 210 simulated years (70 of each shape), each with 4 past years: n = 4 past cases, k = 4, and the chance
    # that the year ends within the largest of 4 exchangeable past errors is 4/5 = 80%
    years = [2011, 2012, 2013, 2014, 2015]
    days = ["03-31", "06-30", "08-31"]
    held = {d: [] for d in days}
    for seed in range(210):
        spend = simulated_ledger(seed, seed % 3, years)
        budget = budget_frame([(2015, "Salaries", 1.0)])
        actual = spend.loc[spend["date"].dt.year == 2015, "amount"].sum()
        for d in days:
            p = pj.projection(budget, spend, 2015, pd.Timestamp(f"2015-{d}"))
            assert p.range.cases == 4 and p.range.known
            held[d].append(p.low <= actual <= p.high)
    rates = {d: float(np.mean(h)) for d, h in held.items()}
    print(f"\nthe 80% range held the year-end: {rates}")
    assert all(0.70 <= r <= 0.90 for r in rates.values()), rates
