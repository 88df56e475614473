"""Outlook `.msg` files written for the tests, as Outlook lays them out (MS-OXMSG).

An OLE2 compound file (written with extract-msg's own `OleWriter`): one
`__substg1.0_<id><type>` stream per variable-size property (strings in UTF-16),
fixed-size ones in `__properties_version1.0`, a storage per recipient and per
attachment, and an attached mail as a storage holding a whole message.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field

from extract_msg.ole_writer import OleWriter

__all__ = ["OutlookMail", "msg_bytes"]

_UNICODE, _BINARY, _INT32 = "001F", "0102", 0x0003
_READ_WRITE = 0x6
_BY_VALUE, _EMBEDDED_MESSAGE = 1, 5
_TO = 1


@dataclass
class OutlookMail:
    subject: str
    sender_name: str
    sender_email: str
    body: str = ""
    html: str = ""
    to: str = ""
    files: list[tuple[str, bytes]] = field(default_factory=list)
    attached_mails: list[OutlookMail] = field(default_factory=list)
    damaged_files: list[str] = field(default_factory=list)  # attachments whose data stream is missing
    message_class: str = "IPM.Note"  # "IPM.Note.SMIME": encrypted, its body in an smime.p7m file


def msg_bytes(mail: OutlookMail) -> bytes:
    """The bytes of a `.msg` file holding `mail`."""
    writer = OleWriter()
    for name in ("00020102", "00030102", "00040102"):  # the named-property map, empty
        writer.addEntry(["__nameid_version1.0", f"__substg1.0_{name}"], b"")
    _add_message(writer, [], mail, embedded=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_message(writer: OleWriter, path: list[str], mail: OutlookMail, *, embedded: bool) -> None:
    strings = {
        "001A": mail.message_class,
        "0037": mail.subject,
        "0C1A": mail.sender_name,
        "5D01": mail.sender_email,
        "0C1F": mail.sender_email,
        "0E04": mail.to,
    }
    if mail.body:
        strings["1000"] = mail.body
    for prop, text in strings.items():
        writer.addEntry([*path, f"__substg1.0_{prop}{_UNICODE}"], text.encode("utf-16-le"))
    if mail.html:
        writer.addEntry([*path, f"__substg1.0_1013{_BINARY}"], mail.html.encode("utf-8"))
    recipients = [mail.to] if mail.to else []
    attachments = len(mail.files) + len(mail.attached_mails) + len(mail.damaged_files)
    counts = struct.pack("<4I", len(recipients), attachments, len(recipients), attachments)
    header = bytes(8) + counts + (b"" if embedded else bytes(8))  # 24 bytes inside another mail, else 32
    writer.addEntry([*path, "__properties_version1.0"], header)
    for number, address in enumerate(recipients):
        folder = [*path, f"__recip_version1.0_#{number:08X}"]
        writer.addEntry([*folder, "__properties_version1.0"], bytes(8) + _int32_property(0x0C15, _TO))
        for prop in ("3001", "3003", "39FE"):
            writer.addEntry([*folder, f"__substg1.0_{prop}{_UNICODE}"], address.encode("utf-16-le"))
    files = [*mail.files, *((name, None) for name in mail.damaged_files)]
    for number, (name, data) in enumerate(files):
        folder = [*path, f"__attach_version1.0_#{number:08X}"]
        writer.addEntry([*folder, "__properties_version1.0"], bytes(8) + _int32_property(0x3705, _BY_VALUE))
        writer.addEntry([*folder, f"__substg1.0_3707{_UNICODE}"], name.encode("utf-16-le"))
        if data is not None:
            writer.addEntry([*folder, f"__substg1.0_3701{_BINARY}"], data)
    for number, inner in enumerate(mail.attached_mails, start=len(files)):
        folder = [*path, f"__attach_version1.0_#{number:08X}"]
        properties = _int32_property(0x3705, _EMBEDDED_MESSAGE)
        writer.addEntry([*folder, "__properties_version1.0"], bytes(8) + properties)
        writer.addEntry([*folder, f"__substg1.0_3001{_UNICODE}"], inner.subject.encode("utf-16-le"))
        _add_message(writer, [*folder, "__substg1.0_3701000D"], inner, embedded=True)


def _int32_property(prop: int, value: int) -> bytes:
    """One fixed-size entry of a properties stream: tag, flags, the value in 8 bytes."""
    return struct.pack("<IIiI", (prop << 16) | _INT32, _READ_WRITE, value, 0)
