"""How people label a policy or claim number when they write in a hurry or in their own way
(issue 13): a product's name or a gloss between the label and the number, a label cut short
or written in the writer's own language, a number labelled as such though it has a phone's
shape, the police's references in English, and one value read under two labels. French and
English always, and what must not be read as a reference."""

from __future__ import annotations

import pytest
from conftest import make_mail, value_in

from extractors.fields.extract import extract_fields
from extractors.mime import parse_message
from rpa.config import LimitSettings, ParsingSettings
from rpa.pipeline import text_sources

SETTINGS = ParsingSettings()


def references_of_mail(body: str, subject: str = "Question") -> dict[str, str]:
    """Policy and claim numbers the real MIME parser and finders read in a plain-text mail."""
    message = parse_message(make_mail(body, subject=subject), source="mail.eml", limits=LimitSettings())
    fields = extract_fields(text_sources(message, "en" if body.startswith("Hello") else "fr"), SETTINGS)
    return {name: field.value for name, field in fields.items() if name in ("policy_number", "claim_number")}


# --- A product's name, a gloss or a year between the label and the number ----------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, mon Contrat 3D n° VEL 552 019 couvre le vol du vélo ?", "VEL 552 019"),
        ("Je suis titulaire du contrat d'épargne « Avenir Sérénité » n° VIE-0072-11934.", "VIE-0072-11934"),
        ("Bonjour, contrat habitation souscrit en 2018 sous le n° 5120 7734, à résilier.", "5120 7734"),
        ("Hello, my policy “Gold Traveller” no. GT-2291-0048 covers skiing, right?", "GT-2291-0048"),
        ("Hello, the policy for my van (Ford Transit) no. 7720 4419 21 renews soon.", "7720 4419 21"),
    ],
)
def test_a_product_name_a_year_or_a_bracket_may_stand_between_the_label_and_its_number_sign(
    text: str, value: str
) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, ma police (assurance scolaire) est la ES-4410-2291.", "ES-4410-2291"),
        ("Hello, my policy (Florida condo) FL-C 4410921 has to change address.", "FL-C 4410921"),
        ("Hello, my policy (póliza) is SV-2290-4471, I am in Madrid.", "SV-2290-4471"),
    ],
)
def test_a_gloss_in_brackets_after_the_label_word_leaves_the_number_to_it(text: str, value: str) -> None:
    assert value_in(text) == value


# --- Labels cut short or in the writer's own language --------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("slt jai vendu la moto ctr 55-20-117 merci", "policy_number", "55-20-117"),
        ("Bonjour, ctrt n° 2291 4471 à résilier au 1er.", "policy_number", "2291 4471"),
        ("Hello, cert no. TRV-2291-004, I was in hospital in Bali.", "policy_number", "TRV-2291-004"),
        ("Hello, my polisnummer is 7720-4419-3 and I moved house.", "policy_number", "7720-4419-3"),
        ("Dear Sirs, Schadennummer 2026-KF-00412: when is the payment?", "claim_number", "2026-KF-00412"),
        ("Buongiorno, sinistro 2291-TR-0048, any news please?", "claim_number", "2291-TR-0048"),
    ],
)
def test_a_label_cut_short_or_in_the_writers_language_is_still_a_label(
    text: str, name: str, value: str
) -> None:
    assert value_in(text, name) == value


# --- What a number label says beats the shape of a phone -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Je suis assuré chez vous (N° de contrat : 0 231 554 870) depuis dix ans.",
        "Hello, policy number: 0 231 554 870, and I am still waiting.",
    ],
)
def test_a_number_label_keeps_a_value_that_has_the_shape_of_a_phone(text: str) -> None:
    assert value_in(text) == "0 231 554 870"


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, contrat 01 23 45 67 89 : rappelez-moi vite.",
        "Bonjour, contrat auto, mon numéro 06 12 34 56 78 pour me joindre.",
        "Hello, policy holder phone number: 01 23 45 67 89.",
    ],
)
def test_a_phone_after_a_label_that_is_no_number_label_stays_no_reference(text: str) -> None:
    assert value_in(text) is None


# --- Police and other people's references ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hello, the police crime ref is 4410/2291/26 if you need it.",
        "Hello, Police ref: CR/2291/26, they came this morning.",
        "Hello, my booking ref: BK88231 is on the hotel letter.",
    ],
)
def test_in_english_a_reference_of_the_police_or_a_booking_is_no_policy(text: str) -> None:
    assert value_in(text, language="en") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hello, my police number is 55 2019 4471, I am German.", "en"),
        ("Bonjour, ma police n° 55 2019 4471 doit être modifiée.", "fr"),
        ("Bonjour, police habitation 55 2019 4471, déménagement le 3.", "fr"),
    ],
)
def test_police_is_a_policy_in_french_and_before_a_number_word_in_english(text: str, language: str) -> None:
    assert value_in(text, language=language) == "55 2019 4471"


def test_a_bare_reference_in_the_customers_text_is_still_their_policy() -> None:
    assert value_in("Bonjour, c'est pour la maison, réf : LHA-2291-C.", language="fr") == "LHA-2291-C"


# --- One value read under two labels --------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "body", "policy"),
    [
        (
            "Accident - Contrat AB 5512 0098",
            "Bonjour,\nVos réf. : AB 5512 0098\nL'autre conducteur m'a donné son assureur et son numéro de "
            "contrat chez eux, XY-2291-77120.\nMerci de me dire quoi faire.",
            "AB 5512 0098",
        ),
        (
            "Accident - Policy KT 2291 4471",
            "Hello,\nYour ref: KT 2291 4471\nThe other driver gave me his insurer and his policy number "
            "with them, ZX-2291-88120.\nWhat should I do next?",
            "KT 2291 4471",
        ),
    ],
)
def test_a_value_under_a_loose_label_takes_the_kind_another_label_gives_it(
    subject: str, body: str, policy: str
) -> None:
    assert references_of_mail(body, subject).get("policy_number") == policy


# --- The end of the number ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour, contrat habitation HAB 7731-0092-C à résilier au 1er.", "HAB 7731-0092-C"),
        ("Hello, please update policy # KZ 4410 2291 NL (Volvo XC40).", "KZ 4410 2291 NL"),
        ("Hello, auto policy no. QC-B 7720419 covers my wife too?", "QC-B 7720419"),
        ("BONJOUR, CONTRAT N° AB 4471 2209 ET JE VEUX RÉSILIER", "AB 4471 2209"),
    ],
)
def test_a_country_code_or_a_prefix_of_two_parts_belongs_to_the_number_and_a_word_does_not(
    text: str, value: str
) -> None:
    assert value_in(text) == value


# --- Where the number is written, or an aside, between the label and its verb ---------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("car is RK7 19M, pol no on my pink card is apv 2290 418", "APV 2290 418"),
        ("Hello, the policy number on the renewal letter is GH 7730 2291.", "GH 7730 2291"),
        ("Bonjour, le n° de contrat sur ma carte verte est AUT 5512 3390.", "AUT 5512 3390"),
        (
            "His pet policy number (it's on the welcome pack, under the picture of the cat) is "
            "PP-WA 0091 4472.",
            "PP-WA 0091 4472",
        ),
        (
            "Mon numéro de contrat (il est sur l'avis d'échéance, en haut à droite) est MRH 4410 2291.",
            "MRH 4410 2291",
        ),
        (
            "My buildings & contents ref. - I had to ring to get it, the lady gave me it over the "
            "phone - is HC 5520 7718 LW.",
            "HC 5520 7718 LW",
        ),
        ("Mon numéro de police - je l'ai retrouvé dans mes papiers - est HB 2207 5530.", "HB 2207 5530"),
        ("Policy/Client No. on my documents is ABH-22 9031 7 / 40018822.", "ABH-22 9031 7"),
        ("Contrat hab. 35-MH-2250 48, facture jointe.", "35-MH-2250 48"),
    ],
)
def test_where_the_number_is_written_or_an_aside_may_stand_between_the_label_and_its_verb(
    text: str, value: str
) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Hello, my claim ref on your letter is CL 2291 4471.",
        "Bonjour, ma réf. dossier est SIN 2291 4471.",
    ],
)
def test_a_claims_reference_is_not_the_customers_own_policy(text: str) -> None:
    assert value_in(text) is None


def test_words_between_a_kind_and_a_number_sign_make_no_label_before_where_it_is_written() -> None:
    text = (
        "Hello, a claim under my HomeSure Plus policy, number HSP 0447 1290 (my customer no. on your "
        "letters is 88120445 in case you need that too)."
    )
    assert value_in(text) == "HSP 0447 1290"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hello, Member ID: XQH884102937\nClaim #: 2026-1009-448172", "XQH884102937"),
        ("Bonjour, ID adhérent : MUT 7720 4419, je vous écris pour mes lunettes.", "MUT 7720 4419"),
    ],
)
def test_an_id_is_a_number_sign(text: str, value: str) -> None:
    assert value_in(text) == value


def test_a_rank_after_a_dash_is_no_part_of_the_number() -> None:
    assert value_in(
        "FW: Claim 26-OK-118840 - 4th request, no response", "claim_number", source="subject"
    ) == ("26-OK-118840")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Bonjour, je voudrais une attestation pour le contrat n° VOY-AN 2026/03 118, merci.",
            "VOY-AN 2026/03 118",
        ),
        ("Hello, travel policy no. TRV-AN 2026/44 019 covers my wife too?", "TRV-AN 2026/44 019"),
        ("Bonjour, contrat auto 0921 4478 36, c'est une Twingo EB-147-QX.", "0921 4478 36"),
        (
            "Bonjour, une Garantie des Accidents de la Vie, n° GAV/82/001 573, couvre-t-elle l'arrêt ?",
            "GAV/82/001 573",
        ),
        (
            "Hello, the policy is in my name (Melissa Kowalski), home and contents, number HCQ3816 20957.",
            "HCQ3816 20957",
        ),
    ],
)
def test_a_prefix_before_joined_digits_a_number_grouped_unlike_a_phone_and_a_products_initials(
    text: str, value: str
) -> None:
    assert value_in(text) == value


def test_a_phone_grouped_in_pairs_after_a_policy_label_is_no_policy_number() -> None:
    assert value_in("Bonjour, contrat auto, tél 09 21 44 78 36, merci de me rappeler.") is None
