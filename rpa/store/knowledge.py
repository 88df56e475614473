"""The store's side of drafting: knowledge-base passages, and what agents did with drafts.

Kept apart from `store.py`: these read and write their own tables (and the
drafts' review columns) through the store's engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from drafting.kb import IndexedPassage
from rpa.errors import StoreError
from rpa.models import DraftStatus, Passage
from rpa.store.store import Store

__all__ = ["ReviewedDraft", "kb_passages", "kb_version", "replace_article", "reviewed_drafts"]


@dataclass(frozen=True)
class ReviewedDraft:
    """A draft as `rpa stats` sees it: where it came from and what the agent did."""

    intent: str
    template: str
    backend: str
    status: DraftStatus
    body: str
    final_body: str | None


def replace_article(store: Store, source: str, passages: Sequence[IndexedPassage], vector_model: str) -> int:
    """Store the passages of one article, replacing those it had before; return how many."""
    table = store.t["kb_passages"]
    now = datetime.now(UTC)
    rows = [
        {
            "source": source,
            "position": position,
            "title": item.passage.title,
            "language": item.passage.language,
            "text": item.passage.text,
            "vector": item.vector,
            "vector_model": vector_model if item.vector else None,
            "added_at": now,
        }
        for position, item in enumerate(passages)
    ]
    try:
        with store.engine.begin() as connection:
            connection.execute(table.delete().where(table.c.source == source))
            if rows:
                connection.execute(table.insert(), rows)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"cannot store the article {source}: {exc}") from exc
    return len(rows)


def kb_passages(store: Store) -> list[IndexedPassage]:
    table = store.t["kb_passages"]
    query = sa.select(table).order_by(table.c.source, table.c.position)
    with store.reading() as connection:
        return [
            IndexedPassage(Passage(row["source"], row["title"], row["text"], row["language"]), row["vector"])
            for row in connection.execute(query).mappings()
        ]


def kb_version(store: Store) -> tuple[int, object]:
    """Changes whenever an article is added or replaced: how many passages, and the newest."""
    table = store.t["kb_passages"]
    with store.reading() as connection:
        row = connection.execute(sa.select(sa.func.count(), sa.func.max(table.c.added_at))).one()
    return row[0], row[1]


def reviewed_drafts(store: Store) -> list[ReviewedDraft]:
    """Every draft that was not superseded by a later one, oldest first."""
    d = store.t["drafts"]
    query = (
        sa.select(d.c.intent, d.c.template, d.c.backend, d.c.status, d.c.body, d.c.final_body)
        .where(d.c.status != DraftStatus.SUPERSEDED.value)
        .order_by(d.c.id)
    )
    with store.reading() as connection:
        return [
            ReviewedDraft(
                row["intent"],
                row["template"],
                row["backend"],
                DraftStatus(row["status"]),
                row["body"],
                row["final_body"],
            )
            for row in connection.execute(query).mappings()
        ]
