"""Every document is read within `[limits] document_seconds` and `document_mb`: one that loops
or swells ends as an error saying which limit it passed, and the message's other attachments
are read as usual.

Readers without OCR read in a reader process (`extractors.readers.readerpool`). To show the
mechanism, the registry's .docx reader is replaced in some tests by one that loops, swells,
dies or fails on one file name (tests/hostilereaders.py). The real hostile file
is an .xls whose stream chain loops (xlrd follows it for ever, in its own child process). PDFs
and pictures keep a deadline themselves while OCR runs; a slow OCR engine (a subclass of ours)
shows it.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import struct
import time
from pathlib import Path

import officedocs
import pytest
from conftest import make_mail
from hostilereaders import BuggyDocx, DyingDocx, EndlessDocx, SwellingDocx
from officedocs import read
from PIL import Image, ImageDraw

from extractors.documents import DocumentReader
from extractors.ocr import OcrEngine, OcrResult
from extractors.readers.registry import READERS, SMALL_DOCUMENT_BYTES
from extractors.readers.word import DocxReader
from extractors.sources import RawInput
from rpa.config import LimitSettings, Settings, default_config_text
from rpa.errors import ConfigError, ExtractionError
from rpa.models import Attachment, AttachmentStatus
from rpa.pipeline import Pipeline

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def with_limits(settings: Settings, **changes: object) -> Settings:
    return dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, **changes))


def attachment(filename: str, data: bytes, content_type: str = "application/octet-stream") -> Attachment:
    return Attachment(filename, content_type, len(data), data=data)


def looping_xls() -> bytes:
    """An .xls whose short Workbook stream's chain of mini sectors points back on itself."""
    data = bytearray(officedocs.ole_file({"Workbook": officedocs.excel97_stream({"Feuil1": [["x"]]})}))
    (table,) = struct.unpack_from("<i", data, 0x3C)
    struct.pack_into("<i", data, (table + 1) * 512, 0)  # mini sector 0 -> mini sector 0
    return bytes(data)


def the_others() -> list[Attachment]:
    """Attachments beside the hostile one, each read by another reader."""
    return [
        attachment("sinistre.docx", officedocs.word_document(["Police MRH-77120-B"]), DOCX_TYPE),
        attachment("releve.xlsx", officedocs.workbook({"Feuil1": [["Montant", "1 842,50"]]})),
        attachment("note.txt", b"Dossier 2024-1234", "text/plain"),
    ]


def assert_read(others: list[Attachment]) -> None:
    assert [(item.status, item.error) for item in others] == [(AttachmentStatus.OK, None)] * len(others)
    assert "MRH-77120-B" in others[0].pages[0].text and "1 842,50" in others[1].pages[0].text
    assert others[2].pages[0].text == "Dossier 2024-1234"


# -- Time ---------------------------------------------------------------------------------------------


def test_a_document_whose_reader_never_ends_is_stopped_at_the_time_limit_and_the_rest_is_read(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(READERS, "docx", lambda settings, ocr: EndlessDocx(settings))
    hostile = attachment("boucle.docx", officedocs.word_document(["boucle"]), DOCX_TYPE)
    others = the_others()
    started = time.perf_counter()
    with OcrEngine(settings) as ocr:
        DocumentReader(with_limits(settings, document_seconds=3), ocr).read_all([hostile, *others])
    assert time.perf_counter() - started < 15  # 3 s, and a machine busy with other work
    assert (hostile.status, hostile.error, hostile.pages) == (
        AttachmentStatus.ERROR,
        "the docx document took longer than 3 s to read (limits.document_seconds)",
        [],
    )
    assert_read(others)


def test_after_a_document_stopped_at_the_time_limit_the_next_ones_are_read(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(READERS, "docx", lambda settings, ocr: EndlessDocx(settings))
    with OcrEngine(settings) as ocr:
        reader = DocumentReader(with_limits(settings, document_seconds=2), ocr)
        first = read(reader, "boucle.docx", officedocs.word_document(["boucle"]))
        after = [read(reader, f"lettre{n}.docx", officedocs.word_document([f"Lettre {n}"])) for n in range(5)]
    assert first.status == AttachmentStatus.ERROR
    assert [(item.status, item.pages[0].text) for item in after] == [
        (AttachmentStatus.OK, f"Lettre {n}") for n in range(5)
    ]


def test_a_real_xls_that_loops_is_stopped_and_the_mail_around_it_is_processed(settings: Settings) -> None:
    data = make_mail(
        "Bonjour, voici le relevé et la déclaration. Police MRH-77120-B.",
        attachments=[
            ("boucle.xls", "application/vnd.ms-excel", looping_xls()),
            ("sinistre.docx", DOCX_TYPE, officedocs.word_document(["Sinistre n° 2024-1234"])),
        ],
    )
    pipeline = Pipeline(with_limits(settings, document_seconds=2, document_mb=256))
    started = time.perf_counter()
    try:
        result = pipeline.process(RawInput(source="mail.eml", data=data, kind="mail", filename="mail.eml"))
    finally:
        pipeline.close()
    assert time.perf_counter() - started < 20
    hostile, other = result.message.attachments
    assert hostile.status == AttachmentStatus.ERROR
    assert hostile.error in (
        "the Excel 97-2003 workbook took longer than 2 s to read (limits.document_seconds)",
        "the Excel 97-2003 workbook needed more than 256 MB to read (limits.document_mb)",
    )
    assert other.status == AttachmentStatus.OK and "2024-1234" in other.pages[0].text
    assert result.fields["policy_number"].value == "MRH-77120-B"


# -- Memory -------------------------------------------------------------------------------------------


def test_a_document_that_swells_is_stopped_at_the_memory_limit_and_the_rest_is_read(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(READERS, "docx", lambda settings, ocr: SwellingDocx(settings))
    hostile = attachment("enfle.docx", officedocs.word_document(["enfle"]), DOCX_TYPE)
    others = the_others()
    with OcrEngine(settings) as ocr:
        DocumentReader(with_limits(settings, document_mb=64), ocr).read_all([hostile, *others])
    assert (hostile.status, hostile.error) == (
        AttachmentStatus.ERROR,
        "the docx document needed more than 64 MB to read (limits.document_mb)",
    )
    assert_read(others)


def test_the_memory_limit_holds_each_document_not_the_reader_process_over_many(settings: Settings) -> None:
    with OcrEngine(settings) as ocr:
        reader = DocumentReader(with_limits(settings, document_mb=96), ocr)
        items = [
            attachment(f"lettre{n}.docx", officedocs.word_document([f"Lettre {n}"] * 200)) for n in range(30)
        ]
        for item in items:
            reader.read(item)
    assert [(item.status, item.error) for item in items] == [(AttachmentStatus.OK, None)] * 30
    assert [item.pages[0].text.split("\n")[0] for item in items] == [f"Lettre {n}" for n in range(30)]


# -- Other ends of a reader process ----------------------------------------------------------------------------


def test_a_reader_process_killed_from_outside_is_an_error_naming_the_signal(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(READERS, "docx", lambda settings, ocr: DyingDocx(settings))
    with OcrEngine(settings) as ocr:
        docx = read(DocumentReader(settings, ocr), "crash.docx", officedocs.word_document(["x"]))
    assert (docx.status, docx.error) == (
        AttachmentStatus.ERROR,
        "the docx document could not be read: the process reading it was killed by SIGKILL",
    )


def test_an_unexpected_exception_in_the_reader_process_is_recorded_as_it_would_be_in_rpa(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(READERS, "docx", lambda settings, ocr: BuggyDocx(settings))
    with OcrEngine(settings) as ocr:
        docx = read(DocumentReader(settings, ocr), "bizarre.docx", officedocs.word_document(["x"]))
    assert (docx.status, docx.error) == (
        AttachmentStatus.ERROR,
        "unexpected error while reading: KeyError: 'word/document.xml'",
    )


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (officedocs.word_document(["x"])[:300], AttachmentStatus.ERROR),  # cut short
        (officedocs.zip_bomb(), AttachmentStatus.SKIPPED),  # refused before unzipping
    ],
)
def test_a_refusal_in_the_reader_process_keeps_the_reason_and_status_it_has_in_rpa(
    settings: Settings, data: bytes, status: AttachmentStatus
) -> None:
    with pytest.raises(ExtractionError) as in_process:
        DocxReader(settings).read("sinistre.docx", data)
    with OcrEngine(settings) as ocr:
        docx = read(DocumentReader(settings, ocr), "sinistre.docx", data, DOCX_TYPE)
    assert (docx.status, docx.error) == (status, in_process.value.reason)


# -- PDFs and pictures: a deadline while OCR runs -----------------------------------------------------


class SlowOcr(OcrEngine):
    """Our engine, one page at a time, each taking `seconds`: a scan Tesseract struggles with."""

    seconds = 1.0

    def ocr(self, image: Image.Image, photo: bool = False) -> OcrResult:
        time.sleep(self.seconds)
        return OcrResult("Sinistre 2024-1234")


def scanned_pages(count: int) -> list[Image.Image]:
    pages = []
    for number in range(1, count + 1):
        page = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
        ImageDraw.Draw(page).text((100, 100 + 40 * number), f"Page {number}", fill=0)
        pages.append(page)
    return pages


def scanned_pdf(count: int) -> bytes:
    first, *rest = scanned_pages(count)
    out = io.BytesIO()
    first.save(out, "PDF", resolution=150, save_all=True, append_images=rest)
    return out.getvalue()


def scanned_tiff(count: int) -> bytes:
    first, *rest = scanned_pages(count)
    out = io.BytesIO()
    first.save(out, "TIFF", save_all=True, append_images=rest, dpi=(150, 150))
    return out.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "kind", "what"),
    [("scan.pdf", scanned_pdf(8), "pdf", "scanned pages"), ("fax.tif", scanned_tiff(8), "image", "pages")],
)
def test_a_scan_whose_ocr_takes_too_long_is_stopped_saying_how_far_it_got(
    settings: Settings, filename: str, data: bytes, kind: str, what: str
) -> None:
    limited = with_limits(
        dataclasses.replace(settings, ocr=dataclasses.replace(settings.ocr, workers=1)), document_seconds=3
    )
    others = the_others()
    started = time.perf_counter()
    with SlowOcr(limited) as ocr:
        scan = attachment(filename, data)
        DocumentReader(limited, ocr).read_all([scan, *others])
    assert time.perf_counter() - started < 3 + 2 * SlowOcr.seconds + 8  # the page being read ends first
    assert scan.status == AttachmentStatus.ERROR
    expected = rf"the {kind} document took longer than 3 s to read \(limits.document_seconds\): OCR had read [0-3] of 8 {what}"
    assert re.fullmatch(expected, scan.error), scan.error
    assert_read(others)


def test_a_scan_read_in_time_is_read_whole(settings: Settings) -> None:
    limited = dataclasses.replace(settings, ocr=dataclasses.replace(settings.ocr, workers=2))
    with SlowOcr(limited) as ocr:
        scan = read(DocumentReader(limited, ocr), "scan.pdf", scanned_pdf(3))
    assert scan.status == AttachmentStatus.OK
    assert [page.text for page in scan.pages] == ["Sinistre 2024-1234"] * 3


# -- Settings -----------------------------------------------------------------------------------------


def test_a_memory_limit_of_zero_is_refused_when_the_settings_load() -> None:
    with pytest.raises(ConfigError, match="document_mb must be more than 0"):
        LimitSettings(document_mb=0)


def test_the_default_configuration_explains_both_limits() -> None:
    text = default_config_text()
    assert "# document_seconds = 60" in text and "# document_mb = 1024" in text


# -- Reader processes that wait ------------------------------------------------------------------------------


def _reader_processes() -> list[int]:
    """This process's children that are reader processes."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat, command = (entry / "stat").read_text(), (entry / "cmdline").read_bytes()
        except OSError:  # not a process, or one that has just ended
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and b"readerworker.py" in command:
            found.append(int(entry.name))
    return found


def test_a_reader_process_that_waited_reader_idle_seconds_ends_and_the_next_document_starts_one(
    settings: Settings,
) -> None:
    idle = with_limits(settings, reader_idle_seconds=1)
    with OcrEngine(idle) as ocr:
        reader = DocumentReader(idle, ocr)
        first = read(reader, "premiere.docx", officedocs.word_document(["Police MRH-77120-B"]))
        assert _reader_processes()
        ends = time.monotonic() + 10
        while _reader_processes() and time.monotonic() < ends:
            time.sleep(0.2)
        assert not _reader_processes()
        second = read(reader, "seconde.docx", officedocs.word_document(["Sinistre 2024-1234"]))
    assert (first.status, second.status) == (AttachmentStatus.OK, AttachmentStatus.OK)
    assert "Sinistre 2024-1234" in second.pages[0].text


def test_reader_idle_seconds_cannot_be_negative() -> None:
    with pytest.raises(ConfigError, match="reader_idle_seconds must be 0"):
        LimitSettings(reader_idle_seconds=-1)


def test_small_text_html_and_csv_documents_are_read_here_larger_ones_in_a_reader_process(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a mail body of that size is: a reader process costs more than such a document."""
    import extractors.documents

    sent = []
    isolated = extractors.documents.read_in_worker

    def recorded(reader, filename, *args):  # noqa: ANN001, ANN202 - read_in_worker's own
        sent.append(filename)
        return isolated(reader, filename, *args)

    monkeypatch.setattr(extractors.documents, "read_in_worker", recorded)
    row = "<tr><td>Sinistre 2024-1234</td><td>1 234,56 EUR</td></tr>\n"
    small_html = f"<html><body><table>{row * 50}</table></body></html>".encode()
    large_html = f"<html><body><table>{row * 5000}</table></body></html>".encode()
    with OcrEngine(settings) as ocr:
        reader = DocumentReader(settings, ocr)
        items = [
            read(reader, "note.txt", b"Dossier 2024-1234"),
            read(reader, "page.html", small_html),
            read(reader, "releve.csv", b"Date;Montant\n2024-03-02;1 842,50\n"),
            read(reader, "grande.html", large_html),
            read(reader, "lettre.docx", officedocs.word_document(["Police MRH-77120-B"])),
        ]
    assert [item.status for item in items] == [AttachmentStatus.OK] * 5
    assert all("2024" in item.pages[0].text or "MRH" in item.pages[0].text for item in items)
    assert len(large_html) > SMALL_DOCUMENT_BYTES >= len(small_html)
    assert sent == ["grande.html", "lettre.docx"]
