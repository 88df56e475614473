"""The child process in which xlrd reads one `.xls` (see `extractors.readers.xls`).

Run by path (``python -I xlsworker.py MAX_CELLS MEMORY_BYTES``), so that it imports
nothing but the standard library and xlrd: the workbook comes on standard input, its
cells go out on standard output as JSON, one sheet after another:

    {"datemode": 0, "sheets": [["Sinistres", [[[ctype, value, number format], ...], ...]], ...]}

or ``{"error": "<exception>: <what it said>"}`` when xlrd cannot read it. Cells whose
number format is "General" have none. Empty cells at a row's end are left out, and
no more rows are written once they hold `MAX_CELLS` cells (an empty row counting
one): the parent reads no further than that.

xlrd is pure Python reading a file a stranger sent; some damaged files send it round
a loop that never ends or fills memory (a short-stream chain that points back on
itself). Its address space is limited to `MEMORY_BYTES` before it starts; the parent
holds it to a time limit.
"""

import json
import resource
import sys
from typing import Any

import xlrd  # not inside the try below: xlrd missing here is no damage of the file's

_EMPTY, _BLANK = 0, 6  # xlrd's XL_CELL_EMPTY, XL_CELL_BLANK


class _Discard:
    """Where xlrd's warnings go: its output is ours."""

    def write(self, text: str) -> int:
        return len(text)


def main(max_cells: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    data = sys.stdin.buffer.read()
    try:
        json.dump(_workbook(data, max_cells), sys.stdout)
    except MemoryError:
        json.dump({"error": "MemoryError"}, sys.stdout)
    except Exception as exc:  # noqa: BLE001 - xlrd raises struct, index and its own errors on damaged files
        json.dump({"error": f"{type(exc).__name__}: {exc}"}, sys.stdout)


def _workbook(data: bytes, max_cells: int) -> dict:
    book = xlrd.open_workbook(
        file_contents=data, on_demand=True, ragged_rows=True, formatting_info=True, logfile=_Discard()
    )
    sheets, used = [], 0
    for index, name in enumerate(book.sheet_names()):
        rows: list[list[list]] = []
        sheets.append([name, rows])
        sheet = book.sheet_by_index(index)
        for number in range(sheet.nrows):
            if used > max_cells:
                break
            row = [_cell(book, cell) for cell in sheet.row(number)]
            while row and row[-1][0] in (_EMPTY, _BLANK):
                row.pop()
            rows.append(row)
            used += max(len(row), 1)
        book.unload_sheet(index)
        if used > max_cells:
            break
    return {"datemode": book.datemode, "sheets": sheets}


def _cell(book: Any, cell: Any) -> list:
    number_format = None
    if cell.xf_index is not None and 0 <= cell.xf_index < len(book.xf_list):
        found = book.format_map.get(book.xf_list[cell.xf_index].format_key)
        if found is not None and found.format_str != "General":
            number_format = found.format_str
    return [cell.ctype, cell.value, number_format]


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
