"""The mail and document corpora bench/corpora.py runs, and how each file becomes an input.

A corpus is a folder of `../shared/eval/` (see its SOURCE.md). Mails and documents go to
the pipeline as they are; a TNEF stream or an Outlook .msg goes as the attachment of a
generated mail, as Outlook sends a winmail.dat or a forwarded message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

from extractors.sources import RawInput

__all__ = ["CORPORA", "corpus_files"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Outlook .msg (and .doc, .xls)
_NOT_INPUTS = re.compile(r"^(SOURCE\.md|README|NOTICE.*|LICENSE.*)$")


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(
        path for path in folder.rglob(pattern) if path.is_file() and not _NOT_INPUTS.match(path.name)
    )


def _mail_with_attachment(path: Path, filename: str, content_type: str) -> bytes:
    """A plain mail carrying the file, as Outlook sends a winmail.dat or a forwarded .msg."""
    message = EmailMessage()
    message["From"] = "Claire Martin <claire.martin@example.org>"
    message["To"] = "claims@example.com"
    message["Subject"] = f"Documents: {path.name}"
    message["Date"] = format_datetime(datetime(2024, 3, 1, 9, 30, tzinfo=UTC))
    message["Message-ID"] = f"<{path.parent.name}.{path.name}@corpora.bench.invalid>"
    message.set_content("Hello,\n\nplease find the file attached.\n\nClaire Martin\n")
    maintype, subtype = content_type.split("/")
    message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=SMTP)


def _as_mail(path: Path) -> RawInput:
    return RawInput(str(path), path.read_bytes(), "mail", path.name)


def _as_document(path: Path) -> RawInput:
    return RawInput(str(path), path.read_bytes(), "document", path.name)


def _as_winmail(path: Path) -> RawInput:
    return RawInput(
        str(path), _mail_with_attachment(path, "winmail.dat", "application/ms-tnef"), "mail", path.name
    )


def _as_outlook_attachment(path: Path) -> RawInput:
    filename = path.name if path.suffix == ".msg" else f"{path.name}.msg"
    data = _mail_with_attachment(path, filename, "application/vnd.ms-outlook")
    return RawInput(str(path), data, "mail", path.name)


def _mail_or_outlook(path: Path) -> RawInput:
    """SpamScope's files have no suffix; one of them is an Outlook .msg, not RFC 822."""
    with path.open("rb") as handle:
        outlook = handle.read(len(_OLE)) == _OLE
    return _as_outlook_attachment(path) if outlook else _as_mail(path)


# name -> (files of the corpus, how each becomes an input)
CORPORA: dict[str, tuple[Callable[[Path], list[Path]], Callable[[Path], RawInput]]] = {
    "eml_flanker": (lambda folder: _files(folder, "*.eml"), _as_mail),
    "eml_ruby_mail": (lambda folder: _files(folder, "*.eml"), _as_mail),
    "eml_spamscope_mailparser": (lambda folder: _files(folder, "*"), _mail_or_outlook),
    "tnef_winmail_tnefparse": (lambda folder: _files(folder, "*.tnef"), _as_winmail),
    "outlook_msg_msgextractor": (lambda folder: _files(folder, "*.msg"), _as_outlook_attachment),
    "qpdf_malformed_pdfs": (lambda folder: _files(folder, "*.pdf"), _as_document),
    "pdfminer_samples": (lambda folder: _files(folder, "*.pdf"), _as_document),
    "pdfjs_test_pdfs": (lambda folder: _files(folder, "*.pdf"), _as_document),
}


def corpus_files(name: str, folder: Path, limit: int) -> list[Path]:
    """The corpus's files in the order they run, the first `limit` of them (0: all)."""
    files, _ = CORPORA[name]
    return files(folder)[: limit or None]
