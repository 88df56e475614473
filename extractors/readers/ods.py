"""OpenDocument spreadsheets (`.ods`, `.ots`), from LibreOffice and others: a page per
sheet, and the claim rows of sheets with a header row (`extractors.readers.sheets`).

The zip is checked by `open_package` (kind, size, zip bomb); `content.xml` is then
parsed as it is unzipped, row by row, each row dropped once read, so a large
sheet never stands whole in memory. A cell is its text as the spreadsheet shows
it ("1 842,50 €", "12/03/2025"). Repeated rows and cells are expanded within
`limits.max_cells`: the million empty rows LibreOffice stores at a sheet's end
cost one cell, and a row repeated a million times stops at the limit.
"""

from __future__ import annotations

import zipfile

from extractors.readers.base import DocumentText
from extractors.readers.opendocument import (
    TABLE,
    TABLE_NAME,
    TABLE_ROW,
    cells_of_row,
    iter_content,
    repeat_count,
)
from extractors.readers.packages import MAX_UNREAD_ELEMENTS, OfficeKind, OfficeReader
from extractors.readers.sheets import Budget, Sheet, spreadsheet_text

__all__ = ["OdsReader"]

ODS = OfficeKind(
    "ods",
    "OpenDocument spreadsheet",
    (
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet-template",
    ),
    (".ods", ".ots"),
)


class OdsReader(OfficeReader):
    name = "ods"
    packages = ("defusedxml.ElementTree",)
    kind = ODS

    def is_available(self) -> bool:
        return True  # the standard library and defusedxml, a dependency of rpa

    def read(self, filename: str, data: bytes) -> DocumentText:
        budget, notes = Budget(self.limits.max_cells, "cells", "max_cells"), []
        with self.open(data) as archive, self.failures_explained():
            sheets = _read_sheets(archive, budget, notes)
        return spreadsheet_text(sheets, budget, notes, day_first=self.day_first)


def _read_sheets(archive: zipfile.ZipFile, budget: Budget, notes: list[str]) -> list[Sheet]:
    sheets: list[Sheet] = []
    depth = 0  # tables inside a cell are part of that cell
    unread = 0  # elements begun since the last row was let go
    for event, element in iter_content(archive, ODS.label):
        if event == "start":
            unread += 1
            if unread > MAX_UNREAD_ELEMENTS:
                notes.append(
                    f"a row of over {MAX_UNREAD_ELEMENTS:,} XML elements was left out, and what follows it"
                )
                return sheets
        if element.tag == TABLE:
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1:
                sheets.append(Sheet(element.get(TABLE_NAME) or f"Sheet{len(sheets) + 1}"))
            elif event == "end" and depth == 0:
                element.clear()
        elif event == "end" and element.tag == TABLE_ROW and depth == 1:
            cells = cells_of_row(element)
            for _ in range(repeat_count(element) if cells else 1):
                if not budget.take(len(cells)):
                    return sheets
                sheets[-1].rows.append(cells)
            element.clear()
            unread = 0
    return sheets
