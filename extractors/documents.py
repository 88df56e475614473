"""Reading a message's attachments: which reader takes a document, and what becomes of it.

The readers are those of `extractors.readers.registry`, built with the OCR
engine the caller hands over (the pipeline's): their scanned pages share its
pool, and whoever made the engine closes it.

`DocumentReader.read(attachment)` never raises for a bad document. It sets:

- ``ok`` with pages; `error` then holds notes a reader wants seen, joined by
  "; ": "no text found", pages beyond `limits.max_pages` left out
  ("read the first 300 of 512 pages"), a page whose OCR failed;
- ``error`` when the document is broken (corrupt, encrypted, undecodable),
  with the reason;
- ``skipped`` for a type nobody reads ("unsupported document type: <type>").

Attachments that are not ``ok`` on arrival (skipped for size by the MIME
parser, for instance) are left as they are.

A document costs at most `limits.document_seconds` and `document_mb`: one over
them is an ``error`` saying so ("the docx document took longer than 60 s to read
(limits.document_seconds)"), and the other attachments are read as usual. Readers
that need no OCR read in a reader process (`extractors.readers.readerpool`),
killed at the time limit; those that keep the limits themselves are listed in
`registry.BOUNDED_IN_PROCESS` (see `extractors.readers.deadline`), and small text, HTML
and CSV documents are read here (`registry.SMALL_IN_PROCESS`), as mail bodies are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from extractors.ocr import OcrEngine
from extractors.readers.base import HEAD_SIZE, DocumentFormat, DocumentText
from extractors.readers.readerpool import read_in_worker
from extractors.readers.registry import (
    BOUNDED_IN_PROCESS,
    SMALL_DOCUMENT_BYTES,
    SMALL_IN_PROCESS,
    make_readers,
)
from rpa.config import Settings
from rpa.errors import ExtractionError
from rpa.models import Attachment, AttachmentStatus

__all__ = ["DocumentReader"]

log = logging.getLogger(__name__)

_MAX_DOCUMENTS_AT_ONCE = 8
_FAILURE_STATUS = {"error": AttachmentStatus.ERROR, "skipped": AttachmentStatus.SKIPPED}


class DocumentReader:
    """Fills `Attachment.pages` and `tables` and sets its status, for one or many attachments.

    `ocr` is the engine the readers use (the caller's, which it closes);
    `readers` picks registry entries by name (default: all).
    """

    def __init__(self, settings: Settings, ocr: OcrEngine, *, readers: Sequence[str] | None = None) -> None:
        self.readers = make_readers(settings, ocr, readers)
        self.limits = settings.limits

    def read(self, attachment: Attachment) -> None:
        """Read one attachment in place. Never raises for a bad document."""
        if attachment.status != AttachmentStatus.OK:
            return
        try:
            text = self._read(attachment)
        except ExtractionError as exc:
            status = _FAILURE_STATUS.get(exc.status, AttachmentStatus.ERROR)
            _record_failure(attachment, status, exc.reason)
            return
        except Exception as exc:  # the one-attachment boundary, see rpa/errors.py
            log.exception("unexpected error reading %s", attachment.filename)
            reason = f"unexpected error while reading: {type(exc).__name__}: {exc}"
            _record_failure(attachment, AttachmentStatus.ERROR, reason)
            return
        notes = list(text.notes)
        if not text.has_text:
            notes.insert(0, "no text found")
        attachment.pages = list(text.pages)
        attachment.tables = list(text.tables)
        attachment.status = AttachmentStatus.OK
        attachment.error = "; ".join(notes) or None

    def read_all(self, attachments: Iterable[Attachment]) -> None:
        """Read several attachments at once, so that their scanned pages share
        the OCR pool instead of waiting for each other."""
        todo = [item for item in attachments if item.status == AttachmentStatus.OK]
        if len(todo) <= 1:
            for attachment in todo:
                self.read(attachment)
            return
        # These threads mostly wait for OCR jobs on the engine's own pool.
        workers = min(len(todo), _MAX_DOCUMENTS_AT_ONCE)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="document") as pool:
            list(pool.map(self.read, todo))

    def _read(self, attachment: Attachment) -> DocumentText:
        data = attachment.data
        if not data:
            raise ExtractionError("empty document (0 bytes)")
        content_type = attachment.content_type.split(";", 1)[0].strip() or "application/octet-stream"
        head = data[:HEAD_SIZE]
        for reader in self.readers:
            if reader.can_read(content_type, attachment.filename, head):
                if not reader.is_available():
                    raise ExtractionError(
                        f"cannot read {reader.name} documents: the {reader.name} reader "
                        "is not available here (see `rpa doctor`)"
                    )
                return self._bounded(reader, attachment.filename, data)
        raise ExtractionError(f"unsupported document type: {content_type}", status="skipped")

    def _bounded(self, reader: DocumentFormat, filename: str, data: bytes) -> DocumentText:
        """`reader.read` within `document_seconds` and `document_mb` (see the module docstring)."""
        small = reader.name in SMALL_IN_PROCESS and len(data) <= SMALL_DOCUMENT_BYTES
        if small or reader.name in BOUNDED_IN_PROCESS:
            return reader.read(filename, data)
        label = f"{reader.name} document"
        limits = self.limits
        return read_in_worker(
            reader,
            filename,
            data,
            label,
            limits.document_seconds,
            limits.document_mb,
            limits.reader_idle_seconds,
        )


def _record_failure(attachment: Attachment, status: AttachmentStatus, reason: str) -> None:
    attachment.pages = []
    attachment.status = status
    attachment.error = reason
