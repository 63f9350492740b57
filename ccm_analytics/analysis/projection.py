"""Where the year ends (DOMAIN §8): the year-end projected in one place only, :func:`projection` (the
linear and the seasonal method, backtested, one chosen), with an 80% range from the chosen method's past
errors (:class:`Range`); every flag comes from :func:`outlook`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .budget import PCT_DECIMALS, BudgetStatus, align_lines, elapsed_fraction, same_day, spend_to_date

LINE_FLAG_THRESHOLD = 0.10
TOTAL_FLAG_THRESHOLD = 0.05


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
