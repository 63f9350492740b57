"""The slide kit: a 16:9 deck's geometry, type sizes and colours, the house template's handling (the
Office guard, its layouts, its slides dropped), and helpers for titled slides with footer, notes and the
"illustrative data" label, text boxes that fit, native charts with axis titles and labels, and tables.

It knows nothing of the CCM's figures: the slides themselves are in :mod:`.deck`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from .. import formatting as fmt
from .. import i18n
from ..errors import CcmError
from ..i18n import N_, _
from ..reading.guard import check_office
from .doclang import tag_pptx

WIDE = (Emu(12192000), Emu(6858000))  # exact 16:9
ROWS_PER_SLIDE = 12  # table body rows per slide (with the header: 13, under the 14-row limit)
MAX_TABLE_ROWS = 14
MIN_TABLE_PT = 14
LABEL_PT = 14
NAVY, BLUE, SKY, GREEN, ORANGE, VERMILLION, SLATE, GREY = (
    RGBColor.from_string(c.lstrip("#")) for c in
    (fmt.NAVY, fmt.BLUE, fmt.SKY, fmt.GREEN, fmt.ORANGE, fmt.VERMILLION, fmt.SLATE, "5B6770"))
INK = RGBColor(0x1B, 0x27, 0x33)
WARN = RGBColor(0x9A, 0x3D, 0x00)  # dark orange: 7:1 on white
# Long official names shortened on slides (tables keep one line per State).
# What each illustrative dataset holds, for the slide labels.
ILLUSTRATIVE_WORDS = {"reports": N_("report submission dates"), "spend": N_("spend"), "budget": N_("budgets"),
                      "contributions": N_("contributions"), "meetings": N_("meetings"),
                      "workplan": N_("work-plan progress"), "pledges": N_("pledges"),
                      "followups": N_("follow-up contacts")}



class TemplateError(CcmError):
    """The PowerPoint template could not be used."""


DEFAULT_TEMPLATE_NAME = "template.pptx"


def illustrative_label(datasets: Iterable[str]) -> str | None:
    """The slide label for figures resting on illustrative datasets (None when none are)."""
    words = [_(ILLUSTRATIVE_WORDS[d]) if d in ILLUSTRATIVE_WORDS else d for d in dict.fromkeys(datasets)]
    if not words:
        return None
    return _("Illustrative data: the {listed} behind this slide are sample figures, not real records.").format(
        listed=fmt.and_list(words))


class Deck:
    """Slide helpers bound to one presentation (geometry relative to its slide size)."""

    def __init__(self, template: bytes | None, footer: str, illustrative: tuple[str, ...] = (),
                 template_name: str = DEFAULT_TEMPLATE_NAME):
        if template is None:
            self.prs = Presentation()
            _widen(self.prs)
            self.own_template = True
        else:
            check_office(template_name, template, "pptx")  # every time a template is used (DOMAIN.md section 9)
            try:
                self.prs = Presentation(io.BytesIO(template))
            except Exception as e:  # python-pptx raises several kinds for non-pptx input
                raise TemplateError(_("The template is not a PowerPoint .pptx file ({error}). Save it as a "
                                      "PowerPoint Presentation (.pptx) and try again.").format(
                                          error=type(e).__name__)) from e
            _remove_slides(self.prs)
            self.own_template = False
        self.footer = footer
        self.illustrative = illustrative
        self.W, self.H = self.prs.slide_width, self.prs.slide_height
        self.margin = int(self.W * 0.04)
        # the label goes under the title (the template's title placeholder, or ours ending at 18%),
        # the body under the label
        self.label_top = max(int(self.H * 0.18), self._template_title_bottom())
        self.body_top = self.label_top + int(self.H * 0.085)
        self.body_height = int(self.H * 0.905) - self.body_top

    def _template_title_bottom(self) -> int:
        if self.own_template:
            return 0
        title = next((p for p in self.layout("Title Only", fallback=5).placeholders
                      if p.placeholder_format.idx == 0), None)
        return 0 if title is None or title.top is None else int(title.top + title.height)

    def layout(self, *names: str, fallback: int):
        for name in names:
            for layout in self.prs.slide_layouts:
                if layout.name.casefold() == name.casefold():
                    return layout
        layouts = self.prs.slide_layouts
        return layouts[min(fallback, len(layouts) - 1)]

    def slide(self, title: str, notes: str, rests_on: Iterable[str] = ()):
        """A titled slide with the footer, the notes and, if its data is illustrative, the label."""
        s = self.prs.slides.add_slide(self.layout("Title Only", fallback=5))
        if s.shapes.title is not None:
            s.shapes.title.text = fmt.typography(title)
            tf = s.shapes.title.text_frame
            for r in tf.paragraphs[0].runs:  # a template keeps its title font and colour, not its size
                r.font.size = Pt(28)
            if self.own_template:
                t = s.shapes.title
                t.left, t.top, t.width, t.height = self.margin, int(self.H * 0.03), self.full_width, int(self.H * 0.15)
                tf.word_wrap = True
                tf.paragraphs[0].alignment = PP_ALIGN.LEFT
                for r in tf.paragraphs[0].runs:
                    r.font.bold = True
                    r.font.color.rgb = NAVY
        else:
            self.text(title, self.margin, int(self.H * 0.04), self.W - 2 * self.margin, int(self.H * 0.14), 28, True,
                      slide=s)
        self.add_footer(s)
        self.add_label(s, rests_on)
        s.notes_slide.notes_text_frame.text = fmt.typography(notes)
        return s

    @property
    def full_width(self) -> int:
        return self.W - 2 * self.margin


    def add_footer(self, s) -> None:
        box = s.shapes.add_textbox(self.margin, int(self.H * 0.93), self.full_width, int(self.H * 0.05))
        box.name = "Footer"
        tf = box.text_frame
        tf.word_wrap = True
        p = tf.paragraphs[0]
        p.text = self.footer
        p.runs[0].font.size = Pt(11)
        p.runs[0].font.color.rgb = GREY

    def add_label(self, s, rests_on: Iterable[str], top: int | None = None) -> None:
        """The "illustrative data" label (14 pt) under the title, when the slide rests on such data."""
        text = illustrative_label(d for d in rests_on if d in self.illustrative)
        if text is None:
            return
        box = self.text(text, self.margin, top if top is not None else self.label_top, self.full_width,
                        int(self.H * 0.08), LABEL_PT, True, slide=s, colour=WARN, gap=0)
        box.name = "Illustrative data"

    def text(self, text: str | list[str], left, top, width, height, size: int = 18, bold: bool = False, slide=None,
             colour: RGBColor | None = None, gap: int = 8):
        """A wrapped text box; with ``bold`` the first line is bold (a headline figure)."""
        s = slide if slide is not None else self.prs.slides[-1]
        box = s.shapes.add_textbox(left, top, width, height)
        tf = box.text_frame
        tf.word_wrap = True
        lines = [text] if isinstance(text, str) else text
        for i, line in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = fmt.typography(line)
            p.space_after = Pt(gap)
            for r in p.runs:
                r.font.size = Pt(size)
                r.font.bold = bold if i == 0 else False
                r.font.color.rgb = colour or (NAVY if (bold and i == 0) else INK)
        return box

    def side_text(self, slide, lines: list[str], chart_width: int, size: int = 18):
        """The panel of headline figures to the right of a chart (smaller type, down to 14 pt, if need be)."""
        gap = int(self.W * 0.02)
        width, height = self.full_width - chart_width - gap, self.body_height - int(self.H * 0.03)
        size = next((z for z in range(size, 13, -2) if fits(lines, z, width, height, 8)), 14)
        return self.text(lines, self.margin + chart_width + gap, self.body_top + int(self.H * 0.03), width, height,
                         size, True, slide=slide)

    def chart(self, slide, kind, data: CategoryChartData, left, top, width, height, colours, *, x_title: str,
              y_title: str, number_format: str | None = None, legend: bool = True):
        """A native chart with both axis titles (units in the value axis' title) in 14 pt type."""
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
        for axis, title in ((chart.category_axis, x_title), (chart.value_axis, y_title)):
            axis.has_title = True
            axis.axis_title.text_frame.text = title
            for r in axis.axis_title.text_frame.paragraphs[0].runs:
                r.font.size = Pt(14)
                r.font.bold = False
                r.font.color.rgb = INK
        return chart

    def table(self, slide, header: list[str], rows: list[list[str]], widths: list[float], top: int | None = None):
        """A table of at most ROWS_PER_SLIDE body rows in 14 pt type, one line per row."""
        if len(rows) + 1 > MAX_TABLE_ROWS:
            raise ValueError(f"a slide table holds at most {MAX_TABLE_ROWS - 1} rows, not {len(rows)}")
        n = len(rows) + 1
        top = self.body_top if top is None else top
        row_h = min(int((self.body_height - int(self.H * 0.09)) / (ROWS_PER_SLIDE + 1)), int(Pt(30)))
        gf = slide.shapes.add_table(n, len(header), self.margin, top, self.full_width, row_h * n)
        table = gf.table
        total = sum(widths)
        for i, wgt in enumerate(widths):
            table.columns[i].width = int(self.full_width * wgt / total)
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
        return gf

    def below(self, shape, text: str, size: int = 16):
        """A line of text just under a table (e.g. "and 34 more States ...")."""
        return self.text(text, self.margin, shape.top + shape.height + int(self.H * 0.01), self.full_width,
                         int(self.H * 0.085), size, gap=0)

    def save(self) -> bytes:
        tag_pptx(self.prs, i18n.current())  # every text, charts' included, in the deck's language
        buf = io.BytesIO()
        self.prs.save(buf)
        return buf.getvalue()


def chars_per_line(width: float, size: int) -> int:
    """Characters that fit a line of a box ``width`` EMU wide at ``size`` pt (0.55 em each, 0.1 in insets)."""
    return max(1, int((width - Emu(182880)) / 12700 / (size * 0.55)))


def fits(paragraphs: list[str], size: int, width: int, height: int, gap: int = 0) -> bool:
    """Whether paragraphs at ``size`` pt fit a box (characters about 0.55 em wide, lines 1.2 em)."""
    per_line = chars_per_line(width, size)
    lines = sum(max(1, math.ceil(len(p) / per_line)) for p in paragraphs)
    return Pt(lines * size * 1.2 + len(paragraphs) * gap) + Emu(91440) <= height


def _numeric(text: str) -> bool:
    for sep in (",", "-", ".", "\u202f", "\u00a0", " "):
        text = text.replace(sep, "")
    return text.strip().isdigit()


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


def check_template(template: bytes, name: str = DEFAULT_TEMPLATE_NAME) -> None:
    """Raise TemplateError unless ``template`` opens as a PowerPoint presentation with layouts (and
    OfficeFileRefused if the Office guard refuses it)."""
    d = Deck(template, "", template_name=name)
    if not len(d.prs.slide_layouts):
        raise TemplateError(_("The template has no slide layouts; save a presentation that has some."))


def pages(rows: list, size: int) -> list[list]:
    """Split rows into pages of ``size`` (at least one page, possibly empty)."""
    return [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]


def with_bar_labels(series, number_format: str, size: int = 12, colour: RGBColor = INK,
                     upright: bool = False) -> None:
    """Show each bar's value (``number_format``; a format with an empty zero section hides zeros).

    ``upright``: the label runs up inside the top of its column, for columns narrower than their label
    ("58.0%"), so it never spills over the next column."""
    dl = series.data_labels
    dl.show_value = True
    dl.number_format = number_format
    dl.number_format_is_linked = False
    dl.font.size = Pt(size)
    dl.font.color.rgb = colour
    if upright:
        dl.position = XL_LABEL_POSITION.INSIDE_END
        body = dl._element.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}bodyPr")
        body.set("rot", "-5400000")
        body.set("vert", "horz")


def last_point_label(series, text: str, position=XL_LABEL_POSITION.ABOVE) -> None:
    """Label only the last point of a series (the latest value) with ``text`` (columns: OUTSIDE_END)."""
    dl = series.points[len(series.values) - 1].data_label
    dl.text_frame.text = text
    dl.position = position
    for r in dl.text_frame.paragraphs[0].runs:
        r.font.size = Pt(14)
        r.font.bold = True
        r.font.color.rgb = INK


def bars_top_down(chart) -> None:
    """Bar charts list categories bottom-up: reverse them and keep the value axis at the bottom."""
    chart.category_axis.reverse_order = True
    crosses = chart.value_axis._element.find("{http://schemas.openxmlformats.org/drawingml/2006/chart}crosses")
    if crosses is not None:
        crosses.set("val", "max")


def nice_step(largest: float, ticks: int = 5) -> float:
    """A round axis step (1, 2, 2.5 or 5 times a power of ten) giving at most ``ticks`` intervals."""
    if largest <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(largest / ticks))
    return next(power * m for m in (1, 2, 2.5, 5, 10) if largest / (power * m) <= ticks)


def round_axis(chart, largest: float) -> None:
    chart.value_axis.major_unit = nice_step(largest)
    chart.value_axis.minimum_scale = 0


def chart_width(d: Deck) -> int:
    return int(d.full_width * 0.66)
