"""`rpa eval`: run the pipeline on a labelled batch and compare with the truth.

A labelled case is an input file beside `<case>.expected.json`::

    {"intent": "claim_new", "language": "fr", "draft": true,
     "fields": {"policy_number": "AUT-4587-2291", "incident_date": "2025-03-14"}}

Fields are compared exactly on their normal forms. Per field: a right value is a
true positive; a wrong value is both a false positive and a false negative; a
value found where none is expected is a false positive. Nothing is stored.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors.sources import RawInput, iter_inputs
from rpa.batch import PipelineRunner, worker_count
from rpa.config import Settings
from rpa.errors import InputError
from rpa.models import URGENT, ProcessedMessage

__all__ = ["CaseResult", "EvalReport", "FieldScore", "evaluate", "expected_path", "format_report"]


@dataclass(frozen=True)
class CaseResult:
    source: str
    expected: dict
    result: ProcessedMessage | None
    error: str | None = None

    @property
    def predicted_fields(self) -> dict[str, str]:
        return {} if self.result is None else {n: f.value for n, f in self.result.fields.items()}

    @property
    def predicted_intent(self) -> str:
        return "error" if self.result is None else str(self.result.classification.intent)


@dataclass
class FieldScore:
    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class EvalReport:
    cases: list[CaseResult] = field(default_factory=list)
    fields: dict[str, FieldScore] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, predicted)
    misses: list[str] = field(default_factory=list)
    unlabelled: int = 0
    triaged: int = 0  # cases whose intent was left to an agent (flag needs_triage)
    sentiments: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, predicted)
    urgent: FieldScore = field(default_factory=lambda: FieldScore("urgent"))  # a case flagged urgent
    secondary: FieldScore = field(default_factory=lambda: FieldScore("secondary_intents"))  # one per intent

    @property
    def expected_fields(self) -> int:
        return sum(score.tp + score.fn for score in self.fields.values())

    @property
    def fields_right(self) -> float:
        """Share of expected field values found exactly right."""
        right = sum(score.tp for score in self.fields.values())
        return right / self.expected_fields if self.expected_fields else 1.0

    @property
    def intent_accuracy(self) -> float:
        total = sum(self.confusion.values())
        right = sum(n for (expected, predicted), n in self.confusion.items() if expected == predicted)
        return right / total if total else 1.0

    def share(self, check: str) -> float:
        """Share of cases whose `language` or `draft` expectation holds."""
        relevant = [case for case in self.cases if check in case.expected]
        right = sum(1 for case in relevant if _observed(case, check) == case.expected[check])
        return right / len(relevant) if relevant else 1.0


def expected_path(source: str) -> Path:
    path = Path(source)
    return path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json")


def evaluate(paths: Sequence[Path], settings: Settings) -> EvalReport:
    report = EvalReport()
    for case in _run(paths, settings, report):
        report.cases.append(case)
        _score(report, case)
    return report


def _labelled(paths: Sequence[Path], report: EvalReport) -> Iterator[tuple[RawInput, dict]]:
    for raw in iter_inputs(paths):
        truth = expected_path(raw.source)
        if "#" in raw.source or not truth.is_file():
            report.unlabelled += 1
            continue
        try:
            yield raw, json.loads(truth.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"unreadable expected file: {exc}", path=str(truth)) from exc


def _run(paths: Sequence[Path], settings: Settings, report: EvalReport) -> Iterator[CaseResult]:
    with PipelineRunner(settings, worker_count(settings)) as runner:
        submitted = [(raw.source, expected, runner.submit(raw)) for raw, expected in _labelled(paths, report)]
        for source, expected, future in submitted:
            try:
                yield CaseResult(source, expected, future.result())
            except Exception as exc:  # noqa: BLE001 - a crash is scored as a miss, not fatal
                yield CaseResult(source, expected, None, f"{type(exc).__name__}: {exc}")


def _score(report: EvalReport, case: CaseResult) -> None:
    name = Path(case.source).name
    if case.error:
        report.misses.append(f"{name}: failed: {case.error}")
    expected_fields: dict[str, str] = case.expected.get("fields", {})
    predicted = case.predicted_fields
    for field_name in sorted(set(expected_fields) | set(predicted)):
        score = report.fields.setdefault(field_name, FieldScore(field_name))
        want, got = expected_fields.get(field_name), predicted.get(field_name)
        if want is not None and got == want:
            score.tp += 1
            continue
        if want is not None:
            score.fn += 1
        if got is not None:
            score.fp += 1
        report.misses.append(f"{name}: {field_name}: expected {want!r}, got {got!r}")
    if "intent" in case.expected:
        report.confusion[(case.expected["intent"], case.predicted_intent)] += 1
        report.triaged += case.result is not None and "needs_triage" in case.result.flags
        if case.expected["intent"] != case.predicted_intent:
            report.misses.append(
                f"{name}: intent: expected {case.expected['intent']}, got {case.predicted_intent}"
            )
    for check in ("language", "draft"):
        if check in case.expected and _observed(case, check) != case.expected[check]:
            report.misses.append(
                f"{name}: {check}: expected {case.expected[check]!r}, got {_observed(case, check)!r}"
            )
    _score_understanding(report, case, name)


def _score_understanding(report: EvalReport, case: CaseResult, name: str) -> None:
    """Sentiment, the urgent flag and the secondary intents, where the truth gives them."""
    result, expected = case.result, case.expected
    if "sentiment" in expected:
        got = "error" if result is None else str(result.classification.sentiment)
        report.sentiments[(expected["sentiment"], got)] += 1
        if got != expected["sentiment"]:
            report.misses.append(f"{name}: sentiment: expected {expected['sentiment']}, got {got}")
    if "urgent" in expected:
        got_urgent = result is not None and URGENT in result.flags
        _count(report.urgent, {True} if expected["urgent"] else set(), {True} if got_urgent else set())
        if got_urgent != bool(expected["urgent"]):
            report.misses.append(f"{name}: urgent: expected {bool(expected['urgent'])}, got {got_urgent}")
    if "secondary_intents" in expected:
        want = set(expected["secondary_intents"])
        got_intents = set() if result is None else {str(i) for i in result.classification.secondary_intents}
        _count(report.secondary, want, got_intents)
        if want != got_intents:
            report.misses.append(
                f"{name}: secondary_intents: expected {sorted(want)}, got {sorted(got_intents)}"
            )


def _count(score: FieldScore, want: set, got: set) -> None:
    score.tp += len(want & got)
    score.fp += len(got - want)
    score.fn += len(want - got)


def _observed(case: CaseResult, check: str) -> object:
    if case.result is None:
        return None
    if check == "language":
        return case.result.classification.language
    return case.result.draft is not None


def format_report(report: EvalReport) -> str:
    lines = [f"{len(report.cases)} labelled case(s), {report.unlabelled} unlabelled input(s) skipped", ""]
    lines.append(f"{'field':<16} {'expected':>8} {'right':>6} {'precision':>10} {'recall':>7}")
    for name in sorted(report.fields):
        s = report.fields[name]
        lines.append(f"{name:<16} {s.tp + s.fn:>8} {s.tp:>6} {s.precision:>10.1%} {s.recall:>7.1%}")
    lines += [
        "",
        f"fields exactly right: {report.fields_right:.1%} of {report.expected_fields}",
        f"intent accuracy:      {report.intent_accuracy:.1%} (routed to triage: {report.triaged}, "
        f"{report.triaged / max(1, sum(report.confusion.values())):.1%})",
        f"language accuracy:    {report.share('language'):.1%}",
        f"draft decision:       {report.share('draft'):.1%}",
        "",
        *_confusion_lines(report),
        *_understanding_lines(report),
    ]
    if report.misses:
        lines += ["", f"misses ({len(report.misses)}):", *(f"  {miss}" for miss in report.misses)]
    return "\n".join(lines) + "\n"


def _confusion_lines(report: EvalReport) -> list[str]:
    labels = sorted({label for pair in report.confusion for label in pair})
    if not labels:
        return []
    short = {label: label[:8] for label in labels}
    lines = ["intent accuracy per expected intent"]
    for expected in labels:
        total = sum(n for (want, _), n in report.confusion.items() if want == expected)
        if total:
            right = report.confusion[(expected, expected)]
            lines.append(f"  {expected:<22}{right:>4}/{total:<4} {right / total:6.1%}")
    lines += [
        "",
        "intent confusion (rows: expected, columns: predicted)",
        " " * 22 + " ".join(f"{short[label]:>8}" for label in labels),
    ]
    for expected in labels:
        counts = " ".join(f"{report.confusion[(expected, p)] or '.':>8}" for p in labels)
        lines.append(f"{expected:<22}{counts}")
    return lines


def _understanding_lines(report: EvalReport) -> list[str]:
    lines: list[str] = []
    if report.sentiments:
        total = sum(report.sentiments.values())
        right = sum(n for (want, got), n in report.sentiments.items() if want == got)
        labels = sorted({label for pair in report.sentiments for label in pair})
        lines += [
            "",
            f"sentiment accuracy:   {right / total:.1%} of {total}",
            "sentiment confusion (rows: expected, columns: predicted)",
            " " * 12 + " ".join(f"{label:>9}" for label in labels),
            *(
                f"{want:<12}" + " ".join(f"{report.sentiments[(want, got)] or '.':>9}" for got in labels)
                for want in labels
            ),
        ]
    for score, label in ((report.urgent, "urgent flag"), (report.secondary, "secondary intents")):
        if any(score.name in case.expected for case in report.cases):
            lines.append(
                f"{label + ':':<22}precision {score.precision:.1%}, recall {score.recall:.1%}"
                f" ({score.tp} right, {score.fp} false, {score.fn} missed)"
            )
    return lines
