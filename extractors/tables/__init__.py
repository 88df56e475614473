"""Claim tables in documents (insurance loss runs): one record per claim, with its page.

    claim_rows(pages, data=None, day_first=True) -> [TableRow]
    cell_table_rows(tables, day_first=True) -> [TableRow]

Three layouts are read. A table with a header row ("Incident # | Policy # | Loss
Date | ...", `grid`) is read from word positions with pdfplumber, opened only
for the pages whose text shows such a header. Claims written as blocks of
"Label: value" lines (`blocks`) are read from the page text alone. Tables whose
cells are known (spreadsheets, tables of a Word document: `cells`) are read from
their rows of cells, a row naming the columns being the header. Header words
and labels map to canonical keys (`vocabulary.COLUMNS`, French and English);
values get the normal form of their key's kind: identifiers without a leading
"#", ISO dates (month or day first as the table's own dates show), dot-decimal
amounts, negative when printed in parentheses.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractors.tables.blocks import block_rows
from extractors.tables.cells import cell_rows
from extractors.tables.grid import grid_rows, has_header_line
from extractors.tables.labels import RawRow
from extractors.tables.vocabulary import COLUMNS, DETAILS, KINDS, day_first_of, normalise_value
from rpa.models import Page, TableRow

__all__ = ["COLUMNS", "cell_table_rows", "claim_rows", "table_pages"]

_ORDER = [key for key in COLUMNS if key != DETAILS]  # keys of a row, in this order


def table_pages(pages: Sequence[Page]) -> list[int]:
    """Numbers of the pages whose text has a claim table's header line."""
    return [page.number for page in pages if not page.ocr and has_header_line(page.text)]


def claim_rows(pages: Sequence[Page], data: bytes | None = None, *, day_first: bool = True) -> list[TableRow]:
    """The claim records of a document: from its PDF layout (`data`) where pages hold a
    claim table, from its text elsewhere."""
    gridded = table_pages(pages) if data is not None else []
    raw: list[RawRow] = grid_rows(data, gridded) if gridded else []
    done = {page for page, _ in raw}
    raw += block_rows([(page.number, page.text) for page in pages if page.number not in done])
    return _records(raw, day_first)


def cell_table_rows(
    tables: Sequence[tuple[int, Sequence[Sequence[str]]]], *, day_first: bool = True
) -> list[TableRow]:
    """The claim records of tables given as (page number, rows of cells), such as a
    spreadsheet's sheets: each row under a header row naming a claim table."""
    return _records([row for page, rows in tables for row in cell_rows(page, rows)], day_first)


def _records(raw: list[RawRow], day_first: bool) -> list[TableRow]:
    """Raw rows in page order, each value in the normal form of its key."""
    raw.sort(key=lambda row: row[0])
    dates = [value for _, values in raw for key, value in values.items() if KINDS.get(key) == "date"]
    order = day_first_of(dates, day_first)
    rows = []
    for page, values in raw:
        normal = {key: normalise_value(key, values[key], order) for key in _ORDER if key in values}
        rows.append(TableRow(page=page, values={k: v for k, v in normal.items() if v is not None}))
    return rows
