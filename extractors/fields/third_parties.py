"""Whose a phone number is: the customer's own, or that of someone the mail speaks of.

"Ma voiture est au garage Martin, 04 78 12 34 56", "my solicitor, Ms Grant, is on 020 7946
0123", "the garage's number is 0161 496 0000": a number that follows, on its line and in its
sentence, the name of a trade or an office (a garage, a lawyer, a neighbour, the police) is
theirs, unless words of the writer's own stand between ("le garage m'a dit de vous appeler ;
mon numéro est le 06 ...", "the agent told me to call, on 07 ...").

Family members are no third party: a son or a husband may give his number for the
policyholder's callback.
"""

from __future__ import annotations

import re

from extractors.fields.text import line_span, phrases, sentence_start

__all__ = ["someone_elses_number"]

_THIRD_PARTIES = [
    # French
    *"garage garagiste carrossier carrosserie depanneur depanneuse mecanicien concession".split(),
    *"avocat avocate maitre notaire huissier expert experte plombier electricien artisan".split(),
    *"voisin voisine voisins syndic bailleur proprietaire agence courtier cabinet".split(),
    *"police gendarmerie commissariat hopital clinique medecin docteur pharmacie veterinaire".split(),
    *"ecole employeur banque transporteur hotel magasin vendeur locataire entreprise".split(),
    # English
    *"garage bodyshop mechanic repairer recovery lawyer solicitor attorney notary assessor".split(),
    *"adjuster plumber electrician contractor builder roofer neighbour neighbor neighbours".split(),
    *"neighbors landlord broker police hospital clinic doctor surgery vet pharmacy school".split(),
    *"employer bank airline hotel shop store retailer dealer dealership tenant company".split(),
    "body shop",
    "letting agent",
    "estate agent",
    "loss adjuster",
]
_THIRD_PARTY = re.compile(phrases(list(dict.fromkeys(_THIRD_PARTIES))))
# The writer's own words: "me", "mon", "my", "I".
_OWN = re.compile(r"(?<![a-z])(?:me|m'|mon|ma|mes|moi|je|j'|my|i|i'm|mine|me|our|notre|nos)(?![a-z'])")
_REACH = 80  # how far before a number the trade or office may be named


def someone_elses_number(folded: str, start: int) -> bool:
    """Whether the number at `start` follows, in its line and sentence, a trade or an office
    with none of the writer's own words in between."""
    line_start = line_span(folded, start, _REACH)[0]
    clause_start = max(line_start, sentence_start(folded, start, _REACH))
    named = list(_THIRD_PARTY.finditer(folded, clause_start, start))
    return bool(named) and _OWN.search(folded, named[-1].end(), start) is None
