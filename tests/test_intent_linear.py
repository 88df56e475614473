"""The intent model read in NumPy gives scikit-learn's own probabilities, and a process that
reads mail with it never imports scikit-learn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from extractors.intent.learned import Example, fitted_pipeline, shipped_examples
from extractors.intent.linear import LinearTextModel
from extractors.intent.modelcache import CACHE_ENV
from rpa.models import Intent

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fitted() -> tuple:
    examples = shipped_examples()
    pipeline = fitted_pipeline(examples)
    return examples, pipeline, LinearTextModel.from_sklearn(pipeline)


def _unseen() -> list[str]:
    """Texts no example holds: typos, no accents, a word never seen, nothing at all."""
    texts = [
        "bjr je voudrais resilier mon contrat auto svp c urgent",
        "Hello, could you tell me where my refund is? Claim CLM-2026-0042, thanks",
        "zzzqqq xkcd",
        "",
        "   ",
        "Pouvez-vous m'indiquer un garage agréé près de chez moi ?",
    ]
    return [Example(Intent.OTHER, "", text).features() for text in texts]


def test_numpy_gives_scikit_learns_probabilities_on_every_shipped_example(fitted: tuple) -> None:
    examples, pipeline, linear = fitted
    texts = [example.features() for example in examples] + _unseen()
    expected = pipeline.predict_proba(texts)
    got = linear.probabilities(texts)
    assert linear.classes == tuple(pipeline.classes_)
    assert np.abs(got - expected).max() < 1e-12
    assert (got.argmax(axis=1) == expected.argmax(axis=1)).all()


def test_the_saved_arrays_read_back_to_the_same_model(fitted: tuple, tmp_path: Path) -> None:
    _, _, linear = fitted
    path = tmp_path / "model.npz"
    linear.save(path)
    again = LinearTextModel.load(path)
    texts = _unseen()
    assert again.classes == linear.classes
    for read, fitted_weights in zip(again.vectorisers, linear.vectorisers, strict=True):
        terms = list(fitted_weights.terms)
        assert np.array_equal(read.vocabulary.columns_of(terms), np.arange(len(terms)))
        assert not len(read.vocabulary.columns_of(["not a term of any mail", " zq"]))
    assert np.array_equal(again.probabilities(texts), linear.probabilities(texts))
    with pytest.raises(ValueError, match="only a model just fitted is saved"):
        again.save(tmp_path / "again.npz")


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    np.savez(path, coefficients=np.zeros((3, 3)))
    with pytest.raises((KeyError, ValueError)):
        LinearTextModel.load(path)


def test_two_intents_give_two_probabilities_as_scikit_learn_does() -> None:
    examples = [e for e in shipped_examples() if e.intent in (Intent.CLAIM_NEW, Intent.CANCELLATION)][:60]
    pipeline = fitted_pipeline(examples)
    linear = LinearTextModel.from_sklearn(pipeline)
    texts = [example.features() for example in examples] + _unseen()
    assert linear.coefficients.shape[1] == 1
    assert np.abs(linear.probabilities(texts) - pipeline.predict_proba(texts)).max() < 1e-12


def test_classifying_mail_imports_neither_scikit_learn_nor_scipy(tmp_path: Path) -> None:
    """Not even when the model is not in the cache yet: it is fitted in a process of its own.
    A process holding them would hold about 100 MB more."""
    script = (
        "import sys\n"
        "from extractors.intent.learned import LearnedClassifier\n"
        "from extractors.mime import parse_message\n"
        "from rpa.config import LimitSettings\n"
        "mail = b'Subject: resiliation\\n\\nJe souhaite resilier mon contrat habitation.\\n'\n"
        "message = parse_message(mail, source='m', limits=LimitSettings())\n"
        "result = LearnedClassifier().classify(message, {}, 'fr')\n"
        "print(result.intent, sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))\n"
    )
    environ = {**os.environ, CACHE_ENV: str(tmp_path)}
    for _ in ("fitted and cached", "read from the cache"):
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=environ, check=True, capture_output=True, text=True
        )
        assert done.stdout.split() == ["cancellation", "[]"]
    assert len(list(tmp_path.glob("intent-*.npz"))) == 1
