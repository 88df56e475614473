"""bench/scale.py: its copies of the samples are new to the store and read as the originals,
and the whole benchmark runs on ten mails against the real PostgreSQL and RabbitMQ."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLES, require

from rpa.config import Settings
from rpa.pipeline import Pipeline, parse_input

sys.path.insert(0, str(ROOT / "bench"))

from scale_cluster import reachable  # noqa: E402
from scale_inputs import as_raw, load_samples, write_copies, write_copy  # noqa: E402


def test_copies_of_the_samples_are_new_to_the_store_and_each_other(
    settings: Settings, tmp_path: Path
) -> None:
    require(shutil.which("pdftotext") is not None, "poppler-utils is needed to tell scans from text PDFs")
    samples = load_samples(SAMPLES, settings)
    copies = write_copies(samples, 2 * len(samples), tmp_path, "copy")
    keys = {parse_input(as_raw(path), settings.limits).key for path in copies}
    originals = {parse_input(as_raw(SAMPLES / sample.name), settings.limits).key for sample in samples}
    assert len(keys) == 2 * len(samples)
    assert not keys & originals
    assert {sample.kind for sample in samples} == {"text", "text PDF", "scan", "photo"}


def test_a_copy_of_each_kind_of_sample_reads_as_the_original(settings: Settings, tmp_path: Path) -> None:
    require(shutil.which("pdftotext") is not None, "poppler-utils is needed to tell scans from text PDFs")
    require(shutil.which("tesseract") is not None, "tesseract is needed to read the scans")
    samples = load_samples(SAMPLES, settings)
    documents = [sample for sample in samples if sample.document]  # bytes appended after their end
    first_of_kind = list(
        {sample.kind: sample for sample in reversed(samples) if not sample.document}.values()
    )
    chosen = documents + first_of_kind
    copies = [write_copy(sample, tmp_path, "copy") for sample in chosen]
    pipeline = Pipeline(settings)
    try:
        for sample, path in zip(chosen, copies, strict=True):
            original, copy = pipeline.process(as_raw(SAMPLES / sample.name)), pipeline.process(as_raw(path))
            assert copy.errors == original.errors, sample.name
            assert copy.classification.intent == original.classification.intent, sample.name
            assert {n: f.value for n, f in copy.fields.items()} == {
                n: f.value for n, f in original.fields.items()
            }
    finally:
        pipeline.close()


def test_scale_benchmark_runs_on_ten_mails_and_prints_its_figures() -> None:
    require(reachable(5432), "PostgreSQL is not running on 127.0.0.1:5432")
    require(reachable(5672), "RabbitMQ is not running on 127.0.0.1:5672")
    require(
        shutil.which("pdftotext") is not None and shutil.which("tesseract") is not None,
        "poppler-utils and tesseract are needed by the benchmark",
    )
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "scale.py"),
            "--mails",
            "10",
            "--per-kind",
            "1",
            "--latency",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "mails: 10 made from 54 samples" in result.stdout
    for run in (
        "in-process `rpa process`",
        "distributed, `rpa worker -c 1`",
        "distributed, `rpa worker -c 2`",
        "a queued backlog, `rpa worker -c 1`",
        "a queued backlog, `rpa worker -c 2`",
    ):
        assert re.search(rf"\| {re.escape(run)}[^|]* \| \d+\.\d\d \|", result.stdout), run
    assert "speed-up, 2 worker processes / 1, on a queued backlog" in result.stdout
    for kind in ("text", "text PDF", "scan", "photo"):
        cpu = re.search(rf"^\| {kind} \| \d+ \| \d+% \| 1 \| (\d+\.\d+) \|", result.stdout, re.MULTILINE)
        assert cpu is not None and float(cpu.group(1)) > 0, kind
    assert re.search(r"cores, the day's mail within 10 h at 70% busy \| \d+ \|", result.stdout)
