"""Dates as people and documents write them: found by their shape, read into `date`.

Regexes over folded text; month names come from the Unicode CLDR data in babel
(French, English, German, Dutch); the standard library rejects impossible dates.
Which field a date fills is `extractors.fields.dates`' business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel.dates import get_day_names, get_month_names

from extractors.fields.text import fold

__all__ = ["FoundDate", "find_dates", "normalise_date", "numeric_date", "weekday_pattern"]

# French and English mail; German and Dutch month names are printed on invoices from abroad.
_LOCALES = ("fr", "en", "de", "nl")
_MIN_PREFIX = 3  # "fév", "sept", "dec": month abbreviations people type, beyond CLDR's own


@cache
def _month_numbers() -> dict[str, int]:
    """Folded month name (wide, abbreviated, and unambiguous prefixes) -> 1..12."""
    names: dict[str, int] = {}
    for locale in _LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, "format", locale).items():
                names.setdefault(fold(name).rstrip("."), number)
    prefixes: dict[str, set[int]] = {}
    for name, number in list(names.items()):
        for length in range(_MIN_PREFIX, len(name)):
            prefixes.setdefault(name[:length], set()).add(number)
    for prefix, numbers in prefixes.items():
        if len(numbers) == 1:
            names.setdefault(prefix, numbers.pop())
    return names


def _month_pattern() -> str:
    return "|".join(sorted(_month_numbers(), key=len, reverse=True))


def weekday_pattern() -> str:
    """Day names, which may stand between a cue and its date ("survenu le lundi 3 mars")."""
    names = {
        fold(name).rstrip(".")
        for locale in _LOCALES
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, locale=locale).values()
    }
    return "|".join(sorted(names, key=len, reverse=True))


_ORDINAL = r"(?:er|re|st|nd|rd|th|eme|e|\.)?"  # "1er", "9th", "7." (German)
_MONTH = rf"(?:{_month_pattern()})\.?(?![a-z])"
_DATE = re.compile(
    # 14 mars 2025, 1er avril 2025, 9th of April 2025, 14-mars-2025
    rf"(?<![\d])(?P<td>\d{{1,2}}){_ORDINAL}[\s\-]*(?:of\s+|de\s+)?(?P<tm>{_MONTH})[\s,\-]*(?P<ty>\d{{4}})(?!\d)"
    # 02/JAN/2017, 24-Mar-18 (receipts)
    rf"|(?<![\d/.\-])(?P<sd>\d{{1,2}})(?P<ssep>[/.\-])(?P<sm>{_MONTH})(?P=ssep)(?P<sy>\d{{4}}|\d{{2}})(?![\d]|[/\-.]\d)"
    # April 9, 2025; Mar 3rd 2025
    rf"|(?P<em>{_MONTH})\s*(?P<ed>\d{{1,2}}){_ORDINAL}(?:\s*,\s*|\s+)(?P<ey>\d{{4}})(?!\d)"
    # 2025-03-14, 2025/03/14
    r"|(?<![\d/.\-])(?P<iy>\d{4})(?P<isep>[\-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?![\d]|[/\-.]\d)"
    # 14/03/2025, 14.03.2025, 14-03-25; receipts glue a label's dash to it ("Date -08/05/18"),
    # and OCR may glue the time to a four-digit year ("29/12/201711:41")
    r"|(?<![\d/.])(?<!\d-)(?P<na>\d{1,2})(?P<nsep>[/.\-])(?P<nb>\d{1,2})(?P=nsep)"
    r"(?:(?P<ny>\d{4}|\d{2})(?![\d]|[/\-]\d|\.\d)|(?P<gy>(?:19|20)\d\d)(?=\d{1,2}:\d\d(?!\d)))"
)
_CENTURY_PIVOT = 70  # "14/03/25" is 2025, "03/07/85" is 1985


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: date


def _make_date(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def numeric_date(first: int, second: int, year: int, day_first: bool) -> date | None:
    day, month = (first, second) if day_first else (second, first)
    found = _make_date(year, month, day)
    if found is None and month > 12:
        # Only an order that cannot be read the configured way is read the other way.
        found = _make_date(year, day, month)
    return found


def _to_date(match: re.Match[str], day_first: bool) -> date | None:
    group = match.group
    months = _month_numbers()
    if group("td"):
        return _make_date(int(group("ty")), months[group("tm").rstrip(".")], int(group("td")))
    if group("em"):
        return _make_date(int(group("ey")), months[group("em").rstrip(".")], int(group("ed")))
    if group("sd"):
        return _make_date(_full_year(int(group("sy"))), months[group("sm").rstrip(".")], int(group("sd")))
    if group("iy"):
        return _make_date(int(group("iy")), int(group("im")), int(group("id")))
    year = _full_year(int(group("ny") or group("gy")))
    return numeric_date(int(group("na")), int(group("nb")), year, day_first)


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    return year + (2000 if year < _CENTURY_PIVOT else 1900)


def find_dates(folded: str, day_first: bool = True) -> Iterator[FoundDate]:
    """Every valid date written in `folded` text, in order."""
    for match in _DATE.finditer(folded):
        value = _to_date(match, day_first)
        if value is not None:
            yield FoundDate(match.start(), match.end(), value)


def normalise_date(text: str, day_first: bool = True) -> date | None:
    """The first valid date written in `text` ("le 14 mars 2025", "14/03/25"), or None."""
    return next((found.value for found in find_dates(fold(text), day_first)), None)
