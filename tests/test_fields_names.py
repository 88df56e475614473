"""The customer's name as people sign and write it (issue 13): an address with digits in it,
a phone on the name's line, a middle initial, an initial first and the family name second, a
role after a bar, a relative writing for the policyholder, a garage's mail passed on. French
and English always, and what must not be taken for the customer's name."""

from __future__ import annotations

import pytest
from conftest import make_mail, name_of_mail, written_for

from extractors.fields.extract import extract_fields, normalise_person_name
from extractors.mime import parse_message
from rpa.config import LimitSettings, ParsingSettings
from rpa.pipeline import text_sources

SETTINGS = ParsingSettings()


# --- A sender without a display name ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "slt\nla moto est vendue, je résilie\nmerci\ntheo garnier 06 11 22 33 44",
            "theo.garnier@free.example",
            "Theo Garnier",
        ),
        (
            "bonjour\nun accrochage ce matin\nnina roussel\n07 12 44 90 18",
            "nina.roussel85@orange.example",
            "Nina Roussel",
        ),
        (
            "hi\nwindscreen cracked again\n\ncheers\nowen price\n07700 900123",
            "o.price@mail.example",
            "Owen Price",
        ),
        (
            "hi\nplease cancel from friday\nmegan doyle 087 123 4567",
            "megan.doyle1990@mail.example",
            "Megan Doyle",
        ),
    ],
)
def test_an_address_spelt_by_a_line_names_the_sender_with_digits_and_initials_aside(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name


def test_a_line_with_other_words_than_the_address_names_nobody() -> None:
    body = "hi\nplease cancel\nowen price street 12"
    assert name_of_mail(body, "owen.price@mail.example") is None


# --- What stands beside a signed name -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("Bonjour,\nle pare-brise est fendu.\n\nCordialement\nAgnès Morin 06 48 22 19 70", "Agnès Morin"),
        ("Hello,\nthe boiler broke again.\n\nThanks\nGareth Evans +44 7700 900123", "Gareth Evans"),
        (
            "Hello,\nsee attached.\n\nKind regards,\nFiona\n\nFiona Walsh | Office Manager | Walsh Dental",
            "Fiona Walsh",
        ),
        (
            "Bonjour,\nci-joint la facture.\n\nBien à vous,\nSophie\n\nSophie Marchal | Gérante",
            "Sophie Marchal",
        ),
    ],
)
def test_a_phone_or_a_role_after_a_bar_is_left_off_the_signed_name(body: str, name: str) -> None:
    assert name_of_mail(body, "Client <client@example.fr>") == name


def test_a_reference_line_in_a_signature_is_no_name() -> None:
    body = "Bonjour,\nmerci pour tout.\n\nBien cordialement,\n\nPaul et Anne Collin\nContrat HAB 19 55 203"
    assert name_of_mail(body, "Paul Collin <paul.collin@example.fr>") == "Paul Collin"


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Samuel J. Whitaker", "Samuel Whitaker"),
        ("Anne-Marie L. Petit", "Anne-Marie Petit"),
        ("J. Smith", "J. Smith"),
        ("M. et Mme Garnier", None),
        ("Mr and Mrs Hughes", None),
    ],
)
def test_a_middle_initial_is_left_out_and_a_couple_is_no_one_name(written: str, name: str | None) -> None:
    assert normalise_person_name(written) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Dear Sir,\nany news on my claim?\n\nYours faithfully,\nK. Anand",
            "Anand Krishnan <ak@mail.example>",
            "Anand Krishnan",
        ),
        (
            "Madame,\nje relance.\n\nCordialement,\nD. Laurent",
            "Laurent Dubois <ld@mail.example>",
            "Laurent Dubois",
        ),
        (
            "Hello,\nplease call me.\n\nRegards,\nChen Liang",
            "Liang Chen <lchen@mail.example>",
            "Liang Chen",
        ),
    ],
)
def test_a_signature_with_an_initial_or_in_another_order_gives_way_to_the_sender_name(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name


# --- Someone writing for the policyholder ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\nI'm writing on behalf of my elderly father, Patrick Doyle, who holds the home policy.\n"
            "The roof leaks.\n\nThanks,\nCiara Doyle",
            "Ciara Doyle <ciara@mail.example>",
            "Patrick Doyle",
        ),
        (
            "Bonjour,\nje vous écris au nom de ma mère, Mme Odette Lambert, qui ne peut plus se déplacer.\n"
            "Son chauffe-eau a fui.\n\nCordialement,\nMarc Lambert",
            "Marc Lambert <marc.lambert@example.fr>",
            "Odette Lambert",
        ),
    ],
)
def test_a_relative_writing_for_the_policyholder_gives_the_policyholder_name(
    body: str, sender: str, name: str
) -> None:
    assert written_for(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Bonjour,\nje reçois du courrier au nom de M. Hugo Perrin, l'ancien locataire.\n\nAline Vidal",
            "Aline Vidal <aline.vidal@example.fr>",
            "Aline Vidal",
        ),
        (
            "Hello,\nletters keep coming on behalf of Mr Adam Kerr, who moved out.\n\nRuth Gallagher",
            "Ruth Gallagher <ruth@mail.example>",
            "Ruth Gallagher",
        ),
    ],
)
def test_someone_named_without_a_relative_is_not_whom_the_writer_speaks_for(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name


# --- A mail passed on by the customer who received it -----------------------------------------


@pytest.mark.parametrize(
    ("note", "forwarded_from", "name"),
    [
        (
            "Voici le devis du garage, pouvez-vous valider ?\n\nNadia",
            "Carrosserie Valette <devis@valette.example>",
            "Nadia Haddad",
        ),
        (
            "Here is the quote from the bodyshop, can they start?\n\nNadia",
            "Kelly Motors <quotes@kellymotors.example>",
            "Nadia Haddad",
        ),
        (
            "See what the adjuster sent me, I do not agree.\n\nNadia",
            "Brook Loss Adjusters <p.valette@brook-la.example>",
            "Nadia Haddad",
        ),
        (
            "Voici le rapport de l'expert, je le conteste.\n\nNadia",
            "Valette Expertises <p.valette@valette-exp.example>",
            "Nadia Haddad",
        ),
    ],
)
def test_a_mail_sent_to_the_customer_and_passed_on_leaves_the_customer_the_customer(
    note: str, forwarded_from: str, name: str
) -> None:
    body = (
        f"{note}\n\n---------- Forwarded message ---------\n"
        f"From: {forwarded_from}\n"
        "Date: Thu, 22 Oct 2026 at 15:47\n"
        "Subject: Devis / quote 2291\n"
        "To: Nadia Haddad <nadia.haddad@example.fr>\n\n"
        "Bonjour / Hello Nadia,\nle devis / the quote: 1 240 EUR.\n\nRegards,\nPierre Valette\n"
    )
    message = parse_message(
        make_mail(body, sender="Nadia Haddad <nadia.haddad@example.fr>"),
        source="m.eml",
        limits=LimitSettings(),
    )
    assert message.customer is not None and message.customer.email == "nadia.haddad@example.fr"
    found = extract_fields(text_sources(message), SETTINGS)["customer_name"]
    assert found.value == name


@pytest.mark.parametrize(
    ("note", "client"),
    [
        (
            "Bonjour, je vous transmets le message de ma cliente ci-dessous.\n\nMarc Dubreuil, courtier",
            "Sophie Lagarde <sophie.lagarde@example.fr>",
        ),
        ("Hello, please see my mother's message below.\n\nTom", "Ann Keogh <ann.keogh@example.ie>"),
    ],
)
def test_a_persons_mail_forwarded_by_whom_it_was_sent_to_stays_the_customers(note: str, client: str) -> None:
    body = (
        f"{note}\n\n---------- Forwarded message ---------\n"
        f"From: {client}\n"
        "Date: Thu, 22 Oct 2026 at 15:47\n"
        "Subject: Sinistre / claim\n"
        "To: Marc Dubreuil <marc@courtage-dubreuil.example>\n\n"
        "Bonjour / Hello,\nma voiture a été rayée / my car was scratched.\n"
    )
    message = parse_message(
        make_mail(body, sender="Marc Dubreuil <marc@courtage-dubreuil.example>"),
        source="m.eml",
        limits=LimitSettings(),
    )
    assert message.customer is not None and message.customer.email == client.split("<")[1].rstrip(">")


# --- A name given with initials, written in full elsewhere in the mail ------------------------


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\nstill no answer about the fence.\n\nRegards,\nK. Brennan\n\n"
            "> Dear Kieran Brennan,\n> we have received your claim.",
            "kb@mail.example",
            "Kieran Brennan",
        ),
        (
            "Bonjour,\nje soussignée Héloïse Marchand demande le remboursement des frais.\n\n"
            "Cordialement,\nH. Marchand",
            "hmarchand@mail.example",
            "Héloïse Marchand",
        ),
        (
            "Bonjour,\nvoici la facture du plombier.\n\nCordialement,\nCh. Rivière",
            "Charlotte Rivière <c.riviere@mail.example>",
            "Charlotte Rivière",
        ),
        (
            "Hello,\nplease find the receipts attached.\n\nBest,\nPaul V-M",
            "Paul Vance-Morrow <paul@mail.example>",
            "Paul Vance-Morrow",
        ),
        (
            "Bonjour,\nje résilie mon contrat moto.\n\nMerci\nJL Bertin",
            "Jean-Luc Bertin <jlb@mail.example>",
            "Jean-Luc Bertin",
        ),
    ],
)
def test_a_name_signed_with_initials_is_the_fuller_form_the_mail_gives(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\nthe photos are attached.\n\nThanks,\nT. Okafor",
            "T. Okafor <tamsin.okafor@mail.example>",
            "Tamsin Okafor",
        ),
        (
            "Bonjour,\nci-joint le devis.\n\nCordialement,\nE. FAURE",
            "elise.faure@mail.example",
            "Elise Faure",
        ),
    ],
)
def test_an_address_that_spells_the_initials_out_gives_the_full_name(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name


def test_another_person_with_the_same_initial_elsewhere_is_not_taken_for_the_signer() -> None:
    body = "Hello,\nmy neighbour Rachel Quinn saw it happen.\n\nRegards,\nR. Doherty"
    assert name_of_mail(body, "rd@mail.example") == "R. Doherty"


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Pádraig Ó Briain", "Pádraig Ó Briain"),
        ("Ó Dálaigh, Máire", "Máire Ó Dálaigh"),
        ("Paul R. Kane", "Paul Kane"),
    ],
)
def test_the_irish_o_is_a_word_of_the_name_not_a_middle_initial(written: str, name: str) -> None:
    assert normalise_person_name(written) == name


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\nour shed was broken into. The cover is in Ffion's name, not mine.\n\n"
            "Thanks,\nRhys & Ffion Morgan",
            "Rhys Morgan <rhys.morgan@mail.example>",
            "Ffion Morgan",
        ),
        (
            "Bonjour,\nle toit fuit. Le contrat est au nom de Camille, pas au mien.\n\n"
            "Cordialement,\nThomas et Camille Girard",
            "Thomas Girard <t.girard@mail.example>",
            "Camille Girard",
        ),
    ],
)
def test_a_couple_signing_together_names_the_one_the_policy_is_in_the_name_of(
    body: str, sender: str, name: str
) -> None:
    assert written_for(body, sender) == name


def test_a_given_name_the_mail_gives_no_family_name_for_changes_nothing() -> None:
    body = "Hello,\nthe policy is in Ffion's name.\n\nThanks,\nRhys Morgan"
    assert name_of_mail(body, "Rhys Morgan <rhys@mail.example>") == "Rhys Morgan"


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Hello,\nA moose ran into my truck last night.\n\nGerry Tobin\n(709) 745-2281",
            "Gerard Tobin <gtobin@nfld.example>",
            "Gerard Tobin",
        ),
        (
            "Bonjour,\nmon vélo a été volé hier soir devant la gare.\n\nDany Moreau\n06 12 44 87 21",
            "Daniel Moreau <d.moreau@mail.example>",
            "Daniel Moreau",
        ),
        (
            "Hello,\nMy name is TRAN Thi Mai (I use Mai Tran in Canada). Water came into the basement.\n\nMai Tran",
            "Mai Tran <mai.tran@north.example>",
            "Mai Tran",
        ),
    ],
)
def test_a_pet_form_of_the_headers_given_name_is_the_headers_fuller_one(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name


def test_two_people_of_one_family_whose_given_names_differ_stay_apart() -> None:
    body = "Hello,\nMy husband's car was hit in the car park yesterday.\n\nTom Ashworth"
    assert name_of_mail(body, "Gemma Ashworth <gemma@mail.example>") == "Tom Ashworth"


@pytest.mark.parametrize(
    ("body", "sender", "name"),
    [
        (
            "Bonsoir,\nVoici le devis du vitrier.\n\nNadia Benslimane\nL'Épicerie du Marché\n05 46 41 22 10",
            "Nadia Benslimane <epiceriedumarche17@gmail.example>",
            "Nadia Benslimane",
        ),
        (
            "Bonjour,\nMerci de m'envoyer l'attestation aujourd'hui.\n\nÉvelyne Charvet\nSecrétaire du Comité des "
            "fêtes\nContrat RC Associations n° RCA/11/2207\nMaison des associations, 69230 Saint-Genis-Laval\n"
            "07 84 62 10 35",
            "Comité des fêtes de Saint-Genis-Laval <comitedesfetes.sgl@gmail.example>",
            "Évelyne Charvet",
        ),
        (
            "Hello,\nplease send the certificate today.\n\nHelen Marsh\nTreasurer, Riverside Bowls Club\n"
            "Policy CLB/22/0418\n14 Mill Lane, Ludlow SY8 1BB\n01584 872 201",
            "Riverside Bowls Club <riversidebowls@gmail.example>",
            "Helen Marsh",
        ),
    ],
)
def test_a_shop_or_an_association_is_no_person_and_its_officer_signs_over_a_long_block(
    body: str, sender: str, name: str
) -> None:
    assert name_of_mail(body, sender) == name
