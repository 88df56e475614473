"""Processing many inputs: side by side, each stored once, none stopping the others.

The main process reads the inputs, parses each one just far enough to know its
identity, and skips what the store already has (unless reprocessing). The rest
go to worker processes, each with its own `Pipeline`; results come back in
input order and are stored by the main process, which alone writes.
"""

from __future__ import annotations

import dataclasses
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from extractors.sources import RawInput
from rpa.config import Settings
from rpa.models import ProcessedMessage
from rpa.pipeline import Pipeline
from rpa.store import SaveOutcome, Store

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
    return settings.pipeline.workers or os.cpu_count() or 1


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
    with PipelineRunner(settings, workers) as runner:
        pending: deque[tuple[str, Future[ProcessedMessage] | BatchItem]] = deque()
        for raw in inputs:
            pending.append((raw.source, _submit(runner, store, raw, reprocess)))
            while len(pending) > 2 * workers:
                yield _finish(pending.popleft(), store, actor, reprocess)
        while pending:
            yield _finish(pending.popleft(), store, actor, reprocess)


def _submit(
    runner: PipelineRunner, store: Store, raw: RawInput, reprocess: bool
) -> Future[ProcessedMessage] | BatchItem:
    try:
        key = runner.parser.parse(raw).key
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the batch
        return BatchItem(raw.source, error=f"cannot parse: {exc}")
    existing = store.find_message(key)
    if existing is not None and not reprocess:
        return BatchItem(raw.source, outcome=SaveOutcome(existing, None, created=False))
    return runner.submit(raw)


def _finish(
    entry: tuple[str, Future[ProcessedMessage] | BatchItem], store: Store, actor: str, reprocess: bool
) -> BatchItem:
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

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings = settings
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.parser = Pipeline(_worker_settings(settings, 1))
        if workers > 1:
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                initializer=_start_worker,
                initargs=(_worker_settings(settings, workers),),
            )

    def submit(self, raw: RawInput) -> Future[ProcessedMessage]:
        if self.pool is not None:
            return self.pool.submit(_process_in_worker, raw)
        return _done(lambda: self.parser.process(raw))

    def __enter__(self) -> PipelineRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.parser.close()


def _worker_settings(settings: Settings, processes: int) -> Settings:
    """Share the cores between message workers and their OCR threads."""
    if settings.ocr.workers:
        return settings
    cores = os.cpu_count() or 1
    ocr = dataclasses.replace(settings.ocr, workers=max(1, cores // processes))
    return dataclasses.replace(settings, ocr=ocr)


_worker_pipeline: Pipeline | None = None


def _start_worker(settings: Settings) -> None:
    global _worker_pipeline  # one pipeline per worker process, built once
    _worker_pipeline = Pipeline(settings)


def _process_in_worker(raw: RawInput) -> ProcessedMessage:
    assert _worker_pipeline is not None, "worker started without its pipeline"
    return _worker_pipeline.process(raw)


def _done(work: Callable[[], ProcessedMessage]) -> Future[ProcessedMessage]:
    future: Future[ProcessedMessage] = Future()
    try:
        future.set_result(work())
    except Exception as exc:  # noqa: BLE001 - carried to _finish like a worker's error
        future.set_exception(exc)
    return future
