"""Turning a processed message into rows, inside a transaction the store opened."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime

import sqlalchemy as sa

from rpa.models import Draft, DraftStatus, Message, ProcessedMessage

__all__ = ["audit", "write_draft", "write_message"]

Tables = Mapping[str, sa.Table]


def write_message(
    t: Tables, connection: sa.Connection, result: ProcessedMessage, existing: int | None
) -> int:
    """Insert the message (or rewrite `existing`) with its attachments and fields."""
    message = result.message
    now = datetime.now(UTC)
    customer = message.customer
    customer_name = result.fields["customer_name"].value if "customer_name" in result.fields else None
    values = {
        "message_key": message.key,
        "message_id": message.message_id,
        "source": message.source,
        "subject": message.subject,
        "sender_name": message.sender.name if message.sender else None,
        "sender_email": message.sender.email if message.sender else None,
        "customer_name": customer_name or (customer.name if customer else None) or None,
        "customer_email": customer.email if customer else None,
        "sent_at": message.date,
        "language": result.classification.language,
        "intent": str(result.classification.intent),
        "intent_confidence": result.classification.confidence,
        "flags": list(result.flags),
        "errors": list(result.errors),
        "body": message.body,
        "new_text": message.new_text,
        "content_hash": message.content_hash,
        "raw": message.raw or None,
        "kind": message.kind,
        "updated_at": now,
    }
    messages = t["messages"]
    if existing is None:
        message_pk = connection.execute(
            messages.insert().values(created_at=now, **values)
        ).inserted_primary_key[0]
    else:
        message_pk = existing
        connection.execute(messages.update().where(messages.c.id == existing).values(**values))
        for name in ("attachments", "fields"):
            connection.execute(t[name].delete().where(t[name].c.message_pk == existing))
    _write_attachments(t, connection, message_pk, message)
    _write_fields(t, connection, message_pk, result)
    return message_pk


def _write_attachments(t: Tables, connection: sa.Connection, message_pk: int, message: Message) -> None:
    rows = [
        {
            "message_pk": message_pk,
            "position": position,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "status": str(attachment.status),
            "error": attachment.error,
            "pages": len(attachment.pages),
            "ocr": attachment.ocr,
            "text": "\n\f".join(page.text for page in attachment.pages),
            "tables": [{"page": row.page, "values": row.values} for row in attachment.tables],
        }
        for position, attachment in enumerate(message.all_attachments())
    ]
    if rows:
        connection.execute(t["attachments"].insert(), rows)


def _write_fields(t: Tables, connection: sa.Connection, message_pk: int, result: ProcessedMessage) -> None:
    rows = [
        {
            "message_pk": message_pk,
            "name": f.name,
            "value": f.value,
            "raw": f.raw,
            "confidence": f.confidence,
            "source": f.source,
            "page": f.page,
            "box": list(f.box) if f.box is not None else None,
        }
        for f in result.fields.values()
    ]
    if rows:
        connection.execute(t["fields"].insert(), rows)


def write_draft(t: Tables, connection: sa.Connection, message_pk: int, draft: Draft) -> int:
    now = datetime.now(UTC)
    return connection.execute(
        t["drafts"]
        .insert()
        .values(
            message_pk=message_pk,
            status=DraftStatus.PENDING_REVIEW.value,
            subject=draft.subject,
            body=draft.body,
            to_name=draft.to.name or None,
            to_email=draft.to.email,
            language=draft.language,
            intent=str(draft.intent),
            template=draft.template,
            backend=draft.backend,
            missing_fields=list(draft.missing_fields),
            generated_body=draft.generated_body,
            guards=[dataclasses.asdict(verdict) for verdict in draft.guards],
            passages=[dataclasses.asdict(passage) for passage in draft.passages],
            created_at=now,
            updated_at=now,
        )
    ).inserted_primary_key[0]


def audit(
    t: Tables,
    connection: sa.Connection,
    actor: str,
    entity: str,
    entity_id: int,
    action: str,
    detail: dict,
) -> None:
    connection.execute(
        t["audit"]
        .insert()
        .values(
            at=datetime.now(UTC),
            actor=actor,
            entity=entity,
            entity_id=entity_id,
            action=action,
            detail=detail,
        )
    )
