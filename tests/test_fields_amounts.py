"""Amounts: the total claimed or invoiced, normalised to "1842.50", and its currency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.fields.extract import currency_code, extract_fields, find_candidates, parse_amount
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

SETTINGS = ParsingSettings()


def total_and_currency(text: str, source: str = "attachment:facture.pdf#p1") -> tuple[str | None, str | None]:
    fields = extract_fields([TextSource(source, text)], SETTINGS)
    total, currency = fields.get("total_amount"), fields.get("currency")
    return (total.value if total else None, currency.value if currency else None)


def field(text: str, name: str, source: str = "body") -> Field:
    return extract_fields([TextSource(source, text)], SETTINGS)[name]


@pytest.mark.parametrize(
    ("written", "amount", "currency"),
    [
        ("1 842,50 €", "1842.50", "EUR"),
        ("1\u00a0842,50\u00a0€", "1842.50", "EUR"),
        ("1\u202f842,50\u202f€", "1842.50", "EUR"),
        ("€1,842.50", "1842.50", "EUR"),
        ("GBP 286.40", "286.40", "GBP"),
        ("1.234,56 EUR", "1234.56", "EUR"),
        ("£75", "75.00", "GBP"),
        ("75 euros", "75.00", "EUR"),
        ("75 Euros", "75.00", "EUR"),
        ("USD 1,200", "1200.00", "USD"),
        ("1842,5 €", "1842.50", "EUR"),
        ("$1,842.50", "1842.50", "USD"),
        ("CHF 1'234.50", "1234.50", "CHF"),
        ("1842.50EUR", "1842.50", "EUR"),
        ("12 500 €", "12500.00", "EUR"),
        ("1,234,567.89 USD", "1234567.89", "USD"),
        ("300 livres sterling", "300.00", "GBP"),
        ("Rs -40.00", "40.00", "INR"),  # a discount: the marker, then the sign
        ("€ -5,00", "5.00", "EUR"),
        ("INR 2,35,000/-", "235000.00", "INR"),  # Indian grouping: two lakh thirty-five thousand
        ("Rs. 12,45,500.50", "1245500.50", "INR"),
        ("1 250,00 $ au garagiste", "1250.00", "USD"),  # "au" is French for "to the", not "$ AU"
    ],
)
def test_parse_amount_reads_every_written_form(written: str, amount: str, currency: str) -> None:
    assert parse_amount(written) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("written", "amount"), [("1 842,50", "1842.50"), ("1,842.50", "1842.50"), ("75", "75.00")]
)
def test_parse_amount_without_currency_gives_none_for_the_currency(written: str, amount: str) -> None:
    assert parse_amount(written) == (Decimal(amount), None)


@pytest.mark.parametrize("text", ["20 %", "TVA 20%", "aucun montant", ""])
def test_parse_amount_finds_no_amount_in_percentages_or_words(text: str) -> None:
    assert parse_amount(text) is None


def test_parse_amount_does_not_read_currency_codes_in_lower_case_words() -> None:
    assert parse_amount("leur 12") == (Decimal("12.00"), None)


@pytest.mark.parametrize(
    ("marker", "code"),
    [
        ("€", "EUR"),
        ("£", "GBP"),
        ("$", "USD"),
        ("US$", "USD"),
        ("euros", "EUR"),
        ("Euro", "EUR"),
        ("CHF", "CHF"),
    ],
)
def test_currency_code_maps_printed_markers_to_iso_codes(marker: str, code: str) -> None:
    assert currency_code(marker) == code


def test_total_ttc_wins_over_ht_tva_and_line_items() -> None:
    invoice = (
        "FACTURE N° FA-2025-0193\n"
        "Désignation          Qté   PU HT      Total HT\n"
        "Pare-chocs avant     1     1 200,00   1 200,00\n"
        "Main d'oeuvre        3     95,00      285,00\n"
        "Total HT                              1 485,00 €\n"
        "TVA 20 %                              297,00 €\n"
        "Total TTC                             1 782,00 €\n"
    )
    assert total_and_currency(invoice) == ("1782.00", "EUR")


def test_ht_ttc_and_vat_on_one_line_are_told_apart() -> None:
    line = "Total HT : 1 000,00 €  TVA : 200,00 €  Total TTC : 1 200,00 €"
    assert total_and_currency(line) == ("1200.00", "EUR")


@pytest.mark.parametrize(
    "label",
    [
        "Total TTC",
        "Total à payer",
        "Net à payer",
        "Montant total",
        "Montant réclamé",
        "Montant TTC",
        "Reste à payer",
        "Total due",
        "Amount due",
        "Grand total",
        "Balance due",
        "Total amount",
        "Total incl. VAT",
        "TOTAL",
        "Total",
    ],
)
def test_total_labels_mark_the_total(label: str) -> None:
    page = f"Sous-total 100,00 €\nRemise 10,00 €\n{label} : 1 842,50 €\n"
    assert total_and_currency(page) == ("1842.50", "EUR")


@pytest.mark.parametrize(
    "line",
    [
        "Total HT : 1 842,50 €",
        "Montant HT 1 842,50 €",
        "TVA (20 %) : 1 842,50 €",
        "Subtotal £1,842.50",
        "Sous-total : 1 842,50 €",
        "Prix unitaire : 1 842,50 €",
        "Unit price $1,842.50",
        "VAT £1,842.50",
        "1 842,50 € HT",
    ],
)
def test_lines_that_are_not_the_total_are_not_read_as_one(line: str) -> None:
    assert total_and_currency(line, source="body") == (None, None)


@pytest.mark.parametrize(
    "line",
    ["Remise : 1 842,50 €", "Acompte versé : 1 842,50 €", "Franchise : 1 842,50 €", "Deposit £1,842.50"],
)
def test_a_sum_beside_the_total_of_a_bill_is_not_its_total(line: str) -> None:
    assert total_and_currency(f"{line}\nTotal TTC : 2 000,00 €")[0] == "2000.00"
    assert total_and_currency(line) == (None, None)


def test_value_under_its_label_as_in_pdf_tables_is_read() -> None:
    page = "Total HT\n1 000,00\nTVA\n200,00\nTotal TTC\n1 200,00\n"
    assert total_and_currency(page)[0] == "1200.00"


def test_ocr_confusion_in_a_total_label_is_tolerated() -> None:
    receipt = "CAFE DE LA GARE\nCAFE 2,50\nCROISSANT 1,30\nT0TAL 3,80\nESPECES 5,00\nRENDU 1,20"
    assert total_and_currency(receipt, source="attachment:ticket.jpg#p1")[0] == "3.80"


def test_year_of_a_date_on_a_total_line_is_not_an_amount() -> None:
    line = "TOTAL AMOUNT DUE ON August 3 , 2014 $4.11"
    assert total_and_currency(line) == ("4.11", "USD")


@pytest.mark.parametrize(
    ("sentence", "amount", "currency"),
    [
        ("Suite au sinistre, je vous réclame 450 € pour la réparation.", "450.00", "EUR"),
        ("The repair cost £1,200 and I would like to be reimbursed.", "1200.00", "GBP"),
        ("La facture du plombier, d'un montant de 320,00 €, est jointe.", "320.00", "EUR"),
        ("Le devis s'élève à 2 350 euros.", "2350.00", "EUR"),
        ("I paid USD 1,200 for the new windscreen.", "1200.00", "USD"),
        ("Je demande le remboursement de 89,90 €.", "89.90", "EUR"),
        ("J'ai dû avancer 320 € de réparations.", "320.00", "EUR"),
        ("The garage quoted £1,450.00 for the repairs.", "1450.00", "GBP"),
    ],
)
def test_amount_claimed_in_a_mail_is_the_total(sentence: str, amount: str, currency: str) -> None:
    assert total_and_currency(sentence, source="body") == (amount, currency)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ma franchise est de 150 € et mon plafond de 900 €.",
        "My excess is £100 and my limit £900.",
        "Il fait 25 degrés et j'ai 3 enfants.",
    ],
)
def test_a_mail_with_no_sum_claimed_and_two_sums_mentioned_offers_no_total(sentence: str) -> None:
    assert total_and_currency(sentence, source="body") == (None, None)


@pytest.mark.parametrize(
    ("sentence", "amount", "currency"),
    [
        ("Ma franchise est de 150 €.", "150.00", "EUR"),
        ("I paid the £100 excess.", "100.00", "GBP"),
        ("Ma cotisation mensuelle de 45,20 € a augmenté.", "45.20", "EUR"),
    ],
)
def test_the_one_sum_a_mail_mentions_is_its_total_with_less_confidence_than_a_claim(
    sentence: str, amount: str, currency: str
) -> None:
    total = field(sentence, "total_amount")
    assert (total.value, field(sentence, "currency").value) == (amount, currency)
    assert total.confidence < field("Je vous réclame 150 €.", "total_amount").confidence


def test_numbers_inside_references_and_dates_are_not_amounts() -> None:
    sentence = "Le garage m'a facturé 1 250,00 € TTC (facture FA-2025-0417 du 10/03/2025, réf. CS00012693)."
    found = find_candidates(TextSource("body", sentence), SETTINGS)
    assert [f.value for f in found if f.name == "total_amount"] == ["1250.00"]


def test_claimed_amount_wins_over_the_deductible_in_the_same_sentence() -> None:
    sentence = "Les réparations coûtent 1 200 € et la franchise de 150 € reste à ma charge."
    assert total_and_currency(sentence, source="body") == ("1200.00", "EUR")


def test_currency_printed_next_to_the_total_is_as_sure_as_the_total() -> None:
    total, currency = field("Total TTC : 286,40 £", "total_amount"), field("Total TTC : 286,40 £", "currency")
    assert currency.value == "GBP"
    assert currency.confidence == total.confidence


def test_currency_printed_elsewhere_on_the_page_is_used_for_a_bare_total() -> None:
    page = "Montants en USD\nConsulting 100.00 USD\nTotal due 1,842.50"
    assert total_and_currency(page) == ("1842.50", "USD")


def test_default_currency_fills_in_with_low_confidence_when_none_is_printed() -> None:
    page = "Total TTC : 1 842,50"
    currency = field(page, "currency", source="attachment:facture.pdf#p1")
    assert currency.value == "EUR"
    assert currency.confidence < 0.5
    other = extract_fields([TextSource("body", page)], ParsingSettings(default_currency="CHF"))
    assert other["currency"].value == "CHF"


def test_bare_integer_is_money_only_under_a_total_label() -> None:
    assert total_and_currency("Total articles : 3\nMontant 12 €")[0] == "12.00"


def test_of_several_equal_totals_the_grand_total_is_preferred() -> None:
    page = "Total pièces : 300,00 €\nTotal main d'oeuvre : 150,00 €\nTotal : 450,00 €"
    assert total_and_currency(page)[0] == "450.00"


def test_document_without_total_label_offers_its_largest_priced_amount_with_low_confidence() -> None:
    page = "Pare-brise 420,00 €\nPose 80,00 €"
    [total] = [
        f
        for f in find_candidates(TextSource("attachment:devis.pdf#p1", page), SETTINGS)
        if f.name == "total_amount"
    ]
    assert total.value == "420.00"
    assert total.confidence < 0.5


def test_mail_without_claim_words_and_two_sums_offers_no_total() -> None:
    assert total_and_currency("Pare-brise 420,00 €, pose 80,00 €", source="body") == (None, None)


def test_a_total_without_currency_takes_the_one_printed_by_a_signed_amount_elsewhere() -> None:
    invoice = "Price is inclusive of Promotional Discount of Rs -40.00,\nGrand Total    319.00\n"
    total = field(invoice, "total_amount", source="attachment:invoice.pdf#p1")
    assert total.value == "319.00"
    assert field(invoice, "currency", source="attachment:invoice.pdf#p1").value == "INR"


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [
        (
            "Hello, you paid me £200.00 but the invoice was £950.00. When will the remaining £750.00"
            " be paid?",
            "750.00",
        ),
        ("Hi, I received $120.00 from you last week, the $380.00 still owed is what I ask for.", "380.00"),
        (
            "Bonjour, vous m'avez versé 300,00 € sur une facture de 900,00 €. Quand réglerez-vous"
            " les 600,00 € restants ?",
            "600.00",
        ),
        (
            "Bonjour, il me reste un solde impayé de 245,00 € après votre premier versement de 100,00 €.",
            "245.00",
        ),
    ],
)
def test_what_is_still_owed_after_a_part_payment_is_the_total(sentence: str, amount: str) -> None:
    assert field(sentence, "total_amount").value == amount


@pytest.mark.parametrize(
    "text",
    [
        "The total was £240.00 for the four sessions, and my cover pays up to £500 a year for dental care.",
        "Le total est de 240,00 € pour les quatre séances, et mon contrat rembourse jusqu'à 500 € par an.",
    ],
)
def test_a_covers_yearly_limit_is_not_the_total_claimed(text: str) -> None:
    assert field(text, "total_amount").value == "240.00"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        (
            "The invoice from the vet comes to £672.35. Less my £60 excess, I am claiming £612.35.",
            "612.35",
        ),
        (
            "The total bill was Rs. 71,900/-, of which Rs. 7,650/- was for non-medical items. "
            "I am therefore claiming Rs. 64,250/-.",
            "64250.00",
        ),
        (
            "La facture du vétérinaire s'élève à 672,35 €. Déduction faite de ma franchise de 60 €, "
            "je vous réclame 612,35 €.",
            "612.35",
        ),
    ],
)
def test_what_the_customer_claims_outranks_what_the_bill_came_to(text: str, amount: str) -> None:
    assert field(text, "total_amount").value == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        (
            "L'agence ne nous rembourse que les taxes d'aéroport ; il reste donc à notre charge "
            "mille deux cent septante euros (1.270,00 EUR).",
            "1270.00",
        ),
        (
            "The agency only refunds the airport taxes; we are left with £1,270.00 out of pocket.",
            "1270.00",
        ),
    ],
)
def test_what_is_left_to_the_customers_charge_after_taxes_is_the_claim(text: str, amount: str) -> None:
    assert field(text, "total_amount").value == amount


# --- The sum a mail is about, beside an excess, a bill or its parts ------------------------------


@pytest.mark.parametrize(
    ("text", "total", "currency"),
    [
        (
            "The phone was bought in March for £749.00. I know there is a £75 excess on gadgets.",
            "749.00",
            "GBP",
        ),
        ("Le vélo avait coûté 1 349,99 € il y a un an ; la franchise est de 150 €.", "1349.99", "EUR"),
        (
            "I had submitted all original bills amounting to Rs. 1,24,560/- but the room limit is Rs. 5,000 per day.",
            "124560.00",
            "INR",
        ),
        (
            "Le garage m'avait facturé 1 870,45 €, sauf ma franchise de 300 €. Je vous demande donc le "
            "remboursement de ces 300 €.",
            "300.00",
            "EUR",
        ),
        (
            "The garage billed $1,870.45 less my $300 excess. Please reimburse the $300.00 I paid.",
            "300.00",
            "USD",
        ),
        (
            "La facture était de 1 200,00 €, la Sécurité sociale m'a remboursé 84,00 €. Il me reste donc "
            "1 116,00 € à charge.",
            "1116.00",
            "EUR",
        ),
        (
            "I am out of pocket CAD 1,860.00 in total (flight $1,420.00 and deposit $440.00).",
            "1860.00",
            "CAD",
        ),
        (
            "J'ai payé la facture du pare-brise moi-même : 742,18 € au total (pose et joint compris).",
            "742.18",
            "EUR",
        ),
    ],
)
def test_the_sum_a_mail_asks_for_is_its_total(text: str, total: str, currency: str) -> None:
    assert total_and_currency(text, source="body") == (total, currency)


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("J'ai payé la facture moi-même : EUR 742,18 TVA comprise.", "742.18"),
        ("I paid the glazier myself: $495.00 (tax invoice attached).", "495.00"),
        ("Paid in full: £312.40 VAT included.", "312.40"),
    ],
)
def test_a_sum_with_its_tax_included_or_a_tax_invoice_is_no_tax_line(text: str, total: str) -> None:
    assert total_and_currency(text, source="body")[0] == total


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Le devis de réparation de Canon est de 1 480 € HT, je vous l'ai mis en pièce jointe.", "1480.00"),
        ("The repair quote from the garage comes to £1,480 excl. VAT, attached.", "1480.00"),
        ("La TVA est de 300 €.", None),
        ("1 842,50 € HT", None),
    ],
)
def test_the_one_sum_of_a_mail_told_before_tax_is_the_sum_at_stake(text: str, amount: str | None) -> None:
    assert total_and_currency(text, source="body")[0] == amount


@pytest.mark.parametrize(
    "text",
    [
        "Séjour réservé (prix total 2 418,00 €). L'agence nous a retenu 1 934,40 € de frais d'annulation. "
        "C'est ce montant que nous vous demandons de rembourser.",
        "We had booked a trip (total price €2,418.00). The agency kept €1,934.40 in cancellation fees. "
        "This is the amount I am claiming.",
    ],
)
def test_the_sum_the_next_sentence_asks_for_is_the_one_at_stake(text: str) -> None:
    assert total_and_currency(text, source="body") == ("1934.40", "EUR")


@pytest.mark.parametrize(
    "text",
    [
        "Outillage volé pour un montant estimé à environ 4 300 € HT.\n\nSAS au capital de 50 000 € – RCS Lyon",
        "Tools stolen, worth about £4,300 excl. VAT.\n\nAcme Ltd, share capital £50,000, registered in England",
    ],
)
def test_a_companys_share_capital_is_no_sum_of_the_mail(text: str) -> None:
    assert total_and_currency(text, source="body")[0] == "4300.00"


@pytest.mark.parametrize(
    "text",
    [
        "Receipts for two consultations, at €120.00 each, €240.00 in all, together with the referral letter.",
        "Deux consultations à 120,00 € chacune, 240,00 € en tout, avec la lettre du médecin.",
    ],
)
def test_a_sum_said_to_be_all_beside_a_price_each_is_the_total(text: str) -> None:
    assert total_and_currency(text, source="body") == ("240.00", "EUR")
