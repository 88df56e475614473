"""What a document reader is, what it gives back, and the helpers every reader shares.

A reader turns one kind of document into pages of text. It has a `name`, says
whether it `is_available()` here (its package or program installed), whether it
`can_read(content_type, filename, head)` a document, and `read(filename, data)`s
it into a `DocumentText`, or raises `ExtractionError` for a document it cannot
read (corrupt, encrypted, undecodable).

Readers decide by the first bytes before trusting the file name or the declared
type (`sniff_format`, then `declared_as`): a PDF sent as
``application/octet-stream`` or named ``scan.jpg`` is still read as a PDF.

A reader is built with the settings and the OCR engine of whoever reads the
documents (`extractors.readers.registry`); it never starts an OCR pool of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from extractors.charsets import decode_text
from extractors.ocrresult import OcrResult
from rpa.errors import ExtractionError
from rpa.models import Page, TableRow

__all__ = [
    "HEAD_SIZE",
    "OLE_LABELS",
    "DocumentFormat",
    "DocumentText",
    "assemble_pages",
    "declared_as",
    "is_ole_of_kind",
    "ole_kind",
    "page_limit_notes",
    "plain_text",
    "sniff_format",
]

HEAD_SIZE = 2048  # bytes handed to `can_read`
_MAX_CONTROL_SHARE = 0.05  # more control characters than this: binary data named .txt


@dataclass(frozen=True)
class DocumentText:
    """What a reader read: the pages (numbered from 1, in order), `notes` on what it
    left out or could not read ("read the first 300 of 512 pages"), and the claim
    table rows it found (`extractors.tables`)."""

    pages: tuple[Page, ...]
    notes: tuple[str, ...] = ()
    tables: tuple[TableRow, ...] = ()

    @property
    def has_text(self) -> bool:
        return any(page.text.strip() for page in self.pages)


@runtime_checkable
class DocumentFormat(Protocol):
    """One kind of document rpa can turn into pages of text."""

    name: str
    # What `read` imports when it first reads: a reader process imports them before a
    # document's limits bind (`extractors.readers.readerpool`), not as part of its reading.
    packages: tuple[str, ...]

    def is_available(self) -> bool:
        """Whether the packages and programs this reader needs are installed."""
        ...

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        """Whether this is a document of this kind; `head` is its first `HEAD_SIZE` bytes."""
        ...

    def read(self, filename: str, data: bytes) -> DocumentText:
        """The document's pages, notes and tables; raises `ExtractionError`."""
        ...


# --- What a file is -----------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),  # also docx, xlsx, odt
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # doc, xls, Outlook .msg
    (b"\x78\x9f\x3e\x22", "tnef"),  # winmail.dat
    (b"{\\rtf", "rtf"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
# The main stream of each kind of OLE2 file, as its directory names it (in UTF-16): the
# name, or its start and the length of the whole name, and the kind it makes the file.
_OLE_STREAMS = tuple(
    (name.encode("utf-16-le"), length or len(name), kind)
    for name, length, kind in (
        ("WordDocument", 0, "doc"),
        ("Workbook", 0, "xls"),
        ("Book", 0, "xls"),  # Excel 5
        ("PowerPoint Document", 0, "ppt"),
        ("__substg1.0_", 20, "msg"),  # __substg1.0_0037001F: a property of the mail
        ("EncryptedPackage", 0, "encrypted"),
    )
)
_ENTRY_SIZE = 128
_ENTRY_TYPES = (1, 2)  # a storage (a folder), a stream (a file)
# Each kind `ole_kind` tells, as a user calls it.
OLE_LABELS = {
    "doc": "a Word 97-2003 document (.doc)",
    "xls": "an Excel 97-2003 workbook (.xls)",
    "ppt": "a PowerPoint 97-2003 presentation (.ppt)",
    "msg": "an Outlook .msg file",
    "encrypted": "an Office file protected with a password",
}
# PDF readers accept junk before the header; Acrobat looks in the first 1024 bytes.
_PDF_WINDOW = 1024
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}
# ISO media files start with an `ftyp` box naming their brand: HEIF (iPhone photos), AVIF.
_PHOTO_BRANDS = {
    **dict.fromkeys((b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"), "heif"),
    **dict.fromkeys((b"avif", b"avis"), "avif"),
}


def sniff_format(head: bytes) -> str | None:
    """The format the first bytes announce ("pdf", "png", "zip", ...), or None."""
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _PHOTO_BRANDS:
        return _PHOTO_BRANDS[head[8:12]]
    # "BM" alone would catch a text starting with "BMW"; check the DIB header size too.
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in (_BMP_HEADER_SIZES):
        return "bmp"
    if head.find(b"%PDF-", 0, _PDF_WINDOW) >= 0:
        return "pdf"
    return None


def ole_kind(data: bytes) -> str | None:
    """What an OLE2 compound file is, by the first of the streams its directory names:
    "doc" (`WordDocument`), "xls" (`Workbook`, or Excel 5's `Book`), "ppt", "msg" (an
    Outlook mail's `__substg1.0_` streams) or "encrypted" (a password-protected .docx or
    .xlsx); None when `data` is not an OLE2 file or stops before its directory.

    The first entry wins because a file lists its own streams before those of the files
    embedded in it: a mail with a Word document attached, a workbook in a Word document.
    A directory sector may lie anywhere in the file: a head that misses it says nothing.
    """
    if sniff_format(data[:8]) != "ole":
        return None
    found = ((_directory_entry(data, name, length), kind) for name, length, kind in _OLE_STREAMS)
    return min(((at, kind) for at, kind in found if at >= 0), default=(0, None))[1]


def _directory_entry(data: bytes, name: bytes, length: int) -> int:
    """Where the directory entry of a stream or storage whose name starts with `name` and
    is `length` characters long stands in `data`, or -1. An entry is 128 bytes at a
    multiple of 128: the name in UTF-16, its size in bytes with the final NUL, its type.
    Text in the streams that happens to spell the name is not an entry."""
    at = data.find(name)
    while 0 <= at <= len(data) - _ENTRY_SIZE:
        size = int.from_bytes(data[at + 64 : at + 66], "little")
        if at % _ENTRY_SIZE == 0 and size == 2 * (length + 1) and data[at + 66] in _ENTRY_TYPES:
            return at
        at = data.find(name, at + 1)
    return -1


def declared_as(content_type: str, filename: str, types: Iterable[str], extensions: Iterable[str]) -> bool:
    """Whether the declared MIME type or the file name's extension is one of these."""
    mime = content_type.split(";", 1)[0].strip().lower()
    extension = os.path.splitext(filename)[1].lower()
    return mime in set(types) or (bool(extension) and extension in set(extensions))


# --- Putting pages together ---------------------------------------------------


def assemble_pages(
    layers: Sequence[str],
    ocr_results: Mapping[int, OcrResult | ExtractionError],
    notes: Iterable[str] = (),
) -> DocumentText:
    """Pages from each page's own text (`layers`, page 1 first) and the OCR
    result of the pages that needed it (page number -> result or error); an
    OCRed page keeps its result's boxes (`Page.spans`).

    A page whose OCR failed or found nothing keeps its own text (a failure also
    gets a note, as does a picture not read for its size). If nothing at all
    could be read and OCR failed, the first failure is raised: a scan Tesseract
    could not read is a document we could not read.
    """
    pages: list[Page] = []
    notes = list(notes)
    failures: list[ExtractionError] = []
    for number, layer in enumerate(layers, start=1):
        result = ocr_results.get(number)
        if isinstance(result, ExtractionError):
            failures.append(result)
            notes.append(f"page {number}: {result.reason}")
            pages.append(Page(number, layer, ocr=False))
        elif result is not None and result.note:
            notes.append(f"page {number}: {result.note}")
            pages.append(Page(number, layer, ocr=False))
        elif result is not None and (result.text.strip() or not layer.strip()):
            pages.append(Page(number, result.text, ocr=True, spans=list(result.spans)))
        else:  # not OCRed, or OCR saw nothing where the page has a few words
            pages.append(Page(number, layer, ocr=False))
    text = DocumentText(tuple(pages), tuple(notes))
    if failures and not text.has_text:
        raise failures[0]
    return text


def page_limit_notes(count: int, total: int) -> list[str]:
    """The note a reader leaves when it read only the first `count` of `total` pages."""
    if total <= count:
        return []
    return [f"read the first {count} of {total} pages (limits.max_pages)"]


# --- Text files ---------------------------------------------------------------


def plain_text(filename: str, data: bytes, charset: str | None = None) -> str:
    """A text file's bytes as text (`charset`, else a guess), lines ending in "\\n";
    raises `ExtractionError` for binary data that only claims to be text."""
    text = decode_text(data, charset)[0].removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\t\f")
    if controls > _MAX_CONTROL_SHARE * max(len(text), 1):
        raise ExtractionError("not readable as text: binary content", filename=filename)
    return text


def is_ole_of_kind(
    kind: str, content_type: str, head: bytes, filename: str, types: Sequence[str], extensions: Sequence[str]
) -> bool:
    """Whether `head` opens an OLE2 file of `kind` (xls, ppt...): said by its directory, or by
    its declared type or name when the directory lies beyond the head (or it is encrypted)."""
    if sniff_format(head) != "ole":
        return False
    found = ole_kind(head)
    if found in (None, "encrypted"):  # the directory lies further on: the declaration decides
        return declared_as(content_type, filename, types, extensions)
    return found == kind
