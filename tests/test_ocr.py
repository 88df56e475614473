"""OCR with the real Tesseract, and pictures of documents."""

from __future__ import annotations

import os
from pathlib import Path

import docbuilder
import pytest
from conftest import with_ocr
from PIL import Image, ImageChops, ImageDraw, ImageFont

from extractors.ocr import OcrEngine
from extractors.readers.images import ImageReader
from extractors.tesseract import TesseractRecogniser, prepare_image, tesseract_status
from rpa.config import OcrSettings, Settings
from rpa.errors import ConfigError, OcrError


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def engine(settings: Settings, tesseract: str) -> OcrEngine:
    with OcrEngine(with_ocr(settings, workers=2)) as engine:
        yield engine


@pytest.fixture
def images(settings: Settings, engine: OcrEngine) -> ImageReader:
    return ImageReader(settings, engine)


def test_a_rotated_noisy_jpeg_scan_at_200_dpi_is_read(images: ImageReader) -> None:
    scan = docbuilder.scan_image(docbuilder.CLAIM_LINES, dpi=200, angle=-2.5, noise=0.15)
    (page,) = images.read("scan.jpg", docbuilder.image_bytes(scan, "JPEG", quality=70)).pages
    text = words(page.text)
    assert page.ocr
    assert "Déclaration de sinistre" in text
    assert "AB-2024-117" in text
    assert "1 842,50 €" in text


def test_a_three_page_tiff_gives_three_pages(images: ImageReader) -> None:
    frames = [docbuilder.scan_image([f"Télécopie page {n}", "Dossier 88412"], dpi=150) for n in (1, 2, 3)]
    pages = images.read("fax.tif", docbuilder.multipage_tiff(frames)).pages
    assert [page.number for page in pages] == [1, 2, 3]
    assert [f"page {n}" in words(page.text) for n, page in enumerate(pages, start=1)] == [True] * 3


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "BMP", "WEBP"])
def test_every_common_picture_format_is_read(images: ImageReader, fmt: str) -> None:
    scan = docbuilder.scan_image(["Avis de sinistre", "Assurance habitation"], dpi=150)
    (page,) = images.read(f"scan.{fmt.lower()}", docbuilder.image_bytes(scan, fmt)).pages
    assert "Avis de sinistre" in words(page.text)


def test_black_text_on_a_transparent_background_is_read(images: ImageReader) -> None:
    picture = Image.new("RGBA", (1400, 300), (0, 0, 0, 0))
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), 48)
    ImageDraw.Draw(picture).text((60, 100), "Attestation de domicile", font=font, fill=(0, 0, 0, 255))
    (page,) = images.read("logo.png", docbuilder.image_bytes(picture, "PNG")).pages
    assert "Attestation de domicile" in words(page.text)


def test_ocr_of_four_pages_on_two_workers_returns_them_in_page_order(engine: OcrEngine) -> None:
    names = ["premier", "deuxième", "troisième", "quatrième"]
    pages = [docbuilder.scan_image([f"Le {name} feuillet"], dpi=150) for name in names]
    results = engine.ocr_many(pages)
    assert engine.workers == 2
    assert [words(result.text) for result in results] == [f"Le {name} feuillet" for name in names]


def test_a_missing_language_is_an_ocr_error_naming_it(settings: Settings, tesseract: str) -> None:
    with OcrEngine(with_ocr(settings, languages="fra+xyz")) as engine:
        with pytest.raises(OcrError, match="xyz") as caught:
            engine.ocr(docbuilder.scan_image(["Bonjour"], dpi=100))
    assert "apt-get install tesseract-ocr-xyz" in caught.value.reason


def test_a_missing_tesseract_is_an_ocr_error_saying_how_to_install_it(
    settings: Settings, tmp_path: Path
) -> None:
    missing = with_ocr(settings, tesseract_cmd=str(tmp_path / "no-tesseract"))
    with OcrEngine(missing) as engine:
        assert not engine.is_available()
        with pytest.raises(OcrError, match="apt-get install tesseract-ocr tesseract-ocr-fra"):
            engine.ocr(docbuilder.scan_image(["Bonjour"], dpi=100))


def test_a_page_that_takes_too_long_is_given_up(settings: Settings, tmp_path: Path) -> None:
    # A real program in tesseract's place, which answers the checks and then hangs.
    slow = tmp_path / "tesseract"
    slow.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        "  --version) echo 'tesseract 5.3.0' ;;\n"
        "  --list-langs) printf 'List of available languages (2):\\neng\\nfra\\n' ;;\n"
        "  *) exec sleep 30 ;;\n"
        "esac\n"
    )
    slow.chmod(0o755)
    with OcrEngine(with_ocr(settings, tesseract_cmd=str(slow), timeout_seconds=1)) as engine:
        with pytest.raises(OcrError, match="gave up after 1 s"):
            engine.ocr(docbuilder.scan_image(["Bonjour"], dpi=100))


def test_tesseract_status_lists_english_and_french(settings: Settings, tesseract: str) -> None:
    status = tesseract_status(settings)
    assert status.available and status.version.startswith("tesseract")
    assert {"eng", "fra"} <= set(status.languages)
    assert status.missing_languages == () and status.reason is None


def test_tesseract_status_says_which_languages_are_missing(settings: Settings, tesseract: str) -> None:
    status = tesseract_status(with_ocr(settings, languages="fra+xyz"))
    assert status.available
    assert status.missing_languages == ("xyz",)
    assert "tesseract-ocr-xyz" in status.reason


def test_each_tesseract_process_runs_on_one_thread(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    with OcrEngine(settings):
        assert os.environ["OMP_THREAD_LIMIT"] == "1"


def test_a_small_picture_is_enlarged_and_turned_grey_before_ocr() -> None:
    small = prepare_image(Image.new("RGB", (800, 600), "white"))
    page = prepare_image(Image.new("RGB", (2480, 3508), "white"))
    assert (small.mode, small.size) == ("L", (1200, 900))
    assert (page.mode, page.size) == ("L", (2480, 3508))


def test_a_fax_in_group_4_compressed_tiff_is_read(images: ImageReader) -> None:
    # Tesseract's own TIFF reader rejects some G4 files; the page is re-encoded before OCR.
    scan = docbuilder.scan_image(["Télécopie", "Dossier 88412"], dpi=200).convert("1")
    (page,) = images.read("fax.tif", docbuilder.image_bytes(scan, "TIFF", compression="group4")).pages
    assert "Dossier 88412" in words(page.text)


def faint_receipt_on_a_dark_table(width: int = 760, height: int = 1400) -> Image.Image:
    """A till receipt in pale grey print, photographed on a dark table: the dark
    surround pulls Tesseract's global threshold below the print, which then reads
    as nothing at all unless the surround is painted over."""
    picture = Image.new("L", (width, height), 12)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((70, 50, width - 70, height - 50), fill=238)
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), 26)
    lines = ["KEDAI RUNCIT MAJU SDN BHD", "DATE: 09/05/2018", "2 X MILO 12.40", "TOTAL RM 24.80"]
    for number, line in enumerate(lines):
        draw.text((110, 120 + 120 * number), line, font=font, fill=185)
    return picture


def test_a_faint_receipt_photographed_on_a_dark_table_is_read(images: ImageReader) -> None:
    (page,) = images.read("receipt.png", docbuilder.image_bytes(faint_receipt_on_a_dark_table(), "PNG")).pages
    text = words(page.text)
    assert "KEDAI RUNCIT MAJU SDN BHD" in text
    assert "TOTAL RM 24.80" in text


def test_the_dark_surround_is_painted_the_papers_shade_and_the_print_kept() -> None:
    prepared = prepare_image(faint_receipt_on_a_dark_table())
    assert prepared.getpixel((5, 5)) == prepared.getpixel((5, 1300)) == 238  # was 12
    assert prepared.crop((100, 110, 660, 600)).getextrema()[0] < 200  # the print is still there
    scan = docbuilder.scan_image(["Avis de sinistre"], dpi=150)
    assert ImageChops.difference(prepare_image(scan), scan.convert("L")).getbbox() is None


class RecordingTesseract(TesseractRecogniser):
    """The real Tesseract, remembering the options of each page."""

    def __init__(self, settings: OcrSettings) -> None:
        super().__init__(settings)
        self.options: list[str] = []

    def _tesseract(self, path: str, output: str, options: str) -> tuple[str, str]:
        self.options.append(options)
        return super()._tesseract(path, output, options)


def test_a_receipt_is_read_as_one_block_and_a_page_by_its_layout(settings: Settings, tesseract: str) -> None:
    receipt, page = faint_receipt_on_a_dark_table(), docbuilder.scan_image(["Avis de sinistre"], dpi=150)
    engine = RecordingTesseract(settings.ocr)
    assert "TOTAL RM 24.80" in words(engine.read(receipt).text)  # with its dark surround painted over
    engine.read(page)
    assert [options.split()[:2] for options in engine.options] == [["--psm", "6"], ["--psm", "3"]]
    engine = RecordingTesseract(with_ocr(settings, page_segmentation=4).ocr)
    assert "TOTAL RM 24.80" in words(engine.read(receipt).text)
    assert engine.options[0].startswith("--psm 4")


def test_a_page_segmentation_tesseract_does_not_have_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError, match=r"\[ocr\] page_segmentation must be 0 \(chosen per page\) or"):
        with_ocr(settings, page_segmentation=14)


def test_a_dark_banner_at_the_top_edge_keeps_the_name_printed_in_white_on_it(images: ImageReader) -> None:
    page = Image.new("L", (1400, 1000), 250)
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1399, 180), fill=20)
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), 56)
    draw.text((80, 55), "GARAGE DU CENTRE", font=font, fill=255)
    draw.text((80, 400), "Facture 2025-118", font=font, fill=0)
    prepared = prepare_image(page)
    assert prepared.getpixel((10, 10)) == 20  # the banner is not painted over
    (read,) = images.read("letterhead.png", docbuilder.image_bytes(page, "PNG")).pages
    assert "GARAGE DU CENTRE" in words(read.text)
