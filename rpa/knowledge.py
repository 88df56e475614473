"""The knowledge base: articles in, passages out, for agents (`rpa kb`) and for drafts.

`add_articles` reads Markdown/text/PDF files into passages, embeds those in a
language the embedding model serves, and stores them (adding a file again
replaces its passages). `open_knowledge` builds the search index from the
store once, for `rpa kb search` and for each pipeline process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from drafting.articles import article_files, read_article
from drafting.embeddings import SentenceEmbedder
from drafting.kb import IndexedPassage, KnowledgeBase
from rpa.config import Settings
from rpa.models import Passage
from rpa.store import Store
from rpa.store.knowledge import kb_passages, kb_version, replace_article

__all__ = ["AddedArticle", "KnowledgeCache", "add_articles", "open_knowledge", "search_knowledge"]


@dataclass(frozen=True)
class AddedArticle:
    source: str
    passages: int
    language: str
    embedded: int  # passages that got a sentence embedding


def add_articles(store: Store, settings: Settings, paths: Iterable[Path]) -> list[AddedArticle]:
    """Index every article under `paths`; an unreadable file stops nothing already stored."""
    embedder = SentenceEmbedder(settings.kb)
    added = []
    for path in article_files(paths):
        source = str(path.resolve())
        passages = read_article(path, source)
        vectors = _vectors(embedder, passages)
        indexed = [IndexedPassage(passage, vector) for passage, vector in zip(passages, vectors, strict=True)]
        count = replace_article(store, source, indexed, embedder.name)
        language = passages[0].language if passages else ""
        added.append(AddedArticle(source, count, language, sum(1 for v in vectors if v)))
    return added


def _vectors(embedder: SentenceEmbedder, passages: list[Passage]) -> list[bytes | None]:
    served = [n for n, passage in enumerate(passages) if embedder.serves(passage.language)]
    vectors: list[bytes | None] = [None] * len(passages)
    if served:
        matrix = embedder.embed([f"{passages[n].title}\n{passages[n].text}" for n in served])
        for n, row in zip(served, matrix, strict=True):
            vectors[n] = row.tobytes()
    return vectors


def open_knowledge(store: Store, settings: Settings) -> KnowledgeBase:
    return KnowledgeBase(kb_passages(store), SentenceEmbedder(settings.kb))


def search_knowledge(
    store: Store, settings: Settings, query: str, language: str | None = None, limit: int = 5
) -> list[Passage]:
    return open_knowledge(store, settings).search(query, language, limit)


class KnowledgeCache:
    """One index for a long-running process (the web workspace), rebuilt when articles change."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self._lock = threading.Lock()
        self._version: object = None
        self._knowledge: KnowledgeBase | None = None

    def search(self, query: str, language: str | None = None, limit: int = 5) -> list[Passage]:
        version = kb_version(self.store)
        with self._lock:
            if self._knowledge is None or version != self._version:
                self._knowledge, self._version = open_knowledge(self.store, self.settings), version
            knowledge = self._knowledge
        return knowledge.search(query, language, limit)
