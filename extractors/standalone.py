"""A file given on its own (`rpa process scan.pdf dossier.zip`) as a message.

A document becomes a message with no sender whose attachment it is. It is handed to
the same path as the files of a mail (`extractors.containers.MailContents.add_file`),
so what holds other files is opened as it would be in a mail: the files of a zip
archive become the message's attachments, within the same `[limits]` (files, size
unzipped, compression ratio, nesting) and with the same notes on a file that is
encrypted, a zip bomb, or nested too deep; a damaged zip stays one attachment whose
error says why. A Word or OpenDocument file, a zip too, stays one document.

The message is identified by its bytes (`content_hash`), and `rpa.pages` parses
it again from them, so its attachments come in the same order each time.
"""

from __future__ import annotations

import hashlib

from extractors.containers import AttachmentBudget, MailContents
from extractors.mimeparts import document_type
from rpa.config import LimitSettings
from rpa.models import Message

__all__ = ["message_from_file"]


def message_from_file(source: str, filename: str, data: bytes, *, limits: LimitSettings) -> Message:
    """The document (a PDF, a scan, a zip of them...) as a message with no sender."""
    contents = MailContents(source, AttachmentBudget(limits), depth=0)
    contents.add_file(filename, document_type(filename, data), data)
    return Message(
        source=source,
        message_id=None,
        subject=filename,
        sender=None,
        attachments=contents.attachments,
        forwarded=contents.forwarded,
        errors=contents.errors,
        content_hash=hashlib.sha256(data).hexdigest(),
        raw=data,
        kind="document",
    )
