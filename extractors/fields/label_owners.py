"""Whose number a reference label names, when it is not the insurer's customer's.

A label read by `reference_labels` may name someone else's number: a bare "ref" after a noun
is that noun's reference ("police crime ref", "booking reference"), a file or case label
after one names that body's file ("Police file number 2026-288140"), and a contract label may
name a contract that is no policy of ours ("contrat de location RA 55081127", the new
insurer's in a cancellation). `references` reads such values so that nothing else takes them,
and keeps none. Texts are folded (`text.fold`); `label` is where the label starts.
"""

from __future__ import annotations

import re

from extractors.fields.reference_values import FUNCTION_WORDS

__all__ = ["names_other_contract", "names_someone_elses_file", "names_whose"]

# A noun before a bare "ref" says whose reference it is ("police crime ref").
_NOUN_BEFORE = re.compile(r"(?<![a-z'])([a-z]{3,})[ \t]+$")
_NOUN_REACH = 40


def names_whose(folded: str, label: int) -> bool:
    """Whether a bare "ref" at `label` follows a noun that says whose it is: "police crime
    ref", "booking reference" (in English the noun comes first; "votre réf." is handled apart)."""
    before = _NOUN_BEFORE.search(folded, max(0, label - _NOUN_REACH), label)
    return before is not None and before.group(1) not in FUNCTION_WORDS


# Whose file or case a claim's label names, when not the insurer's: "police file number", "crime
# case no.", "hospital file number" (a "hospital claim" is still a claim).
_SOMEONE_ELSES = re.compile(
    r"(?<![a-z])(?:police|crime|court|gendarmerie|commissariat|hospital|nhs|booking|order|tracking|ticket)"
    r"[ \t]+$"
)
_FILE_WORDS = ("file", "case", "incident")


def names_someone_elses_file(folded: str, label: int) -> bool:
    """Whether the file or case label at `label` follows a noun naming whose it is: "Police
    file number 2026-288140" is the police's, not a claim's."""
    return folded.startswith(_FILE_WORDS, label) and bool(
        _SOMEONE_ELSES.search(folded, max(0, label - _NOUN_REACH), label)
    )


# Contracts that are no insurance policy: "contrat de location", "rental agreement", "loan contract".
_OTHER_CONTRACT_AFTER = re.compile(
    r"contrat\s+d(?:e\s+|')(?:location|bail|travail|vente|pret|credit|entretien|maintenance)(?![a-z])"
)
_OTHER_CONTRACT_BEFORE = re.compile(r"(?<![a-z])(?:rental|lease|hire|loan|employment|tenancy|sales?)[ \t]+$")


# Another insurer named just before, its name alone between: "Nouvel assureur : Assurances du
# Littoral, contrat n° LIT-HAB-90417", "new insurer Coastal Mutual, policy CM-2291" (a mail that
# cancels its policy to move). "... un nouvel assureur, mon contrat n° 4410" is the writer's own.
_OTHER_INSURER_BEFORE = re.compile(
    r"(?<![a-z])(?:(?:nouvel|nouveau|autre|ancien|precedent|futur)\s+assureur|(?:nouvelle|autre|ancienne)\s+"
    r"(?:compagnie|mutuelle)|(?:new|other|previous|former|old)\s+(?:insurer|provider|insurance\s+company))"
    r"(?:(?![.;!?\n]|(?<![a-z])(?:mon|ma|mes|notre|nos|votre|vos|my|our|your)(?![a-z])).)*$"
)


def names_other_contract(folded: str, label: int) -> bool:
    """Whether the contract label at `label` names a contract that is no policy of ours:
    "contrat de location RA 55081127" (the car hire's), "rental agreement no. 4471", or the
    new insurer's ("Nouvel assureur : Assurances du Littoral, contrat n° LIT-HAB-90417")."""
    return bool(
        _OTHER_CONTRACT_AFTER.match(folded, label)
        or _OTHER_CONTRACT_BEFORE.search(folded, max(0, label - _NOUN_REACH), label)
        or _OTHER_INSURER_BEFORE.search(folded, max(0, label - 2 * _NOUN_REACH), label)
    )
