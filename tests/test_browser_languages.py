"""English, French and Spanish in a real browser (issue 15).

The language is chosen in the address or the sidebar, kept through the navigation, declared to
screen readers (``<html lang>``), and every page and tab in French (laptop) and in Spanish
(phone) shows no English sentence of the catalogs, in its text or its charts, and passes axe-core.
Screenshots go to tests/artifacts/screenshots/languages/.
"""

from __future__ import annotations

import re

import pytest

from .browser_support import PAGES, rerun, visit, wait_drawn
from .conftest import ROOT
from .test_i18n_pages import english_seen

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "artifacts" / "screenshots" / "languages"
SHOTS.mkdir(parents=True, exist_ok=True)
DAY = "2018-09-05"
MAIN = '[data-testid="stMain"]'
SIDEBAR = '[data-testid="stSidebar"]'
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}

TEXTS_JS = r"""() => {
  const out = [document.body.innerText];
  document.querySelectorAll('svg text').forEach(t => out.push(t.textContent));
  document.querySelectorAll('[title], [aria-label], [placeholder], [data-title]').forEach(e => {
    for (const a of ['title', 'aria-label', 'placeholder', 'data-title'])
      if (e.getAttribute(a)) out.push(e.getAttribute(a));
  });
  return out;
}"""


def _query(name: str) -> str:
    return "state=BGR" if name == "state" else ""


def _lines(texts: list[str]) -> list[str]:
    return [line.strip() for t in texts for line in t.split("\n") if line.strip()]


def _crawl(browser, url: str, lang: str, viewport: dict, tabs: bool, axe: bool) -> list[dict]:
    """Every page (and every tab) in ``lang``; axe-core on each page's first view when ``axe``
    (every tab is checked in English by test_browser_everyday: a language changes words, not markup)."""
    from axe_playwright_python.sync_playwright import Axe

    # a French (Spanish) delegate's browser: the data grid writes numbers in its conventions
    context = browser.new_context(viewport=viewport, locale={"fr": "fr-CH", "es": "es-ES"}[lang])
    page = context.new_page()
    views = []
    for name, path in PAGES.items():
        visit(page, url, path, as_of=DAY, query="&".join(q for q in (f"lang={lang}", _query(name)) if q))
        page.screenshot(path=str(SHOTS / f"{name}-{lang}-{viewport['width']}.png"))
        count = page.locator(f'{MAIN} [data-testid="stTab"]').count() if tabs else 1
        for i in range(count):
            if i:
                with rerun(page):
                    page.locator(f'{MAIN} [data-testid="stTab"]').nth(i).click()
            violations = [(v["id"], v["impact"], len(v["nodes"])) for v in Axe().run(page).response["violations"]
                          if v["impact"] in ("serious", "critical")] if axe and i == 0 else []
            views.append({"where": f"{name} tab {i + 1}", "texts": _lines(page.evaluate(TEXTS_JS)),
                          "lang": page.evaluate("document.documentElement.lang"), "url": page.url,
                          "violations": violations})
    context.close()
    return views


@pytest.fixture(scope="module")
def french(app_url, browser):
    return _crawl(browser, app_url[0], "fr", DESKTOP, tabs=True, axe=True)


@pytest.fixture(scope="module")
def spanish_phone(app_url, browser):
    return _crawl(browser, app_url[0], "es", PHONE, tabs=False, axe=False)


def streamlit_english(texts: list[str], lang: str) -> list[str]:
    """Streamlit's and Plotly's own English words the app uses (the words it puts in the page's language,
    ``language.chrome_words``) still seen in ``texts``: a button's label, an aria-label, a placeholder."""
    from ccm_analytics import i18n
    from ccm_analytics.ui.language import chrome_words

    with i18n.language(lang):
        words = chrome_words()
    exact = {k for k, v in words["exact"].items() if v != k}
    patterns = [re.compile(p) for p, _ in words["patterns"]]
    return sorted({t for t in texts if t in exact or any(p.search(t) for p in patterns)})


def test_every_page_and_tab_in_french_shows_no_english_sentence(french):
    seen = {v["where"]: english_seen(v["texts"], "fr") + streamlit_english(v["texts"], "fr") for v in french}
    assert not any(seen.values()), {k: v[:8] for k, v in seen.items() if v}


def test_every_page_in_spanish_on_a_phone_shows_no_english_sentence(spanish_phone):
    seen = {v["where"]: english_seen(v["texts"], "es") + streamlit_english(v["texts"], "es") for v in spanish_phone}
    assert not any(seen.values()), {k: v[:8] for k, v in seen.items() if v}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_refused_upload_in_french_or_spanish_shows_no_english_word(app_url, browser, lang, tmp_path):
    """The problem table's headers, its messages and Streamlit's uploader words, after a file with a
    day written 03/04/2018 (day or month first?) is refused."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    visit(page, app_url[0], "data", as_of=DAY, query=f"lang={lang}")
    bad = tmp_path / "spend.csv"
    bad.write_text("date,cost_line,amount\n2018-01-31,Salaries,100\n03/04/2018,Salaries,5\n", encoding="utf-8")
    page.locator(f'{MAIN} [data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(bad))
    page.wait_for_selector(f'{MAIN} .ccm-table[data-table="problems"]',
                           timeout=30000)
    wait_drawn(page)
    texts = _lines(page.evaluate(TEXTS_JS))
    headers = page.evaluate("[...document.querySelectorAll('.ccm-table[data-table=\"problems\"] th[scope=col]')]"
                            ".map(t => t.innerText.trim())")
    context.close()
    assert headers[:3] == {"fr": ["Cellule", "État", "Valeur"], "es": ["Celda", "Estado", "Valor"]}[lang], headers
    assert "03/04/2018" in "\n".join(texts)
    seen = english_seen(texts, lang) + streamlit_english(texts, lang)
    assert not seen, seen[:10]


def test_the_page_declares_its_language_to_screen_readers_and_axe_finds_nothing_serious_in_french(french, spanish_phone):
    assert {v["lang"] for v in french} == {"fr"}
    assert {v["lang"] for v in spanish_phone} == {"es"}
    assert not [v for v in french + spanish_phone if v["violations"]], \
        [(v["where"], v["violations"]) for v in french + spanish_phone if v["violations"]]


def test_the_language_stays_in_the_address_through_the_navigation(app_url, page):
    url, _ = app_url
    visit(page, url, "", as_of=DAY, query="lang=fr")
    english_budget = "Budget and spend"
    budget = page.locator(SIDEBAR).locator('a[data-ccm-nav="budget"]')
    assert budget.count() == 1, "no link to the budget page"
    assert english_budget not in budget.inner_text()
    assert budget.get_attribute("href") == "./budget?as_of=2018-09-05&lang=fr"  # the link reproduces the view
    budget.click()
    page.wait_for_function("() => location.pathname.endsWith('/budget')", timeout=15000)
    wait_drawn(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'fr'", timeout=10000)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert english_budget not in page.locator(f"{MAIN} h1").first.inner_text()


def test_choosing_espanol_in_the_sidebar_puts_lang_es_in_the_address_and_english_takes_it_away(app_url, page):
    url, _ = app_url
    visit(page, url, "", as_of=DAY)
    english_title = page.locator(f"{MAIN} h1").first.inner_text()
    links = page.locator(SIDEBAR).locator("nav.ccm-langs a")
    assert [links.nth(i).get_attribute("lang") for i in range(links.count())] == ["en", "fr", "es"]
    assert page.locator(SIDEBAR).locator("a[aria-current='true']").inner_text() == "English"
    page.evaluate("window.__sameDocument = true")
    page.locator(SIDEBAR).get_by_role("link", name="Español", exact=True).click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'es'", timeout=15000)
    wait_drawn(page)
    page.wait_for_function("() => document.documentElement.lang === 'es'", timeout=15000)
    assert page.locator(f"{MAIN} h1").first.inner_text() != english_title
    assert page.locator(SIDEBAR).locator("a[aria-current='true']").inner_text() == "Español"
    assert page.evaluate("window.__sameDocument === true")  # switched without reloading the page
    page.locator(SIDEBAR).get_by_role("link", name="English", exact=True).click()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('lang')", timeout=15000)
    wait_drawn(page)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=15000)
    assert page.locator(f"{MAIN} h1").first.inner_text() == english_title


def test_an_unknown_language_in_the_address_shows_english_without_an_error(app_url, page):
    url, _ = app_url
    visit(page, url, "reports", as_of=DAY, query="lang=de")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate("document.documentElement.lang") == "en"
    assert re.search(r"Transparency reports", page.locator(f"{MAIN} h1").first.inner_text())


def test_the_brief_downloaded_from_the_french_page_is_in_french(app_url, page):
    url, _ = app_url
    visit(page, url, "brief", as_of=DAY, query="lang=fr")
    with page.expect_download(timeout=60000) as done:
        page.get_by_role("button", name="Télécharger la note (.html)").click()
    text = open(done.value.path(), encoding="utf-8").read()
    assert '<html lang="fr"' in text and "5 septembre 2018" in text
    assert "State of play" not in text


def test_streamlit_s_and_plotly_s_own_words_follow_the_language_and_come_back_in_english(app_url, page):
    """The upload button, its size note and the chart toolbar have no translation of their own."""
    url, _ = app_url
    visit(page, url, "data", as_of=DAY, query="lang=fr")
    uploader = page.locator('[data-testid="stFileUploader"]').first
    page.wait_for_function("() => document.querySelector('[data-testid=\"stFileUploader\"]').innerText"
                           ".includes('Charger')", timeout=10000)
    assert "Mo par fichier" in uploader.inner_text() and "Upload" not in uploader.inner_text()
    visit(page, url, "budget", as_of=DAY, query="lang=fr")
    labels = page.evaluate("[...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))")
    assert "Télécharger le graphique en PNG" in labels and "Download plot as a PNG" not in labels
    visit(page, url, "data", as_of=DAY)
    page.wait_for_function("() => document.querySelector('[data-testid=\"stFileUploader\"]').innerText"
                           ".includes('Upload')", timeout=10000)
