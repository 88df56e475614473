"""What the daemon does on the server once a mail is safely stored: one small class per action.

`[daemon] action` (and each rule's) names one of `ACTIONS`: keyword, read, move, delete or
none. An action is stored with the mail's record, as text (`MailAction.stored`, for example
``keyword:$rpa-processed`` or ``move:Claims``), until it has run; `stored_action` reads it
back. Actions of many mails run together, one server command per action: flags first,
then moves and deletions, which take the mail away (a moved mail gets a new UID).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from rpa.config import DaemonSettings
from rpa.errors import StoreError
from rpa.mailbox import Mailbox

__all__ = ["ACTIONS", "MailAction", "action_named", "run_stored_actions", "stored_action"]


class MailAction(Protocol):
    name: ClassVar[str]
    takes_mail_away: ClassVar[bool]  # the mail leaves the folder: run after the others

    @property
    def stored(self) -> str:
        """The action as kept in the store until it has run."""
        ...

    def run(self, mailbox: Mailbox, uids: Sequence[int]) -> None: ...


@dataclass(frozen=True)
class AddKeyword:
    keyword: str
    name: ClassVar[str] = "keyword"
    takes_mail_away: ClassVar[bool] = False

    @property
    def stored(self) -> str:
        return f"{self.name}:{self.keyword}"

    def run(self, mailbox: Mailbox, uids: Sequence[int]) -> None:
        mailbox.add_keyword(uids, self.keyword)


@dataclass(frozen=True)
class MarkRead:
    name: ClassVar[str] = "read"
    takes_mail_away: ClassVar[bool] = False

    @property
    def stored(self) -> str:
        return self.name

    def run(self, mailbox: Mailbox, uids: Sequence[int]) -> None:
        mailbox.mark_read(uids)


@dataclass(frozen=True)
class MoveTo:
    folder: str
    name: ClassVar[str] = "move"
    takes_mail_away: ClassVar[bool] = True

    @property
    def stored(self) -> str:
        return f"{self.name}:{self.folder}"

    def run(self, mailbox: Mailbox, uids: Sequence[int]) -> None:
        mailbox.move(uids, self.folder)


@dataclass(frozen=True)
class Delete:
    name: ClassVar[str] = "delete"
    takes_mail_away: ClassVar[bool] = True

    @property
    def stored(self) -> str:
        return self.name

    def run(self, mailbox: Mailbox, uids: Sequence[int]) -> None:
        mailbox.delete(uids)


# name -> the action, from the daemon's settings and the rule's folder (None: leave the mail as it is)
ACTIONS = {
    AddKeyword.name: lambda daemon, move_to: AddKeyword(daemon.keyword),
    MarkRead.name: lambda daemon, move_to: MarkRead(),
    MoveTo.name: lambda daemon, move_to: MoveTo(move_to),
    Delete.name: lambda daemon, move_to: Delete(),
    "none": lambda daemon, move_to: None,
}

_STORED = {
    AddKeyword.name: AddKeyword,
    MarkRead.name: lambda _argument: MarkRead(),
    MoveTo.name: MoveTo,
    Delete.name: lambda _argument: Delete(),
}


def action_named(name: str, move_to: str, daemon: DaemonSettings) -> MailAction | None:
    """The action `name` of the settings (checked when they load)."""
    return ACTIONS[name](daemon, move_to)


def stored_action(text: str) -> MailAction:
    """The action kept in the store as `text`."""
    name, _, argument = text.partition(":")
    if name not in _STORED:
        raise StoreError(f"unknown action in the store: {text!r}")
    return _STORED[name](argument)


def run_stored_actions(mailbox: Mailbox, pending: Sequence[tuple[int, Sequence[str]]]) -> None:
    """Run the stored actions of each (uid, actions): one server command per action, the
    ones that take mail away last."""
    by_action: dict[str, list[int]] = {}
    for uid, actions in pending:
        for text in actions:
            by_action.setdefault(text, []).append(uid)
    actions = sorted(((stored_action(text), uids) for text, uids in by_action.items()), key=_away_last)
    for action, uids in actions:
        action.run(mailbox, sorted(set(uids)))


def _away_last(entry: tuple[MailAction, list[int]]) -> bool:
    return entry[0].takes_mail_away
