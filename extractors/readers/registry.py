"""The document readers rpa has, by name: where a new kind of document is added.

`READERS` maps a reader's name to a factory `(settings, ocr) -> DocumentFormat`.
They are tried in this order and the first whose `can_read` says yes reads the
document: readers that know a document by its first bytes come before the text
reader, which takes what is only declared as text; HTML, which is known by how it
begins, comes before the Word 97-2003 reader, which takes a `.doc` whatever it holds.
The Excel 97-2003 reader, which takes an OLE2 file that its directory or its name says
is a workbook, comes before the Word one: a workbook named `.doc` is read, not refused.

Every document is read within `[limits] document_seconds` and `document_mb`
(`extractors.readers.deadline`). `extractors.documents` runs a reader in a reader
process (`extractors.readers.readerpool`) that the limits end, unless it is in
`BOUNDED_IN_PROCESS`: readers that keep the limits themselves, the PDF and picture
readers (their scanned pages go to the caller's OCR pool, which another process cannot
use) with a deadline checked between pages, the `.doc` and `.xls` readers by running
their parser in a subprocess. A document of at most `SMALL_DOCUMENT_BYTES` in a format
rpa reads its mail bodies in (`SMALL_IN_PROCESS`: plain text, HTML, CSV) is read in
rpa's process too, as a mail body of that size would be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extractors.ocr import OcrEngine
from extractors.readers.base import DocumentFormat
from extractors.readers.delimited import CsvReader
from extractors.readers.doc import DocReader
from extractors.readers.htmldoc import HtmlReader
from extractors.readers.images import ImageReader
from extractors.readers.ods import OdsReader
from extractors.readers.odt import OdtReader
from extractors.readers.pdf import PdfReader
from extractors.readers.ppt import PptReader
from extractors.readers.pptx import PptxReader
from extractors.readers.rtf import RtfReader
from extractors.readers.text import TextReader
from extractors.readers.word import DocxReader
from extractors.readers.xls import XlsReader
from extractors.readers.xlsx import XlsxReader
from rpa.config import Settings
from rpa.errors import ConfigError

__all__ = [
    "BOUNDED_IN_PROCESS",
    "READERS",
    "ReaderFactory",
    "SMALL_DOCUMENT_BYTES",
    "SMALL_IN_PROCESS",
    "make_readers",
]

# The engine is the caller's: readers share its pool and never close it.
ReaderFactory = Callable[[Settings, OcrEngine], DocumentFormat]

READERS: dict[str, ReaderFactory] = {
    PdfReader.name: PdfReader,
    ImageReader.name: ImageReader,
    DocxReader.name: lambda settings, ocr: DocxReader(settings),
    XlsxReader.name: lambda settings, ocr: XlsxReader(settings),
    PptxReader.name: lambda settings, ocr: PptxReader(settings),
    OdtReader.name: lambda settings, ocr: OdtReader(settings),
    OdsReader.name: lambda settings, ocr: OdsReader(settings),
    RtfReader.name: lambda settings, ocr: RtfReader(settings),
    # Before the .doc reader: Word saves web pages named .doc.
    HtmlReader.name: lambda settings, ocr: HtmlReader(settings),
    # Before the .xls and .doc readers, which take an OLE2 file whose directory says nothing.
    PptReader.name: lambda settings, ocr: PptReader(settings),
    XlsReader.name: lambda settings, ocr: XlsReader(settings),
    DocReader.name: lambda settings, ocr: DocReader(settings),
    CsvReader.name: lambda settings, ocr: CsvReader(settings),
    TextReader.name: lambda settings, ocr: TextReader(),
}

# Readers that keep `document_seconds` and `document_mb` themselves (see above).
BOUNDED_IN_PROCESS = frozenset({PdfReader.name, ImageReader.name, XlsReader.name, DocReader.name})
# Readers of what mail bodies are made of, whose small documents are read in rpa's process,
# which has their packages loaded for the bodies: the public mail corpora sent their two reader
# processes (55 MB each, when a process imported every reader) little else than text and HTML
# parts of a few kilobytes. Their
# work grows with the document's size, no more: 256 KB of HTML (a table of 3,300 rows) took
# inscriptis 0.37 s and 11 MB, 1 MB 1.9 s and 47 MB, so a larger one goes to a reader process
# like any other document.
SMALL_IN_PROCESS = frozenset({TextReader.name, HtmlReader.name, CsvReader.name})
SMALL_DOCUMENT_BYTES = 256 * 1024


def make_readers(
    settings: Settings, ocr: OcrEngine, names: Sequence[str] | None = None
) -> list[DocumentFormat]:
    """The readers called `names` (default: every one, in the registry's order),
    sharing `ocr`. Raises `ConfigError` for a name the registry does not hold."""
    unknown = [name for name in names or () if name not in READERS]
    if unknown:
        known = ", ".join(READERS)
        raise ConfigError(f"unknown document reader {', '.join(map(repr, unknown))} (known: {known})")
    return [READERS[name](settings, ocr) for name in (names or READERS)]
