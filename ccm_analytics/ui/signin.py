"""Signing in and out on the Data page (DOMAIN.md section 9, "Roles and signing in").

With the local users file the browser posts a plain HTML form to the door's ``/signin`` route
(``asgi.signin``), which sets the signed session cookie and sends the browser back; the password
never passes through a Streamlit widget or the address. With the organisation's identity provider
the button calls Streamlit's own ``st.login`` (OpenID Connect), which keeps its own cookie.
"""

from __future__ import annotations

import html
from urllib.parse import urlparse

import streamlit as st

from .. import access
from .. import formatting as fmt
from ..i18n import _
from . import asgi
from .context import sign_in_mode, signed_in

# What the door's answer (``?signin=``) means, a sentence each.
_OUTCOMES = {
    "wrong": ("error", lambda: _("Unknown name or wrong password. Nothing was changed.")),
    "locked": ("error", lambda: _("Too many wrong attempts from this computer: the form is locked for a while (a "
                                  "minute at first). Try again later.")),
    "unavailable": ("error", lambda: _("Signing in is not available: the users file cannot be read (see the "
                                       "server's log).")),
    "out": ("success", lambda: _("You are signed out.")),
}


def _form(action: str, fields: str, button: str) -> str:
    """A plain HTML form posted to the door (``action`` relative to the page, so that it works under a base path)."""

    back = html.escape(urlparse(st.context.url or "").path or "/data")
    return (f'<form method="post" action="{action}" class="ccm-signin">{fields}'
            f'<input type="hidden" name="back" value="{back}">'
            f'<button type="submit">{html.escape(button)}</button></form>')


def panel(me: access.User) -> None:
    """Who is signed in (with a way out), or the way in for the chosen sign-in mode."""
    mode = sign_in_mode()
    outcome = _OUTCOMES.get(st.query_params.get("signin", ""))
    if outcome and not me.signed_in:
        (st.error if outcome[0] == "error" else st.success)(outcome[1](), icon=":material/login:")
    if me.signed_in:
        st.markdown(_("Signed in as **{name}** ({role}).").format(name=fmt.md(me.name),
                                                                       role=_(access.ROLE_NAMES[me.role])))
        if mode == "oidc":
            if st.button(_("Sign out"), icon=":material/logout:", key="signout"):
                st.logout()
        else:
            st.html(_form("signout", "", _("Sign out")))
        return
    _user, why = signed_in()
    if why:
        st.warning(why, icon=":material/timer_off:")
    if mode == "oidc":
        if st.button(_("Sign in with your organisation's account"), icon=":material/login:", key="signin_oidc",
                     type="primary"):
            st.login()
        return
    if not asgi.active():
        st.caption(_("Signing in with the users file needs the server started by 'python -m ccm_analytics serve' "
                     "(or 'make run')."))
        return
    st.markdown(_("**Sign in** with the name and password an admin gave you (`python -m ccm_analytics users add`)."))
    fields = (f'<label>{html.escape(_("Name"))} <input name="username" autocomplete="username" required '
              f'maxlength="64"></label> '
              f'<label>{html.escape(_("Password"))} <input name="password" type="password" '
              f'autocomplete="current-password" required></label> ')
    st.html(_form("signin", fields, _("Sign in")))
