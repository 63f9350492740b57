"""Who may change the data: password, loopback default, lockout, and actions that check themselves."""

from __future__ import annotations


import pytest
from streamlit.testing.v1 import AppTest

from ccm_analytics.access import (Lockout, Policy, check_password, is_loopback, password_matches, policy_from,
                                  startup_notice, startup_token)
from ccm_analytics.store import Store

from .conftest import ROOT

pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # conftest: AppTest without a pages/ folder


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


@pytest.fixture(autouse=True)
def door_closed(monkeypatch):
    """These tests check the door itself: the suite's CCM_OPEN_LOCAL=1 (conftest) is removed."""
    monkeypatch.delenv("CCM_OPEN_LOCAL", raising=False)
    monkeypatch.setenv("CCM_ADMIN_TOKEN", "tok-en")
    monkeypatch.setattr("ccm_analytics.access.LOCKOUT", Lockout())  # wrong guesses of one test stay in it


def test_policy_in_words():
    # Loopback alone no longer opens the door: behind a forwarder every visitor looks local.
    assert not Policy(password_set=False, loopback=True).open_without_credential
    assert Policy(password_set=False, loopback=True, open_local=True).open_without_credential
    assert not Policy(password_set=False, loopback=False, open_local=True).open_without_credential
    assert not Policy(password_set=True, loopback=True, open_local=True).open_without_credential
    off = Policy(password_set=False, loopback=False)
    assert off.exposed_without_password and "CCM_ADMIN_PASSWORD" in off.explain() and "token" in off.explain()


def test_the_operator_opens_the_door_only_with_ccm_open_local_set_to_1():
    assert policy_from("127.0.0.1", False, {"CCM_OPEN_LOCAL": "1"}).open_without_credential
    assert not policy_from("127.0.0.1", False, {}).open_without_credential
    assert not policy_from("127.0.0.1", False, {"CCM_OPEN_LOCAL": "yes"}).open_without_credential
    assert not policy_from("0.0.0.0", False, {"CCM_OPEN_LOCAL": "1"}).open_without_credential


def test_the_start_up_token_is_the_launchers_or_made_once_per_process():
    assert startup_token({"CCM_ADMIN_TOKEN": "abc"}) == "abc"
    first = startup_token({})
    assert len(first) >= 32 and startup_token({}) == first


def test_the_start_up_notice_gives_the_link_and_warns_when_exposed_without_password():
    notice = startup_notice("http://127.0.0.1:8501", "T0K", Policy(password_set=False, loopback=True), "C0DE")
    assert "http://127.0.0.1:8501/data?code=C0DE" in notice and "WARNING" not in notice
    exposed = startup_notice("http://10.0.0.5:8501", "T0K", Policy(password_set=False, loopback=False))
    assert "WARNING" in exposed and "CCM_ADMIN_PASSWORD" in exposed
    assert "token" not in startup_notice("http://x", "T0K", Policy(password_set=True, loopback=True))


def test_five_wrong_passwords_lock_that_client_for_a_minute():
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


def test_ten_wrong_guesses_from_anywhere_lock_everyone_for_ten_minutes():
    # Behind a proxy every visitor is one address, but spread over addresses the count still adds up:
    # 2 wrong guesses from each of 5 addresses = 10 in ten minutes, so even a sixth address is locked.
    clock = Clock()
    lock = Lockout(clock=clock)
    for client in "abcde":
        for _ in range(2):
            check_password("x", "right", client, lock)
            clock.t += 30
    ok, message = check_password("right", "right", "f", lock)
    assert not ok and "Try again in 570 seconds" in message  # the 10th came at 270 s, 30 s ago: 600 - 30
    clock.t += 570
    assert check_password("right", "right", "f", lock) == (True, "")


def test_failures_spread_over_more_than_ten_minutes_do_not_lock():
    # 160 s apart: the 5th comes at 640 s, when the 1st (at 0 s) has left the 600-second window.
    clock = Clock()
    lock = Lockout(clock=clock)
    for _ in range(6):
        check_password("x", "right", "a", lock)
        clock.t += 160
    assert lock.seconds_locked("a") == 0


def test_each_further_lock_of_a_client_lasts_twice_as_long_until_a_right_credential():
    clock = Clock()
    lock = Lockout(clock=clock, max_global=1000)
    for expected in (60, 120, 240, 480, 960, 1920, 3600, 3600):  # doubling, at most an hour
        for _ in range(5):
            check_password("x", "right", "a", lock)
        assert lock.seconds_locked("a") == expected
        clock.t += expected
    assert check_password("right", "right", "a", lock) == (True, "")
    for _ in range(5):
        check_password("x", "right", "a", lock)
    assert lock.seconds_locked("a") == 60  # back to the first step


def test_rotating_clients_as_fast_as_allowed_get_260_tries_in_a_day():
    # Every try from a new address: only the overall count stops it. Locks of everyone: 10, 20, 40, then
    # 60 minutes; batches of 10 tries start at minutes 0, 10, 30, 70, then every 60 (130, ..., 1390):
    # 4 + 22 = 26 batches, 260 tries; 30 of them in the first hour.
    clock = Clock()
    lock = Lockout(clock=clock)
    start, checked, first_hour, n = clock.t, 0, 0, 0
    while clock.t - start < 24 * 3600:
        n += 1
        wait = lock.seconds_locked(f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")
        if wait:
            clock.t += wait
            continue
        check_password("guess", "right", f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}", lock)
        checked += 1
        first_hour += clock.t - start < 3600
    assert (checked, first_hour) == (260, 30)


def data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/data.py")
    return at


def test_with_a_password_set_uploads_wait_for_it(read_only_store, monkeypatch):
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


def test_without_a_password_a_server_open_to_the_network_warns_and_waits_for_the_token(read_only_store, monkeypatch):
    monkeypatch.delenv("CCM_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("ccm_analytics.access.is_loopback", lambda address: False)
    at = data_page().run()
    assert any("reached from other computers" in w.value and "CCM_ADMIN_PASSWORD" in w.value for w in at.warning)
    assert at.get("file_uploader")[0].proto.disabled


def test_on_loopback_without_a_password_changes_wait_for_the_start_up_token(read_only_store, monkeypatch):
    monkeypatch.delenv("CCM_ADMIN_PASSWORD", raising=False)
    at = data_page().run()
    assert at.get("file_uploader")[0].proto.disabled
    assert not at.warning  # loopback: no exposure warning
    at.text_input(key="admin_password_input").set_value("guess").run()
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert any("Wrong token" in e.value for e in at.error)
    at.text_input(key="admin_password_input").set_value("tok-en")
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert not at.get("file_uploader")[0].proto.disabled


def test_a_token_in_the_address_no_longer_unlocks_and_a_wrong_link_code_counts_once(read_only_store, monkeypatch):
    # The printed link carries a one-use code, not the token (a browser's history keeps the address). Until the
    # browser has taken the code out of the address (screen.js), reruns still carry it: a wrong code counts once.
    monkeypatch.delenv("CCM_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("CCM_LINK_CODE", "the-right-code")
    lock = Lockout()
    monkeypatch.setattr("ccm_analytics.access.LOCKOUT", lock)
    at = data_page()
    at.query_params["token"] = "tok-en"
    at.run()
    assert at.get("file_uploader")[0].proto.disabled
    at.query_params.pop("token")
    at.query_params["code"] = "wrong"
    at.run()
    assert at.get("file_uploader")[0].proto.disabled
    assert any("not accepted" in e.value for e in at.error)
    at.run()
    assert [len(q) for q in lock._failures.values()] == [1, 1]  # the client's count and everyone's
    at.query_params["code"] = "the-right-code"
    at.run()
    assert not at.get("file_uploader")[0].proto.disabled


def test_the_action_checks_itself_even_without_the_page(store_path, monkeypatch):
    monkeypatch.setenv("CCM_ADMIN_PASSWORD", "correct horse")

    def script():
        import streamlit as st

        from ccm_analytics.errors import NotAllowed
        from ccm_analytics.ui import actions

        try:
            actions.rollback(None)
        except NotAllowed as e:
            st.write(f"refused: {e}")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert "refused" in at.markdown[0].value
    assert Store(store_path).version() == 1


def test_with_the_admin_password_the_history_names_the_servers_account_not_a_typed_name(store_path, monkeypatch):
    import getpass

    monkeypatch.setenv("CCM_ADMIN_PASSWORD", "pw")

    def script():
        import streamlit as st

        from ccm_analytics.ui import actions
        from ccm_analytics.ui.context import unlock

        unlock("pw")
        v = actions.restore_sample()
        st.write(f"stored {v.version} by {v.user}")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert at.markdown[0].value == f"stored 2 by {getpass.getuser()} (admin password)"
