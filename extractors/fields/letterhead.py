"""The words and shapes of a letterhead: legal forms, registration numbers, address
lines, recipient and seller labels, titles. `extractors.fields.issuer` weighs them.

Case-insensitive regexes over a line's text (or its folded form, where built with
`phrases`); the letters of the trade, never a list of companies.
"""

from __future__ import annotations

import re

from extractors.fields.text import phrases

__all__ = [
    "ATTENTION",
    "BRACKETED_NUMBER",
    "DATE_OR_TIME",
    "DOCUMENT_KIND",
    "DOMAIN",
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
    "STREET",
    "TITLE",
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
            "bp|strasse|str.|platz|weg|gasse|ring|postfach|straat|laan|plein|ul.|aleja"
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
            "cashier|date|time|table|order|doc|member|counter|terminal|kvk|btw|iban|bic|bank"
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
            "sprzedawca|leverancier"
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
            "client|cliente|klant|kunde|datum|fecha|due date|vervaldatum|echeance|reference|pos"
        )
    )
)
# A line opening with the kind of document is its title ("Constat amiable d'accident",
# "Déclaration de sinistre", "Récépissé de plainte"), whatever words follow.
DOCUMENT_KIND = re.compile(
    r"^\W*(?:constat|declaration|recepisse|attestation|formulaire|avis|bulletin|releve|certificat"
    r"|proces[- ]verbal|rapport|compte[- ]rendu|claim form|report|certificate|notice|form)\b"
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
