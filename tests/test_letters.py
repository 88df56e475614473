"""Letters received on paper: recognised in a scan, understood like a mail, answered by post.

The scans are drawn here the way a customer's printed letter comes out of an office
scanner (150-300 dpi, turned a little, grainy): sender block left or right, with or
without a subject line, French and English. They go through the real pipeline and the
real Tesseract; the reply's PDF is read back with pdfplumber.
"""

from __future__ import annotations

import dataclasses
import io
import random
from datetime import date
from pathlib import Path

import docbuilder
import pdfplumber
import pytest
from conftest import require, run_rpa
from PIL import Image, ImageDraw, ImageFile, ImageFilter, ImageFont
from starlette.testclient import TestClient
from webclient import add_team, log_in

from drafting.postal import LETTER, WINDOW, PostalReplies, pdf_status
from extractors.letters import letter_from_pages, letter_from_text
from extractors.sources import RawInput
from rpa.config import Settings, load_settings
from rpa.doctor import run_checks
from rpa.errors import ConfigError, NotFound
from rpa.letters import letter_pdf
from rpa.models import Intent, PostalLetter
from rpa.outbox import Outbox
from rpa.pipeline import Pipeline
from rpa.resources import bundled_path
from rpa.store import Store
from rpa.views import export_json, message_json, show_text
from rpa.web import create_app

MM_TO_PT = 72 / 25.4

# -- the letters -------------------------------------------------------------------------------------

INSURER_FR = ["Assurances Exemple", "Service Sinistres", "8 avenue de la Gare", "75010 Paris"]
INSURER_EN = ["Claims Department", "Example Insurance Ltd", "10 King Street", "Manchester M2 4LQ"]


@dataclasses.dataclass(frozen=True)
class Layout:
    """A letter as the customer printed it."""

    sender: tuple[str, ...]  # name, address lines, maybe an e-mail line
    recipient: tuple[str, ...]
    dateline: str
    subject: str  # "" for a letter without a subject line
    salutation: str
    body: tuple[str, ...]
    closing: str
    sender_right: bool  # the sender block at the top right (British use) instead of top left

    def placed(self) -> list[tuple[float, float, str]]:
        """(x mm, y mm, text) of every line on the A4 page."""
        sender_x, other_x = (120, 20) if self.sender_right else (20, 115)
        items = _block(sender_x, 18, self.sender) + _block(other_x, 50, self.recipient)
        items.append((other_x if not self.sender_right else 20, 82, self.dateline))
        y = 94
        if self.subject:
            items.append((20, y, self.subject))
            y += 11
        items += _block(20, y, (self.salutation, "", *self.body, "", self.closing))
        y += 6 * (len(self.body) + 4)
        items.append((120 if not self.sender_right else 20, y, self.sender[0]))
        return items


def _block(x: float, y: float, lines: tuple[str, ...] | list[str]) -> list[tuple[float, float, str]]:
    return [(x, y + i * 6, line) for i, line in enumerate(lines) if line]


FR_CLAIM = Layout(
    sender=("Sophie Martin", "12 rue des Lilas", "69003 Lyon"),
    recipient=tuple(INSURER_FR),
    dateline="Lyon, le 3 mars 2026",
    subject="Objet : Déclaration de sinistre, dégât des eaux",
    salutation="Madame, Monsieur,",
    body=(
        "Le 28 février 2026, une fuite de canalisation a inondé ma cuisine.",
        "Mon contrat habitation porte le numéro HAB-20931874.",
        "Je vous déclare ce sinistre et vous prie de bien vouloir l'enregistrer.",
    ),
    closing="Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
    sender_right=False,
)
EN_REIMBURSEMENT = Layout(
    sender=("James Walker", "42 Church Lane", "Bristol BS8 1TH", "Tel: 07700 900123"),
    recipient=tuple(INSURER_EN),
    dateline="5 March 2026",
    subject="Re: Policy MOT-558812, windscreen repair",
    salutation="Dear Sir or Madam,",
    body=(
        "I paid the garage invoice of £250.00 for the windscreen repair on 20 February 2026.",
        "Please reimburse this amount under my policy MOT-558812.",
        "I enclose a copy of the invoice.",
    ),
    closing="Yours faithfully,",
    sender_right=True,
)
FR_CANCELLATION_WITH_EMAIL = Layout(
    sender=("Karim Benali", "5 place du Marché", "33000 Bordeaux", "karim.benali@example.fr"),
    recipient=tuple(INSURER_FR),
    dateline="Bordeaux, le 10 février 2026",
    subject="",
    salutation="Madame, Monsieur,",
    body=(
        "Je souhaite résilier mon contrat d'assurance auto AUT-4587-2291",
        "à sa date d'échéance, le 31 mars 2026.",
        "Merci de me confirmer la résiliation de ce contrat.",
    ),
    closing="Veuillez agréer, Madame, Monsieur, mes salutations distinguées.",
    sender_right=True,
)
EN_COMPLAINT_NO_SUBJECT = Layout(
    sender=("Emma Clarke", "7 Mill Road", "Leeds LS6 2AB"),
    recipient=tuple(INSURER_EN),
    dateline="Leeds, 12 January 2026",
    subject="",
    salutation="Dear Sir or Madam,",
    body=(
        "I wish to make a formal complaint about the handling of my claim CLM-2025-0042.",
        "Nobody has answered my calls for six weeks and I am very dissatisfied.",
    ),
    closing="Yours sincerely,",
    sender_right=False,
)


def scan(layout: Layout, *, dpi: int, angle: float, noise: float = 0.15, seed: int = 1) -> Image.Image:
    """The printed letter scanned at `dpi`, turned by `angle` degrees, with seeded grain."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), round(10.5 * dpi / 72))
    for x, y, text in layout.placed():
        draw.text((x * dpi / 25.4, y * dpi / 25.4), text, font=font, fill=0)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    grain = Image.frombytes("L", page.size, random.Random(seed).randbytes(width * height))
    page = Image.blend(page, grain, noise).filter(ImageFilter.GaussianBlur(0.5))
    page.info["dpi"] = (dpi, dpi)
    return page


def as_file(image: Image.Image, fmt: str) -> tuple[str, bytes]:
    if fmt == "pdf":
        return "courrier.pdf", docbuilder.image_pdf([image])
    return f"courrier.{fmt}", docbuilder.image_bytes(image, fmt.upper())


def document(filename: str, data: bytes) -> RawInput:
    return RawInput(source=filename, data=data, kind="document", filename=filename)


LETTERHEAD = {
    "RPA_LETTERS_COMPANY": "Assurances Exemple",
    "RPA_LETTERS_ADDRESS": "8 avenue de la Gare,75010 Paris",
    "RPA_LETTERS_PLACE": "Paris",
    "RPA_LETTERS_SIGNATORY": "Claire Petit",
    "RPA_LETTERS_TITLE": "Gestionnaire sinistres",
}


@pytest.fixture(scope="module")
def letter_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("letters") / "home"
    return load_settings(environ={"RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1", **LETTERHEAD})


@pytest.fixture(scope="module")
def pipeline(letter_settings: Settings) -> Pipeline:
    pipeline = Pipeline(letter_settings)
    yield pipeline
    pipeline.close()


@pytest.fixture(scope="module")
def tesseract_path() -> str:
    import shutil

    path = shutil.which("tesseract")
    require(path is not None, "tesseract is not installed (apt-get install tesseract-ocr)")
    return path


# -- recognition, on text ------------------------------------------------------------------------------


def _text(layout: Layout) -> str:
    """The letter's text in the order OCR gives it: top to bottom, a blank line between blocks."""
    lines: list[str] = []
    previous = None
    for x, y, text in sorted(layout.placed(), key=lambda item: (item[1], item[0])):
        if previous is not None and (x != previous[0] or y - previous[1] > 6):
            lines.append("")
        lines.append(text)
        previous = (x, y)
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (
            FR_CLAIM,
            PostalLetter(
                "Sophie Martin",
                ("12 rue des Lilas", "69003 Lyon"),
                "",
                "Lyon",
                "2026-03-03",
                "Déclaration de sinistre, dégât des eaux",
            ),
        ),
        (
            FR_CANCELLATION_WITH_EMAIL,
            PostalLetter(
                "Karim Benali",
                ("5 place du Marché", "33000 Bordeaux"),
                "karim.benali@example.fr",
                "Bordeaux",
                "2026-02-10",
            ),
        ),
        (
            EN_REIMBURSEMENT,
            PostalLetter(
                "James Walker",
                ("42 Church Lane", "Bristol BS8 1TH"),
                "",
                "",
                "2026-03-05",
                "Policy MOT-558812, windscreen repair",
            ),
        ),
        (
            EN_COMPLAINT_NO_SUBJECT,
            PostalLetter("Emma Clarke", ("7 Mill Road", "Leeds LS6 2AB"), "", "Leeds", "2026-01-12"),
        ),
    ],
    ids=["fr-left-objet", "fr-right-email-no-objet", "en-right-re", "en-left-no-subject"],
)
def test_a_letters_text_gives_its_writer_address_date_and_subject(
    layout: Layout, expected: PostalLetter
) -> None:
    letter = letter_from_text(_text(layout))
    assert letter is not None
    assert letter.postal == expected
    assert letter.body.startswith(layout.salutation) and layout.closing in letter.body
    assert layout.body[0] in letter.body and layout.recipient[0] not in letter.body


@pytest.mark.parametrize(
    "text",
    [
        "Sophie Martin\n\n12 rue des Lilas\n69003 Lyon\n\nLe 3 mars 2026\n\nMadame, Monsieur,\n"
        "Je souhaite modifier mon contrat.\n\nCordialement,\n\nSophie Martin",
        "Sophie Martin\n12 rue des Lilas\n69003 Lyon\n\n03/03/2026\n\nMonsieur,\n"
        "Je souhaite modifier mon contrat.\n\nRecevez, Monsieur, mes sincères salutations.\n\nSophie Martin",
        "Sophie Martin\n12 rue des Lilas\n69003 Lyon\n\nMarch 3, 2026\n\nDear Mr Brown,\n"
        "I would like to change my policy.\n\nKind regards,\n\nSophie Martin",
    ],
    ids=["fr-le-date", "fr-numeric-date", "en-month-first"],
)
def test_the_date_line_is_read_in_either_language_and_style(text: str) -> None:
    letter = letter_from_text(text)
    assert letter is not None and letter.postal.date == "2026-03-03"
    assert letter.postal.address == ("12 rue des Lilas", "69003 Lyon")


def test_without_a_sender_block_the_name_comes_from_the_signature() -> None:
    text = (
        "Le 3 mars 2026\n\nObjet : mon sinistre\n\nMadame, Monsieur,\n\nOù en est mon dossier SIN-2026-0117 ?\n\n"
        "Je vous prie d'agréer mes salutations distinguées.\n\nPaul Girard\n"
    )
    letter = letter_from_text(text)
    assert letter is not None and (letter.postal.name, letter.postal.address) == ("Paul Girard", ())


@pytest.mark.parametrize(
    ("letter", "invoice"),
    [
        (
            "Sophie Martin\n12 rue des Lilas\n69003 Lyon\n\nLyon, le 3 mars 2026\n\nMadame, Monsieur,\n"
            "Vous trouverez ci-joint la facture du plombier.\n\nCordialement,",
            "FACTURE F-2026-118\nPlomberie Rapide\ncontact@plomberie-rapide.example\nTotal TTC : 450,00 €",
        ),
        (
            "James Walker\n42 Church Lane\nBristol BS8 1TH\n\n5 March 2026\n\nDear Sir or Madam,\n"
            "Please find enclosed the garage invoice.\n\nYours faithfully,",
            "INVOICE 10442\nKwik Garage Ltd\naccounts@kwik-garage.example\nTotal due: £250.00",
        ),
    ],
    ids=["fr", "en"],
)
def test_the_signature_ends_with_the_letters_page_not_in_the_invoice_sent_with_it(
    letter: str, invoice: str
) -> None:
    read = letter_from_pages([letter, invoice])
    assert read is not None and read.postal.email == "" and "@" not in read.signature
    assert read.postal.name == letter.splitlines()[0]


@pytest.mark.parametrize(
    "text",
    [
        "FACTURE N° F-2026-118\nGarage Martin\n12 route de Lyon\n69100 Villeurbanne\nDate : 3 mars 2026\n"
        "Pare-brise  1 x 250,00\nTotal TTC 250,00 €\nMerci de votre confiance.",
        "INVOICE INV-10442\nDate: 9 April 2025\nBill to: James Walker\n42 Church Lane\nBristol BS8 1TH\n"
        "Total due: GBP 286.40\nThank you for your business.",
        "FORMULAIRE DE DÉCLARATION\nNom : Martin\nPrénom : Sophie\nDate du sinistre : 28/02/2026\n"
        "Signature :",
        "CERTIFICATE OF INSURANCE\nPolicy holder: James Walker\nValid from 1 January 2026 to 31 December 2026\n"
        "Dear customer, this certificate must be kept in the vehicle.",
    ],
    ids=["fr-invoice", "en-invoice", "fr-form", "en-certificate"],
)
def test_invoices_forms_and_certificates_are_not_letters(text: str) -> None:
    assert letter_from_text(text) is None


# -- the whole path, on scans ----------------------------------------------------------------------


SCANS = [
    pytest.param(FR_CLAIM, 200, 1.5, "png", Intent.CLAIM_NEW, id="fr-left-objet-200dpi-png"),
    pytest.param(EN_REIMBURSEMENT, 150, -1.0, "tiff", Intent.REIMBURSEMENT, id="en-right-re-150dpi-tiff"),
    pytest.param(EN_COMPLAINT_NO_SUBJECT, 300, 2.0, "pdf", Intent.COMPLAINT, id="en-left-300dpi-pdf"),
]


@pytest.mark.parametrize(("layout", "dpi", "angle", "fmt", "intent"), SCANS)
def test_a_scanned_letter_is_understood_and_answered_by_post(
    pipeline: Pipeline, tesseract_path: str, layout: Layout, dpi: int, angle: float, fmt: str, intent: Intent
) -> None:
    filename, data = as_file(scan(layout, dpi=dpi, angle=angle), fmt)
    result = pipeline.process(document(filename, data))
    letter = result.letter
    assert letter is not None
    assert (letter.name, letter.address) == (layout.sender[0], layout.sender[1:3])
    assert result.fields["customer_name"].value == layout.sender[0]
    assert result.classification.intent == intent
    assert result.classification.language == ("fr" if "Madame" in layout.salutation else "en")
    draft = result.draft
    assert draft is not None and draft.channel == LETTER
    assert (draft.to.name, draft.to.email) == (layout.sender[0], "")
    assert draft.letter_pdf.startswith(b"%PDF")
    with pdfplumber.open(_bytes_file(draft.letter_pdf)) as pdf:
        text = pdf.pages[0].extract_text()
    assert layout.sender[1] in text and draft.body.splitlines()[0] in text


def test_a_letter_giving_an_email_address_is_answered_by_email(
    pipeline: Pipeline, tesseract_path: str
) -> None:
    filename, data = as_file(scan(FR_CANCELLATION_WITH_EMAIL, dpi=200, angle=-1.5, seed=4), "pdf")
    result = pipeline.process(document(filename, data))
    assert result.letter is not None and result.letter.email == "karim.benali@example.fr"
    assert result.classification.intent == Intent.CANCELLATION
    draft = result.draft
    assert draft is not None and draft.channel == "email" and draft.letter_pdf == b""
    assert draft.to.email == "karim.benali@example.fr" and "no_recipient" not in result.flags


NOT_LETTERS = [
    pytest.param(
        [
            "FACTURE N° F-2026-118",
            "Garage Martin - 12 route de Lyon - 69100 Villeurbanne",
            "Date : 3 mars 2026",
            "Remplacement pare-brise      1 x 250,00 €",
            "Total TTC : 250,00 €",
        ],
        id="invoice",
    ),
    pytest.param(
        [
            "CLAIM FORM",
            "Policy number: MOT-558812",
            "Name: James Walker",
            "Date of incident: 20/02/2026",
            "Signature: ....................",
        ],
        id="form",
    ),
]


@pytest.mark.parametrize("lines", NOT_LETTERS)
def test_scans_that_are_not_letters_are_filed_as_documents_without_a_draft(
    pipeline: Pipeline, tesseract_path: str, lines: list[str]
) -> None:
    image = docbuilder.scan_image(lines, dpi=200, angle=1.0, noise=0.1)
    result = pipeline.process(document("scan.png", docbuilder.image_bytes(image, "PNG")))
    assert result.letter is None
    assert result.classification.intent == Intent.DOCUMENTS_SUBMISSION
    assert result.draft is None and "no_recipient" in result.flags


# -- the reply's PDF ----------------------------------------------------------------------------------


def test_the_customers_address_sits_in_the_envelope_window_and_the_letterhead_at_the_top(
    letter_settings: Settings,
) -> None:
    postal = PostalReplies(letter_settings.letters, "Service clients", bundled_path("templates"))
    letter = PostalLetter(
        "Émilie Dubois-Leroy", ("3 impasse des Tilleuls", "13008 Marseille"), date="2026-03-03"
    )
    pdf = postal.render(letter, "Madame,\n\nNous avons bien reçu votre courrier.\n\nCordialement,", "fr")
    with pdfplumber.open(_bytes_file(pdf)) as document_pdf:
        page = document_pdf.pages[0]
        words = page.extract_words()
    window = (
        WINDOW.left * MM_TO_PT,
        WINDOW.top * MM_TO_PT,
        (WINDOW.left + WINDOW.width) * MM_TO_PT,
        (WINDOW.top + WINDOW.height) * MM_TO_PT,
    )
    address_words = "Émilie Dubois-Leroy 3 impasse des Tilleuls 13008 Marseille".split()
    placed: dict[str, dict] = {}
    for word in words:  # the first of each in reading order: "3" is in the date too
        if word["text"] in address_words:
            placed.setdefault(word["text"], word)
    assert set(placed) == set(address_words)
    for word in placed.values():
        assert window[0] <= word["x0"] and word["x1"] <= window[2], word
        assert window[1] <= word["top"] and word["bottom"] <= window[3], word
    inside = [
        w["text"] for w in words if window[0] <= w["x0"] <= window[2] and window[1] <= w["top"] <= window[3]
    ]
    assert inside == address_words  # nothing else shows through the window
    letterhead = [w for w in words if w["text"] in ("Assurances", "Exemple")]
    assert letterhead and all(w["bottom"] < WINDOW.top * MM_TO_PT for w in letterhead)
    text = page.extract_text()
    assert "Objet : Votre courrier du 3 mars 2026" in text
    assert "Claire Petit" in text and "Gestionnaire sinistres" in text and "Paris, le " in text


def test_the_english_reply_names_their_letter_in_english(letter_settings: Settings) -> None:
    postal = PostalReplies(letter_settings.letters, "Customer service", bundled_path("templates"))
    letter = PostalLetter("James Walker", ("42 Church Lane", "Bristol BS8 1TH"), date="2026-03-05")
    html = postal.html(letter, "Dear James Walker,\n\nThank you.", "en", today=date(2026, 3, 9))
    assert "Re: your letter of 5 March 2026" in html and "Paris, 9 March 2026" in html


def test_the_customers_words_are_escaped_in_the_letter(letter_settings: Settings) -> None:
    postal = PostalReplies(letter_settings.letters, "Service clients", bundled_path("templates"))
    letter = PostalLetter("Jean <b>Dupont</b>", ("1 rue <script>x</script>", "75001 Paris"))
    html = postal.html(letter, "Bonjour,", "fr")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>Dupont" not in html


def test_a_long_reply_runs_on_to_a_second_page(letter_settings: Settings) -> None:
    postal = PostalReplies(letter_settings.letters, "Service clients", bundled_path("templates"))
    letter = PostalLetter("Sophie Martin", ("12 rue des Lilas", "69003 Lyon"))
    text = "\n\n".join(
        f"Paragraphe {n} : nous revenons vers vous au sujet de votre dossier." for n in range(40)
    )
    with pdfplumber.open(_bytes_file(postal.render(letter, text, "fr"))) as pdf:
        assert len(pdf.pages) >= 2 and "Paragraphe 39" in pdf.pages[-1].extract_text()


# -- stored, shown, exported, never e-mailed ------------------------------------------------------------


@pytest.fixture(scope="module")
def stored_letter(pipeline: Pipeline, letter_settings: Settings, tesseract_path: str) -> int:
    filename, data = as_file(scan(FR_CLAIM, dpi=200, angle=-1.0, seed=9), "png")
    result = pipeline.process(document(filename, data))
    with Store.open(letter_settings) as store:
        return store.save_processed(result, actor="test").message_pk


def test_the_letter_and_its_reply_by_post_are_stored_and_shown(
    letter_settings: Settings, stored_letter: int
) -> None:
    with Store.open(letter_settings) as store:
        record = store.message(stored_letter)
    assert record.letter["name"] == "Sophie Martin" and record.letter["address"] == [
        "12 rue des Lilas",
        "69003 Lyon",
    ]
    assert record.draft.channel == LETTER and record.draft.letter_pdf.startswith(b"%PDF")
    assert record.draft.to_email == ""
    shown = message_json(record)
    assert shown["letter"]["date"] == "2026-03-03" and shown["draft"]["channel"] == LETTER
    text = show_text(record)
    assert "Letter:   from Sophie Martin, Lyon, dated 2026-03-03" in text
    assert f"rpa show {stored_letter} --letter-pdf FILE" in text
    exported = export_json([(record, [])])
    assert '"draft_channel": "letter"' in exported and '"69003 Lyon"' in exported


def test_an_approved_reply_by_post_is_never_emailed(letter_settings: Settings, stored_letter: int) -> None:
    sent = []
    with Store.open(letter_settings) as store:
        store.approve(stored_letter, actor="agent")
        outbox = Outbox(letter_settings, store, transport=sent.append)
        assert outbox.send(None) == []  # nothing to send, nothing reported
        (report,) = outbox.send(None, [stored_letter])
        assert store.draft_for(stored_letter).status.value == "approved"
    assert sent == []
    assert report.status == "skipped" and "letters are posted, not sent" in report.detail


def test_an_edited_reply_is_printed_as_edited(letter_settings: Settings, stored_letter: int) -> None:
    with Store.open(letter_settings) as store:
        record = store.message(stored_letter)
    edited = dataclasses.replace(
        record, draft=dataclasses.replace(record.draft, final_body="Madame,\n\nTexte revu.\n")
    )
    with pdfplumber.open(_bytes_file(letter_pdf(edited, letter_settings))) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Texte revu." in text and "Nous accusons" not in text


def test_a_mail_has_no_letter_to_print(letter_settings: Settings, stored_letter: int) -> None:
    with Store.open(letter_settings) as store:
        record = store.message(stored_letter)
    mail = dataclasses.replace(record, letter=None, draft=dataclasses.replace(record.draft, channel="email"))
    with pytest.raises(NotFound, match="no reply by post"):
        letter_pdf(mail, letter_settings)


def test_rpa_show_saves_the_letter_pdf(tmp_path: Path, letter_settings: Settings, stored_letter: int) -> None:
    out = tmp_path / "reply.pdf"
    shown = run_rpa(
        "show", str(stored_letter), "--letter-pdf", str(out), home=letter_settings.home, env=LETTERHEAD
    )
    assert shown.returncode == 0, shown.stderr
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    assert (
        "Sophie Martin" in text and "69003 Lyon" in text and "Objet : Votre courrier du 3 mars 2026" in text
    )
    refused = run_rpa("show", "999", "--letter-pdf", str(out), home=letter_settings.home)
    assert refused.returncode == 1 and "no message with id 999" in refused.stderr


def test_the_workspace_gives_agents_the_letter_pdf_as_a_download(
    letter_settings: Settings, stored_letter: int
) -> None:
    with Store.open(letter_settings) as store:
        add_team(store)
        anonymous = TestClient(create_app(letter_settings, store))
        refused = anonymous.get(f"/messages/{stored_letter}/letter.pdf", follow_redirects=False)
        assert refused.status_code in (303, 401) and not refused.content.startswith(b"%PDF")
        client = TestClient(create_app(letter_settings, store))
        log_in(client, "alice")
        answer = client.get(f"/messages/{stored_letter}/letter.pdf")
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["content-disposition"].startswith("attachment;")
        assert client.get("/messages/999/letter.pdf").status_code == 404
        page = client.get(f"/messages/{stored_letter}").text
        assert f'href="/messages/{stored_letter}/letter.pdf"' in page and "A reply by post" in page


def test_doctor_says_whether_letters_can_be_made_into_pdf(letter_settings: Settings) -> None:
    (check,) = [check for check in run_checks(letter_settings) if check.name == "letters"]
    assert check.ok and check.detail.startswith("WeasyPrint ")


# -- configuration ---------------------------------------------------------------------------------------


def test_the_letterhead_is_read_from_the_letters_section_and_the_environment(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[letters]\ncompany = "Mutuelle Exemple"\naddress = ["1 quai du Port", "13002 Marseille"]\n'
    )
    settings = load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_LETTERS_SIGNATORY": "Claire Petit"})
    assert settings.letters.company == "Mutuelle Exemple"
    assert settings.letters.address == ("1 quai du Port", "13002 Marseille")
    assert settings.letters.signatory == "Claire Petit"


def test_a_letterhead_line_too_long_to_print_is_refused_at_load(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[letters\]"):
        load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_LETTERS_COMPANY": "X" * 81})


def _bytes_file(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def test_making_letters_leaves_cut_off_customer_photos_an_error() -> None:
    """WeasyPrint's import turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process;
    rpa puts it back, so a truncated JPEG a customer sends is still refused."""
    assert pdf_status()[0]
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
