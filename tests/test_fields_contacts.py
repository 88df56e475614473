"""Contacts: e-mail addresses, phone numbers and the customer's name."""

from __future__ import annotations

import pytest
from conftest import value_in

from extractors.fields.extract import (
    extract_fields,
    find_candidates,
    normalise_email,
    normalise_person_name,
    normalise_phone,
)
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def found(text: str, name: str, source: str = "body") -> list[str]:
    return [f.value for f in find_candidates(TextSource(source, text), SETTINGS) if f.name == name]


# --- phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("06-12-34-56-78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("(0)1 23 45 67 89", "+33123456789"),
        ("01 23 45 67 89", "+33123456789"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+32 2 555 12 12", "+3225551212"),
    ],
)
def test_normalise_phone_gives_e164(written: str, e164: str) -> None:
    assert normalise_phone(written) == e164


@pytest.mark.parametrize(
    "invalid", ["06 12 34", "00 00 00 00 00", "12345", "06 12 34 56 78 90 12", "bonjour"]
)
def test_normalise_phone_rejects_invalid_numbers(invalid: str) -> None:
    assert normalise_phone(invalid) is None


def test_normalise_phone_reads_national_numbers_in_the_configured_region() -> None:
    assert normalise_phone("020 7946 0958", region="GB") == "+442079460958"


@pytest.mark.parametrize(
    "text",
    [
        "Tél : 06 12 34 56 78",
        "Vous pouvez me joindre au 06.12.34.56.78 après 18h.",
        "Mobile: +33 6 12 34 56 78",
        "portable 0612345678",
        "Call me on +33 (0)6 12 34 56 78 please",
    ],
)
def test_phone_in_text_is_reported_in_e164(text: str) -> None:
    assert found(text, "phone") == ["+33612345678"]


def test_labelled_phone_is_more_confident_than_a_bare_one() -> None:
    [labelled] = find_candidates(TextSource("body", "Tél : 06 12 34 56 78"), SETTINGS)
    [bare] = find_candidates(TextSource("body", "06 12 34 56 78"), SETTINGS)
    assert labelled.confidence > bare.confidence


def test_fax_number_is_not_the_phone() -> None:
    assert found("Fax : 01 23 45 67 89", "phone") == []


@pytest.mark.parametrize(
    "text",
    [
        "SIRET : 732 829 320 00074",
        "IBAN : FR76 3000 6000 0112 3456 7890 189",
        "Contrat AUT-0612345678",
        "N° de contrat 123456789",
        "Montant : 1 842,50 €",
        "Date : 14/03/2025",
        "Dossier SIN-2025-00412",
    ],
)
def test_digits_of_other_identifiers_are_not_phones(text: str) -> None:
    assert found(text, "phone") == []


def test_region_setting_reaches_the_phone_finder() -> None:
    british = ParsingSettings(default_region="GB")
    candidates = find_candidates(TextSource("body", "Tel: 020 7946 0958"), british)
    assert [f.value for f in candidates if f.name == "phone"] == ["+442079460958"]


# --- e-mail addresses ------------------------------------------------------------------------


def test_normalise_email_lower_cases_the_address() -> None:
    assert normalise_email("Écrivez à Jean.Dupont@Example.FR.") == "jean.dupont@example.fr"


@pytest.mark.parametrize(
    "text",
    [
        "Mon adresse : jean.dupont@example.fr",
        "E-mail : Jean.Dupont@Example.fr",
        "écrivez-moi à <jean.dupont@example.fr>.",
        "mailto:jean.dupont@example.fr",
    ],
)
def test_email_written_in_the_text_is_reported_lower_case(text: str) -> None:
    assert found(text, "email") == ["jean.dupont@example.fr"]


@pytest.mark.parametrize(
    "text",
    [
        "De : Service Sinistres <sinistres@assureur.fr>\nObjet : votre dossier",
        "Le 3 mars 2025 à 10:12, sinistres@assureur.fr a écrit :",
        "On Mon, 3 Mar 2025, Claims <claims@insurer.co.uk> wrote:",
        "Ne pas répondre : noreply@assureur.fr",
        "no-reply@example.com",
    ],
)
def test_addresses_of_mail_headers_and_machines_are_not_reported(text: str) -> None:
    assert found(text, "email", source="quoted") == []


def test_excluded_addresses_are_not_the_customers_email() -> None:
    sources = [TextSource("body", "Écrivez à sinistres@assureur.fr ou à jean.dupont@example.fr")]
    fields = extract_fields(sources, SETTINGS, exclude_emails={"Sinistres@Assureur.fr"})
    assert fields["email"].value == "jean.dupont@example.fr"


# --- customer name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("display", "name"),
    [
        ("Jean Dupont", "Jean Dupont"),
        ("Jean DUPONT", "Jean Dupont"),
        ("DUPONT Jean", "Jean Dupont"),
        ("Dupont, Jean", "Jean Dupont"),
        ("M. Jean Dupont", "Jean Dupont"),
        ("Monsieur Jean Dupont", "Jean Dupont"),
        ("Mme Marie-Claire LEBLANC", "Marie-Claire Leblanc"),
        ("Mlle Sophie Martin", "Sophie Martin"),
        ("Dr. John Smith", "John Smith"),
        ("Mrs Jane  Smith", "Jane Smith"),
        ('"Jean Dupont"', "Jean Dupont"),
        ("jean dupont", "Jean Dupont"),
        ("Patrick O'BRIEN", "Patrick O'Brien"),
        ("JEAN-PIERRE DE LA FONTAINE", "Jean-Pierre de La Fontaine"),
        ("John Smith (via Google Drive)", "John Smith"),
    ],
)
def test_normalise_person_name(display: str, name: str) -> None:
    assert normalise_person_name(display) == name


@pytest.mark.parametrize(
    "display",
    [
        "Service client",
        "Garage Martin SARL",
        "noreply",
        "Support",
        "Assurances Dupont SA",
        "Acme Ltd",
        "Müller GmbH",
        "Team 42",
        "jean.dupont@example.fr",
        "Jean",
        "M. Dupont",
        "Service Sinistres",
        "La Mutuelle Imaginaire",
        "Envoyé de mon iPhone",
        "Customer Care",
        "Dupont, Jean, Marie",
        "",
    ],
)
def test_companies_roles_and_single_words_are_not_person_names(display: str) -> None:
    assert normalise_person_name(display) is None


def test_customer_name_comes_from_the_sender_display_name() -> None:
    assert found("DUPONT Jean", "customer_name", source="sender") == ["Jean Dupont"]


@pytest.mark.parametrize(
    "signature",
    [
        "Cordialement,\nJean Dupont\n06 12 34 56 78",
        "Bien à vous,\n\nJean DUPONT",
        "Bien cordialement\nM. Jean Dupont",
        "Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées.\nJean Dupont",
        "Best regards,\nJean Dupont",
        "Kind regards\r\nJean Dupont\r\n",
        "Bien à vous,\r\n\r\nJean DUPONT\r\n",
        "Sincerely,\nJean Dupont",
        "Cordialement, Jean Dupont",
        "Jean Dupont\n12 rue de la Paix\n75011 Paris",
    ],
)
def test_customer_name_comes_from_the_signature(signature: str) -> None:
    assert found(signature, "customer_name", source="signature") == ["Jean Dupont"]


def test_name_under_a_closing_in_the_body_is_the_customer_name() -> None:
    body = "Bonjour,\nVoici ma facture.\nCordialement,\nJean Dupont"
    assert found(body, "customer_name") == ["Jean Dupont"]


@pytest.mark.parametrize(
    "body",
    [
        "Bonjour Jean Dupont,\nvotre dossier avance.",
        "Cordialement,\nLe service client",
        "Merci de rappeler Jean Dupont.\nIl attend votre appel.",
        "Cordialement,\nEnvoyé de mon iPhone",
    ],
)
def test_names_not_under_a_closing_in_the_body_are_not_read(body: str) -> None:
    assert found(body, "customer_name") == []


def test_name_in_quoted_text_is_not_the_customer_name() -> None:
    quoted = "Cordialement,\nMarie Martin\nGestionnaire sinistres"
    assert found(quoted, "customer_name", source="quoted") == []


def test_a_uk_number_without_country_code_is_read_as_british_in_english_text() -> None:
    source = TextSource("body", "You can reach me on 020 7946 0958 any morning.", language="en")
    assert [f.value for f in find_candidates(source, SETTINGS) if f.name == "phone"] == ["+442079460958"]


def test_slash_grouped_reference_digits_are_not_a_phone() -> None:
    assert found("Dossier 2025/0412/7731 en cours", "phone") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Assuré\nNom : LACOMBE   Prénom : Pierre\nAdresse : 8 rue Gambetta", "Pierre Lacombe"),
        ("Nom : LACOMBE Prénom : Pierre", "Pierre Lacombe"),
        ("Nom : Martin\nPrénom : Paul\n", "Paul Martin"),
        ("Client : Mme Aurélie Faure\n19 rue Pasteur", "Aurélie Faure"),
        ("Policyholder: Mr John SMITH\nPolicy: HX-22", "John Smith"),
        ("Nom et prénom : DUPONT Jean-Marc", "Jean-Marc Dupont"),
    ],
)
def test_name_after_a_holder_label_on_a_form_is_the_customer_name(text: str, name: str) -> None:
    assert found(text, "customer_name", "attachment:form.pdf#p1") == [name]


def test_labels_naming_a_company_or_a_garage_give_no_customer_name() -> None:
    assert (
        found(
            "Nom du garage : Garage Martin\nClient : Service Comptabilité",
            "customer_name",
            "attachment:facture.pdf#p1",
        )
        == []
    )


def test_a_signed_name_in_the_mail_beats_a_labelled_name_in_an_attachment() -> None:
    sources = [
        TextSource("body", "Bonjour, voici le constat.\nCordialement,\nMarie Durand"),
        TextSource("attachment:constat.pdf#p1", "Nom : BERNARD   Prénom : Luc"),
    ]
    assert extract_fields(sources, SETTINGS)["customer_name"].value == "Marie Durand"


@pytest.mark.parametrize(
    ("text", "language", "phone"),
    [
        ("Bonjour, contrat n° 0 312 458 977, merci de me rappeler au 02 41 88 67 30.", "fr", "+33241886730"),
        ("Hello, customer number 0117 325 8841. Please call me on 07912 408 336.", "en", "+447912408336"),
    ],
)
def test_a_number_right_after_a_reference_label_is_that_reference_not_a_phone(
    text: str, language: str, phone: str
) -> None:
    source = TextSource("body", text, language=language)
    assert [f.value for f in find_candidates(source, SETTINGS) if f.name == "phone"] == [phone]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Bonjour, mon numéro de téléphone est anglais : +44 7700 900 123", "fr"),
        ("Hello, my mobile number is a UK one: +44 7700 900 123", "en"),
    ],
)
def test_a_labelled_number_with_its_country_code_is_kept_though_its_range_is_unknown(
    text: str, language: str
) -> None:
    fields = extract_fields([TextSource("body", text, language=language)], SETTINGS)
    assert fields["phone"].value == "+447700900123"


def test_an_unlabelled_number_of_an_unknown_range_is_not_a_phone() -> None:
    assert found("Référence +44 7700 900 123", "phone") == []


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        (
            "The letting agent (Casa Nova, tel +34 933 18 40 77) knows about it. "
            "You can reach me on my Spanish mobile, 622 31 48 05.",
            "+34622314805",
        ),
        (
            "Le syndic (Gestió Roca, tél. +34 933 18 40 77) est au courant. "
            "Vous pouvez me joindre sur mon portable espagnol : 622 31 48 05.",
            "+34622314805",
        ),
    ],
)
def test_a_number_the_customer_calls_their_own_in_a_named_countrys_plan_is_theirs(
    text: str, e164: str
) -> None:
    assert extract_fields([TextSource("body", text)], SETTINGS)["phone"].value == e164


# --- whose number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "phone"),
    [
        (
            "Bonjour,\nmon avocat, Maître Leroy, est joignable au 01 42 22 33 44.\nMon portable : 06 12 34 56 78",
            "fr",
            "+33612345678",
        ),
        (
            "Bonjour,\nle numéro du garage est le 04 78 12 34 56.\nCordialement,\nJean\n06 12 34 56 78",
            "fr",
            "+33612345678",
        ),
        (
            "Hello,\nmy solicitor, Ms Grant, is on 020 7946 0123 if you need her.\nMy mobile: 07912 408336",
            "en",
            "+447912408336",
        ),
        ("Hi,\nthe car is at Smith's garage, 0161 496 0000, since Monday.\nThanks,\nJohn", "en", None),
    ],
)
def test_a_number_after_a_garages_or_a_lawyers_name_is_theirs(
    text: str, language: str, phone: str | None
) -> None:
    found = [
        field.value
        for field in find_candidates(TextSource("body", text, language=language), SETTINGS)
        if field.name == "phone"
    ]
    assert found == ([phone] if phone else [])


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Bonjour,\nle garage m'a dit de vous appeler, vous pouvez me joindre au 06 12 34 56 78.", "fr"),
        ("Hello,\nthe garage told me to ring you; my number is 07912 408336.", "en"),
    ],
)
def test_the_writers_own_words_after_a_trade_make_the_number_theirs(text: str, language: str) -> None:
    candidates = find_candidates(TextSource("body", text, language=language), SETTINGS)
    phones = [field.value for field in candidates if field.name == "phone"]
    assert phones in (["+33612345678"], ["+447912408336"])


@pytest.mark.parametrize(
    "text",
    [
        "Denver PD report, case 2026-611874 (bike stolen)\n720-318-5529",
        "VPD file number, 2026-611874\nCall me: 720-318-5529",
    ],
)
def test_a_year_before_a_serial_is_a_file_number_not_a_phone(text: str) -> None:
    assert value_in(text, "phone", language="en") == "+17203185529"
