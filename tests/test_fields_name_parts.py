"""The customer's name without what surrounds it (issue 12, batch 6): titles ("Chief (Mrs)",
"Brigadier (retd)", "Maître"), the letters after it ("OBE", "MB ChB FRCP", ", Esq.", "Cert
CII"), particles written as their bearer writes them ("ap", "s/o"), "Mc" in capitals, a
Chinese name in its own order, an Indian initial, a shortened given name, an address that
shortens the name, a holder's label in a column ("Policyholder  Daniel Pryce t/a ..."), a
header written family name first under a couple's signature. French and English."""

from __future__ import annotations

import pytest
from conftest import name_of_mail

from extractors.fields import normalise_person_name
from rpa.config import ParsingSettings

SETTINGS = ParsingSettings()


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Chief (Mrs) Ngozi Eze", "Ngozi Eze"),
        ("Colonel Harriet Blythe-Moss", "Harriet Blythe-Moss"),
        ("The Revd Canon Alan Whitfield", "Alan Whitfield"),
        ("Shri Anand Rao", "Anand Rao"),
        ("Maître Clémence Arnaud", "Clémence Arnaud"),
        ("Mme et M. Sylla, Fatou", "Fatou Sylla"),
        ("Cllr Bethan Rowlands", "Bethan Rowlands"),
        ("Herr Jonas Becker", "Jonas Becker"),
    ],
)
def test_titles_before_a_name_are_not_the_name(written: str, name: str) -> None:
    assert normalise_person_name(written) == name


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Dr Ewan Baird MB ChB FRCS(Glas)", "Ewan Baird"),
        ("Moira Kerr OBE", "Moira Kerr"),
        ("Daniel K. Osei, Esq.", "Daniel Osei"),
        ("Dr. Lakshmi Narayan, MD (Paed.)", "Lakshmi Narayan"),
        ("Fiona Grant Cert CII", "Fiona Grant"),
        ("Hervé Lacombe PhD", "Hervé Lacombe"),
        ("Nadia Farouk, Ph.D.", "Nadia Farouk"),
    ],
)
def test_letters_after_a_name_are_not_the_name(written: str, name: str) -> None:
    assert normalise_person_name(written) == name


def test_a_suffix_that_is_part_of_the_name_stays() -> None:
    assert normalise_person_name("Dwayne Lee Porter Jr.") == "Dwayne Lee Porter Jr."


def test_middle_initials_after_a_first_initial_are_left_out() -> None:
    assert normalise_person_name("Major (retd) P. D. Hollis-Grant MBE") == "P. Hollis-Grant"


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Gwilym ap Dafydd", "Gwilym ap Dafydd"),
        ("GWILYM AP DAFYDD", "Gwilym ap Dafydd"),
        ("Kumar s/o Rajendran", "Kumar s/o Rajendran"),
        ("ROISIN MCGRATH", "Roisin McGrath"),
        ("kevin mcbride", "Kevin McBride"),
        ("Rory Mcleod", "Rory Mcleod"),  # written so by its bearer
    ],
)
def test_particles_and_mc_keep_the_case_names_are_written_in(written: str, name: str) -> None:
    assert normalise_person_name(written) == name


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("LEUNG Wai Kit", "Leung Wai Kit"),
        ("CHEUNG Mei Ling, Joyce", "Joyce Cheung"),
        ("TRAORE Awa Mariam", "Awa Mariam Traore"),  # not a Chinese name: turned round
        ("BERTRAND Jean", "Jean Bertrand"),
    ],
)
def test_a_chinese_name_written_family_name_first_keeps_its_order(written: str, name: str) -> None:
    assert normalise_person_name(written) == name


def test_an_indian_initial_is_kept_where_the_customer_lives_in_india() -> None:
    body = (
        "Dear Sir,\nKindly note my new address for policy 2207/HLT/88412.\n\n"
        "Regards,\nSuresh V. Menon\nMob: +91 98450 77120\nKochi - 682016"
    )
    assert name_of_mail(body, "Suresh V. Menon <sv.menon@mail.example>") == "Suresh V. Menon"
    english = "Hi,\nplease update my address.\n\nThanks,\nOwen T. Parry\n07700 900 982"
    assert name_of_mail(english, "Owen T. Parry <owen@mail.example>") == "Owen Parry"


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\nplease cancel my travel policy TRV-20931.\n\nTunde Bakare-Cole",
            "Babatunde Bakare-Cole <tbc@mail.example>",
            "Babatunde Bakare-Cole",
        ),
        (
            "Bonjour,\nje résilie mon contrat auto AU-55120.\n\nAlex Morand",
            "Alexandre Morand <alex.morand@mail.example>",
            "Alexandre Morand",
        ),
    ],
)
def test_a_shortened_given_name_is_the_full_one_of_the_mail_header(body: str, sender: str, name: str) -> None:
    assert name_of_mail(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "bonjour\ntoujours pas de nouvelles pour le sinistre 26-S-44120\nmarion lefevre-da costa",
            "marion.ldc@mail.example",
            "Marion Lefevre-Da Costa",
        ),
        (
            "hi\nstill no word on claim CL-44120\njonathan price-williams",
            "jon.pw@mail.example",
            "Jonathan Price-Williams",
        ),
    ],
)
def test_a_lower_case_sign_off_is_the_name_the_address_shortens(body: str, sender: str, name: str) -> None:
    assert name_of_mail(body, sender) == name


def test_a_lower_case_line_the_address_does_not_spell_is_no_name() -> None:
    body = "bonjour\ntoujours rien pour le sinistre 26-S-44120\nmerci de me rappeler vite"
    assert name_of_mail(body, "marion.ldc@mail.example") is None


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\nthe van was hit in the yard.\n\nPolicyholder  Daniel Pryce t/a Pryce Roofing\n"
            "Policy        RF/CV/22014\n\nCheers,\nDan Pryce",
            "Pryce Roofing <office@pryce.example>",
            "Daniel Pryce",
        ),
        (
            "Bonjour,\nle camion a été accroché.\n\nAssuré        Frédéric Lemaire\nContrat       AU-22014\n\n"
            "Merci,\nFred",
            "Transports Lemaire <contact@lemaire.example>",
            "Frédéric Lemaire",
        ),
    ],
)
def test_a_holder_label_set_apart_in_a_column_names_the_customer_over_a_short_signature(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Madame, Monsieur,\nnotre cave a été inondée.\n\nSalutations,\n\nJosette et Bernard Caillaud",
            "Caillaud Bernard <b.caillaud@mail.example>",
            "Bernard Caillaud",
        ),
        (
            "Hello,\nour garage door was damaged.\n\nRegards,\nPenny and Graham Yates",
            "Yates Graham <gy@mail.example>",
            "Graham Yates",
        ),
        (
            "Bonjour,\nje résilie mon contrat.\n\nCordialement,\nM. Lacroix Benoît",
            "Benoît Lacroix <b.lacroix@mail.example>",
            "Benoît Lacroix",
        ),
    ],
)
def test_a_couple_signing_turns_round_a_header_written_family_name_first(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name
