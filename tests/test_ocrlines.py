"""Boxes from a text detector put back into printed lines."""

from __future__ import annotations

import math

from extractors.ocrlines import TextBox, lines_from_boxes


def box(x: float, y: float, text: str, *, height: float = 30, angle_degrees: float = 0.0) -> TextBox:
    """A box of `text` (20 px a character) whose top-left corner is at (x, y) on a page
    turned by `angle_degrees` around the origin."""
    width = 20 * len(text)
    corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]
    angle = math.radians(angle_degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    turned = tuple((cx * cos - cy * sin, cx * sin + cy * cos) for cx, cy in corners)
    return TextBox(turned, text)  # type: ignore[arg-type]


def test_boxes_in_any_order_come_out_as_lines_read_left_to_right() -> None:
    boxes = [
        box(600, 200, "RM 24.80"),
        box(40, 40, "KEDAI RUNCIT"),
        box(40, 200, "TOTAL"),
        box(300, 42, "MAJU"),
        box(40, 120, "2 X MILO"),
        box(600, 121, "12.40"),
    ]
    assert lines_from_boxes(boxes) == "KEDAI RUNCIT MAJU\n2 X MILO   12.40\nTOTAL   RM 24.80"


def test_a_label_and_its_amount_far_apart_on_a_tilted_photo_share_their_line() -> None:
    # At 3 degrees the amount 900 px to the right stands 47 px lower: more than a line.
    lines = [("TOTAL", "RM 24.80"), ("CASH", "RM 50.00"), ("CHANGE", "RM 25.20")]
    boxes = []
    for number, (label, amount) in enumerate(lines):
        y = 100 + 40 * number
        boxes += [box(40, y, label, angle_degrees=3), box(940, y, amount, angle_degrees=3)]
    assert lines_from_boxes(reversed(boxes)).splitlines() == [
        "TOTAL   RM 24.80",
        "CASH   RM 50.00",
        "CHANGE   RM 25.20",
    ]


def test_boxes_one_above_the_other_stay_on_their_own_lines() -> None:
    boxes = [box(40, 100, "GOODS SOLD ARE NOT"), box(60, 112, "RETURNABLE")]
    assert lines_from_boxes(boxes) == "GOODS SOLD ARE NOT\nRETURNABLE"


def test_a_narrow_gap_joins_words_with_one_space() -> None:
    assert lines_from_boxes([box(40, 100, "Date:"), box(160, 100, "25/12/2018")]) == "Date: 25/12/2018"


def test_no_boxes_or_empty_ones_give_no_text() -> None:
    assert lines_from_boxes([]) == ""
    assert lines_from_boxes([box(0, 0, "  ")]) == ""


def test_a_fragment_found_inside_a_larger_box_is_dropped() -> None:
    boxes = [
        box(200, 200, "Pièce justificative 3"),
        TextBox(((480, 210), (491, 210), (491, 218), (480, 218)), "7"),
    ]
    assert lines_from_boxes(boxes) == "Pièce justificative 3"
