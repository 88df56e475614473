"""`rpa correct`: an agent's corrections of a message's intent and fields, outside the browser.

The same library functions as the web workspace record them (`rpa.workspace.change_intent`,
`correct_field`): beside what rpa read, with who and when, and an audit row. A message
another agent holds in the workspace is theirs: the library refuses (`Claimed`), and nothing
is written. Every value is checked before anything is written, so that a bad one among
several leaves the message as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extractors.fields.normal import normal_form
from rpa.config import Settings
from rpa.errors import RpaError
from rpa.models import FIELD_NAMES
from rpa.store import Store
from rpa.workspace import change_intent, correct_field

__all__ = ["Change", "correct_message"]


@dataclass(frozen=True)
class Change:
    name: str  # "intent" or the field's name
    previous: str | None  # None: the field was missing
    value: str
    changed: bool  # False: it already had this value, nothing was written


def correct_message(
    store: Store,
    settings: Settings,
    message_pk: int,
    *,
    intent: str | None = None,
    fields: Sequence[tuple[str, str]] = (),
    actor: str,
) -> list[Change]:
    """Record `intent` and each (field name, value) as the agent's; `RpaError` for an unknown
    intent or field, or a value not of the field's kind; `StoreError`s (`NotFound`, `Claimed`)
    for the message."""
    record = store.message(message_pk)
    known = {*FIELD_NAMES, *(spec.name for spec in settings.parsing.custom_fields)}
    known |= {found.name for found in record.fields}
    for name, text in fields:
        if name.strip().lower() not in known:
            raise RpaError(f"unknown field {name!r} (known: {', '.join(sorted(known))})")
        try:
            normal_form(name.strip().lower(), text, settings.parsing)
        except ValueError as exc:
            raise RpaError(str(exc)) from exc
    changes = []
    if intent is not None:  # checked by change_intent before it writes: first, so a bad one writes nothing
        fix = change_intent(store, message_pk, intent.strip(), actor=actor)
        current = intent.strip() if fix is None else fix.value
        changes.append(Change("intent", fix.previous if fix else current, current, fix is not None))
    values = {found.name: found.value for found in store.message(message_pk).fields}
    for name, text in fields:
        name = name.strip().lower()
        fix = correct_field(store, settings, message_pk, name, text, actor=actor)
        current = values.get(name) if fix is None else fix.value
        changes.append(Change(name, fix.previous if fix else current, current or "", fix is not None))
    return changes
