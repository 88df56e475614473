"""What a reference number looks like once its label is found, and what it must not be.

`IDENTIFIER_VALUE` is matched on folded text (see `text.fold`). It reads, longest first:

- parts joined by slashes or dashes with a space beside some joints, three parts at least:
  "TT/ 55621 /26", "7781 - 0299 - 03", "RS 2019 / 0733 / B" (kept as written);
- a letter prefix, perhaps of two parts or two words, before groups of digits one space
  apart: "MOT 2011 003 27", "MRH 2 514 998 07", "MUT-FAM 2 203 556", "WC TRV 2025 90114",
  "S 26 771 045";
- groups of digits one space apart, a group of capitals perhaps among them: "4471 2209 88",
  "26 DDE 3391", and a lone first digit before groups of three ("4 118 552 730");
- a prefix and digits joined by dashes, slashes or dots whose last group was typed after a
  space: "AU-2022-558 109", "HAB/2021/0092 387", perhaps with its key: "HH/44 0921/K";
- letters and digits joined by single dashes, slashes, dots or underscores, holding a digit,
  perhaps after a short prefix and a space: "AUT-4587-2291", "MRH 123456", "NHP/0048823/H";

each perhaps followed by a key letter ("40 118 732 K", "GG 4410 0082 M") or a country code
of two capitals ("MV 2208 7731 ZA"). A prefix of two parts may stand apart from the digits
("ONT-A 6612093"). No group may begin
a date, a sum or a time ("MRH 123456 15 mars", "AB 1234 150 €"), a run of groups ends
whole (the first groups of "06 12 34 56 78" are no reference) and its last group is not a
count of days or a street number ("448120 3 ans", "771204 12 rue").

What the folded text cannot tell is decided on the text as written: whether a letter after
the digits is a key or the next word ("... 732 A new car"), whether a lone letter before them
is a prefix or a stray "c" ("c 12345678"), whether the last group is a house number ("771204
12 Grande Rue"), whether a letter after a spaced dash is a key or a word ("HP-20457-77 - I know").
`trimmed` applies those; `is_identifier` then refuses what is a date, an
amount, a phone number, a number plate, an IBAN, a year, a time, a file name or a word.
A value typed all in small letters is one number after a number sign ("policy no brk mtr
004 8812"), and a currency's code before it is a prefix when more parts follow ("RS 2019 /
0733 / B" is no sum in rupees).
"""

from __future__ import annotations

import re

from extractors.fields.amounts import find_money
from extractors.fields.banking import normalise_iban
from extractors.fields.contacts import normalise_phone
from extractors.fields.registrations import normalise_plate
from extractors.fields.residence import grouped_as_in, national_plan
from extractors.fields.text import IBAN_SHAPE, fold
from extractors.fields.written_dates import find_dates
from rpa.config import ParsingSettings

__all__ = ["FUNCTION_WORDS", "IDENTIFIER_VALUE", "NOT_A_UNIT", "is_identifier", "trimmed"]

# A group that begins a decimal, a sum, a percentage or a date is not a group of the number.
_NOT_A_GROUP = (
    r"(?![\d,.]\d| ?(?:€|%|eur|jan|fev|feb|mar|avr|apr|mai|may|jun|jui|jul|aou|aug|sep|oct|nov|dec))"
)
# Nor is a count of days, a distance or a street number ("12345 15 jours", "771204 12 rue").
NOT_A_UNIT = (
    r"(?! ?(?:jours?|days?|ans?|years?|mois|months?|semaines?|weeks?|heures?|hours?|h(?=\d)|km|kg"
    r"|rue|avenue|av|bd|boulevard|chemin|allee|impasse|place|route|street|st|road|rd|lane|close|drive)(?![a-z]))"
)
_GROUP = rf"\d{{1,8}}{_NOT_A_GROUP}"  # "FL 2026 0038841"
_RUN_END = rf"{NOT_A_UNIT}(?![a-z0-9]| \d)"
_LETTERS = r"[a-z]{1,5}(?:[\-/.][a-z]{1,5})*"  # "mrh", "mut-fam", "hl/home", "hab.etu"
_KEY_LETTER = r"(?: [a-z]{1,2}(?![a-z0-9'\-]))?"  # a key or a country code (see `trimmed`)

_PREFIXED_GROUPS = rf"{_LETTERS}(?: [a-z]{{2,5}})? {_GROUP}(?: {_GROUP}){{1,4}}{_RUN_END}"
_GROUPS = (  # "4410 2287 31", "2026 S 44 190"
    rf"(?:\d{{2,6}}|\d(?= \d{{3}} \d{{3}})){_NOT_A_GROUP}(?: (?:[a-z]{{1,4}} )?{_GROUP}){{1,4}}{_RUN_END}"
)
_CUT_GROUP = (  # "HAB/2021/0092 387", "HH/44 0921/K", "VOY-AN 2026/03 118"
    rf"{_LETTERS}(?:[\-/.]\d+(?:[\-/.]\d+)*| \d+(?:[\-/.]\d+)+) \d{{3,6}}(?:[\-/.][a-z]{{1,3}})?"
    rf"(?![\-/.]?\w){_NOT_A_GROUP}{_RUN_END}"
)
# A joined head, then groups of digits after spaces, the last maybe a check digit:
# "972/HC/40 118", "5J-AUTO-88 301", "MD-55 014 872", "R974 0055 12", "2RM 973 0187",
# "CAR-77 0192 3" at the end of its line or sentence (not "1er", "2nd"); a group joined to more
# ("INV-0193 2025-01-18") is a date's.
_JOINED_GROUPS = (
    r"(?:[a-z0-9]+(?:[\-/.][a-z0-9]+)+|[a-z]{1,3}\d{2,6}|\d(?!er|re|eme|nd|rd|th|st)[a-z]{2,4})"
    rf"(?: \d{{2,6}}(?![\-/.]\w){_NOT_A_GROUP}){{1,3}}(?: \d(?=[ \t]*(?:\n|$|[.,;:)!?]| [/|] )))?{_RUN_END}"
)
_JOINED = (
    rf"(?:{_LETTERS} (?=\d))?(?=[a-z0-9\-/._]*?\d)"
    r"[a-z0-9](?:[a-z0-9]|[\-/._](?=[a-z0-9])){2,39}(?![a-z0-9])"
)
# Parts joined by slashes or dashes with a space beside some of them ("TT/ 55621 /26", "7781 -
# 0299 - 03", "RS 2019 / 0733 / B"): three parts at least, each after a spaced joint holding
# a digit or being a lone key letter, so that "AUT-4587-2291 / merci" stays "AUT-4587-2291".
_PART = r"[a-z0-9]{1,6}"
# (not a rank: "Claim 26-OK-118840 - 4th request")
_PART_AFTER = (
    r"(?:(?!\d{1,3}(?:st|nd|rd|th|er|eme|e)(?![a-z0-9]))[a-z]{0,3}\d[a-z0-9]{0,5}|[a-z](?![a-z0-9]))"
)
_SPACED = (
    rf"(?:[a-z]{{1,5}} )?(?=(?:{_PART} ?[\-/] ?){{2}}){_PART}(?:[\-/]{_PART})*"
    rf"(?: [\-/] ?|[\-/] ){_PART_AFTER}(?: ?[\-/] ?{_PART_AFTER})*(?![a-z0-9])"
)
# Typed digit by digit, as read off a card: "policy nr. 4 0 1 9 2 2 7 3".
_DIGIT_BY_DIGIT = r"\d(?: \d){5,11}(?![ \-/.]?\d)(?![a-z0-9])"
IDENTIFIER_VALUE = (
    rf"(?:{_SPACED}|{_PREFIXED_GROUPS}|{_GROUPS}|{_CUT_GROUP}|{_JOINED_GROUPS}|{_JOINED}|{_DIGIT_BY_DIGIT})"
    rf"{_KEY_LETTER}"
)

# Words that sit between a label and a number without naming a cover or a prefix
# ("contrat de 12 mois", "policy since 2019", "du 12345"). Folded.
FUNCTION_WORDS = (
    "a au aux avec ce cet cette chez dans de depuis des du en est et etait jusqu la le les leur ma mes"
    " mon notre ou par pour qui que sa sans se ses son sur un une votre vos"
    " an and are as at by for from in is it its my no of on or our since the their this to until"
    " was with your worth covers costs signe signed valid valable expire expires expired"
).split()

_KEY = re.compile(r"(?<=[^\W_]) ([^\W\d_]{1,2})$")
_SPACED_LETTER = re.compile(r"(?<=[^\W_])(?: [\-/] ?|[\-/] )([^\W\d_])$")
# Two capitals that are a word, not a country code after the digits ("... 7731 OK", "... 4410 ET").
_TWO_LETTER_WORDS = frozenset(
    "AM PM OK TV UK US EU ID IT IS IN ON TO OR NO AT BY MY OF SO UP AN AS BE DO GO HE IF ME WE"
    " DE LE LA EN ET AU DU UN NE CE SE SA SI OU IL JE TU MA MON TA".split()
)
_WORD_AFTER = re.compile(r"[ \t]+[^\W\d_]")
_VOWEL_AFTER = re.compile(r"[ \t]+[aeiou][a-z]")  # a word no English "A" stands before
_LOWER_INITIAL = re.compile(r"[a-z] (?=\d)")
_TOWN_AFTER = re.compile(r"[ \t]+[A-ZÀ-Ý][A-Za-zÀ-ÿ'\-]{2,}")  # "... 12 Grande Rue", not "... AU"
_YEARS = re.compile(r"(?:19|20)\d\d[\-/](?:(?:19|20)\d\d|\d\d)")
_TIME = re.compile(r"\d{1,2}h\d{2}")
_IBAN_REACH = 40
# A group of small letters is a word after the value, not an IBAN's group ("BH772091 full stop").
_WORD_GROUP = re.compile(r"(?<=\s)[a-z]{4}(?!\S)")
# The next part of a reference, after an amount's shape: "RS 2019 / 0733 / B", "2RM 973 0187".
_JOINED_AFTER = re.compile(r" ?[\-/] ?\d| (?!(?:19|20)\d\d(?!\d))\d{3,}")
_LOWER_DIGITS = 5  # digits of a reference typed all in small letters
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|heic|tiff?|pdf|docx?|xlsx?|odt|txt|eml|msg|zip)$", re.IGNORECASE)
_LOWER_WITH_KEY = re.compile(r"([a-z]{2,5})(?: \d+)+ [a-z]")
_LOWER_PREFIXED = (
    re.compile(r"([a-z]{2,5})(?: ([a-z]{2,5}))?((?: \d+)+)"),  # "brk mtr 004 8812"
    # a prefix of joined parts, then digits that may be joined too: "co-at 558 2190", "hab.etu 31-7742"
    re.compile(r"([a-z]{1,5}(?:[\-/.][a-z]{1,5})+)(?: ([a-z]{2,5}))?((?: \d+(?:[\-/.]\d+)*)+)"),
)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the value matched at text[start:end] once what the case of its letters
    and the words after it show is not part of it: a letter after the digits that is a word
    ("4471 2209 A new", "... 88 a été"), a stray lower-case letter before them ("c 12345678"),
    a last group that is a house number or a postcode ("771204 12 Grande Rue")."""
    key = _KEY.search(text, start, end)
    if key is not None and not _is_key(text, start, key.start(1), key.end(1)):
        end = key.start()
    spaced = _SPACED_LETTER.search(text, start, end)  # "HP-20457-77 - I know": a word, not a key
    if spaced is not None and not _is_key_letter(text, start, spaced.start(1)):
        end = spaced.start()
    if _LOWER_INITIAL.match(text, start, end):
        start += 2
    raw = text[start:end]
    parts = raw.split(" ")
    if len(parts) > 1 and parts[-1].isdigit() and _TOWN_AFTER.match(text, end):
        if all(part.isdigit() for part in parts) or (len(parts) == 2 and any(c.isdigit() for c in parts[0])):
            end = start + raw.rindex(" ")
    return start, end


def _is_key(text: str, start: int, at: int, end: int) -> bool:
    """Whether text[at:end], after the digits of the value starting at `start`, closes it: a
    key letter, or two capitals that are no word (a country code: "MV 2208 7731 ZA"), or
    that close the sentence ("contrat auto 2290 5571 AU)")."""
    if end - at == 1:
        return _is_key_letter(text, start, at)
    letters = text[at:end]
    if not (letters.isascii() and letters.isupper()):
        return False
    # A word in capitals goes on with the sentence ("... 4410 ET nous"); a code ends it ("AU).")
    return letters not in _TWO_LETTER_WORDS or not _WORD_AFTER.match(text, end)


def _is_key_letter(text: str, start: int, at: int) -> bool:
    """Whether the letter at `at`, after the digits of the value starting at `start`, is its
    key: a capital that is not a word of its own ("A new", "I think", "Y a-t-il"), or a small
    letter closing a value written all in small letters ("gg 2291 7740 k")."""
    letter = text[at]
    if not letter.isascii():
        return False  # "à", "é": a word
    if letter.isupper():
        if letter == "A" and _VOWEL_AFTER.match(text, at + 1):
            return True  # "member 4410 8829 A after i did my knee": "a" is "an" before a vowel
        return letter not in "AIY" or not _WORD_AFTER.match(text, at + 1)
    return text[start].islower() and letter not in "aiy"


def is_identifier(
    text: str, value: str, start: int, end: int, settings: ParsingSettings, *, numbered: bool = False
) -> bool:
    """Whether `value` (at text[start:end]) can be a reference number and nothing else.
    A value `numbered` by its label ("N° de contrat : 0 447 120 938") may have a phone's shape."""
    compact = re.sub(r"[\-/._ ]", "", value)
    if not any(char.isdigit() for char in value) or len(compact) < 4:
        return False
    if compact.isdigit() and len(compact) == 4 and compact[:2] in ("19", "20"):
        return False  # a year: "sinistre 2024"
    if _YEARS.fullmatch(value) or _TIME.fullmatch(compact.lower()):
        return False  # years ("attestation d'assurance 2025-2026", "insurance 2025/26"), a time ("14h30")
    if _FILE_NAME.search(value):
        return False  # "000.JPG", "scan_2291.pdf": a file, named in a subject or a text
    if not _written_as_one_number(text[start:end], numbered=numbered):
        return False
    if next(find_dates(fold(value), settings.day_first), None) is not None:
        return False
    if len(compact) == 5 and compact.isdigit() and _TOWN_AFTER.match(text, end):
        return False  # "75011 Paris": a postcode
    money = next(iter(find_money(text[start : end + 8])), None)
    if money is not None and money.start == 0 and (money.currency or money.has_cents):
        if not _JOINED_AFTER.match(text, start + money.end):
            return False  # not "RS 2019 / 0733 / B" or "2RM 973 0187", which only begin like a sum
    if (
        not numbered
        and value[:1] in "0+"
        and compact.isdigit()
        and normalise_phone(value, settings.default_region)
        and not _grouped_unlike_a_phone(value, settings.default_region)
    ):
        return False
    iban = IBAN_SHAPE.search(text, start, end + _IBAN_REACH)
    if iban is not None and iban.start() < end and not _WORD_GROUP.search(iban.group(0)):
        return False  # the first groups of an IBAN, valid or not ("IBAN FR76 3000 6000 ...")
    return normalise_plate(value) is None and normalise_iban(value) is None


def _grouped_unlike_a_phone(value: str, region: str) -> bool:
    """Whether digits a phone's plan would take are grouped as no phone of a country that
    writes its numbers in pairs is: "Contrat auto 0921 4478 36" (a phone: "09 21 44 78 36")."""
    return region in national_plan("FR") and " " in value.strip() and "FR" not in grouped_as_in(value)


def _written_as_one_number(raw: str, *, numbered: bool = False) -> bool:
    """Parts one space apart make one number when each holds a digit or is written in capitals
    ("MRH 2019 004 81", "AU-2022-558 109", "26 DDE 3391", "TT/ 55621 /26"), or when the whole
    is typed in small letters from its prefix to its key ("gg 2291 7740 k") or, after a number
    sign, to its digits ("policy no brk mtr 004 8812"); a word in small letters among them is
    prose ("du 12345", "auto 2", "12 des")."""
    parts = raw.split(" ")
    if all(part in ("-", "/") or part.isupper() or any(char.isdigit() for char in part) for part in parts):
        return True
    lower = _LOWER_WITH_KEY.fullmatch(raw)
    if lower is not None and lower.group(1) not in FUNCTION_WORDS:
        return True
    # after a label, letters typed in any case ("cnZ 2208 5176", "Azr 6652 8820") are a prefix
    matches = (regex.fullmatch(raw.lower()) for regex in _LOWER_PREFIXED) if numbered else ()
    prefixed = next((match for match in matches if match is not None), None)
    return (
        prefixed is not None
        and not {prefixed.group(1), prefixed.group(2)} & set(FUNCTION_WORDS)
        and sum(char.isdigit() for char in prefixed.group(3)) >= _LOWER_DIGITS
    )
