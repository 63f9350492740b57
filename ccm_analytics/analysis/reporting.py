"""Article 7 transparency reports: who owed what, when, and whether it came in.

An *obligation* is one report a state owes: its initial report (due entry into force +
180 days) or its annual report for calendar year Y (due 30 April Y+1, owed once the initial
report was due by 31 December Y). A withdrawn state owes nothing due on or after its
withdrawal. On a day D an obligation is *due* when its due date is before D; a due report is
``on_time`` (submitted by its due date), ``late`` (after it, by D) or ``overdue``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..collation import sort_key

from . import treaty
from .memo import same_frames
from .states import state_table

STATUSES = ("on_time", "late", "overdue")
STATUS_LABELS = {"on_time": "On time", "late": "Late", "overdue": "Overdue", "not_due": "Not yet due"}
REPORT_TYPES = ("initial", "annual")


@same_frames()
def report_obligations(states: pd.DataFrame, reports: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Every report owed, with the earliest submission received for it.

    Args:
        states: The ``states`` dataset.
        reports: The ``reports`` dataset.
        last_year: Last calendar year of annual reports to list.

    Returns:
        One row per obligation: ``iso3``, ``state``, ``region``, ``eif``, ``report_type``,
        ``year`` (NA for initial reports), ``due_date`` and ``submitted_on`` (NaT if none).
    """
    t = state_table(states)
    t = t[t["eif"].notna()]
    t = t.assign(initial_due=treaty.initial_report_due(t["eif"]))
    base = ["iso3", "state", "region", "eif", "withdrawal_date"]

    initial = t[base].assign(report_type="initial", year=pd.NA, due_date=t["initial_due"])

    first_year = t["initial_due"].dt.year
    years = np.arange(int(first_year.min()) if len(t) else last_year + 1, last_year + 1)
    grid = t[base + ["initial_due"]].merge(pd.DataFrame({"year": years}), how="cross")
    grid = grid[grid["initial_due"] <= pd.to_datetime(grid["year"].astype(str) + "-12-31")]
    annual = grid.drop(columns="initial_due").assign(
        report_type="annual", due_date=treaty.annual_report_due(grid["year"]).to_numpy()
    )

    owed = pd.concat([initial, annual], ignore_index=True)
    owed["year"] = owed["year"].astype("Int64")
    owed = owed[~(owed["withdrawal_date"] <= owed["due_date"])].drop(columns="withdrawal_date")
    return _attach_submissions(owed, reports).reset_index(drop=True)


def _attach_submissions(owed: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Join the earliest submission per (state, report type, year); initial reports ignore year."""
    r = reports.assign(year=reports["year"].where(reports["report_type"] == "annual"))
    r["year"] = r["year"].astype("Int64")
    first = (r.groupby(["iso3", "report_type", "year"], dropna=False, as_index=False)["submitted_on"].min())
    return owed.merge(first, on=["iso3", "report_type", "year"], how="left")


def report_status(obligations: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each obligation's status on D.

    Returns:
        A new frame with ``status`` (``on_time``, ``late``, ``overdue`` or ``not_due``),
        ``is_due`` and ``days_overdue`` (D - due date, for overdue reports only).
    """
    as_of = pd.Timestamp(as_of)
    due = obligations["due_date"] < as_of
    sub = obligations["submitted_on"]
    status = np.select(
        [~due, sub <= obligations["due_date"], sub <= as_of],
        ["not_due", "on_time", "late"],
        "overdue",
    )
    days = (as_of - obligations["due_date"]).dt.days.astype("Int64")
    out = obligations.assign(status=pd.Series(status, index=obligations.index, dtype="str"), is_due=due)
    out["days_overdue"] = days.where(out["status"] == "overdue")
    out["submitted_by_as_of"] = sub.where(sub <= as_of)
    return out


@same_frames()
def report_statuses(states: pd.DataFrame, reports: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """All obligations up to D's calendar year with their status on D."""
    return report_status(report_obligations(states, reports, pd.Timestamp(as_of).year), as_of)


@dataclass(frozen=True)
class ReportCounts:
    """Reporting compliance for one report type (and year).

    Attributes:
        due: Reports due before D. on_time, late, overdue: their split (they add up to due).
        compliance_rate: on_time / due (None when nothing is due).
        submission_rate: (on_time + late) / due (None when nothing is due).
        year: Calendar year covered (annual reports only).
    """

    due: int
    on_time: int
    late: int
    overdue: int
    year: int | None = None

    @property
    def compliance_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def submission_rate(self) -> float | None:
        return (self.on_time + self.late) / self.due if self.due else None

    def as_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("due", "on_time", "late", "overdue", "compliance_rate", "submission_rate")}
        if self.year is not None:
            d["year"] = self.year
        return d


def count_statuses(statuses: pd.DataFrame, year: int | None = None) -> ReportCounts:
    """On-time / late / overdue counts among the due obligations of ``statuses``."""
    counts = statuses.loc[statuses["is_due"], "status"].value_counts()
    return ReportCounts(
        due=int(statuses["is_due"].sum()),
        on_time=int(counts.get("on_time", 0)),
        late=int(counts.get("late", 0)),
        overdue=int(counts.get("overdue", 0)),
        year=year,
    )


@dataclass(frozen=True)
class ReportingSummary:
    """Reporting on D: initial reports (all years), annual reports for one year, overdue list."""

    as_of: pd.Timestamp
    initial: ReportCounts
    annual: ReportCounts
    overdue: pd.DataFrame

    def overdue_count(self, report_type: str | None = None) -> int:
        """Overdue reports of all years (of one type, when given)."""
        od = self.overdue
        return len(od) if report_type is None else int((od["report_type"] == report_type).sum())


def reporting_summary(statuses: pd.DataFrame, as_of: pd.Timestamp, report_year: int | None = None) -> ReportingSummary:
    """The headline reporting figures of DOMAIN.md section 3.

    Args:
        statuses: Output of :func:`report_statuses` for D.
        as_of: D.
        report_year: Annual reporting year (default: the latest year due before D).
    """
    year = report_year if report_year is not None else treaty.default_report_year(as_of)
    initial = statuses[statuses["report_type"] == "initial"]
    annual = statuses[(statuses["report_type"] == "annual") & (statuses["year"] == year)]
    return ReportingSummary(
        as_of=pd.Timestamp(as_of),
        initial=count_statuses(initial),
        annual=count_statuses(annual, year),
        overdue=overdue_reports(statuses),
    )


def overdue_reports(statuses: pd.DataFrame) -> pd.DataFrame:
    """Every overdue report of every year, most days overdue first."""
    od = statuses[statuses["status"] == "overdue"]
    cols = ["state", "iso3", "region", "report_type", "year", "due_date", "days_overdue"]
    return (od.sort_values(["days_overdue", "state", "report_type", "year"],
                           ascending=[False, True, False, True], key=sort_key)[cols].reset_index(drop=True))


def reporting_series(statuses: pd.DataFrame) -> pd.DataFrame:
    """Counts and rates for every year, initial and annual.

    Initial reports are grouped by the year they were due; annual reports by the year they
    cover. Only reports due before D count.

    Returns:
        Columns ``report_type``, ``year``, ``due``, ``on_time``, ``late``, ``overdue``,
        ``compliance_rate``, ``submission_rate``.
    """
    due = statuses[statuses["is_due"]].copy()
    due["series_year"] = due["year"].where(due["report_type"] == "annual", due["due_date"].dt.year).astype("Int64")
    table = (due.groupby(["report_type", "series_year", "status"]).size()
             .unstack("status", fill_value=0).reindex(columns=list(STATUSES), fill_value=0))
    table = table.reset_index().rename(columns={"series_year": "year"})
    table["due"] = table[list(STATUSES)].sum(axis=1)
    table["compliance_rate"] = table["on_time"] / table["due"]
    table["submission_rate"] = (table["on_time"] + table["late"]) / table["due"]
    order = ["report_type", "year", "due", *STATUSES, "compliance_rate", "submission_rate"]
    return table[order].sort_values(["report_type", "year"], ascending=[False, True]).reset_index(drop=True)


def cohort_compliance(statuses: pd.DataFrame) -> pd.DataFrame:
    """Annual-report compliance grouped by the year each state's Convention entered into force.

    Returns:
        Columns ``cohort`` (EIF year), ``states``, ``due``, ``on_time``, ``late``, ``overdue``,
        ``compliance_rate``, ``submission_rate``.
    """
    due = statuses[statuses["is_due"] & (statuses["report_type"] == "annual")]
    due = due.assign(cohort=due["eif"].dt.year)
    g = due.groupby("cohort")
    out = pd.DataFrame({"states": g["iso3"].nunique()})
    counts = due.groupby(["cohort", "status"]).size().unstack(fill_value=0).reindex(columns=list(STATUSES), fill_value=0)
    out = out.join(counts)
    out["due"] = out[list(STATUSES)].sum(axis=1)
    out["compliance_rate"] = out["on_time"] / out["due"]
    out["submission_rate"] = (out["on_time"] + out["late"]) / out["due"]
    return out.reset_index()


def status_grid(statuses: pd.DataFrame) -> pd.DataFrame:
    """States by report (``Initial``, then each year) with each report's status on D."""
    s = statuses.assign(column=statuses["year"].astype("string").fillna("Initial"))
    grid = s.pivot_table(index="state", columns="column", values="status", aggfunc="first")
    cols = ["Initial"] + sorted(c for c in grid.columns if c != "Initial")
    return grid.reindex(columns=[c for c in cols if c in grid.columns])


def last_annual_years(as_of: pd.Timestamp, n: int = 5) -> list[int]:
    """The calendar years of the last ``n`` annual reports due by D (due date before D), oldest first.

    The annual report for year Y is due on 30 April Y+1, so on 2018-09-05 the last five are
    2013-2017, and on 2018-04-30 (the 2017 report is due that day, not before it) 2012-2016.
    """
    as_of = pd.Timestamp(as_of)
    latest = as_of.year - 1 if treaty.annual_report_due(as_of.year - 1) < as_of else as_of.year - 2
    return list(range(latest - n + 1, latest + 1))


def missed_annual(statuses: pd.DataFrame, as_of: pd.Timestamp, n: int = 5) -> pd.DataFrame:
    """How many of the last ``n`` annual reports due by D each State Party missed.

    A report is *missed* when it is late or overdue on D; years a State did not owe (before
    its first annual report) do not count. Returns one row per State with any report owed in
    those years: ``iso3``, ``state``, ``region``, ``owed`` (of the n), ``missed``, and one
    column per year holding that report's status (``on_time``, ``late``, ``overdue``, or NA
    where nothing was owed).
    """
    years = last_annual_years(as_of, n)
    a = statuses[(statuses["report_type"] == "annual") & statuses["year"].isin(years) & statuses["is_due"]]
    if a.empty:
        return pd.DataFrame(columns=["iso3", "state", "region", "owed", "missed", *years])
    strip = a.pivot_table(index="iso3", columns="year", values="status", aggfunc="first")
    strip = strip.reindex(columns=years)
    strip.columns = [int(c) for c in strip.columns]
    names = a.drop_duplicates("iso3").set_index("iso3")[["state", "region"]]
    out = names.join(strip, how="inner").reset_index()
    marks = out[years]
    out.insert(3, "owed", marks.notna().sum(axis=1).astype(int))
    out.insert(4, "missed", marks.isin(["late", "overdue"]).sum(axis=1).astype(int))
    return out


def repeat_non_reporters(statuses: pd.DataFrame, as_of: pd.Timestamp, n: int = 5, at_least: int = 2) -> pd.DataFrame:
    """States Parties that missed (late or overdue) ``at_least`` of the last ``n`` annual reports.

    Ranked by most missed, then most overdue among them, then name. Columns as
    :func:`missed_annual`, plus ``overdue`` (how many of the missed are still outstanding).
    """
    m = missed_annual(statuses, as_of, n)
    years = [c for c in m.columns if isinstance(c, int)]
    m = m[m["missed"] >= at_least].copy()
    m.insert(5, "overdue", (m[years] == "overdue").sum(axis=1).astype(int) if years else 0)
    return m.sort_values(["missed", "overdue", "state"], ascending=[False, False, True], key=sort_key).reset_index(drop=True)


def status_by_state(statuses: pd.DataFrame, annual_year: int | None) -> pd.DataFrame:
    """Every State that owes Article 7 reports on D, with the status of its initial report and of its annual
    report for ``annual_year`` (``on_time``, ``late``, ``overdue``, ``not_due``; None when not owed) and how many
    of its reports are overdue, by State name (the progress report's annex; DOMAIN §11a).

    Columns: ``state``, ``iso3``, ``initial``, ``annual``, ``overdue``.
    """
    cols = ["state", "iso3", "initial", "annual", "overdue"]
    if statuses.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for iso3, g in statuses.groupby("iso3", sort=False):
        initial = g.loc[g["report_type"] == "initial", "status"]
        annual = g.loc[(g["report_type"] == "annual") & (g["year"] == annual_year), "status"] \
            if annual_year is not None else pd.Series([], dtype="str")
        rows.append({"state": g["state"].iloc[0], "iso3": iso3,
                     "initial": initial.iloc[0] if len(initial) else None,
                     "annual": annual.iloc[0] if len(annual) else None,
                     "overdue": int((g["status"] == "overdue").sum())})
    return pd.DataFrame(rows, columns=cols).sort_values("state", key=sort_key).reset_index(drop=True)


def overdue_by_state(statuses: pd.DataFrame, as_of: pd.Timestamp, n: int = 5) -> pd.DataFrame:
    """One row per State Party with any report overdue on D, longest delay first.

    Columns: ``state``, ``iso3``, ``region``, ``outstanding`` (list of dicts ``report_type``,
    ``year`` (None for initial), ``due_date``, in due order; in words: ``narrative.outstanding_label``),
    ``count``, ``oldest_due_date``, ``days_overdue`` (D minus
    the oldest due date), ``missed_last_5`` (late or overdue among the last ``n`` annual
    reports due by D). Sorted by oldest due date, then State name.
    """
    cols = ["state", "iso3", "region", "outstanding", "count",
            "oldest_due_date", "days_overdue", "missed_last_5"]
    od = statuses[statuses["status"] == "overdue"].sort_values(["due_date", "report_type"], ascending=[True, False])
    if od.empty:
        return pd.DataFrame(columns=cols)
    items: dict[str, list[dict]] = {}  # a State's reports in due order (one pass over columns: no row objects)
    for iso3, report_type, year, due_date in zip(od["iso3"], od["report_type"], od["year"], od["due_date"]):
        items.setdefault(iso3, []).append({"report_type": report_type, "year": None if pd.isna(year) else int(year),
                                           "due_date": due_date})
    first = od.drop_duplicates("iso3")  # each State's oldest report, States in order of it
    out = pd.DataFrame({"state": first["state"].to_numpy(), "iso3": first["iso3"].to_numpy(),
                        "region": first["region"].to_numpy(),
                        "outstanding": [items[i] for i in first["iso3"]],
                        "count": [len(items[i]) for i in first["iso3"]],
                        "oldest_due_date": first["due_date"].to_numpy(),
                        "days_overdue": first["days_overdue"].astype(int).to_numpy()})
    missed = missed_annual(statuses, as_of, n).set_index("iso3")["missed"]
    out["missed_last_5"] = out["iso3"].map(missed).fillna(0).astype(int)
    return out.sort_values(["oldest_due_date", "state"], key=sort_key).reset_index(drop=True)[cols]
