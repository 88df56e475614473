"""What the OpenDocument readers (odt, ods) share: the XML names, and the text of
paragraphs and table cells as a person reads them.

OpenDocument keeps its content in `content.xml`, parsed here with defusedxml (no
entity expansion, no external references: a billion laughs is an error, not a
gigabyte) as it is unzipped (`iter_content`), so that readers can let go of what
they have read. In it, runs of spaces are `<text:s text:c="5"/>`, tabs and line breaks
are elements too, and a table stores a run of identical cells or rows once with a
repeat count: LibreOffice ends every sheet with a million empty rows stored that
way. `cells_of_row` expands the repeats, but never the empty cells at a row's end,
and never beyond `MAX_COLUMNS`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from extractors.readers.sheets import trimmed
from rpa.errors import ExtractionError

__all__ = [
    "MAX_COLUMNS",
    "TABLE",
    "TABLE_NAME",
    "TABLE_ROW",
    "TEXT",
    "cells_of_row",
    "inline_text",
    "iter_content",
    "repeat_count",
]

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"

TEXT = f"{_OFFICE}text"  # the body of a text document
TABLE = f"{_TABLE}table"
TABLE_NAME = f"{_TABLE}name"
TABLE_ROW = f"{_TABLE}table-row"
MAX_COLUMNS = 16_384  # as many as Excel has: a row wider than this is cut there

_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")  # a covered cell is under a merged one
_ROWS_REPEATED = f"{_TABLE}number-rows-repeated"
_COLUMNS_REPEATED = f"{_TABLE}number-columns-repeated"
_PARAGRAPHS = (f"{_TEXT}p", f"{_TEXT}h")
_SPACES, _SPACE_COUNT = f"{_TEXT}s", f"{_TEXT}c"
_AS_TEXT = {f"{_TEXT}tab": "\t", f"{_TEXT}line-break": "\n", f"{_TEXT}soft-page-break": ""}
# Footnotes and comments would cut a sentence in two; a change-tracking region holds deleted text.
_LEFT_OUT = (f"{_TEXT}note", f"{_OFFICE}annotation", f"{_TEXT}tracked-changes")
_MAX_SPACES = 100


def iter_content(archive: zipfile.ZipFile, label: str) -> Iterator[tuple[str, Any]]:
    """("start" or "end", element) through `content.xml` as it is unzipped, for a document
    too large to hold whole; raises `ExtractionError` when it is missing or not XML."""
    from defusedxml.ElementTree import iterparse

    with _content_errors(label), archive.open("content.xml") as stream:
        yield from iterparse(stream, events=("start", "end"))


@contextmanager
def _content_errors(label: str) -> Iterator[None]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    try:
        yield
    except KeyError as exc:
        raise ExtractionError(f"the {label} is damaged: it has no content.xml") from exc
    except (ParseError, DefusedXmlException) as exc:
        raise ExtractionError(f"the {label} is damaged: its content.xml is not readable XML ({exc})") from exc


def inline_text(element: Any) -> str:
    """The text of a paragraph (or of a cell: a line per paragraph), spaces, tabs and
    line breaks as they show."""
    pieces: list[str] = []
    _collect(element, pieces)
    return "".join(pieces).strip("\n")


def repeat_count(element: Any, attribute: str = _ROWS_REPEATED) -> int:
    """How many times a row (or, with `_COLUMNS_REPEATED`, a cell) stands; 1 when unsaid or junk."""
    value = element.get(attribute, "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def cells_of_row(row: Any) -> list[str]:
    """A table row's cells as text, repeated cells expanded, empty ones at its end left out."""
    cells: list[str] = []
    waiting = 0  # empty cells kept only if a filled one follows
    for cell in _cells(row):
        text = inline_text(cell)
        count = repeat_count(cell, _COLUMNS_REPEATED)
        if not text.strip():
            waiting += count
            continue
        cells += [""] * min(waiting, MAX_COLUMNS - len(cells))
        cells += [text] * min(count, MAX_COLUMNS - len(cells))
        waiting = 0
        if len(cells) >= MAX_COLUMNS:
            break
    return trimmed(cells)


def _cells(row: Any) -> Iterator[Any]:
    return (child for child in row if child.tag in _CELLS)


def _collect(element: Any, pieces: list[str]) -> None:
    if element.text:
        pieces.append(element.text)
    for child in element:
        tag = child.tag
        if tag == _SPACES:
            pieces.append(" " * min(repeat_count(child, _SPACE_COUNT), _MAX_SPACES))
        elif tag in _AS_TEXT:
            pieces.append(_AS_TEXT[tag])
        elif tag in _PARAGRAPHS:  # a paragraph of a cell, or of a text box in a paragraph
            if pieces:
                pieces.append("\n")
            _collect(child, pieces)
        elif tag not in _LEFT_OUT:
            _collect(child, pieces)
        if child.tail:
            pieces.append(child.tail)
