"""Documents built on the fly for the tests: text PDFs, scans, broken files.

Everything here is deterministic (seeded noise), so a test that passes once
passes every time. Scans are drawn with DejaVu Sans at a given resolution,
then turned by a small angle and sprinkled with noise, the way a cheap office
scanner or a phone photo of a letter looks.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = [
    "FONT_PATH",
    "text_pdf",
    "placed_pdf",
    "sized_pdf",
    "scan_image",
    "image_pdf",
    "mixed_pdf",
    "encrypted_pdf",
    "truncated",
    "image_bytes",
    "multipage_tiff",
    "random_bytes",
    "zip_archive",
    "docx",
    "CLAIM_LINES",
]

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# A French claim letter: accents, an amount with a comma and the euro sign.
CLAIM_LINES = [
    "Déclaration de sinistre",
    "Contrat numéro AB-2024-117",
    "Date du sinistre : 12 mars 2025",
    "Montant des réparations : 1 842,50 €",
    "Veuillez trouver ci-joint la facture du garage.",
]

_A4_INCHES = (8.27, 11.69)


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", fname=str(FONT_PATH))
    pdf.set_font("DejaVu", size=12)
    return pdf


def _add_text_page(pdf: FPDF, text: str) -> None:
    pdf.add_page()
    for line in text.splitlines() or [""]:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")


def text_pdf(pages: Sequence[str]) -> bytes:
    """A PDF with a real text layer, one string per page (lines kept)."""
    pdf = _pdf()
    for text in pages:
        _add_text_page(pdf, text)
    return bytes(pdf.output())


def placed_pdf(pages: Sequence[Sequence[tuple[float, float, str]]]) -> bytes:
    """A PDF whose texts stand at (x, y) millimetres from the top left, written in the
    order given: the text layer's order, which need not be the order a reader sees."""
    pdf = _pdf()
    for texts in pages:
        pdf.add_page()
        for x, y, text in texts:
            pdf.text(x, y, text)
    return bytes(pdf.output())


def sized_pdf(pages: Sequence[tuple[float, float, str]]) -> bytes:
    """A PDF whose pages are `width` x `height` points (a sliver 3 points wide, a page
    taller than any screen), each with its text, if any, an inch from the top left."""
    pdf = FPDF(unit="pt")
    pdf.add_font("DejaVu", fname=str(FONT_PATH))
    pdf.set_font("DejaVu", size=12)
    for width, height, text in pages:
        pdf.add_page(format=(width, height))
        if text:
            pdf.text(72, 72, text)
    return bytes(pdf.output())


def scan_image(
    lines: Sequence[str],
    *,
    dpi: int = 300,
    angle: float = 0.0,
    noise: float = 0.0,
    point_size: float = 12.0,
    seed: int = 1,
) -> Image.Image:
    """An A4 page "scanned" at `dpi`: text drawn in black on white, turned by
    `angle` degrees and mixed with `noise` (0..1) of seeded grey noise."""
    width, height = (round(inches * dpi) for inches in _A4_INCHES)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT_PATH), round(point_size * dpi / 72))
    margin = dpi  # one inch
    line_height = round(point_size * dpi / 72 * 1.6)
    for index, line in enumerate(lines):
        draw.text((margin, margin + index * line_height), line, font=font, fill=0)
    if angle:
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if noise:
        rng = random.Random(seed)
        grain = Image.frombytes("L", page.size, rng.randbytes(width * height))
        page = Image.blend(page, grain, noise).filter(ImageFilter.GaussianBlur(0.6))
    page.info["dpi"] = (dpi, dpi)
    return page


def image_pdf(images: Sequence[Image.Image]) -> bytes:
    """A PDF whose pages are images only (no text layer), each filling an A4 page."""
    pdf = _pdf()
    for image in images:
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


def mixed_pdf(text: str, image: Image.Image) -> bytes:
    """Page 1 has a text layer, page 2 is a scan."""
    pdf = _pdf()
    _add_text_page(pdf, text)
    pdf.add_page()
    pdf.image(image, x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


def encrypted_pdf(text: str, *, user_password: str, owner_password: str = "owner") -> bytes:
    """An AES-128 encrypted text PDF; an empty `user_password` opens without asking."""
    pdf = _pdf()
    pdf.set_encryption(
        owner_password=owner_password, user_password=user_password, encryption_method="AES_128"
    )
    _add_text_page(pdf, text)
    return bytes(pdf.output())


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    """The first `keep` share of a file, as a download cut short leaves it."""
    return data[: max(1, int(len(data) * keep))]


def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    dpi = image.info.get("dpi")
    if dpi and fmt.upper() in ("JPEG", "PNG", "TIFF"):
        options.setdefault("dpi", dpi)
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def multipage_tiff(images: Sequence[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    first, *rest = images
    first.save(buffer, format="TIFF", save_all=True, append_images=rest, compression="tiff_lzw")
    return buffer.getvalue()


def random_bytes(size: int = 4096, seed: int = 7) -> bytes:
    data = random.Random(seed).randbytes(size)
    # Never start by chance with a signature a reader would recognise.
    return b"\x00RND" + data


def zip_archive(files: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in (files or {"readme.txt": b"hello"}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx() -> bytes:
    """A minimal Word document: a zip with the parts Word expects."""
    return zip_archive(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
    )
