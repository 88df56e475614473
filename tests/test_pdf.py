"""PDF: the text layer where there is one, OCR (real Tesseract) where there is not."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
from pathlib import Path

import docbuilder
import pytest
from PIL import Image

from extractors.layout import Word, lay_out
from extractors.ocr import OcrEngine, OcrResult
from extractors.readers.pdf import PdfReader, is_plausible_text
from rpa.config import Settings
from rpa.errors import ExtractionError

ROOT = Path(__file__).resolve().parents[1]
QPDF_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "eval" / "qpdf_malformed_pdfs" / "pdfs"


class CountingOcrEngine(OcrEngine):
    """The real engine, counting the pages it is asked to read."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.calls = 0
        self._count_lock = threading.Lock()

    def ocr(self, image: Image.Image, photo: bool = False) -> OcrResult:
        with self._count_lock:
            self.calls += 1
        return super().ocr(image, photo)


@pytest.fixture
def engine(settings: Settings) -> CountingOcrEngine:
    with CountingOcrEngine(settings) as engine:
        yield engine


@pytest.fixture
def reader(settings: Settings, engine: CountingOcrEngine) -> PdfReader:
    return PdfReader(settings, engine)


def words(text: str) -> str:
    return " ".join(text.split())


def test_a_text_pdf_gives_its_text_line_by_line_without_ocr(
    reader: PdfReader, engine: CountingOcrEngine
) -> None:
    data = docbuilder.text_pdf(
        ["Facture FA-2025-0193\nTotal TTC : 1 842,50 €", "Conditions générales de vente"]
    )
    text = reader.read("facture.pdf", data)
    assert [(page.number, page.text, page.ocr) for page in text.pages] == [
        (1, "Facture FA-2025-0193\nTotal TTC : 1 842,50 €", False),
        (2, "Conditions générales de vente", False),
    ]
    assert engine.calls == 0


def test_an_image_only_page_is_ocred_with_its_accents_and_amounts(reader: PdfReader, tesseract: str) -> None:
    scan = docbuilder.scan_image(docbuilder.CLAIM_LINES, dpi=300, angle=1.0, noise=0.1)
    (page,) = reader.read("scan.pdf", docbuilder.image_pdf([scan])).pages
    assert page.ocr
    text = words(page.text)
    assert "Déclaration de sinistre" in text
    assert "1 842,50 €" in text
    assert "AB-2024-117" in text


def test_a_mixed_pdf_ocrs_only_its_scanned_page(
    reader: PdfReader, engine: CountingOcrEngine, tesseract: str
) -> None:
    scan = docbuilder.scan_image(["Facture du garage", "Total : 980,00 €"], dpi=200)
    data = docbuilder.mixed_pdf("Lettre de déclaration de sinistre, page tapée à l'ordinateur.", scan)
    first, second = reader.read("dossier.pdf", data).pages
    assert (first.ocr, second.ocr) == (False, True)
    assert "Lettre de déclaration" in first.text
    assert "Facture du garage" in words(second.text)
    assert engine.calls == 1


def test_a_pdf_locked_by_a_user_password_is_refused_as_password_protected(
    reader: PdfReader,
) -> None:
    data = docbuilder.encrypted_pdf("Relevé d'identité bancaire", user_password="1234")
    with pytest.raises(ExtractionError, match="password-protected") as caught:
        reader.read("rib.pdf", data)
    assert caught.value.status == "error"


def test_an_encrypted_pdf_with_an_empty_user_password_is_read(reader: PdfReader) -> None:
    data = docbuilder.encrypted_pdf("Attestation d'assurance habitation 2025", user_password="")
    (page,) = reader.read("attestation.pdf", data).pages
    assert page.text == "Attestation d'assurance habitation 2025"


def test_a_truncated_pdf_is_an_error_saying_it_is_not_a_valid_pdf(reader: PdfReader) -> None:
    whole = docbuilder.text_pdf(["Déclaration de sinistre"] * 3)
    with pytest.raises(ExtractionError) as caught:
        reader.read("broken.pdf", docbuilder.truncated(whole, 0.4))
    assert caught.value.reason.startswith("not a valid PDF: ")
    assert caught.value.status == "error"


def test_random_bytes_named_pdf_are_not_a_valid_pdf(reader: PdfReader) -> None:
    with pytest.raises(ExtractionError, match="not a valid PDF"):
        reader.read("fake.pdf", docbuilder.random_bytes())


def test_pages_beyond_max_pages_are_left_out_and_said_so(settings: Settings) -> None:
    limited = dataclasses.replace(settings, limits=dataclasses.replace(settings.limits, max_pages=2))
    data = docbuilder.text_pdf([f"Page numéro {n} du contrat d'assurance" for n in range(1, 6)])
    with OcrEngine(limited) as engine:
        text = PdfReader(limited, engine).read("contrat.pdf", data)
    assert [page.number for page in text.pages] == [1, 2]
    assert text.notes == ("read the first 2 of 5 pages (limits.max_pages)",)


def test_a_pdf_that_only_pdfminer_can_open_is_read_with_pdfplumber(reader: PdfReader) -> None:
    sample = QPDF_SAMPLES / "issue-99b.pdf"
    if not sample.is_file():
        pytest.skip(f"shared evaluation files not found: {sample}")
    (page,) = reader.read(sample.name, sample.read_bytes()).pages
    assert page.text.strip()
    assert not page.ocr


@pytest.mark.parametrize(
    ("text", "plausible"),
    [
        ("Madame, veuillez trouver ci-joint la facture de réparation du véhicule.", True),
        ("Page 1", False),  # too short: a header over a scanned page
        ("\ufffd" * 40 + " Facture", False),  # glyphs without a Unicode mapping
        ("\x03\x11\x0f\x1a\x05" * 10 + " Total 1842", False),  # glyph ids instead of letters
        ("Bcdfg hjklm npqrst vwxz bcdf ghjk lmnp qrst", False),  # a broken font mapping
        ("(cid:12)(cid:34)(cid:56)(cid:78)" * 10, False),  # pdfminer's unmapped glyphs
        ("春と修羅の序文は宮沢賢治が書いた詩であり、心象スケッチと呼ばれる", True),  # no Latin vowels needed
        ("N° 2025-0193 | 12/03/2025 | 1 842,50 | 0612345678", True),  # a table of figures
    ],
)
def test_a_text_layer_is_plausible_only_with_enough_real_characters(text: str, plausible: bool) -> None:
    assert is_plausible_text(text, min_chars=25) is plausible


def test_the_first_page_is_also_laid_out_as_printed_with_labels_beside_their_values(
    reader: PdfReader,
) -> None:
    # The producer wrote the values first: the text layer puts them above their labels.
    first = [
        (60, 40, "FA-2025-0118"),
        (20, 20, "Plomberie Martin"),
        (20, 40, "Facture n°"),
        (20, 50, "Total"),
    ]
    pages = reader.read("facture.pdf", docbuilder.placed_pdf([first, [(20, 20, "Conditions")]])).pages
    assert pages[0].text.splitlines()[0] == "FA-2025-0118"
    assert pages[0].layout.splitlines() == ["Plomberie Martin", "Facture n°       FA-2025-0118", "Total"]
    assert pages[1].layout == ""


def test_a_scanned_first_page_has_no_layout(reader: PdfReader, tesseract: str) -> None:
    data = docbuilder.image_pdf([docbuilder.scan_image(["Invoice INV-2291", "Total 120.00"])])
    assert reader.read("scan.pdf", data).pages[0].layout == ""


def test_layout_keeps_a_header_row_above_its_values_column_by_column() -> None:
    def word(text: str, left: float, top: float) -> Word:
        return Word(text, left, top, left + 6 * len(text), top + 10)

    # Values a little lower than their labels, and written before them in the text layer.
    words = [
        word("INV-77", 200, 52),
        word("C-12", 20, 52),
        word("Customer", 20, 40),
        word("Invoice", 200, 40),
    ]
    rows = lay_out(words).splitlines()
    assert [row.split() for row in rows] == [["Customer", "Invoice"], ["C-12", "INV-77"]]
    assert rows[0].index("Invoice") == rows[1].index("INV-77")


def test_layout_joins_the_words_of_a_phrase_with_one_space() -> None:
    words = [Word("Garage", 10, 10, 46, 20), Word("du", 52, 10, 64, 20), Word("Centre", 70, 10, 106, 20)]
    assert lay_out(words) == "Garage du Centre"


# Peak memory of this process image only: ru_maxrss would also count the test
# runner it was forked from, VmHWM starts again at exec.
_MEASURE = """
import re, sys
from pathlib import Path
from extractors.ocr import OcrEngine
from extractors.readers.pdf import PdfReader
from rpa.config import LimitSettings, Settings
settings = Settings(home=Path(sys.argv[2]), limits=LimitSettings(max_pages=1000))
with OcrEngine(settings) as ocr:
    text = PdfReader(settings, ocr).read("big.pdf", Path(sys.argv[1]).read_bytes())
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(len(text.pages), peak_kb // 1024)
"""


def test_a_500_page_pdf_is_read_in_little_memory(tmp_path: Path) -> None:
    if not Path("/proc/self/status").is_file():
        pytest.skip("peak memory is read from /proc (Linux)")
    line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n"
    big = tmp_path / "big.pdf"
    big.write_bytes(docbuilder.text_pdf([f"Page {n}\n" + line * 30 for n in range(500)]))
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(big), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    pages, peak_mb = map(int, done.stdout.split())
    assert pages == 500
    assert peak_mb < 300
