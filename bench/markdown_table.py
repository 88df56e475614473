"""The benchmarks' tables, printed in Markdown so that they paste into the README as they are."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["print_markdown_table"]


def print_markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """The header row, its rule, then one line per row; cells are printed with `str`."""
    print(_line(header))
    print("|---" * len(header) + "|")
    for row in rows:
        print(_line(row))


def _line(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"
