"""Smoke tests of bench/documents.py: each benchmark runs on a tiny input and prints its figures."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SHARED_EVAL, require

BENCH = ROOT / "bench" / "documents.py"


def run_bench(*args: str) -> str:
    done = subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(autouse=True)
def _tools_and_documents() -> None:
    require(
        shutil.which("pdftotext") is not None, "pdftotext is not installed (apt-get install poppler-utils)"
    )
    require(
        shutil.which("tesseract") is not None, "tesseract is not installed (apt-get install tesseract-ocr)"
    )
    require((SHARED_EVAL / "parsee_invoices").is_dir(), f"{SHARED_EVAL} is not there")


def test_pdf_benchmark_prints_our_time_per_page_against_pdftotext() -> None:
    out = run_bench("pdf", "--limit", "2")
    assert "text PDFs: 2 documents" in out
    assert "ratio" in out and "pdftotext -layout" in out


def test_ocr_benchmark_prints_the_ratio_to_tesseract_and_the_two_worker_speed_up() -> None:
    out = run_bench("ocr", "--limit", "2", "--dpi", "72")
    assert "tesseract command" in out and "speed-up" in out


def test_photos_benchmark_times_rapidocr_four_ways_against_tesseract_with_the_fields_right() -> None:
    out = run_bench("photos", "--limit", "1")
    rows = [line for line in out.splitlines() if line.startswith("| rpa's Tesseract") or "| RapidOCR" in line]
    assert [row.split("|")[1].strip() for row in rows] == [
        "rpa's Tesseract",
        "RapidOCR (default)",
        "RapidOCR, every character",
        "RapidOCR on ONNX Runtime",
        "RapidOCR, detection at 1024 px",
    ]
    assert all(row.count("/1 ") == 4 for row in rows)  # date, total, company, address on the one photo
    assert "Tesseract's time per photo" in out and "speed-up" in out


def test_text_layer_benchmark_counts_no_ocr_on_text_pdfs_and_one_on_a_scanned_page() -> None:
    out = run_bench("textlayer", "--limit", "2", "--check")
    assert "2 text PDFs -> 0 OCR calls" in out and "-> 1 OCR call(s)" in out


def test_memory_benchmark_measures_peak_rss_of_a_generated_loss_run() -> None:
    out = run_bench("memory", "--pages", "3", "--check")
    assert "3 pages read, 54 claim rows" in out
    assert "peak RSS: rpa DocumentReader" in out
