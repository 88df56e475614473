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


MIGRATIONS: list[tuple[int, Callable[[Operations], None]]] = [
    (1, _v1_review),
    (2, _v2_mailbox),
    (3, _v3_drafting),
    (4, _v4_tables),
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


def apply_migrations(engine: sa.Engine) -> list[int]:
    """Bring the database up to the newest schema; return the versions applied."""
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
            if number <= current:
                continue
            migration(operations)
            connection.execute(
                versions.insert().values(
                    version=number, name=migration.__name__.lstrip("_"), applied_at=datetime.now(UTC)
                )
            )
            applied.append(number)
    return applied
