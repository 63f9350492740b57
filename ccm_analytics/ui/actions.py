"""Every action that changes the stored data. Each checks the session's role itself (``context.may``) and
records the session's user in the history (``context.current_user``), never a name typed in a box."""

from __future__ import annotations

import streamlit as st

from .. import dataops
from .. import formatting as fmt
from ..errors import CcmError, NotAllowed
from ..store import Version
from .context import current_user, may, store
from ..outputs.letters import load_settings, save_settings


def _require(action: str) -> str:
    """The name to record for ``action``; NotAllowed saying why when this session may not do it."""
    ok, why = may(action)
    if not ok:
        raise NotAllowed(why)
    return current_user().name


def _done(version: Version) -> Version:
    st.cache_data.clear()  # cheap: results are keyed by version anyway; this frees memory
    return version


def store_upload(check: dataops.UploadCheck) -> Version:
    user = _require("load")
    return _done(dataops.store_upload(store(), check, user))


def rollback(to: int | None, expected_version: int | None = None) -> Version:
    user = _require("rollback")
    return _done(store().rollback(to, user=user, expected_version=expected_version))


def restore_sample() -> Version:
    user = _require("restore_sample")
    return _done(dataops.restore_sample(store(), user))


def add_followup(states: list[str], on, channel: str, note: str, promised_on, by: str) -> Version:
    """Log a contact with one or more States (``by``: who made the contact; the history names the session's user)."""
    user = _require("log_contact")
    return _done(dataops.add_followup(store(), states, on, channel, note, promised_on, by or user, user=user))


TEMPLATE_ASSET = "deck_template"


def set_deck_template(data: bytes, file_name: str) -> None:
    """Keep a PowerPoint template for every deck built from the app (checked first)."""
    user = _require("set_template")
    # heavy (python-pptx): only when a deck template is set
    from ..outputs.slidekit import check_template

    check_template(data, file_name)  # the Office guard, then python-pptx (DOMAIN.md section 9)
    store().set_asset(TEMPLATE_ASSET, data, file_name, user)


def remove_deck_template() -> None:
    _require("set_template")
    store().delete_asset(TEMPLATE_ASSET)


def current_deck_template() -> str | None:
    """The name of the template file in use, if any (reading needs no rights)."""
    asset = store().asset(TEMPLATE_ASSET)
    return asset[1] if asset else None


REPORT_TEMPLATE_ASSET = "report_template"


def set_report_template(data: bytes, file_name: str) -> None:
    """Keep a Word house template (styles) for every progress report built from the app (checked first)."""
    user = _require("set_template")
    from ..reading.guard import check_office  # lazy: the guard and python-docx, only when a template is set
    from ..outputs.report import check_template  # lazy: python-docx, as above

    check_office(file_name, data, "docx")  # the Office guard (DOMAIN.md section 9)
    check_template(data, file_name)  # then python-docx must open it
    store().set_asset(REPORT_TEMPLATE_ASSET, data, file_name, user)


def remove_report_template() -> None:
    _require("set_template")
    store().delete_asset(REPORT_TEMPLATE_ASSET)


def current_report_template() -> str | None:
    """The name of the report's house template in use, if any (reading needs no rights)."""
    asset = store().asset(REPORT_TEMPLATE_ASSET)
    return asset[1] if asset else None


def set_letter_settings(settings) -> None:
    """Keep the ISU's contact details and the reference pattern for every letter (an admin's setting, as the
    templates are)."""
    user = _require("set_template")

    save_settings(store(), settings, user)


def letter_settings():
    """The letter settings kept in the store (reading needs no rights)."""

    return load_settings(store())


def perform(action, flash, **state) -> None:
    """Run a data-changing action from a page: on success remember ``flash(result)`` (and any
    session ``state``) and rerun; on refusal or failure, say why where the button is."""

    try:
        result = action()
    except CcmError as e:
        st.error(fmt.md(str(e)), icon=":material/error:")
        return
    st.session_state["data_flash"] = flash(result)
    st.session_state.update(state)
    st.rerun()
