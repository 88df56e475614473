"""How to reach the customer: e-mail addresses and phone numbers written in the text.

Phones are found by libphonenumber's own matcher with leniency VALID: it knows
every country's numbering plan, so a SIRET, an IBAN or a policy number is not
a phone unless its digits are a number someone could dial.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers
from phonenumbers import (
    Leniency,
    NumberParseException,
    PhoneNumberFormat,
    PhoneNumberMatch,
    PhoneNumberMatcher,
)

from extractors.fields.base import envelope_spans, make_field, reads_text, source_kind
from extractors.fields.text import IBAN_SHAPE, CueMatcher, Spans, fold, line_span
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["EmailFinder", "PhoneFinder", "normalise_email", "normalise_phone"]

_EMAIL = re.compile(
    r"(?<![\w.+\-])[a-z0-9](?:[a-z0-9._%+\-]*[a-z0-9_%+\-])?@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}(?![\w\-])",
    re.IGNORECASE,
)
# Machines, not people: a reply to them goes nowhere.
_MACHINE_MAILBOX = re.compile(
    r"^(?:no[\-_.]?reply|do[\-_.]?not[\-_.]?reply|ne[\-_.]?pas[\-_.]?repondre|mailer-daemon|postmaster"
    r"|bounces?)(?:[+\-_.].*)?@"
)
_EMAIL_LABEL = re.compile(r"(?:e-?mail|courriel|mail|adresse electronique)\s*:?\s*$")

_LABEL_REACH = 30  # how far before an address or a number its "E-mail :" or "Tél :" may sit

LABELLED = 0.95  # "E-mail : jean@x.fr", "Tél : 06 12 34 56 78"
WRITTEN = 0.85  # an address in running text
PHONE_LABELLED = 0.9
PHONE_WRITTEN = 0.75


def normalise_email(text: str) -> str | None:
    """The address written in `text`, lower-cased; None if there is none."""
    match = _EMAIL.search(text)
    return match.group(0).lower() if match else None


def normalise_phone(text: str, region: str = "FR") -> str | None:
    """A valid phone number in E.164 form ("+33612345678"); national numbers are read
    as numbers of `region`. None for anything that is not a valid number."""
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


class EmailFinder:
    """`email`: addresses written in the text (not the mail's own headers)."""

    names = ("email",)

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return
        folded = fold(source.text)
        envelope = envelope_spans(source.source, folded)
        for match in _EMAIL.finditer(source.text):
            address = match.group(0).lower()
            if _MACHINE_MAILBOX.match(address) or envelope.overlaps(match.start(), match.end()):
                continue
            line_start = line_span(folded, match.start(), _LABEL_REACH)[0]
            labelled = _EMAIL_LABEL.search(folded, line_start, match.start()) is not None
            yield make_field("email", address, match.group(0), LABELLED if labelled else WRITTEN, source)


_PHONE_CUES = CueMatcher(
    {
        "phone": [
            "tel",
            "telephone",
            "phone",
            "mobile",
            "portable",
            "port",
            "gsm",
            "mob",
            "cell*",
            "fixe",
            "joignable",
            "joindre",
            "reach me",
            "call me",
            "appeler",
            "rappeler",
        ],
        "fax": ["fax", "telecopie"],
    }
)


class PhoneFinder:
    """`phone`: valid numbers in E.164 form; fax numbers are not how to reach a customer."""

    names = ("phone",)

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return
        text, folded = source.text, fold(source.text)
        envelope = envelope_spans(source.source, folded)
        ibans = Spans(match.span() for match in IBAN_SHAPE.finditer(text))
        seen = Spans()
        home = _regions(source, settings)
        # Numbers abroad are looked for in what the customer wrote, not in long documents.
        for match, abroad in _matches(text, home, abroad=source_kind(source.source) in ("body", "signature")):
            start, end = match.start, match.end
            if (
                seen.overlaps(start, end)
                or envelope.overlaps(start, end)
                or ibans.overlaps(start, end)
                or _inside_token(text, start, end)
                or not _grouped_like_a_phone(match.raw_string)
            ):
                continue
            line_start = line_span(text, start, _LABEL_REACH)[0]
            cues = list(_PHONE_CUES.finditer(folded, line_start, start))
            label = cues[-1].kind if cues else None
            if abroad and not (label == "phone" or _own_line_national(text, match)):
                continue
            value = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            if abroad and _other_readings(match.raw_string, value, home):
                continue  # "0475 12 34 56": a number of two countries abroad is no one's
            seen.add(start, end)
            if label == "fax":
                continue
            confidence = PHONE_LABELLED if label == "phone" else PHONE_WRITTEN
            yield make_field("phone", value, match.raw_string, confidence, source)


# The country whose national numbers a customer writing in a language would use.
_LANGUAGE_REGION = {"fr": "FR", "en": "GB"}


def _regions(source: TextSource, settings: ParsingSettings) -> list[str]:
    """The configured region first, then the one of the message's language."""
    regions = [settings.default_region]
    by_language = _LANGUAGE_REGION.get(source.language)
    if by_language and by_language != settings.default_region:
        regions.append(by_language)
    return regions


# Where customers of a French or British insurer also live, study or travel: their national
# numbers are read only where the text says it is a phone ("Téléphone UK : 07912 408 336",
# "joignable au 514 873 2291") or on a line of its own in national form ("087 214 5569").
_ABROAD = ("GB", "IE", "BE", "CH", "CA")  # plans strict enough that a number is of one country


def _matches(text: str, regions: list[str], *, abroad: bool) -> Iterable[tuple[PhoneNumberMatch, bool]]:
    """Valid numbers of the home `regions`, then (`abroad`) of the regions abroad, with True."""
    for region in regions:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            yield match, False
    for region in _ABROAD if abroad else ():
        if region not in regions:
            for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
                yield match, True


def _own_line_national(text: str, match: PhoneNumberMatch) -> bool:
    start, end = line_span(text, match.start, len(text))
    raw = match.raw_string.strip()
    return text[start:end].strip() == raw and raw.startswith("0") and not raw.startswith("00") and " " in raw


def _other_readings(raw: str, value: str, home: list[str]) -> bool:
    """Whether a number read abroad is also a valid number of another region, as another number."""
    for region in _ABROAD:
        if region in home:
            continue
        other = normalise_phone(raw, region)
        if other is not None and other != value:
            return True
    return False


def _grouped_like_a_phone(raw: str) -> bool:
    """ "06/12/34/56/78" is a phone; "06/221874/25" is a file reference."""
    if "/" not in raw:
        return True
    groups = re.split(r"[/ .\-]+", raw.strip())
    return len({len(group) for group in groups[1:]}) <= 1


def _inside_token(text: str, start: int, end: int) -> bool:
    """Digits glued to letters or dashes are part of a reference ("AUT-0612345678")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or before in "-/_" or after.isalnum() or after in "-/_"
