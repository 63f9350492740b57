"""Budget burn and funding for the ISU's financial year (the calendar year).

For year Y on day D: ``spent`` is the spend dated in Y on or before D; ``elapsed_fraction``
is the share of Y's days up to and including D (clamped to [0, 1]); ``burn_rate`` is
spent / budget; ``pace`` is burn_rate / elapsed_fraction (above 1: spending faster than
the calendar). A ratio with a zero denominator is None. Contributions count toward the year
they fund. The year-end is projected in one place only, :func:`projection` (the chosen method,
DOMAIN §8), with an 80% range from the method's past errors (:class:`Range`); every flag comes
from :func:`outlook`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..collation import sort_key


# Percentages are written with one decimal everywhere (DOMAIN §8); a share that rounds to 0.0% is "on budget".
PCT_DECIMALS = 1
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

    @classmethod
    def compute(cls, cost_line: str | None, budget: float, spent: float, elapsed: float) -> "Burn":
        burn = _ratio(spent, budget)
        return cls(cost_line, float(budget), float(spent), burn, _ratio(burn, elapsed))


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
    return out.sort_values(["amount", "donor"], ascending=[False, True], key=sort_key).reset_index(drop=True)


# -- plain words --------------------------------------------------------------------------------

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


# -- seasonal projection and backtest -----------------------------------------------------------------

MIN_SEASONAL_SHARE = 0.05


def _position(day: pd.Timestamp) -> int:
    """Where a day sits on a 366-day calendar (0 = 1 January, 59 = 29 February, 365 = 31 December).

    A common year has no day at 59, so its running total there is that of 28 February; and the last
    day of February of any year is asked at 59, which makes it match the last day of February of every
    other year (:func:`same_day`)."""
    day = pd.Timestamp(day)
    if day.month == 2 and day.day == day.days_in_month:
        return 59
    leap = day.is_leap_year
    return day.day_of_year - 1 + (1 if not leap and day.month > 2 else 0)


@dataclass(frozen=True)
class _Calendar:
    """Spend per line accumulated through each year with spend, on the 366-day calendar.

    ``totals[i, q, j]``: spend on line ``lines[j]`` in ``years[i]`` from 1 January to position q."""

    years: list[int]
    lines: list[str]
    totals: np.ndarray

    @classmethod
    def of(cls, spend: pd.DataFrame) -> "_Calendar":
        if spend.empty:
            return cls([], [], np.zeros((0, 366, 0)))
        years = sorted(int(y) for y in spend["date"].dt.year.unique())
        lines = sorted(str(x) for x in spend["cost_line"].dropna().unique())
        d = spend["date"]
        leap = d.dt.is_leap_year.to_numpy()
        pos = d.dt.day_of_year.to_numpy() - 1 + ((~leap) & (d.dt.month.to_numpy() > 2))
        yi = np.searchsorted(years, d.dt.year.to_numpy())
        li = np.searchsorted(lines, spend["cost_line"].astype("str").to_numpy())
        daily = np.zeros((len(years), 366, len(lines)))
        np.add.at(daily, (yi, pos, li), spend["amount"].to_numpy(dtype="float64"))
        return cls(years, lines, daily.cumsum(axis=1))

    def before(self, year: int) -> "_Calendar":
        """The same, for the years before ``year`` only."""
        k = int(np.searchsorted(self.years, year))
        return _Calendar(self.years[:k], self.lines, self.totals[:k])


def _seasonal(spent: np.ndarray, to_day: np.ndarray, annual: np.ndarray, linear: np.ndarray):
    """Per line: the share by this day (NaN where the annual spend is not positive) and the seasonal
    projection (the linear one where the share is missing or under MIN_SEASONAL_SHARE)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(annual > 0, to_day / np.where(annual > 0, annual, 1.0), np.nan)
        usable = share >= MIN_SEASONAL_SHARE
        seasonal = np.where(usable, spent / np.where(usable, share, 1.0), linear)
    return share, seasonal, ~usable


@dataclass(frozen=True)
class Backtest:
    """Both methods replayed on the complete years before Y (DOMAIN §8).

    Attributes:
        years: The years replayed (complete years before Y with spend and at least one earlier such year).
        errors: One row per year and month-end: ``year``, ``day``, ``actual``, ``linear``, ``seasonal``,
            ``linear_error``, ``seasonal_error`` (projection minus actual year-end).
        linear_mae, seasonal_mae: Mean absolute error over every row.
    """

    years: tuple[int, ...]
    errors: pd.DataFrame
    linear_mae: float
    seasonal_mae: float

    def before(self, year: int) -> "Backtest | None":
        """The replay of the years before ``year`` only (each replayed year uses only earlier years, so
        this is what the backtest of a ledger ending before ``year`` gives)."""
        e = self.errors[self.errors["year"] < year]
        if e.empty:
            return None
        return Backtest(tuple(y for y in self.years if y < year), e.reset_index(drop=True),
                        float(e["linear_error"].abs().mean()), float(e["seasonal_error"].abs().mean()))


@functools.lru_cache(maxsize=512)
def _month_ends(year: int) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    """Year Y's 12 month-ends, their positions on the 366-day calendar and the share of the year elapsed
    at each."""
    ends = pd.date_range(pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31), freq="ME").astype("datetime64[us]")
    return (ends, np.array([_position(m) for m in ends]),
            np.array([elapsed_fraction(year, m) for m in ends])[:, None])


def _replay_year(cal: _Calendar, i: int, pooled: np.ndarray):
    """Year ``cal.years[i]`` replayed at its 12 month-ends with the shares of ``pooled`` (366 x line running
    totals of other years): per month-end and line the actual year-end, the linear and the seasonal
    projection."""
    _ends, q, elapsed = _month_ends(cal.years[i])
    spent = cal.totals[i, q]                                             # month-end x line
    linear = spent / elapsed
    _share, seasonal, _fallback = _seasonal(spent, pooled[q], np.broadcast_to(pooled[365], spent.shape), linear)
    return np.broadcast_to(cal.totals[i, 365], spent.shape), linear, seasonal


def backtest(cal: _Calendar) -> Backtest | None:
    """Replay both projections at every month-end of each complete year that has an earlier one (the
    seasonal one with the shares of the earlier years only)."""
    if len(cal.years) < 2:
        return None
    before = np.cumsum(cal.totals, axis=0) - cal.totals  # per year: the sum over the years before it
    replays = [_replay_year(cal, i, before[i]) for i in range(1, len(cal.years))]
    years = cal.years[1:]
    e = pd.DataFrame({"year": np.repeat(years, 12), "day": np.concatenate([_month_ends(y)[0] for y in years]),
                      **{k: np.concatenate([r[j].sum(axis=1) for r in replays])
                         for j, k in enumerate(("actual", "linear", "seasonal"))}})
    e["linear_error"] = e["linear"] - e["actual"]
    e["seasonal_error"] = e["seasonal"] - e["actual"]
    return Backtest(tuple(years), e, float(e["linear_error"].abs().mean()), float(e["seasonal_error"].abs().mean()))


@dataclass(frozen=True)
class PastCases:
    """The past cases behind the range (DOMAIN §8): every past complete year replayed at D's own day of the
    year (:func:`same_day`), the seasonal method with the shares of the *other* past complete years (leave one
    year out), as if that year were this one.

    Attributes:
        years: The past complete years (two at least).
        actual, linear, seasonal: (years x line) each year's actual year-end and its two projections on its
            day. lines: The cost lines of the last axis.
    """

    years: tuple[int, ...]
    actual: np.ndarray
    linear: np.ndarray
    seasonal: np.ndarray
    lines: tuple[str, ...]

    @classmethod
    def of(cls, cal: _Calendar, as_of: pd.Timestamp) -> "PastCases | None":
        if len(cal.years) < 2:
            return None
        q = _position(as_of)
        elapsed = np.array([elapsed_fraction(y, same_day(as_of, y)) for y in cal.years])[:, None]
        spent = cal.totals[:, q]                                             # year x line
        others = cal.totals.sum(axis=0)[None] - cal.totals                   # per year: every other year
        linear = spent / elapsed
        _share, seasonal, _fallback = _seasonal(spent, others[:, q], others[:, 365], linear)
        return cls(tuple(cal.years), cal.totals[:, 365], linear, seasonal, tuple(cal.lines))

    def relative_errors(self, method: str, cost_line: str | None = None) -> np.ndarray:
        """``method``'s absolute relative errors |projection − actual| / |projection|, one per past year, for the
        total or one cost line (empty for a line never spent)."""
        projected = getattr(self, method)
        if cost_line is None:
            return relative_errors(projected.sum(axis=1), self.actual.sum(axis=1))
        if cost_line not in self.lines:
            return np.array([])
        j = self.lines.index(cost_line)
        return relative_errors(projected[:, j], self.actual[:, j])


def relative_errors(projected: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """|projected − actual| / |projected| per case: infinite where a projection of 0 missed; cases with
    0 projected and 0 spent (a line not used that year) dropped."""
    projected, actual = np.asarray(projected, dtype="float64"), np.asarray(actual, dtype="float64")
    keep = (projected != 0) | (actual != 0)
    projected, actual = projected[keep], actual[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(projected != 0, np.abs(projected - actual) / np.abs(np.where(projected != 0, projected, 1.0)),
                        np.inf)


# -- the range: a stated coverage from the past errors (DOMAIN §8) ----------------------------------------------

COVERAGE = (4, 5)  # the share of past cases a range is meant to hold: 4 in 5, 80%
MIN_CASES = 4      # the fewest past cases that give an 80% range: ceil((n + 1) x 0.8) <= n from n = 4 on


@dataclass(frozen=True)
class Range:
    """Where the year is likely to end: an 80% range from the chosen method's past relative errors (DOMAIN §8).

    With n past cases at this point of the year (:meth:`Backtest.relative_errors`), the spread is the
    k-th smallest past error, k = ceil((n + 1) x 0.8) (split-conformal, with the finite-sample correction),
    and the range is year_end x (1 ± spread). Fewer than 4 cases give no range.

    Attributes:
        low, high: The range (None when there is none).
        spread: Its relative half-width (0.012 = ±1.2% of the projection).
        cases: n, the past cases at this point of the year. inside: how many of them ended within the spread.
        reason: Why there is no range (None when there is one): ``not_started``, ``few_years`` (fewer than two
            past complete years), ``no_spend`` (nothing spent this year yet), ``no_past_spend`` (a line with no
            spend in the replayed years), ``few_cases`` (fewer than 4 past cases), ``too_wide`` (past
            projections of 0 that missed).
    """

    low: float | None
    high: float | None
    spread: float | None
    cases: int
    inside: int
    reason: str | None

    @property
    def known(self) -> bool:
        return self.low is not None and self.high is not None

    @classmethod
    def none(cls, reason: str, cases: int = 0) -> "Range":
        return cls(None, None, None, cases, 0, reason)

    @classmethod
    def exact(cls, value: float) -> "Range":
        """The range of a year that is over: its actual spend."""
        return cls(value, value, 0.0, 0, 0, None)


def conformal_rank(n: int) -> int:
    """k = ceil((n + 1) x 0.8), in whole numbers: 4 for n = 4, 9 for n = 10, 17 for n = 20."""
    num, den = COVERAGE
    return -(-(n + 1) * num // den)


def year_end_range(year_end: float, errors: np.ndarray) -> Range:
    """The 80% range around ``year_end`` from past absolute relative errors (see :class:`Range`)."""
    r = np.sort(np.abs(np.asarray(errors, dtype="float64")))
    n = len(r)
    k = conformal_rank(n)
    if n == 0:
        return Range.none("no_past_spend")
    if k > n:
        return Range.none("few_cases", n)
    spread = float(r[k - 1])
    if not np.isfinite(spread):
        return Range.none("too_wide", n)
    half = spread * abs(year_end)
    return Range(year_end - half, year_end + half, spread, n, int((r <= spread).sum()), None)


@dataclass(frozen=True)
class Projection:
    """Where year Y ends, as known on D (DOMAIN §8): the one projected year-end of the code.

    Attributes:
        method: ``seasonal`` or ``linear`` (the one with the smaller backtest error; linear when it
            cannot be compared), ``actual`` once Y is over, None before Y starts.
        year_end: The chosen method's projected year-end (the actual spend once Y is over).
        range: Its 80% range (:class:`Range`); low / high: its ends (None when there is no range).
        linear_year_end, seasonal_year_end: Both methods (seasonal None without a past complete year).
        backtest: The replay of both methods (None when no year can be replayed).
        history: The complete years whose shares the seasonal method uses.
        lines: Per cost line: ``cost_line``, ``spent``, ``share``, ``linear``, ``seasonal``,
            ``seasonal_fallback``, ``year_end`` (the chosen method), ``low``, ``high``, ``cases``, ``inside``,
            ``no_range`` (the line's :class:`Range`: its ends, cases, and why there is none).
    """

    year: int
    as_of: pd.Timestamp
    method: str | None
    year_end: float | None
    range: Range
    linear_year_end: float | None
    seasonal_year_end: float | None
    backtest: Backtest | None
    history: tuple[int, ...]
    lines: pd.DataFrame

    @property
    def low(self) -> float | None:
        return self.range.low

    @property
    def high(self) -> float | None:
        return self.range.high

    @property
    def is_actual(self) -> bool:
        return self.method == "actual"


def projection(budget: pd.DataFrame, spend: pd.DataFrame, year: int, as_of: pd.Timestamp) -> Projection:
    """Project Y's year-end on D with the linear and the seasonal method, backtest both, choose one."""
    return projections(budget, spend, [year], as_of)[year]


def projections(budget: pd.DataFrame, spend: pd.DataFrame, years: list[int], as_of: pd.Timestamp
                ) -> dict[int, Projection]:
    """:func:`projection` for several years, reading the ledger and replaying the backtest once."""
    as_of = pd.Timestamp(as_of)
    known = align_lines(spend[spend["date"] <= as_of], budget)
    cal_all = _Calendar.of(known[known["date"].dt.year < max(years)]) if years else None
    bt_all = backtest(cal_all) if cal_all is not None else None
    return {y: _projection(budget, known, y, as_of, cal_all.before(y), bt_all.before(y) if bt_all else None)
            for y in years}


LINES_COLUMNS = ["cost_line", "spent", "share", "linear", "seasonal", "seasonal_fallback", "year_end", "low", "high",
                 "cases", "inside", "no_range"]


def _projection(budget: pd.DataFrame, known: pd.DataFrame, year: int, as_of: pd.Timestamp, cal: "_Calendar",
                bt: Backtest | None) -> Projection:
    b_lines = budget.loc[budget["year"] == year, "cost_line"].dropna().unique()
    this = spend_to_date(known, year, as_of).groupby("cost_line")["amount"].sum()
    spent = this.reindex(sorted(set(b_lines) | set(this.index)), fill_value=0.0).astype("float64")
    elapsed = elapsed_fraction(year, as_of)
    empty = pd.DataFrame(columns=LINES_COLUMNS)
    if elapsed <= 0 or year > as_of.year:
        return Projection(year, as_of, None, None, Range.none("not_started"), None, None, None, (), empty)
    if elapsed >= 1:
        lines = pd.DataFrame({"cost_line": spent.index, "spent": spent.to_numpy(), "share": 1.0,
                              "linear": spent.to_numpy(), "seasonal": spent.to_numpy(), "seasonal_fallback": False,
                              "year_end": spent.to_numpy(), "low": spent.to_numpy(), "high": spent.to_numpy(),
                              "cases": 0, "inside": 0, "no_range": None})
        total = float(spent.sum())
        return Projection(year, as_of, "actual", total, Range.exact(total), total, total, None, (), lines)
    history = cal.years
    linear = (spent / elapsed).to_numpy(dtype="float64")
    if history:
        idx = [cal.lines.index(c) if c in cal.lines else -1 for c in spent.index]
        q = _position(as_of)
        pick = lambda a: np.array([a[j] if j >= 0 else 0.0 for j in idx])  # noqa: E731
        to_day, annual = pick(cal.totals[:, q].sum(axis=0)), pick(cal.totals[:, 365].sum(axis=0))
        share, seasonal, fallback = _seasonal(spent.to_numpy(dtype="float64"), to_day, annual, linear)
    else:
        share, seasonal, fallback = np.full(len(spent), np.nan), linear, np.ones(len(spent), dtype=bool)
    method = "seasonal" if bt is not None and bt.seasonal_mae < bt.linear_mae else "linear"
    chosen = seasonal if method == "seasonal" else linear
    spent_now = spent.to_numpy(dtype="float64")
    year_end = float(chosen.sum())
    past = PastCases.of(cal, as_of)
    total_range = _range(past, method, as_of, year_end, float(spent_now.sum()))
    ranges = [_range(past, method, as_of, float(y), float(x), str(c))
              for c, y, x in zip(spent.index, chosen, spent_now)]
    lines = pd.DataFrame({
        "cost_line": spent.index.astype("str"), "spent": spent_now, "share": share, "linear": linear,
        "seasonal": seasonal, "seasonal_fallback": fallback, "year_end": chosen,
        "low": np.array([np.nan if r.low is None else r.low for r in ranges], dtype="float64"),
        "high": np.array([np.nan if r.high is None else r.high for r in ranges], dtype="float64"),
        "cases": [r.cases for r in ranges], "inside": [r.inside for r in ranges],
        "no_range": [r.reason for r in ranges]})
    return Projection(year, as_of, method, year_end, total_range, float(linear.sum()),
                      float(seasonal.sum()) if history else None, bt, tuple(history), lines)


def _range(past: PastCases | None, method: str, as_of: pd.Timestamp, year_end: float, spent: float,
           cost_line: str | None = None) -> Range:
    """The range of the total (``cost_line`` None) or of one cost line, or why there is none."""
    if past is None:
        return Range.none("few_years")
    if spent == 0:
        return Range.none("no_spend")
    errors = past.relative_errors(method, cost_line)
    if cost_line is not None and len(errors) == 0:
        return Range.none("no_past_spend")
    return year_end_range(year_end, errors)


# -- pledges and cash ------------------------------------------------------------------------------------

def _donor_key(s: pd.Series) -> pd.Series:
    return s.astype("str").map(lambda t: " ".join(t.casefold().split()))


@dataclass(frozen=True)
class Pledges:
    """Pledges for Y made by D against contributions for Y received by D (DOMAIN §8).

    Attributes:
        pledged: Sum of the pledges. received: Contributions received (as in §3).
        outstanding: Pledged but not yet received, per donor (never below zero), summed.
        gap_after_pledges: budget - received - outstanding.
        by_donor: ``donor``, ``pledged``, ``received``, ``outstanding``, largest pledge first.
    """

    pledged: float
    received: float
    outstanding: float
    gap_after_pledges: float
    by_donor: pd.DataFrame


def pledges_status(pledges: pd.DataFrame, contributions: pd.DataFrame, budget_total: float, year: int,
                   as_of: pd.Timestamp) -> Pledges:
    """Pledged, received, pledged but not received, and the gap after pledges for year Y on D."""
    p = pledges[(pledges["year"] == year) & (pledges["pledged_on"] <= pd.Timestamp(as_of))]
    c = received_to_date(contributions, year, as_of)
    pk = p.assign(key=_donor_key(p["donor"])).groupby("key").agg(donor=("donor", "first"), pledged=("amount", "sum"))
    ck = c.assign(key=_donor_key(c["donor"])).groupby("key").agg(donor=("donor", "first"), received=("amount", "sum"))
    d = pk.join(ck[["received"]], how="outer")
    d["donor"] = d["donor"].fillna(ck["donor"].reindex(d.index))
    d = d.fillna({"pledged": 0.0, "received": 0.0})
    d["outstanding"] = (d["pledged"] - d["received"]).clip(lower=0.0)
    d = d[d["pledged"] > 0].sort_values(["pledged", "donor"], ascending=[False, True], key=sort_key)
    received = float(c["amount"].sum())
    outstanding = float(d["outstanding"].sum())
    return Pledges(float(p["amount"].sum()), received, outstanding, float(budget_total) - received - outstanding,
                   d[["donor", "pledged", "received", "outstanding"]].reset_index(drop=True))


@dataclass(frozen=True)
class Cash:
    """The year's own cash on D: received to date minus spent to date (DOMAIN §8).

    Attributes:
        balance: received - spent. monthly_rate: spent / months elapsed (None before any spend).
        months_covered: balance / monthly_rate, 0 when the balance is not positive (None without a rate).
    """

    balance: float
    monthly_rate: float | None
    months_covered: float | None


def cash_status(received: float, spent: float, elapsed: float) -> Cash:
    months = elapsed * 12
    rate = spent / months if months > 0 and spent > 0 else None
    balance = received - spent
    covered = None if rate is None else max(balance, 0.0) / rate
    return Cash(balance, rate, covered)


# -- the year on one screen -------------------------------------------------------------------------------

def outlook(year_end: float | None, low: float | None, high: float | None, budget: float,
            threshold: float) -> tuple[str, bool]:
    """The verdict on a year-end against its budget, and whether it is flagged: the one rule behind every flag
    (the Budget page, the deck, the brief, the metrics and the Excel sheet; DOMAIN §8).

    - ``over_budget``: the whole range is over the budget (low > budget); without a range, the year-end is
      over by more than ``threshold``. ``under_budget``: the same below.
    - ``may_end_over`` / ``may_end_under``: otherwise, by the side of the budget the year-end falls: the range
      holds the budget (or, without one, the year-end is within ``threshold`` of it).
    - ``on_budget``: the year-end is the budget to 0.1%, or there is no year-end.

    Flagged: over or under budget, and off by more than ``threshold``. A line with no budget and a positive
    year-end is over budget and flagged.
    """
    if year_end is None or pd.isna(year_end):
        return "on_budget", False
    if not budget:
        return ("over_budget", True) if year_end > 0 else ("on_budget", False)
    share = (year_end - budget) / budget
    if round(abs(share) * 100, PCT_DECIMALS) == 0:  # "0.0%" as every percentage is written (DOMAIN §8)
        return "on_budget", False
    ranged = low is not None and high is not None and not pd.isna(low) and not pd.isna(high)
    if ranged:
        certain_over, certain_under = low > budget, high < budget
    else:
        certain_over, certain_under = share > threshold, share < -threshold
    if certain_over:
        return "over_budget", share > threshold
    if certain_under:
        return "under_budget", share < -threshold
    return ("may_end_over" if share > 0 else "may_end_under"), False


def total_outlook(status: BudgetStatus, proj: Projection) -> tuple[str, bool]:
    """:func:`outlook` for the year's total (flagged at :data:`TOTAL_FLAG_THRESHOLD`)."""
    return outlook(proj.year_end, proj.low, proj.high, status.total.budget, TOTAL_FLAG_THRESHOLD)


def line_outlook(status: BudgetStatus, proj: Projection) -> pd.DataFrame:
    """Each cost line with its year-end by the chosen projection, its range and its verdict, hot lines first
    (DOMAIN §8).

    The verdict is :func:`outlook` of the line's year-end (the chosen method; the actual spend once the year
    is over) and range against its budget, flagged at :data:`LINE_FLAG_THRESHOLD`. Columns: ``cost_line``,
    ``budget``, ``spent``, ``burn_rate``, ``pace``, ``year_end``, ``low``,
    ``high``, ``variance``, ``variance_share``, ``flag``, ``status`` (``over_budget``, ``under_budget``,
    ``may_end_over``, ``may_end_under``, ``on_budget``; in words: ``narrative.outlook_words``). Flagged lines
    come first, largest share off first; then the others by name.
    """
    lines = status.lines[["cost_line", "budget", "spent", "burn_rate", "pace"]].copy()
    by_line = proj.lines.set_index("cost_line") if len(proj.lines) else pd.DataFrame(
        columns=["year_end", "low", "high"], dtype="float64")
    for c in ("year_end", "low", "high"):
        lines[c] = lines["cost_line"].map(by_line[c]).astype("float64")
    lines["variance"] = lines["year_end"] - lines["budget"]
    lines["variance_share"] = (lines["variance"] / lines["budget"].where(lines["budget"] != 0)).astype("float64")
    verdicts = [outlook(y, lo, hi, bu, LINE_FLAG_THRESHOLD) for y, lo, hi, bu in
                zip(lines["year_end"], lines["low"], lines["high"], lines["budget"])]
    lines["status"] = [v[0] for v in verdicts]
    lines["flag"] = np.array([v[1] for v in verdicts], dtype=bool)
    lines["_order"] = np.where(lines["flag"], -lines["variance_share"].abs().fillna(np.inf), 0.0)
    lines = lines.sort_values(["_order", "cost_line"]).drop(columns="_order").reset_index(drop=True)
    return lines[["cost_line", "budget", "spent", "burn_rate", "pace", "year_end", "low", "high",
                  "variance", "variance_share", "flag", "status"]]


def budget_table(budget: pd.DataFrame, spend: pd.DataFrame, contributions: pd.DataFrame, pledges: pd.DataFrame,
                 as_of: pd.Timestamp) -> pd.DataFrame:
    """Every budget year as known on D, for the treasurer's sheet (DOMAIN §8): facts and codes (the export
    writes them in words).

    One row per year and cost line, then the year's ``Total`` row: ``year``, ``currency``, ``cost_line``,
    ``budget``, ``spent``, ``burn_rate``, ``year_end``, ``basis`` (``actual``, ``seasonal``, ``linear``,
    ``not_started``), ``variance_share``, ``flag`` (the verdict's code when flagged, else empty); on
    the total rows only: ``low``, ``high``, ``received``, ``funding_gap``, ``outstanding_pledges``,
    ``gap_after_pledges``.
    """
    rows = []
    years = sorted(int(y) for y in budget["year"].dropna().unique())
    projected = projections(budget, spend, years, as_of)
    for year in years:
        status = budget_status(budget, spend, contributions, year, as_of)
        proj = projected[year]
        basis = ("not_started" if proj.method is None else "actual" if proj.is_actual else proj.method)
        outlook = line_outlook(status, proj)
        for r in outlook.sort_values("cost_line").itertuples():
            rows.append({"year": year, "currency": status.currency, "cost_line": r.cost_line, "budget": r.budget,
                         "spent": r.spent, "burn_rate": r.burn_rate, "year_end": r.year_end, "basis": basis,
                         "variance_share": r.variance_share, "flag": r.status if r.flag else ""})
        t = status.total
        share = _ratio(None if proj.year_end is None else proj.year_end - t.budget, t.budget)
        total_status, flagged = total_outlook(status, proj)
        total_flag_words = total_status if flagged else ""
        pl = pledges_status(pledges, contributions, t.budget, year, as_of) if len(pledges) else None
        rows.append({"year": year, "currency": status.currency, "cost_line": "Total", "budget": t.budget,
                     "spent": t.spent, "burn_rate": t.burn_rate, "year_end": proj.year_end, "basis": basis,
                     "variance_share": share, "flag": total_flag_words, "low": proj.low, "high": proj.high,
                     "received": status.received, "funding_gap": status.funding_gap,
                     "outstanding_pledges": pl.outstanding if pl else None,
                     "gap_after_pledges": pl.gap_after_pledges if pl else None})
    cols = ["year", "currency", "cost_line", "budget", "spent", "burn_rate", "year_end", "basis", "low", "high",
            "variance_share", "flag", "received", "funding_gap", "outstanding_pledges", "gap_after_pledges"]
    out = pd.DataFrame(rows, columns=cols)
    floats = [c for c in cols if c not in ("year", "currency", "cost_line", "basis", "flag")]
    return out.astype({c: "float64" for c in floats})
