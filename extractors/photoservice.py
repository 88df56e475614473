"""One RapidOCR for every pipeline of a run: the photo reader they share.

RapidOCR's networks are the largest thing a pipeline holds: loaded, then run on a photo, they
took 600 to 800 MB (OpenVINO keeps what its largest input needed), and a run of two workers
held two of them (`bench/corpora.py`, issue 13). So photos are read by one process that every
pipeline of the run sends them to, a process of its own so that a picture that crashes the
runtime ends it and not the run:

- `PhotoService` starts it, a fresh Python (``python -I photoworker.py``), and gives its
  address, a Unix socket in a folder only this user can open, as ``[ocr] photo_service`` in
  the settings the pipelines get. RapidOCR is loaded at the first photo, not before; the
  process ends when the service is closed, or when the run that started it ends (its standard
  input closes). The socket and its folder are dated anew every hour (`PhotoService.touch`),
  so that a daemon's survives the cleaners of old temporary files.
- `ServiceRecogniser` is the `Recogniser` for RapidOCR in a pipeline with that setting: it
  sends the picture and waits for the `OcrResult`, or for the `OcrError` that ended it,
  at most ``[ocr] timeout_seconds``.
- The service reads one photo at a time, on one thread with one RapidOCR: photos from two
  pipelines wait for each other. Tesseract's scanned pages are still read side by side.
- The reader is frugal (`RapidRecogniser`, `extractors.rapidvino`): its detector, compiled
  for each photo's shape, frees its buffers before the lines are read, and both networks
  theirs after each photo, so that its peak is the larger network's and not their sum, and
  it rests at its networks' size (about 325 MB once the heap is trimmed), not at what its
  largest photo needed (960 MB after 20 SROIE photos). A photo's peak, on 20 SROIE photos:
  525 MB (median), 850 MB for a 4,961 x 7,016 scan.
- A reader that has read a photo and then waited ``[limits] reader_idle_seconds`` for the next is
  replaced by a fresh one, which loads RapidOCR again at its next photo (about two seconds):
  a daemon between two photos holds about 25 MB for it instead of 270 to 350 MB. Its
  pipelines say when they are reading (`PhotoService.reading`, found by the socket's address
  in this process), so that no photo is ever sent to a reader on its way out.
- A reader that dies (a picture that crashes the runtime, the kernel's OOM killer) is
  replaced at once: the picture it was reading is an `OcrError` ("the photo reader stopped
  while reading this picture"), the photos that follow go to the new one.

Messages are `multiprocessing.connection` pickles over the socket: a request is the picture,
an answer ``("ok", OcrResult)`` or ``("error", reason)``; a request of None has RapidOCR
loaded (`ServiceRecogniser.prepare`, before a photo takes its turn: `extractors.ocr`), the
answer ``("ok", None)`` once it is.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from PIL import Image

from extractors.ocrresult import OcrResult
from extractors.rapid import RapidRecogniser, rapidocr_status
from rpa.config import OcrSettings
from rpa.errors import OcrError

__all__ = ["PhotoService", "ServiceRecogniser", "serve"]

log = logging.getLogger(__name__)

_WORKER = Path(__file__).with_name("photoworker.py")
_SOCKET = "photos.sock"
_START_SECONDS = 60
_TOUCH_SECONDS = 3600  # see PhotoService.touch
_FAMILY = "AF_UNIX"
# The services of this process by address, for their pipelines' recognisers (`PhotoService.reading`).
_SERVICES: weakref.WeakValueDictionary[str, PhotoService] = weakref.WeakValueDictionary()


class PhotoService:
    """The process that reads every photo of a run with one RapidOCR (see the module docstring).
    Use as a context manager; `address` is what the pipelines' settings name."""

    def __init__(self, settings: OcrSettings, idle_seconds: float = 0) -> None:
        """`idle_seconds`: how long a reader that has read a photo waits for the next before it
        is replaced by a fresh one (0: for ever)."""
        self.ocr = settings
        self.idle_seconds = idle_seconds
        self.folder = Path(tempfile.mkdtemp(prefix="rpa-photos-"))  # mode 0700: only this user
        self.address = str(self.folder / _SOCKET)
        self.restarts = 0  # readers that died and were replaced
        self.freed = 0  # readers replaced after waiting idle_seconds
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._reading = 0  # photos being read now
        self._last_read: float | None = None  # when this reader last answered; None: it has read none
        try:
            self.process = self._start()
        except (OSError, OcrError):
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        _SERVICES[self.address] = self
        threading.Thread(target=self._watch, name="photo-reader-watch", daemon=True).start()
        threading.Thread(target=self._keep_young, name="photo-reader-socket", daemon=True).start()
        if idle_seconds:
            threading.Thread(target=self._free_when_idle, name="photo-reader-idle", daemon=True).start()

    def settings(self, settings: OcrSettings) -> OcrSettings:
        """`settings` for a pipeline that sends its photos here."""
        return dataclasses.replace(settings, photo_service=self.address)

    def close(self) -> None:
        with self._lock:
            self._closed.set()
            process = self.process
        _stop(process)
        shutil.rmtree(self.folder, ignore_errors=True)

    def touch(self) -> None:
        """Date the socket and its folder now, so that no cleaner of old files in the temporary
        folder (systemd-tmpfiles, tmpreaper: ten days on some systems) takes them from a daemon
        that has run that long without a photo."""
        for path in (self.folder, Path(self.address)):
            try:
                os.utime(path)
            except OSError:  # the reader is being replaced, or the run is ending
                continue

    def _keep_young(self) -> None:
        while not self._closed.wait(_TOUCH_SECONDS):
            self.touch()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Around a photo sent to the reader and its answer: the reader is not replaced then."""
        with self._lock:
            self._reading += 1
        try:
            yield
        finally:
            with self._lock:
                self._reading -= 1
                self._last_read = time.monotonic()

    def _free_when_idle(self) -> None:
        """Replace a reader that has read a photo and waited `idle_seconds` since: the fresh
        one holds no RapidOCR until its first photo."""
        while not self._closed.wait(min(1.0, self.idle_seconds / 2)):
            with self._lock:
                waited = None if self._last_read is None else time.monotonic() - self._last_read
                if self._closed.is_set() or self._reading or waited is None or waited < self.idle_seconds:
                    continue
                log.info("the photo reader waited %d s for a photo: it gives its memory back", waited)
                if not self._replace():
                    return
                self.freed += 1

    def _start(self) -> subprocess.Popen:
        Path(self.address).unlink(missing_ok=True)  # the socket of a reader that died
        process = subprocess.Popen(
            [sys.executable, "-I", str(_WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        try:
            setup = pickle.dumps((list(sys.path), self.ocr, self.address))
            process.stdin.write(len(setup).to_bytes(8, "big") + setup)
            process.stdin.flush()
            ready = process.stdout.readline()  # it listens once it has imported rpa
            if ready.strip() != b"ready":
                raise OcrError(f"the photo reader did not start (exit status {process.poll()})")
        except (OSError, OcrError):
            _stop(process)
            raise
        return process

    def _watch(self) -> None:
        """A reader that dies (a picture that crashed the runtime, the kernel's OOM killer) is
        replaced, so that the photos that follow are read: a daemon runs for months."""
        while True:
            process = self.process
            status = process.wait()
            with self._lock:
                if self._closed.is_set():
                    return
                if self.process is not process:  # replaced after waiting idle: watch the new one
                    continue
                log.warning("the photo reader ended (exit status %s); starting another", status)
                if not self._replace():
                    return
                self.restarts += 1

    def _replace(self) -> bool:
        """A fresh reader in the place of this one (the caller holds the lock); False when
        none starts."""
        _stop(self.process)
        self._last_read = None
        try:
            self.process = self._start()
        except (OSError, OcrError) as exc:
            log.error("no photo reader: %s; photos are errors until the run ends", exc)
            return False
        return True

    def __enter__(self) -> PhotoService:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _stop(process: subprocess.Popen) -> None:
    """Close the reader's input (its signal to leave), then wait for it, killing it after 5 s."""
    for pipe in (process.stdin, process.stdout):
        if pipe and not pipe.closed:
            try:
                pipe.close()
            except OSError:
                pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class ServiceRecogniser:
    """RapidOCR in the run's photo reader (`PhotoService`), one connection per calling thread."""

    name = RapidRecogniser.name

    def __init__(self, settings: OcrSettings) -> None:
        self.settings = settings
        self._local = threading.local()

    def is_available(self) -> bool:
        return rapidocr_status(self.settings).available

    def prepare(self) -> None:
        """Have the service load RapidOCR, if it has not (a request without a picture)."""
        self._ask(None, "loading its networks")

    def read(self, image: Image.Image) -> OcrResult:
        """The photo's text as the service's RapidOCR reads it; raises `OcrError` when it
        fails, is gone, or takes longer than ``[ocr] timeout_seconds``."""
        return self._ask(image, "reading this picture")

    def _ask(self, image: Image.Image | None, doing: str) -> Any:
        seconds = self.settings.timeout_seconds
        service = _SERVICES.get(self.settings.photo_service)
        with service.reading() if service is not None else nullcontext():
            connection = self._send(image)
            try:
                if not connection.poll(seconds):
                    self._drop()  # its answer, when it comes, is for nobody
                    raise OcrError(f"rapidocr took longer than {seconds} s {doing}")
                status, answer = connection.recv()
            except (OSError, EOFError) as exc:
                self._drop()
                raise OcrError(f"the photo reader stopped while {doing} ({type(exc).__name__})") from exc
        if status != "ok":
            raise OcrError(answer)
        return answer

    def _send(self, image: Image.Image | None) -> Connection:
        """The connection `image` went out on. A reader that ended since this thread's last
        photo is being replaced (`PhotoService._watch`): the photo goes to the new one."""
        ends = time.monotonic() + _START_SECONDS
        while True:
            try:
                connection = self._connection()
                if connection.poll(0):  # the reader closed it: it has ended since
                    raise EOFError("the photo reader closed the connection")
                connection.send(image)
                return connection
            except (OSError, EOFError) as exc:
                self._drop()
                run_ended = not Path(self.settings.photo_service).parent.is_dir()  # see PhotoService.close
                if run_ended or time.monotonic() > ends:
                    raise OcrError(f"the photo reader is gone: {type(exc).__name__}: {exc}") from exc
                time.sleep(0.1)

    def _connection(self) -> Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = Client(self.settings.photo_service, family=_FAMILY)
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()


# --- The photo reader's process ------------------------------------------------------------------


def serve(settings: OcrSettings, address: str, control: Any, out: Any) -> None:  # pragma: no cover
    """Answer the pipelines' photos with one RapidOCR until `control` (standard input) ends;
    `photoworker.py` calls it."""
    recogniser = RapidRecogniser(settings, frugal=True)  # its networks' buffers freed after each photo
    engine = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapidocr")  # one RapidOCR, one thread
    listener = Listener(address, family=_FAMILY)
    os.chmod(address, 0o600)
    threading.Thread(target=_accept, args=(listener, recogniser, engine), daemon=True).start()
    out.write(b"ready\n")
    out.flush()
    while control.read(1 << 16):  # nothing more is sent: it ends when rpa closes it or ends
        pass
    os._exit(0)  # connections still open belong to pipelines that are ending too


def _accept(
    listener: Listener, recogniser: RapidRecogniser, engine: ThreadPoolExecutor
) -> None:  # pragma: no cover
    while True:
        try:
            connection = listener.accept()
        except OSError:
            continue
        threading.Thread(target=_answer, args=(connection, recogniser, engine), daemon=True).start()


def _answer(
    connection: Connection, recogniser: RapidRecogniser, engine: ThreadPoolExecutor
) -> None:  # pragma: no cover
    """Read each picture a pipeline sends on this connection, until it closes it."""
    from rpa.memory import return_freed_memory

    with connection:
        while True:
            try:
                image = connection.recv()
            except (EOFError, OSError):
                return
            except Exception as exc:  # noqa: BLE001 - a picture that does not unpickle
                answer: tuple[str, object] = ("error", f"the picture could not be received: {exc}")
            else:
                work = _read if image is not None else _load
                answer = engine.submit(work, recogniser, image).result()
                del image
                return_freed_memory()
            try:
                connection.send(answer)
            except (OSError, ValueError):
                return


def _load(recogniser: RapidRecogniser, _none: None) -> tuple[str, object]:  # pragma: no cover
    try:
        recogniser.prepare()
    except OcrError as exc:
        return ("error", str(exc))
    return ("ok", None)


def _read(recogniser: RapidRecogniser, image: Image.Image) -> tuple[str, object]:  # pragma: no cover
    try:
        return ("ok", recogniser.read(image))
    except OcrError as exc:
        return ("error", str(exc))
    except Exception as exc:  # noqa: BLE001 - worded as a pipeline's own RapidOCR would be
        log.exception("rapidocr failed in the photo reader")
        return ("error", f"rapidocr failed: {type(exc).__name__}: {exc}")
