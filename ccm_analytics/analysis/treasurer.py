"""The treasurer's sheet: every budget year in one table, for the Budget sheet of the Excel export
(DOMAIN §8): facts and codes from :mod:`.budget`, :mod:`.projection` and :mod:`.funding` (the export
writes them in words).
"""

from __future__ import annotations

import pandas as pd

from .budget import budget_status, ratio
from .funding import pledges_status
from .projection import line_outlook, projections, total_outlook


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
        share = ratio(None if proj.year_end is None else proj.year_end - t.budget, t.budget)
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
