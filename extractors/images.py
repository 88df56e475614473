"""Pictures of documents (scans, phone photos): every page goes through OCR.

PNG, JPEG, GIF, BMP, WEBP and TIFF; a multi-page TIFF (the usual output of
office scanners and fax servers) gives one page per frame, other formats their
first frame only (an animated GIF is not a document). Frames are decoded one at
a time as OCR workers free up, so a 200-page TIFF is never all in memory.

Pillow's decompression-bomb check stays on: a picture claiming more than
twice `PIL.Image.MAX_IMAGE_PIXELS` is refused with an `ExtractionError`.
"""

from __future__ import annotations

import io
import threading
from functools import partial

from PIL import Image, UnidentifiedImageError

from extractors.documents import PageList, assemble_pages, declared_as, sniff_format
from extractors.ocr import OcrEngine
from rpa.config import Settings
from rpa.errors import ExtractionError

__all__ = ["ImageReader", "IMAGE_FORMATS"]

IMAGE_FORMATS = ("png", "jpeg", "tiff", "gif", "bmp", "webp")
_IMAGE_TYPES = (
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/pjpeg",
    "image/tiff",
    "image/tif",
    "image/gif",
    "image/bmp",
    "image/x-bmp",
    "image/x-ms-bmp",
    "image/webp",
)
_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".gif", ".bmp", ".webp")


class ImageReader:
    """Images: OCR of each page (TIFF frame); pictures other than TIFF are read as
    photographs (see `extractors.ocr`)."""

    name = "image"

    def __init__(self, settings: Settings, ocr: OcrEngine | None = None) -> None:
        self.settings = settings
        self.ocr = ocr if ocr is not None else OcrEngine(settings)

    def is_available(self) -> bool:
        return self.ocr.is_available()

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        found = sniff_format(head)
        if found is not None:
            return found in IMAGE_FORMATS
        return declared_as(content_type, filename, _IMAGE_TYPES, _IMAGE_EXTENSIONS)

    def read(self, filename: str, data: bytes) -> PageList:
        """OCR text of each page; raises `ExtractionError` for an undecodable picture
        or `OcrError` when no page could be recognised."""
        image = _open(filename, data)
        try:
            total = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
            count = min(total, self.settings.limits.max_pages)
            lock = threading.Lock()  # one Image object, frames decoded one at a time
            sources = {
                number: partial(_frame, image, number, lock, filename) for number in range(1, count + 1)
            }
            # A TIFF comes from a scanner or a fax; other pictures are mostly photographs.
            results = self.ocr.ocr_pages(sources, photo=image.format != "TIFF")
        finally:
            image.close()
        notes = []
        if total > count:
            notes.append(f"read the first {count} of {total} pages (limits.max_pages)")
        return assemble_pages([""] * count, results, notes)


def _open(filename: str, data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"image too large to decode safely: {exc}", filename=filename) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError(f"not a readable image: {exc}", filename=filename) from exc


def _frame(image: Image.Image, number: int, lock: threading.Lock, filename: str) -> Image.Image:
    """Frame `number` (1-based), decoded into its own picture (runs on an OCR worker)."""
    try:
        with lock:
            image.seek(number - 1)
            frame = image.copy()  # decodes; the copy no longer needs the file
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"image too large to decode safely: {exc}", page=number) from exc
    except Exception as exc:  # Pillow's decoders raise many kinds on damaged data
        reason = f"image could not be decoded: {type(exc).__name__}: {exc}"
        raise ExtractionError(reason, filename=filename, page=number) from exc
    return frame
