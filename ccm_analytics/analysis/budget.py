"""Budget burn for the ISU's financial year (the calendar year), and the same day of other years.

For year Y on day D: ``spent`` is the spend dated in Y on or before D; ``elapsed_fraction``
is the share of Y's days up to and including D (clamped to [0, 1]); ``burn_rate`` is
spent / budget; ``pace`` is burn_rate / elapsed_fraction (above 1: spending faster than
the calendar). A ratio with a zero denominator is None. Contributions count toward the year
they fund. Where the year ends, with its range and verdict: :mod:`.projection`; pledges,
contributions and cash: :mod:`.funding`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


# Percentages are written with one decimal everywhere (DOMAIN §8); a share that rounds to 0.0% is "on budget".
PCT_DECIMALS = 1
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


def ratio(num: float | None, den: float | None) -> float | None:
    """num / den, or None when either is missing or den is 0."""
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

    @classmethod
    def compute(cls, cost_line: str | None, budget: float, spent: float, elapsed: float) -> "Burn":
        burn = ratio(spent, budget)
        return cls(cost_line, float(budget), float(spent), burn, ratio(burn, elapsed))


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
        return ratio(self.received, self.total.budget)


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
    lines = pd.DataFrame([r.__dict__ for r in rows], columns=["cost_line", "budget", "spent", "burn_rate", "pace"])
    lines = lines.astype({c: "float64" for c in lines.columns if c != "cost_line"}).astype({"cost_line": "str"})
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


def monthly_spend(spend: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Spend per month and cost line in Y up to D (columns ``month``, ``cost_line``, ``amount``)."""
    s = spend_to_date(spend, year, as_of)
    month = s["date"].dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")
    out = s.groupby([month.rename("month"), "cost_line"], as_index=False)["amount"].sum()
    return out.sort_values(["month", "cost_line"]).reset_index(drop=True)


def cumulative_vs_plan(budget: pd.DataFrame, spend: pd.DataFrame, year: int, as_of: pd.Timestamp,
                       year_end: float | None = None) -> pd.DataFrame:
    """Cumulative spend against a linear plan, with the projection to year-end.

    Returns:
        One row per day of Y: ``date``, ``plan`` (budget spread evenly over the days),
        ``actual`` (cumulative spend, up to D only) and ``projection`` (from D's spend to
        ``year_end``, the chosen projection's year-end, after D only; empty without one).
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
    if 0 < elapsed < 1 and year_end is not None:
        spent = float(actual[upto][-1])
        projected = float(year_end)
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


# -- the same day of another year -----------------------------------------------------------------

def same_day(day: pd.Timestamp, year: int) -> pd.Timestamp:
    """The same month and day in ``year``, the end of February matched to the end of February: 29 February
    becomes 28 February in a common year, and 28 February of a common year becomes 29 February in a leap
    year (so a payment made on the last day of February counts the same in both)."""
    day = pd.Timestamp(day)
    leap = pd.Timestamp(year, 1, 1).is_leap_year
    if day.month == 2 and day.day >= 28 and day.day == day.days_in_month:
        return pd.Timestamp(year, 2, 29 if leap else 28)
    return pd.Timestamp(year, day.month, day.day)


def reference_day(year: int, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """The day counted in year Y: D itself when D is in Y, the same day of Y when Y is over, None when
    Y has not started on D."""
    as_of = pd.Timestamp(as_of)
    if year > as_of.year:
        return None
    return as_of.normalize() if year == as_of.year else same_day(as_of, year)


def same_day_comparison(budget: pd.DataFrame, spend: pd.DataFrame, contributions: pd.DataFrame,
                        year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Year Y against every earlier year at the same day of the year (DOMAIN §8).

    The day is :func:`reference_day` of Y; for each year X <= Y that has a budget or spend, the
    figures are counted up to the same day of X (:func:`same_day`).

    Returns:
        One row per year and cost line, plus a row per year with ``cost_line`` "Total":
        ``year``, ``day``, ``cost_line``, ``budget``, ``spent``, ``burn_rate``, ``elapsed_fraction``,
        ``received`` (total rows only; NaN on line rows). Latest year first, lines by name.
    """
    cols = ["year", "day", "cost_line", "budget", "spent", "burn_rate", "elapsed_fraction", "received"]
    ref = reference_day(year, as_of)
    if ref is None:
        return pd.DataFrame(columns=cols)
    years = sorted({int(y) for y in budget["year"].dropna()} | {int(y) for y in spend["date"].dt.year.dropna()})
    years = [y for y in years if y <= year]
    if not years:
        return pd.DataFrame(columns=cols)
    days = {y: same_day(ref, y) for y in years}
    s = align_lines(spend, budget)
    s = s[s["date"].dt.year.isin(years)]
    s = s[s["date"] <= s["date"].dt.year.map(days)]
    spent = s.groupby([s["date"].dt.year.rename("year"), "cost_line"])["amount"].sum()
    planned = budget[budget["year"].isin(years)].groupby(["year", "cost_line"])["amount"].sum()
    planned.index = planned.index.set_levels(planned.index.levels[0].astype(int), level=0)
    keys = planned.index.union(spent.index)
    lines = pd.DataFrame({"budget": planned.reindex(keys, fill_value=0.0),
                          "spent": spent.reindex(keys, fill_value=0.0)}).reset_index()
    c = contributions.assign(funds_year=contributions["year"].fillna(contributions["date"].dt.year).astype("Int64"))
    c = c[c["funds_year"].isin(years)]
    c = c[c["date"] <= c["funds_year"].astype(int).map(days)]
    received = c.groupby(c["funds_year"].astype(int))["amount"].sum()
    totals = lines.groupby("year")[["budget", "spent"]].sum().reindex(years, fill_value=0.0).reset_index()
    totals["cost_line"] = "Total"
    totals["received"] = received.reindex(years, fill_value=0.0).to_numpy(dtype="float64")
    lines["received"] = np.nan
    out = pd.concat([lines, totals], ignore_index=True)
    out["day"] = out["year"].map(days).astype("datetime64[us]")
    out["burn_rate"] = (out["spent"] / out["budget"].where(out["budget"] != 0)).astype("float64")
    out["elapsed_fraction"] = [elapsed_fraction(y, days[y]) for y in out["year"]]
    out["is_total"] = out["cost_line"] == "Total"
    out = out.sort_values(["year", "is_total", "cost_line"], ascending=[False, False, True])
    out = out.astype({"year": "int64", "budget": "float64", "spent": "float64", "received": "float64"})
    return out[cols].reset_index(drop=True)


def same_day_totals(budget: pd.DataFrame, spend: pd.DataFrame, contributions: pd.DataFrame, as_of: pd.Timestamp,
                    n: int) -> pd.DataFrame:
    """The Total rows of :func:`same_day_comparison` for D's year and the budget years before it (``n`` at
    most, oldest first): ``year``, ``day``, ``budget``, ``spent``, ``burn_rate``; empty unless D's year has a
    budget."""
    cmp = same_day_comparison(budget, spend, contributions, pd.Timestamp(as_of).year, as_of)
    total = cmp[(cmp["cost_line"] == "Total") & (cmp["budget"] > 0)].sort_values("year").tail(n)
    if pd.Timestamp(as_of).year not in set(total["year"]):
        return total.iloc[0:0]
    return total.reset_index(drop=True)


def same_day_by_line(comparison: pd.DataFrame) -> pd.DataFrame:
    """The per-line rows of :func:`same_day_comparison` side by side: one row per cost line (the total
    last), columns ``spent_<year>`` and ``burn_rate_<year>`` for each year, latest first."""
    if comparison.empty:
        return pd.DataFrame(columns=["cost_line"])
    years = sorted(comparison["year"].unique(), reverse=True)
    wide = comparison.pivot_table(index="cost_line", columns="year", values=["spent", "burn_rate"], aggfunc="sum",
                                  dropna=False)
    out = pd.DataFrame({"cost_line": wide.index})
    for y in years:
        out[f"spent_{y}"] = wide[("spent", y)].to_numpy()
        out[f"burn_rate_{y}"] = comparison[comparison["year"] == y].set_index("cost_line")["burn_rate"].reindex(
            wide.index).to_numpy(dtype="float64")
    out["_total"] = out["cost_line"] == "Total"
    return out.sort_values(["_total", "cost_line"]).drop(columns="_total").reset_index(drop=True)


def cumulative_by_day_of_year(spend: pd.DataFrame, year: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Cumulative total spend through each year up to Y, for a chart with one line per year.

    Every day is placed on the calendar of the leap year 2000 (``position``), so that the same
    day of different years lines up; Y's line stops at :func:`reference_day`.

    Returns:
        Columns ``year``, ``date`` (the real day), ``position``, ``cumulative``.
    """
    cols = ["year", "date", "position", "cumulative"]
    ref = reference_day(year, as_of)
    if ref is None or spend.empty:
        return pd.DataFrame(columns=cols)
    s = spend[(spend["date"] <= ref) & (spend["date"].dt.year <= year)]
    if s.empty:
        return pd.DataFrame(columns=cols)
    per_day = s.groupby("date")["amount"].sum()
    first = int(per_day.index.year.min())
    days = pd.date_range(pd.Timestamp(first, 1, 1), min(pd.Timestamp(year, 12, 31), ref), freq="D")
    with_spend = set(per_day.index.year)
    days = days[days.year.isin(with_spend)]
    cum = per_day.reindex(days, fill_value=0.0).groupby(days.year).cumsum()
    position = pd.to_datetime(pd.DataFrame({"year": 2000, "month": days.month, "day": days.day}))
    out = pd.DataFrame({"year": days.year.astype("int64"), "date": days, "position": position.to_numpy(),
                        "cumulative": cum.to_numpy()})
    return out.astype({"date": "datetime64[us]", "position": "datetime64[us]"})
