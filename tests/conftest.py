"""Shared fixtures: settings pointing at a temporary RPA_HOME, a store, mail builders."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from extractors.fields.extract import extract_fields
from extractors.mime import parse_message
from rpa.config import LimitSettings, ParsingSettings, Settings, load_settings
from rpa.models import Address, Attachment, Message, TextSource
from rpa.pipeline import text_sources
from rpa.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip with a visible reason, but fail under CI=true: CI must run everything."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


def with_ocr(settings: Settings, **changes) -> Settings:
    """`settings` with some `[ocr]` settings changed."""
    return dataclasses.replace(settings, ocr=dataclasses.replace(settings.ocr, **changes))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(environ={"RPA_HOME": str(tmp_path / "home"), "RPA_PIPELINE_WORKERS": "1"})


@pytest.fixture
def store(settings: Settings) -> Store:
    settings.home.mkdir(parents=True, exist_ok=True)
    with Store(settings.database_url) as store:
        yield store


@pytest.fixture
def tesseract() -> str:
    path = shutil.which("tesseract")
    require(path is not None, "tesseract is not installed (apt-get install tesseract-ocr)")
    return path


def make_mail(
    body: str = "",
    *,
    subject: str = "Déclaration de sinistre",
    sender: str = "Jean Dupont <jean.dupont@example.fr>",
    to: str = "sinistres@assureur.example",
    message_id: str | None = "<case-1@example.fr>",
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    html: str | None = None,
) -> bytes:
    """An RFC 5322 mail as bytes, built with the standard library."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(datetime(2025, 3, 17, 9, 30, tzinfo=UTC))
    if message_id:
        mail["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        mail[name] = value
    if html is not None and not body:
        mail.set_content(html, subtype="html")
    else:
        mail.set_content(body)
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/", 1)
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(mail)


def run_rpa(
    *args: str, home: Path, input: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the installed `rpa` console script as a user would."""
    rpa = shutil.which("rpa", path=str(ROOT / ".venv" / "bin")) or shutil.which("rpa")
    assert rpa, "the rpa console script is not installed"
    full_env = {**os.environ, "RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1", **(env or {})}
    return subprocess.run(
        [rpa, *args], capture_output=True, text=True, env=full_env, input=input, timeout=600
    )


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Folders of tiny random-weight models built offline (see tests/tinymodels.py): llama, gpt2, t5."""
    import tinymodels

    root = tmp_path_factory.mktemp("models")
    return {
        "llama": tinymodels.build_llama(root / "llama"),
        "gpt2": tinymodels.build_gpt2(root / "gpt2"),
        "t5": tinymodels.build_t5(root / "t5"),
    }


def parsed_message(
    subject: str,
    text: str,
    *,
    attachments: list[Attachment] = (),
    in_reply_to: str | None = None,
    **headers: str,
) -> Message:
    """A mail as the parser leaves it, for classifier tests; headers as keyword arguments."""
    return Message(
        source="t",
        message_id=None,
        subject=subject,
        sender=Address("", "c@example.fr"),
        headers={k.replace("_", "-").lower(): v for k, v in headers.items()},
        body=text,
        new_text=text,
        attachments=list(attachments),
        in_reply_to=in_reply_to,
    )


def value_in(
    text: str, name: str = "policy_number", *, source: str = "body", language: str = ""
) -> str | None:
    """The value of field `name` the finders read in `text`, given as the `source` part of a mail."""
    found = extract_fields([TextSource(source, text, language=language)], ParsingSettings()).get(name)
    return found.value if found else None


def incident_in(text: str, received: date | datetime, *, language: str = "") -> str | None:
    """The incident date the finders read in `text`, the body of a mail received on `received`."""
    source = TextSource("body", text, language=language)
    found = extract_fields([source], ParsingSettings(), received=received).get("incident_date")
    return found.value if found else None


def name_of_mail(body: str, sender: str, field: str = "customer_name") -> str | None:
    """The customer name (the writer's; or `field`, such as "policyholder") the real MIME parser
    and finders read in a plain-text mail."""
    message = parse_message(make_mail(body, sender=sender), source="mail.eml", limits=LimitSettings())
    found = extract_fields(text_sources(message), ParsingSettings()).get(field)
    return found.value if found else None


def writer_and_policyholder(body: str, sender: str) -> tuple[str | None, str | None]:
    """Who writes a plain-text mail (`customer_name`) and whom they write for (`policyholder`)."""
    return name_of_mail(body, sender), name_of_mail(body, sender, "policyholder")


def written_for(body: str, sender: str) -> str | None:
    """The policyholder a plain-text mail is written for, checked to be someone else than the
    customer who writes it (none for a firm)."""
    writer, policyholder = writer_and_policyholder(body, sender)
    assert writer is None or writer != policyholder, f"{writer} writes for themselves"
    return policyholder
