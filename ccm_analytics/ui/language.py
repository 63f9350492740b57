"""The page's language for browsers and screen readers (WCAG 3.1.1: ``<html lang>``), and the few
words Streamlit and Plotly write themselves (the upload button, the chart toolbar, help buttons),
which have no translation of their own: they are put in the page's language from our catalogs."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .. import i18n
from ..i18n import _, pgettext

SCRIPT = Path(__file__).resolve().parent / "assets" / "chrome.js"


def chrome_words() -> dict:
    """Streamlit's and Plotly's own words in this run's language: exact texts, and patterns
    (a JavaScript regular expression and the sentence its groups fill). Empty in English."""
    if i18n.current() == i18n.DEFAULT:
        return {"exact": {}, "patterns": []}
    exact = {
        # Streamlit
        "Upload": _("Upload"), "Browse files": _("Browse files"), "Drag and drop files here": _("Drag and drop files here"),
        "file upload": _("file upload"), "Choose an option": _("Choose an option"), "Choose date": _("Choose date"),
        "Clear all": _("Clear all"), "Clear value": _("Clear value"), "Open": _("Open"), "Close": _("Close"),
        "Fullscreen": _("Fullscreen"), "Close fullscreen": _("Close fullscreen"), "Search": _("Search"),
        "Download as CSV": _("Download as CSV"), "Running...": _("Running..."), "Stop": _("Stop"),
        "No results": _("No results"), "Press Enter to apply": _("Press Enter to apply"),
        "Show/hide columns": _("Show/hide columns"), "Remove file": _("Remove file"),
        "Press Enter to submit form": _("Press Enter to submit form"), "Skip to main content": _("Skip to main content"),
        "Collapse sidebar": _("Collapse sidebar"), "Expand sidebar": _("Expand sidebar"),
        "Previous month": _("Previous month"), "Next month": _("Next month"), "Main menu": _("Main menu"),
        "Show password": _("Show password"), "Hide password": _("Hide password"),
        # an empty date field's placeholder: the whole, and its segments as the date field draws them
        "DD/MM/YYYY": pgettext("date placeholder", "DD/MM/YYYY"),
        "dd / mm / yyyy": pgettext("date placeholder", "dd / mm / yyyy"),
        "dd": pgettext("date placeholder", "dd"), "yyyy": pgettext("date placeholder", "yyyy"),
        # Plotly's chart toolbar
        "Download plot as a PNG": _("Download plot as a PNG"), "Autoscale": _("Autoscale"), "Pan": _("Pan"),
        "Reset axes": _("Reset axes"), "Zoom": _("Zoom"), "Zoom in": _("Zoom in"), "Zoom out": _("Zoom out"),
        "Box Select": _("Box Select"), "Lasso Select": _("Lasso Select"), "Produced with Plotly.js": "Plotly.js",
    }
    patterns = [
        [r"^Help for (.+)$", _("Help for {label}").replace("{label}", "$1")],
        [r"^(\d+)\s?MB per file • (.+)$", _("{size} MB per file · {types}").replace("{size}", "$1")
         .replace("{types}", "$2")],
        [r"^(\d+)\s?MB per file$", _("{size} MB per file").replace("{size}", "$1")],  # when drawn apart
        [r"^Press (⌘|Ctrl)\+Enter to submit form$", _("Press {key}+Enter to submit form").replace("{key}", "$1")],
        [r"^Press (⌘|Ctrl)\+Enter to apply$", _("Press {key}+Enter to apply").replace("{key}", "$1")],
        [r"^Selected Date: (.+)$", _("Selected date: {date}").replace("{date}", "$1")],
        [r"^Selected Range: (.+) to (.+)$", _("Selected range: {start} to {end}").replace("{start}", "$1")
         .replace("{end}", "$2")],
    ]
    return {"exact": exact, "patterns": patterns}


@lru_cache(maxsize=1)
def _script() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def script() -> str:
    """The script that sets ``<html lang>`` to this run's language, so a screen reader reads French as
    French, and puts Streamlit's and Plotly's own words in that language (drawn by :func:`frame.head`)."""
    lang = i18n.current()
    words = json.dumps(chrome_words(), ensure_ascii=False).replace("</", "<\\/")
    return f"document.documentElement.lang = {lang!r}; window.__ccmChromeWords = {words};\n{_script()}"
