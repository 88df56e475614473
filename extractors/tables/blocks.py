"""Claim records written as blocks of "Label: value" lines rather than table rows.

A loss run's "detailed format" gives each claim a heading ("Incident #30001 (Ref
#L230001)", "Sinistre n° 2024-118"), a few labelled lines, and a small breakdown
of amounts whose total row sums the claim up. Reading it needs only the page
text (no layout), so it also works on OCRed pages. A block may run over a page
break; it belongs to the page where its heading is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.fields.text import fold
from extractors.tables.labels import RawRow, amount_header, columnar_total, inline_total, labelled_values

__all__ = ["MIN_BLOCKS", "block_rows"]

# One labelled claim is a claim form, not a list of claims.
MIN_BLOCKS = 2
# A claim heading: its label, a number sign, and a number holding a digit, at the start of a line.
_HEADING = re.compile(
    r"^[ \t]*(?:incident|claim|sinistre|dossier)[ \t]*(?:#|n°|no\.?|number|numero)?[ \t]*:?[ \t]*#?[ \t]*"
    r"[a-z0-9][a-z0-9\-/._]*\d",
    re.MULTILINE,
)
# Besides its number, a block must say at least this many other things to be a claim.
_MIN_KEYS = 2


def block_rows(pages: Sequence[tuple[int, str]]) -> list[RawRow]:
    """One raw row per claim block in the pages' text, (page number, text) in order."""
    lines = [(number, line) for number, text in pages for line in text.splitlines()]
    starts = [i for i, (_, line) in enumerate(lines) if _HEADING.match(fold(line))]
    rows: list[RawRow] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        values = _block_values([line for _, line in lines[start:end]])
        if rows and _continues(rows[-1][1], values):
            rows[-1] = (rows[-1][0], {**values, **rows[-1][1]})
        elif "claim_number" in values:
            rows.append((lines[start][0], values))
    rows = [row for row in rows if len(row[1]) > _MIN_KEYS]
    return rows if len(rows) >= MIN_BLOCKS else []


def _continues(previous: dict[str, str], values: dict[str, str]) -> bool:
    """Whether a block is the rest of the previous one after a page break, under a
    repeated heading: same claim, and nothing the previous block already said
    (a claim listed twice says everything twice)."""
    said = set(previous) & set(values) - {"claim_number", "reference_number"}
    return values.get("claim_number") == previous.get("claim_number") and not said


def _block_values(lines: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in lines:
        for key, value in labelled_values(line).items():
            values.setdefault(key, value)
    amounts = inline_total("\n".join(lines))
    for index, line in enumerate(lines):
        if amounts:
            break
        header = amount_header(line)
        if header:
            amounts = columnar_total(lines[index + 1 :], header)
    return {**values, **amounts}
