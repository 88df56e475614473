"""Facts in a text: numbers, amounts, dates, IBANs, references, phones, e-mail addresses.

A generated reply may state only facts that appear in what we gave the model
(the extracted fields, the template draft, the knowledge-base passages). Each
fact-like span is reduced to comparable keys (``num:1842.5``,
``date:2025-03-14``, ``id:AUT45872291``, ``tel:612345678``...) so that
"1 842,50 €", "€1,842.50" and the field value "1842.50" are the same fact, and
"14 mars 2025", "14/03/2025" and "2025-03-14" the same date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["FactSpan", "fact_spans", "support_keys", "unsupported_facts"]

_MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    "décembre": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))

# Alternatives are tried left to right at each position: the most specific first.
_FACT = re.compile(
    rf"""
    (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
    | (?P<iban>\b[A-Z]{{2}}\d{{2}}(?:\ ?[A-Z0-9]{{4}}){{2,7}}(?:\ ?[A-Z0-9]{{1,3}})?\b)
    | (?P<dmy_words>\b(?P<d1>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<m1>{_MONTH})\b(?:\s+(?P<y1>\d{{4}}))?)
    | (?P<mdy_words>\b(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?)
    | (?P<iso>\b(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})\b)
    | (?P<numeric_date>\b(?P<a4>\d{{1,2}})[/.](?P<b4>\d{{1,2}})[/.](?P<y4>\d{{4}}|\d{{2}})\b)
    | (?P<reference>\b(?=[A-Za-z0-9/-]*\d)[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*\b
                    |\b\d+(?:[-/][A-Za-z0-9]+)+\b)
    | (?P<phone>(?:\+\d{{2,3}}[\s.]?(?:\(0\)[\s.]?)?\d|\b0\d)(?:[\s.-]?\d{{2}}){{4}}\b)
    | (?P<number>\b\d{{1,3}}(?:[\s\u00a0\u202f.,]\d{{3}})+(?:[.,]\d{{1,2}})?\b|\b\d+(?:[.,]\d+)?\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class FactSpan:
    text: str
    kind: str
    keys: frozenset[str]


def fact_spans(text: str) -> list[FactSpan]:
    """Every fact-like span of `text`, with the keys it may be matched by."""
    spans = []
    for match in _FACT.finditer(text):
        kind = _outer_group(match)
        keys = _KEYERS[kind](match)
        if keys:
            spans.append(FactSpan(match.group(0).strip(), kind, frozenset(keys)))
    return spans


def support_keys(texts: Iterable[str]) -> frozenset[str]:
    """Every key a fact may be matched by in the supporting texts, with derived forms:
    a full date also supports its day and month alone, and its year."""
    keys: set[str] = set()
    for text in texts:
        for span in fact_spans(text):
            keys |= span.keys
    for key in list(keys):
        if key.startswith("date:") and not key.startswith("date:*"):
            keys.add("date:*" + key[9:])
            keys.add("num:" + key[5:9])
    return frozenset(keys)


def unsupported_facts(text: str, supporting: Iterable[str]) -> list[str]:
    """The fact spans of `text` that none of the supporting texts contains."""
    support = support_keys(supporting)
    return [span.text for span in fact_spans(text) if not span.keys & support]


def _outer_group(match: re.Match[str]) -> str:
    # `lastgroup` names the innermost group that closed last; find the alternative that matched.
    return next(name for name in _KEYERS if match.group(name) is not None)


def _email(match: re.Match[str]) -> set[str]:
    return {"mail:" + match.group(0).lower()}


def _compact(match: re.Match[str]) -> set[str]:
    return {"id:" + re.sub(r"[^A-Za-z0-9]", "", match.group(0)).upper()}


def _reference(match: re.Match[str]) -> set[str]:
    token = match.group(0)
    if re.fullmatch(r"\d+(?:st|nd|rd|th|er|e|eme|ème)", token, re.IGNORECASE):
        return set()  # an ordinal ("1er", "2nd") is wording, not a reference
    return _compact(match)


def _date(year: str | None, month: int, day: str) -> set[str]:
    if not 1 <= month <= 12 or not 1 <= int(day) <= 31:
        return set()
    month_day = f"{month:02d}-{int(day):02d}"
    return {f"date:{year}-{month_day}" if year else f"date:*-{month_day}"}


def _dmy_words(match: re.Match[str]) -> set[str]:
    return _date(match["y1"], _MONTHS[match["m1"].lower()], match["d1"])


def _mdy_words(match: re.Match[str]) -> set[str]:
    return _date(match["y2"], _MONTHS[match["m2"].lower()], match["d2"])


def _iso(match: re.Match[str]) -> set[str]:
    return _date(match["y3"], int(match["m3"]), match["d3"])


def _numeric_date(match: re.Match[str]) -> set[str]:
    year = match["y4"] if len(match["y4"]) == 4 else "20" + match["y4"]
    a, b = match["a4"], match["b4"]
    # 03/04/2025 is 3 April in French and may be March 4 in English: either reading matches.
    return _date(year, int(b), a) | _date(year, int(a), b)


def _phone(match: re.Match[str]) -> set[str]:
    digits = re.sub(r"\D", "", match.group(0))
    return {"tel:" + digits[-9:]} if len(digits) >= 9 else set()


def _number(match: re.Match[str]) -> set[str]:
    value = _decimal(match.group(0))
    if value is None:
        return set()
    if value == value.to_integral_value() and abs(value) < 10 and not re.search(r"[.,]", match.group(0)):
        return set()  # "2 documents", "1." of a list: wording, not a fact to check
    return {"num:" + _plain(value)}


def _decimal(raw: str) -> Decimal | None:
    text = re.sub(r"[\s\u00a0\u202f]", "", raw)
    decimal_part = re.search(r"[.,](\d{1,2})$", text)
    if decimal_part:
        integer = re.sub(r"[.,]", "", text[: decimal_part.start()])
        text = f"{integer}.{decimal_part.group(1)}"
    else:
        text = re.sub(r"[.,]", "", text)  # "1,842" and "1.842" are thousands here
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")  # 1842.50 -> "1842.5", 1.8E+3 -> "1800"


_KEYERS = {
    "email": _email,
    "iban": _compact,
    "dmy_words": _dmy_words,
    "mdy_words": _mdy_words,
    "iso": _iso,
    "numeric_date": _numeric_date,
    "reference": _reference,
    "phone": _phone,
    "number": _number,
}
