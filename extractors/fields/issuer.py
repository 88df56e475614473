"""Who issued a document (`company`) and their postal address (`address`), from its layout.

Letterheads, receipts and invoices print the issuer at the top of the first
page, or in a footer beside its registration numbers, in the same few shapes:
a name with a legal form (SARL, GmbH, Ltd, SDN BHD, B.V.), a name right above
its registration number ("(742016-W)", "Company no", "SIRET", "HRB") or above
its street address, or after a seller label ("Seller:", "Sold by", "Émetteur").
Names under a recipient label ("Bill to", "Rechnung an", "Client") are the
customer's and never the issuer's, wherever else they appear. No list of known
companies is used: only these shapes and the words of the trade around them.

Only the first page of an attachment is read; mail text has no letterhead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.fields.base import is_attachment, make_field
from extractors.fields.text import NUMBER_SIGN, fold, phrases
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["IssuerFinder", "find_issuer"]


def _listed(words: str) -> list[str]:
    """Cue phrases written "a|b|c", to keep long vocabularies compact."""
    return words.split("|")


# Legal forms, as printed (case-insensitive unless noted), with the OCR confusions of
# receipts ("SON BHD", "SDN BND", "5/B"): the letters, not the companies, are listed.
_LEGAL_FORM = re.compile(
    r"(?<![\w&])(?:"
    r"s[dou0]n\.?\s*b[hnr]d\.?|(?-i:B[HR]D)\.?|[s5]/b"
    r"|gmbh(?:\s*&\s*co\.?\s*kg)?|(?-i:AG|KG|SE|UG)|e\.?\s?k\."
    r"|pty\.?\s*(?:ltd|limited)\.?|ltd\.?|limited|inc\.?|incorporated|l\.?l\.?c\.?|llp|plc|corp\.?|corporation"
    r"|b\.\s?v\.?|(?-i:BV|NV)|n\.\s?v\.?"
    r"|s\.?a\.?r\.?l\.?|sasu?|eurl|(?-i:SA|SNC|SCI)|s\.a\.|s\.p\.a\.?|s\.r\.l\.?|spółka\s+akcyjna"
    r"|pvt\.?\s*ltd\.?|private\s+limited|(?-i:CO)\.?"
    r")(?![\w&])",
    re.IGNORECASE,
)
# Registration numbers printed under or beside an issuer's name.
_REGISTRATION = re.compile(
    r"^\W*\(?\s*(?:co\w*\.?[\s\-]*(?:re[cg]\w*|no)|reg(?:istration)?\.?\s*no|roc|siret|siren|rcs|hrb|hra"
    r"|kvk|abn|acn|cin|gst|vat|tva|ust|btw|uid|nip|tax\s*id|company\s+number|registered|si[eè]ge\s+social)\b"
    r"|^\W*\(?\s*[0-9][0-9 ]{4,}[\-\s]*[a-z]\s*\)?\W*$",  # "(742016-W)", "002043319-W"
    re.IGNORECASE,
)
_BRACKETED_NUMBER = re.compile(r"\W*\(\s*[0-9][0-9 ]{4,}[\-\s]*[a-z]\s*\)\W*$", re.IGNORECASE)
_REGISTRATION_TAIL = re.compile(
    r"\s*[\(\[]?\s*(?:co\.?\s*(?:reg\.?)?\s*(?:no)?\.?\s*:?\s*)?[0-9][0-9 ]{4,}"
    r"[\-\s]*[a-z]?\s*[\)\]]?\s*$",
    re.IGNORECASE,
)
_STREET = re.compile(
    phrases(
        _listed(
            "street|st.|road|rd.|avenue|ave|lane|drive|boulevard|suite|floor|level|unit|lot|block|"
            "building|jalan|jln|taman|tmn|lorong|persiaran|rue|bd|chemin|place|allee|impasse|route|cedex|"
            "bp|strasse|str.|platz|weg|gasse|ring|postfach|straat|laan|plein|ul.|aleja"
        )
    )
    + r"|(?<![a-z])no\.?\s*\d"  # "No.53", "NO 37": a house number, not "Company no"
)
_POSTCODE = re.compile(r"(?<![\d\-/])(?:[A-Z]{1,2}-)?\d{4,6}(?![\d\-/])")
# Lines that end an address: how to reach the issuer, tax lines, the document's own title.
_NOT_ADDRESS = re.compile(
    phrases(
        _listed(
            "tel|tel.|telephone|phone|fax|hp|mobile|t :|f :|e-mail|email|mail|www|http|gst|vat|tva|ust|"
            "tax|reg|registration|company no|co. no|siret|rcs|hrb|invoice|receipt|facture|rechnung|bill|"
            "cashier|date|time|table|order|doc|member|counter|terminal|kvk|btw|iban|bic|bank"
        )
    )
)
_RECIPIENT_CUE = re.compile(
    phrases(
        _listed(
            "bill to|billed to|billing address|invoice to|invoiced to|ship to|shipping address|sold to|"
            "deliver to|delivery address|customer|client|buyer|attn|recipient|rechnung an|"
            "rechnungsadresse|lieferadresse|kunde|empfanger|facture a|facturer a|adresse de facturation|"
            "adresse de livraison|destinataire|nabywca|factuuradres|afleveradres|billing contact|"
            "technical contact|to"
        )
    )
)
_SELLER_CUE = re.compile(
    phrases(
        _listed(
            "seller|sold by|vendor|supplier|issued by|provided by|service provider|from|payable to|"
            "in favour of|in favor of|remit to|verkaufer|lieferant|vendeur|fournisseur|emetteur|emis par|"
            "sprzedawca|leverancier"
        )
    )
)
# Titles and boilerplate printed where a letterhead would be.
_TITLE = re.compile(
    phrases(
        _listed(
            "invoice|tax invoice|receipt|official receipt|cash bill|cash sale|bill|facture|rechnung|"
            "factuur|faktura|quittance|devis|quote|quotation|page|original|copy|duplicate|summary|welcome|"
            "thank you|statement|credit note|avoir|order|payment|paid|total|date|simplified|"
            "electronic document"
        )
    )
)
# A line opening with the kind of document is its title ("Constat amiable d'accident",
# "Déclaration de sinistre", "Récépissé de plainte"), whatever words follow.
_DOCUMENT_KIND = re.compile(
    r"^\W*(?:constat|declaration|recepisse|attestation|formulaire|avis|bulletin|releve|certificat"
    r"|proces[- ]verbal|rapport|compte[- ]rendu|claim form|report|certificate|notice|form)\b"
)
_RECIPIENT_REACH = 4  # lines under a recipient label that belong to the recipient
_TOP_LINES = 12  # the letterhead zone of the first page, in non-empty lines
_ADDRESS_LINES = 5
_MAX_NAME_WORDS = 6  # without a legal form; longer lines are sentences
_SEPARATORS = re.compile(r"\s+(?:[•|–—·]|-(?=\s))\s+|\t|\s{3,}")


@dataclass(frozen=True)
class _Line:
    index: int  # among non-empty lines
    text: str


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
    )


def _name_part(text: str) -> str:
    """The name on a line: up to its legal form, before a separator, without a trailing
    registration number ("TRI SHAAS SDN BHD (728515-M)", "X GmbH • Am Markt 2 • Bonn").
    Empty for a parenthesis or a line that starts with a legal form ("SARL au capital de")."""
    text = text.strip(" |,;\t")
    cue = _SELLER_CUE.match(fold(text))
    if cue:
        text = text[cue.end() :].strip(" :|,;\t")
    text = _SEPARATORS.split(text)[0]
    forms = list(_LEGAL_FORM.finditer(text))
    if text.startswith("(") or (forms and forms[0].start() == 0):
        return ""
    text = text[: forms[-1].end()] if forms else _REGISTRATION_TAIL.sub("", text)
    text = re.sub(r"\s+[\d\W]$", "", text)  # an OCR speck after the name ("RIANG RIA 4")
    return " ".join(text.strip(" :,;|").split())


def _rest_of_line(text: str, name: str) -> str:
    """What follows the name on its line ("Atlassian Pty Ltd, Level 6, 341 George St")."""
    at = text.find(name.split()[-1]) if name else -1
    rest = text[at + len(name.split()[-1]) :] if at >= 0 else ""
    rest = rest.strip(" ,;:-•|–\t")
    return "" if not rest or _REGISTRATION.search(rest) else rest


def _canonical_forms(name: str) -> str:
    """OCR readings of Malaysian legal forms spelt as printed: "SON BHD" -> "SDN BHD"."""
    name = re.sub(r"(?i)\bs[ou0]n(\.?\s*b)", lambda m: "SDN" + m.group(1), name)
    name = re.sub(r"(?i)(\bsdn\.?\s*)b[nr]d\b", lambda m: m.group(1) + "BHD", name)
    return re.sub(r"(?<![\w/])5/B\b", "S/B", name)


def _recipient_lines(lines: Sequence[_Line]) -> set[int]:
    """Indexes of lines that belong to the recipient's block."""
    taken: set[int] = set()
    for line in lines:
        cue = _RECIPIENT_CUE.search(fold(line.text))
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
    rest = _TITLE.sub(" ", folded)
    return (
        sum(char.isalpha() for char in rest) < 3
        or _NUMBER_LABEL.search(folded) is not None
        or _DOCUMENT_KIND.match(folded) is not None
    )


def _starts_address(text: str) -> bool:
    folded = fold(text)
    street = _STREET.search(folded)
    if (_NOT_ADDRESS.search(folded) or _REGISTRATION.search(text)) and not street:
        return False
    return len(re.sub(r"\W", "", text)) >= 4 and bool(
        re.match(r"^\W*\d", text) or street or _POSTCODE.search(text)
    )


def _in_address(text: str) -> bool:
    """A line of an address with words in it (not a bare number, as receipts print above a name)."""
    return _starts_address(text) and (sum(char.isalpha() for char in text) >= 3 or "," in text)


def _score(lines: Sequence[_Line], position: int, recipients: set[int], names: Counter[str]) -> float:
    """How much a line looks like the issuer's name line, 0 when it cannot be."""
    line = lines[position]
    text, folded = line.text, fold(line.text)
    name = _name_part(text)
    has_form = _LEGAL_FORM.search(name) is not None
    if line.index in recipients or not name or not _name_like(name, has_form) or len(name) > 80:
        return 0.0
    if _is_title(name) or (_NOT_ADDRESS.match(folded) and not has_form):
        return 0.0
    if not has_form and (len(name.split()) > _MAX_NAME_WORDS or name == name.lower()):
        return 0.0  # a sentence, or OCR specks in lower case
    previous = lines[position - 1].text if position else ""
    following = [item.text for item in lines[position + 1 : position + 3]]
    registered = any(_REGISTRATION.search(item) for item in following) or _REGISTRATION_TAIL.search(text)
    # A line right above a company number in brackets ("(742016-W)") is a name, whatever
    # OCR specks stand above it.
    registered_below = bool(following) and _BRACKETED_NUMBER.match(following[0]) is not None
    if _REGISTRATION.search(name) or (
        not has_form and (_starts_address(name) or (_in_address(previous) and not registered_below))
    ):
        return 0.0  # a line of an address
    addressed = bool(_rest_of_line(text, name)) or any(_starts_address(item) for item in following)
    seller = bool(_SELLER_CUE.match(folded)) or bool(_SELLER_CUE.search(fold(previous)))
    top = line.index < min(_TOP_LINES, max(4, len(lines) // 4))
    if not (top or has_form or seller):
        return 0.0
    score = 0.3 + 0.25 * has_form + 0.15 * bool(registered) + 0.1 * addressed + 0.2 * seller
    score += 0.1 * (names[fold(name)] > 1)  # letterhead and footer, sender line and letterhead
    return score + (0.15 - 0.01 * line.index if top else 0.0)


def _address_after(lines: Sequence[_Line], position: int) -> str | None:
    """The address printed with the issuer's name: the rest of its line, then the street
    lines under it, up to its phone or tax lines."""
    rest = _rest_of_line(lines[position].text, _name_part(lines[position].text))
    parts = [rest] if rest and _starts_address(rest) else []
    for line in lines[position + 1 : position + 1 + _ADDRESS_LINES]:
        folded = fold(line.text)
        street = _STREET.search(folded)
        if not parts:
            if _starts_address(line.text):
                parts.append(line.text)
            elif line.index - lines[position].index > 2:
                break
            continue
        if (_NOT_ADDRESS.search(folded) or _REGISTRATION.search(line.text)) and not street:
            break
        parts.append(line.text)
    address = ", ".join(part.strip(" ,|") for part in parts if part.strip(" ,|"))
    return address or None


def find_issuer(text: str) -> Issuer | None:
    """The issuer's name and address on a first page, or None when nothing looks like one."""
    raw_lines = [line.strip() for line in text.splitlines()]
    lines = [_Line(index, line) for index, line in enumerate(item for item in raw_lines if item)]
    recipients = _recipient_lines(lines)
    recipient_names = {fold(_name_part(lines[i].text)) for i in recipients if i < len(lines)}
    names = Counter(fold(_name_part(line.text)) for line in lines)
    best: tuple[float, int] | None = None
    for position, line in enumerate(lines):
        score = _score(lines, position, recipients, names)
        if score and fold(_name_part(line.text)) in recipient_names:
            score = 0.0
        if score and (best is None or score > best[0]):
            best = (score, position)
    if best is None:
        return None
    score, position = best
    name = _canonical_forms(_name_part(lines[position].text))
    return Issuer(name, _address_after(lines, position), min(0.95, score))


class IssuerFinder:
    """`company` (the issuer, as printed) and `address` (its postal address, lines joined by ", ")."""

    names = ("company", "address")

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not (is_attachment(source.source) and source.source.endswith("#p1")):
            return []
        issuer = find_issuer(source.text)
        if issuer is None:
            return []
        fields = [make_field("company", issuer.name, issuer.name, issuer.confidence, source)]
        if issuer.address:
            fields.append(make_field("address", issuer.address, issuer.address, issuer.confidence, source))
        return fields
