"""Policy, claim and invoice numbers: read after their labels, or known by their prefix.

A label is a kind's word with or without a number sign, in French or English
("n° de contrat", "contrat n°", "police", "policy no.", "claim ref", "facture
n°", "invoice #"), possibly with a few words between ("contrat d'assurance auto
n°"). What follows must look like an identifier: it holds a digit, and it is not
a date, an amount, a phone number, a number plate or an IBAN. Without a label,
a capitalised prefix that names its kind (AUT-4587-2291, SIN-2025-00412,
FA-2025-0193) is enough, with less confidence.

`ReferenceKind` is the seam for user-defined fields: a name, label words and,
if need be, a value pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from extractors.fields.amounts import find_money
from extractors.fields.banking import normalise_iban
from extractors.fields.base import make_field, reads_text
from extractors.fields.contacts import normalise_phone
from extractors.fields.registrations import normalise_plate
from extractors.fields.text import LABEL_GAP, NUMBER_SIGN, Spans, fold, phrases
from extractors.fields.written_dates import find_dates
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["IDENTIFIER_VALUE", "REFERENCE_KINDS", "ReferenceFinder", "ReferenceKind", "is_identifier"]

# On folded text: letters and digits, joined by single dashes, slashes, dots or underscores,
# possibly after a short letter prefix and a space ("MRH 123456"), holding a digit (checked
# ahead, so that "Bill\nInvoice No 123" does not spend "Invoice" as a value and miss its label).
IDENTIFIER_VALUE = (
    r"(?=(?:[a-z]{2,5} )?[a-z0-9\-/._]*?\d)"
    r"(?:[a-z]{2,5} (?=\d))?[a-z0-9](?:[a-z0-9]|[\-/._](?=[a-z0-9])){2,39}(?![a-z0-9])"
)


@dataclass(frozen=True)
class ReferenceKind:
    name: str  # the field it fills
    words: tuple[str, ...]  # label words, folded (see text.phrases for the syntax)
    prefixes: tuple[str, ...] = ()  # capitalised value prefixes that name this kind
    value_pattern: str = IDENTIFIER_VALUE


REFERENCE_KINDS: tuple[ReferenceKind, ...] = (
    ReferenceKind(
        "policy_number",
        ("contrat", "police", "adherent", "societaire", "policy", "contract", "membership"),
        ("POL", "CTR", "CNT", "AUT", "HAB", "MRH"),
    ),
    ReferenceKind(
        "claim_number",
        ("sinistre", "dossier", "claim", "declaration de sinistre"),
        ("SIN", "CLM", "DOS"),
    ),
    ReferenceKind(
        "invoice_number",
        (
            "facture",
            "invoice",
            "receipt",
            "recu",
            "bill",
            "note d'honoraires",
            "devis",
            "quote",
            "estimate",
            # German, Dutch and Polish invoices write the number sign into the word
            "rechnungsnummer",
            "rechnungsnr",
            "rechnungs-nr",
            "factuurnummer",
            "factuurnr",
            "faktura",
            # Shops and booking sites bill under their order or booking id
            "order id",
            "booking id",
        ),
        ("FA", "FAC", "FCT", "INV"),
    ),
)
# A bare "Référence :" or "Our ref" names no kind: it is a claim reference in this
# trade, unless the value's prefix says otherwise.
_GENERIC_KIND = "claim_number"
_GENERIC_LABEL = r"(?<![a-z])(?:(?:votre|notre|vos|nos|your|our)\s+)?(?:reference|ref)s?\.?(?![a-z])"

# "My policy number is X", "mon numéro de contrat est le X".
_VERB = r"(?:\s+(?:is|was|est|etait)(?:\s+(?:le|the))?(?=\s))?"
_TOWN_AFTER = re.compile(r"[ \t]+[A-ZÀ-Ý][A-Za-zÀ-ÿ'\-]+")

DIRECT = 0.95  # "N° de contrat : AUT-4587-2291"
BARE_WORD = 0.9  # "Contrat AUT-4587-2291"
WORDS_BETWEEN = 0.85  # "contrat d'assurance auto n° 4587"
GENERIC = 0.8  # "Référence : SIN-2025-00412"
SHAPE = 0.6  # "AUT-4587-2291" with no label


def _label_regex(kind: ReferenceKind, all_words: Sequence[str]) -> re.Pattern[str]:
    words = phrases(kind.words)
    # Words between a kind's word and its number sign must not be another kind's word,
    # or "dossier de la facture n° FA-1" would give the claim an invoice number.
    between = rf"(?:\s+(?!{phrases(all_words)})[a-z'\-]+){{1,3}}?"
    label = (
        rf"(?P<numbered>{NUMBER_SIGN}\s*(?:de\s+|d'|du\s+)?(?:la\s+|l')?{words}(?:\s*{NUMBER_SIGN})?"
        rf"|{words}[\s.:]*{NUMBER_SIGN})"
        rf"|(?P<between>{words}{between}\s*{NUMBER_SIGN})"
        rf"|{words}"
    )
    return re.compile(
        rf"(?:{label}){_VERB}{LABEL_GAP}(?:{NUMBER_SIGN}{LABEL_GAP})?(?P<value>{kind.value_pattern})"
    )


def is_identifier(text: str, value: str, start: int, end: int, settings: ParsingSettings) -> bool:
    """Whether `value` (at text[start:end]) can be a reference number and nothing else."""
    compact = re.sub(r"[\-/._]", "", value)
    if not any(char.isdigit() for char in value) or len(compact) < 4:
        return False
    if compact.isdigit() and len(compact) == 4 and compact[:2] in ("19", "20"):
        return False  # a year: "sinistre 2024"
    prefix = text[start:end].rpartition(" ")[0]
    if prefix and not prefix.isupper():
        return False  # "du 12345", "auto 2": a word, not the first block of a number
    if next(find_dates(fold(value), settings.day_first), None) is not None:
        return False
    if len(compact) == 5 and compact.isdigit() and _TOWN_AFTER.match(text, end):
        return False  # "75011 Paris": a postcode
    money = next(iter(find_money(text[start : end + 8])), None)
    if money is not None and money.start == 0 and (money.currency or money.has_cents):
        return False
    if value[:1] in "0+" and compact.isdigit() and normalise_phone(value, settings.default_region):
        return False
    return normalise_plate(value) is None and normalise_iban(value) is None


@dataclass(frozen=True)
class _Labelled:
    start: int  # of the value
    end: int
    kind: str  # the field the label names
    confidence: float
    prefix_decides: bool  # a loose label: a prefix naming another kind wins ("Référence : FA-12")


class ReferenceFinder:
    """Reference numbers of each `ReferenceKind`: labelled first, then by prefix."""

    def __init__(self, kinds: Sequence[ReferenceKind] = REFERENCE_KINDS) -> None:
        self.kinds = tuple(kinds)
        self.names = tuple(kind.name for kind in self.kinds)
        all_words = [word for kind in self.kinds for word in kind.words]
        self._labelled = [(kind.name, _label_regex(kind, all_words)) for kind in self.kinds]
        # Only the built-in kinds read a bare "Référence :"; a user-defined kind has its own labels.
        generic = rf"{_GENERIC_LABEL}{LABEL_GAP}(?P<value>{IDENTIFIER_VALUE})"
        self._generic = re.compile(generic if _GENERIC_KIND in self.names else "(?!)")
        self._prefix_kind = {prefix: kind.name for kind in self.kinds for prefix in kind.prefixes}
        prefixes = "|".join(sorted(self._prefix_kind, key=len, reverse=True)) or "(?!)"
        self._shape = re.compile(
            rf"(?<![A-Za-z0-9\-/])(?:{prefixes})[\-_/]?\d[A-Z0-9]*(?:[\-/][A-Z0-9]+)*(?![A-Za-z0-9])"
        )

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        text = source.text
        fields: list[Field] = []
        taken = Spans()
        for found in self._labelled_values(fold(text)):
            value = text[found.start : found.end].upper()
            if taken.overlaps(found.start, found.end) or not is_identifier(
                text, value, found.start, found.end, settings
            ):
                continue
            name = (self._kind_of_prefix(value) if found.prefix_decides else None) or found.kind
            taken.add(found.start, found.end)
            fields.append(make_field(name, value, text[found.start : found.end], found.confidence, source))
        for match in self._shape.finditer(text):
            value, name = match.group(0), self._kind_of_prefix(match.group(0))
            if (
                name
                and sum(char.isdigit() for char in value) >= 3
                and not taken.overlaps(match.start(), match.end())
                and is_identifier(text, value, match.start(), match.end(), settings)
            ):
                fields.append(make_field(name, value, value, SHAPE, source))
        return fields

    def _labelled_values(self, folded: str) -> Iterator[_Labelled]:
        for kind, regex in self._labelled:
            for match in regex.finditer(folded):
                start, end = match.span("value")
                if match.group("numbered"):
                    yield _Labelled(start, end, kind, DIRECT, prefix_decides=False)
                elif match.group("between"):
                    yield _Labelled(start, end, kind, WORDS_BETWEEN, prefix_decides=True)
                else:
                    yield _Labelled(start, end, kind, BARE_WORD, prefix_decides=False)
        for match in self._generic.finditer(folded):
            yield _Labelled(*match.span("value"), _GENERIC_KIND, GENERIC, prefix_decides=True)

    def _kind_of_prefix(self, value: str) -> str | None:
        letters = re.match(r"[A-Z]+", value)
        return self._prefix_kind.get(letters.group(0)) if letters else None
