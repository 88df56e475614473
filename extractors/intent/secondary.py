"""The other requests of a mail that asks for two things: its `secondary_intents`.

"Je vous envoie la facture du garage pour le remboursement. Par ailleurs je
souhaite résilier mon contrat habitation" is a reimbursement first and a
cancellation too. The mail's main intent comes from the whole text; each
sentence of what the customer wrote now is then read by the same model. An
intent other than the main one is secondary when one sentence asks for it
clearly (probability at least `threshold`) and the whole text leaves room for
it (at least `WHOLE_SHARE`), both calibrated on the two-request and
one-request mails of `tests/test_tone.py`: a sentence alone is often sure of a
side remark ("Mon RIB n'a pas changé" reads as a contract change), but the
whole mail then gives that intent almost nothing. When the customer says that
another matter follows ("Par ailleurs", "Autre chose :", "PS", "by the way", "please
also"), the mail has two topics and `MARKED_SHARE` is room enough.

The sentence must be put as a request (a wish, a please, something sent): "mon
contrat a été résilié en septembre" tells what happened, it asks for no
cancellation, and "ce n'est pas une résiliation" names a request to say it is not
one. A question asks for information, and only as another matter: in a mail
without a marker it is about the main request ("What would the extra premium
be?", "can I lower my excess?"). `auto_reply` and `other` are never
secondary, nor is sending documents when the main request is one the documents go
with (a claim, a reimbursement, a follow-up): attaching the invoice is part of
asking for the refund.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from extractors.intent.common import fold
from rpa.models import Intent

__all__ = [
    "MARKED_SHARE",
    "MARKED_THRESHOLD",
    "SECONDARY_THRESHOLD",
    "WHOLE_SHARE",
    "IntentScorer",
    "secondary_intents",
    "segments",
]

SECONDARY_THRESHOLD = 0.6  # a sentence's probability of the other intent
WHOLE_SHARE = 0.25  # and the whole text's: room left for it beside the main one
MARKED_SHARE = 0.05  # the room enough when the customer says another matter follows ("par ailleurs")
# ... and the sentence's probability enough then: the customer said a second request comes
MARKED_THRESHOLD = 0.45

_NEVER_SECONDARY = frozenset({Intent.AUTO_REPLY, Intent.OTHER})
# Requests that documents go with: sending them is part of the request, not another one.
_DOCUMENTS_GO_WITH = frozenset(
    {Intent.CLAIM_NEW, Intent.CLAIM_FOLLOWUP, Intent.REIMBURSEMENT, Intent.DOCUMENTS_SUBMISSION}
)
# How a request is put: a wish, a question, a please, something sent. A sentence without one
# tells a story ("mon contrat a été résilié en septembre") and asks for nothing.
_ASKING = re.compile(
    r"\b(?:je (?:souhaite|souhaiterais|voudrais|veux|desire|demande|sollicite|tiens a)|j'aimerais"
    r"|(?:je )?vous (?:demande|prie|transmets|envoie|joins|adresse|signale|informe)|vous signaler"
    r"|merci de|pouvez.vous|pourriez.vous|veuillez|svp|s'il vous pla[iî]t|j'en profite|est.ce que"
    r"|i (?:would like|want|wish|need|request|am writing|am sending)|i'd like|i'm (?:writing|sending)"
    r"|please|could you|can you|would you|let me know|attached|enclosed)",
    re.IGNORECASE,
)
# A question: how a request for information is put (and only for information: "can I reduce
# it?" asks what is possible, it does not ask us to change the contract).
_QUESTION = re.compile(
    r"\?|\b(?:(?:je souhaite|je souhaiterais|je voudrais|j'aimerais) (?:savoir|connaitre|comprendre)"
    r"|(?:pouvez|pourriez).vous (?:me dire|m'indiquer|m'expliquer|me preciser|me confirmer si)"
    r"|i(?:'d| would) like to know|(?:could|can) you (?:tell|explain|confirm whether|let me know)|i wonder)",
    re.IGNORECASE,
)
# The customer says another matter follows: "Par ailleurs", "Autre chose :", "PS", "also", "by the
# way". A mail with one is a mail with two topics; a question in a mail without one is usually
# about the request itself ("What would the additional premium be?").
_ANOTHER_MATTER = re.compile(
    r"\b(?:par ailleurs|autre (?:chose|question|point|demande)|d'autre part|au passage|en outre|de plus"
    r"|j'en profite|p\.? ?s\b|another (?:thing|question|matter|request)"
    r"|(?:^|[.!?:] )(?:also|aussi|egalement)\b"
    r"|(?:please|i'd|i would|i|can you|could you|would you) also|also,? (?:could|can|would) you"
    r"|(?:je voudrais|je souhaiterais|j'aimerais|je souhaite|pouvez.vous|pourriez.vous|merci de)"
    r" (?:aussi|egalement)"
    r"|separately|on (?:another|a separate|an unrelated) (?:note|matter)|by the way|btw|in addition"
    r"|additionally|while i(?:'m| am) (?:writing|at it)|one more thing|unrelated)"
)
# "Ce n'est pas une résiliation", "this is not a claim", "I don't want to cancel": the sentence
# names a request to say it is not one.
_DISOWNED = re.compile(
    r"\b(?:(?:ce|ceci|cela|ca) n'est pas|il ne s'agit pas d'|pas une? (?:demande|declaration|resiliation)"
    r"|je ne (?:veux|souhaite|demande) pas|(?:this|it) is not|(?:this|it)'s not|isn't|not an? "
    r"|i (?:don't|do not) (?:want|wish|need) to)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"\w+")
_SHORTEST = 5  # words: "Bonjour Madame," or "Merci d'avance." ask for nothing


class IntentScorer(Protocol):
    """What reads a text's intent probabilities: `IntentModel` through a small adapter."""

    def __call__(self, texts: Sequence[str]) -> list[dict[Intent, float]]: ...


def segments(text: str) -> list[str]:
    """The sentences of a text, each short one joined to the next (a greeting alone asks nothing)."""
    pieces = [piece.strip() for piece in _SENTENCE_END.split(text) if piece and piece.strip()]
    joined: list[str] = []
    carry = ""
    for piece in pieces:
        piece = f"{carry} {piece}".strip()
        if len(_WORD.findall(piece)) < _SHORTEST:
            carry = piece
            continue
        joined.append(piece)
        carry = ""
    if carry and joined:
        joined[-1] = f"{joined[-1]} {carry}"
    return joined


def secondary_intents(
    text: str, main: Intent, score: IntentScorer, threshold: float = SECONDARY_THRESHOLD
) -> tuple[Intent, ...]:
    """The intents other than `main` that one sentence of `text` asks for, the surest first."""
    if main in _NEVER_SECONDARY:
        return ()
    parts = segments(text)
    if len(parts) < 2:
        return ()  # one sentence is one request: the whole mail's intent already says it
    whole, *sentences = score([text, *parts])
    marked = _ANOTHER_MATTER.search(fold(text)) is not None
    floor = MARKED_SHARE if marked else WHOLE_SHARE
    best: dict[Intent, float] = {}
    for sentence, probabilities in zip(parts, sentences, strict=True):
        intent, probability = max(probabilities.items(), key=lambda item: item[1])
        bar = min(threshold, MARKED_THRESHOLD) if marked else threshold
        if probability < bar or whole.get(intent, 0.0) < floor or not _may_be_secondary(intent, main):
            continue
        if _asks_for(intent, sentence, marked=marked):
            best[intent] = max(probability, best.get(intent, 0.0))
    return tuple(sorted(best, key=lambda intent: -best[intent]))


def _asks_for(intent: Intent, sentence: str, *, marked: bool) -> bool:
    """Whether the sentence asks for `intent`: a request for something done, or for information a
    question on another matter than the main one."""
    folded = fold(sentence)
    if _DISOWNED.search(folded) is not None:
        return False
    if intent == Intent.INFORMATION:
        return marked and (_QUESTION.search(folded) is not None or _ASKING.search(folded) is not None)
    return _ASKING.search(folded) is not None


def _may_be_secondary(intent: Intent, main: Intent) -> bool:
    if intent == main or intent in _NEVER_SECONDARY:
        return False
    return not (intent == Intent.DOCUMENTS_SUBMISSION and main in _DOCUMENTS_GO_WITH)
