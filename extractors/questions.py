"""The questions a customer asked in what they wrote this time, in French and English.

A question is a sentence, as written, that ends with a question mark, or that
asks without one: an interrogative opening ("comment", "combien", "how do I",
"is it possible") or an indirect question ("pourriez-vous m'indiquer",
"j'aimerais savoir si", "could you tell me", "I wonder whether"). Courtesy
formulas that only look like questions ("N'hésitez pas à me contacter", "Let
me know if you need anything else", "Comment allez-vous ?") are not. Only the
new text is read, never the subject (a "?" there is a topic, not a question),
the quoted thread or the signature. Matching is done on folded text, so
missing accents and typographic apostrophes do not matter.
"""

from __future__ import annotations

import re
import unicodedata

from rpa.models import Message

__all__ = ["find_questions", "questions_in", "sentences"]

_MAX_CHARS = 600  # longer "sentences" are unpunctuated blocks, not one question

# Words whose final dot is not the end of a sentence (folded, without the dot).
_ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle dr pr st ste cf etc av bd mr mrs ms jr sr inc ltd corp dept approx vs "
    "e.g i.e p.ex c.-a-d c.a.d".split()
)
# Abbreviations only before a number: "n. 12", "p. 3", "No. 4" ("I said no. Then..." ends).
_NUMBER_ABBREVIATIONS = frozenset("no nos n num p pp art vol ref tel".split())

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”')\]]*\s+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")

# Sentences that open like a question without a question mark: an interrogative at the
# start (after at most a short lead-in such as "Par ailleurs," or "Also,"), folded.
_INTERROGATIVE = re.compile(
    r"^(?:[^,;:]{0,25}[,;:]\s*)?(?:"
    r"(?:comment|combien|pourquoi|quel(?:le)?s?|lequel|laquelle|ou (?:puis|dois|peut|se trouve|en est))\b"
    r"|est[- ]ce (?:que|qu)\b|qu'?est[- ]ce\b"
    r"|(?:puis|dois|peux|pourrais|devrais|faut|peut)[- ]?(?:je|il|on)\b"
    r"|(?:serait|est)[- ]il possible\b|y a[- ]t[- ]il\b"
    r"|how (?:do|can|should|long|much|many|often|soon|does|is|are|will|would)\b"
    r"|(?:what|where|why|who)(?:'s| is| are| do| does| did| can| should| will| would| happens)\b"
    r"|which (?:\w+ )?(?:do|does|can|should|will|would)\b"
    r"|when (?:do|does|can|will|should|is|are|would)\b"
    r"|(?:can|could|may|should|must|do|does|is|are|will|would) (?:i|we|you|it|my|the|this|there)\b"
    r")"
)

_INFORM_FR = (
    r"(?:indiquer|dire|preciser|expliquer|confirmer|informer|renseigner|eclairer|faire savoir|"
    r"communiquer|orienter|conseiller)"
)

# Indirect questions, wherever they stand in the sentence (folded).
_INDIRECT = re.compile(
    r"\b(?:"
    r"(?:pouvez|pourriez|pourrez|auriez|sauriez|savez)[- ]?vous\b.{0,40}?\b(?:m'|me |nous )?"
    + _INFORM_FR
    + r"|(?:merci|je vous (?:remercie|saurais gre)) de (?:bien vouloir )?(?:m'|me |nous )"
    + _INFORM_FR
    + r"|(?:je |j')(?:souhaiterai[st]?|souhaite|voudrai[st]?|veux|aimerai[st]?|desire|desirerai[st]?)"
    r"(?: aussi| egalement| donc| bien)? (?:savoir|connaitre|comprendre|etre (?:renseigne|informe|eclaire)e?"
    r"|avoir des (?:precisions|informations)|des (?:precisions|informations|renseignements))"
    r"|je me demand(?:e|ais)\b|je ne sais pas (?:si|comment|ou|quand|quel)"
    r"|\best[- ]ce (?:que|qu)"
    r"|(?:expliquer|explain) (?:moi |me |us )?(?:comment|pourquoi|how|why|what|whether)\b"
    r"|(?:can|could|would|will) you (?:please )?(?:tell|let|advise|confirm|explain|inform|clarify|"
    r"indicate|specify|point)\b"
    r"|please (?:advise|confirm|tell me|explain|clarify|let (?:me|us) know) "
    r"(?:me |us )?(?:whether|if|how|what|when|which|where|why|who)\b"
    r"|please (?:advise|tell me|explain)\b"
    r"|(?:i|we)(?:'d| would) (?:like|love|appreciate|be grateful)(?: it)?(?: if you could)? (?:to )?"
    r"(?:know|understand|find out|ask|learn|tell me|explain|confirm|clarify)\b"
    r"|(?:i|we) (?:wonder|was wondering|were wondering|am wondering|want to know|need to know)\b"
    r"|(?:i|we) (?:do not|don't) (?:know|understand) (?:whether|if|how|what|when|which|where|why)\b"
    r")"
)

# Courtesy formulas that look like questions but ask nothing (folded).
_COURTESY = re.compile(
    r"n'?hesitez pas|ne pas hesiter|je reste a (?:votre )?disposition|restant a (?:votre )?disposition"
    r"|dans l'attente"
    r"|comment (?:allez|vas|va)[- ]?(?:vous|tu)?\b|ca va\s*\?"
    r"|(?:let|letting) (?:me|us) know if (?:you )?(?:need|have|require|want)"
    r"|(?:if|should) you (?:need|have|require) (?:any|anything|more|further)"
    r"|(?:feel free|do not hesitate|don't hesitate)"
    r"|how are you\b|hope (?:you are|you're|this finds)"
    r"|look(?:ing)? forward to"
)
# Thanks and closings: courtesy too, unless an indirect question follows ("Merci d'avance,
# pouvez-vous me dire si...", "Thanks, could you tell me...").
_THANKS = re.compile(
    r"^(?:merci (?:d'avance|par avance|de votre|pour votre|beaucoup)|thank(?:s| you)|many thanks|regards"
    r"|best|cordialement|bien a vous)\b"
)


def find_questions(message: Message) -> list[str]:
    """The questions of what the customer wrote this time, in order, each once."""
    found: list[str] = []
    for text in _written_now(message):
        for question in questions_in(text):
            if question not in found:
                found.append(question)
    return found


def questions_in(text: str) -> list[str]:
    """The sentences of `text` that ask something, trimmed, as written."""
    return [sentence for sentence in sentences(text) if _asks(sentence)]


def sentences(text: str) -> list[str]:
    """`text` cut into sentences: at . ! ? … followed by a space (not after an abbreviation,
    an initial or inside a number), at blank lines, and before list items."""
    out: list[str] = []
    for block in _blocks(text):
        start = 0
        for match in _SENTENCE_END.finditer(block):
            if _is_abbreviation(block[start : match.start()], block[match.end() :]):
                continue
            out.append(block[start : match.start()].strip())
            start = match.end()
        out.append(block[start:].strip())
    return [sentence for sentence in out if sentence]


def _written_now(message: Message) -> list[str]:
    """The customer's new words: the mail's new text, a forwarded customer's text, or a bare
    document's first pages. Like `extractors.intent.common.written_text`, but without the
    forwarded mails' subjects: a subject ending in "?" names a topic, it does not ask."""
    parts = [message.new_text]
    parts += [inner.new_text or inner.body for inner in message.forwarded]
    if not message.new_text.strip() and not message.forwarded:
        parts += [page.text for attachment in message.attachments for page in attachment.pages[:2]]
    return [_unquoted(part) for part in parts if part and part.strip()]


def _unquoted(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def _blocks(text: str) -> list[str]:
    """Paragraphs with their wrapped lines joined; a list item or a short line ending a
    greeting ("Bonjour,") starts a block of its own."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            blocks.append([])
            continue
        if _LIST_ITEM.match(stripped) or (blocks[-1] and _ends_line(blocks[-1][-1], stripped)):
            blocks.append([])
        blocks[-1].append(_LIST_ITEM.sub("", stripped))
    return [" ".join(lines) for lines in blocks if lines]


def _ends_line(line: str, following: str) -> bool:
    """Whether `line` ends a sentence though no blank line follows: a greeting ("Bonjour,"),
    a question, or a line without final punctuation followed by one that opens with a
    capitalised word (informal mail often drops the full stop)."""
    if line.endswith("?") or (len(line) < 40 and line.endswith(",")):
        return True
    return not re.search(r"[.,;:!?…]$", line) and bool(re.match(r"[A-ZÀ-Ý][a-zà-ÿ']", following))


def _is_abbreviation(before: str, after: str) -> bool:
    if not before.endswith("."):
        return False
    word = before.rsplit(None, 1)[-1] if before.split() else ""
    bare = _fold(word).rstrip(".").lstrip('("«')
    if bare in _NUMBER_ABBREVIATIONS:
        return after[:1].isdigit()
    if bare in _ABBREVIATIONS or (len(bare) == 1 and bare.isalpha()):
        return True  # "M. Dupont", "e.g. the", "J. Smith"
    return bool(re.fullmatch(r"(?:[a-z]\.){2,}[a-z]?", _fold(word).lstrip('("«')))


def _asks(sentence: str) -> bool:
    if len(sentence) > _MAX_CHARS or not re.search(r"[^\W\d_]{2}", sentence):
        return False
    folded = _fold(sentence)
    if _COURTESY.search(folded) or (_THANKS.search(folded) and not _INDIRECT.search(folded)):
        return False
    end = folded.rstrip(" \u00a0\u202f)»\"'”")
    if end.endswith("?") or end.endswith("?!"):
        return True
    if end.endswith("!"):
        return False  # "Quelle galere !" exclaims
    return bool(_INTERROGATIVE.search(folded) or _INDIRECT.search(folded))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip()
