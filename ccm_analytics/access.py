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
Wrong credentials are counted per client and over all clients (DOMAIN.md section 9):

- five from one client within ten minutes lock that client for a minute, and each further lock of
  it lasts twice as long (1, 2, 4, ... minutes, at most an hour);
- ten from all clients together within ten minutes lock the form for everyone for ten minutes,
  and each further lock lasts twice as long (10, 20, 40, then 60 minutes);
- a right credential brings the client (and everyone's count) back to the first step.

Whatever a guesser rotates (addresses, headers, sessions), every wrong try counts towards the
overall limit: at most 10 wrong tries before everyone waits, 30 in the first hour, then 10 an hour
(260 in a day).

The client is the address of the computer connected to the server (the TCP peer), never an
``X-Forwarded-For`` header, which anyone can write; unless the operator names the reverse proxies
in ``CCM_TRUSTED_PROXIES`` (addresses or networks, comma-separated): a request from one of them is
counted for the right-most address in ``X-Forwarded-For`` that is not one of them
(:func:`client_address`).
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from .i18n import N_, _
from .errors import UsageError

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_FAILURES = 5  # wrong credentials from one client within the window: that client is locked
MAX_GLOBAL_FAILURES = 10  # wrong credentials from all clients together within the window: everyone is locked
WINDOW_SECONDS = 600.0
LOCK_SECONDS = 60.0  # a client's first lock; each further one doubles
GLOBAL_LOCK_SECONDS = 600.0  # everyone's first lock; each further one doubles
MAX_LOCK_SECONDS = 3600.0  # no lock is longer than an hour
EVERYONE = "*"
TRUSTED_PROXIES_ENV = "CCM_TRUSTED_PROXIES"


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


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(environ=os.environ) -> tuple[Network, ...]:
    """The reverse proxies named in ``CCM_TRUSTED_PROXIES``: addresses or networks (CIDR), comma-separated.

    Raises UsageError naming the value that is not an address or a network.
    """

    out = []
    for item in environ.get(TRUSTED_PROXIES_ENV, "").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError as e:
            raise UsageError(_("{name}: '{value}' is not an IP address or a network such as 10.0.0.0/8. "
                               "Name the reverse proxies' addresses, comma-separated, or unset {name}.").format(
                name=TRUSTED_PROXIES_ENV, value=item)) from e
    return tuple(out)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as a proxy writes it in ``X-Forwarded-For`` (``1.2.3.4``, ``1.2.3.4:80``, ``[::1]:80``);
    an IPv4 address written as IPv6 (``::ffff:1.2.3.4``) is the IPv4 address."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address, proxies: tuple[Network, ...]) -> bool:
    if address is None:
        return False
    return any(address.version == net.version and address in net for net in proxies)


def client_address(peer: str | None, forwarded_for: list[str] | tuple[str, ...] | str | None,
                   proxies: tuple[Network, ...]) -> str | None:
    """Who is asking, for the lockout: the TCP peer, unless it is one of the trusted ``proxies``.

    A request from a trusted proxy is counted for the right-most address of ``X-Forwarded-For``
    (all its headers, in order) that is not a trusted proxy: each proxy appends the address it
    was connected from, so everything to the left of that one may have been written by the
    client itself. A header with no such usable address counts for the proxy itself.

    >>> client_address("203.0.113.9", "1.1.1.1", ())  # no trusted proxy: the header is ignored
    '203.0.113.9'
    >>> nets = (ipaddress.ip_network("10.0.0.0/8"),)
    >>> client_address("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.3", nets)
    '198.51.100.7'
    """
    if not peer or not proxies or not _trusted(_address(peer), proxies):
        return peer
    values = [forwarded_for] if isinstance(forwarded_for, str) else list(forwarded_for or ())
    entries = [e for v in values for e in v.split(",")]
    for entry in reversed(entries):
        address = _address(entry)
        if address is None:
            break  # not an address: the chain cannot be followed further
        if not _trusted(address, proxies):
            return str(address)
    return peer


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


def startup_notice(url: str, token: str, policy: Policy, code: str | None = None) -> str:
    """What the server prints at start: how to change the data (a one-use link, and the token to type), and a
    warning when exposed."""
    lines = []
    if policy.open_without_credential:
        lines.append(_("CCM_OPEN_LOCAL=1: anyone who reaches this server may change the data (loopback only)."))
    elif not policy.password_set:
        lines += [_("To change the data, open {link} (the link works once)").format(
                      link=f"{url}/data?code={code or link_code()}"),
                  _("(or type this start-up token on the Data page: {token})").format(token=token)]
    if policy.exposed_without_password:
        lines.append(_("WARNING: this server listens beyond this computer and no admin password is set. "
                       "Set CCM_ADMIN_PASSWORD before sharing the address."))
    return "\n".join(lines)


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (the time taken does not reveal how much matched)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Lockout:
    """Counts wrong credentials per client and over all clients, with locks that double.

    ``max_failures`` within ``window`` seconds from one client lock it for ``lock`` seconds;
    ``max_global`` within the window from all clients together lock everyone for ``global_lock``
    seconds. Each further lock of the same client (or of everyone) lasts twice as long as the one
    before, up to ``max_lock``; a right credential starts the client (and everyone) from the first
    step again. The count of a key is cleared when it locks.
    """

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS, lock: float = LOCK_SECONDS,
                 clock=time.monotonic, max_global: int = MAX_GLOBAL_FAILURES,
                 global_lock: float = GLOBAL_LOCK_SECONDS, max_lock: float = MAX_LOCK_SECONDS):
        self.max_failures, self.window, self.lock, self.max_global = max_failures, window, lock, max_global
        self.global_lock, self.max_lock = global_lock, max_lock
        self.clock = clock
        self._failures: dict[str, deque] = defaultdict(deque)
        self._locked_until: dict[str, float] = {}
        self._locks: dict[str, int] = {}  # how many times a key has locked since its last right credential
        self._mutex = threading.Lock()

    def seconds_locked(self, client: str) -> float:
        with self._mutex:
            now = self.clock()
            mine = self._locked_until.get(client, 0.0)
            everyone = self._locked_until.get(EVERYONE, 0.0)
            return max(mine - now, everyone - now, 0.0)

    def _count(self, key: str, now: float, limit: int, first_lock: float) -> None:
        q = self._failures[key]
        q.append(now)
        while q and now - q[0] > self.window:
            q.popleft()
        if len(q) >= limit:
            n = self._locks.get(key, 0)
            self._locked_until[key] = now + min(first_lock * 2 ** n, self.max_lock)
            self._locks[key] = n + 1
            q.clear()

    def _forget_idle(self, now: float) -> None:
        """Drop clients with nothing left to remember (no failure in the window, no lock running, no
        lock to double), so that rotating addresses cannot fill the memory."""
        for key in [k for k, q in self._failures.items() if k != EVERYONE and (not q or now - q[-1] > self.window)
                    and self._locked_until.get(k, 0.0) <= now and not self._locks.get(k)]:
            self._failures.pop(key, None)
            self._locked_until.pop(key, None)

    def failure(self, client: str) -> None:
        with self._mutex:
            now = self.clock()
            self._count(client, now, self.max_failures, self.lock)
            self._count(EVERYONE, now, self.max_global, self.global_lock)
            if len(self._failures) > 1000:
                self._forget_idle(now)

    def success(self, client: str) -> None:
        with self._mutex:
            self._failures.pop(client, None)
            self._locks.pop(client, None)
            self._locks.pop(EVERYONE, None)


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


# --- Who is who: roles, and the one table of what each action needs (DOMAIN.md section 9, "Roles") ---

ROLES = ("viewer", "editor", "admin")  # each role may do everything the ones before it may
ROLE_NAMES = {"viewer": N_("viewer"), "editor": N_("editor"), "admin": N_("admin")}
ACTIONS = {
    "read": "viewer", "download": "viewer",
    "log_contact": "editor", "letterhead": "editor",
    "load": "admin", "rollback": "admin", "restore_sample": "admin", "set_template": "admin", "manage_users": "admin",
}


@dataclass(frozen=True)
class User:
    """Who a session is.

    Attributes:
        name: The name recorded in the history with every change ("" for an anonymous visitor).
        role: One of :data:`ROLES`.
        via: How the session got its rights: "anonymous", "password" (the local users file), "oidc"
            (the organisation's identity provider), "token" (the start-up token or the admin password),
            "open" (``CCM_OPEN_LOCAL=1``).
    """

    name: str
    role: str
    via: str = "anonymous"

    @property
    def signed_in(self) -> bool:
        return self.via in ("password", "oidc")


ANONYMOUS = User("", "viewer")


def role_at_least(role: str, minimum: str) -> bool:
    """Whether ``role`` may do what ``minimum`` may (an unknown role is a viewer)."""
    rank = ROLES.index(role) if role in ROLES else 0
    return rank >= ROLES.index(minimum)


def allowed(user: User, action: str) -> bool:
    """Whether ``user`` may do ``action`` (a key of :data:`ACTIONS`; an unknown action is refused).

    >>> allowed(User("ana", "editor", "password"), "log_contact"), allowed(User("ana", "editor", "password"), "load")
    (True, False)
    """
    return action in ACTIONS and role_at_least(user.role, ACTIONS[action])


def refusal(user: User, action: str) -> str:
    """Why ``user`` may not do ``action``, in a sentence (the role needed and the user's own)."""
    needed = _(ROLE_NAMES[ACTIONS.get(action, "admin")])
    if not user.signed_in and user.via == "anonymous":
        return _("This needs the {role} role: sign in on the Data page.").format(role=needed)
    return _("This needs the {role} role; {name} is signed in as {own}. Ask an admin for the role.").format(
        role=needed, name=user.name, own=_(ROLE_NAMES.get(user.role, "viewer")))


SIGN_IN_MODES = ("local", "oidc")


def sign_in_mode(value: str | None) -> str:
    """The sign-in mode set (``CCM_SIGN_IN`` or ``[ccm] sign_in``): "local" (default) or "oidc".
    UsageError naming the value otherwise."""

    mode = (value or "local").strip().lower()
    if mode not in SIGN_IN_MODES:
        raise UsageError(_("'{value}' is not a way to sign in: set sign_in (or CCM_SIGN_IN) to \"local\" (the users "
                           "file) or \"oidc\" (the organisation's identity provider).").format(value=value))
    return mode


def role_for(email: str, roles) -> str:
    """The role given to an e-mail address in ``[ccm.roles]`` (case does not matter); unknown: viewer."""
    wanted = (email or "").strip().lower()
    for address, role in dict(roles or {}).items():
        if str(address).strip().lower() == wanted and role in ROLES:
            return role
    return "viewer"


# --- The one-use link printed at start-up (DOMAIN.md section 9) ---

LINK_CODE_ENV = "CCM_LINK_CODE"
_LINK_LOCK = threading.Lock()
_LINK_CODE: list[str] = []
_LINK_USED: set[str] = set()


def link_code(environ=os.environ) -> str:
    """This server's one-use link code: ``CCM_LINK_CODE`` when the launcher set it, else made once per process."""
    given = environ.get(LINK_CODE_ENV, "").strip()
    if given:
        return given
    with _LINK_LOCK:
        if not _LINK_CODE:
            _LINK_CODE.append(secrets.token_urlsafe(24))
        return _LINK_CODE[0]


def use_link_code(given: str, client: str, environ=os.environ, lockout: Lockout | None = None) -> tuple[bool, str]:
    """Accept this server's link code once; a used or unknown code is refused (an unknown one counts as a
    wrong credential for the lockout). Returns (ok, message for the user)."""
    lockout = lockout if lockout is not None else LOCKOUT
    wait = lockout.seconds_locked(client)
    if wait > 0:
        return False, _("Too many wrong attempts. Try again in {n} seconds.").format(n=math.ceil(wait))
    code = link_code(environ)
    with _LINK_LOCK:
        if password_matches(given, code):
            if code in _LINK_USED:
                return False, _("This sign-in link has been used already: it works once. Type the start-up token "
                                "on the Data page.")
            _LINK_USED.add(code)
            lockout.success(client)
            return True, ""
    lockout.failure(client)
    wrong = _("This sign-in link is not valid for this server (it changes each time the server starts). Type "
              "the start-up token on the Data page.")
    wait = lockout.seconds_locked(client)
    if wait > 0:
        return False, _("{wrong} Too many attempts: the form is locked for {n} seconds.").format(
            wrong=wrong, n=math.ceil(wait))
    return False, wrong
