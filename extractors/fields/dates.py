"""Dates: the written forms customers and documents use, and which date is which.

A date is found by its shape (regexes over folded text; month names come from
the Unicode CLDR data in babel, in French and English) and turned into a
`datetime.date` by the standard library, which also rejects impossible dates.
Which field a date fills is read from the words around it: the nearest cue
before it ("date de facture :", "survenu le"), else the words of its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel.dates import get_day_names, get_month_names

from extractors.fields.base import envelope_spans, make_field, reads_text, source_kind
from extractors.fields.text import (
    Cue,
    CueMatcher,
    Spans,
    fold,
    sentence_end,
    sentence_start,
)
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["DateFinder", "FoundDate", "find_dates", "normalise_date"]

# French and English mail; German and Dutch month names are printed on invoices from abroad.
_LOCALES = ("fr", "en", "de", "nl")
_MIN_PREFIX = 3  # "fév", "sept", "dec": month abbreviations people type, beyond CLDR's own


@cache
def _month_numbers() -> dict[str, int]:
    """Folded month name (wide, abbreviated, and unambiguous prefixes) -> 1..12."""
    names: dict[str, int] = {}
    for locale in _LOCALES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, "format", locale).items():
                names.setdefault(fold(name).rstrip("."), number)
    prefixes: dict[str, set[int]] = {}
    for name, number in list(names.items()):
        for length in range(_MIN_PREFIX, len(name)):
            prefixes.setdefault(name[:length], set()).add(number)
    for prefix, numbers in prefixes.items():
        if len(numbers) == 1:
            names.setdefault(prefix, numbers.pop())
    return names


def _month_pattern() -> str:
    return "|".join(sorted(_month_numbers(), key=len, reverse=True))


def _weekday_pattern() -> str:
    """Day names, which may stand between a cue and its date ("survenu le lundi 3 mars")."""
    names = {
        fold(name).rstrip(".")
        for locale in _LOCALES
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, locale=locale).values()
    }
    return "|".join(sorted(names, key=len, reverse=True))


_ORDINAL = r"(?:er|re|st|nd|rd|th|eme|e|\.)?"  # "1er", "9th", "7." (German)
_MONTH = rf"(?:{_month_pattern()})\.?(?![a-z])"
_DATE = re.compile(
    # 14 mars 2025, 1er avril 2025, 9th of April 2025, 14-mars-2025
    rf"(?<![\d])(?P<td>\d{{1,2}}){_ORDINAL}[\s\-]*(?:of\s+|de\s+)?(?P<tm>{_MONTH})[\s,\-]*(?P<ty>\d{{4}})(?!\d)"
    # 02/JAN/2017, 24-Mar-18 (receipts)
    rf"|(?<![\d/.\-])(?P<sd>\d{{1,2}})(?P<ssep>[/.\-])(?P<sm>{_MONTH})(?P=ssep)(?P<sy>\d{{4}}|\d{{2}})(?![\d]|[/\-.]\d)"
    # April 9, 2025; Mar 3rd 2025
    rf"|(?P<em>{_MONTH})\s*(?P<ed>\d{{1,2}}){_ORDINAL}(?:\s*,\s*|\s+)(?P<ey>\d{{4}})(?!\d)"
    # 2025-03-14, 2025/03/14
    r"|(?<![\d/.\-])(?P<iy>\d{4})(?P<isep>[\-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})(?![\d]|[/\-.]\d)"
    # 14/03/2025, 14.03.2025, 14-03-25; receipts glue a label's dash to it ("Date -08/05/18")
    r"|(?<![\d/.])(?<!\d-)(?P<na>\d{1,2})(?P<nsep>[/.\-])(?P<nb>\d{1,2})(?P=nsep)(?P<ny>\d{4}|\d{2})"
    r"(?![\d]|[/\-]\d|\.\d)"
)
_CENTURY_PIVOT = 70  # "14/03/25" is 2025, "03/07/85" is 1985


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    value: date


def _make_date(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric(first: int, second: int, year: int, day_first: bool) -> date | None:
    day, month = (first, second) if day_first else (second, first)
    found = _make_date(year, month, day)
    if found is None and month > 12:
        # Only an order that cannot be read the configured way is read the other way.
        found = _make_date(year, day, month)
    return found


def _to_date(match: re.Match[str], day_first: bool) -> date | None:
    group = match.group
    months = _month_numbers()
    if group("td"):
        return _make_date(int(group("ty")), months[group("tm").rstrip(".")], int(group("td")))
    if group("em"):
        return _make_date(int(group("ey")), months[group("em").rstrip(".")], int(group("ed")))
    if group("sd"):
        return _make_date(_full_year(int(group("sy"))), months[group("sm").rstrip(".")], int(group("sd")))
    if group("iy"):
        return _make_date(int(group("iy")), int(group("im")), int(group("id")))
    return _numeric(int(group("na")), int(group("nb")), _full_year(int(group("ny"))), day_first)


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    return year + (2000 if year < _CENTURY_PIVOT else 1900)


def find_dates(folded: str, day_first: bool = True) -> Iterator[FoundDate]:
    """Every valid date written in `folded` text, in order."""
    for match in _DATE.finditer(folded):
        value = _to_date(match, day_first)
        if value is not None:
            yield FoundDate(match.start(), match.end(), value)


def normalise_date(text: str, day_first: bool = True) -> date | None:
    """The first valid date written in `text` ("le 14 mars 2025", "14/03/25"), or None."""
    return next((found.value for found in find_dates(fold(text), day_first)), None)


# Cue kinds: which field a cue points to, and how it weighs against others.
_CUES = CueMatcher(
    {
        "incident_verb": [
            "survenu*",
            "s'est produit*",
            "se sont produit*",
            "a eu lieu",
            "ont eu lieu",
            "s'est passe*",
            "s'est declare*",
            "occurred",
            "occured",
            "happened",
            "took place",
            "date du sinistre",
            "date de survenance",
            "date de l'accident",
            "date de l'incident",
            "date du vol",
            "date des faits",
            "date of loss",
            "date of the loss",
            "date of incident",
            "date of the incident",
            "date of accident",
            "date of the accident",
            "loss date",
            "incident date",
            "accident date",
        ],
        "incident": [
            "sinistre",
            "accident*",
            "degat*",
            "vol",
            "vole",
            "volee",
            "voles",
            "volees",
            "cambriol*",
            "incendie",
            "incident",
            "inondation",
            "inonde*",
            "tempete",
            "grele",
            "bris de glace",
            "collision",
            "accroch*",
            "percut*",
            "fuite",
            "ma voiture",
            "mon vehicule",
            "notre voiture",
            "my car",
            "my vehicle",
            "our car",
            "theft",
            "stolen",
            "damage*",
            "fire",
            "flood*",
            "burglary",
            "burgled",
            "break-in",
            "broken into",
            "crash*",
            "leak*",
            "loss",
            "storm*",
            "orage*",
            "burst",
            "eclat*",
            "fell",
            "tombe*",
            "chute",
            "ill",
            "sick",
            "malade",
            "injur*",
            "blesse*",
            "panne",
            "breakdown",
            "broke down",
            "fissur*",
            "gravillon",
            "impact",
            "effraction",
            "forcer",
            "force",
            "forcee",
            "fractur*",
            "detrui*",
            "destroy*",
            "casse*",
            "broken",
            "smash*",
            "fui",
            "rupture",
            "hail",
            "lightning",
            "foudre",
            "vandal*",
        ],
        "invoice": [
            "factur*",
            "invoice*",
            "date d'emission",
            "emis le",
            "emise le",
            "issued",
            "date of issue",
            "issue date",
            "billing date",
            "bill date",
            "receipt",
            "ticket de caisse",
            "quittance",
            "rechnungsdatum",
            "rechnung*",
            "factuur*",
            "faktura",
        ],
        "other": [
            "echeance",
            "due",
            "payable",
            "avant le",
            "au plus tard",
            "paiement",
            "payment",
            "livraison",
            "delivery",
            "delivered",
            "naissance",
            "ne le",
            "nee le",
            "born",
            "birth",
            "valable",
            "valid*",
            "expir*",
            "periode",
            "period",
            "declar*",
            "reported",
            "envoy*",
            "sent",
            "recu le",
            "received",
            "rendez-vous",
            "appointment",
            "rdv",
            "expertise",
            "expert*",
            "date d'effet",
            "effective",
            "souscri*",
            "commande",
            "order*",
            "signe*",
            "signed",
            "votre courrier",
            "your letter",
            "date limite",
            "deadline",
            "prochain*",
            "next",
            "passage",
            "sold",
            "vendu*",
            "bought",
            "achete*",
            "moved",
            "demenag*",
        ],
        "date": ["date", "dated", "datum"],
    }
)
# A cue for another event ("déclaré le", "due date") or an incident verb ("survenu")
# governs a date more surely than a noun met earlier in the sentence.
_BIAS = {"incident_verb": -25, "other": -25, "incident": 0, "invoice": 0, "date": 0}
_AFTER_PENALTY = 15  # a cue after the date counts less than one before it
_GOVERNED_WITHIN = 40  # how far back a verb of another event governs an incident noun
_PAST = re.compile(r"(?:é|ée|és|ées|ed|sent|sold|bought|vendue?s?)$", re.IGNORECASE)
_AFTER_KINDS = frozenset({"incident_verb", "incident", "other"})
_DIRECT_GAP = re.compile(
    rf"[\s:.,\-(]*(?:(?:du|le|en date du|of|on|the|at|:|{_weekday_pattern()})[\s:.,\-]*)*"
)
_FIELD_OF_KIND = {"incident_verb": "incident_date", "incident": "incident_date", "invoice": "invoice_date"}
# A document that bills something; till receipts rarely call themselves receipts, but print a total.
_INVOICE_DOCUMENT = re.compile(
    r"factur|invoice|receipt|recu n|ticket|quittance|note d'honoraires|\btotal\b"
    r"|rechnung|faktura|\bcash\b|\bchange\b|\bsubtotal\b|\bgst\b|\bqty\b|\brounding\b"
)
_PERIOD_JOIN = re.compile(r"\s*(?:au|to|-|a|until|jusqu'au|through|thru)\s*")

# OCR of till receipts scatters the separators of a labelled date: "Date : 20- -06- 2018",
# "Date 09 06 2018". Read only right after a "date" label, where no regular date was found.
_SCATTERED = re.compile(
    r"(?<![a-z])date[ \t]*[:.+\-]?[ \t]*(?P<d>\d{1,2})[ \t/.\-]{1,4}(?P<m>\d{1,2})[ \t/.\-]{1,4}"
    r"(?P<y>\d{4})(?!\d)"
)

DIRECT = 0.9  # "Date du sinistre : 14/03/2025", "survenu le 14 mars 2025"
IN_SENTENCE = 0.75  # a cue earlier in the sentence
AFTER = 0.7  # "le 14 mars, ma voiture a été volée"
DOCUMENT = 0.5  # a date on an invoice or receipt, with no cue at all
SCATTERED = 0.6  # "Date : 20- -06- 2018" on a receipt


def _classify(text: str, folded: str, found: FoundDate, invoice_document: bool) -> tuple[str | None, float]:
    """Which field a date fills, and how sure we are; (None, 0) for no field."""
    start, end = found.start, found.end
    window = sentence_start(folded, start, 120)
    if invoice_document:
        # A bill is read line by line (its "sentences" run across a whole receipt): the
        # date's own line, or the line above when the date stands alone on its line.
        line_start = folded.rfind("\n", 0, start) + 1
        above = folded.rfind("\n", 0, max(0, line_start - 1)) + 1
        alone = not folded[line_start:start].strip(" \t:.-")
        labels_it = alone and not any(char.isdigit() for char in folded[above:line_start])
        window = max(window, above if labels_it else line_start)
    before = list(_CUES.finditer(folded, window, start))
    if before and _DIRECT_GAP.fullmatch(folded, before[-1].end, start):
        return _direct_field(text, folded, before, invoice_document), DIRECT
    scored = [
        (start - cue.end + _BIAS[cue.kind], cue.kind, IN_SENTENCE) for cue in before if cue.kind != "date"
    ]
    after = _CUES.finditer(folded, end, sentence_end(folded, end, 80))
    scored += [
        (cue.start - end + _AFTER_PENALTY + _BIAS[cue.kind], cue.kind, AFTER)
        for cue in after
        if cue.kind in _AFTER_KINDS
    ]
    if scored:
        _, kind, confidence = min(scored)
        return _FIELD_OF_KIND.get(kind), confidence
    return ("invoice_date", DOCUMENT) if invoice_document else (None, 0.0)


def _direct_field(text: str, folded: str, before: list[Cue], invoice_document: bool) -> str | None:
    """The field of a cue right before a date; a bare "Date :" takes its meaning from
    a cue earlier on its line ("Sinistre - date : ..."), else from the document."""
    nearest = before[-1]
    if nearest.kind == "incident":
        # "J'ai déclaré le sinistre le 20/03": a past verb dates the declaration, not the
        # loss ("je vous déclare un sinistre : le 14/03" still dates the loss).
        governed = [cue for cue in before[:-1] if nearest.start - cue.end <= _GOVERNED_WITHIN]
        past_event = any(cue.kind == "other" and _PAST.search(text, cue.start, cue.end) for cue in governed)
        if past_event and not any(cue.kind == "incident_verb" for cue in governed):
            return None
    if nearest.kind != "date":
        return _FIELD_OF_KIND.get(nearest.kind)
    line_start = folded.rfind("\n", 0, nearest.start) + 1
    # Only a cue of the same label counts, not one before another value ("Order 12 Date :").
    earlier = [
        cue
        for cue in before[:-1]
        if cue.start >= line_start
        and cue.kind != "date"
        and not any(char.isdigit() for char in folded[cue.end : nearest.start])
    ]
    if earlier:
        return _FIELD_OF_KIND.get(earlier[-1].kind)
    return "invoice_date" if invoice_document else None


def _in_periods(folded: str, dates: list[FoundDate]) -> set[int]:
    """Indexes of dates that bound a period ("du 01/03/2025 au 31/03/2025")."""
    inside: set[int] = set()
    for index, (first, second) in enumerate(zip(dates, dates[1:], strict=False)):
        if _PERIOD_JOIN.fullmatch(folded, first.end, second.start):
            inside.update((index, index + 1))
    return inside


class DateFinder:
    """`incident_date` and `invoice_date`, in ISO form."""

    names = ("incident_date", "invoice_date")

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        kind = source_kind(source.source)
        if not reads_text(source.source):
            return
        folded = fold(source.text)
        envelope = envelope_spans(source.source, folded)
        invoice_document = kind == "attachment" and bool(_INVOICE_DOCUMENT.search(folded))
        dates = list(find_dates(folded, settings.day_first))
        periods = _in_periods(folded, dates)
        for index, found in enumerate(dates):
            if index in periods or envelope.overlaps(found.start, found.end):
                continue
            name, confidence = _classify(source.text, folded, found, invoice_document)
            if name is not None:
                raw = source.text[found.start : found.end]
                yield make_field(name, found.value.isoformat(), raw, confidence, source)
        if invoice_document:
            yield from _scattered_dates(source, folded, dates, settings.day_first)


def _scattered_dates(
    source: TextSource, folded: str, dates: list[FoundDate], day_first: bool
) -> Iterator[Field]:
    regular = Spans((found.start, found.end) for found in dates)
    for match in _SCATTERED.finditer(folded):
        start, end = match.start("d"), match.end()
        value = _numeric(int(match.group("d")), int(match.group("m")), int(match.group("y")), day_first)
        if value is not None and not regular.overlaps(start, end):
            yield make_field("invoice_date", value.isoformat(), source.text[start:end], SCATTERED, source)
