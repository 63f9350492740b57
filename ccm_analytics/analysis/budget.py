"""Budget burn and funding for the ISU's financial year (the calendar year).

For year Y on day D: ``spent`` is the spend dated in Y on or before D; ``elapsed_fraction``
is the share of Y's days up to and including D (clamped to [0, 1]); ``burn_rate`` is
spent / budget; ``pace`` is burn_rate / elapsed_fraction (above 1: spending faster than
the calendar); ``projected_year_end`` is spent / elapsed_fraction, and
``projected_variance`` is that minus the budget (positive: an overspend). A ratio with a
zero denominator is None. Contributions count toward the year they fund.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LINE_FLAG_THRESHOLD = 0.10
TOTAL_FLAG_THRESHOLD = 0.05
DEFAULT_CURRENCY = "CHF"


def fold_line(text: str) -> str:
    """A cost line folded for matching: case, spaces, ``_`` and ``-`` ignored ("Social_charges" = "social charges")."""
    return " ".join(str(text).casefold().replace("_", " ").replace("-", " ").split())


def align_lines(spend: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """Spend with each cost line written as the budget writes it (matched by :func:`fold_line`).

    The loader already does this when budget and spend are loaded together; a later budget-only
    load may respell a line, and the figures per line must not split in two.
    """
    spelling = {fold_line(c): c for c in budget["cost_line"].dropna().unique()}
    lines = spend["cost_line"].dropna().unique()
    renames = {c: spelling[fold_line(c)] for c in lines if fold_line(c) in spelling and spelling[fold_line(c)] != c}
    return spend.assign(cost_line=spend["cost_line"].replace(renames)) if renames else spend


def _ratio(num: float | None, den: float | None) -> float | None:
    if num is None or den is None or den == 0 or pd.isna(num) or pd.isna(den):
        return None
    return float(num) / float(den)


def year_bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)


def elapsed_fraction(year: int, as_of: pd.Timestamp) -> float:
    """(min(D, 31 Dec Y) - 1 Jan Y + 1 day) / days in Y, clamped to [0, 1]."""
    start, end = year_bounds(year)
    days = (min(pd.Timestamp(as_of), end) - start).days + 1
    return float(min(max(days / ((end - start).days + 1), 0.0), 1.0))


@dataclass(frozen=True)
class Burn:
    """Budget against spend for one cost line (or the total)."""

    cost_line: str | None
    budget: float
    spent: float
    burn_rate: float | None
    pace: float | None
    projected_year_end: float | None
    projected_variance: float | None

    @classmethod
    def compute(cls, cost_line: str | None, budget: float, spent: float, elapsed: float) -> "Burn":
        burn = _ratio(spent, budget)
        projected = _ratio(spent, elapsed)
        return cls(cost_line, float(budget), float(spent), burn, _ratio(burn, elapsed), projected,
                   None if projected is None else projected - float(budget))

    @property
    def variance_share(self) -> float | None:
        """Projected variance as a share of the budget (0.12 = 12% over)."""
        return _ratio(self.projected_variance, self.budget)


@dataclass(frozen=True)
class BudgetStatus:
    """The year's budget, spend and funding on D.

    Attributes:
        year, as_of, currency: What is measured.
        total: Burn of the whole budget.
        elapsed_fraction: Share of the year elapsed on D.
        received: Contributions for the year received by D. funding_gap: budget - received.
        lines: Burn per cost line, as a frame sorted by cost line.
    """

    year: int
    as_of: pd.Timestamp
    currency: str
    elapsed_fraction: float
    total: Burn
    received: float
    lines: pd.DataFrame

    @property
    def funding_gap(self) -> float:
        return self.total.budget - self.received

    @property
    def received_share(self) -> float | None:
        return _ratio(self.received, self.total.budget)


def spend_to_date(spend: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Spend dated in ``year`` on or before D."""
    start, end = year_bounds(year)
    d = spend["date"]
    return spend[(d >= start) & (d <= min(pd.Timestamp(as_of), end))]


def received_to_date(contributions: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Contributions funding ``year`` (default: the year of their date) received by D."""
    c = contributions.assign(funds_year=contributions["year"].fillna(contributions["date"].dt.year).astype("Int64"))
    return c[(c["funds_year"] == year) & (c["date"] <= pd.Timestamp(as_of))]


def budget_status(budget: pd.DataFrame, spend: pd.DataFrame, contributions: pd.DataFrame,
                  year: int, as_of: pd.Timestamp) -> BudgetStatus:
    """Burn per cost line and in total for year Y on D, with contributions received."""
    elapsed = elapsed_fraction(year, as_of)
    b = budget[budget["year"] == year]
    planned = b.groupby("cost_line")["amount"].sum()
    spent = align_lines(spend_to_date(spend, year, as_of), b).groupby("cost_line")["amount"].sum()
    names = sorted(set(planned.index) | set(spent.index))
    rows = [Burn.compute(n, planned.get(n, 0.0), spent.get(n, 0.0), elapsed) for n in names]
    lines = pd.DataFrame([{**r.__dict__, "variance_share": r.variance_share} for r in rows],
                         columns=["cost_line", "budget", "spent", "burn_rate", "pace",
                                  "projected_year_end", "projected_variance", "variance_share"])
    lines = lines.astype({c: "float64" for c in lines.columns if c != "cost_line"}).astype({"cost_line": "str"})
    lines["flag"] = lines["variance_share"].abs() > LINE_FLAG_THRESHOLD
    currencies = b["currency"].dropna().unique()
    return BudgetStatus(
        year=year,
        as_of=pd.Timestamp(as_of),
        currency=str(currencies[0]) if len(currencies) == 1 else DEFAULT_CURRENCY,
        elapsed_fraction=elapsed,
        total=Burn.compute(None, float(planned.sum()), float(spent.sum()), elapsed),
        received=float(received_to_date(contributions, year, as_of)["amount"].sum()),
        lines=lines,
    )


def total_flag(status: BudgetStatus) -> bool:
    """True when the projected year-end is off the budget by more than 5%."""
    share = status.total.variance_share
    return share is not None and abs(share) > TOTAL_FLAG_THRESHOLD


def monthly_spend(spend: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Spend per month and cost line in Y up to D (columns ``month``, ``cost_line``, ``amount``)."""
    s = spend_to_date(spend, year, as_of)
    month = s["date"].dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")
    out = s.groupby([month.rename("month"), "cost_line"], as_index=False)["amount"].sum()
    return out.sort_values(["month", "cost_line"]).reset_index(drop=True)


def cumulative_vs_plan(budget: pd.DataFrame, spend: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Cumulative spend against a linear plan, with the projection to year-end.

    Returns:
        One row per day of Y: ``date``, ``plan`` (budget spread evenly over the days),
        ``actual`` (cumulative spend, up to D only) and ``projection`` (from D's spend to the
        projected year-end, after D only).
    """
    start, end = year_bounds(year)
    days = pd.date_range(start, end, freq="D").astype("datetime64[us]")
    total = float(budget.loc[budget["year"] == year, "amount"].sum())
    n = len(days)
    plan = total * np.arange(1, n + 1) / n
    s = spend_to_date(spend, year, as_of)
    per_day = s.groupby("date")["amount"].sum().reindex(days, fill_value=0.0)
    actual = per_day.cumsum().to_numpy()
    as_of = pd.Timestamp(as_of)
    upto = days <= as_of
    out = pd.DataFrame({"date": days, "plan": plan, "actual": np.where(upto, actual, np.nan)})
    elapsed = elapsed_fraction(year, as_of)
    if 0 < elapsed < 1:
        spent = float(actual[upto][-1])
        projected = spent / elapsed
        i0 = int(upto.sum()) - 1
        proj = np.full(n, np.nan)
        proj[i0:] = np.linspace(spent, projected, n - i0)
        out["projection"] = proj
    else:
        out["projection"] = np.nan
    return out


def multi_year(budget: pd.DataFrame, spend: pd.DataFrame, contributions: pd.DataFrame,
               as_of: pd.Timestamp) -> pd.DataFrame:
    """Budget, spend and contributions for every year with a budget, as known on D.

    Each year is counted as :func:`budget_status` counts it (spend dated in the year up to D,
    contributions for the year received by D), in one pass over the ledger.

    Returns:
        Columns ``year``, ``budget``, ``spent``, ``received``, ``burn_rate``,
        ``received_share``, ``elapsed_fraction``.
    """
    as_of = pd.Timestamp(as_of)
    planned = budget.groupby("year")["amount"].sum()
    planned.index = planned.index.astype(int)
    s = spend[spend["date"] <= as_of]
    spent = s.groupby(s["date"].dt.year)["amount"].sum()
    c = contributions[contributions["date"] <= as_of]
    funds = c["year"].fillna(c["date"].dt.year).astype("Int64")
    received = c.groupby(funds)["amount"].sum()
    years = list(planned.index)
    out = pd.DataFrame({"year": years, "budget": planned.to_numpy(dtype=float)})
    out["spent"] = spent.reindex(years, fill_value=0.0).to_numpy(dtype=float)
    out["received"] = received.reindex(years, fill_value=0.0).to_numpy(dtype=float)
    nonzero = out["budget"].where(out["budget"] != 0)
    out["burn_rate"] = out["spent"] / nonzero
    out["received_share"] = out["received"] / nonzero
    out["elapsed_fraction"] = [elapsed_fraction(y, as_of) for y in years]
    return out


def contributions_by_month(contributions: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Contributions for Y received by D, per month of receipt, with the running total."""
    c = received_to_date(contributions, year, as_of)
    month = c["date"].dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")
    out = c.groupby(month.rename("month"))["amount"].sum().reset_index()
    out["cumulative"] = out["amount"].cumsum()
    return out


def cumulative_contributions(contributions: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Contributions for Y received to date at the end of every month, from the first receipt (or
    January of Y) to D's month (or December of Y). Columns ``month``, ``amount``, ``cumulative``."""
    by = contributions_by_month(contributions, year, as_of)
    if by.empty:
        return by
    first = min(by["month"].min(), pd.Timestamp(year, 1, 1))
    last = min(pd.Timestamp(as_of), pd.Timestamp(year, 12, 31)).to_period("M").to_timestamp()
    months = pd.date_range(first, max(last, by["month"].max()), freq="MS").astype("datetime64[us]")
    out = by.set_index("month").reindex(months)
    out["amount"] = out["amount"].fillna(0.0)
    out["cumulative"] = out["amount"].cumsum()
    return out.rename_axis("month").reset_index()


def contributions_by_donor(contributions: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Contributions for Y received by D, per donor, largest first."""
    c = received_to_date(contributions, year, as_of)
    out = c.groupby("donor", as_index=False).agg(amount=("amount", "sum"), contributions=("amount", "size"),
                                                 last_received=("date", "max"))
    return out.sort_values(["amount", "donor"], ascending=[False, True]).reset_index(drop=True)
