"""The review queue as agents browse it: filtered, searched, counted, one page at a time.

Every filter runs on the queue's own columns of `messages` (see
`queuecolumns`) and on the live claims, so a page of a queue of 100,000
messages is a few indexed queries. Urgent messages first (legal threats,
vulnerable customers, repeated follow-ups: the flag "urgent"), then the others;
oldest first by default within each: the message that has waited longest is the
first to answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from rpa.models import DraftStatus
from rpa.store.queuecolumns import flag_term, search_terms
from rpa.store.records import NO_DRAFT, QueueEntry, queue_entry_from_row
from rpa.store.store import Store

__all__ = [
    "ASSIGNEES",
    "ORDERS",
    "STATUSES",
    "QueueFilter",
    "QueuePage",
    "RecentCounts",
    "neighbours",
    "next_in_queue",
    "queue_page",
]

STATUSES = (*(status.value for status in DraftStatus), NO_DRAFT)
ASSIGNEES = ("anyone", "mine", "unassigned")
ORDERS = ("oldest", "newest")


@dataclass(frozen=True)
class QueueFilter:
    status: str = DraftStatus.PENDING_REVIEW.value  # a review state, or "all"
    intent: str = ""
    language: str = ""
    flag: str = ""  # a queue flag: needs_triage, injection_suspected, unsupported_fact, attachment_error...
    assignee: str = "anyone"  # anyone, mine, unassigned
    search: str = ""  # subject, customer, reference numbers
    order: str = "oldest"

    def __post_init__(self) -> None:
        for name, allowed in (("status", (*STATUSES, "all")), ("assignee", ASSIGNEES), ("order", ORDERS)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}")


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueEntry]
    total: int
    page: int
    page_size: int
    intent_counts: dict[str, int] = field(default_factory=dict)  # with every filter but the intent

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _conditions(
    store: Store, claims: sa.Table, filters: QueueFilter, actor: str, *, with_intent: bool = True
) -> list[sa.ColumnElement[bool]]:
    q, terms = store.t["queue_entries"], store.t["queue_terms"]
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.status != "all":
        conditions.append(q.c.review_status == filters.status)
    if filters.intent and with_intent:
        conditions.append(q.c.intent == filters.intent)
    if filters.language:
        conditions.append(q.c.language == filters.language)
    if filters.flag:
        flagged = sa.select(terms.c.message_pk).where(terms.c.term == flag_term(filters.flag))
        conditions.append(q.c.message_pk.in_(flagged))
    if filters.assignee == "mine":
        conditions.append(claims.c.holder == actor)
    elif filters.assignee == "unassigned":
        conditions.append(claims.c.message_pk.is_(None))
    # Every word, as the start of one of the message's terms. The longest (the rarest, as a rule:
    # a reference number rather than "clm") picks the messages; the others are checked on those.
    words = sorted(search_terms(filters.search), key=len, reverse=True)
    for number, word in enumerate(words):
        starts = [terms.c.term >= word, terms.c.term < word + _LAST]
        if number == 0:
            conditions.append(q.c.message_pk.in_(sa.select(terms.c.message_pk).where(*starts)))
        else:
            conditions.append(sa.exists().where(terms.c.message_pk == q.c.message_pk, *starts))
    return conditions


_LAST = "\U0010ffff"  # sorts after every continuation of a word, byte for byte


def _with_claims(store: Store, now: datetime) -> tuple[sa.Table, sa.FromClause, sa.Table]:
    q, c = store.t["queue_entries"], store.t["claims"]
    return q, q.outerjoin(c, sa.and_(c.c.message_pk == q.c.message_pk, c.c.expires_at > now)), c


def queue_page(
    store: Store,
    filters: QueueFilter,
    *,
    actor: str,
    page: int = 1,
    page_size: int = 50,
    now: datetime | None = None,
    recent: RecentCounts | None = None,
) -> QueuePage:
    """A page of the queue under `filters`, and the counts per intent (`recent`: counts of the
    same filters from the last few seconds may serve)."""
    now = now or datetime.now(UTC)
    q, joined, claims = _with_claims(store, now)
    conditions = _conditions(store, claims, filters, actor)
    order = q.c.created_at.asc() if filters.order == "oldest" else q.c.created_at.desc()
    page = max(1, page)
    rows_query = (
        sa.select(q, claims.c.holder, claims.c.expires_at)
        .select_from(joined)
        .where(*conditions)
        .order_by(order, q.c.message_pk)
    )
    # The counts join the claims only to filter on them: the join (one claim per message at
    # most) changes no count, but keeps PostgreSQL from counting on the index alone.
    counted = joined if filters.assignee != "anyone" else q
    counts_query = (
        sa.select(q.c.intent, sa.func.count())
        .select_from(counted)
        .where(*_conditions(store, claims, filters, actor, with_intent=False))
        .group_by(q.c.intent)
    )
    key = (filters.status, filters.language, filters.flag, filters.assignee, filters.search, actor)
    with store.reading() as connection:
        rows = [
            queue_entry_from_row(row) for row in _urgent_first(connection, rows_query, q, page, page_size)
        ]
        counts = recent.get(key) if recent is not None else None
        if counts is None:
            counts = {intent or "": count for intent, count in connection.execute(counts_query)}
            if recent is not None:
                recent.put(key, counts)
    total = counts.get(filters.intent, 0) if filters.intent else sum(counts.values())
    return QueuePage(rows, total, page, page_size, counts)


def _urgent_first(
    connection: sa.Connection, query: sa.Select, q: sa.Table, page: int, page_size: int
) -> list[sa.RowMapping]:
    """A page of `query` with the urgent messages first, each group in the query's order.

    Two reads, each in the order of an index (`queue_by_urgency`: status, urgent, arrival): one
    "urgent first, then oldest" sort would have the database sort every pending message."""
    offset = (page - 1) * page_size
    urgent = list(
        connection.execute(query.where(q.c.urgent == sa.true()).offset(offset).limit(page_size)).mappings()
    )
    if len(urgent) == page_size:
        return urgent
    urgent_total = offset + len(urgent)
    if not urgent and offset:
        counted = query.with_only_columns(sa.func.count()).where(q.c.urgent == sa.true()).order_by(None)
        urgent_total = connection.execute(counted).scalar_one()
    rest = query.where(q.c.urgent == sa.false()).offset(max(0, offset - urgent_total))
    return urgent + list(connection.execute(rest.limit(page_size - len(urgent))).mappings())


class RecentCounts:
    """The counts per intent of the filters looked at in the last `seconds`, for a long-running
    process (the web workspace): twenty agents looking at a queue of 30,000 messages need not
    count them twenty times a second. The rows of a page are always read afresh; only the counts
    above them may be a few seconds old."""

    def __init__(self, seconds: float = 5.0, size: int = 512) -> None:
        self.seconds, self.size = seconds, size
        self._counts: dict[tuple, tuple[float, dict[str, int]]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> dict[str, int] | None:
        with self._lock:
            found = self._counts.get(key)
        if found is None or time.monotonic() - found[0] > self.seconds:
            return None
        return found[1]

    def put(self, key: tuple, counts: dict[str, int]) -> None:
        with self._lock:
            if len(self._counts) >= self.size:
                self._counts.clear()
            self._counts[key] = (time.monotonic(), counts)


def next_in_queue(
    store: Store,
    filters: QueueFilter,
    *,
    actor: str,
    skip: Sequence[int] = (),
    now: datetime | None = None,
) -> int | None:
    """The oldest urgent message of the queue nobody else holds (the actor's own claims count),
    else the oldest one, or None."""
    now = now or datetime.now(UTC)
    q, joined, claims = _with_claims(store, now)
    query = (
        sa.select(q.c.message_pk)
        .select_from(joined)
        .where(*_conditions(store, claims, filters, actor))
        .where(sa.or_(claims.c.message_pk.is_(None), claims.c.holder == actor))
        .order_by(q.c.created_at, q.c.message_pk)
        .limit(1)
    )
    if skip:
        query = query.where(q.c.message_pk.not_in(list(skip)))
    with store.reading() as connection:
        found = connection.execute(query.where(q.c.urgent == sa.true())).scalar()
        if found is None:
            found = connection.execute(query.where(q.c.urgent == sa.false())).scalar()
        return found


def neighbours(
    store: Store, filters: QueueFilter, message_pk: int, *, actor: str, now: datetime | None = None
) -> tuple[int | None, int | None]:
    """The messages before and after this one in the queue's order (for previous/next): the
    urgent ones first, then the others, each group oldest (or newest) first."""
    now = now or datetime.now(UTC)
    q, joined, claims = _with_claims(store, now)
    base = sa.select(q.c.message_pk).select_from(joined).where(*_conditions(store, claims, filters, actor))
    ascending = filters.order == "oldest"
    with store.reading() as connection:
        here_row = connection.execute(
            sa.select(q.c.created_at, q.c.urgent).where(q.c.message_pk == message_pk)
        ).first()
        if here_row is None:
            return None, None
        created, urgent = here_row
        key, here = (
            sa.tuple_(q.c.created_at, q.c.message_pk),
            sa.tuple_(sa.literal(created, q.c.created_at.type), sa.literal(message_pk)),
        )
        same = base.where(q.c.urgent == (sa.true() if urgent else sa.false()))
        newer = same.where(key > here).order_by(*_arrival(q, descending=False))
        older = same.where(key < here).order_by(*_arrival(q, descending=True))
        previous = connection.execute((older if ascending else newer).limit(1)).scalar()
        following = connection.execute((newer if ascending else older).limit(1)).scalar()
        if previous is None and not urgent:  # the last urgent one shown
            last_urgent = base.where(q.c.urgent == sa.true()).order_by(*_arrival(q, descending=ascending))
            previous = connection.execute(last_urgent.limit(1)).scalar()
        if following is None and urgent:  # the first of the others
            first_other = base.where(q.c.urgent == sa.false())
            first_other = first_other.order_by(*_arrival(q, descending=not ascending))
            following = connection.execute(first_other.limit(1)).scalar()
    return previous, following


def _arrival(q: sa.Table, *, descending: bool) -> tuple[sa.ColumnElement, ...]:
    if descending:
        return q.c.created_at.desc(), q.c.message_pk.desc()
    return q.c.created_at.asc(), q.c.message_pk.asc()
