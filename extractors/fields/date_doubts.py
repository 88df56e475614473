"""Days a customer names without their year but is not sure of, or that are still to come,
and days a customer takes back.

"vers le 10", "the weekend of the 21st", "je pense que c'était mardi", "I don't know when
exactly", "the garage will have it ready on the 25th": no incident date can be read from them.
"the 20th? no, sorry, I mean Friday the 16th", "le 12, pardon, le 13": the first day is no
date of anything (`taken_back`).
"""

from __future__ import annotations

import re
from datetime import date

from extractors.fields.text import sentence_end, sentence_start
from extractors.fields.written_dates import FoundDate

__all__ = ["ahead", "day_unknown", "soon_after", "taken_back", "unsure"]

# "vers le 10", "around the 14th", "the weekend of the 21st": not a day one can be sure of.
_ROUGHLY = re.compile(
    r"(?<![a-z])(?:vers|around|about|environ|approximately|roughly|alentours\s+du|autour\s+du"
    r"|week[\s\-]?end\s+(?:du|de|of)|semaine\s+(?:du|de)|week\s+of)(?:\s+(?:le|the|du))?\s*$"
)
# "je pense", "maybe": the customer is not sure of the day; "impossible de savoir quel jour",
# "could have been any time": nor of any day the mail names for the loss.
_HEDGE = re.compile(
    r"(?<![a-z])(?:je pense|je crois|il me semble|peut[\s\-]etre|probablement|suis pas sure?"
    r"|pas certaine?|i think|thinks|maybe|perhaps|probably|possibly|not sure|might have|may have"
    r"|could have)(?![a-z])"
    # a hedge on a length or a sum is no doubt about the day: "was inside maybe 15 min"
    r"(?!\s+(?:\d+|une?|an?|a few|quelques)\s*(?:min|mins|minutes?|secondes?|seconds?|hours?|hrs?|heures?|h"
    r"|km|kms|miles?|metres?|meters?|m|euros?|dollars?|pounds?|%)(?![a-z]))"
)
_DAY_UNKNOWN = re.compile(
    r"(?<![a-z])(?:(?:impossible de (?:savoir|dire)|ne (?:sais|savons|sait) pas)\s+(?:exactement\s+)?"
    r"(?:quel jour|quand)|(?:don't|do not|dont|can't|cannot)\s+(?:know|say|tell)\s+(?:exactly\s+)?"
    r"(?:when|which day|what day)|could have been any\s*time|n'importe quand)"
)
# Words of the future in a day's clause ("the garage will have it ready on the 25th", "l'expert
# passera le 12"): a day a mail names without its year is read as gone by, which this is not.
_FUTURE = re.compile(
    r"(?<![a-z])(?:will|'ll|shall|going to|gonna|tomorrow|demain|prochaine?|(?<!the )next(?! door)|vais|vont"
    r"|doit|doivent|devrait|sera|seront|fera|feront|aura|auront|ira|iront|devra|pourra|viendra|verra"
    r"|enverra|faudra|rendra|[a-z]{4,}era[is]?|[a-z]{3,}(?:eront|erons|erez))(?![a-z])"
)
_CLAUSE_BREAK = re.compile(r"[.;:!?()\n,]")
# Words that take back what was just written: "no, sorry, I mean", "pardon", "ou plutôt", "enfin non".
_TAKING_BACK = re.compile(
    r"(?<![a-z])(?:sorry|pardon|oups|oops|i mean|i meant|je veux dire|je voulais dire|ou plutot|or rather"
    r"|plutot|rectification|correction|my mistake|my bad|erratum|enfin non|(?:no|non)\s*[,!.]"
    r"|(?:no|non)\s+(?:wait|attendez|attends|sorry|pardon))(?![a-z])"
)
_TAKEN_BACK_REACH = 45  # the most a correction and the words around it take between two days
# A plain admission of a mistake may come once the sentence is told, just before the right day:
# "le mardi 13 octobre, un gravillon [...] a fait un impact... pardon, je me trompe, c'était le
# mercredi 14", within a paragraph.
_MISTAKE = re.compile(
    r"(?<![a-z])(?:sorry|pardon|je me (?:suis )?trompee?|i was wrong|i'm wrong|my mistake|i mean|i meant"
    r"|je veux dire|je voulais dire|rectification|correction)(?![a-z])"
)
_MISTAKE_REACH = 240
_SAME_MENTION = re.compile(r"[\s,(\-]{0,3}")  # "Tuesday evening (the 20th": one day written twice


def day_unknown(folded: str) -> bool:
    """Whether the customer says they cannot tell which day the loss happened."""
    return bool(_DAY_UNKNOWN.search(folded))


def ahead(folded: str, found: FoundDate) -> bool:
    """Whether the clause of a day named without its year speaks of the future."""
    start = max(
        (match.end() for match in _CLAUSE_BREAK.finditer(folded, max(0, found.start - 120), found.start)),
        default=max(0, found.start - 120),
    )
    after = _CLAUSE_BREAK.search(folded, found.end, found.end + 120)
    return bool(_FUTURE.search(folded, start, after.start() if after else min(len(folded), found.end + 120)))


def unsure(folded: str, found: FoundDate) -> bool:
    """A day the customer is not sure of: "vers le 10", "the weekend of the 21st", "je pense
    que c'était mardi soir"."""
    start, end = sentence_start(folded, found.start, 160), sentence_end(folded, found.end, 160)
    return bool(
        _ROUGHLY.search(folded, max(0, found.start - 40), found.start) or _HEDGE.search(folded, start, end)
    )


_SOON = 14  # days after the mail within which a day written without its year is still to come


def soon_after(found: FoundDate, received: date) -> bool:
    """ "Le vétérinaire veut revoir Bolt le 10/11", in a mail of 4 November: a day its lack of
    a year puts almost a year back, which a customer would have dated; it is a day to come."""
    try:
        next_year = found.value.replace(year=found.value.year + 1)
    except ValueError:  # the 29th of February
        return False
    return 0 < (next_year - received).days <= _SOON


def taken_back(folded: str, days: list[tuple[int, int]]) -> dict[int, int]:
    """The starts of the days (spans, in order) the customer takes back, each with the start of
    the day meant instead: followed closely by words of correction and another day ("the 20th?
    no, sorry, I mean Friday the 16th", "le 12/10, pardon le 13/10"), with the same day written
    just before them ("Tuesday evening (the 20th? no, ..."): only the day written last is meant."""
    gone: dict[int, int] = {}
    for (start, end), (following, _) in reversed(list(zip(days, days[1:], strict=False))):
        if following <= end:
            continue
        gap = folded[end:following]
        if (
            (len(gap) <= _TAKEN_BACK_REACH and _TAKING_BACK.search(gap))
            or (following in gone and _SAME_MENTION.fullmatch(gap))
            or _admits_a_mistake(gap)
        ):
            gone[start] = gone.get(following, following)
    return gone


def _admits_a_mistake(gap: str) -> bool:
    """Whether the words between two days of a paragraph end with the writer admitting a
    mistake just before the second (`_MISTAKE`)."""
    return (
        len(gap) <= _MISTAKE_REACH
        and "\n\n" not in gap
        and _MISTAKE.search(gap, max(0, len(gap) - _TAKEN_BACK_REACH)) is not None
    )
