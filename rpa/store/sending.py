"""Store queries of the outbox (rpa/outbox.py); state changes go through `Store`'s transitions."""

from __future__ import annotations

import sqlalchemy as sa

from rpa.models import DraftStatus
from rpa.store.store import Store

__all__ = ["mark_copy_saved", "messages_with_drafts", "messages_without_copy"]


def messages_with_drafts(store: Store, *statuses: DraftStatus) -> list[int]:
    """Message ids whose current draft is in one of `statuses`, oldest first."""
    return [entry.message_pk for entry in store.queue([status.value for status in statuses])]


def messages_without_copy(store: Store) -> list[int]:
    """Sent replies whose copy is not yet on the server (Sent folder, or Drafts)."""
    d = store.t["drafts"]
    query = (
        sa.select(d.c.message_pk)
        .where(d.c.status == DraftStatus.SENT.value, d.c.copy_saved.is_(False))
        .order_by(d.c.id)
    )
    with store.reading() as connection:
        return list(connection.execute(query).scalars())


def mark_copy_saved(store: Store, draft_id: int) -> None:
    d = store.t["drafts"]
    with store.engine.begin() as connection:
        connection.execute(d.update().where(d.c.id == draft_id).values(copy_saved=True))
