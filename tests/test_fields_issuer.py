"""The issuer of a document (`company`) and its address, read from the first page's layout."""

from __future__ import annotations

import pytest

from extractors.fields.extract import extract_fields
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


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("KEDAI BUKU MAJU\nCO. (M) SDN BHD", "KEDAI BUKU MAJU CO. (M) SDN BHD"),  # the form on its own line
        ("THE GREEN BEAN\n& TEA HOUSE (M) SDN. BHD.", "THE GREEN BEAN & TEA HOUSE (M) SDN. BHD."),
        ("LIAN HUAT VEGETARIAN\nRESTAURANT SDN BHD", "LIAN HUAT VEGETARIAN RESTAURANT SDN BHD"),
        ("KEDAI MAJU HARDWARE &\nELECTRICAL", "KEDAI MAJU HARDWARE & ELECTRICAL"),  # a line ends on "&"
        ("MAISON DUPUIS\nBOULANGERIE SARL", "MAISON DUPUIS BOULANGERIE SARL"),
        ("LES HALLES DE LA GARE &\nPRIMEURS", "LES HALLES DE LA GARE & PRIMEURS"),
    ],
)
def test_a_name_wrapped_before_its_legal_form_or_after_an_ampersand_is_read_whole(
    printed: str, name: str
) -> None:
    page = f"{printed}\n(822737-X)\nNO. 17-G, JALAN SETIA INDAH\n40170 SHAH ALAM\nTEL: 03-1234 5678\n"
    assert found(page)["company"] == name


def test_a_brand_over_a_company_with_a_name_of_its_own_is_not_joined_to_it() -> None:
    page = "SARANG CAFE\nTRENDYMAX (M) SDN. BHD.\n(822737-X)\nNO. 17-G, JALAN SETIA INDAH\n40170 SHAH ALAM\n"
    assert found(page)["company"] == "TRENDYMAX (M) SDN. BHD."


@pytest.mark.parametrize(
    "line",
    [
        "QTY UOM U.PRICE AMT AMT INC.",  # a till's column headings
        "DÉSIGNATION QTÉ P.U. MONTANT",
        "THANK YOU FOR SHOPPING WITH US",  # what the shop says to its customers
        "GOODS SOLD ARE NOT RETURNABLE, THANK YOU",
        "MERCI DE VOTRE VISITE",
    ],
)
def test_column_headings_and_courtesies_are_no_name(line: str) -> None:
    page = f"{line}\nNO. 17-G, JALAN SETIA INDAH\n40170 SHAH ALAM\nTEL: 03-1234 5678\n"
    assert "company" not in found(page)


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("OLD ASIA\nOWNED BY: CHEF LEE SDN BHD", "CHEF LEE SDN BHD"),
        ("CAFÉ DU PORT\nExploité par : LES MOUETTES SARL", "LES MOUETTES SARL"),
    ],
)
def test_the_company_that_owns_or_operates_a_shop_is_its_issuer(printed: str, name: str) -> None:
    page = f"{printed}\n(458592-T)\n12 RUE DU PORT\n56100 LORIENT\nTEL: 02 97 00 00 00\n"
    assert found(page)["company"] == name


def test_a_brand_printed_again_with_its_branch_is_the_brand() -> None:
    page = (
        "DOMINO'S PIZZA\nDOMMAL FOOD SERVICES SDN BHD\nDOMINO'S PIZZA TAMAN UNIVERSITI\n"
        "30, JLN KEBUDAYAAN 7\n81300 SKUDAI\n"
    )
    assert found(page)["company"] == "DOMMAL FOOD SERVICES SDN BHD"


def test_a_brand_line_above_a_name_with_its_own_brackets_is_not_joined_to_it() -> None:
    page = "TEALIVE\nOTTOGO ENTERPRISE (KEPONG) SDN BHD\nNO. 1, JALAN KEPONG\n52100 KUALA LUMPUR\n"
    assert found(page)["company"] == "OTTOGO ENTERPRISE (KEPONG) SDN BHD"


@pytest.mark.parametrize(
    ("page", "issuer"),
    [
        (
            "THAMES VALLEY POLICE\nCommunity Support\n\nMrs Joan Pike\n4 Elm Close\nReading RG1 2AB\n\n"
            "Crime reference: 43/117/25\nOffence: Burglary\n",
            "THAMES VALLEY POLICE",
        ),
        (
            "GENDARMERIE NATIONALE\nBrigade de Chinon\n\nM. Paul Arnaud\n5 rue Voltaire\n37500 Chinon\n\n"
            "Objet : votre plainte du 3 mai\n",
            "GENDARMERIE NATIONALE",
        ),
    ],
)
def test_the_addressee_in_a_letters_window_and_their_address_are_not_the_issuers(
    page: str, issuer: str
) -> None:
    assert found(page) == {"company": issuer}


@pytest.mark.parametrize(
    ("page", "issuer"),
    [
        (
            "RÉCÉPISSÉ DE PLAINTE\nCommissariat de police de Blois\nPlaignante : MARTIN Julie\n"
            "Demeurant : 8 rue Denis Papin, 41000 Blois\nDate des faits : 02/05/2025\n",
            "Commissariat de police de Blois",
        ),
        (
            "Severn Fire Service\nIncident report\nName: Julie Martin\nAddress: 3 Mill Lane, Bath BA1 1AA\n",
            "Severn Fire Service",
        ),
    ],
)
def test_a_labelled_field_of_a_form_is_the_customers_address_not_the_issuers(page: str, issuer: str) -> None:
    assert found(page) == {"company": issuer}


@pytest.mark.parametrize(
    ("page", "issuer"),
    [
        (
            "DEPANNAGE RAPIDE 37\nDépannage 7j/7 - 24h/24\nSIRET 834 120 693 00017\nFACTURE\n",
            "DEPANNAGE RAPIDE 37",
        ),
        (
            "NORTHERN TOWING\n24 hour breakdown & recovery\nRECEIPT No. 5\nCustomer: J. Hale\n",
            "NORTHERN TOWING",
        ),
    ],
)
def test_a_service_tagline_is_neither_the_name_nor_the_address(page: str, issuer: str) -> None:
    assert found(page) == {"company": issuer}


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("ATELIER MOREAU - MENUISERIE BOIS", "ATELIER MOREAU - MENUISERIE BOIS"),
        ("Harbour Glass - Windscreen Repairs", "Harbour Glass - Windscreen Repairs"),
        ("Mutuelle Ligérienne - formulaire à imprimer", "Mutuelle Ligérienne"),
        ("PLOMBERIE DUVAL - Tél. 02 47 00 00 00", "PLOMBERIE DUVAL"),
    ],
)
def test_a_descriptor_a_dash_joins_in_the_same_lettering_is_part_of_the_name(printed: str, name: str) -> None:
    assert find_issuer(f"{printed}\n4 rue des Forges\n18000 Bourges\n").name == name


@pytest.mark.parametrize(
    "line",
    ["12 route de Paris - 45000 Orléans", "12 route de Paris, 45000 Orléans - Tél. 02 38 00 00 00"],
)
def test_the_parts_of_an_address_line_a_dash_separates_are_joined_up_to_the_phone(line: str) -> None:
    page = f"MENUISERIE DUVAL SARL\n{line}\nTél. 02 38 00 00 00\nFACTURE n° 12\n"
    assert found(page)["address"] == "12 route de Paris, 45000 Orléans"


@pytest.mark.parametrize(
    ("page", "issuer"),
    [
        (
            "BRISTOL DRAINS & PLUMBING\nBedminster, Bristol - Tel 0117 496 0000\nINVOICE No: 12\n"
            "To: Mr A. Jones\n10 Mill Road, Bristol BS3 1AA\n",
            {"company": "BRISTOL DRAINS & PLUMBING", "address": "Bedminster, Bristol"},
        ),
        (
            "HOLT JOINERY LTD\nRiverside Industrial Estate, Derby\nINVOICE\n",
            {"company": "HOLT JOINERY LTD", "address": "Riverside Industrial Estate, Derby"},
        ),
        (
            "CLÍNICA SAN TELMO\nAvenida de la Constitución, Sevilla, España\nRECIBO\n",
            {"company": "CLÍNICA SAN TELMO", "address": "Avenida de la Constitución, Sevilla, España"},
        ),
    ],
)
def test_a_locality_under_the_name_is_its_address_not_its_name(page: str, issuer: dict[str, str]) -> None:
    assert found(page) == issuer


@pytest.mark.parametrize(
    ("page", "address"),
    [
        (
            "Docteur Paul Rey\nMédecine générale\n3 place Plumereau, 37000 Tours\nCERTIFICAT MÉDICAL\n"
            "Je soussigné, Docteur Paul Rey, certifie avoir examiné ce jour Madame Julie Martin.\n",
            "3 place Plumereau, 37000 Tours",
        ),
        (
            "Dr Jane Hale\nGeneral practice\n3 High Street, Oxford OX1 4AA\nMEDICAL CERTIFICATE\n"
            "I examined Mrs Julie Martin today, who has a sprained wrist.\n",
            "3 High Street, Oxford OX1 4AA",
        ),
    ],
)
def test_an_address_ends_before_the_title_of_the_document(page: str, address: str) -> None:
    assert found(page)["address"] == address


@pytest.mark.parametrize(
    "page",
    [
        # a constat amiable: the form's headings of each party, its labelled fields
        "CONSTAT AMIABLE D'ACCIDENT AUTOMOBILE\n1. Date de l'accident : 02/05/2025\nVÉHICULE A\n"
        "Conducteur : ROUX Marc\nSociété d'assurance : Mutuelle Ligérienne\nVÉHICULE B\nConducteur : PIC Léa\n",
        "Accident report\nVEHICLE A\nDriver: Marc Roux\nInsurer: Severn Mutual\nVEHICLE B\nDriver: Lea Pic\n",
        # a blank claim form filled in by the customer: a product line, numbered headings
        "DÉCLARATION DE SINISTRE\nAssurance habitation - à retourner complété\n1. L'assuré\n"
        "Nom, prénom : ROUX Marc\nAdresse : 5 rue des Lices, 49100 Angers\n",
        "CLAIM FORM\nHome insurance - please return to your insurer\n1. Policyholder\nName: Marc Roux\n"
        "Address: 5 Elm Road, York YO1 7EX\n",
    ],
)
def test_a_constat_or_a_blank_form_filled_by_the_customer_has_no_issuer(page: str) -> None:
    assert found(page) == {}
