"""The frame every page shares: screen styles and behaviour, navigation, the as-of day in the address."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import streamlit as st

from .. import formatting as fmt
from .. import i18n
from ..i18n import _
from . import context

ASSETS = Path(__file__).resolve().parent / "assets"
PROBLEM_KEY = "_address_problem"


@lru_cache(maxsize=1)
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def assets() -> None:
    """The screen stylesheet (contrast, phones, wide charts) and the small script that goes with it."""
    st.html(f"<style>{_asset('screen.css')}</style>")
    with st.sidebar, st.container(key="ccm-script"):
        st.html(f"<script>{_asset('screen.js')}</script>", unsafe_allow_javascript=True)


def requested_language() -> str:
    """The language of this run: the sidebar's choice, else the address's ``?lang=``, else English.

    The choice is written back to the address (``?lang=fr``; nothing for English), so that a link
    reproduces the view in the same language. Streamlit's own binding would write the option's
    label (``?lang=Français``), hence this small bridge.
    """
    chosen = i18n.parse_language(st.session_state.get("lang"))
    if chosen is None:
        chosen = i18n.parse_language(st.query_params.get("lang")) or i18n.DEFAULT
        st.session_state["lang"] = chosen
    if chosen == i18n.DEFAULT:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen
    return chosen


def language_input() -> str:
    """The sidebar's language choice (English, Français, Español), kept in the address like the day."""
    return st.selectbox(_("Language"), list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key="lang",
                        icon=":material/translate:",
                        help=_("Every page, the deck, the brief and the letters in English, French or Spanish. "
                               "Kept in the page's address (?lang=fr), so a link opens the view in the same "
                               "language."))


def navigation(sections: dict[str, list]) -> None:
    """Links to every page, grouped under plain labels (no list markup to get wrong)."""
    with st.container(key="ccm-nav", gap="small"):
        for section, links in sections.items():
            st.caption(section)
            for page, title, icon in links:
                st.page_link(page, label=title, icon=icon, width="stretch")


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


def address_problem() -> None:
    """Say, above the page, that the address's day was not used and which day is shown instead."""
    raw = st.session_state.get(PROBLEM_KEY)
    problem = address_day_problem(raw, context.EARLIEST_DAY, context.LATEST_DAY) if raw else None
    if problem:
        shown = st.session_state.get("as_of") or dt.date.today()
        st.warning(problem + " " + _("Showing **{day}** instead; choose the day in the sidebar.").format(
                   day=fmt.long_day(shown)), icon=":material/event_busy:")
