"""Scanned and photographed paper: grey-scale pages drawn with PIL, turned a little and soiled.

A page is a list of lines ("# " makes a bold title, "|" separates columns set at
the scan's column stops). Pages are drawn at `dpi`, turned by `angle` degrees,
given an uneven paper tone (a phone photo) or a flat one (a scanner), sprinkled
with seeded specks and softened, then written as JPEG, PNG (few grey levels),
multi-page TIFF (bilevel, CCITT G4, like an office scanner) or an image-only PDF.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from _gen.documents import FONTS

__all__ = ["Scan"]

_MIME = {"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff", "pdf": "application/pdf"}


@dataclass(frozen=True)
class Scan:
    filename: str
    pages: Sequence[Sequence[str]]
    fmt: str = "jpeg"  # jpeg, png, tiff or pdf
    paper: tuple[float, float] = (8.27, 11.69)  # inches; A4
    dpi: int = 200
    point: float = 12.0
    angle: float = 1.5
    specks: int = 900  # dark specks per page
    photo: bool = False  # uneven light, as a phone photo of a sheet
    columns: Sequence[float] = (0.0, 0.55, 0.75)  # column stops, shares of the text width
    margin: float = 0.8  # inches
    quality: int = 75

    @property
    def mime(self) -> str:
        return _MIME[self.fmt]

    def render(self) -> bytes:
        seed = int.from_bytes(hashlib.sha256(self.filename.encode()).digest()[:8], "big")
        rng = random.Random(seed)
        images = [self._page(lines, rng) for lines in self.pages]
        return _ENCODERS[self.fmt](self, images)

    def _page(self, lines: Sequence[str], rng: random.Random) -> Image.Image:
        width, height = round(self.paper[0] * self.dpi), round(self.paper[1] * self.dpi)
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        px = self.point * self.dpi / 72
        regular = ImageFont.truetype(FONTS + "DejaVuSans.ttf", round(px))
        bold = ImageFont.truetype(FONTS + "DejaVuSans-Bold.ttf", round(px * 1.25))
        left = round(self.margin * self.dpi)
        text_width = width - 2 * left
        y = left
        for line in lines:
            font = bold if line.startswith("# ") else regular
            cells = line.removeprefix("# ").split("|")
            for stop, cell in zip(self.columns, cells, strict=False):
                draw.text((left + stop * text_width, y), cell, font=font, fill=rng.randint(15, 45))
            y += round(px * (1.9 if line.startswith("# ") else 1.45))
        return self._soil(page, rng)

    def _soil(self, page: Image.Image, rng: random.Random) -> Image.Image:
        width, height = page.size
        if self.photo:
            # Light falls unevenly on a photographed sheet: a smooth shade between four corner tones.
            corners = Image.new("L", (2, 2))
            corners.putdata([rng.randint(218, 248) for _ in range(4)])
            shade = corners.resize(page.size, Image.Resampling.BILINEAR)
            page = Image.composite(page, shade, page.point(lambda v: 255 - v))
        page = page.rotate(self.angle, resample=Image.Resampling.BICUBIC, fillcolor=235 if self.photo else 250)
        draw = ImageDraw.Draw(page)
        for _ in range(self.specks):
            x, y, r = rng.randrange(width), rng.randrange(height), rng.choice((1, 1, 1, 2, 3))
            draw.ellipse((x, y, x + r, y + r), fill=rng.randint(60, 170))
        page = page.filter(ImageFilter.GaussianBlur(0.7))
        page.info["dpi"] = (self.dpi, self.dpi)
        return page


def _jpeg(scan: Scan, images: list[Image.Image]) -> bytes:
    return _save(images[0], "JPEG", quality=scan.quality, dpi=(scan.dpi, scan.dpi))


def _png(scan: Scan, images: list[Image.Image]) -> bytes:
    # Eight grey levels: what a scanner's "document" mode keeps, and small files.
    return _save(images[0].point(lambda v: min(255, (v // 32) * 36)), "PNG", optimize=True,
                 dpi=(scan.dpi, scan.dpi))


def _tiff(scan: Scan, images: list[Image.Image]) -> bytes:
    bilevel = [image.point(lambda v: 255 if v > 150 else 0).convert("1") for image in images]
    first, *rest = bilevel
    return _save(first, "TIFF", save_all=True, append_images=rest, compression="group4",
                 dpi=(scan.dpi, scan.dpi))


def _pdf(scan: Scan, images: list[Image.Image]) -> bytes:
    """Scanner-to-PDF output: every page one JPEG, no text layer."""
    pdf = FPDF(unit="in", format=scan.paper)
    pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=UTC))
    pdf.set_producer("fpdf2")
    pdf.set_creator("Scan2PDF")
    for image in images:
        pdf.add_page()
        pdf.image(io.BytesIO(_jpeg(scan, [image])), x=0, y=0, w=scan.paper[0], h=scan.paper[1])
    return bytes(pdf.output())


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


_ENCODERS = {"jpeg": _jpeg, "png": _png, "tiff": _tiff, "pdf": _pdf}
