"""How a settings key is declared: its default, and the help the default file shows above it.

A key with a fixed set of values is typed `Literal[...]`: the loader refuses any
other value from the file or the environment, and `check_choices` (called by each
section's `__post_init__`) refuses it in settings built by code.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import field

from rpa.errors import ConfigError

__all__ = ["check_choices", "choice_error", "choices_of", "option", "without_password"]


def option(default, help: str, *, secret: bool = False, url: bool = False):
    """A key of a section; a `secret` one is never read from the file, a `url` one (a server's
    address, which may carry a password) may be read from a file too (see `rpa.config`)."""
    return field(default=default, metadata={"help": help, "secret": secret, "url": url})


def without_password(url: str) -> str:
    """`url` with the password of its user part, if any, shown as ***: for messages and logs."""
    scheme, separator, rest = url.partition("://")
    user, at, address = rest.rpartition("@")
    if not separator or not at or ":" not in user:
        return url
    return f"{scheme}://{user.partition(':')[0]}:***@{address}"


def choices_of(kind: object) -> tuple | None:
    """The values a `Literal[...]` key may take; None for a key of any other type."""
    return typing.get_args(kind) if typing.get_origin(kind) is typing.Literal else None


def choice_error(where: str, choices: tuple, value: object) -> ConfigError:
    """The one error for a value that is not among a key's choices; `where` names the key."""
    shown = ", ".join(str(choice) if choice != "" else '""' for choice in choices)
    return ConfigError(f"{where} must be one of {shown}, not {value!r}")


def check_choices(settings: object, where: str) -> None:
    """Refuse a `Literal` key of the dataclass `settings` that holds a value not among its choices;
    `where` names the table (``[ocr]``)."""
    for key, choices in _choice_keys(type(settings)).items():
        value = getattr(settings, key)
        if value not in choices:
            raise choice_error(f"{where} {key}", choices, value)


@functools.cache
def _choice_keys(cls: type) -> dict[str, tuple]:
    hints = typing.get_type_hints(cls)
    keys = {spec.name: choices_of(hints[spec.name]) for spec in dataclasses.fields(cls)}
    return {key: choices for key, choices in keys.items() if choices is not None}
