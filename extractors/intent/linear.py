"""The fitted intent model as plain arrays, and its arithmetic in NumPy.

scikit-learn fits the model (`learned.IntentModel.fit`): TF-IDF over words and word pairs and
over character n-grams within words, one linear score per intent (a linear SVM), and a sigmoid
per intent that turns its score into a probability. Reading a mail needs none of scikit-learn:
the vocabularies, their inverse document frequencies, the coefficients and the sigmoids are
copied out here once fitted, and the same sums are done in NumPy. A process that only reads
mail then never imports scikit-learn and SciPy, which cost it about 100 MB of resident memory
(measured by `bench/corpora.py`: every `rpa` process, each worker among them, held them).

The arithmetic is scikit-learn's, step by step (`TfidfVectorizer` with ``lowercase=False``,
``sublinear_tf=True``, its ``word`` and ``char_wb`` analysers, l2 norm; `LinearSVC`'s
``decision_function``; `CalibratedClassifierCV`'s sigmoid calibration and normalisation), and
`tests/test_intent_linear.py` checks that both give the same probabilities on every shipped
example.

Saved as one ``.npz`` file of plain arrays (read with ``allow_pickle=False``): nothing in it is
code. Read back, a vocabulary is held as the sorted hashes of its terms (`Vocabulary`), not as
a dict of them: 2 MB instead of 20 MB for the 165,000 terms of the shipped model, in every
process that classifies mail.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["LinearTextModel", "TermWeights", "Vocabulary"]

_WORD = re.compile(r"(?u)\b\w\w+\b")  # TfidfVectorizer's default token pattern
_WHITE_SPACES = re.compile(r"\s\s+")
_SEPARATOR = "\n"  # no term holds a line break: words are \w, character n-grams are cut at spaces


@dataclass(frozen=True)
class Vocabulary:
    """Terms -> columns, as the sorted hashes of the terms and the column of each. Python's
    hash of a string differs from one process to the next: a vocabulary is made in the
    process that uses it (`of`), never pickled. The hashes are 64 bits: two terms of the same
    hash, which `of` makes it try again with another `salt`, or a word that is no term taken
    for one, are one chance in 10^9 per process and 10^10 per mail."""

    hashes: np.ndarray  # int64, sorted
    columns: np.ndarray  # int64, the column of the term of each hash
    salt: int = 0

    @classmethod
    def of(cls, terms: Sequence[str]) -> Vocabulary:
        """The vocabulary of `terms`, the term of column 0 first."""
        for salt in range(8):
            hashes = _hashes(terms, salt)
            order = np.argsort(hashes, kind="stable")
            if len(terms) < 2 or (np.diff(hashes[order]) != 0).all():
                return cls(hashes[order], order, salt)
        raise ValueError("the terms of this vocabulary are not distinct")

    def __reduce__(self) -> None:
        raise TypeError("a Vocabulary holds this process's string hashes: make it again with Vocabulary.of")

    def columns_of(self, grams: Sequence[str]) -> np.ndarray:
        """The column of each gram that is a term, in their order; the others left out."""
        if not grams or not len(self.hashes):
            return np.zeros(0, dtype=np.int64)
        wanted = _hashes(grams, self.salt)
        at = np.minimum(np.searchsorted(self.hashes, wanted), len(self.hashes) - 1)
        return self.columns[at[self.hashes[at] == wanted]]


def _hashes(texts: Sequence[str], salt: int) -> np.ndarray:
    if salt:
        return np.fromiter((hash((salt, text)) for text in texts), dtype=np.int64, count=len(texts))
    return np.fromiter(map(hash, texts), dtype=np.int64, count=len(texts))


@dataclass(frozen=True)
class TermWeights:
    """One TF-IDF vectoriser: its analyser, its vocabulary (term -> column) and idf per column.
    `terms`, the vocabulary's terms in column order, are kept by a model just fitted, to be
    saved or sent to another process (where its vocabulary is made again); a model read back
    has only the vocabulary."""

    analyzer: str  # "word" (n-grams of words) or "char_wb" (n-grams of characters within words)
    ngrams: tuple[int, int]
    vocabulary: Vocabulary
    idf: np.ndarray
    terms: tuple[str, ...] = ()

    def __reduce__(self) -> tuple:
        if len(self.terms) != len(self.idf):
            raise TypeError("only a vectoriser that kept its terms is sent to another process")
        return _kept_weights, (self.analyzer, self.ngrams, self.terms, self.idf)

    def grams(self, text: str) -> list[str]:
        if self.analyzer == "word":
            return _word_ngrams(_WORD.findall(text), *self.ngrams)
        return _char_wb_ngrams(text, *self.ngrams)

    def weights(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's columns and their weights: 1 + log(count), times idf, l2-normalised."""
        columns, counts = np.unique(self.vocabulary.columns_of(self.grams(text)), return_counts=True)
        values = np.log(counts.astype(np.float64)) + 1.0
        values *= self.idf[columns]
        norm = math.sqrt(float(values @ values))
        return columns, (values / norm if norm else values)


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF features side by side, a linear score per class, a sigmoid per class."""

    classes: tuple[str, ...]
    vectorisers: tuple[TermWeights, ...]
    # (features, scores): the features of every vectoriser, in order; one score per class, or
    # with two classes one score, the second class's
    coefficients: np.ndarray
    intercepts: np.ndarray  # (scores,)
    sigmoid_a: np.ndarray  # (scores,): p = 1 / (1 + exp(a * score + b)), then normalised
    sigmoid_b: np.ndarray

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(texts, classes): each text's calibrated probabilities, summing to 1."""
        rows = np.empty((len(texts), len(self.classes)))
        for row, text in enumerate(texts):
            scores = self.intercepts.copy()
            offset = 0
            for vectoriser in self.vectorisers:
                columns, values = vectoriser.weights(text)
                scores += values @ self.coefficients[columns + offset]
                offset += len(vectoriser.idf)
            rows[row] = _calibrated(scores, self.sigmoid_a, self.sigmoid_b)
        return rows

    @classmethod
    def from_sklearn(cls, pipeline) -> LinearTextModel:  # noqa: ANN001 - a fitted sklearn Pipeline
        """The arrays of a fitted ``make_pipeline(make_union(TfidfVectorizer...),
        CalibratedClassifierCV(LinearSVC, method="sigmoid", ensemble=False))``."""
        union, calibrated = pipeline[0], pipeline[-1]
        (fitted,) = calibrated.calibrated_classifiers_
        svm = fitted.estimator
        if list(svm.classes_) != list(calibrated.classes_):
            raise ValueError("expected one calibrated linear SVM over the classes")
        vectorisers = tuple(
            _weights(
                vectoriser.analyzer,
                tuple(vectoriser.ngram_range),
                tuple(sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.__getitem__)),
                np.asarray(vectoriser.idf_, dtype=np.float64),
                keep_terms=True,
            )
            for _, vectoriser in union.transformer_list
        )
        return cls(
            classes=tuple(str(label) for label in calibrated.classes_),
            vectorisers=vectorisers,
            coefficients=np.ascontiguousarray(svm.coef_.T, dtype=np.float64),
            intercepts=np.asarray(svm.intercept_, dtype=np.float64),
            sigmoid_a=np.array([calibrator.a_ for calibrator in fitted.calibrators], dtype=np.float64),
            sigmoid_b=np.array([calibrator.b_ for calibrator in fitted.calibrators], dtype=np.float64),
        )

    def save(self, path: Path) -> None:
        """Write the arrays to `path` (an open file or a path; NumPy adds no suffix to a file)."""
        arrays: dict[str, np.ndarray] = {
            "classes": np.array(_SEPARATOR.join(self.classes)),
            "coefficients": self.coefficients,
            "intercepts": self.intercepts,
            "sigmoid_a": self.sigmoid_a,
            "sigmoid_b": self.sigmoid_b,
        }
        for number, vectoriser in enumerate(self.vectorisers):
            if len(vectoriser.terms) != len(vectoriser.idf):
                raise ValueError("only a model just fitted is saved: one read back keeps no terms")
            arrays[f"v{number}_terms"] = np.array(_SEPARATOR.join(vectoriser.terms))
            arrays[f"v{number}_idf"] = vectoriser.idf
            arrays[f"v{number}_kind"] = np.array(
                f"{vectoriser.analyzer} {vectoriser.ngrams[0]} {vectoriser.ngrams[1]}"
            )
        with path.open("wb") as handle:
            np.savez(handle, **arrays)

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """The model `save` wrote; raises OSError or ValueError for a file that is not one."""
        with np.load(path, allow_pickle=False) as arrays:
            vectorisers = []
            number = 0
            while f"v{number}_terms" in arrays:
                analyzer, low, high = str(arrays[f"v{number}_kind"]).split()
                terms = str(arrays[f"v{number}_terms"]).split(_SEPARATOR)
                idf = arrays[f"v{number}_idf"]
                if len(terms) != len(idf) or analyzer not in ("word", "char_wb"):
                    raise ValueError(f"vectoriser {number} is inconsistent")
                vectorisers.append(_weights(analyzer, (int(low), int(high)), terms, idf))
                number += 1
            model = cls(
                classes=tuple(str(arrays["classes"]).split(_SEPARATOR)),
                vectorisers=tuple(vectorisers),
                coefficients=arrays["coefficients"],
                intercepts=arrays["intercepts"],
                sigmoid_a=arrays["sigmoid_a"],
                sigmoid_b=arrays["sigmoid_b"],
            )
        features = sum(len(vectoriser.idf) for vectoriser in model.vectorisers)
        scores = 1 if len(model.classes) == 2 else len(model.classes)
        if model.coefficients.shape != (features, scores) or not model.vectorisers:
            raise ValueError("the coefficients do not match the vocabularies")
        return model


def _weights(
    analyzer: str, ngrams: tuple[int, int], terms: Sequence[str], idf: np.ndarray, *, keep_terms: bool = False
) -> TermWeights:
    """A vectoriser of `terms` in column order; they are kept (to be saved) only if asked."""
    return TermWeights(analyzer, ngrams, Vocabulary.of(terms), idf, tuple(terms) if keep_terms else ())


def _kept_weights(
    analyzer: str, ngrams: tuple[int, int], terms: Sequence[str], idf: np.ndarray
) -> TermWeights:
    return _weights(analyzer, ngrams, terms, idf, keep_terms=True)


def _word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """Every run of `low` to `high` consecutive tokens, joined by a space, shorter runs first."""
    return [" ".join(tokens[i : i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)]


def _char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams within each word padded with a space on both sides; a word shorter
    than n gives itself once (padded), not once per n."""
    grams = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams.extend(padded[start : start + n] for start in range(max(len(padded) - n, 0) + 1))
            if len(padded) <= n:
                break
    return grams


def _calibrated(scores: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each class's sigmoid of its score, divided by their sum (uniform when all are 0); with
    one score (two classes), its sigmoid and what is left for the first class."""
    with np.errstate(over="ignore"):  # a score far out gives exp = inf, so a probability of 0
        probabilities = 1.0 / (1.0 + np.exp(a * scores + b))
    if len(probabilities) == 1:
        return np.array([1.0 - probabilities[0], probabilities[0]])
    total = probabilities.sum()
    if total == 0:
        return np.full_like(probabilities, 1.0 / len(probabilities))
    probabilities /= total
    probabilities[(probabilities > 1.0) & (probabilities <= 1.0 + 1e-5)] = 1.0
    return probabilities
