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
customer's and never the issuer's, wherever else they appear; so are a person
named with a courtesy title and the address under it (a letter's window), and a
labelled field of a form ("Demeurant : 9 rue Colbert"). A tagline ("Dépannage
7j/7"), a product line in sentence case ("Multirisque habitation") and the
headings of a form's series ("VÉHICULE A", "VÉHICULE B") name no one: a blank
form or a constat has no issuer. With the page's layout, the top of the page is
where a line is printed, not where the text layer writes it. No list of known
companies is used: only these shapes and the words of the trade around them.

The name is given as printed, with a descriptor a dash joins to it in the same
lettering ("GARAGE DU CENTRE - VITRAGE AUTO"); the address as its printed lines
(or the parts of a line a dash separates) joined by ", ", up to its phone or
registration lines. Only the first page of an attachment is read; mail text has
no letterhead.
What a name line is, and names wrapped over two lines: `extractors.fields.issuer_names`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.fields.base import is_attachment, make_field
from extractors.fields.issuer_names import (
    SEPARATORS,
    Line,
    another_name,
    continuation,
    name_like,
    name_part,
    wrapped_name,
)
from extractors.fields.letterhead import (
    ATTENTION,
    BRACKETED_NUMBER,
    COURTESY,
    DASH,
    DOMAIN,
    LEGAL_FORM,
    LEGAL_MENTION,
    NOT_ADDRESS,
    RECIPIENT_CUE,
    REGISTRATION,
    REGISTRATION_TAIL,
    SECTION,
    SELLER_CUE,
    SERVICE_HOURS,
    address_part,
    canonical_forms,
    ends_address,
    in_address,
    is_addressee,
    is_place_line,
    is_title,
    printed_rows,
    starts_address,
)
from extractors.fields.text import fold
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["IssuerFinder", "find_issuer"]


_RECIPIENT_REACH = 4  # lines under a recipient label that belong to the recipient
_TOP_LINES = 12  # the letterhead zone of the first page, in non-empty lines
_ADDRESS_LINES = 5
_MAX_NAME_WORDS = 6  # without a legal form; longer lines are sentences


@dataclass(frozen=True)
class _Page:
    """A first page's lines and what is known of them before any is scored."""

    lines: Sequence[Line]
    recipients: set[int]  # indexes of lines in a recipient's block
    names: Counter[str]  # how often each folded name is printed
    rows: Sequence[int]  # per line: how high on the page it is printed, in rows from the top
    row_count: int
    domains: frozenset[str]  # web site and e-mail domains on the page, letters only
    series: frozenset[str]  # folded headings of a series ("vehicule a", "vehicule b")


@dataclass(frozen=True)
class Issuer:
    name: str
    address: str | None
    confidence: float


def _rest_of_line(text: str, name: str) -> str:
    """What follows the name on its line ("Atlassian Pty Ltd, Level 6, 341 George St")."""
    at = text.find(name.split()[-1]) if name else -1
    rest = text[at + len(name.split()[-1]) :] if at >= 0 else ""
    rest = rest.strip(" ,;:-•|–\t")
    return "" if not rest or REGISTRATION.search(rest) else rest


def _recipient_lines(lines: Sequence[Line]) -> set[int]:
    """Indexes of lines that belong to the recipient's block."""
    taken: set[int] = set()
    for line in lines:
        if ATTENTION.match(fold(line.text)):
            # the company the document is for stands above its contact person, its address below
            taken.update(range(max(0, line.index - 1), line.index + 1 + _RECIPIENT_REACH))
        if is_addressee(line.text):
            taken.add(line.index)
            for below in lines[line.index + 1 : line.index + 1 + _RECIPIENT_REACH]:
                if not (starts_address(below.text) or is_place_line(below.text)):
                    break
                taken.add(below.index)
        cue = RECIPIENT_CUE.search(fold(line.text))
        if cue is None or cue.start() > 3:
            continue
        rest = line.text[cue.end() :].strip(" :-—#\t")
        if rest:
            taken.add(line.index)
        taken.update(range(line.index + 1, line.index + 1 + _RECIPIENT_REACH))
    return taken


def _score(page: _Page, position: int) -> float:
    """How much a line looks like the issuer's name line, 0 when it cannot be."""
    lines = page.lines
    line = lines[position]
    text, folded = line.text, fold(line.text)
    name = name_part(text)
    # its legal form, or the one that ends it on the next line ("POPULAR BOOK" over "CO. (M) SDN BHD")
    continued = continuation(lines, position)
    has_form = LEGAL_FORM.search(f"{name} {continued}") is not None
    if line.index in page.recipients or not _can_be_name(page, text, name, has_form):
        return 0.0
    previous = lines[position - 1].text if position else ""
    below = lines[position + 1 : position + 3]
    following = [item.text for item in below]
    own_following = [item.text for item in below if item.index not in page.recipients]  # not an addressee's
    # A company number under the name, or one line lower under the rest of the name or a
    # descriptor, not under another name ("B & BEST RESTAURANT" between an OCR speck and its
    # "(001610235 P)"); or a number closing the name's own part of the line, not a phone after it.
    between_name = len(following) > 1 and another_name(following[0], continued)
    registered = any(
        REGISTRATION.search(item) for item in following[: 1 if between_name else 2]
    ) or REGISTRATION_TAIL.search(SEPARATORS.split(text)[0])
    # A line right above a company number in brackets ("(742016-W)") is a name, whatever
    # OCR specks stand above it.
    registered_below = bool(following) and BRACKETED_NUMBER.match(following[0]) is not None
    if REGISTRATION.search(name) or (
        not has_form and (starts_address(name) or (in_address(previous) and not registered_below))
    ):
        return 0.0  # a line of an address
    addressed = (
        bool(_rest_of_line(text, name))
        or any(starts_address(item) for item in own_following)
        or (bool(own_following) and is_place_line(DASH.split(own_following[0])[0]))
    )
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


def _can_be_name(page: _Page, text: str, name: str, has_form: bool) -> bool:
    """Whether the name part of a line could name a business, wherever it stands: not a
    title, a label, a sentence, a tagline ("Dépannage 7j/7") or a heading of a series."""
    if not name or not name_like(name, has_form) or len(name) > 80 or is_title(name):
        return False
    if SERVICE_HOURS.search(fold(name)) or COURTESY.search(fold(text)) or fold(name) in page.series:
        return False
    if has_form:
        return True
    if NOT_ADDRESS.match(fold(text)) or len(name.split()) > _MAX_NAME_WORDS or name == name.lower():
        return False  # how to reach the issuer, a sentence, or OCR specks in lower case
    return not (is_place_line(name) or SECTION.match(name) or _sentence_case(name))


def _sentence_case(name: str) -> bool:
    """A phrase whose words after the first are in lower case ("Multirisque habitation",
    "Médecine générale"): a line of business or a product, not the business's name."""
    words = [word for word in name.split() if word.isalpha()]
    return (
        bool(words)
        and words[0][0].isupper()
        and not words[0].isupper()
        and any(len(word) >= 4 for word in words[1:])
        and all(word.islower() for word in words[1:])
    )


def _series_headings(lines: Sequence[Line]) -> frozenset[str]:
    """Headings of a series that the page prints with only their last letter or number changed
    ("VÉHICULE A" and "VÉHICULE B" on a constat, "Party 1" and "Party 2"): parts of a form."""
    stems: dict[str, set[str]] = {}
    for line in lines:
        found = re.fullmatch(r"(.*\S)\s+(\w)", fold(line.text.strip(" :|")))
        if found:
            stems.setdefault(found.group(1), set()).add(found.group(2))
    return frozenset(f"{stem} {mark}" for stem, marks in stems.items() if len(marks) > 1 for mark in marks)


def _letters(name: str) -> str:
    """A name's letters and digits without its legal form, as a domain would spell it."""
    return re.sub(r"[\W_]", "", fold(LEGAL_FORM.sub(" ", name)))


def _address_after(page: _Page, position: int) -> str | None:
    """The address printed with the issuer's name: the rest of its line, then the street
    lines under it (or, right under the name, a locality), up to its phone or tax lines or
    the recipient's block."""
    lines, top = page.lines, page.lines[position]
    rest = _rest_of_line(top.text, name_part(top.text))
    parts = [address_part(rest)[0]] if rest and starts_address(rest) else []
    for line in lines[position + 1 : position + 1 + _ADDRESS_LINES]:
        if line.index in page.recipients or (parts and ends_address(line.text)):
            break
        if not parts and not (
            starts_address(line.text)
            or (line.index == top.index + 1 and is_place_line(DASH.split(line.text)[0]))
        ):
            if line.index - top.index > 2:
                break
            continue
        part, cut_short = address_part(line.text)
        parts.append(part)
        if cut_short:
            break  # the line goes on with the phone
    address = ", ".join(part for part in parts if part)
    return address or None


def find_issuer(text: str, layout: str = "") -> Issuer | None:
    """The issuer's name and address on a first page, or None when nothing looks like one.
    `layout` is the same page as printed (`Page.layout`), when known: it tells how high
    on the page each line stands, which the text layer's order may not."""
    raw_lines = [line.strip() for line in text.splitlines()]
    lines = [Line(index, line) for index, line in enumerate(item for item in raw_lines if item)]
    recipients = _recipient_lines(lines)
    recipient_names = {fold(name_part(lines[i].text)) for i in recipients if i < len(lines)}
    rows, row_count = printed_rows([fold(name_part(line.text)) for line in lines], layout)
    page = _Page(
        lines,
        recipients,
        Counter(fold(name_part(line.text)) for line in lines),
        rows,
        row_count,
        frozenset(re.sub(r"[\W_]", "", found) for found in DOMAIN.findall(fold(text))),
        _series_headings(lines),
    )
    best: tuple[float, int] | None = None
    for position, line in enumerate(lines):
        score = _score(page, position)
        if score and fold(name_part(line.text)) in recipient_names:
            score = 0.0
        if score and (best is None or score > best[0]):
            best = (score, position)
    if best is None:
        return None
    score, position = best
    name = canonical_forms(wrapped_name(lines, position, name_part(lines[position].text)))
    return Issuer(name, _address_after(page, position), min(0.95, score))


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
