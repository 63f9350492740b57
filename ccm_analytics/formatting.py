"""How numbers, amounts and days are written everywhere (pages, slides, exports).

One palette for statuses, safe for colour-blind readers (Okabe-Ito), and one way to write
CHF amounts ("CHF 465,440"), rates ("61.2%") and days ("5 Sep 2018").

Percentages have one precision everywhere (DOMAIN §8): :data:`PCT_DECIMALS` decimal, in words,
cards, tables (``PCT_FORMAT``), chart labels (``PCT_D3``), CSV downloads and Excel (``PCT_EXCEL``).
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
BLUE, SKY, GREEN, ORANGE, VERMILLION, PURPLE, YELLOW = (
    "#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#F0E442")
GREY, LIGHT_GREY, NAVY, SLATE = "#8C8C8C", "#E4E7EB", "#1F4E79", "#A9BCD0"
# Late and overdue: amber and wine stay apart for every reader, where Okabe-Ito's orange and
# vermillion do not with deuteranopia (scripts/check_palette.py; DOMAIN.md §10).
AMBER, WINE = "#FFC20A", "#882255"

# What each colour is called in captions and keys, so that words always name the colour drawn.
COLOUR_WORDS = {BLUE: "blue", SKY: "sky blue", GREEN: "green", ORANGE: "orange", VERMILLION: "vermilion",
                PURPLE: "pink", YELLOW: "yellow", GREY: "grey", LIGHT_GREY: "light grey", NAVY: "navy",
                SLATE: "slate", AMBER: "amber", WINE: "wine red"}

STATUS_COLOURS = {
    # Article 7 reports
    "on_time": GREEN, "late": AMBER, "overdue": WINE, "not_due": LIGHT_GREY,
    # Article 3/4 deadlines
    "completed": GREEN, "on_track": BLUE, "due_within_12_months": ORANGE, "none_held": GREY,
    # universalization
    "state_party": BLUE, "signatory": SKY, "withdrawn": PURPLE, "not_yet": LIGHT_GREY,
    # budget lines (DOMAIN §8)
    "over_budget": VERMILLION, "under_budget": ORANGE, "on_budget": GREEN,
}
STATUS_LABELS = {
    "on_time": "On time", "late": "Late", "overdue": "Overdue", "not_due": "Not yet due",
    "completed": "Completed", "on_track": "On track", "due_within_12_months": "Due within 12 months",
    "none_held": "Declared none held",
    "state_party": "State Party", "signatory": "Signatory", "withdrawn": "Withdrawn",
    "not_yet": "Neither",
    "over_budget": "Over budget", "under_budget": "Under budget", "on_budget": "On budget",
}
REPORT_STATUSES = ("on_time", "late", "overdue")
DEADLINE_STATUSES = ("overdue", "due_within_12_months", "on_track", "completed", "none_held")


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT


def chf(x, currency: str = "CHF", decimals: int = 0) -> str:
    """An amount with its currency and thousands separators: ``CHF 465,440``."""
    if _missing(x):
        return "–"
    sign = "-" if x < 0 else ""
    return f"{sign}{currency} {abs(x):,.{decimals}f}"


def chf_short(x, currency: str = "CHF") -> str:
    """A compact amount for cards: ``CHF 465k``, ``CHF 1.2m``."""
    if _missing(x):
        return "–"
    sign = "-" if x < 0 else ""
    a = abs(x)
    if a >= 1_000_000:
        return f"{sign}{currency} {a / 1_000_000:.1f}m"
    if a >= 10_000:
        return f"{sign}{currency} {a / 1000:,.0f}k"
    return f"{sign}{currency} {a:,.0f}"


PCT_DECIMALS = 1
PCT_D3 = f".{PCT_DECIMALS}%"  # Plotly (d3) format of a fraction: 0.612 -> 61.2%
PCT_EXCEL = "0." + "0" * PCT_DECIMALS + "%" if PCT_DECIMALS else "0%"
PCT_FORMAT = f"%.{PCT_DECIMALS}f%%"  # printf format of a percentage number (61.2 -> 61.2%)


def pct(x, decimals: int = PCT_DECIMALS) -> str:
    """A fraction as a percentage with the one precision: 0.612 -> ``61.2%``."""
    return "–" if _missing(x) else f"{x * 100:.{decimals}f}%"


def day(d) -> str:
    """A day as ``5 Sep 2018``."""
    return "–" if _missing(d) else f"{pd.Timestamp(d).day} {pd.Timestamp(d):%b %Y}"


def long_day(d) -> str:
    """A day as ``5 September 2018``."""
    return "–" if _missing(d) else f"{pd.Timestamp(d).day} {pd.Timestamp(d):%B %Y}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 report``, ``3 reports``."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [str(i) for i in items]
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


def colour_word(status: str) -> str:
    """The name of the colour a status is drawn in ("wine red" for overdue reports)."""
    return COLOUR_WORDS[STATUS_COLOURS[status]]


def label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text) -> str:
    """User text made safe for Markdown: shown literally, never as formatting, links, HTML or maths."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def plain(text) -> str:
    """User text made safe for chart labels (Plotly reads a little HTML): ``<``, ``>``, ``&`` escaped."""
    return html.escape(str(text), quote=False)
