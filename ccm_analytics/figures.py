"""Plotly figure builders: analysis frames in, figures out (no Streamlit here).

Every title says what is shown and as of which day; amounts carry CHF; statuses use the
one palette of ``formatting``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date
import numpy as np

from . import formatting as fmt
from . import i18n
from .i18n import N_, _

FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"
# States too small to see on a 1:110m world map (most are not on it at all): drawn as dots at
# their centroid (latitude, longitude), taken from Natural Earth's 1:50m map (static/world_50m.json).
SMALL_STATES = {
    "AND": (42.54, 1.56), "ATG": (17.08, -61.79), "BHR": (26.04, 50.54), "COK": (-21.22, -159.79),
    "COM": (-11.65, 43.34), "CPV": (15.08, -23.64), "GRD": (12.12, -61.68), "KNA": (17.33, -62.75),
    "LCA": (13.89, -60.97), "LIE": (47.14, 9.54), "LUX": (49.77, 6.07), "MCO": (43.75, 7.41), "MDV": (4.2, 73.5),
    "MLT": (35.89, 14.44), "MUS": (-20.28, 57.57), "NIU": (-19.05, -169.87), "NRU": (-0.52, 166.93),
    "PLW": (7.51, 134.58), "SGP": (1.36, 103.82), "SMR": (43.94, 12.46), "STP": (0.24, 6.61),
    "SYC": (-4.66, 55.48), "TTO": (10.42, -61.29), "VAT": (41.9, 12.43), "VCT": (13.25, -61.2),
    "WSM": (-13.63, -172.44),
}


def subtitle_text(as_of, unit: str | None = None) -> str:
    """The line under a chart's title: "as at <day> · <unit>" (``au 5 sept. 2018`` in French)."""
    return _("as at {day}").format(day=fmt.day(as_of)) + (f" · {unit}" if unit else "")


def _amount(value: str, currency: str) -> str:
    """A Plotly template of an amount written as the language writes amounts: ``CHF %{y:,.0f}``
    in English, ``%{y:,.0f} CHF`` in French and Spanish (the figure's separators do the digits)."""
    return fmt.chf(1, currency).replace("1", value, 1)


def _days(values, pattern: str = "day") -> list[str]:
    """Dates written for people in the language, for hover texts (Plotly's own ``%b`` is English only):
    ``day`` 5 Sep 2018, ``day_month`` 5 Sep, ``month`` Sep 2018, ``month_name`` September."""

    out, seen = [], {}
    for v in values:
        if fmt._missing(v):
            out.append("–")
            continue
        text = seen.get(v)
        if text is None:
            d = pd.Timestamp(v)
            if pattern == "day":
                text = fmt.day(d)
            elif pattern == "day_month":
                text = format_date(d.date(), "d MMM", locale=i18n.locale())
            elif pattern == "month":
                text = fmt.month(d)
            else:
                text = fmt.month_name(d.month, "wide")
            seen[v] = text
        out.append(text)
    return out


def date_ticks(first, last, months: bool | None = None) -> tuple[list, list[str]]:
    """Tick positions and labels of a date axis from ``first`` to ``last``, month and year names in
    the language (Plotly.js writes its own month names in English only, without a locale bundle).

    Years ("2012") when the axis spans more than three years, else months ("sept. 2018"; the
    month's name alone, "sept.", when the axis stays within one year or ``months`` is True).
    """
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if last < first:
        first, last = last, first
    years = last.year - first.year
    if not months and (last - first).days > 3 * 366:
        step = 1 if years <= 8 else 2 if years <= 16 else 5
        ticks = [pd.Timestamp(y, 1, 1) for y in range(first.year, last.year + 1) if y % step == 0]
        ticks = [t for t in ticks if first <= t <= last] or [pd.Timestamp(first.year, 1, 1)]
        return ticks, [str(t.year) for t in ticks]
    n = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next(k for k in (1, 2, 3, 4, 6, 12) if n / k <= 12)
    start = pd.Timestamp(first.year, first.month, 1)
    ticks = [t for t in pd.date_range(start, last, freq="MS") if (t.month - 1) % step == 0 and t >= first]
    ticks = ticks or [start]
    one_year = months or first.year == last.year
    return ticks, [fmt.month_name(t.month) if one_year else fmt.month(t) for t in ticks]


def _date_axis(fig: go.Figure, first, last, months: bool | None = None, axis: str = "x") -> None:
    """Month names of a date axis in the language: English keeps Plotly's own (they follow a zoom);
    French and Spanish get tick labels written here (:func:`date_ticks`)."""
    if i18n.current() == "en" or fmt._missing(first) or fmt._missing(last):
        return
    vals, text = date_ticks(first, last, months)
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(tickmode="array", tickvals=vals, ticktext=text)


def wrap_title(text: str, width: int = 40) -> str:
    """A title (or a long axis label) broken into lines of at most ``width`` characters: Plotly never
    wraps one, so a long title ran off a phone's screen and long labels squeezed the bars."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join(lines + [line])


def _layout(fig: go.Figure, what: str, as_of, unit: str | None = None, height: int = 420, legend: bool = True,
            margin: dict | None = None, min_width: int | None = None, daily: str | None = None,
            table: dict | None = None, **kw) -> go.Figure:
    """House style: two-line title, legend under the plot, room on the right for the last label.

    ``min_width`` (pixels): the narrowest the chart stays readable (long labels beside bars, a
    time line); on a narrower screen it keeps this width and scrolls sideways.
    ``daily``: the chart draws a point for every day ("dates", or "days_of_year" when the x axis
    is one calendar for several years): its data table gives each month's end and the as-of day.
    ``table``: the chart's data table given by its builder (``{"header": [...], "rows": [[...]]}``),
    when the points drawn are not the table's rows.
    """
    meta = {}
    if min_width:
        meta["min_width"] = min_width
    if daily:
        meta["daily"] = daily
        meta["as_of"] = pd.Timestamp(as_of).date().isoformat()
    if table:
        meta["table"] = table
    if meta:
        kw["meta"] = meta
    bottom = 40 + (60 if legend else 0)
    fig.update_layout(
        title=dict(text=wrap_title(what), x=0, xanchor="left", xref="container", y=1, yanchor="top",
                   yref="container", pad=dict(t=12, l=4), font=dict(size=16), automargin=True,
                   subtitle=dict(text=subtitle_text(as_of, unit), font=dict(size=13, color="#5B6770"))),
        template="plotly_white",
        font=dict(family=FONT, size=13, color="#1b2733"),
        height=height + (40 if legend else 0),
        margin=margin or dict(l=10, r=40, t=80 + (20 if len(what) > 40 else 0), b=bottom),
        legend=dict(orientation="h", yanchor="bottom", y=0, yref="container", xanchor="left", x=0,
                    traceorder="normal") if legend else None,
        showlegend=legend,
        hoverlabel=dict(font=dict(family=FONT)),
        separators=fmt.plotly_separators(),  # d3's decimal mark and thousands separator in the language
        **kw,
    )
    return fig


# -- universalization ------------------------------------------------------------------------

def parties_over_time(series: pd.DataFrame, target: int | None, target_year: int | None, as_of,
                      plan: str = "") -> go.Figure:
    """States Parties (step line) and in force, against the target of the action plan in force on D
    (``plan`` its name; no target drawn when that plan sets none)."""
    fig = go.Figure()
    days = _days(series["date"])
    fig.add_scatter(x=series["date"], y=series["states_parties"], name=_("States Parties"), mode="lines",
                    line=dict(shape="hv", color=fmt.BLUE, width=3), customdata=days,
                    hovertemplate=_("{day} · States Parties: {n}").format(day="%{customdata}", n="%{y}")
                    + "<extra></extra>")
    fig.add_scatter(x=series["date"], y=series["in_force"], name=_("Convention in force"), mode="lines",
                    line=dict(shape="hv", color=fmt.SKY, width=2, dash="dot"), customdata=days,
                    hovertemplate=_("{day}: in force for {n}").format(day="%{customdata}", n="%{y}")
                    + "<extra></extra>")
    if target is not None and target_year is not None:
        fig.add_scatter(x=[pd.Timestamp(target_year, 12, 31)], y=[target],
                        name=_("Target: {target} by {year}").format(target=target, year=target_year),
                        mode="markers+text", marker=dict(symbol="star", size=16, color=fmt.ORANGE),
                        text=[_("Target {target}").format(target=target)], textposition="top center",
                        hovertemplate=_("{plan} target: {target} States Parties by {year}").format(
                            plan=plan, target=target, year=target_year) + "<extra></extra>")
        fig.add_hline(y=target, line=dict(color=fmt.ORANGE, width=1, dash="dash"))
    last = series.iloc[-1] if len(series) else None
    if last is not None:
        fig.add_annotation(x=last["date"], y=last["states_parties"], text=f"{int(last['states_parties'])}",
                           showarrow=True, arrowhead=0, ax=30, ay=-20, font=dict(size=14, color=fmt.BLUE))
    fig.update_yaxes(title=_("States"), rangemode="tozero")
    fig.update_xaxes(title=None)
    if len(series):
        end = series["date"].max()
        _date_axis(fig, series["date"].min(), end if target_year is None else max(end, pd.Timestamp(target_year, 12, 31)))
    return _layout(fig, _("States Parties over time against the target") if target is not None
                   else _("States Parties over time"), as_of)


def joins_by_year(joins: pd.DataFrame, as_of) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(x=joins["year"], y=joins["ratifications"], name=_("Ratifications"), marker_color=fmt.BLUE,
                hovertemplate=_("{year}: {n} ratifications").format(year="%{x}", n="%{y}") + "<extra></extra>")
    fig.add_bar(x=joins["year"], y=joins["accessions"], name=_("Accessions"), marker_color=fmt.SKY,
                hovertemplate=_("{year}: {n} accessions").format(year="%{x}", n="%{y}") + "<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=_("New States Parties"))
    fig.update_xaxes(dtick=1, title=None)
    return _layout(fig, _("New States Parties per year"), as_of, height=360)


def _status_hover(status: str) -> str:
    return _("{state}: {status}").format(state="%{text}", status=fmt.label(status)) + "<extra></extra>"


def status_map(status: pd.DataFrame, as_of) -> go.Figure:
    """World map of each state's status (State Party, signatory, withdrawn)."""
    fig = go.Figure()
    order = ["state_party", "signatory", "withdrawn"]
    for s in order:
        sub = status[status["status"] == s]
        if sub.empty:
            continue
        colour = fmt.STATUS_COLOURS[s]
        fig.add_choropleth(locations=sub["iso3"], z=[1] * len(sub), locationmode="ISO-3",
                           colorscale=[[0, colour], [1, colour]], showscale=False, name=fmt.label(s),
                           text=sub["state"].map(fmt.plain), marker_line_color="white", marker_line_width=0.4,
                           hovertemplate=_status_hover(s), showlegend=False)
        small = sub[sub["iso3"].isin(list(SMALL_STATES))]
        fig.add_scattergeo(lat=[SMALL_STATES[c][0] for c in small["iso3"]], lon=[SMALL_STATES[c][1] for c in small["iso3"]],
                           mode="markers", text=small["state"].map(fmt.plain),
                           marker=dict(size=7, color=colour, line=dict(color="white", width=1)),
                           name=f"{fmt.label(s)} ({len(sub)})", legendgroup=s, showlegend=True,
                           hovertemplate=_status_hover(s))
    fig.update_geos(resolution=110, showcountries=True, countrycolor="#FFFFFF", showland=True,
                    landcolor=fmt.LIGHT_GREY, showocean=False, showframe=False, showcoastlines=False,
                    projection_type="natural earth", fitbounds=False, lataxis_range=[-58, 85])
    return _layout(fig, _("States Parties and signatories"), as_of, height=520,
                   margin=dict(l=0, r=0, t=80, b=50))


# -- reporting ----------------------------------------------------------------------------------

def reporting_rates(series: pd.DataFrame, report_type: str, as_of) -> go.Figure:
    """Compliance (on time) and submission rates per year."""
    s = series[series["report_type"] == report_type]
    fig = go.Figure()
    rate = "%{y:" + fmt.PCT_D3 + "}"
    fig.add_bar(x=s["year"], y=s["compliance_rate"], name=_("Compliance rate (on time)"), marker_color=fmt.GREEN,
                customdata=s[["on_time", "due"]], text=[fmt.pct(v) for v in s["compliance_rate"]],
                textposition="outside", cliponaxis=False,
                hovertemplate=_("{year}: {rate} on time ({n} of {due})").format(
                    year="%{x}", rate=rate, n="%{customdata[0]}", due="%{customdata[1]}") + "<extra></extra>")
    fig.add_bar(x=s["year"], y=s["submission_rate"], name=_("Submission rate (on time or late)"), marker_color=fmt.BLUE,
                customdata=s[["due"]], text=[fmt.pct(v) for v in s["submission_rate"]], textposition="outside",
                cliponaxis=False, hovertemplate=_("{year}: {rate} submitted of {due} due").format(
                    year="%{x}", rate=rate, due="%{customdata[0]}") + "<extra></extra>")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.12], title=None)
    fig.update_xaxes(dtick=1, title=_("Year covered") if report_type == "annual" else _("Year due"))
    what = (_("Annual reports: compliance and submission rates by year") if report_type == "annual"
            else _("Initial reports: compliance and submission rates by year"))
    return _layout(fig, what, as_of, barmode="group", bargap=0.25, height=380)


def reporting_mix(series: pd.DataFrame, report_type: str, as_of) -> go.Figure:
    """On time / late / overdue counts per year (stacked)."""
    s = series[series["report_type"] == report_type]
    fig = go.Figure()
    for st in fmt.REPORT_STATUSES:
        fig.add_bar(x=s["year"], y=s[st], name=fmt.label(st), marker_color=fmt.STATUS_COLOURS[st],
                    hovertemplate=_("{year}: {n} {status}").format(
                        year="%{x}", n="%{y}", status=fmt.label(st).lower()) + "<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=_("Reports"))
    fig.update_xaxes(dtick=1, title=None)
    what = (_("Annual reports on time, late and overdue by year") if report_type == "annual"
            else _("Initial reports on time, late and overdue by year"))
    return _layout(fig, what, as_of, height=360)


def status_grid(grid: pd.DataFrame, as_of) -> go.Figure:
    """State x report heatmap of statuses, so repeated misses stand out."""
    codes = {"on_time": 0, "late": 1, "overdue": 2, "not_due": 3}
    z = grid.apply(lambda col: col.map(codes)).to_numpy(dtype=float)
    text = grid.apply(lambda col: col.map(lambda v: fmt.label(v) if isinstance(v, str) else _("Not owed"))).to_numpy()
    colours = [fmt.STATUS_COLOURS[s] for s in ("on_time", "late", "overdue", "not_due")]
    scale = []
    for i, c in enumerate(colours):
        scale += [[i / 4, c], [(i + 1) / 4, c]]
    fig = go.Figure(go.Heatmap(z=z, x=list(grid.columns), y=[fmt.plain(v) for v in grid.index], text=text, zmin=-0.5, zmax=3.5,
                               colorscale=scale, showscale=False, xgap=1, ygap=1,
                               hovertemplate="%{y}, %{x}: %{text}<extra></extra>"))
    for s in ("on_time", "late", "overdue", "not_due"):  # a legend for the colours
        fig.add_scatter(x=[None], y=[None], mode="markers", marker=dict(size=12, color=fmt.STATUS_COLOURS[s],
                        symbol="square"), name=fmt.label(s))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=11))
    fig.update_xaxes(side="top", type="category", title=None)
    height = max(400, 18 * len(grid) + 140)
    fig = _layout(fig, _("Each report's status by state"), as_of, height=height,
                  plot_bgcolor="white", margin=dict(l=10, r=40, t=160, b=40), min_width=680)
    # the legend at the top, above the year labels, where a tall grid's reader starts
    plot_height = height + 40 - 160 - 40
    fig.update_layout(legend=dict(orientation="h", yref="paper", y=1 + 34 / plot_height, yanchor="bottom",
                                  x=0, xanchor="left"))
    return fig


def cohort_compliance(cohorts: pd.DataFrame, as_of) -> go.Figure:
    fig = go.Figure()
    rate = "%{y:" + fmt.PCT_D3 + "}"
    fig.add_bar(x=cohorts["cohort"], y=cohorts["compliance_rate"], name=_("Compliance rate (on time)"),
                marker_color=fmt.GREEN, customdata=cohorts[["states", "due"]],
                hovertemplate=_("Joined {year} ({states} states): {rate} on time of {due} due").format(
                    year="%{x}", states="%{customdata[0]}", rate=rate, due="%{customdata[1]}") + "<extra></extra>")
    fig.add_bar(x=cohorts["cohort"], y=cohorts["submission_rate"], name=_("Submission rate"), marker_color=fmt.BLUE,
                hovertemplate=_("Joined {year}: {rate} submitted").format(year="%{x}", rate=rate) + "<extra></extra>")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    fig.update_xaxes(dtick=1, title=_("Year the Convention entered into force for the state"))
    return _layout(fig, _("Annual reporting by cohort of entry into force"), as_of, barmode="group",
                   height=360)


# -- deadlines ----------------------------------------------------------------------------------

# The timeline's key: one entry per kind of mark, shared by the chart and the caption under it
# (label, colour, how it is drawn). Extensions beyond the fourth reuse the last colour.
# The labels are English (N_); the chart and timeline_key give them in the run's language.
TIMELINE_ORIGINAL = (N_("Original period"), fmt.SLATE, "bar")
TIMELINE_EXTENSIONS = [(N_("Extension 1"), fmt.ORANGE, "bar"), (N_("Extension 2"), fmt.PURPLE, "bar"),
                       (N_("Extension 3"), fmt.SKY, "bar"), (N_("Extension 4 and later"), fmt.NAVY, "bar")]
TIMELINE_PENDING = (N_("Extension requested, not yet decided"), fmt.VERMILLION, "hatched")
TIMELINE_COMPLETED = (N_("Completed"), fmt.GREEN, "diamond")
TIMELINE_AS_OF = (N_("As-of day"), fmt.VERMILLION, "dashed line")


# Long UN names shortened on the timeline's rows (the hover keeps the full name).
SHORT_NAMES = {"United Kingdom of Great Britain and Northern Ireland": "United Kingdom",
               "Lao People's Democratic Republic": "Lao PDR", "Bolivia (Plurinational State of)": "Bolivia",
               "Democratic Republic of the Congo": "DR Congo", "Bosnia and Herzegovina": "Bosnia and Herz."}


def short_label(state: str, article) -> str:
    """A timeline row's label: "Lao PDR · Art. 4" (names over 22 characters are cut with "…")."""
    name = SHORT_NAMES.get(state, state)
    name = name if len(name) <= 22 else name[:21] + "…"
    return fmt.plain(_("{name} · Art. {article}").format(name=name, article=int(article)))


def timeline_key(segments: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The marks :func:`deadline_timeline` draws for these segments, in legend order: (label in the
    run's language, colour, how it is drawn: "bar", "hatched", "diamond" or "dashed line")."""
    key = [TIMELINE_ORIGINAL]
    n = int(segments.loc[segments["kind"] == "extension", "n"].max()) if (segments["kind"] == "extension").any() else 0
    key += TIMELINE_EXTENSIONS[:min(n, len(TIMELINE_EXTENSIONS))]
    if (segments["kind"] == "pending").any():
        key.append(TIMELINE_PENDING)
    if segments["completed_on"].notna().any():
        key.append(TIMELINE_COMPLETED)
    return [(_(label), colour, kind) for label, colour, kind in key + [TIMELINE_AS_OF]]


def _extension_style(n: int) -> tuple[str, str]:
    name, colour, _kind = TIMELINE_EXTENSIONS[min(n, len(TIMELINE_EXTENSIONS)) - 1]
    return _(name), colour


def deadline_timeline(segments: pd.DataFrame, as_of) -> go.Figure:
    """One row per obligation: original period, each extension in order, a pending request
    (hatched), the completion (diamond) and the as-of line. The soonest last deadline at the top."""
    fig = go.Figure()
    segments = segments.assign(label=[short_label(s, a) for s, a in zip(segments["state"], segments["article"])],
                               full=segments["label"].map(fmt.plain))
    last_end = segments.groupby("label")["end"].max().sort_values(ascending=False)
    labels = list(last_end.index)

    def bars(sub: pd.DataFrame, name: str, colour: str, pattern: dict | None = None, legendgroup=None):
        dur = (sub["end"] - sub["start"]).dt.total_seconds() * 1000
        detail = []
        for r in sub.itertuples():
            if r.kind == "extension":
                if isinstance(r.meeting, str) and r.meeting:
                    detail.append(_("granted {day} at the {meeting}").format(day=fmt.day(r.granted_on),
                                                                             meeting=fmt.plain(r.meeting)))
                else:
                    detail.append(_("granted {day}").format(day=fmt.day(r.granted_on)))
            elif r.kind == "pending":
                detail.append(_("requested {day}; the deadline does not move until granted").format(
                    day=fmt.day(r.requested_on)))
            else:
                detail.append(_("entry into force to the original deadline"))
        marker = dict(color=colour if pattern is None else "white", line=dict(color=colour, width=1.5))
        if pattern:
            marker["pattern"] = pattern
        fig.add_bar(y=sub["label"], x=dur, base=sub["start"], orientation="h", name=name, marker=marker,
                    legendgroup=legendgroup or name,
                    customdata=list(zip(sub["start"].map(fmt.day), sub["end"].map(fmt.day), detail, sub["full"])),
                    hovertemplate="%{customdata[3]}<br>" + _("{segment}: {start} to {end}").format(
                        segment=name, start="%{customdata[0]}", end="%{customdata[1]}")
                    + "<br>%{customdata[2]}<extra></extra>")

    orig = segments[segments["kind"] == "original"]
    if len(orig):
        bars(orig, _(TIMELINE_ORIGINAL[0]), TIMELINE_ORIGINAL[1])
    ext = segments[segments["kind"] == "extension"]
    for n, sub in ext.groupby(ext["n"].clip(upper=len(TIMELINE_EXTENSIONS))):
        name, colour = _extension_style(int(n))
        bars(sub, name, colour)
    pend = segments[segments["kind"] == "pending"]
    if len(pend):
        bars(pend[pend["end"] > pend["start"]], _(TIMELINE_PENDING[0]), TIMELINE_PENDING[1],
             pattern=dict(shape="/", fgcolor=TIMELINE_PENDING[1], size=6, solidity=0.35))
        fig.add_scatter(y=pend["label"], x=pend["start"], mode="markers", name=_(TIMELINE_PENDING[0]),
                        legendgroup=_(TIMELINE_PENDING[0]), showlegend=False,
                        marker=dict(symbol="hourglass", size=11, color=TIMELINE_PENDING[1]),
                        customdata=pend["requested_on"].map(fmt.day),
                        hovertemplate=_("{obligation}: extension requested {day}, not yet decided").format(
                            obligation="%{y}", day="%{customdata}") + "<extra></extra>")
    done = segments.dropna(subset=["completed_on"]).drop_duplicates("label")
    if len(done):
        when = [fmt.day(d) if not isinstance(p, str) or p.strip().casefold() == "day"
                else (fmt.month(d, long=True) if p.strip().casefold() == "month" else f"{pd.Timestamp(d).year}")
                for d, p in zip(done["completed_on"], done["completed_precision"])]
        fig.add_scatter(y=done["label"], x=done["completed_on"], mode="markers", name=_(TIMELINE_COMPLETED[0]),
                        marker=dict(symbol="diamond", size=12, color=TIMELINE_COMPLETED[1],
                                    line=dict(color="white", width=1)),
                        customdata=when, hovertemplate=_("{obligation}: completed {when}").format(
                            obligation="%{y}", when="%{customdata}") + "<extra></extra>")
    fig.add_vline(x=pd.Timestamp(as_of).value / 1e6, line=dict(color=TIMELINE_AS_OF[1], width=2, dash="dash"))
    fig.add_annotation(x=pd.Timestamp(as_of), y=1.0, yref="paper", text=_("As at {day}").format(day=fmt.day(as_of)), showarrow=False,
                       yanchor="bottom", font=dict(color=TIMELINE_AS_OF[1]))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", title=None)
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None, autorange="reversed")
    if len(segments):
        _date_axis(fig, min(segments["start"].min(), pd.Timestamp(as_of)), max(segments["end"].max(), pd.Timestamp(as_of)))
    height = max(320, 30 * len(labels) + 150)
    return _layout(fig, _("Article 3 and 4 deadlines and extensions"), as_of, height=height, min_width=720)


def _done_and_open(progress: pd.DataFrame, done: str, still: str, done_name: str, still_name: str, what: str,
                   as_of, height: int) -> go.Figure:
    """A step line of States that completed (green) and of those still to (dotted vermillion)."""
    fig = go.Figure()
    days = _days(progress["date"])
    fig.add_scatter(x=progress["date"], y=progress[done], name=done_name, mode="lines",
                    line=dict(shape="hv", color=fmt.GREEN, width=3), customdata=days,
                    hovertemplate=_("{day} · States Parties, {what}: {n}").format(
                        day="%{customdata}", n="%{y}", what=done_name.lower()) + "<extra></extra>")
    fig.add_scatter(x=progress["date"], y=progress[still], name=still_name, mode="lines",
                    line=dict(shape="hv", color=fmt.VERMILLION, width=2, dash="dot"), customdata=days,
                    hovertemplate=_("{day}: {n} {what}").format(day="%{customdata}", n="%{y}", what=still_name.lower())
                    + "<extra></extra>")
    if len(progress):
        last = progress.iloc[-1]
        fig.add_annotation(x=last["date"], y=last[done], text=f"{int(last[done])}", showarrow=True,
                           arrowhead=0, ax=24, ay=-18, font=dict(size=14, color=fmt.GREEN))
    fig.update_yaxes(title=_("States Parties"), rangemode="tozero")
    fig.update_xaxes(title=None)
    if len(progress):
        _date_axis(fig, progress["date"].min(), progress["date"].max())
    return _layout(fig, what, as_of, height=height)


def record_progress(progress: pd.DataFrame, as_of) -> go.Figure:
    """States Parties that destroyed their stockpiles (step line) and those still to destroy."""
    return _done_and_open(progress, "destroyed", "still_to_destroy", _("Destroyed their stockpiles"),
                          _("Still to destroy"), _("States Parties that destroyed their stockpiles (Article 3)"),
                          as_of, 360)


def submunitions_progress(progress: pd.DataFrame, as_of) -> go.Figure:
    """Submunitions destroyed by States Parties over time (where the record gives a quantity)."""
    millions = progress["submunitions_destroyed"] / 1e6
    fig = go.Figure(go.Scatter(x=progress["date"], y=millions, mode="lines", line=dict(shape="hv", color=fmt.NAVY,
                                                                                       width=3),
                               fill="tozeroy", fillcolor="rgba(31,78,121,0.12)", name=_("Submunitions destroyed"),
                               customdata=_days(progress["date"]),
                               hovertemplate=_("{day} · submunitions destroyed (millions): {n}").format(
                                   day="%{customdata}", n="%{y:.1f}") + "<extra></extra>"))
    fig.update_yaxes(title=_("Million submunitions"), rangemode="tozero")
    fig.update_xaxes(title=None)
    if len(progress):
        _date_axis(fig, progress["date"].min(), progress["date"].max())
    return _layout(fig, _("Submunitions destroyed by States Parties"), as_of, unit=_("million submunitions"),
                   legend=False, height=320)


def clearance_progress(progress: pd.DataFrame, as_of) -> go.Figure:
    """States Parties that completed clearance (step line) and those still to clear."""
    return _done_and_open(progress, "cleared", "still_to_clear", _("Completed clearance"), _("Still to clear"),
                          _("States Parties that completed clearance (Article 4)"), as_of, 320)


# -- budget -----------------------------------------------------------------------------------------

def budget_by_line(lines: pd.DataFrame, year: int, as_of, currency: str = "CHF") -> go.Figure:
    """Budget, spend to date and projected year-end per cost line (horizontal bars)."""
    lines = lines.sort_values("budget").assign(cost_line=lambda f: f["cost_line"].map(fmt.plain))
    fig = go.Figure()
    amount = _amount("%{x:,.0f}", currency)
    fig.add_bar(y=lines["cost_line"], x=lines["budget"], name=_("Budget"), orientation="h", marker_color=fmt.SLATE,
                hovertemplate=_("{line}: budget {amount}").format(line="%{y}", amount=amount) + "<extra></extra>")
    fig.add_bar(y=lines["cost_line"], x=lines["spent"], name=_("Spent to date"), orientation="h", marker_color=fmt.NAVY,
                customdata=lines["burn_rate"], text=[fmt.pct(v) for v in lines["burn_rate"]], textposition="outside",
                cliponaxis=False, hovertemplate=_("{line}: spent {amount} ({rate})").format(
                    line="%{y}", amount=amount, rate="%{customdata:" + fmt.PCT_D3 + "}") + "<extra></extra>")
    fig.add_scatter(y=lines["cost_line"], x=lines["projected_year_end"], mode="markers", name=_("Projected year-end"),
                    marker=dict(symbol="line-ns-open", size=22, line=dict(width=3), color=fmt.ORANGE),
                    hovertemplate=_("{line}: projected {amount}").format(line="%{y}", amount=amount) + "<extra></extra>")
    fig.update_xaxes(title=currency, tickformat=",.0f")
    fig.update_yaxes(title=None)
    return _layout(fig, _("Budget {year} against spend by cost line").format(year=year), as_of, unit=currency,
                   barmode="group", height=max(320, 70 * len(lines) + 120), min_width=600)


def _corners(y) -> list[int]:
    """The points of a day-by-day line where its slope changes, with its first and last point (the
    line's values must be present from its first to its last point; else every point). Drawn
    straight from one to the next they draw exactly the same line as every day (a running total
    flat between spends, a plan rising by the same amount each day) with far fewer points."""

    v = np.asarray(pd.to_numeric(pd.Series(y), errors="coerce"), dtype=float)
    present = np.flatnonzero(~np.isnan(v))
    if len(present) < 3 or present[-1] - present[0] + 1 != len(present):
        return list(present)
    v = v[present[0]:present[-1] + 1]
    step = np.diff(v)
    bends = np.flatnonzero(~np.isclose(step[1:], step[:-1], rtol=1e-9, atol=1e-6)) + 1
    return [int(present[0])] + [int(present[0] + i) for i in bends] + [int(present[-1])]


def cumulative_spend(cum: pd.DataFrame, year: int, as_of, currency: str = "CHF") -> go.Figure:
    """Spend so far, the linear plan and the projection, day by day through the year.

    Each line is drawn through its corners (:func:`_corners`: the same line, with a few dozen points
    instead of 365); its data table, in the figure's meta, gives each month's end and the as-of day,
    read from every day.
    """
    fig = go.Figure()
    amount, days = _amount("%{y:,.0f}", currency), _days(cum["date"], "day_month")
    series = [("plan", _("Linear plan (budget spread evenly)"), dict(color=fmt.GREY, dash="dash"), _("{day}: plan {amount}")),
              ("actual", _("Spent (cumulative)"), dict(color=fmt.NAVY, width=3), _("{day}: spent {amount}"))]
    if cum["projection"].notna().any():
        series.append(("projection", _("Projected to year-end"), dict(color=fmt.ORANGE, dash="dot", width=2),
                       _("{day}: projected {amount}")))
    for column, name, line, hover in series:
        keep = _corners(cum[column])
        fig.add_scatter(x=cum["date"].iloc[keep], y=cum[column].iloc[keep], name=name, mode="lines", line=line,
                        customdata=[days[i] for i in keep],
                        hovertemplate=hover.format(day="%{customdata}", amount=amount) + "<extra></extra>")
    shown = daily_table_days(cum["date"], as_of)
    rows = cum[cum["date"].dt.normalize().isin(shown)] if len(cum) else cum
    table = {"header": [_("Day")] + [name for _c, name, _l, _h in series],
             "rows": [[fmt.day(r["date"])] + [None if pd.isna(r[c]) else float(r[c]) for c, *_rest in series]
                      for _i, r in rows.iterrows()]}
    if pd.Timestamp(as_of).year == year:
        fig.add_vline(x=pd.Timestamp(as_of).value / 1e6, line=dict(color=fmt.VERMILLION, width=1, dash="dash"))
    fig.update_yaxes(title=currency, tickformat=",.0f", rangemode="tozero")
    fig.update_xaxes(title=None, dtick="M1", tickformat="%b")
    if len(cum):
        _date_axis(fig, cum["date"].min(), cum["date"].max(), months=True)
    return _layout(fig, _("Cumulative spend {year} against the linear plan").format(year=year), as_of, unit=currency,
                   height=380, daily="dates", table=table)


def monthly_spend(monthly: pd.DataFrame, year: int, as_of, currency: str = "CHF") -> go.Figure:
    fig = go.Figure()
    palette = [fmt.NAVY, fmt.SKY, fmt.ORANGE, fmt.GREEN, fmt.PURPLE, fmt.YELLOW, fmt.VERMILLION]
    for i, (line, sub) in enumerate(monthly.groupby("cost_line")):
        fig.add_bar(x=sub["month"], y=sub["amount"], name=fmt.plain(line), marker_color=palette[i % len(palette)],
                    customdata=_days(sub["month"], "month_name"),
                    hovertemplate="%{customdata}: " + fmt.plain(line) + " " + _amount("%{y:,.0f}", currency)
                    + "<extra></extra>")
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title=currency, tickformat=",.0f")
    fig.update_xaxes(title=None, dtick="M1", tickformat="%b",
                     range=[pd.Timestamp(year, 1, 1) - pd.Timedelta(days=20), pd.Timestamp(year, 12, 20)])
    _date_axis(fig, pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 1), months=True)
    return _layout(fig, _("Monthly spend {year} by cost line").format(year=year), as_of, unit=currency, height=380)


def contributions_over_year(by_month: pd.DataFrame, budget: float, year: int, as_of, currency="CHF") -> go.Figure:
    fig = go.Figure()
    amount, months = _amount("%{y:,.0f}", currency), _days(by_month["month"], "month")
    fig.add_bar(x=by_month["month"], y=by_month["amount"], name=_("Received in the month"), marker_color=fmt.SKY,
                customdata=months, hovertemplate="%{customdata}: " + amount + "<extra></extra>")
    fig.add_scatter(x=by_month["month"], y=by_month["cumulative"], name=_("Received to date"), mode="lines+markers",
                    line=dict(color=fmt.NAVY, width=3, shape="hv"), customdata=months,
                    hovertemplate=_("{month}: {amount} in total").format(month="%{customdata}", amount=amount)
                    + "<extra></extra>")
    if budget:
        fig.add_hline(y=budget, line=dict(color=fmt.ORANGE, dash="dash"),
                      annotation_text=_("Budget {amount}").format(amount=fmt.chf(budget, currency)),
                      annotation_position="top left")
    fig.update_yaxes(title=currency, tickformat=",.0f", rangemode="tozero")
    fig.update_xaxes(title=_("Month received"), tickformat="%b %Y")
    if len(by_month):
        _date_axis(fig, by_month["month"].min(), by_month["month"].max())
    return _layout(fig, _("Contributions for {year} against the budget").format(year=year), as_of, unit=currency,
                   height=360)


def contributions_by_donor(by_donor: pd.DataFrame, year: int, as_of, currency="CHF") -> go.Figure:
    d = by_donor.sort_values("amount").assign(donor=lambda f: f["donor"].map(fmt.plain))
    fig = go.Figure(go.Bar(y=d["donor"], x=d["amount"], orientation="h", marker_color=fmt.BLUE,
                           text=[fmt.chf_short(v, currency) for v in d["amount"]], textposition="outside",
                           cliponaxis=False, hovertemplate="%{y}: " + _amount("%{x:,.0f}", currency) + "<extra></extra>"))
    # room beyond the longest bar for its label ("CHF 117k"), which would otherwise be clipped
    fig.update_xaxes(title=currency, tickformat=",.0f", range=[0, float(d["amount"].max() or 1) * 1.22])
    return _layout(fig, _("Contributions for {year} by donor").format(year=year), as_of, unit=currency, legend=False,
                   height=max(300, 28 * len(d) + 120), min_width=480)


def multi_year(multi: pd.DataFrame, as_of, currency="CHF") -> go.Figure:
    fig = go.Figure()
    amount = _amount("%{y:,.0f}", currency)
    fig.add_bar(x=multi["year"], y=multi["budget"], name=_("Budget"), marker_color=fmt.SLATE,
                hovertemplate=_("{year}: budget {amount}").format(year="%{x}", amount=amount) + "<extra></extra>")
    fig.add_bar(x=multi["year"], y=multi["spent"], name=_("Spent"), marker_color=fmt.NAVY,
                hovertemplate=_("{year}: spent {amount}").format(year="%{x}", amount=amount) + "<extra></extra>")
    fig.add_bar(x=multi["year"], y=multi["received"], name=_("Contributions received"), marker_color=fmt.SKY,
                hovertemplate=_("{year}: received {amount}").format(year="%{x}", amount=amount) + "<extra></extra>")
    fig.update_yaxes(title=currency, tickformat=",.0f")
    fig.update_xaxes(dtick=1, title=None)
    return _layout(fig, _("Budget, spend and contributions by year"), as_of, unit=currency, barmode="group",
                   height=380)


def daily_table_days(days, as_of=None, one_calendar: bool = False) -> set:
    """The days a day-by-day series' data table shows (DOMAIN §10): the first and last day drawn, each
    month's last day drawn, and the as-of day (on a one-calendar chart, its day and month)."""
    days = sorted({pd.Timestamp(d).normalize() for d in days if not fmt._missing(d)})
    if not days:
        return set()
    by_month = {}
    for d in days:
        by_month[(d.year, d.month)] = d
    keep = {days[0], days[-1], *by_month.values()}
    if as_of is not None:
        day = pd.Timestamp(as_of).normalize()
        if one_calendar:
            leap = days[0].is_leap_year
            day = pd.Timestamp(days[0].year, day.month, day.day if day.month != 2 or day.day < 29 or leap else 28)
        if day in set(days):
            keep.add(day)
    return keep


def _steps(sub: pd.DataFrame, value: str) -> pd.DataFrame:
    """The rows of a day-by-day running total where it changes, with the first and the last day: drawn
    as steps (``line_shape="hv"``) they draw the same line as every day, with a tenth of the points
    (a point costs the browser time to draw)."""
    v = sub[value].to_numpy()
    changed = pd.Series(v).ne(pd.Series(v).shift()).to_numpy().copy()
    changed[0] = changed[-1] = True
    return sub[changed]


def spend_by_day_of_year(by_day: pd.DataFrame, budget: float, year: int, as_of, currency: str = "CHF") -> go.Figure:
    """Cumulative spend through the year, one line per year on one calendar, the year's budget as a line.

    Each line is drawn by its steps (the days its total changes, :func:`_steps`); its data table, in the
    figure's meta, gives every year's total at each month's end and on the as-of day, read from every day.
    """
    fig = go.Figure()
    years = sorted(by_day["year"].unique())
    keep = set().union(*(daily_table_days(by_day.loc[by_day["year"] == y, "position"], as_of, one_calendar=True)
                         for y in years)) if len(by_day) else set()
    at = {(y, pd.Timestamp(p).normalize()): c for y, p, c in zip(by_day["year"], by_day["position"], by_day["cumulative"])}
    table = {"header": [_("Day of the year")] + [str(y) for y in years],
             "rows": [[fmt.day_month(d)] + [at.get((y, d)) for y in years] for d in sorted(keep)]}
    greys = ["#C9D3DD", "#A9BCD0", "#7E98B4", "#56B4E9"]
    for i, y in enumerate(years):
        sub = by_day[by_day["year"] == y]
        current = y == year
        colour = fmt.NAVY if current else greys[max(len(greys) - (len(years) - 1 - i), 0) % len(greys)]
        if len(sub):
            sub = _steps(sub, "cumulative")
        fig.add_scatter(x=sub["position"], y=sub["cumulative"], name=str(y), mode="lines",
                        line=dict(color=colour, width=3.5 if current else 2, shape="hv"),
                        customdata=_days(sub["date"]),
                        hovertemplate=_("{day}: spent {amount}").format(day="%{customdata}",
                                                                         amount=_amount("%{y:,.0f}", currency))
                        + "<extra>" + str(y) + "</extra>")
        if len(sub) and current:
            last = sub.iloc[-1]
            fig.add_annotation(x=last["position"], y=last["cumulative"], text=str(y), showarrow=False,
                               xanchor="left", xshift=4, font=dict(size=12, color=colour))
    if budget:
        fig.add_hline(y=budget, line=dict(color=fmt.ORANGE, dash="dash"),
                      annotation_text=_("Budget {year}: {amount}").format(year=year, amount=fmt.chf(budget, currency)),
                      annotation_position="top left")
    fig.update_yaxes(title=currency, tickformat=",.0f", rangemode="tozero")
    fig.update_xaxes(title=None, dtick="M1", tickformat="%b", range=[pd.Timestamp(2000, 1, 1), pd.Timestamp(2000, 12, 31)])
    _date_axis(fig, pd.Timestamp(2000, 1, 1), pd.Timestamp(2000, 12, 31), months=True)
    return _layout(fig, _("Cumulative spend by day of the year, {year} against earlier years").format(year=year), as_of,
                   unit=currency, height=400, min_width=480, daily="days_of_year", table=table)


# -- meetings and work plan ----------------------------------------------------------------------------

def meetings_per_year(meetings: pd.DataFrame, as_of) -> go.Figure:
    """Meetings held per year, by kind (stacked)."""
    m = meetings.assign(year=meetings["start_date"].dt.year,
                        kind=meetings["kind"].map(fmt.meeting_word).fillna(_("Other")))  # kinds named in the language
    counts = m.groupby(["year", "kind"]).size().unstack(fill_value=0)
    palette = [fmt.NAVY, fmt.SKY, fmt.ORANGE, fmt.GREEN, fmt.PURPLE, fmt.YELLOW, fmt.GREY]
    fig = go.Figure()
    for i, kind in enumerate(counts.columns):
        fig.add_bar(x=counts.index, y=counts[kind], name=fmt.plain(kind), marker_color=palette[i % len(palette)],
                    hovertemplate=_("{year} · {what}: {n}").format(year="%{x}", n="%{y}", what=fmt.plain(kind))
                    + "<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=1, title=None)
    fig.update_yaxes(title=_("Meetings"), dtick=2)
    return _layout(fig, _("Meetings per year by kind"), as_of, height=340)


def sponsorship(meetings: pd.DataFrame, as_of) -> go.Figure:
    """Sponsored delegates and states per meeting (horizontal bars, latest at the top)."""
    m = meetings[meetings["sponsored_delegates"].fillna(0) > 0].sort_values("start_date")
    labels = m["meeting"].map(fmt.plain) + " (" + pd.Series(_days(m["start_date"], "month"), index=m.index) + ")"
    fig = go.Figure()
    fig.add_bar(y=labels, x=m["sponsored_delegates"], name=_("Sponsored delegates"), orientation="h",
                marker_color=fmt.BLUE, hovertemplate=_("{meeting}: {n} delegates").format(meeting="%{y}", n="%{x}")
                + "<extra></extra>")
    fig.add_bar(y=labels, x=m["sponsored_states"], name=_("States sponsored"), orientation="h", marker_color=fmt.SKY,
                hovertemplate=_("{meeting}: {n} states").format(meeting="%{y}", n="%{x}") + "<extra></extra>")
    fig.update_yaxes(title=None)
    fig.update_xaxes(title=_("Delegates / states"))
    return _layout(fig, _("Sponsored delegates and states per meeting"), as_of, barmode="group",
                   height=max(320, 46 * len(m) + 120), min_width=560)


def cost_per_delegate(meetings: pd.DataFrame, as_of, currency="CHF") -> go.Figure:
    m = meetings[meetings["sponsored_delegates"].fillna(0) > 0].sort_values("start_date")
    per = m["sponsorship_cost"] / m["sponsored_delegates"]
    fig = go.Figure(go.Scatter(x=m["start_date"], y=per, mode="lines+markers", text=m["meeting"].map(fmt.plain),
                               line=dict(color=fmt.NAVY), marker=dict(size=9),
                               hovertemplate=_("{meeting}: {amount} per delegate").format(
                                   meeting="%{text}", amount=_amount("%{y:,.0f}", currency)) + "<extra></extra>"))
    fig.update_yaxes(title=currency, tickformat=",.0f", rangemode="tozero")
    fig.update_xaxes(title=None)
    if len(m):
        _date_axis(fig, m["start_date"].min(), m["start_date"].max())
    return _layout(fig, _("Sponsorship cost per sponsored delegate"), as_of, unit=currency, legend=False,
                   height=340)


def workplan_progress(counts: pd.DataFrame, as_of) -> go.Figure:
    """Activities per outcome by status (stacked horizontal bars); the statuses as loaded ("Completed"),
    named in the run's language (:func:`formatting.workplan_status`)."""
    palette = {"Completed": fmt.GREEN, "In progress": fmt.BLUE, "Not started": fmt.ORANGE,
               "Not requested": fmt.LIGHT_GREY}
    fig = go.Figure()
    for status in [c for c in counts.columns if c != "outcome"]:
        name = fmt.plain(fmt.workplan_status(status))
        fig.add_bar(y=counts["outcome"].map(lambda t: wrap_title(fmt.plain(t), 34)), x=counts[status], name=name,
                    orientation="h", marker_color=palette.get(status, fmt.PURPLE),
                    hovertemplate=_("{outcome}: {n} {status}").format(outcome="%{y}", n="%{x}", status=name.lower())
                    + "<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=_("Activities"), dtick=1)
    return _layout(fig, _("Work-plan activities by outcome and status"), as_of,
                   height=max(300, 60 * len(counts) + 120), min_width=560)
