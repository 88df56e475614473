"""Label words as people mistype them: two neighbouring letters swapped ("polcie", "contart"),
a letter left out ("sinitre"), one too many ("dossiier") or a wrong one ("contrst").

Only words of five letters or more are read this way, and a five-letter word only with two
letters swapped: one letter more, less or other in so short a word makes another word too
often ("clair", "lover"). Real words a slip away from a label are never taken for it
("contact", "fracture", "polite"), nor forms of a verb that are followed by a sum or a date
("invoiced", "estimated"), nor plurals ("sinistres", "receipts"), which speak of several
things rather than give the number of one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["misspellings", "slips_in"]

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_SHORTEST = 5
_REAL_WORDS = frozenset(
    {
        "assume",
        "assumed",
        "assured",
        "clint",
        "contact",
        "contacts",
        "contrast",
        "devise",
        "ember",
        "estimated",
        "fracture",
        "invoiced",
        "polie",
        "polite",
        "polity",
    }
)
_WORD = re.compile(rf"(?<![a-z])[a-z]{{{_SHORTEST},}}(?![a-z])")


def misspellings(words: Iterable[str], not_slips: Iterable[str] = ()) -> dict[str, str]:
    """Each slip of the one-word labels among `words` (folded), mapped to the word it stands
    for; the labels themselves are no slips of one another ("police", "policy"), nor are
    `not_slips` (words of a language that mean something else)."""
    known = set(words)
    refused = known | _REAL_WORDS | set(not_slips)
    table: dict[str, str] = {}
    for word in sorted(known):
        if len(word) < _SHORTEST or not word.isalpha():
            continue
        for slip in sorted(_slips(word)):
            plural = slip.endswith("s") and slip[:-1] in known
            if len(slip) >= _SHORTEST and slip not in refused and not plural:
                table.setdefault(slip, word)
    return table


def slips_in(folded: str, table: dict[str, str]) -> dict[str, str]:
    """The slips of `table` written in `folded`, each with the word it stands for."""
    return {
        match.group(0): table[match.group(0)] for match in _WORD.finditer(folded) if match.group(0) in table
    }


def _slips(word: str) -> set[str]:
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    if len(word) == _SHORTEST:
        return swapped - {word}
    left_out = {word[:i] + word[i + 1 :] for i in range(len(word))}
    added = {word[:i] + char + word[i:] for i in range(len(word) + 1) for char in _ALPHABET}
    wrong = {word[:i] + char + word[i + 1 :] for i in range(len(word)) for char in _ALPHABET}
    return (swapped | left_out | added | wrong) - {word}
