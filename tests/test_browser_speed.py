"""A first visit to every page takes under 1.5 s (issue 10), in a real browser.

Its own file so that a parallel run (``make test`` runs two workers, a file each) can put it
beside the other browser tests instead of behind them. The limit is scaled by how loaded the
machine is, measured side by side with the floor page in the same run.
"""

from __future__ import annotations

import pytest

from .browser_support import PAGES, running_app, visit
from .test_browser import app_url, browser  # noqa: F401  (the sample's app, Chromium)
from .test_browser_everyday import DAY, DESKTOP, _query

pytestmark = pytest.mark.browser

# -- speed ---------------------------------------------------------------------------------------

# The floor page (benchmarks/floor_app.py: an empty Streamlit page with one Plotly chart) took
# 0.59 s on this machine unloaded (README, Performance). The machine is shared, so the 1.5 s
# limit is scaled by how much slower the floor is in this same run, measured side by side.
FLOOR_UNLOADED = 0.59


def test_every_page_first_visit_takes_under_one_and_a_half_seconds(app_url, browser):
    """A first visit in a new session (server warm, as after any earlier visitor), from navigation
    until every chart and table has drawn; the best of three."""
    url, _ = app_url
    page = browser.new_page(viewport=DESKTOP)
    with running_app(app="benchmarks/floor_app.py") as floor_url:
        visit(page, floor_url, "")
        for name, path in PAGES.items():  # the server's caches and the browser's copy of the app's code
            visit(page, url, path, as_of=DAY, query=_query(name))
        times, floor = {name: [] for name in PAGES}, []
        for _ in range(3):
            floor.append(visit(page, floor_url, ""))  # how loaded the machine is, once a round
            for name, path in PAGES.items():  # each visit loads the page afresh: a new session
                times[name].append(visit(page, url, path, as_of=DAY, query=_query(name)))
    page.close()
    load = max(1.0, min(floor) / FLOOR_UNLOADED)
    best = {name: round(min(t), 2) for name, t in times.items()}
    print(f"first visits, best of three (s): {best}; floor {min(floor):.2f} s, limit {1.5 * load:.2f} s")
    assert not {n: t for n, t in best.items() if t >= 1.5 * load}, (best, min(floor))
