"""The headline metrics of DOMAIN.md section 4, as one JSON-ready dict.

The CLI's ``metrics`` command, the pages and the slides all take their numbers from the
analysis functions this module calls, so they cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .analysis import budget as b
from .analysis import deadlines as dl
from .analysis import funding as fd
from .analysis import plans
from .analysis import projection as pj
from .analysis import reporting as rp
from .analysis.states import universalization
from .data import CcmData

COVERAGE_SHARE = pj.COVERAGE[0] / pj.COVERAGE[1]  # 0.8


def iso(value) -> str | None:
    """A date as ``YYYY-MM-DD`` (None for missing)."""
    if value is None or pd.isna(value):
        return None
    ts = pd.Timestamp(value)
    return f"{ts.year:04d}-{ts.month:02d}-{ts.day:02d}"


def _num(value):
    """A JSON-safe number: None for missing or NaN, int for whole counts."""
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def _int(value):
    return None if value is None or pd.isna(value) else int(value)


@dataclass(frozen=True)
class Snapshot:
    """Every headline analysis result for one day (what pages and slides share)."""

    as_of: pd.Timestamp
    universalization: object
    statuses: pd.DataFrame
    reporting: rp.ReportingSummary
    deadlines: pd.DataFrame
    budget: b.BudgetStatus
    projection: pj.Projection | None = None
    pledges: fd.Pledges | None = None


def snapshot(data: CcmData, as_of, report_year: int | None = None, budget_year: int | None = None) -> Snapshot:
    """Compute everything the headline figures need for day D."""
    as_of = pd.Timestamp(as_of)
    statuses = rp.report_statuses(data.states, data.reports, as_of)
    year = budget_year if budget_year is not None else as_of.year
    status = b.budget_status(data.budget, data.spend, data.contributions, year, as_of)
    return Snapshot(
        as_of=as_of,
        universalization=universalization(data.states, as_of),
        statuses=statuses,
        reporting=rp.reporting_summary(statuses, as_of, report_year),
        deadlines=dl.deadline_table(data.states, data.obligations, data.extensions, as_of,
                                                 data.meetings),
        budget=status,
        projection=pj.projection(data.budget, data.spend, year, as_of),
        pledges=(fd.pledges_status(data.pledges, data.contributions, status.total.budget, year, as_of)
                 if len(data.pledges) else None),
    )


def metrics_json(snap: Snapshot) -> dict:
    """The ``metrics`` command's JSON object for a snapshot."""
    u = snap.universalization
    status, p = snap.budget, snap.projection
    # the one projected year-end (DOMAIN §8): the chosen method's, per line and in total
    year_end = p.year_end if p is not None else None
    line_ends = dict(zip(p.lines["cost_line"], p.lines["year_end"])) if p is not None and len(p.lines) else {}
    return {
        "as_of": iso(snap.as_of),
        "universalization": {
            "states_parties": u.states_parties, "in_force": u.in_force, "signatories": u.signatories,
            # The last count target adopted on or before D (it may have lapsed); the plan in force below.
            "target": getattr(plans.latest_target(snap.as_of), "target", None),
            "target_year": getattr(plans.latest_target(snap.as_of), "target_year", None),
            "action_plan": None if u.plan is None else {
                "plan": u.plan.code, "adopted_on": iso(u.plan.adopted_on), "period_start": u.plan.period_start,
                "period_end": u.plan.period_end, "target": u.plan.target, "target_year": u.plan.target_year,
                "joined_since_adoption": u.joined_since_plan},
        },
        "reporting": {
            "initial": snap.reporting.initial.as_dict(),
            "annual": snap.reporting.annual.as_dict(),
            "overdue": [
                {"state": r.state, "iso3": r.iso3, "report_type": r.report_type, "year": _int(r.year),
                 "due_date": iso(r.due_date), "days_overdue": int(r.days_overdue)}
                for r in snap.reporting.overdue.itertuples()
            ],
            "overdue_by_state": overdue_by_state_json(snap.statuses, snap.as_of),
        },
        "deadlines": [
            {"state": r.state, "iso3": r.iso3, "article": int(r.article), "deadline": iso(r.deadline),
             "effective_deadline": iso(r.effective_deadline), "completed_on": iso(r.completed_on),
             "status": r.status, "days_remaining": _int(r.days_remaining), "extensions": int(r.extensions),
             "pending_requested_on": iso(r.pending_requested_on), "pending_new_deadline": iso(r.pending_new_deadline)}
            for r in snap.deadlines.itertuples()
        ],
        "pending_extension_requests": [
            {"state": r.state, "iso3": r.iso3, "article": int(r.article), "requested_on": iso(r.requested_on),
             "new_deadline": iso(r.new_deadline), "meeting": r.meeting if isinstance(r.meeting, str) else None,
             "decides_on": iso(r.decides_on)}
            for r in dl.pending_requests(snap.deadlines).itertuples()
        ],
        "stockpiles": dl.article_summary(snap.deadlines, 3).stockpiles_json(),
        "clearance": dl.article_summary(snap.deadlines, 4).clearance_json(),
        "budget": {
            "year": status.year, "currency": status.currency, "budget": status.total.budget, "spent": status.total.spent,
            "elapsed_fraction": status.elapsed_fraction, "burn_rate": status.total.burn_rate, "pace": status.total.pace,
            "projected_year_end": _num(year_end), "projected_variance": _variance(year_end, status.total.budget),
            "received": status.received, "funding_gap": status.funding_gap,
            "lines": [
                {**{k: _num(getattr(r, k)) for k in ("cost_line", "budget", "spent", "burn_rate", "pace")},
                 "projected_year_end": _num(line_ends.get(r.cost_line)),
                 "projected_variance": _variance(line_ends.get(r.cost_line), r.budget)}
                for r in status.lines.itertuples()
            ],
            **budget_outlook_json(snap),
        },
    }


def _variance(year_end, budget) -> float | None:
    return None if year_end is None or pd.isna(year_end) else float(year_end) - float(budget)


def budget_outlook_json(snap: Snapshot) -> dict:
    """DOMAIN §8's keys under ``budget``: ``projection``, ``pledges``, ``cash``."""
    status, p = snap.budget, snap.projection
    bt = p.backtest if p is not None else None
    rng = p.range if p is not None else None
    verdict = pj.total_outlook(status, p) if p is not None else None
    projected = None if p is None or p.method is None else {
        "method": p.method, "year_end": _num(p.year_end), "low": _num(p.low), "high": _num(p.high),
        "linear_year_end": _num(p.linear_year_end), "seasonal_year_end": _num(p.seasonal_year_end),
        "backtest": {"linear_mae": _num(bt.linear_mae) if bt else None,
                     "seasonal_mae": _num(bt.seasonal_mae) if bt else None,
                     "years": list(bt.years) if bt else []},
        "range": {"coverage": COVERAGE_SHARE, "cases": rng.cases, "inside": rng.inside, "spread": _num(rng.spread),
                  "no_range": rng.reason},
        "outlook": verdict[0], "flagged": verdict[1],
        "flagged_lines": [r.cost_line for r in pj.line_outlook(status, p).itertuples() if r.flag],
    }
    pl = snap.pledges
    cash = fd.cash_status(status.received, status.total.spent, status.elapsed_fraction)
    return {
        "projection": projected,
        "pledges": None if pl is None else {"pledged": pl.pledged, "received": pl.received,
                                            "outstanding": pl.outstanding, "gap_after_pledges": pl.gap_after_pledges},
        "cash": {"balance": cash.balance, "monthly_rate": _num(cash.monthly_rate),
                 "months_covered": _num(cash.months_covered)},
    }


def overdue_by_state_json(statuses: pd.DataFrame, as_of) -> list[dict]:
    """``reporting.overdue_by_state``: one entry per State with anything overdue, oldest due first."""
    return [
        {"state": r.state, "iso3": r.iso3,
         "outstanding": [{"report_type": i["report_type"], "year": i["year"], "due_date": iso(i["due_date"])}
                         for i in r.outstanding],
         "oldest_due_date": iso(r.oldest_due_date), "days_overdue": int(r.days_overdue),
         "missed_last_5": int(r.missed_last_5)}
        for r in rp.overdue_by_state(statuses, as_of).itertuples()
    ]


def compute_metrics(data: CcmData, as_of, report_year: int | None = None, budget_year: int | None = None) -> dict:
    """DOMAIN.md section 4's JSON for the data as of D."""
    return metrics_json(snapshot(data, as_of, report_year, budget_year))
