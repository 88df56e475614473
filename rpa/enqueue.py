"""Handing mail to the workers: store the bytes first, then send one task per mail.

The daemon (`rpa.daemon.intake`, with `[queue] broker_url` set) and `rpa process --enqueue`
call `Enqueuer`. A mail is recorded `queued` in the store, with its bytes, in one
transaction; only then is its task sent (`rpa.queue.Dispatcher`), and only then may the
daemon act on the server (keyword, move, delete). If the broker cannot be reached, the mail
stays queued in the store and is sent again by `requeue_stale`, which the daemon calls on
each pass: nothing is lost between the mailbox, the store and the broker.
"""

from __future__ import annotations

import hashlib
import logging
import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from extractors.sources import RawInput
from rpa.config import Settings
from rpa.errors import QueueError
from rpa.models import Message
from rpa.pipeline import parse_input
from rpa.queue import Dispatcher, queue_for
from rpa.store import Store
from rpa.store.mailrecords import FAILED, RETRY, MailRecord
from rpa.store.queuedmails import QueuedMails

__all__ = ["FILES_ACCOUNT", "Enqueued", "Enqueuer", "enqueue_files"]

log = logging.getLogger("rpa.queue")

FILES_ACCOUNT = "files"  # the mail records of `rpa process --enqueue` (one "folder" per machine)


@dataclass(frozen=True)
class Enqueued:
    source: str
    record_id: int | None = None
    queue: str | None = None
    duplicate: bool = False  # the store has it already, processed or queued
    error: str | None = None


class Enqueuer:
    def __init__(self, settings: Settings, store: Store, dispatcher: Dispatcher | None = None) -> None:
        self.settings = settings
        self.store = store
        self.dispatcher = dispatcher or Dispatcher(settings)

    def store_mail(
        self,
        account: str,
        folder: str,
        uidvalidity: int,
        uid: int,
        raw: RawInput,
        message: Message,
        actions: Sequence[str],
    ) -> MailRecord:
        """The mail's bytes stored as a queued record (committed when this returns)."""
        return QueuedMails(self.store, account).record_queued(
            folder,
            uidvalidity,
            uid,
            message_key=message.key,
            raw=raw.data,
            actions=actions,
            source=raw.source,
            kind=raw.kind,
            filename=raw.filename,
            queue=queue_for(message, self.settings.queue),
        )

    def send(self, record: MailRecord) -> bool:
        """Its task sent to the workers; False (and said) when the broker cannot be reached."""
        try:
            self.dispatcher.send(record.id, record.queue or self.settings.queue.text_queue)
        except QueueError as exc:
            log.warning("%s; it stays queued in the store and is sent again later", exc)
            return False
        return True

    def requeue_stale(self, now: datetime | None = None) -> int:
        """Send again the tasks of mails queued more than `requeue_seconds` ago and still not
        processed (a broker that lost its tasks, a send that failed); how many were sent."""
        now = now or datetime.now(UTC)
        records = QueuedMails(self.store, None)
        stale = records.stale_queued(now - timedelta(seconds=self.settings.queue.requeue_seconds))
        sent = [record.id for record in stale if self.send(record)]
        records.requeued(sent)
        if sent:
            log.info("%s queued mail(s) not processed in time: sent to the workers again", len(sent))
        return len(sent)

    def requeue(self, record: MailRecord) -> None:
        """A failed mail given to the workers again (`rpa retry`)."""
        if record.status not in (RETRY, FAILED):
            raise QueueError(f"mail record {record.id} is {record.status}: nothing to retry")
        QueuedMails(self.store, record.account).back_in_queue(record)
        if not self.send(record):
            raise QueueError(f"mail record {record.id} is queued again, but the broker cannot be reached")

    def enqueue_files(self, inputs: Iterable[RawInput]) -> Iterator[Enqueued]:
        """`rpa process --enqueue`: each input stored and sent to the workers, unless the store
        has it already; one `Enqueued` per input, in order."""
        records = QueuedMails(self.store, FILES_ACCOUNT)
        host = socket.gethostname()
        for raw in inputs:
            try:
                message = parse_input(raw, self.settings.limits)
            except Exception as exc:  # noqa: BLE001 - one bad input must not stop the others
                yield Enqueued(raw.source, error=f"cannot parse: {exc}")
                continue
            known = self.store.find_message(message.key) or records.find_key(message.key)
            if known is not None:
                yield Enqueued(raw.source, duplicate=True)
                continue
            record = self.store_mail(FILES_ACCOUNT, host, 0, _file_uid(raw, message), raw, message, ())
            sent = self.send(record)
            yield Enqueued(raw.source, record.id, record.queue, error=None if sent else "broker unreachable")

    def close(self) -> None:
        self.dispatcher.close()


def _file_uid(raw: RawInput, message: Message) -> int:
    """A file's number among the enqueued ones: from its path and content, under 2**63."""
    digest = hashlib.sha256(f"{raw.source}\0{message.key}".encode()).hexdigest()
    return int(digest[:15], 16)


def enqueue_files(inputs: Iterable[RawInput], settings: Settings, store: Store) -> Iterator[Enqueued]:
    """`rpa process --enqueue`: every input stored and sent to the workers (see `Enqueuer`)."""
    if not settings.queue.enabled:
        raise QueueError("--enqueue needs [queue] broker_url (RPA_QUEUE_BROKER_URL) and a PostgreSQL store")
    enqueuer = Enqueuer(settings, store)
    try:
        yield from enqueuer.enqueue_files(inputs)
    finally:
        enqueuer.close()
