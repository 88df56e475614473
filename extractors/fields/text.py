"""Text tools the field finders share: folding, label phrases, lines and sentences.

Labels are matched on *folded* text: lower-case, accents removed, apostrophes
and dashes unified. Folding keeps every character in place (one character in,
one out), so a match in the folded text is also the span of the raw text in the
original, and values are always read back from the original.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "NUMBER_SIGN",
    "LABEL_GAP",
    "IBAN_SHAPE",
    "Cue",
    "CueMatcher",
    "fold",
    "phrases",
    "LineIndex",
    "line_span",
    "sentence_start",
    "sentence_end",
    "header_line_spans",
    "Spans",
    "longest_valid_prefix",
]

# Characters whose folded form is not what NFKD gives, or would be longer than one.
_SPECIAL = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "№": "#",
    "º": "o",
    "ß": "s",
    "æ": "a",
    "œ": "o",
    "\r": " ",  # CRLF mail: a line still ends at "\n", and "$" still matches there
}


class _FoldTable(dict):
    """`str.translate` table filled on first use of each character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _SPECIAL.get(char)
        if folded is None:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
            folded = base if len(base) == 1 else (char.lower() if len(char.lower()) == 1 else char)
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, without accents, same length as `text` (offsets stay valid)."""
    return text.translate(_FOLD)


# "n°", "nº", "n.º", "no", "no.", "n o" (OCR), "num", "numéro", "number", "nr", "#", "ref", "référence",
# "ID".
# Word-like signs must end a word ("no" is not the start of "nouveau"); "n°" may touch its value.
NUMBER_SIGN = (
    r"(?:n\s?°|n\.?\s?o\.?(?![a-z])|num(?:ero|ber)?\.?(?![a-z])|nr\.?(?![a-z])|#"
    r"|ref(?:erence)?\.?(?![a-z])|id(?![a-z]))"  # "Member ID", "policy id"
)
# Between a label and its value: spaces, a colon or the like, and at most one line
# break (PDF and OCR text often put the value on the next line or far right in a table).
LABEL_GAP = r"[ \t]*[:=#|.\-]*[ \t]*(?:\n[ \t]*[:|]?[ \t]*)?"

# An IBAN-like run: country, check digits, then groups of four. Used to keep its
# digits from being read as phones, postcodes or VAT numbers, valid or not.
IBAN_SHAPE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ \u00a0]?[A-Za-z0-9]{4}){3,8}(?:[ \u00a0]?[A-Za-z0-9]{1,3})?"
    r"(?![A-Za-z0-9])"
)

# OCR confuses these letters with digits; labels are words, so a digit inside one is noise.
# An "l" may be read as a capital I ("TOTAI"), but a dotted "i" is not read as "l": "mail"
# would otherwise be read in "mall".
_OCR_LETTERS = {"o": "[o0]", "i": "[i1]", "l": "[li1]"}


def _phrase_pattern(phrase: str) -> str:
    parts = [re.escape(phrase[0])]  # a cue starts with a letter, which lets the scan skip digits
    for char in phrase[1:]:
        if char in " -":
            parts.append(r"[\s\-]+")
        elif char == "'":
            parts.append(r"['\s]\s*")
        elif char == "*":
            parts.append(r"[a-z]*")
        elif char == ".":
            parts.append(r"\.?")
        else:
            parts.append(_OCR_LETTERS.get(char, re.escape(char)))
    return "".join(parts)


def phrases(words: Sequence[str]) -> str:
    """A regex alternation of folded label phrases, longest first, bounded by non-letters.

    Mini-syntax: a space or hyphen matches any run of spaces and hyphens, an
    apostrophe also matches a space, a dot may be left out ("h.t" matches "ht"),
    and ``*`` stands for the rest of a word (``cambriol*`` matches "cambriolage"
    and "cambriolé").
    """
    ordered = sorted(set(words), key=len, reverse=True)
    body = "|".join(_phrase_pattern(word) for word in ordered)
    return rf"(?<![a-z0-9])(?:{body})(?![a-z])"


@dataclass(frozen=True)
class Cue:
    kind: str
    start: int
    end: int


class CueMatcher:
    """Finds cue phrases of several kinds in folded text; the longest phrase wins
    where two start at the same place ("total ht" over "total")."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        # Grouped by first letter, longest first within a group: a lookahead on the letter
        # skips every other group at once (Python's re tries alternatives one by one).
        entries = sorted(
            ((phrase, kind) for kind, words in table.items() for phrase in words),
            key=lambda entry: (entry[0][0], -len(entry[0])),
        )
        self._kinds = [kind for _, kind in entries]
        groups: dict[str, list[str]] = {}
        for phrase, _ in entries:
            groups.setdefault(phrase[0], []).append(f"({_phrase_pattern(phrase)})")
        body = "|".join(f"(?={re.escape(first)})(?:{'|'.join(group)})" for first, group in groups.items())
        # The lookahead turns away, cheaply, the many places no cue can start (digits, spaces).
        self._regex = re.compile(rf"(?=[a-z])(?<![a-z0-9])(?:{body})(?![a-z])")

    def finditer(self, folded: str, start: int = 0, end: int | None = None) -> Iterator[Cue]:
        stop = len(folded) if end is None else end
        for match in self._regex.finditer(folded, start, stop):
            yield Cue(self._kinds[match.lastindex - 1], match.start(), match.end())


def line_span(text: str, pos: int, reach: int | None = None) -> tuple[int, int]:
    """Start and end of the line holding `pos`, looking at most `reach` characters each way
    (a text without line breaks would otherwise be scanned whole for every match)."""
    floor = 0 if reach is None else max(0, pos - reach)
    ceiling = len(text) if reach is None else min(len(text), pos + reach)
    start = text.rfind("\n", floor, pos)
    end = text.find("\n", pos, ceiling)
    return (floor if start < 0 else start + 1), (ceiling if end < 0 else end)


class LineIndex:
    """Where each line of a text starts, for many `span` questions about one text."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self._length = len(text)

    def span(self, pos: int) -> tuple[int, int]:
        index = bisect_right(self._starts, pos) - 1
        end = self._starts[index + 1] - 1 if index + 1 < len(self._starts) else self._length
        return self._starts[index], end


# Abbreviations whose dot does not end a sentence ("Total incl. VAT", "M. Dupont", "n. 12").
_ABBREVIATIONS = (
    "incl",
    "excl",
    "n",
    "no",
    "nr",
    "m",
    "mm",
    "mme",
    "mlle",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "av",
    "bd",
    "ref",
    "tel",
    "p",
    "env",
    "approx",
    "cf",
    "art",
    "qte",
    "qty",
    "ex",
)
# Short day names, whose dot before a date's digits ends no sentence: "the flood on Fri. 2/10",
# "le ven. 2 octobre".
_SHORT_DAYS = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
_SHORT_DAYS += ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
_BREAK_LOOKAHEAD = 4  # what a break's lookaheads read after it: a space and a digit
_SENTENCE_BREAK = re.compile(
    r"[.!?]"
    + "".join(rf"(?<![^a-z]{word}\.)(?<!^{word}\.)" for word in _ABBREVIATIONS)
    + "".join(rf"(?!(?<=[^a-z]{day}\.)\s+\d)(?!(?<=^{day}\.)\s+\d)" for day in _SHORT_DAYS)
    + r"(?=\s)|\n[ \t]*\n"
    # an item of a list ends at the next one's dash or bullet
    + r"|\n(?=[ \t]*[\-*•][ \t])",
    re.MULTILINE,
)


def sentence_start(text: str, pos: int, limit: int) -> int:
    """Where the sentence holding `pos` starts, looking back at most `limit` characters."""
    floor = max(0, pos - limit)
    start = floor
    # read a little past `pos`: whether a dot ends a sentence depends on what follows it
    for match in _SENTENCE_BREAK.finditer(text, floor, min(len(text), pos + _BREAK_LOOKAHEAD)):
        if match.end() > pos:
            break
        start = match.end()
    return start


def sentence_end(text: str, pos: int, limit: int) -> int:
    """Where the sentence holding `pos` ends, looking ahead at most `limit` characters."""
    match = _SENTENCE_BREAK.search(text, pos, min(len(text), pos + limit))
    return match.start() if match else min(len(text), pos + limit)


# Lines of a mail that carry its envelope, not facts: quoted or forwarded headers
# ("De :", "Sent:") and reply attributions ("Le lun. 3 mars 2025 à 10:12, X a écrit :").
_HEADER_LINE = re.compile(
    r"^[ \t>]*(?:de|from|a|to|cc|cci|bcc|objet|subject|date|envoye(?: le)?|sent|recu|received)"
    r"[ \t]*:.*$",
    re.MULTILINE,
)
_ATTRIBUTION_LINE = re.compile(r"^.*(?:a ecrit|wrote)[ \t]*:?[ \t]*$", re.MULTILINE)


def header_line_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of header and attribution lines in folded mail text.

    An attribution often wraps ("Le 3 mars 2025, Jean <j@x.fr>\\na écrit :"), so
    the line before an attribution line is included too.
    """
    spans = [(match.start(), match.end()) for match in _HEADER_LINE.finditer(folded)]
    for match in _ATTRIBUTION_LINE.finditer(folded):
        start = folded.rfind("\n", 0, max(0, match.start() - 1)) + 1 if match.start() else 0
        spans.append((start, match.end()))
    return spans


class Spans:
    """Stretches of a text already spoken for (a header line, an IBAN, a read value).

    Kept sorted, so that asking whether a new match overlaps one stays cheap on
    long documents with thousands of candidates.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans = sorted(spans)
        self._longest = max((end - start for start, end in self._spans), default=0)

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))
        self._longest = max(self._longest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps one of the spans."""
        index = bisect_left(self._spans, (start - self._longest, start))
        for span_start, span_end in self._spans[index:]:
            if span_start >= end:
                return False
            if span_end > start:
                return True
        return False


def longest_valid_prefix(
    raw: str, is_valid: Callable[[str], bool], min_length: int
) -> tuple[str, int] | None:
    """The longest run of letters and digits at the start of `raw` (separators skipped),
    ending where a group ends, that `is_valid` accepts, as (compact upper-case value,
    length of raw consumed).

    Greedy shapes swallow what follows a number ("FR40303265045 SIRET"); trimming
    back whole groups to what validates keeps the checksum as the judge of where
    it ends, without cutting a mistyped number down to a valid one.
    """
    ends = [i + 1 for i, char in enumerate(raw) if char.isalnum()]
    compact = "".join(char for char in raw if char.isalnum()).upper()
    for length in range(len(compact), min_length - 1, -1):
        end = ends[length - 1]
        if end < len(raw) and raw[end].isalnum():
            continue
        if is_valid(compact[:length]):
            return compact[:length], end
    return None
