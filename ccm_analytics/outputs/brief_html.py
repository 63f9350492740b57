"""The one-page brief as one self-contained HTML file (``python -m ccm_analytics brief``, DOMAIN.md section 11).

Pure: a :class:`~ccm_analytics.outputs.brief.Brief` (built by ``build_brief``, the function the Brief page
draws) and the source label in, the HTML text out. Everything is in the file: the CSS, the two charts and
the plotly.js bundle of the installed plotly package, inline and once; nothing is fetched from the
internet. Printed (A4 portrait, 10 mm margins) it is one page. Every data text is escaped.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from .. import formatting as fmt
from .. import i18n
from ..i18n import _
from .brief import Brief


def escape(text) -> str:
    """Text for the page: finished as the language prints it (:func:`formatting.typography`), then escaped."""
    return html.escape(fmt.typography(str(text)))

# A4 portrait with 10 mm margins: a 190 x 277 mm sheet; the two charts (CHART_WIDTH px each) sit side by side.
CSS = """
@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; color: #1f2933; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; font-size: 9pt;
       line-height: 1.3; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sheet { width: 190mm; margin: 0 auto; }
h1 { font-size: 14pt; margin: 0 0 3mm 0; font-weight: 600; }
.headlines { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2.5mm; margin-bottom: 3mm; }
.headline { border: 1px solid #cbd2d9; border-radius: 2mm; padding: 2mm 2.5mm; break-inside: avoid; }
.headline .label { font-size: 8.5pt; color: #52606d; margin: 0; }
.headline .value { font-size: 17pt; font-weight: 600; margin: 0.5mm 0 1mm 0; }
.headline .detail { font-size: 7.5pt; color: #3e4c59; margin: 0; }
.headline .note { font-size: 7.5pt; font-style: italic; margin: 1mm 0 0 0; }
.charts { display: flex; justify-content: space-between; margin-bottom: 2mm; }
.chart { break-inside: avoid; }
h2 { font-size: 10pt; margin: 0 0 1mm 0; }
ul.messages { margin: 0 0 2mm 0; padding-left: 5mm; }
ul.messages li { margin-bottom: 1mm; }
.illustrative { font-weight: 700; margin: 0 0 2mm 0; }
.source { font-size: 7.5pt; color: #52606d; margin: 0; }
@media print { .sheet { margin: 0; } }
"""

# no mode bar, no zoom or hover boxes: a sheet to print, drawn at its fixed size
CHART_CONFIG = {"displayModeBar": False, "staticPlot": True, "responsive": False}


def _chart(fig: dict, n: int, with_plotlyjs: bool) -> str:
    """One chart as a <div> and its script; the first carries the plotly.js bundle (inline, never a CDN)."""

    return go.Figure(fig).to_html(full_html=False, include_plotlyjs=with_plotlyjs, config=CHART_CONFIG,
                                  div_id=f"brief-chart-{n}", default_width=f"{fig['layout']['width']}px",
                                  default_height=f"{fig['layout']['height']}px")


def _headline(h) -> str:
    note = f'<p class="note">{escape(_("Illustrative sample figure."))}</p>' if h.illustrative else ""
    return (f'<div class="headline"><p class="label">{escape(h.label)}</p><p class="value">{escape(h.value)}</p>'
            f'<p class="detail">{escape(h.detail)}</p>{note}</div>')


def brief_html(brief: Brief, source: str) -> str:
    """The brief as one HTML page, in the current language (``i18n.language``).

    Args:
        brief: What ``build_brief`` gives for day D.
        source: Where the data comes from, e.g. the files' names, for the line at the foot.

    Returns:
        The HTML text: ``<html lang>`` the current language, the CSS, the plotly.js bundle once, no
        outside reference.
    """
    title = _("Convention on Cluster Munitions · {heading}").format(heading=brief.heading)
    charts = "".join(f'<div class="chart">{_chart(fig, n, n == 0)}</div>' for n, fig in enumerate(brief.charts))
    messages = "".join(f"<li>{escape(m)}</li>" for m in brief.messages)
    illustrative = f'<p class="illustrative">{escape(brief.illustrative)}</p>' if brief.illustrative else ""
    foot = _("Data as at {day} · Source: {source} · CCM Analytics").format(day=fmt.long_day(brief.as_of),
                                                                        source=source)
    return (f'<!DOCTYPE html>\n<html lang="{i18n.current()}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main class=\"sheet\">\n"
            f"<h1>{escape(title)}</h1>\n"
            f'<section class="headlines">{"".join(_headline(h) for h in brief.headlines)}</section>\n'
            f'<section class="charts">{charts}</section>\n'
            f"<section><h2>{escape(_('Key messages'))}</h2><ul class=\"messages\">{messages}</ul>\n"
            f"{illustrative}</section>\n"
            f'<p class="source">{escape(foot)}</p>\n</main>\n</body>\n</html>\n')
