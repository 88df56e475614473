"""Smoke test of bench/accuracy.py: it runs on a document of each corpus and prints its tables."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, SHARED_EVAL, require

BENCH = ROOT / "bench" / "accuracy.py"


def run_bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCH), "--no-tool", "--workers", "1", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_accuracy_bench_scores_one_invoice_of_each_pdf_corpus() -> None:
    require((SHARED_EVAL / "parsee_invoices").is_dir(), f"no eval corpora at {SHARED_EVAL}")
    done = run_bench("--corpus", "parsee", "--corpus", "invoice2data", "--limit", "1", "--show-misses")
    assert done.returncode == 0, done.stderr
    assert "## parsee (1 documents)" in done.stdout
    assert "| total_amount | 1/1 (100.0 %) |" in done.stdout
    assert "## invoice2data (1 documents)" in done.stdout


def test_accuracy_bench_ocrs_a_receipt_scan(tesseract: str) -> None:
    require((SHARED_EVAL / "sroie" / "img").is_dir(), f"no SROIE scans at {SHARED_EVAL}")
    done = run_bench("--corpus", "sroie", "--limit", "1")
    assert done.returncode == 0, done.stderr
    assert "## sroie (1 documents)" in done.stdout
    assert "| address |" in done.stdout


def test_accuracy_bench_scores_the_held_out_mails_exactly_with_a_total() -> None:
    done = run_bench("--corpus", "heldout", "--limit", "3")
    assert done.returncode == 0, done.stderr
    assert "## heldout (3 documents)" in done.stdout
    assert "| all fields |" in done.stdout and ">= 97%" in done.stdout
