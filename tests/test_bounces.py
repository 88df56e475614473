"""Reports no person wrote, bounces, read receipts and spam complaints (RFC 6522
multipart/report), are recognised for what they are: flagged, never answered, and their
machine-readable parts never listed as documents that could not be read.

The reports are real ones from flanker's fixtures (tests/data/reports/SOURCE.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from conftest import make_mail

from extractors.automation import automation_flags
from extractors.mime import parse_message
from extractors.sources import RawInput
from rpa.config import LimitSettings, load_settings
from rpa.models import Address, Message
from rpa.pipeline import Pipeline

REPORTS = Path(__file__).resolve().parent / "data" / "reports"
LIMITS = LimitSettings()
KINDS = [
    ("zed.eml", "delivery-status", "bounce"),
    ("delayed.eml", "delivery-status", "bounce"),
    ("delayed-broken.eml", "delivery-status", "bounce"),  # no multipart/report around it
    ("disposition-notification.eml", "disposition-notification", "read_receipt"),
    ("yahoo.eml", "feedback-report", "feedback_report"),
]


def parse(name_or_data: str | bytes) -> Message:
    data = name_or_data if isinstance(name_or_data, bytes) else (REPORTS / name_or_data).read_bytes()
    return parse_message(data, source="test.eml", limits=LIMITS)


@pytest.mark.parametrize(("name", "report", "flag"), KINDS)
def test_a_report_says_what_it_is_and_is_flagged_for_it(name: str, report: str, flag: str) -> None:
    message = parse(name)
    assert message.reports == [report]
    assert flag in automation_flags(message)


@pytest.mark.parametrize("name", [name for name, _, _ in KINDS])
def test_the_parts_of_a_report_are_not_attachments(name: str) -> None:
    message = parse(name)
    assert message.all_attachments() == []
    assert not any("attachment" in error for error in message.errors)


def test_a_bounce_keeps_the_mail_it_returns_as_a_forwarded_mail() -> None:
    message = parse("zed.eml")
    (returned,) = message.forwarded
    assert returned.subject == "test bounce" and returned.sender == Address("Foo B. Baz", "foo@example.com")
    assert "could not\nbe delivered" in message.body


def test_returned_headers_alone_are_part_of_the_report() -> None:
    report = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.fr>\r\n"
        b"To: sinistres@assureur.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nYour reply could not be delivered.\r\n"
        b"--b\r\nContent-Type: message/global-delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.fr\r\n\r\nFinal-Recipient: utf-8; jos\xc3\xa9@example.fr\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\n"
        b"--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        b"From: sinistres@assureur.example\r\nSubject: Votre sinistre SIN-2025-0042\r\n"
        b"--b--\r\n"
    )
    message = parse(report)
    assert (message.reports, message.all_attachments()) == (["delivery-status"], [])
    assert "bounce" in automation_flags(message)


def test_a_customer_forwarding_a_bounce_is_not_a_bounce() -> None:
    mail = message_from_bytes(make_mail("Bonjour, mon mail à l'expert n'est pas passé :"), policy=default)
    mail.add_attachment(message_from_bytes((REPORTS / "zed.eml").read_bytes(), policy=default))
    message = parse(bytes(mail))
    assert message.reports == [] and "bounce" not in automation_flags(message)
    assert message.forwarded[0].reports == ["delivery-status"]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    home = tmp_path_factory.mktemp("home")
    pipeline = Pipeline(load_settings(environ={"RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1"}))
    yield pipeline
    pipeline.close()


@pytest.mark.parametrize(("name", "flag"), [(name, flag) for name, _, flag in KINDS])
def test_a_report_gets_no_draft_and_no_attachment_error(pipeline: Pipeline, name: str, flag: str) -> None:
    result = pipeline.process(RawInput(name, (REPORTS / name).read_bytes(), "mail", name))
    assert flag in result.flags and result.draft is None
    assert "urgent" not in result.flags
    assert not any("unsupported document type" in error for error in result.errors)
