"""What the daemon remembers: one record per mail seen on the server, and its heartbeat.

A record is keyed on (account, folder, UIDVALIDITY, UID) and carries the mail's
key (Message-ID, or content hash), so that a mail is processed once even when
the server renumbers its folder. Statuses:

    stored    committed in `messages` (message_pk); `actions` lists the server-side
              actions (keyword, move, read) still to run
    done      stored, and its actions ran (still listed: a renumbered folder gets them again)
    ignored   no rule matched: left alone on the server
    queued    distributed mode (`rpa.queue`): the mail's bytes are stored (`raw`) and a worker
              is to process it; its server-side actions are still to run
    waiting   queued, and its actions ran; a worker is to process it
              (a worker done with a queued mail makes it stored, with a waiting one done)
    retry     processing failed; tried again at `next_attempt_at`
    failed    failed `max_attempts` times; `rpa retry ID` runs it again

The raw mail is kept while a record is retry/failed, so a retry needs no server.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from rpa.errors import NotFound, StoreError
from rpa.store.records import aware
from rpa.store.store import Store

__all__ = [
    "DONE",
    "FAILED",
    "IGNORED",
    "QUEUED",
    "RETRY",
    "STORED",
    "WAITING",
    "Heartbeat",
    "MailRecord",
    "MailRecords",
]

STORED, DONE, IGNORED, RETRY, FAILED = "stored", "done", "ignored", "retry", "failed"
QUEUED, WAITING = "queued", "waiting"
_TAKEN = (STORED, DONE, IGNORED, QUEUED, WAITING)  # what a renumbered folder need not process again
_ACTIONS_PENDING = (STORED, QUEUED)


@dataclass(frozen=True)
class MailRecord:
    id: int
    account: str
    folder: str
    uidvalidity: int
    uid: int
    message_key: str | None
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    message_pk: int | None
    actions: list[str]
    created_at: datetime
    updated_at: datetime
    source: str | None = None  # queued inputs: where the input came from, its kind and file name
    kind: str | None = None
    filename: str | None = None
    queue: str | None = None  # the worker queue it was sent to

    @property
    def processed(self) -> bool:
        return self.status in (STORED, DONE, IGNORED)


@dataclass(frozen=True)
class Heartbeat:
    account: str
    host: str
    pid: int
    state: str
    started_at: datetime
    beat_at: datetime
    backlog: int
    last_error: str | None
    last_error_at: datetime | None


class MailRecords:
    """The processed-mail records of one account (all accounts when `account` is None)."""

    def __init__(self, store: Store, account: str | None) -> None:
        self.store = store
        self.account = account
        self.table = store.t["mail_records"]

    # -- reading ------------------------------------------------------------------

    def known_uids(self, folder: str, uidvalidity: int) -> set[int]:
        r = self.table
        query = sa.select(r.c.uid).where(self._mine(), r.c.folder == folder, r.c.uidvalidity == uidvalidity)
        with self.store.reading() as connection:
            return set(connection.execute(query).scalars())

    def renumbered(self, folder: str, uidvalidity: int) -> bool:
        """Whether mails of `folder` were taken under another UIDVALIDITY (the server renumbered it)."""
        r = self.table
        query = sa.select(r.c.id).where(
            self._mine(), r.c.folder == folder, r.c.uidvalidity != uidvalidity, r.c.status.in_(_TAKEN)
        )
        with self.store.reading() as connection:
            return connection.execute(query.limit(1)).first() is not None

    def taken_before(
        self, folder: str, uidvalidity: int, message_keys: Iterable[str]
    ) -> dict[str, MailRecord]:
        """The records of mails of `folder` taken under another UIDVALIDITY, by message key
        (the latest record when a key has several)."""
        keys = sorted(set(message_keys))
        if not keys:
            return {}
        r = self.table
        found = self._select(
            r.c.folder == folder,
            r.c.uidvalidity != uidvalidity,
            r.c.status.in_(_TAKEN),
            r.c.message_key.in_(keys),
        )
        return {record.message_key: record for record in found}  # ordered by id: the latest wins

    def get(self, record_id: int) -> MailRecord:
        records = self._select(self.table.c.id == record_id)
        if not records:
            raise NotFound(f"no mail record with id {record_id} (see `rpa queue --status failed`)")
        return records[0]

    def with_status(self, *statuses: str) -> list[MailRecord]:
        return self._select(self.table.c.status.in_(statuses))

    def due(self, folder: str, uidvalidity: int, now: datetime) -> list[MailRecord]:
        """Records of this folder to process again now: retries whose time has come."""
        r = self.table
        return self._select(
            r.c.folder == folder,
            r.c.uidvalidity == uidvalidity,
            r.c.status == RETRY,
            r.c.next_attempt_at <= now,
        )

    def pending_actions(self, folder: str, uidvalidity: int) -> list[MailRecord]:
        r = self.table
        return self._select(
            r.c.folder == folder, r.c.uidvalidity == uidvalidity, r.c.status.in_(_ACTIONS_PENDING)
        )

    def raw(self, record_id: int) -> bytes | None:
        with self.store.reading() as connection:
            return connection.execute(
                sa.select(self.table.c.raw).where(self.table.c.id == record_id)
            ).scalar()

    def counts(self) -> dict[str, int]:
        r = self.table
        query = sa.select(r.c.status, sa.func.count()).where(self._mine()).group_by(r.c.status)
        with self.store.reading() as connection:
            return dict(connection.execute(query).all())

    def drafts_for_sender_since(self, email: str, since: datetime) -> int:
        """Drafts written for mail from `email` since `since` (the per-sender rate limit)."""
        m, d = self.store.t["messages"], self.store.t["drafts"]
        query = (
            sa.select(sa.func.count())
            .select_from(d.join(m, m.c.id == d.c.message_pk))
            .where(sa.func.lower(m.c.customer_email) == email.lower(), d.c.created_at >= since)
        )
        with self.store.reading() as connection:
            return connection.execute(query).scalar() or 0

    # -- writing ------------------------------------------------------------------

    def record_done(
        self,
        folder: str,
        uidvalidity: int,
        uid: int,
        *,
        message_key: str | None,
        message_pk: int | None,
        actions: Sequence[str],
        ignored: bool = False,
    ) -> None:
        """The mail is stored (or deliberately ignored): it will not be fetched again."""
        status = IGNORED if ignored else STORED if actions else DONE
        self._upsert(
            folder,
            uidvalidity,
            uid,
            status=status,
            message_key=message_key,
            message_pk=message_pk,
            actions=list(actions),
            raw=None,
            last_error=None,
            next_attempt_at=None,
        )

    def record_failure(
        self,
        folder: str,
        uidvalidity: int,
        uid: int,
        *,
        message_key: str | None,
        raw: bytes,
        error: str,
        max_attempts: int,
        first_delay: float,
        now: datetime,
    ) -> str:
        """Count one more failed attempt; return the new status (retry or failed)."""
        existing = self._find(folder, uidvalidity, uid)
        attempts = (existing.attempts if existing else 0) + 1
        status = FAILED if attempts >= max_attempts else RETRY
        delay = timedelta(seconds=first_delay * 2 ** (attempts - 1))
        self._upsert(
            folder,
            uidvalidity,
            uid,
            status=status,
            message_key=message_key,
            message_pk=None,
            actions=[],
            raw=raw,
            last_error=error,
            attempts=attempts,
            next_attempt_at=now + delay if status == RETRY else None,
        )
        return status

    def actions_done(self, record_ids: Sequence[int]) -> None:
        """Their server-side actions ran: stored mails are done, queued ones wait for a worker.
        (One statement: a worker finishing the same mail meanwhile is not overwritten.)"""
        if not record_ids:
            return
        r = self.table
        with self.store.engine.begin() as connection:
            connection.execute(
                r.update()
                .where(r.c.id.in_(list(record_ids)), r.c.status.in_(_ACTIONS_PENDING))
                .values(status=sa.case((r.c.status == QUEUED, WAITING), else_=DONE), updated_at=_now())
            )

    def beat(
        self, *, host: str, pid: int, state: str, started_at: datetime, backlog: int, error: str | None = None
    ) -> None:
        h = self.store.t["daemon_heartbeats"]
        values = {
            "host": host,
            "pid": pid,
            "state": state,
            "started_at": started_at,
            "beat_at": _now(),
            "backlog": backlog,
        }
        if error is not None:
            values.update(last_error=error, last_error_at=_now())
        with self.store.engine.begin() as connection:
            if not connection.execute(
                h.update().where(h.c.account == self.account).values(**values)
            ).rowcount:
                connection.execute(h.insert().values(account=self.account, **values))

    def heartbeats(self) -> list[Heartbeat]:
        h = self.store.t["daemon_heartbeats"]
        query = sa.select(h).order_by(h.c.account)
        if self.account is not None:
            query = query.where(h.c.account == self.account)
        with self.store.reading() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            Heartbeat(**{**row, **{k: aware(row[k]) for k in ("started_at", "beat_at", "last_error_at")}})
            for row in rows
        ]

    # -- internals ----------------------------------------------------------------

    def _mine(self) -> sa.ColumnElement[bool]:
        return sa.true() if self.account is None else self.table.c.account == self.account

    def _select(self, *conditions: sa.ColumnElement[bool]) -> list[MailRecord]:
        r = self.table
        query = (
            sa.select(*[c for c in r.c if c.name != "raw"]).where(self._mine(), *conditions).order_by(r.c.id)
        )
        with self.store.reading() as connection:
            return [_record(row) for row in connection.execute(query).mappings()]

    def _find(self, folder: str, uidvalidity: int, uid: int) -> MailRecord | None:
        r = self.table
        found = self._select(r.c.folder == folder, r.c.uidvalidity == uidvalidity, r.c.uid == uid)
        return found[0] if found else None

    def _upsert(self, folder: str, uidvalidity: int, uid: int, **values: object) -> None:
        if self.account is None:
            raise StoreError("writing mail records needs an account")
        r = self.table
        key = (
            r.c.account == self.account,
            r.c.folder == folder,
            r.c.uidvalidity == uidvalidity,
            r.c.uid == uid,
        )
        try:
            with self.store.engine.begin() as connection:
                if connection.execute(r.update().where(*key).values(updated_at=_now(), **values)).rowcount:
                    return
                connection.execute(
                    r.insert().values(
                        account=self.account,
                        folder=folder,
                        uidvalidity=uidvalidity,
                        uid=uid,
                        created_at=_now(),
                        updated_at=_now(),
                        **{"attempts": 0, **values},
                    )
                )
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"cannot record mail {uid} of {folder}: {exc}") from exc


def _record(row: sa.RowMapping) -> MailRecord:
    values = dict(row)
    for key in ("next_attempt_at", "created_at", "updated_at"):
        values[key] = aware(values[key])
    values["actions"] = list(values["actions"] or [])
    return MailRecord(**values)


def _now() -> datetime:
    return datetime.now(UTC)
