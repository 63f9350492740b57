"""The progress report to a Meeting of States Parties, drafted from the data as at day D (DOMAIN "The progress report").

The ISU's main paper for each Meeting of States Parties monitors progress in implementing the action
plan in force. Its sections on universalization, stockpile destruction (Article 3), clearance
(Article 4) and transparency measures (Article 7) say in sentences the figures the pages, the deck
and ``metrics`` show on D: they call the same analysis and presentation functions (``views.overview_view``,
``narrative``), never a computation of their own. Tables in annex list the States behind them.

:func:`report_content` gives the words (a frozen :class:`Report`); :func:`build_report` lays them out in
a Word document (python-docx): headings in the styles "Heading 1" and "Heading 2", paragraphs numbered
continuously as UN documents are (1., 2., ...), every run tagged with the report's language.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Cm, Pt, RGBColor

from .. import formatting as fmt
from .. import i18n, narrative
from ..provenance import illustrative_what
from ..analysis import funding as fd
from ..analysis import deadlines as dl
from ..analysis import reporting as rp
from ..analysis import states as sts
from ..data import CcmData
from ..errors import CcmError
from ..i18n import _, ngettext
from ..views import Overview, overview_view
from .doclang import tag_docx
from .words import counted, overdue_words, owed_words, submunitions


class TemplateError(CcmError):
    """The Word template could not be used."""


@dataclass(frozen=True)
class Table:
    """A table in annex: its title, column headings, rows of text, and a note (the illustrative warning)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None
    empty: str = ""


@dataclass(frozen=True)
class Section:
    """A section of the report: a heading and its numbered paragraphs."""

    heading: str
    paragraphs: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Report:
    """The words of the progress report as at D.

    Attributes:
        as_of: D. title: "Progress report: monitoring progress in implementing the Dubrovnik Action Plan
            (2015–2020)". meeting: the next Meeting of States Parties on or after D ("[meeting]" when none
            is on record). cover: the lines under the title (meeting, symbol, "As at 5 September 2018").
        sections: Universalization, stockpile destruction, clearance, transparency (and the ISU's budget
            when D's year has one). annexes: the tables.
        illustrative: the sentence on illustrative (sample) data, None for real data.
    """

    as_of: pd.Timestamp
    title: str
    meeting: str
    cover: tuple[str, ...]
    sections: tuple[Section, ...]
    annexes: tuple[Table, ...] = field(default=())
    illustrative: str | None = None


MSP_KINDS = dl.DECIDING_KINDS  # "meeting of states parties", "review conference"


def _msps(meetings: pd.DataFrame) -> pd.DataFrame:
    if meetings is None or meetings.empty:
        return pd.DataFrame(columns=["meeting", "start_date", "end_date"])
    kind = meetings["kind"].astype("string").str.strip().str.casefold()
    m = meetings[kind.isin(MSP_KINDS) & meetings["start_date"].notna()]
    return m.assign(end_date=m["end_date"].fillna(m["start_date"])).sort_values("start_date")


def meetings_around(meetings: pd.DataFrame, as_of) -> tuple[pd.Series | None, pd.Series | None]:
    """The meeting the report is for (the first Meeting of States Parties or Review Conference ending on or
    after D: the one under way on D counts) and the last one that ended before it (None when not on record)."""
    m = _msps(meetings)
    as_of = pd.Timestamp(as_of)
    ahead = m[m["end_date"] >= as_of]
    before = m[m["end_date"] < as_of]
    return (ahead.iloc[0] if len(ahead) else None), (before.iloc[-1] if len(before) else None)


def joined_since(states: pd.DataFrame, as_of, since) -> pd.DataFrame:
    """States Parties on D whose instrument was deposited after ``since`` (a meeting's last day), by date:
    columns ``state``, ``iso3``, ``ratification_date``, ``accession``, ``eif``."""
    t = sts.state_table(states)
    t = t[sts.is_party(t, pd.Timestamp(as_of)) & (t["ratification_date"] > pd.Timestamp(since))]
    return t.sort_values(["ratification_date", "state"])[["state", "iso3", "ratification_date", "accession", "eif"]]


def _universalization(ov: Overview, data: CcmData, previous) -> list[str]:
    sentence = narrative.universalization_sentence(ov)  # "The Convention has ...": after a colon, "the Convention"
    paras = [narrative.as_at_lead(ov.snap.as_of, sentence)]
    if previous is None:
        paras.append(_("No earlier Meeting of States Parties is on record: the States that joined since the last "
                       "one are not listed."))
        return paras
    joined = joined_since(data.states, ov.snap.as_of, previous["end_date"])
    values = dict(meeting=previous["meeting"], day=fmt.long_day(previous["end_date"]), n=fmt.number(len(joined)),
                  states=fmt.and_list(list(joined["state"])))
    then = sts.universalization(data.states, pd.Timestamp(previous["end_date"]))
    paras.append(_("When the {meeting} closed on {day}, the Convention had {parties} States Parties and {signatories} "
                   "signatories still to ratify.").format(meeting=previous["meeting"], day=fmt.long_day(previous["end_date"]),
                                                          parties=fmt.number(then.states_parties),
                                                          signatories=fmt.number(then.signatories)))
    paras.append(ngettext("Since the {meeting}, which closed on {day}, {n} State has become party: {states} "
                          "(Annex III).",
                          "Since the {meeting}, which closed on {day}, {n} States have become parties: {states} "
                          "(Annex III).", len(joined)).format(**values) if len(joined) else
                 _("No State has become party since the {meeting}, which closed on {day}.").format(**values))
    return paras


def _pending_of(ov: Overview, article: int) -> str:
    pending = ov.pending
    return narrative.pending_requests_sentence(pending[pending["article"] == article])


def _next_of(ov: Overview, article: int) -> str:
    table = ov.snap.deadlines
    nxt = narrative.next_deadline(table[table["article"] == article])
    if nxt is None:
        return ""
    return _("The next deadline in force is {state}'s, on {day}.").format(
        state=nxt["state"], day=fmt.long_day(nxt["effective_deadline"]))


def _still_to_do(ov: Overview, article: int, still: str, none_left: str, none_pending: str) -> list[str]:
    """The two paragraphs an article's section ends with: who is still to do it (with the next deadline), then
    the extension requests pending (the same for Article 3 and Article 4; only the words differ)."""
    s = ov.record[article]
    text = _("{still}: {states}; {overdue}.").format(
        still=narrative.first_upper(still), states=fmt.and_list(list(s.states_outstanding)),
        overdue=overdue_words(s.overdue)) if s.outstanding else none_left
    nxt = _next_of(ov, article)
    return [text + (" " + nxt if nxt else "") + (" " + _("Annex II gives each deadline.") if s.outstanding else ""),
            _pending_of(ov, article) or none_pending]


def _stockpiles(ov: Overview) -> list[str]:
    s3 = ov.record[3]
    if not s3.held:
        return [_("No State Party is recorded as having held stockpiles of cluster munitions.")]
    paras = [ngettext("Of the {held} States Parties that have held stockpiles of cluster munitions, {completed} has "
                      "completed their destruction.",
                      "Of the {held} States Parties that have held stockpiles of cluster munitions, {completed} have "
                      "completed their destruction.", s3.completed).format(
        held=fmt.number(s3.held), completed=fmt.number(s3.completed))
        + (" " + _("Together they have destroyed {quantity} submunitions.").format(
            quantity=submunitions(s3.quantity_completed)) if s3.quantity_completed > 0 else "")]
    return paras + _still_to_do(ov, 3, counted(s3.outstanding, _("no State still to destroy"), ngettext(
        "{n} still to destroy", "{n} still to destroy", s3.outstanding)),
        _("No State Party still has stockpiles to destroy."), _("No request to extend an Article 3 deadline is pending."))


def _clearance(ov: Overview) -> list[str]:
    s4 = ov.record[4]
    if not s4.held:
        return [_("No State Party is recorded as having areas contaminated by cluster munition remnants.")]
    paras = [ngettext("Of the {held} States Parties with areas contaminated by cluster munition remnants, {completed} "
                      "has completed clearance.",
                      "Of the {held} States Parties with areas contaminated by cluster munition remnants, {completed} "
                      "have completed clearance.", s4.completed).format(
        held=fmt.number(s4.held), completed=fmt.number(s4.completed))]
    return paras + _still_to_do(ov, 4, counted(s4.outstanding, _("no State still to clear"), ngettext(
        "{n} still to clear", "{n} still to clear", s4.outstanding)),
        _("No State Party still has contaminated areas to clear."), _("No request to extend an Article 4 deadline is pending."))


def _transparency(ov: Overview, by_state: pd.DataFrame) -> list[str]:
    i = ov.snap.reporting.initial
    paras = [_("Initial transparency reports: {received} of the {due} due have been received ({on_time} on time); "
               "{overdue} overdue.").format(received=fmt.number(i.on_time + i.late), due=fmt.number(i.due),
                                            on_time=fmt.number(i.on_time), overdue=fmt.number(i.overdue))
             if i.due else _("No initial transparency report has fallen due yet."),
             narrative.reporting_sentence(ov)]
    if len(by_state):
        paras.append(_("{owed}: Annex I lists them.").format(
            owed=narrative.first_upper(owed_words(len(by_state), int(by_state["count"].sum())))))
    return paras


def _budget(ov: Overview) -> list[str]:
    return [narrative.budget_sentence(ov)]


def _status_cell(status) -> str:
    """A report's status in Annex I: its label, or "–" when the State does not owe that report (None or NaN, as
    pandas fills a column where no State owes it)."""
    return fmt.label(status) if isinstance(status, str) and status else "–"


def _annexes(data: CcmData, ov: Overview, by_state: pd.DataFrame, previous, shown: tuple[str, ...]) -> list[Table]:
    as_of = ov.snap.as_of
    year = ov.snap.reporting.annual.year
    status = rp.status_by_state(ov.snap.statuses, year)
    reports = Table(_("Annex I. Transparency reports (Article 7): status by State"),
                    (_("State"), _("Initial report"), _("Annual report for {year}").format(year=year),
                     _("Reports overdue")),
                    tuple((r.state, _status_cell(r.initial), _status_cell(r.annual), fmt.number(r.overdue))
                          for r in status.itertuples()),
                    empty=_("No State Party owes a report yet."))
    table = ov.snap.deadlines
    open_ = table[dl.still_to_do(table)].sort_values(["article", "effective_deadline", "state"])
    pending = _("requested: {day} ({meeting})")
    deadlines = Table(_("Annex II. Article 3 and 4 obligations outstanding: deadlines in force and pending requests"),
                      (_("State"), _("Article"), _("Deadline in force"), _("Extensions granted"),
                       _("Extension request pending")),
                      tuple((r.state, str(int(r.article)), fmt.day(r.effective_deadline), fmt.number(r.extensions),
                             pending.format(day=fmt.day(r.pending_new_deadline) if pd.notna(r.pending_new_deadline)
                                            else "–",
                                            meeting=r.pending_meeting if isinstance(r.pending_meeting, str) else "–")
                             if pd.notna(r.pending_requested_on) else "")
                            for r in open_.itertuples()),
                      empty=_("No Article 3 or 4 obligation is outstanding."))
    joined = joined_since(data.states, as_of, previous["end_date"]) if previous is not None else None
    out = [reports, deadlines]
    if joined is not None:
        out.append(Table(_("Annex III. States that became parties since the {meeting}").format(
            meeting=previous["meeting"]),
                         (_("State"), _("Instrument"), _("Deposited on")),
                         tuple((r.state, _("Accession") if pd.notna(r.accession) and bool(r.accession) else _("Ratification"),
                                fmt.day(r.ratification_date)) for r in joined.itertuples()),
                         empty=_("None.")))
    st = ov.snap.budget
    if ov.has_budget:
        lines = st.lines
        out.append(Table(_("Annex IV. Budget of the Implementation Support Unit for {year}, spent by {day}").format(
            year=st.year, day=fmt.long_day(as_of)),
                         (_("Cost line"), _("Budget"), _("Spent"), _("Share spent")),
                         tuple((str(r.cost_line), fmt.chf(r.budget, st.currency), fmt.chf(r.spent, st.currency),
                                fmt.pct(r.burn_rate)) for r in lines.itertuples())
                         + ((_("Total"), fmt.chf(st.total.budget, st.currency), fmt.chf(st.total.spent, st.currency),
                             fmt.pct(st.total.burn_rate)),),
                         note=_illustrative_label(shown, ("budget", "spend"))))
        donors = fd.contributions_by_donor(data.contributions, st.year, as_of)
        out.append(Table(_("Annex V. Contributions for {year} received by {day}").format(
            year=st.year, day=fmt.long_day(as_of)),
                         (_("Donor"), _("Amount")),
                         tuple((str(r.donor), fmt.chf(r.amount, st.currency)) for r in donors.itertuples())
                         + ((_("Total"), fmt.chf(st.received, st.currency)),),
                         note=_illustrative_label(shown, ("contributions",)), empty=_("None.")))
    return out


def _illustrative_label(shown: tuple[str, ...], rests_on: tuple[str, ...]) -> str | None:
    """The label of a section or annex whose figures rest on ``rests_on``: "Illustrative: ..." when one of them is
    illustrative (sample) data, else None (as the deck labels its slides: budget and spend, contributions)."""
    return _("Illustrative: sample figures, not real records.") if set(shown) & set(rests_on) else None


def illustrative_note(datasets: Iterable[str]) -> str | None:
    """The report's sentence on illustrative data (None when none of its figures rest on it)."""
    named = illustrative_what([d for d in datasets if d in ("reports", "budget", "spend", "contributions")])
    if not named:
        return None
    return _("Illustrative data: the {listed} in this report are sample figures, not real records.").format(
        listed=fmt.and_list(named))


def report_content(data: CcmData, as_of, illustrative: Iterable[str] = ()) -> Report:
    """The words of the progress report as at D (``data``: the cut as at D, State names in the language).

    Args:
        illustrative: Datasets whose figures are illustrative (sample) data; the budget annexes say so and a
            sentence names them.
    """
    as_of = pd.Timestamp(as_of)
    shown = tuple(illustrative)
    ov = overview_view(data, as_of)
    u = ov.snap.universalization
    by_state = rp.overdue_by_state(ov.snap.statuses, as_of)
    meeting, previous = meetings_around(data.meetings, as_of)
    plan = narrative.plan_name(u.plan) if u.plan is not None else _("[action plan]")
    meeting_name = meeting["meeting"] if meeting is not None else _("[meeting]")
    sections = [Section(_("Universalization"), tuple(_universalization(ov, data, previous))),
                Section(_("Stockpile destruction (Article 3)"), tuple(_stockpiles(ov))),
                Section(_("Clearance and destruction of cluster munition remnants (Article 4)"),
                        tuple(_clearance(ov))),
                Section(_("Transparency measures (Article 7)"), tuple(_transparency(ov, by_state)),
                        _("Illustrative: the report submission dates are sample figures, not real records.")
                        if "reports" in shown else None)]
    if ov.has_budget:
        sections.append(Section(_("Implementation Support Unit"), tuple(_budget(ov)),
                                _illustrative_label(shown, ("budget", "spend", "contributions"))))
    return Report(
        as_of=as_of,
        title=_("Progress report: monitoring progress in implementing the {plan}").format(plan=plan),
        meeting=meeting_name,
        cover=(meeting_name, _("Symbol: [to be assigned]"), _("As at {day}").format(day=fmt.long_day(as_of))),
        sections=tuple(sections),
        annexes=tuple(_annexes(data, ov, by_state, previous, shown)),
        illustrative=illustrative_note(shown),
    )


# -- the Word document ----------------------------------------------------------------------------------

def _blank(template: bytes | None, name: str = "template.docx"):
    """A python-docx Document: the house template's styles with its body emptied, else python-docx's default."""

    if template is None:
        doc = Document()

        sec = doc.sections[0]
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)  # A4
        for side in ("left_margin", "right_margin"):
            setattr(sec, side, Cm(2.5))
        return doc
    try:
        doc = Document(io.BytesIO(template))
    except Exception as e:  # python-docx's and zipfile's own errors: not a Word document it can read
        raise TemplateError(_("{file}: not a Word document this program can use as a template ({error}). Save it "
                              "as a Word .docx document.").format(file=name, error=type(e).__name__)) from e
    body = doc.element.body
    keep = body.sectPr  # the page size, margins, headers and footers of the template
    for child in list(body):
        if child is not keep:
            body.remove(child)
    return doc


def _style(doc, name: str, base: str | None = None):
    """The named style; added (on ``base``) when a house template lacks it."""

    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.TABLE if name == "Table Grid" else WD_STYLE_TYPE.PARAGRAPH)
        if base is not None:
            try:
                style.base_style = doc.styles[base]
            except KeyError:
                pass
        if name.startswith("Heading") or name == "Title":
            style.font.bold = True
        if name.startswith("Heading "):  # its level in the outline: what a table of contents lists

            style.paragraph_format.keep_with_next = True
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(int(name.split()[1]) - 1))
            style.element.get_or_add_pPr().append(level)  # the last of the few a heading's w:pPr has
        return style


NUMBERED_STYLE = "CCM Numbered Paragraph"
"""The paragraph style of the numbered paragraphs: it carries the decimal list ("1.", "2.", ... through the whole
document), so a house template that defines it (with its own numbering, indents, font) restyles them all."""

_INDENT = 567  # 1 cm in twentieths of a point: the number hangs in it, the text starts after it


def _numbering_root(doc):
    """The document's ``w:numbering`` element, with a numbering part added when the document has none (a
    template saved by Word without a list; python-docx cannot create one itself)."""

    part = doc.part
    try:
        return part.part_related_by(RT.NUMBERING).element
    except KeyError:
        numbering = NumberingPart(part.package.next_partname("/word/numbering%d.xml"), CT.WML_NUMBERING,
                                  parse_xml(f"<w:numbering {nsdecls('w')}/>"), part.package)
        part.relate_to(numbering, RT.NUMBERING)
        return numbering.element


def _add_list(doc, fmt_: str, style_id: str | None = None) -> int:
    """A one-level list numbered "%1." in ``fmt_`` ("decimal", "upperRoman") with the number hanging in 1 cm,
    added to the numbering part (a ``w:abstractNum`` and a ``w:num`` on it); returns the ``w:num``'s id.
    ``style_id``: the paragraph style the level belongs to (Word links a style's list back to it)."""

    root = _numbering_root(doc)
    abstract_id = 1 + max((int(a.get(qn("w:abstractNumId"))) for a in root.iterchildren(qn("w:abstractNum"))),
                          default=-1)
    num_id = 1 + max((int(n.get(qn("w:numId"))) for n in root.iterchildren(qn("w:num"))), default=0)
    pstyle = f'<w:pStyle w:val="{style_id}"/>' if style_id else ""
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:nsid w:val="CC4D{abstract_id:04X}"/>'
        f'<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt_}"/>{pstyle}<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{_INDENT}"/></w:tabs>'
        f'<w:ind w:left="{_INDENT}" w:hanging="{_INDENT}"/></w:pPr></w:lvl></w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    # the schema's order: every w:abstractNum before the first w:num, w:numIdMacAtCleanup last
    after = next((c for c in root.iterchildren(qn("w:num"), qn("w:numIdMacAtCleanup"))), None)
    if after is None:
        root.append(abstract)
    else:
        after.addprevious(abstract)
    cleanup = root.find(qn("w:numIdMacAtCleanup"))
    if cleanup is None:
        root.append(num)
    else:
        cleanup.addprevious(num)
    return num_id


def _style_num_id(doc, style) -> int | None:
    """The list a paragraph style numbers its paragraphs with (its own ``w:numPr`` or its base styles'), when
    that list is defined in the document; None when the style numbers nothing."""

    seen = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        ppr = style.element.pPr
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            num_id = num_pr.numId.val
            if num_id == 0:  # "no list", set on purpose
                return None
            root = _numbering_root(doc)
            return num_id if any(int(n.get(qn("w:numId"))) == num_id
                                 for n in root.iterchildren(qn("w:num"))) else None
        style = style.base_style
    return None


def _numbered_style(doc):
    """The style of the numbered paragraphs (:data:`NUMBERED_STYLE`): the house template's when it has one that
    numbers its paragraphs; else the style (added on "Normal" when missing) given a decimal list "1.", "2.", ...
    that runs on through the whole document."""
    added = NUMBERED_STYLE not in [s.name for s in doc.styles]
    style = _style(doc, NUMBERED_STYLE, "Normal")
    if added:
        style.quick_style = True  # in Word's style gallery, for the paragraphs an editor adds
    if _style_num_id(doc, style) is None:
        num_id = _add_list(doc, "decimal", style.style_id)
        num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = num_id
    return style


def _number_paragraph(paragraph, num_id: int) -> None:
    """Put ``paragraph`` on the list ``num_id`` (0: on no list, even one its style has), level 0."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _unit(text: str, cell: bool) -> int:
    """The characters of the longest part of ``text`` that must not break: a word; a cell of up to 16 characters
    ("1er janv. 2021", "465 440 CHF") whole."""
    if cell and len(text) <= 16:
        return len(text)
    return max((len(w) for w in text.split()), default=0)


_CHAR, _PAD = 79_200, 162_000  # EMU: a character of 9 pt text (0.22 cm); a cell's margins (0.45 cm)


def _fit_columns(table, t: Table, section) -> None:
    """Share the text width among the columns by what they hold: each column gets room for the longest word
    of its heading and of its cells, and for a short cell whole (a word, a date, an amount never breaks) and wants room for its longest cell on one line (up
    to 30 characters; a longer name wraps). When every column can have what it wants, the width is shared in
    proportion to that; else each gets its words' room and the rest goes to the columns in proportion to
    what they still lack."""
    width = section.page_width - section.left_margin - section.right_margin
    words = [[head] + [row[i] for row in t.rows] for i, head in enumerate(t.header)]
    mins = [_PAD + _CHAR * max(_unit(text, i > 0) for i, text in enumerate(texts)) for texts in words]
    wants = [max(m, _PAD + _CHAR * max(min(len(text), 30) for text in texts[1:] or [""]))
             for m, texts in zip(mins, words)]
    if sum(wants) <= width:
        widths = [int(width * w / sum(wants)) for w in wants]
    elif sum(mins) >= width:
        widths = [int(width * m / sum(mins)) for m in mins]
    else:
        lack = [w - m for w, m in zip(wants, mins)]  # sum(lack) > 0: sum(wants) > width > sum(mins)
        widths = [int(m + (width - sum(mins)) * n / sum(lack)) for m, n in zip(mins, lack)]
    widths = [w // 635 * 635 for w in widths]  # whole twips (Word's unit) rounded down: never past the margin
    table.autofit = False
    for column, w in zip(table.columns, widths):
        column.width = w
        for cell in column.cells:
            cell.width = w


def _row_on_one_page(row, header: bool = False) -> None:
    """A table row that a page break does not cut (``w:cantSplit``); the header row is repeated at the top of
    every page the table runs onto (``w:tblHeader``)."""

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def build_report(data: CcmData, as_of, illustrative: Iterable[str] = (), template: bytes | None = None,
                 lang: str | None = None, template_name: str = "template.docx") -> bytes:
    """The progress report as at D as a .docx file's bytes, in the run's language (or ``lang``).

    Args:
        data: The datasets, cut as at D, State names in the language.
        as_of: D.
        illustrative: Datasets whose figures are illustrative (sample) data.
        template: A house template (.docx, checked by the Office guard before): its styles are used, its body
            is dropped.
    """

    lang = lang or i18n.current()
    with i18n.language(lang):
        r = report_content(data, as_of, illustrative)
        typo = fmt.typography
        doc = _blank(template, template_name)
        title_style, h1, h2 = _style(doc, "Title", "Normal"), _style(doc, "Heading 1", "Normal"), \
            _style(doc, "Heading 2", "Normal")
        grid = _style(doc, "Table Grid")
        doc.add_paragraph(typo(r.title), style=title_style)
        for line in r.cover:
            doc.add_paragraph(typo(line))
        if r.illustrative:
            warn = doc.add_paragraph().add_run(typo(r.illustrative))
            warn.bold = True
            warn.font.color.rgb = RGBColor(0x9A, 0x3D, 0x00)
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        numbered = _numbered_style(doc)
        roman = _add_list(doc, "upperRoman")  # the sections: I., II., ... (Word's own numbers)
        for section in r.sections:
            _number_paragraph(doc.add_paragraph(typo(section.heading), style=h1), roman)
            last = None
            for text in section.paragraphs:
                last = doc.add_paragraph(typo(text), style=numbered)
            if section.note:  # on the page of the section's last paragraph, not alone atop the next page
                if last is not None:
                    last.paragraph_format.keep_with_next = True
                doc.add_paragraph().add_run(typo(section.note)).italic = True
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _number_paragraph(doc.add_paragraph(typo(_("Annexes")), style=h1), 0)  # unnumbered, whatever the style
        for t in r.annexes:
            doc.add_paragraph(typo(t.title), style=h2)
            if t.note:
                doc.add_paragraph().add_run(typo(t.note)).italic = True
            if not t.rows:
                doc.add_paragraph(typo(t.empty))
                continue
            table = doc.add_table(rows=1, cols=len(t.header))
            table.style = grid
            _row_on_one_page(table.rows[0], header=True)
            for cell, text in zip(table.rows[0].cells, t.header):
                cell.text = ""
                run = cell.paragraphs[0].add_run(typo(text))
                run.bold = True
                run.font.size = Pt(9)
            for row in t.rows:
                added = table.add_row()
                _row_on_one_page(added)
                for cell, text in zip(added.cells, row):
                    cell.text = ""
                    cell.paragraphs[0].add_run(typo(text)).font.size = Pt(9)
            _fit_columns(table, t, doc.sections[-1])
        props = doc.core_properties
        props.title = typo(r.title)
        props.author = _("Implementation Support Unit, Convention on Cluster Munitions")
        # the file's own dates are the day it is drafted, not the template's (python-docx's says 2013)
        props.created = props.modified = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        props.last_modified_by, props.comments, props.revision = "", "", 1
        tag_docx(doc, lang)
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()


def check_template(data: bytes, file_name: str) -> None:
    """A house template for the report, once the Office guard has passed it (``reading.guard.check_office``, DOMAIN
    §9): python-docx must open it (TemplateError naming the file otherwise)."""
    _blank(data, file_name)
