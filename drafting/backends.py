"""Drafting backends: something that turns an understood mail into a reply draft.

A backend has a `name`, says whether it `is_available()`, `draft()`s one reply
from a `DraftRequest` and `draft_many()`s a batch (`batch_size` at a time is
what the pipeline hands it). `BACKENDS` maps configuration names to factories.
The `template` backend renders the Jinja2 letter for the intent; the language
model backends (`transformers`, `openai`, see `drafting.generative`) start from
its letter and keep it when their own reply fails a guard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from drafting.answers import question_context, with_answer_passages
from drafting.templates import TemplateCatalog, load_catalog, template_name
from rpa.config import DraftingSettings, Settings
from rpa.errors import ConfigError, DraftingError
from rpa.models import (
    FIELD_NAMES,
    AttachmentStatus,
    Classification,
    Draft,
    Field,
    Message,
    Passage,
    Question,
)

__all__ = ["BACKENDS", "DraftBackend", "DraftRequest", "TemplateBackend", "make_backend", "reply_subject"]


@dataclass(frozen=True)
class DraftRequest:
    message: Message
    fields: Mapping[str, Field]
    classification: Classification
    passages: Sequence[Passage] = ()  # knowledge-base passages retrieved for this mail
    by_post: bool = False  # a letter on paper with no e-mail address: the reply is posted to its writer
    questions: Sequence[Question] = ()  # the customer's questions, answered from a passage or open


@runtime_checkable
class DraftBackend(Protocol):
    name: str
    batch_size: int  # how many requests it prefers to get in one draft_many call

    def is_available(self) -> bool: ...

    def draft(self, request: DraftRequest) -> Draft: ...

    def draft_many(self, requests: Sequence[DraftRequest]) -> list[Draft | DraftingError]: ...


_REPLY_PREFIX = re.compile(r"^\s*(?:re|réf|ref|aw|sv)\s*:\s*", re.IGNORECASE)


def reply_subject(subject: str) -> str:
    """`Re: <original subject>`, without piling up prefixes."""
    stripped = subject.strip()
    while _REPLY_PREFIX.match(stripped):
        stripped = _REPLY_PREFIX.sub("", stripped, count=1)
    return f"Re: {stripped}" if stripped else "Re:"


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


def _model_backend(model_name: str) -> Callable[[Settings, Path], DraftBackend]:
    def factory(settings: Settings, templates_dir: Path) -> DraftBackend:
        # Imported here: the generative backend builds on TemplateBackend, defined above.
        from drafting.generative import ModelBackend
        from drafting.llm import MODELS

        return ModelBackend(settings, templates_dir, MODELS[model_name](settings))

    return factory


BACKENDS: dict[str, Callable[[Settings, Path], DraftBackend]] = {
    TemplateBackend.name: lambda settings, templates_dir: TemplateBackend(settings.drafting, templates_dir),
    "transformers": _model_backend("transformers"),
    "openai": _model_backend("openai"),
}


def make_backend(settings: Settings, templates_dir: Path) -> DraftBackend:
    try:
        factory = BACKENDS[settings.drafting.backend]
    except KeyError:
        known = ", ".join(sorted(BACKENDS))
        name = settings.drafting.backend
        raise ConfigError(f"unknown drafting backend {name!r} (known: {known})") from None
    return factory(settings, templates_dir)
