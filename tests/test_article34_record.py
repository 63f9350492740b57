"""The Article 3 and 4 record (DOMAIN.md section 6): worked cases by hand, then the sample."""

from __future__ import annotations

import pandas as pd
import pytest

from ccm_analytics import narrative
from ccm_analytics.analysis import deadlines as dl
from ccm_analytics.errors import LoadError
from ccm_analytics.reading import read_inputs
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.views import deadlines_view, state_view

from .conftest import csv_source, load_csvs

# Two made-up States Parties. Bulgaria-like: deposit 2011-04-06 -> entry into force 2011-10-01
# (Article 17) -> Article 3 deadline 2019-10-01 (+ 8 years). Portugal-like: deposit 2011-03-09
# -> entry into force 2011-09-01 -> deadline 2019-09-01.
STATES = """state,signature_date,ratification_date
Bulgaria,2008-12-03,2011-04-06
Portugal,2008-12-03,2011-03-09
"""


def summary(data, day: str) -> dl.ArticleSummary:
    return dl.article_summary(dl.deadline_table(data.states, data.obligations, data.extensions, day), 3)


def row(data, day: str, state: str = "BGR") -> pd.Series:
    t = dl.effective_deadlines(data.states, data.obligations, data.extensions, day)
    return t[t["iso3"] == state].iloc[0]


# -- extensions: two granted, one pending ------------------------------------------------------

@pytest.fixture(scope="module")
def extended():
    # Rows deliberately out of order: extensions apply in order of granted_on, not of the file.
    return load_csvs(
        states=STATES,
        obligations="state,article\nBulgaria,3\n",
        extensions="state,article,requested_on,granted_on,new_deadline\n"
                   "Bulgaria,3,2020-05-15,2021-02-28,2022-10-01\n"
                   "Bulgaria,3,2022-06-30,,2023-12-31\n"
                   "Bulgaria,3,2019-04-30,2019-09-04,2021-04-01\n")


def test_a_request_not_yet_decided_does_not_move_the_deadline(extended):
    # 1 Jun 2019: the first request (30 Apr 2019) is pending until its grant on 4 Sep 2019.
    r = row(extended, "2019-06-01")
    assert r["effective_deadline"] == pd.Timestamp("2019-10-01")
    assert r["extensions"] == 0
    assert r["pending_requested_on"] == pd.Timestamp("2019-04-30")
    assert r["pending_new_deadline"] == pd.Timestamp("2021-04-01")


def test_granted_extensions_apply_in_the_order_they_were_granted(extended):
    r = row(extended, "2020-01-01")  # only the 4 Sep 2019 grant so far
    assert (r["effective_deadline"], r["extensions"]) == (pd.Timestamp("2021-04-01"), 1)
    assert pd.isna(r["pending_requested_on"])
    r = row(extended, "2021-03-01")  # both grants: the later one (28 Feb 2021) is in force
    assert (r["effective_deadline"], r["extensions"]) == (pd.Timestamp("2022-10-01"), 2)


def test_a_pending_request_past_the_deadline_is_overdue_and_pending(extended):
    # 1 Jul 2022: requested 30 Jun 2022, never granted; deadline in force 1 Oct 2022, 92 days away
    # (30 days of July + 31 of August + 30 of September + 1).
    t = dl.deadline_table(extended.states, extended.obligations, extended.extensions, "2022-07-01")
    assert t.loc[0, "status"] == "due_within_12_months" and t.loc[0, "days_remaining"] == 92
    assert t.loc[0, "pending_new_deadline"] == pd.Timestamp("2023-12-31")
    s = summary(extended, "2022-10-02")  # the day after the deadline in force
    assert (s.outstanding, s.overdue, s.pending_extensions) == (1, 1, 1)
    assert s.states_pending == ("Bulgaria",)


def test_the_timeline_draws_each_extension_then_the_pending_request(extended):
    seg = dl.deadline_segments(extended.states, extended.obligations, extended.extensions, "2022-07-01")
    assert list(seg["segment"]) == ["Original period", "Extension 1", "Extension 2",
                                    "Extension requested, not yet decided"]
    assert list(seg["start"].dt.date.astype(str)) == ["2011-10-01", "2019-10-01", "2021-04-01", "2022-10-01"]
    assert list(seg["end"].dt.date.astype(str)) == ["2019-10-01", "2021-04-01", "2022-10-01", "2023-12-31"]


def test_the_story_tells_requests_and_decisions_in_order_and_nothing_after_the_day(extended):
    story = narrative.obligation_story(dl.obligation_events(extended.states, extended.obligations, extended.extensions,
                                                            "BGR", "2021-01-01"))
    assert list(story["date"].dt.date.astype(str)) == ["2011-10-01", "2019-04-30", "2019-09-04", "2020-05-15"]
    assert "pending" in story.loc[3, "event"]  # granted only on 28 Feb 2021, after the day
    assert "pending" not in story.loc[1, "event"]


# -- completion known to the month or year --------------------------------------------------------

def completed(on: str, precision: str):
    return load_csvs(states=STATES, obligations=f"state,article,completed_on,completed_precision\n"
                                                f"Bulgaria,3,{on},{precision}\n")


def test_a_completion_known_to_the_month_counts_from_the_months_last_day():
    data = completed("2018-07-01", "month")  # "completed in July 2018" counts from 31 July 2018
    assert (summary(data, "2018-07-30").completed, summary(data, "2018-07-30").outstanding) == (0, 1)
    assert (summary(data, "2018-07-31").completed, summary(data, "2018-07-31").outstanding) == (1, 0)
    assert row(data, "2018-07-31")["completed_on"] == pd.Timestamp("2018-07-31")


def test_a_completion_known_to_the_year_counts_from_the_31_december():
    data = completed("2017-03-15", "year")  # any day of 2017 stands for "in 2017"
    assert summary(data, "2017-12-30").completed == 0
    assert summary(data, "2017-12-31").completed == 1


# -- destruction before entry into force ---------------------------------------------------------

@pytest.mark.parametrize("day, stockpiled, destroyed", [
    ("2011-03-08", 0, 0),  # not yet a State Party
    ("2011-03-09", 1, 0),  # deposit: a State Party holding stocks, the Convention not yet binding
    ("2011-04-28", 1, 0),
    ("2011-04-29", 1, 1),  # destroyed, before entry into force on 1 Sep 2011
    ("2011-09-01", 1, 1),
    ("2019-09-02", 1, 1),  # the day after the (computed) deadline: still not overdue
])
def test_destruction_before_entry_into_force_counts_as_destroyed_and_never_outstanding(day, stockpiled, destroyed):
    data = load_csvs(states=STATES, obligations="state,article,completed_on\nPortugal,3,2011-04-29\n")
    s = summary(data, day)
    assert (s.held, s.completed, s.outstanding, s.overdue) == (stockpiled, destroyed, 0, 0)


def test_stocks_destroyed_years_before_the_convention_load_without_error():
    data = load_csvs(states=STATES, obligations="state,article,completed_on,completed_precision,quantity\n"
                                                "Portugal,3,2004-01-01,year,117\n")
    assert summary(data, "2012-01-01").completed == 1
    assert summary(data, "2012-01-01").quantity_completed == 117


def test_a_declaration_that_none_was_held_ends_the_obligation_without_counting_as_destroyed():
    # Guinea-Bissau-like: deadline 1 May 2019 missed, then "never had any" declared in May 2022.
    data = load_csvs(states=STATES, obligations="state,article,completed_on,completed_precision,outcome\n"
                                                "Bulgaria,3,2022-05-01,month,none_held\n")
    assert (summary(data, "2020-01-01").outstanding, summary(data, "2020-01-01").overdue) == (1, 1)
    s = summary(data, "2022-05-31")
    assert (s.held, s.completed, s.outstanding) == (0, 0, 0)


# -- loading the record's columns -------------------------------------------------------------------

def problems(**datasets: str):
    sources = [csv_source(f"{name}.csv", text) for name, text in datasets.items()]
    with pytest.raises(LoadError) as e:
        read_inputs(sources, today=pd.Timestamp("2026-01-01"))
    return e.value.problems


def test_a_pending_request_needs_no_decision_day_but_every_row_needs_one_of_the_two_days():
    found = problems(states=STATES, obligations="state,article\nBulgaria,3\n",
                     extensions="state,article,requested_on,granted_on,new_deadline\n"
                                "Bulgaria,3,2022-06-30,,2023-12-31\n"
                                "Bulgaria,3,,,2024-12-31\n"
                                "Bulgaria,3,,2019-09-04,\n")
    errors = [p for p in found if p.severity == "error"]
    assert [(p.file, p.row, p.column) for p in errors] == [("extensions.csv", 3, "granted_on"),
                                                           ("extensions.csv", 4, "new_deadline")]
    assert "requested" in errors[0].message and "new deadline" in errors[1].message


def test_an_unknown_precision_or_outcome_is_reported_at_its_cell():
    found = problems(states=STATES, obligations="state,article,completed_on,completed_precision,outcome\n"
                                                "Bulgaria,3,2018-07-01,weekly,\n"
                                                "Portugal,3,2011-04-29,,destroyed\n")
    assert [(p.row, p.column, p.value) for p in found if p.severity == "error"] == [
        (2, "completed_precision", "weekly"), (3, "outcome", "destroyed")]


# -- the sample is the record ------------------------------------------------------------------------

def test_as_at_31_july_2018_seven_states_still_had_stocks_to_destroy(sample_data):
    # ISU, 31 Jul 2018 (Croatia completed "at the end of July 2018"): 7 States Parties with
    # Article 3 obligations: Botswana, Bulgaria, Guinea-Bissau, Peru, Slovakia, South Africa, Switzerland.
    m = compute_metrics(sample_data, "2018-07-31")
    assert m["stockpiles"]["still_to_destroy"] == 7
    s = summary(sample_data, "2018-07-31")
    assert s.states_outstanding == ("Botswana", "Bulgaria", "Guinea-Bissau", "Peru", "Slovakia", "South Africa",
                                    "Switzerland")


def test_peru_was_the_last_to_destroy_its_stockpile(sample_data):
    # Peru destroyed its last stocks on 15 Dec 2023; South Africa declared fulfilment "in 2023",
    # counted from 31 Dec 2023.
    assert summary(sample_data, "2023-12-14").states_outstanding == ("Peru", "South Africa")
    assert compute_metrics(sample_data, "2023-12-31")["stockpiles"]["still_to_destroy"] == 0


# Counts published by the ISU and the Monitor on a day, and whether the sample gives them
# (the report of issue 12 says why the others differ).
PUBLISHED = [
    # (day, article, field, published value, source)
    ("2013-09-30", 3, "outstanding", 19, "clusterconvention.org, Sept 2013: 19 SPs with stockpiles"),
    ("2013-10-25", 3, "outstanding", 18, "ISU: North Macedonia completes; 18 SPs with Art. 3 obligations remain"),
    ("2014-03-20", 3, "outstanding", 16, "ISU: Denmark completes; 16 SPs with Art. 3 obligations remain"),
    ("2014-08-01", 3, "held", 33, "Monitor 2014: 33 States Parties that stockpiled"),
    ("2018-07-31", 3, "outstanding", 7, "ISU: Croatia completes; 7 remain"),
    ("2018-11-22", 3, "outstanding", 6, "ISU: Botswana completes; 6 remain"),
    ("2019-03-19", 3, "outstanding", 5, "ISU: Switzerland completes; 5 remain"),
    ("2019-08-01", 4, "completed", 8, "Monitor 2019: 8 SPs completed clearance"),
    ("2020-07-10", 4, "outstanding", 11, "ISU: Croatia completes clearance; 11 remain"),
    ("2020-07-31", 4, "outstanding", 10, "ISU: Montenegro completes clearance; 10 remain"),
]


@pytest.mark.parametrize("day, article, field, value, source", PUBLISHED)
def test_the_sample_reproduces_published_counts(sample_data, day, article, field, value, source):
    table = dl.deadline_table(sample_data.states, sample_data.obligations, sample_data.extensions, day)
    s = dl.article_summary(table, article)
    assert getattr(s, field) == value, source


# -- as of D means knowable on D ---------------------------------------------------------------------

def test_a_2018_view_shows_no_note_or_source_about_2023(sample_data):
    day = pd.Timestamp("2018-09-05")
    v = deadlines_view(sample_data, day, include_completed=True)
    # Deadlines in 2023 were set on entry into force: those are facts of 2018. No text may tell of 2023.
    text = v.table[["notes", "completed_text", "pending_text"]].astype(str)
    assert not text.apply(lambda col: col.str.contains("2023")).any().any()
    assert v.table["completed_on"].max() <= day
    p = state_view(sample_data, day, "BGR")
    assert not p.record_notes  # Bulgaria's note tells of its 2023 completion
    assert list(p.story["date"]) == [pd.Timestamp("2011-10-01")]
    assert all("2023" not in label for labels in p.story["sources"] for label, _ in labels)
    assert p.story["date"].max() <= day


def test_a_note_is_shown_from_the_end_of_the_latest_year_it_names():
    notes = pd.Series(["Completed June 2023 (Monitor 2023).", "No year here.", None])
    shown = dl.knowable_note(notes, "2023-12-30")
    assert pd.isna(shown[0]) and shown[1] == "No year here." and pd.isna(shown[2])
    assert dl.knowable_note(notes, "2023-12-31")[0] == "Completed June 2023 (Monitor 2023)."


def test_source_addresses_dated_after_the_day_are_left_out():
    cell = ("http://www.the-monitor.org/en-gb/reports/2019/botswana/x.aspx | https://ccm3.pronk.se/2018/11/22/b/ "
            "| https://www.mineactionreview.org/country/chile | not a link")
    assert [label for label, _ in dl.source_links(cell, "2018-12-31")] == ["ccm3.pronk.se 2018", "mineactionreview.org"]
    assert len(dl.source_links(cell)) == 3


# -- the illustrative reports agree with data/reference/reporting_record.csv ------------------------

def generator():
    import importlib.util

    from .conftest import ROOT

    spec = importlib.util.spec_from_file_location("make_sample_data", ROOT / "scripts" / "make_sample_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Facts the sources themselves contradict, and why the sample cannot agree with both.
CONTRADICTED = {
    ("Cameroon", "2015-06-18"): "the Monitor (2017) dates Cameroon's report August 2014, unpublished until 2016",
    ("Cameroon", "2015-07-03"): "the same report, dated August 2014",
    ("Guinea", "2015-06-18"): "Article 17 puts Guinea's initial report due on 28 Sep 2015 (the page printed 19 Apr)",
    ("Benin", "2019-06-20"): "the Monitor wrote 'overdue' on the day the report arrived (20 Jun 2019)",
}


def test_every_state_named_overdue_on_a_day_is_overdue_in_the_sample_that_day(sample_data):
    from ccm_analytics.analysis.reporting import report_statuses

    gen = generator()
    facts = gen.overdue_facts(gen.reporting_record())
    iso = dict(zip(sample_data.states["state"], sample_data.states["iso3"]))
    wrong = []
    for f in facts.itertuples():
        st = report_statuses(sample_data.states, sample_data.reports, f.day)
        status = st.loc[(st["iso3"] == iso[f.state]) & (st["report_type"] == f.report_type), "status"].iloc[0]
        if status != "overdue":
            wrong.append((f.state, str(f.day.date())))
    assert len(facts) == 82
    assert sorted(wrong) == sorted(CONTRADICTED)


def test_the_sixteen_known_submission_dates_are_in_the_sample(sample_data):
    gen = generator()
    known = gen.known_submissions(gen.reporting_record())
    assert len(known) == 16
    iso = dict(zip(sample_data.states["state"], sample_data.states["iso3"]))
    r = sample_data.reports
    for k in known.itertuples():
        mine = r[(r["iso3"] == iso[k.state]) & (r["report_type"] == k.report_type)]
        if k.report_type == "annual":
            mine = mine[mine["year"] == k.year]
        assert list(mine["submitted_on"]) == [k.submitted], k


@pytest.mark.parametrize("year, first", [
    (2017, ["KNA", "URY", "MOZ"]),  # ISU: first, second and third 2017 annual reports
    (2019, ["GNB", "AUS", "KNA"]),  # gold, silver, bronze within three days of New Year 2020
    (2022, ["AUS", "KNA", "GNB"]),
])
def test_the_first_annual_reports_of_a_year_come_in_the_published_order(sample_data, year, first):
    r = sample_data.reports[(sample_data.reports["report_type"] == "annual") & (sample_data.reports["year"] == year)]
    assert list(r.sort_values(["submitted_on", "iso3"])["iso3"].head(len(first))) == first
