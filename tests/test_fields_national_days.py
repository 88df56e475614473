"""The incident's day as customers abroad tell it: public holidays of their country
("on Veterans Day", "le jour de la fête nationale"), a weekday a week further back ("the
Tuesday before last"), dates of digits with the month first in the United States, and words
of harm and of a trip that did not happen. French and English."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import incident_in

from extractors.fields.national_days import find_national_days
from rpa.config import ParsingSettings

SETTINGS = ParsingSettings()
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=-5)))


def incident(text: str, language: str, received: date | datetime = WEDNESDAY) -> str | None:
    return incident_in(text, received, language=language)


# --- public holidays -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        (
            "Hello,\nI was rear-ended on Veterans Day at the light on S Lamar.\nBobby\n"
            "4106 Menchaca Rd\nAustin TX 78704",
            "en",
            "2026-11-11",
        ),
        (
            "Hello,\nit happened on Thanksgiving Monday: water in the basement.\n"
            "58 Brimorton Dr, Scarborough ON M1P 2K8",
            "en",
            "2026-10-12",
        ),
        (
            "Bonjour,\nle jour de la fête nationale, des pétards ont brûlé notre haie.\n"
            "Rue Haute 40\n1000 Bruxelles",
            "fr",
            "2026-07-21",
        ),
        (
            "Bonjour,\nle jour de la fête nationale, des pétards ont brûlé notre haie.\n"
            "14 rue des Lilas\n44000 Nantes",
            "fr",
            "2026-07-14",
        ),
    ],
)
def test_a_holiday_of_the_customers_country_is_its_day(text: str, language: str, day: str) -> None:
    assert incident(text, language) == day


@pytest.mark.parametrize(
    ("text", "country", "day"),
    [
        ("on independence day", "NG", date(2026, 10, 1)),
        ("on independence day", "US", date(2026, 7, 4)),
        ("on gandhi jayanti", "", date(2026, 10, 2)),
        ("on labour day itself", "NZ", date(2026, 10, 26)),
        ("a la fete du travail", "CA", date(2026, 9, 7)),
        ("on st. stephen's day", "IE", date(2025, 12, 26)),
    ],
)
def test_holidays_fall_on_their_countrys_day(text: str, country: str, day: date) -> None:
    assert [found.value for found in find_national_days(text, WEDNESDAY.date(), country)] == [day]


@pytest.mark.parametrize("text", ["on independence day", "on thanksgiving", "le jour de la fete nationale"])
def test_a_holiday_of_several_countries_names_no_day_without_the_country(text: str) -> None:
    assert list(find_national_days(text, WEDNESDAY.date(), "")) == []


def test_a_day_named_twice_in_a_sentence_is_still_its_only_day() -> None:
    text = (
        "Hi,\nI need to report a claim. Yesterday was Thanksgiving and my husband fried the turkey. The fryer "
        "tipped over and the "
        "oil caught fire.\n2217 Kenwick Rd, Columbus, OH 43221"
    )
    assert incident(text, "en", datetime(2026, 11, 27, 8, 41, tzinfo=timezone(timedelta(hours=-5)))) == (
        "2026-11-26"
    )


# --- a week further back ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("My bicycle was stolen on the Tuesday before last in front of the library.", "en"),
        ("My bicycle was stolen on Tuesday last week in front of the library.", "en"),
        ("Mon vélo a été volé mardi de la semaine dernière devant la bibliothèque.", "fr"),
    ],
)
def test_a_weekday_of_the_week_before_is_a_week_further_back(text: str, language: str) -> None:
    assert incident(text, language) == "2026-11-17"


# --- the month first -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        ("Hi,\nthe date of loss is 11/3/2026.\n2217 Kenwick Rd, Columbus, OH 43221", "en", "2026-11-03"),
        ("Hi,\nthe date of loss is 11/3/2026.\n12 Leith Walk, Edinburgh EH6 8NP", "en", "2026-03-11"),
        (
            "Bonjour,\ndate du sinistre : 11/3/2026.\n9 rue Saint-Paul, Montréal QC H2Y 1G8",
            "fr",
            "2026-03-11",
        ),
    ],
)
def test_in_the_united_states_the_month_comes_first(text: str, language: str, day: str) -> None:
    assert incident(text, language) == day


# --- words of harm ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        (
            "I want to claim for my hotel. My flight on Friday 6th November was cancelled at the gate "
            "and the next seat they could give me was two days later.",
            "en",
            "2026-11-06",
        ),
        (
            "Je demande le remboursement de l'hôtel. Mon vol du vendredi 6 novembre a été annulé à "
            "l'embarquement.",
            "fr",
            "2026-11-06",
        ),
        (
            "Je déclare un sinistre. Hier, pendant la cérémonie au monument aux morts, le flexible du "
            "lave-vaisselle a lâché.",
            "fr",
            "2026-11-24",
        ),
        (
            "I want to make a claim. Yesterday, while we were at the parade, the washing machine hose gave way "
            "and the kitchen flooded.",
            "en",
            "2026-11-24",
        ),
        ("bonsoir\n3eme mail pour mon degat des eaux du 2 octobre, toujours rien recu.", "fr", "2026-10-02"),
        (
            "some idiots were letting off rockets on bonfire night and one came thru our window, glass "
            "everywhere and a scorch mark on the carpet",
            "en",
            "2026-11-05",
        ),
        (
            "des jeunes tiraient des fusées à la Saint-Sylvestre et une est entrée par la fenêtre, le rideau "
            "est roussi",
            "fr",
            "2025-12-31",
        ),
    ],
)
def test_words_of_harm_date_the_incident(text: str, language: str, day: str) -> None:
    assert incident(text, language) == day


# --- "ce lundi", told in the past ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Je déclare le vol de mon vélo. Je l'ai laissé ce lundi devant la gare et le soir il n'y avait "
            "plus que l'antivol.",
            "fr",
        ),
        (
            "I want to report the theft of my bike. I parked it this Monday outside the station and in the "
            "evening there was nothing left but the lock.",
            "en",
        ),
    ],
)
def test_this_monday_after_a_verb_in_the_past_is_the_monday_gone_by(text: str, language: str) -> None:
    assert incident(text, language) == "2026-11-23"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Je déclare le vol de mon vélo. Je passerai à l'agence ce lundi avec la plainte.", "fr"),
        ("I want to report the theft of my bike. Can I bring the police report this Monday?", "en"),
    ],
)
def test_this_monday_told_otherwise_names_no_day(text: str, language: str) -> None:
    assert incident(text, language) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Bonjour,\nje vous envoie le constat. Pour vous remettre dans le contexte : mardi, jour du marché, "
            "j'ai reculé sur la place en même temps qu'un autre monsieur. Mon pare-chocs est fendu et son feu "
            "est cassé.",
            "fr",
        ),
        (
            "Hello,\nhere is the accident form. Just to give you the context: on Tuesday, market day, I backed out "
            "of my space at the same time as another driver. My bumper is cracked and his light is broken.",
            "en",
        ),
    ],
)
def test_a_day_that_opens_a_tale_after_a_colon_dates_the_harm_told_next(text: str, language: str) -> None:
    assert incident(text, language) == "2026-11-24"
