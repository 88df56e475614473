"""HTML attachments (`.html`, `.htm`, and Word's "web page" `.doc`): one page of the
text a browser would show, by `extractors.html` (the same as for HTML mail bodies).

A document is HTML when it begins like one (`<!DOCTYPE html`, `<html`, after a
byte-order mark, blanks, an XML declaration or comments), whatever it is named or
declared as, or when it is declared or named as HTML. The charset is the one its
`<meta>` tag declares, else a guess.
"""

from __future__ import annotations

import re

from extractors.html import declared_charset, html_to_text
from extractors.readers.base import DocumentText, declared_as, plain_text, sniff_format
from extractors.tables import claim_rows
from rpa.config import Settings
from rpa.models import Page

__all__ = ["HtmlReader"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
_LOOKS_LIKE_HTML = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
    re.IGNORECASE | re.DOTALL,
)


class HtmlReader:
    name = "html"
    packages = ()  # inscriptis, imported with the module

    def __init__(self, settings: Settings) -> None:
        self.day_first = settings.parsing.day_first

    def is_available(self) -> bool:
        return True  # inscriptis is a dependency of rpa

    def can_read(self, content_type: str, filename: str, head: bytes) -> bool:
        if sniff_format(head) is not None:
            return False
        return bool(_LOOKS_LIKE_HTML.match(head)) or declared_as(
            content_type, filename, _HTML_TYPES, _HTML_EXTENSIONS
        )

    def read(self, filename: str, data: bytes) -> DocumentText:
        html = plain_text(filename, data, declared_charset(data))
        pages = (Page(1, html_to_text(html)),)
        return DocumentText(pages, (), tuple(claim_rows(pages, day_first=self.day_first)))
