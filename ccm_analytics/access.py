"""Who may change the data: the admin password, loopback-only default, and a lockout.

Anyone who can reach the app may look. Uploading, rolling back, restoring the sample and
setting the slide template need the admin password (``CCM_ADMIN_PASSWORD``, or
``admin_password`` in Streamlit's secrets), compared in constant time. With no password set,
changes are allowed only while the server listens on loopback (the shipped default). Five
wrong passwords within a minute from one client lock the form for that client for a minute.
"""

from __future__ import annotations

import hmac
import math
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_FAILURES = 5
WINDOW_SECONDS = 60.0
LOCK_SECONDS = 60.0


@dataclass(frozen=True)
class Policy:
    """What the server's configuration allows.

    Attributes:
        password_set: An admin password is configured.
        loopback: The server listens on loopback only.
    """

    password_set: bool
    loopback: bool

    @property
    def open_without_password(self) -> bool:
        return not self.password_set and self.loopback

    @property
    def locked_down(self) -> bool:
        """No password, and reachable from other machines: changes are off."""
        return not self.password_set and not self.loopback

    def explain(self) -> str:
        if self.password_set:
            return "Changing the data needs the admin password."
        if self.loopback:
            return ("No admin password is set. Because this server only listens on this computer (127.0.0.1), "
                    "anyone using it may change the data. Set CCM_ADMIN_PASSWORD before opening it to a network.")
        return ("Changing the data is switched off: this server can be reached from other computers and no admin "
                "password is set. To switch it on, set the environment variable CCM_ADMIN_PASSWORD (or "
                "admin_password in .streamlit/secrets.toml) and restart the app.")


def is_loopback(address: str | None) -> bool:
    """Whether a server address binds to this machine only (an empty address means all interfaces)."""
    return bool(address) and address.strip() in LOOPBACK


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (the time taken does not reveal how much matched)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Lockout:
    """Counts wrong passwords per client; five within a minute lock that client for a minute."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS, lock: float = LOCK_SECONDS,
                 clock=time.monotonic):
        self.max_failures, self.window, self.lock = max_failures, window, lock
        self.clock = clock
        self._failures: dict[str, deque] = defaultdict(deque)
        self._locked_until: dict[str, float] = {}
        self._mutex = threading.Lock()

    def seconds_locked(self, client: str) -> float:
        with self._mutex:
            return max(self._locked_until.get(client, 0.0) - self.clock(), 0.0)

    def failure(self, client: str) -> None:
        with self._mutex:
            now = self.clock()
            q = self._failures[client]
            q.append(now)
            while q and now - q[0] > self.window:
                q.popleft()
            if len(q) >= self.max_failures:
                self._locked_until[client] = now + self.lock
                q.clear()

    def success(self, client: str) -> None:
        with self._mutex:
            self._failures.pop(client, None)


LOCKOUT = Lockout()


def check_password(given: str, expected: str, client: str, lockout: Lockout = LOCKOUT) -> tuple[bool, str]:
    """Check a password for one client; returns (ok, message for the user)."""
    wait = lockout.seconds_locked(client)
    if wait > 0:
        return False, f"Too many wrong passwords. Try again in {math.ceil(wait)} seconds."
    if password_matches(given, expected):
        lockout.success(client)
        return True, ""
    lockout.failure(client)
    wait = lockout.seconds_locked(client)
    if wait > 0:
        return False, f"Wrong password. Too many attempts: the form is locked for {math.ceil(wait)} seconds."
    return False, "Wrong password."
