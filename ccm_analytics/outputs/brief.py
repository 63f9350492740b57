"""The one-page brief: the state of play on day D, laid out for one A4 page (DOMAIN.md section 11).

Four headline figures (universalization, reporting, Articles 3/4, budget), two charts (annual
reports on time and submitted by year; cumulative spend against the calendar) and the key
messages, built from the same analysis functions as the pages, the deck and ``metrics``.
Pure: data in, a frozen :class:`Brief` out; the "Brief" page draws it and prints it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import base64

import pandas as pd
import numpy as np

from .. import figures
from .. import formatting as fmt
from .. import narrative
from ..analysis import budget as b
from ..analysis import reporting as rp
from ..data import CcmData
from ..i18n import N_, _, ngettext
from .words import counted, overdue_words, owed_words, state_name, submunitions
from ..views import Overview, overview_view

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
        charts: Plotly figures as dicts, each CHART_WIDTH x CHART_HEIGHT px: reporting, and spend against the
            calendar when D's year has a budget (no chart of nothing).
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
    reports = Headline(_("{year} annual reports on time").format(year=a.year), fmt.pct(a.compliance_rate),
                       _("{on_time} of {due}; {rate} submitted by now.").format(
                           on_time=a.on_time, due=a.due, rate=fmt.pct(a.submission_rate)) + " "
                       + (_("{owed}.").format(owed=owed_words(len(by_state), owed)) if owed
                          else _("No report is overdue.")),
                       "reports" in illustrative)
    s3, s4 = ov.record[3], ov.record[4]
    nxt = narrative.next_deadline(ov.snap.deadlines)
    to_destroy = counted(s3.outstanding, _("no State still to destroy"),
                         ngettext("{n} still to destroy", "{n} still to destroy", s3.outstanding))
    to_clear = counted(s4.outstanding, _("no State still to clear"),
                       ngettext("{n} still to clear", "{n} still to clear", s4.outstanding))
    qty = (_("{quantity} submunitions destroyed; {still}").format(
        quantity=submunitions(s3.quantity_completed), still=to_destroy)
           if s3.quantity_completed > 0 else to_destroy)
    deadlines = Headline(_("States that destroyed their stockpiles (Art. 3)"),
                         _("{completed} of {held}").format(completed=s3.completed, held=s3.held),
                         narrative.first_upper(qty) + ". "
                         + _("Clearance (Art. 4): {completed} of {held} completed, {still}.").format(
                             completed=s4.completed, held=s4.held, still=to_clear) + " "
                         + _("{overdue}; {soon}.").format(
                             overdue=narrative.first_upper(overdue_words(s3.overdue + s4.overdue)),
                             soon=counted(c.due_within_24_months, _("no State due within 24 months"),
                                          ngettext("{n} due within 24 months", "{n} due within 24 months",
                                                   c.due_within_24_months)))
                         + (" " + _("Next: {state} (Art. {article}) {day}.").format(
                             state=state_name(nxt["state"], nxt.get("iso3")), article=int(nxt["article"]),
                             day=fmt.day(nxt["effective_deadline"]))
                            if nxt is not None else "")
                         + (" " + narrative.pending_requests_sentence(ov.pending) if len(ov.pending) else "")
                         if c.total else _("No Article 3 or 4 obligation is recorded."))
    if ov.has_budget:
        words, year_end = narrative.pace_phrase(ov), narrative.year_end_words(ov)
        values = dict(spent=fmt.chf(st.total.spent, st.currency), budget=fmt.chf(st.total.budget, st.currency),
                      elapsed=fmt.pct(st.elapsed_fraction), pace=words)
        budget = Headline(_("Budget {year} spent").format(year=st.year), fmt.pct(st.total.burn_rate),
                          (_("{spent} of {budget} with {elapsed} of the year gone: {pace}.") if words else
                           _("{spent} of {budget} with {elapsed} of the year gone.")).format(**values)
                          + (f" {narrative.first_upper(year_end)}." if year_end else ""),
                          "spend" in illustrative or "budget" in illustrative)
    else:
        budget = Headline(_("Budget {year}").format(year=st.year), "–",
                          _("No budget is loaded for {year}.").format(year=st.year))
    gap = narrative.target_phrase(u)
    parties_text = (ngettext("{target}; {n} signatory still to ratify.", "{target}; {n} signatories still to ratify.",
                             u.signatories).format(target=narrative.first_upper(gap), n=fmt.number(u.signatories))
                    if gap else
                    ngettext("{n} signatory still to ratify.", "{n} signatories still to ratify.",
                             u.signatories).format(n=fmt.number(u.signatories)))
    return (Headline(_("States Parties"), f"{u.states_parties}", parties_text),
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
    reporting = _small(figures.reporting_rates(series, "annual", as_of), _("Annual reports on time and submitted"),
                       _("% of the reports due"))
    years = {x for trace in reporting["data"] for x in _values(trace.get("x"))}
    if len(years) > 8:  # at half a page, more than eight years' labels run into one another: every other one
        reporting["layout"]["xaxis"].update(dtick=2, tick0=min(years))
    if not ov.has_budget:  # no budget for D's year: no chart of nothing (the key messages say which year has one)
        return (reporting,)
    p = ov.snap.projection  # the chosen projection of DOMAIN §8 (seasonal on the sample), as the Budget page draws it
    cum = b.cumulative_vs_plan(data.budget, data.spend, st.year, as_of,
                               p.year_end if p is not None and p.method in ("seasonal", "linear") else None)
    spend = _small(figures.cumulative_spend(cum, st.year, as_of, st.currency),
                   _("Spend {year} against the calendar").format(year=st.year),
                   _("Spent to date ({currency})").format(currency=st.currency))
    x = spend["layout"]["xaxis"]
    x["dtick"] = "M2"
    if x.get("tickmode") == "array":  # month names set by hand (French, Spanish): every other month too, or they overlap
        x["tickvals"], x["ticktext"] = list(x["tickvals"])[::2], list(x["ticktext"])[::2]
    return reporting, spend


def _values(x) -> list:
    """A trace's values, whether a list or Plotly's packed array (``{"dtype": "i2", "bdata": ...}``)."""
    if x is None:
        return []
    if isinstance(x, dict) and "bdata" in x:
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return list(x)


def illustrative_note(datasets: Iterable[str]) -> str | None:
    """The brief's sentence on illustrative data (None when none of its figures rest on it)."""
    words = {"reports": N_("report submission dates"), "spend": N_("spend"), "contributions": N_("contributions")}
    named = [_(words[d]) for d in words if d in set(datasets)]
    if not named:
        return None
    return _("Illustrative data: the {listed} in this brief are sample figures, not real records.").format(
        listed=fmt.and_list(named))


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
    ov = overview_view(data, as_of)
    by_state = rp.overdue_by_state(ov.snap.statuses, as_of)
    return Brief(as_of=as_of, heading=_("State of play as at {day}").format(day=fmt.long_day(as_of)),
                 headlines=_headlines(ov, by_state, illustrative),
                 messages=tuple(narrative.key_messages(ov, by_state)), charts=_charts(data, ov),
                 illustrative=illustrative_note(illustrative))
