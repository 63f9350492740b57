"""Hand-worked cases for every treaty rule of DOMAIN.md section 2-3, at its edges."""

from __future__ import annotations

import pandas as pd
import pytest

from ccm_analytics.analysis import treaty
from ccm_analytics.analysis.budget import budget_status, elapsed_fraction
from ccm_analytics.analysis.projection import projection
from ccm_analytics.analysis.deadlines import deadline_counts, deadline_table
from ccm_analytics.analysis.reporting import report_statuses, reporting_summary
from ccm_analytics.analysis.states import universalization
from ccm_analytics.metrics import compute_metrics

from .conftest import load_csvs


def eif(deposit: str) -> str:
    return treaty.entry_into_force(pd.Series([pd.Timestamp(deposit)]))[0].date().isoformat()


# -- entry into force (Article 17) ----------------------------------------------------------------

@pytest.mark.parametrize("deposit, expected", [
    ("2008-12-03", "2010-08-01"),   # signed and ratified in Oslo: one of the first 30
    ("2010-01-31", "2010-08-01"),   # the later-deposit formula would give 1 July: the first 30 rule wins
    ("2010-02-16", "2010-08-01"),   # the 30th instrument
    ("2010-02-17", "2010-08-01"),   # first day of the sixth month after February
    ("2010-03-01", "2010-09-01"),
    ("2010-05-04", "2010-11-01"),   # the United Kingdom
    ("2011-04-06", "2011-10-01"),   # Bulgaria
    ("2017-05-20", "2017-11-01"),   # Madagascar
    ("2018-07-31", "2019-01-01"),   # across a year end
    ("2012-02-29", "2012-08-01"),   # a 29 February deposit
])
def test_entry_into_force_follows_article_17(deposit, expected):
    assert eif(deposit) == expected


def test_entry_into_force_is_missing_without_a_deposit():
    assert treaty.entry_into_force(pd.Series([pd.NaT], dtype="datetime64[us]")).isna().all()


# -- counting States Parties ---------------------------------------------------------------------

STATES = """state,signature_date,ratification_date,withdrawal_date
Albania,2008-12-03,2009-06-16,
Madagascar,2008-12-03,2017-05-20,
Indonesia,2008-12-03,,
Lithuania,2008-12-03,2011-03-24,2025-03-06
"""


def test_a_state_counts_from_its_deposit_day_not_its_entry_into_force():
    data = load_csvs(states=STATES)
    before = universalization(data.states, pd.Timestamp("2017-05-19"))
    on_day = universalization(data.states, pd.Timestamp("2017-05-20"))
    assert (before.states_parties, on_day.states_parties) == (2, 3)  # ALB, LTU; then MDG too
    assert on_day.in_force == 2  # Madagascar bound only from 2017-11-01
    assert universalization(data.states, pd.Timestamp("2017-11-01")).in_force == 3


def test_withdrawal_ends_membership_on_its_effective_day():
    data = load_csvs(states=STATES)
    assert universalization(data.states, pd.Timestamp("2025-03-05")).states_parties == 3
    after = universalization(data.states, pd.Timestamp("2025-03-06"))
    assert after.states_parties == 2
    assert after.signatories == 1  # Indonesia only: a withdrawn state is no signatory


# -- Article 7 reports ---------------------------------------------------------------------------------

REPORTS_STATES = """state,signature_date,ratification_date,withdrawal_date
Bulgaria,2008-12-03,2011-04-06,
Lithuania,2008-12-03,2011-03-24,2025-03-06
"""


def statuses(reports: str, as_of: str, states: str = REPORTS_STATES):
    data = load_csvs(states=states, reports=reports)
    return report_statuses(data.states, data.reports, pd.Timestamp(as_of))


def one(frame, iso3, report_type, year=None):
    f = frame[(frame["iso3"] == iso3) & (frame["report_type"] == report_type)]
    if year is not None:
        f = f[f["year"] == year]
    assert len(f) == 1
    return f.iloc[0]


def test_initial_report_is_due_180_days_after_entry_into_force():
    s = statuses("state,report_type,year,submitted_on\n", "2013-01-01")
    assert one(s, "BGR", "initial")["due_date"] == pd.Timestamp("2012-03-29")  # 2011-10-01 + 180 days
    assert one(s, "LTU", "initial")["due_date"] == pd.Timestamp("2012-02-28")  # 2011-09-01 + 180 days


def test_a_report_due_on_the_as_of_day_is_not_yet_due():
    s = statuses("state,report_type,year,submitted_on\n", "2012-03-29")
    assert one(s, "BGR", "initial")["status"] == "not_due"
    s = statuses("state,report_type,year,submitted_on\n", "2012-03-30")
    row = one(s, "BGR", "initial")
    assert (row["status"], row["days_overdue"]) == ("overdue", 1)


def test_a_report_submitted_on_its_due_day_is_on_time_and_a_day_later_is_late():
    reports = "state,report_type,year,submitted_on\nBulgaria,initial,,2012-03-29\nLithuania,initial,,2012-02-29\n"
    s = statuses(reports, "2012-06-01")
    assert one(s, "BGR", "initial")["status"] == "on_time"
    assert one(s, "LTU", "initial")["status"] == "late"  # due 28 Feb 2012, received 29 Feb


def test_a_report_received_after_the_as_of_day_is_still_overdue_on_that_day():
    reports = "state,report_type,year,submitted_on\nBulgaria,annual,2017,2018-10-02\n"
    s = statuses(reports, "2018-09-05")
    row = one(s, "BGR", "annual", 2017)
    assert (row["status"], row["days_overdue"]) == ("overdue", 128)  # 30 Apr -> 5 Sep 2018
    assert one(statuses(reports, "2018-10-02"), "BGR", "annual", 2017)["status"] == "late"


def test_annual_reports_are_owed_from_the_year_the_initial_report_fell_due():
    states = "state,signature_date,ratification_date\nMadagascar,2008-12-03,2017-05-20\n"
    s = statuses("state,report_type,year,submitted_on\n", "2020-01-01", states)
    years = sorted(int(y) for y in s.loc[s["report_type"] == "annual", "year"])
    assert one(s, "MDG", "initial")["due_date"] == pd.Timestamp("2018-04-30")
    assert years[0] == 2018  # initial due 30 Apr 2018: no 2017 annual report owed
    assert one(s, "MDG", "annual", 2018)["due_date"] == pd.Timestamp("2019-04-30")


def test_a_withdrawn_state_owes_nothing_due_on_or_after_its_withdrawal():
    s = statuses("state,report_type,year,submitted_on\n", "2026-01-01")
    ltu = s[(s["iso3"] == "LTU") & (s["report_type"] == "annual")]
    assert int(ltu["year"].max()) == 2023  # the 2024 report was due 30 Apr 2025, after 6 Mar 2025
    assert (ltu["status"] == "overdue").all()  # what was owed before stays overdue


def test_the_earliest_of_two_submissions_counts():
    reports = ("state,report_type,year,submitted_on\nBulgaria,annual,2017,2018-07-09\n"
               "Bulgaria,annual,2017,2018-04-30\n")
    s = statuses(reports, "2018-09-05")
    assert one(s, "BGR", "annual", 2017)["status"] == "on_time"


def test_default_annual_year_is_the_latest_due_before_the_as_of_day():
    assert treaty.default_report_year(pd.Timestamp("2018-04-30")) == 2016  # 2017's is due that very day
    assert treaty.default_report_year(pd.Timestamp("2018-05-01")) == 2017
    assert treaty.default_report_year(pd.Timestamp("2018-01-01")) == 2016


def test_rates_are_null_when_nothing_is_due():
    s = statuses("state,report_type,year,submitted_on\n", "2011-01-01")
    summary = reporting_summary(s, pd.Timestamp("2011-01-01"))
    assert summary.initial.due == 0
    assert summary.initial.compliance_rate is None and summary.initial.submission_rate is None


# -- Article 3 / 4 deadlines ---------------------------------------------------------------------------

DEADLINE_STATES = """state,signature_date,ratification_date,entry_into_force,withdrawal_date
Bulgaria,2008-12-03,2011-04-06,,
Lithuania,2008-12-03,2011-03-24,,2025-03-06
Nauru,2008-12-03,2011-08-31,2012-02-29,
"""


def deadlines(obligations: str, extensions: str, as_of: str):
    data = load_csvs(states=DEADLINE_STATES, obligations=obligations, extensions=extensions)
    return deadline_table(data.states, data.obligations, data.extensions, pd.Timestamp(as_of))


EXT_HEADER = "state,article,granted_on,new_deadline\n"


def test_deadlines_are_8_and_10_years_after_entry_into_force():
    t = deadlines("state,article\nBulgaria,3\nBulgaria,4\n", EXT_HEADER, "2018-01-01")
    assert list(t["deadline"]) == [pd.Timestamp("2019-10-01"), pd.Timestamp("2021-10-01")]


def test_29_february_entry_into_force_gives_28_february_when_the_year_has_none():
    t = deadlines("state,article\nNauru,3\nNauru,4\n", EXT_HEADER, "2018-01-01")
    by_article = dict(zip(t["article"], t["deadline"]))
    assert by_article[3] == pd.Timestamp("2020-02-29")  # 2012-02-29 + 8 years: a leap year
    assert by_article[4] == pd.Timestamp("2022-02-28")  # + 10 years: no 29 February


def test_an_extension_applies_from_the_day_it_is_granted():
    ext = EXT_HEADER + "Bulgaria,3,2019-09-04,2021-04-01\n"
    before = deadlines("state,article\nBulgaria,3\n", ext, "2019-09-03").iloc[0]
    on_day = deadlines("state,article\nBulgaria,3\n", ext, "2019-09-04").iloc[0]
    assert before["effective_deadline"] == pd.Timestamp("2019-10-01") and before["extensions"] == 0
    assert on_day["effective_deadline"] == pd.Timestamp("2021-04-01") and on_day["extensions"] == 1


def test_the_latest_granted_extension_wins_whatever_the_row_order():
    ext = EXT_HEADER + "Bulgaria,3,2020-11-26,2023-12-31\nBulgaria,3,2019-09-04,2021-04-01\n"
    row = deadlines("state,article\nBulgaria,3\n", ext, "2021-01-01").iloc[0]
    assert row["effective_deadline"] == pd.Timestamp("2023-12-31")


@pytest.mark.parametrize("as_of, status, days", [
    ("2018-09-30", "on_track", 366),
    ("2018-10-01", "due_within_12_months", 365),
    ("2019-10-01", "due_within_12_months", 0),   # the deadline is the as-of day: not yet overdue
    ("2019-10-02", "overdue", -1),
])
def test_deadline_status_at_its_edges(as_of, status, days):
    row = deadlines("state,article\nBulgaria,3\n", EXT_HEADER, as_of).iloc[0]
    assert (row["status"], row["days_remaining"]) == (status, days)


def test_completed_on_the_as_of_day_counts_as_completed():
    obligations = "state,article,completed_on\nBulgaria,3,2018-06-20\n"
    assert deadlines(obligations, EXT_HEADER, "2018-06-19").iloc[0]["status"] == "on_track"
    row = deadlines(obligations, EXT_HEADER, "2018-06-20").iloc[0]
    assert row["status"] == "completed" and pd.isna(row["days_remaining"])


def test_a_withdrawn_state_has_no_deadline_rows():
    t = deadlines("state,article\nLithuania,3\n", EXT_HEADER, "2025-03-06")
    assert t.empty
    assert len(deadlines("state,article\nLithuania,3\n", EXT_HEADER, "2025-03-05")) == 1


def test_a_deadline_731_days_away_is_beyond_24_months():
    row = deadlines("state,article,deadline\nNauru,3,2020-06-01\n", EXT_HEADER, "2018-06-01").iloc[0]
    assert row["days_remaining"] == 731  # 365 + 366 (29 Feb 2020)
    assert deadline_counts(deadlines("state,article,deadline\nNauru,3,2020-06-01\n", EXT_HEADER,
                                     "2018-06-01")).due_within_24_months == 0


def test_deadline_counts_split_by_status_and_horizon():
    obligations = "state,article,deadline,completed_on\nBulgaria,3,,2015-01-01\nBulgaria,4,2019-03-01,\nNauru,3,2020-05-01,\nNauru,4,2017-01-01,\n"
    t = deadlines(obligations, EXT_HEADER, "2018-06-01")
    c = deadline_counts(t)
    assert (c.total, c.completed, c.outstanding, c.overdue) == (4, 1, 3, 1)
    assert (c.due_within_12_months, c.due_within_24_months) == (1, 2)  # 273 and 700 days away


# -- budget -------------------------------------------------------------------------------------

BUDGET = "year,cost_line,amount\n2020,Salaries,366000\n2020,Travel,36600\n"


def test_elapsed_fraction_counts_the_as_of_day_and_29_february():
    assert elapsed_fraction(2020, pd.Timestamp("2020-02-29")) == pytest.approx(60 / 366)
    assert elapsed_fraction(2018, pd.Timestamp("2018-09-05")) == pytest.approx(248 / 365)
    assert elapsed_fraction(2018, pd.Timestamp("2017-12-31")) == 0.0
    assert elapsed_fraction(2018, pd.Timestamp("2019-03-01")) == 1.0
    assert elapsed_fraction(2018, pd.Timestamp("2018-01-01")) == pytest.approx(1 / 365)


def test_refunds_reduce_spend_and_later_spend_does_not_count():
    spend = ("date,cost_line,amount\n2020-01-31,Salaries,30500\n2020-02-15,Travel,\"1,200\"\n"
             "2020-02-20,Travel,-200\n2020-03-31,Salaries,30500\n")
    data = load_csvs(budget=BUDGET, spend=spend)
    st = budget_status(data.budget, data.spend, data.contributions, 2020, pd.Timestamp("2020-02-29"))
    lines = st.lines.set_index("cost_line")
    assert lines.loc["Travel", "spent"] == 1000.0
    assert st.total.spent == 31500.0
    assert st.total.budget == 402600.0
    # 60 of 366 days elapsed, no earlier year: the straight line, projected = 31500 / (60/366) = 192150
    p = projection(data.budget, data.spend, 2020, pd.Timestamp("2020-02-29"))
    assert p.method == "linear" and p.year_end == pytest.approx(192150.0)
    assert compute_metrics(data, "2020-02-29")["budget"]["projected_variance"] == pytest.approx(192150.0 - 402600.0)
    assert lines.loc["Salaries", "pace"] == pytest.approx((30500 / 366000) / (60 / 366))


def test_contributions_count_for_the_year_they_fund_once_received():
    contributions = ("date,donor,amount,year\n2019-12-12,Norway,90000,2020\n2020-02-01,Ireland,10000,\n"
                     "2020-10-15,Germany,50000,2021\n2020-03-01,Spain,5000,2020\n")
    data = load_csvs(budget=BUDGET, contributions=contributions)
    st = budget_status(data.budget, data.spend, data.contributions, 2020, pd.Timestamp("2020-02-29"))
    assert st.received == 100000.0  # Norway (early, for 2020) + Ireland (year of its date); not Spain yet
    assert st.funding_gap == 402600.0 - 100000.0


def test_no_budget_gives_null_ratios_not_errors():
    data = load_csvs(budget=BUDGET)
    out = compute_metrics(data, "2025-06-01")["budget"]
    assert out["budget"] == 0 and out["spent"] == 0
    assert out["burn_rate"] is None and out["pace"] is None
    assert out["lines"] == []


def test_before_the_budget_year_starts_projection_is_null():
    data = load_csvs(budget=BUDGET)
    st = budget_status(data.budget, data.spend, data.contributions, 2020, pd.Timestamp("2019-12-01"))
    assert st.elapsed_fraction == 0.0
    assert st.total.pace is None
    assert projection(data.budget, data.spend, 2020, pd.Timestamp("2019-12-01")).year_end is None


def test_the_multi_year_view_counts_each_year_as_the_year_view_does(sample_data):
    from ccm_analytics.analysis.budget import multi_year
    as_of = pd.Timestamp("2018-09-05")
    m = multi_year(sample_data.budget, sample_data.spend, sample_data.contributions, as_of).set_index("year")
    for year in m.index:
        st = budget_status(sample_data.budget, sample_data.spend, sample_data.contributions, int(year), as_of)
        assert m.loc[year, "spent"] == pytest.approx(st.total.spent)
        assert m.loc[year, "received"] == pytest.approx(st.received)
        assert m.loc[year, "budget"] == pytest.approx(st.total.budget)
    assert m.loc[2019, "spent"] == 0.0 and m.loc[2017, "elapsed_fraction"] == 1.0
