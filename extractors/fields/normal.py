"""The normal form of a value an agent typed: the same forms extraction gives.

An agent who corrects `incident_date` to "14/03/2025" stores "2025-03-14"; an
IBAN with a wrong check digit is refused with a reason instead of being kept.
Each field has its normaliser in `_NORMALISERS`; a user-defined field follows
its declared type; any other field keeps the text with its spaces tidied.
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.fields.amounts import currency_code, parse_amount
from extractors.fields.banking import normalise_bic, normalise_iban
from extractors.fields.contacts import normalise_email, normalise_phone
from extractors.fields.custom import normalise_custom
from extractors.fields.names import normalise_person_name
from extractors.fields.plates import normalise_vehicle_plate
from extractors.fields.postcodes import normalise_postcode
from extractors.fields.registrations import normalise_siret, normalise_vat
from extractors.fields.written_dates import normalise_date
from rpa.config import ParsingSettings

__all__ = ["normal_form"]


def _date(text: str, settings: ParsingSettings) -> str | None:
    found = normalise_date(text, settings.day_first)
    return found.isoformat() if found is not None else None


def _amount(text: str, settings: ParsingSettings) -> str | None:
    parsed = parse_amount(text)
    return f"{parsed[0]:.2f}" if parsed is not None else None


def _currency(text: str, settings: ParsingSettings) -> str | None:
    code = text.strip().upper()
    if len(code) == 3 and code.isalpha():
        return code
    return currency_code(text.strip())


def _reference(text: str, settings: ParsingSettings) -> str | None:
    return " ".join(text.split()).upper() or None


def _text(text: str, settings: ParsingSettings) -> str | None:
    return " ".join(text.split()) or None


_NORMALISERS: dict[str, tuple[Callable[[str, ParsingSettings], str | None], str]] = {
    "policy_number": (_reference, "a reference"),
    "claim_number": (_reference, "a reference"),
    "invoice_number": (_reference, "a reference"),
    "incident_date": (_date, "a date, e.g. 14/03/2025 or 14 mars 2025"),
    "invoice_date": (_date, "a date, e.g. 14/03/2025 or 14 mars 2025"),
    "total_amount": (_amount, "an amount, e.g. 1 842,50"),
    "currency": (_currency, "a currency code such as EUR"),
    "iban": (lambda text, _: normalise_iban(text), "a valid IBAN"),
    "bic": (lambda text, _: normalise_bic(text), "a valid BIC"),
    "email": (lambda text, _: normalise_email(text), "an e-mail address"),
    "phone": (lambda text, s: normalise_phone(text, s.default_region), "a phone number"),
    "vehicle_plate": (lambda text, _: normalise_vehicle_plate(text), "a number plate, e.g. AB-123-CD"),
    "siret": (lambda text, _: normalise_siret(text), "a SIRET of 14 digits with a valid key"),
    "vat_number": (lambda text, _: normalise_vat(text), "a valid VAT number"),
    "postcode": (lambda text, _: normalise_postcode(text), "a postcode"),
    "customer_name": (lambda text, _: normalise_person_name(text) or _text(text, _), "a name"),
    "company": (_text, "a name"),
    "address": (_text, "an address"),
}


def normal_form(name: str, text: str, settings: ParsingSettings) -> str:
    """`text` in the normal form of field `name`; `ValueError` says what was expected."""
    if not text.strip():
        raise ValueError(f"{name}: a value is needed")
    custom = {spec.name: spec for spec in settings.custom_fields}
    if name in custom:
        value = normalise_custom(custom[name].type, text, settings)
        expected = f"a value of type {custom[name].type}"
    else:
        normaliser, expected = _NORMALISERS.get(name, (_text, "a value"))
        value = normaliser(text, settings)
    if not value:
        raise ValueError(f"{name}: {text.strip()!r} is not {expected}")
    return value
