"""Reminder letters (.docx) to the Permanent Missions of States with overdue Article 7 reports.

One note verbale per State, in English, French or Spanish, addressed to the Permanent Mission
(Permanent Observer Mission for the Holy See and the State of Palestine) of the named State in
Geneva, in the third person, with a reference number, listing each outstanding report with its
due date as at D, recalling the Article 7 obligation and giving the ISU's contact details
(:class:`LetterSettings`, set once and kept in the store).
python-docx builds the default letter; an uploaded Word template with placeholders (see
:data:`PLACEHOLDERS`) is filled with docxtpl instead. Every sentence of the letter is in
:data:`TEXTS` (English), translated through the gettext catalogs (area ``outputs``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import asdict, dataclass
import string
import json

import pandas as pd

from .. import countries, i18n
from .. import formatting as fmt
from ..errors import UsageError
from ..i18n import N_, _
from . import sandbox
from .doclang import tag_docx
from ..reading.guard import check_office

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}

# Every sentence of the letter, in English: the msgids of the gettext catalogs (area "outputs"), translated in the
# letter's language by :func:`texts`. A note verbale speaks of both sides in the third person. Placeholders:
# {of_state} "of" and the State's name ("of the Netherlands", "de la Bulgarie", "del Perú"); {mission_short}
# "Permanent Mission" or "Permanent Observer Mission" (VAT, PSE); {mission_of} that with {of_state}; {mission} that
# with "to the United Nations Office ... in Geneva"; {date} D written out; {reference}; {year} a report's year.
TEXTS: dict[str, str] = {
    "sender": N_("Implementation Support Unit\nConvention on Cluster Munitions\nGeneva"),
    "reference": N_("Ref.: {reference}"),
    "place_date": N_("Geneva, {date}"),
    "mission_short": N_("Permanent Mission"),
    "observer_short": N_("Permanent Observer Mission"),
    "mission_of": N_("{mission_short} {of_state}"),
    "mission": N_("{mission_of} to the United Nations Office and other international organizations in Geneva"),
    "subject": N_("Article 7 transparency reports"),
    "opening": N_("The Implementation Support Unit (ISU) of the Convention on Cluster Munitions presents its "
                  "compliments to the {mission} and has the honour to recall the transparency obligations of States "
                  "Parties under Article 7 of the Convention."),
    "obligation": N_("Under Article 7, each State Party submits to the Secretary-General of the United Nations an "
                     "initial report no later than 180 days after the Convention enters into force for it, and "
                     "thereafter, by 30 April of each year, an annual report covering the previous calendar year."),
    "lead": N_("The ISU wishes to point out that, according to its records, as at {date}, the following reports "
               "{of_state} had not been received:"),
    "col_report": N_("Report"), "col_due": N_("Due date"), "col_days": N_("Days overdue"),
    "initial": N_("Initial report"), "annual": N_("Annual report for {year}"),
    "illustrative": N_("Example only: the submission dates behind this note are the illustrative sample data of "
                       "CCM Analytics, not the records of the ISU. It is not to be sent."),
    "request": N_("The ISU would be grateful if the {mission_short} could bring this matter to the attention of the "
                  "competent authorities {of_state}, so that these reports may be submitted at their earliest "
                  "convenience. The ISU stands ready to assist in their preparation."),
    "contact": N_("For any further information, the {mission_short} may wish to contact the ISU, whose details "
                  "are given below."),
    "contact_geneva": N_("For any further information, the {mission_short} may wish to contact the ISU in Geneva."),
    "closing": N_("The Implementation Support Unit of the Convention on Cluster Munitions avails itself of this "
                  "opportunity to renew to the {mission_of} the assurances of its highest consideration."),
    "email": N_("E-mail: {email}"),
    "telephone": N_("Telephone: {telephone}"),
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
    "reference": "the letter's reference number (e.g. 'CCM/ISU/2018/027'; see DOMAIN.md §7)",
    "mission": "the addressee: 'Permanent Mission of Bulgaria to the United Nations Office and other international "
               "organizations in Geneva' (a Permanent Observer Mission for the Holy See and the State of Palestine)",
    "mission_of": "the same, short: 'Permanent Mission of Bulgaria', 'Mission permanente de la Bulgarie'",
    "contact": "the ISU contact person named for the letters (may be empty)",
    "contact_block": "the ISU's contact details, one line each: the person, the e-mail, the telephone, the address "
                     "(as set once for all letters; see DOMAIN.md §7)",
    "illustrative": "the line saying the dates are illustrative sample data (empty for real data)",
    "reports": "the outstanding reports, a list: {% for r in reports %}{{ r.label }} {{ r.due_date }} "
               "{{ r.days_overdue }}{% endfor %} (in a table row: {%tr for r in reports %} ... {%tr endfor %})",
    "reports_text": "the same as one line per report ('Initial report, due 28 January 2011')",
    "text": "every sentence of the default letter in the letter's language: {{ text.opening }}, "
            "{{ text.obligation }}, {{ text.lead }}, {{ text.request }}, {{ text.contact }}, {{ text.closing }}, "
            "{{ text.subject }}, {{ text.mission }}, {{ text.reference }}, {{ text.place_date }}",
}

DEFAULT_REFERENCE = "CCM/ISU/{year}/{number:03d}"
SETTINGS_ASSET = "letter_settings"


@dataclass(frozen=True)
class LetterSettings:
    """What every letter says of the ISU, set once (Data page or ``letters-settings``) and kept in the store.

    Attributes:
        email, telephone, address: The ISU's contact details (the address may hold several lines).
        reference: The pattern of the reference numbers: ``{year}`` (D's year) and ``{number}`` (the letter's place
            in the batch, from the first number chosen), e.g. the default ``CCM/ISU/{year}/{number:03d}``.
    """

    email: str = ""
    telephone: str = ""
    address: str = ""
    reference: str = DEFAULT_REFERENCE

    def contact_lines(self, person: str = "") -> list[str]:
        """The contact block in the run's language: the person, the e-mail, the telephone, the address lines."""
        lines = [person.strip()] if person.strip() else []
        email, telephone = TEXTS["email"], TEXTS["telephone"]  # (msgids marked in TEXTS)
        if self.email.strip():
            lines.append(_(email).format(email=self.email.strip()))
        if self.telephone.strip():
            lines.append(_(telephone).format(telephone=self.telephone.strip()))
        lines += [line.strip() for line in self.address.splitlines() if line.strip()]
        return lines

    @property
    def has_contact(self) -> bool:
        return bool(self.email.strip() or self.telephone.strip() or self.address.strip())


def check_reference(pattern: str, year: int = 2018, number: int = 1) -> str:
    """The reference a pattern gives (``{year}``, ``{number}`` and Python format specs such as ``{number:03d}``).

    Raises:
        UsageError: The pattern names another field or cannot be filled.
    """

    pattern = (pattern or "").strip() or DEFAULT_REFERENCE
    try:
        fields = {f for _t, f, _s, _c in string.Formatter().parse(pattern) if f is not None}
        if fields - {"year", "number"} or "number" not in fields:
            raise ValueError(", ".join(sorted(fields - {"year", "number"})) or "no {number}")
        return pattern.format(year=year, number=number)
    except (ValueError, KeyError, IndexError) as e:
        raise UsageError(_("The reference pattern '{pattern}' cannot be used ({error}): it may hold {{year}} and must "
                           "hold {{number}}, e.g. {example}.").format(pattern=pattern, error=e,
                                                                     example=DEFAULT_REFERENCE)) from None


def load_settings(store) -> LetterSettings:
    """The letter settings kept in ``store`` (the defaults when none are kept or there is no store)."""

    kept = store.asset(SETTINGS_ASSET) if store is not None else None
    if kept is None:
        return LetterSettings()
    values = json.loads(kept[0].decode("utf-8"))
    return LetterSettings(**{k: str(v) for k, v in values.items() if k in LetterSettings.__dataclass_fields__})


def save_settings(store, settings: LetterSettings, user: str = "") -> None:
    """Keep the letter settings in ``store`` (after checking the reference pattern)."""

    check_reference(settings.reference)
    store.set_asset(SETTINGS_ASSET, json.dumps(asdict(settings), ensure_ascii=False).encode("utf-8"),
                    "letter-settings.json", user)


@dataclass(frozen=True)
class Letter:
    """One State's letter: its ISO3 code, the file name and the .docx bytes."""

    iso3: str
    file_name: str
    data: bytes


def letter_context(row, as_of, lang: str = "en", contact: str | None = None, *, reference: str = "",
                   settings: LetterSettings | None = None, illustrative: bool = False) -> dict:
    """Everything a letter says to one State's mission, from a row of the overdue-by-State table.

    ``row`` needs ``iso3`` and ``outstanding`` (a list of dicts with ``report_type``, ``year`` and ``due_date``).
    ``contact`` is the person named (may be empty); ``settings`` the ISU's contact details; ``illustrative`` says
    the submission dates are the sample's, and the letter then says it is an example.
    """
    if lang not in LANGUAGES:
        raise UsageError(_("Letters are written in {languages}; '{lang}' is not one of them.").format(
            languages=", ".join(LANGUAGES), lang=lang))
    settings = settings or LetterSettings()
    as_of = pd.Timestamp(as_of)
    with i18n.language(lang):
        t = texts(lang)
        person = (contact or "").strip()
        state = countries.name_in(row.iso3, lang)
        of_state = countries.of_state(row.iso3, lang)
        day = fmt.long_day(as_of)
        reports = []
        for item in row.outstanding:
            label = t["initial"] if item["report_type"] == "initial" else t["annual"].format(year=item["year"])
            due = pd.Timestamp(item["due_date"])
            reports.append({"label": label, "due_date": fmt.long_day(due), "due_iso": due.date().isoformat(),
                            "days_overdue": fmt.number((as_of - due).days)})
        mission_short = t["observer_short"] if row.iso3 in countries.OBSERVER_STATES else t["mission_short"]
        mission_of = t["mission_of"].format(mission_short=mission_short, of_state=of_state)
        mission = t["mission"].format(mission_of=mission_of)
        fill = {"state": state, "date": day, "of_state": of_state, "mission_short": mission_short,
                "mission_of": mission_of, "mission": mission, "reference": reference}
        text = {k: v.format(**fill) for k, v in t.items() if k not in ("annual", "email", "telephone")}
        contact_block = settings.contact_lines(person)
        if not settings.has_contact:
            text["contact"] = text["contact_geneva"]
        reports_text = "\n".join(_("{report}, due date {date}").format(report=r["label"], date=r["due_date"])
                                 for r in reports)
    return {"state": state, "iso3": row.iso3, "date": day, "as_of": as_of.date().isoformat(), "lang": lang,
            "contact": person, "contact_block": "\n".join(contact_block), "contact_lines": contact_block,
            "reference": reference, "mission": mission, "mission_of": mission_of,
            "illustrative": text["illustrative"] if illustrative else "", "reports": reports, "text": text,
            "reports_text": reports_text}


def default_letter(ctx: dict) -> bytes:
    """The ISU's note verbale to a Permanent Mission, built with python-docx.

    Its order is the usual one of a note verbale: the sender, the reference, the body in the third person (the
    compliments, the obligation, the reports outstanding, the request, the contact), the closing formula, the place
    and date, the addressee at the foot; the ISU's contact details in the page footer. Every run is tagged with
    the letter's language (:mod:`.doclang`).
    """
    # heavy (python-docx): only when the default letter is written
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

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
    if ctx["reference"]:
        doc.add_paragraph(t["reference"])
    subj = doc.add_paragraph()
    subj.add_run(t["subject"]).bold = True
    if ctx["illustrative"]:
        warn = doc.add_paragraph().add_run(ctx["illustrative"])
        warn.bold = True
        warn.font.color.rgb = RGBColor(0x9A, 0x3D, 0x00)
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
    doc.add_paragraph(t["place_date"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    doc.add_paragraph(t["mission"])
    if ctx["contact_lines"]:  # the ISU's contact details at the foot of every page, as on a letterhead
        block = sec.footer.paragraphs[0]
        block.paragraph_format.space_after = Pt(0)
        run = block.add_run("  ·  ".join(ctx["contact_lines"]))
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x3E, 0x4C, 0x59)
    doc.core_properties.title = f"{t['subject']}: {ctx['state']}"
    doc.core_properties.author = i18n.in_language(ctx["lang"], "Implementation Support Unit, Convention on Cluster "
                                                  "Munitions")
    doc.core_properties.identifier = ctx["reference"]
    tag_docx(doc, ctx["lang"])
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
    # heavy (docxtpl): only when a letter is filled
    from docxtpl import DocxTemplate

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
    # heavy (docxtpl): only when a letter is filled
    from docxtpl import DocxTemplate

    doc = DocxTemplate(io.BytesIO(template))
    try:
        doc.render(ctx, jinja_env=sandbox.sandbox(PLACEHOLDERS), autoescape=True)
    except sandbox.TemplateRefused as e:
        raise UsageError(_("{place}: {problem}").format(place=name, problem=e)) from None
    except Exception as e:  # jinja2 errors at render time (an unknown filter, a loop over a string)
        raise UsageError(_("The letter template could not be filled ({error}).").format(
            error=f"{type(e).__name__}: {e}")) from None
    tag_docx(doc.docx, ctx["lang"])  # the letterhead's own text too, in the letter's language
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def build_letters(by_state: pd.DataFrame, as_of, lang: str = "en", template: bytes | None = None,
                  contact: str | None = None, template_name: str = DEFAULT_TEMPLATE_NAME, *,
                  settings: LetterSettings | None = None, first_number: int = 1,
                  illustrative: bool = False) -> list[Letter]:
    """One letter per row of the overdue-by-State table (``reporting.overdue_by_state``).

    The letters are numbered in their order: the n-th gets ``settings.reference`` filled with D's year and
    ``first_number + n - 1`` (default ``CCM/ISU/2018/001``, ``.../002``...). ``illustrative``: the submission
    dates are the bundled sample's, and each letter says it is an example (DOMAIN.md §7). A ``template`` (a .docx
    letterhead named ``template_name``) is checked once (:func:`check_template`), then filled for each State."""
    settings = settings or LetterSettings()
    day = pd.Timestamp(as_of).date().isoformat()
    year = pd.Timestamp(as_of).year
    with i18n.language(lang):
        check_reference(settings.reference)
        if template is not None:
            check_template(template, template_name)
    out = []
    for n, row in enumerate(by_state.itertuples(), start=first_number):
        with i18n.language(lang):  # every word of the letter, errors included, in its language
            ctx = letter_context(row, as_of, lang, contact, reference=settings.reference.format(year=year, number=n),
                                 settings=settings, illustrative=illustrative)
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
