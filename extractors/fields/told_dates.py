"""Days a customer tells of, not labels: the dates written without their year, and the
dates of a mail about a claim that only words of harm name.

`yearless_date_fields` reads the days a mail names without a year ("survenu le 3 mars",
"hier", "samedi soir", "le 3/11"), from the date of the mail or of the quoted mail they are
in, and classifies them as `dates` does, with a little less confidence. In a mail about a
claim (`mentions_a_claim`), a day told with a word of harm or care ("de l'eau coulait",
"admitted") or as a night, and nothing else in its sentence to say what it is, is the
incident's; so is a day that opens a sentence when the next sentence tells the harm ("On
Tuesday 20th at 11am the van was parked outside. When I came back a lorry had clipped it"),
and a date written whole that only such words name. A day the customer is unsure of or
speaks of as the future is none (`date_doubts`). Of the days told as the incident, the first
is kept (`first_told_incident`): what followed comes after.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time

from extractors.fields.base import make_field, source_kind
from extractors.fields.date_doubts import ahead, day_unknown, soon_after, taken_back, unsure
from extractors.fields.date_words import DATE_CUES
from extractors.fields.dates import (
    DIRECT,
    FRONTED_REACH,
    IN_SENTENCE,
    OPENING,
    TOLD,
    YEARLESS_PENALTY,
    admitted_before,
    classify_date,
    day_first_in,
)
from extractors.fields.incident_words import CLAIM_WORDS
from extractors.fields.relative_dates import find_relative_dates, night_spans, shifted
from extractors.fields.select import source_rank
from extractors.fields.sent_dates import written_parts
from extractors.fields.text import Spans, fold, header_line_spans, sentence_end, sentence_start
from extractors.fields.written_dates import FoundDate, find_dates, find_yearless_dates, weekday_pattern
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = ["first_told_incident", "mentions_a_claim", "yearless_date_fields"]

_TOLD_KINDS = (
    "body",
    "subject",
    "quoted",
    "note",
)  # what a customer writes, the reply they quote, a forwarder's note

_LABELLED = DIRECT - YEARLESS_PENALTY  # a date right after its label, with or without its year
# "du 20 au 27 octobre", "du samedi 24 au samedi 31", "from 20 to 27 October": a stay or a
# cover, whose ends are no event.
_PERIOD_END = re.compile(
    rf"(?<![a-z])(?:(?:du|from(?:\s+the)?)\s+(?:(?:{weekday_pattern()})\s+)?\d{{1,2}}(?:er|st|nd|rd|th)?"
    rf"\s*(?:au|to|-)|jusqu'au|jusqu'a|until|till|up\s+to)\s*(?:the\s+|le\s+)?(?:(?:{weekday_pattern()})\s+)?$"
)
_PERIOD_START = re.compile(
    rf"\s*(?:au|to|until|till|jusqu'au|-)\s*(?:le\s+|the\s+)?(?:(?:{weekday_pattern()})\s+)?\d"
)


def yearless_date_fields(
    source: TextSource, received: date | datetime, settings: ParsingSettings, *, about_a_claim: bool = False
) -> Iterator[Field]:
    """Dates the customer writes without a year in a mail received on `received` ("survenu
    le 3 mars", "on Wednesday 7 October", "hier", "samedi soir", "le 3/11"), read like the
    others with a little less confidence; in a mail it quotes, from that mail's own date. In
    a mail `about_a_claim`, a day told with a word of harm or care, or as a night, with no
    cue in its sentence, is the incident's."""
    if source_kind(source.source) not in _TOLD_KINDS:
        return
    folded = fold(source.text)
    day_first = day_first_in(source, settings)
    nights = Spans(night_spans(folded))
    whole = [found for found in find_dates(folded, day_first) if not nights.overlaps(found.start, found.end)]
    written = [(found.start, found.end) for found in whole]
    taken = Spans([*header_line_spans(folded), *written])  # a reply's header, a date with its year
    kept: list[FoundDate] = []
    admissions: set[int] = set()  # "hospitalisée du 3 au 6 novembre": the stay's first day is the claim's
    for found in _days_named(folded, source.sent or received, day_first, source.country):
        if taken.overlaps(found.start, found.end):
            continue
        if _bounds_a_period(folded, found):
            if not (_PERIOD_START.match(folded, found.end) and admitted_before(folded, found.start)):
                continue
            admissions.add(found.start)
        taken.add(found.start, found.end)
        kept.append(shifted(folded, found))
    every_date = sorted([*(start for start, _ in written), *(found.start for found in kept)])
    gone = taken_back(folded, sorted([*written, *((found.start, found.end) for found in kept)]))
    doubted = day_unknown(folded)
    day = received.date() if isinstance(received, datetime) else received
    for found in kept:
        if found.start in gone:
            continue
        told = about_a_claim and _alone_in_its_sentence(folded, found, every_date, kept)
        following = next((start for start in every_date if start > found.start), None)
        name, confidence = classify_date(source.text, folded, found, False, told, following)
        if found.start in admissions:
            name, confidence = "incident_date", IN_SENTENCE
        if name is None:  # a day meant instead of one taken back is what that one was told as
            name, confidence = _as_the_day_taken_back(source.text, folded, found, kept, gone)
        if told and name is None and confidence == 0.0 and _harm_told_next(folded, found, every_date):
            name, confidence = "incident_date", TOLD
        if name == "incident_date" and (
            doubted or unsure(folded, found) or ahead(folded, found) or soon_after(found, day)
        ):
            continue
        if name is not None:
            raw = source.text[found.start : found.end]
            yield make_field(name, found.value.isoformat(), raw, confidence - YEARLESS_PENALTY, source)
    if about_a_claim and not doubted:
        yield from _told_whole_dates(source, folded, whole, every_date, gone)


def _told_whole_dates(
    source: TextSource, folded: str, whole: list[FoundDate], every_date: list[int], gone: set[int]
) -> Iterator[Field]:
    """Dates written whole ("14.10.26", "10/14/2026") that nothing in their sentence names but
    words of harm ("the drain overflowed", "the sewer backed up"), alone there in a mail about a
    claim: read as days named without their year are (`DateFinder` reads no such words)."""
    for found in whole:
        if found.start in gone or _bounds_a_period(folded, found) or unsure(folded, found):
            continue
        found = shifted(folded, found)
        if classify_date(source.text, folded, found, False) != (None, 0.0):
            continue  # named by its words, or no incident's: `DateFinder` has read it
        if not _alone_in_its_sentence(folded, found, every_date, [found]):
            continue
        name, confidence = classify_date(source.text, folded, found, False, told=True)
        if name is None and confidence == 0.0 and _harm_told_next(folded, found, every_date):
            name, confidence = "incident_date", TOLD
        if name == "incident_date":
            raw = source.text[found.start : found.end]
            yield make_field(name, found.value.isoformat(), raw, confidence, source)


def _as_the_day_taken_back(
    text: str, folded: str, found: FoundDate, kept: list[FoundDate], gone: dict[int, int]
) -> tuple[str | None, float]:
    """ "le mardi 13 octobre, un gravillon a fait un impact sur mon pare-brise... pardon, je me
    trompe, c'était le mercredi 14": what the day taken back was told as, for the day meant."""
    for wrong in kept:
        if gone.get(wrong.start) == found.start:
            return classify_date(text, folded, dataclasses.replace(wrong, value=found.value), False)
    return None, 0.0


def _days_named(folded: str, received: date | datetime, day_first: bool, country: str) -> Iterator[FoundDate]:
    """Days named from the date of the part of the text they are in (the mail's, or a
    quoted mail's), relative ones ("hier") first; holidays are `country`'s."""
    day, hour = (received, None)
    if isinstance(received, datetime):  # a date header with no time is read as midnight
        day, hour = received.date(), (received.hour if received.time() != time() else None)
    for part in written_parts(folded, day, hour, day_first):
        text = folded[part.start : part.end]
        relative = find_relative_dates(text, part.day, day_first, part.hour, country)
        for found in [*relative, *find_yearless_dates(text, part.day)]:
            yield dataclasses.replace(found, start=found.start + part.start, end=found.end + part.start)


def _bounds_a_period(folded: str, found: FoundDate) -> bool:
    """ "du 20 au 27 octobre", "from the 14th to the 20th": either end of a stay or a cover."""
    return bool(
        _PERIOD_END.search(folded, max(0, found.start - 40), found.start)
        or _PERIOD_START.match(folded, found.end)
    )


def _harm_told_next(folded: str, found: FoundDate, every_date: list[int]) -> bool:
    """ "On Tuesday 3rd, at about 11am, the van was parked outside. When I came back a lorry
    had clipped it": a day that opens a sentence with nothing to say what it is, and the
    harm told in the next sentence, which names no day of its own. A colon opens the tale
    too: "Pour vous remettre dans le contexte : mardi, j'ai reculé..."."""
    start = sentence_start(folded, found.start, 160)
    start = max(start, folded.rfind(":", start, found.start) + 1)
    if not OPENING.fullmatch(folded, start, found.start):
        return False
    own_end = sentence_end(folded, found.end, FRONTED_REACH)
    if own_end >= len(folded) or folded[own_end] == "\n":
        return False  # a paragraph's end closes the tale
    next_end = sentence_end(folded, own_end + 1, FRONTED_REACH)
    if bisect_left(every_date, next_end) != bisect_left(every_date, own_end):
        return False
    return any(
        cue.kind in ("incident", "incident_verb") for cue in DATE_CUES.finditer(folded, own_end, next_end)
    )


def _alone_in_its_sentence(
    folded: str, found: FoundDate, every_date: list[int], named: list[FoundDate]
) -> bool:
    """Whether no other date starts in the sentence of `found` (`every_date`: sorted starts),
    but for other words for its own day among the days `named` ("Yesterday was Thanksgiving")."""
    start = sentence_start(folded, found.start, 160)
    end = sentence_end(folded, found.end, 160)
    same_day = [other for other in named if other is not found and other.value == found.value]
    again = sum(start <= other.start < end for other in same_day)
    return bisect_left(every_date, end) - bisect_left(every_date, start) - again == 1


def mentions_a_claim(sources: Sequence[TextSource]) -> bool:
    """Whether the customer's mail tells of a loss, damage or care, or of a claim."""
    for source in sources:
        if source_kind(source.source) not in _TOLD_KINDS:
            continue
        folded = fold(source.text)
        if next(CLAIM_WORDS.finditer(folded), None) is not None or any(
            cue.kind in ("incident", "incident_verb", "care") for cue in DATE_CUES.finditer(folded)
        ):
            return True
    return False


def first_told_incident(candidates: list[Field]) -> list[Field]:
    """Of the days the customer's text tells of as the incident, without a label to say so,
    the first: what came after it (a ceiling that fell the next day, damage found in the
    morning) is not the incident. A date labelled as the incident's keeps its rank."""
    incidents = [field for field in candidates if field.name == "incident_date"]
    if len(incidents) < 2:
        return candidates
    rank = min(source_rank(field.source) for field in incidents)
    told = [field for field in incidents if source_rank(field.source) == rank]
    if any(field.confidence >= _LABELLED for field in told):
        return candidates
    first = min(told, key=lambda field: field.value)
    top = max(field.confidence for field in told)
    later = {id(field) for field in told if field is not first}
    return [
        dataclasses.replace(field, confidence=top) if field is first else field
        for field in candidates
        if id(field) not in later
    ]
