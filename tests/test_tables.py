"""Claim tables (loss runs): one record per claim row, canonical keys, normal forms, the page."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

import docbuilder
import pytest
from conftest import ROOT, SHARED_EVAL, require
from fpdf import FPDF

from extractors.documents import DocumentReader
from extractors.ocr import OcrEngine
from extractors.tables import claim_rows, table_pages
from extractors.tables.vocabulary import day_first_of, normalise_amount, normalise_value
from rpa.config import Settings
from rpa.models import (
    Attachment,
    Classification,
    Intent,
    Message,
    Page,
    ProcessedMessage,
    TableRow,
)
from rpa.store import Store
from rpa.views import message_json, show_text

LOSS_RUNS = SHARED_EVAL / "longlistbench_v1_insurance_claims" / "claims"

FRENCH_HEADER = ["N° sinistre", "N° contrat", "Date de survenance", "Réglé", "Réserve", "Charge totale"]
FRENCH_ROWS = [
    ["2024-118", "MRH-5521", "14/03/2024", "1 200,00 €", "300,00 €", "1 500,00 €"],
    ["2024-131", "AUT-7710", "02/05/2024", "0,00 €", "4 850,50 €", "4 850,50 €"],
    ["2024-140", "AUT-7710", "28/06/2024", "(150,00 €)", "0,00 €", "(150,00 €)"],
]


def table_pdf(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, ruled: bool, intro_pages: int = 0
) -> bytes:
    """A landscape loss run: optional text pages first, then the table (header ruled or not)."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("DejaVu", fname=str(docbuilder.FONT_PATH))
    pdf.set_font("DejaVu", size=10)
    for number in range(intro_pages):
        pdf.add_page()
        pdf.multi_cell(
            0, 6, f"Relevé de sinistralité, page de garde {number + 1}.\nAssureur Mutuelle Exemple."
        )
    pdf.add_page()
    pdf.cell(0, 8, "Relevé de sinistralité - Compte A0202155", new_x="LMARGIN", new_y="NEXT")
    width = 260 / len(header)
    for title in header:
        pdf.cell(width, 8, title, border=1 if ruled else 0)
    pdf.ln(10)
    for row in rows:
        for value in row:
            pdf.cell(width, 7, value)
        pdf.ln(9)
    return bytes(pdf.output())


def read_pdf(settings: Settings, data: bytes, name: str = "releve.pdf") -> Attachment:
    attachment = Attachment(name, "application/pdf", len(data), data=data)
    with OcrEngine(settings) as ocr:
        DocumentReader(settings, ocr).read(attachment)
    return attachment


# --- Normal forms --------------------------------------------------------------


def test_amounts_in_parentheses_are_negative() -> None:
    assert normalise_amount("($7,224.90)") == "-7224.90"
    assert normalise_amount("$26,339.60") == "26339.60"
    assert normalise_amount("1 500,00 €") == "1500.00"


def test_claim_numbers_lose_their_number_sign() -> None:
    assert normalise_value("claim_number", "#30001", day_first=True) == "30001"


def test_a_table_writing_a_day_over_12_second_is_read_month_first() -> None:
    assert day_first_of(["04/02/2023", "03/17/2023"], default=True) is False
    assert day_first_of(["04/02/2023", "17/03/2023"], default=False) is True
    assert day_first_of(["04/02/2023"], default=True) is True


# --- Tables read from word positions --------------------------------------------


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled header", "unruled header"])
def test_each_claim_row_of_a_french_table_becomes_a_record(settings: Settings, ruled: bool) -> None:
    attachment = read_pdf(settings, table_pdf(FRENCH_HEADER, FRENCH_ROWS, ruled=ruled))
    assert [row.values for row in attachment.tables] == [
        {
            "claim_number": "2024-118",
            "policy_number": "MRH-5521",
            "incident_date": "2024-03-14",
            "reserve_amount": "300.00",
            "paid_amount": "1200.00",
            "total_incurred": "1500.00",
        },
        {
            "claim_number": "2024-131",
            "policy_number": "AUT-7710",
            "incident_date": "2024-05-02",
            "reserve_amount": "4850.50",
            "paid_amount": "0.00",
            "total_incurred": "4850.50",
        },
        {
            "claim_number": "2024-140",
            "policy_number": "AUT-7710",
            "incident_date": "2024-06-28",
            "reserve_amount": "0.00",
            "paid_amount": "-150.00",
            "total_incurred": "-150.00",
        },
    ]


def test_each_record_carries_the_page_its_row_is_on(settings: Settings) -> None:
    attachment = read_pdf(settings, table_pdf(FRENCH_HEADER, FRENCH_ROWS, ruled=True, intro_pages=2))
    assert [row.page for row in attachment.tables] == [3, 3, 3]


def test_only_pages_showing_a_claim_table_header_are_laid_out() -> None:
    pages = [
        Page(1, "Relevé de sinistralité\nMadame, voici votre relevé."),
        Page(2, "N° sinistre N° contrat Date de survenance Réglé\n2024-118 MRH-5521 14/03/2024 1 200,00 €"),
        Page(3, "Total Incurred Paid Reserve\n$1.00 $2.00 $3.00"),  # amounts only: no claim table
    ]
    assert table_pages(pages) == [2]


def test_a_letter_without_a_table_has_no_rows(settings: Settings) -> None:
    attachment = read_pdf(settings, docbuilder.text_pdf(["\n".join(docbuilder.CLAIM_LINES)]))
    assert attachment.tables == []


# --- Claims written as blocks ---------------------------------------------------

FRENCH_BLOCKS = """Relevé de sinistralité
Sinistre n° 2024-118
Contrat : MRH-5521
Date de survenance : 14/03/2024
Garantie : Dégât des eaux
Catégorie Réserve Réglé Recours Charge totale
Dommages 300,00 € 1 200,00 € 0,00 € 1 500,00 €
Total sinistre 300,00 € 1 200,00 € 0,00 € 1 500,00 €
Sinistre n° 2024-131
Contrat : AUT-7710
Date de survenance : 02/05/2024
Catégorie Réserve Réglé Recours Charge totale
Total sinistre 4 850,50 € 0,00 € 0,00 € 4 850,50 €
"""


def test_claims_written_as_labelled_blocks_become_records() -> None:
    rows = claim_rows([Page(1, FRENCH_BLOCKS)])
    assert rows[0] == TableRow(
        1,
        {
            "claim_number": "2024-118",
            "policy_number": "MRH-5521",
            "incident_date": "2024-03-14",
            "coverage": "Dégât des eaux",
            "reserve_amount": "300.00",
            "paid_amount": "1200.00",
            "recovered_amount": "0.00",
            "total_incurred": "1500.00",
        },
    )
    assert rows[1].values["total_incurred"] == "4850.50"


def test_a_block_cut_by_a_page_break_under_a_repeated_heading_is_one_claim() -> None:
    first, rest = FRENCH_BLOCKS.split("Catégorie Réserve Réglé Recours Charge totale\nDommages")
    pages = [
        Page(1, first),
        Page(2, "Sinistre n° 2024-118\nCatégorie Réserve Réglé Recours Charge totale\nDommages" + rest),
    ]
    rows = claim_rows(pages)
    assert [(row.page, row.values["claim_number"]) for row in rows] == [(1, "2024-118"), (2, "2024-131")]
    assert rows[0].values["total_incurred"] == "1500.00"


def test_a_single_labelled_claim_is_a_claim_form_not_a_table() -> None:
    one_claim = FRENCH_BLOCKS.split("Sinistre n° 2024-131")[0]
    assert claim_rows([Page(1, one_claim)]) == []


# --- The public loss runs -------------------------------------------------------


def _expected(path) -> list[dict]:  # noqa: ANN001
    sys.path.insert(0, str(ROOT / "bench"))
    import tables as bench_tables

    return [bench_tables.expected_row(claim) for claim in json.loads(path.with_suffix(".json").read_text())]


@pytest.mark.parametrize("name", ["easy_10_001_table.pdf", "easy_10_002_detailed.pdf"])
def test_every_claim_of_a_public_loss_run_is_read_right(settings: Settings, name: str) -> None:
    require(LOSS_RUNS.is_dir(), f"{LOSS_RUNS} is not there")
    attachment = read_pdf(settings, (LOSS_RUNS / name).read_bytes(), name)
    keys = (
        "claim_number",
        "policy_number",
        "incident_date",
        "reserve_amount",
        "paid_amount",
        "recovered_amount",
        "total_incurred",
    )
    got = [{key: row.values.get(key) for key in keys} for row in attachment.tables]
    assert got == _expected(LOSS_RUNS / name)


def test_the_tables_benchmark_runs_on_two_documents(capsys: pytest.CaptureFixture[str]) -> None:
    require(LOSS_RUNS.is_dir(), f"{LOSS_RUNS} is not there")
    sys.path.insert(0, str(ROOT / "bench"))
    import tables as bench_tables

    status = bench_tables.main(
        [str(LOSS_RUNS / "easy_10_003_table.pdf"), str(LOSS_RUNS / "easy_10_003_detailed.pdf"), "--check"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "all" in out and "100.0%" in out


# --- Stored and shown -----------------------------------------------------------


def test_stored_rows_come_back_in_the_json_output_and_in_show(store: Store) -> None:
    attachment = Attachment(
        "releve.pdf",
        "application/pdf",
        10,
        pages=[Page(1, "x"), Page(2, "y")],
        tables=[TableRow(2, {"claim_number": "2024-118", "paid_amount": "1200.00"})],
    )
    message = Message(
        source="releve.eml",
        message_id="<t@x>",
        subject="Relevé",
        sender=None,
        date=datetime(2025, 3, 1, tzinfo=UTC),
        attachments=[attachment],
        content_hash="ab",
    )
    result = ProcessedMessage(message, {}, Classification("fr", Intent.DOCUMENTS_SUBMISSION, 0.9), None)
    record = store.message(store.save_processed(result, actor="test").message_pk)
    assert message_json(record)["tables"] == [
        {
            "attachment": "releve.pdf",
            "page": 2,
            "values": {"claim_number": "2024-118", "paid_amount": "1200.00"},
        }
    ]
    assert "releve.pdf#p2  claim_number=2024-118  paid_amount=1200.00" in show_text(record)
