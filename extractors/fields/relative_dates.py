"""Days a mail names from the day it was sent: "hier", "samedi soir", "mardi passé",
"Monday gone", "the night of the 3rd into the 4th", "since Halloween", "la nuit de mardi à
mercredi", "le dimanche 27", "la fuite du 1er", "le lendemain de la Toussaint", and the same
in English ("on Tuesday night", "overnight on 3rd-4th November", "the day after Boxing Day");
"the Tuesday before last" and "mardi de la semaine dernière" are a week further back, and
"ce lundi" after a verb in the past ("je l'ai laissé ce lundi") the Monday gone by. Holidays
of the customer's country ("Thanksgiving Monday") are `national_days`'.

Each is the latest day on or before the mail's date (`received`) that fits the words: a
mail tells of what happened, not of what will. A weekday written with its day ("le dimanche
27") must fall on that weekday, or the words name no day we can be sure of; a night is
dated by its first day. "Ce soir", "tonight", "cet après-midi" name the mail's own day when
it was sent once that part of the day had begun (the hour, when known, says so); a mail sent
in the small hours tells of the evening before. "La veille du 11 novembre", "the day after
the 3rd" move the day they name (`shifted`). Feasts kept on one date everywhere ("le
lendemain de la Toussaint", "Boxing Day") are `feast_days`'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

from extractors.fields.feast_days import find_feast_days
from extractors.fields.national_days import find_national_days
from extractors.fields.written_dates import MONTH, ORDINAL, FoundDate, make_date, month_number

__all__ = ["find_relative_dates", "night_spans", "shifted"]

_WEEKDAYS = {
    name: number
    for names in (
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    )
    for number, name in enumerate(names)
}
_WEEKDAY = "|".join(_WEEKDAYS)
# Written short before a part of the day, as texts are: "fri arvo", "sat night", "tues morning".
_SHORT_WEEKDAYS = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_FR_WEEKDAY = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"

# --- Days counted back from the mail: "hier", "mardi dernier", "samedi soir", "ce matin" ----

_DAYS_BACK = {"hier": 1, "yesterday": 1, "avant hier": 2, "day before yesterday": 2}
_NIGHT_BEFORE = r"(?:la\s+)?nuit\s+derniere|last\s+night|cette\s+nuit"
_NIGHT_BEFORE_LAST = r"(?:the\s+)?night\s+before\s+last|(?:la\s+)?nuit\s+d'avant[\s\-]hier"
# Weeks back: "il y a deux semaines", "two weeks ago", "a fortnight ago", "il y a quinze jours"
# (French counts two weeks as fifteen days, and means fourteen).
_WEEKS_BACK = (
    r"il\s+y\s+a\s+(?P<fr_weeks>{count})\s+semaines?|(?P<en_weeks>{count})\s+weeks?\s+ago"
    r"|(?P<fortnight>(?:a|one)\s+fortnight\s+ago|il\s+y\s+a\s+quinze\s+jours)"
)
_NIGHT_AFTER = re.compile(r"\s+night(?![a-z])")
# "tout à l'heure" is earlier today in a tale ("j'ai eu un accrochage tout à l'heure"); said
# of what is to come ("je passerai tout à l'heure") `date_doubts.ahead` sets it aside.
_EARLIER_TODAY = r"ce\s+matin|this\s+morning|earlier\s+today|plus\s+tot\s+aujourd'hui|tout\s+a\s+l'heure"
# Parts of the mail's own day that may still be to come when it is sent: "cet après-midi",
# "ce soir", "tonight" (not "ce soir-là", which is another day's evening).
_LATER_TODAY = (
    r"(?P<afternoon>cet\s+apres[\s\-]midi|this\s+afternoon)"
    r"|(?P<evening>ce\s+soir(?![\s\-]*la(?![a-z]))|this\s+evening|(?P<tonight>tonight|to-night))"
)
_BEGINS = {"afternoon": 12, "evening": 17}  # the hour from which the part of the day has begun
_SMALL_HOURS = 5  # "tonight", written at 2 a.m., is the night that began the evening before
_COUNTS = {
    **dict.fromkeys(("un", "une", "one", "a"), 1),
    **dict.fromkeys(("deux", "two"), 2),
    **dict.fromkeys(("trois", "three"), 3),
    **dict.fromkeys(("quatre", "four"), 4),
    **dict.fromkeys(("cinq", "five"), 5),
    **dict.fromkeys(("six",), 6),
    **dict.fromkeys(("sept", "seven"), 7),
    **dict.fromkeys(("huit", "eight"), 8),
    **dict.fromkeys(("neuf", "nine"), 9),
    **dict.fromkeys(("dix", "ten"), 10),
    **dict.fromkeys(("onze", "eleven"), 11),
    **dict.fromkeys(("douze", "twelve"), 12),
}
_COUNT = "|".join(sorted(_COUNTS, key=len, reverse=True)) + r"|(?<!\d)\d{1,2}"  # not the 5 of "15 days"
_PART_OF_DAY = (
    r"(?:soir|(?P<night_part>night|nite)|evening|matin|apres[\s\-]midi|morning|afternoon|arvo|aprem"
    r"|lunchtime)"
)
# "samedi soir", "on Tuesday night": a part of a day gone by; not "ce samedi soir", "next
# Tuesday night", "samedi soir prochain", nor a habit ("le samedi soir", "every Friday night");
# whole words only ("opéré en urgence jeudi" is a day gone by).
_UNSPENT = r"(?<!\bce\s)(?<!\ble\s)(?<!\bthis\s)(?<!\bnext\s)(?<!\bevery\s)(?<!\bchaque\s)"
_RELATIVE = re.compile(
    rf"(?<![a-z\-])(?:(?P<back>avant[\s\-]hier|day\s+before\s+yesterday|hier|yesterday)"
    rf"|(?P<night_before_last>{_NIGHT_BEFORE_LAST})|(?P<night>{_NIGHT_BEFORE})"
    rf"|{_WEEKS_BACK.format(count=_COUNT)}"
    rf"|(?P<today>{_EARLIER_TODAY})|{_LATER_TODAY}"
    rf"|il\s+y\s+a\s+(?P<fr_count>{_COUNT})\s+jours?|(?P<en_count>{_COUNT})\s+days?\s+ago"
    rf"|{_UNSPENT}(?:on\s+)?(?P<part_day>{_WEEKDAY}|{'|'.join(_SHORT_WEEKDAYS)})\.?\s+{_PART_OF_DAY}(?![a-z])"
    r"(?!\s+(?:prochain|qui\s+vient))"
    # "mardi dernier", "last Tuesday", "on Tuesday" (a mail tells of a day gone by), but not
    # "on Wednesday 7 October", which is a date written whole
    # "mardi passé", "Monday gone", "Monday last": the same, the word after the day
    rf"|(?P<fr_day>{_WEEKDAY})\s+(?:dernier|passe)(?![a-z])|(?P<en_gone>{_WEEKDAY})\s+(?:gone|last|just\s+gone)(?![a-z])"
    # "the Tuesday before last"; "mardi de la semaine dernière", "Tuesday last week": a week further back
    rf"|(?:ce|this)\s+(?P<this_day>{_WEEKDAY})(?![a-z])(?![\s,]*(?:\d|{MONTH}))"
    rf"|(?:on\s+)?(?:the\s+)?(?P<before_last>{_WEEKDAY})\s+before\s+last(?![a-z])"
    rf"|(?:on\s+)?(?P<last_week>{_WEEKDAY})\s+(?:de\s+la\s+semaine\s+(?:derniere|passee)|(?:of\s+)?last\s+week)(?![a-z])"
    # "la semaine dernière, le jeudi", "last week, on Thursday": the same, the week first
    rf"|(?:la\s+)?semaine\s+(?:derniere|passee)[\s,]+(?:le\s+)?(?P<fr_week_day>{_WEEKDAY})(?![a-z])"
    rf"|last\s+week[\s,]+(?:on\s+)?(?:the\s+)?(?P<en_week_day>{_WEEKDAY})(?![a-z])(?![\s,]*(?:the\s+)?\d)"
    rf"|(?:last|on|this\s+past|this\s+last)\s+(?P<en_day>{_WEEKDAY})(?![\s,]*(?:the\s+)?\d)"
    # "Tuesday's storm", "Tuesday’s storm", and typed in a hurry: "the dent from fridays thing"
    rf"|{_UNSPENT}(?<!last\s)(?P<en_own>{_WEEKDAY})['’]s"
    rf"|(?:(?<=from\s)|(?<=since\s)|(?<=after\s))(?P<en_plain_own>{_WEEKDAY})s(?=\s+[a-z])"
    # "lundi, ma voiture a été volée": a French weekday alone is a day gone by, unless its
    # words make it a habit, a deadline or a day to come ("le lundi", "avant lundi", "dès lundi")
    rf"|{_UNSPENT}(?<!\bles\s)(?<!\bdu\s)(?<!\bau\s)(?<!partir\sde\s)(?<!compter\sde\s)(?<!\bdes\s)(?<!avant\s)"
    r"(?<!\bpour\s)(?<!d'ici\s)"
    rf"(?<!jusqu'a\s)(?P<fr_alone>{_FR_WEEKDAY})(?![a-z])"
    rf"(?![\s,]*(?:\d|{MONTH}|prochain|qui\s+vient|en\s+huit|-|(?:a|au|et)\s+(?:{_FR_WEEKDAY}))))(?![a-z])"
)

# --- A day of the month without its month: "the 14th", "le 14 au soir", "3/11", "du 1er." ----

# Words that may follow "the 14th" in a sentence ("on the 8th and I..."), where a noun would
# make it a rank ("the 5th floor", "my 40th birthday").
_AFTER_A_DAY = (
    r"and|at|in|on|for|with|by|to|during|near|outside|when|while|but|or|around|about|before|after|so"
    r"|as|i|we|he|she|they|it|my|our|the|a|an|from|last|this|which|where|because|morning|evening"
    r"|night|afternoon"
)
_DAY_ONLY = re.compile(
    r"(?<![a-z])(?:(?:the|on)\s+(?P<en>\d{1,2})(?:st|nd|rd|th)(?![a-z])"
    rf"(?=[ \t]*(?:[^a-z\s]|\n|$|(?:{_AFTER_A_DAY})(?![a-z])))"
    r"|(?:le|du)\s+(?P<fr>\d{1,2}|1er)(?=\s+(?:au\s+(?:soir|matin)|dans\s+la|en\s+(?:fin|debut)|vers\s+\d"
    r"|a\s+\d{1,2}\s*h"
    # "pour l'accident du 16 et les photos": joined to something else than another day ("le 16 et le 17")
    rf"|(?:et|mais|puis)\s+(?!(?:le|au|du)\s+\d|\d|(?:{_WEEKDAY})(?![a-z])|{MONTH})"
    # "tombé le 3 en sortant de la voiture", "le 3 quand je suis rentrée", "le 3 sur le parking"
    r"|en\s+[a-z]+ant(?![a-z])|(?:quand|lorsque|pendant|alors|devant)(?![a-z])"
    r"|(?:sur|dans)\s+(?:le|la|les|l'|un|une|mon|ma|mes|notre|son|sa)(?![a-z])))"
    # "la fuite du 1er.", "survenu le 10,", "le 13 (j'ai relu son SMS)": the day ends its clause;
    # "du 1er" is a day anywhere
    r"|(?:du|le)\s+(?P<fr_end>\d{1,2}|1er)(?=[ \t]*(?:[.,;!?()](?!\d)|\n|$))"
    rf"|du\s+(?P<first>1er)(?![a-z])(?![\s\-]*(?:{MONTH}|au\s|a\s))"
    r")"
    # "3/11"; "l'accident du 29.10", "on 03.11": a dot only after "du", "le", "on", before two digits
    r"|(?<![\w/.\-])(?P<d>\d{1,2})(?:/|(?:(?<=\b(?:du|le|on)\s\d)|(?<=\b(?:du|le|on)\s\d\d))\.(?=\d\d))"
    r"(?P<m>\d{1,2})(?![\w/]|[.,]\d|\s*(?:€|eur|chf|\$|£|%))"
)
# "the 28th of last month", "le 3 de ce mois", "le 28 du mois dernier"
_OF_A_MONTH = re.compile(
    r"(?<![a-z])(?:(?:the\s+)?(?P<en>\d{1,2})(?:st|nd|rd|th)?\s+of\s+"
    r"(?:(?P<en_last>last|the\s+previous)|this)\s+month"
    r"|(?:le\s+)?(?P<fr>\d{1,2}|1er)\s+"
    r"(?:du\s+mois\s+(?P<fr_last>dernier|precedent|passe)|de\s+ce\s+mois(?:[\s\-]ci)?|courant))(?![a-z])"
)
# "le dimanche 27", "Tuesday the 3rd": a weekday and its day, with no month (that is a date
# `written_dates` reads) and no hour after.
# A short English name only before an ordinal: "washing machine leak Thurs 1st".
_WEEKDAY_AND_DAY = re.compile(
    rf"(?<![a-z])(?:(?P<weekday>{_WEEKDAY})\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?"
    rf"|(?P<short>{'|'.join(_SHORT_WEEKDAYS)})\.?\s+(?:the\s+)?(?P<short_d>\d{{1,2}})(?:st|nd|rd|th))(?![a-z])"
    rf"(?![\d/:]|[.,]\d|\s*h(?![a-z])|\s*heures?(?![a-z]))(?![\s\-]*(?:of\s+|de\s+)?{MONTH})"
)

# --- Nights, dated by their first day --------------------------------------------------------

# "la nuit du 6 au 7 novembre", "dans la nuit du mardi 3 au mercredi 4", "the night of
# 23rd/24th October", "overnight on 3rd-4th November"
_NIGHT_OF = re.compile(
    rf"(?:nuit\s+du|night\s+of(?:\s+the)?|overnight\s+(?:on\s+)?(?:the\s+)?)\s*"
    rf"(?:(?P<weekday>{_WEEKDAY})\s+)?(?P<d>\d{{1,2}}){ORDINAL}\s*(?:au|to|into|-|/|and)\s*"
    rf"(?:the\s+)?(?:(?:{_WEEKDAY})\s+)?\d{{1,2}}{ORDINAL}(?:[\s\-]*(?:of\s+)?(?P<m>{MONTH})"
    r"(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?)?"  # "the intervening night of 2nd and 3rd November 2026"
)
# "la nuit de jeudi à vendredi", "the night of Tuesday to Wednesday"
# "la nuit de samedi", "samedi dans la nuit", "overnight on Saturday"
_WEEKDAY_NIGHT = re.compile(
    rf"(?:nuit\s+(?:de|du)\s+(?P<fr>{_WEEKDAY})(?:\s+(?:a|au)\s+(?:{_WEEKDAY})|(?![\s,]*\d))"
    rf"|(?P<fr_then>{_WEEKDAY})\s+dans\s+la\s+nuit"
    rf"|(?:night|overnight)\s+(?:of\s+|from\s+|on\s+)?(?P<en>{_WEEKDAY})"
    rf"(?:\s+(?:to|into|-|/)\s*(?:{_WEEKDAY})|(?![\s,]*(?:the\s+)?\d)))(?![a-z])"
)

# --- A day moved from the one it names: "la veille du 11", "the day after the 3rd" ----------

_SHIFTS = {
    "avant veille": -2,
    "veille": -1,
    "lendemain": 1,
    "surlendemain": 2,
    "day before": -1,
    "night before": -1,
    "eve": -1,
    "day after": 1,
    "morning after": 1,
}
_SHIFT = re.compile(
    r"(?<![a-z])(?:(?:la\s+|le\s+|l')?(?P<fr>avant[\s\-]veille|veille|lendemain|surlendemain)\s+(?:du|de|d')"
    r"|(?:the\s+)?(?P<en>day\s+before|day\s+after|night\s+before|morning\s+after|eve\s+of)"
    rf"|(?P<count>{_COUNT})\s+(?:jours?\s+(?P<fr_way>avant|apres)|days?\s+(?P<en_way>before|after))"
    rf")\s*(?:le\s+|the\s+)?(?:(?:{_WEEKDAY})\s+(?:the\s+)?)?$"
)
_SHIFT_REACH = 40


def shifted(folded: str, found: FoundDate) -> FoundDate:
    """The day named by "la veille du 11 novembre", "the day after 3 March", "deux jours
    avant le 5" around `found` (its span then takes in those words), or `found` itself."""
    match = _SHIFT.search(folded, max(0, found.start - _SHIFT_REACH), found.start)
    if match is None:
        return found
    if match.group("count"):
        count = match.group("count")
        days = int(count) if count.isdigit() else _COUNTS[count]
        days = -days if (match.group("fr_way") or match.group("en_way")) in ("avant", "before") else days
    else:
        days = _SHIFTS[re.sub(r"[\s\-]+", " ", match.group("fr") or match.group("en")).removesuffix(" of")]
    night = found.night or (match.group("en") or "").startswith("night")
    return replace(found, start=match.start(), value=found.value + timedelta(days=days), night=night)


def find_relative_dates(
    folded: str, received: date, day_first: bool = True, hour: int | None = None, country: str = ""
) -> Iterator[FoundDate]:
    """Days a mail sent on `received` (at `hour`, when known) names without writing them
    whole, nights first (a night's words hold other shapes: "la nuit du mardi 3 au mercredi
    4"); the holidays it names are those of the customer's `country`."""
    yield from _nights(folded, received)
    yield from find_feast_days(folded, received)
    yield from find_national_days(folded, received, country)
    weekday_and_day = []  # "lundi 23" names no day when the 23rd was no Monday, nor does its "23"
    for match in _WEEKDAY_AND_DAY.finditer(folded):
        weekday_and_day.append(range(match.start(), match.end()))
        weekday = (
            _WEEKDAYS.get(match.group("weekday"))
            if match.group("weekday")
            else _SHORT_WEEKDAYS[match.group("short")]
        )
        value = _latest_day(received, _day(match.group("d") or match.group("short_d")), None)
        if value is not None and value.weekday() == weekday:
            yield FoundDate(match.start(), match.end(), value)
    for match in _RELATIVE.finditer(folded):
        back = _days_back(match, received, hour)
        if back is not None:
            night = bool(
                match.group("night")
                or match.group("night_before_last")
                or match.group("night_part")
                or match.group("tonight")
            )
            night = night or bool(_NIGHT_AFTER.match(folded, match.end()))  # "last Saturday night"
            yield FoundDate(match.start(), match.end(), received - timedelta(days=back), night=night)
    for match in _OF_A_MONTH.finditer(folded):
        year, month = received.year, received.month
        if match.group("en_last") or match.group("fr_last"):
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        value = make_date(year, month, _day(match.group("en") or match.group("fr")))
        if value is not None and value <= received:
            yield FoundDate(match.start(), match.end(), value)
    day_first = _day_first(folded, day_first)
    for match in _DAY_ONLY.finditer(folded):
        if any(match.start() in span or match.end() - 1 in span for span in weekday_and_day):
            continue
        day = match.group("en") or match.group("fr") or match.group("fr_end") or match.group("first")
        day = day or match.group("d")
        month = match.group("m")
        if month is not None and not day_first:
            day, month = month, day
        value = _latest_day(received, _day(day), int(month) if month else None)
        if value is not None:
            yield FoundDate(match.start(), match.end(), value)


def night_spans(folded: str) -> list[tuple[int, int]]:
    """Where a night is named by its two days ("la nuit du 6 au 7 novembre 2026"): the date
    written whole at its end is the night's second day, not a day of its own."""
    return [match.span() for match in _NIGHT_OF.finditer(folded)]


def _nights(folded: str, received: date) -> Iterator[FoundDate]:
    for match in _NIGHT_OF.finditer(folded):
        month = match.group("m")
        if match.group("y"):
            value = make_date(int(match.group("y")), month_number(month), int(match.group("d")))
        else:
            value = _latest_day(received, int(match.group("d")), month_number(month) if month else None)
        weekday = match.group("weekday")
        if value is not None and (weekday is None or value.weekday() == _WEEKDAYS[weekday]):
            yield FoundDate(match.start(), match.end(), value, night=True)
    for match in _WEEKDAY_NIGHT.finditer(folded):
        first = _WEEKDAYS[match.group("fr") or match.group("fr_then") or match.group("en")]
        value = received - timedelta(days=(received.weekday() - first) % 7 or 7)
        yield FoundDate(match.start(), match.end(), value, night=True)


def _day(written: str) -> int:
    return int(written.removesuffix("er"))


def _day_first(folded: str, day_first: bool) -> bool:
    """Whether "3/11" is the 3rd of November: as configured, unless the text holds a day and
    month that can only be read the other way ("9/26") and none that can only be read this way."""
    pairs = [
        (int(match.group("d")), int(match.group("m")))
        for match in _DAY_ONLY.finditer(folded)
        if match.group("d")
    ]
    only_day_first = any(first > 12 >= second for first, second in pairs)
    only_month_first = any(second > 12 >= first for first, second in pairs)
    if only_day_first != only_month_first:
        return only_day_first
    return day_first


# "je l'ai laissé ce lundi", "it was stolen this Monday": a verb in the past, in the clause
# before "ce lundi", makes it the Monday gone by.
_TOLD_AS_PAST = re.compile(
    r"(?<![a-z])(?:(?:j'|l'|m'|t'|qu'|(?:je|tu|il|elle|on|qui|nous|vous|ils|elles|y)\s+)"
    r"(?:ai|as|a|avons|avez|ont|suis|es|est|sommes|etes|sont)\s+(?:[a-z]+\s+)?[a-z]{2,}(?:e|es|ee|ees|is|it|u|us)"
    r"|was|were|had|did|left|went|came|found|saw|got|fell|broke|lost|[a-z]{3,}(?<!e)ed)(?![a-z])[^.;:!?\n]*$"
)
_PAST_REACH = 60

_WEEKDAY_GROUPS = ("fr_day", "en_day", "en_gone", "part_day", "fr_alone", "en_own", "en_plain_own")


def _days_back(match: re.Match[str], received: date, hour: int | None) -> int | None:
    """How many days before the mail's day its words name; None when they name a part of the
    mail's day not yet begun when it was sent ("ce soir" written at 9 a.m.)."""
    later = "afternoon" if match.group("afternoon") else "evening" if match.group("evening") else None
    if later is not None:
        if hour is None or hour >= _BEGINS[later]:
            return 0
        return 1 if later == "evening" and hour < _SMALL_HOURS else None
    if match.group("back"):
        return _DAYS_BACK[re.sub(r"[\s\-]+", " ", match.group("back"))]
    if match.group("night"):
        return 1
    if match.group("night_before_last"):
        return 2
    if match.group("fortnight"):
        return 14
    weeks = match.group("fr_weeks") or match.group("en_weeks")
    if weeks:
        return 7 * (int(weeks) if weeks.isdigit() else _COUNTS[weeks])
    if match.group("today"):
        return 0
    count = match.group("fr_count") or match.group("en_count")
    if count:
        return int(count) if count.isdigit() else _COUNTS[count]
    if match.group("this_day"):
        if not _TOLD_AS_PAST.search(match.string, max(0, match.start() - _PAST_REACH), match.start()):
            return None  # "ce lundi" is as often the Monday to come
        return (received.weekday() - _WEEKDAYS[match.group("this_day")]) % 7
    in_last_week = match.group("last_week") or match.group("fr_week_day") or match.group("en_week_day")
    if in_last_week:
        return received.weekday() + 7 - _WEEKDAYS[in_last_week]
    if match.group("before_last"):
        return ((received.weekday() - _WEEKDAYS[match.group("before_last")]) % 7 or 7) + 7
    named = next(match.group(name) for name in _WEEKDAY_GROUPS if match.group(name))
    weekday = _WEEKDAYS.get(named, _SHORT_WEEKDAYS.get(named, 0))
    return (received.weekday() - weekday) % 7 or 7


def _latest_day(received: date, day: int, month: int | None) -> date | None:
    """The latest day `day` (of `month`, else of any month) on or before `received`."""
    if month is not None:
        if not 1 <= month <= 12:
            return None
        for year in (received.year, received.year - 1):
            value = make_date(year, month, day)
            if value is not None and value <= received:
                return value
        return None
    year, number = received.year, received.month
    for _ in range(3):
        value = make_date(year, number, day)
        if value is not None and value <= received:
            return value
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return None
