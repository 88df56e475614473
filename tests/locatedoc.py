"""A claim form whose values are printed at known places, in the forms documents come in.

The tests of field locations and page pictures compare the box rpa gives a value
with where this module printed it: `printed_box` measures the value with the
same font and size (fpdf2's own string widths), from its baseline up to the
height of a capital, as shares of the A4 page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docbuilder
import pypdfium2 as pdfium
from fpdf import FPDF
from PIL import Image

from extractors.render import render_page

__all__ = [
    "FORM_LINES",
    "POLICY_NUMBER",
    "box_of",
    "claim_form_pdf",
    "printed_box",
    "form_picture",
    "scanned_form_pdf",
    "rotated_pdf",
    "exif_rotated_jpeg",
    "turned_box",
]

PAGE_MM = (210.0, 297.0)  # A4
POINT_SIZE = 12
_CAP_HEIGHT = 0.73  # DejaVu Sans: a capital's height, in ems
POLICY_NUMBER = "AUT-4587-2291"
# (x, baseline y) in millimetres from the top left, and the text printed there.
FORM_LINES: Sequence[tuple[float, float, str]] = (
    (25, 40, "Déclaration de sinistre automobile"),
    (25, 55, "Assuré : Jean Dupont"),
    (95, 120, f"Police n° {POLICY_NUMBER}"),
    (25, 140, "Date du sinistre : 14/03/2025"),
    (25, 155, "Immatriculation du véhicule : AB-123-CD"),
    (25, 170, "Le véhicule a été percuté à l'arrêt sur le parking."),
)


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(docbuilder.FONT_PATH))
    pdf.set_font("DejaVu", size=POINT_SIZE)
    return pdf


def claim_form_pdf() -> bytes:
    """One A4 page with a text layer: `FORM_LINES` where they say."""
    return docbuilder.placed_pdf([FORM_LINES])


def printed_box(value: str) -> tuple[float, float, float, float]:
    """Where `value` was printed on the form (see `box_of`)."""
    for x, y, text in FORM_LINES:
        if value in text:
            return box_of(x, y, text, value)
    raise ValueError(f"{value!r} is not on the form")


def box_of(x: float, y: float, text: str, value: str | None = None) -> tuple[float, float, float, float]:
    """Where `value` (by default the whole of `text`) stands when `text` is printed at
    (x, baseline y) mm: (left, top, right, bottom) from its capitals' top to the baseline,
    0-1 of the upright A4 page."""
    value = text if value is None else value
    pdf = _pdf()
    left = x + pdf.get_string_width(text[: text.index(value)])
    right = left + pdf.get_string_width(value)
    top = y - _CAP_HEIGHT * POINT_SIZE * 25.4 / 72
    width, height = PAGE_MM
    return (left / width, top / height, right / width, y / height)


def turned_box(box: tuple[float, float, float, float], degrees: int) -> tuple[float, float, float, float]:
    """A box on the upright page, on the page turned clockwise by `degrees` (0, 90, 180, 270)."""
    left, top, right, bottom = box
    turned = {
        0: box,
        90: (1 - bottom, left, 1 - top, right),
        180: (1 - right, 1 - bottom, 1 - left, 1 - top),
        270: (top, 1 - right, bottom, 1 - left),
    }
    return turned[degrees]


def form_picture(dpi: int = 200) -> Image.Image:
    """The form as a scanner would see it: drawn by PDFium at `dpi`, grey."""
    width = round(PAGE_MM[0] / 25.4 * dpi)
    picture = Image.open(io.BytesIO(render_page(claim_form_pdf(), 1, width))).convert("L")
    picture.info["dpi"] = (dpi, dpi)
    return picture


def scanned_form_pdf(dpi: int = 200) -> bytes:
    """The form as an image-only PDF (no text layer): a scan."""
    return docbuilder.image_pdf([form_picture(dpi)])


def rotated_pdf(data: bytes, degrees: int) -> bytes:
    """`data` with every page's /Rotate set to `degrees` (clockwise), as scanners and
    viewers save a page turned for reading."""
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            page.set_rotation(degrees)
            page.close()
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def exif_rotated_jpeg(picture: Image.Image) -> bytes:
    """`picture` stored on its side, with the EXIF orientation (6: turn 90° clockwise to
    view) a phone writes for it."""
    stored = picture.convert("RGB").transpose(Image.Transpose.ROTATE_90)  # counter-clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()
