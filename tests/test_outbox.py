"""Sending approved replies through a real aiosmtpd, with copies in a real Dovecot."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import pytest
from conftest import make_mail, run_rpa
from servers import Dovecot, SmtpSink, daemon_env, run_once, start_daemon

from rpa.config import load_settings
from rpa.mailbox import ImapMailbox
from rpa.outbox import Outbox
from rpa.store import Store

pytest_plugins = ["servers"]  # the dovecot, mailbox_user and smtp_sink fixtures

CUSTOMER_MAIL = make_mail(
    "Bonjour,\n\nJe déclare un dégât des eaux survenu le 14 mars 2025. Contrat HAB-20931874.\n\n"
    "Cordialement,\nJean Dupont\n",
    subject="Déclaration de sinistre",
    message_id="<claim-7@example.fr>",
    headers={"References": "<older-1@example.fr>"},
)


@pytest.fixture
def env(dovecot: Dovecot, mailbox_user: str, smtp_sink: SmtpSink) -> dict[str, str]:
    return daemon_env(dovecot, mailbox_user, **smtp_sink.env())


def take_and_approve(home: Path, env: dict[str, str], dovecot: Dovecot, user: str) -> None:
    dovecot.append(user, [CUSTOMER_MAIL])
    run_once({**env, "RPA_HOME": str(home)})
    with Store.open(load_settings(environ={**env, "RPA_HOME": str(home)})) as store:
        store.approve(1, actor="alice")


def draft_state(home: Path, env: dict[str, str]) -> tuple[str, str | None, str | None]:
    with Store.open(load_settings(environ={**env, "RPA_HOME": str(home)})) as store:
        draft = store.draft_for(1)
    return draft.status.value, draft.outgoing_message_id, draft.send_error


def test_an_approved_reply_is_sent_threaded_and_copied_to_sent(
    dovecot: Dovecot, mailbox_user: str, smtp_sink: SmtpSink, env: dict, tmp_path: Path
) -> None:
    take_and_approve(tmp_path, env, dovecot, mailbox_user)

    sent = run_rpa("send", home=tmp_path, env=env)

    assert sent.returncode == 0, sent.stderr
    (reply,) = smtp_sink.received
    status, message_id, _ = draft_state(tmp_path, env)
    assert status == "sent" and reply["Message-ID"] == message_id
    assert reply["In-Reply-To"] == "<claim-7@example.fr>"
    assert reply["References"] == "<older-1@example.fr> <claim-7@example.fr>"
    assert reply["Subject"] == "Re: Déclaration de sinistre"
    assert reply["X-Envelope-To"] == "jean.dupont@example.fr"
    assert "sinistres@assureur.example" in reply["From"]
    assert [m["Message-ID"] for m in dovecot.messages(mailbox_user, "Sent")] == [message_id]
    assert run_rpa("send", home=tmp_path, env=env).stdout == ""  # nothing left to send
    assert len(smtp_sink.received) == 1


def test_nothing_unapproved_is_ever_sent(
    dovecot: Dovecot, mailbox_user: str, smtp_sink: SmtpSink, env: dict, tmp_path: Path
) -> None:
    dovecot.append(mailbox_user, [CUSTOMER_MAIL])

    daemon = run_rpa("daemon", "--once", home=tmp_path, env=env)  # takes the mail, has SMTP configured
    explicit = run_rpa("send", "1", home=tmp_path, env=env)

    assert daemon.returncode == 0, daemon.stderr
    assert explicit.returncode == 1 and "pending_review: approve it first" in explicit.stdout
    assert smtp_sink.received == []
    assert draft_state(tmp_path, env)[0] == "pending_review"


def test_an_smtp_refusal_keeps_the_reply_approved_with_the_error_and_it_goes_later(
    dovecot: Dovecot, mailbox_user: str, smtp_sink: SmtpSink, env: dict, tmp_path: Path
) -> None:
    take_and_approve(tmp_path, env, dovecot, mailbox_user)
    smtp_sink.refuse_recipients = True

    refused = run_rpa("send", home=tmp_path, env=env)
    status, _, error = draft_state(tmp_path, env)
    smtp_sink.refuse_recipients = False
    later = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert refused.returncode == 1 and "550" in refused.stdout
    assert status == "approved" and "550 5.1.1 mailbox unavailable" in error
    assert later.returncode == 0, later.stderr
    assert len(smtp_sink.received) == 1 and draft_state(tmp_path, env)[0] == "sent"


def test_the_daemon_killed_while_sending_and_restarted_sends_exactly_one_reply(
    dovecot: Dovecot, mailbox_user: str, smtp_sink: SmtpSink, env: dict, tmp_path: Path
) -> None:
    take_and_approve(tmp_path, env, dovecot, mailbox_user)
    smtp_sink.hold = threading.Event()
    smtp_sink.hold.set()  # the server is slow: the daemon is in the middle of the SMTP transaction

    daemon = start_daemon(tmp_path, env)
    assert smtp_sink.mail_from_seen.wait(30), (tmp_path / "daemon.log").read_text()
    in_flight = draft_state(tmp_path, env)
    daemon.send_signal(signal.SIGKILL)
    daemon.wait()
    smtp_sink.hold.clear()
    restarted = run_rpa("daemon", "--once", home=tmp_path, env=env)

    assert in_flight[0] == "sending" and in_flight[1]
    assert restarted.returncode == 0, restarted.stderr
    assert [m["Message-ID"] for m in smtp_sink.received] == [in_flight[1]]
    assert [m["Message-ID"] for m in dovecot.messages(mailbox_user, "Sent")] == [in_flight[1]]
    assert draft_state(tmp_path, env)[0] == "sent"


def test_a_reply_found_in_sent_after_a_crash_is_not_sent_again(
    dovecot: Dovecot, mailbox_user: str, smtp_sink: SmtpSink, env: dict, tmp_path: Path
) -> None:
    take_and_approve(tmp_path, env, dovecot, mailbox_user)
    settings = load_settings(environ={**env, "RPA_HOME": str(tmp_path)})
    with Store.open(settings) as store:  # we crashed after the copy reached Sent, before `sent`
        draft = store.start_sending(store.draft_for(1), "<reply-1@assureur.example>", actor="daemon")
    dovecot.append(
        mailbox_user, [make_mail("Réponse", message_id="<reply-1@assureur.example>")], folder="Sent"
    )

    sent = run_rpa("send", home=tmp_path, env=env)

    assert sent.returncode == 0 and "already in Sent" in sent.stdout
    assert smtp_sink.received == []
    assert draft_state(tmp_path, env)[0] == "sent" and draft.status.value == "sending"


def test_drafts_mode_puts_the_reply_in_the_drafts_folder_for_the_agent_to_send(
    dovecot: Dovecot, mailbox_user: str, smtp_sink: SmtpSink, env: dict, tmp_path: Path
) -> None:
    take_and_approve(tmp_path, env, dovecot, mailbox_user)
    settings = load_settings(environ={**env, "RPA_HOME": str(tmp_path), "RPA_SMTP_MODE": "drafts"})

    with Store.open(settings) as store:
        mailbox = ImapMailbox.connect(settings.imap)
        try:
            (report,) = Outbox(settings, store).send(mailbox)
        finally:
            mailbox.close()

    assert report.status == "saved"
    (draft,) = dovecot.messages(mailbox_user, "Drafts")
    assert draft["In-Reply-To"] == "<claim-7@example.fr>"
    assert b"\\Draft" in next(iter(dovecot.flags(mailbox_user, "Drafts").values()))
    assert smtp_sink.received == []


def test_wrong_smtp_credentials_keep_the_reply_approved_with_a_clear_error(
    dovecot: Dovecot, mailbox_user: str, smtp_sink: SmtpSink, env: dict, tmp_path: Path
) -> None:
    take_and_approve(tmp_path, env, dovecot, mailbox_user)

    sent = run_rpa("send", home=tmp_path, env={**env, "RPA_SMTP_PASSWORD": "not-it"})

    assert sent.returncode == 1 and "refused the credentials of smtp-user" in sent.stdout
    assert "not-it" not in sent.stdout + sent.stderr
    assert draft_state(tmp_path, env)[0] == "approved"
