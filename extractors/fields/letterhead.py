"""The words and shapes of a letterhead: legal forms, registration numbers, address
lines, recipient and seller labels, titles. `extractors.fields.issuer` weighs them.

Case-insensitive regexes over a line's text (or its folded form, where built with
`phrases`); the letters of the trade, never a list of companies. Below them, the
tests of one line's shape that they make up: where an address starts and ends,
a locality, an addressee; and on which printed row of the page a line stands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import takewhile

from extractors.fields.text import NUMBER_SIGN, fold, phrases

__all__ = [
    "printed_rows",
    "ATTENTION",
    "BRACKETED_NUMBER",
    "COURTESY",
    "COURTESY_TITLE",
    "DASH",
    "DATE_OR_TIME",
    "DOCUMENT_KIND",
    "DOMAIN",
    "FIELD_LABEL",
    "LEGAL_FORM",
    "LEGAL_MENTION",
    "NOT_ADDRESS",
    "OWN_LABEL",
    "PHONE_ONLY",
    "POSTCODE",
    "PRICE",
    "RECIPIENT_CUE",
    "REGISTRATION",
    "REGISTRATION_TAIL",
    "SECTION",
    "SELLER_CUE",
    "SERVICE_HOURS",
    "STREET",
    "TITLE",
    "TRADE_WORDS",
    "address_part",
    "canonical_forms",
    "ends_address",
    "in_address",
    "is_addressee",
    "is_place_line",
    "is_title",
    "listed",
    "starts_address",
]


def listed(words: str) -> list[str]:
    """Cue phrases written "a|b|c", to keep long vocabularies compact."""
    return words.split("|")


# Legal forms, as printed (case-insensitive unless noted), with the OCR confusions of
# receipts ("SON BHD", "SDN BND", "5/B"): the letters, not the companies, are listed.
LEGAL_FORM = re.compile(
    r"(?<![\w&])(?:"
    r"s[dou0]n\.?\s*b[hnra]d\.?|(?-i:B[HR]D)\.?|[s5]/[b5]"
    r"|gmbh(?:\s*&\s*co\.?\s*kg)?|(?-i:AG|KG|SE|UG)|e\.?\s?k\."
    r"|pty\.?\s*(?:ltd|limited)\.?|ltd\.?|limited|inc\.?|incorporated|l\.?l\.?c\.?|llp|plc|corp\.?|corporation"
    r"|b\.\s?v\.?|(?-i:BV|NV)|n\.\s?v\.?"
    r"|s\.?a\.?r\.?l\.?|sasu?|eurl|(?-i:SA|SNC|SCI)|s\.a\.|s\.p\.a\.?|s\.r\.l\.?|spółka\s+akcyjna"
    r"|pvt\.?\s*ltd\.?|private\s+limited|(?-i:CO)\.?"
    r")(?![\w&])",
    re.IGNORECASE,
)
# Registration numbers printed under or beside an issuer's name.
REGISTRATION = re.compile(
    r"^\W*\(?\s*(?:co\w*\.?[\s\-]*(?:re[cg]\w*|no)|reg(?:istration)?\.?\s*no|roc|siret|siren|rcs|hrb|hra"
    r"|kvk|abn|acn|cin|gst|vat|tva|ust|btw|uid|nip|tax\s*id|company\s+number|registered|si[eè]ge\s+social)\b"
    r"|^\W*\(?\s*[0-9][0-9 ]{4,}[\-\s]*[a-z]\s*\)?\W*$",  # "(742016-W)", "002043319-W"
    re.IGNORECASE,
)
BRACKETED_NUMBER = re.compile(r"\W*\(\s*[0-9][0-9 ]{4,}[\-\s]*[a-z]\s*\)\W*$", re.IGNORECASE)
REGISTRATION_TAIL = re.compile(
    r"\s*[\(\[]?\s*(?:co\.?\s*(?:reg\.?)?\s*(?:no)?\.?\s*:?\s*)?[0-9][0-9 ]{4,}"
    r"[\-\s:]*[a-z]?\s*[\)\]}]?\s*$",
    re.IGNORECASE,
)
STREET = re.compile(
    phrases(
        listed(
            "street|st.|road|rd.|avenue|ave|lane|drive|boulevard|suite|floor|level|unit|lot|block|"
            "building|jalan|jln|taman|tmn|lorong|persiaran|rue|bd|chemin|place|allee|impasse|route|cedex|"
            "bp|strasse|str.|platz|weg|gasse|ring|postfach|straat|laan|plein|ul.|aleja|avenida|calle|"
            "paseo|plaza|via|viale|piazza|rua|estate|wharf|quay"
        )
    )
    + r"|(?<![a-z])no\.?\s*\d"  # "No.53", "NO 37": a house number, not "Company no"
)
POSTCODE = re.compile(r"(?<![\d\-/])(?:[A-Z]{1,2}-)?\d{4,6}(?![\d\-/])")
# Lines that end an address: how to reach the issuer, tax lines, the document's own title.
NOT_ADDRESS = re.compile(
    phrases(
        listed(
            "tel|tel.|telephone|phone|fax|hp|mobile|t :|f :|t:|f:|e-mail|email|mail|www|http|gst|vat|tva|ust|"
            "tax|reg|registration|company no|co. no|siret|rcs|hrb|invoice|receipt|facture|rechnung|bill|"
            "cashier|date|time|table|order|doc|member|counter|terminal|kvk|btw|iban|bic|bank|recibo|"
            "factura|fattura|ricevuta"
        )
    )
)
# Lines no address holds: a bare phone number ("+603-9130 2672"), a date or a time
# ("05 Mar 2018 18:24"), a priced item ("3 X 2.90 8.70"), a "Label:" of its own ("Pay By: CASH").
# ("Jel: 09-2163 2786", as OCR reads "Tel:")
PHONE_ONLY = re.compile(r"^\W*(?:[A-Za-z]{1,6}\.?\s*[:.]\s*)?\+?\d[\d\s\-().+/]{6,}\W*$")
DATE_OR_TIME = re.compile(
    r"(?<!\d)(?:\d{1,2}:\d{2}(?!\d)|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d)|\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4})",
    re.IGNORECASE,
)
PRICE = re.compile(r"(?<![\d.])\d+\.\d{2}(?![\d%])")
SECTION = re.compile(r"^\s*\d{1,2}[.)]\s+\D")
OWN_LABEL = re.compile(r"[A-Za-z]{2,}\s*:(?!\s*\d)")
RECIPIENT_CUE = re.compile(
    phrases(
        listed(
            "bill to|billed to|billing address|invoice to|invoiced to|ship to|shipping address|sold to|"
            "deliver to|delivery address|customer|client|buyer|attn|recipient|rechnung an|"
            "rechnungsadresse|lieferadresse|kunde|empfanger|facture a|facturer a|adresse de facturation|"
            "adresse de livraison|destinataire|nabywca|factuuradres|afleveradres|billing contact|"
            "technical contact|to"
        )
    )
)
# "For the attention of" under a customer's company name: the line above is the recipient's too.
ATTENTION = re.compile(
    r"^\W*"
    + phrases(
        listed("attn|attention of|for the attention of|a l'attention de|a l'att|t.a.v.|z. hd.|zu handen|c/o")
    )
)
SELLER_CUE = re.compile(
    phrases(
        listed(
            "seller|sold by|vendor|supplier|issued by|provided by|service provider|from|payable to|"
            "in favour of|in favor of|remit to|verkaufer|lieferant|vendeur|fournisseur|emetteur|emis par|"
            "sprzedawca|leverancier|owned by|own by|operated by|dimiliki oleh|exploite par|exploitee par"
        )
    )
)
# Titles and boilerplate printed where a letterhead would be.
TITLE = re.compile(
    phrases(
        listed(
            "invoice|tax invoice|receipt|official receipt|cash bill|cash sale|bill|facture|rechnung|"
            "factuur|faktura|quittance|devis|quote|quotation|page|original|copy|duplicate|summary|welcome|"
            "thank you|statement|credit note|avoir|order|payment|paid|total|date|simplified|"
            "electronic document|kopie|copie|factura|"
            # the headings of an invoice's columns ("Description Qty Price Amount")
            "description|designation|libelle|article|artikel|item|product|produit|omschrijving|"
            "beschreibung|bezeichnung|descripcion|concepto|quantity|qty|quantite|qte|menge|aantal|"
            "hoeveelheid|cantidad|unit price|unit|price|prix unitaire|prix|preis|einzelpreis|prijs|precio|"
            "amount|montant|betrag|bedrag|importe|tax|taxes|vat|tva|mwst|btw|iva|rate|discount|remise|"
            "rabatt|korting|descuento|subtotal|sous-total|zwischensumme|gesamt|totaal|ht|ttc|customer|"
            "client|cliente|klant|kunde|datum|fecha|due date|vervaldatum|echeance|reference|pos|"
            # and a till's abbreviations of them ("QTY UOM U.PRICE AMT AMT INC.")
            "amt|amt inc|amt incl|amt exc|amt excl|uom|u.price|u/price|u.p|p.u|disc"
        )
    )
)
# A line opening with the kind of document is its title ("Constat amiable d'accident",
# "Déclaration de sinistre", "Récépissé de plainte"), whatever words follow; in English a
# few words may stand before it ("MEDICAL CERTIFICATE", "Crime report").
DOCUMENT_KIND = re.compile(
    r"^\W*(?:constat|declaration|recepisse|attestation|formulaire|avis|bulletin|releve|certificat"
    r"|proces[- ]verbal|rapport|compte[- ]rendu|claim form|report|certificate|notice|form)\b"
    r"|^\W*(?:[a-z]+\s+){1,3}(?:certificate|report|form|notice)\W*$"
)
# The company's entry in a trade register, printed in the issuer's footer under its name
# ("Siège social : ...", "SARL au capital de 10 000 €", "Registered office", "HRB 1234"); not
# tax numbers (SIREN, VAT, CIF), which invoices also print for the customer.
LEGAL_MENTION = re.compile(
    r"^\W*(?:"
    + phrases(
        listed(
            "siege social|rcs|registered office|registered in|company number|company no|"
            "company registration|hrb|hra|registergericht|amtsgericht|handelsregister|kvk|"
            "registro mercantil"
        )
    )
    + r"|.{0,30}(?<![a-z])(?:au capital de|share capital|stammkapital|capital social)(?![a-z]))"
)
# The issuer's own web site and e-mail domain spell its name ("www.acme-tools.com").
DOMAIN = re.compile(r"(?:www\.|https?://(?:www\.)?|@)([a-z0-9\-]+)\.[a-z]{2,}")
# A person named with a courtesy title ("Mr Daniel Okafor", "Mme Leroy"): on a letter, the
# addressee in its window, whose address lines follow.
COURTESY_TITLE = re.compile(
    r"^\W*(?:"
    + phrases(listed("mr|mrs|ms|miss|mx|mme|mlle|madame|monsieur|mademoiselle|herr|frau"))
    + r"|m(?=\.))"
    r"\.?\s*[^\W\d_]"
)
# A line that opens with a label of its own and its value ("Adresse du risque : 14 chemin...",
# "Demeurant : 9 rue Colbert", "ADDRESS : 2920/1, JALAN"): a form's field, filled for the
# customer, never the issuer's own letterhead.
FIELD_LABEL = re.compile(r"^\W*[^\W\d_][^\W\d_'.\-]*(?:\s+[^\W\d_'.\-]+){0,3}\s*:(?!\d)")
# When a business can be reached ("24 hour breakdown", "Dépannage 7j/7 - 24h/24", "open 7 days"):
# a tagline under a letterhead, neither a name nor an address.
SERVICE_HOURS = re.compile(
    r"(?<![\w/])(?:24\s*/\s*7|7\s*j\s*/\s*7|24\s*h\s*/\s*24|24\s*-?\s*h(?:ours?|rs?)?(?![a-z])"
    r"|7\s*days?\s*a\s*week|(?:open|ouvert)\s+(?:daily|7\s*days|tous\s*les\s*jours))"
)

# What a shop prints to its customers, anywhere in a line ("TQ FOR SHOPPING WITH MYNEWS.COM",
# "GOODS SOLD ARE NOT RETURNABLE, THANK YOU"): a courtesy or a policy, not a name.
COURTESY = re.compile(
    phrases(
        listed(
            "thank you|thanks|thankyou|tq for|terima kasih|merci de|merci pour|danke|vielen dank|"
            "please come again|see you again|goods sold|not returnable|not refundable|non refundable|"
            "no refund|no exchange"
        )
    )
)
# Words that say what a business does and close its name ("... VEGETARIAN RESTAURANT SDN BHD",
# "... HARDWARE TRADING"), folded: alone before a legal form they are the end of a longer name.
TRADE_WORDS = frozenset(
    """
    restaurant restaurants restoran trading traders trade hardware stationery stationers enterprise
    enterprises marketing food foods services holdings holding resources bakery bakeries pharmacy
    supermarket supermarkets market minimarket motor motors electrical engineering industries industry
    distributors distributor distribution retail supplies supply shop store stores hotel hotels cafe
    bistro transport logistics construction properties property development developments management
    consultancy consulting solutions technologies technology systems agency agencies group bookstore
    books printing printers furniture textiles garments optical clinic medical healthcare electronics
    automobile automotive garage boulangerie brasserie traiteur pizzeria epicerie
    """.split()
)

# The shapes of a line, in the vocabulary above.

DASH = re.compile(r"\s+[-–—]\s+")  # between the parts of a line ("21 route de Vienne - 69200 Vénissieux")
_PARTICLES = frozenset("de du des la le les d l of the and on upon y del di da von van der sur en".split())


def canonical_forms(name: str) -> str:
    """OCR readings of Malaysian legal forms spelt as printed: "SON BHD" -> "SDN BHD"; and
    a space that OCR read as an underscore ("AIK HUAT_HARDWARE")."""
    name = re.sub(r"(?<=[^\W_])_(?=[^\W_])", " ", name)
    name = re.sub(r"(?i)\bs[ou0]n(\.?\s*b)", lambda m: "SDN" + m.group(1), name)
    name = re.sub(r"(?i)((?:\bsdn\.?|\(m\))\s*)b(?:[nra]d|h[o0])\b", lambda m: m.group(1) + "BHD", name)
    return re.sub(r"(?<![\w/])5/[B5]\b", "S/B", name)


def is_addressee(text: str) -> bool:
    """A person named with a courtesy title ("Mr Daniel Okafor", "Mme Amandine Leroy"), as a
    letter prints its addressee above their address."""
    return (
        COURTESY_TITLE.match(fold(text)) is not None
        and not LEGAL_FORM.search(text)
        and not re.search(r"\d", text)
        and len(text.split()) <= 5
    )


_NUMBER_LABEL = re.compile(rf"(?<![a-z]){NUMBER_SIGN}")


def is_title(name: str) -> bool:
    """A document title or boilerplate ("TAX INVOICE", "-Receipt-") or the label of a
    number ("N° de contrat"), not a name."""
    folded = fold(name)
    rest = TITLE.sub(" ", folded)
    return (
        sum(char.isalpha() for char in rest) < 3
        or _NUMBER_LABEL.search(folded) is not None
        or DOCUMENT_KIND.match(folded) is not None
    )


def starts_address(text: str) -> bool:
    """A first line of a postal address: a house number, a street word or a postcode, and
    none of a phone, tax or date line's marks."""
    folded = fold(text)
    street = STREET.search(folded)
    if (NOT_ADDRESS.search(folded) or REGISTRATION.search(text)) and not street:
        return False
    if NOT_ADDRESS.match(folded) and street.group().startswith("no"):
        return False  # "RECEIPT No. 5": the document's number, not a house number
    if _not_an_address_line(text) or sum(char.isalpha() for char in text) < 3:
        return False
    if FIELD_LABEL.match(folded) or SERVICE_HOURS.search(folded):
        return False  # "Demeurant : 9 rue Colbert": the customer's, filled in a form
    if SECTION.match(text) and not street and not POSTCODE.search(text):
        return False  # "1. L'assuré": a numbered heading
    return len(re.sub(r"\W", "", text)) >= 4 and bool(
        re.match(r"^\W*\d", text) or street or POSTCODE.search(text)
    )


def in_address(text: str) -> bool:
    """A line of an address with words in it (not a bare number, as receipts print above a name)."""
    return starts_address(text) and (sum(char.isalpha() for char in text) >= 3 or "," in text)


def ends_address(text: str) -> bool:
    """A line or a part of one that closes the issuer's address: its phone, tax or register
    numbers, a date or a price, a label of its own, the document's title, a tagline."""
    folded = fold(text)
    street = STREET.search(folded)
    if REGISTRATION.search(text) or _not_an_address_line(text) or SERVICE_HOURS.search(folded):
        return True
    if DOCUMENT_KIND.match(folded) or FIELD_LABEL.match(folded):
        return True
    return bool((NOT_ADDRESS.search(folded) or OWN_LABEL.search(text)) and not street)


def _not_an_address_line(text: str) -> bool:
    return bool(PHONE_ONLY.match(text) or DATE_OR_TIME.search(text) or PRICE.search(text))


def is_place_line(text: str) -> bool:
    """A locality without a number or street word, as a letterhead prints it under the name
    ("Canton, Cardiff", "Marsh Barton Trading Estate, Exeter"): two to four parts a comma
    separates, each of one to four capitalised words."""
    parts = [part.strip(" .") for part in text.split(",")]
    if not 2 <= len(parts) <= 4 or not all(1 <= len(part.split()) <= 4 for part in parts):
        return False
    words = [word for part in parts for word in part.split()]
    return all(
        re.fullmatch(r"[^\W\d_][^\W\d_'’\-]*", word)
        and (word[0].isupper() or re.split(r"['’]", word.lower())[0] in _PARTICLES)
        for word in words
    )


def address_part(text: str) -> tuple[str, bool]:
    """The address on a line: its parts that a dash separates joined by ", " ("21 route de
    Vienne - 69200 Vénissieux"), up to one that closes the address ("3 rue du Molinel, 59000
    Lille - Tél. 03 20 55 41 78"); and whether such a part cut the line short."""
    parts = [part.strip(" ,|") for part in DASH.split(text.strip(" ,|"))]
    kept = parts[:1] + list(takewhile(lambda part: not ends_address(part), parts[1:]))
    return ", ".join(kept), len(kept) < len(parts)


def printed_rows(names: Sequence[str], layout: str) -> tuple[list[int], int]:
    """Per line of a page's text, given by the (folded) name part it holds, the row of the
    page it is printed on (its place in the text without a layout), and how many rows
    the page has."""
    if not layout.strip():
        return list(range(len(names))), len(names)
    laid_out = [fold(row) for row in layout.splitlines() if row.strip()]
    rows = [f" {' '.join(row.split())} " for row in laid_out]
    cells = [{" ".join(cell.split()) for cell in re.split(r"\s{3,}", row.strip())} for row in laid_out]
    printed = []
    for index, name in enumerate(names):
        name = " ".join(name.split())
        # A row where the name stands as a cell of its own, else one holding it; of
        # several, the nearest to the line's place in the text ("Sinistre", a heading,
        # is not the "sinistre" of the title row).
        found = [number for number, row in enumerate(cells) if name in row] or [
            number for number, row in enumerate(rows) if name and f" {name} " in row
        ]
        row = min(found, key=lambda number: abs(number - index), default=None)
        printed.append(index if row is None else row)
    return printed, len(rows)
