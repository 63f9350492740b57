"""The action plan in force on D (DOMAIN.md §2-§3): its target while it stands, never a lapsed one."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pptx import Presentation

from ccm_analytics import narrative
from ccm_analytics.analysis.plans import plan_in_force
from ccm_analytics.analysis.states import universalization
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.outputs.deck import build_deck

from .test_deck import slide_titled


@pytest.mark.parametrize("day, code", [("2010-11-11", None), ("2010-11-12", "vientiane"), ("2015-09-10", "vientiane"),
                                       ("2015-09-11", "dubrovnik"), ("2021-09-20", "dubrovnik"),
                                       ("2021-09-21", "lausanne"), ("2026-12-07", "lausanne")])
def test_the_plan_in_force_is_the_last_adopted_on_or_before_the_day(day, code):
    plan = plan_in_force(day)
    assert (plan.code if plan else None) == code


def test_before_the_second_review_conference_the_dubrovnik_target_stands(sample_data):
    u = universalization(sample_data.states, pd.Timestamp("2018-09-05"))
    assert (u.states_parties, u.target, u.target_year, u.to_target) == (104, 130, 2020, 26)
    assert narrative.target_phrase(u) == "26 to go to the target of 130 by 2020"


def test_after_2020_and_before_lausanne_the_dubrovnik_target_is_said_missed(sample_data):
    # 110 States Parties on 1 June 2021 (the sample's states: 104 on 5 Sep 2018, then Gambia, Philippines,
    # Maldives, Sao Tome and Principe, Niue, Saint Lucia): 130 - 110 = 20.
    u = universalization(sample_data.states, pd.Timestamp("2021-06-01"))
    assert (u.states_parties, u.plan.code) == (110, "dubrovnik")
    assert narrative.target_phrase(u) == "20 short of the target of 130 set for 2020"


def test_under_the_lausanne_plan_no_count_target_is_shown_and_joiners_since_its_adoption_are_counted(sample_data):
    # Deposited on or after 21 Sep 2021 and on or before 1 Jun 2024: Nigeria (2023-02-28), South Sudan (2023-08-03).
    u = universalization(sample_data.states, pd.Timestamp("2024-06-01"))
    assert (u.plan.code, u.target, u.to_target, u.joined_since_plan) == ("lausanne", None, None, 2)
    assert narrative.target_phrase(u) == "2 States became parties since the Lausanne Action Plan was adopted on 21 September 2021"
    assert "target" not in narrative.plan_line(u).lower().replace("no count of states parties", "")


def test_a_view_before_the_dubrovnik_plan_does_not_show_its_target(sample_data):
    u = universalization(sample_data.states, pd.Timestamp("2012-06-01"))
    assert (u.plan.code, u.target) == ("vientiane", None)
    assert "130" not in narrative.target_phrase(u) and "Dubrovnik" not in narrative.plan_line(u)


def test_before_the_first_plan_nothing_is_said_of_a_plan(sample_data):
    u = universalization(sample_data.states, pd.Timestamp("2010-06-01"))
    assert u.plan is None and narrative.target_phrase(u) == "" and narrative.plan_line(u) == ""


def test_the_metrics_json_names_the_plan_in_force_beside_the_last_count_target(sample_data):
    u = compute_metrics(sample_data, "2024-06-01")["universalization"]
    assert (u["target"], u["target_year"]) == (130, 2020)
    assert u["action_plan"] == {"plan": "lausanne", "adopted_on": "2021-09-21", "period_start": 2021,
                                "period_end": 2026, "target": None, "target_year": None, "joined_since_adoption": 2}
    assert compute_metrics(sample_data, "2010-06-01")["universalization"]["action_plan"] is None


def test_the_deck_in_2024_draws_no_target_line_and_says_which_plan_is_in_force(sample_data):
    data, _ = build_deck(sample_data, "2024-06-01", "T", "test data")
    slide = slide_titled(Presentation(io.BytesIO(data)), "Universalization")
    charts = [sh.chart for sh in slide.shapes if sh.has_chart]
    assert [s.name for s in charts[0].plots[0].series] == ["States Parties (end of year; last: as at the day)"]
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "130" not in text and "Lausanne Action Plan" in text


def test_french_and_spanish_name_the_plan(sample_data):
    from ccm_analytics import i18n
    u = universalization(sample_data.states, pd.Timestamp("2024-06-01"))
    with i18n.language("fr"):
        assert "Plan d’action de Lausanne" in narrative.target_phrase(u) or "Plan d'action de Lausanne" in narrative.target_phrase(u)
        assert "1er" not in narrative.target_phrase(u)
    with i18n.language("es"):
        assert "Plan de Acción de Lausana" in narrative.target_phrase(u)
