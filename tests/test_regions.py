"""Connected regions with numpy alone (`extractors.regions`): the same as SciPy's `ndimage`
(installed here with scikit-learn), which rpa's process no longer imports."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from extractors.regions import fill_holes, grow, label


@pytest.mark.parametrize("seed", range(40))
def test_regions_holes_and_growth_are_scipys_on_random_masks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    height, width = (int(side) for side in rng.integers(1, 80, 2))
    mask = rng.random((height, width)) < rng.uniform(0.05, 0.95)
    labels, count = label(mask)
    expected, expected_count = ndimage.label(mask)
    assert count == expected_count
    np.testing.assert_array_equal(labels, expected)  # numbered in the same order too
    np.testing.assert_array_equal(fill_holes(mask), ndimage.binary_fill_holes(mask))
    np.testing.assert_array_equal(grow(mask), ndimage.binary_dilation(mask))


def test_a_winding_path_is_one_region_and_diagonal_neighbours_are_not_joined() -> None:
    path = np.zeros((201, 300), dtype=bool)
    path[::2] = True  # every other row, each joined to the next at alternate ends
    path[1::4, -1] = True
    path[3::4, 0] = True
    labels, count = label(path)
    assert count == 1 and labels[path].min() == 1
    _, count = label(np.eye(5, dtype=bool))
    assert count == 5


def test_an_empty_mask_has_no_region() -> None:
    labels, count = label(np.zeros((3, 4), dtype=bool))
    assert count == 0 and not labels.any()
    assert not fill_holes(np.zeros((3, 4), dtype=bool)).any()
    assert fill_holes(np.ones((3, 4), dtype=bool)).all()
