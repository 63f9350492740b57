"""The loader's messages in French and Spanish (issue 15), and input that stays language-free (DOMAIN §12).

Every expected sentence below was written by hand from the French and Spanish catalogs
(``ccm_analytics/locale/{fr,es}/LC_MESSAGES/loading.po``): the file name, sheet, cell, column code,
State and value stay as the user wrote them in the file; only the words around them change.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ccm_analytics import i18n
from ccm_analytics.access import Lockout, Policy, check_password, startup_notice
from ccm_analytics.errors import LoadError, NothingToRollBack
from ccm_analytics.reading import Source, read_inputs
from ccm_analytics.store import Store

from .conftest import csv_source, xlsx_bytes

TODAY = pd.Timestamp("2026-01-01")
BUDGET = "year,cost_line,amount\n2018,Travel,1\n2018,Staff,2\n2018,Other,3\n2018,Printing,-5000\n"
TWICE = "state\n" + "\n".join(["Albania", "Austria", "Belgium", "Bulgaria", "Chile", "France", "Albania"]) + "\n"


def problems_in(lang: str, *sources) -> tuple[list[str], str]:
    """The problems (written out) and the summary of a failed load run in ``lang``."""
    with i18n.language(lang):
        with pytest.raises(LoadError) as e:
            read_inputs(list(sources), today=TODAY)
        return [str(p) for p in e.value.problems], e.value.summary()


# -- a bad file, in each language ------------------------------------------------------------------

def test_a_negative_budget_amount_in_french_names_the_same_file_cell_column_and_value():
    problems, summary = problems_in("fr", csv_source("budget.csv", BUDGET))
    # The amount as French writes it (and French Excel shows it): "-5,000" would read as minus five.
    assert problems == ["budget.csv, cellule C5 (amount)\u00a0: -5\u202f000 - un montant budgétaire ne peut pas être négatif."]
    assert summary == "Les données n'ont pas été chargées\u00a0: 1 problème trouvé. Rien n'a été modifié."


def test_a_negative_budget_amount_in_spanish_names_the_same_file_cell_column_and_value():
    problems, summary = problems_in("es", csv_source("budget.csv", BUDGET))
    assert problems == ["budget.csv, celda C5 (amount): -5.000 - un importe presupuestario no puede ser negativo."]
    assert summary == "Los datos no se cargaron: se encontró 1 problema. No se modificó nada."


def test_a_state_listed_twice_in_french_and_spanish_names_the_same_row_and_state():
    fr, _ = problems_in("fr", csv_source("states.csv", TWICE))
    es, _ = problems_in("es", csv_source("states.csv", TWICE))
    assert fr == ["states.csv, ligne 8 (Albania)\u00a0: figure deux fois, aussi à la ligne 2\u00a0; gardez une seule ligne par État."]
    assert es == ["states.csv, fila 8 (Albania): figura dos veces, también en la fila 2; conserve una sola fila por Estado."]


def test_a_date_rule_in_french_writes_the_days_the_french_way_and_quotes_the_cell_as_written():
    text = "state,signature_date,ratification_date\nBulgaria,2009-01-01,2008-12-31\n"
    problems, _ = problems_in("fr", csv_source("states.csv", text))
    assert problems == ["states.csv, cellule C2 (ratification_date, Bulgaria)\u00a0: 2008-12-31 - la ratification "
                        "(31 déc. 2008) est antérieure à la signature (1er janv. 2009)\u00a0; vérifiez les deux dates."]


def test_a_workbook_problem_in_spanish_names_the_sheet_and_the_state_of_the_row():
    book = Source("datos.xlsx", xlsx_bytes({"Reports": [["state", "report_type", "submitted_on"],
                                                         ["Bulgaria", "yearly", "2018-04-30"]]}))
    states = csv_source("states.csv", "state,ratification_date\nBulgaria,2011-04-06\n")
    problems, summary = problems_in("es", states, book)
    assert problems == ["datos.xlsx, hoja Reports, celda B2 (report_type, Bulgaria): «yearly» no es un tipo de informe: "
                        "escriba initial o annual."]
    assert summary == "Los datos no se cargaron: se encontró 1 problema. No se modificó nada."


def test_two_problems_in_french_take_the_plural_and_keep_the_file_order():
    text = "year,cost_line,amount\n2018,Travel,-1\n2018,Staff,-2\n"
    problems, summary = problems_in("fr", csv_source("budget.csv", text))
    assert summary == "Les données n'ont pas été chargées\u00a0: 2 problèmes trouvés. Rien n'a été modifié."
    assert [p.split("\u00a0: ")[0] for p in problems] == ["budget.csv, cellule C2 (amount)", "budget.csv, cellule C3 (amount)"]


def test_an_unreadable_date_in_spanish_keeps_the_formats_the_loader_accepts_in_its_hint():
    states = csv_source("states.csv", "state,ratification_date\nBulgaria,2011-04-31\n")
    problems, _ = problems_in("es", states)
    assert problems == ["states.csv, celda B2 (ratification_date, Bulgaria): «2011-04-31» no es una fecha real (ese día "
                        "no existe). Escriba las fechas como 2018-04-30 o 30 April 2018 (mes en inglés), o aplique a la "
                        "celda el formato de fecha."]


def test_an_ambiguous_day_in_french_names_the_months_in_french():
    states = csv_source("states.csv", "state,ratification_date\nBulgaria,04/03/2011\n")
    problems, _ = problems_in("fr", states)
    assert problems[0].startswith("states.csv, cellule B2 (ratification_date, Bulgaria)\u00a0: «\u00a004/03/2011\u00a0» est ambigu\u00a0: "
                                  "il peut s'agir du 4 mars ou du 3 avril.")


def test_an_unsupported_file_in_french_says_which_formats_are_read():
    problems, _ = problems_in("fr", Source("budget.ods", b"x"))
    assert problems == ["budget.ods\u00a0: c'est une feuille de calcul OpenDocument, qui ne peut pas être lue. Formats pris en "
                        "charge\u00a0: classeurs Excel (.xlsx) et fichiers CSV (.csv). Dans Excel, utilisez Fichier > "
                        "Enregistrer sous > Classeur Excel (.xlsx) ou CSV UTF-8."]


def test_english_is_unchanged():
    problems, summary = problems_in("en", csv_source("budget.csv", BUDGET))
    assert problems == ["budget.csv, cell C5 (amount): -5,000 - a budget amount cannot be negative."]
    assert summary == "The data was not loaded: 1 problem found. Nothing was changed."


def test_a_problem_keeps_the_language_it_was_found_in():
    with i18n.language("fr"):
        with pytest.raises(LoadError) as e:
            read_inputs([csv_source("budget.csv", BUDGET)], today=TODAY)
    # Shown later (in another run's language): the place, the value and the message stay together, in French.
    with i18n.language("es"):
        assert str(e.value.problems[0]).startswith("budget.csv, cellule C5 (amount)")
    assert e.value.summary().startswith("Les données n'ont pas été chargées")


# -- the input is read the same whatever the language ----------------------------------------------

def _workbook() -> Source:
    return Source("ccm.xlsx", xlsx_bytes({
        "States": [["state", "signature_date", "ratification_date"],
                   ["Bulgaria", dt.date(2008, 12, 3), "6 April 2011"],
                   ["Albania", "3 Dec 2008", "2009-06-16"]],
        "Reports": [["state", "report_type", "year", "submitted_on"],
                    ["Bulgaria", "Annual report", 2017, "April 30, 2018"],
                    ["ALB", "initial", None, "30/04/2010"]],
        "Budget": [["year", "cost_line", "amount"],
                   [2018, "Travel", "10,000.50"], [2018, "Staff", "345054"]],
    }))


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_loader_reads_a_file_identically_whatever_the_language(lang):
    english = read_inputs([_workbook()], today=TODAY)
    with i18n.language(lang):
        other = read_inputs([_workbook()], today=TODAY)
    for name in ("states", "reports", "budget"):
        pd.testing.assert_frame_equal(english.data.frame(name), other.data.frame(name))
    assert english.row_counts == other.row_counts == {"states": 2, "reports": 2, "budget": 2}
    assert other.data.budget["amount"].tolist() == [10000.5, 345054.0]
    assert other.data.states["ratification_date"].tolist() == [pd.Timestamp("2011-04-06"), pd.Timestamp("2009-06-16")]


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_french_and_spanish_writings_are_not_accepted_in_any_language(lang):
    # "1 000,50" and "6 avril 2011" are how French writes them, but the input is language-free.
    text = "state,ratification_date\nBulgaria,6 avril 2011\n"
    with i18n.language(lang):
        with pytest.raises(LoadError):
            read_inputs([csv_source("states.csv", text)], today=TODAY)
    with pytest.raises(LoadError):
        read_inputs([csv_source("states.csv", text)], today=TODAY)


# -- the store and the door ------------------------------------------------------------------------

def test_rolling_back_an_empty_store_is_refused_in_french_and_spanish(tmp_path):
    store = Store(tmp_path / "ccm.duckdb")
    with i18n.language("fr"), pytest.raises(NothingToRollBack) as fr:
        store.rollback()
    with i18n.language("es"), pytest.raises(NothingToRollBack) as es:
        store.rollback()
    assert str(fr.value) == "Rien n'a encore été chargé\u00a0: il n'y a rien à annuler."
    assert str(es.value) == "Todavía no se ha cargado nada, así que no hay nada que deshacer."


def test_wrong_credentials_are_refused_with_whole_sentences_in_each_language():
    lock = Lockout(max_failures=2)
    with i18n.language("fr"):
        assert check_password("x", "right", "a", lock, what="token") == (False, "Jeton incorrect.")
        assert check_password("x", "right", "a", lock, what="token")[1].startswith(
            "Jeton incorrect. Trop de tentatives\u00a0: le formulaire est verrouillé pendant ")
    with i18n.language("es"):
        assert check_password("x", "right", "b", Lockout(), what="password") == (False, "Contraseña incorrecta.")


def test_the_startup_notice_in_spanish_keeps_the_link_and_the_token():
    notice = None
    with i18n.language("es"):
        notice = startup_notice("http://127.0.0.1:8501", "tok123", Policy(password_set=False, loopback=True), "c0de")
        explained = Policy(password_set=True, loopback=True).explain()
    assert notice.splitlines() == ["Para modificar los datos, abra http://127.0.0.1:8501/data?code=c0de (el enlace sirve una sola vez)",
                                   "(o escriba este código de inicio en la página Datos: tok123)"]
    assert explained == "Para modificar los datos se necesita la contraseña de administrador."


def test_an_unknown_state_in_french_lists_the_suggestions_with_ou_and_keeps_the_english_names():
    problems, _ = problems_in("fr", csv_source("states.csv", "state\nSwitzerlnd\n"))
    assert problems == ["states.csv, cellule A2 (state)\u00a0: «\u00a0Switzerlnd\u00a0» n'est pas un nom d'État que nous connaissons. "
                        "Vouliez-vous dire 'Switzerland' ou 'Eswatini'\u00a0? Utilisez le nom court de l'ONU (en anglais, par "
                        "exemple 'Lao People's Democratic Republic') ou le code ISO3."]


def test_the_template_descriptions_of_columns_are_in_the_catalogs():
    from ccm_analytics.schema import DATASETS

    state = DATASETS["states"].column("state")
    with i18n.language("fr"):
        assert i18n._(state.help) == "Nom de l'État (usage de l'ONU)"
        assert i18n._(DATASETS["reports"].row_meaning) == "un rapport au titre de l'article 7 reçu"
    with i18n.language("es"):
        assert i18n._(state.help) == "Nombre del Estado (uso de las Naciones Unidas)"
    assert state.help == "State name (UN usage)"  # the schema itself stays English (the template's source)
