"""Raw mail to `Message`: headers, body, attachments, forwarded mail, and bad mail that must not stop us.

Fixtures in tests/data/mail/ are hand-written; the robustness tests walk the real-world
collections in shared/eval/ (MIME torture tests, spam, bounces, French insurance mail).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import make_mail, require

from extractors.charsets import decode_text
from extractors.mime import parse_message
from extractors.standalone import message_from_file
from rpa.config import LimitSettings
from rpa.models import Address, AttachmentStatus, Message

MAIL = Path(__file__).resolve().parent / "data" / "mail"
FUZZ_CRASHES = Path(__file__).resolve().parent / "data" / "fuzz_crashes"
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
CORPORA = ("eml_flanker", "eml_ruby_mail", "eml_spamscope_mailparser")
MELUSINE = EVAL / "melusine_fr_insurance_emails"
LIMITS = LimitSettings()


def parse(name_or_data: str | bytes, limits: LimitSettings = LIMITS) -> Message:
    data = name_or_data if isinstance(name_or_data, bytes) else (MAIL / name_or_data).read_bytes()
    return parse_message(data, source="test.eml", limits=limits)


# -- headers -----------------------------------------------------------------------------------


def test_rfc2047_subject_and_sender_name_are_decoded() -> None:
    message = parse("rfc2231_and_rfc2047_names.eml")
    assert message.subject == "Déclaration de sinistre – dégât des eaux"
    assert message.sender == Address("José García", "jose.garcia@example.es")


def test_a_header_of_thousands_of_encoded_words_is_read_whole_word_by_word_in_little_memory() -> None:
    """The standard library's parser copies the rest of the header for each encoded word:
    3,300 of them took it 355 MB (eml_flanker's long-header.eml)."""
    import tracemalloc

    subject = "\r\n ".join("=?utf-8?q?Die_hei=C3=9Fe_Sonne_?=" for _ in range(3000))
    recipients = ", ".join(f"=?utf-8?q?Agn=C3=A8s_{n}?= <a{n}@example.com>" for n in range(1000))
    data = f"From: a@example.com\r\nTo: {recipients}\r\nSubject: {subject}\r\n\r\nBonjour\r\n".encode()
    tracemalloc.start()
    try:
        message = parse(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20
    assert message.subject == " ".join(["Die heiße Sonne"] * 3000)
    assert len(message.to) == 1000 and message.to[-1] == Address("Agnès 999", "a999@example.com")
    assert "the Subject header is 101,999 characters long; it was read word by word" in message.errors
    assert message.body.strip() == "Bonjour"


def test_message_id_keeps_its_angle_brackets_and_is_none_when_absent() -> None:
    assert parse(make_mail("x", message_id="<case-1@example.fr>")).message_id == "<case-1@example.fr>"
    assert parse(make_mail("x", message_id=None)).message_id is None


def test_date_is_timezone_aware() -> None:
    date = parse("rfc2231_and_rfc2047_names.eml").date
    assert date == datetime(2025, 3, 3, 9, 12, tzinfo=UTC)
    assert date.utcoffset() == timedelta(hours=1)


# Found by bench/fuzz.py (mime harness): seconds too large for a date raised OverflowError
# from the standard library's Date header, and the whole mail fell back to "could not be
# parsed", its attachments lost. The fuzzer's input, and the same header in a plain mail.
@pytest.mark.parametrize(
    ("data", "attachments"),
    [
        ((FUZZ_CRASHES / "mime-date-seconds-overflow.eml").read_bytes(), 1),
        (
            b"From: jean@example.fr\r\nSubject: Sinistre\r\nDate: Sun, 8 May 2005 14:09:1115579351471\r\n\r\nBonjour",
            0,
        ),
    ],
    ids=["fuzzed", "plain"],
)
def test_a_date_too_large_to_hold_is_noted_and_the_mail_read(data: bytes, attachments: int) -> None:
    message = parse(data)
    assert message.date is None
    assert "the Date header 'Sun, 8 May 2005 14:09:1115579351471' is not a date we can read" in message.errors
    assert not any("could not be parsed (" in error for error in message.errors)
    assert len(message.attachments) == attachments


def test_a_pasted_forward_whose_date_is_too_large_keeps_its_sender_and_text() -> None:
    pasted = "---------- Forwarded message ---------\nFrom: Jean <jean@example.fr>\nDate: Sun, 8 May 2005 14:09:1115579351471\nSubject: Sinistre\nTo: b@example.fr\n\nBonjour, mon contrat AB-123."
    message = parse(make_mail(f"Voir ci-dessous\n\n{pasted}\n"))
    (forwarded,) = message.forwarded
    assert (forwarded.sender, forwarded.date) == (Address("Jean", "jean@example.fr"), None)
    assert forwarded.body == "Bonjour, mon contrat AB-123."
    assert message.errors == []


def test_reply_headers_give_in_reply_to_and_references() -> None:
    message = parse(make_mail("x", headers={"In-Reply-To": "<a@x>", "References": "<root@x> <a@x>"}))
    assert message.in_reply_to == "<a@x>"
    assert message.references == ["<root@x>", "<a@x>"]


def test_automation_headers_are_kept_by_lower_case_name() -> None:
    headers = {
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "All",
        "Precedence": "bulk",
        "List-Id": "<news.example.org>",
        "Reply-To": "Jean <jean@example.fr>",
        "Content-Language": "fr-FR",
        "X-Mailer": "Microsoft Outlook 16.0",
    }
    raw = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    message = parse(f"From: a@example.fr\r\nSubject: x\r\n{raw}\r\nCorps".encode())
    assert {name: message.headers[name.lower()] for name in headers} == headers


def test_to_and_cc_are_lists_of_addresses() -> None:
    cc = {"Cc": '"Dupont, Jean" <j@x.fr>'}
    message = parse(make_mail("x", to="A <a@example.fr>, b@example.fr", headers=cc))
    assert message.to == [Address("A", "a@example.fr"), Address("", "b@example.fr")]
    assert message.cc == [Address("Dupont, Jean", "j@x.fr")]


def test_content_hash_is_the_sha256_of_the_raw_bytes() -> None:
    data = make_mail("Bonjour")
    message = parse(data)
    assert message.content_hash == hashlib.sha256(data).hexdigest()
    assert message.raw == data


# -- charsets ----------------------------------------------------------------------------------


def test_latin1_text_declared_as_utf8_is_read_and_the_mistake_noted() -> None:
    message = parse("latin1_declared_utf8.eml")
    assert "Le sinistre a eu lieu à Béziers" in message.body
    assert message.errors == ["the text/plain body: text that is not valid utf-8, read as cp1252"]


def test_unknown_charset_is_read_as_utf8_and_noted() -> None:
    message = parse("unknown_charset.eml")
    assert "véhicule immatriculé AB-123-CD" in message.body
    assert message.errors == ["the text/plain body: unknown charset 'x-unknown', read as utf-8"]


def test_8bit_text_without_a_charset_is_guessed_and_noted() -> None:
    message = parse("no_charset_8bit.eml")
    assert "La franchise de 120 € est déjà réglée – merci" in message.body
    assert message.errors == ["the text/plain body: 8-bit text without a declared charset, read as cp1252"]


# Found by bench/fuzz.py (charsets harness), inputs as it saved them: a declared charset
# that Python knows but that decodes nothing, or a name with a NUL in it, raised out of
# decode_text and the whole mail fell back to "could not be parsed", its attachments lost.
@pytest.mark.parametrize(
    ("fuzzed", "problem"),
    [
        (b"undefined\nS" + b"\xff" * 19 + b"n\xc2\xb0 20", "text that is not valid undefined, read as "),
        (b"'\x01\x00\x00\x00\xa0", "unknown charset "),
    ],
)
def test_a_declared_charset_that_cannot_decode_is_noted_not_raised(fuzzed: bytes, problem: str) -> None:
    declared, _, data = fuzzed.partition(b"\n")
    text, found = decode_text(data, declared.decode("latin-1"))
    assert text.endswith("20" if data else "")
    assert found is not None and found.startswith(problem)


@pytest.mark.parametrize("declared", ["undefined", "utf-8\x00"])
def test_a_part_declaring_a_charset_that_cannot_decode_loses_nothing(declared: str) -> None:
    pdf = b"%PDF-1.4 devis"
    data = make_mail("Sinistre n\u00b0 2024-118", attachments=[("devis.pdf", "application/pdf", pdf)])
    message = parse(data.replace(b'charset="utf-8"', f'charset="{declared}"'.encode("latin-1"), 1))
    assert message.body == "Sinistre n\u00b0 2024-118"
    assert [(a.filename, a.data) for a in message.attachments] == [("devis.pdf", pdf)]
    assert message.errors[0].startswith("the text/plain body: ")


def test_broken_base64_and_a_missing_closing_boundary_are_noted_not_raised() -> None:
    message = parse("broken_parts.eml")
    assert message.body == "Voici le devis."
    assert [a.filename for a in message.attachments] == ["devis.pdf"]
    assert any("broken base64" in error for error in message.errors)
    assert any("closing multipart boundary is missing" in error for error in message.errors)


@pytest.mark.parametrize(
    "data", [b"", b"\x00\xff\xfe garbage \x80\x81", b"Subject: =?bad?Q?x?=\n\n\xff", b"\n\n\n"]
)
def test_garbage_bytes_still_give_a_message(data: bytes) -> None:
    assert isinstance(parse(data), Message)


# -- bodies ------------------------------------------------------------------------------------


def test_html_only_mail_becomes_readable_text() -> None:
    message = parse("html_only.eml")
    assert message.html_only is True
    assert message.body.startswith(
        "Bonjour,\n\nJe vous informe de mon changement d'adresse :\n12 rue des Lilas"
    )
    assert "Mon contrat porte le numéro HAB-2231-778." in message.body


def test_html_only_mail_has_no_markup_css_or_script_in_its_text() -> None:
    body = parse("html_only.eml").body
    assert not re.search(r"[<>{}]|color|trackOpen|&nbsp;|&#39;", body)


def test_html_paragraphs_stay_paragraphs() -> None:
    assert "12 rue des Lilas\n69003 Lyon\n\nMon contrat" in parse("html_only.eml").body


def test_multipart_alternative_uses_the_text_plain_part() -> None:
    message = parse("alternative.eml")
    assert message.body == "Hello, any news on claim CLM-2025-0042? (plain version)"
    assert message.html_only is False
    assert message.attachments == []


def test_reply_parts_are_filled_from_the_body() -> None:
    body = (
        "Bonjour,\nOù en est mon dossier ?\n\nCordialement,\nJean Dupont\n\n"
        "Le 3 mars 2025 à 10:12, X <x@y.fr> a écrit :\n> Vieux"
    )
    message = parse(make_mail(body))
    assert (message.new_text, message.signature, message.quoted_text.splitlines()[-1]) == (
        "Bonjour,\nOù en est mon dossier ?",
        "Cordialement,\nJean Dupont",
        "Vieux",
    )


# -- attachments -------------------------------------------------------------------------------


def test_rfc2231_file_name_in_continuations_is_decoded() -> None:
    names = [a.filename for a in parse("rfc2231_and_rfc2047_names.eml").attachments]
    assert names[0] == "État des lieux d'entrée.pdf"


def test_rfc2047_encoded_file_name_is_decoded() -> None:
    names = [a.filename for a in parse("rfc2231_and_rfc2047_names.eml").attachments]
    assert names[1] == "dégât cuisine.jpg"


def test_attachments_carry_their_bytes_type_and_size() -> None:
    pdf = parse("rfc2231_and_rfc2047_names.eml").attachments[0]
    assert (pdf.content_type, pdf.status, pdf.data[:5]) == ("application/pdf", "ok", b"%PDF-")
    assert pdf.size == len(pdf.data)


def test_images_shown_inline_are_inline_attachments() -> None:
    attachments = parse("inline_image.eml").attachments
    assert [(a.filename, a.content_type, a.inline) for a in attachments] == [
        ("attachment-1.png", "image/png", True),  # referenced by cid: in the HTML
        ("attachment-2.jpg", "image/jpeg", True),  # Content-Disposition: inline
    ]


def test_text_attachment_with_a_name_is_an_attachment_but_the_body_is_not() -> None:
    message = parse(make_mail("Le corps", attachments=[("notes.txt", "text/plain", b"Plaque AB-123-CD")]))
    assert message.body == "Le corps"
    assert [(a.filename, a.data) for a in message.attachments] == [("notes.txt", b"Plaque AB-123-CD")]


def test_winmail_dat_is_kept_as_an_attachment() -> None:
    attachments = parse("forwarded_attachment.eml").attachments
    assert [(a.filename, a.content_type) for a in attachments] == [("winmail.dat", "application/ms-tnef")]


def test_unnamed_part_gets_a_generated_name_with_an_extension() -> None:
    mail = EmailMessage()
    mail["From"] = "a@example.fr"
    mail.set_content("Voir pièce.")
    mail.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf")
    mail.add_attachment(b"\x00\x01", maintype="application", subtype="x-unknown-thing")
    assert [a.filename for a in parse(bytes(mail)).attachments] == ["attachment-1.pdf", "attachment-2.bin"]


def test_attachment_over_the_size_limit_is_skipped_with_the_reason() -> None:
    big = b"x" * (3 * 1024 * 1024)
    message = parse(
        make_mail("x", attachments=[("scan.pdf", "application/pdf", big)]),
        LimitSettings(max_attachment_mb=2, max_message_mb=50),
    )
    [scan] = message.attachments
    assert (scan.status, scan.size, scan.data) == (AttachmentStatus.SKIPPED, len(big), b"")
    assert scan.error == "attachment is 3.0 MB, over the 2 MB limit"


def test_attachments_beyond_the_message_total_are_skipped() -> None:
    part = b"x" * (600 * 1024)
    files = [(f"page{n}.pdf", "application/pdf", part) for n in (1, 2, 3)]
    message = parse(make_mail("x", attachments=files), LimitSettings(max_attachment_mb=1, max_message_mb=1.5))
    assert [a.status for a in message.attachments] == ["ok", "ok", "skipped"]
    assert "over the 1.5 MB per-message limit" in message.attachments[2].error


# -- forwarded mail ----------------------------------------------------------------------------


def test_attached_forwarded_mail_is_parsed_and_its_sender_is_the_customer() -> None:
    message = parse("forwarded_attachment.eml")
    [inner] = message.forwarded
    assert inner.subject == "Dégât des eaux"
    assert "HAB-5531-002" in inner.new_text
    assert message.customer == Address("Sophie Bernard", "sophie.bernard@example.fr")


def test_attachments_of_a_forwarded_mail_stay_inside_it() -> None:
    message = parse("forwarded_attachment.eml")
    assert [a.filename for a in message.forwarded[0].attachments] == ["constat.pdf"]
    assert "constat.pdf" not in [a.filename for a in message.attachments]


def test_french_mail_forwarded_in_the_text_becomes_a_forwarded_message() -> None:
    message = parse("forwarded_inline_fr.eml")
    [inner] = message.forwarded
    assert message.customer == Address("Marc Lefèvre", "marc.lefevre@example.fr")
    assert inner.subject == "Demande d'attestation"
    assert inner.date == datetime(2025, 3, 10, 8, 47, tzinfo=message.date.tzinfo)
    assert "HAB-7788-120" in inner.new_text
    assert inner.signature == "Cordialement,\nMarc Lefèvre\n06 12 34 56 78"


def test_forwarder_text_is_the_new_text_and_the_forwarded_mail_stays_out_of_it() -> None:
    message = parse("forwarded_inline_fr.eml")
    assert message.new_text == "Pouvez-vous traiter cette demande ?"
    assert message.quoted_text == ""
    assert "HAB-7788-120" in message.body


def test_english_outlook_forward_becomes_a_forwarded_message() -> None:
    message = parse("forwarded_inline_en.eml")
    [inner] = message.forwarded
    assert message.customer == Address("Emma Wilson", "emma.wilson@example.co.uk")
    assert inner.subject == "Windscreen claim"
    assert "MTR-4410-87" in inner.new_text
    assert message.new_text == "Please handle."


def test_outlook_html_forward_becomes_a_forwarded_message() -> None:
    message = parse("forwarded_outlook_html_fr.eml")
    [inner] = message.forwarded
    assert message.customer == Address("Nadia Haddad", "nadia.haddad@example.fr")
    assert (inner.subject, inner.signature) == ("Bris de glace", "Cordialement,\nNadia Haddad")
    assert "AUTO-5510-33" in inner.new_text
    assert message.new_text == "Pour traitement, merci."


@pytest.mark.parametrize(
    ("forwarded_from", "why"),
    [
        ("Atelier Garage Martin <noreply@garage-martin.example>", "a robot's address"),
        ("FixPoint Repairs <do-not-reply@fixpoint.example>", "a robot's address"),
        ("Service Sinistres <gestion@assureur.example>", "the insurer's own mail"),
    ],
)
def test_a_customer_forwarding_a_robot_or_the_insurer_stays_the_customer(
    forwarded_from: str, why: str
) -> None:
    body = (
        "Voici le message du garage / here is what they sent me.\n\n"
        "---------- Forwarded message ---------\n"
        f"From: {forwarded_from}\n"
        "Date: Thu, 22 Oct 2026 at 15:47\n"
        "Subject: Suivi de réparation\n"
        "To: <jean.dupont@example.fr>\n\n"
        "Votre véhicule est en attente de l'accord de l'assureur.\n"
    )
    message = parse(make_mail(body, to="Sinistres <sinistres@assureur.example>"))
    assert len(message.forwarded) == 1, why
    assert message.customer == Address("Jean Dupont", "jean.dupont@example.fr"), why


def test_mail_without_a_forward_has_its_sender_as_customer() -> None:
    message = parse(make_mail("Bonjour"))
    assert message.forwarded == []
    assert message.customer == Address("Jean Dupont", "jean.dupont@example.fr")


# -- documents ---------------------------------------------------------------------------------


def test_standalone_document_is_a_message_with_one_attachment() -> None:
    data = b"%PDF-1.7\n%fake"
    message = message_from_file("scans/facture.pdf", "facture.pdf", data, limits=LIMITS)
    assert (message.subject, message.sender, message.message_id) == ("facture.pdf", None, None)
    assert [(a.filename, a.content_type, a.data) for a in message.attachments] == [
        ("facture.pdf", "application/pdf", data)
    ]
    assert message.content_hash == hashlib.sha256(data).hexdigest()


def test_document_type_comes_from_its_bytes_before_its_name() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
    message = message_from_file("x", "scan.jpg", png, limits=LIMITS)
    assert message.attachments[0].content_type == "image/png"


# -- the real world ----------------------------------------------------------------------------


def _corpus_files() -> list[Path]:
    folders = [EVAL / corpus for corpus in CORPORA if (EVAL / corpus).is_dir()]
    return [
        path
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "SOURCE.md" and not path.name.startswith("LICENSE")
    ]


@pytest.mark.parametrize(
    "path", _corpus_files() or [None], ids=lambda path: str(path.relative_to(EVAL)) if path else "absent"
)
def test_real_world_mail_parses_without_raising(path: Path | None) -> None:
    require(path is not None, f"no mail collections under {EVAL} ({', '.join(CORPORA)})")
    message = parse_message(path.read_bytes(), source=str(path), limits=LIMITS)
    assert isinstance(message, Message)
    assert message.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def _melusine_rows() -> list[tuple[str, dict]]:
    rows: list[tuple[str, dict]] = []
    if (MELUSINE / "emails_current.json").is_file():
        data = json.loads((MELUSINE / "emails_current.json").read_text(encoding="utf-8"))
        rows += [(f"json-{n}", row) for n, row in enumerate(data)]
    if (MELUSINE / "emails_labeled_legacy.csv").is_file():
        with (MELUSINE / "emails_labeled_legacy.csv").open(encoding="utf-8", newline="") as handle:
            rows += [(f"csv-{n}", row) for n, row in enumerate(csv.DictReader(handle))]
    return rows


MELUSINE_ROWS = dict(_melusine_rows())


def melusine_mail(key: str) -> Message:
    row = MELUSINE_ROWS[key]
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = row["from"], row["to"], row["header"]
    mail.set_content(row["body"])
    return parse_message(bytes(mail), source=f"melusine:{key}", limits=LIMITS)


def _is_forward(row: dict) -> bool:
    subject, body = row["header"].lower(), row["body"]
    return subject.startswith(("tr ", "tr:", "fwd", "fw")) or any(
        marker in body for marker in ("Transféré par", "Forwarded by", "message transféré")
    )


def _has_sender_line(row: dict) -> bool:
    return bool(re.search(r"^\s*(?:De|From|Expéditeur)\s*:.*@", row["body"], re.MULTILINE))


@pytest.mark.parametrize("key", sorted(MELUSINE_ROWS) or ["absent"])
def test_melusine_mail_parses_and_names_the_forwarded_customer(key: str) -> None:
    require(key in MELUSINE_ROWS, f"the Melusine e-mails are not in {MELUSINE}")
    row, message = MELUSINE_ROWS[key], melusine_mail(key)
    assert message.errors == []
    assert "a écrit" not in message.new_text  # the thread never leaks into what the sender wrote
    if _is_forward(row) and _has_sender_line(row):
        assert message.forwarded, "a forwarded mail with a De:/From: line gives a forwarded message"
        assert message.customer != message.sender
        assert message.customer.email in row["body"]


@pytest.mark.parametrize(
    ("key", "customer"),
    [
        ("json-0", "client@test.com"),  # "Forwarded by ... on ..." then From:/To:/Subject:
        ("json-1", "dupont@societaire.com"),  # "----- Transféré par ... -----" then De :/A :/Objet :
        ("json-22", "monsieurdupont@extensionf.net"),  # a forward of a forward
        ("json-27", "monsieurdupont@extensiona.com"),  # a header block with nothing written above
        ("json-36", "monsieurduponte@extensionh.fr"),  # Apple Mail "Début du message transféré" + Expéditeur:
        ("csv-31", "monsieurdupont@extensionj.fr"),
    ],  # a Cc: wrapped over two lines
)
def test_melusine_forwards_name_the_right_customer(key: str, customer: str) -> None:
    require(key in MELUSINE_ROWS, f"the Melusine e-mails are not in {MELUSINE}")
    assert melusine_mail(key).customer.email == customer
