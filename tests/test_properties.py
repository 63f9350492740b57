"""Property tests: invariants that must hold for any data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccm_analytics.analysis import treaty
from ccm_analytics.analysis.budget import budget_status
from ccm_analytics.analysis.reporting import report_statuses, reporting_series, reporting_summary
from ccm_analytics.data import CcmData
from ccm_analytics.metrics import compute_metrics

from .conftest import examples

days = st.dates(min_value=dt.date(2008, 12, 3), max_value=dt.date(2030, 12, 31))


@given(days)
def test_entry_into_force_is_a_first_of_month_within_six_months_and_never_before_august_2010(deposit):
    eif = treaty.entry_into_force(pd.Series([pd.Timestamp(deposit)]))[0]
    assert eif.day == 1
    assert eif >= pd.Timestamp("2010-08-01")
    assert eif > pd.Timestamp(deposit)
    assert (eif - pd.Timestamp(deposit)).days <= 184 or deposit <= dt.date(2010, 2, 16)


@st.composite
def reporting_data(draw):
    n = draw(st.integers(1, 8))
    codes = ["ALB", "AUT", "BEL", "BGR", "HRV", "DNK", "FRA", "DEU"][:n]
    rat = draw(st.lists(st.one_of(st.none(), days), min_size=n, max_size=n))
    wd = draw(st.lists(st.one_of(st.none(), days), min_size=n, max_size=n))
    states = pd.DataFrame({
        "iso3": codes, "state": codes,
        "ratification_date": pd.to_datetime(rat),
        "withdrawal_date": pd.to_datetime([w if (w and r and w > r) else None for w, r in zip(wd, rat)]),
        "signature_date": pd.to_datetime([dt.date(2008, 12, 3)] * n),
    })
    reports = draw(st.lists(st.tuples(st.sampled_from(codes), st.sampled_from(["initial", "annual"]),
                                      st.integers(2010, 2030), days), max_size=40))
    rep = pd.DataFrame(reports, columns=["iso3", "report_type", "year", "submitted_on"])
    rep["submitted_on"] = pd.to_datetime(rep["submitted_on"])
    return CcmData.from_frames({"states": states, "reports": rep}), draw(days)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reporting_data())
def test_on_time_late_and_overdue_add_up_to_due(case):
    data, as_of = case
    s = report_statuses(data.states, data.reports, pd.Timestamp(as_of))
    summary = reporting_summary(s, pd.Timestamp(as_of))
    for c in (summary.initial, summary.annual):
        assert c.on_time + c.late + c.overdue == c.due
        if c.due:
            assert 0 <= c.compliance_rate <= c.submission_rate <= 1
    series = reporting_series(s)
    assert (series["on_time"] + series["late"] + series["overdue"] == series["due"]).all()
    assert len(summary.overdue) == int((s["status"] == "overdue").sum())


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reporting_data(), st.randoms(use_true_random=False))
def test_counts_do_not_depend_on_row_order(case, rnd):
    data, as_of = case
    order_s = list(range(len(data.states)))
    order_r = list(range(len(data.reports)))
    rnd.shuffle(order_s)
    rnd.shuffle(order_r)
    shuffled = CcmData.from_frames({"states": data.states.iloc[order_s], "reports": data.reports.iloc[order_r]})
    a = compute_metrics(data, as_of)
    b = compute_metrics(shuffled, as_of)
    assert a["universalization"] == b["universalization"]
    assert a["reporting"]["initial"] == b["reporting"]["initial"]
    assert a["reporting"]["annual"] == b["reporting"]["annual"]
    assert a["reporting"]["overdue"] == b["reporting"]["overdue"]


amounts = st.floats(-5000, 50000, allow_nan=False).map(lambda x: round(x, 2))


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Salaries", "Travel", "Other"]), st.dates(dt.date(2017, 6, 1), dt.date(2019, 6, 1)),
                          amounts), max_size=30),
       st.dates(dt.date(2017, 6, 1), dt.date(2019, 6, 1)))
def test_cost_lines_add_up_to_the_total(rows, as_of):
    budget = pd.DataFrame({"year": [2018] * 3, "cost_line": ["Salaries", "Travel", "Other"],
                           "amount": [300000.0, 30000.0, 1000.0]})
    spend = pd.DataFrame(rows, columns=["cost_line", "date", "amount"])
    spend["date"] = pd.to_datetime(spend["date"])
    data = CcmData.from_frames({"budget": budget, "spend": spend})
    st_ = budget_status(data.budget, data.spend, data.contributions, 2018, pd.Timestamp(as_of))
    assert abs(st_.lines["spent"].sum() - st_.total.spent) < 1e-6
    expected = sum(a for _, d, a in rows if dt.date(2018, 1, 1) <= d <= min(as_of, dt.date(2018, 12, 31)))
    assert abs(st_.total.spent - expected) < 1e-6
    assert 0.0 <= st_.elapsed_fraction <= 1.0
