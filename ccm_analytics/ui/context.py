"""What every page run needs: the store's data (cached per version), the as-of day, rights.

A page run reads the store's version once (``app.py`` calls :func:`begin_run`) and every
page then takes its data from :func:`ctx`, so one run always sees one version of the data,
even if a load commits in the middle of it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from .. import access
from .. import provenance as prov
from ..data import CcmData
from ..store import Store, default_path

EARLIEST_DAY = dt.date(2008, 12, 3)
LATEST_DAY = dt.date(2099, 12, 31)
DEMO_DAY = dt.date(2018, 9, 5)


@dataclass(frozen=True)
class RunContext:
    """The data one page run works on.

    Attributes:
        store_path: The store's file. version: The version read.
        data: Every dataset at that version.
        provenance: Dataset -> the load that wrote it (None when empty).
        sample_datasets: Datasets whose current data is the bundled (illustrative) sample.
        as_of: The day every figure is counted on.
        page_datasets: The datasets the page of this run shows (for the sample-data notice).
    """

    store_path: str
    version: int
    data: CcmData
    provenance: dict
    sample_datasets: tuple[str, ...]
    as_of: pd.Timestamp
    page_datasets: tuple[str, ...] = ()

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


@st.cache_resource(max_entries=4, show_spinner="Reading the data…")
def _data(path: str, version: int) -> tuple[CcmData, dict]:
    """One version's data and provenance. Versions never change, so this is safe to share:
    frames are treated as read-only by every analysis function (no copy per rerun)."""
    s = Store(path)
    return s.snapshot(version, ledger="daily")[1], s.provenance(version)


def begin_run(as_of: dt.date) -> RunContext:
    """Read the current version once for this run and remember it for the pages."""
    s = store()
    version = _version(str(s.path), s.fingerprint())
    data, provenance = _data(str(s.path), version)
    run = RunContext(str(s.path), version, data, provenance, prov.sample_datasets(provenance), pd.Timestamp(as_of),
                     st.session_state.get("_page_datasets", tuple(prov.ILLUSTRATIVE_DATASETS)))
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
    from streamlit.runtime.pages_manager import PagesManager

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
    return access.Policy(password_set=admin_password() is not None,
                         loopback=access.is_loopback(st.get_option("server.address")))


def client_id() -> str:
    """Who is asking, for the lockout: the client's address, else this session."""
    ip = getattr(st.context, "ip_address", None)
    if ip:
        return ip
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run_ctx = get_script_run_ctx()
    return f"session:{run_ctx.session_id}" if run_ctx else "local"


def unlock(given: str) -> tuple[bool, str]:
    """Check the admin password for this session (with the lockout)."""
    expected = admin_password()
    if expected is None:
        return False, "No admin password is set."
    ok, message = access.check_password(given, expected, client_id())
    st.session_state["_admin_ok"] = ok
    return ok, message


def can_change_data() -> tuple[bool, str]:
    """Whether this session may upload, roll back or restore data, and why not.

    Every data-changing action calls this first (the action itself, not only the page).
    """
    p = policy()
    if p.open_without_password:
        return True, ""
    if p.locked_down:
        return False, p.explain()
    if st.session_state.get("_admin_ok"):
        return True, ""
    return False, "Changing the data needs the admin password: enter it below."
