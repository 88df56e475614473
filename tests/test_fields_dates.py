"""Dates: written forms in French and English, and which date is which."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.fields.extract import extract_fields, find_candidates, normalise_date
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


# --- Days told in the customer's words, resolved against the mail's date (issue 12) ----------
# The mail was received on Thursday 19 November 2026.

RECEIVED = date(2026, 11, 19)


def incident_told(*texts: str, received: date = RECEIVED) -> str | None:
    """The incident date of a mail whose body is `texts[0]` and whose quoted reply, if any,
    is `texts[1]`."""
    sources = [TextSource(kind, text) for kind, text in zip(("body", "quoted"), texts, strict=False)]
    found = extract_fields(sources, SETTINGS, received=received).get("incident_date")
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Samedi soir, un chauffard a percuté ma voiture garée dans la rue.", "2026-11-14"),
        ("On Saturday night somebody smashed the side window of my van.", "2026-11-14"),
        ("J'ai été hospitalisée le dimanche 15 pour une appendicite.", "2026-11-15"),
        ("My husband was hospitalised on Sunday the 15th after a fall.", "2026-11-15"),
        ("J'ai été licencié le vendredi 13, sans préavis ni entretien.", "2026-11-13"),
        ("I was dismissed on Friday the 13th without any warning.", "2026-11-13"),
    ],
)
def test_a_weekday_with_a_part_of_the_day_or_its_date_is_the_latest_such_day(text: str, value: str) -> None:
    assert incident_told(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Votre expert peut passer samedi matin pour voir les dégâts.",
        "Can your assessor come on Saturday morning to look at the damage?",
        # the 23rd before the mail is a Friday: "lundi 23" is the coming Monday
        "Le plombier vient lundi 23 réparer la fuite sous l'évier.",
        "The roofer comes on Monday the 23rd to mend the storm damage.",
    ],
)
def test_a_weekday_of_a_visit_or_one_to_come_is_no_incident_date(text: str) -> None:
    assert incident_told(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Dans la nuit de lundi à mardi, la tempête a arraché des tuiles du toit.", "2026-11-16"),
        ("During the night of Monday to Tuesday the storm tore several tiles off.", "2026-11-16"),
        ("Dans la nuit du dimanche 15 au lundi 16, notre cave a été inondée.", "2026-11-15"),
        ("Our car was broken into overnight on 15th-16th November.", "2026-11-15"),
        ("Cette nuit, des voleurs ont forcé la porte du garage.", "2026-11-18"),
    ],
)
def test_a_night_is_dated_by_its_first_day(text: str, value: str) -> None:
    assert incident_told(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ce matin, j'ai découvert que ma boîte aux lettres avait été forcée.", "2026-11-19"),
        ("Earlier today a van reversed into my parked car.", "2026-11-19"),
        ("Le lendemain de la Toussaint, je me suis fait une entorse en glissant.", "2026-11-02"),
        ("On Bonfire Night a firework set fire to our garden fence.", "2026-11-05"),
        ("Mon fils s'est cassé le bras le cinq novembre à l'école.", "2026-11-05"),
        ("He was admitted with a broken hip on the fifth of November.", "2026-11-05"),
        ("La fuite du 1er n'est toujours pas réparée.", "2026-11-01"),
        ("I spilled coffee on my laptop on the 8th and it no longer starts.", "2026-11-08"),
        ("Je me suis fait voler mon portefeuille hier dans le bus.", "2026-11-18"),
    ],
)
def test_days_named_in_words_are_resolved_against_the_mail_date(text: str, value: str) -> None:
    assert incident_told(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Pendant les vacances de la Toussaint, notre maison a été cambriolée.",
        "I received your letter this morning about the accident.",
        "Je vous ai écrit le 10, toujours pas de réponse pour mon sinistre.",
        "I wrote to you on the 10th about my claim and heard nothing.",
        "Vous m'avez prélevé la cotisation deux fois, le 5 et encore le 6.",
        "Suite à mon appel d'hier, voici la déclaration du vol de mon vélo.",
        "Further to my call yesterday, here is the claim form for the stolen bike.",
        "Nous avons emménagé le samedi 14 et la fuite a commencé peu après.",
        "Mon vol a été annulé ; la compagnie m'a remboursé le 10 novembre.",
        "The airline refunded my cancelled flight on 10 November.",
        "La voiture accidentée a été remorquée le 17 novembre.",
        "The damaged car was towed away on 17 November.",
    ],
)
def test_a_season_or_the_day_of_another_event_is_no_incident_date(text: str) -> None:
    assert incident_told(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("J'ai eu une couronne posée chez le dentiste le 3 novembre.", "2026-11-03"),
        ("The vet saw our cat on the 9th for an ear infection.", "2026-11-09"),
    ],
)
def test_the_day_of_care_is_the_incident_date_of_a_health_or_pet_claim(text: str, value: str) -> None:
    assert incident_told(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "Le rendez-vous chez le dentiste est prévu le 25 novembre.",
        "Our cat has an appointment with the vet on the 25th.",
    ],
)
def test_an_appointment_for_care_is_no_incident_date(text: str) -> None:
    assert incident_told(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Ma mère a été admise aux urgences le 12 novembre. Je demande le remboursement des frais.",
            "2026-11-12",
        ),
        (
            "My mother was admitted to hospital on 12 November. Please reimburse the costs.",
            "2026-11-12",
        ),
        (
            "Je vous déclare un dégât des eaux. Le 16 novembre, de l'eau a coulé du plafond.",
            "2026-11-16",
        ),
        ("I need to make a claim. My flight home was cancelled on 12 November by the airline.", "2026-11-12"),
        (
            "Je souhaite déclarer un sinistre. Dans la nuit de samedi à dimanche, des inconnus ont "
            "tagué toute notre façade.",
            "2026-11-14",
        ),
        (
            "I would like to make a claim. On the night of Saturday to Sunday someone sprayed graffiti "
            "all over our front wall.",
            "2026-11-14",
        ),
    ],
)
def test_in_a_claim_a_day_told_with_a_word_of_harm_or_care_or_as_a_night_is_the_incident(
    text: str, value: str
) -> None:
    assert incident_told(text) == value


@pytest.mark.parametrize(
    "text",
    [
        # no claim: a stay in hospital is news, not a loss
        "Ma mère a été admise aux urgences le 12 novembre.",
        "My mother was admitted to hospital on 12 November.",
        # two days in the sentence: which one is the loss?
        "Je demande un remboursement. Ma mère a été admise à l'hôpital le 12 novembre et en est "
        "sortie le 15 novembre.",
        "I am claiming for my mother. She was admitted to hospital on 12 November and went home "
        "on 15 November.",
        # an evening is no night: nothing befell the customer on it
        "Je vous déclare un sinistre. Mardi soir, je suis allé chez le garagiste pour faire un devis.",
        "I am making a claim. On Tuesday evening I took the car to the garage for a quote.",
    ],
)
def test_no_claim_two_days_or_an_evening_give_no_told_incident_date(text: str) -> None:
    assert incident_told(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Je déclare un dégât des eaux. Dans la nuit du 10 au 11, nous avons entendu de l'eau couler "
        "dans le mur. Hier, un morceau du plafond est tombé.",
        "I am reporting water damage. On the night of the 10th to the 11th we heard water running "
        "in the wall. Yesterday part of the ceiling fell down.",
    ],
)
def test_of_the_days_told_as_the_incident_the_first_is_kept(text: str) -> None:
    assert incident_told(text) == "2026-11-10"


@pytest.mark.parametrize(
    "text",
    [
        "Je pense que le vol a eu lieu mardi soir.",
        "I think it happened on Tuesday night but I am not sure.",
        "La maison a été cambriolée pendant notre absence, impossible de savoir quel jour. Nous "
        "l'avons découvert hier.",
        "Our house was burgled while we were away and we don't know when. We found it yesterday.",
        "Vers le 10 novembre, une fuite est apparue sous l'évier.",
        "The fence blew down in the storm the weekend of the 14th.",
    ],
)
def test_a_day_the_customer_is_not_sure_of_is_no_incident_date(text: str) -> None:
    assert incident_told(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Nous partons le 20 décembre, la police couvre-t-elle les accidents ?",
        "We fly out on 20 December; are accidents abroad covered?",
        "Le garage me rendra ma voiture le 25.",
        "The garage will return my car on the 25th.",
        "Le garage a rendu la voiture le 16, après l'accident.",
        "I got the car back from the garage on the 16th, after the accident.",
    ],
)
def test_a_day_to_come_or_after_the_incident_is_no_incident_date(text: str) -> None:
    assert incident_told(text) is None


@pytest.mark.parametrize(
    ("reply", "quoted"),
    [
        (
            "Voici les factures demandées.",
            "Vous nous avez déclaré le vol de votre vélo survenu le 12 novembre.",
        ),
        ("Receipts attached as asked.", "Thank you for reporting the theft of your bicycle on 12 November."),
    ],
)
def test_a_day_only_in_the_quoted_reply_of_the_insurer_is_read(reply: str, quoted: str) -> None:
    assert incident_told(reply, quoted) == "2026-11-12"


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("le cinq octobre 2026", 5),
        ("the fifth of October 2026", 5),
        ("le vingt-deux octobre 2026", 22),
        ("twenty-second October 2026", 22),
    ],
)
def test_normalise_date_reads_a_day_written_in_words(written: str, day: int) -> None:
    assert normalise_date(written) == date(2026, 10, day)
