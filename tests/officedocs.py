"""Office documents built on the fly for the tests, by the libraries that write them
for real: python-docx (Word), openpyxl (Excel), xlwt (Excel 97-2003), python-pptx
(PowerPoint), odfpy (OpenDocument); a Word 97 file is an OLE2 file (written by
extract-msg's OLE writer) holding the smallest `WordDocument` stream Word 97 itself
would read: a file information block and the text after it.
"""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from extractors.documents import DocumentReader
from extractors.ocr import OcrEngine
from rpa.config import Settings
from rpa.models import Attachment

__all__ = [
    "Slide",
    "encrypted_office_file",
    "excel97",
    "excel97_stream",
    "lying_zip",
    "ods",
    "odt",
    "ole_file",
    "presentation",
    "word97",
    "word_document",
    "workbook",
    "zip_bomb",
]


def word_document(
    paragraphs: Sequence[str] = (),
    *,
    table: Sequence[Sequence[str]] = (),
    after: Sequence[str] = (),
    header: str = "",
    footer: str = "",
) -> bytes:
    """A .docx: `paragraphs`, then `table` (rows of cells), then the paragraphs `after`."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(row) for row in table))
        for cells, row in zip(table, grid.rows, strict=True):
            for text, cell in zip(cells, row.cells, strict=False):
                cell.text = text
    for text in after:
        document.add_paragraph(text)
    return _saved(document)


def workbook(sheets: dict[str, Sequence[Sequence[Any]]], formats: dict[str, str] | None = None) -> bytes:
    """An .xlsx with a sheet per entry (rows of values); `formats` maps "Sheet!D2" to a number format."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    for where, number_format in (formats or {}).items():
        name, cell = where.split("!")
        book[name][cell].number_format = number_format
    return _saved(book)


def excel97(sheets: dict[str, Sequence[Sequence[Any]]], formats: dict[str, str] | None = None) -> bytes:
    """An .xls as Excel 97-2003 writes it (xlwt): the OLE2 directory after the sheets.
    A sheet per entry (rows of values); `formats` maps "Sheet!D2" to a number format."""
    return _saved(_excel97_book(sheets, formats or {}))


def excel97_stream(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    """The `Workbook` stream of an .xls (its BIFF records), to be put in an OLE2 file of one's own."""
    return _excel97_book(sheets, {}).get_biff_data()


def _excel97_book(sheets: dict[str, Sequence[Sequence[Any]]], formats: dict[str, str]) -> Any:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                if value is None:
                    continue
                number_format = formats.get(f"{name}!{chr(ord('A') + column)}{row + 1}")
                if number_format is None and isinstance(value, datetime.date):
                    number_format = "DD/MM/YYYY"
                style = (
                    xlwt.easyxf(num_format_str=number_format) if number_format else xlwt.Style.default_style
                )
                sheet.write(row, column, value, style)
    return book


@dataclass(frozen=True)
class Slide:
    """What one slide of `presentation` shows: a title, text boxes (each may hold lines),
    a group of text boxes, a table, and the speaker's notes."""

    title: str = ""
    texts: Sequence[str] = ()
    group: Sequence[str] = ()
    table: Sequence[Sequence[str]] = ()
    notes: str = ""
    title_last: bool = False  # the title listed after the other shapes, as a slide edited may have it


def presentation(slides: Sequence[Slide]) -> bytes:
    """A .pptx (python-pptx) of `slides`: in each, the title, the text boxes, the group
    and the table, listed in this order."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for spec in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[5 if spec.title else 6])  # title only / blank
        shapes = slide.shapes
        if spec.title:
            shapes.title.text = spec.title
        for text in spec.texts:
            shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1)).text_frame.text = text
        if spec.group:
            group = shapes.add_group_shape()
            for text in spec.group:
                group.shapes.add_textbox(Inches(1), Inches(3), Inches(3), Inches(1)).text_frame.text = text
        if spec.table:
            columns = max(len(row) for row in spec.table)
            grid = shapes.add_table(
                len(spec.table), columns, Inches(1), Inches(4), Inches(8), Inches(2)
            ).table
            for row, values in enumerate(spec.table):
                for column, value in enumerate(values):
                    grid.cell(row, column).text = value
        if spec.title_last:
            title = shapes.title.element
            tree = title.getparent()
            tree.remove(title)
            tree.append(title)
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes
    return _saved(deck)


def odt(paragraphs: Sequence[str] = (), *, table: Sequence[Sequence[str]] = (), heading: str = "") -> bytes:
    """An OpenDocument text: a heading, `paragraphs`, then `table`."""
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    if heading:
        document.text.addElement(H(outlinelevel=1, text=heading))
    for text in paragraphs:
        document.text.addElement(P(text=text))
    if table:
        document.text.addElement(_odf_table("Tableau1", table))
    return _saved(document, "write")


def ods(
    sheets: dict[str, Sequence[Sequence[str]]],
    *,
    repeated_rows: dict[str, tuple[list[str], int]] | None = None,
) -> bytes:
    """An OpenDocument spreadsheet with a sheet per entry, each ending as LibreOffice ends
    them: a million empty rows of 1,024 empty cells, stored once with repeat counts.
    `repeated_rows` adds to a sheet one row of cells stored once and repeated N times."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import TableCell, TableRow

    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = _odf_table(name, rows)
        if name in (repeated_rows or {}):
            cells, count = repeated_rows[name]
            table.addElement(_odf_row(cells, numberrowsrepeated=count))
        empty = TableRow(numberrowsrepeated=1_048_000)
        empty.addElement(TableCell(numbercolumnsrepeated=1024))
        table.addElement(empty)
        document.spreadsheet.addElement(table)
    return _saved(document, "write")


def word97(text: str) -> bytes:
    """A Word 97 .doc holding `text` (paragraphs end with "\\r", as Word writes them)."""
    body = text.replace("\n", "\r").encode("cp1252")
    fib = bytearray(0x400)  # the text starts where Word 97 puts it, after 1 KB
    struct.pack_into("<HHHH", fib, 0, 0xA5EC, 0xC1, 0x6A, 0x040C)  # Word 97, French
    struct.pack_into("<II", fib, 0x18, 0x400, 0x400 + len(body))  # where the text starts and ends
    struct.pack_into("<I", fib, 0x4C, len(body))  # characters in the main text
    return ole_file({"WordDocument": bytes(fib) + body + bytes(512), "1Table": bytes(512)})


def ole_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file holding these streams: what .doc, .xls and .msg files are."""
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    for name, data in streams.items():
        writer.addEntry([name], data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_office_file() -> bytes:
    """What Word and Excel save when a password protects a file: OLE2 around the encrypted zip."""
    return ole_file({"EncryptionInfo": bytes(256), "EncryptedPackage": bytes(4096)})


def zip_bomb(main_part: str = "word/document.xml", megabytes: int = 50) -> bytes:
    """An Office-looking zip whose main part is `megabytes` of zeros, squeezed a thousand times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        with archive.open(main_part, "w") as part:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return buffer.getvalue()


def lying_zip(docx: bytes, part: str = "word/document.xml", claimed: int = 100) -> bytes:
    """`docx` with `part`'s uncompressed size written as `claimed` bytes, in its local header and
    in the central directory: what a zip bomb does to slip under size checks."""
    data = bytearray(docx)
    name = part.encode()
    local = _header_of(data, b"PK\x03\x04", 30, 26, name)
    struct.pack_into("<I", data, local + 22, claimed)
    central = _header_of(data, b"PK\x01\x02", 46, 28, name)
    struct.pack_into("<I", data, central + 24, claimed)
    return bytes(data)


def _header_of(data: bytearray, signature: bytes, size: int, name_length_at: int, name: bytes) -> int:
    start = data.find(signature)
    while start >= 0:
        (length,) = struct.unpack_from("<H", data, start + name_length_at)
        if data[start + size : start + size + length] == name:
            return start
        start = data.find(signature, start + 4)
    raise ValueError(f"no header for {name!r}")


def _odf_table(name: str, rows: Sequence[Sequence[str]]) -> Any:
    from odf.table import Table

    table = Table(name=name)
    for cells in rows:
        table.addElement(_odf_row(cells))
    return table


def _odf_row(cells: Sequence[str], **attributes: Any) -> Any:
    from odf.table import TableCell, TableRow
    from odf.text import P

    row = TableRow(**attributes)
    for text in cells:
        cell = TableCell()
        cell.addElement(P(text=text))
        row.addElement(cell)
    return row


def _saved(document: Any, method: str = "save") -> bytes:
    out = io.BytesIO()
    getattr(document, method)(out)
    return out.getvalue()


# The document reader the Office tests read with, and reading one file as an attachment.
@pytest.fixture
def reader(settings: Settings) -> DocumentReader:
    with OcrEngine(settings) as ocr:
        yield DocumentReader(settings, ocr)


def read(reader: DocumentReader, filename: str, data: bytes, content_type: str = "") -> Attachment:
    attachment = Attachment(filename, content_type or "application/octet-stream", len(data), data=data)
    reader.read(attachment)
    return attachment
