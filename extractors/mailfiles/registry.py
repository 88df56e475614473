"""The mail-file formats rpa opens, by name: where a new one is added.

They are tried in this order and the first whose `can_read` says yes opens the file.
"""

from __future__ import annotations

from extractors.mailfiles.base import MailFileFormat
from extractors.mailfiles.outlook import OutlookMsg
from extractors.mailfiles.tnef import WinmailDat

__all__ = ["MAIL_FORMATS", "mail_format_of"]

MAIL_FORMATS: dict[str, MailFileFormat] = {
    OutlookMsg.name: OutlookMsg(),
    WinmailDat.name: WinmailDat(),
}


def mail_format_of(content_type: str, filename: str, data: bytes) -> MailFileFormat | None:
    """The format of a file that holds a mail, or None for any other file."""
    return next((form for form in MAIL_FORMATS.values() if form.can_read(content_type, filename, data)), None)
