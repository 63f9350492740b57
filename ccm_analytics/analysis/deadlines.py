"""Article 3 (stockpile destruction) and Article 4 (clearance) deadlines on a day D.

The deadline is the one given in ``obligations``, else entry into force + 8 years
(Article 3) or + 10 years (Article 4). The *effective* deadline on D is the new deadline of
the latest extension granted on or before D, else the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import treaty
from .states import is_party, state_table

STATUSES = ("completed", "overdue", "due_within_12_months", "on_track")
STATUS_LABELS = {
    "completed": "Completed",
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
        ``withdrawal_date`` and ``deadline`` filled.
    """
    t = state_table(states)[["iso3", "state", "region", "eif", "ratification_date", "withdrawal_date"]]
    o = obligations.merge(t, on="iso3", how="left")
    computed = treaty.article_deadline(o["eif"], o["article"])
    return o.assign(deadline=o["deadline"].where(o["deadline"].notna(), computed),
                    deadline_given=o["deadline"].notna())


def granted_extensions(extensions: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Extensions granted on or before D, in the order they were granted."""
    e = extensions[extensions["granted_on"] <= pd.Timestamp(as_of)]
    return e.sort_values(["iso3", "article", "granted_on", "new_deadline"]).reset_index(drop=True)


def deadline_table(states: pd.DataFrame, obligations: pd.DataFrame, extensions: pd.DataFrame,
                   as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per obligation of a State Party on D, with its status, by effective deadline.

    Returns:
        Columns ``state``, ``iso3``, ``region``, ``article``, ``deadline``,
        ``effective_deadline``, ``extensions`` (granted by D), ``completed_on``, ``status``,
        ``days_remaining`` (None when completed) and ``notes``.
    """
    as_of = pd.Timestamp(as_of)
    o = obligation_deadlines(states, obligations)
    o = o[is_party(o, as_of)]
    granted = granted_extensions(extensions, as_of)
    latest = granted.groupby(["iso3", "article"], as_index=False).agg(
        effective_deadline=("new_deadline", "last"), extensions=("new_deadline", "size"))
    o = o.merge(latest, on=["iso3", "article"], how="left")
    o["effective_deadline"] = o["effective_deadline"].where(o["effective_deadline"].notna(), o["deadline"])
    o["extensions"] = o["extensions"].fillna(0).astype(int)
    completed = o["completed_on"] <= as_of
    remaining = (o["effective_deadline"] - as_of).dt.days
    o["status"] = pd.Series(np.select(
        [completed, o["effective_deadline"] < as_of, remaining <= WITHIN_12_MONTHS_DAYS],
        ["completed", "overdue", "due_within_12_months"], "on_track"), index=o.index, dtype="str")
    o["days_remaining"] = remaining.astype("Int64").where(~completed)
    o["completed_on"] = o["completed_on"].where(completed)
    cols = ["state", "iso3", "region", "article", "deadline", "effective_deadline", "extensions",
            "completed_on", "status", "days_remaining", "notes"]
    return o.sort_values(["effective_deadline", "state", "article"])[cols].reset_index(drop=True)


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


def deadline_counts(table: pd.DataFrame) -> DeadlineCounts:
    """Counts of a :func:`deadline_table`."""
    open_ = table["status"] != "completed"
    days = table["days_remaining"]
    return DeadlineCounts(
        total=len(table),
        completed=int((~open_).sum()),
        outstanding=int(open_.sum()),
        overdue=int((table["status"] == "overdue").sum()),
        due_within_12_months=int((open_ & (days >= 0) & (days <= WITHIN_12_MONTHS_DAYS)).sum()),
        due_within_24_months=int((open_ & (days >= 0) & (days <= WITHIN_24_MONTHS_DAYS)).sum()),
    )


def deadline_segments(states: pd.DataFrame, obligations: pd.DataFrame, extensions: pd.DataFrame,
                      as_of: pd.Timestamp) -> pd.DataFrame:
    """Timeline segments per obligation: the original period, then each extension granted by D.

    Returns:
        Columns ``label`` (e.g. "Bulgaria · Art. 3"), ``state``, ``iso3``, ``article``,
        ``segment`` ("Original deadline" or "Extension n"), ``start``, ``end``,
        ``granted_on`` and ``meeting``; plus ``completed_on`` per obligation.
    """
    table = deadline_table(states, obligations, extensions, as_of)
    o = obligation_deadlines(states, obligations).merge(
        table[["iso3", "article", "status"]], on=["iso3", "article"])
    o["label"] = o["state"] + " · Art. " + o["article"].astype(str)
    base = o.assign(segment="Original deadline", start=o["eif"], end=o["deadline"], granted_on=pd.NaT, meeting=None)
    ext = granted_extensions(extensions, as_of).merge(o[["iso3", "article", "label", "state", "deadline", "completed_on", "status"]],
                                                     on=["iso3", "article"])
    ext["n"] = ext.groupby(["iso3", "article"]).cumcount() + 1
    ext["start"] = ext.groupby(["iso3", "article"])["new_deadline"].shift(1)
    ext["start"] = ext["start"].where(ext["start"].notna(), ext["deadline"])
    ext = ext.assign(segment="Extension " + ext["n"].astype(str), end=ext["new_deadline"])
    cols = ["label", "state", "iso3", "article", "segment", "start", "end", "granted_on", "meeting", "completed_on", "status"]
    completed_on = base["completed_on"].where(base["completed_on"] <= pd.Timestamp(as_of))
    base = base.assign(completed_on=completed_on)
    ext = ext.assign(completed_on=ext["completed_on"].where(ext["completed_on"] <= pd.Timestamp(as_of)))
    return pd.concat([base[cols], ext[cols]], ignore_index=True).sort_values(["end"]).reset_index(drop=True)


def extension_too_long(previous: pd.Series, new: pd.Series, article: pd.Series) -> pd.Series:
    """True where an extension runs longer than the Convention allows (4 or 5 years)."""
    limit = treaty.add_years(previous, article.map(treaty.EXTENSION_YEARS))
    return new > limit
