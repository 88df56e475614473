"""An agent's work on one message: open it (and claim it), correct what was read, re-draft,
hand it over. The web workspace and its JSON API call these; approving and rejecting are
the store's own transitions (`Store.approve`, `Store.reject`), as for `rpa approve`.

Opening a message waiting for review claims it for `[web] claim_lease_minutes`;
the page renews the claim while it stays open. Another agent sees the message
read-only, with who holds it; a supervisor may give it to someone else or
release it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from drafting import DraftRequest, make_backend
from drafting.base import DraftBackend
from extractors.fields.normal import normal_form
from rpa.config import Settings
from rpa.errors import Claimed, DraftingError, RpaError
from rpa.models import AttachmentStatus, Classification, DraftStatus, Field, Intent, Passage, Question
from rpa.pages import original_message
from rpa.resources import templates_folder
from rpa.store import AuditRecord, DraftRecord, MessageRecord, Store
from rpa.store.auditlog import message_history
from rpa.store.claims import ClaimRecord, Claims
from rpa.store.corrections import FIELD, CorrectionRecord, Corrections
from rpa.store.engine import claimed_error

__all__ = [
    "LOW_CONFIDENCE",
    "CORRECTED",
    "ReviewField",
    "ReviewItem",
    "assign",
    "change_intent",
    "correct_field",
    "item_audit",
    "messages_for_export",
    "open_item",
    "redraft",
    "release",
    "renew_claim",
]

LOW_CONFIDENCE = 0.6  # below this, a field is shown as doubtful
CORRECTED = "agent"  # the source of a value an agent typed


@dataclass(frozen=True)
class ReviewField:
    """A field as the agent sees it: the value in force (an agent's correction wins) and where
    it was read."""

    name: str
    value: str
    raw: str
    confidence: float
    source: str
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    extracted: str | None = None  # what rpa read, when an agent corrected it (None: it was missing)
    corrected_by: str | None = None
    corrected_at: datetime | None = None

    @property
    def corrected(self) -> bool:
        return self.corrected_by is not None

    @property
    def low_confidence(self) -> bool:
        return not self.corrected and self.confidence < LOW_CONFIDENCE


@dataclass(frozen=True)
class ReviewItem:
    record: MessageRecord
    fields: list[ReviewField]
    corrections: list[CorrectionRecord]
    claim: ClaimRecord | None
    actor: str

    @property
    def pending(self) -> bool:
        return self.record.draft is not None and self.record.draft.status == DraftStatus.PENDING_REVIEW

    @property
    def held_by_other(self) -> bool:
        return self.claim is not None and self.claim.holder != self.actor

    @property
    def editable(self) -> bool:
        """The actor may change this message now: nobody else holds it and nothing was sent."""
        sent = self.record.draft is not None and self.record.draft.status in (
            DraftStatus.APPROVED,
            DraftStatus.SENDING,
            DraftStatus.SENT,
        )
        return not self.held_by_other and not sent


def review_fields(record: MessageRecord, corrections: Sequence[CorrectionRecord]) -> list[ReviewField]:
    """The message's fields with the agents' corrections applied, in extraction order, added ones last."""
    latest: dict[str, CorrectionRecord] = {}
    for correction in corrections:
        if correction.kind == FIELD:
            latest[correction.name] = correction
    fields = []
    for f in record.fields:
        box = tuple(f.box) if f.box else None
        found = ReviewField(f.name, f.value, f.raw, f.confidence, f.source, f.page, box)
        if f.name in latest:
            fix = latest.pop(f.name)
            found = ReviewField(
                f.name, fix.value, fix.value, 1.0, CORRECTED, f.page, box, f.value, fix.actor, fix.at
            )
        fields.append(found)
    for fix in latest.values():
        fields.append(
            ReviewField(fix.name, fix.value, fix.value, 1.0, CORRECTED, None, None, None, fix.actor, fix.at)
        )
    return fields


def open_item(
    store: Store,
    settings: Settings,
    message_pk: int,
    *,
    actor: str,
    claim: bool = True,
    now: datetime | None = None,
) -> ReviewItem:
    """The message with its fields in force; a message waiting for review is claimed for the actor
    unless another agent holds it (then it comes back read-only, with the holder)."""
    now = now or datetime.now(UTC)
    record = store.message(message_pk)
    claims = Claims(store)
    held = claims.current(message_pk, now)
    pending = record.draft is not None and record.draft.status == DraftStatus.PENDING_REVIEW
    if claim and pending and (held is None or held.holder == actor) and not _fresh(held, settings, now):
        try:
            held = claims.claim(message_pk, actor, _lease_end(settings, now), now)
        except Claimed:
            held = claims.current(message_pk, now)
    corrections = Corrections(store).for_message(message_pk)
    return ReviewItem(record, review_fields(record, corrections), corrections, held, actor)


def renew_claim(store: Store, settings: Settings, message_pk: int, *, actor: str) -> ClaimRecord:
    """Keep the message while its page is open; `Claimed` if someone else took it meanwhile."""
    now = datetime.now(UTC)
    return Claims(store).claim(message_pk, actor, _lease_end(settings, now), now)


def release(store: Store, message_pk: int, *, actor: str, anyone: bool = False) -> bool:
    return Claims(store).release(message_pk, actor, anyone=anyone)


def assign(store: Store, settings: Settings, message_pk: int, holder: str, *, by: str) -> ClaimRecord:
    """Give a message to an agent for `[web] assignment_hours` (a supervisor's action)."""
    from rpa.store.accounts import Accounts

    user = Accounts(store).user(holder)
    if user.disabled:
        raise RpaError(f"{holder} is disabled: the message cannot be given to them")
    now = datetime.now(UTC)
    return Claims(store).assign(
        message_pk, user.name, by=by, until=now + timedelta(hours=settings.web.assignment_hours), now=now
    )


def correct_field(
    store: Store, settings: Settings, message_pk: int, name: str, text: str, *, actor: str
) -> CorrectionRecord | None:
    """Record an agent's value for a field (in the field's normal form); None when unchanged.
    Raises `RpaError` for a value that is not of the field's kind (a wrong IBAN, a non-date)."""
    name = name.strip().lower()
    if not name.replace("_", "").isalnum() or len(name) > 64:
        raise RpaError(f"invalid field name {name!r}")
    try:
        value = normal_form(name, text, settings.parsing)
    except ValueError as exc:
        raise RpaError(str(exc)) from exc
    _check_free(store, message_pk, actor)
    return Corrections(store).correct_field(message_pk, name, value, actor=actor)


def change_intent(store: Store, message_pk: int, intent: str, *, actor: str) -> CorrectionRecord | None:
    try:
        chosen = Intent(intent)
    except ValueError:
        raise RpaError(f"unknown intent {intent!r}: {', '.join(i.value for i in Intent)}") from None
    _check_free(store, message_pk, actor)
    return Corrections(store).correct_intent(message_pk, chosen.value, actor=actor)


def redraft(
    store: Store, settings: Settings, message_pk: int, *, actor: str, backend: DraftBackend | None = None
) -> DraftRecord:
    """A new draft from the facts in force (the agents' corrections, the corrected intent), with
    the knowledge-base passages the previous draft had; the pending draft is superseded."""
    record = store.message(message_pk)
    message = original_message(store, settings, message_pk)
    for attachment, stored in zip(message.all_attachments(), record.attachments, strict=False):
        attachment.status, attachment.error = AttachmentStatus(stored.status), stored.error
    fields = {
        f.name: Field(f.name, f.value, f.raw, f.confidence, f.source)
        for f in review_fields(record, Corrections(store).for_message(message_pk))
    }
    intent = Intent(record.intent) if record.intent in Intent._value2member_map_ else Intent.OTHER
    classification = Classification(
        record.language or "fr", intent, record.intent_confidence or 0.0, tuple(record.flags)
    )
    passages = [Passage(**passage) for passage in (record.draft.passages or [])] if record.draft else []
    questions = [  # the customer's questions and their answers, as the previous draft had them
        Question(q["text"], q["status"], Passage(**q["passage"]) if q.get("passage") else None)
        for q in ((record.draft.questions or []) if record.draft else [])
    ]
    backend = backend or make_backend(settings, templates_folder(settings))
    (draft,) = backend.draft_many(
        [DraftRequest(message, fields, classification, passages, questions=questions)]
    )
    if isinstance(draft, DraftingError):
        raise draft
    return store.replace_draft(message_pk, draft, actor=actor)


def messages_for_export(store: Store) -> Iterator[tuple[MessageRecord, list[CorrectionRecord]]]:
    """Every stored message with the agents' corrections of it, oldest first (`rpa export`)."""
    corrections = Corrections(store)
    for message_pk in list(store.message_ids()):
        yield store.message(message_pk), corrections.for_message(message_pk)


def item_audit(store: Store, record: MessageRecord) -> list[AuditRecord]:
    """The message's history: its own rows and those of every draft it had, in order."""
    return message_history(store, record.id)


def _check_free(store: Store, message_pk: int, actor: str) -> None:
    held = Claims(store).current(message_pk)
    if held is not None and held.holder != actor:
        raise claimed_error(message_pk, held.holder, held.expires_at)


def _fresh(held: ClaimRecord | None, settings: Settings, now: datetime) -> bool:
    """A claim with more than half its lease left: opening the page again need not write (the
    open page renews it every minute)."""
    half = timedelta(minutes=settings.web.claim_lease_minutes / 2)
    return held is not None and held.expires_at - now > half


def _lease_end(settings: Settings, now: datetime) -> datetime:
    return now + timedelta(minutes=settings.web.claim_lease_minutes)
