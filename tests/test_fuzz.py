"""Hostile input, a few seconds of fuzzing per reader: each harness of `bench/fuzz.py`.

Every input must end in a result or in rpa's own error, with a status and a reason,
never in another exception and never past the per-input time budget. A finding fails
the test with the input that caused it (saved in the test's temporary folder, its
first bytes printed) and what it did. The long run, minutes per harness, is
`python bench/fuzz.py`. What a run found is replayed here (tests/data/fuzz_crashes/,
whose README says what each input did) and, for the mail parser, written out as the
behaviour it now has in tests/test_mime.py.
"""

from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT, require

sys.path.insert(0, str(ROOT / "bench"))
from fuzz_targets import HARNESSES  # noqa: E402

FUZZ = ROOT / "bench" / "fuzz.py"
CRASHES = ROOT / "tests" / "data" / "fuzz_crashes"
SECONDS_PER_HARNESS = 2
SEEDS_PER_SOURCE = 3
_SHOWN_BYTES = 600
_REPLAY_SECONDS = 2  # an input that once hung gets this long, in the test's own process
# Inputs a harness found that still end badly, each waiting for its fix where it is
# named (strict: the day it is fixed, the test says so and its entry goes).
_NOT_YET_FIXED: dict[str, str] = {}  # a saved input that still fails: name -> why


@pytest.fixture(scope="module")
def short_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every harness fuzzed for a few seconds, two at a time: harness name -> its run."""
    require(importlib.util.find_spec("atheris") is not None, "atheris is not installed (make setup)")
    crashes = tmp_path_factory.mktemp("fuzz-findings")
    command = [sys.executable, str(FUZZ), "--seconds", str(SECONDS_PER_HARNESS), "--jobs", "2"]
    command += ["--seeds", str(SEEDS_PER_SOURCE), "--crashes", str(crashes), "--quick-start", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.stdout.strip(), done.stderr[-3000:]
    return {run["harness"]: run for run in json.loads(done.stdout)}


@pytest.mark.parametrize("harness", sorted(HARNESSES))
def test_a_few_seconds_of_hostile_input_find_nothing(harness: str, short_runs: dict[str, dict]) -> None:
    run = short_runs[harness]

    assert not run["findings"], _described(run["findings"])
    assert run["executions"] > 0


def _described(findings: list[dict]) -> str:
    parts = []
    for finding in findings:
        path = Path(finding["path"]) if finding["path"] else None
        data = path.read_bytes() if path and path.is_file() else b""
        parts.append(
            f"{finding['kind']}: input saved as {path} ({len(data)} bytes), starting "
            f"{data[:_SHOWN_BYTES]!r}\n{finding['description']}"
        )
    return "\n\n".join(parts)


@pytest.mark.parametrize("path", sorted(CRASHES.glob("*-*")), ids=lambda path: path.name)
def test_an_input_that_once_broke_a_harness_now_ends_in_a_result_or_our_error(
    path: Path, request: pytest.FixtureRequest
) -> None:
    if path.name in _NOT_YET_FIXED:
        request.applymarker(pytest.mark.xfail(strict=True, reason=_NOT_YET_FIXED[path.name]))
    target = HARNESSES[path.name.split("-", 1)[0]].make()

    with _time_budget(_REPLAY_SECONDS):
        target(path.read_bytes())  # raises what the harness found


class _OutOfTime(BaseException):
    """Not an `Exception`: the readers' own boundaries (and logging's) must not swallow it."""


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the Python code running here after `seconds`, and again every half
    second after that (the hangs found so far loop in Python)."""

    def interrupt(_signal: int, _frame: object) -> None:
        raise _OutOfTime(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
