"""The one-page brief: the state of play on day D, laid out for one A4 page (DOMAIN.md section 11).

Four headline figures (universalization, reporting, Articles 3/4, budget), two charts (annual
reports on time and submitted by year; cumulative spend against the calendar) and the key
messages, built from the same analysis functions as the pages, the deck and ``metrics``.
Pure: data in, a frozen :class:`Brief` out; the "Brief" page draws it and prints it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .. import figures
from .. import formatting as fmt
from .. import narrative
from ..analysis import budget as b
from ..analysis import reporting as rp
from ..data import CcmData
from ..views import Overview, overview

CHART_WIDTH = 340  # px: two charts side by side within an A4 page's 190 mm (718 px at 96 dpi)
CHART_HEIGHT = 290


@dataclass(frozen=True)
class Headline:
    """One headline figure: what it counts, the figure, what it means, and whether it is illustrative."""

    label: str
    value: str
    detail: str
    illustrative: bool = False


@dataclass(frozen=True)
class Brief:
    """The content of the one-page brief for day D.

    Attributes:
        as_of: D. heading: "State of play as at 5 September 2018".
        headlines: Universalization, reporting, Articles 3/4 and budget, in that order.
        messages: The key messages (3 to 5 sentences, ``narrative.key_messages``).
        charts: Two Plotly figures as dicts, each CHART_WIDTH x CHART_HEIGHT px.
        illustrative: A sentence naming the illustrative data the brief rests on (None for real data).
    """

    as_of: pd.Timestamp
    heading: str
    headlines: tuple[Headline, ...]
    messages: tuple[str, ...]
    charts: tuple[dict, ...]
    illustrative: str | None


def _headlines(ov: Overview, by_state: pd.DataFrame, illustrative: tuple[str, ...]) -> tuple[Headline, ...]:
    u, a, c, st = ov.snap.universalization, ov.snap.reporting.annual, ov.deadline_counts, ov.snap.budget
    owed = int(by_state["count"].sum()) if len(by_state) else 0
    reports = Headline(f"{a.year} annual reports on time", fmt.pct(a.compliance_rate),
                       f"{a.on_time} of {a.due}; {fmt.pct(a.submission_rate)} submitted by now. "
                       + (f"{fmt.count(len(by_state), 'State Party owes', 'States Parties owe')} "
                          f"{fmt.count(owed, 'report')}." if owed else "No report is overdue."),
                       "reports" in illustrative)
    s3, s4 = ov.record[3], ov.record[4]
    nxt = narrative.next_deadline(ov.snap.deadlines)
    qty = (f"{narrative.submunitions_words(s3.quantity_completed)} submunitions destroyed; "
           if s3.quantity_completed > 0 else "")
    deadlines = Headline("States that destroyed their stockpiles (Art. 3)", f"{s3.completed} of {s3.held}",
                         narrative.first_upper(f"{qty}{narrative.none_or(s3.outstanding, 'still to destroy')}. ")
                         + f"Clearance (Art. 4): {s4.completed} of {s4.held} completed, "
                         f"{narrative.none_or(s4.outstanding, 'still to clear')}. "
                         f"{narrative.first_upper(narrative.none_or(s3.overdue + s4.overdue, 'overdue'))}; "
                         f"{narrative.none_or(c.due_within_24_months, 'due within 24 months')}."
                         + (f" Next: {nxt['state']} (Art. {int(nxt['article'])}) {fmt.day(nxt['effective_deadline'])}."
                            if nxt is not None else "")
                         if c.total else "No Article 3 or 4 obligation is recorded.")
    if ov.has_budget:
        words, year_end = narrative.pace_phrase(ov), narrative.year_end_words(ov)
        budget = Headline(f"Budget {st.year} spent", fmt.pct(st.total.burn_rate),
                          f"{fmt.chf(st.total.spent, st.currency)} of {fmt.chf(st.total.budget, st.currency)} with "
                          f"{fmt.pct(st.elapsed_fraction)} of the year gone"
                          + (f": {words}." if words else ".")
                          + (f" {narrative.first_upper(year_end)}." if year_end else ""),
                          "spend" in illustrative or "budget" in illustrative)
    else:
        budget = Headline(f"Budget {st.year}", "–", f"No budget is loaded for {st.year}.")
    return (Headline("States Parties", f"{u.states_parties}",
                     f"{narrative.first_upper(u.target_phrase())}; {fmt.count(u.signatories, 'signatory', 'signatories')} "
                     "still to ratify."),
            reports, deadlines, budget)


def _small(fig, title: str, y_title: str) -> dict:
    """A page figure shrunk to half an A4 page: short title, smaller type, fixed size."""
    fig.update_layout(title_text=title, title_font_size=13, title_subtitle_font_size=11, font_size=11,
                      width=CHART_WIDTH, height=CHART_HEIGHT, margin=dict(l=10, r=20, t=56, b=60), legend_font_size=10)
    fig.update_yaxes(title=dict(text=y_title, font_size=11))
    fig.update_xaxes(tickangle=0, title_font_size=11)
    # bar labels would be ~9 px at this size (unreadable on paper): the axis and the headline give the figures
    fig.update_traces(text=None, texttemplate=None, selector=dict(type="bar"))
    return fig.to_plotly_json()


def _charts(data: CcmData, ov: Overview) -> tuple[dict, ...]:
    as_of, st = ov.snap.as_of, ov.snap.budget
    series = rp.reporting_series(ov.snap.statuses)
    reporting = _small(figures.reporting_rates(series, "annual", as_of), "Annual reports on time and submitted",
                       "% of the reports due")
    p = ov.snap.projection  # the chosen projection of DOMAIN §8 (seasonal on the sample), as the Budget page draws it
    cum = b.cumulative_vs_plan(data.budget, data.spend, st.year, as_of,
                               p.year_end if p is not None and p.method in ("seasonal", "linear") else None)
    spend = _small(figures.cumulative_spend(cum, st.year, as_of, st.currency), f"Spend {st.year} against the calendar",
                   f"Spent to date ({st.currency})")
    spend["layout"]["xaxis"]["dtick"] = "M2"
    return reporting, spend


def illustrative_note(datasets: Iterable[str]) -> str | None:
    """The brief's sentence on illustrative data (None when none of its figures rest on it)."""
    words = {"reports": "report submission dates", "spend": "spend", "contributions": "contributions"}
    named = [words[d] for d in words if d in set(datasets)]
    if not named:
        return None
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"Illustrative data: the {listed} in this brief are sample figures, not real records."


def build_brief(data: CcmData, as_of, illustrative: Iterable[str] = ()) -> Brief:
    """The brief for day D.

    Args:
        data: The datasets.
        as_of: D.
        illustrative: Datasets whose figures are illustrative (sample) data; the figures resting
            on them are marked and a sentence says so.
    """
    as_of = pd.Timestamp(as_of)
    illustrative = tuple(illustrative)
    ov = overview(data, as_of)
    by_state = rp.overdue_by_state(ov.snap.statuses, as_of)
    return Brief(as_of=as_of, heading=f"State of play as at {fmt.long_day(as_of)}",
                 headlines=_headlines(ov, by_state, illustrative),
                 messages=tuple(narrative.key_messages(ov, by_state)), charts=_charts(data, ov),
                 illustrative=illustrative_note(illustrative))
