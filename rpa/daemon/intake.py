"""Taking mail from a folder into the store, exactly once.

For each folder: search first, subtract what the store has recorded for this
(account, folder, UIDVALIDITY), fetch the rest in batches, and for each mail
commit the result and its record before any server-side action runs. A mail
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
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from extractors.sources import RawInput
from rpa.config import Settings
from rpa.daemon.rules import actions_for
from rpa.errors import InvalidTransition, StoreError
from rpa.mailbox import FetchedMail, Mailbox
from rpa.models import Message, ProcessedMessage
from rpa.store import Store
from rpa.store.mailrecords import FAILED, IGNORED, RETRY, MailRecord, MailRecords

__all__ = ["Intake", "MailProcessor", "Outcome", "mail_source"]

log = logging.getLogger("rpa.daemon")

RATE_LIMITED = "rate_limited"


class MailProcessor(Protocol):
    """What the daemon needs of the pipeline; `rpa.pipeline.Pipeline` is one."""

    def parse(self, raw: RawInput) -> Message: ...

    def understand(self, message: Message) -> ProcessedMessage: ...


class Observer(Protocol):
    """Told about each mail (the Prometheus metrics are one)."""

    def mail_done(self, outcome: str, seconds: float) -> None: ...

    def backlog(self, count: int) -> None: ...


@dataclass(frozen=True)
class Outcome:
    uid: int
    status: str  # stored, done, duplicate, ignored, retry, failed
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
        processor: MailProcessor,
        observer: Observer | None = None,
        actor: str = "daemon",
    ) -> None:
        self.settings = settings
        self.store = store
        self.account = account
        self.processor = processor
        self.observer = observer
        self.actor = actor
        self.records = MailRecords(store, account)
        self.backlog = 0

    def sync_folder(self, mailbox: Mailbox, folder: str, should_stop: Callable[[], bool]) -> list[Outcome]:
        """Process what is new or due in `folder`; stop between two mails when asked."""
        state = mailbox.open_folder(folder)
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
            for mail in mailbox.fetch(batch):
                if should_stop():
                    break
                outcomes.append(self.take(folder, state.uidvalidity, mail))
                self._set_backlog(self.backlog - 1)
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
        started = time.monotonic()
        raw = RawInput(
            mail_source(self.account, folder, uidvalidity, mail.uid), mail.raw, "mail", f"{mail.uid}.eml"
        )
        key = None
        try:
            message = self.processor.parse(raw)
            key = message.key
            outcome = self._store(folder, uidvalidity, mail, message)
        except (StoreError, InvalidTransition):
            raise  # the store is down: no use going on with the next mail
        except Exception as exc:  # noqa: BLE001 - one mail's boundary: recorded, the others go on
            error = f"{type(exc).__name__}: {exc}"
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
            log.warning(
                "mail %s of %s failed (%s): %s",
                mail.uid,
                folder,
                status,
                error,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            outcome = Outcome(mail.uid, status, error=error)
        if self.observer is not None:
            self.observer.mail_done(outcome.status, time.monotonic() - started)
        return outcome

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
        by_action: dict[str, list[int]] = defaultdict(list)
        for record in pending:
            for action in record.actions:
                by_action[action].append(record.uid)
        # A move changes the UID: flags first, moves last.
        for action in sorted(by_action, key=lambda a: a.startswith("move:")):
            _run_action(mailbox, action, by_action[action])
        self.records.actions_done([record.id for record in pending])

    def _store(self, folder: str, uidvalidity: int, mail: FetchedMail, message: Message) -> Outcome:
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
            return Outcome(mail.uid, "ignored")
        existing = self.store.find_message(message.key)
        status = "duplicate"
        if existing is None:
            result = self.processor.understand(message)
            self._limit_sender(result)
            existing = self.store.save_processed(result, actor=self.actor).message_pk
            status = "stored"
        self.records.record_done(
            folder, uidvalidity, mail.uid, message_key=message.key, message_pk=existing, actions=actions
        )
        log.info("mail %s of %s %s as message %s", mail.uid, folder, status, existing)
        return Outcome(mail.uid, status, existing)

    def _limit_sender(self, result: ProcessedMessage) -> None:
        """No draft past the per-sender hourly limit: a loop of mails is not answered in kind."""
        customer = result.message.customer
        limit = self.settings.daemon.sender_drafts_per_hour
        if result.draft is None or customer is None or not customer.email or limit <= 0:
            return
        since = _now() - timedelta(hours=1)
        if self.records.drafts_for_sender_since(customer.email, since) >= limit:
            log.warning(
                "no draft for %s: more than %s drafts for this sender in an hour", customer.email, limit
            )
            result.draft = None
            result.flags.append(RATE_LIMITED)

    def _set_backlog(self, count: int) -> None:
        self.backlog = max(0, count)
        if self.observer is not None:
            self.observer.backlog(self.backlog)


def _run_action(mailbox: Mailbox, action: str, uids: Iterable[int]) -> None:
    uids = sorted(set(uids))
    kind, _, argument = action.partition(":")
    if kind == "keyword":
        mailbox.add_keyword(uids, argument)
    elif kind == "read":
        mailbox.mark_read(uids)
    elif kind == "move":
        mailbox.move(uids, argument)
    else:
        raise StoreError(f"unknown action in the store: {action!r}")


def _now() -> datetime:
    return datetime.now(UTC)
