"""The policyholder, beside the writer, when someone writes for them (issue 12, batch 6): a spouse
in whose name the contract is, a lawyer, a broker, a guardian, a carer, a son with a power of
attorney. The customer (`customer_name`) is the one who writes; whom they write for is the
`policyholder`. French and English, and what is no such thing."""

from __future__ import annotations

import pytest
from conftest import name_of_mail, writer_and_policyholder, written_for

from rpa.config import ParsingSettings

SETTINGS = ParsingSettings()


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Bonjour,\nle contrat est au nom de mon époux, Karim Haddad, je vous écris pour lui.\n"
            "Le dossier 26-S-4471 n'avance pas.\n\nCordialement,\nLeïla Haddad",
            "Leïla Haddad <leila.h@mail.example>",
            "Karim Haddad",
        ),
        (
            "Madame, Monsieur,\nle contrat habitation a été souscrit par ma femme, Chantal Mercier, qui "
            "signe aussi ce courrier. Nous le résilions.\n\nBien à vous,\nPaul et Chantal Mercier",
            "Paul Mercier <p.mercier@mail.example>",
            "Chantal Mercier",
        ),
        (
            "Bonjour,\nc'est ma compagne, Inès Roy, qui en est la titulaire. Couvre-t-il le ski ?\n\n"
            "Merci,\nHugo Lenoir",
            "Hugo Lenoir <hugo@mail.example>",
            "Inès Roy",
        ),
        (
            "Hello,\nI look after the affairs of my father, Mr Dennis Cole, who holds your home policy "
            "HP-44120.\nPlease send his post to me.\n\nRegards,\nSarah Cole",
            "Sarah Cole <sarah.cole@mail.example>",
            "Dennis Cole",
        ),
        (
            "Hi,\nthe cover was taken out by my husband, Graham Lowe, so please call him.\n\nThanks,\nJo Lowe",
            "Jo Lowe <jo@mail.example>",
            "Graham Lowe",
        ),
    ],
)
def test_the_relative_the_contract_belongs_to_is_the_policyholder_and_the_writer_the_customer(
    body: str, sender: str, name: str
) -> None:
    assert written_for(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Dear Sirs,\nThis firm represents Mr. Victor Huang in connection with claim HO-26-5512.\n"
            "Please respond within fourteen days.\n\nYours faithfully,\n\nAmelia Stone, Esq.\nStone & Reyes LLP",
            "Amelia Stone <astone@law.example>",
            "Victor Huang",
        ),
        (
            "Good morning,\nWe act as brokers for Mrs Petra Lindqvist, policy ref HF/22019/PL.\n\n"
            "Kind regards,\nTom Heald Cert CII\nAccount Executive",
            "Tom Heald <tom@brokers.example>",
            "Petra Lindqvist",
        ),
        (
            "Madame, Monsieur,\nJ'interviens en qualité de conseil de Mme Sandrine Poulain, titulaire du "
            "contrat AUTO-44120.\n\nJe vous prie d'agréer mes salutations distinguées.\n\nJulien Vasse\nAvocat",
            "Maître Julien Vasse <jv@avocats.example>",
            "Sandrine Poulain",
        ),
        (
            "Madame, Monsieur,\nchargée de la mesure de tutelle de M. Émile BRIAND, je vous adresse les pièces "
            "demandées.\n\nCordialement,\nAgnès Morel\nMandataire judiciaire",
            "Agnès Morel <a.morel@udaf.example>",
            "Émile Briand",
        ),
        (
            "Hello,\nI am a support worker and I visit Mrs Edna Platt three times a week. Her kitchen ceiling "
            "is leaking.\n\nKind regards,\nDawn Fisher",
            "Dawn Fisher <dawn@care.example>",
            "Edna Platt",
        ),
        (
            "Dear Sirs,\nI am the executor of the late Mr Walter Pugh and enclose the death certificate. "
            "Please cancel his home policy.\n\nYours faithfully,\nHelen Marsh",
            "Helen Marsh <helen@mail.example>",
            "Walter Pugh",
        ),
        (
            "Bonjour,\nje suis la fille de Mme Odile Brun, qui a 91 ans. Son toit fuit depuis hier.\n\n"
            "Cordialement,\nClaire Dumas",
            "Claire Dumas <claire.dumas@mail.example>",
            "Odile Brun",
        ),
        (
            "Dear Sir or Madam,\nPlease change the address on the policy.\n\nYours faithfully,\n"
            "Martin Drew\nAttorney for Ivy Drew",
            "Martin Drew <martin@mail.example>",
            "Ivy Drew",
        ),
    ],
)
def test_someone_acting_for_the_policyholder_gives_the_policyholder_name(
    body: str, sender: str, name: str
) -> None:
    assert written_for(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\nI represent the residents' association, not Mr Grey.\n\nKind regards,\nLucy Bell",
            "Lucy Bell <lucy@mail.example>",
            "Lucy Bell",
        ),
        (
            "Bonjour,\nla police est passée ce matin (PV n° 2026/4471).\n\nCordialement,\nAnne Giraud",
            "Anne Giraud <anne@mail.example>",
            "Anne Giraud",
        ),
    ],
)
def test_a_title_or_a_role_alone_names_no_policyholder(body: str, sender: str, name: str) -> None:
    assert name_of_mail(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Dear Sirs\n\nOur client: Mr Olusegun Adeyinka\nPolicy number: HB-LDN-00731942\n\n"
            "We act for Mr Adeyinka.\n\nYours faithfully\nJames Hartigan",
            "James Hartigan <j.hartigan@law.example>",
            "Olusegun Adeyinka",
        ),
        (
            "Maître,\n\nNotre cliente : Mme Véronique Lamarche\nContrat : MRH-44120\n\n"
            "Nous intervenons pour elle.\n\nCordialement,\nPaul Garnier",
            "Paul Garnier <p.garnier@avocats.example>",
            "Véronique Lamarche",
        ),
    ],
)
def test_a_client_named_after_a_label_in_a_lawyers_letter_is_the_policyholder(
    body: str, sender: str, name: str
) -> None:
    writer, policyholder = writer_and_policyholder(body, sender)
    assert policyholder == name
    assert writer == sender.split(" <")[0]  # the lawyer who writes


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hi team,\nplease find attached the documents on behalf of our landlord, Ms Bich Ngoc Tran "
            "(landlord policy LPV-0093-8812-M).\n\nKind regards,\nChloe Van Dyk",
            "Chloe Van Dyk <chloe@realty.example>",
            "Bich Ngoc Tran",
        ),
        (
            "Bonjour,\nje vous écris pour le compte de notre propriétaire, M. Hervé Castel, "
            "assuré chez vous.\n\nCordialement,\nAgence Immo Sud",
            "Agence Immo Sud <gestion@immosud.example>",
            "Hervé Castel",
        ),
        (
            "Good afternoon,\nThis office represents your insured, Mr. Darnell Ruiz, in connection with "
            "the collision.\n\nSincerely,\nAlicia Moreno",
            "Alicia Moreno <a.moreno@law.example>",
            "Darnell Ruiz",
        ),
    ],
)
def test_a_landlord_or_insured_named_by_who_acts_for_them_is_the_policyholder(
    body: str, sender: str, name: str
) -> None:
    assert written_for(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hi,\n\nThe policy is in my name (Melissa Kowalski), home and contents.\n\nMel",
            "Mel K <mel@x.example>",
            "Melissa Kowalski",
        ),
        (
            "Bonjour,\n\nLe contrat est à mon nom (Mélissa Kowalski), merci.\n\nMel",
            "Mel K <mel@x.example>",
            "Mélissa Kowalski",
        ),
    ],
)
def test_the_name_a_contract_is_in_given_in_brackets_is_the_customers(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\n\nI'm writing on behalf of my wife, the policy is in her name (Gemma Thwaite) but she's "
            "on nights this week.\n\nThanks\nRob Thwaite",
            "Rob Thwaite <rob@mail.example>",
            "Gemma Thwaite",
        ),
        (
            "Bonjour,\n\nJe vous écris pour ma femme, le contrat est à son nom (Gemma Thwaite).\n\nRob Thwaite",
            "Rob Thwaite <rob@mail.example>",
            "Gemma Thwaite",
        ),
        (
            "Good afternoon,\n\nI'm the office manager. The policy is in Dr. Ramon Castillo's name, he owns the "
            "building.\n\nYolanda Ferris",
            "Yolanda Ferris <y@dental.example>",
            "Ramon Castillo",
        ),
        (
            "Bonjour,\n\nJe vous écris de la part de mon père, Henri Vasseur, assuré chez vous.\n\nJulien Vasseur",
            "Julien Vasseur <j@mail.example>",
            "Henri Vasseur",
        ),
    ],
)
def test_the_name_the_contract_is_in_said_by_another_is_the_policyholder(
    body: str, sender: str, name: str
) -> None:
    assert written_for(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "writer", "holder"),
    [
        (
            "Bonjour,\nPourriez-vous rembourser cette somme sur le compte de mon père ?\n"
            "IBAN : FR76 1558 9085 1204 4719 0213 578\nTitulaire : M. Lucien Gaborit\n\nMerci d'avance,\n"
            "Franck Gaborit\n06 30 58 17 92",
            "Franck Gaborit <franck.gaborit@bbox.example>",
            "Franck Gaborit",
            "Lucien Gaborit",
        ),
        (
            "Hello,\nplease pay the refund into my mother's account.\nPolicyholder: Mrs Edna Platt\n"
            "\nKind regards,\nDawn Fisher",
            "Dawn Fisher <dawn@mail.example>",
            "Dawn Fisher",
            "Edna Platt",
        ),
    ],
)
def test_a_holder_named_after_a_label_in_a_mail_is_the_policyholder_not_the_writer(
    body: str, sender: str, writer: str, holder: str
) -> None:
    assert writer_and_policyholder(body, sender) == (writer, holder)


def test_a_forms_holder_is_the_customer_when_no_one_else_is_named() -> None:
    body = "Bonjour,\nle camion a été accroché.\n\nAssuré        Frédéric Lemaire\nContrat       AU-22014\n\nMerci,\nFred"
    assert name_of_mail(body, "Transports Lemaire <contact@lemaire.example>") == "Frédéric Lemaire"
