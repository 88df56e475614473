"""RapidOCR: the OCR engine for photographs (see `extractors.ocr` for the choice).

RapidOCR runs PaddleOCR's detection and recognition networks (PP-OCRv6 small),
here on OpenVINO (`[ocr] photo_runtime`; ONNX Runtime is RapidOCR's own default).
Its wheel on PyPI carries the model files as ONNX, which both runtimes read as
they are, so nothing is downloaded or converted: the models load from the
installed package.

Where Tesseract binarises a page and looks for lines of print, these networks
find text regions in the colour picture and read each one, which holds up on
what a phone camera makes of a till receipt: faint thermal print, shadows,
curl and tilt. On the 63 SROIE receipt photos, with the same field parsers,
totals read right went from 49 to 59 and company names from 42 to 50. On clean
A4 scans Tesseract reads the samples exactly and is three to four times faster,
so scanned PDF pages stay with it.

Why OpenVINO (issue 12). On ONNX Runtime a photo took 2.5 to 3 times Tesseract's time, a
quarter to a half of it in detection. OpenVINO's kernels run the detector about 3 times as
fast at the same float32 precision, and on a CPU with bfloat16 units (AMX or AVX512-BF16, as
the machines this project runs on) OpenVINO computes in bfloat16 by default, which makes
recognition about 3 times as fast too. The recogniser runs so; the detector is kept in
float32 (`extractors.rapidvino.STAGE_PROPERTIES`), since in bfloat16 it cut a line between two widely
spaced words. Lines are read padded to 160 pixels, not 320 (`_OPTIONS`). Measured on the 63
SROIE photos (words of their transcripts read right, as F1; the fields through the pipeline;
time per photo against rpa's Tesseract's in the same run, over several runs of
`bench/photo_profile.py` and `bench/documents.py photos` on a machine whose load varies):

| networks | words (F1) | date, total, company | x Tesseract |
|---|---|---|---|
| ONNX Runtime, float32 (RapidOCR's default) | 89.21 % | 61, 59, 50 | 2.0 to 2.2 |
| OpenVINO, both in bfloat16, lines at 320 (rpa before) | 89.09 % | 61, 59, 49 | 1.37 to 1.59 |
| OpenVINO, both in bfloat16, lines at 160 | 89.26 % | 61, 59, 49 | 1.18 to 1.29 |
| OpenVINO, detector in float32, lines at 160 (rpa before) | 89.36 % | 61, 59, 50 | 1.40 to 1.75 |
| the same, Latin characters only (`extractors.rapidstages`) | 89.40 % | 61, 59, 50 | 1.24 |
| the same, the detector's input in float32 (rpa: `extractors.rapidstages`) | 89.40 % | 61, 59, 50 | 1.20 |

The last three rows are from different days: on 2026-12-07 the first of them read at 1.45
times Tesseract's time in the morning, and 1.26 to 1.28 beside Latin only at 1.24 in two runs
of `bench/documents.py photos` that afternoon; over the 63 photos, read in turn by both, Latin
only took 0.88 s a photo against 1.10 s (medians; 13 % less time in all). The float32 input
reads the same text on all 63 photos.

Its memory stays steady since the networks are compiled without OpenVINO's cache of shapes
(`extractors.rapidvino`). A CPU without bfloat16 computes in float32 throughout:
the text of ONNX Runtime (the networks' outputs within 2e-5) in 0.6 times its time.
`[ocr] photo_runtime = "onnxruntime"` gives the same text on every CPU. Not taken: ONNX
Runtime's session options (its full graph optimisation is already the fastest; no spinning
or parallel execution helped); INT8 models quantised with ONNX Runtime (detection calibrated
on the sample pictures, recognition dynamic: 0.55 times the float32 time, 99.4% of the text
the same, still 1.85 times Tesseract's); the detector looking for lines on a photo 640
pixels across instead of 736 (89.27 %, the same fields, 3 % faster); lines in batches of 3,
8 or 12 instead of 6, or padded to 96 or 240 pixels (no faster); a larger OpenVINO cache of
shapes (no faster); the bfloat16 detector with a lower binarisation threshold (0.25: 89.39
%, "TRADING G CO" still; 0.2: 89.25 %); the same INT8 models (quantised to opset 13, QDQ)
on OpenVINO: detection in 0.30 s against 0.47 s in float32 but 48 company names, and
recognition slower than in bfloat16 (1.04 s against 0.78 s a photo); each line read alone
(90.2 % of the words, addresses 85.8 % against 84.9 %, the other fields the same, but 5 %
slower even with the recogniser's cache of shapes on, as a call costs 1 to 7 ms); the
detector run on bands of the picture, to hold less memory (384 rows and 64 above and below:
89.03 %, 15 % slower); the detector cut in two, the first part in bfloat16 and the rest in
float32 (before the head that draws the map: detection in 0.20 s against 0.31 s, 89.32 %, but
49 company names; halfway through the backbone: 89.35 %, 4 % faster).

`[ocr] photo_detection_side = 1024` looks for lines on the photo shrunk to 1024 pixels and
reads them at full size; on ONNX Runtime that saved a third of the time for one SROIE total
in 63, on OpenVINO, where detection takes a third of the time, 4 to 22% in two runs. Reading
lines one by one from 48 pixels wide was faster still on ONNX Runtime but read accents that
are not printed ("SERRURÉRIE").

Each OCR worker thread gets its own RapidOCR object (one call sets per-call
options on it), its runtime on one thread: as with Tesseract, one core
per page and pages side by side is fastest.

Each detected region is kept as a span of the page's text with its box (the
region's bounds on the upright picture), so that a value read from a photo can
be drawn where it was printed.

RapidOCR enlarges a picture until its shorter side is 736 pixels before looking for
lines (and pads a wide one to a quarter of its width first): a 400 x 1 spacer GIF became
12,000 x 3,000 pixels, 4.9 GB and 41 s. Such pictures do not reach it (`extractors.ocr`),
and a small picture is laid on a white canvas large enough that the detector enlarges
it at most `extractors.pictures.MAX_ENLARGEMENT` times (`_detection_canvas`), which
keeps the detector's input within about 3 million pixels; photos 368 pixels or more
across, every SROIE receipt among them, are given to RapidOCR as they are.
"""

from __future__ import annotations

import importlib
import math
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
from PIL import Image

from extractors.ocrlines import PlacedBox, TextBox, placed_lines
from extractors.ocrresult import OcrResult, relative_box
from extractors.pictures import allowed_enlargement, upright_on_white
from extractors.rapidstages import prepare_pictures_in_float32, read_latin_only
from extractors.rapidvino import bound_kernel_cache, compile_networks, release_network_memory
from rpa.config import OcrSettings
from rpa.config.ocr import PhotoCharacters
from rpa.errors import OcrError
from rpa.models import TextSpan

__all__ = [
    "RapidRecogniser",
    "RapidStatus",
    "rapidocr_status",
    "rapidocr_options",
    "rapidocr_engine",
    "RAPIDOCR_HINT",
    "RAPIDOCR_OPTIONS",
]

RAPIDOCR_HINT = "pip install rapidocr onnxruntime openvino"

# Measured on 12 SROIE photos spread over the corpus, one thread each, interleaved with
# rpa's Tesseract (bench/photo_profile.py): on ONNX Runtime a photo took 2.2-3.7x
# Tesseract's time (the more so the busier the machine), a quarter to a half of it in
# detection on the whole picture and the rest in recognition; on OpenVINO 0.9-1.05x.
# The wheel ships one detector and one recogniser (PP-OCRv6 small) and PP-OCR v2's angle
# classifier, so there is no lighter model to choose; ONNX Runtime's memory arena or more
# lines per batch did not help.
_OPTIONS = {
    "Global.use_cls": False,  # upside-down lines: EXIF rotation covers phone photos, and it costs 10%
    "Global.log_level": "error",
    # A region's mean text score to keep it (default 0.5): a clean second line of an A4
    # scan rendered from a PDF scored under 0.5 and was dropped; at 0.3 it is read, and
    # the 63 SROIE receipts read to the same text (the recogniser drops what is no text).
    "Det.box_thresh": 0.3,
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    # RapidOCR's own sizes, stated because `_detection_canvas` counts on them: a picture is
    # shrunk to 2000 pixels on its longer side, then enlarged to 736 on its shorter side to
    # look for lines (`photo_detection_side` shrinks it to a longer side instead).
    "Global.max_side_len": 2000,
    "Det.limit_type": "min",
    "Det.limit_side_len": 736,
    # Lines are read in batches of six, each padded to the widest line's width and at least to
    # this width (RapidOCR's default is 320 pixels at a height of 48). Most lines of a receipt
    # are short ("RM 5.20"), so at 320 half the work was on padding: at 160 recognition takes
    # three quarters of its time, and over the 63 SROIE photos 89.36 % of the words of their
    # transcripts are read as at 320 or better (word F1 against 89.20 %; ONNX Runtime at 320: 89.21 %).
    "Rec.rec_img_shape": [3, 48, 160],
}

_CANVAS_ASPECT = 4  # see `_detection_canvas`

# The networks' files in RapidOCR's wheel (its defaults), which OpenVINO reads as they are: without a
# model path RapidOCR would download OpenVINO's own copies.
_SHIPPED_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx"}


def rapidocr_options(settings: OcrSettings) -> dict[str, object]:
    """RapidOCR's parameters for these settings."""
    options = dict(_OPTIONS)
    if settings.photo_runtime == "openvino":
        options.update({f"{stage}.engine_type": "openvino" for stage in _SHIPPED_MODELS})
        options["EngineConfig.openvino.inference_num_threads"] = 1
        # Left to itself OpenVINO pins each thread that calls it to the first core while it
        # infers: two OCR workers were both held to core 0.
        options["EngineConfig.openvino.enable_cpu_pinning"] = False
    if settings.photo_detection_side:
        # Regions are looked for on the photo shrunk to this longest side, and read on the
        # photo itself (RapidOCR scales the boxes back): at 1024 detection took a third of its time.
        options["Det.limit_type"] = "max"
        options["Det.limit_side_len"] = settings.photo_detection_side
    return options


RAPIDOCR_OPTIONS = rapidocr_options(OcrSettings())  # what rpa runs with the default settings


def rapidocr_engine(  # noqa: ANN201 - rapidocr.RapidOCR
    options: Mapping[str, object], *, characters: PhotoCharacters = "latin", frugal: bool = False
):
    """A RapidOCR object with these parameters (`rapidocr_options`), runtimes named by their
    names ("openvino") and OpenVINO reading the models shipped in RapidOCR's wheel, compiled
    as `extractors.rapidvino` says (`frugal`: the detector frees its buffers after each photo),
    its recogniser reading these characters (`[ocr] photo_characters`, `extractors.rapidstages`).
    Raises `OcrError` when RapidOCR or the runtime is missing or the recogniser cannot be cut."""
    _without_telemetry()
    try:
        from rapidocr import EngineType, RapidOCR
    except ImportError as exc:
        raise OcrError(f"rapidocr is not installed; install it: {RAPIDOCR_HINT}") from exc
    params = dict(options)
    for stage, file_name in _SHIPPED_MODELS.items():
        runtime = EngineType(params.get(f"{stage}.engine_type", EngineType.ONNXRUNTIME))
        params[f"{stage}.engine_type"] = runtime
        if runtime is EngineType.OPENVINO:
            bound_kernel_cache()
            _require("openvino")
            params.setdefault(f"{stage}.model_path", str(_shipped_model(file_name)))
    engine = RapidOCR(params=params)
    prepare_pictures_in_float32(engine)
    if characters == "latin":
        read_latin_only(engine, on_openvino=params["Rec.engine_type"] is EngineType.OPENVINO)
    if EngineType.OPENVINO in {params[f"{stage}.engine_type"] for stage in _SHIPPED_MODELS}:
        compile_networks(engine, frugal=frugal)
    return engine


def _without_telemetry() -> None:
    """Keep OpenVINO from reporting its use. Importing it sends an event to Google Analytics
    (its `openvino_telemetry` package, unless a consent file in the user's home says no), from
    a process it forks for the purpose: rpa reads customers' mail and sends nothing anywhere,
    and a fork of a process running threads can hang (forks of rpa's OCR processes were left
    waiting on a lock for ever). With that package marked missing, OpenVINO imports its own
    stub, which sends nothing. Call before anything imports openvino."""
    sys.modules.setdefault("openvino_telemetry", None)  # type: ignore[arg-type] - None: "not importable"


def _require(package: str) -> None:
    _without_telemetry()
    try:
        importlib.import_module(package)
    except ImportError as exc:
        raise OcrError(
            f"{package} is not installed; install it: pip install {package}, "
            'or set [ocr] photo_runtime = "onnxruntime"'
        ) from exc


def _shipped_model(file_name: str) -> Path:
    import rapidocr

    path = Path(rapidocr.__file__).parent / "models" / file_name
    if not path.is_file():
        raise OcrError(f"rapidocr's wheel has no {file_name} (looked in {path.parent}); reinstall rapidocr")
    return path


@dataclass(frozen=True)
class RapidStatus:
    """What `rpa doctor` prints about RapidOCR."""

    available: bool
    version: str | None = None
    reason: str | None = None


def rapidocr_status(settings: OcrSettings | None = None) -> RapidStatus:
    """Whether RapidOCR, ONNX Runtime and (if the settings run it) OpenVINO are installed
    (the models come with RapidOCR)."""
    packages = ["rapidocr", "onnxruntime"]
    if (settings or OcrSettings()).photo_runtime == "openvino":
        packages.append("openvino")
    try:
        versions = [f"{package} {metadata.version(package)}" for package in packages]
    except metadata.PackageNotFoundError as exc:
        return RapidStatus(False, reason=f"{exc.name} is not installed; install it: {RAPIDOCR_HINT}")
    return RapidStatus(True, ", ".join(versions))


class RapidRecogniser:
    """RapidOCR in this process, one model instance per calling thread."""

    name = "rapidocr"

    def __init__(
        self, settings: OcrSettings, options: Mapping[str, object] | None = None, *, frugal: bool = False
    ) -> None:
        """`options`: RapidOCR's parameters, if not those the settings make (`rapidocr_options`).
        `frugal`, for a reader that lives long (the photo service): the networks free their
        buffers as soon as a photo is done with them, the detector's before the lines are read
        and the recogniser's after the photo; each photo then takes a little longer, as they are
        made again, and the reader's peak is the larger network's, not their sum."""
        self.settings = settings
        self.options = dict(rapidocr_options(settings) if options is None else options)
        self.frugal = frugal
        self._local = threading.local()

    def is_available(self) -> bool:
        return rapidocr_status(self.settings).available

    def read(self, image: Image.Image) -> OcrResult:
        """The text of one picture, line by line, and its regions' boxes. Raises
        `OcrError` when RapidOCR is missing or fails on the picture."""
        engine = self._engine()
        picture = upright_on_white(image)
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        size = picture.size  # boxes are given on the picture as sent
        picture = _within_working_size(picture, self.options)
        scale_x, scale_y = size[0] / picture.width, size[1] / picture.height
        picture, canvas = _detection_canvas(picture, self.options)
        try:
            found = engine(canvas)
        except Exception as exc:  # noqa: BLE001 - ONNX Runtime and OpenCV raise their own kinds
            raise OcrError(f"rapidocr failed: {type(exc).__name__}: {exc}") from exc
        finally:
            if self.frugal:
                self.release_memory()
        if found.txts is None:
            return OcrResult("")
        boxes = (
            TextBox(tuple((float(x) * scale_x, float(y) * scale_y) for x, y in corners), text)  # type: ignore[arg-type]
            for corners, text in zip(found.boxes, found.txts, strict=True)
        )
        text, placed = placed_lines(boxes)
        return OcrResult(text, tuple(_span(item, size) for item in placed))

    def prepare(self) -> None:
        """Load this thread's RapidOCR (its networks compiled: about two seconds)."""
        self._engine()

    def release_memory(self) -> None:
        """Free what this thread's networks keep from the pictures it read
        (`release_network_memory`); the next picture is read as well."""
        engine = getattr(self._local, "engine", None)
        if engine is not None:
            release_network_memory(engine)

    def _engine(self):  # noqa: ANN202 - rapidocr.RapidOCR, imported here
        engine = getattr(self._local, "engine", None)
        if engine is None:
            try:
                engine = self._local.engine = rapidocr_engine(
                    self.options, characters=self.settings.photo_characters, frugal=self.frugal
                )
            except OcrError:
                raise
            except Exception as exc:  # noqa: BLE001 - a damaged model file, a missing runtime
                raise OcrError(f"rapidocr cannot load its models: {type(exc).__name__}: {exc}") from exc
        return engine


def _within_working_size(picture: Image.Image, options: Mapping[str, object]) -> Image.Image:
    """The picture shrunk as RapidOCR shrinks one longer than ``Global.max_side_len`` (with its
    own function; its boxes, scaled back as RapidOCR scales them, give the same text), before
    it is given to RapidOCR, which would keep the picture at full size beside the one it reads:
    a 4,961 x 7,016 scan took three copies of 104 MB while its lines were looked for."""
    if max(picture.size) <= float(options["Global.max_side_len"]):  # type: ignore[arg-type]
        return picture
    from rapidocr.utils.process_img import reduce_max_side

    shrunk, _, _ = reduce_max_side(np.asarray(picture), options["Global.max_side_len"])  # type: ignore[arg-type]
    return Image.fromarray(shrunk)


def _detection_canvas(picture: Image.Image, options: Mapping[str, object]) -> tuple[Image.Image, Image.Image]:
    """The picture as read, and what to give RapidOCR: the picture itself, or, when the
    detector would enlarge it more than `allowed_enlargement` says, the picture at the top
    left of a white canvas (so boxes need no shifting) with a shorter side the detector
    enlarges that much only, and at least a quarter of its longer side, as RapidOCR pads a
    wide picture: a canvas no thinner keeps the detector's input within 3,000 x 736
    pixels. The picture is within RapidOCR's working size (`_within_working_size`)."""
    if options.get("Det.limit_type") != "min":
        return picture, picture  # the detector only shrinks
    detection_side = float(options["Det.limit_side_len"])  # type: ignore[arg-type]
    size = picture.size
    wanted = detection_side / min(size)
    allowed = allowed_enlargement(size, wanted)
    if allowed >= wanted:
        return picture, picture
    side = max(math.ceil(detection_side / allowed), math.ceil(max(size) / _CANVAS_ASPECT))
    canvas = Image.new(picture.mode, (max(side, picture.width), max(side, picture.height)), "white")
    canvas.paste(picture, (0, 0))
    return picture, canvas


def _span(placed: PlacedBox, size: tuple[int, int]) -> TextSpan:
    xs = [x for x, _ in placed.box.corners]
    ys = [y for _, y in placed.box.corners]
    return TextSpan(placed.start, placed.end, relative_box(min(xs), min(ys), max(xs), max(ys), *size))
