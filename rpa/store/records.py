"""What the store hands back: plain read-only records, not database rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rpa.models import DraftStatus

__all__ = [
    "NO_DRAFT",
    "AttachmentRecord",
    "AuditRecord",
    "DraftRecord",
    "FieldRecord",
    "MessageRecord",
    "QueueEntry",
    "SaveOutcome",
    "aware",
    "draft_from_row",
    "message_from_rows",
    "queue_entry_from_row",
]

NO_DRAFT = "no_draft"  # the queue status of a message that got no draft


def aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; everything we write is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


@dataclass(frozen=True)
class AttachmentRecord:
    filename: str
    content_type: str
    size: int
    status: str
    error: str | None
    pages: int
    ocr: bool
    text: str
    tables: list[dict] = field(default_factory=list)  # claim rows: {"page": 2, "values": {...}}


@dataclass(frozen=True)
class FieldRecord:
    name: str
    value: str
    raw: str
    confidence: float
    source: str
    page: int | None = None  # the attachment page it was read on (1-based)
    box: list[float] | None = None  # [left, top, right, bottom], 0-1 of that page shown upright


@dataclass(frozen=True)
class DraftRecord:
    id: int
    message_pk: int
    status: DraftStatus
    subject: str
    body: str
    final_body: str | None
    to_name: str | None
    to_email: str
    language: str
    intent: str
    template: str
    backend: str
    missing_fields: list[str]
    reject_reason: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    outgoing_message_id: str | None = None  # the reply's Message-ID, fixed before it is sent
    send_error: str | None = None  # why the last attempt to send failed
    sent_at: datetime | None = None
    copy_saved: bool = False  # the copy in Sent (or the draft in Drafts) is on the server
    generated_body: str | None = None  # a language model's reply (the body when every guard passed)
    guards: list[dict] | None = None  # the guards' verdicts: guard, passed, flag, spans, detail
    passages: list[dict] | None = None  # knowledge-base passages retrieved for the mail
    questions: list[dict] | None = None  # the customer's: text, status (answered/open), passage or None
    channel: str = "email"  # or "letter": a reply by post, printed from `letter_pdf`, never e-mailed
    letter_pdf: bytes | None = field(default=None, repr=False)  # the reply by post as drafted

    @property
    def text_to_send(self) -> str:
        """The agent's edit when there is one, else the draft as written."""
        return self.final_body if self.final_body is not None else self.body


@dataclass(frozen=True)
class MessageRecord:
    id: int
    message_key: str
    message_id: str | None
    source: str
    subject: str
    sender_name: str | None
    sender_email: str | None
    customer_name: str | None
    customer_email: str | None
    sent_at: datetime | None
    language: str | None
    intent: str | None
    intent_confidence: float | None
    flags: list[str]
    errors: list[str]
    body: str
    new_text: str
    created_at: datetime
    attachments: list[AttachmentRecord] = field(default_factory=list)
    fields: list[FieldRecord] = field(default_factory=list)
    draft: DraftRecord | None = None  # the current one (not superseded)
    kind: str = "mail"  # "mail", or "document": a file processed on its own
    letter: dict | None = None  # a letter on paper: its PostalLetter (name, address, email, place, date...)
    sentiment: str | None = None  # negative, neutral, positive; None: stored before it was read
    secondary_intents: list[str] = field(default_factory=list)  # the mail's other requests


@dataclass(frozen=True)
class QueueEntry:
    """One line of the review queue: a message, the state of its current draft, who holds it."""

    message_pk: int
    draft_id: int | None
    status: str  # a DraftStatus, or "no_draft"
    language: str | None
    intent: str | None
    customer: str
    subject: str
    created_at: datetime
    intent_confidence: float | None = None
    flags: list[str] = field(default_factory=list)
    holder: str | None = None  # who holds a live claim on it (when the claims were read)
    claim_until: datetime | None = None
    urgent: bool = False  # the message is flagged urgent: the queue shows it first
    sentiment: str | None = None


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor: str
    entity: str
    entity_id: int
    action: str
    detail: dict


@dataclass(frozen=True)
class SaveOutcome:
    message_pk: int
    draft_id: int | None
    created: bool  # False when the message was already stored and nothing changed


# Database rows (SQLAlchemy row mappings) to records.


def draft_from_row(row: Mapping[str, Any]) -> DraftRecord:
    values = {key: row[key] for key in DraftRecord.__dataclass_fields__ if key in row}
    values["status"] = DraftStatus(values["status"])
    for key in ("reviewed_at", "created_at", "updated_at", "sent_at"):
        values[key] = aware(values[key])
    return DraftRecord(**values)


def message_from_rows(
    row: Mapping[str, Any],
    attachments: Iterable[Mapping[str, Any]],
    fields: Iterable[Mapping[str, Any]],
    draft: DraftRecord | None,
) -> MessageRecord:
    values = {key: row[key] for key in MessageRecord.__dataclass_fields__ if key in row}
    values["sent_at"] = aware(values["sent_at"])
    values["created_at"] = aware(values["created_at"])
    return MessageRecord(
        **values,
        attachments=[
            AttachmentRecord(
                a["filename"],
                a["content_type"],
                a["size"],
                a["status"],
                a["error"],
                a["pages"],
                a["ocr"],
                a["text"],
                a["tables"],
            )
            for a in attachments
        ],
        fields=[
            FieldRecord(
                f["name"], f["value"], f["raw"], f["confidence"], f["source"], f.get("page"), f.get("box")
            )
            for f in fields
        ],
        draft=draft,
    )


def queue_entry_from_row(row: Mapping[str, Any]) -> QueueEntry:
    """A row of `queue_entries` (with the live claim's holder and end, when joined)."""
    return QueueEntry(
        message_pk=row["message_pk"],
        draft_id=row["draft_id"],
        status=row["review_status"],
        language=row["language"],
        intent=row["intent"],
        customer=row["customer"],
        subject=row["subject"],
        created_at=aware(row["created_at"]),
        intent_confidence=row["intent_confidence"],
        flags=row["flags"].split(),
        holder=row.get("holder"),
        claim_until=aware(row.get("expires_at")),
        urgent=bool(row.get("urgent")),
        sentiment=row.get("sentiment"),
    )
