"""Which mails the daemon takes, and what it does on the server once one is stored.

Rules are read in order. A mail matches a rule when every filter the rule sets
matches (text filters are case-insensitive substrings; `attachment` is a glob on
attachment names). Each matching rule adds its action; a matching rule with
`stop` ends the walk. Without rules every mail is taken with `[daemon] action`;
with rules, a mail no rule matches is left alone.

Each action is one of `rpa.daemon.actions`, stored with the mail's record until it has run. The
actions named in the settings are checked when they load (`rpa.config.mail`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from rpa.config import DaemonSettings, MailRule
from rpa.daemon.actions import action_named
from rpa.models import Message

__all__ = ["actions_for"]


def actions_for(
    daemon: DaemonSettings, message: Message, folder: str, received_at: datetime | None, now: datetime
) -> list[str] | None:
    """The actions to run after `message` is stored, or None when it is not to be taken."""
    if not daemon.rules:
        return _action(daemon.action, daemon.move_to, daemon)
    actions: list[str] = []
    matched = False
    for rule in daemon.rules:
        if not _matches(rule, message, folder, received_at or message.date, now):
            continue
        matched = True
        actions += _action(rule.action or daemon.action, rule.move_to or daemon.move_to, daemon)
        if rule.stop:
            break
    return list(dict.fromkeys(actions)) if matched else None


def _action(action: str, move_to: str, daemon: DaemonSettings) -> list[str]:
    chosen = action_named(action, move_to, daemon)
    return [] if chosen is None else [chosen.stored]


def _matches(rule: MailRule, message: Message, folder: str, received: datetime | None, now: datetime) -> bool:
    people = ", ".join(str(address) for address in [*message.to, *message.cc])
    texts = [
        (rule.sender, str(message.sender or "")),
        (rule.recipient, people),
        (rule.subject, message.subject),
        (rule.body, message.body),
    ]
    if any(wanted and wanted.lower() not in text.lower() for wanted, text in texts):
        return False
    if rule.folder and rule.folder != folder:
        return False
    if rule.attachment and not _any_name_matches(rule.attachment, [a.filename for a in message.attachments]):
        return False
    if rule.max_age_days and received is not None:
        received = received if received.tzinfo else received.replace(tzinfo=UTC)
        return now - received <= timedelta(days=rule.max_age_days)
    return True


def _any_name_matches(pattern: str, names: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(name.lower(), pattern.lower()) for name in names)
