"""PowerPoint presentations (`.pptx`, `.pptm`, `.ppsx`): a page per slide (``#slide3``),
holding its title, the text of its shapes and tables in the order the slide lists
them, then its speaker notes.

A presentation is a zip of XML parts, checked by `open_package` like every Office
document (kind, size, zip bomb). Its slides are read from the XML itself, with
defusedxml, as the Word and OpenDocument readers do: `ppt/presentation.xml` lists
the slides in their order, each by a relationship naming its part
(`ppt/slides/slideN.xml`), whose own relationships name its notes. A part is read
whole, so none may be over `_MAX_PART_BYTES`; every paragraph and table row counts
against `limits.max_paragraphs`, and slides beyond `limits.max_pages` are left out,
each said in a note. A slide that is missing, too large or not readable XML is left
out saying so, and the others are read; without a readable list of slides, the
presentation is an error. A part is read once, however many slides name it: a file
listing one large slide a thousand times costs what the file holds, no more.

In a slide, shapes hold text frames (`p:sp`), tables (`p:graphicFrame`), or more
shapes (a group, `p:grpSp`). The title comes first whatever its place in the list.
A table row is one line of cells joined by " | ", and every table is also read for
claim rows (`extractors.tables`). Pictures, charts and diagrams are not text.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any

from extractors.readers.base import DocumentText, page_limit_notes
from extractors.readers.packages import OfficeKind, OfficeReader
from extractors.readers.sheets import CELL_SEPARATOR, Budget, trimmed
from extractors.tables import cell_table_rows
from extractors.zipfiles import read_member
from rpa.errors import ExtractionError
from rpa.models import Page

__all__ = ["PptxReader"]

PPTX = OfficeKind(
    "pptx",
    "PowerPoint presentation",
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.slideshow",
        "application/vnd.ms-powerpoint.presentation.macroenabled.12",
    ),
    (".pptx", ".pptm", ".ppsx"),
)
_MAIN_PART = "ppt/presentation.xml"
_MAX_PART_BYTES = 8 * 1024 * 1024  # a slide of text is a few kB; its pictures are parts of their own

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SLIDE_ID, _TREE = f"{_P}sldId", f"{_P}spTree"
_SHAPE, _GROUP, _FRAME = f"{_P}sp", f"{_P}grpSp", f"{_P}graphicFrame"
_TEXT_BODY, _PLACEHOLDER = f"{_P}txBody", f"{_P}ph"
_PARAGRAPH, _RUN_TEXT, _BREAK = f"{_A}p", f"{_A}t", f"{_A}br"
_TABLE, _ROW, _CELL, _CELL_BODY = f"{_A}tbl", f"{_A}tr", f"{_A}tc", f"{_A}txBody"
_ALTERNATE, _CHOICE = f"{_MC}AlternateContent", f"{_MC}Choice"
_TITLES = frozenset({"title", "ctrTitle"})
_NOTES_RELATIONSHIP = "/notesSlide"  # the end of the relationship's type


class PptxReader(OfficeReader):
    name = "pptx"
    packages = ("defusedxml.ElementTree",)
    kind = PPTX

    def is_available(self) -> bool:
        return True  # the standard library and defusedxml, a dependency of rpa

    def read(self, filename: str, data: bytes) -> DocumentText:
        budget = Budget(self.limits.max_paragraphs, "paragraphs and table rows", "max_paragraphs")
        with self.open(data) as archive, self.failures_explained():
            slides = _slide_parts(archive)
            deck = _Deck(archive, budget)
            for number, part in enumerate(slides[: self.limits.max_pages], start=1):
                deck.add_slide(number, part)
                if budget.exhausted:
                    break
        tables = cell_table_rows(deck.tables, day_first=self.day_first)
        notes = (*budget.notes(), *deck.notes, *page_limit_notes(self.limits.max_pages, len(slides)))
        return DocumentText(tuple(deck.pages), notes, tuple(tables))


class _Deck:
    """The slides read so far: a page each, their tables (page, rows) and what was left out."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget) -> None:
        self.archive, self.budget = archive, budget
        self.pages: list[Page] = []
        self.tables: list[tuple[int, list[list[str]]]] = []
        self.notes: list[str] = []
        self.parts_read: set[str] = set()

    def add_slide(self, number: int, part: str | None) -> None:
        """The slide's page: its title, its shapes' text, an empty line, its notes."""
        lines: list[str] = []
        slide = self._xml(part, f"slide {number}")
        if slide is not None:
            shapes = list(_shapes(slide))
            for shape in [*filter(_is_title, shapes), *(shape for shape in shapes if not _is_title(shape))]:
                lines += self._shape_lines(number, shape)
            notes = self._notes(number, part)
            for shape in _shapes(notes) if notes is not None else ():
                if _placeholder(shape) == "body":
                    lines += ["", *self._shape_lines(number, shape)]
        self.pages.append(Page(number, "\n".join(lines).strip("\n"), slide=True))

    def _shape_lines(self, number: int, shape: Any) -> list[str]:
        lines = []
        if shape.tag == _SHAPE:
            body = shape.find(_TEXT_BODY)
            for paragraph in body.iter(_PARAGRAPH) if body is not None else ():
                if not self.budget.take():
                    break
                lines.append(_text_of(paragraph))
        else:  # a graphic frame: a table, or a chart or diagram without text of its own
            for table in shape.iter(_TABLE):
                rows = []
                for row in table.iter(_ROW):
                    if not self.budget.take():
                        break
                    rows.append(trimmed(_cell_text(cell) for cell in row.iter(_CELL)))
                lines += [CELL_SEPARATOR.join(row) for row in rows if any(row)]
                self.tables.append((number, rows))
        return [line for line in lines if line.strip()]

    def _notes(self, number: int, slide: str) -> Any | None:
        """The slide's notes part parsed, or None: it has none, or they cannot be read (a note)."""
        what = f"the notes page of slide {number}"
        try:
            part = _notes_part(self.archive, slide)
        except ExtractionError as exc:
            self.notes.append(f"{what} was left out: {exc.reason}")
            return None
        return None if part is None else self._xml(part, what)

    def _xml(self, part: str | None, what: str) -> Any | None:
        """The part parsed, or None when it cannot be (missing, too large, not XML), which
        a note says: one damaged slide does not cost the others."""
        if part is None or part not in self.archive.namelist():
            self.notes.append(f"{what} is missing from the file")
            return None
        if part in self.parts_read:  # each part read once: what a file holds bounds what it costs
            self.notes.append(f"{what} was left out: it is {part} again")
            return None
        self.parts_read.add(part)
        try:
            return _parsed(self.archive, part)
        except ExtractionError as exc:
            self.notes.append(f"{what} was left out: {exc.reason}")
            return None


def _slide_parts(archive: zipfile.ZipFile) -> list[str | None]:
    """The part of each slide, in the presentation's order (None for one it does not name);
    raises `ExtractionError` when the parts that list them cannot be read."""
    try:
        presentation = _parsed(archive, _MAIN_PART)
        targets = _relationships(archive, _MAIN_PART)
    except ExtractionError as exc:
        raise ExtractionError(f"the {PPTX.label} could not be read: {exc.reason}") from exc
    found = (targets.get(slide.get(f"{_R}id", "")) for slide in presentation.iter(_SLIDE_ID))
    return [None if target is None else target[0] for target in found]


def _notes_part(archive: zipfile.ZipFile, slide: str) -> str | None:
    targets = _relationships(archive, slide).values()
    return next((target for target, kind in targets if kind.endswith(_NOTES_RELATIONSHIP)), None)


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships within the file: id -> (the part it names, its type)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return {}
    found = {}
    for relationship in _parsed(archive, rels).iter(_RELATIONSHIP):
        if relationship.get("TargetMode") == "External":
            continue
        target = relationship.get("Target", "")
        target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[relationship.get("Id", "")] = (target, relationship.get("Type", ""))
    return found


def _parsed(archive: zipfile.ZipFile, name: str) -> Any:
    """A part's XML, parsed without entities or references to other files (defusedxml);
    raises `ExtractionError` for one too large or not readable."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    member = archive.getinfo(name)
    if member.file_size > _MAX_PART_BYTES:
        raise ExtractionError(f"its {name} is over {_MAX_PART_BYTES // (1024 * 1024)} MB of XML")
    try:
        return fromstring(read_member(archive, member))
    except DefusedXmlException as exc:
        reason = f"its {name} declares XML entities, which rpa refuses to expand ({type(exc).__name__})"
        raise ExtractionError(reason) from exc
    except ParseError as exc:
        raise ExtractionError(f"its {name} is not readable XML ({exc})") from exc


def _shapes(part: Any) -> Iterator[Any]:
    """The shapes with text of a slide, groups opened, in the order the slide lists them."""
    tree = part.find(f"{_P}cSld/{_TREE}")
    yield from _shapes_in(tree) if tree is not None else ()


def _shapes_in(container: Any) -> Iterator[Any]:
    for child in container:
        if child.tag in (_SHAPE, _FRAME):
            yield child
        elif child.tag == _GROUP:
            yield from _shapes_in(child)
        elif child.tag == _ALTERNATE:  # the first choice; the fallback says the same again
            choice = child.find(_CHOICE)
            yield from _shapes_in(choice) if choice is not None else ()


def _placeholder(shape: Any) -> str | None:
    """The kind of placeholder a shape is ("title", "body", ...), or None for another shape."""
    placeholder = next(shape.iter(_PLACEHOLDER), None)
    return None if placeholder is None else placeholder.get("type", "obj")  # the schema's default


def _is_title(shape: Any) -> bool:
    return _placeholder(shape) in _TITLES


def _text_of(paragraph: Any) -> str:
    return "".join(
        (element.text or "") if element.tag == _RUN_TEXT else "\n"
        for element in paragraph.iter()
        if element.tag in (_RUN_TEXT, _BREAK)
    )


def _cell_text(cell: Any) -> str:
    body = cell.find(_CELL_BODY)
    return " ".join(_text_of(paragraph) for paragraph in body.iter(_PARAGRAPH)) if body is not None else ""
