"""Policy, claim and invoice numbers: read after their labels, or known by their prefix.

A label is a kind's word with or without a number sign, in French or English
("n° de contrat", "contrat n°", "police", "policy no.", "claim ref", "facture
n°", "invoice #"), possibly with a few words between ("contrat d'assurance auto
n°"), or with a word or two naming the cover before a value that is plainly a
reference ("contrat habitation HM-0620433"). Some words name a kind only beside a
number sign ("n° client", "customer number"); the customer's own reference ("my
ref is") is their policy's. What follows must look like an identifier: it holds a
digit, and it is not a date, an amount, a phone number, a number plate or an
IBAN; a letter prefix may stand before groups of digits ("MOT 2011 003 27"). Without a label,
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
from extractors.fields.base import make_field, reads_text, source_kind
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
# Or a letter prefix and groups of digits one space apart ("MOT 2011 003 27"), none of them
# the day of a date or a sum ("MRH 123456 15 mars", "AB 1234 150 €").
_NOT_A_GROUP = (
    r"(?![\d,.]\d| ?(?:€|%|eur|jan|fev|feb|mar|avr|apr|mai|may|jun|jui|jul|aou|aug|sep|oct|nov|dec))"
)
# Or groups of digits one space apart, a group of capitals perhaps among them ("4471 2209",
# "77 410 932", "26 DDE 3391"), the last not a unit, a street or a month ("12345 15 jours"),
# and the run whole (the first groups of "06 12 34 56 78" are no reference).
_NOT_A_UNIT = (
    r"(?! ?(?:jours?|days?|ans?|years?|mois|months?|semaines?|weeks?|heures?|hours?|h|km|kg"
    r"|rue|avenue|av|bd|boulevard|chemin|allee|impasse|place|route|street|st|road|rd|lane|close|drive)(?![a-z]))"
)
IDENTIFIER_VALUE = (
    r"(?=(?:[a-z]{2,5} )?[a-z0-9\-/._]*?\d)"
    rf"(?:[a-z]{{2,5}}(?: \d{{2,6}}{_NOT_A_GROUP}){{2,4}}(?![a-z0-9])"
    rf"|\d{{2,6}}{_NOT_A_GROUP}(?: (?:[a-z]{{2,4}} )?\d{{1,6}}{_NOT_A_GROUP}){{1,3}}"
    rf"{_NOT_A_UNIT}(?![a-z0-9]| \d)"
    r"|(?:[a-z]{2,5} (?=\d))?[a-z0-9](?:[a-z0-9]|[\-/._](?=[a-z0-9])){2,39}(?![a-z0-9]))"
)


@dataclass(frozen=True)
class ReferenceKind:
    name: str  # the field it fills
    words: tuple[str, ...]  # label words, folded (see text.phrases for the syntax)
    prefixes: tuple[str, ...] = ()  # capitalised value prefixes that name this kind
    value_pattern: str = IDENTIFIER_VALUE
    # Words that name this kind only beside a number sign: "n° client", "réf. client",
    # "customer number" are a policy's, where a bare "client 1234" is nothing.
    numbered_words: tuple[str, ...] = ()


REFERENCE_KINDS: tuple[ReferenceKind, ...] = (
    ReferenceKind(
        "policy_number",
        (
            "contrat",
            "police",
            "adherent",
            "adherente",
            "societaire",
            "policy",
            "contract",
            "membership",
            "cover",
            "pol.",
            "insurance",
            "assurance",
        ),
        ("POL", "CTR", "CNT", "AUT", "HAB", "MRH"),
        numbered_words=("client", "cliente", "customer", "assure", "assuree", "member", "membre", "plan"),
    ),
    ReferenceKind(
        "claim_number",
        ("sinistre", "dossier", "claim", "declaration de sinistre", "case"),
        ("SIN", "CLM", "DOS"),
        numbered_words=("file", "incident", "declaration"),
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
# "Votre référence", "Our ref" name no kind: the insurer's reference of a file, a claim's in
# this trade, unless the value's prefix says otherwise. A bare "Réf :" in the customer's text
# is a claim's only where the text speaks of a claim; otherwise it is what every customer
# holds, a policy ("this is for my contents, ref: LHI-00921-B").
_GENERIC_KIND = "claim_number"
_GENERIC_LABEL = r"(?<![a-z])(?P<whose>(?:votre|notre|vos|nos|your|our)\s+)?(?:reference|ref)s?\.?(?![a-z])"
_SUBJECT_ONLY = re.compile(rf"\s*(?:(?:re|tr|fwd?|aw)\s*:\s*)*(?P<value>{IDENTIFIER_VALUE})[\s.]*")
_CLAIM_MENTIONED = re.compile(r"(?<![a-z])(?:sinistres?|dossiers?|claims?|cases?|declarations?)(?![a-z])")
# The customer's own reference ("my ref is", "ma référence") is the one they hold: their policy.
_OWN_KIND = "policy_number"
_OWN_LABEL = r"(?<![a-z])(?:my|mon|ma|mes)\s+(?:reference|ref)s?\.?(?![a-z])"

# "My policy number is X", "mon numéro de contrat est le X".
_VERB = r"(?:\s+(?:is|was|est|etait)(?:\s+(?:le|the))?(?=\s))?"
_PREFIXED = r"[a-z]{1,5}(?:[\-/][a-z]{1,5})*[\-/ ]?\d"
# A number sign cut short or mistyped: "contrat n AUT-4587-2291", "contrat c AUT-4587-2291".
_STRAY_LETTER = r"(?:[b-df-hj-np-tv-xz]\.?[ \t]+)?"
_YEARS = re.compile(r"(?:19|20)\d\d[\-/](?:(?:19|20)\d\d|\d\d)")
_TOWN_AFTER = re.compile(r"[ \t]+[A-ZÀ-Ý][A-Za-zÀ-ÿ'\-]+")

DIRECT = 0.95  # "N° de contrat : AUT-4587-2291"
BARE_WORD = 0.9  # "Contrat AUT-4587-2291"
WORDS_BETWEEN = 0.85  # "contrat d'assurance auto n° 4587", "contrat habitation HM-0620433"
COLUMN = 0.85  # "Invoice No." atop a column, the number under it (page layout)
GENERIC = 0.8  # "Référence : SIN-2025-00412"
SHAPE = 0.6  # "AUT-4587-2291" with no label

_CELL = re.compile(r"\S+(?: \S+)*")  # a cell of a laid-out row: words one space apart


def _label(kind: ReferenceKind, all_words: Sequence[str]) -> str:
    words = phrases(kind.words)
    numbered = phrases([*kind.words, *kind.numbered_words])
    # Words between a kind's word and its number sign must not be another kind's word,
    # or "dossier de la facture n° FA-1" would give the claim an invoice number.
    between = rf"(?:\s+(?!{phrases(all_words)})[a-z'\-]+){{1,5}}?"
    return (
        rf"(?P<numbered>{NUMBER_SIGN}\s*(?:de\s+|d'|du\s+)?(?:la\s+|l')?{numbered}(?:\s*{NUMBER_SIGN})?"
        rf"|{numbered}[\s.:]*{NUMBER_SIGN})"
        rf"|(?P<between>{words}{between}[\s(]*{NUMBER_SIGN}"
        # Without a number sign, a word or two naming the cover ("contrat habitation") may stand
        # before a value that is plainly a reference: letters, then digits ("HM-0620433").
        rf"|{words}(?:\s+(?!{phrases(all_words)})[a-z'\-]+){{1,2}}?[ \t]*:?\s+(?={_PREFIXED}))"
        rf"|{words}"
    )


def _label_regex(kind: ReferenceKind, all_words: Sequence[str]) -> re.Pattern[str]:
    # A label is a word of its own, not part of a web or mail address ("actu-assurance.example/142").
    return re.compile(
        rf"(?<![\-./@_])(?:{_label(kind, all_words)}){_VERB}{LABEL_GAP}"
        rf"(?:{NUMBER_SIGN}{LABEL_GAP})?{_STRAY_LETTER}"
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
    if _YEARS.fullmatch(value):
        return False  # a span of years: "attestation d'assurance 2025-2026", "insurance 2025/26"
    raw = text[start:end]
    prefix = raw.rpartition(" ")[0]
    if prefix and not (prefix.isupper() or (prefix.replace(" ", "").isdigit() and not raw.islower())):
        return False  # "du 12345", "auto 2", "12 des": a word, not the first block of a number
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
        generic = rf"{_GENERIC_LABEL}{_VERB}{LABEL_GAP}(?P<value>{IDENTIFIER_VALUE})"
        self._generic = re.compile(generic if _GENERIC_KIND in self.names else "(?!)")
        own = rf"{_OWN_LABEL}{_VERB}{LABEL_GAP}(?P<value>{IDENTIFIER_VALUE})"
        self._own = re.compile(own if _OWN_KIND in self.names else "(?!)")
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
        kind = source_kind(source.source)
        found = [*self._labelled_values(fold(text), kind in ("body", "subject"))]
        if kind == "subject":
            found += _subject_reference(fold(text))
        read = self._read_labelled(text, found, source, settings, taken)
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
            end = _before_street_number(text, item.start, item.end)
            value = text[item.start : end].upper()
            if taken.overlaps(item.start, end) or not is_identifier(text, value, item.start, end, settings):
                continue
            name = (self._kind_of_prefix(value) if item.prefix_decides else None) or item.kind
            taken.add(item.start, end)
            field = make_field(name, value, text[item.start : end], item.confidence, source)
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

    def _labelled_values(self, folded: str, customer: bool = False) -> Iterator[_Labelled]:
        """Values after their labels; `customer` says the text is the customer's own."""
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
        for kind, regex in ((_OWN_KIND, self._own), (_GENERIC_KIND, self._generic)):
            for match in regex.finditer(folded):
                start, end = match.span("value")
                bare = kind == _GENERIC_KIND and not match.group("whose")
                if bare and customer and not _CLAIM_MENTIONED.search(folded):
                    kind = _OWN_KIND
                yield _Labelled(start, end, kind, GENERIC, True, "\n" in folded[match.start() : start])

    def _kind_of_prefix(self, value: str) -> str | None:
        letters = re.match(r"[A-Z]+", value)
        return self._prefix_kind.get(letters.group(0)) if letters else None


def _before_street_number(text: str, start: int, end: int) -> int:
    """Where a value in groups of digits ends when its last group is the number of a street
    or a house ("Policy 771204 12 Station Road", "contrat 771204 12 Grande Rue")."""
    raw = text[start:end]
    if " " in raw and raw.replace(" ", "").isdigit() and _TOWN_AFTER.match(text, end):
        return start + raw.rindex(" ")
    return end


def _subject_reference(folded: str) -> Iterator[_Labelled]:
    """A subject line that is nothing but a reference ("Re: HT-8812-330") gives the one the
    customer holds, their policy, unless its prefix names another kind."""
    match = _SUBJECT_ONLY.fullmatch(folded)
    if match is not None:
        yield _Labelled(*match.span("value"), _OWN_KIND, GENERIC, True)


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
