"""The rule classifier: one realistic request per intent and language."""

from __future__ import annotations

import pytest
from conftest import parsed_message as message

from extractors.intent import CLASSIFIERS, IntentClassifier, RuleClassifier
from rpa.models import Attachment, Field, Intent, Message, Page

CASES = [
    (
        "fr",
        Intent.CLAIM_NEW,
        "Déclaration de sinistre",
        "Bonjour, je souhaite déclarer un dégât des eaux survenu hier dans ma salle de bain. Le plafond est endommagé.",
    ),
    (
        "en",
        Intent.CLAIM_NEW,
        "Car accident",
        "Hello, I would like to report a claim: my car was hit by another vehicle yesterday at a roundabout.",
    ),
    (
        "fr",
        Intent.CLAIM_FOLLOWUP,
        "Mon dossier",
        "Bonjour, où en est mon dossier ? Je n'ai toujours pas de nouvelles depuis trois semaines.",
    ),
    (
        "en",
        Intent.CLAIM_FOLLOWUP,
        "Any update?",
        "Hi, I'm following up on my claim. Could you tell me the status of my claim? Still waiting.",
    ),
    (
        "fr",
        Intent.DOCUMENTS_SUBMISSION,
        "Pièces demandées",
        "Bonjour, comme convenu, vous trouverez ci-joint les pièces justificatives demandées.",
    ),
    (
        "en",
        Intent.DOCUMENTS_SUBMISSION,
        "Documents",
        "Hello, please find attached the documents you requested for my file.",
    ),
    (
        "fr",
        Intent.REIMBURSEMENT,
        "Demande de remboursement",
        "Bonjour, je vous envoie la facture de pharmacie pour remboursement de mes frais.",
    ),
    (
        "en",
        Intent.REIMBURSEMENT,
        "Refund request",
        "Hello, I paid the vet myself and I would like a refund of the costs I paid.",
    ),
    (
        "fr",
        Intent.COMPLAINT,
        "Réclamation",
        "C'est inadmissible, trois mois sans réponse. Je suis très mécontent et je vais saisir le médiateur.",
    ),
    (
        "en",
        Intent.COMPLAINT,
        "Formal complaint",
        "This is unacceptable. I want to make a formal complaint about the way my case was handled.",
    ),
    (
        "fr",
        Intent.CONTRACT_CHANGE,
        "Changement d'adresse",
        "Bonjour, suite à mon déménagement je vous communique ma nouvelle adresse pour mon contrat.",
    ),
    (
        "en",
        Intent.CONTRACT_CHANGE,
        "New car",
        "Hello, I have bought a new car and would like to update my policy and add a named driver.",
    ),
    (
        "fr",
        Intent.CANCELLATION,
        "Résiliation",
        "Madame, Monsieur, je souhaite résilier mon contrat habitation à l'échéance, conformément à la loi Hamon.",
    ),
    (
        "en",
        Intent.CANCELLATION,
        "Cancel my policy",
        "Dear Sir or Madam, please cancel my home insurance policy from the end of this month.",
    ),
    (
        "fr",
        Intent.INFORMATION,
        "Question",
        "Bonjour, j'aimerais savoir si mon contrat couvre le bris de lunettes. Pourriez-vous m'indiquer la garantie ?",
    ),
    (
        "en",
        Intent.INFORMATION,
        "Question about cover",
        "Hello, I would like to know whether my policy covers a trip abroad. Could you tell me?",
    ),
]


@pytest.mark.parametrize(
    ("language", "intent", "subject", "text"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_each_intent_is_recognised(language: str, intent: Intent, subject: str, text: str) -> None:
    result = RuleClassifier().classify(message(subject, text), {}, language)
    assert (result.intent, result.language) == (intent, language)
    assert 0 < result.confidence <= 1


def test_auto_reply_header_wins_over_words() -> None:
    mail = message(
        "Réclamation",
        "Je suis absent, je traiterai votre réclamation à mon retour.",
        Auto_Submitted="auto-replied",
    )
    result = RuleClassifier().classify(mail, {}, "fr")
    assert result.intent == Intent.AUTO_REPLY
    assert result.confidence > 0.9


def test_a_mail_without_any_request_is_other() -> None:
    result = RuleClassifier().classify(
        message("Bonne année", "Toute l'équipe vous souhaite une belle année."), {}, "fr"
    )
    assert result.intent == Intent.OTHER


def test_a_claim_number_in_the_text_points_to_a_follow_up() -> None:
    mail = message("SIN-2025-00412", "Bonjour, des nouvelles concernant ce dossier ?")
    fields = {"claim_number": Field("claim_number", "SIN-2025-00412", "SIN-2025-00412", 0.9, "body")}
    assert RuleClassifier().classify(mail, fields, "fr").intent == Intent.CLAIM_FOLLOWUP


def test_a_bare_document_is_read_for_its_intent() -> None:
    invoice = Attachment(
        "facture.pdf",
        "application/pdf",
        100,
        pages=[Page(1, "FACTURE\nPharmacie du Centre\nTotal TTC 42,00 €")],
    )
    mail = Message(
        source="facture.pdf", message_id=None, subject="facture.pdf", sender=None, attachments=[invoice]
    )
    fields = {"total_amount": Field("total_amount", "42.00", "42,00 €", 0.9, "attachment:facture.pdf#p1")}
    assert RuleClassifier().classify(mail, fields, "fr").intent in (
        Intent.REIMBURSEMENT,
        Intent.DOCUMENTS_SUBMISSION,
    )


def test_every_registered_classifier_satisfies_the_protocol() -> None:
    for name, factory in CLASSIFIERS.items():
        classifier = factory()
        assert isinstance(classifier, IntentClassifier)
        assert classifier.name == name


def test_a_newsletter_from_a_mailing_list_is_other_even_when_it_talks_of_claims() -> None:
    mail = message(
        "Nos conseils avant l'hiver",
        "Comment déclarer un sinistre ? Nos conseils pour un remboursement rapide.",
        List_Unsubscribe="<mailto:unsubscribe@news.example>",
        Precedence="bulk",
    )
    assert RuleClassifier().classify(mail, {}, "fr").intent == Intent.OTHER


def test_a_mail_with_only_attachments_and_no_words_is_a_documents_submission() -> None:
    scan = Attachment("scan.jpg", "image/jpeg", 100, pages=[Page(1, "Attestation")])
    mail = message("", "", attachments=[scan])
    assert RuleClassifier().classify(mail, {}, "fr").intent == Intent.DOCUMENTS_SUBMISSION


def test_a_reply_subject_does_not_make_claim_words_a_new_claim() -> None:
    mail = message("RE: Déclaration de sinistre", "Bonjour, avez-vous bien reçu mon courrier ? Merci.")
    assert RuleClassifier().classify(mail, {}, "fr").intent == Intent.CLAIM_FOLLOWUP
