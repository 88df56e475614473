"""Throughput of `rpa process` on a batch, against the raw tools doing the reading alone.

Reference (measured in the same run): a naive script that parses each mail with
the standard library and, for every attachment, runs `pdftotext -layout` on
PDFs (rendering pages with `pdftoppm` and OCRing them with the `tesseract`
command where a page has no text), `tesseract` on TIFF scans, and RapidOCR
called directly (same models and options, loaded once) on photographs, the
engines rpa itself uses for each. Our pipeline does all of that plus extraction,
classification and drafting, so the ratio shows what understanding a message
costs on top of reading it.

    python bench/pipeline.py [PATH] [--rounds N] [--check]

Prints messages per second with one worker and with two, the ratio to the
reference, and the speed-up of two workers over one; then, for the same
documents, our PDF text extraction against `pdftotext -layout` and our OCR of
pictures against the same engine called directly, one thread each.
"""

from __future__ import annotations

import argparse
import dataclasses
import email
import email.policy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from extractors.ocr import OcrEngine  # noqa: E402
from extractors.rapid import RAPIDOCR_OPTIONS, rapidocr_engine  # noqa: E402
from extractors.readers.images import ImageReader  # noqa: E402
from extractors.readers.pdf import PdfReader  # noqa: E402
from extractors.sources import RawInput, iter_inputs  # noqa: E402
from rpa.batch import PipelineRunner  # noqa: E402
from rpa.config import Settings, load_settings  # noqa: E402

PICTURES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp", ".webp")
SCANS = (".tif", ".tiff")  # pictures rpa reads with Tesseract; the others are photographs
MAX_RATIO = 1.5  # our whole pipeline, one worker, against the raw reading tools
MIN_SPEEDUP = 1.6  # two workers against one, on two cores


def pipeline_seconds(inputs: list[RawInput], settings: Settings, workers: int) -> float:
    # One worker means one core: messages one by one and pages one by one, like the reference.
    settings = dataclasses.replace(
        settings,
        pipeline=dataclasses.replace(settings.pipeline, workers=workers),
        ocr=dataclasses.replace(settings.ocr, workers=1 if workers == 1 else 0),
    )
    with PipelineRunner(settings, workers) as runner:
        runner.submit(inputs[0]).result()  # start the workers and load what they load once
        started = time.perf_counter()
        for future in [runner.submit(raw) for raw in inputs]:
            future.result()
        return time.perf_counter() - started


def raw_tools_seconds(inputs: list[RawInput], languages: str) -> float:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        for raw in inputs:
            for name, data in _documents(raw):
                path = Path(scratch) / ("doc" + Path(name).suffix.lower())
                path.write_bytes(data)
                _read_with_tools(path, languages, Path(scratch))
    return time.perf_counter() - started


def _documents(raw: RawInput) -> list[tuple[str, bytes]]:
    if raw.kind == "document":
        return [(raw.filename, raw.data)]
    message = email.message_from_bytes(raw.data, policy=email.policy.default)
    message.get_body(preferencelist=("plain", "html"))
    return [
        (part.get_filename() or "", part.get_content() if isinstance(part.get_content(), bytes) else b"")
        for part in message.iter_attachments()
        if part.get_filename()
    ]


def _read_with_tools(path: Path, languages: str, scratch: Path) -> None:
    suffix = path.suffix
    if suffix == ".pdf":
        pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True).stdout
        for number, text in enumerate(pages.split(b"\f")[:-1] or [b""], start=1):
            if len(text.strip()) < 20:
                stem = scratch / f"page{number}"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-r",
                        "300",
                        "-f",
                        str(number),
                        "-l",
                        str(number),
                        "-singlefile",
                        "-png",
                        str(path),
                        str(stem),
                    ],
                    capture_output=True,
                )
                subprocess.run(["tesseract", f"{stem}.png", "-", "-l", languages], capture_output=True)
    elif suffix in PICTURES:
        _picture_tool(path, languages)()


def _picture_tool(path: Path, languages: str) -> Callable[[], object]:
    """The raw reading of a picture with the engine rpa uses for it."""
    if path.suffix in SCANS:
        return lambda: subprocess.run(["tesseract", str(path), "-", "-l", languages], capture_output=True)
    return lambda: raw_rapidocr()(str(path))


@cache
def raw_rapidocr():  # noqa: ANN201 - rapidocr.RapidOCR
    return rapidocr_engine(RAPIDOCR_OPTIONS)


def stage_seconds(inputs: list[RawInput], settings: Settings) -> dict[str, tuple[int, float, float]]:
    """Per kind of document: (count, our seconds, the command line's seconds)."""
    settings = dataclasses.replace(settings, ocr=dataclasses.replace(settings.ocr, workers=1))
    totals = {"text PDF": [0, 0.0, 0.0], "picture": [0, 0.0, 0.0]}
    with OcrEngine(settings) as engine, tempfile.TemporaryDirectory() as scratch:
        pdfs, pictures = PdfReader(settings, engine), ImageReader(settings, engine)
        for raw in inputs:
            for name, data in _documents(raw):
                path = Path(scratch) / ("doc" + Path(name).suffix.lower())
                path.write_bytes(data)
                if path.suffix == ".pdf" and _has_text_layer(path):
                    command = ["pdftotext", "-layout", str(path), "-"]
                    kind, ours, theirs = "text PDF", pdfs, lambda command=command: subprocess.run(command)
                elif path.suffix in PICTURES:
                    kind, ours, theirs = "picture", pictures, _picture_tool(path, settings.ocr.languages)
                else:
                    continue
                started = time.perf_counter()
                try:
                    ours.read(name, data)
                except Exception:  # noqa: BLE001 - a broken document is timed on both sides alike
                    pass
                middle = time.perf_counter()
                theirs()
                totals[kind][0] += 1
                totals[kind][1] += middle - started
                totals[kind][2] += time.perf_counter() - middle
    return {kind: (int(n), ours, theirs) for kind, (n, ours, theirs) in totals.items()}


def _has_text_layer(path: Path) -> bool:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True).stdout
    return len(text.strip()) >= 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=str(ROOT / "samples"))
    parser.add_argument(
        "--rounds", type=int, default=1, help="Measure each side this many times; report the median"
    )
    parser.add_argument("--check", action="store_true", help="Exit 1 when a target is missed")
    args = parser.parse_args()
    for tool in ("pdftotext", "pdftoppm", "tesseract"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed (run `make setup`)")

    inputs = list(iter_inputs([Path(args.path)]))
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(environ={"RPA_HOME": home})
        raw_rapidocr()  # the reference loads its models once, as rpa's workers do
        reference = statistics.median(
            raw_tools_seconds(inputs, settings.ocr.languages) for _ in range(args.rounds)
        )
        one = statistics.median(pipeline_seconds(inputs, settings, 1) for _ in range(args.rounds))
        two = statistics.median(pipeline_seconds(inputs, settings, 2) for _ in range(args.rounds))
        stages = stage_seconds(inputs, settings)

    count = len(inputs)
    ratio, speedup = one / reference, one / two
    print(f"inputs: {count} from {args.path} ({os.cpu_count()} CPUs)")
    print(f"raw tools (pdftotext, tesseract, RapidOCR): {reference:7.2f} s  {count / reference:6.2f} msg/s")
    print(f"rpa pipeline, 1 worker:                     {one:7.2f} s  {count / one:6.2f} msg/s")
    print(f"rpa pipeline, 2 workers:                    {two:7.2f} s  {count / two:6.2f} msg/s")
    print(f"ratio rpa(1 worker) / raw tools: {ratio:.2f}x (target <= {MAX_RATIO}x)")
    print(f"speed-up 2 workers / 1 worker:   {speedup:.2f}x (target >= {MIN_SPEEDUP}x)")
    for kind, (n, ours, theirs) in stages.items():
        if n:
            print(
                f"{kind}s ({n}): rpa {1000 * ours / n:7.1f} ms each,"
                f" raw tool {1000 * theirs / n:7.1f} ms each,"
                f" ratio {ours / theirs:.2f}x"
            )
    missed = ratio > MAX_RATIO or (os.cpu_count() or 1) >= 2 and speedup < MIN_SPEEDUP
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
