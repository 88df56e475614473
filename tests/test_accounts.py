"""Workspace accounts: Argon2 hashes, sessions kept in the store, the login throttle, roles."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from rpa.accounts import (
    Actor,
    add_user,
    disable_user,
    ensure,
    list_users,
    log_in,
    log_out,
    login_delay,
    session_actor,
    set_password,
)
from rpa.config import Settings
from rpa.errors import Forbidden, LoginFailed, LoginLocked, RpaError
from rpa.store import Store
from rpa.store.accounts import Accounts

PASSWORD = "correct horse battery staple"


def _web(settings: Settings, **changes):  # noqa: ANN202
    return dataclasses.replace(settings.web, **changes)


def test_a_password_is_stored_as_an_argon2_hash(store: Store) -> None:
    user = add_user(store, "Alice", "agent", PASSWORD, actor="admin")
    assert user.name == "alice"  # names are case-insensitive
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("bob", "boss", PASSWORD, "unknown role"),
        ("bob smith", "agent", PASSWORD, "invalid user name"),
        ("bob", "agent", "short", "at least 10"),
        ("bobbobbobbob", "agent", "bobbobbobbob", "must not be the user name"),
    ],
)
def test_a_bad_account_is_refused_with_a_reason(store: Store, name, role, password, message) -> None:  # noqa: ANN001
    with pytest.raises(RpaError, match=message):
        add_user(store, name, role, password, actor="admin")


def test_a_user_name_is_unique(store: Store) -> None:
    add_user(store, "alice", "agent", PASSWORD, actor="admin")
    with pytest.raises(RpaError, match="already exists"):
        add_user(store, "ALICE", "supervisor", PASSWORD, actor="admin")


def test_logging_in_opens_a_session_the_token_finds_again(store: Store, settings: Settings) -> None:
    add_user(store, "alice", "supervisor", PASSWORD, actor="admin")
    result = log_in(store, settings.web, "alice", PASSWORD, "10.0.0.1")
    actor = session_actor(store, result.token)
    assert (actor.name, actor.role) == ("alice", "supervisor")
    assert actor.csrf_token == result.actor.csrf_token and len(actor.csrf_token) >= 32
    assert result.token not in str(Accounts(store).session(actor.session_id, datetime.now(UTC)))


def test_a_wrong_password_or_unknown_user_says_the_same(store: Store, settings: Settings) -> None:
    add_user(store, "alice", "agent", PASSWORD, actor="admin")
    with pytest.raises(LoginFailed) as wrong:
        log_in(store, settings.web, "alice", "wrong password!", None)
    with pytest.raises(LoginFailed) as unknown:
        log_in(store, settings.web, "nobody", PASSWORD, None)
    assert str(wrong.value) == str(unknown.value)


def test_a_session_ends_at_logout_and_when_it_expires(store: Store, settings: Settings) -> None:
    add_user(store, "alice", "agent", PASSWORD, actor="admin")
    first = log_in(store, settings.web, "alice", PASSWORD, None)
    second = log_in(store, settings.web, "alice", PASSWORD, None)
    assert first.token != second.token
    log_out(store, first.actor)
    assert session_actor(store, first.token) is None
    assert session_actor(store, second.token) is not None
    later = datetime.now(UTC) + timedelta(hours=settings.web.session_hours, minutes=1)
    assert session_actor(store, second.token, now=later) is None


def test_disabling_a_user_or_changing_the_password_ends_their_sessions(
    store: Store, settings: Settings
) -> None:
    add_user(store, "alice", "agent", PASSWORD, actor="admin")
    session = log_in(store, settings.web, "alice", PASSWORD, None)
    set_password(store, "alice", "another long password", actor="admin")
    assert session_actor(store, session.token) is None
    session = log_in(store, settings.web, "alice", "another long password", None)
    disable_user(store, "alice", actor="admin")
    assert session_actor(store, session.token) is None
    with pytest.raises(LoginFailed):
        log_in(store, settings.web, "alice", "another long password", None)
    assert [(u.name, u.disabled) for u in list_users(store)] == [("alice", True)]


def test_failed_logins_slow_down_then_lock_the_account(store: Store, settings: Settings) -> None:
    web = _web(settings, login_delay_after=2, login_lock_after=4, login_lock_minutes=10)
    add_user(store, "alice", "agent", PASSWORD, actor="admin")
    now = datetime.now(UTC)
    delays = []
    for attempt in range(3):
        delays.append(login_delay(store, web, "alice", "10.0.0.9", now))
        with pytest.raises(LoginFailed):
            log_in(store, web, "alice", f"wrong-{attempt}", "10.0.0.9", now)
    assert delays[:2] == [0.0, 0.0] and delays[2] == 1.0
    assert login_delay(store, web, "alice", "10.0.0.9", now) == 2.0
    with pytest.raises(LoginFailed):
        log_in(store, web, "alice", "wrong-3", "10.0.0.9", now)
    with pytest.raises(LoginLocked) as locked:
        log_in(store, web, "alice", PASSWORD, "10.0.0.9", now)
    assert 0 < locked.value.retry_after <= 600
    assert (
        log_in(store, web, "alice", PASSWORD, "10.0.0.9", now + timedelta(minutes=11)).actor.name == "alice"
    )


def test_one_address_guessing_many_accounts_is_locked_too(store: Store, settings: Settings) -> None:
    web = _web(settings, login_delay_after=1, login_lock_after=3)
    now = datetime.now(UTC)
    for name in ("a1", "b2", "c3"):
        with pytest.raises(LoginFailed):
            log_in(store, web, name, "guess guess guess", "192.0.2.7", now)
    with pytest.raises(LoginLocked):
        login_delay(store, web, "someone-else", "192.0.2.7", now)
    assert login_delay(store, web, "someone-else", "192.0.2.8", now) == 0.0


def test_a_success_clears_the_account_s_failures(store: Store, settings: Settings) -> None:
    web = _web(settings, login_delay_after=1, login_lock_after=5)
    add_user(store, "alice", "agent", PASSWORD, actor="admin")
    with pytest.raises(LoginFailed):
        log_in(store, web, "alice", "nope nope nope", None)
    assert login_delay(store, web, "alice", None) == 1.0
    log_in(store, web, "alice", PASSWORD, None)
    assert login_delay(store, web, "alice", None) == 0.0


def test_a_hash_made_with_weaker_parameters_is_replaced_at_login(store: Store, settings: Settings) -> None:
    add_user(store, "alice", "agent", PASSWORD, actor="admin")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    Accounts(store).update_user("alice", actor="test", action="password_rehashed", password_hash=weak)
    log_in(store, settings.web, "alice", PASSWORD, None)
    renewed = Accounts(store).user("alice").password_hash
    assert renewed != weak and not PasswordHasher().check_needs_rehash(renewed)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("agent", {"review"}),
        ("supervisor", {"review", "reassign", "dashboard", "audit", "retry"}),
        ("admin", {"review", "reassign", "dashboard", "audit", "retry", "manage_users"}),
    ],
)
def test_each_role_may_do_what_the_roles_below_it_may(role: str, allowed: set[str]) -> None:
    actor = Actor("x", role, "x", None, "s", "c")
    for permission in ("review", "reassign", "dashboard", "audit", "retry", "manage_users"):
        if permission in allowed:
            ensure(actor, permission)
        else:
            with pytest.raises(Forbidden):
                ensure(actor, permission)
