"""What funds the year (DOMAIN §8): contributions received by month and by donor, pledges against
contributions, and the year's own cash. Contributions count toward the year they fund (:mod:`.budget`'s
``received_to_date``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..collation import sort_key
from .budget import received_to_date


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
