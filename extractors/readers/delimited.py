"""CSV files (`.csv`, `.tsv`; comma, semicolon, tab or bar separated): one page of
rows, and claim rows under a header row (`extractors.readers.sheets`).

French software writes semicolons (the comma is the decimal sign), English
commas, exports often tabs: the separator is sniffed from the first lines (the
standard library's `csv.Sniffer`), else it is the most frequent of those four in
the first line. Quoting is the usual one ("a ""quoted"" cell"). Cells are read
within `limits.max_cells`. A CSV file has no sheets: its page is ``#p1``.
"""

from __future__ import annotations

import csv
import io

from extractors.readers.base import DocumentText, declared_as, plain_text, sniff_format
from extractors.readers.sheets import Budget, Sheet, spreadsheet_text, trimmed
from rpa.config import Settings
from rpa.errors import ExtractionError

__all__ = ["CsvReader"]

_CSV_TYPES = (
    "text/csv",
    "application/csv",
    "text/comma-separated-values",
    "text/x-csv",
    "text/tab-separated-values",
)
_CSV_EXTENSIONS = (".csv", ".tsv")
_SEPARATORS = ";,\t|"
_SAMPLE = 8192  # characters the separator is sniffed from


class CsvReader:
    name = "csv"
    packages = ()

    def __init__(self, settings: Settings) -> None:
        self.limits = settings.limits
        self.day_first = settings.parsing.day_first

    def is_available(self) -> bool:
        return True

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        if sniff_format(head) is not None:
            return False
        return declared_as(content_type, filename, _CSV_TYPES, _CSV_EXTENSIONS)

    def read(self, filename: str, data: bytes) -> DocumentText:
        text = plain_text(filename, data)
        budget = Budget(self.limits.max_cells, "cells", "max_cells")
        sheet = Sheet("")
        try:
            for cells in csv.reader(io.StringIO(text), delimiter=separator_of(text)):
                row = trimmed(cells)
                if not budget.take(len(row)):
                    break
                sheet.rows.append(row)
        except csv.Error as exc:
            raise ExtractionError(f"the CSV file is damaged: {exc}") from exc
        return spreadsheet_text([sheet], budget, day_first=self.day_first)


def separator_of(text: str) -> str:
    """The character that separates a CSV text's cells."""
    sample = text[:_SAMPLE]
    if len(text) > _SAMPLE and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    try:
        return csv.Sniffer().sniff(sample, delimiters=_SEPARATORS).delimiter
    except csv.Error:  # one line, or one column
        first = sample.split("\n", 1)[0]
        return max(_SEPARATORS, key=first.count) if any(c in first for c in _SEPARATORS) else ","
