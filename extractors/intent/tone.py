"""How the customer feels about what they wrote now: negative, neutral or positive.

Words of feeling are looked for in the accent-folded text (so "decu" is "déçu",
"tres mecontent" is "très mécontent"), each with a weight, in French and
English. The rules that make a word list read like a person:

- negation turns a feeling around: "pas content", "ne suis pas satisfait",
  "not happy", "never helpful" are negative; a negated grievance ("pas de
  problème", "not bad") counts for nothing;
- intensifiers ("très", "vraiment", "really", "so") weigh the next feeling more;
- shouting (words in capitals) and "!!!" make a feeling stronger, and shouting
  alone reads as anger;
- what follows "mais" / "but" weighs twice: it is what the customer means;
- politeness formulas are not feelings: "Merci d'avance", "Cordialement",
  "Kind regards", "Thanks in advance" are removed before anything is read,
  while thanks for a resolved case ("merci pour le virement", "thank you for
  sorting this out") are positive.
"""

from __future__ import annotations

import re

from extractors.intent.common import fold, written_text
from extractors.intent.urgency import LEGAL, REGULATOR, REPEATED, urgency_reasons_of_text
from rpa.models import Message, Sentiment

__all__ = ["sentiment_of", "sentiment_of_text", "tone_score"]

# Formulas of politeness: said whatever the customer feels, so they say nothing of it.
_POLITENESS = re.compile(
    r"\b(?:"
    r"(?:un )?(?:grand |tres grand )?merci (?:d'avance|par avance"
    r"|(?:de|pour) votre (?:aide|retour|reponse|comprehension|attention))"
    r"|(?:en )?vous (?:en )?remerciant(?: par avance| d'avance)?(?: de votre (?:aide|retour|reponse))?"
    r"|je vous remercie (?:par avance|d'avance|de votre (?:aide|retour|reponse|comprehension))"
    r"|(?:bien |tres )?cordialement|salutations(?: distinguees)?|bonne (?:journee|soiree|fin de journee)"
    r"|veuillez agreer[^.\n]*|je vous prie d'agreer[^.\n]*|dans l'attente de votre (?:retour|reponse)"
    r"|(?:many |a lot of )?thanks? (?:you )?"
    r"(?:in advance|for your (?:help|time|attention|reply|consideration))"
    r"|(?:kind|best|warm|many) regards|regards|yours (?:sincerely|faithfully)|sincerely"
    r"|have a (?:nice|good|great) day|i look forward to (?:hearing from you|your reply)"
    r"|i (?:should|would) be (?:most |very |really )?grateful (?:if|for)|i would appreciate (?:it )?if"
    r"|je vous serais (?:tres )?reconnaissante? (?:de|si)"
    r"|looking forward to (?:hearing from you|your reply)"
    r")\b"
)

# Thanks for something done: the case went well (positive, and strong).
_RESOLVED_THANKS = re.compile(
    r"\b(?:"
    r"merci (?:beaucoup |infiniment |encore )?(?:pour|de) (?:le |la |l'|votre |vos |ce |cette )?"
    r"(?:remboursement|virement|reglement|versement|paiement|rapidite|reactivite|efficacite|traitement"
    r"|diligence|intervention|geste|prise en charge)"
    r"|(?:bien|j'ai) recu (?:le |votre |mon )?(?:virement|remboursement|reglement|cheque|paiement)"
    r"|(?:le |mon )?(?:probleme|dossier|sinistre|souci) (?:est )?(?:(?:bien |enfin )?regle|resolu)"
    r"|thanks?(?: you)?(?: so much| very much| again)? for (?:the |your |my )?(?:refund|payment|transfer"
    r"|settlement|quick|prompt|fast|swift|sorting|resolving|fixing|handling)"
    r"|(?:received|got) (?:the |your |my )?(?:refund|payment|transfer|cheque|check)"
    r"|(?:problem|issue|claim|matter) (?:is |has been |was )?(?:now )?(?:resolved|sorted|settled|fixed)"
    r")"
)

# A grievance said in several words (stronger than any one of them).
_GRIEVANCES = re.compile(
    r"\b(?:"
    r"ras.le.bol|en (?:ai|avons) marre|ca suffit"
    r"|c'est une honte|se moque[rz]? (?:de moi|du monde|des clients)|foutez? (?:de moi|du monde)"
    r"|(?:pas|jamais) (?:eu|recu) (?:de|la moindre) reponse|personne (?:ne|n'a) (?:repond|rappel)\w*"
    r"|fed up|sick (?:and tired )?of"
    r"|had enough|not good enough|waste of (?:time|money)|no one (?:has )?(?:answered|replied|called)"
    r"|(?:haven't|have not|never) (?:had|received|got) (?:a|any) (?:reply|answer|response)"
    r"|(?:ca|cela) (?:fait|dure) (?:\w+ )?(?:semaines|mois)"
    r"|depuis (?:des|plusieurs|trop de) (?:semaines|mois)|(?:je )?perds? patience|a bout|n'importe quoi"
    r"|(?:c'est|c'etait) (?:un comble|trop long|la goutte)|je ne comprends (?:pas|toujours pas|plus)"
    r"|on me (?:balade|renvoie)|ne me rappelle jamais"
    r"|a tort|sans (?:mon|notre) (?:accord|consentement|autorisation)|(?:erreur|faute) de votre part"
    r"|(?:wrongly|in error|without (?:my|our) (?:consent|permission|authori[sz]ation)|your (?:mistake|error))"
    r"|(?:waiting|waited) (?:for )?(?:weeks|months)|for (?:weeks|months) now|(?:weeks|months) later"
    r"|losing (?:my )?patience|let down|not (?:impressed|acceptable)|beyond a joke"
    r"|at my wits'? end|taking (?:far |way )?too long"
    r"|(?:no|any) one (?:ever )?(?:gets back|calls back|replies)|i (?:still )?don't understand why"
    r"|expected better|pillar to post|run.?around|kept (?:waiting|in the dark)|chasing (?:you|this)"
    # what we failed to do: nobody came, nobody answered, money taken twice
    r"|(?:ne|n') ?(?:s'est|est) (?:jamais |pas )(?:venu|passe|presente|deplace)e?"
    r"|(?:double|deux) prelevements?"
    r"|preleve\w* (?:deux fois|en double|a nouveau)|(?:ne|n') ?(?:repond|rappel)\w* (?:pas|jamais|plus)"
    r"|(?:bande de|des|sont des) voleurs"
    r"|(?:didn't|did not|never|failed to) (?:turn up|show up|come|ring|call)"
    r"|no.show|(?:charged|debited|taken|billed) (?:me )?twice|double.charged|(?:nobody|no one) (?:has )?"
    r"(?:returned|got back|rang|called)|(?:wasn't|weren't|isn't|aren't|not) (?:answering|picking up)"
    r"|(?:didn't|did not|never) (?:answer|pick up|call back|ring back|get back)"
    r")"
)

# Still waiting: said alone, a reminder ("toujours rien reçu", "still no news"); beside another
# grievance or a raised voice, impatience.
_WAITING = re.compile(
    r"\b(?:toujours (?:pas|rien|aucune?|sans)|j'attends toujours"
    r"|(?:aucune|sans|pas de) (?:reponse|nouvelles?)"
    r"|still (?:has |have |had |is |are )?(?:no|nothing|not|waiting|\w+n't)"
    r"|(?:no|not a single|without any) (?:reply|answer|response|news))"
)

# Gratitude said for something done, not in advance: "merci beaucoup pour votre rapidité", "I really
# appreciate", "je tiens à vous remercier". Stronger than one word of thanks.
_GRATITUDE = re.compile(
    r"\b(?:"
    r"(?:un )?(?:grand |immense )?merci (?:beaucoup |infiniment |mille fois |encore )(?:pour|de) "
    r"(?!votre (?:aide|retour|reponse|attention|comprehension))"
    r"|mille mercis|merci mille fois|pour toute votre aide|thanks a (?:million|lot|bunch)|for all your help"
    r"|je (?:tiens|tenais) a vous remercier|je vous remercie (?:sincerement|vivement|infiniment)"
    r"|(?:service|accueil|suivi|travail) (?:impeccable|parfait|excellent|remarquable|au top)"
    r"|(?:excellent|tres bon|super) (?:service|travail|suivi|accueil)|tres satisfaite?|bien agreablement"
    r"|(?:thank you|thanks) (?:so|very) much for (?!your (?:help|time|reply|attention|consideration))"
    r"|(?:i |we )?(?:really |truly |genuinely )?appreciate (?:it|this|that|your|the|how|you)"
    r"|(?:great|good|excellent|fantastic|brilliant) (?:job|service|work)|well done|above and beyond"
    r"|(?:just )?(?:wanted|want) to (?:say )?thank|very (?:pleased|happy|satisfied)|can't thank you enough"
    r")"
)

# Harm the customer tells of (a break-in, ruin, a grave diagnosis): a distressed mail, even
# without a word against us.
_HARM = re.compile(
    r"\b(?:"
    r"cambriol\w*|saccag\w*|devast\w*|detruite?s?|ruinee?s?|blessee?s?|fait faillite|demence|alzheimer"
    r"|cancer|decedee?|burgl\w*|broken into|smashed|ruined|destroyed|wrecked|devastated|bruised|injured"
    r"|went bust|gone bust|dementia|passed away|died|hospitalise\w*|hospitali[sz]ed|in hospital|aux urgences"
    r"|(?:a ete|ont ete|m'a|m'ont|on m'a) volee?s?|stolen|delit de fuite|hit and run|drove off|agresse\w*"
    r"|mugged|assaulted|vandali[sz]\w*|flooded|inondee?s?|soaked|lost (?:my|our) (?:luggage|suitcase|bag)"
    r")\b"
)

_NEGATIVE = {
    # French
    "mecontent": 2, "mecontente": 2, "decu": 2, "decue": 2, "deception": 2, "inacceptable": 2,
    "inadmissible": 2, "scandaleux": 3, "scandale": 3, "honteux": 3, "honte": 2, "furieux": 3,
    "furieuse": 3, "colere": 2, "enerve": 2, "enervee": 2, "exaspere": 2, "exasperee": 2, "agace": 1,
    "agacee": 1, "lamentable": 3, "deplorable": 2, "catastrophique": 2, "nul": 2, "nulle": 2,
    "incompetent": 2, "incompetents": 2, "incompetence": 2, "insupportable": 2, "arnaque": 3,
    "marre": 2, "pire": 2, "inadmissibles": 2, "mepris": 2, "indigne": 2, "choque": 2,
    "choquee": 2, "revoltant": 3, "revoltee": 3, "revolte": 3, "abusif": 2, "inquiet": 1, "inquiete": 1,
    "angoisse": 1, "desespere": 2, "desesperee": 2, "degoute": 2, "degoutee": 2, "ridicule": 2,
    "lenteur": 1, "retard": 1, "desagreable": 2, "malhonnete": 3, "injuste": 2, "refus": 1,
    "refuse": 1, "refusez": 1, "refusent": 1, "avertissement": 1, "excede": 3, "excedee": 3,
    "insatisfait": 2, "insatisfaite": 2, "mecontentement": 2, "stresse": 1, "stressee": 1, "epuise": 1,
    "epuisee": 1, "angoissee": 1, "angoissant": 1, "inquietude": 1, "inquietant": 1, "aberrant": 2,
    "absurde": 2, "incomprehensible": 2, "regrettable": 1, "deplore": 2, "penible": 1,
    "cauchemar": 2, "catastrophe": 2, "scandaleuse": 3, "honteuse": 3, "decevant": 2, "decevante": 2,
    "exasperant": 2, "agacant": 1, "irrite": 2, "irritee": 2, "outre": 3, "outree": 3,
    "inqualifiable": 3, "abuse": 2, "negligence": 2, "deplorables": 2, "interminable": 2,
    # English
    "unacceptable": 2, "disgraceful": 3, "disgusting": 3, "disgusted": 3, "outrageous": 3, "furious": 3,
    "angry": 2, "annoyed": 1, "upset": 2, "disappointed": 2, "disappointing": 2, "frustrated": 2,
    "frustrating": 2, "appalling": 3, "appalled": 3, "terrible": 2, "awful": 2, "horrible": 2,
    "dreadful": 2, "useless": 2, "ridiculous": 2, "worst": 2, "shocking": 2,
    "shocked": 2, "scam": 3, "livid": 3, "poor": 1, "shameful": 3, "shame": 2, "worried": 1,
    "unfair": 2, "rude": 2, "dishonest": 3, "pathetic": 3, "joke": 1, "nightmare": 2, "fuming": 3,
    "unhappy": 2, "dissatisfied": 2, "delay": 1, "delays": 1, "complaint": 1, "refused": 1,
    "refusal": 1, "warning": 1, "complain": 1, "plaindre": 1, "stressed": 1, "stressful": 1,
    "anxious": 1, "concerned": 1, "distressed": 2, "exasperated": 2, "infuriating": 3,
    "hopeless": 2, "shambles": 3, "absurd": 2, "baffled": 1, "unreasonable": 2,
    "inexcusable": 3, "disappointment": 2, "unhelpful": 2, "careless": 2, "negligent": 2, "sloppy": 2,
    "irritated": 2, "cross": 1, "incensed": 3, "dismayed": 2, "unprofessional": 2,
}  # fmt: skip
_POSITIVE = {
    # French
    "satisfait": 2, "satisfaite": 2, "content": 2, "contente": 2, "ravi": 3, "ravie": 3, "parfait": 2,
    "excellent": 2, "excellente": 2, "super": 2, "genial": 2, "formidable": 2,
    "efficace": 2, "reactif": 2, "reactive": 2, "reactivite": 2, "rapidite": 1, "bravo": 2,
    "felicitations": 2, "impeccable": 2, "soulage": 2, "soulagee": 2, "reconnaissant": 2,
    "reconnaissante": 2, "agreable": 1, "aimable": 1, "heureux": 2, "heureuse": 2,
    "remercie": 0.5, "merci": 0.5, "serviable": 2, "enchante": 2, "enchantee": 2, "top": 1, "nickel": 2,
    "remarquable": 2, "exemplaire": 2, "professionnalisme": 2, "gentillesse": 2, "soulagement": 2,
    # English
    "happy": 2, "pleased": 2, "delighted": 3, "great": 2, "perfect": 2, "grateful": 2, "wonderful": 3,
    "fantastic": 3, "efficient": 2, "helpful": 2, "satisfied": 2,
    "relieved": 2, "amazing": 3, "brilliant": 3, "thank": 0.5, "thanks": 0.5, "glad": 2, "impressed": 2,
    "superb": 3, "appreciated": 2, "excited": 2, "outstanding": 3, "lovely": 2, "thrilled": 3,
    "smooth": 1, "painless": 2, "professionalism": 2, "kind": 1, "reassured": 2, "appreciative": 2,
}  # fmt: skip
# Words that say nothing plain but a grievance when negated: "pas normal", "not fair".
_NEGATED_ONLY = {
    "normal", "acceptable", "serieux", "professionnel", "correct", "raisonnable",
    "fair", "right", "reasonable", "professional", "ok", "okay", "good",
}  # fmt: skip
_NEGATORS = {
    "pas", "jamais", "aucun", "aucune", "guere", "nullement", "sans", "ni",
    "not", "never", "no", "hardly", "without", "nor", "cannot",
}  # fmt: skip
_INTENSIFIERS = {
    "tres", "vraiment", "tellement", "extremement", "trop", "totalement", "completement", "absolument",
    "particulierement", "profondement", "beaucoup", "infiniment",
    "really", "very", "so", "extremely", "totally", "absolutely", "completely", "utterly", "deeply", "truly",
    "incredibly", "much",
}  # fmt: skip
_TURNS = {"mais", "cependant", "pourtant", "toutefois", "neanmoins", "but", "however"}
_ACRONYMS = {"IBAN", "RIB", "SIRET", "PDF", "ACPR", "FOS", "CGV", "TVA", "VAT", "UK", "EDF", "SNCF", "URSSAF"}

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|n't|[!?.;:]")
_CLAUSE_ENDS = frozenset("!?.;:")  # a negation reaches no further
_CAPITALS = re.compile(r"\b[A-ZÀ-Ý]{3,}\b")
_LETTERS = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|tr|fwd?|aw)\s*:\s*)+", re.IGNORECASE)
_EXCLAIMS = re.compile(r"[!?]*![!?]*!")  # "!!", "?!!", "!!!": a raised voice
_NEGATION_REACH = 3  # words between a negation and what it negates: "ne suis vraiment pas très satisfait"
_INTENSIFIER_REACH = 2  # "très très content", "vraiment pas content"
_DECISIVE = 1.0
_THREATS = frozenset({LEGAL, REGULATOR, REPEATED})  # |score| from which a feeling is read


def sentiment_of(message: Message) -> Sentiment:
    """The feeling of what the customer wrote this time, its subject included ("Not happy",
    "Merci !"); quotes, signature and the writer's own name left out ("Ravi Kumar" signs, he
    is not "ravi")."""
    text = f"{_REPLY_PREFIX.sub('', message.subject)}.\n{written_text(message)}"
    for name in _writer_names(message):
        text = re.sub(rf"\b{re.escape(name)}\b", " ", text, flags=re.IGNORECASE)
    return sentiment_of_text(text)


def _writer_names(message: Message) -> set[str]:
    people = [part.sender for part in (message, *message.forwarded) if part.sender is not None]
    return {word for person in people for word in re.findall(r"\w{3,}", person.name)}


def sentiment_of_text(text: str) -> Sentiment:
    score = tone_score(text)
    if score >= _DECISIVE:
        return Sentiment.POSITIVE
    if score <= -_DECISIVE:
        return Sentiment.NEGATIVE
    return Sentiment.NEUTRAL


def tone_score(text: str) -> float:
    """Positive for a pleased customer, negative for an unhappy one, near 0 otherwise."""
    folded = fold(text)
    score = 3.0 * len(_RESOLVED_THANKS.findall(folded)) - 2.0 * len(_GRIEVANCES.findall(folded))
    score += 2.0 * len(_GRATITUDE.findall(folded)) - 1.0 * len(_WAITING.findall(folded))
    score -= min(2.0, len(_HARM.findall(folded)))
    if _THREATS.intersection(urgency_reasons_of_text(text)):
        score -= _DECISIVE  # a lawyer, an ombudsman, a third reminder: nobody writes that content
    for phrases in (_RESOLVED_THANKS, _GRATITUDE, _GRIEVANCES, _WAITING, _POLITENESS):
        folded = phrases.sub(" ", folded)  # each phrase counted once, not again word by word
    score += _word_score(_WORD.findall(folded))
    shouting = _shouting(text)
    raised = bool(_EXCLAIMS.search(text))
    if shouting or raised:
        score *= 1.5
        if shouting and abs(score) < _DECISIVE:
            score -= _DECISIVE  # capitals with no word of feeling: anger
    return score


def _word_score(tokens: list[str]) -> float:
    score, weight = 0.0, 1.0
    negated_at = boosted_at = -100
    for position, token in enumerate(tokens):
        word = token.split("'")[-1] if "'" in token and token != "n't" else token
        if token in _CLAUSE_ENDS:
            negated_at = -100
            continue
        if word in _TURNS:
            score, weight = score * 0.5, 2.0  # the turn says what is meant: what came before weighs less
            continue
        if word in _NEGATORS or token == "n't" or token.endswith("n't") or _ne_plus(tokens, position):
            negated_at = position
            continue
        if word in _INTENSIFIERS:
            boosted_at = position
            continue
        negated = position - negated_at <= _NEGATION_REACH
        value = _POSITIVE.get(word, 0) - _NEGATIVE.get(word, 0)
        if negated and word in _NEGATED_ONLY:
            value = -2
        elif negated and value > 0:
            value = -value  # "pas content", "not happy"
        elif negated and value < 0:
            value = 0  # "pas de problème", "not bad": no grievance
        boost = 1.5 if position - boosted_at <= _INTENSIFIER_REACH else 1.0
        score += weight * boost * value
    return score


def _ne_plus(tokens: list[str], position: int) -> bool:
    """French "ne ... plus" negates ("je ne suis plus satisfait"); "plus" alone does not."""
    if tokens[position] != "plus":
        return False
    before = tokens[max(0, position - 3) : position]
    return any(token in ("ne", "n") or token.startswith("n'") for token in before)


def _shouting(text: str) -> bool:
    """Words in capitals that are not acronyms, and enough of them to be a raised voice."""
    capitals = [word for word in _CAPITALS.findall(text) if word not in _ACRONYMS]
    letters = _LETTERS.findall(text)
    return len(capitals) >= 3 and len(capitals) >= 0.3 * len(letters)
