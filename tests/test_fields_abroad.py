"""Customers who live outside the countries our rules began with: France's overseas
departments, Belgium and Luxembourg, India, Singapore, Hong Kong, Kenya, Nigeria, West and
Central Africa. Their national phone numbers, postcodes, currencies and number plates, read
as their country writes them. French and English, where the rule is not one language's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from extractors.fields.extract import currency_code, extract_fields
from extractors.fields.residence import customer_country
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def fields_of(text: str, language: str, sent: datetime | None = None) -> dict[str, str]:
    found = extract_fields([TextSource("body", text, language=language)], SETTINGS, received=sent)
    return {name: field.value for name, field in found.items()}


def sent_at(hours: float, day: int = 20) -> datetime:
    return datetime(2026, 11, day, 9, 0, tzinfo=timezone(timedelta(hours=hours)))


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "phone"),
    [
        ("0692 41 77 08", "+262692417708"),  # Réunion
        ("0690 55 12 84", "+590690551284"),  # Guadeloupe
        ("0696 28 41 73", "+596696284173"),  # Martinique
        ("0694 20 11 35", "+594694201135"),  # Guyane
        ("0639 69 12 34", "+262639691234"),  # Mayotte
        ("0262 41 77 08", "+262262417708"),  # a landline of Réunion
    ],
)
def test_a_number_of_an_overseas_department_is_french_not_swiss(written: str, phone: str) -> None:
    text = f"Bonjour,\nl'eau est entrée dans le garage.\nMerci de me rappeler au {written}.\nMme Payet"
    assert fields_of(text, "fr")["phone"] == phone


def test_a_short_number_is_no_phone_of_a_territory_outside_the_french_plan() -> None:
    text = "Bonjour,\nchangement d'adresse pour le contrat MRH-PLUS 0 552 181.\nClaire\n07 68 22 41 95"
    assert fields_of(text, "fr")["phone"] == "+33768224195"  # not Saint-Pierre-et-Miquelon's +508 552181


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Bonjour,\nje travaille désormais au Luxembourg ; l'ancien compte se terminait par "
            "**** 4412.\nCordialement,\nThomas\n+352 691 207 448",
            "fr",
        ),
        (
            "Hello,\nI now work in Luxembourg; my old account ended **** 4412.\nRegards,\nThomas\n"
            "+352 691 207 448",
            "en",
        ),
    ],
)
def test_four_digits_without_a_phone_label_are_no_phone(text: str, language: str) -> None:
    assert fields_of(text, language)["phone"] == "+352691207448"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Bonjour,\nnotre fille part en classe de neige.\nMerci,\nOlivier\n0471 28 64 19", "fr"),
        ("Hello,\nour daughter is going skiing with her school.\nThanks,\nOlivier\n0471 28 64 19", "en"),
        ("Bonjour,\nune question sur mon contrat.\nGSM : 0472/12.34.56", "fr"),
    ],
)
def test_a_mobile_grouped_as_belgians_group_them_is_belgian(text: str, language: str) -> None:
    assert fields_of(text, language)["phone"].startswith("+3247")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Hi,\nthe receipts are attached; Vancouver Police file number 2026-288140.\nThanks,\nJi-woo\n"
            "1850 Commercial Dr, Vancouver BC V5N 4A5\n604-318-2271",
            "en",
        ),
        (
            "Bonjour,\nvoici les reçus ; procès-verbal de police n° 2026-288140.\nMerci,\nJi-woo\n"
            "9 rue Saint-Paul, Montréal QC H2Y 1G8\n514-318-2271",
            "fr",
        ),
    ],
)
def test_a_police_file_number_is_no_phone(text: str, language: str) -> None:
    assert fields_of(text, language)["phone"] in ("+16043182271", "+15143182271")


@pytest.mark.parametrize(
    ("hours", "written", "phone"),
    [
        (1, "0803 512 7749", "+2348035127749"),  # Lagos
        (2, "072 555 0134", "+27725550134"),  # Johannesburg
        (3, "0722 418903", "+254722418903"),  # Nairobi
        (8, "6118 4402", "+85261184402"),  # Hong Kong (and Singapore: Hong Kong first)
    ],
)
def test_the_clock_and_a_national_number_of_that_country_tell_where_the_customer_lives(
    hours: float, written: str, phone: str
) -> None:
    text = f"Hello,\nplease let me know the status of my claim.\nRegards,\nAdebola\n{written}"
    assert fields_of(text, "en", sent_at(hours))["phone"] == phone


def test_a_british_number_sent_at_plus_one_stays_british() -> None:
    text = "Hello,\nI am on holiday in Spain, please call me back.\nRegards,\nTom\n07912 408336"
    assert fields_of(text, "en", sent_at(1, day=1))["phone"] == "+447912408336"


def test_a_french_number_sent_at_plus_two_is_no_south_african_one() -> None:
    text = "Hello,\nI live near Lyon now, please call me back.\nRegards,\nTom\n06 12 34 56 78"
    found = extract_fields([TextSource("body", text, language="en")], SETTINGS, received=sent_at(2))
    assert found["phone"].value == "+33612345678"
    assert customer_country([TextSource("body", text, language="en")], SETTINGS, sent_at(2)) != "ZA"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Total amount of my claim is HK$18,460.\nMobile 9123 8876", "HK"),
        ("I am claiming S$1,240 for the bag.\nHP: 8725 3316", "SG"),
        ("Amount claimed: KSh 38,600 for the hotel.\n0733 902 415", "KE"),
    ],
)
def test_a_countrys_own_money_and_a_national_number_tell_its_customers(text: str, country: str) -> None:
    assert customer_country([TextSource("body", text, language="en")], SETTINGS) == country


# --- postcodes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Regards,\nRamesh K. Iyer\nNo. 27, 2nd Main, Jayanagar 4th Block\nBengaluru - 560041", "560041"),
        ("Regards,\nDr. Meenakshi\nFlat 3B, 12 Arcot Road, Chennai - 600 026", "600026"),
        ("Please send it to my address, PIN: 110001, New Delhi.", "110001"),
        ("Thank you,\nLim Wei Ling\nBlk 215 Ang Mo Kio Ave 1 #07-112\nSingapore 560215", "560215"),
        ("Please cancel the policy. The lease on 815 Univ. Ave SE, Minneapolis MN 55414 ends then.", "55414"),
    ],
)
def test_indian_singaporean_and_american_postcodes_in_an_address(text: str, code: str) -> None:
    assert fields_of(text, "en")["postcode"] == code


@pytest.mark.parametrize(
    "text",
    [
        "Hello,\nmy order number is Order - 560041",
        "The claim is for Rs. 38,500 and the invoice is INV 560041.",
        "My member ID Singapore 560215 is on the card, call me.",
        "Dear Sir, regarding my file, Claim - 445566",
    ],
)
def test_six_digits_outside_an_address_are_no_postcode(text: str) -> None:
    assert "postcode" not in fields_of(text, "en")


# --- money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "code"),
    [
        ("S$", "SGD"),
        ("KES", "KES"),
        ("KSh", "KES"),
        ("₦", "NGN"),
        ("FCFA", "XAF"),
        ("F CFA", "XAF"),
        ("francs CFA", "XAF"),
    ],
)
def test_currency_markers_of_more_countries(marker: str, code: str) -> None:
    assert currency_code(marker) == code


@pytest.mark.parametrize(
    ("text", "language", "currency"),
    [
        (
            "Bonjour,\nla clinique m'a fait payer 1 245 000 FCFA, je demande le remboursement.\n"
            "Mon numéro : +221 77 643 18 25",
            "fr",
            "XOF",
        ),
        (
            "Bonjour,\nla clinique m'a fait payer 1 245 000 FCFA, je demande le remboursement.\n"
            "Mon numéro : +237 6 71 23 45 67",
            "fr",
            "XAF",
        ),
        (
            "Hello,\nthe clinic charged me 1,245,000 FCFA, please reimburse me.\nMy number: +225 07 08 12 34 56",
            "en",
            "XOF",
        ),
    ],
)
def test_the_cfa_franc_is_the_one_of_the_customers_country(text: str, language: str, currency: str) -> None:
    assert fields_of(text, language)["currency"] == currency


@pytest.mark.parametrize(
    ("text", "language", "amount", "currency"),
    [
        ("Hello,\nI am claiming S$1,240 in total for the bag.", "en", "1240.00", "SGD"),
        ("Amount claimed: KES 38,600 (hotel 27,000, meals 7,400).", "en", "38600.00", "KES"),
        ("Bonjour,\nje vous réclame 1 240 S$ pour le sac volé.", "fr", "1240.00", "SGD"),
    ],
)
def test_singapore_and_kenya_money(text: str, language: str, amount: str, currency: str) -> None:
    found = fields_of(text, language)
    assert (found["total_amount"], found["currency"]) == (amount, currency)


# --- plates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "plate"),
    [
        ("My scooter (Honda Activa, reg. no. KA 05 MN 4471) met with an accident.", "en", "KA 05 MN 4471"),
        ("My Toyota Camry (LSD 412 GH) was involved in an accident.", "en", "LSD 412 GH"),
        ("Mon scooter, immatriculé MH12AB1234, a été volé devant la gare.", "fr", "MH12AB1234"),
        ("Notre voiture (KJA 345 AB) a été heurtée sur le parking.", "fr", "KJA 345 AB"),
        ("A matatu reversed into my car, KCB 123A, at the stage in Westlands.", "en", "KCB 123A"),
        ("Ma voiture KDG 456X a été rayée devant le bureau.", "fr", "KDG 456X"),
    ],
)
def test_indian_and_nigerian_plates(text: str, language: str, plate: str) -> None:
    assert fields_of(text, language)["vehicle_plate"] == plate


def test_words_and_a_year_in_lower_case_are_no_indian_plate() -> None:
    assert "vehicle_plate" not in fields_of("My car was hit on 12 dec 2026 in the car park.", "en")
