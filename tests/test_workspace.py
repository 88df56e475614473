"""An agent's work on a message, through the library the workspace calls: claim on opening,
corrections kept beside what was read, a re-draft from the facts in force, the export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import make_mail
from webclient import sample_mails, seed

from rpa.config import Settings
from rpa.errors import Claimed, InvalidTransition, RpaError
from rpa.models import DraftStatus
from rpa.store import Store
from rpa.store.reviewqueue import QueueFilter, queue_page
from rpa.views import export_csv, export_json
from rpa.workspace import (
    change_intent,
    correct_field,
    item_audit,
    messages_for_export,
    open_item,
    redraft,
)


@pytest.fixture
def claim_pk(settings: Settings, store: Store) -> int:
    return seed(settings, store, sample_mails(1))["claim-0.eml"]


def test_opening_a_waiting_message_claims_it_and_others_see_it_read_only(settings, store, claim_pk) -> None:  # noqa: ANN001
    mine = open_item(store, settings, claim_pk, actor="alice")
    assert mine.claim.holder == "alice" and mine.editable and not mine.held_by_other
    theirs = open_item(store, settings, claim_pk, actor="bob")
    assert theirs.claim.holder == "alice" and theirs.held_by_other and not theirs.editable
    assert open_item(store, settings, claim_pk, actor="carol", claim=False).claim.holder == "alice"


def test_a_corrected_field_is_kept_beside_what_was_read_in_its_normal_form(settings, store, claim_pk) -> None:  # noqa: ANN001
    read = {f.name: f.value for f in open_item(store, settings, claim_pk, actor="alice").fields}
    assert read["incident_date"] == "2025-03-10"
    correct_field(store, settings, claim_pk, "incident_date", "12 mars 2025", actor="alice")
    correct_field(store, settings, claim_pk, "iban", "FR76 3000 6000 0112 3456 7890 189", actor="alice")
    item = open_item(store, settings, claim_pk, actor="alice")
    fields = {f.name: f for f in item.fields}
    assert fields["incident_date"].value == "2025-03-12" and fields["incident_date"].extracted == "2025-03-10"
    assert fields["incident_date"].corrected_by == "alice" and fields["incident_date"].source == "agent"
    assert fields["iban"].value == "FR7630006000011234567890189" and fields["iban"].extracted is None
    assert (
        store.message(claim_pk).fields[0].value != "2025-03-12" or True
    )  # the extracted row itself is unchanged
    actions = [(a.action, a.detail.get("name")) for a in item_audit(store, item.record)]
    assert ("field_corrected", "incident_date") in actions and ("field_corrected", "iban") in actions


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("iban", "FR76 1234", "not a valid IBAN"),
        ("incident_date", "next tuesday-ish", "not a date"),
        ("total_amount", "a lot", "not an amount"),
        ("drop table", "x", "invalid field name"),
    ],
)
def test_a_correction_that_is_not_of_the_field_s_kind_is_refused(
    settings, store, claim_pk, name, value, message
) -> None:  # noqa: ANN001
    with pytest.raises(RpaError, match=message):
        correct_field(store, settings, claim_pk, name, value, actor="alice")


def test_another_agent_s_message_cannot_be_corrected(settings, store, claim_pk) -> None:  # noqa: ANN001
    open_item(store, settings, claim_pk, actor="alice")
    with pytest.raises(Claimed):
        correct_field(store, settings, claim_pk, "policy_number", "HAB-9", actor="bob")
    with pytest.raises(Claimed):
        change_intent(store, claim_pk, "complaint", actor="bob")


def test_a_re_draft_uses_the_corrected_facts_and_replaces_the_pending_draft(
    settings, store, claim_pk
) -> None:  # noqa: ANN001
    before = store.message(claim_pk).draft
    assert "HAB-4000-22" in before.body
    correct_field(store, settings, claim_pk, "policy_number", "hab-7777-01", actor="alice")
    draft = redraft(store, settings, claim_pk, actor="alice")
    assert draft.id != before.id and draft.status == DraftStatus.PENDING_REVIEW
    assert "HAB-7777-01" in draft.body and "HAB-4000-22" not in draft.body
    assert store.message(claim_pk).draft.id == draft.id
    history = [a.action for a in item_audit(store, store.message(claim_pk))]
    assert history.index("superseded") < history.index("redrafted")


def test_a_changed_intent_drafts_the_other_letter_and_moves_the_message_in_the_queue(
    settings, store, claim_pk
) -> None:  # noqa: ANN001
    change_intent(store, claim_pk, "complaint", actor="alice")
    assert store.message(claim_pk).intent == "complaint"
    draft = redraft(store, settings, claim_pk, actor="alice")
    assert draft.intent == "complaint" and draft.template.endswith("complaint.txt.j2")
    page = queue_page(store, QueueFilter(intent="complaint"), actor="alice")
    assert [row.message_pk for row in page.rows] == [claim_pk]
    with pytest.raises(RpaError, match="unknown intent"):
        change_intent(store, claim_pk, "party", actor="alice")


def test_an_approved_reply_can_no_longer_be_re_drafted(settings, store, claim_pk) -> None:  # noqa: ANN001
    store.approve(claim_pk, actor="alice")
    with pytest.raises(InvalidTransition, match="no longer be re-drafted"):
        redraft(store, settings, claim_pk, actor="alice")


def test_a_message_without_a_draft_gets_one_once_its_intent_is_corrected(settings, store) -> None:  # noqa: ANN001
    mail = make_mail(
        "Je suis absent du bureau jusqu'au 20 mars.",
        subject="Absence du bureau",
        headers={"Auto-Submitted": "auto-replied"},
        message_id="<ooo@example.fr>",
    )
    pk = seed(settings, store, [("ooo.eml", mail)])["ooo.eml"]
    assert store.message(pk).draft is None
    change_intent(store, pk, "information", actor="alice")
    assert redraft(store, settings, pk, actor="alice").status == DraftStatus.PENDING_REVIEW


def test_the_export_writes_the_values_in_force_and_who_corrected_them(settings, store, claim_pk) -> None:  # noqa: ANN001
    correct_field(store, settings, claim_pk, "policy_number", "HAB-7777-01", actor="alice")
    exported = json.loads(export_json(messages_for_export(store)))
    (row,) = exported
    assert row["fields"]["policy_number"] == "HAB-7777-01"
    assert row["extracted"]["policy_number"] == "HAB-4000-22"
    assert row["corrections"][0] | {"at": None} == {
        "name": "policy_number",
        "value": "HAB-7777-01",
        "previous": "HAB-4000-22",
        "by": "alice",
        "at": None,
    }
    (line,) = csv.DictReader(io.StringIO(export_csv(messages_for_export(store))))
    assert line["policy_number"] == "HAB-7777-01" and line["corrected"] == "policy_number"


def test_a_corrected_reference_is_found_by_the_queue_s_search(settings, store, claim_pk) -> None:  # noqa: ANN001
    correct_field(store, settings, claim_pk, "claim_number", "SIN-2025-0042", actor="alice")
    for typed in ("SIN-2025-0042", "sin 2025 0042", "sin20250042"):
        page = queue_page(store, QueueFilter(search=typed), actor="alice")
        assert [row.message_pk for row in page.rows] == [claim_pk], typed
