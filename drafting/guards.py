"""Guards: what every generated reply must pass before an agent sees it first.

Each guard is a plain function from the reply and its `GuardContext` to a
`GuardVerdict`. A reply that fails any of them is not shown first: the
template letter is, with the reply and the verdicts beside it.

    facts         every number, amount, date, IBAN, reference, phone and address
                  is in the fields, the template letter or the passages
    commitments   no promise of payment, refund, acceptance or deadline (FR, EN)
                  that the template letter for the intent does not make itself
    injection     the customer's text holds no instructions aimed at the assistant
                  (`injection_in_message` looks in every text of a mail a model may read)
    language      the reply is in the customer's language (and is language at all)
    length        not a stub, not a rambling essay
    placeholders  no placeholder left: [NAME_1], {{ x }}, [insert date], XXX
    letter        it greets the customer and signs with the team's name
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drafting.facts import unsupported_facts
from drafting.lexicon import fold, language_shares
from drafting.prompt import customer_text
from rpa.models import GuardVerdict, Message

__all__ = [
    "GUARDS",
    "GuardContext",
    "check_reply",
    "commitment_spans",
    "injection_in_message",
    "injection_spans",
]


@dataclass(frozen=True)
class GuardContext:
    language: str
    template_body: str  # the letter the template backend wrote for this mail
    facts: Sequence[str]  # field values and the text they were read from
    passages: Sequence[str]  # knowledge-base passages given to the model
    customer_text: str  # what the customer wrote (the mail, readable attachments)
    team_name: str
    min_chars: int = 60
    max_length_ratio: float = 4.0


def _patterns(*expressions: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{e})" for e in expressions))


# On folded text (lower case, no accents). One pattern per kind of promise.
_COMMITMENTS: dict[str, re.Pattern[str]] = {
    "payment": _patterns(
        r"\bnous (?:allons |pouvons )?(?:vous )?(?:verser|payer|regler|virer)\b",
        r"\bnous (?:vous )?(?:verserons|paierons|reglerons|virerons)\b",
        r"\bnous (?:allons )?proceder(?:ons)? au (?:paiement|versement|reglement|virement)",
        r"\b(?:le|un|votre) (?:paiement|versement|virement|reglement|indemnisation) (?:sera|va etre|a ete) "
        r"(?:effectue|verse|realise|emis|envoye|accorde)",
        r"\bvous (?:serez|allez etre) (?:paye|indemnise|regle)",
        r"\bwe(?: will|'ll| shall| are going to) (?:pay|transfer|settle|send you (?:a |the )?payment|"
        r"issue (?:a |the )?payment|compensate)",
        r"\bpayment (?:will|shall) be (?:made|issued|sent|transferred)",
        r"\byou (?:will|shall) (?:be paid|be compensated|receive (?:a |the |your )?(?:payment|compensation|"
        r"settlement|transfer))",
    ),
    "refund": _patterns(
        r"\bnous (?:allons |pouvons )?vous rembourser",
        r"\bnous (?:vous )?rembourserons",
        r"\bvous (?:serez|allez etre) rembourse",
        r"\b(?:le|votre) remboursement (?:sera|va etre|est|a ete) (?:effectue|verse|accorde|garanti|valide)",
        r"\bwe(?: will|'ll| shall| are going to) (?:refund|reimburse)",
        r"\byou (?:will|shall) be (?:refunded|reimbursed)",
        r"\b(?:the |your )?(?:refund|reimbursement) (?:will|shall) be (?:made|issued|processed|paid|sent)",
        r"\byou (?:will|shall) receive (?:a |your |the )?(?:full )?(?:refund|reimbursement)",
    ),
    "acceptance": _patterns(
        r"\b(?:votre |le )?(?:sinistre|dossier|demande|reclamation) (?:est|a ete|sera) (?:accepte|accorde|"
        r"valide|approuve|pris en charge)",
        r"\bnous (?:acceptons|prenons en charge|validons|approuvons) (?:votre|le|la|l')",
        r"\bprise en charge (?:est |a ete |sera )?(?:acceptee|accordee|confirmee|validee)",
        r"\b(?:est|sera|sont|seront) (?:integralement |entierement )?(?:couvert|garanti)e?s? "
        r"par votre contrat",
        r"\byour (?:claim|request|application) (?:is|has been|will be) "
        r"(?:accepted|approved|covered|validated)",
        r"\bwe (?:have )?(?:accept|approve|accepted|approved) your (?:claim|request)",
        r"\b(?:is|are|will be) (?:fully )?covered (?:by|under) your policy",
    ),
    "deadline": _patterns(
        r"\b(?:sous|dans|d'ici|en moins de) (?:\d+|un|une|deux|trois|quatre|cinq|huit|dix|quinze|quelques) "
        r"(?:jours?|heures?|semaines?|mois)\b",
        r"\b(?:avant le|au plus tard le|d'ici le|d'ici la fin) ",
        r"\bwithin (?:\d+|a|one|two|three|four|five|seven|ten|fifteen|a few) (?:business |working )?"
        r"(?:days?|hours?|weeks?|months?)\b",
        r"\b(?:by|before) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|the end of)\b",
        r"\bno later than\b",
    ),
}

# Instructions that name the assistant's own instructions or prompt: looked for everywhere,
# documents included (folded).
_NAMED_INSTRUCTIONS = (
    r"\b(?:ignore|disregard|forget|skip|override) (?:all |any )?(?:of )?(?:the |your |my |these )?"
    r"(?:previous |prior |above |earlier |preceding |former |system |original )?"
    r"(?:instructions?|prompts?|rules|directions|guidelines)",
    r"\b(?:ignorez|ignore|ignorer|oubliez|oublie|oublier|negligez) (?:toutes |tout |les |vos |tes |ces |"
    r"des )*(?:instructions?|consignes|regles|directives|prompts?)",
    r"\b(?:reveal|show|print|repeat|display|tell me|give me|output) (?:me )?(?:your|the) (?:system |initial |"
    r"hidden |original )?(?:prompt|instructions)",
    r"\bsystem prompt\b",
    r"\b(?:new|nouvelles?) instructions?\s*:",
)
_INJECTION_IN_DOCUMENTS = _patterns(*_NAMED_INSTRUCTIONS)
# Instructions aimed at the assistant, in the customer's text (folded). Role changes are looked
# for only there: "you are now covered", "act as an intermediary" are ordinary policy wording.
_INJECTION = _patterns(
    *_NAMED_INSTRUCTIONS,
    r"\byou are now\b",
    r"\b(?:vous etes|tu es) (?:maintenant|desormais|a present)\b",
    r"\b(?:from now on|a partir de maintenant|desormais),? (?:you|tu|vous)\b",
    r"\b(?:act|behave) as (?:a|an|if|my)\b",
    r"\bpretend (?:to be|you are|that)\b",
    r"\brole[- ]?play",
    r"\bjouez? (?:le )?role\b",
    r"\b(?:fais|faites) semblant\b",
    r"\bagis(?:sez)? comme\b",
    r"\b(?:revele|revelez|affiche|affichez|montre|montrez|donne|donnez|repete|repetez)(?:-moi)? (?:ton|votre|"
    r"tes|vos|le|les) (?:prompt|instructions|consignes)",
)
_NAME_SEPARATORS = re.compile(r"[_\-.+]+")  # "ignore_all_instructions.pdf" reads as words

_PLACEHOLDER = re.compile(
    r"\[(?:NAME|IBAN|PHONE|EMAIL)_\d+\]|\{\{|\}\}|\{%|<[A-Z_]{3,}>|\bX{3,}\b|\[\s*(?:\.\.\.|…)\s*\]"
    r"|\[[^\]\n]{0,40}(?:name|nom|date|montant|amount|number|numero|numéro|insert|compléter|completer|"
    r"policy|contrat|signature)[^\]\n]{0,40}\]",
    re.IGNORECASE,
)

_SALUTATIONS = {
    "fr": re.compile(r"^(?:bonjour|bonsoir|madame|monsieur|cher|chere|mesdames)\b"),
    "en": re.compile(r"^(?:dear|hello|good (?:morning|afternoon|evening)|hi)\b"),
}


def commitment_spans(text: str) -> dict[str, list[str]]:
    """The promises `text` makes, by kind (payment, refund, acceptance, deadline)."""
    folded = fold(text)
    found = {kind: [m.group(0) for m in pattern.finditer(folded)] for kind, pattern in _COMMITMENTS.items()}
    return {kind: spans for kind, spans in found.items() if spans}


def injection_spans(text: str, *, document: bool = False) -> list[str]:
    """Instructions aimed at an assistant, as they appear (folded) in the customer's text; in a
    `document` (an attachment, a quoted thread), only those that name the instructions."""
    pattern = _INJECTION_IN_DOCUMENTS if document else _INJECTION
    return [match.group(0) for match in pattern.finditer(fold(text))]


def injection_in_message(message: Message) -> list[str]:
    """Instructions aimed at an assistant in any text of `message` that a model may read, as
    "where: span": what the customer wrote, the subjects, forwarded mails, the thread, and the
    names and pages of attachments, those of forwarded mails included. (An HTML image's alt
    text is not there to look in: the body's text leaves images out.)"""
    texts = [("mail", customer_text(message), False)]
    for part in (message, *message.forwarded):
        texts += [("subject", part.subject, False), ("thread", part.quoted_text, True)]
    texts += [("forwarded mail", inner.body, False) for inner in message.forwarded]
    for attachment in message.all_attachments():
        texts.append((attachment.filename, _NAME_SEPARATORS.sub(" ", attachment.filename), True))
        texts += [(f"{attachment.filename} p{page.number}", page.text, True) for page in attachment.pages]
    return [
        f"{where}: {span}"
        for where, text, document in texts
        for span in injection_spans(text, document=document)
    ]


def _facts(reply: str, context: GuardContext) -> GuardVerdict:
    spans = unsupported_facts(reply, [*context.facts, context.template_body, *context.passages])
    return GuardVerdict(
        "facts",
        not spans,
        "unsupported_fact",
        tuple(spans),
        "facts not in the fields, the template letter or the passages" if spans else "",
    )


def _commitments(reply: str, context: GuardContext) -> GuardVerdict:
    allowed = commitment_spans(context.template_body)
    spans = [span for kind, found in commitment_spans(reply).items() if kind not in allowed for span in found]
    return GuardVerdict(
        "commitments",
        not spans,
        "unsupported_commitment",
        tuple(spans),
        "promises the template letter does not make" if spans else "",
    )


def _injection(reply: str, context: GuardContext) -> GuardVerdict:
    spans = injection_spans(context.customer_text)
    return GuardVerdict(
        "injection",
        not spans,
        "injection_suspected",
        tuple(spans),
        "the customer's text addresses the assistant" if spans else "",
    )


def _language(reply: str, context: GuardContext) -> GuardVerdict:
    shares = language_shares(reply)
    own = shares.get(context.language, 0.0)
    other = max((share for language, share in shares.items() if language != context.language), default=0.0)
    passed = own >= 0.15 and own >= 2 * other
    detail = (
        ""
        if passed
        else (
            f"{context.language} words {own:.0%}, other language {other:.0%}: "
            f"not written in {context.language}"
        )
    )
    return GuardVerdict("language", passed, "wrong_language", (), detail)


def _length(reply: str, context: GuardContext) -> GuardVerdict:
    longest = max(context.min_chars, int(len(context.template_body) * context.max_length_ratio))
    size = len(reply.strip())
    passed = context.min_chars <= size <= longest
    detail = "" if passed else f"{size} characters (expected {context.min_chars} to {longest})"
    return GuardVerdict("length", passed, "bad_length", (), detail)


def _placeholders(reply: str, context: GuardContext) -> GuardVerdict:
    spans = [match.group(0) for match in _PLACEHOLDER.finditer(reply)]
    return GuardVerdict(
        "placeholders",
        not spans,
        "placeholder_left",
        tuple(spans),
        "placeholders left in the reply" if spans else "",
    )


def _letter(reply: str, context: GuardContext) -> GuardVerdict:
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    salutation = _SALUTATIONS.get(context.language, _SALUTATIONS["en"])
    greets = bool(lines) and bool(salutation.match(fold(lines[0])))
    signs = bool(lines) and fold(context.team_name.strip()) in fold("\n".join(lines[-3:]))
    missing = [what for what, ok in (("a greeting", greets), ("the team's signature", signs)) if not ok]
    return GuardVerdict(
        "letter", not missing, "not_a_letter", (), f"no {' and no '.join(missing)}" if missing else ""
    )


GUARDS: dict[str, Callable[[str, GuardContext], GuardVerdict]] = {
    "facts": _facts,
    "commitments": _commitments,
    "injection": _injection,
    "language": _language,
    "length": _length,
    "placeholders": _placeholders,
    "letter": _letter,
}


def check_reply(reply: str, context: GuardContext) -> list[GuardVerdict]:
    """Every guard's verdict on `reply`, in a fixed order."""
    return [guard(reply, context) for guard in GUARDS.values()]
