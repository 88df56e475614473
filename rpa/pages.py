"""The pages of a stored message's documents, as pictures to show beside its fields.

A field read in an attachment carries its page and its box on that page
(`Field.page`, `Field.box`, 0-1 of the page shown upright). The workspace shows
the page with the box drawn over it; this gives that page as a PNG, drawn by
`extractors.render` in the same frame the boxes were measured in.

The store keeps each message's raw bytes, not its attachments: the message is
parsed again (`original_message`) as the mail or the document it came as, so
that its attachments hold their bytes, in the order the store numbers them
(`attachments.position`). A rendered page is kept under
``$RPA_HOME/cache/pages/<content hash>/``: the hash names the raw bytes, so a
cached page never goes stale, and reprocessing a message does not redraw it.
Widths are rounded to one of `PAGE_WIDTHS`, so that a few files serve every
screen.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePosixPath

import sqlalchemy as sa

from extractors.mime import parse_message
from extractors.render import page_count, render_page
from extractors.standalone import message_from_file
from rpa.config import Settings
from rpa.errors import ExtractionError, NotFound
from rpa.models import Message
from rpa.store import Store

__all__ = ["PAGE_WIDTHS", "original_message", "page_image", "page_width"]

PAGE_WIDTHS = (800, 1200, 1800)  # pixels
_SHA256 = re.compile(r"[0-9a-f]{64}")


def original_message(store: Store, settings: Settings, message_pk: int) -> Message:
    """Stored message `message_pk` parsed again from its raw bytes, attachments with
    their bytes. Raises `NotFound` for an unknown message or one stored without them."""
    kind, source, _ = _stored(store, message_pk)
    raw = store.raw_message(message_pk)
    if kind == "document":
        filename = PurePosixPath(source.replace("\\", "/")).name or "document"
        return message_from_file(source, filename, raw, limits=settings.limits)
    return parse_message(raw, source=source, limits=settings.limits)


def page_width(width: int) -> int:
    """The width of `PAGE_WIDTHS` nearest to `width` (the larger one on a tie)."""
    return min(PAGE_WIDTHS, key=lambda allowed: (abs(allowed - width), -allowed))


def page_image(
    store: Store, settings: Settings, message_pk: int, position: int, page: int, width: int
) -> Path:
    """The PNG file of page `page` (1-based) of attachment `position` (0-based, as
    stored) of a message, `page_width(width)` pixels wide, drawn once and cached.

    Raises `NotFound` for an unknown message, attachment or page, and
    `ExtractionError` for a document that cannot be drawn (not a PDF or picture,
    damaged, or not kept because it was over the size limits).
    """
    _, _, content_hash = _stored(store, message_pk)
    if not _SHA256.fullmatch(content_hash):  # stored by hand or by an older rpa: hash the bytes
        content_hash = hashlib.sha256(store.raw_message(message_pk)).hexdigest()
    width = page_width(width)
    folder = settings.home / "cache" / "pages" / content_hash
    path = folder / f"{position}-{page}-{width}.png"
    if path.is_file():
        return path
    data = _attachment_bytes(original_message(store, settings, message_pk), message_pk, position)
    if not 1 <= page <= page_count(data):
        raise NotFound(f"attachment {position} of message {message_pk} has no page {page}")
    _write_atomically(path, render_page(data, page, width))
    return path


def _stored(store: Store, message_pk: int) -> tuple[str, str, str]:
    """What a stored message came as ("mail" or "document"), its source and content hash."""
    messages = store.t["messages"]
    query = sa.select(messages.c.kind, messages.c.source, messages.c.content_hash).where(
        messages.c.id == message_pk
    )
    with store.reading() as connection:
        row = connection.execute(query).first()
    if row is None:
        raise NotFound(f"no message with id {message_pk}")
    return row.kind or "mail", row.source or "", row.content_hash or ""


def _attachment_bytes(message: Message, message_pk: int, position: int) -> bytes:
    attachments = message.all_attachments()
    if not 0 <= position < len(attachments):
        raise NotFound(f"message {message_pk} has no attachment {position}")
    attachment = attachments[position]
    if not attachment.data:
        reason = attachment.error or "its bytes were not kept"
        raise ExtractionError(f"cannot draw this attachment: {reason}", filename=attachment.filename)
    return attachment.data


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it: a reader sees the whole
    picture or none, and two requests drawing the same page both succeed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
