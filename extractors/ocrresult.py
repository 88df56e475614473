"""What an OCR engine gives back: a page's text, and where its words stand on the page.

Boxes are relative to the picture as the engine saw it once turned upright (EXIF
orientation applied): (left, top, right, bottom), each 0-1. Enlarging a picture
for the engine changes nothing to them, and a PDF page rendered for OCR has the
frame PDFium renders it in, /Rotate applied: the frame the page is shown in.
"""

from __future__ import annotations

from dataclasses import dataclass

from rpa.models import Box, TextSpan

__all__ = ["OcrResult", "relative_box"]

_PLACES = 4  # 1/10,000 of the page: a quarter pixel at 300 dpi across A4


@dataclass(frozen=True)
class OcrResult:
    """The text of one picture, line by line, and the boxes of stretches of it
    (`TextSpan.start`/`end` index `text`); `note` says why a picture was not read
    ("400 x 1 pixels, too small to hold text ..."), empty when it was."""

    text: str
    spans: tuple[TextSpan, ...] = ()
    note: str = ""


def relative_box(left: float, top: float, right: float, bottom: float, width: float, height: float) -> Box:
    """A box in pixels of a `width` x `height` picture, as shares of the picture (clamped to 0-1)."""

    def share(value: float, whole: float) -> float:
        return round(min(1.0, max(0.0, value / whole)), _PLACES) if whole > 0 else 0.0

    return (share(left, width), share(top, height), share(right, width), share(bottom, height))
