"""Official registration numbers: SIRET and intra-EU VAT number (number plates: `plates`).

SIRET and VAT numbers carry check digits; a number that fails its check is a
typo or something else, and is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from stdnum.eu import vat as eu_vat
from stdnum.fr import siret as fr_siret
from stdnum.gb import vat as gb_vat

from extractors.fields.base import make_field, reads_text
from extractors.fields.plates import normalise_plate  # read from here before plates had a module
from extractors.fields.text import (
    IBAN_SHAPE,
    LABEL_GAP,
    NUMBER_SIGN,
    Spans,
    fold,
    line_span,
    longest_valid_prefix,
)
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = [
    "RegistrationFinder",
    "normalise_plate",
    "normalise_siret",
    "normalise_vat",
]

_SIRET = re.compile(r"(?<![\d.])\d{3}[ \u00a0.]?\d{3}[ \u00a0.]?\d{3}[ \u00a0.]?\d{5}(?![\d])")
_SIRET_LABEL = re.compile(r"siret|siren")

# Outside the EU VAT system but printed the same way on invoices.
_OTHER_VAT: dict[str, Callable[[str], bool]] = {"GB": gb_vat.is_valid}
_VAT_LABELLED = re.compile(
    rf"(?<![a-z])(?:{NUMBER_SIGN}\s*(?:de\s+|d'|du\s+)?)?(?:identifiant\s+)?(?:tva|vat|ust|btw|iva|mwst|moms)"
    r"(?:[\s\-.]*(?:intra[\s\-]*communautaire|intracom|intra|id(?:entification)?|idnr|nr|reg(?:istration)?"
    r"|number|no|n°|num(?:ero)?|code|\(.{0,20}?\)))*"
    rf"{LABEL_GAP}(?P<value>[a-z]{{2}}[ \u00a0.\-]?[0-9a-z](?:[ \u00a0.\-]?[0-9a-z]){{1,13}})",
)
_VAT_WRITTEN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9][0-9A-Z]{7,12}(?![A-Za-z0-9])")

_LABEL_REACH = 40  # how far before a SIRET its label may sit

LABELLED = 0.95
SIRET_WRITTEN = 0.6  # a Luhn-valid 14-digit run has a one-in-ten chance of being something else
VAT_WRITTEN = 0.7


def normalise_siret(text: str) -> str | None:
    """14 digits if `text` is a SIRET with a valid Luhn key, else None."""
    compact = re.sub(r"[\s.]", "", text)
    return compact if len(compact) == 14 and fr_siret.is_valid(compact) else None


def _valid_vat(compact: str) -> bool:
    other = _OTHER_VAT.get(compact[:2])
    return bool(other(compact) if other else eu_vat.is_valid(compact))


def normalise_vat(text: str) -> str | None:
    """Compact upper-case VAT number ("FR40303265045") if its check holds, else None."""
    compact = re.sub(r"[\s.\-]", "", text).upper()
    return compact if _valid_vat(compact) else None


class RegistrationFinder:
    """`siret` and `vat_number`."""

    names = ("siret", "vat_number")

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        text, folded = source.text, fold(source.text)
        return [
            *self._sirets(text, folded, source),
            *self._vat_numbers(text, folded, source),
        ]

    @staticmethod
    def _sirets(text: str, folded: str, source: TextSource) -> Iterable[Field]:
        ibans = Spans(match.span() for match in IBAN_SHAPE.finditer(text))
        for match in _SIRET.finditer(text):
            siret = normalise_siret(match.group(0))
            if siret is None or ibans.overlaps(match.start(), match.end()):
                continue
            line_start = line_span(text, match.start(), _LABEL_REACH)[0]
            labelled = _SIRET_LABEL.search(folded, line_start, match.start())
            yield make_field("siret", siret, match.group(0), LABELLED if labelled else SIRET_WRITTEN, source)

    @staticmethod
    def _vat_numbers(text: str, folded: str, source: TextSource) -> Iterable[Field]:
        labelled = Spans()
        for match in _VAT_LABELLED.finditer(folded):
            start = match.start("value")
            found = longest_valid_prefix(text[start : match.end("value")], _valid_vat, 8)
            if found is not None:
                labelled.add(start, start + found[1])
                yield make_field("vat_number", found[0], text[start : start + found[1]], LABELLED, source)
        for match in _VAT_WRITTEN.finditer(text):
            # Written alone, a VAT number is one token; an IBAN's groups cannot form one.
            if labelled.overlaps(match.start(), match.end()):
                continue
            if (vat := normalise_vat(match.group(0))) is not None:
                yield make_field("vat_number", vat, match.group(0), VAT_WRITTEN, source)
