"""References a customer writes with no label right before them.

- A part of the subject set apart by a dash or a bar ("Re: HT-8812-330", "Renewal price -
  HL/HOME/0931277") or letters dashed to digits that end it ("cancel renters Azr-6652-8820"),
  a line of the signature ("Mathilde Perrin\\nANI-2025-88412") or the last
  line of the text that is nothing but a reference: the one the customer holds, their policy
  (`own_reference_spans`).
- A plain reference (capitals, then letters and digits joined by dashes or slashes; capitals
  before groups of digits, "BF 0093 2210"; digits joined by dashes, slashes or dots,
  "40-118-3325"; parts joined with spaces, "TT/ 55621 /26"; four digits or more, seven
  letters and digits or more) that a kind's number is announced for earlier in its sentence
  ("my policy number is on your letter, I think it is NHP/0048823/H", "my policy is the
  travel one, TW-2291-0034"): a reference of that kind (`announced_references`). A kind's
  word alone announces nothing ("my policy covers the laptop, serial SN-2291-7740").

- A reference right after the name of the product it insures, whose letters are that name's
  initials ("Multirisque Habitation Essentielle n° MHE 318 0442", "Home & Contents
  HC-SA-22091847", "Auto Tous Risques Plus n° ATR-6610-44"): an insurer names a policy's
  prefix after its product, so this is the customer's policy (`product_initials_spans`).

Beside other words, such a value must hold letters and must not be the digits of what a word
before them names: a phone, a SIRET, a VAT number ("TEL 06 12 34 56 78"). The finder still
checks each value with `reference_values.is_identifier`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from extractors.fields.contacts import normalise_phone
from extractors.fields.reference_values import IDENTIFIER_VALUE
from extractors.fields.registrations import normalise_siret, normalise_vat
from extractors.fields.text import fold, sentence_start

__all__ = [
    "LAST_GROUP",
    "announced_references",
    "names_something_else",
    "own_reference_spans",
    "product_initials_spans",
]

_REPLY_MARKS = r"(?:(?:re|tr|fwd?|aw)\s*:\s*)*"
_SUBJECT_PART = re.compile(
    rf"(?:^\s*{_REPLY_MARKS}|\s[\-|]\s+)(?P<value>{IDENTIFIER_VALUE})[\s.]*(?=$|\s[\-|]\s)"
)
_SUBJECT_ONLY = re.compile(rf"\s*{_REPLY_MARKS}{IDENTIFIER_VALUE}[\s.]*")
# A subject that ends with letters dashed to two groups of digits: "cancel renters Azr-6652-8820"
_SUBJECT_END = re.compile(r"\s(?P<value>[a-z]{2,5}(?:-\d{3,}){2,})[\s.]*$")
_ALONE = re.compile(rf"^[ \t]*(?P<value>{IDENTIFIER_VALUE})[ \t.]*$", re.MULTILINE)
# A last group after a space that ends the number's sentence or bracket: "AL-HAB-5560 12)",
# "NPH 2290 4418 7."
LAST_GROUP = r"(?: \d{1,6}(?=[ \t]*(?:$|\n|[).,;:!?])))?"
_PLAIN = re.compile(
    r"(?<![\w\-/.])(?:"
    rf"[A-Z][A-Z0-9]*(?:[\-/][A-Z0-9]+)+{LAST_GROUP}"  # "NHP/0048823/H"
    rf"|[A-Z]{{2,5}}(?: \d{{2,6}}){{2,}}{LAST_GROUP}"  # "BF 0093 2210"
    rf"|[A-Z]{{1,4}}\d{{2,6}}(?: \d{{2,6}}){{1,3}}{LAST_GROUP}"  # "HCQ3816 20957"
    r"|\d{2,6}(?:([\-/.])[A-Z0-9]{1,6})(?:\1[A-Z0-9]{1,6})+"  # "40-118-3325", "6021.883.04"
    r"|[A-Z0-9]{1,6}(?: ?[\-/] ?[A-Z0-9]{1,6}){2,}"  # "TT/ 55621 /26"
    r")(?![\w\-/])"
)
_PLAIN_DIGITS = 4
_PLAIN_LENGTH = 7  # letters and digits
_SENTENCE_REACH = 300  # characters looked back for the start of a sentence
_NAMING_WORD = re.compile(r"^[A-Za-z]+[ .:\-]*")
# A product's name: two to five capitalised words, one or two small joining words between them
# allowed ("Home & Contents", "Garantie des Accidents de la Vie"), perhaps in quotes, then perhaps
# a number sign, then the value.
_PRODUCT_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'\-]+\+?"
_JOINING = r"(?:&|et|and|de|des|du|la|le|of|the|for|pour)"
_PRODUCT_NAME = re.compile(
    rf"(?<![\w'\-])(?P<name>{_PRODUCT_WORD}(?:[ \t]+(?:{_JOINING}[ \t]+){{0,2}}{_PRODUCT_WORD}){{1,4}})"
    r"[\"»”]?[ \t]*[:,]?[ \t]*(?P<sign>(?:n[°º]|no\.?|num(?:[eé]ro|ber)?\.?|#)[ \t]*:?[ \t]*)?(?=[A-Za-z]{2})"
)
_NOT_A_PRODUCT = frozenset(  # greetings and titles before a name: "Bonjour Madame Martin"
    "bonjour bonsoir madame monsieur mademoiselle mme mlle dear hello hi mr mrs ms miss sir".split()
)
_PRODUCT_DIGITS = 5  # a product's policy number holds this many digits at least
_VALUE = re.compile(IDENTIFIER_VALUE)
_LEADING_LETTERS = re.compile(r"[a-z]+")


def own_reference_spans(folded: str, kind: str, region: str) -> Iterator[tuple[int, int]]:
    """Spans of the references written alone in a text of `kind` ("subject", "signature",
    "body"): in a subject, a part of it (the whole subject may be a bare number); in a
    signature, any line; in the body, its last line."""
    if kind == "subject":
        if _SUBJECT_ONLY.fullmatch(folded):
            yield from (match.span("value") for match in _SUBJECT_PART.finditer(folded))
            return
        matches = [*_SUBJECT_PART.finditer(folded), *_SUBJECT_END.finditer(folded)]
    elif kind == "signature":
        matches = _ALONE.finditer(folded)
    else:
        last = folded.rstrip()
        matches = _ALONE.finditer(last, last.rfind("\n") + 1)
    for match in matches:
        value = match.group("value")
        if re.search("[a-z]", value) and not names_something_else(value, region):
            yield match.span("value")


def announced_references(
    text: str, folded: str, announcers: Sequence[tuple[str, re.Pattern[str]]]
) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of the plain references in `text` announced earlier in their
    sentence by one of `announcers` (a kind and the regex of its numbered labels: "policy
    number", "n° de dossier"); the nearest announcement gives the kind."""
    for match in _PLAIN.finditer(text):
        start, end = match.span()
        value = match.group(0)
        if (
            sum(char.isdigit() for char in value) < _PLAIN_DIGITS
            or sum(c.isalnum() for c in value) < _PLAIN_LENGTH
        ):
            continue
        sentence = sentence_start(folded, start, _SENTENCE_REACH)
        announced = [  # the nearest: ending last, else the kind's word written last
            (found.end(), found.start(), kind)
            for kind, regex in announcers
            for found in regex.finditer(folded, sentence, start)
        ]
        if announced:
            yield start, end, max(announced)[2]


def names_something_else(value: str, region: str) -> bool:
    """Whether a value written with no label is the digits of a phone, a SIRET or a VAT
    number, perhaps after the word that names it ("TEL 06 12 34 56 78", "SIRET 732 829 320
    00074")."""
    digits = _NAMING_WORD.sub("", value)
    if digits[:1] in "0+" and normalise_phone(digits, region):
        return True
    return any(
        number is not None
        for number in (normalise_siret(digits), normalise_vat(value), normalise_vat(digits))
    )


def product_initials_spans(text: str, folded: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, numbered) of the references that follow a product's name, perhaps after
    a number sign (`numbered`), and begin with its initials, or the initials of some of its
    words in a row ("Auto Tous Risques Plus n° ATR-6610-44")."""
    for match in _PRODUCT_NAME.finditer(text):
        value = _VALUE.match(folded, match.end())
        if value is None or sum(char.isdigit() for char in value.group(0)) < _PRODUCT_DIGITS:
            continue
        words = [fold(word) for word in re.findall(_PRODUCT_WORD, match.group("name"))]
        initials = "".join(word[0] for word in words if word not in _NOT_A_PRODUCT)
        letters = _LEADING_LETTERS.match(value.group(0))
        if letters is not None and len(letters.group(0)) >= 2 and letters.group(0) in initials:
            yield (*value.span(), bool(match.group("sign")))
