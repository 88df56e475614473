"""The label regexes of reference numbers: what a policy, claim or invoice label looks like.

A `ReferenceKind` names its label words; from them `label_regexes` builds, for each kind,
a regex that reads a label and the value after it (group `value`), telling by its
groups how the label was written:

    numbered  a kind's word beside a number sign ("n° de contrat", "policy no.")
    between   a few words between the word and its number sign ("contrat d'assurance auto n°")
    cover     a word or two naming the cover, then a value that is plainly a reference
              ("contrat habitation HM-0620433", "contrat auto 4471 2209 88")
    (none)    the kind's word alone ("Contrat AUT-4587-2291"), or a word that names the kind
              only beside a number sign before letters dashed to digits ("travel plan
              AT-SK-550129", "certificate TC-QC-8810442", "adhésion MU-RT-20417")

A name or a gloss in brackets or quotes may follow the kind's word ("policy (Ontario
auto)", "contrat « Horizon Patrimoine » n°"), and a word between may hold digits ("contrat
2R n°"); a product's name in capitals may stand between a number's label and the number
("policy no. Home Essentials HE 4471-0082"), and "the number is" after a kind's word
announces its number ("contrat habitation (Formule Sérénité, le numéro c'est 5538-HB-0917").
Words between a kind's word and its value never include another kind's word.
Texts are matched folded (`text.fold`: lower case, no accents). What a value may be is
`reference_values`' business; which label wins, and with what confidence, `references`'.

`REFERENCE_KINDS` are the built-in kinds. A `LabelSet` holds the regexes of some kinds and
reads their words mistyped by one slip (`label_typos`). In English, a word that names
something else there ("police") is a label only before a number word ("police number"):
`in_english`. Whose number a label names (the police's, the car hire's, the new
insurer's) is `label_owners`' business.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.fields.label_typos import misspellings, slips_in
from extractors.fields.reference_values import FUNCTION_WORDS, IDENTIFIER_VALUE, NOT_A_UNIT
from extractors.fields.text import LABEL_GAP, NUMBER_SIGN, phrases

__all__ = [
    "ENGLISH_FALSE_FRIENDS",
    "GENERIC_LABEL",
    "OWN_LABEL",
    "REFERENCE_KINDS",
    "LabelSet",
    "ReferenceKind",
    "column_label_regex",
    "in_english",
    "is_product_name",
    "label_regexes",
    "labelled_value_regex",
    "numbered_label",
]


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
            "multirisque",  # the cover's name standing for the contract: "Multirisque pro n° MRP/21/77 0042"
            # written short in a hurry: "ctr 77-10-883", "ctrt n°", "ass. emprunteur EMP 00 5519 32"
            "ctr",
            "ctrt",
            "ass.",
            # the word of the writer's own language: Italian, Spanish, Polish, Dutch, German
            "polizza",
            "poliza",
            "polisa",
            "polisy",
            "polis",
            "polisnummer",
            "versicherungsnummer",
            "vertragsnummer",
            "policennummer",
        ),
        ("POL", "CTR", "CNT", "AUT", "HAB", "MRH"),
        numbered_words=(
            "client",
            "cliente",
            "customer",
            "assure",
            "assuree",
            "insured",  # "insured under number VN 4471 0093", as "assuré sous le n°"
            "member",
            "membre",
            "plan",
            "agreement",  # "home agreement no.", "my agreement number is"
            "adhesion",
            # a travel or group cover's: "certificate number", "cert no."
            "certificate",
            "cert.",
            "schedule",  # the policy schedule's number: "Schedule number PTA/HH/0558213"
            "adh.",  # "n° adh.": adhérent's, adhésion's
            # the short names of French covers: "MRH n° 6021.883.04", "ma GAV n° 0071 5530 8"
            "mrh",
            "gav",
            "garantie",  # "ma garantie n° GAV/82/001 573"
            "ins",  # "comp car ins # VC-3318-0427"
        ),
    ),
    ReferenceKind(
        "claim_number",
        (
            "sinistre",
            "dossier",
            "claim",
            "declaration de sinistre",
            "case",
            # the writer's own language: German, Dutch, Italian, Spanish
            "schadennummer",
            "schadensnummer",
            "schaden-nr",
            "schadenummer",
            "sinistro",
            "siniestro",
        ),
        ("SIN", "CLM", "DOS"),
        # "réclamation no 4410-88217": a claim in Québec, a complaint's file in France
        numbered_words=("file", "incident", "declaration", "reclamation"),
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


# "Votre référence", "Our ref": a reference that names no kind (group `whose`: someone's).
GENERIC_LABEL = r"(?<![a-z])(?P<whose>(?:votre|notre|vos|nos|your|our)\s+)?(?:reference|ref)s?\.?(?![a-z])"
# The customer's own reference: "my ref is", "ma référence".
# A cover's words may stand between: "my buildings & contents ref.", "ma réf. habitation" is no
# such case; a claim's or an invoice's reference is not the customer's own.
OWN_LABEL = (
    r"(?<![a-z])(?:my|mon|ma|mes)\s+"
    r"(?:(?!(?:claims?|case|file|dossier|sinistre|invoice|facture|order|booking)(?![a-z]))[a-z]+(?:\s+&)?\s+){0,3}?"
    r"(?:reference|ref)s?\.?(?![a-z])"
)

# "My policy number is X", "mon numéro de contrat est le X", "le contrat c'est le X".
# "c est", "cest": dictated, or typed without its apostrophe
_VERB_WORD = r"(?:is|was|est|etait|c'est|c est|cest)(?![a-z])"
_BEING = r"(?:est|etait|sont)(?![a-z])"  # "la police est passée": the police, no policy
# What a cover word may stand before: letters, then digits ("HM-0620433", "MRH 2019 004 81"),
# digits around a short word that counts nothing ("77-AT-5510", "7L-HAB-2218", "77 HAB 5520 1", not
# "12 mois 3"),
# or, if the word is no mere "de" or "since", six digits or more ("4471 2209 88", "46-118-207").
_PREFIXED = (
    r"(?:[a-z]{1,5}(?:[\-/][a-z]{1,5})*[\-/. ]?|\d{2,4}-[a-z]{1,4}-|\d{2,4}/[a-z]{1,4}/"
    r"|\d[a-z]{1,3}-[a-z]{1,4}-"
    rf"|\d{{2,4}}{NOT_A_UNIT} [a-z]{{2,4}} )\d"
)
_LONG_DIGITS = r"\d(?:[ \-/.]?\d){5}"
# A value whose letters are joined to its digits by dashes ("AT-SK-550129", "TC-QC-8810442"):
# plainly a reference, which a numbered word alone may label ("travel plan AT-SK-550129").
_DASHED = (
    r"[a-z]{1,5}(?:-[a-z]{1,5})*-\d"
    # or three parts and more, letters among them and five digits: "0077-4419-ON", "22-NS-00871"
    r"|(?=[0-9\-]*[a-z])(?=(?:[a-z\-]*\d){5})[a-z0-9]{1,6}(?:-[a-z0-9]{1,8}){2,}(?![a-z0-9])"
)
# Or letters before a year or a serial joined to more digits: "adhésion GON 2025-04418".
_PREFIX_SERIAL = r"[a-z]{2,5} \d{4,}[\-/.](?!(?:19|20)\d\d(?!\d))\d{3}"  # not "ABC 2019-2020"
_FUNCTION_WORD = phrases(FUNCTION_WORDS)
_A_NUMBER = (
    r"[a-z0-9'\-]*(?:\d[a-z0-9'\-]*[\-/]|[\-/][a-z0-9'\-]*\d)"  # digits and a dash or slash in one word
)
# After the label, the value may open a bracket ("policy (HL-IE-HOME-448190)") or follow a
# comma when a number sign or a prefix makes it plain ("annual policy, WCA 2026 0388 104").
_GAP = rf"{LABEL_GAP}(?:\([ \t]*|,[ \t]*(?={NUMBER_SIGN}|{_PREFIXED}))?"
# A name or a gloss set apart after a kind's word, holding no digit: "policy (Ontario auto)",
# "my policy (póliza) is", "contrat d'assurance vie « Horizon Patrimoine » n°".
_ASIDE = r"""(?:[ \t]*(?:\([^()\d\n]{1,40}\)|«[^«»\d\n]{1,40}»|"[^"\d\n]{1,40}"|“[^“”\d\n]{1,40}”))"""
# Between a label and its verb, where the number is written ("pol no on my pink card is",
# "le n° de contrat sur la carte verte est"), or an aside set apart by brackets or dashes
# ("policy number (it's on the welcome pack, under the picture of the cat) is", "ref. - I had
# to ring to get it - is"): the verb says the sentence goes on to the number.
_WHERE = (
    r"(?:on|in|from|at|sur|dans)\s+(?:my|the|your|our|ma|mon|mes|le|la|les|votre|vos|notre)"
    r"(?:\s+[a-z'\-]+){1,3}?"
)
_BEFORE_VERB = (
    rf"(?:[ \t]*\([^()\d\n]{{1,80}}\)|[ \t]+[\-–—][ \t]+[^\d\n\-–—]{{1,200}}?[ \t]+[\-–—]"
    rf"|\s*,?\s+{_WHERE},?)"
)
_VERB = rf"(?P<verb>{_BEFORE_VERB}?\s+{_VERB_WORD}(?:\s+(?:le|the))?(?=\s))?"
# After a label with words between its kind's word and its number sign, none: "policy, number
# HSP 0447 1290 (my customer no. on your letters is 88120445" is no policy's label.
_LABEL_VERB = _VERB.replace(f"{_BEFORE_VERB}?", f"(?(between)|{_BEFORE_VERB}?)")
# A number sign cut short or mistyped: "contrat n AUT-4587-2291", "contrat c AUT-4587-2291"
# (before digits, a lone letter is the value's prefix or is left out by `trimmed`).
_STRAY_LETTER = r"(?:[b-df-hj-np-tv-xz]\.?[ \t]+(?=[a-z]))?"
# A product's name between a number's label and the number, in capitals as written (see
# `references`): "policy no. Home Essentials HE 4471-0082"; after a number's label only.
_PRODUCT = (  # a template: `{other}` is filled in, `{{` and `}}` are braces
    r"(?(numbered)(?P<product>(?:(?!{other})[a-z][a-z'\-]{{1,15}}\+?[ \t]+){{0,3}}?)"
    # or after "is": "my policy is Homeowners HO-GA 7716 0443", before a value plainly a reference
    r"|(?(verb)(?P<named_product>(?:(?!{other})[a-z][a-z'\-]{{1,15}}[ \t]+){{1,2}}(?="
    + _PREFIXED.replace("{", "{{").replace("}", "}}")
    + r"))?|))"
)
# Label words that in English name something else: the police ("Police crime ref is
# 5226/0193844"). A writer whose language calls a policy so still writes "police number".
ENGLISH_FALSE_FRIENDS = ("police",)
_NUMBER_WORDS = ("num*", "no.", "nr.")  # "police number", "police no.": not "police ref"
_SLIP_CACHE = 64  # label regexes kept for so many sets of slips


def numbered_label(kind: ReferenceKind) -> str:
    """A kind's word or numbered word beside a number sign: "n° de contrat", "policy number"."""
    numbered = phrases([*kind.words, *kind.numbered_words])
    return (
        rf"{NUMBER_SIGN}\s*(?:de\s+|d'|du\s+)?(?:la\s+|l')?{numbered}(?:\s*{NUMBER_SIGN})?"
        rf"|{numbered}(?:/[a-z]+)?[\s.:]*{NUMBER_SIGN}"  # "Policy/Client No."
        # "assuré sous le n°", "insured under no."
        rf"|{numbered}\s+(?:sous|under)\s+(?:le\s+|the\s+)?{NUMBER_SIGN}"
    )


def announcing_label(kind: ReferenceKind) -> str:
    """What announces a kind's number later in a sentence: a numbered label ("policy number",
    "n° de contrat"), or the kind's word before a verb of being ("my policy is my travel one,
    TW-2291-0034", "le contrat c'est"). The word alone announces nothing ("my policy covers
    the laptop, serial SN-2291-7740"). A number spoken of after the kind's word is the kind's
    ("my home policy (the number is HH-2291-0034)")."""
    verb = r"(?:\s+(?:is|was|est)|\s+c'est|\s*:)(?![a-z])"
    cover = rf"(?:[ \t]+[a-z][a-z'\-]+)?{_ASIDE}?"  # "l'assurance habitation (formule Confort) c'est"
    # "mon contrat habitation (Formule Sérénité, le numéro c'est 5538-HB-0917": the number of
    # the kind named just before
    its_number = rf"{phrases(kind.words)}[^.!?\n]{{0,60}}?(?<![a-z])(?:le|the|son|its) (?:numero|number)"
    its_number += verb
    return rf"{numbered_label(kind)}|(?<!in )(?<!in any ){phrases(kind.words)}{cover}{verb}|{its_number}"


def labelled_value_regex(label: str) -> re.Pattern[str]:
    """`label` (a regex), perhaps a verb ("is"), then an identifier as group `value`."""
    return re.compile(rf"{label}{_VERB}{LABEL_GAP}(?P<value>{IDENTIFIER_VALUE})")


def label_regexes(
    kinds: Sequence[ReferenceKind], slips: dict[str, str] | None = None
) -> list[tuple[str, re.Pattern[str]]]:
    """Each kind's label regex; `slips` (a mistyped word to the label word it stands for) are
    read as the words they stand for."""
    if slips:
        kinds = [_with_slips(kind, slips) for kind in kinds]
    all_words = [word for kind in kinds for word in kind.words]
    return [(kind.name, _label_regex(kind, all_words)) for kind in kinds]


def column_label_regex(kind: ReferenceKind, all_words: Sequence[str]) -> re.Pattern[str]:
    """A cell of a header row that is only a kind's label ("Invoice No.", "Factuur")."""
    return re.compile(rf"(?:{_label(kind, all_words)})[\s.:#]*")


def _label(kind: ReferenceKind, all_words: Sequence[str]) -> str:
    words = phrases(kind.words)
    other = phrases(all_words)
    # Words between a kind's word and its number sign must not be another kind's word,
    # or "dossier de la facture n° FA-1" would give the claim an invoice number.
    # A word between may hold digits: a product's name ("contrat 2R n°"), a year ("souscrit en
    # 2019 sous le n°"), a bracket ("contrat auto (Peugeot 208) n°"), or two names ("police ménage/RC no").
    # A colon set apart may end the cover's name ("contrat de protection juridique : PJ n°"); a verb
    # says the word was no label ("la police est passée le matin (PV n° ...)").
    # A number of its own is no word between ("Sinistre : S26-0088-AU\nAuto ... n° ATR-6610-44",
    # "gadget cover GC-QLD-551802\ncops gave me a ref QP2601448913"), unless in brackets: "policy
    # (HO-6) #CX 880 4412".
    between = (
        rf"(?:{_ASIDE}|(?:[\s,(]+|[ \t]+:[ \t]+)(?!{other}|{_BEING}|(?<!\(){_A_NUMBER})"
        rf"[a-z0-9'\-]+(?:/[a-z0-9]+)?\+?\)?){{1,6}}?"
    )
    # A cover's name may end in a plus: "contrat auto tiers+ 77-AT-5510", and say whose it is:
    # "contrat habitation de maman : H 40 221 07 T".
    # and be cut short: "contrat hab. 35-MH-2250 48".
    cover = rf"(?:\s+(?!{other}|{_VERB_WORD})[a-z][a-z'\-]+(?:\+|\.(?= ))?){{1,3}}?"
    cover_word = rf"(?:\s+(?!{other}|{_FUNCTION_WORD})[a-z][a-z'\-]+\+?){{1,2}}?"
    return (
        rf"(?P<numbered>{numbered_label(kind)})"
        rf"|(?P<between>{words}{between}[\s,(]*(?<![a-z0-9]){NUMBER_SIGN})"  # not the "no" of "pno"
        # Without a number sign, a word or two naming the cover ("contrat habitation") may stand
        # before a value that is plainly a reference.
        rf"|(?P<cover>{words}{_ASIDE}?{cover}[ \t]*:?\s+\(?(?={_PREFIXED})"
        rf"|{words}{_ASIDE}?{cover_word}[ \t]*:?\s+\(?(?={_LONG_DIGITS}))"
        rf"|{words}{_ASIDE}?"
        + (
            rf"|{phrases(kind.numbered_words)}(?:[ \t]+{_VERB_WORD})?[ \t]+(?={_DASHED}|{_PREFIX_SERIAL})"
            if kind.numbered_words
            else ""
        )
    )


def _label_regex(kind: ReferenceKind, all_words: Sequence[str]) -> re.Pattern[str]:
    # A label is a word of its own, not part of a web or mail address ("actu-assurance.example/142").
    return re.compile(
        rf"(?<![\-./@_])(?:{_label(kind, all_words)}){_LABEL_VERB}{_GAP}"
        rf"(?:{NUMBER_SIGN}{LABEL_GAP})?{_STRAY_LETTER}{_PRODUCT.format(other=phrases(all_words))}"
        rf"(?P<value>{kind.value_pattern})"
    )


def _with_slips(kind: ReferenceKind, slips: dict[str, str]) -> ReferenceKind:
    return dataclasses.replace(
        kind,
        words=(*kind.words, *(slip for slip, word in slips.items() if word in kind.words)),
        numbered_words=(
            *kind.numbered_words,
            *(slip for slip, word in slips.items() if word in kind.numbered_words),
        ),
    )


def is_product_name(words: str) -> bool:
    """Whether the words between a number's label and its value are a product's name:
    capitalised ("policy no. Home Essentials HE 4471-0082"), not prose ("no. is in the post")."""
    return all(word[0].isupper() for word in words.split())


class LabelSet:
    """The label regexes of some kinds, and of their words mistyped by one slip."""

    def __init__(self, kinds: Sequence[ReferenceKind], not_slips: Sequence[str] = ()) -> None:
        self.kinds = tuple(kinds)
        self.regexes = label_regexes(self.kinds)
        words = (word for kind in self.kinds for word in [*kind.words, *kind.numbered_words])
        self.slips = misspellings(words, not_slips)
        self.announcers = [(kind.name, re.compile(announcing_label(kind))) for kind in self.kinds]
        self._with_slips: dict[frozenset[str], list[tuple[str, re.Pattern[str]]]] = {}

    def regexes_for(self, folded: str) -> list[tuple[str, re.Pattern[str]]]:
        """The label regexes of each kind, with the slips of its words that `folded` holds."""
        slips = slips_in(folded, self.slips)
        if not slips:
            return self.regexes
        key = frozenset(slips)
        if key not in self._with_slips:
            if len(self._with_slips) > _SLIP_CACHE:
                self._with_slips.clear()
            self._with_slips[key] = label_regexes(self.kinds, slips)
        return self._with_slips[key]


def in_english(kind: ReferenceKind) -> ReferenceKind:
    """`kind` with the words that mean something else in English only before a number word:
    "the police crime ref is 5226/0193844" is the police's, "my police number" a policy's."""
    words = [word for word in kind.words if word not in ENGLISH_FALSE_FRIENDS]
    if len(words) == len(kind.words):
        return kind
    numbered = [
        f"{word} {sign}" for word in kind.words if word in ENGLISH_FALSE_FRIENDS for sign in _NUMBER_WORDS
    ]
    return dataclasses.replace(kind, words=(*words, *numbered))
