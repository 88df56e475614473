"""`rpa daemon` with XOAUTH2 against Dovecot's oauth2 passdb, which asks a token introspection endpoint.

The endpoint (tests/oauth.py) knows the tokens the test grants; everything else
is inactive. The mailbox is the TLS one (tests/servers.py `secure_dovecot`), as
with Gmail or Microsoft 365.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_mail, run_rpa
from oauth import TokenIntrospection, token_command
from servers import Dovecot, daemon_env

pytest_plugins = ["servers"]  # the secure_dovecot and token_introspection fixtures

KEYWORD = b"$rpa-processed"
CLAIM = make_mail(
    "Bonjour,\n\nJe déclare un sinistre. Contrat HAB-20931000.\n", message_id="<oauth@example.fr>"
)


@pytest.fixture
def user(secure_dovecot: Dovecot) -> str:
    return secure_dovecot.new_user()


def oauth_env(server: Dovecot, user: str, **token_source: str) -> dict[str, str]:
    return daemon_env(server, user, RPA_IMAP_AUTH="xoauth2", RPA_IMAP_PASSWORD="", **token_source)


def asked(introspection: TokenIntrospection, *tokens: str) -> list[str]:
    return [token for token in introspection.seen if token in tokens]


def test_a_token_from_the_token_command_logs_in_and_the_mail_is_taken(
    secure_dovecot: Dovecot, user: str, token_introspection: TokenIntrospection, tmp_path: Path
) -> None:
    secure_dovecot.append(user, [CLAIM])
    token = token_introspection.grant(user)
    env = oauth_env(secure_dovecot, user, RPA_IMAP_TOKEN_COMMAND=token_command(tmp_path, token))

    done = run_rpa("daemon", "--once", home=tmp_path / "home", env=env)

    assert done.returncode == 0, done.stderr
    assert KEYWORD in secure_dovecot.flags(user)[1]
    assert f"Login: user=<{user}>, method=XOAUTH2" in secure_dovecot.log()
    assert asked(token_introspection, token) == [token]


def test_a_cached_token_revoked_early_is_replaced_by_a_fresh_one_from_the_command(
    secure_dovecot: Dovecot, user: str, token_introspection: TokenIntrospection, tmp_path: Path
) -> None:
    secure_dovecot.append(user, [CLAIM])
    revoked = token_introspection.grant(user)
    token_introspection.revoke(revoked)
    fresh = token_introspection.grant(user)
    env = oauth_env(secure_dovecot, user, RPA_IMAP_TOKEN_COMMAND=token_command(tmp_path, revoked, fresh))

    done = run_rpa("daemon", "--once", home=tmp_path / "home", env=env)

    assert done.returncode == 0, done.stderr
    assert asked(token_introspection, revoked, fresh) == [revoked, fresh]
    assert KEYWORD in secure_dovecot.flags(user)[1]


def test_a_token_file_refreshed_while_the_server_refused_its_old_token_is_read_again(
    secure_dovecot: Dovecot,
    user: str,
    token_introspection: TokenIntrospection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secure_dovecot.append(user, [CLAIM])
    expired, fresh = "ya29.expired-an-hour-ago", token_introspection.grant(user)
    token_file = tmp_path / "token"
    token_file.write_text(expired + "\n")
    # The helper that keeps the file fresh gets there just as the server refuses the old token.
    monkeypatch.setattr(
        token_introspection,
        "on_refused",
        lambda token: token_file.write_text(fresh) if token == expired else None,
    )
    env = oauth_env(secure_dovecot, user, RPA_IMAP_TOKEN_FILE=str(token_file))

    done = run_rpa("daemon", "--once", home=tmp_path / "home", env=env)

    assert done.returncode == 0, done.stderr
    assert asked(token_introspection, expired, fresh) == [expired, fresh]
    assert KEYWORD in secure_dovecot.flags(user)[1]


def test_a_permanently_invalid_token_is_an_authentication_failure_and_is_never_shown(
    secure_dovecot: Dovecot, user: str, token_introspection: TokenIntrospection, tmp_path: Path
) -> None:
    invalid = "ya29.never-granted"
    env = oauth_env(secure_dovecot, user, RPA_IMAP_TOKEN_COMMAND=token_command(tmp_path, invalid))

    done = run_rpa("daemon", "--once", home=tmp_path / "home", env=env)

    assert done.returncode == 1
    assert f"error: the server refused the credentials of {user} at 127.0.0.1" in done.stderr
    assert invalid not in done.stderr + done.stdout and "Traceback" not in done.stderr
    assert asked(token_introspection, invalid) == [invalid, invalid]  # asked for again once, no more
