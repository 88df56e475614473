"""Golden samples: every bundled case gives exactly what its `.expected.json` says.

The batch under `samples/` is the one a newcomer sees first (`make demo`) and the
one developers tune against; each case is a test of its own so a regression
names the case and the field it broke.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from rpa.config import Settings, load_settings
from rpa.evaluation import CaseResult, EvalReport, evaluate, expected_path
from rpa.models import Intent

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CASES = sorted(
    path
    for path in SAMPLES.iterdir()
    if path.is_file() and not path.name.endswith(".json") and expected_path(str(path)).is_file()
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> EvalReport:
    home = tmp_path_factory.mktemp("home")
    settings: Settings = load_settings(environ={"RPA_HOME": str(home)})
    settings = dataclasses.replace(settings, pipeline=dataclasses.replace(settings.pipeline, workers=2))
    return evaluate([SAMPLES], settings)


def case_result(report: EvalReport, path: Path) -> CaseResult:
    (case,) = [case for case in report.cases if Path(case.source).name == path.name]
    return case


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.name)
def test_sample_gives_its_expected_fields_intent_language_and_draft(report: EvalReport, path: Path) -> None:
    case = case_result(report, path)
    assert case.error is None
    expected = case.expected
    found = case.predicted_fields
    assert {name: found.get(name) for name in expected.get("fields", {})} == expected.get("fields", {})
    assert case.predicted_intent == expected["intent"]
    assert case.result.classification.language == expected["language"]
    assert (case.result.draft is not None) == expected["draft"]


def test_samples_cover_every_intent_both_languages_and_every_input_kind() -> None:
    truths = [json.loads(expected_path(str(path)).read_text(encoding="utf-8")) for path in CASES]
    assert len(CASES) >= 40
    assert {truth["intent"] for truth in truths} == {str(intent) for intent in Intent}
    languages = Counter(truth["language"] for truth in truths)
    assert languages["fr"] >= 15 and languages["en"] >= 15
    assert {path.suffix for path in CASES} >= {".eml", ".pdf", ".jpg", ".tif"}


def test_samples_stay_small_enough_to_clone_quickly() -> None:
    size = sum(path.stat().st_size for path in SAMPLES.rglob("*") if path.is_file())
    assert size < 15 * 1024 * 1024
