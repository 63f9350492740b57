"""The progress report to a Meeting of States Parties (issue 28; DOMAIN "The progress report"), on the bundled
sample as at 5 September 2018, the last day of the Eighth Meeting of States Parties."""

from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest
from docx import Document

from ccm_analytics import formatting as fmt
from ccm_analytics import i18n
from ccm_analytics.cli import main
from ccm_analytics.data import localized
from ccm_analytics.metrics import compute_metrics
from ccm_analytics.outputs.report import build_report
from ccm_analytics.provenance import ILLUSTRATIVE_DATASETS

from .conftest import SAMPLE

DAY = pd.Timestamp("2018-09-05")
NB = "\u00a0"


def _docx(data: bytes):
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def cut(sample_data):
    return sample_data.as_at(DAY)


@pytest.fixture(scope="module")
def docs(cut):
    out = {}
    for lang in ("en", "fr", "es"):
        with i18n.language(lang):
            data = build_report(localized(cut, lang), DAY, ILLUSTRATIVE_DATASETS, lang=lang)
        out[lang] = (data, _docx(data))
    return out


def _paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _numbered(doc) -> list[str]:
    """The numbered paragraphs' texts (Word numbers them: the number is not in the text)."""
    return [p.text for p in doc.paragraphs if p.style.name == "CCM Numbered Paragraph"]


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _num_id(p_pr) -> int | None:
    """The list a paragraph's or a style's properties put it on (``w:numPr/w:numId``), None when they say none."""
    if p_pr is None or p_pr.find(f"{W}numPr/{W}numId") is None:
        return None
    return int(p_pr.find(f"{W}numPr/{W}numId").get(f"{W}val"))


def _level(doc, num_id: int):
    """Level 0 of the list ``num_id``: its ``w:lvl`` element in the numbering part."""
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.findall(f"{W}num") if int(n.get(f"{W}numId")) == num_id)
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(a for a in numbering.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id)
    return abstract.find(f"{W}lvl[@{W}ilvl='0']")


def _annex(doc, title_start: str) -> list[list[str]]:
    """The rows (header first) of the annex table whose Heading 2 starts with ``title_start``."""
    body = list(doc.element.body.iterchildren())
    for i, el in enumerate(body):
        if el.tag.endswith("}p") and "".join(el.itertext()).startswith(title_start):
            table = next(e for e in body[i + 1:] if e.tag.endswith("}tbl"))
            return [[c.text for c in row.cells] for row in
                    next(t for t in doc.tables if t._tbl is table).rows]
    raise AssertionError(f"no annex {title_start!r}")


def test_the_cover_names_the_plan_in_force_the_meeting_the_symbol_and_the_day(docs):
    text = _paragraphs(docs["en"][1])
    # the Dubrovnik Action Plan (2015-2020) is in force on D; the 8MSP (3-5 September 2018) is under way on D
    assert text[:4] == ["Progress report: monitoring progress in implementing the Dubrovnik Action Plan (2015–2020)",
                        "Eighth Meeting of States Parties (8MSP)", "Symbol: [to be assigned]",
                        "As at 5 September 2018"]
    assert docs["en"][1].paragraphs[0].style.name == "Title"
    props = docs["en"][1].core_properties
    # the file's own dates are the day it was drafted, not python-docx's template's (23 December 2013)
    assert props.created.year >= 2024 and props.modified == props.created and props.comments == ""


def test_every_figure_in_the_sections_is_the_metrics_of_that_day(docs, cut):
    m = compute_metrics(cut, DAY)
    text = "\n".join(_numbered(docs["en"][1]))
    u, s3, s4, annual = (m["universalization"], m["stockpiles"], m["clearance"], m["reporting"]["annual"])
    # worked by hand on the sample (DOMAIN §4): 104 States Parties, 16 signatories, 32 of 39 destroyed
    # (7 still to destroy), 8 of 20 cleared (12 still to clear), 50 of 100 annual reports for 2017 on time
    assert (u["states_parties"], u["signatories"]) == (104, 16)
    assert (s3["stockpiled"], s3["destroyed"], s3["still_to_destroy"]) == (39, 32, 7)
    assert (s4["contaminated"], s4["completed"], s4["still_to_clear"]) == (20, 8, 12)
    assert annual["compliance_rate"] == 0.5
    assert "As at 5 September 2018: the Convention has 104 States Parties (26 to go to the target of 130 by 2020) and 16 signatories " \
           "still to ratify." in text
    assert "Of the 39 States Parties that have held stockpiles of cluster munitions, 32 have completed their " \
           "destruction. Together they have destroyed 165.9 million submunitions." in text
    assert "7 still to destroy: Botswana, Bulgaria, Guinea-Bissau, Peru, Slovakia, South Africa and Switzerland; " \
           "no State overdue." in text
    assert "Of the 20 States Parties with areas contaminated by cluster munition remnants, 8 have completed " \
           "clearance." in text
    assert "12 still to clear: " in text
    assert f"{fmt.pct(annual['submission_rate'])} have been submitted and 50.0% were on time" in text
    i = m["reporting"]["initial"]
    assert f"{i['on_time'] + i['late']} of the {i['due']} due have been received ({i['on_time']} on time); " \
           f"{i['overdue']} overdue." in text
    owing = m["reporting"]["overdue_by_state"]
    assert f"{len(owing)} States Parties owe {len(m['reporting']['overdue'])} reports: Annex I lists them." in text


def test_paragraphs_are_numbered_by_word_continuously_across_sections_and_headings_are_word_styles(docs):
    doc = docs["en"][1]
    paragraphs = doc.paragraphs
    texts = [p.text for p in paragraphs]
    body = paragraphs[texts.index("Universalization"):texts.index("Annexes")]
    numbered = [p for p in body if p.style.name == "CCM Numbered Paragraph"]
    # worked from the sections on the sample: I. 3 (the States Parties on D; the counts when the 7MSP closed;
    # the 2 that joined since),
    # II. 3 and III. 3 (completed; still to do with the next deadline; no request pending), IV. 3 (initial
    # reports; annual reports; the States that owe them), V. 1 (the budget): 13 paragraphs
    assert len(numbered) == 13
    # the number is Word's: the style puts every one on one list, a decimal "1." hanging in 1 cm, never restarted
    style_list = _num_id(doc.styles["CCM Numbered Paragraph"].element.pPr)
    level = _level(doc, style_list)
    assert level.find(f"{W}numFmt").get(f"{W}val") == "decimal"
    assert level.find(f"{W}lvlText").get(f"{W}val") == "%1."
    assert level.find(f"{W}start").get(f"{W}val") == "1"
    assert level.find(f"{W}pPr/{W}ind").get(f"{W}hanging") == "567"
    assert all(_num_id(p._p.pPr) is None for p in numbered)  # no paragraph of its own list: no restart
    # every other paragraph of the body is a heading or an italic note, neither on that list
    assert {p.style.name for p in body} == {"CCM Numbered Paragraph", "Heading 1", "Normal"}
    assert all(_num_id(p._p.pPr) != style_list for p in body if p.style.name != "CCM Numbered Paragraph")
    # no text starts with a typed number any more, anywhere
    assert not [p.text for p in doc.paragraphs if re.match(r"^([0-9]+|[IVX]+)\.\s", p.text)]
    h1 = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in h1] == ["Universalization", "Stockpile destruction (Article 3)",
                                    "Clearance and destruction of cluster munition remnants (Article 4)",
                                    "Transparency measures (Article 7)", "Implementation Support Unit", "Annexes"]
    # the five sections on one list of upper Roman numerals (I. to V.); "Annexes" on no list (numId 0)
    romans = {_num_id(p._p.pPr) for p in h1[:5]}
    assert len(romans) == 1 and romans != {style_list}
    level = _level(doc, romans.pop())
    assert (level.find(f"{W}numFmt").get(f"{W}val"), level.find(f"{W}lvlText").get(f"{W}val")) == ("upperRoman", "%1.")
    assert _num_id(h1[5]._p.pPr) == 0
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [t.split(".")[0] for t in h2] == ["Annex I", "Annex II", "Annex III", "Annex IV", "Annex V"]
    # the annexes' paragraphs are not numbered
    annexes = paragraphs[texts.index("Annexes"):]
    assert not [p for p in annexes if p.style.name == "CCM Numbered Paragraph" or _num_id(p._p.pPr)]


def test_annex_one_gives_the_article_7_status_of_every_state_that_owes_reports(docs, cut):
    m = compute_metrics(cut, DAY)
    rows = _annex(docs["en"][1], "Annex I.")
    year = m["reporting"]["annual"]["year"]  # 2017: the annual reports due on 30 April 2018
    assert rows[0] == ["State", "Initial report", f"Annual report for {year}", "Reports overdue"]
    # Every State Party whose initial report has fallen due or is still to come, once each.
    owed = {r["iso3"] for r in m["reporting"]["overdue"]}
    named = [r[0] for r in rows[1:]]
    assert len(named) == len(set(named)) and len(named) >= len(owed)
    # Each State's overdue count is its number of rows in the JSON's overdue list.
    by_state = {}
    for r in m["reporting"]["overdue"]:
        by_state[r["state"]] = by_state.get(r["state"], 0) + 1
    for row in rows[1:]:
        assert row[3] == f"{by_state.get(row[0], 0):,}", row
    # Albania: initial report due 28 January 2011 and not received by D: "Overdue".
    albania = next(r for r in rows[1:] if r[0] == "Albania")
    assert albania[1] == "Overdue"
    # Benin: in force 1 January 2018, initial report due 30 June 2018 (+180 days) and not received by D; it owes
    # no annual report for 2017 (its initial report was not due by 31 December 2017): "–", not a blank or "nan"
    assert next(r for r in rows[1:] if r[0] == "Benin") == ["Benin", "Overdue", "–", "1"]
    assert sum(int(r[3].replace(",", "")) for r in rows[1:]) == len(m["reporting"]["overdue"])


def test_annex_two_lists_the_obligations_still_to_do_with_their_deadlines_in_force(docs, cut):
    m = compute_metrics(cut, DAY)
    rows = _annex(docs["en"][1], "Annex II.")
    by_article = {a: sorted(r[0] for r in rows[1:] if r[1] == str(a)) for a in (3, 4)}
    assert len(by_article[3]) == m["stockpiles"]["still_to_destroy"] == 7
    assert len(by_article[4]) == m["clearance"]["still_to_clear"] == 12
    assert by_article[3] == ["Botswana", "Bulgaria", "Guinea-Bissau", "Peru", "Slovakia", "South Africa", "Switzerland"]
    in_force = {(d["state"], d["article"]): d["effective_deadline"] for d in m["deadlines"]}
    for r in rows[1:]:
        assert fmt.day(in_force[(r[0], int(r[1]))]) == r[2]
    assert not [r for r in rows[1:] if r[4]]  # no request pending on D (m["pending_extension_requests"] is empty)
    assert m["pending_extension_requests"] == []


def test_annex_three_lists_the_states_that_joined_since_the_last_meeting(docs, cut):
    # the 7MSP closed on 6 September 2017; between then and D two instruments were deposited (the sample's
    # states sheet): Sri Lanka's accession on 1 March 2018 and Namibia's ratification on 31 August 2018
    s = cut.states
    joined = s[(s["ratification_date"] > "2017-09-06") & (s["ratification_date"] <= DAY)]
    assert sorted(joined["state"]) == ["Namibia", "Sri Lanka"]
    rows = _annex(docs["en"][1], "Annex III.")
    assert rows[1:] == [["Sri Lanka", "Accession", "1 Mar 2018"], ["Namibia", "Ratification", "31 Aug 2018"]]
    assert "Since the Seventh Meeting of States Parties (7MSP), which closed on 6 September 2017, 2 States have " \
           "become parties: Sri Lanka and Namibia (Annex III)." in _numbered(docs["en"][1])


def test_the_universalization_section_gives_the_counts_at_the_last_meeting_and_on_d(docs):
    # On D (5 September 2018) 104 States Parties and 16 signatories (the metrics of the day). When the 7MSP
    # closed (6 September 2017), Sri Lanka (acceded, never signed) and Namibia (signed 3 December 2008) had
    # not yet joined: 104 - 2 = 102 States Parties, and 16 + 1 (Namibia) = 17 signatories still to ratify.
    numbered = _numbered(docs["en"][1])
    assert "the Convention has 104 States Parties" in numbered[0] and "16 signatories still to ratify" in numbered[0]
    assert numbered[1] == ("When the Seventh Meeting of States Parties (7MSP) closed on 6 September 2017, the Convention "
                           "had 102 States Parties and 17 signatories still to ratify.")


def test_the_budget_annexes_say_they_are_illustrative_on_the_sample(docs, cut):
    m = compute_metrics(cut, DAY)["budget"]
    rows = _annex(docs["en"][1], "Annex IV.")
    assert rows[-1] == ["Total", "CHF 465,440", "CHF 302,494", "65.0%"]
    assert (m["budget"], round(m["spent"])) == (465440, 302494)
    assert _annex(docs["en"][1], "Annex V.")[-1] == ["Total", fmt.chf(m["received"])]
    text = _paragraphs(docs["en"][1])
    notes = [i for i, t in enumerate(text) if t == "Illustrative: sample figures, not real records."]
    assert len(notes) == 3  # under section V and under Annexes IV and V
    assert text[4].startswith("Illustrative data: ")


@pytest.mark.parametrize("shown,labelled", [
    ((), set()),
    (("contributions",), {"V. Implementation Support Unit", "Annex V."}),
    (("spend",), {"V. Implementation Support Unit", "Annex IV."}),
    (("budget", "spend", "contributions"), {"V. Implementation Support Unit", "Annex IV.", "Annex V."}),
    (("reports",), {"IV. Transparency measures"}),
])
def test_the_illustrative_label_is_exactly_under_what_rests_on_illustrative_data(cut, shown, labelled):
    # Section V says budget, spend and contributions; Annex IV lists budget and spend; Annex V contributions;
    # section IV rests on the report submission dates
    doc = _docx(build_report(cut, DAY, shown, lang="en"))
    headings = {"Universalization": "I. Universalization", "Transparency measures (Article 7)":
                "IV. Transparency measures", "Implementation Support Unit": "V. Implementation Support Unit"}
    under, found = None, set()
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading"):
            under = headings.get(p.text, p.text.split(".")[0] + ".")  # "Annex IV. Budget of ..." -> "Annex IV."
        elif p.text.startswith("Illustrative: "):
            found.add(under)
    assert found == labelled
    assert (doc.paragraphs[4].text.startswith("Illustrative data: ")) == bool(shown)


def test_extension_requests_pending_before_the_meeting_are_in_the_sections_and_annex_two(sample_data):
    # the sample's extensions sheet: Bulgaria asked on 30 April 2019 to move its Article 3 deadline (1 October
    # 2019) to 1 April 2021, Germany and the Lao PDR on 15 January and 26 February 2019 their Article 4
    # deadlines (1 August 2020) to 1 August 2025; the 9MSP (2-4 September 2019) granted all three
    day = pd.Timestamp("2019-08-01")
    doc = _docx(build_report(sample_data.as_at(day), day, (), lang="en"))
    text = _numbered(doc)
    assert "Extension requests before the Ninth Meeting of States Parties (9MSP): Bulgaria (Article 3, to 1 April " \
           "2021)." in text
    assert "Extension requests before the Ninth Meeting of States Parties (9MSP): Germany (Article 4, to 1 August " \
           "2025); Lao People's Democratic Republic (Article 4, to 1 August 2025)." in text
    rows = _annex(doc, "Annex II.")
    pending = {r[0]: (r[1], r[2], r[4]) for r in rows[1:] if r[4]}
    assert pending == {"Bulgaria": ("3", "1 Oct 2019", "requested: 1 Apr 2021 (Ninth Meeting of States Parties (9MSP))"),
                       "Germany": ("4", "1 Aug 2020", "requested: 1 Aug 2025 (Ninth Meeting of States Parties (9MSP))"),
                       "Lao People's Democratic Republic": ("4", "1 Aug 2020", "requested: 1 Aug 2025 (Ninth Meeting "
                                                                                "of States Parties (9MSP))")}
    assert _paragraphs(doc)[1] == "Ninth Meeting of States Parties (9MSP)"


def test_the_spanish_report_writes_numbers_and_dates_as_spanish_does(docs):
    doc = docs["es"][1]
    text = "\n".join(_paragraphs(doc))
    assert "Al 5 de septiembre de 2018" in text
    assert "Submuniciones destruidas en total: 165,9 millones." in text
    # Annex IV's total (CHF 465,440 budgeted, 302,494 spent, 65.0%): the point groups thousands, the comma decimals
    assert _annex(doc, "Anexo IV.")[-1] == ["Total", f"465.440{NB}CHF", f"302.494{NB}CHF", f"65,0{NB}%"]
    assert "Estados Partes que" not in text  # "Estados partes", as the Spanish catalogs write it outside a meeting's name


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_annex_tables_fit_the_page_and_repeat_their_header_row(docs, lang):
    doc = docs[lang][1]
    sec = doc.sections[-1]
    text_width = sec.page_width - sec.left_margin - sec.right_margin  # A4 less 2 x 2.5 cm: 16 cm
    assert abs(text_width - 16 * 360_000) < 3_600  # within 0.01 cm (python-docx rounds Cm to whole twips)
    for table in doc.tables:
        widths = [c.width for c in table.columns]
        assert sum(widths) <= text_width and min(widths) >= 360_000  # no column under 1 cm, none off the page
        header, *rows = table.rows
        assert header._tr.trPr.find(f"{W}tblHeader") is not None
        assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in rows)


_LONG = re.compile(r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|"
                   r"December) (\d{4})\b")
_SHORT = re.compile(r"\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b")


def test_nothing_is_dated_after_the_day_but_deadlines_in_force(docs, cut):
    m = compute_metrics(cut, DAY)
    deadlines = {pd.Timestamp(d["effective_deadline"]) for d in m["deadlines"] if d["effective_deadline"]}
    doc = docs["en"][1]
    texts = _paragraphs(doc) + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    after = set()
    for t in texts:
        for pattern, fmt_ in ((_LONG, "%d %B %Y"), (_SHORT, "%d %b %Y")):
            for g in pattern.findall(t):
                day = pd.Timestamp(pd.to_datetime(" ".join(g), format=fmt_))
                if day > DAY:
                    after.add(day)
    assert after and after <= deadlines  # e.g. Guinea-Bissau's 1 May 2019, the next deadline in force


@pytest.mark.parametrize("lang,heading,tag", [("fr", "Universalisation", "fr-FR"),
                                              ("es", "Universalización", "es-ES")])
def test_french_and_spanish_reports_are_written_and_tagged_in_their_language(docs, lang, heading, tag):
    data, doc = docs[lang]
    english = docs["en"][1]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == heading
    same = set(headings) & {p.text for p in english.paragraphs if p.style.name.startswith("Heading")}
    assert same <= {"Annexes"}  # the one heading French writes as English does
    assert not set(_numbered(doc)) & set(_numbered(english))  # every sentence from the catalogs
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert f'w:lang w:val="{tag}"' in styles and "en-US" not in styles


def test_the_french_report_writes_numbers_and_dates_as_french_does(docs):
    text = "\n".join(_paragraphs(docs["fr"][1]))
    assert "Au 5 septembre 2018" in text
    assert f"Sous-munitions détruites au total{NB}: 165,9 millions." in text
    assert f"Rapport intérimaire{NB}: suivi des progrès accomplis dans la mise en œuvre du Plan d'action de " \
           "Dubrovnik (2015-2020)" in text
    assert " :" not in text and " ;" not in text  # the no-break space before : and ;


def test_a_house_template_gives_its_styles_and_loses_its_text(cut, tmp_path):
    from docx.shared import Pt

    house = Document()
    house.styles["Heading 1"].font.size = Pt(23)
    house.add_paragraph("Template body text to drop")
    buf = io.BytesIO()
    house.save(buf)
    doc = _docx(build_report(cut, DAY, (), buf.getvalue(), lang="en"))
    assert doc.styles["Heading 1"].font.size == Pt(23)
    assert "Template body text to drop" not in _paragraphs(doc)
    assert _paragraphs(doc)[0].startswith("Progress report: ")
    assert len(doc.element.body.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")) == 1


def house_template(numbered: bool = True, numbering_part: bool = True) -> bytes:
    """A house template made as an editor would: a "CCM Numbered Paragraph" style of its own (13 pt), numbered
    "(a)", "(b)", ... when ``numbered``; without the numbering part Word leaves out of a document with no list
    when not ``numbering_part``."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    house = Document()
    style = house.styles.add_style("CCM Numbered Paragraph", WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(13)
    if numbered:
        numbering = house.part.numbering_part.element
        numbering.insert(0, parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
        style.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 77
    buf = io.BytesIO()
    house.save(buf)
    if numbering_part:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/numbering.xml":
                continue
            if item.filename in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = re.sub(rb"<(Relationship|Override) [^>]*numbering[^>]*/>", b"", data)
            dst.writestr(item, data)
    return out.getvalue()


def test_a_house_template_without_heading_styles_gets_headings_a_table_of_contents_lists(cut):
    house = Document()
    for name in ("Title", "Heading 1", "Heading 2"):  # as Word saves a document that never used them
        house.styles.element.remove(house.styles[name].element)
    buf = io.BytesIO()
    house.save(buf)
    doc = _docx(build_report(cut, DAY, (), buf.getvalue(), lang="en"))
    for name, level in (("Heading 1", "0"), ("Heading 2", "1")):
        p_pr = doc.styles[name].element.pPr
        assert p_pr.find(f"{W}outlineLvl").get(f"{W}val") == level and p_pr.find(f"{W}keepNext") is not None
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][0] == "Universalization"


def test_a_house_template_that_numbers_the_paragraph_style_keeps_its_numbering(cut):
    doc = _docx(build_report(cut, DAY, (), house_template(), lang="en"))
    style = doc.styles["CCM Numbered Paragraph"]
    assert len(_numbered(doc)) == 13 and style.font.size.pt == 13
    assert _num_id(style.element.pPr) == 77  # the template's "(a)", "(b)", ... list, not one of the report's
    assert _level(doc, 77).find(f"{W}lvlText").get(f"{W}val") == "(%1)"


def test_a_report_saved_as_the_house_template_numbers_the_next_one_with_its_own_list(docs, cut):
    doc = _docx(build_report(cut, DAY, (), docs["en"][0], lang="en"))
    style_list = _num_id(doc.styles["CCM Numbered Paragraph"].element.pPr)
    level = _level(doc, style_list)
    assert (level.find(f"{W}numFmt").get(f"{W}val"), level.find(f"{W}lvlText").get(f"{W}val")) == ("decimal", "%1.")
    assert len(_numbered(doc)) == 13 and style_list == _num_id(docs["en"][1].styles["CCM Numbered Paragraph"]
                                                               .element.pPr)  # the template's list, kept
    nsids = [a.find(f"{W}nsid").get(f"{W}val") for a in doc.part.numbering_part.element.findall(f"{W}abstractNum")]
    assert len(nsids) == len(set(nsids))  # each list its own identity


def test_a_house_template_whose_paragraph_style_numbers_nothing_gets_the_decimal_list(cut):
    for template in (house_template(numbered=False), house_template(numbered=False, numbering_part=False)):
        doc = _docx(build_report(cut, DAY, (), template, lang="en"))
        style = doc.styles["CCM Numbered Paragraph"]
        assert len(_numbered(doc)) == 13 and style.font.size.pt == 13  # the template's style, numbered
        level = _level(doc, _num_id(style.element.pPr))
        assert (level.find(f"{W}numFmt").get(f"{W}val"), level.find(f"{W}lvlText").get(f"{W}val")) == ("decimal", "%1.")
    assert "word/numbering.xml" not in zipfile.ZipFile(io.BytesIO(template)).namelist()


def test_the_cli_writes_the_report_and_refuses_a_bad_out(tmp_path, capsys):
    out = tmp_path / "report.docx"
    assert main(["report", "--data", str(SAMPLE), "--as-of", "2018-09-05", "--lang", "es", "--out", str(out)]) == 0
    doc = _docx(out.read_bytes())
    assert _paragraphs(doc)[0].startswith("Informe sobre los progresos: ")
    assert "Octava Reunión de los Estados Partes" in _paragraphs(doc)[1]
    bad = tmp_path / "report.txt"
    assert main(["report", "--data", str(SAMPLE), "--as-of", "2018-09-05", "--out", str(bad)]) == 2
    assert not bad.exists()
    assert ".docx" in capsys.readouterr().err


def test_the_cli_refuses_a_template_that_is_not_a_word_file(tmp_path, capsys):
    fake = tmp_path / "house.docx"
    fake.write_bytes(b"not a zip at all")
    out = tmp_path / "report.docx"
    assert main(["report", "--data", str(SAMPLE), "--as-of", "2018-09-05", "--template", str(fake),
                 "--out", str(out)]) == 2
    assert not out.exists()
    assert "house.docx" in capsys.readouterr().err


@pytest.mark.usefixtures("navigation_not_folder")
def test_the_brief_page_offers_the_report_and_the_data_page_its_template(read_only_store):
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from .conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["as_of"] = dt.date(2018, 9, 5).isoformat()
    at.switch_page("pages/brief.py").run()
    assert not at.exception and not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Draft the progress report (.docx)" in labels
    at.switch_page("pages/data.py").run()
    assert not at.exception and not at.error
    assert "Progress report template" in [h.value for h in at.header]
