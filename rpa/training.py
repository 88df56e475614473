"""Learning from agents: the intent classifier fitted again on the mails agents reviewed.

Which stored messages teach the model, labelled with the intent in force
(`messages.intent`, which an agent's correction overwrites):

- a message whose intent an agent corrected (`rpa correct --intent`, the web workspace): the
  agent chose the intent, whatever then became of the draft;
- a message with an approved draft (approved, sending or sent) written for the intent in force:
  the agent read the reply for that intent and accepted it.

Never a prediction nobody reviewed: no draft, a draft pending review, a rejected draft (the
agent refused the reply, which says nothing sure about the intent), a superseded one. A stored
message whose bytes are those of a held-out mail is left out too: the held-out set is never
trained on, even when someone ran it through `rpa process`.

Each message becomes an example exactly as the classifier reads a new mail: the stored raw
bytes parsed again (`rpa.pages.original_message`), the attachments' stored text as their
pages, a letter on paper read as the mail its writer wrote (`extractors.letters`), then
`example_from_message`, the one function that turns a message into what the model reads.

`train_intent_model` prints nothing: it returns a `TrainingReport` with the cross-validated
accuracy of the shipped examples (before) and of the shipped examples plus the agents' (after),
and the held-out accuracy of both models; it saves the new examples as a version of the model
(`rpa.modelversions`), which the next `Pipeline` uses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import sqlalchemy as sa

from extractors.documents import DocumentReader
from extractors.intent import LearnedClassifier, classification_text
from extractors.intent.common import NEEDS_TRIAGE
from extractors.intent.learned import (
    Example,
    IntentModel,
    example_from_message,
    intent_models_folder,
    load_examples,
    shipped_examples,
    shipped_model,
)
from extractors.language import detect_language
from extractors.letters import read_letter
from extractors.mime import parse_message
from extractors.ocr import OcrEngine
from rpa.config import Settings
from rpa.errors import ConfigError, NotFound
from rpa.models import Attachment, DraftStatus, Intent, Message, Page
from rpa.modelversions import ModelVersion, rollback, save_version, version_in_use
from rpa.pages import original_message
from rpa.store import MessageRecord, Store
from rpa.store.corrections import INTENT

__all__ = [
    "DEFAULT_HELDOUT",
    "REVIEWED_DRAFTS",
    "Reviewed",
    "Score",
    "TrainingReport",
    "cross_validated",
    "format_training",
    "heldout_score",
    "reviewed_examples",
    "rollback_intent_model",
    "stored_message",
    "train_intent_model",
]

# The project's held-out set, in a checkout: labelled mails never trained on (bench/intent.py).
DEFAULT_HELDOUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "heldout"
REVIEWED_DRAFTS = (DraftStatus.APPROVED, DraftStatus.SENDING, DraftStatus.SENT)
_SEED = 20251206  # the folds of the cross-validation: the same every run
_PAGE_BREAK = "\n\f"  # how the store joins an attachment's pages (rpa.store.writer)


@dataclass(frozen=True)
class Score:
    right: int
    total: int
    triaged: int = 0  # held-out mails left to an agent (`needs_triage`)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def as_json(self) -> dict:
        return {"right": self.right, "total": self.total, "triaged": self.triaged, "accuracy": self.accuracy}


@dataclass(frozen=True)
class TrainingReport:
    version: ModelVersion | None  # the version saved, now in use (None: not yet saved)
    replaced: ModelVersion | None  # the version in use before (None: the shipped examples)
    shipped: int  # examples shipped with rpa (and an operator's `intent_examples` file)
    corrected: int  # stored messages whose intent an agent corrected
    approved: int  # stored messages with an approved reply and no correction
    left_out: int  # stored messages that are held-out mails
    folds: int
    before: Score  # cross-validated, shipped examples only
    after: Score  # cross-validated, shipped examples and the agents'
    agents_after: Score  # the agents' examples among `after`: right when left out of the fit
    heldout_before: Score | None  # None: no held-out set
    heldout_after: Score | None

    @property
    def reviewed(self) -> int:
        return self.corrected + self.approved


def train_intent_model(
    store: Store, settings: Settings, *, folds: int = 5, heldout: Path | None = None
) -> TrainingReport:
    """Fit the model on the shipped examples plus the agents' (see the module's docstring),
    measure it beside the shipped one, and save it as the version the next run uses."""
    if folds < 2:
        raise ConfigError(f"cross-validation needs at least 2 folds, not {folds}")
    held = _heldout_mails(heldout, settings)
    reviewed = reviewed_examples(store, settings, leave_out={digest for digest, _, _ in held})
    base = shipped_examples() + _operator_examples(settings.pipeline.intent_examples)
    examples = base + reviewed.examples
    before, right = cross_validated(base, folds)
    old = shipped_model(settings.pipeline.intent_examples)
    new = old
    after = before  # nothing reviewed: the same examples in the same folds
    if reviewed.examples:
        after, right = cross_validated(examples, folds)
        new = IntentModel.fit(examples)
    agents = right[len(base) :]
    folder = intent_models_folder(settings)
    report = TrainingReport(
        version=None,
        replaced=version_in_use(folder),
        shipped=len(base),
        corrected=reviewed.corrected,
        approved=reviewed.approved,
        left_out=reviewed.left_out,
        folds=folds,
        before=before,
        after=after,
        agents_after=Score(sum(agents), len(agents)),
        heldout_before=heldout_score(held, settings, old) if held else None,
        heldout_after=heldout_score(held, settings, new) if held else None,
    )
    meta = _meta(report, reviewed.message_ids, settings.pipeline.intent_examples, heldout if held else None)
    return replace(report, version=save_version(folder, examples, meta))


def _meta(report: TrainingReport, message_ids: list[int], operator_file: str, heldout: Path | None) -> dict:
    """What meta.json keeps beside a version's examples."""
    return {
        "examples": report.shipped + report.reviewed,
        "shipped": report.shipped,
        "corrected": report.corrected,
        "approved": report.approved,
        "left_out": report.left_out,
        "messages": message_ids,
        "intent_examples": operator_file,
        "folds": report.folds,
        "cross_validated": {"before": report.before.as_json(), "after": report.after.as_json()},
        "heldout": {
            "folder": str(heldout) if heldout else None,
            "before": report.heldout_before.as_json() if report.heldout_before else None,
            "after": report.heldout_after.as_json() if report.heldout_after else None,
        },
    }


@dataclass(frozen=True)
class Reviewed:
    examples: list[Example]
    message_ids: list[int]
    corrected: int
    approved: int
    left_out: int


def reviewed_examples(store: Store, settings: Settings, *, leave_out: Iterable[str] = ()) -> Reviewed:
    """The stored messages an agent reviewed, as examples labelled with their intent in force.
    `leave_out`: sha256 digests of raw mails never to learn from (the held-out set)."""
    corrected, approved, hashes = _reviewed_ids(store)
    leave_out = set(leave_out)
    examples, ids, counts, left_out = [], [], {"corrected": 0, "approved": 0}, 0
    for message_pk in sorted(corrected | approved):
        if hashes.get(message_pk) in leave_out:
            left_out += 1
            continue
        record = store.message(message_pk)
        if record.intent not in Intent._value2member_map_:
            continue
        source = f"store:message/{message_pk}"
        example = example_from_message(stored_message(store, settings, record), Intent(record.intent), source)
        if not (example.subject.strip() or example.text.strip()):
            continue  # nothing to learn from: a bare document decided by its shape
        examples.append(replace(example, language=record.language or ""))
        ids.append(message_pk)
        counts["corrected" if message_pk in corrected else "approved"] += 1
    return Reviewed(examples, ids, counts["corrected"], counts["approved"], left_out)


def _reviewed_ids(store: Store) -> tuple[set[int], set[int], dict[int, str]]:
    """Ids of messages with an intent correction, of messages with an approved draft for the
    intent in force, and every message's content hash."""
    messages, drafts, corrections = store.t["messages"], store.t["drafts"], store.t["corrections"]
    with store.reading() as connection:
        corrected = set(
            connection.execute(
                sa.select(corrections.c.message_pk).where(corrections.c.kind == INTENT)
            ).scalars()
        )
        approved = set(
            connection.execute(
                sa.select(drafts.c.message_pk)
                .join(messages, messages.c.id == drafts.c.message_pk)
                .where(
                    drafts.c.status.in_([str(status) for status in REVIEWED_DRAFTS]),
                    drafts.c.intent == messages.c.intent,
                )
            ).scalars()
        )
        hashes = {
            row.id: row.content_hash
            for row in connection.execute(sa.select(messages.c.id, messages.c.content_hash))
        }
    return corrected, approved - corrected, hashes


def stored_message(store: Store, settings: Settings, record: MessageRecord) -> Message:
    """A stored message as the classifier saw it when it came in: parsed again from its bytes
    (or, stored without them, rebuilt from its columns), its attachments' pages from their
    stored text, and a letter on paper read as the mail its writer wrote."""
    try:
        message = original_message(store, settings, record.id)
    except NotFound:
        message = Message(
            source=record.source,
            message_id=record.message_id,
            subject=record.subject,
            sender=None,
            body=record.body,
            new_text=record.new_text,
            attachments=[Attachment(a.filename, a.content_type, a.size) for a in record.attachments],
            kind=record.kind,
        )
    for attachment, stored in zip(message.all_attachments(), record.attachments, strict=False):
        texts = stored.text.split(_PAGE_BREAK) if stored.text else []
        attachment.pages = [Page(number, text, stored.ocr) for number, text in enumerate(texts, 1)]
    letter = read_letter(message)
    return letter.as_mail(message) if letter is not None else message


def cross_validated(examples: Sequence[Example], folds: int) -> tuple[Score, list[bool]]:
    """Stratified `folds`-fold accuracy of the model's best intent (no threshold: the model's
    own skill), and for each example whether it was right when left out of the fit."""
    from sklearn.model_selection import StratifiedKFold

    labels = [str(example.intent) for example in examples]
    smallest = min(labels.count(label) for label in set(labels))
    if smallest < folds:
        raise ConfigError(
            f"{folds} folds need at least {folds} examples of every intent (one has {smallest})"
        )
    right = [False] * len(examples)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=_SEED)
    for fitted, left in splitter.split(labels, labels):
        model = IntentModel.fit([examples[i] for i in fitted])
        for i, probabilities in zip(left, model.probabilities([examples[i] for i in left]), strict=True):
            right[i] = max(probabilities, key=probabilities.__getitem__) == examples[i].intent
    return Score(sum(right), len(right)), right


def heldout_score(
    mails: Sequence[tuple[str, Message, Intent]], settings: Settings, model: IntentModel
) -> Score:
    """How the classifier (headers first, then `model`, `other` below the threshold) does on
    labelled mails it was never fitted on."""
    classifier = LearnedClassifier(settings.pipeline, model=model)
    right = triaged = 0
    for _, message, expected in mails:
        language, _ = detect_language(classification_text(message))
        result = classifier.classify(message, {}, language)
        right += result.intent == expected
        triaged += NEEDS_TRIAGE in result.flags
    return Score(right, len(mails), triaged)


def _operator_examples(path: str) -> list[Example]:
    """The examples of `[pipeline] intent_examples`, which the model in use was fitted on too."""
    if not path:
        return []
    file = Path(path).expanduser()
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"[pipeline] intent_examples: cannot read {file}: {exc}") from exc
    return load_examples(lines, str(file))


def _heldout_mails(folder: Path | None, settings: Settings) -> list[tuple[str, Message, Intent]]:
    """The labelled mails of `folder` (`<case>.eml` beside `<case>.expected.json`), their
    attachments read as the pipeline reads them, with the sha256 of their bytes."""
    if folder is None or not folder.is_dir():
        return []
    mails = []
    for path in sorted(folder.glob("*.eml")):
        truth = path.with_name(f"{path.stem}.expected.json")
        if not truth.is_file():
            continue
        expected = json.loads(truth.read_text(encoding="utf-8")).get("intent")
        if expected not in Intent._value2member_map_:
            continue
        data = path.read_bytes()
        message = parse_message(data, source=f"{folder.name}/{path.name}", limits=settings.limits)
        mails.append((hashlib.sha256(data).hexdigest(), message, Intent(expected)))
    with OcrEngine(settings) as ocr:
        reader = DocumentReader(settings, ocr)
        reader.read_all(attachment for _, message, _ in mails for attachment in message.all_attachments())
    return mails


def format_training(report: TrainingReport) -> str:
    """What `rpa train` prints."""
    left_out = f"; {report.left_out} held-out mail(s) left out" if report.left_out else ""
    lines = [
        f"examples: {report.shipped} shipped + {report.reviewed} reviewed by agents"
        f" ({report.corrected} intent corrected, {report.approved} approved){left_out}",
        f"cross-validated accuracy ({report.folds} folds): before {_percent(report.before)},"
        f" after {_percent(report.after)}"
        + (f"; agents' mails {_percent(report.agents_after)}" if report.reviewed else ""),
    ]
    if report.heldout_before is None or report.heldout_after is None:
        lines.append("held-out accuracy: no held-out set (--heldout DIR: labelled .eml files)")
    else:
        lines.append(
            f"held-out accuracy ({report.heldout_after.total} mails):"
            f" before {_percent(report.heldout_before)} ({_triage(report.heldout_before)}),"
            f" after {_percent(report.heldout_after)}"
            f" ({_triage(report.heldout_after)})"
        )
    replaced = f"version {report.replaced.name}" if report.replaced else "the shipped examples"
    lines.append(
        f"saved version {report.version.name} in {report.version.folder.parent} (replaces {replaced});"
        " the next run uses it"
    )
    return "\n".join(lines) + "\n"


def _percent(score: Score) -> str:
    return f"{score.accuracy:.1%} ({score.right}/{score.total})"


def _triage(score: Score) -> str:
    return f"routed to triage {score.triaged / score.total if score.total else 0:.1%}"


def rollback_intent_model(settings: Settings) -> str:
    """Put back the intent model in use before the current version; says what was done."""
    left, restored = rollback(intent_models_folder(settings))
    now = f"version {restored.name}" if restored else "the shipped examples"
    return f"rolled back from version {left.name} to {now}; the next run uses it\n"
