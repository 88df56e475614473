"""What readers of spreadsheets and word processors' documents share: cells as
lines of text, sheets as pages, the claim table rows under a header row, and a
budget of what one document may make us read.

A row of cells is one line, its cells joined by " | " (empty cells kept, so that
columns stay in place; trailing empty cells dropped); empty rows are left out. A
spreadsheet's sheet is one page named after it (`Page.sheet`), so a field found
there has the source ``attachment:<file>#sheet<name>``. A CSV file is one page
without a name (``#p1``), and so is a word processor's document: it has no pages
of its own until it is laid out.

A cell is written as a person sees it, near enough (`cell_text`): a date as an ISO
date, a number with the decimals and currency symbol of its format ("1842.50 €").

`Budget` keeps a document within a `[limits]` setting: `max_cells` for a
spreadsheet (an empty row costs one cell, so that a sheet of a million empty rows
ends as soon as one of a million full ones), `max_paragraphs` for a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from extractors.readers.base import DocumentText
from extractors.tables import cell_table_rows, claim_rows
from rpa.models import Page

__all__ = [
    "CELL_SEPARATOR",
    "Budget",
    "Sheet",
    "TextBody",
    "cell_text",
    "rows_text",
    "spreadsheet_text",
    "text_document",
    "trimmed",
]

CELL_SEPARATOR = " | "
_DECIMALS = re.compile(r"\.(0+)")
_CURRENCIES = ("€", "$", "£", "CHF")


class Budget:
    """How much more of one document may be read: `limit` `unit`s (`limits.<setting>`)."""

    def __init__(self, limit: int, unit: str, setting: str) -> None:
        self.limit, self.unit, self.setting = limit, unit, setting
        self.used = 0
        self.exhausted = False

    def take(self, cost: int = 1) -> bool:
        """Whether `cost` more may be read; once it may not, nothing more may."""
        cost = max(cost, 1)
        if self.exhausted or self.used + cost > self.limit:
            self.exhausted = True
            return False
        self.used += cost
        return True

    def notes(self) -> list[str]:
        if not self.exhausted:
            return []
        return [f"read the first {self.used:,} {self.unit}; the rest were left out (limits.{self.setting})"]


@dataclass
class Sheet:
    """One sheet read: its name and its rows of cells as text."""

    name: str
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class TextBody:
    """A word processor's document read so far: its lines, and its tables as rows of cells."""

    budget: Budget
    lines: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else was left out, and why


def trimmed(cells: Iterable[str]) -> list[str]:
    """A row's cells as one-line text, without the empty cells at its end."""
    row = [" ".join(cell.split()) for cell in cells]
    while row and not row[-1]:
        row.pop()
    return row


def cell_text(value: Any, number_format: str | None) -> str:
    """A cell's value as text: dates in ISO form, numbers as their format shows them."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ", "minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float):
        return _number(value, number_format or "General")
    return str(value)


def _number(value: float, number_format: str) -> str:
    section = number_format.split(";", 1)[0]
    if "%" in section:
        return f"{value * 100:g} %"
    decimals = _DECIMALS.search(section)
    if decimals is not None:
        text = f"{value:.{len(decimals.group(1))}f}"
    else:
        text = str(int(value)) if float(value).is_integer() else repr(value)
    currency = next((symbol for symbol in _CURRENCIES if symbol in section), "")
    return f"{text} {currency}" if currency else text


def rows_text(rows: Iterable[Sequence[str]]) -> str:
    """Rows of cells as lines of text, empty rows left out."""
    return "\n".join(CELL_SEPARATOR.join(row) for row in rows if any(row))


def spreadsheet_text(
    sheets: Sequence[Sheet], budget: Budget, notes: Sequence[str] = (), *, day_first: bool
) -> DocumentText:
    """A page per sheet, and the claim rows of the sheets that have a header row; `notes`
    say what else was left out."""
    numbered = list(enumerate(sheets, start=1))
    pages = tuple(Page(number, rows_text(sheet.rows), sheet=sheet.name) for number, sheet in numbered)
    tables = cell_table_rows([(number, sheet.rows) for number, sheet in numbered], day_first=day_first)
    return DocumentText(pages, (*budget.notes(), *notes), tuple(tables))


def text_document(body: TextBody, *, day_first: bool) -> DocumentText:
    """One page of the document's lines; claim rows from its tables and from its text."""
    pages = (Page(1, "\n".join(body.lines).strip("\n")),)
    rows = cell_table_rows([(1, table) for table in body.tables], day_first=day_first)
    rows += claim_rows(pages, day_first=day_first)
    return DocumentText(pages, (*body.budget.notes(), *body.notes), tuple(rows))
