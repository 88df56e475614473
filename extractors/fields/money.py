"""Money as printed: a number with its currency, in the forms French, English and
German documents use ("1 842,50 €", "€1,842.50", "GBP 286.40", "1.234,56 EUR").

Currency symbols and names come from babel's locale data, not a hand-written table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.core import UnknownLocaleError
from babel.numbers import get_currency_name, get_currency_symbol, get_territory_currencies

__all__ = [
    "CFA_FRANCS",
    "ISO_CODES",
    "Money",
    "currency_code",
    "find_money",
    "local_currency",
    "parse_amount",
]

# ISO codes recognised when printed in capitals next to a number. Not every ISO 4217
# code: PEN, GEL, TOP, ALL and BOB are also words printed in capitals on receipts.
ISO_CODES = (
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "CAD",
    "AUD",
    "NZD",
    "JPY",
    "CNY",
    "HKD",
    "SGD",
    "INR",
    "ZAR",
    "SEK",
    "NOK",
    "DKK",
    "ISK",
    "PLN",
    "CZK",
    "HUF",
    "RON",
    "BGN",
    "MAD",
    "TND",
    "DZD",
    "XOF",
    "XAF",
    "KES",
    "NGN",
    "XPF",
    "BRL",
    "MXN",
    "MYR",
)
# First wins: "$" is USD. ms_MY gives "RM", printed on Malaysian receipts of the SROIE set.
_SYMBOL_LOCALES = ("en_US", "en_GB", "fr_FR", "fr_CH", "de_CH", "en_CA", "en_AU", "ms_MY", "en_IN")
_NAME_LOCALES = ("fr", "en")
# Everyday words for a currency that are not CLDR display names.
_EVERYDAY_NAMES = {
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "rs": "INR",
    "rs.": "INR",
    "franc cfa": "XAF",
    "francs cfa": "XAF",
}
# Dollars of other countries as people type them ("3 420,00 $ CA", "C$ 45", "A$120").
_EVERYDAY_SYMBOLS = {
    "$ CA": "CAD",
    "$ CAN": "CAD",
    "$CA": "CAD",
    "$CAN": "CAD",
    "CA$": "CAD",
    "C$": "CAD",
    "$ AU": "AUD",
    "AU$": "AUD",
    "A$": "AUD",
    "$ US": "USD",
    "US$": "USD",
    "S$": "SGD",
    "KSh": "KES",
    "Ksh": "KES",
    "Kshs": "KES",
    "₦": "NGN",
    "F CFA": "XAF",  # or XOF: see `CFA_FRANCS`
}
# The CFA franc is two currencies of one name: the West African one (XOF) and the Central
# African one (XAF). "FCFA" is the one of the country the mail is written from.
CFA_FRANCS = frozenset({"XOF", "XAF"})


@cache
def _markers() -> dict[str, str]:
    """Printed currency marker (symbol, code, or lower-case name) -> ISO code."""
    markers = {code: code for code in ISO_CODES}
    for locale in _SYMBOL_LOCALES:
        for code in ISO_CODES:
            symbol = get_currency_symbol(code, locale=locale)
            if symbol != code and not any(char.isspace() for char in symbol):
                markers.setdefault(symbol, code)
    for locale in _NAME_LOCALES:
        for code in ISO_CODES:
            for count in (1, 2):
                markers.setdefault(get_currency_name(code, count=count, locale=locale).lower(), code)
    for marker, code in (*_EVERYDAY_NAMES.items(), *_EVERYDAY_SYMBOLS.items()):
        markers.setdefault(marker, code)
    return markers


def _marker_pattern() -> str:
    symbols, codes, names = [], [], []
    for marker in sorted(_markers(), key=len, reverse=True):
        if marker in ISO_CODES:
            codes.append(marker)
        elif marker[0].isalpha() and marker.lower() == marker:
            names.append(re.escape(marker).replace(r"\ ", r"\s+"))
        else:
            # "$ CA" is typed with any space, and is not the start of "$ Cash"; in capitals, for
            # "1 250 $ au garagiste" is French for "to the garage"
            symbol = re.escape(marker).replace(r"\ ", f"{_SPACE}?")
            symbol += "(?![A-Za-z])" if marker[-1].isalpha() else ""
            symbols.append(f"(?-i:{symbol})" if " " in marker else symbol)
    # Codes must be capitals ("EUR", not the "eur" in "leur"); names may be any case.
    return rf"(?:{'|'.join(symbols)}|(?-i:(?:{'|'.join(codes)})(?![A-Za-z]))|(?:{'|'.join(names)})(?![a-z]))"


_SPACE = "[ \u00a0\u202f]"
# Thousands grouped by three ("1 842", "1,842", "1.842"), or the Indian way, by two above the
# thousands ("1,86,400" is one lakh eighty-six thousand four hundred).
_NUMBER = (
    r"(?<![\d.,])(?P<number>(?:(?P<lakh>\d{1,2}(?:,\d\d)+,\d{3})"
    r"|\d{1,3}(?P<sep>[ \u00a0\u202f.,'’])\d{3}(?:(?P=sep)\d{3}){0,4}|\d{1,12})"
    r"(?P<cents>[.,]\d{1,2})?)(?![\d]|[.,]\d|\s?%)"
)
_NUMBER_RE = re.compile(_NUMBER)
# Found around a number rather than in one pattern with it: scanning a text for
# numbers first is several times faster than trying every currency everywhere.
# "€ 12,00", and "Rs -40.00" with a minus sign between the marker and the number.
# A marker inside a reference is none: "facture n° 2026-AUD-3318".
_MARKER_BEFORE = re.compile(
    rf"(?<![A-Za-z0-9\-/_])(?P<marker>{_marker_pattern()}){_SPACE}?(?:-{_SPACE}?)?\Z", re.IGNORECASE
)
_MARKER_AFTER = re.compile(rf"{_SPACE}?(?P<marker>{_marker_pattern()})", re.IGNORECASE)
# How mail is typed in a hurry: "165e", "45,50E", "89 eur", "1240 e". The "e" touches its
# number, or stands apart in small letters after a sum no rank reaches (`_SPACED_E_FROM`), and
# is no more than a hint: "3e étage" is an ordinal (see `Money.informal`).
_INFORMAL_EURO = re.compile(rf"(?:(?P<letter>[eE])|{_SPACE}(?P<spaced>e)|{_SPACE}?(?:eur|Eur))(?![^\W\d_])")
_SPACED_E_FROM = 100  # "le 15 e arrondissement", "la 3 e fois": ranks
_MARKER_REACH = 30  # longer than any currency name
_EURO_CENTS = re.compile(r"\d\d(?![\d,.]\d)(?!\d)")  # the cents after "389€"


@cache
def local_currency(country: str) -> str | None:
    """The currency of a country ("AU" -> "AUD"), None for an unknown country."""
    try:
        currencies = get_territory_currencies(country) if country else []
    except (UnknownLocaleError, ValueError):
        return None
    return currencies[0] if currencies else None


@dataclass(frozen=True)
class _LocalMarkers:
    """What a country's own people print for their currency: symbols other countries print
    for theirs ("$" is AUD in Australia), and symbols no other country prints ("R" in South
    Africa), found by their own pattern."""

    shared: dict[str, str]
    own: dict[str, str]
    own_before: re.Pattern[str] | None


@cache
def _local_markers(country: str) -> _LocalMarkers:
    code = local_currency(country)
    markers: dict[str, str] = {}
    for language in ("en", "fr"):
        try:
            symbol = get_currency_symbol(code, locale=f"{language}_{country}") if code else ""
        except UnknownLocaleError:
            continue
        if code and symbol and symbol != code and not any(char.isspace() for char in symbol):
            markers[symbol] = code
    own = {marker: code for marker, code in markers.items() if currency_code(marker) is None}
    shared = {marker: code for marker, code in markers.items() if marker not in own}
    if not own:
        return _LocalMarkers(shared, own, None)
    pattern = "|".join(re.escape(marker) + ("(?![A-Za-z])" if marker[-1].isalpha() else "") for marker in own)
    return _LocalMarkers(shared, own, re.compile(rf"(?<![A-Za-z])(?-i:(?P<marker>{pattern})){_SPACE}?\Z"))


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    amount: Decimal
    currency: str | None  # ISO code, when printed next to the number
    has_cents: bool
    informal: bool = False  # a bare "e" after the number ("165e"): money only if the words say so


def currency_code(marker: str) -> str | None:
    """ISO code of a printed currency marker: "€" -> "EUR", "euros" -> "EUR", "£" -> "GBP"."""
    markers = _markers()
    spaced = " ".join(marker.split())
    return markers.get(spaced) or markers.get(spaced.upper()) or markers.get(spaced.lower())


def _decimal(number: str, thousands: str | None) -> Decimal:
    if thousands:
        number = number.replace(thousands, "")
    return Decimal(number.replace(",", ".")).quantize(Decimal("0.01"))


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a number is a piece of something else: "FA-2025-0193", "CS00012693", "10h30"."""
    before = text[start - 1] if start else " "
    after = text[end : end + 2]
    return (
        before.isalpha()
        or before in "-/_"
        or after[:1].isalpha()
        or after[:1] == "_"
        or _continues(text, end)
    )


def _continues(text: str, end: int) -> bool:
    """Whether the number ending at `end` goes on as a reference's next part: "2026-00418"."""
    return text[end : end + 1] in ("-", "/") and text[end + 1 : end + 2].isdigit()


def _marker_before(text: str, start: int) -> re.Match[str] | None:
    # Markers end with a letter, a symbol or a dot ("EUR", "€", "US$", "Rs."); most numbers follow none.
    previous = text[max(0, start - 4) : start].rstrip(" \u00a0\u202f-")[-1:]
    if not previous or (previous.isascii() and not previous.isalpha() and previous not in "$."):
        return None
    return _MARKER_BEFORE.search(text[max(0, start - _MARKER_REACH) : start])


def _local_marker(pattern: re.Pattern[str], text: str, number: re.Match[str]) -> re.Match[str] | None:
    """A local marker before `number`; a letter touching a bare integer ("R300", a road) is none."""
    found = pattern.search(text, max(0, number.start() - 4), number.start())
    plain = not (number.group("sep") or number.group("lakh") or number.group("cents"))
    if found is not None and plain and found.end() == number.start() and found.group(0)[-1].isalpha():
        return None
    return found


def find_money(
    text: str, *, informal: bool = False, country: str = "", shared_symbols: bool = True
) -> Iterable[Money]:
    """Every number in `text` that could be money, with the currency printed beside it;
    with `informal`, also the euros of hurried mail ("165e", "89 eur").

    The markers of the `country` where the text was written are its currency: "R 8 950" in
    South Africa is ZAR, and, with `shared_symbols`, "$" in Australia is AUD (an invoice
    may print "$" for the dollars of another country)."""
    local = _local_markers(country) if country else _LocalMarkers({}, {}, None)
    currencies = {**local.shared, **local.own} if shared_symbols else local.own
    cfa = local_currency(country) if local_currency(country) in CFA_FRANCS else None
    covered = 0  # where the money found last ends: "389€90" holds its cents
    for match in _NUMBER_RE.finditer(text):
        start, end = match.span()
        if start < covered:
            continue
        before = _marker_before(text, start)
        if before is None and local.own_before is not None and start:
            before = _local_marker(local.own_before, text, match)
        after = None if before else _MARKER_AFTER.match(text, end)
        euro = None
        if informal and not (before or after or _glued(text, start, start)):
            euro = _INFORMAL_EURO.match(text, end)
        amount = _decimal(match.group("number"), "," if match.group("lakh") else match.group("sep"))
        cents = _EURO_CENTS.match(text, after.end()) if after and match.group("cents") is None else None
        if cents is not None and after.group("marker") == "€":  # "389€90": the euro sign as the comma
            amount += Decimal(cents.group(0)) / 100
        if euro and euro.group("spaced") and amount < _SPACED_E_FROM and match.group("cents") is None:
            euro = None
        if not (before or after or euro) and _glued(text, start, end):
            continue
        if before and before.group(0).rstrip(" \u00a0\u202f").endswith("-") and _continues(text, end):
            continue  # "RS-2026-00418": a reference's parts, not rupees
        marker = before or after
        printed = " ".join(marker.group("marker").split()) if marker else ""
        code = (currencies.get(printed) or currency_code(printed)) if marker else "EUR" if euro else None
        if cents is not None:
            covered = cents.end()
        yield Money(
            start=start - len(before.group(0)) if before else start,
            end=cents.end() if cents is not None else (after or euro).end() if after or euro else end,
            amount=amount,
            currency=cfa if cfa and code in CFA_FRANCS else code,
            has_cents=match.group("cents") is not None or cents is not None,
            informal=bool(euro and (euro.group("letter") or euro.group("spaced"))),
        )


def parse_amount(text: str) -> tuple[Decimal, str | None] | None:
    """The first amount written in `text` and its ISO currency if printed:
    "1 842,50 €" -> (Decimal("1842.50"), "EUR"); "1842,5" -> (Decimal("1842.50"), None)."""
    money = next(iter(find_money(text)), None)
    return None if money is None else (money.amount, money.currency)
