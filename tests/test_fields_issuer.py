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
