"""The words around a person's name that are not the name, and the words of a name that keep
their own case or order.

- Titles before it: "Dr", "Mme et M.", "Chief (Mrs)", "Brigadier (retd)", "The Revd Canon",
  "Shri" (`TITLE`).
- Letters after it: honours, degrees and qualifications ("OBE", "MB ChB FRCP(Edin)",
  "MD (Paed.)", "Cert CII", ", Esq."), written as their holders write them
  (`without_post_nominals`); "Jr." is a part of the name and stays.
- Particles that join the name's words: "de", "van", the Welsh "ap", the Malay "bin", the
  Tamil "s/o" (son of); those a writer may capitalise or not keep the writer's case
  ("Dafydd ap Rhys").
- A Scottish or Irish "Mc" written in capitals or small letters is "McCourt" once re-cased.
- A Chinese name written family name first in capitals with a given name of two syllables
  ("CHAN Tai Man", "WONG Ka Yee, Karen") keeps that order (`family_name_first`); a French
  or African "DIALLO Mamadou Lamine" is turned round by `names`.
"""

from __future__ import annotations

import re

__all__ = [
    "ASIS_PARTICLES",
    "MARRIED_WORDS",
    "PARTICLES",
    "TITLE",
    "family_name_first",
    "recased_prefix",
    "without_post_nominals",
]

_TITLE_WORDS = (
    r"m|mr|mrs|ms|mx|mme|mmes|mlle|melle|dr|pr|me|monsieur|madame|mademoiselle|miss|mister|sir|docteur"
    r"|maitre|maître|professeur|prof|chief|brigadier|colonel|col|major|maj|captain|capt|general|gen"
    r"|lieutenant|lt|commander|cdr|admiral|sergeant|sgt|rev|revd|reverend|canon|pastor|rabbi|imam"
    r"|hon|rt|lord|lady|dame|sheikh|alhaji|alhaja|shri|sri|smt|judge|cllr|councillor|herr|frau"
    r"|veuve|vve"  # "Mme veuve Hoarau Marie-Claude": a widow's title, as "Mme" is
)
# "M. et Mme Garnier": a couple, no given name; "The Revd Canon": "the" only before a title.
TITLE = re.compile(
    rf"^(?:the\s+(?=(?:{_TITLE_WORDS})\.?\s))?(?:(?:{_TITLE_WORDS})\.?\s+(?:(?:et|and|&)\s+)?)+",
    re.IGNORECASE,
)

# A married name signed whole: "Marie DUPONT épouse MARTIN", "Jane Smith née Jones".
MARRIED_WORDS = frozenset({"épouse", "epouse", "née", "nee", "veuve"})
PARTICLES = (
    frozenset({"de", "du", "des", "d'", "van", "von", "der", "den", "da", "di", "del", "dos", "das"})
    | MARRIED_WORDS
)
# Particles written as their bearer writes them ("ap Rhys", "Ap Rhys"), in small letters when
# the whole name is in capitals: Welsh "ap"/"ab", Malay "bin"/"binti", Tamil "s/o", "d/o".
ASIS_PARTICLES = frozenset({"ap", "ab", "ferch", "verch", "bin", "binti", "bint", "s/o", "d/o", "a/l", "a/p"})

# Honours, degrees and memberships written after a name, as their holders write them.
_POST_NOMINALS = frozenset(
    """
    OBE MBE CBE KBE DBE GBE CH KC QC JP DL MP MSP MA MSc BSc BA BEd MEd PhD DPhil MD MB ChB BChir
    MBBS BS FRCP FRCS FRCPath MRCP MRCS MRCGP FRCGP FRCOG FRCA DDS DMD BDS RN RGN CPA CFA ACA FCA
    ACCA FCCA ACII FCII Cert CII Dip DipPFS LLB LLM MBA MEng BEng CEng MICE FRICS MRICS RIBA PGCE
    Hons Esq FCIArb MPhil DSc EdD DBA MIET MRCVS BVSc BVMS MPharm MRPharmS FRSA CMgr FCMI MCMI FCIPD MCIPD
    CITP MBCS CIMA ACMA FCMA CGMA
    """.split()
)
_MIN_NAME_WORDS = 2


def without_post_nominals(text: str) -> str:
    """`text` without the letters after the name ("Fiona McAlister MB ChB FRCP", "Gordon W.
    Pryor, Esq."), so long as two words of the name are left."""
    words = text.split()
    while len(words) > _MIN_NAME_WORDS and words[-1].strip(",").replace(".", "") in _POST_NOMINALS:  # "Ph.D."
        words.pop()
    return " ".join(words).rstrip(" ,")


_MC = re.compile(r"\bMc([a-z])")


def recased_prefix(word: str) -> str:
    """ "Mccourt" (from "MCCOURT" or "mccourt") as "McCourt"."""
    return _MC.sub(lambda match: f"Mc{match.group(1).upper()}", word)


# Family names of Hong Kong, Singapore, Malaysia and mainland China, as romanised there.
_CHINESE_FAMILY_NAMES = frozenset(
    """
    chan chen cheng cheung chiu chong chow choi chu chua chung fong foo fung goh ho hui hung kwan
    kwok lai lam lau lee leung li liang lim lin liu lo low lui lum ma mak mok ng ong pang poon
    seah sim siu tam tan tang tay teo tse tsang tsui wan wang wee wong woo wu yap yau yeo yeung
    yip yiu yu yuen zhang zhao zhou zhu huang xu sun guo he luo zheng xie song han feng deng cao
    peng zeng xiao tian dong pan yuan cai jiang du ye wei su lu ding ren shen yao koh toh quek
    """.split()
)
_GIVEN_SYLLABLES = 2


def family_name_first(words: list[str]) -> bool:
    """Whether `words` are a Chinese name written family name first, in capitals, before a
    given name of two syllables written apart: "CHAN Tai Man", "WONG Ka Yee"."""
    return (
        len(words) == 1 + _GIVEN_SYLLABLES
        and words[0].isupper()
        and words[0].lower() in _CHINESE_FAMILY_NAMES
        and all(word.isalpha() for word in words[1:])
    )
