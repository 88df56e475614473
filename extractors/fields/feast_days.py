"""Feasts kept on one date everywhere, named instead of a date: "le lendemain de la Toussaint",
"Boxing Day", "the day after Christmas", "since Halloween", "on rememberance day".

A feast said alone is one day; "Noël" or "la Toussaint" alone may be a season ("les vacances
de la Toussaint") and is read only after "le jour de", "le lendemain de", "la veille de".
Each is the latest such day on or before the mail's date: a mail tells of what happened.
Holidays that differ from country to country are `national_days`'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from extractors.fields.written_dates import FoundDate

__all__ = ["find_feast_days"]

_FEASTS = {
    "toussaint": (11, 1),
    "noel": (12, 25),
    "nouvel an": (1, 1),
    "jour de l'an": (1, 1),
    "saint sylvestre": (12, 31),
    "armistice": (11, 11),
    "assomption": (8, 15),
    "saint valentin": (2, 14),
    "halloween": (10, 31),
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "boxing day": (12, 26),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "bonfire night": (11, 5),
    "valentine's day": (2, 14),
    "st patrick's day": (3, 17),
    "remembrance day": (11, 11),
    "rememberance day": (11, 11),  # as it is often spelled
}
# A feast said alone is one day; "Noël" or "la Toussaint" alone may be a season ("les
# vacances de la Toussaint"), and is read only as "le jour de", "le lendemain de", "la veille de".
_ONE_DAY_FEASTS = (
    "halloween",
    "saint sylvestre",
    "jour de l'an",
    "christmas day",
    "christmas eve",
    "boxing day",
    "new year's day",
    "new year's eve",
    "bonfire night",
    "valentine's day",
    "st patrick's day",
    "remembrance day",
    "rememberance day",
)


def _feast_key(name: str) -> str:
    """One key for "New Year's Day", "new years day" and "new-year's day"; "St" is "Saint"."""
    return re.sub(r"[^a-z]", "", name.replace("saint", "st"))


_FEAST_KEYS = {_feast_key(name): day for name, day in _FEASTS.items()}


def _feast_pattern(names: list[str] | tuple[str, ...]) -> str:
    def one(name: str) -> str:
        written = re.sub(r"^(?:saint|st) ", r"(?:st\\.?|saint) ", name)
        return written.replace(" ", r"[\s\-]+").replace("'", "'?")

    return "|".join(one(name) for name in sorted(names, key=len, reverse=True))


_FEAST = re.compile(
    r"(?<![a-z])(?:(?:(?P<after>lendemain|day\s+after)|(?P<before>veille|day\s+before)|jour)"
    rf"\s+(?:de\s+la\s+|de\s+l'|de\s+|du\s+|d')?(?P<named>{_feast_pattern(list(_FEASTS))})"
    rf"|(?P<alone>{_feast_pattern(_ONE_DAY_FEASTS)}))(?![a-z])"
)


def find_feast_days(folded: str, received: date) -> Iterator[FoundDate]:
    """The feasts `folded` names, each the latest such day on or before `received`, moved a
    day by "le lendemain de", "la veille de", "the day after"."""
    for match in _FEAST.finditer(folded):
        month, day = _FEAST_KEYS[_feast_key(match.group("named") or match.group("alone"))]
        shift = timedelta(days=1 if match.group("after") else -1 if match.group("before") else 0)
        for year in (received.year, received.year - 1):
            value = date(year, month, day) + shift
            if value <= received:
                yield FoundDate(match.start(), match.end(), value)
                break
