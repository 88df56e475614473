"""Postcodes: French five-digit codes on an address line, UK postcodes in English text,
and UK postcodes and Irish Eircodes that end an address line in any language.

Five digits alone are everywhere (amounts, references, bank codes), so a French
postcode is read only where addresses put it: at the start of a line or after
a comma or a street, and followed by a town name in capitals ("75011 Paris",
"13008 MARSEILLE"), or after a "code postal" label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.fields.base import make_field, reads_text
from extractors.fields.text import IBAN_SHAPE, Spans, fold, line_span, phrases
from extractors.language import detect_language
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["PostcodeFinder", "normalise_postcode"]

_FR_ADDRESS = re.compile(
    r"(?<![\w\-/.,])(?P<code>\d{5})[ \t]+(?:cedex[ \t]*\d*[ \t]+)?"
    r"(?P<town>[A-ZÀ-Ý][A-Za-zÀ-ÿ'’]*(?:[ \-][A-Za-zÀ-ÿ'’]+){0,4})",
)
_FR_LABELLED = re.compile(
    phrases(["code postal", "cp", "postcode", "post code", "postal code", "zip", "zip code"])
    + r"[ \t]*[:.]?[ \t]*(?P<code>\d{5})(?!\d)"
)
_STREET = re.compile(
    phrases(
        [
            "rue",
            "avenue",
            "av",
            "bd",
            "boulevard",
            "chemin",
            "chem",
            "allee",
            "place",
            "impasse",
            "route",
            "rte",
            "quai",
            "cours",
            "square",
            "residence",
            "lieu-dit",
            "lotissement",
            "bp",
            "cs",
            "faubourg",
            "voie",
            "hameau",
            "parc",
            "za",
            "zi",
            "zac",
        ]
    )
)
# A form or table cell naming what follows: "Code postal / Ville   31400 Toulouse".
_ADDRESS_LABEL = re.compile(phrases(["code postal", "cp", "ville", "adresse", "address", "town", "city"]))
_NOT_TOWN = frozenset(
    """euro euros eur ttc ht km kg habitants personnes points exemplaires pieces unites articles
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre""".split()
)
_UK_SHAPE = (
    r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2}"
)
_UK_POSTCODE = re.compile(rf"(?<![A-Za-z0-9\-/])(?P<code>{_UK_SHAPE})(?![A-Za-z0-9])")
# An Irish Eircode: a routing key ("D06", "D6W") and a unique identifier ("K7W2").
_EIRCODE_SHAPE = r"(?:[AC-FHKNPRTV-Y][0-9]{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}"
# At the end of an address line, in any language and any case: alone on its line, or after
# the town ("Edinburgh eh9 1hs", "Dublin 6, D06 K7W2"), as people write their own address.
_LINE_END_POSTCODE = re.compile(
    rf"^(?P<before>[^\n]*?)(?<![A-Za-z0-9\-/])(?P<code>{_UK_SHAPE}|{_EIRCODE_SHAPE})[ \t.]*$",
    re.IGNORECASE | re.MULTILINE,
)
_TOWN_BEFORE = re.compile(r"(?:^|,|[A-ZÀ-Ý][a-zà-ÿ'’\-]+)[ \t,]*$")
# "La Trinité-sur-Mer (56470)": a town and its French postcode in brackets.
_FR_BRACKETED = re.compile(r"[A-ZÀ-Ý][A-Za-zÀ-ÿ'’\-]+[ \t]\((?P<code>\d{5})\)")

_STREET_REACH = 80  # how far before a postcode its street may be named

LABELLED = 0.9
ADDRESS_LINE = 0.75
UK = 0.7


def normalise_postcode(text: str) -> str | None:
    """A French postcode (five digits, a real department), or a UK postcode or an Irish
    Eircode in upper case with one space ("SW1A 1AA", "D06 K7W2"); None otherwise."""
    compact = text.strip().upper()
    if re.fullmatch(r"\d{5}", compact):
        return compact if _french_department(compact) else None
    squeezed = compact.replace(" ", "")
    if _UK_POSTCODE.fullmatch(compact):
        return f"{squeezed[:-3]} {squeezed[-3:]}"
    if re.fullmatch(_EIRCODE_SHAPE, compact):
        return f"{squeezed[:3]} {squeezed[3:]}"
    return None


def _french_department(code: str) -> bool:
    return 1 <= int(code[:2]) <= 95 or code[:2] in ("97", "98")


def _on_address_line(text: str, folded: str, start: int) -> bool:
    line_start = line_span(text, start, _STREET_REACH)[0]
    before = text[line_start:start].rstrip(" \t")
    return (
        not before
        or before[-1] in ",-–"
        or _STREET.search(folded, line_start, start) is not None
        or _ADDRESS_LABEL.search(folded, line_start, start) is not None
    )


class PostcodeFinder:
    """`postcode`."""

    names = ("postcode",)

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        text, folded = source.text, fold(source.text)
        ibans = Spans(match.span() for match in IBAN_SHAPE.finditer(text))
        fields = []
        for match in _FR_LABELLED.finditer(folded):
            code = match.group("code")
            if _french_department(code):
                fields.append(make_field("postcode", code, code, LABELLED, source))
        for match in _FR_ADDRESS.finditer(text):
            code, town = match.group("code"), fold(match.group("town")).split()[0].strip("'-")
            if (
                _french_department(code)
                and town not in _NOT_TOWN
                and not ibans.overlaps(match.start(), match.end())
                and _on_address_line(text, folded, match.start())
            ):
                fields.append(make_field("postcode", code, match.group(0), ADDRESS_LINE, source))
        for match in _FR_BRACKETED.finditer(text):
            if _french_department(code := match.group("code")):
                fields.append(make_field("postcode", code, match.group(0), ADDRESS_LINE, source))
        for match in _LINE_END_POSTCODE.finditer(text):
            postcode = normalise_postcode(match.group("code"))
            if postcode and _TOWN_BEFORE.search(match.group("before")):
                fields.append(make_field("postcode", postcode, match.group("code"), ADDRESS_LINE, source))
        if (source.language or detect_language(text)[0]) == "en":
            for match in _UK_POSTCODE.finditer(text):
                if " " in match.group("code") and (postcode := normalise_postcode(match.group("code"))):
                    fields.append(make_field("postcode", postcode, match.group(0), UK, source))
        return fields
