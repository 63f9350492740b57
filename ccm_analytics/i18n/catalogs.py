"""The gettext catalogs: extracting messages from the code, compiling, checking.

The catalogs are split by area of the code, one ``.po`` per area and language, so that a
translator works on one subject at a time (the dashboard's pages, its charts and tables, the
analysis sentences, the deck/brief/letters, the loader's messages)::

    ccm_analytics/locale/templates/<area>.pot         the English messages (extracted)
    ccm_analytics/locale/<lang>/LC_MESSAGES/<area>.po  their translations
    ccm_analytics/locale/<lang>/LC_MESSAGES/ccm.mo     all areas compiled together (not committed)
    ccm_analytics/locale/glossary.csv                  the treaty terms every translation uses

``python -m ccm_analytics.i18n extract`` refreshes the templates from the code and merges
them into the ``.po`` files (new messages arrive empty, translations kept);
``compile`` writes the ``.mo`` files; ``check`` lists every empty, fuzzy or inconsistent
entry and exits non-zero when there is one.
"""

from __future__ import annotations

import gettext as _gettext
import io
import re
from dataclasses import dataclass
from pathlib import Path

from . import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parent.parent  # the checkout (the pages' messages are in app.py and pages/)
TEMPLATES = LOCALE_DIR / "templates"
GLOSSARY = LOCALE_DIR / "glossary.csv"
TRANSLATED = tuple(code for code in LANGUAGES if code != "en")

# Area -> the files (globs relative to the repository) whose messages its catalog holds.
AREAS: dict[str, tuple[str, ...]] = {
    "pages": ("app.py", "pages/*.py"),
    "ui": ("ccm_analytics/ui/*.py",),
    "charts": ("ccm_analytics/figures.py", "ccm_analytics/views.py", "ccm_analytics/formatting.py"),
    "analysis": ("ccm_analytics/analysis/*.py", "ccm_analytics/narrative.py", "ccm_analytics/metrics.py",
                 "ccm_analytics/provenance.py", "ccm_analytics/countries.py", "ccm_analytics/data.py"),
    "outputs": ("ccm_analytics/outputs/*.py", "ccm_analytics/export.py", "ccm_analytics/cli.py",
                "ccm_analytics/templates.py", "ccm_analytics/outfiles.py", "ccm_analytics/cellsafe.py"),
    "loading": ("ccm_analytics/reading/*.py", "ccm_analytics/errors.py", "ccm_analytics/dataops.py",
                "ccm_analytics/store.py", "ccm_analytics/schema.py", "ccm_analytics/access.py",
                "ccm_analytics/textsafe.py", "ccm_analytics/__main__.py", "ccm_analytics/users.py",
                "ccm_analytics/paths.py"),
}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None,
            "in_language": (2,)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Words a translation may keep exactly as the English writes them: the same word in the language,
# proper names and codes. A message left identical to its English with any other word is English on
# the page, whatever the chosen language.
SAME_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"action", "annexes", "article", "art", "budget", "budgets", "contributions", "date", "description",
                     "europe", "initial", "instrument", "iso3", "note", "notes", "obligations", "orange", "pages",
                     "million", "ratification", "ratifications", "signature", "source", "sources", "total", "version",
                     "zoom"}),
    "es": frozenset({"art", "asia", "dd", "editor", "iso3", "no", "plan", "ref", "total", "zoom"}),
}
# French typography: a no-break space (U+00A0, or the narrow U+202F) before : ; ! ? » and after «,
# never an ordinary space or none (but "16:9", "http://" and "(?)" keep theirs).
FRENCH_SPACING = re.compile(r"(?: [:;!?»])|(?:« )|(?:[\w)\]}][;!?»])|(?:«[\w{])")


def po_path(lang: str, area: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{area}.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def area_files(area: str) -> list[Path]:
    files: list[Path] = []
    for pattern in AREAS[area]:
        files.extend(sorted(p for p in ROOT.glob(pattern) if p.is_file()))
    return files


def extract_template(area: str):
    """The English messages of one area, read from its files (Babel's Python extractor)."""
    # lazy: babel.messages only when catalogs are read, written or compiled
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract

    template = Catalog(project="CCM Analytics", domain=DOMAIN, charset="utf-8")
    for path in area_files(area):
        with path.open("rb") as f:
            for lineno, message, comments, context in extract("python", f, keywords=KEYWORDS,
                                                               comment_tags=("Translators:",)):
                template.add(message, None, [(str(path.relative_to(ROOT)), lineno)],
                             auto_comments=comments, context=context)
    return template


def read(path: Path, locale: str | None = None):
    # lazy: babel.messages only when catalogs are read, written or compiled
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=locale)


def write(catalog, path: Path) -> None:
    # lazy: babel.messages only when catalogs are read, written or compiled
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)
    path.write_bytes(buf.getvalue())


def extract_all(areas: list[str] | None = None) -> dict[str, int]:
    """Refresh each area's template and merge it into its French and Spanish catalogs; returns
    area -> number of messages. Translations are kept; messages no longer in the code are dropped."""
    # lazy: babel.messages only when catalogs are read, written or compiled
    from babel.messages.catalog import Catalog

    counts = {}
    for area in areas or list(AREAS):
        template = extract_template(area)
        write(template, TEMPLATES / f"{area}.pot")
        for lang in TRANSLATED:
            path = po_path(lang, area)
            catalog = read(path, lang) if path.exists() else Catalog(locale=lang, domain=DOMAIN, charset="utf-8")
            catalog.project, catalog.language_team = "CCM Analytics", f"CCM ISU <{lang}>"
            catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
            catalog.obsolete.clear()
            write(catalog, path)
        counts[area] = len(template)
    return counts


def merged_catalog(lang: str):
    """Every area's translations of ``lang`` in one catalog."""
    # lazy: babel.messages only when catalogs are read, written or compiled
    from babel.messages.catalog import Catalog

    merged = Catalog(locale=lang, domain=DOMAIN, charset="utf-8")
    for area in AREAS:
        path = po_path(lang, area)
        if not path.exists():
            continue
        for message in read(path, lang):
            # the first area's wording wins (check() fails when two areas disagree)
            if message.id and message.string and not message.fuzzy and merged.get(message.id, message.context) is None:
                merged[message.id] = message
    return merged


def compiled_bytes(lang: str) -> bytes:
    # lazy: babel.messages only when catalogs are read, written or compiled
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, merged_catalog(lang), use_fuzzy=False)
    return buf.getvalue()


def compile_all() -> dict[str, Path]:
    out = {}
    for lang in TRANSLATED:
        path = mo_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(compiled_bytes(lang))
        out[lang] = path
    return out


def _stale(lang: str) -> bool:
    mo = mo_path(lang)
    if not mo.exists():
        return True
    newest = max((p.stat().st_mtime for p in (LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")), default=0)
    return newest > mo.stat().st_mtime


def load_translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog, or the ``.po`` files compiled in memory when it is missing or stale."""
    data = compiled_bytes(lang) if _stale(lang) else mo_path(lang).read_bytes()
    return _gettext.GNUTranslations(io.BytesIO(data))


@dataclass(frozen=True)
class Problem:
    lang: str
    area: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.lang}/{self.area}.po: {self.msgid[:70]!r}: {self.what}"


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def check(fresh: bool = True) -> list[Problem]:
    """Every entry that is missing, empty, fuzzy, or whose placeholders differ from the English;
    every message translated differently in two areas. ``fresh``: compare with the messages in
    the code now (else with the extracted templates)."""
    problems: list[Problem] = []
    for area in AREAS:
        template_path = TEMPLATES / f"{area}.pot"
        if fresh:
            template = extract_template(area)
        else:
            template = read(template_path) if template_path.exists() else None
        for lang in TRANSLATED:
            path = po_path(lang, area)
            if not path.exists():
                if template is not None and len(template):
                    problems.append(Problem(lang, area, "", "catalog missing: run python -m ccm_analytics.i18n extract"))
                continue
            catalog = read(path, lang)
            if template is not None:
                for m in template:
                    if m.id and catalog.get(m.id, m.context) is None:
                        problems.append(Problem(lang, area, _text(m.id), "not in the catalog (run extract)"))
            for m in catalog:
                if not m.id:
                    continue
                strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
                ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
                if m.fuzzy:
                    problems.append(Problem(lang, area, _text(m.id), "fuzzy"))
                if not all(strings):
                    problems.append(Problem(lang, area, _text(m.id), "not translated"))
                    continue
                if lang in SAME_WORDS and ids[0] in strings and {
                        w.casefold() for w in re.findall(r"[^\W\d_]+\d*", PLACEHOLDER.sub("", ids[0]))} - SAME_WORDS[lang]:
                    problems.append(Problem(lang, area, _text(m.id), "left in English"))
                if lang == "fr":
                    for s in strings:
                        bad = FRENCH_SPACING.search(PLACEHOLDER.sub("x", s))
                        if bad:
                            problems.append(Problem(lang, area, _text(m.id),
                                                    f"French spacing at {bad.group()!r}: a no-break space (U+00A0) "
                                                    "goes before : ; ! ? » and after «"))
                wanted = placeholders(ids[-1]) | placeholders(ids[0])
                for s in strings:
                    if placeholders(s) - wanted or (len(ids) == 1 and placeholders(s) != wanted):
                        problems.append(Problem(lang, area, _text(m.id),
                                                f"placeholders {sorted(placeholders(s))} differ from {sorted(wanted)}"))
    for lang in TRANSLATED:
        seen: dict[tuple, tuple[str, object]] = {}
        for area in AREAS:
            path = po_path(lang, area)
            if not path.exists():
                continue
            for m in read(path, lang):
                if not m.id or not m.string:
                    continue
                key = (m.id if isinstance(m.id, str) else m.id[0], m.context)
                if key in seen and seen[key][1] != m.string:
                    problems.append(Problem(lang, area, _text(m.id),
                                            f"translated differently in {seen[key][0]}.po"))
                seen.setdefault(key, (area, m.string))
    return problems


def _text(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]
