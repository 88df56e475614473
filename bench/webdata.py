"""The synthetic messages of bench/web.py: message number `n`, drawn deterministically, as the
pipeline would have stored it (the mail, its fields, its classification and its draft), and what
the agents already did with it."""

from __future__ import annotations

import email.message
import email.utils
import hashlib
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rpa.models import (  # noqa: E402
    Address,
    Attachment,
    AttachmentStatus,
    Classification,
    Draft,
    Field,
    GuardVerdict,
    Intent,
    Message,
    Page,
    Passage,
    ProcessedMessage,
)

__all__ = ["GENERATOR", "PDF_SHARE", "Facts", "facts", "review_of", "synthetic_message"]

GENERATOR = 3  # bump when the seeded messages change: cached stores are seeded again
PDF_SHARE = 0.03  # mails with a PDF the workspace can draw

_FIRST = (
    "Jean Marie Claire Louis Sophie Nicolas Camille Julien Chloé Thomas Léa Antoine Manon Hugo Emma "
    "Lucas Inès Paul Sarah Mathieu Élodie Pierre Anne Olivier Isabelle David Laura Marc Julie Éric"
).split()
_LAST = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre "
    "Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre Mercier Dupont "
    "Lambert Bonnet François Martinez Smith Jones Taylor Brown Wilson Evans"
).split()
_INTENTS = [  # (intent, weight)
    (Intent.CLAIM_NEW, 20),
    (Intent.CLAIM_FOLLOWUP, 20),
    (Intent.DOCUMENTS_SUBMISSION, 14),
    (Intent.REIMBURSEMENT, 10),
    (Intent.COMPLAINT, 8),
    (Intent.CONTRACT_CHANGE, 8),
    (Intent.CANCELLATION, 5),
    (Intent.INFORMATION, 8),
    (Intent.AUTO_REPLY, 3),
    (Intent.OTHER, 4),
]
_SUBJECTS = {
    "fr": {
        Intent.CLAIM_NEW: "Déclaration de sinistre {policy}",
        Intent.CLAIM_FOLLOWUP: "Re: Mon dossier {claim}",
        Intent.DOCUMENTS_SUBMISSION: "Pièces justificatives sinistre {claim}",
        Intent.REIMBURSEMENT: "Remboursement des frais, contrat {policy}",
        Intent.COMPLAINT: "Réclamation : toujours aucune réponse ({claim})",
        Intent.CONTRACT_CHANGE: "Changement d'adresse contrat {policy}",
        Intent.CANCELLATION: "Résiliation de mon contrat {policy}",
        Intent.INFORMATION: "Question sur mes garanties",
        Intent.AUTO_REPLY: "Réponse automatique : absent du bureau",
        Intent.OTHER: "Bonjour",
    },
    "en": {
        Intent.CLAIM_NEW: "New claim under policy {policy}",
        Intent.CLAIM_FOLLOWUP: "Re: my claim {claim}",
        Intent.DOCUMENTS_SUBMISSION: "Documents for claim {claim}",
        Intent.REIMBURSEMENT: "Reimbursement request, policy {policy}",
        Intent.COMPLAINT: "Complaint: still no answer about {claim}",
        Intent.CONTRACT_CHANGE: "Change of address on policy {policy}",
        Intent.CANCELLATION: "Cancel my policy {policy}",
        Intent.INFORMATION: "Question about my cover",
        Intent.AUTO_REPLY: "Automatic reply: out of office",
        Intent.OTHER: "Hello",
    },
}
_BODY = {
    "fr": (
        "Bonjour,\n\nJe vous écris au sujet de mon contrat {policy}{claim_part}. Le sinistre a eu lieu "
        "le {date} à mon domicile : dégât des eaux dans la cuisine, le plafond est abîmé et le parquet "
        "a gonflé. {extra}\n\nPouvez-vous me dire où en est mon dossier et ce que je dois encore vous "
        "envoyer ?\n\nCordialement,\n{name}\n{phone}"
    ),
    "en": (
        "Hello,\n\nI am writing about my policy {policy}{claim_part}. The incident happened on {date} "
        "at home: water damage in the kitchen, the ceiling is stained and the floor is ruined. {extra}"
        "\n\nCould you tell me where my file stands and what else you need from me?\n\nBest regards,"
        "\n{name}\n{phone}"
    ),
}
_EXTRA = {
    "fr": (
        "Le plombier est passé hier et m'a laissé une facture.",
        "Je joins les photos et le constat.",
        "Je suis très mécontent du délai de traitement.",
        "Merci de rembourser les frais sur le compte {iban}.",
        "Mon véhicule immatriculé {plate} est aussi concerné.",
        "",
    ),
    "en": (
        "The plumber came yesterday and left an invoice.",
        "Please find the photos and the report attached.",
        "I am very unhappy with how long this takes.",
        "Please pay the costs into account {iban}.",
        "My car, registration {plate}, was damaged too.",
        "",
    ),
}
_IBAN_SENTENCE, _PLATE_SENTENCE = 3, 4
_LETTER = {
    "fr": (
        "Bonjour {name},\n\nNous accusons réception de votre message concernant le contrat {policy}. "
        "Votre dossier {claim} est en cours d'examen par nos services ; un gestionnaire reviendra vers "
        "vous sous cinq jours ouvrés. Pour accélérer le traitement, merci de nous transmettre le devis "
        "ou la facture des réparations ainsi que des photos des dommages.\n\nNous restons à votre "
        "disposition pour toute question.\n\nBien cordialement,\nLe service sinistres"
    ),
    "en": (
        "Dear {name},\n\nThank you for your message about policy {policy}. Your claim {claim} is being "
        "reviewed by our team and a handler will get back to you within five working days. To speed "
        "things up, please send us the repair quote or invoice and photos of the damage.\n\nWe remain "
        "at your disposal for any question.\n\nKind regards,\nThe claims team"
    ),
}


@dataclass(frozen=True)
class Facts:
    """What message number `n` is about: drawn once, used by the mail, its fields and its draft."""

    n: int
    language: str
    intent: Intent
    confidence: float
    name: str
    email: str
    policy: str
    claim: str
    date: str
    phone: str
    iban: str
    plate: str
    extra: int  # which sentence of _EXTRA the customer added
    pdf: bool
    broken_attachment: bool
    quoted: bool
    html: bool
    flags: tuple[str, ...]
    llm: bool
    failed_guard: str  # "" when every guard passed


def facts(n: int) -> Facts:
    draw = random.Random(n * 7919 + GENERATOR)
    language = "fr" if draw.random() < 0.7 else "en"
    intent = draw.choices([i for i, _ in _INTENTS], [w for _, w in _INTENTS])[0]
    first, last = draw.choice(_FIRST), draw.choice(_LAST)
    confidence = round(draw.uniform(0.35, 0.99), 3)
    flags = []
    if intent == Intent.AUTO_REPLY:
        flags.append("auto_reply")
    if intent == Intent.OTHER or confidence < 0.4:
        flags.append("needs_triage")
    if draw.random() < 0.005:
        flags.append("injection_suspected")
    llm = draw.random() < 0.2
    failed = (
        draw.choice(("unsupported_fact", "unsupported_commitment")) if llm and draw.random() < 0.15 else ""
    )
    plate = (
        f"{draw.choice('ABCDEFGH')}{draw.choice('KLMNPR')}-{draw.randint(100, 999)}-{draw.choice('STVWXYZ')}Q"
    )
    return Facts(
        n=n,
        language=language,
        intent=intent,
        confidence=confidence,
        name=f"{first} {last}",
        email=f"{_ascii(first)}.{_ascii(last)}{n}@example.{'fr' if language == 'fr' else 'com'}",
        policy=f"{draw.choice(('HAB', 'AUT', 'SAN', 'PRO'))}-{draw.randint(1000000, 9999999)}",
        claim=f"SIN-{2024 + n % 2}-{draw.randint(10000, 99999)}",
        date=f"{draw.randint(1, 28):02d}/{draw.randint(1, 12):02d}/2025",
        phone="+33 6 " + " ".join(str(draw.randint(10, 99)) for _ in range(4)),
        iban="FR76 3000 6000 " + " ".join(str(draw.randint(1000, 9999)) for _ in range(3)) + " 189",
        plate=plate,
        extra=draw.randrange(len(_EXTRA[language])),
        pdf=draw.random() < PDF_SHARE,
        broken_attachment=draw.random() < 0.01,
        quoted=draw.random() < 0.3,
        html=draw.random() < 0.35,
        flags=tuple(flags),
        llm=llm,
        failed_guard=failed,
    )


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans("éèëêàâîïôöûüç", "eeeeaaiioouuc"))


def review_of(n: int, count: int) -> str:
    """What the agents already did with message `n` of `count`: most old messages are answered,
    most recent ones wait ("pending", "approved" or "rejected")."""
    draw = random.Random(n * 104729 + GENERATOR)
    done = draw.random() < (0.95 if n < 0.7 * count else 0.2)
    if not done:
        return "pending"
    return "rejected" if draw.random() < 0.12 else "approved"


def synthetic_message(n: int) -> ProcessedMessage:
    """Message number `n`, as the pipeline would have stored it (deterministic)."""
    f = facts(n)
    extra = _EXTRA[f.language][f.extra].format(iban=f.iban, plate=f.plate)
    claim_part = f" (dossier {f.claim})" if f.language == "fr" else f" (claim {f.claim})"
    new_text = _BODY[f.language].format(
        policy=f.policy, claim_part=claim_part, date=f.date, extra=extra, name=f.name, phone=f.phone
    )
    body = new_text
    if f.quoted:
        body += "\n\n> " + _LETTER[f.language].format(name=f.name, policy=f.policy, claim=f.claim).replace(
            "\n", "\n> "
        )
    subject = _SUBJECTS[f.language][f.intent].format(policy=f.policy, claim=f.claim)
    customer = Address(f.name, f.email)
    attachments = _attachments(f)
    raw = _raw_mail(f, subject, body, attachments)
    message = Message(
        source=f"imap:inbox/{n}",
        message_id=f"<bench-{n}-{GENERATOR}@example.net>",
        subject=subject,
        sender=customer,
        to=[Address("", "sinistres@assureur.example")],
        date=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=5 * n),
        body=body,
        new_text=new_text,
        attachments=attachments,
        content_hash=hashlib.sha256(raw).hexdigest(),
        raw=raw,
    )
    fields = _fields(f)
    errors = [f"{a.filename}: {a.error}" for a in attachments if a.status == AttachmentStatus.ERROR]
    result = ProcessedMessage(
        message, fields, Classification(f.language, f.intent, f.confidence), None, list(f.flags), errors
    )
    if "auto_reply" not in f.flags:
        result.draft = _draft(f, subject, customer)
    return result


def _fields(f: Facts) -> dict[str, Field]:
    found = [
        ("policy_number", f.policy, 0.95, "body"),
        ("incident_date", f.date, 0.8, "body"),
        ("customer_name", f.name, 0.7, "signature"),
        ("phone", f.phone.replace(" ", ""), 0.9, "signature"),
    ]
    if f.intent in (Intent.CLAIM_FOLLOWUP, Intent.DOCUMENTS_SUBMISSION, Intent.COMPLAINT, Intent.CLAIM_NEW):
        found.append(("claim_number", f.claim, 0.9, "body"))
    if f.extra == _IBAN_SENTENCE:
        found.append(("iban", f.iban.replace(" ", ""), 0.99, "body"))
    if f.extra == _PLATE_SENTENCE:
        found.append(("vehicle_plate", f.plate, 0.85, "body"))
    return {name: Field(name, value, value, confidence, source) for name, value, confidence, source in found}


def _attachments(f: Facts) -> list[Attachment]:
    attachments = []
    if f.pdf:
        text = f"Constat amiable\nContrat {f.policy}\nDossier {f.claim}\nDate {f.date}"
        attachments.append(
            Attachment("constat.pdf", "application/pdf", len(_pdf(f)), pages=[Page(1, text)], data=_pdf(f))
        )
    if f.broken_attachment:
        attachments.append(
            Attachment(
                "facture.pdf",
                "application/pdf",
                64,
                status=AttachmentStatus.ERROR,
                error="not a valid PDF",
                data=b"%PDF-1.4 broken" + b"\0" * 49,
            )
        )
    return attachments


def _pdf(f: Facts) -> bytes:
    """A one-page text PDF in a core font (no embedded font: a couple of kilobytes)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    for line in ("Constat amiable", f"Contrat {f.policy}", f"Dossier {f.claim}", f"Date {f.date}", f.name):
        pdf.cell(0, 10, line.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _raw_mail(f: Facts, subject: str, body: str, attachments: list[Attachment]) -> bytes:
    mail = email.message.EmailMessage()
    mail["From"] = email.utils.formataddr((f.name, f.email))
    mail["To"] = "sinistres@assureur.example"
    mail["Subject"] = subject
    mail["Date"] = email.utils.format_datetime(datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=5 * f.n))
    mail["Message-ID"] = f"<bench-{f.n}-{GENERATOR}@example.net>"
    mail.set_content(body)
    if f.html:
        paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n\n"))
        mail.add_alternative(
            f"<html><body style='font-family:Arial'>{paragraphs}</body></html>", subtype="html"
        )
    for attachment in attachments:
        mail.add_attachment(
            attachment.data, maintype="application", subtype="pdf", filename=attachment.filename
        )
    return bytes(mail)


def _draft(f: Facts, subject: str, customer: Address) -> Draft:
    letter = _LETTER[f.language].format(name=f.name, policy=f.policy, claim=f.claim)
    draft = Draft(
        subject=f"Re: {subject}",
        body=letter,
        to=customer,
        language=f.language,
        intent=f.intent,
        template=f"{f.language}/{f.intent.value}.txt.j2",
        missing_fields=["total_amount"] if f.intent == Intent.REIMBURSEMENT else [],
    )
    if f.llm:
        draft.backend = "llm"
        draft.generated_body = letter.replace("cinq jours", "48 heures").replace(
            "five working days", "48 hours"
        )
        draft.guards = [
            GuardVerdict(guard, flag != f.failed_guard, flag, ("48",) if flag == f.failed_guard else ())
            for guard, flag in (("facts", "unsupported_fact"), ("commitments", "unsupported_commitment"))
        ]
        draft.passages = [
            Passage(
                "kb/sinistres.md", "Délais de traitement", "Un gestionnaire répond sous cinq jours.", "fr"
            )
        ]
    return draft
