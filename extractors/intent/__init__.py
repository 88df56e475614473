"""What does the customer want? Intent classifiers behind one small Protocol.

Two are registered: `learned` (the default: TF-IDF and a calibrated linear
model trained on examples shipped with rpa, see `extractors.intent.learned`) and
`rules` (weighted cue phrases, see `extractors.intent.rules`). Both let the
headers decide first: auto-replies, mailing lists and bare documents
(`extractors.intent.common.structural_verdict`). ``[pipeline] classifier``
picks one by name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractors.intent.common import (
    NEEDS_TRIAGE,
    IntentClassifier,
    classification_text,
    fold,
    written_text,
)
from extractors.intent.learned import LearnedClassifier
from extractors.intent.rules import RuleClassifier
from rpa.config import PipelineSettings

__all__ = [
    "CLASSIFIERS",
    "NEEDS_TRIAGE",
    "IntentClassifier",
    "LearnedClassifier",
    "RuleClassifier",
    "classification_text",
    "fold",
    "make_classifier",
    "written_text",
]

# The names are `rpa.config.sections.CLASSIFIERS`, so that the settings refuse another one.
CLASSIFIERS: dict[str, Callable[[PipelineSettings], IntentClassifier]] = {
    LearnedClassifier.name: LearnedClassifier,
    RuleClassifier.name: RuleClassifier,
}


def make_classifier(settings: PipelineSettings, trained: Path | None = None) -> IntentClassifier:
    """The classifier named by the settings; `trained` is the folder where `rpa train` keeps its
    versions of the learned model (the current one replaces the shipped examples)."""
    factory = CLASSIFIERS[settings.classifier]
    if factory is LearnedClassifier and trained is not None:
        return LearnedClassifier(settings, trained=trained)
    return factory(settings)
