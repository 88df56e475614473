"""Every French insurance mail of the Melusine corpus goes through without an error.

The corpus (../shared/eval/melusine_fr_insurance_emails, Apache-2.0, MAIF) stores
mails as CSV/JSON rows; each row is rebuilt into a real RFC 5322 mail here.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from conftest import SHARED_EVAL, require

from extractors.sources import RawInput
from rpa.config import Settings
from rpa.models import Intent
from rpa.pipeline import Pipeline

CORPUS = SHARED_EVAL / "melusine_fr_insurance_emails"


def _rows() -> list[tuple[str, dict]]:
    if not CORPUS.is_dir():
        return []
    with (CORPUS / "emails_labeled_legacy.csv").open(encoding="utf-8") as handle:
        rows = [(f"csv-{i}", row) for i, row in enumerate(csv.DictReader(handle))]
    current = json.loads((CORPUS / "emails_current.json").read_text(encoding="utf-8"))
    return rows + [(f"json-{i}", row) for i, row in enumerate(current)]


def _as_mail(row: dict) -> bytes:
    mail = EmailMessage()
    mail["From"] = row["from"]
    mail["To"] = row["to"]
    mail["Subject"] = row["header"]
    mail["Date"] = format_datetime(datetime(2022, 2, 22, 22, 22, tzinfo=UTC))
    mail.set_content(row["body"])
    return bytes(mail)


ROWS = _rows()


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    from rpa.config import load_settings

    settings: Settings = load_settings(environ={"RPA_HOME": str(tmp_path_factory.mktemp("home"))})
    pipeline = Pipeline(settings)
    yield pipeline
    pipeline.close()


def test_the_corpus_is_here() -> None:
    require(CORPUS.is_dir(), f"{CORPUS} is absent")
    assert len(ROWS) == 81


@pytest.mark.parametrize(("name", "row"), ROWS, ids=[name for name, _ in ROWS])
def test_each_mail_is_processed_without_error(pipeline: Pipeline, name: str, row: dict) -> None:
    result = pipeline.process(RawInput(f"melusine/{name}", _as_mail(row), "mail", f"{name}.eml"))
    assert result.errors == []
    assert result.classification.language in ("fr", "en")
    assert result.classification.intent in set(Intent)
    if result.draft is not None:
        assert result.draft.body.strip() and "{{" not in result.draft.body
