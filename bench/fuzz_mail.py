"""The mail harnesses' family: mime, zip, tnef, msg.

The MIME parser (`extractors.mime.parse_message`, default `LimitSettings`) on a mail,
or on a mail that carries the input as an attachment (a zip archive); and a mail
saved as a file (winmail.dat, Outlook .msg) opened by its format
(`extractors.mailfiles`). Seeds are the public mail corpora, `samples/*.eml`, and the
TNEF and .msg files of the corpora, attached to a mail as customers send them.
Modules under test are imported inside the functions (see `fuzz_targets`).
"""

from __future__ import annotations

from collections.abc import Callable

from fuzz_harness import SAMPLES, Broken, check_refusal, seed_files

__all__ = [
    "MAIL_CODE",
    "MIME_TOKENS",
    "mail_file_target",
    "mail_seeds",
    "mail_target",
    "msg_seeds",
    "tnef_seeds",
]


def mail_file_target(form: str) -> Callable[[], Callable[[bytes], None]]:
    """A mail file opened by its format (`extractors.mailfiles`), as the MIME parser opens it."""

    def make() -> Callable[[bytes], None]:
        from extractors.mailfiles.base import MailFile
        from extractors.mailfiles.registry import MAIL_FORMATS
        from rpa.errors import ExtractionError

        reader = MAIL_FORMATS[form]

        def target(data: bytes) -> None:
            try:
                mail = reader.read(data)
            except ExtractionError as exc:
                check_refusal(exc)
                return
            if not isinstance(mail, MailFile) or not isinstance(mail.body, str):
                raise Broken(f"the {form} format gave {type(mail).__name__}, not a MailFile with a body")

        return target

    return make


def mail_target(attached_as: str = "") -> Callable[[], Callable[[bytes], None]]:
    """The MIME parser on the input, or, with `attached_as` (a file name), on a mail that
    carries the input as an attachment of that name."""

    def make() -> Callable[[bytes], None]:
        from extractors.mime import parse_message
        from rpa.config import LimitSettings
        from rpa.models import AttachmentStatus, Message

        limits = LimitSettings()

        def check(message: Message) -> None:
            for error in message.errors:
                if error.startswith("the mail could not be parsed"):
                    raise Broken(error) from _fallback_cause(message.raw, limits)
            for attachment in message.attachments:
                if attachment.status != AttachmentStatus.OK and not attachment.error:
                    raise Broken(
                        f"attachment {attachment.filename!r} is {attachment.status} without a reason"
                    )
            for inner in message.forwarded:
                check(inner)

        def target(data: bytes) -> None:
            mail = _mail_with(attached_as, data) if attached_as else data
            check(parse_message(mail, source="fuzz", limits=limits))

        return target

    return make


def _fallback_cause(data: bytes, limits) -> Exception | None:  # noqa: ANN001 - LimitSettings
    """The exception behind a mail's "could not be parsed", for the finding's traceback:
    the mail read again by `extractors.mime`'s reader without the module's boundary
    (private names: this may need updating when mime.py changes; None if it does)."""
    from email import policy
    from email.parser import BytesParser

    from extractors import mime
    from extractors.containers import AttachmentBudget

    try:
        mail = BytesParser(policy=policy.default).parsebytes(data)
        mime._MailReader(mail, "fuzz", AttachmentBudget(limits), 0).message(data)
    except Exception as exc:  # noqa: BLE001 - the cause we are after, whatever it is
        return exc
    return None


# --- Seeds ----------------------------------------------------------------------

_MAIL_SOURCES = (("eml_flanker", "*.eml"), ("eml_ruby_mail", "*.eml"), ("eml_spamscope_mailparser", "mail_*"))
_MAIL_BYTES = 32_000


def mail_seeds(limit: int) -> list[bytes]:
    seeds = [
        data for folder, pattern in _MAIL_SOURCES for data in seed_files(folder, pattern, limit, _MAIL_BYTES)
    ]
    seeds += seed_files(str(SAMPLES), "*.eml", limit, _MAIL_BYTES)
    seeds += [_mail_with(name, data) for name, data in _mail_files(limit)]
    return seeds or [b"From: a@example.com\nSubject: hello\nContent-Type: text/plain\n\nbody\n"]


def _mail_files(limit: int) -> list[tuple[str, bytes]]:
    """Small winmail.dat and .msg files, to be attached to a mail as customers send them."""
    tnef = [("winmail.dat", data) for data in seed_files("tnef_winmail_tnefparse", "*.tnef", limit, 8_000)]
    return tnef + [("message.msg", data) for data in msg_seeds(limit)]


def _mail_with(filename: str, data: bytes) -> bytes:
    """A customer's mail with `data` attached as `filename` (its type by the file name)."""
    import mimetypes
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = "Jean Dupont <jean.dupont@example.fr>"
    mail["To"] = "sinistres@assureur.example"
    mail["Subject"] = "TR: sinistre"
    mail.set_content("Voir la pièce jointe.")
    maintype, subtype = (mimetypes.guess_type(filename)[0] or "application/octet-stream").split("/")
    mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(mail)


def tnef_seeds(limit: int) -> list[bytes]:
    return seed_files("tnef_winmail_tnefparse", "*.tnef", limit, 64_000)


def msg_seeds(limit: int) -> list[bytes]:
    return seed_files("outlook_msg_msgextractor", "*.msg", limit, 64_000)


# --- What guides the fuzzer ---------------------------------------------------------

MIME_TOKENS = (
    b"Content-Type: ",
    b"multipart/mixed; boundary=",
    b"multipart/alternative",
    b"message/rfc822",
    b"message/delivery-status",
    b"text/html; charset=",
    b"Content-Transfer-Encoding: base64",
    b"quoted-printable",
    b"Content-Disposition: attachment; filename*=utf-8''",
    b"=?utf-8?B?",
    b"=?iso-8859-1?Q?",
    b"\r\n--",
    b"--\r\n",
    b"Message-ID: <",
    b"Date: Mon, 1 Jan 2024 10:00:00 +0100",
    b"---------- Forwarded message ---------",
)
MAIL_CODE = ("extractors", "email", "charset_normalizer", "inscriptis")
