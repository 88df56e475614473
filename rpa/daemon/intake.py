"""Taking mail from a folder into the store, exactly once.

For each folder: search first, subtract what the store has recorded for this
(account, folder, UIDVALIDITY), fetch the rest in batches, process each batch through
the ingestion service (`rpa.ingestion`), and for each mail commit the result and its
record before any server-side action (`rpa.daemon.actions`) runs. A mail
already stored under another UID (the server renumbered the folder, or the
same mail sits in two folders) is recognised by its key and not processed
again; in a renumbered folder, the mails taken before are known by their
Message-ID header alone, without downloading them, and get their actions again.
A mail that fails is recorded with its error and retried later with backoff;
the others go on. Only the store and the network may stop a pass.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from extractors.sources import RawInput
from rpa.batch import PipelineRunner
from rpa.config import Settings
from rpa.daemon.actions import run_stored_actions
from rpa.daemon.rules import actions_for
from rpa.enqueue import Enqueuer
from rpa.errors import StoreError
from rpa.ingestion import Ingested, Ingestion
from rpa.mailbox import FetchedMail, Mailbox
from rpa.models import Message, ProcessedMessage
from rpa.pipeline import parse_input
from rpa.store import Store
from rpa.store.mailrecords import FAILED, IGNORED, RETRY, MailRecord, MailRecords

__all__ = ["Intake", "Outcome", "mail_source", "sender_limit"]

log = logging.getLogger("rpa.daemon")

RATE_LIMITED = "rate_limited"


class Observer(Protocol):
    """Told about each mail (the Prometheus metrics are one)."""

    def mail_done(self, outcome: str, seconds: float) -> None: ...

    def backlog(self, count: int) -> None: ...


@dataclass(frozen=True)
class Outcome:
    uid: int
    status: str  # stored, done, duplicate, ignored, queued (for the workers), retry, failed
    message_pk: int | None = None
    error: str | None = None


def mail_source(account: str, folder: str, uidvalidity: int, uid: int) -> str:
    """An IMAP URL (RFC 5092) naming the mail, stored as the message's source."""
    return f"imap://{account}/{folder};UIDVALIDITY={uidvalidity}/;UID={uid}"


class Intake:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        account: str,
        runner: PipelineRunner | None,
        observer: Observer | None = None,
        actor: str = "daemon",
        enqueuer: Enqueuer | None = None,
    ) -> None:
        """Mails are processed here by `runner`, or, in the distributed mode, stored and sent to
        the workers by `enqueuer` (then no runner is needed)."""
        self.settings = settings
        self.store = store
        self.account = account
        self.records = MailRecords(store, account)
        self.ingestion = (
            None
            if runner is None
            else Ingestion(store, runner, actor=actor, review=sender_limit(settings, self.records))
        )
        self.enqueuer = enqueuer
        if self.ingestion is None and self.enqueuer is None:
            raise ValueError("Intake needs a runner or an enqueuer")
        self.observer = observer
        self.actor = actor
        self.backlog = 0

    def sync_folder(self, mailbox: Mailbox, folder: str, should_stop: Callable[[], bool]) -> list[Outcome]:
        """Process what is new or due in `folder`; stop between two mails when asked."""
        state = mailbox.open_folder(folder)
        if self.enqueuer is not None:
            self.enqueuer.requeue_stale()
        self.run_actions(mailbox, folder, state.uidvalidity)  # left over by a crash
        known = self.records.known_uids(folder, state.uidvalidity)
        new = [uid for uid in mailbox.uids(without_keyword=self.settings.daemon.keyword) if uid not in known]
        due = self.records.due(folder, state.uidvalidity, _now())
        renumbered = bool(new) and self.records.renumbered(folder, state.uidvalidity)
        self._set_backlog(len(new) + len(due))
        outcomes: list[Outcome] = []
        size = max(1, self.settings.daemon.batch_size)
        for start in range(0, len(new), size):
            batch = new[start : start + size]
            if renumbered:
                recognised, batch = self._recognise(mailbox, folder, state.uidvalidity, batch)
                outcomes += recognised
            if should_stop():
                return outcomes
            taken = self.take_many(folder, state.uidvalidity, mailbox.fetch(batch), should_stop)
            outcomes += taken
            self._set_backlog(self.backlog - len(taken))
            self.run_actions(mailbox, folder, state.uidvalidity)
            if should_stop():
                return outcomes
        for record in due:
            if should_stop():
                break
            outcomes.append(self.retry(record))
            self._set_backlog(self.backlog - 1)
        self.run_actions(mailbox, folder, state.uidvalidity)
        return outcomes

    def take(self, folder: str, uidvalidity: int, mail: FetchedMail) -> Outcome:
        """Process one mail and commit it with its record; never raises for the mail's sake."""
        (outcome,) = self.take_many(folder, uidvalidity, [mail], lambda: False)
        return outcome

    def take_many(
        self, folder: str, uidvalidity: int, mails: Sequence[FetchedMail], should_stop: Callable[[], bool]
    ) -> list[Outcome]:
        """Process mails together (a language model drafts them in one batch) and commit each
        with its record as it comes; stop between two mails when asked."""
        clock = [time.monotonic()]
        outcomes: list[Outcome] = []
        taken: list[tuple[FetchedMail, list[str]]] = []
        for mail in mails:
            raw = self._raw(folder, uidvalidity, mail)
            try:
                message = parse_input(raw, self.settings.limits)
            except Exception as exc:  # noqa: BLE001 - one mail's boundary: recorded, the others go on
                error = f"{type(exc).__name__}: {exc}"
                outcomes.append(self._observed(self._failed(folder, uidvalidity, mail, None, error), clock))
                continue
            actions = actions_for(self.settings.daemon, message, folder, mail.received_at, _now())
            if actions is None:
                self.records.record_done(
                    folder,
                    uidvalidity,
                    mail.uid,
                    message_key=message.key,
                    message_pk=None,
                    actions=[],
                    ignored=True,
                )
                outcomes.append(self._observed(Outcome(mail.uid, "ignored"), clock))
            elif self.enqueuer is not None:
                outcomes.append(
                    self._observed(self._queued(folder, uidvalidity, mail, message, actions), clock)
                )
            else:
                taken.append((mail, actions))
        if not taken or self.ingestion is None:
            return outcomes
        raws = [self._raw(folder, uidvalidity, mail) for mail, _ in taken]
        for (mail, actions), item in zip(taken, self.ingestion.ingest(raws), strict=False):
            outcomes.append(self._observed(self._recorded(folder, uidvalidity, mail, actions, item), clock))
            if should_stop():
                break
        return outcomes

    def _queued(
        self, folder: str, uidvalidity: int, mail: FetchedMail, message: Message, actions: list[str]
    ) -> Outcome:
        """Distributed mode: the mail's bytes stored, then its task sent to the workers."""
        assert self.enqueuer is not None
        raw = self._raw(folder, uidvalidity, mail)
        record = self.enqueuer.store_mail(self.account, folder, uidvalidity, mail.uid, raw, message, actions)
        self.enqueuer.send(record)
        log.info(
            "mail %s of %s queued for the workers (%s) as record %s",
            mail.uid,
            folder,
            record.queue,
            record.id,
        )
        return Outcome(mail.uid, "queued")

    def _recorded(
        self, folder: str, uidvalidity: int, mail: FetchedMail, actions: list[str], item: Ingested
    ) -> Outcome:
        if item.error is not None:
            return self._failed(folder, uidvalidity, mail, item.key, item.error)
        self.records.record_done(
            folder, uidvalidity, mail.uid, message_key=item.key, message_pk=item.message_pk, actions=actions
        )
        status = "duplicate" if item.duplicate else "stored"
        log.info("mail %s of %s %s as message %s", mail.uid, folder, status, item.message_pk)
        return Outcome(mail.uid, status, item.message_pk)

    def _failed(
        self, folder: str, uidvalidity: int, mail: FetchedMail, key: str | None, error: str
    ) -> Outcome:
        status = self.records.record_failure(
            folder,
            uidvalidity,
            mail.uid,
            message_key=key,
            raw=mail.raw,
            error=error,
            max_attempts=self.settings.daemon.max_attempts,
            first_delay=self.settings.daemon.retry_seconds,
            now=_now(),
        )
        log.warning("mail %s of %s failed (%s): %s", mail.uid, folder, status, error)
        return Outcome(mail.uid, status, error=error)

    def _observed(self, outcome: Outcome, clock: list[float]) -> Outcome:
        """Tell the observer; `clock` holds when the previous mail was done."""
        now = time.monotonic()
        if self.observer is not None:
            self.observer.mail_done(outcome.status, now - clock[0])
        clock[0] = now
        return outcome

    def _raw(self, folder: str, uidvalidity: int, mail: FetchedMail) -> RawInput:
        return RawInput(
            mail_source(self.account, folder, uidvalidity, mail.uid), mail.raw, "mail", f"{mail.uid}.eml"
        )

    def retry(self, record: MailRecord) -> Outcome:
        """Process a failed mail again from the copy kept in the store."""
        if record.status not in (RETRY, FAILED):
            raise StoreError(f"mail record {record.id} is {record.status}: nothing to retry")
        raw = self.records.raw(record.id)
        if raw is None:
            raise StoreError(f"mail record {record.id} has no copy of the mail to retry")
        return self.take(record.folder, record.uidvalidity, FetchedMail(record.uid, raw, None))

    def _recognise(
        self, mailbox: Mailbox, folder: str, uidvalidity: int, uids: list[int]
    ) -> tuple[list[Outcome], list[int]]:
        """In a renumbered folder: the mails taken under the old UIDVALIDITY, known by their
        Message-ID alone, recorded under their new UIDs; and the UIDs left to fetch whole."""
        message_ids = mailbox.message_ids(uids)
        taken = self.records.taken_before(folder, uidvalidity, filter(None, message_ids.values()))
        outcomes, unknown = [], []
        for uid in uids:
            record = taken.get(message_ids.get(uid) or "")
            if record is None:
                unknown.append(uid)
            else:
                outcomes.append(self._take_again(folder, uidvalidity, uid, record))
        if outcomes:
            log.info(
                "%s mail(s) of %s known by their Message-ID after a UIDVALIDITY change", len(outcomes), folder
            )
        return outcomes, unknown

    def _take_again(self, folder: str, uidvalidity: int, uid: int, taken: MailRecord) -> Outcome:
        """Record a mail taken before under its new UID: same message, same actions (the
        renumbered copy may have lost its keyword)."""
        started = time.monotonic()
        ignored = taken.status == IGNORED
        self.records.record_done(
            folder,
            uidvalidity,
            uid,
            message_key=taken.message_key,
            message_pk=taken.message_pk,
            actions=taken.actions,
            ignored=ignored,
        )
        outcome = Outcome(uid, "ignored" if ignored else "duplicate", taken.message_pk)
        if self.observer is not None:
            self.observer.mail_done(outcome.status, time.monotonic() - started)
        self._set_backlog(self.backlog - 1)
        return outcome

    def run_actions(self, mailbox: Mailbox, folder: str, uidvalidity: int) -> None:
        """Run the server-side actions of stored mails; only ever after their commit."""
        pending = self.records.pending_actions(folder, uidvalidity)
        if not pending:
            return
        run_stored_actions(mailbox, [(record.uid, record.actions) for record in pending])
        self.records.actions_done([record.id for record in pending])

    def _set_backlog(self, count: int) -> None:
        self.backlog = max(0, count)
        if self.observer is not None:
            self.observer.backlog(self.backlog)


def sender_limit(settings: Settings, records: MailRecords) -> Callable[[ProcessedMessage], None]:
    """No draft past `[daemon] sender_drafts_per_hour` for one sender: a loop of mails (an
    auto-reply answering our replies) is not answered in kind. Looked at before each save."""

    def limit(result: ProcessedMessage) -> None:
        customer = result.message.customer
        most = settings.daemon.sender_drafts_per_hour
        if result.draft is None or customer is None or not customer.email or most <= 0:
            return
        if records.drafts_for_sender_since(customer.email, _now() - timedelta(hours=1)) >= most:
            log.warning(
                "no draft for %s: more than %s drafts for this sender in an hour", customer.email, limit
            )
            result.draft = None
            result.flags.append(RATE_LIMITED)

    return limit


def _now() -> datetime:
    return datetime.now(UTC)
