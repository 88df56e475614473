"""Agents' corrections of what rpa read: a field's value, a missing field, the intent.

The extracted field stays as it was read (value, confidence, where); a
correction is a row beside it with the new value, what it replaced, who and
when, and an audit row. The latest correction of a field is its value from then
on (`MessageRecord.fields` shows it, `rpa export` writes it, a re-draft uses
it). A corrected intent also becomes the message's intent, which the queue
filters on; the correction keeps the intent rpa gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from rpa.errors import NotFound, StoreError
from rpa.store import writer
from rpa.store.queuecolumns import refresh_queue_columns
from rpa.store.records import aware
from rpa.store.store import Store

__all__ = ["FIELD", "INTENT", "CorrectionRecord", "Corrections"]

FIELD, INTENT = "field", "intent"


@dataclass(frozen=True)
class CorrectionRecord:
    id: int
    message_pk: int
    kind: str  # field or intent
    name: str  # the field's name, or "intent"
    value: str
    previous: str | None  # None: the field was missing
    actor: str
    at: datetime


class Corrections:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.table = store.t["corrections"]

    def for_message(self, message_pk: int) -> list[CorrectionRecord]:
        c = self.table
        with self.store.reading() as connection:
            rows = connection.execute(sa.select(c).where(c.c.message_pk == message_pk).order_by(c.c.id))
            return [_record(row) for row in rows.mappings()]

    def correct_field(self, message_pk: int, name: str, value: str, *, actor: str) -> CorrectionRecord | None:
        """Record `value` as the field's value; None when it already was."""
        fields = self.store.t["fields"]
        with self.store.engine.begin() as connection:
            self._require(connection, message_pk)
            previous = self._latest(connection, message_pk, FIELD, name)
            if previous is None:
                previous = connection.execute(
                    sa.select(fields.c.value).where(fields.c.message_pk == message_pk, fields.c.name == name)
                ).scalar()
            if previous == value:
                return None
            return self._insert(
                connection, message_pk, FIELD, name, value, previous, actor, "field_corrected"
            )

    def correct_intent(self, message_pk: int, intent: str, *, actor: str) -> CorrectionRecord | None:
        messages = self.store.t["messages"]
        with self.store.engine.begin() as connection:
            previous = self._require(connection, message_pk)
            if previous == intent:
                return None
            connection.execute(messages.update().where(messages.c.id == message_pk).values(intent=intent))
            return self._insert(
                connection, message_pk, INTENT, "intent", intent, previous, actor, "intent_corrected"
            )

    def _insert(
        self,
        connection: sa.Connection,
        message_pk: int,
        kind: str,
        name: str,
        value: str,
        previous: str | None,
        actor: str,
        action: str,
    ) -> CorrectionRecord:
        now = datetime.now(UTC)
        row = {"message_pk": message_pk, "kind": kind, "name": name, "value": value, "previous": previous}
        try:
            pk = connection.execute(
                self.table.insert().values(actor=actor, at=now, **row)
            ).inserted_primary_key[0]
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"cannot store the correction of {name}: {exc}") from exc
        writer.audit(
            self.store.t,
            connection,
            actor,
            "message",
            message_pk,
            action,
            {"name": name, "from": previous, "to": value},
        )
        refresh_queue_columns(connection, self.store.t, message_pk)
        return CorrectionRecord(pk, message_pk, kind, name, value, previous, actor, now)

    def _latest(self, connection: sa.Connection, message_pk: int, kind: str, name: str) -> str | None:
        c = self.table
        return connection.execute(
            sa.select(c.c.value)
            .where(c.c.message_pk == message_pk, c.c.kind == kind, c.c.name == name)
            .order_by(c.c.id.desc())
            .limit(1)
        ).scalar()

    def _require(self, connection: sa.Connection, message_pk: int) -> str | None:
        """The message's intent; `NotFound` when there is no such message."""
        messages = self.store.t["messages"]
        row = connection.execute(sa.select(messages.c.intent).where(messages.c.id == message_pk)).first()
        if row is None:
            raise NotFound(f"no message with id {message_pk}")
        return row.intent


def _record(row) -> CorrectionRecord:  # noqa: ANN001 - a row mapping
    return CorrectionRecord(
        row["id"],
        row["message_pk"],
        row["kind"],
        row["name"],
        row["value"],
        row["previous"],
        row["actor"],
        aware(row["at"]),
    )
