"""Field extraction: the facts of a mail, one best value per canonical field.

    extract_fields(sources, settings, exclude_emails=...)  -> {name: Field}
    find_candidates(source, settings)                      -> every candidate in one text

Each kind of field has a finder (`FieldFinder`: `names` and `find(source,
settings)`), listed in `FINDERS`; a finder yields every candidate it sees with
its confidence, and `select.choose_best` keeps one per field. To add a field,
add a finder to the list; fields declared in `[[parsing.custom_fields]]` get a
`CustomFieldFinder` each, next to `FINDERS`, with no code change.

Modules: `text` (folding, labels), `dates`, `amounts`, `references` (policy,
claim and invoice numbers), `banking` (IBAN, BIC), `registrations` (SIRET, VAT,
number plate), `postcodes`, `contacts` (e-mail, phone), `names` (customer
name), `issuer` (company and address of a document's issuer), `select` (ranking).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence

from extractors.fields.amounts import AmountFinder, currency_code, parse_amount
from extractors.fields.banking import BankDetailsFinder, normalise_bic, normalise_iban
from extractors.fields.base import FieldFinder, is_attachment
from extractors.fields.contacts import EmailFinder, PhoneFinder, normalise_email, normalise_phone
from extractors.fields.custom import CustomFieldFinder, custom_finders
from extractors.fields.dates import DateFinder
from extractors.fields.issuer import IssuerFinder
from extractors.fields.names import CustomerNameFinder, normalise_person_name
from extractors.fields.postcodes import PostcodeFinder, normalise_postcode
from extractors.fields.references import REFERENCE_KINDS, ReferenceFinder, ReferenceKind
from extractors.fields.registrations import (
    RegistrationFinder,
    normalise_plate,
    normalise_siret,
    normalise_vat,
)
from extractors.fields.select import choose_best, source_rank
from extractors.fields.written_dates import normalise_date
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = [
    "ATTACHMENT_PENALTY",
    "FINDERS",
    "CustomFieldFinder",
    "custom_finders",
    "REFERENCE_KINDS",
    "FieldFinder",
    "ReferenceFinder",
    "ReferenceKind",
    "choose_best",
    "currency_code",
    "extract_fields",
    "find_candidates",
    "normalise_bic",
    "normalise_date",
    "normalise_email",
    "normalise_iban",
    "normalise_person_name",
    "normalise_phone",
    "normalise_plate",
    "normalise_postcode",
    "normalise_siret",
    "normalise_vat",
    "parse_amount",
    "source_rank",
]

FINDERS: list[FieldFinder] = [
    ReferenceFinder(),
    DateFinder(),
    AmountFinder(),
    BankDetailsFinder(),
    RegistrationFinder(),
    PostcodeFinder(),
    EmailFinder(),
    PhoneFinder(),
    CustomerNameFinder(),
    IssuerFinder(),
]

# Document text comes from PDF layers and OCR, where characters go astray more
# often than in what a customer typed.
ATTACHMENT_PENALTY = 0.05


def find_candidates(
    source: TextSource, settings: ParsingSettings, finders: Sequence[FieldFinder] | None = None
) -> list[Field]:
    """Every candidate value in one text, in the order they are written."""
    finders = [*FINDERS, *custom_finders(settings)] if finders is None else finders
    found = [field for finder in finders for field in finder.find(source, settings)]
    if is_attachment(source.source):
        found = [
            dataclasses.replace(field, confidence=round(max(0.0, field.confidence - ATTACHMENT_PENALTY), 2))
            for field in found
        ]
    positions = {field.raw: source.text.find(field.raw) for field in found}
    return sorted(found, key=lambda field: positions[field.raw])


def extract_fields(
    sources: Sequence[TextSource],
    settings: ParsingSettings,
    *,
    exclude_emails: Collection[str] = (),
) -> dict[str, Field]:
    """One best `Field` per field name found in `sources`.

    `exclude_emails` are addresses that are no news (ours, the sender's): they
    are never reported as the customer's `email`.
    """
    excluded = {address.strip().lower() for address in exclude_emails}
    candidates = (
        field
        for source in sources
        for field in find_candidates(source, settings)
        if not (field.name == "email" and field.value in excluded)
    )
    return choose_best(candidates)
