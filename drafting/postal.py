"""Replies by post to letters received on paper: the draft's text as a printed letter (PDF).

A letter that gives an e-mail address is answered by e-mail like any mail. One
that does not is answered by post: the draft keeps the reply's text (written by
the backend for the intent, as for a mail: there is no second set of replies),
and `Draft.letter_pdf` holds it laid out on A4 with the company's letterhead
(`[letters]` settings), the customer's address in the envelope window, place and
date, a subject line naming their letter, the text, and the signatory.

The window is DIN 5008 form B's address field, which a DL (110 x 220 mm) or C5/6
envelope with a left window shows when the A4 sheet is folded in three: 20 mm
from the left edge, 45 mm from the top, 85 mm wide and 45 mm high (`WINDOW`).

The layout is a Jinja2 HTML template (`templates/<lang>/_postal.html.j2`,
autoescaped: the name and address are the customer's words) rendered to PDF by
WeasyPrint, imported where it is used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

import jinja2
from babel.dates import format_date

from rpa.config import LetterSettings
from rpa.errors import DraftingError
from rpa.models import Address, Draft, PostalLetter

__all__ = ["LETTER", "WINDOW", "PostalReplies", "Window", "pdf_status"]

LETTER = "letter"  # Draft.channel of a reply by post
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
_INSTALL_HINT = (
    "replies by post need WeasyPrint (pip install weasyprint) and its Pango libraries "
    "(apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


class Window(NamedTuple):
    """Where the envelope's window is on the A4 sheet, in millimetres from its top left corner."""

    left: float
    top: float
    width: float
    height: float


WINDOW = Window(left=20.0, top=45.0, width=85.0, height=45.0)  # DIN 5008, form B
_MARGIN = 20  # mm, left and right of the text (DIN 5008's 25 mm is for a punched margin we do not need)


class PostalReplies:
    """Turns the draft of a reply to a paper letter into a reply by post (or by e-mail)."""

    def __init__(self, settings: LetterSettings, team_name: str, templates_dir: Path) -> None:
        self.settings = settings
        self.company = settings.company or team_name
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=True,  # HTML, with the customer's own words in it
        )

    def finish(self, draft: Draft, letter: PostalLetter | None) -> Draft:
        """`draft` as the reply to `letter`: by e-mail when the letter gives an address, else by post
        with its PDF. A draft that answers no letter is returned as it is."""
        if letter is None:
            return draft
        if letter.email:
            return dataclasses.replace(draft, to=Address(letter.name, letter.email), channel="email")
        pdf = self.render(letter, draft.body, draft.language)
        return dataclasses.replace(draft, to=Address(letter.name, ""), channel=LETTER, letter_pdf=pdf)

    def render(self, letter: PostalLetter, text: str, language: str, today: date | None = None) -> bytes:
        """The reply `text` to `letter` as a printed letter, in PDF."""
        html = self.html(letter, text, language, today)
        try:
            weasyprint = _import_weasyprint()
        except (ImportError, OSError) as exc:  # OSError: the package is there, Pango is not
            raise DraftingError(f"{_INSTALL_HINT} ({exc})") from exc
        return weasyprint.HTML(string=html).write_pdf()

    def html(self, letter: PostalLetter, text: str, language: str, today: date | None = None) -> str:
        locale = _LOCALES.get(language, "en_GB")
        context = {
            "language": language,
            "company": self.company,
            "company_address": self.settings.address,
            "place": self.settings.place,
            "today": format_date(today or date.today(), format="long", locale=locale),
            "recipient": {"name": letter.name, "address": letter.address},
            "their_date": _long_date(letter.date, locale),
            "their_subject": letter.subject,
            "paragraphs": _paragraphs(text),
            "signatory": self.settings.signatory,
            "title": self.settings.title,
            "window": WINDOW._asdict(),
            "margin": _MARGIN,
        }
        name = f"{language}/_postal.html.j2"
        try:
            return self.environment.get_template(name).render(context)
        except jinja2.TemplateNotFound as exc:
            raise DraftingError(f"no letter template {exc.name!r}: replies by post need {name}") from exc
        except jinja2.TemplateError as exc:
            raise DraftingError(f"letter template {name} is broken: {exc}") from exc


def pdf_status() -> tuple[bool, str]:
    """Whether replies by post can be made into PDF here, and what is there or what to install."""
    try:
        weasyprint = _import_weasyprint()
    except (ImportError, OSError) as exc:
        return False, f"{_INSTALL_HINT} ({exc})"
    return True, f"WeasyPrint {weasyprint.__version__}"


def _import_weasyprint():  # noqa: ANN202 - the weasyprint module, imported here
    """WeasyPrint, without the Pillow setting its import turns on for the whole process
    (`ImageFile.LOAD_TRUNCATED_IMAGES`): a cut-off photo a customer sends must stay an error.
    Our letters hold no pictures, so WeasyPrint does not need it."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def _long_date(iso: str, locale: str) -> str:
    try:
        return format_date(date.fromisoformat(iso), format="long", locale=locale) if iso else ""
    except ValueError:
        return ""


def _paragraphs(text: str) -> list[Sequence[str]]:
    """The text's paragraphs (blank-line separated), each a list of its lines."""
    paragraphs: list[list[str]] = [[]]
    for line in text.strip().splitlines():
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]
