"""Cached page computations, keyed by the store's version, the day and the page's filters."""

from __future__ import annotations

import streamlit as st

from .. import dataops, i18n, views
from ..i18n import N_
from ..outputs.brief import build_brief
from .context import Said, ctx, cut_for
from ..store import Store

VIEWS = {
    "overview": views.overview_view,
    "budget": views.budget_view,
    "reports": views.reports_view,
    "deadlines": views.deadlines_view,
    "universalization": views.universalization_view,
    "state": views.state_view,
    "workplan": views.workplan_view,
    "meetings": views.meetings_view,
    "overdue": views.overdue_view,
    "coming_up": views.coming_up_view,
    "brief": build_brief,
}


@st.cache_data(max_entries=256, show_spinner=Said(N_("Computing…")))
def _view(name: str, path: str, version: int, as_of, params: tuple, lang: str = "en"):
    """``lang``: the results hold words (labels, sentences) written in the run's language."""
    return VIEWS[name](cut_for(path, version, lang, as_of), as_of, **dict(params))


def view(name: str, **params):
    """The page's one analysis result for this run's data version and day."""
    run = ctx()
    return _view(name, run.store_path, run.version, run.as_of, tuple(sorted(params.items())), i18n.current())


@st.cache_data(max_entries=16, show_spinner=False)
def _store_tables(path: str, version: int, lang: str = "en"):
    """``lang``: the tables' words are written in the run's language."""

    s = Store(path)
    return dataops.datasets_table(s), dataops.history_table(s)


def store_tables():
    """(what is loaded, the load history) for this run's version, read once per version."""
    run = ctx()
    return _store_tables(run.store_path, run.version, i18n.current())
