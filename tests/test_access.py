"""Who may change the data: password, loopback default, lockout, and actions that check themselves."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from ccm_analytics.access import Lockout, Policy, check_password, is_loopback, password_matches
from ccm_analytics.store import Store

from .conftest import ROOT, SAMPLE
from .test_app import navigation_not_folder  # noqa: F401  (autouse fixture)


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_passwords_compare_exactly():
    assert password_matches("s3cret", "s3cret")
    assert not password_matches("s3cret ", "s3cret") and not password_matches("", "s3cret")


@pytest.mark.parametrize("address, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                               ("0.0.0.0", False), ("", False), (None, False), ("10.0.0.5", False)])
def test_loopback_addresses(address, loopback):
    assert is_loopback(address) is loopback


def test_policy_in_words():
    assert Policy(password_set=False, loopback=True).open_without_password
    off = Policy(password_set=False, loopback=False)
    assert off.locked_down and "CCM_ADMIN_PASSWORD" in off.explain()


def test_five_wrong_passwords_in_a_minute_lock_that_client_for_a_minute():
    clock = Clock()
    lock = Lockout(clock=clock)
    for _ in range(4):
        assert check_password("x", "right", "a", lock) == (False, "Wrong password.")
    ok, message = check_password("x", "right", "a", lock)
    assert not ok and "locked for 60 seconds" in message
    assert check_password("right", "right", "a", lock)[0] is False  # even the right one, while locked
    assert check_password("right", "right", "b", lock)[0] is True  # another client is not affected
    clock.t += 61
    assert check_password("right", "right", "a", lock) == (True, "")


def test_failures_spread_over_more_than_a_minute_do_not_lock():
    clock = Clock()
    lock = Lockout(clock=clock)
    for _ in range(6):
        check_password("x", "right", "a", lock)
        clock.t += 20
    assert lock.seconds_locked("a") == 0


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    from ccm_analytics.io import read_paths
    path = tmp_path / "store.duckdb"
    Store(path).load(read_paths([SAMPLE]), user="sample", action="sample")
    monkeypatch.setenv("CCM_DB", str(path))
    return path


def data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/data.py")
    return at


def test_with_a_password_set_uploads_wait_for_it(store_path, monkeypatch):
    monkeypatch.setenv("CCM_ADMIN_PASSWORD", "correct horse")
    at = data_page().run()
    assert at.get("file_uploader")[0].proto.disabled
    at.text_input(key="admin_password_input").set_value("wrong").run()
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert any("Wrong password" in e.value for e in at.error)
    at.text_input(key="admin_password_input").set_value("correct horse")
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert any("Unlocked" in s.value for s in at.success)
    assert not at.get("file_uploader")[0].proto.disabled


def test_without_a_password_a_server_open_to_the_network_refuses_changes(store_path, monkeypatch):
    monkeypatch.delenv("CCM_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("ccm_analytics.access.is_loopback", lambda address: False)
    at = data_page().run()
    assert any("switched off" in w.value and "CCM_ADMIN_PASSWORD" in w.value for w in at.warning)
    assert at.get("file_uploader")[0].proto.disabled


def test_the_action_checks_itself_even_without_the_page(store_path, monkeypatch):
    monkeypatch.setenv("CCM_ADMIN_PASSWORD", "correct horse")

    def script():
        import streamlit as st

        from ccm_analytics.errors import NotAllowed
        from ccm_analytics.ui import actions

        try:
            actions.rollback(None, "mallory")
        except NotAllowed as e:
            st.write(f"refused: {e}")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert "refused" in at.markdown[0].value
    assert Store(store_path).version() == 1


def test_with_a_password_a_change_needs_a_name(store_path, monkeypatch):
    monkeypatch.setenv("CCM_ADMIN_PASSWORD", "pw")

    def script():
        import streamlit as st

        from ccm_analytics.errors import NotAllowed
        from ccm_analytics.ui import actions
        from ccm_analytics.ui.context import unlock

        unlock("pw")
        try:
            actions.restore_sample("  ")
        except NotAllowed as e:
            st.write(f"refused: {e}")
        v = actions.restore_sample("Ana")
        st.write(f"stored {v.version} by {v.user}")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert "Give your name" in at.markdown[0].value
    assert at.markdown[1].value == "stored 2 by Ana"
