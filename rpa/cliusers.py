"""`rpa user ...`: the accounts of the web workspace, a thin shell over rpa.accounts.

Passwords are read from a file or asked for at the terminal, never taken from the command line.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated

import typer

from rpa.accounts import add_user, disable_user, list_users, set_password
from rpa.clishell import Agent, handled, store_of
from rpa.config import ROLES
from rpa.errors import RpaError

__all__ = ["user_app"]

user_app = typer.Typer(
    help="Accounts of the web workspace: agents, supervisors, admins.", no_args_is_help=True
)

PasswordFile = Annotated[
    Path | None,
    typer.Option("--password-file", help="Read the password from this file (default: ask for it)"),
]


def _password(password_file: Path | None) -> str:
    """From a file (first line), else asked twice at the terminal; never from the command line."""
    if password_file is not None:
        try:
            return (
                password_file.read_text(encoding="utf-8").splitlines()[0]
                if password_file.stat().st_size
                else ""
            )
        except OSError as exc:
            raise RpaError(f"cannot read the password file: {exc}") from exc
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise RpaError("the two passwords differ")
    return first


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Login name (letters, digits, . _ @ -)")],
    role: Annotated[str, typer.Option("--role", help="agent, supervisor or admin")] = "agent",
    password_file: PasswordFile = None,
    display_name: Annotated[
        str | None, typer.Option("--display-name", help="Name shown in the workspace")
    ] = None,
    agent: Agent = "",
) -> None:
    """Add a user of the web workspace (the password is asked for, or read from --password-file)."""
    if role not in ROLES:
        raise typer.BadParameter(f"must be one of {', '.join(ROLES)}", param_hint="--role")
    with handled(), store_of(ctx) as store:
        user = add_user(
            store,
            name,
            role,
            _password(password_file),
            actor=agent or getpass.getuser(),
            display_name=display_name,
        )
    typer.echo(f"user {user.name} added ({user.role})")


@user_app.command("list")
def user_list(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the users, their roles, and whether they are disabled."""
    with handled(), store_of(ctx) as store:
        users = list_users(store)
    for user in users:
        if as_json:
            typer.echo(json.dumps({"name": user.name, "role": user.role, "disabled": user.disabled}))
        else:
            typer.echo(f"{user.name:<24} {user.role:<10} {'disabled' if user.disabled else 'active'}")


@user_app.command("disable")
def user_disable(ctx: typer.Context, name: Annotated[str, typer.Argument()], agent: Agent = "") -> None:
    """Disable a user: they cannot log in, and their open sessions end now."""
    with handled(), store_of(ctx) as store:
        disable_user(store, name, actor=agent or getpass.getuser())
    typer.echo(f"user {name} disabled")


@user_app.command("password")
def user_password(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    password_file: PasswordFile = None,
    agent: Agent = "",
) -> None:
    """Set a new password (and enable the user again); their open sessions end."""
    with handled(), store_of(ctx) as store:
        set_password(store, name, _password(password_file), actor=agent or getpass.getuser())
    typer.echo(f"user {name}: password changed")
