"""Pages of a document as pictures, in the frame where fields' boxes are given.

A field read in a document carries its page and its box as shares of the page
shown upright (`rpa.models.Box`); this draws that page so that the box lands on
the value:

- a PDF page as PDFium renders it, /Rotate applied (PDFium is also what located
  the values of text pages, and rendered the scanned ones for OCR);
- a picture turned as its EXIF tag says and its transparency laid on white, as
  the OCR engines were given it (`extractors.pictures.upright_on_white`); a
  TIFF has one page per frame, other pictures one page, as `ImageReader` reads
  them.

Pictures are scaled to the width asked for, within `MAX_PIXELS`, and returned as
PNG bytes. Every PDFium call holds `extractors.readers.pdf.PDFIUM_LOCK`, and
every page, bitmap and document is closed once used.
"""

from __future__ import annotations

import io
import math

from PIL import Image

from extractors.pictures import upright_on_white
from extractors.readers.base import HEAD_SIZE, sniff_format
from extractors.readers.images import IMAGE_FORMATS, open_picture
from rpa.errors import ExtractionError

__all__ = ["MAX_PIXELS", "page_count", "render_page"]

# A picture of a page is never larger than this: a tall receipt at the widest width
# stays within it, a poster-sized page is drawn narrower than asked.
MAX_PIXELS = 20_000_000


def page_count(data: bytes) -> int:
    """How many pages the document shows: a PDF's pages, a TIFF's frames, 1 for
    another picture. Raises `ExtractionError` when it is neither, or unreadable."""
    if _kind(data) == "pdf":
        from extractors.readers.pdf import PDFIUM_LOCK

        document = _open_pdf(data)
        try:
            with PDFIUM_LOCK:
                return len(document)
        finally:
            with PDFIUM_LOCK:
                document.close()
    image = open_picture(data)
    try:
        return _frames(image)
    finally:
        image.close()


def render_page(data: bytes, page: int, width: int) -> bytes:
    """Page `page` (1-based) of a PDF or picture as a PNG `width` pixels wide (narrower
    when `MAX_PIXELS` says so). Raises `ExtractionError` for a document that cannot
    be drawn or a page it does not have."""
    if width < 1:
        raise ValueError(f"width must be positive, not {width}")
    picture = _pdf_page(data, page, width) if _kind(data) == "pdf" else _picture_page(data, page, width)
    try:
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        return buffer.getvalue()
    finally:
        picture.close()


def _kind(data: bytes) -> str:
    found = sniff_format(data[:HEAD_SIZE])
    if found == "pdf" or found in IMAGE_FORMATS:
        return found
    raise ExtractionError(f"cannot draw a page of this document ({found or 'unknown type'})")


def _open_pdf(data: bytes):  # noqa: ANN202 - a pypdfium2 PdfDocument
    from extractors.readers.pdf import PDFIUM_LOCK, pdfium

    if pdfium is None:
        raise ExtractionError("cannot draw PDF pages: pypdfium2 is not installed")
    try:
        with PDFIUM_LOCK:
            return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"PDF cannot be drawn: {exc}") from exc


def _pdf_page(data: bytes, number: int, width: int) -> Image.Image:
    from extractors.readers.pdf import PDFIUM_LOCK, pdfium

    document = _open_pdf(data)
    try:
        with PDFIUM_LOCK:
            if not 1 <= number <= len(document):
                raise ExtractionError(f"the PDF has {len(document)} page(s)", page=number)
            page = document[number - 1]
            try:
                page_width, page_height = page.get_size()  # as displayed: /Rotate applied
                # PDFium rounds the bitmap's sides up: a hair less keeps it at `width`.
                scale = min(width / page_width * (1 - 1e-9), _fitting(page_width, page_height))
                bitmap = page.render(scale=scale)
                try:
                    return bitmap.to_pil().convert("RGB")  # own memory, not the bitmap's
                finally:
                    bitmap.close()
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise ExtractionError(f"page could not be drawn: {exc}", page=number) from exc
    finally:
        with PDFIUM_LOCK:
            document.close()


def _picture_page(data: bytes, number: int, width: int) -> Image.Image:
    image = open_picture(data)
    try:
        if not 1 <= number <= _frames(image):
            raise ExtractionError(f"the picture has {_frames(image)} page(s)", page=number)
        try:
            image.seek(number - 1)
            picture = upright_on_white(image.copy())
        except Image.DecompressionBombError as exc:
            raise ExtractionError(f"image too large to decode safely: {exc}", page=number) from exc
        except Exception as exc:  # Pillow's decoders raise many kinds on damaged data
            reason = f"image could not be decoded: {type(exc).__name__}: {exc}"
            raise ExtractionError(reason, page=number) from exc
    finally:
        image.close()
    if picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    scale = min(width / picture.width, _fitting(picture.width, picture.height))
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return picture.resize(size, Image.Resampling.LANCZOS) if size != picture.size else picture


def _frames(image: Image.Image) -> int:
    return getattr(image, "n_frames", 1) if image.format == "TIFF" else 1


def _fitting(width: float, height: float) -> float:
    """The largest scale at which a `width` x `height` page stays within `MAX_PIXELS`
    even with its sides rounded up: (width s + 1)(height s + 1) <= MAX_PIXELS."""
    area, sides = max(width * height, 1e-6), width + height
    return (math.sqrt(sides * sides + 4 * area * (MAX_PIXELS - 1)) - sides) / (2 * area)
