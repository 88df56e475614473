"""What the processes of a run hold in memory: freed pages handed back to the system,
and the room left for more workers.

Measured with `bench/corpora.py` on the public mail and PDF corpora:

- glibc keeps the pages a message's OCR freed (ONNX Runtime's and Pillow's large
  buffers, spread over one heap per thread): a worker stayed 100 to 300 MB above
  its resting size after a mail with pictures until `malloc_trim` gave them back;
- a worker is a thread with a pipeline of its own (`rpa.batch`); each one more reads
  another document, scanned page or message at the same time, in a reader process or
  Tesseract beside it, so on a machine with little memory free fewer are started
  (`workers_within_memory`).

The peaks themselves come from reading pictures (see `bench/corpora.py`).
"""

from __future__ import annotations

import ctypes
from functools import cache
from pathlib import Path

__all__ = [
    "WORKER_MEMORY_MB",
    "available_memory_mb",
    "return_freed_memory",
    "workers_within_memory",
]

WORKER_MEMORY_MB = 700  # what a worker may need: a message with pictures, its reader process and Tesseract
_CGROUP_LIMITS = (  # (limit, usage): cgroup v2, then v1
    ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
    ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
)


def return_freed_memory() -> None:
    """Give the heap's free pages back to the system (glibc only; elsewhere nothing)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def workers_within_memory(cores: int, room_mb: int | None = None) -> int:
    """One worker per core, fewer when the memory free (`room_mb`, by default what
    `available_memory_mb` finds) would not hold them; at least one."""
    room = available_memory_mb() if room_mb is None else room_mb
    if room is None:
        return cores
    return max(1, min(cores, room // WORKER_MEMORY_MB))


def available_memory_mb() -> int | None:
    """Memory free for new work: the system's available memory, or what this process's
    control group still allows if that is less; None when neither can be read."""
    found = [_meminfo_available_mb()] + [_cgroup_room_mb(limit, usage) for limit, usage in _CGROUP_LIMITS]
    known = [mb for mb in found if mb is not None]
    return min(known) if known else None


def _meminfo_available_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_room_mb(limit_file: str, usage_file: str) -> int | None:
    try:
        limit = Path(limit_file).read_text().strip()
        usage = int(Path(usage_file).read_text())
    except (OSError, ValueError):
        return None
    if not limit.isdigit() or int(limit) >= 2**60:  # "max", or v1's "no limit"
        return None
    return max(0, int(limit) - usage) // 2**20


@cache
def _malloc_trim():  # noqa: ANN202 - the C function, or None
    try:
        return ctypes.CDLL(None).malloc_trim  # the C library this Python is linked with
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim), or no dynamic loading
        return None
