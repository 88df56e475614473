"""Excel 97-2003 workbooks (`.xls`), read with xlrd: a page per sheet, and the claim
rows of sheets with a header row (`extractors.readers.sheets`), as an `.xlsx` is read.

An `.xls` is an OLE2 compound file, like a Word `.doc` and an Outlook `.msg`; its
`Workbook` stream (`Book` for Excel 5) says it is a workbook (`ole_kind`). That
stream's name is in the file's directory, which Excel writes after the sheets: in
the first bytes of all but the smallest files there is nothing to tell a workbook
from a Word document, so a file is taken for a workbook when its directory says so
or, saying nothing, when it is declared as one (`.xls`, `application/vnd.ms-excel`).

xlrd is pure Python, and a damaged file can send it round a loop that never ends or
fills memory (a 3.6 kB file, found by fuzzing, took 40 s and 1.8 GB). So it reads in
a child process (`xlsworker.py`), as catdoc reads a `.doc`: within
`limits.document_seconds` and `limits.document_mb` of address space (a 20 MB .xls
takes 200). The child
reads one sheet at a time, rows kept as long as they are (a sheet with one cell in
its last row and column is not padded to 65,536 rows of 256 cells), and sends no
more cells than `limits.max_cells`, which the rows are then held to here.

A cell is written as the `.xlsx` reader writes it (`sheets.cell_text`): a date as
an ISO date, a number with the decimals and currency symbol of its format.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from extractors.readers.base import OLE_LABELS, DocumentText, is_ole_of_kind, ole_kind
from extractors.readers.children import run_child
from extractors.readers.deadline import needed_too_much
from extractors.readers.sheets import Budget, Sheet, cell_text, spreadsheet_text, trimmed
from rpa.config import Settings
from rpa.errors import ExtractionError

__all__ = ["XlsReader"]

_LABEL = "Excel 97-2003 workbook"
_TYPES = ("application/vnd.ms-excel", "application/msexcel", "application/x-msexcel", "application/x-excel")
_EXTENSIONS = (".xls", ".xlt")
_WORKER = Path(__file__).with_name("xlsworker.py")
_MAX_DETAIL = 200
# xlrd's cell types (xlrd.XL_CELL_*), as the child sends them.
_TEXT, _NUMBER, _DATE, _BOOLEAN, _ERROR = 1, 2, 3, 4, 5
_ERROR_TEXTS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
}


class XlsReader:
    name = "xls"
    packages = ()  # xlrd, in a subprocess

    def __init__(self, settings: Settings) -> None:
        self.limits = settings.limits
        self.day_first = settings.parsing.day_first

    def is_available(self) -> bool:
        return importlib.util.find_spec("xlrd") is not None

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        return is_ole_of_kind("xls", content_type, head, filename, _TYPES, _EXTENSIONS)

    def read(self, filename: str, data: bytes) -> DocumentText:
        _check_is_workbook(data)
        workbook = self._cells(data)
        budget = Budget(self.limits.max_cells, "cells", "max_cells")
        sheets = []
        for name, rows in workbook["sheets"]:
            sheet = Sheet(name)
            sheets.append(sheet)
            for cells in rows:
                row = trimmed(_cell_text(cell, workbook["datemode"]) for cell in cells)
                if not budget.take(len(row)):
                    break
                sheet.rows.append(row)
            if budget.exhausted:
                break
        return spreadsheet_text(sheets, budget, day_first=self.day_first)

    def _cells(self, data: bytes) -> dict[str, Any]:
        """The workbook's cells as the child process read them; raises `ExtractionError`."""
        seconds = self.limits.document_seconds
        memory = self.limits.document_mb * 1024 * 1024  # bytes of address space the child may use
        command = [sys.executable, "-I", str(_WORKER), str(self.limits.max_cells), str(memory)]
        done = run_child(command, data, seconds, _LABEL, "xlrd")
        try:
            workbook = json.loads(done.stdout)
        except ValueError:  # killed, or gone wrong in a way it could not say: its last words
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = (
                said[-1][:_MAX_DETAIL] if said else f"the child process ended with status {done.returncode}"
            )
            raise ExtractionError(f"the {_LABEL} could not be read: {detail}") from None
        if "error" in workbook:
            raise _unreadable(workbook["error"], self.limits.document_mb)
        return workbook


def _check_is_workbook(data: bytes) -> None:
    """Raises `ExtractionError` for an OLE2 file that says it is something else."""
    kind = ole_kind(data)
    if kind == "encrypted":
        raise ExtractionError(f"the {_LABEL} is protected with a password")
    if kind not in (None, "xls"):
        raise ExtractionError(f"it is not an {_LABEL}: it is {OLE_LABELS[kind]}")


def _unreadable(error: str, megabytes: int) -> ExtractionError:
    """What xlrd raised, in a sentence."""
    if error == "MemoryError":
        return needed_too_much(_LABEL, megabytes)
    if "Workbook is encrypted" in error:  # xlrd's words for a FILEPASS record: a password to open it
        return ExtractionError(f"the {_LABEL} is protected with a password")
    detail = " ".join(error.split())[:_MAX_DETAIL]
    return ExtractionError(f"the {_LABEL} could not be read: it is damaged ({detail})")


def _cell_text(cell: list[Any], datemode: int) -> str:
    kind, value, number_format = cell
    if kind == _TEXT:
        return str(value)
    if kind == _BOOLEAN:
        return cell_text(bool(value), None)
    if kind == _ERROR:
        return _ERROR_TEXTS.get(value, "#ERROR")
    if kind == _DATE:
        try:
            return cell_text(_date(value, datemode), None)
        except (ValueError, OverflowError):
            pass  # before 1900, after 9999, or not a date at all: the number as stored
    if kind in (_NUMBER, _DATE) and isinstance(value, int | float):
        return cell_text(value, number_format)
    return ""  # empty, blank


def _date(value: float, datemode: int) -> Any:
    from xlrd.xldate import xldate_as_datetime

    return xldate_as_datetime(value, datemode)
