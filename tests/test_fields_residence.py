"""The customer's country, read from the mail's own cues, and what it decides: whose national
phone numbers, whose "$", whose four-digit postcodes. French and English always."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from extractors.fields.extract import extract_fields
from extractors.fields.residence import customer_country, home_region
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def body(text: str, language: str) -> TextSource:
    return TextSource("body", text, language=language)


def country_of(text: str, language: str, sent: datetime | None = None) -> str:
    return customer_country([body(text, language)], SETTINGS, sent)


def fields_of(text: str, language: str, sent: datetime | None = None) -> dict[str, str]:
    found = extract_fields([body(text, language)], SETTINGS, received=sent)
    return {name: field.value for name, field in found.items()}


def sent_at(hours: float) -> datetime:
    return datetime(2026, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=hours)))


# --- where the customer lives ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "country"),
    [
        ("Hi,\nthe fence blew down.\nTom\n27 Wattle Grove, Marrickville NSW 2204", "en", "AU"),
        ("Hello, our house at 410 Elm Street, Springfield, IL 62704 was flooded.", "en", "US"),
        ("Hi, please send the form to 88 King St W, Toronto ON M5H 1A1. Thanks", "en", "CA"),
        ("Regards,\nSipho\n14 Oak Street, Durbanville, 7550", "en", "ZA"),
        ("Bonjour,\nmerci de votre retour.\nLéa Martin\n14 rue des Lilas\n44000 Nantes", "fr", "FR"),
        ("Bonjour,\nmon adresse : 9 rue Saint-Paul, Montréal QC H2Y 1G8.\nMerci", "fr", "CA"),
        ("Bonjour,\nmon adresse : rue Haute 40, 1000 Bruxelles\nGSM : 0478 55 66 77", "fr", "BE"),
        ("Hello,\nour flat is at 12 Leith Walk, Edinburgh EH6 8NP.\nRegards", "en", "GB"),
    ],
)
def test_a_postcode_in_the_address_tells_the_country(text: str, language: str, country: str) -> None:
    assert country_of(text, language) == country


@pytest.mark.parametrize(
    ("text", "language", "country"),
    [
        ("Kind regards,\nPieter\n12 Kloof Street\nGardens 8001\nSouth Africa", "en", "ZA"),
        ("Hello, I live in Ireland since May and my car is insured with you.", "en", "IE"),
        ("Bonjour, j'habite en Belgique depuis deux ans.", "fr", "BE"),
        ("Cordialement,\nAnne Favre\n3 chemin des Vignes, 1227 Carouge, Suisse", "fr", "CH"),
    ],
)
def test_a_country_named_at_the_end_of_an_address_or_as_home_tells_it(
    text: str, language: str, country: str
) -> None:
    assert country_of(text, language) == country


@pytest.mark.parametrize(
    ("text", "language", "country"),
    [
        ("Hello, we flew to Canada for the wedding and the luggage was lost.", "en", ""),
        ("Bonjour, nous partons au Canada le mois prochain, suis-je couvert ?", "fr", "FR"),
    ],
)
def test_a_country_named_in_passing_is_not_where_the_customer_lives(
    text: str, language: str, country: str
) -> None:
    assert country_of(text, language) == country


@pytest.mark.parametrize(
    ("hours", "country"), [(-7, "US"), (10, "AU"), (5.5, "IN"), (-3.5, "CA"), (13, "NZ"), (1, "")]
)
def test_the_mails_utc_offset_is_a_cue_when_nothing_else_says(hours: float, country: str) -> None:
    assert country_of("Hello, any news on my claim? Sam", "en", sent_at(hours)) == country


@pytest.mark.parametrize(
    ("text", "language", "country"),
    [
        ("Hello, please call me back.\nDana\n(303) 555-0142", "en", "US"),
        ("Hello, please call me back on 06 98 76 54 32, I live near Lyon.", "en", "FR"),
        ("Hello, please call me back on +41 44 555 12 12 after six.", "en", "CH"),
        ("Hi, my mobile is 0412 345 678, thanks.", "en", "AU"),
    ],
)
def test_a_number_written_as_one_country_writes_them_is_a_cue(text: str, language: str, country: str) -> None:
    assert country_of(text, language) == country


def test_an_address_outweighs_a_phone_number_from_elsewhere() -> None:
    text = (
        "Bonjour,\nje suis chez ma sœur à Londres : +44 7911 123456.\nLéa Roux\n12 rue Nationale\n37000 Tours"
    )
    assert country_of(text, "fr") == "FR"


def test_an_address_the_customer_writes_outweighs_one_quoted_from_another_mail() -> None:
    sources = [
        body("Hello, any news?\nAmy\n5 Mill Lane, Oxford OX2 6PL", "en"),
        TextSource("quoted", "Our office: 200 George St, Sydney NSW 2000", language="en"),
    ]
    assert customer_country(sources, SETTINGS) == "GB"


def test_a_quoted_address_is_read_when_the_customer_writes_none() -> None:
    sources = [
        body("Hello, any news on this?\nBronwyn", "en"),
        TextSource("quoted", "Claim details:\nRisk address: 7 Hill Rd, The Gap QLD 4061", language="en"),
    ]
    assert customer_country(sources, SETTINGS) == "AU"


def test_the_insurers_address_in_a_quoted_signature_gives_way_to_the_mails_clock() -> None:
    sources = [
        body("Hello, any news on this?\nSam", "en"),
        TextSource(
            "quoted", "Kind regards,\nAssurances Durand\n12 rue de la Paix\n75002 Paris", language="en"
        ),
    ]
    assert customer_country(sources, SETTINGS, sent_at(10)) == "AU"


def test_without_a_country_national_numbers_are_read_in_the_languages_country() -> None:
    assert home_region(body("Call me", "en"), SETTINGS) == "GB"
    assert home_region(body("Appelez-moi", "fr"), SETTINGS) == "FR"
    assert home_region(body("Appelez-moi", "fr"), ParsingSettings(default_region="BE")) == "BE"
    assert home_region(TextSource("body", "Call me", language="en", country="AU"), SETTINGS) == "AU"


# --- what the country decides ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "phone"),
    [
        ("Hi, my mobile is 0412 345 678.\nLiam\n5 Brunswick St, Fitzroy VIC 3065", "en", "+61412345678"),
        (
            "Hi, you can reach me on 021 555 0142.\nThabo\n3 Long Street, Sea Point, 8005",
            "en",
            "+27215550142",
        ),
        (
            "Bonjour, cellulaire : 514 555 0123.\nMarc\n9 rue Saint-Paul, Montréal QC H2Y 1G8",
            "fr",
            "+15145550123",
        ),
        ("Bonjour, GSM : 0478 55 66 77.\nrue Haute 40, 1000 Bruxelles", "fr", "+32478556677"),
    ],
)
def test_a_national_number_is_read_in_the_customers_country(text: str, language: str, phone: str) -> None:
    assert fields_of(text, language).get("phone") == phone


@pytest.mark.parametrize(
    ("text", "language", "phone"),
    [
        ("Hello, the roof is leaking again.\nThanks,\nDana\n(303) 555-0142", "en", "+13035550142"),
        ("Hello, please call me about the claim.\nRegards,\nClaire\n06 98 76 54 32", "en", "+33698765432"),
        ("Bonjour, je suis à Chicago, joignable au 312-555-0188.\nPaul", "fr", "+13125550188"),
    ],
)
def test_a_number_grouped_as_one_country_groups_them_is_read_there(
    text: str, language: str, phone: str
) -> None:
    assert fields_of(text, language).get("phone") == phone


def test_a_french_mails_language_outweighs_a_phone_number_from_abroad() -> None:
    assert country_of("Bonjour, je suis en vacances, rappelez-moi au +41 44 555 12 12.", "fr") == "FR"


def test_a_national_number_the_mail_gives_no_country_for_is_not_guessed() -> None:
    # "085 123 4567" is Irish or South African (or French); nothing in the mail says which.
    assert fields_of("Hello, any news on my claim?\nMobile: 085 123 4567", "en").get("phone") is None


@pytest.mark.parametrize(
    ("text", "language", "amount", "currency"),
    [
        (
            "Hi, the vet charged me $640.00, can you refund it?\nLiam\nBallarat VIC 3350",
            "en",
            "640.00",
            "AUD",
        ),
        ("Hello, the glass repair cost $310.50.\nMia\n77 Queen St, Ottawa ON K1P 5N3", "en", "310.50", "CAD"),
        ("Hi, the windscreen cost $420 and I'd like a refund.\nJo\nAustin, TX 78701", "en", "420.00", "USD"),
        (
            "Bonjour, j'ai payé 1 250,00 $ au garagiste.\nMarc\n9 rue Saint-Paul, Montréal QC H2Y 1G8",
            "fr",
            "1250.00",
            "CAD",
        ),
    ],
)
def test_a_dollar_is_the_customers_own(text: str, language: str, amount: str, currency: str) -> None:
    found = fields_of(text, language)
    assert (found.get("total_amount"), found.get("currency")) == (amount, currency)


def test_a_rand_is_read_in_south_african_mail() -> None:
    text = "Good day,\nthe geyser repair came to R12 450,00, please refund it.\nSipho\n14 Oak Street, Durbanville, 7550"
    found = fields_of(text, "en")
    assert (found.get("total_amount"), found.get("currency")) == ("12450.00", "ZAR")


def test_an_r_before_a_number_is_no_money_elsewhere() -> None:
    assert "total_amount" not in fields_of("Hello, room R12 450 was damaged by the leak.", "en")


@pytest.mark.parametrize(
    ("text", "language", "postcode"),
    [
        ("Hello,\nmy new address:\n5 Brunswick St, Fitzroy VIC 3065\nThanks", "en", "3065"),
        ("Hi, the house at 2 Elm Road, Boise, ID 83702 was broken into.", "en", "83702"),
        ("Hi, please write to me at 77 Queen St, Ottawa ON K1P 5N3.", "en", "K1P 5N3"),
        ("Regards,\nSipho\n14 Oak Street, Durbanville, 7550", "en", "7550"),
        ("Bonjour,\nmon adresse : avenue Louise 54, 1050 Ixelles\nMerci", "fr", "1050"),
        ("Hello,\nI moved to:\nStorgata 12\n0184 Oslo\nNorway", "en", "0184"),
    ],
)
def test_postcodes_of_other_countries_are_read_in_their_place(
    text: str, language: str, postcode: str
) -> None:
    assert fields_of(text, language).get("postcode") == postcode


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hello, my Client ID 12345 does not work on your website.", "en"),
        ("Bonjour, la facture 2024 Renault n'est pas arrivée.", "fr"),
    ],
)
def test_digits_that_no_address_holds_are_not_postcodes(text: str, language: str) -> None:
    assert "postcode" not in fields_of(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Bonjour, je loue un studio (69007 Lyon) depuis septembre.", "fr"),
        ("Hello, I rent a studio (69007 Lyon) since September.", "en"),
    ],
)
def test_a_french_postcode_and_its_town_in_brackets_are_an_address(text: str, language: str) -> None:
    assert fields_of(text, language).get("postcode") == "69007"


@pytest.mark.parametrize(
    ("text", "language", "hours", "phone"),
    [
        ("Accrochage hier à Nouméa, constat joint.\nJean Tein, tél 77 41 28", "fr", 11, "+687774128"),
        (
            "Je voudrais une assurance pour mon chiot à Papeete.\nMoana, 87 24 61 93",
            "fr",
            -10,
            "+68987246193",
        ),
        # in English the same clocks are Sydney's summer and Honolulu's, with their own numbers
        ("Someone backed into my car in Bondi.\nCall me on 0412 739 205", "en", 11, "+61412739205"),
        ("My lanai flooded last night in Honolulu.\nCall me at (808) 555-0142", "en", -10, "+18085550142"),
    ],
)
def test_a_clock_of_the_pacific_and_a_number_of_its_shape_tell_where_french_is_written(
    text: str, language: str, hours: float, phone: str
) -> None:
    assert fields_of(text, language, sent_at(hours)).get("phone") == phone


@pytest.mark.parametrize(
    ("text", "hours", "phone"),
    [
        # Ireland keeps Britain's clock; its mobiles are no British numbers
        ("My screen cracked last night.\nmy number is 087 341 9062", 1, "+353873419062"),
        ("The boiler broke down yesterday. Ring me on 085 730 2264 please.", 0, "+353857302264"),
        ("The boiler broke down yesterday. Ring me on 07946 582310 please.", 0, "+447946582310"),
    ],
)
def test_an_irish_number_under_the_clock_of_the_british_isles_is_irish(
    text: str, hours: float, phone: str
) -> None:
    assert fields_of(text, "en", sent_at(hours)).get("phone") == phone


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("The marina's estimate comes to $6,480.25.\nDoug Fenwick\n250-862-4417", "CAD"),
        ("The shop's estimate comes to $6,480.25.\nDoug Fenwick\n206-784-1192", "USD"),
    ],
)
def test_a_north_american_area_code_tells_canada_from_the_united_states(text: str, currency: str) -> None:
    assert fields_of(text, "en", sent_at(-7)).get("currency") == currency


def test_a_canadian_province_named_in_the_text_tells_canada_from_the_united_states() -> None:
    text = "Alberta Health Services has sent me a second notice for the $385.00 ambulance bill."
    assert fields_of(text, "en", sent_at(-7)).get("currency") == "CAD"
