"""Running the pipeline over many inputs: here, or side by side on threads of this process.

`PipelineRunner` is what `rpa.ingestion.Ingestion` hands its inputs to: with one worker
it runs `Pipeline.process_many` on the caller's thread, with more it keeps a pool of
threads and one `Pipeline` per thread, and gives back one future per input. A chunk of
inputs goes to one pipeline, so that a language model writes the chunk's drafts in one
batch. Results are stored by the caller, which alone writes.

Threads, not processes: what takes a core in a message runs outside Python's lock or
outside this process already (documents in the reader processes, `extractors.readers.readerpool`;
scanned pages in Tesseract; photos in the run's photo reader, `extractors.photoservice`;
the language model in torch), so threads keep both cores busy as forked workers did (the
same messages a second on `bench/pipeline.py` and `bench/corpora.py`), and a run holds one
copy of rpa's modules, intent model and models instead of one per worker: 80 to 110 MB
less on the public corpora (issue 13). A model shared by the pipelines runs one batch at a
time (`drafting.llm.LocalModel`, `drafting.embeddings`).

Memory (see `rpa.memory`): each message hands back what it freed once it is done; with
little memory free, fewer workers are started.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from drafting.embeddings import SentenceEmbedder
from drafting.kb import IndexedPassage, KnowledgeBase
from extractors.photoservice import PhotoService
from extractors.rapid import rapidocr_status
from extractors.sources import RawInput
from rpa.config import Settings
from rpa.errors import ExtractionError
from rpa.memory import return_freed_memory, workers_within_memory
from rpa.models import ProcessedMessage
from rpa.pipeline import Pipeline

__all__ = ["PipelineRunner", "share_cores", "worker_count"]

log = logging.getLogger(__name__)
T = TypeVar("T")


def worker_count(settings: Settings) -> int:
    return settings.pipeline.workers or workers_within_memory(os.cpu_count() or 1)


class PipelineRunner:
    """Runs `Pipeline.process` on the caller's thread (one worker) or on a pool of threads,
    each message on a pipeline of its own while it runs."""

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
        self.photos = _photo_service(settings) if pipeline is None or workers > 1 else None
        shared = self._with_photo_service(share_cores(settings, workers))
        self.parser = pipeline or Pipeline(shared, _knowledge_base(settings, knowledge))
        self.batch_size = self.parser.backend.batch_size
        others = [Pipeline(shared, _knowledge_base(settings, knowledge)) for _ in range(workers - 1)]
        self._pipelines = [self.parser, *others]
        self._idle: queue.SimpleQueue[Pipeline] = queue.SimpleQueue()
        for each in self._pipelines:
            self._idle.put(each)
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="pipeline") if workers > 1 else None

    def _with_photo_service(self, settings: Settings) -> Settings:
        if self.photos is None:
            return settings
        return dataclasses.replace(settings, ocr=self.photos.settings(settings.ocr))

    def submit_work(self, work: Callable[[Pipeline], T]) -> Future[T]:
        """`work` done with a pipeline of its own: on a thread of the pool, or here (one worker)."""
        if self.pool is not None:
            return self.pool.submit(self._with_a_pipeline, work)
        return _done(lambda: work(self.parser))

    def submit(self, raw: RawInput) -> Future[ProcessedMessage]:
        return self.submit_work(lambda pipeline: pipeline.process(raw))

    def submit_many(self, raws: Sequence[RawInput]) -> list[Future[ProcessedMessage]]:
        """Process `raws` in one pipeline, their drafts written together; one future per input."""
        futures: list[Future[ProcessedMessage]] = [Future() for _ in raws]
        chunk = self.submit_work(lambda pipeline: pipeline.process_many(list(raws)))
        chunk.add_done_callback(lambda done: _spread(done, futures))
        return futures

    def _with_a_pipeline(self, work: Callable[[Pipeline], T]) -> T:
        pipeline = self._idle.get()  # there are as many pipelines as threads: one is free
        try:
            return work(pipeline)
        finally:
            self._idle.put(pipeline)
            return_freed_memory()

    def __enter__(self) -> PipelineRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.photos is not None:
            self.photos.close()
        for pipeline in self._pipelines:
            pipeline.close()


def share_cores(settings: Settings, pipelines: int) -> Settings:
    """Share the cores between the pipelines and their OCR threads."""
    if settings.ocr.workers:
        return settings
    cores = os.cpu_count() or 1
    ocr = dataclasses.replace(settings.ocr, workers=max(1, cores // pipelines))
    return dataclasses.replace(settings, ocr=ocr)


def _photo_service(settings: Settings) -> PhotoService | None:
    """The photo reader of the run (`extractors.photoservice`), shared by its pipelines, when
    it reads photos with RapidOCR; None when it does not, or when the reader cannot start (each
    pipeline then loads its own RapidOCR). Its RapidOCR frees what a photo needed once the photo
    is read, and a picture that crashes OpenVINO ends the reader, which is replaced, not the run."""
    ocr = settings.ocr
    if ocr.photo_service or ocr.engine == "tesseract" or not rapidocr_status(ocr).available:
        return None
    try:
        return PhotoService(ocr, idle_seconds=settings.limits.reader_idle_seconds)
    except (OSError, ExtractionError) as exc:
        log.warning("each pipeline reads its own photos: the shared photo reader did not start (%s)", exc)
        return None


def _knowledge_base(settings: Settings, passages: Sequence[IndexedPassage]) -> KnowledgeBase | None:
    return KnowledgeBase(passages, SentenceEmbedder(settings.kb)) if passages else None


def _spread(chunk: Future, futures: Sequence[Future[ProcessedMessage]]) -> None:
    """One chunk's results (or its crash) onto the futures of its inputs."""
    error = chunk.exception()
    results = [error] * len(futures) if error is not None else chunk.result()
    for future, result in zip(futures, results, strict=True):
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)


def _done(work: Callable[[], T]) -> Future[T]:
    """The pipeline's work done in this thread, as a finished future."""
    future: Future[T] = Future()
    try:
        future.set_result(work())
    except Exception as exc:  # noqa: BLE001 - carried to _finish like a worker's error
        future.set_exception(exc)
    finally:
        return_freed_memory()
    return future
