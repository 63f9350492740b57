"""The deck, the export, the letters, the calendar, the brief and the CLI in French and Spanish
(DOMAIN §12): worked by hand on the bundled sample as at 5 September 2018."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pptx import Presentation

from ccm_analytics import i18n
from ccm_analytics.analysis import reporting as rp
from ccm_analytics.outputs.deck import build_deck

DAY = "2018-09-05"
NB = "\u00a0"  # French puts a no-break space before ":" and ";"
SAMPLE_SETS = ("spend", "reports", "contributions", "meetings", "budget", "workplan")


@pytest.fixture(scope="module")
def french_deck(sample_data):
    with i18n.language("fr"):
        data, _ = build_deck(sample_data, DAY, "Huitième Assemblée des États parties", "données d'essai",
                             illustrative=SAMPLE_SETS)
    return Presentation(io.BytesIO(data))


def _axis_titles(chart) -> list[str]:
    """The axis titles as the chart's XML holds them (c:catAx and c:valAx, c:title, a:t)."""
    xml = chart.part.blob.decode("utf-8") if hasattr(chart.part, "blob") else chart._chartSpace.xml
    out = []
    for axis in ("catAx", "valAx"):
        for block in re.findall(rf"<c:{axis}>(.*?)</c:{axis}>", xml, re.S):
            title = re.search(r"<c:title>(.*?)</c:title>", block, re.S)
            if title:
                out.append("".join(re.findall(r"<a:t>(.*?)</a:t>", title.group(1))))
    return out


def _charts(slide):
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def test_the_deck_in_french_has_french_slide_titles(french_deck):
    titles = [s.shapes.title.text for s in french_deck.slides]
    assert titles[1] == "Messages clés au 5 septembre 2018"
    assert titles[2] == f"Universalisation{NB}: 104 États parties"
    assert titles[3] == f"Rapports de transparence{NB}: 50,0{NB}% des rapports annuels 2017 remis dans les délais"
    assert titles[4] == f"Rapports en souffrance{NB}: 66 États parties doivent 138 rapports (1/2)"
    assert titles[8].startswith(f"Budget 2018{NB}: 65,0{NB}% dépensé alors que 67,9{NB}% de l'exercice")
    assert titles[9] == f"Dépenses au 5 septembre{NB}: 2018 comparé aux années antérieures"
    assert titles[10] == f"Contributions pour 2018{NB}: 421{NB}800{NB}CHF reçus (90,6{NB}% du budget)".replace(
        f"421{NB}800", "421\u202f800")
    assert not any(t.startswith(("Key messages", "Universalization", "Overdue", "Budget 2018:", "Spending"))
                   for t in titles)


def test_the_deck_in_french_has_french_chart_axis_titles_in_the_chart_xml(french_deck):
    slides = list(french_deck.slides)
    assert _axis_titles(_charts(slides[2])[0]) == ["Année", "États parties (nombre)"]
    assert _axis_titles(_charts(slides[3])[0]) == ["Rapport annuel portant sur l'année", "Part des rapports dus (%)"]
    assert _axis_titles(_charts(slides[8])[0]) == ["Ligne budgétaire", "Montant (CHF)"]
    assert _axis_titles(_charts(slides[10])[0]) == ["Mois de réception", "Reçu à ce jour (CHF)"]
    series = [s.name for s in _charts(slides[3])[0].plots[0].series]
    assert series == ["Dans les délais", "Remis (dans les délais ou en retard)"]


def test_the_deck_in_french_writes_its_dates_in_french(french_deck):
    slides = list(french_deck.slides)
    footer = next(sh for sh in slides[2].shapes if sh.name == "Footer").text_frame.text
    assert footer == f"Données au 5 septembre 2018 · Source{NB}: données d'essai"
    # the contributions chart's months and the overdue table's days
    months = list(_charts(slides[10])[0].plots[0].categories)
    assert months[:3] == ["déc. 2017", "janv. 2018", "févr. 2018"]
    table = next(sh.table for sh in slides[4].shapes if sh.has_table)
    assert [table.cell(0, c).text for c in range(4)] == ["État", "Rapports non remis", "Échéance la plus ancienne",
                                                           "Jours de retard"]
    assert table.cell(1, 0).text == "Albanie" and table.cell(1, 2).text == "28 janv. 2011"
    assert table.cell(1, 3).text == "2\u202f777"
    notes = slides[9].notes_slide.notes_text_frame.text
    assert notes.startswith("Au 5 septembre 2018, l'ISU avait dépensé 302\u202f494\u00a0CHF")


def test_building_a_french_deck_leaves_the_next_one_in_english(sample_data, french_deck):
    data, _ = build_deck(sample_data, DAY, "Eighth Meeting of States Parties", "test data")
    titles = [s.shapes.title.text for s in Presentation(io.BytesIO(data)).slides]
    assert titles[2] == "Universalization: 104 States Parties"


def test_the_export_in_spanish_has_spanish_sheet_names_headers_and_about_sheet(sample_data):
    from openpyxl import load_workbook

    from ccm_analytics.export import export_workbook

    with i18n.language("es"):
        wb = load_workbook(io.BytesIO(export_workbook(sample_data, DAY, "datos de prueba")))
    assert wb.sheetnames == ["Acerca de", "Informes atrasados", "Informes atrasados por Estado", "Plazos",
                             "Informes por año", "Presupuesto", "Contribuciones", "Seguimiento"]
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in wb.sheetnames)
    assert [c.value for c in wb["Plazos"][1]][:4] == ["Estado", "ISO3", "Artículo", "Plazo original"]
    assert [c.value for c in wb["Presupuesto"][1]][3:5] == ["Presupuesto (CHF)", "Gastado hasta la fecha (CHF)"]
    assert [c.value for c in wb["Acerca de"]["A"]][:4] == ["CCM Analytics: exportación del análisis", "Datos al",
                                                           "Fuente", "Ejercicio presupuestario"]


def test_the_export_in_french_keeps_its_sheet_names_within_excel_s_rules(sample_data):
    from openpyxl import load_workbook

    from ccm_analytics.export import export_workbook

    with i18n.language("fr"):
        wb = load_workbook(io.BytesIO(export_workbook(sample_data, DAY, "données")))
    assert wb.sheetnames[2] == "Rapports en souffrance par État"  # exactly 31 characters
    assert all(len(n) <= 31 and "'" not in n for n in wb.sheetnames)


def _docx_text(data: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(data))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


@pytest.fixture(scope="module")
def albania(sample_data):
    statuses = rp.report_statuses(sample_data.states, sample_data.reports, pd.Timestamp(DAY))
    table = rp.overdue_by_state(statuses, pd.Timestamp(DAY))
    return table[table["iso3"] == "ALB"]


def test_a_french_letter_is_french_from_the_sender_to_the_closing(albania):
    from ccm_analytics.outputs.letters import build_letters

    letter = build_letters(albania, DAY, "fr")[0]
    assert letter.file_name == "ALB-article7-reminder-2018-09-05-fr.docx"
    text = _docx_text(letter.data)
    assert text.startswith("Unité d'appui à l'application\nConvention sur les armes à sous-munitions\nGenève")
    assert "Genève, le 5 septembre 2018" in text
    assert "Albanie" in text
    assert (f"L'ISU se permet de signaler que, selon ses registres, au 5 septembre 2018, les rapports suivants de "
            f"l'Albanie n'avaient pas été reçus{NB}:") in text
    assert "Rapport initial" in text and "Rapport annuel pour 2017" in text and "30 avril 2018" in text
    assert "Date d'échéance" in text and "Jours de retard" in text
    assert "Implementation Support Unit" not in text and "Geneva" not in text
    assert i18n.current() == "en"  # the letter's language does not leak


def test_a_spanish_letter_names_the_isu_as_the_glossary_does(albania):
    from ccm_analytics.outputs.letters import build_letters, letter_context

    text = _docx_text(build_letters(albania, DAY, "es")[0].data)
    assert "Unidad de Apoyo a la Implementación" in text and "Dependencia" not in text
    assert "Ginebra, 5 de septiembre de 2018" in text
    ctx = letter_context(next(albania.itertuples()), DAY, "es")
    assert ctx["text"]["contact"] == "Para cualquier información adicional, la Misión Permanente tal vez desee " \
                                     "dirigirse a la ISU en Ginebra."
    assert ctx["reports_text"].splitlines()[0] == "Informe inicial, fecha límite 28 de enero de 2011"


def test_the_calendar_in_french_titles_and_describes_its_events_in_french(sample_data):
    from ccm_analytics.outputs.ical import coming_up, to_ics

    with i18n.language("fr"):
        events = coming_up(sample_data, DAY, 12)
        ics = to_ics(events, DAY, 12).decode("utf-8")
    titles = set(events["title"])
    assert f"Échéance au titre de l'article 3{NB}: Guinée-Bissau" in titles  # the State in French
    assert f"Rapport initial dû{NB}: Sri Lanka" in titles
    assert "Échéance en vigueur au titre de l'article 3 (destruction des stocks)" in set(events["detail"])
    assert f"CCM{NB}: échéances des 12{NB}mois suivant le 5 sept. 2018" in ics.replace("\r\n ", "")


def test_the_brief_in_french_has_a_french_heading_and_headlines(sample_data):
    from ccm_analytics.outputs.brief import build_brief

    with i18n.language("fr"):
        b = build_brief(sample_data, DAY, illustrative=("reports", "spend"))
    assert b.heading == "État des lieux au 5 septembre 2018"
    assert [h.label for h in b.headlines] == ["États parties", "Rapports annuels 2017 remis dans les délais",
                                              "États ayant détruit leurs stocks (art. 3)", "Budget 2018 dépensé"]
    assert b.headlines[1].detail.endswith("66 États parties doivent 138 rapports.")
    assert b.illustrative.startswith(f"Données d'exemple{NB}: les dates de remise des rapports et dépenses")


def test_ccm_analytics_deck_lang_fr_writes_a_french_deck_and_says_so_in_french(tmp_path, capsys):
    from ccm_analytics.cli import main
    from tests.conftest import SAMPLE

    out = tmp_path / "deck.pptx"
    code = main(["deck", "--data", str(SAMPLE), "--as-of", DAY, "--lang", "fr", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert printed.startswith(f"{out} écrit{NB}: 11 diapositives (rapports en souffrance sur 2, échéances sur 1) en ")
    prs = Presentation(str(out))
    assert prs.slides[0].shapes.title.text == "Assemblée des États parties"  # the default title, in French
    assert prs.slides[2].shapes.title.text == f"Universalisation{NB}: 104 États parties"
    assert i18n.current() == "en"


def test_the_cli_refuses_a_language_it_does_not_write(tmp_path, capsys):
    from ccm_analytics.cli import main

    with pytest.raises(SystemExit) as e:
        main(["export", "--lang", "de", "--out", str(tmp_path / "x.xlsx")])
    assert e.value.code == 2
    assert "invalid choice: 'de'" in capsys.readouterr().err
