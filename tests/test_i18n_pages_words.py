"""The pages' own words in French and Spanish: worked by hand from the catalogs (pages.po)."""

from __future__ import annotations

import pytest

from .conftest import shown_metrics, shown_tables
from .test_i18n_pages import run_page

pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # conftest: AppTest without a pages/ folder


def test_the_sidebar_says_the_day_and_the_data_version_in_french(read_only_store):
    at = run_page("pages/overview.py", "fr")
    captions = [c.value for c in at.sidebar.caption]
    # the version's number kept on the line of its words (a no-break space)
    assert any(c.startswith("Situation au **5 septembre 2018** · version des données\u00a0") for c in captions), captions
    nav = next(h.value for h in at.sidebar if h.type == "html" and "<nav class='ccm-nav'" in h.value)
    assert "Convention sur les armes à sous-munitions · Unité d&#x27;appui à l&#x27;application" in nav
    assert "aria-label='Pages'" in nav and ">Budget et dépenses</a>" in nav
    for section in ("Vue d&#x27;ensemble", "Finances", "Obligations", "Référence", "Données"):
        assert f">{section}</p><ul aria-labelledby=" in nav, section


def test_the_navigation_and_the_page_title_are_spanish(read_only_store):
    at = run_page("pages/reports.py", "es")
    assert at.title[0].value == "Informes de transparencia"
    assert [m.label for m in shown_metrics(at)][:1] == ["Anuales 2017: a tiempo"]


def test_the_overdue_view_shows_spanish_words_but_keeps_its_option_values(read_only_store):
    """The page reads "By State" / "Each report" whatever the language; the buttons (and the address, which
    Streamlit writes with the shown words) say them in Spanish."""
    at = run_page("pages/reports.py", "es", reports_tab="overdue", od_view="Cada informe")
    control = at.button_group[0]
    assert control.label == "Mostrar"
    assert control.value == "Each report"
    assert [control.format_func(o) for o in control.options] == ["Por Estado", "Cada informe"]
    assert any(c.value.endswith("atrasados, del más atrasado al menos atrasado.") for c in at.caption)


def test_budget_amounts_are_written_the_french_way_without_their_currency(read_only_store):
    at = run_page("pages/budget.py", "fr")
    budget = shown_metrics(at)[0]
    assert budget.label == "Budget 2018 (CHF)"
    assert "\u202f" in budget.value and "," not in budget.value  # 465 440: a narrow no-break space groups thousands
    assert budget.value.replace("\u202f", "").isdigit()


def test_the_work_plan_statuses_are_french_in_the_cards_and_the_table(read_only_store):
    at = run_page("pages/workplan.py", "fr")
    assert {m.label for m in shown_metrics(at)} == {"Achevée", "En cours", "Non commencée", "Non demandée"}
    table = next(t for t in shown_tables(at) if "status" in t.columns)
    assert set(table["status"]) == {"Achevée", "En cours", "Non commencée", "Non demandée"}


def test_the_spanish_deadlines_page_says_limpieza_for_clearance(read_only_store):
    """Article 4 in the Convention's Spanish text is "Limpieza y destrucción de restos de municiones en
    racimo": the page's cards, tabs and tables say "limpieza", never "remoción" nor "despejado"."""
    from .test_i18n_pages import visible_texts

    at = run_page("pages/deadlines.py", "es")
    text = "\n".join(visible_texts(at))
    assert "Artículo 4: limpieza" in text
    assert "remoción" not in text.casefold() and "despejad" not in text.casefold()
