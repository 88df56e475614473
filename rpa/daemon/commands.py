"""What the CLI's daemon-side commands call: one function each."""

from __future__ import annotations

from rpa.config import Settings
from rpa.daemon.health import daemon_status, format_failed, format_status
from rpa.daemon.intake import Intake, Outcome
from rpa.mailbox import ImapMailbox, account_name
from rpa.outbox import Outbox, SendReport
from rpa.pipeline import Pipeline
from rpa.store import Store
from rpa.store.mailrecords import FAILED, RETRY, MailRecords

__all__ = ["failed_text", "retry_mail", "send_replies", "status_text"]


def status_text(settings: Settings) -> str:
    with Store.open(settings) as store:
        return format_status(daemon_status(settings, store))


def failed_text(settings: Settings) -> str:
    with Store.open(settings) as store:
        return format_failed(MailRecords(store, None).with_status(FAILED, RETRY))


def retry_mail(settings: Settings, record_id: int, *, actor: str) -> Outcome:
    """Process a failed mail again now, from the copy in the store.

    The server-side action (keyword, move) runs at the daemon's next pass.
    """
    with Store.open(settings) as store:
        record = MailRecords(store, None).get(record_id)
        pipeline = Pipeline(settings)
        try:
            return Intake(settings, store, record.account, pipeline, actor=actor).retry(record)
        finally:
            pipeline.close()


def send_replies(settings: Settings, message_ids: list[int] | None, *, actor: str) -> list[SendReport]:
    """Send approved replies (all of them, or those of `message_ids`); see rpa/outbox.py."""
    with Store.open(settings) as store:
        outbox = Outbox(settings, store, actor=actor)
        mailbox = (
            ImapMailbox.connect(settings.imap, account_name(settings.imap, settings.daemon.account))
            if settings.imap.host
            else None
        )
        try:
            return outbox.send(mailbox, message_ids)
        finally:
            if mailbox is not None:
                mailbox.close()
