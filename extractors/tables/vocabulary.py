"""The words of claim tables (loss runs), French and English, and the normal form of their values.

Column headers and in-cell labels are mapped to canonical keys (`COLUMNS`);
every value is normalised by the kind of its key (`KINDS`): identifiers as
printed without a leading number sign, dates in ISO form, amounts as dot
decimals with a minus for the accountants' "(1,234.00)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from extractors.fields.amounts import find_money
from extractors.fields.text import CueMatcher, fold
from extractors.fields.written_dates import find_dates

__all__ = [
    "AMOUNT_KEYS",
    "COLUMNS",
    "DETAILS",
    "ID_KEYS",
    "KINDS",
    "TOTAL_LABELS",
    "column_cues",
    "day_first_of",
    "is_identifier_value",
    "normalise_amount",
    "normalise_value",
]

DETAILS = "details"  # a column of "Label: value" lines rather than one value

# Canonical key -> header or label phrases, folded (see extractors.fields.text.phrases).
COLUMNS: dict[str, tuple[str, ...]] = {
    "claim_number": (
        "incident #",
        "incident no",
        "incident number",
        "claim #",
        "claim no",
        "claim number",
        "claim",
        "claim ref",
        "n° sinistre",
        "no sinistre",
        "numero de sinistre",
        "numero sinistre",
        "n° de sinistre",
        "sinistre",
        "n° dossier",
        "dossier",
    ),
    "reference_number": ("reference #", "ref #", "reference", "ref", "carrier ref", "notre reference"),
    "policy_number": (
        "policy #",
        "policy no",
        "policy number",
        "policy",
        "n° de contrat",
        "n° contrat",
        "contrat",
        "numero de contrat",
        "police",
        "n° de police",
        "n° police",
    ),
    "incident_date": (
        "loss date",
        "date of loss",
        "incident date",
        "accident date",
        "date of accident",
        "date de survenance",
        "date survenance",
        "survenance",
        "date du sinistre",
        "date sinistre",
        "date de l'accident",
        "date d'effet du sinistre",
        "date de l'evenement",
    ),
    "reported_date": (
        "date reported",
        "reported date",
        "report date",
        "reported",
        "date de declaration",
        "declare le",
        "date declaration",
    ),
    "status": ("status", "claim status", "statut", "etat", "situation"),
    "coverage": ("coverage", "line of business", "garantie", "couverture", "branche"),
    "insured": ("insured", "company", "assure", "societe", "souscripteur"),
    "reserve_amount": ("reserve", "reserves", "outstanding", "provision", "reserve restante"),
    "paid_amount": ("paid", "amount paid", "paye", "regle", "montant regle", "montant paye", "reglements"),
    "recovered_amount": ("recovered", "recovery", "recoveries", "recours", "recupere", "subrogation"),
    "total_incurred": (
        "total incurred",
        "incurred",
        "charge totale",
        "cout total",
        "charge du sinistre",
        "charge sinistre",
    ),
    DETAILS: ("incident details", "claim details", "details", "detail", "detail du sinistre"),
}
ID_KEYS = frozenset({"claim_number", "reference_number", "policy_number"})
DATE_KEYS = frozenset({"incident_date", "reported_date"})
AMOUNT_KEYS = ("reserve_amount", "paid_amount", "recovered_amount", "total_incurred")
KINDS: dict[str, str] = {
    **{key: "id" for key in ID_KEYS},
    **{key: "date" for key in DATE_KEYS},
    **{key: "amount" for key in AMOUNT_KEYS},
}
# The row of a claim's amount breakdown that sums it up ("Incident Total", "Total sinistre").
TOTAL_LABELS = ("incident total", "claim total", "total sinistre", "total du sinistre", "total")

_CUES = CueMatcher(COLUMNS)
_ID = re.compile(r"#?\s*([A-Za-z0-9][A-Za-z0-9\-/._]*\d[A-Za-z0-9\-/._]*|\d[A-Za-z0-9\-/._]*)")


def column_cues() -> CueMatcher:
    """Matches header and label phrases in folded text; `Cue.kind` is the canonical key."""
    return _CUES


def is_identifier_value(text: str) -> bool:
    """Whether a cell holds a reference number (a run holding a digit), not words."""
    return _ID.fullmatch(text.strip()) is not None


def normalise_amount(raw: str) -> str | None:
    """ "$26,339.60" -> "26339.60"; "($7,224.90)" and "-7 224,90 €" -> "-7224.90"."""
    money = next(iter(find_money(raw)), None)
    if money is None:
        return None
    before = raw[: money.start]
    negative = "(" in before or "-" in before.replace(" ", "")[-2:]
    amount = -money.amount if negative and money.amount else money.amount
    return str(amount.quantize(Decimal("0.01")))


def day_first_of(texts: Iterable[str], default: bool) -> bool:
    """How a table writes its dates, read from the dates themselves: a "03/17/2023"
    anywhere makes it month first, a "17/03/2023" day first; else `default`."""
    for text in texts:
        for match in re.finditer(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}(?!\d)", text):
            first, second = int(match.group(1)), int(match.group(2))
            if second > 12 >= first:
                return False
            if first > 12 >= second:
                return True
    return default


def normalise_value(key: str, raw: str, day_first: bool) -> str | None:
    """The normal form of a cell's text for a canonical key, or None when it holds none."""
    text = " ".join(raw.split())
    kind = KINDS.get(key, "text")
    if kind == "id":
        match = _ID.match(text)
        return match.group(1).upper() if match else None
    if kind == "date":
        found = next(find_dates(fold(text), day_first), None)
        return found.value.isoformat() if found else None
    if kind == "amount":
        return normalise_amount(text)
    return text or None
