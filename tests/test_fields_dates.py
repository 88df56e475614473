"""Dates: written forms in French and English, and which date is which."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.fields import find_candidates, normalise_date
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def dates_in(text: str, source: str = "body", settings: ParsingSettings = SETTINGS) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field in find_candidates(TextSource(source, text), settings):
        if field.name in ("incident_date", "invoice_date"):
            found.setdefault(field.name, []).append(field.value)
    return found


@pytest.mark.parametrize(
    "written",
    [
        "14 mars 2025",
        "le 14/03/2025",
        "14.03.2025",
        "14-03-2025",
        "2025-03-14",
        "14/03/25",
        "vendredi 14 mars 2025",
        "14 MARS 2025",
        "14 Mar 2025",
        "March 14, 2025",
        "March 14 2025",
        "14th March 2025",
        "14th of March 2025",
        "Mar 14th, 2025",
        "14-Mar-25",
        "14/MAR/2025",
        "2025/03/14",
    ],
)
def test_normalise_date_reads_french_and_english_written_forms(written: str) -> None:
    assert normalise_date(written) == date(2025, 3, 14)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1er avril 2025", date(2025, 4, 1)),
        ("9 April 2025", date(2025, 4, 9)),
        ("April 9, 2025", date(2025, 4, 9)),
        ("9th April 2025", date(2025, 4, 9)),
        ("lundi 3 mars 2025", date(2025, 3, 3)),
        ("3 févr. 2025", date(2025, 2, 3)),
        ("3 fév 2025", date(2025, 2, 3)),
        ("15 août 2024", date(2024, 8, 15)),
        ("15 aout 2024", date(2024, 8, 15)),
        ("1 déc. 2024", date(2024, 12, 1)),
        ("12 sept. 2024", date(2024, 9, 12)),
        ("August 3 , 2014", date(2014, 8, 3)),
        ("7. Mai 2014", date(2014, 5, 7)),
    ],
)
def test_normalise_date_reads_month_names_abbreviations_and_ordinals(written: str, expected: date) -> None:
    assert normalise_date(written) == expected


@pytest.mark.parametrize(
    "impossible", ["31/02/2025", "45/13/2024", "29/02/2025", "00/01/2025", "31/04/2025", "31 février 2025"]
)
def test_normalise_date_rejects_impossible_dates(impossible: str) -> None:
    assert normalise_date(impossible) is None


@pytest.mark.parametrize("without_year", ["14 mars", "le 14/03", "March 14", "à 18h", "2025", "rien"])
def test_normalise_date_needs_day_month_and_year(without_year: str) -> None:
    assert normalise_date(without_year) is None


def test_normalise_date_reads_day_first_by_default() -> None:
    assert normalise_date("03/04/2025") == date(2025, 4, 3)


def test_normalise_date_reads_month_first_when_told() -> None:
    assert normalise_date("03/04/2025", day_first=False) == date(2025, 3, 4)


def test_normalise_date_reads_a_date_that_only_works_month_first() -> None:
    assert normalise_date("03/14/2025") == date(2025, 3, 14)


def test_normalise_date_puts_two_digit_years_in_the_closest_century() -> None:
    assert normalise_date("14/03/25") == date(2025, 3, 14)
    assert normalise_date("14/03/85") == date(1985, 3, 14)


def test_day_first_setting_reaches_the_finder() -> None:
    month_first = ParsingSettings(day_first=False)
    found = dates_in("Accident survenu le 03/04/2025.", settings=month_first)
    assert found == {"incident_date": ["2025-03-04"]}


@pytest.mark.parametrize(
    "sentence",
    [
        "Je vous déclare un sinistre survenu le 14 mars 2025 à mon domicile.",
        "Le dégât des eaux s'est produit le 14/03/2025 dans la cuisine.",
        "Date du sinistre : 14/03/2025",
        "Suite à l'accident du 14.03.2025, mon véhicule est immobilisé.",
        "Le 14 mars 2025, ma voiture a été volée devant chez moi.",
        "Un incendie s'est déclaré dans le garage le 14/03/2025.",
        "The accident occurred on 14 March 2025 on the A6.",
        "Date of loss: 2025-03-14",
        "My car was stolen on March 14, 2025 outside my house.",
        "There was water damage on 14/03/2025 in the kitchen.",
        "Accident on 14th March 2025.",
        "The accident happened on Friday 14 March 2025 at around 5pm.",
    ],
)
def test_date_near_incident_words_is_the_incident_date(sentence: str) -> None:
    assert dates_in(sentence) == {"incident_date": ["2025-03-14"]}


@pytest.mark.parametrize(
    "line",
    [
        "Facture n° FA-2025-0193 du 14/03/2025",
        "Date de facture : 14 mars 2025",
        "Date d'émission : 14/03/2025",
        "Invoice date: 14 March 2025",
        "Issued 14/03/2025",
    ],
)
def test_date_near_invoice_words_is_the_invoice_date(line: str) -> None:
    assert dates_in(line, source="attachment:facture.pdf#p1") == {"invoice_date": ["2025-03-14"]}


def test_bare_date_label_on_an_invoice_is_the_invoice_date() -> None:
    page = "FACTURE\nGarage Martin\nDate : 14/03/2025\nTotal TTC 450,00 €"
    assert dates_in(page, source="attachment:facture.pdf#p1") == {"invoice_date": ["2025-03-14"]}


def test_unlabelled_date_on_a_receipt_is_its_date_with_low_confidence() -> None:
    receipt = "SUPERMARCHE DU CENTRE\n14/03/2025 10:22\nPAIN 1,20\nTOTAL 1,20"
    [field] = [
        f
        for f in find_candidates(TextSource("attachment:ticket.jpg#p1", receipt), SETTINGS)
        if f.name == "invoice_date"
    ]
    assert field.value == "2025-03-14"
    assert field.confidence <= 0.5


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date   29/12/201711:41", "2017-12-29"),
        ("Date :16-03-201812:07:10", "2018-03-16"),
        ("Promoter:00   09/05/20181:12:43 PM", "2018-05-09"),
    ],
)
def test_a_receipt_date_with_its_time_glued_on_by_ocr_is_read(line: str, expected: str) -> None:
    receipt = f"KEDAI RUNCIT MAJU SDN BHD\n{line}\nROTI 2.50\nTOTAL 2.50"
    assert dates_in(receipt, source="attachment:receipt.jpg#p1") == {"invoice_date": [expected]}


@pytest.mark.parametrize("text", ["Ref 12/03/20251234", "Code 12/03/2025123:45"])
def test_digits_glued_to_a_year_that_are_no_time_make_no_date(text: str) -> None:
    assert dates_in(text, source="attachment:receipt.jpg#p1") == {}


@pytest.mark.parametrize(
    "text",
    [
        "Je serai absent jusqu'au 14/03/2025.",
        "Bonjour, pouvez-vous me rappeler avant le 14 mars 2025 ?",
        "I will be on holiday from 14 March 2025.",
        "Date : 14/03/2025",
    ],
)
def test_date_without_incident_words_in_a_mail_is_not_a_field(text: str) -> None:
    assert dates_in(text) == {}


@pytest.mark.parametrize(
    "envelope",
    [
        "Le lun. 14 mars 2025 à 10:12, Service Sinistres <sinistres@assureur.fr> a écrit :\n> Votre sinistre",
        "On Fri, Mar 14, 2025 at 10:12 AM, Claims <claims@insurer.co.uk> wrote:\n> about the accident",
        "De : Service Sinistres\nEnvoyé : vendredi 14 mars 2025 10:12\nObjet : Votre sinistre",
        "From: Claims\nSent: 14 March 2025 10:12\nSubject: Your accident claim",
        "Le 14 mars 2025 à 10:12, Jean Dupont <jean.dupont@example.fr>\na écrit :\n> accident",
    ],
)
def test_dates_of_mail_headers_and_reply_attributions_are_not_fields(envelope: str) -> None:
    assert dates_in(envelope, source="quoted") == {}


def test_due_date_and_billing_period_of_an_invoice_are_not_its_date() -> None:
    page = (
        "FACTURE N° FA-2025-0193\n"
        "Date de facture : 14/03/2025\n"
        "Date d'échéance : 14/04/2025\n"
        "Période du 01/02/2025 au 28/02/2025\n"
    )
    assert dates_in(page, source="attachment:facture.pdf#p1") == {"invoice_date": ["2025-03-14"]}


def test_date_of_a_past_declaration_is_not_the_incident_date() -> None:
    text = "Le dégât des eaux est survenu le 14/03/2025. J'ai déclaré le sinistre le 20/03/2025."
    assert dates_in(text) == {"incident_date": ["2025-03-14"]}


def test_date_after_declaring_a_claim_now_is_the_incident_date() -> None:
    text = "Je vous déclare un sinistre : le 14 mars 2025, ma voiture a été percutée sur le parking."
    assert dates_in(text) == {"incident_date": ["2025-03-14"]}


def test_day_name_between_cue_and_date_keeps_the_date_labelled() -> None:
    text = "Le sinistre est survenu le vendredi 14 mars 2025."
    [field] = find_candidates(TextSource("body", text), SETTINGS)
    assert (field.name, field.value, field.confidence) == ("incident_date", "2025-03-14", 0.9)


def test_labelled_incident_date_is_more_confident_than_one_read_from_the_sentence() -> None:
    labelled, in_sentence = (
        find_candidates(TextSource("body", text), SETTINGS)[0]
        for text in (
            "Date du sinistre : 14/03/2025",
            "Le sinistre dont je vous parlais a touché la cuisine le 14/03/2025",
        )
    )
    assert labelled.confidence >= 0.9
    assert in_sentence.confidence < labelled.confidence


def test_impossible_date_near_incident_words_is_never_reported() -> None:
    assert dates_in("Accident survenu le 31/02/2025.") == {}


def test_date_field_keeps_the_text_it_was_read_from() -> None:
    [field] = find_candidates(TextSource("body", "Accident survenu le 1er avril 2025."), SETTINGS)
    assert (field.value, field.raw, field.source) == ("2025-04-01", "1er avril 2025", "body")


def test_date_a_car_was_sold_is_not_an_incident_date() -> None:
    dates = dates_in(
        "I sold the car on 3 March 2025, please cancel the policy after the accident file closes."
    )
    assert "incident_date" not in dates
