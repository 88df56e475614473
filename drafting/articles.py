"""Knowledge-base articles (Markdown, text, PDF) cut into passages a search can return.

Markdown is cut at its headings, and each passage is titled with the heading
path ("Water damage > Documents to ask for"); text and PDF are cut at blank
lines. A section longer than `MAX_CHARS` is cut again between paragraphs. An
article's language is the `fr`/`en` in its name (`claims.fr.md`) or folder
(`kb/fr/...`), else the language its words are in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from drafting.lexicon import LANGUAGES, guess_language
from rpa.errors import InputError
from rpa.models import Passage

__all__ = ["ARTICLE_SUFFIXES", "MAX_CHARS", "article_files", "read_article"]

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".pdf")
MAX_CHARS = 900

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The article files named by `paths`, folders walked recursively in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if _is_article(p))
        elif path.is_file():
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                raise InputError(f"not an article: expected {', '.join(ARTICLE_SUFFIXES)}", path=str(path))
            yield path
        else:
            raise InputError("no such file or folder", path=str(path))


def _is_article(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES and not path.name.startswith(".")


def read_article(path: Path, source: str | None = None) -> list[Passage]:
    """The passages of one article; `source` is how they name it (default: the path)."""
    source = source or str(path)
    text = _pdf_text(path) if path.suffix.lower() == ".pdf" else _read_text(path)
    if not text.strip():
        raise InputError("the article has no text (a scanned PDF needs OCR first)", path=str(path))
    sections = (
        _markdown_sections(text, path.stem)
        if path.suffix.lower() in (".md", ".markdown")
        else [(_first_line(text, path.stem), text)]
    )
    language = _language_from_name(path) or guess_language(text)
    return [
        Passage(source=source, title=title, text=chunk, language=language)
        for title, body in sections
        for chunk in _chunks(body)
    ]


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # old Windows-made FAQs


def _pdf_text(path: Path) -> str:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise InputError(f"cannot read the PDF: {exc}", path=str(path)) from exc
    try:
        return "\n\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _markdown_sections(text: str, fallback_title: str) -> list[tuple[str, str]]:
    sections: list[tuple[str, str]] = []
    trail: list[tuple[int, str]] = []  # (level, heading) from the top to the current section
    lines: list[str] = []

    def close() -> None:
        body = "\n".join(lines).strip()
        if body:
            sections.append((" > ".join(h for _, h in trail) or fallback_title, body))
        lines.clear()

    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            close()
            level = len(heading.group(1))
            trail[:] = [(lv, h) for lv, h in trail if lv < level] + [(level, heading.group(2).strip())]
        else:
            lines.append(line)
    close()
    return sections


def _chunks(body: str) -> list[str]:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    chunks: list[str] = []
    current = ""
    for paragraph in paragraphs:
        if current and len(current) + len(paragraph) + 2 > MAX_CHARS:
            chunks.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        chunks.append(current)
    return chunks


def _first_line(text: str, fallback: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first[:80] or fallback


def _language_from_name(path: Path) -> str:
    for part in (*path.suffixes[:-1], *path.parent.parts[-2:]):
        candidate = part.strip(".").lower()
        if candidate in LANGUAGES:
            return candidate
    return ""
