"""Every action that changes the stored data. Each checks ``can_change_data()`` itself."""

from __future__ import annotations

import streamlit as st

from .. import dataops
from ..errors import NotAllowed
from ..store import Version
from .context import can_change_data, store


def _require() -> None:
    allowed, why = can_change_data()
    if not allowed:
        raise NotAllowed(why or "Changing the data is not allowed here.")


def _done(version: Version) -> Version:
    st.cache_data.clear()  # cheap: results are keyed by version anyway; this frees memory
    return version


def store_upload(check: dataops.UploadCheck, user: str) -> Version:
    _require()
    return _done(dataops.store_upload(store(), check, user))


def rollback(to: int | None, user: str) -> Version:
    _require()
    return _done(store().rollback(to, user=user))


def restore_sample(user: str) -> Version:
    _require()
    return _done(dataops.restore_sample(store(), user))
