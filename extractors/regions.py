"""Connected regions of a mask, with numpy alone: what Tesseract's page preparation needs
to find a dark surround (`extractors.tesseract`).

SciPy's `ndimage` did this, but importing it (with `scipy.special`, which it imports) took
27 MB in rpa's process, which reads every scanned picture: a third of what the run's
process holds besides its models. These functions give the same regions as
`ndimage.label`, `binary_fill_holes` and `binary_dilation` with their default structure
(a pixel touches the four beside it):

- `label` finds the runs of set pixels in each row, joins a run to the runs of the row
  above that it overlaps, and merges joined runs into regions by hooking each region onto
  its smallest neighbour and following the hooks to their end, all in whole-array steps;
  the number of rounds grows with the logarithm of the runs, not with their count. On a
  1,200-pixel page it takes a few milliseconds (a dense page of print, 30 ms).
- `fill_holes` sets what the unset pixels that do not reach the edge cover;
- `grow` sets the pixels beside a set one.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fill_holes", "grow", "label"]


def label(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """The regions of `mask` (2-D, boolean): an array of the same shape numbering each
    region's pixels from 1, in the order of their first pixel row by row, 0 elsewhere;
    and how many there are."""
    height, width = mask.shape
    labels = np.zeros((height, width), dtype=np.int32)
    rows, starts, ends = _runs(mask)
    if not len(rows):
        return labels, 0
    above, below = _touching_runs(rows, starts, ends, width)
    roots = _merged(len(rows), above, below)
    _, region = np.unique(roots, return_inverse=True)  # roots are each region's first run
    lengths = ends - starts
    first = np.repeat(rows * width + starts - np.cumsum(lengths) + lengths, lengths)
    labels.ravel()[first + np.arange(lengths.sum())] = np.repeat(region + 1, lengths)
    return labels, int(region.max()) + 1


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """`mask` with its holes set: the unset regions that do not reach the edge."""
    outside, count = label(~mask)
    if not count:
        return mask.copy()
    edge = np.concatenate([outside[0], outside[-1], outside[:, 0], outside[:, -1]])
    reaching = np.zeros(count + 1, dtype=bool)
    reaching[edge] = True
    reaching[0] = False  # the mask itself
    return ~reaching[outside]


def grow(mask: np.ndarray) -> np.ndarray:
    """`mask` with the pixels above, below, left and right of each set pixel set too."""
    grown = mask.copy()
    grown[1:] |= mask[:-1]
    grown[:-1] |= mask[1:]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    return grown


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The runs of set pixels, row by row and left to right: each run's row, first column
    and the column after its last."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    return rows.astype(np.int64), starts.astype(np.int64), ends.astype(np.int64)


def _touching_runs(
    rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of runs in rows one above the other that share a column: (above, below).
    The runs are in order, so those of the row above that a run touches are consecutive:
    from the first that ends after it starts to the last that starts before it ends."""
    stride = width + 1  # keys in row order: the row, then the column
    row_above = (rows - 1) * stride
    first = np.searchsorted(rows * stride + ends, row_above + starts, side="right")
    after = np.searchsorted(rows * stride + starts, row_above + ends, side="left")
    counts = np.maximum(after - first, 0)
    below = np.repeat(np.arange(len(rows)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(first, counts) + offsets, below


def _merged(count: int, above: np.ndarray, below: np.ndarray) -> np.ndarray:
    """For each of `count` runs, the smallest run of its region, the pairs `above` and
    `below` joining runs: each round hooks every region's root onto the smallest root it
    touches, then points every run straight at its root."""
    parent = np.arange(count)
    while len(above):
        left, right = parent[above], parent[below]
        if (left == right).all():
            return parent
        np.minimum.at(parent, np.maximum(left, right), np.minimum(left, right))
        while True:  # follow the hooks: a root hooked in this round may point at another
            onward = parent[parent]
            if (onward == parent).all():
                break
            parent = onward
    return parent
