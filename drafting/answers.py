"""Answers to the customer's questions from the knowledge base, or an open question for the agent.

Each question is searched in the knowledge base; the passages found are then
scored by how much of the question they cover, a measure on one scale whatever
ranked them (BM25 alone, or fused with embeddings, whose scores are ranks):

    coverage   the share of the question's content words, weighted by how rare
               they are in the base (IDF), that the passage (title and text)
               contains; a word counts when the passage has a word with the same
               first five letters ("resilier" / "resiliation"), and at least two
               of the question's words must be there
    cosine     the question's and the passage's sentence embeddings, when the
               embedding model serves the language

A question is `answered` by the best passage when its coverage reaches
`MIN_COVERAGE`, or its cosine `MIN_COSINE`; otherwise it stays `open` and the
agent answers it. Both thresholds were calibrated on the labelled questions of
`tests/test_questions.py` (the sample base in `samples/kb`), see the README.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from drafting.kb import KnowledgeBase
from drafting.lexicon import terms
from rpa.models import Passage, Question

__all__ = [
    "ANSWERED",
    "MIN_COSINE",
    "MIN_COVERAGE",
    "OPEN",
    "OPEN_QUESTION",
    "AnswerFinder",
    "question_context",
    "with_answer_passages",
]

ANSWERED, OPEN = "answered", "open"
OPEN_QUESTION = "open_question"  # message flag: a question the draft leaves to the agent

MIN_COVERAGE = 0.5
MIN_COSINE = 0.42
_CANDIDATES = 5
_PREFIX = 5
_LEAST_WORDS = 2

# Words that make a sentence a question but say nothing of its topic (as `terms` gives them:
# folded, plurals cut: "souhaiterais" -> "souhaiterai").
_ASKING_WORDS = frozenset(
    "comment combien pourquoi quel quelle quand ou est-ce lequel laquelle indiquer dire preciser "
    "expliquer confirmer savoir connaitre souhaiterai souhaite voudrai aimerai puis dois peux faut "
    "possible moi vouloir renseigner informer question merci svp temp avant faire envoyer fournir "
    "transmettre how what which where why who when tell let know like wonder wondering advise explain "
    "confirm me us need want whether does did get there send provide give should must".split()
)


class AnswerFinder:
    """Answers questions from one knowledge base (built once: it counts the base's words)."""

    def __init__(self, knowledge: KnowledgeBase | None) -> None:
        self.knowledge = knowledge
        passages = knowledge.passages if knowledge else []
        self._total = len(passages) or 1
        self._frequency = Counter(prefix for passage in passages for prefix in _passage_prefixes(passage))

    def answer(self, questions: Sequence[str], language: str) -> list[Question]:
        """One `Question` per text, `answered` with its passage or `open`."""
        return [self._answer(text, language) for text in questions]

    def _answer(self, text: str, language: str) -> Question:
        if not self.knowledge or not len(self.knowledge):
            return Question(text, OPEN)
        candidates = self.knowledge.search(text, language, _CANDIDATES)
        cosines = self._cosines(text, candidates, language)
        best: tuple[tuple[float, float], Passage] | None = None
        for passage, cosine in zip(candidates, cosines, strict=True):
            coverage = self.coverage(text, passage)
            if coverage < MIN_COVERAGE and cosine < MIN_COSINE:
                continue
            # Sections of one article share its title's words: their own heading tells them apart.
            key = (round(max(coverage, cosine), 2), self._weighted_share(text, _heading_prefixes(passage)))
            if best is None or key > best[0]:
                best = (key, passage)
        if best is None:
            return Question(text, OPEN)
        return Question(text, ANSWERED, best[1])

    def coverage(self, question: str, passage: Passage) -> float:
        """The IDF-weighted share of the question's content words the passage contains: 0 when it
        has fewer than two of them ("Et pour mon contrat ?" is too short to answer from words)."""
        return self._weighted_share(question, _passage_prefixes(passage), least=_LEAST_WORDS)

    def _weighted_share(self, question: str, have: frozenset[str], *, least: int = 1) -> float:
        """The IDF-weighted share of the question's words in `have`; 0 when fewer than `least`
        of them are there."""
        wanted = _question_terms(question)
        if len(wanted & have) < least:
            return 0.0
        weights = {
            prefix: math.log(1 + (self._total + 0.5) / (self._frequency[prefix] + 0.5)) for prefix in wanted
        }
        found = sum(weight for prefix, weight in weights.items() if prefix in have)
        return round(found / sum(weights.values()), 4)

    def _cosines(self, question: str, passages: Sequence[Passage], language: str) -> list[float]:
        if not passages or not self.knowledge:
            return [0.0] * len(passages)
        return [round(cosine, 4) for cosine in self.knowledge.similarities(question, passages, language)]


def question_context(questions: Sequence[Question]) -> dict[str, list]:
    """What a reply template needs: `answers`, one per passage (the questions it answers, its
    title and text), and `open_questions`, the texts the agent must answer."""
    answers: dict[tuple[str, str], dict] = {}
    for question in questions:
        if question.status != ANSWERED or question.passage is None:
            continue
        passage = question.passage
        key = (passage.source, passage.text)
        if key not in answers:
            title = passage.title.replace(" > ", " – ")
            answers[key] = {"questions": [], "title": title, "text": passage.text.strip()}
        answers[key]["questions"].append(question.text)
    return {
        "answers": list(answers.values()),
        "open_questions": [question.text for question in questions if question.status != ANSWERED],
    }


def with_answer_passages(passages: Sequence[Passage], questions: Sequence[Question]) -> list[Passage]:
    """The mail's passages and those the answers quote, each once: a quoted passage's source is
    recorded with the draft, and the facts guard takes it as a source."""
    found = list(passages)
    seen = {(passage.source, passage.text) for passage in found}
    for question in questions:
        passage = question.passage
        if passage is not None and (passage.source, passage.text) not in seen:
            found.append(passage)
            seen.add((passage.source, passage.text))
    return found


def _question_terms(text: str) -> set[str]:
    """The question's topic words, cut to their first letters."""
    return {word[:_PREFIX] for word in terms(text) if word not in _ASKING_WORDS and len(word) > 1}


def _heading_prefixes(passage: Passage) -> frozenset[str]:
    """The words of the passage's own heading that its article's title does not have."""
    parts = passage.title.split(" > ")
    own = {word[:_PREFIX] for word in terms(parts[-1])}
    return frozenset(own - {word[:_PREFIX] for word in terms(" ".join(parts[:-1]))})


def _passage_prefixes(passage: Passage) -> frozenset[str]:
    return frozenset(word[:_PREFIX] for word in terms(f"{passage.title}\n{passage.text}"))
