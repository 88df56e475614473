"""The supervisors' dashboard: what came in and what agents did with it, how good rpa's drafts
were, how fast each agent picks messages up and approves them, what waits and for how long,
which guards and flags fire, and whether the daemon is well.

`team_dashboard` reads the store in a handful of queries, each limited to the window's rows
and to the few columns it needs; the backlog is counted in SQL, the rest is grouped here.
Arrival times, intents and flags are read from the queue's narrow rows (`queue_entries`), never
from the rows that hold the mails.
The window is `days` calendar days in UTC, ending with today's (so far). Reviews count on the
day of `drafts.reviewed_at`, by the message's intent (a corrected intent included); superseded
drafts never count. What counts as approved, edited or rejected, and how much of a draft an
agent kept, is `rpa.stats`'s rule (the same as `rpa stats`, per intent, template and backend).

Percentiles are nearest-rank: the p-th percentile of n sorted values is the value of rank
ceil(p * n / 100), so it is always a time that was measured (the median of 1, 2, 3, 4 is 2).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from rpa.config import Settings
from rpa.config.sections import WebSettings
from rpa.daemon.health import DaemonStatus, daemon_status
from rpa.models import DraftStatus
from rpa.stats import APPROVED, DraftStats, group_drafts, outcome
from rpa.store import Store
from rpa.store.knowledge import ReviewedDraft
from rpa.store.mailrecords import FAILED, RETRY, MailRecord, MailRecords
from rpa.store.records import aware

__all__ = [
    "AGE_BUCKETS",
    "AgentTimes",
    "Backlog",
    "Dashboard",
    "DayCounts",
    "DraftQuality",
    "FlagRate",
    "FlagRates",
    "IntentBacklog",
    "Timing",
    "nearest_rank",
    "team_dashboard",
]

# How long messages have waited for review: a name per bucket, and its upper bound in hours.
AGE_BUCKETS: tuple[str, ...] = ("under_1h", "1h_to_4h", "4h_to_24h", "1d_to_3d", "over_3d")
_AGE_LIMITS_HOURS = (1, 4, 24, 72)  # the last bucket has none

_PENDING = DraftStatus.PENDING_REVIEW.value
_REVIEWED = [status.value for status in (*APPROVED, DraftStatus.REJECTED)]
_CLAIMS = ("claimed", "assigned")  # audit actions of entity "message" that give it to an agent


@dataclass(frozen=True)
class DayCounts:
    day: date
    intent: str | None  # None: every intent
    messages_in: int = 0
    approved_unchanged: int = 0
    approved_edited: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class DraftQuality:
    """Reviews of the window's drafts of one intent, template or backend."""

    key: str
    reviewed: int
    approved_unchanged: int
    approved_edited: int
    rejected: int
    mean_similarity: float | None  # of approved drafts to the text sent (1.0: unchanged); None: none

    @classmethod
    def of(cls, stats: DraftStats) -> DraftQuality:
        return cls(
            stats.key,
            stats.drafts,
            stats.approved_unchanged,
            stats.approved_edited,
            stats.rejected,
            stats.mean_similarity,
        )


@dataclass(frozen=True)
class Timing:
    count: int
    median_seconds: float | None  # None when count is 0
    p90_seconds: float | None

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Timing:
        return cls(len(seconds), nearest_rank(seconds, 50), nearest_rank(seconds, 90))


@dataclass(frozen=True)
class AgentTimes:
    agent: str
    to_claim: Timing  # a message's arrival -> its first claim (or assignment), taken in the window
    to_approval: Timing  # a message's arrival -> the agent's approval of its draft, in the window


@dataclass(frozen=True)
class IntentBacklog:
    intent: str
    waiting: int
    by_age: tuple[int, ...]  # one count per AGE_BUCKETS
    sla_hours: float
    breaches: int  # waiting longer than sla_hours


@dataclass(frozen=True)
class Backlog:
    """Messages whose draft waits for review, now."""

    by_age: tuple[tuple[str, int], ...]  # (AGE_BUCKETS name, count), youngest first
    by_intent: tuple[IntentBacklog, ...]

    @property
    def waiting(self) -> int:
        return sum(count for _, count in self.by_age)

    @property
    def breaches(self) -> int:
        return sum(row.breaches for row in self.by_intent)


@dataclass(frozen=True)
class FlagRate:
    flag: str
    count: int  # items carrying the flag
    share: float  # of all the items, 0-1


@dataclass(frozen=True)
class FlagRates:
    total: int  # drafts created, or messages arrived, in the window
    rates: tuple[FlagRate, ...]  # every flag seen, most frequent first


@dataclass(frozen=True)
class Dashboard:
    now: datetime
    since: datetime  # the window: [since, now], since being midnight UTC
    days: tuple[DayCounts, ...]  # every day of the window, all intents together, oldest first
    days_by_intent: tuple[DayCounts, ...]  # (day, intent) with something to count, by day and intent
    quality_by_intent: tuple[DraftQuality, ...]  # by the draft's own intent, as `rpa stats`
    quality_by_template: tuple[DraftQuality, ...]
    quality_by_backend: tuple[DraftQuality, ...]
    agents: tuple[AgentTimes, ...]  # by name
    backlog: Backlog
    guard_flags: FlagRates  # failed guards of the drafts created in the window
    message_flags: FlagRates  # flags of the messages arrived in the window
    daemon: DaemonStatus
    failed_mails: tuple[MailRecord, ...]  # failed or waiting to be retried (`rpa.daemon.retry_mail`)


def team_dashboard(
    store: Store, settings: Settings, *, days: int = 30, now: datetime | None = None
) -> Dashboard:
    """The dashboard's figures over the last `days` days (UTC), as of `now`."""
    if days < 1:
        raise ValueError(f"a dashboard covers at least one day, not {days}")
    now = aware(now or datetime.now(UTC)).astimezone(UTC)
    since = datetime.combine(now.date() - timedelta(days=days - 1), time(), UTC)
    with store.reading() as connection:
        arrived = _arrived(connection, store.t, since, now)
        arrivals = _Arrivals(connection, store.t, now)
        reviews = _reviews(connection, store.t, since, now, arrivals)
        claims = _first_claims(connection, store.t, since, now, arrivals)
        backlog = _backlog(connection, store.t, settings.web, now)
        guards = _failed_guards(connection, store.t, since, now)
    quality = group_drafts(review.draft for review in reviews)
    day_totals, by_intent = _day_counts([since.date() + timedelta(n) for n in range(days)], arrived, reviews)
    approvals = [(r.reviewer, r.seconds) for r in reviews if r.draft.status in APPROVED]
    return Dashboard(
        now=now,
        since=since,
        days=day_totals,
        days_by_intent=by_intent,
        quality_by_intent=tuple(map(DraftQuality.of, quality["intent"])),
        quality_by_template=tuple(map(DraftQuality.of, quality["template"])),
        quality_by_backend=tuple(map(DraftQuality.of, quality["backend"])),
        agents=_agent_times(claims, approvals),
        backlog=backlog,
        guard_flags=_rates(guards),
        message_flags=_rates(flags for _, _, flags in arrived),
        daemon=daemon_status(settings, store, now),
        failed_mails=tuple(MailRecords(store, None).with_status(FAILED, RETRY)),
    )


def nearest_rank(values: Sequence[float], percent: int) -> float | None:
    """The `percent`-th percentile (1-100) by nearest rank; None when there are no values."""
    if not 0 < percent <= 100:
        raise ValueError(f"a percentile is between 1 and 100, not {percent}")
    if not values:
        return None
    ordered = sorted(values)
    return ordered[-(-percent * len(ordered) // 100) - 1]  # rank ceil(p*n/100), in integers


# -- reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Review:
    draft: ReviewedDraft
    day: date
    intent: str  # the message's
    reviewer: str
    seconds: float | None  # from the message's arrival to the review


Tables = Mapping[str, sa.Table]


def _arrived(
    connection: sa.Connection, t: Tables, since: datetime, now: datetime
) -> list[tuple[date, str, list[str]]]:
    """(day, intent, flags) of each message arrived in the window (the queue's narrow rows)."""
    q = t["queue_entries"]
    rows = connection.execute(
        sa.select(q.c.created_at, q.c.intent, q.c.message_flags).where(q.c.created_at.between(since, now))
    )
    return [(_utc(row.created_at).date(), row.intent or "", list(row.message_flags or ())) for row in rows]


class _Arrivals:
    """When each message arrived by `now`, from the queue's narrow rows."""

    def __init__(self, connection: sa.Connection, t: Tables, now: datetime) -> None:
        q = t["queue_entries"]
        query = sa.select(q.c.message_pk, q.c.created_at).where(q.c.created_at <= now)
        self._at: dict[int, datetime] = dict(connection.execute(query).all())

    def seconds_until(self, message_pk: int, moment: datetime) -> float | None:
        """Seconds from the message's arrival to `moment`; None for a message not arrived yet."""
        arrived = self._at.get(message_pk)
        return None if arrived is None else max(0.0, (moment - _utc(arrived)).total_seconds())


def _reviews(
    connection: sa.Connection, t: Tables, since: datetime, now: datetime, arrivals: _Arrivals
) -> list[_Review]:
    """The drafts approved or rejected in the window (their last review)."""
    d, m = t["drafts"], t["queue_entries"]
    # The draft's text matters only when the agent changed it: an unchanged one is kept whole.
    body = sa.case((d.c.final_body.is_(None), sa.literal("")), else_=d.c.body)
    query = (
        sa.select(
            *(d.c[name] for name in ("intent", "template", "backend", "status", "final_body")),
            body.label("body"),
            *(d.c[name] for name in ("message_pk", "reviewed_at", "reviewed_by")),
            m.c.intent.label("message_intent"),
        )
        .join(m, m.c.message_pk == d.c.message_pk)
        .where(d.c.reviewed_at.between(since, now), d.c.status.in_(_REVIEWED))
    )
    reviews = []
    for row in connection.execute(query):
        draft = ReviewedDraft(
            row.intent, row.template, row.backend, DraftStatus(row.status), row.body, row.final_body
        )
        at = _utc(row.reviewed_at)
        seconds = arrivals.seconds_until(row.message_pk, at)
        reviews.append(_Review(draft, at.date(), row.message_intent or "", row.reviewed_by or "", seconds))
    return reviews


def _first_claims(
    connection: sa.Connection, t: Tables, since: datetime, now: datetime, arrivals: _Arrivals
) -> list[tuple[str, float | None]]:
    """(agent, seconds from arrival) of each message first claimed or assigned in the window."""
    a, earlier = t["audit"], t["audit"].alias("earlier")
    is_claim = [a.c.entity == "message", a.c.action.in_(_CLAIMS)]
    no_earlier_claim = ~sa.exists().where(
        earlier.c.entity == "message",
        earlier.c.entity_id == a.c.entity_id,
        earlier.c.action.in_(_CLAIMS),
        earlier.c.id < a.c.id,
    )
    query = sa.select(a.c.entity_id, a.c.at, a.c.actor, a.c.action, a.c.detail).where(
        *is_claim, a.c.at.between(since, now), no_earlier_claim
    )
    claims = []
    for row in connection.execute(query):
        # A supervisor's assignment gives the message to its holder, not to the supervisor.
        agent = row.actor if row.action == "claimed" else (row.detail or {}).get("holder", row.actor)
        claims.append((agent, arrivals.seconds_until(row.entity_id, _utc(row.at))))
    return claims


def _backlog(connection: sa.Connection, t: Tables, web: WebSettings, now: datetime) -> Backlog:
    m = t["queue_entries"]
    cutoffs = [now - timedelta(hours=hours) for hours in _AGE_LIMITS_HOURS]
    bucket = sa.case(
        *((m.c.created_at > cutoff, number) for number, cutoff in enumerate(cutoffs)), else_=len(cutoffs)
    )
    deadline = sa.case(
        {intent: _when(now - timedelta(hours=hours)) for intent, hours in web.sla_hours.items()},
        value=m.c.intent,
        else_=_when(now - timedelta(hours=web.default_sla_hours)),
    )
    breached = sa.func.sum(sa.case((m.c.created_at < deadline, 1), else_=0))
    query = (
        sa.select(m.c.intent, bucket.label("bucket"), sa.func.count().label("waiting"), breached)
        .where(m.c.review_status == _PENDING, m.c.created_at <= now)
        .group_by(m.c.intent, bucket)
    )
    ages: dict[str, list[int]] = defaultdict(lambda: [0] * len(AGE_BUCKETS))
    breaches: Counter[str] = Counter()
    for intent, number, waiting, late in connection.execute(query):
        ages[intent or ""][number] += waiting
        breaches[intent or ""] += late or 0
    by_intent = tuple(
        IntentBacklog(intent, sum(ages[intent]), tuple(ages[intent]), web.sla(intent), breaches[intent])
        for intent in sorted(ages)
    )
    totals = [sum(row.by_age[n] for row in by_intent) for n in range(len(AGE_BUCKETS))]
    return Backlog(tuple(zip(AGE_BUCKETS, totals, strict=True)), by_intent)


def _failed_guards(connection: sa.Connection, t: Tables, since: datetime, now: datetime) -> list[set[str]]:
    """The flags of the failed guards of each draft created in the window (superseded ones aside)."""
    d = t["drafts"]
    query = sa.select(d.c.guards).where(
        d.c.created_at.between(since, now), d.c.status != DraftStatus.SUPERSEDED.value
    )
    return [
        {verdict["flag"] for verdict in guards or () if not verdict.get("passed", True)}
        for guards in connection.execute(query).scalars()
    ]


# -- figures ------------------------------------------------------------------------

_COUNTS = [f.name for f in fields(DayCounts) if f.name not in ("day", "intent")]


def _day_counts(
    days: Sequence[date], arrived: Iterable[tuple[date, str, list[str]]], reviews: Iterable[_Review]
) -> tuple[tuple[DayCounts, ...], tuple[DayCounts, ...]]:
    """Each day's counts (all intents), and each (day, intent)'s that has any."""
    counts: dict[tuple[date, str], Counter[str]] = defaultdict(Counter)
    for day, intent, _ in arrived:
        counts[day, intent]["messages_in"] += 1
    for review in reviews:
        counts[review.day, review.intent][outcome(review.draft)] += 1  # outcome names a count
    by_intent = tuple(DayCounts(day, intent, **counts[day, intent]) for day, intent in sorted(counts))
    totals: dict[date, Counter[str]] = {day: Counter() for day in days}
    for (day, _), counted in counts.items():
        totals[day].update(counted)
    return tuple(DayCounts(day, None, **{n: totals[day][n] for n in _COUNTS}) for day in days), by_intent


def _agent_times(
    claims: Iterable[tuple[str, float | None]], approvals: Iterable[tuple[str, float | None]]
) -> tuple[AgentTimes, ...]:
    to_claim: dict[str, list[float]] = defaultdict(list)
    to_approval: dict[str, list[float]] = defaultdict(list)
    for times, events in ((to_claim, claims), (to_approval, approvals)):
        for agent, seconds in events:
            if seconds is not None:
                times[agent].append(seconds)
    return tuple(
        AgentTimes(agent, Timing.of(to_claim[agent]), Timing.of(to_approval[agent]))
        for agent in sorted(to_claim.keys() | to_approval.keys())
    )


def _rates(flag_sets: Iterable[Iterable[str]]) -> FlagRates:
    """How many of the items carry each flag (once per item), most frequent first."""
    counted: Counter[str] = Counter()
    total = 0
    for flags in flag_sets:
        total += 1
        counted.update(set(flags))
    ordered = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    return FlagRates(total, tuple(FlagRate(flag, count, count / total) for flag, count in ordered))


def _utc(moment: datetime) -> datetime:
    return aware(moment).astimezone(UTC)


def _when(moment: datetime) -> sa.BindParameter:
    """A moment as a bound value that compares with a stored one on every database."""
    return sa.literal(moment, sa.DateTime(timezone=True))
