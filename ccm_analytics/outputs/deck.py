"""The meeting pack: a 16:9 PowerPoint deck with native (editable) charts and tables.

Slides: title; universalization; transparency reporting; overdue reports (continued over as
many slides as needed); Article 3/4 deadlines due within 24 months or overdue; budget against
spend by cost line; contributions against the budget. Every slide has the footer "Data as at
<day> · Source: <...>" and speaker notes that say its key numbers in sentences. Numbers come
from the same analysis functions as the pages and the ``metrics`` command.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from .. import formatting as fmt
from .. import narrative
from ..analysis import budget as b
from ..analysis import reporting as rp
from ..analysis.states import parties_over_time
from ..data import CcmData
from ..errors import CcmError
from ..views import Overview, overview

WIDE = (Emu(12192000), Emu(6858000))  # exact 16:9
ROWS_PER_SLIDE = 12
MIN_TABLE_PT = 14
NAVY, BLUE, SKY, GREEN, ORANGE, VERMILLION, SLATE, GREY = (
    RGBColor.from_string(c.lstrip("#")) for c in
    (fmt.NAVY, fmt.BLUE, fmt.SKY, fmt.GREEN, fmt.ORANGE, fmt.VERMILLION, fmt.SLATE, "5B6770"))


class TemplateError(CcmError):
    """The PowerPoint template could not be used."""


@dataclass(frozen=True)
class DeckInfo:
    """What a built deck holds (for messages and tests)."""

    slides: int
    overdue_slides: int
    deadline_slides: int


class _Deck:
    """Slide helpers bound to one presentation (geometry relative to its slide size)."""

    def __init__(self, template: bytes | None, footer: str):
        if template is None:
            self.prs = Presentation()
            _widen(self.prs)
            self.own_template = True
        else:
            try:
                self.prs = Presentation(io.BytesIO(template))
            except Exception as e:  # python-pptx raises several kinds for non-pptx input
                raise TemplateError(f"The template is not a PowerPoint .pptx file ({type(e).__name__}). Save it as "
                                    "a PowerPoint Presentation (.pptx) and try again.") from e
            _remove_slides(self.prs)
            self.own_template = False
        self.footer = footer
        self.W, self.H = self.prs.slide_width, self.prs.slide_height
        self.margin = int(self.W * 0.04)

    def layout(self, *names: str, fallback: int):
        for name in names:
            for layout in self.prs.slide_layouts:
                if layout.name.casefold() == name.casefold():
                    return layout
        layouts = self.prs.slide_layouts
        return layouts[min(fallback, len(layouts) - 1)]

    def slide(self, title: str, notes: str):
        s = self.prs.slides.add_slide(self.layout("Title Only", fallback=5))
        if s.shapes.title is not None:
            s.shapes.title.text = title
            if self.own_template:
                tf = s.shapes.title.text_frame
                tf.paragraphs[0].alignment = PP_ALIGN.LEFT
                for r in tf.paragraphs[0].runs:
                    r.font.size = Pt(30)
                    r.font.bold = True
                    r.font.color.rgb = NAVY
        else:
            self.text(title, self.margin, int(self.H * 0.04), self.W - 2 * self.margin, int(self.H * 0.12), 30, True)
        self.add_footer(s)
        s.notes_slide.notes_text_frame.text = notes
        return s

    @property
    def body_top(self) -> int:
        return int(self.H * 0.2)

    @property
    def body_height(self) -> int:
        return int(self.H * 0.68)

    def add_footer(self, s) -> None:
        box = s.shapes.add_textbox(self.margin, int(self.H * 0.93), self.W - 2 * self.margin, int(self.H * 0.05))
        box.name = "Footer"
        tf = box.text_frame
        tf.word_wrap = True
        p = tf.paragraphs[0]
        p.text = self.footer
        p.runs[0].font.size = Pt(11)
        p.runs[0].font.color.rgb = GREY

    def text(self, text: str | list[str], left, top, width, height, size: int = 18, bold: bool = False, slide=None):
        s = slide if slide is not None else self.prs.slides[-1]
        box = s.shapes.add_textbox(left, top, width, height)
        tf = box.text_frame
        tf.word_wrap = True
        lines = [text] if isinstance(text, str) else text
        for i, line in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = line
            p.space_after = Pt(8)
            for r in p.runs:
                r.font.size = Pt(size)
                r.font.bold = bold if i == 0 else False
                r.font.color.rgb = NAVY if (bold and i == 0) else RGBColor(0x1B, 0x27, 0x33)
        return box

    def chart(self, slide, kind, data: CategoryChartData, left, top, width, height, colours, number_format=None,
              legend=True):
        gf = slide.shapes.add_chart(kind, left, top, width, height, data)
        chart = gf.chart
        chart.has_title = False
        chart.has_legend = legend
        if legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(14)
        chart.font.size = Pt(14)
        for series, colour in zip(chart.plots[0].series, colours):
            fill = series.format.fill
            fill.solid()
            fill.fore_color.rgb = colour
            if kind in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS):
                series.format.line.color.rgb = colour
                series.format.line.width = Pt(3)
                series.smooth = False
        if number_format:
            chart.value_axis.tick_labels.number_format = number_format
            chart.value_axis.tick_labels.number_format_is_linked = False
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xE1, 0xE6)
        return chart

    def table(self, slide, header: list[str], rows: list[list[str]], widths: list[float]):
        n = len(rows) + 1
        row_h = min(int(self.body_height / (ROWS_PER_SLIDE + 1)), int(Pt(30)))
        gf = slide.shapes.add_table(n, len(header), self.margin, self.body_top, self.W - 2 * self.margin, row_h * n)
        table = gf.table
        total = sum(widths)
        for i, wgt in enumerate(widths):
            table.columns[i].width = int((self.W - 2 * self.margin) * wgt / total)
        for r, values in enumerate([header] + rows):
            table.rows[r].height = row_h
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = value
                p = cell.text_frame.paragraphs[0]
                p.alignment = PP_ALIGN.RIGHT if (r > 0 and _numeric(value)) else PP_ALIGN.LEFT
                for run in p.runs:
                    run.font.size = Pt(MIN_TABLE_PT)
                    run.font.bold = r == 0
                cell.margin_top = cell.margin_bottom = Pt(2)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        return table

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace("-", "").replace(".", "").strip().isdigit()


def _widen(prs) -> None:
    """Make the default 4:3 template exactly 16:9, stretching its masters and layouts."""
    old_w = prs.slide_width
    prs.slide_width, prs.slide_height = WIDE
    scale = WIDE[0] / old_w
    for master in prs.slide_masters:
        for shape in list(master.placeholders) + [p for layout in master.slide_layouts for p in layout.placeholders]:
            # read all four first: a placeholder inheriting its position gets a full one of its own
            left, top, width, height = shape.left, shape.top, shape.width, shape.height
            shape.left, shape.top, shape.width, shape.height = int(left * scale), top, int(width * scale), height


def _remove_slides(prs) -> None:
    """Drop a template's own slides, keeping its masters, layouts and theme."""
    ids = prs.slides._sldIdLst  # python-pptx has no public API for this
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


def check_template(template: bytes) -> None:
    """Raise TemplateError unless ``template`` opens as a PowerPoint presentation with layouts."""
    d = _Deck(template, "")
    if not len(d.prs.slide_layouts):
        raise TemplateError("The template has no slide layouts; save a presentation that has some.")


def pages(rows: list, size: int) -> list[list]:
    """Split rows into pages of ``size`` (at least one page, possibly empty)."""
    return [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]


# -- the slides ---------------------------------------------------------------------------------

def _title_slide(d: _Deck, title: str, as_of, ov: Overview) -> None:
    s = d.prs.slides.add_slide(d.layout("Title Slide", fallback=0))
    if s.shapes.title is not None:
        s.shapes.title.text = title
    subtitle = next((p for p in s.placeholders if p.placeholder_format.idx == 1), None)
    lines = [f"Data as at {fmt.long_day(as_of)}", "Convention on Cluster Munitions · Implementation Support Unit"]
    if subtitle is not None:
        subtitle.text = "\n".join(lines)
    else:
        d.text(lines, d.margin, int(d.H * 0.6), d.W - 2 * d.margin, int(d.H * 0.2), 20, slide=s)
    d.add_footer(s)
    s.notes_slide.notes_text_frame.text = narrative.state_of_play(ov)


def _universalization_slide(d: _Deck, data: CcmData, ov: Overview) -> None:
    u, as_of = ov.snap.universalization, ov.snap.as_of
    series = parties_over_time(data.states, as_of)
    yearly = series.groupby(series["date"].dt.year).last()
    labels = [str(y) for y in yearly.index[:-1]] + [fmt.day(as_of)]
    s = d.slide(f"Universalization: {u.states_parties} States Parties",
                narrative.universalization_sentence(ov) + f" The Convention is in force for {u.in_force} of them.")
    cd = CategoryChartData()
    cd.categories = labels
    cd.add_series("States Parties", [int(v) for v in yearly["states_parties"]])
    cd.add_series(f"Target: {u.target} by {u.target_year}", [u.target] * len(labels))
    w = int((d.W - 2 * d.margin) * 0.68)
    d.chart(s, XL_CHART_TYPE.LINE_MARKERS, cd, d.margin, d.body_top, w, d.body_height, [BLUE, ORANGE])
    d.text([f"{u.states_parties}", "States Parties", u.target_phrase().capitalize(),
            f"{u.signatories} signatories still to ratify", f"In force for {u.in_force}"],
           d.margin + w + int(d.W * 0.02), d.body_top + int(d.H * 0.05), d.W - 2 * d.margin - w - int(d.W * 0.02),
           d.body_height, 20, True)


def _reporting_slide(d: _Deck, ov: Overview) -> None:
    a, i = ov.snap.reporting.annual, ov.snap.reporting.initial
    series = rp.reporting_series(ov.snap.statuses)
    annual = series[series["report_type"] == "annual"]
    s = d.slide(f"Transparency reporting: {fmt.pct(a.compliance_rate)} of {a.year} annual reports on time",
                narrative.reporting_sentence(ov) + f" Initial reports: {fmt.pct(i.compliance_rate)} on time, "
                f"{fmt.pct(i.submission_rate)} submitted, of {i.due} due.")
    w = int((d.W - 2 * d.margin) * 0.68)
    if annual.empty:
        d.text("No annual report had fallen due by this day.", d.margin, d.body_top, w, int(d.H * 0.2), 20)
    else:
        cd = CategoryChartData()
        cd.categories = [str(int(y)) for y in annual["year"]]
        cd.add_series("Compliance rate (on time)", [float(v) for v in annual["compliance_rate"]])
        cd.add_series("Submission rate (on time or late)", [float(v) for v in annual["submission_rate"]])
        chart = d.chart(s, XL_CHART_TYPE.COLUMN_CLUSTERED, cd, d.margin, d.body_top, w, d.body_height,
                        [GREEN, BLUE], number_format="0%")
        chart.value_axis.maximum_scale = 1.0
        chart.value_axis.minimum_scale = 0.0
    d.text([f"Annual reports for {a.year}", f"{fmt.pct(a.compliance_rate)} on time ({a.on_time} of {a.due})",
            f"{fmt.pct(a.submission_rate)} submitted ({a.late} late, {a.overdue} overdue)",
            f"Initial reports: {fmt.pct(i.compliance_rate)} on time, {fmt.pct(i.submission_rate)} submitted"],
           d.margin + w + int(d.W * 0.02), d.body_top + int(d.H * 0.05), d.W - 2 * d.margin - w - int(d.W * 0.02),
           d.body_height, 18, True)


def _overdue_slides(d: _Deck, ov: Overview, per_slide: int) -> int:
    od = ov.snap.reporting.overdue
    rows = [[r.state, "Initial" if r.report_type == "initial" else f"Annual {int(r.year)}", fmt.day(r.due_date),
             f"{int(r.days_overdue):,}"] for r in od.itertuples()]
    chunks = pages(rows, per_slide)
    for n, chunk in enumerate(chunks, start=1):
        cont = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        notes = (f"{fmt.count(len(rows), 'report is', 'reports are')} overdue: {ov.reports_overdue_initial} initial "
                 f"and {ov.reports_overdue_annual} annual, most overdue first." if rows else "No report is overdue.")
        if len(chunks) > 1:
            notes += f" This slide lists rows {(n - 1) * per_slide + 1} to {(n - 1) * per_slide + len(chunk)}."
        s = d.slide(f"Overdue reports{cont}", notes)
        if not chunk:
            d.text(f"No Article 7 report is overdue as at {fmt.long_day(ov.snap.as_of)}.", d.margin, d.body_top,
                   d.W - 2 * d.margin, int(d.H * 0.2), 22)
            continue
        d.table(s, ["State", "Report", "Due", "Days overdue"], chunk, [5, 2.2, 2, 1.6])
    return len(chunks)


def _deadline_slides(d: _Deck, data: CcmData, ov: Overview, per_slide: int) -> int:
    t = ov.snap.deadlines
    soon = t[(t["status"] == "overdue") | ((t["status"] != "completed") & (t["days_remaining"] <= 730))]
    ext = data.extensions[data.extensions["granted_on"] <= ov.snap.as_of]
    latest = ext.sort_values("granted_on").groupby(["iso3", "article"])["granted_on"].last()
    rows = []
    for r in soon.itertuples():
        granted = latest.get((r.iso3, r.article))
        extended = f"{r.extensions} (last {fmt.day(granted)})" if r.extensions else "none"
        days = int(r.days_remaining)
        rows.append([r.state, f"Art. {int(r.article)}", fmt.day(r.deadline), extended, fmt.day(r.effective_deadline),
                     fmt.label(r.status), f"{days:,}" if days >= 0 else f"{-days:,} late"])
    chunks = pages(rows, per_slide)
    c = ov.deadline_counts
    for n, chunk in enumerate(chunks, start=1):
        cont = f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""
        s = d.slide(f"Article 3 and 4 deadlines: overdue or due within 24 months{cont}",
                    narrative.deadlines_sentence(ov) + f" {c.due_within_24_months} fall due within 24 months.")
        if not chunk:
            d.text(f"No Article 3 or 4 deadline is overdue or due within 24 months of "
                   f"{fmt.long_day(ov.snap.as_of)}.", d.margin, d.body_top, d.W - 2 * d.margin, int(d.H * 0.2), 22)
            continue
        d.table(s, ["State", "Article", "Original deadline", "Extensions", "Deadline now", "Status", "Days left"],
                chunk, [3.6, 1.2, 2, 2.6, 2, 2.6, 1.3])
    return len(chunks)


def _budget_slide(d: _Deck, ov: Overview) -> None:
    st, t = ov.snap.budget, ov.snap.budget.total
    cur = st.currency
    s = d.slide(f"Budget {st.year}: {fmt.pct(t.burn_rate)} spent, {fmt.pct(st.elapsed_fraction)} of the year elapsed"
                if ov.has_budget else f"Budget {st.year}: no budget loaded",
                narrative.budget_sentence(ov) + (f" Pace {t.pace:.2f} (1 means spending in line with the calendar)."
                                                 if t.pace is not None else ""))
    if not ov.has_budget:
        d.text(f"No budget is loaded for {st.year}.", d.margin, d.body_top, d.W - 2 * d.margin, int(d.H * 0.2), 22)
        return
    lines = st.lines.sort_values("budget", ascending=False)
    cd = CategoryChartData()
    cd.categories = list(lines["cost_line"])
    cd.add_series("Budget", [float(v) for v in lines["budget"]])
    cd.add_series("Spent to date", [float(v) for v in lines["spent"]])
    cd.add_series("Projected year-end", [float(v) if pd.notna(v) else 0.0 for v in lines["projected_year_end"]])
    w = int((d.W - 2 * d.margin) * 0.68)
    chart = d.chart(s, XL_CHART_TYPE.BAR_CLUSTERED, cd, d.margin, d.body_top, w, d.body_height,
                    [SLATE, NAVY, ORANGE], number_format="#,##0")
    _bars_top_down(chart)
    variance = "–" if t.projected_variance is None else (
        f"{fmt.chf(abs(t.projected_variance), cur)} {'over' if t.projected_variance > 0 else 'under'} budget")
    d.text([f"{fmt.chf(t.spent, cur)} spent", f"of {fmt.chf(t.budget, cur)} ({fmt.pct(t.burn_rate)})",
            f"Pace {t.pace:.2f}" if t.pace is not None else "Pace –",
            f"Projected year-end {fmt.chf(t.projected_year_end, cur)}", variance],
           d.margin + w + int(d.W * 0.02), d.body_top + int(d.H * 0.05), d.W - 2 * d.margin - w - int(d.W * 0.02),
           d.body_height, 18, True)


def _bars_top_down(chart) -> None:
    """Bar charts list categories bottom-up: reverse them and keep the value axis at the bottom."""
    chart.category_axis.reverse_order = True
    crosses = chart.value_axis._element.find("{http://schemas.openxmlformats.org/drawingml/2006/chart}crosses")
    if crosses is not None:
        crosses.set("val", "max")


def _contributions_slide(d: _Deck, data: CcmData, ov: Overview) -> None:
    st = ov.snap.budget
    cur = st.currency
    by_month = b.cumulative_contributions(data.contributions, st.year, ov.snap.as_of)
    donors = b.contributions_by_donor(data.contributions, st.year, ov.snap.as_of)
    top = ", ".join(f"{r.donor} ({fmt.chf_short(r.amount, cur)})" for r in donors.head(5).itertuples())
    s = d.slide(f"Contributions for {st.year}: {fmt.chf(st.received, cur)} received"
                + (f" ({fmt.pct(st.received_share)} of the budget)" if ov.has_budget else ""),
                f"Contributions received for {st.year}: {fmt.chf(st.received, cur)} from "
                f"{fmt.count(len(donors), 'donor')}" + (f", {fmt.pct(st.received_share)} of the budget of "
                f"{fmt.chf(st.total.budget, cur)}; the funding gap is {fmt.chf(st.funding_gap, cur)}." if ov.has_budget
                else ".") + (f" Largest: {top}." if top else ""))
    w = int((d.W - 2 * d.margin) * 0.68)
    if by_month.empty:
        d.text(f"No contribution for {st.year} had been received by {fmt.long_day(ov.snap.as_of)}.", d.margin,
               d.body_top, w, int(d.H * 0.2), 22)
    else:
        cd = CategoryChartData()
        cd.categories = [f"{m:%b %Y}" for m in by_month["month"]]
        cd.add_series("Received to date", [float(v) for v in by_month["cumulative"]])
        if ov.has_budget:
            cd.add_series("Budget", [float(st.total.budget)] * len(by_month))
        d.chart(s, XL_CHART_TYPE.LINE_MARKERS, cd, d.margin, d.body_top, w, d.body_height, [NAVY, ORANGE],
                number_format="#,##0")
    lines = [f"{fmt.chf(st.received, cur)} received",
             f"Budget {fmt.chf(st.total.budget, cur)}" if ov.has_budget else "No budget loaded",
             f"Funding gap {fmt.chf(st.funding_gap, cur)}" if ov.has_budget else None,
             fmt.count(len(donors), "donor")]
    d.text([line for line in lines if line],
           d.margin + w + int(d.W * 0.02), d.body_top + int(d.H * 0.05), d.W - 2 * d.margin - w - int(d.W * 0.02),
           d.body_height, 18, True)


def build_deck(data: CcmData, as_of, title: str, source: str, template: bytes | Path | None = None,
               rows_per_slide: int = ROWS_PER_SLIDE) -> tuple[bytes, DeckInfo]:
    """Build the meeting deck for day D.

    Args:
        data: The datasets.
        as_of: D.
        title: The meeting's name, e.g. "Eighth Meeting of States Parties".
        source: Where the data comes from, for the footers.
        template: A .pptx whose layouts and theme to use (bytes or a path).
        rows_per_slide: Table rows per slide before continuing on a new one.

    Returns:
        The .pptx file's bytes and a summary of what it holds.
    """
    as_of = pd.Timestamp(as_of)
    if isinstance(template, (str, Path)):
        template = Path(template).read_bytes()
    ov = overview(data, as_of)
    d = _Deck(template, f"Data as at {fmt.long_day(as_of)} · Source: {source}")
    _title_slide(d, title, as_of, ov)
    _universalization_slide(d, data, ov)
    _reporting_slide(d, ov)
    n_overdue = _overdue_slides(d, ov, rows_per_slide)
    n_deadlines = _deadline_slides(d, data, ov, rows_per_slide)
    _budget_slide(d, ov)
    _contributions_slide(d, data, ov)
    return d.save(), DeckInfo(len(d.prs.slides), n_overdue, n_deadlines)
