"""The `learned` intent classifier: TF-IDF over words and character n-grams, and a
linear model whose scores are calibrated into probabilities (scikit-learn).

It reads the subject and what the customer wrote (accent-folded, lower-cased),
plus two facts about the mail's shape: whether it is a reply and the names of
its attachments. Character n-grams carry typos, missing accents and French
inflections that a word list misses; words after a negation are features of their
own ("neg_reclamation"). Headers decide first (auto-replies, mail
sent to many, bare documents: see `structural_verdict`); below `threshold` the
intent is `other`, flagged `needs_triage`, so that an agent sorts it.

Training data ships as JSON Lines in `extractors/intent/data/` (`SHIPPED_FILES`):
requests written for rpa in FR and EN by writers who never saw the held-out mails of
`tests/data/heldout/`, and `samples.jsonl`, the words of `samples/*.eml` with their
expected intent, and `devset.jsonl`, the mails of the development set (both rewritten by
`python bench/intent.py --write-examples`).
Operators may add their own file with ``[pipeline] intent_examples``. `rpa train`
(`rpa.training`) saves versions of the examples with the mails agents reviewed added;
the version it made current replaces them all (`shipped_model(..., trained=folder)`).

The model is fitted at first use (a few seconds for the 2,671 examples) and cached per process,
rather than shipped fitted: the JSONL stays the one source of truth, there is no build step
to forget, and no pickle is shipped or read. Fitting is deterministic, so the model is fitted
once per machine: in a process of its own (`_fit_apart`), by scikit-learn, and kept in the
user's cache folder as plain arrays under a key of everything it was fitted from, versions
included (`modelcache`). Every process reads those arrays and classifies in NumPy (`linear`):
none imports scikit-learn or SciPy, about 100 MB each.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from extractors.automation import AUTO_REPLY
from extractors.intent.common import NEEDS_TRIAGE, fold, is_reply, structural_verdict, written_text
from extractors.intent.linear import LinearTextModel
from extractors.intent.modelcache import cached
from extractors.intent.secondary import secondary_intents
from extractors.mime import parse_message
from rpa.config import LimitSettings, PipelineSettings, Settings
from rpa.errors import ConfigError
from rpa.models import Classification, Field, Intent, Message

__all__ = [
    "Example",
    "IntentModel",
    "LearnedClassifier",
    "TRAINED_EXAMPLES",
    "current_version",
    "example_from_message",
    "intent_models_folder",
    "labelled_examples",
    "load_examples",
    "shipped_examples",
    "shipped_model",
]

log = logging.getLogger(__name__)

# train.jsonl and varied.jsonl: written for rpa; written_*.jsonl and pairs_*.jsonl: written by hand by
# writers who had not seen the evaluation mails (pairs: requests on the border of two intents);
# samples.jsonl: the words of samples/*.eml.
SHIPPED_FILES = (
    "train.jsonl",
    "varied.jsonl",
    "written_fr.jsonl",
    "written_en.jsonl",
    "written2_fr.jsonl",
    "written2_en.jsonl",
    "written3_fr.jsonl",
    "written3_en.jsonl",
    "pairs_fr.jsonl",
    "pairs_en.jsonl",
    "devset.jsonl",
    "samples.jsonl",
)
_SEED = 20250314
_REPLY_TOKEN = "zzreply"  # not a word anyone writes: the model learns what a reply means
_ATTACHED_TOKEN = "zzattached"
_FILENAME_WORDS = re.compile(r"[a-z]{3,}")
_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png", "tif", "tiff", "heic", "doc", "docx", "eml", "txt"})
# Words after a negation are features of their own ("neg_reclamation"), so that "ce n'est pas une
# réclamation" or "I don't want to cancel" does not read as a complaint or a cancellation. The
# window closes after three words or at a clause's punctuation.
_NEGATORS = frozenset(
    {"pas", "plus", "jamais", "aucun", "aucune", "rien", "not", "no", "never", "nothing", "dont", "isnt"}
)
_NEGATED_WORDS = 3
_CLAUSE_END = re.compile(r"[.,;:!?]$")


@dataclass(frozen=True)
class Example:
    """One labelled request: what the model learns from, or reads."""

    intent: Intent
    subject: str
    text: str
    language: str = ""
    reply: bool = False
    attachments: tuple[str, ...] = ()
    source: str = ""  # file:line it was read from, for error messages and evaluations

    def features(self) -> str:
        """The one string the vectorizers read."""
        names = [
            word
            for name in self.attachments
            for word in _FILENAME_WORDS.findall(fold(name))
            if word not in _EXTENSIONS
        ]
        markers = ([_REPLY_TOKEN] if self.reply else []) + ([_ATTACHED_TOKEN] if self.attachments else [])
        parts = (self.subject, self.text, " ".join(names + markers))
        return "\n".join(_mark_negations(fold(part)) for part in parts)

    def as_json(self) -> dict:
        record = {
            "intent": str(self.intent),
            "lang": self.language,
            "subject": self.subject,
            "text": self.text,
        }
        if self.reply:
            record["reply"] = True
        if self.attachments:
            record["attachments"] = list(self.attachments)
        if self.source:
            record["source"] = self.source
        return record


def _mark_negations(text: str) -> str:
    """`text` (folded) with the words that follow a negation prefixed "neg_"."""
    marked, left = [], 0
    for word in text.split(" "):
        marked.append(f"neg_{word}" if left and word else word)
        left = max(left - 1, 0)
        bare = word.strip(".,;:!?()\"'«»")
        if bare in _NEGATORS or bare.endswith("n't"):
            left = _NEGATED_WORDS
        if _CLAUSE_END.search(word):
            left = 0
    return " ".join(marked)


def example_from_message(message: Message, intent: Intent = Intent.OTHER, source: str = "") -> Example:
    return Example(
        intent=intent,
        subject=message.subject,
        text=written_text(message),
        reply=is_reply(message),
        attachments=tuple(_attachment_names(message)),
        source=source or message.source,
    )


def _attachment_names(message: Message) -> list[str]:
    names = [attachment.filename for attachment in message.attachments if not attachment.inline]
    for inner in message.forwarded:
        names += _attachment_names(inner)
    return names


def load_examples(lines: Iterable[str], origin: str) -> list[Example]:
    """Examples from JSON Lines; a bad line is a ConfigError naming origin:line."""
    examples = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
            examples.append(
                Example(
                    intent=Intent(record["intent"]),
                    subject=str(record.get("subject", "")),
                    text=str(record.get("text", "")),
                    language=str(record.get("lang", "")),
                    reply=bool(record.get("reply", False)),
                    attachments=tuple(str(name) for name in record.get("attachments", ())),
                    source=str(record.get("source") or where),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{where}: not a training example ({type(exc).__name__}: {exc})") from exc
        if not (examples[-1].subject.strip() or examples[-1].text.strip()):
            raise ConfigError(f"{where}: a training example needs a subject or a text")
    return examples


def shipped_examples() -> list[Example]:
    folder = resources.files("extractors.intent") / "data"
    examples = []
    for name in SHIPPED_FILES:
        text = (folder / name).read_text(encoding="utf-8")
        examples += load_examples(text.splitlines(), f"extractors/intent/data/{name}")
    return examples


def labelled_examples(folder: Path, limits: LimitSettings) -> list[Example]:
    """The mails of a labelled folder (`<case>.eml` beside `<case>.expected.json`) as examples.

    Only mails: a standalone document is decided by its shape, never by the model.
    """
    examples = []
    for path in sorted(folder.glob("*.eml")):
        truth = path.with_name(f"{path.stem}.expected.json")
        if not truth.is_file():
            continue
        expected = json.loads(truth.read_text(encoding="utf-8"))
        source = f"{folder.name}/{path.name}"
        message = parse_message(path.read_bytes(), source=source, limits=limits)
        example = example_from_message(message, Intent(expected["intent"]), source)
        examples.append(dataclasses.replace(example, language=expected.get("language", "")))
    return examples


def _examples_file(path: str) -> list[Example]:
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"[pipeline] intent_examples: cannot read {file}: {exc}") from exc
    return load_examples(text.splitlines(), str(file))


class IntentModel:
    """A fitted TF-IDF + calibrated linear SVM over `Example.features()`, read in NumPy
    (`linear.LinearTextModel`): `fit` needs scikit-learn, reading mail does not."""

    def __init__(self, linear: LinearTextModel, size: int) -> None:
        self.linear = linear
        self.intents = tuple(Intent(label) for label in linear.classes)
        self.size = size  # examples it was fitted on

    @classmethod
    def fit(cls, examples: Sequence[Example], seed: int = _SEED) -> IntentModel:
        return cls(LinearTextModel.from_sklearn(fitted_pipeline(examples, seed)), len(examples))

    def save(self, path: Path) -> None:
        self.linear.save(path)

    @classmethod
    def load(cls, path: Path, size: int) -> IntentModel:
        return cls(LinearTextModel.load(path), size)

    def probabilities(self, examples: Sequence[Example]) -> list[dict[Intent, float]]:
        rows = self.linear.probabilities([example.features() for example in examples])
        return [dict(zip(self.intents, map(float, row), strict=True)) for row in rows]

    def best(self, example: Example) -> tuple[Intent, float]:
        (probabilities,) = self.probabilities([example])
        return max(probabilities.items(), key=lambda item: item[1])


def fitted_pipeline(examples: Sequence[Example], seed: int = _SEED):  # noqa: ANN201 - sklearn Pipeline
    """The scikit-learn pipeline fitted on `examples`: TF-IDF of `Example.features()` and a linear
    SVM calibrated with sigmoids (what `IntentModel` reads in NumPy)."""
    # scikit-learn is imported here: only fitting needs it (see `linear`).
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    labels = [str(example.intent) for example in examples]
    smallest = min(labels.count(label) for label in set(labels)) if labels else 0
    if len(set(labels)) < 2 or smallest < 3:
        raise ConfigError("intent training data needs at least 3 examples of at least 2 intents")
    vectorizers = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=False),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, lowercase=False),
    )
    # Sigmoid calibration on out-of-fold scores of one SVM (ensemble=False): probabilities
    # that a threshold can mean something, for a third of the time of five calibrated SVMs.
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
    classifier = CalibratedClassifierCV(
        LinearSVC(C=1.0, random_state=seed), method="sigmoid", cv=folds, ensemble=False
    )
    pipeline = make_pipeline(vectorizers, classifier)
    return pipeline.fit([example.features() for example in examples], labels)


def shipped_model(extra_examples: str = "", trained: Path | None = None) -> IntentModel:
    """The model in use, fitted once per process: on the examples of the version `rpa train` made
    current in folder `trained` (see `current_version`), else on the shipped examples (and an
    operator's file, which a trained version already holds)."""
    version = current_version(trained) if trained is not None else None
    # One cache key per file and per version, however the caller spells "none".
    return _fitted(extra_examples, str(version or ""))


# `rpa train` (rpa.training) keeps versions of the model under $RPA_HOME/models/intent/:
# <version>/examples.jsonl (every example it was fitted on) beside meta.json, and a
# `current` file naming the version in use. A version is never changed once written.
TRAINED_EXAMPLES = "examples.jsonl"
_CURRENT = "current"


def intent_models_folder(settings: Settings) -> Path:
    """Where `rpa train` keeps its versions of the intent model."""
    return settings.home / "models" / "intent"


def current_version(folder: Path) -> Path | None:
    """The version folder named by `folder`/current; None when the shipped examples are in use."""
    pointer = folder / _CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read {pointer}: {exc}") from exc
    if not name:
        return None
    version = folder / name
    if Path(name).name != name or name.startswith(".") or not (version / TRAINED_EXAMPLES).is_file():
        raise ConfigError(f"{pointer} names {name!r}, not a trained version (see `rpa train --rollback`)")
    return version


@lru_cache(maxsize=4)
def _fitted(extra_examples: str, version: str = "") -> IntentModel:
    if version:
        file = Path(version) / TRAINED_EXAMPLES
        examples = load_examples(file.read_text(encoding="utf-8").splitlines(), str(file))
    else:
        examples = shipped_examples()
        if extra_examples:
            examples += _examples_file(extra_examples)
    return cached(IntentModel, examples, _SEED, lambda: _fit_apart(examples))  # fitted once per machine


def _fit_apart(examples: Sequence[Example]) -> IntentModel:
    """`IntentModel.fit` in a fresh process, so that this one never imports scikit-learn and SciPy
    (about 100 MB that a daemon would hold for its whole life); here if no process can start."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as apart:
            return apart.submit(IntentModel.fit, list(examples)).result()
    except (OSError, BrokenProcessPool) as exc:
        log.warning("fitting the intent model in this process: no process to fit it in (%s)", exc)
        return IntentModel.fit(examples)


class LearnedClassifier:
    """Header verdicts first, then the model; unsure means `other` + `needs_triage`."""

    name = "learned"

    def __init__(
        self,
        settings: PipelineSettings | None = None,
        *,
        model: IntentModel | None = None,
        trained: Path | None = None,  # the folder of `rpa train`'s versions (`intent_models_folder`)
    ) -> None:
        settings = settings or PipelineSettings()
        self.threshold = settings.intent_threshold
        # Fitted now, not at the first mail: worker processes forked later inherit it.
        self.model = model or shipped_model(settings.intent_examples, trained)

    def classify(self, message: Message, fields: Mapping[str, Field], language: str) -> Classification:
        verdict = structural_verdict(message, language)
        if verdict is not None:
            return verdict
        intent, probability = self.model.best(example_from_message(message))
        confidence = round(probability, 2)
        if probability < self.threshold:
            return Classification(language, Intent.OTHER, confidence, (NEEDS_TRIAGE,))
        # An out-of-office the headers did not give away must still not be answered.
        flags = (AUTO_REPLY,) if intent == Intent.AUTO_REPLY else ()
        others = secondary_intents(written_text(message), intent, self._sentence_probabilities)
        return Classification(language, intent, confidence, flags, secondary_intents=others)

    def _sentence_probabilities(self, texts: Sequence[str]) -> list[dict[Intent, float]]:
        return self.model.probabilities([Example(Intent.OTHER, "", text) for text in texts])
