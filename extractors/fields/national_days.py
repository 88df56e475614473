"""Public holidays of the customer's country, named instead of a date: "on Veterans Day",
"Thanksgiving Monday", "le jour de la fête nationale", "on Mashujaa Day".

Many names belong to one country only ("Gandhi Jayanti", "Mashujaa Day", "Waitangi Day")
and are read in any mail. Others are days of several countries, on different dates:
"Independence Day" is the 4th of July in the United States and the 1st of October in
Nigeria, Thanksgiving falls in October in Canada and in November in the United States,
"la fête nationale" is the 14th of July in France and the 21st in Belgium. Those are read
only where the mail says which country its customer lives in (`TextSource.country`, see
`residence`), and name no day elsewhere.

Each is the latest such day on or before the mail's date: a mail tells of what happened.
Feasts that every country keeps on one date (Christmas, Halloween) are `feast_days`'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from extractors.fields.written_dates import FoundDate

__all__ = ["find_national_days"]

_ANY = "*"  # a holiday of one country only: read whatever the mail's country

# A day of a month, or the nth weekday of a month (Monday is 0; -1: the last one).
_Fixed = tuple[int, int]
_Nth = tuple[int, int, int]

_FIXED: dict[str, dict[str, _Fixed]] = {
    "independence day": {"US": (7, 4), "NG": (10, 1), "IN": (8, 15), "KE": (12, 12)},
    "veterans day": {_ANY: (11, 11)},
    "juneteenth": {_ANY: (6, 19)},
    "canada day": {_ANY: (7, 1)},
    "waitangi day": {_ANY: (2, 6)},
    "anzac day": {_ANY: (4, 25)},
    "australia day": {_ANY: (1, 26)},
    "gandhi jayanti": {_ANY: (10, 2)},
    "republic day": {"IN": (1, 26)},
    "mashujaa day": {_ANY: (10, 20)},
    "jamhuri day": {_ANY: (12, 12)},
    "madaraka day": {_ANY: (6, 1)},
    "democracy day": {"NG": (6, 12)},
    "national day": {"SG": (8, 9), "HK": (10, 1)},
    "st stephen's day": {"IE": (12, 26)},
    "fete nationale": {"FR": (7, 14), "BE": (7, 21), "CH": (8, 1), "LU": (6, 23)},
    "fete du travail": {"FR": (5, 1), "BE": (5, 1), "CH": (5, 1), "LU": (5, 1)},
    "fete de la victoire": {"FR": (5, 8)},
}
_NTH_WEEKDAY: dict[str, dict[str, _Nth]] = {
    "thanksgiving": {"US": (11, 3, 4), "CA": (10, 0, 2)},
    "labor day": {"US": (9, 0, 1), "CA": (9, 0, 1)},
    "labour day": {"US": (9, 0, 1), "CA": (9, 0, 1), "NZ": (10, 0, 4)},
    "memorial day": {"US": (5, 0, -1)},
    "columbus day": {"US": (10, 0, 2)},
    "martin luther king day": {"US": (1, 0, 3)},
    "presidents day": {"US": (2, 0, 3)},
    "civic holiday": {"CA": (8, 0, 1)},
    "family day": {"CA": (2, 0, 3)},
    "fete du travail": {"CA": (9, 0, 1)},
}
# Other ways to write the same names: "Thanksgiving Day", "Thanksgiving Monday", "Veterans' Day",
# "Labor Day weekend" (the Monday), "le jour de la fête nationale".
_SUFFIX = r"(?:[\s\-]+(?:day|monday|thursday|weekend))?"
_VARIANTS = {"mlk day": "martin luther king day", "fete de la victoire 1945": "fete de la victoire"}


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.replace("saint", "st"))


_NAMES = {_key(name): name for name in (*_FIXED, *_NTH_WEEKDAY)} | {
    _key(variant): name for variant, name in _VARIANTS.items()
}


def _pattern(name: str) -> str:
    """ "st stephen's day" -> "(?:st\\.?|saint)[\\s\\-]+stephen'?s'?[\\s\\-]+day": any apostrophe."""
    words = []
    for number, word in enumerate(name.split()):
        if number == 0 and word == "st":
            words.append(r"(?:st\.?|saint)")
        elif word.rstrip("'").endswith("s") and name.endswith(" day"):
            words.append(re.escape(word.replace("'", "").removesuffix("s")) + "'?s'?")
        else:
            words.append(re.escape(word).replace("'", "'?"))
    return r"[\s\-]+".join(words)


_ALL_NAMES = sorted({*_NAMES.values(), *_VARIANTS}, key=len, reverse=True)
_NATIONAL_DAY = re.compile(rf"(?<![a-z])(?P<name>{'|'.join(map(_pattern, _ALL_NAMES))}){_SUFFIX}(?![a-z])")


def find_national_days(folded: str, received: date, country: str) -> Iterator[FoundDate]:
    """The holidays `folded` names, each as its latest day on or before `received`, read as
    the days of the customer's `country` ("" when the mail does not say)."""
    for match in _NATIONAL_DAY.finditer(folded):
        name = _NAMES.get(_key(match.group("name")))
        if name is None:
            continue
        value = _latest(name, received, country)
        if value is not None:
            yield FoundDate(match.start(), match.end(), value)


def _latest(name: str, received: date, country: str) -> date | None:
    for year in (received.year, received.year - 1):
        value = _day_in(name, year, country)
        if value is not None and value <= received:
            return value
    return None


def _day_in(name: str, year: int, country: str) -> date | None:
    fixed = _FIXED.get(name, {})
    nth = _NTH_WEEKDAY.get(name, {})
    if country in fixed or (_ANY in fixed and not nth):
        month, day = fixed.get(country) or fixed[_ANY]
        return date(year, month, day)
    if country in nth:
        return _nth_weekday(year, *nth[country])
    return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    if nth < 0:
        after = date(year + month // 12, month % 12 + 1, 1)
        last = after - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
