"""Dates as people and documents write them: found by their shape, read into `date`.

Regexes over folded text; month names come from the Unicode CLDR data in babel
(French, English, German, Dutch); the standard library rejects impossible dates.
Which field a date fills is `extractors.fields.dates`' business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from babel.dates import get_day_names, get_month_names

from extractors.fields.text import fold

__all__ = [
    "FoundDate",
    "find_dates",
    "find_relative_dates",
    "find_yearless_dates",
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


# "le 3 mars", "1er avril", "7th of October", "October 7th": a day and a month, and no year after.
_NO_YEAR = r"(?![\s,\-]*(?:\d{4}(?!\d)|\d{2}(?![\dh:])))"
_YEARLESS = re.compile(
    rf"(?<![\d/.\-])(?P<d>\d{{1,2}}){_ORDINAL}[\s\-]*(?:of\s+|de\s+)?(?P<m>{_MONTH}){_NO_YEAR}"
    rf"|(?<![a-z])(?P<m2>{_MONTH})\s*(?P<d2>\d{{1,2}}){_ORDINAL}(?![\d:h]|[\s,]*\d{{4}}(?!\d))"
)


def find_yearless_dates(folded: str, received: date) -> Iterator[FoundDate]:
    """Days written without their year in a mail received on `received`, each the latest
    such day on or before it: a mail tells of what happened, not of what will."""
    months = _month_numbers()
    for match in _YEARLESS.finditer(folded):
        day, month = match.group("d") or match.group("d2"), match.group("m") or match.group("m2")
        for year in (received.year, received.year - 1):
            value = _make_date(year, months[month.rstrip(".")], int(day))
            if value is not None and value <= received:
                yield FoundDate(match.start(), match.end(), value)
                break


# Days named from the day the mail was sent: "hier", "avant-hier", "mardi dernier", "la nuit
# dernière", "il y a deux jours", "yesterday", "last Tuesday", "two days ago", "last night".
_DAYS_BACK = {"hier": 1, "yesterday": 1, "avant hier": 2, "day before yesterday": 2}
_NIGHT_BEFORE = r"(?:la\s+)?nuit\s+derniere|last\s+night"
_COUNTS = {
    **dict.fromkeys(("un", "une", "one", "a"), 1),
    **dict.fromkeys(("deux", "two"), 2),
    **dict.fromkeys(("trois", "three"), 3),
    **dict.fromkeys(("quatre", "four"), 4),
    **dict.fromkeys(("cinq", "five"), 5),
    **dict.fromkeys(("six",), 6),
    **dict.fromkeys(("sept", "seven"), 7),
}
_COUNT = "|".join(sorted(_COUNTS, key=len, reverse=True)) + r"|\d"
_WEEKDAYS = {
    name: number
    for names in (
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    )
    for number, name in enumerate(names)
}
_WEEKDAY = "|".join(_WEEKDAYS)
_RELATIVE = re.compile(
    rf"(?<![a-z\-])(?:(?P<back>avant[\s\-]hier|day\s+before\s+yesterday|hier|yesterday)"
    rf"|(?P<night>{_NIGHT_BEFORE})"
    rf"|il\s+y\s+a\s+(?P<fr_count>{_COUNT})\s+jours?|(?P<en_count>{_COUNT})\s+days?\s+ago"
    # "mardi dernier", "last Tuesday", "on Tuesday" (a mail tells of a day gone by), but not
    # "on Wednesday 7 October", which is a date written whole
    rf"|(?P<fr_day>{_WEEKDAY})\s+dernier|(?:last|on)\s+(?P<en_day>{_WEEKDAY})(?![\s,]*(?:the\s+)?\d))(?![a-z])"
)
# A day of the month alone: "the 14th", "le 14 au soir"; a day and a month in figures: "3/11".
_DAY_ONLY = re.compile(
    r"(?<![a-z])(?:the\s+(?P<en>\d{1,2})(?:st|nd|rd|th)(?![a-z])(?![\s\-]*(?:of\s+)?[a-z]{3})"
    r"|le\s+(?P<fr>\d{1,2}|1er)(?=\s+(?:au\s+(?:soir|matin)|dans\s+la|en\s+(?:fin|debut)|vers\s+\d"
    r"|a\s+\d{1,2}\s*h)))"
    r"|(?<![\w/.\-])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\w/]|[.,]\d)"
)
# "la nuit du 6 au 7 novembre", "the night of 6 to 7 November": the night is the first day's.
_NIGHT_OF = re.compile(
    rf"(?:nuit\s+du|night\s+of(?:\s+the)?)\s+(?P<d>\d{{1,2}}){_ORDINAL}\s*(?:au|to|-|/)\s*"
    rf"(?:the\s+)?\d{{1,2}}{_ORDINAL}[\s\-]*(?:of\s+)?(?P<m>{_MONTH})"
)


def find_relative_dates(folded: str, received: date, day_first: bool = True) -> Iterator[FoundDate]:
    """Days a mail sent on `received` names without writing them whole: "hier", "mardi
    dernier", "il y a deux jours", "le 14 au soir", "3/11", "la nuit du 6 au 7 novembre"
    and the same in English; each is the latest such day on or before `received`."""
    for match in _RELATIVE.finditer(folded):
        yield FoundDate(match.start(), match.end(), received - timedelta(days=_days_back(match, received)))
    for match in _DAY_ONLY.finditer(folded):
        day, month = match.group("en") or match.group("fr") or match.group("d"), match.group("m")
        if month is not None and not day_first:
            day, month = month, day
        value = _latest_day(received, int(day.removesuffix("er")), month)
        if value is not None:
            yield FoundDate(match.start(), match.end(), value)
    for match in _NIGHT_OF.finditer(folded):
        month = str(_month_numbers()[match.group("m").rstrip(".")])
        value = _latest_day(received, int(match.group("d")), month)
        if value is not None:
            yield FoundDate(match.start(), match.end(), value)


def _days_back(match: re.Match[str], received: date) -> int:
    if match.group("back"):
        return _DAYS_BACK[re.sub(r"[\s\-]+", " ", match.group("back"))]
    if match.group("night"):
        return 1
    count = match.group("fr_count") or match.group("en_count")
    if count:
        return int(count) if count.isdigit() else _COUNTS[count]
    weekday = _WEEKDAYS[match.group("fr_day") or match.group("en_day")]
    return (received.weekday() - weekday) % 7 or 7


def _latest_day(received: date, day: int, month: str | None) -> date | None:
    """The latest day `day` (of `month`, else of any month) on or before `received`."""
    if month is not None:
        if not 1 <= int(month) <= 12:
            return None
        for year in (received.year, received.year - 1):
            value = _make_date(year, int(month), day)
            if value is not None and value <= received:
                return value
        return None
    year, number = received.year, received.month
    for _ in range(3):
        value = _make_date(year, number, day)
        if value is not None and value <= received:
            return value
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return None


def normalise_date(text: str, day_first: bool = True) -> date | None:
    """The first valid date written in `text` ("le 14 mars 2025", "14/03/25"), or None."""
    return next((found.value for found in find_dates(fold(text), day_first)), None)
