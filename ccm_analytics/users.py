"""Named users without an identity provider: a local users file and signed session cookies (DOMAIN.md section 9).

The file (``CCM_USERS_FILE``, default ``users.json`` in the store's folder, ``var/``) holds one entry
per user: a role (:data:`ccm_analytics.access.ROLES`) and an Argon2id hash of the password, never the
password. ``python -m ccm_analytics users add|list|remove|passwd`` manages it. It is written whole
to a temporary file in the same folder, then renamed over the old one (``os.replace``): a reader sees
the old file or the new one, never half of one; its mode is 0600 (only the server's account reads it).

A sign-in gives the browser a session cookie signed (HMAC-SHA256, ``itsdangerous``) with a secret
kept next to the users file (``<users file>.key``, 0600, made on first use). The cookie names the user
and a fingerprint of the user's password hash, and is valid for :data:`SESSION_SECONDS`: a new
password or a removed user ends every session of that user at once, and the role is read from the
file on every page run (a changed role applies at the next click).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from .access import ROLES, User
from .errors import UsageError
from .i18n import _
from .store import default_path

USERS_FILE_ENV = "CCM_USERS_FILE"
COOKIE = "ccm_session"
SESSION_SECONDS = 12 * 3600
MIN_PASSWORD = 10
NAME_RE = re.compile(r"[\w.@+-]{1,64}")  # letters (any script), digits and . _ @ + -: shown as is in the history
_HASHER = PasswordHasher()  # Argon2id with the library's current defaults (RFC 9106, low-memory profile)
_DUMMY_HASH = _HASHER.hash("not a password: checked for unknown names so that they take as long")
_LOCK = threading.Lock()


def users_path(environ=os.environ) -> Path:
    """The users file: ``CCM_USERS_FILE`` when set, else ``users.json`` next to the store (``var/``)."""

    given = environ.get(USERS_FILE_ENV, "").strip()
    return Path(given) if given else default_path().parent / "users.json"


def check_name(name: str) -> str:
    """The name as stored; UsageError when it is empty, too long or has other characters than ``NAME_RE``'s."""
    if not NAME_RE.fullmatch(name or ""):
        raise UsageError(_("'{name}' cannot be a user name: use 1 to 64 letters, digits or . _ @ + - (no spaces), "
                           "e.g. jane.doe or jane@isu.example.").format(name=name))
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(_("'{role}' is not a role: use viewer, editor or admin.").format(role=role))
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(_("The password is too short: use at least {n} characters (a few words make a good "
                           "one).").format(n=MIN_PASSWORD))
    return password


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, then ``os.replace``), mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Entry:
    name: str
    role: str
    hash: str

    @property
    def fingerprint(self) -> str:
        """Changes when the password changes: a session cookie carries it, so a new password ends old sessions."""
        return hashlib.sha256(self.hash.encode()).hexdigest()[:16]


class UsersFile:
    """The local users file at ``path`` (see the module's docstring)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else users_path()

    def entries(self) -> dict[str, Entry]:
        """Every user by name; none when the file does not exist. UsageError when it cannot be read."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as e:
            raise UsageError(_("The users file {file} cannot be read: {reason}").format(
                file=self.path, reason=e.strerror or e)) from e
        try:
            raw = json.loads(text)
            return {name: Entry(name, check_role(u["role"]), str(u["hash"])) for name, u in raw["users"].items()}
        except (ValueError, KeyError, TypeError, AttributeError, UsageError) as e:
            raise UsageError(_("The users file {file} is damaged ({reason}); restore it from a backup or remove it "
                               "and add the users again.").format(file=self.path, reason=e)) from e

    def _save(self, entries: dict[str, Entry]) -> None:
        body = {"users": {n: {"role": e.role, "hash": e.hash} for n, e in sorted(entries.items())}}
        _write_private(self.path, json.dumps(body, indent=2, ensure_ascii=False) + "\n")

    def add(self, name: str, role: str, password: str) -> Entry:
        check_name(name), check_role(role), check_password(password)
        with _LOCK:
            entries = self.entries()
            if name in entries:
                raise UsageError(_("There is already a user named '{name}': 'users passwd' changes the password, "
                                   "'users remove' removes the user.").format(name=name))
            entries[name] = Entry(name, role, _HASHER.hash(password))
            self._save(entries)
            return entries[name]

    def _known(self, entries: dict[str, Entry], name: str) -> Entry:
        if name not in entries:
            raise UsageError(_("There is no user named '{name}' in {file}.").format(name=name, file=self.path))
        return entries[name]

    def require(self, name: str) -> Entry:
        """The user named ``name``; UsageError naming the file when there is none."""
        return self._known(self.entries(), name)

    def remove(self, name: str) -> None:
        with _LOCK:
            entries = self.entries()
            self._known(entries, name)
            del entries[name]
            self._save(entries)

    def passwd(self, name: str, password: str) -> None:
        check_password(password)
        with _LOCK:
            entries = self.entries()
            old = self._known(entries, name)
            entries[name] = Entry(name, old.role, _HASHER.hash(password))
            self._save(entries)

    def verify(self, name: str, password: str) -> Entry | None:
        """The user when the name is known and the password right, else None (unknown names take as long)."""
        entry = self.entries().get(name)
        try:
            _HASHER.verify(entry.hash if entry else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return entry


# --- Session cookies ---

class _ClockSigner(TimestampSigner):
    """itsdangerous' timestamp signer with the clock given (tests move time instead of sleeping)."""

    clock = staticmethod(time.time)

    def get_timestamp(self) -> int:
        return int(self.clock())


def session_secret(users_file: Path) -> bytes:
    """The server's secret for session cookies, kept next to the users file (made on first use, mode 0600)."""
    key = users_file.with_name(users_file.name + ".key")
    try:
        return bytes.fromhex(key.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        with _LOCK:
            if not key.exists():
                _write_private(key, secrets.token_hex(32) + "\n")
        return bytes.fromhex(key.read_text(encoding="ascii").strip())
    except ValueError as e:
        raise UsageError(_("The session key {file} is damaged: remove it (everyone then signs in again).").format(
            file=key)) from e


class Sessions:
    """Issue and check signed session cookies for the users of ``users``.

    Args:
        users: The users file. clock: Seconds since the epoch (tests pass their own).
        max_age: How long a sign-in lasts, in seconds.
    """

    def __init__(self, users: UsersFile, clock=time.time, max_age: int = SESSION_SECONDS):
        self.users, self.max_age = users, max_age
        signer = type("Signer", (_ClockSigner,), {"clock": staticmethod(clock)})
        self._serializer = URLSafeTimedSerializer(session_secret(users.path), salt="ccm-session", signer=signer,
                                                  signer_kwargs={"digest_method": hashlib.sha256})

    def issue(self, entry: Entry) -> str:
        return self._serializer.dumps({"u": entry.name, "f": entry.fingerprint})

    def check(self, cookie: str | None) -> tuple[User | None, str]:
        """The signed-in user for a cookie, or (None, why): "" when there is no cookie, else a sentence."""
        if not cookie:
            return None, ""
        try:
            data = self._serializer.loads(cookie, max_age=self.max_age)
        except SignatureExpired:
            return None, _("Your sign-in has expired (it lasts {n} hours): sign in again.").format(
                n=self.max_age // 3600)
        except BadSignature:
            return None, _("Your sign-in is not valid on this server (it was made elsewhere, or the session key "
                           "changed): sign in again.")
        entry = self.users.entries().get(data.get("u", "")) if isinstance(data, dict) else None
        if entry is None or entry.fingerprint != data.get("f"):
            return None, _("Your sign-in has ended: the user was removed or the password changed. Sign in again.")
        return User(entry.name, entry.role, "password"), ""
