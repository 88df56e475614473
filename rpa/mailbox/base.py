"""What the daemon and the outbox need from a mailbox, in our own words.

`Mailbox` is the seam: `rpa.mailbox.imap.ImapMailbox` implements it over
imapclient; the rest of rpa sees `FolderState` and `FetchedMail`, never
imapclient's `b"FLAGS"` dictionaries. Every method raises `MailboxError` when
the server refuses or the connection is lost, `AuthenticationFailed` when it
refuses our credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

__all__ = ["FetchedMail", "FolderState", "Mailbox"]


@dataclass(frozen=True)
class FolderState:
    name: str
    uidvalidity: int
    exists: int


@dataclass(frozen=True)
class FetchedMail:
    uid: int
    raw: bytes = field(repr=False)
    received_at: datetime | None  # the server's INTERNALDATE


@runtime_checkable
class Mailbox(Protocol):
    account: str  # e.g. "claims@insurer.example@imap.insurer.example": names records in the store

    def open_folder(self, folder: str) -> FolderState:
        """Select `folder` for the calls below (read-write)."""

    def uids(self, *, without_keyword: str | None = None) -> list[int]:
        """UIDs in the open folder, ascending; those lacking `without_keyword` when given."""

    def fetch(self, uids: Sequence[int]) -> list[FetchedMail]:
        """The whole mails, without marking them read."""

    def message_ids(self, uids: Sequence[int]) -> dict[int, str | None]:
        """The Message-ID of each mail (None when it has none), fetching that header only;
        a UID expunged meanwhile is absent."""

    def add_keyword(self, uids: Sequence[int], keyword: str) -> None: ...

    def mark_read(self, uids: Sequence[int]) -> None: ...

    def move(self, uids: Sequence[int], folder: str) -> None: ...

    def delete(self, uids: Sequence[int]) -> None:
        """Flag the mails deleted and expunge them (only them: UID EXPUNGE)."""

    def append(self, folder: str, raw: bytes, *, flags: Sequence[str] = ()) -> None:
        """Store a mail in `folder`, creating the folder when it does not exist."""

    def contains_message_id(self, folder: str, message_id: str) -> bool:
        """Whether a mail with this Message-ID is in `folder` (reselect your folder after)."""

    def wait_for_mail(self, timeout: float, should_stop: Callable[[], bool]) -> bool:
        """Block until the open folder may have new mail (True), `timeout` passes or
        `should_stop()` turns true (False). IDLE where the server has it, else a poll."""

    def close(self) -> None:
        """Log out; never raises."""
