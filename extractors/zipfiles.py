"""Zip files: which are Office documents, and the limits every zip is opened within.

Two paths open zips: a zip archive attached to a mail (`extractors.archives`), whose
files become attachments, and the readers of Word, Excel and OpenDocument files
(`extractors.readers.packages`), which are zips too. Both ask this module what a zip
is and whether it may be unzipped, so that both hold to the same `[limits]`.

Word and Excel files (Office Open XML: `.docx`, `.xlsx`, `.pptx`) and OpenDocument
files (`.odt`, `.ods`, `.odp`) are zip files. What they hold says which they are: an
OpenDocument file starts with a stored `mimetype` member naming its type; an Office
Open XML file keeps its parts under `word/`, `xl/` or `ppt/` beside a
`[Content_Types].xml`. `office_kind_of_head` tells from the first bytes where it can,
`office_kind` from the members for certain.

A zip says, before anything is unpacked, how large each member will be
(`ZipInfo.file_size`), which is checked against `[limits]`: the total
(`exceeds_archive_mb`: `max_archive_mb`) and each large member's compression ratio
(`is_zip_bomb`: `max_zip_ratio`; a zip bomb expands a thousand times). Those sizes
can lie, so `read_member` never gives more than a member declared: what a zip said
is all it can cost. (Python's `zipfile` stops there too, and then fails its CRC.)
"""

from __future__ import annotations

import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable

from rpa.config import LimitSettings
from rpa.errors import ExtractionError

__all__ = [
    "ODF_KINDS",
    "OOXML_KINDS",
    "OTHER_OFFICE",
    "RATIO_FREE_BYTES",
    "ZIP_ERRORS",
    "exceeds_archive_mb",
    "expansion_ratio",
    "is_encrypted",
    "is_zip_bomb",
    "office_kind",
    "office_kind_of_head",
    "read_member",
]

_MB = 1024 * 1024
# A member this small may compress as well as it likes: a Word document of 5,000
# empty paragraphs compresses 52 times, and costs nothing to unpack.
RATIO_FREE_BYTES = _MB
# What zipfile and the decompressors behind it raise on damaged data
# (NotImplementedError: a compression method it lacks; RuntimeError: a password wanted).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)

# The folder of an Office Open XML file's main part -> its kind.
OOXML_KINDS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
# An OpenDocument file's `mimetype` -> its kind (templates are read like documents).
ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.text-template": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# The kind of an Office Open XML or OpenDocument file rpa has no reader for (a Visio
# or OpenDocument drawing): still one document, not a folder of files.
OTHER_OFFICE = "other"
_MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_CONTENT_TYPES = "[Content_Types].xml"
_ODF_TYPE = "application/vnd.oasis.opendocument."
_LOCAL_HEADER = b"PK\x03\x04"
_LOCAL_HEADER_SIZE = 30
_ODF_MIMETYPE = re.compile(rb"mimetype(application/vnd\.oasis\.opendocument\.[a-z.-]+)")
_MIMETYPE_MAX = 100  # bytes: the longest OpenDocument type is 55
_ENCRYPTED = 0x1  # general purpose flag bit
_CHUNK = _MB


def office_kind_of_head(head: bytes) -> str | None:
    """ "docx", "xlsx", "odt", "ods", ... as the first bytes of a zip show, or None when
    they do not tell (the parts that would say lie further on)."""
    if not head.startswith(_LOCAL_HEADER):
        return None
    # OpenDocument stores its `mimetype` first and uncompressed: the type is in the clear.
    odf = _ODF_MIMETYPE.match(head, _LOCAL_HEADER_SIZE)
    if odf is not None:
        return ODF_KINDS.get(odf.group(1).decode("ascii"))
    return _ooxml_kind(_member_names_in(head))


def office_kind(archive: zipfile.ZipFile) -> str | None:
    """The kind of Office document a zip is, from its members ("docx", "ods", ..., or
    `OTHER_OFFICE`), or None for any other zip. Raises what zipfile raises (`ZIP_ERRORS`)
    when the `mimetype` member cannot be read."""
    names = set(archive.namelist())
    odf_type = _odf_type(archive, names)
    if odf_type is not None:
        return ODF_KINDS.get(odf_type, OTHER_OFFICE)
    if _CONTENT_TYPES not in names:
        return None
    return next((kind for kind, part in _MAIN_PARTS.items() if part in names), OTHER_OFFICE)


def is_encrypted(member: zipfile.ZipInfo) -> bool:
    return bool(member.flag_bits & _ENCRYPTED)


def expansion_ratio(member: zipfile.ZipInfo) -> float:
    """How many times the member expands unzipped, as its header declares."""
    return member.file_size / max(member.compress_size, 1)


def is_zip_bomb(member: zipfile.ZipInfo, limits: LimitSettings) -> bool:
    """A member over `RATIO_FREE_BYTES` that expands more than `limits.max_zip_ratio` times."""
    return member.file_size > RATIO_FREE_BYTES and expansion_ratio(member) > limits.max_zip_ratio


def exceeds_archive_mb(unzipped_bytes: int, limits: LimitSettings) -> bool:
    """Whether members taking this many bytes unzipped are over `limits.max_archive_mb`."""
    return unzipped_bytes > limits.max_archive_mb * _MB


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """The member's bytes, a megabyte at a time and never more than its header declares.
    Raises `ExtractionError` ("skipped") for one that would give more, and what zipfile
    raises (`ZIP_ERRORS`) for one that is damaged."""
    chunks, size = [], 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > member.file_size:
                raise ExtractionError(
                    f"it expands beyond the {member.file_size:,} bytes its header declares: a zip bomb",
                    status="skipped",
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _odf_type(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The OpenDocument type its `mimetype` member names, or None for a zip without one."""
    if "mimetype" not in names:
        return None
    member = archive.getinfo("mimetype")
    if member.file_size > _MIMETYPE_MAX or is_encrypted(member):
        return None
    declared = archive.read(member).decode("ascii", "replace").strip()
    return declared if declared.startswith(_ODF_TYPE) else None


def _member_names_in(head: bytes) -> list[str]:
    """The names of the members whose local headers stand in `head`, in order."""
    names = []
    start = head.find(_LOCAL_HEADER)
    while start >= 0 and start + _LOCAL_HEADER_SIZE <= len(head):
        (length,) = struct.unpack_from("<H", head, start + 26)
        name = head[start + _LOCAL_HEADER_SIZE : start + _LOCAL_HEADER_SIZE + length]
        names.append(name.decode("utf-8", "replace"))
        start = head.find(_LOCAL_HEADER, start + _LOCAL_HEADER_SIZE + length)
    return names


def _ooxml_kind(names: Iterable[str]) -> str | None:
    for name in names:
        for folder, kind in OOXML_KINDS.items():
            if name.startswith(folder):
                return kind
    return None
