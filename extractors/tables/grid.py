"""Claim tables laid out in columns, read from word positions with pdfplumber.

The header row says which column is which: pdfplumber's table finder gives the
cells' edges when the header is ruled; otherwise the header words do (each
column ends halfway to the next header). Body rows of loss runs are seldom
ruled, so each word below the header goes to the column its centre falls in.

A row is anchored on its claim number (a cell holding a number in the claim
column). Short cells are the lines of their column touching the anchor's line
(a company name wrapped over two lines, centred on the row). A column of
"Label: value" lines ("Incident Details") can be far taller than its row's
anchor and runs over page breaks, so it is read as one stream, cut where its
first label comes back, and its pieces are given to the anchors in order.

pdfplumber is opened only for the pages the caller names, and every page is
closed once read (pdfplumber otherwise keeps each parsed page in memory).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.fields.text import LineIndex, fold
from extractors.tables.labels import RawRow, inline_total, labelled_values
from extractors.tables.vocabulary import DETAILS, ID_KEYS, column_cues, is_identifier_value

__all__ = ["grid_rows", "has_header_line", "header_keys"]

_LINE_TOLERANCE = 2.0  # points: words this close vertically share a line
_CELL_GAP = 0.6  # lines of one cell are closer than this many line heights
_MIN_HEADER_KEYS = 3


@dataclass(frozen=True)
class _Line:
    page: int
    top: float
    bottom: float
    text: str


@dataclass(frozen=True)
class _Column:
    key: str
    x0: float
    x1: float


@dataclass
class _Table:
    anchors: list[tuple[_Line, dict[str, str]]] = field(default_factory=list)
    stream: list[_Line] = field(default_factory=list)


def header_keys(line: str) -> list[str]:
    """The canonical keys a header line names, in order, when it names a claim table
    (at least three columns, one of them a claim or policy number); else []."""
    keys = [cue.kind for cue in column_cues().finditer(fold(line))]
    return keys if _names_a_table(keys) else []


def has_header_line(text: str) -> bool:
    """Whether one line of `text` is a claim table's header (`header_keys`), found with
    one scan of the whole page rather than one per line."""
    folded = fold(text)
    lines = LineIndex(folded)
    per_line: dict[int, list[str]] = {}
    for cue in column_cues().finditer(folded):
        if "\n" not in folded[cue.start : cue.end]:
            per_line.setdefault(lines.span(cue.start)[0], []).append(cue.kind)
    return any(_names_a_table(keys) for keys in per_line.values())


def _names_a_table(keys: list[str]) -> bool:
    return len(set(keys)) >= _MIN_HEADER_KEYS and bool(ID_KEYS.intersection(keys))


def grid_rows(data: bytes, page_numbers: Sequence[int]) -> list[RawRow]:
    """Raw rows of the claim tables on the given pages (1-based) of a PDF."""
    import pdfplumber

    table = _Table()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number in page_numbers:
            page = pdf.pages[number - 1]
            try:
                _read_page(page, number, table)
            finally:
                page.close()
    return _rows(table)


def _read_page(page, number: int, table: _Table) -> None:  # noqa: ANN001 - a pdfplumber Page
    words = page.extract_words()
    found = _ruled_header(page) or _word_header(words)
    if found is None:
        return
    columns, header_bottom = found
    cells: dict[str, list[dict]] = {column.key: [] for column in columns}
    for word in words:
        if word["top"] > header_bottom:
            cells[_column_of(word, columns).key].append(word)
    lines = {key: _lines(found_words, number) for key, found_words in cells.items()}
    table.stream += lines.get(DETAILS, [])
    anchor_key = next(column.key for column in columns if column.key in ID_KEYS)
    for anchor in lines[anchor_key]:
        if is_identifier_value(anchor.text):
            cells = {key: _cell(column, anchor) for key, column in lines.items() if key != DETAILS}
            table.anchors.append((anchor, {key: value for key, value in cells.items() if value}))


def _ruled_header(page) -> tuple[list[_Column], float] | None:  # noqa: ANN001
    """Columns from the first row of a table pdfplumber finds by its rules."""
    for found in page.find_tables():
        first = found.rows[0]
        columns = []
        for bbox, text in zip(first.cells, found.extract()[0], strict=False):
            keys = [cue.kind for cue in column_cues().finditer(fold(text or ""))]
            if bbox is not None and keys:
                columns.append(_Column(keys[0], bbox[0], bbox[2]))
        if _names_claim_table(columns):
            return columns, first.bbox[3]
    return None


def _names_claim_table(columns: list[_Column]) -> bool:
    keys = [column.key for column in columns]
    return len(set(keys)) >= _MIN_HEADER_KEYS and bool(ID_KEYS.intersection(keys))


def _word_header(words: list[dict]) -> tuple[list[_Column], float] | None:
    """Columns from a header line found among the words: each spans halfway to its neighbours."""
    for line in _word_lines(words):
        text, starts = "", []
        for word in line:
            starts.append(len(text))
            text += word["text"] + " "
        cues = list(column_cues().finditer(fold(text)))
        keys = [cue.kind for cue in cues]
        if len(set(keys)) < _MIN_HEADER_KEYS or not ID_KEYS.intersection(keys):
            continue
        centres = []
        for cue in cues:
            inside = [w for w, s in zip(line, starts, strict=True) if cue.start <= s < cue.end]
            centres.append((inside[0]["x0"] + inside[-1]["x1"]) / 2)
        middles = [(a + b) / 2 for a, b in zip(centres, centres[1:], strict=False)]
        bounds = [float("-inf"), *middles, float("inf")]
        columns = [_Column(key, bounds[i], bounds[i + 1]) for i, key in enumerate(keys)]
        return columns, max(word["bottom"] for word in line)
    return None


def _column_of(word: dict, columns: list[_Column]) -> _Column:
    centre = (word["x0"] + word["x1"]) / 2
    for column in columns:
        if column.x0 <= centre < column.x1:
            return column
    return min(columns, key=lambda column: min(abs(centre - column.x0), abs(centre - column.x1)))


def _word_lines(words: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _lines(words: list[dict], page: int) -> list[_Line]:
    return [
        _Line(page, line[0]["top"], max(w["bottom"] for w in line), " ".join(w["text"] for w in line))
        for line in _word_lines(words)
    ]


def _cell(lines: list[_Line], anchor: _Line) -> str:
    """The lines of one column touching the anchor's line: a cell, however it wraps."""
    height = max(anchor.bottom - anchor.top, 1.0)
    near = [i for i, line in enumerate(lines) if abs(line.top - anchor.top) <= height]
    if not near:
        return ""
    first = last = min(near, key=lambda i: abs(lines[i].top - anchor.top))
    while first > 0 and lines[first].top - lines[first - 1].bottom <= _CELL_GAP * height:
        first -= 1
    while last + 1 < len(lines) and lines[last + 1].top - lines[last].bottom <= _CELL_GAP * height:
        last += 1
    return " ".join(line.text for line in lines[first : last + 1])


def _rows(table: _Table) -> list[RawRow]:
    details = _stream_cells(table.stream)
    if len(details) != len(table.anchors):
        details = _details_by_nearest_anchor(table)
    rows = []
    for (anchor, values), cell in zip(table.anchors, details, strict=True):
        merged = {**labelled_values(cell), **inline_total(cell), **values}
        rows.append((anchor.page, merged))
    return rows


def _first_label(text: str) -> str | None:
    head, colon, _ = text.partition(":")
    return head.strip() if colon and 0 < len(head.strip()) <= 30 else None


def _stream_cells(stream: list[_Line]) -> list[str]:
    """The "Label: value" column cut into cells where its first label comes back."""
    label = _first_label(stream[0].text) if stream else None
    if label is None:
        return []
    cells: list[list[str]] = []
    for line in stream:
        if _first_label(line.text) == label or not cells:
            cells.append([])
        cells[-1].append(line.text)
    return [" ".join(cell) for cell in cells]


def _details_by_nearest_anchor(table: _Table) -> list[str]:
    """Without one cell per anchor, each line of the stream goes to the nearest anchor of its page."""
    cells: list[list[str]] = [[] for _ in table.anchors]
    for line in table.stream:
        candidates = [i for i, (anchor, _) in enumerate(table.anchors) if anchor.page == line.page]
        if candidates:
            nearest = min(candidates, key=lambda i: abs(table.anchors[i][0].top - line.top))
            cells[nearest].append(line.text)
    return [" ".join(cell) for cell in cells]
