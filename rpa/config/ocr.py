"""The `[ocr]` section: which engine reads which picture, and how."""

from __future__ import annotations

from dataclasses import dataclass

from rpa.config.options import option as _opt
from rpa.errors import ConfigError

__all__ = ["OcrSettings", "PHOTO_RUNTIMES"]

PHOTO_RUNTIMES = ("openvino", "onnxruntime")  # [ocr] photo_runtime: what runs RapidOCR's networks


@dataclass(frozen=True)
class OcrSettings:
    engine: str = _opt(
        "auto",
        "auto: photographs (pictures sent as images) by RapidOCR, scanned PDF pages by "
        "Tesseract; tesseract or rapidocr: every page by that engine",
    )
    languages: str = _opt("fra+eng", "Tesseract languages, joined with '+'")
    dpi: int = _opt(300, "Resolution at which PDF pages without a text layer are rendered")
    tesseract_cmd: str = _opt("tesseract", "The tesseract executable")
    min_text_chars: int = _opt(25, "A PDF page with fewer letters and digits in its text layer is OCRed")
    timeout_seconds: int = _opt(180, "Give up on one page after this many seconds")
    workers: int = _opt(0, "Pages OCRed side by side; 0 means one per CPU core")
    page_segmentation: int = _opt(
        0,
        "Tesseract's --psm; 0 picks one: 6 (one block of lines) for till receipts, "
        "at least 1.6 times as tall as wide, 3 (find columns and blocks) for other pages",
    )
    photo_detection_side: int = _opt(
        0,
        "RapidOCR looks for lines on the photo shrunk to this longest side in pixels (then reads "
        "them at full size): 1024 read a receipt photo on ONNX Runtime in two thirds of the time "
        "(on OpenVINO, 4 to 22% less), at the cost of one SROIE total in 63; 0: on the whole photo",
    )
    photo_runtime: str = _opt(
        "openvino",
        "What runs RapidOCR's networks: openvino (2 to 3 times as fast, in bfloat16 on CPUs that have "
        "it: one SROIE company name in 63 read one letter differently) or onnxruntime (the same text "
        "on every CPU)",
    )
    min_picture_side: int = _opt(
        32,
        "Pictures, and PDF pages rendered for OCR, narrower or shorter than this many pixels are "
        "not OCRed: too small to hold text (spacers, rules, tracking pixels); the document says so",
    )
    max_picture_aspect: float = _opt(
        50.0,
        "Pictures, and PDF pages rendered for OCR, this many times longer than wide (or wider than "
        "long) are not OCRed: too thin to hold text (a line of 80 characters is about 40 times its height)",
    )

    def __post_init__(self) -> None:
        if not 1 <= self.min_picture_side <= 1000:
            raise ConfigError(
                f"[ocr] min_picture_side must be between 1 and 1000 pixels, not {self.min_picture_side}"
            )
        if self.max_picture_aspect < 1:
            raise ConfigError(f"[ocr] max_picture_aspect must be at least 1, not {self.max_picture_aspect:g}")
        if self.photo_detection_side and not 320 <= self.photo_detection_side <= 4000:
            raise ConfigError(
                "[ocr] photo_detection_side must be 0 (the whole photo) or between 320 and 4000 "
                f"pixels, not {self.photo_detection_side}"
            )
        if self.photo_runtime not in PHOTO_RUNTIMES:
            raise ConfigError(
                f"[ocr] photo_runtime must be one of {', '.join(PHOTO_RUNTIMES)}, not {self.photo_runtime!r}"
            )
