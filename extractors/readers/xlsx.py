"""Excel workbooks (`.xlsx`, `.xlsm`), read with openpyxl: a page per sheet, and the
claim rows of sheets with a header row (`extractors.readers.sheets`).

openpyxl reads in its read-only mode, which streams each sheet's rows instead of
building the workbook in memory, and gives the values formulas had when the file
was last saved (`data_only`): a formula without one is an empty cell. The size a
sheet declares is ignored (`reset_dimensions`): rows are read as stored, within
`limits.max_cells`. openpyxl parses XML with defusedxml when it is installed, as
it is with rpa.

openpyxl holds a whole row in memory before it gives it, and the shared strings and
styles whole: `_check_parts` first makes sure, by a quick look that holds nothing,
that no row has more cells than Excel has columns and that those parts are of a
size a spreadsheet program writes.

A cell is written as a person sees it, near enough (`sheets.cell_text`): a date as
an ISO date, a number with the decimals and currency symbol of its format ("1842.50 €").
"""

from __future__ import annotations

import importlib.util
import io
import zipfile

from extractors.readers.base import DocumentText
from extractors.readers.packages import MAX_UNREAD_ELEMENTS, OfficeKind, OfficeReader
from extractors.readers.sheets import Budget, Sheet, cell_text, spreadsheet_text, trimmed
from rpa.errors import ExtractionError

__all__ = ["XlsxReader"]

XLSX = OfficeKind(
    "xlsx",
    "Excel workbook",
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel.sheet.macroenabled.12",
    ),
    (".xlsx", ".xlsm"),
)
# Parts openpyxl reads whole (the sheets it streams): 32 MB of shared strings is a
# million different texts, and about 100 MB in memory.
_WHOLE_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml")
_MAX_WHOLE_PART = 32 * 1024 * 1024
_MAX_COLUMNS = 16_384  # Excel's own limit (column XFD)
# SpreadsheetML's namespaces: transitional (what Excel writes) and strict.
_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_ROW_TAGS = frozenset(f"{{{namespace}}}row" for namespace in _NAMESPACES)
_CELL_TAGS = frozenset(f"{{{namespace}}}c" for namespace in _NAMESPACES)


class XlsxReader(OfficeReader):
    name = "xlsx"
    packages = ("openpyxl", "defusedxml.ElementTree")
    kind = XLSX

    def is_available(self) -> bool:
        return importlib.util.find_spec("openpyxl") is not None

    def read(self, filename: str, data: bytes) -> DocumentText:
        budget = Budget(self.limits.max_cells, "cells", "max_cells")
        with self.open(data) as archive, self.failures_explained():
            _check_parts(archive, self.limits.max_cells)  # before openpyxl holds any of them
            sheets = _read_sheets(data, budget)
        return spreadsheet_text(sheets, budget, day_first=self.day_first)


def _check_parts(archive: zipfile.ZipFile, max_cells: int) -> None:
    """Raises `ExtractionError` for a workbook no spreadsheet program wrote, which openpyxl
    would hold in memory whole: parts it reads whole over `_MAX_WHOLE_PART`, a row of
    more cells than Excel has columns, masses of XML outside rows. A sheet is looked at
    no further than the cells that will be read."""
    for name in _WHOLE_PARTS:
        if name in archive.namelist() and archive.getinfo(name).file_size > _MAX_WHOLE_PART:
            megabytes = _MAX_WHOLE_PART // (1024 * 1024)
            raise ExtractionError(f"the {XLSX.label} was not read: its {name} is over {megabytes} MB")
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _check_sheet(archive, name, max_cells)


def _check_sheet(archive: zipfile.ZipFile, name: str, max_cells: int) -> None:
    from defusedxml.ElementTree import iterparse

    cells = row_cells = unread = 0
    row = None
    with archive.open(name) as stream:
        for _, element in iterparse(stream, events=("start",)):  # a row ends where the next begins
            unread += 1
            if element.tag in _ROW_TAGS:
                if row is not None:
                    row.clear()
                row, unread = element, 0
                cells += max(row_cells, 1)
                row_cells = 0
                if cells > max_cells:
                    return
            elif element.tag in _CELL_TAGS:
                row_cells += 1
            if row_cells > _MAX_COLUMNS or unread > MAX_UNREAD_ELEMENTS:
                what = f"over {_MAX_COLUMNS:,} cells" if row_cells > _MAX_COLUMNS else "masses of XML"
                raise ExtractionError(f"the {XLSX.label} was not read: a row of {name} holds {what}")


def _read_sheets(data: bytes, budget: Budget) -> list[Sheet]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()
            sheet = Sheet(worksheet.title)
            for cells in worksheet.iter_rows():
                row = trimmed(cell_text(cell.value, getattr(cell, "number_format", None)) for cell in cells)
                if not budget.take(len(row)):
                    break
                sheet.rows.append(row)
            sheets.append(sheet)
            if budget.exhausted:
                break
        return sheets
    finally:
        workbook.close()
