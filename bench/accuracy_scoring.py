"""How bench/accuracy.py compares a value found with the corpus label.

Every field is scored 1 (right) or 0 after normalisation, except `address`,
scored by token F1 (SROIE's measure: the share of the label's words found,
balanced against the share of our words that are in the label).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

__all__ = ["SCORERS", "address_f1", "company_tokens", "percent", "same_amount"]

_WORD = re.compile(r"[^\W_]+")
# Legal forms are left out of the comparison: a label may say "Free" where the
# letterhead prints "Free SAS", or "Userpilot, Inc" for "Userpilot Inc.".
_LEGAL_FORMS = frozenset(
    {
        "SDN",
        "BHD",
        "GMBH",
        "LTD",
        "LIMITED",
        "INC",
        "LLC",
        "CO",
        "KG",
        "AG",
        "BV",
        "SA",
        "SAS",
        "SARL",
        "PTY",
        "PLC",
        "CORP",
        "CORPORATION",
        "NV",
        "SPA",
        "SRL",
        "EURL",
        "SE",
        "UG",
        "OHG",
        "PVT",
        "PRIVATE",
        "SPÓŁKA",
        "AKCYJNA",
    }
)


def _words(text: str) -> list[str]:
    # "B.V." and "SDN. BHD." are the same words as "BV" and "SDN BHD".
    return _WORD.findall(re.sub(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\b)", "", text).upper())


def company_tokens(text: str) -> list[str]:
    return [word for word in _words(text.replace("&", " AND ")) if word not in _LEGAL_FORMS]


def same_company(truth: str, got: str | None) -> float:
    return float(got is not None and company_tokens(truth) == company_tokens(got))


def address_f1(truth: str, got: str | None) -> float:
    if not got:
        return 0.0
    want, have = Counter(_words(truth)), Counter(_words(got))
    common = sum((want & have).values())
    if not common:
        return 0.0
    precision, recall = common / sum(have.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _decimal(text: str) -> Decimal | None:
    digits = re.sub(r"[^0-9.,\-]", "", text)
    if re.search(r",\d{1,2}$", digits):  # "1.234,56"
        digits = digits.replace(".", "").replace(",", ".")
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def same_amount(truth: str, got: str | None) -> float:
    return float(got is not None and _decimal(truth) is not None and _decimal(truth) == _decimal(got))


def _compact(text: str) -> str:
    return "".join(_WORD.findall(text.upper()))


def same_compact(truth: str, got: str | None) -> float:
    return float(got is not None and _compact(truth) == _compact(got))


def same_text(truth: str, got: str | None) -> float:
    return float(got is not None and truth.strip().upper() == got.strip().upper())


SCORERS = {
    "invoice_date": same_text,  # both ISO
    "total_amount": same_amount,
    "currency": same_text,
    "invoice_number": same_compact,
    "iban": same_compact,
    "company": same_company,
    "address": address_f1,
}


def percent(right: float, total: int) -> str:
    return f"{100 * right / total:.1f} %" if total else "-"
