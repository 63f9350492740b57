"""French and Spanish as a treaty officer writes them (DOMAIN §12): the glossary's terms in every
message, plurals chosen by gettext, French typography and dates, names sorted by each language's
collation, the calendar and the grids in the page's language."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pandas as pd
import pytest

from ccm_analytics import formatting as fmt
from ccm_analytics import i18n
from ccm_analytics.i18n import catalogs

NBSP, MINUS = "\u00a0", "\u2212"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Messages where a glossary word is not the term: a code the user types ("write completed"), a
# sheet's name ("a Budget sheet").
NOT_THE_TERM = {
    "completed": re.compile(r"none_held|\bcompleted_on\b|write completed"),
    "budget": re.compile(r"Budget sheet"),
}


def _head(term: str) -> str:
    """The term without its explanation: "clearance (Article 4)" -> "clearance"."""
    return re.sub(r"\s*\(.*\)$", "", term).strip()


def _word(w: str) -> str:
    """A word of a French or Spanish term with its plural and agreement endings."""
    w = re.escape(w)
    if w.endswith("o"):
        return w[:-1] + "(?:o|a|os|as)"
    if w.endswith("é"):
        return w + "(?:e|s|es)?"
    if w.endswith("s") and len(w) > 3:
        return w[:-1] + "(?:s|es)?"
    return w + "(?:s|es|x|e)?"


def _pattern(term: str, inflect: bool = True) -> re.Pattern:
    words = _head(term).split()
    return re.compile(r"(?<!\w)" + r"[\s\u00a0]+".join(_word(x) if inflect else re.escape(x) for x in words)
                      + r"(?!\w)", re.IGNORECASE)


def _glossary() -> list[dict]:
    with catalogs.GLOSSARY.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _messages(lang: str):
    for area in catalogs.AREAS:
        for m in catalogs.read(catalogs.po_path(lang, area), lang):
            if m.id:
                ids = m.id if isinstance(m.id, tuple) else (m.id,)
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                yield area, ids, strings


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_message_with_a_glossary_term_uses_the_glossary_s_translation(lang):
    """For each English term of the glossary, every message containing it uses the glossary's term
    (any of its " / " alternatives, plurals and agreement allowed; a term with several senses has one
    row per sense, and any of them will do)."""
    rows = _glossary()
    senses: dict[str, list[re.Pattern]] = {}
    for r in rows:
        senses.setdefault(_head(r["en"]).casefold(), []).extend(
            _pattern(alt) for alt in r[lang].split(" / "))
    wrong = []
    for area, ids, strings in _messages(lang):
        english = " ".join(PLACEHOLDER.sub("", i) for i in ids)
        for head, patterns in senses.items():
            if not _pattern(head, inflect=False).search(english):
                continue
            if head in NOT_THE_TERM and NOT_THE_TERM[head].search(english):
                continue
            for s in strings:
                if not any(p.search(s) for p in patterns):
                    wrong.append(f"{area}: {head!r}: {ids[0][:70]!r} -> {s[:90]!r}")
    assert not wrong, f"{len(wrong)} messages leave the glossary:\n" + "\n".join(wrong[:40])


def test_the_glossary_uses_the_convention_s_spanish_for_clearance_and_overdue():
    """Article 4's Spanish title: "Limpieza y destrucción de restos de municiones en racimo"; a report
    past its due date is "atrasado" ("pendiente" is a request not yet decided)."""
    rows: dict[str, dict] = {}
    for r in _glossary():  # the first sense of each term
        rows.setdefault(_head(r["en"]), r)
    assert _head(rows["clearance"]["es"]) == "limpieza"
    assert rows["overdue"]["es"] == "atrasado"
    assert rows["pending"]["es"] == "pendiente"
    assert rows["withdrawal"]["es"] == "retirada"


@pytest.mark.parametrize("word", ["remoción", "remover", "despejad", "CMR", "token de", "Retiro"])
def test_no_spanish_message_uses_a_word_the_convention_does_not(word):
    found = [s for _, _, strings in _messages("es") for s in strings if word.casefold() in s.casefold()]
    assert not found, found[:5]


def test_no_spanish_message_calls_an_overdue_report_pending():
    found = [(ids[0], s) for _, ids, strings in _messages("es") for s in strings
             if re.search(r"\boverdue\b", ids[0], re.IGNORECASE) and re.search(r"pendiente", s, re.IGNORECASE)]
    assert not found, found[:5]


def test_the_catalog_check_finds_english_left_untranslated_and_french_spacing(monkeypatch, tmp_path):
    """check() refuses a message left as its English (beyond the allowed words: "Budget", "Zoom",
    proper names) and French with an ordinary space, or none, before ":" ";" "?" "!"."""
    from babel.messages.catalog import Catalog

    cat = Catalog(locale="fr", domain=i18n.DOMAIN, charset="utf-8")
    cat.add("Overdue reports", "Overdue reports")
    cat.add("Budget", "Budget")
    cat.add("Where: {place}", "Où : {place}")
    cat.add("Why? {x}", f"Pourquoi{NBSP}? {{x}}")
    cat.add("Done!", "Fait!")
    cat.add("16:9 deck", "présentation 16:9")
    monkeypatch.setattr(catalogs, "AREAS", {"pages": ()})
    monkeypatch.setattr(catalogs, "TRANSLATED", ("fr",))
    monkeypatch.setattr(catalogs, "po_path", lambda lang, area: tmp_path / f"{lang}-{area}.po")
    catalogs.write(cat, tmp_path / "fr-pages.po")
    found = {(p.msgid, p.what.split(" ")[0]) for p in catalogs.check(fresh=True)}
    assert found == {("Overdue reports", "left"), ("Where: {place}", "French"), ("Done!", "French")}


def test_every_count_in_a_sentence_is_chosen_by_ngettext():
    """No message builds a plural by hand ("letter(s)") and none pastes a count before a noun
    without ngettext: the English of every "{n} <noun>" message has a plural form."""
    hand_made = []
    for area in catalogs.AREAS:
        for m in catalogs.extract_template(area):
            if isinstance(m.id, str) and (re.search(r"\w\(s\)", m.id)
                                          or re.search(r"\{n\} (more|million|States?|signator|letter|event|row|cell)",
                                                       m.id)):
                hand_made.append((area, m.id))
    assert not hand_made, hand_made


@pytest.mark.parametrize("lang, n, text", [
    # French: 0 and 1 are singular and so is anything below 2 ("1,5 million"); Spanish: only 1.
    ("fr", 1, "1 autre échéance tombe"), ("fr", 3, "3 autres échéances tombent"),
    ("es", 1, "Otro plazo (1) vence"), ("es", 3, "Otros 3 plazos vencen"),
])
def test_the_overview_counts_more_deadlines_with_the_language_s_plural(lang, n, text):
    rest = " Stockpiles destroyed: {destroyed} of {held} States; clearance completed: {cleared} of {contaminated}."
    msg = ("{n} more falls due within 12 months." + rest, "{n} more fall due within 12 months." + rest)
    with i18n.language(lang):
        said = i18n.ngettext(*msg, n).format(n=n, destroyed=1, held=2, cleared=3, contaminated=4)
    assert said.startswith(text)
    if lang == "es":
        assert "limpieza completada" in said


@pytest.mark.parametrize("lang, millions, text", [
    ("fr", 1.5, "1,5 million"), ("fr", 2.4, "2,4 millions"), ("fr", 1.0, "1,0 million"),
    ("es", 1.0, "1,0 millón"), ("es", 1.5, "1,5 millones"), ("en", 1.5, "1.5 million"),
])
def test_millions_agree_with_their_number(lang, millions, text):
    with i18n.language(lang):
        assert i18n.ngettext("{n} million", "{n} million", fmt.plural_n(millions)).format(
            n=fmt.number(millions, 1)) == text


@pytest.mark.parametrize("lang, day, long, short", [
    ("fr", dt.date(2019, 10, 1), "1er octobre 2019", "1er oct. 2019"),
    ("fr", dt.date(2019, 10, 2), "2 octobre 2019", "2 oct. 2019"),
    ("es", dt.date(2019, 10, 1), "1 de octubre de 2019", "1 oct 2019"),
    ("en", dt.date(2019, 10, 1), "1 October 2019", "1 Oct 2019"),
])
def test_french_writes_the_first_of_the_month_as_an_ordinal(lang, day, long, short):
    with i18n.language(lang):
        assert fmt.long_day(day) == long
        assert fmt.day(day) == short


@pytest.mark.parametrize("lang, text", [("en", "-26"), ("fr", f"{MINUS}26"), ("es", f"{MINUS}26")])
def test_negative_numbers_take_the_minus_sign_in_french_and_spanish(lang, text):
    with i18n.language(lang):
        assert fmt.number(-26) == text


def test_french_typography_puts_no_break_spaces_and_one_full_stop():
    said = fmt.typography("Échéance : au 5 sept.. Pourquoi? « Oui » ; format 16:9, https://x.org ... -26 en 2011-2015",
                          "fr")
    assert said == (f"Échéance{NBSP}: au 5 sept. Pourquoi{NBSP}? «{NBSP}Oui{NBSP}»{NBSP}; format 16:9, "
                    f"https://x.org ... {MINUS}26 en 2011-2015")
    assert fmt.typography("Due: 5 Sep.. -26", "en") == "Due: 5 Sep. -26"


@pytest.mark.parametrize("names, ordered", [
    (["Montenegro", "México", "Mozambique"], ["México", "Montenegro", "Mozambique"]),
    (["Slovénie", "Équateur", "Zambie", "Érythrée"], ["Équateur", "Érythrée", "Slovénie", "Zambie"]),
    (["Ouganda", "Îles Cook", "Italie"], ["Îles Cook", "Italie", "Ouganda"]),
])
def test_names_sort_as_the_language_reads_them_not_by_code_point(names, ordered):
    assert sorted(names, key=fmt.sort_key) == ordered


def test_a_frame_sorted_by_date_then_state_puts_accented_names_in_place():
    frame = pd.DataFrame({"state": ["Slovénie", "Équateur", "Albanie"], "article": [4, 3, 4],
                          "effective_deadline": pd.to_datetime(["2026-01-01"] * 3)})
    out = frame.sort_values(["effective_deadline", "state"], key=fmt.sort_key)
    assert list(out["state"]) == ["Albanie", "Équateur", "Slovénie"]


def test_the_state_picker_lists_states_in_the_language_s_order():
    from ccm_analytics import views
    from ccm_analytics.data import CcmData, localized

    data = CcmData.from_frames({"states": pd.DataFrame({"iso3": ["MNE", "MEX", "SVN", "ECU"],
                                                         "state": ["Montenegro", "Mexico", "Slovenia", "Ecuador"]})})
    with i18n.language("es"):
        assert list(views.state_options(localized(data, "es"))["state"]) == ["Ecuador", "Eslovenia", "México",
                                                                           "Montenegro"]
    with i18n.language("fr"):
        assert list(views.state_options(localized(data, "fr"))["state"]) == ["Équateur", "Mexique", "Monténégro",
                                                                           "Slovénie"]


def test_a_large_table_s_grid_writes_numbers_and_days_in_the_page_s_language():
    """Over 50 rows a table is a data grid, which would write "2,777" and "28/01/2011" in the browser's
    conventions; in French its cells are the same text as the small HTML table's."""
    from ccm_analytics.ui import tables
    from ccm_analytics.ui import widgets as w

    frame = pd.DataFrame({"state": ["Équateur"], "rows": [2777], "when": [pd.Timestamp("2011-01-28")],
                          "rate": [0.612], "year": [2011]})
    with i18n.language("fr"):
        config = {"rows": w.int_col("Lignes"), "when": w.date_col("Date"), "rate": w.pct_col("Taux"),
                  "year": w.year_col("Année")}
        shown, cfg = tables.null_free(frame, config, as_text=True)
        small = tables.html_table(frame, config)
    assert shown.iloc[0].tolist() == ["Équateur", "2\u202f777", "28 janv. 2011", f"61,2{NBSP}%", "2011"]
    assert cfg["rows"]["label"] == "Lignes" and cfg["rows"]["type_config"]["type"] == "text"
    for text in ("2\u202f777", "28 janv. 2011", f"61,2{NBSP}%"):
        assert f">{text}<" in small.replace("&nbsp;", NBSP)
    with i18n.language("en"):
        kept, _ = tables.null_free(frame, {"rows": w.int_col("Rows")})
    assert kept["rows"].tolist() == [2777]  # English grids keep numbers (sorting, the browser's format)


def test_the_export_in_french_names_report_types_and_channels_in_french(sample_data):
    """The export's cells, not only its headers: "Annuel" / "Initial" reports, contacts by "lettre"."""
    import io

    from openpyxl import load_workbook

    from ccm_analytics.export import export_workbook

    with i18n.language("fr"):
        wb = load_workbook(io.BytesIO(export_workbook(sample_data, dt.date(2018, 9, 5), "données de test")))
    overdue = wb["Rapports en souffrance"]
    header = [c.value for c in overdue[1]]
    types = {r[header.index("Rapport")] for r in overdue.iter_rows(min_row=2, values_only=True)}
    assert types <= {"Initial", "Annuel"} and "Annuel" in types
    follow = wb["Suivi"]
    header = [c.value for c in follow[1]]
    channels = {r[header.index("Canal")] for r in follow.iter_rows(min_row=2, values_only=True)}
    assert channels and not channels & {"letter", "email", "meeting", "call"}, channels


def test_the_calendar_file_in_french_writes_days_kinds_and_places_in_french(sample_data):
    """The .ics a French user downloads: "au 5 septembre 2018", not "Au 2018-09-05"; a meeting's kind and
    place in French; no English label left in its titles and descriptions."""
    from icalendar import Calendar

    from ccm_analytics.data import localized
    from ccm_analytics.outputs.ical import coming_up, to_ics

    day = pd.Timestamp("2018-09-05")
    with i18n.language("fr"):
        data = localized(sample_data, "fr")
        cal = Calendar.from_ical(to_ics(coming_up(data, day, 12), day, 12))
    assert str(cal["x-wr-calname"]) == f"CCM{NBSP}: échéances des 12{NBSP}mois suivant le 5 sept. 2018"
    events = [c for c in cal.walk("VEVENT")]
    described = [str(e["description"]) for e in events]
    assert described and all(d.endswith("Au 5 septembre 2018, d'après CCM Analytics.") for d in described), described[:2]
    assert not any("2018-09-05" in d for d in described)
    meetings = [d for e, d in zip(events, described) if "Réunion" in str(e["categories"].cats[0])
                or str(e["categories"].cats[0]) == "Réunion"]
    assert meetings and all("Geneva" not in d and "Coordination Committee," not in d for d in meetings)
    assert any("Comité de coordination, Genève" in d for d in meetings), meetings[:3]


def test_typography_leaves_markdown_escapes_and_addresses_alone():
    """User text escaped for Markdown ("\\!", "\\-26") and an address's query ("?lang=fr") are not
    French punctuation: no space goes in."""
    assert fmt.typography("Oui\\! \\-26 [lien](./reports?lang=fr&as_of=2018-09-05)", "fr") == \
        "Oui\\! \\-26 [lien](./reports?lang=fr&as_of=2018-09-05)"
