"""Shared page pieces: header, sample-data notice, cards, charts, tables with downloads."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .. import formatting as fmt
from ..export import readable_csv
from .context import RunContext, ctx

CHART_CONFIG = {"displaylogo": False, "topojsonURL": "app/static/",
                "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def header(title: str, what: str) -> RunContext:
    """Page title, what the page answers, the as-of day and (for sample data) the notice."""
    run = ctx()
    st.title(title)
    st.caption(f"{what} Figures as at **{fmt.long_day(run.as_of)}** (change the day in the sidebar).")
    if run.uses_sample:
        st.info("**Sample data.** States, treaty dates, the 2018 budget and the known deadlines are real; "
                "spend, report submission dates, contributions, meetings and other years' budgets are "
                "**illustrative**, not real figures. Load your own data on the Data page.", icon=":material/info:")
    return run


def empty(message: str, hint: str = "") -> None:
    """A helpful empty state instead of a blank chart."""
    st.info(message + (f"  \n{hint}" if hint else ""), icon=":material/inbox:")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


@st.cache_data(max_entries=512, show_spinner=False)
def _figure(builder: str, args: tuple, kwargs: tuple) -> dict:
    """A figure built once per distinct input (the inputs are this run's data and day)."""
    from .. import figures

    return getattr(figures, builder)(*args, **dict(kwargs)).to_plotly_json()


def plot(builder, *args, name: str, key: str | None = None, **kwargs) -> None:
    """Build a figure with ``figures.<builder>`` (cached on its inputs) and draw it with :func:`chart`."""
    chart(_figure(builder.__name__, args, tuple(sorted(kwargs.items()))), name, key=key)


def tabs(labels: list[str], key: str) -> list:
    """Tabs whose content is built only when open (``if tab.open:``), so hidden charts cost nothing."""
    return st.tabs(labels, key=key, on_change="rerun", bind="query-params")


def chart(fig, name: str, key: str | None = None) -> None:
    """Draw a Plotly figure; its camera button saves a 1920x1080 PNG named after it and the day."""
    run = ctx()
    config = {**CHART_CONFIG, "toImageButtonOptions": {
        "format": "png", "width": 1920, "height": 1080, "scale": 1,
        "filename": f"ccm-{slug(name)}-{run.as_of.date().isoformat()}"}}
    st.plotly_chart(fig, config=config, key=key)


def card(label: str, value: str, meaning: str, page: str | None = None, link: str = "", delta: str | None = None,
         delta_color: str = "normal", delta_arrow: str = "auto", help: str | None = None,
         query: dict | None = None) -> None:
    """A headline number with its one-line meaning and a link to its page."""
    with st.container(border=True):
        st.metric(label, value, delta=delta, delta_color=delta_color, delta_arrow=delta_arrow, help=help)
        st.caption(meaning)
        if page:
            st.page_link(page, label=link or "Details", icon=":material/arrow_forward:", query_params=query)


def table(frame: pd.DataFrame, name: str, column_config: dict | None = None, height: int | str = "auto",
          key: str | None = None, columns: list[str] | None = None, status_columns: tuple[str, ...] = ()) -> None:
    """A table (only ``columns``, if given) with a CSV download named after it and the as-of day.

    ``status_columns`` are shown as words with a coloured mark, and downloaded as words.
    """
    run = ctx()
    shown = frame[columns] if columns else frame
    rates = tuple(c for c, cfg in (column_config or {}).items() if _is_pct(cfg) and c in frame.columns)
    data = frame.assign(**{c: frame[c] * 100 for c in rates}) if rates else frame  # shown as 61.2%
    if status_columns:
        shown = shown.assign(**{c: shown[c].map(fmt.label) for c in status_columns})
        data = status_styler(data, status_columns)
    st.dataframe(data, hide_index=True, column_config=column_config, height=height, key=key, column_order=columns)
    headers = {c: cfg if isinstance(cfg, str) else (cfg.get("label") or c) for c, cfg in (column_config or {}).items()}
    st.download_button(
        "Download CSV", readable_csv(shown, headers, rates),
        file_name=f"ccm-{slug(name)}-{run.as_of.date().isoformat()}.csv", mime="text/csv",
        icon=":material/download:", key=f"dl-{key or slug(name)}")


# Column formats shared by the tables.
def date_col(label: str) -> st.column_config.DateColumn:
    return st.column_config.DateColumn(label, format="D MMM YYYY")


def chf_col(label: str, currency: str = "CHF") -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(f"{label} ({currency})", format="%,.0f")


def pct_col(label: str) -> st.column_config.NumberColumn:
    """A fraction shown as a percentage with the one precision (``table`` scales it by 100)."""
    return st.column_config.NumberColumn(label, format=fmt.PCT_FORMAT)


def _is_pct(cfg) -> bool:
    return isinstance(cfg, dict) and (cfg.get("type_config") or {}).get("format") == fmt.PCT_FORMAT


def year_col(label: str) -> st.column_config.NumberColumn:
    """A year (or an ID): a whole number without thousands separators."""
    return st.column_config.NumberColumn(label, format="%d")


def int_col(label: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="%,d")


def status_styler(frame: pd.DataFrame, columns: tuple[str, ...]):
    """Status cells as words on a tint of the status colour (the word carries the meaning)."""
    tints = {k: f"background-color: {v}33; font-weight: 600" for k, v in fmt.STATUS_COLOURS.items()}
    raw = frame[list(columns)]
    shown = frame.assign(**{c: frame[c].map(fmt.label) for c in columns})
    return shown.style.apply(lambda col: [tints.get(v, "") for v in raw[col.name]], subset=list(columns))


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

    from ..countries import picker_label  # the label carries the usual other names: "Eswatini (Swaziland)"

    return st.selectbox("State", list(names), index=None, format_func=lambda c: picker_label(c, names.get(c, c)), key=key,
                        on_change=_to_url, placeholder="Choose a state (or add ?state=BGR to the address)")
