"""The store: SQLite by default, PostgreSQL and others through SQLAlchemy URLs."""

from rpa.store.records import (
    AttachmentRecord,
    AuditRecord,
    DraftRecord,
    FieldRecord,
    MessageRecord,
    QueueEntry,
    SaveOutcome,
)
from rpa.store.store import NO_DRAFT, Store

__all__ = [
    "NO_DRAFT",
    "AttachmentRecord",
    "AuditRecord",
    "DraftRecord",
    "FieldRecord",
    "MessageRecord",
    "QueueEntry",
    "SaveOutcome",
    "Store",
]
