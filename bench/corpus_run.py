"""One corpus through the pipeline, in the process bench/corpora.py starts for it.

Inputs go to `rpa.batch.PipelineRunner`'s workers as in `rpa process`, a few at a time,
but nothing is stored. Each input gives one record: what became of it (statuses,
labels of its attachments, its error reasons blanked so that alike reasons group, or
the traceback that escaped the pipeline), its time and its memory, measured on the worker's
thread: the run process's peak while the input was read, which holds the other worker's
message too when there are two.
"""

from __future__ import annotations

import json
import os
import re
import time
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path

from corpus_inputs import CORPORA, corpus_files
from memory_sampler import reset_peak, resident_kb

from extractors.sources import RawInput
from rpa.batch import PipelineRunner, worker_count
from rpa.config import load_settings
from rpa.models import AttachmentStatus, ProcessedMessage

__all__ = ["blank_reason", "run_corpus", "write_records"]


# --- One input, in a worker -----------------------------------------------------


def _timed(process: Callable[[RawInput], ProcessedMessage], raw: RawInput) -> dict:
    """What became of one input: a summary, never the exception itself."""
    reset_peak()
    resting, started = resident_kb(), time.perf_counter()
    try:
        summary = _summary(process(raw))
    except Exception:  # noqa: BLE001 - the very thing counted: an exception escaping the pipeline
        summary = {"traceback": traceback.format_exc()}
    seconds, peak = time.perf_counter() - started, resident_kb("VmHWM")
    return {**summary, "source": raw.source, "seconds": seconds, "peak_kb": peak, "grew_kb": peak - resting}


def _summary(result: ProcessedMessage) -> dict:
    attachments = result.message.all_attachments()
    attachment_errors = {f"{item.filename}: {item.error}" for item in attachments if item.error}
    reasons = [f"attachment {_label(item)}: {blank_reason(item.error)}" for item in attachments if item.error]
    reasons += [
        f"message: {blank_reason(error)}" for error in result.errors if error not in attachment_errors
    ]
    return {
        "status": "with errors" if result.errors else "ok",
        "drafted": result.draft is not None,
        "attachments": [_label(item) for item in attachments],
        "reasons": reasons,
    }


def _label(attachment) -> str:  # noqa: ANN001 - rpa.models.Attachment
    if attachment.status == AttachmentStatus.SKIPPED and (attachment.error or "").startswith("unsupported"):
        return "unsupported"
    return str(attachment.status)


def blank_reason(reason: str) -> str:
    """The reason with its particulars blanked, so that alike reasons group."""
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", reason)
    reason = re.sub(r"\[[^\]]*(\]|$)", "[…]", reason)  # pdfminer quotes whole dictionaries
    return re.sub(r"\d+", "N", reason)[:140]


# --- One corpus, in its own process -------------------------------------------------


def run_corpus(name: str, folder: Path, limit: int, workers: int) -> list[dict]:
    """Every input of the corpus through the pipeline, a few at a time; one record each."""
    _, make_input = CORPORA[name]
    todo = list(reversed(corpus_files(name, folder, limit)))
    environ = {**os.environ, "RPA_PIPELINE_WORKERS": str(workers)} if workers else os.environ
    settings = load_settings(environ=environ)
    records: list[dict] = []
    with PipelineRunner(settings, worker_count(settings)) as runner:
        window = 2 * runner.workers
        running: dict[Future, Path] = {}
        while todo or running:
            while todo and len(running) < window:
                path = todo.pop()
                running[_submit(runner, make_input(path))] = path
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                path = running.pop(future)
                error = future.exception()
                records.append(_lost(path, error) if error is not None else future.result())
    return records


def _lost(path: Path, error: BaseException) -> dict:
    """The record of an input whose result never came back."""
    return {"source": str(path), "seconds": 0.0, "peak_kb": 0, "grew_kb": 0, "traceback": repr(error)}


def _submit(runner: PipelineRunner, raw: RawInput) -> Future[dict]:
    return runner.submit_work(lambda pipeline: _timed(pipeline.process, raw))


def write_records(name: str, folder: str, limit: str, workers: str, out: str) -> None:
    """The command line of the corpus's process: run it, and write its records to `out` as JSON."""
    records = run_corpus(name, Path(folder), int(limit), int(workers))
    Path(out).write_text(json.dumps(records), encoding="utf-8")
