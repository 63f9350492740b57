"""Treaty rules of the Convention on Cluster Munitions that turn facts into dates.

Every function is vectorised over a Series of dates (``datetime64[us]``, NaT for missing).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd


# Article 17(1): the 30th instrument was deposited on 16 February 2010 and the Convention
# entered into force on 1 August 2010, the first day of the sixth month after that month.
THIRTIETH_DEPOSIT = pd.Timestamp("2010-02-16")
CONVENTION_EIF = pd.Timestamp("2010-08-01")
# Article 3(2): destroy stockpiles within 8 years; extensions of up to 4 years each.
ARTICLE3_YEARS, ARTICLE3_EXTENSION_YEARS = 8, 4
# Article 4(1): clear contaminated areas within 10 years; extensions of up to 5 years each.
ARTICLE4_YEARS, ARTICLE4_EXTENSION_YEARS = 10, 5
DEADLINE_YEARS = {3: ARTICLE3_YEARS, 4: ARTICLE4_YEARS}
EXTENSION_YEARS = {3: ARTICLE3_EXTENSION_YEARS, 4: ARTICLE4_EXTENSION_YEARS}
# Article 7(1) and (2): initial report within 180 days; annual reports by 30 April.
INITIAL_REPORT_DAYS = 180
ANNUAL_REPORT_DUE_MONTH, ANNUAL_REPORT_DUE_DAY = 4, 30
# The Convention opened for signature in Oslo on 3 December 2008.
OPENED_FOR_SIGNATURE = pd.Timestamp("2008-12-03")
# The days an analysis may be "as at" (the app's day picker, the address, every command's --as-of):
# from the Convention's opening for signature to the end of the century (DOMAIN §10).
EARLIEST_DAY = OPENED_FOR_SIGNATURE.date()
LATEST_DAY = dt.date(2099, 12, 31)

DATE = "datetime64[us]"


def entry_into_force(deposit: pd.Series) -> pd.Series:
    """Entry into force for each state from its deposit date (Article 17).

    Instruments deposited on or before 16 Feb 2010 bind from 1 Aug 2010; later ones from
    the first day of the sixth month after the month of deposit (2011-04-06 -> 2011-10-01).

    Args:
        deposit: Deposit dates of the instruments of ratification or accession.

    Returns:
        Entry-into-force dates, NaT where no instrument was deposited.
    """
    d = pd.to_datetime(deposit).astype(DATE)
    later = (d.dt.to_period("M") + 6).dt.to_timestamp().astype(DATE)
    return later.mask(d <= THIRTIETH_DEPOSIT, CONVENTION_EIF).where(d.notna())


def _shift(day, n):
    if day is None or pd.isna(day) or n is None or pd.isna(n):
        return pd.NaT
    day = pd.Timestamp(day)
    year = day.year + int(n)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)


def add_years(dates: pd.Series, years: pd.Series | int) -> pd.Series:
    """The same day and month ``years`` later (29 February becomes 28 February)."""
    d = pd.Series(pd.to_datetime(dates)).astype(DATE)
    if len(d) <= 200:  # small frames (deadlines, extensions): plain date arithmetic is faster
        n = [years] * len(d) if isinstance(years, int) else list(pd.Series(years, index=d.index))
        return pd.Series([_shift(x, k) for x, k in zip(d, n)], index=d.index, dtype=DATE)
    n = pd.Series(years, index=d.index).astype("Float64") if not isinstance(years, int) else years
    year = d.dt.year + n
    month, day = d.dt.month, d.dt.day
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    day = day.where(~((month == 2) & (day == 29) & ~leap), 28)
    valid = d.notna() & pd.Series(year, index=d.index).notna()
    parts = pd.DataFrame({"year": year, "month": month, "day": day})[valid].astype("int64")
    out = pd.Series(pd.NaT, index=d.index, dtype=DATE)
    if len(parts):
        out[valid] = pd.to_datetime(parts).astype(DATE)
    return out


def article_deadline(eif: pd.Series, article: pd.Series) -> pd.Series:
    """Article 3 (EIF + 8 years) or Article 4 (EIF + 10 years) deadline."""
    return add_years(eif, article.map(DEADLINE_YEARS))


def initial_report_due(eif: pd.Series) -> pd.Series:
    """Initial Article 7 report due date: entry into force + 180 days."""
    return (pd.to_datetime(eif) + pd.Timedelta(days=INITIAL_REPORT_DAYS)).astype(DATE)


def annual_report_due(year: pd.Series | int) -> pd.Series | pd.Timestamp:
    """Annual report for calendar year Y is due on 30 April of Y+1."""
    if isinstance(year, int):
        return pd.Timestamp(year + 1, ANNUAL_REPORT_DUE_MONTH, ANNUAL_REPORT_DUE_DAY)
    y = pd.Series(year).astype("Int64") + 1
    return pd.to_datetime(
        pd.DataFrame({"year": y, "month": ANNUAL_REPORT_DUE_MONTH, "day": ANNUAL_REPORT_DUE_DAY})
    ).astype(DATE)


def default_report_year(as_of: pd.Timestamp) -> int:
    """The latest calendar year whose annual report was due before ``as_of``."""
    as_of = pd.Timestamp(as_of)
    return as_of.year - 1 if annual_report_due(as_of.year - 1) < as_of else as_of.year - 2
