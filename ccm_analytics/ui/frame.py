"""The frame every page shares: screen styles and behaviour, navigation, the as-of day in the address."""

from __future__ import annotations

import datetime as dt
import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from collections.abc import Callable
from urllib.parse import urlencode

import streamlit as st

from .. import access
from .. import formatting as fmt
from .. import i18n
from ..errors import CcmError
from ..i18n import _
from . import context, language, printing

ASSETS = Path(__file__).resolve().parent / "assets"
PROBLEM_KEY = "_address_problem"
_ADDRESSES: dict[str, str] = {}  # page file -> its address, as app.py declares them


def set_page_addresses(addresses: dict[str, str]) -> None:
    """Declare each page file's address (``{"pages/budget.py": "budget"}``; the Overview's is "")."""
    _ADDRESSES.update(addresses)


def page_address(page: str) -> str:
    """The address of a page file (``pages/budget.py`` -> ``budget``)."""
    return _ADDRESSES.get(page, Path(page).stem)


@lru_cache(maxsize=1)
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def head() -> None:
    """Everything the frame adds to the page, as one element: the screen stylesheet (contrast, phones,
    wide charts) and its script, the print stylesheet and its fit-to-paper script, and the page's
    language (``<html lang>``, Streamlit's and Plotly's own words). One element, not five: each
    element costs the browser a few milliseconds to draw, on every page."""

    css = _asset("screen.css") + "\n" + printing.print_css()
    js = ";\n".join((_asset("screen.js"), printing.print_script(), language.script()))
    with st.sidebar, st.container(key="ccm-script"):
        st.html(f"<style>{css}</style><script>{js}</script>", unsafe_allow_javascript=True)


def requested_language() -> str:
    """The language of this run: the address's ``?lang=`` (``fr``, ``es``; nothing for English).

    The sidebar's language links (:func:`navigation`) change only the address, so a link always
    reproduces the view in its language. An unknown ``?lang=de`` shows English and is taken away.
    """
    chosen = i18n.parse_language(st.query_params.get("lang"))
    if chosen is None and "lang" in st.query_params:
        del st.query_params["lang"]
    return chosen or i18n.DEFAULT


def navigation(sections: dict[str, list[tuple[str, str, str]]], current: str, as_of: dt.date) -> None:
    """The app's name and links to every page, grouped under plain labels, as one element.

    Args:
        sections: Section label -> (page address, title, ``:material/<icon>:``) of each page.
        current: The address of the page shown (marked ``aria-current="page"``).
        as_of: The day shown: every link carries it, and the language, so it reproduces the view.

    Under it, the page in each language (:func:`language_links`, drawn once the page has run).

    Each section is a list of its own in one ``<nav>`` (valid list markup, which Streamlit's grouped
    navigation lacks). A click is handled in the page (``screen.js``): the address changes and
    Streamlit's own back-and-forward handling switches the page without reloading it, as its page
    links do; a Ctrl-click or middle click opens a new tab, as any link. One element instead of the
    fifteen of ``st.page_link`` and captions: every element costs the browser 3-5 ms on every page.
    """

    e = html.escape
    query = {"as_of": as_of.isoformat(), **({"lang": i18n.current()} if i18n.current() != i18n.DEFAULT else {})}
    label = _("Pages")
    parts = ["<p class='ccm-app'><strong>CCM Analytics</strong><br>",
             e(_("Convention on Cluster Munitions · Implementation Support Unit")), "</p>",
             f"<nav class='ccm-nav' aria-label='{e(label)}'>"]
    for n, (section, links) in enumerate(sections.items()):
        parts.append(f"<p class='ccm-nav-section' id='ccm-nav-{n}'>{e(section)}</p><ul aria-labelledby='ccm-nav-{n}'>")
        for address, title, icon in links:
            here = " aria-current='page'" if address == current else ""
            symbol = icon.removeprefix(":material/").removesuffix(":")
            parts.append(f"<li><a href='./{e(address)}?{e(urlencode(query))}' data-ccm-nav='{e(address)}'{here}>"
                         f"<span class='ccm-icon' aria-hidden='true'>{e(symbol)}</span>{e(title)}</a></li>")
        parts.append("</ul>")
    parts.append("</nav>")
    st.html("".join(parts))


# Address parameters written with words of the run's language (Streamlit keeps a bound widget's choice by its
# label): key -> (the choices, language-independent; the label of a choice in the run's language).
_LABELLED: dict[str, tuple[tuple, Callable[[Any], str]]] = {}
# Parameters the language links never carry: the language itself, and a credential.
_NOT_KEPT = ("lang", "token", "as_of")


def labelled(key: str, options, format_func: Callable[[Any], str]) -> None:
    """Declare that the address keeps the widget ``key``'s choice by its label, so that the language links
    write it in their language (``od_view=Each+report`` becomes ``od_view=Chaque+rapport``)."""
    _LABELLED[key] = (tuple(options), format_func)


def _in_language(key: str, values: list[str], code: str) -> list[str]:
    """The labels ``values`` of the widget ``key``, in the run's language, written in ``code``."""
    if key not in _LABELLED:
        return values
    options, label = _LABELLED[key]
    by_label = {str(label(o)): o for o in options}
    with i18n.language(code):
        return [str(label(by_label[v])) if v in by_label else v for v in values]


def language_links(current: str, as_of: dt.date) -> None:
    """The page shown in each language (:func:`_language_links`), keeping everything the address holds:
    drawn after the page ran, so it knows its tabs' and filters' words."""
    keep = {k: st.query_params.get_all(k) for k in st.query_params if k not in _NOT_KEPT}
    st.html(_language_links(current, as_of, keep))


def _language_links(current: str, as_of: dt.date, keep: dict[str, list[str]]) -> str:
    """The page shown in each language: a link per language, each written in its own language (with
    ``lang`` and ``hreflang`` for screen readers), the current one marked. Choosing one changes only
    the address (``?lang=fr``), as the navigation's links do; the page, its open tab (kept by a key of no
    language), its filters (in the link's language) and the day are kept."""

    e = html.escape
    label = _("Language")
    explain = _("Every page, the deck, the brief and the letters in English, French or Spanish. Kept in the page's "
                "address (?lang=fr), so a link opens the view in the same language.")
    parts = [f"<nav class='ccm-langs' aria-label='{e(label)}' title='{e(explain)}'>"
             f"<span class='ccm-icon' aria-hidden='true'>translate</span><ul>"]
    for code, name in i18n.LANGUAGES.items():
        query = {"as_of": [as_of.isoformat()], **{k: _in_language(k, v, code) for k, v in keep.items()},
                 **({"lang": [code]} if code != i18n.DEFAULT else {})}
        here = " aria-current='true'" if code == i18n.current() else ""
        parts.append(f"<li><a href='./{e(current)}?{e(urlencode(query, doseq=True))}' hreflang='{code}' lang='{code}' "
                     f"data-ccm-lang='{code}'{here}>{e(name)}</a></li>")
    parts.append("</ul></nav>")
    return "".join(parts)


def address_day_problem(raw: str | None, earliest: dt.date, latest: dt.date) -> str | None:
    """Why the address's ``as_of`` cannot be used, or None when it is absent or a usable day.

    A usable day is written YYYY-MM-DD and lies between ``earliest`` and ``latest``; a day
    written 05/09/2018 is read day first (as the sidebar shows it) to suggest the right form.
    """
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    try:
        day = dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is not None:
        if earliest <= day <= latest:
            return None
        return _("The address asks for the day **{day}**, outside the days this dashboard covers "
                 "({earliest} to {latest}).").format(day=fmt.md(text), earliest=fmt.long_day(earliest),
                                                     latest=fmt.long_day(latest))
    problem = _("The address asks for the day **{day}**, which is not a day written as YYYY-MM-DD "
                "(for example `as_of=2018-09-05`).").format(day=fmt.md(text))
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        try:
            suggested = dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return problem
        return problem + " " + _("Did you mean `as_of={day}`?").format(day=suggested)
    return problem


def as_of_input() -> dt.date:
    """The sidebar's as-of day, kept in the address; a day in the address that cannot be used is
    remembered and said on the page (see :func:`address_problem`) instead of silently replaced."""
    raw = st.query_params.get("as_of")
    problem = address_day_problem(raw, context.EARLIEST_DAY, context.LATEST_DAY)
    if problem and st.session_state.get("_address_raw") != raw:  # said once per address, until a day is chosen
        st.session_state[PROBLEM_KEY] = raw  # the words are written where shown, in the run's language
        st.session_state["_address_raw"] = raw

    def _chosen() -> None:
        st.session_state.pop(PROBLEM_KEY, None)

    return st.date_input(_("Data as at"), value=dt.date.today(), min_value=context.EARLIEST_DAY,
                         max_value=context.LATEST_DAY, key="as_of", bind="query-params", format="DD/MM/YYYY",
                         on_change=_chosen,
                         help=_("Every figure on every page is counted as of this day. It is kept in the page's "
                                "address (?as_of=YYYY-MM-DD), so a link reproduces the view."))


def signed_in_line() -> None:
    """In the sidebar of every page: who is signed in and with which role, the name the history gives every
    change of this session (DOMAIN.md section 9). Nothing for a visitor who is not signed in; nothing either
    when the sign-in settings are wrong (the Data page says what is wrong, where one signs in)."""
    try:
        me = context.current_user()
    except CcmError:
        return
    if me.signed_in:
        st.caption(":material/account_circle: " + _("Signed in as **{name}** ({role}).").format(
            name=fmt.md(me.name), role=_(access.ROLE_NAMES.get(me.role, "viewer"))))


def address_problem() -> None:
    """Say, above the page, that the address's day was not used and which day is shown instead."""
    raw = st.session_state.get(PROBLEM_KEY)
    problem = address_day_problem(raw, context.EARLIEST_DAY, context.LATEST_DAY) if raw else None
    if problem:
        shown = st.session_state.get("as_of") or dt.date.today()
        st.warning(problem + " " + _("Showing **{day}** instead; choose the day in the sidebar.").format(
                   day=fmt.long_day(shown)), icon=":material/event_busy:")
