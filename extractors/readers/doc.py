"""Word 97-2003 documents (`.doc`), read by Debian's `catdoc` in a subprocess.

A `.doc` is an OLE2 compound file, like an Excel `.xls` and an Outlook `.msg`: what
makes it a Word document is its `WordDocument` stream (its name is stored in
UTF-16, as OLE writes names). An Outlook `.msg` holds `__substg1.0_` streams
instead; it is opened as a forwarded mail before documents are read (see
`extractors.mailfiles`), and never taken for a Word document here.

catdoc is C code reading a file a stranger sent, so it runs in a child process
with a time limit (`limits.document_seconds`) and a memory limit (`prlimit`,
from util-linux). Lines are not wrapped (`-w`) and come out in UTF-8.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from extractors.readers.base import DocumentText, declared_as, sniff_format
from extractors.tables import claim_rows
from rpa.config import Settings
from rpa.errors import ExtractionError
from rpa.models import Page

__all__ = ["DocReader"]

_DOC_TYPES = ("application/msword", "application/vnd.ms-word", "application/x-msword", "application/doc")
_DOC_EXTENSIONS = (".doc", ".dot")
_LABEL = "Word 97-2003 document"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_MSG_STREAM = "__substg1.0_".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # a password-protected .docx
# The main stream of the other Office 97-2003 files, as their OLE2 directory names it.
_OTHER_KINDS = {
    "Workbook".encode("utf-16-le"): "an Excel 97-2003 workbook (.xls)",
    "Book".encode("utf-16-le"): "an Excel 5 workbook (.xls)",
    "PowerPoint Document".encode("utf-16-le"): "a PowerPoint 97-2003 presentation (.ppt)",
}
_MEMORY_LIMIT = 512 * 1024 * 1024  # bytes of address space catdoc may use
_ENCRYPTED = "[File is encrypted"
_FAST_SAVED = "[This was fast-saved"
_MAX_DETAIL = 200
_BROKEN = "Broken OLE file"  # catdoc's words for a cut-short or damaged file
_ADVICE = re.compile(r"Try using -\w switch\.?")
_ALNUM = re.compile(r"[^\W_]")
_MIN_SALVAGED = 20  # letters and digits below which what catdoc -b salvaged is noise


class DocReader:
    name = "doc"

    def __init__(self, settings: Settings) -> None:
        self.seconds = settings.limits.document_seconds
        self.day_first = settings.parsing.day_first

    def is_available(self) -> bool:
        return shutil.which("catdoc") is not None

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        found = sniff_format(head)
        if found == "ole":
            if _MSG_STREAM in head:
                return False
            return _WORD_STREAM in head or declared_as(content_type, filename, _DOC_TYPES, _DOC_EXTENSIONS)
        return found is None and declared_as(content_type, filename, _DOC_TYPES, _DOC_EXTENSIONS)

    def read(self, filename: str, data: bytes) -> DocumentText:
        _check_is_word(data)
        try:
            output, notes = self._catdoc(data), []
        except _Damaged as damaged:
            # "-b" reads on through a damaged structure: a cut-short file gives what it holds.
            output = self._catdoc(data, "-b") if damaged.broken_structure else ""
            if len(_ALNUM.findall(output)) < _MIN_SALVAGED:
                raise ExtractionError(f"the {_LABEL} could not be read: it is damaged ({damaged})") from None
            notes = [f"the {_LABEL} is damaged ({damaged}): what could be read of it was kept"]
        text, remarks = _readable(output)
        pages = (Page(1, text),)
        rows = claim_rows(pages, day_first=self.day_first)
        return DocumentText(pages, (*notes, *remarks), tuple(rows))

    def _catdoc(self, data: bytes, *options: str) -> str:
        """catdoc's text of the document; raises `_Damaged` when catdoc fails."""
        command = ["catdoc", *options, "-w", "-d", "utf-8", "-"]
        prlimit = shutil.which("prlimit")
        if prlimit is not None:
            command = [prlimit, f"--as={_MEMORY_LIMIT}", "--", *command]
        try:
            done = subprocess.run(command, input=data, capture_output=True, timeout=self.seconds, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ExtractionError(
                f"the {_LABEL} took longer than {self.seconds} s to read (limits.document_seconds)"
            ) from exc
        except OSError as exc:
            raise ExtractionError(f"the {_LABEL} could not be read: catdoc did not run ({exc})") from exc
        if done.returncode != 0:
            raise _Damaged(done.stderr.decode("utf-8", "replace"), done.returncode)
        return done.stdout.decode("utf-8", "replace")


class _Damaged(Exception):
    """catdoc failed; says what it said, without its advice to the command-line user."""

    def __init__(self, stderr: str, status: int) -> None:
        detail = " ".join(_ADVICE.sub("", stderr).split())[:_MAX_DETAIL]
        super().__init__(f"catdoc: {detail}" if detail else f"catdoc failed with exit status {status}")
        self.broken_structure = _BROKEN in stderr


def _check_is_word(data: bytes) -> None:
    """Raises `ExtractionError` unless `data` is an OLE2 file with a Word document in it."""
    if sniff_format(data[:8]) != "ole":
        raise ExtractionError(
            f"it is not a {_LABEL}: it does not start with the OLE2 signature Word 97-2003 files have"
        )
    if _MSG_STREAM in data:
        raise ExtractionError("it is an Outlook .msg file, not a Word document")
    if _ENCRYPTED_PACKAGE in data:
        raise ExtractionError("the Word document is protected with a password")
    if _WORD_STREAM not in data:  # a cut-short .doc may have lost its directory: catdoc will say
        other = next((what for stream, what in _OTHER_KINDS.items() if stream in data), None)
        if other is not None:
            raise ExtractionError(f"it is not a {_LABEL}: it is {other}")


def _readable(output: str) -> tuple[str, list[str]]:
    """catdoc's text without its own remarks, and what they say as notes."""
    lines, notes = [], []
    for line in output.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith(_ENCRYPTED):
            raise ExtractionError(f"the {_LABEL} is protected with a password")
        if line.startswith(_FAST_SAVED):
            notes.append("Word saved it in a hurry (fast save): some of its text may be missing")
            continue
        lines.append(line.rstrip())
    return "\n".join(lines).strip("\n"), notes
