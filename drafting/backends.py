"""The drafting backends by name: the configuration's `[drafting] backend` picks one.

`BACKENDS` maps a name to a factory `(settings, templates_dir) -> DraftBackend`.
The `template` backend renders the Jinja2 letter for the intent
(`drafting.templated`); the language-model backends (`transformers`, `openai`,
see `drafting.generative` and `drafting.llm`) start from its letter and keep it
when their own reply fails a guard.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drafting.base import DraftBackend
from drafting.generative import ModelBackend
from drafting.llm import MODELS
from drafting.templated import TemplateBackend
from rpa.config import Settings

__all__ = ["BACKENDS", "BackendFactory", "make_backend"]

BackendFactory = Callable[[Settings, Path], DraftBackend]


def _model_backend(model_name: str) -> BackendFactory:
    def factory(settings: Settings, templates_dir: Path) -> DraftBackend:
        return ModelBackend(settings, templates_dir, MODELS[model_name](settings))

    return factory


# The names are `rpa.config.sections.DRAFTING_BACKENDS`, so that the settings refuse another one.
BACKENDS: dict[str, BackendFactory] = {
    TemplateBackend.name: lambda settings, templates_dir: TemplateBackend(settings.drafting, templates_dir),
    "transformers": _model_backend("transformers"),
    "openai": _model_backend("openai"),
}


def make_backend(settings: Settings, templates_dir: Path) -> DraftBackend:
    return BACKENDS[settings.drafting.backend](settings, templates_dir)
