"""Raw mail bytes to a `Message`, whatever state the mail is in.

Mail in the wild is often broken: headers that do not parse, charsets that are wrong or
unknown, base64 cut short, boundaries that never come. None of that may stop a batch:
`parse_message` reads what it can, falls back where it must (the declared charset, then
UTF-8, then charset_normalizer's best guess, then UTF-8 with replacement characters),
and says what it did in `Message.errors`, one short sentence each.

The body is the text/plain part (an HTML-only mail is turned into text); every other
leaf part is a file of the mail, handed to `extractors.containers`, which keeps it as an
attachment within the size limits of `LimitSettings`, or opens it: a mail saved as a
file (an Outlook `.msg`, a `winmail.dat`) becomes a forwarded mail, the files of a zip
archive the mail's own attachments. A forwarded mail, attached (message/rfc822) or
pasted in the text ("---------- Forwarded message ---------"), becomes a `Message` in
`forwarded`: its sender is the customer (see `Message.customer`).

The parts of a report (RFC 6522 multipart/report: a bounce's delivery-status, a read
receipt's disposition-notification, an abuse report's feedback-report, the returned
headers) are not documents: they are named in `Message.reports`, not kept as attachments.
A mail a report returns whole is kept as a forwarded mail: it says which of our mails
failed, and its claim and policy numbers lead an agent to the case.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from extractors.charsets import decode_text
from extractors.containers import MAX_PARTS, AttachmentBudget, MailContents
from extractors.html import declared_charset, html_to_text, referenced_content_ids
from extractors.mimeparts import (
    FORWARD_TYPES,
    HEADER_ERRORS,
    REPORT_TYPES,
    RETURNED_HEADER_TYPES,
    chosen_alternative,
    content_charset,
    decode_words,
    filename_of,
    message_id,
    part_bytes,
    references,
    rescue_8bit,
)
from extractors.quotes import MAX_FORWARD_DEPTH, fill_reply_parts
from rpa.config import LimitSettings
from rpa.models import Address, Attachment, Message

__all__ = ["MAX_PARTS", "parse_message"]

_BODY_TYPES = ("text/plain", "text/html")
# The standard library's header parser copies the rest of a header for each encoded word it
# reads: a 210 kB Subject of 3,300 encoded words (eml_flanker's long-header.eml) took 355 MB
# and half a second. A header longer than this is decoded word by word instead (linear,
# `decode_words`) and its addresses read by `getaddresses`; 2,000 recipients are 64 kB.
MAX_PARSED_HEADER_CHARS = 16_000
_DEFECT_SENTENCES = {
    "StartBoundaryNotFoundDefect": "the multipart boundary never appears; the part was read as one text",
    "CloseBoundaryNotFoundDefect": "the closing multipart boundary is missing",
    "MultipartInvariantViolationDefect": (
        "the multipart boundary never appears; the part was read as one text"
    ),
    "NoBoundaryInMultipartDefect": "a multipart part has no boundary; it was read as one text",
    "FirstHeaderLineIsContinuationDefect": "the first header line is a continuation line",
    "MisplacedEnvelopeHeaderDefect": "a 'From ' envelope line appears among the headers",
    "MissingHeaderBodySeparatorDefect": "a header line is malformed, so the body may start early",
    "InvalidMultipartContentTransferEncodingDefect": "a multipart part has an invalid transfer encoding",
    "InvalidBase64PaddingDefect": "broken base64 (bad padding), decoded as far as possible",
    "InvalidBase64CharactersDefect": "broken base64 (invalid characters skipped)",
    "InvalidBase64LengthDefect": "broken base64 (cut short), decoded as far as possible",
    "InvalidDateDefect": "the date is not valid",
    "NonPrintableDefect": "non-printable characters",
    "UndecodableBytesDefect": "undecodable bytes",
}
_IGNORED_DEFECTS = {"ObsoleteHeaderDefect", "HeaderMissingRequiredValue"}  # legal-but-old syntax, empty Cc:


def parse_message(data: bytes, *, source: str, limits: LimitSettings) -> Message:
    """Read one RFC 5322 mail. Never raises: what went wrong is in `Message.errors`."""
    return _parse(data, source, AttachmentBudget(limits), depth=0)


def _parse(
    data: bytes, source: str, budget: AttachmentBudget, depth: int, mail: EmailMessage | None = None
) -> Message:
    """`mail` is `data` already parsed (a forwarded mail inside its parent), if it is."""
    try:
        if mail is None:
            mail = BytesParser(policy=policy.default).parsebytes(data)
        return _MailReader(mail, source, budget, depth).message(data)
    except Exception as exc:  # noqa: BLE001
        # The one boundary of this module. The standard library still has corners that
        # raise on hostile input (deep nesting, odd syntax); such a mail is recorded with
        # the reason, never allowed to stop the batch it is in.
        return Message(
            source=source,
            message_id=None,
            subject="",
            sender=None,
            body=data.decode("utf-8", errors="replace"),
            errors=[f"the mail could not be parsed ({type(exc).__name__}: {exc}); its raw text is the body"],
            content_hash=hashlib.sha256(data).hexdigest(),
            raw=data,
        )


class _MailReader(MailContents):
    """Reads one parsed mail: headers, body, attachments, forwarded mails, reports, errors."""

    def __init__(self, mail: EmailMessage, source: str, budget: AttachmentBudget, depth: int) -> None:
        super().__init__(source, budget, depth)
        self.mail = mail
        self.parsed: dict[str, object] = {}  # lower-case name -> header object (first occurrence)
        self.long_headers: dict[str, str] = {}  # ... or its text, when too long to parse
        self.plain: list[str] = []
        self.html: list[str] = []
        self.reports: list[str] = []
        self.parts = 0
        self.shown_ids: set[str] = set()  # Content-IDs that HTML bodies show inline
        self.attachment_ids: list[tuple[Attachment, str]] = []

    def message(self, data: bytes) -> Message:
        headers = self._read_headers()
        self._walk(self.mail, body=True)
        for attachment, content_id in self.attachment_ids:
            attachment.inline = attachment.inline or content_id in self.shown_ids
        has_plain = any(text.strip() for text in self.plain)
        body = "\n\n".join(self.plain if has_plain else self.html).strip("\n")
        message = Message(
            source=self.source,
            message_id=message_id(headers.get("message-id")),
            subject=" ".join(headers.get("subject", "").split()),
            sender=next(iter(self._addresses("from") or self._addresses("sender")), None),
            to=self._addresses("to"),
            cc=self._addresses("cc"),
            date=self._date(headers.get("date")),
            headers=headers,
            body=body,
            html_only=bool(self.html) and not has_plain,
            in_reply_to=message_id(headers.get("in-reply-to")),
            references=references(headers.get("references", "")),
            attachments=self.attachments,
            forwarded=self.forwarded,
            reports=list(dict.fromkeys(self.reports)),
            errors=self.errors,
            content_hash=hashlib.sha256(data).hexdigest(),
            raw=data,
        )
        fill_reply_parts(message, depth=self.depth)
        message.errors = list(dict.fromkeys(message.errors))
        return message

    # -- headers ---------------------------------------------------------------------------

    def _read_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, raw in self.mail.raw_items():
            key = name.lower()
            if key in headers:
                continue
            raw = re.sub(r"\r?\n", "", rescue_8bit(raw, f"the {name} header", self.errors))
            if len(raw) > MAX_PARSED_HEADER_CHARS:
                self.errors.append(
                    f"the {name} header is {len(raw):,} characters long; it was read word by word"
                )
                headers[key] = self.long_headers[key] = " ".join(decode_words(raw).split())
                continue
            try:
                header = self.mail.policy.header_factory(name, raw)
                text = str(header)
            except HEADER_ERRORS:
                self.errors.append(f"the {name} header could not be parsed; its words were read one by one")
                headers[key] = " ".join(decode_words(raw).split())
                continue
            self.parsed[key] = header
            self._note_defects(getattr(header, "defects", ()), f"the {name} header")
            headers[key] = " ".join(text.split())
        return headers

    def _addresses(self, key: str) -> list[Address]:
        header = self.parsed.get(key)
        if key in self.long_headers:  # read word by word: no parsed header
            found = getaddresses([self.long_headers[key]])
        else:
            try:
                found = [(a.display_name, a.addr_spec) for a in getattr(header, "addresses", ())]
            except HEADER_ERRORS:
                found = getaddresses([str(header)])
        return [
            Address(" ".join((name or "").split()), email) for name, email in found if email and email != "<>"
        ]

    def _date(self, text: str | None) -> datetime | None:
        value = getattr(self.parsed.get("date"), "datetime", None)
        if value is None and text and "date" not in self.parsed:  # else its defect says it already
            try:
                value = parsedate_to_datetime(text)
            except (ValueError, TypeError, IndexError, OverflowError):
                self.errors.append(f"the Date header {text!r} is not a date we can read")
                return None
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)  # "-0000": the zone is unknown, UTC is the convention
        return value

    # -- parts -----------------------------------------------------------------------------

    def _walk(self, part: EmailMessage, *, body: bool) -> None:
        """Sort the leaves of `part` into body text and attachments; `body` is False inside
        the alternatives of a multipart/alternative we did not choose."""
        self.parts += 1
        if self.parts > MAX_PARTS:
            self.errors.append(f"the mail has more than {MAX_PARTS} MIME parts; the rest were not read")
            return
        content_type = part.get_content_type()  # parsed anew on each call: asked once
        if content_type in REPORT_TYPES:
            self.reports.append(REPORT_TYPES[content_type])
        elif content_type in RETURNED_HEADER_TYPES:
            pass  # the headers of the mail a report is about: part of the report, not a document
        elif content_type in FORWARD_TYPES:
            self._add_forwarded(part)
        elif part.is_multipart() and content_type.startswith("message/"):
            self._add_attachment(part, content_type)  # message/partial, message/external-body
        elif part.is_multipart():
            children = part.get_payload()
            chosen = chosen_alternative(children) if content_type == "multipart/alternative" else None
            for child in children:
                self._walk(child, body=body and (chosen is None or child is chosen))
        elif self._is_body(part, content_type):
            self._add_body(part, content_type, body=body)
        else:
            self._add_attachment(part, content_type)
        self._note_defects(part.defects, f"the {content_type} part")

    def _is_body(self, part: EmailMessage, content_type: str) -> bool:
        if content_type.startswith("multipart/"):
            return True  # a multipart whose boundary never came: its text is all we have
        if content_type not in _BODY_TYPES or part.get_content_disposition() == "attachment":
            return False
        # A single-part mail is its own body even when its sender gave it a file name.
        return part is self.mail or not filename_of(part, self.errors)

    def _add_body(self, part: EmailMessage, content_type: str, *, body: bool) -> None:
        """Body text; an alternative we did not choose is only searched for inline images."""
        data = part_bytes(part)
        if content_type == "text/html":
            self.shown_ids |= referenced_content_ids(data.decode("latin-1"))
        if not body:
            return
        if content_type == "text/html":
            text, problem = decode_text(data, content_charset(part) or declared_charset(data))
            self.html.append(html_to_text(text))
        else:
            text, problem = decode_text(data, content_charset(part))
            self.plain.append(text.replace("\r\n", "\n"))
        if problem:
            self.errors.append(f"the {content_type} body: {problem}")

    def _add_attachment(self, part: EmailMessage, content_type: str) -> None:
        inline = part.get_content_disposition() == "inline" and content_type.startswith("image/")
        name = filename_of(part, self.errors)
        attachment = self.add_file(name, content_type, part_bytes(part), inline=inline)
        content_id = (part.get("content-id") or "").strip().strip("<>").lower()
        if attachment is not None and content_id:
            self.attachment_ids.append((attachment, content_id))

    def _add_forwarded(self, part: EmailMessage) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        data = part_bytes(part)
        number = len(self.forwarded) + 1
        if inner is not None and not data:
            self.errors.append(f"forwarded mail {number} cannot be written back as bytes; its hash is empty")
        if self.depth >= MAX_FORWARD_DEPTH:
            self.errors.append(
                f"a forwarded mail nested more than {MAX_FORWARD_DEPTH} deep is kept as an attachment"
            )
            self.attachments.append(self.budget.attachment(f"forwarded-{number}.eml", "message/rfc822", data))
            return
        source = f"{self.source}/forwarded-{number}"
        self.forwarded.append(_parse(data, source, self.budget, self.depth + 1, mail=inner))

    def _note_defects(self, defects: object, where: str) -> None:
        for defect in defects or ():
            kind = type(defect).__name__
            if kind not in _IGNORED_DEFECTS:
                # The library's own messages can end in a dump of its parse tree: cut it.
                sentence = _DEFECT_SENTENCES.get(kind) or re.sub(r"\s*\w+\(\[.*", "", str(defect))[:120]
                self.errors.append(f"{where}: {sentence or kind}")
