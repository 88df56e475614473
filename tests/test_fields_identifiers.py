"""Identifiers: policy, claim and invoice numbers, bank details, registrations, postcodes."""

from __future__ import annotations

import pytest

from extractors.fields.extract import (
    ReferenceFinder,
    ReferenceKind,
    extract_fields,
    find_candidates,
    normalise_iban,
    normalise_plate,
    normalise_postcode,
    normalise_siret,
    normalise_vat,
)
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def values(text: str, source: str = "body") -> dict[str, str]:
    return {name: field.value for name, field in extract_fields([TextSource(source, text)], SETTINGS).items()}


def candidates(text: str, name: str, source: str = "body") -> list[str]:
    return [f.value for f in find_candidates(TextSource(source, text), SETTINGS) if f.name == name]


# --- policy, claim and invoice numbers -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("N° de contrat : AUT-4587-2291", "policy_number", "AUT-4587-2291"),
        ("Contrat n°AUT-4587-2291", "policy_number", "AUT-4587-2291"),
        ("Numéro de contrat: 0045872291", "policy_number", "0045872291"),
        ("Police n° 12345678", "policy_number", "12345678"),
        ("N° de police : mrh-778899", "policy_number", "MRH-778899"),
        ("N° adhérent : 778899", "policy_number", "778899"),
        ("Sociétaire n° 99-1234", "policy_number", "99-1234"),
        ("Policy number: POL/2024/5567", "policy_number", "POL/2024/5567"),
        ("Policy No. 5567-AB", "policy_number", "5567-AB"),
        ("Policy #: 88213", "policy_number", "88213"),
        ("Nº de contrat : AUT-4587-2291.", "policy_number", "AUT-4587-2291"),
        ("N o de contrat: 12345", "policy_number", "12345"),
        ("votre contrat d'assurance habitation n° HAB-2291-77", "policy_number", "HAB-2291-77"),
        ("Numéro de police :    MRH 123456", "policy_number", "MRH 123456"),
        ("My policy number is POL-448812 and", "policy_number", "POL-448812"),
        ("Mon numéro de contrat est le 12345678.", "policy_number", "12345678"),
        ("Dossier : SIN-2025-00412", "claim_number", "SIN-2025-00412"),
        ("N° de dossier 2025/00412", "claim_number", "2025/00412"),
        ("Sinistre n° 00412", "claim_number", "00412"),
        ("N° de sinistre : S25-00412", "claim_number", "S25-00412"),
        ("Référence sinistre : 2025-00412", "claim_number", "2025-00412"),
        ("Claim number: CLM-77812", "claim_number", "CLM-77812"),
        ("Claim ref: CLM/2025/0042.", "claim_number", "CLM/2025/0042"),
        ("Your reference: 88-1290-X", "claim_number", "88-1290-X"),
        ("Facture n° FA-2025-0193", "invoice_number", "FA-2025-0193"),
        ("N° de facture : 2025-0193", "invoice_number", "2025-0193"),
        ("Numéro de facture 20250193", "invoice_number", "20250193"),
        ("Invoice No. INV-001234", "invoice_number", "INV-001234"),
        ("Invoice number: 42183017", "invoice_number", "42183017"),
        ("Invoice #: A-1029", "invoice_number", "A-1029"),
        ("Invoice No : # BLR_WFLD20151000982590", "invoice_number", "BLR_WFLD20151000982590"),
        ("Receipt No. 00871", "invoice_number", "00871"),
        ("Reçu n° 5543", "invoice_number", "5543"),
        ("Rechnungsnummer: 2019-4411", "invoice_number", "2019-4411"),
        ("Factuurnummer: 771200334", "invoice_number", "771200334"),
        ("Faktura nr 55/2020", "invoice_number", "55/2020"),
        ("Rechnung Nr. 2025-0871", "invoice_number", "2025-0871"),
        ("Factuur nr. 2025/118", "invoice_number", "2025/118"),
        ("Factura n.º A-2025-0042", "invoice_number", "A-2025-0042"),
        ("Número de factura: 000318", "invoice_number", "000318"),
        ("Order ID\nQX7731", "invoice_number", "QX7731"),
        ("Booking ID: HTL55021", "invoice_number", "HTL55021"),
    ],
)
def test_labelled_reference_numbers_are_read_upper_case_and_trimmed(text: str, name: str, value: str) -> None:
    fields = extract_fields([TextSource("body", text)], SETTINGS)
    assert fields[name].value == value
    assert fields[name].confidence >= 0.8


@pytest.mark.parametrize("gap", ["\n", " :\n", "\n   ", "          "])
def test_reference_value_may_sit_on_the_next_line_or_far_right_in_a_table(gap: str) -> None:
    assert values(f"N° de contrat{gap}AUT-4587-2291\n", source="attachment:avenant.pdf#p1") == {
        "policy_number": "AUT-4587-2291"
    }


def page(text: str, layout: str) -> dict[str, str]:
    """Fields of a PDF's first page: its text layer and the same page as printed."""
    source = TextSource("attachment:facture.pdf#p1", text, layout=layout)
    return {name: field.value for name, field in extract_fields([source], SETTINGS).items()}


@pytest.mark.parametrize(
    ("text", "layout", "value"),
    [
        (
            "Facture n°\nDate\nGarage du Centre\n2025-0118\n12/03/2025",
            "Garage du Centre\nFacture n°    2025-0118\nDate          12/03/2025",
            "2025-0118",
        ),
        (
            "Invoice number\nInvoice date\nHarbour Tools Ltd\nHT-55120\n12 March 2025",
            "Harbour Tools Ltd\nInvoice number    HT-55120\nInvoice date      12 March 2025",
            "HT-55120",
        ),
    ],
)
def test_invoice_number_printed_beside_its_label_is_read_from_the_page_layout(
    text: str, layout: str, value: str
) -> None:
    assert "invoice_number" not in values(text, source="attachment:facture.pdf#p1")
    assert page(text, layout)["invoice_number"] == value


@pytest.mark.parametrize(
    ("header", "row", "value"),
    [
        (
            "Client        Facture n°       Date          Échéance",
            "C-0042        2025-0118        12/03/2025    12/04/2025",
            "2025-0118",
        ),
        (
            "Customer      Invoice No.      Date          Due date",
            "C-0042        HT-55120         12/03/2025    12/04/2025",
            "HT-55120",
        ),
    ],
)
def test_invoice_number_under_a_header_cell_is_read_from_its_column(
    header: str, row: str, value: str
) -> None:
    # The text layer gives the header's last cells and then the row: "Date Échéance\nC-0042 ..."
    text = f"{header.split()[0]}\n{' '.join(header.split()[1:])}\n{' '.join(row.split())}"
    assert "invoice_number" not in values(text, source="attachment:facture.pdf#p1")
    assert page(text, f"{header}\n{row}")["invoice_number"] == value


@pytest.mark.parametrize(
    ("text", "layout", "misread", "value"),
    [
        (
            "Client Facture\nCL-7781 2025-0118",
            "Client       Facture\nCL-7781      2025-0118",
            "CL-7781",
            "2025-0118",
        ),
        (
            "Customer Invoice\nCU-7781 HT-55120",
            "Customer     Invoice\nCU-7781      HT-55120",
            "CU-7781",
            "HT-55120",
        ),
    ],
)
def test_the_column_under_a_label_beats_the_next_line_of_the_text_layer(
    text: str, layout: str, misread: str, value: str
) -> None:
    assert values(text, source="attachment:facture.pdf#p1")["invoice_number"] == misread
    assert page(text, layout)["invoice_number"] == value


@pytest.mark.parametrize(
    "text",
    [
        "Votre contrat d'assurance ne couvre pas ce sinistre.",
        "My claim was rejected last week.",
        "Policy holder: John Smith",
        "Le dossier est complet, la facture suit.",
        "Facture du 14/03/2025",
        "Sinistre survenu le 14.03.2025",
        "Facture de 1450 €",
        "Facture 1 842,50 €",
        "Dossier 06 12 34 56 78",
        "Police 0612345678",
        "Dossier AB-123-CD",
        "Sinistre 2024",
        "Contrat 75011 Paris",
        "Référence client : voir ci-dessous",
        "the invoice date: 12/03/2025",
    ],
)
def test_label_not_followed_by_an_identifier_gives_no_reference(text: str) -> None:
    found = values(text)
    assert not {"policy_number", "claim_number", "invoice_number"} & set(found)


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("je rappelle la référence AUT-4587-2291 de mon véhicule", "policy_number", "AUT-4587-2291"),
        ("Concerne HAB-2291-77", "policy_number", "HAB-2291-77"),
        ("Suite SIN-2025-00412, pas de nouvelles", "claim_number", "SIN-2025-00412"),
        ("CLM-2025-0042 is still open", "claim_number", "CLM-2025-0042"),
        ("Ci-joint FA-2025-0193", "invoice_number", "FA-2025-0193"),
        ("see INV2025-0042 attached", "invoice_number", "INV2025-0042"),
    ],
)
def test_prefix_names_the_kind_of_an_unlabelled_reference(text: str, name: str, value: str) -> None:
    fields = extract_fields([TextSource("body", text)], SETTINGS)
    assert fields[name].value == value


def test_reference_known_only_by_its_prefix_is_less_sure_than_a_labelled_one() -> None:
    shape = extract_fields([TextSource("body", "Concerne AUT-4587-2291")], SETTINGS)["policy_number"]
    labelled = extract_fields([TextSource("body", "Contrat n° AUT-4587-2291")], SETTINGS)["policy_number"]
    assert 0.5 <= shape.confidence <= 0.7 < labelled.confidence


@pytest.mark.parametrize("text", ["aut-4587-2291", "XYZ-4587-2291", "AUTO-2025", "SIN-12", "ABS-2025"])
def test_unlabelled_value_without_a_known_prefix_is_no_reference(text: str) -> None:
    assert values(f"Voir {text} merci") == {}


def test_a_user_defined_reference_kind_is_read_by_its_own_labels_and_prefix() -> None:
    finder = ReferenceFinder([ReferenceKind("member_number", ("membre", "member"), ("MBR",))])
    text = "N° de membre : 88-123, référence 4567, voir MBR-2025-9"
    found = [(f.name, f.value) for f in finder.find(TextSource("body", text), SETTINGS)]
    assert found == [("member_number", "88-123"), ("member_number", "MBR-2025-9")]


def test_generic_reference_label_takes_the_kind_its_prefix_names() -> None:
    assert values("Référence : FA-2025-0193") == {"invoice_number": "FA-2025-0193"}


def test_words_between_label_and_number_do_not_steal_another_kinds_number() -> None:
    assert values("Dossier de la facture n° FA-2025-0193") == {"invoice_number": "FA-2025-0193"}


def test_subject_with_claim_and_policy_numbers_gives_both() -> None:
    assert values("Sinistre SIN-2025-00412 - contrat AUT-4587-2291", source="subject") == {
        "claim_number": "SIN-2025-00412",
        "policy_number": "AUT-4587-2291",
    }


# --- IBAN and BIC -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "compact"),
    [
        ("FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("fr7630006000011234567890189", "FR7630006000011234567890189"),
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("FR76 10107 00245 00617052317 39", "FR7610107002450061705231739"),
    ],
)
def test_normalise_iban_gives_the_compact_upper_case_form(written: str, compact: str) -> None:
    assert normalise_iban(written) == compact


@pytest.mark.parametrize(
    "invalid",
    [
        "FR76 3000 6000 0112 3456 7890 188",  # bad checksum
        "FR76 3000 6000 0112 3456 7890 18",  # wrong length for France
        "FR76 3000 6000 0112 3456 7890 1890",  # wrong length for France
        "XX82 WEST 1234 5698 7654 32",  # no such country
        "GB82 WEST 1234 5698 7654 33",
    ],
)
def test_invalid_iban_is_not_reported(invalid: str) -> None:
    assert normalise_iban(invalid) is None
    assert candidates(f"IBAN : {invalid}", "iban") == []


@pytest.mark.parametrize(
    "text",
    [
        "IBAN : FR76 3000 6000 0112 3456 7890 189",
        "Mon IBAN est FR76 3000 6000 0112 3456 7890 189, merci.",
        "IBAN\nFR7630006000011234567890189\n",
        "Virement sur FR76 3000 6000 0112 3456 7890 189 BIC BNPAFRPP",
        "IBAN : FR76 3000 6000 0112\n3456 7890 189\nBIC : BNPAFRPP",  # wrapped onto the next line
        "IBAN:  FR76  3000  6000  0112  3456  7890  189",  # wide spacing
        "IBAN FR76 3000 6000 0112 3456 7890 189\n12 rue des Lilas",  # the checksum ends it
    ],
)
def test_iban_in_text_is_reported_compact(text: str) -> None:
    assert candidates(text, "iban") == ["FR7630006000011234567890189"]


@pytest.mark.parametrize(
    ("text", "bic"),
    [
        ("BIC : BNPAFRPPXXX", "BNPAFRPPXXX"),
        ("Code SWIFT: DEUTDEFF", "DEUTDEFF"),
        ("BIC/SWIFT deutdeff500", "DEUTDEFF500"),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 BNPAFRPP", "BNPAFRPP"),
        ("IBAN : GB82 WEST 1234 5698 7654 32, WESTGB2L", "WESTGB2L"),
        ("Bank details: IBAN GB82 WEST 1234\n5698 7654 32\nSWIFT: WESTGB2L", "WESTGB2L"),
    ],
)
def test_bic_is_read_after_its_label_or_right_after_an_iban(text: str, bic: str) -> None:
    assert values(text)["bic"] == bic


@pytest.mark.parametrize(
    "text", ["CORDIALEMENT DEUTDEFF", "MERCI BEAUCOUP", "BIC : BONJOURS", "ATTESTATION D'ASSURANCE"]
)
def test_capitalised_words_are_not_bics(text: str) -> None:
    assert "bic" not in values(text)


# --- SIRET, VAT number, number plate ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "siret"),
    [
        ("SIRET : 732 829 320 00074", "73282932000074"),
        ("Siret 73282932000074", "73282932000074"),
        ("N° SIRET: 732.829.320.00074", "73282932000074"),
        ("Garage Martin - 732 829 320 00074 - RCS Niort", "73282932000074"),
    ],
)
def test_siret_is_reported_as_fourteen_digits(text: str, siret: str) -> None:
    assert values(text)["siret"] == siret


@pytest.mark.parametrize("text", ["SIRET : 732 829 320 00075", "SIRET 73282932000071", "SIREN : 732 829 320"])
def test_luhn_invalid_siret_or_a_siren_alone_is_not_reported(text: str) -> None:
    assert "siret" not in values(text)


def test_normalise_siret_checks_the_luhn_key() -> None:
    assert normalise_siret("732 829 320 00074") == "73282932000074"
    assert normalise_siret("732 829 320 00075") is None


@pytest.mark.parametrize(
    ("text", "vat"),
    [
        ("TVA intracommunautaire : FR 40 303 265 045", "FR40303265045"),
        ("N° TVA : FR40303265045 - SIRET 303 265 045 00012", "FR40303265045"),
        ("VAT number: GB 980 7806 84", "GB980780684"),
        ("VAT No. DE136695976", "DE136695976"),
        ("USt-IdNr.: DE 136 695 976", "DE136695976"),
        ("N° de TVA intra communautaire: FR 604 219 388 61", "FR60421938861"),
        ("BTW NL810433941B01", "NL810433941B01"),
        ("Identifiant : FR40303265045", "FR40303265045"),
    ],
)
def test_vat_number_is_reported_compact_and_validated(text: str, vat: str) -> None:
    assert values(text)["vat_number"] == vat


@pytest.mark.parametrize("text", ["TVA : FR41303265045", "VAT number: DE136695977", "TVA 20 % : 200,00 €"])
def test_vat_number_failing_its_check_is_not_reported(text: str) -> None:
    assert "vat_number" not in values(text)


def test_normalise_vat_gives_none_for_an_invalid_number() -> None:
    assert normalise_vat("FR 40 303 265 045") == "FR40303265045"
    assert normalise_vat("FR 41 303 265 045") is None


@pytest.mark.parametrize(
    "text",
    [
        "Immatriculation : AB-123-CD",
        "Immatriculation : AB 123 CD",
        "véhicule immatriculé ab-123-cd",
        "Plaque: AB123CD",
        "N° d'immatriculation du véhicule : AB 123 CD",
        "Registration: AB-123-CD",
        "registration plate ab 123 cd",
        "Ma voiture AB-123-CD a été percutée.",
    ],
)
def test_number_plate_is_normalised_to_the_dashed_siv_form(text: str) -> None:
    assert values(text)["vehicle_plate"] == "AB-123-CD"


@pytest.mark.parametrize(
    "text",
    [
        "Le code AB 123 CD a été refusé.",  # without dashes, only after a label or a vehicle
        "Référence AB123CD",
        "Immatriculation : SS-123-AB",  # SS is not issued first
        "Immatriculation : WW-123-AB",  # WW is temporary
        "Immatriculation : AB-000-CD",
        "Immatriculation : AI-123-CD",  # no I, O or U
        "Immatriculation : AB-123-OU",
        "Référence FA-123-CD-9",
        "Le mot ABC-123-DEF",
    ],
)
def test_strings_that_are_not_siv_plates_are_not_reported(text: str) -> None:
    assert "vehicle_plate" not in values(text)


def test_normalise_plate_gives_none_for_excluded_series() -> None:
    assert normalise_plate("ef 456 gh") == "EF-456-GH"
    assert normalise_plate("AB-123-SS") is None


# --- postcodes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("Jean Dupont\n12 rue de la Paix\n75011 Paris\n", "75011"),
        ("12 rue de la Paix, 79000 Niort", "79000"),
        ("12 avenue du Prado 13008 MARSEILLE", "13008"),
        ("3 chemin des Vignes - 33000 Bordeaux", "33000"),
        ("Code postal : 69003", "69003"),
        ("CP: 97400 Saint-Denis", "97400"),
        ("BP 12\n75371 Paris Cedex 08", "75371"),
    ],
)
def test_french_postcode_on_an_address_line_is_reported(text: str, postcode: str) -> None:
    assert values(text)["postcode"] == postcode


@pytest.mark.parametrize(
    "text",
    [
        "Je vous réclame 12500 Euros",
        "Dossier SIN-2025-00412 Paris",
        "RIB : 30006 00001 12345678901 89",
        "IBAN FR76 3000 6000 0112 3456 7890 189",
        "Le contrat 12345 Habitation",
        "Nous avons 75011 Clients",
        "00123 Paris",
    ],
)
def test_five_digits_outside_an_address_are_not_a_postcode(text: str) -> None:
    assert "postcode" not in values(text)


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("Please send it to 10 Downing Street, London SW1A 2AA. Regards", "SW1A 2AA"),
        ("My address is 1 Main Road, London EC1A 1BB, thank you.", "EC1A 1BB"),
        ("Dear Sir, I live at 5 High Street, Manchester M1 1AE and my car was damaged.", "M1 1AE"),
    ],
)
def test_uk_postcode_in_english_text_is_reported_upper_case_with_one_space(text: str, postcode: str) -> None:
    assert values(text)["postcode"] == postcode


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("Mon adresse là-bas : 14/3 Marchmont Road, Edinburgh eh9 1hs\nMerci", "EH9 1HS"),
        ("New address:\n7 Tansy Way\nCambridge\ncb4 2yt\n\nThe car stays on the drive.", "CB4 2YT"),
        ("Flat 3, 18 Harcourt Street, Dublin 2, D02 X285\nPhone below.", "D02 X285"),
        ("Mon adresse à Cork : 4 Patrick Street, Cork T12 RX84\nCordialement", "T12 RX84"),
        ("Le bateau est au port de Paimpol (22500), ponton B.", "22500"),
        ("The boat is moored at Saint-Malo (35400) for the winter.", "35400"),
    ],
)
def test_a_postcode_ending_an_address_line_is_read_in_any_language_and_case(text: str, postcode: str) -> None:
    assert values(text)["postcode"] == postcode


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, la pièce ab1 2ab est cassée, merci de votre aide.",
        "J'ai payé (45000) fois trop, c'est une blague.",
        "I ordered the part w1 2ab from the catalogue, please check.",
    ],
)
def test_postcode_shapes_inside_a_sentence_are_not_postcodes(text: str) -> None:
    assert "postcode" not in values(text)


def test_uk_postcode_shape_in_french_text_is_not_reported() -> None:
    assert "postcode" not in values("Bonjour, voici la pièce AB1 2CD de mon dossier, merci de votre aide.")


@pytest.mark.parametrize(
    ("written", "postcode"),
    [("sw1a 1aa", "SW1A 1AA"), ("SW1A1AA", "SW1A 1AA"), ("75011", "75011"), ("d02x285", "D02 X285")],
)
def test_normalise_postcode(written: str, postcode: str) -> None:
    assert normalise_postcode(written) == postcode


def test_postcode_in_a_form_cell_after_an_address_label_is_reported() -> None:
    assert values("Code postal / Ville     31400 Toulouse")["postcode"] == "31400"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Devis n° DV-2025-0311 du garage", "DV-2025-0311"),
        ("Quote no. Q-88412", "Q-88412"),
        ("Réf. : facture. N° FA-2025-77", "FA-2025-77"),
    ],
)
def test_quotes_and_estimates_are_numbered_like_invoices(text: str, value: str) -> None:
    assert values(text)["invoice_number"] == value
