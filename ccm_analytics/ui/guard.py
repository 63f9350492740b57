"""Server-side limits one browser session cannot lift (DOMAIN §9): clearing the caches.

Streamlit (1.67) clears every cache of the server, for every visitor, when any session sends a
``clear_cache`` message (``AppSession._handle_clear_cache_request``). ``toolbarMode = "viewer"``
hides the menu item, but a crafted client can still send the message: one every 50 ms made every
visitor's page 6 times slower (each run computed everything again). The app's caches are keyed by
the store's version, so no one ever needs to clear them; the request is honoured at most once per
:data:`CLEAR_CACHE_INTERVAL` seconds per server and otherwise ignored (logged).

:func:`install` replaces that one method of Streamlit's ``AppSession`` (``app.py`` calls it on every
run; it patches once). ``tests/test_guard.py`` fails if Streamlit renames the method or stops
calling it for ``clear_cache`` messages.
"""

from __future__ import annotations

import logging
import threading
import time

from streamlit.runtime.app_session import AppSession

CLEAR_CACHE_INTERVAL = 300.0  # seconds between two honoured clear_cache requests, per server
PATCHED = "_handle_clear_cache_request"  # streamlit.runtime.app_session.AppSession, Streamlit 1.67

_log = logging.getLogger("ccm_analytics")
_lock = threading.Lock()
_last_cleared: float | None = None
clock = time.monotonic  # replaced by the tests


def clear_cache_allowed() -> bool:
    """Whether a clear_cache request arriving now is honoured (and, if so, counted as the last one)."""
    global _last_cleared
    with _lock:
        now = clock()
        if _last_cleared is not None and now - _last_cleared < CLEAR_CACHE_INTERVAL:
            return False
        _last_cleared = now
        return True


def install() -> None:
    """Limit Streamlit's clear_cache request, once per process."""

    original = getattr(AppSession, PATCHED, None)
    if original is None:  # another Streamlit: the limit is off, say so in the server's log
        _log.warning("Streamlit's AppSession has no %s: clear_cache requests are not limited", PATCHED)
        return
    if getattr(original, "_ccm_limited", False):
        return

    def limited(self) -> None:
        if clear_cache_allowed():
            original(self)
        else:
            _log.info("clear_cache request of session %s ignored: at most one every %.0f s",
                      getattr(self, "id", "?"), CLEAR_CACHE_INTERVAL)

    limited._ccm_limited = True  # type: ignore[attr-defined]
    limited.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(AppSession, PATCHED, limited)
