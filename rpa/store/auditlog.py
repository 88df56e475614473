"""The audit log as the workspace reads it: one message's history, or the whole log a page at a time."""

from __future__ import annotations

import sqlalchemy as sa

from rpa.store.records import AuditRecord, aware
from rpa.store.store import Store

__all__ = ["audit_page", "message_history"]


def audit_page(store: Store, *, actor: str = "", offset: int = 0, limit: int = 100) -> list[AuditRecord]:
    audit = store.t["audit"]
    query = sa.select(audit).order_by(audit.c.id.desc()).offset(max(0, offset)).limit(limit)
    if actor:
        query = query.where(audit.c.actor == actor)
    with store.reading() as connection:
        return [_record(row) for row in connection.execute(query).mappings()]


def message_history(store: Store, message_pk: int) -> list[AuditRecord]:
    """Every audit row of a message and of each draft it had, oldest first. Each lookup is one
    range of the (entity, entity_id) index: an OR or a join across them makes a database read
    the whole log."""
    audit, drafts = store.t["audit"], store.t["drafts"]
    with store.reading() as connection:
        draft_ids = list(
            connection.execute(sa.select(drafts.c.id).where(drafts.c.message_pk == message_pk)).scalars()
        )
        own = sa.select(audit).where(audit.c.entity == "message", audit.c.entity_id == message_pk)
        rows = list(connection.execute(own).mappings())
        if draft_ids:
            of_drafts = sa.select(audit).where(audit.c.entity == "draft", audit.c.entity_id.in_(draft_ids))
            rows += connection.execute(of_drafts).mappings()
    return [_record(row) for row in sorted(rows, key=lambda row: (aware(row["at"]), row["id"]))]


def _record(row) -> AuditRecord:  # noqa: ANN001 - a row mapping
    return AuditRecord(
        aware(row["at"]), row["actor"], row["entity"], row["entity_id"], row["action"], row["detail"]
    )
