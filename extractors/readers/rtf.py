"""RTF documents (`.rtf`, what WordPad and many claim systems save): one page of text,
by `extractors.rtftext` (striprtf), which follows the code page the document
declares. Claim rows written as "Label: value" blocks are read from the text.
"""

from __future__ import annotations

from extractors.mailfiles.base import unreadable
from extractors.readers.base import DocumentText, declared_as, sniff_format
from extractors.rtftext import rtf_to_text
from extractors.tables import claim_rows
from rpa.config import Settings
from rpa.errors import ExtractionError
from rpa.models import Page

__all__ = ["RtfReader"]

_RTF_TYPES = ("application/rtf", "application/x-rtf", "text/rtf", "text/richtext")
_LABEL = "RTF document"


class RtfReader:
    name = "rtf"
    packages = ()

    def __init__(self, settings: Settings) -> None:
        self.day_first = settings.parsing.day_first

    def is_available(self) -> bool:
        return True  # striprtf is a dependency of rpa

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        found = sniff_format(head)
        if found is not None:
            return found == "rtf"
        return declared_as(content_type, filename, _RTF_TYPES, (".rtf",))

    def read(self, filename: str, data: bytes) -> DocumentText:
        if not data.startswith(b"{\\rtf"):
            raise ExtractionError(f"it is not an {_LABEL}: it does not start with {{\\rtf")
        try:
            text = rtf_to_text(data)
        except Exception as exc:  # noqa: BLE001 - the boundary of one document, see rpa/errors.py
            raise unreadable(_LABEL, exc) from exc
        lines = (line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        pages = (Page(1, "\n".join(lines).strip("\n")),)
        return DocumentText(pages, (), tuple(claim_rows(pages, day_first=self.day_first)))
