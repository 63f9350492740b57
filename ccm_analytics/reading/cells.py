"""Cell converters: a column of raw cell values in, typed values and per-cell errors out.

Each converter works on the column's distinct values (dates, names and codes repeat a
lot) and maps the result back with NumPy, so a 100,000-row column costs one pass in C
plus one Python call per distinct value. Numbers take a fully vectorised path.
Empty cells become missing values without an error; whether a value is required is
decided by the caller.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from collections.abc import Callable

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from ..i18n import N_, _
from . import textops
from .. import formatting as fmt, i18n

DATE_DTYPE = "datetime64[us]"


@dataclass(frozen=True)
class Converted:
    """A converted column.

    Attributes:
        values: Typed values (missing where empty or wrong).
        errors: One message per cell, None where the cell is fine or empty.
        empty: True where the cell is empty.
    """

    values: pd.Series
    errors: np.ndarray
    empty: np.ndarray


_FAIL = object()


def is_blank(value: object) -> bool:
    """True for None, NaN/NaT and strings of only whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return value is pd.NaT or value is pd.NA


def _per_unique(raw: pd.Series, fn: Callable[[object], tuple[object, str | None]], out_dtype,
                fill) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Apply ``fn`` once per distinct value; return (values, errors, empty) arrays."""
    codes, uniques = pd.factorize(raw.to_numpy(dtype=object), use_na_sentinel=True)
    n_u = len(uniques)
    u_values = np.full(n_u + 1, fill, dtype=out_dtype)
    u_errors = np.full(n_u + 1, None, dtype=object)
    u_empty = np.zeros(n_u + 1, dtype=bool)
    u_empty[n_u] = True  # the slot used by missing values (code -1)
    for i, u in enumerate(uniques):
        if is_blank(u):
            u_empty[i] = True
            continue
        value, error = fn(u)
        if error is None:
            u_values[i] = value
        else:
            u_errors[i] = error
    idx = np.where(codes < 0, n_u, codes)
    return u_values[idx], u_errors[idx], u_empty[idx]


def _is_text(raw: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(raw.dtype) and not pd.api.types.is_object_dtype(raw.dtype)


def _fast_then_rest(raw: pd.Series, fast: pd.Series, fn, out_dtype, fill) -> Converted:
    """Combine a vectorised conversion with a per-distinct-value one for the cells it missed.

    ``fast`` holds converted values (missing where the fast path could not convert); the
    remaining non-blank cells go through ``fn`` one distinct value at a time.
    """
    empty = ~textops.filled(raw)
    values = fast.to_numpy(dtype=out_dtype, na_value=fill) if fast.dtype != object else fast.to_numpy()
    missed = np.flatnonzero(pd.isna(fast).to_numpy() & ~empty)
    errors = np.full(len(raw), None, dtype=object)
    if len(missed):
        sub = raw.iloc[missed]
        v, e, _empty = _per_unique(sub, fn, out_dtype, fill)
        values = values.copy()
        values[missed] = v
        errors[missed] = e
    return Converted(pd.Series(values, index=raw.index), errors, empty)


# -- text ---------------------------------------------------------------------------------

def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _as_text(value: object) -> tuple[object, str | None]:
    if isinstance(value, str):
        return " ".join(value.split()), None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, (int, float)):
        return _number_text(value), None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" "), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    return str(value).strip(), None


def to_text(raw: pd.Series) -> Converted:
    """Text: whitespace trimmed and collapsed; numbers without a trailing ``.0``."""
    if _is_text(raw):
        t = textops.squeeze(raw)
        empty = ~textops.filled(t)
        return Converted(t.where(~empty), np.full(len(raw), None, dtype=object), empty)
    values, errors, empty = _per_unique(raw, _as_text, object, None)
    return Converted(pd.Series(values, index=raw.index, dtype="str"), errors, empty)


# -- dates ----------------------------------------------------------------------------------

_MONTHS = {
    name: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH_RE = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY_NAME = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*" + _MONTH_RE + r",?[\s\-/.]*(\d{4})", re.I)
_MDY_NAME = re.compile(_MONTH_RE + r"\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})", re.I)
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_MONTH_ONLY = re.compile(r"(\d{4})[-/.](\d{1,2})|" + _MONTH_RE + r"\s+(\d{4})", re.I)
_YEAR_ONLY = re.compile(r"(\d{4})(?:\.0)?")
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)

DATE_HINT = N_("Write dates as 2018-04-30 or 30 April 2018, or format the cell as a date.")


# Excel's dates: serial 1 is 1 January 1900, serial 2,958,465 is 31 December 9999 (its last day).
EXCEL_FIRST_DAY = np.datetime64("1900-01-01", "us")
EXCEL_LAST_DAY = np.datetime64("9999-12-31", "us")
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
OUT_OF_RANGE = N_("{value} is not a date Excel can hold: a date cell holds a day from 1 January 1900 to 31 December "
                  "9999, and this one holds a number outside that range ({what}) formatted as a date. Type the date "
                  "again, e.g. 2018-04-30.")


def date_shown(value) -> str:
    """A day as text (``2018-04-30``), also for years past 9999 (``10000-01-01``), which Python dates cannot hold."""
    return str(np.datetime_as_string(np.datetime64(value, "D")))


def _out_of_range(value) -> str:
    """The message for an Excel date cell whose number is no day Excel has (a negative serial, or one past 9999)."""
    day = np.datetime64(value, "D")
    if day < EXCEL_FIRST_DAY:
        what = _("a negative number or zero")
    else:
        what = _("the serial number {serial}, past 2,958,465").format(
            serial=fmt.number(int((day - EXCEL_EPOCH).astype(int))))
    return _(OUT_OF_RANGE).format(value=date_shown(value), what=what)


def _make_date(year: int, month: int, day: int, text: str) -> tuple[object, str | None]:
    if not 1 <= year <= 9999:
        return None, _("'{text}' is not a date: years run from 1 to 9999. {hint}").format(text=text, hint=_(DATE_HINT))
    try:
        return np.datetime64(dt.date(year, month, day), "us"), None
    except ValueError:
        return None, _("'{text}' is not a real date (there is no such day). {hint}").format(text=text, hint=_(DATE_HINT))


def parse_date_text(text: str) -> tuple[object, str | None]:
    """Parse one date written as text; return (datetime64 | None, error | None).

    Accepts ISO dates (``2018-04-30``, optionally with a midnight time), day-month-name
    forms (``30 April 2018``, ``30-Apr-2018``), month-name-day forms (``April 30, 2018``) and
    numeric day/month forms only when the order is clear (``30/04/2018``).
    """
    s = _WEEKDAY.sub("", " ".join(text.split()))
    if m := _ISO.fullmatch(s):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _DMY_NAME.fullmatch(s):
        return _make_date(int(m[3]), _MONTHS[m[2].casefold()], int(m[1]), text)
    if m := _MDY_NAME.fullmatch(s):
        return _make_date(int(m[3]), _MONTHS[m[1].casefold()], int(m[2]), text)
    if m := _NUMERIC.fullmatch(s):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if a == b or (a > 12 >= b):
            return _make_date(year, b, a, text)
        if b > 12 >= a:
            return _make_date(year, a, b, text)
        return None, _("'{text}' is ambiguous: it could be {day1} {month1} or {day2} {month2}. {hint}").format(
            text=text, day1=a, month1=_month_name(b), day2=b, month2=_month_name(a), hint=_(DATE_HINT))
    if _MONTH_ONLY.fullmatch(s):
        return None, _("'{text}' gives only a month; give the day too (e.g. the last day of the month).").format(
            text=text)
    if re.fullmatch(r"[34]\d{4}(?:\.0)?", s):
        return None, _("'{text}' looks like an Excel date serial number; format the cell as a date "
                       "(Home > Number > Short Date) or write 2018-04-30.").format(text=text)
    if _YEAR_ONLY.fullmatch(s):
        return None, _("'{text}' gives only a year; give the full date. {hint}").format(text=text, hint=_(DATE_HINT))
    return None, _("'{text}' is not a date. {hint}").format(text=text, hint=_(DATE_HINT))


def _month_name(month: int) -> str:
    return fmt.month_name(month, "wide") if 1 <= month <= 12 else _("month {n}").format(n=month)


def _as_date(value: object) -> tuple[object, str | None]:
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp, np.datetime64)):  # a date cell: a day Excel has?
        day = np.datetime64(value, "D").astype("datetime64[us]")
        if np.isnat(day) or day < EXCEL_FIRST_DAY or day > EXCEL_LAST_DAY:
            return None, _out_of_range(value)
        return day, None
    if isinstance(value, str):
        return parse_date_text(value)
    if isinstance(value, bool):
        return None, _("'{text}' is not a date. {hint}").format(text=value, hint=_(DATE_HINT))
    if isinstance(value, (int, float)):
        return None, _("{number} is a number, not a date: format the cell as a date (Home > Number > Short Date) "
                       "or write 2018-04-30.").format(number=_number_text(value))
    return None, _("'{text}' is not a date. {hint}").format(text=value, hint=_(DATE_HINT))


def to_date(raw: pd.Series) -> Converted:
    """Dates: real Excel dates, ISO strings and unambiguous written dates."""
    if _is_text(raw):
        t = textops.strip(raw)
        iso = textops.matches(t, r"^\d{4}-\d\d-\d\d( \d\d:\d\d:\d\d(\.\d+)?)?$")
        fast = pd.to_datetime(t.where(iso), format="ISO8601", errors="coerce")
        fast = fast.dt.normalize().astype(DATE_DTYPE)
        fast = fast.where(fast.dt.year >= 1)  # 0000-01-01: no such year; said by the per-value parser
        return _fast_then_rest(raw, fast, _as_date, "datetime64[us]", np.datetime64("NaT"))
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        days = raw.to_numpy().astype("datetime64[D]")  # no pandas bounds: an Excel serial may give year 10000
        outside = ~np.isnat(days) & ((days < EXCEL_FIRST_DAY) | (days > EXCEL_LAST_DAY))
        errors = np.full(len(raw), None, dtype=object)
        for i in np.flatnonzero(outside):
            errors[i] = _out_of_range(days[i])
        values = pd.Series(np.where(outside, np.datetime64("NaT"), days).astype(DATE_DTYPE), index=raw.index)
        return Converted(values, errors, np.isnat(days))
    values, errors, empty = _per_unique(raw, _as_date, "datetime64[us]", np.datetime64("NaT"))
    return Converted(pd.Series(values, index=raw.index), errors, empty)


# -- numbers ----------------------------------------------------------------------------------

MAX_AMOUNT = 10 ** 12  # CHF; the ISU's yearly budget is about half a million


def _too_large(text: str) -> str:
    return _("{value} is larger than any amount here: amounts above 10^12 (1,000,000,000,000) are refused, so that "
             "no sum can overflow. Check the cell.").format(value=text)


def _number_shown(value: float) -> str:
    """A number as a person reads it: 1e+308, -5,000, 12,500.5 (French ``-5 000``, ``12 500,5``;
    Spanish ``-5.000``, ``12.500,5``: as Excel shows it in that language, never ``-5,000``, which a
    French reader takes for minus five)."""
    if not math.isfinite(value) or abs(value) >= 1e15:
        return f"{value:g}"

    if i18n.current() != "en":
        return format_decimal(value, "#,##0.##########", locale=i18n.locale())
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([,'\u2019 \u00a0\u202f])\d{3})(?:\1\d{3})*(?:\.\d+)?")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
AMOUNT_HINT = N_("Write amounts as plain numbers such as 10000 or 10,000.50 (no currency sign).")


def _as_amount(value: object) -> tuple[object, str | None]:
    if isinstance(value, bool):
        return None, _("'{text}' is not an amount. {hint}").format(text=value, hint=_(AMOUNT_HINT))
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None, _("'{text}' is not an amount.").format(text=value)
        return (float(value), None) if abs(value) <= MAX_AMOUNT else (None, _too_large(_number_shown(value)))
    if isinstance(value, str):
        s = value.strip()
        number = None
        if _PLAIN.fullmatch(s):
            number = float(s)
        elif _GROUPED.fullmatch(s):
            number = float(re.sub(r"[,'\u2019 \u00a0\u202f]", "", s))
        if number is not None:
            if math.isfinite(number) and abs(number) <= MAX_AMOUNT:
                return number, None
            return None, _too_large(f"'{value[:30]}'")
        if re.fullmatch(r"\(\s*[\d,.' ]+\s*\)", s):
            return None, _("'{text}' uses brackets for a negative amount; write it with a minus sign (-350).").format(
                text=value)
        if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", s):
            return None, _("'{text}' uses a dot to group thousands; write 10000.50 or 10,000.50.").format(text=value)
        return None, _("'{text}' is not an amount. {hint}").format(text=value, hint=_(AMOUNT_HINT))
    return None, _("'{text}' is not an amount. {hint}").format(text=value, hint=_(AMOUNT_HINT))


_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"


def _fast_numbers(raw: pd.Series) -> pd.Series:
    t = textops.strip(raw)
    plain = textops.matches(t, f"^{_DECIMAL}$")
    return t.where(plain).astype("float64")


def to_amount(raw: pd.Series) -> Converted:
    """Amounts: numbers, or text with thousands separators (``10,000``, ``10'000``)."""
    if _is_text(raw):
        fast = _fast_numbers(raw)
        with np.errstate(invalid="ignore"):
            fast = fast.where(np.abs(fast.to_numpy(dtype="float64", na_value=np.nan)) <= MAX_AMOUNT)
        return _fast_then_rest(raw, fast, _as_amount, "float64", np.nan)
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return _bounded(raw.to_numpy(dtype="float64", na_value=np.nan), raw.index)
    obj = raw.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(obj, skipna=True) in ("floating", "integer", "mixed-integer-float", "empty"):
        return _bounded(pd.to_numeric(pd.Series(obj), errors="coerce").to_numpy(dtype="float64"), raw.index)
    values, errors, empty = _per_unique(raw, _as_amount, "float64", np.nan)
    return Converted(pd.Series(values, index=raw.index), errors, empty)


def _bounded(values: np.ndarray, index) -> Converted:
    """Typed numbers: those above ``MAX_AMOUNT`` (or infinite) become errors quoting them."""
    empty = np.isnan(values)
    errors = np.full(len(values), None, dtype=object)
    with np.errstate(invalid="ignore"):
        big = ~empty & ~(np.abs(values) <= MAX_AMOUNT)
    if big.any():
        for i in np.flatnonzero(big):
            errors[i] = _too_large(_number_shown(float(values[i])))
        values = np.where(big, np.nan, values)
    return Converted(pd.Series(values, index=index), errors, empty)


MAX_WHOLE = 10 ** 9


def _as_integer(value: object) -> tuple[object, str | None]:
    if isinstance(value, bool):
        return None, _("'{text}' is not a whole number.").format(text=value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,15}(?:\.0+)?\s*", value):
        value = float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) and float(value).is_integer()):
            return None, _("{number} is not a whole number.").format(number=value)
        if abs(value) > MAX_WHOLE:
            return None, _("{number} is far too large here; check the cell.").format(number=_number_text(value))
        return int(value), None
    return None, _("'{text}' is not a whole number.").format(text=value)


def to_integer(raw: pd.Series) -> Converted:
    """Whole numbers (years, counts): ``2017``, ``2017.0`` or ``"2017"``."""
    if _is_text(raw) and len(raw) > 1000:
        fast = _fast_numbers(raw)
        ok = fast.notna() & (fast % 1 == 0) & (fast.abs() <= MAX_WHOLE)
        c = _fast_then_rest(raw, fast.where(ok), _as_integer, "float64", np.nan)
        return Converted(pd.Series(pd.array(c.values.to_numpy(), dtype="Float64").astype("Int64"), index=raw.index),
                         c.errors, c.empty)
    values, errors, empty = _per_unique(raw, _as_integer, object, None)
    return Converted(pd.Series(pd.array(values, dtype="Int64"), index=raw.index), errors, empty)


def _as_article(value: object) -> tuple[object, str | None]:
    text = _as_text(value)[0]
    m = re.fullmatch(r"(?:art(?:icle)?\.?\s*)?([34])", str(text), re.I)
    if m:
        return int(m[1]), None
    return None, _("'{text}' is not an article of the Convention handled here: write 3 (stockpiles) or 4 "
                   "(clearance).").format(text=text)


def to_article(raw: pd.Series) -> Converted:
    """Article 3 or 4 (``3``, ``3.0``, ``Art. 3``, ``Article 4``)."""
    values, errors, empty = _per_unique(raw, _as_article, object, None)
    return Converted(pd.Series(pd.array(values, dtype="Int64"), index=raw.index), errors, empty)


def _as_report_type(value: object) -> tuple[object, str | None]:
    text = str(_as_text(value)[0]).casefold()
    text = re.sub(r"\s*(transparency\s*)?report$", "", text).strip()
    if text in ("initial", "annual"):
        return text, None
    return None, _("'{text}' is not a report type: write initial or annual.").format(text=value)


def to_report_type(raw: pd.Series) -> Converted:
    """``initial`` or ``annual`` (case-insensitive; a trailing "report" is allowed)."""
    values, errors, empty = _per_unique(raw, _as_report_type, object, None)
    return Converted(pd.Series(values, index=raw.index, dtype="str"), errors, empty)


_TRUE = {"true", "yes", "y", "1", "x", "accession", "a"}
_FALSE = {"false", "no", "n", "0", "ratification", "r"}


def _as_bool(value: object) -> tuple[object, str | None]:
    if isinstance(value, bool):
        return value, None
    text = str(_as_text(value)[0]).casefold()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, _("'{text}' is not true or false (write true or false, yes or no).").format(text=value)


def to_bool(raw: pd.Series) -> Converted:
    """true/false, yes/no, 1/0 or x."""
    values, errors, empty = _per_unique(raw, _as_bool, object, None)
    return Converted(pd.Series(pd.array(values, dtype="boolean"), index=raw.index), errors, empty)


CONVERTERS: dict[str, Callable[[pd.Series], Converted]] = {
    "text": to_text,
    "state": to_text,
    "date": to_date,
    "amount": to_amount,
    "integer": to_integer,
    "article": to_article,
    "report_type": to_report_type,
    "bool": to_bool,
}
