"""Fields written as the eighth development batch's writers wrote them, each rule in French and
English: a product's initials as its policy's prefix, labels said aloud ("c est"), numbers
after "sous le n°" or a schedule's number, a date written whole and told with a word of
harm, a weekday of last week, a day given in brackets, public offices that forward a
customer's own papers, plates said to be the car, Indian and New Zealand address lines, a
reference someone gave the customer, sums told "altogether"."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import incident_in, name_of_mail, value_in, written_for

from extractors.fields.money import find_money
from extractors.fields.postcodes import find_postcodes

THURSDAY = date(2026, 11, 19)


def incident(text: str) -> str | None:
    return incident_in(text, THURSDAY)


# --- Policy numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Sinistre : S26-0088-AU\nAuto Tous Risques Plus n° ATR-6610-44\nImmat : GB-552-XT", "ATR-6610-44"),
        ("J'ai votre Carte Voyage Liberté n° CVL 972 5510.", "CVL 972 5510"),
        ('le contrat c est le "Résidence Tranquille" numero rt 81 4470 2', "RT 81 4470 2"),
        ("Can you move the cover on Home & Contents HC-SA-22091847 to the new address?", "HC-SA-22091847"),
        ("Please note my Motor Comprehensive Plus MCP 4471 0093 renews in March.", "MCP 4471 0093"),
    ],
)
def test_a_reference_after_a_product_whose_initials_it_begins_with_is_the_policy(
    text: str, value: str
) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour Madame Martin MM 4471 0023, voici ma demande.",
        "Je suis allé chez Garage Dupont Automobiles GDA 2026 le 3.",
        "I drove the Range Rover Sport RRS 2024 to the garage.",
    ],
)
def test_initials_of_a_greeting_or_a_short_number_make_no_policy(text: str) -> None:
    assert value_in(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "mon numero client c est le 40 22 81 mais le contrat c est AUT 7 44 01 9 je vous envoie",
            "AUT 7 44 01 9",
        ),
        ("ctr auto n° gla 5517 20", "GLA 5517 20"),
        ("Le scooter est assuré sous le n° 2RM 973 0187.", "2RM 973 0187"),
        ("ma police ménage/RC no MRC-2024-07713, à partir de janvier", "MRC-2024-07713"),
        ("Mon contrat : Garantie Objets Nomades, adhésion GON 2025-04418.", "GON 2025-04418"),
        ("The van is insured under number VN 4471 0093.", "VN 4471 0093"),
        (
            "mon arrêt maladie depuis fin septembre (ass. emprunteur EMP 00 5519 32), on me renvoie",
            "EMP 00 5519 32",
        ),
        ("Home Protect schedule number BHM-HP-0728841", "BHM-HP-0728841"),
        ("Snowbird travel medical certificate 0077-4419-ON, claim TM-5520-8841.", "0077-4419-ON"),
    ],
)
def test_labels_said_aloud_or_written_short_read_the_policy(text: str, value: str) -> None:
    assert value_in(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, contrat auto, mon numéro 06 12 34 56 78 pour me joindre.",
        "la police c est passee hier soir",
        "Je suis client depuis 2019-2020 et membre ABC 2019-2020.",
        "The work schedule is 12-14-AM this week.",
        "contrat EUR 450 2026",
    ],
)
def test_what_only_looks_like_those_labels_reads_no_policy(text: str) -> None:
    assert value_in(text) is None


def test_a_claim_label_does_not_reach_over_a_number_to_the_next_line() -> None:
    text = "Sinistre : S26-0088-AU\nAuto Tous Risques Plus n° ATR-6610-44"
    assert value_in(text, "claim_number") == "S26-0088-AU"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Je fais un suivi pour ma réclamation no 4410-88217, l'accident du 14-10-2026.", "4410-88217"),
        ("I'm following up on file 22-NS-00871. Somebody backed into my car.", "22-NS-00871"),
        (
            "The operator said it would be reimbursed and gave me the reference RS-2026-00418.",
            "RS-2026-00418",
        ),
        ("L'assistance m'a donné la référence AS-2026-7741 pour le remorquage.", "AS-2026-7741"),
    ],
)
def test_a_file_someone_gave_the_customer_is_a_claim(text: str, value: str) -> None:
    assert value_in(text, "claim_number") == value


# --- Incident dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("La semaine dernière, le jeudi, un camion de livraison a reculé contre ma Golf.", "2026-11-12"),
        ("Last week, on Tuesday, a delivery lorry hit my car in the car park.", "2026-11-10"),
        (
            "I wish to inform you that due to the very heavy rain on the night of 14.10.26 the storm drain "
            "behind my house overflowed and water entered the ground floor.",
            "2026-10-14",
        ),
        ("The sewer backed up into our finished basement on 10/14/2026 after the heavy rain.", "2026-10-14"),
        ("Suite aux orages, un refoulement d'égout a inondé la cave le 14/10/2026.", "2026-10-14"),
        (
            "A complaint about the assessor you sent on the 17th for claim GY-77219 (geyser burst on "
            "Sunday the 15th, ceiling damaged).",
            "2026-11-15",
        ),
        ("C'est arrivé le 12, pardon le 13 (j'ai relu son SMS), vers 7h du matin.", "2026-11-13"),
        (
            "Vendredi matin en sortant acheter le pain j'ai claqué la porte avec les clés à l'intérieur.",
            "2026-11-13",
        ),
        ("On Friday morning I locked myself out with the oven on.", "2026-11-13"),
        ("My phone was grabbed out of my hand at the taxi rank on Friday the 13th.", "2026-11-13"),
        ("Three days ago someone cut the lock on my e-bike in the garage.", "2026-11-16"),
    ],
)
def test_the_incident_day_as_batch_eight_told_it(text: str, value: str) -> None:
    assert incident(text) == value


def test_a_date_written_whole_before_an_appointment_stays_no_incident() -> None:
    assert incident("L'expert passera le 24/11/2026 pour voir la toiture.") is None


# --- Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Nous intervenons pour notre client, M. Olivier Dewaele, preneur d'assurance de la police "
            "incendie PI 0771 3380.\nVéronique Delmotte",
            "Cabinet Delmotte Courtage <sinistres@delmotte-courtage.example>",
            "Olivier Dewaele",
        ),
        (
            "Je vous envoie le constat pour mon fils, Lucas Ferreira, titulaire du contrat Auto Jeune.\n"
            "Ana Ferreira",
            "Ana Ferreira <ana.ferreira@laposte.example>",
            "Lucas Ferreira",
        ),
        (
            "I'm writing about my son, Tom Harding, the policyholder, who crashed the car.\nSue Harding",
            "Sue Harding <sue.harding@mail.example>",
            "Tom Harding",
        ),
    ],
)
def test_the_policyholder_a_broker_or_a_parent_names(body: str, sender: str, name: str) -> None:
    assert written_for(body, sender) == name


def test_a_widow_signs_her_own_name() -> None:
    body = "Bonjour,\nLa tôle du toit est tombée.\nMerci\nMme veuve Hoarau Marie-Claude\n0692 34 81 07"
    assert name_of_mail(body, "HOARAU Marie-Claude <mc.hoarau974@orange.example>") == "Marie-Claude Hoarau"


# --- Plates, postcodes, sums ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("he reversed into me in the countdown carpark on the 2nd. my car is NQT482", "NQT482"),
        ("my comp car insurance is policy SA-CAR-7710893, car is S418BKW. do I pay", "S418BKW"),
        ("ma voiture c est la Megane immatriculee E F 227 B K le pare choc est fendu", "EF-227-BK"),
        ("Ma voiture est GH-552-XT depuis l'an dernier.", "GH-552-XT"),
    ],
)
def test_a_plate_said_to_be_the_car_or_spelled_out(text: str, plate: str) -> None:
    assert value_in(text, "vehicle_plate") == plate


def test_a_car_said_to_be_a_year_has_no_plate() -> None:
    assert value_in("my car is 2019 and the insurance went up", "vehicle_plate") is None


@pytest.mark.parametrize(
    ("text", "code", "country"),
    [
        (
            "Regards,\nR. Venkatesh\nNo. 14, 3rd Cross, BTM 2nd Stage, Bengaluru 560076\nMob: +91 99000 41827",
            "560076",
            "IN",
        ),
        ("C-4/118, Sector 11, Rohini, Delhi - 110085", "110085", "IN"),
        ("(21 Awaroa Road, Sunnyvale, Auckland 0612), it's parked on the driveway", "0612", "NZ"),
        ("Tegan O'Loughlin\n0433 902 184\nPlympton 5038", "5038", "NZ"),
    ],
)
def test_postcodes_of_indian_and_southern_address_lines(text: str, code: str, country: str) -> None:
    assert [(found.code, country in found.countries) for found in find_postcodes(text, "en")] == [
        (code, True)
    ]


@pytest.mark.parametrize(
    "text",
    ["I paid 2,450, 3 times, Total 125000", "Unit 1204\nthanks", "I moved to 12 Smith Street, in 2019, and"],
)
def test_sums_flats_and_years_are_no_such_postcodes(text: str) -> None:
    assert find_postcodes(text, "en") == []


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("Tow $214.20 + rental $171.50, so $385.70 altogether. Receipts attached.", "385.70", None),
        (
            "Dépannage 120,00 € et taxi 45,50 €, soit 165,50 € en tout. Merci de me rembourser.",
            "165.50",
            "EUR",
        ),
    ],
)
def test_a_sum_told_altogether_is_the_total(text: str, amount: str, currency: str | None) -> None:
    assert value_in(text, "total_amount") == amount
    if currency:
        assert value_in(text, "currency") == currency


@pytest.mark.parametrize(
    "text", ["facture n° 2026-AUD-3318 d'un montant de 1 980,00 €", "he gave me the reference RS-2026-00418."]
)
def test_a_currency_code_inside_a_reference_is_no_currency(text: str) -> None:
    assert all(money.currency in (None, "EUR") for money in find_money(text))
