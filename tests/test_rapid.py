"""RapidOCR reads photographs; Tesseract reads scanned pages (real engines, no fakes)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import docbuilder
import numpy as np
import pytest
from conftest import ROOT, with_ocr
from PIL import Image, ImageDraw, ImageFont

from extractors.ocr import OcrEngine, Recogniser
from extractors.rapid import RapidRecogniser, rapidocr_options, rapidocr_status
from extractors.rapidstages import kept_classes
from extractors.readers.images import ImageReader, is_photograph
from extractors.readers.pdf import PdfReader
from rpa.config import Settings, load_settings
from rpa.errors import ConfigError, OcrError

RECEIPT = [
    ("KEDAI RUNCIT MAJU SDN BHD", ""),
    ("Date: 09/05/2018 10:22", ""),
    ("MILO 2 X 6.20", "12.40"),
    ("ROTI CANAI", "12.40"),
    ("TOTAL", "RM 24.80"),
    ("CASH", "RM 50.00"),
]


TICKET = [
    ("BOULANGERIE DU MARCHÉ SARL", ""),
    ("Date : 09/05/2018 10:22", ""),
    ("2 CAFÉS CRÈME", "5,60"),
    ("PAIN AU CHOCOLAT", "1,40"),
    ("TOTAL TTC", "7,00 €"),
    ("ESPÈCES", "10,00 €"),
]


def receipt_photo(angle: float = 2.5, lines: list[tuple[str, str]] = RECEIPT) -> Image.Image:
    """A till receipt on a grey table, photographed askew: amounts at the right edge."""
    paper = Image.new("RGB", (640, 900), (246, 244, 238))
    draw = ImageDraw.Draw(paper)
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), 26)
    for number, (label, amount) in enumerate(lines):
        y = 60 + 70 * number
        draw.text((40, y), label, font=font, fill=(40, 40, 40))
        if amount:
            draw.text((600 - draw.textlength(amount, font=font), y), amount, font=font, fill=(40, 40, 40))
    photo = Image.new("RGB", (900, 1200), (90, 90, 95))
    photo.paste(paper.rotate(angle, expand=True, fillcolor=(90, 90, 95)), (120, 120))
    return photo


class RecordingEngine(OcrEngine):
    """The real engines, remembering which one read each page."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.used: list[str] = []
        self._lock = threading.Lock()

    def recogniser(self, photo: bool = False) -> Recogniser:
        chosen = super().recogniser(photo)
        with self._lock:
            self.used.append(chosen.name)
        return chosen


def test_a_tilted_receipt_photo_is_read_with_each_amount_on_its_labels_line(
    settings: Settings, tesseract: str
) -> None:
    with OcrEngine(settings) as engine:
        data = docbuilder.image_bytes(receipt_photo(), "JPEG")
        (page,) = ImageReader(settings, engine).read("receipt.jpg", data).pages
    lines = [" ".join(line.split()) for line in page.text.splitlines()]
    assert "KEDAI RUNCIT MAJU SDN BHD" in lines
    assert "TOTAL RM 24.80" in lines
    assert "CASH RM 50.00" in lines
    assert any(line.startswith("Date: 09/05/2018") for line in lines)


def test_photos_go_to_rapidocr_and_scanned_pages_to_tesseract(settings: Settings, tesseract: str) -> None:
    scan = docbuilder.scan_image(["Avis de sinistre", "Dossier 88412"], dpi=150)
    with RecordingEngine(settings) as engine:
        ImageReader(settings, engine).read("receipt.jpg", docbuilder.image_bytes(receipt_photo(), "JPEG"))
        ImageReader(settings, engine).read("fax.tif", docbuilder.multipage_tiff([scan]))
        (page,) = PdfReader(settings, engine).read("scan.pdf", docbuilder.image_pdf([scan])).pages
    assert engine.used == ["rapidocr", "tesseract", "tesseract"]
    assert "Dossier 88412" in page.text


def test_screenshots_drawings_and_logos_go_to_tesseract(settings: Settings, tesseract: str) -> None:
    """Lossless pictures are rendered text, and a JPEG under 100,000 pixels is a logo or a
    banner: none is a photographed document, and Tesseract reads them."""
    screen = docbuilder.scan_image(["Panier : 793,70 EUR", "Commande 88412"], dpi=100)
    logo = docbuilder.scan_image(["Dossier 88412"], dpi=100).crop((0, 0, 500, 180))
    pictures = [("screen.png", screen, "PNG"), ("chart.gif", screen, "GIF"), ("logo.jpg", logo, "JPEG")]
    with RecordingEngine(settings) as engine:
        pages = [
            ImageReader(settings, engine).read(name, docbuilder.image_bytes(picture, fmt)).pages[0]
            for name, picture, fmt in pictures
        ]
    assert engine.used == ["tesseract"] * 3
    assert ["88412" in page.text for page in pages] == [True] * 3


@pytest.mark.parametrize(
    ("fmt", "size", "photograph"),
    [
        ("JPEG", (900, 1200), True),
        ("MPO", (4032, 3024), True),
        ("HEIF", (4032, 3024), True),
        ("WEBP", (640, 480), True),
        ("JPEG", (316, 316), False),
        ("PNG", (1366, 768), False),
        ("GIF", (1005, 558), False),
        ("TIFF", (2480, 3508), False),
    ],
)
def test_a_photograph_is_a_cameras_picture_of_a_photos_size(
    fmt: str, size: tuple[int, int], photograph: bool
) -> None:
    picture = Image.new("RGB", size)
    picture.format = fmt  # what Pillow says of an opened file
    assert is_photograph(picture) is photograph


@pytest.mark.parametrize("name", ["tesseract", "rapidocr"])
def test_the_engine_setting_sends_every_page_to_that_engine(
    settings: Settings, tesseract: str, name: str
) -> None:
    chosen = with_ocr(settings, engine=name)
    scan = docbuilder.scan_image(["Avis de sinistre", "Dossier 88412"], dpi=300)
    with RecordingEngine(chosen) as engine:
        data = docbuilder.image_bytes(receipt_photo(0), "PNG")
        (photo,) = ImageReader(chosen, engine).read("receipt.png", data).pages
        (page,) = PdfReader(chosen, engine).read("scan.pdf", docbuilder.image_pdf([scan])).pages
    assert engine.used == [name, name]
    assert "RM 24.80" in photo.text  # Tesseract reads the amounts' column after the labels
    assert "Dossier 88412" in page.text


def test_an_unknown_engine_is_a_config_error_listing_the_choices(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="auto, tesseract, rapidocr.*'easyocr'"):
        with_ocr(settings, engine="easyocr")


def test_photos_are_read_side_by_side_in_their_order(settings: Settings) -> None:
    photos = [receipt_photo(angle) for angle in (0, 1.5, -1.5)]
    with OcrEngine(with_ocr(settings, workers=2)) as engine:
        results = engine.ocr_many(photos, photo=True)
    assert ["TOTAL RM 24.80" in " ".join(result.text.split()) for result in results] == [True] * 3


def test_without_rapidocr_a_photo_is_an_ocr_error_saying_how_to_install_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # what a missing package looks like to import
    with pytest.raises(OcrError, match="pip install rapidocr onnxruntime"):
        RapidRecogniser(settings.ocr).read(receipt_photo())


def test_without_openvino_a_photo_is_an_ocr_error_naming_the_other_runtime(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openvino", None)
    with pytest.raises(OcrError, match='install openvino, or set .* photo_runtime = "onnxruntime"'):
        RapidRecogniser(with_ocr(settings, photo_runtime="openvino").ocr).read(receipt_photo())


def test_rapidocr_status_names_its_version_and_runtimes(settings: Settings) -> None:
    status = rapidocr_status(with_ocr(settings, photo_runtime="openvino").ocr)
    assert status.available
    assert all(name in status.version for name in ("rapidocr 3.", "onnxruntime", "openvino"))
    assert "openvino" in rapidocr_status().version  # the default runtime
    without = rapidocr_status(with_ocr(settings, photo_runtime="onnxruntime").ocr)
    assert "openvino" not in without.version


# A receipt's lines and those of them the OCR must read exactly.
EACH_RECEIPT = pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (RECEIPT, ["KEDAI RUNCIT MAJU SDN BHD", "TOTAL RM 24.80", "CASH RM 50.00"]),
        (TICKET, ["BOULANGERIE DU MARCHÉ SARL", "TOTAL TTC 7,00 €", "ESPÈCES 10,00 €"]),
    ],
    ids=["en", "fr"],
)


def read_lines(settings: Settings, photo: Image.Image) -> list[str]:
    with OcrEngine(settings) as engine:
        result = engine.ocr(photo, photo=True)
    return [" ".join(line.split()) for line in result.text.splitlines()]


@EACH_RECEIPT
def test_a_large_photo_shrunk_to_find_its_lines_is_read_as_from_the_whole_photo(
    settings: Settings, lines: list[tuple[str, str]], expected: list[str]
) -> None:
    small = receipt_photo(1.5, lines)
    photo = small.resize((small.width * 3, small.height * 3), Image.Resampling.BICUBIC)  # a 12 Mpx phone
    shrunk = read_lines(with_ocr(settings, photo_detection_side=640), photo)
    whole = read_lines(with_ocr(settings, photo_detection_side=0), photo)
    for line in expected:
        assert line in shrunk
        assert line in whole


@pytest.mark.parametrize("side", ["100", "5000", "-1"])
def test_a_photo_detection_side_out_of_range_is_refused_when_the_settings_load(
    tmp_path: Path, side: str
) -> None:
    with pytest.raises(ConfigError, match=f"photo_detection_side .* not {side}"):
        load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_OCR_PHOTO_DETECTION_SIDE": side})


def test_photo_detection_side_zero_looks_for_lines_on_the_whole_photo(settings: Settings) -> None:
    whole = rapidocr_options(with_ocr(settings, photo_detection_side=0).ocr)
    shrunk = rapidocr_options(with_ocr(settings, photo_detection_side=1280).ocr)
    assert (whole["Det.limit_type"], whole["Det.limit_side_len"]) == ("min", 736)  # RapidOCR's own
    assert (shrunk["Det.limit_type"], shrunk["Det.limit_side_len"]) == ("max", 1280)


@pytest.mark.parametrize("runtime", ["openvino", "onnxruntime"])
@EACH_RECEIPT
def test_either_photo_runtime_reads_a_receipt_photo_with_its_accents(
    settings: Settings, runtime: str, lines: list[tuple[str, str]], expected: list[str]
) -> None:
    read = read_lines(with_ocr(settings, photo_runtime=runtime), receipt_photo(1.5, lines))
    for line in expected:
        assert line in read


def test_an_unknown_photo_runtime_is_refused_when_the_settings_load(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="photo_runtime must be one of openvino, onnxruntime, not 'paddle'"):
        load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_OCR_PHOTO_RUNTIME": "paddle"})


def test_a_reader_frees_its_networks_buffers_between_photos_and_reads_the_next_alike(
    settings: Settings,
) -> None:
    from rpa.memory import return_freed_memory

    recogniser = RapidRecogniser(settings.ocr)  # OpenVINO, as rpa runs it
    large = receipt_photo().resize((1800, 2400))
    first = recogniser.read(large).text
    return_freed_memory()
    holding = resident_mb()
    recogniser.release_memory()
    return_freed_memory()
    assert resident_mb() < holding - 100  # 1.8 x 2.4 k pixels: OpenVINO's buffers are 300 MB and more
    assert recogniser.read(large).text == first


def resident_mb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) // 1024


def test_lines_read_in_parts_of_few_columns_give_the_same_text(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractors import rapidvino

    photo = receipt_photo()
    whole = RapidRecogniser(settings.ocr).read(photo).text
    monkeypatch.setattr(rapidvino, "REC_COLUMNS", 200)  # one line a call: its buffers are one line's
    assert RapidRecogniser(settings.ocr).read(photo).text == whole
    assert "RM 24.80" in whole


def text_banner() -> Image.Image:
    """A wide picture of long lines of small print, as spam and newsletters send: its lines take
    the recogniser as much memory as the detector needs for the whole picture."""
    picture = Image.new("RGB", (1000, 360), "white")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), 16)
    for number in range(14):
        line = f"Line {number}: the claim 2024-{number:03d} was received on 09/05/2018, total RM {number}4.80 paid"
        draw.text((10, 8 + 25 * number), line, font=font, fill="black")
    return picture


def test_a_frugal_reader_peaks_at_its_larger_network_and_reads_alike() -> None:
    """The photo service's reader frees the detector's buffers before the lines are read. With
    every character of the recogniser, whose buffers are then as large as the detector's,
    measured: 830 MB at the peak against 1,170 MB (reading Latin only, 810 against 850)."""
    script = (
        "import sys\n"
        "from test_rapid import text_banner\n"
        "from extractors.rapid import RapidRecogniser\n"
        "from rpa.config import OcrSettings\n"
        "reader = RapidRecogniser(OcrSettings(photo_characters='all'), frugal=sys.argv[1] == 'frugal')\n"
        "text = reader.read(text_banner()).text\n"
        "peak = next(line for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
        "print(int(peak.split()[1]) // 1024, text.replace(chr(10), '|'))\n"
    )
    environ = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    peaks, texts = {}, {}
    for mode in ("frugal", "holding"):
        done = subprocess.run(
            [sys.executable, "-c", script, mode],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            check=True,
        )
        peak, texts[mode] = done.stdout.strip().split(" ", 1)
        peaks[mode] = int(peak)
    assert texts["frugal"] == texts["holding"]
    assert "Line 13: the claim 2024-013" in texts["frugal"]
    assert peaks["frugal"] < peaks["holding"] - 200, peaks


@pytest.mark.parametrize("runtime", ["openvino", "onnxruntime"])
def test_a_recogniser_reading_latin_only_reads_latin_print_as_the_full_one(
    settings: Settings, runtime: str
) -> None:
    photo = receipt_photo(1.5, TICKET)
    latin = read_lines(with_ocr(settings, photo_runtime=runtime, photo_characters="latin"), photo)
    everything = read_lines(with_ocr(settings, photo_runtime=runtime, photo_characters="all"), photo)
    assert latin == everything
    assert "TOTAL TTC 7,00 €" in latin


def test_latin_only_keeps_the_blank_letters_accents_and_currencies_and_no_cjk() -> None:
    characters = ["blank", "a", "é", "œ", "€", "£", "：", "日", "ﾟ", "😀", "Ω", "→", " "]
    kept = [characters[index] for index in kept_classes(characters)]
    assert kept == ["blank", "a", "é", "œ", "€", "£", "Ω", "→", " "]


def scoring_network(classes: int, end: str = "softmax"):  # noqa: ANN201 - openvino.Model
    """A recogniser's last layer as PP-OCR's ends: features (batch, steps, 8) to a softmax over classes."""
    from openvino import Model, opset13

    features = opset13.parameter([-1, -1, 8], np.float32, name="x")
    weights = np.random.default_rng(7).normal(size=(8, classes)).astype(np.float32)
    bias = np.linspace(-1, 1, classes, dtype=np.float32)
    scores = opset13.add(
        opset13.matmul(features, opset13.constant(weights), False, False), opset13.constant(bias)
    )
    last = opset13.softmax(scores, -1) if end == "softmax" else opset13.sigmoid(scores)
    return Model([last], [features]), weights, bias


def test_a_network_cut_to_some_classes_scores_them_as_a_softmax_over_them() -> None:
    from openvino import Core

    from extractors.rapidvino import keep_classes

    network, weights, bias = scoring_network(40)
    classes = [0, 3, 4, 17, 39]
    keep_classes(network, classes)
    features = np.random.default_rng(3).normal(size=(2, 5, 8)).astype(np.float32)
    scores = Core().compile_model(network, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})(features)[0]
    logits = (features @ weights + bias)[..., classes]
    expected = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    assert scores.shape == (2, 5, 5)
    np.testing.assert_allclose(scores, expected, rtol=1e-4)


def test_a_network_that_does_not_end_in_a_softmax_is_not_cut_and_says_how_to_read_all() -> None:
    from extractors.rapidvino import keep_classes

    network, _, _ = scoring_network(40, end="sigmoid")
    with pytest.raises(OcrError, match='photo_characters = "all"'):
        keep_classes(network, [0, 1])


@pytest.mark.parametrize(
    ("mean", "std"),
    [(None, None), ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])],
    ids=["rapidocr", "imagenet"],
)
def test_the_detectors_input_computed_in_float32_is_rapidocrs(mean: list | None, std: list | None) -> None:
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    from extractors.rapidstages import _DetectorInput

    picture = np.asarray(receipt_photo(2.5, TICKET))[:, :, ::-1]  # BGR, as RapidOCR holds it
    preparation = DetPreProcess(736, "min", mean, std)
    expected = preparation(picture)
    prepared = _DetectorInput(preparation)(picture)
    assert prepared.dtype == np.float32 and prepared.flags["C_CONTIGUOUS"]
    assert prepared.shape == expected.shape == (1, 3, 1216, 896)  # 900 x 1200, in multiples of 32
    np.testing.assert_allclose(prepared, expected, rtol=1e-6, atol=1e-6)


def convolution_network():  # noqa: ANN201 - openvino.Model
    """A detector's shape: a picture of any height and width (1, 3, H, W) to a map (1, 1, H, W)."""
    from openvino import Model, opset13

    picture = opset13.parameter([1, 3, -1, -1], np.float32, name="x")
    kernel = np.random.default_rng(5).normal(size=(1, 3, 3, 3)).astype(np.float32)
    convolved = opset13.convolution(picture, opset13.constant(kernel), [1, 1], [1, 1], [1, 1], [1, 1])
    return Model([opset13.sigmoid(convolved)], [picture])


def test_a_detector_compiled_for_each_shape_draws_the_map_of_one_compiled_for_any() -> None:
    from openvino import Core

    from extractors.rapidvino import ShapedDetector

    core, properties = Core(), {"INFERENCE_PRECISION_HINT": "f32"}
    anyshape = core.compile_model(convolution_network(), "CPU", properties)
    detector = ShapedDetector(core, convolution_network(), properties)
    pictures = np.random.default_rng(1).random((3, 1, 3, 64, 96), dtype=np.float32)
    pictures[2] = pictures[2][..., ::-1]
    compiled = []
    for picture in [pictures[0], pictures[1], pictures[2][:, :, :32, :]]:
        detector.infer([picture])
        np.testing.assert_allclose(
            detector.get_output_tensor().data, anyshape(picture)[0], rtol=1e-5, atol=1e-6
        )
        compiled.append(detector._compiled)
    assert compiled[0] is compiled[1]  # two photos of one size: compiled once
    assert compiled[2] is not compiled[1]


def test_a_picture_larger_than_rapidocr_reads_is_shrunk_first_and_read_alike(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RapidOCR reads a picture longer than 2,000 pixels shrunk to that size, but keeps the whole
    one too; rpa shrinks it first, with RapidOCR's own function: the same text and boxes."""
    from extractors import rapid

    small = receipt_photo(1.5, TICKET)
    photo = small.resize((small.width * 2, small.height * 2), Image.Resampling.BICUBIC)  # 1,800 x 2,400
    first = RapidRecogniser(settings.ocr).read(photo)
    monkeypatch.setattr(rapid, "_within_working_size", lambda picture, _options: picture)
    whole = RapidRecogniser(settings.ocr).read(photo)
    assert first.text == whole.text
    assert "TOTAL TTC 7,00 €" in " ".join(first.text.split())
    for shrunk, full in zip(first.spans, whole.spans, strict=True):
        assert (shrunk.start, shrunk.end) == (full.start, full.end)
        np.testing.assert_allclose(shrunk.box, full.box, atol=1e-3)
