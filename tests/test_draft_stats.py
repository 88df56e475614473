"""What agents did with drafts (`rpa stats`), and the drafting verdicts kept with each draft."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_mail, run_rpa
from test_store import _postgres_store

from rpa.models import (
    Address,
    Classification,
    Draft,
    GuardVerdict,
    Intent,
    Message,
    Passage,
    ProcessedMessage,
)
from rpa.stats import draft_stats, similarity
from rpa.store import Store
from rpa.views import message_json, show_text

CUSTOMER = Address("Jean Dupont", "jean@example.fr")


def saved(
    store: Store,
    key: str,
    *,
    intent: Intent = Intent.CLAIM_NEW,
    backend: str = "template",
    body: str = "Bonjour Jean,\nVotre dossier est enregistré.\n",
    **extra: object,
) -> int:
    message = Message(
        source=f"{key}.eml",
        message_id=f"<{key}@x>",
        subject="Sinistre",
        sender=CUSTOMER,
        content_hash="ab" * 32,
    )
    draft = Draft(
        "Re: Sinistre", body, CUSTOMER, "fr", intent, f"fr/{intent}.txt.j2", backend=backend, **extra
    )
    result = ProcessedMessage(message, {}, Classification("fr", intent, 0.9), draft)
    return store.save_processed(result, actor="test").message_pk


def test_stats_count_drafts_approvals_edits_and_rejections_per_intent_template_and_backend(
    store: Store,
) -> None:
    unchanged = saved(store, "a")
    edited = saved(store, "b", backend="openai")
    rejected = saved(store, "c", intent=Intent.COMPLAINT)
    saved(store, "d", intent=Intent.COMPLAINT)  # still pending
    store.approve(unchanged, actor="agent")
    store.approve(edited, actor="agent", edited_body="Bonjour Jean,\nVotre dossier est bien enregistré.\n")
    store.reject(rejected, actor="agent", reason="wrong intent")
    stats = draft_stats(store)
    by_intent = {row.key: row for row in stats["intent"]}
    claim, complaint = by_intent["claim_new"], by_intent["complaint"]
    assert (claim.drafts, claim.approved_unchanged, claim.approved_edited, claim.rejected) == (2, 1, 1, 0)
    assert (
        complaint.drafts,
        complaint.approved_unchanged,
        complaint.approved_edited,
        complaint.rejected,
    ) == (2, 0, 0, 1)
    edit_similarity = similarity(
        "Bonjour Jean,\nVotre dossier est enregistré.\n",
        "Bonjour Jean,\nVotre dossier est bien enregistré.\n",
    )
    assert 0.8 < edit_similarity < 1.0
    assert claim.mean_similarity == pytest.approx((1.0 + edit_similarity) / 2)
    assert complaint.mean_similarity is None
    assert [row.key for row in stats["backend"]] == ["openai", "template"]
    assert [row.key for row in stats["template"]] == ["fr/claim_new.txt.j2", "fr/complaint.txt.j2"]


def test_the_stats_command_prints_a_table_and_json(tmp_path: Path) -> None:
    home = tmp_path / "home"
    mail = tmp_path / "claim.eml"
    mail.write_bytes(
        make_mail(
            "Bonjour,\nJe déclare un dégât des eaux du 14 mars 2025, contrat HAB-20931874.\nJean Dupont"
        )
    )
    processed = json.loads(run_rpa("process", str(mail), "--json", home=home).stdout)
    assert run_rpa("approve", str(processed["id"]), home=home).returncode == 0
    table = run_rpa("stats", home=home)
    assert table.returncode == 0, table.stderr
    assert "intent" in table.stdout and "claim_new" in table.stdout and "similarity" in table.stdout
    as_json = json.loads(run_rpa("stats", "--json", home=home).stdout)
    assert as_json["backend"] == [
        {
            "key": "template",
            "drafts": 1,
            "approved_unchanged": 1,
            "approved_edited": 0,
            "rejected": 0,
            "mean_similarity": 1.0,
        }
    ]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_guard_verdicts_the_model_reply_and_passages_are_kept_and_shown(
    tmp_path: Path, database: str
) -> None:
    if database == "sqlite":
        store, cleanup = Store(f"sqlite:///{tmp_path / 'rpa.db'}"), lambda: None
    else:
        store = _postgres_store()  # a schema of its own, dropped by cleanup()
        cleanup = store.cleanup
    try:
        verdicts = [
            GuardVerdict("facts", False, "unsupported_fact", ("1 250,00",), "facts not in the fields"),
            GuardVerdict("letter", True, "not_a_letter"),
        ]
        passage = Passage(
            "kb/fr/degat-des-eaux.md",
            "Dégât des eaux > Pièces à demander",
            "le constat amiable dégât des eaux",
            "fr",
            0.42,
        )
        pk = saved(
            store,
            "g",
            backend="openai",
            generated_body="Bonjour Jean,\nNous vous verserons 1 250,00 €.\n",
            guards=verdicts,
            passages=[passage],
        )
        record = store.message(pk)
    finally:
        store.close()
        cleanup()
    draft = message_json(record)["draft"]
    assert draft["draft_flags"] == ["unsupported_fact"] and draft["guards"][0]["spans"] == ["1 250,00"]
    assert draft["passages"][0]["title"] == "Dégât des eaux > Pièces à demander"
    shown = show_text(record)
    assert "Guards (openai): facts FAILED, letter ok" in shown
    assert "unsupported_fact: facts not in the fields: '1 250,00'" in shown
    assert "Nous vous verserons 1 250,00" in shown.split("shown second because a guard failed:")[1]
    assert "[0.420] Dégât des eaux > Pièces à demander  (kb/fr/degat-des-eaux.md)" in shown
