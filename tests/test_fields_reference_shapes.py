"""Reference numbers in shapes and places the earlier rules cut short or missed: a word that
names a policy only beside a number sign, before letters dashed to digits; a dashed or slashed
head and groups of digits after it; a lone letter or a long last group between the groups;
two capitals that end the number and its sentence."""

from __future__ import annotations

import pytest
from conftest import value_in

from rpa.config import ParsingSettings

SETTINGS = ParsingSettings()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Please do not renew my annual travel plan AT-SK-550129 next month.", "AT-SK-550129"),
        ("My trip cancellation certificate is TC-QC-8810442.", "TC-QC-8810442"),
        ("Merci de résilier mon adhésion MU-RT-20417 à la fin du mois.", "MU-RT-20417"),
        ("Je suis client GA-VT-44120 depuis dix ans et je veux changer de formule.", "GA-VT-44120"),
    ],
)
def test_a_word_that_names_a_policy_beside_a_number_sign_labels_letters_dashed_to_digits(
    text: str, value: str
) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "I plan to renew it in 2027 as usual.",
        "Je suis client depuis 2019 et je veux changer de formule.",
    ],
)
def test_such_a_word_before_prose_labels_nothing(text: str) -> None:
    assert value_in(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Pouvez-vous transférer mon contrat habitation n° 94-MRH-330 571 sur le nouveau logement ?",
            "94-MRH-330 571",
        ),
        ("Mon contrat : Habitation Confort n° 972/HC/40 118.", "972/HC/40 118"),
        ("My policy no. is MD-55 014 872, taken out last year.", "MD-55 014 872"),
        ("Policy number: 5J-AUTO-88 301. The other number on the letter is a reference.", "5J-AUTO-88 301"),
    ],
)
def test_groups_of_digits_after_a_dashed_or_slashed_head_belong_to_the_number(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value", "name"),
    [
        ("Invoice INV-0193 2025-01-18 for the repair.", "INV-0193", "invoice_number"),
        ("Contrat n° HAB-2291 2026-03-14 pour la résiliation.", "HAB-2291", "policy_number"),
    ],
)
def test_a_date_after_a_dashed_number_is_not_its_last_group(text: str, value: str, name: str) -> None:
    assert value_in(text, name) == value


@pytest.mark.parametrize(
    ("text", "value", "name"),
    [
        (
            "Il vous a déclaré le sinistre le 12 (référence de sinistre 2026 S 44 190).",
            "2026 S 44 190",
            "claim_number",
        ),
        ("Still no news on claim FL 2026 0038841, three weeks on.", "FL 2026 0038841", "claim_number"),
        ("Claim number 2026 C 71 044: the assessor never came.", "2026 C 71 044", "claim_number"),
    ],
)
def test_a_lone_letter_or_a_long_group_between_groups_is_part_of_the_number(
    text: str, value: str, name: str
) -> None:
    assert value_in(text, name) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("(accident du 17/10, la Mégane noire, contrat auto 2290 5571 AU).", "2290 5571 AU"),
        ("(the van is on policy 7731 2208 IN).", "7731 2208 IN"),
        ("Mon contrat 4410 2287 ET nous voulons le résilier.", "4410 2287"),
        ("It is policy 4410 2287 IN my name, not my husband's.", "4410 2287"),
    ],
)
def test_two_capitals_after_the_digits_end_the_number_only_where_the_sentence_ends(
    text: str, value: str
) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Aurélie Lambin\nContrat habitation : 77 HAB 5520 1 - 77300 Fontainebleau", "77 HAB 5520 1"),
        ("Mon contrat auto 26 AU 4418 2 est à votre nom depuis mars.", "26 AU 4418 2"),
        ("Could you check my home insurance 44 HH 5520 1 before the renewal?", "44 HH 5520 1"),
    ],
)
def test_a_cover_word_labels_digits_around_a_short_word_of_letters(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Mon contrat habitation 12 mois 3 fois sans frais, c'est possible ?",
        "My home insurance 10 years 2 claims and still no discount.",
    ],
)
def test_a_count_between_digits_after_a_cover_word_is_no_number(text: str) -> None:
    assert value_in(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a prefix typed in any case after its label
        ("Contents policy: cnZ 2208 5176", "CNZ 2208 5176"),
        ("Mon contrat : mRh 4410 2287", "MRH 4410 2287"),
        # a check digit after a space, at the end of its line or sentence
        ("claim ref attached\npolicy car-77 0192 3\nwhens it ready", "CAR-77 0192 3"),
        ("Bonjour, contrat auto ca-77 0192 3.", "CA-77 0192 3"),
        # a prefix of joined parts in small letters after a number sign
        ("pol# co-at 558 2190", "CO-AT 558 2190"),
        ("contrat n° mu-fa 558 2190 svp", "MU-FA 558 2190"),
        # digit by digit, as read off a card
        ("insured with you for private use, policy nr. 4 0 1 9 2 2 7 3.", "4 0 1 9 2 2 7 3"),
        ("mon contrat n° 4 0 1 9 2 2 7 3, merci", "4 0 1 9 2 2 7 3"),
        # a prefix joined by a dot, and "cest" typed without its apostrophe
        ("mon num de contrat cest le Hab.Etu 31-7742", "HAB.ETU 31-7742"),
        ("my policy number is Hab.Etu 31-7742", "HAB.ETU 31-7742"),
    ],
)
def test_policy_numbers_typed_in_a_hurry_after_their_label(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Merci,\nOumar Diallo\nContrat habitation 7L-HAB-2218\n06 59 83 12 47", "7L-HAB-2218"),
        ("Thanks,\nOwen\nHome policy 5J-HOME-2291\n07700 900123", "5J-HOME-2291"),
        ("Bonjour, ma garantie n° GAV/82/001 573 couvre-t-elle la chute ?", "GAV/82/001 573"),
    ],
)
def test_a_cover_named_before_a_number_that_opens_with_a_digit_and_a_letter(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My policy is Homeowners HO-GA 7716 0443.", "HO-GA 7716 0443"),
        ("Mon contrat est Habitation Confort HC 4410 2287, merci", "HC 4410 2287"),
        ("my policy is being renewed HO-GA 7716 0443", None),  # prose, not a product's name
        ("mon contrat est résilié depuis le 3 mars", None),
    ],
)
def test_a_products_name_may_stand_between_is_and_the_number(text: str, value: str | None) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("subject", "value"),
    [
        ("cancel renters Azr-6652-8820", "AZR-6652-8820"),
        ("Résiliation habitation hab-4410-2287", "HAB-4410-2287"),
    ],
)
def test_letters_dashed_to_digits_that_end_the_subject_are_the_policy(subject: str, value: str) -> None:
    assert value_in(subject, source="subject") == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a last group that ends the number's sentence or bracket belongs to it
        (
            "Agreement number (as it says on your letters): NPH 2290 4418 7\nDDI ref 00448172",
            "NPH 2290 4418 7",
        ),
        (
            "it was under a pile of school stuff, my policy number, anyway it's HIE 6620 3318 7.",
            "HIE 6620 3318 7",
        ),
        (
            "mon numéro de contrat, je le tape (AL-HAB-5560 12) et on me dit qu'il n'existe pas",
            "AL-HAB-5560 12",
        ),
        ("Mon numéro de contrat, c'est MRH 4410 2287 3.", "MRH 4410 2287 3"),
        # "ins #": insurance, said short
        ("comp car ins # VC-3318-0427", "VC-3318-0427"),
    ],
)
def test_a_last_group_ending_the_sentence_and_ins_before_a_number_sign(text: str, value: str) -> None:
    assert value_in(text) == value
