"""What a mail-file format is, what it gives back, and what every format shares.

A format has a `name`, a `label` (what a user calls such a file, for sentences),
says whether it `is_available()` here (its package installed), whether it
`can_read(content_type, filename, data)` a file (by its bytes first, then by what
the mail declared), and `read(data)`s it into a `MailFile`, or raises
`ExtractionError` with a sentence a user understands, never anything else: the
packages behind the formats raise many kinds of exception on damaged files, and
`read` is the boundary where they become one. A format read with one Python package
is a `PackagedFormat`, which gives it both `is_available` and that boundary.
"""

from __future__ import annotations

import importlib.util
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from extractors.charsets import decode_text
from extractors.html import declared_charset, html_to_text
from extractors.rtftext import rtf_to_text
from rpa.errors import ExtractionError
from rpa.models import Address

__all__ = [
    "FileInMail",
    "MailFile",
    "MailFileFormat",
    "MailFileReading",
    "PackagedFormat",
    "as_utc",
    "html_text",
    "readable_body",
    "unreadable",
]

_MAX_DETAIL = 200  # characters of a library's own message kept in a reason


@dataclass(frozen=True)
class FileInMail:
    """One attachment of a mail file. A mail attached to it is a file too (the bytes of
    a `.msg` or of a TNEF stream), opened in turn by whoever reads the files."""

    name: str  # "" when the file has none
    data: bytes = field(repr=False)
    content_type: str = ""  # as the mail file declares it; "" when it does not
    inline: bool = False  # a picture the body shows (a logo in a signature), not a document sent


@dataclass
class MailFile:
    """The mail a `.msg` or `winmail.dat` holds."""

    subject: str = ""
    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    date: datetime | None = None  # timezone-aware
    message_id: str | None = None
    body: str = ""  # the plain text, else the HTML or RTF body as text (`readable_body`)
    html_only: bool = False  # the body was read from HTML or RTF: there was no plain text
    files: list[FileInMail] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what inside could not be read, one sentence each


@runtime_checkable
class MailFileFormat(Protocol):
    """One kind of file that holds a mail."""

    name: str
    label: str  # "Outlook .msg file": the subject of "the ... could not be read"
    package: str  # what to install when it is not available
    module: str  # what `read` imports

    def is_available(self) -> bool:
        """Whether the package this format needs is installed."""
        ...

    def can_read(self, content_type: str, filename: str, data: bytes) -> bool:
        """Whether the file is of this format: its bytes say so, or the mail declares it."""
        ...

    def read(self, data: bytes) -> MailFile:
        """The mail in the file; raises `ExtractionError`, and nothing else."""
        ...


@dataclass(frozen=True)
class MailFileReading:
    """The opening of a mail file as a reader process runs it (`extractors.readers.readerpool`),
    within the time and memory a document may take: its format's `read`."""

    mail_format: MailFileFormat

    @property
    def packages(self) -> tuple[str, ...]:
        return (self.mail_format.module,)

    def read(self, filename: str, data: bytes) -> MailFile:  # noqa: ARG002 - a Reading's signature
        return self.mail_format.read(data)


class PackagedFormat(ABC):
    """A `MailFileFormat` read with one Python package, imported as `module` (inside
    `_read`, so that a missing package only makes the format unavailable)."""

    name: str
    label: str
    package: str  # what to install
    module: str  # what the package is imported as

    def is_available(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def read(self, data: bytes) -> MailFile:
        try:
            return self._read(data)
        except MemoryError:
            raise  # the reader process's memory limit: it says so itself
        except Exception as exc:  # noqa: BLE001 - the boundary of one file (see the module's docstring)
            raise unreadable(self.label, exc) from exc

    @abstractmethod
    def _read(self, data: bytes) -> MailFile:
        """The mail in the file; whatever this raises, `read` turns into an `ExtractionError`."""


def readable_body(text: str | None, html: str | None, rtf: bytes | None) -> tuple[str, bool]:
    """The body a person reads, and whether it came from HTML or RTF: the plain text if
    it has any, else the HTML as text, else the RTF as text."""
    if text and text.strip("\x00").strip():
        return _tidy(text), False
    if html and html.strip():
        return _tidy(html_to_text(html)), True
    if rtf:
        return _tidy(rtf_to_text(rtf)), True
    return "", False


def html_text(html: bytes | str | None, charset: str | None = None) -> str:
    """An HTML body as a string: bytes decoded with `charset`, else its <meta> charset."""
    if not isinstance(html, bytes):
        return html or ""
    return decode_text(html, charset or declared_charset(html))[0]


def as_utc(value: object) -> datetime | None:
    """A date a mail file gives, timezone-aware; MAPI times without a zone are UTC."""
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def unreadable(label: str, exc: BaseException) -> ExtractionError:
    """The error for a file that could not be read: our own reason, or the library's words."""
    if isinstance(exc, ExtractionError):
        reason = exc.reason
    else:
        detail = " ".join(str(exc).split())[:_MAX_DETAIL]
        reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return ExtractionError(f"the {label} could not be read: {reason}")


def _tidy(text: str) -> str:
    """Line ends as a MIME body has them after parsing; MAPI strings often end in NULs."""
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
