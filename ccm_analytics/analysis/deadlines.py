"""Article 3 (stockpile destruction) and Article 4 (clearance) deadlines on a day D.

The deadline is the one given in ``obligations``, else entry into force + 8 years
(Article 3) or + 10 years (Article 4). The *effective* deadline on D is the new deadline of
the latest extension granted on or before D, else the deadline. An extension requested on or
before D and not granted on or before D is *pending* on D: it does not move the deadline.
A completion known only to the month or year counts from the last day of that month or year
(DOMAIN.md section 6).
"""

from __future__ import annotations

from dataclasses import dataclass

import re

import numpy as np
import pandas as pd

from ..collation import sort_key

from ..cut import completion_counts_from, knowable_text  # one rule each: the cut's
from . import treaty
from .memo import same_frames
from .states import is_party, state_table

STATUSES = ("completed", "none_held", "overdue", "due_within_12_months", "on_track")
# Statuses of an obligation that is no longer outstanding on D.
CLOSED = ("completed", "none_held")
STATUS_LABELS = {
    "completed": "Completed",
    "none_held": "Declared none held",
    "overdue": "Overdue",
    "due_within_12_months": "Due within 12 months",
    "on_track": "On track",
}
WITHIN_12_MONTHS_DAYS = 365
WITHIN_24_MONTHS_DAYS = 730


def obligation_deadlines(states: pd.DataFrame, obligations: pd.DataFrame) -> pd.DataFrame:
    """Every obligation with its original deadline (given, else computed from EIF).

    Returns:
        The obligations with ``state``, ``region``, ``eif``, ``ratification_date``,
        ``withdrawal_date`` and ``deadline`` filled, plus ``completion_counts_from`` (the day the
        completion counts from: the last day of its month or year for month or year precision)
        and ``none_held`` (the State declared it never held stocks / contaminated areas).
    """
    t = state_table(states)[["iso3", "state", "region", "eif", "ratification_date", "withdrawal_date"]]
    o = obligations.merge(t, on="iso3", how="left")
    computed = treaty.article_deadline(o["eif"], o["article"])
    outcome = o["outcome"].str.strip().str.casefold() if "outcome" in o else pd.Series("", index=o.index)
    precision = o["completed_precision"] if "completed_precision" in o else pd.Series(None, index=o.index)
    return o.assign(deadline=o["deadline"].where(o["deadline"].notna(), computed),
                    deadline_given=o["deadline"].notna(),
                    completion_counts_from=completion_counts_from(o["completed_on"], precision),
                    none_held=(outcome == "none_held").to_numpy())


PRECISIONS = ("day", "month", "year")


def granted_extensions(extensions: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Extensions granted on or before D, in the order they were granted."""
    e = extensions[extensions["granted_on"] <= pd.Timestamp(as_of)]
    return e.sort_values(["iso3", "article", "granted_on", "new_deadline"]).reset_index(drop=True)


# Meetings that decide extension requests (Art. 3(5), 4(5)): Meetings of States Parties and Review Conferences.
DECIDING_KINDS = ("meeting of states parties", "review conference")
_CODE = re.compile(r"\(([^()]+)\)\s*$")


def meeting_code(name) -> str:
    """A meeting's short code, case-folded: "Ninth Meeting of States Parties (9MSP)" -> "9msp";
    "2RC (silence procedure)" -> "2rc" (the first word when the brackets do not hold a code)."""
    text = str(name).strip()
    m = _CODE.search(text)
    if m and " " not in m.group(1).strip():
        return m.group(1).strip().casefold()
    return text.split()[0].casefold() if text else ""


def deciding_meetings(extensions: pd.DataFrame, meetings: pd.DataFrame | None) -> pd.DataFrame:
    """For each extension row, the meeting that was to decide it and the day by which it decides
    (DOMAIN.md §6): the meeting the row names, found in ``meetings`` by its code; else the first
    Meeting of States Parties or Review Conference starting on or after the request; else (no meeting
    on record) 31 December of the year after the request, as the Meetings of States Parties are yearly.

    Returns:
        Columns ``decides_meeting`` (the meeting's name; None when inferred from the calendar) and
        ``decides_on`` (its last day), aligned with ``extensions``.
    """
    names = pd.Series([None] * len(extensions), index=extensions.index, dtype="object")
    days = pd.Series(pd.NaT, index=extensions.index, dtype=treaty.DATE)
    m = meetings if meetings is not None and len(meetings) else None
    if m is not None:
        codes = m["meeting"].map(meeting_code)
        ends = m["end_date"].where(m["end_date"].notna(), m["start_date"])
        formal = m[m["kind"].astype("str").str.casefold().isin(DECIDING_KINDS)].sort_values("start_date")
    for i, r in zip(extensions.index, extensions.itertuples()):
        named = r.meeting if isinstance(r.meeting, str) and r.meeting.strip() else None
        if m is not None and named:
            hit = m[codes == meeting_code(named)]
            if len(hit):
                names[i], days[i] = hit["meeting"].iloc[0], ends[hit.index[0]]
                continue
        if m is not None and pd.notna(r.requested_on):
            after = formal[formal["start_date"] >= r.requested_on]
            if len(after):
                names[i], days[i] = after["meeting"].iloc[0], ends[after.index[0]]
                continue
        names[i] = named
        if pd.notna(r.requested_on):
            days[i] = pd.Timestamp(r.requested_on.year + 1, 12, 31)
    return pd.DataFrame({"decides_meeting": names, "decides_on": days})


def open_requests(extensions: pd.DataFrame, as_of: pd.Timestamp, meetings: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """Requests made on or before D and not granted on or before D, with the meeting that was to decide
    them (:func:`deciding_meetings`) and ``decision``: ``pending`` until that meeting's last day,
    ``not_recorded`` after it (the record lacks the decision: never pending for years)."""
    as_of = pd.Timestamp(as_of)
    e = extensions[(extensions["requested_on"] <= as_of) & ~(extensions["granted_on"] <= as_of)]
    e = pd.concat([e, deciding_meetings(e, meetings)], axis=1)
    e["decision"] = np.where(e["decides_on"] < as_of, "not_recorded", "pending")
    return e.sort_values(["iso3", "article", "requested_on"]).reset_index(drop=True)


def pending_extensions(extensions: pd.DataFrame, as_of: pd.Timestamp, meetings: pd.DataFrame | None = None
                       ) -> pd.DataFrame:
    """Extension requests pending on D: requested on or before D, not granted on or before D, and the
    meeting that was to decide them not yet over (:func:`open_requests`).

    A request granted later was pending until its grant, so this is what was knowable on D.
    Several pending requests of one obligation are in the order they were requested.
    """
    e = open_requests(extensions, as_of, meetings)
    return e[e["decision"] == "pending"].reset_index(drop=True)


@same_frames()
def effective_deadlines(states: pd.DataFrame, obligations: pd.DataFrame, extensions: pd.DataFrame,
                        as_of: pd.Timestamp, meetings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each obligation of a State Party on D with its effective deadline on D and its pending request.

    This is the one function to ask "what is this State's deadline today, and is it waiting for a
    decision?" (the deadlines table, the Coming-up list and the calendar all rest on it).

    - ``deadline``: the original deadline (given, else entry into force + 8 / + 10 years).
    - ``effective_deadline``: the ``new_deadline`` of the latest extension granted on or before D
      (extensions apply in order of ``granted_on``), else ``deadline``. A pending request never
      moves it.
    - ``extensions``: how many extensions were granted on or before D.
    - ``pending_requested_on`` / ``pending_new_deadline``: the latest request pending on D (requested
      on or before D, not granted on or before D, its deciding meeting not over: :func:`open_requests`)
      and the deadline it asks for (NaT when none, or when the request names no date);
      ``pending_meeting`` / ``pending_decides_on``: the meeting that decides it and its last day.
    - ``unrecorded_requested_on``: the latest request whose deciding meeting is over on D without a
      decision on record ("decision not recorded"; NaT when none).
    - ``completed``: the obligation ended on or before D (its completion counts from the last day
      of the month or year when known only to the month or year); ``completed_on`` is that day
      (NaT when not completed on D) and ``none_held`` says it ended by a declaration that the
      State never held stocks / contaminated areas rather than by destruction or clearance.
    - ``bound``: the Convention is in force for the State on D.
    - ``before_eif``: the record dates the completion before entry into force (stocks destroyed
      before the Convention bound the State): such a row is never an outstanding obligation.

    Returns:
        Columns ``state``, ``iso3``, ``region``, ``article``, ``eif``, ``deadline``,
        ``effective_deadline``, ``extensions``, ``pending_requested_on``, ``pending_new_deadline``,
        ``completed``, ``completed_on``, ``none_held``, ``bound``, ``before_eif``, plus the obligation's own
        columns (``completed_precision``, ``quantity``, ``quantity_unit``, ``notes``, ``source``),
        in the order of the obligations given.
    """
    as_of = pd.Timestamp(as_of)
    o = obligation_deadlines(states, obligations)
    o = o[is_party(o, as_of)].reset_index(drop=True)
    granted = granted_extensions(extensions, as_of)
    latest = granted.groupby(["iso3", "article"], as_index=False).agg(
        effective_deadline=("new_deadline", "last"), extensions=("new_deadline", "size"))
    requests = open_requests(extensions, as_of, meetings)
    pending = requests[requests["decision"] == "pending"].groupby(["iso3", "article"], as_index=False).agg(
        pending_requested_on=("requested_on", "last"), pending_new_deadline=("new_deadline", "last"),
        pending_meeting=("decides_meeting", "last"), pending_decides_on=("decides_on", "last"))
    unrecorded = requests[requests["decision"] == "not_recorded"].groupby(["iso3", "article"], as_index=False).agg(
        unrecorded_requested_on=("requested_on", "last"))
    o = (o.merge(latest, on=["iso3", "article"], how="left").merge(pending, on=["iso3", "article"], how="left")
         .merge(unrecorded, on=["iso3", "article"], how="left"))
    o["effective_deadline"] = o["effective_deadline"].where(o["effective_deadline"].notna(), o["deadline"])
    o["extensions"] = o["extensions"].fillna(0).astype(int)
    for col in ("pending_requested_on", "pending_new_deadline", "pending_decides_on", "unrecorded_requested_on"):
        o[col] = o[col].astype(treaty.DATE)
    o["pending_meeting"] = o["pending_meeting"].astype("object").where(o["pending_meeting"].notna(), None)
    done = (o["completion_counts_from"] <= as_of).to_numpy(dtype=bool)
    o["completed"] = done
    o["completed_on"] = o["completion_counts_from"].where(done)
    o["bound"] = (o["eif"] <= as_of).to_numpy(dtype=bool)
    o["before_eif"] = (o["completion_counts_from"] < o["eif"]).to_numpy(dtype=bool)
    return o


def knowable_note(notes: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """Each free-text note if it can have been written by D, else None (the cut's rule,
    :func:`ccm_analytics.cut.knowable_text`: "Completed June 2023" is dated 31 Dec 2023)."""
    return knowable_text(notes, as_of)


SOURCE_YEAR = re.compile(r"(?<=[/\-_])(20[0-3]\d)(?=[/\-_.]|$)")


def source_links(text, as_of: pd.Timestamp | None = None) -> list[tuple[str, str]]:
    """The web addresses of a ``source`` cell (separated by ``|``) as (label, url) pairs.

    The label is the site's name, with the year the address carries (``the-monitor.org 2019``).
    With ``as_of``, addresses dated (by a year in the address) after D's year are left out: a
    page published later was not knowable on D. Anything that is not an http(s) address is dropped;
    brackets are percent-encoded so that the address can sit inside a Markdown link.
    """
    if not isinstance(text, str):
        return []
    out = []
    for url in (u.strip() for u in text.split("|")):
        m = re.match(r"https?://(?:www\.)?([^/\s]+)", url)
        if not m or re.search(r"\s", url):
            continue
        years = [int(y) for y in SOURCE_YEAR.findall(url.split("?")[0])]
        year = max(years) if years else None
        if as_of is not None and year is not None and year > pd.Timestamp(as_of).year:
            continue
        safe = url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
        out.append((m.group(1) + (f" {year}" if year else ""), safe))
    return out


@same_frames()
def deadline_table(states: pd.DataFrame, obligations: pd.DataFrame, extensions: pd.DataFrame,
                   as_of: pd.Timestamp, meetings: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per obligation of a State Party on D, with its status, by effective deadline.

    Status on D: ``completed`` (completion counts on or before D), ``none_held`` (ended by a
    declaration that the State never held any), else ``overdue`` (effective deadline before D),
    ``due_within_12_months`` (effective deadline - D <= 365 days) or ``on_track``.

    Returns:
        Columns ``state``, ``iso3``, ``region``, ``article``, ``deadline``,
        ``effective_deadline``, ``extensions`` (granted by D), ``completed_on`` (the day the
        completion counts from, None unless completed on D), ``status``, ``days_remaining``
        (None when closed) and ``notes`` (only notes that can have been written by D; see
        :func:`knowable_note`), then ``pending_requested_on``, ``pending_new_deadline``, ``pending_meeting``,
        ``pending_decides_on``, ``unrecorded_requested_on`` (see :func:`effective_deadlines`),
        ``completed_precision``, ``quantity``, ``quantity_unit``, ``bound``, ``before_eif`` and ``source``.
    """
    as_of = pd.Timestamp(as_of)
    o = effective_deadlines(states, obligations, extensions, as_of, meetings)
    completed = o["completed"]
    remaining = (o["effective_deadline"] - as_of).dt.days
    o["status"] = pd.Series(np.select(
        [completed & o["none_held"], completed, o["effective_deadline"] < as_of, remaining <= WITHIN_12_MONTHS_DAYS],
        ["none_held", "completed", "overdue", "due_within_12_months"], "on_track"), index=o.index, dtype="str")
    o["days_remaining"] = remaining.astype("Int64").where(~completed)
    o["notes"] = knowable_note(o["notes"], as_of)
    for col in ("completed_precision", "quantity", "quantity_unit", "source"):
        if col not in o:
            o[col] = None
    cols = ["state", "iso3", "region", "article", "deadline", "effective_deadline", "extensions",
            "completed_on", "status", "days_remaining", "notes", "pending_requested_on", "pending_new_deadline",
            "pending_meeting", "pending_decides_on", "unrecorded_requested_on", "completed_precision", "quantity", "quantity_unit", "bound", "before_eif", "source"]
    return o.sort_values(["effective_deadline", "state", "article"], key=sort_key)[cols].reset_index(drop=True)


@dataclass(frozen=True)
class DeadlineCounts:
    """Article 3/4 obligations of States Parties on D, by status.

    Attributes:
        total: All obligations listed. completed: done by D. outstanding: not done.
        overdue: outstanding and past the effective deadline.
        due_within_12_months / due_within_24_months: outstanding, deadline from D to
            D + 365 / 730 days.
    """

    total: int
    completed: int
    outstanding: int
    overdue: int
    due_within_12_months: int
    due_within_24_months: int


def still_to_do(table: pd.DataFrame) -> pd.Series:
    """The one rule of "still to do" on D (DOMAIN §6: still to destroy / still to clear): an obligation of
    a :func:`deadline_table` neither completed nor ended on D, and not completed before entry into force.
    Every count, list and chart of outstanding obligations (summaries, the deck, the brief, the progress
    report) uses it."""
    return ~table["status"].isin(CLOSED) & ~table["before_eif"].astype(bool)


# The statuses of an outstanding obligation, furthest from its deadline first.
OPEN_STATUSES = ("on_track", "due_within_12_months", "overdue")


def still_to_do_by_status(table: pd.DataFrame) -> pd.DataFrame:
    """Outstanding obligations (:func:`still_to_do`) of a :func:`deadline_table` by article and status:
    rows article 3, 4; columns on_track, due_within_12_months, overdue. Each row sums to the article's
    ``still_to_destroy`` / ``still_to_clear``."""
    t = table[still_to_do(table)]
    counts = t.groupby(["article", "status"]).size().unstack(fill_value=0)
    return counts.reindex(index=[3, 4], columns=list(OPEN_STATUSES), fill_value=0).astype(int)


def deadline_counts(table: pd.DataFrame) -> DeadlineCounts:
    """Counts of a :func:`deadline_table`."""
    open_ = still_to_do(table)
    days = table["days_remaining"]
    return DeadlineCounts(
        total=len(table),
        completed=int((~open_).sum()),
        outstanding=int(open_.sum()),
        overdue=int((table["status"] == "overdue").sum()),
        due_within_12_months=int((open_ & (days >= 0) & (days <= WITHIN_12_MONTHS_DAYS)).sum()),
        due_within_24_months=int((open_ & (days >= 0) & (days <= WITHIN_24_MONTHS_DAYS)).sum()),
    )


ORIGINAL_SEGMENT = "Original period"
PENDING_SEGMENT = "Extension requested, not yet decided"


def deadline_segments(states: pd.DataFrame, obligations: pd.DataFrame, extensions: pd.DataFrame,
                      as_of: pd.Timestamp, include_closed: bool = True, meetings: pd.DataFrame | None = None
                      ) -> pd.DataFrame:
    """Timeline segments per obligation of a State Party on D, in time order.

    The original period (entry into force to the original deadline), then each extension granted
    on or before D as its own segment (previous deadline to its new deadline, in order of
    ``granted_on``), then the request pending on D, if any (effective deadline to the deadline it
    asks for; where it names none, a zero-length segment at the effective deadline).

    Args:
        include_closed: Also list obligations completed (or declared none held) on or before D.

    Returns:
        Columns ``state``, ``iso3``, ``article``,
        ``segment`` ("Original period", "Extension n" or the pending label), ``kind``
        (``original``, ``extension`` or ``pending``), ``n`` (0 for the original period), ``start``,
        ``end``, ``granted_on``, ``requested_on``, ``meeting``, ``completed_on`` (the day the
        completion counts from, when on or before D), ``completed_precision`` and ``status``;
        sorted by obligation (latest effective deadline first is the chart's job) then ``n``.
    """
    as_of = pd.Timestamp(as_of)
    table = deadline_table(states, obligations, extensions, as_of, meetings)
    if not include_closed:
        table = table[~table["status"].isin(CLOSED)]
    o = table.merge(obligation_deadlines(states, obligations)[["iso3", "article", "eif"]], on=["iso3", "article"])
    keep = ["state", "iso3", "article", "completed_on", "completed_precision", "status"]
    base = o[keep].assign(segment=ORIGINAL_SEGMENT, kind="original", n=0, start=o["eif"], end=o["deadline"],
                          granted_on=pd.NaT, requested_on=pd.NaT, meeting=None)
    ext = granted_extensions(extensions, as_of).merge(o[keep + ["deadline"]], on=["iso3", "article"])
    ext["n"] = ext.groupby(["iso3", "article"]).cumcount() + 1
    prev = ext.groupby(["iso3", "article"])["new_deadline"].shift(1)
    ext["start"] = prev.where(prev.notna(), ext["deadline"])
    ext = ext.assign(segment="Extension " + ext["n"].astype(str), kind="extension", end=ext["new_deadline"])
    pend = o[o["pending_requested_on"].notna() & ~o["status"].isin(CLOSED)]
    pend = pend[keep].assign(segment=PENDING_SEGMENT, kind="pending", n=99, start=pend["effective_deadline"],
                             end=pend["pending_new_deadline"].where(pend["pending_new_deadline"].notna(),
                                                                    pend["effective_deadline"]),
                             granted_on=pd.NaT, requested_on=pend["pending_requested_on"], meeting=None)
    cols = ["state", "iso3", "article", "segment", "kind", "n", "start", "end", "granted_on",
            "requested_on", "meeting", "completed_on", "completed_precision", "status"]
    parts = [f[cols] for f in (base, ext, pend) if len(f)]
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype="object") for c in cols})
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["state", "article", "n"], key=sort_key).reset_index(drop=True)


# -- the record in figures (DOMAIN.md section 6) -------------------------------------------------

DEFAULT_UNITS = {3: "submunitions", 4: "m²"}
# The units of the record written in the run's language in sentences (others are shown as recorded).


@dataclass(frozen=True)
class ArticleSummary:
    """One article's record on D, counted over States Parties on D.

    Attributes:
        article: 3 (stockpiles) or 4 (clearance).
        held: States recorded on D as having held stocks (Art. 3) / been contaminated (Art. 4) at
            any time: every obligation row except one ended on or before D by a declaration that
            none was ever held.
        completed: States whose destruction / clearance counts as complete on or before D,
            including completions before the Convention bound them.
        outstanding: States Parties on D whose obligation is neither completed nor ended on D,
            except rows whose completion the record dates before entry into force (those were never
            bound to destroy anything, so they are never outstanding).
        overdue: Outstanding with the effective deadline before D.
        pending_extensions: Outstanding with an extension request pending on D.
        quantity_completed: Sum of ``quantity`` of the completed rows in the article's default
            unit (submunitions destroyed for Art. 3, m² cleared for Art. 4); rows without a
            quantity add nothing.
        states_outstanding / states_overdue / states_pending: Their names, alphabetical.
    """

    article: int
    held: int
    completed: int
    outstanding: int
    overdue: int
    pending_extensions: int
    quantity_completed: float
    states_outstanding: tuple[str, ...] = ()
    states_overdue: tuple[str, ...] = ()
    states_pending: tuple[str, ...] = ()

    def stockpiles_json(self) -> dict:
        """The metrics command's ``stockpiles`` object (Article 3)."""
        return {"stockpiled": self.held, "destroyed": self.completed, "still_to_destroy": self.outstanding,
                "overdue": self.overdue, "pending_extensions": self.pending_extensions,
                "submunitions_destroyed": _whole(self.quantity_completed)}

    def clearance_json(self) -> dict:
        """The metrics command's ``clearance`` object (Article 4)."""
        return {"contaminated": self.held, "completed": self.completed, "still_to_clear": self.outstanding,
                "overdue": self.overdue, "pending_extensions": self.pending_extensions}


def _whole(x: float):
    return int(x) if float(x).is_integer() else float(x)


def _in_default_unit(rows: pd.DataFrame) -> pd.Series:
    unit = rows["quantity_unit"].astype("str").str.strip().str.casefold()
    default = rows["article"].map(DEFAULT_UNITS).astype("str").str.casefold()
    return rows["quantity_unit"].isna() | (unit == "") | (unit == default)


def article_summary(table: pd.DataFrame, article: int) -> ArticleSummary:
    """The :class:`ArticleSummary` of one article from a :func:`deadline_table` on D."""
    t = table[table["article"] == article]
    held = t["status"] != "none_held"
    done = t["status"] == "completed"
    open_ = still_to_do(t)
    overdue = open_ & (t["status"] == "overdue")
    pending = open_ & t["pending_requested_on"].notna()
    qty = t.loc[done & _in_default_unit(t), "quantity"].astype("float64").fillna(0.0).sum()

    def names(mask) -> tuple[str, ...]:
        return tuple(sorted(t.loc[mask, "state"], key=sort_key))

    return ArticleSummary(article, int(held.sum()), int(done.sum()), int(open_.sum()), int(overdue.sum()),
                          int(pending.sum()), float(qty), names(open_), names(overdue), names(pending))


def due_within(table: pd.DataFrame, days: int) -> pd.DataFrame:
    """Outstanding obligations whose effective deadline is D to D + ``days`` days, soonest first."""
    open_ = still_to_do(table)
    d = table["days_remaining"]
    return table[open_ & (d >= 0) & (d <= days)].sort_values(["effective_deadline", "state"], key=sort_key).reset_index(drop=True)


def pending_requests(table: pd.DataFrame) -> pd.DataFrame:
    """The extension requests pending on D, one per outstanding obligation, from the deadlines table:
    the one list the Deadlines page, the deck, the brief and the progress report show (DOMAIN.md §6).

    Returns:
        Columns ``state``, ``iso3``, ``article``, ``requested_on``, ``new_deadline`` (asked for; NaT when
        the request names none), ``meeting`` (the meeting that decides; None when not on record) and
        ``decides_on``, by deciding day, article and State.
    """
    t = table[still_to_do(table) & table["pending_requested_on"].notna()]
    out = pd.DataFrame({"state": t["state"], "iso3": t["iso3"], "article": t["article"],
                        "requested_on": t["pending_requested_on"], "new_deadline": t["pending_new_deadline"],
                        "meeting": t["pending_meeting"], "decides_on": t["pending_decides_on"]})
    return out.sort_values(["decides_on", "article", "state"], key=sort_key).reset_index(drop=True)


def record_progress(states: pd.DataFrame, obligations: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The record over time up to D: one row per day on which a count changes, plus D.

    Counts follow :class:`ArticleSummary` (States Parties on each day; completions from the day
    they count from). Extensions do not change these counts, so they are not needed here.

    Returns:
        Columns ``date``, ``destroyed`` and ``still_to_destroy`` (Art. 3), ``submunitions_destroyed``,
        ``cleared`` and ``still_to_clear`` (Art. 4).
    """
    as_of = pd.Timestamp(as_of)
    o = obligation_deadlines(states, obligations)
    cols = ["date", "destroyed", "still_to_destroy", "submunitions_destroyed", "cleared", "still_to_clear"]
    if o.empty:
        return pd.DataFrame({c: pd.Series([], dtype="datetime64[us]" if c == "date" else "int64") for c in cols})
    events = pd.concat([o["ratification_date"], o["withdrawal_date"], o["eif"], o["completion_counts_from"]])
    first = treaty.OPENED_FOR_SIGNATURE  # nobody was a State Party before: start the series there
    days = np.array(sorted({max(d, first) for d in events.dropna() if d <= as_of} | {as_of}), dtype="datetime64[us]")

    def at(col):  # each row's date as an array, NaT where missing
        return o[col].to_numpy(dtype="datetime64[us]")

    rat, wd, eif, done_at = at("ratification_date"), at("withdrawal_date"), at("eif"), at("completion_counts_from")
    d = days[:, None]
    party = (rat <= d) & ~(wd <= d)
    done = party & (done_at <= d)
    none_held = o["none_held"].to_numpy(dtype=bool)
    completed = done & ~none_held
    open_ = party & ~done & ~(done_at < eif)
    art = o["article"].to_numpy(dtype="int64")
    qty = np.where(_in_default_unit(o).to_numpy(dtype=bool), o["quantity"].astype("float64").fillna(0).to_numpy(), 0.0)
    return pd.DataFrame({
        "date": days,
        "destroyed": (completed & (art == 3)).sum(axis=1),
        "still_to_destroy": (open_ & (art == 3)).sum(axis=1),
        "submunitions_destroyed": (completed * np.where(art == 3, qty, 0.0)).sum(axis=1),
        "cleared": (completed & (art == 4)).sum(axis=1),
        "still_to_clear": (open_ & (art == 4)).sum(axis=1),
    })


def obligation_events(states: pd.DataFrame, obligations: pd.DataFrame, extensions: pd.DataFrame, iso3: str,
                      as_of: pd.Timestamp, meetings: pd.DataFrame | None = None) -> pd.DataFrame:
    """One State's Article 3/4 record as facts in time order, only those dated on or before D (the words:
    ``narrative.obligation_story``).

    Events (``event`` codes): ``bound`` (entry into force, with its ``deadline``), ``bound_already_done`` (entry
    into force after the stocks were destroyed or the remnants cleared: no deadline runs), ``none_held`` (a
    declaration that none was ever held), ``completed`` (dated the day it counts from, ``precision`` as
    recorded, ``quantity`` and ``unit``, ``before_eif``), ``requested`` (``new_deadline`` asked for and
    ``decision`` on D: ``granted``, ``pending`` or ``not_recorded``, see :func:`open_requests`) and ``granted``
    (``new_deadline``, ``meeting``). Each carries the sources of its row knowable on D (:func:`source_links`).

    Returns:
        Columns ``date``, ``precision``, ``article``, ``event``, ``deadline``, ``new_deadline``, ``meeting``,
        ``quantity``, ``unit``, ``before_eif``, ``decision``, ``completed_on`` and ``sources``.
    """
    as_of = pd.Timestamp(as_of)
    o = obligation_deadlines(states, obligations)
    o = o[o["iso3"] == iso3]
    e = extensions[extensions["iso3"] == iso3]
    rows = []

    def add(day, article, event, source, **facts):
        if day is not None and pd.notna(day) and pd.Timestamp(day) <= as_of:
            rows.append({"date": pd.Timestamp(day), "article": int(article), "event": event,
                         "sources": source_links(source, as_of), **facts})

    for r in o.itertuples():
        src = getattr(r, "source", None)
        done_at, precision = r.completion_counts_from, getattr(r, "completed_precision", None)
        already = pd.notna(done_at) and pd.notna(r.eif) and done_at < r.eif and not r.none_held
        if pd.notna(r.eif):
            add(r.eif, r.article, "bound_already_done" if already else "bound", src, deadline=r.deadline)
        if pd.notna(done_at):
            unit = getattr(r, "quantity_unit", None)
            add(done_at, r.article, "none_held" if r.none_held else "completed", src,
                precision=precision if done_at != r.completed_on else None, completed_on=r.completed_on,
                quantity=getattr(r, "quantity", None),
                unit=unit if isinstance(unit, str) and unit.strip() else DEFAULT_UNITS[int(r.article)],
                before_eif=bool(pd.notna(r.eif) and done_at < r.eif))
    decisions = open_requests(e, as_of, meetings).set_index(["article", "requested_on"])["decision"] \
        if len(e) else pd.Series(dtype="str")
    for r in e.itertuples():
        src = getattr(r, "source", None)
        granted_by_d = pd.notna(r.granted_on) and r.granted_on <= as_of
        decision = "granted" if granted_by_d else decisions.get((r.article, r.requested_on), "pending")
        add(r.requested_on, r.article, "requested", src, new_deadline=r.new_deadline, decision=decision)
        meeting = r.meeting if isinstance(r.meeting, str) and r.meeting.strip() else None
        add(r.granted_on, r.article, "granted", src, new_deadline=r.new_deadline, meeting=meeting)
    cols = ["date", "precision", "article", "event", "deadline", "new_deadline", "meeting", "quantity", "unit",
            "before_eif", "decision", "completed_on", "sources"]
    out = pd.DataFrame(rows).reindex(columns=cols)
    return out.sort_values(["date", "article"], kind="stable").reset_index(drop=True)


def extension_too_long(previous: pd.Series, new: pd.Series, article: pd.Series) -> pd.Series:
    """True where an extension runs longer than the Convention allows (4 or 5 years)."""
    limit = treaty.add_years(previous, article.map(treaty.EXTENSION_YEARS))
    return new > limit
