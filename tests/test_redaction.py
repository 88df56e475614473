"""Redaction: personal data leaves as placeholders and comes back in the reply."""

from __future__ import annotations

from drafting.redaction import Redactor

MAIL = (
    "Bonjour, je suis Jean Dupont (jean.dupont@example.fr, 06 12 34 56 78). Mon IBAN est "
    "FR76 3000 6000 0112 3456 7890 189. M. Dupont, tél. +33 6 98 76 54 32. Contrat AUT-4587-2291."
)


def test_ibans_phones_addresses_and_names_become_placeholders() -> None:
    redacted = Redactor(["Jean Dupont"]).redact(MAIL)
    for secret in ("Jean", "Dupont", "jean.dupont@example.fr", "06 12 34 56 78", "FR76 3000", "98 76 54 32"):
        assert secret not in redacted
    assert "[NAME_1]" in redacted and "[EMAIL_1]" in redacted and "[IBAN_1]" in redacted
    assert "[PHONE_1]" in redacted and "[PHONE_2]" in redacted
    assert "AUT-4587-2291" in redacted  # a policy number identifies a contract, not a person


def test_a_redacted_text_restores_to_the_original() -> None:
    redactor = Redactor(["Jean Dupont"])
    assert redactor.restore(redactor.redact(MAIL)) == MAIL


def test_the_same_value_keeps_its_placeholder_across_the_prompt() -> None:
    redactor = Redactor(["Jean Dupont"])
    first = redactor.redact("Bonjour Jean Dupont, jean.dupont@example.fr")
    second = redactor.redact("Signé : Jean Dupont <jean.dupont@example.fr>")
    assert first == "Bonjour [NAME_1], [EMAIL_1]"
    assert second == "Signé : [NAME_1] <[EMAIL_1]>"


def test_a_reply_written_with_placeholders_gets_the_values_back() -> None:
    redactor = Redactor(["Claire Martin"])
    redactor.redact("Claire Martin, IBAN GB33BUKB20201555555555, claire@example.co.uk")
    reply = "Dear [NAME_1],\nWe will write to [email_1] about [IBAN_1]. [NAME_9] is unknown."
    assert redactor.restore(reply) == (
        "Dear Claire Martin,\nWe will write to claire@example.co.uk about "
        "GB33BUKB20201555555555. [NAME_9] is unknown."
    )


def test_a_surname_alone_is_redacted_too() -> None:
    redactor = Redactor(["Jean Dupont"])
    redacted = redactor.redact("Madame, Monsieur Dupont, Jean a appelé.")
    assert "Dupont" not in redacted and "Jean" not in redacted
    assert redactor.restore(redacted) == "Madame, Monsieur Dupont, Jean a appelé."
