"""Where RapidOCR's time goes on receipt photos, under several settings.

    python bench/photo_profile.py [--limit N] [--variant NAME ...]

For each variant (a few RapidOCR options changed from those before issue 12),
reads the same SROIE photos (`--limit` of them, spread evenly over the sorted
folder) on one thread and prints the median seconds per photo for the whole call
and for its stages (detection, angle classification, recognition, as RapidOCR
reports them; "other" is resizing and cropping), the number of lines found, and
how much of the text is the same as the first variant's (character similarity of
the whole page). rpa's Tesseract on the same photos is timed in the same run, each
photo read by every engine in turn, so every ratio is like for like.

This is the measurement behind the constants in `extractors/rapid.py`; the
benchmark that keeps them honest is `bench/documents.py photos`.
"""

from __future__ import annotations

import argparse
import difflib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from documents import spread  # noqa: E402
from markdown_table import print_markdown_table  # noqa: E402
from PIL import Image  # noqa: E402

from extractors.pictures import upright_on_white  # noqa: E402
from extractors.rapid import RAPIDOCR_OPTIONS, rapidocr_engine, rapidocr_options  # noqa: E402
from extractors.tesseract import TesseractRecogniser  # noqa: E402
from rpa.config import OcrSettings, load_settings  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"

# Each variant changes a few of the options before issue 12 (ONNX Runtime runs both networks);
# "new" is what rpa runs now (OpenVINO runs both networks, the recogniser reading Latin characters).
BEFORE = rapidocr_options(OcrSettings(photo_runtime="onnxruntime"))
OPENVINO = {key: value for key, value in RAPIDOCR_OPTIONS.items() if key.startswith("EngineConfig.openvino.")}
VARIANTS: dict[str, dict[str, object]] = {
    "old": {},
    "cls-on": {"Global.use_cls": True},
    "det-max-960": {"Det.limit_type": "max", "Det.limit_side_len": 960},
    "det-max-1280": {"Det.limit_type": "max", "Det.limit_side_len": 1280},
    "det-max-736": {"Det.limit_type": "max", "Det.limit_side_len": 736},
    "det-max-640": {"Det.limit_type": "max", "Det.limit_side_len": 640},
    "rec-batch-1": {"Rec.rec_batch_num": 1},
    "rec-batch-16": {"Rec.rec_batch_num": 16},
    "rec-batch-32": {"Rec.rec_batch_num": 32},
    "mem-arena": {"EngineConfig.onnxruntime.enable_cpu_mem_arena": True},
    "threads-2": {
        "EngineConfig.onnxruntime.intra_op_num_threads": 2,
    },
    "max-side-1600": {"Global.max_side_len": 1600},
    "rec-w160": {"Rec.rec_img_shape": [3, 48, 160]},
    "rec-w48": {"Rec.rec_img_shape": [3, 48, 48]},
    "rec-w48-batch-1": {"Rec.rec_img_shape": [3, 48, 48], "Rec.rec_batch_num": 1},
    "det960-rec-w48-batch-1": {
        "Det.limit_type": "max",
        "Det.limit_side_len": 960,
        "Rec.rec_img_shape": [3, 48, 48],
        "Rec.rec_batch_num": 1,
    },
    "det1280-rec-w48": {
        "Det.limit_type": "max",
        "Det.limit_side_len": 1280,
        "Rec.rec_img_shape": [3, 48, 48],
    },
    "det1280-rec-w48-batch-1": {
        "Det.limit_type": "max",
        "Det.limit_side_len": 1280,
        "Rec.rec_img_shape": [3, 48, 48],
        "Rec.rec_batch_num": 1,
    },
    "det1120-rec-w48-batch-1": {
        "Det.limit_type": "max",
        "Det.limit_side_len": 1120,
        "Rec.rec_img_shape": [3, 48, 48],
        "Rec.rec_batch_num": 1,
    },
    "det960-rec-w48": {
        "Det.limit_type": "max",
        "Det.limit_side_len": 960,
        "Rec.rec_img_shape": [3, 48, 48],
    },
    "openvino-det": {**OPENVINO, "Det.engine_type": "openvino"},
    "openvino-rec": {**OPENVINO, "Rec.engine_type": "openvino"},
    "openvino-det-max-1024": {
        **OPENVINO,
        "Det.engine_type": "openvino",
        "Rec.engine_type": "openvino",
        "Det.limit_type": "max",
        "Det.limit_side_len": 1024,
    },
    "new-all-characters": {"__new__": True, "__characters__": "all"},
    "new": {"__new__": True},
}


def make_engine(variant: dict[str, object]):  # noqa: ANN201 - rapidocr.RapidOCR
    """The variant's RapidOCR: before issue 12 every character of the recogniser was read,
    rpa now reads Latin ones (`[ocr] photo_characters`) unless the variant says otherwise."""
    new = bool(variant.get("__new__"))
    characters = variant.get("__characters__", "latin" if new else "all")
    return rapidocr_engine(RAPIDOCR_OPTIONS if new else {**BEFORE, **variant}, characters=characters)


class Tally:
    """One variant's stage times and texts, photo by photo."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.stages: dict[str, list[float]] = {key: [] for key in ("total", "det", "cls", "rec", "other")}
        self.texts: list[str] = []
        self.lines: list[int] = []

    def add(self, total: float, found) -> None:  # noqa: ANN001 - a RapidOCROutput
        det, cls, rec = ((value or 0.0) for value in (*found.elapse_list, 0.0, 0.0, 0.0)[:3])
        for key, value in (("total", total), ("det", det), ("cls", cls), ("rec", rec)):
            self.stages[key].append(value)
        self.stages["other"].append(total - det - cls - rec)
        self.texts.append("\n".join(found.txts or ()))
        self.lines.append(len(found.txts or ()))

    def median(self, stage: str) -> float:
        return statistics.median(self.stages[stage])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--limit", type=int, default=20, help="photos, spread over the corpus (0: all 63)")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), help="default: all")
    args = parser.parse_args(argv)
    paths = spread(sorted((EVAL / "sroie" / "img").glob("*.jpg")), args.limit)
    names = args.variant or list(VARIANTS)
    engines = {name: make_engine(VARIANTS[name]) for name in names}
    tesseract = TesseractRecogniser(load_settings(environ={"RPA_HOME": "/tmp/rpa-profile"}).ocr)
    tallies = {name: Tally(name) for name in names}
    tesseract_times: list[float] = []
    first = upright_on_white(Image.open(paths[0])).convert("RGB")
    tesseract.read(first)
    for engine in engines.values():
        engine(first)  # loads the models
    for index, path in enumerate(paths):
        picture = upright_on_white(Image.open(path)).convert("RGB")
        # Every engine reads the photo in turn, the order turning with each photo, so that
        # a busy moment of the machine falls on all of them alike.
        turn = [None, *names]
        for name in turn[index % len(turn) :] + turn[: index % len(turn)]:
            started = time.perf_counter()
            if name is None:
                tesseract.read(picture)
                tesseract_times.append(time.perf_counter() - started)
            else:
                found = engines[name](picture)
                tallies[name].add(time.perf_counter() - started, found)
    reference_s = statistics.median(tesseract_times)
    print(f"{len(paths)} SROIE photos; rpa's Tesseract: median {reference_s:.2f} s per photo\n")
    reference = tallies[names[0]]
    print_markdown_table(
        ["variant", "total s", "det s", "cls s", "rec s", "other s", "lines", "x Tesseract", "text same"],
        [_variant_row(tally, reference, reference_s) for tally in tallies.values()],
    )
    return 0


def _variant_row(tally: Tally, reference: Tally, reference_s: float) -> list[str]:
    """A variant's median times per stage, its lines, its ratio to Tesseract and its text
    likeness to the first variant's."""
    same = statistics.mean(
        difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
        for a, b in zip(reference.texts, tally.texts, strict=True)
    )
    stages = [f"{tally.median(stage):.2f}" for stage in ("total", "det", "cls", "rec", "other")]
    ratio = tally.median("total") / reference_s
    return [tally.name, *stages, f"{statistics.mean(tally.lines):.0f}", f"{ratio:.2f}", f"{same:.1%}"]


if __name__ == "__main__":
    sys.exit(main())
