"""Mail that must not be answered: auto-replies, bounces, lists, no-reply, ourselves."""

from __future__ import annotations

import pytest

from extractors.automation import automation_flags
from rpa.models import Address, Message


def message(subject: str = "Question", sender: str = "client@example.fr", **headers: str) -> Message:
    return Message(
        source="test",
        message_id=None,
        subject=subject,
        sender=Address("", sender),
        headers={name.replace("_", "-").lower(): value for name, value in headers.items()},
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Auto_Submitted": "auto-generated"},
        {"X_Autoreply": "yes"},
        {"X_Autorespond": "1"},
        {"X_Auto_Response_Suppress": "All"},
    ],
)
def test_auto_reply_headers_flag_auto_reply(headers: dict) -> None:
    assert "auto_reply" in automation_flags(message(**headers))


def test_auto_submitted_no_is_a_human_mail() -> None:
    assert automation_flags(message(Auto_Submitted="no")) == []


@pytest.mark.parametrize(
    "subject",
    [
        "Réponse automatique : Absent du bureau",
        "Absence du 3 au 14 mars",
        "Out of Office: back Monday",
        "Automatic reply: Claim 4481",
        "RE: Autoreply",
        "Message d'absence",
    ],
)
def test_out_of_office_subjects_flag_auto_reply(subject: str) -> None:
    assert "auto_reply" in automation_flags(message(subject))


@pytest.mark.parametrize("subject", ["Absence de réponse à mon sinistre", "Office water damage"])
def test_ordinary_subjects_are_not_auto_replies(subject: str) -> None:
    # "Absence de réponse" is a complaint, not an out-of-office.
    assert "auto_reply" not in automation_flags(message(subject))


def test_mailing_list_and_bulk_are_flagged() -> None:
    assert "mailing_list" in automation_flags(message(List_Id="<news.example.org>"))
    assert "mailing_list" in automation_flags(message(Precedence="list"))
    assert "bulk" in automation_flags(message(Precedence="bulk"))


@pytest.mark.parametrize(
    "sender", ["noreply@bank.example", "no-reply@x.fr", "do-not-reply@y.com", "ne-pas-repondre@z.fr"]
)
def test_no_reply_senders_are_flagged(sender: str) -> None:
    assert "no_reply_sender" in automation_flags(message(sender=sender))


def test_bounces_are_flagged() -> None:
    assert "bounce" in automation_flags(
        message("Undelivered Mail Returned to Sender", sender="MAILER-DAEMON@mx.example")
    )


def test_our_own_address_is_flagged() -> None:
    flags = automation_flags(
        message(sender="Sinistres@Assureur.example"), own_addresses=["sinistres@assureur.example"]
    )
    assert flags == ["own_address"]
