"""The language every word is written in: English, French or Spanish (DOMAIN §12).

One language per run (a page run, a CLI command), held in a context variable so that
concurrent sessions never see each other's choice::

    from ccm_analytics.i18n import _, N_, ngettext, language

    with language("fr"):
        _("Overdue")                  # "En souffrance"
        ngettext("{n} report", "{n} reports", 3).format(n=3)

- ``_(msgid)`` translates now, in the current language.
- ``N_(msgid)`` only marks a module-level constant for extraction; translate it where it is
  shown: ``_(STATUS_LABELS[s])``.
- Messages use ``str.format`` placeholders with names (``{state}``, ``{day}``), never ``%s``,
  so that a translator can move them around.

The catalogs are gettext ``.po`` files under ``ccm_analytics/locale/<lang>/LC_MESSAGES/``,
one per area of the code (see :mod:`ccm_analytics.i18n.catalogs`), compiled into one
``ccm.mo`` per language by ``make`` (``python -m ccm_analytics.i18n compile``). When a
``.mo`` is missing or older than its ``.po`` files, the catalogs are compiled in memory, so a
corrected sentence shows on the next start even before a build.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import threading
from contextvars import ContextVar
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT = "en"
# The CLDR locale each language's dates, numbers and amounts are written in (Babel).
LOCALES: dict[str, str] = {"en": "en", "fr": "fr", "es": "es"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "ccm"

_current: ContextVar[str] = ContextVar("ccm_language", default=DEFAULT)
_lock = threading.Lock()
_loaded: dict[str, _gettext.NullTranslations] = {}


def parse_language(value) -> str | None:
    """The language code for what a user or an address gives ("fr", "FR", "fr-CH", "français"),
    or None when it names none of the three."""
    if value is None:
        return None
    text = str(value).strip().casefold().replace("-", "_")
    if not text:
        return None
    code = text.split("_")[0]
    if code in LANGUAGES:
        return code
    for code, name in LANGUAGES.items():
        if text in (name.casefold(), name.casefold().replace("ç", "c").replace("ñ", "n")):
            return code
    return {"english": "en", "french": "fr", "spanish": "es", "anglais": "en", "francais": "fr",
            "espagnol": "es", "ingles": "en", "inglés": "en", "frances": "fr", "francés": "fr",
            "espanol": "es"}.get(text)


def current() -> str:
    """The language of this run ("en", "fr" or "es")."""
    return _current.get()


def locale() -> str:
    """The CLDR locale of this run's language, for Babel."""
    return LOCALES[_current.get()]


def set_language(lang: str | None) -> str:
    """Use ``lang`` for the rest of this run (unknown or empty: English); returns the code used."""
    code = parse_language(lang) or DEFAULT
    _current.set(code)
    return code


@contextlib.contextmanager
def language(lang: str | None):
    """Use ``lang`` inside the block only."""
    token = _current.set(parse_language(lang) or DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English: none, the msgids are English)."""
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    found = _loaded.get(lang)
    if found is None:
        with _lock:
            found = _loaded.get(lang)
            if found is None:
                # cycle: catalogs imports DOMAIN, LANGUAGES, LOCALE_DIR from here
                from .catalogs import load_translations

                found = _loaded[lang] = load_translations(lang)
    return found


def _(message: str) -> str:
    """``message`` in the current language."""
    lang = _current.get()
    if lang == DEFAULT or not message:
        return message
    return translations(lang).gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n`` in the current language (French: 0 and 1 are singular)."""
    lang = _current.get()
    if lang == DEFAULT:
        return singular if n == 1 else plural
    return translations(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language where the same English word needs different translations."""
    lang = _current.get()
    if lang == DEFAULT:
        return message
    return translations(lang).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs without translating it (module-level constants)."""
    return message


def in_language(lang: str, message: str) -> str:
    """``message`` in ``lang`` whatever the current language (letters in the addressee's language)."""
    with language(lang):
        return _(message)
