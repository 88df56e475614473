"""Running the pipeline over many inputs: in this process, or side by side in worker processes.

`PipelineRunner` is what `rpa.ingestion.Ingestion` hands its inputs to: with one worker
it runs `Pipeline.process_many` here, with more it keeps a pool of processes, each with
its own `Pipeline`, and gives back one future per input. A chunk of inputs goes to one
pipeline, so that a language model writes the chunk's drafts in one batch. Each
pipeline process gets the knowledge base once, when it starts. Results are stored by
the caller, which alone writes.

Memory (see `rpa.memory`): the main process loads the intent model before it
forks the workers, which share it; the run's photos, whatever its number of workers, go to
one frugal RapidOCR in a process of its own (`extractors.photoservice`) rather than each
worker loading its own; each process hands back
what a message freed once it is done; with little memory free, fewer workers are started.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from drafting.embeddings import SentenceEmbedder
from drafting.kb import IndexedPassage, KnowledgeBase
from extractors.photoservice import PhotoService
from extractors.rapid import rapidocr_status
from extractors.sources import RawInput
from rpa.config import Settings
from rpa.errors import ExtractionError
from rpa.memory import return_freed_memory, share_with_forks, stop_sharing, worker_processes
from rpa.models import ProcessedMessage
from rpa.pipeline import Pipeline

__all__ = ["PipelineRunner", "share_cores", "worker_count"]

log = logging.getLogger(__name__)


def worker_count(settings: Settings) -> int:
    return settings.pipeline.workers or worker_processes(os.cpu_count() or 1)


class PipelineRunner:
    """Runs `Pipeline.process` inline (one worker) or in a pool of processes."""

    def __init__(
        self,
        settings: Settings,
        workers: int,
        knowledge: Sequence[IndexedPassage] = (),
        *,
        pipeline: Pipeline | None = None,
    ) -> None:
        """`pipeline`: the one to run in this process (by default one built from `settings`)."""
        self.settings = settings
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.photos = _photo_service(settings) if pipeline is None or workers > 1 else None
        inline = self._with_photo_service(share_cores(settings, 1))
        self.parser = pipeline or Pipeline(inline, _knowledge_base(settings, knowledge))
        self.batch_size = self.parser.backend.batch_size
        if workers > 1:
            shared = self._with_photo_service(share_cores(settings, workers))
            share_with_forks()
            self.pool = ProcessPoolExecutor(
                max_workers=workers, initializer=_start_worker, initargs=(shared, list(knowledge))
            )

    def _with_photo_service(self, settings: Settings) -> Settings:
        if self.photos is None:
            return settings
        return dataclasses.replace(settings, ocr=self.photos.settings(settings.ocr))

    def submit(self, raw: RawInput) -> Future[ProcessedMessage]:
        if self.pool is not None:
            return self.pool.submit(_process_in_worker, raw)
        return _done(lambda: self.parser.process(raw))

    def submit_many(self, raws: Sequence[RawInput]) -> list[Future[ProcessedMessage]]:
        """Process `raws` in one pipeline, their drafts written together; one future per input."""
        futures: list[Future[ProcessedMessage]] = [Future() for _ in raws]
        if self.pool is not None:
            chunk = self.pool.submit(_process_many_in_worker, list(raws))
            chunk.add_done_callback(lambda done: _spread(done, futures))
        else:
            _spread(_done(lambda: self.parser.process_many(raws)), futures)
        return futures

    def __enter__(self) -> PipelineRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            stop_sharing()
        if self.photos is not None:
            self.photos.close()
        self.parser.close()


def share_cores(settings: Settings, processes: int) -> Settings:
    """Share the cores between message workers and their OCR threads."""
    if settings.ocr.workers:
        return settings
    cores = os.cpu_count() or 1
    ocr = dataclasses.replace(settings.ocr, workers=max(1, cores // processes))
    return dataclasses.replace(settings, ocr=ocr)


def _photo_service(settings: Settings) -> PhotoService | None:
    """The photo reader of the run (`extractors.photoservice`), shared by its worker processes,
    when it reads photos with RapidOCR; None when it does not, or when the reader cannot start
    (each worker then loads its own RapidOCR). A run of one worker (the daemon's, a queue
    worker's) has it too: its RapidOCR then frees what a photo needed once the photo is read,
    and a picture that crashes OpenVINO ends the reader, which is replaced, not the daemon."""
    ocr = settings.ocr
    if ocr.photo_service or ocr.engine == "tesseract" or not rapidocr_status(ocr).available:
        return None
    try:
        return PhotoService(ocr)
    except (OSError, ExtractionError) as exc:
        log.warning("each worker reads its own photos: the shared photo reader did not start (%s)", exc)
        return None


_worker_pipeline: Pipeline | None = None


def _knowledge_base(settings: Settings, passages: Sequence[IndexedPassage]) -> KnowledgeBase | None:
    return KnowledgeBase(passages, SentenceEmbedder(settings.kb)) if passages else None


def _start_worker(settings: Settings, knowledge: Sequence[IndexedPassage] = ()) -> None:
    global _worker_pipeline  # one pipeline per worker process, built once (and its model loaded once)
    _worker_pipeline = Pipeline(settings, _knowledge_base(settings, knowledge))


def _process_in_worker(raw: RawInput) -> ProcessedMessage:
    assert _worker_pipeline is not None, "worker started without its pipeline"
    try:
        return _worker_pipeline.process(raw)
    finally:
        return_freed_memory()


def _process_many_in_worker(raws: list[RawInput]) -> list[ProcessedMessage | Exception]:
    assert _worker_pipeline is not None, "worker started without its pipeline"
    try:
        return _worker_pipeline.process_many(raws)
    finally:
        return_freed_memory()


def _spread(chunk: Future, futures: Sequence[Future[ProcessedMessage]]) -> None:
    """One chunk's results (or its crash) onto the futures of its inputs."""
    error = chunk.exception()
    results = [error] * len(futures) if error is not None else chunk.result()
    for future, result in zip(futures, results, strict=True):
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)


def _done(work: Callable[[], ProcessedMessage]) -> Future[ProcessedMessage]:
    """The pipeline's work done in this process, as a finished future."""
    future: Future[ProcessedMessage] = Future()
    try:
        future.set_result(work())
    except Exception as exc:  # noqa: BLE001 - carried to _finish like a worker's error
        future.set_exception(exc)
    finally:
        return_freed_memory()
    return future
