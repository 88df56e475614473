"""Zip archives sent as attachments: the files in them are read as the mail's own.

A customer zips the photos of the damage with the claim form; a broker zips a
month of loss runs. `extractors.mime` opens such an archive and hands each file in
it to the normal attachment path, as it does the files in a winmail.dat: a PDF in a
zip is read like any PDF, a zip in a zip is opened in turn (`limits.max_archive_depth`).

An archive is hostile until shown otherwise. Before anything is unzipped, what its
central directory declares is held to `[limits]`: the number of files
(`max_archive_files`), their total size unzipped (`max_archive_mb`) and, for each
file over 1 MB, how many times it expands (`max_zip_ratio`; a zip bomb expands a
thousand times and more). A header can lie, so unzipping holds to them too: a file
never gives more than it declared, nor the archive more than `max_archive_mb`.
These checks, and the errors zipfile raises, are those of `extractors.zipfiles`,
which the readers of Office documents hold to as well. A file encrypted with a
password, or compressed by a method the standard library does not know, is
reported, not unzipped.

Word, Excel and OpenDocument files (.docx, .xlsx, .odt, .ods) are zip files too:
`ZipArchive.is_office_document` says so (`extractors.zipfiles.office_kind`), and they
are left to the document readers.

File names are decoded as the zip format says (UTF-8 when the entry is flagged so,
else code page 437; UTF-8 written without the flag is recognised) and lose their
folders. Folders, symbolic links, and what macOS and Windows leave in archives
(`__MACOSX/`, `.DS_Store`, `Thumbs.db`) are skipped.
"""

from __future__ import annotations

import io
import stat
import zipfile
from dataclasses import dataclass, field

from extractors.mimeparts import clean_filename, document_type
from extractors.zipfiles import (
    ZIP_ERRORS,
    exceeds_archive_mb,
    expansion_ratio,
    is_encrypted,
    is_zip_bomb,
    office_kind,
    read_member,
)
from rpa.config import LimitSettings
from rpa.errors import ExtractionError

__all__ = ["ArchivedFile", "ZipArchive", "is_zip"]

_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")  # a file's header; the end record of an empty zip
_TYPES = frozenset({"application/zip", "application/x-zip-compressed", "application/x-zip"})
_CENTRAL_ENTRY = b"PK\x01\x02"  # starts each file's entry in the central directory
# zipfile builds an object per entry listed: beyond this many, even an Office document is hostile.
_MAX_LISTED = 10_000
_MB = 1024**2
_UNZIPPABLE = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
_UTF8 = 0x800  # general purpose flag bit
_JUNK_FOLDER = "__MACOSX/"
_JUNK_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})


def is_zip(content_type: str, filename: str, data: bytes) -> bool:
    """Whether a file is a zip, by its first bytes, or declared as one and not recognisably
    anything else. An Office document is a zip too: `ZipArchive` tells them apart."""
    if data.startswith(_SIGNATURES):
        return True
    declared = content_type.split(";", 1)[0].strip().lower() in _TYPES or filename.lower().endswith(".zip")
    return declared and document_type("", data) == "application/octet-stream"


@dataclass(frozen=True)
class ArchivedFile:
    """One file of an archive, as the central directory declares it."""

    name: str  # decoded, without its folders
    size: int  # unzipped, as declared
    problem: ExtractionError | None  # why it is not unzipped (encrypted, a bomb), or None
    info: zipfile.ZipInfo = field(repr=False)


class ZipArchive:
    """A zip's central directory, read and checked; its files unzipped one at a time."""

    def __init__(self, data: bytes, limits: LimitSettings) -> None:
        """Raises `ExtractionError`: ``skipped`` for a zip listing absurdly many files,
        ``error`` for one that is not a zip or is damaged."""
        self.limits = limits
        if data.count(_CENTRAL_ENTRY) > _MAX_LISTED:  # never fewer than the entries listed
            raise ExtractionError(f"it lists more than {_MAX_LISTED:,} files", status="skipped")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            entries = self._zip.infolist()
        except ZIP_ERRORS as exc:
            raise ExtractionError(f"it is not a zip file or it is damaged ({exc})") from exc
        self.is_office_document = self._is_office_document()
        self.files = [] if self.is_office_document else _files(entries, limits)
        self._left = int(limits.max_archive_mb * _MB)  # bytes the archive may still give

    def refusal(self) -> str | None:
        """Why the archive is not opened, from what it declares, or None when it may be."""
        limits = self.limits
        if len(self.files) > limits.max_archive_files:
            return (
                f"it holds {len(self.files)} files, over the limit of {limits.max_archive_files} "
                "(limits.max_archive_files)"
            )
        total = sum(file.size for file in self.files if file.problem is None)
        if exceeds_archive_mb(total, limits):
            return (
                f"its files take {total / _MB:,.0f} MB unzipped, over the limit of "
                f"{limits.max_archive_mb:g} MB (limits.max_archive_mb)"
            )
        return None

    def unzip(self, file: ArchivedFile) -> bytes:
        """The file's bytes, no more than it declared nor than the archive may still give;
        raises its `problem`, or `ExtractionError` when it cannot be unzipped."""
        if file.problem is not None:
            raise file.problem
        if file.size > self._left:  # `refusal` says so before anything is unzipped
            limit = f"{self.limits.max_archive_mb:g} MB"
            reason = f"the archive's files take more than {limit} unzipped (limits.max_archive_mb)"
            raise ExtractionError(reason, status="skipped")
        try:
            data = read_member(self._zip, file.info)
        except ZIP_ERRORS as exc:
            raise ExtractionError(f"it could not be unzipped: {exc}") from exc
        self._left -= len(data)
        return data

    def _is_office_document(self) -> bool:
        try:
            return office_kind(self._zip) is not None
        except ZIP_ERRORS:  # a `mimetype` that cannot be read: not an OpenDocument file
            return False


def _files(entries: list[zipfile.ZipInfo], limits: LimitSettings) -> list[ArchivedFile]:
    files = []
    for entry in entries:
        name = _name(entry)
        if name is not None and not _is_junk(entry, name):
            files.append(ArchivedFile(name, entry.file_size, _problem(entry, limits), entry))
    return files


def _name(entry: zipfile.ZipInfo) -> str | None:
    """The file's name without its folders; None for a folder."""
    name = entry.filename
    if not entry.flag_bits & _UTF8:  # zipfile read it as code page 437, as the format says
        try:
            name = entry.orig_filename.encode("cp437").decode("utf-8")
        except UnicodeError:
            pass  # not UTF-8 written without the flag: code page 437 it is
    return None if name.endswith(("/", "\\")) else clean_filename(name)


def _is_junk(entry: zipfile.ZipInfo, name: str) -> bool:
    """What the system that made the zip left in it, not what the customer put there."""
    is_link = stat.S_ISLNK(entry.external_attr >> 16)
    return is_link or entry.filename.startswith(_JUNK_FOLDER) or name.lower() in _JUNK_FILES


def _problem(entry: zipfile.ZipInfo, limits: LimitSettings) -> ExtractionError | None:
    if is_encrypted(entry):
        return ExtractionError("it is encrypted with a password")
    if entry.compress_type not in _UNZIPPABLE:
        method = entry.compress_type
        return ExtractionError(f"it is compressed with a method rpa cannot unzip (method {method})")
    if is_zip_bomb(entry, limits):
        ratio = expansion_ratio(entry)
        return ExtractionError(
            f"it would expand {ratio:,.0f} times (to {entry.file_size / _MB:,.0f} MB), over the limit "
            f"of {limits.max_zip_ratio:g} (limits.max_zip_ratio): a zip bomb, not unzipped",
            status="skipped",
        )
    return None
