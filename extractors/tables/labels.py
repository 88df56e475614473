"""Values written after their labels inside a claim record: "Policy #: L23A4321 (GA)",
"Date of Loss: 04/27/2023", and the amounts of its total line, either inline
("Incident Total: Reserve $0.00 | Paid $38,116.39 | ...") or under a header row
("Category Reserve Paid Recovered Total Incurred" ... "Incident Total $0.00 $38,116.39 ...").

Values come back raw; `vocabulary.normalise_value` gives them their normal form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.fields.amounts import find_money
from extractors.fields.text import fold, phrases
from extractors.tables.vocabulary import AMOUNT_KEYS, DETAILS, KINDS, TOTAL_LABELS, column_cues

__all__ = ["RawRow", "amount_header", "columnar_total", "inline_total", "labelled_values"]

RawRow = tuple[int, dict[str, str]]  # (page number, canonical key -> raw text)

# What may stand between a label and its value: "Policy #: X", "Claim No. X", "N° : X".
_AFTER_LABEL = re.compile(r"[ \t]*(?:#|n°|no\.?(?![a-z])|number|numero)?[ \t]*[:#]?[ \t]*#?[ \t]*")
# The next "Some Label:" ends a text value ("Insured: Liberty Express LLC Division: General").
_NEXT_LABEL = re.compile(r"[ \t]+(?=[A-Z][A-Za-z()/# ]{0,30}:)|\n")
_TOTAL = re.compile(phrases(TOTAL_LABELS))
_TOTAL_COLON = re.compile(phrases(TOTAL_LABELS) + r"[ \t]*:")


def labelled_values(text: str) -> dict[str, str]:
    """Canonical key -> raw value for every known label in `text` (the first of each wins).

    A label counts only when a colon or a number sign follows it, or a value holding
    a digit does: the word "claim" in a sentence is not a label.
    """
    folded = fold(text)
    found: dict[str, str] = {}
    for cue in column_cues().finditer(folded):
        if cue.kind in found or cue.kind == DETAILS or KINDS.get(cue.kind) == "amount":
            continue
        gap = _AFTER_LABEL.match(text, cue.end)
        signs = folded[cue.start : cue.end] + gap.group(0)
        if not any(sign in signs for sign in ":#°"):
            continue
        end = _NEXT_LABEL.search(text, gap.end())
        value = text[gap.end() : end.start() if end else len(text)].strip()
        if value:
            found[cue.kind] = value
    return found


def inline_total(text: str) -> dict[str, str]:
    """Amounts after a "Total:" label, each after its own word: "Reserve $0.00 | Paid $5.00"."""
    match = _TOTAL_COLON.search(fold(text))
    if match is None:
        return {}
    end = _NEXT_LABEL.search(text, match.end())
    segment = text[match.end() : end.start() if end else len(text)]
    folded = fold(segment)
    values: dict[str, str] = {}
    for cue in column_cues().finditer(folded):
        if cue.kind not in AMOUNT_KEYS or cue.kind in values:
            continue
        money = next(iter(find_money(segment[cue.end : cue.end + 40])), None)
        if money is not None:
            values[cue.kind] = segment[cue.end : cue.end + money.end].strip(" :|")
    return values


def amount_header(line: str) -> list[str]:
    """The amount keys of a breakdown's header row, in order ("Reserve Paid ..." ->
    [reserve_amount, paid_amount, ...]); [] when the line is not such a header."""
    folded = fold(line)
    cues = list(column_cues().finditer(folded))
    keys = [cue.kind for cue in cues if cue.kind in AMOUNT_KEYS]
    if len(keys) < 2 or len(set(keys)) != len(keys) or list(find_money(line)):
        return []
    return keys


def columnar_total(lines: Sequence[str], header: Sequence[str]) -> dict[str, str]:
    """The amounts of the first total row under a breakdown header, in the header's order."""
    for line in lines:
        match = _TOTAL.search(fold(line))
        if match is None or match.start() > 2:
            continue
        money = list(find_money(line[match.end() :]))
        if len(money) == len(header):
            rest = line[match.end() :]
            bounds = [0, *(item.end for item in money)]
            return {key: rest[bounds[i] : bounds[i + 1]] for i, key in enumerate(header)}
    return {}
