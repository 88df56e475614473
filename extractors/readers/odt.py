"""OpenDocument text (`.odt`, `.ott`), from LibreOffice and others: one page holding
the paragraphs, headings, lists and tables of its body in document order.

The zip is checked by `open_package` (kind, size, zip bomb) before `content.xml`
is parsed with defusedxml (`extractors.readers.opendocument`), as it is unzipped:
each paragraph, list or table of the body is let go once read, so a long document
never stands whole in memory. Every paragraph and table row counts against
`limits.max_paragraphs`, and reading stops there. A table row is one line of cells
joined by " | ", and every table is also read for claim rows. Headers and footers
live in `styles.xml` and are not read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

from extractors.readers.base import DocumentText
from extractors.readers.opendocument import (
    TABLE,
    TABLE_ROW,
    TEXT,
    cells_of_row,
    inline_text,
    iter_content,
    repeat_count,
)
from extractors.readers.packages import MAX_UNREAD_ELEMENTS, OfficeKind, OfficeReader
from extractors.readers.sheets import CELL_SEPARATOR, Budget, TextBody, text_document
from rpa.errors import ExtractionError

__all__ = ["OdtReader"]

ODT = OfficeKind(
    "odt",
    "OpenDocument text",
    ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template"),
    (".odt", ".ott"),
)
_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_PARAGRAPHS = (f"{_TEXT_NS}p", f"{_TEXT_NS}h")
_COUNTED = (*_PARAGRAPHS, TABLE_ROW)  # against limits.max_paragraphs
_ROW_GROUPS = (f"{_TABLE_NS}table-header-rows", f"{_TABLE_NS}table-rows", f"{_TABLE_NS}table-row-group")
# Not the document's text: declarations, forms, and deleted text kept for change tracking.
_NOT_TEXT = (f"{_TEXT_NS}tracked-changes", f"{_TEXT_NS}sequence-decls", f"{_TEXT_NS}variable-decls")


class OdtReader(OfficeReader):
    name = "odt"
    packages = ("defusedxml.ElementTree",)
    kind = ODT

    def is_available(self) -> bool:
        return True  # the standard library and defusedxml, a dependency of rpa

    def read(self, filename: str, data: bytes) -> DocumentText:
        body = TextBody(Budget(self.limits.max_paragraphs, "paragraphs and table rows", "max_paragraphs"))
        with self.open(data) as archive, self.failures_explained():
            if not _stream_text(archive, body):
                raise ExtractionError(f"the {ODT.label} is damaged: its content.xml has no text body")
        return text_document(body, day_first=self.day_first)


def _stream_text(archive: zipfile.ZipFile, body: TextBody) -> bool:
    """The text body's paragraphs and tables, read as `content.xml` is unzipped and let go
    once read; False when it has no text body."""
    text, text_depth, depth = None, 0, 0
    unread = 0  # elements begun since the last paragraph or table was let go
    for event, element in iter_content(archive, ODT.label):
        if event == "start":
            depth += 1
            unread += 1
            if element.tag == TEXT and text is None:
                text, text_depth = element, depth
            if unread > MAX_UNREAD_ELEMENTS:
                body.notes.append(
                    f"a paragraph or table of over {MAX_UNREAD_ELEMENTS:,} XML elements was left out"
                )
                return True
            continue
        if element.tag in _COUNTED and not body.budget.take():
            return True
        if text is not None and depth == text_depth + 1:
            _add_block(element, body)
            text.remove(element)
            unread = 0
        depth -= 1
    return text is not None


def _add_block(element: Any, body: TextBody) -> None:
    """A paragraph or table; the paragraphs and tables of a list or section, in order."""
    if element.tag in _PARAGRAPHS:
        body.lines.append(inline_text(element))
    elif element.tag == TABLE:
        _add_table(element, body)
    elif element.tag not in _NOT_TEXT:
        for child in element:
            _add_block(child, body)


def _add_table(table: Any, body: TextBody) -> None:
    rows = []
    for row in _rows(table):
        cells = cells_of_row(row)
        # The row itself was counted as it was read; its repeats count here.
        for repeat in range(repeat_count(row) if any(cells) else 1):
            if repeat and not body.budget.take():
                break
            rows.append(cells)
            body.lines.append(CELL_SEPARATOR.join(cells))
    body.tables.append(rows)


def _rows(table: Any) -> Iterator[Any]:
    for child in table:
        if child.tag == TABLE_ROW:
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)
