"""A page's text laid out as printed: rows from top to bottom, columns kept apart.

A PDF's text layer gives text in the order its producer wrote it, which is often
not the order a reader sees: a label in one column and its value in the next can
be lines apart ("Rechnungsnr." ... "30064443"), and the labels of a header row
come before the row of values printed under them. `lay_out` rebuilds the page
from where each word is printed: words whose boxes share most of their height
make a row, and each word is placed at the column its left edge falls on. What
stands side by side ends up on one line, and what stands one under the other
keeps its column. Words of one phrase are joined by one space; a wider gap gets
at least `COLUMN_GAP` spaces, the mark of a new column.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["COLUMN_GAP", "Word", "lay_out"]

COLUMN_GAP = 3  # spaces at least between two columns of a row
_WORD_GAP = 2.0  # in character widths: a wider gap starts a new column
_SAME_ROW = 0.5  # share of the smaller height two boxes must have in common to be on one row


class Word(NamedTuple):
    """A word of the text layer and its box, in page units, y growing downwards."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def lay_out(words: Iterable[Word]) -> str:
    """The text of `words` as printed, one row a line."""
    placed = [word for word in words if word.text.strip() and word.height > 0 and word.right > word.left]
    if not placed:
        return ""
    unit = statistics.median((word.right - word.left) / len(word.text) for word in placed)
    margin = min(word.left for word in placed)
    return "\n".join(_row_text(row, unit, margin) for row in _rows(placed))


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped in rows, top to bottom: a word belongs to the row whose first word's
    box shares most of its height."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda word: (word.top, word.left)):
        if rows:
            first = rows[-1][0]
            shared = min(first.bottom, word.bottom) - max(first.top, word.top)
            if shared >= _SAME_ROW * min(first.height, word.height):
                rows[-1].append(word)
                continue
        rows.append([word])
    return rows


def _row_text(words: list[Word], unit: float, margin: float) -> str:
    line = ""
    right = 0.0
    for word in sorted(words, key=lambda word: word.left):
        column = round((word.left - margin) / unit)
        if line and word.left - right <= _WORD_GAP * unit:
            column = len(line) + 1
        elif line:
            column = max(column, len(line) + COLUMN_GAP)
        line = line.ljust(column) + word.text
        right = word.right
    return line.rstrip()
