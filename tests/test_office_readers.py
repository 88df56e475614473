"""Office documents, spreadsheets, RTF, HTML and CSV attachments: read for their text,
tables and fields; damaged ones end as errors saying why; zip bombs are refused unopened."""

from __future__ import annotations

import dataclasses
import datetime
import os
import shutil
import time
from pathlib import Path

import docbuilder
import officedocs
import pytest
from conftest import SHARED_EVAL, make_mail, require
from officedocs import read, reader  # noqa: F401 - reader is a fixture

from extractors.documents import DocumentReader
from extractors.fields.extract import extract_fields
from extractors.mailfiles.tnef import WinmailDat
from extractors.ocr import OcrEngine
from extractors.readers.base import HEAD_SIZE
from extractors.readers.doc import DocReader
from extractors.sources import RawInput
from rpa.config import LimitSettings, Settings
from rpa.errors import ConfigError
from rpa.models import Attachment, AttachmentStatus, Message, TableRow
from rpa.pipeline import Pipeline, text_sources

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CLAIM_HEADER = ["N° sinistre", "N° de contrat", "Date de survenance", "Montant réglé"]


def fields_of(settings: Settings, attachment: Attachment) -> dict[str, tuple[str, str]]:
    """Field name -> (value, source), found in the attachment as the pipeline looks for them."""
    message = Message(source="t", message_id=None, subject="", sender=None, attachments=[attachment])
    found = extract_fields(text_sources(message, "fr"), settings.parsing)
    return {name: (field.value, field.source) for name, field in found.items()}


def with_limits(settings: Settings, **changes: object) -> Settings:
    return dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, **changes))


# -- Word .docx --------------------------------------------------------------------------------------


def test_a_word_document_gives_its_header_paragraphs_and_table_in_order(reader: DocumentReader) -> None:
    data = officedocs.word_document(
        ["Objet : déclaration de sinistre"],
        table=[["N° de police", "MRH-77120-B"], ["Montant réclamé", "1 842,50 €"]],
        after=["Cordialement,"],
        header="Cabinet Martin Assurances",
        footer="Page 1",
    )
    attachment = read(reader, "declaration.docx", data, DOCX_TYPE)
    assert (attachment.status, attachment.error) == (AttachmentStatus.OK, None)
    assert [page.text for page in attachment.pages] == [
        "Cabinet Martin Assurances\n"
        "Objet : déclaration de sinistre\n"
        "N° de police | MRH-77120-B\n"
        "Montant réclamé | 1 842,50 €\n"
        "Cordialement,\n"
        "Page 1"
    ]


def test_the_policy_number_and_amount_in_a_word_table_are_fields_of_page_one(
    settings: Settings, reader: DocumentReader
) -> None:
    data = officedocs.word_document(
        table=[["N° de police", "MRH-77120-B"], ["Montant réclamé", "1 842,50 €"]]
    )
    found = fields_of(settings, read(reader, "declaration.docx", data, DOCX_TYPE))
    assert found["policy_number"] == ("MRH-77120-B", "attachment:declaration.docx#p1")
    assert found["total_amount"] == ("1842.50", "attachment:declaration.docx#p1")


def test_a_word_form_field_and_a_text_box_are_read(reader: DocumentReader) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    w = _W
    control = f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>Contrat AUT-4587-2291</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    document.element.body.insert(0, parse_xml(control))
    inline = f"<w:p {w}><w:r><w:t>Sinistre du </w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>12/03/2025</w:t></w:r></w:sdtContent></w:sdt></w:p>"
    document.element.body.insert(1, parse_xml(inline))
    attachment = read(reader, "formulaire.docx", _saved(document), DOCX_TYPE)
    assert attachment.pages[0].text == "Contrat AUT-4587-2291\nSinistre du 12/03/2025"


def test_a_claim_table_in_a_word_document_gives_table_rows(reader: DocumentReader) -> None:
    data = officedocs.word_document(
        ["Relevé de sinistralité"],
        table=[CLAIM_HEADER, ["SIN-2025-0042", "MRH-77120-B", "12/03/2025", "1 842,50 €"]],
    )
    attachment = read(reader, "releve.docx", data, DOCX_TYPE)
    assert attachment.tables == [
        TableRow(
            1,
            {
                "claim_number": "SIN-2025-0042",
                "policy_number": "MRH-77120-B",
                "incident_date": "2025-03-12",
                "paid_amount": "1842.50",
            },
        )
    ]


def test_a_word_document_is_recognised_by_its_contents_whatever_its_name(reader: DocumentReader) -> None:
    data = officedocs.word_document(["Avenant au contrat MRH-77120-B"])
    attachment = read(reader, "document", data, "application/octet-stream")
    assert attachment.status == AttachmentStatus.OK
    assert attachment.pages[0].text == "Avenant au contrat MRH-77120-B"


def test_paragraphs_beyond_the_limit_are_left_out_and_said_so(settings: Settings) -> None:
    data = officedocs.word_document([f"Ligne {number}" for number in range(1, 11)])
    with OcrEngine(settings) as ocr:
        attachment = read(DocumentReader(with_limits(settings, max_paragraphs=4), ocr), "long.docx", data)
    assert attachment.status == AttachmentStatus.OK
    assert attachment.pages[0].text == "Ligne 1\nLigne 2\nLigne 3\nLigne 4"
    assert attachment.error == (
        "read the first 4 paragraphs and table rows; the rest were left out (limits.max_paragraphs)"
    )


# -- Excel .xlsx -------------------------------------------------------------------------------------


def claims_workbook() -> bytes:
    rows = [
        CLAIM_HEADER,
        ["SIN-2025-0042", "MRH-77120-B", datetime.date(2025, 3, 12), 1842.5],
        ["SIN-2025-0043", "MRH-77120-B", datetime.date(2025, 4, 2), 310],
    ]
    notes = [["Assuré", "Garage Martin SARL"], ["Contrat", "MRH-77120-B"]]
    return officedocs.workbook({"Sinistres": rows, "Notes": notes}, {"Sinistres!D2": '#,##0.00 "€"'})


def test_each_sheet_of_a_workbook_is_a_page_named_after_it(reader: DocumentReader) -> None:
    attachment = read(reader, "sinistres.xlsx", claims_workbook(), XLSX_TYPE)
    assert attachment.status == AttachmentStatus.OK
    assert [(page.number, page.sheet, page.anchor) for page in attachment.pages] == [
        (1, "Sinistres", "#sheetSinistres"),
        (2, "Notes", "#sheetNotes"),
    ]
    assert attachment.pages[0].text == (
        "N° sinistre | N° de contrat | Date de survenance | Montant réglé\n"
        "SIN-2025-0042 | MRH-77120-B | 2025-03-12 | 1842.50 €\n"
        "SIN-2025-0043 | MRH-77120-B | 2025-04-02 | 310"
    )
    assert attachment.pages[1].text == "Assuré | Garage Martin SARL\nContrat | MRH-77120-B"


def test_a_claim_list_with_a_header_row_gives_one_table_row_per_claim(reader: DocumentReader) -> None:
    attachment = read(reader, "sinistres.xlsx", claims_workbook(), XLSX_TYPE)
    assert [row.values for row in attachment.tables] == [
        {
            "claim_number": "SIN-2025-0042",
            "policy_number": "MRH-77120-B",
            "incident_date": "2025-03-12",
            "paid_amount": "1842.50",
        },
        {
            "claim_number": "SIN-2025-0043",
            "policy_number": "MRH-77120-B",
            "incident_date": "2025-04-02",
            "paid_amount": "310.00",
        },
    ]
    assert {row.page for row in attachment.tables} == {1}


def test_a_field_found_in_a_sheet_names_the_sheet_as_its_source(
    settings: Settings, reader: DocumentReader
) -> None:
    attachment = read(reader, "sinistres.xlsx", claims_workbook(), XLSX_TYPE)
    found = fields_of(settings, attachment)
    assert found["claim_number"] == ("SIN-2025-0042", "attachment:sinistres.xlsx#sheetSinistres")
    assert found["policy_number"] == ("MRH-77120-B", "attachment:sinistres.xlsx#sheetNotes")  # labelled there


def test_cells_beyond_the_limit_are_left_out_and_said_so(settings: Settings) -> None:
    rows = [[f"r{row}c{column}" for column in range(10)] for row in range(100)]
    with OcrEngine(settings) as ocr:
        limited = DocumentReader(with_limits(settings, max_cells=25), ocr)
        attachment = read(limited, "gros.xlsx", officedocs.workbook({"Feuil1": rows}))
    assert attachment.status == AttachmentStatus.OK
    assert attachment.pages[0].text.count("\n") == 1  # two rows of ten cells
    assert attachment.error == "read the first 20 cells; the rest were left out (limits.max_cells)"


# -- OpenDocument ------------------------------------------------------------------------------------


def test_an_opendocument_text_gives_its_heading_paragraphs_and_table(
    settings: Settings, reader: DocumentReader
) -> None:
    data = officedocs.odt(
        ["Madame, Monsieur,", "Je déclare un dégât des eaux survenu le 12/03/2025."],
        table=[["N° de police", "MRH-77120-B"], ["Montant réclamé", "1 842,50 €"]],
        heading="Déclaration de sinistre",
    )
    attachment = read(reader, "declaration.odt", data, "application/vnd.oasis.opendocument.text")
    assert attachment.status == AttachmentStatus.OK
    assert attachment.pages[0].text == (
        "Déclaration de sinistre\n"
        "Madame, Monsieur,\n"
        "Je déclare un dégât des eaux survenu le 12/03/2025.\n"
        "N° de police | MRH-77120-B\n"
        "Montant réclamé | 1 842,50 €"
    )
    found = fields_of(settings, attachment)
    assert found["policy_number"] == ("MRH-77120-B", "attachment:declaration.odt#p1")


def test_an_opendocument_spreadsheet_gives_sheets_and_claim_rows_despite_a_million_empty_rows(
    reader: DocumentReader,
) -> None:
    data = officedocs.ods(
        {
            "Sinistres": [CLAIM_HEADER, ["SIN-2025-0042", "MRH-77120-B", "12/03/2025", "1 842,50 €"]],
            "Vide": [],
        }
    )
    started = time.perf_counter()
    attachment = read(reader, "sinistres.ods", data, "application/octet-stream")
    assert time.perf_counter() - started < 5
    assert (attachment.status, attachment.error) == (AttachmentStatus.OK, None)
    assert [(page.anchor, page.text) for page in attachment.pages] == [
        (
            "#sheetSinistres",
            "N° sinistre | N° de contrat | Date de survenance | Montant réglé\n"
            "SIN-2025-0042 | MRH-77120-B | 12/03/2025 | 1 842,50 €",
        ),
        ("#sheetVide", ""),
    ]
    assert [row.values for row in attachment.tables] == [
        {
            "claim_number": "SIN-2025-0042",
            "policy_number": "MRH-77120-B",
            "incident_date": "2025-03-12",
            "paid_amount": "1842.50",
        }
    ]


def test_a_row_repeated_a_million_times_stops_at_the_cell_limit(reader: DocumentReader) -> None:
    data = officedocs.ods({"Feuil1": [["En-tête"]]}, repeated_rows={"Feuil1": (["x", "y"], 1_000_000)})
    attachment = read(reader, "repete.ods", data)
    assert attachment.status == AttachmentStatus.OK
    assert attachment.pages[0].text.count("x | y") == (LimitSettings().max_cells - 1) // 2
    assert "(limits.max_cells)" in attachment.error


# -- RTF, Word 97-2003, HTML, CSV ---------------------------------------------------------------------


def test_an_rtf_document_is_read_in_its_code_page(settings: Settings, reader: DocumentReader) -> None:
    data = rb"{\rtf1\ansi\ansicpg1252 Police n\'b0 MRH-77120-B\par Montant r\'e9clam\'e9 : 1 842,50 \'80\par}"
    attachment = read(reader, "courrier.rtf", data, "application/rtf")
    assert attachment.pages[0].text == "Police n° MRH-77120-B\nMontant réclamé : 1 842,50 €"
    assert fields_of(settings, attachment)["policy_number"] == ("MRH-77120-B", "attachment:courrier.rtf#p1")


@pytest.fixture
def catdoc() -> str:
    path = shutil.which("catdoc")
    require(path is not None, "catdoc is not installed (apt-get install catdoc)")
    return path


def test_a_word_97_document_is_read_by_catdoc(
    settings: Settings, reader: DocumentReader, catdoc: str
) -> None:
    data = officedocs.word97("Police n° MRH-77120-B\nMontant réclamé : 1 842,50 €\n")
    attachment = read(reader, "courrier.doc", data, "application/msword")
    assert (attachment.status, attachment.error) == (AttachmentStatus.OK, None)
    assert attachment.pages[0].text == "Police n° MRH-77120-B\nMontant réclamé : 1 842,50 €"
    assert fields_of(settings, attachment)["total_amount"] == ("1842.50", "attachment:courrier.doc#p1")


def via_nytt_doc() -> bytes:
    """A real Word 97 document (a Norwegian travel agency's newsletter), attached to a
    winmail.dat of tnefparse's test files."""
    stream = SHARED_EVAL / "tnef_winmail_tnefparse" / "MAPI_ATTACH_DATA_OBJ.tnef"
    require(stream.is_file(), f"the shared evaluation corpus is not at {stream.parent}")
    (doc,) = [file for file in WinmailDat().read(stream.read_bytes()).files if file.name.endswith(".doc")]
    return doc.data


def test_a_real_word_97_document_from_a_winmail_dat_is_read(reader: DocumentReader, catdoc: str) -> None:
    attachment = read(reader, "VIA_Nytt_1402.doc", via_nytt_doc())
    assert (attachment.status, attachment.error) == (AttachmentStatus.OK, None)
    text = attachment.pages[0].text
    assert text.lstrip().startswith("VIA Nytt 14 - 2002\t20 august\nVIA Flyspesialisten ønsker")
    assert text.endswith("Vennligst meld tilbake til avsender.")


def test_what_a_cut_short_word_97_document_holds_is_read_and_its_damage_noted(
    reader: DocumentReader, catdoc: str
) -> None:
    attachment = read(reader, "coupe.doc", via_nytt_doc()[:20_000], "application/msword")
    assert attachment.status == AttachmentStatus.OK
    assert "Ny rute fra Stavanger til Aberdeen" in attachment.pages[0].text
    assert attachment.error == (
        "the Word 97-2003 document is damaged (catdoc: Bad BBD entry! Broken OLE file.): "
        "what could be read of it was kept"
    )


def test_catdoc_is_given_up_after_the_time_limit(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = tmp_path / "catdoc"  # a catdoc that never ends, as one lost in a hostile file would
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    started = time.perf_counter()
    with OcrEngine(settings) as ocr:
        limited = DocumentReader(with_limits(settings, document_seconds=1), ocr)
        attachment = read(limited, "lent.doc", officedocs.word97("Police MRH-77120-B\n"))
    assert time.perf_counter() - started < 10
    assert (attachment.status, attachment.error) == (
        AttachmentStatus.ERROR,
        "the Word 97-2003 document took longer than 1 s to read (limits.document_seconds)",
    )


def test_an_outlook_msg_is_never_taken_for_a_word_97_document(settings: Settings) -> None:
    msg = officedocs.ole_file({"__substg1.0_0037001F": "Sinistre".encode("utf-16-le")})
    doc = DocReader(settings)
    assert not doc.can_read("application/octet-stream", "mail.msg", msg[:HEAD_SIZE])
    with pytest.raises(Exception, match="an Outlook .msg file, not a Word document"):
        doc.read("mail.doc", msg)


def test_an_excel_97_file_named_doc_is_an_error_saying_what_it_is(reader: DocumentReader) -> None:
    xls = officedocs.excel97({"Feuil1": [["Contrat MRH-77120-B"]]})  # its first bytes say nothing
    attachment = read(reader, "tableau.doc", xls, "application/msword")
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error == "it is not a Word 97-2003 document: it is an Excel 97-2003 workbook (.xls)"


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("declaration.htm", "text/html"),
        ("piece", "application/octet-stream"),
        ("lettre.doc", "application/msword"),
    ],
    ids=["declared", "unnamed", "word-web-page"],
)
def test_an_html_attachment_is_read_as_a_browser_shows_it(
    reader: DocumentReader, filename: str, content_type: str
) -> None:
    html = (
        "<!DOCTYPE html><html><head><meta charset='windows-1252'><style>p{color:red}</style></head>"
        "<body><h1>Déclaration</h1><p>Police : MRH-77120-B</p></body></html>"
    ).encode("cp1252")
    attachment = read(reader, filename, html, content_type)
    assert attachment.status == AttachmentStatus.OK
    assert attachment.pages[0].text == "Déclaration\n\nPolice : MRH-77120-B"


def test_a_french_csv_gives_its_rows_and_claim_rows(settings: Settings, reader: DocumentReader) -> None:
    data = (
        "N° sinistre;N° de contrat;Date de survenance;Montant réglé\r\n"
        'SIN-2025-0042;MRH-77120-B;12/03/2025;"1 842,50"\r\n'
        'SIN-2025-0043;MRH-77120-B;02/04/2025;"310,00"\r\n'
    ).encode("cp1252")
    attachment = read(reader, "export.csv", data, "text/csv")
    assert attachment.pages[0].text.splitlines()[1] == "SIN-2025-0042 | MRH-77120-B | 12/03/2025 | 1 842,50"
    assert attachment.pages[0].anchor == "#p1"
    assert [row.values["paid_amount"] for row in attachment.tables] == ["1842.50", "310.00"]
    assert fields_of(settings, attachment)["policy_number"][1] == "attachment:export.csv#p1"


def test_an_english_csv_with_quoted_commas_is_split_on_its_commas(reader: DocumentReader) -> None:
    data = b'Claim #,Policy #,Insured,Paid\nC-1001,P-77,"Smith, Jones & Co",1200.00\n'
    attachment = read(reader, "claims.csv", data, "text/csv")
    assert attachment.pages[0].text.splitlines()[1] == "C-1001 | P-77 | Smith, Jones & Co | 1200.00"
    assert attachment.tables[0].values["insured"] == "Smith, Jones & Co"


# -- Damaged files, zip bombs ------------------------------------------------------------------------


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("coupe.docx", _truncated(officedocs.word_document(["x"] * 50)), "the Word document is damaged"),
        ("coupe.xlsx", _truncated(officedocs.workbook({"A": [["x"]] * 50})), "the Excel workbook is damaged"),
        ("coupe.odt", _truncated(officedocs.odt(["x"] * 50)), "the OpenDocument text is damaged"),
        ("coupe.ods", _truncated(officedocs.ods({"A": [["x"]]})), "the OpenDocument spreadsheet is damaged"),
        ("faux.rtf", b"\x00" * 64, "it is not an RTF document: it does not start with {\\rtf"),
        ("faux.doc", b"Bonjour" * 20, "it is not a Word 97-2003 document"),
        ("binaire.csv", bytes(range(256)) * 4, "not readable as text: binary content"),
    ],
    ids=["docx", "xlsx", "odt", "ods", "rtf", "doc", "csv"],
)
def test_a_damaged_document_is_an_error_with_its_reason(
    reader: DocumentReader, filename: str, data: bytes, reason: str
) -> None:
    attachment = read(reader, filename, data)
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error.startswith(reason), attachment.error
    assert attachment.pages == []


def test_a_word_document_whose_xml_is_broken_is_an_error_in_the_library_words(reader: DocumentReader) -> None:
    broken = _replace_part(officedocs.word_document(["x"]), "word/document.xml", b"<w:document><w:body><w:p>")
    attachment = read(reader, "casse.docx", broken, DOCX_TYPE)
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error.startswith("the Word document could not be read: XMLSyntaxError")


def test_a_truncated_word_97_document_is_an_error_from_catdoc(reader: DocumentReader, catdoc: str) -> None:
    data = officedocs.word97("Police n° MRH-77120-B\n" * 200)
    attachment = read(reader, "coupe.doc", data[:1536], "application/msword")
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error == (
        "the Word 97-2003 document could not be read: it is damaged (catdoc: Broken OLE file.)"
    )


@pytest.mark.parametrize(
    ("filename", "part"), [("lettre.docx", "word/document.xml"), ("sinistres.xlsx", "xl/workbook.xml")]
)
def test_a_zip_bomb_disguised_as_an_office_document_is_refused_before_it_expands(
    reader: DocumentReader, filename: str, part: str
) -> None:
    bomb = officedocs.zip_bomb(part, megabytes=50)
    assert len(bomb) < 100_000
    started = time.perf_counter()
    attachment = read(reader, filename, bomb)
    assert time.perf_counter() - started < 1
    assert attachment.status == AttachmentStatus.SKIPPED
    assert (
        "was not opened" in attachment.error
        and "a zip bomb (limits.max_zip_ratio is 200)" in attachment.error
    )
    assert f"{part} would expand" in attachment.error


def test_an_office_document_too_large_unpacked_is_refused(settings: Settings) -> None:
    data = officedocs.word_document(["x"])
    with OcrEngine(settings) as ocr:
        attachment = read(
            DocumentReader(with_limits(settings, max_archive_mb=0.01), ocr), "lettre.docx", data
        )
    assert attachment.status == AttachmentStatus.SKIPPED
    assert attachment.error.startswith("the Word document was not opened: its contents would take")
    assert attachment.error.endswith("over the 0.01 MB limit (limits.max_archive_mb)")


def test_a_zip_that_lies_about_its_sizes_unpacks_no_more_than_it_said(reader: DocumentReader) -> None:
    honest = officedocs.word_document(["Contrat MRH-77120-B " * 2000])
    attachment = read(reader, "menteur.docx", officedocs.lying_zip(honest), DOCX_TYPE)
    assert attachment.status == AttachmentStatus.ERROR
    assert "Bad CRC-32" in attachment.error or "damaged" in attachment.error


def test_a_word_document_of_millions_of_empty_paragraphs_is_read_no_further_than_the_limit(
    settings: Settings, reader: DocumentReader
) -> None:
    # 80 MB of <w:p/> squeezed into a zip a quarter of a megabyte: 2 GB if parsed whole.
    empty = b"<w:p/>" * (80 * 1024 * 1024 // 6)
    body = f"<w:document {_W}><w:body>".encode() + empty + b"</w:body></w:document>"
    data = _replace_part(officedocs.word_document(["x"]), "word/document.xml", body)
    started = time.perf_counter()
    with OcrEngine(settings) as ocr:  # the ratio limit would refuse it at once: let it through
        attachment = read(DocumentReader(with_limits(settings, max_zip_ratio=2000), ocr), "vide.docx", data)
    assert time.perf_counter() - started < 5
    assert attachment.status == AttachmentStatus.OK
    assert "read the first 20,000 paragraphs and table rows" in attachment.error


def test_a_sheet_row_wider_than_excel_allows_is_refused_before_openpyxl_holds_it(
    reader: DocumentReader,
) -> None:
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1">' + b'<c r="A1"/>' * 20_000 + b"</row></sheetData></worksheet>"
    )
    data = _replace_part(officedocs.workbook({"Feuil1": [["x"]]}), "xl/worksheets/sheet1.xml", sheet)
    attachment = read(reader, "large.xlsx", data, XLSX_TYPE)
    assert (attachment.status, attachment.error) == (
        AttachmentStatus.ERROR,
        "the Excel workbook was not read: a row of xl/worksheets/sheet1.xml holds over 16,384 cells",
    )


def test_a_password_protected_word_document_says_so(reader: DocumentReader) -> None:
    attachment = read(reader, "confidentiel.docx", officedocs.encrypted_office_file(), DOCX_TYPE)
    assert (attachment.status, attachment.error) == (
        AttachmentStatus.ERROR,
        "the Word document is protected with a password",
    )


def test_a_workbook_named_docx_is_read_as_the_workbook_it_is(reader: DocumentReader) -> None:
    attachment = read(reader, "lettre.docx", officedocs.workbook({"Feuil1": [["x"]]}), DOCX_TYPE)
    assert attachment.status == AttachmentStatus.OK and attachment.pages[0].anchor == "#sheetFeuil1"


def test_a_zip_named_docx_is_an_error_saying_what_it_lacks(reader: DocumentReader) -> None:
    attachment = read(reader, "lettre.docx", docbuilder.zip_archive(), DOCX_TYPE)
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error == "it is not a Word document: it is a zip file without its parts"


def test_another_office_package_named_docx_is_an_error_saying_so(reader: DocumentReader) -> None:
    visio = docbuilder.zip_archive(
        {"[Content_Types].xml": b'<?xml version="1.0"?><Types/>', "visio/document.xml": b"<VisioDocument/>"}
    )
    attachment = read(reader, "plan.docx", visio, DOCX_TYPE)
    assert (attachment.status, attachment.error) == (
        AttachmentStatus.ERROR,
        "it is not a Word document: its parts are those of another kind of Office file",
    )


# -- Settings, and the whole pipeline ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["max_cells", "max_paragraphs", "document_seconds"])
def test_a_limit_of_zero_is_refused_when_the_settings_load(name: str) -> None:
    with pytest.raises(ConfigError, match=f"{name} must be more than 0"):
        LimitSettings(**{name: 0})


def test_rpa_doctor_lists_every_reader_and_says_which_are_available(settings: Settings) -> None:
    from rpa.doctor import run_checks

    readers = {check.name: check.ok for check in run_checks(settings) if check.name.startswith("reader:")}
    for name in ("docx", "xlsx", "odt", "ods", "rtf", "html", "doc", "csv", "text"):
        assert f"reader:{name}" in readers
    assert readers["reader:docx"] and readers["reader:xlsx"]
    assert readers["reader:doc"] == (shutil.which("catdoc") is not None)


def test_a_mail_with_a_word_attachment_gives_its_fields_with_their_page(settings: Settings) -> None:
    docx = officedocs.word_document(
        ["Madame, Monsieur,", "Veuillez trouver ma déclaration."],
        table=[["N° de police", "MRH-77120-B"], ["Montant réclamé", "1 842,50 €"]],
    )
    data = make_mail("Bonjour, ci-joint ma déclaration.", attachments=[("declaration.docx", DOCX_TYPE, docx)])
    pipeline = Pipeline(settings)
    try:
        result = pipeline.process(RawInput(source="mail.eml", data=data, kind="mail", filename="mail.eml"))
    finally:
        pipeline.close()
    (attachment,) = result.message.attachments
    assert attachment.status == AttachmentStatus.OK
    assert (result.fields["policy_number"].value, result.fields["policy_number"].source) == (
        "MRH-77120-B",
        "attachment:declaration.docx#p1",
    )
    assert result.fields["total_amount"].value == "1842.50"


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            target.writestr(member, content if member.filename == name else source.read(member))
    return out.getvalue()


def _saved(document: object) -> bytes:
    import io

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
