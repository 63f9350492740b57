"""Every action that changes the stored data. Each checks ``can_change_data()`` itself."""

from __future__ import annotations

import streamlit as st

from .. import dataops
from ..errors import NotAllowed
from ..i18n import _
from ..store import Version
from .context import can_change_data, policy, store


def _require(user: str | None = None) -> None:
    allowed, why = can_change_data()
    if not allowed:
        raise NotAllowed(why or _("Changing the data is not allowed here."))
    if user is not None and policy().password_set and not user.strip():
        raise NotAllowed(_("Give your name: every change is recorded in the history with who made it."))


def _who(user: str | None) -> str:
    """The name recorded in the history: the one given, else a plain note (the "By" column is never blank).
    The note is data, kept in English whatever the language (it is stored, not shown as a message)."""
    return (user or "").strip() or "no name given"


def _done(version: Version) -> Version:
    st.cache_data.clear()  # cheap: results are keyed by version anyway; this frees memory
    return version


def store_upload(check: dataops.UploadCheck, user: str) -> Version:
    _require(user)
    return _done(dataops.store_upload(store(), check, _who(user)))


def rollback(to: int | None, user: str, expected_version: int | None = None) -> Version:
    _require(user)
    return _done(store().rollback(to, user=_who(user), expected_version=expected_version))


def restore_sample(user: str) -> Version:
    _require(user)
    return _done(dataops.restore_sample(store(), _who(user)))


def add_followup(states: list[str], on, channel: str, note: str, promised_on, by: str, user: str) -> Version:
    """Log a contact with one or more States (a change of the data: the same rights as a load)."""
    _require(user)
    return _done(dataops.add_followup(store(), states, on, channel, note, promised_on, by, user=user))


TEMPLATE_ASSET = "deck_template"


def set_deck_template(data: bytes, file_name: str, user: str) -> None:
    """Keep a PowerPoint template for every deck built from the app (checked first)."""
    _require(user)
    from ..outputs.deck import check_template

    check_template(data, file_name)  # the Office guard, then python-pptx (DOMAIN.md section 9)
    store().set_asset(TEMPLATE_ASSET, data, file_name, _who(user))


def remove_deck_template() -> None:
    _require()
    store().delete_asset(TEMPLATE_ASSET)


def current_deck_template() -> str | None:
    """The name of the template file in use, if any (reading needs no rights)."""
    asset = store().asset(TEMPLATE_ASSET)
    return asset[1] if asset else None


def set_letter_settings(settings, user: str) -> None:
    """Keep the ISU's contact details and the reference pattern for every letter (checked first)."""
    _require(user)
    from ..outputs.letters import save_settings

    save_settings(store(), settings, _who(user))


def letter_settings():
    """The letter settings kept in the store (reading needs no rights)."""
    from ..outputs.letters import load_settings

    return load_settings(store())


def perform(action, flash, **state) -> None:
    """Run a data-changing action from a page: on success remember ``flash(result)`` (and any
    session ``state``) and rerun; on refusal or failure, say why where the button is."""
    from .. import formatting as fmt
    from ..errors import CcmError

    try:
        result = action()
    except CcmError as e:
        st.error(fmt.md(str(e)), icon=":material/error:")
        return
    st.session_state["data_flash"] = flash(result)
    st.session_state.update(state)
    st.rerun()
