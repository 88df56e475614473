"""The policyholder named by someone who writes for them.

A relative, a carer, a broker, a lawyer or a guardian writes for the policyholder and names
them; the writer is the customer who writes (`customer_name`), the person named is the
`policyholder`:

- a relative: "I'm writing on behalf of my mother, Bridget Keane", "le contrat est au nom de
  mon époux, Serge Kouassi", "souscrit par mon épouse, Monique Peyrard", "my mother, Mrs
  Dorothy Pennington, who holds your home cover", "c'est mon épouse, Sophie Wauters, qui en
  est la preneuse d'assurance", "Mon père, M. Marcel Besnard, 91 ans, est sans chauffage";
- someone acting for them: "This office represents Ms. Loretta Haines", "We act as brokers for
  Mrs Ann Fenwick", "Nous intervenons pour notre client, M. Olivier Dewaele", "en qualité de
  conseil de M. Rachid Benali", "la mesure de curatelle de Mme Lucienne GARNAUD", "I am a home
  carer and I visit Mr Eamon Quinn", a signature's "Attorney for Dorothy Pennington".

`represented_names` gives the capitalised words of the name, its title included, up to the
first word in small letters ("who", "qui", "of") or the end of the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractors.fields.name_parts import PARTICLES, TITLE
from extractors.fields.text import fold

__all__ = ["represented_names"]

_MAX_WORDS = 5
_RELATIVE = (
    r"(?:mother|father|mum|mom|dad|parents?|son|daughter|husband|wife|partner|brother|sister"
    r"|grand(?:mother|father|ma|pa|son|daughter)|aunt|uncle|neighbou?r|client"
    r"|landlord|landlady|owner|bailleur|bailleresse|proprietaire"
    r"|mere|pere|fils|fille|mari|epoux|epouse|femme|conjointe?|compagnon|compagne|frere|soeur"
    r"|grand-mere|grand-pere|oncle|tante|voisine?|cliente?)"
)
_MY = r"(?:my|mon|ma|notre|our)"
_NAME = r"(?P<name>[^\n,;:!?()]+)"
# The relative is named: "au nom de M. Perrot" alone is whom letters are addressed to.
_FOR_A_RELATIVE = re.compile(
    r"(?<![a-z])(?:on behalf of|au nom de|pour le compte de|in the name of|taken out by|held by"
    r"|(?:souscrite?|prise?|signee?) par"
    r"|de la part de"
    r"|(?:writing|write|ecris|ecrire|contacte)(?: to you| you)? (?:for|pour))"
    rf" {_MY} (?:[a-z'\-]+ ){{0,2}}?{_RELATIVE}(?![a-z])[ \t,:]*{_NAME}"
)
# "my mother, Mrs Dorothy Pennington, who holds your home cover", "pour mon fils, Lucas
# Ferreira, titulaire du contrat"
_RELATIVE_WHO_HOLDS = re.compile(
    rf"(?<![a-z]){_MY} {_RELATIVE}[ \t]*,[ \t]*{_NAME},?[ \t]+(?:(?:who|qui)[ \t]+"
    r"(?:holds|owns|is the (?:policy ?holder|insured)|en est|est (?:le |la |l')?"
    r"(?:titulaire|souscript|assure|preneu))|titulaire|preneu|souscript|(?:the )?policy ?holder|holder of)"
)
# "Mon père, M. Marcel Besnard, 91 ans, est sans chauffage", "My father, Harold Brandt, is 91":
# an elderly relative, named with their age, for whom the mail is written
_RELATIVE_AGED = re.compile(
    rf"(?<![a-z]){_MY} {_RELATIVE}[ \t]*,[ \t]*{_NAME},?[ \t]+"
    r"(?:\d{2,3} ans|(?:is|aged) \d{2,3}(?![\d,.])|(?:a|age|agee) de \d{2,3} ans|\d{2,3} years old)"
)
_TITLED = r"(?=(?:mr|mrs|ms|miss|mx|dr|m|mme|mlle|madame|monsieur)\.?[ \t])"
# The name a contract is in, said by another: "the policy is in her name (Gemma Thwaite)", "le
# contrat est à son nom (Henri Vasseur)", "the policy is in Dr. Ramon Castillo's name"
_IN_THEIR_NAME = re.compile(
    r"(?<![a-z])(?:in (?:her|his|their) name|a son nom|a leur nom)[ \t]*\((?P<name>[^()\n]+)\)"
)
_IN_SOMEONES_NAME = re.compile(rf"(?<![a-z])in {_TITLED}(?P<name>[^\n,;:!?()']{{3,60}}?)'s name(?![a-z])")
# Someone acting for the policyholder, who is named with a title ("Ms. Loretta Haines"), or
# without one after the role's own word ("Attorney for Dorothy Pennington").
_ACTING_FOR = re.compile(
    r"(?<![a-z])(?:(?:represents?|representing|je represente|(?:act|acts|acting) (?:as [a-z]+ )?for"
    r"|(?:intervenons|intervient|interviens|agissons|agit) pour(?= (?:notre|mon|ma) client)"
    r"|on behalf of(?= (?:my|our) client)"
    # "This office represents your insured, Mr. Darnell Ruiz"
    r"|(?:represents?|representing|(?:act|acts|acting) for) (?:your|our) (?:insured|policyholder|client),"
    r"|(?:en qualite )?de (?:conseil|avocate?|mandataire|representante?) de"
    r"|(?:curatelle|tutelle|sauvegarde de justice)(?: renforcee)? de"
    r"|(?:carer|care worker|caregiver|support worker)(?![a-z])[^.\n]{0,30}?"
    r"(?<![a-z])(?:visit|look after|care for|for|of|to))"
    rf"[ \t]+(?:{_MY} client(?:e)?,?[ \t]+)?{_TITLED}"
    r"|(?:attorney|carer|guardian|deputy|curateur|curatrice|tuteur|tutrice) (?:for|of|to|de)[ \t]+"
    # the estate of one who died: "executor of the late Mr Alan Reid", "succession de feu M. Roux"
    r"|(?:executor|executrix|personal representative) (?:of|for) (?:the estate of )?(?:the late )?"
    r"|succession de (?:feue? )?"
    # "je suis la fille de Mme Odile Brun", "I am the son of Mr Paul Hart"
    rf"|(?:je suis|i am|i'm) (?:le |la |the )?{_RELATIVE} (?:de|of) {_TITLED})"
    rf"{_NAME}"
)


def represented_names(text: str) -> Iterator[str]:
    """The names of the policyholders a writer speaks for in `text`, as written."""
    folded = fold(text)
    regexes = (_FOR_A_RELATIVE, _RELATIVE_WHO_HOLDS, _RELATIVE_AGED, _ACTING_FOR)
    for regex in (*regexes, _IN_THEIR_NAME, _IN_SOMEONES_NAME):
        for match in regex.finditer(folded):
            name = _capitalised_words(text[match.start("name") : match.end("name")].split())
            if name:
                yield name


def _capitalised_words(words: list[str]) -> str:
    """The first capitalised words of `words`, up to one in small letters ("who", "qui") or
    the end of a sentence ("... Bridget Keane. She")."""
    name: list[str] = []
    for word in words[: _MAX_WORDS + 1]:
        if not (word[0].isupper() or (name and word.lower() in PARTICLES)):
            break
        if word.endswith(".") and not (_is_initial(word) or TITLE.match(f"{word} ")):
            name.append(word.rstrip("."))
            break
        name.append(word)
    return " ".join(name)


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[0].isalpha() and word[0].isascii()
