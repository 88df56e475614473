"""What a drafting backend is, and what it is asked.

A backend has a `name`, says whether it `is_available()`, `draft()`s one reply
from a `DraftRequest` and `draft_many()`s a batch (`batch_size` at a time is
what the pipeline hands it). The backends are listed by name in
`drafting.backends`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rpa.errors import DraftingError
from rpa.models import Classification, Draft, Field, Message, Passage, Question

__all__ = ["DraftBackend", "DraftRequest", "reply_subject"]


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
