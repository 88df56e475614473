"""What every `rpa` command shares: the acting agent's option, the store, our errors as exit 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from rpa.config import Settings
from rpa.errors import RpaError
from rpa.store import Store

__all__ = ["Agent", "handled", "settings_of", "store_of"]

Agent = Annotated[str, typer.Option("--agent", help="Who is acting (default: the OS user)")]


@contextmanager
def handled() -> Iterator[None]:
    """Our own errors as a message on stderr and exit code 1."""
    try:
        yield
    except RpaError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


def settings_of(ctx: typer.Context) -> Settings:
    return ctx.obj


def store_of(ctx: typer.Context) -> Store:
    return Store.open(settings_of(ctx))
