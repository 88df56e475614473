"""Policy, claim and invoice numbers: read after their labels, or known by their prefix.

A label is a kind's word with or without a number sign, in French or English
("n° de contrat", "contrat n°", "police", "policy no.", "claim ref", "facture
n°", "invoice #"), possibly with a few words between ("contrat d'assurance auto
n°", "contrat assistance voyage chez vous, n°"), or with a word or two naming the
cover before a value that is plainly a reference: letters, then digits
("contrat habitation HM-0620433"), or six digits or more ("contrat auto 4471 2209
88"); a cover word written in capitals is the value's prefix ("contract AUTO 6129
3305 C"). Some words name a kind only beside a number sign ("n° client", "customer
number", "n° d'adhésion"); the customer's own reference ("my ref is") is their
policy's. A label word mistyped by one slip is still a label ("N° de polcie",
"numero de contart"; see `label_typos`). The value may follow in brackets or after a
comma ("policy (HL-IE-HOME-448190)", "annual policy, WCA 2026 0388 104"); what it
may look like, and what it must not be (a date, an amount, a phone number, a number
plate, an IBAN, a year, a time), is `reference_values`' business.

Without a label, a capitalised prefix that names its kind (AUT-4587-2291,
SIN-2025-00412, FA-2025-0193) is enough, with less confidence. In the customer's own
text, so is a plain reference (capitals and five digits or more, joined by dashes or
slashes) whose kind's number is spoken of earlier in its sentence ("my policy number is
on your letter, I think it is NHP/0048823/H"); a part of the subject set apart by a dash
("Renewal price - HL/HOME/0931277"), and a line of the signature or the last line of
the text that is nothing but a reference ("Ben\nPS 61 448 207"), give the one the
customer holds, their policy, unless its prefix names another kind (see `unlabelled`).

Where a PDF page comes with its layout (`TextSource.layout`), labels are also
paired with the value printed beside them on the same row, or under them when
the label heads a column ("Customer  Invoice No.  Date" over its row of values);
a value the text layer merely puts on the line after a label gives way to what
the layout shows.

`ReferenceKind` is the seam for user-defined fields: a name, label words and,
if need be, a value pattern.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from extractors.fields.base import make_field, reads_text, source_kind
from extractors.fields.label_typos import misspellings, slips_in
from extractors.fields.reference_values import FUNCTION_WORDS, IDENTIFIER_VALUE, is_identifier, trimmed
from extractors.fields.text import LABEL_GAP, NUMBER_SIGN, Spans, fold, phrases
from extractors.fields.unlabelled import announced_references, names_something_else, own_reference_spans
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["IDENTIFIER_VALUE", "REFERENCE_KINDS", "ReferenceFinder", "ReferenceKind", "is_identifier"]


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
        numbered_words=(
            "client",
            "cliente",
            "customer",
            "assure",
            "assuree",
            "member",
            "membre",
            "plan",
            "adhesion",
        ),
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
_CLAIM_MENTIONED = re.compile(r"(?<![a-z])(?:sinistres?|dossiers?|claims?|cases?|declarations?)(?![a-z])")
# The customer's own reference ("my ref is", "ma référence") is the one they hold: their policy.
_OWN_KIND = "policy_number"
_OWN_LABEL = r"(?<![a-z])(?:my|mon|ma|mes)\s+(?:reference|ref)s?\.?(?![a-z])"
_SLIP_CACHE = 64  # label regexes kept for so many sets of slips

# "My policy number is X", "mon numéro de contrat est le X".
_VERB = r"(?:\s+(?:is|was|est|etait)(?:\s+(?:le|the))?(?=\s))?"
# What a cover word may stand before: letters, then digits ("HM-0620433", "MRH 2019 004 81"),
# or, if the word is no mere "de" or "since", six digits or more ("4471 2209 88", "46-118-207").
_PREFIXED = r"[a-z]{1,5}(?:[\-/][a-z]{1,5})*[\-/ ]?\d"
_LONG_DIGITS = r"\d(?:[ \-/.]?\d){5}"
_FUNCTION_WORD = phrases(FUNCTION_WORDS)
# After the label, the value may open a bracket ("policy (HL-IE-HOME-448190)") or follow a
# comma when a number sign or a prefix makes it plain ("annual policy, WCA 2026 0388 104").
_GAP = rf"{LABEL_GAP}(?:\([ \t]*|,[ \t]*(?={NUMBER_SIGN}|{_PREFIXED}))?"
# A number sign cut short or mistyped: "contrat n AUT-4587-2291", "contrat c AUT-4587-2291"
# (before digits, a lone letter is the value's prefix or is left out by `trimmed`).
_STRAY_LETTER = r"(?:[b-df-hj-np-tv-xz]\.?[ \t]+(?=[a-z]))?"

DIRECT = 0.95  # "N° de contrat : AUT-4587-2291"
BARE_WORD = 0.9  # "Contrat AUT-4587-2291"
WORDS_BETWEEN = 0.85  # "contrat d'assurance auto n° 4587", "contrat habitation HM-0620433"
COLUMN = 0.85  # "Invoice No." atop a column, the number under it (page layout)
GENERIC = 0.8  # "Référence : SIN-2025-00412"
NEAR_LABEL = 0.7  # "my policy number is on your letter, I think it is NHP/0048823/H"
SHAPE = 0.6  # "AUT-4587-2291" with no label

_WORD = re.compile(r"[a-z][a-z'\-]+")
_CAPITAL_PREFIX = re.compile(r"[A-Z]{2,5}(?:-[A-Z]{1,5})* ")  # "AUTO ", "MUT-FAM "
_CELL = re.compile(r"\S+(?: \S+)*")  # a cell of a laid-out row: words one space apart


def _numbered_label(kind: ReferenceKind) -> str:
    """A kind's word or numbered word beside a number sign: "n° de contrat", "policy number"."""
    numbered = phrases([*kind.words, *kind.numbered_words])
    return (
        rf"{NUMBER_SIGN}\s*(?:de\s+|d'|du\s+)?(?:la\s+|l')?{numbered}(?:\s*{NUMBER_SIGN})?"
        rf"|{numbered}[\s.:]*{NUMBER_SIGN}"
    )


def _label(kind: ReferenceKind, all_words: Sequence[str]) -> str:
    words = phrases(kind.words)
    other = phrases(all_words)
    # Words between a kind's word and its number sign must not be another kind's word,
    # or "dossier de la facture n° FA-1" would give the claim an invoice number.
    between = rf"(?:[\s,(]+(?!{other})[a-z'\-]+){{1,5}}?"
    cover = rf"(?:\s+(?!{other})[a-z][a-z'\-]+){{1,2}}?"
    cover_word = rf"(?:\s+(?!{other}|{_FUNCTION_WORD})[a-z][a-z'\-]+){{1,2}}?"
    return (
        rf"(?P<numbered>{_numbered_label(kind)})"
        rf"|(?P<between>{words}{between}[\s,(]*{NUMBER_SIGN})"
        # Without a number sign, a word or two naming the cover ("contrat habitation") may stand
        # before a value that is plainly a reference.
        rf"|(?P<cover>{words}{cover}[ \t]*:?\s+\(?(?={_PREFIXED})"
        rf"|{words}{cover_word}[ \t]*:?\s+\(?(?={_LONG_DIGITS}))"
        rf"|{words}"
    )


def _label_regex(kind: ReferenceKind, all_words: Sequence[str]) -> re.Pattern[str]:
    # A label is a word of its own, not part of a web or mail address ("actu-assurance.example/142").
    return re.compile(
        rf"(?<![\-./@_])(?:{_label(kind, all_words)}){_VERB}{_GAP}"
        rf"(?:{NUMBER_SIGN}{LABEL_GAP})?{_STRAY_LETTER}"
        rf"(?P<value>{kind.value_pattern})"
    )


def _column_label_regex(kind: ReferenceKind, all_words: Sequence[str]) -> re.Pattern[str]:
    """A cell of a header row that is only a kind's label ("Invoice No.", "Factuur")."""
    return re.compile(rf"(?:{_label(kind, all_words)})[\s.:#]*")


@dataclass(frozen=True)
class _Labelled:
    start: int  # of the value
    end: int
    kind: str  # the field the label names
    confidence: float
    prefix_decides: bool  # a loose label: a prefix naming another kind wins ("Référence : FA-12")
    next_line: bool = False  # the value is the first thing on the line after its label
    cover_word: int | None = None  # where the last word naming the cover starts, if any


class ReferenceFinder:
    """Reference numbers of each `ReferenceKind`: labelled first, then by prefix."""

    def __init__(self, kinds: Sequence[ReferenceKind] = REFERENCE_KINDS) -> None:
        self.kinds = tuple(kinds)
        self.names = tuple(kind.name for kind in self.kinds)
        self._labelled = _label_regexes(self.kinds)
        all_words = [word for kind in self.kinds for word in kind.words]
        self._column_labels = [(kind.name, _column_label_regex(kind, all_words)) for kind in self.kinds]
        self._slips = misspellings(
            word for kind in self.kinds for word in [*kind.words, *kind.numbered_words]
        )
        self._with_slips: dict[frozenset[str], list[tuple[str, re.Pattern[str]]]] = {}
        self._announcers = [(kind.name, re.compile(_numbered_label(kind))) for kind in self.kinds]
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
        text, folded = source.text, fold(source.text)
        taken = Spans()
        kind = source_kind(source.source)
        customer = kind in ("body", "subject", "signature")
        found = [*self._labelled_values(folded, kind in ("body", "subject"))]
        if customer and _OWN_KIND in self.names:
            found += [
                _Labelled(start, end, _OWN_KIND, GENERIC, True)
                for start, end in own_reference_spans(folded, kind, settings.default_region)
            ]
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
                taken.add(match.start(), match.end())
                fields.append(make_field(name, value, value, SHAPE, source))
        if customer:
            fields += self._announced(text, folded, source, settings, taken)
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
            start, end = trimmed(text, _with_capital_prefix(text, item), item.end)
            value = text[start:end].upper()
            if taken.overlaps(start, end) or not is_identifier(text, value, start, end, settings):
                continue
            name = (self._kind_of_prefix(value) if item.prefix_decides else None) or item.kind
            taken.add(start, end)
            field = make_field(name, value, text[start:end], item.confidence, source)
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
        for kind, regex in self._regexes_for(folded):
            for match in regex.finditer(folded):
                start, end = match.span("value")
                next_line = "\n" in folded[match.start() : start]
                if match.group("numbered"):
                    yield _Labelled(start, end, kind, DIRECT, False, next_line)
                elif match.group("between"):
                    yield _Labelled(start, end, kind, WORDS_BETWEEN, True, next_line)
                elif match.group("cover"):
                    words = list(_WORD.finditer(folded, match.start("cover"), match.end("cover")))
                    yield _Labelled(start, end, kind, WORDS_BETWEEN, True, next_line, words[-1].start())
                else:
                    yield _Labelled(start, end, kind, BARE_WORD, False, next_line)
        for kind, regex in ((_OWN_KIND, self._own), (_GENERIC_KIND, self._generic)):
            for match in regex.finditer(folded):
                start, end = match.span("value")
                bare = kind == _GENERIC_KIND and not match.group("whose")
                if bare and customer and not _CLAIM_MENTIONED.search(folded):
                    kind = _OWN_KIND
                yield _Labelled(start, end, kind, GENERIC, True, "\n" in folded[match.start() : start])

    def _regexes_for(self, folded: str) -> list[tuple[str, re.Pattern[str]]]:
        """The label regexes of each kind, with the slips of its words that `folded` holds."""
        slips = slips_in(folded, self._slips)
        if not slips:
            return self._labelled
        key = frozenset(slips)
        if key not in self._with_slips:
            if len(self._with_slips) > _SLIP_CACHE:
                self._with_slips.clear()
            self._with_slips[key] = _label_regexes(self.kinds, slips)
        return self._with_slips[key]

    def _announced(
        self, text: str, folded: str, source: TextSource, settings: ParsingSettings, taken: Spans
    ) -> list[Field]:
        """Plain references that a kind's word announces earlier in their sentence, unless
        their prefix names a kind (read already) or they name something else."""
        fields = []
        for start, end, name in announced_references(text, folded, self._announcers):
            value = text[start:end]
            if (
                not taken.overlaps(start, end)
                and not self._kind_of_prefix(value)
                and not names_something_else(value, settings.default_region)
                and is_identifier(text, value, start, end, settings)
            ):
                taken.add(start, end)
                fields.append(make_field(name, value, value, NEAR_LABEL, source))
        return fields

    def _kind_of_prefix(self, value: str) -> str | None:
        letters = re.match(r"[A-Z]+", value)
        return self._prefix_kind.get(letters.group(0)) if letters else None


def _label_regexes(
    kinds: Sequence[ReferenceKind], slips: dict[str, str] | None = None
) -> list[tuple[str, re.Pattern[str]]]:
    """Each kind's label regex; `slips` (a mistyped word to the label word it stands for) are
    read as the words they stand for."""
    if slips:
        kinds = [_with_slips(kind, slips) for kind in kinds]
    all_words = [word for kind in kinds for word in kind.words]
    return [(kind.name, _label_regex(kind, all_words)) for kind in kinds]


def _with_slips(kind: ReferenceKind, slips: dict[str, str]) -> ReferenceKind:
    return dataclasses.replace(
        kind,
        words=(*kind.words, *(slip for slip, word in slips.items() if word in kind.words)),
        numbered_words=(
            *kind.numbered_words,
            *(slip for slip, word in slips.items() if word in kind.numbered_words),
        ),
    )


def _with_capital_prefix(text: str, item: _Labelled) -> int:
    """Where a value read after a word naming the cover starts: at that word when it is
    written in capitals right before the digits ("contract AUTO 6129 3305 C"), which makes it
    the value's prefix, not the cover's name ("contrat auto 4471 2209 88")."""
    if item.cover_word is None:
        return item.start
    word = text[item.cover_word : item.start]
    return item.cover_word if _CAPITAL_PREFIX.fullmatch(word) else item.start


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
