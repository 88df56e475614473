"""Reading documents: our readers against the raw tools, ratios measured in one run.

    python bench/documents.py pdf      [--limit N] [--check]   text PDFs vs `pdftotext -layout`
    python bench/documents.py ocr      [--limit N] [--check]   OCR vs the `tesseract` command; 2 workers vs 1
    python bench/documents.py photos   [--limit N] [--check]   receipt photos: RapidOCR vs Tesseract
    python bench/documents.py textlayer [--check]              pages with a good text layer are never OCRed
    python bench/documents.py memory   [--pages N] [--check]   peak RSS of a long text PDF
    python bench/documents.py all      [--check]

Every figure comes from the real code path (`extractors.readers.pdf.PdfReader`,
`extractors.ocr.OcrEngine`, `extractors.documents.DocumentReader`) on the public
documents in `../shared/eval/`; the references run on the same inputs in the
same run. `--check` exits 1 when a target is missed. Targets:

- text PDFs: median time per page <= 1.5x `pdftotext -layout` (per document,
  process start included on both sides: our reader is timed in-process);
- OCR: per picture <= 1.1x the `tesseract` command at the same resolution and
  languages; 20 pages on 2 workers >= 1.8x faster than on 1;
- photos (20 SROIE receipts spread over the corpus, or `--limit` of them): read by the
  pipeline with rpa's Tesseract, RapidOCR at its default settings (OpenVINO, Latin
  characters), reading every character of its recogniser, on ONNX Runtime, and with
  detection on the photo shrunk to 1024 pixels, in turn; RapidOCR's
  default <= 1.5x Tesseract's median time per photo (OCR call only), the fields right on
  these photos printed for each (the whole corpus: `bench/accuracy.py --corpus sroie`);
  RapidOCR on 2 workers >= 1.8x faster than on 1;
- text layer: no OCR call for a page whose text layer is plausible;
- memory: a generated 500-page loss run read whole with peak RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # as `make` and rpa itself run Tesseract

from markdown_table import print_markdown_table  # noqa: E402

from extractors.documents import DocumentReader  # noqa: E402
from extractors.ocr import OcrEngine  # noqa: E402
from extractors.rapid import RapidRecogniser, rapidocr_options  # noqa: E402
from extractors.readers.pdf import PdfReader  # noqa: E402
from extractors.sources import RawInput  # noqa: E402
from rpa.config import OcrSettings, Settings, load_settings  # noqa: E402
from rpa.errors import ExtractionError, OcrError  # noqa: E402
from rpa.models import Attachment  # noqa: E402
from rpa.pipeline import Pipeline  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
TEXT_PDF_FOLDERS = (
    "longlistbench_v1_insurance_claims",
    "parsee_invoices",
    "invoice2data",
    "pdfminer_samples",
)
PDF_RATIO, OCR_RATIO, OCR_SPEEDUP, MAX_RSS_MB = 1.5, 1.1, 1.8, 300


class CountingOcr(OcrEngine):
    """The real engine, counting the pictures it is asked to read."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.calls = 0

    def ocr(self, image, photo=False):  # noqa: ANN001, ANN201 - same signature as OcrEngine.ocr
        self.calls += 1
        return super().ocr(image, photo)


class RefusingOcr(CountingOcr):
    """Counts OCR calls and reads nothing: sorts text PDFs from scans without spending minutes."""

    def ocr(self, image, photo=False):  # noqa: ANN001, ANN201
        self.calls += 1
        raise OcrError("not OCRed in this benchmark")


def bench_settings(**sections: dict) -> Settings:
    settings = load_settings(environ={"RPA_HOME": tempfile.gettempdir() + "/rpa-bench"})
    return dataclasses.replace(
        settings,
        **{name: dataclasses.replace(getattr(settings, name), **values) for name, values in sections.items()},
    )


def text_pdfs(limit: int) -> list[Path]:
    """The eval PDFs that open and whose every page has a plausible text layer (no OCR);
    with `limit`, that many spread over the folders."""
    candidates = [path for folder in TEXT_PDF_FOLDERS for path in sorted((EVAL / folder).rglob("*.pdf"))]
    if limit:
        candidates = candidates[:: max(1, len(candidates) // (3 * limit))]
    found = []
    settings = bench_settings(limits={"max_pages": 10_000})
    with RefusingOcr(settings) as ocr:
        reader = PdfReader(settings, ocr)
        for path in candidates:
            before = ocr.calls
            try:
                text = reader.read(path.name, path.read_bytes())
            except ExtractionError:
                continue  # broken or encrypted: not a speed question
            if ocr.calls == before and text.pages:
                found.append(path)
    return found[:: max(1, len(found) // limit)][:limit] if limit else found


def _timed(action) -> float:  # noqa: ANN001
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bench_pdf(args: argparse.Namespace) -> bool:
    paths = text_pdfs(args.limit)
    settings = bench_settings(limits={"max_pages": 10_000})
    ours, theirs, table_pages, pages_total = [], [], 0, 0
    with CountingOcr(settings) as ocr:
        reader = PdfReader(settings, ocr)
        for path in paths:
            data = path.read_bytes()
            started = time.perf_counter()
            text = reader.read(path.name, data)
            seconds = time.perf_counter() - started
            count = len(text.pages)
            pages_total += count
            table_pages += len({row.page for row in text.tables})
            command = ["pdftotext", "-layout", str(path), "-"]
            reference = _timed(lambda cmd=command: subprocess.run(cmd, capture_output=True, check=False))
            ours.append(seconds / count)
            theirs.append(reference / count)
    ours_ms, theirs_ms = 1000 * statistics.median(ours), 1000 * statistics.median(theirs)
    ratio = ours_ms / theirs_ms
    print(
        f"text PDFs: {len(paths)} documents, {pages_total} pages ({table_pages} holding claim rows), "
        f"{ocr.calls} OCR calls"
    )
    print(
        f"  median per page: rpa {ours_ms:.2f} ms, pdftotext -layout {theirs_ms:.2f} ms, "
        f"ratio {ratio:.2f}x (target <= {PDF_RATIO}x)"
    )
    print(
        f"  mean per page:   rpa {1000 * sum(ours) / len(ours):.2f} ms, "
        f"pdftotext -layout {1000 * sum(theirs) / len(theirs):.2f} ms"
    )
    return ratio <= PDF_RATIO


def scan_pictures(count: int, dpi: int, folder: Path) -> list[Path]:
    """Pages of the Parsee invoices rendered as grey PNGs: real documents as a scanner sees them."""
    import pypdfium2 as pdfium

    pictures = []
    for pdf_path in sorted((EVAL / "parsee_invoices" / "pdfs").glob("*.pdf")):
        document = pdfium.PdfDocument(str(pdf_path))
        try:
            for index in range(len(document)):
                if len(pictures) == count:
                    return pictures
                image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
                path = folder / f"scan{len(pictures):02d}.png"
                image.save(path, dpi=(dpi, dpi))
                pictures.append(path)
        finally:
            document.close()
    return [pictures[i % len(pictures)] for i in range(count)]  # repeated when the set is short


def bench_ocr(args: argparse.Namespace) -> bool:
    from PIL import Image

    batch = args.limit or 20
    with tempfile.TemporaryDirectory() as scratch:
        pictures = scan_pictures(batch, args.dpi, Path(scratch))
        settings = bench_settings(ocr={"workers": 1})
        languages = settings.ocr.languages
        ours, theirs = [], []
        with OcrEngine(settings) as engine:
            engine.ocr(Image.open(pictures[0]))  # checks tesseract's languages once, like a long run
            for index, path in enumerate(pictures[: max(2, batch // 2)]):
                command = ["tesseract", str(path), "-", "-l", languages]
                sides = [
                    (ours, lambda path=path: engine.ocr(Image.open(path))),
                    (theirs, lambda cmd=command: subprocess.run(cmd, capture_output=True, check=True)),
                ]
                # Alternate who goes first, so that a busy moment of the machine hits both alike.
                for times, action in sides if index % 2 == 0 else sides[::-1]:
                    times.append(_timed(action))
        speeds: dict[int, float] = {1: 0.0, 2: 0.0}
        for workers in (1, 2, 2, 1):  # ABBA, for the same reason
            with OcrEngine(bench_settings(ocr={"workers": workers}).ocr) as engine:
                engine.ocr(Image.open(pictures[0]))
                speeds[workers] += (
                    _timed(
                        lambda engine=engine: engine.ocr_many([lambda p=p: Image.open(p) for p in pictures])
                    )
                    / 2
                )
    ratio = statistics.median(ours) / statistics.median(theirs)
    speedup = speeds[1] / speeds[2]
    print(
        f"OCR: {len(ours)} pictures at {args.dpi} dpi, languages {languages}, OMP_THREAD_LIMIT="
        f"{os.environ.get('OMP_THREAD_LIMIT')}"
    )
    print(
        f"  median per picture: rpa {statistics.median(ours):.2f} s, tesseract command "
        f"{statistics.median(theirs):.2f} s, ratio {ratio:.2f}x (target <= {OCR_RATIO}x)"
    )
    print(
        f"  {len(pictures)} pages: 1 worker {speeds[1]:.1f} s, 2 workers {speeds[2]:.1f} s, "
        f"speed-up {speedup:.2f}x (target >= {OCR_SPEEDUP}x on {os.cpu_count()} CPUs)"
    )
    return ratio <= OCR_RATIO and (speedup >= OCR_SPEEDUP or (os.cpu_count() or 1) < 2)


# Other ways of reading a photo with RapidOCR, measured beside the default (OpenVINO runs the
# networks, recognition in bfloat16 where the CPU has it; detection on the whole photo): ONNX Runtime running
# them (`[ocr] photo_runtime = "onnxruntime"`: the same text on every CPU, 2 to 3 times slower),
# lines looked for on the photo shrunk to 1024 pixels (`[ocr] photo_detection_side = 1024`), and
# every character of the recogniser scored, Chinese and Japanese too (`[ocr] photo_characters = "all"`).
ONNXRUNTIME_OPTIONS = rapidocr_options(OcrSettings(photo_runtime="onnxruntime"))
FAST_RAPIDOCR_OPTIONS = rapidocr_options(OcrSettings(photo_detection_side=1024))
PHOTO_RATIO = 1.5  # RapidOCR's time per photo against rpa's Tesseract on the same photos
SROIE_FIELDS = ("invoice_date", "total_amount", "company", "address")


def spread(paths: list[Path], count: int) -> list[Path]:
    """`count` of `paths` taken evenly over the sorted list: the same photos every run."""
    if not count or count >= len(paths):
        return paths
    return [paths[int(index * len(paths) / count)] for index in range(count)]


class TimedOcr(OcrEngine):
    """The real engine, adding up the seconds of each picture it reads; `rapid_options`
    gives its RapidOCR other parameters than the settings make."""

    def __init__(self, settings: Settings, rapid_options: dict[str, object] | None = None) -> None:
        super().__init__(settings)
        if rapid_options is not None:
            self.recognisers[RapidRecogniser.name] = RapidRecogniser(self.settings, rapid_options)
        self.seconds = 0.0

    def ocr(self, image, photo=False):  # noqa: ANN001, ANN201 - same signature as OcrEngine.ocr
        started = time.perf_counter()
        try:
            return super().ocr(image, photo)
        finally:
            self.seconds += time.perf_counter() - started


@dataclasses.dataclass
class PhotoReader:
    """One way of reading photos, through the pipeline (reading, OCR, field extraction)."""

    label: str
    pipeline: Pipeline
    ocr: TimedOcr
    seconds: list[float] = dataclasses.field(default_factory=list)
    scores: dict[str, list[float]] = dataclasses.field(default_factory=dict)

    @classmethod
    def make(
        cls, label: str, engine: str, rapid_options: dict[str, object] | None = None, **ocr: object
    ) -> PhotoReader:
        """A reader by `engine`, its RapidOCR with these parameters, other `[ocr]` settings in `ocr`."""
        settings = bench_settings(ocr={"workers": 1, "engine": engine, **ocr})
        ocr = TimedOcr(settings, rapid_options)
        return cls(label, Pipeline(settings, ocr=ocr), ocr)

    def read(self, case) -> None:  # noqa: ANN001 - accuracy_corpora.Case
        from accuracy_scoring import SCORERS

        raw = RawInput(str(case.path), case.path.read_bytes(), "document", case.path.name)
        before = self.ocr.seconds
        found = self.pipeline.examine(self.pipeline.parse(raw)).fields
        self.seconds.append(self.ocr.seconds - before)
        for name in SROIE_FIELDS:
            if name in case.truth:
                got = found[name].value if name in found else None
                self.scores.setdefault(name, []).append(SCORERS[name](case.truth[name], got))

    def close(self) -> None:
        self.pipeline.close()
        self.ocr.close()


def bench_photos(args: argparse.Namespace) -> bool:
    """SROIE receipt photos through the pipeline, read by Tesseract and by RapidOCR at the
    default settings and three other ways; then RapidOCR on 1 and 2 workers."""
    sys.path.insert(0, str(ROOT / "bench"))
    from accuracy_corpora import sroie_cases
    from PIL import Image

    cases = sroie_cases(EVAL / "sroie")
    chosen = {path.stem for path in spread([case.path for case in cases], args.limit or 20)}
    cases = [case for case in cases if case.path.stem in chosen]
    readers = [
        PhotoReader.make("rpa's Tesseract", "tesseract"),
        PhotoReader.make("RapidOCR (default)", "auto"),
        PhotoReader.make("RapidOCR, every character", "rapidocr", photo_characters="all"),
        PhotoReader.make("RapidOCR on ONNX Runtime", "rapidocr", ONNXRUNTIME_OPTIONS),
        PhotoReader.make("RapidOCR, detection at 1024 px", "rapidocr", FAST_RAPIDOCR_OPTIONS),
    ]
    try:
        for reader in readers:  # loads the models and checks Tesseract's languages, as a long run has
            reader.ocr.ocr(Image.open(cases[0].path), photo=True)
        for index, case in enumerate(cases):
            # Each reader in turn, the order turning with each photo: a busy moment of the machine
            # falls on all of them alike.
            turn = index % len(readers)
            for reader in readers[turn:] + readers[:turn]:
                reader.read(case)
    finally:
        for reader in readers:
            reader.close()
    tesseract = statistics.median(readers[0].seconds)
    print(f"Photos: {len(cases)} SROIE receipt photos spread over the corpus, read by the pipeline")
    print()
    print_markdown_table(
        ["reader", "median s/photo", "mean s/photo", "x Tesseract", *SROIE_FIELDS],
        [_photo_row(reader, tesseract) for reader in readers],
    )
    ratio = statistics.median(readers[1].seconds) / tesseract
    print(f"\n  RapidOCR (default): {ratio:.2f}x Tesseract's time per photo (target <= {PHOTO_RATIO}x)")
    speedup = photo_speed_up([case.path for case in cases])
    return ratio <= PHOTO_RATIO and (speedup >= OCR_SPEEDUP or (os.cpu_count() or 1) < 2)


def _photo_row(reader: PhotoReader, tesseract: float) -> list[str]:
    """A reader's times per photo, its ratio to Tesseract's median, and its fields right."""
    median = statistics.median(reader.seconds)
    times = [f"{median:.2f}", f"{statistics.mean(reader.seconds):.2f}", f"{median / tesseract:.2f}"]
    right = [f"{sum(reader.scores[name]):.3g}/{len(reader.scores[name])}" for name in SROIE_FIELDS]
    return [reader.label, *times, *right]


def photo_speed_up(photos: list[Path]) -> float:
    """RapidOCR's speed-up on 2 workers against 1, the same photos read twice on each (ABBA)."""
    from PIL import Image

    one = OcrEngine(bench_settings(ocr={"workers": 1}).ocr)
    two = OcrEngine(bench_settings(ocr={"workers": 2}).ocr)
    with one, two:
        one.ocr(Image.open(photos[0]), photo=True)  # each worker thread loads its models once
        two.ocr_many([Image.open(photos[0]) for _ in range(2)], photo=True)
        speeds: dict[int, float] = {1: 0.0, 2: 0.0}
        for workers, engine in ((1, one), (2, two), (2, two), (1, one)):
            batch = [lambda p=p: Image.open(p) for p in photos]
            speeds[workers] += (
                _timed(lambda engine=engine, batch=batch: engine.ocr_many(batch, photo=True)) / 2
            )
    speedup = speeds[1] / speeds[2]
    print(
        f"  {len(photos)} photos by RapidOCR: 1 worker {speeds[1]:.1f} s, 2 workers {speeds[2]:.1f} s, "
        f"speed-up {speedup:.2f}x (target >= {OCR_SPEEDUP}x on {os.cpu_count()} CPUs)"
    )
    return speedup


def bench_textlayer(args: argparse.Namespace) -> bool:
    """No OCR call on text PDFs; exactly one on a PDF with one scanned page among text pages."""
    sys.path.insert(0, str(ROOT / "tests"))
    import docbuilder

    settings = bench_settings(limits={"max_pages": 10_000})
    paths = text_pdfs(args.limit)
    scan = docbuilder.scan_image(docbuilder.CLAIM_LINES, dpi=150)
    mixed = docbuilder.mixed_pdf("\n".join(docbuilder.CLAIM_LINES), scan)
    with CountingOcr(settings) as ocr:
        reader = DocumentReader(settings, ocr)
        for path in paths:
            data = path.read_bytes()
            reader.read(Attachment(path.name, "application/pdf", len(data), data=data))
        text_calls = ocr.calls
        reader.read(Attachment("mixed.pdf", "application/pdf", len(mixed), data=mixed))
        mixed_calls = ocr.calls - text_calls
    print(
        f"text layer: {len(paths)} text PDFs -> {text_calls} OCR calls (target 0); "
        f"text page + scanned page -> {mixed_calls} OCR call(s) (target 1)"
    )
    return text_calls == 0 and mixed_calls == 1


def loss_run_pdf(pages: int, path: Path) -> None:
    """A long loss run, one claim table per page (the costliest kind of text page for us)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_font("Helvetica", size=9)
    for page in range(pages):
        pdf.add_page()
        for title in ("Claim #", "Policy #", "Loss Date", "Paid", "Reserve", "Total Incurred"):
            pdf.cell(44, 7, title, border=1)
        pdf.ln(9)
        for row in range(18):
            number = page * 18 + row
            for value in (
                f"C{number:06d}",
                f"POL-{number % 97:04d}",
                f"{row % 12 + 1:02d}/15/2024",
                f"${number * 3.5:,.2f}",
                f"${number:,.2f}",
                f"${number * 4.5:,.2f}",
            ):
                pdf.cell(44, 6, value)
            pdf.ln(7)
    pdf.output(str(path))


def _peak_rss_mb(*args: str) -> tuple[float, str]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    lines = done.stdout.strip().splitlines()
    return float(lines[-1]), "\n".join(lines[:-1])


def bench_memory(args: argparse.Namespace) -> bool:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "loss_run.pdf"
        loss_run_pdf(args.pages, path)
        ours, summary = _peak_rss_mb("_child", "reader", str(path))
        reference, _ = _peak_rss_mb("_child", "pdfium", str(path))
    print(f"memory: {args.pages}-page loss run ({summary})")
    print(
        f"  peak RSS: rpa DocumentReader {ours:.0f} MB (target <= {MAX_RSS_MB} MB), "
        f"pypdfium2 text alone {reference:.0f} MB, ratio {ours / reference:.2f}x"
    )
    return ours <= MAX_RSS_MB


def _child(kind: str, path: str) -> None:
    """Runs in its own process so that its peak RSS is its own."""
    data = Path(path).read_bytes()
    if kind == "pdfium":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    else:
        settings = bench_settings(limits={"max_pages": 100_000})
        with OcrEngine(settings) as ocr:
            attachment = Attachment("loss_run.pdf", "application/pdf", len(data), data=data)
            DocumentReader(settings, ocr).read(attachment)
        print(f"{len(attachment.pages)} pages read, {len(attachment.tables)} claim rows")
    print(_peak_rss_of_this_process_mb())


def _peak_rss_of_this_process_mb() -> float:
    """VmHWM, which exec resets; ru_maxrss can carry the high-water mark of the parent
    this process was forked from (after `documents.py all` has run the OCR benchmark)."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


BENCHES = {
    "pdf": bench_pdf,
    "ocr": bench_ocr,
    "photos": bench_photos,
    "textlayer": bench_textlayer,
    "memory": bench_memory,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        _child(argv[1], argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", choices=[*BENCHES, "all"])
    parser.add_argument(
        "--limit",
        type=int,
        default=0,
        help="documents (pdf, textlayer), pages (ocr) or photos; 0: all documents, 20 pages or photos",
    )
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the OCR pictures")
    parser.add_argument("--pages", type=int, default=500, help="pages of the memory benchmark's PDF")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    names = list(BENCHES) if args.bench == "all" else [args.bench]
    met = [BENCHES[name](args) for name in names]
    return 1 if args.check and not all(met) else 0


if __name__ == "__main__":
    sys.exit(main())
