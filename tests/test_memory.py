"""What a run does with its memory: freed pages given back, fewer workers when memory is short."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from conftest import require

from rpa import memory
from rpa.memory import WORKER_MEMORY_MB, workers_within_memory


def _resident_mb() -> float:
    return int(re.search(r"VmRSS:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1)) / 1024


def test_pages_freed_by_small_objects_go_back_to_the_system() -> None:
    require(memory._malloc_trim() is not None, "malloc_trim is glibc's")
    # Small objects come from the heap, which glibc keeps when they are freed.
    chunks = [bytes(2000) + bytes([n % 256]) for n in range(150_000)]
    chunks = chunks[::20]  # wide holes between live chunks: the heap's top stays in use
    gc.collect()
    before = _resident_mb()
    memory.return_freed_memory()
    assert _resident_mb() < before - 100
    del chunks


def test_one_worker_per_core_when_memory_is_plentiful() -> None:
    assert workers_within_memory(4, room_mb=64_000) == 4


def test_fewer_workers_when_memory_would_not_hold_one_per_core() -> None:
    assert workers_within_memory(8, room_mb=3 * WORKER_MEMORY_MB) == 3


def test_always_at_least_one_worker() -> None:
    assert workers_within_memory(4, room_mb=100) == 1


def test_the_memory_available_here_is_read() -> None:
    room = memory.available_memory_mb()
    assert room is not None and room > 0
