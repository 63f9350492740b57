"""How numbers, amounts and days are written everywhere (pages, slides, exports).

One palette for statuses, safe for colour-blind readers (Okabe-Ito), and one way to write
CHF amounts, rates and days in the run's language (:mod:`ccm_analytics.i18n`), through Babel
(DOMAIN §12):

======  =====================  ==================  ============  =======================
lang    amount                 short amount        rate          day / long day
======  =====================  ==================  ============  =======================
en      CHF 290,637            CHF 291k            61.2%         5 Sep 2018 / 5 September 2018
fr      290 637 CHF            291 k CHF           61,2 %        5 sept. 2018 / 5 septembre 2018
es      290.637 CHF            291 mil CHF         61,2 %        5 sept 2018 / 5 de septiembre de 2018
======  =====================  ==================  ============  =======================

Percentages have one precision everywhere (DOMAIN §8): :data:`PCT_DECIMALS` decimal, in words,
cards, tables (``PCT_FORMAT``), chart labels (``PCT_D3``), CSV downloads and Excel (``PCT_EXCEL``).
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent
from babel import Locale
from babel.dates import format_date, format_skeleton, get_month_names
from babel.lists import format_list

from . import i18n
from .i18n import N_, _, pgettext

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
BLUE, SKY, GREEN, ORANGE, VERMILLION, PURPLE, YELLOW = (
    "#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#F0E442")
GREY, LIGHT_GREY, NAVY, SLATE = "#8C8C8C", "#E4E7EB", "#1F4E79", "#A9BCD0"
# Late and overdue: amber and wine stay apart for every reader, where Okabe-Ito's orange and
# vermillion do not with deuteranopia (scripts/check_palette.py; DOMAIN.md §10).
AMBER, WINE = "#FFC20A", "#882255"

# What each colour is called in captions and keys, so that words always name the colour drawn.
COLOUR_WORDS = {BLUE: N_("blue"), SKY: N_("sky blue"), GREEN: N_("green"), ORANGE: N_("orange"), VERMILLION: N_("vermilion"),
                PURPLE: N_("pink"), YELLOW: N_("yellow"), GREY: N_("grey"), LIGHT_GREY: N_("light grey"), NAVY: N_("navy"),
                SLATE: N_("slate"), AMBER: N_("amber"), WINE: N_("wine red")}

STATUS_COLOURS = {
    # Article 7 reports
    "on_time": GREEN, "late": AMBER, "overdue": WINE, "not_due": LIGHT_GREY,
    # Article 3/4 deadlines
    "completed": GREEN, "on_track": BLUE, "due_within_12_months": ORANGE, "none_held": GREY,
    # universalization
    "state_party": BLUE, "signatory": SKY, "withdrawn": PURPLE, "not_yet": LIGHT_GREY,
    # budget lines (DOMAIN §8)
    "over_budget": VERMILLION, "under_budget": ORANGE, "on_budget": GREEN, "may_end_over": YELLOW,
    "may_end_under": SKY,
}
STATUS_LABELS = {
    "on_time": N_("On time"), "late": N_("Late"), "overdue": N_("Overdue"), "not_due": N_("Not yet due"),
    "completed": N_("Completed"), "on_track": N_("On track"), "due_within_12_months": N_("Due within 12 months"),
    "none_held": N_("Declared none held"),
    "state_party": N_("State Party"), "signatory": N_("Signatory"), "withdrawn": N_("Withdrawn"),
    "not_yet": N_("Neither"),
    "over_budget": N_("Over budget"), "under_budget": N_("Under budget"), "on_budget": N_("On budget"),
    "may_end_over": N_("May end over budget"), "may_end_under": N_("May end under budget"),
}
# An Article 7 report's type and how a State was contacted (codes as loaded) -> their names, translated where shown.
REPORT_TYPES = {"initial": N_("Initial"), "annual": N_("Annual")}
CHANNELS = {"letter": N_("letter"), "email": N_("email"), "meeting": N_("meeting"), "call": N_("call")}
# The usual kinds of meeting and the place where they are held, as the Meetings sheet writes them.
MEETING_WORDS = {"Meeting of States Parties": N_("Meeting of States Parties"), "Review Conference": N_("Review Conference"),
                 "Coordination Committee": N_("Coordination Committee"), "Intersessional": N_("Intersessional meetings"),
                 "Workshop": N_("Workshop"), "Geneva": N_("Geneva")}
REPORT_STATUSES = ("on_time", "late", "overdue")


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) or x is pd.NaT


def _babel_locale() -> str:
    return i18n.locale()


MINUS = "\u2212"


def _minus(text: str) -> str:
    """French and Spanish print a negative number with the minus sign (U+2212), not a hyphen."""
    return MINUS + text[1:] if i18n.current() != "en" and text.startswith("-") else text


def number(x, decimals: int = 0) -> str:
    """A number with the language's separators: ``290,637`` / ``290 637`` / ``290.637``
    (negative: ``-26`` / ``−26`` / ``−26``)."""
    if _missing(x):
        return "–"

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _minus(format_decimal(x, pattern, locale=_babel_locale()))


def chf(x, currency: str = "CHF", decimals: int = 0) -> str:
    """An amount with its currency as the language writes it: ``CHF 465,440`` (English),
    ``465 440 CHF`` (French), ``465.440 CHF`` (Spanish)."""
    if _missing(x):
        return "–"
    if i18n.current() == "en":
        sign = "-" if x < 0 else ""
        return f"{sign}{currency} {abs(x):,.{decimals}f}"

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0¤"
    return _minus(format_currency(x, currency, format=pattern, locale=_babel_locale(), currency_digits=False))


def chf_short(x, currency: str = "CHF") -> str:
    """A compact amount for cards: ``CHF 465k``, ``CHF 1.2m`` (French ``465 k CHF``, ``1,2 M CHF``)."""
    if _missing(x):
        return "–"
    a = abs(x)
    if i18n.current() == "en":
        sign = "-" if x < 0 else ""
        if a >= 1_000_000:
            return f"{sign}{currency} {a / 1_000_000:.1f}m"
        if a >= 10_000:
            return f"{sign}{currency} {a / 1000:,.0f}k"
        return f"{sign}{currency} {a:,.0f}"
    if a < 10_000:
        return chf(x, currency)

    return _minus(format_compact_currency(x, currency, locale=_babel_locale(),
                                          fraction_digits=1 if a >= 1_000_000 else 0).replace("MCHF", "M\u00a0CHF"))


from .analysis.budget import PCT_DECIMALS  # noqa: E402  (the rule lives with the facts it rounds)
PCT_D3 = f".{PCT_DECIMALS}%"  # Plotly (d3) format of a fraction: 0.612 -> 61.2%
PCT_EXCEL = "0." + "0" * PCT_DECIMALS + "%" if PCT_DECIMALS else "0%"
PCT_FORMAT = f"%.{PCT_DECIMALS}f%%"  # printf format of a percentage number (61.2 -> 61.2%)


def pct(x, decimals: int = PCT_DECIMALS) -> str:
    """A fraction as a percentage with the one precision: 0.612 -> ``61.2%`` (``61,2 %`` in French)."""
    if _missing(x):
        return "–"
    if i18n.current() == "en":
        return f"{x * 100:.{decimals}f}%"

    # The language's own pattern ("#,##0 %" in French), with the one precision.
    pattern = Locale.parse(_babel_locale()).percent_formats[None].pattern.split(";")[0]
    if decimals:  # the last integer digit takes the decimals: "#,##0 %" -> "#,##0.0 %"
        pattern = re.sub(r"0(?=[^0-9#,]*$)", "0." + "0" * decimals, pattern, count=1)
    return _minus(format_percent(x, pattern, locale=_babel_locale()))


def _date(d, pattern: str) -> str:
    """``d`` written with a CLDR ``pattern`` in the language; French writes the first of a month
    as an ordinal, ``1er octobre 2019`` (the other days are cardinals: ``2 octobre``)."""

    when = pd.Timestamp(d).date()
    text = format_date(when, pattern, locale=_babel_locale())
    if i18n.current() == "fr" and when.day == 1:
        text = re.sub(r"^1(?=[\s\u00a0])", "1er", text)
    return text


def day(d) -> str:
    """A day as ``5 Sep 2018`` (``5 sept. 2018``, ``5 sept 2018``; ``1er oct. 2019``)."""
    if _missing(d):
        return "–"
    return _date(d, "d MMM y")


def day_month(d) -> str:
    """A day of the year without its year, as ``5 Sep`` (``5 sept.``, ``5 sept``; ``1er oct.``)."""
    if _missing(d):
        return "–"
    return _date(d, "d MMM")


def long_day(d) -> str:
    """A day as ``5 September 2018`` (``5 septembre 2018``, ``5 de septiembre de 2018``;
    ``1er octobre 2019``)."""
    if _missing(d):
        return "–"
    return _date(d, "d MMMM y" if i18n.current() == "en" else "long")


def month(d, long: bool = False) -> str:
    """A month as ``Sep 2018`` / ``September 2018`` (``sept. 2018`` / ``septembre 2018``)."""
    if _missing(d):
        return "–"

    return format_date(pd.Timestamp(d).date(), "LLLL y" if long else "LLL y", locale=_babel_locale())


def month_name(m: int, width: str = "abbreviated") -> str:
    """The name of month ``m`` (1-12) in the language: ``Sep`` / ``sept.`` / ``sept``."""

    return get_month_names(width, context="stand-alone", locale=_babel_locale())[int(m)]


def plural_n(x) -> int:
    """The whole number gettext chooses a plural form by, for a count that may have decimals
    (CLDR's rules): French takes the singular below 2 ("1,5 million"), English and Spanish the plural
    for anything but exactly 1 ("1.5 million", "1,5 millones")."""
    if _missing(x):
        return 0
    x = abs(float(x))
    if x == int(x):
        return int(x)
    return int(x) if i18n.current() == "fr" else 2


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 report``, ``3 reports``: English words only. Elsewhere use
    ``ngettext("{n} report", "{n} reports", n).format(n=number(n))``, which knows each language's plural."""
    return f"{number(n)} {singular if n == 1 else (plural or singular + 's')}"


# (not after a backslash, Markdown's escape; not a "?" or "!" inside an address: "page?lang=fr")
_FR_BEFORE = re.compile(r"[ \t]*(?<![\s\u00a0\u202f(\[\\])([;!?»])(?![\w=/&])|[ \t]+([:;!?»])")
_FR_AFTER = re.compile(r"«[ \t]*")
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
_HYPHEN_MINUS = re.compile(r"(?<![\w.,\-\u2212\\/])-(?=\d)")


def typography(text, lang: str | None = None) -> str:
    """Text finished as the language prints it, for every output (pages, brief, deck, calendar):

    - French: a no-break space (U+00A0) before ``: ; ! ? »`` and after ``«``, in place of an
      ordinary space or where there is none (``; ! ? »``; a colon with no space, as in ``16:9`` or
      ``https:``, is left alone);
    - a day written with an abbreviation before a full stop ends with one full stop, not two:
      ``au 5 sept..`` -> ``au 5 sept.`` (an ellipsis ``...`` is kept);
    - French and Spanish: a negative number takes the minus sign: ``-26`` -> ``−26`` (a hyphen
      between numbers, ``2011-2015``, or in a word, is left alone).

    English text is returned as it is, apart from the double full stop."""
    if text is None:
        return text
    lang = lang or i18n.current()
    out = _DOUBLE_STOP.sub(".", str(text))
    if lang == "fr":
        out = _FR_BEFORE.sub(lambda m: "\u00a0" + (m.group(1) or m.group(2)), out)
        out = _FR_AFTER.sub("«\u00a0", out)
    if lang in ("fr", "es"):
        out = _HYPHEN_MINUS.sub(MINUS, out)
    return out


# The order of names (the Unicode Collation Algorithm): a rule about text, not words, kept apart so
# that the facts' tables can sort by it too (ccm_analytics/collation.py).
from .collation import NAME_COLUMNS, collation_key, sort_key  # noqa: E402,F401


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (``a, b et c``, ``a, b y c``)."""
    items = [str(i) for i in items]
    if i18n.current() == "en":
        return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]

    return format_list(items, locale=_babel_locale()) if items else ""


def plotly_separators() -> str:
    """Plotly's ``layout.separators`` for the language: decimal mark, then thousands separator."""
    return {"en": ".,", "fr": ",\u202f", "es": ",."}[i18n.current()]


def colour_word(status: str) -> str:
    """The name of the colour a status is drawn in ("wine red" for overdue reports), in the language."""
    return _(COLOUR_WORDS[STATUS_COLOURS[status]])


def label(status: str) -> str:
    """A status's label in the language ("Overdue", "Non remis (en retard)")."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def report_type(code) -> str:
    """"initial" / "annual" named in the language ("Initial", "Initial" / "Inicial"); another value as written."""
    return _(REPORT_TYPES[code]) if code in REPORT_TYPES else code


def meeting_word(text) -> str:
    """A meeting's kind or place as the Meetings sheet writes it ("Coordination Committee", "Geneva")
    named in the language ("Comité de coordination", "Genève"); any other text as written."""
    return _(MEETING_WORDS[text]) if isinstance(text, str) and text in MEETING_WORDS else text


def channel(code) -> str:
    """How a State was contacted ("letter", "email"...) named in the language; another value as written."""
    return _(CHANNELS[code]) if code in CHANNELS else code


# A work-plan activity's status as the Workplan sheet writes it -> its name (translated where shown).
def workplan_status(status) -> str:
    """A work-plan activity's status as loaded ("Completed", "In progress", "Not started", "Not requested",
    "Not stated") named in the language, agreeing with "activity" (French "Achevée"); any other status
    is shown as written."""
    if not isinstance(status, str):
        return status
    known = {"Completed": pgettext("work plan status", "Completed"),
             "In progress": pgettext("work plan status", "In progress"),
             "Not started": pgettext("work plan status", "Not started"),
             "Not requested": pgettext("work plan status", "Not requested"),
             "Not stated": pgettext("work plan status", "Not stated")}
    return known.get(status, status)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text) -> str:
    """User text made safe for Markdown: shown literally, never as formatting, links, HTML or maths."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def plain(text) -> str:
    """User text made safe for chart labels (Plotly reads a little HTML): ``<``, ``>``, ``&`` escaped."""
    return html.escape(str(text), quote=False)


def day_text(day, precision=None) -> str:
    """A day as known, in the run's language: '4 September 2019', 'June 2023' (month precision) or '2017'
    (year); French '4 septembre 2019', 'juin 2023'; Spanish '4 de septiembre de 2019', 'junio de 2023'."""
    if day is None or pd.isna(day):
        return ""
    day = pd.Timestamp(day)
    p = str(precision).strip().casefold() if isinstance(precision, str) else "day"
    if p == "year":
        return f"{day.year}"
    if p == "month":  # CLDR's month-and-year: "June 2023", "juin 2023", "junio de 2023"

        return format_skeleton("yMMMM", day.date(), locale=_babel_locale())
    return long_day(day)
