"""How a settings key is declared: its default, and the help the default file shows above it."""

from __future__ import annotations

from dataclasses import field

__all__ = ["option"]


def option(default, help: str, *, secret: bool = False):
    """A key of a section; a `secret` one is never read from the file (see `rpa.config`)."""
    return field(default=default, metadata={"help": help, "secret": secret})
