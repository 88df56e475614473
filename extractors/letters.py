"""Letters received on paper: whether a scanned document is a customer's letter, and who wrote it.

A letter has a shape that invoices, forms, receipts and certificates do not: a
salutation ("Madame, Monsieur," / "Dear Sir or Madam,") opening the text and a
closing formula ("Je vous prie d'agréer..." / "Yours faithfully,") ending it,
with a date line ("Lyon, le 3 mars 2026" / "3 March 2026") or a subject line
("Objet :" / "Re:" / "Subject:") above them. A document is taken for a letter
only when it has a salutation, a closing after it, one of those lines, and a
writer's name (from the sender block or the signature).

The sender block is the first block of the header (the lines above the date,
subject and salutation) that starts with a person's name: letters put it at the
top, left in French use and often right in British use, and the recipient's
block (the insurer's address) comes under it. OCR reads a page block by block,
top to bottom, so the first such block in the text is the one printed highest.
Tesseract leaves blank lines inside a block now and then; a "block" that starts
like the rest of an address (a street number, a postcode, an e-mail, a phone)
is joined to the one above it.

`read_letter` answers for a standalone document (a `Message` of kind
"document"); `Letter.as_mail` turns that message into a mail from the letter's
writer, so that language, intent and fields are read from the letter's text the
way they are from a mail's.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rpa.models import Address, Message, PostalLetter

__all__ = ["Letter", "letter_from_pages", "letter_from_text", "read_letter"]

_PAGES = 3  # a letter's salutation and closing are on its first pages
_SIGNATURE_LINES = 6  # under the closing: the name, maybe a title, a phone, an e-mail, "P.J." lines

_MONTHS = {
    **dict.fromkeys(("janvier", "january", "jan"), 1),
    **dict.fromkeys(("fevrier", "february", "feb", "fev"), 2),
    **dict.fromkeys(("mars", "march", "mar"), 3),
    **dict.fromkeys(("avril", "april", "apr", "avr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "june", "jun"), 6),
    **dict.fromkeys(("juillet", "july", "jul", "juil"), 7),
    **dict.fromkeys(("aout", "august", "aug"), 8),
    **dict.fromkeys(("septembre", "september", "sep", "sept"), 9),
    **dict.fromkeys(("octobre", "october", "oct"), 10),
    **dict.fromkeys(("novembre", "november", "nov"), 11),
    **dict.fromkeys(("decembre", "december", "dec"), 12),
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# Matched on folded text (lower case, no accents).
_DATE = re.compile(
    rf"(?:(?P<place>[a-z][a-z' .-]{{1,40}}?)\s*,\s*)?(?:le\s+)?"
    rf"(?:(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<month2>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{{4}})"
    rf"|(?P<nday>\d{{1,2}})[/.](?P<nmonth>\d{{1,2}})[/.](?P<nyear>\d{{4}}))$"
)
_SUBJECT = re.compile(r"^(?:objet|obj|re|subject|concerne|ref|reference)\s*[:.]\s*(?P<subject>\S.*)$")
# A salutation ends with a comma (or a colon): "Madame Sophie Martin" heading a sender block is no salutation.
_SALUTATION = re.compile(
    r"^(?:madame|monsieur|mademoiselle|messieurs|mesdames|chere?s?\s|dear\s|to whom it may concern)"
    r"[^.!?]{0,60}[,:;]$|^(?:madame,? monsieur|dear sir or madam|to whom it may concern)$"
)
_CLOSING = re.compile(
    r"veuillez agreer|je vous prie d.agreer|(?:recevez|croyez)[, ].{0,40}(?:salutations|sentiments)"
    r"|salutations distinguees|mes salutations|sentiments (?:distingues|les meilleurs)|^cordialement"
    r"|^bien (?:a|cordialement a) vous|^respectueusement|^yours (?:faithfully|sincerely|truly)"
    r"|^(?:kind|best|warm|warmest)? ?regards,?$|^sincerely,?$|^respectfully,?$|^with (?:kind|best) regards"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_LABEL = re.compile(r"^(?:tel|tél|telephone|phone|mobile|portable|fax|gsm|mob)\b", re.IGNORECASE)
_POSTCODE = re.compile(r"\b\d{4,5}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_NAME_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['\-.](?=[^\W\d_]))*\.?,?$")
_TITLES = frozenset("m mr mrs ms miss mme mlle monsieur madame mademoiselle dr".split())
# Words that make a block's first line an organisation, not the person writing.
_NOT_PERSON = frozenset(
    """
    service services client clients clientele customer support department departement direction
    assurance assurances insurance insurer mutuelle agence agency cabinet societe company ltd limited
    plc sa sas sarl gmbh inc group groupe sinistre sinistres claims claim gestion team equipe bureau
    office garage banque bank centre center
    """.split()
)


@dataclass(frozen=True)
class Letter:
    """A letter read from a document: who wrote it (`postal`) and what they wrote."""

    postal: PostalLetter
    body: str  # from the salutation to the closing formula: what the customer wrote
    signature: str  # the lines under the closing formula

    def as_mail(self, message: Message) -> Message:
        """`message` (a standalone document) as a mail from the letter's writer: the letter's
        text is what the customer wrote, its subject line the subject (the file name without one)."""
        return dataclasses.replace(
            message,
            # The scanned pages are the letter itself, not a document sent with it.
            attachments=[dataclasses.replace(attachment, inline=True) for attachment in message.attachments],
            subject=self.postal.subject or message.subject,
            sender=Address(self.postal.name, self.postal.email),
            body=self.body,
            new_text=self.body,
            signature=self.signature,
        )


def read_letter(message: Message) -> Letter | None:
    """The letter `message` is, when it is a standalone document that reads as a customer's letter."""
    if message.kind != "document" or len(message.attachments) != 1:
        return None
    return letter_from_pages([page.text for page in message.attachments[0].pages[:_PAGES]])


def letter_from_text(text: str) -> Letter | None:
    """The letter in a one-page document's text, or None when the text does not have a letter's shape."""
    return letter_from_pages([text])


def letter_from_pages(pages: Sequence[str]) -> Letter | None:
    """The letter in a document's pages, or None when their text does not have a letter's shape."""
    lines: list[str] = []
    page_ends: list[int] = []
    for text in pages:
        lines += [line.strip() for line in text.splitlines()] + [""]
        page_ends.append(len(lines))
    folded = [_fold(line) for line in lines]
    salutation = next((i for i, line in enumerate(folded) if _SALUTATION.match(line)), None)
    if salutation is None:
        return None
    closings = [i for i in range(salutation + 1, len(lines)) if _CLOSING.search(folded[i])]
    if not closings:
        return None
    closing = _closing_end(lines, closings[-1])
    header = range(salutation)
    dated = next((m for m in (_DATE.match(folded[i]) for i in header) if m), None)
    subject_line = next((i for i in header if _SUBJECT.match(folded[i])), None)
    if dated is None and subject_line is None:
        return None
    top = [i for i in header if i != subject_line and not _DATE.match(folded[i])]
    sender = _sender_block([lines[i] for i in top])
    # The signature ends with the page: what follows may be a document sent with the letter.
    page_end = next(end for end in page_ends if end > closing)
    signature = [line for line in lines[closing + 1 : page_end] if line][:_SIGNATURE_LINES]
    name = sender[0] if sender else _signed_name(signature)
    if not name:
        return None
    address = tuple(line for line in sender[1:] if not _is_contact(line))
    emails = [m.group(0) for line in (*sender, *signature) for m in _EMAIL.finditer(line)]
    postal = PostalLetter(
        name=name,
        address=address,
        email=emails[0].rstrip(".").lower() if emails else "",
        place=_place(lines, folded, header),
        date=_iso_date(dated) if dated else "",
        subject=_subject(lines[subject_line]) if subject_line is not None else "",
    )
    body = "\n".join(lines[salutation : closing + 1]).strip()
    return Letter(postal, re.sub(r"\n{3,}", "\n\n", body) + "\n", "\n".join(signature))


def _iso_date(match: re.Match[str]) -> str:
    """The ISO date of a matched date line, "" when it is no real date."""
    if match.group("nday"):
        day, month, year = match.group("nday", "nmonth", "nyear")
    elif match.group("day"):
        day, month, year = match.group("day"), _MONTHS[match.group("month")], match.group("year")
    else:
        day, month, year = match.group("day2"), _MONTHS[match.group("month2")], match.group("year2")
    day, month, year = int(day), int(month), int(year)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _closing_end(lines: Sequence[str], start: int) -> int:
    """A closing formula may run over two lines: it ends at the line ending with a full stop or comma."""
    end = start
    while end < len(lines) - 1 and lines[end] and not lines[end].endswith((".", ",")) and lines[end + 1]:
        if _looks_like_name(lines[end + 1]):
            break
        end += 1
    return end


def _sender_block(lines: Sequence[str]) -> list[str]:
    """The first block of the header that starts with a person's name and has an address under it:
    the name, the address down to its postcode line, then the e-mail and phone lines under it."""
    for block in _blocks(lines):
        if not _looks_like_name(block[0]) or len(block) < 2:
            continue
        kept = [_name(block[0])]
        for line in block[1:]:
            ended = any(_POSTCODE.search(kept_line) for kept_line in kept[1:])
            if ended and not _is_contact(line):
                break  # an address ends with its postcode and town: what follows is someone else's
            kept.append(line)
        return kept
    return []


def _is_contact(line: str) -> bool:
    return bool(_EMAIL.search(line) or _PHONE_LABEL.match(line))


def _blocks(lines: Sequence[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
            continue
        if current and blocks and _continues_address(current[0]):
            blocks[-1] += current
        elif current:
            blocks.append(current)
        current = []
    return blocks


def _continues_address(line: str) -> bool:
    return bool(line[:1].isdigit() or _POSTCODE.search(line) or _is_contact(line))


def _looks_like_name(line: str) -> bool:
    words = line.replace(",", " ").split()
    if not 2 <= len(words) <= 5 or not all(_NAME_WORD.match(word) for word in words):
        return False
    folded = {_fold(word).strip(".") for word in words}
    if folded & _NOT_PERSON:
        return False
    named = [word for word in words if _fold(word).strip(".") not in _TITLES]
    return len(named) >= 2 or (len(named) == 1 and len(words) >= 2)


def _name(line: str) -> str:
    return " ".join(line.replace(",", " ").split())


def _signed_name(signature: Sequence[str]) -> str:
    return next((_name(line) for line in signature if _looks_like_name(line)), "")


def _place(lines: Sequence[str], folded: Sequence[str], header: range) -> str:
    """The place before the date ("Lyon" of "Lyon, le 3 mars 2026"), as written."""
    for i in header:
        match = _DATE.match(folded[i])
        if match:
            place = lines[i].split(",")[0].strip() if match.group("place") else ""
            return re.sub(r"^(?:fait|faite)\s+(?:à|a)\s+", "", place, flags=re.IGNORECASE)
    return ""


def _subject(line: str) -> str:
    return re.sub(r"^\s*\S+?\s*[:.]\s*", "", line, count=1).strip()


def _fold(text: str) -> str:
    """Lower case without accents, apostrophes unified, for matching the formulas."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").lower())
    return re.sub(r"\s+", " ", "".join(ch for ch in text if not unicodedata.combining(ch))).strip()
