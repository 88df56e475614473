"""Rules: which mails the daemon takes and what it does on the server afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import make_mail

from extractors.mime import parse_message
from rpa.config import DaemonSettings, LimitSettings, MailRule
from rpa.daemon.rules import actions_for
from rpa.errors import ConfigError

NOW = datetime(2025, 3, 20, tzinfo=UTC)


def message(**kwargs: object):
    return parse_message(
        make_mail("Bonjour, voici ma facture.", **kwargs), source="t", limits=LimitSettings()
    )


def test_without_rules_every_mail_gets_the_default_action() -> None:
    assert actions_for(DaemonSettings(), message(), "INBOX", None, NOW) == ["keyword:$rpa-processed"]


def test_matching_rules_add_their_actions_until_one_says_stop() -> None:
    daemon = DaemonSettings(
        rules=(
            MailRule(subject="sinistre", action="read"),
            MailRule(sender="example.fr", action="move", move_to="Claims", stop=True),
            MailRule(action="keyword"),
        )
    )
    assert actions_for(daemon, message(), "INBOX", None, NOW) == ["read", "move:Claims"]


def test_a_mail_no_rule_matches_is_not_taken() -> None:
    daemon = DaemonSettings(rules=(MailRule(subject="résiliation"),))
    assert actions_for(daemon, message(), "INBOX", None, NOW) is None


@pytest.mark.parametrize(
    ("rule", "taken"),
    [
        (MailRule(attachment="*.PDF"), True),
        (MailRule(attachment="*.png"), False),
        (MailRule(body="FACTURE"), True),
        (MailRule(recipient="sinistres@"), True),
        (MailRule(folder="Claims"), False),
        (MailRule(max_age_days=2), False),
        (MailRule(max_age_days=5), True),
    ],
)
def test_each_filter_is_checked(rule: MailRule, taken: bool) -> None:
    mail = message(attachments=[("facture.pdf", "application/pdf", b"%PDF-1.4")])
    received = NOW - timedelta(days=3)
    assert (actions_for(DaemonSettings(rules=(rule,)), mail, "INBOX", received, NOW) is not None) is taken


def test_a_move_without_a_folder_is_refused_before_any_mail_is_touched() -> None:
    with pytest.raises(ConfigError, match="move_to"):
        DaemonSettings(rules=(MailRule(action="move"),))
    with pytest.raises(ConfigError, match="action must be one of"):
        DaemonSettings(action="burn")
