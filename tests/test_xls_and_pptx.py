"""Excel 97-2003 workbooks (.xls) and PowerPoint presentations (.pptx) attached: read for
their text, anchored on their sheets and slides, with their claim tables and fields, within
`[limits]`; damaged, encrypted or hostile ones end as errors saying why.

Every file is written by the test: .xls by xlwt (as Excel lays it out, or its `Workbook`
stream in an OLE2 file of our own), .pptx by python-pptx or by hand where a file must be
broken on purpose."""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import shutil
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import officedocs
import pytest
from conftest import make_mail
from officedocs import Slide, read, reader  # noqa: F401 - reader is a fixture

from extractors.documents import DocumentReader
from extractors.fields.extract import extract_fields
from extractors.ocr import OcrEngine
from extractors.readers.base import HEAD_SIZE, ole_kind
from extractors.readers.xls import XlsReader
from extractors.sources import RawInput
from rpa.config import Settings
from rpa.doctor import run_checks
from rpa.models import Attachment, AttachmentStatus, Message, TableRow
from rpa.pipeline import Pipeline, text_sources

XLS_TYPE = "application/vnd.ms-excel"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
CLAIM_HEADER = ["N° sinistre", "N° de contrat", "Date de survenance", "Montant réglé"]
CLAIM = ["SIN-2025-0042", "MRH-77120-B", "12/03/2025", "1 842,50 €"]


def read_with_limits(settings: Settings, filename: str, data: bytes, **limits: object) -> Attachment:
    limited = dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, **limits))
    with OcrEngine(limited) as ocr:
        return read(DocumentReader(limited, ocr), filename, data)


def fields_of(settings: Settings, attachment: Attachment) -> dict[str, tuple[str, str]]:
    """Field name -> (value, source), found in the attachment as the pipeline looks for them."""
    message = Message(source="t", message_id=None, subject="", sender=None, attachments=[attachment])
    found = extract_fields(text_sources(message, "fr"), settings.parsing)
    return {name: (field.value, field.source) for name, field in found.items()}


# -- Excel 97-2003 .xls ------------------------------------------------------------------------------


def claims_workbook() -> bytes:
    rows = [
        CLAIM_HEADER,
        ["SIN-2025-0042", "MRH-77120-B", datetime.date(2025, 3, 12), 1842.5],
        ["SIN-2025-0043", "MRH-77120-B", datetime.date(2025, 4, 2), 310],
    ]
    notes = [["Assuré", "Garage Martin SARL"], ["Contrat", "MRH-77120-B"], ["Réglé", True]]
    return officedocs.excel97({"Sinistres": rows, "Notes": notes}, {"Sinistres!D2": '#,##0.00 "€"'})


def test_each_sheet_of_an_xls_workbook_is_a_page_named_after_it(reader: DocumentReader) -> None:
    attachment = read(reader, "sinistres.xls", claims_workbook(), XLS_TYPE)
    assert (attachment.status, attachment.error) == (AttachmentStatus.OK, None)
    assert [(page.number, page.sheet, page.anchor) for page in attachment.pages] == [
        (1, "Sinistres", "#sheetSinistres"),
        (2, "Notes", "#sheetNotes"),
    ]
    assert attachment.pages[0].text == (  # as the .xlsx reader writes the same cells
        "N° sinistre | N° de contrat | Date de survenance | Montant réglé\n"
        "SIN-2025-0042 | MRH-77120-B | 2025-03-12 | 1842.50 €\n"
        "SIN-2025-0043 | MRH-77120-B | 2025-04-02 | 310"
    )
    assert attachment.pages[1].text == "Assuré | Garage Martin SARL\nContrat | MRH-77120-B\nRéglé | TRUE"


def test_an_xls_claim_list_gives_table_rows_and_fields_name_their_sheet(
    settings: Settings, reader: DocumentReader
) -> None:
    attachment = read(reader, "sinistres.xls", claims_workbook(), XLS_TYPE)
    assert attachment.tables == [
        TableRow(
            1,
            {
                "claim_number": "SIN-2025-0042",
                "policy_number": "MRH-77120-B",
                "incident_date": "2025-03-12",
                "paid_amount": "1842.50",
            },
        ),
        TableRow(
            1,
            {
                "claim_number": "SIN-2025-0043",
                "policy_number": "MRH-77120-B",
                "incident_date": "2025-04-02",
                "paid_amount": "310.00",
            },
        ),
    ]
    found = fields_of(settings, attachment)
    assert found["claim_number"] == ("SIN-2025-0042", "attachment:sinistres.xls#sheetSinistres")


def test_an_xls_is_known_by_its_directory_whatever_its_name(reader: DocumentReader) -> None:
    # An OLE2 file whose directory stands in its first bytes: it says it holds a workbook.
    small = officedocs.ole_file(
        {"Workbook": officedocs.excel97_stream({"Feuil1": [["Contrat MRH-77120-B"]]})}
    )
    assert ole_kind(small[:HEAD_SIZE]) == "xls"
    attachment = read(reader, "tableau.doc", small, "application/msword")
    assert (attachment.status, attachment.pages[0].text) == (AttachmentStatus.OK, "Contrat MRH-77120-B")


def test_an_xls_whose_first_bytes_say_nothing_is_read_when_declared_and_only_then(
    settings: Settings,
) -> None:
    data = officedocs.excel97({"Feuil1": [["x"]]})
    assert ole_kind(data[:HEAD_SIZE]) is None  # Excel writes its directory after the sheets
    assert ole_kind(data) == "xls"
    xls = XlsReader(settings)
    assert xls.can_read("application/octet-stream", "releve.xls", data[:HEAD_SIZE])
    assert xls.can_read(XLS_TYPE, "piece-jointe", data[:HEAD_SIZE])
    assert not xls.can_read("application/octet-stream", "piece-jointe", data[:HEAD_SIZE])


def test_a_word_97_document_or_outlook_mail_is_never_read_as_a_workbook(settings: Settings) -> None:
    xls = XlsReader(settings)
    msg = officedocs.ole_file({"__substg1.0_0037001F": "Sinistre".encode("utf-16-le")})
    assert not xls.can_read(XLS_TYPE, "mail.xls", msg[:HEAD_SIZE])
    doc = officedocs.word97("Contrat MRH-77120-B\n")
    with pytest.raises(
        Exception, match=r"it is not an Excel 97-2003 workbook: it is a Word 97-2003 document"
    ):
        xls.read("tableau.xls", doc)


def test_xls_cells_beyond_the_limit_are_left_out_and_said_so(settings: Settings) -> None:
    rows = [[f"r{row}c{column}" for column in range(10)] for row in range(100)]
    data = officedocs.excel97({"Feuil1": rows, "Feuil2": rows})
    attachment = read_with_limits(settings, "gros.xls", data, max_cells=25)
    assert attachment.status == AttachmentStatus.OK
    assert [page.text.count("\n") for page in attachment.pages] == [1]  # two rows of ten, no second sheet
    assert attachment.error == "read the first 20 cells; the rest were left out (limits.max_cells)"


def test_a_sheet_with_one_far_cell_is_not_padded_into_millions(settings: Settings) -> None:
    data = officedocs.excel97(
        {"Feuil1": [["Contrat MRH-77120-B"]] + [[None]] * 60_000 + [[None] * 255 + ["fin"]]}
    )
    assert len(data) < 10_000  # two cells, the second in row 60,002 and column 256
    started = time.perf_counter()
    tracemalloc.start()
    try:
        attachment = read_with_limits(settings, "creux.xls", data, max_cells=100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 10  # padded, it takes a minute
    assert peak < 50 * 1024 * 1024  # padded, 15 million cells
    assert attachment.pages[0].text.splitlines() == ["Contrat MRH-77120-B", " | " * 255 + "fin"]


def test_a_password_protected_xls_says_so(reader: DocumentReader) -> None:
    stream = officedocs.excel97_stream({"Feuil1": [["secret"]]})
    (size,) = struct.unpack_from("<H", stream, 2)  # after the first record (BOF) comes FILEPASS
    filepass = struct.pack("<HHHHH", 0x002F, 54, 1, 1, 1) + bytes(48)  # RC4, as Excel writes it
    encrypted = officedocs.ole_file({"Workbook": stream[: 4 + size] + filepass + stream[4 + size :]})
    attachment = read(reader, "protege.xls", encrypted, XLS_TYPE)
    assert (attachment.status, attachment.error) == (
        AttachmentStatus.ERROR,
        "the Excel 97-2003 workbook is protected with a password",
    )


def test_an_xls_that_sends_xlrd_round_a_loop_costs_no_more_than_the_limits(settings: Settings) -> None:
    # The Workbook stream is short, so kept in the mini stream; its chain of 64-byte
    # sectors points back to itself. xlrd follows it for ever, a slice more each time
    # (a mutated file found this way took 40 s and 1.8 GB in rpa's own process).
    data = bytearray(officedocs.ole_file({"Workbook": officedocs.excel97_stream({"Feuil1": [["x"]]})}))
    (table,) = struct.unpack_from("<i", data, 0x3C)  # the header names the mini streams' sector table
    struct.pack_into("<i", data, (table + 1) * 512, 0)  # mini sector 0 -> mini sector 0
    started = time.perf_counter()
    tracemalloc.start()
    try:
        attachment = read_with_limits(settings, "boucle.xls", bytes(data), document_seconds=2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 10 and peak < 10 * 1024 * 1024
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error in (
        "the Excel 97-2003 workbook took longer than 2 s to read (limits.document_seconds)",
        "the Excel 97-2003 workbook needed more than 1024 MB to read (limits.document_mb)",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (claims_workbook()[:3000], "the Excel 97-2003 workbook could not be read: it is damaged ("),
        (
            officedocs.ole_file({"Workbook": b"Bonjour" * 600}),
            "the Excel 97-2003 workbook could not be read: it is damaged (XLRDError: Unsupported format, "
            "or corrupt file: Expected BOF record",
        ),
    ],
    ids=["cut-short", "not-biff"],
)
def test_a_damaged_xls_is_an_error_with_its_reason(reader: DocumentReader, data: bytes, reason: str) -> None:
    attachment = read(reader, "casse.xls", data, XLS_TYPE)
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error.startswith(reason), attachment.error
    assert attachment.pages == []


def test_xlrd_prints_nothing_among_the_output(reader: DocumentReader, capsys: pytest.CaptureFixture) -> None:
    read(reader, "casse.xls", claims_workbook()[:3000], XLS_TYPE)
    read(reader, "sinistres.xls", claims_workbook(), XLS_TYPE)
    assert capsys.readouterr() == ("", "")


# -- PowerPoint .pptx --------------------------------------------------------------------------------


def claim_deck() -> bytes:
    return officedocs.presentation(
        [
            Slide(
                title="Déclaration de sinistre",
                texts=["Assuré : Garage Martin SARL\nContrat MRH-77120-B"],
                notes="Rappeler l'assuré lundi",
            ),
            Slide(title="Sinistres de l'année", table=[CLAIM_HEADER, CLAIM]),
            Slide(
                texts=["Annexe"],
                group=["Photo 1 : pare-chocs", "Photo 2 : portière"],
                title="Annexes",
                title_last=True,
            ),
        ]
    )


def _rewritten(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The zip with each part changed (None: left out), its `ppt/` parts first."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        members = sorted(source.infolist(), key=lambda member: not member.filename.startswith("ppt/"))
        for member in members:
            content = change(member.filename, source.read(member))
            if content is not None:
                target.writestr(member.filename, content)
    return out.getvalue()


def _replaced(data: bytes, name: str, content: bytes) -> bytes:
    return _rewritten(data, lambda member, old: content if member == name else old)


def _without_part(data: bytes, name: str) -> bytes:
    return _rewritten(data, lambda member, old: None if member == name else old)


def _parts_first(data: bytes) -> bytes:
    """The same presentation with its `ppt/` parts first: its first bytes show what it is."""
    return _rewritten(data, lambda member, old: old)


def _billion_laughs_deck() -> bytes:
    """A presentation whose first slide defines nested entities: a billion laughs if expanded."""
    entities = b"".join(
        b'<!ENTITY %c "%s">' % (ord("b") + n, b"".join(b"&%c;" % (ord("a") + n) for _ in range(10)))
        for n in range(9)
    )
    slide = (
        b'<?xml version="1.0"?><!DOCTYPE p:sld [<!ENTITY a "hahahahahaha">' + entities + b"]>"
        b'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">&j;</p:sld>'
    )
    return _replaced(claim_deck(), "ppt/slides/slide1.xml", slide)


def test_each_slide_is_a_page_holding_its_title_text_table_and_notes_in_order(
    reader: DocumentReader,
) -> None:
    attachment = read(reader, "sinistre.pptx", claim_deck(), PPTX_TYPE)
    assert (attachment.status, attachment.error) == (AttachmentStatus.OK, None)
    assert [(page.number, page.anchor) for page in attachment.pages] == [
        (1, "#slide1"),
        (2, "#slide2"),
        (3, "#slide3"),
    ]
    assert [page.text for page in attachment.pages] == [
        "Déclaration de sinistre\nAssuré : Garage Martin SARL\nContrat MRH-77120-B\n\nRappeler l'assuré lundi",
        "Sinistres de l'année\n"
        "N° sinistre | N° de contrat | Date de survenance | Montant réglé\n"
        "SIN-2025-0042 | MRH-77120-B | 12/03/2025 | 1 842,50 €",
        "Annexes\nAnnexe\nPhoto 1 : pare-chocs\nPhoto 2 : portière",  # the title first, the group opened
    ]


def test_a_claim_table_on_a_slide_gives_table_rows_and_fields_name_their_slide(
    settings: Settings, reader: DocumentReader
) -> None:
    attachment = read(reader, "sinistre.pptx", claim_deck(), PPTX_TYPE)
    assert attachment.tables == [
        TableRow(
            2,
            {
                "claim_number": "SIN-2025-0042",
                "policy_number": "MRH-77120-B",
                "incident_date": "2025-03-12",
                "paid_amount": "1842.50",
            },
        )
    ]
    found = fields_of(settings, attachment)
    assert found["policy_number"] == ("MRH-77120-B", "attachment:sinistre.pptx#slide1")


def test_a_presentation_is_recognised_by_its_contents_whatever_its_name(reader: DocumentReader) -> None:
    attachment = read(reader, "piece-jointe", _parts_first(claim_deck()))
    assert attachment.status == AttachmentStatus.OK and attachment.pages[0].anchor == "#slide1"


def test_paragraphs_beyond_the_limit_are_left_out_and_said_so(settings: Settings) -> None:
    deck = officedocs.presentation([Slide(texts=[f"Ligne {n}" for n in range(5)]) for _ in range(3)])
    attachment = read_with_limits(settings, "long.pptx", deck, max_paragraphs=7)
    assert [page.text.count("Ligne") for page in attachment.pages] == [5, 2]
    assert attachment.error == (
        "read the first 7 paragraphs and table rows; the rest were left out (limits.max_paragraphs)"
    )


def test_slides_beyond_the_page_limit_are_left_out_and_said_so(settings: Settings) -> None:
    deck = officedocs.presentation([Slide(title=f"Diapositive {n}") for n in range(1, 6)])
    attachment = read_with_limits(settings, "long.pptx", deck, max_pages=2)
    assert [page.text for page in attachment.pages] == ["Diapositive 1", "Diapositive 2"]
    assert attachment.error == "read the first 2 of 5 pages (limits.max_pages)"


def test_a_slide_listed_again_and_again_is_read_once(reader: DocumentReader) -> None:
    deck = claim_deck()
    listing = zipfile.ZipFile(io.BytesIO(deck)).read("ppt/presentation.xml").decode()
    first = re.search(r"<p:sldId [^>]*/>", listing).group(0)
    again = re.sub(r"<p:sldIdLst>.*</p:sldIdLst>", f"<p:sldIdLst>{first * 200}</p:sldIdLst>", listing)
    attachment = read(reader, "boucle.pptx", _replaced(deck, "ppt/presentation.xml", again.encode()))
    assert [page.text.split("\n")[0] for page in attachment.pages[:3]] == ["Déclaration de sinistre", "", ""]
    assert len(attachment.pages) == 200
    assert attachment.error.split("; ")[:2] == [
        "slide 2 was left out: it is ppt/slides/slide1.xml again",
        "slide 3 was left out: it is ppt/slides/slide1.xml again",
    ]


def test_a_slide_the_file_lacks_is_noted_and_the_others_are_read(reader: DocumentReader) -> None:
    deck = _without_part(claim_deck(), "ppt/slides/slide2.xml")
    attachment = read(reader, "incomplet.pptx", deck, PPTX_TYPE)
    assert attachment.status == AttachmentStatus.OK
    assert [page.text.split("\n")[0] for page in attachment.pages] == [
        "Déclaration de sinistre",
        "",
        "Annexes",
    ]
    assert attachment.error == "slide 2 is missing from the file"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (claim_deck()[: len(claim_deck()) // 2], "the PowerPoint presentation is damaged"),
        (
            officedocs.zip_bomb("ppt/presentation.xml", megabytes=50),
            "the PowerPoint presentation was not opened: ppt/presentation.xml would expand",
        ),
        (
            _replaced(claim_deck(), "ppt/presentation.xml", b"<p:presentation><p:sldIdLst>"),
            "the PowerPoint presentation could not be read: its ppt/presentation.xml is not readable XML "
            "(unbound prefix",
        ),
    ],
    ids=["cut-short", "zip-bomb", "broken-slide-list"],
)
def test_a_damaged_or_hostile_presentation_is_refused_saying_why(
    reader: DocumentReader, data: bytes, reason: str
) -> None:
    started = time.perf_counter()
    attachment = read(reader, "hostile.pptx", data, PPTX_TYPE)
    assert time.perf_counter() - started < 2
    assert attachment.status in (AttachmentStatus.ERROR, AttachmentStatus.SKIPPED)
    assert attachment.error.startswith(reason), attachment.error


def test_a_damaged_or_hostile_slide_is_left_out_saying_why_and_the_others_are_read(
    reader: DocumentReader,
) -> None:
    broken = _replaced(_billion_laughs_deck(), "ppt/slides/slide2.xml", b"<p:sld><p:cSld>")
    started = time.perf_counter()
    attachment = read(reader, "hostile.pptx", broken, PPTX_TYPE)
    assert time.perf_counter() - started < 2  # the laughs were never expanded
    assert attachment.status == AttachmentStatus.OK
    assert [page.text for page in attachment.pages] == [
        "",
        "",
        "Annexes\nAnnexe\nPhoto 1 : pare-chocs\nPhoto 2 : portière",
    ]
    assert attachment.error == (
        "slide 1 was left out: its ppt/slides/slide1.xml declares XML entities, which rpa refuses to expand "
        "(EntitiesForbidden); "
        "slide 2 was left out: its ppt/slides/slide2.xml is not readable XML (unbound prefix: line 1, column 0)"
    )


def test_a_mail_with_a_presentation_gives_its_fields_with_their_slide(settings: Settings) -> None:
    data = make_mail(
        "Bonjour, ci-joint la présentation.", attachments=[("sinistre.pptx", PPTX_TYPE, claim_deck())]
    )
    pipeline = Pipeline(settings)
    try:
        result = pipeline.process(RawInput(source="mail.eml", data=data, kind="mail", filename="mail.eml"))
    finally:
        pipeline.close()
    (attachment,) = result.message.attachments
    assert attachment.status == AttachmentStatus.OK
    policy = result.fields["policy_number"]
    assert (policy.value, policy.source) == ("MRH-77120-B", "attachment:sinistre.pptx#slide1")


# -- rpa doctor ---------------------------------------------------------------------------------------


def test_rpa_doctor_lists_the_new_readers_and_names_catdoc_when_it_is_missing(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readers = {check.name: check for check in run_checks(settings) if check.name.startswith("reader:")}
    assert readers["reader:xls"].ok and readers["reader:pptx"].ok
    assert readers["reader:doc"].ok == (shutil.which("catdoc") is not None)
    empty = tmp_path / "bin"  # a machine without catdoc
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    doc = next(check for check in run_checks(settings) if check.name == "reader:doc")
    assert not doc.ok and not doc.required
    assert doc.detail == "not available: catdoc is not installed: apt-get install catdoc (make setup)"
