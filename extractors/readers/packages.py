"""What the readers of zipped Office documents (docx, xlsx, pptx, odt, ods) share: knowing
their kind, and opening them only within `[limits]`.

Each of these readers claims a zip whose first bytes show its kind
(`extractors.zipfiles.office_kind_of_head`), or, when they do not tell, a zip (or a
password-protected file) declared as its kind. `open_package` then makes sure,
before anything is unpacked, that it is a zip of that kind and that it would not
expand beyond the limits (`extractors.zipfiles`, the checks zip archives attached to
mail are held to): a zip bomb named `lettre.docx` is refused unopened.

A password-protected Word or Excel file is not a zip at all but an OLE2 file holding
an `EncryptedPackage` stream; it is recognised and said to be so.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from extractors.mailfiles.base import unreadable
from extractors.readers.base import HEAD_SIZE, declared_as, sniff_format
from extractors.zipfiles import (
    OTHER_OFFICE,
    ZIP_ERRORS,
    exceeds_archive_mb,
    expansion_ratio,
    is_encrypted,
    is_zip_bomb,
    office_kind,
    office_kind_of_head,
)
from rpa.config import LimitSettings, Settings
from rpa.errors import ExtractionError

__all__ = ["MAX_UNREAD_ELEMENTS", "OfficeKind", "OfficeReader", "open_package"]

# XML elements of one paragraph, table or row a reader may hold before it has read it and
# let it go (30 to 60 MB): a row of a million cells is not a row anyone typed.
MAX_UNREAD_ELEMENTS = 200_000
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # a stream name, as OLE2 writes it
_MAX_DETAIL = 200  # characters of zipfile's own message kept in a reason
_MB = 1024 * 1024


@dataclass(frozen=True)
class OfficeKind:
    """One kind of zipped Office document: its kind ("docx"), what a user calls it,
    and the types and extensions it is declared with."""

    kind: str
    label: str  # "Word document"
    types: tuple[str, ...]
    extensions: tuple[str, ...]

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        """A zip whose first bytes show this kind, or a zip (or OLE2 file) that does not
        say and is declared as this kind."""
        found = sniff_format(head)
        if found not in ("zip", "ole"):
            return found is None and declared_as(content_type, filename, self.types, self.extensions)
        seen = office_kind_of_head(head)
        if seen is not None:
            return seen == self.kind
        return declared_as(content_type, filename, self.types, self.extensions)


class OfficeReader:
    """What the readers of zipped Office documents share: a subclass names its `kind`,
    opens a document with `open` and reads it inside `failures_explained`."""

    name: str
    kind: OfficeKind

    def __init__(self, settings: Settings) -> None:
        self.limits = settings.limits
        self.day_first = settings.parsing.day_first

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        return self.kind.can_read(content_type, filename, head)

    def open(self, data: bytes) -> zipfile.ZipFile:
        return open_package(data, self.kind, self.limits)

    @contextmanager
    def failures_explained(self) -> Iterator[None]:
        """The boundary of one document (see rpa/errors.py): what the library raises on a
        damaged file becomes an `ExtractionError` in its words."""
        try:
            yield
        except ExtractionError:
            raise
        except Exception as exc:  # noqa: BLE001 - python-docx, openpyxl and XML parsers raise many kinds
            raise unreadable(self.kind.label, exc) from exc


def open_package(data: bytes, kind: OfficeKind, limits: LimitSettings) -> zipfile.ZipFile:
    """The document as an open zip, once it is known to be of `kind` and small enough to
    unpack; raises `ExtractionError` ("skipped" for one over the limits)."""
    if sniff_format(data[:HEAD_SIZE]) == "ole":
        if _ENCRYPTED_PACKAGE in data:
            raise ExtractionError(f"the {kind.label} is protected with a password")
        raise ExtractionError(
            f"it is not {_with_article(kind.label)}: it is an older Office file (OLE2), "
            "such as a Word 97-2003 .doc or an Excel .xls"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise ExtractionError(f"the {kind.label} is damaged: {_not_a_zip(exc)}") from exc
    try:
        _check(archive, kind, limits)
    except ExtractionError:
        archive.close()
        raise
    return archive


def _check(archive: zipfile.ZipFile, kind: OfficeKind, limits: LimitSettings) -> None:
    members = archive.infolist()
    refusal = _unzip_refusal(members, limits)
    if refusal is not None:
        raise ExtractionError(f"the {kind.label} was not opened: {refusal}", status="skipped")
    if any(is_encrypted(member) for member in members):
        raise ExtractionError(f"the {kind.label} is protected with a password")
    try:
        found = office_kind(archive)
    except ZIP_ERRORS as exc:
        raise ExtractionError(f"the {kind.label} is damaged: {_not_a_zip(exc)}") from exc
    if found != kind.kind:
        raise ExtractionError(f"it is not {_with_article(kind.label)}: {_what_it_holds(found)}")


def _unzip_refusal(members: list[zipfile.ZipInfo], limits: LimitSettings) -> str | None:
    """Why a document with these members is not unpacked, or None when it may be."""
    total = sum(member.file_size for member in members)
    if exceeds_archive_mb(total, limits):
        return (
            f"its contents would take {total / _MB:,.0f} MB unpacked, over the "
            f"{limits.max_archive_mb:g} MB limit (limits.max_archive_mb)"
        )
    bomb = next((member for member in members if is_zip_bomb(member, limits)), None)
    if bomb is not None:
        ratio, megabytes = expansion_ratio(bomb), bomb.file_size / _MB
        return (
            f"{bomb.filename} would expand {ratio:,.0f} times, to {megabytes:,.0f} MB: "
            f"a zip bomb (limits.max_zip_ratio is {limits.max_zip_ratio:g})"
        )
    return None


def _what_it_holds(found: str | None) -> str:
    if found is None:
        return "it is a zip file without its parts"
    if found == OTHER_OFFICE:
        return "its parts are those of another kind of Office file"
    return f"its parts are those of a .{found} file"


def _with_article(label: str) -> str:
    return f"{'an' if label[0] in 'AEIOU' else 'a'} {label}"


def _not_a_zip(exc: BaseException) -> str:
    detail = " ".join(str(exc).split())[:_MAX_DETAIL]
    return f"it is cut short, or not a zip file at all ({detail or type(exc).__name__})"
