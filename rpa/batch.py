"""Processing many inputs: side by side, each stored once, none stopping the others.

The main process reads the inputs, parses each one just far enough to know its
identity, and skips what the store already has (unless reprocessing). The rest
go to worker processes, each with its own `Pipeline`; results come back in
input order and are stored by the main process, which alone writes.

Inputs go to a pipeline in chunks of the drafting backend's `batch_size`, so
that a language model writes the drafts of a chunk in one batch (the template
backend takes them one by one). Each pipeline process gets the knowledge base
once, when it starts.

Memory (see `rpa.memory`): the main process fits the intent model before it
forks the workers, which share it; each process hands back what a message freed
once it is done; with little memory free, fewer workers are started.
"""

from __future__ import annotations

import dataclasses
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from drafting.embeddings import SentenceEmbedder
from drafting.kb import IndexedPassage, KnowledgeBase
from extractors.sources import RawInput
from rpa.config import Settings
from rpa.memory import return_freed_memory, share_with_forks, stop_sharing, worker_processes
from rpa.models import ProcessedMessage
from rpa.pipeline import Pipeline
from rpa.store import SaveOutcome, Store
from rpa.store.knowledge import kb_passages

__all__ = ["BatchItem", "PipelineRunner", "process_inputs", "worker_count"]


@dataclass(frozen=True)
class BatchItem:
    source: str
    result: ProcessedMessage | None = None  # None when skipped or failed
    outcome: SaveOutcome | None = None
    error: str | None = None  # the message could not be processed at all

    @property
    def duplicate(self) -> bool:
        return self.outcome is not None and not self.outcome.created


def worker_count(settings: Settings) -> int:
    return settings.pipeline.workers or worker_processes(os.cpu_count() or 1)


def process_inputs(
    inputs: Iterable[RawInput],
    settings: Settings,
    store: Store,
    *,
    actor: str,
    reprocess: bool = False,
) -> Iterator[BatchItem]:
    """Process and store every input, yielding one item per input in order."""
    workers = worker_count(settings)
    with PipelineRunner(settings, workers, knowledge=kb_passages(store)) as runner:
        chunk = runner.batch_size
        pending: deque[list] = deque()  # [source, BatchItem | RawInput not yet submitted | Future]
        waiting: list[list] = []
        for raw in inputs:
            entry = [raw.source, _check(runner, store, raw, reprocess)]
            pending.append(entry)
            if isinstance(entry[1], RawInput):
                waiting.append(entry)
            if len(waiting) >= chunk:
                _submit(runner, waiting)
            while len(pending) > 2 * workers * chunk and not isinstance(pending[0][1], RawInput):
                yield _finish(pending.popleft(), store, actor, reprocess)
        _submit(runner, waiting)
        while pending:
            yield _finish(pending.popleft(), store, actor, reprocess)


def _check(runner: PipelineRunner, store: Store, raw: RawInput, reprocess: bool) -> RawInput | BatchItem:
    """The input itself when it is to be processed, else the item that says why not."""
    try:
        key = runner.parser.parse(raw).key
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the batch
        return BatchItem(raw.source, error=f"cannot parse: {exc}")
    existing = store.find_message(key)
    if existing is not None and not reprocess:
        return BatchItem(raw.source, outcome=SaveOutcome(existing, None, created=False))
    return raw


def _submit(runner: PipelineRunner, waiting: list[list]) -> None:
    if waiting:
        for entry, future in zip(waiting, runner.submit_many([entry[1] for entry in waiting]), strict=True):
            entry[1] = future
        waiting.clear()


def _finish(entry: list, store: Store, actor: str, reprocess: bool) -> BatchItem:
    source, work = entry
    if isinstance(work, BatchItem):
        return work
    try:
        result = work.result()
    except Exception as exc:  # noqa: BLE001 - the worker's error, reported for this input only
        return BatchItem(source, error=f"{type(exc).__name__}: {exc}")
    outcome = store.save_processed(result, actor=actor, replace=reprocess)
    result.id = outcome.message_pk
    return BatchItem(source, result=result, outcome=outcome)


class PipelineRunner:
    """Runs `Pipeline.process` inline (one worker) or in a pool of processes."""

    def __init__(self, settings: Settings, workers: int, knowledge: Sequence[IndexedPassage] = ()) -> None:
        self.settings = settings
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.parser = Pipeline(_worker_settings(settings, 1), _knowledge_base(settings, knowledge))
        self.batch_size = self.parser.backend.batch_size
        if workers > 1:
            share_with_forks()
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                initializer=_start_worker,
                initargs=(_worker_settings(settings, workers), list(knowledge)),
            )

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
        self.parser.close()


def _worker_settings(settings: Settings, processes: int) -> Settings:
    """Share the cores between message workers and their OCR threads."""
    if settings.ocr.workers:
        return settings
    cores = os.cpu_count() or 1
    ocr = dataclasses.replace(settings.ocr, workers=max(1, cores // processes))
    return dataclasses.replace(settings, ocr=ocr)


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
