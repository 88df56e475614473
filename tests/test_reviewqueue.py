"""The review queue's filters, search, counts, pages and order, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from test_store import any_store, processed  # noqa: F401 - the fixture runs on both databases

from rpa.models import Address, Classification, Field, GuardVerdict, Intent
from rpa.store import Store
from rpa.store.claims import Claims
from rpa.store.migrations import apply_migrations
from rpa.store.reviewqueue import QueueFilter, RecentCounts, neighbours, next_in_queue, queue_page


def _message(
    store: Store,
    n: int,
    *,
    intent: Intent = Intent.CLAIM_NEW,
    language: str = "fr",
    flags: tuple[str, ...] = (),
    subject: str = "Sinistre",
    customer: str = "Jean Dupont",
    policy: str = "AUT-1",
    guard_flag: str | None = None,
    age_hours: float = 0,
) -> int:
    result = processed(f"<q-{n}@example.fr>", intent=intent)
    result.message.subject = subject
    result.message.sender = Address(customer, f"c{n}@example.fr")
    result.classification = Classification(language, intent, 0.9)
    result.flags = list(flags)
    result.fields = {"policy_number": Field("policy_number", policy, policy, 0.9, "body")}
    if guard_flag:
        result.draft.guards = [GuardVerdict("facts", False, guard_flag, ("1 200 €",))]
    result.message.attachments = [a for a in result.message.attachments if a.status == "ok"]
    result.errors = []
    pk = store.save_processed(result, actor="rpa").message_pk
    messages, queue = store.t["messages"], store.t["queue_entries"]
    with store.engine.begin() as connection:  # arrival time set by hand: the order is by age
        created = datetime.now(UTC) - timedelta(hours=age_hours)
        connection.execute(messages.update().where(messages.c.id == pk).values(created_at=created))
        connection.execute(queue.update().where(queue.c.message_pk == pk).values(created_at=created))
    return pk


def _ids(page) -> list[int]:  # noqa: ANN001
    return [row.message_pk for row in page.rows]


def test_the_queue_is_oldest_first_and_counts_every_intent(any_store: Store) -> None:  # noqa: F811
    new = _message(any_store, 1, age_hours=1)
    old = _message(any_store, 2, intent=Intent.COMPLAINT, age_hours=30)
    middle = _message(any_store, 3, age_hours=5)
    page = queue_page(any_store, QueueFilter(), actor="alice")
    assert _ids(page) == [old, middle, new] and page.total == 3
    assert page.intent_counts == {"claim_new": 2, "complaint": 1}
    assert _ids(queue_page(any_store, QueueFilter(order="newest"), actor="alice")) == [new, middle, old]
    only = queue_page(any_store, QueueFilter(intent="complaint"), actor="alice")
    assert _ids(only) == [old] and only.total == 1 and only.intent_counts["claim_new"] == 2


def test_filters_on_language_flags_and_review_state(any_store: Store) -> None:  # noqa: F811
    english = _message(any_store, 1, language="en")
    triage = _message(any_store, 2, flags=("needs_triage",))
    guarded = _message(any_store, 3, guard_flag="unsupported_fact")
    done = _message(any_store, 4)
    any_store.approve(done, actor="alice")
    assert _ids(queue_page(any_store, QueueFilter(language="en"), actor="a")) == [english]
    assert _ids(queue_page(any_store, QueueFilter(flag="needs_triage"), actor="a")) == [triage]
    assert _ids(queue_page(any_store, QueueFilter(flag="unsupported_fact"), actor="a")) == [guarded]
    assert _ids(queue_page(any_store, QueueFilter(status="approved"), actor="a")) == [done]
    assert done not in _ids(queue_page(any_store, QueueFilter(), actor="a"))
    assert len(queue_page(any_store, QueueFilter(status="all"), actor="a").rows) == 4


def test_a_message_with_an_unreadable_attachment_carries_the_attachment_error_flag(any_store: Store) -> None:  # noqa: F811
    pk = any_store.save_processed(processed("<broken@example.fr>"), actor="rpa").message_pk
    rows = queue_page(any_store, QueueFilter(flag="attachment_error"), actor="a").rows
    assert [row.message_pk for row in rows] == [pk] and "attachment_error" in rows[0].flags


def test_search_finds_subjects_customers_and_references_whatever_the_accents_and_case(
    any_store: Store,
) -> None:  # noqa: F811
    dupont = _message(any_store, 1, subject="Dégât des eaux", customer="Hélène Dupont", policy="HAB-9921-07")
    other = _message(any_store, 2, subject="Vol de vélo", customer="Marc Petit", policy="AUT-5555")
    for typed, expected in [
        ("degat", [dupont]),
        ("HÉLÈNE", [dupont]),
        ("hab 9921 07", [dupont]),
        ("HAB992107", [dupont]),
        ("petit", [other]),
        ("100%_", []),
    ]:
        assert _ids(queue_page(any_store, QueueFilter(search=typed), actor="a")) == expected, typed


def test_mine_and_unassigned_follow_the_live_claims(any_store: Store) -> None:  # noqa: F811
    mine, theirs, free = (_message(any_store, n, age_hours=10 - n) for n in range(3))
    claims = Claims(any_store)
    soon = datetime.now(UTC) + timedelta(minutes=15)
    claims.claim(mine, "alice", soon)
    claims.claim(theirs, "bob", soon)
    assert _ids(queue_page(any_store, QueueFilter(assignee="mine"), actor="alice")) == [mine]
    assert _ids(queue_page(any_store, QueueFilter(assignee="unassigned"), actor="alice")) == [free]
    rows = {row.message_pk: row.holder for row in queue_page(any_store, QueueFilter(), actor="alice").rows}
    assert rows == {mine: "alice", theirs: "bob", free: None}
    lapsed = datetime.now(UTC) + timedelta(minutes=20)
    assert len(queue_page(any_store, QueueFilter(assignee="unassigned"), actor="alice", now=lapsed).rows) == 3


def test_the_next_message_is_the_oldest_nobody_else_holds(any_store: Store) -> None:  # noqa: F811
    oldest, second, third = (_message(any_store, n, age_hours=10 - n) for n in range(3))
    Claims(any_store).claim(oldest, "bob", datetime.now(UTC) + timedelta(minutes=15))
    assert next_in_queue(any_store, QueueFilter(), actor="alice") == second
    assert next_in_queue(any_store, QueueFilter(), actor="bob") == oldest
    assert next_in_queue(any_store, QueueFilter(), actor="alice", skip=[second]) == third
    assert neighbours(any_store, QueueFilter(), second, actor="alice") == (oldest, third)
    assert neighbours(any_store, QueueFilter(order="newest"), second, actor="alice") == (third, oldest)


def test_pages_split_a_long_queue(any_store: Store) -> None:  # noqa: F811
    pks = [_message(any_store, n, age_hours=100 - n) for n in range(7)]
    first = queue_page(any_store, QueueFilter(), actor="a", page=1, page_size=3)
    last = queue_page(any_store, QueueFilter(), actor="a", page=3, page_size=3)
    assert (first.total, first.pages, _ids(first)) == (7, 3, pks[:3])
    assert _ids(last) == pks[6:]


def test_an_unknown_filter_value_is_refused() -> None:
    with pytest.raises(ValueError, match="status must be one of"):
        QueueFilter(status="lost")
    with pytest.raises(ValueError, match="assignee"):
        QueueFilter(assignee="everyone")


def test_messages_stored_before_the_workspace_get_their_queue_columns(tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    apply_migrations(engine, upto=5)  # a store as the previous release left it
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO messages (id, message_key, source, subject, sender_email, customer_name, flags, errors,"
                " content_hash, created_at, updated_at, intent, kind)"
                " VALUES (1, 'k', 'old.eml', 'Ancien sinistre', 'a@example.fr', 'Anne Ancien', '[]', '[]', 'h',"
                " :now, :now, 'claim_new', 'mail')"
            ),
            {"now": now},
        )
        connection.execute(
            sa.text(
                "INSERT INTO drafts (message_pk, status, subject, body, to_email, language, intent, template,"
                " backend, missing_fields, created_at, updated_at)"
                " VALUES (1, 'pending_review', 'Re', 'Bonjour', 'a@example.fr', 'fr', 'claim_new', 't', 'template',"
                " '[]', :now, :now)"
            ),
            {"now": now},
        )
        connection.execute(
            sa.text(
                "INSERT INTO fields (message_pk, name, value, raw, confidence, source)"
                " VALUES (1, 'policy_number', 'OLD-123', 'OLD-123', 0.9, 'body')"
            )
        )
    engine.dispose()
    with Store(url) as store:  # opening migrates to the newest schema, filling the queue's columns
        (row,) = queue_page(store, QueueFilter(search="old 123"), actor="a").rows
        assert (row.message_pk, row.status, row.customer) == (1, "pending_review", "Anne Ancien")
        assert row.flags == []


def test_recent_counts_serve_the_same_filter_for_a_few_seconds_and_the_rows_stay_fresh(
    any_store: Store,
) -> None:
    first = _message(any_store, 1)
    recent = RecentCounts(seconds=60)
    assert queue_page(any_store, QueueFilter(), actor="a", recent=recent).total == 1
    second = _message(any_store, 2)
    page = queue_page(any_store, QueueFilter(), actor="a", recent=recent)
    assert page.total == 1 and set(_ids(page)) == {first, second}  # counts a moment old, rows fresh
    assert queue_page(any_store, QueueFilter(), actor="a", recent=RecentCounts(seconds=0)).total == 2
    assert queue_page(any_store, QueueFilter(language="fr"), actor="a", recent=recent).total == 2
