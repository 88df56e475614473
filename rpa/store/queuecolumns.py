"""The review queue's own rows (`queue_entries`), one per message, kept by every write.

A message's current draft, its review state, what a queue row shows, the flags
an agent filters on (the message's own, the guards' on its draft, and
`attachment_error`), and the terms it is found under (`queue_terms`: the folded
words of its subject, people and reference numbers, and its flags) are written
with the message and rewritten by every review transition and correction, so
that filtering, searching and counting the queue never reads a mail.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from rpa.models import URGENT
from rpa.store.records import NO_DRAFT

__all__ = [
    "ATTACHMENT_ERROR",
    "customer_label",
    "flag_term",
    "flags_text",
    "fold",
    "index_terms",
    "queue_columns",
    "queue_flags",
    "refresh_queue_columns",
    "search_terms",
    "words",
]

ATTACHMENT_ERROR = "attachment_error"  # an attachment could not be read (corrupt, encrypted)

# Fields whose values an agent types into the search box to find a message.
_SEARCHED_FIELDS = (
    "policy_number",
    "claim_number",
    "invoice_number",
    "vehicle_plate",
    "customer_name",
    "email",
    "phone",
    "iban",
    "siret",
    "company",
)
_NOT_ALNUM = re.compile(r"[\W_]+")
_TERM_LENGTH = 120


def fold(text: str) -> str:
    """Lower case without accents: "Écran Cassé" -> "ecran casse"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of a text, split at anything but letters and digits: "AUT-4587" gives
    "aut" and "4587"."""
    return [word for word in _NOT_ALNUM.split(fold(text)) if word]


def search_terms(query: str) -> list[str]:
    """What a search box's text is looked for as: each of its words, as the start of a word
    a message is indexed under (see `index_terms`)."""
    return [word[:_TERM_LENGTH] for word in dict.fromkeys(words(query))]


def flag_term(flag: str) -> str:
    return f"flag:{flag}"


def index_terms(texts: Iterable[str], references: Iterable[str], flags: Iterable[str]) -> set[str]:
    """The terms a message is found under: its texts' words, each reference number whole and
    compacted ("HAB-9921-07" also as "hab992107"), and its flags."""
    terms = {word for text in texts for word in words(text)}
    terms |= {"".join(words(reference)) for reference in references}
    terms |= {flag_term(flag) for flag in flags}
    return {term[:_TERM_LENGTH] for term in terms if term}


def queue_flags(
    message_flags: Iterable[str], guards: Iterable[Mapping[str, Any]] | None, attachment_errors: bool
) -> list[str]:
    flags = list(message_flags)
    flags += [verdict["flag"] for verdict in guards or () if not verdict.get("passed", True)]
    if attachment_errors:
        flags.append(ATTACHMENT_ERROR)
    return list(dict.fromkeys(flags))


def customer_label(name: str | None, email: str | None, sender_email: str | None) -> str:
    """Who a queue row names: "Name <address>", or whichever of them is known."""
    if name and email:
        return f"{name} <{email}>"
    return name or email or sender_email or ""


def queue_columns(
    message: Mapping[str, Any],
    field_values: Mapping[str, str],
    draft: Mapping[str, Any] | None,
    *,
    attachment_errors: bool,
) -> tuple[dict[str, Any], set[str]]:
    """The queue entry of one message row and the terms it is found under, given its fields in
    force and its current draft."""
    people = [
        message.get(key) or "" for key in ("customer_name", "customer_email", "sender_name", "sender_email")
    ]
    references = [field_values[name] for name in _SEARCHED_FIELDS if field_values.get(name)]
    flags = queue_flags(message.get("flags") or (), draft.get("guards") if draft else None, attachment_errors)
    entry = {
        "created_at": message["created_at"],
        "review_status": draft["status"] if draft else NO_DRAFT,
        "draft_id": draft["id"] if draft else None,
        "intent": message.get("intent"),
        "language": message.get("language"),
        "intent_confidence": message.get("intent_confidence"),
        "customer": customer_label(
            message.get("customer_name"), message.get("customer_email"), message.get("sender_email")
        ),
        "subject": message.get("subject") or "",
        "flags": flags_text(flags),
        "message_flags": list(message.get("flags") or ()),
        "urgent": URGENT in (message.get("flags") or ()),
        "sentiment": message.get("sentiment"),
    }
    return entry, index_terms([message.get("subject") or "", *people, *references], references, flags)


def flags_text(flags: Iterable[str]) -> str:
    """Flags as the queue keeps them, " a b ": `LIKE '% a %'` finds one, on any database."""
    return " " + " ".join(flags) + " "


_MESSAGE_COLUMNS = (
    "id", "created_at", "subject", "intent", "language", "intent_confidence", "flags",
    "customer_name", "customer_email", "sender_name", "sender_email", "sentiment",
)  # fmt: skip


def refresh_queue_columns(connection: sa.Connection, t: Mapping[str, sa.Table], message_pk: int) -> None:
    """Recompute the queue entry of one message from its rows (inside the caller's transaction)."""
    messages, drafts, fields, attachments = (
        t[name] for name in ("messages", "drafts", "fields", "attachments")
    )
    # A migration may refresh the queue before later ones add their columns: what is there.
    columns = [messages.c[name] for name in _MESSAGE_COLUMNS if name in messages.c]
    row = connection.execute(sa.select(*columns).where(messages.c.id == message_pk)).mappings().one()
    draft = (
        connection.execute(
            sa.select(drafts.c.id, drafts.c.status, drafts.c.guards)
            .where(drafts.c.message_pk == message_pk, drafts.c.status != "superseded")
            .order_by(drafts.c.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    values = dict(
        connection.execute(
            sa.select(fields.c.name, fields.c.value).where(fields.c.message_pk == message_pk)
        ).all()
    )
    if "corrections" in t:
        corrections = t["corrections"]
        values.update(
            connection.execute(
                sa.select(corrections.c.name, corrections.c.value)
                .where(corrections.c.message_pk == message_pk, corrections.c.kind == "field")
                .order_by(corrections.c.id)
            ).all()
        )
    broken = connection.execute(
        sa.select(attachments.c.id)
        .where(attachments.c.message_pk == message_pk, attachments.c.status == "error")
        .limit(1)
    ).first()
    entry, terms = queue_columns(row, values, draft, attachment_errors=broken is not None)
    queue, indexed = t["queue_entries"], t["queue_terms"]
    entry = {name: value for name, value in entry.items() if name in queue.c}
    if (
        connection.execute(queue.update().where(queue.c.message_pk == message_pk).values(**entry)).rowcount
        == 0
    ):
        connection.execute(queue.insert().values(message_pk=message_pk, **entry))
    known = set(
        connection.execute(sa.select(indexed.c.term).where(indexed.c.message_pk == message_pk)).scalars()
    )
    if known - terms:
        connection.execute(
            indexed.delete().where(
                indexed.c.message_pk == message_pk, indexed.c.term.in_(sorted(known - terms))
            )
        )
    if terms - known:
        connection.execute(
            indexed.insert(), [{"term": term, "message_pk": message_pk} for term in sorted(terms - known)]
        )
