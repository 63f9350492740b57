"""Small tables as accessible HTML (the pages' tables up to ``widgets.HTML_TABLE_ROWS`` rows), and the
data grid's frames with every cell filled, written as the HTML table writes them."""

from __future__ import annotations

import datetime as dt
import html
import re

import pandas as pd
import streamlit as st

from .. import formatting as fmt
from ..i18n import _


def rich(text: str) -> str:
    """Text as HTML: escaped, with ``**bold**`` kept."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(fmt.typography(str(text))))


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
    cap = f"<caption>{rich(caption)}</caption>" if caption else ""
    # the box scrolls sideways on a narrow screen: focusable, so it scrolls from the keyboard too
    attrs = " tabindex='0'" + (f" data-table='{e(key, quote=True)}'" if key else "") + (
        f" role='region' aria-label='{e(caption.replace('**', ''), quote=True)}'" if caption else "")
    # On a phone the caption is written above the box, where it wraps (a caption is as wide as its table and
    # would be cut by the box); screen readers read the table's own caption. The hint shows when the box
    # scrolls (screen.js marks it).
    above = f"<p class='ccm-table-caption' aria-hidden='true'>{rich(caption)}</p>" if caption else ""
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
