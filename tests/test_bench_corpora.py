"""Smoke test of bench/corpora.py: one input of a corpus, through the whole pipeline in its
own process, gives one output and the run's peak memory."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, SHARED_EVAL, require


def test_corpora_benchmark_reports_outputs_tracebacks_and_memory_of_a_run() -> None:
    corpus = "tnef_winmail_tnefparse"  # a winmail.dat, sent as the attachment of a generated mail
    require((SHARED_EVAL / corpus).is_dir(), f"the shared eval corpus {corpus} is not here")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "corpora.py"), "--corpus", corpus, "--limit", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (summary,) = json.loads(result.stdout)
    assert (summary["inputs"], summary["outputs"], summary["tracebacks"]) == (1, 1, 0)
    assert sum(summary["messages"].values()) == 1  # "ok" or "with errors", never lost
    assert summary["peak_rss_mb"] >= summary["largest_process_mb"] > 50
