"""The one path from a mail or document to a stored message: de-duplicate, process, save.

`rpa process` (the CLI), `rpa daemon` and `rpa worker` (the Celery workers) all call
`Ingestion.ingest`. For each input, in order:

1. its key (Message-ID, or a hash of the content) is read from the parsed mail, and an
   input the store already has is not processed again (unless reprocessing);
2. the rest go to the `PipelineRunner`, in chunks of the drafting backend's `batch_size`
   so that a language model writes a chunk's drafts in one batch, side by side on its
   worker threads when it has some;
3. each result may be looked at once more by the caller (`review`: the daemon holds back
   the draft of a sender who wrote too often) and is saved: the message, its draft and
   its audit trail in one transaction, keyed on the message key, so that the same mail
   saved twice (two workers given the same task) is one message.

One input that cannot be parsed or processed gives an `Ingested` with its error; the
others go on. Only the store failing stops `ingest`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass

from extractors.sources import RawInput
from rpa.batch import PipelineRunner, worker_count
from rpa.config import Settings
from rpa.models import Message, ProcessedMessage
from rpa.store import SaveOutcome, Store
from rpa.store.knowledge import kb_passages

__all__ = ["Ingested", "Ingestion", "ingestion", "process_inputs"]


@dataclass(frozen=True)
class Ingested:
    source: str
    key: str | None = None  # the message key, once the input was parsed
    result: ProcessedMessage | None = None  # None when skipped or failed
    outcome: SaveOutcome | None = None
    error: str | None = None  # the input could not be processed at all

    @property
    def duplicate(self) -> bool:
        return self.outcome is not None and not self.outcome.created

    @property
    def message_pk(self) -> int | None:
        return None if self.outcome is None else self.outcome.message_pk


@dataclass
class _Entry:
    raw: RawInput
    key: str | None = None
    work: Future[ProcessedMessage] | None = None
    done: Ingested | None = None


class Ingestion:
    """De-duplicates, processes and saves inputs through one runner and one store."""

    def __init__(
        self,
        store: Store,
        runner: PipelineRunner,
        *,
        actor: str,
        review: Callable[[ProcessedMessage], None] | None = None,
    ) -> None:
        self.store = store
        self.runner = runner
        self.actor = actor
        self.review = review

    def parse(self, raw: RawInput) -> Message:
        """The mail parsed far enough to know its key and headers (no documents read)."""
        return self.runner.parser.parse(raw)

    def ingest(self, inputs: Iterable[RawInput], *, reprocess: bool = False) -> Iterator[Ingested]:
        """Process and save every input, yielding one `Ingested` per input, in order."""
        chunk = self.runner.batch_size
        ahead = 2 * self.runner.workers * chunk  # inputs in flight before results are taken
        pending: deque[_Entry] = deque()
        waiting: list[_Entry] = []
        for raw in inputs:
            entry = self._check(raw, reprocess)
            pending.append(entry)
            if entry.done is None:
                waiting.append(entry)
            if len(waiting) >= chunk:
                self._submit(waiting)
            while len(pending) > ahead and (pending[0].done is not None or pending[0].work is not None):
                yield self._finish(pending.popleft(), reprocess)
        self._submit(waiting)
        while pending:
            yield self._finish(pending.popleft(), reprocess)

    def ingest_one(self, raw: RawInput, *, reprocess: bool = False) -> Ingested:
        (item,) = self.ingest([raw], reprocess=reprocess)
        return item

    def _check(self, raw: RawInput, reprocess: bool) -> _Entry:
        try:
            key = self.parse(raw).key
        except Exception as exc:  # noqa: BLE001 - one bad input must not stop the others
            return _Entry(raw, done=Ingested(raw.source, error=f"cannot parse: {exc}"))
        existing = self.store.find_message(key)
        if existing is not None and not reprocess:
            outcome = SaveOutcome(existing, None, created=False)
            return _Entry(raw, key, done=Ingested(raw.source, key, outcome=outcome))
        return _Entry(raw, key)

    def _submit(self, waiting: list[_Entry]) -> None:
        if waiting:
            futures = self.runner.submit_many([entry.raw for entry in waiting])
            for entry, future in zip(waiting, futures, strict=True):
                entry.work = future
            waiting.clear()

    def _finish(self, entry: _Entry, reprocess: bool) -> Ingested:
        if entry.done is not None:
            return entry.done
        assert entry.work is not None, "an input left unsubmitted"
        source = entry.raw.source
        try:
            result = entry.work.result()
        except Exception as exc:  # noqa: BLE001 - the worker's error, for this input only
            return Ingested(source, entry.key, error=f"{type(exc).__name__}: {exc}")
        if self.review is not None:
            self.review(result)
        outcome = self.store.save_processed(result, actor=self.actor, replace=reprocess)
        result.id = outcome.message_pk
        return Ingested(source, entry.key, result=result, outcome=outcome)


@contextmanager
def ingestion(
    settings: Settings,
    store: Store,
    *,
    actor: str,
    workers: int | None = None,
    review: Callable[[ProcessedMessage], None] | None = None,
) -> Iterator[Ingestion]:
    """An `Ingestion` over a runner of `workers` threads (default: one per core, fewer if
    memory is short) given the store's knowledge base; the runner is closed on leaving."""
    count = worker_count(settings) if workers is None else workers
    with PipelineRunner(settings, count, knowledge=kb_passages(store)) as runner:
        yield Ingestion(store, runner, actor=actor, review=review)


def process_inputs(
    inputs: Iterable[RawInput], settings: Settings, store: Store, *, actor: str, reprocess: bool = False
) -> Iterator[Ingested]:
    """`rpa process`: every input ingested by a runner of its own, one `Ingested` each, in order."""
    with ingestion(settings, store, actor=actor) as ingest:
        yield from ingest.ingest(inputs, reprocess=reprocess)
