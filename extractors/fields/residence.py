"""Where the customer lives, as the mail itself tells: one country for the whole mail.

A phone number written without its country code ("0491 570 156"), a "$" and a postcode of
four digits mean different things in different countries: which, the customer's country
says. A mail tells it by its own cues, weighed here (heaviest first):

    the postal address   a postcode of one country's shape, where addresses put it
                         ("St Leonards NSW 2065", "Ottawa ON K1S 0R2", "75011 Paris")
    a country named      ending an address ("Rondebosch 7700\\nSouth Africa") or where the
                         customer says they live ("I live in Ireland", "j'habite en Belgique")
    the mail's clock     the UTC offset of its Date header: -05:00 is North America,
                         +10:00 Australia, +05:30 India
    phones and money     numbers written with a country code ("+61 ..."), and currencies of
                         one country ("£", "₹", "HK$", "FCFA"): light, since people travel
    a shared clock       +01:00, +02:00, +03:00, +08:00 in English mail: Lagos, Johannesburg,
                         Nairobi, Hong Kong or Singapore, only when the mail writes a national
                         number of that country that is no British number
Postcodes of four digits fit several countries at once; the phone numbers the mail writes
in national form choose between them. What the customer quotes or attaches counts half,
and only when what they write says nothing.

French, which our customers mostly write from France, counts as a cue for France (or the
configured region) where no address says otherwise; English, written in too many of their
countries, says nothing. A mail without any cue has no country (""), and the finders read
its national numbers as the configured region's, or its language's (`home_region`).
France's overseas departments share its numbering plan (`national_plan`), and the country
says whether a date of digits puts the month first (`writes_month_first`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import phonenumbers
from babel import Locale
from phonenumbers import Leniency, PhoneNumberMatcher

from extractors.fields.base import reads_text, source_kind
from extractors.fields.postcodes import find_postcodes
from extractors.fields.text import fold
from extractors.language import detect_language
from rpa.config import ParsingSettings
from rpa.models import TextSource

__all__ = [
    "GROUPING_REGIONS",
    "customer_country",
    "grouped_as_in",
    "home_region",
    "national_plan",
    "with_customer_country",
    "writes_month_first",
]

# The countries where a language is the customer's own, the most likely first: the
# configured region when it is one of them, else the first, reads national numbers.
_SPEAKERS = {
    "fr": ("FR", "BE", "CH", "CA", "LU", "MC"),
    "en": ("GB", "IE", "US", "CA", "AU", "ZA", "NZ", "IN", "HK", "SG", "NG", "KE"),
}
# Regions that share one national numbering plan: in France, "0692 41 77 08" (Réunion) and
# "0696 28 41 73" (Martinique) are dialled as they are written, like "06 12 34 56 78".
_PLANS = (("FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF"),)

ADDRESS = 3.0  # a postcode of one country's shape in an address
NAMED = 3.0  # a country named at the end of an address, or as where the customer lives
CLOCK = 1.0  # the mail's UTC offset
DIALLED = 1.0  # a phone number with its country code
SHARED_SHAPE = 1.0  # a four-digit postcode: to each country that writes them so
NATIONAL_NUMBER = 0.5  # a number written in national form that is valid in the country
MONEY = 0.5  # a currency of one country
HEARSAY = 0.5  # the factor for what is quoted or attached rather than written
PROVINCE = 0.5  # a Canadian province named anywhere: "Alberta Health Services has sent me a notice"
_PROVINCE = re.compile(
    r"(?<![A-Za-z])(?:Alberta|British Columbia|Saskatchewan|Manitoba|Ontario|Qu[eé]bec|Nova Scotia"
    r"|New Brunswick|Newfoundland|Prince Edward Island|Yukon|Nunavut|Northwest Territories)(?![A-Za-z])"
)
_WRITTEN = frozenset({"body", "signature", "subject"})  # what the customer writes
# Without an address, a French mail's language is a cue for France (or the configured region,
# if French is spoken there), as strong as a phone number.
_LANGUAGE_PRIOR = {"fr": 1.0}
NATIONAL_REACH = 1.0  # how far below the top a country may be for national numbers to lift it
_READ_AT_MOST = 10_000  # characters of a text read for national numbers

# Offsets (minutes east of UTC) that only a few of our customers' countries keep.
_CLOCKS: dict[int, tuple[str, ...]] = {
    -210: ("CA",),  # Newfoundland
    -150: ("CA",),
    **{-60 * hours: ("US", "CA") for hours in range(4, 11)},
    330: ("IN",),
    **{minutes: ("AU",) for minutes in (480, 525, 570, 600, 630, 660)},
    **{minutes: ("NZ",) for minutes in (720, 765, 780)},
}
# Offsets that several of our English-writing customers' countries keep, with others: +01:00 is
# Lagos (and Paris, and London in summer), +02:00 Johannesburg (and Paris in summer), +03:00
# Nairobi, +08:00 Hong Kong and Singapore; in French, France's territories in the Pacific.
# They count only when the mail writes a national number valid there and not in the language's
# own country ("0803 512 7749" under a mail sent at +01:00 is Nigerian; "07912 408336" is British).
_CLOCK_HINTS: dict[str, dict[int, tuple[str, ...]]] = {
    # Ireland keeps Britain's clock: "087 341 9062" is no British number.
    "en": {0: ("IE",), 60: ("NG", "IE"), 120: ("ZA",), 180: ("KE",), 480: ("HK", "SG")},
    # French written at +11:00 or -10:00 with a number of six or eight digits: Nouméa ("77 41 28")
    # or Papeete ("87 24 61 93"), not Sydney or Honolulu.
    "fr": {660: ("NC",), -600: ("PF",), -570: ("PF",), 720: ("WF",)},
}
# Money as a country's own people print it: "£45", "₹ 4,000", "Rs. 500". An ISO code ("CAD 35")
# is how people price what they buy abroad, and says nothing. A euro in an English mail is
# Ireland's (see `_money_cues`).
_MONEY_COUNTRY = {
    "£": "GB",
    "₹": "IN",
    "rs": "IN",
    "€": "EUR",
    "hk$": "HK",
    "s$": "SG",
    "ksh": "KE",
    "₦": "NG",
}
_MONEY = re.compile(
    r"(?<![a-z])(?P<marker>£|€|₹|rs\.?|hk\$|s\$|ksh\.?|₦)[ \u00a0]?\d|\d[ \u00a0]?(?P<after>£|€)"
)
# The CFA franc, of the countries of West (XOF) and Central Africa (XAF): which one is paid
# in, a phone number dialled or an address says.
_CFA = re.compile(r"(?<![A-Za-z])F? ?CFA(?![A-Za-z])|(?i:francs? cfa)")
_CFA_COUNTRIES = ("SN", "CI", "ML", "BF", "BJ", "TG", "NE", "GW", "CM", "GA", "CG", "CF", "TD", "GQ")
# National numbers as only some countries group them: in five pairs in France ("06 12 34 56 78"),
# as area code, exchange and line in North America ("(917) 555-0132", "480.555.0129"), and
# mobiles in fours and threes, landlines in twos and fours in Australia ("0412 345 678",
# "(08) 5550 4417").
_PAIRS = r"(?P<pairs>0[1-9](?:[ .\-]\d\d){4})"
_NANP = r"(?P<nanp>\(?[2-9]\d\d\)?[ .\-]?[2-9]\d\d[ .\-]\d{4})"
_AU = r"(?P<au>0[45]\d\d \d{3} \d{3}|\(0[2378]\) ?\d{4} \d{4}|0[2378] \d{4} \d{4})"
# Belgian mobiles, as Belgians write them: "0471 28 64 19", "0472/12.34.56".
_BE = r"(?P<be>04[5-9]\d(?: \d\d \d\d \d\d|/\d\d[ .]\d\d[ .]\d\d|\.\d\d\.\d\d\.\d\d))"
_NATIONAL_GROUPING = re.compile(rf"(?<![\w+\-/.])(?:{_PAIRS}|{_NANP}|{_AU}|{_BE})(?![\w\-/]|[.,]\d)")
_GROUPING_COUNTRIES = {"pairs": ("FR",), "nanp": ("US", "CA"), "au": ("AU",), "be": ("BE",)}
GROUPING_REGIONS = tuple(countries[0] for countries in _GROUPING_COUNTRIES.values())
# "I live in Ireland", "we're based in the UK", "j'habite en Belgique", "domicilié au Canada".
_LIVES_IN = re.compile(
    r"(?<![a-z])(?:i live|we live|i'm living|i am living|we're living|we are living|i'm based|i am based"
    r"|we're based|we are based|resident|residing|moved to|moved back to|j'habite|nous habitons"
    r"|on habite|je vis|nous vivons|je reside|nous residons|domicilie|domiciliee|installee?s?)"
    r"\s+(?:in|at|en|au|aux|a|dans)?\s*(?:the\s+|l'|la\s+|le\s+|les\s+)?(?P<name>[a-z][a-z' \-]{1,40})"
)
_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "angleterre": "GB",
    "ecosse": "GB",
    "pays de galles": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "united states of america": "US",
    "etats-unis": "US",
    "republic of ireland": "IE",
    "eire": "IE",
    "rsa": "ZA",
}
# Territories of CLDR that are no country anyone lives in: "European Union", "Unknown Region".
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})
# Territory names that are also first names: alone on a line, they sign a mail.
_ALSO_NAMES = frozenset({"jordan", "chad", "georgia", "israel", "niger", "india", "kenya"})


@cache
def _country_names() -> dict[str, str]:
    """Folded country name (English, French, everyday aliases) -> ISO code."""
    names = dict(_ALIASES)
    for language in ("en", "fr"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                names.setdefault(fold(name), code)
    return names


def home_region(source: TextSource, settings: ParsingSettings) -> str:
    """The country whose national numbers `source` writes: the customer's country when the
    mail tells it, else the configured region if the mail's language is spoken there, else
    the language's first country ("FR" for French mail, "GB" for English)."""
    return source.country or _language_region(source.language, settings.default_region)


def _language_region(language: str, default_region: str) -> str:
    speakers = _SPEAKERS.get(language)
    return default_region if speakers is None or default_region in speakers else speakers[0]


def grouped_as_in(raw: str) -> tuple[str, ...]:
    """The countries that group a national number as `raw` is ("06 12 34 56 78": France;
    "(917) 555-0132": the United States and Canada); () for groupings of many countries."""
    match = _NATIONAL_GROUPING.fullmatch(raw.strip())
    return _GROUPING_COUNTRIES[match.lastgroup or ""] if match else ()


def with_customer_country(
    sources: Sequence[TextSource], settings: ParsingSettings, sent: date | datetime | None = None
) -> list[TextSource]:
    """`sources`, each told the mail's `customer_country` (unless it already knows one)."""
    country = customer_country(sources, settings, sent)
    return [source if source.country else dataclasses.replace(source, country=country) for source in sources]


def customer_country(
    sources: Sequence[TextSource], settings: ParsingSettings, sent: date | datetime | None = None
) -> str:
    """The ISO code of the country the mail says its customer lives in, "" if it does not
    say. `sent` is the mail's date, whose UTC offset is a cue when it has one.

    What the customer writes (and the mail's clock) is read first; quoted mails and
    attachments, which may be the insurer's own (its address in a signature), only when
    that says nothing."""
    read = [source for source in sources if reads_text(source.source) and source.text.strip()]
    language = next((source.language for source in read if source.language), "")
    if not language and read:
        language = detect_language("\n".join(source.text for source in read))[0]
    own = [source for source in read if source_kind(source.source) in _WRITTEN]
    scores: Counter[str] = Counter({country: CLOCK for country in _clock(sent)})
    addressed = _score([source.text for source in own], language, 1.0, scores)
    if not scores:
        others = [source.text for source in read if source_kind(source.source) not in _WRITTEN]
        addressed = _score(others, language, HEARSAY, scores)
    if language in _LANGUAGE_PRIOR and not addressed:
        scores[_language_region(language, settings.default_region)] += _LANGUAGE_PRIOR[language]
    typed = [source.text for source in own if source_kind(source.source) != "subject"]
    for country in _hinted(sent, language, typed, _language_region(language, settings.default_region)):
        scores[country] += CLOCK
    if not scores:
        return ""
    _weigh_national_numbers(scores, typed)
    preference = _SPEAKERS.get(language, ())
    return max(
        scores,
        key=lambda country: (
            round(scores[country], 2),
            -preference.index(country) if country in preference else -len(preference),
            country,
        ),
    )


def _score(texts: list[str], language: str, weight: float, scores: Counter[str]) -> bool:
    """Adds the cues of `texts` to `scores`; whether one of them is an address."""
    addressed = False
    for text in texts:
        for cue in _cues(text, language):
            addressed |= cue.address
            for country in cue.countries:
                scores[country] += cue.strength * weight
    return addressed


@dataclass(frozen=True)
class _Cue:
    countries: tuple[str, ...]
    strength: float
    address: bool = False  # where the customer lives, not where they phone or pay from


def _cues(text: str, language: str) -> Iterable[_Cue]:
    for postcode in find_postcodes(text, language):
        if postcode.countries:
            countries = tuple(sorted(postcode.countries))
            yield _Cue(countries, ADDRESS if len(countries) == 1 else SHARED_SHAPE, address=True)
    for country in _named_countries(text):
        yield _Cue((country,), NAMED, address=True)
    for match in PhoneNumberMatcher(text, None, leniency=Leniency.VALID):
        yield _Cue((_country_dialled(match.number),), DIALLED)
    for match in _NATIONAL_GROUPING.finditer(text):
        yield _Cue(
            _nanp_country(match.group(0))
            if match.lastgroup == "nanp"
            else _GROUPING_COUNTRIES[match.lastgroup or ""],
            DIALLED,
        )
    yield from _money_cues(text, language)
    if _PROVINCE.search(text):
        yield _Cue(("CA",), PROVINCE)


def _nanp_country(raw: str) -> tuple[str, ...]:
    """The country of a North American number written without its code, by its area code
    ("250-862-4417" is British Columbia's); both when the area code does not tell."""
    number = _parsed(raw, "US")
    if phonenumbers.is_valid_number(number):
        region = phonenumbers.region_code_for_number(number)
        if region in _GROUPING_COUNTRIES["nanp"]:
            return (region,)
    return _GROUPING_COUNTRIES["nanp"]


def _country_dialled(number: phonenumbers.PhoneNumber) -> str:
    """The country of a number's code; of +1, the one of its area code ("+1 403" is Canada's)."""
    if number.country_code == 1:
        return phonenumbers.region_code_for_number(number) or "US"
    return phonenumbers.region_code_for_country_code(number.country_code)


def _named_countries(text: str) -> Iterable[str]:
    """Countries named as the last line of an address, after its last comma, or as where
    the customer says they live."""
    names = _country_names()
    folded = fold(text)
    lines = folded.split("\n")
    for number, line in enumerate(lines):
        line = line.strip().strip(".")
        if not line:
            continue
        above = next((earlier for earlier in reversed(lines[:number]) if earlier.strip()), "")
        if line in names and line not in _ALSO_NAMES and any(char.isdigit() for char in above):
            yield names[line]
        elif "," in line and any(char.isdigit() for char in line):
            last = line.rsplit(",", 1)[1].strip()
            if last in names:
                yield names[last]
    for match in _LIVES_IN.finditer(folded):
        words = match.group("name").split()
        for size in range(min(4, len(words)), 0, -1):
            name = " ".join(words[:size]).strip(".,;:")
            if name in names:
                yield names[name]
                break


def _money_cues(text: str, language: str) -> Iterable[_Cue]:
    if _CFA.search(text):
        yield _Cue(_CFA_COUNTRIES, MONEY)
    for match in _MONEY.finditer(fold(text)):
        country = _MONEY_COUNTRY[(match.group("marker") or match.group("after")).rstrip(".")]
        if country == "EUR":
            if language == "en":
                yield _Cue(("IE",), MONEY)  # the one English-speaking country that pays in euros
            continue
        yield _Cue((country,), MONEY)


def _clock(sent: date | datetime | None) -> tuple[str, ...]:
    """The countries a mail's UTC offset points to."""
    offset = sent.utcoffset() if isinstance(sent, datetime) else None
    return () if offset is None else _CLOCKS.get(int(offset.total_seconds() // 60), ())


def _hinted(sent: date | datetime | None, language: str, texts: list[str], own_region: str) -> list[str]:
    """The countries of the mail's clock among `_CLOCK_HINTS` whose national numbers the mail
    writes, numbers that are not valid in the language's own country."""
    offset = sent.utcoffset() if isinstance(sent, datetime) else None
    if offset is None:
        return []
    hints = _CLOCK_HINTS.get(language, {}).get(int(offset.total_seconds() // 60), ())
    return [
        country
        for country in hints
        if any(_national_numbers_only_of(text[:_READ_AT_MOST], country, own_region) for text in texts)
    ]


def _national_numbers_only_of(text: str, country: str, other: str) -> bool:
    for match in PhoneNumberMatcher(text, country, leniency=Leniency.VALID):
        raw = match.raw_string.strip()
        grouped = grouped_as_in(raw)  # "06 12 34 56 78" is French, whatever the clock
        if (
            not raw.startswith(("+", "00"))
            and (not grouped or country in grouped)
            and not phonenumbers.is_valid_number(_parsed(raw, other))
        ):
            return True
    return False


def _parsed(raw: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return phonenumbers.PhoneNumber()


def writes_month_first(country: str, language: str) -> bool:
    """Whether a customer of `country` writing in `language` puts the month first in a date
    of digits ("11/3/2026" for the 3rd of November): in the United States, and in English
    Canada; French Canada puts the day first, as France does."""
    return country == "US" or (country == "CA" and language == "en")


def national_plan(region: str) -> tuple[str, ...]:
    """The regions whose numbers are written in the national form of `region` ("FR": also
    Réunion's, the Antilles'); `(region,)` for most."""
    return next((plan for plan in _PLANS if region in plan), (region,))


def _weigh_national_numbers(scores: Counter[str], texts: list[str]) -> None:
    """Numbers written in national form ("082 555 0193") that are valid in some of the
    countries closest to the top, and not all, lean towards those."""
    top = max(scores.values())
    candidates = [country for country in scores if scores[country] >= top - NATIONAL_REACH]
    for text in texts:
        valid_in = [country for country in candidates if _writes_a_number_of(text[:_READ_AT_MOST], country)]
        if 0 < len(valid_in) < len(candidates):
            for country in valid_in:
                scores[country] += NATIONAL_NUMBER


def _writes_a_number_of(text: str, country: str) -> bool:
    matches = PhoneNumberMatcher(text, country, leniency=Leniency.VALID)
    return any(not match.raw_string.lstrip().startswith(("+", "00")) for match in matches)
