"""The line of a first page that may hold its issuer's name, and a name wrapped over two lines.

A name line is letters in words, not OCR specks, figures or a label with its value
(`name_like`); its name is what stands before a separator or a registration number, up to its
legal form (`name_part`). A narrow receipt wraps a long name: inside its brackets ("ENTERPRISE
(SETIA" over "ALAM)SDN BHD"), before its legal form ("POPULAR BOOK" over "CO. (M) SDN BHD",
"... VEGETARIAN" over "RESTAURANT SDN BHD") or after an "&" ("HOME MASTER HARDWARE &" over
"ELECTRICAL"); `wrapped_name` reads it whole. `extractors.fields.issuer` scores the lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.fields.letterhead import (
    COURTESY,
    LEGAL_FORM,
    NOT_ADDRESS,
    REGISTRATION,
    REGISTRATION_TAIL,
    SELLER_CUE,
    TRADE_WORDS,
    is_place_line,
    is_title,
    starts_address,
)
from extractors.fields.text import fold

__all__ = ["SEPARATORS", "Line", "another_name", "continuation", "name_like", "name_part", "wrapped_name"]

_WRAP_LINES = 2  # lines above a name line that a wrapped name may start on
_TRAILING_JOINER = re.compile(r"\s+(?:&|and)\s*$", re.IGNORECASE)  # "HOME MASTER HARDWARE &"
SEPARATORS = re.compile(r"\s+(?:[•|–—·]|-(?=\s))\s+|\t|\s{3,}")


@dataclass(frozen=True)
class Line:
    index: int  # among non-empty lines
    text: str


def name_like(text: str, has_form: bool) -> bool:
    """Letters in words, as a name is written; not a line of OCR specks, figures or a label
    with its value."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    letters = sum(len(word) for word in words)
    visible = sum(1 for char in text if not char.isspace())
    return (
        bool(words)
        and letters >= 5
        and max(len(word) for word in words) >= 3
        and letters >= (0.4 if has_form else 0.6) * visible
        and letters / len(words) >= (2.5 if has_form else 3)
        and not re.search(r"[:@$€£%]|www\.|\d[.,]\d\d(?!\d)", text)
        and not re.search(r"([\-=*_~])\1", text)  # a ruled section heading ("--- Food ---")
    )


def name_part(text: str) -> str:
    """The name on a line: up to its legal form, before a separator, without a trailing
    registration number ("TRI SHAAS SDN BHD (728515-M)", "X GmbH • Am Markt 2 • Bonn").
    Empty for a parenthesis or a line that starts with a legal form ("SARL au capital de")."""
    text = text.strip(" |,;\t")
    cue = SELLER_CUE.match(fold(text))
    if cue:
        text = text[cue.end() :].strip(" :|,;\t")
    text = _with_descriptor(SEPARATORS.split(text, maxsplit=2), text)
    forms = list(LEGAL_FORM.finditer(text))
    if text.startswith("(") or (forms and forms[0].start() == 0):
        return ""
    text = text[: forms[-1].end()] if forms else REGISTRATION_TAIL.sub("", text)
    text = re.sub(r"\s+[\d\W]$", "", text)  # an OCR speck after the name ("RIANG RIA 4")
    words = text.strip(" :,;|").split()
    speck = len(words[0]) <= 2 and words[0].isalpha() and not words[0].isupper() if words else False
    if len(words) > 2 and speck and " ".join(words[1:]).isupper():
        words = words[1:]  # an OCR speck before a name in capitals ("oT MEGAH RETAIL SDN BHD")
    return " ".join(words)


def _with_descriptor(parts: Sequence[str], text: str) -> str:
    """The name before a separator, with the words a dash joins to it in the same lettering
    ("GARAGE DU CENTRE - VITRAGE AUTO"); not a description of the document ("MAV Assurances -
    formulaire en ligne"), a tagline, an address or how to reach the issuer."""
    name = parts[0]
    if len(parts) < 2 or not re.match(r"\s+[-–—]\s+", text[len(name) :]):
        return name
    words = parts[1].split()
    same_lettering = parts[1].isupper() if name.isupper() else all(word[0].isupper() for word in words)
    if (
        same_lettering
        and len(words) <= 4
        and not re.search(r"\d", parts[1])
        and name_like(parts[1], False)
        and not (starts_address(parts[1]) or is_place_line(parts[1]) or NOT_ADDRESS.search(fold(parts[1])))
    ):
        return text[: text.index(parts[1], len(name)) + len(parts[1])]
    return name


def wrapped_name(lines: Sequence[Line], position: int, name: str) -> str:
    """A long name that a narrow receipt wraps over lines, whole: when the name line
    closes a bracket it did not open ("ALAM)SDN BHD" under "ENTERPRISE (SETIA"), the
    name starts on the line in capitals that opens it, or on one or two such lines above;
    when the next line finishes the name (`continuation`) or the name line itself is only
    the end of a name (`_name_tail`), the name is both lines."""
    if name.count(")") <= name.count("("):
        below = continuation(lines, position)
        if below:
            return f"{_TRAILING_JOINER.sub('', name)} {below}"
        if position and _name_tail(lines[position], lines[position - 1]):
            return f"{lines[position - 1].text.strip(' |')} {name}"
        return name
    parts = [name]
    for line in reversed(lines[max(0, position - _WRAP_LINES) : position]):
        text = line.text.strip(" |")
        if not text.isupper() or re.search(r"\d", text) or line.index != lines[position].index - len(parts):
            break
        parts.insert(0, text)
    if not any("(" in part for part in parts[:-1]):
        return name
    return re.sub(r"\)(?=\w)", ") ", " ".join(parts))


def continuation(lines: Sequence[Line], position: int) -> str:
    """The end of a name that the line at `position` begins and the next line finishes: a name's
    tail ("POPULAR BOOK" over "CO. (M) SDN BHD", see `_name_tail`) or the words after a line that
    ends on "&" ("HOME MASTER HARDWARE &" over "ELECTRICAL"); "" when the name ends on its line."""
    line = lines[position]
    if position + 1 >= len(lines) or LEGAL_FORM.search(line.text):
        return ""
    below = lines[position + 1]
    if _name_tail(below, line):
        forms = list(LEGAL_FORM.finditer(below.text))
        return below.text[: forms[-1].end()].strip()
    joined = _TRAILING_JOINER.search(line.text.strip(" |"))
    if joined and below.index == line.index + 1 and _plain_capitals(below.text, form_allowed=True):
        return f"{joined.group().strip()} {name_part(below.text)}"
    return ""


def _name_tail(line: Line, above: Line) -> bool:
    """Whether `line` ends a name that starts on the line `above` it: a legal form with no word
    before it, a word of the trade or a word that joins ("CO. (M) SDN BHD", "RESTAURANT SDN BHD",
    "& TEA LEAF (M) SDN. BHD."), under a line in the same capitals with no legal form of its own."""
    text = line.text.strip(" |")
    forms = list(LEGAL_FORM.finditer(text))
    if not forms or above.index != line.index - 1 or not text.isupper():
        return False
    before = re.sub(r"\([^)]*\)", " ", text[: forms[0].start()]).split()
    return (
        re.match(r"\W*(?:&|and\b)", text, re.IGNORECASE) is not None
        or not before
        or (len(before) == 1 and fold(before[0]) in TRADE_WORDS)
    ) and _plain_capitals(above.text, form_allowed=False)


def _plain_capitals(text: str, form_allowed: bool) -> bool:
    """A line of a name's words in capitals, without figures or a label, that is no address,
    title, registration or courtesy: the start or the end of a name wrapped over two lines."""
    text, folded = text.strip(" |"), fold(text)
    return (
        text.isupper()
        and not re.search(r"\d", text)
        and (form_allowed or LEGAL_FORM.search(text) is None)
        and name_like(text, False)
        and not (is_title(text) or starts_address(text) or is_place_line(text) or REGISTRATION.search(text))
        and not (COURTESY.search(folded) or NOT_ADDRESS.match(folded))
    )


def another_name(below: str, continued: str) -> bool:
    """Whether `below`, the line under a name line, is a name of its own: name-like, in
    capitals, and not the end of the name above (`continued`, its `continuation`)."""
    below = below.strip(" |")
    name = name_part(below)
    return (
        bool(name)
        and not continued
        and below.isupper()
        and name_like(name, LEGAL_FORM.search(name) is not None)
        and not (REGISTRATION.search(below) or starts_address(below) or is_title(name))
    )
