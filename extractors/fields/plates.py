"""Number plates: the national forms people know on sight, and any plate a label names.

    FR   "AB-123-CD" (SIV; no I, O or U), normalised with dashes
    GB   "KX19 PLU": two letters, the age, three letters
    IE   "191-D-22817": the year (and half), the county, a serial
    ZA   "HY 72 BZ GP", "CA 492-187": the province's letters first or last
    IN   "KA 05 MN 4471": the state, the transport office, a series, four digits
    NG   "LSD 412 GH": the local government's letters, three digits, two letters
    KE   "KCB 123A": K, two letters, three digits, a letter

A plate carries no check digit, and its shapes are also those of references, so where one
is read depends on how surely it is one: the dashed French and Irish forms anywhere; any
national form in a sentence about a vehicle ("sold the car yesterday (FG16 WRT)", "une
Peugeot 207 (DM904QA)"); and after a plate's label ("plate CKLM 482", "tag CRX 4471",
"immat. 1234 AB 56") any run of capitals and digits. Plates other than French keep the
form they are written in, in capitals with single spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.fields.base import MAIL_KINDS, make_field, reads_text, source_kind
from extractors.fields.text import LABEL_GAP, NUMBER_SIGN, Spans, fold, phrases, sentence_end, sentence_start
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["PLATE_SHAPE", "PlateFinder", "normalise_plate", "normalise_vehicle_plate"]

# SIV letters: no I, O or U. Blocks SS and WW are not issued first, SS not last, 000 never.
_SIV_LETTERS = "[A-HJ-NP-TV-Z]"
_SIV = rf"{_SIV_LETTERS}{{2}}[\- ]?\d{{3}}[\- ]?{_SIV_LETTERS}{{2}}"
PLATE_SHAPE = re.compile(rf"^{_SIV}$", re.IGNORECASE)
_UK = r"[A-HJ-PR-Y][A-HJ-PR-Y]\d\d ?[A-HJ-PR-Z]{3}"
_UK_FORM = re.compile(_UK, re.IGNORECASE)
_IE_COUNTIES = "C|CE|CN|CW|D|DL|G|KE|KK|KY|L|LD|LH|LK|LM|LS|MH|MN|MO|OY|RN|SO|T|TN|TS|W|WD|WH|WX|WW"
_IE_YEAR = r"(?:\d\d|(?:1[3-9]|[2-9]\d)[12])"
_IE = rf"{_IE_YEAR}(?P<cut>[\- ])(?:{_IE_COUNTIES})(?P=cut)\d{{1,6}}"
_ZA = r"[A-Z]{2,3} ?\d{2,3} ?(?:[A-Z]{2} ?)?(?:GP|MP|NW|EC|FS|NC|ZN)"
# India: the state, its transport office, a series, four digits ("KA 05 MN 4471", "MH12AB1234").
_IN_STATES = (
    "AN|AP|AR|AS|BR|CH|CG|DD|DL|GA|GJ|HR|HP|JK|JH|KA|KL|LA|LD|MP|MH"
    "|MN|ML|MZ|NL|OD|OR|PY|PB|RJ|SK|TN|TS|TR|UP|UK|WB"
)
_IN = rf"(?-i:(?:{_IN_STATES})[ \-]?\d{{1,2}}[ \-]?[A-Z]{{1,3}}[ \-]?\d{{4}})"
# Nigeria: the local government's three letters, three digits, two letters ("LSD 412 GH").
_NG = r"(?-i:[A-Z]{3}[ \-]\d{3}[ \-][A-Z]{2})"
# Kenya: K, two letters, three digits, a letter ("KCB 123A").
_KE = r"(?-i:K[A-Z]{2} ?\d{3} ?[A-Z])"
# New Zealand: three letters, three digits ("LKP738"), in capitals.
_NZ = r"(?-i:[A-Z]{3}\d{3})"
_NATIONAL = re.compile(
    rf"(?<![A-Za-z0-9\-])(?:(?P<siv>{_SIV})|(?P<uk>{_UK})|(?P<ie>{_IE})|(?P<za>{_ZA})|(?P<in>{_IN})|(?P<ng>{_NG})|(?P<ke>{_KE})|(?P<nz>{_NZ}))"
    r"(?![A-Za-z0-9]|-\w)",
    re.IGNORECASE,
)
# The dashed French form may be typed in small letters: "pour la golf gb-730-zk".
_DASHED = re.compile(
    rf"(?<![A-Za-z0-9\-])(?:(?i:{_SIV_LETTERS}{{2}}-\d{{3}}-{_SIV_LETTERS}{{2}})|(?i:{_IE_YEAR}-(?:{_IE_COUNTIES})-\d{{1,6}}))"
    r"(?![A-Za-z0-9\-])"
)
_SIV_LAYOUT = re.compile(r"[A-Z]{2}\d{3}[A-Z]{2}")
# A French plate spelled out letter by letter, as one dictates it: "immatriculée E F 227 B K".
_SPELLED_SIV = re.compile(r"[A-Za-z] [A-Za-z] ?-? ?\d ?\d ?\d ?-? ?[A-Za-z] [A-Za-z](?![A-Za-z0-9])")
# Any plate after its label: one to three groups of capitals and digits.
_ANY = re.compile(r"[A-Z0-9]{1,8}(?:[ \-][A-Z0-9]{1,6}){0,3}(?![A-Za-z0-9])")
# ... or typed in small letters, letters and digits mixed, by one who types everything so:
# "my car is a 2019 outback plate bqz-r17"
_TYPED_SMALL = re.compile(
    r"(?=[a-z0-9\-]*\d)(?=[0-9\-]*[a-z])[a-z0-9]{2,4}(?:-[a-z0-9]{1,4})?(?![A-Za-z0-9\-])"
)

_PLATE_LABEL = re.compile(
    phrases(
        [
            "immatricul*",
            "immat",
            "plaque*",
            "registration",
            "reg",
            "reg no",
            "rego",
            "plate*",
            "license plate",
            "licence plate",
            "numberplate",
            "number plate",
            "tag",
            "vrn",
            "kenteken",
            "kennzeichen",
            "targa",
            "matricula",
        ]
    )
    + rf"(?:\s*{NUMBER_SIGN})?"
)
# Between a plate's label and the plate: "reg no. ", "plate number is ", "immatriculé(e) ",
# "ma plaque c'est " (also typed "cest"), "reg it's ".
_FILLER_WORDS = (
    r"(?:number|no|nr|is|est|c'est|cest|it's|was|plate|\(e\)|de la voiture|du vehicule|of the car)"
    r"\.?(?![a-z])"
)
_LABEL_FILLER = re.compile(rf"{LABEL_GAP}(?:{_FILLER_WORDS}{LABEL_GAP})*")
# One or two words in small letters may qualify a label: "plaque suisse VD 123456".
_QUALIFIER = re.compile(r"(?:[a-zà-ÿ'’]+[ \t]+){1,2}")
# Companies are registered too: "Company reg. no. SC123456", "VAT registration GB 123 4567 89".
_NOT_A_VEHICLE = re.compile(
    phrases("company companies co vat tva tax gst sst charity business rcs trade".split()) + r"[\s.]*$"
)
_VEHICLE_WORDS = [
    *"car cars car's vehicle vehicles van motorbike motorcycle scooter truck lorry".split(),
    # a road accident names the car as surely: "(the accident on 21 November, Fiesta FN70 WQA)"
    *"accident collision crash".split(),
    *"pickup suv camper campervan motorhome caravan trailer".split(),
    *"voiture voitures vehicule vehicules auto automobile moto camionnette".split(),
    *"camping-car fourgon".split(),
    # makes, which name the car as surely ("our Citroën C3 (EZ 771 HN)")
    *"alfa audi bmw chevrolet chrysler citroen cupra dacia dodge fiat ford honda hyundai".split(),
    *"jaguar jeep kia lexus mazda mercedes mini mitsubishi nissan opel peugeot porsche".split(),
    *"renault seat skoda subaru suzuki tesla toyota vauxhall volkswagen vw volvo".split(),
    # and the models people name their car by ("la clio blanche gk 208 vb", "a black corsa yd68 rke")
    *"clio megane twingo captur kangoo zoe scenic sandero duster logan jogger corsa astra mokka".split(),
    *"fiesta focus kuga puma transit golf polo passat tiguan touran yaris corolla aygo rav4".split(),
    *"qashqai juke micra leaf civic jazz octavia fabia leon ibiza arona punto panda tipo".split(),
    *"berlingo picasso partner outback impreza hilux ranger sprinter vito swift".split(),
]
_VEHICLE = re.compile(phrases(_VEHICLE_WORDS))
# Right after the vehicle it is on, a French or British plate may be spaced or in lower case ("ma
# voiture BV 332 TL", "my car (dz 114 mf)", "car is a black corsa yd68 rke").
_PLATE_AFTER_VEHICLE = re.compile(
    phrases(_VEHICLE_WORDS) + rf"[^\n\d]{{0,20}}?(?<![a-z0-9])(?P<value>{_SIV}|{_UK})(?![a-z0-9\-])",
    re.IGNORECASE,
)
# "my car is NQT482", "car is S418BKW": a vehicle said to be a run of capitals and digits, which
# is its plate whatever its country's form (New Zealand's, South Australia's).
_VEHICLE_IS = re.compile(
    r"(?<![A-Za-z])(?i:car|vehicle|van|ute|truck|voiture|vehicule|véhicule)(?:'s)?"
    r"[ \t]+(?i:is|est|c'est)[ \t]+"
    r"(?P<value>(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{5,8})(?![A-Za-z0-9\-])"
)
# A sentence about the other party's vehicle: its plate is not the customer's.
_OTHER_PARTY = re.compile(
    phrases(
        [
            "other vehicle",
            "other car",
            "other driver",
            "third party",
            "third-party",
            "their car",
            # "we swapped details, his reg is 08-D-22716", "on a échangé nos coordonnées, sa plaque c'est"
            "swapped details",
            "exchanged details",
            "echange nos coordonnees",
            "echange les coordonnees",
            "sa plaque",
            "his reg",
            "her reg",
            "their reg",
            "autre vehicule",
            "autre voiture",
            "adverse",
            "tiers",
        ]
    )
)

# The customer's own vehicle named right before its plate, whatever the sentence says of the
# other party: "we swapped details, his reg is 08-D-22716\nmy car is 202-c-4417".
_OWN_VEHICLE_BEFORE = re.compile(
    r"(?<![a-z])(?:my|our|ma|mon|notre)\s+(?:car|van|vehicle|reg|rego|plate|voiture|vehicule|plaque|immat\w*)"
    r"(?:\s+(?:is|est|c'est|cest|number|no\.?))*(?:\s+(?:la|le|the|a|an|un|une)(?:\s+[a-z\-]+){1,2})?\s*[:=]?\s*$"
)
_SENTENCE_REACH = 160
_LABEL_REACH = 40  # how far before a plate its label may sit

LABELLED = 0.95
AFTER_VEHICLE = 0.8
PLATE_DASHED = 0.75
IN_VEHICLE_SENTENCE = 0.75
OTHER_PARTY = 0.15  # less for a plate in a sentence about the other party


def normalise_plate(text: str) -> str | None:
    """A French SIV plate as "AB-123-CD", or None."""
    compact = re.sub(r"[\s\-]", "", text.strip()).upper()
    if not PLATE_SHAPE.match(compact):
        return None
    first, digits, last = compact[:2], compact[2:5], compact[5:]
    if first in ("SS", "WW") or last == "SS" or digits == "000":
        return None
    return f"{first}-{digits}-{last}"


def normalise_vehicle_plate(text: str) -> str | None:
    """A plate in its usual form: French "AB-123-CD", British "KX19 PLU", Irish
    "191-D-22817"; any other in capitals with single spaces ("CA 492-187", "8KTR512").
    None for what no plate looks like (no digit, no letter, too short or too long)."""
    written = " ".join(text.split()).upper()
    national = _NATIONAL.fullmatch(written)
    if national is not None:
        return _national_form(national)
    compact = re.sub(r"[ \-]", "", written)
    if _SIV_LAYOUT.fullmatch(compact):
        return None  # "AI-123-CD": the French layout, with letters France does not issue
    if not (
        _ANY.fullmatch(written) and 4 <= len(compact) <= 8 and not compact.isdigit() and not compact.isalpha()
    ):
        return None
    return written


def _national_form(match: re.Match[str]) -> str | None:
    raw = match.group(0).upper()
    if match.group("siv"):
        return normalise_plate(raw)
    if match.group("uk"):
        compact = raw.replace(" ", "")
        return f"{compact[:4]} {compact[4:]}"
    if match.group("ie"):
        return raw.replace(" ", "-")
    return " ".join(raw.split())


class PlateFinder:
    """`vehicle_plate`."""

    names = ("vehicle_plate",)

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        if not reads_text(source.source):
            return []
        text, folded = source.text, fold(source.text)
        seen = Spans()
        fields = [
            *_labelled(text, folded, source, seen),
            *_after_vehicle(text, folded, source, seen),
            *_vehicle_is(text, folded, source, seen),
            *_in_vehicle_sentences(text, folded, source, seen),
        ]
        for match in _DASHED.finditer(text):
            if not seen.overlaps(match.start(), match.end()) and (
                plate := normalise_vehicle_plate(match.group(0))
            ):
                fields.append(
                    _field(plate, match.group(0), PLATE_DASHED, text, folded, match.start(), source)
                )
        return fields


def _field(
    plate: str, raw: str, confidence: float, text: str, folded: str, start: int, source: TextSource
) -> Field:
    if _OWN_VEHICLE_BEFORE.search(folded, max(0, start - _LABEL_REACH), start):
        return make_field("vehicle_plate", plate, raw, max(confidence, LABELLED), source)
    sentence = sentence_start(folded, start, _SENTENCE_REACH), sentence_end(folded, start, _SENTENCE_REACH)
    if _OTHER_PARTY.search(folded, *sentence):
        confidence -= OTHER_PARTY
    return make_field("vehicle_plate", plate, raw, confidence, source)


def _labelled(text: str, folded: str, source: TextSource, seen: Spans) -> Iterable[Field]:
    """Plates after their label: a national form in any case, any other in capitals (and
    only in mail: documents number many things "registration")."""
    anything = source_kind(source.source) in MAIL_KINDS
    for label in _PLATE_LABEL.finditer(folded):
        line_start = text.rfind("\n", 0, label.start()) + 1
        if _NOT_A_VEHICLE.search(folded, max(line_start, label.start() - _LABEL_REACH), label.start()):
            continue
        start = _LABEL_FILLER.match(folded, label.end()).end()  # type: ignore[union-attr]
        spelled = _SPELLED_SIV.match(text, start)
        if spelled is not None and (plate := normalise_plate(re.sub(r"[ \-]", "", spelled.group(0)))):
            seen.add(start, spelled.end())
            yield _field(plate, spelled.group(0), LABELLED, text, folded, start, source)
            continue
        written = _NATIONAL.match(text, start) or (_ANY.match(text, start) if anything else None)
        qualified = _QUALIFIER.match(text, start)
        if written is None and anything and qualified is not None:
            start = qualified.end()
            written = _ANY.match(text, start)
        if written is None and anything:
            written = _TYPED_SMALL.match(text, start)
        if written is None:
            continue
        raw = written.group(0)
        # A national form, or any other: None for a series never issued ("SS-123-AB")
        plate = _national_form(written) if written.re is _NATIONAL else normalise_vehicle_plate(raw.upper())
        if plate is None:
            continue
        seen.add(start, start + len(raw))
        yield _field(plate, raw, LABELLED, text, folded, start, source)


def _after_vehicle(text: str, folded: str, source: TextSource, seen: Spans) -> Iterable[Field]:
    for match in _PLATE_AFTER_VEHICLE.finditer(folded):
        start, end = match.span("value")
        raw = text[start:end]
        british = _UK_FORM.fullmatch(raw) is not None
        plate = normalise_plate(raw) or (normalise_vehicle_plate(raw.upper()) if british else None)
        if not seen.overlaps(start, end) and plate is not None:
            seen.add(start, end)
            yield _field(plate, raw, AFTER_VEHICLE, text, folded, start, source)


def _vehicle_is(text: str, folded: str, source: TextSource, seen: Spans) -> Iterable[Field]:
    for match in _VEHICLE_IS.finditer(text):
        start, end = match.span("value")
        raw = match.group("value")
        if not seen.overlaps(start, end) and (plate := normalise_vehicle_plate(raw)) is not None:
            seen.add(start, end)
            yield _field(plate, raw, AFTER_VEHICLE, text, folded, start, source)


def _in_vehicle_sentences(text: str, folded: str, source: TextSource, seen: Spans) -> Iterable[Field]:
    """National forms in capitals in a sentence that names a vehicle: "sold the car (FG16 WRT)"."""
    for match in _NATIONAL.finditer(text):
        start, end = match.span()
        raw = match.group(0)
        if seen.overlaps(start, end) or raw != raw.upper():
            continue
        sentence = sentence_start(folded, start, _SENTENCE_REACH), sentence_end(folded, end, _SENTENCE_REACH)
        if _VEHICLE.search(folded, *sentence) and (plate := _national_form(match)):
            seen.add(start, end)
            yield _field(plate, raw, IN_VEHICLE_SENTENCE, text, folded, start, source)
