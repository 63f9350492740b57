"""The data as knowable on a day D: one cut, made once, that every view, output and command reads.

"As at D" is a promise about the data, not about each view: every page, the deck, the brief, the
letters, the calendar, the export and the CLI get their data through :func:`as_at` (``CcmData.as_at``)
and so cannot show what was not knowable on D, whatever they compute. The rules (DOMAIN.md §3a):

- **States.** A signature is known from its day. A ratification or accession is known from its
  deposit: before it the row has no ratification, accession flag or entry-into-force date (entry into
  force follows from the deposit, Art. 17, so it is kept once the deposit is known, even while it is
  still ahead). A withdrawal is known from its notification, six months before it takes effect
  (Art. 20(2)); before that it does not exist. A State with neither a known signature nor a known
  deposit is not in the cut.
- **Dated rows** (spend, contributions, pledges, report submissions, follow-ups): only rows dated on or
  before D.
- **The Article 3 and 4 record.** Obligations of States whose deposit is known; a completion only once
  it counts (``completion_counts_from`` ≤ D). An extension row is known from its request (or, with no
  request on record, from its grant); a grant after D is not known, so the request is pending on D.
- **Meetings.** A meeting's name, dates and place are known in advance (they were scheduled), so every
  meeting stays; what happened there (sponsored delegates and States, their cost) only from its start.
- **Budget.** Budget years up to D's year.
- **Notes and sources** of the record: a note or source that names a year is known from the end of the
  latest year it names; one that names none (undated) only on views on or after the day the record was
  compiled (``compiled_on``: the day it was loaded).
- The work plan has no dates: it is shown as loaded (the pages say so).

Deadlines and due dates that follow from known facts (an entry into force, a deadline, a requested new
deadline) are kept: they were knowable.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # the bundle imports this module to offer ``as_at``
    from .data import CcmData

DATE = "datetime64[us]"
# Art. 20(2): a withdrawal takes effect six months after the instrument of withdrawal is received.
WITHDRAWAL_NOTICE_MONTHS = 6
YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# A year in a web address (".../2019/...", "...-2019.pdf"): the source's own date.
SOURCE_YEAR = re.compile(r"(?<=[/\-_])(20[0-3]\d)(?=[/\-_.]|$)")


def withdrawal_notified(withdrawal_date: pd.Series) -> pd.Series:
    """The day a withdrawal was notified: six months before it takes effect (Art. 20(2))."""
    d = pd.to_datetime(withdrawal_date).astype(DATE)
    return (d - pd.DateOffset(months=WITHDRAWAL_NOTICE_MONTHS)).astype(DATE)


def completion_counts_from(completed_on: pd.Series, precision: pd.Series) -> pd.Series:
    """The day a completion counts from: ``completed_on`` itself (precision ``day`` or empty),
    else the last day of its month (``month``) or year (``year``): never earlier than the
    record allows. (2023-06-01 at month precision -> 2023-06-30; 2017-01-01 at year -> 2017-12-31.)"""
    d = pd.to_datetime(completed_on).astype(DATE)
    p = pd.Series(precision, index=d.index).astype("str").str.strip().str.casefold()
    month_end = (d.dt.to_period("M").dt.to_timestamp(how="end").dt.normalize()).astype(DATE)
    year_end = (d.dt.to_period("Y").dt.to_timestamp(how="end").dt.normalize()).astype(DATE)
    return d.mask(p == "month", month_end).mask(p == "year", year_end)


def text_known_from(text) -> pd.Timestamp | None:
    """The day a note can have been written from: the end of the latest year it names (None: undated)."""
    years = [int(y) for y in YEAR_IN_TEXT.findall(str(text))]
    return pd.Timestamp(max(years), 12, 31) if years else None


def knowable_text(texts: pd.Series, day, compiled_on=None) -> pd.Series:
    """Each note if it is known on ``day`` (see the module's rules), else None. An undated note is kept
    when ``compiled_on`` is None (the day the record was compiled is not known) or on or before ``day``."""
    day = pd.Timestamp(day)
    compiled = None if compiled_on is None else pd.Timestamp(compiled_on)

    def known(text):
        if not isinstance(text, str) or not text.strip():
            return None
        at = text_known_from(text)
        if at is None:
            return text if compiled is None or compiled <= day else None
        return text if at <= day else None

    return texts.map(known).astype(texts.dtype) if len(texts) else texts


def knowable_sources(cells: pd.Series, day, compiled_on=None) -> pd.Series:
    """Each ``source`` cell with only the addresses known on ``day`` (separated by `` | ``); an address
    with no year in it is undated (kept as for :func:`knowable_text`)."""
    day = pd.Timestamp(day)
    compiled = None if compiled_on is None else pd.Timestamp(compiled_on)

    def keep(address: str) -> bool:
        years = [int(y) for y in SOURCE_YEAR.findall(address)]
        if not years:
            return compiled is None or compiled <= day
        return pd.Timestamp(max(years), 1, 1) <= day

    def known(cell):
        if not isinstance(cell, str):
            return None
        parts = [p.strip() for p in cell.split("|") if p.strip() and keep(p.strip())]
        return " | ".join(parts) if parts else None

    return cells.map(known).astype(cells.dtype) if len(cells) else cells


def _on_or_before(frame: pd.DataFrame, column: str, day: pd.Timestamp) -> pd.DataFrame:
    return frame[frame[column] <= day].reset_index(drop=True) if len(frame) else frame


def cut_states(states: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    if states.empty:
        return states
    s = states.copy()
    deposited = s["ratification_date"] <= day
    s["ratification_date"] = s["ratification_date"].where(deposited)
    s["entry_into_force"] = s["entry_into_force"].where(deposited)
    s["accession"] = s["accession"].where(deposited)
    notified = withdrawal_notified(s["withdrawal_date"]) <= day
    s["withdrawal_date"] = s["withdrawal_date"].where(notified & deposited)
    signed = s["signature_date"] <= day
    s["signature_date"] = s["signature_date"].where(signed)
    return s[signed | deposited].reset_index(drop=True)


def cut_obligations(obligations: pd.DataFrame, parties: pd.Series, day: pd.Timestamp, compiled_on=None
                    ) -> pd.DataFrame:
    if obligations.empty:
        return obligations
    o = obligations[obligations["iso3"].isin(parties)].copy()
    done = completion_counts_from(o["completed_on"], o["completed_precision"]) <= day
    o["completed_on"] = o["completed_on"].where(done)
    o["completed_precision"] = o["completed_precision"].where(done)
    o["notes"] = knowable_text(o["notes"], day, compiled_on)
    o["source"] = knowable_sources(o["source"], day, compiled_on)
    return o.reset_index(drop=True)


def cut_extensions(extensions: pd.DataFrame, parties: pd.Series, day: pd.Timestamp, compiled_on=None
                   ) -> pd.DataFrame:
    if extensions.empty:
        return extensions
    e = extensions[extensions["iso3"].isin(parties)]
    known_from = e["requested_on"].where(e["requested_on"].notna(), e["granted_on"])
    e = e[known_from <= day].copy()
    e["granted_on"] = e["granted_on"].where(e["granted_on"] <= day)
    e["notes"] = knowable_text(e["notes"], day, compiled_on)
    e["source"] = knowable_sources(e["source"], day, compiled_on)
    return e.reset_index(drop=True)


def cut_meetings(meetings: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    if meetings.empty:
        return meetings
    m = meetings.copy()
    held = m["start_date"] <= day
    for col in ("sponsored_delegates", "sponsored_states", "sponsorship_cost"):
        m[col] = m[col].where(held)
    return m


def as_at(data: CcmData, day, compiled_on=None) -> CcmData:
    """The bundle as knowable on ``day`` (the module's rules; DOMAIN.md §3a).

    Args:
        data: Everything stored.
        day: D.
        compiled_on: The day the record was compiled (loaded): undated notes and sources are known from
            then. None keeps them (the day is not known).
    """
    day = pd.Timestamp(day).normalize()
    states = cut_states(data.states, day)
    parties = states.loc[states["ratification_date"].notna(), "iso3"] if len(states) else pd.Series([], dtype="str")
    budget = data.budget[data.budget["year"] <= day.year].reset_index(drop=True) if len(data.budget) else data.budget
    return replace(
        data,
        states=states,
        reports=_on_or_before(data.reports, "submitted_on", day),
        obligations=cut_obligations(data.obligations, parties, day, compiled_on),
        extensions=cut_extensions(data.extensions, parties, day, compiled_on),
        budget=budget,
        spend=_on_or_before(data.spend, "date", day),
        contributions=_on_or_before(data.contributions, "date", day),
        meetings=cut_meetings(data.meetings, day),
        pledges=_on_or_before(data.pledges, "pledged_on", day),
        followups=_on_or_before(data.followups, "date", day),
    )

