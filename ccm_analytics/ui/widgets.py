"""Shared page pieces: header, sample-data notice, cards, charts, tables with downloads (the HTML table:
:mod:`.tables`; a chart's data as a table: :mod:`.chart_tables`)."""

from __future__ import annotations

import html
from dataclasses import dataclass
import os
import re
import hashlib
from urllib.parse import urlencode

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
from .frame import page_address
from .chart_tables import chart_table_html
from .tables import html_table, null_free, rich
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


def page_href(page: str, query: dict | None = None) -> tuple[str, str]:
    """(href, address) of a page of the app with the run's day and language in its address."""

    address = page_address(page)
    params = {"as_of": ctx().as_of.date().isoformat(),
              **({"lang": i18n.current()} if i18n.current() != i18n.DEFAULT else {}), **(query or {})}
    return f"./{address}?{urlencode(params)}", address


def paragraph(lines: list[str], link: tuple[str, str, dict | None] | None = None) -> None:
    """Lines of text (``**bold**`` allowed) as one paragraph, with an optional last line linking to a
    page of the app: (words, page, more of its address), switched in place like the navigation's."""
    parts = [rich(line) for line in lines]
    if link is not None:
        words, page, query = link
        href, address = page_href(page, query)
        parts.append(f"<a href='{html.escape(href)}' data-ccm-nav='{html.escape(address)}'>{html.escape(words)} →</a>")
    st.html("<p class='ccm-paragraph'>" + "<br>".join(parts) + "</p>")


def metric_html(m: Metric, key: str, card: bool = False) -> str:
    """One headline number as HTML (see :func:`metrics`)."""
    e = html.escape
    label = f"<span>{rich(m.label)}</span>"
    if m.help:
        name = _("Help for {label}").format(label=m.label)
        label += (f"<button type='button' class='ccm-help' aria-label='{e(name)}'"
                  f" aria-describedby='{key}-help'>?</button><span role='tooltip' id='{key}-help' class='ccm-tip'>"
                  f"{rich(m.help)}</span>")
    parts = [f"<div class='ccm-metric{' ccm-card' if card else ''}'>", f"<p class='ccm-metric-label'>{label}</p>",
             f"<p class='ccm-metric-value'>{e(str(m.value))}</p>"]
    if m.delta:
        negative = m.delta.strip().startswith(("-", "\u2212"))
        tone = "off" if m.delta_color == "off" else (
            "bad" if negative == (m.delta_color == "normal") else "good")
        arrow = ("<span aria-hidden='true'>" + ("↓" if negative else "↑") + "</span> ") if m.delta_arrow else ""
        parts.append(f"<p class='ccm-delta ccm-delta-{tone}'>{arrow}{e(m.delta)}</p>")
    if m.caption:
        parts.append(f"<p class='ccm-metric-caption'>{rich(m.caption)}</p>")
    if m.note:
        parts.append(f"<p class='ccm-metric-caption'><em>{rich(m.note)}</em></p>")
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
