"""The store: once-only saving, review transitions with audit, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import require

from rpa.errors import InvalidTransition, NotFound, StoreError
from rpa.models import (
    Address,
    Attachment,
    AttachmentStatus,
    Classification,
    Draft,
    DraftStatus,
    Field,
    Intent,
    Message,
    Page,
    ProcessedMessage,
)
from rpa.store import NO_DRAFT, Store
from rpa.store.migrations import MIGRATIONS, schema_version

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_store() -> Store:
    schema = f"rpa_test_{uuid.uuid4().hex[:10]}"
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as exc:
        require(False, f"PostgreSQL is not reachable at 127.0.0.1:5432: {exc.orig}")
    store = Store(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    store.cleanup = lambda: _drop(engine, schema)  # type: ignore[attr-defined]
    return store


def _drop(engine: sa.Engine, schema: str) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'rpa.db'}")
        yield store
        store.close()
        return
    store = _postgres_store()
    yield store
    store.close()
    store.cleanup()


def processed(
    key: str = "<a@example.fr>", *, draft: bool = True, intent: Intent = Intent.CLAIM_NEW
) -> ProcessedMessage:
    customer = Address("Jean Dupont", "jean@example.fr")
    attachment = Attachment(
        "constat.pdf", "application/pdf", 1234, pages=[Page(1, "Constat amiable", ocr=True)]
    )
    broken = Attachment(
        "x.pdf", "application/pdf", 10, status=AttachmentStatus.ERROR, error="not a valid PDF"
    )
    message = Message(
        source="mail.eml",
        message_id=key,
        subject="Sinistre",
        sender=customer,
        body="Bonjour",
        new_text="Bonjour",
        attachments=[attachment, broken],
        content_hash="ab" * 32,
        raw=b"raw bytes",
    )
    fields = {"policy_number": Field("policy_number", "AUT-1", "AUT-1", 0.95, "body")}
    result = ProcessedMessage(
        message, fields, Classification("fr", intent, 0.9), None, errors=["x.pdf: not a valid PDF"]
    )
    if draft:
        result.draft = Draft(
            "Re: Sinistre",
            "Bonjour Jean,\n",
            customer,
            "fr",
            intent,
            "fr/claim_new.txt.j2",
            missing_fields=["incident_date"],
        )
    return result


def test_opening_a_store_applies_every_migration(any_store: Store) -> None:
    with any_store.engine.connect() as connection:
        assert schema_version(connection) == MIGRATIONS[-1][0]
    assert {"messages", "attachments", "fields", "drafts", "audit"} <= set(any_store.t)


def test_reopening_a_store_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rpa.db'}"
    with Store(url) as store:
        store.save_processed(processed(), actor="agent")
    with Store(url) as store:
        assert len(store.queue()) == 1


def test_a_saved_message_comes_back_with_attachments_fields_and_draft(any_store: Store) -> None:
    outcome = any_store.save_processed(processed(), actor="alice")
    record = any_store.message(outcome.message_pk)
    assert record.customer_email == "jean@example.fr" and record.intent == "claim_new"
    assert [(a.filename, a.status, a.pages, a.ocr) for a in record.attachments] == [
        ("constat.pdf", "ok", 1, True),
        ("x.pdf", "error", 0, False),
    ]
    assert [(f.name, f.value, f.source) for f in record.fields] == [("policy_number", "AUT-1", "body")]
    assert record.draft.status == DraftStatus.PENDING_REVIEW
    assert record.draft.missing_fields == ["incident_date"]
    assert record.errors == ["x.pdf: not a valid PDF"]
    assert any_store.raw_message(outcome.message_pk) == b"raw bytes"


def test_saving_the_same_message_twice_creates_no_second_draft(any_store: Store) -> None:
    first = any_store.save_processed(processed(), actor="a")
    second = any_store.save_processed(processed(), actor="a")
    assert second.created is False and second.message_pk == first.message_pk
    assert second.draft_id == first.draft_id
    assert len(any_store.queue(None)) == 1


def test_reprocessing_replaces_facts_and_supersedes_the_pending_draft(any_store: Store) -> None:
    first = any_store.save_processed(processed(), actor="a")
    again = any_store.save_processed(processed(), actor="b", replace=True)
    assert again.created and again.message_pk == first.message_pk and again.draft_id != first.draft_id
    assert any_store.draft_for(first.message_pk).id == again.draft_id
    assert len(any_store.message(first.message_pk).fields) == 1
    actions = [(a.entity_id, a.action) for a in any_store.audit_log("draft")]
    assert (first.draft_id, "superseded") in actions


def test_approve_records_who_and_keeps_the_edit_beside_the_original(any_store: Store) -> None:
    pk = any_store.save_processed(processed(), actor="a").message_pk
    draft = any_store.approve(pk, actor="alice", edited_body="Bonjour Monsieur Dupont,\n")
    assert draft.status == DraftStatus.APPROVED and draft.reviewed_by == "alice"
    assert draft.body == "Bonjour Jean,\n" and draft.text_to_send == "Bonjour Monsieur Dupont,\n"
    last = any_store.audit_log("draft", draft.id)[-1]
    assert (last.actor, last.action, last.detail["edited"]) == ("alice", "approved", True)


def test_approving_without_a_change_is_not_an_edit(any_store: Store) -> None:
    pk = any_store.save_processed(processed(), actor="a").message_pk
    assert any_store.approve(pk, actor="al", edited_body="Bonjour Jean,\n").final_body is None


def test_reject_needs_a_reason_and_records_it(any_store: Store) -> None:
    pk = any_store.save_processed(processed(), actor="a").message_pk
    with pytest.raises(StoreError, match="reason"):
        any_store.reject(pk, actor="bob", reason=" ")
    draft = any_store.reject(pk, actor="bob", reason="wrong intent")
    assert (draft.status, draft.reject_reason) == (DraftStatus.REJECTED, "wrong intent")


def test_a_rejected_draft_cannot_be_approved(any_store: Store) -> None:
    pk = any_store.save_processed(processed(), actor="a").message_pk
    any_store.reject(pk, actor="bob", reason="no")
    with pytest.raises(InvalidTransition, match="rejected: cannot be approved"):
        any_store.approve(pk, actor="alice")


def test_queue_filters_by_status_and_lists_messages_without_draft(any_store: Store) -> None:
    a = any_store.save_processed(processed("<a@x>"), actor="a").message_pk
    b = any_store.save_processed(processed("<b@x>"), actor="a").message_pk
    c = any_store.save_processed(
        processed("<c@x>", draft=False, intent=Intent.AUTO_REPLY), actor="a"
    ).message_pk
    any_store.approve(b, actor="alice")
    assert [e.message_pk for e in any_store.queue(["pending_review"])] == [a]
    assert [e.message_pk for e in any_store.queue(["approved"])] == [b]
    assert [(e.message_pk, e.status) for e in any_store.queue([NO_DRAFT])] == [(c, NO_DRAFT)]
    assert len(any_store.queue(None)) == 3


def test_unknown_ids_are_not_found(any_store: Store) -> None:
    with pytest.raises(NotFound):
        any_store.message(999)
    pk = any_store.save_processed(processed(draft=False), actor="a").message_pk
    with pytest.raises(NotFound, match="has no draft"):
        any_store.approve(pk, actor="alice")


def test_every_state_change_writes_an_audit_row(any_store: Store) -> None:
    pk = any_store.save_processed(processed(), actor="proc").message_pk
    any_store.approve(pk, actor="alice")
    actions = [(a.entity, a.action, a.actor) for a in any_store.audit_log()]
    assert actions == [
        ("message", "processed", "proc"),
        ("draft", "drafted", "proc"),
        ("draft", "approved", "alice"),
    ]


def test_an_unreachable_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(f"sqlite:///{tmp_path / 'missing-dir' / 'rpa.db'}")
