"""Totals, currencies and dates as receipts and foreign invoices print them."""

from __future__ import annotations

from extractors.fields import extract_fields
from rpa.config import ParsingSettings
from rpa.models import TextSource

SETTINGS = ParsingSettings()


def fields_of(text: str) -> dict[str, str]:
    found = extract_fields([TextSource("attachment:bill.pdf#p1", text)], SETTINGS)
    return {name: field.value for name, field in found.items()}


def test_nett_total_after_rounding_beats_the_unrounded_total() -> None:
    receipt = "Total Amount: RM12.37\nRounding: -RM0.02\nNett Total: RM12.35\nCASH RM20.00\nChange RM7.65\n"
    found = fields_of(receipt)
    assert (found["total_amount"], found["currency"]) == ("12.35", "MYR")


def test_tax_total_and_tax_included_lines_are_not_the_total() -> None:
    receipt = "SUB-TOTAL 30.00\nTOTAL 31.80\nTAX TOTAL: 1.80\nIncl. 6% GST 1.80\nCASH 50.00\n"
    assert fields_of(receipt)["total_amount"] == "31.80"


def test_total_including_tax_is_still_the_total() -> None:
    assert fields_of("Total incl. VAT: 240.00 EUR\nVAT 40.00 EUR\n")["total_amount"] == "240.00"


def test_german_invoice_total_in_comma_decimals() -> None:
    page = "Rechnung\nZwischensumme 100,00 €\nzzgl. 19 % MwSt. 19,00 €\nGesamtbetrag 1.119,00 €\n"
    assert fields_of(page)["total_amount"] == "1119.00"


def test_dutch_invoice_total() -> None:
    page = "Factuur\nExclusief BTW € 82,64\nBTW 21% € 17,36\nTotaal € 100,00\n"
    assert fields_of(page)["total_amount"] == "100.00"


def test_amount_alone_under_a_line_with_its_own_amount_is_not_that_total() -> None:
    page = "Invoice\nTotal: 390.00 EUR\n1855.07 PLN\n"
    found = fields_of(page)
    assert (found["total_amount"], found["currency"]) == ("390.00", "EUR")


def test_declared_payment_currency_names_unmarked_amounts() -> None:
    page = "Invoice\nPAYMENT CURRENCY: USD\nTOTAL AT CHECKOUT 119.95\n"
    assert fields_of(page)["currency"] == "USD"


def test_rupees_written_rs() -> None:
    assert fields_of("Receipt\nGrand Total Rs 1939\n")["currency"] == "INR"


def test_date_glued_to_a_dash_after_its_label() -> None:
    assert (
        fields_of("TAX INVOICE\nOrder Time : 10:52:09 Date -08/05/18\nTOTAL 6.70\n")["invoice_date"]
        == "2018-05-08"
    )


def test_receipt_date_is_read_on_its_own_line_not_after_an_order_number() -> None:
    receipt = "Tax Invoice\nOrder#: 140688\n17-06-2018 14:07:29\nTOTAL 58.00\n"
    assert fields_of(receipt)["invoice_date"] == "2018-06-17"


def test_german_and_dutch_month_names() -> None:
    assert fields_of("Rechnung\nRechnungsdatum: 7. März 2014\n")["invoice_date"] == "2014-03-07"
    assert fields_of("Factuur\nFactuurdatum: 29 maart 2014\n")["invoice_date"] == "2014-03-29"
