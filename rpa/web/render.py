"""Pages from Jinja2 templates that escape everything by default.

Customer text (subjects, names, file names, field values, drafts) is never
marked safe: it reaches the page through autoescaping, or through `marked()`,
which escapes each piece itself before wrapping the spans to highlight. The
only customer HTML shown is the sanitised mail, in a sandboxed iframe's
`srcdoc` attribute (see `sanitise.py`), where autoescaping quotes it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from rpa.web.i18n import translator

__all__ = ["Span", "find_spans", "marked", "page", "templates"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


# How long ago, in the units a queue reads at a glance (Babel's formatting costs ~15 µs a call,
# and a queue page shows a hundred of them).
_UNITS = {"en": ("s", "min", "h", "d"), "fr": ("s", "min", "h", "j")}


def _age(moment: datetime | None, language: str = "en") -> str:
    if moment is None:
        return ""
    seconds = max(0.0, (datetime.now(UTC) - moment).total_seconds())
    units = _UNITS.get(language, _UNITS["en"])
    for limit, size, unit in ((60, 1, units[0]), (3600, 60, units[1]), (48 * 3600, 3600, units[2])):
        if seconds < limit:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds // 86400)} {units[3]}"


def _when(moment: datetime | None, language: str = "en") -> str:
    if moment is None:
        return ""
    shape = "%d/%m/%Y %H:%M" if language == "fr" else "%Y-%m-%d %H:%M"
    return moment.astimezone(UTC).strftime(shape) + " UTC"


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.0f} %"


class Span:
    """A part of a text to highlight: [start, end) with a class and a title (both plain text)."""

    __slots__ = ("css", "end", "start", "title")

    def __init__(self, start: int, end: int, css: str, title: str = "") -> None:
        self.start, self.end, self.css, self.title = start, end, css, title


def find_spans(text: str, needles: Iterable[tuple[str, str, str]]) -> list[Span]:
    """Where each (needle, css, title) first appears in `text`, case and spacing aside."""
    spans = []
    for needle, css, title in needles:
        words = needle.split()
        if not words or len(needle) > 500:
            continue
        pattern = r"\s+".join(re.escape(word) for word in words)
        found = re.search(pattern, text, re.IGNORECASE)
        if found:
            spans.append(Span(found.start(), found.end(), css, title))
    return spans


def marked(text: str, spans: Iterable[Span] = ()) -> Markup:
    """`text` escaped, with each span wrapped in <mark>; overlapping spans keep the first."""
    out, position = [], 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < position or span.end <= span.start:
            continue
        out.append(escape(text[position : span.start]))
        out.append(
            Markup('<mark class="{}" title="{}">{}</mark>').format(
                span.css, span.title, text[span.start : span.end]
            )
        )
        position = span.end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def _make_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        auto_reload=False,  # templates are read once per process, not checked on disk at each page
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(age=_age, when=_when, percent=_percent, marked=marked)
    return environment


templates = _make_environment()


def page(request: Request, template: str, /, *, status_code: int = 200, **context: object) -> HTMLResponse:
    """The template rendered for this request's user, in their language."""
    language = getattr(request.state, "language", "en")
    actor = getattr(request.state, "actor", None)
    values = {
        "request": request,
        "actor": actor,
        "lang": language,
        "_": translator(language),
        "csrf": actor.csrf_token if actor else getattr(request.state, "login_csrf", ""),
        "settings": request.app.state.settings,
        **context,
    }
    html = templates.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
