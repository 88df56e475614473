"""What each fuzz harness feeds to rpa, and what rpa must never do with it.

A harness is a function of one input (bytes) that runs one part of rpa on it and
checks the one property every part promises: any input ends in a result or in
rpa's own error (`ExtractionError` for a document, with an attachment status and
a reason), never in another exception, and within a time budget (the per-input
timeout `bench/fuzz.py` gives libFuzzer). Anything else raised is a crash; a
broken promise found in a result (a mail that fell back to "could not be parsed",
an attachment without a reason for its status) raises `Broken`.

    mime      extractors.mime.parse_message with the default `LimitSettings`; seeds include
              mails with a winmail.dat or a .msg attached
    charsets  extractors.charsets.decode_text; the input's first line is the declared charset
    html      an HTML body as extractors.mime reads it: declared charset, decoding, text
    pdf       the PDF reader, built as the pipeline builds it (`read_document`)
    image     the image reader, likewise; pictures are decoded and prepared for OCR, not read
    office    the Word (.docx, .doc), Excel, OpenDocument and RTF readers, the document
              given to the first that takes it
    zip       a zip archive attached to a mail, opened by extractors.mime
    tnef      a winmail.dat opened by its mail-file format (extractors.mailfiles)
    msg       an Outlook .msg, likewise

A reader without a harness of its own is listed in `PLANNED`; adding one is one entry
in `HARNESSES`.

Seeds come from the public corpora in `../shared/eval` (read in place, never copied;
see each folder's SOURCE.md for origin and licence), from `samples/`, and, for Office
documents and zips, from the writers the tests use (tests/officedocs.py); a harness
whose corpora are missing starts from the few inputs it makes itself.

Modules under test are imported inside the functions, so that `bench/fuzz.py`
imports them with atheris's coverage instrumentation on.
"""

from __future__ import annotations

import codecs
import encodings
import functools
import io
import pkgutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from encodings.aliases import aliases
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SAMPLES = ROOT / "samples"

__all__ = ["HARNESSES", "PLANNED", "Broken", "Harness", "read_document"]


class Broken(Exception):
    """A result that breaks the promise: the input was answered, but not as it should be."""


@dataclass(frozen=True)
class Harness:
    name: str
    make: Callable[[], Callable[[bytes], None]]  # imports what it tests, returns the target
    seeds: Callable[[int], list[bytes]]  # at most this many inputs from each source
    instrument: tuple[str, ...]  # packages whose Python code guides the fuzzer
    max_len: int  # longest input the fuzzer makes, in bytes
    dictionary: tuple[bytes, ...] = ()  # tokens the fuzzer may splice in


# --- The document readers -------------------------------------------------------


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


def _document_target(readers: tuple[str, ...], declared: str) -> Callable[[], Callable[[bytes], None]]:
    def make() -> Callable[[bytes], None]:
        from rpa.errors import ExtractionError
        from rpa.models import Page

        _readers(readers)  # a reader that cannot be built stops the harness, not each input

        def target(data: bytes) -> None:
            try:
                text = read_document(readers, declared, data)
            except ExtractionError as exc:
                _check_refusal(exc)
                return
            if not all(isinstance(page, Page) and isinstance(page.text, str) for page in text.pages):
                raise Broken(f"the reader gave something other than pages: {text.pages!r:.200}")

        return target

    return make


def _check_refusal(exc: Exception) -> None:
    """An `ExtractionError` must give an attachment status and a reason to show."""
    from rpa.models import AttachmentStatus

    if exc.status not in (AttachmentStatus.ERROR, AttachmentStatus.SKIPPED) or not exc.reason.strip():
        raise Broken(f"ExtractionError with status {exc.status!r} and reason {exc.reason!r}") from exc


# --- Mail files: Outlook .msg, winmail.dat ------------------------------------------


def _mail_file_target(form: str) -> Callable[[], Callable[[bytes], None]]:
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
                _check_refusal(exc)
                return
            if not isinstance(mail, MailFile) or not isinstance(mail.body, str):
                raise Broken(f"the {form} format gave {type(mail).__name__}, not a MailFile with a body")

        return target

    return make


# --- Mail -----------------------------------------------------------------------


def _mail_target(attached_as: str = "") -> Callable[[], Callable[[bytes], None]]:
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

    try:
        mail = BytesParser(policy=policy.default).parsebytes(data)
        mime._MailReader(mail, "fuzz", mime._Budget(limits), 0).message(data)
    except Exception as exc:  # noqa: BLE001 - the cause we are after, whatever it is
        return exc
    return None


def _charsets() -> Callable[[bytes], None]:
    from extractors.charsets import decode_text

    def target(data: bytes) -> None:
        declared, _, text = data.partition(b"\n")
        charset = declared.decode("latin-1").strip() or None
        decoded, problem = decode_text(text, charset)
        if not isinstance(decoded, str) or not (problem is None or isinstance(problem, str)):
            raise Broken(f"decode_text gave {type(decoded).__name__}, {type(problem).__name__}")

    return target


def _html() -> Callable[[bytes], None]:
    from extractors.charsets import decode_text
    from extractors.html import declared_charset, html_to_text, referenced_content_ids

    def target(data: bytes) -> None:
        # As extractors.mime reads an HTML body whose part declares no charset.
        referenced_content_ids(data.decode("latin-1"))
        text, _problem = decode_text(data, declared_charset(data))
        if not isinstance(html_to_text(text), str):
            raise Broken("html_to_text gave no text")

    return target


# --- Seeds ----------------------------------------------------------------------


def _files(folder: str, pattern: str, limit: int, max_bytes: int) -> list[bytes]:
    """The first `limit` files (by name) matching `pattern` under `EVAL/folder` or a project folder."""
    base = EVAL / folder if not folder.startswith("/") else Path(folder)
    if not base.is_dir():
        return []
    found = []
    for path in sorted(base.rglob(pattern)):
        if len(found) >= limit:
            break
        if path.is_file() and not path.name.endswith(".md") and 0 < path.stat().st_size <= max_bytes:
            found.append(path.read_bytes())
    return found


_MAIL_SOURCES = (("eml_flanker", "*.eml"), ("eml_ruby_mail", "*.eml"), ("eml_spamscope_mailparser", "mail_*"))
_MAIL_BYTES = 32_000


def _mail_seeds(limit: int) -> list[bytes]:
    seeds = [
        data for folder, pattern in _MAIL_SOURCES for data in _files(folder, pattern, limit, _MAIL_BYTES)
    ]
    seeds += _files(str(SAMPLES), "*.eml", limit, _MAIL_BYTES)
    seeds += [_mail_with(name, data) for name, data in _mail_files(limit)]
    return seeds or [b"From: a@example.com\nSubject: hello\nContent-Type: text/plain\n\nbody\n"]


def _mail_files(limit: int) -> list[tuple[str, bytes]]:
    """Small winmail.dat and .msg files, to be attached to a mail as customers send them."""
    tnef = [("winmail.dat", data) for data in _files("tnef_winmail_tnefparse", "*.tnef", limit, 8_000)]
    return tnef + [("message.msg", data) for data in _msg_seeds(limit)]


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


def _text_parts(limit: int) -> Iterator[tuple[str, str | None, bytes]]:
    """(content type, declared charset, bytes) of the text parts of the seed mails."""
    from email import message_from_bytes, policy

    for mail in _mail_seeds(limit):
        parsed = message_from_bytes(mail, policy=policy.compat32)
        for part in parsed.walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes) and payload.strip():
                    yield part.get_content_type(), part.get_content_charset(), payload


def _charset_seeds(limit: int) -> list[bytes]:
    """The text parts of the seed mails under their declared charset, and a French
    sentence under the name of every codec Python has: the fuzzer starts from each."""
    seeds = [
        (charset or "").encode("ascii", "replace") + b"\n" + data
        for _type, charset, data in _text_parts(limit)
    ][: 4 * limit]
    text = "Sinistre n° 2024-118 : dégât des eaux, réglé 1 250,00 € le 3 août."
    for codec in sorted({module.name for module in pkgutil.iter_modules(encodings.__path__)}):
        try:
            seeds.append(codec.encode() + b"\n" + text.encode(codec, "replace"))
        except (LookupError, UnicodeError, TypeError, ValueError):  # not a charset, or one-way
            seeds.append(codec.encode() + b"\n" + text.encode())
    seeds.append(b"\n" + codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return seeds


def _html_seeds(limit: int) -> list[bytes]:
    made = (
        b'<html><head><meta charset="windows-1252"><style>p{color:red}</style></head><body>'
        b"<p>Bonjour,</p><table><tr><td>Contrat</td><td>AB-123</td></tr></table>"
        b'<img src="cid:logo@x"><ul><li>un</li><li>deux</li></ul><br>Cordialement</body></html>'
    )
    found = [data for content_type, _c, data in _text_parts(limit) if content_type == "text/html"]
    return [made, *found[: 4 * limit]]


_PDF_SOURCES = (
    ("qpdf_malformed_pdfs", "*.pdf"),
    ("pdfminer_samples", "*.pdf"),
    ("pdfjs_test_pdfs", "*.pdf"),
)
_PDF_BYTES = 24_000


def _pdf_seeds(limit: int) -> list[bytes]:
    seeds = [data for folder, pattern in _PDF_SOURCES for data in _files(folder, pattern, limit, _PDF_BYTES)]
    seeds += _files(str(SAMPLES), "*.pdf", limit, _PDF_BYTES)
    return seeds or [b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"]


def _image_seeds(limit: int) -> list[bytes]:
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
    seeds = _files(str(SAMPLES), "*.tif", limit, 64_000)
    formats = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
    for number, picture in enumerate(pictures):
        buffer = io.BytesIO()
        picture.save(buffer, format=formats[number % len(formats)])
        seeds.append(buffer.getvalue())
    buffer = io.BytesIO()
    pictures[0].save(buffer, format="TIFF", save_all=True, append_images=[pictures[-1].convert("L")])
    seeds.append(buffer.getvalue())
    return seeds


def _tnef_seeds(limit: int) -> list[bytes]:
    return _files("tnef_winmail_tnefparse", "*.tnef", limit, 64_000)


def _msg_seeds(limit: int) -> list[bytes]:
    return _files("outlook_msg_msgextractor", "*.msg", limit, 64_000)


_CLAIM_TEXT = ("Déclaration de sinistre", "Contrat n° AB-2024-117, dégât des eaux du 3 mars 2025")
_CLAIM_ROWS = (("Sinistre", "Date", "Montant"), ("S-2025-001", "03/03/2025", "1 250,00 €"))
_RTF = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}\f0\fs20 D\'e9claration de sinistre\par "
    rb"Contrat : AB-2024-117\par Montant : 1 250,00 \'80\par}"
)


def _office_seeds(limit: int) -> list[bytes]:
    """A Word, Excel, OpenDocument text and spreadsheet, Word 97 and RTF document holding a
    claim, made by the writers the tests use (tests/officedocs.py), and an encrypted one."""
    try:
        import officedocs
    except ImportError:
        sys.path.insert(0, str(ROOT / "tests"))
        import officedocs

    return [
        officedocs.word_document(_CLAIM_TEXT, table=_CLAIM_ROWS, header="MAV Assurances", footer="1/1"),
        officedocs.workbook({"Sinistres": _CLAIM_ROWS, "Notes": [["vu le 4 mars"]]}),
        officedocs.odt(_CLAIM_TEXT, table=_CLAIM_ROWS, heading="Sinistre"),
        officedocs.ods({"Sinistres": _CLAIM_ROWS}),
        officedocs.word97("\n".join(_CLAIM_TEXT)),
        officedocs.encrypted_office_file(),
        _RTF,
    ][: max(limit, 7)]


def _zip_seeds(limit: int) -> list[bytes]:
    """Zips as customers send them: a few documents, a folder and macOS's leftovers, one
    stored and one in a zip, other compressions, and 8 MB of zeros in 8 KB."""
    text = "\n".join(_CLAIM_TEXT).encode()
    documents = {"constat.txt": text, "facture.pdf": min(_pdf_seeds(1), key=len), "note.rtf": _RTF}
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


def _zipped(files: dict[str, bytes], method: int = 8) -> bytes:  # 8: zipfile.ZIP_DEFLATED
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- The harnesses ----------------------------------------------------------------

_MIME_TOKENS = (
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
_PDF_TOKENS = (
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
_CHARSET_TOKENS = tuple(
    sorted(
        {name.replace("_", "-").encode() for pair in aliases.items() for name in pair}
        | {module.name.encode() for module in pkgutil.iter_modules(encodings.__path__)}
    )
) + (b"iso8859-1", b"x-unknown", b"utf-8'", b'"utf-8"')

_MAIL_CODE = ("extractors", "email", "charset_normalizer", "inscriptis")
_CHARSET_CODE = ("extractors", "charset_normalizer")
_PDF_CODE = ("extractors", "pdfplumber", "pdfminer", "pypdfium2", "PIL")

_OFFICE_READERS = ("docx", "xlsx", "odt", "ods", "rtf", "doc")
_OFFICE_CODE = ("extractors", "docx", "openpyxl", "odf", "striprtf", "zipfile")

HARNESSES: dict[str, Harness] = {
    harness.name: harness
    for harness in (
        Harness("mime", _mail_target(), _mail_seeds, _MAIL_CODE, 64_000, _MIME_TOKENS),
        Harness("charsets", _charsets, _charset_seeds, _CHARSET_CODE, 4_096, _CHARSET_TOKENS),
        Harness("html", _html, _html_seeds, ("extractors", "inscriptis", "charset_normalizer"), 16_000),
        Harness(
            "pdf", _document_target(("pdf",), "application/pdf"), _pdf_seeds, _PDF_CODE, 64_000, _PDF_TOKENS
        ),
        Harness(
            "image", _document_target(("image",), "image/png"), _image_seeds, ("extractors", "PIL"), 64_000
        ),
        Harness(
            "office",
            _document_target(_OFFICE_READERS, "application/octet-stream"),
            _office_seeds,
            _OFFICE_CODE,
            64_000,
        ),
        Harness("zip", _mail_target("dossier.zip"), _zip_seeds, (*_MAIL_CODE, "zipfile"), 64_000),
        Harness("tnef", _mail_file_target("tnef"), _tnef_seeds, ("extractors", "tnefparse"), 64_000),
        Harness(
            "msg",
            _mail_file_target("outlook-msg"),
            _msg_seeds,
            ("extractors", "extract_msg", "olefile"),
            64_000,
        ),
    )
}

# Readers without a harness of their own: each gets one `Harness` entry above when it
# deserves one (its target `_document_target((<registry name>,), <declared type>)`, its
# seeds files of that kind). `bench/fuzz.py` lists them.
PLANNED = {
    "csv, text, html documents": "read with decode_text and html_to_text, which charsets and html fuzz",
}
