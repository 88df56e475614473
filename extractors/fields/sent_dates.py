"""When each part of a mail's text was written: the mail's own date, then the date of each
mail it quotes or forwards ("Envoyé : lundi 26 octobre 2026 21:03", "Sent: 26 October 2026
10:02", "On Mon, 26 Oct 2026 at 21:03, Jane wrote:").

A quoted mail's "ce soir" or "hier" is counted from the day that mail was sent, not from
the day of the mail that quotes it: forwarded a week later, "tonight" is still that evening.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from extractors.fields.text import header_line_spans
from extractors.fields.written_dates import find_dates

__all__ = ["WrittenPart", "written_parts"]

# The header lines of a quoted mail that date it, and reply attributions ("Le 26 oct. 2026
# à 21:03, Jean a écrit :"); not "Objet : sinistre du 3/11/2026", which tells of the case.
_SENT_KEY = re.compile(r"[ \t>]*(?:date|envoye(?:[ \t]+le)?|sent)[ \t]*:")
_ATTRIBUTION = re.compile(r"(?:a ecrit|wrote)[ \t]*:?[ \t]*$")
_HOUR = re.compile(
    r"(?<!\d)(?P<h>\d{1,2})[ \t]*[:h][ \t]*\d{2}(?!\d)(?:[ \t]*(?P<pm>[ap])\.?[ \t]?m\.?(?![a-z]))?"
)
_NOON = 12
_HOURS = 24


@dataclass(frozen=True)
class WrittenPart:
    """A stretch of a mail's text from `start` to `end`, written on `day` (at `hour`, when known)."""

    start: int
    end: int
    day: date
    hour: int | None


def written_parts(
    folded: str, received: date, hour: int | None = None, day_first: bool = True
) -> list[WrittenPart]:
    """The parts of `folded` mail text, in order: what the mail received on `received` says
    itself, then each quoted mail from its dated header on."""
    starts: list[tuple[int, date, int | None]] = []
    for start, day, at in _quoted_mail_dates(folded, day_first):
        if not starts or start > starts[-1][0]:
            starts.append((start, day, at))
    if not starts or starts[0][0] > 0:  # the text opens with the mail's own words
        starts.insert(0, (0, received, hour))
    ends = [start for start, _, _ in starts[1:]] + [len(folded)]
    return [WrittenPart(start, end, day, at) for (start, day, at), end in zip(starts, ends, strict=True)]


def _quoted_mail_dates(folded: str, day_first: bool) -> Iterator[tuple[int, date, int | None]]:
    for start, end in sorted(header_line_spans(folded)):
        line = folded[start:end]
        if not (_SENT_KEY.match(line) or _ATTRIBUTION.search(line)):
            continue
        found = next(find_dates(line, day_first), None)
        if found is not None:
            yield start, found.value, _hour(line[found.end :])


def _hour(text: str) -> int | None:
    """The hour of "21:03", "9:03 PM", "21h03"; None when no time is written."""
    match = _HOUR.search(text)
    if match is None:
        return None
    hour = int(match.group("h"))
    if match.group("pm") == "p" and hour < _NOON:
        hour += _NOON
    elif match.group("pm") == "a" and hour == _NOON:
        hour = 0
    return hour if hour < _HOURS else None
