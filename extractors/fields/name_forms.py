"""One person's name written in shorter and fuller forms: "R. Doherty" and "Ryan Doherty",
"Th. Roux" and "Thibault Roux", "JP Morel" and "Jean-Pierre Morel", "Hugo V-R" and "Hugo
Vidal-Ramos". A signature often gives initials where a header, an address or a quoted
letter spells the name out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import permutations

from extractors.fields.name_parts import MARRIED_WORDS
from extractors.fields.text import fold

__all__ = [
    "abbreviates",
    "adds_married_name",
    "fuller_forms",
    "holder_by_given_name",
    "in_written_order",
    "shortens",
    "spelled_out",
    "spells_address",
]

_MAX_WORDS = 5
_MARRIED = frozenset(map(fold, MARRIED_WORDS))


def abbreviates(short: list[str], full: list[str]) -> bool:
    """Whether the words of `short` are those of `full` or their initials, in any order:
    "R. Venkatesh" for "Venkatesh Raghunathan", "J. Smith" for "John Smith", "Th. Roux" for
    "Thibault Roux", "JP Morel" for "Jean-Pierre Morel", "Hugo V-R" for "Hugo Vidal-Ramos"."""
    return _matching_order(short, full) is not None


_SHORT_GIVEN = 3  # letters of a short given name at least: "Seun", "Tom", "Jess"
_PET_ENDING = re.compile(r"(?:y|ie|ey|i|o)$")  # "Gerry" for "Gerard", "Danny" for "Daniel", "Sandie"


def shortens(short: list[str], full: list[str]) -> bool:
    """Whether `short` is `full` with a shorter form of its given name, its beginning or its end
    or a pet form of its beginning, and the same family name: "Seun Adeyemi-Bello" for
    "Oluwaseun Adeyemi-Bello", "Tom Ashworth" for "Thomas Ashworth", "Gerry Tobin" for "Gerard
    Tobin"."""
    folded_short, folded_full = [fold(word) for word in short], [fold(word) for word in full]
    if len(short) != len(full) or len(short) < 2 or folded_short[1:] != folded_full[1:]:
        return False
    given, whole = folded_short[0], folded_full[0]
    if not _SHORT_GIVEN <= len(given) <= len(whole) or given == whole:
        return False
    pet = _PET_ENDING.search(given) is not None and given[:_SHORT_GIVEN] == whole[:_SHORT_GIVEN]
    return pet or whole.startswith(given) or whole.endswith(given)


def spells_address(parts: list[str], words: list[str]) -> bool:
    """Whether the parts of an address, in order, are the words of a name: each the beginning
    of a word ("jess" for "jessica") or the initials of the words that follow ("mds" for
    "moreau da silva"), every word spelled: jess.mds@ is "jessica moreau-da silva"."""
    if not parts:
        return not words
    part, rest = parts[0], parts[1:]
    if words and len(part) >= _SHORT_GIVEN and words[0].startswith(part) and spells_address(rest, words[1:]):
        return True
    initials = "".join(word[:1] for word in words[: len(part)])
    return len(part) > 1 and initials == part and spells_address(rest, words[len(part) :])


def spelled_out(short: list[str], full: list[str]) -> list[str] | None:
    """The words of `full` in the order of `short`, when `short` abbreviates at least one of
    them and writes the others alike ("R. Doherty" and "Ryan Doherty"), else None."""
    order = _matching_order(short, full)
    if order is None or all(fold(m.rstrip(".")) == fold(t) for m, t in zip(short, order, strict=True)):
        return None
    return list(order)


def _matching_order(short: list[str], full: list[str]) -> tuple[str, ...] | None:
    if not len(short) == len(full) <= _MAX_WORDS:
        return None
    for order in permutations(full):
        if all(_abbreviates_word(mine, theirs) for mine, theirs in zip(short, order, strict=True)):
            return order
    return None


def _abbreviates_word(mine: str, theirs: str) -> bool:
    """ "R." for "Ryan", "Th." for "Thibault", "JP" or "J.-P." for "Jean-Pierre", "V-R" for
    "Vidal-Ramos": an initial, a few first letters before a full stop, or the initials of
    the parts of a compound."""
    dotted = mine.endswith(".") and len(mine) <= 4
    mine, theirs = fold(mine.rstrip(".")), fold(theirs)
    if mine == theirs:
        return True
    if len(mine) == 1 < len(theirs) or (dotted and "-" not in mine and len(mine) < len(theirs)):
        return theirs.startswith(mine)
    compound = theirs.split("-")
    return len(compound) > 1 and re.sub(r"[.\-]", "", mine) == "".join(part[:1] for part in compound)


def adds_married_name(short: list[str], full: list[str]) -> bool:
    """Whether `full` is `short` signed whole with a maiden or married name: "Sandrine Oukili
    née Perrin" for "Sandrine Oukili", "Marie Dupont épouse Martin" for "Marie Dupont"."""
    return (
        len(full) > len(short) + 1
        and [fold(word) for word in full[: len(short)]] == [fold(word) for word in short]
        and fold(full[len(short)]) in _MARRIED
    )


def fuller_forms(name: str, texts: Iterable[str]) -> list[str]:
    """The same person's name written in full in `texts`, when `name` gives initials: a
    signature "R. Doherty" over a quoted letter addressed to "Ryan Doherty", "J. Pereira"
    under "I am João Pereira", as written there. Only words that start with a capital are read."""
    short = name.split()
    if not any(len(word.strip(".")) <= 3 and word.strip(".").isalpha() for word in short):
        return []
    forms = []
    for text in texts:
        words = re.findall(r"[^\W\d_]+(?:['\-][^\W\d_]+)*", text)
        for start in range(len(words) - len(short) + 1):
            window = words[start : start + len(short)]
            if not all(word[0].isupper() for word in window):
                continue
            spelled = spelled_out(short, window)
            if spelled is not None and all(len(word) > 1 for word in spelled):
                forms.append(" ".join(spelled))
    return list(dict.fromkeys(forms))


_TWO = 2


def in_written_order(name: str, texts: Iterable[str]) -> str | None:
    """A two-word name that a mail header gives family name first ("Vasseur Roger"), given name
    first as a couple's signature shows it: "Monique et Roger Vasseur" shares the family name,
    last. Another text's order says nothing ("M. Bouvier-Desmarais Marcel" is signed family
    name first too); None when no couple's signature turns the name round."""
    words = name.split()
    if len(words) != _TWO or any(word.isupper() for word in words):
        return None
    couple = re.compile(
        rf"(?<![\w'’\-])[A-Z][^\W\d_]+[ \t]+(?:et|and|&)[ \t]+{re.escape(words[1])}[ \t]+"
        rf"{re.escape(words[0])}(?![\w'’\-])"
    )
    return f"{words[1]} {words[0]}" if any(couple.search(text) for text in texts) else None


# "The policy is in Nia's name", "le contrat est au nom de Nadia": whose policy it is, by a
# given name alone (a full name there is a represented policyholder: see `names`).
_HOLDER_BY_GIVEN_NAME = re.compile(
    r"(?<![\w])(?:in|under)\s+(?P<en>[A-Z][^\W\d_]+)['’]s\s+name\b"
    r"|(?<![\w])au\s+nom\s+de\s+(?P<fr>[A-Z][^\W\d_]+)(?![\w'’\-]|\s+[A-Z])"
)


def holder_by_given_name(texts: Iterable[str]) -> str | None:
    """The full name of the policyholder a mail names by a given name alone ("the policy is in
    Nia's name"), found where that given name stands before a family name ("Gareth & Nia
    Pritchard"); None when the mail says no such thing."""
    texts = list(texts)
    for text in texts:
        for said in _HOLDER_BY_GIVEN_NAME.finditer(text):
            given = said.group("en") or said.group("fr")
            full = re.compile(rf"(?<![\w'’\-]){re.escape(given)}[ \t]+([A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?)\b")
            for other in texts:
                match = full.search(other)
                if match is not None:
                    return f"{given} {match.group(1)}"
    return None
