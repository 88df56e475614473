"""Helpers for one MIME part or header of a mail: its bytes, charset, file name,
encoded words, and what a document's bytes are.

The standard library's parser does the parsing; these read what it leaves, and never
raise on a malformed header: they fall back and, where something is lost, say so in
the `errors` list they are given.
"""

from __future__ import annotations

import mimetypes
import re
from email import errors as email_errors
from email import policy
from email.header import decode_header
from email.message import EmailMessage

from extractors.charsets import decode_text

__all__ = [
    "FORWARD_TYPES",
    "HEADER_ERRORS",
    "REPORT_TYPES",
    "RETURNED_HEADER_TYPES",
    "chosen_alternative",
    "clean_filename",
    "content_charset",
    "decode_words",
    "document_type",
    "extension_for",
    "filename_of",
    "message_id",
    "part_bytes",
    "references",
    "rescue_8bit",
]

# What the standard library raises on header syntax it cannot make sense of
# (OverflowError: a date whose seconds or year do not fit, "14:09:1115579351471").
HEADER_ERRORS = (
    email_errors.MessageError,
    ValueError,
    LookupError,
    IndexError,
    TypeError,
    AttributeError,
    OverflowError,
)
FORWARD_TYPES = ("message/rfc822", "message/global")
# The machine-readable part of a report (RFC 6522 multipart/report), by what it reports.
REPORT_TYPES = {
    "message/delivery-status": "delivery-status",  # a bounce, or a delay (RFC 3464)
    "message/global-delivery-status": "delivery-status",  # the same, internationalised (RFC 6533)
    "message/disposition-notification": "disposition-notification",  # a read receipt (RFC 8098)
    "message/global-disposition-notification": "disposition-notification",
    "message/feedback-report": "feedback-report",  # a complaint: "this is spam" (ARF, RFC 5965)
}
# The headers of the mail a report is about, sent back without its body.
RETURNED_HEADER_TYPES = ("text/rfc822-headers", "message/global-headers")


def rescue_8bit(raw: str, where: str, errors: list[str]) -> str:
    """Header text with raw 8-bit bytes (kept by the parser as surrogates) decoded."""
    if not re.search("[\udc80-\udcff]", raw):
        return raw
    text, problem = decode_text(raw.encode("ascii", errors="surrogateescape"), None)
    if problem:
        errors.append(f"{where}: {problem}")
    return text


def decode_words(raw: str) -> str:
    """RFC 2047 encoded words decoded one by one, each with its own fallback."""
    try:
        chunks = decode_header(raw)
    except HEADER_ERRORS:
        return raw
    return "".join(
        chunk if isinstance(chunk, str) else decode_text(chunk, charset)[0] for chunk, charset in chunks
    )


def part_bytes(part: EmailMessage) -> bytes:
    """A leaf's decoded bytes; for a message/* part, the mail or header blocks it holds,
    written back by compat32, which keeps headers as they came."""
    if not part.is_multipart():
        payload = part.get_payload(decode=True)
        return payload if isinstance(payload, bytes) else b""
    try:
        return b"\n".join(child.as_bytes(policy=policy.compat32) for child in part.get_payload())
    except (*HEADER_ERRORS, UnicodeError):
        return b""  # the caller says what is missing


def content_charset(part: EmailMessage) -> str | None:
    charset = part.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 form: (charset, language, value)
        charset = charset[2]
    return (str(charset).strip() or None) if charset else None


def filename_of(part: EmailMessage, errors: list[str]) -> str | None:
    """The part's file name (RFC 2231 or RFC 2047 encoded), without any folder in it."""
    try:
        name = part.get_filename()
    except HEADER_ERRORS:
        return None
    if not name:
        return None
    name = rescue_8bit(name, "an attachment name", errors)
    if "=?" in name:
        name = decode_words(name)
    return clean_filename(name)


def clean_filename(name: str) -> str | None:
    """A file name without any folder or control character in it; None when nothing is left."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name or None


def extension_for(content_type: str) -> str:
    if content_type in FORWARD_TYPES:
        return ".eml"
    return mimetypes.guess_extension(content_type, strict=False) or ".bin"


def chosen_alternative(children: list[EmailMessage]) -> EmailMessage | None:
    """text/plain when it has text, else the richest alternative (they come poorest first)."""
    for child in children:
        if child.get_content_type() == "text/plain" and (part_bytes(child) or b"").strip():
            return child
    rich = [
        child
        for child in children
        if child.get_content_type() == "text/html" or child.get_content_maintype() == "multipart"
    ]
    return rich[-1] if rich else (children[0] if children else None)


def message_id(value: str | None) -> str | None:
    return (" ".join(value.split()) or None) if value else None


def references(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value) or value.split()


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def document_type(filename: str, data: bytes) -> str:
    """What the bytes are (their magic number wins over the file name), or what the name says."""
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return mimetypes.guess_type(filename, strict=False)[0] or "application/octet-stream"
