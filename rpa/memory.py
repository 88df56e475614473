"""What the processes of a batch hold in memory: freed pages handed back to the
system, pages shared with the workers they fork, and the room left for more.

Measured with `bench/corpora.py` on the public mail and PDF corpora:

- glibc keeps the pages a message's OCR freed (ONNX Runtime's and Pillow's large
  buffers, spread over one heap per thread): a worker stayed 100 to 300 MB above
  its resting size after a mail with pictures until `malloc_trim` gave them back;
- a forked worker shares its parent's pages (the imported libraries, the fitted
  intent model) until it writes to them, and the cycle collector writes to every
  object it visits: frozen before the fork, they are never visited;
- a worker reading pictures and scans reached 600 MB and more, so on a machine
  with little memory free fewer workers are started (`worker_processes`).

Trimming and freezing together lowered a run's peak proportional set size (shared
pages counted once) by 23 to 185 MB on the eight corpora; the peaks themselves come
from reading pictures (see `bench/corpora.py`).
"""

from __future__ import annotations

import ctypes
import gc
from functools import cache
from pathlib import Path

__all__ = [
    "WORKER_MEMORY_MB",
    "available_memory_mb",
    "return_freed_memory",
    "share_with_forks",
    "stop_sharing",
    "worker_processes",
]

WORKER_MEMORY_MB = 700  # what one worker may reach on a message with pictures (bench/corpora.py)
_CGROUP_LIMITS = (  # (limit, usage): cgroup v2, then v1
    ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
    ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
)


def return_freed_memory() -> None:
    """Give the heap's free pages back to the system (glibc only; elsewhere nothing)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def share_with_forks() -> None:
    """Before forking workers: collect garbage once and freeze what is left, so that
    the children's collector never writes to (and so copies) the pages they share."""
    gc.collect()
    gc.freeze()
    return_freed_memory()


def stop_sharing() -> None:
    """Once the forked workers are gone: let the collector visit those objects again."""
    gc.unfreeze()


def worker_processes(cores: int, room_mb: int | None = None) -> int:
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
