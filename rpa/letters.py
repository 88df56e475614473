"""Replies by post to letters received on paper, as the store holds them: their PDF to print.

The PDF drafted with the reply is kept with the draft. When an agent edited the
text before approving it, the letter is laid out again from the edited text, so
that what is printed is what was approved.
"""

from __future__ import annotations

from drafting.postal import LETTER, PostalReplies
from rpa.config import Settings
from rpa.errors import NotFound
from rpa.models import PostalLetter
from rpa.resources import templates_folder
from rpa.store import MessageRecord

__all__ = ["letter_pdf"]


def letter_pdf(record: MessageRecord, settings: Settings) -> bytes:
    """The reply by post to the letter `record` is, as a PDF to print; NotFound when its reply
    is no letter."""
    draft = record.draft
    if draft is None or draft.channel != LETTER or record.letter is None:
        how = "it has no draft" if draft is None else f"its reply goes by {draft.channel}"
        raise NotFound(f"message {record.id} has no reply by post: {how}")
    if draft.final_body is None and draft.letter_pdf:
        return draft.letter_pdf
    postal = PostalReplies(settings.letters, settings.drafting.team_name, templates_folder(settings))
    letter = PostalLetter(**{**record.letter, "address": tuple(record.letter["address"])})
    return postal.render(letter, draft.text_to_send, draft.language)
