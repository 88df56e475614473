"""Field extraction: the facts of a mail, one best value per canonical field.

    extract_fields(sources, settings, exclude_emails=...)  -> {name: Field}
    find_candidates(source, settings)                      -> every candidate in one text

Each kind of field has a finder (`FieldFinder`: `names` and `find(source,
settings)`), listed in `FINDERS`; a finder yields every candidate it sees with
its confidence, and `select.choose_best` keeps one per field. To add a field,
add a finder to the list; fields declared in `[[parsing.custom_fields]]` get a
`CustomFieldFinder` each, next to `FINDERS`, with no code change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date, datetime

from extractors.fields.amounts import AT_STAKE, AmountFinder, currency_code, parse_amount
from extractors.fields.banking import BankDetailsFinder, normalise_bic, normalise_iban
from extractors.fields.base import FieldFinder, is_attachment, reads_text, source_kind
from extractors.fields.contacts import EmailFinder, PhoneFinder, normalise_email, normalise_phone
from extractors.fields.custom import CustomFieldFinder, custom_finders
from extractors.fields.dates import DateFinder
from extractors.fields.issuer import IssuerFinder
from extractors.fields.name_forms import (
    adds_married_name,
    fuller_forms,
    holder_by_given_name,
    in_written_order,
    shortens,
)
from extractors.fields.names import (
    LOWER_CASE_SIGN_OFF,
    REPRESENTED,
    SIGNED_IN_BODY,
    CustomerNameFinder,
    abbreviates,
    normalise_person_name,
)
from extractors.fields.plates import PlateFinder, normalise_plate
from extractors.fields.postcodes import PostcodeFinder, normalise_postcode
from extractors.fields.references import REFERENCE_KINDS, ReferenceFinder, ReferenceKind, one_kind_per_value
from extractors.fields.registrations import RegistrationFinder, normalise_siret, normalise_vat
from extractors.fields.residence import with_customer_country
from extractors.fields.select import choose_best, source_rank
from extractors.fields.text import fold
from extractors.fields.told_dates import first_told_incident, mentions_a_claim, yearless_date_fields
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
    PlateFinder(),
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
    received: date | datetime | None = None,
) -> dict[str, Field]:
    """One best `Field` per field name found in `sources`.

    `exclude_emails` are addresses that are no news (ours, the sender's): they
    are never reported as the customer's `email`. `received` is the day the mail
    came, which gives its year to a date written without one ("le 3 mars"), and
    its time, when given, tells whether "ce soir" had come yet.
    """
    sources = with_customer_country(sources, settings, received)  # whose national numbers, "$", postcodes
    excluded = {address.strip().lower() for address in exclude_emails}
    candidates = [
        field
        for source in sources
        for field in find_candidates(source, settings)
        if not (field.name == "email" and field.value in excluded)
    ]
    if received is not None:
        about_a_claim = mentions_a_claim(sources)
        for source in sources:
            candidates += yearless_date_fields(source, received, settings, about_a_claim=about_a_claim)
    named = _displayed_lower_case(one_kind_per_value(candidates), sources)
    best = choose_best(first_told_incident(_without_mere_mentions(_signed_names_first(named))))
    # a form's holder and no other name ("Assuré  Frédéric Lemaire" signed "Fred"): the writer's
    holder_field = best.get("policyholder")
    if "customer_name" not in best and holder_field is not None and holder_field.confidence < REPRESENTED:
        best["customer_name"] = dataclasses.replace(holder_field, name="customer_name")
    if "customer_name" in best:
        for _ in range(2):  # "S. Oukili" -> "Sandrine Oukili" -> "Sandrine Oukili née Perrin"
            best["customer_name"] = _fuller_name(best["customer_name"], named, sources)
        texts = [source.text for source in sources if reads_text(source.source)]
        turned = in_written_order(best["customer_name"].value, texts)
        if turned is not None and not reads_text(best["customer_name"].source):  # From "Vasseur Roger"
            best["customer_name"] = dataclasses.replace(best["customer_name"], value=turned)
        holder = normalise_person_name(holder_by_given_name(source.text for source in sources) or "")
        # "the policy is in Nia's name" under "Gareth & Nia Pritchard": whose the policy is
        if holder is not None and "policyholder" not in best:
            writer = best["customer_name"]
            best["policyholder"] = dataclasses.replace(writer, name="policyholder", value=holder)
    return best


def _fuller_name(chosen: Field, candidates: list[Field], sources: Sequence[TextSource]) -> Field:
    """A name signed with an initial ("J. Smith") under a mail from "John Smith": the same
    person, whose longest form is kept ("Hugo Vidal-Ramos" for "Hugo V-R", "Oluwaseun" for a
    signed "Seun"); and of the same
    name written twice, the one with its
    accents ("Gérard" in the text, "Gerard" in the mail header, which often loses them),
    else in the order of the mail header. An initial that no other candidate spells out is
    looked for in every text of the mail, quoted ones too ("Dear Ryan Doherty")."""
    written = fuller_forms(chosen.value, (source.text for source in sources))
    spelled = [name for name in map(normalise_person_name, written) if name is not None]
    candidates = [*candidates, *(dataclasses.replace(chosen, value=name) for name in spelled)]
    fuller = [
        other
        for other in candidates
        if other.name in ("customer_name", "policyholder")  # "Titulaire : Mme Sandrine Oukili née Perrin"
        and (
            fold(other.value) == fold(chosen.value)
            or abbreviates(chosen.value.split(), other.value.split())
            or shortens(chosen.value.split(), other.value.split())  # "Seun" for "Oluwaseun"
            or adds_married_name(chosen.value.split(), other.value.split())  # "... née Perrin"
        )
    ]
    if not fuller:
        return chosen
    accented = max(
        [chosen, *fuller],
        key=lambda other: (
            sum(char.isalpha() for char in other.value),  # "Hugo Vidal-Ramos" over "Hugo V-R"
            sum(not char.isascii() for char in other.value),
            not reads_text(other.source),  # the From header's order: "Wei Zhang" for "ZHANG Wei"
        ),
    )
    return dataclasses.replace(accented, confidence=chosen.confidence)


def _displayed_lower_case(candidates: list[Field], sources: Sequence[TextSource]) -> list[Field]:
    """A sign-off typed in lower case ("ahmed qureshi") is kept only when the sender's
    display name ("Ahmed", "A. Qureshi") holds nothing but words of it."""
    shown = [set(fold(s.text).replace(".", " ").split()) for s in sources if not reads_text(s.source)]
    return [
        field
        for field in candidates
        if field.name != "customer_name"
        or field.confidence != LOWER_CASE_SIGN_OFF
        or any(_bears_out(display, fold(field.value).split()) for display in shown)
    ]


def _bears_out(display: set[str], words: list[str]) -> bool:
    return bool(display) and all(any(word.startswith(part) for word in words) for part in display)


def _signed_names_first(candidates: list[Field]) -> list[Field]:
    """A name guessed from a mail's layout (a sign-off, a sender block) gives way to a name
    signed under a closing, and to another guess that the sender's display name bears out:
    in a forwarded mail, the forwarder's note ends with the forwarder's name."""
    names = [field for field in candidates if field.name == "customer_name"]
    guesses = [f for f in names if source_kind(f.source) == "body" and f.confidence < SIGNED_IN_BODY]
    displayed = {fold(f.value) for f in names if not reads_text(f.source)}
    if any(f.confidence >= SIGNED_IN_BODY and reads_text(f.source) for f in names):
        dropped = guesses
    elif any(fold(f.value) in displayed for f in guesses):
        dropped = [f for f in guesses if fold(f.value) not in displayed]
    else:
        return candidates
    return [field for field in candidates if not any(field is guess for guess in dropped)]


def _without_mere_mentions(candidates: list[Field]) -> list[Field]:
    """A sum a mail merely mentions ("ma franchise de 150 €") gives way to a total that a
    document or another text states as one; its currency goes with it."""
    if not any(field.name == "total_amount" and field.confidence > AT_STAKE for field in candidates):
        return candidates
    mentioned = {
        (field.source, field.raw)
        for field in candidates
        if field.name == "total_amount" and field.confidence <= AT_STAKE and not is_attachment(field.source)
    }
    return [
        field
        for field in candidates
        if not (field.name in ("total_amount", "currency") and (field.source, field.raw) in mentioned)
    ]
