"""Reading attachments: which reader takes a document, and what becomes of it.

A reader is anything with the `DocumentFormat` shape (`name`, `is_available()`,
`can_read(...)`, `read(...)`); `READERS` maps names to factories, so adding one
(docx, winmail.dat) is one entry. Readers decide by the first bytes before
trusting the file name or the declared type: a PDF sent as
``application/octet-stream`` or named ``scan.jpg`` is still read as a PDF.

`DocumentReader.read(attachment)` never raises for a bad document. It sets:

- ``ok`` with pages; `error` then holds notes a reader wants seen, joined by
  "; ": "no text found", pages beyond `limits.max_pages` left out
  ("read the first 300 of 512 pages"), a page whose OCR failed;
- ``error`` when the document is broken (corrupt, encrypted, undecodable),
  with the reason;
- ``skipped`` for a type nobody reads ("unsupported document type: <type>").

Attachments that are not ``ok`` on arrival (skipped for size by the MIME
parser, for instance) are left as they are.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, runtime_checkable

from extractors.charsets import decode_text
from extractors.ocr import OcrEngine, OcrResult
from rpa.config import Settings
from rpa.errors import ExtractionError
from rpa.models import Attachment, AttachmentStatus, Page, TableRow

__all__ = [
    "DocumentFormat",
    "DocumentReader",
    "PageList",
    "READERS",
    "TextReader",
    "assemble_pages",
    "declared_as",
    "sniff_format",
]

log = logging.getLogger(__name__)

HEAD_SIZE = 2048  # bytes handed to `can_read`
_MAX_DOCUMENTS_AT_ONCE = 8
_FAILURE_STATUS = {"error": AttachmentStatus.ERROR, "skipped": AttachmentStatus.SKIPPED}


class PageList(list[Page]):
    """The pages a reader read, plus `notes` on what it left out or could not
    read, and the `tables` rows it found. It is a plain `list[Page]` to anyone who ignores the notes."""

    def __init__(self, pages: Iterable[Page] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(pages)
        self.notes = list(notes)
        self.tables: list[TableRow] = []  # claim records found in the document


@runtime_checkable
class DocumentFormat(Protocol):
    """One kind of document rpa can turn into pages of text."""

    name: str

    def is_available(self) -> bool:
        """Whether the packages and programs this reader needs are installed."""
        ...

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        """Whether this is a document of this kind; `head` is its first bytes."""
        ...

    def read(self, filename: str, data: bytes) -> list[Page]:
        """The pages of the document; raises `ExtractionError`."""
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


def sniff_format(head: bytes) -> str | None:
    """The format the first bytes announce ("pdf", "png", "zip", ...), or None."""
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
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


# --- Plain text ---------------------------------------------------------------

_TEXT_TYPES = ("text/plain", "text/csv")
_TEXT_EXTENSIONS = (".txt", ".csv")


class TextReader:
    """`text/plain` and `.csv` attachments: one page, decoded with a charset guess."""

    name = "text"

    def __init__(self, settings: Settings | None = None, ocr: OcrEngine | None = None) -> None:
        pass

    def is_available(self) -> bool:
        return True

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        if sniff_format(head) is not None:
            return False
        return declared_as(content_type, filename, _TEXT_TYPES, _TEXT_EXTENSIONS)

    def read(self, filename: str, data: bytes) -> list[Page]:
        text = decode_text(data, None)[0].replace("\r\n", "\n").replace("\r", "\n")
        controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\t\f")
        if controls > 0.05 * max(len(text), 1):
            raise ExtractionError("not readable as text: binary content", filename=filename)
        return PageList([Page(1, text.strip("\n"))])


# --- Registry -----------------------------------------------------------------

# factory(settings, ocr=None): without an engine a reader makes its own, which
# costs nothing until it OCRs a page (enough for `rpa doctor` to ask is_available).
ReaderFactory = Callable[..., DocumentFormat]


def _pdf_reader(settings: Settings, ocr: OcrEngine | None = None) -> DocumentFormat:
    from extractors.pdf import PdfReader  # imports pypdfium2

    return PdfReader(settings, ocr)


def _image_reader(settings: Settings, ocr: OcrEngine | None = None) -> DocumentFormat:
    from extractors.images import ImageReader

    return ImageReader(settings, ocr)


# Tried in this order; the first reader whose `can_read` says yes reads the document.
READERS: dict[str, ReaderFactory] = {
    "pdf": _pdf_reader,
    "image": _image_reader,
    "text": TextReader,
}


# --- Putting pages together ---------------------------------------------------


def assemble_pages(
    layers: Sequence[str],
    ocr_results: Mapping[int, OcrResult | ExtractionError],
    notes: Iterable[str] = (),
) -> PageList:
    """Pages from each page's own text (`layers`, page 1 first) and the OCR
    result of the pages that needed it (page number -> result or error); an
    OCRed page keeps its result's boxes (`Page.spans`).

    A page whose OCR failed or found nothing keeps its own text (a failure also
    gets a note). If nothing at all could be read and OCR failed, the first
    failure is raised: a scan Tesseract could not read is a document we could
    not read.
    """
    pages = PageList(notes=notes)
    failures: list[ExtractionError] = []
    for number, layer in enumerate(layers, start=1):
        result = ocr_results.get(number)
        if isinstance(result, ExtractionError):
            failures.append(result)
            pages.notes.append(f"page {number}: {result.reason}")
            pages.append(Page(number, layer, ocr=False))
        elif result is not None and (result.text.strip() or not layer.strip()):
            pages.append(Page(number, result.text, ocr=True, spans=list(result.spans)))
        else:  # not OCRed, or OCR saw nothing where the page has a few words
            pages.append(Page(number, layer, ocr=False))
    if failures and not any(page.text.strip() for page in pages):
        raise failures[0]
    return pages


# --- The stage ----------------------------------------------------------------


class DocumentReader:
    """Fills `Attachment.pages` and sets its status, for one or many attachments.

    `ocr` is the engine to use (by default one made from `settings`, closed with
    this reader); `readers` picks registry entries by name (default: all).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        ocr: OcrEngine | None = None,
        readers: Sequence[str] | None = None,
    ) -> None:
        self.settings = settings
        self._owns_ocr = ocr is None
        self.ocr = ocr if ocr is not None else OcrEngine(settings)
        self.readers: list[DocumentFormat] = [
            READERS[name](settings, self.ocr) for name in (readers or READERS)
        ]

    def read(self, attachment: Attachment) -> None:
        """Read one attachment in place. Never raises for a bad document."""
        if attachment.status != AttachmentStatus.OK:
            return
        try:
            pages = self._read(attachment)
        except ExtractionError as exc:
            status = _FAILURE_STATUS.get(exc.status, AttachmentStatus.ERROR)
            _record_failure(attachment, status, exc.reason)
            return
        except Exception as exc:  # the one-attachment boundary, see rpa/errors.py
            log.exception("unexpected error reading %s", attachment.filename)
            reason = f"unexpected error while reading: {type(exc).__name__}: {exc}"
            _record_failure(attachment, AttachmentStatus.ERROR, reason)
            return
        notes = list(getattr(pages, "notes", ()))
        if not any(page.text.strip() for page in pages):
            notes.insert(0, "no text found")
        attachment.pages = list(pages)
        attachment.tables = list(getattr(pages, "tables", ()))
        attachment.status = AttachmentStatus.OK
        attachment.error = "; ".join(notes) or None

    def read_all(self, attachments: Iterable[Attachment]) -> None:
        """Read several attachments at once, so that their scanned pages share
        the OCR pool instead of waiting for each other."""
        todo = [item for item in attachments if item.status == AttachmentStatus.OK]
        if len(todo) <= 1:
            for attachment in todo:
                self.read(attachment)
            return
        # These threads mostly wait for OCR jobs on the engine's own pool.
        workers = min(len(todo), _MAX_DOCUMENTS_AT_ONCE)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="document") as pool:
            list(pool.map(self.read, todo))

    def close(self) -> None:
        if self._owns_ocr:
            self.ocr.close()

    def __enter__(self) -> DocumentReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _read(self, attachment: Attachment) -> list[Page]:
        data = attachment.data
        if not data:
            raise ExtractionError("empty document (0 bytes)")
        content_type = attachment.content_type.split(";", 1)[0].strip() or "application/octet-stream"
        head = data[:HEAD_SIZE]
        for reader in self.readers:
            if reader.can_read(content_type, attachment.filename, head):
                if not reader.is_available():
                    raise ExtractionError(
                        f"cannot read {reader.name} documents: the {reader.name} reader "
                        "is not available here (see `rpa doctor`)"
                    )
                return reader.read(attachment.filename, data)
        raise ExtractionError(f"unsupported document type: {content_type}", status="skipped")


def _record_failure(attachment: Attachment, status: AttachmentStatus, reason: str) -> None:
    attachment.pages = []
    attachment.status = status
    attachment.error = reason
