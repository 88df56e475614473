"""Claims on messages and the review transitions that respect them, on SQLite and PostgreSQL:
one holder at a time, and of two agents approving at the same moment exactly one succeeds."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from test_store import any_store, processed  # noqa: F401 - the fixture runs on both databases

from rpa.errors import Claimed, InvalidTransition, StoreError
from rpa.models import DraftStatus
from rpa.store import Store
from rpa.store.claims import Claims


def _in(minutes: float) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


def test_a_claim_is_one_agent_s_until_it_lapses(any_store: Store) -> None:  # noqa: F811
    pk = any_store.save_processed(processed(), actor="rpa").message_pk
    claims = Claims(any_store)
    claims.claim(pk, "alice", _in(15))
    with pytest.raises(Claimed, match="being reviewed by alice") as taken:
        claims.claim(pk, "bob", _in(15))
    assert taken.value.holder == "alice"
    renewed = claims.claim(pk, "alice", _in(30))
    assert renewed.holder == "alice" and renewed.expires_at > _in(29)
    later = datetime.now(UTC) + timedelta(minutes=31)
    assert claims.claim(pk, "bob", later + timedelta(minutes=15), now=later).holder == "bob"
    actions = [(a.actor, a.action) for a in any_store.audit_log("message", pk)]
    assert actions.count(("alice", "claimed")) == 1 and ("bob", "claimed") in actions


def test_nobody_else_approves_or_rejects_a_claimed_message(any_store: Store) -> None:  # noqa: F811
    pk = any_store.save_processed(processed(), actor="rpa").message_pk
    Claims(any_store).claim(pk, "alice", _in(15))
    with pytest.raises(Claimed):
        any_store.approve(pk, actor="bob")
    with pytest.raises(Claimed):
        any_store.reject(pk, actor="bob", reason="wrong intent")
    assert any_store.approve(pk, actor="alice").status == DraftStatus.APPROVED
    assert Claims(any_store).current(pk) is None  # the review ended the claim


def test_a_supervisor_assigns_and_releases_whatever_the_claim(any_store: Store) -> None:  # noqa: F811
    pk = any_store.save_processed(processed(), actor="rpa").message_pk
    claims = Claims(any_store)
    claims.claim(pk, "alice", _in(15))
    given = claims.assign(pk, "bob", by="sam", until=_in(8 * 60))
    assert (given.holder, given.assigned_by) == ("bob", "sam")
    assert claims.claim(pk, "bob", _in(15)).expires_at > _in(7 * 60)  # opening it keeps the assignment
    assert claims.release(pk, "alice") is False
    assert claims.release(pk, "sam", anyone=True) is True
    assert claims.current(pk) is None
    trail = [(a.actor, a.action, a.detail.get("holder")) for a in any_store.audit_log("message", pk)]
    assert ("sam", "assigned", "bob") in trail and ("sam", "released", "bob") in trail


def test_an_approval_of_a_replaced_draft_is_refused(any_store: Store) -> None:  # noqa: F811
    outcome = any_store.save_processed(processed(), actor="rpa")
    any_store.save_processed(processed(), actor="rpa", replace=True)
    with pytest.raises(InvalidTransition, match="was replaced"):
        any_store.approve(outcome.message_pk, actor="alice", draft_id=outcome.draft_id)


def test_of_two_simultaneous_approvals_exactly_one_is_recorded(any_store: Store) -> None:  # noqa: F811
    keys = [f"<race-{n}@example.fr>" for n in range(6)]
    pks = [any_store.save_processed(processed(key), actor="rpa").message_pk for key in keys]
    for pk in pks:
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def approve(
            agent: str, pk: int = pk, barrier: threading.Barrier = barrier, outcomes: list[str] = outcomes
        ) -> None:
            barrier.wait()
            try:
                any_store.approve(pk, actor=agent, edited_body=f"Bonjour, réponse de {agent}.")
                outcomes.append("approved")
            except StoreError as exc:  # InvalidTransition or Claimed: the other one won
                outcomes.append(type(exc).__name__)

        threads = [threading.Thread(target=approve, args=(agent,)) for agent in ("alice", "bob")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes)[0] == "InvalidTransition" and outcomes.count("approved") == 1, outcomes
        approvals = [
            a for a in any_store.audit_log("draft", any_store.draft_for(pk).id) if a.action == "approved"
        ]
        assert len(approvals) == 1
        assert any_store.draft_for(pk).final_body == f"Bonjour, réponse de {approvals[0].actor}."
