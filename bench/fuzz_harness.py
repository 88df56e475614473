"""What every fuzz harness is made of, and what the harness families share.

A `Harness` names the function it fuzzes, where its seeds come from, which packages'
coverage guides the fuzzer, and the tokens it may splice in. A target raises `Broken`
for an answer that breaks the promise (see `fuzz_targets`); `check_refusal` is that
promise for rpa's own `ExtractionError`. `seed_files` reads seeds from the public
corpora in `../shared/eval` (in place, never copied) or from a project folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SAMPLES = ROOT / "samples"

__all__ = ["EVAL", "ROOT", "SAMPLES", "Broken", "Harness", "check_refusal", "seed_files"]


class Broken(Exception):
    """A result that breaks the promise: the input was answered, but not as it should be."""


@dataclass(frozen=True)
class Harness:
    name: str
    make: Callable[[], Callable[[bytes], None]]  # imports what it tests, returns the target
    seeds: Callable[[int], list[bytes]]  # at most this many inputs from each source
    instrument: tuple[str, ...]  # packages whose Python code guides the fuzzer
    max_len: int  # longest input the fuzzer makes, in bytes
    dictionary: tuple[bytes, ...] = ()  # tokens the fuzzer may splice in


def check_refusal(exc: Exception) -> None:
    """An `ExtractionError` must give an attachment status and a reason to show."""
    from rpa.models import AttachmentStatus

    if exc.status not in (AttachmentStatus.ERROR, AttachmentStatus.SKIPPED) or not exc.reason.strip():
        raise Broken(f"ExtractionError with status {exc.status!r} and reason {exc.reason!r}") from exc


def seed_files(folder: str, pattern: str, limit: int, max_bytes: int) -> list[bytes]:
    """The first `limit` files (by name) matching `pattern` under `EVAL/folder` or a project folder."""
    base = EVAL / folder if not folder.startswith("/") else Path(folder)
    if not base.is_dir():
        return []
    found = []
    for path in sorted(base.rglob(pattern)):
        if len(found) >= limit:
            break
        if path.is_file() and not path.name.endswith(".md") and 0 < path.stat().st_size <= max_bytes:
            found.append(path.read_bytes())
    return found
