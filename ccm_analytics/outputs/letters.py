"""Reminder letters (.docx) to the Permanent Missions of States with overdue Article 7 reports.

One letter per State, in English, French or Spanish, listing each outstanding report with
its due date as at D, recalling the Article 7 obligation and naming the ISU contact.
python-docx builds the default letter; an uploaded Word template with placeholders (see
:data:`PLACEHOLDERS`) is filled with docxtpl instead. Every sentence of the letter is in
:data:`TEXTS` (English), translated through the gettext catalogs (area ``outputs``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pandas as pd

from .. import countries
from .. import formatting as fmt
from .. import i18n
from ..errors import UsageError
from ..i18n import N_, _
from . import sandbox

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}

# Every sentence of the letter ({state}, {date}, {contact}, {year} are filled in), in English: the msgids
# of the gettext catalogs (area "outputs"), translated in the letter's language by :func:`texts`.
TEXTS: dict[str, str] = {
    "sender": N_("Implementation Support Unit\nConvention on Cluster Munitions\nGeneva"),
    "default_contact": N_("the Implementation Support Unit in Geneva"),
    "place_date": N_("Geneva, {date}"),
    "to": N_("Permanent Mission to the United Nations Office and other international organizations in Geneva"),
    "subject": N_("Article 7 transparency reports"),
    "state_label": N_("State Party"),
    "opening": N_("The Implementation Support Unit (ISU) of the Convention on Cluster Munitions presents its "
                  "compliments to the Permanent Mission and has the honour to recall the transparency "
                  "obligations under Article 7 of the Convention."),
    "obligation": N_("Under Article 7, each State Party submits to the Secretary-General of the United Nations an "
                     "initial report no later than 180 days after the Convention enters into force for it, and "
                     "thereafter, by 30 April of each year, an annual report covering the previous calendar year."),
    "lead": N_("According to the records of the ISU, as at {date}, the following reports of {state} had not been "
               "received:"),
    "col_report": N_("Report"), "col_due": N_("Due date"), "col_days": N_("Days overdue"),
    "initial": N_("Initial report"), "annual": N_("Annual report for {year}"),
    "request": N_("The ISU would be grateful if these reports could be submitted at the earliest convenience, and "
                  "stands ready to assist in their preparation."),
    "contact": N_("For any question, please contact {contact}."),
    "closing": N_("The Implementation Support Unit of the Convention on Cluster Munitions avails itself of this "
                  "opportunity to renew to the Permanent Mission the assurances of its highest consideration."),
}


def texts(lang: str) -> dict[str, str]:
    """Every sentence of the letter in ``lang`` (placeholders not yet filled)."""
    with i18n.language(lang):
        return {k: _(v) for k, v in TEXTS.items()}


# The placeholders an uploaded letterhead template (.docx, Jinja syntax as docxtpl reads it) may use.
PLACEHOLDERS: dict[str, str] = {
    "state": "the State's name in the letter's language (e.g. 'Bulgarie')",
    "iso3": "its ISO3 code (BGR)",
    "date": "the as-of day, written out in the letter's language ('5 septembre 2018')",
    "as_of": "the as-of day as YYYY-MM-DD",
    "lang": "en, fr or es",
    "contact": "the ISU contact named in the letter",
    "reports": "the outstanding reports, a list: {% for r in reports %}{{ r.label }} {{ r.due_date }} "
               "{{ r.days_overdue }}{% endfor %} (in a table row: {%tr for r in reports %} ... {%tr endfor %})",
    "reports_text": "the same as one line per report ('Initial report, due 28 January 2011')",
    "text": "every sentence of the default letter in the letter's language: {{ text.opening }}, "
            "{{ text.obligation }}, {{ text.lead }}, {{ text.request }}, {{ text.contact }}, {{ text.closing }}, "
            "{{ text.subject }}, {{ text.to }}, {{ text.place_date }}",
}


@dataclass(frozen=True)
class Letter:
    """One State's letter: its ISO3 code, the file name and the .docx bytes."""

    iso3: str
    file_name: str
    data: bytes


def long_date(day, lang: str) -> str:
    """A day written out in the language ('5 September 2018', '5 septembre 2018', '5 de septiembre de 2018')."""
    with i18n.language(lang):
        return fmt.long_day(day)


def letter_context(row, as_of, lang: str = "en", contact: str | None = None) -> dict:
    """Everything a letter says about one State, from a row of the overdue-by-State table.

    ``row`` needs ``iso3`` and ``outstanding`` (a list of dicts with ``report_type``,
    ``year`` and ``due_date``).
    """
    if lang not in LANGUAGES:
        raise UsageError(_("Letters are written in {languages}; '{lang}' is not one of them.").format(
            languages=", ".join(LANGUAGES), lang=lang))
    as_of = pd.Timestamp(as_of)
    with i18n.language(lang):
        t = texts(lang)
        contact = (contact or "").strip() or t["default_contact"]
        state = countries.name_in(row.iso3, lang)
        day = fmt.long_day(as_of)
        reports = []
        for item in row.outstanding:
            label = t["initial"] if item["report_type"] == "initial" else t["annual"].format(year=item["year"])
            due = pd.Timestamp(item["due_date"])
            reports.append({"label": label, "due_date": fmt.long_day(due), "due_iso": due.date().isoformat(),
                            "days_overdue": fmt.number((as_of - due).days)})
        fill = {"state": state, "date": day, "contact": contact}
        text = {k: v.format(**fill, year="") if "{year}" not in v else v for k, v in t.items()}
        reports_text = "\n".join(_("{report}, due date {date}").format(report=r["label"], date=r["due_date"])
                                 for r in reports)
    return {"state": state, "iso3": row.iso3, "date": day, "as_of": as_of.date().isoformat(), "lang": lang,
            "contact": contact, "reports": reports, "text": text, "reports_text": reports_text}


def default_letter(ctx: dict) -> bytes:
    """The ISU's usual letter to a Permanent Mission, built with python-docx."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    t = ctx["text"]
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2.5))
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(8)
    sender = doc.add_paragraph()
    sender.add_run(t["sender"]).bold = True
    doc.add_paragraph(t["place_date"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    to = doc.add_paragraph()
    to.add_run(ctx["state"]).bold = True
    to.add_run("\n" + t["to"])
    subj = doc.add_paragraph()
    subj.add_run(t["subject"]).bold = True
    for key in ("opening", "obligation", "lead"):
        p = doc.add_paragraph(t[key])
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, key in zip(table.rows[0].cells, ("col_report", "col_due", "col_days")):
        cell.text = ""
        cell.paragraphs[0].add_run(t[key]).bold = True
    for r in ctx["reports"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = r["label"], r["due_date"], r["days_overdue"]
        cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    for key in ("request", "contact", "closing"):
        p = doc.add_paragraph(t[key])
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.core_properties.title = f"{t['subject']}: {ctx['state']}"
    doc.core_properties.author = i18n.in_language(ctx["lang"], "Implementation Support Unit, Convention on Cluster "
                                                  "Munitions")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


DEFAULT_TEMPLATE_NAME = "letterhead.docx"


def check_template(template: bytes, name: str = DEFAULT_TEMPLATE_NAME) -> list[str]:
    """The placeholders a letterhead template uses.

    The file first passes the Office guard (``guard.check_office``: real unpacked size, no DOCTYPE,
    no external relationship), then its placeholders are parsed in the template sandbox
    (:mod:`ccm_analytics.outputs.sandbox`): only :data:`PLACEHOLDERS`, no code.

    Raises:
        UsageError: It is not a usable .docx, the guard refused it, or it uses something letter
            templates may not use.
    """
    from docxtpl import DocxTemplate

    from ..io.guard import check_office

    check_office(name, template, "docx")
    try:
        used = DocxTemplate(io.BytesIO(template)).get_undeclared_template_variables(
            jinja_env=sandbox.sandbox(PLACEHOLDERS))
    except zipfile.BadZipFile:
        raise UsageError(_("The letter template is not a Word .docx file (it could not be opened).")) from None
    except sandbox.TemplateRefused as e:
        raise UsageError(_("{place}: {problem}").format(place=name, problem=e)) from None
    except Exception as e:  # jinja2's syntax errors and docx's KeyError for a zip without a document
        raise UsageError(_("The letter template could not be read ({error}). Check its placeholders: "
                           "{examples}...").format(error=f"{type(e).__name__}: {e}",
                                                   examples="{{ state }}, {{ date }}, {% for r in reports %}")) from None
    if not used & set(PLACEHOLDERS):
        raise UsageError(_("The letter template uses none of the placeholders ({examples}...), so every letter "
                           "would be the same. See docs/DOMAIN.md §7.").format(
                               examples="{{ state }}, {{ date }}, {{ reports_text }}"))
    return sorted(used)


def _fill(ctx: dict, template: bytes, name: str) -> bytes:
    """One letter from a template already checked: docxtpl, in a fresh sandbox (its limits count per letter)."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(io.BytesIO(template))
    try:
        doc.render(ctx, jinja_env=sandbox.sandbox(PLACEHOLDERS), autoescape=True)
    except sandbox.TemplateRefused as e:
        raise UsageError(_("{place}: {problem}").format(place=name, problem=e)) from None
    except Exception as e:  # jinja2 errors at render time (an unknown filter, a loop over a string)
        raise UsageError(_("The letter template could not be filled ({error}).").format(
            error=f"{type(e).__name__}: {e}")) from None
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def template_letter(ctx: dict, template: bytes, name: str = DEFAULT_TEMPLATE_NAME) -> bytes:
    """The letter written into the ISU's own letterhead template, with docxtpl in the template sandbox."""
    check_template(template, name)
    return _fill(ctx, template, name)


def build_letters(by_state: pd.DataFrame, as_of, lang: str = "en", template: bytes | None = None,
                  contact: str | None = None, template_name: str = DEFAULT_TEMPLATE_NAME) -> list[Letter]:
    """One letter per row of the overdue-by-State table (``reporting.overdue_by_state``).

    A ``template`` (a .docx letterhead named ``template_name``) is checked once (:func:`check_template`),
    then filled for each State."""
    day = pd.Timestamp(as_of).date().isoformat()
    if template is not None:
        with i18n.language(lang):
            check_template(template, template_name)
    out = []
    for row in by_state.itertuples():
        with i18n.language(lang):  # every word of the letter, errors included, in its language
            ctx = letter_context(row, as_of, lang, contact)
            data = _fill(ctx, template, template_name) if template is not None else default_letter(ctx)
        out.append(Letter(row.iso3, f"{row.iso3}-article7-reminder-{day}-{lang}.docx", data))
    return out


def letters_zip(letters: list[Letter]) -> bytes:
    """Several letters in one .zip file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for letter in letters:
            z.writestr(letter.file_name, letter.data)
    return buf.getvalue()
