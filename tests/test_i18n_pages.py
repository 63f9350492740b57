"""Every page in French and in Spanish runs and shows no English sentence of the catalogs.

Every text Streamlit was asked to draw (markdown, captions, labels, help, options, table
headers and cells, chart titles, axes, legends and hover texts) is gathered from AppTest's
element tree and compared with the English messages (msgids): a message whose translation
differs from it must not be seen, in whole or, for a message with placeholders, in any of its
literal parts of three words or more. Proper names and numbers are not messages, so they pass.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from ccm_analytics.i18n import catalogs
from ccm_analytics.schema import DATASETS
from ccm_analytics.store import Store

from .conftest import ROOT, SAMPLE, shown_tables, spread

PAGES = ["pages/overview.py", "pages/brief.py", "pages/budget.py", "pages/meetings.py", "pages/reports.py",
         "pages/deadlines.py", "pages/universalization.py", "pages/state.py", "pages/workplan.py", "pages/data.py"]
DAY = dt.date(2018, 9, 5)
pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # conftest: AppTest without a pages/ folder
SKIP_KEYS = {"page", "pageScriptHash", "id", "formId", "key", "type", "dtype", "icon", "fragmentId", "cssClass", "elementType", "useContainerWidth",
             "theme", "selectionMode", "width", "height", "format", "spec", "data", "arrowData", "columns"}


_TAG = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_ATTR = re.compile(r"""(?:title|aria-label)=(['"])(.*?)\1""")


def _strings(value, out: list[str]) -> None:
    if isinstance(value, str):
        if value.lstrip().startswith("<") and ">" in value:  # HTML (small tables, chart data): its texts one by one
            value = _HIDDEN.sub(" ", value)  # a script or a style is not seen
            out.extend(html.unescape(t).strip() for t in _TAG.split(value) if t.strip())
            out.extend(html.unescape(m[1]) for m in _ATTR.findall(value))
        else:
            out.append(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in SKIP_KEYS:
                _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)


def _plotly_texts(spec: dict, out: list[str]) -> None:
    """The texts a chart shows: titles, axis titles, tick texts, legend names, annotations, hovers."""
    layout = spec.get("layout", {})
    for trace in spec.get("data", []):
        for k in ("name", "hovertemplate", "text", "customdata", "labels", "x", "y"):
            v = trace.get(k)
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, list):
                out.extend(x for x in v if isinstance(x, str))
                for row in v:
                    if isinstance(row, list):
                        out.extend(x for x in row if isinstance(x, str))
    _strings({k: v for k, v in layout.items() if k != "template"}, out)


def visible_texts(at: AppTest) -> list[str]:
    """Every text of the run's elements (main area and sidebar)."""
    out: list[str] = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", "")
        if kind == "plotly_chart":
            _plotly_texts(json.loads(proto.spec), out)
            continue
        if kind in ("arrow_data_frame", "dataframe", "table"):
            frame = node.value
            out.extend(str(c) for c in frame.columns)
            out.extend(str(v) for v in frame.astype(str).to_numpy().ravel().tolist())
            try:
                config = json.loads(proto.columns)
                _strings(config, out)
            except Exception:
                pass
            continue
        _strings(MessageToDict(proto), out)
    return out


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def english_messages() -> list[tuple[str, dict[str, str]]]:
    """Every English message with its translations: [(msgid, {lang: msgstr})], plurals both forms."""
    out: dict[str, dict[str, str]] = {}
    for lang in catalogs.TRANSLATED:
        for area in catalogs.AREAS:
            path = catalogs.po_path(lang, area)
            if not path.exists():
                continue
            for m in catalogs.read(path, lang):
                if not m.id:
                    continue
                ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
                strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
                for i in ids:
                    out.setdefault(i, {})[lang] = " ".join(s for s in strings if s)
    return sorted(out.items())


def _literal_parts(msgid: str) -> list[str]:
    return [p.strip(" .,:;·–-()") for p in re.split(r"\{[^{}]*\}|%\(?\w*\)?[sd]", msgid)]


@functools.cache
def english_patterns(lang: str) -> tuple[list[tuple[str, re.Pattern]], re.Pattern]:
    """(msgid, pattern) for each English message whose translation into ``lang`` differs from it, and one
    pattern matching where any of them does (a text it does not match holds none: most texts, read once).
    The catalogs are read once per process."""
    out = []
    for msgid, translations in english_messages():
        if translations.get(lang, "").strip() == msgid.strip():
            continue  # the same in both languages (names, "Total", "CHF")
        parts = _literal_parts(msgid)
        if len(parts) == 1:
            text = parts[0]
            if not re.search(r"[A-Za-z]{2}", text):
                continue
            if len(text.split()) >= 3:  # a sentence: seen anywhere
                out.append((msgid, re.compile(r"(?<![\w])" + re.escape(text) + r"(?![\w])")))
            else:  # a word or two (a label): seen as a whole text
                out.append((msgid, re.compile(r"^\W*" + re.escape(text) + r"\W*$")))
        else:
            for part in parts:
                if len(part.split()) >= 3 and re.search(r"[A-Za-z]{3}", part):
                    out.append((msgid, re.compile(r"(?<![\w])" + re.escape(part) + r"(?![\w])")))
    return out, re.compile("|".join(f"(?:{p.pattern})" for _, p in out))


@functools.lru_cache(maxsize=1)
def data_texts() -> tuple[str, ...]:
    """The free texts of the sample data (meeting names, activity titles, notes: three words or
    more), longest first. They are shown as loaded, in the language they were written in, so they
    are taken out of the page's texts before the comparison. Short values (status codes) stay in:
    a code must be shown as a translated label."""
    from ccm_analytics.reading import read_paths

    data = read_paths([SAMPLE]).data
    out: set[str] = set()
    for name in DATASETS:
        frame = data.frame(name)
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype).startswith(("str", "string")):
                out.update(v for v in frame[col].dropna().astype(str) if len(v.split()) >= 3)
    return tuple(sorted(out, key=len, reverse=True))


def english_seen(texts: list[str], lang: str) -> list[str]:
    """The English messages seen in ``texts``. A dataset's code ("spend", "meetings") is the name its
    sheet or CSV file must have, the same in every language, so it is not counted."""
    found = []
    texts = [t for t in texts if t not in DATASETS]
    patterns, any_of_them = english_patterns(lang)
    data = data_texts()
    for text in set(texts):
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        if not any_of_them.search(text):
            continue
        for msgid, pattern in patterns:
            if pattern.search(text):
                found.append(f"{msgid!r} in {text[:160]!r}")
    return sorted(set(found))


def run_page(page: str, lang: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["as_of"] = DAY.isoformat()
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    if page != "pages/overview.py":
        at.switch_page(page)  # the page's address opened directly, as a link does
    return at.run()


@pytest.mark.parametrize("page, lang", spread([(p, lang) for p in PAGES for lang in ("fr", "es")]))  # all in make test
def test_every_page_in_french_and_spanish_shows_no_english_sentence(read_only_store, page, lang):
    at = run_page(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    texts = visible_texts(at)
    assert texts, "no text gathered"
    seen = english_seen(texts, lang)
    assert not seen, f"{len(seen)} English text(s) on {page} in {lang}:\n" + "\n".join(seen[:40])


def test_the_check_finds_english_when_the_language_is_english(read_only_store):
    """The comparison is not empty: the same page in English shows the English messages."""
    at = run_page("pages/reports.py", "en")
    assert len(english_seen(visible_texts(at), "fr")) >= 5


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_broken_upload_in_french_or_spanish_is_refused_in_that_language_naming_the_same_cell(read_only_store, lang):
    """The loader's message for a day written 03/04/2018 (day or month first?) comes in the page's
    language, still naming the file, the cell A3 and the value as written in the file."""
    at = run_page("pages/data.py", lang)
    key = next(u.key for u in at.get("file_uploader") if str(getattr(u, "key", "")).startswith("upload-"))
    bad = b"date,cost_line,amount\n2018-01-31,Salaries,100\n03/04/2018,Salaries,5\n"
    at = at.file_uploader(key=key).upload("spend.csv", bad, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error, "no error shown"
    problems = next(t for t in shown_tables(at) if "cell" in t.columns)
    assert list(problems["cell"]) == ["A3"] and "03/04/2018" in problems["message"][0]
    assert not english_seen(visible_texts(at), lang)
    assert Store(read_only_store).version() == 1


@pytest.mark.parametrize("lang, germany, bissau", [("fr", "Allemagne", "Guinée-Bissau"), ("es", "Alemania", "Guinea-Bissau")])
def test_state_names_on_the_pages_are_in_the_chosen_language(read_only_store, lang, germany, bissau):
    """The deadlines ahead name Germany (Art. 4, 1 August 2020) and Guinea-Bissau (Art. 3, 1 May 2019)
    as the language names them (CLDR), in the cards, the lists and the tables alike."""
    at = run_page("pages/deadlines.py", lang)
    text = "\n".join(visible_texts(at))
    assert germany in text and bissau in text
    assert "Germany" not in text


def test_the_brief_page_offers_the_brief_as_a_file_in_the_page_language(read_only_store):
    at = run_page("pages/brief.py", "fr")
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Télécharger la note (.html)" in labels, labels
