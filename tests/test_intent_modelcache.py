"""The fitted intent model kept on disk: the next process reads it instead of fitting it again,
a change to the examples is another file, and a torn file or an unwritable folder only costs a fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.intent import modelcache
from extractors.intent.learned import IntentModel, shipped_examples


@pytest.fixture
def examples() -> list:
    return shipped_examples()[:300]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, in use."""
    monkeypatch.setenv(modelcache.CACHE_ENV, str(tmp_path))
    return tmp_path


def _fits(calls: list, examples: list):  # noqa: ANN202 - the fit function handed to `cached`
    def fit() -> IntentModel:
        calls.append(1)
        return IntentModel.fit(examples)

    return fit


def test_a_model_fitted_once_is_read_back_and_gives_the_same_answers(folder: Path, examples: list) -> None:
    calls: list = []
    first = modelcache.cached(IntentModel, examples, 0, _fits(calls, examples))
    second = modelcache.cached(IntentModel, examples, 0, _fits(calls, examples))
    assert calls == [1]
    assert len(list(folder.glob("intent-*.npz"))) == 1
    assert second.probabilities(examples[:5]) == first.probabilities(examples[:5])


def test_other_examples_or_another_seed_are_another_model(folder: Path, examples: list) -> None:
    calls: list = []
    modelcache.cached(IntentModel, examples, 0, _fits(calls, examples))
    modelcache.cached(IntentModel, examples[:-1], 0, _fits(calls, examples[:-1]))
    modelcache.cached(IntentModel, examples, 1, _fits(calls, examples))
    assert calls == [1, 1, 1]
    assert len(list(folder.glob("intent-*.npz"))) == 3


def test_a_torn_file_is_fitted_again_and_rewritten(folder: Path, examples: list) -> None:
    calls: list = []
    modelcache.cached(IntentModel, examples, 0, _fits(calls, examples))
    (cached_file,) = folder.glob("intent-*.npz")
    cached_file.write_bytes(cached_file.read_bytes()[:1000])
    model = modelcache.cached(IntentModel, examples, 0, _fits(calls, examples))
    assert calls == [1, 1] and isinstance(model, IntentModel)
    assert modelcache.cached(IntentModel, examples, 0, _fits(calls, examples)) is not None and calls == [1, 1]


def test_a_folder_that_cannot_be_written_only_costs_a_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, examples: list
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(modelcache.CACHE_ENV, str(blocked / "rpa"))
    calls: list = []
    model = modelcache.cached(IntentModel, examples, 0, _fits(calls, examples))
    assert calls == [1] and isinstance(model, IntentModel)
