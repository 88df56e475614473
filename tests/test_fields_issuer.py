"""The issuer of a document (`company`) and its address, read from the first page's layout."""

from __future__ import annotations

import pytest

from extractors.fields import extract_fields
from extractors.fields.issuer import find_issuer
from extractors.fields.text import fold
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def found(text: str, source: str = "attachment:doc.pdf#p1") -> dict[str, str]:
    fields = extract_fields([TextSource(source, text)], SETTINGS)
    return {name: fields[name].value for name in ("company", "address") if name in fields}


def test_letterhead_with_a_legal_form_gives_company_and_the_address_under_it() -> None:
    page = (
        "Plomberie Martin SARL\n12 rue des Lilas\n79000 Niort\nTél : 05 49 00 00 00\n\nFACTURE n° 2025-14\n"
    )
    assert found(page) == {"company": "Plomberie Martin SARL", "address": "12 rue des Lilas, 79000 Niort"}


def test_registration_number_between_name_and_address_is_left_out() -> None:
    page = (
        "KEDAI RUNCIT MAJU JAYA\n(123456-K)\nNO 5, JALAN MELATI 3,\n43000 KAJANG\n"
        "TEL : 03-1234 5678\nTOTAL 12.50\n"
    )
    assert found(page) == {
        "company": "KEDAI RUNCIT MAJU JAYA",
        "address": "NO 5, JALAN MELATI 3, 43000 KAJANG",
    }


def test_recipient_under_bill_to_is_never_the_issuer() -> None:
    page = (
        "INVOICE\nBill to:\nNorthwind Traders GmbH\nHauptstrasse 3\n10115 Berlin\n\n"
        "Total due 120.00 EUR\n\nBluebird Hosting Ltd, 4 Quay Street, Dublin 2\nVAT number: IE1234567T\n"
    )
    assert found(page) == {"company": "Bluebird Hosting Ltd", "address": "4 Quay Street, Dublin 2"}


def test_name_after_a_seller_label_is_the_issuer() -> None:
    page = (
        "VAT invoice no. 7/2025\nSeller:\nAtelier Nord\nul. Lipowa 4\n00-001 Warszawa\nBuyer:\nClient Corp\n"
    )
    assert found(page)["company"] == "Atelier Nord"


def test_ocr_misreadings_of_sdn_bhd_are_spelt_as_printed() -> None:
    assert find_issuer("TOKO BUKU ANGSANA SON BND\nLOT 3, JALAN API\n").name == "TOKO BUKU ANGSANA SDN BHD"


def test_document_titles_and_number_labels_are_not_companies() -> None:
    assert find_issuer("TAX INVOICE\nN° de contrat\nAUT-1234\n") is None


def test_trailing_registration_number_is_cut_from_the_name() -> None:
    assert (
        find_issuer("GREEN LEAF CAFE SDN BHD (998877-X)\n22, JALAN BUNGA\n").name == "GREEN LEAF CAFE SDN BHD"
    )


def test_mail_text_has_no_letterhead() -> None:
    assert found("Acme Widgets Ltd\n10 Main Street\nLondon", source="body") == {}


def test_only_the_first_page_is_read() -> None:
    assert found("Acme Widgets Ltd\n10 Main Street\nLondon", source="attachment:doc.pdf#p2") == {}


@pytest.mark.parametrize(
    "title",
    [
        "CONSTAT AMIABLE D'ACCIDENT AUTOMOBILE",
        "DÉCLARATION DE SINISTRE",
        "Report of loss",
        "ATTESTATION D'ASSURANCE",
    ],
)
def test_a_document_title_at_the_top_is_not_the_issuer(title: str) -> None:
    page = f"{title}\n\nNom : Martin\nAdresse : 3 rue des Lilas, 69003 Lyon\n"
    issuer = find_issuer(page)
    assert issuer is None or fold(issuer.name) != fold(title)


def found_on_page(text: str, layout: str) -> str | None:
    fields = extract_fields([TextSource("attachment:doc.pdf#p1", text, layout=layout)], SETTINGS)
    return fields["company"].value if "company" in fields else None


@pytest.mark.parametrize(
    ("text", "layout", "issuer"),
    [
        (
            "Facture 2025-118\nDésignation Montant\nPose de faïence 480,00\nTotal TTC 576,00\n"
            "Atelier Carrelage Morel\n8 rue des Tanneurs\n21000 Dijon",
            "Atelier Carrelage Morel\n8 rue des Tanneurs\n21000 Dijon\nFacture 2025-118\n"
            "Désignation      Montant\nPose de faïence     480,00\nTotal TTC     576,00",
            "Atelier Carrelage Morel",
        ),
        (
            "Invoice 2025-118\nDescription Amount\nTiling works 480.00\nTotal due 576.00\n"
            "Harbour Tiling Works\n8 Quay Street\nBristol BS1 4DJ",
            "Harbour Tiling Works\n8 Quay Street\nBristol BS1 4DJ\nInvoice 2025-118\n"
            "Description      Amount\nTiling works     480.00\nTotal due     576.00",
            "Harbour Tiling Works",
        ),
    ],
)
def test_the_letterhead_is_where_the_page_prints_it_not_where_the_text_layer_writes_it(
    text: str, layout: str, issuer: str
) -> None:
    assert found_on_page(text, "") != issuer
    assert found_on_page(text, layout) == issuer


@pytest.mark.parametrize(
    ("page", "issuer"),
    [
        (
            "Conseil et Formation\nMaison Verdier\n12 rue Colbert\n37000 Tours\n"
            "Facture n° 2025-31\nwww.maison-verdier.fr - contact@maison-verdier.fr",
            "Maison Verdier",
        ),
        (
            "Consulting and Training\nNorthfield Analytics\n12 King Street\nLeeds LS1 2HL\n"
            "Invoice no. 2025-31\nhttps://www.northfield-analytics.co.uk",
            "Northfield Analytics",
        ),
    ],
)
def test_the_name_its_web_site_or_mail_domain_spells_is_the_issuer(page: str, issuer: str) -> None:
    assert find_issuer(page).name == issuer


@pytest.mark.parametrize(
    ("page", "issuer"),
    [
        (
            "DUBOIS RENOVATION\nJean Dubois\n3 allée des Pins\n33600 Pessac\nFacture n° 2025-77\n"
            "Désignation Montant\nPeinture 900,00 €\nTotal TTC 1 080,00 €\nConditions de paiement : 30 jours\n"
            "Pénalités de retard : trois fois le taux légal\nPEINTURES AQUITAINE\n"
            "Siège social : 14 quai de Bacalan, 33300 Bordeaux\nSARL au capital de 8 000 € - RCS Bordeaux 512 345 678",
            "PEINTURES AQUITAINE",
        ),
        (
            "HOLLIS DESIGN\nAnna Hollis\n3 Mill Lane\nYork YO1 7EX\nInvoice 2025-77\n"
            "Description Amount\nPainting 900.00\nTotal due 1,080.00\nPayment within 30 days\n"
            "Late payments are charged at the statutory rate\nNORTHERN PAINTWORKS\n"
            "Registered office: 14 Wharf Road, Leeds LS2 7EE\nCompany number 01234567",
            "NORTHERN PAINTWORKS",
        ),
    ],
)
def test_the_name_above_the_trade_register_mentions_of_a_footer_is_the_issuer(page: str, issuer: str) -> None:
    assert find_issuer(page).name == issuer


@pytest.mark.parametrize(
    "page",
    [
        "Facture n° 2025-9\nCabinet Lemaire Associés\nÀ l'attention de M. Roux\n5 place Bellecour\n69002 Lyon\n",
        "Invoice no. 2025-9\nGreenway Logistics\nFor the attention of Mr Roe\n5 Dock Road\nLiverpool L3 4AA\n",
        "Factuur 2025-9\nHoutbouw Jansen\nT.a.v. dhr. de Vries\nKade 4\n3500 AB Utrecht\n",
    ],
)
def test_the_company_above_an_attention_line_is_the_recipient(page: str) -> None:
    assert find_issuer(page) is None


@pytest.mark.parametrize(
    "page",
    [
        # ruled section headings
        "=== Pièces détachées ===\nPare-brise 320,00 €\n--- Main d'oeuvre ---\nPose 1,5 h 96,00 €\n",
        "*** Spare Parts ***\nWindscreen £320.00\n--- Labour ---\nFitting 1.5 h £96.00\n",
        # the headings of an invoice's columns
        "Désignation Quantité Prix unitaire Montant\nFaïence murale 12 40,00 480,00\n",
        "Description Quantity Unit Price Amount\nWall tiles 12 40.00 480.00\n",
        "Artikel Beschreibung Menge Einzelpreis Betrag\nFliesen 12 40,00 480,00\n",
    ],
)
def test_section_and_column_headings_are_not_a_company(page: str) -> None:
    assert find_issuer(page) is None


@pytest.mark.parametrize(
    "after",
    [
        "+603-9130 2672",  # a bare phone number
        "Jel: 09-2163 2786",  # OCR's "Tel:"
        "T: 03-2093 7358 | F: 03-2093 7359",
        "Company Reg No. 7649644",  # "No. 7" is no house number here
        "05 Mar 2018 18:24",
        "2 X MILO 12.40",
        "Pay By: CASH",
    ],
)
def test_an_address_ends_before_phone_registration_date_item_and_label_lines(after: str) -> None:
    page = f"KEDAI MAJU SDN BHD\nNO 5, JALAN MELATI 3,\n43000 KAJANG\n{after}\nTHANK YOU\n"
    assert found(page)["address"] == "NO 5, JALAN MELATI 3, 43000 KAJANG"


@pytest.mark.parametrize("first", ["05 Mar 2018 18:24", "3 X 2.90 8.70 SR", "122703", "1. L'assuré"])
def test_a_date_an_item_a_bare_number_or_a_numbered_heading_does_not_start_an_address(first: str) -> None:
    page = f"KEDAI MAJU SDN BHD\n{first}\nCASHIER: ANN\n"
    assert "address" not in found(page)


def test_a_heading_is_placed_on_its_own_row_not_on_a_title_row_that_holds_the_same_word() -> None:
    text = (
        "Déclaration de sinistre\nMAV Assurances\nAssuré\nNom : X\nVéhicule\nDacia\nSinistre\nLieu : RD 941\n"
    )
    layout = text.replace("Nom : X", "Nom : X      Prénom : Y")
    assert find_issuer(text, layout).name == "MAV Assurances"


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("oT MEGAH RETAIL SDN BHD", "MEGAH RETAIL SDN BHD"),  # an OCR speck before the capitals
        ("99 SPEED MART 5/5 (519537: X)", "99 SPEED MART S/B"),
        ("AEON CO. (M) BRD", "AEON CO. (M) BHD"),
        ("Anzel Advertising (M) Sdn bad (788785-H}", "Anzel Advertising (M) Sdn BHD"),
        ("KEDAI_RUNCIT MAJU SDN BHD", "KEDAI RUNCIT MAJU SDN BHD"),  # a space read as "_"
    ],
)
def test_receipt_names_as_ocr_misreads_their_legal_form_and_registration(printed: str, name: str) -> None:
    page = f"{printed}\nLOT 5, JALAN MELATI 3,\n43000 KAJANG\nTEL: 03-1234 5678\n"
    assert found(page)["company"] == name


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("SYARIKAT MAJU\nHARDWARE (BANDAR\nBARU)SDN BHD", "SYARIKAT MAJU HARDWARE (BANDAR BARU) SDN BHD"),
        ("PERNIAGAAN JAYA (KLANG\nUTARA) SDN BHD", "PERNIAGAAN JAYA (KLANG UTARA) SDN BHD"),
    ],
)
def test_a_name_a_narrow_receipt_wraps_inside_its_brackets_is_read_whole(printed: str, name: str) -> None:
    page = f"{printed}\n822737-X\nNO. 17-G, JALAN SETIA INDAH\n40170 SHAH ALAM\nTEL: 03-1234 5678\n"
    assert found(page)["company"] == name


def test_a_brand_line_above_a_name_with_its_own_brackets_is_not_joined_to_it() -> None:
    page = "TEALIVE\nOTTOGO ENTERPRISE (KEPONG) SDN BHD\nNO. 1, JALAN KEPONG\n52100 KUALA LUMPUR\n"
    assert found(page)["company"] == "OTTOGO ENTERPRISE (KEPONG) SDN BHD"
