"""The customer's name without what surrounds it (issue 12, batch 6): titles ("Chief (Mrs)",
"Brigadier (retd)", "Maître"), the letters after it ("OBE", "MB ChB FRCP", ", Esq.", "Cert
CII"), particles written as their bearer writes them ("ap", "s/o"), "Mc" in capitals, a
Chinese name in its own order, an Indian initial, a shortened given name, an address that
shortens the name, a holder's label in a column ("Policyholder  Daniel Pryce t/a ..."), a
header written family name first under a couple's signature. French and English."""

from __future__ import annotations

import pytest
from conftest import name_of_mail

from extractors.fields.extract import normalise_person_name
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
        ("Dylan Da Silva", "Dylan Da Silva"),
        ("DYLAN DA SILVA", "Dylan da Silva"),
        ("sanne de vries", "Sanne de Vries"),
        ("Sanne de Vries", "Sanne de Vries"),
        ("Jan De Smet", "Jan De Smet"),  # a Flemish surname, capitalised by its bearer
        ("Jane Smith Née Jones", "Jane Smith née Jones"),
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


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Bonjour,\nci-joint mon RIB :\n\n  * Titulaire : Mme Sandrine Oukili née Perrin\n"
            "  * BIC : AGRVFRPP812\n\nCordialement,\nS. Oukili",
            "Sandrine Oukili <s.oukili@mail.example>",
            "Sandrine Oukili née Perrin",
        ),
        (
            "Hello,\nplease find the receipts attached.\nPolicyholder: Mrs Jane Smith née Jones\n\nRegards,\nJane",
            "Jane Smith <jane.smith@mail.example>",
            "Jane Smith née Jones",
        ),
        (  # someone else's maiden name does not make the sender's name longer
            "Bonjour,\nma mère, Brigitte Maréchal née Haas, est décédée.\nTitulaire : Jean-Pierre Maréchal\n\n"
            "Jean-Pierre Maréchal",
            "Jean-Pierre Maréchal <jp.marechal@mail.example>",
            "Jean-Pierre Maréchal",
        ),
    ],
)
def test_a_holder_signed_with_her_maiden_name_is_named_so_in_full(body: str, sender: str, name: str) -> None:
    """And "Titulaire :" labels the holder as "Assuré :" does."""
    assert name_of_mail(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender"),
    [
        (
            "New plate on the car from Sat: LK26 VFA. Policy MTR 7741 5520.\nTa, Gaz",
            "Gareth Pryce <g@mail.example>",
        ),
        ("hi can u add my son to the policy HX 2201 8841\nCheers, Mick", "Michael Doyle <m@mail.example>"),
        (
            "Bonjour, je change d'adresse au 1er mars, contrat 4410-2287.\nMerci, Phil",
            "Philippe Roux <p@mail.example>",
        ),
    ],
)
def test_a_closing_and_a_given_name_on_one_line_are_not_a_surname_and_a_name(body: str, sender: str) -> None:
    """ "Ta, Gaz" is thanks and a nickname, not "Gaz Ta" written surname first."""
    assert name_of_mail(body, sender) == sender.split(" <")[0]
