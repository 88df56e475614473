"""HTML mail bodies as plain text a person (and a regular expression) can read.

inscriptis keeps the layout that carries meaning in a mail (paragraphs, line breaks,
list items, table rows) and drops what does not (markup, CSS, scripts, the <head>).
"""

from __future__ import annotations

import re

from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

__all__ = ["html_to_text", "declared_charset", "referenced_content_ids"]

# "strict" stops inscriptis from padding block elements with spaces; images are
# attachments in their own right, their alt text is noise in the body.
_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_images=False)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CID = re.compile(r"""\bcid:([^"'\s>)]+)""", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """The readable text of an HTML document, one paragraph per block, no markup."""
    text = get_text(html, _CONFIG)
    lines = (line.rstrip() for line in text.replace("\r", "").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def declared_charset(html: bytes) -> str | None:
    """The charset an HTML document declares in a <meta> tag near its top, if any."""
    match = _META_CHARSET.search(html[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def referenced_content_ids(html: str) -> set[str]:
    """The Content-IDs an HTML body shows inline (``<img src="cid:...">``), without brackets."""
    return {cid.strip("<>").lower() for cid in _CID.findall(html)}
