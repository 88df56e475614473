"""Who may use the workspace, and what each role may do.

Local accounts carry an Argon2 password hash (argon2-cffi), rehashed at login
when the hashing parameters change. A login opens a session kept in the store:
the browser holds a random token, the store its SHA-256, so that copying the
database opens no session. Disabling a user or changing their password ends
their sessions.

Failed logins are counted per account and per address: after
`[web] login_delay_after` failures each try waits longer (1 s, 2 s, 4 s... up
to 30 s), and after `login_lock_after` the account or address is refused for
`login_lock_minutes`. Every failure is logged with the name and address, never
the password.

Roles are cumulative: a supervisor may do what an agent may, an admin what a
supervisor may. `ensure(actor, permission)` is the one place that decides.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rpa.config import ROLES, WebSettings
from rpa.errors import Forbidden, LoginFailed, LoginLocked, RpaError
from rpa.store import Store
from rpa.store.accounts import Accounts, UserRecord

__all__ = [
    "PERMISSIONS",
    "Actor",
    "LoginResult",
    "add_user",
    "disable_user",
    "ensure",
    "list_users",
    "log_in",
    "log_in_external",
    "log_out",
    "login_delay",
    "session_actor",
    "set_language",
    "set_password",
]

log = logging.getLogger("rpa.web.auth")

# The least role that may do each thing.
PERMISSIONS: dict[str, str] = {
    "review": "agent",  # the queue, messages, claims, corrections, drafts, the knowledge base
    "reassign": "supervisor",  # give a message to an agent, release another's claim
    "dashboard": "supervisor",
    "audit": "supervisor",  # every audit trail
    "retry": "supervisor",  # process a failed mail again
    "manage_users": "admin",
}
MIN_PASSWORD_LENGTH = 10
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,149}")
_SEEN_EVERY = timedelta(minutes=1)  # a session's last use is written at most this often
_MAX_DELAY = 30.0


@dataclass(frozen=True)
class Actor:
    """Who makes a request: the session's user."""

    name: str
    role: str
    label: str  # display name, else the name
    language: str | None
    session_id: str
    csrf_token: str

    def may(self, permission: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(PERMISSIONS[permission])


def ensure(actor: Actor, permission: str) -> None:
    """Raise `Forbidden` unless the actor's role allows `permission`."""
    if not actor.may(permission):
        raise Forbidden(f"{actor.name} ({actor.role}) may not do this: it needs {PERMISSIONS[permission]}")


@dataclass(frozen=True)
class LoginResult:
    token: str  # the cookie's value: shown once, never stored
    actor: Actor
    expires_at: datetime


# -- accounts ---------------------------------------------------------------------


def _hasher():  # noqa: ANN202 - argon2.PasswordHasher, imported where needed
    from argon2 import PasswordHasher

    return PasswordHasher()


def _check_name(name: str) -> str:
    folded = name.strip().lower()
    if not _NAME.fullmatch(folded):
        raise RpaError(f"invalid user name {name!r}: use letters, digits and . _ @ - (at most 150)")
    return folded


def _check_password(name: str, password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RpaError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip().lower() == name:
        raise RpaError("the password must not be the user name")
    return _hasher().hash(password)


def add_user(
    store: Store, name: str, role: str, password: str | None, *, actor: str, display_name: str | None = None
) -> UserRecord:
    """A local account; `password` None makes one that only single sign-on can open."""
    name = _check_name(name)
    if role not in ROLES:
        raise RpaError(f"unknown role {role!r}: {', '.join(ROLES)}")
    hashed = _check_password(name, password) if password is not None else None
    return Accounts(store).add_user(name, role, hashed, actor=actor, display_name=display_name)


def list_users(store: Store) -> list[UserRecord]:
    return Accounts(store).users()


def disable_user(store: Store, name: str, *, actor: str) -> UserRecord:
    """The user can no longer log in, and their open sessions end now."""
    return Accounts(store).update_user(_check_name(name), actor=actor, action="user_disabled", disabled=True)


def set_password(store: Store, name: str, password: str, *, actor: str) -> UserRecord:
    """A new password (re-enabling a disabled account); the user's sessions end."""
    name = _check_name(name)
    return Accounts(store).update_user(
        name,
        actor=actor,
        action="password_changed",
        password_hash=_check_password(name, password),
        disabled=False,
    )


def set_language(store: Store, actor: Actor, language: str | None) -> None:
    Accounts(store).update_user(actor.name, actor=actor.name, action="language_set", language=language)


# -- logging in -------------------------------------------------------------------


def _keys(name: str, address: str | None) -> list[str]:
    keys = [f"user:{name.strip().lower()[:150]}"]
    if address:
        keys.append(f"address:{address}")
    return keys


def login_delay(
    store: Store, web: WebSettings, name: str, address: str | None, now: datetime | None = None
) -> float:
    """Seconds to wait before trying this login, from the failures counted so far;
    raises `LoginLocked` while the account or the address is refused."""
    now = now or datetime.now(UTC)
    accounts = Accounts(store)
    window = timedelta(minutes=web.login_lock_minutes)
    delay = 0.0
    for key in _keys(name, address):
        failures = accounts.failures(key)
        if failures is None or failures.last_at < now - window:
            continue
        if failures.locked_until is not None and failures.locked_until > now:
            wait = (failures.locked_until - now).total_seconds()
            raise LoginLocked(
                f"too many failed logins: try again in {max(1, round(wait / 60))} minute(s)", retry_after=wait
            )
        if failures.failures >= web.login_delay_after:
            delay = max(delay, min(_MAX_DELAY, 2.0 ** (failures.failures - web.login_delay_after)))
    return delay


def log_in(
    store: Store, web: WebSettings, name: str, password: str, address: str | None, now: datetime | None = None
) -> LoginResult:
    """Check the name and password and open a session; `LoginFailed` says nothing of which was wrong."""
    now = now or datetime.now(UTC)
    login_delay(store, web, name, address, now)  # raises while locked
    accounts = Accounts(store)
    folded = name.strip().lower()
    user = accounts.find_user(folded) if _NAME.fullmatch(folded) else None
    if not _password_matches(user, password):
        _count_failure(accounts, web, name, address, now)
        raise LoginFailed("wrong user name or password")
    assert user is not None
    for key in _keys(folded, None):
        accounts.clear_failures(key)
    if _hasher().check_needs_rehash(user.password_hash):
        accounts.update_user(
            user.name, actor=user.name, action="password_rehashed", password_hash=_hasher().hash(password)
        )
    return _open_session(accounts, web, user, address, now)


def log_in_external(
    store: Store,
    web: WebSettings,
    *,
    subject: str,
    name: str,
    role: str,
    display_name: str | None,
    address: str | None,
) -> LoginResult:
    """A session for a user that single sign-on vouched for: the account is made or updated
    (its role follows the provider's groups), unless an admin disabled it."""
    accounts = Accounts(store)
    user = accounts.user_by_subject(subject)
    if user is None:
        user = Accounts(store).add_user(
            _unique_name(accounts, _check_name(name)),
            role,
            None,
            actor="sso",
            display_name=display_name,
            oidc_subject=subject,
        )
    elif user.role != role or user.display_name != display_name:
        user = accounts.update_user(
            user.name, actor="sso", action="sso_updated", role=role, display_name=display_name
        )
    if user.disabled:
        raise LoginFailed(f"the account {user.name} is disabled")
    return _open_session(accounts, web, user, address, datetime.now(UTC))


def _unique_name(accounts: Accounts, name: str) -> str:
    candidate, number = name, 1
    while accounts.find_user(candidate) is not None:
        number += 1
        candidate = f"{name}-{number}"
    return candidate


def _password_matches(user: UserRecord | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    if user is None or user.disabled or not user.password_hash:
        hasher.hash(password)  # as slow as a real check: timing tells nothing
        return False
    try:
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _count_failure(
    accounts: Accounts, web: WebSettings, name: str, address: str | None, now: datetime
) -> None:
    window = timedelta(minutes=web.login_lock_minutes)
    counts = []
    for key in _keys(name, address):
        record = accounts.record_failure(
            key, now, window_start=now - window, lock_after=web.login_lock_after, locked_until=now + window
        )
        counts.append(f"{key.split(':')[0]} {record.failures}")
    log.warning(
        "login failed for user %r from %s (failures: %s)", name[:150], address or "?", ", ".join(counts)
    )


def _open_session(
    accounts: Accounts, web: WebSettings, user: UserRecord, address: str | None, now: datetime
) -> LoginResult:
    token = secrets.token_urlsafe(32)
    session_id = _session_id(token)
    csrf = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=web.session_hours)
    accounts.create_session(session_id, user, csrf, expires, address)
    log.info("user %s logged in from %s", user.name, address or "?")
    return LoginResult(token, _actor(user, session_id, csrf), expires)


def session_actor(store: Store, token: str | None, now: datetime | None = None) -> Actor | None:
    """The actor of a live session, or None (unknown, expired, or its user disabled)."""
    if not token or len(token) > 100:
        return None
    now = now or datetime.now(UTC)
    accounts = Accounts(store)
    session_id = _session_id(token)
    session = accounts.session(session_id, now)
    if session is None:
        return None
    if now - session.seen_at > _SEEN_EVERY:
        accounts.touch_session(session_id, now)
    return _actor(session.user, session_id, session.csrf_token)


def log_out(store: Store, actor: Actor) -> None:
    Accounts(store).end_session(actor.session_id, actor=actor.name)
    log.info("user %s logged out", actor.name)


def _actor(user: UserRecord, session_id: str, csrf: str) -> Actor:
    return Actor(user.name, user.role, user.label, user.language, session_id, csrf)


def _session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
