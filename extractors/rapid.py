"""RapidOCR: the OCR engine for photographs (see `extractors.ocr` for the choice).

RapidOCR runs PaddleOCR's detection and recognition networks (PP-OCRv6 small)
on ONNX Runtime. Its wheel on PyPI carries the model files, so nothing is
downloaded: the models load from the installed package.

Where Tesseract binarises a page and looks for lines of print, these networks
find text regions in the colour picture and read each one, which holds up on
what a phone camera makes of a till receipt: faint thermal print, shadows,
curl and tilt. On the 63 SROIE receipt photos, with the same field parsers,
totals read right went from 49 to 59 and company names from 42 to 49. On clean
A4 scans Tesseract reads the samples exactly and is three to four times faster,
so scanned PDF pages stay with it.

A photo takes RapidOCR about 2.5 times Tesseract's time. `[ocr] photo_detection_side =
1024` looks for its lines on the photo shrunk to 1024 pixels and reads them at full size,
about a third faster; on the SROIE photos it costs one total in 63, so it is not the
default. Reading lines one by one from 48 pixels wide was faster still but read accents
that are not printed ("SERRURÉRIE"); `bench/documents.py photos` shows the three side by side.

Each OCR worker thread gets its own RapidOCR object (one call sets per-call
options on it), with ONNX Runtime on one thread: as with Tesseract, one core
per page and pages side by side is fastest.

Each detected region is kept as a span of the page's text with its box (the
region's bounds on the upright picture), so that a value read from a photo can
be drawn where it was printed.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata

from PIL import Image

from extractors.ocrlines import PlacedBox, TextBox, placed_lines
from extractors.ocrresult import OcrResult, relative_box
from extractors.pictures import upright_on_white
from rpa.config import OcrSettings
from rpa.errors import OcrError
from rpa.models import TextSpan

__all__ = [
    "RapidRecogniser",
    "RapidStatus",
    "rapidocr_status",
    "rapidocr_options",
    "RAPIDOCR_HINT",
    "RAPIDOCR_OPTIONS",
]

RAPIDOCR_HINT = "pip install rapidocr onnxruntime"

# Measured on 12 SROIE photos spread over the corpus, one thread each, interleaved with
# rpa's Tesseract (bench/photo_profile.py): before, a photo took 2.2-2.7x Tesseract's time,
# a quarter of it in detection on the whole picture and three quarters in recognition.
# The wheel ships one detector and one recogniser (PP-OCRv6 small) and PP-OCR v2's angle
# classifier, so there is no lighter model to choose; ONNX Runtime already optimises the
# graph fully, and its memory arena or more lines per batch did not help.
_OPTIONS = {
    "Global.use_cls": False,  # upside-down lines: EXIF rotation covers phone photos, and it costs 10%
    "Global.log_level": "error",
    # A region's mean text score to keep it (default 0.5): a clean second line of an A4
    # scan rendered from a PDF scored under 0.5 and was dropped; at 0.3 it is read, and
    # the 63 SROIE receipts read to the same text (the recogniser drops what is no text).
    "Det.box_thresh": 0.3,
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}


def rapidocr_options(settings: OcrSettings) -> dict[str, object]:
    """RapidOCR's parameters for these settings."""
    options = dict(_OPTIONS)
    if settings.photo_detection_side:
        # Regions are looked for on the photo shrunk to this longest side, and read on the
        # photo itself (RapidOCR scales the boxes back): at 1024 detection took a third of its time.
        options["Det.limit_type"] = "max"
        options["Det.limit_side_len"] = settings.photo_detection_side
    return options


RAPIDOCR_OPTIONS = rapidocr_options(OcrSettings())  # what rpa runs with the default settings


@dataclass(frozen=True)
class RapidStatus:
    """What `rpa doctor` prints about RapidOCR."""

    available: bool
    version: str | None = None
    reason: str | None = None


def rapidocr_status() -> RapidStatus:
    """Whether RapidOCR and ONNX Runtime are installed (the models come with RapidOCR)."""
    try:
        versions = [metadata.version("rapidocr"), metadata.version("onnxruntime")]
    except metadata.PackageNotFoundError as exc:
        return RapidStatus(False, reason=f"{exc.name} is not installed; install it: {RAPIDOCR_HINT}")
    return RapidStatus(True, f"rapidocr {versions[0]}, onnxruntime {versions[1]}")


class RapidRecogniser:
    """RapidOCR in this process, one model instance per calling thread."""

    name = "rapidocr"

    def __init__(self, settings: OcrSettings, options: Mapping[str, object] | None = None) -> None:
        """`options`: RapidOCR's parameters, if not those the settings make (`rapidocr_options`)."""
        self.settings = settings
        self.options = dict(rapidocr_options(settings) if options is None else options)
        self._local = threading.local()

    def is_available(self) -> bool:
        return rapidocr_status().available

    def read(self, image: Image.Image) -> OcrResult:
        """The text of one picture, line by line, and its regions' boxes. Raises
        `OcrError` when RapidOCR is missing or fails on the picture."""
        engine = self._engine()
        picture = upright_on_white(image)
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        try:
            found = engine(picture)
        except Exception as exc:  # noqa: BLE001 - ONNX Runtime and OpenCV raise their own kinds
            raise OcrError(f"rapidocr failed: {type(exc).__name__}: {exc}") from exc
        if found.txts is None:
            return OcrResult("")
        boxes = (
            TextBox(tuple((float(x), float(y)) for x, y in corners), text)  # type: ignore[arg-type]
            for corners, text in zip(found.boxes, found.txts, strict=True)
        )
        text, placed = placed_lines(boxes)
        return OcrResult(text, tuple(_span(item, picture.size) for item in placed))

    def _engine(self):  # noqa: ANN202 - rapidocr.RapidOCR, imported here
        engine = getattr(self._local, "engine", None)
        if engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise OcrError(f"rapidocr is not installed; install it: {RAPIDOCR_HINT}") from exc
            try:
                engine = self._local.engine = RapidOCR(params=dict(self.options))
            except Exception as exc:  # noqa: BLE001 - a damaged model file, a missing runtime
                raise OcrError(f"rapidocr cannot load its models: {type(exc).__name__}: {exc}") from exc
        return engine


def _span(placed: PlacedBox, size: tuple[int, int]) -> TextSpan:
    xs = [x for x, _ in placed.box.corners]
    ys = [y for _, y in placed.box.corners]
    return TextSpan(placed.start, placed.end, relative_box(min(xs), min(ys), max(xs), max(ys), *size))
