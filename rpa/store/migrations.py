"""The schema's history: numbered migrations, applied in order when a store opens.

Migrations are the single description of the schema; the store reflects the
tables they made. Each migration is written with Alembic's operations, so the
same history runs on SQLite and PostgreSQL. Never edit a released migration:
add the next number.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

__all__ = ["MIGRATIONS", "apply_migrations", "schema_version"]

_VERSIONS = "schema_migrations"


def _v1_review(op: Operations) -> None:
    """Messages with their attachments and fields, drafts under review, the audit log."""
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message_key", sa.String(512), nullable=False, unique=True),
        sa.Column("message_id", sa.String(998)),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False, server_default=""),
        sa.Column("sender_name", sa.Text),
        sa.Column("sender_email", sa.Text),
        sa.Column("customer_name", sa.Text),
        sa.Column("customer_email", sa.Text),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("language", sa.String(8)),
        sa.Column("intent", sa.String(40)),
        sa.Column("intent_confidence", sa.Float),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("errors", sa.JSON, nullable=False),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("new_text", sa.Text, nullable=False, server_default=""),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "message_pk",
            sa.Integer,
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("ocr", sa.Boolean, nullable=False),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "fields",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "message_pk",
            sa.Integer,
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "message_pk",
            sa.Integer,
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("status", sa.String(24), nullable=False, index=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("final_body", sa.Text),  # what the agent approved, when edited
        sa.Column("to_name", sa.Text),
        sa.Column("to_email", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("intent", sa.String(40), nullable=False),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("backend", sa.String(40), nullable=False),
        sa.Column("missing_fields", sa.JSON, nullable=False),
        sa.Column("reject_reason", sa.Text),
        sa.Column("reviewed_by", sa.Text),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("audit_entity", "audit", ["entity", "entity_id"])


def _v2_mailbox(op: Operations) -> None:
    """The daemon: one record per mail seen on the server, its heartbeat, and sending state."""
    op.create_table(
        "mail_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account", sa.String(320), nullable=False),
        sa.Column("folder", sa.String(512), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger, nullable=False),
        sa.Column("uid", sa.BigInteger, nullable=False),
        sa.Column("message_key", sa.String(512)),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("message_pk", sa.Integer, sa.ForeignKey("messages.id", ondelete="SET NULL")),
        sa.Column("actions", sa.JSON, nullable=False),  # server-side actions still to run
        sa.Column("raw", sa.LargeBinary),  # kept while the mail is not stored, so retries need no server
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("account", "folder", "uidvalidity", "uid", name="mail_records_uid"),
    )
    op.create_index("mail_records_key", "mail_records", ["account", "message_key"])
    op.create_table(
        "daemon_heartbeats",
        sa.Column("account", sa.String(320), primary_key=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("backlog", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", sa.DateTime(timezone=True)),
    )
    op.add_column("drafts", sa.Column("outgoing_message_id", sa.String(998)))
    op.add_column("drafts", sa.Column("send_error", sa.Text))
    op.add_column("drafts", sa.Column("sent_at", sa.DateTime(timezone=True)))
    op.add_column("drafts", sa.Column("copy_saved", sa.Boolean, nullable=False, server_default=sa.false()))


def _v3_drafting(op: Operations) -> None:
    """Language-model drafts (the reply, the guards' verdicts, the passages it saw) and the knowledge base."""
    op.add_column("drafts", sa.Column("generated_body", sa.Text))
    op.add_column("drafts", sa.Column("guards", sa.JSON))
    op.add_column("drafts", sa.Column("passages", sa.JSON))
    op.create_table(
        "kb_passages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("vector", sa.LargeBinary),  # float32 sentence embedding, when a model serves the language
        sa.Column("vector_model", sa.String(255)),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("kb_passages_source", "kb_passages", ["source"])


def _v4_tables(op: Operations) -> None:
    """Claim tables read from attachments (loss runs): a list of {"page", "values"} per attachment."""
    op.add_column("attachments", sa.Column("tables", sa.JSON, nullable=False, server_default="[]"))


def _v5_locations(op: Operations) -> None:
    """Where each field was read (the page and its box on that page), and what a message came as."""
    op.add_column("fields", sa.Column("page", sa.Integer))  # 1-based page of an attachment
    op.add_column("fields", sa.Column("box", sa.JSON))  # [left, top, right, bottom], 0-1 of the page
    op.add_column("messages", sa.Column("kind", sa.String(16), nullable=False, server_default="mail"))
    documents = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
    messages = sa.table("messages", sa.column("kind"), sa.column("source"), sa.column("message_id"))
    op.execute(
        messages.update()
        .where(messages.c.message_id.is_(None))
        .where(sa.or_(*(sa.func.lower(messages.c.source).like(f"%{suffix}") for suffix in documents)))
        .values(kind="document")
    )


def _v6_workspace(op: Operations) -> None:
    """The agents' workspace: the review queue, accounts and sessions, claims on messages,
    corrections.

    `queue_entries` is the queue as agents browse it, one narrow row per message (its current
    draft and review state, what the queue shows, flags, a folded search text), kept by every
    write and review transition. Its rows are a few hundred bytes where a message's row holds
    the whole mail, so that filtering, searching and counting a queue of 100,000 messages read
    a few megabytes, in index order."""
    op.create_table(
        "queue_entries",
        sa.Column(
            "message_pk", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),  # the message's arrival
        sa.Column("review_status", sa.String(24), nullable=False),  # of the current draft, or no_draft
        sa.Column("draft_id", sa.Integer),
        sa.Column("intent", sa.String(40)),
        sa.Column("language", sa.String(8)),
        sa.Column("intent_confidence", sa.Float),
        sa.Column("customer", sa.Text, nullable=False, server_default=""),
        sa.Column("subject", sa.Text, nullable=False, server_default=""),
        sa.Column("flags", sa.Text, nullable=False, server_default=" "),  # " a b ": the queue's flags
        sa.Column("message_flags", sa.JSON),  # the message's own flags (the dashboard's rates)
    )
    # What the queue's search box and flag filter look up: each message's folded words (subject,
    # people, reference numbers, whole and in pieces) and its flags as "flag:<name>", so that a
    # search or a flag reads the matching messages only. "C" collation: prefix ranges are byte ranges.
    op.create_table(
        "queue_terms",
        sa.Column(
            "term", sa.String(120).with_variant(sa.String(120, collation="C"), "postgresql"), primary_key=True
        ),
        sa.Column(
            "message_pk", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_index("queue_terms_message", "queue_terms", ["message_pk"])
    op.create_index("queue_by_age", "queue_entries", ["review_status", "created_at"])
    op.create_index("queue_by_intent", "queue_entries", ["review_status", "intent", "language", "created_at"])
    op.create_index("queue_by_language", "queue_entries", ["review_status", "language", "created_at"])
    op.create_index("queue_arrivals", "queue_entries", ["created_at"])
    op.create_index("drafts_reviewed", "drafts", ["reviewed_at"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(150), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text),  # None: single sign-on only
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("language", sa.String(8)),  # None: the browser's
        sa.Column("display_name", sa.Text),
        sa.Column("oidc_subject", sa.String(255), unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(64), primary_key=True),  # sha256 of the cookie's token
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.String(64)),
    )
    op.create_index("web_sessions_user", "web_sessions", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(200), primary_key=True),  # "user:NAME" or "address:IP"
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "claims",
        sa.Column(
            "message_pk", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("holder", sa.String(150), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_by", sa.String(150)),  # the supervisor who gave it to the holder
    )
    op.create_index("claims_holder", "claims", ["holder", "expires_at"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        _message_pk(),
        sa.Column("kind", sa.String(16), nullable=False),  # field or intent
        sa.Column("name", sa.String(64), nullable=False),  # the field's name; "intent"
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("previous", sa.Text),  # what rpa (or the previous correction) said; None: was missing
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    _backfill_queue_columns(op.get_bind())


def _v7_understanding(op: Operations) -> None:
    """What rpa understands of a request beyond its intent: the other requests in it, its tone,
    a letter's sender block; the customer's questions and a reply by post with each draft; the
    queue's urgent-first order (urgency itself is the message flag "urgent")."""
    op.add_column("messages", sa.Column("sentiment", sa.String(16)))
    op.add_column("messages", sa.Column("secondary_intents", sa.JSON, nullable=False, server_default="[]"))
    op.add_column("messages", sa.Column("letter", sa.JSON))  # PostalLetter as a dict, None: not a letter
    op.add_column("drafts", sa.Column("questions", sa.JSON, nullable=False, server_default="[]"))
    op.add_column("drafts", sa.Column("channel", sa.String(16), nullable=False, server_default="email"))
    op.add_column("drafts", sa.Column("letter_pdf", sa.LargeBinary))
    op.add_column("queue_entries", sa.Column("urgent", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("queue_entries", sa.Column("sentiment", sa.String(16)))
    op.create_index("queue_by_urgency", "queue_entries", ["review_status", "urgent", "created_at"])


def _v8_scale_out(op: Operations) -> None:
    """Mails handed to Celery workers (`rpa.queue`): what a worker needs to process a queued
    input without the mailbox (its source, kind and file name; the bytes are in `raw`), and
    the queue it was sent to."""
    op.add_column("mail_records", sa.Column("source", sa.Text))
    op.add_column("mail_records", sa.Column("kind", sa.String(16)))
    op.add_column("mail_records", sa.Column("filename", sa.String(512)))
    op.add_column("mail_records", sa.Column("queue", sa.String(64)))


def _message_pk() -> sa.Column:
    """The column that ties a row to its message, gone with it."""
    return sa.Column(
        "message_pk", sa.Integer, sa.ForeignKey("messages.id", ondelete="CASCADE"), nullable=False, index=True
    )


def _backfill_queue_columns(connection: sa.Connection) -> None:
    """The queue entries of messages stored before the workspace existed."""
    from rpa.store.queuecolumns import refresh_queue_columns

    metadata = sa.MetaData()
    metadata.reflect(
        connection, only=["messages", "drafts", "fields", "attachments", "queue_entries", "queue_terms"]
    )
    ids = connection.execute(sa.select(metadata.tables["messages"].c.id)).scalars().all()
    for message_pk in ids:
        refresh_queue_columns(connection, metadata.tables, message_pk)


MIGRATIONS: list[tuple[int, Callable[[Operations], None]]] = [
    (1, _v1_review),
    (2, _v2_mailbox),
    (3, _v3_drafting),
    (4, _v4_tables),
    (5, _v5_locations),
    (6, _v6_workspace),
    (7, _v7_understanding),
    (8, _v8_scale_out),
]


def _versions_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        _VERSIONS,
        metadata,
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


def schema_version(connection: sa.Connection) -> int:
    if not sa.inspect(connection).has_table(_VERSIONS):
        return 0
    versions = _versions_table(sa.MetaData())
    return connection.execute(sa.select(sa.func.max(versions.c.version))).scalar() or 0


def apply_migrations(engine: sa.Engine, upto: int | None = None) -> list[int]:
    """Bring the database up to the newest schema (or to version `upto`); return the versions applied."""
    versions = _versions_table(sa.MetaData())
    applied = []
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes opening a new database at once: one migrates, the other waits.
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(72170001)"))
        versions.create(connection, checkfirst=True)
        current = schema_version(connection)
        operations = Operations(MigrationContext.configure(connection))
        for number, migration in MIGRATIONS:
            if number <= current or (upto is not None and number > upto):
                continue
            migration(operations)
            connection.execute(
                versions.insert().values(
                    version=number, name=migration.__name__.lstrip("_"), applied_at=datetime.now(UTC)
                )
            )
            applied.append(number)
    return applied
