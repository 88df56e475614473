"""Where a field was read: its page and its box, in every form a document comes in.

A claim form is printed with fpdf2 at known places (tests/locatedoc.py) and sent
as a text PDF, a scanned PDF (Tesseract), a photo (RapidOCR), a PDF page with
/Rotate and a JPEG turned by its EXIF tag; the whole pipeline reads it, and the
box of the policy number must stand where the number was printed. The last
tests draw the stored page (`rpa.pages`) and read what stands inside the box.
"""

from __future__ import annotations

import docbuilder
import locatedoc
import pytest
from conftest import make_mail, with_ocr
from PIL import Image

from extractors.documents import DocumentReader
from extractors.locate import find_raw, locate_fields
from extractors.ocr import OcrEngine
from extractors.sources import RawInput
from extractors.tesseract import TesseractRecogniser
from rpa.config import Settings, load_settings
from rpa.models import Attachment, Field, ProcessedMessage
from rpa.pages import page_image
from rpa.pipeline import Pipeline
from rpa.store import Store
from rpa.views import message_json

POLICY = locatedoc.POLICY_NUMBER
# How far a box's centre may stand from where the value was printed, as a share of the
# page: 2 mm across an A4 page, 1.5 mm down it. A RapidOCR line cut in proportion to
# its characters is the least exact (about 1 mm off).
ACROSS, DOWN = 0.01, 0.005

# case -> (file name, the document's bytes, how far its page is turned clockwise)
FORMS = {
    "text layer": ("claim.pdf", locatedoc.claim_form_pdf, 0),
    "scanned PDF, Tesseract": ("scan.pdf", locatedoc.scanned_form_pdf, 0),
    "photo, RapidOCR": ("photo.png", lambda: docbuilder.image_bytes(locatedoc.form_picture(), "PNG"), 0),
    "PDF page with /Rotate 90": (
        "turned.pdf",
        lambda: locatedoc.rotated_pdf(locatedoc.claim_form_pdf(), 90),
        90,
    ),
    "JPEG turned by EXIF": ("phone.jpg", lambda: locatedoc.exif_rotated_jpeg(locatedoc.form_picture()), 0),
}


@pytest.fixture(scope="module")
def module_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("locations") / "home"
    return load_settings(environ={"RPA_HOME": str(home), "RPA_PIPELINE_WORKERS": "1"})


@pytest.fixture(scope="module")
def pipeline(module_settings: Settings) -> Pipeline:
    pipeline = Pipeline(module_settings)
    yield pipeline
    pipeline.close()


@pytest.fixture(scope="module")
def processed(pipeline: Pipeline) -> dict[str, ProcessedMessage]:
    """Each form read once by the whole pipeline, as a document sent on its own."""
    return {
        case: pipeline.process(RawInput(filename, build(), "document", filename))
        for case, (filename, build, _) in FORMS.items()
    }


def assert_near(box: tuple[float, ...] | list[float] | None, expected: tuple[float, ...]) -> None:
    """`box` has its centre where `expected` has its own, and about its size."""
    assert box is not None
    left, top, right, bottom = box
    e_left, e_top, e_right, e_bottom = expected
    wide = abs(e_right - e_left) > abs(e_bottom - e_top)  # a turned page's value runs down
    along, across = (ACROSS, DOWN) if wide else (DOWN, ACROSS)
    assert abs((left + right) / 2 - (e_left + e_right) / 2) <= along, (box, expected)
    assert abs((top + bottom) / 2 - (e_top + e_bottom) / 2) <= across, (box, expected)
    length, expected_length = (right - left, e_right - e_left) if wide else (bottom - top, e_bottom - e_top)
    assert 0.85 <= length / expected_length <= 1.25, (box, expected)


@pytest.mark.parametrize("case", FORMS)
def test_the_policy_number_is_boxed_where_it_was_printed(
    case: str, processed: dict[str, ProcessedMessage], tesseract: str
) -> None:
    filename, _, turned = FORMS[case]
    field = processed[case].fields["policy_number"]
    assert (field.value, field.source, field.page) == (POLICY, f"attachment:{filename}#p1", 1)
    assert_near(field.box, locatedoc.turned_box(locatedoc.printed_box(POLICY), turned))


@pytest.mark.parametrize("case", FORMS)
def test_every_field_read_in_the_form_has_its_page_and_a_box_on_it(
    case: str, processed: dict[str, ProcessedMessage], tesseract: str
) -> None:
    fields = processed[case].fields
    assert {"policy_number", "incident_date", "vehicle_plate"} <= set(fields)
    for field in fields.values():
        assert field.page == 1 and field.box is not None, field
        left, top, right, bottom = field.box
        assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1, field


@pytest.mark.parametrize("degrees", [180, 270])
def test_a_text_page_turned_by_rotate_boxes_its_values_on_the_turned_page(
    pipeline: Pipeline, degrees: int
) -> None:
    data = locatedoc.rotated_pdf(locatedoc.claim_form_pdf(), degrees)
    field = pipeline.process(RawInput("turned.pdf", data, "document", "turned.pdf")).fields["policy_number"]
    assert_near(field.box, locatedoc.turned_box(locatedoc.printed_box(POLICY), degrees))


def test_a_value_on_a_scanned_second_page_gets_page_2(pipeline: Pipeline, tesseract: str) -> None:
    cover = "Pièces jointes au dossier de sinistre.\nLa déclaration complète suit sur la page suivante."
    data = docbuilder.mixed_pdf(cover, locatedoc.form_picture())
    field = pipeline.process(RawInput("dossier.pdf", data, "document", "dossier.pdf")).fields["policy_number"]
    assert (field.source, field.page) == ("attachment:dossier.pdf#p2", 2)
    assert_near(field.box, locatedoc.printed_box(POLICY))


def test_fields_of_the_mail_itself_have_neither_page_nor_box(pipeline: Pipeline) -> None:
    mail = make_mail(
        f"Bonjour, mon contrat n° {POLICY}. Ci-joint le constat.\n\nJean Dupont",
        message_id="<located-1@example.fr>",
        attachments=[("constat.pdf", "application/pdf", locatedoc.claim_form_pdf())],
    )
    fields = pipeline.process(RawInput("mail.eml", mail, "mail", "mail.eml")).fields
    assert (fields["policy_number"].source, fields["policy_number"].page, fields["policy_number"].box) == (
        "body",
        None,
        None,
    )
    plate = fields["vehicle_plate"]
    assert (plate.source, plate.page) == ("attachment:constat.pdf#p1", 1)
    assert_near(plate.box, locatedoc.printed_box("AB-123-CD"))


def test_a_value_read_in_a_plain_text_attachment_has_its_page_and_no_box(pipeline: Pipeline) -> None:
    mail = make_mail(
        "Ci-joint mes notes.",
        message_id="<located-3@example.fr>",
        attachments=[("notes.txt", "text/plain", f"Police n° {POLICY}\n".encode())],
    )
    field = pipeline.process(RawInput("mail.eml", mail, "mail", "mail.eml")).fields["policy_number"]
    assert (field.source, field.page, field.box) == ("attachment:notes.txt#p1", 1, None)


def test_a_value_over_two_lines_gets_one_box_around_both(settings: Settings) -> None:
    lines = [(30, 50, "Plomberie Martin SARL"), (30, 58, "12 rue des Lilas"), (30, 66, "79000 Niort")]
    data = docbuilder.placed_pdf([lines])
    attachment = Attachment("facture.pdf", "application/pdf", len(data), data=data)
    with OcrEngine(settings) as ocr:
        DocumentReader(settings, ocr).read(attachment)
    raw = "12 rue des Lilas, 79000 Niort"  # the address finder joins an address's lines
    address = Field("address", raw, raw, 0.8, "attachment:facture.pdf#p1")
    located = locate_fields({"address": address}, [attachment])["address"]
    first, last = locatedoc.box_of(*lines[1]), locatedoc.box_of(*lines[2])
    left, top, right, bottom = located.box
    assert located.page == 1
    assert abs(left - first[0]) < 0.005 and abs(right - first[2]) < 0.005  # the wider, first line
    assert first[1] - 0.01 < top < first[1] and last[3] < bottom < last[3] + 0.01


@pytest.mark.parametrize(
    ("text", "raw", "found"),
    [
        ("Police n° AUT-4587-2291 du 3 mars", "AUT-4587-2291", ["AUT-4587-2291"]),
        ("Date :        05/05/2025", "Date : 05/05/2025", ["Date :        05/05/2025"]),
        ("Total TTC : 1 757,40\n€", "1 757,40 €", ["1 757,40\n€"]),
        ("Nom : LACOMBE Prénom : Pierre", "Pierre LACOMBE", ["LACOMBE", "Pierre"]),
        (
            "21 route de Vienne - 69200 Vénissieux",
            "21 route de Vienne, 69200 Vénissieux",
            ["21", "route", "de", "Vienne", "69200", "Vénissieux"],
        ),
        ("Police n° AUT-4587-2291", "HAB-0000", []),
    ],
)
def test_a_value_is_found_as_written_across_white_space_or_word_by_word(
    text: str, raw: str, found: list[str]
) -> None:
    assert [text[start:end] for start, end in find_raw(text, raw)] == found


def test_the_stored_message_keeps_each_field_s_page_box_and_what_it_came_as(
    processed: dict[str, ProcessedMessage], store: Store
) -> None:
    outcome = store.save_processed(processed["text layer"], actor="test")
    record = store.message(outcome.message_pk)
    field = processed["text layer"].fields["policy_number"]
    stored = {f.name: f for f in record.fields}["policy_number"]
    contract = message_json(record)["fields"]["policy_number"]
    assert record.kind == "document"
    assert (stored.page, stored.box) == (1, list(field.box))
    assert (contract["page"], contract["box"]) == (1, list(field.box))


def test_a_mail_is_stored_as_a_mail_and_its_body_fields_without_a_place(
    pipeline: Pipeline, store: Store
) -> None:
    mail = make_mail(f"Mon contrat n° {POLICY}.\n\nJean Dupont", message_id="<located-2@example.fr>")
    result = pipeline.process(RawInput("mail.eml", mail, "mail", "mail.eml"))
    record = store.message(store.save_processed(result, actor="test").message_pk)
    contract = message_json(record)["fields"]["policy_number"]
    assert record.kind == "mail"
    assert (contract["source"], contract["page"], contract["box"]) == ("body", None, None)


@pytest.mark.parametrize("case", FORMS)
def test_the_page_picture_shows_the_value_inside_its_box(
    case: str, processed: dict[str, ProcessedMessage], module_settings: Settings, tesseract: str
) -> None:
    """What the workspace does: draw the stored page and the box over it. The picture
    inside the box, read by Tesseract as one line, is the policy number."""
    module_settings.home.mkdir(parents=True, exist_ok=True)
    with Store(module_settings.database_url) as store:
        message_pk = store.save_processed(processed[case], actor="test").message_pk
        box = message_json(store.message(message_pk))["fields"]["policy_number"]["box"]
        path = page_image(store, module_settings, message_pk, 0, 1, 1800)
    picture = Image.open(path).convert("L")
    assert path.is_relative_to(module_settings.home / "cache" / "pages")
    inside = picture.crop(in_pixels(box, picture.size))
    if FORMS[case][2] == 90:  # the value runs down the turned page: turn it back to read it
        inside = inside.rotate(90, expand=True)
    one_line = TesseractRecogniser(with_ocr(module_settings, page_segmentation=7).ocr)
    assert one_line.read(inside).text.strip() == POLICY


def in_pixels(box: list[float], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """`box` on a picture of `size`, with a margin of a third of the text's height
    around it (the quiet zone an OCR engine needs)."""
    width, height = size
    left, top, right, bottom = box[0] * width, box[1] * height, box[2] * width, box[3] * height
    margin = min(right - left, bottom - top) / 3
    return (round(left - margin), round(top - margin), round(right + margin), round(bottom + margin))
