"""Reader processes: where readers without OCR read documents, and mail files are opened
(`extractors.mailfiles`), within `limits.document_seconds` and `document_mb`.

Parsers of documents a stranger sent can loop or swell on a hostile file. `read_in_worker`
hands the reader and the document to a reader process and waits at most
`document_seconds` for its answer: the `DocumentText`, or the `ExtractionError` the
reader raised (its reason and status kept), or an unexpected exception worded as
`extractors.documents` words it. A process that does not answer in time is killed
(SIGKILL) and the document is an error saying so.

A reader process is a fresh Python (``python -I readerworker.py``), not a fork of rpa:
it shares no lock with rpa's threads, and what it costs does not grow with rpa's
memory. It serves one document at a time, for as long as it lives, so a document costs
a round trip through two pipes (well under a millisecond for a small one) instead of a
process start (a fork of rpa costs 10 to 90 ms, more the more memory rpa holds).
Processes are kept in a pool shared by every `DocumentReader` of this process, at most
`_PROCESSES` at work at once: one is started (0.1 s; it imports a reader and its package
with its first document of that kind, `readerworker`) when no idle one is left, and ends
when rpa does (its standard input closes; one busy then leaves within a second), once it
has waited ``[limits] reader_idle_seconds`` for a document (a daemon between two bursts of
mail then holds none of them: 12 to 55 MB each, after what they read), or after a reading
that asks it to `leave` (a mail file's, `extractors.containers`).

Before each document the process limits its address space (`RLIMIT_AS`) to what it has
plus `document_mb`; a reader that needs more gets a `MemoryError`, which is answered as
"needed more than N MB to read", and the process then leaves, as does one that has
read `_MAX_DOCUMENTS` (memory a parser leaves fragmented is given back that way).

Messages are pickles, each after its length in 8 bytes: the request ``(reader,
filename, data, megabytes)`` (a reader is a `Reading`, a small object of settings pickled by
reference to its class: a `DocumentFormat`, or a mail file's format; its `packages` are
imported before the limits bind), the answer an `_Answer`. The first message sends the
process rpa's `sys.path`, so that it imports the readers rpa imports.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import os
import pickle
import resource
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from extractors.readers.deadline import needed_too_much, took_too_long
from rpa.errors import ExtractionError

__all__ = ["Reading", "read_in_worker", "serve"]

log = logging.getLogger(__name__)

_WORKER = Path(__file__).with_name("readerworker.py")
_MB = 1024 * 1024
_LENGTH = 8  # bytes of a message's length, before the message
_CHUNK = 1 << 20
_START_SECONDS = 120  # a process that has not started by then will not
_MAX_DOCUMENTS = 500  # documents one process reads before it leaves for a fresh one
_READY = b"ready"
# Reader processes at work at once: reading is work for a core; each holds 12 to 55 MB.
_PROCESSES = min(max(os.cpu_count() or 1, 2), 4)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Reading(Protocol[T_co]):
    """What a reader process runs on a file: a document reader (`DocumentFormat`, giving a
    `DocumentText`) or the opening of a mail file (giving a `MailFile`)."""

    @property
    def packages(self) -> tuple[str, ...]:
        """What `read` imports, imported before the limits bind (an import is the process's
        cost, not the file's: openpyxl's maps more address space than a small limit allows)."""
        ...

    def read(self, filename: str, data: bytes) -> T_co:
        """What the file holds; raises `ExtractionError` when it cannot say."""
        ...


@dataclass(frozen=True)
class _Answer:
    """What a reader process sends back: the text, or why there is none."""

    value: object = None  # what the reading gave
    refused: tuple[str, str | None, int | None, str] | None = None  # an ExtractionError's fields
    failure: str | None = None  # an unexpected exception, as the dispatcher words it
    details: str = ""  # its traceback
    out_of_memory: bool = False


def read_in_worker(
    reader: Reading[T],
    filename: str,
    data: bytes,
    label: str,
    seconds: float,
    megabytes: int,
    idle_seconds: float = 0,
    *,
    leave: bool = False,
) -> T:
    """`reader.read(filename, data)` in a reader process, within the limits; raises its
    `ExtractionError`, or one saying which limit (or what else) ended it. The process then
    waits for the next document, at most `idle_seconds` (0: until rpa ends), or, if told to
    `leave`, ends, giving back what the reading imported."""
    request = pickle.dumps((reader, filename, data, megabytes), protocol=pickle.HIGHEST_PROTOCOL)
    worker, keep = _POOL.take(label), False
    try:
        answer = worker.ask(request, seconds)
        keep = not (answer.out_of_memory or leave)
    except _Gone as gone:
        if gone.status is None:
            raise took_too_long(label, seconds) from None
        raise ExtractionError(f"the {label} could not be read: the process reading it {gone}") from None
    finally:
        _POOL.give_back(worker, keep=keep, idle_seconds=idle_seconds)
    if answer.value is not None:
        return answer.value  # type: ignore[return-value] - what `reader.read` returned
    if answer.out_of_memory:
        raise needed_too_much(label, megabytes)
    if answer.refused is not None:
        reason, name, page, status = answer.refused
        raise ExtractionError(reason, filename=name, page=page, status=status)
    log.error("unexpected error reading a %s, in a reader process:\n%s", label, answer.details)
    raise ExtractionError(f"unexpected error while reading: {answer.failure}")


# --- The pool, in rpa ---------------------------------------------------------------------------


class _Gone(Exception):
    """The process ended without an answer (`status`), or was killed at the time limit (None)."""

    def __init__(self, status: int | None) -> None:
        super().__init__(_death(status) if status is not None else "took too long")
        self.status = status


class _Worker:
    """One reader process and its two pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(_WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.served = 0
        self.idle_since = 0.0  # time.monotonic() when it last answered
        try:
            _send(self.process.stdin, pickle.dumps(list(sys.path)))
            if _receive(self.process, _START_SECONDS) != _READY:
                raise _Gone(self.process.wait())
        except (OSError, _Gone):
            self.close()
            raise

    def ask(self, request: bytes, seconds: float) -> _Answer:
        try:
            _send(self.process.stdin, request)
        except (BrokenPipeError, ValueError):  # it died since it last answered
            raise _Gone(self.process.wait()) from None
        self.served += 1
        return pickle.loads(_receive(self.process, seconds))

    def leave(self) -> None:
        """End an idle process: its input closed, it leaves (killed after a second)."""
        self.process.stdin.close()
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:  # a request half written to a process now dead
                pass


class _Pool:
    """At most `size` reader processes at work (reading is work for a core); a document
    waits for one to be free before its time starts. Idle processes that waited longer than
    `idle_seconds` end (`_end_the_idle`, on a thread started with the first one kept)."""

    def __init__(self, size: int) -> None:
        self.idle: list[_Worker] = []  # the one most recently used last
        self.lock = threading.Lock()
        self.free = threading.Semaphore(size)
        self.idle_seconds = 0.0
        self.watching = False

    def take(self, label: str) -> _Worker:
        self.free.acquire()
        with self.lock:
            while self.idle:
                worker = self.idle.pop()
                if worker.process.poll() is None:
                    return worker
                worker.close()
        try:
            return _Worker()
        except (OSError, _Gone) as exc:
            self.free.release()
            raise ExtractionError(
                f"the {label} could not be read: no reader process started ({exc})"
            ) from exc

    def give_back(self, worker: _Worker, *, keep: bool, idle_seconds: float = 0) -> None:
        """Keep a process that answered for the next document, at most `idle_seconds` (0: until
        rpa ends), or end it; frees its place."""
        try:
            if keep and worker.served < _MAX_DOCUMENTS and worker.process.poll() is None:
                worker.idle_since = time.monotonic()
                with self.lock:
                    self.idle.append(worker)
                    self.idle_seconds = idle_seconds
                    if idle_seconds and not self.watching:
                        self.watching = True
                        name = "reader-processes-idle"
                        threading.Thread(target=self._end_the_idle, name=name, daemon=True).start()
            else:
                worker.close()
        finally:
            self.free.release()

    def _end_the_idle(self) -> None:
        while True:
            time.sleep(min(1.0, self.idle_seconds / 2) or 1.0)
            with self.lock:
                if not self.idle_seconds:
                    continue
                cutoff = time.monotonic() - self.idle_seconds  # idle since before it: waited long enough
                done = [worker for worker in self.idle if worker.idle_since <= cutoff]
                self.idle = [worker for worker in self.idle if worker.idle_since > cutoff]
            for worker in done:
                worker.leave()

    def close(self) -> None:
        """End the idle processes (a busy one ends when rpa's end closes its input)."""
        with self.lock:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.leave()


_POOL = _Pool(_PROCESSES)
atexit.register(_POOL.close)


def _send(pipe: Any, message: bytes) -> None:
    pipe.write(len(message).to_bytes(_LENGTH, "big") + message)
    pipe.flush()


def _receive(process: subprocess.Popen, seconds: float) -> bytes:
    """The process's next message; raises `_Gone` if it ends first or does not send it
    within `seconds` (it is then killed)."""
    ends = time.monotonic() + seconds
    source = process.stdout.fileno()
    poller = select.poll()
    poller.register(source, select.POLLIN)
    received = bytearray()
    while len(received) < _LENGTH or len(received) - _LENGTH < int.from_bytes(received[:_LENGTH], "big"):
        remaining = ends - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            process.kill()
            process.wait()
            raise _Gone(None)
        chunk = os.read(source, _CHUNK)
        if not chunk:
            raise _Gone(process.wait())
        received += chunk
    return bytes(received[_LENGTH:])


def _death(status: int) -> str:
    if status < 0:
        return f"was killed by {signal.Signals(-status).name}"
    return f"ended without an answer (exit status {status})"


# --- The reader process -------------------------------------------------------------------------


def serve(requests: Any, answers: Any) -> None:  # pragma: no cover - runs in the reader process
    """Read documents as `requests` come, answering each, until the input ends (see the
    module docstring); `readerworker.py` calls it."""
    warnings.simplefilter("ignore")  # a reader's warnings are not rpa's
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for rpa, which then closes the input
    threading.Thread(target=_leave_when_orphaned, args=(os.getppid(),), daemon=True).start()
    _send(answers, _READY)
    for _ in range(_MAX_DOCUMENTS):
        request = _next(requests)
        if request is None:
            return
        reader, filename, data, megabytes = pickle.loads(request)
        del request
        _import(reader.packages)
        _limit_memory(megabytes)
        answer = _answer(reader, filename, data)
        try:
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            answer = _Answer(out_of_memory=True)
            payload = pickle.dumps(answer)
        del data
        _unlimit_memory()
        _send(answers, payload)
        if answer.out_of_memory:
            return  # what a parser left half built is not worth keeping


def _leave_when_orphaned(parent: int) -> None:  # pragma: no cover - runs in the reader process
    """End this process once rpa has gone (killed, say), even while a reader loops."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _next(requests: Any) -> bytes | None:  # pragma: no cover - runs in the reader process
    head = requests.read(_LENGTH)
    if len(head) < _LENGTH:
        return None
    return requests.read(int.from_bytes(head, "big"))


def _import(packages: tuple[str, ...]) -> None:  # pragma: no cover - runs in the reader process
    for name in packages:
        try:
            importlib.import_module(name)
        except ImportError:
            continue  # the reading says what is missing


def _answer(reader: Reading, filename: str, data: bytes) -> _Answer:  # pragma: no cover
    try:
        return _Answer(value=reader.read(filename, data))
    except MemoryError:
        return _Answer(out_of_memory=True)
    except ExtractionError as exc:
        return _Answer(refused=(exc.reason, exc.filename, exc.page, exc.status))
    except Exception as exc:  # noqa: BLE001 - sent to rpa, which records it as the dispatcher would
        return _Answer(failure=f"{type(exc).__name__}: {exc}", details=traceback.format_exc())


def _limit_memory(megabytes: int) -> None:  # pragma: no cover - runs in the reader process
    """Limit the address space to what the process has now plus `megabytes`."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[0])
    limit = pages * resource.getpagesize() + megabytes * _MB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(
        resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
    )


def _unlimit_memory() -> None:  # pragma: no cover - runs in the reader process
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
