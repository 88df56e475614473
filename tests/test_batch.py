"""A run's workers (`rpa.batch.PipelineRunner`): threads of the run's process, each message on
a pipeline of its own, giving what one worker gives."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from extractors.sources import RawInput, iter_inputs
from rpa.batch import PipelineRunner
from rpa.config import Settings
from rpa.pipeline import Pipeline

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _mails(count: int) -> list[RawInput]:
    return sorted(iter_inputs([SAMPLES]), key=lambda raw: raw.source)[:count]


def _what_was_understood(runner: PipelineRunner, raws: list[RawInput]) -> list[tuple]:
    futures = [future for chunk in (raws[:3], raws[3:]) for future in runner.submit_many(chunk)]
    results = [future.result() for future in futures]
    return [
        (
            result.message.subject,
            result.classification.intent,
            sorted((name, found.value) for name, found in result.fields.items()),
            result.draft.body if result.draft else None,
        )
        for result in results
    ]


def test_two_workers_understand_each_mail_as_one_does(settings: Settings) -> None:
    raws = _mails(8)
    with PipelineRunner(settings, 1) as one:
        alone = _what_was_understood(one, raws)
    with PipelineRunner(settings, 2) as two:
        assert two.pool is not None
        assert _what_was_understood(two, raws) == alone
    assert len({intent for _, intent, _, _ in alone}) > 1  # mails of several kinds


def test_two_workers_run_at_once_each_on_a_pipeline_of_its_own(settings: Settings) -> None:
    both_running = threading.Barrier(2, timeout=30)

    def meet(pipeline: Pipeline) -> tuple[int, str]:
        both_running.wait()  # broken, and raising, unless the other one runs at the same time
        return id(pipeline), threading.current_thread().name

    with PipelineRunner(settings, 2) as runner:
        first, second = runner.submit_work(meet), runner.submit_work(meet)
        (one, thread), (other, other_thread) = first.result(), second.result()
    assert one != other and thread != other_thread
    assert thread.startswith("pipeline") and threading.current_thread().name not in (thread, other_thread)


def test_a_message_that_fails_fails_alone(settings: Settings) -> None:
    def fail(_pipeline: Pipeline) -> None:
        raise RuntimeError("this message only")

    raws = _mails(2)
    with PipelineRunner(settings, 2) as runner:
        failed = runner.submit_work(fail)
        done = [runner.submit(raw) for raw in raws]
        with pytest.raises(RuntimeError, match="this message only"):
            failed.result()
        assert [future.result().message.subject for future in done] == [
            runner.parser.parse(raw).subject for raw in raws
        ]
