"""The workspace in French and English: each user's choice, else the browser's language.

Texts are written in English in the templates and the code (`_("...")`); the
French ones are in `locales/fr.json`, keyed by the English text. A text missing
there shows in English (and a test lists the missing ones).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "choose_language", "translator"]

LANGUAGES = ("en", "fr")
_LOCALES = Path(__file__).resolve().parent / "locales"


@cache
def _catalog(language: str) -> dict[str, str]:
    path = _LOCALES / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def translator(language: str) -> Callable[..., str]:
    """`_("Approve")` in `language`; `_("{n} messages", n=3)` fills named values after translating."""
    catalog = _catalog(language)

    def translate(text: str, **values: object) -> str:
        translated = catalog.get(text, text)
        return translated.format(**values) if values else translated

    return translate


def choose_language(user_language: str | None, accept_language: str | None) -> str:
    """The user's own choice, else the first of the browser's languages we have, else English."""
    if user_language in LANGUAGES:
        return user_language
    weighted = []
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, position, tag.strip().lower()[:2]))
    for _quality, _position, primary in sorted(weighted):
        if primary in LANGUAGES:
            return primary
    return "en"
