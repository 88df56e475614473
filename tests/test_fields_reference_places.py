"""Policy and claim numbers in the places and shapes batch 6's writers put them (issue 12):
after "agreement no." and "c'est le", after a product's name, with a key after a spaced
group, before a spaced dash and a word, after the cover's owner, said by voice, announced by
"the number is"; and what is someone else's: the police's file, a member's number beside
the contract's. French and English."""

from __future__ import annotations

import pytest
from conftest import value_in

from rpa.config import ParsingSettings

SETTINGS = ParsingSettings()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hello, my motor agreement no. is MV-HT 5520193, please add my son.", "MV-HT 5520193"),
        ("Hi, my agreement number is KLM-310-2291-B (contents).", "KLM-310-2291-B"),
        ("bonjour le contrat c'est le 52 10 448 903 la voiture c'est une Clio merci", "52 10 448 903"),
    ],
)
def test_an_agreement_number_and_a_contract_that_is_its_number_are_the_policy(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "I have been with you for years (policy no. Home Shield HS 5510-2291) and never claimed.",
            "HS 5510-2291",
        ),
        ("Bonjour, contrat n° Habitat Plus HP 7712-0045, je déménage le mois prochain.", "HP 7712-0045"),
    ],
)
def test_a_product_name_in_capitals_may_stand_between_the_label_and_the_number(text: str, value: str) -> None:
    assert value_in(text) == value


def test_words_in_small_letters_after_a_number_label_are_no_product() -> None:
    assert value_in("My policy no. is in the drawer somewhere, sorry.") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("home plan no hh/52 7781/b\n\nthanks", "HH/52 7781/B"),
        ("Bonjour, contrat n° MR/31 4471/C pour la maison.", "MR/31 4471/C"),
    ],
)
def test_a_key_after_a_group_typed_after_a_space_belongs_to_the_number(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("(My policy number is MT-55120-31 - I know it looks like a date.)", "MT-55120-31"),
        ("Mon contrat n° HB-22014-08 - Y a-t-il une franchise ?", "HB-22014-08"),
    ],
)
def test_a_word_after_a_spaced_dash_is_not_the_key_of_the_number(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Bonjour,\nPolice        Moto+ n° MX-MOT-0045127\nModèle        Yamaha", "MX-MOT-0045127"),
        ("Bonjour, mon contrat de prévoyance : PR n° 2025-PR-44120.", "2025-PR-44120"),
        ("Bonjour, (contrat habitation de papa : H 51 330 08 K ; il est sourd)", "H 51 330 08 K"),
        ("Hi, the policy for my mum: M 51 330 08 K (she is away)", "M 51 330 08 K"),
    ],
)
def test_the_cover_may_be_named_with_a_plus_a_colon_or_its_owner(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my policy number is BH552091 full stop my phone is 07956 214338 full stop", "BH552091"),
        ("Bonjour, contrat numéro BE662091 dans tous les cas merci", "BE662091"),
    ],
)
def test_words_after_a_number_are_not_the_groups_of_an_iban(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Une question : dans mon contrat auto (formule Tiers+, le numéro c'est 4471-AT-0917 je crois), "
            "le bris de glace est-il couvert ?",
            "4471-AT-0917",
        ),
        (
            "Quick question: is my travel cover (the number is 2291-TR-0034 I think) valid for skiing?",
            "2291-TR-0034",
        ),
    ],
)
def test_the_number_spoken_of_after_a_kind_word_is_of_that_kind(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Mon contrat c'est la multirisque Kaz'Confort 974-HB-33120 (sur la carte il y a aussi mon numéro de "
            "sociétaire 0099123).",
            "974-HB-33120",
        ),
        (
            "My policy is the Home Classic one, HC-55120-K (my member number 0099123 is on the card too).",
            "HC-55120-K",
        ),
    ],
)
def test_a_member_number_gives_way_to_the_contract_number(text: str, value: str) -> None:
    assert value_in(text) == value


def test_a_member_number_alone_is_the_policy() -> None:
    assert value_in("Bonjour, mon numéro de sociétaire est 0099123, je change de banque.") == "0099123"


def test_the_police_file_number_is_not_the_claim() -> None:
    text = "Receipts for my claim 26-HX-30419:\n* Police file number 2026-288140\n* the invoice"
    assert value_in(text, "claim_number") == "26-HX-30419"
    assert value_in("I am writing about my hospital claim HC2611-0387.", "claim_number") == "HC2611-0387"


def test_the_police_coming_round_is_no_policy_label() -> None:
    text = "La police est passée le dimanche matin (PV n° LI.12.L1.044817/2026). Rien d'autre."
    assert value_in(text, language="fr") is None


@pytest.mark.parametrize(
    "text",
    [
        "J'ai pris la franchise chez vous pour le contrat de location LC 55081127 du loueur.",
        "The rental agreement no. RA-55081127 says I pay the first 950 dollars.",
    ],
)
def test_a_car_hire_or_a_lease_contract_is_no_policy(text: str) -> None:
    assert value_in(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Je résilie (loi Hamon).\n- Contrat : 66 021 887 C\n"
            "- Nouvel assureur : Assurances du Littoral, contrat n° LIT-HAB-90417",
            "66 021 887 C",
        ),
        ("Please cancel policy HH-7720-44. New insurer: Coastal Mutual, policy no. CM-22918.", "HH-7720-44"),
        ("I am moving. New insurer: Coastal Mutual, policy no. CM-22918", None),
        # the writer's own contract, in the sentence that names the new insurer
        (
            "J'ai trouvé un nouvel assureur, mon contrat n° HAB-4410 chez vous est donc à résilier.",
            "HAB-4410",
        ),
        ("I found a new insurer, so my policy no. HH-4410-22 with you should end.", "HH-4410-22"),
    ],
)
def test_the_new_insurers_contract_named_in_a_cancellation_is_no_policy_of_ours(
    text: str, value: str | None
) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Objet : contestation – contrat AUTO-PRESTIGE 771 0034", "AUTO-PRESTIGE 771 0034"),
        ("Hello, please cancel my policy HOME-SUPREME 4471 2209 from today.", "HOME-SUPREME 4471 2209"),
    ],
)
def test_a_cover_in_capitals_of_a_long_second_part_is_the_prefix_of_the_number(text: str, value: str) -> None:
    assert value_in(text) == value
