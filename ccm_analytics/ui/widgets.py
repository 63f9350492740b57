"""Shared page pieces: header, sample-data notice, cards, charts, tables with downloads."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
import os
import re
import hashlib
from urllib.parse import urlencode
import base64

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import numpy as np

from .. import figures
from .. import formatting as fmt
from .. import i18n
from .. import provenance as prov
from ..export import readable_csv
from ..i18n import _, ngettext
from .context import RunContext, ctx
from ..figures import daily_table_days
from .frame import page_address
from ..countries import picker_label  # the label carries the usual other names: "Eswatini (Swaziland)"

CHART_CONFIG = {"displaylogo": False, "topojsonURL": "app/static/",
                "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def header(title: str, what: str) -> RunContext:
    """Page title, what the page answers, the as-of day and (for sample data) the notice."""
    run = ctx()
    st.title(title)
    st.caption(fmt.typography(what + " " + _("Figures as at **{day}** (change the day in the sidebar).").format(
        day=fmt.long_day(run.as_of))))
    sample_notice(run)
    return run


def sample_notice(run: RunContext) -> None:
    """The notice of illustrative data, naming the illustrative datasets this page shows (none: no notice)."""
    what = [prov.ILLUSTRATIVE_WHAT[d] for d in run.illustrative]
    if what:
        one = what in (["spend"], ["work-plan progress"])  # English agreement: "the spend is", "the budgets are"
        notice = (_("**Sample data.** On this page, the {what} is **illustrative**, not real figures. "
                    "Load your own data on the Data page.") if one else
                  _("**Sample data.** On this page, the {what} are **illustrative**, not real figures. "
                    "Load your own data on the Data page."))
        shares = [_("{what}: {share}").format(what=prov.ILLUSTRATIVE_WHAT[d], share=share)
                  for d in run.illustrative if (share := run.sample_share(d))]
        if shares:  # real rows joined the sample's: say how much is still illustrative (DOMAIN §3b)
            notice += " " + _("Mixed with your own rows: {shares}.").format(shares="; ".join(shares))
        st.info(notice.format(what=fmt.and_list(what)), icon=":material/info:")


def empty(message: str, hint: str = "") -> None:
    """A helpful empty state instead of a blank chart."""
    st.info(fmt.typography(message + (f"  \n{hint}" if hint else "")), icon=":material/inbox:")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(builder: str, args: tuple, kwargs: tuple, lang: str = "en") -> tuple[go.Figure, str]:
    """A figure and its data table built once per distinct input (the inputs are this run's data, day
    and language: its words are written in ``lang``, the run's language).

    Kept as the figure object itself (a resource, never copied or changed): ``st.plotly_chart``
    validates a dict afresh on every run (20-60 ms a chart), a figure object not at all.
    """

    fig = getattr(figures, builder)(*args, **dict(kwargs))
    return fig, chart_table_html(fig.to_plotly_json())


@st.cache_resource(max_entries=64, show_spinner=False)
def _figure_from_dict(digest: str, _fig: dict) -> tuple[go.Figure, str]:
    return go.Figure(_fig), chart_table_html(_fig)


def _digest(obj, h) -> None:
    """Feed ``obj`` (a figure's dict: dicts, lists, arrays, scalars) to the hash ``h`` by its content.

    Not ``pickle.dumps``: its bytes depend on which equal strings are one object, which differs
    between a freshly built figure and the copy a cached view hands out on the next run (a second
    figure validation, 50 ms, for every new brief)."""

    if isinstance(obj, dict):
        h.update(b"{")
        for k in sorted(obj, key=str):
            h.update(f"{k!r}:".encode())
            _digest(obj[k], h)
        h.update(b"}")
    elif isinstance(obj, (list, tuple)):
        h.update(b"[")
        for v in obj:
            _digest(v, h)
        h.update(b"]")
    elif isinstance(obj, np.ndarray) and obj.dtype != object:
        h.update(f"<{obj.dtype}{obj.shape}>".encode())
        h.update(np.ascontiguousarray(obj).tobytes())
    elif isinstance(obj, np.ndarray):
        _digest(obj.tolist(), h)
    else:
        h.update(f"{type(obj).__name__}:{obj!r};".encode())


def figure_and_table(fig: dict) -> tuple[go.Figure, str]:
    """A figure given as a dict, as a figure object and its data table, made once per distinct figure:
    ``st.plotly_chart`` validates a dict afresh on every run (20-60 ms a chart), an object not at all."""

    h = hashlib.blake2b(digest_size=16)
    _digest(fig, h)
    return _figure_from_dict(h.hexdigest(), fig)


def plot(builder, *args, name: str, key: str | None = None, **kwargs) -> None:
    """Build a figure with ``figures.<builder>`` (cached on its inputs) and draw it with :func:`chart`."""
    fig, table_html = _figure(builder.__name__, args, tuple(sorted(kwargs.items())), i18n.current())
    chart(fig, name, key=key, table_html=table_html)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}([ T]00:00(:00)?)?")


def _cell(v, percent: bool = False, category: bool = False) -> str:
    """One value of a chart's data, written as the pages write it ("–" when there is none)."""
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    if isinstance(v, str):
        return fmt.day(v) if _ISO_DAY.fullmatch(v) else html.unescape(v)
    if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
        return fmt.day(v)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if percent:
        return fmt.pct(v)
    if category and float(v).is_integer():
        return str(int(v))  # a year: no thousands separator
    return fmt.number(v) if float(v).is_integer() or abs(v) >= 100 else fmt.number(v, 2)


def _values(x) -> list:
    if x is None:
        return []
    if isinstance(x, dict) and "bdata" in x:  # Plotly's typed array: base64 bytes of a numpy dtype

        x = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"])
    return list(x.tolist() if hasattr(x, "tolist") else x)


def _axis_title(layout: dict, axis: str) -> str:
    title = (layout.get(axis) or {}).get("title")
    return str((title.get("text") if isinstance(title, dict) else title) or "")


def chart_table_rows(fig: dict) -> tuple[list[str], list[list[str]]]:
    """A Plotly figure's data as (header, rows): one row per category, one column per series.

    Heatmaps give their grid of cell texts; horizontal bars with a ``base`` (time spans) give
    "from – to"; maps give each place with its series.
    """
    layout = fig.get("layout") or {}
    given = (layout.get("meta") or {}).get("table") if isinstance(layout.get("meta"), dict) else None
    if given:  # the figure's builder wrote its table (the points drawn are not the table's rows)
        return [str(h) for h in given["header"]], [[str(r[0])] + [_cell(v) for v in r[1:]] for r in given["rows"]]
    traces = []
    for t in fig.get("data") or []:
        xs, ys = _values(t.get("x")), _values(t.get("y"))
        if any(v is not None for v in xs + ys + _values(t.get("z")) + _values(t.get("locations"))):
            traces.append((t, xs, ys))
    for t, xs, ys in traces:
        if t.get("type") == "heatmap":
            cells = t.get("text") if t.get("text") is not None else t.get("z")
            header = [_axis_title(layout, "yaxis") or _("State")] + [str(v) for v in xs]
            return header, [[html.unescape(str(y))] + [_cell(c) for c in row] for y, row in zip(ys, cells)]
    meta = layout.get("meta") if isinstance(layout.get("meta"), dict) else {}
    daily = meta.get("daily")
    keep = set().union(*(_daily_rows(xs, meta.get("as_of"), daily) for _t, xs, _ys in traces)) if daily else None
    category_axis = "xaxis"
    header, table = [""], {}
    for t, xs, ys in traces:
        name = html.unescape(str(t.get("name") or ""))
        if t.get("type") in ("choropleth", "scattergeo"):
            if t.get("type") == "choropleth":
                for place in _values(t.get("text")):
                    table.setdefault(html.unescape(str(place)), {})[_("Status")] = name
            header = [_("State"), _("Status")]
            continue
        horizontal = t.get("orientation") == "h" or (
            any(isinstance(v, str) for v in ys) and not any(isinstance(v, str) for v in xs))
        cats, vals = (ys, xs) if horizontal else (xs, ys)
        category_axis, value_axis = ("yaxis", "xaxis") if horizontal else ("xaxis", "yaxis")
        percent = "%" in str((layout.get(value_axis) or {}).get("tickformat") or "")
        column = name or _axis_title(layout, value_axis) or _("Value")
        base = _values(t.get("base"))
        if column not in header:
            header.append(column)
        for i, (c, v) in enumerate(zip(cats, vals)):
            if keep is not None:
                day = _day_of(c)
                if day not in keep:
                    continue
                c = fmt.day_month(day) if daily == "days_of_year" else fmt.day(day)
            if base and v is not None:
                start = pd.Timestamp(base[i])
                text = f"{fmt.day(start)} – {fmt.day(start + pd.Timedelta(milliseconds=float(v)))}"
            else:
                text = _cell(v, percent)
            table.setdefault(_cell(c, category=True).replace("<br>", " "), {})[column] = text
    if header[0] == "":
        header[0] = (_("Day of the year") if daily == "days_of_year" else _("Day") if daily else None) \
            or _axis_title(layout, category_axis) or _("Category")
    return header, [[c] + [row.get(h, "–") for h in header[1:]] for c, row in table.items()]


def _day_of(v) -> pd.Timestamp | None:
    """A category value as a day (ISO text, a timestamp or a date), else None."""
    if isinstance(v, str):
        return pd.Timestamp(v[:10]) if _ISO_DAY.match(v[:10]) else None
    if isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
        return pd.Timestamp(v).normalize()
    return None


def _daily_rows(categories: list, as_of: str | None, daily: str) -> set:
    """The days a day-by-day series' table shows (:func:`figures.daily_table_days`)."""

    return daily_table_days([d for d in map(_day_of, categories) if d is not None], as_of,
                            one_calendar=daily == "days_of_year")


def chart_table_html(fig: dict) -> str:
    """The chart's data as an HTML table folded under the chart (for screen readers and copying)."""
    header, rows = chart_table_rows(fig)
    title = (((fig.get("layout") or {}).get("title") or {}).get("text") or _("the chart")).replace("<br>", " ")
    e = html.escape
    head = "".join(f"<th scope='col'>{e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<th scope='row'>{e(r[0])}</th>" if i == 0 else f"<td>{e(v)}</td>"
                                    for i, v in enumerate(r)) + "</tr>" for r in rows)
    daily = ((fig.get("layout") or {}).get("meta") or {})
    summary = (_("The data of {title} (table: each month's end and the as-of day)") if isinstance(daily, dict)
               and daily.get("daily") else _("The data of {title} (table)")).format(title=e(html.unescape(title)))
    return (f"<details class='ccm-chart-data'><summary>{summary}</summary>"
            f"<div class='ccm-scroll'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
            "</details>")


def tabs(labels: dict[str, str], key: str) -> list:
    """Tabs whose content is built only when open (``if tab.open:``), so hidden charts cost nothing.

    Args:
        labels: Each tab's key -> its label in the run's language (``{"overdue": _("Overdue")}``).
        key: The address's parameter naming the open tab.

    The open tab is kept in the address by its key (``?reports_tab=overdue``), not by its label: a link
    opens the same tab in every language, and switching language keeps it. The first tab is the address
    without the parameter; an unknown key opens the first tab.
    """
    keys = list(labels)
    wanted = str(st.query_params.get(key) or "")
    chosen = wanted if wanted in labels else keys[0]
    if wanted and wanted not in labels:
        del st.query_params[key]
    st.session_state[key] = labels[chosen]  # the address decides; the callback keeps it in step

    def _to_address() -> None:
        label = st.session_state.get(key)
        opened = next((k for k, text in labels.items() if text == label), keys[0])
        if opened == keys[0]:
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = opened

    return st.tabs(list(labels.values()), key=key, on_change=_to_address)


def chart(fig, name: str, key: str | None = None, table_html: str | None = None) -> None:
    """Draw a Plotly figure; its camera button saves a 1920x1080 PNG named after it and the day.

    Under it, the chart's data as a table (folded). A figure whose layout meta sets
    ``min_width`` keeps that width on a narrow screen and scrolls sideways instead of shrinking.
    """
    run = ctx()
    config = {**CHART_CONFIG, "toImageButtonOptions": {
        "format": "png", "width": 1920, "height": 1080, "scale": 1,
        "filename": f"ccm-{slug(name)}-{run.as_of.date().isoformat()}"}}
    meta = ((fig.get("layout") or {}).get("meta") if isinstance(fig, dict) else fig.layout.meta) or {}
    if isinstance(meta, dict) and meta.get("min_width"):  # screen.css has a rule per width used
        with st.container(key=f"wide-chart-w{int(meta['min_width'])}-{slug(name)}"):
            st.plotly_chart(fig, config=config, key=key)
    else:
        st.plotly_chart(fig, config=config, key=key)
    st.html(table_html if table_html is not None else
            chart_table_html(fig if isinstance(fig, dict) else fig.to_plotly_json()))


@dataclass(frozen=True)
class Metric:
    """A headline number, as drawn by :func:`metrics`.

    Attributes:
        label: What is counted (with its unit). value: The number, written.
        caption: Its one-line meaning, under it (``**bold**`` allowed).
        note: A second line in italics (for example "Illustrative sample figure.").
        help: A longer explanation, behind a "?" button.
        delta: A comparison under the number ("+0.3% vs budget"); a leading "-" makes it negative.
        delta_color: ``normal`` (up is good, green), ``inverse`` (up is bad, red) or ``off`` (grey).
        delta_arrow: Whether an arrow shows the comparison's direction.
        page: The page that explains it (``pages/budget.py``), linked as ``link`` (default "Details").
        query: More of that page's address (the tab to open, by its key: ``{"reports_tab": "overdue"}``).
    """

    label: str
    value: str
    caption: str = ""
    note: str = ""
    help: str = ""
    delta: str | None = None
    delta_color: str = "normal"
    delta_arrow: bool = True
    page: str | None = None
    link: str = ""
    query: dict | None = None


def _rich(text: str) -> str:
    """Text as HTML: escaped, with ``**bold**`` kept."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(fmt.typography(str(text))))


def page_href(page: str, query: dict | None = None) -> tuple[str, str]:
    """(href, address) of a page of the app with the run's day and language in its address."""

    address = page_address(page)
    params = {"as_of": ctx().as_of.date().isoformat(),
              **({"lang": i18n.current()} if i18n.current() != i18n.DEFAULT else {}), **(query or {})}
    return f"./{address}?{urlencode(params)}", address


def paragraph(lines: list[str], link: tuple[str, str, dict | None] | None = None) -> None:
    """Lines of text (``**bold**`` allowed) as one paragraph, with an optional last line linking to a
    page of the app: (words, page, more of its address), switched in place like the navigation's."""
    parts = [_rich(line) for line in lines]
    if link is not None:
        words, page, query = link
        href, address = page_href(page, query)
        parts.append(f"<a href='{html.escape(href)}' data-ccm-nav='{html.escape(address)}'>{html.escape(words)} →</a>")
    st.html("<p class='ccm-paragraph'>" + "<br>".join(parts) + "</p>")


def metric_html(m: Metric, key: str, card: bool = False) -> str:
    """One headline number as HTML (see :func:`metrics`)."""
    e = html.escape
    label = f"<span>{_rich(m.label)}</span>"
    if m.help:
        name = _("Help for {label}").format(label=m.label)
        label += (f"<button type='button' class='ccm-help' aria-label='{e(name)}'"
                  f" aria-describedby='{key}-help'>?</button><span role='tooltip' id='{key}-help' class='ccm-tip'>"
                  f"{_rich(m.help)}</span>")
    parts = [f"<div class='ccm-metric{' ccm-card' if card else ''}'>", f"<p class='ccm-metric-label'>{label}</p>",
             f"<p class='ccm-metric-value'>{e(str(m.value))}</p>"]
    if m.delta:
        negative = m.delta.strip().startswith(("-", "\u2212"))
        tone = "off" if m.delta_color == "off" else (
            "bad" if negative == (m.delta_color == "normal") else "good")
        arrow = ("<span aria-hidden='true'>" + ("↓" if negative else "↑") + "</span> ") if m.delta_arrow else ""
        parts.append(f"<p class='ccm-delta ccm-delta-{tone}'>{arrow}{e(m.delta)}</p>")
    if m.caption:
        parts.append(f"<p class='ccm-metric-caption'>{_rich(m.caption)}</p>")
    if m.note:
        parts.append(f"<p class='ccm-metric-caption'><em>{_rich(m.note)}</em></p>")
    if m.page:
        href, address = page_href(m.page, m.query)
        text = m.link or _("Details")
        parts.append(f"<a class='ccm-metric-link' href='{e(href)}' data-ccm-nav='{e(address)}'>"
                     f"{e(text)} <span aria-hidden='true'>→</span></a>")
    parts.append("</div>")
    return "".join(parts)


def metrics(items: list[Metric], key: str, columns: int | None = None, cards: bool = False) -> None:
    """Headline numbers side by side, as one element.

    ``columns`` per row (default: all in one row); on a phone they stack. ``cards`` draws each in a
    frame. One HTML element instead of a column, a metric, a caption and a link per number: every
    Streamlit element costs the browser 3-5 ms on every visit, and a page of cards had thirty.
    Links switch the page without reloading it (see ``frame.navigation``).
    """
    cols = columns or len(items)
    inner = "".join(metric_html(m, f"ccm-m-{slug(key)}-{i}", cards) for i, m in enumerate(items))
    st.html(f"<div class='ccm-metrics ccm-cols-{cols}'>{inner}</div>")


def table(frame: pd.DataFrame, name: str, column_config: dict | None = None, height: int | str = "auto",
          key: str | None = None, columns: list[str] | None = None, status_columns: tuple[str, ...] = (),
          caption: str | None = None) -> None:
    """A table (only ``columns``, if given) with a CSV download named after it and the as-of day.

    ``status_columns`` are shown as words with a coloured mark, and downloaded as words. ``caption``
    (optional, translated by the caller, ``**bold**`` allowed) is written above the table: a small
    table's own caption, so that a screen reader names the table by it (see :func:`grid`).
    """
    run = ctx()
    shown = frame[columns] if columns else frame
    rates = tuple(c for c, cfg in (column_config or {}).items() if _is_pct(cfg) and c in shown.columns)
    scaled = tuple(c for c in rates if column_config[c]["type_config"]["format"] == fmt.PCT_FORMAT)
    data = shown.assign(**{c: shown[c] * 100 for c in scaled}) if scaled else shown  # shown as 61.2%
    # the browser's own formats cut digits instead of rounding: round here (43,572.9 -> 43 573; 0.1675 -> 16,8 %)
    digits = {c: (0 if cfg["type_config"]["format"] == "localized" else fmt.PCT_DECIMALS + 2)
              for c, cfg in (column_config or {}).items() if c in data.columns and isinstance(cfg, dict)
              and (cfg.get("type_config") or {}).get("format") in ("localized", "percent")}
    if digits:
        data = data.assign(**{c: pd.to_numeric(data[c], errors="coerce").round(d) for c, d in digits.items()})
    grid(data, column_config=column_config, height=height, key=key or slug(name), status_columns=status_columns,
         caption=caption)
    if status_columns:
        shown = shown.assign(**{c: shown[c].map(fmt.label) for c in status_columns})
    headers = {c: cfg if isinstance(cfg, str) else (cfg.get("label") or c) for c, cfg in (column_config or {}).items()}
    st.download_button(
        _("Download CSV"), _in_language(i18n.current(), readable_csv, shown, headers, rates),  # written when clicked
        file_name=f"ccm-{slug(name)}-{run.as_of.date().isoformat()}.csv", mime="text/csv",
        icon=":material/download:", key=f"dl-{key or slug(name)}", on_click="ignore")  # no rerun of the page


# Tables up to this many rows are written as HTML tables: a data grid costs the browser 40-100 ms to
# draw (a canvas, measured fonts), an HTML table of 50 rows next to nothing; larger ones keep the grid
# (scrolling, sorting). CCM_HTML_TABLE_ROWS changes the threshold (0: every table as a grid).
HTML_TABLE_ROWS = int(os.environ.get("CCM_HTML_TABLE_ROWS", "50"))


def _in_language(lang: str, build, *args):
    """A download's contents built when clicked, in the language of the page it was offered on."""
    def made():
        with i18n.language(lang):
            return build(*args)

    return made


def grid(frame: pd.DataFrame, column_config: dict | None = None, height: int | str = "auto", key: str | None = None,
         column_order: list[str] | None = None, status_columns: tuple[str, ...] = (), caption: str | None = None) -> None:
    """A table with every cell filled: a cell without a value shows "–" (Streamlit would draw "None"),
    keeping the column's format; ``status_columns`` as words on their colour.

    Up to ``HTML_TABLE_ROWS`` rows: a static HTML table (:func:`html_table`, ``caption`` above it);
    more: ``st.dataframe``.
    """
    shown = frame[column_order] if column_order else frame
    if len(shown) <= HTML_TABLE_ROWS:
        st.html(html_table(shown, column_config or {}, status_columns=status_columns, caption=caption, key=key))
        return
    if caption:
        st.markdown(caption)
    # In French and Spanish the grid would write numbers and days in the browser's conventions
    # ("2,777", "28/01/2011"): they are written here as text, as the HTML table writes them.
    shown, config = null_free(shown, column_config or {}, as_text=i18n.current() != i18n.DEFAULT,
                              keep=status_columns)
    data = status_styler(shown, status_columns) if status_columns else shown
    st.dataframe(data, hide_index=True, column_config=config, height=height, key=key)


def _column_spec(column: str, cfg) -> tuple[str, str | None, str | None, dict]:
    """(label, kind, number or date format, the rest) of a column's ``column_config`` entry."""
    if isinstance(cfg, str):
        return cfg, None, None, {}
    if isinstance(cfg, dict):
        tc = cfg.get("type_config") or {}
        return cfg.get("label") or column, tc.get("type"), tc.get("format"), {**tc, "help": cfg.get("help")}
    return column, None, None, {}


def _plain_number(v) -> str:
    """A number in a column without a format, as the data grid writes it (1234, 0.1235)."""
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:.4f}".rstrip("0").rstrip(".")


def html_table(frame: pd.DataFrame, column_config: dict | None = None, status_columns: tuple[str, ...] = (),
               caption: str | None = None, key: str | None = None) -> str:
    """A small table as accessible HTML: column headers (``th scope=col``, each naming its column in
    ``data-col``), the first column's cells as row headers, numbers right-aligned and written in the
    column's format (as the data grid would), "–" where there is no value, status words on their tint,
    links as links. ``caption`` (already translated by the caller) becomes the table's caption."""
    e = html.escape
    config = column_config or {}
    tints = {k: f"background-color: {v}33; font-weight: 600; white-space: nowrap" for k, v in fmt.STATUS_COLOURS.items()}
    head, columns = [], []
    for col in frame.columns:
        label, kind, spec, extra = _column_spec(col, config.get(col))
        values = frame[col]
        numeric = kind in ("number", "progress") or (
            kind is None and pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype))
        if col in status_columns:
            cells = [f"<td style='{tints.get(v, '')}'>{e(fmt.label(v))}</td>" if isinstance(v, str) and v
                     else "<td>–</td>" for v in values.tolist()]
        elif kind == "link":
            shown = extra.get("display_text")
            cells = [f"<td><a href='{e(str(v), quote=True)}' target='_self'>{e(shown or str(v))}</a></td>"
                     if isinstance(v, str) and v.strip() else "<td>–</td>" for v in values.tolist()]
        else:
            write = (lambda v: _cell_text(v, kind, spec)) if kind or not numeric else (
                lambda v: "–" if v is None or pd.isna(v) else _plain_number(v))
            cls = " class=num" if numeric else " class=nw" if kind in ("date", "datetime") else ""
            cells = [f"<td{cls}>{e(write(v))}</td>" for v in values.tolist()]
        columns.append(cells)
        title = f" title='{e(extra['help'], quote=True)}'" if extra.get("help") else ""
        head.append(f"<th scope='col' data-col='{e(str(col), quote=True)}'{' class=num' if numeric else ''}"
                    f"{title}>{e(str(label))}</th>")
    body = []
    for row in zip(*columns):
        first = row[0].replace("<td", "<th scope='row'", 1).removesuffix("</td>") + "</th>" if row else ""
        body.append("<tr>" + first + "".join(row[1:]) + "</tr>")
    cap = f"<caption>{_rich(caption)}</caption>" if caption else ""
    # the box scrolls sideways on a narrow screen: focusable, so it scrolls from the keyboard too
    attrs = " tabindex='0'" + (f" data-table='{e(key, quote=True)}'" if key else "") + (
        f" role='region' aria-label='{e(caption.replace('**', ''), quote=True)}'" if caption else "")
    # On a phone the caption is written above the box, where it wraps (a caption is as wide as its table and
    # would be cut by the box); screen readers read the table's own caption. The hint shows when the box
    # scrolls (screen.js marks it).
    above = f"<p class='ccm-table-caption' aria-hidden='true'>{_rich(caption)}</p>" if caption else ""
    hint = e(_("Swipe or scroll sideways to see the whole table →"))
    return (f"<div class='ccm-table-box'>{above}<p class='ccm-scroll-hint' aria-hidden='true'>{hint}</p>"
            f"<div class='ccm-table'{attrs}><table>{cap}<thead><tr>{''.join(head)}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div></div>")


def _printf(v: float, spec: str | None) -> str:
    """A number written as a Streamlit column format says (``%,.0f``, ``%,d``, ``%.2f``, ``percent``)."""
    if spec == "percent":
        return fmt.pct(v)
    if spec == "localized":  # amounts and counts outside English: whole numbers (step 1)
        return fmt.number(v)
    if spec == fmt.PCT_FORMAT:  # a rate already scaled by 100 (see ``table``)
        return fmt.pct(v / 100)
    m = re.fullmatch(r"%(,?)(?:\.(\d+))?([dfi])", spec or "")
    if not m:
        return fmt.number(v) if float(v).is_integer() else fmt.number(v, 2)
    decimals = 0 if m[3] in "di" else int(m[2] or 6)
    if not m[1] and not decimals:
        return f"{v:.0f}"  # a year or an ID: no thousands separator
    return fmt.number(v, decimals)


def _cell_text(v, kind: str | None, spec: str | None) -> str:
    if v is None or v is pd.NaT or (not isinstance(v, str) and pd.isna(v)):
        return "–"
    if isinstance(v, str):
        return v if v.strip() else "–"
    if kind == "date" or (kind is None and isinstance(v, (pd.Timestamp, dt.date))):
        return fmt.day(v)
    if kind == "datetime":
        return f"{fmt.day(v)}, {pd.Timestamp(v):%H:%M}"
    if isinstance(v, (bool,)) or kind == "checkbox":
        return _("Yes") if v else _("No")
    if isinstance(v, (int, float)) or hasattr(v, "dtype"):
        return _printf(float(v), spec)
    return str(v)


def _numbers_or_days(values: pd.Series, kind: str | None) -> bool:
    return kind in ("number", "progress", "date", "datetime") or (
        kind is None and not pd.api.types.is_bool_dtype(values.dtype)
        and (pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(values.dtype)))


def null_free(frame: pd.DataFrame, column_config: dict, as_text: bool = False,
              keep: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict]:
    """The frame with no empty cell, and its column config to match.

    A column with a missing value (or blank text) becomes text, written in the column's own
    format, with "–" where there is no value; the others are left as they are. ``as_text``: every
    column of numbers or days becomes text too, written as :func:`html_table` writes it in the run's
    language (``2 777``, ``28 janv. 2011``), except the columns in ``keep``.
    """
    config = dict(column_config)
    changed = {}
    for col in frame.columns:
        values = frame[col]
        blank = values.isna()
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            blank = blank | values.map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
        cfg = config.get(col)
        kind_of = _column_spec(col, cfg)[1]
        if not blank.any() and not (as_text and col not in keep and _numbers_or_days(values, kind_of)):
            continue
        label, kind, spec, extra = col, None, None, {}
        if isinstance(cfg, str):
            label = cfg
        elif isinstance(cfg, dict):
            label = cfg.get("label") or col
            kind = (cfg.get("type_config") or {}).get("type")
            spec = (cfg.get("type_config") or {}).get("format")
            extra = {k: cfg[k] for k in ("help", "width") if cfg.get(k)}
        plain = kind is None and pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
            values.dtype)
        # as html_table writes them: a number without a format plainly (1234), the others in their format
        changed[col] = values.map(lambda v, kind=kind, spec=spec, plain=plain: (
            ("–" if pd.isna(v) else _plain_number(v)) if plain else _cell_text(v, kind, spec)))
        numeric = kind in ("number", "progress") or pd.api.types.is_numeric_dtype(values.dtype)
        config[col] = st.column_config.TextColumn(label, alignment="right" if numeric else None, **extra)
    return (frame.assign(**changed) if changed else frame), config


# Column formats shared by the tables. The data grid draws them in the browser, which knows only
# English month names: in French and Spanish a day is written 05/09/2018 and numbers take the
# reader's browser conventions ("localized"), so no English word or separator reaches the grid.
def date_col(label: str) -> st.column_config.DateColumn:
    return st.column_config.DateColumn(label, format="D MMM YYYY" if i18n.current() == "en" else "DD/MM/YYYY")


def chf_col(label: str, currency: str = "CHF") -> st.column_config.NumberColumn:
    if i18n.current() == "en":
        return st.column_config.NumberColumn(f"{label} ({currency})", format="%,.0f")
    return st.column_config.NumberColumn(f"{label} ({currency})", format="localized", step=1)  # whole francs


def pct_col(label: str) -> st.column_config.NumberColumn:
    """A fraction shown as a percentage with the one precision (``table`` scales it by 100 in English;
    in French and Spanish the browser writes the fraction as a percentage in its conventions, 61,2 %)."""
    if i18n.current() == "en":
        return st.column_config.NumberColumn(label, format=fmt.PCT_FORMAT)
    return st.column_config.NumberColumn(label, format="percent", step=10 ** -(fmt.PCT_DECIMALS + 2))


def _is_pct(cfg) -> bool:
    return isinstance(cfg, dict) and (cfg.get("type_config") or {}).get("format") in (fmt.PCT_FORMAT, "percent")


def year_col(label: str) -> st.column_config.NumberColumn:
    """A year (or an ID): a whole number without thousands separators."""
    return st.column_config.NumberColumn(label, format="%d")


def int_col(label: str) -> st.column_config.NumberColumn:
    if i18n.current() == "en":
        return st.column_config.NumberColumn(label, format="%,d")
    return st.column_config.NumberColumn(label, format="localized", step=1)


def status_styler(frame: pd.DataFrame, columns: tuple[str, ...]):
    """Status cells as words on a tint of the status colour (the word carries the meaning)."""
    tints = {k: f"background-color: {v}33; font-weight: 600" for k, v in fmt.STATUS_COLOURS.items()}
    raw = frame[list(columns)]
    shown = frame.assign(**{c: frame[c].map(fmt.label) for c in columns})
    return shown.style.apply(lambda col: [tints.get(v, "") for v in raw[col.name]], subset=list(columns))


def upload_selection(files: list | None, key: str) -> list:
    """The uploaded files to check, so a corrected file is never checked next to the bad one.

    Files added after the selection failed its check replace that selection, and a file added
    with the name of one already chosen replaces it; the files set aside are named (the user
    may remove them with ×). Call :func:`upload_failed` when the check fails.
    """
    files = list(files or [])
    state = st.session_state.setdefault(f"_selection-{key}", {"seen": [], "dropped": [], "failed": False})
    current = {f.file_id: f for f in files}
    new = [i for i in current if i not in state["seen"]]
    if new:
        names = {current[i].name.casefold() for i in new}
        state["dropped"] += [i for i in current if i not in new and i not in state["dropped"]
                             and (state["failed"] or current[i].name.casefold() in names)]
        state["failed"] = False
    state["seen"] = list(current)
    aside = [f.name for f in files if f.file_id in state["dropped"]]
    if aside:
        if len(files) - len(aside) == 1:
            said = ngettext("Checking only the newer file: {names} was replaced and can be removed from the list "
                            "above (×).", "Checking only the newer file: {names} were replaced and can be removed "
                            "from the list above (×).", len(aside))
        else:
            said = ngettext("Checking only the newer files: {names} was replaced and can be removed from the list "
                            "above (×).", "Checking only the newer files: {names} were replaced and can be removed "
                            "from the list above (×).", len(aside))
        st.caption(said.format(names=fmt.md(fmt.and_list(aside))))
    return [f for f in files if f.file_id not in state["dropped"]]


def upload_failed(key: str) -> None:
    """The selection of :func:`upload_selection` failed its check: the next file added replaces it."""
    st.session_state.setdefault(f"_selection-{key}", {"seen": [], "dropped": [], "failed": False})["failed"] = True


def state_picker(names: dict[str, str], key: str = "state") -> str | None:
    """A state selectbox kept in the address as ``?state=ISO3`` (the address wins on load)."""
    wanted = str(st.query_params.get(key) or "").strip().upper()
    if wanted in names:
        st.session_state[key] = wanted

    def _to_url() -> None:
        chosen = st.session_state.get(key)
        if chosen:
            st.query_params[key] = chosen
        elif key in st.query_params:
            del st.query_params[key]

    return st.selectbox(_("State"), list(names), index=None, format_func=lambda c: picker_label(c, names.get(c, c)),
                        key=key,
                        on_change=_to_url, placeholder=_("Choose a state (or add ?state=BGR to the address)"))
