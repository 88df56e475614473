"""extract_fields: one best value per field across the texts of a message."""

from __future__ import annotations

import pytest

from extractors.fields.extract import FINDERS, FieldFinder, extract_fields, find_candidates, source_rank
from rpa.config import ParsingSettings
from rpa.models import FIELD_NAMES, TextSource

SETTINGS = ParsingSettings()

FRENCH_CLAIM_BODY = """Bonjour,

Je vous contacte au sujet de mon contrat habitation n° HAB-2291-77.
Un dégât des eaux est survenu le 14 mars 2025 dans ma cuisine : une canalisation a cédé
pendant la nuit. Le plombier est passé le 17/03/2025 et m'a remis une facture
de 1 842,50 € que je vous réclame, déduction faite de ma franchise de 150 €.

Vous trouverez la facture en pièce jointe. Pour le remboursement, voici mon IBAN :
FR76 3000 6000 0112 3456 7890 189 (BIC BNPAFRPPXXX).

Vous pouvez me joindre au 06 12 34 56 78 ou par mail à jean.dupont.perso@example.fr.

Cordialement,
Jean DUPONT
12 rue de la Paix
75011 Paris
"""

ENGLISH_INVOICE_PAGE = """SMITH & SONS PLUMBING LTD
14 Baker Street, London W1U 3BW
VAT number: GB 980 7806 84
Tel: +44 20 7946 0958

INVOICE
Invoice No.: INV-2025-0417
Invoice date: 9 April 2025
Due date: 9 May 2025

Bill to: Mr John Smith, 22 Elm Road, London SE1 7PB
Claim ref: CLM-2025-0088

Description                      Qty   Unit price    Amount
Emergency call-out                 1       £95.00    £95.00
Replacement pipe section           2       £45.50    £91.00
Labour (hours)                     2       £50.00   £100.00

Subtotal                                           £286.00
VAT (20%)                                           £57.20
Total due                                          £343.20

Payment by bank transfer: IBAN GB82 WEST 1234 5698 7654 32, BIC WESTGB2L
"""

# An OCR'd till receipt: letters read as digits, columns squeezed, a stray apostrophe.
OCR_RECEIPT = """BRICO-DEPOT NIORT
ZI de Saint-Liguaire
79000 NIORT
SIRET 732 829 320 00074
Ticket n° 0042-7781   Caisse 3
Le 15/03/2025   11:42

TUYAU PER 16MM      2 x 12,90    25,80
RACCORD LAITON      4 x  3,45    13,80
MASTIC SILICONE          7,99     7,99
S0US-T0TAL H.T.                  39,74
TVA 20%                           7,85
T0TAL T.T.C.                     47,59 EUR
CB                               47,59
MERCI DE V0TRE VISITE'
"""


def values(fields) -> dict[str, str]:
    return {name: field.value for name, field in fields.items()}


def test_french_claim_mail_gives_the_facts_the_customer_wrote() -> None:
    sources = [
        TextSource("sender", "Jean Dupont"),
        TextSource("subject", "Déclaration de sinistre - dégât des eaux"),
        TextSource("body", FRENCH_CLAIM_BODY),
    ]
    fields = extract_fields(sources, SETTINGS, exclude_emails={"jean.dupont@example.fr"})
    assert values(fields) == {
        "policy_number": "HAB-2291-77",
        "incident_date": "2025-03-14",
        "total_amount": "1842.50",
        "currency": "EUR",
        "iban": "FR7630006000011234567890189",
        "bic": "BNPAFRPPXXX",
        "phone": "+33612345678",
        "email": "jean.dupont.perso@example.fr",
        "customer_name": "Jean Dupont",
        "postcode": "75011",
    }


def test_english_invoice_page_gives_its_invoice_facts() -> None:
    fields = extract_fields([TextSource("attachment:invoice.pdf#p1", ENGLISH_INVOICE_PAGE)], SETTINGS)
    assert values(fields) == {
        "invoice_number": "INV-2025-0417",
        "invoice_date": "2025-04-09",
        "claim_number": "CLM-2025-0088",
        "total_amount": "343.20",
        "currency": "GBP",
        "vat_number": "GB980780684",
        "phone": "+442079460958",
        "iban": "GB82WEST12345698765432",
        "bic": "WESTGB2L",
        "postcode": "W1U 3BW",
        "company": "SMITH & SONS PLUMBING LTD",
        "address": "14 Baker Street, London W1U 3BW",
    }


def test_noisy_ocr_receipt_still_gives_total_date_siret_and_postcode() -> None:
    fields = values(extract_fields([TextSource("attachment:ticket.jpg#p1", OCR_RECEIPT)], SETTINGS))
    assert fields["total_amount"] == "47.59"
    assert fields["currency"] == "EUR"
    assert fields["invoice_date"] == "2025-03-15"
    assert fields["siret"] == "73282932000074"
    assert fields["postcode"] == "79000"


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ("body", "quoted"),
        ("body", "attachment:facture.pdf#p1"),
        ("body", "subject"),
        ("subject", "signature"),
        ("signature", "attachment:scan.png#p2"),
        ("attachment:scan.png#p2", "sender"),
        ("sender", "quoted"),
    ],
)
def test_source_rank_orders_body_subject_signature_attachment_sender_quoted(better: str, worse: str) -> None:
    assert source_rank(better) < source_rank(worse)


def test_claim_number_in_the_body_beats_one_in_the_quoted_thread() -> None:
    sources = [
        TextSource("quoted", "> Votre dossier n° SIN-2024-00001 est clos."),
        TextSource("body", "Pour mon nouveau sinistre, dossier n° SIN-2025-00412."),
    ]
    assert extract_fields(sources, SETTINGS)["claim_number"].value == "SIN-2025-00412"


def test_date_in_the_body_beats_a_more_confident_one_in_an_attachment() -> None:
    sources = [
        TextSource("attachment:constat.pdf#p1", "Date du sinistre : 12/03/2025"),
        TextSource("body", "Ma voiture a été accrochée sur le parking, c'était le 14/03/2025 je crois."),
    ]
    field = extract_fields(sources, SETTINGS)["incident_date"]
    assert (field.value, field.source) == ("2025-03-14", "body")


def test_phone_in_the_signature_beats_a_phone_in_an_attachment() -> None:
    sources = [
        TextSource("attachment:facture.pdf#p1", "Garage Martin - Tél : 05 49 12 34 56"),
        TextSource("signature", "Jean Dupont\n06 12 34 56 78"),
    ]
    field = extract_fields(sources, SETTINGS)["phone"]
    assert (field.value, field.source) == ("+33612345678", "signature")


def test_within_a_source_the_more_confident_candidate_wins() -> None:
    text = "Concerne AUT-1111-2222.\nN° de contrat : AUT-3333-4444"
    assert extract_fields([TextSource("body", text)], SETTINGS)["policy_number"].value == "AUT-3333-4444"


def test_between_equally_confident_candidates_the_first_written_wins() -> None:
    text = "Contrat n° AUT-1111-2222 et contrat n° AUT-3333-4444"
    assert extract_fields([TextSource("body", text)], SETTINGS)["policy_number"].value == "AUT-1111-2222"


def test_attachment_text_is_trusted_a_little_less_than_typed_text() -> None:
    text = "N° de contrat : AUT-4587-2291"
    [typed] = find_candidates(TextSource("body", text), SETTINGS)
    [scanned] = find_candidates(TextSource("attachment:scan.pdf#p1", text), SETTINGS)
    assert scanned.confidence < typed.confidence


def test_display_name_is_used_when_no_signature_names_the_customer() -> None:
    sources = [TextSource("sender", "DUPONT Jean"), TextSource("body", "Bonjour, où en est mon dossier ?")]
    field = extract_fields(sources, SETTINGS)["customer_name"]
    assert (field.value, field.source) == ("Jean Dupont", "sender")


def test_display_name_is_read_only_as_a_name() -> None:
    assert extract_fields([TextSource("sender", "Jean Dupont 06 12 34 56 78")], SETTINGS) == {}


def test_company_display_name_gives_no_customer_name() -> None:
    assert "customer_name" not in extract_fields([TextSource("sender", "Garage Martin SARL")], SETTINGS)


def test_fields_keep_where_they_were_found_and_the_text_they_were_read_from() -> None:
    field = extract_fields([TextSource("subject", "Facture n° FA-2025-0193")], SETTINGS)["invoice_number"]
    assert (field.name, field.value, field.raw, field.source) == (
        "invoice_number",
        "FA-2025-0193",
        "FA-2025-0193",
        "subject",
    )


def test_find_candidates_lists_every_candidate_in_text_order() -> None:
    text = "Contrat n° AUT-1111-2222, accident survenu le 14/03/2025, contrat n° AUT-3333-4444"
    found = [(f.name, f.value) for f in find_candidates(TextSource("body", text), SETTINGS)]
    assert found == [
        ("policy_number", "AUT-1111-2222"),
        ("incident_date", "2025-03-14"),
        ("policy_number", "AUT-3333-4444"),
    ]


def test_empty_sources_give_no_fields() -> None:
    assert extract_fields([], SETTINGS) == {}
    assert extract_fields([TextSource("body", "Bonjour,\nMerci.")], SETTINGS) == {}


def test_every_registered_finder_satisfies_the_protocol_with_canonical_names() -> None:
    for finder in FINDERS:
        assert isinstance(finder, FieldFinder)
        assert set(finder.names) <= set(FIELD_NAMES)
    assert {name for finder in FINDERS for name in finder.names} == set(FIELD_NAMES)


def test_every_field_found_has_a_canonical_name_and_a_confidence_between_zero_and_one() -> None:
    sources = [
        TextSource("body", FRENCH_CLAIM_BODY),
        TextSource("attachment:invoice.pdf#p1", ENGLISH_INVOICE_PAGE),
        TextSource("attachment:ticket.jpg#p1", OCR_RECEIPT),
    ]
    for source in sources:
        for field in find_candidates(source, SETTINGS):
            assert field.name in FIELD_NAMES
            assert 0.0 <= field.confidence <= 1.0
            assert field.raw and field.raw in source.text
