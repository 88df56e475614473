"""The `template` drafting backend: the Jinja2 letter for the intent.

It asks for whatever the intent still needs, names the attachments read and
those that could not be, and answers the customer's questions from the
knowledge base where it can. The language-model backends (`drafting.generative`)
start from its letter and keep it when their own reply fails a guard.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from drafting.answers import question_context, with_answer_passages
from drafting.base import DraftRequest, reply_subject
from drafting.templates import TemplateCatalog, load_catalog, template_name
from rpa.config import DraftingSettings
from rpa.errors import DraftingError
from rpa.models import FIELD_NAMES, AttachmentStatus, Draft, Message

__all__ = ["TemplateBackend"]


class TemplateBackend:
    """The letter for the intent, asking for whatever the intent still needs."""

    name = "template"
    batch_size = 1  # nothing to gain from batching

    def __init__(self, settings: DraftingSettings, templates_dir: Path) -> None:
        self.settings = settings
        self.catalog: TemplateCatalog = load_catalog(templates_dir)

    def is_available(self) -> bool:
        return True

    def draft_many(self, requests: Sequence[DraftRequest]) -> list[Draft | DraftingError]:
        drafts: list[Draft | DraftingError] = []
        for request in requests:
            try:
                drafts.append(self.draft(request))
            except DraftingError as exc:
                drafts.append(exc)
        return drafts

    def draft(self, request: DraftRequest) -> Draft:
        message, classification = request.message, request.classification
        customer = message.customer
        if customer is None or not (customer.email or (request.by_post and customer.name)):
            raise DraftingError("the message has no sender address to reply to")
        language, intent = classification.language, classification.intent
        requirements = self.catalog.requirements.get(str(intent))
        if requirements is None:
            raise DraftingError(f"no requirements for intent {intent!r} in {self.catalog.folder}")
        values = {
            name: request.fields[name].value if name in request.fields else None
            for name in (*FIELD_NAMES, *request.fields)
        }
        missing = requirements.missing(values)
        name = template_name(language, str(intent))
        body = self.catalog.render(
            name,
            {
                "language": language,
                "intent": str(intent),
                "fields": values,
                "customer_name": values.get("customer_name"),
                "missing": [self.catalog.label(language, field) for field in missing],
                "attachments": _attachment_names(message, AttachmentStatus.OK),
                "unreadable": _attachment_names(message, AttachmentStatus.ERROR),
                "subject": message.subject,
                "team_name": self.settings.team_name,
                **question_context(request.questions),
            },
        )
        return Draft(
            subject=reply_subject(message.subject),
            body=_tidy(body),
            to=customer,
            language=language,
            intent=intent,
            template=name,
            backend=self.name,
            missing_fields=missing,
            passages=with_answer_passages(request.passages, request.questions),
            questions=list(request.questions),
        )


def _attachment_names(message: Message, status: AttachmentStatus) -> list[str]:
    names = [a.filename for a in message.attachments if a.status == status and not a.inline]
    for inner in message.forwarded:
        names += _attachment_names(inner, status)
    return names


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces: templates stay readable."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
