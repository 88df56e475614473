"""Policy, claim and invoice numbers: read after their labels, or known by their prefix.

A label is a kind's word with or without a number sign, in French or English
("n° de contrat", "contrat n°", "police", "policy no.", "claim ref", "facture
n°", "invoice #"), possibly with a few words between ("contrat d'assurance auto
n°"). What follows must look like an identifier: it holds a digit, and it is not
a date, an amount, a phone number, a number plate or an IBAN. Without a label,
a capitalised prefix that names its kind (AUT-4587-2291, SIN-2025-00412,
FA-2025-0193) is enough, with less confidence.

Where a PDF page comes with its layout (`TextSource.layout`), labels are also
paired with the value printed beside them on the same row, or under them when
the label heads a column ("Customer  Invoice No.  Date" over its row of values);
a value the text layer merely puts on the line after a label gives way to what
the layout shows.

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
            # "Rechnung Nr.", "Factuur nr.", "Factura n.º", or alone atop the number's column
            "rechnung",
            "factuur",
            "factura",
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
COLUMN = 0.85  # "Invoice No." atop a column, the number under it (page layout)
GENERIC = 0.8  # "Référence : SIN-2025-00412"
SHAPE = 0.6  # "AUT-4587-2291" with no label

_CELL = re.compile(r"\S+(?: \S+)*")  # a cell of a laid-out row: words one space apart


def _label(kind: ReferenceKind, all_words: Sequence[str]) -> str:
    words = phrases(kind.words)
    # Words between a kind's word and its number sign must not be another kind's word,
    # or "dossier de la facture n° FA-1" would give the claim an invoice number.
    between = rf"(?:\s+(?!{phrases(all_words)})[a-z'\-]+){{1,3}}?"
    return (
        rf"(?P<numbered>{NUMBER_SIGN}\s*(?:de\s+|d'|du\s+)?(?:la\s+|l')?{words}(?:\s*{NUMBER_SIGN})?"
        rf"|{words}[\s.:]*{NUMBER_SIGN})"
        rf"|(?P<between>{words}{between}\s*{NUMBER_SIGN})"
        rf"|{words}"
    )


def _label_regex(kind: ReferenceKind, all_words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(
        rf"(?:{_label(kind, all_words)}){_VERB}{LABEL_GAP}(?:{NUMBER_SIGN}{LABEL_GAP})?"
        rf"(?P<value>{kind.value_pattern})"
    )


def _column_label_regex(kind: ReferenceKind, all_words: Sequence[str]) -> re.Pattern[str]:
    """A cell of a header row that is only a kind's label ("Invoice No.", "Factuur")."""
    return re.compile(rf"(?:{_label(kind, all_words)})[\s.:#]*")


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
    next_line: bool = False  # the value is the first thing on the line after its label


class ReferenceFinder:
    """Reference numbers of each `ReferenceKind`: labelled first, then by prefix."""

    def __init__(self, kinds: Sequence[ReferenceKind] = REFERENCE_KINDS) -> None:
        self.kinds = tuple(kinds)
        self.names = tuple(kind.name for kind in self.kinds)
        all_words = [word for kind in self.kinds for word in kind.words]
        self._labelled = [(kind.name, _label_regex(kind, all_words)) for kind in self.kinds]
        self._column_labels = [(kind.name, _column_label_regex(kind, all_words)) for kind in self.kinds]
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
        taken = Spans()
        read = self._read_labelled(text, self._labelled_values(fold(text)), source, settings, taken)
        if source.layout:
            read = self._with_layout(read, source, settings)
        fields = [field for field, _ in read]
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

    def _read_labelled(
        self,
        text: str,
        found: Iterable[_Labelled],
        source: TextSource,
        settings: ParsingSettings,
        taken: Spans,
    ) -> list[tuple[Field, bool]]:
        """Fields of the labelled values in `text` that are identifiers, each with whether
        it was read on the line after its label; `taken` gets their spans."""
        read: list[tuple[Field, bool]] = []
        for item in found:
            value = text[item.start : item.end].upper()
            if taken.overlaps(item.start, item.end) or not is_identifier(
                text, value, item.start, item.end, settings
            ):
                continue
            name = (self._kind_of_prefix(value) if item.prefix_decides else None) or item.kind
            taken.add(item.start, item.end)
            field = make_field(name, value, text[item.start : item.end], item.confidence, source)
            read.append((field, item.next_line))
        return read

    def _with_layout(
        self, read: list[tuple[Field, bool]], source: TextSource, settings: ParsingSettings
    ) -> list[tuple[Field, bool]]:
        """Adds what the page's layout shows: values beside their label on the printed row,
        and values under a label heading their column. Where the layout finds a kind's
        value, a value of that kind read on the line after its label in the text layer is
        dropped: that line is the next thing the producer wrote, not what is printed under
        the label (a header row's last label and the first value of the row below)."""
        layout = source.layout
        found = [*self._column_values(layout), *self._labelled_values(fold(layout))]
        from_layout = [
            (field, False)
            for field, next_line in self._read_labelled(layout, found, source, settings, Spans())
            if not next_line
        ]
        laid_out = {field.name for field, _ in from_layout}
        kept = [(field, next_line) for field, next_line in read if not (next_line and field.name in laid_out)]
        return kept + from_layout

    def _column_values(self, layout: str) -> Iterator[_Labelled]:
        """Values printed under a header cell that is a kind's label."""
        rows = list(_rows_with_offsets(layout))
        for (row, _), (below, offset) in zip(rows, rows[1:], strict=False):
            for cell in _CELL.finditer(fold(row)):
                for kind, regex in self._column_labels:
                    if not regex.fullmatch(cell.group(0)):
                        continue
                    value = _cell_under(below, *cell.span())
                    if value is not None and re.fullmatch(IDENTIFIER_VALUE, fold(below[value[0] : value[1]])):
                        start, end = value
                        yield _Labelled(offset + start, offset + end, kind, COLUMN, False)

    def _labelled_values(self, folded: str) -> Iterator[_Labelled]:
        for kind, regex in self._labelled:
            for match in regex.finditer(folded):
                start, end = match.span("value")
                next_line = "\n" in folded[match.start() : start]
                if match.group("numbered"):
                    yield _Labelled(start, end, kind, DIRECT, False, next_line)
                elif match.group("between"):
                    yield _Labelled(start, end, kind, WORDS_BETWEEN, True, next_line)
                else:
                    yield _Labelled(start, end, kind, BARE_WORD, False, next_line)
        for match in self._generic.finditer(folded):
            start, end = match.span("value")
            yield _Labelled(start, end, _GENERIC_KIND, GENERIC, True, "\n" in folded[match.start() : start])

    def _kind_of_prefix(self, value: str) -> str | None:
        letters = re.match(r"[A-Z]+", value)
        return self._prefix_kind.get(letters.group(0)) if letters else None


def _rows_with_offsets(layout: str) -> Iterator[tuple[str, int]]:
    offset = 0
    for row in layout.split("\n"):
        yield row, offset
        offset += len(row) + 1


def _cell_under(row: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the cell of `row` that shares most columns with start..end, if any."""
    best: tuple[int, tuple[int, int]] | None = None
    for cell in _CELL.finditer(row):
        shared = min(end, cell.end()) - max(start, cell.start())
        if shared > 0 and (best is None or shared > best[0]):
            best = (shared, cell.span())
    return best[1] if best else None
