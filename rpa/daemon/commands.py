"""What the CLI's daemon-side commands call: one function each."""

from __future__ import annotations

from rpa.batch import PipelineRunner
from rpa.config import Settings
from rpa.daemon.health import daemon_status, format_failed, format_status, format_workers
from rpa.daemon.intake import Intake, Outcome
from rpa.enqueue import Enqueuer
from rpa.mailbox import ImapMailbox, account_name
from rpa.outbox import Outbox, SendReport
from rpa.queue import Dispatcher
from rpa.store import Store
from rpa.store.knowledge import kb_passages
from rpa.store.mailrecords import FAILED, RETRY, MailRecords

__all__ = ["failed_text", "retry_mail", "send_replies", "status_text"]


def status_text(settings: Settings) -> str:
    with Store.open(settings) as store:
        text = format_status(daemon_status(settings, store))
    if settings.queue.enabled:
        dispatcher = Dispatcher(settings)
        try:
            text += format_workers(dispatcher.depths(), dispatcher.workers())
        finally:
            dispatcher.close()
    return text


def failed_text(settings: Settings) -> str:
    with Store.open(settings) as store:
        return format_failed(MailRecords(store, None).with_status(FAILED, RETRY))


def retry_mail(settings: Settings, record_id: int, *, actor: str) -> Outcome:
    """Process a failed mail again now, from the copy in the store.

    The server-side action (keyword, move) runs at the daemon's next pass. In the distributed
    mode, a mail the workers failed is handed to them again.
    """
    with Store.open(settings) as store:
        record = MailRecords(store, None).get(record_id)
        if settings.queue.enabled and record.queue:
            enqueuer = Enqueuer(settings, store)
            try:
                enqueuer.requeue(record)
            finally:
                enqueuer.close()
            return Outcome(record.uid, "queued")
        with PipelineRunner(settings, 1, knowledge=kb_passages(store)) as runner:
            return Intake(settings, store, record.account, runner, actor=actor).retry(record)


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
