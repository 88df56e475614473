"""Reply templates: Jinja2 files per language and intent, and what each intent needs.

Layout of a templates folder::

    catalog.toml              requirements per intent, field names as a reply says them
    fr/_letter.txt.j2         greeting, request for missing facts, closing, signature
    fr/<intent>.txt.j2        the body for one intent (extends the letter)
    en/...

Templates render with `StrictUndefined`: a misspelt variable is an error, never
an empty hole in a letter to a customer. Every canonical field is passed in
`fields` (None when unknown), so templates test `{% if fields.claim_number %}`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import jinja2
from babel.dates import format_date
from babel.numbers import format_currency

from rpa.errors import DraftingError

__all__ = ["IntentRequirements", "TemplateCatalog", "load_catalog", "template_name"]


@dataclass(frozen=True)
class IntentRequirements:
    requires: tuple[str, ...] = ()
    requires_one_of: tuple[tuple[str, ...], ...] = ()

    def missing(self, known: Mapping[str, object]) -> list[str]:
        """Fields to ask the customer for (the first of each unmet group)."""
        missing = [name for name in self.requires if not known.get(name)]
        for group in self.requires_one_of:
            if not any(known.get(name) for name in group):
                missing.append(group[0])
        return missing


@dataclass(frozen=True)
class TemplateCatalog:
    folder: Path
    requirements: Mapping[str, IntentRequirements]
    field_labels: Mapping[str, Mapping[str, str]]  # language -> field -> words
    environment: jinja2.Environment

    def label(self, language: str, field_name: str) -> str:
        return self.field_labels.get(language, {}).get(field_name, field_name.replace("_", " "))

    def render(self, name: str, context: Mapping[str, object]) -> str:
        try:
            return self.environment.get_template(name).render(context)
        except jinja2.TemplateNotFound as exc:
            raise DraftingError(f"no reply template {exc.name!r} in {self.folder}") from exc
        except jinja2.UndefinedError as exc:
            raise DraftingError(f"template {name} uses an unknown variable: {exc}") from exc
        except jinja2.TemplateError as exc:
            raise DraftingError(f"template {name} is broken: {exc}") from exc


def template_name(language: str, intent: str) -> str:
    return f"{language}/{intent}.txt.j2"


def load_catalog(folder: Path) -> TemplateCatalog:
    path = folder / "catalog.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DraftingError(f"cannot read the template catalog {path}: {exc}") from exc
    requirements = {
        intent: IntentRequirements(
            requires=tuple(spec.get("requires", ())),
            requires_one_of=tuple(tuple(group) for group in spec.get("requires_one_of", ())),
        )
        for intent, spec in data.get("intents", {}).items()
    }
    return TemplateCatalog(
        folder=folder,
        requirements=requirements,
        field_labels=data.get("field_labels", {}),
        environment=_environment(folder),
    )


def _environment(folder: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text mail, never HTML
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    environment.filters["date"] = _format_date
    environment.filters["money"] = _format_money
    return environment


# The desk writes British English; dates like "9 April 2025".
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@jinja2.pass_context
def _format_date(context: jinja2.runtime.Context, iso: str) -> str:
    try:
        return format_date(date.fromisoformat(iso), format="long", locale=_locale(context))
    except ValueError:
        return iso


@jinja2.pass_context
def _format_money(context: jinja2.runtime.Context, amount: str, currency: str | None) -> str:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError):
        return str(amount)
    return format_currency(value, currency or "EUR", locale=_locale(context))


def _locale(context: jinja2.runtime.Context) -> str:
    return _LOCALES.get(context["language"], "en_GB")
