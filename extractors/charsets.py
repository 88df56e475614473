"""Bytes to text when the declared charset is wrong, unknown or missing.

The declared charset is tried first, then UTF-8 (what nearly every client means
when it declares nothing), then charset_normalizer's best guess, leaning to the
code pages French and English mail is really written in. Each fallback comes
with a short sentence for `Message.errors`.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

__all__ = ["codecs_for", "decode_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Mail clients mean Windows-1252 when they write ISO-8859-1 (as browsers do, per WHATWG).
_CHARSET_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
    "iso-8859-8-i": "iso-8859-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-unicode20utf8": "utf-8",
    "iso8859-1": "cp1252",
}
_PREFERRED_GUESSES = ("utf_8", "cp1252")  # what French and English mail is really written in
_CHAOS_MARGIN = 0.1


def decode_text(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Text from bytes and, when the declared charset did not do, a sentence saying why.
    Without a declared charset, a byte-order mark is believed first."""
    for bom, encoding in _BOMS:
        if declared is None and data.startswith(bom):
            return data.decode(encoding, errors="replace"), None
    for codec in codecs_for(declared):
        try:
            return data.decode(codec), None
        except UnicodeError:  # undecodable bytes, or a codec that decodes nothing ("undefined")
            pass
    if declared is None and data.isascii():
        return data.decode("ascii"), None
    what = (
        "8-bit text without a declared charset"
        if declared is None
        else f"unknown charset {declared!r}"
        if not codecs_for(declared)
        else f"text that is not valid {declared}"
    )
    try:
        text, used = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, used = _guess(data)
    if declared is None and used == "utf-8":
        return text, None  # undeclared UTF-8 is what nearly every client means
    return text, f"{what}, read as {used}"


def codecs_for(declared: str | None) -> list[str]:
    if not declared:
        return []
    name = declared.strip().strip("\"'").lower()
    try:
        info = codecs.lookup(_CHARSET_ALIASES.get(name, name))
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return []
    if not getattr(info, "_is_text_encoding", True):
        return []  # "base64", "zlib": codecs, but not charsets
    name = _CHARSET_ALIASES.get(info.name, info.name)
    return [name, "latin-1"] if name == "cp1252" and info.name == "iso8859-1" else [name]


def _guess(data: bytes) -> tuple[str, str]:
    """charset_normalizer's reading; on short texts it hesitates between many Latin code
    pages, and our mail is French or English: Windows-1252 wins when it reads about as well."""
    matches = list(from_bytes(data))
    if not matches:
        return data.decode("utf-8", errors="replace"), "utf-8 with replacement characters"
    least_chaos = min(match.chaos for match in matches)
    for preferred in _PREFERRED_GUESSES:
        for match in matches:
            if match.encoding == preferred and match.chaos <= least_chaos + _CHAOS_MARGIN:
                return str(match), match.encoding
    best = min(matches, key=lambda match: (match.chaos, -match.coherence))
    return str(best), best.encoding
