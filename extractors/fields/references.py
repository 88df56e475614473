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
plate, an IBAN, a year, a time), is `reference_values`' business; a number label
("N° de contrat : 0 447 120 938") keeps a value that has a phone's shape. How labels are
written (a product's name or a gloss before the number sign, short forms, the writer's own
language, "police" in English) is `reference_labels`' business.

A member's or a customer's number ("n° sociétaire 448 091") is the policy's only where no
number is given for the contract itself; "just in case:" is no case's label.

Without a label, a capitalised prefix that names its kind (AUT-4587-2291,
SIN-2025-00412, FA-2025-0193), perhaps after the insurer's letters or before a branch's
(TT-CLM-8812, CLM-PS-771042), is enough, with less confidence. In the customer's own
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

Across the texts of a mail, a value read as references of several kinds is of the kind
its surest reading names (`one_kind_per_value`): "Your ref: MTR 884 019 22" is the policy
the subject calls "Policy MTR 884 019 22".

`ReferenceKind` is the seam for user-defined fields: a name, label words and,
if need be, a value pattern.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from extractors.fields.base import make_field, reads_text, source_kind
from extractors.fields.label_owners import names_other_contract, names_someone_elses_file, names_whose
from extractors.fields.reference_labels import (
    ENGLISH_FALSE_FRIENDS,
    GENERIC_LABEL,
    OWN_LABEL,
    REFERENCE_KINDS,
    LabelSet,
    ReferenceKind,
    column_label_regex,
    in_english,
    is_product_name,
    labelled_value_regex,
)
from extractors.fields.reference_values import IDENTIFIER_VALUE, is_identifier, trimmed
from extractors.fields.text import Spans, fold
from extractors.fields.unlabelled import (
    LAST_GROUP,
    announced_references,
    names_something_else,
    own_reference_spans,
    product_initials_spans,
)
from extractors.language import detect_language
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = [
    "IDENTIFIER_VALUE",
    "REFERENCE_KINDS",
    "ReferenceFinder",
    "ReferenceKind",
    "is_identifier",
    "one_kind_per_value",
]


# "Votre référence", "Our ref" name no kind: the insurer's reference of a file, a claim's in
# this trade, unless the value's prefix says otherwise. A bare "Réf :" in the customer's text
# is a claim's only where the text speaks of a claim; otherwise it is what every customer
# holds, a policy ("this is for my contents, ref: LHI-00921-B").
_GENERIC_KIND = "claim_number"
# A reference someone gave the customer is that one's file, not the customer's policy: "the
# operator gave me the reference RS-2026-00418", "l'assistance m'a donné la référence".
_GIVEN_BEFORE = re.compile(
    r"(?<![a-z])(?:(?:gave|given|give|sent|issued)[ \t]+(?:me|us)|(?:m'|nous[ \t]+)(?:a|ont)[ \t]+"
    r"(?:donne|communique|transmis|envoye|attribue)e?)[ \t]+(?:the|a|this|their|la|une|cette|sa|leur)?[ \t]*$"
)
_CLAIM_MENTIONED = re.compile(r"(?<![a-z])(?:sinistres?|dossiers?|claims?|cases?|declarations?)(?![a-z])")
# The customer's own reference ("my ref is", "ma référence") is the one they hold: their policy.
_OWN_KIND = "policy_number"
DIRECT = 0.95  # "N° de contrat : AUT-4587-2291"
BARE_WORD = 0.9  # "Contrat AUT-4587-2291"
WORDS_BETWEEN = 0.85  # "contrat d'assurance auto n° 4587", "contrat habitation HM-0620433"
COLUMN = 0.85  # "Invoice No." atop a column, the number under it (page layout)
GENERIC = 0.8  # "Référence : SIN-2025-00412"
# A member's or a customer's number ("n° sociétaire 448 091") stands for the policy only where
# the text gives no number for the contract itself ("contrat habitation 448091-H2").
MEMBER = 0.8
_MEMBER_WORD = re.compile(
    r"(?<![a-z])(?:societaire|adherente?|adh\.|adhesion|membership|member|membre|client|cliente|customer)(?![a-z])"
)
NEAR_LABEL = 0.7  # "my policy number is on your letter, I think it is NHP/0048823/H"
# A bare "ref" in the customer's text guessed to be their policy's: a number their policy is
# announced for says more ("the report, ref BRS 41772 ... my policy number is 40-118-3325").
GUESSED_OWN = 0.65
SHAPE = 0.6  # "AUT-4587-2291" with no label

_WORD = re.compile(r"[a-z][a-z'\-]+")
# "in case", "in any case": a phrase, not a case's number ahead
_IN_CASE = re.compile(r"(?<![a-z])in\s+(?:any\s+|that\s+|this\s+)?$")
_IN_CASE_REACH = 12
_NO_VOWEL = re.compile(r"[b-df-hj-np-tv-xz]{2,4} ", re.IGNORECASE)  # "hx ", "mrh ": letters, no word
_CAPITAL_PREFIX = re.compile(r"[A-Z]{2,5}(?:-[A-Z]{1,8})* ")  # "AUTO ", "MUT-FAM ", "AUTO-PREMIUM "
_CELL = re.compile(r"\S+(?: \S+)*")  # a cell of a laid-out row: words one space apart
_NOTHING = re.compile("(?!)")


@dataclass(frozen=True)
class _Labelled:
    start: int  # of the value
    end: int
    kind: str  # the field the label names
    confidence: float
    prefix_decides: bool  # a loose label: a prefix naming another kind wins ("Référence : FA-12")
    next_line: bool = False  # the value is the first thing on the line after its label
    cover_word: int | None = None  # where the last word naming the cover starts, if any
    numbered: bool = False  # the label is a number's: "n° de contrat", "policy number"
    product: tuple[int, int] | None = None  # a product's name before the value: "Home Essentials"
    member: bool = False  # a member's or a customer's number: "n° sociétaire 448 091"
    elsewhere: bool = False  # the police's file, a car hire's contract: no field of ours


class ReferenceFinder:
    """Reference numbers of each `ReferenceKind`: labelled first, then by prefix."""

    def __init__(self, kinds: Sequence[ReferenceKind] = REFERENCE_KINDS) -> None:
        self.kinds = tuple(kinds)
        self.names = tuple(kind.name for kind in self.kinds)
        all_words = [word for kind in self.kinds for word in kind.words]
        self._column_labels = [(kind.name, column_label_regex(kind, all_words)) for kind in self.kinds]
        self._labels = LabelSet(self.kinds)
        self._english_labels = LabelSet([in_english(kind) for kind in self.kinds], ENGLISH_FALSE_FRIENDS)
        # Only the built-in kinds read a bare "Référence :"; a user-defined kind has its own labels.
        self._generic = labelled_value_regex(GENERIC_LABEL) if _GENERIC_KIND in self.names else _NOTHING
        self._own = labelled_value_regex(OWN_LABEL) if _OWN_KIND in self.names else _NOTHING
        self._prefix_kind = {prefix: kind.name for kind in self.kinds for prefix in kind.prefixes}
        prefixes = "|".join(sorted(self._prefix_kind, key=len, reverse=True)) or "(?!)"
        # The prefix may follow the insurer's letters or come before a branch's: "TT-CLM-8812",
        # "CLM-PS-771042".
        self._shape = re.compile(
            rf"(?<![A-Za-z0-9\-/])(?:[A-Z]{{2,4}}-)?(?:{prefixes})(?:-[A-Z]{{1,4}})?[\-_/]?\d[A-Z0-9]*"
            rf"(?:[\-/][A-Z0-9]+)*{LAST_GROUP}(?![A-Za-z0-9])"
        )

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        text, folded = source.text, fold(source.text)
        taken = Spans()
        kind = source_kind(source.source)
        customer = kind in ("body", "subject", "signature")
        labels = self._labels_for(source, folded)
        found = [*self._labelled_values(labels, folded, kind in ("body", "subject"))]
        if customer and _OWN_KIND in self.names:
            found += [
                _Labelled(start, end, _OWN_KIND, GENERIC, True)
                for start, end in own_reference_spans(folded, kind, settings.default_region)
            ]
            found += [
                _Labelled(start, end, _OWN_KIND, WORDS_BETWEEN, True, numbered=numbered)
                for start, end, numbered in product_initials_spans(text, folded)
            ]
        read = self._read_labelled(text, found, source, settings, taken)
        if source.layout:
            read = self._with_layout(labels, read, source, settings)
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
            fields += self._announced(labels, text, folded, source, settings, taken)
        members = [text[item.start : item.end].upper() for item in found if item.member]
        return _members_giving_way(fields, members)

    def _labels_for(self, source: TextSource, folded: str) -> LabelSet:
        """The labels of an English text do without its false friends, when it holds one."""
        if (
            any(word in folded for word in ENGLISH_FALSE_FRIENDS)
            and (source.language or detect_language(source.text)[0]) == "en"
        ):
            return self._english_labels
        return self._labels

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
            prefixed = _with_capital_prefix(text, item, self._prefix_kind)
            start, end = trimmed(text, prefixed, item.end)
            value = text[start:end].upper()
            # a prefix of its kind makes a value in small letters one number: "contrat hab 21 0097 4"
            numbered = item.numbered or prefixed != item.start
            if (
                taken.overlaps(start, end)
                or not (item.product is None or is_product_name(text[item.product[0] : item.product[1]]))
                or not is_identifier(text, value, start, end, settings, numbered=numbered)
            ):
                continue
            name = (self._kind_of_prefix(value) if item.prefix_decides else None) or item.kind
            taken.add(start, end)
            if item.elsewhere:
                continue  # someone else's number, read so that nothing else reads it
            field = make_field(name, value, text[start:end], item.confidence, source)
            read.append((field, item.next_line))
        return read

    def _with_layout(
        self, labels: LabelSet, read: list[tuple[Field, bool]], source: TextSource, settings: ParsingSettings
    ) -> list[tuple[Field, bool]]:
        """Adds what the page's layout shows: values beside their label on the printed row,
        and values under a label heading their column. Where the layout finds a kind's
        value, a value of that kind read on the line after its label in the text layer is
        dropped: that line is the next thing the producer wrote, not what is printed under
        the label (a header row's last label and the first value of the row below)."""
        layout = source.layout
        found = [*self._column_values(layout), *self._labelled_values(labels, fold(layout))]
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

    def _labelled_values(self, labels: LabelSet, folded: str, customer: bool = False) -> Iterator[_Labelled]:
        """Values after their labels; `customer` says the text is the customer's own."""
        for kind, regex in labels.regexes_for(folded):
            for match in regex.finditer(folded):
                if folded.startswith("case", match.start()) and _IN_CASE.search(
                    folded, max(0, match.start() - _IN_CASE_REACH), match.start()
                ):
                    continue  # "just in case: CHC/558/20417-B" is no case number
                start, end = match.span("value")
                next_line = "\n" in folded[match.start() : start]
                product = match.span("product") if match.group("product") else None
                if match.group("named_product"):  # "my policy is Homeowners HO-GA 7716 0443"
                    product = match.span("named_product")
                # "Vancouver Police file number 2026-288140", "contrat de location RA 55081127"
                if (kind == _GENERIC_KIND and names_someone_elses_file(folded, match.start())) or (
                    kind == _OWN_KIND and names_other_contract(folded, match.start())
                ):
                    yield _Labelled(start, end, kind, BARE_WORD, False, next_line, elsewhere=True)
                    continue
                if match.group("numbered"):
                    member = bool(_MEMBER_WORD.search(match.group("numbered")))
                    sure = MEMBER if member else DIRECT
                    yield _Labelled(
                        start,
                        end,
                        kind,
                        sure,
                        False,
                        next_line,
                        numbered=True,
                        product=product,
                        member=member,
                    )
                elif match.group("between"):
                    # Words, then a number sign: a value in small letters is a number ("ctr auto n°
                    # gla 5517 20"), digits alone may be a phone's ("contrat auto, mon numéro 06 ...").
                    numbered = any(char.isalpha() for char in folded[start:end])
                    yield _Labelled(start, end, kind, WORDS_BETWEEN, True, next_line, numbered=numbered)
                elif match.group("cover"):
                    words = list(_WORD.finditer(folded, match.start("cover"), match.end("cover")))
                    yield _Labelled(start, end, kind, WORDS_BETWEEN, True, next_line, words[-1].start())
                else:  # "policy hx 330 9917": a kind's word makes a value in small letters one number
                    lower = any(char.isalpha() for char in folded[start:end]) and not next_line
                    yield _Labelled(
                        start, end, kind, BARE_WORD, False, next_line, numbered=lower, product=product
                    )
        for kind, regex in ((_OWN_KIND, self._own), (_GENERIC_KIND, self._generic)):
            for match in regex.finditer(folded):
                start, end = match.span("value")
                bare = kind == _GENERIC_KIND and not match.group("whose")
                if bare and names_whose(folded, match.start()):
                    continue
                given = _GIVEN_BEFORE.search(
                    folded, max(0, match.start() - _IN_CASE_REACH * 3), match.start()
                )
                own = bare and customer and not _CLAIM_MENTIONED.search(folded) and given is None
                named = _OWN_KIND if own else kind
                sure = GENERIC if named == kind else GUESSED_OWN
                yield _Labelled(start, end, named, sure, True, "\n" in folded[match.start() : start])

    def _announced(
        self,
        labels: LabelSet,
        text: str,
        folded: str,
        source: TextSource,
        settings: ParsingSettings,
        taken: Spans,
    ) -> list[Field]:
        """Plain references that a kind's word announces earlier in their sentence, unless they
        name something else; a prefix that names a kind gives theirs ("c'est MRH 4410 2287 3")."""
        fields = []
        for start, end, name in announced_references(text, folded, labels.announcers):
            value = text[start:end]
            if (
                not taken.overlaps(start, end)
                and not names_something_else(value, settings.default_region)
                and is_identifier(text, value, start, end, settings)
            ):
                taken.add(start, end)
                kind = self._kind_of_prefix(value) or name
                fields.append(make_field(kind, value, value, NEAR_LABEL, source))
        return fields

    def _kind_of_prefix(self, value: str) -> str | None:
        letters = re.match(r"([A-Z]+)(?:-([A-Z]+)-?(?=\d))?", value)
        if letters is None:
            return None
        first, second = letters.groups()
        return self._prefix_kind.get(first) or (self._prefix_kind.get(second) if second else None)


def one_kind_per_value(
    candidates: list[Field], kinds: Sequence[ReferenceKind] = REFERENCE_KINDS
) -> list[Field]:
    """Candidates where a value read as references of several kinds is of the kind its most
    confident reading names: "Your ref: MTR 884 019 22", a loose label, is the policy that the
    subject calls "Policy MTR 884 019 22". Readings as sure as each other are left alone."""
    names = {kind.name for kind in kinds}
    readings: dict[str, list[Field]] = {}
    for field in candidates:
        if field.name in names:
            readings.setdefault(_compact(field.value), []).append(field)
    renamed: dict[int, str] = {}
    for fields in readings.values():
        surest = max(field.confidence for field in fields)
        kinds_of_surest = {field.name for field in fields if field.confidence == surest}
        if len({field.name for field in fields}) > 1 and len(kinds_of_surest) == 1:
            renamed.update((id(field), next(iter(kinds_of_surest))) for field in fields)
    return [
        dataclasses.replace(field, name=renamed[id(field)]) if id(field) in renamed else field
        for field in candidates
    ]


def _members_giving_way(fields: list[Field], members: list[str]) -> list[Field]:
    """A member's number ("mon numéro de sociétaire 0088123") is no policy's where the same
    text gives the contract's own ("mon contrat c'est la multirisque Kaz'Sérénité 974-MH-20817")."""
    policies = [field for field in fields if field.name == _OWN_KIND]
    of_members = [field for field in policies if any(field.value in member for member in members)]
    if len(of_members) == len(policies) or not any(
        field.confidence >= NEAR_LABEL for field in policies if field not in of_members
    ):
        return fields
    return [field for field in fields if not any(field is member for member in of_members)]


def _compact(value: str) -> str:
    return re.sub(r"[\W_]", "", value).upper()


def _with_capital_prefix(text: str, item: _Labelled, prefixes: dict[str, str]) -> int:
    """Where a value read after a word naming the cover starts: at that word when it is
    written in capitals right before the digits ("contract AUTO 6129 3305 C"), or is a prefix
    of the value's kind or letters no word is made of, in any case ("contrat hab 21 0097 4",
    "policy hx 330 9917"), which makes it the value's prefix, not the cover's name ("contrat
    auto 4471 2209 88")."""
    if item.cover_word is None:
        return item.start
    word = text[item.cover_word : item.start]
    known = prefixes.get(word.strip().upper()) == item.kind or _NO_VOWEL.fullmatch(word) is not None
    return item.cover_word if known or _CAPITAL_PREFIX.fullmatch(word) else item.start


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
