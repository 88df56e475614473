"""The store: processed messages, their drafts under review, and the audit log.

SQLite by default (`$RPA_HOME/rpa.db`), any SQLAlchemy URL otherwise (the same
migrations run on PostgreSQL). Opening a store migrates it. Every change of a
draft's review state goes through `_transition`, which checks the move is
allowed and writes an audit row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa

from rpa.config import Settings, without_password
from rpa.errors import InvalidTransition, NotFound, StoreError
from rpa.models import Draft, DraftStatus, ProcessedMessage
from rpa.store import writer
from rpa.store.engine import LEASE, READ_ONLY, claimed_error, make_engine
from rpa.store.migrations import apply_migrations
from rpa.store.queuecolumns import refresh_queue_columns
from rpa.store.records import (
    NO_DRAFT,
    AuditRecord,
    DraftRecord,
    MessageRecord,
    QueueEntry,
    SaveOutcome,
    aware,
    draft_from_row,
    message_from_rows,
    queue_entry_from_row,
)

__all__ = ["NO_DRAFT", "Store", "claimed_error"]


# Which review states a draft may move to, from each state.
_ALLOWED: dict[DraftStatus, frozenset[DraftStatus]] = {
    DraftStatus.PENDING_REVIEW: frozenset(
        {DraftStatus.APPROVED, DraftStatus.REJECTED, DraftStatus.SUPERSEDED}
    ),
    DraftStatus.APPROVED: frozenset({DraftStatus.SENDING, DraftStatus.REJECTED}),
    DraftStatus.SENDING: frozenset({DraftStatus.SENT, DraftStatus.APPROVED}),
    DraftStatus.REJECTED: frozenset({DraftStatus.PENDING_REVIEW}),
    DraftStatus.SUPERSEDED: frozenset(),
    DraftStatus.SENT: frozenset(),
}


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = make_engine(url)
            apply_migrations(self.engine)
            metadata = sa.MetaData()
            metadata.reflect(self.engine)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store at {without_password(url)}: {exc}") from exc
        self.t = metadata.tables

    @classmethod
    def open(cls, settings: Settings) -> Store:
        """The configured store; the default SQLite file's folder is created."""
        if not settings.store.url:
            settings.home.mkdir(parents=True, exist_ok=True)
        return cls(settings.database_url)

    def reading(self) -> sa.Connection:
        """A connection for reads: on SQLite its transactions never wait for another reader."""
        return self.engine.connect().execution_options(**{READ_ONLY: True})

    @contextmanager
    def leasing(self) -> Iterator[sa.Connection]:
        """A transaction for leases (claims on messages): its commit does not wait for the disk,
        so a power cut may lose it (a claim lapses early; no message, draft or review is in it)."""
        with self.engine.connect().execution_options(**{LEASE: True}) as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            yield connection

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- messages ---------------------------------------------------------------

    def find_message(self, key: str) -> int | None:
        messages = self.t["messages"]
        with self.reading() as connection:
            return connection.execute(sa.select(messages.c.id).where(messages.c.message_key == key)).scalar()

    def save_processed(self, result: ProcessedMessage, *, actor: str, replace: bool = False) -> SaveOutcome:
        """Store a processed message and its draft, once.

        A message already stored (same key) is left alone unless `replace`,
        which rewrites its facts and supersedes its pending draft.
        """
        try:
            with self.engine.begin() as connection:
                existing = connection.execute(
                    sa.select(self.t["messages"].c.id).where(
                        self.t["messages"].c.message_key == result.message.key
                    )
                ).scalar()
                if existing is not None and not replace:
                    return SaveOutcome(existing, self._current_draft_id(connection, existing), False)
                message_pk = writer.write_message(self.t, connection, result, existing)
                if existing is not None:
                    self._supersede_drafts(connection, existing, actor)
                writer.audit(
                    self.t,
                    connection,
                    actor,
                    "message",
                    message_pk,
                    "reprocessed" if existing else "processed",
                    {"source": result.message.source, "intent": str(result.classification.intent)},
                )
                draft_id = None
                if result.draft is not None:
                    draft_id = writer.write_draft(self.t, connection, message_pk, result.draft)
                    writer.audit(
                        self.t,
                        connection,
                        actor,
                        "draft",
                        draft_id,
                        "drafted",
                        {"template": result.draft.template, "backend": result.draft.backend},
                    )
                refresh_queue_columns(connection, self.t, message_pk)
                return SaveOutcome(message_pk, draft_id, True)
        except sa.exc.IntegrityError:
            # Another process stored the same message between our check and insert.
            pk = self.find_message(result.message.key)
            if pk is None:
                raise
            return SaveOutcome(pk, None, False)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"cannot store {result.message.source}: {exc}") from exc

    def message(self, message_pk: int) -> MessageRecord:
        t = self.t
        with self.reading() as connection:
            columns = [column for column in t["messages"].c if column.name != "raw"]  # not the mail's bytes
            row = (
                connection.execute(sa.select(*columns).where(t["messages"].c.id == message_pk))
                .mappings()
                .first()
            )
            if row is None:
                raise NotFound(f"no message with id {message_pk}")
            attachments = connection.execute(
                sa.select(t["attachments"])
                .where(t["attachments"].c.message_pk == message_pk)
                .order_by(t["attachments"].c.position)
            ).mappings()
            fields = connection.execute(
                sa.select(t["fields"])
                .where(t["fields"].c.message_pk == message_pk)
                .order_by(t["fields"].c.id)
            ).mappings()
            draft_id = self._current_draft_id(connection, message_pk)
            draft = self._draft(connection, draft_id) if draft_id else None
            return message_from_rows(row, list(attachments), list(fields), draft)

    def raw_message(self, message_pk: int) -> bytes:
        messages = self.t["messages"]
        with self.reading() as connection:
            raw = connection.execute(sa.select(messages.c.raw).where(messages.c.id == message_pk)).scalar()
        if raw is None:
            raise NotFound(f"no message with id {message_pk}")
        return raw

    def message_ids(self) -> Iterator[int]:
        with self.reading() as connection:
            yield from connection.execute(
                sa.select(self.t["messages"].c.id).order_by(self.t["messages"].c.id)
            ).scalars()

    # -- review queue -----------------------------------------------------------

    def queue(self, statuses: Sequence[str] | None = None) -> list[QueueEntry]:
        """Messages with the state of their current draft, urgent ones first, then oldest first (the
        queue's own columns: no draft is read, nor the mail's bytes)."""
        q = self.t["queue_entries"]
        query = sa.select(q).order_by(q.c.urgent.desc(), q.c.message_pk)
        if statuses:
            query = query.where(q.c.review_status.in_(list(statuses)))
        with self.reading() as connection:
            rows = connection.execute(query).mappings().all()
        return [queue_entry_from_row(row) for row in rows]

    def review_counts(self) -> dict[str, int]:
        """How many messages are in each review state (`no_draft` included), from the queue's index."""
        q = self.t["queue_entries"]
        with self.reading() as connection:
            rows = connection.execute(
                sa.select(q.c.review_status, sa.func.count()).group_by(q.c.review_status)
            )
            return {status: count for status, count in rows}

    def draft_for(self, message_pk: int) -> DraftRecord:
        with self.reading() as connection:
            self._require_message(connection, message_pk)
            draft_id = self._current_draft_id(connection, message_pk)
            if draft_id is None:
                raise NotFound(f"message {message_pk} has no draft (see `rpa show {message_pk}`)")
            return self._draft(connection, draft_id)

    def approve(
        self, message_pk: int, *, actor: str, edited_body: str | None = None, draft_id: int | None = None
    ) -> DraftRecord:
        """Approve the current draft of a message, keeping an edit beside the original.

        `draft_id`: the draft the agent reviewed; if another has replaced it since, nothing is approved.
        Refused (`Claimed`) while another agent holds the message."""
        draft = self._reviewed_draft(message_pk, draft_id)
        values: dict[str, object] = {"reviewed_by": actor, "reviewed_at": _now()}
        detail: dict[str, object] = {"edited": False}
        if edited_body is not None and edited_body.strip() != draft.body.strip():
            values["final_body"] = edited_body
            detail = {"edited": True, "chars_before": len(draft.body), "chars_after": len(edited_body)}
        return self._transition(draft, DraftStatus.APPROVED, actor, "approved", values, detail, review=True)

    def reject(self, message_pk: int, *, actor: str, reason: str, draft_id: int | None = None) -> DraftRecord:
        if not reason.strip():
            raise StoreError("a rejection needs a reason")
        draft = self._reviewed_draft(message_pk, draft_id)
        values = {"reviewed_by": actor, "reviewed_at": _now(), "reject_reason": reason}
        return self._transition(
            draft, DraftStatus.REJECTED, actor, "rejected", values, {"reason": reason}, review=True
        )

    def _reviewed_draft(self, message_pk: int, draft_id: int | None) -> DraftRecord:
        draft = self.draft_for(message_pk)
        if draft_id is not None and draft.id != draft_id:
            raise InvalidTransition(
                f"the draft of message {message_pk} was replaced (draft {draft_id} -> {draft.id}): look again"
            )
        return draft

    def replace_draft(self, message_pk: int, draft: Draft, *, actor: str) -> DraftRecord:
        """A new draft for a message (re-drafted from corrected facts); a pending one is superseded.
        Refused once the reply is approved or sent, and while another agent holds the message."""
        with self.engine.begin() as connection:
            self._require_message(connection, message_pk)
            current = self._current_draft_id(connection, message_pk)
            if current is not None:
                status = self._draft(connection, current).status
                if status not in (DraftStatus.PENDING_REVIEW, DraftStatus.REJECTED):
                    raise InvalidTransition(
                        f"draft of message {message_pk} is {status.value}: it can no longer be re-drafted"
                    )
            self._check_claim(connection, message_pk, actor)
            self._supersede_drafts(connection, message_pk, actor)
            draft_id = writer.write_draft(self.t, connection, message_pk, draft)
            detail = {"template": draft.template, "backend": draft.backend, "replaces": current}
            writer.audit(self.t, connection, actor, "draft", draft_id, "redrafted", detail)
            refresh_queue_columns(connection, self.t, message_pk)
            return self._draft(connection, draft_id)

    # -- sending (see rpa/outbox.py): only an approved draft can start ---------------

    def start_sending(self, draft: DraftRecord, outgoing_message_id: str, *, actor: str) -> DraftRecord:
        """approved -> sending, recording the reply's Message-ID before any SMTP transaction."""
        return self._transition(
            draft,
            DraftStatus.SENDING,
            actor,
            "sending",
            {"outgoing_message_id": outgoing_message_id},
            {"message_id": outgoing_message_id},
        )

    def mark_sent(self, draft: DraftRecord, *, actor: str, how: str) -> DraftRecord:
        return self._transition(
            draft, DraftStatus.SENT, actor, "sent", {"sent_at": _now(), "send_error": None}, {"how": how}
        )

    def sending_failed(self, draft: DraftRecord, error: str, *, actor: str) -> DraftRecord:
        """sending -> approved, keeping the error: the reply is tried again later."""
        return self._transition(
            draft, DraftStatus.APPROVED, actor, "send_failed", {"send_error": error}, {"error": error}
        )

    def audit_log(self, entity: str | None = None, entity_id: int | None = None) -> list[AuditRecord]:
        audit = self.t["audit"]
        query = sa.select(audit).order_by(audit.c.id)
        if entity is not None:
            query = query.where(audit.c.entity == entity)
        if entity_id is not None:
            query = query.where(audit.c.entity_id == entity_id)
        with self.reading() as connection:
            return [
                AuditRecord(aware(r["at"]), r["actor"], r["entity"], r["entity_id"], r["action"], r["detail"])
                for r in connection.execute(query).mappings()
            ]

    # -- internals --------------------------------------------------------------

    def _transition(
        self,
        draft: DraftRecord,
        to: DraftStatus,
        actor: str,
        action: str,
        values: dict[str, object],
        detail: dict[str, object],
        *,
        review: bool = False,
    ) -> DraftRecord:
        """Move a draft to `to`, with its audit row; a `review` (approve, reject) is refused while
        another agent holds the message, and ends the claim on it."""
        if to not in _ALLOWED[draft.status]:
            raise InvalidTransition(
                f"draft of message {draft.message_pk} is {draft.status.value}: cannot be {to.value}"
            )
        d = self.t["drafts"]
        with self.engine.begin() as connection:
            if review:
                self._end_claim(connection, draft.message_pk, actor)
            changed = connection.execute(
                d.update()
                .where(d.c.id == draft.id, d.c.status == draft.status.value)  # no lost update
                .values(status=to.value, updated_at=_now(), **values)
            ).rowcount
            if changed != 1:
                raise InvalidTransition(_changed_meanwhile(self._draft(connection, draft.id)))
            writer.audit(
                self.t,
                connection,
                actor,
                "draft",
                draft.id,
                action,
                {"from": draft.status.value, "to": to.value, **detail},
            )
            refresh_queue_columns(connection, self.t, draft.message_pk)
            return self._draft(connection, draft.id)

    def _end_claim(self, connection: sa.Connection, message_pk: int, actor: str) -> None:
        self._check_claim(connection, message_pk, actor)
        claims = self.t["claims"]
        connection.execute(claims.delete().where(claims.c.message_pk == message_pk))

    def _check_claim(self, connection: sa.Connection, message_pk: int, actor: str) -> None:
        """`Claimed` while another agent holds a live claim on the message."""
        claims = self.t["claims"]
        row = connection.execute(
            sa.select(claims.c.holder, claims.c.expires_at).where(claims.c.message_pk == message_pk)
        ).first()
        if row is not None and row.holder != actor and aware(row.expires_at) > _now():
            raise claimed_error(message_pk, row.holder, aware(row.expires_at))

    def _supersede_drafts(self, connection: sa.Connection, message_pk: int, actor: str) -> None:
        d = self.t["drafts"]
        pending = (
            connection.execute(
                sa.select(d.c.id).where(
                    d.c.message_pk == message_pk, d.c.status == DraftStatus.PENDING_REVIEW.value
                )
            )
            .scalars()
            .all()
        )
        for draft_id in pending:
            connection.execute(
                d.update()
                .where(d.c.id == draft_id)
                .values(status=DraftStatus.SUPERSEDED.value, updated_at=_now())
            )
            writer.audit(
                self.t,
                connection,
                actor,
                "draft",
                draft_id,
                "superseded",
                {"from": DraftStatus.PENDING_REVIEW.value, "to": DraftStatus.SUPERSEDED.value},
            )

    def _current_draft_id(self, connection: sa.Connection, message_pk: int) -> int | None:
        d = self.t["drafts"]
        return connection.execute(
            sa.select(sa.func.max(d.c.id)).where(
                d.c.message_pk == message_pk, d.c.status != DraftStatus.SUPERSEDED.value
            )
        ).scalar()

    def _draft(self, connection: sa.Connection, draft_id: int) -> DraftRecord:
        row = (
            connection.execute(sa.select(self.t["drafts"]).where(self.t["drafts"].c.id == draft_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound(f"no draft with id {draft_id}")
        return draft_from_row(row)

    def _require_message(self, connection: sa.Connection, message_pk: int) -> None:
        m = self.t["messages"]
        if connection.execute(sa.select(m.c.id).where(m.c.id == message_pk)).scalar() is None:
            raise NotFound(f"no message with id {message_pk}")


def _changed_meanwhile(now: DraftRecord) -> str:
    by = f" by {now.reviewed_by}" if now.reviewed_by and now.status != DraftStatus.SENDING else ""
    return f"draft {now.id} of message {now.message_pk} changed meanwhile: it is now {now.status.value}{by}"


def _now() -> datetime:
    return datetime.now(UTC)
