"""Knowledge-base search: BM25 over accent-folded terms, plus sentence embeddings where they serve.

Lexical ranking always works, offline and in both languages. When the
embedding model serves the query's language and passages carry vectors, the
two rankings are fused by reciprocal rank (each passage scores the sum of
1 / (60 + its rank) in each list), which needs no tuning between scales.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from drafting.embeddings import SentenceEmbedder
from drafting.lexicon import guess_language, terms
from rpa.models import Passage

__all__ = ["IndexedPassage", "KnowledgeBase"]

_K1, _B = 1.5, 0.75
_RRF_K = 60
_CANDIDATES = 50
_MIN_COSINE = 0.25  # below this an embedding "match" is noise


@dataclass(frozen=True)
class IndexedPassage:
    passage: Passage
    vector: bytes | None = None  # float32 unit vector from the embedding model, when it serves


class KnowledgeBase:
    def __init__(self, passages: Sequence[IndexedPassage], embedder: SentenceEmbedder | None = None) -> None:
        self.passages = [item.passage for item in passages]
        self.embedder = embedder
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._lengths: list[int] = []
        for number, passage in enumerate(self.passages):
            counts = Counter(terms(f"{passage.title}\n{passage.text}"))
            self._lengths.append(sum(counts.values()))
            for term, count in counts.items():
                self._postings[term].append((number, count))
        self._average = (sum(self._lengths) / len(self._lengths)) if self._lengths else 0.0
        self._vectors = _matrix(passages)
        self._by_language: dict[str, set[int]] = {}
        self._rows: dict[tuple[str, str, str], Any] = {}  # a passage's vector, stored or embedded once
        if self._vectors is not None:
            numbers, matrix = self._vectors
            self._rows = {_key(self.passages[n]): row for n, row in zip(numbers, matrix, strict=True)}
        self._last_query: tuple[str, Any] | None = None  # search() then similarities() embed it once

    def __len__(self) -> int:
        return len(self.passages)

    def search(self, query: str, language: str | None = None, limit: int = 3) -> list[Passage]:
        """The best passages for `query`, in `language` (and those of unknown language) when given."""
        if not self.passages or limit <= 0:
            return []
        allowed = self._allowed(language)
        lexical = self._bm25(query, allowed)
        semantic = self._semantic(query, language, allowed)
        if not semantic:
            ranked = sorted(lexical.items(), key=lambda item: (-item[1], item[0]))
        else:
            ranked = sorted(_fuse(lexical, semantic).items(), key=lambda item: (-item[1], item[0]))
        return [replace(self.passages[number], score=round(score, 4)) for number, score in ranked[:limit]]

    def _allowed(self, language: str | None) -> set[int] | None:
        if not language:
            return None
        if language not in self._by_language:
            self._by_language[language] = {
                n for n, passage in enumerate(self.passages) if passage.language in (language, "")
            }
        return self._by_language[language]

    def _bm25(self, query: str, allowed: set[int] | None) -> dict[int, float]:
        scores: dict[int, float] = defaultdict(float)
        total = len(self.passages)
        for term in set(terms(query)):
            postings = self._postings.get(term, ())
            if not postings:
                continue
            idf = math.log(1 + (total - len(postings) + 0.5) / (len(postings) + 0.5))
            for number, count in postings:
                if allowed is not None and number not in allowed:
                    continue
                norm = _K1 * (1 - _B + _B * self._lengths[number] / (self._average or 1))
                scores[number] += idf * count * (_K1 + 1) / (count + norm)
        return dict(scores)

    def _semantic(self, query: str, language: str | None, allowed: set[int] | None) -> dict[int, float]:
        if self._vectors is None or self.embedder is None:
            return {}
        if not self.embedder.serves(language or guess_language(query, "en")):
            return {}
        import numpy

        numbers, matrix = self._vectors
        similarities = matrix @ self._embedded(query)
        top = min(len(numbers), _CANDIDATES * 2)
        best = numpy.argpartition(-similarities, top - 1)[:top]
        return {
            numbers[i]: float(similarities[i])
            for i in best
            if similarities[i] >= _MIN_COSINE and (allowed is None or numbers[i] in allowed)
        }

    def similarities(self, query: str, passages: Sequence[Passage], language: str) -> list[float]:
        """The cosine of `query` with each of `passages` (as `search` gave them), from their stored
        vectors (a passage indexed without one is embedded once); 0 for each when the embedding
        model does not serve `language`."""
        if not passages or self.embedder is None or not self.embedder.serves(language):
            return [0.0] * len(passages)
        keys = [_key(passage) for passage in passages]
        missing = [key for key in dict.fromkeys(keys) if key not in self._rows]
        if missing:
            vectors = self.embedder.embed([f"{title}\n{text}" for _, title, text in missing])
            self._rows.update(zip(missing, vectors, strict=True))
        query_vector = self._embedded(query)
        return [float(query_vector @ self._rows[key]) for key in keys]

    def _embedded(self, query: str) -> Any:
        if self._last_query is None or self._last_query[0] != query:
            self._last_query = (query, self.embedder.embed([query])[0])
        return self._last_query[1]


def _key(passage: Passage) -> tuple[str, str, str]:
    return (passage.source, passage.title, passage.text)


def _matrix(passages: Sequence[IndexedPassage]) -> tuple[list[int], object] | None:
    with_vectors = [(n, item.vector) for n, item in enumerate(passages) if item.vector]
    if not with_vectors:
        return None
    import numpy

    sizes = {len(vector) for _, vector in with_vectors}
    if len(sizes) != 1:  # vectors from two different models: use the most common size only
        common = Counter(len(vector) for _, vector in with_vectors).most_common(1)[0][0]
        with_vectors = [(n, v) for n, v in with_vectors if len(v) == common]
    matrix = numpy.frombuffer(b"".join(v for _, v in with_vectors), dtype=numpy.float32)
    return [n for n, _ in with_vectors], matrix.reshape(len(with_vectors), -1)


def _fuse(*rankings: dict[int, float]) -> dict[int, float]:
    fused: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        ordered = sorted(ranking, key=lambda number: -ranking[number])[:_CANDIDATES]
        for rank, number in enumerate(ordered, 1):
            fused[number] += 1 / (_RRF_K + rank)
    return dict(fused)
