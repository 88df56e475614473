"""DocumentReader: every attachment ends ok, error or skipped, with a reason."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import docbuilder
import officedocs
import pytest
from conftest import with_ocr
from PIL import Image

from extractors.documents import DocumentReader
from extractors.ocr import OcrEngine, OcrResult
from extractors.readers.base import HEAD_SIZE, DocumentFormat, DocumentText, assemble_pages, sniff_format
from extractors.readers.registry import READERS, make_readers
from rpa.config import Settings
from rpa.errors import ConfigError
from rpa.models import Attachment, AttachmentStatus

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
CORPUS = (EVAL / "qpdf_malformed_pdfs" / "pdfs", EVAL / "pdfminer_samples")


def attachment(filename: str, content_type: str, data: bytes) -> Attachment:
    return Attachment(filename=filename, content_type=content_type, size=len(data), data=data)


@pytest.fixture
def reader(settings: Settings) -> DocumentReader:
    with OcrEngine(settings) as ocr:
        yield DocumentReader(settings, ocr)


def test_random_bytes_sent_as_octet_stream_are_skipped(reader: DocumentReader) -> None:
    item = attachment("export.dat", "application/octet-stream", docbuilder.random_bytes())
    reader.read(item)
    assert item.status == AttachmentStatus.SKIPPED
    assert item.error == "unsupported document type: application/octet-stream"
    assert item.pages == []


@pytest.mark.parametrize(
    ("filename", "content_type", "data"),
    [
        ("photos.zip", "application/zip", docbuilder.zip_archive()),
        ("winmail.dat", "application/ms-tnef", b"\x78\x9f\x3e\x22" + bytes(200)),
    ],
)
def test_archives_and_winmail_dat_are_skipped(
    reader: DocumentReader, filename: str, content_type: str, data: bytes
) -> None:
    item = attachment(filename, content_type, data)
    reader.read(item)
    assert item.status == AttachmentStatus.SKIPPED
    assert item.error == f"unsupported document type: {content_type}"


def test_a_pdf_sent_as_octet_stream_is_read_as_a_pdf(reader: DocumentReader) -> None:
    data = docbuilder.text_pdf(["Avis d'échéance du contrat MRH-77120-B"])
    item = attachment("document", "application/octet-stream", data)
    reader.read(item)
    assert item.status == AttachmentStatus.OK and item.error is None
    assert item.pages[0].text == "Avis d'échéance du contrat MRH-77120-B"


def test_the_first_bytes_win_over_the_name_and_the_declared_type(reader: DocumentReader) -> None:
    data = docbuilder.text_pdf(["Constat amiable rempli et signé par les deux conducteurs"])
    item = attachment("constat.jpg", "image/jpeg", data)
    reader.read(item)
    assert item.status == AttachmentStatus.OK
    assert item.pages[0].text.startswith("Constat amiable")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\r\n\x00garbage from a mail gateway\n%PDF-1.4\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"II*\x00\x08\x00", "tiff"),
        (b"MM\x00*\x00\x08", "tiff"),
        (b"GIF89a\x01\x00", "gif"),
        (b"BM" + bytes(12) + (40).to_bytes(4, "little"), "bmp"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (b"PK\x03\x04\x14\x00", "zip"),
        ("BMW 320d immatriculée AB-123-CD, sinistre du 12 mars".encode(), None),
        (b"Bonjour, voici ma facture.", None),
    ],
)
def test_the_format_is_recognised_from_its_first_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_format(head) == expected


def test_an_attachment_skipped_for_its_size_is_left_alone(reader: DocumentReader) -> None:
    item = attachment("huge.pdf", "application/pdf", b"")
    item.status, item.error = AttachmentStatus.SKIPPED, "larger than 20 MB"
    reader.read(item)
    assert (item.status, item.error, item.pages) == (AttachmentStatus.SKIPPED, "larger than 20 MB", [])


def test_an_empty_attachment_is_an_error(reader: DocumentReader) -> None:
    item = attachment("vide.pdf", "application/pdf", b"")
    reader.read(item)
    assert (item.status, item.error) == (AttachmentStatus.ERROR, "empty document (0 bytes)")


def test_a_text_attachment_from_windows_is_one_page_of_text(reader: DocumentReader) -> None:
    data = "Référence sinistre : 2025-4471\r\nMontant réclamé : 1 842,50 €\r\n".encode("cp1252")
    item = attachment("note.txt", "text/plain", data)
    reader.read(item)
    assert item.status == AttachmentStatus.OK
    assert [(p.number, p.text, p.ocr) for p in item.pages] == [
        (1, "Référence sinistre : 2025-4471\nMontant réclamé : 1 842,50 €", False)
    ]


def test_a_csv_attachment_is_read_as_rows_of_cells(reader: DocumentReader) -> None:
    item = attachment("lignes.csv", "text/csv", b"date;montant\n2025-03-12;1842,50\n")
    reader.read(item)
    assert item.pages[0].text == "date | montant\n2025-03-12 | 1842,50"


def test_a_blank_scan_is_ok_with_a_no_text_found_note(reader: DocumentReader, tesseract: str) -> None:
    blank = docbuilder.scan_image([], dpi=100)
    item = attachment("blank.png", "image/png", docbuilder.image_bytes(blank, "PNG"))
    reader.read(item)
    assert item.status == AttachmentStatus.OK
    assert item.error == "no text found"
    assert len(item.pages) == 1 and item.pages[0].ocr


def test_an_image_that_cannot_be_decoded_is_an_error(reader: DocumentReader, tesseract: str) -> None:
    picture = docbuilder.image_bytes(docbuilder.scan_image(["Facture"], dpi=100), "PNG")
    item = attachment("facture.png", "image/png", docbuilder.truncated(picture, 0.3))
    reader.read(item)
    assert item.status == AttachmentStatus.ERROR
    assert item.error.startswith("image could not be decoded")


def test_a_scan_without_tesseract_is_an_error_pointing_to_the_doctor(
    settings: Settings, tmp_path: Path
) -> None:
    missing = with_ocr(settings, tesseract_cmd=str(tmp_path / "none"))
    scan = docbuilder.image_bytes(docbuilder.scan_image(["Facture"], dpi=100), "PNG")
    item = attachment("scan.png", "image/png", scan)
    with OcrEngine(missing) as ocr:
        DocumentReader(missing, ocr).read(item)
    assert item.status == AttachmentStatus.ERROR
    assert "image reader is not available" in item.error and "rpa doctor" in item.error


def test_ocr_that_sees_nothing_does_not_erase_a_page_s_own_words() -> None:
    text = assemble_pages(["Page 2", ""], {1: OcrResult(""), 2: OcrResult("")})
    assert [(page.text, page.ocr) for page in text.pages] == [("Page 2", False), ("", True)]


class OverlapRecordingOcrEngine(OcrEngine):
    """The real engine, recording how many pages it reads at the same time."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.running = self.most_at_once = 0
        self._overlap_lock = threading.Lock()

    def ocr(self, image: Image.Image, photo: bool = False) -> OcrResult:
        with self._overlap_lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            return super().ocr(image, photo)
        finally:
            with self._overlap_lock:
                self.running -= 1


def test_read_all_ocrs_the_scans_of_several_attachments_side_by_side(
    settings: Settings, tesseract: str
) -> None:
    two_workers = with_ocr(settings, workers=2)
    items = [
        attachment(
            f"scan{n}.jpg",
            "image/jpeg",
            docbuilder.image_bytes(docbuilder.scan_image([f"Pièce justificative {n}"], dpi=200), "JPEG"),
        )
        for n in (1, 2, 3)
    ]
    with OverlapRecordingOcrEngine(two_workers) as engine:
        DocumentReader(two_workers, ocr=engine).read_all(items)
    assert [item.status for item in items] == [AttachmentStatus.OK] * 3
    assert [" ".join(item.pages[0].text.split()) for item in items] == [
        f"Pièce justificative {n}" for n in (1, 2, 3)
    ]
    assert engine.most_at_once == 2


def test_read_all_reads_many_pdfs_at_once_each_with_its_own_text(reader: DocumentReader) -> None:
    items = [
        attachment(
            f"avenant{n}.pdf",
            "application/pdf",
            docbuilder.text_pdf([f"Avenant numéro {n} au contrat d'assurance automobile"] * 20),
        )
        for n in range(8)
    ]
    reader.read_all(items)
    assert [item.status for item in items] == [AttachmentStatus.OK] * 8
    assert [{page.text for page in item.pages} for item in items] == [
        {f"Avenant numéro {n} au contrat d'assurance automobile"} for n in range(8)
    ]


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_registered_reader_satisfies_the_protocol(settings: Settings, name: str) -> None:
    with OcrEngine(settings) as engine:
        reader = READERS[name](settings, engine)
        assert isinstance(reader, DocumentFormat)
        assert reader.name == name
        assert isinstance(reader.is_available(), bool)
        assert reader.can_read("application/octet-stream", "x.bin", docbuilder.random_bytes()) is False


# One small document per registered reader: (file name, declared type, bytes).
READER_SAMPLES = {
    "pdf": ("avenant.pdf", "application/pdf", docbuilder.text_pdf(["Avenant au contrat MRH-77120-B"])),
    "image": ("blank.png", "image/png", docbuilder.image_bytes(docbuilder.scan_image([], dpi=100), "PNG")),
    "text": ("note.txt", "text/plain", "Référence sinistre : 2025-4471".encode()),
    "docx": ("lettre.docx", "application/octet-stream", officedocs.word_document(["Contrat MRH-77120-B"])),
    "xlsx": (
        "sinistres.xlsx",
        "application/octet-stream",
        officedocs.workbook({"Feuil1": [["MRH-77120-B"]]}),
    ),
    "odt": ("lettre.odt", "application/octet-stream", officedocs.odt(["Contrat MRH-77120-B"])),
    "ods": ("sinistres.ods", "application/octet-stream", officedocs.ods({"Feuil1": [["MRH-77120-B"]]})),
    "rtf": ("lettre.rtf", "application/octet-stream", rb"{\rtf1\ansi Contrat MRH-77120-B\par}"),
    "html": ("lettre.htm", "text/html", b"<p>Contrat MRH-77120-B</p>"),
    "doc": ("lettre.doc", "application/msword", officedocs.word97("Contrat MRH-77120-B\n")),
    "xls": ("sinistres.xls", "application/octet-stream", officedocs.excel97({"Feuil1": [["MRH-77120-B"]]})),
    "pptx": (
        "sinistre.pptx",
        "application/octet-stream",
        officedocs.presentation([officedocs.Slide(title="Contrat MRH-77120-B")]),
    ),
    "csv": ("lignes.csv", "text/csv", b"date;montant\n2025-03-12;1842,50\n"),
    # A real PowerPoint 2007 file: nothing here writes a .ppt (tests/data/ppt/SOURCE.md).
    "ppt": (
        "projet.ppt",
        "application/octet-stream",
        (Path(__file__).parent / "data" / "ppt" / "embedded-simple-2007.ppt").read_bytes(),
    ),
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_registered_reader_claims_its_sample_and_returns_document_text(
    settings: Settings, tesseract: str, name: str
) -> None:
    assert name in READER_SAMPLES, f"add a sample document for the {name!r} reader"
    filename, content_type, data = READER_SAMPLES[name]
    with OcrEngine(settings) as engine:
        reader = READERS[name](settings, engine)
        assert reader.can_read(content_type, filename, data[:HEAD_SIZE])
        text = reader.read(filename, data)
    assert isinstance(text, DocumentText)
    assert [page.number for page in text.pages] == [1]


def test_an_unknown_reader_name_is_a_config_error_listing_the_known_ones(settings: Settings) -> None:
    with (
        OcrEngine(settings) as engine,
        pytest.raises(ConfigError, match="'keynote'.*known: pdf, image, docx, "),
    ):
        make_readers(settings, engine, ["pdf", "keynote"])


class BlankOcrEngine(OcrEngine):
    """Renders every page that would be OCRed, but does not run Tesseract:
    the damaged-file run is about PDF parsing, not recognition."""

    def ocr(self, image: Image.Image, photo: bool = False) -> OcrResult:
        return OcrResult("")


def _damaged_pdfs() -> list:
    files = sorted(path for folder in CORPUS if folder.is_dir() for path in folder.rglob("*.pdf"))
    if not files:
        reason = f"shared evaluation PDFs not found under {EVAL}"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="absent")]
    return [pytest.param(path, id=str(path.relative_to(EVAL))) for path in files]


@pytest.fixture(scope="module")
def damaged_file_reader() -> DocumentReader:
    settings = Settings(home=Path("/nonexistent"))
    low = with_ocr(settings, dpi=72)
    with BlankOcrEngine(low) as engine:
        yield DocumentReader(low, engine)


@pytest.mark.parametrize("path", _damaged_pdfs())
def test_a_damaged_or_unusual_pdf_ends_ok_or_error_with_a_reason_in_bounded_time(
    damaged_file_reader: DocumentReader, path: Path
) -> None:
    item = attachment(path.name, "application/pdf", path.read_bytes())
    started = time.perf_counter()
    damaged_file_reader.read(item)
    assert time.perf_counter() - started < 10
    assert item.status in (AttachmentStatus.OK, AttachmentStatus.ERROR)
    if item.status == AttachmentStatus.ERROR:
        assert item.error and not item.pages
        assert not item.error.startswith("unexpected error")  # a reader let a library error out
    else:
        assert item.pages and [page.number for page in item.pages] == list(range(1, len(item.pages) + 1))
