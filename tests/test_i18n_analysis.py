"""The analysis area in French and Spanish (DOMAIN §12): key messages, record sentences, budget words,
provenance notices and State names. Every expected sentence is worked by hand from the English one of
the same example (tests/test_brief.py, tests/test_article34_record.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from ccm_analytics import countries, i18n, narrative
from ccm_analytics import formatting as fmt
from ccm_analytics import provenance as prov
from ccm_analytics.analysis import deadlines as dl
from ccm_analytics.analysis import reporting as rp
from ccm_analytics.data import CcmData, localized
from ccm_analytics.views import overview_view
from ccm_analytics.outputs import words

DAY = pd.Timestamp("2018-09-05")


def plain(text: str) -> str:
    """The text with no-break spaces (French before ":", ";", "%", "CHF"; thousands) as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def key_messages(data, lang: str, day=DAY) -> list[str]:
    with i18n.language(lang):
        ov = overview_view(localized(data, lang), day)
        return narrative.key_messages(ov, rp.overdue_by_state(ov.snap.statuses, day))


def test_a_french_run_gives_the_key_messages_of_the_worked_example_in_french(tiny_data):
    # The English messages of tests/test_brief.py, in French: 6 States Parties, 124 to go to 130 by 2020,
    # 1 signatory; 2017 annual reports 40.0% on time, 60.0% submitted, 6 States owe 24 reports since
    # 30 April 2013; Art. 3 1 of 3 destroyed, 2 to go; Art. 4 1 of 1 cleared; nothing overdue, Lithuania
    # (Lituanie) next on 1 September 2019; 61.2% spent, 67.9% of the year gone, 9.9% slower; straight line
    # 419,351, 46,089 under; contributions 195,000 (41.9%), gap 270,440.
    with i18n.language("fr"):
        sept_1 = fmt.long_day(pd.Timestamp("2019-09-01"))  # "1 septembre 2019" (Babel's French long date)
    messages = key_messages(tiny_data, "fr")
    assert [plain(m) for m in messages] == [
        "La Convention compte 6 États parties (encore 124 pour atteindre l'objectif de 130 d'ici à 2020) et "
        "1 signataire n'ayant pas encore ratifié.",
        "40,0 % des rapports annuels de 2017 ont été remis dans les délais et 60,0 % ont été remis à ce jour ; "
        "6 États parties doivent 24 rapports, le plus ancien étant attendu depuis le 30 avril 2013.",
        "Article 3 : 1 sur 3 États parties ayant stocké des armes à sous-munitions a détruit ses stocks, "
        "2 doivent encore détruire leurs stocks ; Article 4 : 1 sur 1 État contaminé a achevé la dépollution, "
        "aucun État n'a encore de zones à dépolluer ; aucune échéance dépassée et 1 échéance dans les 12 mois ; "
        f"la prochaine échéance est le {plain(sept_1)} (Lituanie, article 3).",
        "L'ISU a dépensé 61,2 % de son budget de 2018, alors que 67,9 % de l'exercice s'est écoulé, soit des dépenses 9,9 % "
        "plus lentes que le calendrier ; la projection de fin d'année est de 419 351 CHF (projection "
        "linéaire) : 46 089 CHF en dessous du budget ; pas encore de fourchette : moins de deux années passées.",
        "Contributions pour 2018 : 195 000 CHF reçus, soit 41,9 % du budget ; le déficit de financement "
        "s'élève à 270 440 CHF.",
    ]
    # French typography: a no-break space before the semicolon, the colon and the percent sign
    assert "remis à ce jour\u00a0;" in messages[1] and "Article 3\u00a0:" in messages[2] and "40,0\u00a0%" in messages[1]


def test_a_spanish_run_gives_the_key_messages_of_the_worked_example_in_spanish(tiny_data):
    messages = [plain(m) for m in key_messages(tiny_data, "es")]
    assert messages[0] == ("La Convención cuenta con 6 Estados partes (faltan 124 para alcanzar la meta de 130 "
                           "para 2020) y 1 signatario aún sin ratificarla.")
    assert messages[1] == ("El 40,0 % de los informes anuales de 2017 se presentó a tiempo y hasta la fecha se ha "
                           "presentado el 60,0 %; 6 Estados partes adeudan 24 informes; el más antiguo debía "
                           "presentarse el 30 de abril de 2013.")
    assert messages[2].startswith("Artículo 3: 1 de 3 Estados partes con existencias de municiones en racimo las ha "
                                  "destruido, 2 aún deben destruir sus existencias; Artículo 4: 1 de 1 Estado "
                                  "contaminado ha completado la limpieza, ")
    assert messages[2].endswith("(Lituania, artículo 3).")
    assert messages[4] == ("Contribuciones para 2018: 195.000 CHF recibidos, el 41,9 % del presupuesto; el déficit "
                           "de financiación asciende a 270.440 CHF.")


def test_an_english_run_is_unchanged_and_needs_no_localized_copy(tiny_data):
    assert localized(tiny_data, "en") is tiny_data
    assert key_messages(tiny_data, "en")[0] == ("The Convention has 6 States Parties (124 to go to the target of 130 "
                                                "by 2020) and 1 signatory still to ratify.")


def test_the_state_of_play_opens_with_the_day_in_the_language(tiny_data):
    with i18n.language("fr"):
        text = plain(narrative.state_of_play(overview_view(localized(tiny_data, "fr"), DAY)))
    assert text.startswith("Au 5 septembre 2018 : la Convention compte 6 États parties")
    assert "Sur les 5 rapports annuels pour 2017 (attendus le 30 avril 2018), 60,0 % ont été remis et 40,0 % " \
           "l'ont été dans les délais. Au total, 24 rapports sont en souffrance (initiaux : 2, annuels : 22)." in text
    assert text.endswith("Contributions reçues pour 2018 : 195 000 CHF (41,9 % du budget).")


@pytest.mark.parametrize("lang, n, words", [
    ("fr", 0, "aucune échéance dépassée"), ("fr", 1, "1 échéance dépassée"), ("fr", 3, "3 échéances dépassées"),
    ("es", 0, "ningún plazo vencido"), ("es", 1, "1 plazo vencido"), ("es", 3, "3 plazos vencidos"),
    ("en", 0, "no State overdue"), ("en", 3, "3 overdue"),
])
def test_counts_of_overdue_deadlines_follow_each_languages_plural(lang, n, words):
    with i18n.language(lang):
        assert narrative.none_or(n, "overdue") == words


def test_the_budget_pace_and_outlook_words_are_translated():
    # pace 0.92: 8.0% slower than the calendar (DOMAIN §8)
    with i18n.language("fr"):
        assert plain(narrative.pace_words(0.92)) == "des dépenses 8,0 % plus lentes que le calendrier"
        assert plain(narrative.pace_words(1.1, short=True)) == "10,0 % plus rapide"
        assert plain(narrative.outlook_words("over_budget", 120.0, 0.12, True)) == "au-dessus du budget de 12,0 % (signalé)"
    with i18n.language("es"):
        assert plain(narrative.pace_words(0.92)) == "un gasto un 8,0 % más lento que el calendario"
        assert narrative.outlook_words("on_budget", 0.0, 0.0, False) == "dentro del presupuesto"
    assert narrative.pace_words(0.92) == "spending 8.0% slower than the calendar"


def test_a_states_record_is_told_in_french(sample_data):
    # Bulgaria (sample): bound from 1 October 2011, deadline 1 October 2019; asked on 30 April 2019 for
    # 1 April 2021, granted at the 9MSP on 4 September 2019; stocks destroyed in June 2023 (month precision),
    # 186,349 submunitions.
    with i18n.language("fr"):
        data = localized(sample_data, "fr")
        story = narrative.obligation_story(dl.obligation_events(data.states, data.obligations, data.extensions, "BGR",
                                                                pd.Timestamp("2024-01-01")))
        oct_1 = "1er octobre 2019"  # the first of a month is an ordinal in French
    events = [plain(e) for e in story["event"]]
    assert events[0] == ("La Convention entre en vigueur à son égard : l'État doit détruire ses stocks d'armes à "
                         f"sous-munitions au plus tard le {oct_1}.")
    assert "Prolongation accordée lors de la 9MSP : nouvelle échéance le 1er avril 2021." in events
    assert events[-1] == "Destruction des stocks achevée en juin 2023 : 186 349 sous-munitions détruites."
    assert story["when"].iloc[-1] == "juin 2023"


def test_the_reports_a_state_owes_are_named_in_the_language():
    items = [("initial", None), ("annual", 2014), ("annual", 2015)]
    assert narrative.outstanding_label(items) == "Initial; Annual 2014, 2015"
    with i18n.language("fr"):
        assert plain(narrative.outstanding_label(items)) == "Initial ; annuel 2014, 2015"
    with i18n.language("es"):
        assert narrative.outstanding_label(items[1:]) == "Anual 2014, 2015"


def test_the_sample_data_source_label_and_illustrative_datasets_are_translated():
    assert prov.files_label(["ccm_sample.xlsx"]) == "CCM Analytics sample data (partly illustrative)"
    with i18n.language("fr"):
        assert prov.files_label(["ccm_sample.xlsx"]) == "Données d'exemple de CCM Analytics (en partie fictives)"
        assert prov.is_sample_label(prov.files_label(["ccm_sample.xlsx"]))
        assert prov.illustrative_what(["spend", "reports"]) == ["dépenses", "dates de remise des rapports"]
    with i18n.language("es"):
        assert prov.illustrative_what(["pledges", "workplan"]) == ["promesas de contribución",
                                                                   "avance del plan de trabajo"]
    assert prov.is_sample_label(prov.SAMPLE_LABEL) and not prov.is_sample_label("my_data.xlsx")
    assert prov.illustrative_what(list(prov.ILLUSTRATIVE_WHAT)) == list(prov.ILLUSTRATIVE_WHAT.values())
    # the constant the sample-data notice reads is in the run's language too
    assert prov.ILLUSTRATIVE_WHAT["spend"] == "spend"
    with i18n.language("fr"):
        assert [prov.ILLUSTRATIVE_WHAT[d] for d in ("budget", "spend")] == ["budgets des années autres que 2018",
                                                                            "dépenses"]


def test_a_count_of_millions_of_submunitions_follows_the_plural_of_the_language():
    with i18n.language("fr"):
        assert plain(words.submunitions(165_904_388)) == "165,9 millions"
        assert plain(words.submunitions(1_200_000)) == "1,2 million"
        assert plain(words.submunitions(12_500)) == "12 500"
    with i18n.language("es"):
        assert words.submunitions(1_200_000) == "1,2 millones"  # Spanish: a decimal takes the plural
    assert words.submunitions(165_904_388) == "165.9 million"


# -- State names (DOMAIN §12) -------------------------------------------------------------------------------

def test_state_names_are_the_un_names_where_cldr_differs_else_cldrs():
    assert (countries.name_in("BGR", "fr"), countries.name_in("BGR", "es")) == ("Bulgarie", "Bulgaria")
    assert countries.name_in("LAO", "fr") == "République démocratique populaire lao"
    assert countries.name_in("LAO", "es") == "República Democrática Popular Lao"
    # CLDR writes Irak / Nigeria / Liberia / Salvador in French and Botsuana / Kenia / Ruanda in Spanish
    assert [countries.name_in(c, "fr") for c in ("IRQ", "NGA", "LBR", "SLV")] == [
        "Iraq", "Nigéria", "Libéria", "El Salvador"]
    assert [countries.name_in(c, "es") for c in ("BWA", "KEN", "RWA", "FJI")] == [
        "Botswana", "Kenya", "Rwanda", "Fiji"]


def test_localized_data_names_every_state_in_the_language_and_leaves_the_original_alone():
    states = pd.DataFrame({"iso3": ["BGR", "LAO", "XKX"], "state": ["Bulgaria", "Lao PDR", "Kosovo"],
                           "region": ["Europe", "Asia", "Europe"]})
    data = CcmData.from_frames({"states": states})
    fr, es = localized(data, "fr"), localized(data, "es")
    assert list(fr.states["state"]) == ["Bulgarie", "République démocratique populaire lao", "Kosovo"]
    assert list(es.states["state"]) == ["Bulgaria", "República Democrática Popular Lao", "Kosovo"]
    assert list(data.states["state"]) == ["Bulgaria", "Lao PDR", "Kosovo"]  # unchanged
    assert fr.states["state"].dtype == data.states["state"].dtype and fr.reports is data.reports
    assert localized(data, "en") is data and localized(data, "de") is data


def test_every_view_built_on_localized_data_shows_french_names(sample_data):
    fr = localized(sample_data, "fr")
    table = dl.deadline_table(fr.states, fr.obligations, fr.extensions, DAY)
    assert "Bulgarie" in set(table["state"]) and "Bulgaria" not in set(table["state"])
    statuses = rp.report_statuses(fr.states, fr.reports, DAY)
    assert "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord" in set(statuses["state"])
    # the figures do not change with the language
    assert len(table) == len(dl.deadline_table(sample_data.states, sample_data.obligations, sample_data.extensions, DAY))


def test_region_names_follow_the_language_and_other_regions_stay_as_written():
    import pandas as pd

    from ccm_analytics.data import CcmData, localized

    d = CcmData.from_frames({"states": pd.DataFrame({"iso3": ["BGR", "CHL", "FJI"], "state": ["Bulgaria", "Chile", "Fiji"],
                                                     "region": ["Europe", "Americas", "Pacific islands"]})})
    assert list(localized(d, "es").states["region"]) == ["Europa", "Américas", "Pacific islands"]
    assert list(localized(d, "fr").states["region"]) == ["Europe", "Amériques", "Pacific islands"]
    assert list(localized(d, "en").states["region"]) == ["Europe", "Americas", "Pacific islands"]
