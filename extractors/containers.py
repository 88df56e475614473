"""What a mail holds besides its text: its attachments, and the files that hold more.

Every leaf part of a mail that is not its body goes through `MailContents.add_file`.
Most files are kept as attachments, in memory, within the size limits of
`LimitSettings` (`AttachmentBudget`: one budget for a mail and the mails forwarded
inside it). Two kinds of file are opened instead:

- a mail saved as a file and attached, an Outlook `.msg` or a `winmail.dat`
  (`extractors.mailfiles`), becomes a `Message` in `forwarded`: its sender is the
  customer (see `Message.customer`); its own files go through `add_file` in turn. It is
  opened in a reader process (`extractors.readers.readerpool`), within the time and
  memory a document may take (`document_seconds`, `document_mb`), as its parser reads
  what a stranger sent; the process then ends, as extract-msg and what it imports hold
  30 MB and mail files are few among documents (starting another takes 0.2 s). One that
  cannot be opened stays an attachment saying why.
- the files of a zip archive (`extractors.archives`) become the mail's own
  attachments, within the archive limits of `LimitSettings`; a Word or OpenDocument
  file, a zip too, stays one attachment, and an archive not opened stays one saying why.

`extractors.mime` reads the MIME parts of a mail and hands its files here.
"""

from __future__ import annotations

import hashlib

from extractors.archives import ArchivedFile, ZipArchive, is_zip
from extractors.mailfiles.base import MailFile, MailFileFormat, MailFileReading
from extractors.mailfiles.registry import mail_format_of
from extractors.mimeparts import clean_filename, document_type, extension_for
from extractors.quotes import MAX_FORWARD_DEPTH, fill_reply_parts
from extractors.readers.readerpool import read_in_worker
from rpa.config import LimitSettings
from rpa.errors import ExtractionError
from rpa.models import Attachment, AttachmentStatus, Message

__all__ = ["MAX_PARTS", "AttachmentBudget", "MailContents"]

MAX_PARTS = 1000  # per mail; more is a broken or hostile mail, not a customer's
_MB = 1024 * 1024


class AttachmentBudget:
    """The attachment bytes kept for one mail, the mails forwarded in it included."""

    def __init__(self, limits: LimitSettings) -> None:
        self.limits = limits
        self.used = 0

    def attachment(
        self, filename: str, content_type: str, data: bytes, *, inline: bool = False
    ) -> Attachment:
        size = len(data)
        reason = self.refusal(size)
        if reason:
            return Attachment(filename, content_type, size, AttachmentStatus.SKIPPED, reason, inline=inline)
        self.used += size
        return Attachment(filename, content_type, size, inline=inline, data=data)

    def refusal(self, size: int) -> str | None:
        """Why an attachment of `size` bytes is not kept, or None when it fits."""
        if size > self.limits.max_attachment_mb * _MB:
            return f"attachment is {size / _MB:.1f} MB, over the {self.limits.max_attachment_mb:g} MB limit"
        if self.used + size > self.limits.max_message_mb * _MB:
            return (
                f"attachment is {size / _MB:.1f} MB and the mail's attachments already take "
                f"{self.used / _MB:.1f} MB, over the {self.limits.max_message_mb:g} MB "
                "per-message limit"
            )
        return None


class MailContents:
    """What a mail holds besides its text: attachments and the mails forwarded in it, kept
    within the budget it shares with its parent, and the errors met reading them."""

    def __init__(self, source: str, budget: AttachmentBudget, depth: int) -> None:
        self.source, self.budget, self.depth = source, budget, depth
        self.errors: list[str] = []
        self.attachments: list[Attachment] = []
        self.forwarded: list[Message] = []
        self.unnamed = 0
        self.unzipped = 0  # files taken out of zip archives

    def add_file(
        self,
        name: str | None,
        content_type: str,
        data: bytes,
        *,
        inline: bool = False,
        archive_depth: int = 0,
    ) -> Attachment | None:
        """An attachment; a mail saved as a file (.msg, winmail.dat) is opened as a forwarded
        mail instead, and the files of a zip archive are added in its place (both None); one
        that is not opened is kept as an attachment saying why. `archive_depth`: how many
        zip archives the file came out of."""
        if not name:
            self.unnamed += 1
            name = f"attachment-{self.unnamed}{extension_for(content_type)}"
        mail_format = mail_format_of(content_type, name, data)
        if mail_format is not None:
            return self._open_mail_file(mail_format, name, content_type, data)
        if is_zip(content_type, name, data):
            return self._open_archive(name, content_type, data, inline=inline, depth=archive_depth)
        return self._keep(self.budget.attachment(name, content_type, data, inline=inline))

    def _keep(self, attachment: Attachment) -> Attachment:
        self.attachments.append(attachment)
        return attachment

    # -- mails saved as files --------------------------------------------------------------

    def _open_mail_file(
        self, mail_format: MailFileFormat, name: str, content_type: str, data: bytes
    ) -> Attachment | None:
        reason = self._why_left_closed(mail_format, len(data))
        if reason is not None:
            return self._keep(Attachment(name, content_type, len(data), AttachmentStatus.SKIPPED, reason))
        limits = self.budget.limits
        try:
            mail_file = read_in_worker(
                MailFileReading(mail_format),
                name,
                data,
                mail_format.label,
                limits.document_seconds,
                limits.document_mb,
                leave=True,
            )
        except ExtractionError as exc:
            return self._keep(Attachment(name, content_type, len(data), AttachmentStatus.ERROR, exc.reason))
        source = f"{self.source}/forwarded-{len(self.forwarded) + 1}"
        self.forwarded.append(_MailFileReader(mail_file, source, self.budget, self.depth + 1).message(data))
        return None

    def _why_left_closed(self, mail_format: MailFileFormat, size: int) -> str | None:
        label = mail_format.label
        if not mail_format.is_available():
            return f"the {label} was not opened: its package is not installed (see `rpa doctor`)"
        if self.depth >= MAX_FORWARD_DEPTH:
            return f"the {label} was not opened: it is nested more than {MAX_FORWARD_DEPTH} mails deep"
        return self.budget.refusal(size)

    # -- zip archives ----------------------------------------------------------------------

    def _open_archive(
        self, name: str, content_type: str, data: bytes, *, inline: bool, depth: int
    ) -> Attachment | None:
        """The files of a zip archive, added in its place (None); an Office document, a zip
        too, is kept like any file, and an archive not opened is kept saying why."""
        limits = self.budget.limits
        try:
            archive = ZipArchive(data, limits)
        except ExtractionError as exc:
            reason = f"the zip archive was not opened: {exc.reason}"
            return self._keep(Attachment(name, content_type, len(data), AttachmentStatus(exc.status), reason))
        if archive.is_office_document:
            return self._keep(self.budget.attachment(name, content_type, data, inline=inline))
        reason = self._why_archive_left_closed(archive, len(data), depth)
        if reason is not None:
            return self._keep(Attachment(name, content_type, len(data), AttachmentStatus.SKIPPED, reason))
        for file in archive.files:
            if self.unzipped >= limits.max_archive_files:
                self.errors.append(
                    f"the mail's zip archives hold more than {limits.max_archive_files} files; "
                    "the rest were not unzipped (limits.max_archive_files)"
                )
                break
            self.unzipped += 1
            self._add_archived(archive, file, depth)
        return None

    def _why_archive_left_closed(self, archive: ZipArchive, size: int, depth: int) -> str | None:
        limit = self.budget.limits.max_archive_depth
        if depth >= limit:
            where = f"it is inside {depth} other zip archive{'s' * (depth > 1)} and " if depth else ""
            return f"the zip archive was not opened: {where}limits.max_archive_depth is {limit}"
        refusal = archive.refusal()
        return f"the zip archive was not opened: {refusal}" if refusal else self.budget.refusal(size)

    def _add_archived(self, archive: ZipArchive, file: ArchivedFile, depth: int) -> None:
        """A file of an archive, unzipped and added like any attachment; one that is not
        (encrypted, a bomb, beyond the mail's attachment budget, damaged) is kept saying why."""
        try:
            if file.problem is None and (reason := self.budget.refusal(file.size)):
                raise ExtractionError(reason, status="skipped")
            data = archive.unzip(file)
        except ExtractionError as exc:
            status = AttachmentStatus(exc.status)
            self._keep(Attachment(file.name, document_type(file.name, b""), file.size, status, exc.reason))
            return
        self.add_file(file.name, document_type(file.name, data), data, archive_depth=depth + 1)


class _MailFileReader(MailContents):
    """Reads the mail in a .msg or winmail.dat; its files go through `add_file` in turn."""

    def __init__(self, mail_file: MailFile, source: str, budget: AttachmentBudget, depth: int) -> None:
        super().__init__(source, budget, depth)
        self.mail_file = mail_file

    def message(self, data: bytes) -> Message:
        mail = self.mail_file
        if len(mail.files) > MAX_PARTS:
            self.errors.append(f"the mail holds more than {MAX_PARTS} attachments; the rest were not read")
        for file in mail.files[:MAX_PARTS]:
            name = clean_filename(file.name)
            content_type = file.content_type or document_type(name or "", file.data)
            self.add_file(name, content_type, file.data, inline=file.inline)
        message = Message(
            source=self.source,
            message_id=mail.message_id,
            subject=mail.subject,
            sender=mail.sender,
            to=mail.to,
            cc=mail.cc,
            date=mail.date,
            body=mail.body,
            html_only=mail.html_only,
            attachments=self.attachments,
            forwarded=self.forwarded,
            errors=[*mail.notes, *self.errors],
            content_hash=hashlib.sha256(data).hexdigest(),
            raw=data,
        )
        fill_reply_parts(message, depth=self.depth)
        return message
