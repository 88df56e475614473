"""Pictures too small or too thin to hold text, and PDF pages that would render as slivers,
are not OCRed: the document says so and keeps everything else. Engines enlarge small
pictures within bounds. (Real engines and real files built here; the memory of a read
is measured in a fresh process.)"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import docbuilder
import pytest
from conftest import ROOT, with_ocr
from PIL import Image, ImageDraw, ImageFont

from extractors.documents import DocumentReader
from extractors.ocr import OcrEngine, OcrResult, Recogniser
from extractors.readers.images import ImageReader
from extractors.readers.pdf import PdfReader
from extractors.tesseract import prepare_image
from rpa.config import Settings, load_settings
from rpa.errors import ConfigError
from rpa.models import Attachment, AttachmentStatus

SPACER_NOTE = (
    "page 1: not read: the picture is 400 x 1 pixels, too small to hold text (ocr.min_picture_side is 32)"
)
A4_TEXT = (595, 842, "Facture FA-2025-0193 Total TTC 1 842,50 EUR")


class WatchedEngine(OcrEngine):
    """The real engines, remembering the pictures it was handed and the engines it chose."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.pictures: list[tuple[int, int]] = []
        self.used: list[str] = []
        self._lock = threading.Lock()

    def ocr(self, image: Image.Image, photo: bool = False) -> OcrResult:
        with self._lock:
            self.pictures.append(image.size)
        return super().ocr(image, photo)

    def recogniser(self, photo: bool = False) -> Recogniser:
        chosen = super().recogniser(photo)
        with self._lock:
            self.used.append(chosen.name)
        return chosen


@pytest.fixture
def engine(settings: Settings) -> WatchedEngine:
    with WatchedEngine(settings) as engine:
        yield engine


def spacer_gif(size: tuple[int, int] = (400, 1)) -> bytes:
    return docbuilder.image_bytes(Image.new("P", size, 0), "GIF")


def printed_line(size: tuple[int, int], text: str = "Dossier 88412") -> Image.Image:
    """One line of print filling a small picture, as in a mail's signature."""
    picture = Image.new("RGB", size, "white")
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), round(size[1] * 0.6))
    ImageDraw.Draw(picture).text((4, size[1] * 0.15), text, font=font, fill="black")
    return picture


def strip_of_lines(size: tuple[int, int], count: int) -> Image.Image:
    """A narrow strip of short lines, one every 40 pixels: a till receipt cut lengthwise."""
    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), 14)
    for number in range(count):
        draw.text((4, 10 + 40 * number), f"A{number:03d} 9.90", font=font, fill="black")
    return picture


_READ_AND_MEASURE = """
import json, resource, sys
from pathlib import Path
from extractors.ocr import OcrEngine
from extractors.readers.registry import READERS
from rpa.config import load_settings

path, home, reader_name = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
settings = load_settings(environ={"RPA_HOME": home})
data = path.read_bytes()
with OcrEngine(settings) as engine:
    reader = READERS[reader_name](settings, engine)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = reader.read(path.name, data)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pages = [page.text for page in text.pages]
print(json.dumps({"pages": pages, "notes": list(text.notes), "grew_mb": (after - before) / 1024}))
"""


def read_in_a_fresh_process(tmp_path: Path, name: str, data: bytes, reader: str) -> dict:
    """What `reader` read from the file, and how far the reading raised the peak resident
    memory of a process that did nothing else (ru_maxrss: the kernel's own count)."""
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", _READ_AND_MEASURE, str(path), str(tmp_path / "home"), reader],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


# -- Pictures ---------------------------------------------------------------------------------


def test_a_400_by_1_spacer_gif_goes_to_no_engine_and_the_document_says_why(
    settings: Settings, engine: WatchedEngine
) -> None:
    text = ImageReader(settings, engine).read("spacer.gif", spacer_gif())
    assert [page.text for page in text.pages] == [""]
    assert text.notes == (SPACER_NOTE,)
    assert engine.used == []


def test_reading_a_spacer_gif_leaves_the_memory_where_it_was(tmp_path: Path) -> None:
    # Before: RapidOCR made it 12,000 x 3,000 pixels for its detector, 4.9 GB and 41 s.
    read = read_in_a_fresh_process(tmp_path, "spacer.gif", spacer_gif(), "image")
    assert read["pages"] == [""]
    assert read["notes"] == [SPACER_NOTE]
    assert read["grew_mb"] < 50


def test_a_spacer_attached_to_a_mail_is_read_with_a_note_not_an_error(
    settings: Settings, engine: WatchedEngine
) -> None:
    data = spacer_gif()
    attachment = Attachment(filename="image001.gif", content_type="image/gif", size=len(data), data=data)
    DocumentReader(settings, engine).read(attachment)
    assert attachment.status == AttachmentStatus.OK
    assert attachment.error == f"no text found; {SPACER_NOTE}"


@pytest.mark.parametrize(
    ("size", "why"),
    [
        ((1, 1), "1 x 1 pixels, too small to hold text (ocr.min_picture_side is 32)"),
        ((31, 600), "31 x 600 pixels, too small to hold text (ocr.min_picture_side is 32)"),
        ((2000, 20), "2,000 x 20 pixels, too small to hold text (ocr.min_picture_side is 32)"),
        ((40, 2100), "40 x 2,100 pixels, too thin to hold text (ocr.max_picture_aspect is 50)"),
    ],
)
def test_pictures_too_small_or_too_thin_to_hold_text_are_not_read(
    settings: Settings, engine: WatchedEngine, size: tuple[int, int], why: str
) -> None:
    data = docbuilder.image_bytes(Image.new("RGB", size, "white"), "PNG")
    text = ImageReader(settings, engine).read("pixel.png", data)
    assert text.notes == (f"page 1: not read: the picture is {why}",)
    assert engine.used == []


def test_the_smallest_picture_that_may_hold_text_is_set_in_the_settings(
    settings: Settings, tesseract: str
) -> None:
    tiny = with_ocr(settings, min_picture_side=8, engine="tesseract")
    with WatchedEngine(tiny) as engine:
        text = ImageReader(tiny, engine).read(
            "line.png", docbuilder.image_bytes(printed_line((300, 20)), "PNG")
        )
    assert engine.used == ["tesseract"]
    assert text.notes == ()


def test_a_short_line_of_print_in_a_small_picture_is_read_by_tesseract(
    settings: Settings, engine: WatchedEngine, tesseract: str
) -> None:
    """A signature's image, even a JPEG: under 100,000 pixels it is no photographed document."""
    for name, fmt in [("signature.png", "PNG"), ("signature.jpg", "JPEG")]:
        (page,) = (
            ImageReader(settings, engine)
            .read(name, docbuilder.image_bytes(printed_line((300, 40)), fmt))
            .pages
        )
        assert page.ocr and "Dossier 88412" in page.text
    assert engine.used == ["tesseract", "tesseract"]


def test_a_short_line_of_print_in_a_small_picture_is_still_read_by_rapidocr(settings: Settings) -> None:
    rapid = with_ocr(settings, engine="rapidocr")
    data = docbuilder.image_bytes(printed_line((300, 40)), "PNG")
    with WatchedEngine(rapid) as engine:
        (page,) = ImageReader(rapid, engine).read("signature.png", data).pages
    assert engine.used == ["rapidocr"]
    assert page.ocr and "Dossier 88412" in page.text
    # Read on a larger white canvas, the line's box is still given on the picture: top to bottom.
    (line,) = page.spans
    left, top, right, bottom = line.box
    assert left < 0.1 and top < 0.3 and right > 0.5 and bottom > 0.7


def test_a_fax_with_a_spacer_page_keeps_its_other_pages(
    settings: Settings, engine: WatchedEngine, tesseract: str
) -> None:
    scan = docbuilder.scan_image(["Télécopie", "Dossier 88412"], dpi=150)
    fax = docbuilder.multipage_tiff([scan, Image.new("L", (400, 1), 255)])
    text = ImageReader(settings, engine).read("fax.tif", fax)
    assert "Dossier 88412" in text.pages[0].text
    assert text.pages[1].text == ""
    assert text.notes == (SPACER_NOTE.replace("page 1", "page 2"),)
    assert engine.used == ["tesseract"]


def test_a_narrow_strip_photo_is_read_in_bounded_memory(tmp_path: Path) -> None:
    # Before: RapidOCR's detector enlarged it 7.4 times, to 736 x 14,720 pixels: 2 GB and 9 s.
    data = docbuilder.image_bytes(strip_of_lines((100, 2000), 49), "PNG")
    read = read_in_a_fresh_process(tmp_path, "strip.png", data, "image")
    lines = read["pages"][0].splitlines()
    assert lines[:2] == ["A000 9.90", "A001 9.90"]
    # Every line read, whatever space the runtime's precision puts between its two words.
    assert [line.replace(" ", "") for line in lines] == [f"A{n:03d}9.90" for n in range(49)]
    assert read["grew_mb"] < 1200  # the models' own 300 MB included


def test_tesseract_enlarges_a_small_picture_but_not_past_the_pixel_budget() -> None:
    assert prepare_image(Image.new("L", (800, 600), 255)).size == (1200, 900)
    assert prepare_image(Image.new("L", (900, 12_000), 255)).size == (900, 12_000)


# -- PDF pages --------------------------------------------------------------------------------


def test_a_pdf_page_3_points_wide_is_not_rendered_and_the_other_pages_are_read(
    settings: Settings, engine: WatchedEngine
) -> None:
    data = docbuilder.sized_pdf([A4_TEXT, (3, 800, "")])
    text = PdfReader(settings, engine).read("sliver.pdf", data)
    assert "Facture FA-2025-0193" in text.pages[0].text
    assert text.pages[1].text == ""
    assert text.notes == (
        "page 2: not rendered for OCR: the page would be 12 x 3,333 pixels, too small to hold text "
        "(ocr.min_picture_side is 32)",
    )
    assert engine.pictures == []


def test_a_page_squeezed_into_the_pixel_budget_as_a_sliver_is_not_rendered(tmp_path: Path) -> None:
    # Before: rendered 4 x 12,015,351 pixels, then enlarged for Tesseract: 1.9 GB.
    read = read_in_a_fresh_process(tmp_path, "tall.pdf", docbuilder.sized_pdf([(595, 2**31, "")]), "pdf")
    assert read["pages"] == [""]
    assert read["notes"] == [
        "page 1: not rendered for OCR: the page would be 2 x 7,947,407 pixels, too small to hold text "
        "(ocr.min_picture_side is 32)"
    ]
    assert read["grew_mb"] < 50


def test_a_page_too_large_to_render_legibly_within_the_pixel_budget_is_not_rendered(
    settings: Settings, engine: WatchedEngine
) -> None:
    text = PdfReader(settings, engine).read(
        "poster.pdf", docbuilder.sized_pdf([A4_TEXT, (20_000, 20_000, "")])
    )
    assert text.notes == (
        "page 2: not rendered for OCR: the page is 278 x 278 inches: within 17,500,000 pixels "
        "it would be rendered at 15 dpi, too coarse to read",
    )
    assert engine.pictures == []


def test_a_thin_page_within_bounds_is_still_rendered_for_ocr(
    settings: Settings, engine: WatchedEngine, tesseract: str
) -> None:
    data = docbuilder.sized_pdf([(60, 800, "")])  # a 2 cm strip
    PdfReader(settings, engine).read("strip.pdf", data)
    assert engine.pictures == [(251, 3334)]  # 300 dpi, PDFium rounding up
    assert engine.used == ["tesseract"]


# -- Settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("RPA_OCR_MIN_PICTURE_SIDE", "0", "min_picture_side must be between 1 and 1000 pixels, not 0"),
        ("RPA_OCR_MIN_PICTURE_SIDE", "5000", "min_picture_side must be between 1 and 1000 pixels, not 5000"),
        ("RPA_OCR_MAX_PICTURE_ASPECT", "0.5", "max_picture_aspect must be at least 1, not 0.5"),
    ],
)
def test_picture_size_settings_out_of_range_are_refused_when_the_settings_load(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={"RPA_HOME": str(tmp_path), variable: value})
