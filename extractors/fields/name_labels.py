"""Names written after a form's labels, in mail bodies and documents: "Assuré : Jean Dupont",
"Nom : DUPONT  Prénom : Jean", a column's "Policyholder  Thomas Ashworth", a lawyer's "Our
client: Mr Olusegun Adeyinka". A label says either who fills in the form ("Nom :", "Full
name:") or whom a policy or an account is held by ("Titulaire :", "Assuré :")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractors.fields.text import fold

__all__ = ["LABELLED", "LABELLED_BARE", "labelled_names"]

# Labels that name the customer on forms, invoices and web-form mails. A bare
# "Nom"/"Name" may be a third party's (a constat has two), so it is less sure.
# Who fills in the form, and whom a policy or an account is held by (group `held`).
_WRITER_LABEL = (
    r"(?:nom (?:et|,|/|&) ?prenoms?|prenoms? (?:et|,|/|&) ?nom|nom complet|full name|customer name"
    r"|claimant|declarant(?:e)?)"
)
_HELD_LABEL = (
    r"(?:client(?:e)?|assure(?:e)?|souscripteur|souscriptrice|adherent(?:e)?|beneficiaire|policy ?holder"
    r"|insured|customer|titulaire(?: du contrat)?)"
)
# A holder's label may stand apart from its value in a column, with no colon ("Policyholder  Thomas
# Ashworth"); a bare "Nom" or "Name" needs its colon. It may open an item of a list ("  * Titulaire :
# ...", as an HTML list reads), and be a lawyer's or a broker's ("Our client: Mr Olusegun Adeyinka").
_LABELLED = re.compile(
    rf"^[ \t]*(?:[*•·-][ \t]+)?(?P<label>(?:(?:our|your|notre|votre)[ \t]+)?"
    rf"(?:{_WRITER_LABEL}|(?P<held>{_HELD_LABEL}))|nom|name)"
    r"(?:[ \t]*:|(?<!nom)(?<!name)(?=[ \t]{2,}|\t))"
    r"[ \t]*(?P<rest>[^\n]+)$",
    re.MULTILINE,
)
_GIVEN = re.compile(
    r"(?:^|\s)(?:prenoms?|first name|given names?)[ \t]*:[ \t]*(?P<given>[^\n:]+?)(?=\s{2,}|$)", re.MULTILINE
)
_NEXT_LABEL = re.compile(r"\s{2,}\S[^:\n]{0,30}:|\s(?:prenoms?|first name|given names?)[ \t]*:")
# "Assuré : Jean Dupont", "Nom : DUPONT  Prénom : Jean": the holder, whoever signs ("Tom" over
# "Policyholder  Thomas Ashworth")
LABELLED = 0.8
LABELLED_BARE = 0.6  # "Nom : Dupont Jean"


def labelled_names(text: str) -> Iterator[tuple[str, float, bool]]:
    """Names written after a holder label, with the given name joined from a
    "Prénom :" on the same or the next line, each with whether its label names whom a policy
    or an account is held by ("Titulaire :", "Assuré :", "Our client:") rather than who fills in
    the form ("Nom :", "Full name:")."""
    folded = fold(text)
    for match in _LABELLED.finditer(folded):
        rest = text[match.start("rest") : match.end("rest")]
        rest_folded = folded[match.start("rest") : match.end("rest")]
        cut = _NEXT_LABEL.search(rest_folded)
        value = rest[: cut.start()] if cut else rest
        given = _GIVEN.search(folded, match.start("rest"), _line_end(folded, match.end()))
        if given is None and match.group("label") in ("nom", "name"):
            given = _GIVEN.match(folded, match.end() + 1, _line_end(folded, match.end() + 1))
        if given is not None:
            value = f"{text[given.start('given') : given.end('given')].strip()} {value.strip()}"
        sure = match.group("label") not in ("nom", "name") or given is not None
        yield value.strip(), LABELLED if sure else LABELLED_BARE, match.group("held") is not None


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end
