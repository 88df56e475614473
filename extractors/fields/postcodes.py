"""Postcodes, read where each country writes them in an address, with the countries their
shape belongs to.

    FR   "75011 Paris", "13008 MARSEILLE", "(34000 Montpellier)", "Code postal : 69003"
    GB   "London SW1A 2AA", "Edinburgh eh9 1hs";  IE  "Dublin 6, D06 K7W2" (Eircode)
    US   "Chicago, IL 60647": a state, then the ZIP code
    CA   "Ottawa ON K1S 0R2": letter, digit, letter, digit, letter, digit
    AU   "St Leonards NSW 2065": a state, then four digits
    IN   "Bengaluru - 560041", "PIN: 600026";  SG  "Singapore 560215": six digits ending an address
    four digits before the town ("1050 Ixelles", "0184 Oslo": BE, CH, LU, AT, DK, NO) or
    after it at the end of an address line ("Pretoria, 0184": ZA, NZ; AU with no state)

Digits alone are everywhere (amounts, references, years, bank codes), so a number is a
postcode only in an address's own places: at the start of a line or after a comma or a
street, followed by a town in capitals, or after a state, or ending an address line.
Four digits fit so many countries that the finder keeps them only where the rest of the
mail says which country its customer lives in (`TextSource.country`, see `residence`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from extractors.fields.base import make_field, reads_text
from extractors.fields.text import IBAN_SHAPE, Spans, fold, line_span, phrases
from extractors.language import detect_language
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["FOUR_DIGIT_COUNTRIES", "Postcode", "PostcodeFinder", "find_postcodes", "normalise_postcode"]

_TOWN = r"[A-ZÀ-Ý][A-Za-zÀ-ÿ'’]*(?:[ \-][A-Za-zÀ-ÿ'’]+){0,4}"
_FR_ADDRESS = re.compile(rf"(?<![\w\-/.,])(?P<code>\d{{5}})[ \t]+(?:cedex[ \t]*\d*[ \t]+)?(?P<town>{_TOWN})")
# ... the town typed in small letters, after a street on its line and ending the address:
# "6 rue des Carmes 31000 toulouse"
_FR_ADDRESS_SMALL = re.compile(
    r"(?<![\w\-/.,])(?P<code>\d{5})[ \t]+(?P<town>[a-zà-ÿ][a-zà-ÿ'’\-]+)"
    r"(?=[ \t]*(?:$|[,.;]))",
    re.MULTILINE,
)
_CODE_FIRST = re.compile(rf"(?<![\w\-/.,])(?P<code>\d{{4}})[ \t]+(?P<town>{_TOWN})")
_CODE_LAST = re.compile(r"[a-zà-ÿ](?:[ \t]*+,[ \t]*+|[ \t]++)(?P<code>\d{4})[ \t.]*+$", re.MULTILINE)
# The same in brackets or before a comma or a full stop: "(21 Awaroa Road, Sunnyvale, Auckland
# 0612)", "7 Fullarton Rd, Norwood 5067. 0419 223 805"; not a year.
_CODE_LAST_INSIDE = re.compile(
    r"[a-zà-ÿ](?:[ \t]*+,[ \t]*+|[ \t]++)(?P<code>(?!19|20)\d{4})(?=[),;]|\.(?:\s|$))"
)
# A line that is only a town and its code, as an address's last line: "Plympton 5038".
_TOWN_AND_CODE = re.compile(rf"^[ \t]*{_TOWN}[ \t]++(?P<code>(?!19|20)\d{{4}})[ \t.]*+$", re.MULTILINE)
_LABELLED = re.compile(
    phrases(["code postal", "cp", "postcode", "post code", "postal code", "zip", "zip code", "npa"])
    + r"[ \t]*[:.]?[ \t]*(?P<code>\d{4,5})(?![\d.,])"
)
_STREET = re.compile(
    phrases(
        [
            *("rue avenue av bd boulevard chemin chem allee place impasse route rte quai cours".split()),
            *("square residence lieu-dit lotissement bp cs faubourg voie hameau parc za zi zac".split()),
            *("street st road rd lane ln drive dr crescent cres grove terrace ave gardens".split()),
            # North American and Australian streets: "1450 E Apache Blvd Apt 2114", "88 Lakeshore Pkwy"
            *("blvd pkwy parkway hwy highway ct court way pl cir circle trl trail".split()),
            *("weg strasse straat laan chaussee".split()),
        ]
    )
)
# A form or table cell naming what follows: "Code postal / Ville   31400 Toulouse".
_ADDRESS_LABEL = re.compile(
    phrases(
        ["code postal", "cp", "ville", "adresse", "address", "town", "city"]
        # where the customer says they live: "We're in Kenmore 4069, phone ..."
        + [
            "live in",
            "lives in",
            "living in",
            "we're in",
            "we are in",
            "based in",
            "j'habite",
            "nous habitons",
        ]
    )
)
_NOT_TOWN = frozenset(
    """euro euros eur ttc ht km kg habitants personnes points exemplaires pieces unites articles
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    january february march april may june july august september october november december
    dollars francs pounds rand chf""".split()
)
_UK_SHAPE = (
    r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2}"
)
_UK_POSTCODE = re.compile(rf"(?<![A-Za-z0-9\-/])(?P<code>{_UK_SHAPE})(?![A-Za-z0-9])")
# An Irish Eircode: a routing key ("D06", "D6W") and a unique identifier ("K7W2").
_EIRCODE_SHAPE = r"(?:[AC-FHKNPRTV-Y][0-9]{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}"
# A Canadian postal code: no D, F, I, O, Q or U; no W or Z first.
_CA_SHAPE = r"[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z][ \-]?[0-9][ABCEGHJ-NPRSTV-Z][0-9]"
_CA_PROVINCE = r"(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|Qu[ée]bec|Ont\.?)"
_CA_POSTCODE = re.compile(  # "Ottawa ON K1S 0R2", "Montréal (QC) H2X 3K8"
    rf"(?<![A-Za-z])(?:{_CA_PROVINCE}|\({_CA_PROVINCE}\))[ \t,]+(?P<code>{_CA_SHAPE})(?![A-Za-z0-9])"
)
# At the end of an address line, in any language and any case: alone on its line, or after
# the town ("Edinburgh eh9 1hs", "Dublin 6, D06 K7W2"), as people write their own address.
_LINE_END_POSTCODE = re.compile(
    rf"^(?P<before>[^\n]*?)(?<![A-Za-z0-9\-/])(?P<code>{_UK_SHAPE}|{_EIRCODE_SHAPE}|{_CA_SHAPE})[ \t.]*$",
    re.IGNORECASE | re.MULTILINE,
)
# An Eircode in capitals after a word, anywhere in a line: its identifier mixes letters and
# digits, which no word or sum does ("Cork T12 K8N4 and", "limerick V94 R2X7").
_EIRCODE_INLINE = re.compile(
    r"(?<=[A-Za-z,] )(?P<code>(?:[AC-FHKNPRTV-Y][0-9]{2}|D6W) (?=[0-9A-Z]{0,3}[A-Z])(?=[A-Z]{0,3}[0-9])"
    r"[0-9AC-FHKNPRTV-Y]{4})(?![A-Za-z0-9])"
)
_TOWN_BEFORE = re.compile(r"(?:^|,|[A-ZÀ-Ý][a-zà-ÿ'’\-]+)[ \t,]*$")
# "La Trinité-sur-Mer (56470)": a town and its French postcode in brackets.
_FR_BRACKETED = re.compile(r"[A-ZÀ-Ý][A-Za-zÀ-ÿ'’\-]+[ \t]\((?P<code>\d{5})\)")
_US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH"
    " NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
).split()
_STATE = rf"(?:{'|'.join(_US_STATES)})"
# "Van Nuys, CA 91405" anywhere; "Austin TX 78701" at the end of its line.
_US_POSTCODE = re.compile(
    rf"(?:,[ \t]*+|[A-Za-z][ \t]++(?={_STATE}[ \t]++\d{{5}}(?:-\d{{4}})?(?:[ \t.]*+,?[ \t]*+USA)?[ \t.]*+$))"
    rf"{_STATE}[ \t]++(?P<code>\d{{5}})(?:-\d{{4}})?(?![\w\-])",
    re.MULTILINE,
)
# "Austin TX 78701" in a sentence, after a street: "the lease on 815 Univ. Ave SE, Minneapolis
# MN 55414 ends".
_US_INLINE_POSTCODE = re.compile(
    rf"[A-Z][a-z]+[ \t]++{_STATE}[ \t]++(?P<code>\d{{5}})(?:-\d{{4}})?(?![\w\-])"
)
# Six digits ending an address line: an Indian PIN code after the town ("Bengaluru - 560041",
# "Chennai 600 026"), or a Singapore postcode after the city's name ("Singapore 560215").
_SIX_DIGITS = re.compile(
    r"(?P<town>[A-Z][A-Za-z]+)[ \t]*+(?P<dash>[\-–,][ \t]*+)?(?P<code>[1-9]\d\d ?\d{3})[ \t.]*+$",
    re.MULTILINE,
)
_PIN_LABELLED = re.compile(
    phrases(["pin", "pin code", "pincode"]) + r"[ \t]*[:.\-]?[ \t]*(?P<code>[1-9]\d{5})(?!\d)"
)
_AU_POSTCODE = re.compile(
    r"[A-Za-z][ \t,]+(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT|Vic|Qld|Tas)[ \t,]+(?P<code>\d{4})(?![\w\-/]|[.,]\d)"
)

# A line that opens with its house number, as Indian addresses do: "No. 14, 3rd Cross, ...",
# "C-4/118, Sector 11, ...", "14, Shanti Nagar, ...".
# A line that opens with a house number and a capitalised street, and goes on after a comma.
_HOUSE_AND_STREET = re.compile(r"[ \t]*\d{1,5}[A-Za-z]?(?:/\d+)?[ \t]+[A-Z][A-Za-z'’\-]+[^\n,]*,")
_HOUSE_FIRST = re.compile(r"[ \t]*(?:No\.?[ \t]*)?(?:[A-Z]-?)?\d+[A-Za-z]?(?:/\d+)?[ \t]*,")
# Words a number follows that are no town: "Unit 1204", "PO Box 4471".
_NUMBERED_PLACES = frozenset("unit flat suite apt apartment room box po lot bay gate level floor".split())

_STREET_REACH = 80  # how far before a postcode its street may be named

# Countries that write four-digit postcodes before the town, and after it.
_CODE_FIRST_COUNTRIES = frozenset({"BE", "CH", "LU", "AT", "DK", "NO"})
_CODE_LAST_COUNTRIES = frozenset({"ZA", "NZ"})
# Australians may leave out the state ("9 Banksia St, Heidelberg 3084"): a code there is read in
# an Australian mail, but tells no one that the mail is Australian.
_CODE_LAST_ALSO = frozenset({"AU"})
FOUR_DIGIT_COUNTRIES = _CODE_FIRST_COUNTRIES | _CODE_LAST_COUNTRIES | {"AU"}

LABELLED = 0.9
ADDRESS_LINE = 0.75
UK = 0.7
FOUR_DIGITS = 0.7
ELSEWHERE = 0.1  # less sure of a code of another country than the customer's
# "Ancienne adresse : ..., 49100 Angers" beside "Nouvelle adresse : ...": a customer who moves
# is reached at the new one.
_LEFT_ADDRESS = re.compile(
    phrases(["ancienne adresse", "adresse precedente", "old address", "previous address", "former address"])
)
LEFT = 0.1


@dataclass(frozen=True)
class Postcode:
    code: str  # normal form
    raw: str
    start: int
    confidence: float
    countries: frozenset[str]  # where a code of that shape, written there, belongs; empty: anywhere
    also_in: frozenset[str] = frozenset()  # where it is read too, though it says nothing of where


def normalise_postcode(text: str) -> str | None:
    """A postcode in its usual form: five or four digits ("75011", "2065"), a UK postcode,
    Irish Eircode or Canadian postal code in upper case with one space ("SW1A 1AA",
    "D06 K7W2", "M5T 2C2"); None otherwise."""
    compact = text.strip().upper()
    if re.fullmatch(r"\d{4,5}", compact):
        return compact if int(compact) else None
    if re.fullmatch(r"\d{3} ?\d{3}", compact):  # India's PIN codes, Singapore's postcodes
        return compact.replace(" ", "") if int(compact[0]) else None
    squeezed = re.sub(r"[ \-]", "", compact)
    if _UK_POSTCODE.fullmatch(compact):
        return f"{squeezed[:-3]} {squeezed[-3:]}"
    if re.fullmatch(_EIRCODE_SHAPE, compact) or re.fullmatch(_CA_SHAPE, compact):
        return f"{squeezed[:3]} {squeezed[3:]}"
    return None


def _french_department(code: str) -> bool:
    return 1 <= int(code[:2]) <= 95 or code[:2] in ("97", "98")


def _on_address_line(text: str, folded: str, start: int) -> bool:
    line_start = line_span(text, start, _STREET_REACH)[0]
    before = text[line_start:start].rstrip(" \t")
    return (
        not before
        or before[-1] in ",-–("
        or _STREET.search(folded, line_start, start) is not None
        or _ADDRESS_LABEL.search(folded, line_start, start) is not None
    )


def _under_a_street(text: str, folded: str, start: int) -> bool:
    """Whether the line above names a street or starts with a house number ("Rue de la Loi 16",
    "12 Storgata"): four digits opening a line are a postcode only in an address block."""
    line_start = text.rfind("\n", 0, start) + 1
    above = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    line = text[above:line_start]
    return bool(line.strip()) and (
        _STREET.search(folded, above, line_start) is not None
        or re.search(r"^\d|\d[a-z]?$", line.strip()) is not None
    )


def _in_address(text: str, folded: str, start: int) -> bool:
    """Whether a line names a street, or opens under a line that does."""
    line_start = line_span(text, start, _STREET_REACH)[0]
    return _STREET.search(folded, line_start, start) is not None or _under_a_street(text, folded, line_start)


def _town(match: re.Match[str]) -> str:
    return fold(match.group("town")).split()[0].strip("'-")


def find_postcodes(text: str, language: str) -> list[Postcode]:
    """Every postcode written in `text`, in no particular order, each with its countries."""
    folded = fold(text)
    ibans = Spans(match.span() for match in IBAN_SHAPE.finditer(text))
    found = []
    for match in _LABELLED.finditer(folded):
        if (code := normalise_postcode(match.group("code"))) is not None:
            found.append(Postcode(code, match.group("code"), match.start("code"), LABELLED, frozenset()))
    for match in _FR_ADDRESS.finditer(text):
        code = match.group("code")
        if (
            _french_department(code)
            and _town(match) not in _NOT_TOWN
            and not ibans.overlaps(match.start(), match.end())
            and _on_address_line(text, folded, match.start())
        ):
            found.append(Postcode(code, match.group(0), match.start(), ADDRESS_LINE, frozenset({"FR"})))
    for match in _FR_ADDRESS_SMALL.finditer(text):
        code = match.group("code")
        line_start = line_span(text, match.start(), _STREET_REACH)[0]
        if (
            _french_department(code)
            and _town(match) not in _NOT_TOWN
            and _STREET.search(folded, line_start, match.start()) is not None
        ):
            found.append(Postcode(code, match.group(0), match.start(), ADDRESS_LINE, frozenset({"FR"})))
    for match in _FR_BRACKETED.finditer(text):
        if _french_department(code := match.group("code")):
            found.append(Postcode(code, match.group(0), match.start(), ADDRESS_LINE, frozenset({"FR"})))
    found += _four_digit_codes(text, folded, ibans)
    for pattern, country in ((_US_POSTCODE, "US"), (_CA_POSTCODE, "CA"), (_AU_POSTCODE, "AU")):
        if country == "AU" and language != "en":
            continue  # "Dupont SA 1234": a French company, not an Australian state
        for match in pattern.finditer(text):
            if country == "US" and match.group(0)[0] != "," and not _in_address(text, folded, match.start()):
                continue  # "Client ID 12345" is no town and state
            if (code := normalise_postcode(match.group("code"))) is not None:
                found.append(
                    Postcode(
                        code, match.group("code"), match.start("code"), ADDRESS_LINE, frozenset({country})
                    )
                )
    for match in _LINE_END_POSTCODE.finditer(text):
        code = normalise_postcode(match.group("code"))
        if code and _TOWN_BEFORE.search(match.group("before")):
            found.append(
                Postcode(code, match.group("code"), match.start("code"), ADDRESS_LINE, _country_of(code))
            )
    for match in _EIRCODE_INLINE.finditer(text):  # "Douglas, Cork T12 K8N4 and my mobile is"
        if (code := normalise_postcode(match.group("code"))) and not any(
            p.start == match.start() for p in found
        ):
            found.append(Postcode(code, match.group("code"), match.start(), ADDRESS_LINE, frozenset({"IE"})))
    if language == "en":
        found += _six_digit_codes(text, folded)
        for match in _US_INLINE_POSTCODE.finditer(text):
            if _STREET.search(folded, line_span(text, match.start(), _STREET_REACH)[0], match.start()):
                code = match.group("code")
                found.append(Postcode(code, code, match.start("code"), ADDRESS_LINE, frozenset({"US"})))
        for match in _UK_POSTCODE.finditer(text):
            if " " in match.group("code") and (code := normalise_postcode(match.group("code"))):
                found.append(Postcode(code, match.group(0), match.start(), UK, frozenset({"GB"})))
    return found


def _six_digit_codes(text: str, folded: str) -> Iterable[Postcode]:
    """Six digits after a town ending an address line, or after "PIN"; Singapore's after
    "Singapore", India's elsewhere."""
    for match in _PIN_LABELLED.finditer(folded):
        yield Postcode(
            match.group("code"), match.group("code"), match.start("code"), LABELLED, frozenset({"IN"})
        )
    for match in _SIX_DIGITS.finditer(text):
        start = match.start()
        singapore = fold(match.group("town")) == "singapore"
        line_start = line_span(text, start, _STREET_REACH)[0]
        above = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : line_start]
        before = text[line_start:start]  # "No. 14, 3rd Cross, BTM 2nd Stage, Bengaluru 560076"
        if (
            _in_address(text, folded, start)
            or ((singapore or match.group("dash")) and "," in above and any(char.isdigit() for char in above))
            or (singapore and _under_a_street(text, folded, start))
            or (_HOUSE_FIRST.match(before) is not None and before.count(",") >= 2)
        ) and (code := normalise_postcode(match.group("code"))):
            country = "SG" if singapore else "IN"
            yield Postcode(code, match.group("code"), match.start("code"), ADDRESS_LINE, frozenset({country}))


def _country_of(code: str) -> frozenset[str]:
    if _UK_POSTCODE.fullmatch(code):
        return frozenset({"GB"})
    return frozenset({"CA"}) if re.fullmatch(_CA_SHAPE, code) else frozenset({"IE"})


def _four_digit_codes(text: str, folded: str, ibans: Spans) -> Iterable[Postcode]:
    """ "1050 Ixelles" after a comma or a street, or opening a line under one; "Pretoria, 0184"
    ending a line that names a street or an address."""
    for match in _CODE_FIRST.finditer(text):
        start = match.start()
        if _town(match) in _NOT_TOWN or ibans.overlaps(start, match.end()):
            continue
        line_start = line_span(text, start, _STREET_REACH)[0]
        opens_line = not text[line_start:start].strip()
        if (
            _under_a_street(text, folded, start) if opens_line else _on_address_line(text, folded, start)
        ) and (normalise_postcode(match.group("code"))):
            yield Postcode(match.group("code"), match.group(0), start, FOUR_DIGITS, _CODE_FIRST_COUNTRIES)
    towns_alone = {
        match.start("code")
        for match in _TOWN_AND_CODE.finditer(text)
        if fold(match.group(0)).split()[0] not in _NOT_TOWN | _NUMBERED_PLACES
    }
    for match in [*_CODE_LAST.finditer(text), *_CODE_LAST_INSIDE.finditer(text)]:
        start = match.start("code")
        line_start = line_span(text, start, _STREET_REACH)[0]
        named = (
            _STREET.search(folded, line_start, start)
            or _ADDRESS_LABEL.search(folded, line_start, start)
            or _HOUSE_AND_STREET.match(text, line_start, start)  # "41 Highgate, Roslyn, Dunedin 9010"
        )
        if (
            (named or start in towns_alone)
            and not ibans.overlaps(start, match.end())
            and normalise_postcode(match.group("code"))
        ):
            code = match.group("code")
            yield Postcode(code, code, start, FOUR_DIGITS, _CODE_LAST_COUNTRIES, _CODE_LAST_ALSO)


class PostcodeFinder:
    """`postcode`: a code of four digits only where the mail's country writes them."""

    names = ("postcode",)

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        text = source.text
        language = source.language or detect_language(text)[0]
        fields = []
        for postcode in find_postcodes(text, language):
            confidence = postcode.confidence
            if postcode.countries and source.country not in postcode.countries | postcode.also_in:
                if len(postcode.countries) > 1:
                    continue  # four digits, and the mail does not say where its customer lives
                confidence -= ELSEWHERE if source.country else 0
            line_start = line_span(text, postcode.start, _STREET_REACH)[0]
            if _LEFT_ADDRESS.search(fold(text[line_start : postcode.start])):
                confidence -= LEFT
            fields.append(make_field("postcode", postcode.code, postcode.raw, confidence, source))
        return fields
