"""Lines of text from the boxes a text detector finds, as a page prints them.

A detector-and-recogniser OCR (RapidOCR) returns one box per stretch of words,
in no useful order: a receipt's "TOTAL" and its "RM 14.10" far to the right
are two boxes. The field parsers read lines, so boxes are put back into the
lines they were printed on, left to right.

A photographed page is rarely straight: on a receipt tilted by 2 degrees the
amount at the right edge sits a whole line higher than its label at the left.
The boxes themselves say how the print runs (the slope of their top edges), so
their centres are turned back by the median slope before they are grouped.

A box that lies within a larger one is a fragment the detector found twice (a
stroke of a letter read as "7") and is dropped.

Two boxes are on one line when their turned-back centres are less than half a
line apart and they do not overlap side by side. A wide gap between two boxes
(more than three characters) is kept as three spaces, the way a column break
shows in `pdftotext -layout`; other boxes are joined by one space.

`placed_lines` also says where each box's text went in the lines, so that a value
read from them can be drawn on the picture.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["PlacedBox", "TextBox", "lines_from_boxes", "placed_lines"]

Point = tuple[float, float]

_SAME_LINE = 0.5  # of the lower box's height between centres
_OVERLAP = 0.3  # of the narrower box's width: more side-by-side overlap is another line
_WIDE_GAP = 3.0  # characters
_COLUMN_BREAK = "   "
_RECENT_LINES = 4  # a box is matched against the last few lines only (they are sorted)
_NESTED = 0.8  # of a box's area inside a larger box: a fragment found twice, dropped


@dataclass(frozen=True)
class TextBox:
    """One recognised stretch of text: its corners clockwise from the top left."""

    corners: tuple[Point, Point, Point, Point]
    text: str

    @property
    def slope(self) -> float:
        (x0, y0), (x1, y1) = self.corners[0], self.corners[1]
        return math.atan2(y1 - y0, x1 - x0)

    @property
    def width(self) -> float:
        return math.dist(self.corners[0], self.corners[1])

    @property
    def height(self) -> float:
        return math.dist(self.corners[0], self.corners[3])


@dataclass(frozen=True)
class PlacedBox:
    """A box whose text is `text[start:end]` of the lines `placed_lines` made."""

    start: int
    end: int
    box: TextBox


@dataclass
class _Placed:
    box: TextBox
    left: float
    right: float
    top: float
    bottom: float
    height: float

    @property
    def middle(self) -> float:  # turned-back centre height
        return (self.top + self.bottom) / 2

    def inside(self, other: _Placed) -> bool:
        """Whether most of this box lies within `other`, a larger one."""
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        area = (self.right - self.left) * (self.bottom - self.top)
        return (
            width > 0
            and height > 0
            and width * height >= _NESTED * area
            and area < ((other.right - other.left) * (other.bottom - other.top))
        )


def lines_from_boxes(boxes: Iterable[TextBox]) -> str:
    """The boxes' texts as lines, top to bottom, each read left to right."""
    return placed_lines(boxes)[0]


def placed_lines(boxes: Iterable[TextBox]) -> tuple[str, list[PlacedBox]]:
    """The lines of `lines_from_boxes`, and where each box kept in them stands."""
    boxes = [box for box in boxes if box.text.strip()]
    if not boxes:
        return "", []
    placed = _turned_back(boxes, _skew(boxes))
    placed = sorted(
        (item for item in placed if not any(item.inside(other) for other in placed if other is not item)),
        key=lambda item: item.middle,
    )
    lines: list[list[_Placed]] = []
    for item in placed:
        line = _line_for(item, lines[-_RECENT_LINES:])
        if line is None:
            lines.append([item])
        else:
            line.append(item)
    text, placed_boxes = "", []
    for number, line in enumerate(lines):
        text = _join(sorted(line, key=lambda item: item.left), text + ("\n" if number else ""), placed_boxes)
    return text, placed_boxes


def _skew(boxes: Sequence[TextBox]) -> float:
    """The median slope of the boxes long enough to show one (a word, not a digit)."""
    slopes = [box.slope for box in boxes if box.width >= 2 * box.height > 0]
    return statistics.median(slopes) if slopes else 0.0


def _turned_back(boxes: Sequence[TextBox], angle: float) -> list[_Placed]:
    cos, sin = math.cos(angle), math.sin(angle)
    placed = []
    for box in boxes:
        xs = [cos * x + sin * y for x, y in box.corners]
        ys = [cos * y - sin * x for x, y in box.corners]
        placed.append(_Placed(box, min(xs), max(xs), min(ys), max(ys), max(box.height, 1.0)))
    return placed


def _line_for(item: _Placed, lines: Sequence[list[_Placed]]) -> list[_Placed] | None:
    """The nearest recent line `item` belongs to, if any."""
    best, best_distance = None, math.inf
    for line in lines:
        middle = statistics.fmean(other.middle for other in line)
        height = statistics.fmean(other.height for other in line)
        distance = abs(item.middle - middle)
        if distance >= _SAME_LINE * min(height, item.height) or any(_overlaps(item, other) for other in line):
            continue
        if distance < best_distance:
            best, best_distance = line, distance
    return best


def _overlaps(a: _Placed, b: _Placed) -> bool:
    shared = min(a.right, b.right) - max(a.left, b.left)
    return shared > _OVERLAP * min(a.right - a.left, b.right - b.left)


def _join(line: Sequence[_Placed], text: str, placed: list[PlacedBox]) -> str:
    """`text` followed by one line's boxes (sorted left to right); each box's place goes to `placed`."""
    for index, item in enumerate(line):
        if index:
            before = line[index - 1]
            character = (before.right - before.left) / max(len(before.box.text), 1)
            wide = item.left - before.right > _WIDE_GAP * character
            text += _COLUMN_BREAK if wide else " "
        words = item.box.text.strip()
        placed.append(PlacedBox(len(text), len(text) + len(words), item.box))
        text += words
    return text
