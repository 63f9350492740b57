"""The page's language for browsers and screen readers (WCAG 3.1.1: ``<html lang>``)."""

from __future__ import annotations

import streamlit as st

from .. import i18n


def declare() -> None:
    """Set ``<html lang>`` to this run's language, so a screen reader reads French as French."""
    lang = i18n.current()
    with st.sidebar, st.container(key="ccm-script-lang"):
        st.html(f"<script>document.documentElement.lang = {lang!r};</script>", unsafe_allow_javascript=True)
