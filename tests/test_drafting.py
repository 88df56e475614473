"""Template drafts: the customer's language, the right letter, missing facts asked for."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from drafting import BACKENDS, DraftBackend, DraftRequest, make_backend, reply_subject
from drafting.templates import load_catalog
from rpa.config import DraftingSettings, ModelSettings, OpenAISettings, Settings
from rpa.errors import ConfigError, DraftingError
from rpa.models import Address, Attachment, AttachmentStatus, Classification, Field, Intent, Message
from rpa.resources import bundled_path

TEMPLATES = bundled_path("templates")


def field(name: str, value: str) -> Field:
    return Field(name, value, value, 0.9, "body")


def request(
    intent: Intent,
    language: str = "fr",
    fields: dict[str, str] | None = None,
    attachments: list[Attachment] = (),
    subject: str = "Sinistre",
) -> DraftRequest:
    message = Message(
        source="t",
        message_id="<1@x>",
        subject=subject,
        sender=Address("Jean Dupont", "jean@example.fr"),
        attachments=list(attachments),
    )
    return DraftRequest(
        message, {n: field(n, v) for n, v in (fields or {}).items()}, Classification(language, intent, 0.9)
    )


def settings_with(**drafting: object) -> Settings:
    return Settings(home=Path("/nonexistent"), drafting=DraftingSettings(**drafting))


@pytest.fixture
def backend() -> DraftBackend:
    return make_backend(settings_with(team_name="Mutuelle Exemple"), TEMPLATES)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("intent", [i for i in Intent if i != Intent.AUTO_REPLY])
def test_every_intent_has_a_letter_in_both_languages(
    backend: DraftBackend, intent: Intent, language: str
) -> None:
    draft = backend.draft(request(intent, language, {"customer_name": "Jean Dupont"}))
    assert draft.language == language and draft.intent == intent
    assert draft.body.startswith("Bonjour Jean Dupont," if language == "fr" else "Dear Jean Dupont,")
    assert draft.body.rstrip().endswith("Mutuelle Exemple")
    assert "{{" not in draft.body and "None" not in draft.body


def test_a_new_claim_missing_its_facts_asks_for_them_by_name(backend: DraftBackend) -> None:
    draft = backend.draft(request(Intent.CLAIM_NEW, "fr"))
    assert draft.missing_fields == ["policy_number", "incident_date"]
    assert "- votre numéro de contrat" in draft.body
    assert "- la date du sinistre" in draft.body


def test_a_complete_new_claim_asks_for_nothing_and_states_the_facts(backend: DraftBackend) -> None:
    draft = backend.draft(
        request(Intent.CLAIM_NEW, "fr", {"policy_number": "AUT-4587-2291", "incident_date": "2025-03-14"})
    )
    assert draft.missing_fields == []
    assert "pourriez-vous nous communiquer" not in draft.body
    assert "survenu le 14 mars 2025" in draft.body and "AUT-4587-2291" in draft.body


def test_one_of_a_group_is_enough(backend: DraftBackend) -> None:
    assert backend.draft(request(Intent.CLAIM_FOLLOWUP, "en", {"policy_number": "P-1"})).missing_fields == []
    assert backend.draft(request(Intent.CLAIM_FOLLOWUP, "en")).missing_fields == ["claim_number"]


def test_amounts_and_dates_are_written_the_customers_way(backend: DraftBackend) -> None:
    facts = {
        "total_amount": "1842.50",
        "currency": "EUR",
        "policy_number": "P-1",
        "invoice_date": "2025-04-09",
        "invoice_number": "FA-1",
    }
    fr = backend.draft(request(Intent.REIMBURSEMENT, "fr", facts)).body
    en = backend.draft(request(Intent.REIMBURSEMENT, "en", facts)).body
    assert "1\u202f842,50\xa0€" in fr and "9 avril 2025" in fr
    assert "€1,842.50" in en and "9 April 2025" in en


def test_unreadable_attachments_are_named_and_asked_again(backend: DraftBackend) -> None:
    broken = Attachment("constat.pdf", "application/pdf", 10, status=AttachmentStatus.ERROR, error="corrupt")
    good = Attachment("photo.jpg", "image/jpeg", 10)
    body = backend.draft(request(Intent.CLAIM_NEW, "fr", attachments=[broken, good])).body
    assert "« constat.pdf » joint à votre message n'a pas pu être lu" in body
    assert "photo.jpg" in body


def test_the_reply_goes_to_the_customer_with_a_re_subject(backend: DraftBackend) -> None:
    draft = backend.draft(request(Intent.INFORMATION, "fr", subject="RE: re: Question"))
    assert draft.subject == "Re: Question"
    assert draft.to == Address("Jean Dupont", "jean@example.fr")
    assert draft.template == "fr/information.txt.j2"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [("Sinistre", "Re: Sinistre"), ("Re: Sinistre", "Re: Sinistre"), ("RE : AW: x", "Re: x"), ("", "Re:")],
)
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_a_misspelt_template_variable_is_an_error_not_a_hole(tmp_path: Path, backend: DraftBackend) -> None:
    for item in TEMPLATES.rglob("*"):
        target = tmp_path / item.relative_to(TEMPLATES)
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.write_bytes(item.read_bytes())
    (tmp_path / "fr" / "other.txt.j2").write_text("Bonjour {{ custmer_name }}")
    broken = make_backend(settings_with(), tmp_path)
    with pytest.raises(DraftingError, match="custmer_name"):
        broken.draft(request(Intent.OTHER, "fr"))


def test_a_message_without_sender_cannot_be_answered(backend: DraftBackend) -> None:
    req = request(Intent.OTHER)
    req.message.sender = None
    with pytest.raises(DraftingError, match="no sender"):
        backend.draft(req)


def test_an_unknown_backend_is_a_configuration_error() -> None:
    with pytest.raises(
        ConfigError, match=r"\[drafting\] backend must be one of template, transformers, openai, not 'gpt'"
    ):
        settings_with(backend="gpt")


def test_every_registered_backend_satisfies_the_protocol(tmp_path: Path) -> None:
    configured = dataclasses.replace(
        settings_with(),
        model=ModelSettings(path=str(tmp_path)),
        openai=OpenAISettings(model="any"),
    )
    for name, factory in BACKENDS.items():
        backend = factory(configured, TEMPLATES)
        assert isinstance(backend, DraftBackend) and backend.name == name


def test_the_catalog_covers_every_intent_but_auto_reply() -> None:
    catalog = load_catalog(TEMPLATES)
    assert set(catalog.requirements) == {str(i) for i in Intent} - {"auto_reply"}
