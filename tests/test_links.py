"""Links that land (issue 25, item 4): every in-app link names a tab or anchor that exists, tabs are kept in the
address by a key of no language, and the language links keep the page, the tab, the filters and the day."""

from __future__ import annotations

import pytest

import html
import re
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

from .conftest import ROOT
from .test_app import DAY

pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # AppTest runs as on a server

PAGES = {"": "pages/overview.py", "brief": "pages/brief.py", "budget": "pages/budget.py",
         "meetings": "pages/meetings.py", "reports": "pages/reports.py", "deadlines": "pages/deadlines.py",
         "universalization": "pages/universalization.py", "state": "pages/state.py", "workplan": "pages/workplan.py",
         "data": "pages/data.py"}
# Each page's tabs by their keys, as the pages declare them (the first is the address without the parameter).
TABS = {"budget_tab": ("years", "lines", "year", "money", "all"),
        "dl_tab": ("timeline", "progress", "table", "coming"),
        "meetings_tab": ("sponsorship", "time", "all"),
        "reports_tab": ("annual", "initial", "overdue", "repeat", "cohort"),
        "universalization_tab": ("time", "map", "signatories")}
LINK = re.compile(r"href='\./([a-z]*)\?([^'#]*)(#[^']*)?'")


def run(path: str, query: dict[str, str], lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    if lang:
        at.query_params["lang"] = lang
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def html_of(at: AppTest) -> str:
    out = []
    for part in (at.main, at.sidebar):
        for el in part:
            value = getattr(el, "value", None)
            if isinstance(value, str):
                out.append(value)
    return "\n".join(out)


def in_app_links(at: AppTest) -> set[tuple[str, tuple, str]]:
    """Every link of a page to a page of the app: (address, query pairs, anchor), navigation aside."""
    links = set()
    for m in LINK.finditer(html_of(at)):
        query = parse_qs(html.unescape(m[2]))
        links.add((m[1], tuple(sorted((k, v[0]) for k, v in query.items())), m[3] or ""))
    return links


def test_every_in_app_link_opens_a_tab_or_anchor_that_exists(read_only_store):
    seen: set = set()
    for address, path in PAGES.items():
        at = run(path, {"as_of": DAY.isoformat()})
        for link in in_app_links(at):
            target, query, anchor = link
            tabs = {k: v for k, v in query if k.endswith("_tab")}
            if (not tabs and not anchor) or link in seen:
                continue
            seen.add(link)
            assert target in PAGES, link
            for key, wanted in tabs.items():
                assert wanted in TABS[key], f"{address or 'overview'} links to a tab '{wanted}' that {target} lacks"
            landed = run(PAGES[target], dict(query))
            for key, wanted in tabs.items():
                assert landed.query_params[key] == wanted  # an unknown key would have been dropped
                assert landed.session_state[key] == [t.label for t in landed.tabs][TABS[key].index(wanted)]
            if anchor:
                assert f"id='{anchor[1:]}'" in html_of(landed) or f'id="{anchor[1:]}"' in html_of(landed), link
    # The Overview's two cards that open a tab (the "Contributions" landed on "Year against year").
    assert ("budget", (("as_of", "2018-09-05"), ("budget_tab", "money")), "") in seen
    assert ("reports", (("as_of", "2018-09-05"), ("reports_tab", "overdue")), "") in seen


def test_a_tab_is_kept_by_its_key_and_an_unknown_one_opens_the_first_tab(read_only_store):
    at = run("pages/budget.py", {"as_of": DAY.isoformat(), "budget_tab": "money"}, lang="fr")
    assert at.session_state["budget_tab"] == "Financement, annonces et trésorerie"
    at = run("pages/budget.py", {"as_of": DAY.isoformat(), "budget_tab": "Contributions"})
    assert at.session_state["budget_tab"] == "Year against year" and "budget_tab" not in at.query_params


def language_link(at: AppTest, code: str) -> dict[str, list[str]]:
    langs = next(h.value for h in at.sidebar if h.type == "html" and "<nav class='ccm-langs'" in h.value)
    href = re.search(rf"href='([^']*)' hreflang='{code}'", langs)[1]
    parts = urlsplit(html.unescape(href))
    return {"path": [parts.path], **parse_qs(parts.query)}


def test_switching_language_keeps_the_page_the_tab_the_filters_and_the_day(read_only_store):
    at = run("pages/reports.py", {"as_of": "2018-09-05", "reports_tab": "overdue", "od_view": "Each report",
                                  "od_types": "Annual"})
    french = language_link(at, "fr")
    assert french == {"path": ["./reports"], "as_of": ["2018-09-05"], "reports_tab": ["overdue"],
                      "od_view": ["Chaque rapport"], "od_types": ["Annuel"], "lang": ["fr"]}
    # Following it: the French page opens the same tab with the same filters.
    fr = run("pages/reports.py", {k: v[0] for k, v in french.items() if k != "path"})
    assert fr.session_state["reports_tab"] == "En souffrance"
    assert fr.session_state["od_view"] == "Each report" and fr.session_state["od_types"] == ["annual"]
    back = language_link(fr, "en")
    assert back == {"path": ["./reports"], "as_of": ["2018-09-05"], "reports_tab": ["overdue"],
                    "od_view": ["Each report"], "od_types": ["Annual"]}


def test_the_language_links_keep_the_state_of_a_profile(read_only_store):
    at = run("pages/state.py", {"as_of": "2018-09-05", "state": "LAO"})
    assert language_link(at, "es")["state"] == ["LAO"]
