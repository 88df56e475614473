"""Smoke test of bench/web.py: a small seeded store, the app under load, every figure printed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_web_benchmark_runs_quickly_and_prints_every_page_against_the_fixed_one(tmp_path: Path) -> None:
    output = tmp_path / "web.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "web.py"), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "== SQLite: 400 messages" in result.stdout
    for label in (
        "fixed page (reference)",
        "queue: complaint, fr, search",
        "item page",
        "page image, cached",
    ):
        assert label in result.stdout
    figures = json.loads(output.read_text())["databases"]["sqlite"]["workers_1"]
    assert all(
        figures[page]["requests"] > 0 and figures[page]["errors"] == 0 for page in ("fixed", "queue", "item")
    )
    assert figures["fixed"]["ratio_p95"] == 1.0
