"""Plain text attachments (`text/plain`, `.txt`): one page, decoded with a charset guess.

CSV files have their own reader (`delimited`): their cells are a table.
"""

from __future__ import annotations

from extractors.readers.base import DocumentText, declared_as, plain_text, sniff_format
from rpa.models import Page

__all__ = ["TextReader"]

_TEXT_TYPES = ("text/plain",)
_TEXT_EXTENSIONS = (".txt",)


class TextReader:
    """`text/plain` and `.txt` attachments: one page, decoded with a charset guess."""

    name = "text"
    packages = ()

    def is_available(self) -> bool:
        return True

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        if sniff_format(head) is not None:
            return False
        return declared_as(content_type, filename, _TEXT_TYPES, _TEXT_EXTENSIONS)

    def read(self, filename: str, data: bytes) -> DocumentText:
        return DocumentText((Page(1, plain_text(filename, data).strip("\n")),))
