"""What the sender wrote now, apart from the thread below it and their signature.

A mail body is read as: the new text, then (maybe) earlier mail. Earlier mail starts at
the first *cut*: an attribution line ("Le 3 mars 2025 à 10:12, Jean <j@x.fr> a écrit :",
"On ... wrote:"), an Outlook separator ("-----Message d'origine-----"), a header block
("De : ... Envoyé : ... À : ... Objet : ..."), or a forward marker ("---------- Forwarded
message ---------", "----- Transféré par ... le ... -----", "Début du message transféré :").

Quoted and forwarded mail are kept apart on purpose:

* quoted mail (a reply's history) goes to `quoted_text`, quote markers (">") removed; its
  facts are the weakest evidence we have;
* forwarded mail is *not* quoted: it is another message, whose author is usually the
  customer. `split_reply` leaves it out of both `new_text` and `quoted_text` (it stays in
  the body); `find_forwarded` reads its header block and text, and `fill_reply_parts`
  makes a `Message` of it, with its own new text, quoted text and signature.

A bare header block is a forward when the subject says so ("TR:", "Fwd:") or when nothing
is written above it; otherwise it is Outlook's way of quoting a reply.

`fill_reply_parts` applies all this to a `Message` whose body is known.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime
from typing import NamedTuple

from rpa.models import Address, Message

__all__ = [
    "MAX_FORWARD_DEPTH",
    "ReplyParts",
    "ForwardedText",
    "split_reply",
    "find_forwarded",
    "fill_reply_parts",
    "is_forward_subject",
]

MAX_FORWARD_DEPTH = 5  # forwarded inside forwarded...: a mail this deep is not opened further


class ReplyParts(NamedTuple):
    new_text: str
    quoted_text: str
    signature: str


@dataclass(frozen=True)
class ForwardedText:
    """A mail forwarded inline, as found in the text of the mail that forwards it."""

    before: str  # what the forwarder wrote above it
    headers: dict[str, str] = field(default_factory=dict)  # from, to, cc, date, subject
    text: str = ""  # the forwarded mail's own body


_FORWARD, _QUOTE, _HEADER_BLOCK = "forward", "quote", "header block"

_FORWARD_MARKER = re.compile(
    r"^(?:-{2,}\s*)?(?:"
    r"forwarded message|original forwarded message|forwarded e-?mail|"
    r"(?:e-?)?mail transf[ée]r[ée]|message transf[ée]r[ée]|"
    r"(?:transf[ée]r[ée] par|forwarded by)\s.+\s(?:le|on)\s+\d.*|"
    r"d[ée]but du message (?:r[ée]exp[ée]di[ée]|transf[ée]r[ée])|begin forwarded message"
    r")\s*(?:-{2,}|:)?\s*$",
    re.IGNORECASE,
)
_QUOTE_SEPARATOR = re.compile(
    r"^-{2,}\s*(?:original message|message d'origine|message original|original e-?mail)\s*-{2,}\s*$"
    r"|^message du \d{1,2}/\d{1,2}/\d{2,4}\b",  # Orange webmail
    re.IGNORECASE,
)
_OUTLOOK_RULE = re.compile(r"^_{10,}\s*$")
_ATTRIBUTION = re.compile(
    r"^(?:le|on)\s.{0,250}?\b(?:a\s+[ée]crit|wrote)\s*:?\s*$", re.IGNORECASE | re.DOTALL
)
_HEADER_LINE = re.compile(
    r"^\s*\*?(?P<label>de|from|exp[ée]diteur|sender|envoy[ée](?: le)?|sent|date|[àa]|to|destinataires?"
    r"|cc|copie(?: à)?|cci|bcc|objet|subject|sujet|r[ée]pondre à|reply-to|importance|priorit[ée])"
    r"\s*\*?\s*:(?P<value>.*)$",
    re.IGNORECASE,
)
_LABELS = {
    "de": "from",
    "from": "from",
    "expéditeur": "from",
    "expediteur": "from",
    "sender": "from",
    "envoyé": "date",
    "envoye": "date",
    "envoyé le": "date",
    "envoye le": "date",
    "sent": "date",
    "date": "date",
    "à": "to",
    "a": "to",
    "to": "to",
    "destinataire": "to",
    "destinataires": "to",
    "cc": "cc",
    "copie": "cc",
    "copie à": "cc",
    "objet": "subject",
    "subject": "subject",
    "sujet": "subject",
}
_FORWARD_SUBJECT = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?(?:tr|trs|fw|fwd|wg|rv|enc)\s*:", re.IGNORECASE)

_STRONG_CLOSINGS = (
    r"(?:(?:bien|tr[èe]s|tr[èe]s bien|tr[èe]s sinc[èe]rement|sinc[èe]rement)\s+)?cordialement",
    r"cdt|cdlt|bàv|bav",
    r"bien (?:[àa]|a) (?:vous|toi)",
    r"(?:bien )?amicalement",
    r"respectueusement",
    r"(?:(?:avec )?(?:mes|nos) )?(?:sinc[èe]res|meilleures|cordiales|respectueuses|bien cordiales)"
    r" salutations(?: distingu[ée]es)?",
    r"salutations(?: distingu[ée]es| cordiales| respectueuses)?",
    r"(?:with )?(?:best|kind|warm|warmest|kindest) (?:regards|wishes)",
    r"best",
    r"regards",
    r"all the best",
    r"(?:yours )?(?:sincerely|faithfully|truly)(?: yours)?",
    r"respectfully",
    r"cheers",
    # the formal French closing sentence: "Veuillez agréer, Madame, ... mes salutations distinguées."
    r"(?:je vous prie d'|veuillez |recevez |nous vous prions d')(?:agr[ée]er|recevoir).{0,150}"
    r"(?:salutations|sentiments|consid[ée]ration)(?: [^.]{0,40})?",
)
_WEAK_CLOSINGS = (
    r"merci(?: d'avance| par avance| beaucoup| bien| encore)?(?: et bonne (?:journ[ée]e|soir[ée]e))?",
    r"en vous remerciant(?: (?:par|d')avance)?",
    r"bonne (?:journ[ée]e|soir[ée]e)",
    r"je vous remercie(?: (?:par|d')avance| de votre (?:aide|compr[ée]hension|retour))?",
    r"(?:many )?thanks(?: in advance| again| a lot)?",
    r"thank you(?: in advance)?",
)
_STRONG = re.compile(rf"^(?:{'|'.join(_STRONG_CLOSINGS)})(?:[\s,.!]*|\s*[,.]\s*\S.{{0,40}})$")
_WEAK = re.compile(rf"^(?:{'|'.join(_WEAK_CLOSINGS)})[\s,.!]*$")
_DEVICE = re.compile(
    r"^(?:envoy[ée] (?:de|depuis) (?:mon|ma|un)\b.{0,40}|sent from (?:my|mobile)\b.{0,40}"
    r"|obtenez outlook pour \w+|get outlook for \w+)$",
    re.IGNORECASE,
)
_POSTSCRIPT = re.compile(r"^\s*(?:p\.?\s?s\.?|ps)\s*[:\-]", re.IGNORECASE)
_SIGNATURE_MAX_LINES = 12  # name, role, company, address, phones, mail: more is prose, not a signature
_SIGNATURE_MAX_WIDTH = 100


def split_reply(text: str) -> ReplyParts:
    """Split a mail body into the new text, the quoted thread and the sender's signature."""
    lines = _lines(text)
    cut = _first_cut(lines)
    head = lines if cut is None else lines[: cut[0]]
    quoted = [] if cut is None or cut[1] == _FORWARD else [_unquote(line) for line in lines[cut[0] :]]
    # Quote markers above the cut are interleaved answers: the ">" lines are the old mail.
    interleaved = [_unquote(line) for line in head if _is_quoted(line)]
    new_lines = [line for line in head if not _is_quoted(line)]
    new_lines, signature = _split_signature(new_lines)
    return ReplyParts(_tidy(new_lines), _tidy(interleaved + [""] + quoted), _tidy(signature))


def find_forwarded(text: str, *, subject: str = "") -> ForwardedText | None:
    """The mail forwarded inline in `text`, or None when `text` forwards nothing."""
    lines = _lines(text)
    cut = _first_cut(lines)
    if cut is None or cut[1] == _QUOTE:
        return None
    index, kind = cut
    nothing_above = not any(line.strip() for line in lines[:index])
    if kind == _HEADER_BLOCK and not (nothing_above or is_forward_subject(subject)):
        return None
    start = index + 1 if kind == _FORWARD or _OUTLOOK_RULE.match(lines[index].strip()) else index
    headers, body_start = _read_header_block(lines, start)
    before, text = "\n".join(lines[:index]), "\n".join(lines[body_start:])
    return ForwardedText(before=before.strip("\n"), headers=headers, text=text.strip("\n"))


def fill_reply_parts(message: Message, *, depth: int = 0) -> None:
    """Fill `new_text`, `quoted_text` and `signature` from `message.body`; a mail forwarded
    in the text becomes a `Message` at the head of `message.forwarded` (before attached
    ones: it is what the forwarder shows first). `depth` counts the forwards around it."""
    found = find_forwarded(message.body, subject=message.subject) if depth < MAX_FORWARD_DEPTH else None
    if found is None:
        message.new_text, message.quoted_text, message.signature = split_reply(message.body)
        return
    message.new_text, message.quoted_text, message.signature = split_reply(found.before)
    message.forwarded.insert(0, _forwarded_message(found, message, depth))


def is_forward_subject(subject: str) -> bool:
    """Whether a subject starts with a forward prefix ("TR:", "Fwd:", "FW:", ...)."""
    return bool(_FORWARD_SUBJECT.match(subject or ""))


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _unquote(line: str) -> str:
    return re.sub(r"^\s*(?:>\s?)+", "", line) if _is_quoted(line) else line


def _first_cut(lines: list[str]) -> tuple[int, str] | None:
    """Where earlier mail begins, and whether it is forwarded, quoted or a bare header block."""
    for index, line in enumerate(lines):
        bare = _unquote(line).strip()
        if not bare:
            continue
        quoted = _is_quoted(line)
        if _FORWARD_MARKER.match(bare):
            return index, _QUOTE if quoted else _FORWARD
        if _QUOTE_SEPARATOR.match(bare) or _is_attribution(lines, index):
            return index, _QUOTE
        if _is_header_block(lines, index + 1 if _OUTLOOK_RULE.match(bare) else index):
            return index, _QUOTE if quoted else _HEADER_BLOCK
    return None


def _is_attribution(lines: list[str], index: int) -> bool:
    """An "On <date>, <who> wrote:" line, which clients often wrap over two or three lines
    (never across a blank line, never after the end of a sentence)."""
    joined = _unquote(lines[index]).strip()
    if not re.match(r"(?:le|on)\s", joined, re.IGNORECASE):
        return False
    for following in lines[index + 1 : index + 3] + [None]:
        if _ATTRIBUTION.match(joined) and re.search(r"\d", joined):
            return True
        if following is None or not following.strip() or joined.endswith((".", "!", "?")):
            return False
        joined = f"{joined} {_unquote(following).strip()}"
    return False


def _is_header_block(lines: list[str], index: int) -> bool:
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        return False
    first = _HEADER_LINE.match(_unquote(lines[index]))
    if not first or _LABELS.get(first["label"].lower()) != "from":
        return False
    labels = {_LABELS.get(m["label"].lower()) for m in _header_lines(lines, index)}
    return "subject" in labels and bool(labels & {"to", "date"})


def _header_lines(lines: list[str], index: int) -> list[re.Match[str]]:
    """The consecutive `Label: value` lines of a header block starting at `index` (at most 10)."""
    found = []
    for line in lines[index : index + 10]:
        match = _HEADER_LINE.match(_unquote(line))
        if match:
            found.append(match)
        elif not line.strip() or not found:
            break
    return found


def _read_header_block(lines: list[str], index: int) -> tuple[dict[str, str], int]:
    """The forwarded mail's headers (from, to, cc, date, subject) and where its text starts."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    headers: dict[str, str] = {}
    current: str | None = None
    indent = None
    while index < len(lines):
        line = lines[index]
        match = _HEADER_LINE.match(line)
        width = len(line) - len(line.lstrip())
        if match:
            current = _LABELS.get(match["label"].lower())
            indent = width
            if current and current not in headers:
                headers[current] = match["value"]
            elif current:
                current = None  # "Envoyé :" then "Date :": keep the first, ignore its continuations
        elif line.strip() and current and indent is not None and width > indent:
            headers[current] += " " + line.strip()  # a wrapped Cc: or To: line
        else:
            break
        index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    return {key: _clean_header(value) for key, value in headers.items()}, index


def _clean_header(value: str) -> str:
    value = re.sub(r"\[mailto:[^\]]*\]", "", value).replace("*", "")
    return " ".join(value.split())


def _split_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    """Cut the signature (closing formula, name, phone, ...) off the end of the new text.

    A "P.S." after the signature is new text again."""
    end = next((i for i, line in enumerate(lines) if _POSTSCRIPT.match(line)), len(lines))
    tail = _short_tail_start(lines, end)
    start = _closing_formula(lines, tail, end)
    if start is None:
        start = next((i for i in range(end) if lines[i].strip() in ("--", "-- ")), None)
    if start is None:
        start = next((i for i in range(tail, end) if _DEVICE.match(lines[i].strip())), None)
    if start is None:
        return lines, []
    return lines[:start] + lines[end:], lines[start:end]


def _short_tail_start(lines: list[str], end: int) -> int:
    """The first index after which only a few short lines remain before `end`: a
    signature is a name, a role, an address, phones; more is prose."""
    index, filled = max(end - 1, 0), 0
    while index > 0:
        line = lines[index].strip()
        if line and (len(line) > _SIGNATURE_MAX_WIDTH or filled == _SIGNATURE_MAX_LINES):
            break
        filled += bool(line)
        index -= 1
    return index


def _closing_formula(lines: list[str], first: int, end: int) -> int | None:
    """The first "Cordialement"/"Best regards" line in lines[first:end]; "Merci"/"Thanks"
    count only when no stronger formula is there."""
    weak = None
    for index in range(first, end):
        normal = " ".join(lines[index].replace("’", "'").split()).lower()
        if _STRONG.match(normal):
            return index
        if weak is None and _WEAK.match(normal):
            weak = index
    return weak


def _tidy(lines: list[str]) -> str:
    """Lines joined, trailing spaces and runs of blank lines removed."""
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _forwarded_message(found: ForwardedText, outer: Message, depth: int) -> Message:
    headers = found.headers
    inner = Message(
        source=f"{outer.source}/forwarded-text",
        message_id=None,
        subject=headers.get("subject", ""),
        sender=_text_address(headers.get("from", "")),
        to=_text_addresses(headers.get("to", "")),
        cc=_text_addresses(headers.get("cc", "")),
        body=found.text,
        content_hash=hashlib.sha256(found.text.encode("utf-8")).hexdigest(),
    )
    if headers.get("date"):
        inner.date = _text_date(headers["date"], outer.date)
        if inner.date is None:
            inner.errors.append(f"the forwarded mail's date {headers['date']!r} is not a date we can read")
    fill_reply_parts(inner, depth=depth + 1)
    return inner


def _text_address(value: str) -> Address | None:
    """`Jean Dupont <j@x.fr>`, `"j@x.fr" <j@x.fr>` or `j@x.fr`, as a forwarded header shows them."""
    bracketed = re.search(r"<\s*([^<>\s]+@[^<>\s]+?)\s*>", value)
    if bracketed:
        name = value[: bracketed.start()].strip().strip("\"',;")
        return Address(name if "@" not in name else "", bracketed.group(1))
    bare = re.search(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", value)
    return Address("", bare.group(0)) if bare else None


def _text_addresses(value: str) -> list[Address]:
    return [Address(name, email) for name, email in getaddresses([value]) if "@" in email]


def _text_date(value: str, outer: datetime | None) -> datetime | None:
    try:
        found = parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError, OverflowError):  # Overflow: "14:09:1115579351471"
        import dateparser  # "lun. 3 mars 2025 à 10:12": only forwarded text needs it

        found = dateparser.parse(value, languages=["fr", "en"], settings={"DATE_ORDER": "DMY"})
    if found is not None and found.tzinfo is None:
        # The forwarder and the forwarded mail usually share a time zone.
        found = found.replace(tzinfo=outer.tzinfo if outer and outer.tzinfo else UTC)
    return found
