"""What receipts let us check: OCR splits "71.90" into "71. 90", and a till prints the
cash handed over and the change given back, whose difference is the total."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from extractors.fields.money import Money
from extractors.fields.text import LineIndex

__all__ = ["CONFIRMED", "UNSURE", "check_with_change", "join_split_cents"]

_SPLIT_CENTS = re.compile(r"(?<=\d)(?P<before>[ \t]?)(?P<sep>[.,])(?P<after>[ \t]?)(?P<cents>\d{2})(?!\d)")
# OCR puts the till's ruled borders and specks at the start of a line: "| Change : RM 0.30 |".
_LINE_NOISE = r"[ \t|(\[{:;.,'`~_*-]*"
_PAID_LINE = re.compile(_LINE_NOISE + r"(?:cash|tendered|amount tendered|amount paid|paid|payment)(?![a-z])")
_CHANGE_LINE = re.compile(_LINE_NOISE + r"(?:change|change due|balance returned)(?![a-z])")

CONFIRMED = 1.0  # the total that the cash handed over minus the change given back confirms
UNSURE = 0.4  # a receipt whose total line is unreadable: its subtotal or cash minus change


def join_split_cents(text: str) -> tuple[str, dict[int, int]]:
    """`text` with amounts split around their decimal point joined again ("71. 90" ->
    "71.90 "), same length; and, for each joined amount, where it ends in `text`."""
    moved: dict[int, int] = {}

    def join(match: re.Match[str]) -> str:
        spaces = match.group("before") + match.group("after")
        if spaces:
            moved[match.end() - len(spaces)] = match.end()
        return match.group("sep") + match.group("cents") + spaces

    return _SPLIT_CENTS.sub(join, text), moved


def _line_amount(folded: str, found: list[Money], pattern: re.Pattern[str]) -> Money | None:
    """The last amount on the first line that `pattern` starts, if it reads cleanly
    (with its cents, no leading zero as in the misread "02.60")."""
    lines = LineIndex(folded)
    for money in found:
        if not money.has_cents or re.match(r"0\d", folded[money.start : money.end].lstrip("rm$ ")):
            continue
        line_start, _ = lines.span(money.start)
        if pattern.match(folded, line_start) and not any(
            other.start > money.start and lines.span(other.start)[0] == line_start for other in found
        ):
            return money
    return None


def _one_digit_apart(first: Decimal, second: Decimal) -> bool:
    a, b = f"{first}", f"{second}"
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def check_with_change(
    folded: str, found: list[Money], totals: list[tuple[Money, float]]
) -> list[tuple[Money, float]]:
    """Receipts print the cash handed over and the change given back: their difference
    is the total. It confirms the candidate that equals it, corrects the best candidate
    where OCR misread one digit of it ("37.40" for 57.40), or stands in, unsure, when
    no total line was read."""
    paid = _line_amount(folded, found, _PAID_LINE)
    change = _line_amount(folded, found, _CHANGE_LINE)
    if paid is None or change is None or change.start < paid.start:
        return totals
    due = paid.amount - change.amount
    if due <= 0:
        return totals
    if not totals or all(confidence <= UNSURE for _, confidence in totals):
        return [(dataclasses.replace(paid, amount=due), UNSURE)]  # no total line read
    if any(money.amount == due for money, _ in totals):
        return [(money, CONFIRMED if money.amount == due else confidence) for money, confidence in totals]
    best, _ = max(totals, key=lambda total: total[1])
    if _one_digit_apart(best.amount, due):
        return [*totals, (dataclasses.replace(best, amount=due), CONFIRMED)]
    return totals
