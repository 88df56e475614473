"""The `rules` intent classifier: weighted FR/EN cue phrases.

It scores cue phrases found in the subject (counted twice: customers summarise
their request there) and in the text the customer wrote, and adds evidence from
the extracted fields (a claim number suggests a follow-up) and the attachments.
Kept beside the learned classifier as a transparent baseline, selectable with
``[pipeline] classifier = "rules"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from extractors.intent.common import classification_text, fold, is_reply, structural_verdict
from rpa.config import PipelineSettings
from rpa.models import Classification, Field, Intent, Message

__all__ = ["RuleClassifier"]

# (weight, pattern) per intent, written on folded text (no accents, lower-case).
_CUES: dict[Intent, list[tuple[float, str]]] = {
    Intent.CLAIM_NEW: [
        (3, r"declar\w* (?:un |le |mon |d'un )?sinistre"),
        (3, r"declaration de sinistre"),
        (2, r"degats? des eaux"),
        (2, r"bris de glace"),
        (2, r"constat amiable"),
        (2, r"cambriol\w+"),
        (1.5, r"\bvol(?:e|es|ee|ees)?\b"),
        (2, r"incendie"),
        (3, r"declaration de (?:vol|perte)"),
        (2, r"depot de plainte|porte plainte|recepisse"),
        (2, r"pare[- ]?brise"),
        (1.5, r"fissur\w*|gravillon|\bimpact\b"),
        (2, r"accident\b"),
        (1.5, r"accroch\w+"),
        (1.5, r"collision"),
        (1.5, r"inondation"),
        (1.5, r"fuite d'eau"),
        (1, r"\bsinistre\b"),
        (1, r"endommag\w+"),
        (1, r"\bgrele\b"),
        (3, r"(?:report|declare|file|make|open|register) (?:a |an |my )?(?:new )?claim"),
        (2, r"water damage"),
        (2, r"burglar\w*"),
        (2, r"\bstolen\b"),
        (2, r"\btheft\b"),
        (2, r"windscreen|windshield"),
        (2, r"\bcrash(?:ed)?\b"),
        (1.5, r"\bflood\w*"),
        (1.5, r"\bleak\w*"),
        (1, r"\bdamaged?\b"),
        (1, r"\bfire\b"),
        (1, r"\bhit (?:my|by)\b"),
    ],
    Intent.CLAIM_FOLLOWUP: [
        (3, r"ou en est"),
        (3, r"etat d'avancement|avancement (?:de|du) (?:mon|notre) dossier"),
        (3, r"toujours (?:pas|aucune?) (?:de )?(?:nouvelles|reponse|retour)"),
        (2, r"\brelance\b|je (?:me permets de )?relance"),
        (2, r"sans (?:nouvelles|reponse)"),
        (2, r"suite a (?:mon|notre) (?:sinistre|dossier|declaration)"),
        (1.5, r"mon dossier"),
        (1, r"des nouvelles"),
        (1.5, r"expert\w*"),
        (2, r"merci (?:pour|de) votre (?:retour|reponse)"),
        (3, r"status of (?:my|our|the) claim"),
        (3, r"any (?:update|news|progress)"),
        (2.5, r"follow(?:ing)?[- ]up"),
        (2, r"still (?:waiting|not heard|no)"),
        (2, r"haven't heard|have not heard|no news"),
        (1.5, r"update on"),
        (1, r"\bchase\w*"),
        (1, r"loss adjuster|assessor"),
        (2, r"thanks? (?:you )?for (?:the|your) (?:update|reply|answer)"),
        (1, r"how long"),
        (2.5, r"avez[- ]vous (?:bien )?recu|(?:did|have) you (?:\w+ )?received?"),
    ],
    Intent.DOCUMENTS_SUBMISSION: [
        (3, r"(?:vous )?(?:trouverez|trouver) ci-joint"),
        (2, r"ci-joints?\b|en piece jointe"),
        (2.5, r"pieces? (?:justificatives?|demandees)"),
        (2.5, r"documents? demandes?"),
        (2, r"je vous (?:transmets|adresse|envoie|fais parvenir)"),
        (2, r"comme (?:convenu|demande)"),
        (1.5, r"justificatifs?"),
        (2, r"je (?:vous )?joins|voici (?:le|la|les|ma|mon|mes)"),
        (3, r"please find (?:attached|enclosed)"),
        (2.5, r"(?:requested|missing|supporting) documents?"),
        (2, r"as (?:requested|agreed|discussed)"),
        (2, r"\battached\b|\benclosed\b"),
        (2, r"(?:here|herewith) (?:are|is) (?:the|a|my)"),
        (1.5, r"i am sending|i'm sending|sending you"),
        (2, r"\bi (?:attach|enclose)\b|as promised"),
    ],
    Intent.REIMBURSEMENT: [
        (3, r"rembours\w+"),
        (2, r"prise en charge"),
        (0.5, r"\bfactures?\b"),
        (1.5, r"frais\b"),
        (1.5, r"\bsoins\b|pharmacie|ordonnance|consultation"),
        (1, r"\bpayer|paiement|virement"),
        (3, r"reimburs\w+"),
        (3, r"\brefund\w*"),
        (2, r"pay (?:me )?back|be paid"),
        (0.5, r"\binvoices?\b|\breceipts?\b"),
        (1.5, r"expenses?|costs? (?:i|we) (?:paid|incurred)"),
        (2, r"claim (?:it|them|the (?:cost|money)) back"),
        (1, r"\bpayment\b"),
    ],
    Intent.COMPLAINT: [
        (3, r"reclamation"),
        (3, r"(?<!depot de )(?<!porte )(?<!porter )\bplainte\b"),
        (3, r"mediat\w+"),
        (2.5, r"inadmissible"),
        (2.5, r"inacceptable"),
        (2.5, r"scandal\w+"),
        (2, r"mecontent\w*"),
        (2, r"\bdecu\w*"),
        (2, r"lamentable|honteux|\bhonte\b|deplorable"),
        (2, r"je conteste|contester"),
        (1.5, r"aucun respect|pas serieux|n'importe quoi"),
        (3, r"\bcomplain\w*"),
        (3, r"ombudsman"),
        (2.5, r"unacceptable"),
        (2.5, r"disgrace\w*"),
        (2, r"disappoint\w+|appalling|outrageous|furious|terrible service|poor service"),
        (2, r"\bdispute\b|escalate"),
        (1.5, r"not good enough|fed up"),
        (2.5, r"disgust\w*|\bworst\b"),
        (2, r"speak to (?:a|the|your) manager"),
        (1.5, r"(?:bad|negative) review|leav\w+ a review"),
    ],
    Intent.CONTRACT_CHANGE: [
        (3, r"changement (?:d'adresse|de vehicule|de voiture|de situation|de banque)"),
        (3, r"modifi\w+ (?:mon|de mon|le|du) contrat"),
        (3, r"\bavenant\b"),
        (2.5, r"ajouter (?:un|une|mon|ma) (?:conducteur|conductrice|enfant|conjoint)"),
        (2.5, r"nouvelle? (?:adresse|vehicule|voiture|rib)"),
        (2, r"demenag\w+"),
        (1.5, r"\bmodification\b"),
        (1.5, r"mettre a jour"),
        (3, r"change (?:of|my) (?:address|vehicle|car|bank details)"),
        (3, r"add (?:a |my )?\w* ?driver"),
        (2.5, r"(?:update|amend|change) (?:my|the) (?:policy|details|cover)"),
        (2.5, r"new (?:address|car|vehicle)"),
        (2, r"moving (?:house|home|to)|\bmoved\b"),
    ],
    Intent.CANCELLATION: [
        (3, r"resili\w+"),
        (3, r"loi hamon|loi chatel"),
        (2.5, r"mettre (?:un terme|fin) a"),
        (2, r"ne (?:pas|plus) (?:renouveler|reconduire)"),
        (1.5, r"\becheance\b"),
        (3, r"\bcancel\w*"),
        (3, r"terminat\w+|terminate"),
        (2.5, r"(?:end|close) my (?:policy|contract)"),
        (2, r"not (?:to )?renew|non-renewal"),
    ],
    Intent.INFORMATION: [
        (2.5, r"renseignements?"),
        (2, r"\battestation\b"),
        (2, r"(?:je souhaite|j'aimerais|voudrais) savoir"),
        (1.5, r"savoir si"),
        (1.5, r"\bfranchise\b|s'applique"),
        (1.5, r"avant de (?:faire|declarer|lancer)"),
        (2, r"pourriez-vous m'(?:indiquer|expliquer|informer)"),
        (2, r"est-ce que|est-il possible"),
        (1.5, r"\bquestion\b"),
        (1.5, r"quelles? (?:sont|est)"),
        (1.5, r"\bdevis\b|tarif"),
        (1, r"information"),
        (1.5, r"couvert|garantie"),
        (2.5, r"(?:would like|want) to know"),
        (2, r"could you (?:tell|explain|let me know|confirm)"),
        (2, r"certificate"),
        (2, r"(?:does|is) my (?:policy|cover|insurance)"),
        (1.5, r"\bquote\b"),
        (1.5, r"\bhow (?:do|can|much)\b|\bwhat is\b"),
        (1, r"\bcovered\b|\bcover\b"),
        (1.5, r"\bexcess\b|deductible|before (?:i|we) (?:make|file|claim)"),
    ],
    Intent.OTHER: [
        (3, r"se desinscrire|desabonn\w+|unsubscribe"),
        (2.5, r"newsletter|lettre d'information"),
        (2.5, r"(?:demonstration|\bdemo\b|webinai?re?)"),
        (2, r"notre (?:plateforme|solution|offre|logiciel)"),
        (2, r"our (?:platform|solution|software|product)"),
        (1.5, r"je me permets de vous contacter|reaching out"),
        (
            2,
            r"(?:un grand |many )?merci (?:encore )?pour (?:tout|votre aide)"
            r"|thank you (?:so much )?for (?:all|your help)",
        ),
    ],
}
_COMPILED = {intent: [(w, re.compile(p)) for w, p in cues] for intent, cues in _CUES.items()}

_OTHER_BELOW = 2.0  # a request needs at least this much evidence, else it is "other"


class RuleClassifier:
    """Weighted cue phrases plus field and header evidence."""

    name = "rules"

    def __init__(self, settings: PipelineSettings | None = None) -> None:
        del settings  # nothing to configure; the registry passes settings to every classifier

    def classify(self, message: Message, fields: Mapping[str, Field], language: str) -> Classification:
        verdict = structural_verdict(message, language)
        if verdict is not None:
            return verdict
        scores = self.scores(message, fields)
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        (best, top), (_, second) = ranked[0], ranked[1]
        if top < _OTHER_BELOW:
            return Classification(language, Intent.OTHER, round(0.6 - top / 10, 2))
        confidence = top / (top + second + 1.0)
        return Classification(language, best, round(min(0.99, confidence), 2))

    def scores(self, message: Message, fields: Mapping[str, Field]) -> dict[Intent, float]:
        subject, text = fold(message.subject), fold(classification_text(message))
        reply = is_reply(message)
        scores = {}
        for intent, cues in _COMPILED.items():
            # A reply's subject names the thread, not what is asked now.
            subject_counts = not (reply and intent == Intent.CLAIM_NEW)
            scores[intent] = sum(
                weight
                * (
                    min(len(pattern.findall(text)), 2)
                    + (1 if subject_counts and pattern.search(subject) else 0)
                )
                for weight, pattern in cues
            )
        if reply:
            scores[Intent.CLAIM_FOLLOWUP] += 2.0
        self._add_field_evidence(scores, message, fields)
        return scores

    @staticmethod
    def _add_field_evidence(
        scores: dict[Intent, float], message: Message, fields: Mapping[str, Field]
    ) -> None:
        readable = [a for a in message.attachments if a.pages]
        if "claim_number" in fields and fields["claim_number"].source in ("body", "subject"):
            scores[Intent.CLAIM_FOLLOWUP] += 1.5
        if readable:
            scores[Intent.DOCUMENTS_SUBMISSION] += 1.0
        if "total_amount" in fields:
            scores[Intent.REIMBURSEMENT] += 1.0
