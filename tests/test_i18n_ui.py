"""The shared page pieces (ccm_analytics/ui) in French and Spanish: worked examples by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from ccm_analytics.i18n import N_, language
from ccm_analytics.ui import chart_tables, tables
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.context import Said
from ccm_analytics.ui.frame import address_day_problem

EARLIEST, LATEST = dt.date(2008, 12, 3), dt.date(2099, 12, 31)
NNBSP = "\u202f"  # French groups thousands with a narrow no-break space


def test_a_day_in_the_address_that_cannot_be_used_is_explained_in_french_and_in_spanish():
    with language("fr"):
        assert address_day_problem("05/09/2018", EARLIEST, LATEST) == (
            "L'adresse demande la date **05/09/2018**, qui n'est pas une date écrite sous la forme AAAA-MM-JJ "
            "(par exemple `as_of=2018-09-05`). Vouliez-vous dire `as_of=2018-09-05`\u00a0?")
        assert address_day_problem("1999-01-01", EARLIEST, LATEST) == (
            "L'adresse demande la date **1999\\-01\\-01**, en dehors de la période couverte par ce tableau de bord "
            "(du 3 décembre 2008 au 31 décembre 2099).")
    with language("es"):
        assert address_day_problem("2018-02-30", EARLIEST, LATEST) == (
            "La dirección solicita la fecha **2018\\-02\\-30**, que no es una fecha escrita como AAAA-MM-DD "
            "(por ejemplo, `as_of=2018-09-05`).")
    # English is unchanged
    assert address_day_problem("05/09/2018", EARLIEST, LATEST).endswith(" Did you mean `as_of=2018-09-05`?")


def test_a_cached_functions_spinner_is_said_in_the_language_of_the_run_that_shows_it():
    spinner = Said(N_("Reading the data…"))
    with language("fr"):
        assert str(spinner) == "Lecture des données…"
    with language("es"):
        assert str(spinner) == "Leyendo los datos…"
    assert str(spinner) == "Reading the data…"


def test_table_cells_without_a_value_and_numbers_are_written_as_the_language_writes_them():
    frame = pd.DataFrame({"amount": [1234.6, None], "done": [True, None], "on": [pd.Timestamp("2015-11-25"), pd.NaT]})
    config = {"amount": w.chf_col("Amount"), "on": w.date_col("Completed")}
    with language("fr"):
        shown, _ = tables.null_free(frame, config)
        assert shown["amount"].tolist() == [f"1{NNBSP}235", "–"]
        assert shown["done"].tolist() == ["Oui", "–"]
        assert shown["on"].tolist() == ["25 nov. 2015", "–"]
    with language("es"):
        shown, _ = tables.null_free(frame, config)
        assert shown["amount"].tolist() == ["1.235", "–"]
        assert shown["done"].tolist() == ["Sí", "–"]


def test_a_charts_data_table_has_french_headers_days_and_summary():
    fig = go.Figure(go.Bar(y=["Bulgarie"], x=[24 * 3600 * 1000 * 30], base=["2018-09-05"], orientation="h"))
    with language("fr"):
        header, rows = chart_tables.chart_table_rows(fig.to_plotly_json())
        assert header == ["Catégorie", "Valeur"]
        assert rows == [["Bulgarie", "5 sept. 2018 – 5 oct. 2018"]]
        assert "<summary>Données\u00a0: le graphique (tableau)</summary>" in chart_tables.chart_table_html(fig.to_plotly_json())
    choropleth = go.Figure(go.Choropleth(locations=["BGR"], z=[1], text=["Bulgaria"], name="State Party"))
    with language("es"):
        header, rows = chart_tables.chart_table_rows(choropleth.to_plotly_json())
        assert header == ["Estado", "Situación"]
        assert rows == [["Bulgaria", "State Party"]]  # the trace's name is the chart's (translated there)


# -- the Working Groups' sections on the pages, in French ------------------------------------------

from .test_i18n_pages import run_page  # noqa: E402

pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # conftest: AppTest without a pages/ folder


def test_the_reminder_letters_start_in_the_page_language_and_say_so_in_french(read_only_store):
    # a tab is named in the address by its label in the page's language (Streamlit's binding)
    at = run_page("pages/reports.py", "fr", reports_tab="overdue")
    assert not at.exception, [e.value for e in at.exception]
    radio = next(r for r in at.radio if r.key == "letter_lang")
    assert radio.value == "fr" and radio.label == "Langue"
    states = next(m for m in at.multiselect if m.key == "letter_states")
    assert states.label == "États" and states.help.startswith("Tous les États de la liste ci-dessus")
    assert any(b.label == "Consigner le contact" for b in at.button)
    captions = " ".join(c.value for c in at.caption)
    assert " États ayant des rapports en souffrance au 5 sept. 2018, les plus anciens en premier." in captions


def test_what_falls_due_is_said_in_spanish_on_the_deadlines_page(read_only_store):
    at = run_page("pages/deadlines.py", "es", dl_tab="coming")  # the tab's key in the address
    assert not at.exception, [e.value for e in at.exception]
    assert [t.label for t in at.tabs] == ["Cronología", "Avances", "Tabla", "Próximos vencimientos"]
    captions = " ".join(c.value for c in at.caption)
    assert " fechas del 5 sept 2018 al 4 sept 2020: informes iniciales, fechas de los informes anuales" in captions
