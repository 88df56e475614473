"""Tesseract: the OCR engine for scanned pages (see `extractors.ocr` for the choice).

Preprocessing is deliberately plain and the same for every document: grey
scale, transparency flattened onto white, EXIF rotation applied, the dark
table or scanner lid around a photographed page painted over with the paper's
shade, and small pictures enlarged 1.5x (unless that would make more pixels than
`extractors.pictures.MAX_ENLARGED_PIXELS`: a page rendered 4 pixels wide and 12
million tall took 1.4 GB to enlarge).

The dark surround matters because Tesseract binarises a page with one global
(Otsu) threshold: a black band around a receipt printed in pale grey pulls
that threshold below the print, and the page reads as noise. Painting it over
costs about 50 ms a picture; on the 63 SROIE receipt photos it turned one
unreadable receipt into a clean one and raised the dates read right from 49
to 52 (measured on the same OCR otherwise).

Measured with Tesseract 5.3 (fra+eng): A4 scans read perfectly from 100 dpi
up without help, a 72 dpi page with 9 pt text went from 78% to 100% of words;
on 16 SROIE receipt photos under 800 px wide, 1.5x raised word recall from 52%
to 55% (2x: no better, slower); enlarging wider pictures (to ~2400 px) made
receipts slightly worse and OCR 2.4x slower. Slightly skewed scans (±3°) are
left to Tesseract: on our test scans at 150-300 dpi it found 96-100% of the
words at ±1.5° and ±3°, as many as on straight ones, so a deskew step had
nothing to win (at 5° it drops to ~90%). Heavy grain is not filtered either:
a median filter or Sauvola thresholding rescued our noisiest synthetic scans
but cost up to 1 s a page or wrecked some real receipts.

Tesseract uses OpenMP and by default spreads each page over every core; with
several pages side by side the threads fight and each process gets ~3x slower
on 2 cores. One thread per process, one process per worker, is fastest.

`pytesseract` is imported where it is used, so that this module loads without it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass

from PIL import Image

from extractors.ocrresult import OcrResult, relative_box
from extractors.pictures import allowed_enlargement, upright_on_white
from extractors.regions import fill_holes, grow, label
from rpa.config import OcrSettings, Settings
from rpa.errors import OcrError
from rpa.models import TextSpan

__all__ = ["TesseractRecogniser", "TesseractStatus", "tesseract_status", "prepare_image", "INSTALL_HINT"]

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-fra"

# Pictures narrower than this are enlarged by _UPSCALE (see the module docstring):
# an A4 page under ~120 dpi, a receipt photographed from afar.
_SMALL_WIDTH = 1000
_UPSCALE = 1.5
# The dark surround: pixels darker than half the paper's shade, in one region that
# touches the picture's edge and covers at least this share of it (a letter that
# touches the edge is far smaller). Found on a copy about this many pixels across.
_SURROUND_SHARE = 0.002
# Tesseract page segmentation modes (--psm): automatic layout, and one uniform block.
_AUTOMATIC_LAYOUT, _ONE_BLOCK = 3, 6
_RECEIPT_SHAPE = 1.6  # height / width from which a picture is a till receipt
_SURROUND_WORK_SIZE = 1200
_PRINT_ISLANDS = 5  # light islands (letters) in a dark region that make it a banner, kept
_ISLAND_SHARE = 0.001  # of the picture: an island smaller than this is a letter


@dataclass(frozen=True)
class TesseractStatus:
    """What `rpa doctor` prints about Tesseract."""

    available: bool
    version: str | None = None
    languages: tuple[str, ...] = ()
    missing_languages: tuple[str, ...] = ()
    reason: str | None = None  # why OCR cannot run as configured, with how to fix it

    @property
    def ready(self) -> bool:
        return self.available and not self.missing_languages


def tesseract_status(settings: Settings | OcrSettings) -> TesseractStatus:
    """Whether the configured tesseract runs and has the configured languages."""
    ocr = settings.ocr if isinstance(settings, Settings) else settings
    wanted = tuple(lang for lang in ocr.languages.split("+") if lang)
    command = shutil.which(ocr.tesseract_cmd)
    if command is None:
        return TesseractStatus(
            available=False,
            missing_languages=wanted,
            reason=f"tesseract not found (looked for {ocr.tesseract_cmd!r}); install it: {INSTALL_HINT}",
        )
    try:
        version = _run(command, "--version").splitlines()[0].strip()
        languages = tuple(_run(command, "--list-langs").splitlines()[1:])
    except (OSError, subprocess.SubprocessError, IndexError) as exc:
        return TesseractStatus(available=False, reason=f"{command} does not run: {exc}")
    languages = tuple(sorted(lang.strip() for lang in languages if lang.strip()))
    missing = tuple(lang for lang in wanted if lang not in languages)
    reason = None
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        reason = (
            f"tesseract language(s) not installed: {', '.join(missing)} "
            f"(have {', '.join(languages) or 'none'}); install: apt-get install {packages}"
        )
    return TesseractStatus(True, version, languages, missing, reason)


def _run(command: str, flag: str) -> str:
    done = subprocess.run([command, flag], capture_output=True, text=True, timeout=30, check=True)
    # Older versions print --version on stderr.
    return done.stdout or done.stderr


def prepare_image(image: Image.Image) -> Image.Image:
    """Grey scale, upright, on white, and large enough for Tesseract (within bounds)."""
    image = upright_on_white(image)
    if image.mode != "L":
        image = image.convert("L")
    image = _paint_over_surround(image)
    factor = allowed_enlargement(image.size, _UPSCALE) if 0 < image.width < _SMALL_WIDTH else 1.0
    if factor > 1:
        size = (round(image.width * factor), round(image.height * factor))
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def _paint_over_surround(image: Image.Image) -> Image.Image:
    """`image` (grey) with the dark background around the page painted the paper's shade."""
    import numpy as np

    factor = max(1, -(-max(image.size) // _SURROUND_WORK_SIZE))  # rounded up
    small = np.asarray(image.reduce(factor) if factor > 1 else image)
    if small.size == 0:
        return image
    counts = np.cumsum(np.bincount(small.ravel(), minlength=256))
    paper = int(np.searchsorted(counts, 0.8 * counts[-1]))  # most of a page is paper
    dark = small < paper // 2
    if not (dark[0].any() or dark[-1].any() or dark[:, 0].any() or dark[:, -1].any()):
        return image  # nothing dark reaches the edge: the usual scan
    labels, found = label(dark)
    if not found:
        return image
    edges = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    touching = np.unique(edges[edges > 0])
    sizes = np.bincount(labels.ravel())[touching]
    large = touching[sizes >= _SURROUND_SHARE * small.size]
    surround = [number for number in large if not _holds_print(labels == number)]
    if not surround:
        return image
    # One pixel more on the small copy covers the blur at the region's edge.
    mask = grow(np.isin(labels, surround))
    painted = image.copy()
    stencil = Image.fromarray(mask.astype(np.uint8) * 255).resize(image.size, Image.Resampling.NEAREST)
    painted.paste(paper, mask=stencil)
    return painted


def _holds_print(region) -> bool:  # noqa: ANN001 - a numpy mask
    """Whether a dark region has light print in it, as a letterhead's banner has its name
    in white: many small light islands. A table or lid around the page has none (the
    page itself, when the region rings it, is one large island)."""
    import numpy as np

    islands, count = label(fill_holes(region) & ~region)
    if count < _PRINT_ISLANDS:
        return False
    sizes = np.bincount(islands.ravel())[1:]
    return int((sizes < _ISLAND_SHARE * region.size).sum()) >= _PRINT_ISLANDS


class TesseractRecogniser:
    """One `tesseract` process per picture, on the calling thread."""

    name = "tesseract"

    def __init__(self, settings: OcrSettings) -> None:
        self.settings = settings
        # pytesseract passes os.environ to the subprocess and has no other way to
        # set it; setdefault keeps a user's own choice.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        self._ready_lock = threading.Lock()
        self._ready: TesseractStatus | None = None

    def is_available(self) -> bool:
        """Whether the tesseract binary is there (languages are checked on first use)."""
        return shutil.which(self.settings.tesseract_cmd) is not None

    def read(self, image: Image.Image) -> OcrResult:
        """The text of one picture and its words' boxes. Raises `OcrError` (missing
        tesseract or language, timeout, tesseract failure)."""
        self.prepare()
        prepared = prepare_image(image)
        with tempfile.TemporaryDirectory(prefix="rpa-ocr-") as folder:
            # Uncompressed TIFF: pytesseract would write a PNG, and compressing a
            # 300 dpi page costs 0.1-0.7 s, up to half the time Tesseract takes.
            path = os.path.join(folder, "page.tif")
            try:
                prepared.save(path, format="TIFF", compression="raw")
            except OSError as exc:
                raise OcrError(f"cannot write the page for tesseract: {exc}") from exc
            options = f"--psm {self._segmentation(image)} {_dpi_option(image)}"
            text, words = self._tesseract(path, os.path.join(folder, "page"), options.strip())
        text = _clean(text)
        return OcrResult(text, _word_spans(text, words, prepared.size))

    def _segmentation(self, image: Image.Image) -> int:
        """The configured --psm, or by the page's shape: a till receipt is one column of
        lines, which Tesseract reads best as one block; on the 63 SROIE receipts that
        read 57 dates right instead of 52 (totals 51 against 53)."""
        if self.settings.page_segmentation:
            return self.settings.page_segmentation
        return _ONE_BLOCK if image.height >= _RECEIPT_SHAPE * image.width else _AUTOMATIC_LAYOUT

    def _tesseract(self, path: str, output: str, options: str) -> tuple[str, str]:
        """The text and the TSV (one row per word, with its box) of one run: both come
        from the same recognition, so the text is what `image_to_string` gives."""
        import pytesseract

        # pytesseract only knows a module-wide command; every engine sets the same one.
        pytesseract.pytesseract.tesseract_cmd = self.settings.tesseract_cmd
        try:
            pytesseract.pytesseract.run_tesseract(
                input_filename=path,
                output_filename_base=output,
                extension="txt",
                lang=self.settings.languages,
                config=f"{options} -c tessedit_create_tsv=1",
                timeout=self.settings.timeout_seconds,
            )
            return _read_output(f"{output}.txt"), _read_output(f"{output}.tsv")
        except pytesseract.TesseractNotFoundError as exc:
            raise OcrError(f"tesseract not found; install it: {INSTALL_HINT}") from exc
        except pytesseract.TesseractError as exc:
            raise OcrError(f"tesseract failed: {_tesseract_message(exc)}") from exc
        except RuntimeError as exc:  # pytesseract's way to say the process was killed
            if "timeout" not in str(exc).lower():
                raise
            raise OcrError(f"OCR gave up after {self.settings.timeout_seconds} s on one page") from exc

    def prepare(self) -> None:
        """Check once that tesseract and every language are there, so a missing
        language gives one clear error instead of a cryptic one per page."""
        with self._ready_lock:
            if self._ready is None:
                self._ready = tesseract_status(self.settings)
        if not self._ready.ready:
            raise OcrError(self._ready.reason or "tesseract cannot run")


def _dpi_option(image: Image.Image) -> str:
    """Tell Tesseract the resolution when we know it (rendered PDF pages), which
    spares it a guess; pictures of unknown resolution are left to its estimate."""
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return f"--dpi {value}" if 70 <= value <= 2400 and image.width >= _SMALL_WIDTH else ""


def _tesseract_message(exc: Exception) -> str:
    message = getattr(exc, "message", "") or str(exc)
    return re.sub(r"\s+", " ", str(message)).strip()[:300]


def _read_output(path: str) -> str:
    try:
        with open(path, "rb") as output:
            return output.read().decode("utf-8")
    except OSError as exc:
        raise OcrError(f"tesseract wrote no output: {exc}") from exc


def _word_spans(text: str, tsv: str, size: tuple[int, int]) -> tuple[TextSpan, ...]:
    """Each word of Tesseract's TSV (level 5 rows) placed in `text`, in reading order:
    a word is taken where it follows the previous one with only white space between."""
    spans = []
    cursor = 0
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        word = cells[11].strip() if len(cells) >= 12 and cells[0] == "5" else ""
        start = text.find(word, cursor) if word else -1
        if start < 0 or text[cursor:start].strip():
            continue
        left, top, width, height = (int(value) for value in cells[6:10])
        box = relative_box(left, top, left + width, top + height, *size)
        spans.append(TextSpan(start, start + len(word), box))
        cursor = start + len(word)
    return tuple(spans)


def _clean(text: str) -> str:
    """Tesseract ends pages with a form feed and pads lines with spaces."""
    lines = [line.rstrip() for line in text.replace("\x0c", "").splitlines()]
    return "\n".join(lines).strip("\n")
