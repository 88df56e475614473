"""Intent accuracy on mail the classifier was not trained on: learned beside rules.

    python bench/intent.py [--samples DIR] [--folds K] [--devset DIR] [--melusine DIR] [--write-examples]

1. samples/ by k-fold cross-validation: for each fold, a model is fitted on the
   shipped examples but samples.jsonl, plus the samples of the other folds, and
   classifies the held-out fold (folds are stratified by intent, deterministic).
   Messages go through the whole pipeline (reading, OCR, fields) first.
2. The held-out set (tests/data/heldout, see its SOURCE_*.md): mails written by hand,
   by writers who had not seen the training examples, never trained on and never
   used to write rules. The shipped model classifies them; accuracy per intent,
   the confusion table and the share routed to triage are printed.
3. The development set (tests/data/devset, see its SOURCE_*.md): mails written by
   hand by eight writers (one hundred of file numbers each) who saw neither the
   held-out mails nor the training examples. They are shipped as training examples
   too (devset.jsonl), so they are scored writer by writer: each writer's mails are
   classified by a model fitted on the shipped examples but devset.jsonl, plus the
   other writers' mails (leave one writer out).
4. Melusine (../shared/eval/melusine_fr_insurance_emails, 40 French labelled mails,
   see its SOURCE.md): its classes are lines of business and topics, not requests,
   so only those that name a request are mapped (MELUSINE_TO_INTENT); the other
   rows are not scored. The shipped model (train.jsonl + samples.jsonl) classifies them.
5. The rule classifier on the same messages (it was tuned on samples/: its
   samples figure is a training score, not a held-out one).
6. A confusion table per evaluation (rows: expected, columns: predicted) and the misses,
   and for the samples the learned classifier's accuracy at several thresholds.

The multilingual support tickets are not used: they are IT help-desk tickets
(queues such as Technical Support, types Incident/Request/Problem/Change) with no
class that corresponds to an insurance request.

`--write-examples` rewrites extractors/intent/data/samples.jsonl from samples/ and
devset.jsonl from tests/data/devset (run it after a case there changes).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.intent import LearnedClassifier, RuleClassifier  # noqa: E402
from extractors.intent.common import NEEDS_TRIAGE, structural_verdict  # noqa: E402
from extractors.intent.learned import (  # noqa: E402
    SHIPPED_FILES,
    Example,
    IntentModel,
    example_from_message,
    labelled_examples,
    load_examples,
    shipped_model,
)
from extractors.sources import RawInput, iter_inputs  # noqa: E402
from rpa.config import LimitSettings, Settings, load_settings  # noqa: E402
from rpa.models import Classification, Field, Intent, Message  # noqa: E402
from rpa.pipeline import Pipeline  # noqa: E402

DATA = ROOT / "extractors" / "intent" / "data"
SAMPLES_JSONL = DATA / "samples.jsonl"
DEVSET = ROOT / "tests" / "data" / "devset"
DEVSET_JSONL = DATA / "devset.jsonl"
# The shipped files written from labelled folders of mails (`--write-examples`).
FROM_FOLDERS = {SAMPLES_JSONL: ROOT / "samples", DEVSET_JSONL: DEVSET}
# Mails of those folders not written into them, with why.
NOT_TRAINED = {
    "devset/fr_cancellation_539.eml": "its cancellation formula is a 17-word run of a held-out mail too, "
    "and no training example may share a 15-word run with one",
}
MELUSINE = ROOT.parent / "shared" / "eval" / "melusine_fr_insurance_emails"
HELDOUT = ROOT / "tests" / "data" / "heldout"

# Melusine label -> our intent, only where the label names what the customer asks.
# Not mapped: vehicule, habitation (lines of business: any request about a car or a
# home), compte, adhesion, regularisation, succession, bilan, autres (topics that span
# several of our intents: a payment question, sending documents, a call-back request).
MELUSINE_TO_INTENT = {
    "resiliation": Intent.CANCELLATION,
    "modification": Intent.CONTRACT_CHANGE,
    "sinistres": Intent.CLAIM_NEW,
}
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)


@dataclass
class Case:
    source: str
    expected: Intent
    message: Message
    fields: dict[str, Field]
    language: str
    learned: Classification | None = None
    rules: Classification | None = None
    best: tuple[Intent, float] | None = None  # the model's own guess, before the threshold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--melusine", type=Path, default=MELUSINE)
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument(
        "--write-examples", action="store_true", help="rewrite samples.jsonl and devset.jsonl and stop"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(environ={"RPA_HOME": home, "RPA_PIPELINE_CLASSIFIER": "rules"})
        if args.write_examples:
            return _write_examples(settings)
        pipeline = Pipeline(settings)
        try:
            # Each evaluation's folds supply the file written from its own folder.
            _bench_samples(pipeline, settings, _shipped_but(SAMPLES_JSONL), args.samples, args.folds)
            _bench_devset(pipeline, settings, _shipped_but(DEVSET_JSONL), args.devset)
            _bench_heldout(pipeline, settings, args.heldout)
            _bench_melusine(pipeline, settings, args.melusine)
        finally:
            pipeline.close()
    return 0


def _write_examples(settings: Settings) -> int:
    for file, folder in FROM_FOLDERS.items():
        examples = shipped_from(folder, settings.limits)
        lines = [json.dumps(example.as_json(), ensure_ascii=False) for example in examples]
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(examples)} examples to {file}")
    return 0


def shipped_from(folder: Path, limits: LimitSettings) -> list[Example]:
    """The examples `--write-examples` writes from a labelled folder of mails."""
    return [example for example in labelled_examples(folder, limits) if example.source not in NOT_TRAINED]


def _shipped_but(left_out: Path) -> list[Example]:
    return [
        example
        for name in SHIPPED_FILES
        if name != left_out.name
        for example in load_examples((DATA / name).read_text(encoding="utf-8").splitlines(), name)
    ]


def _bench_samples(
    pipeline: Pipeline, settings: Settings, train: list[Example], folder: Path, folds: int
) -> None:
    cases = [_understood(pipeline, raw, Intent(truth["intent"])) for raw, truth in _labelled(folder)]
    fold_of = _stratified_folds(cases, folds)
    started = time.perf_counter()
    for fold in range(folds):
        held_out = [case for case in cases if fold_of[case.source] == fold]
        others = [_example(case) for case in cases if fold_of[case.source] != fold]
        model = IntentModel.fit(train + others)
        _classify(held_out, LearnedClassifier(settings.pipeline, model=model))
    fit_seconds = (time.perf_counter() - started) / folds
    print(
        f"== samples ({folder}): {len(cases)} labelled inputs, {folds}-fold cross-validation; "
        f"each fold's model trained on {len(train)} shipped examples (samples.jsonl left out) "
        "+ the other folds' mails "
        f"(fit and classify: {fit_seconds:.1f} s per fold)"
    )
    _report(cases, settings.pipeline.intent_threshold)


def _bench_devset(pipeline: Pipeline, settings: Settings, train: list[Example], folder: Path) -> None:
    cases = [_understood(pipeline, raw, Intent(truth["intent"])) for raw, truth in _labelled(folder)]
    if not cases:
        print(f"== development set: no labelled mail in {folder}, skipped")
        return
    writers = sorted({_writer(case) for case in cases})
    started = time.perf_counter()
    for writer in writers:
        others = [_example(case) for case in cases if _writer(case) != writer]
        model = IntentModel.fit(train + others)
        _classify(
            [case for case in cases if _writer(case) == writer],
            LearnedClassifier(settings.pipeline, model=model),
        )
    print(
        f"== development set ({folder.name}): {len(cases)} labelled mails by {len(writers)} writers, "
        f"each writer's mails classified by a model trained on {len(train)} shipped examples "
        "(devset.jsonl left out) + the other writers' mails "
        f"(fit and classify: {(time.perf_counter() - started) / len(writers):.1f} s per writer)"
    )
    _report(cases, settings.pipeline.intent_threshold)


def _writer(case: Case) -> str:
    """Who wrote a development mail: each writer numbered their mails in their own hundred
    (3 digits: the first one; 4 digits, from batch 6 on: the first two)."""
    number = Path(case.source).stem.rsplit("_", 1)[-1]
    if not number.isdigit() or len(number) not in (3, 4):
        return "?"
    return number[: len(number) - 2]


def _bench_heldout(pipeline: Pipeline, settings: Settings, folder: Path) -> None:
    cases = [_understood(pipeline, raw, Intent(truth["intent"])) for raw, truth in _labelled(folder)]
    if not cases:
        print(f"== held-out: no labelled mail in {folder}, skipped")
        return
    languages = Counter(case.language for case in cases)
    where = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    counts = ", ".join(f"{n} {lang}" for lang, n in sorted(languages.items()))
    _with_shipped_model(
        cases, settings, f"== held-out ({where}): {len(cases)} labelled mails ({counts}), never trained on"
    )


def _bench_melusine(pipeline: Pipeline, settings: Settings, folder: Path) -> None:
    corpus = folder / "emails_labeled_legacy.csv"
    if not corpus.is_file():
        print(f"== melusine: {corpus} is absent, skipped")
        return
    with corpus.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    cases = []
    for number, row in enumerate(rows, 1):
        if row["label"] in MELUSINE_TO_INTENT:
            raw = RawInput(f"melusine#{number} ({row['label']})", _as_mail(row), "mail", "mail.eml")
            cases.append(_understood(pipeline, raw, MELUSINE_TO_INTENT[row["label"]]))
    mapped = ", ".join(f"{k} -> {v}" for k, v in MELUSINE_TO_INTENT.items())
    _with_shipped_model(
        cases,
        settings,
        f"== melusine ({folder.name}): {len(cases)} of {len(rows)} labelled mails have a "
        f"mapped class ({mapped})",
    )


def _with_shipped_model(cases: list[Case], settings: Settings, title: str) -> None:
    """Classify `cases` with the model rpa ships (fitted now when not yet), and report."""
    started = time.perf_counter()
    model = shipped_model(settings.pipeline.intent_examples)
    print(f"{title}; shipped model ({model.size} examples, {time.perf_counter() - started:.1f} s to fit)")
    _classify(cases, LearnedClassifier(settings.pipeline, model=model))
    _report(cases, settings.pipeline.intent_threshold)


def _labelled(folder: Path):
    for raw in iter_inputs([folder]):
        truth = Path(raw.source).with_name(Path(raw.source).stem + ".expected.json")
        if truth.is_file():
            yield raw, json.loads(truth.read_text(encoding="utf-8"))


def _understood(pipeline: Pipeline, raw: RawInput, expected: Intent) -> Case:
    result = pipeline.process(raw)
    case = Case(raw.source, expected, result.message, result.fields, result.classification.language)
    case.rules = RuleClassifier().classify(result.message, result.fields, case.language)
    return case


def _example(case: Case) -> Example:
    return replace(example_from_message(case.message, case.expected, case.source), language=case.language)


def _stratified_folds(cases: list[Case], folds: int) -> dict[str, int]:
    ordered = sorted(cases, key=lambda case: (case.expected, case.source))
    return {case.source: position % folds for position, case in enumerate(ordered)}


def _classify(cases: list[Case], classifier: LearnedClassifier) -> None:
    for case in cases:
        case.learned = classifier.classify(case.message, case.fields, case.language)
        if structural_verdict(case.message, case.language) is None:
            case.best = classifier.model.best(example_from_message(case.message))


def _at_threshold(cases: list[Case], threshold: float) -> tuple[int, int]:
    right = triaged = 0
    for case in cases:
        if case.best is None:  # decided by headers, whatever the threshold
            right += case.learned.intent == case.expected
            continue
        intent, probability = case.best
        if probability < threshold:
            triaged += 1
            intent = Intent.OTHER
        right += intent == case.expected
    return right, triaged


def _report(cases: list[Case], configured: float) -> None:
    for name in ("learned", "rules"):
        predicted = {case.source: getattr(case, name) for case in cases}
        right = sum(predicted[case.source].intent == case.expected for case in cases)
        triaged = sum(NEEDS_TRIAGE in predicted[case.source].flags for case in cases)
        print(
            f"{name:8s} accuracy {right}/{len(cases)} = {right / len(cases):.1%}"
            + (f"  (routed to triage: {triaged}, {triaged / len(cases):.1%})" if name == "learned" else "")
        )
    print("learned, per intent (right / expected):")
    for intent in Intent:
        expected = [case for case in cases if case.expected == intent]
        if expected:
            right = sum(case.learned.intent == intent for case in expected)
            print(f"  {intent!s:22s}{right:>4}/{len(expected):<4} {right / len(expected):6.1%}")
    for name in ("learned", "rules"):
        print(f"-- confusion ({name}); rows expected, columns predicted")
        _print_confusion(Counter((case.expected, getattr(case, name).intent) for case in cases))
        for case in cases:
            got = getattr(case, name)
            if got.intent != case.expected:
                print(
                    f"   miss: {case.source}: expected {case.expected}, got {got.intent} "
                    f"({got.confidence:.2f}{', ' + ', '.join(got.flags) if got.flags else ''})"
                )
    print("learned, by threshold (triaged: intent 'other' + needs_triage; right: exact intent):")
    for threshold in THRESHOLDS:
        right, triaged = _at_threshold(cases, threshold)
        marker = "  <- configured" if threshold == configured else ""
        print(
            f"  threshold {threshold:.2f}: right {right}/{len(cases)} ({right / len(cases):.1%}), "
            f"triaged {triaged}{marker}"
        )
    print()


def _print_confusion(confusion: Counter[tuple[Intent, Intent]]) -> None:
    labels = [intent for intent in Intent if any(intent in pair for pair in confusion)]
    short = {intent: str(intent)[:8] for intent in labels}
    print(" " * 22 + " ".join(f"{short[label]:>8s}" for label in labels))
    for expected in labels:
        if not any(pair[0] == expected for pair in confusion):
            continue
        cells = " ".join(f"{confusion[(expected, got)] or '.':>8}" for got in labels)
        print(f"   {str(expected):19s}{cells}")


def _as_mail(row: dict[str, str]) -> bytes:
    mail = EmailMessage()
    mail["From"] = row["from"]
    mail["To"] = row["to"]
    mail["Subject"] = row["header"]
    mail.set_content(row["body"])
    # The corpus keeps the attachments' names, not their bytes: the names are part of the mail.
    for name in json.loads(row.get("attachment") or "[]"):
        mail.add_attachment(b"", maintype="application", subtype="octet-stream", filename=name)
    return bytes(mail)


if __name__ == "__main__":
    sys.exit(main())
