"""A chart's data as a table: the rows a Plotly figure draws, written as the pages write them, and the
HTML table folded under each chart (for screen readers and copying)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re

import numpy as np
import pandas as pd

from .. import formatting as fmt
from ..figures import daily_table_days
from ..i18n import _


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
