"""The mail records of the distributed mode: mails stored for the Celery workers (`rpa.queue`).

A `queued` record holds a mail's bytes (`raw`), where it came from (`source`, `kind`,
`filename`) and the queue its task went to; `waiting` once its server-side actions ran. The
daemon and `rpa process --enqueue` write them (`rpa.enqueue`), a worker marks them
processed or failed (`rpa.worker`). Each change of status is one statement, so that the
daemon running a mail's actions and a worker finishing it never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from rpa.store.mailrecords import DONE, FAILED, QUEUED, RETRY, STORED, WAITING, MailRecord, MailRecords

__all__ = ["QueuedMails"]


class QueuedMails(MailRecords):
    """The mail records of one account (all with None) as the distributed mode uses them."""

    def find_key(self, message_key: str) -> int | None:
        """The id of a record of this account for the mail `message_key` that is not failed."""
        r = self.table
        query = sa.select(r.c.id).where(self._mine(), r.c.message_key == message_key, r.c.status != FAILED)
        with self.store.reading() as connection:
            return connection.execute(query.limit(1)).scalar()

    def stale_queued(self, before: datetime) -> list[MailRecord]:
        """Queued mails not processed and not sent to the workers again since `before`."""
        r = self.table
        return self._select(r.c.status.in_((QUEUED, WAITING)), r.c.updated_at < before)

    def record_queued(
        self,
        folder: str,
        uidvalidity: int,
        uid: int,
        *,
        message_key: str,
        raw: bytes,
        actions: Sequence[str],
        source: str,
        kind: str,
        filename: str,
        queue: str,
    ) -> MailRecord:
        """The mail's bytes stored for a worker to process (`queued`, or `waiting` when there
        is no server-side action to run first); its record."""
        self._upsert(
            folder,
            uidvalidity,
            uid,
            status=QUEUED if actions else WAITING,
            message_key=message_key,
            message_pk=None,
            actions=list(actions),
            raw=raw,
            last_error=None,
            next_attempt_at=None,
            source=source,
            kind=kind,
            filename=filename,
            queue=queue,
        )
        found = self._find(folder, uidvalidity, uid)
        assert found is not None, "a record just written"
        return found

    def requeued(self, record_ids: Sequence[int]) -> None:
        """These queued mails were sent to the workers again just now."""
        if record_ids:
            with self.store.engine.begin() as connection:
                connection.execute(
                    self.table.update().where(self.table.c.id.in_(list(record_ids))).values(updated_at=_now())
                )

    def back_in_queue(self, record: MailRecord) -> None:
        """A failed queued mail handed to the workers again (its actions, if any, run again)."""
        r = self.table
        with self.store.engine.begin() as connection:
            connection.execute(
                r.update()
                .where(r.c.id == record.id, r.c.status.in_((RETRY, FAILED)), r.c.raw.is_not(None))
                .values(status=QUEUED if record.actions else WAITING, attempts=0, updated_at=_now())
            )

    def processed(self, record_id: int, message_pk: int | None) -> None:
        """A worker stored the queued mail as `message_pk`: stored (its actions still to run)
        or done; the bytes are no longer kept. A record already processed is left as it is."""
        r = self.table
        with self.store.engine.begin() as connection:
            connection.execute(
                r.update()
                .where(r.c.id == record_id, r.c.status.in_((QUEUED, WAITING, RETRY, FAILED)))
                .values(
                    status=sa.case((r.c.status == QUEUED, STORED), else_=DONE),
                    message_pk=message_pk,
                    raw=None,
                    last_error=None,
                    next_attempt_at=None,
                    updated_at=_now(),
                )
            )

    def worker_failed(self, record_id: int, error: str, *, final: bool) -> None:
        """A worker could not process the queued mail: counted, with its error; `final` when
        no retry is left (then it shows as failed in `rpa status` and `rpa retry`)."""
        r = self.table
        values: dict[str, object] = {
            "attempts": r.c.attempts + 1,
            "last_error": error,
            "updated_at": _now(),
        }
        if final:
            values["status"] = FAILED
        with self.store.engine.begin() as connection:
            connection.execute(
                r.update().where(r.c.id == record_id, r.c.status.in_((QUEUED, WAITING))).values(**values)
            )


def _now() -> datetime:
    return datetime.now(UTC)
