"""Whether a request must be answered before the others: the `urgent` flag's reasons.

A mail is urgent when what the customer wrote now (quotes left out, accents
folded, French or English) names one of:

- `legal`: a threat of a lawyer or court, a formal notice ("mise en demeure",
  "saisir le tribunal", "poursuites", "instruct my solicitor", "legal action",
  "small claims court", "sue");
- `regulator`: an ombudsman or regulator ("médiateur", "ACPR", "DGCCRF",
  "ombudsman", "FOS", "FCA");
- `vulnerability`: serious illness, disability, old age, pregnancy, the death of
  a person, losing one's home, no heating in winter, a child in danger;
- `repeated`: the customer has written several times and is still waiting
  ("troisième relance", "je vous ai déjà écrit trois fois", "third time I'm
  writing"). A second mail ("toujours pas de réponse", "still no answer to my
  email") is a reminder, not yet urgent.

Words in passing are not cues: a "constat d'huissier", "the battery died",
"une enceinte Bluetooth", a "contrat obsèques" or "garantie invalidité", the
death of a pet, a firm "regulated by the FCA"; nor is a threat taken back in
its own clause ("sans aller jusqu'au tribunal", "I would rather not involve
my solicitor").

The store adds `repeated` on its own when earlier messages carry the same claim
number (see `rpa.store.writer`): extractors know only the mail in hand.
"""

from __future__ import annotations

import re

from extractors.intent.common import fold, written_text
from rpa.models import Message

__all__ = ["LEGAL", "REGULATOR", "REPEATED", "VULNERABILITY", "urgency_reasons", "urgency_reasons_of_text"]

LEGAL = "legal"
REGULATOR = "regulator"
VULNERABILITY = "vulnerability"
REPEATED = "repeated"

_COUNT = (
    r"(?:deux|trois|quatre|cinq|plusieurs|maintes|de nombreuses|\d+"
    r"|two|three|four|five|several|many|multiple)"
)
_PET = r"(?:chien|chienne|chat|chatte|chaton|animal|cheval|jument|lapin|dog|cat|kitten|puppy|pet|horse)"
_NTH = (  # the third time or more: a second reminder is a reminder
    r"(?:troisieme|quatrieme|cinquieme|sixieme|enieme|nieme|[3-9](?:e|eme)|third|fourth|fifth|sixth"
    r"|umpteenth|nth|[3-9](?:rd|th))"
)

# Words that take a threat back when they come just before it in the same sentence.
_DISCLAIMER = re.compile(
    r"\b(?:sans (?:\w+ )?(?:aller|passer|recourir|devoir)"
    r"|(?:ne|n') ?(?:veux|souhaite) pas (?:aller|saisir|engager)"
    r"|eviter|plutot que|pas besoin|(?:don't|do not|wouldn't|would not) want to (?:go|take|involve|get)"
    r"|rather not|without (?:\w+ )?(?:going|having|needing)|avoid|no need|instead of)"
)
_DISCLAIMER_REACH = 60  # characters: within the threat's own clause

_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern))
    for reason, pattern in (
        (
            LEGAL,
            r"\b(?:(?:saisir|consulter|contacter|prendre|mandater|transmettre|confier|voir) (?:\w+ ){0,3}"
            r"(?:un|mon|notre) avocat|mon avocat (?:va|vous|se charge|prendra|a ete|est saisi)"
            r"|par (?:l'intermediaire de )?mon avocat"
            r"|mise en demeure|mets en demeure|mettre en demeure"
            r"|(?:saisir|saisirai|saisis|porter|porterai|devant|aller au|irai au) (?:\w+ ){0,3}tribunal"
            r"|poursuites?(?: judiciaires?)?|action (?:en justice|judiciaire)"
            r"|(?:agir|recours|aller) en justice"
            r"|plainte contre (?:vous|votre|votre compagnie|l'assureur)|assignation"
            r"|(?:envoyer|mandater|faire appel a|passer par) (?:un|mon) huissier"
            r"|(?:instruct|consult|contact|involve|see|speak|talk|pass|hand|get|hire|engage|refer)\w* "
            r"(?:\w+ ){0,3}(?:my|a|our) (?:lawyer|solicitor|attorney)"
            r"|my (?:lawyer|solicitor|attorney)s? (?:will|is|are|has|have|says|advised)"
            r"|legal (?:action|proceedings)|small claims(?: court)?"
            r"|(?:take|taking) (?:you|this|it) to court|in court|letter before action"
            r"|\bsue\b|\bsuing\b|court action)",
        ),
        (
            REGULATOR,
            r"\b(?:mediat(?:eur|rice|ion)(?: de l'assurance)?|acpr|dgccrf|autorite de controle"
            r"|association de (?:consommateurs|defense des consommateurs)|ufc.que choisir"
            r"|ombudsman|\bfos\b|financial ombudsman"
            r"|(?<!regulated by the )(?:\bfca\b|financial conduct authority)"
            r"|(?<!regulated by the )regulator\b"
            r"|citizens advice|trading standards)",
        ),
        (
            VULNERABILITY,
            r"\b(?:cancer|chimio(?:therapie)?|maladie (?:grave|incurable|chronique)|gravement malade"
            r"|soins palliatifs|phase terminale|handicap(?:e|ee)?|(?<!garantie )(?<!rente )invalidite"
            r"|fauteuil roulant"
            r"|personne agee|(?:age|agee) de (?:[89]\d|1[01]\d) ans|j'ai (?:[89]\d|1[01]\d) ans"
            r"|(?:suis|est|etant) enceinte|enceinte de|grossesse"
            # a person's death, not a pet's nor a policy's "garantie décès"
            rf"|(?:suite au|depuis le) deces(?! (?:de |d')(?:\w+ )?{_PET})"
            r"|(?:mari|epoux|epouse|femme|compagnon|compagne|conjointe?|pere|mere|papa|maman|fils|fille|frere"
            r"|soeur|enfant|parent|grand.(?:pere|mere))\b[\w ,]{0,30}?\bdecedee?"
            r"|deces (?:de |d')(?:mon |ma |mes |notre |nos |son |sa |l')"
            rf"(?!contrat|assurance|police|garantie|{_PET})"
            r"|deuil|(?<!contrat )(?<!assurance )(?<!garantie )obseques|funerailles|veuve|veuf"
            r"|\bsans (?:logement|abri|domicile)"
            r"|a la rue|plus de (?:logement|toit)|sans chauffage|(?:pas|plus) de chauffage"
            r"|(?:enfant|bebe|fille|fils)s? (?:est |sont )?en danger|mise? en danger|detresse|suicid"
            r"|seriously ill|terminally ill|terminal (?:illness|cancer)|chemotherapy"
            r"|(?:is|am|are|being|registered) disabled"
            r"|disabled (?:son|daughter|child|wife|husband|mother|father)"
            r"|disability(?! (?:cover|insurance|benefit|policy))|wheelchair|elderly"
            r"|dementia|alzheimer|demence"
            r"|power of attorney"
            r"|sous (?:tutelle|curatelle)|tutelle|curatelle"
            r"|(?:i am|i'm|aged) (?:[89]\d|1[01]\d)(?: years old)?\b|pregnan(?:t|cy)"
            r"|passed away|bereave|funeral(?! (?:plan|cover|insurance|policy))|widow"
            r"|(?:husband|wife|partner|mother|father|mum|dad|son|daughter|brother|sister) (?:\w+ )?died"
            rf"|death of (?:my|our|his|her) (?!{_PET})"
            r"|homeless|nowhere to (?:live|stay)|no heating|without heating"
            r"|(?:child|baby|son|daughter|children)(?: is| are)? (?:in danger|at risk)"
            r"|(?:in|great) distress)",
        ),
        (
            REPEATED,
            rf"\b(?:{_NTH} (?:relance|rappel|courrier|mail|message|fois)|relance n. ?[3-9]"
            rf"|(?:deja|depuis) (?:ecrit|relance|contacte|appele|envoye)\w* {_COUNT} fois"
            rf"|{_COUNT} (?:relances|rappels|fois que je)|a {_COUNT} reprises"
            rf"|(?:mes|plusieurs|nombreux) (?:precedents |multiples )?"
            rf"(?:mails|courriels|messages|relances|appels) (?:\w+ )?(?:sont )?(?:restes? )?sans reponse"
            rf"|{_NTH} time (?:i(?:'m| am| have|'ve)? )?(?:writ|email|contact|chas|call|ask)"
            rf"|(?:written|wrote|emailed|contacted|chased|called)(?: to)?(?: you)? {_COUNT} times"
            rf"|{_NTH} (?:email|reminder|letter|request|attempt|chaser)"
            rf"|no (?:reply|answer|response) to (?:any of )?my {_COUNT} (?:previous |earlier )?"
            rf"(?:emails|letters|messages|calls|reminders)"
            rf"|{_COUNT} (?:reminders|follow.ups|emails) (?:and|with|but) no)",
        ),
    )
)


def urgency_reasons(message: Message) -> list[str]:
    """Why this mail is urgent (`legal`, `regulator`, `vulnerability`, `repeated`), or [] when it is not."""
    return urgency_reasons_of_text(f"{message.subject}\n{written_text(message)}")


def urgency_reasons_of_text(text: str) -> list[str]:
    folded = fold(text)
    return [reason for reason, cue in _CUES if _named(cue, folded)]


def _named(cue: re.Pattern[str], folded: str) -> bool:
    """Whether the text names the cue once at least without taking it back."""
    return any(not _disclaimed(folded, match) for match in cue.finditer(folded))


def _disclaimed(folded: str, cue: re.Match[str]) -> bool:
    """A threat said not to be one: "sans aller au tribunal", "I don't want to involve a lawyer"."""
    clause = folded[max(0, cue.start() - _DISCLAIMER_REACH) : cue.end()]
    sentence = re.split(r"[.!?;]", clause)[-1]
    return _DISCLAIMER.search(sentence) is not None
