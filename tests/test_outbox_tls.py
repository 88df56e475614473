"""`rpa send` over TLS (STARTTLS and implicit) and with XOAUTH2, through a real aiosmtpd.

The SMTP server's certificate comes from a CA made for the test; so does the
mailbox's (`secure_dovecot`), where the customer's mail is taken and the Sent
copy goes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_mail, run_rpa
from oauth import TokenIntrospection, token_command
from servers import Certificates, Dovecot, SmtpSink, daemon_env, run_once

from rpa.config import load_settings
from rpa.store import Store

pytest_plugins = ["servers"]  # secure_dovecot, certificates, token_introspection

CUSTOMER_MAIL = make_mail(
    "Bonjour,\n\nJe déclare un dégât des eaux survenu le 14 mars 2025. Contrat HAB-20931874.\n",
    message_id="<claim-tls@example.fr>",
)


@pytest.fixture
def sink(
    request: pytest.FixtureRequest, certificates: Certificates, token_introspection: TokenIntrospection
) -> SmtpSink:
    """An SMTP server with `security` starttls (the default) or ssl, given by indirect parametrisation."""
    server = SmtpSink(
        security=getattr(request, "param", "starttls"), certificates=certificates, oauth=token_introspection
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def env(secure_dovecot: Dovecot, sink: SmtpSink, tmp_path: Path) -> dict[str, str]:
    """A reply approved and waiting, with RPA_IMAP_* and RPA_SMTP_* both over TLS."""
    user = secure_dovecot.new_user()
    env = daemon_env(secure_dovecot, user, **sink.env(), RPA_HOME=str(tmp_path))
    secure_dovecot.append(user, [CUSTOMER_MAIL])
    run_once(env)
    with Store.open(load_settings(environ=env)) as store:
        store.approve(1, actor="alice")
    return env


def draft_state(env: dict[str, str]) -> tuple[str, str | None]:
    with Store.open(load_settings(environ=env)) as store:
        draft = store.draft_for(1)
    return draft.status.value, draft.send_error


@pytest.mark.parametrize("sink", ["starttls", "ssl"], indirect=True)
def test_an_approved_reply_is_sent_over_tls_trusting_the_internal_ca(
    secure_dovecot: Dovecot, sink: SmtpSink, env: dict[str, str], tmp_path: Path
) -> None:
    sent = run_rpa("send", home=tmp_path, env=env)

    assert sent.returncode == 0, sent.stdout + sent.stderr
    (reply,) = sink.received
    assert reply["In-Reply-To"] == "<claim-tls@example.fr>"
    assert draft_state(env) == ("sent", None)
    sent_copies = secure_dovecot.messages(env["RPA_IMAP_USER"], "Sent")
    assert [m["Message-ID"] for m in sent_copies] == [reply["Message-ID"]]


@pytest.mark.parametrize("sink", ["starttls", "ssl"], indirect=True)
def test_without_the_ca_file_the_reply_waits_and_the_refused_certificate_is_named(
    sink: SmtpSink, env: dict[str, str], tmp_path: Path
) -> None:
    sent = run_rpa("send", home=tmp_path, env={**env, "RPA_SMTP_CA_FILE": ""})

    refusal = (
        f"the TLS certificate of 127.0.0.1:{sink.port} was not accepted: unable to get local issuer "
        "certificate; if an internal CA signed it, set [smtp] ca_file (RPA_SMTP_CA_FILE) to the CA's PEM file"
    )
    assert sent.returncode == 1 and f"message 1: failed {refusal}" in sent.stdout
    assert sink.received == []
    assert draft_state(env) == ("approved", refusal)


def test_a_reply_is_sent_with_xoauth2_and_the_token_helper(
    sink: SmtpSink, token_introspection: TokenIntrospection, env: dict[str, str], tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(token_introspection.grant(sink.user))
    xoauth2 = {"RPA_SMTP_AUTH": "xoauth2", "RPA_SMTP_PASSWORD": "", "RPA_IMAP_TOKEN_FILE": str(token_file)}

    sent = run_rpa("send", home=tmp_path, env={**env, **xoauth2})

    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert len(sink.received) == 1 and draft_state(env) == ("sent", None)


def test_a_cached_xoauth2_token_the_smtp_server_refuses_is_replaced_by_a_fresh_one(
    sink: SmtpSink, token_introspection: TokenIntrospection, env: dict[str, str], tmp_path: Path
) -> None:
    revoked = token_introspection.grant(sink.user)
    token_introspection.revoke(revoked)
    fresh = token_introspection.grant(sink.user)
    helper = token_command(tmp_path, revoked, fresh)
    xoauth2 = {"RPA_SMTP_AUTH": "xoauth2", "RPA_SMTP_PASSWORD": "", "RPA_IMAP_TOKEN_COMMAND": helper}

    sent = run_rpa("send", home=tmp_path, env={**env, **xoauth2})

    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert [token for token in token_introspection.seen if token in (revoked, fresh)] == [revoked, fresh]
    assert len(sink.received) == 1 and draft_state(env) == ("sent", None)


def test_a_refused_xoauth2_token_keeps_the_reply_approved_as_an_authentication_failure(
    sink: SmtpSink, token_introspection: TokenIntrospection, env: dict[str, str], tmp_path: Path
) -> None:
    invalid = "ya29.never-granted-for-smtp"  # the introspection endpoint is shared: a token of its own
    token_file = tmp_path / "token"
    token_file.write_text(invalid)
    xoauth2 = {"RPA_SMTP_AUTH": "xoauth2", "RPA_SMTP_PASSWORD": "", "RPA_IMAP_TOKEN_FILE": str(token_file)}

    sent = run_rpa("send", home=tmp_path, env={**env, **xoauth2})

    assert sent.returncode == 1
    assert "message 1: failed the SMTP server refused the credentials of smtp-user" in sent.stdout
    assert invalid not in sent.stdout + sent.stderr
    assert token_introspection.seen.count(invalid) == 2  # read again once, no more
    assert sink.received == [] and draft_state(env)[0] == "approved"
