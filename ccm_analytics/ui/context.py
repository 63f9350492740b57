"""What every page run needs: the store's data (cached per version), the as-of day, rights.

A page run reads the store's version once (``app.py`` calls :func:`begin_run`) and every
page then takes its data from :func:`ctx`, so one run always sees one version of the data,
even if a load commits in the middle of it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
import logging
import sys
import getpass

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from .. import access, i18n
from .. import provenance as prov
from ..analysis.treaty import EARLIEST_DAY, LATEST_DAY  # noqa: F401 (the one range of as-of days)
from ..i18n import N_, _
from ..data import CcmData, localized
from ..store import Store, default_path
from . import asgi
from ..errors import CcmError
from ..users import COOKIE, Sessions, UsersFile

DEMO_DAY = dt.date(2018, 9, 5)


class Said(str):
    """A message that is translated each time it is shown, in the language of the run showing it.

    For texts fixed when a function is defined, such as a cached function's spinner
    (``show_spinner=Said(N_("Reading the data…"))``): Streamlit writes the spinner with
    ``str(message)``, which is then the run's language, not the first visitor's.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return _(str.__str__(self))


@dataclass(frozen=True)
class RunContext:
    """The data one page run works on.

    Attributes:
        store_path: The store's file. version: The version read.
        data: Every dataset at that version as knowable on ``as_of`` (the cut, ``CcmData.as_at``).
        provenance: Dataset -> the load that wrote it (None when empty).
        sample_datasets: Datasets that show at least one row of the bundled (illustrative) sample on the day
            (provenance is per row: DOMAIN §3b).
        as_of: The day every figure is counted on.
        page_datasets: The datasets the page of this run shows (for the sample-data notice).
        sample_counts: Dataset -> (sample rows, rows) on the day, for ``sample_datasets``.
        stored_sample: Whether the store holds illustrative sample rows on any day (the sidebar's demo day).
    """

    store_path: str
    version: int
    data: CcmData
    provenance: dict
    sample_datasets: tuple[str, ...]
    as_of: pd.Timestamp
    page_datasets: tuple[str, ...] = ()
    sample_counts: dict = field(default_factory=dict)
    stored_sample: bool = False

    def sample_share(self, dataset: str) -> str:
        """"12 of 13 rows are illustrative sample rows" when a dataset shown mixes sample and real rows, else ""."""
        return prov.sample_share(dataset, self.sample_counts)

    @property
    def illustrative(self) -> tuple[str, ...]:
        """The illustrative sample datasets this page shows (none: no sample-data notice)."""
        return prov.illustrative_shown(self.page_datasets, self.sample_datasets)

    @property
    def uses_sample(self) -> bool:
        return prov.uses_sample(self.sample_datasets)

    @property
    def source_label(self) -> str:
        """Where the figures come from: "sample data" or the files' names."""
        return prov.source_label(self.provenance)


def store() -> Store:
    return Store(default_path())


@st.cache_data(max_entries=64, show_spinner=False)
def _version(path: str, fingerprint: tuple) -> int:
    """The store's version; cached while its files are unchanged (a stat instead of a query)."""
    return Store(path).version()


@st.cache_resource(max_entries=4, show_spinner=Said(N_("Reading the data…")))
def _data(path: str, version: int) -> tuple[CcmData, dict]:
    """One version's data and provenance. Versions never change, so this is safe to share:
    frames are treated as read-only by every analysis function (no copy per rerun)."""
    s = Store(path)
    return s.snapshot(version, ledger="daily")[1], s.provenance(version)


@st.cache_resource(max_entries=8, show_spinner=False)
def _data_in(path: str, version: int, lang: str) -> CcmData:
    """One version's data with every State's name in ``lang`` (DOMAIN §12), shared like :func:`_data`."""

    return localized(_data(path, version)[0], lang)


def data_for(path: str, version: int, lang: str) -> CcmData:
    """One version's data as a run in ``lang`` shows it (State names in that language)."""
    return _data(path, version)[0] if lang == i18n.DEFAULT else _data_in(path, version, lang)


@st.cache_resource(max_entries=16, show_spinner=False)
def _cut(path: str, version: int, lang: str, as_of: pd.Timestamp) -> CcmData:
    """One version's data as knowable on ``as_of`` (``CcmData.as_at``), shared like :func:`_data`."""
    _, provenance = _data(path, version)
    return data_for(path, version, lang).as_at(as_of, prov.record_compiled_on(provenance))


def cut_for(path: str, version: int, lang: str, as_of) -> CcmData:
    """The one door to the data for every page and output of a run: the version's data as knowable on
    the run's day, State names in its language (DOMAIN.md §3a)."""
    return _cut(path, version, lang, pd.Timestamp(as_of).normalize())


@st.cache_data(max_entries=16, show_spinner=False)
def _sample_counts(path: str, version: int, lang: str, as_of: pd.Timestamp) -> dict[str, tuple[int, int]]:
    """Dataset -> (sample rows, rows) in the data as at D, for the datasets that show a sample row."""
    return prov.sample_rows(cut_for(path, version, lang, as_of))


@st.cache_data(max_entries=16, show_spinner=False)
def _stored_sample(path: str, version: int) -> bool:
    """Whether the version stores any illustrative row of the bundled sample (on any day)."""
    return prov.uses_sample(prov.sample_datasets_in(_data(path, version)[0]))


def begin_run(as_of: dt.date) -> RunContext:
    """Read the current version once for this run and remember it for the pages."""
    check_access()
    s = store()
    version = _version(str(s.path), s.fingerprint())
    data, provenance = _data(str(s.path), version)
    data = cut_for(str(s.path), version, i18n.current(), as_of)  # knowable on D, names in the run's language
    counts = _sample_counts(str(s.path), version, i18n.current(), pd.Timestamp(as_of).normalize())
    run = RunContext(str(s.path), version, data, provenance, tuple(counts), pd.Timestamp(as_of),
                     st.session_state.get("_page_datasets", tuple(prov.ILLUSTRATIVE_DATASETS)), counts,
                     stored_sample=_stored_sample(str(s.path), version))
    st.session_state["_run"] = run
    return run


def set_page_datasets(datasets: tuple[str, ...]) -> None:
    """Remember which datasets the page about to run shows (``app.py`` knows it from the navigation)."""
    st.session_state["_page_datasets"] = tuple(datasets)


def _ensure_frame() -> None:
    """Rerun through ``app.py`` when Streamlit served a page file on its own.

    Streamlit remembers, per server, whether a ``pages/`` folder means the old automatic
    navigation until ``st.navigation`` is first called. A deep link (``/budget``) that is the
    server's very first request would run ``pages/budget.py`` without the frame (no sidebar,
    no as-of day). Switching the flag off and rerunning sends that run through ``app.py``.
    """

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def ctx() -> RunContext:
    """This run's context (set by ``app.py``)."""
    _ensure_frame()
    run = st.session_state.get("_run")
    if run is None:  # a page run on its own (tests): read it now
        run = begin_run(st.session_state.get("as_of") or dt.date.today())
    return run


def admin_password() -> str | None:
    """The admin password: ``CCM_ADMIN_PASSWORD``, else ``admin_password`` in Streamlit's secrets."""
    env = os.environ.get("CCM_ADMIN_PASSWORD")
    if env:
        return env
    try:
        return str(st.secrets["admin_password"]) or None
    except Exception:  # no secrets file, or no such key: Streamlit raises several kinds
        return None


def policy() -> access.Policy:
    return access.policy_from(st.get_option("server.address"), password_set=admin_password() is not None)


def client_id() -> str:
    """Who is asking, for the lockout: the client's address. Never the browser session, which a
    guesser can renew at will, nor an ``X-Forwarded-For`` header, which anyone can write.

    Served through the door (``serve.py``), the address is the one the door worked out (the TCP
    peer, or the client behind a trusted proxy; loopback visitors share one count). A page script
    run without the door (``streamlit run app.py``) cannot tell a peer from a forged header, which
    uvicorn applies for loopback peers: every request that carries one shares a single count."""

    if not asgi.active() and "x-forwarded-for" in {k.lower() for k in (st.context.headers or {})}:
        return "forwarded"
    ip = getattr(st.context, "ip_address", None)
    return ip or "local"


def expected_credential() -> str:
    """The admin password when one is set, else this server's start-up token."""
    return admin_password() or access.startup_token()


def unlock(given: str) -> tuple[bool, str]:
    """Check the admin password (or the start-up token) for this session, with the lockout."""
    p = policy()
    ok, message = access.check_password(given, expected_credential(), client_id(),
                                        what="password" if p.password_set else "token")
    st.session_state["_admin_ok"] = ok
    return ok, message


@st.cache_resource(show_spinner=False)
def _announce(address: str | None) -> bool:
    """Print, once per server, how to change the data and any warning (the terminal is the server's log),
    in English whatever the first visitor's language: the log is the operator's, written once."""
    with i18n.language(i18n.DEFAULT):
        return _announce_now(address)


def _announce_now(address: str | None) -> bool:
    p = policy()
    port = st.get_option("server.port")
    host = address if address and address not in ("0.0.0.0", "::") else "127.0.0.1"
    notice = access.startup_notice(f"http://{host}:{port}", access.startup_token(), p)
    if notice and not os.environ.get("CCM_ADMIN_TOKEN"):  # the launcher (make run) has printed it already
        print(notice, file=sys.stderr, flush=True)
    if p.exposed_without_password:
        logging.getLogger("ccm_analytics").warning("listening on %s without an admin password: %s", address,
                                                   p.explain())
    return True


def check_access() -> None:
    """Every run: announce once; accept the one-use link code (``?code=``) printed at start-up.

    The browser takes the code out of the address itself, replacing the history entry
    (``assets/screen.js``). The code works once: the first session that brings it becomes admin;
    a code already checked in this session is not checked again (a rerun sent before the browser
    took it away still carries it)."""
    _announce(st.get_option("server.address"))
    given = st.query_params.get("code")
    if given is not None and given != st.session_state.get("_code_checked"):
        st.session_state["_code_checked"] = given
        ok, message = access.use_link_code(given, client_id())
        if ok:
            st.session_state["_admin_ok"] = True
        st.session_state["_token_message"] = "" if ok else message


SIGN_IN_ENV = "CCM_SIGN_IN"


def _ccm_settings() -> dict:
    """The ``[ccm]`` table of Streamlit's secrets (``.streamlit/secrets.toml``); empty when there is none."""
    try:
        return dict(st.secrets["ccm"])
    except Exception:  # no secrets file, or no such table: Streamlit raises several kinds
        return {}


def sign_in_mode() -> str:
    """How people sign in: "oidc" (the organisation's identity provider, ``st.login``) or "local" (the users
    file): ``CCM_SIGN_IN``, else ``sign_in`` in the ``[ccm]`` table of the secrets; "local" by default."""
    return access.sign_in_mode(os.environ.get(SIGN_IN_ENV) or _ccm_settings().get("sign_in"))


def _cookie(name: str) -> str | None:
    """A cookie the browser sent with this session (the tests replace this function: AppTest sends none)."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser (a script run on its own)
        return None
    return value if isinstance(value, str) else None  # AppTest's stand-in client answers with mock objects


def signed_in() -> tuple[access.User | None, str]:
    """The signed-in user of this session (identity provider or users file), else (None, why not: "" or a
    sentence such as an expired sign-in)."""
    if sign_in_mode() == "oidc":
        if not getattr(st.user, "is_logged_in", False):
            return None, ""
        email = str(st.user.get("email") or "")
        if not email:
            return None, _("The identity provider did not give an e-mail address: ask its administrator to "
                           "release the 'email' claim.")
        return access.User(email, access.role_for(email, _ccm_settings().get("roles")), "oidc"), ""

    cookie = _cookie(COOKIE)
    if not cookie:
        return None, ""
    try:
        return Sessions(UsersFile()).check(cookie)
    except CcmError as e:
        return None, str(e)


def _operator() -> str:
    """The account that started the server: the one who has the start-up token on its terminal."""

    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        return "operator"


def current_user() -> access.User:
    """Who this session is, for every right and for the history (DOMAIN.md section 9):

    the signed-in user (identity provider or users file); else the session that typed the start-up token or
    the admin password (admin, named after the server's account); else an anonymous viewer. With
    ``CCM_OPEN_LOCAL=1`` on loopback everyone is admin (the history names the signed-in user if any)."""
    user, _why = signed_in()
    if user is None and st.session_state.get("_admin_ok"):
        how = "admin password" if policy().password_set else "start-up token"
        user = access.User(f"{_operator()} ({how})", "admin", "token")
    if policy().open_without_credential:
        return access.User(user.name if user else f"{_operator()} (CCM_OPEN_LOCAL)", "admin",
                           user.via if user else "open")
    return user or access.ANONYMOUS


def may(action: str) -> tuple[bool, str]:
    """Whether this session may do ``action`` (a key of ``access.ACTIONS``), and why not.

    Every action that changes something calls this first (the action itself, not only the page)."""
    user = current_user()
    if access.allowed(user, action):
        return True, ""
    why = access.refusal(user, action)
    if user.via == "anonymous" and sign_in_mode() == "local" and not policy().password_set:
        why += " " + _("Or type the start-up token there (the one-person set-up).")
    return False, why
