"""Choosing one value per field among the candidates found in every source.

What the customer wrote now beats what a document or an earlier message says:
sources are ranked body > subject > signature > attachment > sender > quoted.
Within the best-ranked source, the most confident candidate wins, and between
equals the first one written.
"""

from __future__ import annotations

from collections.abc import Iterable

from extractors.fields.base import source_kind
from rpa.models import Field

__all__ = ["SOURCE_RANK", "choose_best", "source_rank"]

SOURCE_RANK: dict[str, int] = {
    "body": 0,
    "subject": 1,
    "signature": 2,
    "attachment": 3,
    "sender": 4,
    "quoted": 5,
    "note": 6,  # what one who forwards the customer's mail writes above it
}


def source_rank(label: str) -> int:
    """Lower is better; a source of unknown kind ranks after all known ones."""
    return SOURCE_RANK.get(source_kind(label), len(SOURCE_RANK))


def choose_best(candidates: Iterable[Field]) -> dict[str, Field]:
    """The best candidate per field name. `candidates` come in reading order
    (source by source, each in text order), which settles ties."""
    best: dict[str, tuple[tuple[int, float, int], Field]] = {}
    for order, candidate in enumerate(candidates):
        key = (source_rank(candidate.source), -candidate.confidence, order)
        if candidate.name not in best or key < best[candidate.name][0]:
            best[candidate.name] = (key, candidate)
    return {name: field for name, (_, field) in best.items()}
