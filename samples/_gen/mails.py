"""Mails built with the standard library `email` package, byte for byte the same on every run.

`Mail.render()` uses `EmailMessage` with the default policy; MIME boundaries
(random in the library) are replaced by ones derived from the Message-ID, and
Date and Message-ID are always given. A few mails are built differently on
purpose: `declared_charset` relabels the bytes of a body with a charset it is
not written in, as some old mail programs do.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Protocol

__all__ = ["Blob", "Forward", "Mail", "quote", "t"]


class Attachable(Protocol):
    filename: str

    @property
    def mime(self) -> str: ...

    def render(self) -> bytes: ...


@dataclass(frozen=True)
class Blob:
    """Bytes we do not build: an export from some application."""

    filename: str
    data: bytes
    mime: str = "application/octet-stream"

    def render(self) -> bytes:
        return self.data


@dataclass(frozen=True)
class Mail:
    sender: str
    to: str
    subject: str
    date: str  # ISO 8601 with offset
    body: str | None = None  # text/plain; None for an HTML-only mail
    html: str | None = None
    attachments: Sequence[Attachable | Forward] = ()
    cc: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    in_reply_to: str | None = None
    references: str | None = None
    message_id: str | None = None
    charset: str = "utf-8"
    cte: str | None = None  # None: the library's choice (8bit for non-ASCII utf-8)
    declared_charset: str | None = None  # set: the header names this charset, whatever the bytes are

    def render(self) -> bytes:
        message = self.build()
        data = bytes(message)
        if self.declared_charset:
            data = data.replace(f'charset="{self.charset}"'.encode(), f'charset="{self.declared_charset}"'.encode(), 1)
        return data

    def build(self) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = self.to
        if self.cc:
            message["Cc"] = self.cc
        message["Subject"] = self.subject
        message["Date"] = format_datetime(datetime.fromisoformat(self.date))
        message["Message-ID"] = self.message_id or self._message_id()
        if self.in_reply_to:
            message["In-Reply-To"] = self.in_reply_to
            message["References"] = self.references or self.in_reply_to
        for name, value in self.headers.items():
            message[name] = value
        self._set_body(message)
        for item in self.attachments:
            if isinstance(item, Forward):
                message.add_attachment(item.mail.build(), filename=item.filename)
            else:
                maintype, subtype = item.mime.split("/", 1)
                message.add_attachment(item.render(), maintype=maintype, subtype=subtype, filename=item.filename)
        _tidy(message, message["Message-ID"])
        return message

    def _set_body(self, message: EmailMessage) -> None:
        if self.body is not None:
            message.set_content(self.body, charset=self.charset, cte=self.cte)
            if self.html is not None:
                message.add_alternative(self.html, subtype="html", cte=self.cte)
        else:
            message.set_content(self.html or "", subtype="html", charset=self.charset, cte=self.cte)

    def _message_id(self) -> str:
        stamp = datetime.fromisoformat(self.date).strftime("%Y%m%d%H%M%S")
        digest = hashlib.sha256((self.sender + self.subject + self.date).encode()).hexdigest()[:10].upper()
        domain = self.sender.rsplit("@", 1)[-1].rstrip(">")
        return f"<{stamp}.{digest}@{domain}>"


@dataclass(frozen=True)
class Forward:
    """A mail forwarded as an attachment (message/rfc822)."""

    mail: Mail
    filename: str | None = None


def _tidy(message: EmailMessage, seed: str) -> None:
    """Boundaries derived from `seed` instead of random ones, and no MIME-Version header on
    body parts (`add_attachment` puts one there; mail programs do not)."""
    digest = hashlib.sha256(seed.encode()).hexdigest()[:16]
    roots = {id(message)}
    roots.update(id(part.get_payload(0)) for part in message.walk() if part.get_content_type() == "message/rfc822")
    multiparts = 0
    for part in message.walk():
        if id(part) not in roots:
            del part["MIME-Version"]
        if part.get_content_maintype() == "multipart":
            part.set_boundary(f"----=_Part_{digest}_{multiparts:02d}")
            multiparts += 1


def t(text: str) -> str:
    """A body written indented in the case list, as the customer typed it."""
    return textwrap.dedent(text).strip("\n") + "\n"


def quote(text: str) -> str:
    """Quote an earlier message the way mail programs do: "> " before every line."""
    return "\n".join(">" + (" " + line if line else "") for line in text.rstrip("\n").split("\n")) + "\n"
