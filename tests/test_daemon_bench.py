"""Smoke tests of bench/imap_latency.py and bench/imap_backlog.py on a few mails."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, require
from servers import dovecot_available


def run_bench(name: str, *args: str) -> subprocess.CompletedProcess:
    require(dovecot_available(), "Dovecot is not installed (apt-get install dovecot-imapd) or not root")
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / name), *args], capture_output=True, text=True, timeout=300
    )


def test_the_idle_latency_benchmark_prints_p50_and_p95() -> None:
    result = run_bench("imap_latency.py", "--mails", "3")
    assert result.returncode == 0, result.stderr
    assert "mails: 3" in result.stdout and "p50" in result.stdout and "p95" in result.stdout


def test_the_backlog_benchmark_compares_rpa_with_a_raw_fetch() -> None:
    result = run_bench("imap_backlog.py", "--mails", "20")
    assert result.returncode == 0, result.stderr
    assert "mails: 20" in result.stdout and "ratio raw / rpa:" in result.stdout
