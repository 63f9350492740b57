"""The deadlines calendar to subscribe to: ``/calendar/deadlines-en.ics`` (``-fr``, ``-es``), served by ``serve.py``.

A calendar application fetches the address now and then; each answer is the Deadlines page's "Coming up"
list for the next 24 months as at today (the server's day), from the store's current version, in the
address's language: the same bytes as the page's .ics download on that day with 24 months and every kind
chosen (one writer, :func:`ccm_analytics.outputs.ical.to_ics`). An answer is kept per store version,
day and language, so it is fresh after every load, rollback or logged contact, and on the next day.

This module does not import Streamlit: it runs beside the pages, in the server's own routes.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .. import i18n
from .. import provenance as prov
from ..errors import CcmError
from ..i18n import _
from ..store import Store, default_path
from ..data import localized
from ..outputs.ical import deadlines_ics

PATH = "/calendar/deadlines-{lang}.ics"
MONTHS = 24


def feed_path(lang: str) -> str:
    """The feed's path in one language: ``/calendar/deadlines-fr.ics``."""
    return PATH.format(lang=lang)


@lru_cache(maxsize=16)
def _calendar(path: str, version: int, day: dt.date, lang: str) -> bytes:
    """The .ics of one store version as at ``day`` in ``lang`` (versions never change: safe to keep)."""

    store = Store(path)
    data = store.snapshot(version, ledger="daily")[1]
    provenance = store.provenance(version)
    if lang != i18n.DEFAULT:
        data = localized(data, lang)
    with i18n.language(lang):
        return deadlines_ics(data.as_at(day, prov.record_compiled_on(provenance)), day, MONTHS)


def calendar_bytes(lang: str, day: dt.date | None = None, path: str | None = None) -> bytes:
    """The calendar as at ``day`` (default: today) from the store's current version."""
    store = Store(path or default_path())
    return _calendar(str(store.path), store.version(), day or dt.date.today(), lang)


async def deadlines(request):
    """Starlette endpoint: the calendar in the address's language; 404 for a language the app does not have;
    503, said in plain words, when the store cannot be read now."""

    lang = request.path_params.get("lang", "")
    if lang not in i18n.LANGUAGES:
        return PlainTextResponse(_("There is no calendar in '{lang}': use one of {paths}.").format(
            lang=lang, paths=", ".join(feed_path(code) for code in i18n.LANGUAGES)), status_code=404)
    try:
        body = await run_in_threadpool(calendar_bytes, lang)
    except CcmError as e:  # a busy or damaged store: the client tries again later
        return PlainTextResponse(str(e), status_code=503, headers={"Retry-After": "60"})
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "no-cache",
                             "Content-Disposition": f'inline; filename="ccm-deadlines-{lang}.ics"'})


def routes() -> list:
    """The feed's Starlette routes, for ``st.App(..., routes=...)``."""

    return [Route(PATH, deadlines, methods=["GET", "HEAD"])]
