"""Printing: ``print.css`` (every page prints without the sidebar, header and buttons; the Brief
page fits one A4 page) and ``print_fit.js`` (before printing, the content is scaled so that the
widest chart or table fits the paper's width, since charts are drawn for the screen)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent


@lru_cache(maxsize=2)
def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def print_style() -> None:
    """Add the print stylesheet and the fit-to-paper script (drawn in the sidebar, which never prints)."""
    st.html(f"<style>{_read('print.css')}</style>")
    with st.sidebar:
        st.html(f"<script>{_read('print_fit.js')}</script>", unsafe_allow_javascript=True)
