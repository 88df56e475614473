"""Zip archives sent as attachments: the files in them are read as the mail's own, within
the `[limits]` that keep a hostile archive from expanding; an encrypted or damaged file is
reported, and an Office document, a zip too, is left whole for the document readers. A zip
given to `rpa process` on its own is opened the same way, its files the document's attachments.

Every archive is written by the test: with `zipfile`, or byte by byte (`handmade_zip`)
for what `zipfile` will not write, names in code page 437 and encrypted files.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import re
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import docbuilder
import officedocs
import pytest
from conftest import make_mail, run_rpa
from PIL import Image
from test_bounces import pipeline  # noqa: F401 - one pipeline for the module, made as there

from extractors.mime import parse_message
from extractors.sources import RawInput, iter_inputs
from extractors.standalone import message_from_file
from rpa.config import LimitSettings, Settings, load_settings
from rpa.errors import ConfigError
from rpa.models import Attachment, AttachmentStatus, Message
from rpa.pages import original_message, page_image
from rpa.pipeline import Pipeline
from rpa.store import Store

LIMITS = LimitSettings()
MB = 1024 * 1024
PASSWORD = b"sinistre2025"


def zipped(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def handmade_zip(files: Sequence[tuple[bytes, bytes]], *, encrypted: Sequence[bytes] = ()) -> bytes:
    """A zip of stored files, written byte by byte: names as raw bytes without the UTF-8
    flag, and the files named in `encrypted` under PKWARE's traditional cipher (PASSWORD)."""
    body, directory = bytearray(), bytearray()
    for name, content in files:
        crc, flags, data = zlib.crc32(content), 0, content
        if name in encrypted:
            flags, data = 0x1, _pkware_encrypted(content, crc)
        sizes = (crc, len(data), len(content), len(name))
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 0, 0, 0, *sizes, 0, 0, 0, 0, 0, len(body)
        )
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, 0, 0, *sizes, 0) + name + data
        directory += name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(files), len(files), len(directory), len(body), 0)
    return bytes(body + directory + end)


def _pkware_encrypted(content: bytes, crc: int) -> bytes:
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_step(value: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(byte: int) -> None:
        keys[0] = crc_step(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_step(keys[2], keys[1] >> 24)

    for byte in PASSWORD:
        update(byte)
    out = bytearray()
    for byte in bytes(11) + bytes([crc >> 24]) + content:  # a 12-byte header, then the file
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


def mail_with(archive: bytes, name: str = "dossier.zip", *, limits: LimitSettings = LIMITS) -> Message:
    data = make_mail("Bonjour, voici le dossier complet.", attachments=[(name, "application/zip", archive)])
    return parse_message(data, source="test.eml", limits=limits)


def by_name(message: Message) -> dict[str, Attachment]:
    return {attachment.filename: attachment for attachment in message.attachments}


@functools.cache  # one PDF per text: fpdf writes the time it was made into each
def claim_pdf(text: str = "Contrat numéro AB-2024-117") -> bytes:
    return docbuilder.text_pdf([f"Déclaration de sinistre\n{text}"])


# -- what an archive gives -------------------------------------------------------------------------


def test_the_files_of_a_zip_are_the_mails_attachments_named_without_their_folders() -> None:
    message = mail_with(
        zipped({"sinistre/constat.pdf": claim_pdf(), "sinistre/photos/avant.jpg": b"\xff\xd8\xff"})
    )
    assert [(a.filename, a.content_type, a.status) for a in message.attachments] == [
        ("constat.pdf", "application/pdf", AttachmentStatus.OK),
        ("avant.jpg", "image/jpeg", AttachmentStatus.OK),
    ]
    assert message.attachments[0].data == claim_pdf()
    assert message.errors == []


def test_folders_and_what_macos_and_windows_leave_in_a_zip_are_skipped() -> None:
    archive = zipped(
        {
            "dossier/": b"",
            "dossier/facture.pdf": claim_pdf(),
            "__MACOSX/dossier/._facture.pdf": b"\x00\x05\x16\x07 AppleDouble",
            "dossier/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "dossier/Thumbs.db": b"\xd0\xcf\x11\xe0",
        }
    )
    assert list(by_name(mail_with(archive))) == ["facture.pdf"]


def test_names_are_decoded_as_the_zip_format_says() -> None:
    archive = handmade_zip(
        [
            ("Déclaration.pdf".encode("cp437"), claim_pdf()),  # no UTF-8 flag: code page 437
            ("Été/reçu.txt".encode(), b"Montant : 120 EUR"),  # UTF-8 written without the flag
            ("..\\..\\Windows\\évil.txt".encode("cp437"), b"x"),  # a path to climb out of a folder
        ]
    )
    assert list(by_name(mail_with(archive))) == ["Déclaration.pdf", "reçu.txt", "évil.txt"]


def test_utf8_names_flagged_as_such_are_read_as_utf8() -> None:
    assert list(by_name(mail_with(zipped({"procès-verbal n°2.pdf": claim_pdf()})))) == [
        "procès-verbal n°2.pdf"
    ]


def test_a_zip_in_a_zip_is_opened_within_the_depth_limit() -> None:
    inner = zipped({"facture.pdf": claim_pdf("Facture F-2025-0012")})
    message = mail_with(zipped({"annexes.zip": inner, "constat.pdf": claim_pdf()}))
    assert sorted(by_name(message)) == ["constat.pdf", "facture.pdf"]
    assert by_name(message)["facture.pdf"].data == claim_pdf("Facture F-2025-0012")


def test_a_zip_nested_deeper_than_the_limit_is_kept_closed_saying_why() -> None:
    deepest = zipped({"facture.pdf": claim_pdf()})
    archive = zipped({"niveau2.zip": zipped({"niveau3.zip": deepest})})
    attachment = by_name(mail_with(archive))["niveau3.zip"]
    assert attachment.status == AttachmentStatus.SKIPPED
    assert attachment.error == (
        "the zip archive was not opened: it is inside 2 other zip archives and limits.max_archive_depth is 2"
    )


def test_max_archive_depth_zero_leaves_every_zip_closed() -> None:
    message = mail_with(zipped({"constat.pdf": claim_pdf()}), limits=LimitSettings(max_archive_depth=0))
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.status) == ("dossier.zip", AttachmentStatus.SKIPPED)
    assert attachment.error == "the zip archive was not opened: limits.max_archive_depth is 0"


def test_a_zip_known_by_its_bytes_is_opened_whatever_it_is_called() -> None:
    data = make_mail(
        "Ci-joint.", attachments=[("export", "application/octet-stream", zipped({"a.pdf": claim_pdf()}))]
    )
    message = parse_message(data, source="test.eml", limits=LIMITS)
    assert list(by_name(message)) == ["a.pdf"]


# -- Office documents are zips too -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "archive"),
    [
        ("lettre.docx", docbuilder.docx()),
        (
            "tableau.ods",
            zipped(
                {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"},
                zipfile.ZIP_STORED,
            ),
        ),
        (  # an OpenDocument drawing: no reader for it, but one document all the same
            "plan.odg",
            zipped(
                {"mimetype": b"application/vnd.oasis.opendocument.graphics", "content.xml": b"<office/>"},
                zipfile.ZIP_STORED,
            ),
        ),
    ],
)
def test_an_office_document_is_not_taken_for_an_archive(name: str, archive: bytes) -> None:
    (attachment,) = mail_with(archive, name).attachments
    assert (attachment.filename, attachment.status, attachment.data) == (name, AttachmentStatus.OK, archive)


def test_a_word_document_in_a_zip_is_one_attachment() -> None:
    message = mail_with(zipped({"courrier/lettre.docx": docbuilder.docx()}))
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.data) == ("lettre.docx", docbuilder.docx())


# -- hostile or damaged archives -------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_expands() -> None:
    bomb = zipped({"rapport.pdf": bytes(60 * MB), "constat.pdf": claim_pdf()})  # 60 MB in about 60 kB
    tracemalloc.start()
    try:
        message = mail_with(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * MB  # nothing near the 60 MB was ever unzipped
    attachments = by_name(message)
    assert attachments["constat.pdf"].status == AttachmentStatus.OK
    assert attachments["rapport.pdf"].status == AttachmentStatus.SKIPPED
    assert re.fullmatch(  # about a thousand times, as zlib's version has it
        r"it would expand 1,0\d\d times \(to 60 MB\), over the limit of 200 \(limits.max_zip_ratio\): "
        r"a zip bomb, not unzipped",
        attachments["rapport.pdf"].error,
    )


def test_an_archive_whose_files_would_take_too_much_room_is_not_opened() -> None:
    archive = zipped(
        {f"scan-{n}.tif": docbuilder.random_bytes(MB, seed=n) for n in range(3)}, zipfile.ZIP_STORED
    )
    (attachment,) = mail_with(archive, limits=LimitSettings(max_archive_mb=2)).attachments
    assert attachment.status == AttachmentStatus.SKIPPED
    assert attachment.error == (
        "the zip archive was not opened: its files take 3 MB unzipped, over the limit of 2 MB "
        "(limits.max_archive_mb)"
    )


def test_a_file_whose_header_understates_its_size_is_not_unzipped_beyond_it() -> None:
    content = bytes(5 * MB)
    archive = bytearray(zipped({"releve.csv": content}))
    declared = struct.pack("<I", len(content))
    assert archive.count(declared) == 2  # the local header and the central directory
    archive = bytes(archive).replace(declared, struct.pack("<I", 1000))  # a header that lies
    tracemalloc.start()
    try:
        (attachment,) = mail_with(archive).attachments
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MB
    assert attachment.status == AttachmentStatus.ERROR
    assert attachment.error == "it could not be unzipped: Bad CRC-32 for file 'releve.csv'"


def test_an_archive_of_too_many_files_is_not_opened() -> None:
    archive = zipped({f"photo-{n}.jpg": b"\xff\xd8\xff" for n in range(101)})
    (attachment,) = mail_with(archive).attachments
    assert attachment.status == AttachmentStatus.SKIPPED
    assert attachment.error == (
        "the zip archive was not opened: it holds 101 files, over the limit of 100 (limits.max_archive_files)"
    )


def test_a_zip_listing_countless_files_is_refused_before_its_directory_is_read() -> None:
    archive = zipped({f"{n}": b"" for n in range(10_001)}, zipfile.ZIP_STORED)
    (attachment,) = mail_with(archive).attachments
    assert attachment.status == AttachmentStatus.SKIPPED
    assert attachment.error == "the zip archive was not opened: it lists more than 10,000 files"


def test_no_more_files_are_unzipped_from_one_mail_than_the_limit() -> None:
    inner = zipped({f"photo-{n}.jpg": b"\xff\xd8\xff" for n in range(3)})
    archive = zipped({"a.zip": inner, "b.zip": inner})
    message = mail_with(archive, limits=LimitSettings(max_archive_files=4))
    assert len(message.attachments) == 3  # a.zip's photos; b.zip is the fourth file
    assert message.errors == [
        "the mail's zip archives hold more than 4 files; the rest were not unzipped (limits.max_archive_files)"
    ]


def test_an_encrypted_file_is_an_error_saying_so_and_the_others_are_read() -> None:
    archive = handmade_zip(
        [(b"rapport.pdf", claim_pdf()), (b"constat.pdf", claim_pdf())], encrypted=[b"rapport.pdf"]
    )
    with zipfile.ZipFile(io.BytesIO(archive)) as check:  # a real encrypted zip: it opens with the password
        assert check.read("rapport.pdf", pwd=PASSWORD) == claim_pdf()
    attachments = by_name(mail_with(archive))
    assert attachments["constat.pdf"].status == AttachmentStatus.OK
    assert attachments["rapport.pdf"].status == AttachmentStatus.ERROR
    assert attachments["rapport.pdf"].error == "it is encrypted with a password"


def test_a_truncated_zip_is_an_error_and_the_rest_of_the_mail_is_read() -> None:
    archive = docbuilder.truncated(zipped({"constat.pdf": claim_pdf()}))
    data = make_mail(
        "Bonjour.",
        attachments=[
            ("dossier.zip", "application/zip", archive),
            ("facture.pdf", "application/pdf", claim_pdf()),
        ],
    )
    attachments = by_name(parse_message(data, source="test.eml", limits=LIMITS))
    assert attachments["facture.pdf"].status == AttachmentStatus.OK
    assert attachments["dossier.zip"].status == AttachmentStatus.ERROR
    assert attachments["dossier.zip"].error == (
        "the zip archive was not opened: it is not a zip file or it is damaged (File is not a zip file)"
    )


def test_an_empty_zip_gives_no_attachment() -> None:
    assert mail_with(zipped({})).attachments == []


@pytest.mark.parametrize(
    ("key", "value"),
    [("max_zip_ratio", 0), ("max_archive_files", 0), ("max_archive_depth", -1), ("max_image_pixels", 0)],
)
def test_a_limit_out_of_range_is_refused_when_the_settings_load(tmp_path, key: str, value: int) -> None:
    (tmp_path / "config.toml").write_text(f"[limits]\n{key} = {value}\n")
    with pytest.raises(ConfigError, match=rf"\[limits\] {key} must be"):
        load_settings(environ={"RPA_HOME": str(tmp_path)})


# -- the whole pipeline ----------------------------------------------------------------------------


def test_a_pdf_and_a_photo_in_a_zip_are_read_with_their_fields(pipeline: Pipeline) -> None:
    photo = docbuilder.scan_image(["Procès-verbal de constat", "Immatriculation : AB-123-CD"], dpi=100)
    archive = zipped(
        {
            "dossier/constat.pdf": claim_pdf(),
            "dossier/photo.jpg": docbuilder.image_bytes(photo, "JPEG", quality=90),
        }
    )
    data = make_mail(
        "Bonjour, voici les pièces de mon dossier.", attachments=[("dossier.zip", "application/zip", archive)]
    )
    result = pipeline.process(RawInput("mail.eml", data, "mail", "mail.eml"))
    assert [(a.filename, a.status) for a in result.message.attachments] == [
        ("constat.pdf", AttachmentStatus.OK),
        ("photo.jpg", AttachmentStatus.OK),
    ]
    policy, plate = result.fields["policy_number"], result.fields["vehicle_plate"]
    assert (policy.value, policy.source) == ("AB-2024-117", "attachment:constat.pdf#p1")
    assert (plate.value, plate.source) == ("AB-123-CD", "attachment:photo.jpg#p1")
    assert result.errors == []


def test_limits_read_from_the_settings_reach_the_archives(tmp_path) -> None:
    (tmp_path / "config.toml").write_text("[limits]\nmax_archive_files = 1\n")
    limits = load_settings(environ={"RPA_HOME": str(tmp_path)}).limits
    assert limits == dataclasses.replace(LIMITS, max_archive_files=1)
    (attachment,) = mail_with(zipped({"a.pdf": claim_pdf(), "b.pdf": claim_pdf()}), limits=limits).attachments
    assert attachment.status == AttachmentStatus.SKIPPED and "limits.max_archive_files" in attachment.error


# -- a zip given on its own (rpa process dossier.zip) ------------------------------------------------


def test_a_zip_given_on_its_own_is_a_document_whose_files_are_its_attachments() -> None:
    inner = zipped({"facture.pdf": claim_pdf("Facture F-2025-0012")})
    archive = zipped({"dossier/constat.pdf": claim_pdf(), "annexes.zip": inner})
    message = message_from_file("envoi/dossier.zip", "dossier.zip", archive, limits=LIMITS)
    assert (message.kind, message.subject, message.sender, message.errors) == (
        "document",
        "dossier.zip",
        None,
        [],
    )
    assert [(a.filename, a.status, a.data) for a in message.attachments] == [
        ("constat.pdf", AttachmentStatus.OK, claim_pdf()),
        ("facture.pdf", AttachmentStatus.OK, claim_pdf("Facture F-2025-0012")),
    ]
    assert message.content_hash == hashlib.sha256(archive).hexdigest()  # its identity in the store


HOSTILE_ARCHIVES = {
    "bomb": (zipped({"rapport.pdf": bytes(60 * MB), "constat.pdf": claim_pdf()}), LIMITS),
    "encrypted": (
        handmade_zip(
            [(b"rapport.pdf", claim_pdf()), (b"constat.pdf", claim_pdf())], encrypted=[b"rapport.pdf"]
        ),
        LIMITS,
    ),
    "too-deep": (zipped({"niveau2.zip": zipped({"niveau3.zip": zipped({"a.pdf": claim_pdf()})})}), LIMITS),
    "too-many-files": (
        zipped(
            {
                "a.zip": zipped({f"photo-{n}.jpg": b"\xff\xd8\xff" for n in range(3)}),
                "b.zip": zipped({"c.pdf": b""}),
            }
        ),
        LimitSettings(max_archive_files=4),
    ),
    "too-large": (
        zipped({f"scan-{n}.tif": docbuilder.random_bytes(MB, seed=n) for n in range(3)}, zipfile.ZIP_STORED),
        LimitSettings(max_archive_mb=2),
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ARCHIVES))
def test_a_zip_given_on_its_own_is_held_to_the_limits_of_a_zip_attached_to_a_mail(case: str) -> None:
    archive, limits = HOSTILE_ARCHIVES[case]
    alone = message_from_file("dossier.zip", "dossier.zip", archive, limits=limits)
    attached = mail_with(archive, limits=limits)

    def seen(message: Message) -> list[tuple[str, AttachmentStatus, str | None]]:
        return [(a.filename, a.status, a.error) for a in message.attachments]

    assert seen(alone) == seen(attached)
    assert alone.errors == attached.errors
    assert any(status != AttachmentStatus.OK for _, status, _ in seen(alone)) or alone.errors  # a refusal


def test_a_damaged_zip_given_on_its_own_is_one_attachment_saying_why() -> None:
    archive = docbuilder.truncated(zipped({"constat.pdf": claim_pdf()}))
    (attachment,) = message_from_file("dossier.zip", "dossier.zip", archive, limits=LIMITS).attachments
    assert (attachment.filename, attachment.status) == ("dossier.zip", AttachmentStatus.ERROR)
    assert attachment.error == (
        "the zip archive was not opened: it is not a zip file or it is damaged (File is not a zip file)"
    )


def test_an_office_document_given_on_its_own_stays_one_document() -> None:
    (attachment,) = message_from_file(
        "lettre.docx", "lettre.docx", docbuilder.docx(), limits=LIMITS
    ).attachments
    assert (attachment.filename, attachment.status, attachment.data) == (
        "lettre.docx",
        AttachmentStatus.OK,
        docbuilder.docx(),
    )


def test_a_stored_zip_is_parsed_again_into_the_same_attachments_and_their_pages_drawn(
    pipeline: Pipeline, store: Store, settings: Settings
) -> None:
    note = docbuilder.text_pdf(["Note de l'agent"])
    archive = zipped({"a-note.pdf": note, "b-constat.pdf": claim_pdf()})
    result = pipeline.process(RawInput("envoi/dossier.zip", archive, "document", "dossier.zip"))
    message_pk = store.save_processed(result, actor="test").message_pk
    again = original_message(store, settings, message_pk)
    assert [(a.filename, a.data) for a in again.attachments] == [
        ("a-note.pdf", note),
        ("b-constat.pdf", claim_pdf()),
    ]
    assert [a.filename for a in store.message(message_pk).attachments] == ["a-note.pdf", "b-constat.pdf"]
    assert Image.open(page_image(store, settings, message_pk, 1, 1, 800)).width == 800


def test_rpa_process_reads_the_files_of_a_zip_and_goes_on_past_a_broken_one(tmp_path: Path) -> None:
    folder = tmp_path / "envois"
    folder.mkdir()
    (folder / "1-dossier.zip").write_bytes(
        zipped(
            {
                "dossier/constat.pdf": claim_pdf(),
                "dossier/sinistres.xls": officedocs.excel97(
                    {"Sinistres": [["N° sinistre", "SIN-2025-0042"]]}
                ),
                "dossier/presentation.pptx": officedocs.presentation([officedocs.Slide(title="Expertise")]),
                "rapport.pdf": bytes(60 * MB),  # a zip bomb among them
            }
        )
    )
    (folder / "2-casse.zip").write_bytes(docbuilder.truncated(zipped({"constat.pdf": claim_pdf()})))
    (folder / "3-courrier.pdf").write_bytes(claim_pdf("Contrat numéro CD-2025-330"))
    home = tmp_path / "home"
    done = run_rpa("process", str(folder), "--json", home=home)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    dossier, broken, letter = (json.loads(line) for line in done.stdout.splitlines())
    assert [(a["filename"], a["status"]) for a in dossier["attachments"]] == [
        ("constat.pdf", "ok"),
        ("sinistres.xls", "ok"),
        ("presentation.pptx", "ok"),
        ("rapport.pdf", "skipped"),
    ]
    assert "a zip bomb, not unzipped" in dossier["attachments"][3]["error"]
    assert dossier["fields"]["policy_number"]["source"] == "attachment:constat.pdf#p1"
    assert dossier["fields"]["claim_number"]["source"] == "attachment:sinistres.xls#sheetSinistres"
    assert broken["attachments"] == [
        {
            "filename": "2-casse.zip",
            "status": "error",
            "error": "the zip archive was not opened: it is not a zip file or it is damaged (File is not a zip file)",
            "pages": 0,
            "ocr": False,
        }
    ]
    assert letter["fields"]["policy_number"]["value"] == "CD-2025-330"


def test_a_zip_named_on_the_command_line_is_taken_as_a_document(tmp_path: Path) -> None:
    path = tmp_path / "Dossier.ZIP"
    path.write_bytes(zipped({"constat.pdf": claim_pdf()}))
    (raw,) = iter_inputs([path])
    assert (raw.kind, raw.filename, raw.source) == ("document", "Dossier.ZIP", str(path))
