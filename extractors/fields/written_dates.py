"""Dates as people and documents write them: found by their shape, read into `date`.

Regexes over folded text; month names come from the Unicode CLDR data in babel
(French, English, German, Dutch); the standard library rejects impossible dates.
Days named from the mail's own date ("hier", "samedi soir") are `relative_dates`';
which field a date fills is `extractors.fields.dates`' business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel.dates import get_day_names, get_month_names

from extractors.fields.text import fold

__all__ = [
    "MONTH",
    "ORDINAL",
    "FoundDate",
    "find_dates",
    "find_yearless_dates",
    "make_date",
    "month_number",
    "normalise_date",
    "numeric_date",
    "weekday_pattern",
]

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


def month_number(name: str) -> int:
    """1..12 for a folded month name matched by `MONTH` ("nov.", "novembre", "november")."""
    return _month_numbers()[name.rstrip(".")]


def weekday_pattern() -> str:
    """Day names, which may stand between a cue and its date ("survenu le lundi 3 mars")."""
    names = {
        fold(name).rstrip(".")
        for locale in _LOCALES
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, locale=locale).values()
    }
    return "|".join(sorted(names, key=len, reverse=True))


ORDINAL = r"(?:er|re|st|nd|rd|th|eme|e|\.)?"  # "1er", "9th", "7." (German)
MONTH = rf"(?:{_month_pattern()})\.?(?![a-z])"

# Days written in words: "the fifth of October", "le premier mars", "le cinq octobre".
_EN_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_EN_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth")
_FR_DAYS = (
    "premier deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
).split()
_DAY_WORDS = {
    **{name: number for number, name in enumerate((*_EN_UNITS, *_EN_TEENS), start=1)},
    **{"seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30},
    **{f"twenty {unit}": 21 + index for index, unit in enumerate(_EN_UNITS)},
    "thirty first": 31,
    **{name: number for number, name in enumerate(_FR_DAYS, start=1)},
    **{f"dix {unit}": 17 + index for index, unit in enumerate(("sept", "huit", "neuf"))},
    "vingt": 20,
    "vingt et un": 21,
    **{f"vingt {unit}": 22 + index for index, unit in enumerate(_FR_DAYS[1:9])},
    "trente": 30,
    "trente et un": 31,
}
_DAY_WORD = "|".join(name.replace(" ", r"[\s\-]+") for name in sorted(_DAY_WORDS, key=len, reverse=True))


def _day_number(written: str) -> int:
    """The day of "14", "1er", "fifth", "vingt-deux"."""
    if written[0].isdigit():
        return int(written)
    return _DAY_WORDS[re.sub(r"[\s\-]+", " ", written)]


_DATE = re.compile(
    # 14 mars 2025, 1er avril 2025, 9th of April 2025, 14-mars-2025
    rf"(?<![\d])(?P<td>\d{{1,2}}){ORDINAL}[\s\-]*(?:of\s+|de\s+)?(?P<tm>{MONTH})[\s,\-]*(?P<ty>\d{{4}})(?!\d)"
    # the fifth of October 2026, le cinq octobre 2026
    rf"|(?<![a-z])(?P<wd>{_DAY_WORD})[\s\-]+(?:of\s+|de\s+)?(?P<wm>{MONTH})[\s,\-]*(?P<wy>\d{{4}})(?!\d)"
    # 02/JAN/2017, 24-Mar-18 (receipts)
    rf"|(?<![\d/.\-])(?P<sd>\d{{1,2}})(?P<ssep>[/.\-])(?P<sm>{MONTH})(?P=ssep)(?P<sy>\d{{4}}|\d{{2}})(?![\d]|[/\-.]\d)"
    # April 9, 2025; Mar 3rd 2025
    rf"|(?P<em>{MONTH})\s*(?P<ed>\d{{1,2}}){ORDINAL}(?:\s*,\s*|\s+)(?P<ey>\d{{4}})(?!\d)"
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
    """A date written in a text, where it is written, and whether its words name a night ("la
    nuit du 3 au 4", "last night"): people name a night to tell when something befell them."""

    start: int
    end: int
    value: date
    night: bool = False


def make_date(year: int, month: int, day: int) -> date | None:
    """The day, or None for an impossible one (31 April) or a year no mail speaks of."""
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def numeric_date(first: int, second: int, year: int, day_first: bool) -> date | None:
    day, month = (first, second) if day_first else (second, first)
    found = make_date(year, month, day)
    if found is None and month > 12:
        # Only an order that cannot be read the configured way is read the other way.
        found = make_date(year, day, month)
    return found


def _to_date(match: re.Match[str], day_first: bool) -> date | None:
    group = match.group
    months = _month_numbers()
    if group("td"):
        return make_date(int(group("ty")), months[group("tm").rstrip(".")], int(group("td")))
    if group("wd"):
        return make_date(int(group("wy")), months[group("wm").rstrip(".")], _day_number(group("wd")))
    if group("em"):
        return make_date(int(group("ey")), months[group("em").rstrip(".")], int(group("ed")))
    if group("sd"):
        return make_date(_full_year(int(group("sy"))), months[group("sm").rstrip(".")], int(group("sd")))
    if group("iy"):
        return make_date(int(group("iy")), int(group("im")), int(group("id")))
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


# "le 3 mars", "1er avril", "7th of October", "October 7th": a day and a month, and no year after.
_NO_YEAR = r"(?![\s,\-]*(?:\d{4}(?!\d)|\d{2}(?![\dh:])))"
_YEARLESS = re.compile(
    rf"(?<![\d/.\-])(?P<d>\d{{1,2}}){ORDINAL}[\s\-]*(?:of\s+|de\s+)?(?P<m>{MONTH}){_NO_YEAR}"
    rf"|(?<![a-z])(?P<m2>{MONTH})\s*(?P<d2>\d{{1,2}}){ORDINAL}(?![\d:h]|[\s,]*\d{{4}}(?!\d))"
    rf"|(?<![a-z])(?P<d3>{_DAY_WORD})[\s\-]+(?:of\s+|de\s+)?(?P<m3>{MONTH}){_NO_YEAR}"
)


_UPCOMING_DAYS = 60  # "le 20 décembre" written on 19 November is the coming one, not last year's
_GONE = re.compile(r"[\s,]*(?:dernier|derniere|last)(?![a-z])")


def find_yearless_dates(folded: str, received: date) -> Iterator[FoundDate]:
    """Days written without their year in a mail received on `received`, each the latest
    such day on or before it: a mail tells of what happened, not of what will. A day due
    within the coming weeks is that one, of which a mail cannot tell as past, unless it is
    said to be gone ("le 20 décembre dernier")."""
    months = _month_numbers()
    for match in _YEARLESS.finditer(folded):
        day = _day_number(match.group("d") or match.group("d2") or match.group("d3"))
        month = months[(match.group("m") or match.group("m2") or match.group("m3")).rstrip(".")]
        coming = make_date(received.year, month, day)
        if coming is not None and 0 < (coming - received).days <= _UPCOMING_DAYS:
            if not _GONE.match(folded, match.end()):
                continue
        for year in (received.year, received.year - 1):
            value = make_date(year, month, day)
            if value is not None and value <= received:
                yield FoundDate(match.start(), match.end(), value)
                break


def normalise_date(text: str, day_first: bool = True) -> date | None:
    """The first valid date written in `text` ("le 14 mars 2025", "14/03/25"), or None."""
    return next((found.value for found in find_dates(fold(text), day_first)), None)
