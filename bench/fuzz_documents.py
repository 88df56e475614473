"""The document harnesses' family: pdf, image, office, xls, pptx, and the seeds of zip.

Each document is read as the pipeline reads it (`read_document`): by the registered
readers, built with the settings and the OCR engine handed to them, the document
given to the first that takes it. Seeds are public PDFs, SROIE receipt scans, the
sample TIFF, and Office documents and zips made by the writers the tests use
(tests/officedocs.py). Modules under test are imported inside the functions (see
`fuzz_targets`).
"""

from __future__ import annotations

import functools
import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from fuzz_harness import EVAL, ROOT, SAMPLES, Broken, check_refusal, seed_files

__all__ = [
    "OFFICE_CODE",
    "OFFICE_READERS",
    "PDF_CODE",
    "PDF_TOKENS",
    "PPTX_CODE",
    "PPTX_TOKENS",
    "XLS_CODE",
    "XLS_TOKENS",
    "document_target",
    "image_seeds",
    "office_seeds",
    "pdf_seeds",
    "pptx_seeds",
    "pptx_target",
    "read_document",
    "xls_seeds",
    "zip_seeds",
]


def read_document(readers: tuple[str, ...], declared: str, data: bytes):  # noqa: ANN201 - DocumentText
    """What rpa reads in `data`, a document declared as `declared` (a MIME type), with the
    registered readers named `readers`: built as `rpa.pipeline` builds them (from the
    registry, with the settings and the OCR engine handed to them), the document given
    to the first that takes it, as `extractors.documents` gives it. Raises `ExtractionError`.

    The one place that knows where the readers live: update it when they move."""
    from extractors.readers.base import HEAD_SIZE
    from rpa.errors import ExtractionError

    for reader in _readers(readers):
        if reader.can_read(declared, "attachment", data[:HEAD_SIZE]):
            if not reader.is_available():
                raise ExtractionError(f"the {reader.name} reader is not available here", status="skipped")
            return reader.read("attachment", data)
    raise ExtractionError(f"unsupported document type: {declared}", status="skipped")


@functools.cache
def _readers(names: tuple[str, ...]) -> list:
    from extractors.readers.registry import make_readers

    settings = _settings()
    return make_readers(settings, _pictures_only_engine(settings), names)


@functools.cache
def _settings():  # noqa: ANN202 - rpa.config.Settings
    """The default settings, loaded as rpa loads them, but one OCR worker (one input at a
    time), PDF pages rendered at 72 dpi and 10 pages a document: the same code runs,
    and a fuzzed PDF of 30 blank pages at 300 dpi would cost a second an input. A reader
    that bounds its own time (`limits.document_seconds`) gets 3 s, within the fuzzer's
    budget for one input: its bound is what is tested."""
    from rpa.config import load_settings

    home = Path(tempfile.gettempdir()) / "rpa-fuzz"
    environ = {
        "RPA_HOME": str(home),
        "RPA_OCR_WORKERS": "1",
        "RPA_OCR_DPI": "72",
        "RPA_LIMITS_MAX_PAGES": "10",
        "RPA_LIMITS_DOCUMENT_SECONDS": "3",
    }
    return load_settings(environ=environ)


def _pictures_only_engine(settings):  # noqa: ANN001, ANN202 - Settings -> OcrEngine
    """An OCR engine that decodes and prepares every picture a reader hands it, as the
    engines do, but reads no text: the fuzzer tests our code on hostile bytes, not
    Tesseract, and a Tesseract run would cost a hundred executions."""
    from extractors.ocr import OcrEngine, OcrResult
    from extractors.tesseract import prepare_image

    class PicturesOnly(OcrEngine):
        def ocr(self, image, photo: bool = False) -> OcrResult:  # noqa: ANN001
            prepare_image(image).close()
            return OcrResult("")

    return PicturesOnly(settings)


def document_target(readers: tuple[str, ...], declared: str) -> Callable[[], Callable[[bytes], None]]:
    def make() -> Callable[[bytes], None]:
        from rpa.errors import ExtractionError
        from rpa.models import Page

        _readers(readers)  # a reader that cannot be built stops the harness, not each input

        def target(data: bytes) -> None:
            try:
                text = read_document(readers, declared, data)
            except ExtractionError as exc:
                check_refusal(exc)
                return
            if not all(isinstance(page, Page) and isinstance(page.text, str) for page in text.pages):
                raise Broken(f"the reader gave something other than pages: {text.pages!r:.200}")

        return target

    return make


def pptx_target(declared: str) -> Callable[[], Callable[[bytes], None]]:
    """The PowerPoint reader given each input twice: as it is, and with the CRCs of its
    stored parts made right (`_crcs_mended`), or a change to a slide's XML would only
    ever reach zipfile's CRC check, never the reader's walk through the slides."""
    read = document_target(("pptx",), declared)

    def make() -> Callable[[bytes], None]:
        target = read()

        def target_mended_too(data: bytes) -> None:
            target(data)
            mended = _crcs_mended(data)
            if mended != data:
                target(mended)

        return target_mended_too

    return make


def _crcs_mended(data: bytes) -> bytes:
    """`data` with the CRC of every stored zip member set to its bytes' own, in the central
    directory (which zipfile checks) and the local header; `data` itself when zipfile
    cannot list the members. Anyone sending a hostile file can make its CRCs right."""
    import struct
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members, central = archive.infolist(), archive.start_dir
    except Exception:  # noqa: BLE001 - not a zip zipfile lists: the input as it is
        return data
    mended = bytearray(data)
    for member in members:  # the central directory lists them in this order
        if central + 46 > len(mended) or mended[central : central + 4] != b"PK\x01\x02":
            break
        entry, central = central, central + 46 + sum(struct.unpack_from("<HHH", mended, central + 28))
        local = member.header_offset
        if member.compress_type != zipfile.ZIP_STORED or not 0 <= local <= len(mended) - 30:
            continue
        start = local + 30 + sum(struct.unpack_from("<HH", mended, local + 26))
        crc = zlib.crc32(mended[start : start + member.compress_size])
        struct.pack_into("<I", mended, entry + 16, crc)
        if mended[local : local + 4] == b"PK\x03\x04":
            struct.pack_into("<I", mended, local + 14, crc)
    return bytes(mended)


# --- Seeds ----------------------------------------------------------------------

_PDF_SOURCES = (
    ("qpdf_malformed_pdfs", "*.pdf"),
    ("pdfminer_samples", "*.pdf"),
    ("pdfjs_test_pdfs", "*.pdf"),
)
_PDF_BYTES = 24_000


def pdf_seeds(limit: int) -> list[bytes]:
    seeds = [
        data for folder, pattern in _PDF_SOURCES for data in seed_files(folder, pattern, limit, _PDF_BYTES)
    ]
    seeds += seed_files(str(SAMPLES), "*.pdf", limit, _PDF_BYTES)
    return seeds or [b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"]


def image_seeds(limit: int) -> list[bytes]:
    """Small pictures in every format the image reader takes: SROIE receipt scans
    shrunk to a thumbnail, the sample TIFF, and a two-page TIFF made here."""
    from PIL import Image

    pictures = []
    for path in sorted((EVAL / "sroie" / "img").glob("*.jpg"))[:limit]:
        with Image.open(path) as image:
            image.thumbnail((96, 96))
            pictures.append(image.convert("RGB"))
    if not pictures:
        pictures.append(Image.new("L", (64, 48), 255))
    seeds = seed_files(str(SAMPLES), "*.tif", limit, 64_000)
    formats = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
    for number, picture in enumerate(pictures):
        buffer = io.BytesIO()
        picture.save(buffer, format=formats[number % len(formats)])
        seeds.append(buffer.getvalue())
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="TIFF", save_all=True, append_images=[pictures[-1].convert("L")])
    seeds.append(buffer.getvalue())
    return seeds


_CLAIM_TEXT = ("Déclaration de sinistre", "Contrat n° AB-2024-117, dégât des eaux du 3 mars 2025")
_CLAIM_ROWS = (("Sinistre", "Date", "Montant"), ("S-2025-001", "03/03/2025", "1 250,00 €"))
_RTF = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}\f0\fs20 D\'e9claration de sinistre\par "
    rb"Contrat : AB-2024-117\par Montant : 1 250,00 \'80\par}"
)


def office_seeds(limit: int) -> list[bytes]:
    """A Word, Excel, OpenDocument text and spreadsheet, Word 97 and RTF document holding a
    claim, made by the writers the tests use (tests/officedocs.py), and an encrypted one."""
    officedocs = _officedocs()
    return [
        officedocs.word_document(_CLAIM_TEXT, table=_CLAIM_ROWS, header="MAV Assurances", footer="1/1"),
        officedocs.workbook({"Sinistres": _CLAIM_ROWS, "Notes": [["vu le 4 mars"]]}),
        officedocs.odt(_CLAIM_TEXT, table=_CLAIM_ROWS, heading="Sinistre"),
        officedocs.ods({"Sinistres": _CLAIM_ROWS}),
        officedocs.word97("\n".join(_CLAIM_TEXT)),
        officedocs.encrypted_office_file(),
        _RTF,
    ][: max(limit, 7)]


def xls_seeds(limit: int) -> list[bytes]:
    """Excel 97-2003 workbooks as xlwt writes them (tests/officedocs.py): a claim with a
    date, a number format and several sheets; the same rows in an OLE2 file of one's own
    (a small directory, no declaration needed); and an encrypted OLE2 file."""
    import datetime

    officedocs = _officedocs()
    rows = [*_CLAIM_ROWS, ("S-2025-002", datetime.date(2025, 3, 4), 1250.5), ("vu", True, None)]
    return [
        officedocs.excel97(
            {"Sinistres": rows, "Notes": [["vu le 4 mars"]]}, {"Sinistres!C3": "#,##0.00 [$€]"}
        ),
        officedocs.ole_file({"Workbook": officedocs.excel97_stream({"Sinistres": _CLAIM_ROWS})}),
        officedocs.encrypted_office_file(),
    ][: max(limit, 3)]


def pptx_seeds(limit: int) -> list[bytes]:
    """Presentations as python-pptx writes them (tests/officedocs.py): titles, text boxes,
    a group, a table, notes, a title listed last, and a slide with no title; one of
    them stored, not deflated, so that the fuzzer sees its XML (whose CRC it breaks)."""
    officedocs = _officedocs()
    slide = officedocs.Slide
    return [
        officedocs.presentation(
            [
                slide("Déclaration de sinistre", texts=_CLAIM_TEXT, notes="rappeler le client"),
                slide("Montants", table=_CLAIM_ROWS, group=("Expert : M. Durand",), title_last=True),
                slide(texts=("Merci",)),
            ]
        ),
        _stored(officedocs.presentation([slide("Sinistre S-2025-001", table=_CLAIM_ROWS)])),
    ][: max(limit, 2)]


def _officedocs():  # noqa: ANN202 - the module tests/officedocs.py
    """The writers the tests use; tests/ is put on the path when the bench runs alone."""
    try:
        import officedocs
    except ImportError:
        sys.path.insert(0, str(ROOT / "tests"))
        import officedocs
    return officedocs


def zip_seeds(limit: int) -> list[bytes]:
    """Zips as customers send them: a few documents, a folder and macOS's leftovers, one
    stored and one in a zip, other compressions, and 8 MB of zeros in 8 KB."""
    text = "\n".join(_CLAIM_TEXT).encode()
    documents = {"constat.txt": text, "facture.pdf": min(pdf_seeds(1), key=len), "note.rtf": _RTF}
    inner = _zipped(documents)
    return [
        inner,
        _zipped({"dossier/": b"", "dossier/constat.txt": text, "__MACOSX/._constat.txt": b"\0" * 64}),
        _zipped(documents, 0),  # stored
        _zipped({"archive.zip": inner, "lettre.txt": text}),
        _zipped(documents, 12),  # bzip2
        _zipped(documents, 14),  # lzma
        _zipped({"zeros.txt": bytes(8 * 1024 * 1024)}),
    ][: max(limit, 7)]


def _stored(package: bytes) -> bytes:
    """`package` stored, not deflated, without its masters, layouts, theme and pictures."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        kept = [name for name in archive.namelist() if not name.startswith(_NOT_TEXT)]
        return _zipped({name: archive.read(name) for name in kept}, 0)


_NOT_TEXT = ("ppt/slideMasters/", "ppt/slideLayouts/", "ppt/theme/", "ppt/notesMasters/", "docProps/")


def _zipped(files: dict[str, bytes], method: int = 8) -> bytes:  # 8: zipfile.ZIP_DEFLATED
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- What guides the fuzzer ---------------------------------------------------------

PDF_TOKENS = (
    b"obj",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"xref",
    b"trailer",
    b"startxref",
    b"/Filter",
    b"/FlateDecode",
    b"/Length",
    b"/Type/Page",
    b"/Kids",
    b"/Font",
    b"/Encrypt",
    b"/ObjStm",
)
PDF_CODE = ("extractors", "pdfplumber", "pdfminer", "pypdfium2", "PIL")

XLS_TOKENS = (
    "Workbook".encode("utf-16-le"),
    "Book".encode("utf-16-le"),
    b"\x09\x08\x10\x00\x00\x06",  # BOF, BIFF8
    b"\x0a\x00\x00\x00",  # EOF
    b"\x85\x00",  # BOUNDSHEET
    b"\xfc\x00",  # SST
    b"\xfd\x00",  # LABELSST
    b"\x03\x02",  # NUMBER
    b"\x7e\x02",  # RK
    b"\x1e\x04",  # FORMAT
    b"\xe0\x00",  # XF
    b"\x22\x00",  # DATEMODE
    b"\x2f\x00",  # FILEPASS
    b"\x3c\x00",  # CONTINUE
)
PPTX_TOKENS = (
    b"ppt/presentation.xml",
    b"ppt/slides/slide1.xml",
    b"_rels/",
    b"<p:sldId ",
    b' r:id="rId2"',
    b"<p:sp>",
    b"<p:grpSp>",
    b"<p:graphicFrame>",
    b'<p:ph type="title"/>',
    b"<a:p><a:r><a:t>",
    b"<a:tbl><a:tr><a:tc>",
    b"<mc:AlternateContent><mc:Choice>",
    b"notesSlide",
)

OFFICE_READERS = ("docx", "xlsx", "odt", "ods", "rtf", "doc")
OFFICE_CODE = ("extractors", "docx", "openpyxl", "odf", "striprtf", "zipfile")
# xlrd reads in a child process (extractors/readers/xlsworker.py), out of the fuzzer's
# sight: what guides it is rpa's side, the OLE2 sniffing and the child's answer.
XLS_CODE = ("extractors", "xlrd")  # the parent's xlrd: its dates
PPTX_CODE = ("extractors", "zipfile", "defusedxml", "xml")
