"""Charts in French and Spanish: titles, axes, legends, hovers, month names and number separators
in the language (DOMAIN §12); English as before."""

from __future__ import annotations

import pandas as pd
import pytest

from ccm_analytics import figures, i18n
from ccm_analytics import formatting as fmt
from ccm_analytics import views

DAY = pd.Timestamp(2018, 9, 5)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def _cumulative() -> pd.DataFrame:
    dates = pd.date_range("2018-01-01", "2018-12-31", freq="D")
    plan = pd.Series(range(len(dates)), dtype=float) * 1000
    actual = plan.where(dates <= DAY)
    return pd.DataFrame({"date": dates, "plan": plan, "actual": actual,
                         "projection": plan.where(dates >= DAY) * 1.1})


def _by_month() -> pd.DataFrame:
    months = pd.date_range("2017-11-01", "2018-09-01", freq="MS")
    amount = [20000.0] * len(months)
    return pd.DataFrame({"month": months, "amount": amount, "cumulative": pd.Series(amount).cumsum()})


def test_a_french_figure_has_french_axis_titles_and_french_month_tick_labels():
    with i18n.language("fr"):
        fig = figures.contributions_over_year(_by_month(), 300000, 2018, DAY).to_plotly_json()
    layout = fig["layout"]
    assert layout["xaxis"]["title"]["text"] == "Mois de réception"
    assert list(layout["xaxis"]["ticktext"])[:4] == ["nov. 2017", "déc. 2017", "janv. 2018", "févr. 2018"]
    assert layout["title"]["text"] == "Contributions pour 2018 par rapport au<br>budget"
    assert layout["title"]["subtitle"]["text"] == "au 5 sept. 2018 · CHF"
    assert [t["name"] for t in fig["data"]] == ["Reçu dans le mois", "Reçu à ce jour"]
    # the amounts as French writes them: digits grouped by the figure's separators, then the currency
    assert layout["separators"] == ",\u202f"
    assert fig["data"][1]["hovertemplate"] == "%{customdata}\u00a0: %{y:,.0f}\u00a0CHF au total<extra></extra>"
    assert list(fig["data"][0]["customdata"])[:2] == ["nov. 2017", "déc. 2017"]
    assert layout["annotations"][0]["text"] == "Budget\u00a0: 300\u202f000\u00a0CHF"


def test_a_french_spend_chart_names_the_twelve_months_in_french():
    with i18n.language("fr"):
        fig = figures.cumulative_spend(_cumulative(), 2018, DAY).to_plotly_json()
    axis = fig["layout"]["xaxis"]
    assert list(axis["ticktext"]) == ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                                      "oct.", "nov.", "déc."]
    assert [pd.Timestamp(v).month for v in axis["tickvals"]] == list(range(1, 13))
    assert fig["data"][1]["name"] == "Dépenses (cumul)"
    assert fig["data"][1]["customdata"][-1] == "5 sept."  # the hover's day, in French: spend is drawn up to the as-of day


def test_a_spanish_figure_writes_its_title_axes_and_hovers_in_spanish():
    series = pd.DataFrame({"date": pd.to_datetime(["2010-08-01", "2014-03-01", "2018-09-05"]),
                           "states_parties": [30, 80, 103], "in_force": [30, 78, 100]})
    with i18n.language("es"):
        fig = figures.parties_over_time(series, 130, 2020, DAY).to_plotly_json()
    layout = fig["layout"]
    assert layout["yaxis"]["title"]["text"] == "Estados"
    assert layout["title"]["subtitle"]["text"] == "al 5 sept 2018"
    assert list(layout["xaxis"]["ticktext"]) == ["2012", "2014", "2016", "2018", "2020"]
    assert layout["separators"] == ",."
    assert fig["data"][0]["name"] == "Estados partes"
    assert list(fig["data"][0]["customdata"]) == ["1 ago 2010", "1 mar 2014", "5 sept 2018"]
    assert fig["data"][0]["hovertemplate"] == "%{customdata} · Estados partes: %{y}<extra></extra>"
    assert fig["data"][2]["name"] == "Meta: 130 para 2020"


def test_english_figures_keep_their_words_and_plotly_s_own_month_names():
    fig = figures.contributions_over_year(_by_month(), 300000, 2018, DAY).to_plotly_json()
    layout = fig["layout"]
    assert layout["xaxis"]["title"]["text"] == "Month received"
    assert layout["xaxis"]["tickformat"] == "%b %Y" and "ticktext" not in layout["xaxis"]
    assert layout["separators"] == ".,"
    assert layout["title"]["subtitle"]["text"] == "as at 5 Sep 2018 · CHF"
    assert fig["data"][1]["hovertemplate"] == "%{customdata}: CHF %{y:,.0f} in total<extra></extra>"
    assert layout["annotations"][0]["text"] == "Budget CHF 300,000"


def test_month_ticks_within_a_year_give_the_month_alone_and_across_years_the_month_and_year():
    with i18n.language("es"):
        vals, text = figures.date_ticks("2018-01-01", "2018-06-30")
        assert text == ["ene", "feb", "mar", "abr", "may", "jun"]
        vals, text = figures.date_ticks("2017-10-15", "2018-02-01")
        assert text == ["nov 2017", "dic 2017", "ene 2018", "feb 2018"]
    vals, text = figures.date_ticks("2009-06-01", "2030-12-31")  # over 16 years: every fifth year
    assert text == ["2010", "2015", "2020", "2025", "2030"]


def test_the_timeline_key_and_status_labels_are_in_french():
    segments = pd.DataFrame({"kind": ["original", "extension"], "n": [0, 1], "completed_on": [pd.NaT, pd.NaT]})
    with i18n.language("fr"):
        assert [label for label, _, _ in figures.timeline_key(segments)] == [
            "Délai initial", "Prolongation 1", "Date de référence"]
        assert fmt.label("late") == "Remis en retard"
        assert fmt.label("overdue") == "En souffrance"
        assert fmt.colour_word("overdue") == "bordeaux"
        assert fmt.workplan_status("In progress") == "En cours"
        assert fmt.workplan_status("Postponed") == "Postponed"  # a status the sheet made up: as written
        assert figures.short_label("Lao People's Democratic Republic", 4) == "Lao PDR · art. 4"


def test_a_pending_extension_request_and_a_missed_promise_are_written_in_spanish():
    with i18n.language("es"):
        assert views._pending_text(pd.NaT, pd.NaT) == ""
        assert views._pending_text(pd.Timestamp(2018, 3, 1), pd.NaT).startswith("Solicitada el ")
        row = pd.Series({"promised_on": pd.Timestamp(2018, 7, 1), "promise_missed": True})
        assert views._promise_text(row) == "Incumplida: 1 jul 2018"
        row = pd.Series({"promised_on": pd.Timestamp(2018, 10, 1), "promise_missed": False})
        assert views._promise_text(row) == "Para el 1 oct 2018"
    row = pd.Series({"promised_on": pd.Timestamp(2018, 10, 1), "promise_missed": False})
    assert views._promise_text(row) == "By 1 Oct 2018"


def test_the_last_contact_names_its_channel_in_french():
    row = pd.Series({"last_contact": pd.Timestamp(2016, 7, 23), "last_channel": "letter"})
    with i18n.language("fr"):
        assert views._contact_text(row) == "23 juil. 2016 · lettre"
    assert views._contact_text(row) == "23 Jul 2016 · letter"
