"""Text of PDF pages: the text layer where it is plausible, OCR where it is not.

pypdfium2 reads the text layer (about 1 ms a page, lines kept) and renders the
pages that need OCR. A page is OCRed only when its text layer is missing or not
plausible (`is_plausible_text`): fewer than `ocr.min_text_chars` letters and
digits, or mostly garbage from fonts without a Unicode mapping. A page that would
render as a sliver (`extractors.pictures.too_small_for_text`: a page 3 points
wide, or one 2,147,483,648 points tall squeezed into the pixel budget as a
picture 3 pixels wide) or too coarse to read is not rendered, and a note says so.

Some damaged files open in pdfminer but not in PDFium; those are read with
pdfplumber instead (text layer only: without PDFium nothing can be rendered, so
a page without text there stays empty and says so in a note).

PDFium is not thread-safe. Every pypdfium2 call in rpa goes through
`PDFIUM_LOCK`; rendering holds it, OCR (a subprocess) does not, so pages are
rendered one at a time and recognised side by side. Every page, text page,
bitmap and document is closed as soon as it has served, so memory stays flat
however long the document.

Claim tables (loss runs) are read by `extractors.tables`, which opens
pdfplumber only on the pages whose text shows a claim table's header.

The first page, where a letterhead and an invoice's header stand, is also laid
out as printed (`Page.layout`, see `extractors.layout`) from PDFium's character
boxes (a few milliseconds): labels and their values in columns beside or under
them are read from there. Where a field's value stands on a page is not measured
while reading: `extractors.locate` opens again, once fields are chosen, only the
pages that hold one.

The reading keeps a `Deadline` of `limits.document_seconds`, checked between pages,
while OCR is awaited and before the claim tables: a PDF that takes longer ends as an
error saying how far it got ("... took longer than 60 s to read
(limits.document_seconds): OCR had read 12 of 40 scanned pages"). It cannot read in a
child process, as other documents do, because its scanned pages go to the caller's OCR
pool; its memory is held by the page limits (`limits.max_pages`, `_MAX_RENDER_PIXELS`).

Pages beyond `limits.max_pages` are not read; the returned `DocumentText` says
so in its notes ("read the first 300 of 512 pages"), which `DocumentReader` puts
in the attachment's `error` field while the status stays ``ok``.

`PDFIUM_LOCK` and the `pdfium` bindings imported here are shared with
`extractors.locate` and `extractors.render`, which open PDFs too.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import replace
from functools import partial

from PIL import Image

from extractors.layout import Word, lay_out
from extractors.ocr import ImageSource, OcrEngine
from extractors.pictures import too_small_for_text
from extractors.readers.base import (
    DocumentText,
    assemble_pages,
    declared_as,
    page_limit_notes,
    sniff_format,
)
from extractors.readers.deadline import Deadline, took_too_long
from extractors.tables import claim_rows
from rpa.config import Settings
from rpa.errors import ExtractionError

try:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
except ImportError:  # is_available() says so
    pdfium = None

__all__ = ["PdfReader", "PDFIUM_LOCK", "is_plausible_text"]

PDFIUM_LOCK = threading.Lock()

_PDF_TYPES = ("application/pdf", "application/x-pdf", "application/acrobat")
# A page is rendered at `ocr.dpi` unless that would exceed this many pixels: A3 at 300 dpi. A
# larger page is rendered coarser (A2 at 212 dpi, A0 at 106), as Tesseract's memory grows with
# the picture: 104 MB for a full A4 page at 300 dpi, 143 MB for A3, 232 MB for 40 million
# pixels (the limit until issue 13), and a poster at 300 dpi would take gigabytes.
_MAX_RENDER_PIXELS = 17_500_000
# A page that fits that budget only below this resolution is not rendered: 12 pt print would be
# 6 pixels tall, which no engine reads (a page over 4 metres across; a hostile file's).
_MIN_RENDER_DPI = 36
_BAD_CATEGORIES = frozenset({"Co", "Cn", "Cs", "Cc"})
_CID = re.compile(r"\(cid:\d+\)")  # pdfminer's way of printing an unmapped glyph
_LATIN = re.compile(r"[a-z]")
_SPACE = re.compile(r"\s")
_ALNUM = re.compile(r"[^\W_]")  # \w is str.isalnum plus "_"
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")  # not the ones str.isspace accepts
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_VOWELS = re.compile(r"[aeiouy]")


def is_plausible_text(text: str, min_chars: int) -> bool:
    """Whether a page's text layer is worth keeping instead of OCR: enough letters
    and digits, few replacement characters or unmapped glyphs, and, when it is
    Latin script, vowels in it (a font with a broken mapping gives "Dsh7bkx")."""
    unmapped = len(_CID.findall(text))
    text = _CID.sub("", text)
    visible = len(text) - len(_SPACE.findall(text))
    if len(_ALNUM.findall(text)) < min_chars:
        return False
    # Control characters below 128 by a regex; the few distinct others one by one.
    bad = unmapped + len(_ASCII_CONTROL.findall(text))
    others = Counter(_NON_ASCII.findall(text))
    bad += sum(
        count
        for char, count in others.items()
        if char == "\ufffd" or (unicodedata.category(char) in _BAD_CATEGORIES and not char.isspace())
    )
    if bad > 0.1 * (visible + unmapped):
        return False
    latin = _LATIN.findall(text.lower())
    if len(latin) >= min_chars and len(_VOWELS.findall("".join(latin))) < 0.1 * len(latin):
        return False
    return True


class PdfReader:
    """PDF documents: text layer per page, OCR for scanned pages."""

    name = "pdf"
    packages = ()  # read in rpa's process

    def __init__(self, settings: Settings, ocr: OcrEngine) -> None:
        self.settings = settings
        self.ocr = ocr

    def is_available(self) -> bool:
        return pdfium is not None

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        found = sniff_format(head)
        if found is not None:
            return found == "pdf"
        return declared_as(content_type, filename, _PDF_TYPES, (".pdf",))

    def read(self, filename: str, data: bytes) -> DocumentText:
        """The pages' text and claim tables; raises `ExtractionError` for an
        encrypted or broken PDF."""
        deadline = Deadline(self.settings.limits.document_seconds, f"{self.name} document")
        text = self._read_text(filename, data, deadline)
        deadline.check(f"its {len(text.pages)} pages were read, not yet their claim tables")
        try:
            rows = claim_rows(text.pages, data, day_first=self.settings.parsing.day_first)
        except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds; the text is still good
            return replace(text, notes=(*text.notes, f"tables not read: {_describe(exc)}"))
        return replace(text, tables=tuple(rows))

    def _read_text(self, filename: str, data: bytes, deadline: Deadline) -> DocumentText:
        try:
            document = _open(data)
        except _Broken as pdfium_failure:
            return self._read_with_pdfplumber(filename, data, pdfium_failure, deadline)
        try:
            return self._read_document(document, deadline)
        except _Broken as pdfium_failure:
            return self._read_with_pdfplumber(filename, data, pdfium_failure, deadline)
        finally:
            with PDFIUM_LOCK:
                document.close()

    def _read_document(self, document, deadline: Deadline) -> DocumentText:
        with PDFIUM_LOCK:
            total = len(document)
        count = min(total, self.settings.limits.max_pages)
        read = []
        for index in range(count):
            deadline.check(f"{index} of {count} pages had been read")
            read.append(_text_layer(document, index, laid_out=index == 0))
        layers = [text for text, _ in read]
        needs_ocr, notes = self._scanned_pages(document, layers)
        # Waits for every job, so the document outlives its renderings.
        results = self.ocr.ocr_pages(needs_ocr, until=deadline.ends)
        if len(results) < len(needs_ocr):
            progress = f"OCR had read {len(results)} of {len(needs_ocr)} scanned pages"
            raise took_too_long(deadline.label, deadline.seconds, progress)
        text = assemble_pages(layers, results, [*page_limit_notes(count, total), *notes])
        if not text.pages or text.pages[0].ocr:
            return text
        first = replace(text.pages[0], layout=read[0][1])
        return replace(text, pages=(first, *text.pages[1:]))

    def _scanned_pages(self, document, layers: list[str]) -> tuple[dict[int, ImageSource], list[str]]:
        """The pages to OCR (page number -> what renders it), and a note for each page
        that needs OCR but is not rendered (see `_render_scale`)."""
        sources, notes = {}, []
        for index, layer in enumerate(layers):
            if is_plausible_text(layer, self.settings.ocr.min_text_chars):
                continue
            scale, refused = self._render_scale(document, index)
            if refused:
                notes.append(f"page {index + 1}: not rendered for OCR: {refused}")
            else:
                sources[index + 1] = partial(self._render, document, index, scale)
        return sources, notes

    def _render_scale(self, document, index: int) -> tuple[float, str | None]:
        """The scale at which page `index` is rendered: `ocr.dpi`, lower for a page larger
        than `_MAX_RENDER_PIXELS`; or why it is not rendered: it would be a sliver
        (`too_small_for_text`) or coarser than `_MIN_RENDER_DPI`."""
        dpi = self.settings.ocr.dpi
        try:
            with PDFIUM_LOCK:
                page = document[index]
                try:
                    width, height = page.get_size()
                finally:
                    page.close()
        except pdfium.PdfiumError:
            return dpi / 72, None  # rendering it says what is wrong
        scale = min(dpi / 72, (_MAX_RENDER_PIXELS / max(width * height, 1)) ** 0.5)
        refused = too_small_for_text(width * scale, height * scale, self.settings.ocr)
        if refused:
            return scale, f"the page would be {refused}"
        if scale * 72 < _MIN_RENDER_DPI:
            inches = f"{width / 72:,.0f} x {height / 72:,.0f} inches"
            return scale, (
                f"the page is {inches}: within {_MAX_RENDER_PIXELS:,} pixels it would be "
                f"rendered at {scale * 72:.0f} dpi, too coarse to read"
            )
        return scale, None

    def _render(self, document, index: int, scale: float) -> Image.Image:
        """Page `index` as a grey picture at `scale` (runs on an OCR worker)."""
        try:
            with PDFIUM_LOCK:
                page = document[index]
                try:
                    bitmap = page.render(scale=scale, grayscale=True)
                    try:
                        image = bitmap.to_pil().copy()  # own memory, not the bitmap's
                    finally:
                        bitmap.close()
                finally:
                    page.close()
        except pdfium.PdfiumError as exc:
            raise ExtractionError(f"page could not be rendered: {exc}", page=index + 1) from exc
        image.info["dpi"] = (round(scale * 72), round(scale * 72))
        return image

    def _read_with_pdfplumber(
        self, filename: str, data: bytes, pdfium_failure: _Broken, deadline: Deadline
    ) -> DocumentText:
        limit = self.settings.limits.max_pages
        try:
            layers, total = _pdfplumber_text(data, limit, deadline)
        except ExtractionError:
            raise  # the deadline
        except Exception as exc:  # pdfminer raises many kinds on damaged files
            reason = f"not a valid PDF: {pdfium_failure}; pdfminer: {_describe(exc)}"
            raise ExtractionError(reason, filename=filename) from exc
        if total == 0:
            raise ExtractionError(f"not a valid PDF: {pdfium_failure}", filename=filename)
        notes = page_limit_notes(len(layers), total)
        for number, layer in enumerate(layers, start=1):
            if not is_plausible_text(layer, self.settings.ocr.min_text_chars):
                notes.append(
                    f"page {number}: no usable text layer and the page cannot be "
                    "rendered for OCR (damaged PDF)"
                )
        return assemble_pages(layers, {}, notes)


class _Broken(Exception):
    """PDFium could not open or read the file: worth a try with pdfminer."""


def _open(data: bytes):
    """Open with PDFium; an empty user password is tried first (PDFium's default)."""
    if pdfium is None:
        raise _Broken("pypdfium2 is not installed")
    try:
        with PDFIUM_LOCK:
            return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError("PDF is password-protected") from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ExtractionError("PDF uses an unsupported encryption scheme") from exc
        raise _Broken(_pdfium_reason(exc)) from exc


def _text_layer(document, index: int, *, laid_out: bool = False) -> tuple[str, str]:
    """The page's text layer, and when asked the same text as printed (`extractors.layout`)."""
    try:
        with PDFIUM_LOCK:
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    layout = lay_out(_words(textpage, text, page.get_height())) if laid_out else ""
                finally:
                    textpage.close()
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise _Broken(f"page {index + 1}: {_pdfium_reason(exc)}") from exc
    return _normalise_layer(text), _normalise_layer(layout)


def _words(textpage, text: str, height: float) -> list[Word]:
    """Each word of `text` (PDFium's text, one place per character index) and its box,
    from the loose boxes of its first and last characters. Empty when characters
    outside the BMP make the text longer than the character count: no layout then."""
    if len(text) != textpage.count_chars():
        return []
    first, last = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
    words = []
    for match in re.finditer(r"\S+", text):
        pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, match.start(), first)
        pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, match.end() - 1, last)
        top, bottom = height - max(first.top, last.top), height - min(first.bottom, last.bottom)
        words.append(Word(match.group(0), first.left, top, max(first.right, last.right), bottom))
    return words


def _normalise_layer(text: str) -> str:
    """Unix line ends, no NULs; PDFium gives U+FFFE for a hyphen in "Online-Marketing"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\x00", "").replace("\ufffe", "-")


def _pdfplumber_text(data: bytes, limit: int, deadline: Deadline) -> tuple[list[str], int]:
    """Text of the first `limit` pages with pdfplumber, and the page count.
    Each page is closed after use: pdfplumber caches every parsed page otherwise."""
    import pdfplumber

    layers = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        total = len(pdf.pages)
        for page in pdf.pages[:limit]:
            deadline.check(f"{len(layers)} of {min(total, limit)} pages had been read")
            try:
                layers.append(_normalise_layer(page.extract_text() or ""))
            finally:
                page.close()
    return layers, total


def _pdfium_reason(exc: Exception) -> str:
    message = str(exc)
    found = re.search(r"\(PDFium: (.*)\)", message)
    return f"pdfium: {found.group(1) if found else message.rstrip('.')}"


def _describe(exc: Exception) -> str:
    cause = exc.__cause__ or exc.__context__
    message = str(exc) or (str(cause) if cause else "") or type(exc).__name__
    return message.splitlines()[0][:120]
