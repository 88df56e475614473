"""Turning a processed message into rows, inside a transaction the store opened."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime

import sqlalchemy as sa

from rpa.models import URGENT, Draft, DraftStatus, Message, ProcessedMessage
from rpa.store.queuecolumns import words

__all__ = ["CHASED_AFTER", "audit", "write_draft", "write_message"]

CHASED_AFTER = 2  # earlier messages on the same claim after which one more is urgent

Tables = Mapping[str, sa.Table]


def write_message(
    t: Tables, connection: sa.Connection, result: ProcessedMessage, existing: int | None
) -> int:
    """Insert the message (or rewrite `existing`) with its attachments and fields; flag it
    urgent (in `result` too) when its claim was written about often before."""
    message = result.message
    now = datetime.now(UTC)
    if URGENT not in result.flags and _chased(t, connection, result, existing):
        result.flags.append(URGENT)  # the same claim written about again and again
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
        "sentiment": str(result.classification.sentiment),
        "secondary_intents": [str(intent) for intent in result.classification.secondary_intents],
        "flags": list(result.flags),
        "errors": list(result.errors),
        "body": message.body,
        "new_text": message.new_text,
        "content_hash": message.content_hash,
        "raw": message.raw or None,
        "kind": message.kind,
        "letter": dataclasses.asdict(result.letter) if result.letter is not None else None,
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


def _chased(t: Tables, connection: sa.Connection, result: ProcessedMessage, existing: int | None) -> bool:
    """Whether at least `CHASED_AFTER` other stored messages carry this message's claim number:
    the customer is writing about the same claim once more. Read from the queue's index of
    reference numbers (`queue_terms`, one indexed lookup), checked on the fields themselves."""
    claim = result.fields.get("claim_number")
    term = "".join(words(claim.value)) if claim is not None else ""
    if not term:
        return False
    terms, fields = t["queue_terms"], t["fields"]
    query = (
        sa.select(sa.func.count(sa.distinct(terms.c.message_pk)))
        .select_from(terms.join(fields, fields.c.message_pk == terms.c.message_pk))
        .where(terms.c.term == term, fields.c.name == "claim_number", fields.c.value == claim.value)
    )
    if existing is not None:
        query = query.where(terms.c.message_pk != existing)
    return connection.execute(query).scalar_one() >= CHASED_AFTER


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
            questions=[dataclasses.asdict(question) for question in draft.questions],
            channel=draft.channel,
            letter_pdf=draft.letter_pdf or None,
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
