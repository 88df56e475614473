"""A mail's HTML as its sender wrote it, and the pictures it shows by `cid:`, for display.

Extraction reads the HTML as text (`extractors.html`); showing the mail as it
looked needs the HTML itself and the inline parts its `<img src="cid:...">`
name. Nothing here makes the HTML safe: the web workspace sanitises it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from extractors.charsets import decode_text
from extractors.mimeparts import HEADER_ERRORS, content_charset, part_bytes

__all__ = ["MailHtml", "mail_html"]

_MAX_INLINE_BYTES = 2_000_000  # a picture larger than this is not inlined
_MAX_PARTS = 500


@dataclass(frozen=True)
class MailHtml:
    html: str | None  # None: the mail has no HTML part
    images: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # content id -> (type, bytes)


def mail_html(raw: bytes) -> MailHtml:
    """The first text/html part of the mail (not of forwarded mails) and its inline pictures."""
    try:
        mail = message_from_bytes(raw, policy=policy.default)
    except HEADER_ERRORS:
        return MailHtml(None)
    html: str | None = None
    images: dict[str, tuple[str, bytes]] = {}
    for count, part in enumerate(_parts(mail)):
        if count >= _MAX_PARTS:
            break
        content_type = part.get_content_type()
        if content_type == "text/html" and html is None and not _is_attachment(part):
            html, _problem = decode_text(part_bytes(part), content_charset(part))
        elif content_type.startswith("image/") and part.get("Content-ID"):
            data = part_bytes(part)
            if len(data) <= _MAX_INLINE_BYTES:
                images[str(part.get("Content-ID")).strip().strip("<>")] = (content_type, data)
    return MailHtml(html, images)


def _parts(mail: EmailMessage):  # noqa: ANN202 - an iterator of parts, forwarded mails left out
    stack = [mail]
    while stack:
        part = stack.pop(0)
        if part.get_content_type() in ("message/rfc822", "message/global"):
            continue
        if part.is_multipart():
            stack = list(part.iter_parts()) + stack
        else:
            yield part


def _is_attachment(part: EmailMessage) -> bool:
    try:
        return part.get_content_disposition() == "attachment"
    except HEADER_ERRORS:
        return False
