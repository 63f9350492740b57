"""Named users with roles (DOMAIN.md section 9, "Roles and signing in"): the local users file and its
commands, signed session cookies that last across reloads and expire, the door's /signin and /signout
routes with the lockout, the role table, the history naming the signed-in user, and the one-use link."""

from __future__ import annotations

import io
import stat

import pytest
from argon2 import PasswordHasher, Type, profiles
from streamlit.testing.v1 import AppTest

from ccm_analytics import access
from ccm_analytics.access import ANONYMOUS, Lockout, User, allowed, use_link_code
from ccm_analytics.cli import main
from ccm_analytics.errors import UsageError
from ccm_analytics.store import Store
from ccm_analytics.users import SESSION_SECONDS, Sessions, UsersFile

from .conftest import ROOT
pytestmark = pytest.mark.usefixtures("navigation_not_folder")  # AppTest runs as on a server

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "var" / "users.json"
    monkeypatch.setenv("CCM_USERS_FILE", str(path))
    monkeypatch.setattr("ccm_analytics.access.LOCKOUT", Lockout())
    # the cheapest Argon2id parameters, as argon2-cffi advises for tests (0.14 s a hash otherwise);
    # test_passwords_are_hashed_with_the_librarys_rfc_9106_profile checks the product's own
    monkeypatch.setattr("ccm_analytics.users._HASHER", PasswordHasher.from_parameters(profiles.CHEAPEST))
    return UsersFile(path)


def test_passwords_are_hashed_with_the_librarys_rfc_9106_profile(tmp_path):
    from ccm_analytics import users as users_module

    assert users_module._HASHER.type is Type.ID
    assert (users_module._HASHER.memory_cost, users_module._HASHER.time_cost) == \
        (profiles.RFC_9106_LOW_MEMORY.memory_cost, profiles.RFC_9106_LOW_MEMORY.time_cost)
    stored = UsersFile(tmp_path / "users.json")
    stored.add("ana", "editor", PASSWORD)
    assert stored.entries()["ana"].hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def cli(monkeypatch, capsys, *argv, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse refuses bad arguments itself (exit 2)
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


# --- the users file and its commands ---

def test_users_add_list_passwd_remove_with_the_password_on_standard_input(users, monkeypatch, capsys):
    assert cli(monkeypatch, capsys, "users", "add", "ana", "--role", "editor", stdin=PASSWORD + "\n")[0] == 0
    assert cli(monkeypatch, capsys, "users", "add", "root.admin", "--role", "admin", stdin="another good one\n")[0] == 0
    code, out, _ = cli(monkeypatch, capsys, "users", "list")
    assert code == 0 and out.splitlines() == ["ana\teditor", "root.admin\tadmin"]
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600
    text = users.path.read_text()
    assert PASSWORD not in text and users.entries()["ana"].hash.startswith("$argon2id$")
    assert users.verify("ana", PASSWORD).role == "editor" and users.verify("ana", "wrong password") is None

    assert cli(monkeypatch, capsys, "users", "passwd", "ana", stdin="a brand new password\n")[0] == 0
    assert users.verify("ana", PASSWORD) is None and users.verify("ana", "a brand new password") is not None
    assert cli(monkeypatch, capsys, "users", "remove", "ana")[0] == 0
    assert list(users.entries()) == ["root.admin"]
    assert [p.name for p in users.path.parent.iterdir() if p.name.endswith(".tmp")] == []  # no temporary file left


@pytest.mark.parametrize("argv, stdin, message", [
    (["users", "add", "bob", "--role", "editor"], "short\n", "too short: use at least 10 characters"),
    (["users", "add", "bad name", "--role", "editor"], PASSWORD, "'bad name' cannot be a user name"),
    (["users", "add", "bob", "--role", "boss"], PASSWORD, "invalid choice: 'boss'"),
    (["users", "remove", "nobody"], "", "There is no user named 'nobody'"),
    (["users", "passwd", "nobody"], PASSWORD, "There is no user named 'nobody'"),
])
def test_bad_user_commands_are_refused_with_exit_2_and_change_nothing(users, monkeypatch, capsys, argv, stdin, message):
    users.add("ana", "editor", PASSWORD)
    before = users.path.read_bytes()
    code, _, err = cli(monkeypatch, capsys, *argv, stdin=stdin)
    assert code == 2 and message in err and "Traceback" not in err
    assert users.path.read_bytes() == before


def test_a_second_user_of_the_same_name_is_refused(users):
    users.add("ana", "editor", PASSWORD)
    with pytest.raises(UsageError, match="already a user named 'ana'"):
        users.add("ana", "admin", PASSWORD)
    assert users.entries()["ana"].role == "editor"


def test_a_damaged_users_file_is_named_not_a_traceback(users, monkeypatch, capsys):
    users.path.parent.mkdir(parents=True)
    users.path.write_text("{not json")
    code, _, err = cli(monkeypatch, capsys, "users", "list")
    assert code == 2 and f"The users file {users.path} is damaged" in err


# --- session cookies ---

def test_a_session_lasts_twelve_hours_and_ends_with_a_new_password(users):
    entry = users.add("ana", "editor", PASSWORD)
    clock = Clock()
    sessions = Sessions(users, clock=clock)
    cookie = sessions.issue(entry)
    assert sessions.check(cookie) == (User("ana", "editor", "password"), "")
    clock.t += SESSION_SECONDS  # exactly 12 hours later: still valid
    assert sessions.check(cookie)[0] is not None
    clock.t += 1  # one second past
    user, why = sessions.check(cookie)
    assert user is None and "expired (it lasts 12 hours)" in why

    clock.t -= 3600
    users.passwd("ana", "a brand new password")
    assert sessions.check(cookie) == (None, "Your sign-in has ended: the user was removed or the password changed. "
                                            "Sign in again.")
    assert stat.S_IMODE(users.path.with_name("users.json.key").stat().st_mode) == 0o600


def test_a_forged_or_tampered_cookie_is_refused(users):
    entry = users.add("ana", "viewer", PASSWORD)
    cookie = Sessions(users).issue(entry)
    users.add("eve", "admin", "eve's own password")
    payload, rest = cookie.split(".", 1)
    import base64
    import json

    forged = base64.urlsafe_b64encode(json.dumps({"u": "eve", "f": users.entries()["eve"].fingerprint})
                                      .encode()).decode().rstrip("=")
    user, why = Sessions(users).check(f"{forged}.{rest}")
    assert user is None and "not valid on this server" in why


# --- the door's routes ---

@pytest.fixture
def door(users):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.testclient import TestClient

    from ccm_analytics.ui import asgi

    app = Starlette(routes=asgi.routes(), middleware=[Middleware(asgi.Door, proxies=())])
    return TestClient(app, base_url="http://127.0.0.1:8501", follow_redirects=False)


def test_signing_in_sets_a_signed_cookie_and_signing_out_removes_it(door, users):
    users.add("ana", "editor", PASSWORD)
    r = door.post("/signin", data={"username": "ana", "password": PASSWORD, "back": "/reports"})
    assert r.status_code == 303 and r.headers["location"] == "/reports"
    assert r.headers["referrer-policy"] == "no-referrer"
    set_cookie = r.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie and "Max-Age=43200" in set_cookie
    assert Sessions(users).check(r.cookies["ccm_session"])[0] == User("ana", "editor", "password")

    r = door.post("/signout", data={"back": "/data"})
    assert r.status_code == 303 and r.headers["location"] == "/data?signin=out"
    assert 'ccm_session=""' in r.headers["set-cookie"] and "Max-Age=0" in r.headers["set-cookie"]


def test_wrong_passwords_count_towards_the_lockout_and_set_no_cookie(door, users):
    users.add("ana", "editor", PASSWORD)
    outcomes = []
    for password in ["guess-1", "guess-2", "guess-3", "guess-4", "guess-5", PASSWORD]:
        r = door.post("/signin", data={"username": "ana", "password": password, "back": "/data"})
        outcomes.append(r.headers["location"])
        assert "set-cookie" not in r.headers
    assert outcomes == ["/data?signin=wrong"] * 4 + ["/data?signin=locked"] * 2  # even the right one, locked
    r = door.post("/signin", data={"username": "nobody", "password": PASSWORD})
    assert r.headers["location"] == "/data?signin=locked"


def test_an_unknown_name_is_refused_like_a_wrong_password_and_another_site_cannot_post(door, users):
    users.add("ana", "editor", PASSWORD)
    r = door.post("/signin", data={"username": "nobody", "password": PASSWORD, "back": "//evil.example"})
    assert r.headers["location"] == "/data?signin=wrong"  # and never sent to another site
    r = door.post("/signin", data={"username": "ana", "password": PASSWORD},
                  headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403 and "set-cookie" not in r.headers


# --- roles ---

def test_the_role_table():
    viewer, editor, admin = (User("v", "viewer", "password"), User("e", "editor", "password"),
                             User("a", "admin", "password"))
    assert [allowed(u, "download") for u in (ANONYMOUS, viewer, editor, admin)] == [True] * 4
    assert [allowed(u, "log_contact") for u in (ANONYMOUS, viewer, editor, admin)] == [False, False, True, True]
    assert [allowed(u, "letterhead") for u in (ANONYMOUS, viewer, editor, admin)] == [False, False, True, True]
    for action in ("load", "rollback", "restore_sample", "set_template", "manage_users"):
        assert [allowed(u, action) for u in (ANONYMOUS, viewer, editor, admin)] == [False, False, False, True]
    assert not allowed(admin, "no such action")
    assert access.role_for("Alice@ISU.example", {"alice@isu.example": "editor"}) == "editor"
    assert access.role_for("carol@isu.example", {"alice@isu.example": "editor"}) == "viewer"


# --- in the app: a signed-in session (its cookie handed to the page) ---

@pytest.fixture
def store_path(store_path, monkeypatch):
    """conftest's copy of the sample store, with the loopback door closed and an admin token set."""
    monkeypatch.delenv("CCM_OPEN_LOCAL", raising=False)
    monkeypatch.delenv("CCM_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("CCM_ADMIN_TOKEN", "tok-en")
    return store_path


def signed_in_as(monkeypatch, users, name: str, role: str, clock=None) -> None:
    """The browser sends the cookie the door issued for ``name`` (AppTest cannot send cookies itself)."""
    entry = users.add(name, role, PASSWORD)
    cookie = Sessions(users, **({"clock": clock} if clock else {})).issue(entry)
    monkeypatch.setattr("ccm_analytics.ui.context._cookie", lambda key: cookie if key == "ccm_session" else None)


def followup_script():
    import streamlit as st

    from ccm_analytics.errors import NotAllowed
    from ccm_analytics.ui import actions

    try:
        v = actions.add_followup(["MWI"], "2018-09-01", "call", "asked for the report", None, "")
        st.write(f"stored {v.version} by {v.user}")
    except NotAllowed as e:
        st.write(f"refused: {e}")


def test_an_editor_logs_a_contact_and_the_history_names_them(store_path, users, monkeypatch):
    signed_in_as(monkeypatch, users, "ana", "editor")
    at = AppTest.from_function(followup_script, default_timeout=30).run()
    assert at.markdown[0].value == "stored 2 by ana"
    assert Store(store_path).history()[0].user == "ana"
    assert Store(store_path).data().followups.iloc[-1]["by"] == "ana"


def test_a_viewer_is_refused_an_editors_action_and_nothing_changes(store_path, users, monkeypatch):
    signed_in_as(monkeypatch, users, "vic", "viewer")
    at = AppTest.from_function(followup_script, default_timeout=30).run()
    assert at.markdown[0].value == ("refused: This needs the editor role; vic is signed in as viewer. Ask an admin "
                                    "for the role.")
    assert Store(store_path).version() == 1


def test_the_data_page_names_the_signed_in_user_and_an_editor_may_not_load(store_path, users, monkeypatch):
    signed_in_as(monkeypatch, users, "ana", "editor")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/data.py").run()
    assert any(m.value == "Signed in as **ana** (editor)." for m in at.markdown)
    assert at.get("file_uploader")[0].proto.disabled
    assert any("This needs the admin role; ana is signed in as editor." in c.value for c in at.caption)


def test_an_expired_sign_in_says_so_and_the_session_is_a_viewer(store_path, users, monkeypatch):
    signed_in_as(monkeypatch, users, "ana", "admin", clock=Clock(1_000_000_000.0))  # signed in long ago
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/data.py").run()
    assert any("Your sign-in has expired" in w.value for w in at.warning)
    assert at.get("file_uploader")[0].proto.disabled


def test_with_the_identity_provider_roles_come_from_the_e_mail_address(store_path, monkeypatch):
    monkeypatch.setenv("CCM_SIGN_IN", "oidc")
    monkeypatch.setattr("ccm_analytics.ui.context._ccm_settings",
                        lambda: {"roles": {"alice@isu.example": "editor"}})
    for email, expected in [("alice@isu.example", "stored 2 by alice@isu.example"),
                            ("carol@isu.example", "refused: This needs the editor role; carol@isu.example is signed "
                                                  "in as viewer. Ask an admin for the role.")]:
        at = AppTest.from_function(followup_script, default_timeout=30)
        at.user = {"is_logged_in": True, "email": email}
        assert at.run().markdown[0].value == expected


# --- the one-use link ---

def test_the_link_code_works_once_and_an_unknown_code_counts_as_a_wrong_credential():
    lock = Lockout()
    env = {"CCM_LINK_CODE": "one-use-code-0123456789"}
    assert use_link_code("one-use-code-0123456789", "a", env, lock) == (True, "")
    ok, message = use_link_code("one-use-code-0123456789", "b", env, lock)
    assert not ok and message.startswith("This sign-in link has been used already: it works once.")
    ok, message = use_link_code("guess", "c", env, lock)
    assert not ok and message.startswith("This sign-in link is not valid for this server")
    assert lock._failures["c"] and lock._failures["*"]


def test_the_printed_link_carries_the_code_not_the_token():
    notice = access.startup_notice("http://127.0.0.1:8501", "T0K", access.Policy(False, True), "C0DE")
    assert "http://127.0.0.1:8501/data?code=C0DE (the link works once)" in notice
    assert "?token=" not in notice and "start-up token on the Data page: T0K" in notice


def test_the_link_makes_the_first_session_admin_and_a_second_session_is_refused(store_path, monkeypatch):
    monkeypatch.setenv("CCM_LINK_CODE", "code-for-this-test-only")
    monkeypatch.setattr("ccm_analytics.access.LOCKOUT", Lockout())
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    first.query_params["code"] = "code-for-this-test-only"
    first.switch_page("pages/data.py").run()
    assert not first.get("file_uploader")[0].proto.disabled
    assert any("Unlocked with the start-up token" in c.value for c in first.caption)
    second = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    second.query_params["code"] = "code-for-this-test-only"
    second.switch_page("pages/data.py").run()
    assert second.get("file_uploader")[0].proto.disabled
    assert any("has been used already" in e.value for e in second.error)


def test_every_pages_sidebar_names_the_signed_in_user_literally_and_an_anonymous_visitor_not(store_path, monkeypatch):
    monkeypatch.setenv("CCM_SIGN_IN", "oidc")
    monkeypatch.setattr("ccm_analytics.ui.context._ccm_settings",
                        lambda: {"roles": {"jo_ann*x@isu.example": "editor"}})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.user = {"is_logged_in": True, "email": "jo_ann*x@isu.example"}
    at.switch_page("pages/workplan.py").run()
    said = [c.value for c in at.sidebar.caption if "Signed in" in c.value]
    # _ * . escaped: the address is shown as written, not as italics or bold
    assert said == [":material/account_circle: Signed in as **jo\\_ann\\*x@isu\\.example** (editor)."]

    anonymous = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    anonymous.switch_page("pages/workplan.py").run()
    assert not [c.value for c in anonymous.sidebar.caption if "Signed in" in c.value]
