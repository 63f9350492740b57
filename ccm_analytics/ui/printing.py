"""Printing: ``print.css`` (every page prints without the sidebar, header and buttons; the Brief
page fits one A4 page) and ``print_fit.js`` (before printing, the content is scaled so that the
widest chart or table fits the paper's width, since charts are drawn for the screen)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


@lru_cache(maxsize=2)
def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def print_css() -> str:
    """The print stylesheet (drawn with the frame's other styles, see :func:`frame.head`)."""
    return _read("print.css")


def print_script() -> str:
    """The fit-to-paper script."""
    return _read("print_fit.js")
