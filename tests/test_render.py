"""Pages drawn as pictures (extractors.render) and cached for a stored message (rpa.pages),
against real PDFium, Pillow and the real store."""

from __future__ import annotations

import io
from email.message import EmailMessage

import docbuilder
import locatedoc
import pytest
from conftest import make_mail
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from extractors.render import MAX_PIXELS, page_count, render_page
from extractors.sources import RawInput
from rpa.config import Settings
from rpa.errors import ExtractionError, NotFound
from rpa.pages import PAGE_WIDTHS, original_message, page_image, page_width
from rpa.pipeline import Pipeline
from rpa.store import Store

INK = 128  # a grey level below this is print


def picture(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png)).convert("L")


def darkest(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    """The darkest grey level within `box` (0-1 of the picture)."""
    left, top, right, bottom = box
    region = (left * image.width, top * image.height, right * image.width, bottom * image.height)
    return min(image.crop(tuple(round(value) for value in region)).get_flattened_data())


def middle(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The middle half of a box, away from its edges."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    return (left + width / 4, top + height / 4, right - width / 4, bottom - height / 4)


def test_a_pdf_page_is_drawn_at_the_width_asked_with_the_page_s_shape() -> None:
    drawn = picture(render_page(locatedoc.claim_form_pdf(), 1, 800))
    assert drawn.width == 800 and abs(drawn.height - 800 * 297 / 210) <= 1


def test_the_printed_value_is_ink_inside_its_box_and_paper_around_it() -> None:
    drawn = picture(render_page(locatedoc.claim_form_pdf(), 1, 1200))
    left, top, right, bottom = locatedoc.printed_box(locatedoc.POLICY_NUMBER)
    height = bottom - top
    assert darkest(drawn, middle((left, top, right, bottom))) < INK
    assert darkest(drawn, (left, top - 2 * height, right, top - height)) > 250  # the line above is blank
    assert darkest(drawn, (right + 0.01, top, 0.99, bottom)) > 250  # nothing after it on the line


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_pdf_page_with_rotate_is_drawn_turned(degrees: int) -> None:
    data = locatedoc.rotated_pdf(locatedoc.claim_form_pdf(), degrees)
    drawn = picture(render_page(data, 1, 800))
    expected_height = 800 * 210 / 297 if degrees in (90, 270) else 800 * 297 / 210
    assert drawn.width == 800 and abs(drawn.height - expected_height) <= 1
    box = locatedoc.turned_box(locatedoc.printed_box(locatedoc.POLICY_NUMBER), degrees)
    assert darkest(drawn, middle(box)) < INK


def test_a_jpeg_turned_by_exif_is_drawn_upright() -> None:
    upright = locatedoc.form_picture(dpi=100)
    data = locatedoc.exif_rotated_jpeg(upright)
    assert Image.open(io.BytesIO(data)).size == (upright.height, upright.width)  # stored on its side
    drawn = picture(render_page(data, 1, 800))
    assert drawn.size == (800, round(800 * upright.height / upright.width))
    assert darkest(drawn, middle(locatedoc.printed_box(locatedoc.POLICY_NUMBER))) < INK


def test_each_frame_of_a_tiff_is_a_page() -> None:
    frames = [docbuilder.scan_image([f"Feuillet {number}"], dpi=100) for number in (1, 2)]
    frames[1] = frames[1].transpose(Image.Transpose.FLIP_TOP_BOTTOM)  # its text at the bottom
    data = docbuilder.multipage_tiff(frames)
    assert page_count(data) == 2
    first, second = picture(render_page(data, 1, 800)), picture(render_page(data, 2, 800))
    assert darkest(first, (0, 0, 1, 0.5)) < INK and darkest(first, (0, 0.5, 1, 1)) > INK
    assert darkest(second, (0, 0, 1, 0.5)) > INK and darkest(second, (0, 0.5, 1, 1)) < INK


def test_a_transparent_picture_is_drawn_on_white() -> None:
    logo = Image.new("RGBA", (600, 200), (0, 0, 0, 0))  # transparent black, shown as white by viewers
    font = ImageFont.truetype(str(docbuilder.FONT_PATH), 48)
    ImageDraw.Draw(logo).text((40, 60), "Attestation", font=font, fill=(0, 0, 0, 255))
    drawn = picture(render_page(docbuilder.image_bytes(logo, "PNG"), 1, 800))
    assert drawn.size == (800, 267)
    assert drawn.getpixel((5, 5)) == 255 and min(drawn.get_flattened_data()) < INK


def test_a_picture_or_page_never_exceeds_the_pixel_cap() -> None:
    pdf = FPDF(unit="mm", format=(50, 5000))  # a till roll a hundred times taller than wide
    pdf.add_page()
    drawn = picture(render_page(bytes(pdf.output()), 1, 1800))
    assert drawn.width * drawn.height <= MAX_PIXELS
    assert drawn.width < 1800 and abs(drawn.height / drawn.width - 100) < 1


def test_page_count_is_the_pdf_s_pages_or_the_picture_s_frames() -> None:
    assert page_count(docbuilder.text_pdf(["un", "deux", "trois"])) == 3
    assert page_count(docbuilder.image_bytes(locatedoc.form_picture(dpi=50), "PNG")) == 1


@pytest.mark.parametrize("page", [0, 2])
def test_a_page_the_document_does_not_have_is_an_extraction_error(page: int) -> None:
    with pytest.raises(ExtractionError, match="1 page"):
        render_page(locatedoc.claim_form_pdf(), page, 800)
    with pytest.raises(ExtractionError, match="1 page"):
        render_page(docbuilder.image_bytes(locatedoc.form_picture(dpi=50), "PNG"), page, 800)


@pytest.mark.parametrize(
    "data",
    [b"Bonjour, ceci est un texte.", docbuilder.docx(), docbuilder.random_bytes()],
    ids=["text", "docx", "random"],
)
def test_a_document_that_is_neither_pdf_nor_picture_cannot_be_drawn(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="cannot draw"):
        render_page(data, 1, 800)
    with pytest.raises(ExtractionError, match="cannot draw"):
        page_count(data)


def test_a_broken_or_locked_pdf_cannot_be_drawn() -> None:
    with pytest.raises(ExtractionError, match="PDF cannot be drawn"):
        render_page(docbuilder.truncated(docbuilder.text_pdf(["Contrat"]), 0.3), 1, 800)
    with pytest.raises(ExtractionError, match="PDF cannot be drawn"):
        page_count(docbuilder.encrypted_pdf("Contrat", user_password="secret"))


# --- rpa.pages: the pages of stored messages ------------------------------------------------


@pytest.fixture
def pipeline(settings: Settings) -> Pipeline:
    pipeline = Pipeline(settings)
    yield pipeline
    pipeline.close()


def stored(pipeline: Pipeline, store: Store, raw: RawInput) -> int:
    return store.save_processed(pipeline.process(raw), actor="test").message_pk


def forwarded_mail(outer_pdf: bytes, inner_pdf: bytes) -> bytes:
    """A mail with a PDF, forwarding (message/rfc822) a mail with another PDF."""
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "jean.dupont@example.fr", "agent@example.fr", "Constat"
    inner.set_content("Voici le constat.")
    inner.add_attachment(inner_pdf, maintype="application", subtype="pdf", filename="constat.pdf")
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "agent@example.fr", "sinistres@example.fr", "Fwd: Constat"
    outer["Message-ID"] = "<forwarded-pages@example.fr>"
    outer.set_content("Pour traitement.")
    outer.add_attachment(outer_pdf, maintype="application", subtype="pdf", filename="note.pdf")
    outer.add_attachment(inner)
    return bytes(outer)


def test_a_document_s_page_is_drawn_once_and_kept_under_its_content_hash(
    pipeline: Pipeline, store: Store, settings: Settings
) -> None:
    data = locatedoc.claim_form_pdf()
    message_pk = stored(pipeline, store, RawInput("scans/claim.pdf", data, "document", "claim.pdf"))
    path = page_image(store, settings, message_pk, 0, 1, 1100)
    first_write = path.stat().st_mtime_ns
    assert path.parent.parent == settings.home / "cache" / "pages"
    assert path.parent.name == pipeline.parse(RawInput("x", data, "document", "claim.pdf")).content_hash
    assert Image.open(path).width == 1200  # 1100 asked: the nearest width kept
    assert page_image(store, settings, message_pk, 0, 1, 1200) == path
    assert path.stat().st_mtime_ns == first_write  # served from the cache
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_stored_document_is_parsed_again_as_a_document_named_after_its_file(
    pipeline: Pipeline, store: Store, settings: Settings
) -> None:
    data = locatedoc.claim_form_pdf()
    message_pk = stored(pipeline, store, RawInput("scans/claim.pdf", data, "document", "claim.pdf"))
    message = original_message(store, settings, message_pk)
    assert message.kind == "document"
    assert [(a.filename, a.data) for a in message.attachments] == [("claim.pdf", data)]


def test_attachments_are_numbered_as_stored_forwarded_mails_after_the_mail_s_own(
    pipeline: Pipeline, store: Store, settings: Settings
) -> None:
    note, constat = docbuilder.text_pdf(["Note de l'agent"]), locatedoc.claim_form_pdf()
    message_pk = stored(
        pipeline, store, RawInput("fwd.eml", forwarded_mail(note, constat), "mail", "fwd.eml")
    )
    assert [a.filename for a in store.message(message_pk).attachments] == ["note.pdf", "constat.pdf"]
    assert original_message(store, settings, message_pk).kind == "mail"
    for position, data in enumerate([note, constat]):
        shown = Image.open(page_image(store, settings, message_pk, position, 1, 800))
        expected = picture(render_page(data, 1, 800))
        assert shown.convert("L").tobytes() == expected.tobytes()


@pytest.mark.parametrize(
    ("message", "position", "page", "missing"),
    [(999, 0, 1, "no message"), (None, 3, 1, "no attachment 3"), (None, 0, 2, "no page 2")],
)
def test_an_unknown_message_attachment_or_page_is_not_found(
    pipeline: Pipeline,
    store: Store,
    settings: Settings,
    message: int | None,
    position: int,
    page: int,
    missing: str,
) -> None:
    raw = RawInput("claim.pdf", locatedoc.claim_form_pdf(), "document", "claim.pdf")
    message_pk = stored(pipeline, store, raw)
    with pytest.raises(NotFound, match=missing):
        page_image(store, settings, message if message is not None else message_pk, position, page, 800)


def test_an_attachment_that_is_no_page_cannot_be_drawn(
    pipeline: Pipeline, store: Store, settings: Settings
) -> None:
    mail = make_mail("Ci-joint.", attachments=[("notes.txt", "text/plain", b"Quelques notes.")])
    message_pk = stored(pipeline, store, RawInput("mail.eml", mail, "mail", "mail.eml"))
    with pytest.raises(ExtractionError, match="cannot draw"):
        page_image(store, settings, message_pk, 0, 1, 800)


@pytest.mark.parametrize(
    ("asked", "given"), [(100, 800), (1000, 1200), (1300, 1200), (1500, 1800), (9000, 1800)]
)
def test_widths_are_rounded_to_the_nearest_kept_width(asked: int, given: int) -> None:
    assert page_width(asked) == given and given in PAGE_WIDTHS
