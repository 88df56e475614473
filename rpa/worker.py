"""`rpa worker`: a Celery worker that processes the mails queued by the daemon and `rpa process --enqueue`.

A task names a mail record (`rpa.queue`). The worker process reads the mail's bytes from
the store, runs them through the ingestion service (`rpa.ingestion`: de-duplicate,
process, save) and marks the record processed. Each of the worker's processes
(`--concurrency`, Celery's prefork pool) builds its own pipeline once, when it starts.

Exactly once, whatever is delivered:

- a record already processed, or a mail whose key the store already has, is not
  processed again: a task delivered twice, or again after its worker died, gives one
  message, one draft and one audit trail;
- a mail that fails is retried with backoff (`[queue] retry_seconds`, doubled each time,
  with jitter) `max_retries` times, and then marked failed: `rpa status` counts it and
  `rpa retry ID` processes it again, as for the daemon's own failures;
- a mail over `[queue] task_seconds` is stopped and counted as a failed attempt the same way.

The store going away (PostgreSQL restarted) fails the mail's attempt, which is retried
with backoff; the broker going away makes Celery reconnect by itself, saying so in the log.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import socket
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from celery import Celery, signals

from extractors.sources import RawInput
from rpa.batch import PipelineRunner, share_cores
from rpa.config import Settings
from rpa.daemon.intake import mail_source, sender_limit
from rpa.errors import ConfigError, NotFound
from rpa.ingestion import Ingestion
from rpa.queue import PROCESS_TASK, celery_app
from rpa.store import Store
from rpa.store.knowledge import kb_passages
from rpa.store.mailrecords import MailRecord
from rpa.store.queuedmails import QueuedMails

__all__ = ["WorkerPipeline", "make_worker_app", "run_worker"]

log = logging.getLogger("rpa.worker")

PROCESS_START_SECONDS = 600.0  # what a pool process may take to build its pipeline


class _Failed(Exception):
    """The mail could not be processed (the reason is the message)."""


class _OutOfTime(BaseException):
    """`[queue] task_seconds` ran out. A BaseException: no reader's or stage's own `except
    Exception` (one attachment's boundary) takes it for a broken document."""


@contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Raise `_OutOfTime` in this (the task's) thread after `seconds`; Celery's own hard limit,
    30 s later, kills the process if C code never gives Python the hand back."""

    def expire(_signum: int, _frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class WorkerPipeline:
    """What one worker process holds: its store connection, pipeline and ingestion service."""

    settings: Settings
    store: Store
    runner: PipelineRunner
    ingestion: Ingestion
    records: QueuedMails

    @classmethod
    def start(cls, settings: Settings) -> WorkerPipeline:
        store = Store.open(settings)
        runner = PipelineRunner(settings, 1, knowledge=kb_passages(store))
        records = QueuedMails(store, None)
        ingestion = Ingestion(store, runner, actor="worker", review=sender_limit(settings, records))
        return cls(settings, store, runner, ingestion, records)

    def process(self, record_id: int) -> str:
        """Process the queued mail `record_id`: "stored", "duplicate", or "already" when a
        delivery before this one did it. Raises `_Failed` with the reason when it fails."""
        try:
            record = self.records.get(record_id)
        except NotFound:
            log.error("mail record %s is not in the store: task dropped", record_id)
            return "missing"
        if record.processed:
            return "already"
        raw = self.records.raw(record_id)
        if raw is None:
            return "already"
        item = self.ingestion.ingest_one(_raw_input(record, raw))
        if item.error is not None:
            raise _Failed(item.error)
        self.records.processed(record_id, item.message_pk)
        return "duplicate" if item.duplicate else "stored"

    def close(self) -> None:
        self.runner.__exit__(None, None, None)
        self.store.close()


def _raw_input(record: MailRecord, raw: bytes) -> RawInput:
    source = record.source or mail_source(record.account, record.folder, record.uidvalidity, record.uid)
    kind = "document" if record.kind == "document" else "mail"
    return RawInput(source, raw, kind, record.filename or f"{record.uid}.eml")


_pipeline: WorkerPipeline | None = None  # this process's, built when it starts (after the fork)
_metrics: _TaskMetrics | None = None


def make_worker_app(settings: Settings) -> Celery:
    """The Celery application with the processing task, for `rpa worker` and the tests."""
    app = celery_app(settings)
    queue = settings.queue
    # A pool process builds its pipeline (the intent model fitted, OCR and language models
    # loaded) before it tells the worker it is up: 4 s here, minutes for a large language
    # model, and Celery kills a process still silent after 4 s by default, again and again.
    app.conf.worker_proc_alive_timeout = PROCESS_START_SECONDS

    @app.task(bind=True, name=PROCESS_TASK)
    def process(task, record_id: int) -> str:  # noqa: ANN001 - Celery's bound task
        started = time.monotonic()
        pipeline = _worker_pipeline(settings)
        try:
            with _time_limit(queue.task_seconds):
                outcome = pipeline.process(record_id)
        except _OutOfTime:
            reason = f"took longer than {queue.task_seconds} s (queue.task_seconds)"
            outcome = _failure(task, pipeline, record_id, reason)
        except Exception as exc:  # noqa: BLE001 - one mail's boundary: counted, retried, then failed
            reason = str(exc) if isinstance(exc, _Failed) else f"{type(exc).__name__}: {exc}"
            outcome = _failure(task, pipeline, record_id, reason)
        log.info("mail record %s: %s in %.2f s", record_id, outcome, time.monotonic() - started)
        if _metrics is not None:
            _metrics.done(outcome, time.monotonic() - started)
        return outcome

    return app


def _failure(task, pipeline: WorkerPipeline, record_id: int, reason: str) -> str:  # noqa: ANN001
    """Count the failed attempt; retry later with backoff, or mark the mail failed."""
    queue = pipeline.settings.queue
    attempt = task.request.retries
    final = attempt >= queue.max_retries
    try:
        pipeline.records.worker_failed(record_id, reason, final=final)
    except Exception as exc:  # noqa: BLE001 - the store may be the reason: the retry will tell
        log.warning("mail record %s: cannot record the failure (%s)", record_id, exc)
    if final:
        log.error("mail record %s failed after %s attempts: %s", record_id, attempt + 1, reason)
        return "failed"
    delay = queue.retry_seconds * 2**attempt
    delay = random.uniform(delay / 2, delay)  # noqa: S311 - jitter, not secrecy
    log.warning("mail record %s failed (%s); retry %s in %.1f s", record_id, reason, attempt + 1, delay)
    raise task.retry(countdown=delay, max_retries=queue.max_retries)


def _worker_pipeline(settings: Settings) -> WorkerPipeline:
    global _pipeline  # one per worker process
    if _pipeline is None:
        _pipeline = WorkerPipeline.start(settings)
    return _pipeline


class _TaskMetrics:
    """Prometheus counters of the worker's processes, summed on one endpoint (multiprocess mode)."""

    def __init__(self) -> None:
        import prometheus_client as prom

        self.mails = prom.Counter("rpa_worker_mails", "Mails handled by the worker, by outcome", ["outcome"])
        self.seconds = prom.Histogram("rpa_worker_mail_seconds", "Seconds to process and store one mail")

    def done(self, outcome: str, seconds: float) -> None:
        self.mails.labels(outcome).inc()
        if outcome in ("stored", "duplicate"):
            self.seconds.observe(seconds)


def _serve_metrics(settings: Settings) -> None:
    try:
        import prometheus_client as prom
        from prometheus_client import multiprocess
    except ImportError as exc:
        raise ConfigError(
            "[queue] worker_metrics_port needs prometheus_client: pip install prometheus_client"
        ) from exc
    registry = prom.CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    address = settings.daemon.metrics_address
    prom.start_http_server(settings.queue.worker_metrics_port, addr=address, registry=registry)
    log.info("worker metrics on http://%s:%s/metrics", address, settings.queue.worker_metrics_port)


def run_worker(
    settings: Settings, *, concurrency: int, queues: Sequence[str] = (), loglevel: str = "INFO"
) -> None:
    """The `rpa worker` command: a Celery worker of `concurrency` processes on `queues`
    (default: both of `[queue]`), until stopped (SIGTERM: the running mails are finished)."""
    if concurrency < 1:
        raise ConfigError("rpa worker: --concurrency must be at least 1")
    logging.basicConfig(
        level=loglevel, format="%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s"
    )
    if settings.queue.worker_metrics_port:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="rpa-worker-metrics-")
        _serve_metrics(settings)
    settings = share_cores(settings, concurrency)  # each process's OCR threads: its share of the cores
    app = make_worker_app(settings)

    @signals.worker_process_init.connect
    def _start_process(**_kwargs: object) -> None:
        global _metrics
        if settings.queue.worker_metrics_port:
            _metrics = _TaskMetrics()
        started = time.monotonic()
        _worker_pipeline(settings)  # models loaded before the first mail arrives
        log.info("pipeline ready in %.1f s: taking mails", time.monotonic() - started)

    @signals.worker_process_shutdown.connect
    def _stop_process(**_kwargs: object) -> None:
        if _pipeline is not None:
            _pipeline.close()

    names = list(queues) or [settings.queue.text_queue, settings.queue.ocr_queue]
    worker = app.Worker(
        hostname=f"rpa-{os.getpid()}@{socket.gethostname()}",  # two workers on one machine told apart
        concurrency=concurrency,
        pool="prefork",
        queues=names,
        loglevel=loglevel,
        optimization="fair",
    )
    worker.start()
    if worker.exitcode:
        raise SystemExit(worker.exitcode)
