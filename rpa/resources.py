"""Where the bundled templates and samples are, from a checkout or an installed wheel.

In a checkout (and an editable install) they sit beside the packages at the
repository root; a wheel carries them inside the package as `rpa/_data/`.
"""

from __future__ import annotations

from pathlib import Path

from rpa.config import Settings
from rpa.errors import ConfigError

__all__ = ["bundled_path", "templates_folder"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_path(name: str) -> Path:
    """The bundled folder `name` ("templates" or "samples")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"bundled folder {name!r} not found beside {_PACKAGE}: incomplete installation")


def templates_folder(settings: Settings) -> Path:
    """The configured reply templates, or the bundled ones."""
    configured = settings.drafting.templates_dir
    return Path(configured).expanduser() if configured else bundled_path("templates")
