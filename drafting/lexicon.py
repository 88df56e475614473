"""Words, the way retrieval and the guards compare them: folded, tokenised, counted.

`fold` lower-cases and strips accents, so that "Dégât" and "degat" meet;
`terms` is what BM25 indexes (folded words minus function words, lightly
stemmed); `language_shares` says which share of a text's words are French or
English function words, which tells a reply's language and gibberish apart.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LANGUAGES", "fold", "guess_language", "language_shares", "terms", "words"]

LANGUAGES = ("fr", "en")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words: frequent in any real sentence of the language, rare in the other.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        "le la les un une des du de au aux et ou mais donc car ni que qui quoi dont ou est sont "
        "sera seront avons avez ont nous vous je tu il elle ils elles on ce cet cette ces son sa ses "
        "votre vos notre nos leur leurs mon ma mes pour par sur dans avec sans sous chez entre vers "
        "pas plus tres bien aussi deja encore si ne n'est c'est d'un d'une l'on qu'il etre avoir "
        "fait faire peut pouvez pourriez merci bonjour cordialement madame monsieur dossier "
        "demande nous vous".split()
    ),
    "en": frozenset(
        "the a an and or but so nor that which who whom whose what is are was were be been being "
        "will would shall should can could may might must have has had do does did we you i he she "
        "it they our your their my his her its this these those for by on in with without under "
        "from into to of at as not no very well also already still if please thank thanks dear "
        "regards sincerely kind any some".split()
    ),
}

# Ignored by retrieval on top of the function words: they occur in every article.
_RETRIEVAL_STOP = frozenset("d l qu n s j m c y en ici".split())


def fold(text: str) -> str:
    """Lower case without accents (and with typographic apostrophes made plain)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _stem(word: str) -> str:
    # Plurals only: "sinistres"/"sinistre", "claims"/"claim", "travaux"/"travau" both ways.
    if len(word) > 4 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Index terms: folded words, elisions split ("l'assuré" -> "assure"), no function words."""
    out = []
    for word in words(text):
        for part in word.split("'"):
            if (
                part
                and part not in _RETRIEVAL_STOP
                and not any(part in function for function in _FUNCTION_WORDS.values())
            ):
                out.append(_stem(part))
    return out


def language_shares(text: str) -> dict[str, float]:
    """For each language, the share of the text's words that are its function words."""
    tokens = words(text)
    if not tokens:
        return dict.fromkeys(LANGUAGES, 0.0)
    return {
        language: sum(1 for token in tokens if token in function) / len(tokens)
        for language, function in _FUNCTION_WORDS.items()
    }


def guess_language(text: str, default: str = "") -> str:
    """The language whose function words the text uses most, or `default` when unclear."""
    shares = language_shares(text)
    best = max(shares, key=shares.get)
    return best if shares[best] >= 0.08 else default
