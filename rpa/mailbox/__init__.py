"""Mailboxes: the `Mailbox` seam, and its IMAP implementation (imapclient)."""

from rpa.mailbox.base import FetchedMail, FolderState, Mailbox
from rpa.mailbox.imap import ImapMailbox, account_name
from rpa.mailbox.tls import certificate_refused, tls_context
from rpa.mailbox.tokens import TokenSource, xoauth2_string

__all__ = [
    "FetchedMail",
    "FolderState",
    "ImapMailbox",
    "Mailbox",
    "TokenSource",
    "account_name",
    "certificate_refused",
    "tls_context",
    "xoauth2_string",
]
