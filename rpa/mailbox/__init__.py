"""Mailboxes: the `Mailbox` seam, and its IMAP implementation (imapclient)."""

from rpa.mailbox.base import FetchedMail, FolderState, Mailbox
from rpa.mailbox.imap import ImapMailbox, account_name
from rpa.mailbox.tokens import TokenSource, xoauth2_string

__all__ = [
    "FetchedMail",
    "FolderState",
    "ImapMailbox",
    "Mailbox",
    "TokenSource",
    "account_name",
    "xoauth2_string",
]
