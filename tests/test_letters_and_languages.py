"""Issue 24 part B: letters as notes verbales, files that declare their language, UN State names (DOMAIN §7, §12).

The expected sentences below were written by hand from the note-verbale form (third person, the mission of the named
State, the closing formula), not copied from the program's output.
"""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest

from ccm_analytics import countries
from ccm_analytics import i18n
from ccm_analytics.outputs import letters

pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # AppTest runs as on a server

NB = "\u00a0"
DAY = "2018-09-05"
SETTINGS = letters.LetterSettings(email="isu@example.org", telephone="+41 22 000 00 00",
                                  address="Maison de la Paix\nChemin Eugène-Rigot 2C\n1202 Genève")


def _rows(*codes: str) -> pd.DataFrame:
    """An overdue-by-State table: each State owes its 2017 annual report, due 30 April 2018."""
    item = {"report_type": "annual", "year": 2017, "due_date": pd.Timestamp("2018-04-30")}
    return pd.DataFrame({"iso3": list(codes), "outstanding": [[item] for _ in codes]})


def _paragraphs(data: bytes) -> list[str]:
    """The letter's paragraphs, then its page footer's (where the ISU's contact details are)."""
    import docx

    doc = docx.Document(io.BytesIO(data))
    return [p.text for p in [*doc.paragraphs, *doc.sections[0].footer.paragraphs] if p.text.strip()]


def _text(data: bytes) -> str:
    return "\n".join(_paragraphs(data))


# -- the note verbale ------------------------------------------------------------------------------------------

def test_a_french_letter_is_a_note_verbale_to_the_mission_of_the_named_state():
    out = letters.build_letters(_rows("PER", "BGR"), DAY, "fr", settings=SETTINGS, first_number=27)
    text = _text(out[1].data)
    assert f"Réf.{NB}: CCM/ISU/2018/028" in text  # the second letter of a batch starting at 27
    assert ("L'Unité d'appui à l'application (ISU) de la Convention sur les armes à sous-munitions présente ses "
            "compliments à la Mission permanente de la Bulgarie auprès de l'Office des Nations Unies et des autres "
            "organisations internationales à Genève et a l'honneur de rappeler") in text
    assert "la Mission permanente voudra bien s'adresser à l'ISU, dont les coordonnées figurent ci-dessous." in text
    assert "autorités compétentes de la Bulgarie" in text
    assert ("saisit cette occasion pour renouveler à la Mission permanente de la Bulgarie les assurances de sa très "
            "haute considération.") in text
    assert (f"Courriel{NB}: isu@example.org  ·  Téléphone{NB}: +41 22 000 00 00  ·  Maison de la Paix  ·  "
            "Chemin Eugène-Rigot 2C  ·  1202 Genève") in text
    # third person throughout: no "veuillez", no "vous", no "(État partie : X)"
    assert not re.search(r"\b(veuillez|vous|votre)\b", text, re.IGNORECASE)
    assert "État partie" + NB + ":" not in text
    # the first letter, to Peru: "du Pérou", numbered 27
    peru = _text(out[0].data)
    assert f"Réf.{NB}: CCM/ISU/2018/027" in peru and "Mission permanente du Pérou auprès de" in peru


def test_a_spanish_letter_is_a_note_verbale_in_the_third_person():
    text = _text(letters.build_letters(_rows("PER"), DAY, "es", settings=SETTINGS)[0].data)
    assert "Ref.: CCM/ISU/2018/001" in text
    assert ("La Unidad de Apoyo a la Implementación (ISU) de la Convención sobre Municiones en Racimo saluda "
            "atentamente a la Misión Permanente del Perú ante la Oficina de las Naciones Unidas y otras "
            "organizaciones internacionales en Ginebra y tiene el honor de recordar") in text
    assert "La ISU agradecería a la Misión Permanente que tuviera a bien" in text
    assert "la Misión Permanente tal vez desee dirigirse a la ISU, cuyos datos de contacto figuran a continuación." \
        in text
    assert ("aprovecha la oportunidad para reiterar a la Misión Permanente del Perú las seguridades de su más alta "
            "consideración.") in text
    assert "Correo electrónico: isu@example.org  ·  Teléfono: +41 22 000 00 00" in text
    assert not re.search(r"\b(sírvase|usted|ustedes)\b", text, re.IGNORECASE)


def test_an_english_letter_has_the_closing_formula_and_the_addressee_at_its_foot():
    paragraphs = _paragraphs(letters.build_letters(_rows("NLD"), DAY, "en")[0].data)
    assert ("The Implementation Support Unit of the Convention on Cluster Munitions avails itself of this opportunity "
            "to renew to the Permanent Mission of the Kingdom of the Netherlands the assurances of its highest "
            "consideration.") in paragraphs
    assert paragraphs[-2:] == ["Geneva, 5 September 2018",  # (no contact details set: no footer)
                               "Permanent Mission of the Kingdom of the Netherlands to the United Nations Office and "
                               "other international organizations in Geneva"]
    # no contact details set: the ISU in Geneva, still in the third person
    assert "For any further information, the Permanent Mission may wish to contact the ISU in Geneva." in paragraphs


@pytest.mark.parametrize("iso3, lang, mission", [
    ("VAT", "en", "Permanent Observer Mission of the Holy See to the United Nations Office and other international "
                  "organizations in Geneva"),
    ("PSE", "en", "Permanent Observer Mission of the State of Palestine to the United Nations Office and other "
                  "international organizations in Geneva"),
    ("VAT", "fr", "Mission permanente d'observation du Saint-Siège auprès de l'Office des Nations Unies et des autres "
                  "organisations internationales à Genève"),
    ("PSE", "fr", "Mission permanente d'observation de l'État de Palestine auprès de l'Office des Nations Unies et des "
                  "autres organisations internationales à Genève"),
    ("VAT", "es", "Misión Permanente de Observación de la Santa Sede ante la Oficina de las Naciones Unidas y otras "
                  "organizaciones internacionales en Ginebra"),
    ("PSE", "es", "Misión Permanente de Observación del Estado de Palestina ante la Oficina de las Naciones Unidas y "
                  "otras organizaciones internacionales en Ginebra"),
])
def test_the_holy_see_and_the_state_of_palestine_have_permanent_observer_missions(iso3, lang, mission):
    ctx = letters.letter_context(next(_rows(iso3).itertuples()), DAY, lang)
    assert ctx["mission"] == mission
    text = _text(letters.default_letter(ctx))
    assert mission in text
    assert {"en": "the Permanent Observer Mission may wish", "fr": "la Mission permanente d'observation voudra bien",
            "es": "la Misión Permanente de Observación tal vez desee"}[lang] in text


@pytest.mark.parametrize("iso3, lang, of_state", [
    ("CHL", "fr", "du Chili"), ("NLD", "fr", "du Royaume des Pays-Bas"), ("PHL", "fr", "des Philippines"),
    ("HTI", "fr", "d'Haïti"), ("CUB", "fr", "de Cuba"), ("IRQ", "fr", "de l'Iraq"), ("MOZ", "fr", "du Mozambique"),
    ("GNB", "fr", "de la Guinée-Bissau"), ("PER", "es", "del Perú"), ("BGR", "es", "de Bulgaria"),
    ("GBR", "es", "del Reino Unido de Gran Bretaña e Irlanda del Norte"), ("GMB", "en", "of the Gambia"),
    ("BOL", "en", "of the Plurinational State of Bolivia"), ("LCA", "en", "of Saint Lucia"),
])
def test_the_state_is_named_with_the_article_its_name_takes(iso3, lang, of_state):
    assert countries.of_state(iso3, lang) == of_state


def test_a_letter_on_the_sample_s_dates_says_it_is_an_example_and_one_on_real_data_does_not():
    sample = _text(letters.build_letters(_rows("BGR"), DAY, "fr", illustrative=True)[0].data)
    real = _text(letters.build_letters(_rows("BGR"), DAY, "fr")[0].data)
    line = (f"Exemple seulement{NB}: les dates de remise sur lesquelles repose la présente note sont les données "
            "d'exemple, fictives, de CCM Analytics, et non les registres de l'ISU. Elle ne doit pas être envoyée.")
    assert line in sample
    assert "Exemple seulement" not in real and "fictives" not in real


def test_the_letters_command_says_example_for_the_sample_and_reads_the_contact_details_kept_in_the_store(
        tmp_path, capsys):
    from ccm_analytics.cli import main
    from tests.conftest import SAMPLE

    db = tmp_path / "s.duckdb"
    assert main(["--db", str(db), "letter-settings", "--email", "isu@example.org", "--telephone", "+41 22 1"]) == 0
    assert main(["--db", str(db), "letter-settings", "--reference", "ISU/{number}"]) == 0  # the rest is kept
    capsys.readouterr()
    out = tmp_path / "letters"
    out.mkdir()
    assert main(["--db", str(db), "letters", "--data", str(SAMPLE), "--as-of", DAY, "--lang", "es", "--state", "ALB",
                 "--first-number", "7", "--out", str(out)]) == 0
    text = _text((out / "ALB-article7-reminder-2018-09-05-es.docx").read_bytes())
    assert "Solo a título de ejemplo" in text
    assert "Ref.: ISU/7" in text and "Correo electrónico: isu@example.org  ·  Teléfono: +41 22 1" in text
    # a pattern without {number} is refused, plainly, and nothing is changed
    assert main(["--db", str(db), "letter-settings", "--reference", "CCM/{foo}"]) == 2
    assert "{number}" in capsys.readouterr().err
    assert letters.load_settings(__import__("ccm_analytics.store", fromlist=["Store"]).Store(db)).reference == \
        "ISU/{number}"


def test_a_letterhead_template_can_use_the_reference_the_mission_and_the_contact_block():
    import docx

    tpl = docx.Document()
    tpl.add_paragraph("{{ reference }} | {{ mission_of }}")
    tpl.add_paragraph("{{ contact_block }}")
    buf = io.BytesIO()
    tpl.save(buf)
    out = letters.build_letters(_rows("CHL"), DAY, "fr", template=buf.getvalue(), settings=SETTINGS)
    text = _text(out[0].data)
    assert "CCM/ISU/2018/001 | Mission permanente du Chili" in text
    assert f"Courriel{NB}: isu@example.org" in text


# -- files that declare their language ------------------------------------------------------------------------

def _xml_parts(data: bytes, prefix: str = "") -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml") and n.startswith(prefix)}


def _language(parts: dict[str, str]) -> str | None:
    """The file's declared language: ``dc:language`` of ``docProps/core.xml``."""
    m = re.search(r"<dc:language[^>]*>([^<]*)</dc:language>", parts["docProps/core.xml"])
    return m.group(1) if m else None


@pytest.mark.parametrize("lang, tag", [("fr", "fr-FR"), ("es", "es-ES"), ("en", "en-GB")])
def test_a_letter_marks_its_text_with_its_language_from_the_default_run_properties(lang, tag):
    parts = _xml_parts(letters.build_letters(_rows("BGR"), DAY, lang)[0].data)
    styles = parts["word/styles.xml"]
    default = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    assert f'w:val="{tag}"' in default
    assert "en-US" not in "".join(parts.values())
    assert _language(parts) == tag


def test_a_french_letter_from_a_letterhead_template_is_marked_french_too():
    import docx

    tpl = docx.Document()  # python-docx's own template: marked en-US
    tpl.add_paragraph("{{ mission }}")
    buf = io.BytesIO()
    tpl.save(buf)
    assert "en-US" in "".join(_xml_parts(buf.getvalue()).values())
    data = letters.build_letters(_rows("BGR"), DAY, "fr", template=buf.getvalue())[0].data
    parts = _xml_parts(data)
    assert "en-US" not in "".join(parts.values()) and 'w:val="fr-FR"' in parts["word/styles.xml"]


@pytest.fixture(scope="module")
def spanish_deck(sample_data):
    from ccm_analytics.outputs.deck import build_deck

    with i18n.language("es"):
        data, _info = build_deck(sample_data, DAY, "Reunión", "datos")
    return data


def test_every_text_of_a_spanish_deck_charts_included_is_marked_spanish(spanish_deck):
    parts = _xml_parts(spanish_deck, "ppt/")
    assert "en-US" not in "".join(parts.values())
    charts = {n: x for n, x in parts.items() if n.startswith("ppt/charts/chart")}
    assert charts  # the deck has native charts
    for name, xml in parts.items():
        if not name.startswith(("ppt/slides/slide", "ppt/charts/chart", "ppt/notesSlides/")):
            continue
        props = re.findall(r"<a:(?:rPr|endParaRPr|defRPr)\b[^>]*>", xml)
        assert props, name
        assert all('lang="es-ES"' in p for p in props), (name, [p for p in props if 'lang="es-ES"' not in p][:3])
        # every run has its properties (a run without would fall back to the master's language)
        assert not re.findall(r"<a:r>\s*<a:t>", xml), name
    assert _language(_xml_parts(spanish_deck)) == "es-ES"


def test_the_export_declares_its_language(sample_data):
    from ccm_analytics.export import export_workbook

    with i18n.language("fr"):
        data = export_workbook(sample_data, DAY, "données")
    assert _language(_xml_parts(data)) == "fr-FR"


def test_the_html_brief_declares_its_language(sample_data):
    from ccm_analytics.outputs.brief import build_brief
    from ccm_analytics.outputs.brief_html import brief_html

    with i18n.language("es"):
        html = brief_html(build_brief(sample_data, DAY), "datos")
    assert html.startswith('<!DOCTYPE html>\n<html lang="es">')


# -- UN names ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("iso3, lang, name", [
    ("PLW", "es", "Palau"), ("NZL", "es", "Nueva Zelandia"), ("LCA", "en", "Saint Lucia"),
    ("KNA", "fr", "Saint-Kitts-et-Nevis"), ("PLW", "fr", "Palaos"), ("NZL", "fr", "Nouvelle-Zélande"),
    ("MMR", "en", "Myanmar"), ("SAU", "es", "Arabia Saudita"),
])
def test_state_names_are_the_un_s_short_names(iso3, lang, name):
    assert countries.name_in(iso3, lang) == name


# -- label columns: the user's own words in the run's language ---------------------------------------------------

def test_label_columns_replace_the_words_in_their_language_and_the_data_stays_as_loaded():
    from ccm_analytics.data import labels_in, localized
    from tests.conftest import load_csvs

    data = load_csvs(
        budget="year,cost_line,amount,cost_line_fr,cost_line_es\n2018,Travel,100,Voyages,Viajes\n"
               "2018,Salaries,900,,\n",
        spend="date,cost_line,amount\n2018-02-01,Travel,40\n2018-03-01,Salaries,300\n",
        meetings="meeting,start_date,meeting_fr\nEighth Meeting of States Parties,2018-09-03,"
                 "Huitième Assemblée des États parties\nCoordination Committee,2018-02-01,\n",
        workplan="activity,title,title_es\n3.2.1,Follow up reports,Dar seguimiento a los informes\n")
    fr = labels_in(data, "fr")
    assert list(fr.budget["cost_line"]) == ["Voyages", "Salaries"]  # an empty label keeps the loaded name
    assert list(fr.spend["cost_line"]) == ["Voyages", "Salaries"]  # spend meets budget under the same name
    assert list(fr.meetings.sort_values("start_date")["meeting"]) == ["Coordination Committee",
                                                                      "Huitième Assemblée des États parties"]
    assert list(fr.workplan["title"]) == ["Follow up reports"]  # no French title given
    assert list(localized(data, "es").workplan["title"]) == ["Dar seguimiento a los informes"]
    assert list(data.budget["cost_line"]) == ["Travel", "Salaries"]  # the loaded data is not changed
    assert labels_in(data, "en") is data
    # figures do not change: 40 of 100 spent on travel, under its French name
    from ccm_analytics.analysis import treasurer

    table = treasurer.budget_table(fr.budget, fr.spend, fr.contributions, fr.pledges, pd.Timestamp("2018-06-30"))
    travel = table[(table["year"] == 2018) & (table["cost_line"] == "Voyages")].iloc[0]
    assert (travel["budget"], travel["spent"]) == (100, 40)


def test_the_french_deck_names_the_sample_s_cost_lines_in_french(sample_data):
    from pptx import Presentation

    from ccm_analytics.data import localized
    from ccm_analytics.outputs.deck import build_deck

    with i18n.language("fr"):
        data, _info = build_deck(localized(sample_data, "fr"), DAY, "Assemblée", "données")
    prs = Presentation(io.BytesIO(data))
    budget = next(s for s in prs.slides if s.shapes.title.text.startswith("Budget 2018"))
    chart = next(sh.chart for sh in budget.shapes if sh.has_chart)
    assert set(chart.plots[0].categories) == {"Salaires", "Charges sociales", "Communication", "Voyages",
                                              "Autres frais d'appui à l'application"}


def test_the_work_plan_page_in_french_shows_the_sample_s_french_titles(store_path, navigation_not_folder):
    from tests.conftest import shown_tables
    from tests.test_i18n_pages import run_page

    at = run_page("pages/workplan.py", "fr")
    assert not at.exception
    table = next(t for t in shown_tables(at) if "title" in t.columns)
    row = table[table["activity"] == "3.2.1"].iloc[0]
    assert row["title"] == "Suivre les rapports de transparence initiaux, annuels et en souffrance"
    assert row["outcome"] == "3 Les États parties s'acquittent de leurs obligations et en rendent compte"
    assert "Follow up initial, annual and overdue transparency reports" not in set(table["title"])



def test_the_contact_details_set_on_the_data_page_are_those_of_every_letter(store_path):
    from ccm_analytics.store import Store
    from tests.test_i18n_pages import run_page

    at = run_page("pages/data.py", "en")
    assert not at.exception
    next(t for t in at.text_input if t.label == "E-mail").set_value("isu@example.org")
    next(t for t in at.text_input if t.label == "Reference pattern").set_value("ISU/{year}-{number}")
    next(b for b in at.button if b.label == "Save the contact details").click()
    at.run()
    assert not at.exception
    kept = letters.load_settings(Store(store_path))
    assert (kept.email, kept.reference) == ("isu@example.org", "ISU/{year}-{number}")
    text = _text(letters.build_letters(_rows("BGR"), DAY, "en", settings=kept)[0].data)
    assert "Ref.: ISU/2018-1" in text and "E-mail: isu@example.org" in text
