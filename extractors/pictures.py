"""What every OCR engine is given: the picture upright, on white."""

from __future__ import annotations

from PIL import Image, ImageOps

__all__ = ["upright_on_white"]


def upright_on_white(image: Image.Image) -> Image.Image:
    """`image` turned as its EXIF tag says, transparency flattened onto white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image
