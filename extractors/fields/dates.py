"""Dates: the written forms customers and documents use, and which date is which.

A date is found by its shape (`extractors.fields.written_dates`). Which field
a date fills is read from the words around it: the nearest cue before it
("date de facture :", "survenu le"), else the words of its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from extractors.fields.base import envelope_spans, make_field, reads_text, source_kind
from extractors.fields.date_words import DATE_CUES
from extractors.fields.text import (
    Cue,
    Spans,
    fold,
    header_line_spans,
    sentence_end,
    sentence_start,
)
from extractors.fields.written_dates import (
    FoundDate,
    find_dates,
    find_relative_dates,
    find_yearless_dates,
    numeric_date,
    weekday_pattern,
)
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["DateFinder", "yearless_date_fields"]

_CUES = DATE_CUES  # cue kinds: which field a cue points to (see `date_words`)
# A cue for another event ("déclaré le", "due date") or an incident verb ("survenu")
# governs a date more surely than a noun met earlier in the sentence.
_BIAS = {"incident_verb": -25, "other": -25, "incident": 0, "invoice": 0, "date": 0}
_AFTER_PENALTY = 15  # a cue after the date counts less than one before it
_GOVERNED_WITHIN = 40  # how far back a verb of another event governs an incident noun
_PAST = re.compile(r"(?:é|ée|és|ées|ed|sent|sold|bought|vendue?s?)$", re.IGNORECASE)
_AFTER_KINDS = frozenset({"incident_verb", "incident", "other"})
_DIRECT_GAP = re.compile(
    rf"[\s:.,\-(]*(?:(?:du|le|en date du|of|on|the|at|:|{weekday_pattern()})[\s:.,\-]*)*"
)
_FIELD_OF_KIND = {"incident_verb": "incident_date", "incident": "incident_date", "invoice": "invoice_date"}
# A document that bills something; till receipts rarely call themselves receipts, but print a total.
_INVOICE_DOCUMENT = re.compile(
    r"factur|invoice|receipt|recu n|ticket|quittance|note d'honoraires|\btotal\b"
    r"|rechnung|faktura|\bcash\b|\bchange\b|\bsubtotal\b|\bgst\b|\bqty\b|\brounding\b"
)
# "du 20 au 27 octobre", "from 20 to 27 October": a stay or a cover, whose end is no event.
_PERIOD_END = re.compile(
    r"(?<![a-z])(?:du|from(?:\s+the)?)\s+\d{1,2}(?:er|st|nd|rd|th)?\s*(?:au|to|-)\s*(?:the\s+)?$"
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
YEARLESS_PENALTY = 0.05  # "le 3 mars": its year is the mail's, or the one before
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


def yearless_date_fields(source: TextSource, received: date, settings: ParsingSettings) -> Iterator[Field]:
    """Dates the customer writes without a year in a mail received on `received` ("survenu
    le 3 mars", "on Wednesday 7 October", "hier", "last Tuesday", "le 3/11"), read like the
    others with a little less confidence."""
    if source_kind(source.source) not in ("body", "subject"):
        return
    folded = fold(source.text)
    written = [(found.start, found.end) for found in find_dates(folded, settings.day_first)]
    taken = Spans([*header_line_spans(folded), *written])  # a reply's header, a date with its year
    relative = list(find_relative_dates(folded, received, settings.day_first))
    for found in [*relative, *find_yearless_dates(folded, received)]:
        period_end = _PERIOD_END.search(folded, max(0, found.start - 30), found.start)
        if period_end or taken.overlaps(found.start, found.end):
            continue
        taken.add(found.start, found.end)
        name, confidence = _classify(source.text, folded, found, False)
        if name is not None:
            raw = source.text[found.start : found.end]
            yield make_field(name, found.value.isoformat(), raw, confidence - YEARLESS_PENALTY, source)


def _scattered_dates(
    source: TextSource, folded: str, dates: list[FoundDate], day_first: bool
) -> Iterator[Field]:
    regular = Spans((found.start, found.end) for found in dates)
    for match in _SCATTERED.finditer(folded):
        start, end = match.start("d"), match.end()
        value = numeric_date(int(match.group("d")), int(match.group("m")), int(match.group("y")), day_first)
        if value is not None and not regular.overlaps(start, end):
            yield make_field("invoice_date", value.isoformat(), source.text[start:end], SCATTERED, source)
