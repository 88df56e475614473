"""Word 97-2003 documents (`.doc`), read by Debian's `catdoc` in a subprocess.

A `.doc` is an OLE2 compound file, like an Excel `.xls` and an Outlook `.msg`: what
makes it a Word document is its `WordDocument` stream (`ole_kind` tells the kinds
apart by their streams). An Outlook `.msg` is opened as a forwarded mail before
documents are read (see `extractors.mailfiles`), and never taken for a Word
document here.

catdoc is C code reading a file a stranger sent, so it runs in a child process
with a time limit (`limits.document_seconds`) and a memory limit (`limits.document_mb`,
by `prlimit` from util-linux). Lines are not wrapped (`-w`) and come out in UTF-8.
"""

from __future__ import annotations

import re
import shutil

from extractors.readers.base import OLE_LABELS, DocumentText, declared_as, ole_kind, sniff_format
from extractors.readers.children import limited_command, run_child
from extractors.tables import claim_rows
from rpa.config import Settings
from rpa.errors import ExtractionError
from rpa.models import Page

__all__ = ["DocReader"]

_DOC_TYPES = ("application/msword", "application/vnd.ms-word", "application/x-msword", "application/doc")
_DOC_EXTENSIONS = (".doc", ".dot")
_LABEL = "Word 97-2003 document"
_ENCRYPTED = "[File is encrypted"
_FAST_SAVED = "[This was fast-saved"
_MAX_DETAIL = 200
_BROKEN = "Broken OLE file"  # catdoc's words for a cut-short or damaged file
_ADVICE = re.compile(r"Try using -\w switch\.?")
_ALNUM = re.compile(r"[^\W_]")
_MIN_SALVAGED = 20  # letters and digits below which what catdoc -b salvaged is noise


class DocReader:
    name = "doc"
    packages = ()  # catdoc, in a subprocess

    def __init__(self, settings: Settings) -> None:
        self.seconds = settings.limits.document_seconds
        self.megabytes = settings.limits.document_mb
        self.day_first = settings.parsing.day_first

    def is_available(self) -> bool:
        return shutil.which("catdoc") is not None

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        found = sniff_format(head)
        if found == "ole":
            kind = ole_kind(head)
            if kind == "msg":
                return False
            return kind == "doc" or declared_as(content_type, filename, _DOC_TYPES, _DOC_EXTENSIONS)
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
        command = limited_command(["catdoc", *options, "-w", "-d", "utf-8", "-"], self.megabytes)
        done = run_child(command, data, self.seconds, _LABEL, "catdoc")
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
    kind = ole_kind(data)  # None: a cut-short .doc may have lost its directory; catdoc will say
    if kind == "msg":
        raise ExtractionError("it is an Outlook .msg file, not a Word document")
    if kind == "encrypted":
        raise ExtractionError("the Word document is protected with a password")
    if kind in ("xls", "ppt"):
        raise ExtractionError(f"it is not a {_LABEL}: it is {OLE_LABELS[kind]}")


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
