"""Dates: the written forms customers and documents use, and which date is which.

A date is found by its shape (`extractors.fields.written_dates`; `relative_dates` for days
named from the date of the mail, or of the quoted mail they are in: `sent_dates`). Which
field a date fills is read from the words around it (`classify_date`): the nearest cue
before it ("date de facture :", "survenu le"), else the words of its sentence, before it or
after it ("le 14 mars, ma voiture a été volée"). The two ends of a period ("du 20 au 27
octobre") are no event. "11/3/2026" is read month first where the customer lives in the
United States (`residence.writes_month_first`). The days a customer tells of without a
year, or with only words of harm to name them, are `told_dates`' business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from extractors.fields.base import envelope_spans, make_field, reads_text, source_kind
from extractors.fields.date_doubts import taken_back
from extractors.fields.date_words import DATE_CUES
from extractors.fields.incident_words import EVENT_WORDS
from extractors.fields.relative_dates import night_spans, shifted
from extractors.fields.residence import writes_month_first
from extractors.fields.text import (
    Cue,
    Spans,
    fold,
    sentence_end,
    sentence_start,
)
from extractors.fields.written_dates import (
    FoundDate,
    find_dates,
    numeric_date,
    weekday_pattern,
)
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = [
    "DIRECT",
    "FRONTED_REACH",
    "OPENING",
    "TOLD",
    "YEARLESS_PENALTY",
    "DateFinder",
    "classify_date",
    "day_first_in",
]

_CUES = DATE_CUES  # cue kinds: which field a cue points to (see `date_words`)
# A cue for another event ("déclaré le", "due date") or an incident verb ("survenu")
# governs a date more surely than a noun met earlier in the sentence.
# Care ("chez le dentiste") and a word of harm (`EVENT_WORDS`) count less than other cues, and
# never label a date right after them.
_BIAS = {"incident_verb": -25, "other": -25, "incident": 0, "invoice": 0, "date": 0, "care": 10, "event": 10}
_NEVER_DIRECT = frozenset({"care", "event"})
_AFTER_PENALTY = 15  # a cue after the date counts less than one before it
_GOVERNED_WITHIN = 40  # how far back a verb of another event governs an incident noun
_COMPOUND = re.compile(r"\s+(?:de|of)\s+|\s+d'\s*")
_PAST = re.compile(r"(?:é|ée|és|ées|ed|sent|sold|bought|vendue?s?)$", re.IGNORECASE)
# "le vol du 18/09", "the fire of 11 October": the day of the harm itself, whatever verb
# governs the sentence ("l'expert a validé 920 € pour le vol du 18/09").
_OF_THE_DAY = re.compile(r"\s+(?:du|of)\s+")
_AFTER_KINDS = frozenset({"incident_verb", "incident", "other", "care", "event"})
_HARM_KINDS = frozenset({"incident_verb", "incident", "event"})
# The writer opening a clause: "j'ai", "jai", "je", "nous", "I", "I've", "we".
# "rang roadside on tues night when my car died", "i lodged my claim online 10 days ago, the same
# day the other car ran up the back of me": what a "when" right after a day tells of happened that
# day, whatever the writer did on it.
_WHEN_AFTER = re.compile(
    r"[ \t,]*(?:when|while|quand|lorsque|alors que|au moment ou|(?:the )?same day"
    r"|le (?:jour )?meme(?: jour)?)(?![a-z])"
)
_WRITER_ACTS = re.compile(r"(?<![a-z'])(?:(?:jai|je|nous|i|ive|i've|we)(?![a-z'])|j')")
# "survenu dans la nuit du", "which occurred in the early hours of": the part of the day
# between an incident verb and its date.
_TIME_OF_DAY = (
    r"(?:in|during)\s+the\s+(?:early|small|late)\s+hours\s+of|(?:in|on|during)\s+the\s+(?:early\s+|late\s+)?"
    r"(?:morning|afternoon|evening|night)\s+of|(?:early|late)\s+on|dans\s+la\s+(?:nuit|matinee|soiree|journee)"
    r"|(?:tot|tard)\s+(?:le\s+(?:matin|soir)|dans\s+la\s+(?:nuit|soiree|journee))?|au\s+petit\s+matin"
    r"|(?:le|au)\s+(?:matin|soir)"
)
_DIRECT_GAP = re.compile(
    rf"[\s:.,\-(]*(?:(?:{_TIME_OF_DAY}|du|de|d'|le|en date du|of|on|the|at|:|{weekday_pattern()})[\s:.,\-]*)*"
)
# A harm, what it struck, then its day: "l'incendie du tableau électrique du 23 octobre", "the
# theft of my bike on 3 March": the day is the harm's, whatever the sentence says after it.
_WHAT_WAS_HARMED = re.compile(
    r"[ \t]+(?:du|des|de[ \t]+la|de[ \t]+l'|de|d'|of(?:[ \t]+(?:the|my|our|a|his|her))?)"
    r"(?:[ \t]*[a-z][a-z'\-]*){1,3}[ \t]+(?:du|of|on|le)[ \t]+"
)
# "le 25, après l'accident", "on the 25th, after the accident": a day after the event.
_AFTER_THE_EVENT = re.compile(
    r"(?<![a-z])(?:apres|after|suite a|following|since|depuis)\s+(?:(?:the|l'|le|la|les|mon|ma|mes|my|our"
    r"|notre|nos|son|sa|ses|his|her|their|leur|ce|cet|cette|this|that)\s*)?$"
)
# "relative au vol", "regarding the theft": what follows is what the date is said of.
_LINK = re.compile(
    r"(?<![a-z])(?:relati(?:f|ve|fs|ves)\s+(?:a|au|aux)|concernant|au\s+sujet\s+d|regarding|concerning"
    r"|in\s+respect\s+of|relating\s+to|in\s+relation\s+to|about(?!\s+(?:the\s+)?\d)|a\s+propos\s+(?:de|du|des|d'))(?![a-z])"
)
_AFTER_REACH = 80  # how far after a date its sentence is read for a cue
# What joins a day to the next thing told: "on 28 October and (he) fell", "le 3 et puis (il) est tombé"
_AND_THEN = re.compile(
    r"[ \t]*,?[ \t]*(?:and|et)(?:[ \t]+(?:then|puis))?[ \t]+"
    r"(?:(?:he|she|i|we|they|il|elle|je|nous|ils|elles)[ \t]+|j')?"
    r"(?:(?:was|were|got|a|est|ai|s'est|se)[ \t]+)?"
)
FRONTED_REACH = 160
OPENING = re.compile(
    # a greeting on its own line, typed without its comma, opens no sentence: "bonjour\nhier soir ..."
    r"(?:[ \t]*(?:bonjour|bonsoir|salut|coucou|hello|hi|hey|good (?:morning|afternoon|evening))[ \t!,.]*\n)?"
    rf"[\s\-*>]*(?:(?:{weekday_pattern()}|le|on|the|et|and|puis|then|mais|but|so|alors|jour|du|day|of)[\s,]+)*"
)
_FIELD_OF_KIND = {
    "incident_verb": "incident_date",
    "incident": "incident_date",
    "care": "incident_date",
    "event": "incident_date",
    "invoice": "invoice_date",
}
# A document that bills something; till receipts rarely call themselves receipts, but print a total.
_INVOICE_DOCUMENT = re.compile(
    r"factur|invoice|receipt|recu n|ticket|quittance|note d'honoraires|\btotal\b"
    r"|rechnung|faktura|\bcash\b|\bchange\b|\bsubtotal\b|\bgst\b|\bqty\b|\brounding\b"
)
# "du 01/03/2025 au 31/03/2025": the two ends of a period, no event
_PERIOD_JOIN = re.compile(r"\s*(?:au|to|-|a|until|jusqu'au|through|thru)\s*")

# OCR of till receipts scatters the separators of a labelled date: "Date : 20- -06- 2018",
# "Date 09 06 2018". Read only right after a "date" label, where no regular date was found.
_SCATTERED = re.compile(
    r"(?<![a-z])date[ \t]*[:.+\-]?[ \t]*(?P<d>\d{1,2})[ \t/.\-]{1,4}(?P<m>\d{1,2})[ \t/.\-]{1,4}"
    r"(?P<y>\d{4})(?!\d)"
)

DIRECT = 0.9  # "Date du sinistre : 14/03/2025", "survenu le 14 mars 2025"
NAMED = 0.8  # "l'accident du 14/03/2025", "tombé hier": an incident word right before; no label
IN_SENTENCE = 0.75  # a cue earlier in the sentence
AFTER = 0.7  # "le 14 mars, ma voiture a été volée"
DOCUMENT = 0.5  # a date on an invoice or receipt, with no cue at all
YEARLESS_PENALTY = 0.05  # "le 3 mars": its year is the mail's, or the one before
SCATTERED = 0.6  # "Date : 20- -06- 2018" on a receipt
TOLD = 0.6  # in a mail about a claim, a day told with a word of harm or as a night, and no cue


def classify_date(
    text: str,
    folded: str,
    found: FoundDate,
    invoice_document: bool,
    told: bool = False,
    next_date: int | None = None,
) -> tuple[str | None, float]:
    """Which field a date fills, and how sure we are; (None, 0) for no field. A date `told`
    alone in its sentence of a mail about a claim also reads words of harm or care
    (`EVENT_WORDS`), and is the incident's when its words name a night. `next_date`: where
    the next date of the text starts, if one does."""
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
    before = _linked(folded, _cues(folded, window, start, told), start)
    if (
        before
        and before[-1].kind not in _NEVER_DIRECT
        and _DIRECT_GAP.fullmatch(folded, before[-1].end, start)
    ):
        name = _direct_field(text, folded, before, invoice_document, start)
        return name, NAMED if before[-1].kind == "incident" else DIRECT
    if before and before[-1].kind == "incident" and _WHAT_WAS_HARMED.fullmatch(folded, before[-1].end, start):
        return "incident_date", NAMED  # "l'incendie du tableau électrique du 23 octobre"
    scored = [
        (start - cue.end + _BIAS[cue.kind], cue.kind, IN_SENTENCE) for cue in before if cue.kind != "date"
    ]
    # A day that opens its sentence dates all of it: "Le 3 mars, après l'orage, le mur ... s'est effondré".
    fronted = not invoice_document and OPENING.fullmatch(folded, window, start)
    reach = FRONTED_REACH if fronted else _AFTER_REACH
    # "le 3 oct.", "on the 4th of October.": a month's dot may also end the sentence
    after = _cues(folded, end, sentence_end(folded, end - (folded[end - 1] == "."), reach), told)
    if _WHEN_AFTER.match(folded, end) and any(cue.kind in _HARM_KINDS for cue in after):
        return "incident_date", IN_SENTENCE
    # After a harm told before the day, the writer's own next act is a clause of its own, even
    # unpunctuated: "on ma vole mon scooter hier aprem jai porte plainte" dates the theft.
    harm_before = any(cue.kind in _HARM_KINDS for cue in before)
    # A harm joined by "and" to a day, before another day of its sentence, is that day's:
    # "he flew out on 28 October and fell on the hotel's steps on the 2nd".
    sentence_ends = sentence_end(folded, end, reach)
    scored += [
        (cue.start - end + _AFTER_PENALTY + _BIAS[cue.kind], cue.kind, AFTER)
        for cue in after
        if cue.kind in _AFTER_KINDS
        and not _AFTER_THE_EVENT.search(folded, max(0, cue.start - 20), cue.start)
        and not (harm_before and _WRITER_ACTS.search(folded, end, cue.start))
        and not (
            next_date is not None
            and cue.end <= next_date < sentence_ends
            and _AND_THEN.fullmatch(folded, end, cue.start)
        )
    ]
    if scored:
        _, kind, confidence = min(scored)
        return _FIELD_OF_KIND.get(kind), TOLD if kind == "event" else confidence
    if told and found.night:
        return "incident_date", TOLD
    return ("invoice_date", DOCUMENT) if invoice_document else (None, 0.0)


def _linked(folded: str, before: list[Cue], start: int) -> list[Cue]:
    """Cues before a date, less those that only lead to what the date is said of: in "votre
    déclaration relative au vol de votre vélo le 1er octobre", the day is the theft's."""
    links = list(_LINK.finditer(folded, before[0].end if before else start, start))
    if not links:
        return before
    after_link = [cue for cue in before if cue.start >= links[-1].end()]
    return after_link if any(cue.kind in ("incident", "incident_verb") for cue in after_link) else before


def _cues(folded: str, start: int, end: int, told: bool) -> list[Cue]:
    cues = list(_CUES.finditer(folded, start, end))
    if told:
        cues += [word for word in EVENT_WORDS.finditer(folded, start, end) if word.kind == "event"]
        cues.sort(key=lambda cue: cue.start)
    return cues


def _direct_field(
    text: str, folded: str, before: list[Cue], invoice_document: bool, start: int
) -> str | None:
    """The field of a cue right before a date (at `start`); a bare "Date :" takes its meaning
    from a cue earlier on its line ("Sinistre - date : ..."), else from the document."""
    nearest = before[-1]
    if nearest.kind == "incident":
        # "J'ai déclaré le sinistre le 20/03": a past verb dates the declaration, not the
        # loss ("je vous déclare un sinistre : le 14/03" still dates the loss).
        # A bracket opens or closes a clause of its own: "the assessor you sent on the 24th for claim GY-77219
        # (geyser burst on Sunday the 15th" and "mon vélo (acheté en avril) a été volé mardi" date the harm.
        # So does a comma: "la gendarmerie m'a appelé ce matin, ma voiture volée le 27/10" dates the theft.
        governed = [
            cue
            for cue in before[:-1]
            if nearest.start - cue.end <= _GOVERNED_WITHIN
            and not {"(", ")", ","} & set(folded[cue.end : nearest.start])
        ]
        # "votre déclaration de sinistre du 3 mars": the day of the act the compound names; but
        # a past verb does not date "le vol du 18/09", the harm's own day.
        own_day = _OF_THE_DAY.fullmatch(folded, nearest.end, start) is not None
        past_event = any(
            cue.kind == "other"
            and (
                (_PAST.search(text, cue.start, cue.end) and not own_day)
                or _COMPOUND.fullmatch(folded, cue.end, nearest.start)
            )
            for cue in governed
        )
        if past_event and not any(cue.kind == "incident_verb" for cue in governed):
            return None
    if nearest.kind != "date":
        return _FIELD_OF_KIND.get(nearest.kind)
    line_start = folded.rfind("\n", 0, nearest.start) + 1
    # What is "dated" is a document, unless it is the harm itself ("an accident dated 22nd Sept."):
    # "an estimate from Bellaire Collision Center dated 10/15/2026" is no collision's day, nor "le
    # devis de Collision Express, daté du 02/11" (folded, "daté" is "date": the accent tells).
    dated = (
        (folded.startswith("dated", nearest.start) or text.startswith(("daté", "Daté"), nearest.start))
        # a word of care is no harm: "the invoice from Austin Emergency Animal Hospital dated 11/27"
        and not (
            len(before) > 1
            and before[-2].kind in ("incident", "incident_verb")
            and not folded[before[-2].end : nearest.start].strip()
        )
    )
    # Only a cue of the same label counts, not one before another value ("Order 12 Date :").
    earlier = [
        cue
        for cue in before[:-1]
        if cue.start >= line_start
        and cue.kind != "date"
        and (not dated or cue.kind == "invoice")
        and not any(char.isdigit() for char in folded[cue.end : nearest.start])
    ]
    if earlier:
        return _FIELD_OF_KIND.get(earlier[-1].kind)
    return "invoice_date" if invoice_document else None


def _in_periods(folded: str, dates: list[FoundDate]) -> tuple[set[int], set[int]]:
    """Indexes of dates that bound a period ("du 01/03/2025 au 31/03/2025"), and of those that
    open a stay in hospital, which is the claim's day ("admitted to Sri Ramana Hospital from
    12.10.2026 to 15.10.2026", "hospitalisée du 3 au 6 octobre")."""
    inside: set[int] = set()
    admissions: set[int] = set()
    for index, (first, second) in enumerate(zip(dates, dates[1:], strict=False)):
        if _PERIOD_JOIN.fullmatch(folded, first.end, second.start):
            inside.update((index, index + 1))
            if admitted_before(folded, first.start):
                admissions.add(index)
    return inside, admissions


def admitted_before(folded: str, start: int) -> bool:
    """Whether the sentence before `start` tells of going into hospital ("admitted", "hospitalisée")."""
    return _ADMITTED.search(folded, sentence_start(folded, start, _ADMITTED_REACH), start) is not None


_ADMITTED = re.compile(r"(?<![a-z])(?:admitted|admise?|hospitali[sz]\w*|in hospital|a l'hopital)(?![a-z])")
_ADMITTED_REACH = 120


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
        day_first = day_first_in(source, settings)
        dates = list(find_dates(folded, day_first))
        periods, admissions = _in_periods(folded, dates)
        gone = taken_back(folded, [(written.start, written.end) for written in dates])
        nights = Spans(night_spans(folded))  # its second day ends the night: `told_dates` reads it
        for index, written in enumerate(dates):
            if index in admissions and not invoice_document:
                raw = source.text[written.start : written.end]
                yield make_field("incident_date", written.value.isoformat(), raw, IN_SENTENCE, source)
                continue
            if (
                index in periods
                or written.start in gone
                or envelope.overlaps(written.start, written.end)
                or nights.overlaps(written.start, written.end)
            ):
                continue
            found = written if invoice_document else shifted(folded, written)  # "la veille du 11 novembre"
            following = dates[index + 1].start if index + 1 < len(dates) else None
            name, confidence = classify_date(
                source.text, folded, found, invoice_document, next_date=following
            )
            if name is not None:
                raw = source.text[found.start : found.end]
                yield make_field(name, found.value.isoformat(), raw, confidence, source)
        if invoice_document:
            yield from _scattered_dates(source, folded, dates, day_first)


def day_first_in(source: TextSource, settings: ParsingSettings) -> bool:
    """Whether "11/3/2026" is the 11th of March: as configured, unless the customer lives
    where the month comes first."""
    return settings.day_first and not writes_month_first(source.country, source.language)


def _scattered_dates(
    source: TextSource, folded: str, dates: list[FoundDate], day_first: bool
) -> Iterator[Field]:
    regular = Spans((found.start, found.end) for found in dates)
    for match in _SCATTERED.finditer(folded):
        start, end = match.start("d"), match.end()
        value = numeric_date(int(match.group("d")), int(match.group("m")), int(match.group("y")), day_first)
        if value is not None and not regular.overlaps(start, end):
            yield make_field("invoice_date", value.isoformat(), source.text[start:end], SCATTERED, source)
