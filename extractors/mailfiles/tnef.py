"""TNEF (`winmail.dat`, application/ms-tnef), read with tnefparse.

Outlook and Exchange send the rich form of a mail as a TNEF stream beside, or instead
of, its MIME parts: the subject, sender, date and body (plain, HTML or compressed RTF,
depending on the client) as MAPI properties, and the attachments, which the customer
sees as the mail's own. A mail attached to it is a TNEF stream of its own, handed on
as a file. A stream starts with the signature 0x223E9F78, little-endian.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from extractors.charsets import decode_text
from extractors.mailfiles.base import (
    FileInMail,
    MailFile,
    PackagedFormat,
    as_utc,
    html_text,
    readable_body,
)
from rpa.errors import ExtractionError
from rpa.models import Address

__all__ = ["SIGNATURE", "WinmailDat"]

SIGNATURE = (0x223E9F78).to_bytes(4, "little")
_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_NAMES = frozenset({"winmail.dat", "win.dat"})
_HEADER = 6  # signature and key
_OBJECT_HEADER = 9  # level (1), name (2), type (2), length (4); a 2-byte checksum follows the data
# tnefparse copies the rest of the stream for each object it reads: a stream of many tiny
# objects costs (objects x size) bytes copied, minutes for a few hostile megabytes. A real
# mail with a hundred attachments in 20 MB stays far below this (about 3 s of copying).
_MAX_BYTES_COPIED = 16 * 1024**3

# MAPI property ids (MS-OXPROPS) and TNEF attribute ids (MS-OXTNEF) read here.
_SUBJECT, _SUBMIT_TIME, _MESSAGE_ID = 0x0037, 0x0039, 0x1035
_SENDER_NAMES = (0x0C1A, 0x0042)  # sender, sent-representing
_SENDER_ADDRESSES = (0x5D01, 0x5D02, 0x0C1F, 0x0065)  # SMTP first, then the plain e-mail address
_RECIPIENT_TYPE, _DISPLAY_NAME, _EMAIL_ADDRESS, _SMTP_ADDRESS = 0x0C15, 0x3001, 0x3003, 0x39FE
_LONG_FILENAME, _ATTACH_MIME_TAG, _ATTACH_CONTENT_ID = 0x3707, 0x370E, 0x3712
_ATT_FROM, _ATT_SUBJECT, _ATT_DATE_SENT, _ATT_RECIPIENTS = 0x8000, 0x8004, 0x8005, 0x9004
_TO, _CC = 1, 2


class WinmailDat(PackagedFormat):
    name = "tnef"
    label = "winmail.dat (TNEF) file"
    package = "tnefparse"
    module = "tnefparse"

    def can_read(self, content_type: str, filename: str, data: bytes) -> bool:
        name = filename.lower()
        declared = content_type in _TYPES or name in _NAMES or name.endswith(".tnef")
        return declared or data.startswith(SIGNATURE)

    def _read(self, data: bytes) -> MailFile:
        _check_framing(data)
        from tnefparse import TNEF

        return _mail(TNEF(data, do_checksum=False))


def _check_framing(data: bytes) -> None:
    """Raise `ExtractionError` unless `data` is a whole TNEF stream that tnefparse reads in
    reasonable time. It reads a cut stream without a word, handing back its last
    attachment cut short as if it were whole."""
    if not data.startswith(SIGNATURE):
        raise ExtractionError("it does not start with the TNEF signature")
    offset, copied = _HEADER, 0
    while offset + _OBJECT_HEADER <= len(data):
        (length,) = struct.unpack_from("<I", data, offset + 5)
        end = offset + _OBJECT_HEADER + length  # a missing final checksum loses nothing
        if end > len(data):
            raise ExtractionError(f"it is cut short ({len(data)} bytes where its contents announce {end})")
        copied += len(data) - offset
        if copied > _MAX_BYTES_COPIED:
            raise ExtractionError("it is made of too many parts for its size: reading it would take too long")
        (name,) = struct.unpack_from("<H", data, offset + 1)
        body = data[offset + _OBJECT_HEADER : end]
        if name in _MAPI_OBJECTS:
            _check_properties(body, 0)
        elif name == _ATT_RECIPIENT_TABLE:
            rows, at = _count(body, 0), 4
            for _ in range(rows):
                at = _check_properties(body, at)
        offset = end + 2


# MAPI property lists (MS-OXTNEF 2.1.3.5): tnefparse loops as many times as a list says it
# holds, past the end of its data: a 2 KB file announcing four billion properties never ends.
# Every count is checked against the bytes that could hold it before tnefparse reads them.
_MAPI_OBJECTS = (0x9003, 0x9005)  # attMAPIProps, attAttachment
_ATT_RECIPIENT_TABLE = 0x9004
_MULTI_VALUED, _NAMED = 0x1000, 0x8000
_FIXED_SIZES = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8}
_FIXED_SIZES |= {0x0014: 8, 0x0040: 8, 0x0048: 16}
_VARIABLE_TYPES = frozenset({0x0000, 0x000D, 0x001E, 0x001F, 0x0102})


def _count(data: bytes, at: int) -> int:
    """The count at `at`, if the bytes after it could hold that many items (2 bytes at least)."""
    if at + 4 > len(data):
        return 0  # tnefparse stops there
    (count,) = struct.unpack_from("<I", data, at)
    if count > (len(data) - at) // 2:
        raise ExtractionError(f"it announces {count:,} MAPI values in {len(data) - at:,} bytes: damaged")
    return count


def _padded(data: bytes, at: int) -> int:
    (length,) = struct.unpack_from("<I", data, at) if at + 4 <= len(data) else (len(data),)
    return 4 + length + (-length % 4)


def _check_properties(data: bytes, at: int) -> int:
    """Walks one property list as tnefparse reads it; where it ends."""
    properties, at = _count(data, at), at + 4
    for _ in range(properties):
        if at + 4 > len(data):
            return at
        kind, name = struct.unpack_from("<HH", data, at)
        at += 4
        if name >= _NAMED:  # a GUID, then a number (kind 0) or a name of a given length
            at += 16
            if at + 8 > len(data):
                return at
            (named_by,) = struct.unpack_from("<I", data, at)
            at += 4 + (4 if named_by == 0 else _padded(data, at + 4))
        values = None
        if kind & _MULTI_VALUED:
            kind ^= _MULTI_VALUED
            values, at = _count(data, at), at + 4
        for _ in range(values or 1):
            if kind in _FIXED_SIZES:
                at += _FIXED_SIZES[kind]
            elif kind in _VARIABLE_TYPES:
                items = 1 if values else _count(data, at)
                at += 0 if values else 4
                for _ in range(items):
                    if at + 4 > len(data):
                        return at
                    at += _padded(data, at)
            else:
                return at  # an unknown type: tnefparse stops reading the list
        if (values or 1) % 2 and kind in (0x0002, 0x000B):
            at += 2
    return at


def _mail(tnef: Any) -> MailFile:
    codepage = tnef.codepage
    attributes = {item.name: item.data for item in tnef.msgprops}
    properties = {item.name: item.data for item in tnef.mapiprops}
    notes: list[str] = []
    body, html_only = readable_body(
        _text(tnef.body, codepage), html_text(tnef.htmlbody, codepage), _rtf(tnef, notes)
    )
    recipients = attributes.get(_ATT_RECIPIENTS) or []
    return MailFile(
        subject=_text(attributes.get(_ATT_SUBJECT) or properties.get(_SUBJECT), codepage).strip(),
        sender=_sender(attributes, properties, codepage),
        to=_recipients(recipients, _TO, codepage),
        cc=_recipients(recipients, _CC, codepage),
        # The MAPI submit time is UTC; the TNEF "date sent" is the sender's local time.
        date=as_utc(properties.get(_SUBMIT_TIME) or attributes.get(_ATT_DATE_SENT)),
        message_id=_text(properties.get(_MESSAGE_ID), codepage).strip() or None,
        body=body,
        html_only=html_only,
        files=[_file(attachment, codepage) for attachment in tnef.attachments],
        notes=notes,
    )


def _rtf(tnef: Any, notes: list[str]) -> bytes | None:
    """The RTF body, decompressed; None (and a note) when it cannot be."""
    try:
        rtf = tnef.rtfbody
    except Exception as exc:  # noqa: BLE001 - compressed_rtf raises many kinds on damaged data
        notes.append(f"the RTF body could not be decompressed ({type(exc).__name__})")
        return None
    if rtf and not rtf.lstrip().startswith(b"{\\rtf"):  # still compressed: compressed_rtf is missing
        notes.append("the RTF body could not be decompressed")
        return None
    return rtf


def _sender(attributes: dict, properties: dict, codepage: str | None) -> Address | None:
    name = _first(properties, _SENDER_NAMES, codepage, bool)
    email = _first(properties, _SENDER_ADDRESSES, codepage, _is_email)
    triple = attributes.get(_ATT_FROM)  # (display name, address type, address), as bytes
    if isinstance(triple, tuple) and len(triple) == 3:
        name = name or _text(triple[0], codepage).strip()
        address = _text(triple[2], codepage).strip()
        email = email or (address if _is_email(address) else "")
    return Address(name, email) if email else None


def _recipients(rows: list, kind: int, codepage: str | None) -> list[Address]:
    found = []
    for row in rows:
        values = {attribute.name: attribute.data for attribute in row}
        email = _first(values, (_SMTP_ADDRESS, _EMAIL_ADDRESS), codepage, _is_email)
        if values.get(_RECIPIENT_TYPE) == kind and email:
            found.append(Address(_text(values.get(_DISPLAY_NAME), codepage).strip(), email))
    return found


def _first(values: dict, keys: tuple[int, ...], codepage: str | None, wanted: Callable[[str], bool]) -> str:
    """The first of the `keys` properties whose text is `wanted`, or ""."""
    texts = (_text(values.get(key), codepage).strip() for key in keys)
    return next((text for text in texts if wanted(text)), "")


def _is_email(text: str) -> bool:
    return "@" in text  # Exchange also stores X.500 paths ("/O=.../CN=...") as addresses


def _file(attachment: Any, codepage: str | None) -> FileInMail:
    properties = {item.name: item.data for item in attachment.mapi_attrs}
    name = _text(properties.get(_LONG_FILENAME), codepage).strip()
    if not name:
        try:
            name = attachment.name  # the short (8.3) name, when there is no long one
        except UnicodeDecodeError:
            name = ""
    content_type = _text(properties.get(_ATTACH_MIME_TAG), codepage).strip().lower()
    shown = bool(properties.get(_ATTACH_CONTENT_ID)) and content_type.startswith("image/")
    return FileInMail(name, bytes(attachment.data), content_type, inline=shown)


def _text(value: object, codepage: str | None) -> str:
    """A MAPI string: tnefparse gives str for Unicode properties, bytes for 8-bit ones."""
    if isinstance(value, bytes):
        return decode_text(value.rstrip(b"\x00"), codepage)[0]
    return value.rstrip("\x00") if isinstance(value, str) else ""
