"""Helpers for the workspace's in-process tests: a team of users, mails run through the real
pipeline into the store, and a logged-in test client (httpx through Starlette's TestClient)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from conftest import make_mail
from starlette.testclient import TestClient

from extractors.sources import RawInput
from rpa.accounts import add_user
from rpa.config import Settings
from rpa.ingestion import process_inputs
from rpa.store import Store

PASSWORD = "correct horse battery staple"
TEAM = {"alice": "agent", "bob": "agent", "sam": "supervisor", "ada": "admin"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_team(store: Store) -> None:
    for name, role in TEAM.items():
        add_user(store, name, role, PASSWORD, actor="test")


def seed(settings: Settings, store: Store, mails: Iterable[tuple[str, bytes]]) -> dict[str, int]:
    """Each (source, raw mail) through the pipeline into the store; source -> message id."""
    inputs = [RawInput(source, data, "mail", source) for source, data in mails]
    items = list(process_inputs(inputs, settings, store, actor="rpa"))
    assert not [item.error for item in items if item.error]
    return {item.source: item.outcome.message_pk for item in items}


def sample_mails(count: int = 4) -> list[tuple[str, bytes]]:
    """Plain claim mails with a policy number and a date: each gets a draft."""
    return [
        (
            f"claim-{n}.eml",
            make_mail(
                f"Bonjour,\n\nJe déclare un dégât des eaux survenu le 1{n} mars 2025 dans ma cuisine.\n"
                f"Mon contrat est le HAB-{4000 + n}-22.\n\nCordialement,\nJeanne Martin{n}",
                subject=f"Déclaration de sinistre {n}",
                sender=f"Jeanne Martin{n} <jeanne{n}@example.fr>",
                message_id=f"<claim-{n}@example.fr>",
            ),
        )
        for n in range(count)
    ]


def submit_login(client: TestClient, name: str, password: str = PASSWORD):  # noqa: ANN201 - an httpx Response
    """The login form filled in and sent, as a browser does (its CSRF token from the form)."""
    token = _CSRF.search(client.get("/login").text).group(1)
    return client.post(
        "/login", data={"username": name, "password": password, "csrf_token": token}, follow_redirects=False
    )


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    answer = submit_login(client, name, password)
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/queue").text)


def csrf_of(html: str) -> str:
    return _CSRF.search(html).group(1)
