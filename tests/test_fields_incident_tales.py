"""How customers tell the day of their loss when no label names it: a part of the day
between the verb and the date, a night across two days, a feast day, a weekday "gone",
a theft told by the finding, the harm told in the sentence after the day."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import incident_in

from rpa.config import ParsingSettings

SETTINGS = ParsingSettings()
THURSDAY = date(2026, 11, 19)  # the mails below were sent on Thursday 19 November 2026


def incident(text: str) -> str | None:
    return incident_in(text, THURSDAY)


@pytest.mark.parametrize(
    "text",
    [
        "The leak happened in the early hours of Saturday 7th November, and I rang your helpline on Monday 9th November.",
        "Le dégât des eaux s'est produit dans la matinée du samedi 7 novembre, et je l'ai signalé par téléphone le lundi 9 novembre.",
    ],
)
def test_a_part_of_the_day_between_the_incident_verb_and_its_date_keeps_the_date_the_incidents(
    text: str,
) -> None:
    assert incident(text) == "2026-11-07"


@pytest.mark.parametrize(
    "text",
    [
        "My motorbike was stolen from the garage on the night of the 10th into the 11th of November.",
        "Mon scooter a été volé dans le garage dans la nuit du 10 au 11 novembre.",
    ],
)
def test_a_night_across_two_days_is_dated_by_its_first(text: str) -> None:
    assert incident(text) == "2026-11-10"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("I've had no heating since Halloween, when the boiler burst.", "2026-10-31"),
        ("Des jeunes ont brisé ma vitre avec un pétard le soir d'Halloween.", "2026-10-31"),
    ],
)
def test_a_one_day_feast_names_the_day(text: str, day: str) -> None:
    assert incident(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "Friday gone, a branch fell on my conservatory roof and cracked two panes.",
        "Vendredi passé, une branche est tombée sur la véranda et a fendu deux vitres.",
    ],
)
def test_a_weekday_gone_is_the_last_one_before_the_mail(text: str) -> None:
    assert incident(text) == "2026-11-13"


@pytest.mark.parametrize(
    "text",
    [
        "Some bloke backed into my ute tuesday arvo outside the servo and dented the tray.",
        "Un camion a accroché mon rétroviseur mardi aprem sur le parking du magasin.",
    ],
)
def test_a_weekday_afternoon_in_everyday_words_is_a_day_gone_by(text: str) -> None:
    assert incident(text) == "2026-11-17"


@pytest.mark.parametrize(
    "text",
    [
        "I want to claim for my bike: it was chained outside the library at 9:00 on Monday 16 November and was gone when I came out.",
        "Je déclare un sinistre pour mon vélo : il était attaché devant la médiathèque le lundi 16 novembre à 9h et il n'était plus là à midi.",
    ],
)
def test_a_theft_told_by_finding_the_thing_gone_dates_the_incident(text: str) -> None:
    assert incident(text) == "2026-11-16"


@pytest.mark.parametrize(
    "text",
    [
        "Your agent was rude when I phoned about the flooded kitchen on 12 November.",
        "Votre conseiller a été désagréable quand j'ai appelé à propos de l'inondation de ma cave le 12 novembre.",
    ],
)
def test_a_call_about_a_loss_on_a_day_dates_the_loss(text: str) -> None:
    assert incident(text) == "2026-11-12"


@pytest.mark.parametrize(
    "text",
    [
        "My handbag was snatched in the high street on the 2nd of Nov. I phoned the bank and reported it that evening.",
        "On m'a volé mon sac dans la rue le 2 nov. J'ai appelé la banque et déclaré le vol le soir même.",
    ],
)
def test_a_months_dot_that_ends_the_sentence_keeps_the_next_sentence_out(text: str) -> None:
    assert incident(text) == "2026-11-02"


@pytest.mark.parametrize(
    "text",
    [
        "Re: your claim / escape of water on 03/11/2026\nPlease find our proposal below.",
        "Votre dossier / dégât des eaux du 03/11/2026\nVeuillez trouver notre proposition ci-dessous.",
    ],
)
def test_escape_of_water_is_a_loss_like_a_leak(text: str) -> None:
    assert incident(text) == "2026-11-03"


@pytest.mark.parametrize(
    "text",
    [
        "I wish to claim for my van. On Monday 16th November at about 8am it was parked outside the school. "
        "When I came back, someone had smashed the rear window.",
        "Je souhaite déclarer un sinistre. Le lundi 16 novembre vers 8h, la camionnette était garée devant l'école. "
        "À mon retour, la vitre arrière avait été brisée.",
    ],
)
def test_a_day_that_opens_a_tale_whose_next_sentence_tells_the_harm_is_the_incidents(text: str) -> None:
    assert incident(text) == "2026-11-16"


@pytest.mark.parametrize(
    "text",
    [
        "About my claim. On Monday 16th November I went to the post office.\n\nLater a lorry damaged my van on 12 November.",
        "Au sujet de mon sinistre. Le lundi 16 novembre je suis allé à la poste. Le 12 novembre, un camion a endommagé ma camionnette.",
    ],
)
def test_a_day_that_opens_a_tale_is_not_the_incidents_when_the_harm_comes_with_its_own_day(text: str) -> None:
    assert incident(text) == "2026-11-12"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Notre chien a été opéré en urgence jeudi à la clinique après avoir été mordu.", "2026-11-12"),
        ("A tile came off in the gale Tuesday night and smashed the conservatory roof.", "2026-11-17"),
    ],
)
def test_a_weekday_after_a_word_ending_like_ce_or_le_is_still_a_day_gone_by(text: str, day: str) -> None:
    assert incident(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "Mon chien a été mordu au parc dimanche passé. Le vétérinaire veut le revoir le 25/11 pour les points.",
        "My dog was bitten in the park last Sunday. The vet wants to see him again on 25/11 for the stitches.",
    ],
)
def test_a_day_without_its_year_a_few_days_after_the_mail_is_to_come_not_the_incident(text: str) -> None:
    assert incident(text) == "2026-11-15"


@pytest.mark.parametrize(
    "text",
    [
        "Je vous envoie le constat pour l'accident du 29.10 à Villeurbanne.",
        "Please find the police report for the accident on 29.10 in the station car park.",
    ],
)
def test_a_day_and_month_with_a_dot_after_du_or_on_is_a_day(text: str) -> None:
    assert incident(text) == "2026-10-29"


@pytest.mark.parametrize(
    "text",
    [
        "Ma voiture a été endommagée, la franchise est de 12.50 € le 12.50 %.",
        "My car was damaged; the excess went up on 2.50 and I paid it.",
    ],
)
def test_a_decimal_number_is_no_day(text: str) -> None:
    assert incident(text) is None
