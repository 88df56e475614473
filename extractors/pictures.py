"""What every OCR engine is given: the picture upright, on white, of a size worth reading.

A picture too small or too thin to hold text (a 400 x 1 spacer GIF in an Outlook
mail, a PDF page 3 points wide) is not read at all (`too_small_for_text`): the
engines would enlarge it to the size they work at, and RapidOCR made a 400 x 1
spacer 12,000 x 3,000 pixels for its detector (4.9 GB and 41 s for nothing).

Enlarging a picture to help an engine read small print is bounded the same way
for every engine (`allowed_enlargement`): at most `MAX_ENLARGEMENT` times, and
not at all when the result would exceed `MAX_ENLARGED_PIXELS`. Pillow's
resampling keeps a table of weights per output row: enlarging a PDF page
rendered 4 x 12,015,351 pixels by 1.5 took 1.4 GB before Tesseract even started.
"""

from __future__ import annotations

from PIL import Image, ImageOps

from rpa.config import OcrSettings

__all__ = [
    "MAX_ENLARGEMENT",
    "MAX_ENLARGED_PIXELS",
    "allowed_enlargement",
    "too_small_for_text",
    "upright_on_white",
]

# Tesseract gains from 1.5x on small pictures and nothing more at 2x; RapidOCR's detector asks
# for a shorter side of 736 pixels, which no picture under 368 pixels gets in full.
MAX_ENLARGEMENT = 2.0
# Twice an A4 page at 300 dpi: a long till receipt photographed on a phone, enlarged 1.5 times.
MAX_ENLARGED_PIXELS = 16_000_000


def upright_on_white(image: Image.Image) -> Image.Image:
    """`image` turned as its EXIF tag says, transparency flattened onto white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image


def too_small_for_text(width: float, height: float, settings: OcrSettings) -> str | None:
    """Why a picture of `width` x `height` pixels holds no text worth OCR ("400 x 1 pixels,
    too small to hold text (ocr.min_picture_side is 32)"), or None when it may hold some."""
    size = f"{round(width):,} x {round(height):,} pixels"
    shorter, longer = sorted((width, height))
    if shorter < settings.min_picture_side:
        return f"{size}, too small to hold text (ocr.min_picture_side is {settings.min_picture_side})"
    if longer > settings.max_picture_aspect * shorter:
        return f"{size}, too thin to hold text (ocr.max_picture_aspect is {settings.max_picture_aspect:g})"
    return None


def allowed_enlargement(size: tuple[int, int], wanted: float) -> float:
    """How many times an engine may enlarge a picture of `size` that it would like `wanted`
    times larger: at most `MAX_ENLARGEMENT`, and 1 (not at all) when the result would have
    more than `MAX_ENLARGED_PIXELS` pixels."""
    factor = min(wanted, MAX_ENLARGEMENT)
    width, height = size
    if factor <= 1 or width * height * factor * factor > MAX_ENLARGED_PIXELS:
        return 1.0
    return factor
