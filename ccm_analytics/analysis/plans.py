"""The action plan in force on a day, and what it asks of universalization (facts, no words).

The States Parties adopt an action plan at a meeting; it guides the work until the next one is
adopted. The plans, their adoption days, periods and any count target are data with sources
(``ccm_analytics/reference/action_plans.csv``; see data/reference/SOURCES.md and DOMAIN.md §3):

- Vientiane Action Plan, adopted 12 November 2010 (2010-2015): no count of States Parties;
- Dubrovnik Action Plan, adopted 11 September 2015 (2015-2020): 130 States Parties by 2020;
- Lausanne Action Plan, adopted 21 September 2021 (2021-2026): no count of States Parties.

On D the plan in force is the last one adopted on or before D (none before 12 November 2010): a
plan is never shown before its adoption, and a lapsed target never as the current one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

PLANS_CSV = Path(__file__).resolve().parent.parent / "reference" / "action_plans.csv"


@dataclass(frozen=True)
class ActionPlan:
    """One action plan of the States Parties.

    Attributes:
        code: ``vientiane``, ``dubrovnik`` or ``lausanne`` (its name in words comes from the presentation).
        adopted_on: The day the meeting adopted it; it is in force from then until the next plan.
        period_start, period_end: The years it covers (2015, 2020).
        target: The number of States Parties it aims at, when it sets one (130), else None.
        target_year: The year of that target (2020), else None.
        source: Where this is written (addresses separated by " ; ").
    """

    code: str
    adopted_on: pd.Timestamp
    period_start: int
    period_end: int
    target: int | None
    target_year: int | None
    source: str

    @property
    def has_target(self) -> bool:
        return self.target is not None and self.target_year is not None


@lru_cache(maxsize=1)
def action_plans() -> tuple[ActionPlan, ...]:
    """Every plan, oldest first."""
    with PLANS_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    plans = [ActionPlan(code=r["plan"], adopted_on=pd.Timestamp(r["adopted_on"]),
                        period_start=int(r["period_start"]), period_end=int(r["period_end"]),
                        target=int(r["target_states_parties"]) if r["target_states_parties"] else None,
                        target_year=int(r["target_year"]) if r["target_year"] else None,
                        source=r["source"]) for r in rows]
    return tuple(sorted(plans, key=lambda p: p.adopted_on))


def plan_in_force(day) -> ActionPlan | None:
    """The plan in force on ``day``: the last adopted on or before it (None before the first)."""
    day = pd.Timestamp(day)
    current = None
    for plan in action_plans():
        if plan.adopted_on <= day:
            current = plan
    return current


def latest_target(day) -> ActionPlan | None:
    """The last plan adopted on or before ``day`` that set a count of States Parties (the metrics JSON's
    ``target`` and ``target_year``, kept for compatibility; it may have lapsed: see :func:`plan_in_force`)."""
    day = pd.Timestamp(day)
    found = None
    for plan in action_plans():
        if plan.adopted_on <= day and plan.has_target:
            found = plan
    return found
