"""Photos in the formats of recent phones, HEIC/HEIF (iPhones), WebP and AVIF, are read
like any photo; a picture whose header claims more pixels than `limits.max_image_pixels`
is refused before it is decoded, whatever its format.

Every picture is made by the test: Pillow writes WebP and AVIF, pillow-heif HEIC.
"""

from __future__ import annotations

import dataclasses
import io
import struct
import time
import zlib

import docbuilder
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.documents import DocumentReader
from extractors.ocr import OcrEngine
from extractors.readers.base import sniff_format
from extractors.readers.images import ImageReader
from rpa.config import Settings, load_settings
from rpa.doctor import run_checks
from rpa.errors import ExtractionError
from rpa.models import Attachment, AttachmentStatus

FORMATS = ("HEIF", "WEBP", "AVIF")


def words(text: str) -> str:
    return " ".join(text.split())


def photo_of_a_letter(lines: list[str]) -> Image.Image:
    """A letter on a grey desk, photographed a little askew, in colour."""
    paper = Image.new("RGB", (1100, 160 + 90 * len(lines)), (247, 245, 240))
    draw = ImageDraw.Draw(paper)
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), 48)
    for number, line in enumerate(lines):
        draw.text((60, 80 + 90 * number), line, font=font, fill=(30, 30, 35))
    photo = Image.new("RGB", (1300, paper.height + 200), (95, 95, 100))
    photo.paste(paper.rotate(1.5, expand=True, fillcolor=(95, 95, 100)), (80, 80))
    return photo


def encoded(image: Image.Image, fmt: str) -> bytes:
    if fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()  # what lets Pillow write HEIC, for the test to make one
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=90)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header claims a grey picture of `width` x `height`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(bytes(width + 1) * 4)  # the first few rows only: nothing reads further
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One for the module: the OCR engine, which loads its models once, is shared."""
    home = tmp_path_factory.mktemp("home")
    return load_settings(environ={"RPA_HOME": str(home), "RPA_OCR_WORKERS": "2"})


@pytest.fixture(scope="module")
def engine(settings: Settings) -> OcrEngine:
    with OcrEngine(settings) as engine:
        yield engine


@pytest.fixture
def reader(settings: Settings, engine: OcrEngine) -> DocumentReader:
    return DocumentReader(settings, engine)


def attachment(filename: str, data: bytes, content_type: str = "application/octet-stream") -> Attachment:
    return Attachment(filename, content_type, len(data), data=data)


@pytest.mark.parametrize(("fmt", "expected"), [("HEIF", "heif"), ("WEBP", "webp"), ("AVIF", "avif")])
def test_each_format_is_known_by_its_first_bytes(fmt: str, expected: str) -> None:
    assert sniff_format(encoded(Image.new("RGB", (64, 48), "white"), fmt)[:64]) == expected


@pytest.mark.parametrize(
    "head",
    [b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00"],
    ids=["mp4", "quicktime"],
)
def test_a_video_is_not_taken_for_a_photo(head: bytes) -> None:
    assert sniff_format(head) is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_photo_of_a_letter_is_read(reader: DocumentReader, fmt: str) -> None:
    photo = photo_of_a_letter(["Déclaration de sinistre", "Contrat numéro AB-2024-117"])
    item = attachment(f"IMG_0042.{fmt.lower()}", encoded(photo, fmt))
    reader.read(item)
    assert item.status == AttachmentStatus.OK, item.error
    (page,) = item.pages
    assert page.ocr
    assert "Déclaration de sinistre" in words(page.text)
    assert "AB-2024-117" in words(page.text)


def test_an_iphone_photo_declared_as_heic_is_read(reader: DocumentReader) -> None:
    data = encoded(photo_of_a_letter(["Facture F-2025-0012"]), "HEIF")
    item = attachment("IMG_0042.HEIC", data, "image/heic")
    reader.read(item)
    assert item.status == AttachmentStatus.OK and "F-2025-0012" in words(item.pages[0].text)


@pytest.mark.parametrize("fmt", [*FORMATS, "PNG", "JPEG"])
def test_a_picture_over_the_pixel_limit_is_refused_in_every_format(
    settings: Settings, engine: OcrEngine, fmt: str
) -> None:
    limited = dataclasses.replace(
        settings, limits=dataclasses.replace(settings.limits, max_image_pixels=100_000)
    )
    data = encoded(Image.new("RGB", (400, 300), "white"), fmt)
    with pytest.raises(ExtractionError) as refused:
        ImageReader(limited, engine).read(f"photo.{fmt.lower()}", data)
    assert refused.value.reason == (
        "the picture is 400 x 300 pixels, over the limit of 100,000 (limits.max_image_pixels): "
        "not decoded, as it could be a decompression bomb"
    )


def test_a_pixel_bomb_is_an_error_with_its_reason_and_is_never_decoded(reader: DocumentReader) -> None:
    bomb = png_claiming(8_000, 8_000)  # 64 million pixels in a few hundred bytes
    item = attachment("photo.png", bomb, "image/png")
    started = time.monotonic()
    reader.read(item)
    assert time.monotonic() - started < 2  # decoding it would take seconds and 64 MB
    assert item.status == AttachmentStatus.ERROR
    assert item.error == (
        "the picture is 8,000 x 8,000 pixels, over the limit of 50,000,000 (limits.max_image_pixels): "
        "not decoded, as it could be a decompression bomb"
    )


def test_a_bomb_beyond_what_pillow_itself_allows_is_an_error_too(reader: DocumentReader) -> None:
    item = attachment("photo.png", png_claiming(60_000, 60_000), "image/png")
    reader.read(item)
    assert item.status == AttachmentStatus.ERROR
    assert item.error.startswith(
        "image too large to decode safely: Image size (3600000000 pixels) exceeds limit"
    )


def test_a_tiff_frame_over_the_limit_is_refused_and_the_others_read(
    settings: Settings, tesseract: str
) -> None:
    limited = dataclasses.replace(
        settings, limits=dataclasses.replace(settings.limits, max_image_pixels=1_500_000)
    )
    frames = [
        docbuilder.scan_image(["Télécopie page 1", "Dossier 88412"], dpi=100),  # 827 x 1169
        docbuilder.scan_image(["Télécopie page 2"], dpi=150),  # 1240 x 1754: over
    ]
    with OcrEngine(limited) as engine:
        text = ImageReader(limited, engine).read("fax.tif", docbuilder.multipage_tiff(frames))
    assert "Dossier 88412" in words(text.pages[0].text)
    assert text.notes == (
        "page 2: the picture is 1,240 x 1,754 pixels, over the limit of 1,500,000 (limits.max_image_pixels): "
        "not decoded, as it could be a decompression bomb",
    )


def test_rpa_doctor_says_whether_heic_photos_can_be_read(settings: Settings) -> None:
    checks = {check.name: check for check in run_checks(settings)}
    assert checks["package:pillow_heif"].ok
    assert checks["package:pillow_heif"].detail == "for iPhone photos (HEIC/HEIF)"


def test_bytes_that_are_no_picture_are_an_error_in_words_a_reader_understands(
    settings: Settings, engine: OcrEngine
) -> None:
    with pytest.raises(ExtractionError) as refused:
        ImageReader(settings, engine).read("photo.jpg", b"GIF87a? not really" * 20)
    assert refused.value.reason == "not a readable picture: its format is unknown or its header is damaged"
