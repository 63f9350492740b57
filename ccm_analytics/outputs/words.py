"""Counted phrases shared by the deck and the brief, whole in every language (DOMAIN §12).

Each phrase is one message with its plural forms, so that a translator never joins fragments:
"no State overdue" / "3 overdue", "12 States Parties owe 30 reports".
"""

from __future__ import annotations

from .. import countries
from .. import formatting as fmt
from .. import i18n
from ..i18n import _, ngettext


def counted(n: int, none: str, some: str) -> str:
    """``none`` (a whole phrase, translated) for 0, else ``some`` (the ``ngettext`` form for ``n``) with ``{n}``."""
    return none if not n else some.format(n=fmt.number(n))


def overdue_words(n: int) -> str:
    """"no State overdue", "3 overdue" (Article 3/4 obligations)."""
    return counted(n, _("no State overdue"), ngettext("{n} overdue", "{n} overdue", n))


def due_within_words(n: int, months: int) -> str:
    """"no State due within 12 months", "2 due within 12 months"; 24 months: "no State within 24 months"."""
    if months == 12:
        return counted(n, _("no State due within 12 months"),
                       ngettext("{n} due within 12 months", "{n} due within 12 months", n))
    return counted(n, _("no State within 24 months"), ngettext("{n} within 24 months", "{n} within 24 months", n))


def owed_words(states: int, reports: int) -> str:
    """"12 States Parties owe 30 reports" ("1 State Party owes 1 report")."""
    return ngettext("{n} State Party owes {reports}", "{n} States Parties owe {reports}", states).format(
        n=fmt.number(states), reports=ngettext("{n} report", "{n} reports", reports).format(n=fmt.number(reports)))


def submunitions(n: float) -> str:
    """A count of submunitions: 165,904,388 -> "165.9 million" ("165,9 millions", "165,9 millones"), 12,500 ->
    "12,500" ("12 500" in French)."""
    if n >= 1e6:
        m = round(n / 1e6, 1)
        return ngettext("{n} million", "{n} million", fmt.plural_n(m)).format(n=fmt.number(m, 1))
    return fmt.number(n)


def state_name(state: str, iso3: str | None) -> str:
    """A State's name in the run's language (English: as the data writes it)."""
    lang = i18n.current()
    if lang != "en" and iso3:
        try:
            return countries.name_in(iso3, lang)
        except Exception:  # an unknown code: the name as the data gives it
            return state
    return state
