"""The `[ocr]` section: which engine reads which picture, and how."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Literal

from rpa.config.options import check_choices
from rpa.config.options import option as _opt
from rpa.errors import ConfigError

__all__ = ["OCR_ENGINES", "OcrSettings", "PHOTO_RUNTIMES"]

# [ocr] engine: auto, or one of the recognisers of `extractors.ocr.RECOGNISERS`
OcrEngineName = Literal["auto", "tesseract", "rapidocr"]
OCR_ENGINES: tuple[str, ...] = typing.get_args(OcrEngineName)
PhotoRuntime = Literal["openvino", "onnxruntime"]  # what runs RapidOCR's networks
PHOTO_RUNTIMES: tuple[str, ...] = typing.get_args(PhotoRuntime)
PhotoCharacters = Literal["latin", "all"]  # what RapidOCR's recogniser may read


@dataclass(frozen=True)
class OcrSettings:
    engine: OcrEngineName = _opt(
        "auto",
        "auto: photographs (a camera's JPEG, HEIC, AVIF or WebP of a photo's size) by RapidOCR; "
        "scanned PDF pages, faxes, screenshots and logos by Tesseract; tesseract or rapidocr: "
        "every page by that engine",
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
    photo_runtime: PhotoRuntime = _opt(
        "openvino",
        "What runs RapidOCR's networks: openvino (1.3 to 1.5 times as fast, recognition in bfloat16 on "
        "CPUs that have it: the same SROIE fields right) or onnxruntime (the same text on every CPU)",
    )
    photo_characters: PhotoCharacters = _opt(
        "latin",
        "The characters RapidOCR's recogniser reads: latin (Latin and Greek letters, digits, "
        "punctuation and symbols, 1,750 of its 18,710 characters: a photo read in a sixth less "
        "time, the same SROIE fields, and no Chinese look-alikes such as '：' for ':') or all "
        "(Chinese and Japanese too)",
    )
    photo_alone: bool = _opt(
        True,
        "A photo is read while no scanned page is (pages wait for the photo, a photo for the pages "
        "being read): the run's memory then peaks with RapidOCR's buffers or with Tesseract's pages, "
        "not with both (SpamScope's mail corpus: 444 MB instead of 534); false reads both at once, "
        "a fifth faster on mail that mixes photos and scans (the 54 samples with two workers)",
    )
    photo_service: str = _opt(
        "",
        "The socket of a photo reader that reads this process's photos with RapidOCR "
        "(extractors.photoservice): set by rpa for the pipelines of a run, which share one; "
        "empty: RapidOCR runs in this process",
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
        check_choices(self, "[ocr]")
        if self.page_segmentation and not 1 <= self.page_segmentation <= 13:
            raise ConfigError(
                "[ocr] page_segmentation must be 0 (chosen per page) or a Tesseract --psm "
                f"from 1 to 13, not {self.page_segmentation}"
            )
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
