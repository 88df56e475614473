"""Smoke test of bench/pipeline.py: it runs on a tiny batch and prints its figures."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import require

ROOT = Path(__file__).resolve().parent.parent


def test_pipeline_benchmark_runs_on_a_small_batch_and_prints_its_ratios(tmp_path: Path) -> None:
    require(
        shutil.which("pdftotext") is not None and shutil.which("tesseract") is not None,
        "poppler-utils and tesseract are needed by the benchmark",
    )
    for name in ("en_claim_followup_iphone.eml", "fr_standalone_declaration_sinistre.pdf"):
        shutil.copy(ROOT / "samples" / name, tmp_path / name)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pipeline.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "inputs: 2" in result.stdout
    assert "ratio rpa(1 worker) / raw tools:" in result.stdout
    assert "speed-up 2 workers / 1 worker:" in result.stdout
