"""Which of the postcodes a mail writes is the customer's: the new address of one who
moves, and a Canadian code after its province in brackets."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from extractors.fields.extract import extract_fields
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def postcode(text: str, source: str = "body") -> str | None:
    found = extract_fields([TextSource(source, text)], SETTINGS).get("postcode")
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Je déménage en janvier.\nAncienne adresse : 12 rue des Lices, 35000 Rennes\n"
            "Nouvelle adresse : 4 allée des Tilleuls, 29200 Brest",
            "29200",
        ),
        (
            "We are moving in January.\nOld address: 14 Mill Lane, Leeds LS6 2AB\n"
            "New address: 3 Harbour Row, Whitby YO21 3PU",
            "YO21 3PU",
        ),
    ],
)
def test_the_new_address_of_a_customer_who_moves_gives_the_postcode(text: str, code: str) -> None:
    assert postcode(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "Pierre Gagnon\n220 rue Sherbrooke Ouest, Montréal (QC) H3A 1E5",
        "Pierre Gagnon\n220 Sherbrooke Street West, Montreal (QC) H3A 1E5",
    ],
)
def test_a_canadian_postcode_after_its_province_in_brackets_is_read(text: str) -> None:
    assert postcode(text, "signature") == "H3A 1E5"


def _sent_from(text: str, hours: int) -> str | None:
    sent = datetime(2026, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=hours)))
    found = extract_fields([TextSource("body", text, language="en")], SETTINGS, received=sent).get("postcode")
    return found.value if found else None


@pytest.mark.parametrize(
    "text",
    [
        "Mrs Deborah Kostopoulos\n9 Banksia St, Heidelberg 3084\nCall me on 0412 739 205",
        "policy is the home one, house at 27 Ryan St West End 3084\ncheers, Shaun (0412 739 205)",
    ],
)
def test_an_australian_address_without_its_state_ends_with_its_postcode(text: str) -> None:
    assert _sent_from(text, 11) == "3084"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a French town typed in small letters, ending an address that names its street
        ("je voudrais resilier\ncest le studio 6 rue des Carmes 31000 toulouse\nmerci", "31000"),
        ("jhabite au 12 rue de la paix 75002 paris, merci", "75002"),
        # a North American street and flat before the state and ZIP code
        ("Destiny Marquez\n1450 E Apache Blvd Apt 2114, Tempe AZ 85281\n480-329-1147", "85281"),
        ("Thanks,\nJo\n88 Lakeshore Pkwy, Madison WI 53703", "53703"),
    ],
)
def test_addresses_typed_in_small_letters_or_with_american_streets_give_their_postcode(
    text: str, code: str
) -> None:
    assert postcode(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "au 12 rue des Lilas, on m'a volé 31000 de bijoux hier",
        "au 12 rue des Lilas, on m'a volé pour 31000 euros.",
    ],
)
def test_a_sum_after_a_street_is_no_postcode(text: str) -> None:
    assert postcode(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Home policy HC-SA-5517204. 7 Fullarton Rd, Norwood 3084. 0419 223 805.",
        "Home & contents policy HC-QLD-2291740. We're in Kenmore 3084, phone 07 3378 2209.",
        "The house is insured with you. We live in Heidelberg 3084, call me on 0412 739 205.",
    ],
)
def test_an_australian_postcode_may_end_its_sentence_or_follow_where_the_customer_lives(text: str) -> None:
    assert _sent_from(text, 11) == "3084"


def test_four_digits_after_a_town_in_a_sentence_of_no_address_are_no_postcode() -> None:
    assert _sent_from("The roof repair in Kenmore cost 4069. Call me on 0412 739 205.", 11) is None


def test_four_digits_ending_a_line_that_opens_with_a_house_and_its_street_are_a_postcode() -> None:
    assert (
        _sent_from("Kind regards,\nH. Parata\n41 Highgate, Roslyn, Dunedin 9010\n027 551 0938", 13) == "9010"
    )
