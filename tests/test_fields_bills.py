"""Totals, currencies and dates as receipts and foreign invoices print them."""

from __future__ import annotations

from extractors.fields.extract import extract_fields
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


def test_a_total_printed_below_the_rounding_line_is_the_amount_after_rounding() -> None:
    receipt = (
        "Total Sales Inclusive GST 28.31\nRounding Adjustment -0.01\n------\nTOTAL : 28.30\nCASH 50.00\n"
    )
    assert fields_of(receipt)["total_amount"] == "28.30"
    far = "Rounding Adj 0.00\nTotal Amount 9.00\nItems: 1\nQty: 1\nThank you\nTotal 12.50\n"
    assert fields_of(far)["total_amount"] == "9.00"  # only a line close below the rounding


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


def test_amount_split_around_its_decimal_point_by_ocr() -> None:
    assert fields_of("Subtotal: 42,00\nTotal: 47 , 50\nThank you\n")["total_amount"] == "47.50"
    assert fields_of("TOTAL INCL. GST RM 18. 35\n")["total_amount"] == "18.35"


def test_cash_minus_change_confirms_one_of_two_totals() -> None:
    receipt = "Total 12.00\nTotal After Rounding 17.00\nCash 20.00\nChange 8.00\n"
    assert fields_of(receipt)["total_amount"] == "12.00"


def test_cash_minus_change_corrects_one_misread_digit_of_the_total() -> None:
    receipt = "TOTAL RM 86.30\nCASH RM 100.00\nCHANGE RM 23.70\n"
    assert fields_of(receipt)["total_amount"] == "76.30"


def test_cash_and_change_that_do_not_read_cleanly_are_not_trusted() -> None:
    receipt = "Grand Total : 6.40\nPayment 10.00\nChange Due : 03.40\n"
    assert fields_of(receipt)["total_amount"] == "6.40"


def test_cash_minus_change_when_no_total_line_was_read() -> None:
    assert (
        fields_of("Receipt\nTot Incl. GST RM 12,80\nCASH RM 20.00\nCHANGE RM 7.20\n")["total_amount"]
        == "12.80"
    )


def test_cash_and_change_lines_behind_ocr_specks_and_ruled_borders() -> None:
    receipt = "Sub Total : RM 4.89 |\n| Rounding Adj : RM 0.01\n( Cash}: RM 5.00. :\n| Change : RM 0.30 |\n"
    assert fields_of(receipt)["total_amount"] == "4.70"


def test_tax_included_in_total_is_not_the_total() -> None:
    receipt = "Total 21.20\nGST @6% included in total RM 1.20\n"
    assert fields_of(receipt)["total_amount"] == "21.20"


def test_subtotal_when_no_total_line_was_read() -> None:
    assert fields_of("Receipt\nSUB-TOTAL (GST) 31.00\nROUNDING 0.00\n")["total_amount"] == "31.00"


def test_labelled_receipt_date_with_separators_scattered_by_ocr() -> None:
    assert fields_of("Cashier: Ann\nDate : 14- -07- 2019 11:02\nTOTAL 3.00\n")["invoice_date"] == "2019-07-14"
    assert fields_of("Date + 03 11 2019 09: 15\nTOTAL 3.00\n")["invoice_date"] == "2019-11-03"


def test_receipt_name_above_its_bracketed_company_number_under_ocr_specks() -> None:
    receipt = "4.2 ,;' |\nGOLDEN LEAF TRADING\n(123456-X)\nNO. 5, JALAN MAWAR 2,\n43000 KAJANG\nTOTAL 5.00\n"
    assert fields_of(receipt)["company"] == "GOLDEN LEAF TRADING"
