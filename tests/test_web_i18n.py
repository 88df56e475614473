"""The workspace in French and English: every text of the pages has its French, every label
of a value (intent, status, flag, field, action) has its words in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rpa.models import FIELD_NAMES, DraftStatus, Intent
from rpa.store.reviewqueue import ASSIGNEES
from rpa.web.i18n import choose_language, translator
from rpa.web.routes.queue import FLAGS

WEB = Path(__file__).resolve().parents[1] / "rpa" / "web"
_TEXT = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)+)"|'((?:[^'\\]|\\.)+)')""")


def _catalog(language: str) -> dict[str, str]:
    return json.loads((WEB / "locales" / f"{language}.json").read_text(encoding="utf-8"))


def _texts() -> set[str]:
    found = set()
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.py")]:
        for match in _TEXT.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1) or match.group(2)
            if not text.endswith(":") and text != "...":  # label prefixes ("intent:" ~ value), docstrings
                found.add(text)
    return found


def test_every_text_of_the_pages_has_its_french() -> None:
    french = _catalog("fr")
    missing = sorted(text for text in _texts() if text not in french)
    assert not missing, f"missing in locales/fr.json: {missing}"


LABELS = [
    *(f"status:{s.value}" for s in DraftStatus),
    "status:no_draft",
    *(f"intent:{i.value}" for i in Intent),
    *(f"flag:{f}" for f in FLAGS),
    *(f"field:{name}" for name in FIELD_NAMES),
    *(f"assignee:{a}" for a in ASSIGNEES),
    *(f"action:{a}" for a in ("approved", "rejected", "claimed", "assigned", "field_corrected", "redrafted")),
]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_label_has_words_in_both_languages(language: str) -> None:
    catalog = _catalog(language)
    assert [key for key in LABELS if key not in catalog] == []
    assert all(":" not in catalog[key] for key in LABELS)


def test_values_are_filled_after_translating() -> None:
    assert translator("fr")("Page {page} of {pages} · {n} messages", page=2, pages=5, n=230) == (
        "Page 2 sur 5 · 230 messages"
    )
    assert translator("en")("intent:complaint") == "Complaint"
    assert translator("fr")("a text nobody translated") == "a text nobody translated"


@pytest.mark.parametrize(
    ("user", "header", "expected"),
    [
        (None, "fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        (None, "de-DE,de;q=0.9,en;q=0.5", "en"),
        (None, "en;q=0.4, fr;q=0.8", "fr"),
        (None, None, "en"),
        ("fr", "en-GB", "fr"),
        ("en", "fr", "en"),
    ],
)
def test_the_language_is_the_user_s_choice_else_the_browser_s(user, header, expected) -> None:  # noqa: ANN001
    assert choose_language(user, header) == expected
