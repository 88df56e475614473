"""Who issued a document (`company`) and their postal address (`address`), from its layout.

Letterheads, receipts and invoices print the issuer at the top of the first
page, or in a footer beside its registration numbers, in the same few shapes:
a name with a legal form (SARL, GmbH, Ltd, SDN BHD, B.V.), a name right above
its registration number ("(742016-W)", "Company no", "SIRET", "HRB") or above
its street address, after a seller label ("Seller:", "Sold by", "Émetteur"), or
in a footer above the trade-register mentions only the seller prints ("Siège
social", "au capital de", "Registered office"); a name its web site or e-mail
domain spells counts for more. Names under a recipient label ("Bill to",
"Rechnung an", "Client") or above an attention line ("Attn", "T.a.v.") are the
customer's and never the issuer's, wherever else they appear. With the page's
layout, the top of the page is where a line is printed, not where the text
layer writes it. No list of known companies is used: only these shapes and the
words of the trade around them.

Only the first page of an attachment is read; mail text has no letterhead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.fields.base import is_attachment, make_field
from extractors.fields.letterhead import (
    ATTENTION,
    BRACKETED_NUMBER,
    DATE_OR_TIME,
    DOCUMENT_KIND,
    DOMAIN,
    LEGAL_FORM,
    LEGAL_MENTION,
    NOT_ADDRESS,
    OWN_LABEL,
    PHONE_ONLY,
    POSTCODE,
    PRICE,
    RECIPIENT_CUE,
    REGISTRATION,
    REGISTRATION_TAIL,
    SECTION,
    SELLER_CUE,
    STREET,
    TITLE,
)
from extractors.fields.text import NUMBER_SIGN, fold
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["IssuerFinder", "find_issuer"]


_RECIPIENT_REACH = 4  # lines under a recipient label that belong to the recipient
_TOP_LINES = 12  # the letterhead zone of the first page, in non-empty lines
_ADDRESS_LINES = 5
_BRANCH_REACH = 4  # lines under a brand where its branch's full name may stand
_WRAP_LINES = 2  # lines above a name line that a wrapped name may start on
_MAX_NAME_WORDS = 6  # without a legal form; longer lines are sentences
_SEPARATORS = re.compile(r"\s+(?:[•|–—·]|-(?=\s))\s+|\t|\s{3,}")


@dataclass(frozen=True)
class _Line:
    index: int  # among non-empty lines
    text: str


@dataclass(frozen=True)
class _Page:
    """A first page's lines and what is known of them before any is scored."""

    lines: Sequence[_Line]
    recipients: set[int]  # indexes of lines in a recipient's block
    names: Counter[str]  # how often each folded name is printed
    rows: Sequence[int]  # per line: how high on the page it is printed, in rows from the top
    row_count: int
    domains: frozenset[str]  # web site and e-mail domains on the page, letters only


@dataclass(frozen=True)
class Issuer:
    name: str
    address: str | None
    confidence: float


def _name_like(text: str, has_form: bool) -> bool:
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


def _name_part(text: str) -> str:
    """The name on a line: up to its legal form, before a separator, without a trailing
    registration number ("TRI SHAAS SDN BHD (728515-M)", "X GmbH • Am Markt 2 • Bonn").
    Empty for a parenthesis or a line that starts with a legal form ("SARL au capital de")."""
    text = text.strip(" |,;\t")
    cue = SELLER_CUE.match(fold(text))
    if cue:
        text = text[cue.end() :].strip(" :|,;\t")
    text = _SEPARATORS.split(text)[0]
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


def _rest_of_line(text: str, name: str) -> str:
    """What follows the name on its line ("Atlassian Pty Ltd, Level 6, 341 George St")."""
    at = text.find(name.split()[-1]) if name else -1
    rest = text[at + len(name.split()[-1]) :] if at >= 0 else ""
    rest = rest.strip(" ,;:-•|–\t")
    return "" if not rest or REGISTRATION.search(rest) else rest


def _canonical_forms(name: str) -> str:
    """OCR readings of Malaysian legal forms spelt as printed: "SON BHD" -> "SDN BHD"; and
    a space that OCR read as an underscore ("AIK HUAT_HARDWARE")."""
    name = re.sub(r"(?<=[^\W_])_(?=[^\W_])", " ", name)
    name = re.sub(r"(?i)\bs[ou0]n(\.?\s*b)", lambda m: "SDN" + m.group(1), name)
    name = re.sub(r"(?i)((?:\bsdn\.?|\(m\))\s*)b(?:[nra]d|h[o0])\b", lambda m: m.group(1) + "BHD", name)
    return re.sub(r"(?<![\w/])5/[B5]\b", "S/B", name)


def _wrapped_name(lines: Sequence[_Line], position: int, name: str) -> str:
    """A long name that a narrow receipt wraps over lines, whole: when the name line
    closes a bracket it did not open ("ALAM)SDN BHD" under "ENTERPRISE (SETIA"), the
    name starts on the line in capitals that opens it, or on one or two such lines above."""
    if name.count(")") <= name.count("("):
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


def _branch_line(lines: Sequence[_Line], position: int) -> int:
    """The line that names the branch, when the name at `position` is a brand printed
    again with more words right above the street ("DOMINO'S PIZZA" at the top, then
    "DOMINO'S PIZZA TAMAN UNIVERSITI" over "30, Jln Kebudayaan 7"); else `position`."""
    brand = fold(_name_part(lines[position].text))
    if not brand or LEGAL_FORM.search(lines[position].text):
        return position
    for later in range(position + 1, min(len(lines) - 1, position + _BRANCH_REACH + 1)):
        text = lines[later].text
        longer = fold(_name_part(text))
        if (
            longer.startswith(brand + " ")
            and _name_like(text, False)
            and _starts_address(lines[later + 1].text)
        ):
            return later
    return position


def _recipient_lines(lines: Sequence[_Line]) -> set[int]:
    """Indexes of lines that belong to the recipient's block."""
    taken: set[int] = set()
    for line in lines:
        if ATTENTION.match(fold(line.text)):
            # the company the document is for stands above its contact person, its address below
            taken.update(range(max(0, line.index - 1), line.index + 1 + _RECIPIENT_REACH))
        cue = RECIPIENT_CUE.search(fold(line.text))
        if cue is None or cue.start() > 3:
            continue
        rest = line.text[cue.end() :].strip(" :-—#\t")
        if rest:
            taken.add(line.index)
        taken.update(range(line.index + 1, line.index + 1 + _RECIPIENT_REACH))
    return taken


_NUMBER_LABEL = re.compile(rf"(?<![a-z]){NUMBER_SIGN}")


def _is_title(name: str) -> bool:
    """A document title or boilerplate ("TAX INVOICE", "-Receipt-") or the label of a
    number ("N° de contrat"), not a name."""
    folded = fold(name)
    rest = TITLE.sub(" ", folded)
    return (
        sum(char.isalpha() for char in rest) < 3
        or _NUMBER_LABEL.search(folded) is not None
        or DOCUMENT_KIND.match(folded) is not None
    )


def _starts_address(text: str) -> bool:
    folded = fold(text)
    street = STREET.search(folded)
    if (NOT_ADDRESS.search(folded) or REGISTRATION.search(text)) and not street:
        return False
    if _not_an_address_line(text) or sum(char.isalpha() for char in text) < 3:
        return False
    if SECTION.match(text) and not street and not POSTCODE.search(text):
        return False  # "1. L'assuré": a numbered heading
    return len(re.sub(r"\W", "", text)) >= 4 and bool(
        re.match(r"^\W*\d", text) or street or POSTCODE.search(text)
    )


def _not_an_address_line(text: str) -> bool:
    return bool(PHONE_ONLY.match(text) or DATE_OR_TIME.search(text) or PRICE.search(text))


def _in_address(text: str) -> bool:
    """A line of an address with words in it (not a bare number, as receipts print above a name)."""
    return _starts_address(text) and (sum(char.isalpha() for char in text) >= 3 or "," in text)


def _score(page: _Page, position: int) -> float:
    """How much a line looks like the issuer's name line, 0 when it cannot be."""
    lines = page.lines
    line = lines[position]
    text, folded = line.text, fold(line.text)
    name = _name_part(text)
    has_form = LEGAL_FORM.search(name) is not None
    if line.index in page.recipients or not name or not _name_like(name, has_form) or len(name) > 80:
        return 0.0
    if _is_title(name) or (NOT_ADDRESS.match(folded) and not has_form):
        return 0.0
    if not has_form and (len(name.split()) > _MAX_NAME_WORDS or name == name.lower()):
        return 0.0  # a sentence, or OCR specks in lower case
    previous = lines[position - 1].text if position else ""
    following = [item.text for item in lines[position + 1 : position + 3]]
    registered = any(REGISTRATION.search(item) for item in following) or REGISTRATION_TAIL.search(text)
    # A line right above a company number in brackets ("(742016-W)") is a name, whatever
    # OCR specks stand above it.
    registered_below = bool(following) and BRACKETED_NUMBER.match(following[0]) is not None
    if REGISTRATION.search(name) or (
        not has_form and (_starts_address(name) or (_in_address(previous) and not registered_below))
    ):
        return 0.0  # a line of an address
    addressed = bool(_rest_of_line(text, name)) or any(_starts_address(item) for item in following)
    seller = bool(SELLER_CUE.match(folded)) or bool(SELLER_CUE.search(fold(previous)))
    # In a footer, the name above the company's trade-register mentions is the issuer's.
    mentioned = bool(following) and LEGAL_MENTION.match(fold(following[0])) is not None
    row = page.rows[position]
    top = row < min(_TOP_LINES, max(4, page.row_count // 4))
    if not (top or has_form or seller or mentioned):
        return 0.0
    score = 0.3 + 0.25 * has_form + 0.15 * bool(registered) + 0.1 * addressed + 0.2 * seller
    score += 0.2 * mentioned + 0.1 * (_letters(name) in page.domains)
    score += 0.1 * (page.names[fold(name)] > 1)  # letterhead and footer, sender line and letterhead
    return score + (0.15 - 0.01 * row if top else 0.0)


def _letters(name: str) -> str:
    """A name's letters and digits without its legal form, as a domain would spell it."""
    return re.sub(r"[\W_]", "", fold(LEGAL_FORM.sub(" ", name)))


def _address_after(lines: Sequence[_Line], position: int) -> str | None:
    """The address printed with the issuer's name: the rest of its line, then the street
    lines under it, up to its phone or tax lines."""
    rest = _rest_of_line(lines[position].text, _name_part(lines[position].text))
    parts = [rest] if rest and _starts_address(rest) else []
    for line in lines[position + 1 : position + 1 + _ADDRESS_LINES]:
        folded = fold(line.text)
        street = STREET.search(folded)
        if not parts:
            if _starts_address(line.text):
                parts.append(line.text)
            elif line.index - lines[position].index > 2:
                break
            continue
        if REGISTRATION.search(line.text) or _not_an_address_line(line.text):
            break
        if (NOT_ADDRESS.search(folded) or OWN_LABEL.search(line.text)) and not street:
            break
        parts.append(line.text)
    address = ", ".join(part.strip(" ,|") for part in parts if part.strip(" ,|"))
    return address or None


def find_issuer(text: str, layout: str = "") -> Issuer | None:
    """The issuer's name and address on a first page, or None when nothing looks like one.
    `layout` is the same page as printed (`Page.layout`), when known: it tells how high
    on the page each line stands, which the text layer's order may not."""
    raw_lines = [line.strip() for line in text.splitlines()]
    lines = [_Line(index, line) for index, line in enumerate(item for item in raw_lines if item)]
    recipients = _recipient_lines(lines)
    recipient_names = {fold(_name_part(lines[i].text)) for i in recipients if i < len(lines)}
    rows, row_count = _printed_rows(lines, layout)
    page = _Page(
        lines,
        recipients,
        Counter(fold(_name_part(line.text)) for line in lines),
        rows,
        row_count,
        frozenset(re.sub(r"[\W_]", "", found) for found in DOMAIN.findall(fold(text))),
    )
    best: tuple[float, int] | None = None
    for position, line in enumerate(lines):
        score = _score(page, position)
        if score and fold(_name_part(line.text)) in recipient_names:
            score = 0.0
        if score and (best is None or score > best[0]):
            best = (score, position)
    if best is None:
        return None
    score, position = best
    position = _branch_line(lines, position)
    name = _canonical_forms(_wrapped_name(lines, position, _name_part(lines[position].text)))
    return Issuer(name, _address_after(lines, position), min(0.95, score))


def _printed_rows(lines: Sequence[_Line], layout: str) -> tuple[list[int], int]:
    """Per line, the row of the page it is printed on (its place in the text without a
    layout), and how many rows the page has."""
    if not layout.strip():
        return [line.index for line in lines], len(lines)
    laid_out = [fold(row) for row in layout.splitlines() if row.strip()]
    rows = [f" {' '.join(row.split())} " for row in laid_out]
    cells = [{" ".join(cell.split()) for cell in re.split(r"\s{3,}", row.strip())} for row in laid_out]
    printed = []
    for line in lines:
        name = " ".join(fold(_name_part(line.text)).split())
        # A row where the name stands as a cell of its own, else one holding it; of
        # several, the nearest to the line's place in the text ("Sinistre", a heading,
        # is not the "sinistre" of the title row).
        found = [index for index, row in enumerate(cells) if name in row] or [
            index for index, row in enumerate(rows) if name and f" {name} " in row
        ]
        row = min(found, key=lambda index: abs(index - line.index), default=None)
        printed.append(line.index if row is None else row)
    return printed, len(rows)


class IssuerFinder:
    """`company` (the issuer, as printed) and `address` (its postal address, lines joined by ", ")."""

    names = ("company", "address")

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not (is_attachment(source.source) and source.source.endswith("#p1")):
            return []
        issuer = find_issuer(source.text, source.layout)
        if issuer is None:
            return []
        fields = [make_field("company", issuer.name, issuer.name, issuer.confidence, source)]
        if issuer.address:
            fields.append(make_field("address", issuer.address, issuer.address, issuer.confidence, source))
        return fields
