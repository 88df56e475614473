"""Mails attached as files, Outlook `.msg` and `winmail.dat` (TNEF), are opened like
forwarded mails: their sender, subject, date and body, and their own attachments read
in turn; one that cannot be opened stays an attachment saying why, and the rest of the
mail is read.

The real files come from shared/eval (msg-extractor's examples with their expected
texts, tnefparse's test streams); the nested and encrypted `.msg` files are written by
tests/msgbuilder.py.
"""

from __future__ import annotations

import hashlib
import io
import struct
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_mail, require
from msgbuilder import OutlookMail, msg_bytes
from test_bounces import pipeline  # noqa: F401 - one pipeline for the module, made as there

from extractors.mailfiles.base import MailFileFormat
from extractors.mailfiles.registry import MAIL_FORMATS
from extractors.mailfiles.tnef import SIGNATURE
from extractors.mime import parse_message
from extractors.quotes import MAX_FORWARD_DEPTH
from extractors.sources import RawInput
from rpa.config import LimitSettings, Settings
from rpa.doctor import run_checks
from rpa.models import Address, Attachment, AttachmentStatus, Message
from rpa.pipeline import Pipeline

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
MSG_FILES = EVAL / "outlook_msg_msgextractor"
TNEF_FILES = EVAL / "tnef_winmail_tnefparse"
LIMITS = LimitSettings()
COVER = "Bonjour,\n\nVeuillez trouver le mail en pièce jointe.\n\nJean Dupont"


def corpus_bytes(path: Path) -> bytes:
    require(path.is_file(), f"{path} is missing (the shared/eval corpora)")
    return path.read_bytes()


def mail_with(*attachments: tuple[str, str, bytes]) -> Message:
    """A customer's mail, built with the standard library, with these files attached."""
    data = make_mail(COVER, attachments=list(attachments))
    return parse_message(data, source="test.eml", limits=LIMITS)


def names(attachments: list[Attachment]) -> list[str]:
    return [attachment.filename for attachment in attachments]


def expected_output(folder: str) -> tuple[dict[str, str], str, dict[str, bytes]]:
    """msg-extractor's expected header lines, body and attachment files for one example."""
    path = MSG_FILES / "expected-outputs" / folder
    text = corpus_bytes(path / "message.text").decode("utf-8").replace("\r", "")
    head, body = text.split("-----------------\n", 1)
    headers = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    files = {file.name: file.read_bytes() for file in path.iterdir() if file.name != "message.text"}
    return headers, body, files


def words(text: str) -> str:
    return " ".join(text.split())


# -- Outlook .msg ----------------------------------------------------------------------------------


def test_an_attached_msg_is_read_as_the_mail_it_holds_with_its_expected_text_and_files() -> None:
    # SOURCE.md has the two names swapped: unicode.msg is "Test for TIF files".
    message = mail_with(
        ("unicode.msg", "application/vnd.ms-outlook", corpus_bytes(MSG_FILES / "unicode.msg"))
    )
    headers, body, files = expected_output("2013-11-18_0026 Test for TIF files")
    assert message.attachments == []
    (inner,) = message.forwarded
    assert inner.subject == headers["Subject"] == "Test for TIF files"
    assert inner.sender == Address("Brian Zhou", "brizhou@gmail.com")
    assert inner.to == [Address("", "brianzhou@me.com")] and inner.cc == [
        Address("Brian Zhou", "brizhou@gmail.com")
    ]
    # The expected text shows 00:26:24 "GMT": the same instant in US Pacific time, mislabelled.
    assert inner.date == datetime(2013, 11, 18, 8, 26, 24, tzinfo=UTC)
    assert words(inner.body) == words(body)
    assert {a.filename: hashlib.sha256(a.data).digest() for a in inner.attachments} == {
        name: hashlib.sha256(data).digest() for name, data in files.items()
    }
    assert [a.content_type for a in inner.attachments] == ["image/tiff", "image/tiff"]


def test_a_msg_without_a_sender_still_gives_its_subject_recipient_date_and_body() -> None:
    data = corpus_bytes(MSG_FILES / "strangeDate.msg")
    headers, body, _ = expected_output("2016-02-23_0657 MSG Test File")
    (inner,) = mail_with(("strangeDate.msg", "application/octet-stream", data)).forwarded
    assert (inner.subject, inner.sender) == ("MSG Test File", None)
    assert inner.to == [Address("", "time2talk@online-convert.com")]
    assert inner.date == datetime(2016, 2, 23, 14, 57, 50, 904000, tzinfo=UTC)  # 06:57:50 Pacific
    assert words(inner.body) == words(body) and "Jane Doe" in inner.body


def test_the_sender_of_an_attached_msg_is_the_customer() -> None:
    data = msg_bytes(
        OutlookMail("Sinistre auto", "Marie Curie", "marie.curie@example.fr", body="Mon contrat AUT-1.")
    )
    message = mail_with(("sinistre.msg", "application/vnd.ms-outlook", data))
    assert message.customer == Address("Marie Curie", "marie.curie@example.fr")
    assert message.forwarded[0].new_text == "Mon contrat AUT-1."


def test_a_msg_attached_to_a_msg_nests_with_its_own_attachments() -> None:
    constat = OutlookMail(
        "Constat",
        "Marie Curie",
        "marie@example.fr",
        body="Le constat signé.",
        files=[("constat.txt", b"Constat")],
    )
    broker = OutlookMail(
        "TR: Constat", "Courtier", "courtier@example.fr", body="Voir ci-joint.", attached_mails=[constat]
    )
    message = mail_with(("courtier.msg", "application/vnd.ms-outlook", msg_bytes(broker)))
    (outer,) = message.forwarded
    (inner,) = outer.forwarded
    assert (outer.subject, outer.attachments) == ("TR: Constat", [])
    assert (inner.subject, inner.body, names(inner.attachments)) == (
        "Constat",
        "Le constat signé.",
        ["constat.txt"],
    )
    assert names(message.all_attachments()) == ["constat.txt"]


def test_mails_nested_deeper_than_the_limit_are_left_closed_saying_why() -> None:
    mail = OutlookMail("Niveau 0", "A", "a@example.fr", body="fond")
    for level in range(1, MAX_FORWARD_DEPTH + 2):
        mail = OutlookMail(f"Niveau {level}", "A", "a@example.fr", body="texte", attached_mails=[mail])
    message = mail_with(("chaine.msg", "application/vnd.ms-outlook", msg_bytes(mail)))
    depth, inner = 0, message
    while inner.forwarded:
        depth, inner = depth + 1, inner.forwarded[0]
    assert depth == MAX_FORWARD_DEPTH
    (closed,) = inner.attachments
    assert closed.status == AttachmentStatus.SKIPPED and closed.filename == "Niveau 1.msg"
    assert f"nested more than {MAX_FORWARD_DEPTH} mails deep" in closed.error


def test_a_word_document_is_not_taken_for_a_msg() -> None:
    from extract_msg.ole_writer import OleWriter  # writes an OLE2 file: the signature .doc and .msg share

    writer = OleWriter()
    writer.addEntry(["WordDocument"], b"\x00" * 4096)
    out = io.BytesIO()
    writer.write(out)
    message = mail_with(("rapport.doc", "application/msword", out.getvalue()))
    assert message.forwarded == [] and names(message.attachments) == ["rapport.doc"]
    assert message.attachments[0].status == AttachmentStatus.OK  # left to the document readers


def test_a_truncated_msg_is_an_error_with_its_reason_and_the_rest_of_the_mail_is_read() -> None:
    data = corpus_bytes(MSG_FILES / "strangeDate.msg")
    message = mail_with(
        ("mail.msg", "application/vnd.ms-outlook", data[: len(data) // 2]), ("note.txt", "text/plain", b"ok")
    )
    broken, note = message.attachments
    assert broken.status == AttachmentStatus.ERROR
    assert broken.error.startswith("the Outlook .msg file could not be read: it is cut short or damaged")
    assert note.status == AttachmentStatus.OK and "Veuillez trouver" in message.body


def test_a_msg_is_opened_within_the_memory_a_document_may_take_and_the_rest_of_the_mail_is_read() -> None:
    body = "Le constat, ligne après ligne.\n" * 200_000  # 12 MB in UTF-16, read whole at least once
    mail = OutlookMail("Sinistre", "A", "a@example.fr", body=body)
    attached = make_mail(
        COVER,
        attachments=[
            ("mail.msg", "application/vnd.ms-outlook", msg_bytes(mail)),
            ("note.txt", "text/plain", b"ok"),
        ],
    )
    message = parse_message(attached, source="test.eml", limits=LimitSettings(document_mb=2))
    refused, note = message.attachments
    assert (refused.filename, refused.status) == ("mail.msg", AttachmentStatus.ERROR)
    assert refused.error == "the Outlook .msg file needed more than 2 MB to read (limits.document_mb)"
    assert message.forwarded == [] and note.status == AttachmentStatus.OK


def test_msg_and_winmail_dat_files_are_opened_outside_rpas_process() -> None:
    program = f"""
import sys
from pathlib import Path
sys.path[:0] = {[str(Path(__file__).parent), str(Path(__file__).parent.parent)]!r}
from conftest import make_mail
from extractors.mime import parse_message
from rpa.config import LimitSettings
files = [("a.msg", "application/vnd.ms-outlook", Path({str(MSG_FILES / "unicode.msg")!r}).read_bytes()),
         ("winmail.dat", "application/ms-tnef", Path({str(TNEF_FILES / "one-file.tnef")!r}).read_bytes())]
message = parse_message(make_mail("Bonjour", attachments=files), source="t.eml", limits=LimitSettings())
assert [inner.subject for inner in message.forwarded][0] == "Test for TIF files", message.errors
print(sorted(name for name in ("extract_msg", "tnefparse", "olefile") if name in sys.modules))
"""
    require(
        (TNEF_FILES / "one-file.tnef").is_file() and (MSG_FILES / "unicode.msg").is_file(), "corpora missing"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_damaged_attachment_inside_a_msg_is_named_in_the_errors_and_the_others_are_read() -> None:
    mail = OutlookMail("Devis", "A", "a@example.fr", body="Le devis.", files=[("devis.txt", b"500 EUR")])
    mail.damaged_files.append("photo.jpg")
    (inner,) = mail_with(("devis.msg", "application/vnd.ms-outlook", msg_bytes(mail))).forwarded
    assert names(inner.attachments) == ["devis.txt"]
    assert inner.errors == [
        "the attachment photo.jpg could not be read: it is damaged or its data is missing"
    ]


def test_an_encrypted_msg_is_an_error_saying_so() -> None:
    sealed = OutlookMail(
        "Confidentiel",
        "A",
        "a@example.fr",
        message_class="IPM.Note.SMIME",
        files=[("smime.p7m", bytes(range(256)))],
    )
    (attachment,) = mail_with(
        ("confidentiel.msg", "application/vnd.ms-outlook", msg_bytes(sealed))
    ).attachments
    assert attachment.status == AttachmentStatus.ERROR and "encrypted (S/MIME)" in attachment.error


# -- winmail.dat (TNEF) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stream", "subject", "in_body", "files"),
    [
        ("one-file.tnef", "one-file", "", ["AUTHORS"]),
        ("body.tnef", "Bill of Rights", "THE BILL OF RIGHTS", []),  # an HTML body
        ("rtf.tnef", "", "-- Greg", []),  # a compressed RTF body
        ("long-filename.tnef", "RE: license file", "temp. license for QARun", ["allproductsmar2000.dat"]),
        ("umlaut.tnef", "", "TEST äöü", ["TBZ PARIV GmbH.jpg", "image003.jpg", "UmlautAnhang-äüö.txt"]),
        (
            "MAPI_ATTACH_DATA_OBJ.tnef",
            "Bodø-damer på vei!",
            "bodødamene",
            ["VIA_Nytt_1402.doc", "VIA_Nytt_1402.pdf", "VIA_Nytt_14021.htm"],
        ),
    ],
)
def test_a_winmail_dat_gives_its_body_and_attachments(
    stream: str, subject: str, in_body: str, files: list
) -> None:
    message = mail_with(("winmail.dat", "application/ms-tnef", corpus_bytes(TNEF_FILES / stream)))
    assert message.attachments == [] and "Veuillez trouver" in message.body
    (inner,) = message.forwarded
    assert inner.subject == subject and in_body in inner.body
    assert names(inner.attachments) == files
    assert all(attachment.status == AttachmentStatus.OK for attachment in inner.attachments)


def test_a_pdf_in_a_winmail_dat_is_a_pdf_attachment() -> None:
    stream = corpus_bytes(TNEF_FILES / "MAPI_ATTACH_DATA_OBJ.tnef")
    (inner,) = mail_with(("winmail.dat", "application/ms-tnef", stream)).forwarded
    pdf = inner.attachments[1]
    assert (pdf.content_type, pdf.data[:5]) == ("application/pdf", b"%PDF-")


def test_a_winmail_dat_names_its_sender_and_inline_pictures() -> None:
    stream = corpus_bytes(TNEF_FILES / "unicode-mapi-attr-name.tnef")
    (inner,) = mail_with(("winmail.dat", "application/ms-tnef", stream)).forwarded
    assert inner.sender == Address("Marcin Jabłonkowski", "M.Jablonkowski@promedica24.pl")
    assert inner.subject.startswith("RE: [ZGLOSZENIE] THU#29044 Aktualizacja numerów")
    assert inner.date == datetime(2014, 6, 20, 10, 27, 10, tzinfo=UTC)
    assert [(a.filename, a.inline) for a in inner.attachments] == [
        ("spaconsole2.cfg", False),
        ("image001.png", True),
        ("image002.png", True),
        ("image003.png", True),
    ]


def test_a_winmail_dat_with_only_attachments_still_yields_them() -> None:
    (inner,) = mail_with(
        ("winmail.dat", "application/ms-tnef", corpus_bytes(TNEF_FILES / "two-files.tnef"))
    ).forwarded
    assert inner.body == ""
    assert names(inner.attachments) == ["AUTHORS", "README"]


def test_a_winmail_dat_is_known_by_its_bytes_whatever_its_name() -> None:
    stream = corpus_bytes(TNEF_FILES / "triples.tnef")
    message = mail_with(("ATT00001.bin", "application/octet-stream", stream))
    (inner,) = message.forwarded
    assert inner.sender == Address("Martin Rakhmanoff", "rakhmanoff@sundance.spb.ru")
    assert (inner.subject, inner.body) == ("Sample Summary", "Sample description")


def test_a_mail_attached_in_a_winmail_dat_nests() -> None:
    stream = corpus_bytes(TNEF_FILES / "IPM-DistList.tnef")
    (outer,) = mail_with(("winmail.dat", "application/ms-tnef", stream)).forwarded
    (inner,) = outer.forwarded
    assert "first half of the list" in outer.body
    assert inner.sender == Address("Axxxx Fxxxxx", "xxxx902@citlink.net") and inner.subject == "XXXXnews"


def test_a_truncated_winmail_dat_is_an_error_and_the_rest_of_the_mail_is_read() -> None:
    stream = corpus_bytes(TNEF_FILES / "MAPI_ATTACH_DATA_OBJ.tnef")
    message = mail_with(
        ("winmail.dat", "application/ms-tnef", stream[:100_000]), ("note.txt", "text/plain", b"ok")
    )
    broken, note = message.attachments
    assert broken.status == AttachmentStatus.ERROR and message.forwarded == []
    assert broken.error.startswith("the winmail.dat (TNEF) file could not be read: it is cut short")
    assert note.status == AttachmentStatus.OK and "Veuillez trouver" in message.body


def test_a_winmail_dat_of_countless_tiny_parts_is_refused_before_it_is_read() -> None:
    tiny = struct.pack("<BHHI", 1, 0x9999, 0, 1) + b"A" + b"\0\0"  # tnefparse copies the rest for each
    stream = SIGNATURE + b"\0\0" + tiny * 200_000
    (attachment,) = mail_with(("winmail.dat", "application/ms-tnef", stream)).attachments
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error.endswith(
        "it is made of too many parts for its size: reading it would take too long"
    )


def test_a_file_named_winmail_dat_that_is_not_tnef_is_an_error() -> None:
    (attachment,) = mail_with(("winmail.dat", "application/ms-tnef", b"not a TNEF stream")).attachments
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error == (
        "the winmail.dat (TNEF) file could not be read: it does not start with the TNEF signature"
    )


@pytest.mark.parametrize(
    "path", sorted(TNEF_FILES.glob("*.tnef")) or [None], ids=lambda path: getattr(path, "name", "absent")
)
def test_every_corpus_winmail_dat_opens(path: Path | None) -> None:
    require(path is not None, f"no TNEF streams under {TNEF_FILES}")
    message = mail_with(("winmail.dat", "application/ms-tnef", path.read_bytes()))
    assert message.attachments == [] and len(message.forwarded) == 1


# -- the formats, the doctor and the whole pipeline ------------------------------------------------


@pytest.mark.parametrize("name", list(MAIL_FORMATS))
def test_every_mail_format_keeps_the_contract_and_is_installed(name: str) -> None:
    form = MAIL_FORMATS[name]
    assert isinstance(form, MailFileFormat) and form.name == name
    assert form.is_available(), f"{form.package} is not installed: make setup"


def test_rpa_doctor_lists_the_msg_and_winmail_readers(settings: Settings) -> None:
    checks = {check.name: check for check in run_checks(settings)}
    assert checks["reader:outlook-msg"].ok and "Outlook .msg files" in checks["reader:outlook-msg"].detail
    assert checks["reader:tnef"].ok and "winmail.dat (TNEF) files" in checks["reader:tnef"].detail


def test_the_pdf_in_a_winmail_dat_is_read_like_any_pdf(pipeline: Pipeline) -> None:
    stream = corpus_bytes(TNEF_FILES / "MAPI_ATTACH_DATA_OBJ.tnef")
    data = make_mail(COVER, attachments=[("winmail.dat", "application/ms-tnef", stream)])
    result = pipeline.process(RawInput("mail.eml", data, "mail", "mail.eml"))
    (pdf,) = [a for a in result.message.all_attachments() if a.filename == "VIA_Nytt_1402.pdf"]
    assert pdf.status == AttachmentStatus.OK and "VIA Flyspesialisten" in pdf.pages[0].text
    assert not any("winmail.dat" in error for error in result.errors)
