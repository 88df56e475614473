"""Optical character recognition, several pages side by side.

Two engines read text in pictures, each behind the small `Recogniser` protocol:

- Tesseract (`extractors.tesseract`) for scanned pages: A4 letters, forms and
  invoices rendered from PDFs without a text layer, which it reads exactly and
  fast;
- RapidOCR (`extractors.rapid`) for photographs: pictures attached to a mail
  or sent alone, often a phone's shot of a till receipt, which Tesseract reads
  poorly (on the 63 SROIE receipt photos it got 49 totals right, RapidOCR 59).

`[ocr] engine = "auto"` makes that choice by what the picture is: a camera's
picture of a photo's size (`extractors.readers.images.is_photograph`) goes to
RapidOCR, a screenshot, logo, fax or rendered PDF page to Tesseract; "tesseract"
or "rapidocr" sends every page to one engine.

An `OcrEngine` owns a thread pool; each job reads one page with one engine on
one core, so N workers keep N cores busy. Jobs may be given a picture or a
function that makes one (`ImageSource`): a 300-page scan is then rendered page
by page as workers free up, instead of holding 300 bitmaps in memory.

A photo and scanned pages take turns (`[ocr] photo_alone`, `Turns`): RapidOCR's
networks reading a photo hold 300 to 450 MB, a Tesseract page 35 to 100 MB, and the run's
memory peaked where a photo and pages were read at once. Pages are read side by side;
a photo waits for the pages being read, and pages that come meanwhile wait for it. The
turns are this process's, shared by every `OcrEngine` in it (the pipelines of a run).

Every engine gives an `OcrResult`: the text, and the boxes of its words
(Tesseract) or detected lines (RapidOCR) from the same recognition, which
become `Page.spans`. A picture too small or too thin to hold text
(`extractors.pictures.too_small_for_text`) goes to no engine: its result is
empty, with a note saying why.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Protocol

from PIL import Image

from extractors.ocrresult import OcrResult
from extractors.photoservice import ServiceRecogniser
from extractors.pictures import too_small_for_text
from extractors.rapid import RapidRecogniser
from extractors.tesseract import TesseractRecogniser
from rpa.config import OcrSettings, Settings
from rpa.config.ocr import OCR_ENGINES
from rpa.errors import ExtractionError

__all__ = ["OcrEngine", "OcrResult", "ImageSource", "Recogniser", "RECOGNISERS", "ENGINE_CHOICES", "Turns"]

ImageSource = Image.Image | Callable[[], Image.Image]


class Recogniser(Protocol):
    """Reads the text of one picture on the calling thread."""

    name: str

    def is_available(self) -> bool: ...

    def prepare(self) -> None:
        """Load what reading needs (RapidOCR's networks; Tesseract's languages checked), on
        the first call; raises `OcrError` when it cannot. Not reading: done before a turn."""
        ...

    def read(self, image: Image.Image) -> OcrResult:
        """The picture's text, line by line, with where its words stand; raises `OcrError`."""
        ...


RECOGNISERS: dict[str, Callable[[OcrSettings], Recogniser]] = {
    TesseractRecogniser.name: TesseractRecogniser,
    RapidRecogniser.name: RapidRecogniser,
}
_AUTO = "auto"
ENGINE_CHOICES = OCR_ENGINES  # auto and RECOGNISERS' names, checked when the settings load


class Turns:
    """Photos and scanned pages taking turns (see the module docstring): any number of
    pages at once, or one photo. A photo waiting goes before pages that come after it, so
    that a stream of pages cannot keep it waiting for ever."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._pages = 0
        self._photo = False
        self._photos_waiting = 0

    @contextmanager
    def page(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not (self._photo or self._photos_waiting))
            self._pages += 1
        try:
            yield
        finally:
            with self._changed:
                self._pages -= 1
                self._changed.notify_all()

    @contextmanager
    def photo(self) -> Iterator[None]:
        with self._changed:
            self._photos_waiting += 1
            self._changed.wait_for(lambda: not (self._photo or self._pages))
            self._photos_waiting -= 1
            self._photo = True
        try:
            yield
        finally:
            with self._changed:
                self._photo = False
                self._changed.notify_all()


TURNS = Turns()  # this process's


class OcrEngine:
    """The OCR engines on a pool of `settings.ocr.workers` threads (0 = one per core).

    `ocr(image)` reads one picture in the calling thread; `submit(source)` and
    `ocr_many(sources)` run on the pool. `photo=True` says the picture is a
    photograph rather than a scanned page (see the module docstring). Subclasses
    that override `ocr` (for instance to count calls) see every page, whichever
    entry point is used. Use as a context manager, or call `close()`.
    """

    def __init__(self, settings: Settings | OcrSettings) -> None:
        self.settings = settings.ocr if isinstance(settings, Settings) else settings
        self.recognisers = {name: make(self.settings) for name, make in RECOGNISERS.items()}
        if self.settings.photo_service:  # the run's photo reader, shared with its other workers
            self.recognisers[ServiceRecogniser.name] = ServiceRecogniser(self.settings)
        self.workers = self.settings.workers or os.cpu_count() or 1
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ocr")

    def is_available(self) -> bool:
        """Whether the engines this configuration uses are installed (Tesseract's
        languages are checked on first use)."""
        return all(self.recognisers[name].is_available() for name in self._engines_used())

    def recogniser(self, photo: bool = False) -> Recogniser:
        """The engine that reads a photograph (`photo`) or a scanned page."""
        if self.settings.engine != _AUTO:
            return self.recognisers[self.settings.engine]
        return self.recognisers[RapidRecogniser.name if photo else TesseractRecogniser.name]

    def ocr(self, image: Image.Image, photo: bool = False) -> OcrResult:
        """The text of one picture and its boxes, or no text and a note for a picture too
        small or thin to hold any. Raises `OcrError` (missing engine or language, timeout,
        engine failure)."""
        refused = too_small_for_text(*image.size, self.settings)
        if refused:
            return OcrResult("", note=f"not read: the picture is {refused}")
        recogniser = self.recogniser(photo)
        recogniser.prepare()  # loading RapidOCR (two seconds) keeps no page waiting
        with self._turn(recogniser):
            return recogniser.read(image)

    def _turn(self, recogniser: Recogniser) -> AbstractContextManager[None]:
        if not self.settings.photo_alone:
            return nullcontext()
        return TURNS.photo() if recogniser.name == RapidRecogniser.name else TURNS.page()

    def submit(self, source: ImageSource, photo: bool = False) -> Future[OcrResult]:
        """OCR one picture (or the picture `source()` returns) on the pool."""
        return self._pool.submit(self._read_source, source, photo)

    def ocr_many(self, sources: Iterable[ImageSource], photo: bool = False) -> list[OcrResult]:
        """The results of several pictures, read side by side, in the order given.
        The first failure is raised once the other pages are cancelled or done."""
        futures = [self.submit(source, photo) for source in sources]
        try:
            return [future.result() for future in futures]
        finally:
            for future in futures:
                future.cancel()
            wait(futures)

    def ocr_pages(
        self, sources: Mapping[int, ImageSource], photo: bool = False, *, until: float | None = None
    ) -> dict[int, OcrResult | ExtractionError]:
        """Page number -> result, or the `ExtractionError` (an `OcrError`, or a
        rendering failure) that page ended with. Pages are read side by side;
        this returns only when every job has finished or been cancelled, so
        the caller may close what the sources read from.

        Pages not read by `until` (a `time.monotonic()` time) are cancelled and left
        out of the result; a page being read then is awaited (it ends within
        `ocr.timeout_seconds`) but left out too."""
        futures = {number: self.submit(source, photo) for number, source in sources.items()}
        results: dict[int, OcrResult | ExtractionError] = {}
        try:
            for number, future in futures.items():
                wait_for = None if until is None else max(until - time.monotonic(), 0)
                try:
                    results[number] = future.result(timeout=wait_for)
                except ExtractionError as exc:
                    results[number] = exc
                except TimeoutError:
                    break
        finally:
            for future in futures.values():
                future.cancel()
            wait(futures.values())
        return results

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> OcrEngine:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _engines_used(self) -> tuple[str, ...]:
        return tuple(RECOGNISERS) if self.settings.engine == _AUTO else (self.settings.engine,)

    def _read_source(self, source: ImageSource, photo: bool) -> OcrResult:
        image = source() if callable(source) else source
        try:
            return self.ocr(image, photo)
        finally:
            if callable(source):
                image.close()  # we made it; free the bitmap now, not at the next GC
