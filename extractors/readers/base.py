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
    "DocumentFormat",
    "DocumentText",
    "assemble_pages",
    "declared_as",
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
    gets a note). If nothing at all could be read and OCR failed, the first
    failure is raised: a scan Tesseract could not read is a document we could
    not read.
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
