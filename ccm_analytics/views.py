"""One function per page: everything a page shows, computed from the data for day D.

Pages call exactly one of these (through the UI cache) and draw the result, so the pages,
the slides and the ``metrics`` command all rest on the same analysis functions.

The texts built here for people (pending requests, last contacts, promises, the state profile's
date labels, work-plan statuses) are in the run's language (:mod:`ccm_analytics.i18n`): a cache of
these results must be keyed by the language too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import countries
from . import formatting as fmt
from . import narrative
from .i18n import _
from .analysis import budget as b
from .analysis import deadlines as dl
from .analysis import followups as fu
from .analysis import funding as fd
from .analysis import projection as pj
from .analysis import reporting as rp
from .analysis import states as sts
from .analysis import treaty
from .data import CcmData
from .metrics import Snapshot, snapshot
from .analysis.followups import known_followups
from .outputs.ical import KIND_LABELS, coming_up


# -- Overview ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Overview:
    """Headline figures for D.

    Attributes:
        snap: The metrics snapshot (universalization, reporting, deadlines, budget).
        deadline_counts: Deadlines by status. reports_overdue_initial / _annual: overdue counts.
        has_budget: Whether a budget is loaded for D's year.
        latest_budget_year: When D's year has no budget, the latest year before it that has one (else None).
    """

    snap: Snapshot
    deadline_counts: dl.DeadlineCounts
    reports_overdue_initial: int
    reports_overdue_annual: int
    has_budget: bool
    latest_budget_year: int | None = None

    @property
    def reports_overdue(self) -> int:
        return self.reports_overdue_initial + self.reports_overdue_annual

    @property
    def pending(self) -> pd.DataFrame:
        """The extension requests pending on D (:func:`deadlines.pending_requests`, the one list)."""
        return dl.pending_requests(self.snap.deadlines)

    @property
    def record(self) -> dict[int, dl.ArticleSummary]:
        """The Article 3 and 4 record on D (DOMAIN §6: the ``stockpiles`` and ``clearance`` metrics)."""
        return {a: dl.article_summary(self.snap.deadlines, a) for a in (3, 4)}


def overview_view(data: CcmData, as_of: pd.Timestamp) -> Overview:
    """The Overview page: the snapshot plus the counts its cards need."""
    snap = snapshot(data, as_of)
    return Overview(
        snap=snap,
        deadline_counts=dl.deadline_counts(snap.deadlines),
        reports_overdue_initial=snap.reporting.overdue_count("initial"),
        reports_overdue_annual=snap.reporting.overdue_count("annual"),
        has_budget=snap.budget.total.budget > 0,
        latest_budget_year=None if snap.budget.total.budget > 0 else
        next((y for y in reversed(budget_years(data)) if y < as_of.year), None),
    )


# -- Budget and spend ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetView:
    """Everything the budget page shows for year Y on D."""

    year: int
    status: b.BudgetStatus
    total_outlook: str  # the total's verdict (projection.outlook): over_budget, may_end_over, on_budget, ...
    cumulative: pd.DataFrame
    monthly: pd.DataFrame
    contributions_by_month: pd.DataFrame
    contributions_by_donor: pd.DataFrame
    multi_year: pd.DataFrame
    projection: pj.Projection | None = None
    outlook: pd.DataFrame | None = None
    same_day: pd.DataFrame | None = None
    by_day_of_year: pd.DataFrame | None = None
    pledges: fd.Pledges | None = None
    cash: fd.Cash | None = None
    same_day_lines: pd.DataFrame | None = None  # same_day's cost lines side by side (b.same_day_by_line)

    @property
    def last_year(self) -> pd.Series | None:
        """The total row of the year before Y at the same day (None when there is none)."""
        if self.same_day is None:
            return None
        t = self.same_day[(self.same_day["cost_line"] == "Total") & (self.same_day["year"] == self.year - 1)]
        return None if t.empty else t.iloc[0]


def budget_years(data: CcmData) -> list[int]:
    """Years with a budget, ascending."""
    return sorted(int(y) for y in data.budget["year"].dropna().unique())


def default_budget_year(data: CcmData, as_of: pd.Timestamp) -> int | None:
    """D's year when it has a budget, else the latest budget year before it, else the first."""
    years = budget_years(data)
    if not years:
        return None
    if as_of.year in years:
        return as_of.year
    earlier = [y for y in years if y < as_of.year]
    return earlier[-1] if earlier else years[0]


def budget_view(data: CcmData, as_of: pd.Timestamp, year: int) -> BudgetView:
    """The budget page for year Y as known on D."""
    status = b.budget_status(data.budget, data.spend, data.contributions, year, as_of)
    proj = pj.projection(data.budget, data.spend, year, as_of)
    same_day = b.same_day_comparison(data.budget, data.spend, data.contributions, year, as_of)
    every = b.same_day_comparison(data.budget, data.spend, data.contributions, as_of.year, as_of)
    at_day = every.loc[every["cost_line"] == "Total", ["year", "spent", "received"]].rename(
        columns={"spent": "spent_same_day", "received": "received_same_day"})
    multi = b.multi_year(data.budget, data.spend, data.contributions, as_of)
    multi = multi.merge(at_day.astype({"year": multi["year"].dtype}), on="year", how="left")
    multi[["spent_same_day", "received_same_day"]] = multi[["spent_same_day", "received_same_day"]].fillna(0.0)
    # (years after D's year have not started: nothing spent or received by D)
    total_outlook = pj.total_outlook(status, proj)[0]
    return BudgetView(
        year=year,
        status=status,
        total_outlook=total_outlook,
        cumulative=b.cumulative_vs_plan(data.budget, data.spend, year, as_of, proj.year_end),
        monthly=b.monthly_spend(data.spend, year, as_of),
        contributions_by_month=fd.contributions_by_month(data.contributions, year, as_of),
        contributions_by_donor=fd.contributions_by_donor(data.contributions, year, as_of),
        multi_year=multi,
        projection=proj,
        outlook=narrative.with_outlook_words(pj.line_outlook(status, proj)),
        same_day=same_day,
        same_day_lines=b.same_day_by_line(same_day),  # here, cached with the view: 15 ms a run in the page
        by_day_of_year=b.cumulative_by_day_of_year(data.spend, year, as_of),
        pledges=(fd.pledges_status(data.pledges, data.contributions, status.total.budget, year, as_of)
                 if len(data.pledges) else None),
        cash=fd.cash_status(status.received, status.total.spent, status.elapsed_fraction),
    )


# -- Transparency reports -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportsView:
    """Everything the reports page shows on D."""

    summary: rp.ReportingSummary
    series: pd.DataFrame
    grid: pd.DataFrame
    cohorts: pd.DataFrame
    years: list[int]


def reports_view(data: CcmData, as_of: pd.Timestamp, report_year: int | None = None) -> ReportsView:
    statuses = rp.report_statuses(data.states, data.reports, as_of)
    summary = rp.reporting_summary(statuses, as_of, report_year)
    due = statuses[statuses["is_due"]]
    years = sorted(int(y) for y in due.loc[due["report_type"] == "annual", "year"].dropna().unique())
    return ReportsView(summary, rp.reporting_series(statuses), rp.status_grid(due), rp.cohort_compliance(statuses),
                       years)


def regions(data: CcmData) -> list[str]:
    """The regions named in ``states``, sorted."""
    return sorted(data.states["region"].dropna().unique(), key=fmt.sort_key)


def filter_overdue(overdue: pd.DataFrame, regions: list[str], types: list[str]) -> pd.DataFrame:
    """The overdue list narrowed to some regions and report types (empty list: all)."""
    keep = pd.Series(True, index=overdue.index)
    if regions:
        keep &= overdue["region"].isin(regions)
    if types:
        keep &= overdue["report_type"].isin(types)
    return overdue[keep]


# -- Deadlines -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeadlinesView:
    """Everything the Deadlines page shows on D.

    Attributes:
        table: :func:`deadlines.deadline_table` plus ``completed_text`` (the completion as known:
            "June 2023") and ``pending_text`` (the request pending on D; "" when none); outstanding
            obligations first.
        counts: Obligations by status. segments: the timeline (completed obligations only when
            asked for). summary: ``{3: ArticleSummary, 4: ArticleSummary}``.
        due_12 / due_24: outstanding obligations due within 365 / 730 days, soonest first.
        progress: :func:`deadlines.record_progress` up to D.
    """

    table: pd.DataFrame
    counts: dl.DeadlineCounts
    segments: pd.DataFrame
    summary: dict
    due_12: pd.DataFrame
    due_24: pd.DataFrame
    progress: pd.DataFrame
    pending: pd.DataFrame = None  # :func:`deadlines.pending_requests`: the requests pending on D


def _pending_text(requested, new_deadline, meeting=None, unrecorded=None) -> str:
    """The request pending on D: "Requested 5 Sep 2018, to 1 Aug 2020; decided at the 9MSP" ("" when none);
    a request whose deciding meeting is over with no decision on record: "Requested ...: decision not recorded"."""
    if pd.isna(requested):
        if unrecorded is not None and pd.notna(unrecorded):
            return _("Requested {day}: decision not recorded").format(day=fmt.day_text(unrecorded))
        return ""
    if pd.notna(new_deadline):
        text = _("Requested {day}, to {deadline}").format(day=fmt.day_text(requested), deadline=fmt.day_text(new_deadline))
    else:
        text = _("Requested {day}").format(day=fmt.day_text(requested))
    if isinstance(meeting, str) and meeting:
        text = _("{request}; decided at the {meeting}").format(request=text, meeting=meeting)
    return text


def _labelled(segments: pd.DataFrame) -> pd.DataFrame:
    """The timeline's segments with their row label: "Bulgaria · Art. 3" (the chart's y axis)."""
    return segments.assign(label=[_("{state} · Art. {article}").format(state=s, article=a)
                                  for s, a in zip(segments["state"], segments["article"])])


def deadlines_view(data: CcmData, as_of: pd.Timestamp, include_completed: bool = False) -> DeadlinesView:
    table = dl.deadline_table(data.states, data.obligations, data.extensions, as_of, data.meetings)
    table = table.assign(
        completed_text=[fmt.day_text(d, p) if pd.notna(d) else ""
                        for d, p in zip(table["completed_on"], table["completed_precision"])],
        pending_text=[_pending_text(r, n, m, u) for r, n, m, u in zip(
            table["pending_requested_on"], table["pending_new_deadline"], table["pending_meeting"],
            table["unrecorded_requested_on"])])
    # Outstanding obligations first (soonest deadline first), then the closed ones.
    table = table.assign(_closed=table["status"].isin(dl.CLOSED)).sort_values(
        ["_closed", "effective_deadline", "state"], kind="stable", key=fmt.sort_key).drop(columns="_closed").reset_index(drop=True)
    return DeadlinesView(table, dl.deadline_counts(table),
                         _labelled(dl.deadline_segments(data.states, data.obligations, data.extensions, as_of,
                                                        include_closed=include_completed, meetings=data.meetings)),
                         {a: dl.article_summary(table, a) for a in (3, 4)},
                         dl.due_within(table, dl.WITHIN_12_MONTHS_DAYS), dl.due_within(table, dl.WITHIN_24_MONTHS_DAYS),
                         dl.record_progress(data.states, data.obligations, as_of), dl.pending_requests(table))


# -- Universalization ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UniversalizationView:
    counts: sts.Universalization
    series: pd.DataFrame
    joins: pd.DataFrame
    signatories: pd.DataFrame
    status: pd.DataFrame


def universalization_view(data: CcmData, as_of: pd.Timestamp) -> UniversalizationView:
    return UniversalizationView(
        counts=sts.universalization(data.states, as_of),
        series=sts.parties_over_time(data.states, as_of),
        joins=sts.joins_by_year(data.states, as_of),
        signatories=sts.signatories_to_ratify(data.states, as_of),
        status=sts.status_table(data.states, as_of).pipe(
            lambda t: t.assign(status_label=t["status"].map(narrative.status_label))),
    )


# -- State profile ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StateView:
    """One state's dates, status, obligations, reports and contributions on D.

    Attributes:
        iso3, name, region, status: Who, and its status on D.
        dates: Signature, deposit, entry into force, withdrawal, initial report due (labels in the
            run's language).
        accession: Whether it joined by accession.
        deadlines: Its Article 3/4 rows (as States Parties see them on D).
        extensions: Its extensions granted by D.
        story: Its Article 3/4 record in time order, only facts dated on or before D, each with
            the sources knowable on D (:func:`deadlines.obligation_story`).
        record_notes: Per article, the record's notes that can have been written by D.
        reports: Every report it owed with its status on D.
        contributions: Contributions it made (donor name matched to the state).
    """

    iso3: str
    name: str
    region: str | None
    status: str
    dates: dict
    accession: bool | None
    deadlines: pd.DataFrame
    extensions: pd.DataFrame
    reports: pd.DataFrame
    contributions: pd.DataFrame
    story: pd.DataFrame = None
    record_notes: dict = None
    followups: pd.DataFrame | None = None


def state_options(data: CcmData) -> pd.DataFrame:
    """States to pick from: ``iso3`` and ``state``, by name."""
    return data.states[["iso3", "state"]].sort_values("state", key=fmt.sort_key).reset_index(drop=True)


def state_view(data: CcmData, as_of: pd.Timestamp, iso3: str) -> StateView | None:
    """The profile of one state on D (None if the state is not in the data)."""
    t = sts.state_table(data.states)
    row = t[t["iso3"] == iso3]
    if row.empty:
        return None
    s = row.iloc[0]
    status = sts.status_on(row, as_of).iloc[0]
    table = dl.deadline_table(data.states, data.obligations, data.extensions, as_of, data.meetings)
    ext = dl.granted_extensions(data.extensions, as_of)
    reports = rp.report_statuses(data.states, data.reports, as_of)
    donors = data.contributions.assign(iso3=data.contributions["donor"].map(countries.to_iso3))
    eif = s["eif"]
    return StateView(
        iso3=iso3, name=s["state"], region=s["region"] if pd.notna(s["region"]) else None, status=status,
        dates={_("Signature"): s["signature_date"], _("Ratification or accession"): s["ratification_date"],
               _("Entry into force"): eif, _("Withdrawal"): s["withdrawal_date"],
               _("Initial report due"): treaty.initial_report_due(pd.Series([eif]))[0] if pd.notna(eif) else pd.NaT},
        accession=None if pd.isna(s["accession"]) else bool(s["accession"]),
        deadlines=table[table["iso3"] == iso3].reset_index(drop=True),
        extensions=ext[ext["iso3"] == iso3].assign(notes=lambda f: dl.knowable_note(f["notes"], as_of))
        .reset_index(drop=True),
        story=narrative.obligation_story(dl.obligation_events(data.states, data.obligations, data.extensions, iso3,
                                                              as_of, data.meetings)),
        record_notes={int(a): n for a, n in zip(table.loc[table["iso3"] == iso3, "article"],
                                                table.loc[table["iso3"] == iso3, "notes"]) if isinstance(n, str)},
        reports=reports[reports["iso3"] == iso3].sort_values("due_date").reset_index(drop=True),
        contributions=donors[donors["iso3"] == iso3].sort_values("date").reset_index(drop=True),
        followups=state_followups(data, as_of, iso3),
    )


# -- Work plan and meetings -------------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkplanView:
    activities: pd.DataFrame
    by_outcome: pd.DataFrame
    status_counts: dict


def workplan_view(data: CcmData, as_of: pd.Timestamp) -> WorkplanView:
    w = data.workplan.assign(status=data.workplan["status"].fillna("Not stated"),
                             outcome=data.workplan["outcome"].fillna(_("(no outcome)")))
    by = w.pivot_table(index="outcome", columns="status", values="activity", aggfunc="count", fill_value=0)
    order = [c for c in ("Completed", "In progress", "Not started", "Not requested") if c in by.columns]
    by = by[order + [c for c in by.columns if c not in order]].reset_index()
    # by_outcome keeps the statuses as loaded (the chart colours them); the page shows them in the language
    shown = w.assign(status=w["status"].map(fmt.workplan_status))
    return WorkplanView(shown, by, shown["status"].value_counts().to_dict())


@dataclass(frozen=True)
class MeetingsView:
    meetings: pd.DataFrame
    totals: dict


def meetings_view(data: CcmData, as_of: pd.Timestamp) -> MeetingsView:
    """Meetings that started by D, with cost per sponsored delegate."""
    m = data.meetings[data.meetings["start_date"] <= as_of].sort_values("start_date").copy()
    delegates = m["sponsored_delegates"].astype("Float64")
    m["cost_per_delegate"] = (m["sponsorship_cost"] / delegates.where(delegates > 0)).astype("float64")
    totals = {"meetings": len(m), "delegates": int(m["sponsored_delegates"].fillna(0).sum()),
              "cost": float(m["sponsorship_cost"].fillna(0).sum())}
    totals["cost_per_delegate"] = totals["cost"] / totals["delegates"] if totals["delegates"] else None
    return MeetingsView(m.reset_index(drop=True), totals)


# -- Working Groups: overdue by State, repeat non-reporters, follow-ups, what falls due ----------------

@dataclass(frozen=True)
class OverdueView:
    """The Reports page's overdue tab on D, narrowed to some regions and report types.

    Attributes:
        by_state: One row per State with anything overdue (``reporting.overdue_by_state``) plus
            its last contact and promise (``analysis.followups.with_last_contact``), and the
            display columns ``contact`` and ``promise``.
        reports: The one-row-per-report overdue list.
        repeat: Repeat non-reporters (2+ of the last five annual reports missed), one column per year.
        years: The five annual report years, oldest first.
    """

    by_state: pd.DataFrame
    reports: pd.DataFrame
    repeat: pd.DataFrame
    years: list[int]


# How a State was contacted (``followups.CHANNELS``), as the Overdue table names it.
CHANNEL_NAMES = fmt.CHANNELS


def _contact_text(r) -> str:
    """The last contact: "23 Jul 2016 · letter" (the channel named in the language)."""
    if pd.isna(r.last_contact):
        return "\u2014"
    channel = _(CHANNEL_NAMES[r.last_channel]) if r.last_channel in CHANNEL_NAMES else r.last_channel
    return f"{fmt.day(r.last_contact)} \u00b7 {channel}"


def _promise_text(r) -> str:
    if pd.isna(r.promised_on):
        return "\u2014"
    day = fmt.day(r.promised_on)
    return _("Missed: {day}").format(day=day) if r.promise_missed else _("By {day}").format(day=day)


def overdue_view(data: CcmData, as_of: pd.Timestamp, regions: tuple = (), types: tuple = ()) -> OverdueView:
    """Who is overdue on D, by State and report by report, and who misses year after year."""

    statuses = rp.report_statuses(data.states, data.reports, as_of)
    if regions:
        statuses = statuses[statuses["region"].isin(regions)]
    full = rp.overdue_by_state(statuses, as_of)
    shown = statuses
    if types:  # keep the other types' reports for missed_last_5, drop only their overdue rows
        shown = statuses[(statuses["status"] != "overdue") | statuses["report_type"].isin(types)]
        by_state = rp.overdue_by_state(shown, as_of)
        by_state["missed_last_5"] = by_state["iso3"].map(full.set_index("iso3")["missed_last_5"]).astype(int)
    else:
        by_state = full
    by_state = narrative.with_outstanding_labels(fu.with_last_contact(by_state, data.followups, as_of))
    by_state["contact"] = [_contact_text(r) for r in by_state.itertuples()]
    by_state["promise"] = [_promise_text(r) for r in by_state.itertuples()]
    repeat = rp.repeat_non_reporters(statuses, as_of)
    years = rp.last_annual_years(as_of)
    return OverdueView(by_state, filter_overdue(rp.overdue_reports(shown), list(regions), list(types)), repeat, years)


def state_followups(data: CcmData, as_of: pd.Timestamp, iso3: str) -> pd.DataFrame:
    """One State's contacts known on D (dated on or before D), newest first."""

    f = known_followups(data.followups, as_of)
    return f[f["iso3"] == iso3].reset_index(drop=True)


def coming_up_view(data: CcmData, as_of: pd.Timestamp, months: int = 24) -> pd.DataFrame:
    """What falls due from D to ``months`` later (see ``outputs.ical.coming_up``)."""

    out = coming_up(data, as_of, months)
    return out.assign(what=out["kind"].map(lambda k: _(KIND_LABELS[k]) if k in KIND_LABELS else k))
