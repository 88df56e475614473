"""What a field finder is, and what the finders need to know about text sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from extractors.fields.text import Spans, header_line_spans
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = [
    "FieldFinder",
    "envelope_spans",
    "MAIL_KINDS",
    "NAME_KINDS",
    "source_kind",
    "is_attachment",
    "reads_text",
    "make_field",
]


@runtime_checkable
class FieldFinder(Protocol):
    """Finds candidate values for the fields in `names` in one text.

    A finder yields every candidate it sees, with its own confidence; choosing
    between candidates (and between sources) is done once, in `select`.
    """

    names: tuple[str, ...]

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]: ...


# Sources that are not running text: the sender source is only a display name.
NAME_KINDS = frozenset({"sender"})
# Sources that are mail, where header lines and reply attributions are not facts.
MAIL_KINDS = frozenset({"body", "subject", "signature", "quoted", "note"})  # note: a forwarder's


def source_kind(label: str) -> str:
    """``attachment:scan.pdf#p2`` -> ``attachment``; other labels are their own kind."""
    return label.split(":", 1)[0] if label.startswith("attachment:") else label


def reads_text(label: str) -> bool:
    """Whether a source holds running text to look for values in (any kind but a display
    name; a kind this list does not know yet is read rather than ignored)."""
    return source_kind(label) not in NAME_KINDS


def envelope_spans(label: str, folded: str) -> Spans:
    """Header lines and reply attributions quoted in a mail source: dates and addresses
    there describe the mail, not the customer's case."""
    return Spans(header_line_spans(folded) if source_kind(label) in MAIL_KINDS else ())


def is_attachment(label: str) -> bool:
    return label.startswith("attachment:")


def make_field(name: str, value: str, raw: str, confidence: float, source: TextSource) -> Field:
    return Field(
        name=name,
        value=value,
        raw=raw.strip(),
        confidence=round(min(1.0, max(0.0, confidence)), 2),
        source=source.source,
    )
