"""What every intent classifier shares: its Protocol, the text it reads, and the
verdicts that come from a mail's structure before any wording is read.

Auto-replies are recognised from their headers, mail sent to many (mailing
lists, bulk) is nobody's request, and documents sent without a word are a
document submission. Those rules keep priority over any classifier of words:
a learned model must never talk a mail loop into a reply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from extractors.automation import AUTO_REPLY, BULK, MAILING_LIST, automation_flags
from rpa.models import Classification, Field, Intent, Message

__all__ = [
    "NEEDS_TRIAGE",
    "IntentClassifier",
    "classification_text",
    "fold",
    "is_reply",
    "structural_verdict",
    "written_text",
]

NEEDS_TRIAGE = "needs_triage"  # flag: the classifier was not sure; an agent picks the intent

_BROADCAST = frozenset({MAILING_LIST, BULK})  # sent to many: not a customer's request
_REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv)\s*:", re.IGNORECASE)


@runtime_checkable
class IntentClassifier(Protocol):
    name: str

    def classify(self, message: Message, fields: Mapping[str, Field], language: str) -> Classification: ...


def fold(text: str) -> str:
    """Lower-case, accents removed, apostrophes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text)


def classification_text(message: Message) -> str:
    """The words the intent is read from: the subject and what the customer wrote now."""
    return "\n".join(part for part in (message.subject, written_text(message)) if part)


def written_text(message: Message) -> str:
    """What the customer wrote this time, quotes and signature left out.

    For a forwarded mail that is the forwarded customer's text; for a bare
    document (no covering mail) it is the document itself.
    """
    parts = [message.new_text]
    for inner in message.forwarded:
        parts += [inner.subject, inner.new_text or inner.body]
    if not message.new_text.strip() and not message.forwarded:
        parts += [page.text for att in message.attachments for page in att.pages[:2]]
    return "\n".join(part for part in parts if part)


def is_reply(message: Message) -> bool:
    return bool(message.in_reply_to or _REPLY_SUBJECT.match(message.subject))


def structural_verdict(message: Message, language: str) -> Classification | None:
    """The intent when headers or the mail's shape decide it, else None."""
    flags = automation_flags(message)
    if AUTO_REPLY in flags:
        return Classification(language, Intent.AUTO_REPLY, 0.99, (AUTO_REPLY,))
    if _BROADCAST.intersection(flags):
        return Classification(language, Intent.OTHER, 0.9)
    if _only_documents(message):
        return Classification(language, Intent.DOCUMENTS_SUBMISSION, 0.8)
    return None


def _only_documents(message: Message) -> bool:
    """Documents sent with no words of their own: a document submission."""
    written = message.new_text.strip() or any(inner.body.strip() for inner in message.forwarded)
    return not written and any(attachment.pages for attachment in message.attachments)
