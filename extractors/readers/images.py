"""Pictures of documents (scans, phone photos): every page goes through OCR.

PNG, JPEG, GIF, BMP, WebP, TIFF, and the photos of recent phones: HEIC/HEIF
(iPhones; pillow-heif's opener, registered with Pillow when such a photo comes)
and AVIF (Pillow's own). A multi-page TIFF (the usual output of office scanners
and fax servers) gives one page per frame, other formats their first frame only
(an animated GIF is not a document). Frames are decoded one at a time as OCR
workers free up, so a 200-page TIFF is never all in memory.

Opening a picture reads its header only. A frame with more pixels than
`limits.max_image_pixels` is refused before it is decoded: a few kilobytes can
claim a picture that would take gigabytes (a decompression bomb). Pillow's own
check stays on behind it (twice `PIL.Image.MAX_IMAGE_PIXELS`).

The pages go to the caller's OCR pool, so a picture is read in rpa's own process, not
in a child as other documents are: OCR is awaited until `limits.document_seconds` at
most, and a picture whose pages are not all read by then is an error saying how many
were ("... took longer than 60 s to read (limits.document_seconds): OCR had read 3 of
200 pages"). Its memory is held by `limits.max_image_pixels` and `max_pages`.
"""

from __future__ import annotations

import functools
import io
import threading
from functools import partial

from PIL import Image, UnidentifiedImageError

from extractors.ocr import OcrEngine
from extractors.readers.base import (
    HEAD_SIZE,
    DocumentText,
    assemble_pages,
    declared_as,
    page_limit_notes,
    sniff_format,
)
from extractors.readers.deadline import Deadline, took_too_long
from rpa.config import Settings
from rpa.errors import ExtractionError

__all__ = ["ImageReader", "IMAGE_FORMATS", "is_photograph", "open_picture"]

IMAGE_FORMATS = ("png", "jpeg", "tiff", "gif", "bmp", "webp", "heif", "avif")
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
    "image/heic",
    "image/heif",
    "image/avif",
)
_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".gif", ".bmp", ".webp")
_IMAGE_EXTENSIONS += (".heic", ".heif", ".avif")


# What a camera writes: phones save JPEG (some as MPO), HEIC or AVIF, messaging apps WebP.
# A PNG, GIF, BMP or TIFF is a screenshot, a scan, a fax or a drawing: text rendered on a
# flat background, which Tesseract reads like a scanned page: a 1366 x 768 screenshot of a
# web shop's cart took it 1.2 s in a 80 MB process, and RapidOCR 2.1 s holding 600 MB.
_CAMERA_FORMATS = frozenset({"JPEG", "MPO", "HEIF", "AVIF", "WEBP"})
# A picture this small is a logo, an icon, a banner or a signature's image, not a
# photographed document (phones and mail clients send photos of at least 640 x 480):
# RapidOCR enlarges it to 736 pixels on its shorter side and would spend on it what a
# whole photo costs.
_MIN_PHOTO_PIXELS = 100_000


def is_photograph(image: Image.Image) -> bool:
    """Whether this picture is read as a photograph (by RapidOCR with `[ocr] engine = auto`):
    a camera's format and the size of a photo (see `_CAMERA_FORMATS`)."""
    width, height = image.size
    return image.format in _CAMERA_FORMATS and width * height >= _MIN_PHOTO_PIXELS


class ImageReader:
    """Images: OCR of each page (TIFF frame); camera pictures are read as photographs
    (`is_photograph`, see `extractors.ocr`)."""

    name = "image"
    packages = ()  # read in rpa's process

    def __init__(self, settings: Settings, ocr: OcrEngine) -> None:
        self.settings = settings
        self.ocr = ocr

    def is_available(self) -> bool:
        return self.ocr.is_available()

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        found = sniff_format(head)
        if found is not None:
            return found in IMAGE_FORMATS
        return declared_as(content_type, filename, _IMAGE_TYPES, _IMAGE_EXTENSIONS)

    def read(self, filename: str, data: bytes) -> DocumentText:
        """OCR text of each page; raises `ExtractionError` for an undecodable picture
        or `OcrError` when no page could be recognised."""
        limit = self.settings.limits.max_image_pixels
        deadline = Deadline(self.settings.limits.document_seconds, f"{self.name} document")
        image = open_picture(data, filename)
        try:
            _refuse_a_bomb(image.size, limit, filename, page=1)  # before any OCR starts
            total, notes = _frame_count(image)
            count = min(total, self.settings.limits.max_pages)
            lock = threading.Lock()  # one Image object, frames decoded one at a time
            frame = partial(_frame, image, lock=lock, filename=filename, limit=limit)
            sources = {number: partial(frame, number) for number in range(1, count + 1)}
            results = self.ocr.ocr_pages(sources, photo=is_photograph(image), until=deadline.ends)
        finally:
            image.close()
        if len(results) < count:
            raise took_too_long(
                deadline.label, deadline.seconds, f"OCR had read {len(results)} of {count} pages"
            )
        return assemble_pages([""] * count, results, [*notes, *page_limit_notes(count, total)])


def _frame_count(image: Image.Image) -> tuple[int, list[str]]:
    """How many pages a picture has, and a note when a damaged later page of a TIFF could not
    be counted (Pillow walks the pages to count them): the pages before it are still read."""
    if image.format != "TIFF":
        return 1, []
    try:
        return image.n_frames, []
    except Exception as exc:  # noqa: BLE001 - Pillow's TIFF decoder raises many kinds on damaged pages
        readable = max(image.tell(), 1)
        try:
            image.seek(0)
        except Exception as again:  # noqa: BLE001 - the same decoder, on the first page
            raise ExtractionError(f"{type(again).__name__}: the picture is damaged") from again
        note = f"the pages after page {readable} are damaged and were not read ({type(exc).__name__})"
        return readable, [note]


def open_picture(data: bytes, filename: str | None = None) -> Image.Image:
    """The picture, its header read, nothing decoded; `ExtractionError` with a reason a
    reader understands when it cannot be (Pillow's own names the buffer it was given)."""
    if sniff_format(data[:HEAD_SIZE]) == "heif" and not _heif_opener_registered():
        reason = "HEIC/HEIF photos need the pillow-heif package, which is not installed (see `rpa doctor`)"
        raise ExtractionError(reason, filename=filename)
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"image too large to decode safely: {exc}", filename=filename) from exc
    except UnidentifiedImageError as exc:
        reason = "not a readable picture: its format is unknown or its header is damaged"
        raise ExtractionError(reason, filename=filename) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError(f"not a readable picture: {exc}", filename=filename) from exc


@functools.cache
def _heif_opener_registered() -> bool:
    """Whether Pillow opens HEIF files: pillow-heif's opener, registered on first use."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def _frame(
    image: Image.Image, number: int, *, lock: threading.Lock, filename: str, limit: int
) -> Image.Image:
    """Frame `number` (1-based), decoded into its own picture unless it has more than
    `limit` pixels (runs on an OCR worker)."""
    try:
        with lock:
            image.seek(number - 1)  # reads the frame's header: its size, not its pixels
            _refuse_a_bomb(image.size, limit, filename, page=number)
            frame = image.copy()  # decodes; the copy no longer needs the file
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"image too large to decode safely: {exc}", page=number) from exc
    except ExtractionError:
        raise
    except Exception as exc:  # Pillow's decoders raise many kinds on damaged data
        reason = f"image could not be decoded: {type(exc).__name__}: {exc}"
        raise ExtractionError(reason, filename=filename, page=number) from exc
    return frame


def _refuse_a_bomb(size: tuple[int, int], limit: int, filename: str, *, page: int) -> None:
    width, height = size
    if width * height > limit:
        raise ExtractionError(
            f"the picture is {width:,} x {height:,} pixels, over the limit of {limit:,} "
            "(limits.max_image_pixels): not decoded, as it could be a decompression bomb",
            filename=filename,
            page=page,
        )
