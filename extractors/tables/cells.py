"""Claim tables whose cells are already known: spreadsheets, and tables in word processors.

No positions to measure here: a row of cells that names a claim table
(`grid.header_keys`: three columns or more, one of them a claim or policy number)
is the header, each header cell's first phrase its column's key, and every row
under it holding a reference number in one of those columns is a claim. A row
naming a table again starts a new table; a "Details" column of "Label: value"
lines gives its labelled values.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractors.fields.text import fold
from extractors.tables.grid import header_keys
from extractors.tables.labels import RawRow, labelled_values
from extractors.tables.vocabulary import DETAILS, ID_KEYS, column_cues, is_identifier_value

__all__ = ["cell_rows"]

_SEPARATOR = " | "  # never part of a header phrase: cues do not run from one cell into the next


def cell_rows(page: int, rows: Sequence[Sequence[str]]) -> list[RawRow]:
    """One raw row per claim in a table's rows of cells (all on `page`)."""
    found: list[RawRow] = []
    columns: list[str | None] = []
    for cells in rows:
        keys = _header(cells)
        if keys:
            columns = keys
        elif columns:
            values = _values(columns, cells)
            if any(is_identifier_value(values.get(key, "")) for key in ID_KEYS):
                found.append((page, values))
    return found


def _header(cells: Sequence[str]) -> list[str | None]:
    """Each cell's key when the row names a claim table, else []."""
    if not header_keys(_SEPARATOR.join(cells)):
        return []
    return [next((cue.kind for cue in column_cues().finditer(fold(cell))), None) for cell in cells]


def _values(columns: Sequence[str | None], cells: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    details = ""
    for key, cell in zip(columns, cells, strict=False):
        text = cell.strip()
        if key == DETAILS:
            details = text
        elif key is not None and text and key not in values:
            values[key] = text
    return {**labelled_values(details), **values} if details else values
