"""Smoke test of bench/llm_drafting.py: it runs on a tiny model and a small base and prints its figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_drafting_benchmark_runs_quickly_and_prints_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "llm_drafting.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for figure in (
        "drafting overhead:",
        "batch of 8 in one generate:",
        "one by one:",
        "search latency, BM25 (fr):",
        "search latency, BM25 + embeddings (en):",
    ):
        assert figure in result.stdout
    assert "nan" not in result.stdout
