"""Who may change the data: a credential the server checks, with a lockout per client and overall.

Anyone who can reach the app may look. Uploading, rolling back, restoring the sample and
setting the slide template need a credential that the server checks (DOMAIN.md section 9):

- the admin password, when one is set (``CCM_ADMIN_PASSWORD``, or ``admin_password`` in
  Streamlit's secrets);
- otherwise the **start-up token**: a random token made when the server starts (or given in
  ``CCM_ADMIN_TOKEN`` by the launcher, ``python -m ccm_analytics serve``, which prints it with a
  link, as notebook servers do). It is typed on the Data page or passed once as ``?token=``.

The address the server listens on does not open the door by itself: behind a reverse proxy, an
SSH tunnel or a TCP forwarder every visitor looks local. Only the operator can open it, on
purpose, with ``CCM_OPEN_LOCAL=1`` (honoured only while the server listens on loopback).
Wrong credentials are counted per client address and over all clients: five from one address
within a minute lock that address for a minute; twenty from anywhere lock the form for everyone
for a minute (so a proxy, which makes every visitor one address, cannot give unlimited guesses).
"""

from __future__ import annotations

import hmac
import math
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from .i18n import N_, _

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_FAILURES = 5
MAX_GLOBAL_FAILURES = 20
WINDOW_SECONDS = 60.0
LOCK_SECONDS = 60.0
EVERYONE = "*"


@dataclass(frozen=True)
class Policy:
    """What the server's configuration allows.

    Attributes:
        password_set: An admin password is configured.
        loopback: The server listens on loopback only.
        open_local: The operator set ``CCM_OPEN_LOCAL=1`` (changes without a credential on loopback).
    """

    password_set: bool
    loopback: bool
    open_local: bool = False

    @property
    def open_without_credential(self) -> bool:
        """The operator opened the door on purpose (loopback only, no password set)."""
        return self.open_local and self.loopback and not self.password_set

    @property
    def exposed_without_password(self) -> bool:
        """Reachable from other computers with no password: only the start-up token protects changes."""
        return not self.password_set and not self.loopback

    @property
    def credential(self) -> str:
        """The credential's name for people (in the run's language)."""
        return _("admin password") if self.password_set else _("start-up token")

    def explain(self) -> str:
        if self.password_set:
            return _("Changing the data needs the admin password.")
        if self.open_without_credential:
            return _("CCM_OPEN_LOCAL=1 is set and the server listens only on this computer (127.0.0.1), so anyone "
                     "using it may change the data. Unset it before a proxy or tunnel makes the app reachable.")
        if self.exposed_without_password:
            return _("This server can be reached from other computers and no admin password is set. Changing the "
                     "data needs the start-up token, printed in the terminal (the server's log) when the app started; "
                     "or set an admin password (CCM_ADMIN_PASSWORD). Set CCM_ADMIN_PASSWORD before sharing the "
                     "address.")
        return _("Changing the data needs the start-up token, printed in the terminal (the server's log) when the "
                 "app started; or set an admin password (CCM_ADMIN_PASSWORD).")


def policy_from(address: str | None, password_set: bool, environ=os.environ) -> Policy:
    """The policy for a server listening on ``address``."""
    return Policy(password_set=password_set, loopback=is_loopback(address),
                  open_local=environ.get("CCM_OPEN_LOCAL", "").strip() == "1")


def is_loopback(address: str | None) -> bool:
    """Whether a server address binds to this machine only (an empty address means all interfaces)."""
    return bool(address) and address.strip() in LOOPBACK


_TOKEN_LOCK = threading.Lock()
_TOKEN: list[str] = []


def startup_token(environ=os.environ) -> str:
    """This server's admin token: ``CCM_ADMIN_TOKEN`` when the launcher set it, else made once per process."""
    given = environ.get("CCM_ADMIN_TOKEN", "").strip()
    if given:
        return given
    with _TOKEN_LOCK:
        if not _TOKEN:
            _TOKEN.append(secrets.token_urlsafe(24))
        return _TOKEN[0]


def startup_notice(url: str, token: str, policy: Policy) -> str:
    """What the server prints at start: how to change the data, and a warning when exposed."""
    lines = []
    if policy.open_without_credential:
        lines.append(_("CCM_OPEN_LOCAL=1: anyone who reaches this server may change the data (loopback only)."))
    elif not policy.password_set:
        lines += [_("To change the data, open {link}").format(link=f"{url}/data?token={token}"),
                  _("(or type this start-up token on the Data page: {token})").format(token=token)]
    if policy.exposed_without_password:
        lines.append(_("WARNING: this server listens beyond this computer and no admin password is set. "
                       "Set CCM_ADMIN_PASSWORD before sharing the address."))
    return "\n".join(lines)


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (the time taken does not reveal how much matched)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Lockout:
    """Counts wrong credentials per client and over all clients.

    ``max_failures`` within ``window`` seconds from one client lock it for ``lock`` seconds;
    ``max_global`` within the window from all clients together lock everyone.
    """

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS, lock: float = LOCK_SECONDS,
                 clock=time.monotonic, max_global: int = MAX_GLOBAL_FAILURES):
        self.max_failures, self.window, self.lock, self.max_global = max_failures, window, lock, max_global
        self.clock = clock
        self._failures: dict[str, deque] = defaultdict(deque)
        self._locked_until: dict[str, float] = {}
        self._mutex = threading.Lock()

    def seconds_locked(self, client: str) -> float:
        with self._mutex:
            now = self.clock()
            mine = self._locked_until.get(client, 0.0)
            everyone = self._locked_until.get(EVERYONE, 0.0)
            return max(mine - now, everyone - now, 0.0)

    def _count(self, key: str, now: float, limit: int) -> None:
        q = self._failures[key]
        q.append(now)
        while q and now - q[0] > self.window:
            q.popleft()
        if len(q) >= limit:
            self._locked_until[key] = now + self.lock
            q.clear()

    def failure(self, client: str) -> None:
        with self._mutex:
            now = self.clock()
            self._count(client, now, self.max_failures)
            self._count(EVERYONE, now, self.max_global)

    def success(self, client: str) -> None:
        with self._mutex:
            self._failures.pop(client, None)


LOCKOUT = Lockout()


def check_password(given: str, expected: str, client: str, lockout: Lockout | None = None,
                   what: str = "password") -> tuple[bool, str]:
    """Check a credential for one client; returns (ok, message for the user)."""
    lockout = lockout if lockout is not None else LOCKOUT
    wait = lockout.seconds_locked(client)
    if wait > 0:
        return False, _("Too many wrong attempts. Try again in {n} seconds.").format(n=math.ceil(wait))
    if password_matches(given, expected):
        lockout.success(client)
        return True, ""
    lockout.failure(client)
    wait = lockout.seconds_locked(client)
    wrong = _(_WRONG[what]) if what in _WRONG else _("Wrong {what}.").format(what=what)
    if wait > 0:
        return False, _("{wrong} Too many attempts: the form is locked for {n} seconds.").format(
            wrong=wrong, n=math.ceil(wait))
    return False, wrong


# What a wrong credential is called, a whole sentence each (the words' genders differ in French and Spanish).
_WRONG = {"password": N_("Wrong password."), "token": N_("Wrong token.")}
