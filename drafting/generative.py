"""Drafts written by a language model, checked by the guards, with the template letter as fallback.

For each request: the template letter (the skeleton, and the fallback), the
injection check on the customer's text, the prompt (redacted when the model is
remote), then one `generate` call for the whole batch, the placeholders put
back, and every guard. A reply that passes every guard becomes the draft's
body; otherwise the template letter comes first and the reply is kept beside
it with the verdicts. When the model cannot answer at all, the letter is the
draft and the reason is kept in `problems`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from drafting.base import DraftRequest
from drafting.guards import GuardContext, check_reply, injection_spans
from drafting.llm import LanguageModel
from drafting.prompt import build_conversation, clean_reply, customer_text
from drafting.redaction import Redactor
from drafting.templated import TemplateBackend
from rpa.config import Settings
from rpa.errors import DraftingError
from rpa.models import Draft, Message

__all__ = ["ModelBackend"]


@dataclass(frozen=True)
class _Job:
    letter: Draft
    request: DraftRequest
    context: GuardContext
    redactor: Redactor | None


class ModelBackend:
    """A `DraftBackend` over a `LanguageModel`."""

    def __init__(self, settings: Settings, templates_dir: Path, model: LanguageModel) -> None:
        self.name = model.name
        self.model = model
        self.settings = settings
        self.batch_size = max(1, settings.drafting.batch_size)
        self.letters = TemplateBackend(settings.drafting, templates_dir)

    def is_available(self) -> bool:
        return self.model.is_available()

    def draft(self, request: DraftRequest) -> Draft:
        (result,) = self.draft_many([request])
        if isinstance(result, DraftingError):
            raise result
        return result

    def draft_many(self, requests: Sequence[DraftRequest]) -> list[Draft | DraftingError]:
        letters = self.letters.draft_many(requests)
        jobs = {
            index: self._job(request, letter)
            for index, (request, letter) in enumerate(zip(requests, letters, strict=True))
            if isinstance(letter, Draft)
        }
        conversations = [self._conversation(job) for job in jobs.values()]
        try:
            replies = self.model.generate(conversations)
        except DraftingError as exc:  # the model could not even start: every letter stands
            replies = [exc] * len(conversations)
        results: list[Draft | DraftingError] = list(letters)
        for (index, job), reply in zip(jobs.items(), replies, strict=True):
            results[index] = self._finish(job, reply)
        return results

    def _job(self, request: DraftRequest, letter: Draft) -> _Job:
        message = request.message
        text = _customer_and_documents(message)
        context = GuardContext(
            language=letter.language,
            template_body=letter.body,
            facts=[text for found in request.fields.values() for text in (found.value, found.raw)],
            passages=[passage.text for passage in letter.passages],  # the answers' passages too
            customer_text=text,
            team_name=self.settings.drafting.team_name,
            min_chars=self.settings.drafting.min_chars,
            max_length_ratio=self.settings.drafting.max_length_ratio,
        )
        redactor = Redactor(_names(request)) if self.model.remote else None
        return _Job(letter, request, context, redactor)

    def _conversation(self, job: _Job) -> list:
        request = job.request
        return build_conversation(
            language=job.letter.language,
            team_name=self.settings.drafting.team_name,
            message=request.message,
            fields=request.fields,
            template_body=job.letter.body,
            passages=job.letter.passages,
            questions=job.letter.questions,
            injection=injection_spans(job.context.customer_text),
            redactor=job.redactor,
        )

    def _finish(self, job: _Job, reply: str | DraftingError) -> Draft:
        if isinstance(reply, DraftingError):
            return replace(job.letter, problems=[f"{self.name}: {reply}"])
        text = clean_reply(job.redactor.restore(reply) if job.redactor else reply)
        verdicts = check_reply(text, job.context)
        clean = all(verdict.passed for verdict in verdicts)
        return replace(
            job.letter,
            body=text if clean else job.letter.body,
            backend=self.name,
            generated_body=text,
            guards=verdicts,
        )


def _customer_and_documents(message: Message) -> str:
    """Everything the customer sent that reaches the model: the mail and readable attachments."""
    pages = [page.text for attachment in message.attachments for page in attachment.pages]
    return "\n".join([customer_text(message), *pages])


def _names(request: DraftRequest) -> list[str]:
    message = request.message
    people = [message.customer, message.sender]
    names = [person.name for person in people if person is not None and person.name]
    if "customer_name" in request.fields:
        names.append(request.fields["customer_name"].value)
    return names
