"""Outlook `.msg` files, read with extract-msg.

A `.msg` is an OLE2 compound file: it starts with D0 CF 11 E0 A1 B1 1A E1, like a
Word 97 `.doc` or an Excel `.xls`. What makes it a mail is its streams, named
`__substg1.0_<property>` (in UTF-16, as OLE names everything): that is what tells
the two apart, not the signature. A mail attached to it (an embedded message) is
handed on as a `.msg` file of its own.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from email.utils import getaddresses
from typing import Any

from extractors.mailfiles.base import (
    FileInMail,
    MailFile,
    PackagedFormat,
    as_utc,
    html_text,
    readable_body,
    unreadable,
)
from rpa.errors import ExtractionError
from rpa.models import Address

__all__ = ["OLE_SIGNATURE", "OutlookMsg"]

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_MSG_STREAM = "__substg1.0_".encode("utf-16-le")
_TYPES = frozenset({"application/vnd.ms-outlook", "application/x-msg"})
# When a mail has no send date, when it was received, else when the .msg was made.
_OTHER_DATES = ("0E060040", "30070040")
_TO, _CC = 1, 2  # extract-msg's RecipientType values


class OutlookMsg(PackagedFormat):
    name = "outlook-msg"
    label = "Outlook .msg file"
    package = "extract-msg"
    module = "extract_msg"

    def can_read(self, content_type: str, filename: str, data: bytes) -> bool:
        if data.startswith(OLE_SIGNATURE) and _MSG_STREAM in data:
            return True
        return content_type in _TYPES or filename.lower().endswith(".msg")

    def _read(self, data: bytes) -> MailFile:
        msg = _open(data)
        try:
            return _mail(msg)
        finally:
            msg.close()


def _open(data: bytes) -> Any:
    import extract_msg
    from extract_msg.enums import ErrorBehavior
    from extract_msg.exceptions import (
        InvalidFileFormatError,
        UnrecognizedMSGTypeError,
        UnsupportedMSGTypeError,
    )
    from olefile.olefile import OleFileError

    if not data.startswith(OLE_SIGNATURE):
        raise ExtractionError("it is not an Outlook file (it does not start with the OLE2 signature)")
    # Read what can be read: a broken attachment or RTF body is noted, not fatal.
    tolerant = ErrorBehavior.ATTACH_SUPPRESS_ALL | ErrorBehavior.RTFDE | ErrorBehavior.STANDARDS_VIOLATION
    try:
        # A file object, not bytes: olefile takes short bytes for a path to open.
        return extract_msg.openMsg(io.BytesIO(data), delayAttachments=True, errorBehavior=tolerant)
    except InvalidFileFormatError as exc:
        raise ExtractionError("it is an Office document, not an Outlook message") from exc
    except (UnsupportedMSGTypeError, UnrecognizedMSGTypeError) as exc:
        raise ExtractionError(f"it holds an Outlook item rpa does not read ({exc})") from exc
    except OleFileError as exc:
        raise ExtractionError(f"it is cut short or damaged ({exc})") from exc


def _mail(msg: Any) -> MailFile:
    if str(msg.classType or "").lower().endswith(".smime"):  # ".SMIME.MultipartSigned" is only signed
        raise ExtractionError("it is encrypted (S/MIME): its text cannot be read without the recipient's key")
    notes: list[str] = []
    text = getattr(msg, "body", None)
    html = None if text else html_text(getattr(msg, "htmlBody", None))
    rtf = None if text or html else getattr(msg, "rtfBody", None)
    body, html_only = readable_body(text, html, rtf)
    recipients = getattr(msg, "recipients", [])
    return MailFile(
        subject=" ".join((getattr(msg, "subject", None) or "").split()),
        sender=next(_addresses(getattr(msg, "sender", None)), None),
        to=[address for r in recipients if r.type == _TO and (address := _recipient(r))],
        cc=[address for r in recipients if r.type == _CC and (address := _recipient(r))],
        date=as_utc(getattr(msg, "date", None))
        or next(filter(None, (as_utc(msg.getPropertyVal(key)) for key in _OTHER_DATES)), None),
        message_id=(getattr(msg, "messageId", None) or "").strip() or None,
        body=body,
        html_only=html_only,
        files=_files(msg, notes),
        notes=notes,
    )


def _files(msg: Any, notes: list[str]) -> list[FileInMail]:
    files = []
    for number, attachment in enumerate(msg.attachments, start=1):
        name = attachment.longFilename or attachment.shortFilename or attachment.displayName or ""
        try:
            files.append(_file(attachment, name))
        except Exception as exc:  # noqa: BLE001 - one attachment inside; the rest of the mail is read
            notes.append(unreadable(f"attachment {name or number}", exc).reason)
    return files


def _file(attachment: Any, name: str) -> FileInMail:
    from extract_msg.enums import AttachmentType

    if attachment.type == AttachmentType.MSG:  # a mail: Outlook names it by its subject
        embedded = attachment.data
        name = name or embedded.subject or "message"
        name = name if name.lower().endswith(".msg") else f"{name}.msg"
        return FileInMail(name, embedded.exportBytes(), "application/vnd.ms-outlook")
    if isinstance(attachment.data, bytes):
        content_type = (attachment.mimetype or "").lower()
        shown = bool(attachment.contentId) and content_type.startswith("image/")
        return FileInMail(name, attachment.data, content_type, inline=shown)
    if attachment.type == AttachmentType.WEB:
        raise ExtractionError("it is a link to a file elsewhere, not in the mail")
    if attachment.type == AttachmentType.BROKEN:
        raise ExtractionError("it is damaged or its data is missing")
    raise ExtractionError(f"it is of a kind rpa does not read ({attachment.type.name.lower()})")


def _recipient(recipient: Any) -> Address | None:
    email = (recipient.smtpAddress or recipient.email or "").strip()
    name = " ".join((recipient.name or "").split())
    return Address("" if name == email else name, email) if "@" in email else None


def _addresses(text: str | None) -> Iterator[Address]:
    """The addresses in a header-like string ("Name <a@b>, c@d"), those with an e-mail."""
    for name, email in getaddresses([text or ""]):
        if "@" in email:
            yield Address(" ".join(name.split()), email)
