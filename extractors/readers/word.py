"""Word documents (`.docx`, `.docm`): one page holding the headers, the body's
paragraphs and tables in document order, then the footers.

The body (`word/document.xml`) is parsed as it is unzipped, with python-docx's own
XML classes, and each paragraph or table is let go once read: python-docx's
`Document` would build the whole body in memory first, which for 90 MB of empty
paragraphs (a zip of 130 KB) takes 2 GB. Every paragraph and table row, those in
tables too, counts against `limits.max_paragraphs`, and reading stops there; one
paragraph or table may not take more than `_MAX_BLOCK_BYTES` of XML. Headers and
footers are small parts, read whole (`_MAX_PART_BYTES` at most).

The text is taken from the XML itself, so that nothing a customer typed is lost
where python-docx's `.text` looks no further: content controls (the fields of a
Word form), text in fields and hyperlinks, text boxes (a letterhead's), tracked
insertions. A table row is one line of cells joined by " | " (a merged cell once,
python-docx's `Table` says which cells are merged), and every table is also read
for claim rows (`extractors.tables`). A Word document has no pages of its own
until it is laid out, so it is one page (``#p1``).
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from extractors.readers.base import DocumentText
from extractors.readers.packages import OfficeKind, OfficeReader
from extractors.readers.sheets import CELL_SEPARATOR, Budget, TextBody, text_document, trimmed
from extractors.zipfiles import read_member

__all__ = ["DocxReader"]

DOCX = OfficeKind(
    "docx",
    "Word document",
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-word.document.macroenabled.12",
    ),
    (".docx", ".docm"),
)
_MAIN_PART = "word/document.xml"
_HEADER_OR_FOOTER = re.compile(r"word/(header|footer)(\d*)\.xml")
_CHUNK = 64 * 1024
_MAX_BLOCK_BYTES = 8 * 1024 * 1024
_MAX_PART_BYTES = 4 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY, _PARAGRAPH, _TABLE, _ROW = f"{_W}body", f"{_W}p", f"{_W}tbl", f"{_W}tr"
_CONTROL, _CONTROL_CONTENT = f"{_W}sdt", f"{_W}sdtContent"
_BLOCKS = (_PARAGRAPH, _TABLE, _CONTROL)
# What a paragraph's text is made of; a paragraph inside one (a text box) starts a line.
_RUN_TEXT = f"{_W}t"
_AS_TEXT = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


class DocxReader(OfficeReader):
    name = "docx"
    packages = ("docx", "docx.table", "lxml.etree")
    kind = DOCX

    def is_available(self) -> bool:
        return importlib.util.find_spec("docx") is not None

    def read(self, filename: str, data: bytes) -> DocumentText:
        body = TextBody(Budget(self.limits.max_paragraphs, "paragraphs and table rows", "max_paragraphs"))
        with self.open(data) as archive, self.failures_explained():
            headers, footers = _headers_and_footers(archive)
            for name in headers:
                _add_part(archive, name, body)
            _stream_body(archive, body)
            for name in footers:
                _add_part(archive, name, body)
        return text_document(body, day_first=self.day_first)


def _headers_and_footers(archive: zipfile.ZipFile) -> tuple[list[str], list[str]]:
    """The names of the header parts and of the footer parts, each in their order."""
    names = (_HEADER_OR_FOOTER.fullmatch(name) for name in archive.namelist())
    parts = sorted((found.group(1), int(found.group(2) or 0), found.group(0)) for found in names if found)
    headers = [name for kind, _, name in parts if kind == "header"]
    footers = [name for kind, _, name in parts if kind == "footer"]
    return headers, footers


def _add_part(archive: zipfile.ZipFile, name: str, body: TextBody) -> None:
    """A header's or footer's lines, those already read (the same on every page) once."""
    from docx.oxml.parser import parse_xml

    member = archive.getinfo(name)
    if member.file_size > _MAX_PART_BYTES:
        body.notes.append(f"{name} was left out: it is over {_MAX_PART_BYTES // (1024 * 1024)} MB")
        return
    part = TextBody(body.budget)
    for block in _blocks(parse_xml(read_member(archive, member))):
        _add_block(block, part)
    body.lines += [line for line in part.lines if line.strip() and line not in body.lines]


def _stream_body(archive: zipfile.ZipFile, body: TextBody) -> None:
    """The body's paragraphs and tables, read as the XML is unzipped and let go once read."""
    from docx.oxml.parser import element_class_lookup
    from lxml import etree

    parser = etree.XMLPullParser(
        events=("end",), tag=(*_BLOCKS, _ROW), resolve_entities=False, no_network=True
    )
    parser.set_element_class_lookup(element_class_lookup)  # python-docx's classes: its `Table`
    unread = 0  # bytes fed since the last paragraph or table was let go
    with archive.open(_MAIN_PART) as stream:
        while chunk := stream.read(_CHUNK):
            parser.feed(chunk)
            unread += len(chunk)
            for _, element in parser.read_events():
                if element.tag in (_PARAGRAPH, _ROW) and not body.budget.take():
                    return
                parent = element.getparent()
                if parent is not None and parent.tag == _BODY:
                    _add_block(element, body)
                    parent.remove(element)
                    unread = 0
            if unread > _MAX_BLOCK_BYTES:
                megabytes = _MAX_BLOCK_BYTES // (1024 * 1024)
                body.notes.append(
                    f"a paragraph or table over {megabytes} MB was left out, and what follows it"
                )
                return
    parser.close()  # raises for a body cut short


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs, tables and content controls in document order."""
    return (child for child in container.iterchildren() if child.tag in _BLOCKS)


def _add_block(block: Any, body: TextBody) -> None:
    if block.tag == _TABLE:
        _add_table(block, body)
    elif block.tag == _PARAGRAPH:
        body.lines.append(_text_of(block))
    else:  # a content control: the field of a form, around paragraphs and tables
        content = block.find(_CONTROL_CONTENT)
        for inner in _blocks(content) if content is not None else ():
            _add_block(inner, body)


def _add_table(element: Any, body: TextBody) -> None:
    from docx.table import Table

    rows = []
    for row in Table(element, None).rows:
        cells = row.cells  # a cell spanning columns or rows comes once per grid position
        texts = [_text_of(cell._tc) for cell in cells]
        rows.append(trimmed(texts))
        once = [texts[i] for i, cell in enumerate(cells) if i == 0 or cell._tc is not cells[i - 1]._tc]
        body.lines.append(CELL_SEPARATOR.join(trimmed(once)))
    body.tables.append(rows)


def _text_of(element: Any) -> str:
    """The text in an element: its runs' text, tabs and breaks, a line per paragraph."""
    pieces: list[str] = []
    _collect(element, pieces)
    return "".join(pieces)


def _collect(element: Any, pieces: list[str]) -> None:
    for child in element:
        if child.tag == _RUN_TEXT:
            pieces.append(child.text or "")
        elif child.tag in _AS_TEXT:
            pieces.append(_AS_TEXT[child.tag])
        elif child.tag != _FALLBACK:  # Word writes a text box twice: once is enough
            if child.tag == _PARAGRAPH and pieces:
                pieces.append("\n")
            _collect(child, pieces)
