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
from extractors.fields.residence import GROUPING_REGIONS, grouped_as_in, home_region, national_plan
from extractors.fields.text import IBAN_SHAPE, CueMatcher, Spans, fold, line_span
from extractors.fields.third_parties import someone_elses_number
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
            "whatsapp",
            "joignable",
            "joindre",
            "reach me",
            "call me",
            "ring me",
            "text me",
            "contact me on",
            "appeler",
            "rappeler",
            "rappelle",
            "rappelez",
            "rappeliez",
        ],
        "fax": ["fax", "telecopie"],
        # A number right after one of these is the reference they name ("N° de contrat : 0 447 120 938").
        "reference": [
            "contrat",
            "contract",
            "police",
            "policy",
            "dossier",
            "sinistre",
            "claim",
            "reference",
            "ref",
            "file",
            "client",
            "customer",
            "adherent",
            "societaire",
            "member",
            "membership",
            "account",
            "compte",
            "facture",
            "invoice",
            "commande",
            "order",
            "certificat",
            "certificate",
            "licence",
            "license",
            "permis",
            "imei",
            "serie",
            "serial",
        ],
    }
)
# What may stand between a reference's label and its number: "contrat n° ", "policy number: ".
_AFTER_REFERENCE_LABEL = re.compile(r"[\s:#.\-]*(?:(?:n\s?°|no|nr|num(?:ero|ber)?)\.?[\s:#.\-]*)?")

# Where customers of a French or British insurer also live, study or travel: their national
# numbers are read only where the text says it is a phone ("Téléphone UK : 07912 408 336",
# "joignable au 514 873 2291") or on a line of its own in national form ("087 214 5569").
# Plans strict enough that a number is of one country; in English mail, a number of Belgium's
# or Switzerland's plan is as likely one of South Africa's or Australia's, and one of these
# plans may read an Irish number too.
_ABROAD = {"fr": ("GB", "IE", "BE", "CH"), "en": ("GB", "IE")}
_OTHER_READINGS = {"fr": _ABROAD["fr"], "en": ("GB", "IE", "AU", "ZA", "NZ")}
# "my Spanish cell, 612 48 93 07", "mon portable suisse : 079 512 36 48": the customer names
# their own phone and the country whose plan it is in; read in that plan, it is their number.
_NATIONALITIES = {
    **dict.fromkeys(("spanish", "espagnol"), "ES"),
    **dict.fromkeys(("italian", "italien"), "IT"),
    **dict.fromkeys(("portuguese", "portugais"), "PT"),
    **dict.fromkeys(("german", "allemand"), "DE"),
    **dict.fromkeys(("dutch", "neerlandais"), "NL"),
    **dict.fromkeys(("belgian", "belge"), "BE"),
    **dict.fromkeys(("swiss", "suisse"), "CH"),
    **dict.fromkeys(("irish", "irlandais"), "IE"),
    **dict.fromkeys(("british", "uk", "anglais", "britannique"), "GB"),
    **dict.fromkeys(("american", "us", "americain"), "US"),
    **dict.fromkeys(("canadian", "canadien"), "CA"),
    **dict.fromkeys(("french", "francais"), "FR"),
}
_OWN_PHONE_WORDS = r"(?:cell(?:phone)?|mobile|phone|number|portable|telephone|numero|tel)"
_OWN_NAMED_PHONE = re.compile(
    rf"(?<![a-z])(?:my|mon|ma)\s+(?:(?P<before>{'|'.join(_NATIONALITIES)})\s+{_OWN_PHONE_WORDS}"
    rf"|{_OWN_PHONE_WORDS}(?:\s+(?:de\s+)?(?:portable|mobile|telephone))?\s+(?P<after>{'|'.join(_NATIONALITIES)}))"
    r"(?![a-z])"
)
_OWN_REACH = 40  # how far after "my Spanish cell" its number may stand
OWN_NAMED = 0.92  # above a number merely labelled "tel", which may be someone else's


def _own_named_numbers(text: str, folded: str) -> Iterable[tuple[PhoneNumberMatch, int]]:
    """Numbers right after "my Spanish cell", read in the plan of the country named."""
    for named in _OWN_NAMED_PHONE.finditer(folded):
        region = _NATIONALITIES[named.group("before") or named.group("after")]
        end = min(line_span(text, named.end(), _OWN_REACH)[1], named.end() + _OWN_REACH)
        for match in PhoneNumberMatcher(text[named.end() : end], region, leniency=Leniency.VALID):
            yield match, named.end()


# Fewer digits than this make a phone number only after a phone label ("Tél. : 4412" in Luxembourg).
_FEWEST_DIGITS = 6

# A number written with its country code ("+44 7700 900 431") after a phone label is the
# customer's even where the numbering plan does not know its range yet.
POSSIBLE = 0.6


class PhoneFinder:
    """`phone`: valid numbers in E.164 form; fax numbers are not how to reach a customer.

    A number that follows a garage's or a lawyer's name is theirs (`third_parties`).
    National numbers are read as numbers of the customer's country (`residence.home_region`);
    numbers of other countries only where the text says they are phones, or on a line of
    their own: those of a country that groups them its own way ("06 12 34 56 78" in France,
    "(917) 555-0132" in North America), or valid in one strict numbering plan only."""

    names = ("phone",)

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return
        text, folded = source.text, fold(source.text)
        envelope = envelope_spans(source.source, folded)
        ibans = Spans(match.span() for match in IBAN_SHAPE.finditer(text))
        seen = Spans()
        home = home_region(source, settings)
        # Numbers abroad are looked for in what the customer wrote, not in long documents.
        written = source_kind(source.source) in ("body", "signature")
        strict = _ABROAD.get(source.language, _ABROAD["fr"])
        others = _OTHER_READINGS.get(source.language, _OTHER_READINGS["fr"])
        if written:
            for match, offset in _own_named_numbers(text, folded):
                start, end = match.start + offset, match.end + offset
                if not seen.overlaps(start, end) and not _inside_token(text, start, end):
                    seen.add(start, end)
                    value = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
                    yield make_field("phone", value, match.raw_string, OWN_NAMED, source)
        for match, abroad in _matches(text, home, strict if written else ()):
            start, end = match.start, match.end
            if (
                seen.overlaps(start, end)
                or envelope.overlaps(start, end)
                or ibans.overlaps(start, end)
                or _inside_token(text, start, end)
                or not _grouped_like_a_phone(match.raw_string)
            ):
                continue
            label = _label_before(text, folded, start)
            if label == "reference" or (abroad and not (label == "phone" or _own_line_national(text, match))):
                continue
            if label != "phone" and sum(char.isdigit() for char in match.raw_string) < _FEWEST_DIGITS:
                continue  # "**** 4412", the end of an account number, is no one's phone
            value = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            if abroad and _other_readings(match.raw_string, value, home, others):
                continue  # "0475 12 34 56": a number of two countries abroad is no one's
            seen.add(start, end)
            if label == "fax" or (written and someone_elses_number(folded, start)):
                continue  # "au garage Martin, 04 78 12 34 56": not how to reach the customer
            confidence = PHONE_LABELLED if label == "phone" else PHONE_WRITTEN
            yield make_field("phone", value, match.raw_string, confidence, source)
        if written:
            yield from _possible_numbers(text, folded, seen, source)


def _label_before(text: str, folded: str, start: int) -> str | None:
    """The kind of the last cue before a number on its line; "reference" only right before it."""
    line_start = line_span(text, start, _LABEL_REACH)[0]
    cues = list(_PHONE_CUES.finditer(folded, line_start, start))
    if not cues:
        return None
    if cues[-1].kind == "reference" and not _AFTER_REFERENCE_LABEL.fullmatch(folded, cues[-1].end, start):
        return None
    return cues[-1].kind


def _possible_numbers(text: str, folded: str, seen: Spans, source: TextSource) -> Iterable[Field]:
    for match in PhoneNumberMatcher(text, "ZZ", leniency=Leniency.POSSIBLE):
        if (
            not seen.overlaps(match.start, match.end)
            and match.raw_string.startswith("+")
            and not phonenumbers.is_valid_number(match.number)  # valid ones were read, or turned down
            and not _inside_token(text, match.start, match.end)
            and _label_before(text, folded, match.start) == "phone"
        ):
            value = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
            yield make_field("phone", value, match.raw_string, POSSIBLE, source)


def _matches(text: str, home: str, strict: tuple[str, ...]) -> Iterable[tuple[PhoneNumberMatch, bool]]:
    """Valid numbers of the `home` region, then, with True, those of the `strict` regions and
    those grouped as only one country groups them (none without `strict`)."""
    plan = national_plan(home)
    for region in plan:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            grouped = grouped_as_in(match.raw_string)
            if not grouped or home in grouped or not strict:
                yield match, False  # "0471 28 64 19" in France is grouped as Belgians group their mobiles
    for region in dict.fromkeys((*strict, *GROUPING_REGIONS)) if strict else ():
        if region in plan:
            continue
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            grouped = grouped_as_in(match.raw_string)
            if (region in strict and not grouped) or region in grouped:
                yield match, True


def _own_line_national(text: str, match: PhoneNumberMatch) -> bool:
    start, end = line_span(text, match.start, len(text))
    raw = match.raw_string.strip()
    national = raw[:1] in "0(" and not raw.startswith("00") and " " in raw
    return text[start:end].strip() == raw and (national or bool(grouped_as_in(raw)))


def _other_readings(raw: str, value: str, home: str, others: tuple[str, ...]) -> bool:
    """Whether a number read abroad is also a valid number of another region, as another number;
    a number grouped as one country groups them is that country's."""
    if grouped_as_in(raw):
        return False
    for region in others:
        if region == home:
            continue
        other = normalise_phone(raw, region)
        if other is not None and other != value:
            return True
    return False


def _grouped_like_a_phone(raw: str) -> bool:
    """ "06/12/34/56/78" is a phone; "06/221874/25" is a file reference, and so is a year before
    a serial ("Denver PD report, case 2026-611874")."""
    if _YEAR_AND_SERIAL.fullmatch(raw.strip()):
        return False
    if "/" not in raw:
        return True
    groups = re.split(r"[/ .\-]+", raw.strip())
    return len({len(group) for group in groups[1:]}) <= 1


_YEAR_AND_SERIAL = re.compile(r"(?:19|20)\d\d[\-/]\d{5,7}")


def _inside_token(text: str, start: int, end: int) -> bool:
    """Digits glued to letters or dashes are part of a reference ("AUT-0612345678")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or before in "-/_" or after.isalnum() or after in "-/_"
