"""The customer's name: from the From display name, under a closing formula, or
after a label on a form ("Assuré : Jean Dupont", "Nom : DUPONT  Prénom : Jean", a column's
"Policyholder  Thomas Ashworth t/a Ashworth Plumbing"; `name_labels`).
Mail written by people in a hurry is signed in other places too: a name alone on
the last line or atop a short last paragraph, a name over its postal address at
the top (a letter's sender block), "je m'appelle Jean Dupont" in a sentence.

Display names are often not people ("Service client", "Garage Martin SARL",
"noreply"); names are recognised by their shape (two to five capitalised words
of letters) and by the absence of words that name a company or a role. A name line
may end with the writer's phone or, after a bar, their role ("Claire O'Neill |
Analyst"); a middle initial is left out ("Samuel J. Whitaker" is "Samuel Whitaker").
The customer is the person who writes, a relative or a broker writing for the policyholder
too; the policyholder they name ("on behalf of my mother, Bridget Keane", "This office
represents Ms. Loretta Haines") is the `policyholder` field (`represented`). Titles and the
letters after a name are not the name (`name_parts`). A name signed with initials ("R.
Doherty", "JP Morel") is the fuller form the mail gives of it elsewhere, its address included
(`name_forms`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from extractors.fields.base import make_field, reads_text, source_kind
from extractors.fields.name_forms import abbreviates, spelled_out, spells_address
from extractors.fields.name_labels import labelled_names
from extractors.fields.name_parts import (
    ASIS_PARTICLES,
    MARRIED_WORDS,
    PARTICLES,
    TITLE,
    family_name_first,
    recased_prefix,
    without_post_nominals,
)
from extractors.fields.represented import represented_names
from extractors.fields.text import fold
from rpa.config import ParsingSettings
from rpa.models import Field, TextSource

__all__ = [
    "CustomerNameFinder",
    "abbreviates",
    "name_written_as_address",
    "normalise_person_name",
]

_TITLE = TITLE
# a word of letters, or the Tamil "s/o" (son of), "d/o", "a/l"
_WORD = re.compile(r"^(?:[^\W\d_](?:[^\W\d_]|['\-](?=[^\W\d_]))*\.?|[sdSD]/[oO]|[aA]/[lpLP])$")
_PARTICLES = PARTICLES | ASIS_PARTICLES
_ARTICLES = frozenset({"la", "le", "les", "l'"})  # after a particle: "Marie-Laure de la Roche"
# Words that make a display name a company, a department or a machine.
_ELIDED = re.compile(r"^[ldj]['’]")
_NOT_PERSON = frozenset(
    """
    service services client clients clientele customer customers support team equipe contact info infos
    information admin administrateur administrator noreply no-reply reply newsletter notification
    notifications garage assurance assurances insurance mutuelle agence agency cabinet societe company
    groupe group sinistre sinistres claims claim comptabilite accounting billing facturation sales ventes
    commercial direction secretariat accueil reception marketing bureau office banque bank boutique shop
    store magasin hotel restaurant expert expertise gestion gestionnaire conseiller conseillere
    departement department desk helpdesk hotline mairie association fondation foundation centre center
    ecole school universite university pharmacie clinique hopital hospital laboratoire transport travaux
    transports immobilier syndic notaire plomberie electricite auto automobile carrosserie depannage france
    international solutions consulting conseil partners associes holding industries technologies digital
    systems system staff mailer daemon postmaster webmaster robot bot alert alerts alerte facture invoice
    compte account online paiement payment orders commande livraison delivery securite security rh hr
    batiment btp construction renovation menuiserie peinture toiture couverture chauffage cuisine cuisines
    courtage boulangerie optique coiffure traiteur fleurs pressing taxi taxis ambulances jardins paysages
    epicerie boucherie charcuterie patisserie librairie tabac brasserie bistrot pizzeria superette
    comite fetes amicale club union syndicat federation cooperative ferme gaec earl domaine funebres
    name nom prenom surname firstname assure assuree titulaire souscripteur souscriptrice adherent adherente
    beneficiaire insured claimant
    bonne journee soiree semaine week-end weekend salutations amities bises remerciements see soon love
    envoye sent iphone android mobile merci thanks cordialement regards bonjour hello tel telephone phone
    fax adresse address email e-mail courriel the contrat contract policy police dossier ref reference
    policyholder policy-holder
    sarl sas sasu sa eurl sci snc scp selarl ltd llc llp plc gmbh ag inc corp co bv nv spa srl sl limited
    corporation incorporated cie atelier ateliers unit records registry greffe commissariat gendarmerie
    prefecture council""".split()
)
# A name does not start with an article or a possessive ("La Mutuelle Imaginaire", "Votre conseiller").
_NOT_FIRST = frozenset("le la les l' un une the a an votre notre your our mon ma mes my".split())
_MAX_WORDS = 5

SIGNED = 0.85  # the name under "Cordialement," in the signature
SIGNED_IN_BODY = 0.8  # the same, when the closing is still in the body
DISPLAY_NAME = 0.8  # the From display name
SIGNATURE_TOP = 0.7  # the first line of a signature that has no closing
INTRODUCED = 0.75  # "je m'appelle Jean Dupont", "my name is John Smith"
# "on behalf of my mother, Bridget Keane": the policyholder, over the writer's own signature
REPRESENTED = 0.9
POLICYHOLDER = "policyholder"  # the person a relative, a carer, a broker or a lawyer writes for
SENDER_BLOCK = 0.75  # a name over its postal address at the top of a letter or a mail
SENDER_BLOCK_DOCUMENT = 0.65  # the same on a document page, where a label says more
SIGN_OFF = 0.7  # a name on the last line, or atop the last paragraph, of a mail with no closing
# The same typed in lower case ("ahmed qureshi"): a name only if the display name bears it out.
LOWER_CASE_SIGN_OFF = 0.5


def _capitalise(word: str) -> str:
    return recased_prefix(re.sub(r"[^\W\d_]+", lambda part: part.group(0).capitalize(), word.lower()))


def _case_words(words: list[str]) -> list[str]:
    cased = []
    for index, word in enumerate(words):
        if 0 < index < len(words) - 1 and word.lower() in _PARTICLES:
            # As the bearer writes it ("ap Rhys", "Ap Rhys"; "de Vries", "Da Silva"), in small
            # letters from a name in capitals; "née", "épouse" always in small letters.
            keep = word[:1].isupper() and not word.isupper() and word.lower() not in MARRIED_WORDS
            cased.append(word if keep else word.lower())
        elif word in _ARTICLES and index and words[index - 1].lower() in _PARTICLES:
            cased.append(word)  # "de la Roche" as written; "de La Fontaine" too
        elif (word.isupper() and len(word.strip(".")) > 1) or word.islower():
            cased.append(_capitalise(word))
        else:
            cased.append(word)
    return cased


def _surname_last(words: list[str]) -> list[str]:
    """French forms put the surname first in capitals: "DUPONT Jean" -> "Jean DUPONT" (not a
    Chinese name, written so in its own order: "CHAN Tai Man")."""
    if family_name_first(words):
        return words
    shouted = 0  # an initial ("J. Smith") is not a surname in capitals
    while shouted < len(words) and words[shouted].isupper() and len(words[shouted].strip(".")) > 1:
        shouted += 1
    if 0 < shouted < len(words) and all(not word.isupper() for word in words[shouted:]):
        return words[shouted:] + words[:shouted]
    return words


def _without_middle_initials(words: list[str]) -> list[str]:
    """A middle initial is left out, as forms and files write a name: "Samuel J. Whitaker"
    is "Samuel Whitaker", "J. R. Sutherland-Hay" is "J. Sutherland-Hay" (a first initial
    stays: "J. Smith")."""
    if len(words) < 3:
        return words
    return [words[0], *(word for word in words[1:-1] if not _is_initial(word)), words[-1]]


def _is_initial(word: str) -> bool:
    """ "J." or "J"; not the Irish "Ó" of "Seán Ó Súilleabháin", a word of the name."""
    return len(word.rstrip(".")) == 1 and word[0].isalpha() and word[0].isascii()


def normalise_person_name(text: str, *, strict_case: bool = False, initials: bool = False) -> str | None:
    """A person's name as "Jean Dupont", or None when `text` is not one.

    Titles, the letters after a name ("OBE", "Esq.") and middle initials are dropped
    (`initials` keeps these, as Indian names write the father's: "Ramesh K. Iyer"), "Dupont,
    Jean" and "DUPONT Jean" are put in the usual order ("WONG Ka Yee, Karen" is "Karen
    Wong"), words written in capitals (or all lower-case) are capitalised. With
    `strict_case`, every word must already start with a capital, as names do in
    running text (so "envoyé de mon iPhone" is not a name).
    """
    text = re.sub(r"\([^)]*\)", " ", text).strip().strip("\"'").strip()
    text = _TITLE.sub("", without_post_nominals(text))
    if "," in text:
        surname, _, given = (part.strip() for part in text.partition(","))
        if "," in given or len(given.split()) != 1:
            return None
        if family_name_first(surname.split()):  # "WONG Ka Yee, Karen": her English name
            surname = surname.split()[0]
        text = f"{given} {surname}"
    text = _TITLE.sub("", text)
    words = text.split()
    if not 2 <= len(words) <= _MAX_WORDS or not all(_WORD.match(word) for word in words):
        return None
    # "L'Épicerie du Marché": a word after an elided article counts too
    if (
        any(_ELIDED.sub("", fold(word)).strip(".") in _NOT_PERSON for word in words)
        or fold(words[0]) in _NOT_FIRST
    ):
        return None
    if strict_case and not all(word[0].isupper() or word.lower() in _PARTICLES for word in words):
        return None
    ordered = _surname_last(words)
    return " ".join(_case_words(ordered if initials else _without_middle_initials(ordered)))


_CLOSING = re.compile(
    r"(?<![a-z])(?:(?:bien|tres|tres bien) )?(?:cordialement|cordiales salutations|sinceres salutations"
    r"|salutations(?: distinguees| respectueuses)?|meilleures salutations|bien a vous|a bientot"
    r"|respectueusement|(?:best|kind|kindest|warm|warmest|many) (?:regards|wishes|thanks)|regards|sincerely"
    r"|yours (?:sincerely|faithfully|truly)|thanks(?: again)?|thank you|merci(?: d'avance| par avance"
    r"| beaucoup| encore)?|bonne (?:journee|soiree|continuation)|(?:bien )?amicalement|cdl?t|cordialt|slts"
    r"|en vous remerciant(?: par avance| d'avance)?|all the best|with thanks|thx"
    r"|(?:best|cheers|yours)(?=[ \t]*(?:[,!]|$))"
    r"|^ta(?=[ \t]*(?:[,!]|$)))[ \t]*[,.!]*[ \t]*(?P<rest>[^\n]*)$",  # British "ta", "thanks"
    re.MULTILINE,
)


def _without_closings(lines: list[str]) -> list[str]:
    """The lines that do not open with a closing: "Ta, Gaz" and "Cheers, Mick" are thanks and a
    given name, not a name written "Surname, Given"."""
    return [line for line in lines if not _CLOSING.match(fold(line))]


def _names_after_closings(text: str) -> Iterator[str]:
    """The line under each closing formula (or its end, "Cordialement, Jean Dupont")."""
    folded = fold(text)
    for match in _CLOSING.finditer(folded):
        rest = text[match.start("rest") : match.end("rest")].strip()
        if rest:
            yield rest
            continue
        following = text[match.end() :].lstrip()
        yield following.split("\n", 1)[0].strip()


# ... or the name a contract is in: "the policy is in my name (Melissa Kowalski)"
_INTRODUCTION = re.compile(
    r"(?<![a-z])(?:(?:je m'appelle|je me nomme|mon nom est|my name is|my name's)[ \t]+"
    r"|(?:in my name|a mon nom|en mon nom)[ \t]*\((?=[^\n()]+\)))"
    r"(?P<name>[^\n,.;:!?()]+)"
)
_AND = re.compile(r"[ \t]+(?:et|and|from|de la|du|des|de chez|votre|your)[ \t].*$")


def _introduced_names(text: str) -> Iterator[str]:
    """The name a customer gives in a sentence: "Je m'appelle Jean Dupont et ...", "the policy
    is in my name (Melissa Kowalski)"."""
    folded = fold(text)
    for match in _INTRODUCTION.finditer(folded):
        start, end = match.span("name")
        cut = _AND.search(folded, start, end)
        yield text[start : cut.start() if cut else end].strip()


# The line under a name in a sender block: a street with its number, a flat or a building, a
# postcode and its town ("12 rue des Lilas", "Flat 3, 14 High Street", "69003 LYON", "BS7 9LQ").
_ADDRESS_LINE = re.compile(
    r"^[ \t]*(?:\d{1,4}(?:[ \t]?(?:bis|ter|[a-d]))?[ \t,]+[^\W\d_]"
    r"|(?:flat|apt|apartment|appartement|app|bat|batiment|residence|lieu-dit|bp|cs)[ \t.,]"
    r"|\d{5}[ \t]+[^\W\d_]|[a-z]{1,2}\d[a-z\d]?[ \t]?\d[a-z]{2}[ \t]*$)"
)
_BLOCK_REACH = 6  # lines at the top of a text where a sender block stands


def _sender_block_names(text: str) -> Iterator[str]:
    """A name over a postal address among the first lines of a text, as letters begin."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][: _BLOCK_REACH + 1]
    for line, below in zip(lines, lines[1:], strict=False):
        if _ADDRESS_LINE.match(fold(below)) and not _ADDRESS_LINE.match(fold(line)):
            yield line


_SIGN_OFF_LINES = 6  # a name over a role, a contract, an address and a phone


def _sign_offs(text: str) -> list[str]:
    """Where a mail with no closing is signed: its last line, and the first line of its last
    paragraph when that is a short block set apart (a name over a phone or a company)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        return []
    paragraphs = [block.strip() for block in re.split(r"\n[ \t]*\n", text.strip()) if block.strip()]
    last = paragraphs[-1].splitlines()
    block = [last[0].strip()] if len(paragraphs) > 1 and len(last) <= _SIGN_OFF_LINES else []
    return [*block, lines[-1]]


_TOP_LINES = 4


def _top_lines(text: str) -> list[str]:
    """The first lines of a signature, where its writer's name stands ("Claire O'Neill | Analyst"
    under a bare "Claire")."""
    lines = [line.strip() for line in text.splitlines() if line.strip() not in ("", "--", "-- ", "__")]
    return lines[:_TOP_LINES]


class CustomerNameFinder:
    """`customer_name` from the From display name, the signature or a closing in the body."""

    names = ("customer_name", POLICYHOLDER)

    def find(self, source: TextSource, settings: ParsingSettings) -> Iterable[Field]:
        kind = source_kind(source.source)
        if kind == "sender":
            return _fields([source.text], DISPLAY_NAME, source, strict_case=False)
        fields = []
        if kind in ("attachment", "body"):
            # in a mail, whom a policy or an account is held by is the policyholder: "IBAN : ...\n
            # Titulaire : M. Lucien Gaborit" under a son's mail; on a form, the customer
            for line, confidence, held in labelled_names(source.text):
                name = POLICYHOLDER if held and kind == "body" else "customer_name"
                fields += _fields([line], confidence, source, strict_case=False, name=name)
            block = SENDER_BLOCK if kind == "body" else SENDER_BLOCK_DOCUMENT
            fields += _fields(_sender_block_names(source.text), block, source, strict_case=True)
        if kind in ("signature", "body"):
            signed = SIGNED if kind == "signature" else SIGNED_IN_BODY
            closing = _fields(_names_after_closings(source.text), signed, source, strict_case=True)
            if kind == "signature" and not closing:
                top = _without_closings(_top_lines(source.text))
                closing = _fields(top, SIGNATURE_TOP, source, strict_case=True)[:1]
            if kind == "body" and not closing:
                signed_off = _without_closings(_sign_offs(source.text))
                closing = _fields(signed_off, SIGN_OFF, source, strict_case=True)
                lower = [line for line in signed_off if line.islower()]
                closing += _fields(lower, LOWER_CASE_SIGN_OFF, source, strict_case=False)
            fields += closing
            fields += _fields(_introduced_names(source.text), INTRODUCED, source, strict_case=True)
        # a signature's "Attorney for Dorothy Pennington", a forwarder's "pour ma cliente, Mme Lan Nguyen":
        # the policyholder, whom the writer (the customer who writes) writes for
        if kind in ("body", "signature", "note"):
            fields += _fields(
                represented_names(source.text), REPRESENTED, source, strict_case=True, name=POLICYHOLDER
            )
        return fields


def _fields(
    lines: Iterable[str],
    confidence: float,
    source: TextSource,
    *,
    strict_case: bool,
    name: str = "customer_name",
) -> list[Field]:
    """The names of `lines`; in a text, a name line may end with the writer's phone."""
    in_text = reads_text(source.source)
    fields = []
    for line in lines:
        written = _AFTER_NAME.sub("", line) if in_text else line
        person = normalise_person_name(written, strict_case=strict_case, initials=source.country == "IN")
        if person is not None:
            fields.append(make_field(name, person, written, confidence, source))
    return fields


def name_written_as_address(email: str, text: str) -> str | None:
    """The line of `text` that spells the name an address is made of ("Roger Millet" for
    roger.millet@..., "MILLET Roger" too): the name of a sender whose From gives none. The
    address may add digits to the name (lucas.ferreira93@), and the line a phone or other
    digits after it ("jordan mallet 06 01 02 93 84"), the address may shorten a word or give
    initials ("jessica moreau-da silva" for jess.mds@). A line that gives initials where the
    address spells the words ("C. MOULIN" from claire.moulin@) is the name the address spells."""
    local = fold(email.partition("@")[0])
    parts = [part.rstrip("0123456789") for part in re.split(r"[._\-]+", local)]
    parts = [part for part in parts if part]
    if len(parts) < 2 or not all(part.isalpha() for part in parts) or all(len(part) < 2 for part in parts):
        return None
    for line in text.splitlines():
        name = _AFTER_NAME.sub("", line.strip())
        words = [word for word in re.split(r"[\s\-]+", fold(name)) if word]
        if all(len(word) >= 2 for word in words) and abbreviates(parts, words):
            return name
        if len(words) >= 2 and all(word.isalpha() for word in words) and spells_address(parts, words):
            return name  # "jessica moreau-da silva" for jess.mds@
        spelled = spelled_out(_TITLE.sub("", name).split(), [_capitalise(part) for part in parts])
        if spelled is not None:
            return " ".join(spelled)
    return None


# What follows a name on its line: a phone or other digits ("jordan mallet 06 01 02 93 84"), a
# role or a company set apart by a bar ("Claire O'Neill | Senior Analyst | Acme Ltd").
_AFTER_NAME = re.compile(
    r"[\s,;:/\-]+[+(]?\d(?:[\s().+/\-]*\d){7,}[\s).]*$|[ \t]*\|.*$"
    r"|[ \t]+(?:t/a|trading as)[ \t].*$"  # "Thomas Ashworth t/a Ashworth Plumbing": the man, not his trade
)
