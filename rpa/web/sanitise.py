"""Customer HTML made inert, for the sandboxed iframe of the message page.

Customer content is hostile. The mail's HTML goes through nh3 (ammonia) with a
short list of formatting tags and attributes: no scripts, no event handlers, no
styles (so no CSS that fetches or exfiltrates), no forms, no SVG, no frames.
Links keep http(s) and mailto addresses only. Pictures: a `cid:` picture of the
mail itself becomes a `data:` URI (raster types only, never SVG); a remote
picture is dropped and counted, so that opening a mail tells no tracker that it
was read. The result goes into `<iframe srcdoc sandbox>` (no scripts, no
same-origin), under the page's Content-Security-Policy, which the iframe
inherits: even a sanitiser bug could not run a script or reach another host.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import nh3

from extractors.htmlpart import MailHtml

__all__ = ["SafeHtml", "sanitise_mail"]

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "dd", "div", "dl", "dt", "em",
    "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s",
    "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign"},
    "table": {"border", "cellpadding", "cellspacing"},
    "font": {"color"},
    "ol": {"start"},
}
_RASTER = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp")
_DROPPED_CONTENT = {"script", "style", "title", "noscript", "template", "svg", "math", "iframe", "object"}


@dataclass(frozen=True)
class SafeHtml:
    html: str  # a whole document for srcdoc
    blocked_images: int  # remote pictures left out


def sanitise_mail(mail: MailHtml, stylesheet: str) -> SafeHtml | None:
    """The mail's HTML, inert, as a small document that uses our own `stylesheet`; None without HTML."""
    if mail.html is None:
        return None
    blocked = 0

    def keep(element: str, attribute: str, value: str) -> str | None:
        nonlocal blocked
        if element == "img" and attribute == "src":
            return _picture(value, mail.images) or _block()
        if element == "a" and attribute == "href":
            return value if value.strip().lower().startswith(("http://", "https://", "mailto:")) else None
        return value

    def _block() -> None:
        nonlocal blocked
        blocked += 1
        return None

    body = nh3.clean(
        mail.html,
        tags=_TAGS,
        clean_content_tags=_DROPPED_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=keep,
        url_schemes={"http", "https", "mailto", "cid", "data"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    document = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{stylesheet}"></head><body>{body}</body></html>'
    )
    return SafeHtml(document, blocked)


def _picture(source: str, images: dict[str, tuple[str, bytes]]) -> str | None:
    """A `data:` URI for a picture of the mail itself; None for anything else."""
    source = source.strip()
    if source.lower().startswith("cid:"):
        found = images.get(source[4:].strip("<>"))
        if found is None or found[0] not in _RASTER:
            return None
        content_type, data = found
        return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"
    if source.lower().startswith("data:") and source[5:].split(";", 1)[0].lower() in _RASTER:
        return source
    return None
