"""`rpa correct` and `rpa train`: agents' corrections, and the intent model learning from them; a
thin shell over rpa.correcting and rpa.training."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from rpa.clishell import handled, settings_of, store_of
from rpa.correcting import correct_message
from rpa.errors import RpaError, StoreError
from rpa.training import DEFAULT_HELDOUT, format_training, rollback_intent_model, train_intent_model

__all__ = ["correct", "train"]


def correct(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID")],
    intent: Annotated[
        str | None, typer.Option("--intent", help="The right intent (claim_new, cancellation, ...)")
    ] = None,
    fields: Annotated[
        list[str] | None, typer.Option("--field", help="name=value, the right value of a field (repeatable)")
    ] = None,
    agent: Annotated[str, typer.Option("--as", "--agent", help="Who corrects (default: the OS user)")] = "",
) -> None:
    """Correct the intent and fields rpa read in a message (kept beside what it read, with who
    and when); `rpa train` learns from corrected intents."""
    pairs = [_field_value(text) for text in fields or []]
    if intent is None and not pairs:
        raise typer.BadParameter("give --intent and/or --field name=value", param_hint="--intent/--field")
    actor = agent or getpass.getuser()
    with handled(), store_of(ctx) as store:
        try:
            changes = correct_message(
                store, settings_of(ctx), message_id, intent=intent, fields=pairs, actor=actor
            )
        except StoreError:
            raise  # no such message, or another agent holds it: exit 1
        except RpaError as exc:  # what was typed is wrong: a usage error, like the web's form
            raise typer.BadParameter(str(exc), param_hint="--intent/--field") from exc
    for change in changes:
        before = change.previous if change.previous is not None else "(missing)"
        done = f"{before} -> {change.value}" if change.changed else f"already {change.value}, unchanged"
        typer.echo(f"message {message_id}: {change.name} {done}")
    typer.echo(f"recorded as {actor}")


def _field_value(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise typer.BadParameter(f"{text!r} is not name=value", param_hint="--field")
    return name.strip(), value


def train(
    ctx: typer.Context,
    rollback: Annotated[
        bool, typer.Option("--rollback", help="Put back the model in use before the last training")
    ] = False,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Folds of the cross-validation")] = 5,
    heldout: Annotated[
        Path | None,
        typer.Option("--heldout", help="Labelled mails never trained on (default: tests/data/heldout)"),
    ] = None,
) -> None:
    """Retrain the intent classifier on the shipped examples and the mails agents corrected or
    approved; print accuracies before and after, and save it for the next run."""
    with handled():
        if rollback:
            typer.echo(rollback_intent_model(settings_of(ctx)), nl=False)
            return
        with store_of(ctx) as store:
            report = train_intent_model(
                store, settings_of(ctx), folds=folds, heldout=heldout or DEFAULT_HELDOUT
            )
    typer.echo(format_training(report), nl=False)
