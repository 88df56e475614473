"""The text harnesses' family: charsets and html, the decoding of a mail's text parts.

`extractors.charsets.decode_text` on bytes whose first line is the declared charset,
and an HTML body as `extractors.mime` reads it (declared charset, decoding, text).
Seeds are the text parts of the mail seeds (`fuzz_mail.mail_seeds`), and a French
sentence in every codec Python has. Modules under test are imported inside the
functions (see `fuzz_targets`).
"""

from __future__ import annotations

import codecs
import encodings
import pkgutil
from collections.abc import Callable, Iterator
from encodings.aliases import aliases

from fuzz_harness import Broken
from fuzz_mail import mail_seeds

__all__ = ["CHARSET_CODE", "CHARSET_TOKENS", "HTML_CODE", "charset_seeds", "charsets", "html", "html_seeds"]


def charsets() -> Callable[[bytes], None]:
    from extractors.charsets import decode_text

    def target(data: bytes) -> None:
        declared, _, text = data.partition(b"\n")
        charset = declared.decode("latin-1").strip() or None
        decoded, problem = decode_text(text, charset)
        if not isinstance(decoded, str) or not (problem is None or isinstance(problem, str)):
            raise Broken(f"decode_text gave {type(decoded).__name__}, {type(problem).__name__}")

    return target


def html() -> Callable[[bytes], None]:
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


def _text_parts(limit: int) -> Iterator[tuple[str, str | None, bytes]]:
    """(content type, declared charset, bytes) of the text parts of the seed mails."""
    from email import message_from_bytes, policy

    for mail in mail_seeds(limit):
        parsed = message_from_bytes(mail, policy=policy.compat32)
        for part in parsed.walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes) and payload.strip():
                    yield part.get_content_type(), part.get_content_charset(), payload


def charset_seeds(limit: int) -> list[bytes]:
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


def html_seeds(limit: int) -> list[bytes]:
    made = (
        b'<html><head><meta charset="windows-1252"><style>p{color:red}</style></head><body>'
        b"<p>Bonjour,</p><table><tr><td>Contrat</td><td>AB-123</td></tr></table>"
        b'<img src="cid:logo@x"><ul><li>un</li><li>deux</li></ul><br>Cordialement</body></html>'
    )
    found = [data for content_type, _c, data in _text_parts(limit) if content_type == "text/html"]
    return [made, *found[: 4 * limit]]


# --- What guides the fuzzer ---------------------------------------------------------

CHARSET_TOKENS = tuple(
    sorted(
        {name.replace("_", "-").encode() for pair in aliases.items() for name in pair}
        | {module.name.encode() for module in pkgutil.iter_modules(encodings.__path__)}
    )
) + (b"iso8859-1", b"x-unknown", b"utf-8'", b'"utf-8"')
CHARSET_CODE = ("extractors", "charset_normalizer")
HTML_CODE = ("extractors", "inscriptis", "charset_normalizer")
