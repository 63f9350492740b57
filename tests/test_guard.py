"""One session cannot make every visitor pay (DOMAIN §9): cache clearing is limited, the workbook is
built once per data version, day and language, and one session runs one script at a time."""

from __future__ import annotations

import inspect
import types

import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.app_session import AppSession

from ccm_analytics.ui import exports, guard


def test_streamlit_still_sends_clear_cache_requests_to_the_method_the_app_limits():
    """The patch point names a private method of Streamlit 1.67: if Streamlit renames it, or stops
    calling it for a clear_cache message, the limit would silently stop working."""
    assert callable(getattr(AppSession, guard.PATCHED, None))
    dispatch = inspect.getsource(AppSession.handle_backmsg)
    assert '"clear_cache"' in dispatch and f"self.{guard.PATCHED}()" in dispatch


@pytest.fixture
def limited(monkeypatch):
    """The limit installed (and Streamlit's own method put back afterwards), on a clock the test sets."""
    monkeypatch.setattr(AppSession, guard.PATCHED, getattr(AppSession, guard.PATCHED))
    monkeypatch.setattr(guard, "_last_cleared", None)
    now = types.SimpleNamespace(t=1000.0)
    monkeypatch.setattr(guard, "clock", lambda: now.t)
    guard.install()
    guard.install()  # app.py installs it on every run: once only
    return now


class _SessionState(dict):
    pass


def _visitor():
    """What Streamlit's clear_cache handler uses of a session: its id and its session state."""
    return types.SimpleNamespace(id="visitor", _session_state=_SessionState(as_of="2018-09-05"))


def test_a_clear_cache_request_is_honoured_at_most_once_every_five_minutes(limited):
    computed = []

    @st.cache_data
    def figure(x):
        computed.append(x)
        return x * 2

    assert figure(21) == 42 and figure(21) == 42
    assert computed == [21]
    first, second, third = _visitor(), _visitor(), _visitor()

    AppSession._handle_clear_cache_request(first)  # t = 1000 s: the first request clears the caches
    figure(21)
    assert computed == [21, 21] and first._session_state == {}

    limited.t = 1000 + 60  # one minute later: refused, nothing cleared
    AppSession._handle_clear_cache_request(second)
    figure(21)
    assert computed == [21, 21] and second._session_state == {"as_of": "2018-09-05"}

    limited.t = 1000 + 299.9  # still within the five minutes
    AppSession._handle_clear_cache_request(second)
    figure(21)
    assert computed == [21, 21]

    limited.t = 1000 + 300  # five minutes after the last honoured one: honoured
    AppSession._handle_clear_cache_request(third)
    figure(21)
    assert computed == [21, 21, 21] and third._session_state == {}


def test_the_workbook_is_built_once_per_data_version_day_and_language(monkeypatch):
    built = []

    def export_workbook(data, as_of, source):
        built.append((data, as_of, source))
        return f"{data}|{as_of.date()}".encode()

    monkeypatch.setattr("ccm_analytics.export.export_workbook", export_workbook)
    monkeypatch.setattr(exports, "cut_for", lambda path, version, lang, as_of: f"v{version}-{lang}")
    exports.workbook.clear()
    latest = pd.Timestamp("2099-12-31")

    assert exports.workbook("s.duckdb", 3, latest, "en", "sample data") == b"v3-en|2099-12-31"
    for _ in range(3):  # more clicks on the same day: the same bytes, not built again
        assert exports.workbook("s.duckdb", 3, latest, "en", "sample data") == b"v3-en|2099-12-31"
    assert len(built) == 1
    exports.workbook("s.duckdb", 3, latest, "fr", "sample data")  # another language
    exports.workbook("s.duckdb", 3, pd.Timestamp("2018-09-05"), "en", "sample data")  # another day
    exports.workbook("s.duckdb", 4, latest, "en", "sample data")  # another version of the data
    exports.workbook("s.duckdb", 3, latest, "fr", "sample data")  # each already built
    exports.workbook("s.duckdb", 4, latest, "en", "sample data")
    assert [(d, a.date().isoformat()) for d, a, _s in built] == [
        ("v3-en", "2099-12-31"), ("v3-fr", "2099-12-31"), ("v3-en", "2018-09-05"), ("v4-en", "2099-12-31")]
    exports.workbook.clear()


def test_the_app_runs_one_script_per_session_at_a_time():
    """``runner.fastReruns`` on starts a new script thread for every rerun request without waiting
    for the running one: 300 requests of one session ran 300 threads (DOMAIN §9)."""
    import tomllib

    from tests.browser_support import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["fastReruns"] is False


def test_four_clicks_at_the_same_moment_build_the_workbook_once(monkeypatch):
    """The deferred download runs in a thread of its own per click: the three later clicks wait for
    the one being built instead of building it again."""
    import threading

    release, built = threading.Event(), []

    def export_workbook(data, as_of, source):
        built.append(as_of)
        release.wait(10)
        return b"xlsx"

    monkeypatch.setattr("ccm_analytics.export.export_workbook", export_workbook)
    monkeypatch.setattr(exports, "cut_for", lambda path, version, lang, as_of: "data")
    exports.workbook.clear()
    got = []
    clicks = [threading.Thread(target=lambda: got.append(
        exports.workbook("s.duckdb", 3, pd.Timestamp("2099-12-31"), "en", "sample data"))) for _ in range(4)]
    for t in clicks:
        t.start()
    threading.Event().wait(0.3)  # the four clicks are in: one builds, three wait for it
    release.set()
    for t in clicks:
        t.join(10)
    assert got == [b"xlsx"] * 4 and len(built) == 1
    exports.workbook.clear()
