"""PowerPoint 97-2003 presentations (`.ppt`): a page per slide (``#slide3``), holding its
title, the text of its shapes, then its speaker notes, as a `.pptx` is read.

A `.ppt` is an OLE2 compound file (like `.doc` and `.xls`) whose `PowerPoint Document`
stream is a tree of records ([MS-PPT]): an 8-byte header (version and instance, type,
length), a container's body being more records. olefile opens the compound file; the
records are walked here:

- the `Current User` stream points at the last `UserEditAtom`, whose chain of
  persist directories maps each object's persist id to where it stands in the stream
  (a later save's entries overriding an earlier one's);
- the document's `SlideListWithText` lists the slides in their order, each by a
  `SlidePersistAtom` naming its `Slide` container, followed by the text of its
  placeholders (PowerPoint 97 to 2003 keep that text there);
- a slide's own text is in the text boxes of its drawing (`TextCharsAtom` in UTF-16,
  `TextBytesAtom` in Latin-1), where a placeholder may instead refer to the list's
  text (`OutlineTextRefAtom`); PowerPoint 2007 and later write all of it there. Its
  notes page, found by the slide's `notesIdRef`, gives the notes' body text.

Debian's catppt was the obvious tool, but it prints only the list's text and skips the
drawings: on presentations saved by PowerPoint 2007 it gives the design's name and no
word of the slides. Without persist directory (a damaged file), the slides are taken
in the order they stand in the stream.

Masters and handouts are not read. A text box's paragraphs count against
`limits.max_paragraphs`, slides beyond `limits.max_pages` are left out, each said in a
note. Like every reader without OCR, this one runs in a child process within
`limits.document_seconds` and `document_mb` (`extractors.documents`); a walk of at
most `_MAX_DEPTH` levels and `_MAX_RECORDS` records keeps a hostile file from more.
"""

from __future__ import annotations

import importlib.util
import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from extractors.readers.base import (
    OLE_LABELS,
    DocumentText,
    is_ole_of_kind,
    ole_kind,
    page_limit_notes,
)
from extractors.readers.sheets import Budget
from rpa.config import Settings
from rpa.errors import ExtractionError
from rpa.models import Page

__all__ = ["PptReader"]

_LABEL = "PowerPoint 97-2003 presentation"
_TYPES = (
    "application/vnd.ms-powerpoint",
    "application/mspowerpoint",
    "application/powerpoint",
    "application/x-mspowerpoint",
)
_EXTENSIONS = (".ppt", ".pps", ".pot")
_STREAM, _CURRENT_USER = "PowerPoint Document", "Current User"

# Record types ([MS-PPT] 2.13.24).
_DOCUMENT, _SLIDE, _SLIDE_ATOM, _NOTES = 0x03E8, 0x03EE, 0x03EF, 0x03F0
_SLIDE_PERSIST_ATOM, _SLIDE_LIST_WITH_TEXT = 0x03F3, 0x0FF0
_TEXT_HEADER, _TEXT_CHARS, _TEXT_BYTES, _OUTLINE_TEXT_REF = 0x0F9F, 0x0FA0, 0x0FA8, 0x0F9E
_USER_EDIT, _PERSIST_DIRECTORY, _CRYPT_SESSION = 0x0FF5, 0x1772, 0x2F14
_SLIDE_LIST, _NOTES_LIST = 0, 2  # a SlideListWithText's instance: slides, notes pages
_TITLES, _NOTES_BODY = frozenset({0, 6}), 2  # TextHeaderAtom's textType: title, centred title; notes
_HEADER = struct.Struct("<HHI")
_MAX_DEPTH, _MAX_RECORDS = 32, 1_000_000
_MAX_EDITS = 10_000  # saves followed back along the chain of user edits
_ENCRYPTED_EDIT = 0x20  # a UserEditAtom this long has encryptSessionPersistIdRef
_BREAKS = re.compile(r"[\r\n\x0b]")
# What olefile raises on a damaged compound file (OleFileError is an OSError); a size
# field of 2**63 gives an OverflowError (found by mutating the test files).
_OLE_ERRORS = (OSError, ValueError, struct.error, OverflowError, IndexError)


class PptReader:
    name = "ppt"
    packages = ("olefile",)

    def __init__(self, settings: Settings) -> None:
        self.limits = settings.limits

    def is_available(self) -> bool:
        return importlib.util.find_spec("olefile") is not None

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        return is_ole_of_kind("ppt", content_type, head, filename, _TYPES, _EXTENSIONS)

    def read(self, filename: str, data: bytes) -> DocumentText:
        stream, current_user = _streams(data)
        walk = _Walk(stream)
        slides = walk.slides(current_user)
        budget = Budget(self.limits.max_paragraphs, "paragraphs", "max_paragraphs")
        pages = []
        for number, slide in enumerate(slides[: self.limits.max_pages], start=1):
            pages.append(Page(number, walk.slide_text(slide, budget), slide=True))
            if budget.exhausted:
                break
        notes = (*budget.notes(), *page_limit_notes(self.limits.max_pages, len(slides)))
        return DocumentText(tuple(pages), notes)


def _streams(data: bytes) -> tuple[bytes, bytes]:
    """The presentation's main stream and its `Current User` stream (empty when missing)."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except _OLE_ERRORS as exc:
        raise _damaged(f"olefile: {exc}") from exc
    with ole:
        if ole.exists("EncryptedSummary") or ole.exists("EncryptedPackage"):
            raise ExtractionError(f"the {_LABEL} is protected with a password")
        if not ole.exists(_STREAM):
            kind = ole_kind(data)
            what = OLE_LABELS[kind] if kind not in (None, "ppt") else "an OLE2 file of another kind"
            raise ExtractionError(f"it is not a {_LABEL}: it is {what}")
        try:
            stream = ole.openstream(_STREAM).read()
            current_user = ole.openstream(_CURRENT_USER).read() if ole.exists(_CURRENT_USER) else b""
        except _OLE_ERRORS as exc:
            raise _damaged(f"olefile: {exc}") from exc
    return stream, current_user


def _damaged(detail: str) -> ExtractionError:
    return ExtractionError(f"the {_LABEL} could not be read: it is damaged ({detail[:200]})")


@dataclass
class _Slide:
    persist_id: int
    listed: list[tuple[int, str]] = field(default_factory=list)  # its text in the list: (type, text)
    at: int | None = None  # where its container stands, when known without the persist directory


@dataclass(frozen=True)
class _Record:
    kind: int
    instance: int
    start: int  # of its body
    end: int

    def u32(self, stream: bytes, at: int) -> int | None:
        """The unsigned 32-bit number `at` bytes into the body, or None past its end."""
        return (
            struct.unpack_from("<I", stream, self.start + at)[0] if self.start + at + 4 <= self.end else None
        )


class _Walk:
    """The records of one `PowerPoint Document` stream."""

    def __init__(self, stream: bytes) -> None:
        self.stream = stream
        self.walked = 0
        self.persist: dict[int, int] = {}  # persist id -> where its object stands
        self.notes_pages: dict[int, int] = {}  # a notes page's id -> its persist id

    def record(self, at: int) -> _Record | None:
        if at < 0 or at + _HEADER.size > len(self.stream):
            return None
        version_instance, kind, length = _HEADER.unpack_from(self.stream, at)
        return _Record(
            kind, version_instance >> 4, at + _HEADER.size, min(at + _HEADER.size + length, len(self.stream))
        )

    def children(self, parent: _Record) -> Iterator[_Record]:
        at = parent.start
        while (record := self.record(at)) is not None and record.start <= parent.end:
            self.walked += 1
            if self.walked > _MAX_RECORDS:
                raise _damaged(f"more than {_MAX_RECORDS:,} records")
            yield record
            at = record.end

    def descendants(self, parent: _Record, depth: int = 0) -> Iterator[_Record]:
        if depth > _MAX_DEPTH:
            raise _damaged(f"records nested more than {_MAX_DEPTH} deep")
        for record in self.children(parent):
            yield record
            if self._is_container(record):
                yield from self.descendants(record, depth + 1)

    def _is_container(self, record: _Record) -> bool:
        return self.stream[record.start - _HEADER.size] & 0x0F == 0x0F

    # --- Which slides, in which order ------------------------------------------------------------

    def slides(self, current_user: bytes) -> list[_Slide]:
        document = self._document(current_user)
        if document is not None:
            return self._listed_slides(document)
        whole = _Record(-1, 0, 0, len(self.stream))
        if any(record.kind == _CRYPT_SESSION for record in self.children(whole)):
            raise ExtractionError(f"the {_LABEL} is protected with a password")
        found = [
            _Slide(-1, at=record.start - _HEADER.size)
            for record in self.children(whole)
            if record.kind == _SLIDE
        ]
        if not found:
            raise _damaged("no slides found")
        return found

    def _document(self, current_user: bytes) -> _Record | None:
        """The document container the last save names, its persist directory read; None
        without a readable chain of saves."""
        offset = _current_edit(current_user)
        document_id, seen = None, set()
        while offset and offset not in seen and len(seen) < _MAX_EDITS:
            seen.add(offset)
            edit = self.record(offset)
            if edit is None or edit.kind != _USER_EDIT:
                return None
            if edit.end - edit.start >= _ENCRYPTED_EDIT:  # it names the encryption's session
                raise ExtractionError(f"the {_LABEL} is protected with a password")
            last_edit, directory, document_ref = (edit.u32(self.stream, at) for at in (8, 12, 16))
            if document_ref is None:
                return None
            document_id = document_ref if document_id is None else document_id
            self._read_directory(directory)
            offset = last_edit
        document = self.record(self.persist.get(document_id, -1)) if document_id is not None else None
        return document if document is not None and document.kind == _DOCUMENT else None

    def _read_directory(self, offset: int | None) -> None:
        directory = self.record(offset if offset is not None else -1)
        if directory is None or directory.kind != _PERSIST_DIRECTORY:
            return
        at = directory.start
        while at + 4 <= directory.end:
            (entry,) = struct.unpack_from("<I", self.stream, at)
            first, count = entry & 0xFFFFF, entry >> 20
            for index in range(count):
                where = at + 4 + 4 * index
                if where + 4 > directory.end:
                    return
                self.persist.setdefault(first + index, struct.unpack_from("<I", self.stream, where)[0])
            at += 4 + 4 * count

    def _listed_slides(self, document: _Record) -> list[_Slide]:
        slides: list[_Slide] = []
        for listing in self.children(document):
            if listing.kind != _SLIDE_LIST_WITH_TEXT or listing.instance not in (_SLIDE_LIST, _NOTES_LIST):
                continue
            text_type = None
            for record in self.children(listing):
                if record.kind == _SLIDE_PERSIST_ATOM:
                    persist_id, slide_id = record.u32(self.stream, 0), record.u32(self.stream, 12)
                    if persist_id is None:
                        continue
                    if listing.instance == _NOTES_LIST:
                        self.notes_pages[slide_id or 0] = persist_id
                    else:
                        slides.append(_Slide(persist_id))
                elif record.kind == _TEXT_HEADER:
                    text_type = record.u32(self.stream, 0)
                elif record.kind in (_TEXT_CHARS, _TEXT_BYTES) and slides and listing.instance == _SLIDE_LIST:
                    slides[-1].listed.append((text_type or 0, self._text(record)))
        return slides

    # --- A slide's text --------------------------------------------------------------------------

    def slide_text(self, slide: _Slide, budget: Budget) -> str:
        """The slide's title, its other text, an empty line and its notes' text."""
        at = slide.at if slide.at is not None else self.persist.get(slide.persist_id, -1)
        container = self.record(at)
        if container is None or container.kind != _SLIDE:
            texts, notes_id = list(slide.listed), None
        else:
            texts, notes_id = self._texts(container, slide.listed)
            texts += [listed for listed in slide.listed if listed not in texts]
        lines = _lines([text for kind, text in texts if kind in _TITLES], budget)
        lines += _lines([text for kind, text in texts if kind not in _TITLES], budget)
        notes = self._notes_text(notes_id)
        if notes:
            lines += ["", *_lines(notes, budget)]
        return "\n".join(lines).strip("\n")

    def _texts(
        self, container: _Record, listed: list[tuple[int, str]]
    ) -> tuple[list[tuple[int, str]], int | None]:
        """The text boxes' text of a slide or notes page, (type, text) in order, and the id of
        its notes page."""
        texts, notes_id, text_type = [], None, 0
        for record in self.descendants(container):
            if record.kind == _SLIDE_ATOM:
                notes_id = record.u32(self.stream, 16)
            elif record.kind == _TEXT_HEADER:
                text_type = record.u32(self.stream, 0) or 0
            elif record.kind in (_TEXT_CHARS, _TEXT_BYTES):
                texts.append((text_type, self._text(record)))
            elif record.kind == _OUTLINE_TEXT_REF:
                index = record.u32(self.stream, 0)
                if index is not None and index < len(listed):
                    texts.append(listed[index])
        return texts, notes_id

    def _notes_text(self, notes_id: int | None) -> list[str]:
        persist_id = self.notes_pages.get(notes_id) if notes_id else None
        container = self.record(self.persist.get(persist_id, -1)) if persist_id is not None else None
        if container is None or container.kind != _NOTES:
            return []
        texts, _ = self._texts(container, [])
        return [text for kind, text in texts if kind == _NOTES_BODY]

    def _text(self, record: _Record) -> str:
        raw = self.stream[record.start : record.end]
        if record.kind == _TEXT_BYTES:
            return raw.decode("latin-1")
        return raw[: len(raw) // 2 * 2].decode("utf-16-le", "replace")


def _current_edit(current_user: bytes) -> int | None:
    """Where the last save's `UserEditAtom` stands, from the `CurrentUserAtom`."""
    if len(current_user) < 20:  # a record header, its size, a token, then the offset
        return None
    return struct.unpack_from("<I", current_user, 16)[0]


def _lines(texts: list[str], budget: Budget) -> list[str]:
    """The paragraphs of these texts, as lines; "*" alone is a slide number's placeholder."""
    lines = []
    for text in texts:
        for line in _BREAKS.split(text):
            line = line.strip()
            if not line or line == "*":
                continue
            if not budget.take():
                return lines
            lines.append(line)
    return lines
